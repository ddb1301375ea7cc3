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
# Environment: MUTATE_JOBS (2) workers, MUTATE_TIMEOUT (60) seconds per
# test file, MUTATE_DIR (build-mutate), MUTATE_LINES (FROM-TO: only
# mutants of those lines).  MUTATE_SAMPLE=N: at most N mutants per file,
# a random sample stratified by operator kind (each kind in proportion),
# fixed by MUTATE_SEED (1): the same seed and tree give the same sample.
# MUTATE_RERUN=1: do not start over; test again, against the tree's
# current tests, the survivors of the run in MUTATE_DIR (of MUTATE_LINES
# only, if given) but those doc/mutation.md explains (MUTATE_RERUN=all:
# those too), and write the report with their new status.  The
# mutated files must not have changed since that run.  MUTATE_REPORT=1:
# only write the report of what MUTATE_DIR holds (a run cut short).
# MUTATE_REUSE="DIR...": a mutant that an earlier run in DIR (same
# source file) killed, or found stillborn or tce, is not tested again:
# more tests cannot bring it back.
# Needs root, as the tests do; it is long and is not part of CI.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

TOP=${MUTATE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
# sh reads its script as it goes: run from a private copy, so that an
# edit of tools/mutate.sh during a run of an hour cannot derail it.
if [ -z "${MUTATE_TOP:-}" ]; then
	_self=$(mktemp "${TMPDIR:-/tmp}/mutate.XXXXXX") || exit 1
	cp "$0" "$_self" || exit 1
	MUTATE_TOP=$TOP sh "$_self" "$@"
	_rc=$?
	rm -f "$_self"
	exit "$_rc"
fi
OUT=${MUTATE_DIR:-$TOP/build-mutate}
JOBS=${MUTATE_JOBS:-2}
LIMIT=${MUTATE_TIMEOUT:-60}
LINES=${MUTATE_LINES:-}
SAMPLE=${MUTATE_SAMPLE:-}
SEED=${MUTATE_SEED:-1}
RERUN=${MUTATE_RERUN:-0}
REPORT_ONLY=${MUTATE_REPORT:-0}
REUSE=${MUTATE_REUSE:-}
FILES=${*:-caps.c capbound.c ident.c ident_files.c policy.c pam_capbound.c}
PROGS="all capbound-static tests/unit-caps tests/unit-ident tests/unit-policy \
tests/helper-daemon tests/helper-client tests/helper-status tests/helper-pamtest \
tests/helper-logsink tests/helper-sleeper tests/helper-userns tests/faultinject.so"
TAB=$(printf '\t')

# Functions not mutated: parsers, formatters, messages and reports, which
# the fuzzers and unit tests cover; what is left is the privilege code:
# the plan, the steps, their checks and read-backs, the look-ups of ids.
skip_for() {
	case $1 in
	caps.c) echo "fail_set parse_small caps_perr_str caps_name ascii_lower \
parse_item is_blank caps_parse caps_parse_mask caps_format \
caps_securebits_parse" ;;
	capbound.c) echo "usage capsh_text parse_caps_opt parse_securebits \
popt_fail write_out_or_die split_user_group parse_options run_option_given \
validate_modes ident_fail plan_final_uid plan_final_gid plan_final_securebits \
plan_command_caps plan_fails id_mapped setgroups_denied gid_in groups_already \
plan_check_steps plan_check plan_warn plan_free" ;;
	ident.c) echo "dup_or_null ident_user_free" ;;
	policy.c) echo "fail fail_errno is_blank skip_blank keyword_at \
parse_caps_value parse_line policy_parse_buf policy_free" ;;
	pam_capbound.c) echo "names" ;;
	*) echo "" ;;
	esac
}

