#!/bin/sh
# tests/55-pam-callers.t - pam_capbound where it is deployed, not only
# where it is friendly: the auth placement must fail closed in
# pam_authenticate (libpam discards setcred's result after it) and never
# grant; a threaded client opening the session from a second thread gets
# the drop on that thread; an unprivileged client running as its own
# user (a screen locker) is ignored, any other one still fails closed; a
# FIFO as the policy does not hang a login; a relative conf=, a failed
# conversation and control characters in GECOS are handled.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-pam.sh
. "$(dirname "$0")/lib-pam.sh"

require_root
require_cmd unshare mount setpriv timeout mkfifo
MODULE=$TOP/pam_capbound.so
PAMTEST=$TESTS_DIR/helper-pamtest
LOGSINK=$TESTS_DIR/helper-logsink
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
[ -x "$PAMTEST" ] || skip_all "tests/helper-pamtest not built"
[ -x "$LOGSINK" ] || skip_all "tests/helper-logsink not built"
[ -n "$(find /lib /usr/lib -name pam_debug.so 2>/dev/null)" ] ||
	skip_all "needs pam_debug.so"

NET_RAW=13 SYS_PTRACE=19
START=$(my_bounding)
without() { mask_andnot "$START" "$(capmask "$@")"; }

# chfn -r cap_drop USER writes the room number: "Trick,cap_drop,,".
ESC=$(printf '\033')
{
	echo "pcalice:x:5201:5201:Alice,,,:/nonexistent:/bin/sh"
	echo "pctrick:x:5202:5202:Trick,cap_drop,,:/nonexistent:/bin/sh"
	echo "pcself:x:5203:5203:Self,,,:/nonexistent:/bin/sh"
	echo "pcctl:x:5204:5204:Ctl,,,,cap_drop=net_raw${ESC}[2J:/nonexistent:/bin/sh"
	echo "pcgecos:x:5205:5205:Gecos,,,,cap_drop=net_raw:/nonexistent:/bin/sh"
} >>"$TMP/passwd"
{
	echo "pcalice:x:5201:"
	echo "pctrick:x:5202:"
	echo "pcself:x:5203:"
	echo "pcctl:x:5204:"
	echo "pcgecos:x:5205:"
} >>"$TMP/group"

C=$TMP/capbound.conf
{
	echo "pcalice drop=net_raw,sys_ptrace"
	echo "pctrick drop=all"
	echo "pcself  drop=net_raw"
} | conf "$C"
service main "conf=$C" gecos

# --- the auth placement: authenticate checks what setcred will need ------
pam main pcalice auth
is "$(result auth)" "$IGNORED" "auth, clean check: PAM_IGNORE (never grants)"
is "$(bnd)" "$START" "auth: checks only, drops nothing"
# (setcred's result is the frozen chain's, pam_debug's here: the kernel
# view is what counts.)
pam main pcalice auth establish
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"auth then setcred(ESTABLISH): the drop lands through setcred"

pam main pctrick auth
is "$(result auth)" "$REFUSED" \
	"auth, GECOS 'Trick,cap_drop,,' (chfn -r cap_drop): authentication fails"
pam main pctrick open
is "$(result open)" "$REFUSED" "session, same GECOS: refused"
is "$(bnd)" "$START" "... and nothing ran with a partial drop"

cp "$C" "$TMP/othw.conf"
chmod 0646 "$TMP/othw.conf"
service othw "conf=$TMP/othw.conf"
pam othw pcalice auth
is "$(result auth)" "$REFUSED" "auth, world-writable policy: authentication fails"
service missing "conf=$TMP/no-such.conf"
pam missing pcalice auth
is "$(result auth)" "$REFUSED" "auth, missing policy: authentication fails"
echo "pcalice drop=net_raw+ep" | conf "$TMP/bad.conf"
service bad "conf=$TMP/bad.conf"
pam bad pcalice auth
is "$(result auth)" "$REFUSED" "auth, parse error: authentication fails"
pam main pcnobody auth
is "$(result auth)" PAM_USER_UNKNOWN "auth, unknown user: PAM_USER_UNKNOWN"

