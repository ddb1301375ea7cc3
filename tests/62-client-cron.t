#!/bin/sh
# End to end with the real cron (Debian's cron 3.0pl1) and Debian's own
# /etc/pam.d/cron plus the administrator's one line, in private mount,
# network and pid namespaces (tests/lib-daemons.sh).  Several `cron -f`
# run at once, one namespace each, so that they all wait for the same
# minute: a good policy (a GECOS user, a policy user, an @group user, a
# control user), each kind of broken policy, and the auth placement.
# Each user's own crontab (a private /var/spool/cron/crontabs) runs
# `* * * * *` a job that saves its /proc/self/status, its ancestors',
# ping's result and a set-user-ID-root copy's view.  The drop lands in
# the job; with a broken policy the job does not run, nor does it under
# Debian's own nsswitch.conf with an /etc/group that cannot be read
# (nss_systemd's "not found" hides the error).
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
skip_slow
# shellcheck source=tests/lib-daemons.sh
. "$TESTS_DIR/lib-daemons.sh"
require_daemon_env
require_cmd cron

START=$(my_bounding)
NORAW=$(mask_without_net_raw)
SYS_PTRACE=19
SYS_ADMIN=21
RECORDS=$(records_stamp)

IDS=$TMP/ids
ids_copy "$IDS"
ids_user "$IDS" cgecos 5401 "Gecos User,,,,cap_drop=net_raw" /
ids_user "$IDS" cpol 5402 "Policy User,,," /
ids_user "$IDS" cgrp 5403 "Group User,,," /
ids_user "$IDS" cfree 5404 "Free User,,," /
ids_group "$IDS" cronners 5499 cgrp
GOOD="# pam_capbound policy of the cron test
cpol	drop=net_raw,sys_ptrace
@cronners	drop=net_raw,sys_admin"

cp /bin/cat "$TMP/suidcat"
chown 0:0 "$TMP/suidcat"
chmod 4755 "$TMP/suidcat"
# The job: OUT/USER.status, .ancestors, .ping, .suid (no % in a crontab).
cat >"$TMP/job.sh" <<EOF
o=\$1/\$(id -un)
cat /proc/self/status >"\$o.status.tmp"
p=\$PPID
while [ "\$p" -gt 1 ]; do
	printf '%s\t%s\n' "\$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/\$p/status)" \
		"\$(tr '\\0' ' ' </proc/\$p/cmdline)"
	p=\$(sed -n 's/^PPid:[[:space:]]*//p' /proc/\$p/status)
done >"\$o.ancestors"
{ ping -c 1 -W 2 127.0.0.1 2>&1; echo ping-rc=\$?; } >"\$o.ping"
$TMP/suidcat /proc/self/status >"\$o.suid"
mv "\$o.status.tmp" "\$o.status"
EOF
chmod 0644 "$TMP/job.sh"

# instance NAME PAM-LINE [AFTER] -- USER...: a cron namespace with its own
# policy $TMP/NAME/capbound.conf (GOOD), stack and crontabs for USERs;
# INSTANCE_BINDS: more SRC:DST bind mounts, words
instance() {
	_i=$1 _line=$2
	shift 2
	_d=$TMP/$_i
	mkdir -p "$_d/crontabs" "$_d/cron.d" "$_d/out"
	chmod 1777 "$_d/out"
	chown 0:crontab "$_d/crontabs" && chmod 1730 "$_d/crontabs"
	: >"$_d/crontab"
	policy "$_d/capbound.conf" "$GOOD"
	_line=$(printf '%s' "$_line" | sed "s|@CONF@|$_d/capbound.conf|")
	if [ "$1" = -- ]; then
		pam_stack cron "$_d/pam.cron" "$_line" || return 1
	else
		pam_stack cron "$_d/pam.cron" "$_line" "$1" || return 1
		shift
	fi
	shift
	for _u in "$@"; do
		printf 'MAILTO=""\n* * * * * sh %s %s\n' "$TMP/job.sh" "$_d/out" \
			>"$_d/crontabs/$_u"
		chown "$(grep "^$_u:" "$IDS/passwd" | cut -d: -f3):crontab" \
			"$_d/crontabs/$_u"
		chmod 0600 "$_d/crontabs/$_u"
	done
	# shellcheck disable=SC2086 # INSTANCE_BINDS: one word each
	ns_start "$_i" "$IDS" "$_d/pam.cron:/etc/pam.d/cron" \
		"$_d/crontabs:/var/spool/cron/crontabs" \
		"$_d/cron.d:/etc/cron.d" "$_d/crontab:/etc/crontab" \
		${INSTANCE_BINDS:-}
}
SESSION="session required $MODULE conf=@CONF@ gecos"
AUTH="auth required $MODULE conf=@CONF@ gecos"
instance good "$SESSION" -- cgecos cpol cgrp cfree ||
	skip_all "cannot set up the mount/network/pid namespaces"
