#!/bin/sh
# The auth (setcred) placement with the real su, on Debian's own stack:
# the stock /etc/pam.d/su with the one line an administrator adds after
# the common-auth include,
#	auth required /ABS/pam_capbound.so conf=... gecos
# in private mount and network namespaces with copies of passwd, shadow
# and group.  A NON-root user su's to the policy user and types the
# password (expect), so pam_authenticate runs and libpam then runs
# pam_setcred along the chain that authentication froze.
#  - a clean policy: the drop lands through setcred;
#  - a GECOS as "chfn -r cap_drop" writes it (User,cap_drop,,), or a
#    broken policy file: authentication must fail (the module checks in
#    pam_sm_authenticate what setcred will need); a setcred error alone
#    would be discarded by libpam and the login would go on whole;
#  - "auth sufficient pam_unix.so" then "auth required pam_capbound.so":
#    a wrong password lets nobody in (the module never grants);
#  - root: "auth sufficient pam_rootok.so" ends the chain before the
#    module, which then is not run at all (documented; the session
#    placement covers root);
#  - sudo -u by a user who types his password (stock sudo stack plus the
#    auth line, a sudoers copy): the drop lands, a broken policy refuses.
#    sudo authenticates the invoking user, not the target, and ignores a
#    failed pam_setcred (sudoers auth/pam.c); so a target's bad GECOS,
#    and any error under root or NOPASSWD (no pam_authenticate at all),
#    run the command whole: recorded in diagnostics; with sudo only the
#    session placement holds.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-clients.sh
. "$TESTS_DIR/lib-clients.sh"

skip_slow
require_root
require_cmd unshare mount su ip timeout expect setpriv logger
MODULE=$TOP/pam_capbound.so
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
[ -x "$TESTS_DIR/helper-logsink" ] || skip_all "tests/helper-logsink not built"
CLIENTS_LOG=1

NET_RAW=13 SYS_TIME=25
START=$(my_bounding)
CONF=$TMP/capbound.conf
PW=Corr3ct-h0rse

clients_init || skip_all "cannot copy passwd/shadow/group"
clients_probe_init || skip_all "cannot make the probe"
if ! { clients_user cbcaller 5330 "Caller,,," "caller-pw" &&
	clients_user cbpol 5311 "Policy User,,," "$PW" &&
	clients_user cbgec 5313 "Gecos User,,,,cap_drop=net_raw" "$PW" &&
	clients_user cbchfn 5315 "Chfn User,cap_drop,," "$PW"; }; then
	skip_all "cannot add the test users"
fi

good_policy() {
	rm -f "$CONF"
	cat >"$CONF" <<'EOF'
# the auth placement test
cbpol     drop=net_raw,sys_time
cbchfn    drop=all
EOF
	chown 0:0 "$CONF"
	chmod 0644 "$CONF"
}
good_policy

AUTH="auth required $MODULE conf=$CONF gecos"
clients_pam su "$AUTH" '^@include[[:space:]]+common-auth' ||
	skip_all "cannot copy the stock su stack"

# A client run by a user: expect types the password at its prompt.
cat >"$TMP/pw.exp" <<'EOF'
# pw.exp PASSWORD PROG ARGS...: exit with PROG's status; 98: no prompt
set timeout 20
set pw [lindex $argv 0]
spawn {*}[lrange $argv 1 end]
expect {
	-re "assword.*: ?$" { send "$pw\r" }
	timeout { exit 98 }
	eof { catch wait r; exit [lindex $r 3] }
}
expect eof
catch wait r
exit [lindex $r 3]
EOF
chmod 0644 "$TMP/pw.exp"
cd / || exit 1

# by_user TARGET PASSWORD TAG: cbcaller su's to TARGET and runs the probe
by_user() {
	clients_run setpriv --reuid=5330 --regid=5330 --init-groups -- \
		expect -f "$TMP/pw.exp" "$2" su "$1" -c "$CLIENTS_DIR/probe $3"
	[ "$rc" -ne 99 ] || skip_all "cannot set up the namespaces: $(cat "$TMP/err")"
}
# refused WHAT TARGET PASSWORD: the su must fail and run nothing
refused() {
	_t=$2-$(echo "$1" | tr -c 'a-z0-9\n' '_')
	by_user "$2" "$3" "$_t"
	[ "$rc" -ne 0 ] && [ "$rc" -ne 98 ] && [ "$rc" -ne 124 ] && _r=0 || _r=1
	ok "$_r" "$1: su by a user to $2 fails (rc $rc)"
	clients_ran "$_t" && _r=1 || _r=0
	ok "$_r" "$1: nothing ran as $2"
	diag "$1: rc $rc: $(tr -d '\r' <"$TMP/out" | tr '\n' ' ')"
	! clients_ran "$_t" ||
		diag "$1: it ran with CapBnd $(clients_field "$_t" status CapBnd)"
}

