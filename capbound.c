// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capbound - remove capabilities from the bounding set, optionally switch
 * uid/gid/groups (keeping chosen capabilities through the ambient set),
 * then exec a command, which inherits the reduced set for good.
 *
 * main() reads like the man page: parse and plan everything first, then
 * take the steps in one fixed order, each checked, each failing closed:
 * on any error the command is never run and the exit status is 125.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/securebits.h>

#include <popt.h>
#include <sys/capability.h>

#include "caps.h"
#include "ident.h"
#include "policy.h"
#include "trace.h"

#ifndef CAPBOUND_VERSION
#define CAPBOUND_VERSION "unknown"
#endif

#define EXIT_FAIL	125	/* capbound itself failed */
#define EXIT_CANNOT_RUN	126	/* COMMAND found but could not be run */
#define EXIT_NOT_FOUND	127	/* COMMAND not found */

#define PATH_ROOT	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define PATH_USER	"/usr/local/bin:/usr/bin:/bin"

static int quiet;
static int verbose;

/* ---- messages: "capbound: WHAT: WHY" on stderr ------------------------ */

__attribute__((format(printf, 3, 0)))
static void vmsg(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	fprintf(stderr, "capbound: %s", prefix);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

/* Fail with errno's text; the command is never run. */
__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg("", e, fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL); /* fail safe */
}

/* Fail where errno means nothing (a lookup that found no entry, usage). */
__attribute__((noreturn, format(printf, 1, 2)))
static void diex(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL); /* fail safe */
}

__attribute__((format(printf, 1, 2)))
static void warnx_(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", 0, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 1, 2)))
static void step_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
}

/* --verbose: one line per step; the arguments (names()) cost nothing
 * unless asked for. */
#define step(...) do { if (verbose) step_print(__VA_ARGS__); } while (0)

/* A capability set as names, in a static buffer per slot. */
static const char *names(capmask_t set, int slot)
{
	static char buf[4][CAPS_FORMAT_MAX];

	if (caps_format(set, buf[slot & 3], sizeof(buf[0])) < 0)
		return "?";
	return buf[slot & 3][0] ? buf[slot & 3] : "(none)";
}

static const char *capname(int cap)
{
	static char buf[CAPS_NAME_MAX];

	caps_name(cap, buf);
	return buf;
}

/* A failed capability call: name the call and the capability. */
__attribute__((noreturn))
static void die_caps(const struct caps_fail *f)
{
	errno = f->err;
	if (f->cap >= 0)
		die("%s, %s", f->call, capname(f->cap));
	die("%s", f->call);
}

/* A failed capset(2): say which sets it was setting, and to what. */
__attribute__((noreturn))
static void die_capset(const struct caps_fail *f, const char *what,
		       capmask_t set)
{
	errno = f->err;
	die("%s (%s %s)", f->call, what, names(set, 3));
}

/* ---- options ------------------------------------------------------------ */

struct opts {
	capmask_t drop, keep, ambient;
	int have_drop, have_keep;
	const char *user, *group, *groups;
	int have_groups;
	unsigned long securebits;
	int have_securebits;
	int reset_env, no_new_privs, new_session, dry_run;
	int print, json, list;
	const char *decode;
	const char *check_config;	/* the policy file, with have_check_config */
	int have_check_config;
	int trace;			/* --trace[=FILE] */
	const char *trace_file;		/* NULL: stderr */
	char **command;			/* NULL: start a shell */
};

enum {
	OPT_DROP = 1, OPT_KEEP, OPT_AMBIENT, OPT_USER, OPT_GROUP, OPT_GROUPS,
	OPT_RESET_ENV, OPT_NNP, OPT_SECUREBITS, OPT_NEW_SESSION, OPT_DRY_RUN,
	OPT_VERBOSE, OPT_QUIET, OPT_PRINT, OPT_JSON, OPT_LIST, OPT_DECODE,
	OPT_HELP, OPT_VERSION, OPT_CHECK_CONFIG, OPT_TRACE,
};

/* The names --securebits takes, from caps.c. */
#define securebit_names caps_securebits
#define NSECUREBITS caps_nsecurebits

static void usage(FILE *out)
{
	fputs(
"Usage: capbound [OPTION]... [--] [COMMAND [ARG]...]\n"
"       capbound --print [--json] | --list | --decode=MASK\n"
"Remove capabilities from the bounding set, optionally switch user and\n"
"groups, then exec COMMAND (default: the target user's shell).\n"
"\n"
"  -d, --drop=CAPS         remove CAPS from the bounding set (repeatable)\n"
"  -k, --keep=CAPS         keep only CAPS in the bounding set (repeatable)\n"
"  -a, --ambient=CAPS      raise CAPS in the inheritable and ambient sets, so\n"
"                          COMMAND holds them, also as a non-root --user\n"
"  -u, --user=USER         switch real, effective and saved uid to USER\n"
"  -g, --group=GROUP       switch real, effective and saved gid to GROUP\n"
"  -G, --groups=LIST       supplementary groups (\"\" clears them)\n"
"      --reset-env         clean environment: TERM, a safe PATH, HOME, USER,\n"
"                          LOGNAME and SHELL of the target user\n"
"      --no-new-privs      set no_new_privs before exec\n"
"      --securebits=LIST   set securebits: noroot, noroot-locked,\n"
"                          no-setuid-fixup, no-setuid-fixup-locked,\n"
"                          keep-caps-locked, no-cap-ambient-raise,\n"
"                          no-cap-ambient-raise-locked\n"
"      --new-session       leave the caller's terminal session (setsid)\n"
"  -n, --dry-run           print the plan, change nothing\n"
"  -v, --verbose           one line on stderr per step taken\n"
"  -q, --quiet             no warnings\n"
"      --print             this process's ids and capability sets\n"
"      --json              with --print: JSON\n"
"      --list              the running kernel's capabilities\n"
"      --decode=MASK       a hex mask from /proc/PID/status as names\n"
"      --check-config[=PATH]  check a pam_capbound policy file (default\n"
"                          " POLICY_DEFAULT_PATH "); with --user,\n"
"                          show what it would drop for that user\n"
"      --trace[=FILE]      run COMMAND as a traced child and report the\n"
"                          capabilities it was checked for, with a\n"
"                          suggested --keep line (to stderr, or FILE;\n"
"                          --json for JSON; root, Linux 6.14+)\n"
"  -h, --help              this help\n"
"  -V, --version           the version\n"
"\n"
"CAPS: comma list of names (net_raw, cap_net_raw, CAP_NET_RAW), numbers\n"
"(12, cap_12) or \"all\".  Exit status: 125 capbound failed, 126 COMMAND\n"
"could not be run, 127 COMMAND not found, else COMMAND's own.\n"
"See capbound(1).\n", out);
}

static int last_cap_cached = -2;

static int last_cap(void)
{
	if (last_cap_cached == -2)
		last_cap_cached = caps_last_cap();
	return last_cap_cached;
}

