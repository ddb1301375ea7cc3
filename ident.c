// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ident.c - resolve users and groups; switch groups, gid and uid, each
 * followed by a read-back from the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
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

#ifdef IDENT_FILES_ONLY
/* The static build reads the files itself, and reports their errors. */
static int files_hidden_error(const char *db, const char *path)
{
	(void)db;
	(void)path;
	return 0;
}
#else
/*
 * Does nsswitch.conf send DB ("passwd", "group") to files or compat, the
 * services that read /etc/DB?  Yes, too, when it cannot be read or has
 * no line for DB (glibc then reads the files).  Asked only after /etc/DB
 * failed, so parsing nsswitch.conf costs nothing on a good run.
 */
static int nss_reads_files(const char *db)
{
	FILE *f = fopen("/etc/nsswitch.conf", "re");
	size_t dblen = strlen(db), cap = 0;
	char *line = NULL;
	int lines = 0, files = 0;

	if (!f)
		return 1;
	while (getline(&line, &cap, f) >= 0) {
		char *s = line + strspn(line, " \t"), *tok, *save = NULL;

		if (strncmp(s, db, dblen) != 0)
			continue;
		s += dblen;
		s += strspn(s, " \t");
		if (*s != ':')
			continue;
		lines++;
		/* No word of an action ("[NOTFOUND=return]") is a service. */
		for (tok = strtok_r(s + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (*tok == '#')
				break;
			if (strcmp(tok, "files") == 0 ||
			    strcmp(tok, "compat") == 0)
				files = 1;
		}
	}
	free(line);
	/* A file read only in part says nothing: the files are read. */
	if (ferror(f))
		files = 1;
	(void)fclose(f);	/* read only: nothing to lose */
	return lines == 0 || files;
}

/*
 * glibc answers a lookup with the last service's status: under Debian's
 * default "group: files systemd", a /etc/group that nss_files could not
 * open or read comes back as "no such group" (and a user's group list as
 * his primary group alone), with neither an error nor an errno.  Where an
 * answer may hide that, the file is opened and its first byte read, as
 * nss_files would: 0, or the error that was hidden.  No file is no error
 * (nss_files says "unavailable", and the next service answers); a read
 * error further into the file stays hidden.  Three system calls.
 */
static int files_hidden_error(const char *db, const char *path)
{
	char c;
	int fd, e = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		e = errno == ENOENT ? 0 : errno;
	else if (pread(fd, &c, 1, 0) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	if (e && !nss_reads_files(db))
		e = 0;
	return e;
}
#endif

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
		r = files_hidden_error("passwd", "/etc/passwd");
		if (r) {
			errno = r;
			return IDENT_ELOOKUP;
		}
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

/* ---- groups: every path sorts once and compares, O(n log n) ---- */

static int gid_cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return (x > y) - (x < y);
}

static int gid_sorted(const gid_t *g, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (g[i - 1] > g[i])
			return 0;
	return 1;
}

static int gid_in_sorted(gid_t g, const gid_t *list, size_t n)
{
	return n && bsearch(&g, list, n, sizeof(*list), gid_cmp) != NULL;
}

/*
 * The byte of a gid that radix pass `pass` sorts by.  A gid_t is 32 bits
 * on Linux: four passes.
 */
#define GID_BYTE(g, pass)	(((uint32_t)(g) >> (8U * (pass))) & 0xffU)

/*
 * Sort g (n entries) in increasing order, stably, in O(n): one counting
 * pass per byte, least significant first, through tmp (room for n).  A
 * pass whose byte is the same everywhere (the top bytes of most gids) is
 * skipped.  qsort(3), with a call of the comparison per step, took 0.5
 * to 1 ms for 30000 groups, a third of capbound's cost above the floor.
 */
static void gid_radix(gid_t *g, gid_t *tmp, size_t n)
{
	size_t count[256], i, sum;
	gid_t *from = g, *to = tmp, *swap;
	unsigned int pass;

	for (pass = 0; n > 1 && pass < 4; pass++) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[GID_BYTE(from[i], pass)]++;
		if (count[GID_BYTE(from[0], pass)] == n)
			continue;
		for (i = 0, sum = 0; i < 256; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[GID_BYTE(from[i], pass)]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != g)
		memcpy(g, from, n * sizeof(*g));
}

/* gid_radix() with its own scratch space; -1 (ENOMEM) if there is none. */
static int gid_sort(gid_t *g, size_t n)
{
	gid_t *tmp;

	if (gid_sorted(g, n))
		return 0;
	tmp = reallocarray(NULL, n, sizeof(*tmp));
	if (!tmp) {
		errno = ENOMEM;
		return -1;
	}
	gid_radix(g, tmp, n);
	free(tmp);
	return 0;
}

int ident_gids_sort(gid_t *g, size_t n)
{
	gid_t first;
	size_t lo, hi, mid;

	/*
	 * getgrouplist(3) puts the primary gid first, then the file's
	 * order, often increasing: one gid to move, and no scratch memory,
	 * whose fresh pages cost more than the sort here (about 10 us a
	 * page fault: 90 of them at 30000 groups).
	 */
	if (n > 2 && gid_sorted(g + 1, n - 1)) {
		first = g[0];
		lo = 1;
		hi = n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (g[mid] < first)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(g, g + 1, (lo - 1) * sizeof(*g));
		g[lo - 1] = first;
		return 0;
	}
	return gid_sort(g, n);
}

int ident_gids_same_set(const gid_t *a, size_t na, const gid_t *b,
			size_t nb)
{
	gid_t *x, *y;
	size_t i = 0, j = 0;
	int same = 1;

	x = reallocarray(NULL, na + nb + 1, sizeof(*x));
	if (!x) {
		errno = ENOMEM;
		return -1;
	}
	y = x + na;
	if (na)
		memcpy(x, a, na * sizeof(*x));
	if (nb)
		memcpy(y, b, nb * sizeof(*y));
	if (gid_sort(x, na) < 0 || gid_sort(y, nb) < 0) {
		free(x);
		return -1;
	}
	/* Each distinct gid of one must be the next distinct gid of the other. */
	while (same && (i < na || j < nb)) {
		if (i >= na || j >= nb || x[i] != y[j]) {
			same = 0;
			break;
		}
		while (i + 1 < na && x[i + 1] == x[i])
			i++;
		while (j + 1 < nb && y[j + 1] == y[j])
			j++;
		i++;
		j++;
	}
	free(x);
	return same;
}

int ident_gids_dedup(gid_t *gids, size_t *n)
{
	gid_t *sorted;
	unsigned char *seen;
	size_t i, k = 0, lo, hi, mid;

	/* Strictly increasing already (the usual --groups): nothing to do. */
	for (i = 1; i < *n && gids[i - 1] < gids[i]; i++)
		;
	if (i >= *n)
		return 0;
	/*
	 * A sorted copy (O(n)), and one mark per distinct gid: the first of
	 * equal gids keeps its place, the others go, in one pass in order
	 * with a binary search each, O(n log n) in all.
	 */
	sorted = reallocarray(NULL, *n, sizeof(*sorted) + 1);
	if (!sorted) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(sorted, gids, *n * sizeof(*sorted));
	seen = (unsigned char *)(sorted + *n);
	memset(seen, 0, *n);
	if (gid_sort(sorted, *n) < 0) {
		free(sorted);
		return -1;
	}
	for (i = 0; i < *n; i++) {
		/* The first place of gids[i] in sorted: it is there. */
		lo = 0;
		hi = *n - 1;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (sorted[mid] < gids[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (seen[lo])
			continue;
		seen[lo] = 1;
		gids[k++] = gids[i];
	}
	free(sorted);
	*n = k;
	return 0;
}

/*
 * getgrnam_r/getgrgid_r with a buffer that grows on ERANGE for as long as
 * memory lasts: a member list has no size limit (a group of every user of
 * a large site is megabytes), so no cap here may refuse a real group.
 * 0, or the lookup's error (ENOMEM when the buffer cannot grow); *buf is
 * the caller's to free either way.
 */
static int gr_get(const char *name, gid_t gid, struct group *gr, char **buf,
		  struct group **res)
{
	size_t len = 16384;
	int r;

	*res = NULL;
	for (;;) {
		char *nbuf = realloc(*buf, len);

		if (!nbuf)
			return ENOMEM;
		*buf = nbuf;
		if (name)
			r = getgrnam_r(name, gr, *buf, len, res);
		else
			r = getgrgid_r(gid, gr, *buf, len, res);
		if (r != ERANGE)
			break;
		if (len > SIZE_MAX / 2)
			return ENOMEM;
		len *= 2;
	}
	if (r)
		*res = NULL;
	return r;
}

/* Numeric: a gid, no entry needed.  Else *gr from the database. */
static enum ident_err gr_resolve(const char *spec, gid_t *gid,
				 struct group *gr, char **buf, int *have_entry)
{
	struct group *res = NULL;
	unsigned int id;
	int r;

	*have_entry = 0;
	if (!spec || !*spec)
		return IDENT_EBADNAME;
	if (ident_is_numeric(spec)) {
		if (ident_parse_id(spec, &id) < 0)
			return IDENT_EBADNUM;
		*gid = (gid_t)id;
		return IDENT_OK;
	}
	r = gr_get(spec, 0, gr, buf, &res);
	if (r == ENOMEM)
		return IDENT_ENOMEM;
	if (r != 0) {
		errno = r;
		return IDENT_ELOOKUP;
	}
	if (!res)
		return IDENT_ENOENT;
	*gid = gr->gr_gid;
	*have_entry = 1;
	return IDENT_OK;
}

enum ident_err ident_group_resolve(const char *spec, gid_t *gid)
{
	struct group gr;
	char *buf = NULL;
	int have;
	enum ident_err e = gr_resolve(spec, gid, &gr, &buf, &have);
	int r;

	free(buf);
	if (e == IDENT_ENOENT && (r = files_hidden_error("group", "/etc/group"))) {
		errno = r;
		return IDENT_ELOOKUP;
	}
	return e;
}

static int is_member(char **mem, const char *user)
{
	for (; mem && *mem; mem++)
		if (strcmp(*mem, user) == 0)
			return 1;
	return 0;
}

/*
 * The group database, read once: every group's name and gid, sorted by
 * name, and the gids of the groups that list user (with the primary gid),
 * sorted.  A name is then a binary search instead of a scan of the
 * database (one getgrnam_r() per name is one scan each with nss_files).
 */
struct grname {
	char *name;
	gid_t gid;
	size_t seq;		/* order in the database: the first one wins */
};

struct ident_groupdb {
	char *user;		/* NULL: names only, no membership */
	gid_t primary;
	struct grname *names;
	size_t nnames, cap;
	gid_t *mine;		/* the user's gids, sorted, each once */
	size_t nmine, mine_cap;
	int merged;		/* getgrouplist()'s answer is in mine */
};

static int grname_cmp(const void *a, const void *b)
{
	const struct grname *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int grname_key_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct grname *)elt)->name);
}