# A clean policy: authentication passes, setcred drops.
by_user cbpol "$PW" auth-cbpol
is "$rc" 0 "clean policy: su by a user with the right password succeeds"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out" "$TMP/err")"
like "$(cat "$CLIENTS_DIR/res/auth-cbpol.id" 2>/dev/null)" "uid=5311(cbpol)*" \
	"clean policy: the command runs as cbpol"
want=$(mask_andnot "$START" "$(capmask $NET_RAW $SYS_TIME)")
is "$(clients_field auth-cbpol status CapBnd)" "$want" \
	"clean policy: setcred dropped net_raw,sys_time from the command's CapBnd"
is "$(clients_field auth-cbpol suid CapPrm)" "$want" \
	"clean policy: a set-user-ID-root cat's CapPrm lacks them too"
like "$(cat "$CLIENTS_DIR/log")" \
	"*pam_capbound(su:*): user cbpol: dropped cap_net_raw,cap_sys_time*" \
	"clean policy: the module logs the drop"

by_user cbgec "$PW" auth-cbgec
is "$rc" 0 "GECOS cap_drop=net_raw: su by a user succeeds"
is "$(clients_field auth-cbgec status CapBnd)" \
	"$(mask_andnot "$START" "$(capmask $NET_RAW)")" \
	"GECOS cap_drop=net_raw: the command's CapBnd lacks net_raw"

refused "a wrong password" cbpol not-the-password

# What a user can write into his own GECOS must not undo the file's drop=all.
refused "GECOS User,cap_drop,, (chfn -r cap_drop)" cbchfn "$PW"
like "$(cat "$CLIENTS_DIR/log")" "*pam_capbound*failing closed*" \
	"GECOS User,cap_drop,,: the module logged why"

for broken in world-writable user-owned missing parse-error; do
	good_policy
	case $broken in
	world-writable) chmod 0666 "$CONF" ;;
	user-owned) chown 5330:0 "$CONF" ;;
	missing) rm -f "$CONF" ;;
	parse-error) echo 'cbgec drop=no_such_cap' >>"$CONF" ;;
	esac
	refused "$broken policy" cbpol "$PW"
done
good_policy

# Another administrator's stack: pam_unix sufficient, then the module.
# The module never grants: a wrong password lets nobody in.
sed "s|^@include[[:space:]]*common-auth|auth sufficient pam_unix.so\\
$AUTH|" /etc/pam.d/su >"$CLIENTS_DIR/pam.d/su"
grep -q "^auth sufficient pam_unix.so" "$CLIENTS_DIR/pam.d/su" ||
	skip_all "cannot write the pam_unix-sufficient su stack"
refused "pam_unix sufficient before the module, wrong password" cbpol wrong
refused "pam_unix sufficient before the module, wrong password" cbchfn wrong
# With the right password pam_unix ends the chain: the module is never
# reached, in authenticate or in setcred.  Recorded, not asserted.
by_user cbpol "$PW" suff-cbpol
diag "pam_unix sufficient, right password: rc $rc, CapBnd $(clients_field suff-cbpol status CapBnd 2>/dev/null) (start $START)"

# Root: auth sufficient pam_rootok.so ends the chain before the module.
clients_pam su "$AUTH" '^@include[[:space:]]+common-auth' ||
	skip_all "cannot copy the stock su stack"
clients_run su cbchfn -c "$CLIENTS_DIR/probe root-cbchfn"
is "$rc" 0 "root su (auth placement only): pam_rootok ends the auth chain, su succeeds"
is "$(clients_field root-cbchfn status CapBnd)" "$START" \
	"root su, auth placement only: the module is not reached, nothing dropped (documented)"

