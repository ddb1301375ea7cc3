#!/bin/sh
# tests/91-files-backend.t - the static build's own /etc/passwd and
# /etc/group reader (ident_files.c), on broken, edge and large database
# files, through tests/helper-files (the same source, linked dynamically
# and reading ./passwd and ./group, so that tests/faultinject.so can fail
# its allocations: LD_PRELOAD does not reach capbound-static).  Each
# answer is compared with what glibc's nss_files says of the same lines
# where it has one (the same files bind-mounted over /etc in a private
# mount namespace, read by getent), and capbound-static itself is run on
# the broken files there.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

H=$TESTS_DIR/helper-files
FI=$TESTS_DIR/faultinject.so
[ -x "$H" ] || skip_all "tests/helper-files not built"
[ -f "$FI" ] || skip_all "tests/faultinject.so not built"

D=$TMP/db
mkdir -p "$D"
h() { (cd "$D" && "$H" "$@"); }
hfi() { (cd "$D" && env "$@"); }

# --- passwd lines at the edges ---------------------------------------------
# The last line has no newline: it must keep its last character.
printf '%s\n' \
	'root:x:0:0:root:/root:/bin/bash' \
	'# a comment' \
	'#ghost:x:77:77:a comment that looks like an entry:/:/bin/sh' \
	'' \
	'emptyuid:x::0::/:/bin/sh' \
	'emptygid:x:5::::/bin/sh' \
	'sixfields:x:7:7::/' \
	'eightfields:x:8:8::/:/bin/sh:extra' \
	'signed:x:-1:0::/:/bin/sh' \
	'hexuid:x:0x10:0::/:/bin/sh' \
	'overflow:x:4294967296:0::/:/bin/sh' \
	'wraps:x:8589934593:0::/:/bin/sh' \
	'minusone:x:4294967295:0::/:/bin/sh' \
	'highest:x:4294967294:4294967294:High:/h:/bin/sh' \
	':x:9:9::/:/bin/sh' \
	'dup:x:10:10:first:/:/bin/sh' \
	'dup:x:11:11:second:/:/bin/sh' \
	'later:x:bad:0::/:/bin/sh' \
	'later:x:14:14:Later:/:/bin/sh' >"$D/passwd"
# A line of 300 fields: skipped, and nothing written past the 7 a passwd
# line has (a store per field would run off the parser's array).
awk 'BEGIN { printf "manyfields:x:13:13"; for (i = 0; i < 296; i++) printf ":"; print "" }' \
	>>"$D/passwd"
printf 'last:x:12:12:Last:/home/last:/bin/dash' >>"$D/passwd"

is "$(h pw root)" "ok root:x:0:0:root:/root:/bin/bash" "passwd: root found"
for u in emptyuid emptygid sixfields eightfields manyfields signed hexuid \
    overflow wraps minusone; do
	is "$(h pw "$u")" "none" "passwd: '$u' line skipped (not a valid entry)"
done
is "$(h pw '#9')" "none" "passwd: a line with an empty name is skipped"
is "$(h pw '#77')" "none" "passwd: a comment is no entry, whatever it holds"
is "$(h pw '#1')" "none" "passwd: uid 1 (4294967297 or 8589934593 wrapped) is nobody's"
is "$(h pw '#0')" "ok root:x:0:0:root:/root:/bin/bash" \
	"passwd: uid 0 is root's, not the empty uid field's"
is "$(h pw highest)" "ok highest:x:4294967294:4294967294:High:/h:/bin/sh" \
	"passwd: 4294967294, the highest id, is an id"
is "$(h pw dup)" "ok dup:x:10:10:first:/:/bin/sh" "passwd: the first of two lines wins"
is "$(h pw '#11')" "ok dup:x:11:11:second:/:/bin/sh" "passwd: ... by uid, the line of that uid"
is "$(h pw last)" "ok last:x:12:12:Last:/home/last:/bin/dash" \
	"passwd: a last line without newline keeps its last character"
