// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pam_capbound.c - drop capabilities from the bounding set of a login
 * session, per user, from /etc/security/capbound.conf and, with the gecos
 * argument, the cap_drop= property of the user's GECOS field.
 *
 * The drop lands in the thread that calls PAM (su, login, sshd's session
 * process) and in everything it starts afterwards: the bounding set only
 * ever shrinks, so not even a set-user-ID-root program run later in the
 * session gets those capabilities back.
 *
 * Fails closed: a bad argument, a policy file that is not root's or that
 * others may write, a parse error on any line, an unknown capability, a
 * failed name-service lookup or a failed drop make the session
 * (PAM_SYSTEM_ERR: sudo takes PAM_SESSION_ERR for "go on without a
 * session"), the credential call (PAM_CRED_ERR) or, in the auth stack,
 * the authentication (PAM_SYSTEM_ERR) fail, with an authpriv syslog line
 * saying why.  A caller that cannot bound itself and gives nothing away
 * by that (no CAP_SETPCAP, running as the PAM user: a screen locker) is
 * ignored, with a log line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/capability.h>

#define PAM_SM_AUTH
#define PAM_SM_SESSION
#include <security/pam_modules.h>
#include <security/pam_ext.h>

#include "caps.h"
#include "escape.h"
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

/* Which entry point is asking: what it may do, and its failure code. */
enum entry {
	ENTRY_SESSION,		/* open_session: apply */
	ENTRY_SETCRED,		/* setcred ESTABLISH/REINITIALIZE: apply */
	ENTRY_AUTH,		/* authenticate: check only, never grant */
};

/*
 * Every client refuses PAM_SYSTEM_ERR (sshd runs nothing, login, su,
 * runuser and cron end, sudo stops), unlike PAM_SESSION_ERR, which sudo
 * 1.9 takes for "go on without a session" on purpose.  sudo ignores
 * pam_setcred() whatever it returns, and libpam discards setcred's
 * result after pam_authenticate(): hence the check in authenticate.
 */
static int fail_code(enum entry entry)
{
	return entry == ENTRY_SETCRED ? PAM_CRED_ERR : PAM_SYSTEM_ERR;
}

/*
 * pam_syslog with every control character escaped: user names, GECOS
 * items and policy text reach these lines, and a newline in them must
 * not forge a second line.
 */
__attribute__((format(printf, 3, 4)))
static void mlog(pam_handle_t *pamh, int prio, const char *fmt, ...)
{
	char raw[1024], safe[4 * sizeof(raw)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_escape(raw, safe, sizeof(safe));
	pam_syslog(pamh, prio, "%s", safe);
}

/*
 * Unknown arguments fail: a misspelt "conf=" must not fall back quietly.
 * A relative conf= would be looked up from the client's working directory.
 */
static int args_parse(pam_handle_t *pamh, int argc, const char **argv,
		      struct args *a)
{
	int i;

	a->conf = POLICY_DEFAULT_PATH;
	a->gecos = 0;
	a->debug = 0;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "conf=", 5) == 0 && argv[i][5] == '/') {
			a->conf = argv[i] + 5;
		} else if (strncmp(argv[i], "conf=", 5) == 0) {
			mlog(pamh, LOG_ERR, "argument \"%s\": the policy file "
			     "must be an absolute path: failing closed",
			     argv[i]);
			return -1;
		} else if (strcmp(argv[i], "gecos") == 0) {
			a->gecos = 1;
		} else if (strcmp(argv[i], "debug") == 0) {
			a->debug = 1;
		} else {
			mlog(pamh, LOG_ERR, "unknown argument \"%s\" (known: "
			     "conf=PATH, gecos, debug): failing closed",
			     argv[i]);
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
	mlog(pamh, LOG_ERR, "user %s: %s%s%s%s: %s: failing closed", user,
	     f->call, f->cap >= 0 ? "(" : "", f->cap >= 0 ? name : "",
	     f->cap >= 0 ? ")" : "",
	     f->err ? strerror(f->err) : "unexpected result");
}

/*
 * Raise CAP_SETPCAP to effective and drop; whatever happens, give the
 * effective set back as the client had it (it did not ask for a larger
 * one).  Failing to give it back is a failure too.
 */
static int bounding_drop(capmask_t drop, const struct caps_state *cur,
			 struct caps_fail *f)
{
	struct caps_state now;
	struct caps_fail f2;
	int r;

	if (!drop)
		return 0;
	if (caps_effective_raise(CAP_SETPCAP, f) < 0)
		return -1;
	r = caps_bounding_drop(drop, cur->bnd, f);
	if (cur->eff & CAPS_BIT(CAP_SETPCAP))
		return r;
	if (caps_state_read_syscalls(&now, -1, &f2) < 0) {
		if (r == 0)
			*f = f2;
		return -1;
	}
	if (caps_set(now.eff & ~CAPS_BIT(CAP_SETPCAP), now.prm, now.inh,
		     &f2) < 0) {
		if (r == 0) {
			*f = f2;
			f->call = "capset (lowering cap_setpcap from the "
				  "effective set again)";
		}
		return -1;
	}
	return r;
}

/*
 * The kernel's view must be the plan, and the client's effective set as
 * it had it (cap_setpcap lowered again).
 */
static int readback_check(capmask_t bound, const struct caps_state *cur,
			  int last_cap, struct caps_fail *f)
{
	struct caps_state now;

	if (caps_state_read(&now, last_cap, f) < 0)
		return -1;
	if (now.bnd != bound || (now.inh & ~bound) || (now.amb & ~bound) ||
	    (now.eff & ~cur->eff & CAPS_BIT(CAP_SETPCAP))) {
		f->call = "read-back of the bounding, inheritable, ambient "
			  "and effective sets";
		f->cap = -1;
		f->err = 0;
		return -1;
	}
	if (caps_bounding_verify(bound, last_cap, f) < 0)
		return -1;
	return 0;
}

/*
 * A caller without CAP_SETPCAP whose ids all are the PAM user's own (a
 * screen locker checking its user's password) cannot bound itself, and
 * holds nothing the user does not have: failing it would lock people out
 * and protect nothing.  Any other caller without the privilege to drop
 * still fails closed (a root sshd in a container without cap_setpcap).
 */
static int caller_is_user(const struct caps_state *cur, uid_t uid)
{
	uid_t r, e, s;

	if (cur->prm & CAPS_BIT(CAP_SETPCAP))
		return 0;
	if (getresuid(&r, &e, &s) < 0)
		return 0;
	return r == uid && e == uid && s == uid;
}

/* Everything the module needs to act, read and checked. */
struct plan {
	struct args a;
	const char *user;
	struct ident_user u;
	struct policy pol;
	const struct policy_rule *rule;
	capmask_t gecos_drop;
	int gecos_found;
	int last_cap;
	struct caps_state cur;		/* the calling thread's, now */
	capmask_t bound;		/* the bounding set wanted */
};

/*
 * Step 1 for every entry point: parse, look up, read, plan.  PAM_SUCCESS
 * with a plan to apply; PAM_IGNORE (nothing to do here); or the code to
 * fail with, the reason logged.
 */
static int plan_make(pam_handle_t *pamh, int argc, const char **argv,
		     enum entry entry, struct plan *p)
{
	struct policy_error pe;
	struct caps_fail f;
	enum ident_err ie;
	char buf[CAPS_FORMAT_MAX];
	int r;

	if (args_parse(pamh, argc, argv, &p->a) < 0)
		return fail_code(entry);
	r = pam_get_user(pamh, &p->user, NULL);
	if (r != PAM_SUCCESS) {
		/* A conversation that failed is not an unknown user. */
		mlog(pamh, LOG_ERR, "cannot get the user name: %s: failing "
		     "closed", pam_strerror(pamh, r));
		return fail_code(entry);
	}
	if (!p->user || !*p->user) {
		mlog(pamh, LOG_ERR, "empty user name");
		return PAM_USER_UNKNOWN;
	}
	ie = ident_user_by_name(p->user, &p->u);
	if (ie == IDENT_ENOENT) {
		mlog(pamh, LOG_ERR, "user %s: no such user", p->user);
		return PAM_USER_UNKNOWN;
	}
	if (ie != IDENT_OK) {
		if (ie == IDENT_ENOMEM)
			errno = ENOMEM;
		mlog(pamh, LOG_ERR, "user %s: passwd lookup failed: %s: "
		     "failing closed", p->user, strerror(errno));
		return fail_code(entry);
	}
	p->last_cap = caps_last_cap();
	if (p->last_cap < 0) {
		mlog(pamh, LOG_ERR, "cannot tell the running kernel's last "
		     "capability: failing closed");
		return fail_code(entry);
	}
	if (caps_state_read(&p->cur, p->last_cap, &f) < 0) {
		log_caps_fail(pamh, p->user, &f);
		return fail_code(entry);
	}
	/* Before the policy file: a 0600 one is unreadable to this caller. */
	if (caller_is_user(&p->cur, p->u.uid)) {
		mlog(pamh, LOG_NOTICE, "user %s: the caller runs as the user "
		     "without cap_setpcap and cannot bound itself: ignored",
		     p->user);
		return PAM_IGNORE;
	}
	if (policy_load(p->a.conf, p->last_cap, &p->pol, &pe) < 0) {
		if (pe.line)
			mlog(pamh, LOG_ERR, "%s:%d: %s: failing closed",
			     p->a.conf, pe.line, pe.why);
		else
			mlog(pamh, LOG_ERR, "%s: %s: failing closed",
			     p->a.conf, pe.why);
		return fail_code(entry);
	}
	if (p->a.gecos && policy_gecos_drop(p->u.gecos, p->last_cap,
					    &p->gecos_drop, &p->gecos_found,
					    &pe) < 0) {
		mlog(pamh, LOG_ERR, "user %s: %s: failing closed", p->user,
		     pe.why);
		return fail_code(entry);
	}
	if (policy_match(&p->pol, p->u.name, p->u.uid, p->u.gid, &p->rule,
			 &pe) < 0) {
		/* Whose login it is: the rule is not his alone. */
		mlog(pamh, LOG_ERR, "user %s: %s:%d: %s: failing closed",
		     p->user, p->a.conf, pe.line, pe.why);
		return fail_code(entry);
	}
	if (pe.why[0])	/* an @group that names no group */
		mlog(pamh, LOG_ERR, "%s:%d: %s", p->a.conf, pe.line, pe.why);
	if (!p->rule && !p->gecos_found) {
		if (p->a.debug)
			mlog(pamh, LOG_DEBUG, "user %s: no rule in %s matches",
			     p->user, p->a.conf);
		return PAM_IGNORE;
	}
	if (p->a.debug && p->rule)
		mlog(pamh, LOG_DEBUG, "user %s: %s:%d matches", p->user,
		     p->a.conf, p->rule->line);
	if (p->a.debug && p->gecos_found)
		mlog(pamh, LOG_DEBUG, "user %s: GECOS cap_drop=%s", p->user,
		     names(p->gecos_drop, buf, sizeof(buf)));
	p->bound = policy_bound(p->rule, p->gecos_drop, p->cur.bnd);
	if ((p->cur.bnd & ~p->bound) &&
	    !(p->cur.prm & CAPS_BIT(CAP_SETPCAP))) {
		mlog(pamh, LOG_ERR, "user %s: cap_setpcap is needed to drop "
		     "%s, and the caller does not have it: failing closed",
		     p->user, names(p->cur.bnd & ~p->bound, buf, sizeof(buf)));
		return fail_code(entry);
	}
	return PAM_SUCCESS;
}

/* Steps 2, 3 and 7 of capbound(1), on the calling thread. */
static int plan_apply(pam_handle_t *pamh, const struct plan *p,
		      enum entry entry)
{
	struct caps_fail f;
	char buf[CAPS_FORMAT_MAX];
	capmask_t drop = p->cur.bnd & ~p->bound;

	if (bounding_drop(drop, &p->cur, &f) < 0 ||
	    caps_inh_amb_limit(p->bound, &p->cur, &f) < 0 ||
	    readback_check(p->bound, &p->cur, p->last_cap, &f) < 0) {
		log_caps_fail(pamh, p->user, &f);
		return fail_code(entry);
	}
	if (drop)
		mlog(pamh, LOG_INFO, "user %s: dropped %s", p->user,
		     names(drop, buf, sizeof(buf)));
	else if (p->a.debug)
		mlog(pamh, LOG_DEBUG, "user %s: nothing left to drop",
		     p->user);
	return PAM_SUCCESS;
}

static int policy_apply(pam_handle_t *pamh, int argc, const char **argv,
			enum entry entry)
{
	struct plan p;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = plan_make(pamh, argc, argv, entry, &p);
	if (rc == PAM_SUCCESS)
		rc = entry == ENTRY_AUTH ? PAM_IGNORE :
		     plan_apply(pamh, &p, entry);
	policy_free(&p.pol);
	ident_user_free(&p.u);
	return rc;
}

PAM_ENTRY int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
			const char **argv)
{
	(void)flags;
	return policy_apply(pamh, argc, argv, ENTRY_SESSION);
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
		return policy_apply(pamh, argc, argv, ENTRY_SETCRED);
	return PAM_IGNORE;
}

/*
 * In the auth stack for setcred.  libpam runs setcred along the chain
 * that authentication took and discards its result after
 * pam_authenticate(), so everything setcred will need is checked here,
 * and any error fails the authentication.  It never grants it: a clean
 * check is PAM_IGNORE, so "auth sufficient pam_unix.so" followed by this
 * module lets nobody in who failed pam_unix.
 */
PAM_ENTRY int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
			const char **argv)
{
	(void)flags;
	return policy_apply(pamh, argc, argv, ENTRY_AUTH);
}
