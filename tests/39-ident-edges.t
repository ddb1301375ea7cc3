#!/bin/sh
# tests/39-ident-edges.t - user and group database entries at the edges,
# and the id maps that "already so" relies on, with real parts: capbound
# and the PAM module (tests/helper-pamtest) against copies of /etc/passwd
# and /etc/group bind-mounted in a private mount namespace.
#   - a passwd entry longer than the first buffer getpwnam_r(3) is given
#     (ERANGE, then a larger one): the user is found all the same;
#   - nine /etc/group entries with one name: @NAME in the policy means the
#     first, as getgrnam(3) answers (a search among all nine could land
#     on any);
#   - a non-root caller switching to its own ids: setgroups(2) says EPERM
#     (it always needs CAP_SETGID), and the groups are compared; where
#     /proc/self/gid_map cannot be read, "already so" is not believed and
#     capbound fails closed (tests/faultinject.so fails the open).
#     setresuid/setresgid to one's own ids need no privilege: no EPERM,
#     no comparison.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-pam.sh
. "$(dirname "$0")/lib-pam.sh"

require_root
require_cmd unshare mount setpriv awk
MODULE=$TOP/pam_capbound.so
PAMTEST=$TESTS_DIR/helper-pamtest
HELPER=$TESTS_DIR/helper-capsets
FI=$TESTS_DIR/faultinject.so
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"
[ -x "$PAMTEST" ] || skip_all "tests/helper-pamtest not built"
[ -x "$HELPER" ] || skip_all "tests/helper-capsets not built"
if ! getent passwd nobody >/dev/null || ! getent group nogroup >/dev/null; then
	skip_all "needs user nobody and group nogroup"
fi

START=$(my_bounding)
NET_RAW=13 SYS_PTRACE=19

# A GECOS of 3000 bytes: more than getpwnam_r's first 1024-byte buffer.
gecos=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf "long gecos" }')
cat >>"$TMP/passwd" <<EOF
cblong:x:4150:4150:$gecos:/nonexistent:/bin/sh
cbdupa:x:4151:4151:first cbdup:/nonexistent:/bin/sh
cbdupb:x:4152:4152:second cbdup:/nonexistent:/bin/sh
EOF
cat >>"$TMP/group" <<'EOF'
cblong:x:4150:
cbdupa:x:4151:
cbdupb:x:4152:
cbdup:x:4250:cbdupa
cbdup:x:4251:cbdupb
cbdup:x:4252:
cbdup:x:4253:
cbdup:x:4254:
cbdup:x:4255:
cbdup:x:4256:
cbdup:x:4257:
cbdup:x:4258:
EOF
C=$TMP/capbound.conf
conf "$C" <<'EOF'
cblong      drop=sys_ptrace
@cbdup      drop=net_raw
EOF
service main "conf=$C"

