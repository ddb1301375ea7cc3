/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capbound.h - what the command's own files share: the options, the plan,
 * messages and the text forms of sets and ids.  Not for the PAM module,
 * which shares only the libraries (caps.h, ident.h, policy.h).
 *
 * capbound.c    options, the plan, its checks, the steps, main()
 * messages.c    "capbound: WHAT: WHY" on stderr, control characters escaped
 * notation.c    sets ("all -cap_net_raw", "(none)"), ids ("33(www-data)")
 * exec.c        the PATH search, exec, why a command cannot run
 * report_*.c    the modes that only report: print (and --has), caps
 *               (--list, --decode, --explain), dry run, check-config
 */
#ifndef CAPBOUND_CAPBOUND_H
#define CAPBOUND_CAPBOUND_H

#include <stdio.h>
#include <sys/types.h>

#include "caps.h"
#include "ident.h"

#define EXIT_FAIL	125	/* capbound itself failed */
#define EXIT_CANNOT_RUN	126	/* COMMAND found but could not be run */
#define EXIT_NOT_FOUND	127	/* COMMAND not found */

/* ---- options (capbound.c) ----------------------------------------------- */

struct opts {
	capmask_t drop, keep, ambient;
	int have_drop, have_keep;
	const char *user, *group, *groups;
	int have_groups;
	unsigned long securebits;
	int have_securebits;
	int reset_env, no_new_privs, new_session, dry_run;
	int print, json, list;
	const char *print_pid;		/* --print=PID; NULL: this process */
	const char *decode;
	const char *has;		/* --has=CAPS[:SET] */
	const char *explain;		/* --explain=CAPS */
	const char *check_config;	/* the policy file, with have_check_config */
	int have_check_config;
	int trace;			/* --trace[=FILE] */
	const char *trace_file;		/* NULL: stderr */
	char **command;			/* NULL: start a shell */
};

extern int quiet, verbose;

/* The first option given that only makes sense for a run, or NULL. */
const char *run_option_given(const struct opts *o);

/* ---- the plan (capbound.c) ---------------------------------------------- */

/* What --new-session will do, decided in step 1 (getsid, getpgrp, tty). */
enum session_act {
	SESSION_KEEP,		/* no --new-session */
	SESSION_SETSID,		/* setsid(): a new session, no terminal */
	SESSION_NOTTY,		/* a group leader: TIOCNOTTY, same session */
	SESSION_LEADER_NOTTY,	/* leads its session: give its terminal up */
	SESSION_LEADER,		/* leads its session, no terminal: nothing */
};

struct plan {
	int last_cap;
	capmask_t kernel;
	struct caps_state cur;		/* before any change */
	capmask_t bound;		/* resulting bounding set */
	capmask_t to_drop;		/* cur.bnd - bound */
	capmask_t inh, amb;		/* resulting inheritable, ambient */
	capmask_t inh_amb_keep;		/* all that steps 3 leaves in pI, pA */

	uid_t cur_uid[3];		/* real, effective, saved, now */
	gid_t cur_gid[3];
	unsigned long cur_securebits;	/* read when steps or a report need it */

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
	enum session_act session;

	char **argv;			/* the command, or the shell */
	char *shell_argv[3];
};

/* The first step the real run would fail at, and why (plan_check()). */
struct plan_fail {
	int step;			/* 2..8, as in the man page */
	int status;			/* 125, 126 or 127 */
	char why[1024 + 2 * CAPS_FORMAT_MAX];
};

/*
 * Would steps 2-6 fail, and where?  The same checks stop a real run
 * before step 2; step 8 is exec_predict().  0: no; -1: *f says.
 */
int plan_check(const struct opts *o, const struct plan *p,
	       struct plan_fail *f);

/* The ids the command runs with, after step 4 (effective ones). */
uid_t plan_final_uid(const struct plan *p);
gid_t plan_final_gid(const struct plan *p);
/* The securebits the command starts with. */
unsigned long plan_final_securebits(const struct opts *o,
				    const struct plan *p);