for b in othw notroot parse missing; do
	instance "$b" "$SESSION" -- cgecos cfree || skip_all "namespaces"
done
instance authgood "$AUTH" '^@include common-auth' -- cgecos cpol ||
	skip_all "namespaces"
instance authbad "$AUTH" '^@include common-auth' -- cgecos || skip_all "namespaces"
ALL="good othw notroot parse missing authgood authbad"
# Without libnss_systemd there is no Debian nsswitch.conf to test with.
if debian_nsswitch "$TMP/nsswitch.debian"; then
	INSTANCE_BINDS="$TMP/nsswitch.debian:/etc/nsswitch.conf $EACCES_FILE:/etc/group" \
		instance nogroup "$SESSION" -- cgrp || skip_all "namespaces"
	ALL="$ALL nogroup"
fi
chmod 0666 "$TMP/othw/capbound.conf"
chown 1:1 "$TMP/notroot/capbound.conf"
policy "$TMP/parse/capbound.conf" "$GOOD
cgecos	drop=net_rawx"
rm -f "$TMP/missing/capbound.conf"
chmod 0666 "$TMP/authbad/capbound.conf"

# A cron that started in the last seconds of a minute may let it pass.
s=$(date +%S)
[ "${s#0}" -lt 56 ] || sleep $((61 - ${s#0}))
for i in $ALL; do
	in_ns "$i" cron -f -L 15 >"$TMP/$i.cron.out" 2>&1 &
done
sleep 1
for i in $ALL; do
	eval "cron_pid_$i=\$(in_ns $i cat /run/crond.pid 2>/dev/null)"
done
# stop_crons: each cron by its pid, in its namespace
stop_crons() {
	for _i in $ALL; do
		eval "_p=\${cron_pid_$_i:-}"
		[ -n "$_p" ] && in_ns "$_i" kill "$_p" 2>/dev/null
		eval "cron_pid_$_i="
	done
}
at_exit stop_crons

# Wait for the minute: the good instance's four jobs, the auth one's two.
n=0
while [ $n -lt 75 ]; do
	c=0
	for f in "$TMP/good/out/"*.status "$TMP/authgood/out/"*.status; do
		[ -e "$f" ] && c=$((c + 1))
	done
	[ "$c" -ge 6 ] && break
	n=$((n + 1))
	sleep 1
done
diag "waited ${n}s for the minute's jobs"
# The broken instances had the same minute; give their children a moment.
sleep 2

# job_is INSTANCE USER WANT LABEL
job_is() {
	_o=$TMP/$1/out/$2
	[ -s "$_o.status" ] && r=0 || r=1
	ok "$r" "$4: the job ran"
	like "$(status_field "$_o.status" Uid)" "$(grep "^$2:" "$IDS/passwd" |
		cut -d: -f3)*" "$4: the job runs as $2"
	is "$(status_field "$_o.status" CapBnd)" "$3" "$4: the job's CapBnd"
	is "$(status_field "$_o.suid" CapPrm)" "$3" \
		"$4: set-user-ID root in the job: CapPrm is the bound"
	# The job's parent is the cron child that opened the PAM session.
	is "$(awk -F '\t' '$2 ~ /^sh -c/ { next } { print $1; exit }' \
		"$_o.ancestors" 2>/dev/null)" "$3" \
		"$4: the cron child that opened the session has it too"
	is "$(awk -F '\t' 'index($2, "cron -f") == 1 { print $1 }' \
		"$_o.ancestors" 2>/dev/null | tail -n 1)" "$START" \
		"$4: the cron daemon keeps its whole bounding set"
}
job_is good cgecos "$NORAW" "session, GECOS cap_drop=net_raw"
like "$(cat "$TMP/good/out/cgecos.ping" 2>/dev/null)" "*ping-rc=[1-9]*" \
	"session, GECOS user: ping fails in the job"
like "$(cat "$TMP/good/out/cgecos.ping" 2>/dev/null)" "*Operation not permitted*" \
	"session, GECOS user: ping is refused (Operation not permitted)"
job_is good cpol "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_PTRACE)")" \
	"session, 'cpol drop=net_raw,sys_ptrace'"
job_is good cgrp "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_ADMIN)")" \
	"session, '@cronners drop=net_raw,sys_admin'"
