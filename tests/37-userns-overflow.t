#!/bin/sh
# tests/37-userns-overflow.t - in a user namespace, an id the namespace
# does not map reads back as the overflow id (65534).  A caller that is
# really host root, unmapped there, reads "uid 65534, groups 65534": when
# the kernel refuses a switch to nobody, "already nobody" must not be
# believed, or the command runs as host root.  Namespaces as a rootless
# runtime lays them out (tests/helper-userns writes the maps), and as
# unshare -U leaves them (no map at all).
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091,SC2016
. "$(dirname "$0")/lib.sh"
require_root
require_cmd setpriv unshare
USERNS=$TESTS_DIR/helper-userns
[ -x "$USERNS" ] || skip_all "tests/helper-userns is not built"
"$USERNS" - - - true 2>/dev/null || skip_all "user namespaces are not available"

# A file only host root may read and write: the proof of who ran.
SECRET=$TMP/secret
echo secret >"$SECRET"
chmod 0600 "$SECRET"
MARK=$TMP/ran

# refused NAME ARGS...: in a namespace mapping only 65534 (to host 100000),
# with the caller host root and unmapped, capbound ARGS exits 125 and the
# command (which would append to the secret file) never runs.
refused() {
	_name=$1
	shift
	rm -f "$MARK"
	setpriv --groups=0 "$USERNS" "65534 100000 1" "65534 100000 1" - \
		"$CAPBOUND" "$@" -- sh -c 'touch "$0"; echo leaked >>"$1"' \
		"$MARK" "$SECRET" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" 125 "$_name: exit 125"
	ok "$([ ! -e "$MARK" ]; echo $?)" "$_name: the command did not run"
	is "$(cat "$SECRET")" secret "$_name: the root-only file is untouched"
	like "$(cat "$TMP/err")" "capbound: *" "$_name: says why: $(head -n1 "$TMP/err")"
}

# The layout itself: the caller does read back as nobody/nogroup there.
setpriv --groups=0 "$USERNS" "65534 100000 1" "65534 100000 1" - \
	cat /proc/self/status >"$TMP/status"
is "$(status_field "$TMP/status" Uid)" "65534	65534	65534	65534" \
	"setup: host root, unmapped, reads as uid 65534"
is "$(status_field "$TMP/status" Groups | tr -d ' ')" "65534" \
	"setup: its unmapped group reads as 65534"

refused "--user=nobody" --user=nobody
like "$(cat "$TMP/err")" "*setgroups*" "... the refused setgroups is named"
refused "--groups=65534" --groups=65534
refused "--group=65534 --groups=65534" --group=65534 --groups=65534
refused "--user=65534 --group=65534 --groups=65534" --user=65534 --group=65534 \
	--groups=65534

# unshare -U with no map at all: every id is the overflow id.
rm -f "$MARK"
unshare -U "$CAPBOUND" --user=nobody -- sh -c 'touch "$0"' "$MARK" \
	>"$TMP/out" 2>"$TMP/err"
is "$?" 125 "unshare -U (no map), --user=nobody: exit 125"
ok "$([ ! -e "$MARK" ]; echo $?)" "unshare -U (no map): the command did not run"

# Controls: where the ids are real, "already so" still needs no privilege.
# Every id mapped (as the initial namespace): root stays root, no groups.
rm -f "$MARK"
"$USERNS" "0 0 4294967295" "0 0 4294967295" - setpriv --inh-caps=-all \
	--bounding-set=-all "$CAPBOUND" --user=0 --group=0 --groups= -- \
	sh -c 'touch "$0"' "$MARK" 2>"$TMP/err"
is "$?" 0 "every id mapped, no capabilities, already uid 0: runs"
ok "$([ -e "$MARK" ]; echo $?)" "... the command ran"
# The initial namespace: nobody running as nobody (an entrypoint).
mkdir "$TMP/m" && chmod 1777 "$TMP/m"
rm -f "$TMP/m/ran"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$CAPBOUND" \
	--user=nobody --groups= -- sh -c 'touch "$0"' "$TMP/m/ran" 2>"$TMP/err"
is "$?" 0 "initial namespace: nobody switching to nobody runs"
ok "$([ -e "$TMP/m/ran" ]; echo $?)" "... the command ran"

# --- id maps that are not what the kernel writes --------------------------
# /proc/PID/uid_map and gid_map replaced by a file (bound before the exec,
# which keeps the pid) in a private mount namespace.  A map that cannot be
# parsed whole is not believed for "already so": nobody, whose setgroups
# is refused, fails closed where a good map lets it run; a dry run (whose
# id-map checks only predict step 4) counts it as mapped.
with_map() {
	# shellcheck disable=SC2059 # the map is written as a format: its \n
	printf "$1" >"$TMP/map"
	shift
	unshare -m sh -c 'mount --bind "$1" /proc/$$/uid_map &&
		mount --bind "$1" /proc/$$/gid_map || exit 99
		shift; exec "$@"' sh "$TMP/map" "$@" </dev/null \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
}
AS_NOBODY="setpriv --reuid=65534 --regid=65534 --groups=65534"
# shellcheck disable=SC2086 # AS_NOBODY: words on purpose
with_map '0 0 4294967295\n' $AS_NOBODY "$CAPBOUND" --user=nobody -- true
is "$rc:$(cat "$TMP/err")" "0:" \
	"a whole map: nobody switching to itself runs (already so, believed)"
for m in '0 0 4294967295\n5 5\n:a line of two numbers' \
    '0 0 4294967295\n5 5 x\n:trailing junk' \
    '0 0 4294967295\n5 5 99999999999\n:a count past 2^32' \
    '0 0 4294967295:no newline at the end'; do
	# shellcheck disable=SC2086
	with_map "${m%%:*}" $AS_NOBODY "$CAPBOUND" --user=nobody -- true
	is "$rc:$(cat "$TMP/err")" \
		"125:capbound: setgroups(65534(nogroup)): Operation not permitted" \
		"a map with ${m#*:}: already so is not believed, 125"
done
with_map 'x\n' "$CAPBOUND" --dry-run --user=nobody -- true
is "$rc" 0 "a map that cannot be parsed: the dry run counts the ids as mapped"
with_map '0 0 1\n' "$CAPBOUND" --dry-run --user=nobody -- true
is "$rc" 125 "  a map without 65534: the dry run says it would fail"
like "$(cat "$TMP/out")" "*gid 65534 is not mapped in this user namespace*" \
	"  naming the gid"

# No map to read at all (/proc hidden): the dry run counts the ids as
# mapped (the kernel tells at step 4).  A map whose read fails is not
# believed, and fails at once: the process's own /proc/PID/attr/current
# in its place, which anyone may open and which fails EINVAL where no LSM
# answers (with one it reads as a word, not a map: not believed either).
if under_asan; then
	skip_asan "no /proc: the dry run counts the ids as mapped"
else
	unshare -m sh -c 'mount -t tmpfs none /proc || exit 99
		exec "$@"' sh "$CAPBOUND" --dry-run --user=nobody -- true \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	is "$?" 0 "no /proc: the dry run counts the ids as mapped"
fi
# shellcheck disable=SC2086 # AS_NOBODY: words on purpose
unshare -m sh -c 'mount --bind /proc/$$/attr/current /proc/$$/uid_map &&
	mount --bind /proc/$$/attr/current /proc/$$/gid_map || exit 99
	shift; exec "$@"' sh - $AS_NOBODY "$CAPBOUND" --user=nobody -- true \
	</dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" \
	"125:capbound: setgroups(65534(nogroup)): Operation not permitted" \
	"an id map whose read fails: already so is not believed, 125"

done_testing
