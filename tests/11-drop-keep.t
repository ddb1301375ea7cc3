#!/bin/sh
# --drop, --keep, both, all: the bounding set the launched command reads
# in its own /proc/self/status; the dropped capabilities also leave its
# permitted, inheritable and ambient sets.  Capabilities the kernel does
# not have: one warning, --quiet silences it.  --verbose: step lines.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setpriv capsh unshare

cur=$(my_bounding)
last=$(cat /proc/sys/kernel/cap_last_cap)
kern=$(kernel_mask)

# field KEY: a Cap* line of the last capstatus
field() { status_field "$TMP/status" "$1"; }

# expect_bnd WANT NAME -- ARGS...: run, then check status and CapBnd
expect_bnd() {
	_want=$1 _name=$2
	shift 3
	capstatus "$@"
	is "$rc" 0 "$_name: exit 0"
	is "$(field CapBnd)" "$_want" "$_name: CapBnd"
	is "$(cat "$TMP/err")" "" "$_name: nothing on stderr"
}

# The test needs these in the starting set to mean anything.
for c in 0 5 13 21; do
	[ "$(mask_and "$cur" "$(capmask $c)")" != 0000000000000000 ] ||
		skip_all "capability $c is not in this shell's bounding set"
done

# --- --drop ----------------------------------------------------------------
expect_bnd "$(mask_andnot "$cur" "$(capmask 13)")" "--drop=net_raw" -- \
	--drop=net_raw
is "$(field CapPrm)" "$(mask_andnot "$cur" "$(capmask 13)")" \
	"--drop=net_raw: root's command has no cap_net_raw permitted"
is "$(field CapEff)" "$(mask_andnot "$cur" "$(capmask 13)")" \
	"--drop=net_raw: nor effective"

expect_bnd "$(mask_andnot "$cur" "$(capmask 13)")" "-d 13" -- -d 13

expect_bnd "$(mask_andnot "$cur" "$(capmask 0 5 13 21)")" \
	"repeated --drop: lists add up" -- \
	-d net_raw --drop=chown,cap_kill -d CAP_SYS_ADMIN

expect_bnd "$(mask_andnot "$cur" "$(capmask 13)")" \
	"the same capability dropped twice" -- -d net_raw -d 13,net_raw

# --- --keep ----------------------------------------------------------------
expect_bnd "$(mask_and "$cur" "$(capmask 0 5)")" "--keep=chown,kill" -- \
	--keep=chown,kill
is "$(field CapPrm)" "$(mask_and "$cur" "$(capmask 0 5)")" \
	"--keep=chown,kill: permitted is cut too"

expect_bnd "$(mask_and "$cur" "$(capmask 0 5 13)")" \
	"repeated --keep: lists add up" -- -k chown -k kill --keep=net_raw

# keep is an intersection with the current set: what is gone stays gone
setpriv --bounding-set=-sys_nice "$CAPBOUND" --keep=sys_nice,chown -- \
	cat /proc/self/status >"$TMP/status" 2>"$TMP/err"
is "$?" 0 "--keep of a capability already gone: exit 0"
is "$(field CapBnd)" "$(mask_and "$cur" "$(capmask 0)")" \
	"--keep=sys_nice,chown without sys_nice: only chown"

# --- --keep with --drop: (current ∩ keep) − drop -------------------------
expect_bnd "$(mask_and "$cur" "$(capmask 0 5)")" \
	"--keep=chown,kill,net_raw --drop=net_raw" -- \
	--keep=chown,kill,net_raw --drop=net_raw
expect_bnd "$(mask_and "$cur" "$(capmask 0)")" \
	"--drop before --keep: same result, order does not matter" -- \
	--drop=kill,sys_admin --keep=chown,kill
expect_bnd "$(mask_andnot "$cur" "$(capmask 13)")" \
	"--keep=all --drop=net_raw" -- --keep=all --drop=net_raw

