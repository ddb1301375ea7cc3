// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * messages.c - capbound's messages: "capbound: WHAT: WHY", one line each
 * on stderr.  The whole line is escaped as it is written: a user name, a
 * command or a capability item with a newline or an escape sequence in it
 * must not forge a second message or drive the terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capbound.h"

int quiet;
int verbose;

/* Write s to stderr with control characters as \n, \t, \xNN. */
static void put_escaped(const char *s)
{
	const unsigned char *c;

	for (c = (const unsigned char *)s; *c; c++) {
		if (*c == '\n')
			fputs("\\n", stderr);
		else if (*c == '\t')
			fputs("\\t", stderr);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(stderr, "\\x%02x", *c);
		else
			fputc(*c, stderr);
	}
}

__attribute__((format(printf, 3, 0)))
static void vmsg(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	char *text = NULL;

	fputs("capbound: ", stderr);
	fputs(prefix, stderr);
	if (vasprintf(&text, fmt, ap) < 0) {
		fputs("(no memory for the message)", stderr);
		text = NULL;
	} else {
		put_escaped(text);
	}
	free(text);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg("", e, fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL); /* fail safe */
}

void diex(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL); /* fail safe */
}

void die_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
	exit(status);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
	fputs("Try 'capbound --help' for more information.\n", stderr);
	exit(EXIT_FAIL); /* fail safe */
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", 0, fmt, ap);
	va_end(ap);
}

void step_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
}

/* A failed capability call: name the call and the capability. */
void die_caps(const struct caps_fail *f)
{
	errno = f->err;
	if (f->cap >= 0)
		die("%s, %s", f->call, capname(f->cap));
	die("%s", f->call);
}

/* A failed capset(2): say which sets it was setting, and to what. */
void die_capset(const struct caps_fail *f, const char *what, capmask_t set)
{
	errno = f->err;
	die("%s (%s %s)", f->call, what, names(set, 3));
}

void out_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		die("write error");
}
