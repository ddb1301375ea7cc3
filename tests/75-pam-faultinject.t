#!/bin/sh
# tests/75-pam-faultinject.t - every call pam_capbound.so makes, made to
# fail in turn (tests/faultinject.so preloaded into the PAM driver, calls
# counted from the module only), then made to "succeed" wrongly: each
# must fail the session or the credentials (never PAM_SUCCESS, never
# ignored), with one authpriv.err syslog line that names the call and
# ends "failing closed".  With /proc and without.  Real PAM
# (pam_start_confdir), the tests' own pam.d, passwd and group copies.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-syslog.sh
. "$(dirname "$0")/lib-syslog.sh"

require_root
require_cmd unshare mount
MODULE=$TOP/pam_capbound.so
PAMTEST=$TESTS_DIR/helper-pamtest
LOGSINK=$TESTS_DIR/helper-logsink
FI=$TESTS_DIR/faultinject.so
# faultinject.so wraps malloc and friends, which ASan owns: under make
# sanitize the tables cannot run (the plain make check runs them).
if ldd "$TESTS_DIR/helper-pamtest" 2>/dev/null | grep -q libasan; then
	echo "1..0 # SKIP under ASan: faultinject.so wraps the allocator"
	exit 0
fi
export FI	# for pamrun's inner shell
for f in "$MODULE" "$PAMTEST" "$LOGSINK" "$FI"; do
	[ -e "$f" ] || skip_all "$f is not built (make check builds it)"
done
[ -n "$(find /lib /usr/lib -name pam_debug.so 2>/dev/null | head -n 1)" ] ||
	skip_all "needs pam_debug.so"
mkdir "$TMP/u0" "$TMP/w0"
# shellcheck disable=SC2016 # the inner sh's
unshare -m sh -c 'mount -t overlay overlay -o lowerdir=/dev,upperdir="$1",workdir="$2" /dev' \
	sh "$TMP/u0" "$TMP/w0" 2>/dev/null ||
	skip_all "cannot overlay /dev in a mount namespace (for a syslog sink)"

START=$(my_bounding)
NET_RAW=13 SYS_ADMIN=21
cp /etc/passwd "$TMP/passwd"
cp /etc/group "$TMP/group"
cat >>"$TMP/passwd" <<'X'
pamfi:x:5101:5101:Fault Injection,,,cap_drop=sys_ptrace:/nonexistent:/bin/sh
X
cat >>"$TMP/group" <<'X'
pamfi:x:5101:
pamfinone:x:5102:
X
C=$TMP/capbound.conf
cat >"$C" <<'X'
# a group rule first, so that the group look-ups are made too
@pamfinone   drop=chown
pamfi        drop=net_raw,sys_admin
X
chown 0:0 "$C"
chmod 0644 "$C"
mkdir "$TMP/pam.d"
{
	echo "session [success=done ignore=ignore default=die] $MODULE conf=$C gecos"
	echo "session required pam_debug.so open_session=no_module_data close_session=no_module_data"
	echo "auth [success=done ignore=ignore default=die] $MODULE conf=$C gecos"
	echo "auth required pam_debug.so auth=no_module_data cred=no_module_data"
} >"$TMP/pam.d/fitest"

