#!/bin/sh
# tests/70-faultinject.t - every call capbound makes on the way to exec,
# made to fail in turn (tests/faultinject.so, LD_PRELOAD): each failure must
# end in 125 (126/127 for the exec itself), with exactly one "capbound: ..."
# line on stderr, and the command must not run.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

require_root
FI=$TESTS_DIR/faultinject.so
[ -f "$FI" ] || skip_all "tests/faultinject.so is not built (make check builds it)"
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
	*) echo EPERM ;;
	esac
}

# inject NAME FUNC OPTION NTH ERRNO STICKY WANT_RC ARGS...
inject() {
	_name=$1 _func=$2 _opt=$3 _nth=$4 _err=$5 _sticky=$6 _want=$7
	shift 7
	rm -f "$MARK"
	FI_FUNC=$_func FI_PRCTL_OPTION=$_opt FI_NTH=$_nth FI_ERRNO=$_err \
	FI_STICKY=$_sticky LD_PRELOAD=$FI \
		"$CAPBOUND" "$@" -- "$TOUCH" "$MARK" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	_lines=$(wc -l <"$TMP/err")
	_what="$_name: $_func${_opt:+($_opt)} #$_nth fails ($_err)"
	points=$((points + 1))
	if [ "$_rc" -eq "$_want" ] && [ "$_lines" -eq 1 ] &&
	    grep -q '^capbound: [^ ]' "$TMP/err" &&
	    ! grep -q faultinject "$TMP/err" && [ ! -e "$MARK" ]; then
		ok 0 "$_what -> $_rc: $(cat "$TMP/err")"
	else
		failures=$((failures + 1))
		ok 1 "$_what"
		diag "exit $_rc (want $_want); command ran: $([ -e "$MARK" ] &&
			echo yes || echo no); stderr ($_lines lines):"
		sed 's/^/#   /' "$TMP/err"
	fi
}

# scenario NAME ARGS...: list the calls, then fail each in turn.
scenario() {
	_sname=$1
	shift
	rm -f "$TMP/count" "$MARK"
	FI_COUNT=$TMP/count LD_PRELOAD=$FI "$CAPBOUND" "$@" -- "$TOUCH" "$MARK" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	is "$_rc" 0 "$_sname: runs when nothing is made to fail"
	ok "$([ -e "$MARK" ]; echo $?)" "$_sname: the command ran"
	is "$(cat "$TMP/err")" "" "$_sname: and nothing was said"
	sort "$TMP/count" | uniq -c >"$TMP/calls"
	diag "$_sname: $(awk '{ n += $1 } END { print n }' "$TMP/calls") calls:" \
		"$(awk '{ printf "%s%s%s x%d", sep, $2, ($3 ? " " $3 : ""), $1; sep = ", " }' "$TMP/calls")"
	_before=$points
	while read -r _n _func _opt; do
		_k=1
		while [ "$_k" -le "$_n" ]; do
			_err=$(errno_for "${_opt:-$_func}")
			case $_func in
			execve)
				inject "$_sname" execve "" "$_k" EACCES 0 126 "$@"
				# The file exists: ENOENT from execve then means
				# its interpreter or loader is missing, 126.
				inject "$_sname" execve "" "$_k" ENOENT 0 126 "$@"
				;;
			getgrouplist)
				# No error return: "buffer too small" for ever.
				inject "$_sname" "$_func" "" "$_k" "$_err" 1 125 "$@"
				;;
			prctl)
				if [ "$_opt" = PR_CAPBSET_READ ] && [ "$_k" -eq 1 ]; then
					# caps_last_cap() confirming libcap's count
					# of capabilities: checked below, apart.
					_k=$((_k + 1))
					continue
				fi
				inject "$_sname" "$_func" "$_opt" "$_k" "$_err" 0 125 "$@"
				;;
			setresuid)
				if [ "$_k" -ge 2 ]; then
					# The probe that uid 0 cannot be regained:
					# failing is its normal outcome, checked below.
					_k=$((_k + 1))
					continue
				fi
				inject "$_sname" "$_func" "$_opt" "$_k" "$_err" 0 125 "$@"
				;;
			*)
				inject "$_sname" "$_func" "$_opt" "$_k" "$_err" 0 125 "$@"
				;;
			esac
			_k=$((_k + 1))
		done
	done <"$TMP/calls"
	diag "$_sname: $((points - _before)) injection points"
}

scenario "drop only" --drop=net_raw,sys_admin
scenario "keep+ambient+user+groups" --keep=net_bind_service,net_raw \
	--ambient=net_bind_service --user=nobody --groups=nogroup,users
scenario "user, groups from the database" --user=nobody --drop=sys_module
scenario "no-new-privs+securebits" --no-new-privs \
	--securebits=noroot,no-setuid-fixup --reset-env --drop=sys_module
scenario "ambient+user+securebits (capabilities kept across setresuid)" \
	--ambient=net_bind_service --user=nobody --securebits=noroot \
	--drop=sys_module

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

# caps_last_cap() confirms libcap's count with one PR_CAPBSET_READ of the
# last capability; when that fails it reads /proc/sys/kernel/cap_last_cap
# instead.  Failing every PR_CAPBSET_READ capbound makes must therefore
# change nothing: --drop=all still empties the whole bounding set.
rm -f "$MARK"
# shellcheck disable=SC2016 # $1 is the inner shell's
FI_FUNC=prctl FI_PRCTL_OPTION=PR_CAPBSET_READ FI_STICKY=1 FI_ERRNO=EIO \
	LD_PRELOAD=$FI "$CAPBOUND" --drop=all -- \
	sh -c 'grep "^CapBnd:" /proc/self/status >"$1"' sh "$MARK" \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$MARK" 2>/dev/null):$(cat "$TMP/err")" \
	"0:CapBnd:	0000000000000000:" \
	"PR_CAPBSET_READ failing: cap_last_cap read instead, --drop=all empties the set"

# A count that is too low must never leave capabilities in place: with
# PR_CAPBSET_READ failing and /proc/sys/kernel/cap_last_cap saying 30 (a
# file bind-mounted over it in a private mount namespace), "all" would
# end at cap 30 (cap_audit_control); capbound sees cap_setfcap (31) and
# above in its CapBnd and stops.
if command -v unshare >/dev/null 2>&1; then
	echo 30 >"$TMP/last30"
	rm -f "$MARK"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	unshare -m sh -c 'mount --bind "$1" /proc/sys/kernel/cap_last_cap &&
		shift && exec "$@"' sh "$TMP/last30" \
		env FI_FUNC=prctl FI_PRCTL_OPTION=PR_CAPBSET_READ FI_STICKY=1 \
		FI_ERRNO=EIO LD_PRELOAD="$FI" "$CAPBOUND" --drop=all -- \
		"$TOUCH" "$MARK" </dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" 125 "cap_last_cap too low (30): exit 125"
	like "$(cat "$TMP/err")" "capbound: the bounding set holds cap_setfcap,*, beyond the last capability the kernel reports (cap_audit_control)" \
		"  naming the capabilities beyond it"
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

is "$failures" 0 "every injected failure failed closed"
diag "fault injection: $points injection points covered, $((points - failures)) failed closed"
echo "# injection points covered: $points"
done_testing