static int mine_add(struct ident_groupdb *db, gid_t g)
{
	if (db->nmine == db->mine_cap) {
		size_t ncap = db->mine_cap ? db->mine_cap * 2 : 16;
		gid_t *n = reallocarray(db->mine, ncap, sizeof(*n));

		if (!n)
			return -1;
		db->mine = n;
		db->mine_cap = ncap;
	}
	db->mine[db->nmine++] = g;
	return 0;
}

static void mine_sort(struct ident_groupdb *db)
{
	size_t i, k = 0;

	if (!db->nmine)
		return;
	if (gid_sort(db->mine, db->nmine) < 0)	/* ENOMEM: the slower way */
		qsort(db->mine, db->nmine, sizeof(*db->mine), gid_cmp);
	for (i = 0; i < db->nmine; i++)
		if (k == 0 || db->mine[k - 1] != db->mine[i])
			db->mine[k++] = db->mine[i];
	db->nmine = k;
}

static int name_add(struct ident_groupdb *db, const struct group *gr)
{
	if (db->nnames == db->cap) {
		size_t ncap = db->cap ? db->cap * 2 : 64;
		struct grname *n = reallocarray(db->names, ncap, sizeof(*n));

		if (!n)
			return -1;
		db->names = n;
		db->cap = ncap;
	}
	db->names[db->nnames].name = strdup(gr->gr_name);
	if (!db->names[db->nnames].name)
		return -1;
	db->names[db->nnames].gid = gr->gr_gid;
	db->names[db->nnames].seq = db->nnames;
	db->nnames++;
	return 0;
}

