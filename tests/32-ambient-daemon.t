#!/bin/sh
# A real daemon as nobody on port 80: capbound --keep=net_bind_service
# --ambient=net_bind_service --user=nobody binds 127.0.0.1:80 and answers a
# real request; without --ambient the bind fails.  All of it runs in a
# private network namespace, so it never meets the host's port 80.
# SPDX-License-Identifier: GPL-2.0-or-later

# Inner part: run by the outer part under "unshare -n", writes its results
# into DIR for the outer part to check.
if [ "${1:-}" = --in-netns ]; then
	dir=$2 cb=$3 tests=$4
	ip link set lo up 2>"$dir/ip.err" || { echo fail >"$dir/lo"; exit 0; }
	echo up >"$dir/lo"
	cat /proc/sys/net/ipv4/ip_unprivileged_port_start >"$dir/portstart"
	# helper-daemon creates the ready file as nobody: a writable place.
	mkdir "$dir/rw" && chmod 1777 "$dir/rw"

	"$cb" --keep=net_bind_service --ambient=net_bind_service \
		--user=nobody -- "$tests/helper-daemon" 80 "$dir/rw/ready" \
		2>"$dir/daemon.err" &
	pid=$!
	i=0
	while [ ! -e "$dir/rw/ready" ] && [ $i -lt 250 ] &&
		kill -0 $pid 2>/dev/null; do
		sleep 0.02
		i=$((i + 1))
	done
	# The daemon's own status, read while it is listening on port 80.
	cp "/proc/$pid/status" "$dir/daemon.status" 2>/dev/null
	grep -i ' 0100007F:0050 00000000:0000 0A ' /proc/net/tcp \
		>"$dir/listen" 2>/dev/null
	"$tests/helper-client" 80 >"$dir/reply" 2>"$dir/client.err"
	echo $? >"$dir/client.rc"
	wait $pid
	echo $? >"$dir/daemon.rc"

	# The same without --ambient: nobody holds no capability, bind fails.
	"$cb" --keep=net_bind_service --user=nobody -- \
		"$tests/helper-daemon" 80 "$dir/rw/ready2" \
		>/dev/null 2>"$dir/noamb.err"
	echo $? >"$dir/noamb.rc"
	[ -e "$dir/rw/ready2" ] && echo yes >"$dir/noamb.listened"
	exit 0
fi

# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
require_root
for h in helper-daemon helper-client; do
	[ -x "$TESTS_DIR/$h" ] || skip_all "tests/$h is not built"
done
command -v ip >/dev/null 2>&1 || skip_all "needs ip (iproute2)"
unshare -n true 2>/dev/null || skip_all "unshare -n does not work here"

NOBODY_UID=$(id -u nobody)
NBS=$(capmask 10)	# cap_net_bind_service

unshare -n sh "$0" --in-netns "$TMP" "$CAPBOUND" "$TESTS_DIR"
is "$(cat "$TMP/lo")" up "loopback up in the private network namespace"
ok "$([ "$(cat "$TMP/portstart")" -gt 80 ]; echo $?)" \
	"port 80 is privileged there (ip_unprivileged_port_start $(cat "$TMP/portstart"))"

S="$TMP/daemon.status"
is "$(status_field "$S" Uid)" \
	"$NOBODY_UID	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID" \
	"daemon runs as nobody (all four uids)"
is "$(status_field "$S" CapAmb)" "$NBS" "daemon: CapAmb is cap_net_bind_service"
is "$(status_field "$S" CapEff)" "$NBS" "daemon: CapEff is cap_net_bind_service"
is "$(status_field "$S" CapPrm)" "$NBS" "daemon: CapPrm is cap_net_bind_service, nothing more"
is "$(status_field "$S" CapBnd)" "$NBS" "daemon: CapBnd holds only cap_net_bind_service"
ok "$([ -s "$TMP/listen" ]; echo $?)" "the kernel lists 127.0.0.1:80 in LISTEN"
is "$(cat "$TMP/reply")" "hello from uid $NOBODY_UID" \
	"a real request to 127.0.0.1:80 got the daemon's answer"
is "$(cat "$TMP/client.rc")" 0 "client exit 0"
is "$(cat "$TMP/daemon.rc")" 0 "daemon exit 0 (capbound exec'd it: its own status)"

is "$(cat "$TMP/noamb.rc")" 2 "without --ambient: the daemon's bind fails (its exit 2)"
like "$(cat "$TMP/noamb.err")" "*bind: Permission denied*" \
	"without --ambient: bind(127.0.0.1:80) gets EACCES"
is "$(cat "$TMP/noamb.listened" 2>/dev/null)" "" "without --ambient: never listened"

# --ambient outside the daemon: as root, and as a uid with no passwd entry.
capstatus --ambient=net_bind_service
is "$(status_field "$TMP/status" CapAmb):$(status_field "$TMP/status" CapInh)" \
	"$NBS:$NBS" "--ambient as root: CapAmb and CapInh cap_net_bind_service"
capstatus --ambient=net_bind_service,net_raw --user=4000000001 --group=4000000002
is "$rc" 0 "--ambient with a uid without entry: ran"
for set in CapPrm CapEff CapAmb CapInh; do
	is "$(status_field "$TMP/status" $set)" "$(capmask 10 13)" \
		"... $set is net_bind_service,net_raw and nothing else"
done
is "$(status_field "$TMP/status" CapBnd)" "$(my_bounding)" "... CapBnd unchanged"

done_testing
