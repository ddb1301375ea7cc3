#!/bin/sh
# tests/76-state-fallbacks.t - the kernel answers capbound falls back on,
# and the trimming of a caller's ambient and inheritable sets failing,
# each checked on the command's real state (tests/helper-capsets reads
# it with capget(2) and prctl(2), so it works with /proc hidden too):
#   - the last capability, when libcap's count cannot be confirmed
#     (tests/faultinject.so fails that PR_CAPBSET_READ) and
#     /proc/sys/kernel/cap_last_cap is missing or holds junk: the binary
#     search of PR_CAPBSET_READ must find the kernel's real last one, and
#     when nothing answers, capbound stops;
#   - a kernel without an ambient set (before Linux 4.3: PR_CAP_AMBIENT
#     answers EINVAL), with /proc hidden: the bounding set is still read
#     whole, and a read failing after that fails closed;
#   - a caller holding ambient and inheritable capabilities that are
#     dropped: lowering them failing stops capbound, naming the call.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

require_root
require_cmd unshare mount setpriv
FI=$TESTS_DIR/faultinject.so
HELPER=$TESTS_DIR/helper-capsets
[ -f "$FI" ] || skip_all "tests/faultinject.so is not built (make check builds it)"
[ -x "$HELPER" ] || skip_all "tests/helper-capsets is not built"
if ldd "$CAPBOUND" 2>/dev/null | grep -q libasan; then
	echo "1..0 # SKIP under ASan: faultinject.so wraps the allocator"
	exit 0
fi

LAST=$(cat /proc/sys/kernel/cap_last_cap)
FULL=$(my_bounding)
NET_RAW=13 SYS_PTRACE=19
TOUCH=$(command -v touch)
MARK=$TMP/marker
field() { sed -n "s/^$1 //p" "$TMP/out"; }
ran() { if [ -e "$MARK" ]; then echo yes; else echo no; fi; }

# ns HOW ARG CMD...: CMD in a private mount namespace where HOW is
# "lastcap" (ARG bind-mounted over /proc/sys/kernel/cap_last_cap),
# "nosys" (/proc/sys under an empty tmpfs), "noproc" (all of /proc) or
# "fakeproc" (a tmpfs at /proc whose thread-self/status is ARG after the
# right Pid: line: exec keeps the inner shell's pid).
ns() {
	# shellcheck disable=SC2016 # $1.. are the inner shell's
	unshare -m --propagation private sh -c '
		case $1 in
		lastcap) mount --bind "$2" /proc/sys/kernel/cap_last_cap ;;
		nosys) mount -t tmpfs none /proc/sys ;;
		noproc) mount -t tmpfs none /proc ;;
		fakeproc) mount -t tmpfs none /proc && mkdir /proc/thread-self &&
			{ printf "Pid:\t%s\n" $$ && cat "$2"; } \
				>/proc/thread-self/status ;;
		esac || exit 99
		shift 2
		exec "$@"' sh "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# --- the last capability without libcap's count -----------------------
