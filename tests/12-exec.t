#!/bin/sh
# How the command is started: exit statuses 125/126/127 and the
# command's own, options after COMMAND left alone, the same pid, a shell
# when there is no COMMAND, popt alias files never read.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setcap

cur=$(my_bounding)
no_raw=$(mask_andnot "$cur" "$(capmask 13)")
lines() { wc -l <"$1" | tr -d ' '; }

# --- exit statuses -----------------------------------------------------------
run "$CAPBOUND" -d net_raw -- sh -c 'exit 42'
is "$rc" 42 "the command's status passes through (42)"
run "$CAPBOUND" -d net_raw -- false
is "$rc" 1 "false: 1"
run "$CAPBOUND" -d net_raw -- true
is "$rc" 0 "true: 0"
run "$CAPBOUND" -d net_raw -- sh -c 'exit 125'
is "$rc" 125 "a command's own 125 passes through too"
is "$(cat "$TMP/err")" "" "  with nothing from capbound on stderr"
run "$CAPBOUND" -d net_raw -- sh -c 'kill -TERM $$'
is "$rc" 143 "a command killed by SIGTERM: the shell sees 128+15"

run "$CAPBOUND" -d net_raw -- capbound-no-such-command-here
is "$rc" 127 "command not in PATH: 127"
is "$(lines "$TMP/err")" 1 "  one line on stderr"
like "$(cat "$TMP/err")" "capbound: capbound-no-such-command-here: *" \
	"  naming the command"

run "$CAPBOUND" -d net_raw -- "$TMP/no/such/file"
is "$rc" 127 "command path that does not exist: 127"
like "$(cat "$TMP/err")" "capbound: $TMP/no/such/file: *" "  naming it"

# Found, but its interpreter is missing: the kernel says ENOENT, yet the
# command was found, so 126, and the message must not say "not found".
printf '#!%s/no/such/interpreter\n' "$TMP" >"$TMP/badinterp"
chmod 755 "$TMP/badinterp"
run "$CAPBOUND" -d net_raw -- "$TMP/badinterp"
is "$rc" 126 "a script whose interpreter is missing: 126"
like "$(cat "$TMP/err")" "capbound: $TMP/badinterp: *interpreter*" \
	"  saying the interpreter is missing"
run env PATH="/usr/bin:/bin:$TMP" "$CAPBOUND" -d net_raw -- badinterp
is "$rc" 126 "  the same found through PATH: 126"
case $(cat "$TMP/err") in
*"not found"*) ok 1 "  not called 'command not found'" ;;
*) ok 0 "  not called 'command not found'" ;;
esac

printf '#!/bin/sh\ntouch "%s/ran"\n' "$TMP" >"$TMP/noexec"
chmod 644 "$TMP/noexec"
run "$CAPBOUND" -d net_raw -- "$TMP/noexec"
is "$rc" 126 "a file without execute permission: 126"
like "$(cat "$TMP/err")" "capbound: $TMP/noexec: Permission denied" \
	"  saying why"
[ ! -e "$TMP/ran" ]
ok $? "  and it did not run"

run env PATH="$TMP" "$CAPBOUND" -d net_raw -- noexec
is "$rc" 126 "the same found through PATH: 126"

mkdir "$TMP/dir"
run "$CAPBOUND" -d net_raw -- "$TMP/dir"
is "$rc" 126 "a directory: 126"

# A program with file capabilities that the bounding set removes: the
# kernel refuses to exec it (EPERM); capbound explains.
cp /bin/true "$TMP/fcap-true"
if setcap cap_net_raw+ep "$TMP/fcap-true" 2>/dev/null; then
	run "$TMP/fcap-true"
	is "$rc" 0 "  (control: the file-capability program runs as it is)"
	run "$CAPBOUND" -d net_raw -- "$TMP/fcap-true"
	is "$rc" 126 "file capabilities outside the bounding set: 126"
	is "$(lines "$TMP/err")" 1 "  one line on stderr"
	like "$(cat "$TMP/err")" \
		"capbound: $TMP/fcap-true: Operation not permitted: *cap_net_raw*" \
		"  the kernel's EPERM, explained with the capability"
	run "$CAPBOUND" -d chown -- "$TMP/fcap-true"
	is "$rc" 0 "  and runs when its capability is still bounded"
