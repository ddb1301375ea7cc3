// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notation.c - how capbound writes sets and ids, in every report and
 * message: one notation, so that the one capability that matters shows.
 *
 * A set that holds more than half of the kernel's capabilities is written
 * by what it lacks, "all -cap_net_raw,cap_sys_resource" (getpcaps writes
 * "=ep cap_net_raw-ep"; "all" is the word capbound's options take), "all"
 * when it lacks nothing, "(none)" when empty; else by its members.  ids
 * carry their names as id(1) and capsh write them: "33(www-data)".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/securebits.h>

#include "capbound.h"
#include "ident_files.h"

static int last_cap_cached = -2;

int last_cap(void)
{
	if (last_cap_cached == -2)
		last_cap_cached = caps_last_cap();
	return last_cap_cached;
}

/* Two buffers: a message may name two capabilities. */
const char *capname(int cap)
{
	static char buf[2][CAPS_NAME_MAX];
	static unsigned int n;
	char *b = buf[n++ & 1];

	caps_name(cap, b);
	return b;
}

const char *names_full(capmask_t set, int slot)
{
	static char buf[4][CAPS_FORMAT_MAX];

	if (caps_format(set, buf[slot & 3], sizeof(buf[0])) < 0)
		return "?";
	return buf[slot & 3][0] ? buf[slot & 3] : "(none)";
}

const char *names(capmask_t set, int slot)
{
	static char buf[4][CAPS_FORMAT_MAX + 8];
	int lc = last_cap();
	capmask_t kernel;
	char *b = buf[slot & 3];

	if (!set)
		return "(none)";
	if (lc < 0)
		return names_full(set, slot);
	kernel = caps_kernel_mask(lc);
	/* Beyond the kernel's range "all" would not say it: list them. */
	if ((set & ~kernel) ||
	    __builtin_popcountll(set) * 2 <= __builtin_popcountll(kernel))
		return names_full(set, slot);
	if (set == kernel)
		return "all";
	memcpy(b, "all -", 5);
	if (caps_format(kernel & ~set, b + 5, sizeof(buf[0]) - 5) < 0)
		return "?";
	return b;
}

const char *esc(const char *s, int slot)
{
	static char buf[4][4 * 1024 + 8];
	char *b = buf[slot & 3], *o = b;
	const unsigned char *c;

	if (!*s)
		return "\"\"";
	for (c = (const unsigned char *)s; *c; c++) {
		if (o - b > (long)sizeof(buf[0]) - 8) {
			memcpy(o, "...", 4);
			return b;
		}
		if (*c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (*c == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else if (*c < 0x20 || *c == 0x7f) {
			o += sprintf(o, "\\x%02x", *c);
		} else {
			*o++ = (char)*c;
		}
	}
	*o = '\0';
	return b;
}

const char *uid_text(uid_t uid, int slot)
{
	static char buf[4][64 + 4 * 256];
	struct ident_user u;
	char *b = buf[slot & 3];

	memset(&u, 0, sizeof(u));
	if (ident_user_by_uid(uid, &u) == IDENT_OK && u.has_entry && u.name)
		snprintf(b, sizeof(buf[0]), "%u(%s)", (unsigned)uid,
			 esc(u.name, slot));
	else
		snprintf(b, sizeof(buf[0]), "%u", (unsigned)uid);
	ident_user_free(&u);
	return b;
}

/*
 * ident.c has no gid-to-name look-up (it never needs one): the reports
 * have their own, through NSS, or /etc/group itself in the static build
 * as ident_files.c does (glibc's NSS cannot be linked statically).
 */
static int group_name(gid_t gid, char *out, size_t outlen)
{
	struct group gr, *res = NULL;
	size_t len = 1024;
	char *buf = NULL;
	int found = 0;
#ifdef IDENT_FILES_ONLY
	FILE *f = fopen(IDENT_GROUP_FILE, "re");

	if (!f)
		return 0;
#endif
	while (len < (1U << 24)) {
		char *nb = realloc(buf, len);
		int r;

		if (!nb)
			break;
		buf = nb;
#ifdef IDENT_FILES_ONLY
		r = fgetgrent_r(f, &gr, buf, len, &res);
		if (r == ERANGE) {
			/* that entry was not kept: read the file again */
			rewind(f);
			len *= 2;
			continue;
		}
		if (r != 0 || !res)
			break;
		if (gr.gr_gid != gid)
			continue;
#else
		r = getgrgid_r(gid, &gr, buf, len, &res);
		if (r == ERANGE) {
			len *= 2;
			continue;
		}
		if (r != 0 || !res)
			break;
#endif
		snprintf(out, outlen, "%s", gr.gr_name);
		found = 1;
		break;
	}
#ifdef IDENT_FILES_ONLY
	fclose(f);
#endif
	free(buf);
	return found;
}

const char *gid_text(gid_t gid, int slot)
{
	static char buf[4][64 + 4 * 256];
	char name[256];
	char *b = buf[slot & 3];

	if (group_name(gid, name, sizeof(name)))
		snprintf(b, sizeof(buf[0]), "%u(%s)", (unsigned)gid,
			 esc(name, slot));
	else
		snprintf(b, sizeof(buf[0]), "%u", (unsigned)gid);
	return b;
}

char *groups_text(const gid_t *gids, size_t n)
{
	size_t i, len = 0, cap = 64;
	char *s = malloc(cap);

	if (!s)
		die("malloc");
	if (!n) {
		snprintf(s, cap, "(none)");
		return s;
	}
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *g = gid_text(gids[i], 0);
		size_t gl = strlen(g);

		while (len + gl + 2 > cap) {
			char *ns = realloc(s, cap *= 2);

			if (!ns)
				die("realloc");
			s = ns;
		}
		if (i)
			s[len++] = ',';
		memcpy(s + len, g, gl + 1);
		len += gl;
	}
	return s;
}

const char *securebits_text(unsigned long bits, int slot)
{
	static char buf[4][256];
	char *b = buf[slot & 3];
	size_t k;

	size_t used = 0;

	b[0] = '\0';
	for (k = 0; k < caps_nsecurebits; k++) {
		if (bits & caps_securebits[k].bit)
			used += (size_t)snprintf(b + used, sizeof(buf[0]) - used,
						 "%s%s", used ? "," : "",
						 caps_securebits[k].name);
	}
	if (bits & SECBIT_KEEP_CAPS)
		snprintf(b + used, sizeof(buf[0]) - used, "%skeep-caps",
			 used ? "," : "");
	return b[0] ? b : "(none)";
}

/* Edit distance of two short words (at most CAPS_NAME_MAX). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[CAPS_NAME_MAX + 1];

	if (la > CAPS_NAME_MAX || lb > CAPS_NAME_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best;

			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Lower case, no "cap_", no "+ep"/"=ep" tail, no '_', '-' or ' '. */
static void squash(const char *in, char out[CAPS_NAME_MAX])
{
	size_t n = 0;

	if (!strncasecmp(in, "cap_", 4) || !strncasecmp(in, "cap-", 4))
		in += 4;
	for (; *in && *in != '+' && *in != '=' && n < CAPS_NAME_MAX - 1; in++) {
		if (*in == '_' || *in == '-' || *in == ' ')
			continue;
		out[n++] = (char)tolower((unsigned char)*in);
	}
	out[n] = '\0';
}

const char *caps_suggest(const char *item)
{
	static char best[CAPS_NAME_MAX];
	/* Zeroed: clang-analyzer cannot follow squash() filling them. */
	char want[CAPS_NAME_MAX] = { 0 }, have[CAPS_NAME_MAX] = { 0 };
	size_t best_d = 3, d;
	int cap, lc = last_cap();

	squash(item, want);
	if (!want[0])
		return NULL;
	for (cap = 0; cap <= (lc < 0 ? CAPS_NUM_MAX : lc); cap++) {
		const char *name = capname(cap);

		if (isdigit((unsigned char)name[4]))
			continue;	/* no name: nothing to suggest */
		squash(name, have);
		d = distance(want, have);
		/* Short words are near too many names: exact matches only. */
		if (strlen(want) < 5 && d)
			continue;
		if (d < best_d) {
			best_d = d;
			snprintf(best, sizeof(best), "%s", name + 4);
		}
	}
	return best_d < 3 ? best : NULL;
}
