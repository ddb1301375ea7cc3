#!/bin/sh
# --new-session: the command runs in a session of its own, without the
# caller's controlling terminal, so it cannot push keystrokes into it with
# ioctl(TIOCSTI).  The terminal is a real pty from script(1).
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"
rc=0
require_root
STATUS="$TESTS_DIR/helper-status"
[ -x "$STATUS" ] || skip_all "tests/helper-status is not built"

helper() { sed -n "s/^$1 *//p" "$TMP/out"; }
# Field 6 of /proc/PID/stat, after the ")" that ends the command name.
my_sid=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f4)

run "$CAPBOUND" -- "$STATUS"
is "$(helper sid)" "$my_sid" "control: without --new-session, the caller's session $my_sid"
run "$CAPBOUND" --new-session -- "$STATUS"
is "$rc" 0 "--new-session: ran"
is "$(helper sid)" "$(helper pid)" "--new-session: the command leads its own session"
ok "$([ "$(helper sid)" != "$my_sid" ]; echo $?)" "--new-session: not the caller's session"
is "$(helper ctty)" 0 "--new-session: no controlling terminal"
run "$CAPBOUND" --new-session --user=nobody -- "$STATUS"
is "$rc:$(helper uid)" "0:$(id -u nobody) $(id -u nobody) $(id -u nobody)" \
	"--new-session with --user=nobody: ran as nobody"
is "$(helper sid)" "$(helper pid)" "... in its own session"

# Already a session leader (setsid -w): nothing to leave, still runs.
if command -v setsid >/dev/null 2>&1; then
	run setsid -w "$CAPBOUND" --new-session -- "$STATUS"
	is "$rc:$(helper sid)" "0:$(helper pid)" "--new-session as a session leader: runs"
	run setsid -w "$CAPBOUND" --dry-run --new-session -- "$STATUS"
	is "$rc:$(sed -n 's/^session: *//p' "$TMP/out")" \
		"0:the same (capbound already leads it, with no controlling terminal): nothing to do" \
		"  --dry-run does not claim a new session"
	run setsid -w "$CAPBOUND" -v --new-session -- true
	like "$(cat "$TMP/err")" "capbound: no new session: capbound already leads its session*" \
		"  nor does -v: it says there is none"
fi
run "$CAPBOUND" --dry-run --new-session -- true
is "$(sed -n 's/^session: *//p' "$TMP/out")" "new (setsid, no controlling terminal)" \
	"--dry-run of an ordinary process: a new session"

# In a real terminal.  "; true" keeps sh -c from exec'ing capbound, so
# capbound is an ordinary member of the terminal's session, as under a
# login shell.
if ! command -v script >/dev/null 2>&1; then
	skip "pty tests" "needs script(1)"
	# capbound leads the terminal's session (a login shell's exec): it cannot
# setsid(), so it gives the terminal up; the kernel's SIGHUP to the
# foreground group (capbound's) must not kill it, nor stay pending in a
# caller's blocked mask for the command.
in_pty "exec \"$CAPBOUND\" --dry-run --new-session -- true"
is "$(sed -n 's/^session: *//p' "$TMP/out" | tr -d '\r')" \
	"the same (capbound already leads it), without its controlling terminal (TIOCNOTTY)" \
	"pty, session leader, --dry-run: gives the terminal up, no new session claimed"
in_pty "exec \"$CAPBOUND\" -v --new-session --user=nobody -- \"$STATUS\""
is "$(helper ctty | tr -d '\r')" 0 "pty, session leader, --new-session: no controlling tty"
is "$(helper sid | tr -d '\r')" "$(helper pid | tr -d '\r')" "  still its own session"
like "$(grep 'capbound: giving up' "$TMP/out" | tr -d '\r')" "*already leads its session*" \
	"  -v says what it did"
if command -v perl >/dev/null 2>&1; then
	blk="perl -e 'use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGHUP)); exec @ARGV or die'"
	in_pty "exec $blk \"$CAPBOUND\" --new-session -- cat /proc/self/status"
	is "$(sed -n 's/^ShdPnd:[[:space:]]*//p; s/^SigPnd:[[:space:]]*//p' "$TMP/out" | tr -d '\r' | tr '\n' ' ')" \
		"0000000000000000 0000000000000000 " \
		"  SIGHUP blocked by the caller: none left pending for the command"
