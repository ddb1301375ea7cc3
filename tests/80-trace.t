#!/bin/sh
# capbound --trace (issue 14) on real programs: a copy of ping without
# file capabilities, a daemon binding port 80 as nobody, chown of a
# root-owned file, cat of another user's 0600 file, and true.  For each,
# the suggested line, run as it is, makes the program work, and one
# capability fewer makes it fail: asserted on what happened (exit status,
# the port in LISTEN, the file's owner), not on capbound's words.  Then:
# the trace instance is gone afterwards (also after SIGINT), a process
# outside the tree never appears, two traces at once stay apart, --json
# parses, lost events are reported, COMMAND's status is capbound's, and
# without the tracepoint (a fake tracefs) or root the error is one line
# and exit 125.
# Everything runs in private mount and network namespaces: port 80 and
# ping's loopback are the test's own, and the test mounts tracefs at a
# private place to look at the instances.
# SPDX-License-Identifier: GPL-2.0-or-later

# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" != --inner ]; then
	require_root
	require_cmd unshare ip ping perl python3 stat
	for h in helper-daemon helper-client; do
		[ -x "$TESTS_DIR/$h" ] || skip_all "tests/$h is not built"
	done
	unshare -m -n true 2>/dev/null ||
		skip_all "unshare -m -n does not work here"
	unshare -m -n --propagation private sh "$0" --inner
	exit $?
fi

# ---- inside the private namespaces ----------------------------------------

# tracefs at a place of its own, never under $TMP: lib.sh's rm -rf of
# $TMP must never walk into it (an rmdir there removes trace instances).
TFS=$(mktemp -d "${TMPDIR:-/tmp}/capbound-tracefs.XXXXXX")
tracefs_umount() { umount "$TFS" && rmdir "$TFS"; }
if ! mount -t tracefs tracefs "$TFS" 2>"$TMP/mount.err"; then
	rmdir "$TFS"
	skip_all "cannot mount tracefs: $(cat "$TMP/mount.err")"
fi
at_exit tracefs_umount
[ -d "$TFS/events/capability/cap_capable" ] ||
	skip_all "this kernel ($(uname -r)) has no tracepoint capability:cap_capable (Linux 6.14+)"
ip link set lo up || skip_all "cannot bring loopback up in a private network namespace"

B=$TMP/bin
mkdir "$B"
cp /usr/bin/ping "$B/ping"			# cp copies no file capabilities
cp "$(command -v chown)" "$B/unrelated-chown"
cp "$(command -v chown)" "$B/a-chown"
cp "$(command -v cat)" "$B/b-cat"
RW=$TMP/rw					# nobody writes the ready files here
mkdir "$RW" && chmod 1777 "$RW"
NOBODY_UID=$(id -u nobody)
# Every capability the bounding set holds, for the traces as nobody.
ALL=$("$CAPBOUND" --decode="$(my_bounding)")

# section REPORT TITLE: the capabilities the text report lists under TITLE
section() {
	awk -v t="$2" 'index($0, t) == 1 { on = 1; next }
		on && /^$/ { exit }
		on && $1 ~ /^cap_/ { print $1 }' "$1" | sort -u | paste -sd, -
}

# suggested REPORT: the suggested command line of a text report
suggested() { sed -n '/^suggested command line:$/{n;s/^  //;p;}' "$1"; }

# without LIST CAP: the comma list (names without cap_) without CAP
without() { echo "$1" | tr , '\n' | grep -vx "${2#cap_}" | paste -sd, -; }

