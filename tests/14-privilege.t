#!/bin/sh
# Privilege: without CAP_SETPCAP a real drop fails with 125 and the
# command never runs; capbound refuses to run set-user-ID, set-group-ID
# or with file capabilities (AT_SECURE).  The copies are made here and
# removed again.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setpriv setcap

W=$TMP/nobody
mkdir "$W" && chmod 1777 "$W"
lines() { wc -l <"$1" | tr -d ' '; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# --- no CAP_SETPCAP ---------------------------------------------------------
# Root, but with cap_setpcap out of the bounding set: exec then leaves it
# out of root's permitted set too.
setpriv --bounding-set=-setpcap sh -c 'grep ^CapPrm /proc/self/status' \
	>"$TMP/status"
is "$(mask_and "$(status_field "$TMP/status" CapPrm)" "$(capmask 8)")" \
	0000000000000000 "(set-up: root without cap_setpcap permitted)"

run setpriv --bounding-set=-setpcap "$CAPBOUND" --drop=net_raw -- \
	touch "$TMP/ran"
is "$rc" 125 "root without cap_setpcap, --drop=net_raw: 125"
[ ! -e "$TMP/ran" ]
ok $? "  the command did not run"
is "$(lines "$TMP/err")" 1 "  one line on stderr"
like "$(cat "$TMP/err")" "capbound: *CAP_SETPCAP*cap_net_raw*" \
	"  saying CAP_SETPCAP is needed to drop cap_net_raw"

run setpriv --bounding-set=-setpcap "$CAPBOUND" --keep=chown -- \
	touch "$TMP/ran"
is "$rc" 125 "root without cap_setpcap, --keep=chown: 125"
[ ! -e "$TMP/ran" ]
ok $? "  the command did not run"

# ... but nothing to drop needs nothing
run setpriv --bounding-set=-setpcap "$CAPBOUND" --drop=setpcap -- \
	touch "$TMP/ran"
is "$rc" 0 "without cap_setpcap, --drop=setpcap (already gone): 0"
[ -e "$TMP/ran" ]
ok $? "  the command ran"
rm -f "$TMP/ran"

run nobody "$CAPBOUND" --drop=net_raw -- touch "$W/ran"
is "$rc" 125 "nobody, --drop=net_raw: 125"
[ ! -e "$W/ran" ]
ok $? "  the command did not run"
like "$(cat "$TMP/err")" "capbound: *CAP_SETPCAP*" "  saying CAP_SETPCAP"

run nobody "$CAPBOUND" --drop=all -- touch "$W/ran"
is "$rc" 125 "nobody, --drop=all: 125"
[ ! -e "$W/ran" ]
ok $? "  the command did not run"

# --- refusal under AT_SECURE -------------------------------------------------
copies=""
# shellcheck disable=SC2086 # a list of paths without blanks
remove_copies() { [ -z "$copies" ] || rm -f $copies; }
at_exit remove_copies

# refused PROG NAME: PROG as nobody must fail 125 naming AT_SECURE and
# not run the command
refused() {
	run nobody "$1" --drop=net_raw -- touch "$W/ran"
	is "$rc" 125 "$2 capbound as nobody: 125"
	[ ! -e "$W/ran" ]
	ok $? "  the command did not run"
	is "$(lines "$TMP/err")" 1 "  one line on stderr"
	like "$(cat "$TMP/err")" "capbound: *AT_SECURE*" "  mentioning AT_SECURE"
	run nobody "$1" --print
	is "$rc" 125 "  --print refused as well"
	run nobody "$1" --dry-run -- true
	is "$rc" 125 "  --dry-run refused as well"
	rm -f "$W/ran"
}

cp "$CAPBOUND" "$TMP/capbound-suid"
copies="$copies $TMP/capbound-suid"
chown root:root "$TMP/capbound-suid"
chmod 4755 "$TMP/capbound-suid"
refused "$TMP/capbound-suid" "set-user-ID root"

cp "$CAPBOUND" "$TMP/capbound-sgid"
copies="$copies $TMP/capbound-sgid"
chown root:root "$TMP/capbound-sgid"
chmod 2755 "$TMP/capbound-sgid"
refused "$TMP/capbound-sgid" "set-group-ID root"

cp "$CAPBOUND" "$TMP/capbound-fcap"
copies="$copies $TMP/capbound-fcap"
if setcap cap_setpcap+ep "$TMP/capbound-fcap" 2>/dev/null; then
	refused "$TMP/capbound-fcap" "cap_setpcap+ep file-capability"
else
	skip "file-capability copy" "setcap failed on $TMP"
fi

# the plain copy, as a control: the same binary runs for nobody
cp "$CAPBOUND" "$TMP/capbound-plain"
copies="$copies $TMP/capbound-plain"
run nobody "$TMP/capbound-plain" --print
is "$rc" 0 "(control: a plain copy runs --print for nobody)"

remove_copies
left=""
for c in $copies; do [ ! -e "$c" ] || left="$left $c"; done
is "$left" "" "the copies are removed"
copies=""

done_testing
