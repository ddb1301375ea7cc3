#!/bin/sh
# tools/mutate.sh [FILE.c...] - mutation testing of capbound's privilege
# code (make mutate).  Each single-line mutant that tools/mutants.awk
# makes of the files (default: the six of issue 15) is built in a copy of
# the tree and run against the test files that exercise that file, with
# CAPBOUND_MUST_WORK=1 and a time limit per file, stopping at the first
# test file that fails: the mutant is then killed.  One that builds to the
# same machine code as the original is equivalent by construction (TCE);
# one that passes every test file survives, unless doc/mutation.md
# explains it as equivalent (its "equivalent" block).  The report, per
# file and per survivor, is written to build-mutate/report.txt.
#
# Environment: MUTATE_JOBS (2) workers, MUTATE_TIMEOUT (90) seconds per
# test file, MUTATE_DIR (build-mutate), MUTATE_LINES (FROM-TO: only
# mutants of those lines, for a rerun after a fix).  Needs root, as the
# tests do; it is long (minutes per file) and is not part of CI.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${MUTATE_DIR:-$TOP/build-mutate}
JOBS=${MUTATE_JOBS:-2}
LIMIT=${MUTATE_TIMEOUT:-90}
LINES=${MUTATE_LINES:-}
FILES=${*:-caps.c capbound.c ident.c ident_files.c policy.c pam_capbound.c}
PROGS="all capbound-static tests/unit-caps tests/unit-ident tests/unit-policy \
tests/helper-daemon tests/helper-client tests/helper-status tests/helper-pamtest \
tests/helper-logsink tests/helper-sleeper tests/faultinject.so"
TAB=$(printf '\t')

# Functions not mutated: parsers, formatters, messages and reports, which
# the fuzzers and unit tests cover; what is left is the privilege code:
# the plan, the steps, their checks and read-backs, the look-ups of ids.
skip_for() {
	case $1 in
	caps.c) echo "fail_set parse_small caps_perr_str caps_name ascii_lower \
parse_item is_blank caps_parse caps_parse_mask caps_format \
caps_securebits_parse" ;;
	capbound.c) echo "vmsg die diex warnx_ step_print names capname die_caps \
die_capset usage last_cap parse_caps_opt parse_securebits parse_options \
run_option_given validate_modes plan_warn file_caps_blocked script_exec \
exec_search command_exec out_flush print_set_json print_state list_caps \
decode_mask check_config_numbers check_config print_ids dry_run plan_free" ;;
	ident.c) echo "dup_or_null ident_user_free" ;;
	policy.c) echo "fail fail_errno is_blank skip_blank keyword_at \
parse_caps_value parse_line policy_parse_buf policy_free" ;;
	pam_capbound.c) echo "names" ;;
	*) echo "" ;;
	esac
}

# The test files that exercise a file, quick ones first.
tests_for() {
	case $1 in
	caps.c) echo "10-unit-caps 11-drop-keep 14-privilege 25-caller-securebits \
32-ambient-daemon 35-nnp-securebits 13-report-nonroot 27-status-truncated \
50-pam-module 70-faultinject 75-pam-faultinject" ;;
	capbound.c) echo "11-drop-keep 12-exec 14-privilege 20-bad-input \
25-caller-securebits 26-exec-path-errors 27-status-truncated 28-id-minus-one \
31-identity-switch 32-ambient-daemon 33-setuid-filecaps 34-identity-failures \
35-nnp-securebits 36-new-session 13-report-nonroot 74-oddenv 70-faultinject" ;;
	ident.c) echo "30-unit-ident 31-identity-switch 34-identity-failures \
28-id-minus-one 14-privilege 52-check-config 50-pam-module 70-faultinject \
75-pam-faultinject" ;;
	ident_files.c) echo "90-static" ;;
	policy.c) echo "53-unit-policy 52-check-config 50-pam-module \
75-pam-faultinject" ;;
	pam_capbound.c) echo "50-pam-module 51-pam-su 54-pam-docs-install \
75-pam-faultinject" ;;
	*) echo "" ;;
	esac
}

# What a mutant of FILE must rebuild for its test files: only that, so a
# mutant costs one or two compilations and links.
progs_for() {
	case $1 in
	caps.c) echo "capbound pam_capbound.so tests/unit-caps" ;;
	capbound.c) echo "capbound" ;;
	ident.c) echo "capbound pam_capbound.so tests/unit-ident" ;;
	ident_files.c) echo "capbound-static" ;;
	policy.c) echo "capbound pam_capbound.so tests/unit-policy" ;;
	pam_capbound.c) echo "pam_capbound.so" ;;
	*) echo "$PROGS" ;;
	esac
}