# sudo with the auth placement.  A sudoers copy: cbcaller may run commands
# as cbpol and cbchfn with his password, as cbgec without (NOPASSWD); no
# lecture, no timestamp, no mail; sudo's state directories are private.
if ! { cp -p /etc/sudoers "$CLIENTS_DIR/sudoers" &&
	printf '%s\n' \
		'Defaults lecture=never, timestamp_timeout=0, !mail_badpass' \
		'cbcaller ALL=(cbpol,cbchfn) ALL' \
		'cbcaller ALL=(cbgec) NOPASSWD: ALL' >>"$CLIENTS_DIR/sudoers" &&
	mkdir -m 0711 "$CLIENTS_DIR/run-sudo" &&
	mkdir -m 0700 "$CLIENTS_DIR/lectured"; }; then
	skip_all "cannot make the sudoers copy"
fi
clients_bind "$CLIENTS_DIR/sudoers" /etc/sudoers
clients_bind "$CLIENTS_DIR/run-sudo" /run/sudo
[ ! -d /var/lib/sudo/lectured ] ||
	clients_bind "$CLIENTS_DIR/lectured" /var/lib/sudo/lectured
clients_pam_reset
clients_pam sudo "$AUTH" '^@include[[:space:]]+common-auth' ||
	skip_all "cannot copy the stock sudo stack"

# by_sudo TARGET TAG: cbcaller runs the probe with sudo -u TARGET
by_sudo() {
	clients_run setpriv --reuid=5330 --regid=5330 --init-groups -- \
		expect -f "$TMP/pw.exp" caller-pw \
		sudo -u "$1" "$CLIENTS_DIR/probe" "$2"
	[ "$rc" -ne 99 ] || skip_all "cannot set up the namespaces: $(cat "$TMP/err")"
}

by_sudo cbpol sudo-cbpol
is "$rc" 0 "sudo by a user, password typed: the command ran"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out" "$TMP/err")"
is "$(clients_field sudo-cbpol status CapBnd)" "$want" \
	"sudo by a user, auth placement: setcred dropped net_raw,sys_time"

# A broken policy file fails the authentication (of the invoking user).
chmod 0666 "$CONF"
by_sudo cbpol sudo-ww-cbpol
[ "$rc" -ne 0 ] && [ "$rc" -ne 98 ] && [ "$rc" -ne 124 ] && r=0 || r=1
ok "$r" "sudo by a user, world-writable policy: refused (rc $rc)"
clients_ran sudo-ww-cbpol && r=1 || r=0
ok "$r" "sudo by a user, world-writable policy: nothing ran"
diag "sudo by a user, world-writable policy: rc $rc: $(tr -d '\r' <"$TMP/out" | tr '\n' ' ')"
good_policy

# sudo authenticates the invoking user (PAM_USER cbcaller) and only then
# sets PAM_USER to the target for pam_setcred, whose failure it ignores:
# the target's own GECOS error is not seen in authentication.  Recorded.
by_sudo cbchfn sudo-cbchfn
diag "sudo -u cbchfn (GECOS User,cap_drop,,) by a user, auth placement: rc $rc, ran: $(clients_ran sudo-cbchfn && echo yes || echo no), CapBnd $(clients_field sudo-cbchfn status CapBnd 2>/dev/null)"

# Recorded, not asserted: where no pam_authenticate runs (root, NOPASSWD)
# sudo calls pam_setcred alone and ignores its failure.
clients_run sudo -u cbpol "$CLIENTS_DIR/probe" sudo-root-cbpol
diag "sudo by root, auth placement, clean policy: rc $rc, CapBnd $(clients_field sudo-root-cbpol status CapBnd 2>/dev/null)"
by_sudo cbgec sudo-nopw-cbgec
diag "sudo NOPASSWD, auth placement, clean policy: rc $rc, CapBnd $(clients_field sudo-nopw-cbgec status CapBnd 2>/dev/null)"
chmod 0666 "$CONF"
clients_run sudo -u cbpol "$CLIENTS_DIR/probe" sudo-root-broken
diag "sudo by root, auth placement, world-writable policy: rc $rc, ran: $(clients_ran sudo-root-broken && echo yes || echo no), CapBnd $(clients_field sudo-root-broken status CapBnd 2>/dev/null)"
by_sudo cbgec sudo-nopw-broken
diag "sudo NOPASSWD, auth placement, world-writable policy: rc $rc, ran: $(clients_ran sudo-nopw-broken && echo yes || echo no), CapBnd $(clients_field sudo-nopw-broken status CapBnd 2>/dev/null)"
good_policy

grep -q '^cbpol:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test users"
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"

done_testing
