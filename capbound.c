// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capbound - remove capabilities from the bounding set, optionally switch
 * uid/gid/groups (keeping chosen capabilities through the ambient set),
 * then exec a command, which inherits the reduced set for good.
 *
 * main() reads like the man page: parse and plan everything first, then
 * take the steps in one fixed order, each checked, each failing closed:
 * on any error the command is never run and the exit status is 125.
 * This file holds the options, the plan and the steps; exec.c step 8;
 * report_*.c the modes that only report (doc/ARCHITECTURE.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

#include "capbound.h"
#include "policy.h"
#include "trace.h"

#ifndef CAPBOUND_VERSION
#define CAPBOUND_VERSION "unknown"
#endif

#define PATH_ROOT	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define PATH_USER	"/usr/local/bin:/usr/bin:/bin"

/* ---- options ------------------------------------------------------------ */

enum {
	OPT_DROP = 1, OPT_KEEP, OPT_AMBIENT, OPT_USER, OPT_GROUP, OPT_GROUPS,
	OPT_RESET_ENV, OPT_NNP, OPT_SECUREBITS, OPT_NEW_SESSION, OPT_DRY_RUN,
	OPT_VERBOSE, OPT_QUIET, OPT_PRINT, OPT_JSON, OPT_LIST, OPT_DECODE,
	OPT_HELP, OPT_VERSION, OPT_CHECK_CONFIG, OPT_HAS, OPT_EXPLAIN,
	OPT_TRACE,
};

/*
 * The libraries' versions are the build's (pkg-config --modversion, from
 * the Makefile): libcap has no version macro for its patch level, popt
 * none at all.  Without pkg-config, libcap's MAJOR.MINOR is what is known.
 */
#define STR_(x) #x
#define STR(x) STR_(x)
#ifndef CAPBOUND_LIBCAP_VERSION
#define CAPBOUND_LIBCAP_VERSION STR(LIBCAP_MAJOR) "." STR(LIBCAP_MINOR)
#endif
#ifndef CAPBOUND_POPT_VERSION
#define CAPBOUND_POPT_VERSION "(version unknown)"
#endif
#ifdef IDENT_FILES_ONLY
#define CAPBOUND_BUILD "static build: no shared library, users and groups " \
	"from /etc/passwd and /etc/group"
#elif defined(CAPBOUND_LINK_SHARED)
#define CAPBOUND_BUILD "shared libcap and popt"
#else
#define CAPBOUND_BUILD "libcap and popt linked in, glibc shared"
#endif

static void version_print(void)
{
	printf("capbound %s\n"
	       "built with libcap %s and popt %s; %s\n", CAPBOUND_VERSION,
	       CAPBOUND_LIBCAP_VERSION, CAPBOUND_POPT_VERSION, CAPBOUND_BUILD);
}

static void usage(FILE *out)
{
	fputs(
"Usage: capbound [OPTION]... [--] [COMMAND [ARG]...]\n"
"       capbound --print[=PID] [--json] | --list | --decode=MASK\n"
"       capbound --has=CAPS[:SET] | --explain=CAPS\n"
"       capbound --trace[=FILE] [--json] [OPTION]... [--] COMMAND [ARG]...\n"
"Remove capabilities from the bounding set, optionally switch user and\n"
"groups, then exec COMMAND (default: the target user's shell).\n"
"\n"
"  -d, --drop=CAPS         remove CAPS from the bounding set (repeatable)\n"
"  -k, --keep=CAPS         keep only CAPS in the bounding set (repeatable)\n"
"  -a, --ambient=CAPS      raise CAPS in the inheritable and ambient sets, so\n"
"                          COMMAND holds them, also as a non-root --user\n"
"  -u, --user=USER[:GROUP] switch real, effective and saved uid to USER\n"
"                          (and gid to GROUP); UID:GID as well\n"
"  -g, --group=GROUP       switch real, effective and saved gid to GROUP\n"
"  -G, --groups=LIST       supplementary groups (\"\" clears them)\n"
"      --reset-env         clean environment: TERM, a safe PATH, HOME, USER,\n"
"                          LOGNAME and SHELL of the target user\n"
"      --no-new-privs      set no_new_privs before exec\n"
"      --securebits=LIST   set securebits: noroot, noroot-locked,\n"
"                          no-setuid-fixup, no-setuid-fixup-locked,\n"
"                          keep-caps-locked, no-cap-ambient-raise,\n"
"                          no-cap-ambient-raise-locked\n"
"      --new-session       leave the caller's terminal session (setsid), or\n"
"                          give up the controlling terminal\n"
"  -n, --dry-run           print the plan, change nothing; exit with the\n"
"                          status the run would have (0, 125, 126, 127)\n"
"  -v, --verbose           one line on stderr per step taken\n"
"  -q, --quiet             no warnings\n"
"      --print[=PID]       this process's (or PID's) ids and capability sets\n"
"      --json              with --print or --trace: JSON, with full lists\n"
"      --has=CAPS[:SET]    exit 0 if this process holds all of CAPS in SET\n"
"                          (bounding, the default, permitted, effective,\n"
"                          inheritable, ambient), else 1\n"
"      --list              the running kernel's capabilities\n"
"      --decode=MASK       a hex mask from /proc/PID/status as names\n"
"      --explain=CAPS      what each capability allows\n"
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
"(12, cap_12) or \"all\".  Sets are shown as \"all -cap_net_raw\" when they\n"
"hold most capabilities.  Exit status: 125 capbound failed, 126 COMMAND\n"
"could not be run, 127 COMMAND not found, else COMMAND's own.\n"
"See capbound(1).\n", out);
}

/* "net_raw+ep", "cap_chown=eip": capsh's text form, not a name. */
static int capsh_text(const char *item)
{
	size_t n = strcspn(item, "+=");

	return n > 0 && item[n] && !item[n + strspn(item + n, "+-=eipEIP")];
}

/*
 * One form for every bad list: "--drop=LIST: ITEM: why", the item left
 * out when it is the whole list; a near-miss name gets a suggestion.
 */
static capmask_t parse_caps_opt(const char *opt, const char *arg)
{
	struct caps_perror perr;
	capmask_t set;
	const char *hint, *why;
	char item[CAPS_NAME_MAX + 4] = "";

	if (!arg)		/* popt gives one; the analyser cannot know */
		arg = "";
	if (caps_parse(arg, last_cap(), &set, &perr) == 0)
		return set;
	if (perr.why == CAPS_PERR_EMPTY)
		usage_error("%s=%s: empty item in capability list", opt, arg);
	if (strcmp(perr.item, arg) != 0)
		snprintf(item, sizeof(item), "%s: ", perr.item);
	why = caps_perr_str(perr.why);
	hint = perr.why == CAPS_PERR_UNKNOWN ? caps_suggest(perr.item) : NULL;
	if (perr.why == CAPS_PERR_UNKNOWN && capsh_text(perr.item))
		why = "capability lists take names, not capsh's \"+ep\" text";
	usage_error("%s=%s: %s%s%s%s%s", opt, arg, item, why,
		    hint ? " (did you mean " : "", hint ? hint : "",
		    hint ? "?)" : "");
}

static unsigned long parse_securebits(const char *arg)
{
	char bad[CAPS_NAME_MAX];
	unsigned long bits;

	if (caps_securebits_parse(arg, &bits, bad) < 0) {
		if (!bad[0])
			usage_error("--securebits=%s: empty item in securebits "
				    "list", arg);
		usage_error("--securebits=%s: %s: unknown securebit", arg, bad);
	}
	return bits;
}

/* popt's text for a bad option, as usage errors word it. */
__attribute__((noreturn))
static void popt_fail(poptContext ctx, int rc)
{
	usage_error("%s: %s", poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
		    poptStrerror(rc));
}

static void write_out_or_die(poptContext ctx)
{
	poptFreeContext(ctx);
	out_flush();
	exit(0);
}

/*
 * --user=USER:GROUP and UID:GID (gosu, su-exec, docker): --user plus
 * --group, with the same rules.  No user name has a ':' (it ends the
 * passwd fields), so the first one splits.
 */
static void split_user_group(struct opts *o, int *group_from_user)
{
	char *colon;

	if (!o->user || !(colon = strchr(o->user, ':')))
		return;
	if (o->group)
		usage_error("--user=%s: a group after ':' and --group too: "
			    "give one", o->user);
	if (colon == o->user)
		usage_error("--user=%s: empty user name before ':'", o->user);
	if (!colon[1])
		usage_error("--user=%s: empty group name after ':'", o->user);
	o->group = strdup(colon + 1);
	if (!o->group)
		die("strdup");
	*colon = '\0';
	*group_from_user = 1;
}

static int group_from_user;

static const struct poptOption *option_named(const struct poptOption *t,
					     const char *name, size_t len,
					     char shortname)
{
	for (; t->longName || t->shortName; t++)
		if (name ? t->longName && strlen(t->longName) == len &&
			   !strncmp(t->longName, name, len)
			 : t->shortName == shortname)
			return t;
	return NULL;
}

/*
 * Whether argv holds a COMMAND, read by popt's rules for this table
 * (POSIXMEHARDER: the first non-option or what follows "--"; a required
 * value may be the next word, an optional one only with '=' or a next
 * word not starting with '-').  popt silently loses every leftover when
 * an allocation in poptGetContext() fails; with no COMMAND capbound
 * would then start a shell in the place of the command asked for.
 */
static int argv_has_command(int argc, char **argv,
			    const struct poptOption *table)
{
	const struct poptOption *opt;
	const char *a, *eq;
	int i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (!strcmp(a, "--"))
			return i + 1 < argc;
		if (a[0] != '-' || !a[1])
			return 1;
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			opt = option_named(table, a + 2,
					   eq ? (size_t)(eq - a - 2)
					      : strlen(a + 2), 0);
			if (!opt || (opt->argInfo & POPT_ARG_MASK) ==
				    POPT_ARG_NONE || eq)
				continue;
			if (!(opt->argInfo & POPT_ARGFLAG_OPTIONAL) ||
			    (i + 1 < argc && argv[i + 1][0] != '-'))
				i++;
			continue;
		}
		for (a++; *a; a++) {
			opt = option_named(table, NULL, 0, *a);
			if (opt && (opt->argInfo & POPT_ARG_MASK) !=
				   POPT_ARG_NONE) {
				if (!a[1])
					i++;	/* the value is the next word */
				break;
			}
		}
	}
	return 0;
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
		{ "print", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, &arg,
		  OPT_PRINT, NULL, NULL },
		{ "json", 0, POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
		{ "list", 0, POPT_ARG_NONE, NULL, OPT_LIST, NULL, NULL },
		{ "decode", 0, POPT_ARG_STRING, &arg, OPT_DECODE, NULL, NULL },
		{ "has", 0, POPT_ARG_STRING, &arg, OPT_HAS, NULL, NULL },
		{ "explain", 0, POPT_ARG_STRING, &arg, OPT_EXPLAIN, NULL, NULL },
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
	/* popt's malloc'd strings that the options keep, freed at exit */
	static char *kept[4];

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
				usage_error("--user: given twice");
			o->user = arg;
			arg = NULL;	/* kept: owned by o now */
			break;
		case OPT_GROUP:
			if (o->group)
				usage_error("--group: given twice");
			o->group = arg;
			arg = NULL;
			break;
		case OPT_GROUPS:
			if (o->have_groups)
				usage_error("--groups: given twice");
			o->groups = arg;
			o->have_groups = 1;
			arg = NULL;
			break;
		case OPT_SECUREBITS:
			o->securebits |= parse_securebits(arg);
			o->have_securebits = 1;
			break;
		case OPT_PRINT:
			o->print = 1;
			free(kept[0]);
			kept[0] = arg;
			o->print_pid = arg;	/* NULL: this process */
			arg = NULL;
			break;
		case OPT_DECODE:
			free(kept[1]);
			kept[1] = arg;
			o->decode = arg;
			arg = NULL;
			break;
		case OPT_HAS:
			free(kept[2]);
			kept[2] = arg;
			o->has = arg;
			arg = NULL;
			break;
		case OPT_EXPLAIN:
			free(kept[3]);
			kept[3] = arg;
			o->explain = arg;
			arg = NULL;
			break;
		case OPT_CHECK_CONFIG:
			o->have_check_config = 1;
			o->check_config = arg;	/* NULL: the default file */
			arg = NULL;
			break;
		case OPT_TRACE:
			if (o->trace)
				usage_error("--trace: given twice");
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
		popt_fail(ctx, rc);
	if (help) {
		usage(stdout);
		write_out_or_die(ctx);
	}
	if (version) {
		version_print();
		write_out_or_die(ctx);
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
	} else if (argv_has_command(argc, argv, table)) {
		diex("parsing the options: popt lost COMMAND "
		     "(out of memory?): not starting a shell instead");
	}
	poptFreeContext(ctx);
	if (!o->have_check_config)
		split_user_group(o, &group_from_user);
}

