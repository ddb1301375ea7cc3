// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace.c - capbound --trace: fork COMMAND as a child that takes the
 * usual steps, follow its process tree in a trace instance of capbound's
 * own, and report its capability checks; see trace.h.
 *
 * The parent keeps all it has (it must read tracefs) and takes no step.
 * Order:
 *   1. checks that need no fork: root, no nested pid namespace, FILE;
 *   2. fork: the child takes the steps, then waits on a pipe;
 *   3. the parent finds tracefs, or mounts it in a mount namespace of its
 *      own (unshared after the fork, so that COMMAND keeps the caller's),
 *      makes instances/capbound-PID with set_event_pid = the child,
 *      event-fork, cap_capable with a stacktrace trigger,
 *      sched_process_exec and sched_process_fork;
 *   4. "go": the child makes one probe check (its user namespace is the
 *      command's) and execs COMMAND;
 *   5. trace_pipe is drained while the tree runs; capbound is its child
 *      subreaper, so the tree has ended when wait() has no child left;
 *      SIGINT, SIGTERM, SIGHUP and SIGQUIT are passed on;
 *   6. the instance is removed (at exit, whatever the way out), the
 *      report written, and capbound exits with COMMAND's status.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace.h"

#define EXIT_FAIL	125
#define TRACEFS		"/sys/kernel/tracing"
#define TRACEFS_MAGIC_	0x74726163
#define EVENT_DIR	"events/capability/cap_capable"
/*
 * Per CPU.  trace_pipe is read as the tree runs; the buffer only has to
 * hold what a burst makes between two reads (a check with its stack is
 * some 150 bytes): 4 MiB is ~25000 of them.
 */
#define BUFFER_KB	"4096"
/* A condition makes the trigger run after the pid filter, not before. */
#define TRIGGER		"stacktrace if cap >= 0"

/*
 * Test-only knobs (tests/80-trace.t), read once before the fork; not for
 * use: CAPBOUND_TEST_TRACEFS=DIR takes DIR as tracefs as it is, neither
 * checked nor mounted (a copy without the tracepoint simulates an older
 * kernel); CAPBOUND_TEST_TRACE_BUFFER_KB=N sizes the buffer (a tiny one
 * makes a busy command overrun it).  Only root gets this far, and
 * neither knob touches anything but the trace.
 */
#define TEST_TRACEFS_ENV	"CAPBOUND_TEST_TRACEFS"
#define TEST_BUFFER_ENV		"CAPBOUND_TEST_TRACE_BUFFER_KB"
static const char *tracefs = TRACEFS;
static int tracefs_given;
static const char *buffer_kb = BUFFER_KB;

static int go_fd = -1;		/* child: read end; parent: write end */
static pid_t child_pid = -1;
static int tracefs_fd = -1;
static int inst_fd = -1;
static int pipe_fd = -1;
static char inst_name[64];
static int verbose;

__attribute__((format(printf, 2, 0)))
static void tmsg(int errnum, const char *fmt, va_list ap)
{
	fprintf(stderr, "capbound: --trace: ");
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

__attribute__((noreturn, format(printf, 1, 2)))
static void tdie(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	tmsg(e, fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL); /* fail safe: the exit handler removes the instance */
}

__attribute__((noreturn, format(printf, 1, 2)))
static void tdiex(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tmsg(0, fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL); /* fail safe */
}

__attribute__((format(printf, 1, 2)))
static void tstep(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	tmsg(0, fmt, ap);
	va_end(ap);
}

/* ---- checks before the fork --------------------------------------------- */

/* set_event_pid takes the initial pid namespace's numbers. */
static int pid_ns_nested(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	int nested = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "NSpid:", 6) == 0)
			nested = strchr(line + 6, '\t') != strrchr(line + 6, '\t');
	(void)fclose(f);	/* read only */
	return nested;
}

static void need_root(void)
{
	if (geteuid() != 0)
		tdiex("needs root: tracefs, where the kernel reports capability "
		      "checks, is root's; run capbound --trace as root (sudo), "
		      "or try the plan without it: capbound --dry-run");
	if (pid_ns_nested())
		tdiex("capbound runs in a pid namespace below the initial one, "
		      "and set_event_pid takes the initial namespace's pids: "
		      "run capbound --trace on the host");
}

/* ---- tracefs -------------------------------------------------------------- */

static int is_tracefs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == TRACEFS_MAGIC_;
}

