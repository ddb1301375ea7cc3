// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ident.c - resolve users and groups; switch groups, gid and uid, each
 * followed by a read-back from the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
 * Can an id read back from the kernel be believed to be that id?  In a
 * user namespace an id the namespace does not map reads back as the
 * overflow id (/proc/sys/kernel/overflowuid, 65534): a caller that is
 * really host root, unmapped, reads "65534", and "already nobody" would
 * be a lie.  So the id must be mapped (/proc/self/uid_map or gid_map),
 * and the overflow id itself counts only where every id is mapped (the
 * initial namespace), so that no unmapped id can read as it.  Anything
 * that cannot be read counts as not believed: this only decides whether
 * an EPERM may be taken for "already so", and refusing is the safe side.
 */
struct id_kind {
	const char *map;		/* /proc/self/uid_map */
	const char *overflow;		/* /proc/sys/kernel/overflowuid */
	int (*set)(unsigned int, unsigned int, unsigned int);
	int (*get)(unsigned int *, unsigned int *, unsigned int *);
};

static const struct id_kind uid_kind = {
	"/proc/self/uid_map", "/proc/sys/kernel/overflowuid",
	setresuid, getresuid,
};
static const struct id_kind gid_kind = {
	"/proc/self/gid_map", "/proc/sys/kernel/overflowgid",
	setresgid, getresgid,
};

/* A whole small file, NUL-terminated; -1 if it cannot be read whole. */
static int read_small(const char *path, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (used < len - 1) {
		n = read(fd, buf + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	/* A full buffer may be a cut file: do not guess at the rest. */
	return used > 0 && used < len - 1 ? 0 : -1;
}

/* The next unsigned decimal at *p (blanks before it skipped), or -1. */
static long long next_number(const char **p)
{
	unsigned long long v = 0;
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > 4294967296ULL)
			return -1;
	}
	*p = s;
	return (long long)v;
}

/*
 * 1 if id is believed (see above), 0 if not.  A map line is "first id
 * inside, first id outside, count"; at most 340 lines (the kernel's
 * limit), each at most 34 bytes.
 */
static int id_believed(const struct id_kind *k, unsigned int id)
{
	char buf[340 * 34 + 2], ov[16];
	const char *p = buf;
	const char *ovp = ov;
	unsigned long long all = 0;
	long long overflow;
	int mapped = 0;

	if (read_small(k->map, buf, sizeof(buf)) < 0 ||
	    read_small(k->overflow, ov, sizeof(ov)) < 0)
		return 0;
	overflow = next_number(&ovp);
	if (overflow < 0)
		return 0;
	while (*p) {
		long long inside = next_number(&p);
		long long outside = next_number(&p);
		long long count = next_number(&p);

		if (inside < 0 || outside < 0 || count < 0 || *p != '\n')
			return 0;
		p++;
		if ((unsigned long long)id >= (unsigned long long)inside &&
		    (unsigned long long)id - (unsigned long long)inside <
		    (unsigned long long)count)
			mapped = 1;
		all += (unsigned long long)count;
	}
	/* Ids 0..4294967294 all mapped: nothing can read as overflow. */
	if (all >= 4294967295ULL)
		return mapped;
	return mapped && (long long)id != overflow;
}

/*
 * Each switch asks the kernel first and reads back after.  Only where the
 * kernel refuses (EPERM: no CAP_SETGID/CAP_SETUID, or setgroups denied in
 * a user namespace) are the ids compared: already so is success, so that
 * switching to oneself needs no privilege, but only for ids the kernel
 * really maps (id_believed()).  Asking first keeps the common privileged
 * path at one call plus the read-back.
 */
int ident_groups_set(const gid_t *gids, size_t n)
{
	size_t i;
	int match;

	if (setgroups(n, gids) < 0) {
		int err = errno;

		if (err == EPERM && groups_match(gids, n) == 1) {
			for (i = 0; i < n && id_believed(&gid_kind, gids[i]); i++)
				;
			if (i == n)
				return 0;
		}
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

/* setresuid or setresgid to id, then getres*id: all three must be id. */
static int id_set(const struct id_kind *k, unsigned int id)
{
	unsigned int r, e, s;

	if (k->set(id, id, id) < 0) {
		int err = errno;

		if (err == EPERM && k->get(&r, &e, &s) == 0 &&
		    r == id && e == id && s == id && id_believed(k, id))
			return 0;
		errno = err;
		return -1;
	}
	if (k->get(&r, &e, &s) < 0)
		return -1;
	if (r != id || e != id || s != id) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int ident_gid_set(gid_t gid)
{
	return id_set(&gid_kind, gid);
}

int ident_uid_set(uid_t uid)
{
	return id_set(&uid_kind, uid);
}

int ident_uid0_unreachable(void)
{
	if (setresuid(0, 0, 0) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
