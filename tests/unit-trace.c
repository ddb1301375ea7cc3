// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit-trace - trace_report.c on trace_pipe text as this kernel (6.18)
 * writes it: the kinds of checks, the probe, the stacks, lost events and
 * the suggested line.  Needs no privilege and no tracefs.
 *
 * The user namespaces are as the kernel prints them (hashed pointers):
 * INIT is the initial one, CHILD another; capable_ns is 0 on a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_report.h"
#include "tap.h"

#define INIT	"00000000d1c1174d"
#define CHILD	"000000007e57a11e"
#define NONE	"0000000000000000"

/* One cap_capable line of PID (comm COMM) on CPU. */
static const char *line_cap(char *buf, size_t len, const char *comm,
			    int pid, int cpu, const char *target,
			    const char *capable, int cap, int ret)
{
	snprintf(buf, len, "%16s-%d   [%03d] ..... 100.000000: cap_capable: "
		 "cred 00000000fbad7a53, target_ns %s, capable_ns %s, "
		 "cap %d, ret %d\n", comm, pid, cpu, target, capable, cap, ret);
	return buf;
}

struct feed {
	struct trace_report *r;
	int err;
};

static void put(struct feed *f, const char *s)
{
	if (trace_report_feed(f->r, s, strlen(s)) < 0)
		f->err = 1;
}

static void cap(struct feed *f, const char *comm, int pid, int cpu,
		const char *target, const char *capable, int c, int ret)
{
	char buf[512];

	put(f, line_cap(buf, sizeof(buf), comm, pid, cpu, target, capable,
			c, ret));
}

/* A stack: the header, then " => FRAME" lines, ";"-separated. */
static void stack(struct feed *f, const char *comm, int pid, int cpu,
		  const char *frames)
{
	char buf[512], fr[128];
	const char *p = frames;

	snprintf(buf, sizeof(buf), "%16s-%d   [%03d] ..... 100.000001: "
		 "<stack trace>\n", comm, pid, cpu);
	put(f, buf);
	while (*p) {
		size_t n = strcspn(p, ";");

		snprintf(fr, sizeof(fr), " => %.*s\n", (int)n, p);
		put(f, fr);
		p += n;
		if (*p == ';')
			p++;
	}
}

static void exec_ev(struct feed *f, const char *comm, int pid, int cpu,
		    const char *file)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%16s-%d   [%03d] ..... 100.000002: "
		 "sched_process_exec: filename=%s pid=%d old_pid=%d\n", comm,
		 pid, cpu, file, pid, pid);
	put(f, buf);
}

static void fork_ev(struct feed *f, const char *comm, int pid, int cpu,
		    int child)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%16s-%d   [%03d] ..... 100.000003: "
		 "sched_process_fork: comm=%s pid=%d child_comm=%s "
		 "child_pid=%d\n", comm, pid, cpu, comm, pid, comm, child);
	put(f, buf);
}

#define VM	"trace_event_raw_event_cap_capable;cap_capable;" \
		"security_vm_enough_memory_mm;__mmap_region;do_mmap"
#define CAPSET	"trace_event_raw_event_cap_capable;cap_capable;" \
		"cap_capset;security_capset;__do_sys_capset"
#define BIND	"trace_event_raw_event_cap_capable;cap_capable;" \
		"security_capable;ns_capable;__inet_bind;inet_bind_sk"
#define SETUID	"trace_event_raw_event_cap_capable;cap_capable;" \
		"security_capable;ns_capable_setid;__sys_setuid"

/* capbound's probe (a no-op capset) by the first pid, then the exec. */
static void probe_exec(struct feed *f, int pid, const char *capable,
		       int ret, const char *file)
{
	cap(f, "capbound", pid, 0, INIT, capable, 8, ret);
	stack(f, "capbound", pid, 0, CAPSET);
	exec_ev(f, "capbound", pid, 0, file);
}

#define M(c)	((capmask_t)1 << (c))