/*
 * Where tracefs is not mounted, mount it in a mount namespace of the
 * parent's own: nobody else sees it, and COMMAND (forked before) keeps
 * the caller's mount namespace untouched.
 */
static void tracefs_open(void)
{
	if (!tracefs_given && !is_tracefs(tracefs)) {
		if (unshare(CLONE_NEWNS) < 0) {
			if (errno == EPERM)
				tdiex("cannot mount tracefs: not root in the "
				      "initial user namespace (unshare: %s); run "
				      "capbound --trace as root on the host",
				      strerror(EPERM));
			tdie("unshare(CLONE_NEWNS) to mount tracefs");
		}
		/* No mount of ours may propagate back to the caller's. */
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			tdie("mount --make-rprivate /");
		if (mount("tracefs", tracefs, "tracefs",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
			int e = errno;

			if (e == ENODEV)
				tdiex("this kernel has no tracefs (CONFIG_TRACING "
				      "is off): use a kernel with tracing, or "
				      "bcc's capable(8)");
			if (e == ENOENT)
				tdiex("%s does not exist: sysfs is not mounted "
				      "at /sys, or the kernel has no tracefs; "
				      "mount sysfs, or use bcc's capable(8)",
				      tracefs);
			if (e == EPERM)
				tdiex("mount tracefs on %s: %s: run capbound "
				      "--trace as root on the host", tracefs,
				      strerror(e));
			errno = e;
			tdie("mount -t tracefs tracefs %s", tracefs);
		}
		tstep("mounted tracefs on %s in a private mount namespace",
		      tracefs);
	}
	tracefs_fd = open(tracefs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tracefs_fd < 0)
		tdie("%s", tracefs);
}

/* The tracepoint lives in the top-level events directory. */
static void tracepoint_check(void)
{
	struct utsname u;

	if (faccessat(tracefs_fd, EVENT_DIR "/enable", F_OK, 0) == 0)
		return;
	if (errno == EACCES)
		tdie("%s/%s: run capbound --trace as root", tracefs, EVENT_DIR);
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "?");
	tdiex("this kernel (Linux %s) has no tracepoint capability:cap_capable "
	      "(%s/%s is missing; Linux 6.14 added it): run the trace on a "
	      "6.14 or later kernel, or use bcc's capable(8) or a bpftrace "
	      "kprobe on cap_capable", u.release, tracefs, EVENT_DIR);
}

/*
 * instances/capbound-PID of a capbound that is gone (killed with
 * SIGKILL, which no handler sees): remove them.  An instance in use
 * cannot be removed (EBUSY), so no live trace is touched.
 */
static void stale_instances_remove(int dir)
{
	int fd = dup(dir);
	DIR *d;
	struct dirent *e;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(e->d_name, "capbound-", 9) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + 9, &end, 10);
		if (errno || *end || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (unlinkat(dir, e->d_name, AT_REMOVEDIR) == 0)
			tstep("removed the stale instance instances/%s",
			      e->d_name);
	}
	closedir(d);
}

static void instance_remove(void)
{
	int dir;

	if (pipe_fd >= 0) {
		close(pipe_fd);		/* an open trace_pipe keeps it busy */
		pipe_fd = -1;
	}
	if (inst_fd >= 0) {
		close(inst_fd);
		inst_fd = -1;
	}
	if (!inst_name[0])
		return;
	dir = openat(tracefs_fd, "instances", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 || unlinkat(dir, inst_name, AT_REMOVEDIR) < 0)
		fprintf(stderr, "capbound: --trace: rmdir %s/instances/%s: %s\n",
			tracefs, inst_name, strerror(errno));
	else
		tstep("removed instances/%s", inst_name);
	if (dir >= 0)
		close(dir);
	inst_name[0] = '\0';
}