static capmask_t parse_caps_opt(const char *opt, const char *arg)
{
	struct caps_perror perr;
	capmask_t set;

	if (caps_parse(arg, last_cap(), &set, &perr) < 0) {
		if (perr.why == CAPS_PERR_EMPTY && perr.item[0] == '\0')
			diex("%s=%s: empty item in capability list", opt, arg);
		diex("%s: %s: %s", opt, perr.item, caps_perr_str(perr.why));
	}
	return set;
}

static unsigned long parse_securebits(const char *arg)
{
	char bad[CAPS_NAME_MAX];
	unsigned long bits;

	if (caps_securebits_parse(arg, &bits, bad) < 0) {
		if (!bad[0])
			diex("--securebits=%s: empty item in securebits list", arg);
		diex("--securebits: %s: unknown securebit", bad);
	}
	return bits;
}

static void parse_options(int argc, char **argv, struct opts *o)
{
	char *arg = NULL;
	struct poptOption table[] = {
		{ "drop", 'd', POPT_ARG_STRING, &arg, OPT_DROP, NULL, NULL },
		{ "keep", 'k', POPT_ARG_STRING, &arg, OPT_KEEP, NULL, NULL },
		{ "ambient", 'a', POPT_ARG_STRING, &arg, OPT_AMBIENT, NULL, NULL },
		{ "user", 'u', POPT_ARG_STRING, &arg, OPT_USER, NULL, NULL },
		{ "group", 'g', POPT_ARG_STRING, &arg, OPT_GROUP, NULL, NULL },
		{ "groups", 'G', POPT_ARG_STRING, &arg, OPT_GROUPS, NULL, NULL },
		{ "reset-env", 0, POPT_ARG_NONE, NULL, OPT_RESET_ENV, NULL, NULL },
		{ "no-new-privs", 0, POPT_ARG_NONE, NULL, OPT_NNP, NULL, NULL },
		{ "securebits", 0, POPT_ARG_STRING, &arg, OPT_SECUREBITS, NULL, NULL },
		{ "new-session", 0, POPT_ARG_NONE, NULL, OPT_NEW_SESSION, NULL, NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, NULL, OPT_DRY_RUN, NULL, NULL },
		{ "verbose", 'v', POPT_ARG_NONE, NULL, OPT_VERBOSE, NULL, NULL },
		{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET, NULL, NULL },
		{ "print", 0, POPT_ARG_NONE, NULL, OPT_PRINT, NULL, NULL },
		{ "json", 0, POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
		{ "list", 0, POPT_ARG_NONE, NULL, OPT_LIST, NULL, NULL },
		{ "decode", 0, POPT_ARG_STRING, &arg, OPT_DECODE, NULL, NULL },
		{ "check-config", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &arg, OPT_CHECK_CONFIG, NULL, NULL },
		{ "trace", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &arg, OPT_TRACE, NULL, NULL },
		{ "help", 'h', POPT_ARG_NONE, NULL, OPT_HELP, NULL, NULL },
		{ "version", 'V', POPT_ARG_NONE, NULL, OPT_VERSION, NULL, NULL },
		POPT_TABLEEND
	};
	poptContext ctx;
	const char **rest;
	int rc, nrest = 0, help = 0, version = 0;
	static char *decode_copy;

	/*
	 * POSIXMEHARDER: stop at the first non-option, so "capbound -d x ls -l"
	 * runs "ls -l".  No poptReadDefaultConfig(): /etc/popt and ~/.popt
	 * aliases must never change what a security tool does.
	 */
	ctx = poptGetContext("capbound", argc, (const char **)argv, table,
			     POPT_CONTEXT_POSIXMEHARDER);
	if (!ctx)
		diex("poptGetContext failed");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		switch (rc) {
		case OPT_DROP:
			o->drop |= parse_caps_opt("--drop", arg);
			o->have_drop = 1;
			break;
		case OPT_KEEP:
			o->keep |= parse_caps_opt("--keep", arg);
			o->have_keep = 1;
			break;
		case OPT_AMBIENT:
			o->ambient |= parse_caps_opt("--ambient", arg);
			break;
		case OPT_USER:
			if (o->user)
				diex("--user: given twice");
			o->user = arg;
			arg = NULL;	/* kept: owned by o now */
			break;
		case OPT_GROUP:
			if (o->group)
				diex("--group: given twice");
			o->group = arg;
			arg = NULL;
			break;
		case OPT_GROUPS:
			if (o->have_groups)
				diex("--groups: given twice");
			o->groups = arg;
			o->have_groups = 1;
			arg = NULL;
			break;
		case OPT_SECUREBITS:
			o->securebits |= parse_securebits(arg);
			o->have_securebits = 1;
			break;
		case OPT_DECODE:
			free(decode_copy);
			decode_copy = arg;
			o->decode = arg;
			arg = NULL;
			break;
		case OPT_CHECK_CONFIG:
			o->have_check_config = 1;
			o->check_config = arg;	/* NULL: the default file */
			arg = NULL;
			break;
		case OPT_TRACE:
			if (o->trace)
				diex("--trace: given twice");
			o->trace = 1;
			o->trace_file = arg;	/* NULL: stderr */
			arg = NULL;
			break;
		case OPT_RESET_ENV: o->reset_env = 1; break;
		case OPT_NNP: o->no_new_privs = 1; break;
		case OPT_NEW_SESSION: o->new_session = 1; break;
		case OPT_DRY_RUN: o->dry_run = 1; break;
		case OPT_VERBOSE: verbose = 1; break;
		case OPT_QUIET: quiet = 1; break;
		case OPT_PRINT: o->print = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_LIST: o->list = 1; break;
		case OPT_HELP: help = 1; break;
		case OPT_VERSION: version = 1; break;
		default:
			break;
		}
		free(arg);
		arg = NULL;
	}
	if (rc < -1)
		diex("%s: %s", poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
		     poptStrerror(rc));
	if (help) {
		usage(stdout);
		poptFreeContext(ctx);
		if (fflush(stdout) != 0 || ferror(stdout))
			die("write error");
		exit(0);
	}
	if (version) {
		printf("capbound %s\n", CAPBOUND_VERSION);
		poptFreeContext(ctx);
		if (fflush(stdout) != 0 || ferror(stdout))
			die("write error");
		exit(0);
	}
	rest = poptGetArgs(ctx);
	if (rest) {
		while (rest[nrest])
			nrest++;
		o->command = calloc((size_t)nrest + 1, sizeof(char *));
		if (!o->command)
			die("calloc");
		/* poptGetArgs() points into popt's copies: keep our own. */
		for (rc = 0; rc < nrest; rc++) {
			o->command[rc] = strdup(rest[rc]);
			if (!o->command[rc])
				die("strdup");
		}
	}
	poptFreeContext(ctx);
}

