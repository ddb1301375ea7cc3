#!/bin/sh
# examples/: the init script starts a real daemon (tests/helper-sleeper)
# through capbound, with and without start-stop-daemon; the daemon's own
# /proc/PID/status shows the user and the sets; stop ends it.  The
# container entrypoint and the systemd unit's ExecStart= run too.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
EX=$TOP/examples
SLEEPER=$TOP/tests/helper-sleeper
[ -x "$SLEEPER" ] || skip_all "tests/helper-sleeper not built (make check builds it)"

nbs=10	# CAP_NET_BIND_SERVICE
want_bnd=$(capmask $nbs)
nobody_uid=$(id -u nobody)

# The daemon, where user nobody can run it.
cp "$SLEEPER" "$TMP/sleeper"
chmod 755 "$TMP/sleeper"

stray=""
kill_stray() { for p in $stray; do kill -KILL "$p" 2>/dev/null; done; }
at_exit kill_stray

# init ARG: the init script with test settings; output to $TMP/out, $rc.
init() {
	run env CAPBOUND="$CAPBOUND" DAEMON="$TMP/sleeper" DAEMON_ARGS="" \
		CAPBOUND_OPTS="--keep=net_bind_service --ambient=net_bind_service --user=nobody" \
		PIDFILE="$TMP/sleeper.pid" START_STOP_DAEMON="$ssd" \
		sh "$EX/capbound.init" "$1"
}

for ssd in "$(command -v start-stop-daemon || true)" ""; do
	how=${ssd:+start-stop-daemon}
	how=${how:-plain sh}
	if [ "$how" = start-stop-daemon ] && [ -z "$ssd" ]; then
		skip "init script with start-stop-daemon" "not installed"
		continue
	fi

	init status
	is "$rc" 3 "$how: status before start: 3 (not running)"
	init start
	is "$rc" 0 "$how: start exits 0"
	pid=$(cat "$TMP/sleeper.pid" 2>/dev/null)
	stray="$stray $pid"
	like "$pid" "[1-9]*" "$how: the pid file holds a pid ($pid)"
	is "$(readlink "/proc/$pid/exe")" "$TMP/sleeper" \
		"$how: that pid is the daemon itself (capbound exec'd it in place)"
	cp "/proc/$pid/status" "$TMP/dstatus" 2>/dev/null
	is "$(status_field "$TMP/dstatus" Uid)" \
		"$nobody_uid	$nobody_uid	$nobody_uid	$nobody_uid" "$how: daemon's Uid: is nobody's, all four"
	is "$(status_field "$TMP/dstatus" CapBnd)" "$want_bnd" \
		"$how: daemon's CapBnd: cap_net_bind_service only"
	is "$(status_field "$TMP/dstatus" CapAmb)" "$want_bnd" \
		"$how: daemon's CapAmb: cap_net_bind_service"
	is "$(status_field "$TMP/dstatus" CapEff)" "$want_bnd" \
		"$how: daemon's CapEff: cap_net_bind_service (from the ambient set)"
	init status
	is "$rc" 0 "$how: status while running: 0"
	like "$(cat "$TMP/out")" "*running (pid $pid)*" "$how: status names the pid"
	init start
	is "$rc" 0 "$how: a second start exits 0"
	is "$(cat "$TMP/sleeper.pid")" "$pid" "$how: ... and starts no second daemon"
	init stop
	is "$rc" 0 "$how: stop exits 0"
	gone=1
	[ -d "/proc/$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$TMP/sleeper" ] && gone=0
	is "$gone" 1 "$how: the daemon is gone"
	ok "$([ ! -e "$TMP/sleeper.pid" ]; echo $?)" "$how: the pid file is removed"
	init status
	is "$rc" 3 "$how: status after stop: 3"
done

# A daemon capbound refuses to start: start fails, no pid file is left.
run env CAPBOUND="$CAPBOUND" DAEMON="$TMP/sleeper" DAEMON_ARGS="" \
	CAPBOUND_OPTS="--user=no-such-user-here" PIDFILE="$TMP/sleeper.pid" \
	START_STOP_DAEMON="" sh "$EX/capbound.init" start
is "$rc" 1 "start fails when capbound refuses (unknown user)"
ok "$([ ! -e "$TMP/sleeper.pid" ]; echo $?)" "... and leaves no pid file"

# The container entrypoint: the command as APP_USER, with APP_KEEP and
# APP_AMBIENT, no_new_privs, exec'd in place.
run env CAPBOUND="$CAPBOUND" APP_USER=nobody APP_KEEP=net_bind_service \
	APP_AMBIENT=net_bind_service sh "$EX/container-entrypoint.sh" \
	cat /proc/self/status
is "$rc" 0 "entrypoint runs the command"
cp "$TMP/out" "$TMP/estatus"
is "$(status_field "$TMP/estatus" Uid | cut -f1)" "$nobody_uid" "entrypoint: Uid nobody"
is "$(status_field "$TMP/estatus" CapBnd)" "$want_bnd" "entrypoint: CapBnd from APP_KEEP"
is "$(status_field "$TMP/estatus" CapAmb)" "$want_bnd" "entrypoint: CapAmb from APP_AMBIENT"
is "$(status_field "$TMP/estatus" NoNewPrivs)" 1 "entrypoint: no_new_privs set"
run env CAPBOUND="$CAPBOUND" sh "$EX/container-entrypoint.sh" cat /proc/self/status
is "$(status_field "$TMP/out" CapBnd)" 0000000000000000 \
	"entrypoint without APP_KEEP: the whole bounding set dropped"
is "$(status_field "$TMP/out" Uid | cut -f1)" 0 "entrypoint without APP_USER: stays root"

# The systemd unit: its ExecStart= command line, with this capbound and a
# harmless command, does what the unit says.
exec_start=$(sed -n 's/^ExecStart=//p' "$EX/capbound.service")
like "$exec_start" "/usr/bin/capbound *-- /usr/sbin/httpd -f" "the unit's ExecStart= runs capbound"
opts=${exec_start#/usr/bin/capbound }
opts=${opts%% -- *}
if id www-data >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	"$CAPBOUND" $opts -- cat /proc/self/status >"$TMP/ustatus" 2>"$TMP/err"
	is "$?" 0 "the unit's options work: $opts"
	is "$(status_field "$TMP/ustatus" Uid | cut -f1)" "$(id -u www-data)" "unit: Uid www-data"
	is "$(status_field "$TMP/ustatus" CapAmb)" "$want_bnd" "unit: CapAmb cap_net_bind_service"
else
	skip "the unit's options" "no user www-data here"
fi

done_testing