const char *run_option_given(const struct opts *o)
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
	if (o->trace) return "--trace";
	if (o->command) return "a COMMAND";
	return NULL;
}

static void validate_modes(const struct opts *o)
{
	const char *run = run_option_given(o);
	int modes = o->print + o->list + (o->decode != NULL) +
		    (o->has != NULL) + (o->explain != NULL);
	const char *mode = o->print ? "--print" : o->list ? "--list" :
			   o->decode ? "--decode" : o->has ? "--has" :
			   "--explain";

	if (modes > 1)
		usage_error("--print, --list, --decode, --has and --explain "
			    "cannot be combined");
	if (modes && run)
		usage_error("%s cannot be combined with %s", mode, run);
	if (o->trace && o->dry_run)
		usage_error("--trace cannot be combined with --dry-run");
	if (o->json && !o->print && !o->trace)
		usage_error("--json goes with --print or --trace");
}

/* ---- the plan: everything resolved and computed before any change ---- */

/* Which option an ident look-up was for, and the words for its errors. */
struct ident_what {
	const char *opt;	/* "--user", "--group", "--groups" */
	const char *kind;	/* "user", "group" */
	const char *id;		/* "uid", "gid" */
};

static const struct ident_what what_user = { "--user", "user", "uid" };
static const struct ident_what what_group = { "--group", "group", "gid" };
static const struct ident_what what_user_group = { "--user", "group", "gid" };
static const struct ident_what what_groups = { "--groups", "group", "gid" };

