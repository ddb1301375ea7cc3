/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policy.h - the per-user policy of pam_capbound: /etc/security/capbound.conf
 * and the GECOS cap_drop= property.  Shared by the PAM module and by
 * "capbound --check-config", so both judge a file the same way.
 *
 * Same rules as caps.h: 0 or -1, nothing printed, no exit; a failure is
 * described by struct policy_error (a line number, when it is about one,
 * and a reason), which each caller words for its own log.
 */
#ifndef CAPBOUND_POLICY_H
#define CAPBOUND_POLICY_H

#include <stddef.h>
#include <sys/types.h>

#include "caps.h"

#define POLICY_DEFAULT_PATH	"/etc/security/capbound.conf"

enum policy_who {
	POLICY_USER,		/* a user name (all digits: a uid) */
	POLICY_GROUP,		/* @group: primary or supplementary */
	POLICY_ANY,		/* * */
};

struct policy_rule {
	int line;
	enum policy_who who;
	char *name;		/* user or group, without "@"; NULL for "*" */
	int have_drop, have_keep;
	capmask_t drop, keep;
};

struct policy {
	struct policy_rule *rules;
	size_t n;
};

struct policy_error {
	int line;		/* 0: about the whole file, not one line */
	int err;		/* errno of a failed call, or 0 */
	char why[320];
};

/*
 * Open path (O_NOFOLLOW), check that it is a regular file owned by root
 * and writable by nobody else (fstat on the opened descriptor, so what is
 * checked is what is read), and parse all of it.  Any error, on any line,
 * fails the whole file: there is no partial policy.
 */
int policy_load(const char *path, int last_cap, struct policy *pol,
		struct policy_error *e);

/* Parse a policy held in memory (no ownership check): tests, fuzzing. */
int policy_parse_buf(const char *buf, size_t len, int last_cap,
		     struct policy *pol, struct policy_error *e);

void policy_free(struct policy *pol);

/*
 * The first rule that matches the user (name, uid, primary gid, and the
 * groups that list the user), or NULL in *rule.  The cost is the rules
 * plus one read of the group database, at the first @group rule reached
 * (ident_groupdb_load), whatever the number of @group rules.  A failed
 * lookup is -1.  An @group naming no group matches nobody; then, on
 * success, e->why says so for the first such rule reached (e->line is
 * its line): a misspelt name, or a name service that lost the group and
 * reported no error, which the caller should log at error level.  On
 * success e->why is otherwise empty.
 */
int policy_match(const struct policy *pol, const char *name, uid_t uid,
		 gid_t gid, const struct policy_rule **rule,
		 struct policy_error *e);

/*
 * Is rule for a user or group given as digits that are no id (above
 * 4294967294, as --user and --group refuse them)?  policy_match() lets
 * such a rule match nobody; --check-config warns about it.
 */
int policy_rule_no_id(const struct policy_rule *rule);

/*
 * The cap_drop= property of a GECOS field.  GECOS is itself a comma list
 * ("Full Name,Room,Work phone,Home phone,Other"), so the property is the
 * sub-field that starts with "cap_drop=" and runs to the end of GECOS:
 * "Alice,,,,cap_drop=net_raw,sys_ptrace" drops net_raw and sys_ptrace.
 * *found is 0 when there is no such property.  "cap_drop" anywhere else
 * in GECOS, or a bad list, is an error: a typo must not fail open.
 */
int policy_gecos_drop(const char *gecos, int last_cap, capmask_t *drop,
		      int *found, struct policy_error *e);

/* The resulting bounding set: (cur & keep) - drop - extra_drop. */
capmask_t policy_bound(const struct policy_rule *rule, capmask_t extra_drop,
		       capmask_t cur);

#endif