# --- all ---------------------------------------------------------------------
expect_bnd 0000000000000000 "--drop=all" -- --drop=all
is "$(field CapPrm)" 0000000000000000 "--drop=all: nothing permitted"
is "$(field CapEff)" 0000000000000000 "--drop=all: nothing effective"
expect_bnd "$cur" "--keep=all: unchanged" -- --keep=all
expect_bnd 0000000000000000 "--keep=all --drop=all" -- -k all -d all
expect_bnd "$(mask_and "$cur" "$kern")" "--drop=63 --keep=all" -- \
	-q --keep=all

# --- inheritable and ambient lose the dropped capabilities ---------------
setpriv --inh-caps=+net_raw,+chown,+kill --ambient-caps=+net_raw,+chown \
	"$CAPBOUND" --drop=net_raw -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
is "$?" 0 "--drop=net_raw with net_raw inheritable and ambient: exit 0"
is "$(field CapBnd)" "$(mask_andnot "$cur" "$(capmask 13)")" \
	"  CapBnd without net_raw"
is "$(field CapInh)" "$(capmask 0 5)" "  CapInh: net_raw gone, chown,kill kept"
is "$(field CapAmb)" "$(capmask 0)" "  CapAmb: net_raw gone, chown kept"

# the set-up itself is real: without capbound the sets are there
setpriv --inh-caps=+net_raw,+chown,+kill --ambient-caps=+net_raw,+chown \
	cat /proc/self/status >"$TMP/status"
is "$(field CapAmb)" "$(capmask 0 13)" "  (control: setpriv gives CapAmb net_raw,chown)"

setpriv --inh-caps=+net_raw,+chown,+kill --ambient-caps=+net_raw,+chown \
	"$CAPBOUND" --keep=kill,chown,sys_admin -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
is "$?" 0 "--keep=kill,chown,sys_admin with inheritable/ambient set: exit 0"
is "$(field CapInh)" "$(capmask 0 5)" "  CapInh: only what is kept"
is "$(field CapAmb)" "$(capmask 0)" "  CapAmb: only what is kept"

setpriv --inh-caps=+net_raw,+chown --ambient-caps=+net_raw,+chown \
	"$CAPBOUND" --drop=all -- cat /proc/self/status \
	>"$TMP/status" 2>"$TMP/err"
is "$(field CapInh)$(field CapAmb)" 00000000000000000000000000000000 \
	"--drop=all empties inheritable and ambient"

# --- capabilities the running kernel does not have -------------------------
if [ "$last" -lt 63 ]; then
	beyond=$((last + 1))
	capstatus --drop="$beyond"
	is "$rc" 0 "--drop=$beyond (beyond cap_last_cap $last): exit 0"
	is "$(field CapBnd)" "$cur" "  nothing dropped"
	is "$(wc -l <"$TMP/err" | tr -d ' ')" 1 "  exactly one warning line"
	lastname=$(capsh --decode="$(capmask "$last")" | sed 's/^[^=]*=//')
	like "$(cat "$TMP/err")" "capbound: *cap_$beyond*last is $lastname*" \
		"  naming cap_$beyond and the kernel's last, $lastname"

	capstatus --drop=net_raw,63
	is "$rc" 0 "--drop=net_raw,63: exit 0"
	is "$(field CapBnd)" "$(mask_andnot "$cur" "$(capmask 13)")" \
		"  net_raw dropped"
	is "$(wc -l <"$TMP/err" | tr -d ' ')" 1 "  one warning line"

	capstatus --quiet --drop="$beyond"
	is "$rc" 0 "--quiet --drop=$beyond: exit 0"
	is "$(cat "$TMP/err")" "" "  --quiet: no warning"
	capstatus -q -d "cap_$beyond"
	is "$(cat "$TMP/err")" "" "  -q: no warning"
else
	skip "capability beyond the kernel's last" "cap_last_cap is 63"
fi