/*
 * The one place where a failed look-up of --user, --group or --groups
 * becomes a message.  item: the name or number that failed; list: the
 * whole --groups list (an empty item names it), else NULL.  A new
 * ident_err gets a case here.
 */
__attribute__((noreturn))
static void ident_fail(enum ident_err e, const struct ident_what *w,
		       const char *item, const char *list)
{
	if (!item)
		item = list ? list : "";
	switch (e) {
	case IDENT_EBADNUM:
		diex("%s: %s: not a valid %s (0..4294967294)", w->opt, item,
		     w->id);
	case IDENT_ENOENT:
		if (item[0] == '-' && ident_is_numeric(item + 1))
			diex("%s: %s: no such %s (not a %s, and never "
			     "\"unchanged\": leave %s out)", w->opt, item,
			     w->kind, w->id, w->opt);
		diex("%s: %s: no such %s", w->opt, item, w->kind);
	case IDENT_EBADNAME:
		if (list)
			diex("%s=%s: empty item in %s list", w->opt, list,
			     w->kind);
		diex("%s: empty %s name", w->opt, w->kind);
	case IDENT_ELOOKUP:
	case IDENT_ETOOMANY:	/* a --groups list is counted by the caller */
		die("%s: looking up %s", w->opt, item);
	case IDENT_ENOMEM:
		errno = ENOMEM;
		die("%s: %s", w->opt, item);
	case IDENT_OK:
		break;
	}
	diex("%s: %s: cannot be resolved", w->opt, item);
}

