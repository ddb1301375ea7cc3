#!/bin/sh
# Failure injection and bad input for the identity options: every refusal
# is exit 125 with a message, and the command never runs.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
require_cmd setpriv unshare

marker="$TMP/ran"
NOBODY_UID=$(id -u nobody)
# refused NAME CMD...: exit 125, a capbound message, the command not run.
refused() {
	_name=$1; shift
	rm -f "$marker"
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" 125 "$_name: exit 125"
	ok "$([ ! -e "$marker" ]; echo $?)" "$_name: the command did not run"
	like "$(cat "$TMP/err")" "capbound: *" "$_name: says why: $(head -n1 "$TMP/err")"
}
MARK="touch $marker"

# --- a switch the kernel refuses
if unshare -U -r true 2>/dev/null; then
	# Only uid 0 is mapped and setgroups is denied in this namespace.
	refused "unshare -U -r, --user=nobody" \
		unshare -U -r "$CAPBOUND" --user=nobody -- sh -c "$MARK"
	like "$(cat "$TMP/err")" "*setgroups(*): this user namespace denies setgroups*" \
		"... the refused setgroups is named, with the reason"
	refused "unshare -U -r, --groups=0" \
		unshare -U -r "$CAPBOUND" --groups=0 -- sh -c "$MARK"
	refused "unshare -U -r, --group=1 (gid 1 not mapped)" \
		unshare -U -r "$CAPBOUND" --group=1 -- sh -c "$MARK"
	like "$(cat "$TMP/err")" "*setresgid(1)*" "... the refused setresgid is named"
	# Nothing to change (uid 0, gid 0, no groups already): it runs.
	rm -f "$marker"
	unshare -U -r "$CAPBOUND" --user=0 --group=0 --groups= -- sh -c "$MARK"
	ok "$([ -e "$marker" ]; echo $?)" "unshare -U -r, a switch to the same ids: runs"
	# Control: the same namespace runs a command when no switch is asked.
	rm -f "$marker"
	unshare -U -r "$CAPBOUND" --drop=net_raw -- sh -c "$MARK"
	ok "$([ -e "$marker" ]; echo $?)" "unshare -U -r (control): runs without --user"
else
	skip "unshare -U -r" "user namespaces are not available"
fi

# setgroups and setresgid work, setresuid is refused: capbound holds
# cap_setgid and cap_setpcap only (securebit noroot keeps root's others away).
refused "no cap_setuid: setresuid refused after setgroups/setresgid" \
	setpriv --securebits=+noroot --inh-caps=+setgid,+setpcap \
	--ambient-caps=+setgid,+setpcap "$CAPBOUND" --user=nobody -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*setresuid($NOBODY_UID(*)): cap_setuid is needed*" \
	"... names setresuid and the capability it lacks"
refused "--ambient of a capability capbound does not hold" \
	setpriv --securebits=+noroot --inh-caps=+setgid,+setuid,+setpcap \
	--ambient-caps=+setgid,+setuid,+setpcap "$CAPBOUND" --ambient=net_raw \
	--user=nobody -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*cap_net_raw: not permitted*" "... named"

# --- dropping the very capabilities the switch needs still works: the
# bounding set limits exec, not capbound's own permitted set.
capstatus --drop=setuid,setgid,setpcap --user=nobody
is "$rc" 0 "--drop=setuid,setgid,setpcap --user=nobody: ran"
is "$(status_field "$TMP/status" Uid)" \
	"$NOBODY_UID	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID" "... as nobody"
is "$(mask_and "$(status_field "$TMP/status" CapBnd)" "$(capmask 6 7 8)")" \
	0000000000000000 "... and setgid, setuid, setpcap out of CapBnd"
is "$(status_field "$TMP/status" CapPrm)" 0000000000000000 "... CapPrm empty"
capstatus --drop=setuid,setgid,setpcap --keep=net_bind_service,setuid,setgid,setpcap \
	--ambient=net_bind_service --user=nobody
is "$rc" 0 "... also with --ambient=net_bind_service"
is "$(status_field "$TMP/status" CapAmb)" "$(capmask 10)" "... CapAmb net_bind_service"
is "$(status_field "$TMP/status" CapBnd)" "$(capmask 10)" "... CapBnd net_bind_service"

# --- bad input
refused "unknown user" "$CAPBOUND" --user=capbound-no-such-user -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*capbound-no-such-user: no such user*" "... named"
refused "unknown group" "$CAPBOUND" --group=capbound-no-such-group -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*capbound-no-such-group: no such group*" "... named"
refused "unknown group in --groups" "$CAPBOUND" --groups=root,capbound-nix -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*capbound-nix: no such group*" "... the bad item named"
refused "--groups with an empty item" "$CAPBOUND" --groups=capbound-nix,,0 -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*empty item*" "... says empty item"
refused "0day is a name" "$CAPBOUND" --user=0day -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*0day: no such user*" "... no such user 0day"
refused "--user=-1 (setpriv's \"unchanged\")" "$CAPBOUND" --user=-1 -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*-1: no such user*never \"unchanged\"*" \
	"... says -1 never means unchanged"