is "$(h pw nosuch)" "none" "passwd: no such user"
# A look-up by name compares the name before it parses the line.
is "$(h pw later)" "ok later:x:14:14:Later:/:/bin/sh" \
	"passwd: a broken line does not hide a later valid one of its name"
is "$(h pw du)" "none" "passwd: du is not dup (a name that begins another)"
is "$(h pw dup:x)" "none" "passwd: a name with the separator in it matches no line"
is "$(h pw root 20)" "err 34" "passwd: a buffer too small: ERANGE, no entry given"
# last's five strings take 33 bytes with their NULs.
is "$(h pw last 32)" "err 34" "passwd: one byte short: ERANGE"
is "$(h pw last 33)" "ok last:x:12:12:Last:/home/last:/bin/dash" \
	"passwd: the exact size is enough"

# --- group lines at the edges ----------------------------------------------
printf '%s\n' \
	'root:x:0:' \
	'emptygid:x::alice' \
	'three:x:3' \
	'five:x:5:alice:extra' \
	'big:x:4294967295:alice' \
	'wrap:x:4294967297:alice' \
	'g7:x:7:bob,alice,carol' \
	'g8:x:8:alicex,xalice' \
	'dupg:x:20:alice' \
	'dupg:x:21:' \
	'twice:x:bad:' \
	'twice:x:22:' \
	'g6:x:6:alice' >"$D/group"
printf 'g9:x:9:alice' >>"$D/group"

is "$(h gr root)" "ok root:x:0:" "group: root found, no members"
for g in emptygid three five big wrap; do
	is "$(h gr "$g")" "none" "group: '$g' line skipped"
done
is "$(h gr '#1')" "none" "group: gid 1 (4294967297 wrapped) is nobody's"
is "$(h gr g7)" "ok g7:x:7:bob,alice,carol" "group: members in order"
is "$(h gr g9)" "ok g9:x:9:alice" "group: a last line without newline keeps its last member whole"
is "$(h gr dupg)" "ok dupg:x:20:alice" "group: the first of two lines wins"
is "$(h gr '#21')" "ok dupg:x:21:" "group: ... by gid, the line of that gid"
is "$(h gr twice)" "ok twice:x:22:" "group: a broken line does not hide a later valid one of its name"
is "$(h gr dup)" "none" "group: dup is not dupg (a name that begins another)"
is "$(h gr g7 24)" "err 34" "group: no room for the member list: ERANGE, no entry given"
# g7 takes 56 bytes: "g7", "x" (5), 3 of padding to a pointer (malloc's
# buffer is aligned), 4 pointers (32), "bob", "alice", "carol" (16).
is "$(h gr g7 56)" "ok g7:x:7:bob,alice,carol" "group: the exact size is enough"
is "$(h gr g7 55)" "err 34" "group: one byte short of the last member: ERANGE"
is "$(h gr g7 36)" "err 34" "group: room for 3 of the 4 pointers: ERANGE"

# getgrouplist: the primary group first, then each group listing the user
# once (g8's alicex and xalice are not alice), in file order, duplicates
# gone (gid 6 is both the primary group and g6).
is "$(h list alice 6 16)" "rc=4 n=4 6,7,20,9" \
	"getgrouplist: primary first, then alice's groups, each once"
is "$(h list alice 6 4)" "rc=4 n=4 6,7,20,9" "getgrouplist: exactly room enough"
is "$(h list alice 6 3)" "rc=-1 n=4 " "getgrouplist: one short: -1 and the count needed"
is "$(h list nobodyhere 100 1)" "rc=1 n=1 100" "getgrouplist: in no group: the primary alone"
# Past the first 16 (the first buffer): a user in 40 groups, out of order
# in the file, gets all 40, each once.
: >"$D/group"
for i in $(seq 40 -1 1); do
	echo "m$i:x:$((1000 + i)):alice,bob"
