#!/bin/sh
# End to end with the real login(1) (Debian's, from shadow) and Debian's own
# /etc/pam.d/login plus the administrator's one line, under a pty (expect),
# in private mount, network and pid namespaces (tests/lib-daemons.sh).
# The session placement with `login -f USER`: the drop lands in the shell,
# ping is refused, a set-user-ID-root program does not get net_raw back;
# each kind of broken policy makes login refuse.  The auth placement with a
# password login: the drop lands; a broken policy, and a GECOS field as
# `chfn -r cap_drop` writes it, refuse the login.  Under Debian's own
# nsswitch.conf ("group: files systemd") an /etc/group that cannot be read
# looks like "no such group": a user whose only rule is an @group rule
# must be refused, not let in unbounded.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
skip_slow
# shellcheck source=tests/lib-daemons.sh
. "$TESTS_DIR/lib-daemons.sh"
require_daemon_env
require_cmd login

START=$(my_bounding)
NORAW=$(mask_without_net_raw)
SYS_PTRACE=19
SYS_ADMIN=21
RECORDS=$(records_stamp)

IDS=$TMP/ids
ids_copy "$IDS"
ids_user "$IDS" lgecos 5301 "Gecos User,,,,cap_drop=net_raw" /
ids_user "$IDS" lpol 5302 "Policy User,,," /
ids_user "$IDS" lfree 5303 "Free User,,," /
# What `chfn -r cap_drop lchfn` writes (Debian lets a user set his room):
# chfn itself cannot rename over a bind-mounted /etc/passwd, hence by hand.
ids_user "$IDS" lchfn 5304 "Chfn User,cap_drop,," /
ids_user "$IDS" lgrp 5305 "Group User,,," /
ids_group "$IDS" lbuild 5320 lgrp

CONF=$TMP/capbound.conf
GOOD="# pam_capbound policy of the login test
lpol	drop=net_raw,sys_ptrace
lchfn	drop=all
@lbuild	drop=sys_admin"
policy "$CONF" "$GOOD"
pam_stack login "$TMP/pam.session" \
	"session required $MODULE conf=$CONF gecos" ||
	skip_all "cannot copy /etc/pam.d/login"
# The auth placement, where an administrator puts it: after common-auth.
pam_stack login "$TMP/pam.auth" "auth required $MODULE conf=$CONF gecos" \
	'^@include common-auth' || skip_all "cannot copy /etc/pam.d/login"

cp /bin/cat "$TMP/suidcat"
chown 0:0 "$TMP/suidcat"
chmod 4755 "$TMP/suidcat"
cat >"$TMP/probe.sh" <<EOF
echo == id; id
echo == status; cat /proc/self/status
echo == ping; ping -c 1 -W 2 127.0.0.1 2>&1; echo ping-rc=\$?
echo == setuid-root; $TMP/suidcat /proc/self/status
echo == end
EOF
chmod 0644 "$TMP/probe.sh"

# The login driver: -f USER, or USER and the password; then the probe.
# Exit: the shell's (login's) status; 3 "Login incorrect"; 97 timeout.
cat >"$TMP/login.exp" <<'EOF'
set timeout 20
if {$env(LMODE) eq "f"} {
	spawn -noecho nsenter -t $env(HOLDER) -m -n -p -- login -f $env(LUSER)
} else {
	spawn -noecho nsenter -t $env(HOLDER) -m -n -p -- login $env(LUSER)
	expect {
		-nocase "password:" { send "$env(LPW)\r" }
		timeout { puts "\nTIMEOUT-NO-PASSWORD-PROMPT"; exit 97 }
		eof { catch wait r; exit [lindex $r 3] }
	}
}
expect {
	-re {\$ $} {
		send "sh $env(PROBE); exit\r"
		expect eof
		catch wait r
		exit [lindex $r 3]
	}
	"Login incorrect" { puts "\nREFUSED"; exit 3 }
	timeout { puts "\nTIMEOUT"; exit 97 }
	eof { catch wait r; exit [lindex $r 3] }
}
EOF

ns_start session "$IDS" "$TMP/pam.session:/etc/pam.d/login" ||
	skip_all "cannot set up the mount/network/pid namespaces"
ns_start auth "$IDS" "$TMP/pam.auth:/etc/pam.d/login" ||
	skip_all "cannot set up the mount/network/pid namespaces"
# Without libnss_systemd there is no Debian nsswitch.conf to test with.
NOGROUP=""
if debian_nsswitch "$TMP/nsswitch.debian"; then
	ns_start nogroup "$IDS" "$TMP/pam.session:/etc/pam.d/login" \
		"$TMP/nsswitch.debian:/etc/nsswitch.conf" "$EACCES_FILE:/etc/group" ||
		skip_all "cannot set up the mount/network/pid namespaces"
	NOGROUP=1
fi

# login_run NS f|pw USER: $TMP/out (no CRs), $rc
login_run() {
	eval "_h=\$ns_pid_$1"
	# shellcheck disable=SC2154 # _h: set by the eval
	HOLDER=$_h LMODE=$2 LUSER=$3 LPW=$PW PROBE=$TMP/probe.sh \
		expect "$TMP/login.exp" >"$TMP/out.raw" 2>"$TMP/err"
	rc=$?
	tr -d '\r' <"$TMP/out.raw" >"$TMP/out"
}
section() { sed -n "/^== $1\$/,/^== /p" "$TMP/out"; }
sfield() { section "$1" >"$TMP/sec"; status_field "$TMP/sec" "$2"; }

