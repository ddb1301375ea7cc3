#!/bin/sh
# The C unit tests of ident.c (id parsing, user/group resolution), run
# through prove; make check builds tests/unit-ident first.
# SPDX-License-Identifier: GPL-2.0-or-later
prog="$(dirname "$0")/unit-ident"
if [ ! -x "$prog" ]; then
	echo "1..1"
	echo "not ok 1 - $prog is not built (make tests/unit-ident)"
	exit 1
fi
exec "$prog"
