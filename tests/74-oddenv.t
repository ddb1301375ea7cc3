#!/bin/sh
# tests/74-oddenv.t - odd environments: closed standard descriptors, a full
# disk on stdout, no or an empty PATH, an argument list close to ARG_MAX,
# bytes that are not UTF-8, and 200 invocations at once.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

require_root
cd "$TMP" || exit 1
BND=$(my_bounding)
LAST=$(cat /proc/sys/kernel/cap_last_cap)
NET_RAW=13

# ---- closed stdin, stdout and stderr --------------------------------------

# The command reports which of 0, 1, 2 it got open, and its bounding set.
# shellcheck disable=SC2016 # for the inner shell
probe='r=; for f in 0 1 2; do [ -e /proc/$$/fd/$f ] && r="$r$f"; done
echo "open:$r" >"$1"; grep CapBnd /proc/self/status >>"$1"'
rm -f "$TMP/p"
"$CAPBOUND" --drop=net_raw -- sh -c "$probe" sh "$TMP/p" 0<&- 1>&- 2>&-
is "$?" 0 "a run with 0, 1 and 2 closed succeeds"
is "$(sed -n 1p "$TMP/p")" "open:" \
	"the command gets them closed, not a file capbound opened"
is "$(sed -n 's/^CapBnd:[[:space:]]*//p' "$TMP/p")" \
	"$(mask_andnot "$BND" "$(capmask $NET_RAW)")" \
	"and the bounding set it asked for"

"$CAPBOUND" --print 0<&- 2>"$TMP/err" >"$TMP/out"
is "$?" 0 "--print with stdin closed works"
"$CAPBOUND" --print 1>&- 2>"$TMP/err"
rc=$?
is "$rc" 125 "--print with stdout closed fails with 125"
like "$(cat "$TMP/err")" "capbound: write error: *" "and says: write error"
"$CAPBOUND" --print 0<&- 1>&- 2>&-
is "$?" 125 "--print with 0, 1 and 2 closed fails (125), without a crash"
"$CAPBOUND" --drop=bogus -- true 0<&- 1>&- 2>&-
is "$?" 125 "a usage error with 0, 1 and 2 closed is still 125"

# ---- a full disk on stdout: a write error is an error ----------------------

for args in --help --version --print "--print --json" --list \
	--decode=3000 "--dry-run --drop=net_raw"; do
	# shellcheck disable=SC2086 # word splitting of args on purpose
	"$CAPBOUND" $args >/dev/full 2>"$TMP/err"
	rc=$?
	is "$rc" 125 "capbound $args >/dev/full: exit 125"
	is "$(cat "$TMP/err")" "capbound: write error: No space left on device" \
		"capbound $args >/dev/full: one write error line"
done

# ---- PATH ---------------------------------------------------------------------

mkdir "$TMP/bin" "$TMP/cwd"
printf '#!/bin/sh\necho "here: $*"\n' >"$TMP/cwd/cb-local-cmd"
chmod 755 "$TMP/cwd/cb-local-cmd"

out=$(env -u PATH "$CAPBOUND" --drop=net_raw -- ls -d / 2>&1)
is "$?:$out" "0:/" "no PATH: commands are looked up in /bin:/usr/bin"
out=$(cd "$TMP/cwd" && env PATH= "$CAPBOUND" --drop=net_raw -- ls 2>&1)
is "$?:$out" "127:capbound: ls: command not found" \
	"empty PATH: only the current directory is searched (as execvp)"
out=$(cd "$TMP/cwd" && env PATH= "$CAPBOUND" -- cb-local-cmd a 2>&1)
is "$?:$out" "0:here: a" "empty PATH: a command in the current directory runs"
# shellcheck disable=SC2016 # for the inner shell
out=$(env -u PATH "$CAPBOUND" --reset-env -- /bin/sh -c 'echo "$PATH"')
is "$out" "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"no PATH with --reset-env: root's safe default"
# shellcheck disable=SC2016 # for the script
printf 'echo "script: $0 $*"\n' >"$TMP/bin/noshebang"
chmod 755 "$TMP/bin/noshebang"
out=$(PATH=$TMP/bin:/usr/bin:/bin "$CAPBOUND" -- noshebang x y 2>&1)
is "$?:$out" "0:script: $TMP/bin/noshebang x y" \
	"a script without #! found on PATH runs with /bin/sh (as execvp)"
