// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-client PORT - connect to 127.0.0.1:PORT and print the one line
 * the server sends.  Exit 0 when a line came, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	char buf[256];
	ssize_t n;
	size_t got = 0;
	int s;

	if (argc < 2) {
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
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("connect");
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
