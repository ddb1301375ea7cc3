#!/bin/sh
# The reports as a person reads them: one set notation ("all -cap_x",
# "(none)"), ids with names, --print=PID of another process (text and
# JSON), --has for scripts, --explain, --user=USER:GROUP and UID:GID, the
# warning for --keep with --user but no --ambient, --check-config's
# warnings, and a PATH entry too long for PATH_MAX.  Expected text lives
# beside this file (17-*.expected) and is compared with diff.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

rc=0
require_root
require_cmd setpriv python3 diff getent
SLEEPER=$TESTS_DIR/helper-sleeper
[ -x "$SLEEPER" ] || skip_all "tests/helper-sleeper is not built"

last=$(cat /proc/sys/kernel/cap_last_cap)
NOGROUP=$(getent group 65534 | cut -d: -f1)
# path_of NAME: the first file of that name on PATH, as execvp finds it
path_of() {
	(IFS=:; for d in $PATH; do [ -x "$d/$1" ] && { echo "$d/$1"; return; }; done)
}
# expect FILE: the expected text beside this test, placeholders filled in
expect() {
	sed -e "s|@NOGROUP@|$NOGROUP|g" -e "s|@HOME@|$(getent passwd nobody | cut -d: -f6)|g" \
	    -e "s|@SHELL@|$(getent passwd nobody | cut -d: -f7)|g" \
	    -e "s|@TRUE@|$(path_of true)|g" -e "s|@LAST@|$last|g" \
	    -e "s|@LASTNAME@|$("$CAPBOUND" --list | awk -v l="$last" '$1 == l { print $2 }')|g" \
	    -e "s|@PID@|${pid:-}|g" -e "s|@CONF@|${conf:-}|g" "$TESTS_DIR/$1"
}
# same NAME FILE WANT-FILE: diff, shown on failure
same() {
	if diff -u "$3" "$2" >"$TMP/diff"; then
		ok 0 "$1"
	else
		ok 1 "$1"
		sed 's/^/#   /' "$TMP/diff"
	fi
}

# --- one notation --------------------------------------------------------------
bnd=$(my_bounding)
# a new user namespace starts with every capability
unshare -U -r "$CAPBOUND" --print >"$TMP/out"
is "$(sed -n 's/^bounding: *//p' "$TMP/out")" all \
	"--print: a full bounding set is \"all\" (unshare -U -r)"
"$CAPBOUND" --drop=net_raw -- "$CAPBOUND" --print >"$TMP/out"
got=$(sed -n 's/^bounding: *//p' "$TMP/out")
like "$got" "all -*cap_net_raw*" "--print under --drop=net_raw: \"all -cap_net_raw...\""
is "$(set_mask "$got")" "$(mask_andnot "$bnd" "$(capmask 13)")" "  which is the kernel's set"
"$CAPBOUND" --drop=all -- "$CAPBOUND" --print >"$TMP/out"
is "$(sed -n 's/^bounding: *//p' "$TMP/out")" "(none)" "--print under --drop=all: (none)"
"$CAPBOUND" --keep=chown,kill -- "$CAPBOUND" --print >"$TMP/out"
is "$(sed -n 's/^bounding: *//p' "$TMP/out")" "cap_chown,cap_kill" "a small set: its names"
is "$(sed -n 's/^uid: *//p; s/^gid: *//p' "$TMP/out")" \
	"0(root) (real, effective, saved)
0(root) (real, effective, saved)" "ids with names"
"$CAPBOUND" --drop=net_raw -- "$CAPBOUND" -v --drop=chown -- true 2>"$TMP/err"
like "$(cat "$TMP/err")" "*bounding set now all -cap_chown,cap_net_raw*" "-v: the same notation"

# --- the dry run, compared whole ---------------------------------------------
"$CAPBOUND" --keep=chown,kill,net_raw,setpcap,setuid,setgid -- \
	"$CAPBOUND" -n --keep=chown,kill,net_raw --drop=kill --user=nobody:"$NOGROUP" \
	--groups= --no-new-privs -- true >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "--dry-run of a line that would work: 0"
expect 17-dry-run.expected >"$TMP/want"
same "  the plan, line by line, as 17-dry-run.expected" "$TMP/out" "$TMP/want"
is "$(cat "$TMP/err")" "capbound: warning: --keep with --user=nobody: the command (uid 65534, not root) holds none of cap_chown,cap_net_raw, which stay in the bounding set only: add --ambient=... for those it needs" \
	"  --keep with --user and no --ambient: warned"
"$CAPBOUND" -q -n --keep=net_bind_service --user=nobody -- true >/dev/null 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "  -q: no warning"
"$CAPBOUND" -n --keep=net_bind_service --ambient=net_bind_service --user=nobody -- true \
	>"$TMP/out" 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "  with --ambient: no warning"
is "$(sed -n 's/^permitted: *//p' "$TMP/out" | sed 's/.* -> //')" "cap_net_bind_service" \
	"  and the command's permitted set is the ambient one"

# --- --print=PID ---------------------------------------------------------------
"$CAPBOUND" --keep=chown,net_bind_service --ambient=net_bind_service \
	--user=nobody --no-new-privs -- "$SLEEPER" &
pid=$!
kill_sleeper() { kill "$pid" 2>/dev/null; }
at_exit kill_sleeper
# wait for the exec
i=0
while [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != helper-sleeper ] && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
setpriv --reuid=65534 --regid=65534 --clear-groups "$CAPBOUND" --print="$pid" \
	>"$TMP/out" 2>"$TMP/err"
