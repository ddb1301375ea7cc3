#!/bin/sh
# End to end with the real sshd (openssh-server) and Debian's own
# /etc/pam.d/sshd plus the administrator's one line
#	session required pam_capbound.so conf=... gecos
# in private mount, network and pid namespaces (tests/lib-daemons.sh).
# Key logins, with and without a pty: the session, its sshd and sshd's
# [priv] monitor lack what the GECOS property, the user's line or his
# @group's line drops; ping cannot get its raw socket; a set-user-ID-root
# program does not get net_raw back; root reached by su from the session
# does not either.  A broken policy: sshd keeps the connection and runs
# nothing.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
skip_slow
# shellcheck source=tests/lib-daemons.sh
. "$TESTS_DIR/lib-daemons.sh"
require_daemon_env
require_cmd sshd ssh ssh-keygen su

START=$(my_bounding)
NORAW=$(mask_without_net_raw)
SYS_ADMIN=21
SYS_PTRACE=19
PORT=2222
RECORDS=$(records_stamp)

IDS=$TMP/ids
ids_copy "$IDS"
ids_rootpw "$IDS"
mkdir -p "$TMP/home" "$TMP/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/ssh/hostkey" || skip_all "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/ssh/userkey" || skip_all "ssh-keygen"
# user NAME UID GECOS: a test user whose home holds the test key
user() {
	ids_user "$IDS" "$1" "$2" "$3" "$TMP/home/$1"
	mkdir -p "$TMP/home/$1/.ssh"
	cp "$TMP/ssh/userkey.pub" "$TMP/home/$1/.ssh/authorized_keys"
	chmod 0755 "$TMP/home/$1"
	chmod 0700 "$TMP/home/$1/.ssh"
	chmod 0600 "$TMP/home/$1/.ssh/authorized_keys"
	chown -R "$2:$2" "$TMP/home/$1"
}
user sshgecos 5201 "Gecos User,,,,cap_drop=net_raw"
user sshpol 5202 "Policy User,,,"
user sshgrp 5203 "Group User,,,"
user sshfree 5204 "Free User,,,"
ids_group "$IDS" capgrp 5299 sshgrp

CONF=$TMP/capbound.conf
GOOD="# pam_capbound policy of the sshd test
sshpol	drop=net_raw,sys_ptrace
@capgrp	drop=net_raw,sys_admin"
policy "$CONF" "$GOOD"
LINE="session required $MODULE conf=$CONF gecos"
pam_stack sshd "$TMP/pam.sshd" "$LINE" || skip_all "cannot copy /etc/pam.d/sshd"

cat >"$TMP/ssh/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $TMP/ssh/hostkey
PidFile /run/sshd-test.pid
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile .ssh/authorized_keys
PrintMotd no
PrintLastLog no
LogLevel VERBOSE
EOF

# A set-user-ID-root program, made by the test (the directory is 0755).
cp /bin/cat "$TMP/suidcat"
chown 0:0 "$TMP/suidcat"
chmod 4755 "$TMP/suidcat"
# What the session runs: its own view, its ancestors' bounding sets (and
# command lines), ping, the set-user-ID copy.
cat >"$TMP/probe.sh" <<EOF
echo == id; id
echo == status; cat /proc/self/status
echo == ancestors
p=\$PPID
while [ "\$p" -gt 1 ]; do
	printf '%s\t%s\n' "\$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/\$p/status)" \
		"\$(tr '\\0' ' ' </proc/\$p/cmdline)"
	p=\$(sed -n 's/^PPid:[[:space:]]*//p' /proc/\$p/status)
done
echo == ping; ping -c 1 -W 2 127.0.0.1 2>&1; echo ping-rc=\$?
echo == setuid-root; $TMP/suidcat /proc/self/status
echo == end
EOF
chmod 0644 "$TMP/probe.sh"

ns_start sshd "$IDS" "$TMP/pam.sshd:/etc/pam.d/sshd" ||
	skip_all "cannot set up the mount/network/pid namespaces"
