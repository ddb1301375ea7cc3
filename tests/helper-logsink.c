// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-logsink SOCKET FILE - a tiny syslog daemon for the tests: bind a
 * datagram socket at SOCKET (the tests put it at /dev/log inside their
 * own mount namespace), append each message received, one a line, to
 * FILE.  Runs until killed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa;
	char buf[4096];
	int s, fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	/* A SOCKET path that does not fit sun_path is a usage error. */
	if (argc != 3 || snprintf(sa.sun_path, sizeof(sa.sun_path), "%s",
				  argv[1]) >= (int)sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: %s SOCKET FILE\n", argv[0]);
		return 2;
	}
	fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("socket");
		close(fd);
		return 1;
	}
	unlink(argv[1]);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("bind");
		close(s);
		close(fd);
		return 1;
	}
	chmod(argv[1], 0666);
	for (;;) {
		ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);

		if (n < 0)
			continue;
		/* syslog(3) sends no newline; one message, one line. */
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
			n--;
		buf[n++] = '\n';
		if (write(fd, buf, (size_t)n) != n) {
			close(s);
			close(fd);
			return 1;
		}
	}
}
