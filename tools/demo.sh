#!/bin/sh
# tools/demo.sh - capbound's main job, for real: a program that had a
# capability, then the same program under capbound without it, refused
# by the kernel.  Run by `make demo`.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
capbound=${CAPBOUND:-$top/capbound}
ping=$(command -v ping || echo /usr/bin/ping)

say() { printf '\n== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; printf '(exit status %d)\n' "$?"; }

say "capbound $("$capbound" --version | cut -d' ' -f2): the running kernel's last capability"
"$capbound" --list | tail -n 1

if [ "$(id -u)" -ne 0 ]; then
	say "not root: showing the plan only (run 'sudo make demo' for the real thing)"
	show "$capbound" --dry-run --drop=net_raw -- "$ping" -c1 127.0.0.1
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say "1. ping gets cap_net_raw from its file capabilities, and works"
show getcap "$ping"
show "$ping" -c1 -W1 127.0.0.1

say "2. the same ping under capbound --drop=net_raw: the kernel refuses to exec it"
show "$capbound" --drop=net_raw -- "$ping" -c1 -W1 127.0.0.1

say "3. a copy of ping without file capabilities: root's own cap_net_raw does it"
cp "$ping" "$tmp/ping"
show "$tmp/ping" -c1 -W1 127.0.0.1

say "4. the same copy, as root, under capbound --drop=net_raw: the socket is refused"
show "$capbound" --drop=net_raw -- "$tmp/ping" -c1 -W1 127.0.0.1

say "5. what the command sees: the kernel's bounding set, without cap_net_raw (13)"
show "$capbound" --drop=net_raw -- sh -c 'grep "^CapBnd" /proc/self/status'
show "$capbound" --drop=net_raw -- "$capbound" --print