# lands NS MODE USER WANT LABEL: the login works and the shell is bounded
lands() {
	login_run "$1" "$2" "$3"
	is "$rc" 0 "$5: login exits 0"
	[ "$rc" -eq 0 ] || diag "$(tail -n 15 "$TMP/out")"
	like "$(section id)" "*($3)*" "$5: the shell runs as $3"
	is "$(sfield status CapBnd)" "$4" "$5: the shell's CapBnd"
	is "$(sfield setuid-root Uid | awk '{print $2}')" 0 \
		"$5: the set-user-ID-root copy ran with euid 0"
	is "$(sfield setuid-root CapPrm)" "$4" \
		"$5: set-user-ID root in the session: CapPrm is the bound"
}
# refused NS MODE USER LABEL: login refuses, nothing runs
refused() {
	login_run "$1" "$2" "$3"
	[ "$rc" -ne 0 ] && r=0 || r=1
	ok "$r" "$4: login fails (rc $rc)"
	grep -q '^== ' "$TMP/out" && r=1 || r=0
	ok "$r" "$4: no shell, nothing ran"
	if [ "$r" -ne 0 ]; then
		diag "$4: the shell ran, CapBnd $(sfield status CapBnd)"
	else
		diag "$4: login rc $rc, says: $(grep -v -e '^$' -e '^Linux' \
			-e 'Debian' -e 'programs included' -e 'distribution terms' \
			-e 'individual files' -e 'permitted by' "$TMP/out" |
			tr '\n' ' ')"
	fi
}

# --- session placement, login -f ---
lands session f lgecos "$NORAW" "login -f, GECOS cap_drop=net_raw"
like "$(section ping)" "*ping-rc=[1-9]*" "login -f, GECOS user: ping fails"
like "$(section ping)" "*Operation not permitted*" \
	"login -f, GECOS user: ping is refused (Operation not permitted)"
lands session f lpol "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_PTRACE)")" \
	"login -f, 'lpol drop=net_raw,sys_ptrace'"
lands session f lfree "$START" "login -f, control user (no rule)"
like "$(section ping)" "*ping-rc=0*" "login -f, control: ping works"
lands session f lgrp "$(mask_andnot "$START" "$(capmask $SYS_ADMIN)")" \
	"login -f, '@lbuild drop=sys_admin', lgrp in lbuild"
like "$(cat "$TMP/session.log")" "*user lgecos: dropped cap_net_raw*" \
	"syslog: the module says what it dropped for lgecos"

# broken_all NS MODE LABEL: each kind of broken policy refuses USER lgecos
broken_all() {
	chmod 0666 "$CONF"
	refused "$1" "$2" lgecos "$3, world-writable policy"
	chmod 0644 "$CONF"
	chown 1:1 "$CONF"
	refused "$1" "$2" lgecos "$3, policy not owned by root"
	chown 0:0 "$CONF"
	policy "$CONF" "$GOOD
lgecos	drop=net_rawx"
	refused "$1" "$2" lgecos "$3, parse error in the policy"
	rm -f "$CONF"
	refused "$1" "$2" lgecos "$3, missing policy"
	mkfifo -m 0644 "$CONF"
	refused "$1" "$2" lgecos "$3, a FIFO at the policy path (no hang)"
	rm -f "$CONF"
	policy "$CONF" "$GOOD"
	diag "$3: module: $(grep 'failing closed' "$TMP/$1.log" | tail -n 1)"
}
broken_all session f "login -f"
# The control user too: with a broken file every guarded session fails.
chmod 0666 "$CONF"
refused session f lfree "login -f, world-writable policy, control user"
chmod 0644 "$CONF"

# --- auth placement, a password login ---
lands auth pw lgecos "$NORAW" "password login, auth placement, GECOS user"
like "$(section ping)" "*ping-rc=[1-9]*" "password login, GECOS user: ping fails"
lands auth pw lpol "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_PTRACE)")" \
	"password login, auth placement, 'lpol drop=net_raw,sys_ptrace'"
lands auth pw lfree "$START" "password login, auth placement, control user"
# Before the fix of issue 10 item 2, these failed open: setcred's
# PAM_CRED_ERR is discarded by libpam after pam_authenticate.
broken_all auth pw "password login, auth placement"
# The GECOS field a user can write himself must not undo 'lchfn drop=all'.
refused auth pw lchfn "password login, auth placement, GECOS 'Chfn User,cap_drop,,'"
like "$(cat "$TMP/auth.log")" "*lchfn*failing closed*" \
	"syslog: the module fails closed on lchfn's GECOS"

# --- Debian's nsswitch.conf, /etc/group unreadable (EACCES) ---
if [ -n "$NOGROUP" ]; then
	refused nogroup f lgrp \
		"login -f, unreadable /etc/group under Debian's nsswitch.conf, lgrp"
	like "$(cat "$TMP/nogroup.log")" "*user lgrp: *:[0-9]*: @lbuild: group lookup failed: Permission denied: failing closed*" \
		"syslog: the module names the user, the rule and why"
	diag "unreadable /etc/group: module: $(grep 'failing closed' "$TMP/nogroup.log" | tail -n 1)"
else
	for _i in 1 2 3; do
		skip "login -f, unreadable /etc/group under Debian's nsswitch.conf" \
			"no libnss_systemd.so.2 (tools/deps.sh test installs libnss-systemd)"
	done
fi

ns_stop session
ns_stop auth
ns_stop nogroup
grep -q '^lgecos:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test users"
is "$(records_stamp)" "$RECORDS" "the real wtmp and lastlog are untouched"
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"

done_testing
