#!/bin/sh
# --user, --group, --groups: the command's ids, groups, capability sets and
# environment, as the kernel and the command itself report them.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
STATUS="$TESTS_DIR/helper-status"
[ -x "$STATUS" ] || skip_all "tests/helper-status is not built"

NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)
BND=$(my_bounding)
ZERO=0000000000000000

# helper LINE: one line ("uid ...", "groups ...") of $TMP/out
helper() { sed -n "s/^$1 *//p" "$TMP/out"; }

# db_groups USER: USER's groups from the database, sorted as the kernel has them
db_groups() { id -G "$1" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'; }

# with_group_file FILE CMD...: run CMD with FILE bind-mounted on /etc/group,
# in a private mount namespace (the real file is never changed).
with_group_file() {
	# shellcheck disable=SC2016
	unshare -m sh -c 'mount --bind "$1" /etc/group && shift && exec "$@"' \
		sh "$@"
}

# --user=nobody: every id field, groups, capability sets.
capstatus --user=nobody
is "$rc" 0 "--user=nobody: the command ran"
is "$(status_field "$TMP/status" Uid)" \
	"$NOBODY_UID	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID" \
	"--user=nobody: Uid real, effective, saved, fs"
is "$(status_field "$TMP/status" Gid)" \
	"$NOBODY_GID	$NOBODY_GID	$NOBODY_GID	$NOBODY_GID" \
	"--user=nobody: Gid is nobody's primary group, all four fields"
groups=$(status_field "$TMP/status" Groups)
case " $groups " in *" 0 "*) g0=1 ;; *) g0=0 ;; esac
is "$g0" 0 "--user=nobody: root's group 0 is gone (Groups: $groups)"
# shellcheck disable=SC2086
is "$(printf '%s ' $groups | sed 's/ $//')" "$(db_groups nobody)" \
	"--user=nobody: Groups are nobody's groups from the database"
for set in CapPrm CapEff CapInh CapAmb; do
	is "$(status_field "$TMP/status" $set)" $ZERO "--user=nobody: $set empty"
done
is "$(status_field "$TMP/status" CapBnd)" "$BND" \
	"--user=nobody: CapBnd unchanged (nothing dropped)"

# The same from the syscalls (getresuid/getresgid/getgroups).
run "$CAPBOUND" --user=nobody -- "$STATUS"
is "$(helper uid)" "$NOBODY_UID $NOBODY_UID $NOBODY_UID" "getresuid: nobody"
is "$(helper gid)" "$NOBODY_GID $NOBODY_GID $NOBODY_GID" "getresgid: nogroup"

# Numeric uid: same as the name.
capstatus --user="$NOBODY_UID"
is "$(status_field "$TMP/status" Uid)" \
	"$NOBODY_UID	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID" \
	"--user=$NOBODY_UID (numeric, with an entry)"
is "$(status_field "$TMP/status" Gid | cut -f1)" "$NOBODY_GID" \
	"--user=$NOBODY_UID: primary group from its entry"

# --user=root keeps uid 0 but still resets groups to root's.
run "$CAPBOUND" --user=root -- "$STATUS"
is "$(helper uid)" "0 0 0" "--user=root: uid 0"
is "$(helper groups)" "$(db_groups root)" \
	"--user=root: root's groups from the database"

# --group alone: gid switches and supplementary groups are emptied.
run setpriv --groups=0,4242 "$CAPBOUND" --group=nogroup -- "$STATUS"
is "$rc" 0 "--group alone: ran"
is "$(helper uid)" "0 0 0" "--group alone: uid unchanged"
is "$(helper gid)" "$NOBODY_GID $NOBODY_GID $NOBODY_GID" "--group=nogroup: gid"
is "$(helper groups)" "" "--group alone: the caller's groups (0, 4242) emptied"

# --groups="" clears, --groups=LIST sets exactly LIST.
run setpriv --groups=0,4242 "$CAPBOUND" --groups= -- "$STATUS"
is "$(helper groups)" "" "--groups= clears the caller's groups"
run "$CAPBOUND" --user=nobody --groups=4243,0,4242,4243 -- "$STATUS"
is "$(helper groups)" "0 4242 4243" "--groups=LIST: exactly LIST, once each"
run "$CAPBOUND" --user=nobody --groups= -- "$STATUS"
is "$(helper groups)" "" "--user with --groups=: no groups at all"
is "$(helper gid)" "$NOBODY_GID $NOBODY_GID $NOBODY_GID" \
	"--user with --groups=: gid still nobody's"

# A numeric uid without a passwd entry needs --group.
nouid=4000000001
if getent passwd $nouid >/dev/null; then
	skip "uid without entry" "uid $nouid has an entry here"
