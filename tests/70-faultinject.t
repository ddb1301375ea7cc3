#!/bin/sh
# tests/70-faultinject.t - every call capbound makes on the way to exec,
# made to fail in turn (tests/faultinject.so, LD_PRELOAD): each failure must
# end in 125 (126/127 for the exec itself), with exactly one "capbound: ..."
# line on stderr that names the call and its object, and the command must
# not run.  Each scenario runs twice: with /proc, and with /proc hidden
# (the state then comes from capget(2) and prctl(2)).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

require_root
FI=$TESTS_DIR/faultinject.so
[ -f "$FI" ] || skip_all "tests/faultinject.so is not built (make check builds it)"
# faultinject.so wraps malloc and friends, which ASan owns: under make
# sanitize the tables cannot run (the plain make check runs them).
if ldd "$CAPBOUND" 2>/dev/null | grep -q libasan; then
	echo "1..0 # SKIP under ASan: faultinject.so wraps the allocator"
	exit 0
fi
if ! getent passwd nobody >/dev/null || ! getent group nogroup >/dev/null ||
    ! getent group users >/dev/null; then
	skip_all "needs user nobody and groups nogroup, users"
fi

TOUCH=$(command -v touch)
# Writable by nobody too: the --user runs must be able to leave it.
mkdir "$TMP/m" && chmod 1777 "$TMP/m"
MARK=$TMP/m/marker
points=0
failures=0

# The errno a call fails with: what the kernel or NSS would plausibly say.
errno_for() {
	case $1 in
	getpw*|getgr*|getres*|capget|fflush|write) echo EIO ;;
	*_READ|*_GET_*|*_IS_SET) echo EIO ;;
	malloc|calloc|realloc|reallocarray|strdup|strndup) echo ENOMEM ;;
	*) echo EPERM ;;
	esac
}

# The text of an errno, as strerror(3) words it.
errtext() {
	case $1 in
	EPERM) echo "Operation not permitted" ;;
	EIO) echo "Input/output error" ;;
	ENOMEM) echo "Cannot allocate memory" ;;
	EACCES) echo "Permission denied" ;;
	ENOENT) echo "No such file or directory" ;;
	*) echo "*" ;;
	esac
}

NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)

# msg_for FUNC DETAIL ERRNO: the one line capbound must print, as a glob:
# the call that failed, its object, and the errno's text.  The identity
# steps are named by the step (setresuid(UID)) whichever of its calls,
# the switch or its read-back, failed.
msg_for() {
	_t=$(errtext "$3")
	case $1:$2 in
	prctl:PR_CAPBSET_DROP|prctl:PR_CAPBSET_READ|prctl:PR_CAP_AMBIENT_*)
		echo "capbound: prctl($2), cap_[a-z0-9]*: $_t" ;;
	prctl:PR_SET_KEEPCAPS) echo "capbound: prctl(PR_SET_KEEPCAPS, [01]): $_t" ;;
	prctl:PR_SET_SECUREBITS) echo "capbound: prctl(PR_SET_SECUREBITS, 0x*): $_t" ;;
	prctl:*) echo "capbound: prctl($2): $_t" ;;
	capget:*) echo "capbound: *capget*: $_t" ;;
	capset:*) echo "capbound: *capset*: $_t" ;;
	setgroups:*|getgroups:*) echo "capbound: setgroups(*): $_t" ;;
	setresgid:*|getresgid:*) echo "capbound: [gs]etresgid*: $_t" ;;
	getresuid:any_root) echo "capbound: getresuid: $_t" ;;
	setresuid:*|getresuid:*) echo "capbound: setresuid($NOBODY_UID): $_t" ;;
	getpwnam_r:*) echo "capbound: --user: looking up nobody: $_t" ;;
	getpwuid_r:*) echo "capbound: --reset-env: looking up uid 0: $_t" ;;
	getgrnam_r:*) echo "capbound: --groups: looking up [a-z]*: $_t" ;;
	getgrouplist:*) echo "capbound: --user: *nobody*" ;;
	execve:*) echo "capbound: $TOUCH: $_t*" ;;
	setsid:*) echo "capbound: setsid: $_t" ;;
	malloc:*|calloc:*|realloc:*|strdup:*|strndup:*|reallocarray:*)
		echo "capbound: *: $_t" ;;
	*) echo "capbound: [!\ ]*" ;;
	esac
}

# Allocations made by the libcap and popt that capbound carries inside
# (the FI_COUNT detail is the function asking): theirs to handle.
foreign() {
	case $1 in
	popt*|expandNextArg|_libcap*|cap_*|lib*|_*|'?') return 0 ;;
	esac
	return 1
}