# run_suggested REPORT [CAP]: run the report's suggested line with this
# build's capbound, with CAP taken out of its --keep and --ambient (an
# empty --keep becomes --drop=all); status in $rc, output in $TMP/out,
# $TMP/err.
run_suggested() {
	_drop=${2:-}
	eval "set -- $(suggested "$1")"
	shift			# "capbound"
	_n=$# _cmd=0
	while [ "$_n" -gt 0 ]; do
		_a=$1
		shift
		_n=$((_n - 1))
		case $_cmd:$_a in
		0:--keep=* | 0:--ambient=*)
			_l=$(without "${_a#*=}" "$_drop")
			if [ -n "$_l" ]; then
				set -- "$@" "${_a%%=*}=$_l"
			elif [ "${_a%%=*}" = --keep ]; then
				set -- "$@" --drop=all
			fi
			;;
		0:--) _cmd=1; set -- "$@" "$_a" ;;
		*) set -- "$@" "$_a" ;;
		esac
	done
	run "$CAPBOUND" "$@"
}

# instances: capbound's trace instances that exist now
instances() {
	for _d in "$TFS"/instances/capbound-*; do
		[ -e "$_d" ] && basename "$_d"
	done | paste -sd' ' -
}

# wait_for FILE [PID]: up to 5 s, or until PID is gone
wait_for() {
	_i=0
	while [ ! -e "$1" ] && [ $_i -lt 250 ]; do
		[ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null && return
		sleep 0.02
		_i=$((_i + 1))
	done
}

# wait_exec PID COMM: until PID's child runs COMM (its exec done), 5 s
wait_exec() {
	_i=0
	while [ $_i -lt 250 ]; do
		tr ' ' '\n' <"/proc/$1/task/$1/children" 2>/dev/null |
			while read -r _c; do
				[ "$(cat "/proc/$_c/comm" 2>/dev/null)" = "$2" ] &&
					echo yes
			done | grep -q yes && return
		sleep 0.02
		_i=$((_i + 1))
	done
}

# ---- ping: net_raw ------------------------------------------------------------

if command -v getcap >/dev/null 2>&1; then
	is "$(getcap "$B/ping")" "" "ping: the copy has no file capabilities"
fi
R=$TMP/ping.report
run "$CAPBOUND" --trace="$R" -- "$B/ping" -c1 -W2 127.0.0.1
is "$rc" 0 "ping: traced as root, ping's own status 0"
is "$(section "$R" needed:)" cap_net_raw "ping: needed: cap_net_raw, nothing else"
like "$(section "$R" denied:)" "*cap_setuid*" \
	"ping: its refused cap_setuid is listed as denied (harmless)"
like "$(section "$R" 'needs nothing:')" "*cap_setpcap*cap_sys_admin*" \
	"ping: capset's setpcap question and the accounting's sys_admin need nothing"
is "$(suggested "$R")" "capbound --keep=net_raw -- $B/ping -c1 -W2 127.0.0.1" \
	"ping: suggested line"
run_suggested "$R"
is "$rc" 0 "ping: the suggested line pings 127.0.0.1"
like "$(cat "$TMP/out")" "*1 received*" "ping: ... and the reply came"
run_suggested "$R" cap_net_raw
is "$rc" 2 "ping: without cap_net_raw it fails (exit 2)"
like "$(cat "$TMP/err")" "*socket: Operation not permitted*" \
	"ping: ... because the raw socket is refused"

# ---- a daemon as nobody on port 80: net_bind_service --------------------------

# daemon REPORT-OR-EMPTY ARGS...: capbound ARGS... -- helper-daemon 80
# READY in the background, one request from helper-client; sets
# $listened (the kernel listed 127.0.0.1:80), $reply, $drc (capbound's
# status).  With a REPORT, --trace=REPORT goes first.
daemon() {
	_r=$1
	shift
	rm -f "$RW/ready"
	if [ -n "$_r" ]; then
		set -- --trace="$_r" "$@"
	fi
	"$CAPBOUND" "$@" -- "$TESTS_DIR/helper-daemon" 80 "$RW/ready" \
		>"$TMP/d.out" 2>"$TMP/d.err" &
	_p=$!
	wait_for "$RW/ready" $_p
	listened=$(grep -ci ' 0100007F:0050 00000000:0000 0A ' /proc/net/tcp)
	reply=$("$TESTS_DIR/helper-client" 80 2>/dev/null)
	wait $_p
	drc=$?
}

R=$TMP/daemon.report
daemon "$R" --user=nobody --ambient="$ALL"
is "$drc" 0 "daemon: traced as nobody with every capability in ambient, exit 0"
is "$reply" "hello from uid $NOBODY_UID" "daemon: ... it answered as nobody"
is "$(section "$R" needed:)" cap_net_bind_service \
	"daemon: needed: cap_net_bind_service, nothing else"
is "$(section "$R" 'other user namespaces:')" "" \
	"daemon: nothing filed under other user namespaces (its network namespace is the host user namespace's)"
is "$(suggested "$R")" "capbound --keep=net_bind_service --ambient=net_bind_service --user=nobody -- $TESTS_DIR/helper-daemon 80 $RW/ready" \
	"daemon: suggested line, for --user=nobody"
diag "the daemon's report:"
sed 's/^/#   /' "$R"
# the suggested options, between "capbound" and "--"
eval "set -- $(suggested "$R" | sed 's/^capbound //; s/ -- .*//')"
daemon "" "$@"
is "$listened:$drc" "1:0" "daemon: the suggested line listens on 127.0.0.1:80, exit 0"
is "$reply" "hello from uid $NOBODY_UID" "daemon: ... and answers as nobody"
daemon "" --drop=all --user=nobody
is "$listened:$drc" "0:2" "daemon: without cap_net_bind_service it never listens (bind fails, exit 2)"
like "$(cat "$TMP/d.err")" "*bind: Permission denied*" "daemon: ... EACCES from bind"

# The same bind refused in a trace as nobody: denied, in its own namespace.
R=$TMP/daemon-denied.report
daemon "$R" --user=nobody
is "$drc" 2 "daemon: traced as nobody without capabilities: the bind fails"
is "$(section "$R" denied:)" cap_net_bind_service \
	"daemon: ... cap_net_bind_service is denied in the command's own namespace"
is "$(section "$R" 'other user namespaces:')" "" \
	"daemon: ... not filed under another user namespace"

# ---- chown nobody FILE: chown ----------------------------------------------------

F=$TMP/owned
: >"$F"
R=$TMP/chown.report
run "$CAPBOUND" --trace="$R" --user=nobody --ambient="$ALL" -- chown nobody "$F"
is "$rc:$(stat -c %U "$F")" "0:nobody" "chown: traced as nobody, the file became nobody's"
is "$(section "$R" needed:)" cap_chown "chown: needed: cap_chown, nothing else"
chown root "$F"
run_suggested "$R"
is "$rc:$(stat -c %U "$F")" "0:nobody" "chown: the suggested line (as nobody) chowns the root-owned file"
chown root "$F"
run_suggested "$R" cap_chown
is "$rc:$(stat -c %U "$F")" "1:root" "chown: without cap_chown it fails, the file stays root's"

# ---- cat of another user's 0600 file: dac_read_search or dac_override --------------

S=$TMP/secret
echo "the secret" >"$S"
chown daemon "$S"
chmod 0600 "$S"
R=$TMP/cat.report
run "$CAPBOUND" --trace="$R" --user=nobody --ambient="$ALL" -- cat "$S"
is "$rc:$(cat "$TMP/out")" "0:the secret" "cat: traced as nobody, it read daemon's 0600 file"
needed=$(section "$R" needed:)
case $needed in cap_dac_override | cap_dac_read_search) r=0 ;; *) r=1 ;; esac
ok $r "cat: needed: cap_dac_read_search or cap_dac_override, only one of them ($needed)"
run_suggested "$R"
is "$rc:$(cat "$TMP/out")" "0:the secret" "cat: the suggested line (as nobody) reads it"
run_suggested "$R" "$needed"
is "$rc:$(cat "$TMP/out")" "1:" "cat: without $needed it fails, nothing read"
like "$(cat "$TMP/err")" "*Permission denied*" "cat: ... EACCES"