# --- no /proc: the kernel's range and the sets from system calls ---------
# In a private mount namespace, /proc is hidden under a tmpfs; a proc
# mounted elsewhere lets the command still read its own status.
# noproc ARGS...: capbound ARGS -- cat <its status>, /proc hidden
noproc() {
	# shellcheck disable=SC2016 # expanded by that sh
	unshare -m --propagation private sh -c '
		mkdir -p "$1/proc2" && mount -t proc proc "$1/proc2" &&
		mount -t tmpfs none /proc || exit 99
		shift
		exec "$@"' sh "$TMP" "$@" >"$TMP/status" 2>"$TMP/err"
	rc=$?
}
if unshare -m --propagation private true 2>/dev/null; then
	noproc "$CAPBOUND" -d net_raw -- cat "$TMP/proc2/self/status"
	is "$rc" 0 "no /proc: --drop=net_raw: exit 0"
	is "$(field CapBnd)" "$(mask_andnot "$cur" "$(capmask 13)")" \
		"  CapBnd without net_raw"
	noproc "$CAPBOUND" -d all -- cat "$TMP/proc2/self/status"
	is "$rc" 0 "no /proc: --drop=all: exit 0"
	is "$(field CapBnd)" 0000000000000000 \
		"  CapBnd empty: the PR_CAPBSET_READ probe found the last capability"
	noproc setpriv --inh-caps=+net_raw,+chown --ambient-caps=+net_raw,+chown \
		"$CAPBOUND" -d net_raw -- cat "$TMP/proc2/self/status"
	is "$rc" 0 "no /proc: --drop=net_raw with inheritable/ambient set: exit 0"
	is "$(field CapInh)/$(field CapAmb)" "$(capmask 0)/$(capmask 0)" \
		"  net_raw gone from inheritable and ambient"
	noproc "$CAPBOUND" --print
	like "$(grep '^last_cap:' "$TMP/status")" "last_cap: *$last (*)" \
		"no /proc: --print's last_cap is still $last"
	if under_asan; then
		skip_asan "no /proc, no ambient set (EINVAL): --drop=net_raw: exit 0"
		skip_asan "  CapBnd without net_raw, the rest kept"
		skip_asan "a forged /proc (tmpfs): --drop=net_raw runs"
		skip_asan "  CapBnd without net_raw: the drop was planned from the kernel's sets"
	else
		# A kernel without an ambient set (before 4.3): PR_CAP_AMBIENT_IS_SET
		# answers EINVAL (faultinject.so says so); the bounding set is still
		# read whole, so the drop is exactly net_raw.
		noproc env FI_FUNC=prctl FI_DETAIL=PR_CAP_AMBIENT_IS_SET FI_ERRNO=EINVAL \
			FI_STICKY=1 LD_PRELOAD="$TESTS_DIR/faultinject.so" \
			"$CAPBOUND" -d net_raw -- cat "$TMP/proc2/self/status"
		is "$rc:$(cat "$TMP/err")" "0:" \
			"no /proc, no ambient set (EINVAL): --drop=net_raw: exit 0"
		is "$(field CapBnd)" "$(mask_andnot "$cur" "$(capmask 13)")" \
			"  CapBnd without net_raw, the rest kept"
		# A /proc that is no procfs: a forged status file on a tmpfs, with
		# the Pid: of the process that reads it (sh execs capbound) and
		# every set empty.  Not trusted: the sets come from the system calls.
		# shellcheck disable=SC2016 # expanded by that sh
		unshare -m --propagation private sh -c '
			mkdir -p "$1/proc2" && mount -t proc proc "$1/proc2" &&
			mount -t tmpfs none /proc && mkdir /proc/thread-self || exit 99
			z=0000000000000000
			printf "Name:\tcapbound\nPid:\t%s\nCapInh:\t%s\nCapPrm:\t%s\nCapEff:\t%s\nCapBnd:\t%s\nCapAmb:\t%s\n" \
				$$ $z $z $z $z $z >/proc/thread-self/status
			shift
			exec "$@"' sh "$TMP" sh -c '"$1" -d net_raw -- cat "$2/proc2/self/status" &&
			"$1" --has=net_raw:permitted' sh "$CAPBOUND" "$TMP" \
			>"$TMP/status" 2>"$TMP/err"
		is "$?:$(cat "$TMP/err")" "0:" \
			"a forged /proc (tmpfs): --drop=net_raw runs, --has=net_raw:permitted says held"
		is "$(field CapBnd)" "$(mask_andnot "$cur" "$(capmask 13)")" \
			"  CapBnd without net_raw: the drop was planned from the kernel's sets"
	fi