# NOPROC=1: run capbound with /proc hidden under a tmpfs in a private
# mount namespace (as tests/11-drop-keep.t does).  A run reads its state
# with capget(2) and prctl(2) either way (the cheaper at start-up); the
# tables run in both so that no step comes to lean on /proc unseen.  The
# PAM module does read /proc: tests/75-pam-faultinject.t.  The command
# touches $MARK.  $PRE:
# a command prefix that sets the caller up (setpriv ...).
NOPROC=0
PRE=
run_cb() {
	if [ "$NOPROC" = 1 ]; then
		# shellcheck disable=SC2086 # $PRE: words on purpose
		unshare -m --propagation private sh -c \
			'mount -t tmpfs none /proc || exit 99; exec "$@"' sh \
			$PRE env LD_PRELOAD="$FI" "$CAPBOUND" "$@" -- "$TOUCH" \
			"$MARK" </dev/null >"$TMP/out" 2>"$TMP/err"
	else
		# shellcheck disable=SC2086
		$PRE env LD_PRELOAD="$FI" "$CAPBOUND" "$@" -- "$TOUCH" "$MARK" \
			</dev/null >"$TMP/out" 2>"$TMP/err"
	fi
}
mode() { if [ "$NOPROC" = 1 ]; then echo "no /proc"; else echo "/proc"; fi; }
ran() { if [ -e "$MARK" ]; then echo yes; else echo no; fi; }

# inject NAME FUNC DETAIL NTH ERRNO STICKY WANT_RC MSGKEY ARGS...
# MSGKEY: the detail msg_for() words the message by (default DETAIL).
inject() {
	_name=$1 _func=$2 _opt=$3 _nth=$4 _err=$5 _sticky=$6 _want=$7
	_key=${8:-$3}
	shift 8
	rm -f "$MARK"
	FI_FUNC=$_func FI_DETAIL=$_opt FI_NTH=$_nth FI_ERRNO=$_err \
		FI_STICKY=$_sticky run_cb "$@"
	_rc=$?
	_lines=$(wc -l <"$TMP/err")
	_what="$(mode): $_name: $_func${_opt:+($_opt)} #$_nth fails ($_err)"
	_msg=$(msg_for "$_func" "$_key" "$_err")
	points=$((points + 1))
	# shellcheck disable=SC2254 # $_msg is a pattern
	case $(cat "$TMP/err") in
	$_msg) _said=1 ;;
	*) _said=0 ;;
	esac
	if [ "$_rc" -eq "$_want" ] && [ "$_lines" -eq 1 ] && [ "$_said" = 1 ] &&
	    ! grep -q faultinject "$TMP/err" && [ ! -e "$MARK" ]; then
		ok 0 "$_what -> $_rc: $(cat "$TMP/err")"
	else
		failures=$((failures + 1))
		ok 1 "$_what"
		diag "exit $_rc (want $_want); command ran: $(ran);" \
			"stderr ($_lines lines) like '$_msg':"
		sed 's/^/#   /' "$TMP/err"
	fi
}

# An allocation of libcap's or popt's: the command must never run in the
# place of the one asked for: either capbound stops (any status but 0,
# the command not run), or the run is the one asked for.
inject_foreign() {
	_name=$1 _func=$2 _opt=$3 _nth=$4
	shift 4
	rm -f "$MARK"
	FI_FUNC=$_func FI_DETAIL=$_opt FI_NTH=$_nth FI_ERRNO=ENOMEM run_cb "$@"
	_rc=$?
	points=$((points + 1))
	_what="$(mode): $_name: $_func($_opt) call $_nth fails (libcap/popt)"
	if { [ "$_rc" -ne 0 ] && [ ! -e "$MARK" ]; } ||
	    { [ "$_rc" -eq 0 ] && [ -e "$MARK" ]; }; then
		ok 0 "$_what -> $_rc"
	else
		# e.g. popt's poptGetContext() ignoring a failed calloc of
		# its leftovers: capbound's own reading of argv must notice.
		ok 1 "$_what -> $_rc"
		diag "exit $_rc; command ran: $(ran)"
	fi
}

# inject_runs NAME FUNC DETAIL NTH ERRNO ARGS...: a failure that is an
# expected outcome: the command runs, silently.
inject_runs() {
	_name=$1 _func=$2 _opt=$3 _nth=$4 _err=$5
	shift 5
	rm -f "$MARK"
	FI_FUNC=$_func FI_DETAIL=$_opt FI_NTH=$_nth FI_ERRNO=$_err run_cb "$@"
	_rc=$?
	points=$((points + 1))
	is "$_rc:$(ran):$(cat "$TMP/err")" "0:yes:" \
		"$(mode): $_name: $_func${_opt:+($_opt)} #$_nth fails ($_err): runs"
}

