#!/bin/sh
# pam_capbound through real PAM: pam_start_confdir with the tests' own
# pam.d, users and groups from test copies of /etc/passwd and /etc/group
# bind-mounted in a private mount namespace, the result read by the
# command the driver execs (cat /proc/self/status): the kernel's view.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-pam.sh
. "$(dirname "$0")/lib-pam.sh"

require_root
require_cmd unshare mount setpriv
MODULE=$TOP/pam_capbound.so
PAMTEST=$TESTS_DIR/helper-pamtest
LOGSINK=$TESTS_DIR/helper-logsink
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
[ -x "$PAMTEST" ] || skip_all "tests/helper-pamtest not built"
[ -e /lib/x86_64-linux-gnu/security/pam_debug.so ] ||
	[ -n "$(find /lib /usr/lib -name pam_debug.so 2>/dev/null)" ] ||
	skip_all "needs pam_debug.so"

CHOWN=0 NET_RAW=13 SYS_MODULE=16 SYS_PTRACE=19 SYS_ADMIN=21 DAC_OVERRIDE=1 SETPCAP=8

START=$(my_bounding)
# what the bounding set becomes when CAPS (numbers) are dropped
without() { mask_andnot "$START" "$(capmask "$@")"; }
# ... when only CAPS are kept
only() { mask_and "$START" "$(capmask "$@")"; }

# Test users and groups, added to copies of the real databases.
cat >>"$TMP/passwd" <<'EOF'
pamalice:x:5001:5001:Alice,,,:/nonexistent:/bin/sh
pamcarol:x:5003:5003:Carol:/nonexistent:/bin/sh
pamdave:x:5004:5011:Dave:/nonexistent:/bin/sh
pamerin:x:5005:5005:Erin:/nonexistent:/bin/sh
pamgina:x:5006:5006:Gina,,,,cap_drop=net_raw, sys_ptrace:/nonexistent:/bin/sh
pambad:x:5007:5007:Bad,cap_drop=net_rawx:/nonexistent:/bin/sh
pamtypo:x:5008:5008:Typo cap_drop=net_raw:/nonexistent:/bin/sh
pamkeep:x:5009:5009:Keep:/nonexistent:/bin/sh
EOF
cat >>"$TMP/group" <<'EOF'
pamalice:x:5001:
pamcarol:x:5003:
pamerin:x:5005:
pamgina:x:5006:
pambad:x:5007:
pamtypo:x:5008:
pamkeep:x:5009:
pambuild:x:5010:pamerin,pamcarol
pamprim:x:5011:
EOF

C=$TMP/capbound.conf
conf "$C" <<'EOF'
# who        what
pamalice     drop=net_raw,sys_ptrace   # the example user

@pambuild    keep=chown, dac_override,fowner,net_raw
@pamprim     drop=sys_admin
pamalice     drop=chown
pamkeep      keep=chown,net_raw,sys_admin drop=net_raw
*            drop=sys_module
EOF
service main "conf=$C"

pam main pamalice open
is "$(result open)" PAM_SUCCESS "user line: open_session succeeds"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"user line: net_raw and sys_ptrace gone from the session's bounding set"

pam main pamerin open
is "$(result open)" PAM_SUCCESS "@group, supplementary member: succeeds"
is "$(bnd)" "$(only $CHOWN $DAC_OVERRIDE 3 $NET_RAW)" \
	"@group, supplementary: keep= leaves only chown,dac_override,fowner,net_raw"

pam main pamcarol open
is "$(bnd)" "$(only $CHOWN $DAC_OVERRIDE 3 $NET_RAW)" \
	"@group, supplementary (second member): same line"

pam main pamdave open
is "$(result open)" PAM_SUCCESS "@group, primary group only: succeeds"
is "$(bnd)" "$(without $SYS_ADMIN)" "@group, primary: sys_admin dropped"

pam main pamgina open
is "$(bnd)" "$(without $SYS_MODULE)" "* matches everybody else"