/* At exit, whatever the way out: no instance, no child left waiting. */
static void trace_cleanup(void)
{
	int e = errno;

	instance_remove();
	if (go_fd >= 0) {
		/* The child sees EOF before exec and exits 125. */
		close(go_fd);
		go_fd = -1;
		if (child_pid > 0)
			waitpid(child_pid, NULL, 0);
	}
	errno = e;
}

static void instance_make(void)
{
	int dir = openat(tracefs_fd, "instances",
			 O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir < 0)
		tdie("%s/instances", tracefs);
	stale_instances_remove(dir);
	snprintf(inst_name, sizeof(inst_name), "capbound-%ld", (long)getpid());
	if (mkdirat(dir, inst_name, 0700) < 0) {
		/* Ours by name: left by a killed capbound of the same pid. */
		if (errno != EEXIST || unlinkat(dir, inst_name, AT_REMOVEDIR) < 0 ||
		    mkdirat(dir, inst_name, 0700) < 0) {
			int e = errno;

			inst_name[0] = '\0';
			close(dir);
			errno = e;
			tdie("mkdir %s/instances/capbound-%ld", tracefs,
			     (long)getpid());
		}
	}
	inst_fd = openat(dir, inst_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(dir);
	if (inst_fd < 0)
		tdie("%s/instances/%s", tracefs, inst_name);
	tstep("trace instance %s/instances/%s", tracefs, inst_name);
}

static int file_write(const char *path, const char *value)
{
	int fd = openat(inst_fd, path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;
	size_t len = strlen(value);

	if (fd < 0)
		return -1;
	n = write(fd, value, len);
	if (n < 0 || (size_t)n != len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

static void setting(const char *path, const char *value)
{
	if (file_write(path, value) < 0)
		tdie("writing \"%s\" to %s/instances/%s/%s", value, tracefs,
		     inst_name, path);
}

/* The instance follows the child and what it forks, and only them. */
static void instance_setup(void)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%ld", (long)child_pid);
	setting("tracing_on", "0");
	setting("set_event_pid", pid);
	setting("options/event-fork", "1");
	setting("buffer_size_kb", buffer_kb);
	/* Wake the reader on any data (older kernels lack the file). */
	if (file_write("buffer_percent", "0") < 0 && errno != ENOENT)
		tdie("writing 0 to %s/instances/%s/buffer_percent", tracefs,
		     inst_name);
	setting("events/sched/sched_process_fork/enable", "1");
	setting("events/sched/sched_process_exec/enable", "1");
	setting(EVENT_DIR "/enable", "1");
	setting(EVENT_DIR "/trigger", TRIGGER);
	pipe_fd = openat(inst_fd, "trace_pipe", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (pipe_fd < 0)
		tdie("%s/instances/%s/trace_pipe", tracefs, inst_name);
	setting("tracing_on", "1");
}

/* overrun (overwritten) + dropped events of every CPU */
static unsigned long long lost_events(void)
{
	unsigned long long lost = 0;
	char path[64], text[4096];
	int cpu;

	for (cpu = 0; cpu < 4096; cpu++) {
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "per_cpu/cpu%d/stats", cpu);
		fd = openat(inst_fd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT && cpu > 0 &&
			    faccessat(inst_fd, "per_cpu", F_OK, 0) == 0) {
				/* possible CPUs may have gaps: look a bit on */
				char next[64];

				snprintf(next, sizeof(next), "per_cpu/cpu%d",
					 cpu + 1);
				if (faccessat(inst_fd, next, F_OK, 0) == 0)
					continue;
			}
			break;
		}
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n < 0)
			break;
		text[n] = '\0';
		lost += trace_stats_lost(text);
	}
	return lost;
}

/* ---- running --------------------------------------------------------------- */

static void drain(struct trace_report *r)
{
	static char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(pipe_fd, buf, sizeof(buf));
		if (n > 0) {
			if (trace_report_feed(r, buf, (size_t)n) < 0)
				tdie("reading the trace");
			continue;
		}
		if (n == 0 || errno == EAGAIN)
			return;
		if (errno != EINTR)
			tdie("read %s/instances/%s/trace_pipe", tracefs,
			     inst_name);
	}
}

