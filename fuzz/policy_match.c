// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/policy_match.c - which rule of a policy file applies to a user
 * (policy_match()) and the bounding set that results (policy_bound()).
 * The input is a policy file; the users and the group database are a
 * fixed fake world below: ident_groupdb_load(), _find() and _free()
 * are replaced at link time (-Wl,--wrap, see the Makefile) so that no
 * name reaches NSS, and so that lookup failures can be fuzzed too.
 * policy_match() must agree with a reference of policy.h's rule: the
 * first rule naming the user (name, or all digits: uid), one of the
 * user's groups (primary or supplementary) or "*" wins; a group that
 * does not exist matches nobody, and the first such rule reached is
 * reported; a failed lookup fails the match.
 */
#include <errno.h>
#include <stdint.h>

#include "fuzz.h"
#include "caps.h"
#include "ident.h"
#include "policy.h"

static const struct {
	const char *name;
	gid_t gid;
	enum ident_err err;		/* the lookup fails so */
} fake_groups[] = {
	{ "root", 0, IDENT_OK },
	{ "wheel", 10, IDENT_OK },
	{ "audio", 29, IDENT_OK },
	{ "staff", 50, IDENT_OK },
	{ "users", 100, IDENT_OK },
	{ "alice", 1000, IDENT_OK },
	{ "nssdown", 0, IDENT_ELOOKUP },
	{ "nomem", 0, IDENT_ENOMEM },
};

