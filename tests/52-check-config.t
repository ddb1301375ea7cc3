#!/bin/sh
# capbound --check-config[=PATH] [--user=USER]: the module's policy file
# judged by the module's own code; exit 0 valid, 125 invalid with
# "capbound: PATH:LINE: why".  Needs no privilege to read a readable file.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd unshare mount setpriv

conf() {
	cat >"$1"
	chown 0:0 "$1"
	chmod 0644 "$1"
}

C=$TMP/good.conf
conf "$C" <<'EOF'
# who     what
root      drop=net_raw, sys_ptrace   # spaces after commas are fine
@nogroup  keep=chown
*         drop=sys_module
EOF

run "$CAPBOUND" --check-config="$C"
is "$rc" 0 "a valid file: exit 0"
is "$(cat "$TMP/out")" "$C: valid, 3 rules" "a valid file: says so, with the rule count"

run "$CAPBOUND" --check-config="$C" --user=root
is "$rc" 0 "--user=root: exit 0"
like "$(cat "$TMP/out")" "*user root: line 2 matches*" "--user=root: names the matching line"
like "$(cat "$TMP/out")" "*drop:        cap_net_raw,cap_sys_ptrace*" \
	"--user=root: shows what would be dropped"
BOUND=$(my_bounding)
WANT=$(sed -n 's/^          -> //p' "$TMP/out")
is "$(set_mask "$WANT")" "$(mask_andnot "$BOUND" "$(capmask 13 19)")" \
	"--user=root: the resulting bounding set is the current one less the line's drops"
like "$(cat "$TMP/out")" "*          -> all -*cap_net_raw*
*" "--user=root: shows the resulting bounding set"

run "$CAPBOUND" --check-config="$C" --user=daemon
like "$(cat "$TMP/out")" "*user daemon: line 4 matches*" "--user=daemon: falls through to *"

run setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CAPBOUND" --check-config="$C" --user=daemon
is "$rc" 0 "needs no privilege (run as nobody)"

conf "$TMP/nomatch.conf" <<'EOF'
root drop=net_raw
EOF
run "$CAPBOUND" --check-config="$TMP/nomatch.conf" --user=daemon
is "$rc" 0 "no matching line: still exit 0"
like "$(cat "$TMP/out")" "*user daemon: no line matches (the module ignores this user)*" \
	"no matching line: says the module ignores the user"

# A number that is no id is a valid line that matches nobody: a warning.
conf "$TMP/noid.conf" <<'EOF'
4294967295   drop=net_raw
@99999999999 drop=net_raw
4294967294   drop=net_raw
*            drop=sys_module
EOF
run "$CAPBOUND" --check-config="$TMP/noid.conf" --user=root
is "$rc" 0 "uid 4294967295, gid 99999999999: still valid, exit 0"
is "$(cat "$TMP/err")" "capbound: warning: $TMP/noid.conf:1: 4294967295 is no uid (0 to 4294967294): this line matches nobody
capbound: warning: $TMP/noid.conf:2: @99999999999 is no gid (0 to 4294967294): this line matches nobody" \
	"  one warning for each, naming the line; none for 4294967294"
like "$(cat "$TMP/out")" "*user root: line 4 matches*" "  root falls through to *"
run "$CAPBOUND" --quiet --check-config="$TMP/noid.conf"
is "$rc:$(cat "$TMP/err")" "0:" "  --quiet: no warning"

run "$CAPBOUND" --check-config="$C" --user=no-such-user-here
is "$rc" 125 "unknown --user: exit 125"
like "$(cat "$TMP/err")" "capbound: --user: no-such-user-here: no such user*" \
	"unknown --user: says so"

# Invalid files: every one of the module's fail-closed cases.
conf "$TMP/later.conf" <<'EOF'
root drop=net_raw

daemon drop=net_raw+ep
EOF
run "$CAPBOUND" --check-config="$TMP/later.conf"
is "$rc" 125 "parse error on line 3: exit 125"
is "$(cat "$TMP/err")" "capbound: $TMP/later.conf:3: drop=: net_raw+ep: unknown capability" \
	"parse error: capbound: PATH:LINE: why"

# tab-separated: file content, expected message
while IFS='	' read -r content want; do
	printf '%b\n' "$content" | conf "$TMP/bad.conf"
	run "$CAPBOUND" --check-config="$TMP/bad.conf"
	is "$rc:$(cat "$TMP/err")" "125:capbound: $TMP/bad.conf:$want" \
		"rejected: $(printf '%s' "$content" | sed 's/\\n/ | /g')"
done <<'EOF'
root drop=net_rw	1: drop=: net_rw: unknown capability
root drop=	1: drop=: empty capability list
root drop=net_raw,	1: drop=net_raw,: empty item in capability list
root drop=64	1: drop=: 64: capability number out of range (0..63)
root	1: root: no drop=CAPS or keep=CAPS
root drop=net_raw frob=x	1: frob=x: expected drop=CAPS or keep=CAPS
root net_raw	1: net_raw: expected drop=CAPS or keep=CAPS
drop=net_raw	1: drop=net_raw: a rule starts with a user name, @group or *
@ drop=net_raw	1: @: empty group name
# fine\n\n  \nroot drop=sys_admin keep=ALL drop=x	4: drop=: x: unknown capability
EOF