# The test files that exercise a file, the quickest killers first: the
# unit tests and the sub-second integration tests, then the fault and
# fake-result tables (70: 11 s, 75: 18 s, but they stop at their first
# failure), the slower ones last.  The real-client tests (60-65) and the
# 31-second group database test (38) are left out: 50, 55 and 75 drive
# the PAM module, 30 and 70 the group look-ups, in seconds; 75 last for
# caps.c and ident.c: only the module raises cap_setpcap from permitted
# and reads the whole group database (@group).  38 comes after it for
# ident.c alone, for what only it makes: unreadable databases under
# "files systemd" (it runs only for the mutants that survive the rest).
# A test left out can only make a mutant survive, never kill one.
tests_for() {
	case $1 in
	caps.c) echo "10-unit-caps 11-drop-keep 14-privilege 25-caller-securebits \
35-nnp-securebits 32-ambient-daemon 70-faultinject 13-report-nonroot \
27-status-truncated 76-state-fallbacks 50-pam-module 75-pam-faultinject" ;;
	capbound.c) echo "11-drop-keep 14-privilege 31-identity-switch \
34-identity-failures 28-id-minus-one 35-nnp-securebits 25-caller-securebits \
32-ambient-daemon 33-setuid-filecaps 36-new-session 12-exec \
26-exec-path-errors 70-faultinject 13-report-nonroot 27-status-truncated \
74-oddenv 20-bad-input 76-state-fallbacks" ;;
	ident.c) echo "30-unit-ident 31-identity-switch 34-identity-failures \
28-id-minus-one 37-userns-overflow 39-ident-edges 91-files-backend 14-privilege \
52-check-config 70-faultinject 50-pam-module 75-pam-faultinject \
38-group-database" ;;
	ident_files.c) echo "91-files-backend 90-static" ;;
	policy.c) echo "53-unit-policy 52-check-config 56-policy-read 50-pam-module \
55-pam-callers 75-pam-faultinject 73-valgrind" ;;
	pam_capbound.c) echo "50-pam-module 55-pam-callers 56-policy-read 51-pam-su \
54-pam-docs-install 75-pam-faultinject" ;;
	*) echo "" ;;
	esac
}

