# shellcheck shell=sh
# tests/lib-session.sh - the session table that root's switching clients
# (su and runuser, sudo) share: the same users, policy, drops and broken
# policies, each client on its own stock stack.  Sourced after
# lib-clients.sh; the test defines
#	client NAME USER TAG	NAME runs "$CLIENTS_DIR/probe TAG" as USER
#	pam_line LINE		LINE added to every stack the test covers
#
#   session_setup          the module, the log sink, the account copies and
#                          users, $CONF holding the policy, the session line
#   session_policy         $CONF back to the good policy, root-owned 0644
#   session_lands WHERE CLIENT...
#                          each client's sessions lack exactly what the
#                          policy drops, and the drop landed in the process
#                          named by the ERE WHERE (the client itself)
#   session_refusals CLIENT...
#                          each kind of broken policy stops the session
#   session_end            the real files untouched, then done_testing

# rc: clients_run's; CLIENTS_*: read by lib-clients.sh
# shellcheck disable=SC2034,SC2154
NET_RAW=13 SYS_ADMIN=21 SYS_TIME=25

session_setup() {
	MODULE=$TOP/pam_capbound.so
	[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
	[ -x "$TESTS_DIR/helper-logsink" ] ||
		skip_all "tests/helper-logsink not built"
	CLIENTS_LOG=1
	START=$(my_bounding)
	CONF=$TMP/capbound.conf
	clients_init || skip_all "cannot copy passwd/shadow/group"
	clients_probe_init || skip_all "cannot make the probe"
	if ! { clients_user cbpol 5311 "Policy User,,," &&
		clients_user cbgrp 5312 "Group User,,," &&
		clients_user cbgec 5313 "Gecos User,,,,cap_drop=net_raw" &&
		clients_user cbfree 5314 "Free User,,," &&
		clients_user cbchfn 5315 "Chfn User,cap_drop,," &&
		clients_group cbbuild 5320 cbgrp; }; then
		skip_all "cannot add the test users"
	fi
	SESSION_NSSWITCH=$TMP/nsswitch.debian
	debian_nsswitch "$SESSION_NSSWITCH" || SESSION_NSSWITCH=""
	session_policy
	pam_line "session required $MODULE conf=$CONF gecos"
}

# A rule per kind: a user, an @group, and the user chfn -r broke.
session_policy() {
	rm -f "$CONF"
	printf '%s\n' '# the switching clients test' \
		'cbpol     drop=net_raw,sys_time' \
		'@cbbuild  drop=sys_admin' \
		'cbchfn    drop=all' >"$CONF"
	chown 0:0 "$CONF"
	chmod 0644 "$CONF"
}

# landed CLIENT USER MASK: the session of USER by CLIENT lacks MASK, no more
landed() {
	_t=$1-$2
	client "$1" "$2" "$_t"
	[ "$rc" -ne 99 ] ||
		skip_all "cannot set up the namespaces: $(cat "$TMP/err")"
	_want=$(mask_andnot "$START" "$3")
	is "$rc" 0 "$1 $2: the session ran"
	[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"
	like "$(cat "$CLIENTS_DIR/res/$_t.id" 2>/dev/null)" "uid=*($2)*" \
		"$1 $2: the command runs as $2"
	is "$(clients_field "$_t" status CapBnd)" "$_want" \
		"$1 $2: the command's own CapBnd lacks exactly $3"
	is "$(clients_field "$_t" suid CapPrm)" "$_want" \
		"$1 $2: a set-user-ID-root cat's CapPrm lacks exactly $3"
}

session_lands() {
	_where=$1
	shift
	_nr=$(capmask $NET_RAW)
	for _c in "$@"; do
		landed "$_c" cbpol "$(capmask $NET_RAW $SYS_TIME)"
		landed "$_c" cbgrp "$(capmask $SYS_ADMIN)"
		landed "$_c" cbgec "$_nr"
		like "$(cat "$CLIENTS_DIR/log")" \
			"*pam_capbound($_c:session): user cbgec: dropped cap_net_raw*" \
			"$_c cbgec: the module logs the drop"
		like "$(cat "$CLIENTS_DIR/res/$_c-cbgec.ping")" "*ping-rc=[1-9]*" \
			"$_c cbgec: ping fails without net_raw"
		# The client opened the session and stays the command's
		# ancestor: the drop is in the client process itself.
		like "$(grep -E "^$_where " "$CLIENTS_DIR/res/$_c-cbgec.tree" |
			tail -n 1)" "* * $(mask_andnot "$START" "$_nr")*" \
			"$_c cbgec: the client process itself holds the reduced bound"
		diag "$_c: process tree of the command:" \
			"$(tr '\n' '|' <"$CLIENTS_DIR/res/$_c-cbgec.tree")"
		landed "$_c" cbfree 0000000000000000
		like "$(cat "$CLIENTS_DIR/res/$_c-cbfree.ping")" "*ping-rc=0*" \
			"$_c cbfree: control: ping works"
	done
}

# refused WHAT CLIENT USER: the session must not start
refused() {
	_t=$2-$3-$(echo "$1" | tr -c 'a-z0-9\n' '_')
	client "$2" "$3" "$_t"
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && _r=0 || _r=1
	ok "$_r" "$1: $2 $3 refuses (rc $rc)"
	clients_ran "$_t" && _r=1 || _r=0
	ok "$_r" "$1: $2 $3: the command did not run"
	like "$(cat "$CLIENTS_DIR/log")" "*pam_capbound*failing closed*" \
		"$1: $2 $3: the module logged why"
	diag "$1: $2: rc $rc: $(tr '\n' ' ' <"$TMP/err")"
}

session_refusals() {
	for _c in "$@"; do
		session_policy
		chmod 0666 "$CONF"
		refused "world-writable policy" "$_c" cbpol
		refused "world-writable policy" "$_c" cbfree

		session_policy
		chown 5314:0 "$CONF"
		refused "policy owned by a user" "$_c" cbpol

		rm -f "$CONF"
		mkfifo -m 0644 "$CONF"
		# A module that blocks in open(2) hangs the login: give up
		# early.
		CLIENTS_TIMEOUT=10
		refused "a FIFO at the policy path" "$_c" cbpol
		CLIENTS_TIMEOUT=60

		session_policy
		echo 'cbfree drop=no_such_cap' >>"$CONF"
		refused "a parse error" "$_c" cbpol

		rm -f "$CONF"
		refused "a missing policy" "$_c" cbpol

		session_policy
		refused "GECOS as chfn -r cap_drop writes it" "$_c" cbchfn

		# Debian's own nsswitch.conf answers nss_systemd's "not found"
		# for an /etc/group that cannot be read: cbgrp's @group rule
		# must not silently stop matching (the session would run
		# unbounded: no other line matches him).
		if [ -n "$SESSION_NSSWITCH" ]; then
			clients_bind "$SESSION_NSSWITCH" /etc/nsswitch.conf
			clients_bind "$EACCES_FILE" /etc/group
			refused "an unreadable /etc/group, Debian's nsswitch.conf" \
				"$_c" cbgrp
			like "$(cat "$CLIENTS_DIR/log")" \
				"*user cbgrp: *:[0-9]*: @cbbuild: group lookup failed: Permission denied: failing closed*" \
				"an unreadable /etc/group: $_c cbgrp: the log names the user, the rule and why"
			clients_unbind /etc/group
			clients_unbind /etc/nsswitch.conf
		else
			skip "an unreadable /etc/group: $_c cbgrp refuses" "no libnss_systemd.so.2"
			skip "an unreadable /etc/group: $_c cbgrp: the command did not run" "no libnss_systemd.so.2"
			skip "an unreadable /etc/group: $_c cbgrp: the module logged why" "no libnss_systemd.so.2"
			skip "an unreadable /etc/group: $_c cbgrp: the log names the user" "no libnss_systemd.so.2"
		fi
	done

	# conf= relative: would be resolved against the client's working
	# directory, where the test leaves a valid copy.
	session_policy
	pam_line "session required $MODULE conf=capbound.conf gecos"
	cd "$TMP" || exit 1
	for _c in "$@"; do
		refused "a relative conf= path" "$_c" cbpol
	done
	cd / || exit 1
}

session_end() {
	grep -q '^cbpol:' /etc/passwd && _r=1 || _r=0
	ok "$_r" "the real /etc/passwd never saw the test users"
	is "$(my_bounding)" "$START" "the test's own bounding set is untouched"
	done_testing
}