static void test_root_daemon(void)
{
	struct feed f = { trace_report_new(100), 0 };
	struct trace_run run;
	char *line;

	probe_exec(&f, 100, INIT, 0, "/usr/sbin/daemon");
	cap(&f, "daemon", 100, 1, INIT, INIT, 21, 0);
	stack(&f, "daemon", 100, 1, VM);
	cap(&f, "daemon", 100, 1, INIT, INIT, 10, 0);
	stack(&f, "daemon", 100, 1, BIND);
	ok(!f.err && trace_report_end(f.r) == 0, "root daemon: fed");
	ok(trace_report_ran(f.r), "root daemon: COMMAND ran");
	ok(trace_report_caps(f.r, TRACE_NEEDED) == M(10),
	   "root daemon: net_bind_service needed, nothing else");
	ok(trace_report_caps(f.r, TRACE_NO_NEED) == M(21),
	   "root daemon: the memory accounting's sys_admin needs nothing");
	ok(trace_report_caps(f.r, TRACE_OTHER_NS) == 0 &&
	   trace_report_caps(f.r, TRACE_DENIED) == 0,
	   "root daemon: nothing denied, nothing in another namespace");
	memset(&run, 0, sizeof(run));
	run.user = "www-data";
	line = trace_report_suggest(f.r, &run);
	is_str(line, "capbound --keep=net_bind_service "
	       "--ambient=net_bind_service --user=www-data",
	       "root daemon: suggested line for a --user");
	free(line);
	trace_report_free(f.r);
}

/*
 * The bug: as nobody, the probe and the bind are refused, capable_ns 0.
 * They are the command's own namespace's, not another's.
 */
static void test_nobody_daemon(void)
{
	struct feed f = { trace_report_new(200), 0 };

	probe_exec(&f, 200, NONE, -1, "/usr/sbin/daemon");
	cap(&f, "daemon", 200, 1, INIT, NONE, 21, -1);
	stack(&f, "daemon", 200, 1, VM);
	cap(&f, "daemon", 200, 1, INIT, NONE, 10, -1);
	stack(&f, "daemon", 200, 1, BIND);
	ok(!f.err && trace_report_end(f.r) == 0, "nobody daemon: fed");
	ok(trace_report_caps(f.r, TRACE_DENIED) == M(10),
	   "nobody daemon: net_bind_service denied in its own namespace");
	ok(trace_report_caps(f.r, TRACE_OTHER_NS) == 0,
	   "nobody daemon: no check filed under another namespace");
	ok(trace_report_caps(f.r, TRACE_NO_NEED) == M(21),
	   "nobody daemon: refused sys_admin of the accounting needs nothing");
	trace_report_free(f.r);
}

/* ping: capset's setpcap question and a refused setuid are harmless. */
static void test_ping(void)
{
	struct feed f = { trace_report_new(300), 0 };

	probe_exec(&f, 300, INIT, 0, "/tmp/ping");
	cap(&f, "ping", 300, 0, INIT, INIT, 13, 0);
	stack(&f, "ping", 300, 0, "trace_event_raw_event_cap_capable;"
	      "cap_capable;security_capable;ns_capable;inet_create");
	cap(&f, "ping", 300, 0, INIT, INIT, 8, 0);
	stack(&f, "ping", 300, 0, CAPSET);
	cap(&f, "ping", 300, 0, INIT, NONE, 7, -1);
	stack(&f, "ping", 300, 0, SETUID);
	cap(&f, "ping", 300, 0, INIT, NONE, 8, -1);
	stack(&f, "ping", 300, 0, CAPSET);
	ok(!f.err && trace_report_end(f.r) == 0, "ping: fed");
	ok(trace_report_caps(f.r, TRACE_NEEDED) == M(13), "ping: net_raw needed");
	ok(trace_report_caps(f.r, TRACE_DENIED) == M(7),
	   "ping: setuid denied (and harmless)");
	ok(trace_report_caps(f.r, TRACE_NO_NEED) == M(8),
	   "ping: capset's setpcap question needs nothing");
	trace_report_free(f.r);
}

