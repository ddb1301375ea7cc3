#!/bin/sh
# tests/timeout.sh TEST - prove's --exec for make check: run one test file
# under a time limit, so that a test that hangs fails (and CI goes on)
# instead of hanging the whole run.  The limit, in seconds, is
# CAPBOUND_TEST_TIMEOUT (default 120: every file is meant to take well
# under two minutes).  timeout(1) leads a process group of its own and
# signals all of it: the test's helpers and daemons go too, unless they
# left it (a new session), and those are the test's to stop by pid.
# SPDX-License-Identifier: GPL-2.0-or-later
limit=${CAPBOUND_TEST_TIMEOUT:-120}
timeout -k 10 "$limit" "$1"
rc=$?
case $rc in
124|137)
	# After the test's own lines: prove sees a failure and a missing plan.
	echo "not ok - $1: killed after ${limit}s (CAPBOUND_TEST_TIMEOUT)"
	echo "# $1 took longer than ${limit}s: a hang is a failure" >&2
	;;
esac
exit "$rc"
