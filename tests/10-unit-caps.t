#!/bin/sh
# The C unit tests of caps.c (parser, mask parser, formatter), built by
# make check as tests/unit-caps; they need no privilege.
# SPDX-License-Identifier: GPL-2.0-or-later
prog=$(dirname "$0")/unit-caps
if [ ! -x "$prog" ]; then
	echo "1..1"
	echo "not ok 1 - $prog is not built (make check builds it)"
	exit 1
fi
exec "$prog"
