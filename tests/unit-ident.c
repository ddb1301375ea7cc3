// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit-ident - the id parsers and the user/group resolvers of ident.c.
 * Needs no privilege; uses only root (0) and nobody/nogroup entries,
 * which every Debian system has.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "ident.h"
#include "tap.h"

static void parse_ok(const char *s, unsigned int want)
{
	unsigned int v = 12345;
	int r;

	errno = 0;
	r = ident_parse_id(s, &v);
	ok(r == 0 && v == want, "ident_parse_id(\"%s\") = %u", s, want);
}

static void parse_bad(const char *s, int want_errno)
{
	unsigned int v = 12345;
	int r;

	errno = 0;
	r = ident_parse_id(s, &v);
	ok(r == -1 && errno == want_errno && v == 12345,
	   "ident_parse_id(\"%s\") fails with %s, output untouched", s,
	   want_errno == ERANGE ? "ERANGE" : "EINVAL");
}

static void numeric(void)
{
	ok(ident_is_numeric("0"), "\"0\" is numeric");
	ok(ident_is_numeric("65534"), "\"65534\" is numeric");
	ok(!ident_is_numeric("0day"), "\"0day\" is a name");
	ok(!ident_is_numeric(""), "\"\" is not numeric");
	ok(!ident_is_numeric(NULL), "NULL is not numeric");
	ok(!ident_is_numeric("-1"), "\"-1\" is not numeric");
	ok(!ident_is_numeric("+1"), "\"+1\" is not numeric");
	ok(!ident_is_numeric(" 12"), "\" 12\" is not numeric");

	parse_ok("0", 0);
	parse_ok("65534", 65534);
	parse_ok("4294967294", 4294967294U);
	parse_ok("007", 7);
	parse_bad("-1", EINVAL);
	parse_bad("4294967295", ERANGE);	/* (uid_t)-1: "unchanged" */
	parse_bad("4294967296", ERANGE);
	parse_bad("99999999999999999999", ERANGE);
	parse_bad("18446744073709551617", ERANGE);	/* 2^64 + 1 wraps */
	parse_bad(" 12", EINVAL);
	parse_bad("12 ", EINVAL);
	parse_bad("12x", EINVAL);
	parse_bad("", EINVAL);
	parse_bad("+1", EINVAL);
	parse_bad("0x10", EINVAL);
}

static void users(void)
{
	struct ident_user u;
	enum ident_err e;

	e = ident_user_resolve("root", &u);
	ok(e == IDENT_OK && u.has_entry && u.uid == 0 && u.gid == 0,
	   "user \"root\": uid 0 gid 0 with an entry");
	is_str(u.name, "root", "user \"root\": name");
	ok(u.home && u.home[0] == '/', "user \"root\": a home directory");
	ok(u.shell != NULL, "user \"root\": a shell");
	ident_user_free(&u);
	ok(u.name == NULL && u.home == NULL && u.shell == NULL &&
	   !u.has_entry, "ident_user_free clears the entry");

	e = ident_user_resolve("0", &u);
	ok(e == IDENT_OK && u.has_entry && u.uid == 0, "user \"0\": uid 0");
	is_str(u.name, "root", "user \"0\": the entry of root");
	ident_user_free(&u);

	e = ident_user_resolve("nobody", &u);
	ok(e == IDENT_OK && u.has_entry && u.uid == getpwnam("nobody")->pw_uid &&
	   u.gid == getpwnam("nobody")->pw_gid, "user \"nobody\" as in passwd");
	ident_user_free(&u);

	e = ident_user_resolve("0day", &u);
	ok(e == IDENT_ENOENT, "user \"0day\" is a name, and there is none");
	ident_user_free(&u);

	e = ident_user_resolve("capbound-no-such-user", &u);
	ok(e == IDENT_ENOENT, "unknown user name: IDENT_ENOENT");
	ident_user_free(&u);

	/* A uid without an entry is fine here; the command wants --group. */
	if (getpwuid(4000000001U)) {
		printf("ok %d # SKIP uid 4000000001 has an entry here\n",
		       ++tap_n);
	} else {
		e = ident_user_resolve("4000000001", &u);
		ok(e == IDENT_OK && !u.has_entry && u.uid == 4000000001U &&
		   u.name == NULL, "numeric uid without entry: OK, has_entry 0");
		ident_user_free(&u);
	}

	ok(ident_user_resolve("4294967295", &u) == IDENT_EBADNUM,
	   "user \"4294967295\": IDENT_EBADNUM");
	ok(ident_user_resolve("99999999999999999999", &u) == IDENT_EBADNUM,
	   "user \"99999999999999999999\": IDENT_EBADNUM");
	/* "-1" is not all digits: a name, which no one has. */
	ok(ident_user_resolve("-1", &u) == IDENT_ENOENT,
	   "user \"-1\": a name, no such user (never uid -1)");
	ok(ident_user_resolve("", &u) == IDENT_EBADNAME,
	   "user \"\": IDENT_EBADNAME");

	/* By name only: an empty or missing name is no lookup at all. */
	ok(ident_user_by_name("", &u) == IDENT_EBADNAME && !u.has_entry,
	   "ident_user_by_name(\"\"): IDENT_EBADNAME, no entry");
	ok(ident_user_by_name(NULL, &u) == IDENT_EBADNAME && !u.has_entry,
	   "ident_user_by_name(NULL): IDENT_EBADNAME, no entry");
	e = ident_user_by_name("0", &u);
	ok(e == IDENT_ENOENT, "ident_user_by_name(\"0\"): a name, never uid 0");
	ident_user_free(&u);

	e = ident_user_by_uid(0, &u);
	ok(e == IDENT_OK && u.has_entry, "ident_user_by_uid(0)");
	is_str(u.name, "root", "ident_user_by_uid(0): root");
	ident_user_free(&u);
}