# ---- true: nothing ---------------------------------------------------------------

R=$TMP/true.report
run "$CAPBOUND" --trace="$R" -- true
is "$rc" 0 "true: traced, exit 0"
is "$(section "$R" needed:)" "" "true: needed: nothing (cap_sys_admin is not listed)"
is "$(section "$R" 'needs nothing:')" cap_sys_admin \
	"true: cap_sys_admin is shown apart, as needing nothing"
like "$(cat "$R")" "*security_vm_enough_memory_mm*" "true: ... with its kernel caller"
is "$(suggested "$R")" "capbound --drop=all -- true" "true: suggested line"
run_suggested "$R"
is "$rc" 0 "true: the suggested line runs it"
diag "true's report:"
sed 's/^/#   /' "$R"

# ---- the instance, COMMAND's status, SIGINT -------------------------------------

is "$(instances)" "" "no trace instance is left after the traces above"
run "$CAPBOUND" --trace="$TMP/r" -- sh -c 'exit 7'
is "$rc" 7 "COMMAND's exit status is capbound's"
run "$CAPBOUND" --trace="$TMP/r" -- "$TMP/no-such-command"
is "$rc" 127 "a COMMAND not found: 127, as without --trace"

# A background job of a script ignores SIGINT: perl restores it first.
perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
	"$CAPBOUND" --trace="$TMP/int.report" -- sleep 30 2>"$TMP/int.err" &
