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
rows=0 usage=0
try="Try 'capbound --help' for more information."

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
	# A usage error's "Try" line comes after the one message line.
	if [ "$(sed -n 2p "$TMP/err")" = "$try" ]; then
		sed -i 2d "$TMP/err"
		usage=$((usage + 1))
	fi
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
[ "$usage" -ge 40 ]
ok $? "usage errors end with \"$try\" ($usage rows)"

# Not a usage error: no "Try" line.
run "$CAPBOUND" --user=capbound-no-such-user -- true
is "$rc:$(cat "$TMP/err")" "125:capbound: --user: capbound-no-such-user: no such user" \
	"a user that does not exist is no usage error: no Try line"

# Control characters in arguments are escaped: one line per message.
run "$CAPBOUND" --user="$(printf 'ev\nil\033[31m')" -- true
is "$rc:$(cat "$TMP/err")" '125:capbound: --user: ev\nil\x1b[31m: no such user' \
	"a newline and an escape in --user: escaped, one line"
run "$CAPBOUND" --drop="$(printf 'a\tb')" -- true
is "$(head -n 1 "$TMP/err")" 'capbound: --drop=a\tb: unknown capability' \
	"a tab in --drop: escaped"
run "$CAPBOUND" -- "$(printf 'no\nsuch')"
is "$rc:$(cat "$TMP/err")" '127:capbound: no\nsuch: command not found' \
	"a newline in the command name: escaped, 127"
run "$CAPBOUND" -- ""
is "$rc:$(cat "$TMP/err")" '127:capbound: "": command not found' \
	"an empty command name is shown as \"\""

done_testing
