#!/bin/sh
# The dry run never lies: every command line of 16-dryrun-table.lines,
# under callers of every kind (root, non-root, a user namespace, locked
# securebits, ambient and inheritable capabilities set, a root without
# capabilities), is run with --dry-run and for real.  The exit statuses
# must be the same, and where the command ran, its own /proc/self/status
# must be the plan: bounding, inheritable, ambient, permitted, effective,
# uid, gid, groups, no_new_privs.  One test per disagreement kind, and the
# count of disagreements must be zero.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmd setpriv unshare setcap

# Everyone may reach the scratch directory; private/ only root.
chmod 755 "$TMP"
mkdir "$TMP/dir" "$TMP/private"
chmod 700 "$TMP/private"
printf '#!/bin/sh\nexec cat /proc/self/status\n' >"$TMP/script"
cp "$TMP/script" "$TMP/private/prog"
chmod 755 "$TMP/script" "$TMP/private/prog"
printf '#!/nonexistent/interpreter\n' >"$TMP/nointerp"
chmod 755 "$TMP/nointerp"
cp /bin/true "$TMP/fcprog"
setcap cap_net_raw+ep "$TMP/fcprog" 2>/dev/null || rm -f "$TMP/fcprog"
# Programs whose own bits change ids or sets at exec: the plan cannot show
# that, and must say so in a "cannot know:" line.
cp /bin/cat "$TMP/sucat"
chmod 4755 "$TMP/sucat"
cp /bin/cat "$TMP/fccat"
setcap cap_net_raw,cap_net_admin+ep "$TMP/fccat" 2>/dev/null || rm -f "$TMP/fccat"
printf '#!%s\n' "$TMP/sucat" >"$TMP/suscript"
chmod 755 "$TMP/suscript"

# name|prefix: how the caller starts capbound
callers() {
	cat <<EOF
root|
nobody|setpriv --reuid=65534 --regid=65534 --clear-groups
userns|unshare -U -r
userns-unmapped|unshare -U
keep-caps-locked|setpriv --securebits=+keep_caps_locked
noroot-locked|setpriv --securebits=+noroot,+noroot_locked
ambient-root|setpriv --inh-caps=+net_raw,+net_bind_service --ambient-caps=+net_raw,+net_bind_service
ambient-nobody|setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+net_bind_service,+setpcap --ambient-caps=+net_bind_service,+setpcap
inheritable-root|setpriv --inh-caps=+net_raw,+sys_admin
root-no-caps|$CAPBOUND --drop=all --
no-ambient-raise|$CAPBOUND --securebits=no-cap-ambient-raise --
EOF
}

# plan_value LABEL: the result of a dry-run line "LABEL: now -> then  [note]"
plan_value() {
	sed -n "s/^$1: *//p" "$TMP/plan" | sed 's/  \[.*//; s/.* -> //; s/ (unchanged)$//'
}
# plan_id LABEL: its number
plan_id() { plan_value "$1" | sed 's/(.*//'; }
# plan_groups: the resulting supplementary groups, sorted numbers
plan_groups() {
	plan_value groups | tr ',' '\n' | sed 's/(.*//; /^none)$/d; /^$/d' | sort -n | tr '\n' ' '
}
real_groups() {
	status_field "$TMP/status" Groups | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' '
}

disagree=0 runs=0 ran=0 lines=0 noted=0 noted_differ=0
kinds=""
# differ KIND WHAT: one disagreement, reported once per kind
differ() {
	disagree=$((disagree + 1))
	diag "disagreement ($1): caller $cname: capbound $args: $2"
	case " $kinds " in *" $1 "*) ;; *) kinds="$kinds $1" ;; esac
}

