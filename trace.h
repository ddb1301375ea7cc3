/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - capbound --trace: run COMMAND as a traced child and report
 * the capability checks of its whole process tree (kernel tracepoint
 * capability:cap_capable, Linux 6.14 and later).
 *
 * The one mode in which capbound forks.  main() calls trace_start()
 * after the plan is made and before the first step: the parent never
 * returns from it (it traces, reports and exits with COMMAND's status);
 * the child returns, takes the usual steps, and calls trace_child_go()
 * just before it execs COMMAND.
 */
#ifndef CAPBOUND_TRACE_H
#define CAPBOUND_TRACE_H

#include "trace_report.h"

struct trace_opts {
	const char *file;	/* --trace=FILE; NULL: stderr, "-": stdout */
	int json;
	int verbose;
	struct trace_run run;	/* the command and the suggested line's parts */
};

/* Fork; returns in the child only.  Exits 125 when tracing cannot start. */
void trace_start(const struct trace_opts *t);

/* In the child, the steps taken: wait until the trace runs. */
void trace_child_go(void);

#endif