# pamalice is also on a later line (drop=chown) and under *: first wins.
pam main pamalice open
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"first match wins: later pamalice and * lines are not used"

pam main pamkeep open
is "$(bnd)" "$(only $CHOWN $SYS_ADMIN)" "keep= and drop= on one line: (cur & keep) - drop"

# --- no match ---
C2=$TMP/nomatch.conf
conf "$C2" <<'EOF'
pamalice drop=net_raw
EOF
service nomatch "conf=$C2"
pam nomatch pamerin open
is "$(result open)" "$IGNORED" "no matching line: the module returns PAM_IGNORE"
is "$(bnd)" "$START" "no matching line: nothing dropped"

# --- GECOS ---
service gecos "conf=$C2" gecos
pam gecos pamgina open
is "$(result open)" PAM_SUCCESS "gecos: cap_drop= with no matching line applies"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" \
	"gecos: 'Gina,,,,cap_drop=net_raw, sys_ptrace' drops both"
pam nomatch pamgina open
is "$(bnd)" "$START" "without the gecos argument GECOS is not read"
is "$(result open)" "$IGNORED" "without the gecos argument: ignored"

service gecosall "conf=$C" gecos
pam gecosall pamgina open
is "$(bnd)" "$(without $SYS_MODULE $NET_RAW $SYS_PTRACE)" \
	"gecos: added to the matching line's drops (* drop=sys_module)"

pam gecos pambad open
is "$(result open)" "$REFUSED" "gecos: unknown capability in cap_drop= fails closed"
is "$(bnd)" "$START" "gecos: nothing dropped on that error"

pam gecos pamtypo open
is "$(result open)" "$REFUSED" \
	"gecos: cap_drop not starting a GECOS field fails closed (no silent typo)"

pam gecos pamerin open
is "$(result open)" "$IGNORED" "gecos: no property and no line: ignored"

# --- fail closed ---
cp "$C" "$TMP/notroot.conf"
chown 1:1 "$TMP/notroot.conf"
service notroot "conf=$TMP/notroot.conf"
pam notroot pamalice open
is "$(result open)" "$REFUSED" "policy not owned by root: $REFUSED"
is "$(bnd)" "$START" "policy not owned by root: nothing dropped"

cp "$C" "$TMP/grpw.conf"
chmod 0664 "$TMP/grpw.conf"
service grpw "conf=$TMP/grpw.conf"
pam grpw pamalice open
is "$(result open)" "$REFUSED" "group-writable policy: $REFUSED"

cp "$C" "$TMP/othw.conf"
chmod 0646 "$TMP/othw.conf"
service othw "conf=$TMP/othw.conf"
pam othw pamalice open
is "$(result open)" "$REFUSED" "world-writable policy: $REFUSED"

ln -s "$C" "$TMP/link.conf"
service link "conf=$TMP/link.conf"
pam link pamalice open
is "$(result open)" "$REFUSED" "policy reached through a symlink: $REFUSED"

service missing "conf=$TMP/no-such.conf"
pam missing pamalice open
is "$(result open)" "$REFUSED" "missing policy file: $REFUSED"

conf "$TMP/later.conf" <<'EOF'
pamalice drop=net_raw

pamerin  drop=net_raw+ep
EOF
service later "conf=$TMP/later.conf"
pam later pamalice open
is "$(result open)" "$REFUSED" \
	"parse error on a later line fails the matching earlier line too"
is "$(bnd)" "$START" "parse error: nothing dropped"

conf "$TMP/unknown.conf" <<'EOF'
pamalice drop=net_rw
EOF
service unknown "conf=$TMP/unknown.conf"
pam unknown pamalice open
is "$(result open)" "$REFUSED" "unknown capability: $REFUSED"

