// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor [-d] [-u USER] [-G GID,GID...] -- CMD [ARG]... - the least any
 * launcher must do for the same job, for `make bench` to measure
 * capbound against:
 *
 *   -d       drop the whole bounding set (PR_CAPBSET_DROP, 0 up to the
 *            last capability the kernel has, found by PR_CAPBSET_READ);
 *   -u USER  getpwnam_r, getgrouplist (room for NGROUPS_MAX + 1: one
 *            scan), setgroups, setresgid, setresuid;
 *   -G LIST  setgroups of a list of numeric gids instead of the user's;
 *
 * then execv(CMD).  No read-back, no checks beyond each call's result, no
 * messages beyond the failing call's name: nothing capbound could leave
 * out and still be correct is left in.  Built dynamic (tools/floor) and
 * static (tools/floor-static, with ident_files.c's readers of
 * /etc/passwd and /etc/group, as capbound-static), each the floor of the
 * capbound built the same way.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifdef IDENT_FILES_ONLY
#include "ident_files.h"
#endif

static void fail(const char *what)
{
	perror(what);
	exit(125);
}

static void drop_all(void)
{
	int cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			fail("prctl(PR_CAPBSET_DROP)");
}

static size_t parse_list(char *list, gid_t *out)
{
	char *save = NULL, *w;
	size_t n = 0;

	for (w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save))
		out[n++] = (gid_t)strtoul(w, NULL, 10);
	return n;
}

int main(int argc, char **argv)
{
	long max = sysconf(_SC_NGROUPS_MAX);
	struct passwd pw, *res = NULL;
	char pwbuf[16384], *user = NULL, *list = NULL;
	gid_t *groups;
	int opt, drop = 0, ngroups;

	while ((opt = getopt(argc, argv, "+du:G:")) != -1) {
		if (opt == 'd')
			drop = 1;
		else if (opt == 'u')
			user = optarg;
		else if (opt == 'G')
			list = optarg;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: floor [-d] [-u USER] [-G LIST] -- CMD...\n");
		return 2;
	}
	if (max <= 0)
		max = 65536;
	groups = malloc(((size_t)max + 1) * sizeof(*groups));
	if (!groups)
		fail("malloc");
	if (drop)
		drop_all();
	if (list && setgroups(parse_list(list, groups), groups) < 0)
		fail("setgroups");
	if (user) {
		if (getpwnam_r(user, &pw, pwbuf, sizeof(pwbuf), &res) != 0 || !res)
			fail("getpwnam_r");
		ngroups = (int)max + 1;
		if (getgrouplist(user, pw.pw_gid, groups, &ngroups) < 0)
			fail("getgrouplist");
		if (setgroups((size_t)ngroups, groups) < 0)
			fail("setgroups");
		if (setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) < 0)
			fail("setresgid");
		if (setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) < 0)
			fail("setresuid");
	}
	execv(argv[optind], argv + optind);
	fail("execv");
	return 125;
}