# What a mutant of FILE must rebuild for its test files: only that, so a
# mutant costs one or two compilations and links.
progs_for() {
	case $1 in
	caps.c) echo "capbound pam_capbound.so tests/unit-caps" ;;
	capbound.c) echo "capbound" ;;
	ident.c) echo "capbound capbound-static pam_capbound.so tests/unit-ident" ;;
	ident_files.c) echo "capbound-static tests/helper-files" ;;
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
# line: FILE<TAB>OP<TAB>ORIGINAL LINE (leading blanks dropped)<TAB>WHY.
# The line as it was, not as mutated: a deleted check (del: "if (0)") or
# call (";") reads the same everywhere; one mutant per line and kind
# makes file, kind and line text a mutant's name.
# FILE may also be FILE:FUNCTION, for a line whose text recurs in FILE
# ("return -1;") where only that function's copy is equivalent.
key_of() {	# FILE LINE OP: a mutant's names in the "equivalent" block
	_text=$(sed -n "${2}p" "$OUT/base/$1" | sed 's/^[[:space:]]*//')
	_fn=$(awk -v l="$2" 'NR > l { exit }
		/^[a-z][a-z0-9_ *]*[a-z0-9_]+\(/ {
			n = $0; sub(/\(.*/, "", n); sub(/.*[ *]/, "", n); fn = n
		} END { print fn }' "$OUT/base/$1")
	printf '%s\t%s\t%s\n%s:%s\t%s\t%s' "$1" "$3" "$_text" \
		"$1" "$_fn" "$3" "$_text"
}
explained() {
	# shellcheck disable=SC2016 # backquotes, not an expansion
	sed -n '/^```equivalent$/,/^```$/p' "$TOP/doc/mutation.md" 2>/dev/null |
		sed '1d;$d' | cut -f1-3
}

# The tree in OUT/base, built: each worker starts from a copy of it.
# A rerun copies the tree's current tests over it and builds again.
base_build() {
	(cd "$TOP" && tar -cf - --exclude=./.git --exclude='./build-*' \
		--exclude=./fuzz/work .) | tar -xf - -C "$OUT/base"
	# shellcheck disable=SC2086 # $PROGS: words
	if ! make -s -C "$OUT/base" $PROGS >"$OUT/log/build" 2>&1; then
		cat "$OUT/log/build"
		echo "mutate: the unmutated tree does not build" >&2
		exit 1
	fi
}

# Every test file used must pass on the unmutated tree, or a mutant's
# "kill" would mean nothing.
base_check() {
	for t in $(for f in $FILES; do tests_for "$f"; done | tr ' ' '\n' |
	    sort -u); do
		if ! (cd "$OUT/base" && CAPBOUND_MUST_WORK=1 \
		    CAPBOUND_TEST_TIMEOUT=$LIMIT \
		    nice tests/timeout.sh "tests/$t.t" >"$OUT/log/base-$t" 2>&1)
		then
			echo "mutate: tests/$t.t fails on the unmutated tree:" >&2
			grep '^not ok' "$OUT/log/base-$t" >&2
			exit 1
		fi
	done
}

# A line number within MUTATE_LINES (or no MUTATE_LINES)?
in_lines() {
	[ -z "$LINES" ] ||
		{ [ "$1" -ge "${LINES%-*}" ] && [ "$1" -le "${LINES#*-}" ]; }
}

# sample N SEED FILE: of the mutants (LINE OP TEXT) on stdin, at most N,
# each operator kind getting its share of N (largest remainders), chosen
# within a kind in the order of an MD5 of SEED, FILE, line, operator and
# text (perl's core Digest::MD5; prove needs perl anyway): reproducible,
# whatever awk's rand() does, and not clustered by line as a simple
# string hash is.  Printed in line order.
sample() {
	perl -MDigest::MD5=md5_hex -ne '
		BEGIN { ($n, $seed, $file) = splice(@ARGV, 0, 3); }
		chomp;
		push @all, $_;
		END {
			my (%cnt, %q, %rem, @key);
			for my $i (0 .. $#all) {
				my ($line, $op) = split /\t/, $all[$i];
				$cnt{$op}++;
				$key[$i] = md5_hex("$seed:$file:$all[$i]");
			}
			my $tot = @all;
			if ($tot <= $n) { print "$_\n" for @all; exit; }
			my $left = $n;
			for my $k (sort keys %cnt) {
				$q{$k} = int($n * $cnt{$k} / $tot);
				$rem{$k} = $n * $cnt{$k} / $tot - $q{$k};
				$left -= $q{$k};
			}
			for my $k (sort { $rem{$b} <=> $rem{$a} || $a cmp $b }
				   keys %cnt) {
				last if $left <= 0;
				$q{$k}++;
				$left--;
			}
			my (%taken, @pick);
			for my $i (sort { $key[$a] cmp $key[$b] } 0 .. $#all) {
				my ($line, $op) = split /\t/, $all[$i];
				push @pick, $i if ++$taken{$op} <= $q{$op};
			}
			print "$all[$_]\n" for sort { $a <=> $b } @pick;
		}' "$1" "$2" "$3"
}

[ "$(id -u)" -eq 0 ] || { echo "mutate: needs root (the tests do)" >&2; exit 1; }
for f in $FILES; do
	[ -f "$TOP/$f" ] || { echo "mutate: no such file: $f" >&2; exit 1; }
done

if [ "$REPORT_ONLY" = 1 ] || [ "$RERUN" != 0 ]; then
	[ -f "$OUT/mutants" ] || { echo "mutate: no run in $OUT" >&2; exit 1; }
fi
if [ "$RERUN" != 0 ]; then
	for f in $FILES; do
		cmp -s "$TOP/$f" "$OUT/base/$f" || {
			echo "mutate: $f changed since the run in $OUT: run again" >&2
			exit 1
		}
	done
	base_build
	base_check
elif [ "$REPORT_ONLY" != 1 ]; then
	rm -rf "${OUT:?}"
	mkdir -p "$OUT/base" "$OUT/ref" "$OUT/log"
	base_build
	for f in $FILES; do
		for o in $(objects_of "$f" "$OUT/base"); do
			mkdir -p "$OUT/ref/$(dirname "$o")"
			code_of "$OUT/base/$o" "$OUT/ref/$o"
		done
	done
	base_check
fi

# The mutants: ID FILE LINE OP, and each mutated line in its own file.
if [ "$RERUN" = 0 ] && [ "$REPORT_ONLY" != 1 ]; then
	: >"$OUT/mutants"
	mkdir -p "$OUT/m"
	n=0
	for f in $FILES; do
		awk -v skip="$(skip_for "$f")" -f "$TOP/tools/mutants.awk" \
		    "$TOP/$f" >"$OUT/all.$f"
		while IFS="$TAB" read -r line op text; do
			in_lines "$line" || continue
			printf '%s\t%s\t%s\n' "$line" "$op" "$text"
		done <"$OUT/all.$f" >"$OUT/lines.$f"
		if [ -n "$SAMPLE" ]; then
			sample "$SAMPLE" "$SEED" "$f" <"$OUT/lines.$f"
		else
			cat "$OUT/lines.$f"
		fi >"$OUT/chosen.$f"
		echo "mutate: $f: $(wc -l <"$OUT/chosen.$f") of" \
			"$(wc -l <"$OUT/lines.$f") mutants" \
			"${SAMPLE:+(sample of at most $SAMPLE, seed $SEED)}"
		while IFS="$TAB" read -r line op text; do
			n=$((n + 1))
			printf '%s\n' "$text" >"$OUT/m/$n"
			printf '%s\t%s\t%s\t%s\n' "$n" "$f" "$line" "$op" \
				>>"$OUT/mutants"
		done <"$OUT/chosen.$f"
	done
	{
		echo "files: $FILES"
		echo "lines: ${LINES:-all}"
		echo "sample: ${SAMPLE:-none} seed: $SEED"
		for f in $FILES; do
			echo "$f: $(wc -l <"$OUT/chosen.$f") run of" \
				"$(wc -l <"$OUT/lines.$f") made"
		done
	} >"$OUT/run-info"
	cp "$OUT/mutants" "$OUT/todo"
	round=run
elif [ "$RERUN" != 0 ]; then
	# The latest status of each mutant: the run's, then each rerun's.
	round=rerun$(date +%s)
	explained >"$OUT/explained.now"
	cat "$OUT"/results.run.* "$OUT"/results.rerun*.* 2>/dev/null |
		awk -F "$TAB" '{ st[$1] = $5 } END { for (i in st) print i "\t" st[i] }' \
		>"$OUT/latest"
	while IFS="$TAB" read -r id file line op; do
		case " $FILES " in *" $file "*) ;; *) continue ;; esac
		in_lines "$line" || continue
		awk -F "$TAB" -v id="$id" '$1 == id && $2 == "survived" { f = 1 }
			END { exit !f }' "$OUT/latest" || continue
		# An explained survivor is expected to survive: not again,
		# unless MUTATE_RERUN=all.
		if [ "$RERUN" != all ] && grep -qxF \
		    "$(key_of "$file" "$line" "$op")" "$OUT/explained.now"; then
			continue
		fi
		printf '%s\t%s\t%s\t%s\n' "$id" "$file" "$line" "$op"
	done <"$OUT/mutants" >"$OUT/todo"
fi
if [ "$REPORT_ONLY" != 1 ]; then
	echo "mutate: $(wc -l <"$OUT/todo") mutants to test ($round);" \
		"$JOBS workers; progress in $OUT/progress"
fi

# reused FILE LINE OP ID: "STATUS<TAB>BY" of the same mutant (same
# source file, line, operator and text) in a run of MUTATE_REUSE that
# killed it, or found it stillborn or tce; nothing otherwise.
reused() {
	for _d in $REUSE; do
		cmp -s "$_d/base/$1" "$TOP/$1" || continue
		_old=$(cat "$_d"/results.* 2>/dev/null | awk -F "$TAB" \
		    -v f="$1" -v l="$2" -v o="$3" \
		    '$2 == f && $3 == l && $4 == o &&
		     $5 ~ /^(killed|timeout|stillborn|tce)$/ {
			print $1 "\t" $5 "\t" $6 }')
		[ -n "$_old" ] || continue
		echo "$_old" | while IFS="$TAB" read -r _oid _ost _oby; do
			if cmp -s "$_d/m/$_oid" "$OUT/m/$4"; then
				printf '%s\t%s\n' "$_ost" "$_oby"
				break
			fi
		done | head -n 1 | grep . && return 0
	done
	return 0
}

# worker K: the Kth, K+JOBS-th ... mutant of the todo list, in a copy
# of the tree of its own.
worker() {
	_w=$OUT/w$1
	rm -rf "${_w:?}"
	cp -a "$OUT/base" "$_w"
	_res=$OUT/results.$round.$1
	: >"$_res"
	_prev=
	_k=0
	while IFS="$TAB" read -r id file line op; do
		_k=$((_k + 1))
		[ $(((_k - 1) % JOBS)) -eq "$1" ] || continue
		_t0=$(date +%s)
		# The last file mutated goes back to what it was.
		if [ -n "$_prev" ] && [ "$_prev" != "$file" ]; then
			cp "$OUT/base/$_prev" "$_w/$_prev"
		fi
		_prev=$file
		_st=$(reused "$file" "$line" "$op" "$id")
		if [ -n "$_st" ]; then
			printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$file" "$line" \
				"$op" "$_st" >>"$_res"
			echo "$(date -u +%H:%M:%S) $id $file:$line $op" \
				"$(echo "$_st" | tr "$TAB" ' ') (reused)" >>"$OUT/progress"
			continue
		fi
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
			"$status" "$by" >>"$_res"
		printf '%s %s %s:%s %s %s %s %ss\n' "$(date -u +%H:%M:%S)" "$id" \
			"$file" "$line" "$op" "$status" "$by" \
			$(($(date +%s) - _t0)) >>"$OUT/progress"
		if [ "$status" = survived ]; then
			cp "$_w/$file" "$OUT/log/survivor-$id.c"
		fi
	done <"$OUT/todo"
	# The mutated file back as it was.
	[ -n "$_prev" ] && cp "$OUT/base/$_prev" "$_w/$_prev"
}

if [ "$REPORT_ONLY" != 1 ]; then
	k=0
	pids=
	while [ "$k" -lt "$JOBS" ]; do
		worker "$k" &
		pids="$pids $!"
		k=$((k + 1))
	done
	# shellcheck disable=SC2086 # $pids: words
	wait $pids
fi

# ---- the report --------------------------------------------------------------
# The latest status of each mutant: a rerun's replaces the run's.
cat "$OUT"/results.run.* "$OUT"/results.rerun*.* 2>/dev/null |
	awk -F "$TAB" '{ r[$1] = $0 } END { for (i in r) print r[i] }' |
	sort -n >"$OUT/results"
explained >"$OUT/explained"
R=$OUT/report.txt
{
	echo "mutation report: $(date -u '+%Y-%m-%d %H:%M UTC'), $(cd "$TOP" &&
		git describe --always --dirty 2>/dev/null || echo '?')"
	sed 's/^/  /' "$OUT/run-info"
	echo "  tested: $(wc -l <"$OUT/results") of $(wc -l <"$OUT/mutants")" \
		"chosen (the rest not run yet)"
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
				if grep -qxF "$(key_of "$f" "$line" "$op")" \
				    "$OUT/explained"; then
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
	echo "survivors (FILE:LINE OP: the line -> the mutant), unexplained first:"
	while IFS="$TAB" read -r id file line op status by; do
		[ "$status" = survived ] || continue
		text=$(sed 's/^[[:space:]]*//' "$OUT/m/$id")
		orig=$(sed -n "${line}p" "$OUT/base/$file" | sed 's/^[[:space:]]*//')
		if grep -qxF "$(key_of "$file" "$line" "$op")" "$OUT/explained"
		then
			printf '~ %s:%s %s (explained): %s -> %s\n' "$file" "$line" \
				"$op" "$orig" "$text"
		else
			printf '! %s:%s %s: %s -> %s\n' "$file" "$line" "$op" \
				"$orig" "$text"
		fi
	done <"$OUT/results" | sort -s -k1,1r
	echo
	echo "timeouts (killed by the time limit):"
	awk -F "$TAB" '$5 == "timeout" { print "  " $2 ":" $3 " " $4 }' "$OUT/results"
} >"$R"
cat "$R"