# The PATH search's own allocations (inlined into main): a failure there
# ends the search as execvp(3)'s would (126), with one line.
inject_alloc_main() {
	_name=$1 _func=$2 _nth=$3
	shift 3
	rm -f "$MARK"
	FI_FUNC=$_func FI_DETAIL=main FI_NTH=$_nth FI_ERRNO=ENOMEM run_cb "$@"
	_rc=$?
	points=$((points + 1))
	_what="$(mode): $_name: $_func(main) #$_nth fails"
	if [ "$_rc" -ge 125 ] && [ ! -e "$MARK" ] &&
	    [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	    grep -q '^capbound: .*Cannot allocate memory$' "$TMP/err"; then
		ok 0 "$_what -> $_rc: $(cat "$TMP/err")"
	else
		failures=$((failures + 1))
		ok 1 "$_what"
		diag "exit $_rc; command ran: $(ran)"
		sed 's/^/#   /' "$TMP/err"
	fi
}

# The points of a call made N times: all of them, or, for the long
# per-capability loops, the first two, the middle and the last two.
points_of() {
	if [ "$1" -le 8 ]; then
		seq 1 "$1"
	else
		printf '%s\n' 1 2 $(($1 / 2)) $(($1 - 1)) "$1"
	fi
}

# scenario NAME ARGS...: list the calls, then fail each in turn.
scenario() {
	_sname=$1
	shift
	rm -f "$TMP/count" "$MARK"
	FI_COUNT=$TMP/count run_cb "$@"
	_rc=$?
	is "$_rc" 0 "$(mode): $_sname: runs when nothing is made to fail"
	ok "$([ -e "$MARK" ]; echo $?)" "$(mode): $_sname: the command ran"
	is "$(cat "$TMP/err")" "" "$(mode): $_sname: and nothing was said"
	sort "$TMP/count" | uniq -c >"$TMP/calls"
	diag "$_sname: $(awk '{ n += $1 } END { print n }' "$TMP/calls") calls:" \
		"$(awk '{ printf "%s%s%s x%d", sep, $2, ($3 ? " " $3 : ""), $1; sep = ", " }' "$TMP/calls")"
	_before=$points
	while read -r _n _func _opt; do
		for _k in $(points_of "$_n"); do
			_err=$(errno_for "${_opt:-$_func}")
			case $_func in
			execve)
				inject "$_sname" execve "" "$_k" EACCES 0 126 "" "$@"
				# The file exists: ENOENT from execve then means
				# its interpreter or loader is missing, 126.
				inject "$_sname" execve "" "$_k" ENOENT 0 126 "" "$@"
				;;
			getgrouplist)
				# No error return: "buffer too small" for ever.
				inject "$_sname" "$_func" "" "$_k" "$_err" 1 125 "" "$@"
				;;
			open)
				# /proc/self/status that cannot be opened: the
				# system calls instead, as with /proc hidden.
				[ "$_opt" = /proc/thread-self/status ] && continue
				inject "$_sname" "$_func" "$_opt" "$_k" "$_err" 0 125 "" "$@"
				;;
			malloc|calloc|realloc|reallocarray|strdup|strndup)
				if foreign "$_opt"; then
					inject_foreign "$_sname" "$_func" "$_opt" "$_k" "$@"
				elif [ "$_opt" = main ]; then
					inject_alloc_main "$_sname" "$_func" "$_k" "$@"
				else
					inject "$_sname" "$_func" "$_opt" "$_k" ENOMEM 0 125 "" "$@"
				fi
				;;
			prctl)
				if [ "$_opt" = PR_CAPBSET_READ ] && [ "$_k" -eq 1 ]; then
					# caps_last_cap() confirming libcap's count
					# of capabilities: checked below, apart.
					continue
				fi
				inject "$_sname" "$_func" "$_opt" "$_k" "$_err" 0 125 "" "$@"
				;;
			setresuid)
				if [ "$_k" -ge 2 ]; then
					# The probe that uid 0 cannot be regained:
					# failing is its normal outcome, checked below.
					continue
				fi
				inject "$_sname" "$_func" "" "$_k" "$_err" 0 125 "" "$@"
				;;
			setsid)
				# capbound is no process group leader here, so
				# even EPERM is unexplained: it fails (the
				# real group-leader case is the pty table's).
				inject "$_sname" setsid "" "$_k" EPERM 0 125 "" "$@"
				inject "$_sname" setsid "" "$_k" EIO 0 125 "" "$@"
				;;
			getresuid)
				# The first is any_root(), in the plan.
				_key=ident
				[ "$_k" -eq 1 ] && _key=any_root
				inject "$_sname" "$_func" "" "$_k" "$_err" 0 125 "$_key" "$@"
				;;
			*)
				inject "$_sname" "$_func" "$_opt" "$_k" "$_err" 0 125 "" "$@"
				;;
			esac
		done
	done <"$TMP/calls"
	diag "$_sname: $((points - _before)) injection points"
}

# More than 64 groups set: step 7 reads the sets by system calls even
# with /proc (capbound.c, STATUS_GROUPS_MAX); its scenario is with the
# long tables at the end.
MANY=$(seq -s, 70000 70100)

# The second setresuid() of a --user run is the probe setresuid(0, 0, 0)
# that must fail; make it "succeed" by not failing it is impossible here,
# but failing it on purpose must change nothing: the command runs as nobody.
rm -f "$MARK"
# shellcheck disable=SC2016 # $1 is the inner shell's
FI_FUNC=setresuid FI_NTH=2 FI_ERRNO=EPERM LD_PRELOAD=$FI \
	"$CAPBOUND" --user=nobody -- sh -c 'id -u >"$1"' sh "$MARK" \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$MARK" 2>/dev/null)" "0:65534" \
	"uid 0 probe failing (its normal outcome) runs the command as nobody"

