// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-daemon PORT [READYFILE] - a tiny real server: bind PORT on
 * 127.0.0.1, create READYFILE (if given) once listening, answer one
 * connection with "hello from uid U\n" and exit 0.
 * A failed bind prints "bind: <strerror>" to stderr and exits 2.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* PORT as a whole decimal number 1..65535: "80x", "-1", "" are errors. */
static int port_parse(const char *s, unsigned short *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return -1;
	*port = (unsigned short)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	char line[64];
	unsigned short port;
	int s, c, len, one = 1;

	if (argc < 2 || port_parse(argv[1], &port) < 0) {
		fprintf(stderr, "usage: helper-daemon PORT [READYFILE]\n");
		return 1;
	}
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "bind: %s\n", strerror(errno));
		close(s);
		return 2;
	}
	if (listen(s, 1) < 0) {
		perror("listen");
		close(s);
		return 1;
	}
	if (argc > 2) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      0644);

		if (fd < 0) {
			perror(argv[2]);
			close(s);
			return 1;
		}
		close(fd);
	}
	c = accept(s, NULL, NULL);
	if (c < 0) {
		perror("accept");
		close(s);
		return 1;
	}
	len = snprintf(line, sizeof(line), "hello from uid %u\n",
		       (unsigned)getuid());
	if (write(c, line, (size_t)len) != len) {
		perror("write");
		close(c);
		close(s);
		return 1;
	}
	close(c);
	close(s);
	return 0;
}