else
	skip "file capabilities" "setcap failed on $TMP"
fi

# --- options after COMMAND are the command's -------------------------------
run "$CAPBOUND" -d net_raw -- printf '%s\n' --drop=y -v -- -d
printf '%s\n' --drop=y -v -- -d >"$TMP/want"
is "$rc" 0 "options after -- COMMAND: exit 0"
diff "$TMP/want" "$TMP/out" >"$TMP/diff"
ok $? "  printf got --drop=y -v -- -d untouched"
run "$CAPBOUND" -d net_raw printf '%s\n' --drop=y -v -- -d
is "$rc" 0 "without --: parsing stops at the first non-option"
diff "$TMP/want" "$TMP/out" >"$TMP/diff"
ok $? "  printf got --drop=y -v -- -d untouched"
is "$(cat "$TMP/err")" "" "  nothing on stderr"
"$CAPBOUND" -d net_raw sh -c 'cat /proc/self/status' -d chown \
	>"$TMP/status" 2>&1
is "$(status_field "$TMP/status" CapBnd)" "$no_raw" \
	"  -d chown after COMMAND did not drop chown"

# --- the same pid: capbound execs, it never forks --------------------------
# shellcheck disable=SC2016 # $$ is the command's
"$CAPBOUND" -d net_raw -- sh -c 'echo $$ >"$1"' sh "$TMP/pid" &
started=$!
wait "$started"
is "$(cat "$TMP/pid")" "$started" "the command's \$\$ is capbound's pid"

# --- no COMMAND: a shell, as chroot(8) does --------------------------------
cat >"$TMP/shell" <<EOF
#!/bin/sh
cat /proc/self/status >"$TMP/shell-status"
echo "\$#:\$*" >"$TMP/shell-args"
exit 7
EOF
chmod 755 "$TMP/shell"
SHELL="$TMP/shell" run "$CAPBOUND" -d net_raw
is "$rc" 7 "no COMMAND: \$SHELL runs, its status passes through"
is "$(status_field "$TMP/shell-status" CapBnd)" "$no_raw" \
	"  and it reads the reduced bounding set"
is "$(cat "$TMP/shell-args")" "1:-i" "  started as '\$SHELL -i'"

rm -f "$TMP/shell-status"
SHELL="$TMP/shell" run "$CAPBOUND" -d net_raw --
is "$rc" 7 "a bare -- is no COMMAND either"

# No SHELL: /bin/sh, reading commands from stdin.
printf 'cat /proc/self/status >"%s/sh-status"\nexit 5\n' "$TMP" |
	env -u SHELL "$CAPBOUND" -d net_raw >/dev/null 2>&1
is "$?" 5 "no COMMAND, no \$SHELL: /bin/sh runs"
is "$(status_field "$TMP/sh-status" CapBnd)" "$no_raw" \
	"  with the reduced bounding set"
rm -f "$TMP/sh-status"
printf 'cat /proc/self/status >"%s/sh-status"\nexit 5\n' "$TMP" |
	SHELL='' "$CAPBOUND" -d net_raw >/dev/null 2>&1
is "$?" 5 "empty \$SHELL: /bin/sh runs"
# --user with no passwd entry (so no shell of its own): /bin/sh, never
# the caller's $SHELL, which is root's.
if [ "$(id -u)" -eq 0 ]; then
	printf 'id -u\nexit 6\n' |
		SHELL="$TMP/shell" "$CAPBOUND" --user=4000000001:4000000002 \
		>"$TMP/out" 2>/dev/null
	is "$?:$(cat "$TMP/out")" "6:4000000001" \
		"no COMMAND, --user without a passwd entry: /bin/sh, not \$SHELL"
