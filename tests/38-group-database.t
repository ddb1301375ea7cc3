#!/bin/sh
# The group database, broken and big, with real parts: --user, --group,
# --groups (dynamic capbound and capbound-static) and the PAM module
# (through tests/helper-pamtest with a pam.d of this test's own), against
# generated copies of /etc/group bind-mounted in a private mount namespace.
#
# An unreadable group database, two real ways (a directory cannot be
# bind-mounted over a file, so both are files of /proc):
#   - EIO on read: /proc/PID/mem of a sleeping helper of this test; open
#     succeeds (root), and every read at offset 0 fails with EIO, because
#     address 0 is never mapped;
#   - EACCES on open: /proc/sys/vm/drop_caches, mode 0200, which not even
#     root may open for reading.
# Each with two nsswitch.conf files (private copies): "group: files", and
# Debian's own on a systemd system, "group: files systemd", under which
# glibc hides the error behind nss_systemd's "not found"; capbound then
# finds it by opening /etc/group and reading its first byte.  The static
# build reads /etc/group itself, whatever nsswitch.conf says.  A group
# line without files or compat makes /etc/group no concern.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-syslog.sh
. "$(dirname "$0")/lib-syslog.sh"

require_root
require_cmd unshare mount awk
STATIC=$TOP/capbound-static
MODULE=$TOP/pam_capbound.so
PAMTEST=$TESTS_DIR/helper-pamtest
SLEEPER=$TESTS_DIR/helper-sleeper
LOGSINK=$TESTS_DIR/helper-logsink
[ -x "$SLEEPER" ] || skip_all "tests/helper-sleeper not built"
NGMAX=$(cat /proc/sys/kernel/ngroups_max)

cp /etc/passwd "$TMP/passwd"
cat >>"$TMP/passwd" <<'EOF'
cbg:x:4100:4100:group test:/nonexistent:/bin/sh
cbmany:x:4101:4101:in too many groups:/nonexistent:/bin/sh
cbfull:x:4102:4102:in all the kernel takes:/nonexistent:/bin/sh
EOF
cp /etc/group "$TMP/group"
cat >>"$TMP/group" <<'EOF'
cbg:x:4100:
cbgrp:x:4200:cbg
cbother:x:4201:
EOF
printf 'passwd: files\ngroup: files\nshadow: files\n' >"$TMP/nsswitch.files"
debian_nsswitch "$TMP/nsswitch.debian" ||
	skip_all "no libnss_systemd.so.2 (tools/deps.sh test installs libnss-systemd)"

# A group of 700000 members (11 MB as getgrnam_r returns it: more than
# the 8 MiB at which capbound's lookups once stopped, with ERANGE).
cp "$TMP/group" "$TMP/group.huge"
awk 'BEGIN { printf "cbhuge:x:4300:"
	for (i = 0; i < 700000; i++) printf "u%06d,", i
	print "cbg" }' >>"$TMP/group.huge"

# cbmany is in NGROUPS_MAX + 1 groups with its primary, cbfull in exactly
# NGROUPS_MAX.
cp "$TMP/group" "$TMP/group.many"
awk -v n="$NGMAX" 'BEGIN {
	for (i = 0; i < n; i++) printf "m%d:x:%d:cbmany,cbfull\n", i, 100000 + i
	print "cbfull:x:4102:" }' >>"$TMP/group.many"
# (cbfull: primary 4102 + n - 1 listed ones: drop the last listed line's
# membership of cbfull.)
awk -v last="m$((NGMAX - 1))" -F: '$1 == last { print $1 ":x:" $3 ":cbmany"; next } { print }' \
	"$TMP/group.many" >"$TMP/group.many2" && mv "$TMP/group.many2" "$TMP/group.many"

"$SLEEPER" & sleeper=$!
stop_sleeper() { kill "$sleeper" 2>/dev/null; }
at_exit stop_sleeper
EIO_FILE=/proc/$sleeper/mem

# in_ns GROUPFILE NSSWITCH|- CMD...: CMD with GROUPFILE as /etc/group
# (and NSSWITCH as /etc/nsswitch.conf) in a private mount namespace;
# /etc/passwd is $PASSWD_FILE, else the test's copy.
in_ns() {
	_g=$1 _ns=$2
	shift 2
	# shellcheck disable=SC2016 # $1.. belong to the inner sh
	unshare -m sh -c 'mount --bind "$1" /etc/passwd &&
		mount --bind "$2" /etc/group || exit 99
		if [ "$3" != - ]; then mount --bind "$3" /etc/nsswitch.conf || exit 99; fi
		shift 3; exec "$@"' sh "${PASSWD_FILE:-$TMP/passwd}" "$_g" "$_ns" "$@" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
}
# ns_line DB FILE: DB's line of nsswitch.conf FILE, for a test's name
ns_line() { sed -n "s/^$1:[[:space:]]*/$1: /p" "$2"; }
groups_of_out() { sed -n 's/^Groups:[[:space:]]*//p' "$TMP/out" | sed 's/ *$//'; }
gid_of_out() { sed -n 's/^Gid:[[:space:]]*//p' "$TMP/out"; }