# A caller that cannot drop, and is not the user itself: fails closed.
WRAP="setpriv --reuid=5209 --regid=5209 --clear-groups"
pam main pcalice auth
is "$(result auth)" "$REFUSED" \
	"auth, caller without cap_setpcap (another uid): authentication fails"
pam main pcalice open
is "$(result open)" "$REFUSED" "session, same caller: refused"
WRAP=

# Never a grant: a failed pam_deny before the module stays a failure.
{
	echo "auth [success=done default=ignore] pam_deny.so"
	echo "auth required $MODULE conf=$C"
} >"$TMP/pam.d/deny"
pam deny pcalice auth
like "$(result auth)" "PAM_*" "pam_deny, then the module: answered"
[ "$(result auth)" != PAM_SUCCESS ]
ok $? "... not PAM_SUCCESS: the module never authenticates anyone ($(result auth))"
echo "auth required $MODULE conf=$C" >"$TMP/pam.d/alone"
pam alone pcalice auth
[ -n "$(result auth)" ] && [ "$(result auth)" != PAM_SUCCESS ]
ok $? "the module alone in auth: pam_authenticate fails ($(result auth))"

# --- threads: the drop acts on, and is checked on, the calling thread ---
pam main pcalice thread open
is "$(result open)" PAM_SUCCESS "session opened from a second thread: succeeds"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"... that thread (which execs the command) lost net_raw, sys_ptrace"
# A thread that was there before the main thread's session: its own
# sets are still whole, whatever the leader's /proc/self/status says.
# (Before the fix the module planned from, and read back, the leader's
# status: it found nothing left to drop and said PAM_SUCCESS while this
# thread, and the command it execs, kept everything.)
pam main pcalice spawn open switch open
is "$(result open)" "PAM_SUCCESS
PAM_SUCCESS" "main thread's session, then an older thread's: both succeed"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"... the older thread's own sets were read and the drop made there too"
# A thread started after the drop inherits it: nothing left.
pam main pcalice open thread open
is "$(result open)" "PAM_SUCCESS
PAM_SUCCESS" "main thread, then a second thread: both succeed"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"... the second thread holds the drop"

# --- an unprivileged caller running as the user: ignored ----------------
chmod 0600 "$C"
WRAP="setpriv --reuid=5203 --regid=5203 --clear-groups"
pam main pcself open
is "$(result open)" "$IGNORED" \
	"screen locker (the user itself, no cap_setpcap), 0600 policy: ignored"
is "$(status_field "$TMP/status" Uid)" "5203	5203	5203	5203" \
	"... it really ran as the user"
pam main pcself auth establish
is "$(result auth) $(result establish)" "$IGNORED $IGNORED" \
	"... auth and setcred: ignored too"
WRAP="setpriv --reuid=5209 --regid=5209 --clear-groups"
pam main pcself open
is "$(result open)" "$REFUSED" "unprivileged caller with other ids: still refused"
WRAP=
chmod 0644 "$C"

# --- a FIFO as the policy: no hang, refused ------------------------------
mkfifo "$TMP/fifo.conf"
service fifo "conf=$TMP/fifo.conf"
WRAP="timeout 20"
pam fifo pcalice open
WRAP=
[ "$rc" -ne 124 ]
ok $? "a FIFO at the policy path does not hang the login (rc $rc)"
is "$(result open)" "$REFUSED" "... and is refused"

# --- a relative conf=: refused, whatever the working directory holds ----
cp "$C" "$TMP/rel.conf"
service rel "conf=rel.conf"
(cd "$TMP" && logged rel pcalice open)
is "$(result open)" "$REFUSED" "relative conf=: refused"
like "$(cat "$TMP/log")" '*argument "conf=rel.conf": the policy file must be an absolute path: failing closed*' \
	"  syslog: says the path must be absolute"
