// SPDX-License-Identifier: GPL-2.0-or-later
/* escape.c - control characters as \xNN; see escape.h. */
#include "escape.h"

void text_escape(const char *in, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t used = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x20 || c == 0x7f) {
			if (used + 4 >= len)
				break;
			out[used++] = '\\';
			out[used++] = 'x';
			out[used++] = hex[c >> 4];
			out[used++] = hex[c & 15];
		} else {
			if (used + 1 >= len)
				break;
			out[used++] = (char)c;
		}
	}
	out[used] = '\0';
}
