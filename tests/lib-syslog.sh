# shellcheck shell=sh
# tests/lib-syslog.sh - run a command that logs through syslog(3) with a
# private /dev/log, so that a test reads the module's own lines.  Sourced
# after lib.sh; the caller sets LOGSINK (tests/helper-logsink).
# SPDX-License-Identifier: GPL-2.0-or-later

# in_syslog_ns LOG PASSWD GROUP NOPROC CMD...: CMD in a private mount
# namespace with PASSWD and GROUP bound over /etc/passwd and /etc/group,
# the sink at /dev/log (on an overlay of /dev) writing LOG, and with
# NOPROC=1 /proc hidden under a tmpfs (a fresh proc at $TMP/proc2).
# Status in $rc (99: the namespace could not be set up); stdout and stderr
# are the caller's.
in_syslog_ns() {
	_log=$1 _passwd=$2 _group=$3 _noproc=$4
	shift 4
	: >"$_log"
	# A fresh upper layer: a socket left by the last run would look ready.
	rm -rf "${TMP:?}/up" "${TMP:?}/work"
	mkdir "$TMP/up" "$TMP/work"
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m sh -c 'mount -t overlay overlay \
		-o lowerdir=/dev,upperdir="$1",workdir="$2" /dev || exit 99
		mount --bind "$3" /etc/passwd && mount --bind "$4" /etc/group ||
			exit 99
		"$5" /dev/log "$6" & sink=$!
		n=0; while [ ! -S /dev/log ] && [ $n -lt 200 ]; do
			n=$((n + 1)); sleep 0.01; done
		if [ "$7" = 1 ]; then
			mkdir -p "$8/proc2" && mount -t proc proc "$8/proc2" &&
			mount -t tmpfs none /proc || exit 99
		fi
		shift 8
		"$@"; r=$?
		sleep 0.1; kill $sink; exit $r' sh "$TMP/up" "$TMP/work" \
		"$_passwd" "$_group" "$LOGSINK" "$_log" "$_noproc" "$TMP" "$@"
	# shellcheck disable=SC2034 # the callers read rc
	rc=$?
}