# ... and the default file is not taken instead: with a policy at
# /etc/security/capbound.conf (a tmpfs over /etc/security, in the test's
# mount namespace only) that drops for pcalice, a stack without conf=
# applies it, and the relative conf= is still refused with nothing dropped.
cat >"$TMP/withdefault" <<EOF
mount -t tmpfs -o mode=0755 capbound-test /etc/security || exit 99
cp "$C" /etc/security/capbound.conf || exit 99
chmod 0644 /etc/security/capbound.conf || exit 99
exec "\$@"
EOF
service dflt
WRAP="sh $TMP/withdefault"
pam dflt pcalice open
is "$(result open)" PAM_SUCCESS "no conf=: /etc/security/capbound.conf is the policy"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" "  and its line for pcalice is applied"
pam rel pcalice open
WRAP=
is "$(result open)" "$REFUSED" "relative conf=, a default policy in place: still refused"
is "$(bnd)" "$START" "  and the default policy is not applied instead"

# --- what the log says with and without the debug argument ---------------
# An @group that names no group is said (a typo would silently match
# nobody); "debug" adds the matching line, or that none matches; without
# it neither is logged.
{
	echo "@pcnosuchgroup drop=net_raw"
	echo "pcalice drop=net_raw"
} | conf "$TMP/dbg.conf"
service dbg "conf=$TMP/dbg.conf" debug
service nodbg "conf=$TMP/dbg.conf"
logged dbg pcself open
like "$(cat "$TMP/log")" "*$TMP/dbg.conf:1: *pcnosuchgroup*" \
	"an @group naming no group: logged, with the file and line"
like "$(cat "$TMP/log")" "*user pcself: no rule in $TMP/dbg.conf matches*" \
	"debug: no rule matches, said"
logged dbg pcalice open
like "$(cat "$TMP/log")" "*user pcalice: $TMP/dbg.conf:2 matches*" \
	"debug: the matching line, said"
logged nodbg pcalice open
is "$(grep -c "dbg.conf:2 matches" "$TMP/log")" 0 "without debug: no debug line (matching user)"
logged nodbg pcself open
is "$(grep -c "no rule in" "$TMP/log")" 0 "without debug: no debug line (no rule)"
service dbgg "conf=$TMP/dbg.conf" gecos debug
service nodbgg "conf=$TMP/dbg.conf" gecos
logged dbgg pcgecos open
like "$(cat "$TMP/log")" "*user pcgecos: GECOS cap_drop=*net_raw*" \
	"debug: a GECOS cap_drop= found, said"
logged nodbgg pcgecos open
like "$(cat "$TMP/log")" "*user pcgecos: dropped cap_net_raw*" \
	"without debug: the GECOS drop is applied and logged"
is "$(grep -c "GECOS cap_drop=" "$TMP/log")" 0 "  but not the debug line of the GECOS field"

# Every applied drop is logged, naming what was dropped.
logged main pcalice open
like "$(cat "$TMP/log")" "*user pcalice: dropped cap_net_raw,cap_sys_ptrace*" \
	"syslog: the applied drop, by name"

# --- a failed conversation is not an unknown user ------------------------
pam main - open
is "$(result open)" "$REFUSED" \
	"no user and a failing conversation: refused, not PAM_USER_UNKNOWN"

# --- the log: control characters escaped; the screen locker's line -------
logged main pcctl open
is "$(result open)" "$REFUSED" "GECOS with an escape sequence after cap_drop=: refused"
like "$(cat "$TMP/log")" '*user pcctl: GECOS: cap_drop=: net_raw\\x1b\[2J: unknown capability*' \
	"syslog: the escape character is written as \\x1b"
grep -q "$ESC" "$TMP/log" && r=1 || r=0
ok "$r" "syslog: no raw escape character"
WRAP="setpriv --reuid=5203 --regid=5203 --clear-groups"
logged main pcself open
WRAP=
# <85> = LOG_AUTHPRIV (10 << 3) | LOG_NOTICE (5)
like "$(cat "$TMP/log")" "*<85>*user pcself: the caller runs as the user without cap_setpcap*ignored*" \
	"syslog: the ignored screen locker is logged at notice"

is "$(my_bounding)" "$START" "the test's own bounding set is untouched"
done_testing