pid=$!
wait_exec "$pid" sleep
ok "$([ -d "$TFS/instances/capbound-$pid" ]; echo $?)" \
	"SIGINT: while sleep runs, the instance capbound-$pid exists"
start=$(date +%s)
kill -INT "$pid"
wait "$pid"
rc=$?
is "$rc" 130 "SIGINT: passed on to sleep; capbound exits with its status (130)"
ok "$([ $(($(date +%s) - start)) -lt 10 ]; echo $?)" "SIGINT: ... at once"
ok "$([ ! -e "$TFS/instances/capbound-$pid" ]; echo $?)" \
	"SIGINT: the instance is gone afterwards"
like "$(cat "$TMP/int.report")" "*killed by SIGINT*" "SIGINT: the report says so"

# ---- an unrelated process, two traces at once -----------------------------------

: >"$TMP/loop.file"
(
	while [ ! -e "$TMP/loop.stop" ]; do
		"$B/unrelated-chown" root "$TMP/loop.file"
		echo >>"$TMP/loop.count"
	done
) &
loop=$!
stop_loop() { : >"$TMP/loop.stop"; kill "$loop" 2>/dev/null; }
at_exit stop_loop
wait_for "$TMP/loop.count"

Fa=$TMP/a.file
: >"$Fa"
"$CAPBOUND" --trace="$TMP/a.report" -- sh -c \
	"sleep 0.5; \"$B/a-chown\" nobody \"$Fa\"; sleep 0.3" \
	>/dev/null 2>&1 &
pa=$!
"$CAPBOUND" --trace="$TMP/b.report" --user=nobody --ambient="$ALL" -- sh -c \
	"sleep 0.5; \"$B/b-cat\" \"$S\"; sleep 0.3" \
	>"$TMP/b.out" 2>/dev/null &
pb=$!
before=$(wc -l <"$TMP/loop.count")
wait "$pa"
ra=$?
wait "$pb"
rb=$?
after=$(wc -l <"$TMP/loop.count")
stop_loop
wait "$loop" 2>/dev/null
is "$ra:$rb:$(stat -c %U "$Fa"):$(cat "$TMP/b.out")" "0:0:nobody:the secret" \
	"two traces at once: both commands did their work"
ok "$([ "$after" -gt "$before" ]; echo $?)" \
	"an unrelated chown loop ran meanwhile ($before -> $after runs)"
is "$(grep -c unrelated-chown "$TMP/a.report" "$TMP/b.report" | paste -sd' ' -)" \
	"$TMP/a.report:0 $TMP/b.report:0" "the unrelated process appears in neither report"
is "$(grep -c b-cat "$TMP/a.report"):$(grep -c a-chown "$TMP/b.report")" "0:0" \
	"the two traces do not mix: neither shows the other's program"
