#!/bin/sh
# The real su, su -l, runuser and runuser -l, each on Debian's own stack:
# the stock /etc/pam.d/su (which su-l includes) and /etc/pam.d/runuser
# (which runuser-l includes) with the one line an administrator adds,
#	session required /ABS/pam_capbound.so conf=... gecos
# bind-mounted, with copies of passwd/shadow/group, in private mount and
# network namespaces.  Root switches to: a user with a rule in the file,
# a user matched by an @group rule, a user whose GECOS says cap_drop=, and
# a control user.  The session's own CapBnd and a set-user-ID-root cat's
# CapPrm say whether the drop landed.  Then each kind of broken policy
# must stop the session: non-zero exit and the command did not run.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-clients.sh
. "$TESTS_DIR/lib-clients.sh"

skip_slow
require_root
require_cmd unshare mount su runuser ping ip timeout mkfifo logger
# shellcheck source=tests/lib-session.sh
. "$TESTS_DIR/lib-session.sh"

pam_line() {
	if ! { clients_pam su "$1" && clients_pam runuser "$1"; }; then
		skip_all "cannot copy the stock su/runuser stacks"
	fi
}

# client NAME USER TAG: NAME (su, su-l, runuser, runuser-l) runs the probe
# as USER
client() {
	_p="$CLIENTS_DIR/probe $3"
	case $1 in
	su) clients_run su "$2" -c "$_p" ;;
	su-l) clients_run su -l "$2" -c "$_p" ;;
	runuser) clients_run runuser -u "$2" -- "$CLIENTS_DIR/probe" "$3" ;;
	runuser-l) clients_run runuser -l "$2" -c "$_p" ;;
	esac
}

session_setup
# su and runuser open the session and stay the command's parent.
session_lands '(su|runuser)' su su-l runuser runuser-l
session_refusals su su-l runuser runuser-l
session_end
