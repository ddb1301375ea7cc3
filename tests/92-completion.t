#!/bin/sh
# Bash completion (completions/capbound) driven in a real bash: the
# completion function is called as bash calls it, with COMP_WORDS split
# the way bash splits a command line, and COMPREPLY is checked.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_cmd bash
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || skip_all "needs bash-completion ($BC)"
COMPLETION=$TOP/completions/capbound

# comp [--plain] WORD...: COMPREPLY, one per line, sorted, for a command
# line whose words (as bash splits them: "--drop=x" is "--drop" "=" "x")
# are given; the last word is the one being completed.  The first word
# is the capbound under test, as a user with it in PATH would type it.
# --plain: without bash-completion loaded (no _init_completion).
comp() {
	_bc=$BC
	if [ "$1" = --plain ]; then _bc=/dev/null; shift; fi
	bash --norc --noprofile -c '
		bc=$1 completion=$2; shift 2
		. "$bc" >/dev/null 2>&1
		. "$completion" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE=""
		for w in "$@"; do
			case $w in =) COMP_LINE+="=" ;; *) [[ $COMP_LINE == *= ]] && COMP_LINE+="$w" || COMP_LINE+="${COMP_LINE:+ }$w" ;; esac
		done
		COMP_POINT=${#COMP_LINE}
		COMP_TYPE=9 COMP_KEY=9
		_capbound "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}"
		exit 0' bash "$_bc" "$COMPLETION" "$@" | LC_ALL=C sort
}

# Registered for both binaries, as a function.
out=$(bash --norc --noprofile -c '. "$1"; complete -p capbound capbound-static' bash "$COMPLETION")
is "$out" "complete -F _capbound capbound
complete -F _capbound capbound-static" "complete -p: _capbound for capbound and capbound-static"

# Capability names: every capability of the running kernel, and "all".
last=$(cat /proc/sys/kernel/cap_last_cap)
comp "$CAPBOUND" --drop "" >"$TMP/caps"
is "$(wc -l <"$TMP/caps" | tr -d ' ')" "$((last + 2))" \
	"--drop <TAB>: cap_last_cap + 1 names, and all"
is "$(grep -cx -e chown -e net_raw -e all "$TMP/caps")" 3 \
	"the list has chown, net_raw and all, without cap_"
n=$("$CAPBOUND" --list | awk -v l="$last" '$1 == l { print $2 }')
like "$n" "cap_*" "capbound --list names the last capability ($n)"
is "$(grep -cx "${n#cap_}" "$TMP/caps")" 1 "the kernel's last capability is offered"
is "$(comp "$CAPBOUND" --drop = net_r)" "net_raw" "--drop=net_r<TAB> -> net_raw"
is "$(comp "$CAPBOUND" -k cap_net_r)" "cap_net_raw" "-k cap_net_r<TAB> -> cap_net_raw"
is "$(comp "$CAPBOUND" --ambient = net_raw,sys_ad)" "net_raw,sys_admin" \
	"--ambient=net_raw,sys_ad<TAB> completes the last item of the list"
is "$(comp --plain "$CAPBOUND" -d net_ad)" "net_admin" \
	"without bash-completion loaded: -d net_ad<TAB> -> net_admin"

# Users and groups from the system's databases.
is "$(comp "$CAPBOUND" --user = nobod)" "nobody" "--user=nobod<TAB> -> nobody"
g=$(id -gn nobody)
is "$(comp "$CAPBOUND" -g "$(printf %s "$g" | cut -c1-4)" | grep -cx "$g")" 1 \
	"-g ${g%"${g#????}"}<TAB> offers $g"
is "$(comp "$CAPBOUND" --groups = root,"$(printf %s "$g" | cut -c1-4)" | grep -cx "root,$g")" 1 \
	"--groups=root,...<TAB> offers root,$g"
is "$(comp "$CAPBOUND" --securebits = noroot,no-cap)" "noroot,no-cap-ambient-raise
noroot,no-cap-ambient-raise-locked" "--securebits=noroot,no-cap<TAB>"

# Options.
is "$(comp "$CAPBOUND" --ver)" "--verbose
--version" "--ver<TAB> -> --verbose --version"
is "$(comp "$CAPBOUND" --dro)" "--drop=" "--dro<TAB> -> --drop="

# After the options: the command, no more capbound options.
is "$(comp "$CAPBOUND" --drop = all -- /bin/tru | grep -cx /bin/true)" 1 \
	"after --: the command (/bin/tru<TAB> -> /bin/true)"
out=$(comp "$CAPBOUND" -d net_raw /bin/true --dr)
is "$(printf '%s\n' "$out" | grep -c '^--drop=')" 0 \
	"after the command: its own arguments, not capbound's --drop="
is "$(comp "$CAPBOUND" -u nobody -- /bin/true "$TMP/ca")" "$TMP/caps" \
	"the command's arguments complete as files"

done_testing
