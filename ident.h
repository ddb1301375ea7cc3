/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ident.h - users, groups and the switch of ids, for capbound.
 *
 * Same rules as caps.h: 0 or -1 with errno, nothing printed, no exit.
 */
#ifndef CAPBOUND_IDENT_H
#define CAPBOUND_IDENT_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A uid or gid written as digits only: 0..4294967294.  "-1", " 12",
 * "12x", "4294967295" (that is (uid_t)-1, "unchanged" to the kernel) and
 * anything longer fail with EINVAL or ERANGE.
 */
int ident_parse_id(const char *s, unsigned int *out);

/* Is s all digits (and so a number, never a name)? */
int ident_is_numeric(const char *s);

/* Why a resolve failed; errno carries a lookup error for IDENT_ELOOKUP. */
enum ident_err {
	IDENT_OK = 0,
	IDENT_EBADNUM,		/* all digits, but not a valid id */
	IDENT_ENOENT,		/* no such user / group */
	IDENT_ELOOKUP,		/* the database lookup itself failed */
	IDENT_ENOMEM,
	IDENT_EBADNAME,		/* empty, or an empty item in a list */
	IDENT_ETOOMANY,		/* more groups than the kernel takes */
};

struct ident_user {
	uid_t uid;
	gid_t gid;		/* primary group, when has_entry */
	int has_entry;		/* found in the passwd database */
	char *name, *home, *shell;	/* malloc'd copies, or NULL */
	char *gecos;			/* malloc'd copy, or NULL */
};

/* USER: a name, or all digits = a uid (with or without an entry). */
enum ident_err ident_user_resolve(const char *spec, struct ident_user *u);
void ident_user_free(struct ident_user *u);

/* The passwd entry of a uid, if any (for the shell and environment). */
enum ident_err ident_user_by_uid(uid_t uid, struct ident_user *u);

/*
 * The passwd entry of a user name, taken as a name even when it is all
 * digits (a PAM user name is never a uid).
 */
enum ident_err ident_user_by_name(const char *name, struct ident_user *u);

/* GROUP: a name, or all digits = a gid (no entry needed). */
enum ident_err ident_group_resolve(const char *spec, gid_t *gid);

/*
 * A comma list of groups; "" is the empty list.  On failure *bad gets
 * the offending item (malloc'd; the caller frees).
 */
enum ident_err ident_groups_parse(const char *list, gid_t **gids, size_t *n,
				  char **bad);

/*
 * The user's groups from the group database, primary gid first, each
 * once: getgrouplist(), with room for all the kernel takes, so one scan
 * of the database answers.  A lookup error that can be seen is
 * IDENT_ELOOKUP with errno (getgrouplist() reports none itself: see
 * ident.c); more than NGROUPS_MAX groups is IDENT_ETOOMANY, with *n the
 * number the user is in.
 */
enum ident_err ident_user_groups(const char *name, gid_t gid, gid_t **gids,
				 size_t *n);

/*
 * Many group names against one user: the group database enumerated once
 * into a sorted table, so that each name is a binary search, not a scan
 * of the database.  user NULL: names to gids only.  A name not in the
 * table is asked of getgrnam_r(), which reports errors (IDENT_ELOOKUP),
 * so a database that could not be read whole never makes a group vanish
 * silently; IDENT_ENOENT is "no such group".  *member: the gid is the
 * user's primary group or one that lists the user.  All digits is a gid,
 * as for ident_group_resolve().
 */
struct ident_groupdb;
enum ident_err ident_groupdb_load(const char *user, gid_t gid,
				  struct ident_groupdb **out);
enum ident_err ident_groupdb_find(struct ident_groupdb *db, const char *spec,
				  gid_t *gid, int *member);
void ident_groupdb_free(struct ident_groupdb *db);

/* Each gid once, at its first place (in place); -1 ENOMEM. O(n log n). */
int ident_gids_dedup(gid_t *gids, size_t *n);

/*
 * Each switch is followed by a read-back; a mismatch fails with EPERM.
 * Ids that already are the target are left alone, so that switching to
 * oneself needs no privilege (an entrypoint run as root or as the user).
 */
int ident_groups_set(const gid_t *gids, size_t n);

/*
 * Sort gids in increasing order in place, O(n) (the kernel keeps them so:
 * the read-back then compares without a copy).  -1 (ENOMEM) on failure.
 */
int ident_gids_sort(gid_t *g, size_t n);

/* Do a and b hold the same gids, as sets?  1 yes, 0 no, -1 (ENOMEM). */
int ident_gids_same_set(const gid_t *a, size_t na, const gid_t *b,
			size_t nb);
int ident_gid_set(gid_t gid);
int ident_uid_set(uid_t uid);

/*
 * After leaving uid 0: 0 if setresuid(0, 0, 0) is refused, as it must be;
 * -1 (errno EPERM) if uid 0 came back.
 */
int ident_uid0_unreachable(void);

/*
 * Is id (a gid when is_gid) in this user namespace's /proc/self/uid_map
 * or gid_map?  1 yes, 0 no, -1 the map cannot be read.  An unmapped id
 * can never be switched to, and reads back as the overflow id.
 */
int ident_id_mapped(int is_gid, unsigned int id);

#endif