done >>"$D/group"
echo "m1again:x:1001:alice" >>"$D/group"
want=$(seq -s, 1040 -1 1001)
is "$(h list alice 5 64)" "rc=41 n=41 5,$want" \
	"getgrouplist: 40 groups past the first buffer of 16: all, each once"
is "$(h list alice 5 41)" "rc=41 n=41 5,$want" "  and exactly 41 fit 41"
is "$(h list alice 5 40)" "rc=-1 n=41 " "  40 do not: -1 and 41 needed"
is "$(h tail alice 5 42)" "intact" "  nothing written past the 41 given"
if under_asan; then
	skip_asan "getgrouplist: no memory to grow the list: -1, ENOMEM, n = 0"
	skip_asan "getgrouplist: no memory for the first list: -1, ENOMEM"
else
	is "$(hfi FI_FUNC=reallocarray FI_DETAIL=files_getgrouplist FI_ERRNO=ENOMEM \
		LD_PRELOAD="$FI" "$H" list alice 5 64)" "rc=-1 n=0 errno=12" \
		"getgrouplist: no memory to grow the list: -1, ENOMEM, n = 0"
	is "$(hfi FI_FUNC=malloc FI_DETAIL=files_getgrouplist FI_ERRNO=ENOMEM \
		LD_PRELOAD="$FI" "$H" list alice 5 64)" "rc=-1 n=0 errno=12" \
		"getgrouplist: no memory for the first list: -1, ENOMEM"
fi

# --- enumeration -------------------------------------------------------
printf '%s
' 'a:x:1:' 'broken:x:x:' 'b:x:2:u1,u2,u3,u4,u5,u6,u7,u8' \
	'c:x:3:' >"$D/group"
is "$(h ent | tr '\n' ' ')" \
	"ok a:x:1: ok b:x:2:u1,u2,u3,u4,u5,u6,u7,u8 ok c:x:3: end 2 " \
	"getgrent_r: every valid line, a broken one skipped, then ENOENT"
is "$(h ent 64 | tr '\n' ' ')" \
	"ok a:x:1: erange ok b:x:2:u1,u2,u3,u4,u5,u6,u7,u8 ok c:x:3: end 2 " \
	"getgrent_r: a line too long for the buffer: ERANGE, then the same line again"
is "$(h restart)" "a" "setgrent() starts the enumeration again"
is "$(h fds)" "$(h fds | cut -d' ' -f1) $(h fds | cut -d' ' -f1)" \
	"endgrent() closes the group file, and every look-up its file"
if under_asan; then
	skip_asan "getgrent_r: no memory for the line's copy: ENOMEM"
else
	is "$(hfi FI_FUNC=strdup FI_DETAIL=files_getgrent_r FI_ERRNO=ENOMEM \
		LD_PRELOAD="$FI" "$H" ent | tr '\n' ' ')" "end 12 " \
		"getgrent_r: no memory for the line's copy: ENOMEM"
fi

rm -f "$D/group"
is "$(h fds)" "$(h fds | cut -d' ' -f1) $(h fds | cut -d' ' -f1)" \
	"  also with no group file"

# --- files that are missing or cannot be read -------------------------
rm -f "$D/passwd" "$D/group"
is "$(h pw root):$(h gr root):$(h ent)" "none:none:end 2" \
	"no files: no entries (ENOENT for the enumeration), as nss_files"
is "$(h list alice 5 4)" "rc=1 n=1 5" "  getgrouplist: the primary group alone"
# Files this caller may not read (0600, read as nobody): EACCES, not
# "no such user".
if [ "$(id -u)" = 0 ]; then
	echo 'root:x:0:0:root:/root:/bin/bash' >"$D/passwd"
	echo 'root:x:0:' >"$D/group"
	chmod 0600 "$D/passwd" "$D/group"
	chmod 0755 "$D"
	is "$(cd "$D" && setpriv --reuid=65534 --regid=65534 --clear-groups "$H" pw root):$(cd "$D" && setpriv --reuid=65534 --regid=65534 --clear-groups "$H" gr root)" \
		"err 13:err 13" "databases the caller may not read: EACCES, not 'no such user'"
	is "$(cd "$D" && setpriv --reuid=65534 --regid=65534 --clear-groups "$H" list alice 5 4)" \
		"rc=-1 n=0 errno=13" "  getgrouplist: -1, EACCES, n = 0"
	rm -f "$D/passwd" "$D/group"