else
	skip "no COMMAND, --user without a passwd entry" "needs root"
fi

# --- --help and --version ----------------------------------------------------
for o in --help -h; do
	run "$CAPBOUND" "$o"
	is "$rc:$(cat "$TMP/err")" "0:" "$o: exit 0, nothing on stderr"
	like "$(head -n 1 "$TMP/out")" "Usage: capbound *" "  usage on stdout"
done
for o in --drop --keep --ambient --user --group --groups --reset-env \
	--no-new-privs --securebits --dry-run --verbose --quiet --print \
	--json --list --decode --help --version; do
	grep -q -e "$o" "$TMP/out" || missing="${missing:-} $o"
done
is "${missing:-}" "" "--help names every option of DESIGN.md"
# Every option of the popt table, long and short, in --help and in the
# man page: the table is the truth, the two texts follow it.
run "$CAPBOUND" --help
sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", \(.\)[^,]*, POPT_ARG.*/\1 \2/p' \
	"$TOP/capbound.c" >"$TMP/table"
ok "$([ "$(wc -l <"$TMP/table")" -ge 20 ]; echo $?)" \
	"the popt table read from capbound.c ($(wc -l <"$TMP/table") options)"
missing="" missing_man=""
while read -r long short; do
	grep -q -e "--$long\>" "$TMP/out" || missing="$missing --$long"
	grep -q -e "^\.It .*Fl -$long\>" "$TOP/capbound.1" ||
		missing_man="$missing_man --$long"
	case $short in
	"'"?"'")
		short=$(echo "$short" | tr -d "'")
		grep -q -e "-$short, --$long" "$TMP/out" ||
			missing="$missing -$short"
		grep -q -e "^\.It Fl $short , Fl -$long" "$TOP/capbound.1" ||
			missing_man="$missing_man -$short"
		;;
	esac
done <"$TMP/table"
is "$missing" "" "--help lists every option of the popt table"
is "$missing_man" "" "capbound.1 has an item for every option of the popt table"

# --version: the libraries' versions the build used, and how it is linked
run "$CAPBOUND" --version
is "$rc:$(cat "$TMP/err")" "0:" "--version: exit 0, nothing on stderr"
like "$(head -n 1 "$TMP/out")" "capbound [0-9]*" "  'capbound VERSION'"
if command -v pkg-config >/dev/null 2>&1 &&
	pkg-config --exists libcap popt; then
	want="built with libcap $(pkg-config --modversion libcap) and popt $(pkg-config --modversion popt); "
	case $(readelf -d "$CAPBOUND" 2>/dev/null) in
	*libpopt*) want="${want}shared libcap and popt" ;;
	*libc.so*) want="${want}libcap and popt linked in, glibc shared" ;;
	*) want="${want}static build: no shared library, users and groups from /etc/passwd and /etc/group" ;;
	esac
	is "$(sed -n 2p "$TMP/out")" "$want" "  the libcap and popt it was built with, and how it is linked"
else
	skip "--version names libcap's and popt's versions" "no pkg-config data for libcap and popt"
fi
run "$CAPBOUND" -V
is "$rc" 0 "-V: exit 0"
run "$CAPBOUND" --help --drop=net_raw -- touch "$TMP/ran"
is "$rc" 0 "--help with other options: exit 0"
[ ! -e "$TMP/ran" ]
ok $? "  and nothing run"

# --- popt alias files are never read ---------------------------------------
mkdir "$TMP/home"
printf 'capbound alias --nothing --drop=net_raw\ncapbound alias -d --keep=all\n' \
	>"$TMP/home/.popt"
HOME="$TMP/home" run "$CAPBOUND" --nothing -- true
is "$rc" 125 "an alias in \$HOME/.popt is not an option"
HOME="$TMP/home" "$CAPBOUND" -d net_raw -- cat /proc/self/status \
	>"$TMP/status" 2>/dev/null
is "$(status_field "$TMP/status" CapBnd)" "$no_raw" \
	"\$HOME/.popt cannot redefine -d"

done_testing