/* Options that only make sense for a run, named for the error message. */
static const char *run_option_given(const struct opts *o)
{
	if (o->have_drop) return "--drop";
	if (o->have_keep) return "--keep";
	if (o->ambient) return "--ambient";
	if (o->user) return "--user";
	if (o->group) return "--group";
	if (o->have_groups) return "--groups";
	if (o->reset_env) return "--reset-env";
	if (o->no_new_privs) return "--no-new-privs";
	if (o->have_securebits) return "--securebits";
	if (o->new_session) return "--new-session";
	if (o->dry_run) return "--dry-run";
	if (o->command) return "a COMMAND";
	return NULL;
}

static void validate_modes(const struct opts *o)
{
	const char *run = run_option_given(o);
	int modes = o->print + o->list + (o->decode != NULL);

	if (modes > 1)
		diex("--print, --list and --decode cannot be combined");
	if (modes && run)
		diex("%s cannot be combined with %s", o->print ? "--print" :
		     o->list ? "--list" : "--decode", run);
	if (o->trace && (modes || o->have_check_config || o->dry_run))
		diex("--trace cannot be combined with %s", o->dry_run ?
		     "--dry-run" : o->have_check_config ? "--check-config" :
		     o->print ? "--print" : o->list ? "--list" : "--decode");
	if (o->json && !o->print && !o->trace)
		diex("--json goes with --print or --trace");
}

/* ---- the plan: everything resolved and computed before any change ---- */

struct plan {
	int last_cap;
	capmask_t kernel;
	struct caps_state cur;		/* before any change */
	int status_fd;			/* /proc/self/status for step 7; -1 */
	capmask_t bound;		/* resulting bounding set */
	capmask_t to_drop;		/* cur.bnd - bound */
	capmask_t inh, amb;		/* resulting inheritable, ambient */
	capmask_t inh_amb_keep;		/* all that steps 3 leaves in pI, pA */

	int set_groups, set_gid, set_uid;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	struct ident_user user;		/* --user's passwd entry, if any */
	int leaving_root;		/* some id is 0 now, none will be */
	int keep_caps;			/* PR_SET_KEEPCAPS across setresuid */
	capmask_t keep_prm;		/* permitted kept across the switch */
	capmask_t final_prm;		/* permitted after step 6 */

	unsigned long securebits;	/* value to set, when have_securebits */

	char **argv;			/* the command, or the shell */
	char *shell_argv[3];
};

static int any_root(void)
{
	uid_t r, e, s;

	if (getresuid(&r, &e, &s) < 0)
		die("getresuid");
	return r == 0 || e == 0 || s == 0;
}

static void plan_identity(const struct opts *o, struct plan *p)
{
	enum ident_err e;
	char *bad = NULL;

	if (o->user) {
		e = ident_user_resolve(o->user, &p->user);
		switch (e) {
		case IDENT_OK:
			break;
		case IDENT_EBADNUM:
			diex("--user: %s: not a valid uid (0..4294967294)", o->user);
		case IDENT_ENOENT:
			if (o->user[0] == '-' && ident_is_numeric(o->user + 1))
				diex("--user: %s: no such user (not a uid, and "
				     "never \"unchanged\": leave --user out)",
				     o->user);
			diex("--user: %s: no such user", o->user);
		case IDENT_EBADNAME:
			diex("--user: empty user name");
		case IDENT_ELOOKUP:
			die("--user: looking up %s", o->user);
		case IDENT_ENOMEM:
			errno = ENOMEM;
			die("--user: %s", o->user);
		}
		p->set_uid = 1;
		p->uid = p->user.uid;
		if (!p->user.has_entry && !o->group)
			diex("--user: uid %s has no passwd entry: give --group too",
			     o->user);
		if (p->user.has_entry)
			p->gid = p->user.gid;
		p->set_gid = 1;
	}
	if (o->group) {
		e = ident_group_resolve(o->group, &p->gid);
		switch (e) {
		case IDENT_OK:
			break;
		case IDENT_EBADNUM:
			diex("--group: %s: not a valid gid (0..4294967294)", o->group);
		case IDENT_ENOENT:
			if (o->group[0] == '-' && ident_is_numeric(o->group + 1))
				diex("--group: %s: no such group (not a gid, and "
				     "never \"unchanged\": leave --group out)",
				     o->group);
			diex("--group: %s: no such group", o->group);
		case IDENT_EBADNAME:
			diex("--group: empty group name");
		case IDENT_ELOOKUP:
			die("--group: looking up %s", o->group);
		case IDENT_ENOMEM:
			errno = ENOMEM;
			die("--group: %s", o->group);
		}
		p->set_gid = 1;
	}
	/*
	 * A database entry may hold 4294967295, which setresuid() and
	 * setresgid() take for "unchanged": the switch would do nothing.
	 */
	if (p->set_uid && p->uid == (uid_t)-1)
		diex("--user: %s: uid 4294967295 is not a valid uid", o->user);
	if (p->set_gid && p->gid == (gid_t)-1)
		diex("%s: %s: gid 4294967295 is not a valid gid",
		     o->group ? "--group" : "--user", o->group ? o->group : o->user);
	/* Whenever uid or gid changes, groups are set: root's never leak. */
	if (o->have_groups) {
		e = ident_groups_parse(o->groups, &p->groups, &p->ngroups, &bad);
		switch (e) {
		case IDENT_OK:
			break;
		case IDENT_EBADNUM:
			diex("--groups: %s: not a valid gid (0..4294967294)", bad);
		case IDENT_ENOENT:
			diex("--groups: %s: no such group", bad);
		case IDENT_EBADNAME:
			diex("--groups=%s: empty item in group list", o->groups);
		case IDENT_ELOOKUP:
			die("--groups: looking up %s", bad);
		case IDENT_ENOMEM:
			errno = ENOMEM;
			die("--groups");
		}
		if (p->ngroups > (size_t)sysconf(_SC_NGROUPS_MAX))
			diex("--groups: more than %ld groups",
			     sysconf(_SC_NGROUPS_MAX));
		p->set_groups = 1;
	} else if (p->user.has_entry) {
		e = ident_user_groups(p->user.name, p->user.gid, &p->groups,
				      &p->ngroups);
		if (e == IDENT_ENOMEM) {
			errno = ENOMEM;
			die("--user: groups of %s", p->user.name);
		}
		if (e != IDENT_OK)
			die("--user: groups of %s", p->user.name);
		p->set_groups = 1;
	} else if (p->set_uid || p->set_gid) {
		p->groups = NULL;
		p->ngroups = 0;
		p->set_groups = 1;
	}
	p->leaving_root = p->set_uid && p->uid != 0 && any_root();
}