void ident_groupdb_free(struct ident_groupdb *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < db->nnames; i++)
		free(db->names[i].name);
	free(db->names);
	free(db->mine);
	free(db->user);
	free(db);
}

/*
 * One pass of setgrent()/getgrent_r().  glibc's enumeration hides most
 * errors (an unreadable /etc/group just ends it), so nothing here is
 * taken as proof that a group does not exist: a name not in the table
 * is asked of getgrnam_r(), which does report them (ident_groupdb_find).
 */
static enum ident_err groupdb_read(struct ident_groupdb *db)
{
	struct group gr, *res;
	size_t len = 16384;
	char *buf = malloc(len);
	int r, err = 0;

	if (!buf)
		return IDENT_ENOMEM;
	setgrent();
	for (;;) {
		r = getgrent_r(&gr, buf, len, &res);
		if (r == ERANGE) {
			/* The same entry comes again, with more room. */
			char *nbuf = len <= SIZE_MAX / 2 ?
				     realloc(buf, len * 2) : NULL;

			if (!nbuf) {
				err = ENOMEM;
				break;
			}
			buf = nbuf;
			len *= 2;
			continue;
		}
		if (r == ENOENT || (r == 0 && !res))
			break;
		if (r != 0) {
			err = r;
			break;
		}
		if (!gr.gr_name)
			continue;
		if (name_add(db, &gr) < 0 ||
		    (db->user && gr.gr_gid != db->primary &&
		     is_member(gr.gr_mem, db->user) &&
		     mine_add(db, gr.gr_gid) < 0)) {
			err = ENOMEM;
			break;
		}
	}
	endgrent();
	free(buf);
	if (err == ENOMEM)
		return IDENT_ENOMEM;
	if (err) {
		errno = err;
		return IDENT_ELOOKUP;
	}
	return IDENT_OK;
}

