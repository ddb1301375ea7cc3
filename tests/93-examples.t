#!/bin/sh
# examples/: the init script starts a real daemon (tests/helper-sleeper)
# through capbound, with and without start-stop-daemon; the daemon's own
# /proc/PID/status shows the user and the sets; a second start starts no
# second daemon, stop ends it; a bad option or a failing step is
# reported in capbound's words.  capbound.1's start-stop-daemon lines,
# the container entrypoint, the Containerfile's exec-form ENTRYPOINT (in
# an empty chroot: capbound-static, passwd, group and a static program)
# and the systemd unit's ExecStart= run too.
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
		PIDFILE="$TMP/sleeper.pid" LOGFILE="$TMP/sleeper.log" \
		START_STOP_DAEMON="$ssd" sh "$EX/capbound.init" "$1"
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

# A daemon capbound refuses to start: start fails with capbound's own
# message, no pid file is left, no daemon runs.
# refuse HOW SSD OPTS [WRAPPER...]: start with CAPBOUND_OPTS=OPTS.
refuse() {
	_how=$1 _ssd=$2 _opts=$3; shift 3
	run "$@" env CAPBOUND="$CAPBOUND" DAEMON="$TMP/sleeper" DAEMON_ARGS="" \
		CAPBOUND_OPTS="$_opts" PIDFILE="$TMP/sleeper.pid" \
		LOGFILE="$TMP/sleeper.log" START_STOP_DAEMON="$_ssd" \
		sh "$EX/capbound.init" start
	is "$rc" 1 "$_how: start fails ($_opts)"
	ok "$([ ! -e "$TMP/sleeper.pid" ]; echo $?)" "$_how: ... and leaves no pid file"
	ok "$(pgrep -x -f "$TMP/sleeper" >/dev/null; [ $? -eq 1 ]; echo $?)" \
		"$_how: ... and no daemon runs"
}
for ssd in "$(command -v start-stop-daemon || true)" ""; do
	how=${ssd:+start-stop-daemon}
	how=${how:-plain sh}
	refuse "$how" "$ssd" "--kep=net_bind_service"
	like "$(cat "$TMP/err")" "*capbound: --kep=net_bind_service: unknown option*" \
		"$how: a bad option: capbound's message on stderr"
	refuse "$how" "$ssd" "--user=no-such-user-here"
	like "$(cat "$TMP/err")" "*capbound: --user: no-such-user-here: no such user*" \
		"$how: an unknown user: capbound's message on stderr"
	# A step that fails only when taken (no CAP_SETPCAP to drop with):
	# capbound's message reaches the terminal through LOGFILE.
	if command -v setpriv >/dev/null 2>&1; then
		refuse "$how" "$ssd" "--drop=net_raw" setpriv --bounding-set=-setpcap \
			--inh-caps=-all
		like "$(cat "$TMP/err")" "*capbound: *[Ss][Ee][Tt][Pp][Cc][Aa][Pp]*" \
			"$how: a failing step: capbound's message on stderr, from LOGFILE"
		[ "$rc" -eq 1 ] || diag "$(cat "$TMP/out" "$TMP/err")"
	else
		skip "$how: a failing step is reported" "no setpriv"
	fi
done

# capbound.1's start-stop-daemon lines, as the page shows them (the
# literal display, continuation lines joined), with the test's daemon,
# pid file, capbound and user.
man_lines() {
	awk '/^\.Bd -literal/ { lit = 1; next } /^\.Ed/ { lit = 0; next }
	lit { print }' "$TOP/capbound.1" | sed -e 's/\\e$/\\/' |
		sed -e ':a' -e '/\\$/N; s/\\\n *//; ta' | grep '^start-stop-daemon '
}
if [ -n "$(command -v start-stop-daemon || true)" ]; then
	man_lines >"$TMP/man-ssd"
	is "$(wc -l <"$TMP/man-ssd" | tr -d ' ')" 2 "capbound.1 shows a start and a stop line"
	sed -e "s|/usr/sbin/httpd|$TMP/sleeper|g" -e "s|/run/httpd.pid|$TMP/man.pid|g" \
		-e "s|/usr/bin/capbound|$CAPBOUND|g" -e "s|www-data|nobody|g" \
		"$TMP/man-ssd" >"$TMP/man-ssd.sh"
	start_line=$(sed -n 1p "$TMP/man-ssd.sh")
	stop_line=$(sed -n 2p "$TMP/man-ssd.sh")
	sh -c "$start_line"
	is "$?" 0 "capbound.1: start exits 0"
	sleep 0.3
	pid=$(cat "$TMP/man.pid" 2>/dev/null)
	stray="$stray $pid"
	is "$(readlink "/proc/$pid/exe" 2>/dev/null)" "$TMP/sleeper" \
		"capbound.1: the pid file holds the daemon's pid"
	cp "/proc/$pid/status" "$TMP/mstatus" 2>/dev/null
	is "$(status_field "$TMP/mstatus" CapBnd)" "$want_bnd" \
		"capbound.1: daemon's CapBnd: cap_net_bind_service only"
	is "$(status_field "$TMP/mstatus" Uid | cut -f1)" "$nobody_uid" "capbound.1: daemon runs as nobody"
	sh -c "$start_line" >"$TMP/out" 2>&1
	is "$?" 1 "capbound.1: a second start exits 1 (already running)"
	is "$(pgrep -c -x -f "$TMP/sleeper -f")" 1 "capbound.1: ... and one daemon runs"
	sh -c "$stop_line"
	is "$?" 0 "capbound.1: stop exits 0 (found the daemon)"
	sleep 0.3
	ok "$(pgrep -x -f "$TMP/sleeper -f" >/dev/null; [ $? -eq 1 ]; echo $?)" \
		"capbound.1: the daemon is gone"
	rm -f "$TMP/man.pid"
