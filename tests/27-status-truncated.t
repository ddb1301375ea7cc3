#!/bin/sh
# capbound reads its five capability sets from /proc/self/status in one
# read of at most 8191 bytes.  A process in ~800 supplementary groups has
# a Groups: line long enough for that read to end inside the CapAmb:
# line; a cut-short mask ("00000000000020" of "0000000000002000") must
# never be taken for the whole one: fall back to capget/prctl instead.
# Before the fix, a caller with a non-empty ambient set got a bogus
# "ambient set is (none), expected cap_kill" at step 7, and step 7 could
# not see the real ambient set at all.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
require_cmd setpriv awk

ZERO=0000000000000000
RAW=$(capmask 13)
no_raw=$(mask_andnot "$(my_bounding)" "$RAW")
BUFLEN=8191	# what state_from_proc() reads at most

# gl N M: N distinct gids, the first M of them 6 digits, the rest 7,
# so that the Groups: line is 8N - M bytes plus its fixed part.
gl() {
	awk -v n="$1" -v m="$2" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "%s%d", (i ? "," : ""), (i < m ? 100000 + i : 1000000 + i)
	}'
}

# A stand-in with capbound's name, so that its status is laid out as
# capbound's own (the Vm* fields have a fixed width): where does the
# CapAmb: value start with 800 7-digit groups?
cp /bin/cat "$TMP/capbound"
setpriv --groups="$(gl 800 0)" -- "$TMP/capbound" /proc/self/status \
	>"$TMP/st" || skip_all "setpriv --groups failed"
before=$(sed -n '/^CapAmb:/q;p' "$TMP/st" | wc -c)
O1=$((before + 8))		# "CapAmb:\t"

# groups_for D: the groups that put byte BUFLEN at D + 8 digits into the
# CapAmb: value (D in -8..7 cuts the value; others are controls).
groups_for() {
	_x=$((BUFLEN - 8 - $1 - O1 + 6400))
	_n=$(((_x + 7) / 8))
	gl "$_n" $((8 * _n - _x))
}

# Control: the stand-in's read really ends inside the CapAmb: value.
setpriv --groups="$(groups_for 0)" -- "$TMP/capbound" /proc/self/status \
	>"$TMP/st"
like "$(head -c "$BUFLEN" "$TMP/st" | tail -n 1)" "CapAmb:	0*" \
	"control: with these groups an ${BUFLEN}-byte read ends inside CapAmb:"

# The caller holds cap_net_raw in its ambient set; capbound drops it from
# the bounding set, so the command must have it nowhere.
fails=0 d=-12
while [ "$d" -le 12 ]; do
	setpriv --groups="$(groups_for "$d")" --inh-caps=+net_raw \
		--ambient-caps=+net_raw -- \
		"$CAPBOUND" --drop=net_raw -- cat /proc/self/status \
		>"$TMP/status" 2>"$TMP/err"
	rc=$?
	got="$rc $(status_field "$TMP/status" CapAmb) $(status_field "$TMP/status" CapBnd)"
	if [ "$got" != "0 $ZERO $no_raw" ]; then
		fails=$((fails + 1))
		diag "cut at CapAmb digit $((d + 8)): got '$got' $(cat "$TMP/err")"
	fi
	d=$((d + 1))
done
is "$fails" 0 "ambient cap_net_raw, --drop=net_raw, 25 Groups: lengths: runs, no cap_net_raw left"

# capbound itself sets the groups and raises cap_net_raw: with that many
# groups step 7 reads by system calls (capbound.c, STATUS_GROUPS_MAX),
# and must still see cap_net_raw.  The part above, where the caller
# holds the groups, is the one that reads the cut-short status.
fails=0 d=-12
while [ "$d" -le 12 ]; do
	"$CAPBOUND" --groups="$(groups_for "$d")" --ambient=net_raw -- \
		cat /proc/self/status >"$TMP/status" 2>"$TMP/err"
	rc=$?
	got="$rc $(status_field "$TMP/status" CapAmb)"
	if [ "$got" != "0 $RAW" ]; then
		fails=$((fails + 1))
		diag "cut at CapAmb digit $((d + 8)): got '$got' $(cat "$TMP/err")"
	fi
	d=$((d + 1))
done
is "$fails" 0 "--groups (25 Groups: lengths) --ambient=net_raw: runs, cap_net_raw ambient"

done_testing
