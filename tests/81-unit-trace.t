#!/bin/sh
# The C unit tests of trace_report.c (the --trace report, on trace text
# as the kernel writes it), built by make check as tests/unit-trace; they
# need no privilege.
# SPDX-License-Identifier: GPL-2.0-or-later
prog=$(dirname "$0")/unit-trace
if [ ! -x "$prog" ]; then
	echo "1..1"
	echo "not ok 1 - $prog is not built (make check builds it)"
	exit 1
fi
exec "$prog"