static void plan_identity(const struct opts *o, struct plan *p)
{
	const struct ident_what *gw = group_from_user ? &what_user_group :
				      &what_group;
	enum ident_err e;
	char *bad = NULL;

	if (o->user) {
		e = ident_user_resolve(o->user, &p->user);
		if (e != IDENT_OK)
			ident_fail(e, &what_user, o->user, NULL);
		p->set_uid = 1;
		p->uid = p->user.uid;
		if (!p->user.has_entry && !o->group)
			diex("--user: uid %s has no passwd entry: give a group "
			     "too (--user=%s:GID or --group)", o->user, o->user);
		if (p->user.has_entry)
			p->gid = p->user.gid;
		p->set_gid = 1;
	}
	if (o->group) {
		e = ident_group_resolve(o->group, &p->gid);
		if (e != IDENT_OK)
			ident_fail(e, gw, o->group, NULL);
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
		     o->group ? gw->opt : "--user", o->group ? o->group : o->user);
	/* Whenever uid or gid changes, groups are set: root's never leak. */
	if (o->have_groups) {
		e = ident_groups_parse(o->groups, &p->groups, &p->ngroups, &bad);
		if (e != IDENT_OK)
			ident_fail(e, &what_groups, bad, o->groups);
		if (p->ngroups > (size_t)sysconf(_SC_NGROUPS_MAX))
			diex("--groups: %zu groups, more than the kernel's "
			     "limit of %ld (NGROUPS_MAX)", p->ngroups,
			     sysconf(_SC_NGROUPS_MAX));
		p->set_groups = 1;
	} else if (p->user.has_entry) {
		e = ident_user_groups(p->user.name, p->user.gid, &p->groups,
				      &p->ngroups);
		if (e == IDENT_ENOMEM) {
			errno = ENOMEM;
			die("--user: groups of %s", p->user.name);
		}
		if (e == IDENT_ETOOMANY)
			diex("--user: %s is in %zu groups, more than the "
			     "kernel's limit of %ld (NGROUPS_MAX)", p->user.name,
			     p->ngroups, sysconf(_SC_NGROUPS_MAX));
		if (e != IDENT_OK)
			die("--user: reading the groups of %s", p->user.name);
		p->set_groups = 1;
	} else if (p->set_uid || p->set_gid) {
		p->groups = NULL;
		p->ngroups = 0;
		p->set_groups = 1;
	}
	p->leaving_root = p->set_uid && p->uid != 0 &&
		(p->cur_uid[0] == 0 || p->cur_uid[1] == 0 || p->cur_uid[2] == 0);
}

