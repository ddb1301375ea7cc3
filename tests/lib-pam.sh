# shellcheck shell=sh disable=SC2034 # the variables are for the tests
# tests/lib-pam.sh - pam_capbound through real PAM with the tests' own
# pam.d (tests/helper-pamtest, pam_start_confdir) and copies of the user
# and group databases bind-mounted in a private mount namespace.  Sourced
# after lib.sh; the caller sets MODULE, PAMTEST, LOGSINK and writes the
# test users into $TMP/passwd and $TMP/group.
# SPDX-License-Identifier: GPL-2.0-or-later

# shellcheck source=tests/lib-syslog.sh
. "$TESTS_DIR/lib-syslog.sh"

mkdir "$TMP/pam.d"
cp /etc/passwd "$TMP/passwd"
cp /etc/group "$TMP/group"

# service NAME ARGS...: a stack with the module in session and auth.  A
# stack whose only module ignores fails with PAM_PERM_DENIED, so after
# the module comes pam_debug, reached only when the module returned
# PAM_IGNORE, answering PAM_NO_MODULE_DATA: that code means "ignored".
service() {
	_name=$1
	shift
	{
		echo "session [success=done ignore=ignore default=die] $MODULE $*"
		echo "session required pam_debug.so open_session=no_module_data close_session=no_module_data"
		echo "auth [success=done ignore=ignore default=die] $MODULE $*"
		echo "auth required pam_debug.so auth=no_module_data cred=no_module_data"
	} >"$TMP/pam.d/$_name"
}
IGNORED=PAM_NO_MODULE_DATA
# What a failing-closed session returns: sudo goes on after PAM_SESSION_ERR.
REFUSED=PAM_SYSTEM_ERR

# conf FILE: the policy on stdin, root's, 0644
conf() {
	cat >"$1"
	chown 0:0 "$1"
	chmod 0644 "$1"
}

# pam SERVICE USER ACTION...: driver in the namespace; the results land
# in $TMP/out, the launched cat's status in $TMP/status.
pam() {
	# $WRAP: a command prefix, split on purpose; $1.. are the inner sh's.
	# shellcheck disable=SC2086,SC2016
	unshare -m sh -c 'mount --bind "$1" /etc/passwd &&
		mount --bind "$2" /etc/group && shift 2 && exec "$@"' sh \
		"$TMP/passwd" "$TMP/group" $WRAP "$PAMTEST" "$TMP/pam.d" "$@" \
		-- cat /proc/self/status >"$TMP/all" 2>"$TMP/err"
	rc=$?
	grep -v '^[A-Z][A-Za-z_]*:' "$TMP/all" >"$TMP/out"
	grep '^[A-Z][A-Za-z_]*:' "$TMP/all" >"$TMP/status"
}
WRAP=
result() { sed -n "s/^$1=//p" "$TMP/out"; }
bnd() { status_field "$TMP/status" CapBnd; }

# logged SERVICE USER ACTION: the driver with a syslog sink at /dev/log,
# the lines in $TMP/log
logged() {
	# $WRAP: a command prefix, split on purpose.
	# shellcheck disable=SC2086
	in_syslog_ns "$TMP/log" "$TMP/passwd" "$TMP/group" 0 \
		$WRAP "$PAMTEST" "$TMP/pam.d" "$@" >"$TMP/out" 2>"$TMP/err"
}