fi

done_testing
	exit
fi
in_pty() { script -qec "$1; true" /dev/null </dev/null >"$TMP/out" 2>&1; }

in_pty "\"$CAPBOUND\" --user=nobody -- \"$STATUS\""
is "$(helper ctty | tr -d '\r')" 1 "pty control: the command has the terminal as its controlling tty"
in_pty "\"$CAPBOUND\" --user=nobody -- \"$STATUS\" tiocsti"
legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
# Not the controlling tty: EPERM; TIOCSTI switched off: EIO before that.
refused="Operation not permitted"
[ "$legacy" = 1 ] || refused="Input/output error"
if [ "$legacy" = 1 ]; then
	is "$(helper tiocsti | tr -d '\r')" ok \
		"pty control: without --new-session nobody can TIOCSTI into the caller's terminal"
else
	diag "dev.tty.legacy_tiocsti=0: this kernel refuses TIOCSTI to all but CAP_SYS_ADMIN"
	is "$(helper tiocsti | tr -d '\r')" "$refused" \
		"pty control: legacy_tiocsti=0 refuses TIOCSTI already"
fi

in_pty "\"$CAPBOUND\" --new-session --user=nobody -- \"$STATUS\""
is "$(helper ctty | tr -d '\r')" 0 "pty, --new-session: no controlling tty"
in_pty "\"$CAPBOUND\" --new-session --user=nobody -- \"$STATUS\" tiocsti"
is "$(helper tiocsti | tr -d '\r')" "$refused" \
	"pty, --new-session: TIOCSTI into the caller's terminal fails"

# A process group leader (a job of an interactive shell) cannot setsid():
# capbound gives the terminal up with TIOCNOTTY instead.
if command -v perl >/dev/null 2>&1; then
	pgl="perl -e 'setpgrp(0, 0); exec @ARGV or die'"
	in_pty "$pgl \"$CAPBOUND\" --new-session --user=nobody -- \"$STATUS\""
	is "$(helper ctty | tr -d '\r')" 0 "pty, process group leader, --new-session: no controlling tty"
	in_pty "$pgl \"$CAPBOUND\" --new-session --user=nobody -- \"$STATUS\" tiocsti"
	is "$(helper tiocsti | tr -d '\r')" "$refused" \
		"pty, process group leader, --new-session: TIOCSTI fails"
fi

# capbound leads the terminal's session (a login shell's exec): it cannot
# setsid(), so it gives the terminal up; the kernel's SIGHUP to the
# foreground group (capbound's) must not kill it, nor stay pending in a
# caller's blocked mask for the command.
in_pty "exec \"$CAPBOUND\" --dry-run --new-session -- true"
is "$(sed -n 's/^session: *//p' "$TMP/out" | tr -d '\r')" \
	"the same (capbound already leads it), without its controlling terminal (TIOCNOTTY)" \
	"pty, session leader, --dry-run: gives the terminal up, no new session claimed"
in_pty "exec \"$CAPBOUND\" -v --new-session --user=nobody -- \"$STATUS\""
is "$(helper ctty | tr -d '\r')" 0 "pty, session leader, --new-session: no controlling tty"
is "$(helper sid | tr -d '\r')" "$(helper pid | tr -d '\r')" "  still its own session"
like "$(grep 'capbound: giving up' "$TMP/out" | tr -d '\r')" "*already leads its session*" \
	"  -v says what it did"
if command -v perl >/dev/null 2>&1; then
	blk="perl -e 'use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGHUP)); exec @ARGV or die'"
	in_pty "exec $blk \"$CAPBOUND\" --new-session -- cat /proc/self/status"
	is "$(sed -n 's/^ShdPnd:[[:space:]]*//p; s/^SigPnd:[[:space:]]*//p' "$TMP/out" | tr -d '\r' | tr '\n' ' ')" \
		"0000000000000000 0000000000000000 " \
		"  SIGHUP blocked by the caller: none left pending for the command"
fi

done_testing