/* Is /dev/tty there for us, i.e. do we have a controlling terminal? */
static int has_ctty(void)
{
	int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno != ENXIO;	/* anything else: assume one, check later */
}

/*
 * --new-session, decided now so that the dry run and -v say what will
 * happen: setsid() where capbound leads no process group; a group leader
 * (a shell's job) cannot setsid() and capbound never forks, so it gives
 * the terminal up instead; a session leader gives up its terminal if it
 * has one.  Either way the command has no controlling terminal.
 */
static enum session_act plan_session(const struct opts *o)
{
	pid_t pid;

	if (!o->new_session)
		return SESSION_KEEP;
	pid = getpid();
	if (getsid(0) == pid)
		return has_ctty() ? SESSION_LEADER_NOTTY : SESSION_LEADER;
	if (getpgrp() == pid)
		return SESSION_NOTTY;
	return SESSION_SETSID;
}

static void plan_make(const struct opts *o, struct plan *p)
{
	struct caps_fail f;
	capmask_t bad;
	int sb;

	p->last_cap = last_cap();
	if (p->last_cap < 0)
		die("cannot tell the running kernel's last capability "
		    "(/proc/sys/kernel/cap_last_cap, prctl(PR_CAPBSET_READ))");
	p->kernel = caps_kernel_mask(p->last_cap);
	/*
	 * By system calls, not /proc/thread-self/status: in a process that
	 * has just started, opening it costs more than all the rest of the
	 * start-up (doc/bench.md).  A capability beyond last_cap (a count
	 * that is wrong) is not read here; step 7 reads up to the first the
	 * kernel does not know, and fails.
	 */
	if (caps_state_read_syscalls(&p->cur, p->last_cap, &f) < 0)
		die_caps(&f);

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

	if (getresuid(&p->cur_uid[0], &p->cur_uid[1], &p->cur_uid[2]) < 0)
		die("getresuid");
	if (getresgid(&p->cur_gid[0], &p->cur_gid[1], &p->cur_gid[2]) < 0)
		die("getresgid");
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
	/* The caller's securebits matter to steps 4-6 and to the report. */
	if (o->ambient || o->have_securebits || p->keep_caps || o->dry_run) {
		sb = prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL);
		if (sb < 0)
			die("prctl(PR_GET_SECUREBITS)");
		p->cur_securebits = (unsigned long)sb;
	}
	p->session = plan_session(o);

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

uid_t plan_final_uid(const struct plan *p)
{
	return p->set_uid ? p->uid : p->cur_uid[1];
}

gid_t plan_final_gid(const struct plan *p)
{
	return p->set_gid ? p->gid : p->cur_gid[1];
}

/* The securebits the command starts with (execve clears keep-caps). */
unsigned long plan_final_securebits(const struct opts *o,
				    const struct plan *p)
{
	unsigned long sb = p->cur_securebits;

	if (o->have_securebits)
		sb |= p->securebits;
	return sb & ~(unsigned long)SECBIT_KEEP_CAPS;
}

/*
 * The command's permitted and effective sets after execve(2) of a file
 * without file capabilities or set-user-ID bit (capabilities(7)): root
 * (real or effective uid 0, no noroot securebit) gets pI | bounding, and
 * effective too with effective uid 0; anyone else exactly its ambient set.
 */
int plan_command_root(const struct opts *o, const struct plan *p)
{
	uid_t ruid = p->set_uid ? p->uid : p->cur_uid[0];
	uid_t euid = p->set_uid ? p->uid : p->cur_uid[1];

	return !(plan_final_securebits(o, p) & SECBIT_NOROOT) &&
	       (ruid == 0 || euid == 0);
}

void plan_command_caps(const struct opts *o, const struct plan *p,
		       capmask_t *prm, capmask_t *eff)
{
	uid_t euid = p->set_uid ? p->uid : p->cur_uid[1];
	int root = plan_command_root(o, p);

	*prm = root ? (p->inh | p->bound | p->amb) : p->amb;
	*eff = root && euid == 0 ? *prm : p->amb;
}