# pamrun ACTION...: the driver, preloaded, in a private mount namespace
# with the test's passwd and group, a syslog sink at /dev/log (an overlay
# on /dev) and, with NOPROC=1, /proc hidden under a tmpfs.  FI_* come
# from the caller's environment.  Results: $TMP/out (ACTION=CODE lines),
# $TMP/status (the driver's Cap* lines after PAM), $TMP/log.
# $PRE_ACT: actions of the driver's before the one tested (noeff-setpcap).
NOPROC=0
PRE_ACT=
pamrun() {
	# $PRE_ACT: words, split on purpose.
	# shellcheck disable=SC2086
	in_syslog_ns "$TMP/log" "$TMP/passwd" "$TMP/group" "$NOPROC" \
		env LD_PRELOAD="$FI" FI_OBJECT=pam_capbound.so \
		"$PAMTEST" "$TMP/pam.d" fitest pamfi $PRE_ACT "$@" eff -- \
		cat "$([ "$NOPROC" = 1 ] && echo "$TMP/proc2" || echo /proc)/self/status" \
		>"$TMP/all" 2>"$TMP/err"
	grep -v '^[A-Z][A-Za-z_]*:' "$TMP/all" >"$TMP/out"
	grep '^[A-Z][A-Za-z_]*:' "$TMP/all" >"$TMP/status"
}
result() { sed -n "s/^$1=//p" "$TMP/out"; }
bnd() { status_field "$TMP/status" CapBnd; }
# The driver's own effective set after PAM (the exec'd cat is root again).
eff() { result eff; }
mode() { if [ "$NOPROC" = 1 ]; then echo "no /proc"; else echo "/proc"; fi; }
# The errors the module logs, one a line, without the syslog header.
errlines() { sed -n 's/^<83>.*pam_capbound([^)]*): //p' "$TMP/log"; }
WANT_BND=$(mask_andnot "$START" "$(capmask $NET_RAW $SYS_ADMIN 19)")

# errno_for FUNC DETAIL
errno_for() {
	case $1:$2 in
	getpw*|getgr*|capget:*|*:*_READ|*:*_IS_SET) echo EIO ;;
	malloc:*|calloc:*|realloc:*|reallocarray:*|strdup:*|strndup:*) echo ENOMEM ;;
	open:*) echo EACCES ;;
	*) echo EPERM ;;
	esac
}
errtext() {
	case $1 in
	EPERM) echo "Operation not permitted" ;;
	EIO) echo "Input/output error" ;;
	ENOMEM) echo "Cannot allocate memory" ;;
	EACCES) echo "Permission denied" ;;
	*) echo "*" ;;
	esac
}
# msg_for FUNC DETAIL ERRNO: the log line, as a glob.
msg_for() {
	_t=$(errtext "$3")
	case $1:$2 in
	prctl:PR_CAPBSET_*|prctl:PR_CAP_AMBIENT_*)
		echo "user pamfi: prctl($2)(cap_[a-z0-9]*): $_t: failing closed" ;;
	capget:*) echo "user pamfi: capget*: $_t: failing closed" ;;
	capset:*) echo "user pamfi: capset*: $_t: failing closed" ;;
	getpwnam_r:*) echo "user pamfi: passwd lookup failed: $_t: failing closed" ;;
	getgrnam_r:*) echo "user pamfi: $C:2: @pamfinone: group lookup failed: $_t: failing closed" ;;
	getgrouplist:*) echo "$C:2: groups of user pamfi*: failing closed" ;;
	# the check that nss_files' failure is not hidden as "no such group"
	open:/etc/group) echo "user pamfi: $C:2: @pamfinone: group lookup failed: $_t: failing closed" ;;
	open:*) echo "$C: open: $_t: failing closed" ;;
	fstat:*) echo "$C: fstat: $_t: failing closed" ;;
	*) echo "*$_t*failing closed" ;;
	esac
}

# A run that nothing is made to fail, for each action: the drop is made.
for NOPROC in 0 1; do
	for action in open establish; do
		rm -f "$TMP/count"
		FI_COUNT=$TMP/count pamrun "$action"
		is "$rc:$(result $action):$(bnd)" "0:PAM_SUCCESS:$WANT_BND" \
			"$(mode): $action: control run succeeds and drops net_raw, sys_admin, sys_ptrace (GECOS)"
		is "$(errlines)" "" "$(mode): $action: control run logs no error"
	done
done

