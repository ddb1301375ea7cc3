# shellcheck shell=sh
# tests/lib-daemons.sh - private namespaces for the real-client tests
# (sshd, login, cron), sourced after tests/lib.sh.  A namespace is held by
# a sleeping pid 1 started by unshare(1) in new mount, network and pid
# namespaces; in it, copies of passwd, shadow and group, of the stock
# /etc/pam.d/SERVICE with the administrator's one line, a tmpfs /run, a
# tmpfs /var/log (wtmp, lastlog: the clients record logins there), a
# private devpts and a syslog sink at /dev/log are mounted.  Commands
# enter it with nsenter(1).  Nothing on the real system changes; killing
# the holder kills everything started in the namespace.
# SPDX-License-Identifier: GPL-2.0-or-later

MODULE=$TOP/pam_capbound.so
LOGSINK=$TESTS_DIR/helper-logsink
NET_RAW=13

# ids_copy DIR: DIR/passwd, DIR/shadow, DIR/group, copies of the real ones
ids_copy() {
	mkdir -p "$1"
	cp /etc/passwd "$1/passwd"
	cp /etc/shadow "$1/shadow"
	cp /etc/group "$1/group"
	chmod 0644 "$1/passwd" "$1/group"
	chmod 0640 "$1/shadow"
	chgrp shadow "$1/shadow" 2>/dev/null || true
}

# A SHA-512 crypt of "secret": every test user's password (and root's in
# the copies, for su).
# shellcheck disable=SC2016 # a crypt string, not an expansion
PW_HASH='$6$ChOBPfmCtc.DVYCu$1pJNX3iBpAZBBRwuG4j6ekV4dvazD3ogDOcP.CbZNPNuhim0KIU22ypUE2UMjqUZkXGmjWEvU99oF65DV4m0j.'
# shellcheck disable=SC2034 # used by the tests that source this
PW=secret

# ids_user DIR NAME UID GECOS HOME [SHELL]: a user with his own group
ids_user() {
	printf '%s:x:%s:%s:%s:%s:%s\n' "$2" "$3" "$3" "$4" "$5" "${6:-/bin/sh}" \
		>>"$1/passwd"
	printf '%s:%s:20000:0:99999:7:::\n' "$2" "$PW_HASH" >>"$1/shadow"
	printf '%s:x:%s:\n' "$2" "$3" >>"$1/group"
}

# ids_group DIR NAME GID MEMBERS: a supplementary group
ids_group() { printf '%s:x:%s:%s\n' "$2" "$3" "$4" >>"$1/group"; }

# ids_rootpw DIR: root's password in the copy is "secret"
ids_rootpw() {
	awk -F: -v OFS=: -v h="$PW_HASH" '$1 == "root" { $2 = h } { print }' \
		"$1/shadow" >"$1/shadow.new" && cat "$1/shadow.new" >"$1/shadow" &&
		rm -f "$1/shadow.new"
}