# The objects built from FILE that those programs use.
objects_of() {
	_b=${1%.c}
	case $1 in
	ident_files.c) _cands="static/$_b.o" ;;
	pam_capbound.c) _cands="pam/$_b.o" ;;
	capbound.c) _cands="$_b.o" ;;
	*) _cands="$_b.o pam/$_b.o" ;;
	esac
	for _o in $_cands; do
		[ -f "$2/$_o" ] && echo "$_o"
	done
}

# Machine code without debug information, for the TCE comparison.
code_of() {
	objcopy --strip-debug "$1" "$2" 2>/dev/null
}

# The explained equivalents: doc/mutation.md's "equivalent" block, one a
# line: FILE<TAB>OP<TAB>MUTATED LINE (leading blanks dropped)<TAB>WHY.
explained() {
	# shellcheck disable=SC2016 # backquotes, not an expansion
	sed -n '/^```equivalent$/,/^```$/p' "$TOP/doc/mutation.md" 2>/dev/null |
		sed '1d;$d' | cut -f1-3
}

[ "$(id -u)" -eq 0 ] || { echo "mutate: needs root (the tests do)" >&2; exit 1; }
for f in $FILES; do
	[ -f "$TOP/$f" ] || { echo "mutate: no such file: $f" >&2; exit 1; }
done

# A fresh copy of the tree, built once: each worker starts from it.
rm -rf "${OUT:?}"
mkdir -p "$OUT/base" "$OUT/ref" "$OUT/log"
(cd "$TOP" && tar -cf - --exclude=./.git --exclude='./build-*' \
	--exclude=./fuzz/work .) | tar -xf - -C "$OUT/base"
# shellcheck disable=SC2086 # $PROGS: words
make -s -C "$OUT/base" clean >/dev/null 2>&1
# shellcheck disable=SC2086
if ! make -s -C "$OUT/base" $PROGS >"$OUT/log/build" 2>&1; then
	cat "$OUT/log/build"
	echo "mutate: the unmutated tree does not build" >&2
	exit 1
fi
for f in $FILES; do
	for o in $(objects_of "$f" "$OUT/base"); do
		mkdir -p "$OUT/ref/$(dirname "$o")"
		code_of "$OUT/base/$o" "$OUT/ref/$o"
	done
done

# Every test file used must pass on the unmutated tree, or a mutant's
# "kill" would mean nothing.
all_tests=$(for f in $FILES; do tests_for "$f"; done | tr ' ' '\n' | sort -u)
for t in $all_tests; do
	if ! (cd "$OUT/base" && CAPBOUND_MUST_WORK=1 CAPBOUND_TEST_TIMEOUT=$LIMIT \
	    nice tests/timeout.sh "tests/$t.t" >"$OUT/log/base-$t" 2>&1); then
		echo "mutate: tests/$t.t fails on the unmutated tree:" >&2
		grep '^not ok' "$OUT/log/base-$t" >&2
		exit 1
	fi
done

# The mutants: ID FILE LINE OP, and each mutated line in its own file.
: >"$OUT/mutants"
mkdir -p "$OUT/m"
for f in $FILES; do
	awk -v skip="$(skip_for "$f")" -f "$TOP/tools/mutants.awk" "$TOP/$f" |
	while IFS="$TAB" read -r line op text; do
		if [ -n "$LINES" ] &&
		    { [ "$line" -lt "${LINES%-*}" ] || [ "$line" -gt "${LINES#*-}" ]; }; then
			continue
		fi
		n=$(($(wc -l <"$OUT/mutants") + 1))
		printf '%s\n' "$text" >"$OUT/m/$n"
		printf '%s\t%s\t%s\t%s\n' "$n" "$f" "$line" "$op" >>"$OUT/mutants"
	done
done
total=$(wc -l <"$OUT/mutants")
echo "mutate: $total mutants of $FILES; $JOBS workers"

