// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ident.c - resolve users and groups; switch groups, gid and uid, each
 * followed by a read-back from the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ident.h"
#ifdef IDENT_FILES_ONLY
#include "ident_files.h"	/* static build: /etc/passwd, /etc/group only */
#endif

int ident_is_numeric(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int ident_parse_id(const char *s, unsigned int *out)
{
	unsigned long long v = 0;

	if (!ident_is_numeric(s)) {
		errno = EINVAL;
		return -1;
	}
	for (; *s; s++) {
		v = v * 10 + (unsigned long long)(*s - '0');
		/* (uid_t)-1 means "leave unchanged" to setresuid: never an id. */
		if (v >= 4294967295ULL) {
			errno = ERANGE;
			return -1;
		}
	}
	*out = (unsigned int)v;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* getpw*_r with a buffer that grows on ERANGE. */
static enum ident_err pw_lookup(const char *name, uid_t uid,
				struct ident_user *u)
{
	struct passwd pw, *res = NULL;
	size_t len = 1024;
	char *buf = NULL;
	int r;

	for (;;) {
		char *nbuf = realloc(buf, len);

		if (!nbuf) {
			free(buf);
			return IDENT_ENOMEM;
		}
		buf = nbuf;
		if (name)
			r = getpwnam_r(name, &pw, buf, len, &res);
		else
			r = getpwuid_r(uid, &pw, buf, len, &res);
		if (r != ERANGE || len > (1U << 20))
			break;
		len *= 2;
	}
	if (r != 0) {
		free(buf);
		errno = r;
		return IDENT_ELOOKUP;
	}
	if (!res) {
		free(buf);
		return IDENT_ENOENT;
	}
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	u->has_entry = 1;
	u->name = dup_or_null(pw.pw_name);
	u->home = dup_or_null(pw.pw_dir);
	u->shell = dup_or_null(pw.pw_shell);
	u->gecos = dup_or_null(pw.pw_gecos ? pw.pw_gecos : "");
	free(buf);
	if (!u->name || !u->home || !u->shell || !u->gecos) {
		ident_user_free(u);
		return IDENT_ENOMEM;
	}
	return IDENT_OK;
}

void ident_user_free(struct ident_user *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	free(u->gecos);
	u->name = u->home = u->shell = u->gecos = NULL;
	u->has_entry = 0;
}

enum ident_err ident_user_by_uid(uid_t uid, struct ident_user *u)
{
	memset(u, 0, sizeof(*u));
	u->uid = uid;
	return pw_lookup(NULL, uid, u);
}

enum ident_err ident_user_by_name(const char *name, struct ident_user *u)
{
	memset(u, 0, sizeof(*u));
	if (!name || !*name)
		return IDENT_EBADNAME;
	return pw_lookup(name, 0, u);
}

enum ident_err ident_user_resolve(const char *spec, struct ident_user *u)
{
	unsigned int id;
	enum ident_err e;

	memset(u, 0, sizeof(*u));
	if (!spec || !*spec)
		return IDENT_EBADNAME;
	/* All digits is a uid; "0day" is a name. */
	if (ident_is_numeric(spec)) {
		if (ident_parse_id(spec, &id) < 0)
			return IDENT_EBADNUM;
		u->uid = (uid_t)id;
		e = pw_lookup(NULL, (uid_t)id, u);
		if (e == IDENT_ENOENT) {
			/* A bare uid is fine; the caller needs a --group. */
			u->uid = (uid_t)id;
			return IDENT_OK;
		}
		return e;
	}
	return pw_lookup(spec, 0, u);
}

enum ident_err ident_group_resolve(const char *spec, gid_t *gid)
{
	struct group gr, *res = NULL;
	unsigned int id;
	size_t len = 1024;
	char *buf = NULL;
	int r;

	if (!spec || !*spec)
		return IDENT_EBADNAME;
	if (ident_is_numeric(spec)) {
		if (ident_parse_id(spec, &id) < 0)
			return IDENT_EBADNUM;
		*gid = (gid_t)id;
		return IDENT_OK;
	}
	for (;;) {
		char *nbuf = realloc(buf, len);

		if (!nbuf) {
			free(buf);
			return IDENT_ENOMEM;
		}
		buf = nbuf;
		r = getgrnam_r(spec, &gr, buf, len, &res);
		if (r != ERANGE || len > (1U << 22))
			break;
		len *= 2;
	}
	if (r != 0) {
		free(buf);
		errno = r;
		return IDENT_ELOOKUP;
	}
	if (!res) {
		free(buf);
		return IDENT_ENOENT;
	}
	*gid = gr.gr_gid;
	free(buf);
	return IDENT_OK;
}

enum ident_err ident_groups_parse(const char *list, gid_t **gids, size_t *n,
				  char **bad)
{
	size_t count = 1, used = 0;
	const char *p;
	gid_t *out;

	*gids = NULL;
	*n = 0;
	*bad = NULL;
	if (!*list)
		return IDENT_OK;
	/* The syntax first: "a,,b" is an empty item, not "no such group a". */
	for (p = list; *p; p++) {
		if (*p != ',')
			continue;
		if (p == list || p[1] == ',' || p[1] == '\0') {
			*bad = strdup("");
			return *bad ? IDENT_EBADNAME : IDENT_ENOMEM;
		}
		count++;
	}
	out = calloc(count, sizeof(*out));
	if (!out)
		return IDENT_ENOMEM;
	p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *item = strndup(p, len);
		enum ident_err e;
		gid_t g;
		size_t i;

		if (!item) {
			free(out);
			return IDENT_ENOMEM;
		}
		e = len ? ident_group_resolve(item, &g) : IDENT_EBADNAME;
		if (e != IDENT_OK) {
			*bad = item;
			free(out);
			return e;
		}
		free(item);
		/* A group named twice is set once. */
		for (i = 0; i < used && out[i] != g; i++)
			;
		if (i == used)
			out[used++] = g;
		if (!comma)
			break;
		p = comma + 1;
	}
	*gids = out;
	*n = used;
	return IDENT_OK;
}

enum ident_err ident_user_groups(const char *name, gid_t gid, gid_t **gids,
				 size_t *n)
{
	int ngroups = 32;
	gid_t *buf = NULL;

	for (;;) {
		int want = ngroups;
		gid_t *nbuf = realloc(buf, (size_t)want * sizeof(*buf));

		if (!nbuf) {
			free(buf);
			return IDENT_ENOMEM;
		}
		buf = nbuf;
		if (getgrouplist(name, gid, buf, &ngroups) >= 0)
			break;
		/* ngroups now holds the number needed. */
		if (ngroups <= want)
			ngroups = want * 2;
		if (ngroups > 65536) {
			free(buf);
			errno = E2BIG;
			return IDENT_ELOOKUP;
		}
	}
	*gids = buf;
	*n = (size_t)ngroups;
	return IDENT_OK;
}

static int gid_in(gid_t g, const gid_t *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == g)
			return 1;
	return 0;
}