static void plan_make(const struct opts *o, struct plan *p)
{
	struct caps_fail f;
	capmask_t bad;

	p->last_cap = last_cap();
	if (p->last_cap < 0)
		die("cannot tell the running kernel's last capability "
		    "(/proc/sys/kernel/cap_last_cap, prctl(PR_CAPBSET_READ))");
	p->kernel = caps_kernel_mask(p->last_cap);
	if (caps_state_read_keep(&p->cur, p->last_cap, &p->status_fd, &f) < 0)
		die_caps(&f);
	/*
	 * The bounding set holds only capabilities the kernel knows: one
	 * beyond last_cap means that count is wrong, and "all" would leave
	 * it in place.
	 */
	bad = p->cur.bnd & ~p->kernel;
	if (bad)
		diex("the bounding set holds %s, beyond the last capability "
		     "the kernel reports (%s)", names(bad, 0),
		     capname(p->last_cap));

	/* result = (current ∩ keep) − drop */
	p->bound = p->cur.bnd;
	if (o->have_keep)
		p->bound &= o->keep;
	p->bound &= ~o->drop;
	p->to_drop = p->cur.bnd & ~p->bound;

	/* A capability the kernel lacks cannot be raised. */
	bad = o->ambient & ~p->kernel;
	if (bad)
		diex("--ambient: %s: not known to the running kernel (last is %s)",
		     names(bad, 0), capname(p->last_cap));
	bad = o->ambient & ~p->bound;
	if (bad)
		diex("--ambient: %s: not in the resulting bounding set",
		     names(bad, 0));

	plan_identity(o, p);

	/*
	 * The inheritable and ambient sets keep nothing outside the new
	 * bounding set: pI & fI and pA reach the command's permitted set at
	 * exec whatever the bounding set says.  With --user they keep
	 * nothing of the caller's at all: a command run as another user
	 * holds exactly its --ambient capabilities, and no file with
	 * inheritable bits can pick up what the caller had in pI (the
	 * lesson of CVE-2022-24769, where containers inherited a full pI).
	 */
	p->inh_amb_keep = p->set_uid ? 0 : p->bound;
	p->inh = (p->cur.inh & p->inh_amb_keep) | o->ambient;
	p->amb = (p->cur.amb & p->inh_amb_keep) | o->ambient;

	/*
	 * Capabilities survive the switch away from uid 0 only when the
	 * command needs them (--ambient) or step 6 does (CAP_SETPCAP for
	 * the securebits); after step 6 the permitted set is cut to the
	 * ambient set.
	 */
	if (p->leaving_root && (o->ambient || o->have_securebits)) {
		p->keep_caps = 1;
		p->keep_prm = o->ambient;
		if (o->have_securebits)
			p->keep_prm |= CAPS_BIT(CAP_SETPCAP);
		p->final_prm = o->ambient;
	}
	if (o->have_securebits)
		p->securebits = o->securebits;

	if (o->command) {
		p->argv = o->command;
	} else {
		/* As chroot(8): the target user's shell, $SHELL, /bin/sh. */
		const char *sh = NULL, *env_shell = getenv("SHELL");

		if (p->user.has_entry && p->user.shell && *p->user.shell)
			sh = p->user.shell;
		else if (!o->user && env_shell && *env_shell)
			sh = env_shell;
		else
			sh = "/bin/sh";
		p->shell_argv[0] = (char *)sh;
		p->shell_argv[1] = (char *)"-i";
		p->shell_argv[2] = NULL;
		p->argv = p->shell_argv;
	}
}

/* Privilege problems that the real run would hit; dry runs only warn. */
static const char *plan_privilege_problem(const struct opts *o,
					  const struct plan *p)
{
	static char msg[256 + CAPS_FORMAT_MAX];
	capmask_t bad;

	if (p->to_drop && !(p->cur.prm & CAPS_BIT(CAP_SETPCAP))) {
		snprintf(msg, sizeof(msg), "CAP_SETPCAP is needed to drop %s "
			 "from the bounding set, and capbound does not have it "
			 "(run as root, or drop only what is already gone)",
			 names(p->to_drop, 1));
		return msg;
	}
	bad = o->ambient & ~p->cur.prm;
	if (bad) {
		snprintf(msg, sizeof(msg), "--ambient: %s: not permitted to "
			 "capbound", names(bad, 1));
		return msg;
	}
	/* Else step 4 fails keeping it across --user with a bare "capset". */
	if (o->have_securebits && !(p->cur.prm & CAPS_BIT(CAP_SETPCAP)))
		return "--securebits: cap_setpcap is needed, and capbound does "
		       "not have it";
	return NULL;
}

static void plan_warn(const struct opts *o, const struct plan *p)
{
	capmask_t drop_unknown = o->drop & ~p->kernel;
	capmask_t keep_unknown = o->keep & ~p->kernel & ~o->drop;
	char last[CAPS_NAME_MAX];

	/* One line for all of them: names() has its own buffer per slot. */
	if (drop_unknown || keep_unknown)
		caps_name(p->last_cap, last);
	if (drop_unknown)
		warnx_("%s: not known to the running kernel (last is %s): "
		       "nothing to drop", names(drop_unknown, 0), last);
	if (keep_unknown)
		warnx_("%s: not known to the running kernel (last is %s): "
		       "nothing to keep", names(keep_unknown, 1), last);
	if (o->ambient & CAPS_BIT(CAP_SETUID))
		warnx_("--ambient includes cap_setuid: the command can become "
		       "root again");
}

/* ---- the steps ---------------------------------------------------------- */

/* Step 1b: refuse to run with privilege we were not asked to use. */
static void refuse_secure_exec(void)
{
	static const char msg[] = "capbound: refusing to run set-user-ID, "
		"set-group-ID or with file capabilities (AT_SECURE): capbound "
		"is never installed that way\n";

	/*
	 * Started with privilege nobody asked capbound to use: do nothing
	 * more, not even exit handlers (stdio, a sanitizer's leak check).
	 */
	if (getauxval(AT_SECURE)) {
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(EXIT_FAIL); /* fail safe */
		_exit(EXIT_FAIL); /* fail safe */
	}
}

/* Step 2. */
static void bounding_drop(const struct plan *p)
{
	struct caps_fail f;

	if (!p->to_drop)
		return;
	step("dropping from the bounding set: %s", names(p->to_drop, 0));
	/*
	 * p->cur was read in step 1 and nothing has changed since: when
	 * CAP_SETPCAP is already effective (root), skip the capget(2) that
	 * caps_effective_raise() would make.  Were it wrong, the first
	 * PR_CAPBSET_DROP would fail with EPERM, and so would capbound.
	 */
	/* Without CAP_SETPCAP permitted, step 1 already refused to go on. */
	if (!(p->cur.eff & CAPS_BIT(CAP_SETPCAP)) &&
	    caps_effective_raise(CAP_SETPCAP, &f) < 0)
		die_caps(&f);
	if (caps_bounding_drop(p->to_drop, p->cur.bnd, &f) < 0)
		die_caps(&f);
}