/* Checks in, or against, a child user namespace: not the host's need. */
static void test_other_ns(void)
{
	struct feed f = { trace_report_new(400), 0 };

	probe_exec(&f, 400, INIT, 0, "/usr/bin/unshare");
	fork_ev(&f, "unshare", 400, 0, 401);
	exec_ev(&f, "unshare", 401, 0, "/usr/sbin/ip");
	/* ip, in the child namespace, on its own network namespace */
	cap(&f, "ip", 401, 1, CHILD, CHILD, 12, 0);
	stack(&f, "ip", 401, 1, "trace_event_raw_event_cap_capable;"
	      "cap_capable;security_capable;ns_capable;rtnetlink_rcv_msg");
	/* refused against the host's: its namespace is known to be CHILD */
	cap(&f, "ip", 401, 1, INIT, NONE, 12, -1);
	stack(&f, "ip", 401, 1, "trace_event_raw_event_cap_capable;"
	      "cap_capable;security_capable;ns_capable;rtnetlink_rcv_msg");
	/* its child, forked after: the same namespace */
	fork_ev(&f, "ip", 401, 1, 402);
	cap(&f, "ip", 402, 1, INIT, NONE, 2, -1);
	stack(&f, "ip", 402, 1, "generic_permission");
	/* the host side (pid 400, init namespace) refused: its own */
	cap(&f, "unshare", 400, 0, INIT, NONE, 21, -1);
	stack(&f, "unshare", 400, 0, "trace_event_raw_event_cap_capable;"
	      "cap_capable;security_capable;ns_capable;"
	      "unshare_nsproxy_namespaces");
	ok(!f.err && trace_report_end(f.r) == 0, "other ns: fed");
	ok(trace_report_caps(f.r, TRACE_OTHER_NS) == (M(12) | M(2)),
	   "other ns: the child namespace's checks and its refusals apart");
	ok(trace_report_caps(f.r, TRACE_NEEDED) == 0, "other ns: none needed");
	ok(trace_report_caps(f.r, TRACE_DENIED) == M(21),
	   "other ns: the host-side refusal is the command's own");
	trace_report_free(f.r);
}

/* true: memory accounting only; capbound's own checks never count. */
static void test_true(void)
{
	struct feed f = { trace_report_new(500), 0 };
	struct trace_run run;
	char word[] = "true", *line, *cmd[] = { word, NULL };

	/* capbound's steps, before the probe: capbound's, not COMMAND's */
	cap(&f, "capbound", 500, 1, INIT, INIT, 7, 0);
	stack(&f, "capbound", 500, 1, SETUID);
	cap(&f, "capbound", 500, 0, INIT, INIT, 8, 0);
	/* the exec is read before the probe's stack is: still capbound's */
	exec_ev(&f, "capbound", 500, 1, "/usr/bin/true");
	stack(&f, "capbound", 500, 0, CAPSET);
	cap(&f, "true", 500, 1, INIT, INIT, 21, 0);
	stack(&f, "true", 500, 1, VM);
	ok(!f.err && trace_report_end(f.r) == 0, "true: fed");
	ok(trace_report_caps(f.r, TRACE_NEEDED) == 0,
	   "true: nothing needed (not sys_admin, not capbound's setuid)");
	ok(trace_report_caps(f.r, TRACE_NO_NEED) == M(21),
	   "true: sys_admin shown apart as needing nothing");
	memset(&run, 0, sizeof(run));
	run.command = cmd;
	line = trace_report_suggest(f.r, &run);
	is_str(line, "capbound --drop=all -- true", "true: suggested line");
	free(line);
	trace_report_free(f.r);
}

/* Another CPU's lines between a check and its stack; a foreign stack. */
static void test_interleaved(void)
{
	struct feed f = { trace_report_new(600), 0 };

	probe_exec(&f, 600, INIT, 0, "/usr/bin/sh");
	fork_ev(&f, "sh", 600, 0, 601);
	cap(&f, "sh", 600, 0, INIT, INIT, 0, 0);		/* chown, cpu 0 */
	cap(&f, "sh", 601, 1, INIT, INIT, 21, 0);		/* cpu 1 */
	stack(&f, "sh", 600, 0, "trace_event_raw_event_cap_capable;"
	      "cap_capable;security_capable;ns_capable;setattr_prepare");
	stack(&f, "sh", 601, 1, VM);
	/* a stack of a pid the trace does not follow: never attached */
	stack(&f, "cc1", 999, 0, VM);
	ok(!f.err && trace_report_end(f.r) == 0, "interleaved: fed");
	ok(trace_report_caps(f.r, TRACE_NEEDED) == M(0),
	   "interleaved: chown needed, its stack not taken by cpu 1's");
	ok(trace_report_caps(f.r, TRACE_NO_NEED) == M(21),
	   "interleaved: cpu 1's accounting check apart");
	trace_report_free(f.r);
}

static void put_r(struct trace_report *r, const char *s, int *err)
{
	if (trace_report_feed(r, s, strlen(s)) < 0)
		*err = 1;
}

