// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ident_files.c - getpwnam_r & co. from /etc/passwd and /etc/group only,
 * for the static build; see ident_files.h for why.
 *
 * Each call reads the file afresh, line by line, as nss_files does, and
 * parses the line as nss_files would: a line that does not have the
 * right number of fields or a valid number where one belongs is skipped.
 * glibc's fgetpwent_r() would parse the same, but asks the kernel for the
 * file position before every line (one lseek(2) per entry); this is the
 * same work without those calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "ident_files.h"

/* A strict id: digits only, 0..4294967294 ((uid_t)-1 is never an id). */
static int id_field(const char *s, unsigned int *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v >= 4294967295ULL)
			return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

/* Split line at ':' into exactly n fields (in place); -1 otherwise. */
static int fields(char *line, char **f, int n)
{
	int i = 0;

	f[i++] = line;
	for (; *line; line++) {
		if (*line != ':')
			continue;
		if (i == n)
			return -1;
		*line = '\0';
		f[i++] = line + 1;
	}
	return i == n ? 0 : -1;
}

/* The next line of f without its newline, or NULL at the end / on error. */
static char *next_line(FILE *f, char **line, size_t *cap, int *err)
{
	for (;;) {
		ssize_t n;

		errno = 0;
		n = getline(line, cap, f);
		if (n < 0) {
			*err = errno;	/* 0 at the end of the file */
			return NULL;
		}
		if (n > 0 && (*line)[n - 1] == '\n')
			(*line)[--n] = '\0';
		/* Blank lines and comments, as nss_files skips them. */
		if (n == 0 || (*line)[0] == '#')
			continue;
		return *line;
	}
}

/*
 * Does line's first field equal name?  A look-up by name tests this
 * before it splits and checks the line: a database of 100k lines is one
 * compare per line, not a parse of each.  A line skipped here would be
 * skipped below for its name anyway, valid or not.
 */
static int name_field_is(const char *line, const char *name, size_t len)
{
	return strncmp(line, name, len) == 0 && line[len] == ':';
}

/* Copy s into the caller's buffer; NULL when it is full (ERANGE). */
static char *put(char **buf, size_t *left, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = *buf;

	if (n > *left)
		return NULL;
	memcpy(p, s, n);
	*buf += n;
	*left -= n;
	return p;
}

static FILE *db_open(const char *path, int *err)
{
	FILE *f = fopen(path, "re");

	*err = 0;
	/* No file is no entry, as nss_files answers; other errors are errors. */
	if (!f && errno != ENOENT)
		*err = errno;
	return f;
}

static int pw_find(const char *name, uid_t uid, struct passwd *pw, char *buf,
		   size_t len, struct passwd **res)
{
	char *line = NULL, *f[7];
	size_t cap = 0, nlen = name ? strlen(name) : 0;
	unsigned int u, g;
	int err;
	FILE *fp;

	*res = NULL;
	fp = db_open(IDENT_PASSWD_FILE, &err);
	if (!fp)
		return err;
	while (next_line(fp, &line, &cap, &err)) {
		if (name && !name_field_is(line, name, nlen))
			continue;
		if (fields(line, f, 7) < 0 || !*f[0] ||
		    id_field(f[2], &u) < 0 || id_field(f[3], &g) < 0)
			continue;
		if (name ? strcmp(f[0], name) != 0 : u != uid)
			continue;
		pw->pw_uid = u;
		pw->pw_gid = g;
		if (!(pw->pw_name = put(&buf, &len, f[0])) ||
		    !(pw->pw_passwd = put(&buf, &len, f[1])) ||
		    !(pw->pw_gecos = put(&buf, &len, f[4])) ||
		    !(pw->pw_dir = put(&buf, &len, f[5])) ||
		    !(pw->pw_shell = put(&buf, &len, f[6]))) {
			err = ERANGE;
			break;
		}
		*res = pw;
		break;
	}
	free(line);
	(void)fclose(fp);	/* read only: nothing to lose */
	if (err)
		*res = NULL;
	return err;
}

int files_getpwnam_r(const char *name, struct passwd *pw, char *buf,
		     size_t len, struct passwd **res)
{
	return pw_find(name, 0, pw, buf, len, res);
}

int files_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
		     struct passwd **res)
{
	return pw_find(NULL, uid, pw, buf, len, res);
}

/* Is user in the comma list of members (modified in place)? */
static int is_member(char *members, const char *user)
{
	char *save = NULL, *m;

	for (m = strtok_r(members, ",", &save); m; m = strtok_r(NULL, ",", &save))
		if (strcmp(m, user) == 0)
			return 1;
	return 0;
}

/*
 * The member list "a,b,c" into gr_mem: the pointers first (aligned), then
 * the names, all in the caller's buffer.  -1 when it does not fit.
 */
static int put_members(char **buf, size_t *left, char *members, char ***mem)
{
	size_t n = 1, i = 0, pad;
	char *p, *save = NULL, *m;
	char **v;

	for (p = members; *p; p++)
		n += *p == ',';
	pad = (sizeof(char *) - (uintptr_t)*buf % sizeof(char *)) %
	      sizeof(char *);
	if (*left < pad || (*left - pad) / sizeof(char *) < n + 1)
		return -1;
	v = (char **)(void *)(*buf + pad);
	*buf += pad + (n + 1) * sizeof(char *);
	*left -= pad + (n + 1) * sizeof(char *);
	for (m = strtok_r(members, ",", &save); m; m = strtok_r(NULL, ",", &save))
		if (!(v[i++] = put(buf, left, m)))
			return -1;
	v[i] = NULL;
	*mem = v;
	return 0;
}