cp "$C" "$TMP/notroot.conf"
chown 1:1 "$TMP/notroot.conf"
run "$CAPBOUND" --check-config="$TMP/notroot.conf"
is "$rc:$(cat "$TMP/err")" "125:capbound: $TMP/notroot.conf: owned by uid 1, not by root" \
	"not owned by root: 125 and why"

cp "$C" "$TMP/gw.conf"
chmod 0664 "$TMP/gw.conf"
run "$CAPBOUND" --check-config="$TMP/gw.conf"
is "$rc:$(cat "$TMP/err")" \
	"125:capbound: $TMP/gw.conf: writable by its group (mode 0664): only root may write it" \
	"group-writable: 125 and why"

ln -s "$C" "$TMP/link.conf"
run "$CAPBOUND" --check-config="$TMP/link.conf"
is "$rc:$(cat "$TMP/err")" "125:capbound: $TMP/link.conf: is a symbolic link: refusing it" \
	"a symlink: 125 and why"

run "$CAPBOUND" --check-config="$TMP/missing.conf"
is "$rc:$(cat "$TMP/err")" "125:capbound: $TMP/missing.conf: open: No such file or directory" \
	"a missing file: 125 and why"

run "$CAPBOUND" --check-config="$C" --drop=net_raw
is "$rc:$(cat "$TMP/err")" "125:capbound: --check-config goes with --user only, not with --drop
Try 'capbound --help' for more information." \
	"--check-config with a run option: usage error"

if [ ! -e /etc/security/capbound.conf ]; then
	run "$CAPBOUND" --check-config
	is "$(cat "$TMP/err")" \
		"capbound: /etc/security/capbound.conf: open: No such file or directory" \
		"the default file is /etc/security/capbound.conf"
else
	run "$CAPBOUND" --check-config
	like "$(cat "$TMP/out")$(cat "$TMP/err")" "*/etc/security/capbound.conf*" \
		"the default file is /etc/security/capbound.conf"
fi

# GECOS, with test users in a private mount namespace.
cp /etc/passwd "$TMP/passwd"
cat >>"$TMP/passwd" <<'EOF'
pamgina:x:5006:5006:Gina,,,,cap_drop=sys_ptrace:/nonexistent:/bin/sh
pambad:x:5007:5007:Bad,cap_drop=bogus:/nonexistent:/bin/sh
EOF
in_ns() {
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m sh -c 'mount --bind "$1" /etc/passwd && shift && exec "$@"' \
		sh "$TMP/passwd" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
in_ns "$CAPBOUND" --check-config="$C" --user=pamgina
like "$(cat "$TMP/out")" "*with the module argument gecos (GECOS cap_drop=cap_sys_ptrace):
          -> *
drop:        cap_sys_module,cap_sys_ptrace" \
	"GECOS cap_drop= shown, added to the line's drops"
in_ns "$CAPBOUND" --check-config="$C" --user=pambad
is "$rc:$(cat "$TMP/err")" \
	"125:capbound: user pambad: GECOS: cap_drop=: bogus: unknown capability (with the module argument gecos, this user's sessions fail)" \
	"a bad GECOS cap_drop=: 125 and why"

# The size limit is 16 MiB: a file of exactly that is read (comments).
awk 'BEGIN { for (i = 0; i < 262144; i++) printf "#%062d\n", i }' >"$TMP/max.conf"
chmod 0644 "$TMP/max.conf"
run "$CAPBOUND" --check-config="$TMP/max.conf"
is "$(stat -c %s "$TMP/max.conf"):$rc" "16777216:0" \
	"a policy file of exactly 16 MiB is not too large"
# One byte more is refused before anything is read (a sparse file).
truncate -s 16777217 "$TMP/max.conf"
run "$CAPBOUND" --check-config="$TMP/max.conf"
is "$rc:$(cat "$TMP/err")" \
	"125:capbound: $TMP/max.conf: larger than 16777216 bytes" \
	"a policy file of 16 MiB and one byte: 125, the limit named"
rm -f "$TMP/max.conf"
# A caller with its standard input closed: the policy file opens as fd 0.
"$CAPBOUND" --check-config="$C" <&- >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" "0:$C: valid, 3 rules" \
	"stdin closed: the policy file on descriptor 0 is read all the same"

# A user in several groups listed out of gid order in the database: the
# module's table sorts the user's groups once, and @group finds each of
# them (here the lowest, the highest and one between, which a binary
# search of the unsorted list would miss).  /etc/group is a copy with six
# more groups, in a private mount namespace.
cp /etc/group "$TMP/group.many"
for i in 9 8 7 6 5 4; do
	echo "cbmany$i:x:6660$i:daemon" >>"$TMP/group.many"
done
for g in cbmany4 cbmany9 cbmany6; do
	printf '@%s drop=net_raw\n* drop=sys_module\n' "$g" | conf "$TMP/many.conf"
	# shellcheck disable=SC2016 # $1.. are the inner shell's
	unshare -m sh -c 'mount --bind "$1" /etc/group || exit 99; shift
		exec "$@"' sh "$TMP/group.many" "$CAPBOUND" \
		--check-config="$TMP/many.conf" --user=daemon \
		>"$TMP/out" 2>"$TMP/err"
	like "$(cat "$TMP/out")" "*user daemon: line 1 matches*" \
		"daemon in six groups out of order: @$g matches"
done

done_testing