/* Pass a signal on to capbound's children: COMMAND, or what is left. */
static void signal_pass(const struct signalfd_siginfo *si)
{
	char path[64], buf[4096];
	int fd, sent = 0;
	ssize_t n;

	/*
	 * The terminal sent it to the whole foreground process group, the
	 * command included: once is enough.
	 */
	if (si->ssi_code == SI_KERNEL && child_pid > 0 &&
	    getpgid(child_pid) == getpgrp())
		return;
	tstep("passing %s on", strsignal((int)si->ssi_signo));
	snprintf(path, sizeof(path), "/proc/self/task/%ld/children",
		 (long)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			char *p = buf, *end;

			buf[n] = '\0';
			for (;;) {
				long pid = strtol(p, &end, 10);

				if (end == p)
					break;
				if (pid > 0 && kill((pid_t)pid,
						    (int)si->ssi_signo) == 0)
					sent = 1;
				p = end;
			}
		}
	}
	if (!sent && child_pid > 0)
		kill(child_pid, (int)si->ssi_signo);
}

static void status_text(int st, char *buf, size_t len, int *code)
{
	if (WIFEXITED(st)) {
		*code = WEXITSTATUS(st);
		snprintf(buf, len, "exit status %d", *code);
	} else if (WIFSIGNALED(st)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(st));

		*code = 128 + WTERMSIG(st);
		snprintf(buf, len, "killed by SIG%s%s", abbrev ? abbrev : "?",
			 WCOREDUMP(st) ? " (core dumped)" : "");
	} else {
		*code = EXIT_FAIL;
		snprintf(buf, len, "status 0x%x", (unsigned)st);
	}
}

static FILE *report_open(const char *file)
{
	FILE *f;
	int fd;

	if (!file)
		return stderr;
	if (strcmp(file, "-") == 0)
		return stdout;
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
		  0666);
	if (fd < 0)
		tdie("%s", file);
	f = fdopen(fd, "w");
	if (!f)
		tdie("%s", file);
	return f;
}

__attribute__((noreturn))
static void trace_parent(const struct trace_opts *t, FILE *out,
			 const sigset_t *mask)
{
	struct trace_report *r = trace_report_new(child_pid);
	struct pollfd fds[2];
	struct trace_run run = t->run;
	char status[64];
	int sfd, st = 0, have_status = 0, code, done = 0;

	if (!r)
		tdie("trace_report_new");
	if (atexit(trace_cleanup) != 0)
		tdiex("atexit failed");
	/* A report to a closed pipe is an error to report, not a death. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		tdie("signal(SIGPIPE)");
	sfd = signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		tdie("signalfd");

	tracefs_open();
	tracepoint_check();
	instance_make();
	instance_setup();

	/* Tracing runs: let the child exec COMMAND. */
	if (write(go_fd, "g", 1) != 1 && errno != EPIPE)
		tdie("telling the child to go on");
	close(go_fd);
	go_fd = -1;

	fds[0].fd = pipe_fd;
	fds[0].events = POLLIN;
	fds[1].fd = sfd;
	fds[1].events = POLLIN;
	while (!done) {
		struct signalfd_siginfo si;
		pid_t pid;
		int wst;

		if (poll(fds, 2, 250) < 0 && errno != EINTR)
			tdie("poll");
		drain(r);
		while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			if (si.ssi_signo != SIGCHLD)
				signal_pass(&si);
		/* Orphans of the tree come to capbound, the subreaper. */
		while ((pid = waitpid(-1, &wst, WNOHANG)) > 0) {
			if (pid == child_pid) {
				st = wst;
				have_status = 1;
			}
		}
		if (pid < 0 && errno == ECHILD)
			done = 1;
		else if (pid < 0 && errno != EINTR)
			tdie("waitpid");
	}
	child_pid = -1;
	setting("tracing_on", "0");
	drain(r);
	run.lost = lost_events();
	instance_remove();
	if (trace_report_end(r) < 0)
		tdie("reading the trace");

	if (!have_status)
		tdiex("lost the command's exit status");
	status_text(st, status, sizeof(status), &code);
	run.status = status;
	run.exit_code = code;
	if (!trace_report_ran(r)) {
		/* The steps or the exec failed, and said why: no report. */
		tstep("the command did not run (%s): no report", status);
		trace_report_free(r);
		exit(code);
	}
	if (trace_report_write(r, &run, t->json, out) < 0)
		tdie("writing the report%s%s", t->file ? " to " : "",
		     t->file ? t->file : "");
	trace_report_free(r);
	if (out != stdout && out != stderr && fclose(out) != 0)
		tdie("%s", t->file);
	exit(code);
}