points=0
failures=0
# inject ACTION FUNC DETAIL NTH ERRNO STICKY: the action must fail.
inject() {
	_a=$1 _func=$2 _opt=$3 _nth=$4 _err=$5 _sticky=$6
	FI_FUNC=$_func FI_DETAIL=$_opt FI_NTH=$_nth FI_ERRNO=$_err \
		FI_STICKY=$_sticky pamrun "$_a"
	_r=$(result "$_a")
	_msg=$(msg_for "$_func" "$_opt" "$_err")
	points=$((points + 1))
	_what="$(mode): $_a: $_func${_opt:+($_opt)} #$_nth fails ($_err)"
	# shellcheck disable=SC2254 # a pattern
	case $(errlines) in
	$_msg) _said=1 ;;
	*) _said=0 ;;
	esac
	case $_r in
	PAM_SUCCESS|PAM_IGNORE|PAM_NO_MODULE_DATA|'') _closed=0 ;;
	*) _closed=1 ;;
	esac
	if [ "$_closed" = 1 ] && [ "$_said" = 1 ] &&
	    [ "$(errlines | wc -l)" -eq 1 ]; then
		ok 0 "$_what -> $_r: $(errlines)"
	else
		failures=$((failures + 1))
		ok 1 "$_what"
		diag "result '$_r'; log like '$_msg':"
		sed 's/^/#   /' "$TMP/log"
	fi
}

points_of() {
	if [ "$1" -le 4 ]; then
		seq 1 "$1"
	else
		printf '%s\n' 1 2 "$1"
	fi
}

# scenario ACTION: list the module's calls, fail each in turn.
scenario() {
	rm -f "$TMP/count"
	FI_COUNT=$TMP/count pamrun "$1"
	sort "$TMP/count" | uniq -c >"$TMP/calls"
	diag "$(mode): ${PRE_ACT:+$PRE_ACT }$1: $(awk '{ printf "%s%s%s x%d", sep, $2, ($3 ? " " $3 : ""), $1; sep = ", " }' "$TMP/calls")"
	while read -r _n _func _opt; do
		for _k in $(points_of "$_n"); do
			_err=$(errno_for "$_func" "$_opt")
			case $_func:$_opt in
			prctl:PR_CAPBSET_READ)
				# caps_last_cap()'s probe: falls back, below.
				[ "$_k" -eq 1 ] && continue ;;
			open:/proc/thread-self/status)
				# The system calls instead: NOPROC=1 runs that way.
				continue ;;
			getgrouplist:*)
				inject "$1" "$_func" "" "$_k" "$_err" 1
				continue ;;
			esac
			inject "$1" "$_func" "$_opt" "$_k" "$_err" 0
		done
	done <"$TMP/calls"
}


# The client whose effective set lacked CAP_SETPCAP gets it back so.
PRE_ACT=noeff-setpcap pamrun open
is "$(result open):$(mask_and "$(eff)" "$(capmask 8)")" \
	"PAM_SUCCESS:0000000000000000" "a client without cap_setpcap effective has none after the drop"
pamrun open
is "$(result open):$(mask_and "$(eff)" "$(capmask 8)")" \
	"PAM_SUCCESS:0000000000000100" "  (control: a client with it effective keeps it)"

# The group database is read once, by enumeration: the @group rule and
# the user's membership come from that table, with no further look-up
# of a group name and no getgrouplist().
rm -f "$TMP/count"
FI_COUNT=$TMP/count pamrun open
is "$(result open):$(grep -c '^getgrnam_r' "$TMP/count"):$(grep -c '^getgrouplist' "$TMP/count")" \
	"PAM_SUCCESS:0:0" "one enumeration of the groups answers @pamfinone: no getgrnam_r, no getgrouplist"
# A name service that does not enumerate (sssd's default): getgrent_r
# ends at once; the names are asked one by one, and membership is the
# member list's (or getgrouplist's), never "the group exists".
FI_FUNC=getgrent_r FI_ERRNO=ENOENT FI_STICKY=1 pamrun open
is "$(result open):$(bnd)" "PAM_SUCCESS:$WANT_BND" \
	"groups not enumerated: pamfi is still no member of pamfinone (chown kept)"

# Raising it to effective (the module's first capset) failing: the line
# names the call and the capability, and the session fails.
PRE_ACT=noeff-setpcap FI_FUNC=capset FI_NTH=1 FI_ERRNO=EPERM pamrun open
is "$(result open):$(errlines)" \
	"PAM_SYSTEM_ERR:user pamfi: capset(cap_setpcap): Operation not permitted: failing closed" \
	"raising cap_setpcap fails: the session fails, the log names capset and cap_setpcap"

