// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pam_capbound.c - drop capabilities from the bounding set of a login
 * session, per user, from /etc/security/capbound.conf and, with the gecos
 * argument, the cap_drop= property of the user's GECOS field.
 *
 * The drop lands in the process that calls PAM (su, login, sshd's session
 * process) and in everything it starts afterwards: the bounding set only
 * ever shrinks, so not even a set-user-ID-root program run later in the
 * session gets those capabilities back.
 *
 * Fails closed: a bad argument, a policy file that is not root's or that
 * others may write, a parse error on any line, an unknown capability or
 * a failed drop make the session (PAM_SESSION_ERR) or credential call
 * (PAM_CRED_ERR) fail, with an authpriv syslog line saying why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <linux/capability.h>

#define PAM_SM_AUTH
#define PAM_SM_SESSION
#include <security/pam_modules.h>
#include <security/pam_ext.h>

#include "caps.h"
#include "ident.h"
#include "policy.h"

/*
 * Everything is compiled with -fvisibility=hidden; the PAM entry points
 * are the module's only exports (pam_capbound.map says the same).
 */
#define PAM_ENTRY __attribute__((visibility("default")))

struct args {
	const char *conf;
	int gecos;
	int debug;
};

/* Unknown arguments fail: a misspelt "conf=" must not fall back quietly. */
static int args_parse(pam_handle_t *pamh, int argc, const char **argv,
		      struct args *a)
{
	int i;

	a->conf = POLICY_DEFAULT_PATH;
	a->gecos = 0;
	a->debug = 0;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "conf=", 5) == 0 && argv[i][5]) {
			a->conf = argv[i] + 5;
		} else if (strcmp(argv[i], "gecos") == 0) {
			a->gecos = 1;
		} else if (strcmp(argv[i], "debug") == 0) {
			a->debug = 1;
		} else {
			pam_syslog(pamh, LOG_ERR, "unknown argument \"%s\" "
				   "(known: conf=PATH, gecos, debug): failing "
				   "closed", argv[i]);
			return -1;
		}
	}
	return 0;
}

static const char *names(capmask_t set, char *buf, size_t len)
{
	if (caps_format(set, buf, len) < 0)
		return "?";
	return buf[0] ? buf : "(none)";
}

static void log_caps_fail(pam_handle_t *pamh, const char *user,
			  const struct caps_fail *f)
{
	char name[CAPS_NAME_MAX];

	if (f->cap >= 0)
		caps_name(f->cap, name);
	pam_syslog(pamh, LOG_ERR, "user %s: %s%s%s%s: %s: failing closed",
		   user, f->call, f->cap >= 0 ? "(" : "",
		   f->cap >= 0 ? name : "", f->cap >= 0 ? ")" : "",
		   f->err ? strerror(f->err) : "unexpected result");
}

/* Raise CAP_SETPCAP to effective and drop; restore effective after. */
static int bounding_drop(capmask_t drop, const struct caps_state *cur,
			 struct caps_fail *f)
{
	struct caps_state now;

	if (!drop)
		return 0;
	if (caps_effective_raise(CAP_SETPCAP, f) < 0)
		return -1;
	if (caps_bounding_drop(drop, cur->bnd, f) < 0)
		return -1;
	/* The PAM client did not ask for a larger effective set: give it back. */
	if (!(cur->eff & CAPS_BIT(CAP_SETPCAP))) {
		if (caps_state_read_syscalls(&now, -1, f) < 0)
			return -1;
		if (caps_set(now.eff & ~CAPS_BIT(CAP_SETPCAP), now.prm,
			     now.inh, f) < 0)
			return -1;
	}
	return 0;
}

/* The kernel's view must be the plan. */
static int readback_check(capmask_t bound, int last_cap, struct caps_fail *f)
{
	struct caps_state now;

	if (caps_state_read(&now, last_cap, f) < 0)
		return -1;
	if (now.bnd != bound || (now.inh & ~bound) || (now.amb & ~bound)) {
		f->call = "read-back of the bounding, inheritable and "
			  "ambient sets";
		f->cap = -1;
		f->err = 0;
		return -1;
	}
	return 0;
}