in_ns sshd /usr/sbin/sshd -D -e -f "$TMP/ssh/sshd_config" 2>"$TMP/sshd.err" &
n=0
until grep -q 'Server listening' "$TMP/sshd.err" || [ $n -ge 500 ]; do
	n=$((n + 1)); sleep 0.01
done
grep -q 'Server listening' "$TMP/sshd.err" ||
	{ diag "$(cat "$TMP/sshd.err")"; skip_all "sshd did not start"; }
SSHD_PID=$(in_ns sshd cat /run/sshd-test.pid)
# stop_sshd: by its pid, in its namespace, before the holder goes
stop_sshd() {
	[ -n "${SSHD_PID:-}" ] && in_ns sshd kill "$SSHD_PID"
	SSHD_PID=
}
at_exit stop_sshd

# ssh_run USER [SSH-OPTION...] -- CMD: a key login; $TMP/out, $TMP/err, $rc
ssh_run() {
	_user=$1
	shift
	_o=""
	while [ "$1" != -- ]; do _o="$_o $1"; shift; done
	shift
	# shellcheck disable=SC2086 # _o: separate options
	in_ns sshd ssh -F /dev/null -i "$TMP/ssh/userkey" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -p "$PORT" $_o "$_user@127.0.0.1" "$@" \
		</dev/null >"$TMP/out.raw" 2>"$TMP/err"
	rc=$?
	tr -d '\r' <"$TMP/out.raw" >"$TMP/out"
}
# section NAME: one section of the probe's transcript
section() { sed -n "/^== $1\$/,/^== /p" "$TMP/out"; }
# ancestor PREFIX: the CapBnd of the session's ancestor whose command
# line starts with PREFIX
ancestor() {
	section ancestors | awk -F '\t' -v p="$1" \
		'index($2, p) == 1 { print $1; exit }'
}
sfield() { section "$1" >"$TMP/sec"; status_field "$TMP/sec" "$2"; }

# probe USER WANT-BND LABEL [-tt]: log in, run the probe, check the kernel
probe() {
	# shellcheck disable=SC2086 # no fourth argument: no option
	ssh_run "$1" ${4:-} -- sh "$TMP/probe.sh"
	is "$rc" 0 "$3: the key login runs the command (exit 0)"
	[ "$rc" -eq 0 ] ||
		{ diag "$(cat "$TMP/err")"; diag "$(tail -n 20 "$TMP/sshd.err")"; }
	like "$(section id)" "*uid=$(grep "^$1:" "$IDS/passwd" | cut -d: -f3)($1)*" \
		"$3: the session runs as $1"
	is "$(sfield status CapBnd)" "$2" "$3: the session's CapBnd"
	is "$(ancestor "sshd: $1@")" "$2" "$3: the session's sshd (user@tty) too"
	is "$(ancestor "sshd: $1 [priv]")" "$2" \
		"$3: and the monitor ([priv]) where pam_open_session ran"
	is "$(ancestor "sshd: /usr/sbin/sshd -D")" "$START" \
		"$3: the listening sshd keeps its whole bounding set"
	is "$(sfield setuid-root Uid | awk '{print $2}')" 0 \
		"$3: the set-user-ID-root copy ran with euid 0"
	is "$(sfield setuid-root CapPrm)" "$2" \
		"$3: set-user-ID root in the session: CapPrm is the bound"
}

probe sshgecos "$NORAW" "GECOS cap_drop=net_raw, no pty"
like "$(section ping)" "*ping-rc=[1-9]*" "GECOS user: ping fails in the session"
like "$(section ping)" "*Operation not permitted*" \
	"GECOS user: ping is refused (Operation not permitted)"

probe sshgecos "$NORAW" "GECOS cap_drop=net_raw, with a pty (-tt)" -tt
like "$(section ping)" "*ping-rc=[1-9]*" "with a pty: ping fails too"
ssh_run sshgecos -tt -- tty
like "$(cat "$TMP/out")" "/dev/pts/*" "with -tt the session does have a terminal"

probe sshpol "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_PTRACE)")" \
	"policy line 'sshpol drop=net_raw,sys_ptrace'"