set -f
while IFS='|' read -r cname prefix; do
	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		[ "$cname" = root ] && lines=$((lines + 1))
		args=$(echo "$line" | sed "s|@TMP@|$TMP|g")
		case " $args " in
		*" -- "*) cmd="" ;;
		*) cmd="-- cat /proc/self/status" ;;
		esac
		case $args in
		*fcprog* | *fccat*)
			if [ ! -e "$TMP/fcprog" ] || [ ! -e "$TMP/fccat" ]; then
				continue
			fi
			;;
		esac
		runs=$((runs + 1))
		# shellcheck disable=SC2086 # words of the table and the prefix
		$prefix "$CAPBOUND" --dry-run $args $cmd >"$TMP/plan" 2>"$TMP/plan.err" </dev/null
		dry=$?
		# shellcheck disable=SC2086
		$prefix "$CAPBOUND" $args $cmd >"$TMP/status" 2>"$TMP/real.err" </dev/null
		real=$?
		if [ "$dry" != "$real" ]; then
			differ status "dry run $dry, real run $real: $(head -n 1 "$TMP/real.err") / $(sed -n 's/^would fail: *//p' "$TMP/plan")"
			continue
		fi
		if [ "$dry" != 0 ]; then
			grep -q '^would fail: *step [2-8] ' "$TMP/plan" ||
				[ ! -s "$TMP/plan" ] ||
				differ would-fail "exit $dry without a would fail: line"
			[ ! -s "$TMP/status" ] || differ ran "exit $real, yet the command wrote output"
			continue
		fi
		grep -q '^would fail:' "$TMP/plan" && differ would-fail "exit 0 with a would fail: line"
		grep -q '^CapBnd:' "$TMP/status" || continue
		ran=$((ran + 1))
		if grep -q '^cannot know:' "$TMP/plan"; then
			# The file's own bits act at exec: the plan says it
			# cannot show them.  Count where they did change
			# something, so that the note is known to be needed.
			noted=$((noted + 1))
			if [ "$(set_mask "$(plan_value effective)")" != "$(status_field "$TMP/status" CapEff)" ] ||
				[ "$(plan_id uid)" != "$(status_field "$TMP/status" Uid | cut -f 2)" ]; then
				noted_differ=$((noted_differ + 1))
			fi
			continue
		fi
		for pair in bounding:CapBnd inheritable:CapInh ambient:CapAmb \
			permitted:CapPrm effective:CapEff; do
			want=$(set_mask "$(plan_value "${pair%%:*}")")
			got=$(status_field "$TMP/status" "${pair#*:}")
			[ "$want" = "$got" ] ||
				differ "${pair%%:*}" "plan $(plan_value "${pair%%:*}") ($want), kernel $got"
		done
		u=$(plan_id uid)
		[ "$(status_field "$TMP/status" Uid)" = "$(printf '%s\t%s\t%s\t%s' "$u" "$u" "$u" "$u")" ] ||
			differ uid "plan $u, kernel $(status_field "$TMP/status" Uid)"
		g=$(plan_id gid)
		[ "$(status_field "$TMP/status" Gid)" = "$(printf '%s\t%s\t%s\t%s' "$g" "$g" "$g" "$g")" ] ||
			differ gid "plan $g, kernel $(status_field "$TMP/status" Gid)"
		[ "$(plan_groups)" = "$(real_groups)" ] ||
			differ groups "plan $(plan_groups), kernel $(real_groups)"
		[ "$(plan_value no_new_privs)" = "$(status_field "$TMP/status" NoNewPrivs)" ] ||
			differ no_new_privs "plan $(plan_value no_new_privs), kernel $(status_field "$TMP/status" NoNewPrivs)"
	done <"$TESTS_DIR/16-dryrun-table.lines"
done <<EOF
$(callers)
EOF
set +f

ok "$([ "$lines" -ge 40 ]; echo $?)" "the table has at least 40 command lines ($lines)"
ok "$([ "$ran" -ge 100 ]; echo $?)" "$runs pairs of runs, $ran where the command ran and was compared"
for k in status would-fail ran bounding inheritable ambient permitted effective \
	uid gid groups no_new_privs; do
	case " $kinds " in
	*" $k "*) ok 1 "dry run and real run agree: $k" ;;
	*) ok 0 "dry run and real run agree: $k" ;;
	esac
done
ok "$([ "$noted" -ge 1 ] && [ "$noted_differ" -ge 1 ]; echo $?)" \
	"set-user-ID and file-capability programs: $noted runs with a 'cannot know:' line, $noted_differ where the file's bits did change the command"
is "$disagree" 0 "zero disagreements"

done_testing
