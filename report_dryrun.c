// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_dryrun.c - --dry-run: the plan, line by line in the order of the
 * steps, each "now -> result" or "now (unchanged)", and the first step
 * the real run would fail at, from the same checks the real run makes
 * (plan_check(), exec_predict()).  Its exit status is the real run's
 * before the command's own: 0, 125, 126 or 127.  Nothing is changed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/securebits.h>

#include "capbound.h"

#define LABEL "%-14s"

static void set_line(const char *what, capmask_t now, capmask_t then,
		     const char *note)
{
	if (now == then)
		printf(LABEL "%s (unchanged)%s\n", what, names(now, 0), note);
	else
		printf(LABEL "%s -> %s%s\n", what, names(now, 0),
		       names(then, 1), note);
}

static void id_line(const char *what, int user, unsigned now, int change,
		    unsigned then)
{
	const char *a = user ? uid_text(now, 0) : gid_text(now, 0);

	if (change && now != then)
		printf(LABEL "%s -> %s\n", what, a,
		       user ? uid_text(then, 1) : gid_text(then, 1));
	else
		printf(LABEL "%s (unchanged)\n", what, a);
}

/* The same groups as a set: sorted and compared, O(n log n). */
static int same_groups(const gid_t *now, size_t n, const struct plan *p)
{
	return ident_gids_same_set(now, n, p->groups, p->ngroups) == 1;
}

static void groups_line(const struct plan *p)
{
	gid_t *now = NULL;
	int n = getgroups(0, NULL);
	char *a, *b;

	if (n > 0) {
		now = calloc((size_t)n, sizeof(*now));
		if (!now)
			die("calloc");
		n = getgroups(n, now);
	}
	if (n < 0)
		die("getgroups");
	a = groups_text(now, (size_t)n);
	if (!p->set_groups || same_groups(now, (size_t)n, p)) {
		printf(LABEL "%s (unchanged)\n", "groups:", a);
	} else {
		b = groups_text(p->groups, p->ngroups);
		printf(LABEL "%s -> %s\n", "groups:", a, b);
		free(b);
	}
	free(a);
	free(now);
}

static const char *session_text(enum session_act s)
{
	switch (s) {
	case SESSION_KEEP:
		return "unchanged";
	case SESSION_SETSID:
		return "new (setsid, no controlling terminal)";
	case SESSION_NOTTY:
		return "the same, without its controlling terminal "
		       "(TIOCNOTTY: capbound leads a process group, so "
		       "setsid is refused)";
	case SESSION_LEADER_NOTTY:
		return "the same (capbound already leads it), without its "
		       "controlling terminal (TIOCNOTTY)";
	case SESSION_LEADER:
		return "the same (capbound already leads it, with no "
		       "controlling terminal): nothing to do";
	}
	return "?";
}

static void environment_line(const struct opts *o, const struct plan *p)
{
	struct ident_user self;
	const struct ident_user *u = NULL;

	memset(&self, 0, sizeof(self));
	if (p->set_uid)
		u = &p->user;
	else if (o->reset_env &&
		 ident_user_by_uid(getuid(), &self) == IDENT_OK)
		u = &self;
	printf(LABEL, "environment:");
	if (o->reset_env)
		printf("cleared but TERM; PATH=%s, ",
		       plan_final_uid(p) == 0 ? "(root's)" : "(a user's)");
	if (u && u->has_entry)
		printf("HOME=%s USER=%s LOGNAME=%s SHELL=%s set\n",
		       esc(u->home, 0), esc(u->name, 1), esc(u->name, 2),
		       esc(*u->shell ? u->shell : "/bin/sh", 3));
	else if (p->set_uid || o->reset_env)
		printf("HOME=/ SHELL=/bin/sh set, USER and LOGNAME removed "
		       "(uid %u has no passwd entry)\n",
		       (unsigned)plan_final_uid(p));
	else
		printf("unchanged\n");
	ident_user_free(&self);
}

