#!/bin/sh
# tests/71-fuzz-regress.t - the fuzz targets' seed corpora and every input
# that once crashed (fuzz/regress/<target>/), replayed through the same
# entry point built with the normal compiler (fuzz/<target>-replay).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

n=0
for src in "$TOP"/fuzz/*.c; do
	t=$(basename "$src" .c)
	[ "$t" = replay ] && continue
	n=$((n + 1))
	bin=$TOP/fuzz/$t-replay
	if [ ! -x "$bin" ]; then
		ok 1 "$t: fuzz/$t-replay is built (make check builds it)"
		continue
	fi
	set --
	for f in "$TOP/fuzz/corpus/$t"/* "$TOP/fuzz/regress/$t"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	ok "$([ "$#" -gt 0 ]; echo $?)" "$t: has a seed corpus ($# inputs)"
	"$bin" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" 0 "$t: every seed and regression input passes"
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$TMP/err"
done
ok "$([ "$n" -ge 8 ]; echo $?)" "every parser has a target: caps, ident, policy, GECOS, securebits ($n)"
done_testing
