#!/bin/sh
# A dropped capability never comes back: not through a set-user-ID-root
# program, nor file permitted bits (+p, +ep), nor inheritable bits a parent
# set (pI & fI), as root or after --user.  An +ep program whose capability
# the bounding set lost is refused by the kernel: exit 126 and a message.
# The helper programs are copies of cat made here and removed at exit.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
require_cmd setcap setpriv

NET_RAW=$(capmask 13)
ZERO=0000000000000000
BND=$(my_bounding)
[ "$(mask_and "$BND" "$NET_RAW")" = "$NET_RAW" ] ||
	skip_all "cap_net_raw is not in this shell's bounding set"

# Set-user-ID and file capabilities need a filesystem that honours them.
dir="$TMP/bin"
if findmnt -no OPTIONS -T "$TMP" 2>/dev/null | grep -qw nosuid; then
	dir=$(mktemp -d "$TESTS_DIR/.setuid.XXXXXX") || skip_all "no suid-capable dir"
	rm_dir() { rm -rf "$dir"; }
	at_exit rm_dir
else
	mkdir "$dir"
fi
chmod 755 "$dir"
for v in plain suid p ep i; do cp /bin/cat "$dir/cat-$v"; done
chmod 4755 "$dir/cat-suid"
for v in p ep i; do
	setcap "cap_net_raw+$v" "$dir/cat-$v" ||
		skip_all "setcap does not work on $dir"
done

# through PROG [PRE...] -- CAPBOUND-ARGS: PRE... capbound ARGS -- PROG status
through() {
	_prog=$1; shift
	_pre=""
	while [ "$1" != -- ]; do _pre="$_pre $1"; shift; done
	shift
	# shellcheck disable=SC2086
	$_pre "$CAPBOUND" "$@" -- "$dir/$_prog" /proc/self/status \
		>"$TMP/status" 2>"$TMP/err"
	rc=$?
}
field() { status_field "$TMP/status" "$1"; }
has_net_raw() { [ "$(mask_and "$(field "$1")" "$NET_RAW")" = "$NET_RAW" ]; echo $?; }
lacks_net_raw() { [ "$(mask_and "$(field "$1")" "$NET_RAW")" = "$ZERO" ]; echo $?; }

# --- set-user-ID root
through cat-suid -- --user=nobody
is "$(field Uid | cut -f2)" 0 "setuid copy (control): euid 0 after --user=nobody"
ok "$(has_net_raw CapPrm)" "setuid copy (control): cap_net_raw in CapPrm"
through cat-suid -- --drop=net_raw --user=nobody
is "$rc" 0 "setuid copy after --drop=net_raw --user=nobody: ran"
is "$(field Uid | cut -f2)" 0 "... euid 0 through the set-user-ID bit"
is "$(field CapPrm)" "$(mask_andnot "$BND" "$NET_RAW")" \
	"... CapPrm is the bound without cap_net_raw"
ok "$(lacks_net_raw CapEff)" "... cap_net_raw not in CapEff"
through cat-suid -- --drop=net_raw
ok "$(lacks_net_raw CapPrm)" "setuid copy as root after --drop=net_raw: no cap_net_raw"
through cat-suid -- --no-new-privs --user=nobody
is "$(field Uid | cut -f2)" "$(id -u nobody)" "--no-new-privs: the set-user-ID bit gives nothing"
is "$(field CapPrm)" $ZERO "--no-new-privs: CapPrm empty"

# --- file permitted bits
through cat-p -- --user=nobody
is "$(field CapPrm)" "$NET_RAW" "+p copy (control): CapPrm cap_net_raw as nobody"
through cat-p -- --drop=net_raw --user=nobody
is "$rc" 0 "+p copy after --drop=net_raw --user=nobody: ran"
is "$(field CapPrm)" $ZERO "... CapPrm empty"
through cat-p -- --drop=net_raw
is "$rc" 0 "+p copy as root after --drop=net_raw: ran"
ok "$(lacks_net_raw CapPrm)" "... no cap_net_raw in CapPrm"

# --- +ep: the kernel refuses what it cannot grant in full
through cat-ep -- --user=nobody
is "$rc" 0 "+ep copy (control): runs as nobody"
is "$(field CapEff)" "$NET_RAW" "+ep copy (control): CapEff cap_net_raw"
through cat-ep -- --drop=net_raw --user=nobody
is "$rc" 126 "+ep copy after --drop=net_raw --user=nobody: exit 126"
is "$(cat "$TMP/status")" "" "... it did not run"
like "$(cat "$TMP/err")" \
	"capbound: $dir/cat-ep: Operation not permitted: its file capabilities need cap_net_raw, which the bounding set no longer has*" \
	"... and capbound says why"
through cat-ep -- --drop=net_raw
is "$rc" 126 "+ep copy as root after --drop=net_raw: exit 126 too"
like "$(cat "$TMP/err")" "*need cap_net_raw*bounding set*" "... with the same message"
through cat-ep -- --drop=net_raw,sys_time --keep=net_raw,chown
like "$(cat "$TMP/err")" "*need cap_net_raw, which*" \
	"the message names what the file wants, not everything dropped"

# --- inheritable bits from a parent: pI & fI
# Control, without capbound: a non-root process keeps pI across setresuid,
# and pI & fI gives the capability.
setpriv --inh-caps=+net_raw --reuid=nobody --regid=nogroup --clear-groups \
	"$dir/cat-i" /proc/self/status >"$TMP/status" 2>&1
is "$(field CapInh)" "$NET_RAW" "+i copy (control, setpriv): pI survives the uid switch"
is "$(field CapPrm)" "$NET_RAW" "+i copy (control, setpriv): pI & fI gives cap_net_raw"
# capbound --user keeps nothing of the caller's pI, even what it does not drop.
through cat-i setpriv --inh-caps=+net_raw -- --user=nobody
is "$rc" 0 "+i copy, pI from the parent, --user=nobody: ran"
is "$(field CapInh)" $ZERO "... --user empties the caller's pI"
is "$(field CapPrm)" $ZERO "... so pI & fI gives nothing"
through cat-i setpriv --inh-caps=+net_raw -- --drop=net_raw --user=nobody
is "$rc" 0 "+i copy, pI from the parent, --drop=net_raw --user=nobody: ran"
is "$(field CapInh)" $ZERO "... CapInh emptied of cap_net_raw"
is "$(field CapPrm)" $ZERO "... CapPrm empty: pI & fI gave nothing back"
through cat-i setpriv --inh-caps=+net_raw -- --drop=net_raw
ok "$(lacks_net_raw CapInh)" "+i copy as root, --drop=net_raw: not in CapInh"
ok "$(lacks_net_raw CapPrm)" "... nor in CapPrm"

# --- ambient bits from a parent
through cat-plain setpriv --inh-caps=+net_raw,+chown --ambient-caps=+net_raw,+chown -- \
	--drop=net_raw
is "$(field CapAmb)" "$(capmask 0)" "parent's ambient cap_net_raw lowered, cap_chown kept"
ok "$(lacks_net_raw CapInh)" "... and cap_net_raw gone from CapInh"

done_testing