# popt loses every leftover when a calloc in poptGetContext() fails (its
# second); capbound's own reading of argv must then see the COMMAND that
# is gone, by popt's rules: "-q" takes no value, so a one-word COMMAND
# after it is the command; "--user" takes one, so "-d" after it is its
# value, not the option that would take the COMMAND for its own.
printf '#!/bin/sh\ntouch "%s"\n' "$MARK" >"$TMP/touchmark"
chmod +x "$TMP/touchmark"
for argv in "-q" "--user -d"; do
	# SHARED_LIBS=1: popt's allocations are libpopt.so's own, which
	# faultinject.so does not fail; like skip_slow, a skip of the build
	# variant, also under CAPBOUND_MUST_WORK=1 (the default build runs it).
	case $(ldd "$CAPBOUND" 2>/dev/null) in
	*libpopt.so*)
		ok 0 "popt losing the COMMAND after '$argv' # SKIP popt is shared in this build"
		continue ;;
	esac
	rm -f "$MARK"
	# shellcheck disable=SC2086 # argv: words on purpose
	FI_FUNC=calloc FI_DETAIL=poptGetContext FI_NTH=2 FI_ERRNO=ENOMEM \
		LD_PRELOAD=$FI "$CAPBOUND" $argv "$TMP/touchmark" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	is "$?:$(ran):$(cat "$TMP/err")" \
		"125:no:capbound: parsing the options: popt lost COMMAND (out of memory?): not starting a shell instead" \
		"popt losing the COMMAND after '$argv': 125, no shell started"
done

# "Already so" for the uid: nobody switching to nobody, the kernel made to
# refuse (EPERM), reads back nobody and runs; any other error is an error,
# even with the ids already right.
NB=$TMP/nb
mkdir -p "$NB"
chmod 1777 "$NB"
for e in EPERM:0 EIO:125; do
	rm -f "$NB/mark"
	setpriv --reuid=65534 --regid=65534 --groups=65534 env \
		FI_FUNC=setresuid FI_ERRNO="${e%:*}" LD_PRELOAD="$FI" \
		"$CAPBOUND" --user=nobody -- "$TOUCH" "$NB/mark" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	if [ "${e#*:}" = 0 ]; then
		is "$_rc:$([ -e "$NB/mark" ] && echo ran):$(cat "$TMP/err")" \
			"0:ran:" "nobody to nobody, setresuid refused (EPERM): already so, runs"
	else
		is "$_rc:$([ -e "$NB/mark" ] && echo ran):$(cat "$TMP/err")" \
			"125::capbound: setresuid(65534): Input/output error" \
			"nobody to nobody, setresuid failing EIO: 125, naming the call"
	fi
done

# No memory to compare nobody's groups with the plan's (step 1's early
# check): not "already so", so nobody cannot set them: 125, nothing run.
rm -f "$NB/mark"
setpriv --reuid=65534 --regid=65534 --groups=65534 env \
	FI_FUNC=reallocarray FI_DETAIL=ident_gids_same_set FI_ERRNO=ENOMEM \
	LD_PRELOAD="$FI" "$CAPBOUND" --user=nobody -- "$TOUCH" "$NB/mark" \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$([ -e "$NB/mark" ] && echo ran):$(cat "$TMP/err")" \
	"125::capbound: setgroups(65534(nogroup)): cap_setgid is needed to set supplementary groups, and capbound does not have it" \
	"no memory to compare the groups: not taken for already so, 125"

# The read-back after setgroups(2) finding more groups than it asked room
# for (getgroups says EINVAL): no match, said as the refusal it is.
rm -f "$MARK"
FI_FUNC=getgroups FI_ERRNO=EINVAL LD_PRELOAD=$FI "$CAPBOUND" --user=nobody \
	-- "$TOUCH" "$MARK" </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: setgroups(65534(nogroup)): Operation not permitted" \
	"getgroups EINVAL after setgroups (more groups than asked): 125, no match"

# Group names in --groups: the database read once (one enumeration), not
# one getgrnam_r(3) scan per name.
rm -f "$TMP/count"
env FI_COUNT="$TMP/count" FI_FUNC=none LD_PRELOAD="$FI" "$CAPBOUND" \
	--groups=nogroup,users,daemon -- true </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(grep -c '^getgrnam_r' "$TMP/count"):$([ "$(grep -c '^getgrent_r' "$TMP/count")" -gt 0 ] && echo enumerated)" \
	"0:0:enumerated" "--groups of three names: one enumeration, no getgrnam_r"

# caps_last_cap() confirms libcap's count with one PR_CAPBSET_READ of the
# last capability; when that fails it reads /proc/sys/kernel/cap_last_cap
# instead.  Failing that PR_CAPBSET_READ must therefore change nothing:
# --drop=all still empties the whole bounding set.  (Failing every one
# fails step 7's read-back, one PR_CAPBSET_READ per capability.)
rm -f "$MARK"
# shellcheck disable=SC2016 # $1 is the inner shell's
FI_FUNC=prctl FI_PRCTL_OPTION=PR_CAPBSET_READ FI_NTH=1 FI_ERRNO=EIO \
	LD_PRELOAD=$FI "$CAPBOUND" --drop=all -- \
	sh -c 'grep "^CapBnd:" /proc/self/status >"$1"' sh "$MARK" \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$MARK" 2>/dev/null):$(cat "$TMP/err")" \
	"0:CapBnd:	0000000000000000:" \
	"PR_CAPBSET_READ failing: cap_last_cap read instead, --drop=all empties the set"

