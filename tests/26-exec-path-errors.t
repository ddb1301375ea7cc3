#!/bin/sh
# When execvp() fails, capbound searches PATH itself to explain why (a
# missing interpreter: 126; file capabilities the bounding set removed:
# 126 with the capability named).  That search must find the file
# execvp() tried: empty PATH elements mean the current directory, and a
# directory of the same name earlier in PATH is skipped by execvp().
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
require_cmd setcap

# An empty command name: execvp("") says ENOENT.  Nothing was found, so
# 127; not "its interpreter is missing" (a PATH directory is not it).
run "$CAPBOUND" -- ""
is "$rc" 127 "an empty COMMAND: 127"
is "$(cat "$TMP/err")" 'capbound: "": command not found' "  command not found, the empty name shown as \"\""

mkdir "$TMP/a" "$TMP/b" "$TMP/cwd"
printf '#!%s/no/such/interpreter\n' "$TMP" >"$TMP/cwd/badinterp"
chmod 755 "$TMP/cwd/badinterp"
printf '#!/bin/sh\necho ran-from-cwd\n' >"$TMP/cwd/goodscript"
chmod 755 "$TMP/cwd/goodscript"

# Control: execvp() itself does run a program from an empty PATH element.
run sh -c "cd '$TMP/cwd' && PATH=/usr/bin::/bin exec '$CAPBOUND' goodscript"
is "$rc:$(cat "$TMP/out")" "0:ran-from-cwd" \
	"control: an empty PATH element is the current directory to execvp()"

run sh -c "cd '$TMP/cwd' && PATH=/usr/bin::/bin exec '$CAPBOUND' badinterp"
is "$rc" 126 "missing interpreter, found through an empty PATH element: 126"
like "$(cat "$TMP/err")" "capbound: badinterp: *interpreter*" \
	"  saying the interpreter is missing"

run sh -c "cd '$TMP/cwd' && PATH=:/usr/bin:/bin exec '$CAPBOUND' badinterp"
is "$rc" 126 "  the same with a leading empty element: 126"

# A file-capability program that the bounding set blocks (EPERM).
cp /bin/true "$TMP/b/fcprog"
if setcap cap_net_raw+ep "$TMP/b/fcprog" 2>/dev/null; then
	mkdir "$TMP/a/fcprog"
	run env PATH="$TMP/a:$TMP/b:/usr/bin:/bin" "$CAPBOUND" -d net_raw fcprog
	is "$rc" 126 "a directory of the same name earlier in PATH: 126"
	like "$(cat "$TMP/err")" \
		"capbound: fcprog: $TMP/b/fcprog: Operation not permitted: *cap_net_raw*" \
		"  the EPERM explained for the file execvp() tried (named), not the directory"
	want=$(cat "$TMP/err")
	run env PATH="$TMP/a:$TMP/b:/usr/bin:/bin" "$CAPBOUND" -n -d net_raw fcprog
	is "$rc:$(sed -n 's/^would fail: *//p' "$TMP/out")" \
		"126:step 8 (exec): ${want#capbound: }" \
		"  --dry-run: 126, the same words"

	cp /bin/true "$TMP/cwd/fcprog"
	setcap cap_net_raw+ep "$TMP/cwd/fcprog"
	run sh -c "cd '$TMP/cwd' && PATH=/usr/bin::/bin exec '$CAPBOUND' -d net_raw fcprog"
	is "$rc" 126 "through an empty PATH element: 126"
	like "$(cat "$TMP/err")" \
		"capbound: fcprog: Operation not permitted: *cap_net_raw*" \
		"  the EPERM explained"
else
	skip "file capabilities" "setcap failed on $TMP"
fi

done_testing
