#!/bin/sh
# tools/coverage.sh - line coverage of capbound's sources by the whole
# test suite (make coverage).  Everything is built with gcc --coverage
# -O0 in a copy of the tree (build-coverage/src), so the normal build is
# untouched; then `make check` runs there with CAPBOUND_MUST_WORK=1, every
# test, the slow real clients too (they load the instrumented
# pam_capbound.so).  Prints the line coverage of every .c file of the
# top directory, merged over the objects that compile it (caps.c is in
# capbound, in pam_capbound.so and in static/), writes the uncovered
# lines to build-coverage/uncovered.txt, and fails when make check fails
# or when one of COVERAGE_FILES is below COVERAGE_MIN percent.
#
# The tests run capbound and the PAM clients as other users, with
# capabilities dropped and in user namespaces: the counts of such a
# process reach disk only if its .gcda files are writable by anybody.
# libgcov merges into an empty file, so every .gcda is created empty,
# mode 0666, before the run (a file created by the first writer would be
# 0644 and refuse the others).  doc/coverage.md says what cannot count.
#
# Environment: COVERAGE_DIR (build-coverage), COVERAGE_MIN (95),
# COVERAGE_FILES (caps.c ident.c policy.c pam_capbound.c).
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${COVERAGE_DIR:-$TOP/build-coverage}
MIN=${COVERAGE_MIN:-95}
FILES=${COVERAGE_FILES:-caps.c ident.c policy.c pam_capbound.c}
SRC=$OUT/src

case $OUT in
/?*) ;;
*) echo "coverage: COVERAGE_DIR must be an absolute path" >&2; exit 2 ;;
esac
command -v gcov >/dev/null 2>&1 || { echo "coverage: gcov not found" >&2; exit 2; }

rm -rf "$SRC" "$OUT/report.txt" "$OUT/uncovered.txt"
mkdir -p "$SRC" || exit 2
(cd "$TOP" && tar -cf - --exclude=./build-* --exclude=./.git \
	--exclude=./fuzz/work .) | tar -xf - -C "$SRC" || exit 2
make --no-print-directory -C "$SRC" clean >/dev/null 2>&1

# Build first (make check would too), to create the .gcda files before
# any test runs.
build="CC=gcc --coverage"
make --no-print-directory -C "$SRC" "$build" CFLAGS="-O0 -g" \
	all test-progs >"$OUT/build.log" 2>&1 ||
	{ tail -n 40 "$OUT/build.log"; echo "coverage: build failed" >&2; exit 1; }
# The directories too: a test copies a binary elsewhere, but its counts
# go to the absolute path of its objects.
find "$SRC" -name '*.gcno' | while read -r g; do
	d=${g%.gcno}.gcda
	: >"$d" && chmod 0666 "$d"
done

CAPBOUND_MUST_WORK=1 make --no-print-directory -C "$SRC" "$build" \
	CFLAGS="-O0 -g" check >"$OUT/check.log" 2>&1
rc=$?
tail -n 4 "$OUT/check.log"
[ $rc -eq 0 ] || { grep -e '^not ok' -e 'Failed' "$OUT/check.log" | head -n 40;
	echo "coverage: make check failed (build-coverage/check.log)"; }

# gcov's text output of every object of a top-level source: "COUNT:LINE:
# text", COUNT "-" (no code), "#####"/"=====" (never run) or a number.
# A line counts as code if any object has code there, as covered if any
# object ran it.
cd "$SRC" || exit 2
for g in $(find . -name '*.gcno' ! -path './tests/*' ! -path './fuzz/*' \
	! -path './tools/*' | sort); do
	dir=$(dirname "$g")
	src=$(basename "$g" .gcno).c
	[ -f "$src" ] || continue
	gcov -t -o "$dir" "$src" 2>/dev/null
done | awk -v min="$MIN" -v files=" $FILES " -v unc="$OUT/uncovered.txt" '
	/^ *-: *0:Source:/ { sub(/^ *-: *0:Source:/, ""); src = $0; next }
	{
		if (src !~ /^[^\/]*\.c$/) next
		c = $0; sub(/^ */, "", c); cnt = c; sub(/:.*/, "", cnt)
		rest = c; sub(/^[^:]*: */, "", rest)
		ln = rest; sub(/:.*/, "", ln); ln += 0
		if (cnt == "-" || ln == 0) next
		if (!((src, ln) in code)) { nlines[src]++; seen[src] = 1 }
		code[src, ln] = 1
		txt = rest; sub(/^[^:]*:/, "", txt); text[src, ln] = txt
		sub(/\*$/, "", cnt)
		if (cnt ~ /^[0-9]+$/ && cnt > 0 && !((src, ln) in hit)) {
			hit[src, ln] = 1; nhit[src]++
		}
	}
	END {
		n = 0
		for (s in seen) names[++n] = s
		for (i = 2; i <= n; i++)	# insertion sort: a few dozen files
			for (j = i; j > 1 && names[j - 1] > names[j]; j--) {
				t = names[j]; names[j] = names[j - 1]; names[j - 1] = t
			}
		bad = 0
		printf "%-18s %7s %7s %8s\n", "file", "lines", "run", "cover"
		for (i = 1; i <= n; i++) {
			s = names[i]; pct = 100 * nhit[s] / nlines[s]
			goal = ""
			if (index(files, " " s " ")) {
				goal = pct >= min ? "  (goal met)" : "  (BELOW " min "%)"
				if (pct < min) bad = 1
			}
			printf "%-18s %7d %7d %7.2f%%%s\n", s, nlines[s], nhit[s], pct, goal
			for (l = 1; l <= 100000; l++)
				if ((s, l) in code && !((s, l) in hit))
					printf "%s:%d:%s\n", s, l, text[s, l] >unc
		}
		exit bad
	}' | tee "$OUT/report.txt"
cov=$(sed -n 's/.*(BELOW.*/x/p' "$OUT/report.txt")
echo "coverage: uncovered lines in ${OUT#"$TOP"/}/uncovered.txt"
if [ -n "$cov" ]; then
	echo "coverage: FAILED: below ${MIN}% ($FILES)"
	exit 1
fi
[ $rc -eq 0 ] || exit 1
echo "coverage: every one of $FILES at ${MIN}% or more"