enum ident_err ident_groupdb_load(const char *user, gid_t gid,
				  struct ident_groupdb **out)
{
	struct ident_groupdb *db = calloc(1, sizeof(*db));
	enum ident_err e;
	size_t i, k = 0;
	int r;

	*out = NULL;
	if (!db)
		return IDENT_ENOMEM;
	db->primary = gid;
	if (user && (!(db->user = strdup(user)) || mine_add(db, gid) < 0)) {
		ident_groupdb_free(db);
		return IDENT_ENOMEM;
	}
	e = groupdb_read(db);
	/* Each name the table lacks is "no such group": say if it lies. */
	if (e == IDENT_OK && (r = files_hidden_error("group", "/etc/group"))) {
		errno = r;
		e = IDENT_ELOOKUP;
	}
	if (e != IDENT_OK) {
		ident_groupdb_free(db);
		return e;
	}
	/* Sorted by name; of entries with one name the first is kept. */
	if (db->nnames)
		qsort(db->names, db->nnames, sizeof(*db->names), grname_cmp);
	for (i = 0; i < db->nnames; i++) {
		if (k && strcmp(db->names[k - 1].name, db->names[i].name) == 0) {
			free(db->names[i].name);
			continue;
		}
		db->names[k++] = db->names[i];
	}
	db->nnames = k;
	mine_sort(db);
	*out = db;
	return IDENT_OK;
}

/*
 * The user's groups as getgrouplist() tells them, added to mine, once:
 * for a name service that lists users' groups but does not enumerate
 * (sssd's default), asked only when the table cannot answer.
 */
static enum ident_err groupdb_merge_list(struct ident_groupdb *db)
{
	gid_t *list;
	size_t n, i;
	enum ident_err e;

	if (db->merged || !db->user)
		return IDENT_OK;
	e = ident_user_groups(db->user, db->primary, &list, &n);
	if (e != IDENT_OK)
		return e;
	for (i = 0; i < n; i++) {
		if (mine_add(db, list[i]) < 0) {
			free(list);
			return IDENT_ENOMEM;
		}
	}
	free(list);
	mine_sort(db);
	db->merged = 1;
	return IDENT_OK;
}

enum ident_err ident_groupdb_find(struct ident_groupdb *db, const char *spec,
				  gid_t *gid, int *member)
{
	const struct grname *hit = NULL;
	struct group gr;
	char *buf = NULL;
	int have = 0;
	enum ident_err e;

	*member = 0;
	if (spec && *spec && !ident_is_numeric(spec) && db->nnames)
		hit = bsearch(spec, db->names, db->nnames, sizeof(*db->names),
			      grname_key_cmp);
	if (hit) {
		*gid = hit->gid;
		e = IDENT_OK;
	} else {
		/* Numeric, or not enumerated: ask the name service itself. */
		e = gr_resolve(spec, gid, &gr, &buf, &have);
	}
	if (e != IDENT_OK || !db->user) {
		free(buf);
		return e;
	}
	*member = gid_in_sorted(*gid, db->mine, db->nmine) ||
		  (have && is_member(gr.gr_mem, db->user));
	free(buf);
	if (*member || hit)
		return IDENT_OK;
	e = groupdb_merge_list(db);
	if (e != IDENT_OK)
		return e;
	*member = gid_in_sorted(*gid, db->mine, db->nmine);
	return IDENT_OK;
}