static int policy_apply(pam_handle_t *pamh, int argc, const char **argv,
			int fail_code)
{
	struct args a;
	struct ident_user u;
	struct policy pol = { NULL, 0 };
	struct policy_error pe;
	const struct policy_rule *rule = NULL;
	struct caps_state cur;
	struct caps_fail f;
	capmask_t gecos_drop = 0, bound;
	const char *user = NULL;
	int last_cap, gecos_found = 0, rc = fail_code;
	enum ident_err ie;
	char buf[CAPS_FORMAT_MAX];

	if (args_parse(pamh, argc, argv, &a) < 0)
		return fail_code;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user || !*user) {
		pam_syslog(pamh, LOG_ERR, "cannot get the user name");
		return PAM_USER_UNKNOWN;
	}
	ie = ident_user_by_name(user, &u);
	if (ie == IDENT_ENOENT) {
		pam_syslog(pamh, LOG_ERR, "user %s: no such user", user);
		return PAM_USER_UNKNOWN;
	}
	if (ie != IDENT_OK) {
		pam_syslog(pamh, LOG_ERR, "user %s: passwd lookup failed: %s: "
			   "failing closed", user, strerror(errno));
		return fail_code;
	}
	last_cap = caps_last_cap();
	if (last_cap < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot tell the running kernel's "
			   "last capability: failing closed");
		goto out;
	}
	if (policy_load(a.conf, last_cap, &pol, &pe) < 0) {
		if (pe.line)
			pam_syslog(pamh, LOG_ERR, "%s:%d: %s: failing closed",
				   a.conf, pe.line, pe.why);
		else
			pam_syslog(pamh, LOG_ERR, "%s: %s: failing closed",
				   a.conf, pe.why);
		goto out;
	}
	if (a.gecos && policy_gecos_drop(u.gecos, last_cap, &gecos_drop,
					 &gecos_found, &pe) < 0) {
		pam_syslog(pamh, LOG_ERR, "user %s: %s: failing closed", user,
			   pe.why);
		goto out;
	}
	if (policy_match(&pol, u.name, u.uid, u.gid, &rule, &pe) < 0) {
		pam_syslog(pamh, LOG_ERR, "%s:%d: %s: failing closed", a.conf,
			   pe.line, pe.why);
		goto out;
	}
	if (pe.why[0])	/* an @group that names no group */
		pam_syslog(pamh, LOG_ERR, "%s:%d: %s", a.conf, pe.line, pe.why);
	if (!rule && !gecos_found) {
		if (a.debug)
			pam_syslog(pamh, LOG_DEBUG, "user %s: no rule in %s "
				   "matches", user, a.conf);
		rc = PAM_IGNORE;
		goto out;
	}
	if (a.debug && rule)
		pam_syslog(pamh, LOG_DEBUG, "user %s: %s:%d matches", user,
			   a.conf, rule->line);
	if (a.debug && gecos_found)
		pam_syslog(pamh, LOG_DEBUG, "user %s: GECOS cap_drop=%s", user,
			   names(gecos_drop, buf, sizeof(buf)));

	if (caps_state_read(&cur, last_cap, &f) < 0) {
		log_caps_fail(pamh, user, &f);
		goto out;
	}
	bound = policy_bound(rule, gecos_drop, cur.bnd);
	if (bounding_drop(cur.bnd & ~bound, &cur, &f) < 0 ||
	    caps_inh_amb_limit(bound, &cur, &f) < 0 ||
	    readback_check(bound, last_cap, &f) < 0) {
		log_caps_fail(pamh, user, &f);
		goto out;
	}
	if (cur.bnd & ~bound)
		pam_syslog(pamh, LOG_INFO, "user %s: dropped %s", user,
			   names(cur.bnd & ~bound, buf, sizeof(buf)));
	else if (a.debug)
		pam_syslog(pamh, LOG_DEBUG, "user %s: nothing left to drop",
			   user);
	rc = PAM_SUCCESS;
out:
	policy_free(&pol);
	ident_user_free(&u);
	return rc;
}

PAM_ENTRY int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
			const char **argv)
{
	(void)flags;
	return policy_apply(pamh, argc, argv, PAM_SESSION_ERR);
}

/* The bounding set cannot grow again: there is nothing to undo. */
PAM_ENTRY int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
			 const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

/*
 * For PAM clients that start the user's processes before (or without)
 * opening a session, the auth stack's setcred applies the same policy.
 * Deleting or refreshing credentials has nothing to do with the bounding
 * set: this module has no say there.
 */
PAM_ENTRY int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	if (flags & (PAM_ESTABLISH_CRED | PAM_REINITIALIZE_CRED))
		return policy_apply(pamh, argc, argv, PAM_CRED_ERR);
	return PAM_IGNORE;
}

/* In the auth stack only for setcred: it never decides who gets in. */
PAM_ENTRY int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
			const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_IGNORE;
}