# ---- the launcher: an unreadable database fails with the real cause ----
for bin in "$CAPBOUND" "$STATIC"; do
	b=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		skip "$b: unreadable group database" "$b not built"
		continue
	fi
	# The static build reads /etc/group whatever nsswitch.conf says.
	for ns in "$TMP/nsswitch.files" "$TMP/nsswitch.debian"; do
		nsname=$(ns_line group "$ns")
		for src in "$EIO_FILE:Input/output error" "$EACCES_FILE:Permission denied"; do
			f=${src%%:*} why=${src#*:}
			in_ns "$f" "$ns" "$bin" --user=cbg -- cat /proc/self/status
			is "$rc" 125 "$b, $nsname, /etc/group = $f: --user fails (125)"
			like "$(cat "$TMP/err")" "*--user: reading the groups of cbg: $why*" \
				"$b, $nsname: ... with the real cause: $why"
			is "$(cat "$TMP/out")" "" "$b, $nsname: ... and the command does not run"
			in_ns "$f" "$ns" "$bin" --group=cbgrp -- true
			like "$rc:$(cat "$TMP/err")" "125:*--group: looking up cbgrp: $why*" \
				"$b, $nsname, $f: --group=NAME fails with the cause"
			in_ns "$f" "$ns" "$bin" --groups=cbgrp,cbother -- true
			like "$rc:$(cat "$TMP/err")" "125:*--groups: looking up cbgrp: $why*" \
				"$b, $nsname, $f: --groups=NAME,NAME fails with the cause"
		done
	done
	# The same databases, readable: the control.
	in_ns "$TMP/group" "$TMP/nsswitch.files" "$bin" --user=cbg -- cat /proc/self/status
	is "$rc:$(groups_of_out)" "0:4100 4200" "$b: readable database: --user=cbg gets 4100 4200"
	in_ns "$TMP/group" - "$bin" --groups=cbother,cbgrp,4201,cbother -- cat /proc/self/status
	is "$rc:$(groups_of_out)" "0:4200 4201" "$b: --groups by name and number, repeats once"

	# ---- a group with a very large member list ----
	in_ns "$TMP/group.huge" - "$bin" --group=cbhuge -- cat /proc/self/status
	is "$rc:$(gid_of_out)" "0:4300	4300	4300	4300" \
		"$b: --group=NAME of a 700000-member group"
	in_ns "$TMP/group.huge" - "$bin" --user=cbg -- cat /proc/self/status
	is "$rc:$(groups_of_out)" "0:4100 4200 4300" \
		"$b: --user of a member of a 700000-member group"
	in_ns "$TMP/group.huge" - "$bin" --groups=cbhuge,cbgrp -- cat /proc/self/status
	is "$rc:$(groups_of_out)" "0:4200 4300" "$b: --groups naming it"

	# ---- which group lines send the database to /etc/group ----
	if [ "$b" = capbound ]; then
		# compat reads /etc/group too; a bracketed action with spaces
		# is no service, so files after it still counts.
		printf 'passwd: files\ngroup:compat systemd\n' >"$TMP/ns.compat"
		printf 'passwd: files\ngroup: systemd [ UNAVAIL=continue ] files systemd\n' \
			>"$TMP/ns.action"
		for ns in "$TMP/ns.compat" "$TMP/ns.action"; do
			in_ns "$EACCES_FILE" "$ns" "$bin" --user=cbg -- true
			like "$rc:$(cat "$TMP/err")" "125:*reading the groups of cbg: Permission denied*" \
				"$b, $(ns_line group "$ns"): unreadable /etc/group fails"
		done
		# No files service for group (Debian's file otherwise, whose
		# other lines do name files; group_compat is no group line):
		# /etc/group is not read, its state no error.
		sed 's/^group:.*/group: systemd [NOTFOUND=return] # files\
group_compat: files/' "$TMP/nsswitch.debian" >"$TMP/ns.nofiles"
		in_ns "$EACCES_FILE" "$TMP/ns.nofiles" "$bin" --user=cbg -- cat /proc/self/status
		is "$rc:$(groups_of_out)" "0:4100" \
			"$b, group: systemd (files only in a comment): unreadable /etc/group is no error"
		# An unreadable nsswitch.conf: glibc takes its defaults (files),
		# and so does the check, after an enumeration that hid it.
		in_ns "$EACCES_FILE" "$EACCES_FILE" "$bin" --groups=cbgrp,cbother -- true
		like "$rc:$(cat "$TMP/err")" "125:*--groups: looking up cbgrp: Permission denied*" \
			"$b, unreadable nsswitch.conf and /etc/group: --groups=NAME,NAME fails"
		in_ns "$TMP/group" "$TMP/nsswitch.debian" "$bin" --user=cbg -- cat /proc/self/status
		is "$rc:$(groups_of_out)" "0:4100 4200" \
			"$b, group: files systemd, readable database: --user=cbg gets 4100 4200"
		# An empty /etc/group is a database without groups, no error.
		: >"$TMP/group.empty"
		in_ns "$TMP/group.empty" "$TMP/nsswitch.debian" "$bin" --user=cbg -- cat /proc/self/status
		is "$rc:$(groups_of_out)" "0:4100" "$b, an empty /etc/group: no error, the primary group"
		# The check closes what it opens (O_CLOEXEC would hide a leak
		# from the command; the PAM module lives on in its client), fd 0
		# too: stdin is closed, so both opens get it.
		if under_asan; then
			skip_asan "$b: each open of /etc/group is closed before the exec"
		else
			in_ns "$TMP/group" "$TMP/nsswitch.debian" strace -qq -f \
				-e trace=openat,close,execve -o "$TMP/fds" \
				"$bin" --user=cbg -- true <&-
			is "$rc:$(awk '/^[0-9]+ +execve\("\/bin\/true"|^[0-9]+ +execve\("\/usr\/bin\/true"/ { exit }
				/openat\(.*"\/etc\/group"/ { sub(/.*= /, ""); open[$0] = 1; n++ }
				/close\(/ { fd = $0; sub(/.*close\(/, "", fd); sub(/\).*/, "", fd)
					if (fd in open) delete open[fd] }
				END { left = 0; for (f in open) left++; print n + 0 ":" left }' "$TMP/fds")" \
				"0:2:0" "$b: /etc/group opened twice (nss_files, the check), each closed before the exec"
		fi
		# A daemon started with stdin closed: the check's file is fd 0.
		in_ns "$TMP/group" "$TMP/nsswitch.debian" "$bin" --user=cbg -- \
			cat /proc/self/status <&-
		is "$rc:$(groups_of_out)" "0:4100 4200" \
			"$b, stdin closed: the same"
	fi

	# ---- NGROUPS_MAX ----
	in_ns "$TMP/group.many" - "$bin" --user=cbmany -- true
	is "$rc" 125 "$b: a user in NGROUPS_MAX + 1 groups: refused"
	like "$(cat "$TMP/err")" \
		"*--user: cbmany is in $((NGMAX + 1)) groups, more than the kernel's limit of $NGMAX (NGROUPS_MAX)*" \
		"$b: ... naming the number and the limit"
	in_ns "$TMP/group.many" - "$bin" --user=cbfull -- cat /proc/self/status
	is "$rc:$(groups_of_out | wc -w)" "0:$NGMAX" "$b: a user in exactly NGROUPS_MAX groups gets them all"
done

# ---- the policy file's size limit (capbound.conf.5: 16 MiB) ----
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "user%06d drop=net_raw,sys_ptrace\n", i }' >"$TMP/big.conf"
chmod 0644 "$TMP/big.conf"
run "$CAPBOUND" --check-config="$TMP/big.conf"
like "$rc:$(cat "$TMP/out")" "0:*valid, 100000 rules*" "a policy of 100000 rules is valid"
# One byte over 16 MiB: comments are enough.
awk 'BEGIN { for (i = 0; i < 262144; i++) printf "#%062d\n", i; print "" }' >"$TMP/huge.conf"
chmod 0644 "$TMP/huge.conf"
is "$(stat -c %s "$TMP/huge.conf")" 16777217 "a policy file of 16 MiB + 1 byte"
run "$CAPBOUND" --check-config="$TMP/huge.conf"
like "$rc:$(cat "$TMP/err")" "125:*larger than 16777216 bytes*" "... is refused, naming the limit"

# ---- the PAM module ----
if [ ! -f "$MODULE" ] || [ ! -x "$PAMTEST" ]; then
	skip "the module" "pam_capbound.so or tests/helper-pamtest not built"
	done_testing
	exit
fi
pam_debug=$(find /lib /usr/lib -name pam_debug.so 2>/dev/null | head -n 1)
[ -n "$pam_debug" ] || { skip "the module" "needs pam_debug.so"; done_testing; exit; }

conf() { cat >"$1"; chown 0:0 "$1"; chmod 0644 "$1"; }
conf "$TMP/grp.conf" <<'EOF'
@cbgrp      drop=all
@cbhuge     drop=net_raw
@cbnosuch   drop=sys_admin
cbg         drop=sys_ptrace
EOF
mkdir "$TMP/pam.d"
# After the module, pam_debug answers PAM_NO_MODULE_DATA: "ignored".
{
	echo "session [success=done ignore=ignore default=die] $MODULE conf=$TMP/grp.conf"
	echo "session required $pam_debug open_session=no_module_data"
} >"$TMP/pam.d/grp"
result() { sed -n "s/^$1=//p" "$TMP/out"; }
bnd() { sed -n 's/^CapBnd:[[:space:]]*//p' "$TMP/out"; }

in_ns "$TMP/group" "$TMP/nsswitch.files" "$PAMTEST" "$TMP/pam.d" grp cbg open -- cat /proc/self/status
is "$(result open):$(bnd)" "PAM_SUCCESS:0000000000000000" \
	"module: readable database: @cbgrp drop=all applies to its member"
for ns in "$TMP/nsswitch.files" "$TMP/nsswitch.debian"; do
	nsname=$(ns_line group "$ns")
	for f in "$EIO_FILE" "$EACCES_FILE"; do
		in_ns "$f" "$ns" "$PAMTEST" "$TMP/pam.d" grp cbg open -- cat /proc/self/status
		is "$(result open)" PAM_SYSTEM_ERR \
			"module: $nsname, /etc/group = $f: the session fails closed (PAM_SYSTEM_ERR)"
		is "$(bnd)" "$(my_bounding)" "module: ... and nothing was dropped (nor granted)"
	done
	# An unreadable /etc/passwd: a lookup error, not an unknown user.
	PASSWD_FILE=$EACCES_FILE
	in_ns "$TMP/group" "$ns" "$PAMTEST" "$TMP/pam.d" grp cbg open -- cat /proc/self/status
	PASSWD_FILE=
	is "$(result open):$(bnd)" "PAM_SYSTEM_ERR:$(my_bounding)" \
		"module: $(ns_line passwd "$ns"), unreadable /etc/passwd: PAM_SYSTEM_ERR, not PAM_USER_UNKNOWN"
done

# A member of the huge group (a non-member of cbgrp reaches @cbhuge).
cp "$TMP/group.huge" "$TMP/group.huge2"
sed -i 's/^cbgrp:x:4200:cbg$/cbgrp:x:4200:/' "$TMP/group.huge2"
in_ns "$TMP/group.huge2" - "$PAMTEST" "$TMP/pam.d" grp cbg open -- cat /proc/self/status
is "$(result open):$(bnd)" "PAM_SUCCESS:$(mask_andnot "$(my_bounding)" "$(capmask 13)")" \
	"module: @NAME of a 700000-member group matches its member (net_raw dropped)"

# "@cbnosuch" (and here @cbhuge) names no group: logged at LOG_ERR.  With
# Debian's nsswitch.conf an unreadable /etc/group would look just like
# that, and the session goes on past the rule: it must fail instead.
logged() {
	in_syslog_ns "$TMP/log" "$TMP/passwd" "$1" 0 \
		"$PAMTEST" "$TMP/pam.d" grp "$2" open -- true \
		>"$TMP/out" 2>"$TMP/err"
}
cp "$TMP/group" "$TMP/group.nomember"
sed -i 's/^cbgrp:x:4200:cbg$/cbgrp:x:4200:/' "$TMP/group.nomember"
if [ -x "$LOGSINK" ]; then
	logged "$TMP/group.nomember" cbg
	if [ "$rc" -eq 99 ]; then
		skip "syslog lines" "cannot overlay /dev in a mount namespace"
	else
		is "$(result open)" PAM_SUCCESS "module: past @cbnosuch, the user's own rule applies"
		# <83> = LOG_AUTHPRIV | LOG_ERR
		# (group.nomember has no cbhuge either: two such rules.)
		like "$(cat "$TMP/log")" "*<83>*grp.conf:2: @cbhuge names no group, so the rule matches nobody (and 1 more such rules)*" \
			"module: an @group that names no group is logged at LOG_ERR"
		logged "$EIO_FILE" cbg
		like "$(result open):$(cat "$TMP/log")" \
			"PAM_SYSTEM_ERR:*<83>*user cbg: *grp.conf:1: @cbgrp: group lookup failed: Input/output error: failing closed*" \
			"module: this system's nsswitch.conf, unreadable /etc/group: fails closed, logged at LOG_ERR"
	fi
else
	skip "syslog lines" "tests/helper-logsink not built"
fi

done_testing