# worker K: mutants K, K+JOBS, ... in a copy of its own.
worker() {
	_w=$OUT/w$1
	cp -a "$OUT/base" "$_w"
	: >"$OUT/results.$1"
	_prev=
	while IFS="$TAB" read -r id file line op; do
		[ $(((id - 1) % JOBS)) -eq "$1" ] || continue
		# The last file mutated goes back to what it was.
		if [ -n "$_prev" ] && [ "$_prev" != "$file" ]; then
			cp "$OUT/base/$_prev" "$_w/$_prev"
		fi
		_prev=$file
		MUT_LINE=$line MUT_TEXT=$(cat "$OUT/m/$id") awk \
			'NR == ENVIRON["MUT_LINE"] { print ENVIRON["MUT_TEXT"]; next }
			 { print }' "$OUT/base/$file" >"$_w/$file"
		status=survived by=-
		objs=$(objects_of "$file" "$_w")
		# shellcheck disable=SC2086
		if ! make -s -C "$_w" $objs >"$_w/mut.log" 2>&1; then
			status=stillborn
		else
			status=tce
			for o in $objs; do
				code_of "$_w/$o" "$_w/mut.code"
				cmp -s "$_w/mut.code" "$OUT/ref/$o" || status=survived
			done
		fi
		# shellcheck disable=SC2046 # the programs: words
		if [ "$status" = survived ] &&
		    ! make -s -C "$_w" $(progs_for "$file") >"$_w/mut.log" 2>&1; then
			status=stillborn
		fi
		if [ "$status" = survived ]; then
			for t in $(tests_for "$file"); do
				(cd "$_w" && CAPBOUND_MUST_WORK=1 \
				    CAPBOUND_FAIL_FAST=1 \
				    CAPBOUND_TEST_TIMEOUT=$LIMIT nice \
				    tests/timeout.sh "tests/$t.t" >"$_w/test.log" 2>&1)
				r=$?
				if [ "$r" -ne 0 ]; then
					status=killed by=$t
					[ "$r" -eq 124 ] && status=timeout
					break
				fi
			done
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$file" "$line" "$op" \
			"$status" "$by" >>"$OUT/results.$1"
		if [ "$status" = survived ]; then
			cp "$_w/$file" "$OUT/log/survivor-$id.c"
		fi
	done <"$OUT/mutants"
}

k=0
pids=
while [ "$k" -lt "$JOBS" ]; do
	worker "$k" &
	pids="$pids $!"
	k=$((k + 1))
done
# shellcheck disable=SC2086 # $pids: words
wait $pids

# ---- the report --------------------------------------------------------------
cat "$OUT"/results.* | sort -n >"$OUT/results"
explained >"$OUT/explained"
R=$OUT/report.txt
{
	echo "mutation report: $(date -u '+%Y-%m-%d %H:%M UTC'), $(cd "$TOP" &&
		git describe --always --dirty 2>/dev/null || echo '?')"
	echo
	printf '%-16s %7s %9s %5s %10s %7s %8s %9s %7s\n' file mutants stillborn \
		tce explained killed timeout survived score
	for f in $FILES; do
		n=0 sb=0 tce=0 ex=0 kd=0 to=0 sv=0
		while IFS="$TAB" read -r id file line op status by; do
			[ "$file" = "$f" ] || continue
			n=$((n + 1))
			case $status in
			stillborn) sb=$((sb + 1)) ;;
			tce) tce=$((tce + 1)) ;;
			killed) kd=$((kd + 1)) ;;
			timeout) to=$((to + 1)) ;;
			survived)
				key=$(printf '%s\t%s\t%s' "$f" "$op" \
					"$(sed 's/^[[:space:]]*//' "$OUT/m/$id")")
				if grep -qxF "$key" "$OUT/explained"; then
					ex=$((ex + 1))
				else
					sv=$((sv + 1))
				fi
				;;
			esac
		done <"$OUT/results"
		live=$((kd + to + sv))
		if [ "$live" -gt 0 ]; then
			score=$(awk -v a=$((kd + to)) -v b="$live" \
				'BEGIN { printf "%.1f%%", 100 * a / b }')
		else
			score=-
		fi
		printf '%-16s %7d %9d %5d %10d %7d %8d %9d %7s\n' "$f" "$n" "$sb" \
			"$tce" "$ex" "$kd" "$to" "$sv" "$score"
	done
	echo
	echo "score = (killed + timeout) / (killed + timeout + survived); the"
	echo "stillborn (no build), tce (same machine code) and explained"
	echo "(doc/mutation.md) mutants are not in it."
	echo
	echo "survivors (FILE:LINE OP: the mutated line), unexplained first:"
	while IFS="$TAB" read -r id file line op status by; do
		[ "$status" = survived ] || continue
		text=$(sed 's/^[[:space:]]*//' "$OUT/m/$id")
		key=$(printf '%s\t%s\t%s' "$file" "$op" "$text")
		if grep -qxF "$key" "$OUT/explained"; then
			echo "~ $file:$line $op (explained): $text"
		else
			echo "! $file:$line $op: $text"
		fi
	done <"$OUT/results" | sort -s -k1,1r
	echo
	echo "timeouts (killed by the time limit):"
	awk -F "$TAB" '$5 == "timeout" { print "  " $2 ":" $3 " " $4 }' "$OUT/results"
} >"$R"
cat "$R"
