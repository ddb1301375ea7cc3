# shellcheck shell=sh
# tests/tty.sh - drive an interactive shell in a terminal (tmux on a
# server of its own, removed at exit) to test completion as a user gets
# it.  Sourced after lib.sh.
# SPDX-License-Identifier: GPL-2.0-or-later

TTY_SOCK=capbound-test-$$
TTY_PROMPT='CBPROMPT> '
# A sed pattern removed from the end of $TTY_LINE (a suffix the shell
# shows but removes on the next key).
TTY_STRIP=

tty_tmux() { tmux -L "$TTY_SOCK" "$@"; }

# tty_screen: the screen now, without trailing empty lines.
tty_screen() { tty_tmux capture-pane -p -t cbt | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

# tty_settle [BEFORE]: wait until the screen has not changed for 0.15s
# (at most 10s); with BEFORE, first until it differs from BEFORE (at
# most 1.5s: a key that changes nothing).
tty_settle() {
	_n=0
	if [ -n "${1-}" ]; then
		while [ "$_n" -lt 30 ] && [ "$(tty_screen)" = "$1" ]; do
			sleep 0.05
			_n=$((_n + 1))
		done
	fi
	_prev="" _same=0 _n=0
	while [ "$_n" -lt 200 ]; do
		sleep 0.05
		_now=$(tty_screen)
		if [ "$_now" = "$_prev" ]; then
			_same=$((_same + 1))
			[ "$_same" -ge 3 ] && return 0
		else
			_same=0
		fi
		_prev=$_now
		_n=$((_n + 1))
	done
}

tty_stop() { tty_tmux kill-server 2>/dev/null; }

# tty_start COMMAND...: start COMMAND (a shell that prints $TTY_PROMPT)
# in an 200x50 terminal, with PATH=$TTY_PATH.
tty_start() {
	at_exit tty_stop
	tty_tmux -f /dev/null new-session -d -s cbt -x 200 -y 50 \
		env -i TERM=xterm HOME="$TMP" PATH="$TTY_PATH" LANG=C.UTF-8 "$@" ||
		{ sleep 1; tty_tmux -f /dev/null new-session -d -s cbt -x 200 -y 50 \
			env -i TERM=xterm HOME="$TMP" PATH="$TTY_PATH" LANG=C.UTF-8 "$@"; }
	tty_settle
}

# tty_type TEXT: type TEXT (no Enter) and wait.
tty_type() { tty_tmux send-keys -t cbt -l "$1"; tty_settle; }

# tty_run LINE: run LINE and wait for the prompt.
tty_run() {
	tty_tmux send-keys -t cbt -l "$1"
	tty_tmux send-keys -t cbt Enter
	tty_settle
}

# tty_complete LINE [TABS]: on a clear screen, type LINE and press Tab
# (TABS times, default 1); the screen is in $TMP/screen and the command
# line as completed (the prompt line, prompt removed) in $TTY_LINE.
tty_complete() {
	tty_tmux send-keys -t cbt C-e C-u C-l
	tty_settle
	tty_type "$1"
	_t=0
	while [ "$_t" -lt "${2:-1}" ]; do
		_before=$(tty_screen)
		tty_tmux send-keys -t cbt Tab
		tty_settle "$_before"
		_t=$((_t + 1))
	done
	tty_screen >"$TMP/screen"
	# shellcheck disable=SC2034 # read by the tests
	TTY_LINE=$(sed -n "s/^$TTY_PROMPT//p" "$TMP/screen" | head -n 1 |
		sed -e 's/ *$//' -e "${TTY_STRIP:+s/$TTY_STRIP//}")
}