static void groups(void)
{
	gid_t g = 12345, *list;
	size_t n;
	char *bad;
	enum ident_err e;
	gid_t nogroup = getgrnam("nogroup") ? getgrnam("nogroup")->gr_gid : 65534;

	ok(ident_group_resolve("root", &g) == IDENT_OK && g == 0,
	   "group \"root\": 0");
	ok(ident_group_resolve("0", &g) == IDENT_OK && g == 0, "group \"0\": 0");
	ok(ident_group_resolve("nogroup", &g) == IDENT_OK && g == nogroup,
	   "group \"nogroup\" as in group");
	ok(ident_group_resolve("4000000001", &g) == IDENT_OK &&
	   g == 4000000001U, "numeric gid needs no entry");
	g = 12345;
	ok(ident_group_resolve("capbound-no-such-group", &g) == IDENT_ENOENT &&
	   g == 12345, "unknown group name: IDENT_ENOENT, output untouched");
	ok(ident_group_resolve("0day", &g) == IDENT_ENOENT,
	   "group \"0day\" is a name");
	ok(ident_group_resolve("4294967295", &g) == IDENT_EBADNUM,
	   "group \"4294967295\": IDENT_EBADNUM");
	ok(ident_group_resolve("-1", &g) == IDENT_ENOENT,
	   "group \"-1\": a name, no such group");
	ok(ident_group_resolve("", &g) == IDENT_EBADNAME,
	   "group \"\": IDENT_EBADNAME");

	e = ident_groups_parse("", &list, &n, &bad);
	ok(e == IDENT_OK && n == 0 && bad == NULL, "groups \"\": empty list");
	free(list);

	e = ident_groups_parse("0,nogroup", &list, &n, &bad);
	ok(e == IDENT_OK && n == 2 && list[0] == 0 && list[1] == nogroup,
	   "groups \"0,nogroup\": 0 and nogroup");
	free(list);

	e = ident_groups_parse("0,root,0,nogroup,nogroup", &list, &n, &bad);
	ok(e == IDENT_OK && n == 2 && list[0] == 0 && list[1] == nogroup,
	   "groups with duplicates: each once, in order");
	free(list);

	e = ident_groups_parse("nogroup,5,root,nogroup", &list, &n, &bad);
	ok(e == IDENT_OK && n == 3 && list[0] == nogroup && list[1] == 5 &&
	   list[2] == 0, "groups: several names (one read of the database)");
	free(list);

	e = ident_groups_parse("root,,nogroup", &list, &n, &bad);
	ok(e == IDENT_EBADNAME && list == NULL && n == 0,
	   "groups \"root,,nogroup\": IDENT_EBADNAME");
	is_str(bad, "", "groups \"root,,nogroup\": the bad item is the empty one");
	free(bad);

	e = ident_groups_parse("capbound-nix-a,,capbound-nix-b", &list, &n,
			       &bad);
	ok(e == IDENT_EBADNAME && list == NULL,
	   "groups \"a,,b\": the empty item is found before any lookup");
	is_str(bad, "", "groups \"a,,b\": the bad item is the empty one");
	free(bad);

	e = ident_groups_parse(",root", &list, &n, &bad);
	ok(e == IDENT_EBADNAME, "groups \",root\": leading comma is an error");
	free(bad);

	e = ident_groups_parse(",", &list, &n, &bad);
	ok(e == IDENT_EBADNAME, "groups \",\": an error, not the empty list");
	free(bad);

	e = ident_groups_parse("root,", &list, &n, &bad);
	ok(e == IDENT_EBADNAME, "groups \"root,\": trailing comma is an error");
	free(bad);

	e = ident_groups_parse("root,capbound-no-such-group,0", &list, &n, &bad);
	ok(e == IDENT_ENOENT, "groups with an unknown name: IDENT_ENOENT");
	is_str(bad, "capbound-no-such-group", "... naming the unknown item");
	free(bad);

	e = ident_groups_parse("0,4294967295", &list, &n, &bad);
	ok(e == IDENT_EBADNUM, "groups with 4294967295: IDENT_EBADNUM");
	is_str(bad, "4294967295", "... naming the bad number");
	free(bad);

	e = ident_user_groups("root", 0, &list, &n);
	ok(e == IDENT_OK && n >= 1 && list[0] == 0,
	   "ident_user_groups(root): primary gid first");
	free(list);
}