# What caps_last_cap() costs, counted (FI_COUNT): the one probe of the
# last capability answers also when that capability is out of the
# bounding set (0 is an answer, not an error); when the probe fails, one
# read of /proc/sys/kernel/cap_last_cap, even on descriptor 0 (stdin
# closed), and no binary search.  Either way: the probe, the plan's
# LAST + 1 reads, then step 7's LAST + 2 (0..LAST and the EINVAL
# beyond); and no /proc/thread-self/status.
LAST=$(cat /proc/sys/kernel/cap_last_cap)
LAST_NAME=$("$CAPBOUND" --list | awk -v n="$LAST" '$1 == n { print $2 }')
calls_of() {
	echo "$(grep -c '^open /proc/sys/kernel/cap_last_cap$' "$TMP/count")" \
		"$(grep -c '^prctl PR_CAPBSET_READ$' "$TMP/count")" \
		"$(grep -c '^open /proc/thread-self/status$' "$TMP/count")"
}
rm -f "$TMP/count"
"$CAPBOUND" --drop="$LAST_NAME" -- env FI_COUNT="$TMP/count" FI_FUNC=none \
	LD_PRELOAD="$FI" "$CAPBOUND" --drop=net_raw -- true </dev/null \
	>"$TMP/out" 2>"$TMP/err"
is "$?:$(calls_of):$(cat "$TMP/err")" "0:0 $((2 * LAST + 4)) 0:" \
	"last capability ($LAST_NAME) out of the bounding set: one probe answers"
rm -f "$TMP/count"
FI_COUNT=$TMP/count FI_FUNC=prctl FI_DETAIL=PR_CAPBSET_READ FI_NTH=1 \
	FI_ERRNO=EIO LD_PRELOAD=$FI "$CAPBOUND" --drop=net_raw -- true <&- \
	>"$TMP/out" 2>"$TMP/err"
is "$?:$(calls_of):$(cat "$TMP/err")" "0:1 $((2 * LAST + 4)) 0:" \
	"probe failing, stdin closed: cap_last_cap read (on fd 0), no search"

# A count that is too low must never leave capabilities in place: with
# caps_last_cap()'s probe failing and /proc/sys/kernel/cap_last_cap
# saying 30 (a file bind-mounted over it in a private mount namespace),
# "all" ends at cap 30 (cap_audit_control); step 7's read-back goes on
# to the first capability the kernel does not know, finds cap_setfcap
# (31) still held, and stops.
if command -v unshare >/dev/null 2>&1; then
	echo 30 >"$TMP/last30"
	rm -f "$MARK"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	unshare -m sh -c 'mount --bind "$1" /proc/sys/kernel/cap_last_cap &&
		shift && exec "$@"' sh "$TMP/last30" \
		env FI_FUNC=prctl FI_PRCTL_OPTION=PR_CAPBSET_READ FI_NTH=1 \
		FI_ERRNO=EIO LD_PRELOAD="$FI" "$CAPBOUND" --drop=all -- \
		"$TOUCH" "$MARK" </dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" 125 "cap_last_cap too low (30): exit 125"
	is "$(cat "$TMP/err")" "capbound: bounding set read-back: still held, cap_setfcap" \
		"  naming the first capability beyond it"
	ok "$([ ! -e "$MARK" ]; echo $?)" "  the command did not run"
	# The same file, with libcap's count confirmed: not read at all.
	# shellcheck disable=SC2016 # $1 is the inner shell's
	unshare -m sh -c 'mount --bind "$1" /proc/sys/kernel/cap_last_cap &&
		shift && exec "$@"' sh "$TMP/last30" \
		"$CAPBOUND" --drop=all -- "$TOUCH" "$MARK" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/err")" "0:" \
		"  with PR_CAPBSET_READ working, libcap's count is used: exit 0"
else
	for _i in 1 2 3 4; do skip "cap_last_cap too low" "no unshare"; done
fi

