#!/bin/sh
# What needs no privilege, run as a non-root user (setpriv, not capbound,
# makes the user, so capbound is not tested with itself): --dry-run,
# --print (and --json), --list, --decode, and a redundant drop.  Checked
# against the kernel's own /proc/PID/status of the same process.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setpriv capsh python3 strace

# as_nobody [SETPRIV-OPTION]... -- CMD...: run CMD as uid/gid 65534
as_nobody() {
	_o=""
	while [ "$1" != -- ]; do _o="$_o $1"; shift; done
	shift
	# shellcheck disable=SC2086 # word splitting of setpriv options
	setpriv --reuid=65534 --regid=65534 --clear-groups $_o "$@"
}

last=$(cat /proc/sys/kernel/cap_last_cap)
# where nobody may write
W=$TMP/nobody
mkdir "$W" && chmod 1777 "$W"
lines() { wc -l <"$1" | tr -d ' '; }

# --- --print: the same process's kernel state ------------------------------
# sh prints its own CapBnd, then becomes capbound (exec keeps the pid and
# the bounding set), so both describe one process.
# shellcheck disable=SC2016 # $$ is that shell's
as_nobody --bounding-set=-net_raw,-chown -- sh -c \
	'cat /proc/$$/status >"$1"; exec "$2" --print' sh \
	"$W/status" "$CAPBOUND" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "--print as nobody: exit 0"
is "$(cat "$TMP/err")" "" "  nothing on stderr"
bnd=$(status_field "$W/status" CapBnd)
bnd=${bnd:-0}
is "$(status_field "$W/status" Uid)" "$(printf '65534\t65534\t65534\t65534')" \
	"  (the process is nobody)"
got_names=$(sed -n 's/^bounding: *//p' "$TMP/out")
is "$(set_mask "$got_names")" "$bnd" \
	"  its bounding line is the kernel's CapBnd"
like "$got_names" "all -*cap_chown*" \
	"  most are there: written by what it lacks ($got_names)"
case ",${got_names#all -}," in
*,cap_net_raw,*) ok 0 "  net_raw named as missing" ;;
*) ok 1 "  net_raw named as missing" ;;
esac
is "$(sed -n 's/^uid: *//p' "$TMP/out")" "65534($(id -nu 65534)) (real, effective, saved)" \
	"  uid line: 65534 with its name, once for all three"
is "$(sed -n 's/^permitted: *//p' "$TMP/out")" "(none)" "  nothing permitted"
like "$(sed -n 's/^last_cap: *//p' "$TMP/out")" "$last (*)" \
	"  last_cap is /proc/sys/kernel/cap_last_cap ($last)"

# --- --print --json parses, and its bounding list is --decode of CapBnd --
# shellcheck disable=SC2016
as_nobody --bounding-set=-net_raw,-sys_admin -- sh -c \
	'cat /proc/$$/status >"$1"; exec "$2" --print --json' sh \
	"$W/status" "$CAPBOUND" >"$TMP/json" 2>"$TMP/err"
is "$?" 0 "--print --json as nobody: exit 0"
python3 -m json.tool <"$TMP/json" >/dev/null 2>"$TMP/jerr"
ok $? "  the output is JSON"
bnd=$(status_field "$W/status" CapBnd)
bnd=${bnd:-0}
json_bnd=$(python3 -c 'import json, sys
print(",".join(json.load(sys.stdin)["bounding"]))' <"$TMP/json")
as_nobody -- "$CAPBOUND" --decode="$bnd" >"$TMP/decoded"
is "$json_bnd" "$(cat "$TMP/decoded")" \
	"  its bounding list is the names --decode gives for CapBnd"
is "$json_bnd" "$(capsh --decode="$bnd" | sed 's/^[^=]*=//')" \
	"  and the names capsh gives"
json_ids=$(python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["uid"], d["gid"], d["last_cap"], d["no_new_privs"], d["permitted"])' \
	<"$TMP/json")
is "$json_ids" "[65534, 65534, 65534] [65534, 65534, 65534] $last False []" \
	"  uid, gid, last_cap, no_new_privs, permitted"

# --- --list: every capability of the kernel, bounded or not -------------
# shellcheck disable=SC2016
as_nobody --bounding-set=-net_raw -- sh -c \
	'cat /proc/$$/status >"$1"; exec "$2" --list' sh \
	"$W/status" "$CAPBOUND" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "--list as nobody: exit 0"
bnd=$(status_field "$W/status" CapBnd)
bnd=${bnd:-0}
is "$(tail -n +2 "$TMP/out" | awk '{print $1}' | tr '\n' ' ')" \
	"$(seq 0 "$last" | tr '\n' ' ')" "  one row per capability 0..$last"
bad=""
while read -r nr name inb; do
	case $nr in NR) continue ;; esac
	if [ $(( (0x$bnd >> nr) & 1 )) -eq 1 ]; then want=yes; else want=no; fi
	[ "$inb" = "$want" ] || bad="$bad $nr:$inb"
	[ "$name" = "$(capsh --decode="$(capmask "$nr")" | sed 's/^[^=]*=//')" ] ||
		bad="$bad $nr:$name"
done <"$TMP/out"
is "$bad" "" "  names as capsh's, bounding column as the kernel's CapBnd"
like "$(grep '^13 ' "$TMP/out")" "13 *cap_net_raw *no" "  cap_net_raw: no"

