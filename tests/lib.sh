# shellcheck shell=sh
# tests/lib.sh - TAP helpers for the integration tests, sourced by tests/*.t
# SPDX-License-Identifier: GPL-2.0-or-later

set -u

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TESTS_DIR/.." && pwd)
# The binary under test; make check may point this at another build.
CAPBOUND=${CAPBOUND:-$TOP/capbound}
export CAPBOUND

# Tests that run make (the install tests) start new make invocations:
# they are no part of the outer make's job server (make -jN check), and
# its -w would print "Entering directory" lines into what they read.
# Only the outer make's command-line variables (SHARED_LIBS=1, CC=...)
# are passed on, so the inner make sees the same build.
case ${MAKEFLAGS-} in
*"-- "*) MAKEFLAGS="-- ${MAKEFLAGS#*-- }"; export MAKEFLAGS ;;
*) unset MAKEFLAGS ;;
esac
unset MFLAGS MAKELEVEL

_tap_n=0
_tap_failed=0

# A scratch directory per test file, removed at exit.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/capbound-test.XXXXXX")
chmod 755 "$TMP"
_cleanup_hooks=""
_lib_cleanup() {
	for _h in $_cleanup_hooks; do "$_h"; done
	rm -rf "$TMP"
}
trap _lib_cleanup EXIT
trap 'exit 130' INT TERM
at_exit() { _cleanup_hooks="$_cleanup_hooks $1"; }

ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
		# tools/mutate.sh: the first failure settles it.
		[ "${CAPBOUND_FAIL_FAST:-0}" = 1 ] && exit 1
	fi
}

# todo STATUS NAME REASON: a known failure, reported as TAP TODO (prove
# shows it, it fails nothing); "#" must not appear in NAME.
todo() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2 # TODO $3"
	else
		echo "not ok $_tap_n - $2 # TODO $3"
	fi
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

# like GOT GLOB NAME: case-pattern match
like() {
	# shellcheck disable=SC2254
	case $1 in
	$2) ok 0 "$3" ;;
	*) ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want like: '$2'" ;;
	esac
}

diag() { echo "# $*"; }

skip_all() {
	if [ "${CAPBOUND_MUST_WORK:-0}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - would skip, but CAPBOUND_MUST_WORK=1: $*"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

# skip NAME REASON: one skipped test (a failure under CAPBOUND_MUST_WORK=1)
skip() {
	if [ "${CAPBOUND_MUST_WORK:-0}" = 1 ]; then
		ok 1 "$1 (would skip: $2)"
	else
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $1: $2"
	fi
}

# under_asan: the tests run make sanitize's build.  There faultinject.so
# (ASan-built, preloaded) fights ASan for the allocator, and ASan writes
# warnings to stderr where /proc is hidden; such checks are left to the
# plain make check, which CI also runs.  $TOP/capbound: test 90 points
# CAPBOUND at the static build, which is never sanitized.
under_asan() { ldd "$TOP/capbound" 2>/dev/null | grep libasan >/dev/null; }

# skip_asan NAME: one test left to the plain make check (not a failure
# under CAPBOUND_MUST_WORK=1: that run makes it)
skip_asan() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP $1: not under ASan (the plain make check runs it)"
}

# skip_slow: the slow real-client and package tests run once per CI run
# (in the last make check), not under every build variant: with
# CAPBOUND_SKIP_SLOW=1 they skip, even under CAPBOUND_MUST_WORK=1.
skip_slow() {
	if [ "${CAPBOUND_SKIP_SLOW:-0}" = 1 ]; then
		echo "1..0 # SKIP slow test, run once by CI's main make check"
		exit 0
	fi
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root"
}

require_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip_all "needs $_c"
	done
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}

# status_field FILE KEY: the value of "KEY:\t..." from a saved /proc status
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "$1"
}

# run CMD...: run it, saving stdout to $TMP/out, stderr to $TMP/err, status to $rc
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	# shellcheck disable=SC2034
	rc=$?
}

# The launched command's own view: it reads its /proc/self/status.
# capstatus ARGS... -> $TMP/status (via capbound ARGS -- cat /proc/self/status)
capstatus() {
	"$CAPBOUND" "$@" -- cat /proc/self/status >"$TMP/status" 2>"$TMP/err"
	# shellcheck disable=SC2034
	rc=$?
}

# hex mask of the given capability numbers
capmask() {
	_m=0
	for _c in "$@"; do _m=$((_m | (1 << _c))); done
	printf '%016x\n' "$_m"
}

# Capabilities of the running kernel, as a mask like /proc prints.
kernel_mask() {
	_l=$(cat /proc/sys/kernel/cap_last_cap)
	printf '%016x\n' $(( (1 << (_l + 1)) - 1 ))
}

# mask_and A B, mask_andnot A B, mask_or A B (hex in, hex out)
mask_and() { printf '%016x\n' $(( 0x$1 & 0x$2 )); }
mask_andnot() { printf '%016x\n' $(( 0x$1 & ~0x$2 )); }
mask_or() { printf '%016x\n' $(( 0x$1 | 0x$2 )); }

# debian_nsswitch FILE: Debian 12's nsswitch.conf on a systemd system
# into FILE: libc-bin's template as libnss-systemd's postinst edits it,
# "passwd: files systemd" and "group: files systemd", under which glibc
# answers nss_systemd's "not found" for an /etc/group nss_files could not
# read.  Fails when libnss_systemd.so.2 is not installed (tools/deps.sh
# test installs libnss-systemd).
debian_nsswitch() {
	ldconfig -p | grep -q 'libnss_systemd\.so\.2 ' || return 1
	sed -E 's/^(passwd|group):([[:space:]]+)files$/\1:\2files systemd/' \
		/usr/share/libc-bin/nsswitch.conf >"$1" 2>/dev/null
	grep -q '^group:[[:space:]]*files systemd$' "$1" ||
		printf 'passwd: files systemd\ngroup: files systemd\nshadow: files\n' \
			>"$1"
}
# A file that not even root may open for reading (mode 0200), to
# bind-mount over a database: open(2) fails with EACCES.
# shellcheck disable=SC2034 # used by the tests that source this
EACCES_FILE=/proc/sys/vm/drop_caches

# The bounding set of this shell, as the kernel reports it.
my_bounding() { sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status; }

# set_mask TEXT: a set as capbound writes it ("all", "all -cap_a,cap_b",
# "cap_a,cap_b", "(none)") as a hex mask like /proc prints, using the
# running kernel's names from "capbound --list".
set_mask() {
	"$CAPBOUND" --list | awk -v set="$1" '
	NR > 1 { nr[$2] = $1; last = $1 }
	END {
		m = 0; t = set
		if (t == "(none)") t = ""
		if (t == "all" || substr(t, 1, 5) == "all -") {
			for (i = 0; i <= last; i++) has[i] = 1
			t = (t == "all") ? "" : substr(t, 6); neg = 1
		}
		n = split(t, a, ",")
		for (i = 1; i <= n; i++) {
			if (!(a[i] in nr)) { print "bad:" a[i]; exit 1 }
			has[nr[a[i]]] = neg ? 0 : 1
		}
		hi = 0; lo = 0
		for (i = 0; i <= last; i++) if (has[i]) {
			if (i >= 32) hi += 2 ^ (i - 32); else lo += 2 ^ i
		}
		printf "%08x%08x\n", hi, lo
	}'
}
