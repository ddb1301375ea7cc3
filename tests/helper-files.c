// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/helper-files - the static build's files backend (ident_files.c),
 * linked dynamically so that tests/faultinject.so reaches it, with the
 * databases at "passwd" and "group" in the working directory
 * (tests/91-files-backend.t writes them there).  One call per run; its
 * answer on stdout, one line:
 *
 *   pw NAME|#UID [LEN]     ok NAME:PASSWD:UID:GID:GECOS:DIR:SHELL | none |
 *                          err ERRNO (with " res" if *res was left set)
 *   gr NAME|#GID [LEN]     ok NAME:PASSWD:GID:M1,M2 | none | err ERRNO [res]
 *   list USER GID N        rc=RC n=NGROUPS G1,G2,... (errno=E when rc < 0
 *                          and n = 0)
 *   ent [LEN]              every entry of an enumeration, one per line as
 *                          gr prints it, "erange" where an entry did not fit
 *                          (the buffer then doubles), then "end ERRNO"
 *   restart                two entries, setgrent(), one entry: its name
 *   fds                    open descriptors before an enumeration of two
 *                          entries and after endgrent(), a getgrouplist of
 *                          alice and a look-up of root in each file: "A B"
 *   tail USER GID N        getgrouplist into N slots filled with a marker:
 *                          "intact" if the slot after the groups given is
 *                          still the marker, else "overwritten"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident_files.h"

static size_t len_arg(int argc, char **argv, int i)
{
	return argc > i ? strtoul(argv[i], NULL, 10) : 4096;
}

static void print_group(const struct group *gr)
{
	char **m;

	printf("ok %s:%s:%u:", gr->gr_name, gr->gr_passwd, (unsigned)gr->gr_gid);
	for (m = gr->gr_mem; *m; m++)
		printf("%s%s", m == gr->gr_mem ? "" : ",", *m);
	printf("\n");
}

static int answer(int err, const void *res, const void *want)
{
	if (err) {
		printf("err %d%s\n", err, res ? " res" : "");
		return 0;
	}
	if (!res) {
		printf("none\n");
		return 0;
	}
	return res == want;
}

static int do_pw(int argc, char **argv)
{
	size_t len = len_arg(argc, argv, 3);
	char *buf = malloc(len ? len : 1);
	struct passwd pw, *res = NULL;
	int err;

	if (!buf)
		return 2;
	if (argv[2][0] == '#')
		err = files_getpwuid_r((uid_t)strtoul(argv[2] + 1, NULL, 10),
				       &pw, buf, len, &res);
	else
		err = files_getpwnam_r(argv[2], &pw, buf, len, &res);
	if (answer(err, res, &pw))
		printf("ok %s:%s:%u:%u:%s:%s:%s\n", pw.pw_name, pw.pw_passwd,
		       (unsigned)pw.pw_uid, (unsigned)pw.pw_gid, pw.pw_gecos,
		       pw.pw_dir, pw.pw_shell);
	free(buf);
	return 0;
}

static int do_gr(int argc, char **argv)
{
	size_t len = len_arg(argc, argv, 3);
	char *buf = malloc(len ? len : 1);
	struct group gr, *res = NULL;
	int err;

	if (!buf)
		return 2;
	if (argv[2][0] == '#')
		err = files_getgrgid_r((gid_t)strtoul(argv[2] + 1, NULL, 10),
				       &gr, buf, len, &res);
	else
		err = files_getgrnam_r(argv[2], &gr, buf, len, &res);
	if (answer(err, res, &gr))
		print_group(&gr);
	free(buf);
	return 0;
}

static int do_list(char **argv)
{
	int n = (int)strtol(argv[4], NULL, 10), rc, i;
	gid_t *g = calloc((size_t)(n > 0 ? n : 1), sizeof(*g));

	if (!g)
		return 2;
	errno = 0;
	rc = files_getgrouplist(argv[2], (gid_t)strtoul(argv[3], NULL, 10), g,
				&n);
	printf("rc=%d n=%d ", rc, n);
	for (i = 0; rc >= 0 && i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned)g[i]);
	if (rc < 0 && n == 0)
		printf("errno=%d", errno);
	printf("\n");
	free(g);
	return 0;
}

static int do_ent(int argc, char **argv)
{
	size_t len = len_arg(argc, argv, 2);
	char *buf = malloc(len);
	struct group gr, *res;
	int err;

	if (!buf)
		return 2;
	files_setgrent();
	for (;;) {
		err = files_getgrent_r(&gr, buf, len, &res);
		if (err == ERANGE) {
			char *more = realloc(buf, len * 2);

			printf("erange\n");
			if (!more)
				break;
			buf = more;
			len *= 2;
			continue;
		}
		if (err)
			break;
		print_group(res);
	}
	printf("end %d\n", err);
	files_endgrent();
	free(buf);
	return 0;
}

static int one_entry(char *buf, size_t len, const char **name)
{
	static struct group gr;
	struct group *res;
	int err = files_getgrent_r(&gr, buf, len, &res);

	*name = err ? "?" : res->gr_name;
	return err;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own */
}

int main(int argc, char **argv)
{
	char buf[4096];
	const char *name;
	int before;

	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "pw") == 0 && argc >= 3)
		return do_pw(argc, argv);
	if (strcmp(argv[1], "gr") == 0 && argc >= 3)
		return do_gr(argc, argv);
	if (strcmp(argv[1], "list") == 0 && argc >= 5)
		return do_list(argv);
	if (strcmp(argv[1], "ent") == 0)
		return do_ent(argc, argv);
	if (strcmp(argv[1], "restart") == 0) {
		files_setgrent();
		(void)one_entry(buf, sizeof(buf), &name);
		(void)one_entry(buf, sizeof(buf), &name);
		files_setgrent();
		(void)one_entry(buf, sizeof(buf), &name);
		printf("%s\n", name);
		files_endgrent();
		return 0;
	}
	if (strcmp(argv[1], "fds") == 0) {
		before = count_fds();
		files_setgrent();
		(void)one_entry(buf, sizeof(buf), &name);
		(void)one_entry(buf, sizeof(buf), &name);
		files_endgrent();
		{
			gid_t g[8];
			int n = 8;
			struct passwd pw, *pr;
			struct group gr, *grr;

			(void)files_getgrouplist("alice", 5, g, &n);
			(void)files_getpwnam_r("root", &pw, buf, sizeof(buf), &pr);
			(void)files_getgrnam_r("root", &gr, buf, sizeof(buf), &grr);
		}
		printf("%d %d\n", before, count_fds());
		return 0;
	}
	if (strcmp(argv[1], "tail") == 0 && argc >= 5) {
		int n = (int)strtol(argv[4], NULL, 10), rc, i;
		gid_t *g = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof(*g));

		if (!g)
			return 2;
		for (i = 0; i <= n; i++)
			g[i] = (gid_t)0xdeadbeef;
		rc = files_getgrouplist(argv[2], (gid_t)strtoul(argv[3], NULL, 10),
					g, &n);
		printf("%s\n", rc >= 0 && g[rc] != (gid_t)0xdeadbeef ?
		       "overwritten" : "intact");
		free(g);
		return 0;
	}
	return 2;
}