job_is good cfree "$START" "session, control user (no rule)"
like "$(cat "$TMP/good/out/cfree.ping" 2>/dev/null)" "*ping-rc=0*" \
	"session, control: ping works"
like "$(cat "$TMP/good.log")" "*user cgecos: dropped cap_net_raw*" \
	"syslog: the module says what it dropped for cgecos"

job_is authgood cgecos "$NORAW" "auth placement (setcred), GECOS user"
job_is authgood cpol "$(mask_andnot "$START" "$(capmask "$NET_RAW" $SYS_PTRACE)")" \
	"auth placement (setcred), policy user"

# not_run INSTANCE LABEL: no job output at all; what cron and the module said
not_run() {
	is "$(ls "$TMP/$1/out")" "" "$2: no job ran (cgecos, cfree)"
	like "$(cat "$TMP/$1.log")" "*failing closed*" "$2: the module failed closed"
	diag "$2: module: $(grep -m 1 'failing closed' "$TMP/$1.log" |
		sed 's/^<[0-9]*>//')"
	diag "$2: cron: $(grep 'CRON\[' "$TMP/$1.log" | grep -v -e pam_capbound \
		-e pam_unix -e 'CMD (' | sed 's/^<[0-9]*>//' | sort -u -k 5 |
		tr '\n' ' ')"
}
not_run othw "session, world-writable policy"
not_run notroot "session, policy not owned by root"
not_run parse "session, parse error in the policy"
not_run missing "session, missing policy"
not_run authbad "auth placement (setcred), world-writable policy"
NG="session, unreadable /etc/group, Debian's nsswitch.conf"
if [ -d "$TMP/nogroup" ]; then
	is "$(ls "$TMP/nogroup/out")" "" "$NG: cgrp's job did not run"
	like "$(cat "$TMP/nogroup.log")" \
		"*user cgrp: *:[0-9]*: @cronners: group lookup failed: Permission denied: failing closed*" \
		"$NG: the module logs the user, the rule and why"
else
	skip "$NG: cgrp's job did not run" "no libnss_systemd.so.2"
	skip "$NG: the module logs the user" "no libnss_systemd.so.2"
fi

# Stop each cron by its pid; the namespaces go with their holders.
pids_ok=0
for i in $ALL; do
	eval "p=\${cron_pid_$i:-}"
	[ -n "$p" ] || pids_ok=1
done
ok "$pids_ok" "every cron wrote its pid file"
stop_crons
sleep 0.3
left=""
for i in $ALL; do
	in_ns "$i" sh -c 'pidof cron >/dev/null' && left="$left $i"
done
is "$left" "" "every cron stopped by its pid"
ns_stop_all
grep -q '^cgecos:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test users"
is "$(records_stamp)" "$RECORDS" "the real wtmp and lastlog are untouched"
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"

done_testing
