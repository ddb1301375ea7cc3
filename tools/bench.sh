#!/bin/sh
# tools/bench.sh [CAPBOUND...] - capbound's start-up cost against setpriv,
# capsh, the floor programs (tools/floor, tools/floor-static: only the
# drops, the lookups, the switch and the exec) and a plain exec, in one run.  Needs root (dropping from the
# bounding set needs CAP_SETPCAP), strace, setpriv and capsh,
# then tools/bench-exec (built by make bench) for the timing.
#
# For each launcher it prints:
#   - the system calls made before the command runs: strace -f, every
#     call from the launcher's own execve up to (not including) the
#     execve of /bin/true (capsh -c: bash's execve comes in between and
#     counts);
#   - the wall time above a plain exec of /bin/true (median of RUNS),
# each also as a ratio to setpriv's.  Then the same with --user.
#
# Environment: RUNS (default 1000), WARMUP (default 50), BENCH_USER
# (default nobody), BENCH_STRICT=1 to fail when a target is missed.
# Extra arguments are more capbound binaries to measure (capbound-static).
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-1000}
WARMUP=${WARMUP:-50}
BUSER=${BENCH_USER:-nobody}
STRICT=${BENCH_STRICT:-0}
TRUE=/bin/true

[ $# -gt 0 ] || set -- "$TOP/capbound"

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: dropping from the bounding set needs CAP_SETPCAP"
for t in strace setpriv capsh awk; do
	command -v "$t" >/dev/null 2>&1 || die "needs $t (tools/deps.sh test)"
done
for cb in "$@"; do [ -x "$cb" ] || die "$cb: not built (make)"; done
BENCH_EXEC=${BENCH_EXEC:-$TOP/tools/bench-exec}
[ -x "$BENCH_EXEC" ] || die "$BENCH_EXEC: not built (make tools/bench-exec)"
BGROUP=$(id -gn "$BUSER") || die "no user $BUSER"
FLOOR=$TOP/tools/floor
FLOOR_STATIC=$TOP/tools/floor-static
for f in "$FLOOR" "$FLOOR_STATIC"; do
	[ -x "$f" ] || die "$f: not built (make $f)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/capbound-bench.XXXXXX")
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

# syscalls CMD...: calls before the execve of $TRUE (the launcher's own
# execve counts; strace's "+++ exited" and "--- SIG" lines do not).
syscalls() {
	strace -f -o "$W/trace" "$@" >/dev/null 2>&1 || die "failed under strace: $*"
	awk -v prog="$TRUE" '
		{ sub(/^[0-9]+ +/, "") }
		/^(\+\+\+|---)/ { next }
		NR > 1 && index($0, "execve(\"" prog "\"") == 1 { print n; found = 1; exit }
		{ n++ }
		END { if (!found) exit 1 }' "$W/trace" || die "no execve of $TRUE: $*"
}

# Timing: the median of RUNS runs of each command in $W/cmds, in ms, to
# $W/times.  tools/bench-exec runs them round-robin, so that a load that
# moves (other jobs on the machine) falls on every command alike.
time_all() {
	set --
	while IFS='|' read -r _name cmd; do
		set -- "$@" "$cmd"
	done <"$W/cmds"
	"$BENCH_EXEC" "$RUNS" "$WARMUP" "$@" >"$W/times" || die "timing failed"
}

# table TITLE: measure $W/cmds (first line: plain, second: setpriv).
table() {
	echo
	echo "### $1"
	echo
	: >"$W/counts"
	while IFS='|' read -r name cmd; do
		if [ "$name" = "plain" ]; then
			echo 0 >>"$W/counts"
		else
			# shellcheck disable=SC2086
			syscalls $cmd >>"$W/counts"
		fi
	done <"$W/cmds"
	time_all
	paste -d'|' "$W/cmds" "$W/counts" "$W/times" | awk -F'|' -v top="$TOP/" '
		{ while ((i = index($2, top)) > 0)
			$2 = substr($2, 1, i - 1) "./" substr($2, i + length(top)) }
		NR == 1 { plain = $4; next }
		NR == 2 { sp_calls = $3; sp_time = $4 - plain }
		{ name[NR] = $1; cmd[NR] = $2; calls[NR] = $3; above[NR] = $4 - plain; n = NR }
		$1 == "floor" { fl = $4 - plain }
		$1 == "floor-static" { fls = $4 - plain }
		END {
			printf "| launcher | command | syscalls before exec | ratio | time above plain exec (ms) | ratio | to the floor |\n"
			printf "|---|---|---:|---:|---:|---:|---:|\n"
			for (i = 2; i <= n; i++) {
				f = index(name[i], "static") ? fls : fl
				printf "| %s | `%s` | %d | %.2f | %.3f | %.2f | %.2f |\n", name[i], cmd[i],
				    calls[i], calls[i] / sp_calls, above[i],
				    (sp_time > 0 ? above[i] / sp_time : 0),
				    (f > 0 ? above[i] / f : 0)
			}
			printf "\nplain `/bin/true`: %.3f ms (median of the runs); ratios: to setpriv, and to\n", plain
			printf "tools/floor (tools/floor-static for a static build)\n"
		}'
	paste -d'|' "$W/cmds" "$W/counts" "$W/times" >"$W/result.$2"
}