/* The command as a shell would read it back: odd words quoted. */
static void command_line(const struct plan *p)
{
	int i;

	printf(LABEL, "command:");
	for (i = 0; p->argv[i]; i++) {
		const char *a = p->argv[i];

		if (*a && !strpbrk(a, " \t'\"\\$`*?[]{}()<>|&;#~"))
			printf("%s%s", i ? " " : "", esc(a, 0));
		else
			printf("%s'%s'", i ? " " : "", esc(a, 0));
	}
	printf("\n");
}

static const char *step_name(int step)
{
	switch (step) {
	case 2: return "bounding set";
	case 3: return "inheritable and ambient sets";
	case 4: return "ids";
	case 5: return "ambient set";
	case 6: return "securebits";
	case 7: return "read-back";
	case 8: return "exec";
	}
	return "plan";
}

int dry_run(const struct opts *o, const struct plan *p)
{
	struct plan_fail f;
	capmask_t prm, eff;
	unsigned long sb_now = p->cur_securebits & ~(unsigned long)
		SECBIT_KEEP_CAPS, sb_then = plan_final_securebits(o, p);
	char *found = NULL;
	const char *note = "", *exec_note = NULL;
	int status = 0, nnp;

	memset(&f, 0, sizeof(f));
	/* The first step that would fail sets the status. */
	if (plan_check(o, p, &f) < 0 || exec_predict(p, &found, &f) != 0)
		status = f.status;

	set_line("bounding:", p->cur.bnd, p->bound, "");
	printf(LABEL "%s\n", "drop:", names(p->to_drop, 0));
	set_line("inheritable:", p->cur.inh, p->inh, "");
	set_line("ambient:", p->cur.amb, p->amb, "");
	groups_line(p);
	id_line("gid:", 0, p->cur_gid[1], p->set_gid, p->gid);
	id_line("uid:", 1, p->cur_uid[1], p->set_uid, p->uid);
	if (sb_now == sb_then)
		printf(LABEL "%s (unchanged)\n", "securebits:",
		       securebits_text(sb_now, 0));
	else
		printf(LABEL "%s -> %s\n", "securebits:",
		       securebits_text(sb_now, 0), securebits_text(sb_then, 1));
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL);
	if (nnp < 0)
		die("prctl(PR_GET_NO_NEW_PRIVS)");
	if (o->no_new_privs && !nnp)
		printf(LABEL "0 -> 1\n", "no_new_privs:");
	else
		printf(LABEL "%d (unchanged)\n", "no_new_privs:", nnp);
	printf(LABEL "%s\n", "session:", session_text(p->session));
	environment_line(o, p);
	command_line(p);
	/*
	 * The command's own sets after execve: what it holds, not capbound.
	 * A file with capabilities or set-user-ID gets others: say so.
	 */
	plan_command_caps(o, p, &prm, &eff);
	if (found && !status) {
		printf(LABEL "%s (as far as can be told without running "
		       "it)\n", "runs:", esc(found, 0));
		exec_note = exec_changes_creds(found, plan_final_uid(p),
					       plan_final_gid(p),
					       plan_command_root(o, p),
					       nnp || o->no_new_privs);
		if (exec_note)
			printf(LABEL "%s\n", "cannot know:", exec_note);
	}
	if (exec_note)
		note = "  [before the file's own bits: see cannot know:]";
	else if (!prm && p->bound && plan_final_uid(p) != 0)
		note = "  [not root: only --ambient gives a user capabilities]";
	else if (!prm && p->bound)
		note = "  [noroot securebit: root holds only its ambient set]";
	set_line("permitted:", p->cur.prm, prm, note);
	set_line("effective:", p->cur.eff, eff, "");
	if (status)
		printf(LABEL "step %d (%s): %s\n", "would fail:", f.step,
		       step_name(f.step), f.why);
	free(found);
	out_flush();
	return status;
}
