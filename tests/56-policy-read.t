#!/bin/sh
# tests/56-policy-read.t - reading the policy file going wrong after the
# checks of its owner and mode, with real files of /proc that pass them
# (regular, root's, not group/world-writable), and the module's debug
# lines and last-capability failure, through capbound --check-config and
# the PAM module (tests/helper-pamtest, a syslog sink at /dev/log):
#   - /proc/PID/mem of a sleeping helper: every read at offset 0 fails
#     with EIO (address 0 is never mapped): the read error, named;
#   - /proc/sys/kernel/cap_last_cap: fstat(2) says 0 bytes, read(2) gives
#     more: "changed while being read", never a parse of a part;
#   - the debug argument: "no rule matches" and the GECOS property logged;
#   - no way to tell the kernel's last capability (/proc hidden,
#     tests/faultinject.so failing every PR_CAPBSET_READ of the module):
#     the session fails closed, and says why.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-pam.sh
. "$(dirname "$0")/lib-pam.sh"

require_root
require_cmd unshare mount
MODULE=$TOP/pam_capbound.so
PAMTEST=$TESTS_DIR/helper-pamtest
LOGSINK=$TESTS_DIR/helper-logsink
SLEEPER=$TESTS_DIR/helper-sleeper
FI=$TESTS_DIR/faultinject.so
for f in "$MODULE" "$PAMTEST" "$LOGSINK" "$SLEEPER"; do
	[ -x "$f" ] || [ -f "$f" ] || skip_all "$f is not built (make check builds it)"
done
[ -n "$(find /lib /usr/lib -name pam_debug.so 2>/dev/null | head -n 1)" ] ||
	skip_all "needs pam_debug.so"

START=$(my_bounding)
NET_RAW=13
"$SLEEPER" & sleeper=$!
stop_sleeper() { kill "$sleeper" 2>/dev/null; }
at_exit stop_sleeper
EIO_FILE=/proc/$sleeper/mem
GROWN_FILE=/proc/sys/kernel/cap_last_cap

cat >>"$TMP/passwd" <<'EOF'
cbpol:x:4160:4160:Policy,,,cap_drop=net_raw:/nonexistent:/bin/sh
EOF
cat >>"$TMP/group" <<'EOF'
cbpol:x:4160:
EOF
C=$TMP/capbound.conf
conf "$C" <<'EOF'
someoneelse   drop=sys_ptrace
EOF

# The two files pass every check made before the read.
is "$(stat -c '%u %F' "$EIO_FILE" "$GROWN_FILE" | sort -u)" "0 regular empty file" \
	"/proc/PID/mem and cap_last_cap: empty regular files of root's"

# ---- capbound --check-config ----
"$CAPBOUND" --check-config="$EIO_FILE" >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc:$(cat "$TMP/err")" "125:capbound: $EIO_FILE: read: Input/output error" \
	"--check-config of a file whose read fails: 125, naming the file and read"
"$CAPBOUND" --check-config="$GROWN_FILE" >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc:$(cat "$TMP/err")" "125:capbound: $GROWN_FILE: changed while being read" \
	"--check-config of a file longer than fstat said: 125, changed while being read"

# ---- the PAM module ----
service eio "conf=$EIO_FILE"
service grown "conf=$GROWN_FILE"
service dbg "conf=$C" debug
service dbggecos "conf=$C" debug gecos
logged eio cbpol open
is "$(result open)" "$REFUSED" "PAM, conf=$EIO_FILE: the session fails closed"
like "$(cat "$TMP/log")" "*<83>*$EIO_FILE: read: Input/output error: failing closed*" \
	"  syslog: names the file and the failed read"
logged grown cbpol open
is "$(result open)" "$REFUSED" "PAM, conf=$GROWN_FILE: the session fails closed"
like "$(cat "$TMP/log")" "*<83>*$GROWN_FILE: changed while being read: failing closed*" \
	"  syslog: says the file changed while being read"

# <87> = LOG_AUTHPRIV | LOG_DEBUG
logged dbg cbpol open
is "$(result open)" "$IGNORED" "debug, no matching line: ignored"
like "$(cat "$TMP/log")" "*<87>*user cbpol: no rule in $C matches*" \
	"  and the debug line says no rule matches"
pam dbggecos cbpol open
is "$(result open):$(bnd)" "PAM_SUCCESS:$(mask_andnot "$START" "$(capmask $NET_RAW)")" \
	"debug gecos: the GECOS cap_drop=net_raw applies"
logged dbggecos cbpol open
like "$(cat "$TMP/log")" "*<87>*user cbpol: GECOS cap_drop=cap_net_raw*" \
	"  and the debug line shows the property, by name"

# ---- the kernel's last capability unknown to the module ----
if under_asan; then
	skip_asan "last capability unknown"
	done_testing
	exit
elif [ ! -f "$FI" ]; then
	skip "last capability unknown" "needs tests/faultinject.so"
	done_testing
	exit
fi
in_syslog_ns "$TMP/log" "$TMP/passwd" "$TMP/group" 1 \
	env LD_PRELOAD="$FI" FI_OBJECT=pam_capbound.so FI_FUNC=prctl \
	FI_DETAIL=PR_CAPBSET_READ FI_STICKY=1 FI_ERRNO=EIO \
	"$PAMTEST" "$TMP/pam.d" dbggecos cbpol open >"$TMP/out" 2>"$TMP/err"
is "$(result open)" "$REFUSED" \
	"no /proc, every PR_CAPBSET_READ failing: the session fails closed"
like "$(cat "$TMP/log")" "*<83>*cannot tell the running kernel's last capability: failing closed*" \
	"  syslog: says the last capability cannot be told"

done_testing