service badarg "conf=$C" frobnicate
pam badarg pamalice open
is "$(result open)" "$REFUSED" "unknown module argument: $REFUSED"
is "$(bnd)" "$START" "unknown module argument: nothing dropped"
service badconf "conf="
pam badconf pamalice open
is "$(result open)" "$REFUSED" "empty conf= argument: $REFUSED"

pam main pamnobody open
is "$(result open)" PAM_USER_UNKNOWN "unknown user: PAM_USER_UNKNOWN"

# --- setcred, close_session, authenticate ---
pam main pamalice establish
is "$(result establish)" PAM_SUCCESS "setcred(PAM_ESTABLISH_CRED) applies"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" "setcred(ESTABLISH): dropped"

pam main pamalice reinit
is "$(result reinit)" PAM_SUCCESS "setcred(PAM_REINITIALIZE_CRED) applies"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" "setcred(REINITIALIZE): dropped"

pam main pamalice delete refresh
is "$(result delete) $(result refresh)" "$IGNORED $IGNORED" \
	"setcred(PAM_DELETE_CRED/PAM_REFRESH_CRED): ignored"
is "$(bnd)" "$START" "setcred(DELETE/REFRESH): nothing dropped"

pam notroot pamalice establish
is "$(result establish)" PAM_CRED_ERR "setcred with a bad policy: PAM_CRED_ERR"

pam main pamalice establish open close
is "$(result establish) $(result open) $(result close)" \
	"PAM_SUCCESS PAM_SUCCESS PAM_SUCCESS" \
	"setcred then open_session (nothing left to drop) then close_session"
is "$(bnd)" "$(without $NET_RAW $SYS_PTRACE)" "close_session gives nothing back"

pam notroot pamalice close
is "$(result close)" PAM_SUCCESS "close_session does nothing, even with a bad policy"

pam main pamalice auth
is "$(result auth)" "$IGNORED" "authenticate: PAM_IGNORE"
is "$(bnd)" "$START" "authenticate: nothing dropped"

# --- a caller without cap_setpcap (root in a container without it) ---
# Nothing left to drop needs no privilege; something to drop fails.
WRAP="$CAPBOUND --drop=setpcap,net_raw,sys_ptrace --"
pam main pamalice open
is "$(result open):$(bnd)" \
	"PAM_SUCCESS:$(without $NET_RAW $SYS_PTRACE $SETPCAP)" \
	"no cap_setpcap, nothing left to drop: the session opens"
WRAP="$CAPBOUND --drop=setpcap --"
pam main pamalice open
is "$(result open):$(bnd)" "PAM_SYSTEM_ERR:$(without $SETPCAP)" \
	"no cap_setpcap, net_raw still to drop: PAM_SYSTEM_ERR, nothing dropped"
WRAP=

WRAP="$CAPBOUND --drop=setpcap --"
logged main pamalice open
WRAP=
like "$(cat "$TMP/log")" "*user pamalice: cap_setpcap is needed to drop cap_net_raw,cap_sys_ptrace, and the caller does not have it: failing closed*" \
	"  syslog: names what it could not drop"

# Without cap_setpcap, only a caller whose three uids all are the user's
# own (a screen locker) is let off; one uid of the user's is not enough,
# and uids that cannot be read are not the user's.
WRAP="$CAPBOUND --drop=setpcap -- setpriv --ruid=5001 --"
pam main pamalice open
is "$(result open):$(bnd)" "PAM_SYSTEM_ERR:$(without $SETPCAP)" \
	"no cap_setpcap, real uid the user's but effective root: PAM_SYSTEM_ERR"
WRAP="setpriv --reuid=5001 --regid=5001 --clear-groups --"
pam main pamalice open
is "$(result open)" "$IGNORED" \
	"the user's own uids, no privilege (a screen locker): ignored, not refused"
if under_asan; then
	skip_asan "  the same with getresuid failing in the module: refused"
