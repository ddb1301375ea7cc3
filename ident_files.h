/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ident_files.h - users and groups from /etc/passwd and /etc/group only,
 * for the static build (make static: ident.c compiled with
 * -DIDENT_FILES_ONLY).
 *
 * Why: glibc's name service switch cannot be linked statically.  A
 * static binary still dlopen()s libnss_*.so of the very glibc version it
 * was linked with, at run time: in a minimal container image (FROM
 * scratch, distroless, busybox) those are missing or of another version,
 * and a lookup then fails or, worse, half works.  Container images keep
 * their users in the two files, so the static capbound reads exactly
 * those, with glibc's own file parsers (fgetpwent_r, fgetgrent_r, the
 * parsers nss_files uses), and never loads a module.  Users that only
 * LDAP, sssd or systemd's dynamic users know are "no such user" there:
 * use the dynamic build for those.
 *
 * Same signatures and return conventions as the glibc calls they stand
 * in for, so ident.c does not change.
 */
#ifndef CAPBOUND_IDENT_FILES_H
#define CAPBOUND_IDENT_FILES_H

#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef IDENT_PASSWD_FILE
#define IDENT_PASSWD_FILE	"/etc/passwd"
#endif
#ifndef IDENT_GROUP_FILE
#define IDENT_GROUP_FILE	"/etc/group"
#endif

int files_getpwnam_r(const char *name, struct passwd *pw, char *buf,
		     size_t len, struct passwd **res);
int files_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
		     struct passwd **res);
int files_getgrnam_r(const char *name, struct group *gr, char *buf,
		     size_t len, struct group **res);
int files_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len,
		     struct group **res);
int files_getgrouplist(const char *user, gid_t group, gid_t *groups,
		       int *ngroups);
void files_setgrent(void);
void files_endgrent(void);
int files_getgrent_r(struct group *gr, char *buf, size_t len,
		     struct group **res);

#ifdef IDENT_FILES_ONLY
#define getpwnam_r	files_getpwnam_r
#define getpwuid_r	files_getpwuid_r
#define getgrnam_r	files_getgrnam_r
#define getgrgid_r	files_getgrgid_r
#define getgrouplist	files_getgrouplist
#define setgrent	files_setgrent
#define endgrent	files_endgrent
#define getgrent_r	files_getgrent_r
#endif

#endif
