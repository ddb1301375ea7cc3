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

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	char line[64];
	int s, c, len, one = 1;

	if (argc < 2) {
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
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "bind: %s\n", strerror(errno));
		return 2;
	}
	if (listen(s, 1) < 0) {
		perror("listen");
		return 1;
	}
	if (argc > 2) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      0644);

		if (fd < 0) {
			perror(argv[2]);
			return 1;
		}
		close(fd);
	}
	c = accept(s, NULL, NULL);
	if (c < 0) {
		perror("accept");
		return 1;
	}
	len = snprintf(line, sizeof(line), "hello from uid %u\n",
		       (unsigned)getuid());
	if (write(c, line, (size_t)len) != len) {
		perror("write");
		return 1;
	}
	close(c);
	close(s);
	return 0;
}