/* Step 3. */
static void inheritable_ambient_trim(const struct plan *p)
{
	struct caps_fail f;

	if (p->cur.amb & ~p->inh_amb_keep)
		step("lowering from the ambient set: %s",
		     names(p->cur.amb & ~p->inh_amb_keep, 0));
	if (p->cur.inh & ~p->inh_amb_keep)
		step("removing from the inheritable set: %s",
		     names(p->cur.inh & ~p->inh_amb_keep, 0));
	if (caps_inh_amb_limit(p->inh_amb_keep, &p->cur, &f) < 0)
		die_caps(&f);
}

/* Step 4. */
static void identity_switch(const struct plan *p)
{
	struct caps_fail f;

	if (p->set_groups) {
		step("setting supplementary groups (%zu)", p->ngroups);
		if (ident_groups_set(p->groups, p->ngroups) < 0)
			die("setgroups(%zu groups)", p->ngroups);
	}
	if (p->set_gid) {
		step("setting gid %u", (unsigned)p->gid);
		if (ident_gid_set(p->gid) < 0)
			die("setresgid(%u)", (unsigned)p->gid);
	}
	if (!p->set_uid)
		return;
	step("setting uid %u%s", (unsigned)p->uid,
	     p->keep_caps ? ", keeping capabilities" : "");
	if (p->keep_caps &&
	    prctl(PR_SET_KEEPCAPS, 1UL, 0UL, 0UL, 0UL) < 0)
		die("prctl(PR_SET_KEEPCAPS, 1)");
	if (ident_uid_set(p->uid) < 0)
		die("setresuid(%u)", (unsigned)p->uid);
	if (p->keep_caps &&
	    prctl(PR_SET_KEEPCAPS, 0UL, 0UL, 0UL, 0UL) < 0)
		die("prctl(PR_SET_KEEPCAPS, 0)");
	if (p->leaving_root) {
		/*
		 * setresuid() away from 0 cleared the effective set, and the
		 * permitted set too without keep-caps; but a caller's
		 * no-setuid-fixup securebit keeps both.  Do not rely on the
		 * kernel's fixup: keep only what steps 5 and 6 need.
		 */
		if (caps_set(p->keep_prm, p->keep_prm, p->inh & p->bound, &f) < 0)
			die_capset(&f, "after setresuid, permitted set to",
				   p->keep_prm);
	}
	if (p->leaving_root && !(p->keep_prm & CAPS_BIT(CAP_SETUID))) {
		if (ident_uid0_unreachable() < 0)
			diex("setresuid(0) succeeded after switching to uid %u: "
			     "refusing to go on", (unsigned)p->uid);
	}
}

/* Step 5: after the uid switch, which clears the ambient set. */
static void ambient_raise(const struct opts *o)
{
	struct caps_state now;
	struct caps_fail f;

	if (!o->ambient)
		return;
	step("raising to the inheritable and ambient sets: %s",
	     names(o->ambient, 0));
	if (caps_state_read_syscalls(&now, -1, &f) < 0)
		die_caps(&f);
	/* PR_CAP_AMBIENT_RAISE needs each one permitted and inheritable. */
	if ((now.inh & o->ambient) != o->ambient &&
	    caps_set(now.eff, now.prm, now.inh | o->ambient, &f) < 0)
		die_capset(&f, "raising to the inheritable set", o->ambient);
	if (caps_ambient_raise(o->ambient, &f) < 0)
		die_caps(&f);
}

/* Step 6. */
static void securebits_nnp_set(const struct opts *o, const struct plan *p)
{
	struct caps_fail f;
	int r;

	if (o->have_securebits) {
		unsigned long want;

		r = prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL);
		if (r < 0)
			die("prctl(PR_GET_SECUREBITS)");
		want = (unsigned long)r | p->securebits;
		step("setting securebits 0x%lx", want);
		if (caps_effective_raise(CAP_SETPCAP, &f) < 0) {
			errno = f.err;
			die("securebits need cap_setpcap: %s, %s", f.call,
			    capname(CAP_SETPCAP));
		}
		if (prctl(PR_SET_SECUREBITS, want, 0UL, 0UL, 0UL) < 0)
			die("prctl(PR_SET_SECUREBITS, 0x%lx)", want);
		r = prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL);
		if (r < 0)
			die("prctl(PR_GET_SECUREBITS)");
		if ((unsigned long)r != want)
			diex("securebits are 0x%x after setting 0x%lx", r, want);
	}
	if (p->keep_caps) {
		struct caps_state now;

		/* Cut permitted to what the command's ambient set needs. */
		if (caps_state_read_syscalls(&now, -1, &f) < 0)
			die_caps(&f);
		if ((now.prm & ~p->final_prm) &&
		    caps_set(now.eff & p->final_prm, p->final_prm, now.inh, &f) < 0)
			die_capset(&f, "cutting the permitted set to",
				   p->final_prm);
	}
	if (o->no_new_privs) {
		step("setting no_new_privs");
		if (prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) < 0)
			die("prctl(PR_SET_NO_NEW_PRIVS)");
		r = prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL);
		if (r < 0)
			die("prctl(PR_GET_NO_NEW_PRIVS)");
		if (r != 1)
			diex("no_new_privs is not set after PR_SET_NO_NEW_PRIVS");
	}
}

/*
 * --new-session: the command must not share the caller's controlling
 * terminal, or it could push keystrokes into it (TIOCSTI).
 */
static void session_leave(const struct opts *o)
{
	int fd;

	if (!o->new_session)
		return;
	step("starting a new session");
	if (setsid() >= 0)
		return;
	if (errno != EPERM)
		die("setsid");
	/* Already leading a session of its own (a systemd service): done. */
	if (getsid(0) == getpid())
		return;
	/*
	 * A process group leader (a job of an interactive shell) cannot
	 * setsid(); capbound never forks, so give up the terminal instead:
	 * TIOCSTI needs the terminal to be the caller's controlling one.
	 */
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENXIO)
			return;		/* no controlling terminal at all */
		die("--new-session: open /dev/tty");
	}
	if (ioctl(fd, TIOCNOTTY) < 0)
		die("--new-session: ioctl(/dev/tty, TIOCNOTTY)");
	close(fd);
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 || errno != ENXIO)
		diex("--new-session: still attached to a terminal");
}

/* Step 7: the kernel's view must be the plan. */
static void readback_check(struct plan *p)
{
	struct caps_state now;
	struct caps_fail f;

	if (caps_state_read_keep(&now, p->last_cap, &p->status_fd, &f) < 0)
		die_caps(&f);
	caps_state_close(&p->status_fd);
	if (now.bnd != p->bound)
		diex("bounding set is %s, expected %s", names(now.bnd, 0),
		     names(p->bound, 1));
	if (now.inh != p->inh)
		diex("inheritable set is %s, expected %s", names(now.inh, 0),
		     names(p->inh, 1));
	if (now.amb != p->amb)
		diex("ambient set is %s, expected %s", names(now.amb, 0),
		     names(p->amb, 1));
	step("bounding set now %s", names(now.bnd, 0));
}