/* Does the command hold root's capabilities (uid 0, no noroot)? */
int plan_command_root(const struct opts *o, const struct plan *p);
/* What the command will hold after execve, file capabilities aside. */
void plan_command_caps(const struct opts *o, const struct plan *p,
		       capmask_t *prm, capmask_t *eff);

/* ---- messages (messages.c) ---------------------------------------------- */

/* Fail with errno's text; the command is never run (exit 125). */
__attribute__((noreturn, format(printf, 1, 2)))
void die(const char *fmt, ...);
/* Fail where errno means nothing (a lookup that found no entry). */
__attribute__((noreturn, format(printf, 1, 2)))
void diex(const char *fmt, ...);
/* A usage error: the message, then "Try 'capbound --help'...". */
__attribute__((noreturn, format(printf, 1, 2)))
void usage_error(const char *fmt, ...);
/* One message line, then exit with status (126, 127). */
__attribute__((noreturn, format(printf, 2, 3)))
void die_status(int status, const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void warnx_(const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void step_print(const char *fmt, ...);
/* --verbose: one line per step; arguments cost nothing unless asked. */
#define step(...) do { if (verbose) step_print(__VA_ARGS__); } while (0)

__attribute__((noreturn))
void die_caps(const struct caps_fail *f);
__attribute__((noreturn))
void die_capset(const struct caps_fail *f, const char *what, capmask_t set);

/* stdout flushed and checked: a report that could not be written fails. */
void out_flush(void);

/* ---- notation (notation.c) ---------------------------------------------- */

/* The running kernel's last capability, read once; -1 if unknown. */
int last_cap(void);

/*
 * A set in the one notation of every text report and message:
 * "(none)", "all", "all -cap_net_raw,cap_sys_resource" when the set holds
 * more than half of the kernel's capabilities, else "cap_chown,cap_kill".
 * Static buffer per slot (0..3).
 */
const char *names(capmask_t set, int slot);
/* Every name, never "all -...": for --decode and exact lists. */
const char *names_full(capmask_t set, int slot);
const char *capname(int cap);

/* s with control characters as \n, \t, \xNN; "" as ""; slot 0..3. */
const char *esc(const char *s, int slot);

/* "0(root)", "33(www-data)", "1234" when no entry; slot 0..3. */
const char *uid_text(uid_t uid, int slot);
const char *gid_text(gid_t gid, int slot);
/* "0(root),27(sudo)" or "(none)", malloc'd. */
char *groups_text(const gid_t *gids, size_t n);

/* The securebits set in bits by name, "keep-caps" too; "(none)". */
const char *securebits_text(unsigned long bits, int slot);

/* A capability name close to item ("netraw" -> "net_raw"), or NULL. */
const char *caps_suggest(const char *item);

/* ---- exec (exec.c) ------------------------------------------------------ */

/* Step 8: execvp(3)'s search and rules; never returns (126, 127). */
__attribute__((noreturn))
void command_exec(const struct plan *p);

/*
 * Would step 8 run the command?  The same search as command_exec(),
 * each file judged with the command's ids instead of execve(2).
 * 0 and *found (malloc'd) the file that would run, or 126/127 with *f
 * filled in.
 */
int exec_predict(const struct plan *p, char **found, struct plan_fail *f);

/*
 * What execve(2) of path itself would change that a plan cannot show:
 * its set-user-ID or set-group-ID bit, or its file capabilities (for a
 * "#!" script, its interpreter's).  NULL when nothing: no such bit, a
 * nosuid mount, no_new_privs, or bits that change nothing for these ids.
 */
const char *exec_changes_creds(const char *path, uid_t uid, gid_t gid,
			       int root, int nnp);

/* ---- the modes that only report (report_*.c) ---------------------------- */

void print_state(const char *pid, int json);		/* report_print.c */
int has_caps(const char *arg);				/* report_print.c */
void list_caps(void);					/* report_caps.c */
void decode_mask(const char *arg);			/* report_caps.c */
void explain_caps(const char *arg);			/* report_caps.c */
int dry_run(const struct opts *o, const struct plan *p); /* report_dryrun.c */
void check_config(const struct opts *o);		/* report_config.c */

#endif
