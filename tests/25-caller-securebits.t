#!/bin/sh
# Securebits a caller set before capbound runs (as systemd's SecureBits=
# or setpriv --securebits do): capbound must still leave the command with
# exactly the planned capabilities, or fail with 125 before running it,
# with a message that names the cause.  And --securebits needs
# cap_setpcap: without it capbound must say so before changing anything.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
require_root
require_cmd setpriv
STATUS="$TESTS_DIR/helper-status"
[ -x "$STATUS" ] || skip_all "tests/helper-status is not built"

ZERO=0000000000000000
NOBODY_UID=$(id -u nobody)
sets() {
	echo "$(status_field "$TMP/status" CapPrm) $(status_field "$TMP/status" CapEff) $(status_field "$TMP/status" CapInh) $(status_field "$TMP/status" CapAmb)"
}
ran() { [ -e "$TMP/ran" ]; }
MARK="touch $TMP/ran"

# --- no-setuid-fixup from the caller: setresuid() away from 0 then keeps
# permitted and effective.  capbound must clear them itself, not rely on
# the kernel's fixup (nor fail because uid 0 could still be regained).
setpriv --securebits=+no_setuid_fixup -- \
	"$CAPBOUND" --user=nobody -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
rc=$?
is "$rc" 0 "caller's no-setuid-fixup, --user=nobody: runs"
is "$(cat "$TMP/err")" "" "  nothing on stderr"
is "$(status_field "$TMP/status" Uid | cut -f1-3)" \
	"$(printf '%s\t%s\t%s' "$NOBODY_UID" "$NOBODY_UID" "$NOBODY_UID")" \
	"  as nobody (real, effective, saved)"
is "$(sets)" "$ZERO $ZERO $ZERO $ZERO" "  with no capability at all"

# shellcheck disable=SC2016 # $? is the inner shell's
setpriv --securebits=+no_setuid_fixup -- \
	"$CAPBOUND" --user=nobody -- \
	sh -c 'setpriv --reuid=0 true 2>/dev/null; echo "setpriv $?"' \
	>"$TMP/out" 2>"$TMP/err"
like "$(cat "$TMP/out")" "setpriv [1-9]*" \
	"  the command cannot become root again (setpriv --reuid=0 fails)"

setpriv --securebits=+no_setuid_fixup -- \
	"$CAPBOUND" --user=nobody --keep=net_bind_service,setpcap \
	--ambient=net_bind_service -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
rc=$?
is "$rc" 0 "caller's no-setuid-fixup, --user=nobody --ambient: runs"
is "$(sets)" "$(capmask 10) $(capmask 10) $(capmask 10) $(capmask 10)" \
	"  holding cap_net_bind_service only, in all four sets"

setpriv --securebits=+no_setuid_fixup -- \
	"$CAPBOUND" --user=nobody --securebits=noroot -- "$STATUS" \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc:$(sed -n 's/^securebits *//p' "$TMP/out")" "0:5" \
	"caller's no-setuid-fixup, --securebits=noroot --user=nobody: bits 1+4"

# --- noroot from the caller: uid 0 gets no capabilities at exec, so
# capbound has no cap_setpcap.  A drop fails before anything changes and
# says why; a drop of what is already gone needs no privilege.
rm -f "$TMP/ran"
setpriv --securebits=+noroot -- \
	"$CAPBOUND" --drop=net_raw -- sh -c "$MARK" >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc" 125 "caller's noroot, --drop=net_raw as uid 0: 125"
ran
ok $(( ! $? )) "  the command did not run"
like "$(cat "$TMP/err")" "capbound: CAP_SETPCAP is needed*cap_net_raw*" \
	"  saying cap_setpcap is needed to drop cap_net_raw"
setpriv --bounding-set=-net_raw -- setpriv --securebits=+noroot -- \
	"$CAPBOUND" --drop=net_raw -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
rc=$?
is "$rc:$(sets)" "0:$ZERO $ZERO $ZERO $ZERO" \
	"caller's noroot, --drop of a capability already gone: runs, no capability"

# --- keep-caps-locked (keep-caps off): --ambient across --user cannot
# keep capabilities through setresuid(); fail closed, naming the call.
rm -f "$TMP/ran"
setpriv --securebits=+keep_caps_locked -- \
	"$CAPBOUND" --user=nobody --ambient=net_bind_service -- sh -c "$MARK" \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc" 125 "caller's keep-caps-locked, --ambient --user: 125"
ran
ok $(( ! $? )) "  the command did not run"
like "$(cat "$TMP/err")" "capbound: *PR_SET_KEEPCAPS*" "  naming PR_SET_KEEPCAPS"
# Without --ambient there is nothing to keep: it works.
setpriv --securebits=+keep_caps_locked -- \
	"$CAPBOUND" --user=nobody -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
rc=$?
is "$rc:$(sets)" "0:$ZERO $ZERO $ZERO $ZERO" \
	"caller's keep-caps-locked, --user alone: runs with no capability"

# --- no-cap-ambient-raise from the caller: --ambient fails closed.
rm -f "$TMP/ran"
# (setpriv has no name for this bit: an outer capbound sets it.)
"$CAPBOUND" --securebits=no-cap-ambient-raise -- \
	"$CAPBOUND" --ambient=net_bind_service -- sh -c "$MARK" \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc" 125 "caller's no-cap-ambient-raise, --ambient: 125"
ran
ok $(( ! $? )) "  the command did not run"
like "$(cat "$TMP/err")" "capbound: prctl(PR_CAP_AMBIENT_RAISE*cap_net_bind_service*" \
	"  naming the call and the capability"

# --- a bit the caller locked off cannot be set: 125, not run.
rm -f "$TMP/ran"
setpriv --securebits=+noroot_locked -- \
	"$CAPBOUND" --securebits=noroot -- sh -c "$MARK" \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc" 125 "noroot locked off by the caller, --securebits=noroot: 125"
ran
ok $(( ! $? )) "  the command did not run"
like "$(cat "$TMP/err")" "capbound: prctl(PR_SET_SECUREBITS*" "  naming the call"

# --- --securebits without cap_setpcap (root whose bounding set lacks it,
# so its permitted set does too): refused before any step, naming it.
for user in "" --user=nobody; do
	rm -f "$TMP/ran"
	# shellcheck disable=SC2086 # $user is one word or none
	setpriv --bounding-set=-setpcap -- \
		"$CAPBOUND" $user --securebits=noroot -- sh -c "$MARK" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" 125 "no cap_setpcap, --securebits=noroot $user: 125"
	ran
	ok $(( ! $? )) "  the command did not run"
	like "$(cat "$TMP/err")" "capbound: *cap_setpcap*" "  the message names cap_setpcap"
	# shellcheck disable=SC2086
	setpriv --bounding-set=-setpcap -- \
		"$CAPBOUND" --dry-run $user --securebits=noroot -- true \
		>"$TMP/out" 2>"$TMP/err"
	like "$(grep '^would fail:' "$TMP/out")" "would fail:*cap_setpcap*" \
		"  --dry-run says it would fail, naming cap_setpcap"
done

done_testing