echo "## capbound start-up, $(date -u +%Y-%m-%d)"
echo
echo "- kernel $(uname -r), $(nproc) CPUs; $(ldd --version | head -n 1)"
echo "- setpriv: $(setpriv --version 2>&1 | head -n 1); capsh: libcap2-bin $(dpkg-query -W -f '${Version}' libcap2-bin 2>/dev/null || echo '?')"
echo "- locale: LANG=${LANG:-} LC_ALL=${LC_ALL:-} (setpriv calls setlocale(); capbound does not)"
echo "- nsswitch: $(grep -E '^(passwd|group):' /etc/nsswitch.conf 2>/dev/null | tr -s ' \t' ' ' | tr '\n' ';')"
echo "- timing: tools/bench-exec, round-robin, $WARMUP warm-up rounds, median of $RUNS runs"

{
	echo "plain|$TRUE"
	echo "setpriv|setpriv --bounding-set=-all $TRUE"
	echo "capsh|capsh --drop=all --shell=$TRUE --"
	echo "capsh via bash|capsh --drop=all -- -c $TRUE"
	echo "floor|$FLOOR -d -- $TRUE"
	echo "floor-static|$FLOOR_STATIC -d -- $TRUE"
	for cb in "$@"; do
		echo "$(basename "$cb")|$cb --drop=all -- $TRUE"
	done
} >"$W/cmds"
table "Drop the whole bounding set" drop

{
	echo "plain|$TRUE"
	echo "setpriv|setpriv --bounding-set=-all --reuid=$BUSER --regid=$BGROUP --init-groups $TRUE"
	echo "capsh|capsh --drop=all --user=$BUSER --shell=$TRUE --"
	echo "floor|$FLOOR -d -u $BUSER -- $TRUE"
	echo "floor-static|$FLOOR_STATIC -d -u $BUSER -- $TRUE"
	for cb in "$@"; do
		echo "$(basename "$cb")|$cb --drop=all --user=$BUSER -- $TRUE"
	done
} >"$W/cmds"
table "The same, switching to user $BUSER" user

# setpriv's count depends on the locale: say so, with its C-locale count.
c_drop=$(LC_ALL=C syscalls setpriv --bounding-set=-all "$TRUE")
c_user=$(LC_ALL=C syscalls setpriv --bounding-set=-all --reuid="$BUSER" \
	--regid="$BGROUP" --init-groups "$TRUE")
echo
echo "With LC_ALL=C setpriv loads no locale and makes $c_drop system calls"
echo "($c_user with --reuid/--regid/--init-groups)."

# The targets of issue 6, for each capbound given.
missed=0
check() {	# check WHAT VALUE LIMIT
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then
		echo "- met: $1 = $2 (at most $3)"
	else
		echo "- MISSED: $1 = $2 (at most $3)"
		missed=1
	fi
}
# ratio FILE NAME FIELD: NAME's value of FIELD (3 calls, 4 time) over
# setpriv's; times less the plain exec's.
ratio() {
	awk -F'|' -v n="$2" -v f="$3" '
		$1 == "plain" { p = $f }
		$1 == "setpriv" { s = $f }
		$1 == n { c = $f }
		END { if (f == 3) p = 0; printf "%.3f", (c - p) / (s - p) }' "$1"
}
for cb in "$@"; do
	name=$(basename "$cb")
	echo
	echo "### Targets (issue 6): $name"
	echo
	check "syscalls before exec, --drop=all" \
		"$(awk -F'|' -v n="$name" '$1 == n { print $3 }' "$W/result.drop")" 110
	check "syscalls with --user, ratio to setpriv" "$(ratio "$W/result.user" "$name" 3)" 0.6
	check "time above plain exec, ratio to setpriv" "$(ratio "$W/result.drop" "$name" 4)" 0.8
	check "the same with --user" "$(ratio "$W/result.user" "$name" 4)" 0.8
done
# The targets of issue 11: each capbound against its own floor.
# floor_ratio FILE NAME FLOOR: NAME's time above plain over FLOOR's.
floor_ratio() {
	awk -F'|' -v n="$2" -v f="$3" '
		$1 == "plain" { p = $4 }
		$1 == f { fl = $4 }
		$1 == n { c = $4 }
		END { printf "%.3f", (c - p) / (fl - p) }' "$1"
}
for cb in "$@"; do
	name=$(basename "$cb")
	fl=floor
	case $name in *static*) fl=floor-static ;; esac
	echo
	echo "### Targets (issue 11): $name, against $fl"
	echo
	check "--drop=all, time above plain exec, ratio to $fl" \
		"$(floor_ratio "$W/result.drop" "$name" "$fl")" 1.10
	check "--drop=all, ratio to setpriv" "$(ratio "$W/result.drop" "$name" 4)" 0.6
	check "--user, ratio to $fl -u" "$(floor_ratio "$W/result.user" "$name" "$fl")" 1.10
done
echo
echo "Reproduce: as root, \`make bench\` (or \`sh tools/bench.sh ./capbound ./capbound-static\`)."
[ "$STRICT" = 1 ] && [ "$missed" = 1 ] && exit 1
exit 0