else
	WRAP="setpriv --reuid=5001 --regid=5001 --clear-groups -- env FI_FUNC=getresuid FI_OBJECT=pam_capbound.so FI_ERRNO=EIO LD_PRELOAD=$TESTS_DIR/faultinject.so"
	pam main pamalice open
	is "$(result open)" PAM_SYSTEM_ERR \
		"  the same with getresuid failing in the module: refused"
	WRAP=
fi

# An empty user name: PAM_USER_UNKNOWN, and the log says why.
logged main "" open
is "$(result open)" PAM_USER_UNKNOWN "an empty user name: PAM_USER_UNKNOWN"
like "$(cat "$TMP/log")" "*empty user name*" "  syslog: says the user name is empty"

# --- inheritable and ambient follow the new bounding set ---
WRAP="setpriv --inh-caps=+net_raw,+chown --ambient-caps=+net_raw,+chown"
pam main pamalice open
WRAP=
is "$(result open)" PAM_SUCCESS \
	"a client with inheritable and ambient capabilities: the session opens"
is "$(status_field "$TMP/status" CapAmb)" "$(capmask $CHOWN)" \
	"ambient set: dropped net_raw lowered, chown kept"
is "$(status_field "$TMP/status" CapInh)" "$(capmask $CHOWN)" \
	"inheritable set: dropped net_raw removed, chown kept"

if [ -x "$LOGSINK" ]; then
	logged main pamalice open
	if [ "$rc" -eq 99 ]; then
		skip "syslog lines" "cannot overlay /dev in a mount namespace"
	else
		# <86> = LOG_AUTHPRIV (10 << 3) | LOG_INFO (6)
		like "$(cat "$TMP/log")" \
			"*<86>*user pamalice: dropped cap_net_raw,cap_sys_ptrace*" \
			"syslog: authpriv.info 'user pamalice: dropped cap_net_raw,cap_sys_ptrace'"
		logged later pamalice open
		# <83> = LOG_AUTHPRIV | LOG_ERR
		like "$(cat "$TMP/log")" "*<83>*$TMP/later.conf:3: drop=: net_raw+ep: unknown capability: failing closed*" \
			"syslog: authpriv.err names file, line and reason of a parse error"
		logged notroot pamalice open
		like "$(cat "$TMP/log")" "*<83>*notroot.conf: owned by uid 1, not by root: failing closed*" \
			"syslog: says the policy is not root's"
		logged othw pamalice open
		like "$(cat "$TMP/log")" "*<83>*othw.conf: writable by others (mode 0646)*" \
			"syslog: says the policy is world-writable"
		logged badarg pamalice open
		like "$(cat "$TMP/log")" "*<83>*unknown argument \"frobnicate\"*failing closed*" \
			"syslog: names the unknown argument"
		logged gecos pambad open
		like "$(cat "$TMP/log")" "*<83>*user pambad: GECOS: cap_drop=: net_rawx: unknown capability*" \
			"syslog: names the bad GECOS item"
		service dbg "conf=$C" debug
		logged dbg pamalice establish open
		# <87> = LOG_AUTHPRIV | LOG_DEBUG
		like "$(cat "$TMP/log")" "*<87>*user pamalice: $C:2 matches*" \
			"debug: names the matching line"
		like "$(cat "$TMP/log")" "*<87>*user pamalice: nothing left to drop*" \
			"debug: a second application has nothing left to drop"
		[ "$(grep -c 'dropped cap_net_raw' "$TMP/log")" -eq 1 ] && r=0 || r=1
		ok "$r" "the drop is logged once, where it happened"
		logged main pamnobody open
		like "$(cat "$TMP/log")" "*<83>*user pamnobody: no such user*" \
			"syslog: unknown user"
	fi
else
	skip "syslog lines" "tests/helper-logsink not built"
fi

# Nothing changed outside the namespaces.
is "$(my_bounding)" "$START" "the test's own bounding set is untouched"
grep -q '^pamalice:' /etc/passwd && r=1 || r=0
ok "$r" "the real /etc/passwd never saw the test users"

done_testing