# caps_last_cap()'s one PR_CAPBSET_READ failing: /proc/sys/kernel/cap_last_cap.
FI_FUNC=prctl FI_DETAIL=PR_CAPBSET_READ FI_NTH=1 FI_ERRNO=EIO pamrun open
is "$(result open):$(bnd)" "PAM_SUCCESS:$WANT_BND" \
	"the last-capability probe failing: the module reads cap_last_cap instead"


# --- wrong successes --------------------------------------------------------
fakes=0
fake_failures=0
# fake NAME MSG FUNC DETAIL ARG NTH RESULT ACTION
fake() {
	_name=$1 _msg=$2 _func=$3 _opt=$4 _arg=$5 _nth=$6 _res=$7 _a=$8
	FI_FUNC=$_func FI_DETAIL=$_opt FI_ARG=$_arg FI_NTH=$_nth \
		FI_RESULT=$_res pamrun "$_a"
	_r=$(result "$_a")
	fakes=$((fakes + 1))
	_what="$(mode): $_a: $_name ($_func${_opt:+ $_opt}${_arg:+ cap $_arg} #$_nth -> \"$_res\")"
	# shellcheck disable=SC2254
	case $(errlines) in
	$_msg) _said=1 ;;
	*) _said=0 ;;
	esac
	case $_r in
	PAM_SUCCESS|PAM_IGNORE|PAM_NO_MODULE_DATA|'') _closed=0 ;;
	*) _closed=1 ;;
	esac
	if [ "$_closed" = 1 ] && [ "$_said" = 1 ]; then
		ok 0 "$_what -> $_r: $(errlines)"
	else
		fake_failures=$((fake_failures + 1))
		ok 1 "$_what"
		diag "result '$_r'; log like '$_msg':"
		sed 's/^/#   /' "$TMP/log"
	fi
}
RB="user pamfi: *read-back*failing closed"
for NOPROC in 0 1; do
	for action in open establish; do
		fake "the drop did nothing" "$RB" prctl PR_CAPBSET_DROP "" 1 0 "$action"
		fake "the read-back says net_raw is still there" "$RB" \
			prctl PR_CAPBSET_READ $NET_RAW "$((NOPROC + 1))" 1 "$action"
		fake "the read-back says chown is gone" "$RB" \
			prctl PR_CAPBSET_READ 0 "$((NOPROC + 1))" 0 "$action"
	done
	fake "the plan reads chown as gone" "$RB" prctl PR_CAPBSET_READ 0 1 0 open
done
NOPROC=0
is "$fake_failures" 0 "every wrong success was noticed"
diag "pam_capbound: $fakes wrong successes, $((fakes - fake_failures)) noticed"

# --- no user at all: never a success ----------------------------------------
# shellcheck disable=SC2016 # the inner sh's
unshare -m sh -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group &&
	shift 2 && exec "$@"' sh "$TMP/passwd" "$TMP/group" \
	"$PAMTEST" "$TMP/pam.d" fitest "" open establish >"$TMP/out" 2>"$TMP/err"
is "$(result open)/$(result establish)" "PAM_USER_UNKNOWN/PAM_USER_UNKNOWN" \
	"an empty user name: PAM_USER_UNKNOWN, never a success"

# The long table last: tools/mutate.sh stops at the first failure, and
# the checks above are the quick killers.
# setcred runs the very code open_session does: its table once, with /proc.
for NOPROC in 0 1; do
	scenario open
	[ "$NOPROC" = 0 ] && scenario establish
	# A client with CAP_SETPCAP permitted but not effective: the module
	# raises it, drops, and must lower it again, or fail.
	PRE_ACT=noeff-setpcap
	scenario open
	PRE_ACT=
done
NOPROC=0
is "$failures" 0 "every injected failure failed closed, and said which call"
diag "pam_capbound: $points injection points, $((points - failures)) failed closed"

is "$(my_bounding)" "$START" "the test's own bounding set is untouched"
done_testing