like "$(section ping)" "*ping-rc=[1-9]*" "policy user: ping fails"

probe sshgrp "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_ADMIN)")" \
	"'@capgrp drop=net_raw,sys_admin' (a supplementary group)"
like "$(section ping)" "*ping-rc=[1-9]*" "@group user: ping fails"

# The control: no line, no GECOS property: the module leaves it alone.
probe sshfree "$START" "control user (no rule)"
like "$(section ping)" "*ping-rc=0*" "control: ping works"
is "$(sfield setuid-root CapEff)" "$START" \
	"control: set-user-ID root gets net_raw (the test could fail)"

# The listener, read from outside the session.
in_ns sshd cat "/proc/$SSHD_PID/status" >"$TMP/listener"
is "$(status_field "$TMP/listener" CapBnd)" "$START" \
	"the listening sshd still has its whole bounding set"
like "$(cat "$TMP/sshd.log")" "*user sshgecos: dropped cap_net_raw*" \
	"syslog: the module says what it dropped for sshgecos"

# --- The original pam_cap_drop mail: su to root from the dropped session ---
cat >"$TMP/su.exp" <<EOF
set timeout 20
spawn -noecho nsenter -t \$env(HOLDER) -m -n -p -- ssh -F /dev/null -tt \
	-i $TMP/ssh/userkey -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p $PORT \
	sshgecos@127.0.0.1 {su -c "echo == root; cat /proc/self/status; echo == end" root}
expect {
	-nocase "password:" { send "$PW\r" }
	timeout { puts "NO-PROMPT"; exit 97 }
	eof { puts "EOF-BEFORE-PROMPT"; exit 98 }
}
expect eof
catch wait r
exit [lindex \$r 3]
EOF
eval "HOLDER=\$ns_pid_sshd"
HOLDER=$HOLDER expect "$TMP/su.exp" >"$TMP/out.raw" 2>"$TMP/err"
rc=$?
tr -d '\r' <"$TMP/out.raw" >"$TMP/out"
is "$rc" 0 "ssh -tt sshgecos, then su to root with root's password: exit 0"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out" "$TMP/err")"
is "$(sfield root Uid | awk '{print $1}')" 0 "su: the command ran as root"
is "$(sfield root CapBnd)" "$NORAW" "su to root: root's CapBnd lacks net_raw"
is "$(sfield root CapPrm)" "$NORAW" "su to root: root's CapPrm lacks net_raw"
is "$(sfield root CapEff)" "$NORAW" "su to root: root's CapEff lacks net_raw"

# --- A broken policy: the connection stays, nothing runs ---
# (OpenSSH 9.2's session child, when pam_open_session failed, shows the
# messages of the session modules that ran, the motd here, and exits 254.)
# no_run NAME: the command's output is not in the transcript
no_run() {
	grep -q CMD-RAN "$TMP/out" && r=1 || r=0
	ok "$r" "$1"
	[ "$r" -eq 0 ] || diag "$(cat "$TMP/out")"
}
# broken LABEL: a login of each guarded user; none may run a command
broken() {
	for u in sshgecos sshpol; do
		ssh_run "$u" -- echo CMD-RAN
		no_run "$1: $u's command does not run"
		is "$rc" 254 "$1: $u's session exits 254 (sshd: no PAM session)"
	done
	ssh_run sshgecos -tt -- echo CMD-RAN
	no_run "$1: with a pty, nothing runs either"
	diag "$1: sshgecos -tt: ssh rc $rc, stdout: $(tr '\n' ' ' <"$TMP/out")"
	# The control user has no line and no property: with a broken
	# file, every session the module guards fails.
	ssh_run sshfree -- echo CMD-RAN
	no_run "$1: the control user's command does not run"
	like "$(tail -n 30 "$TMP/sshd.err")" "*pam_open_session*" \
		"$1: sshd logs the failed pam_open_session"
	diag "$1: sshd: $(grep pam_open_session "$TMP/sshd.err" | tail -n 1)"
	diag "$1: module: $(grep 'failing closed' "$TMP/sshd.log" | tail -n 1)"
}
chmod 0666 "$CONF"
broken "world-writable policy"
chmod 0644 "$CONF"
chown 1:1 "$CONF"
broken "policy not owned by root"
chown 0:0 "$CONF"
policy "$CONF" "$GOOD
sshpol	drop=net_rawx"
broken "parse error in the policy"
rm -f "$CONF"
broken "missing policy"
mkfifo -m 0644 "$CONF"
broken "a FIFO at the policy path (no hang)"
rm -f "$CONF"
policy "$CONF" "$GOOD"
ssh_run sshgecos -- cat /proc/self/status
is "$(status_field "$TMP/out" CapBnd)" "$NORAW" "a repaired policy: logins work again"