static const struct fake_user {
	const char *name;
	uid_t uid;
	gid_t gid;
	gid_t groups[4];		/* primary first, as ident.h says */
	size_t ngroups;
	enum ident_err groups_err;	/* ident_user_groups() fails so */
} fake_users[] = {
	{ "alice", 1000, 1000, { 1000, 10, 50 }, 3, IDENT_OK },
	{ "root", 0, 0, { 0 }, 1, IDENT_OK },
	{ "bob", 1001, 100, { 100 }, 1, IDENT_ELOOKUP },  /* NSS down */
	{ "12", 4294967294U, 29, { 29, 50 }, 2, IDENT_OK }, /* a digit name */
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The names --wrap gives them: reserved, but the linker's to choose. */
// NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
enum ident_err __wrap_ident_groupdb_load(const char *user, gid_t gid,
					 struct ident_groupdb **db);
enum ident_err __wrap_ident_groupdb_find(struct ident_groupdb *db,
					 const char *spec, gid_t *gid,
					 int *member);
void __wrap_ident_groupdb_free(struct ident_groupdb *db);

/* The "database" is the fake user's entry itself. */
enum ident_err __wrap_ident_groupdb_load(const char *user, gid_t gid,
					 struct ident_groupdb **db)
{
	size_t i;

	*db = NULL;
	for (i = 0; i < NELEM(fake_users); i++) {
		const struct fake_user *u = &fake_users[i];

		if (strcmp(u->name, user) != 0)
			continue;
		FUZZ_CHECK(gid == u->gid);
		if (u->groups_err != IDENT_OK) {
			errno = EIO;
			return u->groups_err;
		}
		*db = (struct ident_groupdb *)(uintptr_t)u;
		return IDENT_OK;
	}
	FUZZ_CHECK(!"policy_match() asked for the groups of a stranger");
	return IDENT_ENOENT;
}

static int fake_member(const struct fake_user *u, gid_t g)
{
	size_t k;

	for (k = 0; k < u->ngroups; k++)
		if (u->groups[k] == g)
			return 1;
	return g == u->gid;
}

enum ident_err __wrap_ident_groupdb_find(struct ident_groupdb *db,
					 const char *spec, gid_t *gid,
					 int *member)
{
	const struct fake_user *u = (const struct fake_user *)(void *)db;
	unsigned int id;
	size_t i;

	FUZZ_CHECK(u != NULL);
	*member = 0;
	if (ident_is_numeric(spec)) {
		if (ident_parse_id(spec, &id) < 0)
			return IDENT_EBADNUM;
		*gid = (gid_t)id;
		*member = fake_member(u, *gid);
		return IDENT_OK;
	}
	for (i = 0; i < NELEM(fake_groups); i++) {
		if (strcmp(fake_groups[i].name, spec) != 0)
			continue;
		if (fake_groups[i].err == IDENT_ELOOKUP)
			errno = EIO;
		if (fake_groups[i].err == IDENT_OK) {
			*gid = fake_groups[i].gid;
			*member = fake_member(u, *gid);
		}
		return fake_groups[i].err;
	}
	return IDENT_ENOENT;
}

void __wrap_ident_groupdb_free(struct ident_groupdb *db)
{
	(void)db;
}
// NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)

/* Reference: the index of the rule that applies, -1 for none. */
static int reference(const struct policy *pol, const struct fake_user *u,
		     int *fail_line, int *fail_err, int *nogroup_line)
{
	size_t i, k;
	int groups_read = 0;

	*fail_line = 0;
	*nogroup_line = 0;
	for (i = 0; i < pol->n; i++) {
		const struct policy_rule *r = &pol->rules[i];
		unsigned long long v = 0;
		const char *c;
		gid_t g = 0;
		int known = 0;

		switch (r->who) {
		case POLICY_ANY:
			return (int)i;
		case POLICY_USER:
			if (r->name[strspn(r->name, "0123456789")] != '\0') {
				if (strcmp(r->name, u->name) == 0)
					return (int)i;
				break;
			}
			for (c = r->name; *c && v < 4294967295ULL; c++)
				v = v * 10 + (unsigned long long)(*c - '0');
			if (v < 4294967295ULL && v == u->uid)
				return (int)i;
			break;
		case POLICY_GROUP:
			/* The user's groups are read at the first @group. */
			if (!groups_read && u->groups_err != IDENT_OK) {
				*fail_line = r->line;
				*fail_err = EIO;
				return -1;
			}
			groups_read = 1;
			if (r->name[strspn(r->name, "0123456789")] == '\0') {
				for (c = r->name; *c && v < 4294967295ULL; c++)
					v = v * 10 +
					    (unsigned long long)(*c - '0');
				known = v < 4294967295ULL;
				g = (gid_t)v;
			}
			for (k = 0; !known && k < NELEM(fake_groups); k++) {
				if (strcmp(fake_groups[k].name, r->name) != 0)
					continue;
				if (fake_groups[k].err != IDENT_OK) {
					*fail_line = r->line;
					*fail_err = fake_groups[k].err ==
						IDENT_ENOMEM ? ENOMEM : EIO;
					return -1;
				}
				known = 1;
				g = fake_groups[k].gid;
			}
			if (!known) {
				/* Named no group: the first is reported. */
				if (!*nogroup_line &&
				    r->name[strspn(r->name, "0123456789")])
					*nogroup_line = r->line;
				break;
			}
			if (g == u->gid)
				return (int)i;
			for (k = 0; k < u->ngroups; k++)
				if (u->groups[k] == g)
					return (int)i;
			break;
		}
	}
	return -1;
}

/* What *rule holds before the call: policy_match() must overwrite it. */
static const struct policy_rule poison;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy pol;
	struct policy_error pe;
	size_t i;

	if (policy_parse_buf((const char *)data, size, 40, &pol, &pe) < 0)
		return 0;
	for (i = 0; i < NELEM(fake_users); i++) {
		const struct fake_user *u = &fake_users[i];
		const struct policy_rule *rule = &poison;
		capmask_t cur, bound;
		int want, fail_line, fail_err = 0, nogroup_line, r;

		memset(&pe, 0x55, sizeof(pe));
		r = policy_match(&pol, u->name, u->uid, u->gid, &rule, &pe);
		want = reference(&pol, u, &fail_line, &fail_err,
				 &nogroup_line);
		if (fail_line) {
			FUZZ_CHECK(r == -1);
			FUZZ_CHECK(pe.line == fail_line);
			FUZZ_CHECK(pe.err == fail_err);
			FUZZ_CHECK(memchr(pe.why, '\0', sizeof(pe.why)) != NULL);
			continue;
		}
		FUZZ_CHECK(r == 0);
		/* An @group naming no group is reported, the first one. */
		FUZZ_CHECK(nogroup_line ? pe.line == nogroup_line && pe.why[0]
					: pe.why[0] == '\0');
		FUZZ_CHECK(want < 0 ? rule == NULL : rule == &pol.rules[want]);

		/* (cur & keep) - drop - extra: never more than cur. */
		cur = caps_kernel_mask(40) ^ (capmask_t)(size * 0x9e3779b97f4a7c15ULL);
		bound = policy_bound(rule, CAPS_BIT(i), cur);
		FUZZ_CHECK((bound & ~cur) == 0);
		FUZZ_CHECK((bound & CAPS_BIT(i)) == 0);
		if (rule) {
			FUZZ_CHECK((bound & rule->drop) == 0);
			FUZZ_CHECK(!rule->have_keep || (bound & ~rule->keep) == 0);
			FUZZ_CHECK((cur & ~rule->drop & ~CAPS_BIT(i) &
				    (rule->have_keep ? rule->keep : ~0ULL)) ==
				   bound);
		} else {
			FUZZ_CHECK(bound == (cur & ~CAPS_BIT(i)));
		}
	}
	policy_free(&pol);
	return 0;
}