# in_ns CMD...: CMD with the test's passwd and group files.
in_ns() {
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m sh -c 'mount --bind "$1" /etc/passwd &&
		mount --bind "$2" /etc/group || exit 99
		shift 2; exec "$@"' sh "$TMP/passwd" "$TMP/group" "$@" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
field() { sed -n "s/^$1 //p" "$TMP/out"; }

# ---- a passwd entry longer than the first buffer ----
in_ns "$CAPBOUND" --user=cblong -- "$HELPER"
is "$rc:$(field Uid):$(field Gid):$(cat "$TMP/err")" "0:4150 4150 4150:4150 4150 4150:" \
	"--user of a user with a 3000-byte GECOS: runs as 4150:4150"
pam main cblong open
is "$(result open)" PAM_SUCCESS "PAM: the same user's session opens"
is "$(bnd)" "$(mask_andnot "$START" "$(capmask $SYS_PTRACE)")" \
	"  and its line applies: sys_ptrace gone from the bounding set"

# ---- two group entries with one name: the first counts ----
pam main cbdupa open
is "$(result open)" PAM_SUCCESS "@cbdup: a member of the first cbdup entry matches"
is "$(bnd)" "$(mask_andnot "$START" "$(capmask $NET_RAW)")" \
	"  net_raw gone from the bounding set"
pam main cbdupb open
is "$(result open)" "$IGNORED" \
	"@cbdup: a member of the second entry only (gid 4251) does not match: ignored"
is "$(bnd)" "$START" "  the bounding set as it was"

# ---- the id maps, unreadable, for a caller already at the target ----
if [ ! -f "$FI" ] || under_asan; then
	for t in control gid_map ngroups ngroups-same ngroups-longer gr_get \
	    setresgid setresuid; do
		if under_asan; then
			skip_asan "id map $t"
		else
			skip "id map $t" "needs tests/faultinject.so"
		fi
	done
	done_testing
	exit
fi
MARK=$TMP/m/marker
mkdir "$TMP/m" && chmod 1777 "$TMP/m"
# as_nobody [FI_DETAIL]: nobody, in its own groups, runs capbound
# --user=nobody: every switch fails with EPERM and is compared.
as_nobody() {
	rm -f "$MARK"
	setpriv --reuid=nobody --regid=nogroup --init-groups \
		env ${1:+FI_FUNC=open FI_DETAIL="$1" FI_ERRNO=EACCES} \
		LD_PRELOAD="$FI" "$CAPBOUND" --user=nobody -- touch "$MARK" \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
ran() { if [ -e "$MARK" ]; then echo yes; else echo no; fi; }
as_nobody
is "$rc:$(ran):$(cat "$TMP/err")" "0:yes:" \
	"nobody switching to nobody (already so, maps readable): runs"
as_nobody /proc/self/gid_map
like "$rc:$(ran):$(cat "$TMP/err")" \
	"125:no:capbound: setgroups(*): Operation not permitted" \
	"/proc/self/gid_map unreadable: the groups are not believed, 125, nothing run"
# A non-root caller in two groups asking for none: the plan sees it lacks
# cap_setgid and the groups differ: refused.  The same two groups asked
# for are already so: setgroups(2) says EPERM, the lists are compared,
# the command runs.
setpriv --reuid=nobody --regid=nogroup --groups=nogroup,users \
	"$CAPBOUND" --user=nobody --groups= -- true </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" \
	"125:capbound: setgroups((none)): cap_setgid is needed to set supplementary groups, and capbound does not have it" \
	"nobody in nogroup,users asking for no groups: refused, naming setgroups"
setpriv --reuid=nobody --regid=nogroup --groups=nogroup,users \
	"$CAPBOUND" --user=nobody --groups=users,nogroup -- "$HELPER" \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(sed -n 's/^Groups //p' "$TMP/out"):$(cat "$TMP/err")" \
	"0:$({ getent group nogroup; getent group users; } | cut -d: -f3 | sort -n | paste -sd ' '):" \
	"  asking for the same two, in another order: already so, runs"

# Root in two groups asking for none, setgroups(2) refusing (EPERM,
# faked): the kernel's list is longer than the one asked for (getgroups(2)
# with room for one says EINVAL), so it is no match: refused.
setpriv --groups=0,100 env FI_FUNC=setgroups FI_ERRNO=EPERM LD_PRELOAD="$FI" \
	"$CAPBOUND" --groups= -- true </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "125:capbound: setgroups((none)): Operation not permitted" \
	"root in groups 0,100, setgroups refusing an empty list: not already so, 125"

# The buffer of a group look-up (--group=NAME) not allocated.
FI_FUNC=realloc FI_DETAIL=gr_get FI_ERRNO=ENOMEM LD_PRELOAD="$FI" \
	"$CAPBOUND" --group=nogroup -- true </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "125:capbound: --group: nogroup: Cannot allocate memory" \
	"--group=nogroup, its look-up buffer not allocated: 125, naming the group and ENOMEM"

# The kernel refusing (EPERM, faked) a switch to the ids root already
# holds: getresuid/getresgid say they are the target, the initial
# namespace maps them, so "already so" is accepted and the command runs.
for call in setresgid setresuid; do
	FI_FUNC=$call FI_NTH=1 FI_ERRNO=EPERM LD_PRELOAD="$FI" \
		"$CAPBOUND" --user=root -- "$HELPER" </dev/null >"$TMP/out" 2>"$TMP/err"
	is "$?:$(sed -n 's/^Uid //p' "$TMP/out"):$(sed -n 's/^Gid //p' "$TMP/out"):$(cat "$TMP/err")" \
		"0:0 0 0:0 0 0:" "$call refusing a switch to the ids already held: accepted, runs as root"
done

done_testing