# --- Debian's nsswitch.conf, and an /etc/group that cannot be read ---
# "group: files systemd" answers nss_systemd's "not found" for it: the
# @capgrp rule, sshgrp's only one, must not silently stop matching.
# Bound over in sshd's own namespace for these logins only.
NG="unreadable /etc/group, Debian's nsswitch.conf"
# umount_ours: pop what this part bound, never the namespace's own copies
bound=""
umount_ours() {
	for _m in $bound; do in_ns sshd umount "$_m"; done
	bound=""
}
if debian_nsswitch "$TMP/nsswitch.debian" &&
	in_ns sshd mount --bind "$TMP/nsswitch.debian" /etc/nsswitch.conf &&
	bound=/etc/nsswitch.conf &&
	in_ns sshd mount --bind "$EACCES_FILE" /etc/group &&
	bound="/etc/group $bound"; then
	ssh_run sshgrp -- echo CMD-RAN
	no_run "$NG: sshgrp's command does not run"
	is "$rc" 254 "$NG: sshgrp's session exits 254 (sshd: no PAM session)"
	like "$(tail -n 5 "$TMP/sshd.log")" \
		"*user sshgrp: *:[0-9]*: @capgrp: group lookup failed: Permission denied: failing closed*" \
		"$NG: the module logs the user, the rule and why"
else
	for _i in 1 2 3; do
		skip "$NG" "no libnss_systemd.so.2, or the bind mounts failed"
	done
fi
umount_ours
ssh_run sshgrp -- cat /proc/self/status
is "$(status_field "$TMP/out" CapBnd)" \
	"$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_ADMIN)")" \
	"a readable /etc/group again: sshgrp's login works, bounded"

# --- The auth placement: auth required pam_capbound.so after common-auth ---
# A password login goes through pam_authenticate, which checks the policy
# and fails on any error.  A key login never calls pam_authenticate: sshd
# calls pam_setcred alone, and only debug-logs its failure when PAM did
# not authenticate the user (auth-pam.c, do_pam_setcred).
pam_stack sshd "$TMP/pam.sshd-auth" "auth required $MODULE conf=$CONF gecos" \
	'^@include common-auth' || skip_all "cannot copy /etc/pam.d/sshd"
APORT=$((PORT + 1))
sed -e 's/^PasswordAuthentication no/PasswordAuthentication yes/' \
	-e "s/^Port .*/Port $APORT/" -e 's/sshd-test.pid/sshd-auth.pid/' \
	"$TMP/ssh/sshd_config" >"$TMP/ssh/sshd_config.auth"
ns_start sshdauth "$IDS" "$TMP/pam.sshd-auth:/etc/pam.d/sshd" ||
	skip_all "cannot set up the mount/network/pid namespaces"
in_ns sshdauth /usr/sbin/sshd -D -e -f "$TMP/ssh/sshd_config.auth" \
	2>"$TMP/sshdauth.err" &
n=0
until grep -q 'Server listening' "$TMP/sshdauth.err" || [ $n -ge 500 ]; do
	n=$((n + 1)); sleep 0.01
