#!/bin/sh
# The real sudo on Debian's own stacks: the stock /etc/pam.d/sudo (for
# "sudo -u USER cmd") and /etc/pam.d/sudo-i (for "sudo -i", which does
# not include sudo) each with the one line an administrator adds,
#	session required /ABS/pam_capbound.so conf=... gecos
# bind-mounted with copies of passwd/shadow/group, in private mount and
# network namespaces; root runs the commands.
#
# sudo 1.9 (plugins/sudoers/auth/pam.c, sudo_pam_begin_session) treats
# PAM_SESSION_ERR from pam_open_session as non-fatal and runs the command
# anyway; any other error is fatal ("sudo: pam_open_session: ...",
# "policy plugin failed session initialization", exit 1).  It runs
# pam_open_session in the sudo process itself before it forks the
# command, so the drop lands in sudo and the command inherits it.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-clients.sh
. "$TESTS_DIR/lib-clients.sh"

skip_slow
require_root
require_cmd unshare mount sudo ping ip timeout mkfifo logger
[ -f /etc/pam.d/sudo-i ] || skip_all "no /etc/pam.d/sudo-i (sudo < 1.9.?)"
# shellcheck source=tests/lib-session.sh
. "$TESTS_DIR/lib-session.sh"

pam_line() {
	if ! { clients_pam sudo "$1" && clients_pam sudo-i "$1"; }; then
		skip_all "cannot copy the stock sudo/sudo-i stacks"
	fi
}

# client NAME USER TAG: sudo or sudo-i runs the probe as USER
client() {
	case $1 in
	sudo) clients_run sudo -u "$2" "$CLIENTS_DIR/probe" "$3" ;;
	sudo-i) clients_run sudo -i -u "$2" "$CLIENTS_DIR/probe" "$3" ;;
	esac
}

session_setup
# sudo opens the session before it forks the command.
session_lands sudo sudo sudo-i
session_refusals sudo sudo-i
session_end
