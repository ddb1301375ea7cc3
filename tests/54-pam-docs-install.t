#!/bin/sh
# pam_capbound.8 and capbound.conf.5 are mandoc -Tlint clean; the module
# exports only the PAM entry points and leaves no symbol undefined;
# make install-pam never overwrites an administrator's capbound.conf.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_cmd mandoc nm make
MODULE=$TOP/pam_capbound.so
[ -f "$MODULE" ] || skip_all "pam_capbound.so not built"

for page in pam_capbound.8 capbound.conf.5; do
	# Warnings and worse; the style level only finds manuals this
	# machine lacks (capbound(1) before it is installed).
	run mandoc -Tlint -Wwarning "$TOP/$page"
	is "$rc:$(cat "$TMP/out" "$TMP/err")" "0:" "$page: mandoc -Tlint clean"
done

is "$(nm -D --defined-only "$MODULE" | awk '{print $3}' | sort | tr '\n' ' ')" \
	"pam_sm_authenticate pam_sm_close_session pam_sm_open_session pam_sm_setcred " \
	"the module exports the four pam_sm_* entry points and nothing else"
nm -D --undefined-only "$MODULE" | grep -q ' U cap_to_name' && r=0 || r=1
ok "$r" "the module takes libcap from the shared library"

D=$TMP/root
run make -s -C "$TOP" install-pam DESTDIR="$D" PAMDIR=/usr/lib/security \
	MANDIR=/usr/share/man SYSCONFDIR=/etc
is "$rc" 0 "make install-pam into DESTDIR"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"
is "$(stat -c %a "$D/usr/lib/security/pam_capbound.so" 2>&1)" 644 \
	"module installed in PAMDIR, mode 0644"
[ -f "$D/usr/share/man/man8/pam_capbound.8" ] &&
	[ -f "$D/usr/share/man/man5/capbound.conf.5" ] && r=0 || r=1
ok "$r" "man pages installed in man5 and man8"
cmp -s "$D/etc/security/capbound.conf" "$TOP/capbound.conf" && r=0 || r=1
ok "$r" "the example capbound.conf installed where there was none"
if [ "$(id -u)" -eq 0 ]; then
	cp "$TOP/capbound.conf" "$TMP/example.conf"
	chown 0:0 "$TMP/example.conf"
	run "$CAPBOUND" --check-config="$TMP/example.conf"
	is "$rc:$(cat "$TMP/out")" "0:$TMP/example.conf: valid, 0 rules" \
		"the example capbound.conf is valid (all of it comments)"
	sed 's/^#\([a-z@*]\)/\1/' "$TOP/capbound.conf" >"$TMP/example.conf"
	run "$CAPBOUND" --check-config="$TMP/example.conf"
	# (its users and groups are examples: warned about where they do not exist)
	like "$rc:$(cat "$TMP/out")" "0:$TMP/example.conf: valid, 3 rules*" \
		"the example's commented rules are valid once uncommented"
else
	skip "the example capbound.conf is valid" "its owner check needs root"
fi

echo "alice drop=net_raw" >"$D/etc/security/capbound.conf"
run make -s -C "$TOP" install-pam DESTDIR="$D" PAMDIR=/usr/lib/security \
	MANDIR=/usr/share/man SYSCONFDIR=/etc
is "$(cat "$D/etc/security/capbound.conf")" "alice drop=net_raw" \
	"a second install keeps the administrator's capbound.conf"

run make -s -C "$TOP" uninstall-pam DESTDIR="$D" PAMDIR=/usr/lib/security \
	MANDIR=/usr/share/man SYSCONFDIR=/etc
[ ! -e "$D/usr/lib/security/pam_capbound.so" ] &&
	[ ! -e "$D/usr/share/man/man8/pam_capbound.8" ] && r=0 || r=1
ok "$r" "uninstall-pam removes the module and its pages"
[ -f "$D/etc/security/capbound.conf" ] && r=0 || r=1
ok "$r" "uninstall-pam leaves the policy file"

done_testing