/*
 * Does the kernel's supplementary group list hold exactly gids?  The same
 * count and each list contained in the other (the kernel sorts the list).
 * 1 yes, 0 no, -1 error.
 */
static int groups_match(const gid_t *gids, size_t n)
{
	gid_t *now;
	int got, match = 1;
	size_t i;

	/*
	 * One getgroups(2) with room for n + 1: the kernel answers the whole
	 * list, or fails with EINVAL when it holds more than n + 1, which is
	 * no match.  (A separate getgroups(0, NULL) for the count would be a
	 * system call per check, two checks per run.)
	 */
	now = calloc(n + 1, sizeof(*now));
	if (!now)
		return -1;
	got = getgroups((int)(n + 1), now);
	if (got < 0) {
		int e = errno;

		free(now);
		if (e == EINVAL)
			return 0;
		errno = e;
		return -1;
	}
	if ((size_t)got != n)
		match = 0;
	for (i = 0; i < n && match; i++)
		match = gid_in(gids[i], now, (size_t)got) &&
			gid_in(now[i], gids, n);
	free(now);
	return match;
}

/*
 * Each switch asks the kernel first and reads back after.  Only where the
 * kernel refuses (EPERM: no CAP_SETGID/CAP_SETUID, or setgroups denied in
 * a user namespace) are the ids compared: already so is success, so that
 * switching to oneself needs no privilege.  Asking first keeps the common
 * privileged path at one call plus the read-back.
 */
int ident_groups_set(const gid_t *gids, size_t n)
{
	int match;

	if (setgroups(n, gids) < 0) {
		int err = errno;

		if (err == EPERM && groups_match(gids, n) == 1)
			return 0;
		errno = err;
		return -1;
	}
	match = groups_match(gids, n);
	if (match < 0)
		return -1;
	if (!match) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int ident_gid_set(gid_t gid)
{
	gid_t r, e, s;

	if (setresgid(gid, gid, gid) < 0) {
		int err = errno;

		if (err == EPERM && getresgid(&r, &e, &s) == 0 &&
		    r == gid && e == gid && s == gid)
			return 0;
		errno = err;
		return -1;
	}
	if (getresgid(&r, &e, &s) < 0)
		return -1;
	if (r != gid || e != gid || s != gid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int ident_uid_set(uid_t uid)
{
	uid_t r, e, s;

	if (setresuid(uid, uid, uid) < 0) {
		int err = errno;

		if (err == EPERM && getresuid(&r, &e, &s) == 0 &&
		    r == uid && e == uid && s == uid)
			return 0;
		errno = err;
		return -1;
	}
	if (getresuid(&r, &e, &s) < 0)
		return -1;
	if (r != uid || e != uid || s != uid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int ident_uid0_unreachable(void)
{
	if (setresuid(0, 0, 0) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
