#!/bin/sh
# Bad arguments, from the table beside this file: each must exit 125 with
# exactly one line on stderr, "capbound: ..." matching the table, nothing
# on stdout, and the command (which would create a marker file) not run.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# Any user will do (as root, a wrongly accepted row surely runs the
# command); CI runs this as root.

table=$TESTS_DIR/20-bad-input.table
marker=$TMP/ran
tab=$(printf '\t')
rows=0

set -f
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	saved_ifs=$IFS
	IFS=$tab
	# shellcheck disable=SC2086 # split the row at TABs, no globbing
	set -- $line
	IFS=$saved_ifs
	mode=$1 want=$2
	shift 2
	desc="$*"
	case $mode in
	cmd) set -- "$@" -- touch "$marker" ;;
	nosep) set -- "$@" touch "$marker" ;;
	bare) ;;
	*) ok 1 "bad table row: $line"; continue ;;
	esac
	rows=$((rows + 1))
	rm -f "$marker"
	run "$CAPBOUND" "$@" </dev/null
	n=$(wc -l <"$TMP/err" | tr -d ' ')
	msg=$(cat "$TMP/err")
	failed=""
	[ "$rc" -eq 125 ] || failed="$failed exit=$rc"
	[ "$n" -eq 1 ] || failed="$failed stderr-lines=$n"
	# shellcheck disable=SC2254 # want is a pattern
	case $msg in $want) ;; *) failed="$failed message" ;; esac
	[ ! -s "$TMP/out" ] || failed="$failed stdout"
	[ ! -e "$marker" ] || failed="$failed command-ran"
	if [ -z "$failed" ]; then
		ok 0 "$mode $desc"
	else
		ok 1 "$mode $desc:$failed"
		diag "  stderr: $msg"
		diag "  want:   $want"
	fi
done <"$table"
set +f

[ "$rows" -ge 50 ]
ok $? "the table has its rows ($rows)"

done_testing
