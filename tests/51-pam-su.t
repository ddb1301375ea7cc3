#!/bin/sh
# End to end with the real su(1): in a private mount and network namespace,
# a test /etc/passwd (a user whose GECOS carries cap_drop=net_raw) and a
# test /etc/pam.d/su using pam_capbound are bind-mounted; root su's to the
# user.  The session's bounding set lacks net_raw, ping cannot get its raw
# socket, and a set-user-ID-root program run inside the session does not
# get net_raw back.  Nothing on the real system changes.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd unshare mount su ping ip
MODULE=$TOP/pam_capbound.so
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"

NET_RAW=13
START=$(my_bounding)

cp /etc/passwd "$TMP/passwd"
cp /etc/group "$TMP/group"
cat >>"$TMP/passwd" <<'EOF'
pamping:x:5101:5101:Ping User,,,,cap_drop=net_raw:/nonexistent:/bin/sh
pamfree:x:5102:5102:Free User,,,:/nonexistent:/bin/sh
EOF
cat >>"$TMP/group" <<'EOF'
pamping:x:5101:
pamfree:x:5102:
EOF
# The policy file has no rule: GECOS alone decides (module argument gecos).
printf '# pam_capbound policy for the su test: GECOS only\n' >"$TMP/capbound.conf"
chmod 0644 "$TMP/capbound.conf"
cat >"$TMP/su" <<EOF
auth     sufficient pam_rootok.so
auth     required   pam_deny.so
account  required   pam_permit.so
session  required   pam_permit.so
session  required   $MODULE conf=$TMP/capbound.conf gecos
EOF

# A set-user-ID-root program, made by the test (the directory is 0755).
cp /bin/cat "$TMP/suidcat"
chown 0:0 "$TMP/suidcat"
chmod 4755 "$TMP/suidcat"

# in_ns USER: su to USER in the namespaces and run, in the session, cat
# /proc/self/status, ping, and the set-user-ID copy; transcript to $TMP/out.
in_ns() {
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m -n sh -c '
		mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group &&
		mount --bind "$3" /etc/pam.d/su && ip link set lo up || exit 99
		exec su -s /bin/sh "$5" -c "
			echo == id; id
			echo == status; cat /proc/self/status
			echo == ping; ping -c 1 -W 2 127.0.0.1 2>&1; echo ping-rc=\$?
			echo == setuid-root; $4 /proc/self/status"' sh \
		"$TMP/passwd" "$TMP/group" "$TMP/su" "$TMP/suidcat" "$1" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	# Split the transcript into its sections.
	sed -n '/^== status$/,/^== ping$/p' "$TMP/out" >"$TMP/status"
	sed -n '/^== setuid-root$/,$p' "$TMP/out" >"$TMP/suid"
}
field() { status_field "$1" "$2"; }

in_ns pamping
[ "$rc" -eq 99 ] && skip_all "cannot set up the mount/network namespace"
is "$rc" 0 "su to a user with GECOS cap_drop=net_raw succeeds"
[ "$rc" -eq 0 ] || { diag "$(cat "$TMP/err")"; diag "$(cat "$TMP/out")"; }
like "$(sed -n 2p "$TMP/out")" "uid=5101(pamping)*" "the session runs as the user"
is "$(field "$TMP/status" CapBnd)" "$(mask_andnot "$START" "$(capmask $NET_RAW)")" \
	"the session's CapBnd lacks net_raw (and keeps everything else)"
like "$(sed -n '/^== ping$/,/^== setuid-root$/p' "$TMP/out")" "*ping-rc=[1-9]*" \
	"ping fails in the session"
like "$(sed -n '/^== ping$/,/^== setuid-root$/p' "$TMP/out")" \
	"*Operation not permitted*" "ping: refused, Operation not permitted"
is "$(field "$TMP/suid" Uid | awk '{print $2}')" 0 \
	"the set-user-ID-root copy did run with euid 0"
is "$(field "$TMP/suid" CapPrm)" "$(mask_andnot "$START" "$(capmask $NET_RAW)")" \
	"set-user-ID root in the session: CapPrm is the bound, without net_raw"
is "$(field "$TMP/suid" CapEff)" "$(mask_andnot "$START" "$(capmask $NET_RAW)")" \
	"set-user-ID root in the session: CapEff without net_raw"
cp "$TMP/out" "$TMP/transcript-pamping"

# The control: the same su, a user without the property.  The test could
# fail: here ping works and the set-user-ID copy does get net_raw.
in_ns pamfree
is "$rc" 0 "su to a user without cap_drop succeeds"
is "$(field "$TMP/status" CapBnd)" "$START" "control: the bounding set is whole"
like "$(cat "$TMP/out")" "*ping-rc=0*" "control: ping works"
is "$(field "$TMP/suid" CapEff)" "$START" \
	"control: set-user-ID root gets every capability of the bound, net_raw too"

# A broken policy makes su fail: no session without the drop.
chmod 0666 "$TMP/capbound.conf"
in_ns pamping
[ "$rc" -ne 0 ] && r=0 || r=1
ok "$r" "world-writable policy: su refuses the session (rc $rc)"
is "$(cat "$TMP/out")" "" "world-writable policy: nothing ran in the session"
like "$(cat "$TMP/err")" "*su: *" "su says why it failed"
chmod 0644 "$TMP/capbound.conf"

grep -q '^pamping:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test user"
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"

done_testing