static int all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return len > 0;
}

enum ident_err ident_groups_parse(const char *list, gid_t **gids, size_t *n,
				  char **bad)
{
	struct ident_groupdb *db = NULL;
	size_t count = 1, names = 0, used = 0;
	const char *p, *item;
	gid_t *out;
	enum ident_err e = IDENT_OK;

	*gids = NULL;
	*n = 0;
	*bad = NULL;
	if (!*list)
		return IDENT_OK;
	/* The syntax first: "a,,b" is an empty item, not "no such group a". */
	for (p = list, item = list;; p++) {
		if (*p != ',' && *p != '\0')
			continue;
		if (p == item) {
			*bad = strdup("");
			return *bad ? IDENT_EBADNAME : IDENT_ENOMEM;
		}
		if (!all_digits(item, (size_t)(p - item)))
			names++;
		if (*p == '\0')
			break;
		count++;
		item = p + 1;
	}
	out = reallocarray(NULL, count, sizeof(*out));
	if (!out)
		return IDENT_ENOMEM;
	for (p = list;; p++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *one = strndup(p, len);
		int member;

		if (!one) {
			e = IDENT_ENOMEM;
			break;
		}
		/* Two names or more: the database once, not a scan each. */
		if (names > 1 && !db && !ident_is_numeric(one))
			e = ident_groupdb_load(NULL, 0, &db);
		if (e == IDENT_OK)
			e = db ? ident_groupdb_find(db, one, &out[used], &member)
			       : ident_group_resolve(one, &out[used]);
		if (e != IDENT_OK) {
			*bad = one;
			break;
		}
		free(one);
		used++;
		if (!comma)
			break;
		p = comma;
	}
	ident_groupdb_free(db);
	/* A group named twice is set once, at its first place. */
	if (e == IDENT_OK && ident_gids_dedup(out, &used) < 0)
		e = IDENT_ENOMEM;
	if (e != IDENT_OK) {
		free(out);
		return e;
	}
	*gids = out;
	*n = used;
	return IDENT_OK;
}

/*
 * The kernel's limit on supplementary groups: NGROUPS_MAX of <limits.h>,
 * 65536, the kernel's own constant, which /proc/sys/kernel/ngroups_max
 * shows read-only.  sysconf(_SC_NGROUPS_MAX) would read that file: three
 * system calls on every run for a number that cannot change.
 */
static size_t ngroups_max(void)
{
	return NGROUPS_MAX;
}

#ifndef IDENT_FILES_ONLY
/*
 * getgrouplist() reports no error: a group database it cannot read is
 * just no groups.  The errno it leaves is a hint (nss_files stores its
 * error there), never proof, so on a hint a lookup that does report
 * errors reads the whole database: getgrgid_r() of (gid_t)-1, which no
 * group may have.  The errno values getpwnam(3) lists for "not found"
 * are no hint: nss_systemd leaves ESRCH for a user it does not know, and
 * a second scan on every run would double the cost for nothing.
 */
static int grouplist_error(int hint)
{
	struct group gr, *res;
	char *buf = NULL;
	int r;

	if (!hint || hint == ENOENT || hint == ESRCH || hint == EBADF ||
	    hint == EPERM)
		return 0;
	r = gr_get(NULL, (gid_t)-1, &gr, &buf, &res);
	free(buf);
	return r;
}
#endif

enum ident_err ident_user_groups(const char *name, gid_t gid, gid_t **gids,
				 size_t *n)
{
	size_t max = ngroups_max();
	int ngroups, hint, r;
	gid_t *buf;

	*gids = NULL;
	*n = 0;
	/* Room for one more than the kernel takes: one scan answers all. */
	if (max >= (size_t)INT_MAX)
		max = (size_t)INT_MAX - 1;
	ngroups = (int)max + 1;
	buf = reallocarray(NULL, (size_t)ngroups, sizeof(*buf));
	if (!buf)
		return IDENT_ENOMEM;
	errno = 0;
	r = getgrouplist(name, gid, buf, &ngroups);
	hint = errno;
	if (r < 0 && ngroups <= 0) {
		/* ident_files: a read error, and errno says which. */
		free(buf);
		errno = hint ? hint : EIO;
		return hint == ENOMEM ? IDENT_ENOMEM : IDENT_ELOOKUP;
	}
	if (r < 0 || (size_t)ngroups > max) {
		free(buf);
		*n = (size_t)ngroups;
		return IDENT_ETOOMANY;
	}
#ifndef IDENT_FILES_ONLY
	/* Only the primary group may be all that the list has left. */
	r = grouplist_error(hint);
	if (!r)
		r = files_hidden_error("group", "/etc/group");
	if (r) {
		free(buf);
		errno = r;
		return r == ENOMEM ? IDENT_ENOMEM : IDENT_ELOOKUP;
	}
#endif
	*gids = buf;
	*n = (size_t)ngroups;
	return IDENT_OK;
}

