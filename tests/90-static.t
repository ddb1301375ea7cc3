#!/bin/sh
# make static: capbound-static is statically linked, never loads a name
# service module, reads users and groups from /etc/passwd and /etc/group
# as nss_files does (checked against test files bind-mounted in a private
# mount namespace, and against the dynamic capbound), and passes the core
# integration tests, which run again here with CAPBOUND=capbound-static.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd unshare mount
STATIC=$TOP/capbound-static
[ -x "$STATIC" ] || skip_all "capbound-static not built (make static; make check builds it)"

# The core integration tests (issue 2 and 3), run again on the static
# binary; a name not in this tree is left out.  Not here: tests of the
# PAM module, and anything that relies on LD_PRELOAD (a static binary
# ignores it).
CORE_TESTS="11-drop-keep 12-exec 13-report-nonroot 14-privilege 20-bad-input
31-identity-switch 32-ambient-daemon 33-setuid-filecaps 34-identity-failures
35-nnp-securebits 36-new-session 52-check-config"

# ---- statically linked, no NSS ----------------------------------------
if command -v readelf >/dev/null 2>&1; then
	n=$(readelf -l "$STATIC" | grep -c 'INTERP\|Requesting program interpreter')
	is "$n" 0 "capbound-static has no program interpreter (static)"
	n=$(readelf -d "$STATIC" | grep -c NEEDED)
	is "$n" 0 "capbound-static needs no shared library"
else
	skip "capbound-static is static" "no readelf"
fi
like "$("$STATIC" --version)" "capbound *" "capbound-static --version"
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libcap popt; then
	is "$("$STATIC" --version | sed -n 2p)" \
		"built with libcap $(pkg-config --modversion libcap) and popt $(pkg-config --modversion popt); static build: no shared library, users and groups from /etc/passwd and /etc/group" \
		"capbound-static --version: the libraries' versions, and that it is the static build"
else
	skip "capbound-static --version names the libraries" "no pkg-config data for libcap and popt"
fi
"$STATIC" --list >"$TMP/list.static"
"$CAPBOUND" --list >"$TMP/list.dyn"
cmp -s "$TMP/list.static" "$TMP/list.dyn"
ok $? "--list: the same as the dynamic capbound's"

if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=openat,open,connect -o "$TMP/trace" \
		"$STATIC" --user=nobody --group=nogroup --groups=nogroup -- /bin/true
	is "$?" 0 "capbound-static --user/--group/--groups runs under strace"
	is "$(grep -c 'nsswitch\|libnss_\|nscd' "$TMP/trace")" 0 \
		"no nsswitch.conf, no libnss_*.so, no nscd: no name service switch"
	is "$(grep -c '"/etc/passwd"' "$TMP/trace")" 1 "/etc/passwd read once"
else
	skip "no NSS" "no strace"
fi

# ---- the files backend, on test files ------------------------------------
cat >"$TMP/passwd" <<'EOF_PW'
root:x:0:0:root:/root:/bin/bash
# a comment line

nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
a line without fields
cbbad:x:12x:1:bad uid:/:/bin/sh
cbshort:x:4000:4000
cbtest:x:4242:4343:Test User,,,:/home/cbtest:/bin/sh
EOF_PW
cat >"$TMP/group" <<'EOF_GR'
root:x:0:
nogroup:x:65534:
cbprim:x:4343:
cbone:x:5001:cbtest
cbtwo:x:5002:other,cbtest,more
cbnot:x:5003:cbtestx,xcbtest
cbsame:x:5001:cbtest
cbbad:x:50x4:cbtest
EOF_GR
chmod 644 "$TMP/passwd" "$TMP/group"

# in_ns CAPBOUND ARGS...: capbound ARGS -- sh (status and environment)
# with the test files over /etc/passwd and /etc/group, in a private mount
# namespace: the system's files are never touched.
in_ns() {
	# shellcheck disable=SC2016
	unshare -m sh -c '
		mount --bind "$1/passwd" /etc/passwd &&
		mount --bind "$1/group" /etc/group || exit 99
		shift
		"$@" -- /bin/sh -c "cat /proc/self/status; echo \"env: \$HOME \$SHELL \$USER \$LOGNAME\""
	' sh "$TMP" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

in_ns "$STATIC" --user=cbtest
is "$rc" 0 "--user=cbtest from the test /etc/passwd"
is "$(status_field "$TMP/out" Uid)" "4242	4242	4242	4242" "Uid: 4242 (all four)"
is "$(status_field "$TMP/out" Gid)" "4343	4343	4343	4343" "Gid: the primary group 4343"
is "$(status_field "$TMP/out" Groups | tr -s ' ' | sed 's/ $//')" "4343 5001 5002" \
	"Groups: primary, then the groups listing cbtest, each once; not cbnot"
is "$(sed -n 's/^env: //p' "$TMP/out")" "/home/cbtest /bin/sh cbtest cbtest" \
	"HOME, SHELL, USER, LOGNAME from the entry"
cp "$TMP/out" "$TMP/out.static"
# ids: Uid:, Gid: and the set of Groups: (glibc lists a gid that two
# groups share twice, the files backend once: the same set to the kernel).
ids() {
	grep -E '^(Uid|Gid):' "$1"
	status_field "$1" Groups | tr ' ' '\n' | sed '/^$/d' | sort -un
}
in_ns "$CAPBOUND" --user=cbtest
ids "$TMP/out" >"$TMP/ids.dyn"
ids "$TMP/out.static" >"$TMP/ids.static"
cmp -s "$TMP/ids.dyn" "$TMP/ids.static"
ok $? "the dynamic capbound (glibc nss_files) gives the same ids and group set"

in_ns "$STATIC" --user=4242
is "$(status_field "$TMP/out" Groups | tr -s ' ' | sed 's/ $//')" "4343 5001 5002" \
	"--user=4242: the uid's entry, so the same groups"
in_ns "$STATIC" --user=cbtest --group=cbtwo --groups=cbone,cbnot
is "$(status_field "$TMP/out" Gid | cut -f1)" 5002 "--group=cbtwo: gid 5002"
is "$(status_field "$TMP/out" Groups | tr -s ' ' | sed 's/ $//')" "5001 5003" \
	"--groups=cbone,cbnot: 5001 5003"
for bad in cbbad cbshort "a line without fields" nosuch; do
	in_ns "$STATIC" --user="$bad"
	is "$rc" 125 "--user=$bad: a malformed or missing entry is no such user (125)"
done
like "$(cat "$TMP/err")" "capbound: --user: nosuch: no such user" "... and says so"
in_ns "$STATIC" --group=cbbad
is "$rc" 125 "--group=cbbad: a malformed gid is no such group (125)"

# ---- the core integration tests, again ------------------------------------
for t in $CORE_TESTS; do
	f=$TESTS_DIR/$t.t
	[ -f "$f" ] || { diag "$t.t: not in this tree"; continue; }
	CAPBOUND=$STATIC sh "$f" >"$TMP/core.out" 2>&1
	r=$?
	n=$(grep -c '^ok' "$TMP/core.out")
	nok=$(grep -c '^not ok' "$TMP/core.out")
	ok "$([ "$r" -eq 0 ] && [ "$nok" -eq 0 ] && [ "$n" -gt 0 ]; echo $?)" \
		"$t.t with capbound-static: $n passed, $nok failed"
	[ "$nok" -eq 0 ] || grep -A3 '^not ok' "$TMP/core.out" | sed 's/^/#   /'
done

done_testing