static void env_set(const char *name, const char *value)
{
	if (setenv(name, value, 1) < 0)
		die("setenv %s", name);
}

static void environment_set(const struct opts *o, const struct plan *p)
{
	struct ident_user self;
	const struct ident_user *u = NULL;

	memset(&self, 0, sizeof(self));
	if (p->set_uid)
		u = &p->user;
	else if (o->reset_env) {
		/* No entry is fine (HOME=/ below); a failed lookup is not. */
		switch (ident_user_by_uid(getuid(), &self)) {
		case IDENT_OK:
			u = &self;
			break;
		case IDENT_ELOOKUP:
			die("--reset-env: looking up uid %u", (unsigned)getuid());
		case IDENT_ENOMEM:
			errno = ENOMEM;
			die("--reset-env: uid %u", (unsigned)getuid());
		default:
			break;
		}
	}
	if (o->reset_env) {
		char *term = getenv("TERM");
		char *keep = term ? strdup(term) : NULL;
		/* getuid() only here: a plain run makes no call it needs not. */
		uid_t uid = p->set_uid ? p->uid : getuid();

		if (term && !keep)
			die("strdup");
		if (clearenv() != 0)
			diex("clearenv failed");
		if (keep) {
			env_set("TERM", keep);
			free(keep);
		}
		env_set("PATH", uid == 0 ? PATH_ROOT : PATH_USER);
	}
	if (u && u->has_entry) {
		env_set("HOME", u->home);
		env_set("USER", u->name);
		env_set("LOGNAME", u->name);
		env_set("SHELL", *u->shell ? u->shell : "/bin/sh");
	} else if (p->set_uid || o->reset_env) {
		/* A uid with no passwd entry: nothing of root's may remain. */
		env_set("HOME", "/");
		env_set("SHELL", "/bin/sh");
		unsetenv("USER");
		unsetenv("LOGNAME");
	}
	ident_user_free(&self);
}

/* ---- exec and its failures ---------------------------------------------- */

/* The file capabilities the bounding set no longer allows, if any. */
static capmask_t file_caps_blocked(const char *path, capmask_t bound)
{
	capmask_t want = 0;
	cap_t fc;
	int cap;

	fc = cap_get_file(path);
	if (!fc)
		return 0;
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(fc, (cap_value_t)cap, CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			want |= CAPS_BIT(cap);
	}
	cap_free(fc);
	return want & ~bound;
}

/*
 * /bin/sh runs a file the kernel will not (ENOEXEC: a script without
 * "#!"), as execvp(3) does: sh FILE ARG...
 */
static void script_exec(const char *file, char *const argv[])
{
	size_t n = 0, i;
	char **sh_argv;

	while (argv[n])
		n++;
	sh_argv = calloc(n + 2, sizeof(*sh_argv));
	if (!sh_argv) {
		errno = ENOEXEC;
		return;
	}
	sh_argv[0] = (char *)"/bin/sh";
	sh_argv[1] = (char *)file;
	for (i = 1; i < n; i++)
		sh_argv[i + 1] = argv[i];
	execve("/bin/sh", sh_argv, environ);
	i = (size_t)errno;
	free(sh_argv);
	errno = (int)i;
}

/*
 * execvp(3), done here so that every exec is an execve(2) of capbound's
 * own (glibc's execvp calls execve internally, out of reach of the
 * fault-injection tests), with its rules: PATH unset means
 * "/bin:/usr/bin"; an empty entry is the current directory; ENOEXEC runs
 * the file with /bin/sh; EACCES and "not there" errors move on to the
 * next directory, EACCES being reported if nothing else is found; any
 * other error stops the search.  Returns only on failure, errno set, and
 * *found the file that is there but could not be run (malloc'd), if any,
 * for command_exec() to explain.
 */
static void exec_search(const char *file, char *const argv[], char **found)
{
	const char *path, *p, *end;
	size_t flen;
	int eacces = 0, e;

	*found = NULL;
	if (*file == '\0') {
		errno = ENOENT;
		return;
	}
	if (strchr(file, '/')) {
		execve(file, argv, environ);
		if (errno == ENOEXEC)
			script_exec(file, argv);
		e = errno;
		*found = strdup(file);
		errno = e;
		return;
	}
	flen = strlen(file);
	if (flen > NAME_MAX) {
		errno = ENAMETOOLONG;
		return;
	}
	path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		size_t dlen;
		char *full;

		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		full = malloc(dlen + flen + 2);
		if (!full)
			return;
		memcpy(full, p, dlen);
		if (dlen)
			full[dlen++] = '/';
		memcpy(full + dlen, file, flen + 1);
		execve(full, argv, environ);
		if (errno == ENOEXEC)
			script_exec(full, argv);
		e = errno;
		switch (e) {
		case EACCES:
			eacces = 1;
			free(full);
			break;
		case ENOENT:
			/*
			 * There, but its #! interpreter or ELF loader is not:
			 * execvp() searches on; remember the first such file.
			 */
			if (!*found && access(full, F_OK) == 0)
				*found = full;
			else
				free(full);
			break;
		case ESTALE:
		case ENOTDIR:
		case ENODEV:
		case ETIMEDOUT:
			free(full);
			break;
		default:
			free(*found);
			*found = full;	/* found, but it cannot run */
			errno = e;
			return;
		}
		if (*end == '\0')
			break;
	}
	errno = eacces ? EACCES : ENOENT;
}

__attribute__((noreturn))
static void command_exec(const struct plan *p)
{
	int e;
	char *found;
	capmask_t blocked;

	/*
	 * No fflush(stdout): a run writes nothing there (messages go to
	 * stderr, unbuffered), so no output can be lost at execve.
	 */
	step("executing %s", p->argv[0]);
	exec_search(p->argv[0], p->argv, &found);
	e = errno;
	if (e == ENOENT) {
		/*
		 * ENOENT for a file that is there: its #! interpreter or ELF
		 * loader is missing.  The command was found: 126, not 127.
		 */
		if (found && access(found, F_OK) == 0) {
			fprintf(stderr, "capbound: %s: %s (its interpreter or "
				"loader is missing)\n", p->argv[0], strerror(e));
			exit(EXIT_CANNOT_RUN);
		}
		fprintf(stderr, "capbound: %s: %s\n", p->argv[0],
			strchr(p->argv[0], '/') ? strerror(e) :
			"command not found");
		exit(EXIT_NOT_FOUND);
	}
	if (e == EPERM) {
		blocked = found ? file_caps_blocked(found, p->bound) : 0;
		if (blocked) {
			fprintf(stderr, "capbound: %s: %s: its file capabilities "
				"need %s, which the bounding set no longer has, "
				"so the kernel refuses to run it\n", p->argv[0],
				strerror(e), names(blocked, 0));
			exit(EXIT_CANNOT_RUN);
		}
	}
	fprintf(stderr, "capbound: %s: %s\n", p->argv[0], strerror(e));
	exit(EXIT_CANNOT_RUN);
}