static void dedup(const char *name, const gid_t *in, size_t n,
		  const gid_t *want, size_t nwant)
{
	gid_t g[16];
	size_t i, k = n;
	int same;

	for (i = 0; i < n; i++)
		g[i] = in[i];
	same = ident_gids_dedup(g, &k) == 0 && k == nwant;
	for (i = 0; same && i < k; i++)
		same = g[i] == want[i];
	ok(same, "%s", name);
}

/*
 * Every name of the group database is found with its gid (the table is
 * searched by name: a wrong sort would lose some), and a name given
 * twice is found as its first entry, as getgrnam(3) answers.
 */
static void every_group(struct ident_groupdb *db)
{
	struct group gr, *res;
	static char buf[65536], buf2[65536];
	char (*names)[64] = NULL;
	size_t n = 0, cap = 0, bad = 0, i;
	gid_t g;
	int member;

	/* The names first: a look-up may disturb the enumeration. */
	setgrent();
	while (getgrent_r(&gr, buf, sizeof(buf), &res) == 0 && res) {
		if (n == cap) {
			char (*more)[64];

			cap = cap ? cap * 2 : 64;
			more = realloc(names, cap * sizeof(*names));
			if (!more)
				break;
			names = more;
		}
		snprintf(names[n++], sizeof(names[0]), "%s", gr.gr_name);
	}
	endgrent();
	for (i = 0; i < n; i++) {
		gid_t want = (gid_t)-1;

		if (getgrnam_r(names[i], &gr, buf2, sizeof(buf2), &res) == 0 &&
		    res)
			want = res->gr_gid;
		if (ident_groupdb_find(db, names[i], &g, &member) != IDENT_OK ||
		    g != want)
			bad++;
	}
	free(names);
	ok(n > 0 && bad == 0, "groupdb: every one of the %zu group names is "
	   "found with its gid (%zu not)", n, bad);
}

static void group_table(void)
{
	static const gid_t a[] = { 5, 3, 5, 1, 3, 3, 9 }, a_want[] = { 5, 3, 1, 9 };
	static const gid_t b[] = { 1, 2, 3 }, c[] = { 7, 7, 7, 7 };
	struct ident_groupdb *db;
	gid_t g = 12345;
	int member = -1;
	enum ident_err e;

	dedup("dedup: each gid once, at its first place", a, 7, a_want, 4);
	dedup("dedup: already increasing: untouched", b, 3, b, 3);
	dedup("dedup: all the same: one", c, 4, c, 1);
	dedup("dedup: empty", b, 0, b, 0);

	e = ident_groupdb_load("root", 0, &db);
	ok(e == IDENT_OK && db, "groupdb: the database read for root");
	if (e != IDENT_OK)
		return;
	ok(ident_groupdb_find(db, "root", &g, &member) == IDENT_OK && g == 0 &&
	   member == 1, "groupdb: root is in group root (primary)");
	ok(ident_groupdb_find(db, "nogroup", &g, &member) == IDENT_OK &&
	   member == 0, "groupdb: root is not in nogroup");
	ok(ident_groupdb_find(db, "0", &g, &member) == IDENT_OK && g == 0 &&
	   member == 1, "groupdb: gid 0 by number");
	ok(ident_groupdb_find(db, "4000000001", &g, &member) == IDENT_OK &&
	   g == 4000000001U && member == 0,
	   "groupdb: a gid without an entry is a gid, not root's");
	ok(ident_groupdb_find(db, "capbound-no-such-group", &g, &member) ==
	   IDENT_ENOENT && member == 0, "groupdb: no such group: IDENT_ENOENT");
	ok(ident_groupdb_find(db, "4294967295", &g, &member) == IDENT_EBADNUM,
	   "groupdb: 4294967295: IDENT_EBADNUM");
	every_group(db);
	ident_groupdb_free(db);

	e = ident_groupdb_load(NULL, 0, &db);
	ok(e == IDENT_OK && ident_groupdb_find(db, "root", &g, &member) ==
	   IDENT_OK && g == 0 && member == 0,
	   "groupdb: without a user, names only");
	ident_groupdb_free(db);
}

/*
 * ident_groups_set() with a list out of order (the command sorts its own
 * first; this is the other path): set, then read back and compared as a
 * set.  Root only: it changes this test process's groups.
 */
static void groups_set_unsorted(void)
{
	const gid_t want[3] = { 100, 5, 50 };
	gid_t now[4];
	int n;

	if (geteuid() != 0) {
		printf("ok %d # SKIP not root\n", ++tap_n);
		printf("ok %d # SKIP not root\n", ++tap_n);
		return;
	}
	ok(ident_groups_set(want, 3) == 0,
	   "ident_groups_set() of 100,5,50 (not sorted): set and read back");
	n = getgroups(4, now);
	ok(n == 3 && now[0] == 5 && now[1] == 50 && now[2] == 100,
	   "  the kernel holds 5,50,100");
}

int main(void)
{
	numeric();
	users();
	groups();
	group_table();
	groups_set_unsorted();
	return tap_done();
}