/*
 * Does the kernel's supplementary group list hold exactly gids (as a
 * multiset: setgroups() keeps a repeated gid)?  Both sorted, then one
 * comparison: O(n log n).  The kernel keeps its list sorted, so only
 * the wanted list usually needs sorting.  1 yes, 0 no, -1 error.
 */
static int groups_match(const gid_t *gids, size_t n)
{
	gid_t *now, *want;
	int got, match, sorted;

	/*
	 * One getgroups(2) with room for n + 1: the kernel answers the whole
	 * list, or fails with EINVAL when it holds more than n + 1, which is
	 * no match.  (A separate getgroups(0, NULL) for the count would be a
	 * system call per check, two checks per run.)
	 */
	/*
	 * Room for the answer, and, unless gids is sorted already (capbound
	 * sorts its plan's list), a sorted copy and the sort's scratch.
	 */
	sorted = gid_sorted(gids, n);
	now = reallocarray(NULL, sorted ? n + 1 : 3 * n + 1, sizeof(*now));
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
	if ((size_t)got != n) {
		free(now);
		return 0;
	}
	if (sorted) {
		/* The kernel keeps its list sorted; else sort it apart. */
		if (!gid_sorted(now, n) && gid_sort(now, n) < 0) {
			free(now);
			return -1;
		}
		match = n == 0 || memcmp(now, gids, n * sizeof(*now)) == 0;
		free(now);
		return match;
	}
	want = now + n + 1;
	memcpy(want, gids, n * sizeof(*want));
	/* The scratch space of the sorts: past want. */
	gid_radix(want, want + n, n);
	if (!gid_sorted(now, n))
		gid_radix(now, want + n, n);
	match = memcmp(now, want, n * sizeof(*now)) == 0;
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
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	/* A full buffer may be a cut file: do not guess at the rest.  An
	 * empty one is a map with no lines (unshare -U): nothing mapped. */
	return used < len - 1 ? 0 : -1;
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
 * Is id in this namespace's map?  1 yes, 0 no, -1 the map cannot be
 * read; *all: the map covers every id 0..4294967294 (the initial
 * namespace).  A map line is "first id inside, first id outside, count";
 * at most 340 lines (the kernel's limit), each at most 34 bytes.
 */
static int map_lookup(const struct id_kind *k, unsigned int id, int *all)
{
	char buf[340 * 34 + 2];
	const char *p = buf;
	unsigned long long covered = 0;
	int mapped = 0;

	*all = 0;
	if (read_small(k->map, buf, sizeof(buf)) < 0)
		return -1;
	while (*p) {
		long long inside = next_number(&p);
		long long outside = next_number(&p);
		long long count = next_number(&p);

		if (inside < 0 || outside < 0 || count < 0 || *p != '\n')
			return -1;
		p++;
		if ((unsigned long long)id >= (unsigned long long)inside &&
		    (unsigned long long)id - (unsigned long long)inside <
		    (unsigned long long)count)
			mapped = 1;
		covered += (unsigned long long)count;
	}
	*all = covered >= 4294967295ULL;
	return mapped;
}

int ident_id_mapped(int is_gid, unsigned int id)
{
	int all;

	return map_lookup(is_gid ? &gid_kind : &uid_kind, id, &all);
}

/* 1 if id is believed (see above), 0 if not. */
static int id_believed(const struct id_kind *k, unsigned int id)
{
	char ov[16];
	const char *ovp = ov;
	long long overflow;
	int all;

	if (map_lookup(k, id, &all) != 1)
		return 0;
	/* Every id mapped: nothing can read as the overflow id. */
	if (all)
		return 1;
	if (read_small(k->overflow, ov, sizeof(ov)) < 0)
		return 0;
	overflow = next_number(&ovp);
	return overflow >= 0 && (long long)id != overflow;
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