/* ---- modes that only report -------------------------------------------- */

static void out_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		die("write error");
}

static void print_set_json(const char *key, capmask_t set, int comma)
{
	int cap, first = 1;

	printf("  \"%s\": [", key);
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(set & CAPS_BIT(cap)))
			continue;
		printf("%s\"%s\"", first ? "" : ", ", capname(cap));
		first = 0;
	}
	printf("]%s\n", comma ? "," : "");
}

static void print_state(int json)
{
	struct caps_state st;
	struct caps_fail f;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	gid_t *groups = NULL;
	int ngroups, i, sb, nnp, lc = last_cap();
	size_t k;

	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	if (getresuid(&ru, &eu, &su) < 0)
		die("getresuid");
	if (getresgid(&rg, &eg, &sg) < 0)
		die("getresgid");
	ngroups = getgroups(0, NULL);
	if (ngroups < 0)
		die("getgroups");
	if (ngroups > 0) {
		groups = calloc((size_t)ngroups, sizeof(*groups));
		if (!groups)
			die("calloc");
		ngroups = getgroups(ngroups, groups);
		if (ngroups < 0)
			die("getgroups");
	}
	if (caps_state_read_syscalls(&st, lc, &f) < 0)
		die_caps(&f);
	sb = prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL);
	if (sb < 0)
		die("prctl(PR_GET_SECUREBITS)");
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL);
	if (nnp < 0)
		die("prctl(PR_GET_NO_NEW_PRIVS)");

	if (json) {
		printf("{\n  \"uid\": [%u, %u, %u],\n  \"gid\": [%u, %u, %u],\n"
		       "  \"groups\": [", ru, eu, su, rg, eg, sg);
		for (i = 0; i < ngroups; i++)
			printf("%s%u", i ? ", " : "", groups[i]);
		printf("],\n");
		print_set_json("bounding", st.bnd, 1);
		print_set_json("permitted", st.prm, 1);
		print_set_json("effective", st.eff, 1);
		print_set_json("inheritable", st.inh, 1);
		print_set_json("ambient", st.amb, 1);
		printf("  \"securebits\": [");
		for (k = 0, i = 0; k < NSECUREBITS; k++) {
			if ((unsigned long)sb & securebit_names[k].bit)
				printf("%s\"%s\"", i++ ? ", " : "",
				       securebit_names[k].name);
		}
		if ((unsigned long)sb & SECBIT_KEEP_CAPS)
			printf("%s\"keep-caps\"", i++ ? ", " : "");
		printf("],\n  \"no_new_privs\": %s,\n  \"last_cap\": %d\n}\n",
		       nnp ? "true" : "false", lc);
	} else {
		printf("uid:          %u %u %u (real effective saved)\n", ru, eu, su);
		printf("gid:          %u %u %u (real effective saved)\n", rg, eg, sg);
		printf("groups:       ");
		for (i = 0; i < ngroups; i++)
			printf("%s%u", i ? "," : "", groups[i]);
		printf("%s\n", ngroups ? "" : "(none)");
		printf("bounding:     %s\n", names(st.bnd, 0));
		printf("permitted:    %s\n", names(st.prm, 0));
		printf("effective:    %s\n", names(st.eff, 0));
		printf("inheritable:  %s\n", names(st.inh, 0));
		printf("ambient:      %s\n", names(st.amb, 0));
		printf("securebits:   0x%x", sb);
		for (k = 0, i = 0; k < NSECUREBITS; k++) {
			if ((unsigned long)sb & securebit_names[k].bit)
				printf("%s%s", i++ ? "," : " (",
				       securebit_names[k].name);
		}
		if ((unsigned long)sb & SECBIT_KEEP_CAPS)
			printf("%skeep-caps", i++ ? "," : " (");
		printf("%s\n", i ? ")" : "");
		printf("no_new_privs: %d\n", nnp);
		printf("last_cap:     %d (%s)\n", lc, capname(lc));
	}
	free(groups);
	out_flush();
}

static void list_caps(void)
{
	struct caps_state st;
	struct caps_fail f;
	int cap, lc = last_cap();

	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	if (caps_state_read(&st, lc, &f) < 0)
		die_caps(&f);
	printf("%-3s %-26s %s\n", "NR", "NAME", "BOUNDING");
	for (cap = 0; cap <= lc; cap++)
		printf("%-3d %-26s %s\n", cap, capname(cap),
		       (st.bnd & CAPS_BIT(cap)) ? "yes" : "no");
	out_flush();
}

static void decode_mask(const char *arg)
{
	capmask_t set;

	if (caps_parse_mask(arg, &set) < 0)
		diex("--decode: %s: not a hex mask of at most 64 bits", arg);
	{
		char buf[CAPS_FORMAT_MAX];

		if (caps_format(set, buf, sizeof(buf)) < 0)
			die("--decode");
		printf("%s\n", buf);
	}
	out_flush();
}

/* ---- --check-config: the PAM module's policy file ------------------------ */

/*
 * A line for a user or group given as a number that is no id is valid, and
 * matches nobody: the module must not fail every login for it, but whoever
 * wrote it meant someone.
 */
static void check_config_numbers(const char *path, const struct policy *pol)
{
	size_t i;

	for (i = 0; i < pol->n; i++) {
		const struct policy_rule *r = &pol->rules[i];

		if (!policy_rule_no_id(r))
			continue;
		warnx_("%s:%d: %s%s is no %s (0 to 4294967294): this line "
		       "matches nobody", path, r->line,
		       r->who == POLICY_GROUP ? "@" : "", r->name,
		       r->who == POLICY_GROUP ? "gid" : "uid");
	}
}

/*
 * Judge the file exactly as pam_capbound does (same code: policy.c), so an
 * administrator learns of a broken policy before a login fails on it.
 */
