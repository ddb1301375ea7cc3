#!/bin/sh
# The real su, su -l, runuser and runuser -l, each on Debian's own stack:
# the stock /etc/pam.d/su (which su-l includes) and /etc/pam.d/runuser
# (which runuser-l includes) with the one line an administrator adds,
#	session required /ABS/pam_capbound.so conf=... gecos
# bind-mounted, with copies of passwd/shadow/group, in private mount and
# network namespaces.  Root switches to: a user with a rule in the file,
# a user matched by an @group rule, a user whose GECOS says cap_drop=, and
# a control user.  The session's own CapBnd and a set-user-ID-root cat's
# CapPrm say whether the drop landed.  Then each kind of broken policy
# must stop the session: non-zero exit and the command did not run.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-clients.sh
. "$TESTS_DIR/lib-clients.sh"

skip_slow
require_root
require_cmd unshare mount su runuser ping ip timeout mkfifo logger
MODULE=$TOP/pam_capbound.so
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
[ -x "$TESTS_DIR/helper-logsink" ] || skip_all "tests/helper-logsink not built"
CLIENTS_LOG=1

NET_RAW=13 SYS_ADMIN=21 SYS_TIME=25
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

# good_policy: root-owned 0644, a rule per kind
good_policy() {
	rm -f "$CONF"
	cat >"$CONF" <<'EOF'
# the su/runuser client test
cbpol     drop=net_raw,sys_time
@cbbuild  drop=sys_admin
cbchfn    drop=all
EOF
	chown 0:0 "$CONF"
	chmod 0644 "$CONF"
}
good_policy

# pam_line LINE: it goes at the end of the stock su and runuser stacks
pam_line() {
	if ! { clients_pam su "$1" && clients_pam runuser "$1"; }; then
		skip_all "cannot copy the stock su/runuser stacks"
	fi
}
pam_line "session required $MODULE conf=$CONF gecos"

# client NAME USER TAG: NAME (su, su-l, runuser, runuser-l) runs the probe
# as USER
client() {
	_p="$CLIENTS_DIR/probe $3"
	case $1 in
	su) clients_run su "$2" -c "$_p" ;;
	su-l) clients_run su -l "$2" -c "$_p" ;;
	runuser) clients_run runuser -u "$2" -- "$CLIENTS_DIR/probe" "$3" ;;
	runuser-l) clients_run runuser -l "$2" -c "$_p" ;;
	esac
}

# landed CLIENT USER MASK: the session of USER by CLIENT lacks MASK, no more
landed() {
	_t=$1-$2
	client "$1" "$2" "$_t"
	[ "$rc" -ne 99 ] || skip_all "cannot set up the namespaces: $(cat "$TMP/err")"
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

NR=$(capmask $NET_RAW)
for c in su su-l runuser runuser-l; do
	landed "$c" cbpol "$(capmask $NET_RAW $SYS_TIME)"
	landed "$c" cbgrp "$(capmask $SYS_ADMIN)"
	landed "$c" cbgec "$NR"
	like "$(cat "$CLIENTS_DIR/log")" \
		"*pam_capbound($c:session): user cbgec: dropped cap_net_raw*" \
		"$c cbgec: the module logs the drop"
	like "$(cat "$CLIENTS_DIR/res/$c-cbgec.ping")" "*ping-rc=[1-9]*" \
		"$c cbgec: ping fails without net_raw"
	# Where it lands: in su/runuser itself, which opened the session
	# and stays as the command's parent.
	like "$(grep -E '^(su|runuser) ' "$CLIENTS_DIR/res/$c-cbgec.tree" | tail -n 1)" \
		"* * $(mask_andnot "$START" "$NR") *" \
		"$c cbgec: the ${c%-l} process itself holds the reduced bound"
	diag "$c: process tree of the command: $(tr '\n' '|' <"$CLIENTS_DIR/res/$c-cbgec.tree")"
	landed "$c" cbfree 0000000000000000
	like "$(cat "$CLIENTS_DIR/res/$c-cbfree.ping")" "*ping-rc=0*" \
		"$c cbfree: control: ping works"
done

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

for c in su su-l runuser runuser-l; do
	good_policy
	chmod 0666 "$CONF"
	refused "world-writable policy" "$c" cbpol
	refused "world-writable policy" "$c" cbfree

	good_policy
	chown 5314:0 "$CONF"
	refused "policy owned by a user" "$c" cbpol

	rm -f "$CONF"
	mkfifo -m 0644 "$CONF"
	# A module that blocks in open(2) hangs the login: give up early.
	CLIENTS_TIMEOUT=10
	refused "a FIFO at the policy path" "$c" cbpol
	CLIENTS_TIMEOUT=60

	good_policy
	echo 'cbfree drop=no_such_cap' >>"$CONF"
	refused "a parse error" "$c" cbpol

	rm -f "$CONF"
	refused "a missing policy" "$c" cbpol

	good_policy
	refused "GECOS as chfn -r cap_drop writes it" "$c" cbchfn
done

# conf= relative: would be resolved against the client's working
# directory, where the test leaves a valid copy.
good_policy
pam_line "session required $MODULE conf=capbound.conf gecos"
cd "$TMP" || exit 1
for c in su su-l runuser runuser-l; do
	refused "a relative conf= path" "$c" cbpol
done
cd / || exit 1

grep -q '^cbpol:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test users"
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"

done_testing
