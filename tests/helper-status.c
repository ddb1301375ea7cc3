// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-status - print this process's ids and flags as raw numbers, from
 * the syscalls themselves, for tests to compare:
 *
 *   uid R E S / gid R E S / groups G... / securebits N / nnp N /
 *   pid N / sid N / pgid N / ctty 0|1
 *
 * "helper-status tiocsti" instead pushes one byte into the terminal on
 * fd 0 with ioctl(TIOCSTI), reads it back, and prints "tiocsti ok" or
 * "tiocsti ERRNO".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

static int tiocsti(void)
{
	char c = '\n';

	if (ioctl(0, TIOCSTI, &c) < 0) {
		printf("tiocsti %s\n", strerror(errno));
		return 1;
	}
	/*
	 * The push worked: that is what the test asks.  Read the byte back
	 * so it does not linger in the terminal; script(1) may already have
	 * sent EOF for its /dev/null input, so what comes back is not checked.
	 */
	if (read(0, &c, 1) < 0)
		c = 0;
	printf("tiocsti ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, *groups;
	int n, i, fd;

	if (argc > 1 && strcmp(argv[1], "tiocsti") == 0)
		return tiocsti();
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0) {
		perror("getresuid/getresgid");
		return 1;
	}
	printf("uid %u %u %u\n", ru, eu, su);
	printf("gid %u %u %u\n", rg, eg, sg);
	n = getgroups(0, NULL);
	if (n < 0) {
		perror("getgroups");
		return 1;
	}
	groups = calloc((size_t)n + 1, sizeof(*groups));
	if (!groups) {
		perror("calloc");
		return 1;
	}
	n = getgroups(n, groups);
	if (n < 0) {
		perror("getgroups");
		free(groups);
		return 1;
	}
	printf("groups");
	for (i = 0; i < n; i++)
		printf(" %u", groups[i]);
	printf("\n");
	free(groups);
	printf("securebits %d\n", prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL));
	printf("nnp %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL));
	printf("pid %d\n", (int)getpid());
	printf("sid %d\n", (int)getsid(0));
	printf("pgid %d\n", (int)getpgid(0));
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	printf("ctty %d\n", fd >= 0);
	if (fd >= 0)
		close(fd);
	return fflush(stdout) == 0 ? 0 : 1;
}
