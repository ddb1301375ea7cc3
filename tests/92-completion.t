#!/bin/sh
# Completions for bash, zsh and fish, each in a real interactive shell in
# a terminal (tmux, tests/tty.sh), loaded from where `make install`
# puts them, the way each shell finds them (bash-completion's lazy
# loading by command name, zsh's fpath, fish's vendor directory): a line
# is typed, Tab pressed, and the line as the shell completed it checked.
# Capability names come from the running kernel, users and groups from
# the system, the options from `capbound --help` (an option it gains
# completes with no change to the completions).
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/tty.sh
. "$TESTS_DIR/tty.sh"

skip_slow
require_cmd tmux make
[ -x "$CAPBOUND" ] || skip_all "$CAPBOUND is not built"

# The installed layout, for PREFIX=/usr.
D=$TMP/inst
make -s --no-print-directory -C "$TOP" install-extras DESTDIR="$D" PREFIX=/usr \
	>"$TMP/out" 2>&1 || { cat "$TMP/out"; skip_all "make install-extras failed"; }
SHARE=$D/usr/share
mkdir -p "$TMP/bin"
ln -s "$CAPBOUND" "$TMP/bin/capbound"
ln -s "$CAPBOUND" "$TMP/bin/capbound-static"
TTY_PATH=$TMP/bin:/usr/sbin:/usr/bin:/sbin:/bin
printf 'x\n' >"$TMP/somefile"

last=$(cat /proc/sys/kernel/cap_last_cap)
lastname=$("$CAPBOUND" --list | awk -v l="$last" '$1 == l { sub(/^cap_/, "", $2); print $2 }')
# The shortest prefix of the last capability's name that no other has.
lastpfx=$("$CAPBOUND" --list | awk -v n="$lastname" 'NR > 1 { sub(/^cap_/, "", $2); if ($2 != n) o[$2] = 1 }
	END { for (i = 1; i <= length(n); i++) { p = substr(n, 1, i); u = 1
		for (x in o) if (substr(x, 1, i) == p) u = 0
		if (u) { print p; exit } } }')
g=$(id -gn nobody)
gpfx=$(printf %s "$g" | cut -c1-5)

# A capbound whose --help shows one more option (as a newer capbound
# would): --frobnicate=CAPS completes like --drop.
cat >"$TMP/bin/capbound-new" <<EOF
#!/bin/sh
if [ "\$1" = --help ]; then
	"$CAPBOUND" --help
	echo "      --frobnicate=CAPS   a new option"
	exit 0
fi
exec "$CAPBOUND" "\$@"
EOF
chmod 755 "$TMP/bin/capbound-new"

# check SHELL LINE WANT: LINE<Tab> gives WANT.
check() {
	tty_complete "$2"
	is "$TTY_LINE" "$3" "$1: $2<TAB> -> $3"
	[ "$TTY_LINE" = "$3" ] || sed 's/^/#   screen: /' "$TMP/screen"
}

# The cases every shell must pass.  A completed comma-list item and a
# user may carry a suffix the shell removes on the next key (zsh: ","
# and ":"); the line is compared without it (TTY_STRIP).
cases() {
	sh=$1
	# fish completes "--drop" and the value as the next word; popt takes both.
	tty_complete "capbound --dro"
	like "$TTY_LINE" "capbound --drop*" "$sh: capbound --dro<TAB> -> --drop"
	tty_complete "capbound --check-c"
	like "$TTY_LINE" "capbound --check-config*" "$sh: capbound --check-c<TAB> -> --check-config"
	check "$sh" "capbound --drop=net_r" "capbound --drop=net_raw"
	check "$sh" "capbound --drop=net_raw,sys_ad" "capbound --drop=net_raw,sys_admin"
	check "$sh" "capbound -k cap_net_ra" "capbound -k cap_net_raw"
	check "$sh" "capbound --keep=$lastpfx" "capbound --keep=$lastname"
	check "$sh" "capbound --user=nobod" "capbound --user=nobody"
	check "$sh" "capbound --user=nobody:$gpfx" "capbound --user=nobody:$g"
	check "$sh" "capbound -g $gpfx" "capbound -g $g"
	check "$sh" "capbound --groups=root,$gpfx" "capbound --groups=root,$g"
	check "$sh" "capbound --securebits=noroot,no-setuid-fixup-l" \
		"capbound --securebits=noroot,no-setuid-fixup-locked"
	check "$sh" "capbound --drop=all -- setpri" "capbound --drop=all -- setpriv"
	check "$sh" "capbound --drop=all setpri" "capbound --drop=all setpriv"
	check "$sh" "capbound -u nobody:$g -- setpri" "capbound -u nobody:$g -- setpriv"
	check "$sh" "capbound -d net_raw -- cat $TMP/somef" "capbound -d net_raw -- cat $TMP/somefile"
	check "$sh" "capbound -d net_raw /bin/true --dr" "capbound -d net_raw /bin/true --dr"
	check "$sh" "capbound-static --drop=net_r" "capbound-static --drop=net_raw"
	tty_complete "capbound-new --frob"
	like "$TTY_LINE" "capbound-new --frobnicate*" "$sh: capbound-new --frob<TAB> -> --frobnicate"
	check "$sh" "capbound-new --frobnicate=net_r" "capbound-new --frobnicate=net_raw"
}

# ---- bash, with bash-completion loading the file by command name --------
BC=/usr/share/bash-completion/bash_completion
if command -v bash >/dev/null 2>&1 && [ -r "$BC" ]; then
	tty_start env XDG_DATA_DIRS="$SHARE:/usr/share" bash --norc --noprofile
	tty_run "PS1='$TTY_PROMPT'; . $BC"
	# capbound-new is no name the files are installed under.
	tty_run "complete -F _capbound capbound-new 2>/dev/null || { _completion_loader capbound; complete -F _capbound capbound-new; }"
	_t0=$(date +%s)
	cases bash
	diag "bash: $(($(date +%s) - _t0))s"
	tty_stop
else
	skip "bash completion" "needs bash and bash-completion"
fi

# ---- zsh, from fpath, with compinit ---------------------------------------
if command -v zsh >/dev/null 2>&1; then
	tty_start env XDG_DATA_DIRS="$SHARE:/usr/share" zsh -f
	tty_run "PS1='$TTY_PROMPT'; fpath=($SHARE/zsh/vendor-completions \$fpath); autoload -Uz compinit; compinit -u -d $TMP/zcompdump; compdef _capbound capbound-new"
	TTY_STRIP='[,:]$'
	_t0=$(date +%s)
	cases zsh
	diag "zsh: $(($(date +%s) - _t0))s"
	TTY_STRIP=
	tty_stop
else
	skip "zsh completion" "needs zsh"
fi

# ---- fish, from its vendor completions directory ---------------------------
if command -v fish >/dev/null 2>&1; then
	# With its configuration (which reads XDG_DATA_DIRS), as a user
	# starts it; HOME is the test's, empty.
	tty_start env XDG_DATA_DIRS="$SHARE:/usr/share" fish
	tty_run "function fish_prompt; echo -n '$TTY_PROMPT'; end; set -g fish_autosuggestion_enabled 0; set -g fish_greeting; complete -C'capbound ' >/dev/null; __capbound_register capbound-new"
	_t0=$(date +%s)
	cases fish
	diag "fish: $(($(date +%s) - _t0))s"
	tty_stop
else
	skip "fish completion" "needs fish"
fi

done_testing
