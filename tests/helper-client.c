// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-client PORT - connect to 127.0.0.1:PORT and print the one line
 * the server sends.  Exit 0 when a line came, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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
	char buf[256];
	ssize_t n;
	size_t got = 0;
	unsigned short port;
	int s;

	if (argc < 2 || port_parse(argv[1], &port) < 0) {
		fprintf(stderr, "usage: helper-client PORT\n");
		return 1;
	}
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("connect");
		close(s);
		return 1;
	}
	while (got < sizeof(buf) - 1 &&
	       (n = read(s, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(s);
	fputs(buf, stdout);
	return got > 0 && buf[got - 1] == '\n' ? 0 : 1;
}