else
	skip "databases the caller may not read" "needs root (to be nobody)"
	skip "  getgrouplist: EACCES" "needs root (to be nobody)"
fi
mkdir "$D/passwd" "$D/group"
is "$(h pw root):$(h gr root):$(h ent)" "err 21:err 21:end 21" \
	"databases that are directories: EISDIR, not 'no such user'"
is "$(h list alice 5 4)" "rc=-1 n=0 errno=21" "  getgrouplist: -1, EISDIR, n = 0"
rmdir "$D/passwd" "$D/group"

# --- capbound-static on such files ------------------------------------
# The same lines as /etc/passwd and /etc/group of a private mount
# namespace; the command reports its ids and environment.
STATIC=$TOP/capbound-static
if [ "$(id -u)" != 0 ] || [ ! -x "$STATIC" ] ||
    ! unshare -m true 2>/dev/null; then
	for _i in 1 2 3 4; do
		skip "capbound-static on broken databases" "needs root, unshare -m and capbound-static"
	done
else
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
		'emptyuid:x::0::/:/bin/sh' >"$D/passwd"
	# A line of 300 fields: skipped, and nothing written past the 7 a passwd
# line has (a store per field would run off the parser's array).
awk 'BEGIN { printf "manyfields:x:13:13"; for (i = 0; i < 296; i++) printf ":"; print "" }' \
	>>"$D/passwd"
printf 'last:x:12:12:Last:/home/last:/bin/dash' >>"$D/passwd"
	printf '%s\n' 'root:x:0:' 'g7:x:7:bob,last' 'broken:x::last' >"$D/group"
	printf 'g9:x:9:last' >>"$D/group"
	in_db() {
		# shellcheck disable=SC2016 # $1.. are the inner shell's
		unshare -m sh -c 'mount --bind "$1/passwd" /etc/passwd &&
			mount --bind "$1/group" /etc/group || exit 99
			shift; exec "$@"' sh "$D" "$@" </dev/null \
			>"$TMP/out" 2>"$TMP/err"
	}
	# shellcheck disable=SC2016 # the command's own shell expands them
	in_db "$STATIC" --user=last -- /bin/sh -c \
		'echo "$(id -u):$(id -g):$(id -G | tr " " ","):$HOME:$SHELL"'
	is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" \
		"0:12:12:12,7,9:/home/last:/bin/dash:" \
		"capbound-static --user=last: the last line (no newline) whole, groups 7 and 9, not the broken one"
	in_db "$STATIC" --user=emptyuid -- true
	is "$?:$(cat "$TMP/err")" \
		"125:capbound: --user: emptyuid: no such user" \
		"capbound-static: a passwd line with an empty uid is no user"
	# A group file whose read fails: the process's own /proc/PID/mem
	# (bound before the exec, the pid stays), EIO at offset 0.
	# shellcheck disable=SC2016 # $1.. are the inner shell's
	unshare -m sh -c 'mount --bind "$1/passwd" /etc/passwd &&
		mount --bind /proc/$$/mem /etc/group || exit 99
		shift; exec "$@"' sh "$D" "$STATIC" --user=last -- true \
		</dev/null >"$TMP/out" 2>"$TMP/err"
	is "$?" 125 "capbound-static: a group database whose read fails: 125"
	like "$(cat "$TMP/err")" "capbound: *last*: Input/output error" \
		"  saying why, naming the user: not taken for 'no groups'"
fi

done_testing
