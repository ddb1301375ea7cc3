#!/bin/sh
# container-entrypoint.sh - run the container's command through capbound,
# as gosu or su-exec are used, with the capabilities it needs and no more.
# For an image with a shell (it is a /bin/sh script); a FROM-scratch
# image has none: see Containerfile, whose ENTRYPOINT runs capbound-static
# in exec form.
#
#   COPY capbound-static /usr/local/bin/capbound   # needs no C library
#   COPY container-entrypoint.sh /entrypoint.sh
#   ENV APP_USER=app APP_KEEP=net_bind_service APP_AMBIENT=net_bind_service
#   ENTRYPOINT ["/entrypoint.sh"]
#   CMD ["/usr/sbin/httpd", "-f"]
#
# APP_USER     user (name or uid) to run the command as; empty: stay root
# APP_GROUP    its group, when APP_USER is a uid without a passwd entry
# APP_KEEP     capabilities the bounding set keeps (comma list); the rest
#              are dropped.  Empty: drop them all.
# APP_AMBIENT  capabilities the command holds as APP_USER (comma list)
# APP_NO_NEW_PRIVS  1 (default): set no_new_privs, so nothing the command
#              runs gains privilege through set-user-ID or file capabilities
#
# capbound execs the command in place: it stays pid 1 and gets the
# container's signals.  A container started with --user already runs
# unprivileged, can drop nothing, and runs the command as it is.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

: "${CAPBOUND:=capbound}"
[ $# -gt 0 ] || set -- /bin/sh

if [ "$(id -u)" -ne 0 ]; then
	exec "$@"
fi

set -- -- "$@"
[ "${APP_NO_NEW_PRIVS:-1}" = 1 ] && set -- --no-new-privs "$@"
[ -n "${APP_AMBIENT:-}" ] && set -- --ambient="$APP_AMBIENT" "$@"
[ -n "${APP_GROUP:-}" ] && set -- --group="$APP_GROUP" "$@"
[ -n "${APP_USER:-}" ] && set -- --user="$APP_USER" "$@"
if [ -n "${APP_KEEP:-}" ]; then
	set -- --keep="$APP_KEEP" "$@"
else
	set -- --drop=all "$@"
fi
exec "$CAPBOUND" "$@"