else
	for _i in 1 2 3 4; do skip "no /proc" "unshare -m does not work here"; done
fi

# --- --verbose: step lines on stderr ---------------------------------------
capstatus --verbose --drop=net_raw
is "$rc" 0 "--verbose --drop=net_raw: exit 0"
is "$(field CapBnd)" "$(mask_andnot "$cur" "$(capmask 13)")" \
	"  and it did the job"
n=$(wc -l <"$TMP/err" | tr -d ' ')
[ "$n" -ge 2 ]
ok $? "  several lines on stderr ($n)"
grep -v '^capbound: ' "$TMP/err" >"$TMP/notours"
is "$(cat "$TMP/notours")" "" "  every one starts 'capbound: '"
grep -q 'cap_net_raw' "$TMP/err"
ok $? "  the drop step names cap_net_raw"
grep -q 'cat' "$TMP/err"
ok $? "  the exec step names the command"
capstatus --drop=net_raw
is "$(cat "$TMP/err")" "" "without --verbose: stderr is empty"

# --- what a run reads: system calls, no /proc, no name service -------------
# The plan and step 7 read the sets with capget(2) and prctl(2): in a
# process that has just started, one read of /proc/thread-self/status
# costs more than all of those (doc/bench.md).  The ambient set is probed
# only where the kernel allows one: permitted and inheritable.
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=openat,open,read,pread64,connect,prctl \
		-o "$TMP/trace" "$CAPBOUND" --drop=all -- /bin/true
	is "$?" 0 "--drop=all under strace: exit 0"
	sed '/execve("\/bin\/true"/q' "$TMP/trace" >"$TMP/ours"
	is "$(grep -c '/status"' "$TMP/ours")" 0 \
		"  no status file opened: the sets come from capget and prctl"
	is "$(grep -c 'PR_CAP_AMBIENT' "$TMP/ours")" 0 \
		"  no ambient probe: nothing is inheritable"
	_held=0 _c=0
	while [ "$_c" -le "$last" ]; do
		_held=$((_held + (0x$cur >> _c & 1))) _c=$((_c + 1))
	done
	is "$(grep -c 'PR_CAPBSET_DROP' "$TMP/ours")" "$_held" \
		"  one PR_CAPBSET_DROP per capability held ($_held)"
	is "$(grep -c 'cap_last_cap\|nsswitch\|/etc/passwd\|/etc/group\|nscd' "$TMP/ours")" 0 \
		"  no cap_last_cap (libcap's count), no name-service lookup"
	# --has does read the status file: once, and no read only to see
	# end-of-file (CapAmb: ends the read).
	# (LeakSanitizer cannot run under ptrace: not under ASan.)
	if under_asan; then
		skip_asan "--has: one pread of its status, none only to see end-of-file"
	else
		strace -f -qq -e trace=openat,open,read,pread64 -o "$TMP/trace" \
			"$CAPBOUND" --has=net_raw
		is "$?:$(grep -c 'pread64([0-9]*, "Name:' "$TMP/trace"):$(grep -c 'pread64(.*) *= 0$' "$TMP/trace")" \
			"0:1:0" "--has: one pread of its status, none only to see end-of-file"
	fi
else
	for _i in 1 2 3 4 5 6; do skip "what a run reads" "no strace"; done
fi

done_testing
