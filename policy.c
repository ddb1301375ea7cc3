// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy.c - parse and match the pam_capbound policy file, read the GECOS
 * cap_drop= property.  The capability lists go through caps_parse(), the
 * command's own parser, so "drop=" here means what --drop means there.
 *
 * File format, one rule a line:
 *
 *	WHO  WHAT...
 *
 * WHO is a user name, @group or *; WHAT is one or more drop=CAPS and
 * keep=CAPS.  A CAPS list may hold spaces after its commas: it runs up to
 * the next word holding a "=" or the end of the line.  "#" at the start
 * of a word starts a comment.  The first matching rule wins.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "ident.h"
#include "policy.h"

/*
 * The limit on a policy file, from measurement (doc/bench.md): 100000
 * user rules (3.5 MB) parse in about 30 ms here, 16 MiB (some 480000
 * rules) in about 0.15 s, which every login would then wait.  A file
 * larger than that is a mistake (a log at the policy's path), not a
 * policy.  A long, like the off_t it is compared with, so no int product
 * gets widened.
 */
#define POLICY_MAX_BYTES	(16L * 1024L * 1024L)

__attribute__((format(printf, 3, 4)))
static int fail(struct policy_error *e, int line, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->line = line;
		e->err = 0;
		va_start(ap, fmt);
		vsnprintf(e->why, sizeof(e->why), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Same, with errno's meaning kept for the caller's message. */
__attribute__((format(printf, 3, 4)))
static int fail_errno(struct policy_error *e, int line, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	if (e) {
		e->line = line;
		e->err = err;
		va_start(ap, fmt);
		vsnprintf(e->why, sizeof(e->why), fmt, ap);
		va_end(ap);
		if (err) {
			size_t used = strlen(e->why);

			snprintf(e->why + used, sizeof(e->why) - used, ": %s",
				 strerror(err));
		}
	}
	errno = err;
	return -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* A keyword starts here: "drop=" or "keep="; its length, else 0. */
static size_t keyword_at(const char *p, const char *end)
{
	if (end - p >= 5 && (strncmp(p, "drop=", 5) == 0 ||
			     strncmp(p, "keep=", 5) == 0))
		return 5;
	return 0;
}

/*
 * One CAPS value for keyword kw (line text p..end, already without a
 * comment).  caps_parse() reads a NUL-terminated string: copy it.
 */
static int parse_caps_value(const char *kw, const char *p, const char *end,
			    int line, int last_cap, capmask_t *out,
			    struct policy_error *e)
{
	struct caps_perror perr;
	char *val;
	int r;

	while (end > p && is_blank(end[-1]))
		end--;
	if (end == p)
		return fail(e, line, "%s=: empty capability list", kw);
	val = strndup(p, (size_t)(end - p));
	if (!val)
		return fail_errno(e, line, "%s=", kw);
	r = caps_parse(val, last_cap, out, &perr);
	if (r < 0) {
		if (perr.why == CAPS_PERR_EMPTY)
			fail(e, line, "%s=%s: empty item in capability list",
			     kw, val);
		else
			fail(e, line, "%s=: %s: %s", kw, perr.item,
			     caps_perr_str(perr.why));
	}
	free(val);
	return r;
}

/* One line, without its newline.  0: a rule or nothing; -1: an error. */
static int parse_line(const char *text, size_t len, int line, int last_cap,
		      struct policy_rule *rule, int *is_rule,
		      struct policy_error *e)
{
	const char *end = text + len, *p, *word, *who, *who_end;
	size_t i;

	*is_rule = 0;
	memset(rule, 0, sizeof(*rule));
	if (memchr(text, '\0', len))
		return fail(e, line, "NUL byte in line");
	/* "#" at the start of a word: the rest is a comment. */
	for (i = 0; i < len; i++) {
		if (text[i] == '#' && (i == 0 || is_blank(text[i - 1]))) {
			end = text + i;
			break;
		}
	}
	p = skip_blank(text, end);
	if (p == end)
		return 0;

	word = who = p;
	while (p < end && !is_blank(*p))
		p++;
	who_end = p;
	if (memchr(who, '=', (size_t)(who_end - who)))
		return fail(e, line, "%.*s: a rule starts with a user name, "
			    "@group or *", (int)(who_end - who), who);
	rule->line = line;
	if (who_end - who == 1 && *who == '*') {
		rule->who = POLICY_ANY;
	} else {
		rule->who = POLICY_USER;
		if (*who == '@') {
			rule->who = POLICY_GROUP;
			who++;
			if (who == who_end)
				return fail(e, line, "@: empty group name");
		}
		rule->name = strndup(who, (size_t)(who_end - who));
		if (!rule->name)
			return fail_errno(e, line, "strndup");
	}

	p = skip_blank(p, end);
	if (p == end)
		goto missing;
	while (p < end) {
		const char *kw = p, *val, *next;
		capmask_t set;

		if (!keyword_at(p, end)) {
			const char *w = p;

			while (p < end && !is_blank(*p))
				p++;
			fail(e, line, "%.*s: expected drop=CAPS or keep=CAPS",
			     (int)(p - w), w);
			goto bad;
		}
		val = p + 5;
		/*
		 * The value runs to the next word with a "=" in it (no
		 * capability name has one), so "drop=a, b keep=c" is two
		 * lists and "drop=a frob=b" a misspelt keyword.
		 */
		for (next = val; next < end; next++) {
			const char *w = next;

			if (!is_blank(next[-1]) || is_blank(*next))
				continue;
			while (w < end && !is_blank(*w) && *w != '=')
				w++;
			if (w < end && *w == '=')
				break;
		}
		if (parse_caps_value(kw[0] == 'd' ? "drop" : "keep", val, next,
				     line, last_cap, &set, e) < 0)
			goto bad;
		if (kw[0] == 'd') {
			rule->drop |= set;
			rule->have_drop = 1;
		} else {
			rule->keep |= set;
			rule->have_keep = 1;
		}
		p = next;
	}
	*is_rule = 1;
	return 0;
missing:
	fail(e, line, "%.*s: no drop=CAPS or keep=CAPS",
	     (int)(who_end - word), word);
bad:
	free(rule->name);
	rule->name = NULL;
	return -1;
}

int policy_parse_buf(const char *buf, size_t len, int last_cap,
		     struct policy *pol, struct policy_error *e)
{
	const char *p = buf, *end = buf + len;
	size_t cap = 0;
	int line = 0;

	pol->rules = NULL;
	pol->n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		struct policy_rule rule;
		int is_rule;

		line++;
		if (parse_line(p, (size_t)(eol - p), line, last_cap, &rule,
			       &is_rule, e) < 0) {
			policy_free(pol);
			return -1;
		}
		if (is_rule) {
			if (pol->n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct policy_rule *n = reallocarray(pol->rules,
						ncap, sizeof(*n));

				if (!n) {
					free(rule.name);
					policy_free(pol);
					return fail_errno(e, line, "realloc");
				}
				pol->rules = n;
				cap = ncap;
			}
			pol->rules[pol->n++] = rule;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

void policy_free(struct policy *pol)
{
	size_t i;

	for (i = 0; i < pol->n; i++)
		free(pol->rules[i].name);
	free(pol->rules);
	pol->rules = NULL;
	pol->n = 0;
}

/*
 * The checks are made on the descriptor that is then read, so nothing
 * can swap the file between check and read; O_NOFOLLOW refuses a symlink
 * as the last component (a symlink's target could be anyone's file).
 */
int policy_load(const char *path, int last_cap, struct policy *pol,
		struct policy_error *e)
{
	struct stat st;
	char *buf;
	size_t used = 0;
	ssize_t n;
	int fd, r;

	pol->rules = NULL;
	pol->n = 0;
	/*
	 * O_NONBLOCK: a FIFO (or a device) at the path must not hang every
	 * login in open(); fstat() below refuses it.  Regular files ignore it.
	 */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC |
		  O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			return fail(e, 0, "is a symbolic link: refusing it");
		return fail_errno(e, 0, "open");
	}
	if (fstat(fd, &st) < 0) {
		fail_errno(e, 0, "fstat");
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(e, 0, "not a regular file");
	}
	if (st.st_uid != 0) {
		close(fd);
		return fail(e, 0, "owned by uid %u, not by root",
			    (unsigned)st.st_uid);
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		return fail(e, 0, "writable by %s (mode %04o): only root may "
			    "write it", (st.st_mode & S_IWOTH) ? "others" :
			    "its group", (unsigned)(st.st_mode & 07777));
	}
	if (st.st_size > POLICY_MAX_BYTES) {
		close(fd);
		return fail(e, 0, "larger than %ld bytes", POLICY_MAX_BYTES);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fail_errno(e, 0, "malloc");
		close(fd);
		return -1;
	}
	/* Read to EOF, but never past the size that was checked. */
	while (used <= (size_t)st.st_size) {
		n = read(fd, buf + used, (size_t)st.st_size + 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail_errno(e, 0, "read");
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (used > (size_t)st.st_size) {
		free(buf);
		return fail(e, 0, "changed while being read");
	}
	r = policy_parse_buf(buf, used, last_cap, pol, e);
	free(buf);
	return r;
}

int policy_rule_no_id(const struct policy_rule *rule)
{
	unsigned int id;

	return rule->who != POLICY_ANY && ident_is_numeric(rule->name) &&
	       ident_parse_id(rule->name, &id) < 0;
}

int policy_match(const struct policy *pol, const char *name, uid_t uid,
		 gid_t gid, const struct policy_rule **rule,
		 struct policy_error *e)
{
	struct ident_groupdb *db = NULL;	/* read at the first @group */
	const struct policy_rule *nogroup = NULL;
	size_t i, more = 0;
	enum ident_err ie;

	*rule = NULL;
	if (e) {
		e->line = 0;
		e->err = 0;
		e->why[0] = '\0';
	}
	for (i = 0; i < pol->n && !*rule; i++) {
		const struct policy_rule *r = &pol->rules[i];
		unsigned int id;
		gid_t want;
		int member;

		switch (r->who) {
		case POLICY_ANY:
			*rule = r;
			break;
		case POLICY_USER:
			/* All digits is a uid, as for capbound --user. */
			if (ident_is_numeric(r->name)) {
				if (ident_parse_id(r->name, &id) == 0 &&
				    (uid_t)id == uid)
					*rule = r;
			} else if (strcmp(r->name, name) == 0) {
				*rule = r;
			}
			break;
		case POLICY_GROUP:
			ie = db ? IDENT_OK : ident_groupdb_load(name, gid, &db);
			if (ie == IDENT_OK)
				ie = ident_groupdb_find(db, r->name, &want,
							&member);
			if (ie == IDENT_EBADNUM)
				break;	/* digits that are no gid: nobody */
			if (ie == IDENT_ENOENT) {
				/* Nobody, and the caller is told. */
				if (!nogroup)
					nogroup = r;
				else
					more++;
				break;
			}
			if (ie != IDENT_OK) {
				ident_groupdb_free(db);
				if (ie == IDENT_ENOMEM)
					errno = ENOMEM;
				return fail_errno(e, r->line, "@%s: group "
						  "lookup failed", r->name);
			}
			if (member)
				*rule = r;
			break;
		}
	}
	ident_groupdb_free(db);
	if (nogroup && e) {
		e->line = nogroup->line;
		if (more)
			snprintf(e->why, sizeof(e->why), "@%s names no group, "
				 "so the rule matches nobody (and %zu more "
				 "such rules)", nogroup->name, more);
		else
			snprintf(e->why, sizeof(e->why), "@%s names no group, "
				 "so the rule matches nobody", nogroup->name);
	}
	return 0;
}

int policy_gecos_drop(const char *gecos, int last_cap, capmask_t *drop,
		      int *found, struct policy_error *e)
{
	static const char prop[] = "cap_drop";
	const char *p, *field = NULL;

	*found = 0;
	*drop = 0;
	if (!gecos)
		return 0;
	/* Every "cap_drop" must be a sub-field's "cap_drop=": no typo slips. */
	for (p = gecos; (p = strcasestr(p, prop)) != NULL; p += sizeof(prop) - 1) {
		const char *q = p;

		while (q > gecos && is_blank(q[-1]))
			q--;
		if ((q != gecos && q[-1] != ',') || p[sizeof(prop) - 1] != '=' ||
		    strncmp(p, prop, sizeof(prop) - 1) != 0)
			return fail(e, 0, "GECOS: \"cap_drop\" must start a "
				    "comma-separated field as cap_drop=CAPS");
		if (field)
			return fail(e, 0, "GECOS: cap_drop= given twice");
		field = p + sizeof(prop);
	}
	if (!field)
		return 0;
	if (parse_caps_value("GECOS: cap_drop", field, field + strlen(field),
			     0, last_cap, drop, e) < 0)
		return -1;
	*found = 1;
	return 0;
}

capmask_t policy_bound(const struct policy_rule *rule, capmask_t extra_drop,
		       capmask_t cur)
{
	capmask_t bound = cur;

	if (rule && rule->have_keep)
		bound &= rule->keep;
	if (rule)
		bound &= ~rule->drop;
	return bound & ~extra_drop;
}
