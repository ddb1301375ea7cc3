// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-sleeper - the smallest daemon: stays in the foreground, does
 * nothing, ends on SIGTERM (default action).  Its own executable, so an
 * init script's start-stop-daemon --exec matches it and nothing else.
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