like "$(grep cap_chown "$TMP/a.report")" "*$B/a-chown*" "trace A shows a-chown's cap_chown"
is "$(section "$TMP/a.report" needed:)" cap_chown "trace A: needed: cap_chown only"
is "$(section "$TMP/b.report" needed:)" "$needed" "trace B: needed: $needed only"
is "$(instances)" "" "no trace instance is left"

# ---- --json ------------------------------------------------------------------

run "$CAPBOUND" --trace="$TMP/r.json" --json -- "$B/ping" -c1 -W2 127.0.0.1
is "$rc" 0 "--json: traced ping"
is "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
need = sorted(c["cap"] for c in d["checks_by_kind"] if c["kind"] == "needed")
print(d["exit_code"], d["lost_events"], ",".join(need),
      ",".join(d["suggested"]["keep"]), d["suggested"]["line"].split(" --")[1])
' "$TMP/r.json" 2>&1)" "0 0 cap_net_raw cap_net_raw keep=net_raw" \
	"--json: parses; exit code, no lost events, cap_net_raw needed and suggested"

# ---- lost events: a tiny buffer (a test-only knob) --------------------------------

# The command stops its tracer (its parent, capbound) while it makes
# 20000 checks, then lets it go on: the reader cannot keep up, whatever
# the machine's speed.  (A busy command alone was not enough: on a fast
# machine the reader kept up with 150000 checks and nothing was lost.)
CAPBOUND_TEST_TRACE_BUFFER_KB=4 run "$CAPBOUND" --trace="$TMP/lost.report" -- \
	python3 -c 'import mmap, os, signal, time
p = os.getppid()
os.kill(p, signal.SIGSTOP)
for _ in range(200):
    with open("/proc/%d/stat" % p) as f:
        state = f.read().rsplit(")", 1)[1].split()[0]
    if state == "T":
        break
    time.sleep(0.01)
with open("/proc/%d/comm" % p) as f:
    print(f.read().strip(), state)
for i in range(20000): mmap.mmap(-1, 4096)
os.kill(p, signal.SIGCONT)'
is "$rc:$(cat "$TMP/out")" "0:capbound T" \
	"lost events: the command stopped its tracer (state T), made 20000 checks"
like "$(sed -n 2p "$TMP/lost.report")" \
	"WARNING: [1-9]* trace events were lost (the trace buffer overran)*" \
	"lost events: the report says how many were lost"
is "$(instances)" "" "no trace instance is left"

# ---- no tracepoint, no root -------------------------------------------------------

# A copy of tracefs's event systems without capability/ (test-only knob).
FAKE=$TMP/fake-tracefs
mkdir -p "$FAKE/instances"
for d in "$TFS"/events/*/; do
	case $d in */capability/) continue ;; esac
	mkdir -p "$FAKE/events/$(basename "$d")"
done
CAPBOUND_TEST_TRACEFS=$FAKE run "$CAPBOUND" --trace -- touch "$TMP/ran"
is "$rc" 125 "no tracepoint: exit 125"
is "$(wc -l <"$TMP/err")" 1 "no tracepoint: one line"
like "$(cat "$TMP/err")" \
	"capbound: --trace: this kernel (Linux *) has no tracepoint capability:cap_capable (*events/capability/cap_capable is missing; Linux 6.14 added it): run the trace on a 6.14 or later kernel, or use bcc's capable(8)*" \
	"no tracepoint: the message says which and what to do"
ok "$([ ! -e "$TMP/ran" ]; echo $?)" "no tracepoint: COMMAND never ran"

run setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$CAPBOUND" --trace -- touch "$RW/ran"
is "$rc:$(wc -l <"$TMP/err")" "125:1" "not root: exit 125, one line"
like "$(cat "$TMP/err")" "capbound: --trace: needs root*" "not root: the message says so"
ok "$([ ! -e "$RW/ran" ]; echo $?)" "not root: COMMAND never ran"

is "$(instances)" "" "at the end, no trace instance of capbound's is left"
done_testing