# pam_stack SERVICE FILE LINE [AFTER]: FILE is the stock /etc/pam.d/SERVICE
# with LINE appended at its end, or, given AFTER (an extended regular
# expression), inserted after the first line that matches it.
pam_stack() {
	if [ $# -ge 4 ]; then
		awk -v line="$3" -v re="$4" '{ print }
			!done && $0 ~ re { print line; done = 1 }' \
			"/etc/pam.d/$1" >"$2"
	else
		{ cat "/etc/pam.d/$1"; printf '%s\n' "$3"; } >"$2"
	fi
	chmod 0644 "$2"
	grep -qxF -- "$3" "$2"
}

# policy FILE TEXT [MODE]: a root-owned policy file
policy() {
	printf '%s\n' "$2" >"$1"
	chown 0:0 "$1"
	chmod "${3:-0644}" "$1"
}

# ns_start NAME IDS BIND...: start a namespace holder; BIND is SRC:DEST,
# bind-mounted in it, after the copies in IDS over /etc/{passwd,shadow,
# group}.  Its syslog lands in $TMP/NAME.log.  Sets ns_pid_NAME (the
# holder's host pid); returns non-zero when the namespaces cannot be made.
ns_start() {
	_n=$1 _ids=$2
	shift 2
	_d=${TMP:?}/$_n.dev
	rm -rf "$_d" && mkdir -p "$_d/up" "$_d/work"
	: >"$TMP/$_n.log"
	rm -f "$TMP/$_n.ready"
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m -n -p --fork --mount-proc sh -c '
		set -e
		ready=$1 logsink=$2 log=$3 dev=$4 ids=$5
		shift 5
		mount -t overlay overlay \
			-o lowerdir=/dev,upperdir="$dev/up",workdir="$dev/work" /dev
		# The overlay hides /dev/pts: a private instance of its own.
		mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 \
			devpts /dev/pts
		mount --bind /dev/pts/ptmx /dev/ptmx
		for f in passwd shadow group; do
			mount --bind "$ids/$f" "/etc/$f"
		done
		mount -t tmpfs -o mode=0755 tmpfs /run
		mkdir -m 0755 /run/sshd
		mount -t tmpfs -o mode=0755 tmpfs /var/log
		install -m 0664 -g utmp /dev/null /var/log/wtmp
		install -m 0664 -g utmp /dev/null /var/log/lastlog
		install -m 0660 -g utmp /dev/null /var/log/btmp
		install -m 0644 /dev/null /var/log/faillog
		for b in "$@"; do
			mount --bind "${b%%:*}" "${b#*:}"
		done
		ip link set lo up
		rm -f /dev/log
		"$logsink" /dev/log "$log" &
		n=0
		while [ ! -S /dev/log ] && [ $n -lt 300 ]; do
			n=$((n + 1)); sleep 0.01
		done
		: >"$ready"
		exec sleep 600' sh "$TMP/$_n.ready" "$LOGSINK" "$TMP/$_n.log" \
		"$_d" "$_ids" "$@" >"$TMP/$_n.nserr" 2>&1 &
	_u=$!
	_i=0
	while [ ! -e "$TMP/$_n.ready" ] && [ $_i -lt 500 ]; do
		kill -0 "$_u" 2>/dev/null || break
		_i=$((_i + 1)); sleep 0.01
	done
	[ -e "$TMP/$_n.ready" ] || { diag "$(cat "$TMP/$_n.nserr")"; return 1; }
	# The holder is unshare's one child: pid 1 of the new pid namespace.
	_h=$(cat "/proc/$_u/task/$_u/children")
	_h=${_h% }
	eval "ns_pid_$_n=\$_h ns_unshare_$_n=\$_u"
	_ns_all="${_ns_all:-} $_n"
	return 0
}

# in_ns NAME CMD...: run CMD in the namespaces of NAME
in_ns() {
	eval "_h=\$ns_pid_$1"
	shift
	nsenter -t "$_h" -m -n -p -- "$@"
}

# ns_stop NAME: kill the holder (pid 1 there: everything in it dies) and
# reap unshare
ns_stop() {
	eval "_h=\${ns_pid_$1:-} _u=\${ns_unshare_$1:-}"
	[ -n "$_h" ] || return 0
	kill -KILL "$_h" 2>/dev/null
	wait "$_u" 2>/dev/null
	eval "ns_pid_$1="
}

ns_stop_all() {
	for _s in ${_ns_all:-}; do ns_stop "$_s"; done
}
at_exit ns_stop_all

# The login records on the real system: the tests must leave them alone.
# (btmp and faillog are private too, but other tests running at the same
# time may write the real ones: not checked, to stay reliable.)
REAL_RECORDS="/var/log/wtmp /var/log/lastlog"
records_stamp() {
	for _f in $REAL_RECORDS; do
		[ -e "$_f" ] && stat -c '%n %s %Y' "$_f"
	done
}

# mask_without_net_raw: the test's bounding set without net_raw
mask_without_net_raw() { mask_andnot "$(my_bounding)" "$(capmask $NET_RAW)"; }

require_daemon_env() {
	require_root
	require_cmd unshare nsenter mount ip ping expect install
	[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
	[ -x "$LOGSINK" ] || skip_all "tests/helper-logsink not built"
}