# --- --decode --------------------------------------------------------------
for m in 0000000000003000 0x1 000001fffeffffff ffffffffffffffff 8000000000000001; do
	as_nobody -- "$CAPBOUND" --decode="$m" >"$TMP/out" 2>"$TMP/err"
	r=$?
	want=$(capsh --decode="${m#0x}" | sed 's/^[^=]*=//')
	# capsh prints unnamed capabilities as bare numbers: ours are cap_N
	want=$(echo "$want" | sed -E 's/(^|,)([0-9]+)/\1cap_\2/g')
	is "$r:$(cat "$TMP/out")" "0:$want" "--decode=$m as nobody"
done
as_nobody -- "$CAPBOUND" --decode=0 >"$TMP/out"
is "$(cat "$TMP/out")" "" "--decode=0: an empty line"
is "$(lines "$TMP/out")" 1 "  exactly one line"

# --- --dry-run ---------------------------------------------------------------
as_nobody -- "$CAPBOUND" --dry-run --drop=net_raw,sys_admin -- \
	touch "$W/ran" >"$TMP/out" 2>"$TMP/err"
is "$?" 125 "--dry-run as nobody: exit 125, as the real run would"
[ ! -e "$W/ran" ]
ok $? "  the command did not run"
is "$(sed -n 's/^drop: *//p' "$TMP/out")" "cap_net_raw,cap_sys_admin" \
	"  the plan names what would be dropped"
grep -q '^would fail: *step 2 (bounding set): .*CAP_SETPCAP' "$TMP/out"
ok $? "  and says step 2 would fail for want of CAP_SETPCAP"
grep -q '^command: *touch ' "$TMP/out"
ok $? "  and names the command"
is "$(sed -n 's/^session: *//p; s/^environment: *//p' "$TMP/out")" \
	"unchanged
unchanged" "  session and environment: unchanged"
as_nobody -- "$CAPBOUND" --dry-run --new-session --reset-env -- true \
	>"$TMP/out" 2>"$TMP/err"
is "$?:$(sed -n 's/^session: *//p; s/^environment: *//p' "$TMP/out")" \
	"0:new (setsid, no controlling terminal)
cleared but TERM; PATH=(a user's), HOME=$(getent passwd 65534 | cut -d: -f6) USER=nobody LOGNAME=nobody SHELL=$(getent passwd 65534 | cut -d: -f7) set" \
	"--dry-run --new-session --reset-env: a new session, the environment reset"
as_nobody -- "$CAPBOUND" --dry-run --user=nobody -- true \
	>"$TMP/out" 2>"$TMP/err"
is "$?:$(sed -n 's/^environment: *//p' "$TMP/out")" \
	"125:HOME=$(getent passwd 65534 | cut -d: -f6) USER=nobody LOGNAME=nobody SHELL=$(getent passwd 65534 | cut -d: -f7) set" \
	"--dry-run --user=nobody as nobody: the user's HOME, USER, LOGNAME and SHELL; 125"
like "$(grep '^would fail:' "$TMP/out")" "*step 4 (ids): setgroups(65534(*)): cap_setgid is needed*" \
	"  setgroups would fail for want of cap_setgid: said, as the real run would"
as_nobody -- "$CAPBOUND" --user=nobody -- true 2>"$TMP/err"
is "$?" 125 "  the real run: 125 too"

# As root, where a real run would succeed: no system call that changes
# anything is made, and nothing is executed.
# (LeakSanitizer cannot work under ptrace: off for this run in make sanitize.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -qq -o "$TMP/trace" -e trace=prctl,capset,setresuid,setresgid,setgroups,setuid,setgid,execve \
	"$CAPBOUND" --dry-run --drop=all -- touch "$TMP/ran" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "--dry-run --drop=all as root: exit 0"
[ ! -e "$TMP/ran" ]
ok $? "  the command did not run"
grep -E 'PR_CAPBSET_DROP|PR_CAP_AMBIENT_LOWER|PR_CAP_AMBIENT_RAISE|PR_SET|capset|setres|setgroups|setuid|setgid' \
	"$TMP/trace" >"$TMP/changes"
is "$(cat "$TMP/changes")" "" "  no prctl/capset/set*id call changes anything"
is "$(grep -c execve "$TMP/trace")" 1 "  the only execve is capbound's own"

# --- a redundant drop needs no privilege -----------------------------------
as_nobody --bounding-set=-net_raw,-sys_admin -- "$CAPBOUND" \
	--drop=net_raw,sys_admin -- cat /proc/self/status >"$TMP/status" 2>"$TMP/err"
is "$?" 0 "nobody dropping what is already gone: exit 0"
is "$(cat "$TMP/err")" "" "  nothing on stderr"
is "$(status_field "$TMP/status" Uid)" "$(printf '65534\t65534\t65534\t65534')" \
	"  the command ran as nobody"
is "$(mask_and "$(status_field "$TMP/status" CapBnd)" "$(capmask 13 21)")" \
	0000000000000000 "  and its bounding set has neither"
as_nobody --bounding-set=-net_raw -- "$CAPBOUND" -d net_raw -d 13 -- true
is "$?" 0 "  the same drop repeated: exit 0"

done_testing