__attribute__((format(printf, 4, 5)))
static int plan_fails(struct plan_fail *f, int step, int status,
		      const char *fmt, ...)
{
	va_list ap;

	f->step = step;
	f->status = status;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* No map to read (no /proc) counts as mapped: the kernel tells at step 4. */
static int id_mapped(int is_gid, unsigned int id)
{
	return ident_id_mapped(is_gid, id) != 0;
}

/* Does this user namespace deny setgroups(2) (/proc/self/setgroups)? */
static int setgroups_denied(void)
{
	char buf[16] = "";
	FILE *f = fopen("/proc/self/setgroups", "re");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	(void)fclose(f);	/* read-only */
	return !strncmp(buf, "deny", 4);
}

/* The kernel's supplementary groups are already p->groups (as a set). */
static int groups_already(const struct plan *p)
{
	gid_t *now;
	int n, same = 1;

	n = getgroups(0, NULL);
	if (n < 0)
		return 0;
	now = calloc((size_t)n + 1, sizeof(*now));
	if (!now)
		return 0;
	n = getgroups(n, now);
	/* Sorted and compared: O(n log n) at any number of groups. */
	if (n >= 0)
		same = ident_gids_same_set(now, (size_t)n, p->groups,
					   p->ngroups) == 1;
	free(now);
	return n >= 0 && same;
}

/*
 * What the steps need that the caller may lack, checked in the order of
 * the steps, so that the first failure named is the real run's.  The
 * kernel's rules: setgroups(2) needs CAP_SETGID (and "allow" in a user
 * namespace); setresgid/setresuid need CAP_SETGID/CAP_SETUID unless the
 * new id is already one of the three; PR_SET_KEEPCAPS fails when
 * keep-caps is locked; PR_CAP_AMBIENT_RAISE needs the capability
 * permitted and no no-cap-ambient-raise; PR_SET_SECUREBITS needs
 * CAP_SETPCAP and may not change a locked bit.  The dry run (thorough)
 * also reads the id maps: a real run finds those out from the kernel at
 * step 4, with the same exit status.
 */
static int plan_check_steps(const struct opts *o, const struct plan *p,
			    struct plan_fail *f, int thorough)
{
	capmask_t bad, eff = p->cur.eff;
	unsigned long sb = p->cur_securebits, want, locked;
	size_t i;

	/* 2 */
	if (p->to_drop && !(p->cur.prm & CAPS_BIT(CAP_SETPCAP)))
		return plan_fails(f, 2, EXIT_FAIL, "CAP_SETPCAP is needed to "
			"drop %s from the bounding set, and capbound does not "
			"have it (run as root, or drop only what is already "
			"gone)", names(p->to_drop, 1));
	/* 4 */
	if (p->set_groups && (thorough || !(eff & CAPS_BIT(CAP_SETGID))) &&
	    !groups_already(p)) {
		char *g = groups_text(p->groups, p->ngroups);

		if (!(eff & CAPS_BIT(CAP_SETGID)))
			plan_fails(f, 4, EXIT_FAIL, "setgroups(%s): cap_setgid "
				   "is needed to set supplementary groups, and "
				   "capbound does not have it", g);
		else if (thorough && setgroups_denied())
			plan_fails(f, 4, EXIT_FAIL, "setgroups(%s): this user "
				   "namespace denies setgroups "
				   "(/proc/self/setgroups)", g);
		free(g);
		if (f->step)
			return -1;
	}
	for (i = 0; thorough && p->set_groups && i < p->ngroups; i++)
		if (!id_mapped(1, p->groups[i]))
			return plan_fails(f, 4, EXIT_FAIL, "setgroups: gid %u "
				"is not mapped in this user namespace "
				"(/proc/self/gid_map)", (unsigned)p->groups[i]);
	if (p->set_gid) {
		if (thorough && !id_mapped(1, p->gid))
			return plan_fails(f, 4, EXIT_FAIL, "setresgid(%u): gid "
				"%u is not mapped in this user namespace "
				"(/proc/self/gid_map)", (unsigned)p->gid,
				(unsigned)p->gid);
		if (!(eff & CAPS_BIT(CAP_SETGID)) && p->gid != p->cur_gid[0] &&
		    p->gid != p->cur_gid[1] && p->gid != p->cur_gid[2])
			return plan_fails(f, 4, EXIT_FAIL, "setresgid(%s): "
				"cap_setgid is needed to switch to another "
				"group, and capbound does not have it",
				gid_text(p->gid, 0));
	}
	if (p->set_uid) {
		if (p->keep_caps && (sb & SECBIT_KEEP_CAPS_LOCKED))
			return plan_fails(f, 4, EXIT_FAIL, "prctl(PR_SET_KEEPCAPS): "
				"the caller locked keep-caps (keep-caps-locked), "
				"so capabilities cannot be kept across the "
				"switch to uid %u for %s", (unsigned)p->uid,
				o->ambient ? "--ambient" : "--securebits");
		if (thorough && !id_mapped(0, p->uid))
			return plan_fails(f, 4, EXIT_FAIL, "setresuid(%u): uid "
				"%u is not mapped in this user namespace "
				"(/proc/self/uid_map)", (unsigned)p->uid,
				(unsigned)p->uid);
		if (!(eff & CAPS_BIT(CAP_SETUID)) && p->uid != p->cur_uid[0] &&
		    p->uid != p->cur_uid[1] && p->uid != p->cur_uid[2])
			return plan_fails(f, 4, EXIT_FAIL, "setresuid(%s): "
				"cap_setuid is needed to switch to another "
				"user, and capbound does not have it",
				uid_text(p->uid, 0));
	}
	/* 5 */
	bad = o->ambient & ~p->cur.prm;
	if (bad)
		return plan_fails(f, 5, EXIT_FAIL, "--ambient: %s: not "
			"permitted to capbound", names(bad, 1));
	if (o->ambient && (sb & SECBIT_NO_CAP_AMBIENT_RAISE))
		return plan_fails(f, 5, EXIT_FAIL, "prctl("
			"PR_CAP_AMBIENT_RAISE, %s): the caller set "
			"no-cap-ambient-raise, so nothing can be raised to the "
			"ambient set", names(o->ambient, 1));
	/* 6 */
	if (o->have_securebits) {
		if (!(p->cur.prm & CAPS_BIT(CAP_SETPCAP)))
			return plan_fails(f, 6, EXIT_FAIL, "--securebits: "
				"cap_setpcap is needed, and capbound does not "
				"have it");
		if (p->keep_caps)
			sb &= ~(unsigned long)SECBIT_KEEP_CAPS;
		want = sb | p->securebits;
		/* each lock bit sits one above the bit it locks */
		locked = (sb & SECURE_ALL_LOCKS) >> 1;
		if (locked & (sb ^ want))
			return plan_fails(f, 6, EXIT_FAIL,
				"prctl(PR_SET_SECUREBITS, 0x%lx): %s locked by the "
				"caller, so it cannot be changed", want,
				securebits_text(locked & (sb ^ want), 0));
	}
	return 0;
}

int plan_check(const struct opts *o, const struct plan *p,
	       struct plan_fail *f)
{
	memset(f, 0, sizeof(*f));
	return plan_check_steps(o, p, f, 1);
}

static void plan_warn(const struct opts *o, const struct plan *p)
{
	capmask_t drop_unknown = o->drop & ~p->kernel;
	capmask_t keep_unknown = o->keep & ~p->kernel & ~o->drop;
	capmask_t prm, eff;
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
	/*
	 * "--keep=net_bind_service --user=www-data" leaves the capability in
	 * the bounding set, but a non-root command holds only its ambient
	 * set: the daemon would fail with EACCES, not knowing why.
	 */
	if (o->have_keep && p->set_uid && p->bound) {
		plan_command_caps(o, p, &prm, &eff);
		if (!prm)
			warnx_("--keep with --user=%s: the command (uid %u, not "
			       "root) holds none of %s, which stay in the "
			       "bounding set only: add --ambient=... for those "
			       "it needs", o->user, (unsigned)p->uid,
			       names(p->bound, 0));
	}
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

/* Step 1c: what the steps would need and the caller lacks stops here. */
static void plan_refuse_problems(const struct opts *o, const struct plan *p)
{
	struct plan_fail f;

	memset(&f, 0, sizeof(f));
	if (plan_check_steps(o, p, &f, 0) < 0)
		diex("%s", f.why);
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
	char *g;

	if (p->set_groups) {
		if (verbose) {
			g = groups_text(p->groups, p->ngroups);
			step("setting supplementary groups: %s", g);
			free(g);
		}
		if (ident_groups_set(p->groups, p->ngroups) < 0) {
			int e = errno;

			g = groups_text(p->groups, p->ngroups);
			/* Say why, as the dry run does: the EPERM alone hides it. */
			if (e == EPERM && setgroups_denied())
				diex("setgroups(%s): this user namespace denies "
				     "setgroups (/proc/self/setgroups)", g);
			errno = e;
			die("setgroups(%s)", g);
		}
	}
	if (p->set_gid) {
		step("setting gid %s", gid_text(p->gid, 0));
		if (ident_gid_set(p->gid) < 0)
			die("setresgid(%u)", (unsigned)p->gid);
	}
	if (!p->set_uid)
		return;
	step("setting uid %s%s", uid_text(p->uid, 0),
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
		step("setting securebits 0x%lx (%s)", want,
		     securebits_text(want, 0));
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
 * TIOCNOTTY on the controlling terminal.  From a session leader the
 * kernel also sends SIGHUP (and SIGCONT) to the terminal's foreground
 * process group, which is capbound's own: ignore it across the call, and
 * set SIG_IGN once more after it, which discards one left pending by a
 * caller's blocked mask, then put the caller's disposition back.
 */
static void tty_give_up(int leader)
{
	struct sigaction ign, old;
	int fd;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENXIO)
			return;		/* no controlling terminal at all */
		die("--new-session: open /dev/tty");
	}
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	if (leader && sigaction(SIGHUP, &ign, &old) < 0)
		die("--new-session: sigaction(SIGHUP)");
	if (ioctl(fd, TIOCNOTTY) < 0)
		die("--new-session: ioctl(/dev/tty, TIOCNOTTY)");
	if (leader && (sigaction(SIGHUP, &ign, NULL) < 0 ||
		       sigaction(SIGHUP, &old, NULL) < 0))
		die("--new-session: sigaction(SIGHUP)");
	close(fd);
}

/*
 * --new-session: the command must not share the caller's controlling
 * terminal, or it could push keystrokes into it (TIOCSTI).  Read back:
 * the session (setsid) and that /dev/tty is gone.
 */
static void session_leave(const struct plan *p)
{
	int fd;

	switch (p->session) {
	case SESSION_KEEP:
		return;
	case SESSION_SETSID:
		step("starting a new session (setsid)");
		if (setsid() < 0)
			die("setsid");
		if (getsid(0) != getpid())
			diex("--new-session: setsid() succeeded, but the session "
			     "is %ld", (long)getsid(0));
		break;
	case SESSION_NOTTY:
		step("giving up the controlling terminal (TIOCNOTTY): "
		     "capbound leads a process group, so setsid() is refused");
		tty_give_up(0);
		break;
	case SESSION_LEADER_NOTTY:
		step("giving up the controlling terminal (TIOCNOTTY): "
		     "capbound already leads its session");
		tty_give_up(1);
		break;
	case SESSION_LEADER:
		step("no new session: capbound already leads its session, "
		     "without a terminal");
		break;
	}
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 || errno != ENXIO)
		diex("--new-session: still attached to a terminal");
}

/* Step 7: the kernel's view must be the plan. */
static void readback_check(const struct plan *p)
{
	capmask_t inh, amb;
	struct caps_fail f;

	if (caps_bounding_verify(p->bound, p->last_cap, &f) < 0)
		die_caps(&f);
	if (caps_inh_amb_readback(p->amb, &inh, &amb, &f) < 0)
		die_caps(&f);
	if (inh != p->inh)
		diex("inheritable set is %s, expected %s", names(inh, 0),
		     names(p->inh, 1));
	if (amb != p->amb)
		diex("ambient set is %s, expected %s", names(amb, 0),
		     names(p->amb, 1));
	step("bounding set now %s", names(p->bound, 0));
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

/* What a dry run, which returns from main(), gives back. */
static void plan_free(struct opts *o, struct plan *p)
{
	char **a;

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

/* --trace: fork; the parent never returns. */
static void trace_fork(const struct opts *o)
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
}

int main(int argc, char **argv)
{
	/* Static: the option strings it owns live until exec or exit. */
	static struct opts o;
	struct plan p;
	int status;

	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));

	/* 1. Parse, validate, resolve, compute: nothing changes yet. */
	refuse_secure_exec();
	parse_options(argc, argv, &o);
	validate_modes(&o);
	if (o.print) {
		print_state(o.print_pid, o.json);
		return 0;
	}
	if (o.has)
		return has_caps(o.has);
	if (o.list) {
		list_caps();
		return 0;
	}
	if (o.decode) {
		decode_mask(o.decode);
		return 0;
	}
	if (o.explain) {
		explain_caps(o.explain);
		return 0;
	}
	if (o.have_check_config) {
		check_config(&o);
		return 0;
	}
	plan_make(&o, &p);
	plan_warn(&o, &p);
	if (o.dry_run) {
		status = dry_run(&o, &p);
		plan_free(&o, &p);
		return status;
	}
	plan_refuse_problems(&o, &p);
	/*
	 * The kernel sorts the groups; sorted here (the dry run above kept
	 * the order given), step 4's read-back compares without a copy.
	 */
	if (p.set_groups && ident_gids_sort(p.groups, p.ngroups) < 0)
		die("sorting the supplementary groups");

	if (o.trace)
		trace_fork(&o);		/* the parent traces; the child goes on */
	bounding_drop(&p);			/* 2 */
	inheritable_ambient_trim(&p);		/* 3 */
	identity_switch(&p);			/* 4 */
	ambient_raise(&o);			/* 5 */
	securebits_nnp_set(&o, &p);		/* 6 */
	session_leave(&p);
	readback_check(&p);			/* 7 */
	environment_set(&o, &p);
	if (o.trace)
		trace_child_go();
	command_exec(&p);			/* 8 */
}