# --- wrong successes: a call that "succeeds" without doing its job, or a
# read-back that lies (FI_RESULT).  capbound must notice each and stop
# with 125 and one line naming what disagrees, on both ways of reading
# its state; where the lie is harmless, the command must run exactly as
# asked (the kernel's view, read by the command itself).
# fake NAME WANT_RC MSG FUNC DETAIL ARG NTH RESULT ARGS...
# MSG: a glob for the one stderr line (WANT_RC 125), or "" (WANT_RC 0).
# WANT_RC and NTH may be "A/B": A with /proc, B without (where the plan
# and step 7 read differently, the same lie lands elsewhere).
per_mode() {
	case $1 in
	*/*) if [ "$NOPROC" = 1 ]; then echo "${1#*/}"; else echo "${1%/*}"; fi ;;
	*) echo "$1" ;;
	esac
}
fake() {
	_name=$1 _want=$(per_mode "$2") _msg=$3 _func=$4 _opt=$5 _arg=$6
	_nth=$(per_mode "$7") _res=$8
	shift 8
	rm -f "$MARK"
	FI_FUNC=$_func FI_DETAIL=$_opt FI_ARG=$_arg FI_NTH=$_nth \
		FI_RESULT=$_res run_cb "$@"
	_rc=$?
	fakes=$((fakes + 1))
	_what="$(mode): $_name ($_func${_opt:+ $_opt}${_arg:+ cap $_arg} #$_nth -> \"$_res\")"
	if [ "$_want" = 0 ]; then
		is "$_rc:$(ran):$(cat "$TMP/err")" "0:yes:" "$_what: harmless, runs"
		return
	fi
	# shellcheck disable=SC2254 # $_msg is a pattern
	case $(cat "$TMP/err") in
	$_msg) _said=1 ;;
	*) _said=0 ;;
	esac
	if [ "$_rc" -eq "$_want" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	    [ "$_said" = 1 ] && [ ! -e "$MARK" ]; then
		ok 0 "$_what -> $_rc: $(cat "$TMP/err")"
	else
		fake_failures=$((fake_failures + 1))
		ok 1 "$_what"
		diag "exit $_rc (want $_want); command ran: $(ran); stderr like '$_msg':"
		sed 's/^/#   /' "$TMP/err"
	fi
}

fakes=0
fake_failures=0
LAST=$(cat /proc/sys/kernel/cap_last_cap)
USERS_GID=$(getent group users | cut -d: -f3)
BND_MSG='capbound: bounding set *'
NET_RAW=13
for NOPROC in 0 1; do
	# Step 2: a drop that did nothing; reads that lie about one
	# capability.  The plan and step 7 read by system calls either way:
	# the first PR_CAPBSET_READ of a capability below the last is the
	# plan's, the second step 7's own (one per capability, apart from the
	# plan's reader); the message says which way it disagrees.
	fake "drop did nothing" 125 "$BND_MSG" prctl PR_CAPBSET_DROP "" 1 0 \
		--drop=net_raw
	fake "drop did nothing (the last one of all)" 125 "$BND_MSG" \
		prctl PR_CAPBSET_DROP "$LAST" 1 0 --drop=all
	fake "the plan reads net_raw as gone: step 7 finds it held" 125 \
		"capbound: bounding set read-back: still held, cap_net_raw" \
		prctl PR_CAPBSET_READ $NET_RAW 1 0 --drop=net_raw
	fake "the plan reads chown as gone: step 7 finds it held" 125 \
		"capbound: bounding set read-back: still held, cap_chown" \
		prctl PR_CAPBSET_READ 0 1 0 --drop=net_raw
	fake "read-back: net_raw still held" 125 \
		"capbound: bounding set read-back: still held, cap_net_raw" \
		prctl PR_CAPBSET_READ $NET_RAW 2 1 --drop=net_raw
	fake "read-back: chown missing" 125 \
		"capbound: bounding set read-back: missing, cap_chown" \
		prctl PR_CAPBSET_READ 0 2 0 --drop=net_raw
	if [ "$LAST" -lt 63 ]; then
		fake "a capability beyond the kernel's last is there" 125 \
			"capbound: bounding set read-back: still held, cap_$((LAST + 1))" \
			prctl PR_CAPBSET_READ $((LAST + 1)) 1 1 --drop=all
	fi
	fake "capget: the plan reads cap_setpcap as not permitted" 125 \
		"capbound: *CAP_SETPCAP*" capget "" "" 1 ",^100," --drop=net_raw
	fake "capget: no cap_setpcap effective, but it is" 0 "" \
		capget "" "" 1 "^100,," --drop=net_raw
	# Step 3: the ambient and inheritable trim did nothing.
	PRE="setpriv --inh-caps=+net_raw,+chown --ambient-caps=+net_raw,+chown"
	# Harmless: pA is always within pI, and taking net_raw out of pI
	# (which step 3 always does too) takes it out of pA.
	fake "ambient lower did nothing (the inheritable trim does it)" 0 "" \
		prctl PR_CAP_AMBIENT_LOWER "" 1 0 --drop=net_raw
	fake "inheritable trim did nothing" 125 \
		"capbound: inheritable set is cap_chown,cap_net_raw, expected cap_chown" \
		capset "" "" 1 0 --drop=net_raw
	PRE=
	# Step 4: the switch did nothing, or the read-back lies.
	fake "setresuid did nothing" 125 "capbound: setresuid($NOBODY_UID): *" \
		setresuid "" "" 1 0 --user=nobody
	fake "getresuid: saved uid still 0" 125 "capbound: setresuid($NOBODY_UID): *" \
		getresuid "" "" 2 "$NOBODY_UID,$NOBODY_UID,0" --user=nobody
	fake "getresuid: effective uid still 0" 125 "capbound: setresuid($NOBODY_UID): *" \
		getresuid "" "" 2 "$NOBODY_UID,0,$NOBODY_UID" --user=nobody
	fake "getresuid: real uid still 0" 125 "capbound: setresuid($NOBODY_UID): *" \
		getresuid "" "" 2 "0,$NOBODY_UID,$NOBODY_UID" --user=nobody
	fake "uid 0 regained (probe succeeds)" 125 \
		"capbound: setresuid(0) succeeded after switching to uid $NOBODY_UID: refusing to go on" \
		setresuid "" "" 2 0 --user=nobody
	fake "setresgid did nothing" 125 "capbound: setresgid($NOBODY_GID): *" \
		setresgid "" "" 1 0 --user=nobody
	fake "getresgid: saved gid still 0" 125 "capbound: setresgid($NOBODY_GID): *" \
		getresgid "" "" 2 "$NOBODY_GID,$NOBODY_GID,0" --user=nobody
	fake "getresgid: effective gid still 0" 125 "capbound: setresgid($NOBODY_GID): *" \
		getresgid "" "" 2 "$NOBODY_GID,0,$NOBODY_GID" --user=nobody
	fake "getresgid: real gid still 0" 125 "capbound: setresgid($NOBODY_GID): *" \
		getresgid "" "" 2 "0,$NOBODY_GID,$NOBODY_GID" --user=nobody
	fake "setgroups did nothing" 125 "capbound: setgroups(*): *" \
		setgroups "" "" 1 0 --user=nobody --groups=nogroup,users
	fake "getgroups: root's group kept" 125 "capbound: setgroups(*): *" \
		getgroups "" "" 1 "$NOBODY_GID,$USERS_GID,0" \
		--user=nobody --groups=nogroup,users
	fake "getgroups: one group missing" 125 "capbound: setgroups(*): *" \
		getgroups "" "" 1 "$NOBODY_GID" --user=nobody --groups=nogroup,users
	fake "getgroups: one group twice, one missing" 125 \
		"capbound: setgroups(*): *" \
		getgroups "" "" 1 "$NOBODY_GID,$NOBODY_GID" \
		--user=nobody --groups=nogroup,users
	fake "getgroups: another group instead" 125 "capbound: setgroups(*): *" \
		getgroups "" "" 1 0 --user=nobody
	fake "getgroups: none at all" 125 "capbound: setgroups(*): *" \
		getgroups "" "" 1 "" --user=nobody
	fake "getgroups: the same, in another order (not sorted)" 0 "" \
		getgroups "" "" 1 "$NOBODY_GID,$USERS_GID" \
		--user=nobody --groups=nogroup,users
	fake "PR_SET_KEEPCAPS did nothing" 125 "capbound: capset (after setresuid*" \
		prctl PR_SET_KEEPCAPS "" 1 0 --ambient=net_bind_service --user=nobody
	# Step 5.
	fake "ambient raise did nothing" 125 \
		"capbound: ambient set is (none), expected cap_net_bind_service" \
		prctl PR_CAP_AMBIENT_RAISE "" 1 0 --ambient=net_bind_service --user=nobody
	fake "inheritable raise did nothing" 125 \
		"capbound: prctl(PR_CAP_AMBIENT_RAISE), cap_net_bind_service: *" \
		capset "" "" 1 0 --ambient=net_bind_service
	# Step 6.
	fake "PR_SET_SECUREBITS did nothing" 125 \
		"capbound: securebits are 0x0 after setting 0x1" \
		prctl PR_SET_SECUREBITS "" 1 0 --securebits=noroot
	fake "PR_GET_SECUREBITS lies after setting" 125 \
		"capbound: securebits are 0x0 after setting 0x1" \
		prctl PR_GET_SECUREBITS "" 3 0 --securebits=noroot
	fake "PR_GET_SECUREBITS: another bit set" 125 \
		"capbound: securebits are 0x5 after setting 0x1" \
		prctl PR_GET_SECUREBITS "" 3 5 --securebits=noroot
	fake "PR_SET_NO_NEW_PRIVS did nothing" 125 \
		"capbound: no_new_privs is not set after PR_SET_NO_NEW_PRIVS" \
		prctl PR_SET_NO_NEW_PRIVS "" 1 0 --no-new-privs
	fake "PR_GET_NO_NEW_PRIVS says 0" 125 \
		"capbound: no_new_privs is not set after PR_SET_NO_NEW_PRIVS" \
		prctl PR_GET_NO_NEW_PRIVS "" 1 0 --no-new-privs
	fake "PR_GET_NO_NEW_PRIVS says 2" 125 \
		"capbound: no_new_privs is not set after PR_SET_NO_NEW_PRIVS" \
		prctl PR_GET_NO_NEW_PRIVS "" 1 2 --no-new-privs
	# --new-session.
	fake "setsid did nothing" 125 \
		"capbound: --new-session: setsid() succeeded, but *" \
		setsid "" "" 1 0 --new-session
	# Harmless lies: the kernel does the job anyway.  A non-root exec
	# computes the permitted set anew (pA, and pI & fI), whatever capbound
	# left in its own: the cuts of the permitted set are defence in depth.
	fake "the capset after setresuid did nothing (the kernel's fixup did it)" 0 "" \
		capset "" "" 1 0 --user=nobody
	fake "cutting permitted to the ambient set did nothing" 0 "" \
		capset "" "" 2 0 --ambient=net_bind_service --user=nobody --securebits=noroot
	fake "PR_GET_SECUREBITS: already set before" 0 "" \
		prctl PR_GET_SECUREBITS "" 1 1 --securebits=noroot
done
NOPROC=0

# Memory running out while looking up --group is said as such, not as a
# failed look-up ("looking up" is for the name service's own errors).
rm -f "$MARK"
FI_FUNC=realloc FI_DETAIL=gr_get FI_ERRNO=ENOMEM run_cb --group=nogroup
is "$?:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: --group: nogroup: Cannot allocate memory" \
	"--group: no memory for the look-up: 125, said so"

# Step 3 with a caller's ambient set: a PR_CAP_AMBIENT_LOWER that fails
# fails closed, although the inheritable trim after it would clear the
# ambient set too: every privilege step checks its own result.
for NOPROC in 0 1; do
	PRE="setpriv --inh-caps=+net_raw --ambient-caps=+net_raw"
	inject "caller's ambient net_raw" prctl PR_CAP_AMBIENT_LOWER 1 EPERM 0 125 "" \
		--drop=net_raw
	PRE=
done
NOPROC=0

# EINVAL from PR_CAPBSET_READ ends the read-back only beyond the kernel's
# last capability: for the last one itself (the third read of it; the
# first is caps_last_cap()'s probe, the second the plan's) it is an
# error naming it.
rm -f "$MARK"
FI_FUNC=prctl FI_DETAIL=PR_CAPBSET_READ FI_ARG=$LAST FI_NTH=3 FI_ERRNO=EINVAL \
	run_cb --drop=net_raw
is "$?:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: prctl(PR_CAPBSET_READ), $LAST_NAME: Invalid argument" \
	"read-back: EINVAL for the last capability ($LAST_NAME) is an error"

# The terminal steps of --new-session: in a real pty (script(1)), run as
# a job of a shell with job control (sh -m), capbound leads its process
# group, so setsid() fails (EPERM) and it gives up /dev/tty instead.
if command -v script >/dev/null 2>&1; then
	# pty_run ENV...: capbound --new-session there, FI_* from ENV; the
	# exit status on stdout, stderr in $TMP/err.
	pty_run() {
		rm -f "$MARK" "$TMP/rc"
		: >"$TMP/err"
		script -qec "sh -mc 'env $* LD_PRELOAD=$FI \"$CAPBOUND\" --new-session -- \"$TOUCH\" \"$MARK\" 2>\"$TMP/err\"; echo \$? >\"$TMP/rc\"'" \
			/dev/null </dev/null >/dev/null 2>&1
		cat "$TMP/rc" 2>/dev/null
	}
	# pty_case NAME WANT_RC WANT_ERR ENV...
	pty_case() {
		_name=$1 _want=$2 _msg=$3
		shift 3
		_rc=$(pty_run "$@")
		fakes=$((fakes + 1))
		if [ "$_want" = 0 ]; then
			_r=yes
		else
			_r=no
		fi
		is "$_rc:$(ran):$(cat "$TMP/err")" "$_want:$_r:$_msg" "pty: $_name"
		[ "$_rc:$(ran):$(cat "$TMP/err")" = "$_want:$_r:$_msg" ] ||
			fake_failures=$((fake_failures + 1))
	}
	pty_case "setsid refused (a group leader): /dev/tty given up, runs" 0 "" \
		FI_FUNC=none
	pty_case "open /dev/tty fails (EACCES)" 125 \
		"capbound: --new-session: open /dev/tty: Permission denied" \
		FI_FUNC=open FI_DETAIL=/dev/tty FI_ERRNO=EACCES
	# The lie is caught: the read-back (getsid, the terminal's session)
	# still sees the terminal.
	pty_case "open /dev/tty lies: no terminal (ENXIO), but there is one" 125 \
		"capbound: --new-session: still attached to a terminal" \
		FI_FUNC=open FI_DETAIL=/dev/tty FI_ERRNO=ENXIO
	pty_case "ioctl(TIOCNOTTY) fails" 125 \
		"capbound: --new-session: ioctl(/dev/tty, TIOCNOTTY): Input/output error" \
		FI_FUNC=ioctl FI_DETAIL=TIOCNOTTY FI_ERRNO=EIO
	pty_case "ioctl(TIOCNOTTY) did nothing" 125 \
		"capbound: --new-session: still attached to a terminal" \
		FI_FUNC=ioctl FI_DETAIL=TIOCNOTTY FI_RESULT=0
	pty_case "the second open of /dev/tty fails otherwise (EIO)" 125 \
		"capbound: --new-session: still attached to a terminal" \
		FI_FUNC=open FI_DETAIL=/dev/tty FI_NTH=2 FI_ERRNO=EIO
else
	skip "pty: --new-session's terminal steps" "needs script(1)"
fi

# The long tables last: tools/mutate.sh stops at the first failure, and
# the checks above are the quick killers.
for NOPROC in 0 1; do
	scenario "drop only" --drop=net_raw,sys_admin
	scenario "keep+ambient+user+groups" --keep=net_bind_service,net_raw \
		--ambient=net_bind_service --user=nobody --groups=nogroup,users
	scenario "user, groups from the database" --user=nobody --drop=sys_module
	scenario "no-new-privs+securebits" --no-new-privs \
		--securebits=noroot,no-setuid-fixup --reset-env --drop=sys_module
	scenario "ambient+user+securebits (capabilities kept across setresuid)" \
		--ambient=net_bind_service --user=nobody --securebits=noroot \
		--drop=sys_module
	scenario "new session" --new-session --drop=net_raw
done
NOPROC=0
scenario "101 groups" --groups="$MANY" --drop=net_raw

is "$fake_failures" 0 "every wrong success was noticed"
diag "wrong successes: $fakes, $((fakes - fake_failures)) noticed"

is "$failures" 0 "every injected failure failed closed"
diag "fault injection: $points injection points covered, $((points - failures)) failed closed"
echo "# injection points covered: $points"
done_testing