is "$?" 0 "--print=PID as nobody: exit 0"
expect 17-print-pid.expected >"$TMP/want"
same "  another process's ids and sets, as 17-print-pid.expected" "$TMP/out" "$TMP/want"
"$CAPBOUND" --print "$pid" >"$TMP/out2"
same "  --print PID (separate word) is the same" "$TMP/out2" "$TMP/out"
"$CAPBOUND" --print="$pid" --json >"$TMP/json"
is "$(python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["pid"], d["name"], d["uid"], d["groups"], d["bounding"], d["ambient"], d["securebits"], d["no_new_privs"])' <"$TMP/json")" \
	"$pid helper-sleeper [65534, 65534, 65534] [65534] ['cap_chown', 'cap_net_bind_service'] ['cap_net_bind_service'] None True" \
	"--print=PID --json: full lists, securebits null"
kill "$pid"
wait "$pid" 2>/dev/null
run "$CAPBOUND" --print="$pid"
is "$rc:$(cat "$TMP/err")" "125:capbound: --print=$pid: no such process" \
	"--print=PID of a process that is gone: 125"
run "$CAPBOUND" --print
like "$(sed -n 's/^securebits: *//p' "$TMP/out")" "0x* *" "--print of itself shows its securebits"

# --- --has ---------------------------------------------------------------------
"$CAPBOUND" --has=net_raw
is "$?" 0 "--has=net_raw as root: 0"
"$CAPBOUND" --drop=net_raw -- "$CAPBOUND" --has=net_raw
is "$?" 1 "--has=net_raw without it in the bounding set: 1"
"$CAPBOUND" --drop=net_raw -- "$CAPBOUND" --has=chown,kill:effective
is "$?" 0 "--has=chown,kill:effective: 0"
"$CAPBOUND" --drop=net_raw -- "$CAPBOUND" --has=net_raw:p
is "$?" 1 "--has=net_raw:p: root's permitted set at exec is the bounding set: 1"
"$CAPBOUND" --drop=net_raw -- "$CAPBOUND" --has=cap_chown,13:bounding
is "$?" 1 "--has=cap_chown,13:bounding: one of them missing: 1"
setpriv --reuid=65534 --regid=65534 --clear-groups "$CAPBOUND" --has=chown:permitted
is "$?" 1 "--has=chown:permitted as nobody: 1"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+net_bind_service \
	--ambient-caps=+net_bind_service "$CAPBOUND" --has=net_bind_service:ambient
is "$?" 0 "--has=net_bind_service:ambient with it ambient: 0"
run "$CAPBOUND" --has=net_raw
is "$(cat "$TMP/out")$(cat "$TMP/err")" "" "--has prints nothing"

# --- --explain -----------------------------------------------------------------
run "$CAPBOUND" --explain=net_raw
like "$rc:$(cat "$TMP/out")" "0:cap_net_raw (13): *raw*" "--explain=net_raw: what it allows"
run "$CAPBOUND" --explain=all
is "$(wc -l <"$TMP/out" | tr -d ' ')" "$((last + 1))" "--explain=all: a line per capability"
is "$(grep -c 'no description' "$TMP/out")" 0 "  each described"

# --- --user=USER:GROUP, UID:GID ---------------------------------------------
for spec in "nobody:$NOGROUP" 65534:65534 "nobody:65534" "65534:$NOGROUP"; do
	capstatus --user="$spec"
	is "$rc:$(status_field "$TMP/status" Uid):$(status_field "$TMP/status" Gid)" \
		"0:$(printf '65534\t65534\t65534\t65534'):$(printf '65534\t65534\t65534\t65534')" \
		"--user=$spec: uid and gid 65534"
done
capstatus --user=nobody:0
is "$rc:$(status_field "$TMP/status" Gid | cut -f1)" "0:0" "--user=nobody:0: gid 0"
capstatus --user=3999999999:3999999998
is "$rc:$(status_field "$TMP/status" Uid | cut -f1):$(status_field "$TMP/status" Gid | cut -f1):$(status_field "$TMP/status" Groups)" \
	"0:3999999999:3999999998:" "--user=UID:GID without a passwd entry: those ids, no groups"

# --- a PATH entry longer than PATH_MAX does not stop the search --------------
long=$(printf '%05000d' 0 | tr 0 x)
run env PATH="/$long:/usr/bin:/bin" "$CAPBOUND" -- true
is "$rc:$(cat "$TMP/err")" "0:" "a PATH entry of 5000 bytes is skipped, as execvp does"
run env PATH="/$long:/usr/bin:/bin" "$CAPBOUND" -n -- true
is "$rc" 0 "  and the dry run agrees"

# --- --check-config's warnings -------------------------------------------------
conf=$TMP/warn.conf
{
	printf '\357\273\277root drop=net_raw\n'
	cat <<'EOF'
@capbound-no-such-group drop=net_raw
capbound-no-such-user drop=sys_admin
root,daemon drop=chown
daemon drop=kill
daemon drop=net_raw
@nogroup drop=kill
nobody drop=kill
* drop=sys_module
bin drop=kill
EOF
} >"$conf"
sed -i "s/@nogroup/@$NOGROUP/" "$conf"
chmod 644 "$conf"
run "$CAPBOUND" --check-config="$conf"
is "$rc:$(cat "$TMP/out")" "0:$conf: valid, 10 rules, 7 warnings" \
	"--check-config: valid, with the count of warnings"
expect 17-check-config.expected | sed "s/@nogroup/@$NOGROUP/" >"$TMP/want"
same "  each warning names its line (17-check-config.expected)" "$TMP/err" "$TMP/want"
run "$CAPBOUND" -q --check-config="$conf"
is "$rc:$(cat "$TMP/err")" "0:" "  -q: none shown"

done_testing