cp /bin/true "$TMP/bin/cb-noexec" && chmod 644 "$TMP/bin/cb-noexec"
cp /bin/true "$TMP/cwd/cb-noexec"
out=$(PATH=$TMP/bin:$TMP/cwd "$CAPBOUND" -- cb-noexec 2>&1)
is "$?:$out" "0:" "EACCES in one PATH directory moves on to the next"
out=$(PATH=$TMP/bin "$CAPBOUND" -- cb-noexec 2>&1)
is "$?:$out" "126:capbound: cb-noexec: $TMP/bin/cb-noexec: Permission denied" \
	"EACCES and nothing else found: 126, Permission denied"

# ---- an argument list close to ARG_MAX, passed through unchanged -------------

argmax=$(getconf ARG_MAX)
envsize=$(env | wc -c)
chunk=$(printf '%04000d' 0 | tr 0 x)
# Each argument costs its bytes, a NUL and a pointer; leave 64 KiB.
n=$(( (argmax - envsize - 65536) / (4000 + 8 + 8) ))
i=0
while [ "$i" -lt "$n" ]; do
	printf '%d:%s\n' "$i" "$chunk"
	i=$((i + 1))
done >"$TMP/args.want"
# One split of the whole list (a "set -- "$@" x" loop is quadratic).
old_ifs=$IFS
IFS='
'
# shellcheck disable=SC2046 # split on newlines on purpose
set -- $(cat "$TMP/args.want")
IFS=$old_ifs
# shellcheck disable=SC2016 # for the inner shell
"$CAPBOUND" --drop=net_raw -- sh -c 'out=$1; shift; printf "%s\n" "$@" >"$out"' \
	sh "$TMP/args.got" "$@" 2>"$TMP/err"
is "$?" 0 "$n arguments, $(wc -c <"$TMP/args.want") bytes (ARG_MAX $argmax): run"
ok "$(cmp -s "$TMP/args.want" "$TMP/args.got"; echo $?)" \
	"every argument reached the command unchanged"
set --

# ---- bytes that are not UTF-8 ------------------------------------------------

bad=$(printf 'a\377\376b\300\200')
out=$("$CAPBOUND" --drop=net_raw -- printf '%s' "$bad" | od -An -tx1 | tr -d ' \n')
is "$out" "61fffe62c080" "an argument that is not UTF-8 reaches the command as is"
for opt in --user --group --groups --drop --keep --ambient --securebits; do
	"$CAPBOUND" "$opt=$bad" -- true >"$TMP/out" 2>"$TMP/err"
	rc=$?
	# a usage error adds its "Try 'capbound --help'" line
	is "$rc:$(grep -vc "^Try 'capbound --help'" "$TMP/err")" "125:1" "$opt=<not UTF-8>: 125, one line"
	like "$(cat "$TMP/err")" "capbound: *" "$opt=<not UTF-8>: a capbound: message"
done

# ---- 200 at once, each checking its own result -----------------------------

i=0
while [ "$i" -lt 200 ]; do
	a=$((i % (LAST + 1)))
	b=$(((i * 7 + 3) % (LAST + 1)))
	"$CAPBOUND" --drop="$a,$b" -- cat /proc/self/status >"$TMP/c.$i" 2>&1 &
	i=$((i + 1))
done
wait
bad=0
i=0
while [ "$i" -lt 200 ]; do
	a=$((i % (LAST + 1)))
	b=$(((i * 7 + 3) % (LAST + 1)))
	want=$(mask_andnot "$BND" "$(capmask "$a" "$b")")
	got=$(sed -n 's/^CapBnd:[[:space:]]*//p' "$TMP/c.$i")
	if [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		diag "invocation $i (--drop=$a,$b): CapBnd '$got', want '$want'"
	fi
	i=$((i + 1))
done
is "$bad" 0 "200 concurrent invocations each got their own bounding set"

done_testing