/* Fed one byte at a time: the same result as in one piece. */
static void test_pieces(void)
{
	struct trace_report *r = trace_report_new(700);
	char buf[512];
	const char *s;
	int err = 0;

	s = line_cap(buf, sizeof(buf), "capbound", 700, 0, INIT, INIT, 8, 0);
	for (; *s; s++)
		err |= trace_report_feed(r, s, 1) < 0;
	s = "        capbound-700   [000] ..... 1.0: sched_process_exec: "
	    "filename=/bin/my prog pid=700 old_pid=700\n";
	for (; *s; s++)
		err |= trace_report_feed(r, s, 1) < 0;
	/* not checks: junk in a number, a field missing */
	put_r(r, "             my prog-700   [000] ..... 1.0: cap_capable: cred "
	      "00000000fbad7a53, target_ns " INIT ", capable_ns " INIT
	      ", cap 12x, ret 0\n", &err);
	put_r(r, "             my prog-700   [000] ..... 1.0: cap_capable: cred "
	      "00000000fbad7a53, target_ns " INIT ", cap 12, ret 0\n", &err);
	/* the last line without a newline counts at the end */
	s = line_cap(buf, sizeof(buf), "my prog", 700, 0, INIT, INIT, 1, 0);
	err |= trace_report_feed(r, s, strlen(s) - 1) < 0;
	ok(!err && trace_report_end(r) == 0, "pieces: fed byte by byte");
	ok(trace_report_caps(r, TRACE_NEEDED) == M(1),
	   "pieces: dac_override needed, no newline at the end");
	trace_report_free(r);
}

static void test_lost(void)
{
	static const char stats[] =
		"entries: 44\noverrun: 17\ncommit overrun: 0\nbytes: 3156\n"
		"oldest event ts: 21631.911026\nnow ts: 21631.930236\n"
		"dropped events: 3\nread events: 0\n";
	struct feed f = { trace_report_new(800), 0 };

	ok(trace_stats_lost(stats) == 20,
	   "lost: overrun plus dropped events of a per_cpu stats file");
	ok(trace_stats_lost("entries: 1\noverrun: 0\ndropped events: 0\n") == 0,
	   "lost: none");
	ok(trace_stats_lost("") == 0, "lost: empty stats");
	ok(trace_stats_lost("overrun: 2\nbytes: 9\ndropped events: 4") == 6,
	   "lost: the last line without its newline counts");
	ok(trace_stats_lost("overrun: 2x\noverrun: -3\n") == 0,
	   "lost: junk after a number, a negative one: not counted");
	probe_exec(&f, 800, INIT, 0, "/bin/x");
	put(&f, "CPU:1 [LOST 25 EVENTS]\n");
	put(&f, "CPU:0 [LOST 5 EVENTS]\n");
	ok(!f.err && trace_report_end(f.r) == 0, "lost: fed");
	ok(trace_report_lost(f.r, 20) == 30,
	   "lost: trace_pipe's LOST lines when they count more");
	ok(trace_report_lost(f.r, 40) == 40,
	   "lost: the stats when they count more (the same events, not summed)");
	trace_report_free(f.r);
}

static void test_json(void)
{
	struct feed f = { trace_report_new(900), 0 };
	struct trace_run run;
	char w1[] = "a\"b", w2[] = "c\\d";
	char *buf = NULL, *cmd[] = { w1, w2, NULL };
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	probe_exec(&f, 900, INIT, 0, "/bin/x\ty");
	cap(&f, "x", 900, 0, INIT, INIT, 13, 0);
	ok(!f.err && trace_report_end(f.r) == 0, "json: fed");
	memset(&run, 0, sizeof(run));
	run.command = cmd;
	run.status = "exit status 0";
	ok(out && trace_report_write(f.r, &run, 1, out) == 0 &&
	   fclose(out) == 0, "json: written");
	ok(buf && strstr(buf, "\"command\": [\"a\\\"b\", \"c\\\\d\"]"),
	   "json: the command's words escaped");
	ok(buf && strstr(buf, "\"path\": \"/bin/x\\u0009y\""),
	   "json: a control character in a path escaped");
	ok(buf && strstr(buf, "\"keep\": [\"cap_net_raw\"]"),
	   "json: suggested keep");
	free(buf);
	trace_report_free(f.r);
}

int main(void)
{
	test_root_daemon();
	test_nobody_daemon();
	test_ping();
	test_other_ns();
	test_true();
	test_interleaved();
	test_pieces();
	test_lost();
	test_json();
	return tap_done();
}