done
AUTH_PID=$(in_ns sshdauth cat /run/sshd-auth.pid)
stop_sshdauth() {
	[ -n "${AUTH_PID:-}" ] && in_ns sshdauth kill "$AUTH_PID"
	AUTH_PID=
}
at_exit stop_sshdauth
sed -e "s/@APORT@/$APORT/" -e "s/@PW@/$PW/" >"$TMP/pw.exp" <<'EOF'
set timeout 20
spawn -noecho nsenter -t $env(HOLDER) -m -n -p -- ssh -F /dev/null \
	-o PubkeyAuthentication=no -o PreferredAuthentications=password \
	-o NumberOfPasswordPrompts=1 -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p @APORT@ \
	$env(SUSER)@127.0.0.1 {echo CMD-RAN; cat /proc/self/status}
expect {
	-nocase "password:" { send "@PW@\r" }
	timeout { puts "NO-PROMPT"; exit 97 }
	eof { puts "EOF-BEFORE-PROMPT"; exit 98 }
}
expect eof
catch wait r
exit [lindex $r 3]
EOF
# pw_run USER: a password login on the auth-placement sshd
pw_run() {
	eval "HOLDER=\$ns_pid_sshdauth"
	HOLDER=$HOLDER SUSER=$1 expect "$TMP/pw.exp" >"$TMP/out.raw" 2>"$TMP/err"
	rc=$?
	tr -d '\r' <"$TMP/out.raw" >"$TMP/out"
}
# key_run USER CMD: a key login on the auth-placement sshd
key_run() {
	_u=$1
	shift
	in_ns sshdauth ssh -F /dev/null -i "$TMP/ssh/userkey" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -p "$APORT" "$_u@127.0.0.1" "$@" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
pw_run sshgecos
is "$rc" 0 "auth placement, password login: exit 0"
is "$(status_field "$TMP/out" CapBnd)" "$NORAW" \
	"auth placement, password login: CapBnd lacks net_raw"
pw_run sshpol
is "$(status_field "$TMP/out" CapBnd)" \
	"$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_PTRACE)")" \
	"auth placement, password login, policy user: CapBnd"
key_run sshgecos cat /proc/self/status
is "$(status_field "$TMP/out" CapBnd)" "$NORAW" \
	"auth placement, key login (setcred alone): CapBnd lacks net_raw"
chmod 0666 "$CONF"
pw_run sshgecos
no_run "auth placement, world-writable policy: a password login runs nothing"
diag "auth placement, world-writable policy, password login: rc $rc: $(grep -v -e '^$' "$TMP/out" | tr '\n' ' ')"
# Known hole, not the module's to close: sshd goes on after a failed
# pam_setcred for a key login (PAM did not authenticate the user).  The
# session placement is the one for sshd.  TAP TODO: prove passes, and
# says "unexpectedly succeeded" should sshd ever refuse.
key_run sshgecos echo CMD-RAN
grep -q CMD-RAN "$TMP/out" && r=1 || r=0
_tap_n=$((_tap_n + 1))
[ "$r" -eq 0 ] && t="ok" || t="not ok"
echo "$t $_tap_n - auth placement, world-writable policy: a key login runs nothing # TODO sshd ignores a failed pam_setcred after key authentication"
diag "auth placement, world-writable policy, key login: ssh rc $rc, output: $(tr '\n' ' ' <"$TMP/out")"
key_run sshgecos cat /proc/self/status
diag "auth placement, world-writable policy, key login: the command's CapBnd: $(status_field "$TMP/out" CapBnd)"
chmod 0644 "$CONF"
policy "$CONF" "$GOOD
sshpol	drop=net_rawx"
pw_run sshpol
no_run "auth placement, parse error: a password login runs nothing"
policy "$CONF" "$GOOD"
stop_sshdauth
ns_stop sshdauth

pid=$SSHD_PID
stop_sshd
sleep 0.2
is "$(in_ns sshd sh -c "kill -0 $pid 2>/dev/null || echo gone")" gone \
	"sshd stopped by its pid"
ns_stop sshd
grep -q '^sshgecos:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test users"
cmp -s /etc/pam.d/sshd "$TMP/pam.sshd" && r=1 || r=0
ok "$r" "the real /etc/pam.d/sshd is not the test's"
is "$(records_stamp)" "$RECORDS" "the real wtmp and lastlog are untouched"
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"

done_testing