static void check_config(const struct opts *o)
{
	const char *path = o->check_config ? o->check_config :
			   POLICY_DEFAULT_PATH;
	const struct policy_rule *rule = NULL;
	struct policy pol;
	struct policy_error pe;
	struct ident_user u;
	struct caps_state cur;
	struct caps_fail f;
	capmask_t gecos_drop = 0, bound;
	int gecos_found = 0, lc = last_cap();
	struct opts rest = *o;
	const char *run;

	rest.user = NULL;
	run = run_option_given(&rest);
	if (run || o->print || o->list || o->decode)
		diex("--check-config goes with --user only, not with %s",
		     run ? run : o->print ? "--print" : o->list ? "--list" :
		     "--decode");
	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	if (policy_load(path, lc, &pol, &pe) < 0) {
		errno = 0;
		if (pe.line)
			diex("%s:%d: %s", path, pe.line, pe.why);
		diex("%s: %s", path, pe.why);
	}
	printf("%s: valid, %zu rule%s\n", path, pol.n, pol.n == 1 ? "" : "s");
	check_config_numbers(path, &pol);
	if (!o->user) {
		policy_free(&pol);
		out_flush();
		return;
	}
	switch (ident_user_by_name(o->user, &u)) {
	case IDENT_OK:
		break;
	case IDENT_ENOENT:
	case IDENT_EBADNAME:
		diex("--user: %s: no such user (the module answers "
		     "PAM_USER_UNKNOWN)", o->user);
	default:
		die("--user: looking up %s", o->user);
	}
	if (policy_match(&pol, u.name, u.uid, u.gid, &rule, &pe) < 0)
		diex("%s:%d: %s", path, pe.line, pe.why);
	if (policy_gecos_drop(u.gecos, lc, &gecos_drop, &gecos_found, &pe) < 0)
		diex("user %s: %s (with the module argument gecos, this "
		     "user's sessions fail)", u.name, pe.why);
	if (caps_state_read(&cur, lc, &f) < 0)
		die_caps(&f);
	if (rule)
		printf("user %s: line %d matches\n", u.name, rule->line);
	else
		printf("user %s: no line matches (the module ignores this "
		       "user%s)\n", u.name, gecos_found ? ", unless gecos" : "");
	bound = policy_bound(rule, 0, cur.bnd);
	printf("bounding:    %s\n", names(cur.bnd, 0));
	printf("          -> %s\n", names(bound, 1));
	printf("drop:        %s\n", names(cur.bnd & ~bound, 2));
	if (gecos_found) {
		bound = policy_bound(rule, gecos_drop, cur.bnd);
		printf("with the module argument gecos (GECOS cap_drop=%s):\n",
		       names(gecos_drop, 0));
		printf("          -> %s\n", names(bound, 1));
		printf("drop:        %s\n", names(cur.bnd & ~bound, 2));
	}
	ident_user_free(&u);
	policy_free(&pol);
	out_flush();
}

/* ---- dry run ------------------------------------------------------------ */

static void print_ids(const char *what, unsigned now, int change,
		      unsigned then)
{
	if (change)
		printf("%-13s%u -> %u\n", what, now, then);
	else
		printf("%-13s%u (unchanged)\n", what, now);
}

static void dry_run(const struct opts *o, const struct plan *p)
{
	const char *problem = plan_privilege_problem(o, p);
	int i;
	size_t k;

	printf("bounding:    %s\n", names(p->cur.bnd, 0));
	printf("          -> %s\n", names(p->bound, 0));
	printf("drop:        %s\n", names(p->to_drop, 0));
	printf("inheritable: %s -> %s\n", names(p->cur.inh, 0), names(p->inh, 1));
	printf("ambient:     %s -> %s\n", names(p->cur.amb, 0), names(p->amb, 1));
	print_ids("uid:", getuid(), p->set_uid, p->uid);
	print_ids("gid:", getgid(), p->set_gid, p->gid);
	printf("groups:      ");
	if (!p->set_groups) {
		printf("(unchanged)\n");
	} else {
		for (k = 0; k < p->ngroups; k++)
			printf("%s%u", k ? "," : "", (unsigned)p->groups[k]);
		printf("%s\n", p->ngroups ? "" : "(none)");
	}
	if (o->have_securebits) {
		printf("securebits: ");
		for (k = 0; k < NSECUREBITS; k++)
			if (p->securebits & securebit_names[k].bit)
				printf(" %s", securebit_names[k].name);
		printf("\n");
	}
	printf("no_new_privs: %s\n", o->no_new_privs ? "yes" : "unchanged");
	printf("session:     %s\n", o->new_session ?
	       "new (setsid, no controlling terminal)" : "unchanged");
	printf("environment: %s\n", o->reset_env ?
	       "cleared but TERM; PATH, HOME, USER, LOGNAME, SHELL set" :
	       p->set_uid ? "HOME, USER, LOGNAME, SHELL set for the user" :
	       "unchanged");
	printf("command:    ");
	for (i = 0; p->argv[i]; i++)
		printf(" %s", p->argv[i]);
	printf("\n");
	if (problem)
		printf("would fail:  %s\n", problem);
	out_flush();
}

/* What a dry run, which returns from main(), gives back. */
static void plan_free(struct opts *o, struct plan *p)
{
	char **a;

	caps_state_close(&p->status_fd);
	free(p->groups);
	p->groups = NULL;
	ident_user_free(&p->user);
	if (o->command) {
		for (a = o->command; *a; a++)
			free(*a);
		free(o->command);
		o->command = NULL;
	}
	/* popt's malloc'd arguments, kept by parse_options(). */
	free((char *)o->user);
	free((char *)o->group);
	free((char *)o->groups);
	o->user = o->group = o->groups = NULL;
}

/*
 * --trace: fork; the parent never returns.  The child's copy of the
 * status file descriptor reads the parent's thread: step 7 opens its own.
 */
static void trace_fork(const struct opts *o, struct plan *p)
{
	struct trace_opts t;

	memset(&t, 0, sizeof(t));
	t.file = o->trace_file;
	t.json = o->json;
	t.verbose = verbose;
	t.run.command = o->command;
	t.run.user = o->user;
	t.run.group = o->group;
	t.run.groups = o->groups;
	t.run.have_groups = o->have_groups;
	t.run.reset_env = o->reset_env;
	t.run.no_new_privs = o->no_new_privs;
	t.run.new_session = o->new_session;
	t.run.have_securebits = o->have_securebits;
	t.run.securebits = o->securebits;
	trace_start(&t);
	caps_state_close(&p->status_fd);
}

int main(int argc, char **argv)
{
	/* Static: the option strings it owns live until exec or exit. */
	static struct opts o;
	struct plan p;
	const char *problem;

	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	p.status_fd = -1;

	/* 1. Parse, validate, resolve, compute: nothing changes yet. */
	refuse_secure_exec();
	parse_options(argc, argv, &o);
	validate_modes(&o);
	if (o.print) {
		print_state(o.json);
		return 0;
	}
	if (o.list) {
		list_caps();
		return 0;
	}
	if (o.decode) {
		decode_mask(o.decode);
		return 0;
	}
	if (o.have_check_config) {
		check_config(&o);
		return 0;
	}
	plan_make(&o, &p);
	plan_warn(&o, &p);
	if (o.dry_run) {
		dry_run(&o, &p);
		plan_free(&o, &p);
		return 0;
	}
	problem = plan_privilege_problem(&o, &p);
	if (problem)
		diex("%s", problem);

	if (o.trace)
		trace_fork(&o, &p);	/* the parent traces; the child goes on */
	bounding_drop(&p);			/* 2 */
	inheritable_ambient_trim(&p);		/* 3 */
	identity_switch(&p);			/* 4 */
	ambient_raise(&o);			/* 5 */
	securebits_nnp_set(&o, &p);		/* 6 */
	session_leave(&o);
	readback_check(&p);			/* 7 */
	environment_set(&o, &p);
	if (o.trace)
		trace_child_go();
	command_exec(&p);			/* 8 */
}