else
	skip "capbound.1's start-stop-daemon lines" "no start-stop-daemon"
fi

# The Containerfile: its exec-form ENTRYPOINT and CMD, run as the
# container runtime runs them, in an empty root holding only the static
# capbound, the passwd and group files its comment writes and a static
# program that prints its ids and sets from the syscalls.
CF=$EX/Containerfile
if [ -x "$TOP/capbound-static" ] && [ -x "$TESTS_DIR/helper-capsets" ] &&
	command -v python3 >/dev/null 2>&1 && command -v chroot >/dev/null 2>&1; then
	R=$TMP/scratch
	mkdir -p "$R/etc"
	# COPY lines: capbound-static and app, then passwd and group.
	grep -q '^COPY capbound-static /capbound$' "$CF" &&
		grep -q '^COPY passwd group /etc/$' "$CF" && grep -q '^COPY app /app$' "$CF"
	ok $? "Containerfile copies capbound-static, passwd, group and app"
	grep -q '^FROM scratch$' "$CF"
	ok $? "Containerfile starts FROM scratch"
	cp "$TOP/capbound-static" "$R/capbound"
	cp "$TESTS_DIR/helper-capsets" "$R/app"
	(cd "$R/etc" && sed -n 's/^#   \(printf .*\)$/\1/p' "$CF" | sh)
	is "$(cd "$R" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" \
		"./app ./capbound ./etc/group ./etc/passwd " \
		"the root holds the two programs, passwd and group, nothing else"
	# The exec form: JSON arrays, run without a shell.
	python3 -c 'import json, sys
e = c = None
for line in open(sys.argv[1]):
    if line.startswith("ENTRYPOINT "): e = json.loads(line[11:])
    if line.startswith("CMD "): c = json.loads(line[4:])
sys.stdout.write("\0".join(e + c))' "$CF" >"$TMP/argv"
	ok $? "ENTRYPOINT and CMD are JSON arrays (exec form)"
	xargs -0 chroot "$R" <"$TMP/argv" >"$TMP/cout" 2>"$TMP/cerr"
	is "$?" 0 "chroot: the exec-form line runs: $(tr '\0' ' ' <"$TMP/argv")"
	[ -s "$TMP/cerr" ] && diag "$(cat "$TMP/cerr")"
	app_uid=$(awk -F: '$1 == "app" { print $3 }' "$R/etc/passwd")
	app_gid=$(awk -F: '$1 == "app" { print $4 }' "$R/etc/passwd")
	is "$(sed -n 's/^Uid //p' "$TMP/cout")" "$app_uid $app_uid $app_uid" "the program runs as app (all three uids)"
	is "$(sed -n 's/^Gid //p' "$TMP/cout")" "$app_gid $app_gid $app_gid" "... in app's group"
	is "$(sed -n 's/^CapBnd //p' "$TMP/cout")" "$want_bnd" "CapBnd: cap_net_bind_service only"
	is "$(sed -n 's/^CapAmb //p' "$TMP/cout")" "$want_bnd" "CapAmb: cap_net_bind_service"
	is "$(sed -n 's/^CapEff //p' "$TMP/cout")" "$want_bnd" "CapEff: cap_net_bind_service"
	is "$(sed -n 's/^NoNewPrivs //p' "$TMP/cout")" 1 "no_new_privs set"
else
	skip "the Containerfile's ENTRYPOINT in an empty root" \
		"needs capbound-static, tests/helper-capsets, python3 and chroot"
fi

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
