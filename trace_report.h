/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_report.h - what capbound --trace makes of a trace instance's
 * trace_pipe text: capability checks counted by capability, program and
 * kind, and the report with a suggested command line.
 *
 * Nothing here touches tracefs, processes or privilege: it reads lines
 * and writes a report, so that it is testable on saved trace text.
 */
#ifndef CAPBOUND_TRACE_REPORT_H
#define CAPBOUND_TRACE_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "caps.h"

/* What kind of check it was; the report shows each kind apart. */
enum trace_kind {
	TRACE_NEEDED = 0,	/* granted in the command's user namespace */
	TRACE_DENIED,		/* refused in the command's user namespace */
	TRACE_NO_NEED,		/* needs nothing: a known kernel caller */
	TRACE_OTHER_NS,		/* against, or from, another user namespace */
	TRACE_NKINDS
};

struct trace_report;

/*
 * first_pid: the process capbound forked.  Its checks before its first
 * exec are capbound's own (the probe that names the starting user
 * namespace); they are not counted.
 */
struct trace_report *trace_report_new(pid_t first_pid);
void trace_report_free(struct trace_report *r);

/* Bytes read from trace_pipe, in any pieces. -1 (ENOMEM) on failure. */
int trace_report_feed(struct trace_report *r, const char *buf, size_t len);
/* No more input: a last line without newline and pending checks count. */
int trace_report_end(struct trace_report *r);

/*
 * The events lost in one CPU's per_cpu/cpuN/stats text: "overrun:"
 * (overwritten before they were read) plus "dropped events:".
 */
unsigned long long trace_stats_lost(const char *stats);
/*
 * All lost events: the larger of the stats' sum and trace_pipe's own
 * "CPU:N [LOST M EVENTS]" lines, two counts of the same events.
 */
unsigned long long trace_report_lost(const struct trace_report *r,
				     unsigned long long stats_lost);

/* Did first_pid exec anything (did COMMAND run at all)? */
int trace_report_ran(const struct trace_report *r);
/* The capabilities of each kind. */
capmask_t trace_report_caps(const struct trace_report *r, enum trace_kind k);

/* What the run was and what the suggested line carries over. */
struct trace_run {
	char **command;			/* NULL: the user's shell */
	const char *status;		/* "exit status 0", "killed by SIGSEGV" */
	int exit_code;			/* for JSON: the code capbound returns */
	unsigned long long lost;	/* trace_stats_lost() of all CPUs */
	const char *user, *group, *groups;	/* as given, or NULL */
	int have_groups;
	int reset_env, no_new_privs, new_session;
	int have_securebits;
	unsigned long securebits;
};

/*
 * The suggested capbound command line, as one shell-quoted string (for
 * the caller to free): --keep (or --drop=all) for what was needed, with
 * --ambient for it when the run has a --user.
 */
char *trace_report_suggest(const struct trace_report *r,
			   const struct trace_run *run);

/* The report, text or JSON.  -1 on a write error. */
int trace_report_write(const struct trace_report *r,
		       const struct trace_run *run, int json, FILE *out);

#endif
