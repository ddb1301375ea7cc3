#!/bin/sh
# A passwd or group entry may hold id 4294967295, which setresuid() and
# setresgid() take for "leave unchanged": the switch would silently do
# nothing.  capbound must refuse such an entry in step 1, naming it,
# before any step (and --dry-run too), not report a bogus EPERM later.
# The databases are test copies bind-mounted in a private mount namespace.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
require_cmd unshare mount

cp /etc/passwd "$TMP/passwd"
cp /etc/group "$TMP/group"
echo 'cbminus:x:4294967295:65534::/nonexistent:/bin/sh' >>"$TMP/passwd"
echo 'cbminusg:x:65534:4294967295::/nonexistent:/bin/sh' >>"$TMP/passwd"
echo 'cbgminus:x:4294967295:' >>"$TMP/group"

# in_ns ARGS...: capbound ARGS with the test databases; status in $rc
# shellcheck disable=SC2016 # expanded by the inner sh
in_ns() {
	unshare -m sh -c 'mount --bind "$1" /etc/passwd &&
		mount --bind "$2" /etc/group && shift 2 && exec "$@"' \
		sh "$TMP/passwd" "$TMP/group" "$CAPBOUND" "$@" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
}

in_ns --user=nobody -- id -u
is "$rc:$(cat "$TMP/out")" "0:$(id -u nobody)" "control: the test databases work"

for args in "--user=cbminus:uid" "--user=cbminusg:gid" "--group=cbgminus:gid"; do
	opt=${args%:*} what=${args##*:}
	rm -f "$TMP/ran"
	in_ns "$opt" -- touch "$TMP/ran"
	is "$rc" 125 "$opt (entry with $what 4294967295): 125"
	[ ! -e "$TMP/ran" ]
	ok $? "  the command did not run"
	like "$(cat "$TMP/err")" "capbound: --*: $what 4294967295 is not a valid $what" \
		"  naming the entry and the id"
	in_ns --dry-run "$opt" -- true
	is "$rc" 125 "  --dry-run refuses it too"
done

done_testing
