#!/bin/sh
# The C unit tests of policy.c (policy file parser, GECOS cap_drop=,
# resulting bounding set), built by make check as tests/unit-policy;
# they need no privilege.
# SPDX-License-Identifier: GPL-2.0-or-later
prog=$(dirname "$0")/unit-policy
if [ ! -x "$prog" ]; then
	echo "1..1"
	echo "not ok 1 - $prog is not built (make check builds it)"
	exit 1
fi
exec "$prog"
