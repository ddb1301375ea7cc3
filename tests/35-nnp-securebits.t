#!/bin/sh
# --no-new-privs and --securebits, read back by the command itself
# (prctl(PR_GET_NO_NEW_PRIVS), prctl(PR_GET_SECUREBITS)) and /proc.  With
# --user, cap_setpcap is kept across the switch only to set the bits: the
# command's permitted set must not be any wider for it.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
require_cmd setpriv
STATUS="$TESTS_DIR/helper-status"
[ -x "$STATUS" ] || skip_all "tests/helper-status is not built"

ZERO=0000000000000000
NOBODY_UID=$(id -u nobody)
helper() { sed -n "s/^$1 *//p" "$TMP/out"; }

# --- no_new_privs
run "$CAPBOUND" -- "$STATUS"
is "$(helper nnp)" 0 "control: no_new_privs 0 without the option"
run "$CAPBOUND" --no-new-privs -- "$STATUS"
is "$(helper nnp)" 1 "--no-new-privs: PR_GET_NO_NEW_PRIVS 1"
capstatus --no-new-privs --user=nobody
is "$(status_field "$TMP/status" NoNewPrivs)" 1 "--no-new-privs --user=nobody: NoNewPrivs: 1"
is "$(status_field "$TMP/status" Uid | cut -f1)" "$NOBODY_UID" "... as nobody"

# --- each securebit by name, as root and across --user
for pair in noroot:1 noroot-locked:2 no-setuid-fixup:4 \
	no-setuid-fixup-locked:8 keep-caps-locked:32 no-cap-ambient-raise:64 \
	no-cap-ambient-raise-locked:128; do
	name=${pair%%:*} bit=${pair#*:}
	run "$CAPBOUND" --securebits="$name" -- "$STATUS"
	is "$rc:$(helper securebits)" "0:$bit" "--securebits=$name: securebits $bit"
	run "$CAPBOUND" --securebits="$name" --user=nobody -- "$STATUS"
	is "$rc:$(helper securebits):$(helper uid)" \
		"0:$bit:$NOBODY_UID $NOBODY_UID $NOBODY_UID" \
		"--securebits=$name --user=nobody: securebits $bit, as nobody"
	capstatus --securebits="$name" --user=nobody
	is "$(status_field "$TMP/status" CapPrm) $(status_field "$TMP/status" CapEff) $(status_field "$TMP/status" CapInh) $(status_field "$TMP/status" CapAmb)" \
		"$ZERO $ZERO $ZERO $ZERO" \
		"--securebits=$name --user=nobody: no capability left (cap_setpcap not leaked)"
done
run "$CAPBOUND" --securebits=noroot,noroot-locked,no-setuid-fixup \
	--securebits=no-cap-ambient-raise -- "$STATUS"
is "$(helper securebits)" 71 "a list and a repeated option add up (1+2+4+64)"

# With --ambient: the command holds exactly the ambient set.
capstatus --securebits=noroot,noroot-locked --keep=net_bind_service,setpcap \
	--ambient=net_bind_service --user=nobody
is "$rc" 0 "--securebits with --ambient --user: ran"
for set in CapPrm CapEff CapAmb CapInh; do
	is "$(status_field "$TMP/status" $set)" "$(capmask 10)" \
		"... $set is cap_net_bind_service only"
done
# no_new_privs and no-cap-ambient-raise come after the ambient raise.
capstatus --no-new-privs --securebits=no-cap-ambient-raise,no-cap-ambient-raise-locked \
	--ambient=net_bind_service --user=nobody
is "$rc:$(status_field "$TMP/status" NoNewPrivs):$(status_field "$TMP/status" CapAmb)" \
	"0:1:$(capmask 10)" \
	"--no-new-privs and no-cap-ambient-raise with --ambient: the command still holds it"

# cap_setpcap already out of the bounding set: still usable for the bits.
run "$CAPBOUND" --drop=setpcap --securebits=noroot --user=nobody -- "$STATUS"
is "$rc:$(helper securebits)" "0:1" "--drop=setpcap --securebits=noroot --user: bits set"
capstatus --drop=setpcap --securebits=noroot --user=nobody
is "$(status_field "$TMP/status" CapPrm)" $ZERO "... and CapPrm empty"
is "$(mask_and "$(status_field "$TMP/status" CapBnd)" "$(capmask 8)")" $ZERO \
	"... and cap_setpcap out of CapBnd"

# The bits work: with noroot, a set-user-ID-root program gets no capability.
mkdir "$TMP/bin" && chmod 755 "$TMP/bin" && cp /bin/cat "$TMP/bin/suid-cat" &&
	chmod 4755 "$TMP/bin/suid-cat"
if findmnt -no OPTIONS -T "$TMP" 2>/dev/null | grep -qw nosuid; then
	skip "noroot and set-user-ID" "$TMP is mounted nosuid"
else
	"$CAPBOUND" --user=nobody -- "$TMP/bin/suid-cat" /proc/self/status \
		>"$TMP/status" 2>"$TMP/err"
	ok "$([ "$(status_field "$TMP/status" CapEff)" != $ZERO ]; echo $?)" \
		"control: set-user-ID root copy gets capabilities"
	"$CAPBOUND" --securebits=noroot,noroot-locked --user=nobody -- \
		"$TMP/bin/suid-cat" /proc/self/status >"$TMP/status" 2>"$TMP/err"
	is "$(status_field "$TMP/status" Uid | cut -f2)" 0 "noroot: euid 0 through the set-user-ID bit"
	is "$(status_field "$TMP/status" CapPrm)" $ZERO "noroot: but no capability"
fi

# Without cap_setpcap the bits cannot be set: 125, command not run.
run setpriv --securebits=+noroot --inh-caps=+setuid,+setgid \
	--ambient-caps=+setuid,+setgid "$CAPBOUND" --securebits=noroot -- \
	"$STATUS"
is "$rc" 125 "--securebits without cap_setpcap: 125"
is "$(cat "$TMP/out")" "" "... the command did not run"
like "$(cat "$TMP/err")" "*cap_setpcap*" "... naming cap_setpcap"

done_testing