# The first PR_CAPBSET_READ of capbound's is caps_last_cap() confirming
# libcap's count (tests/70-faultinject.t); failed, the file is read, and
# where it cannot be parsed, the binary search runs.  --drop=all then
# empties the whole bounding set: a count taken from the junk (12) would
# leave capabilities 13.. in place and capbound would refuse.
printf '\n' >"$TMP/empty"
printf '12x\n' >"$TMP/junk"
for how in "lastcap $TMP/empty:an empty cap_last_cap" \
    "lastcap $TMP/junk:cap_last_cap holding 12x" \
    "nosys -:no /proc/sys"; do
	what=${how#*:}
	# shellcheck disable=SC2086 # HOW and ARG: two words on purpose
	ns ${how%%:*} env FI_FUNC=prctl FI_DETAIL=PR_CAPBSET_READ FI_NTH=1 \
		FI_ERRNO=EIO LD_PRELOAD="$FI" "$CAPBOUND" --drop=all -- "$HELPER"
	is "$rc:$(field CapBnd):$(cat "$TMP/err")" "0:0000000000000000:" \
		"libcap's count unconfirmed, $what: --drop=all empties the bounding set"
	# shellcheck disable=SC2086
	ns ${how%%:*} env FI_FUNC=prctl FI_DETAIL=PR_CAPBSET_READ FI_NTH=1 \
		FI_ERRNO=EIO LD_PRELOAD="$FI" "$CAPBOUND" --print
	is "$rc:$(sed -n 's/^last_cap: *\([0-9]*\) .*/\1/p' "$TMP/out")" "0:$LAST" \
		"  and --print reports the kernel's last capability, $LAST"
done

# Nothing answers: no /proc/sys and every PR_CAPBSET_READ failing.
rm -f "$MARK"
ns nosys - env FI_FUNC=prctl FI_DETAIL=PR_CAPBSET_READ FI_STICKY=1 \
	FI_ERRNO=EIO LD_PRELOAD="$FI" "$CAPBOUND" --drop=net_raw -- \
	"$TOUCH" "$MARK"
is "$rc:$(ran):$(wc -l <"$TMP/err")" "125:no:1" \
	"no cap_last_cap, PR_CAPBSET_READ failing: exit 125, one line, nothing run"
like "$(cat "$TMP/err")" "capbound: cannot tell the running kernel's last capability (/proc/sys/kernel/cap_last_cap, prctl(PR_CAPBSET_READ)): Input/output error" \
	"  saying so, naming the file and the call it tried"

# --- a kernel without an ambient set -----------------------------------
# The state comes from the system calls; the ambient set is probed only
# for what is permitted and inheritable, so the caller holds chown and
# net_raw inheritable.  Every PR_CAP_AMBIENT_IS_SET answers EINVAL, as
# before Linux 4.3: no ambient set, and the drop goes on.
INH="setpriv --inh-caps=+chown,+net_raw"
# shellcheck disable=SC2086 # INH: words on purpose
ns noproc - $INH env FI_FUNC=prctl FI_DETAIL=PR_CAP_AMBIENT_IS_SET \
	FI_STICKY=1 FI_ERRNO=EINVAL LD_PRELOAD="$FI" "$CAPBOUND" \
	--drop=net_raw,sys_ptrace -- "$HELPER"
is "$rc:$(cat "$TMP/err")" "0:" "no ambient set (EINVAL): the drop runs, silently"
is "$(field CapBnd)" "$(mask_andnot "$FULL" "$(capmask $NET_RAW $SYS_PTRACE)")" \
	"  the command's bounding set lacks exactly net_raw and sys_ptrace"
is "$(field CapAmb):$(field CapInh)" "0000000000000000:$(capmask 0)" \
	"  its ambient set is empty, its inheritable set chown alone"

# Only the first probe may say "no ambient set": EINVAL from the second
# (net_raw, after chown) is an error naming the call and the capability,
# and so is any other errno from the first.
rm -f "$MARK"
# shellcheck disable=SC2086
ns noproc - $INH env FI_FUNC=prctl FI_DETAIL=PR_CAP_AMBIENT_IS_SET FI_NTH=2 \
	FI_ERRNO=EINVAL LD_PRELOAD="$FI" "$CAPBOUND" --drop=sys_ptrace -- \
	"$TOUCH" "$MARK"
is "$rc:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: prctl(PR_CAP_AMBIENT_IS_SET), cap_net_raw: Invalid argument" \
	"the second ambient probe failing EINVAL: exit 125, naming the call and cap_net_raw"
rm -f "$MARK"
# shellcheck disable=SC2086
ns noproc - $INH env FI_FUNC=prctl FI_DETAIL=PR_CAP_AMBIENT_IS_SET \
	FI_ERRNO=EIO LD_PRELOAD="$FI" "$CAPBOUND" --drop=sys_ptrace -- \
	"$TOUCH" "$MARK"
is "$rc:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: prctl(PR_CAP_AMBIENT_IS_SET), cap_chown: Input/output error" \
	"the first ambient probe failing EIO: exit 125, naming the call and cap_chown"

# The same kernel, and every prctl failing from the first
# PR_CAP_AMBIENT_IS_SET on: the reading ends there (no ambient set), and
# the drop that follows fails, naming itself.
# shellcheck disable=SC2086
ns noproc - $INH env FI_COUNT="$TMP/count" LD_PRELOAD="$FI" "$CAPBOUND" \
	--drop=net_raw -- "$HELPER"
nth=$(grep '^prctl' "$TMP/count" | grep -n 'PR_CAP_AMBIENT_IS_SET' |
	sed -n '1s/:.*//p')
rm -f "$MARK"
# shellcheck disable=SC2086
ns noproc - $INH env FI_FUNC=prctl FI_NTH="${nth:-0}" FI_STICKY=1 \
	FI_ERRNO=EINVAL LD_PRELOAD="$FI" "$CAPBOUND" --drop=net_raw -- \
	"$TOUCH" "$MARK"
is "$rc:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: prctl(PR_CAPBSET_DROP), cap_net_raw: Invalid argument" \
	"no ambient set, then the drop failing (prctl #${nth:-?}): exit 125, naming the call and cap_net_raw"

# --- a /proc that is not procfs is not believed -----------------------
# A status file on a tmpfs, of the right Pid:, claiming an empty
# bounding set: believed, it would leave nothing to drop.  capbound reads
# the system calls instead.
{
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		echo "$f:	0000000000000000"
	done
} >"$TMP/status.fake"
ns fakeproc "$TMP/status.fake" "$CAPBOUND" --drop=net_raw -- "$HELPER"
is "$rc:$(field CapBnd):$(cat "$TMP/err")" \
	"0:$(mask_andnot "$FULL" "$(capmask $NET_RAW)"):" \
	"a tmpfs /proc/thread-self/status is ignored: net_raw really dropped"

# --- step 6 finding cap_setpcap gone ----------------------------------
# Step 1 saw cap_setpcap; the capget(2) of step 6 (the second of this
# run: the plan's comes first, and root holds it effective, so step 2
# raises nothing) reports it neither effective nor permitted (FI_RESULT
# flips bit 8 of both): capbound must stop before setting any securebit.
rm -f "$MARK"
env FI_FUNC=capget FI_NTH=2 FI_RESULT="^100,^100," LD_PRELOAD="$FI" \
	"$CAPBOUND" --securebits=noroot -- "$TOUCH" "$MARK" \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: securebits need cap_setpcap: capset, cap_setpcap: Operation not permitted" \
	"cap_setpcap gone by step 6: --securebits stops with 125, naming it"

# --- a caller's ambient and inheritable capabilities -------------------
# The caller holds net_raw in its ambient and inheritable sets, and
# sys_ptrace in its inheritable set; capbound drops both.
PRE="setpriv --inh-caps +net_raw,+sys_ptrace --ambient-caps +net_raw"
# shellcheck disable=SC2086 # $PRE: words on purpose
$PRE "$CAPBOUND" --drop=net_raw,sys_ptrace -- "$HELPER" >"$TMP/out" 2>"$TMP/err"
rc=$?
# shellcheck disable=SC2086
$PRE "$HELPER" >"$TMP/before"
is "$(sed -n 's/^CapInh //p' "$TMP/before"):$(sed -n 's/^CapAmb //p' "$TMP/before")" \
	"$(capmask $NET_RAW $SYS_PTRACE):$(capmask $NET_RAW)" \
	"the caller holds net_raw ambient, net_raw and sys_ptrace inheritable"
is "$rc:$(field CapInh):$(field CapAmb):$(cat "$TMP/err")" \
	"0:0000000000000000:0000000000000000:" \
	"  capbound --drop of both empties the command's inheritable and ambient sets"

# trim NAME FUNC DETAIL ERRNO MSG: that call failing stops capbound with
# exit 125 and the one line MSG (a glob), before the command.
trim() {
	rm -f "$MARK"
	# shellcheck disable=SC2086
	$PRE env FI_FUNC="$2" FI_DETAIL="$3" FI_ERRNO="$4" LD_PRELOAD="$FI" \
		"$CAPBOUND" --drop=net_raw,sys_ptrace -- "$TOUCH" "$MARK" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc:$(ran):$(wc -l <"$TMP/err")" "125:no:1" \
		"$1 failing: exit 125, one line, nothing run"
	like "$(cat "$TMP/err")" "$5" "  $(cat "$TMP/err")"
}
trim "lowering the ambient net_raw" prctl PR_CAP_AMBIENT_LOWER EPERM \
	"capbound: prctl(PR_CAP_AMBIENT_LOWER), cap_net_raw: Operation not permitted"
trim "reading the sets before trimming the inheritable set" capget "" EIO \
	"capbound: capget: Input/output error"
trim "trimming the inheritable set" capset "" EPERM \
	"capbound: capset (inheritable set): Operation not permitted"

done_testing