else
	run "$CAPBOUND" --user=$nouid -- "$STATUS"
	is "$rc" 125 "--user=$nouid (no entry) without --group: 125"
	like "$(cat "$TMP/err")" "*no passwd entry*--group*" "... saying --group is needed"
	is "$(cat "$TMP/out")" "" "... and the command did not run"
	run "$CAPBOUND" --user=$nouid --group=4000000002 -- "$STATUS"
	is "$rc" 0 "--user=$nouid --group=4000000002: ran"
	is "$(helper uid)" "$nouid $nouid $nouid" "... uid $nouid"
	is "$(helper gid)" "4000000002 4000000002 4000000002" "... gid 4000000002"
	is "$(helper groups)" "" "... no supplementary groups"
	env -i PATH=/usr/bin:/bin HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
		"$CAPBOUND" --user=$nouid --group=4000000002 -- /usr/bin/env \
		>"$TMP/env" 2>"$TMP/err"
	is "$(grep -E '^(HOME|USER|LOGNAME|SHELL)=' "$TMP/env" | sort | tr '\n' ' ')" \
		"HOME=/ SHELL=/bin/sh " "... nothing of root's environment remains"
fi

# Supplementary groups from the group database: a test /etc/group in a
# private mount namespace gives nobody two more groups.
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	cp /etc/group "$TMP/group"
	{
		echo "cbtest-a:x:4100:daemon,nobody"
		echo "cbtest-b:x:4101:nobody"
		echo "cbtest-c:x:4102:daemon"
	} >>"$TMP/group"
	run with_group_file "$TMP/group" "$CAPBOUND" --user=nobody -- "$STATUS"
	is "$rc" 0 "database groups: ran"
	is "$(helper groups)" "4100 4101 $NOBODY_GID" \
		"--user=nobody: groups from the (test) group database"
	run with_group_file "$TMP/group" "$CAPBOUND" --user=nobody \
		--groups=cbtest-c,nogroup -- "$STATUS"
	is "$(helper groups)" "4102 $NOBODY_GID" \
		"--groups by name overrides the database"
	run with_group_file "$TMP/group" "$CAPBOUND" --user=nobody \
		--group=cbtest-c -- "$STATUS"
	is "$(helper gid)" "4102 4102 4102" "--user with --group=NAME: that gid"
	is "$(helper groups)" "4100 4101 $NOBODY_GID" \
		"--user with --group: supplementary groups still from the database"
	grep -q '^cbtest-a:' /etc/group
	is "$?" 1 "the real /etc/group was not touched"
else
	skip "database groups" "unshare -m does not work here"
fi

# Switching to who one already is needs no privilege (an entrypoint that
# may be started as root or as the user); any real change still does.
as_nobody() { setpriv --reuid=nobody --regid=nogroup --init-groups "$@"; }
run as_nobody "$CAPBOUND" --user=nobody -- "$STATUS"
is "$rc" 0 "as nobody, --user=nobody: runs without privilege"
is "$(helper uid)" "$NOBODY_UID $NOBODY_UID $NOBODY_UID" "... still nobody"
run as_nobody "$CAPBOUND" --user=daemon -- "$STATUS"
is "$rc:$(cat "$TMP/out")" 125: "as nobody, --user=daemon: 125, not run"
run as_nobody "$CAPBOUND" --user=nobody --groups=0 -- "$STATUS"
is "$rc:$(cat "$TMP/out")" 125: "as nobody, --user=nobody --groups=0: 125, not run"

# Environment passed to the command.
env -i PATH=/usr/bin:/bin TERM=vt100 FOO=bar HOME=/root USER=root \
	LOGNAME=root SHELL=/bin/bash \
	"$CAPBOUND" --user=nobody -- /usr/bin/env >"$TMP/env" 2>"$TMP/err"
home=$(getent passwd nobody | cut -d: -f6)
shell=$(getent passwd nobody | cut -d: -f7)
is "$(grep -E '^(HOME|USER|LOGNAME|SHELL)=' "$TMP/env" | sort | tr '\n' ' ')" \
	"HOME=$home LOGNAME=nobody SHELL=$shell USER=nobody " \
	"--user: HOME, USER, LOGNAME, SHELL from nobody's passwd entry"
is "$(grep -c -E '^(FOO=bar|TERM=vt100|PATH=/usr/bin:/bin)$' "$TMP/env")" 3 \
	"--user without --reset-env: the rest of the environment is kept"

env -i PATH=/tmp/evil:/usr/bin:/bin TERM=vt100 FOO=bar LD_LIBRARY_PATH=/tmp \
	HOME=/root "$CAPBOUND" --reset-env --user=nobody -- /usr/bin/env \
	>"$TMP/env" 2>"$TMP/err"
is "$(sort "$TMP/env" | tr '\n' ' ')" \
	"HOME=$home LOGNAME=nobody PATH=/usr/local/bin:/usr/bin:/bin SHELL=$shell TERM=vt100 USER=nobody " \
	"--reset-env --user: TERM kept, safe PATH, nobody's HOME/USER/LOGNAME/SHELL, nothing else"

env -i PATH=/tmp/evil:/usr/bin:/bin FOO=bar \
	"$CAPBOUND" --reset-env -- /usr/bin/env >"$TMP/env" 2>"$TMP/err"
is "$(grep -c -E '^(FOO|TERM)=' "$TMP/env")" 0 "--reset-env as root: FOO dropped, no TERM invented"
is "$(grep '^PATH=' "$TMP/env")" \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"--reset-env as root: root's safe PATH"
is "$(grep -E '^(USER|HOME)=' "$TMP/env" | sort | tr '\n' ' ')" \
	"HOME=$(getent passwd root | cut -d: -f6) USER=root " \
	"--reset-env as root: root's HOME and USER"

done_testing