/* One group line into *gr (members too); ERANGE when buf is too small. */
static int gr_fill(char **f, unsigned int g, struct group *gr, char *buf,
		   size_t len)
{
	gr->gr_gid = g;
	if (!(gr->gr_name = put(&buf, &len, f[0])) ||
	    !(gr->gr_passwd = put(&buf, &len, f[1])) ||
	    put_members(&buf, &len, f[3], &gr->gr_mem) < 0)
		return ERANGE;
	return 0;
}

/* The first group line named name (name NULL: with gid gid). */
static int gr_find(const char *name, gid_t gid, struct group *gr, char *buf,
		   size_t len, struct group **res)
{
	char *line = NULL, *f[4];
	size_t cap = 0, nlen = name ? strlen(name) : 0;
	unsigned int g;
	int err;
	FILE *fp;

	*res = NULL;
	fp = db_open(IDENT_GROUP_FILE, &err);
	if (!fp)
		return err;
	while (next_line(fp, &line, &cap, &err)) {
		if (name && !name_field_is(line, name, nlen))
			continue;
		if (fields(line, f, 4) < 0 || id_field(f[2], &g) < 0 ||
		    (name ? strcmp(f[0], name) != 0 : g != gid))
			continue;
		err = gr_fill(f, g, gr, buf, len);
		if (!err)
			*res = gr;
		break;
	}
	free(line);
	(void)fclose(fp);
	if (err)
		*res = NULL;
	return err;
}

int files_getgrnam_r(const char *name, struct group *gr, char *buf,
		     size_t len, struct group **res)
{
	return gr_find(name, 0, gr, buf, len, res);
}

int files_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len,
		     struct group **res)
{
	return gr_find(NULL, gid, gr, buf, len, res);
}

/*
 * Enumeration.  Unlike glibc's, a read error is returned, not taken for
 * the end.  A line that does not fit the caller's buffer is read again
 * at the next call (ERANGE), as glibc does.
 */
static FILE *grent_fp;
static char *grent_line;
static size_t grent_cap;
static int grent_pending;	/* grent_line holds a line not yet given */

void files_setgrent(void)
{
	files_endgrent();
}

void files_endgrent(void)
{
	if (grent_fp)
		(void)fclose(grent_fp);
	grent_fp = NULL;
	free(grent_line);
	grent_line = NULL;
	grent_cap = 0;
	grent_pending = 0;
}

int files_getgrent_r(struct group *gr, char *buf, size_t len,
		     struct group **res)
{
	char *f[4], *copy;
	unsigned int g;
	int err = 0;

	*res = NULL;
	if (!grent_fp) {
		grent_fp = db_open(IDENT_GROUP_FILE, &err);
		if (!grent_fp)
			return err ? err : ENOENT;
	}
	for (;;) {
		if (!grent_pending &&
		    !next_line(grent_fp, &grent_line, &grent_cap, &err))
			return err ? err : ENOENT;
		grent_pending = 0;
		/* fields() cuts the line: keep it whole for an ERANGE retry. */
		copy = strdup(grent_line);
		if (!copy)
			return ENOMEM;
		if (fields(copy, f, 4) < 0 || id_field(f[2], &g) < 0) {
			free(copy);
			continue;
		}
		err = gr_fill(f, g, gr, buf, len);
		free(copy);
		if (err == ERANGE) {
			grent_pending = 1;
			return err;
		}
		*res = gr;
		return 0;
	}
}

/*
 * As getgrouplist(3): group first, then every group that lists user as
 * a member, each gid once (ident_gids_dedup: O(n log n)).  When they do
 * not fit: -1 and *ngroups = the number needed.  A read error: -1, errno
 * set, *ngroups = 0 (so a caller that grows its buffer cannot loop on it).
 */
int files_getgrouplist(const char *user, gid_t group, gid_t *groups,
		       int *ngroups)
{
	char *line = NULL, *f[4];
	size_t cap = 0, n = 0, room = 16, i;
	unsigned int g;
	int err;
	gid_t *all;
	FILE *fp;

	all = malloc(room * sizeof(*all));
	if (!all) {
		/* As for a read error: a caller that grows its buffer on -1
		 * must not take the size it passed for the size needed. */
		*ngroups = 0;
		errno = ENOMEM;
		return -1;
	}
	all[n++] = group;
	fp = db_open(IDENT_GROUP_FILE, &err);
	while (fp && next_line(fp, &line, &cap, &err)) {
		/* A line without user's name anywhere cannot list him. */
		if (!strstr(line, user))
			continue;
		if (fields(line, f, 4) < 0 || id_field(f[2], &g) < 0 ||
		    !is_member(f[3], user))
			continue;
		if (n == room) {
			gid_t *more = reallocarray(all, room * 2, sizeof(*all));

			if (!more) {
				err = ENOMEM;
				break;
			}
			all = more;
			room *= 2;
		}
		all[n++] = (gid_t)g;
	}
	free(line);
	if (fp)
		(void)fclose(fp);
	if (!err && ident_gids_dedup(all, &n) < 0)
		err = ENOMEM;
	if (!err && n > (size_t)INT_MAX)
		err = E2BIG;
	if (err) {
		free(all);
		*ngroups = 0;
		errno = err;
		return -1;
	}
	for (i = 0; i < n && i < (size_t)*ngroups; i++)
		groups[i] = all[i];
	free(all);
	if (n > (size_t)*ngroups) {
		*ngroups = (int)n;
		return -1;
	}
	*ngroups = (int)n;
	return (int)n;
}