for bad in -1 4294967295 4294967296 99999999999999999999; do
	refused "--user=$bad" "$CAPBOUND" --user=$bad -- sh -c "$MARK"
	refused "--group=$bad" "$CAPBOUND" --group=$bad -- sh -c "$MARK"
done
refused "--groups=0,4294967295" "$CAPBOUND" --groups=0,4294967295 -- sh -c "$MARK"
refused "--user= (empty)" "$CAPBOUND" --user= -- sh -c "$MARK"
refused "--user twice" "$CAPBOUND" --user=root --user=nobody -- sh -c "$MARK"
refused "--ambient of a dropped capability" \
	"$CAPBOUND" --drop=net_raw --ambient=net_raw --user=nobody -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*cap_net_raw: not in the resulting bounding set*" "... named"
refused "--ambient outside --keep" \
	"$CAPBOUND" --keep=chown --ambient=net_raw -- sh -c "$MARK"
refused "--securebits=bogus" "$CAPBOUND" --securebits=bogus -- sh -c "$MARK"
refused "--securebits with an empty item" \
	"$CAPBOUND" --securebits=noroot, -- sh -c "$MARK"
like "$(cat "$TMP/err")" "*empty item*" "... says empty item"
refused "--securebits= (empty)" "$CAPBOUND" --securebits= -- sh -c "$MARK"

# A group database the caller cannot read, with "files" alone in
# nsswitch.conf (a private mount namespace): getgrouplist(3) reports no
# error, only leaves EACCES in errno; capbound takes that hint, reads the
# whole database with a look-up that does report errors, and stops,
# rather than switching with the primary group alone.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	cp /etc/group "$TMP/group.0600"
	chmod 0600 "$TMP/group.0600"
	printf 'passwd: files\ngroup: files\nshadow: files\n' >"$TMP/nss.files"
	for how in "--dry-run" ""; do
		# shellcheck disable=SC2016,SC2086 # $1.. are the inner shell's; how: a word or none
		unshare -m sh -c 'mount --bind "$1" /etc/group &&
			mount --bind "$2" /etc/nsswitch.conf || exit 99
			shift 2; exec "$@"' sh "$TMP/group.0600" "$TMP/nss.files" \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$CAPBOUND" $how --user=daemon -- true \
			</dev/null >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/err")" \
			"125:capbound: --user: reading the groups of daemon: Permission denied" \
			"an unreadable group database (files only)${how:+, $how}: 125, naming the user and why"
	done
else
	skip "an unreadable group database" "needs root and unshare -m"
	skip "an unreadable group database, --dry-run" "needs root and unshare -m"
fi

# An unreadable passwd database ($EACCES_FILE: not even root may read it)
# under "files" and under Debian's own nsswitch.conf, "files systemd",
# where glibc answers nss_systemd's "not found" and hides the error: a
# user is "not found" only when /etc/passwd could be read.  (nss_systemd
# makes up root and nobody itself, so the test asks for daemon.)
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null &&
	debian_nsswitch "$TMP/nss.pw.debian"; then
	printf 'passwd: files\ngroup: files\n' >"$TMP/nss.pw.files"
	for ns in "$TMP/nss.pw.files" "$TMP/nss.pw.debian"; do
		nsname=$(sed -n 's/^passwd:[[:space:]]*/passwd: /p' "$ns")
		for who in daemon 12345:0; do
			rm -f "$marker"
			# shellcheck disable=SC2016 # $1.. are the inner shell's
			unshare -m sh -c 'mount --bind "$1" /etc/passwd &&
				mount --bind "$2" /etc/nsswitch.conf || exit 99
				shift 2; exec "$@"' sh "$EACCES_FILE" "$ns" \
				"$CAPBOUND" --user="$who" -- sh -c "$MARK" \
				</dev/null >"$TMP/out" 2>"$TMP/err"
			is "$?:$(cat "$TMP/err"):$([ -e "$marker" ] && echo ran)" \
				"125:capbound: --user: looking up ${who%%:*}: Permission denied:" \
				"$nsname, unreadable /etc/passwd: --user=$who fails (125), naming why; nothing ran"
		done
	done
else
	for _i in 1 2 3 4; do
		skip "an unreadable passwd database" \
			"needs root, unshare -m and libnss_systemd.so.2"
	done
fi

done_testing
