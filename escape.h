/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.h - make text safe for a one-line message or a syslog line.
 *
 * User names, GECOS fields, arguments and file contents reach messages;
 * a newline or an escape sequence in them must not forge a second log
 * line or repaint a terminal.  Control characters (0x00-0x1f, 0x7f)
 * become \xNN; everything else, UTF-8 included, is kept.
 */
#ifndef CAPBOUND_ESCAPE_H
#define CAPBOUND_ESCAPE_H

#include <stddef.h>

/* Escape in into out (len > 0 bytes, always NUL-terminated, cut if short). */
void text_escape(const char *in, char *out, size_t len);

#endif
