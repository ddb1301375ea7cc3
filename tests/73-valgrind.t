#!/bin/sh
# tests/73-valgrind.t - the paths that never exec (--help, --version,
# --print [--json], --list, --decode, --dry-run with a user and groups,
# and every exit-125 path in the table below) run clean under valgrind:
# no memory error, no definite leak, and the expected exit status.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null 2>&1 ||
	skip_all "valgrind is not installed (CI installs it: tools/deps.sh test)"
[ -x "$CAPBOUND" ] || skip_all "$CAPBOUND is not built"
if readelf --dyn-syms -W "$CAPBOUND" 2>/dev/null | grep -q '__asan_init'; then
	# By design, not for want of a tool: valgrind cannot run an ASan
	# binary, and make sanitize already checks this one's memory.
	echo "1..0 # SKIP $CAPBOUND is an ASan build (make sanitize)"
	exit 0
fi

# The table: WANT_STATUS ARGS... (one case a line; "|" separates arguments
# so that empty and spaced arguments survive).
cat >"$TMP/table" <<'TABLE'
0|--help
0|--version
0|--print
0|--print|--json
0|--list
0|--decode=000001ffffffffff
0|--decode=0
0|--dry-run|--drop=net_raw,sys_admin|--|true
0|--dry-run|--keep=net_bind_service|--ambient=net_bind_service|--user=nobody|--groups=nogroup,users|--|true
0|--dry-run|--user=nobody|--group=nogroup|--no-new-privs|--securebits=noroot|--reset-env
125|--drop=bogus|--|true
125|--drop=|--|true
125|--drop=net_raw,|--|true
125|--drop=net_raw+ep|--|true
125|--drop=64|--|true
125|--keep=12x|--|true
125|--ambient=net_raw|--drop=net_raw|--|true
125|--user=no-such-user-capbound|--|true
125|--user=4294967295|--|true
125|--user=|--|true
125|--user=123456789|--|true
125|--user=nobody|--user=root|--|true
125|--group=no-such-group-capbound|--|true
125|--groups=1,,2|--|true
125|--groups=no-such-group-capbound|--|true
125|--securebits=bogus|--|true
125|--print|--list
125|--print|true
125|--json
125|--decode=zz
125|--decode=1ffffffffffffffff
125|--no-such-option
TABLE

# Without CAP_SETPCAP, a drop is refused before anything changes.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	echo "125|@nobody|--drop=net_raw|--|true" >>"$TMP/table"
fi

# The policy checked for a user, @group rules and all (the module's own
# code: the group table is read, matched and freed).
if [ "$(id -u)" -eq 0 ]; then
	printf '@nogroup drop=net_raw\n@root drop=sys_ptrace\n* drop=sys_module\n' \
		>"$TMP/vg.conf"
	chmod 0644 "$TMP/vg.conf"
	echo "0|--check-config=$TMP/vg.conf|--user=root" >>"$TMP/table"
	echo "0|--check-config=$TMP/vg.conf|--user=nobody" >>"$TMP/table"
	# A group look-up that fails (not "no such group") after the group
	# table was read: 125, and the table freed on that path too.  In a
	# private mount namespace, "group: files" only and a group database
	# that the caller (nobody) cannot read: the enumeration just ends
	# (glibc hides its errors), and getgrnam_r then reports EACCES.
	if command -v unshare >/dev/null 2>&1 &&
	    command -v setpriv >/dev/null 2>&1; then
		printf '@capbound-no-such-group drop=net_raw\n' >"$TMP/vgfail.conf"
		chmod 0644 "$TMP/vgfail.conf"
		printf 'passwd: files\ngroup: files\n' >"$TMP/nsswitch.conf"
		cp /etc/group "$TMP/group.0600"
		chmod 0600 "$TMP/group.0600"
		echo "125|@nsfail|--check-config=$TMP/vgfail.conf|--user=root" \
			>>"$TMP/table"
	fi
fi

# nsfail CMD...: CMD as nobody, with the failing group database above.
nsfail() {
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m sh -c 'mount --bind "$1" /etc/nsswitch.conf &&
		mount --bind "$2" /etc/group && shift 2 && exec "$@"' sh \
		"$TMP/nsswitch.conf" "$TMP/group.0600" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# Logs go where the case run as nobody can write too.
mkdir "$TMP/vg" && chmod 1777 "$TMP/vg"

# vg N LINE: run case N in the background; status to $TMP/rc.N
vg() {
	_n=$1
	_want=${2%%|*}
	_args=${2#*|}
	_pre=""
	case $_args in
	@nobody\|*)
		_pre="setpriv --reuid=nobody --regid=nogroup --clear-groups"
		_args=${_args#@nobody|}
		;;
	@nsfail\|*)
		_pre=nsfail
		_args=${_args#@nsfail|}
		;;
	esac
	(
		IFS='|'
		# shellcheck disable=SC2086 # split on | on purpose
		set -- $_args
		IFS=' '
		# shellcheck disable=SC2086 # $_pre is a command prefix
		$_pre valgrind -q --error-exitcode=1 --leak-check=full \
			--errors-for-leak-kinds=definite --read-inline-info=no \
			--log-file="$TMP/vg/$_n" \
			"$CAPBOUND" "$@" </dev/null >/dev/null 2>"$TMP/err.$_n"
		echo $? >"$TMP/rc.$_n"
	) &
	echo "$_want" >"$TMP/want.$_n"
	echo "$_args" >"$TMP/args.$_n"
}

n=0
while IFS= read -r line; do
	n=$((n + 1))
	vg "$n" "$line"
	# Two at a time: the suite has two cores to share.
	[ $((n % 2)) -eq 0 ] && wait
done <"$TMP/table"
wait

i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	want=$(cat "$TMP/want.$i")
	args=$(tr '|' ' ' <"$TMP/args.$i")
	got=$(cat "$TMP/rc.$i" 2>/dev/null || echo none)
	log=$(cat "$TMP/vg/$i" 2>/dev/null)
	if [ "$got" = "$want" ] && [ -z "$log" ]; then
		ok 0 "valgrind clean, exit $got: capbound $args"
	else
		ok 1 "valgrind clean, exit $want: capbound $args"
		diag "exit $got; valgrind says:"
		printf '%s\n' "$log" | sed 's/^/#   /'
		sed 's/^/#   stderr: /' "$TMP/err.$i"
	fi
done
done_testing