static void test_knobs(void)
{
	const char *v = getenv(TEST_TRACEFS_ENV);

	if (v && *v) {
		if (v[0] != '/')
			tdiex("%s=%s: not an absolute path", TEST_TRACEFS_ENV, v);
		tracefs = v;
		tracefs_given = 1;
	}
	v = getenv(TEST_BUFFER_ENV);
	if (v && *v) {
		if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 7 ||
		    v[0] == '0')
			tdiex("%s=%s: not a size in KiB", TEST_BUFFER_ENV, v);
		buffer_kb = v;
	}
}

void trace_start(const struct trace_opts *t)
{
	sigset_t mask, old;
	int go[2];
	FILE *out;

	verbose = t->verbose;
	test_knobs();
	need_root();
	out = report_open(t->file);
	if (pipe2(go, O_CLOEXEC) < 0)
		tdie("pipe2");
	/* Blocked before the fork: no signal is missed before signalfd. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &mask, &old) < 0)
		tdie("sigprocmask");
	/* Orphans of the tree are reparented to capbound, which waits. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL) < 0)
		tdie("prctl(PR_SET_CHILD_SUBREAPER)");
	/* Nothing buffered is written twice; a failure shows at exit. */
	(void)fflush(stdout);
	(void)fflush(stderr);
	child_pid = fork();
	if (child_pid < 0)
		tdie("fork");
	if (child_pid == 0) {
		/* The child: the caller's signal mask, nothing of the trace. */
		if (sigprocmask(SIG_SETMASK, &old, NULL) < 0)
			tdie("sigprocmask");
		close(go[1]);
		if (out != stdout && out != stderr)
			(void)fclose(out);	/* the parent's: nothing written */
		go_fd = go[0];
		child_pid = -1;
		return;
	}
	close(go[0]);
	go_fd = go[1];
	trace_parent(t, out, &mask);
}

void trace_child_go(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	char c;

	if (go_fd < 0)
		return;
	/* EOF: the parent could not start the trace, and said why. */
	if (read(go_fd, &c, 1) != 1)
		_exit(EXIT_FAIL); /* fail safe */
	close(go_fd);
	go_fd = -1;
	/*
	 * The probe names the user namespace COMMAND starts in: capset(2)
	 * always checks CAP_SETPCAP with target_ns = the caller's own user
	 * namespace, granted or refused (cap_inh_is_capped).  capable_ns
	 * would not do: it is NULL when the check is refused, as it is for
	 * a --user without capabilities.  Setting the sets as they are
	 * changes nothing; its result does not matter, the check is made.
	 */
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) == 0)
		(void)syscall(SYS_capset, &hdr, data);
}
