// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace_report.c - count the capability checks of a traced process tree
 * from trace_pipe text, and write the report; see trace_report.h.
 *
 * The text is that of three events and one trigger in capbound's own
 * trace instance:
 *   comm-PID [CPU] flags TS: cap_capable: cred P, target_ns P,
 *                            capable_ns P, cap N, ret N
 *   comm-PID [CPU] flags TS: <stack trace>      (the stacktrace trigger)
 *    => function                                 (one line per frame)
 *   comm-PID [CPU] flags TS: sched_process_exec: filename=F pid=N old_pid=N
 *   comm-PID [CPU] flags TS: sched_process_fork: comm=C pid=N
 *                            child_comm=C child_pid=N
 * A check's stack trace is written on the same CPU right after it (a
 * post-trigger), but trace_pipe merges the CPUs by time, so another
 * CPU's lines may come between: a check waits per CPU for its stack.
 *
 * The user namespaces are pointers, printed hashed (%p) but equal for
 * equal pointers.  target_ns is the namespace the checked resource
 * belongs to; capable_ns is the caller's namespace that granted the
 * check, and 0 (NULL) whenever the check was refused: a denial says
 * nothing about capable_ns, so it is judged by target_ns alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "trace_report.h"

#define NCAPS		(CAPS_NUM_MAX + 1)
#define CAP_SETPCAP_	8	/* the probe's capability (linux/capability.h) */
#define MAX_CALLERS	4	/* kernel callers shown per capability */
#define FUNC_MAX	128

/*
 * Kernel callers whose check needs nothing: no-audit checks the kernel
 * makes for its own bookkeeping, whose answer the command never sees,
 * and questions whose "no" changes nothing in the usual case.
 */
static const struct {
	const char *func;
	const char *why;
} no_need_callers[] = {
	/*
	 * Every fork, mmap and brk: with CAP_SYS_ADMIN, strict overcommit
	 * (vm.overcommit_memory=2) leaves root a reserve; nothing fails
	 * without it (cap_vm_enough_memory, CAP_OPT_NOAUDIT).
	 */
	{ "security_vm_enough_memory_mm",
	  "memory overcommit accounting: only the admin reserve under "
	  "vm.overcommit_memory=2" },
	{ "cap_vm_enough_memory",
	  "memory overcommit accounting: only the admin reserve under "
	  "vm.overcommit_memory=2" },
	/*
	 * Every capset(2) asks CAP_SETPCAP first (cap_inh_is_capped), also
	 * when it only drops capabilities, as ping and libcap's users do;
	 * the answer counts only when the new inheritable set holds a
	 * capability outside the old inheritable and permitted sets.
	 */
	{ "cap_capset",
	  "capset(2): needed only to raise inheritable capabilities the "
	  "process does not hold" },
};
#define NNO_NEED (sizeof(no_need_callers) / sizeof(no_need_callers[0]))

/* Frames between cap_capable and the code that asked: not "the caller". */
static const char *const plumbing[] = {
	"trace_event_raw_event_cap_capable", "perf_trace_cap_capable",
	"cap_capable", "security_capable", "ns_capable_common", "ns_capable",
	"ns_capable_noaudit", "ns_capable_setid", "capable",
	"has_ns_capability", "has_ns_capability_noaudit", "has_capability",
	"has_capability_noaudit", "file_ns_capable", "capable_wrt_inode_uidgid",
	"privileged_wrt_inode_uidgid", "inode_owner_or_capable",
	"in_group_or_capable", "sk_ns_capable", "sk_capable", "sk_net_capable",
	"netlink_ns_capable", "netlink_capable", "netlink_net_capable",
	"bpf_capable", "perfmon_capable", "checkpoint_restore_ns_capable",
	"ptracer_capable", "ptrace_has_cap",
};
#define NPLUMBING (sizeof(plumbing) / sizeof(plumbing[0]))

struct prog {
	char *path;
	unsigned long n[TRACE_NKINDS][NCAPS][2];	/* [granted, denied] */
};

/* A check waiting for its stack trace. */
struct pending {
	int valid;
	pid_t pid;
	int cap, ret;
	unsigned long long target_ns, capable_ns;
	int caller;			/* index in callers, -1: not yet */
	int no_need;			/* index in no_need_callers, -1 */
	int pre_exec;			/* capbound's own, before COMMAND */
	char comm[20];
};

struct pid_slot {
	pid_t pid;			/* 0: empty */
	int prog;
	/* its user namespace, learnt from a granted check; 0: unknown */
	unsigned long long ns;
};

struct trace_report {
	pid_t first_pid;
	int first_execed;
	int have_ns;			/* 1: from the probe, 2: a guess */
	unsigned long long start_ns;	/* the command's user namespace */

	struct prog *progs;
	size_t nprogs, progs_cap;
	char **callers;
	size_t ncallers, callers_cap;
	/* per kind and capability: up to MAX_CALLERS callers, and more? */
	int caller_ids[TRACE_NKINDS][NCAPS][MAX_CALLERS];
	int caller_more[TRACE_NKINDS][NCAPS];
	int no_need_why[NCAPS];		/* index in no_need_callers, -1 */

	struct pid_slot *pids;
	size_t npids, pids_cap;		/* open addressing, cap a power of 2 */

	struct pending *pend;
	size_t npend;
	int stack_cpu;			/* the CPU whose frames follow, -1 */

	char *line;
	size_t line_len, line_cap;

	unsigned long long checks;
	unsigned long long lost_lines;	/* "CPU:N [LOST M EVENTS]" */
	int nomem;
};

/* ---- small tables ---------------------------------------------------- */

static int intern(char ***tab, size_t *n, size_t *cap, const char *s)
{
	size_t i;
	char *copy;

	for (i = 0; i < *n; i++)
		if (strcmp((*tab)[i], s) == 0)
			return (int)i;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		char **t = realloc(*tab, ncap * sizeof(*t));

		if (!t)
			return -1;
		*tab = t;
		*cap = ncap;
	}
	copy = strdup(s);
	if (!copy)
		return -1;
	(*tab)[*n] = copy;
	return (int)(*n)++;
}

static int prog_intern(struct trace_report *r, const char *path)
{
	size_t i;
	struct prog *p;

	for (i = 0; i < r->nprogs; i++)
		if (strcmp(r->progs[i].path, path) == 0)
			return (int)i;
	if (r->nprogs == r->progs_cap) {
		size_t ncap = r->progs_cap ? r->progs_cap * 2 : 8;

		p = realloc(r->progs, ncap * sizeof(*p));
		if (!p)
			return -1;
		r->progs = p;
		r->progs_cap = ncap;
	}
	p = &r->progs[r->nprogs];
	memset(p, 0, sizeof(*p));
	p->path = strdup(path);
	if (!p->path)
		return -1;
	return (int)r->nprogs++;
}

static size_t pid_hash(pid_t pid, size_t cap)
{
	return ((size_t)(unsigned)pid * 2654435761u) & (cap - 1);
}

static struct pid_slot *pid_find(const struct trace_report *r, pid_t pid)
{
	size_t i;

	if (!r->pids_cap)
		return NULL;
	for (i = pid_hash(pid, r->pids_cap); r->pids[i].pid;
	     i = (i + 1) & (r->pids_cap - 1))
		if (r->pids[i].pid == pid)
			return &r->pids[i];
	return NULL;
}

static int pid_set(struct trace_report *r, pid_t pid, int prog)
{
	struct pid_slot *s = pid_find(r, pid);
	size_t i;

	if (s) {
		s->prog = prog;
		return 0;
	}
	if ((r->npids + 1) * 2 > r->pids_cap) {
		size_t ncap = r->pids_cap ? r->pids_cap * 2 : 64, k;
		struct pid_slot *old = r->pids, *t = calloc(ncap, sizeof(*t));

		if (!t)
			return -1;
		for (k = 0; k < r->pids_cap; k++) {
			if (!old[k].pid)
				continue;
			for (i = pid_hash(old[k].pid, ncap); t[i].pid;
			     i = (i + 1) & (ncap - 1))
				;
			t[i] = old[k];
		}
		free(old);
		r->pids = t;
		r->pids_cap = ncap;
	}
	for (i = pid_hash(pid, r->pids_cap); r->pids[i].pid;
	     i = (i + 1) & (r->pids_cap - 1))
		;
	r->pids[i].pid = pid;
	r->pids[i].prog = prog;
	r->pids[i].ns = 0;
	r->npids++;
	return 0;
}

static struct pending *pend_get(struct trace_report *r, int cpu)
{
	if (cpu < 0 || cpu > 65535)
		return NULL;
	if ((size_t)cpu >= r->npend) {
		size_t n = (size_t)cpu + 1;
		struct pending *p = realloc(r->pend, n * sizeof(*p));

		if (!p) {
			r->nomem = 1;
			return NULL;
		}
		memset(p + r->npend, 0, (n - r->npend) * sizeof(*p));
		r->pend = p;
		r->npend = n;
	}
	return &r->pend[cpu];
}

/* ---- life cycle ------------------------------------------------------- */

struct trace_report *trace_report_new(pid_t first_pid)
{
	struct trace_report *r = calloc(1, sizeof(*r));
	int k, c, i;

	if (!r)
		return NULL;
	r->first_pid = first_pid;
	r->stack_cpu = -1;
	for (k = 0; k < TRACE_NKINDS; k++)
		for (c = 0; c < NCAPS; c++)
			for (i = 0; i < MAX_CALLERS; i++)
				r->caller_ids[k][c][i] = -1;
	for (c = 0; c < NCAPS; c++)
		r->no_need_why[c] = -1;
	/* Until it execs, the first process is capbound itself. */
	k = prog_intern(r, "capbound");
	if (k < 0 || pid_set(r, first_pid, k) < 0) {
		trace_report_free(r);
		return NULL;
	}
	return r;
}

void trace_report_free(struct trace_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nprogs; i++)
		free(r->progs[i].path);
	free(r->progs);
	for (i = 0; i < r->ncallers; i++)
		free(r->callers[i]);
	free(r->callers);
	free(r->pids);
	free(r->pend);
	free(r->line);
	free(r);
}

/* ---- counting ----------------------------------------------------------- */

static void caller_add(struct trace_report *r, int kind, int cap, int id)
{
	int i;

	if (id < 0)
		return;
	for (i = 0; i < MAX_CALLERS; i++) {
		if (r->caller_ids[kind][cap][i] == id)
			return;
		if (r->caller_ids[kind][cap][i] < 0) {
			r->caller_ids[kind][cap][i] = id;
			return;
		}
	}
	r->caller_more[kind][cap] = 1;
}

/*
 * Which kind a check is.  Against a resource of another user namespace
 * (target_ns), or granted from another one (capable_ns): no need for the
 * command's own capability.  Refused: capable_ns is 0, so the caller's
 * namespace is what its granted checks showed, if any did.
 */
static int check_kind(const struct trace_report *r, const struct pending *p,
		      const struct pid_slot *s)
{
	if (p->no_need >= 0)
		return TRACE_NO_NEED;
	if (p->target_ns != r->start_ns)
		return TRACE_OTHER_NS;
	if (p->ret == 0)
		return p->capable_ns == r->start_ns ? TRACE_NEEDED :
		       TRACE_OTHER_NS;
	if (s && s->ns && s->ns != r->start_ns)
		return TRACE_OTHER_NS;
	return TRACE_DENIED;
}

/* A check with all of its stack seen (or none to come): count it. */
static void pending_done(struct trace_report *r, struct pending *p)
{
	struct pid_slot *s;
	int kind, prog;

	if (!p->valid)
		return;
	p->valid = 0;
	if (p->cap < 0 || p->cap >= NCAPS || p->pre_exec)
		return;		/* capbound's steps and probe: not COMMAND's */
	if (!r->have_ns) {
		/*
		 * The probe was lost: the first check's namespace will do
		 * (a refused one names no capable_ns, only its target).
		 */
		r->start_ns = p->ret == 0 ? p->capable_ns : p->target_ns;
		r->have_ns = 2;
	}
	s = pid_find(r, p->pid);
	if (s) {
		prog = s->prog;
	} else {
		/* A task whose fork was not seen (lost events): its comm. */
		char name[sizeof(p->comm) + 2];

		snprintf(name, sizeof(name), "[%s]", p->comm);
		prog = prog_intern(r, name);
		if (prog < 0 || pid_set(r, p->pid, prog) < 0) {
			r->nomem = 1;
			return;
		}
		s = pid_find(r, p->pid);
	}
	kind = check_kind(r, p, s);
	if (p->ret == 0 && p->capable_ns && s)
		s->ns = p->capable_ns;
	r->progs[prog].n[kind][p->cap][p->ret == 0 ? 0 : 1]++;
	r->checks++;
	caller_add(r, kind, p->cap, p->caller);
	if (kind == TRACE_NO_NEED && r->no_need_why[p->cap] < 0)
		r->no_need_why[p->cap] = p->no_need;
}

static int is_plumbing(const char *f)
{
	size_t i;

	for (i = 0; i < NPLUMBING; i++)
		if (strcmp(f, plumbing[i]) == 0)
			return 1;
	return 0;
}

/* " => func" or " => func+0x12/0x40": one frame of the CPU's check. */
static void frame_line(struct trace_report *r, const char *s)
{
	char func[FUNC_MAX];
	struct pending *p;
	size_t n, i;

	if (r->stack_cpu < 0)
		return;
	p = pend_get(r, r->stack_cpu);
	if (!p || !p->valid)
		return;
	n = strcspn(s, "+ \t");
	if (n == 0 || n >= sizeof(func))
		return;
	memcpy(func, s, n);
	func[n] = '\0';
	for (i = 0; i < NNO_NEED; i++)
		if (strcmp(func, no_need_callers[i].func) == 0 && p->no_need < 0)
			p->no_need = (int)i;
	if (p->caller < 0 && !is_plumbing(func)) {
		p->caller = intern(&r->callers, &r->ncallers, &r->callers_cap,
				   func);
		if (p->caller < 0)
			r->nomem = 1;
	}
}

/* The last " key=" in s: its number; -1 if none. */
static long field_last(const char *s, const char *key, const char **at)
{
	const char *p = NULL, *q = s;
	size_t klen = strlen(key);
	char *end;
	long v;

	while ((q = strstr(q, key)) != NULL) {
		p = q;
		q += klen;
	}
	if (!p)
		return -1;
	errno = 0;
	v = strtol(p + klen, &end, 10);
	if (errno || end == p + klen || v < 0)
		return -1;
	if (at)
		*at = p;
	return v;
}

static void exec_event(struct trace_report *r, pid_t cur, const char *s)
{
	const char *pidat, *f;
	long pid, old;
	char *file;
	int prog;

	/* filename=F pid=N old_pid=N: F may hold spaces, so from the right */
	old = field_last(s, " old_pid=", NULL);
	if (strncmp(s, "filename=", 9) != 0)
		return;
	f = s + 9;
	pid = field_last(f, " pid=", &pidat);
	if (pid <= 0 || (old >= 0 && pidat > strstr(s, " old_pid=")))
		return;
	file = strndup(f, (size_t)(pidat - f));
	if (!file) {
		r->nomem = 1;
		return;
	}
	prog = prog_intern(r, file);
	free(file);
	if (prog < 0 || pid_set(r, (pid_t)pid, prog) < 0 ||
	    (old > 0 && old != pid && pid_set(r, (pid_t)old, prog) < 0)) {
		r->nomem = 1;
		return;
	}
	if ((pid_t)pid == r->first_pid || cur == r->first_pid ||
	    (pid_t)old == r->first_pid)
		r->first_execed = 1;
}

static void fork_event(struct trace_report *r, pid_t parent, const char *s)
{
	struct pid_slot *ps = pid_find(r, parent), *cs;
	unsigned long long ns = ps ? ps->ns : 0;
	long child = field_last(s, " child_pid=", NULL);
	int prog;

	if (child <= 0)
		return;
	if (ps) {
		prog = ps->prog;
	} else {
		prog = prog_intern(r, "[unknown]");
		if (prog < 0) {
			r->nomem = 1;
			return;
		}
	}
	if (pid_set(r, (pid_t)child, prog) < 0) {
		r->nomem = 1;
		return;
	}
	cs = pid_find(r, (pid_t)child);
	if (cs)
		cs->ns = ns;	/* a child starts in its parent's namespace */
}

/*
 * "KEY NUMBER" right at *s, NUMBER in base, then END (or the string's
 * end when END is "", or also when it is "\n"): the number, *s moved past
 * END.  -1 on anything else.
 */
static int take_num(const char **s, const char *key, int base,
		    const char *end, unsigned long long *v, int *neg)
{
	size_t k = strlen(key);
	const char *p = *s;
	char *e;

	if (strncmp(p, key, k) != 0)
		return -1;
	p += k;
	*neg = *p == '-';
	if (*neg)
		p++;
	if (!((*p >= '0' && *p <= '9') || (base == 16 &&
	      ((*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))))
		return -1;
	errno = 0;
	*v = strtoull(p, &e, base);
	if (errno || (!*end && *e))
		return -1;
	if (end[0] == '\n' && !*e) {
		*s = e;		/* a last line without its newline */
		return 0;
	}
	if (strncmp(e, end, strlen(end)) != 0)
		return -1;
	*s = e + strlen(end);
	return 0;
}

/* "cred P, target_ns P, capable_ns P, cap N, ret N" */
static int cap_fields(const char *s, unsigned long long *target,
		      unsigned long long *capable, int *cap, int *ret)
{
	unsigned long long c, r, cred;
	int neg;

	if (take_num(&s, "cred ", 16, ", ", &cred, &neg) < 0 || neg ||
	    take_num(&s, "target_ns ", 16, ", ", target, &neg) < 0 || neg ||
	    take_num(&s, "capable_ns ", 16, ", ", capable, &neg) < 0 || neg ||
	    take_num(&s, "cap ", 10, ", ", &c, &neg) < 0 || neg || c > 1000 ||
	    take_num(&s, "ret ", 10, "", &r, &neg) < 0 || r > 100000)
		return -1;
	*cap = (int)c;
	*ret = neg ? -(int)r : (int)r;
	return 0;
}

static void cap_event(struct trace_report *r, int cpu, pid_t pid,
		      const char *comm, size_t comm_len, const char *s)
{
	struct pending *p;
	unsigned long long target, capable;
	int cap, ret;

	if (cap_fields(s, &target, &capable, &cap, &ret) < 0)
		return;
	p = pend_get(r, cpu);
	if (!p)
		return;
	pending_done(r, p);	/* its stack is complete by now */
	memset(p, 0, sizeof(*p));
	p->valid = 1;
	p->pid = pid;
	p->cap = cap;
	p->ret = ret;
	p->target_ns = target;
	p->capable_ns = capable;
	p->caller = -1;
	p->no_need = -1;
	/*
	 * Decided now, in the trace's time order: the exec event may be
	 * read before this check's stack is complete.
	 */
	p->pre_exec = pid == r->first_pid && !r->first_execed;
	if (p->pre_exec && cap == CAP_SETPCAP_) {
		/*
		 * capbound's probe (trace_child_go), or a step: every
		 * CAP_SETPCAP check of capset(2) and prctl(2) is against
		 * the caller's own user namespace, granted or not.
		 */
		r->start_ns = p->target_ns;
		r->have_ns = 1;
	}
	if (comm_len >= sizeof(p->comm))
		comm_len = sizeof(p->comm) - 1;
	memcpy(p->comm, comm, comm_len);
	p->comm[comm_len] = '\0';
}

/*
 * "<comm>-<pid> [<cpu>] <flags> <ts>: <event>": the comm is printed
 * right-aligned in 16 columns and is at most 15 characters, so the
 * " [cpu]" after the pid is the first one from column 16 on.
 */
static void header_line(struct trace_report *r, const char *line)
{
	size_t len = strlen(line), i, j, c0;
	const char *rest, *comm;
	long pid, cpu = -1;
	char *end = NULL;

	for (i = len > 16 ? 16 : 0; i + 3 < len; i++) {
		if (line[i] != ' ' || line[i + 1] != '[')
			continue;
		errno = 0;
		cpu = strtol(line + i + 2, &end, 10);
		if (end != line + i + 2 && *end == ']' && !errno)
			break;
	}
	if (i + 3 >= len)
		return;
	j = i;
	while (j > 0 && line[j - 1] == ' ')
		j--;
	while (j > 0 && line[j - 1] >= '0' && line[j - 1] <= '9')
		j--;
	if (j == 0 || line[j - 1] != '-')
		return;
	pid = strtol(line + j, NULL, 10);
	for (c0 = 0; c0 < j - 1 && line[c0] == ' '; c0++)
		;
	comm = line + c0;
	rest = strstr(end, ": ");
	if (!rest || pid <= 0)
		return;
	rest += 2;
	r->stack_cpu = -1;
	if (strncmp(rest, "cap_capable: ", 13) == 0) {
		cap_event(r, (int)cpu, (pid_t)pid, comm, j - 1 - c0, rest + 13);
	} else if (strcmp(rest, "<stack trace>") == 0) {
		struct pending *p = pend_get(r, (int)cpu);

		/* Only the stack of the check it follows, never another's. */
		if (p && p->valid && p->pid == (pid_t)pid)
			r->stack_cpu = (int)cpu;
	} else if (strncmp(rest, "sched_process_exec: ", 20) == 0) {
		exec_event(r, (pid_t)pid, rest + 20);
	} else if (strncmp(rest, "sched_process_fork: ", 20) == 0) {
		fork_event(r, (pid_t)pid, rest + 20);
	}
}

static void line_do(struct trace_report *r, const char *line)
{
	unsigned long long cpu, n;
	const char *s = line;
	int neg;

	if (strncmp(line, " => ", 4) == 0) {
		frame_line(r, line + 4);
		return;
	}
	/* trace_pipe's own note when the ring buffer overran */
	if (take_num(&s, "CPU:", 10, " [LOST ", &cpu, &neg) == 0 && !neg &&
	    take_num(&s, "", 10, " EVENTS]", &n, &neg) == 0 && !neg && !*s) {
		r->lost_lines += n;
		return;
	}
	header_line(r, line);
}

int trace_report_feed(struct trace_report *r, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			if (r->line_len < r->line_cap)
				r->line[r->line_len] = '\0';
			if (r->line_len)
				line_do(r, r->line);
			r->line_len = 0;
			continue;
		}
		if (r->line_len + 1 >= r->line_cap) {
			size_t ncap = r->line_cap ? r->line_cap * 2 : 512;
			char *l;

			if (ncap > (1u << 20))
				continue;	/* no event line is that long */
			l = realloc(r->line, ncap);
			if (!l) {
				errno = ENOMEM;
				return -1;
			}
			r->line = l;
			r->line_cap = ncap;
		}
		r->line[r->line_len++] = buf[i];
	}
	if (r->nomem) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int trace_report_end(struct trace_report *r)
{
	size_t i;

	if (r->line_len) {
		r->line[r->line_len] = '\0';
		line_do(r, r->line);
		r->line_len = 0;
	}
	for (i = 0; i < r->npend; i++)
		pending_done(r, &r->pend[i]);
	if (r->nomem) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

unsigned long long trace_stats_lost(const char *stats)
{
	unsigned long long n = 0, v;
	const char *l, *s;
	int neg;

	for (l = stats; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		s = l;
		if ((take_num(&s, "overrun: ", 10, "\n", &v, &neg) == 0 ||
		     take_num(&s, "dropped events: ", 10, "\n", &v, &neg) == 0) &&
		    !neg)
			n += v;
	}
	return n;
}

unsigned long long trace_report_lost(const struct trace_report *r,
				     unsigned long long stats_lost)
{
	/* Two counts of the same lost events: the larger one. */
	return stats_lost > r->lost_lines ? stats_lost : r->lost_lines;
}

int trace_report_ran(const struct trace_report *r)
{
	return r->first_execed;
}

capmask_t trace_report_caps(const struct trace_report *r, enum trace_kind k)
{
	capmask_t set = 0;
	size_t i;
	int c;

	for (i = 0; i < r->nprogs; i++)
		for (c = 0; c < NCAPS; c++)
			if (r->progs[i].n[k][c][0] || r->progs[i].n[k][c][1])
				set |= CAPS_BIT(c);
	return set;
}

/* ---- the suggested line -------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
	int nomem;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 128;
		char *t;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		t = realloc(b->s, ncap);
		if (!t) {
			b->nomem = 1;
			return;
		}
		b->s = t;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* One shell word: as it is when plain, else in single quotes. */
static void sb_word(struct sbuf *b, const char *s)
{
	const char *p;

	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_@%+=:,./-") == strlen(s)) {
		sb_str(b, s);
		return;
	}
	sb_str(b, "'");
	for (p = s; *p; p++) {
		if (*p == '\'')
			sb_str(b, "'\\''");
		else
			sb_add(b, p, 1);
	}
	sb_str(b, "'");
}

/* "--opt=VALUE", the value quoted as one word with the option. */
static void sb_opt(struct sbuf *b, const char *opt, const char *value)
{
	char *w;

	sb_str(b, " ");
	if (asprintf(&w, "%s=%s", opt, value) < 0) {
		b->nomem = 1;
		return;
	}
	sb_word(b, w);
	free(w);
}

/* "net_raw,chown": the names without "cap_", as one writes them. */
static void sb_caps(struct sbuf *b, capmask_t set)
{
	char name[CAPS_NAME_MAX];
	int c, first = 1;

	for (c = 0; c < NCAPS; c++) {
		if (!(set & CAPS_BIT(c)))
			continue;
		caps_name(c, name);
		if (!first)
			sb_str(b, ",");
		sb_str(b, strncmp(name, "cap_", 4) == 0 ? name + 4 : name);
		first = 0;
	}
}

char *trace_report_suggest(const struct trace_report *r,
			   const struct trace_run *run)
{
	capmask_t need = trace_report_caps(r, TRACE_NEEDED);
	struct sbuf b = { NULL, 0, 0, 0 };
	size_t i;
	char **a;

	sb_str(&b, "capbound");
	if (need) {
		sb_str(&b, " --keep=");
		sb_caps(&b, need);
		/* A non-root user holds capabilities only through pA. */
		if (run->user) {
			sb_str(&b, " --ambient=");
			sb_caps(&b, need);
		}
	} else {
		sb_str(&b, " --drop=all");
	}
	if (run->user)
		sb_opt(&b, "--user", run->user);
	if (run->group)
		sb_opt(&b, "--group", run->group);
	if (run->have_groups)
		sb_opt(&b, "--groups", run->groups ? run->groups : "");
	if (run->reset_env)
		sb_str(&b, " --reset-env");
	if (run->no_new_privs)
		sb_str(&b, " --no-new-privs");
	if (run->have_securebits) {
		sb_str(&b, " --securebits=");
		for (i = 0; i < caps_nsecurebits; i++) {
			if (!(run->securebits & caps_securebits[i].bit))
				continue;
			if (b.s[b.len - 1] != '=')
				sb_str(&b, ",");
			sb_str(&b, caps_securebits[i].name);
		}
	}
	if (run->new_session)
		sb_str(&b, " --new-session");
	if (run->command) {
		sb_str(&b, " --");
		for (a = run->command; *a; a++) {
			sb_str(&b, " ");
			sb_word(&b, *a);
		}
	}
	if (b.nomem) {
		free(b.s);
		errno = ENOMEM;
		return NULL;
	}
	return b.s;
}

/* ---- the report -------------------------------------------------------- */

static const char *const kind_key[TRACE_NKINDS] = {
	"needed", "denied", "no_need", "other_namespace",
};

static const char *const kind_title[TRACE_NKINDS] = {
	"needed: checked in the command's user namespace and granted",
	"denied: checked in the command's user namespace and refused "
	"(the command went on without them)",
	"needs nothing: checks whose answer the command does not depend on, "
	"known by their kernel caller",
	"other user namespaces: checks against, or from, a namespace other "
	"than the command's (no need for its capabilities there)",
};

static unsigned long cap_total(const struct trace_report *r, int kind,
			       int cap, int gd)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < r->nprogs; i++)
		n += r->progs[i].n[kind][cap][gd];
	return n;
}

static void text_kind(const struct trace_report *r, int kind, FILE *out)
{
	char name[CAPS_NAME_MAX], path[1024];
	int c, k, any = 0;
	size_t i;

	fprintf(out, "\n%s:\n", kind_title[kind]);
	for (c = 0; c < NCAPS; c++) {
		if (!cap_total(r, kind, c, 0) && !cap_total(r, kind, c, 1))
			continue;
		any = 1;
		caps_name(c, name);
		for (i = 0; i < r->nprogs; i++) {
			const unsigned long *n = r->progs[i].n[kind][c];

			if (!n[0] && !n[1])
				continue;
			text_escape(r->progs[i].path, path, sizeof(path));
			fprintf(out, "  %-22s %6lu granted %6lu denied  %s\n",
				name, n[0], n[1], path);
		}
		fprintf(out, "  %-22s kernel:", "");
		for (k = 0; k < MAX_CALLERS && r->caller_ids[kind][c][k] >= 0; k++)
			fprintf(out, "%s %s", k ? "," : "",
				r->callers[r->caller_ids[kind][c][k]]);
		if (k == 0)
			fprintf(out, " (no stack trace)");
		if (r->caller_more[kind][c])
			fprintf(out, ", ...");
		if (kind == TRACE_NO_NEED && r->no_need_why[c] >= 0)
			fprintf(out, " (%s)",
				no_need_callers[r->no_need_why[c]].why);
		fputc('\n', out);
	}
	if (!any)
		fprintf(out, "  (none)\n");
}

static void json_str(const char *s, FILE *out)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_caps(capmask_t set, FILE *out)
{
	char name[CAPS_NAME_MAX];
	int c, first = 1;

	fputc('[', out);
	for (c = 0; c < NCAPS; c++) {
		if (!(set & CAPS_BIT(c)))
			continue;
		caps_name(c, name);
		fprintf(out, "%s\"%s\"", first ? "" : ", ", name);
		first = 0;
	}
	fputc(']', out);
}

static void json_write(const struct trace_report *r,
		       const struct trace_run *run, unsigned long long lost,
		       const char *line, FILE *out)
{
	capmask_t need = trace_report_caps(r, TRACE_NEEDED);
	char name[CAPS_NAME_MAX];
	int kind, c, k, first = 1, pfirst;
	size_t i;
	char **a;

	fprintf(out, "{\n  \"command\": [");
	for (a = run->command; a && *a; a++) {
		if (a != run->command)
			fprintf(out, ", ");
		json_str(*a, out);
	}
	fprintf(out, "],\n  \"status\": ");
	json_str(run->status, out);
	fprintf(out, ",\n  \"exit_code\": %d,\n", run->exit_code);
	fprintf(out, "  \"tasks\": %zu,\n  \"checks\": %llu,\n",
		r->npids ? r->npids : 0, r->checks);
	fprintf(out, "  \"lost_events\": %llu,\n  \"checks_by_kind\": [", lost);
	for (kind = 0; kind < TRACE_NKINDS; kind++) {
		for (c = 0; c < NCAPS; c++) {
			if (!cap_total(r, kind, c, 0) && !cap_total(r, kind, c, 1))
				continue;
			caps_name(c, name);
			fprintf(out, "%s\n    {\"kind\": \"%s\", \"cap\": \"%s\", "
				"\"granted\": %lu, \"denied\": %lu, "
				"\"programs\": [", first ? "" : ",",
				kind_key[kind], name, cap_total(r, kind, c, 0),
				cap_total(r, kind, c, 1));
			first = 0;
			pfirst = 1;
			for (i = 0; i < r->nprogs; i++) {
				const unsigned long *n = r->progs[i].n[kind][c];

				if (!n[0] && !n[1])
					continue;
				fprintf(out, "%s{\"path\": ", pfirst ? "" : ", ");
				json_str(r->progs[i].path, out);
				fprintf(out, ", \"granted\": %lu, \"denied\": "
					"%lu}", n[0], n[1]);
				pfirst = 0;
			}
			fprintf(out, "], \"kernel_callers\": [");
			for (k = 0; k < MAX_CALLERS &&
			     r->caller_ids[kind][c][k] >= 0; k++) {
				if (k)
					fprintf(out, ", ");
				json_str(r->callers[r->caller_ids[kind][c][k]],
					 out);
			}
			fprintf(out, "]}");
		}
	}
	fprintf(out, "%s],\n  \"suggested\": {\"keep\": ", first ? "" : "\n  ");
	json_caps(need, out);
	fprintf(out, ", \"ambient\": ");
	json_caps(run->user ? need : 0, out);
	fprintf(out, ", \"user\": ");
	if (run->user)
		json_str(run->user, out);
	else
		fprintf(out, "null");
	fprintf(out, ", \"line\": ");
	json_str(line, out);
	fprintf(out, "}\n}\n");
}

int trace_report_write(const struct trace_report *r,
		       const struct trace_run *run, int json, FILE *out)
{
	unsigned long long lost = trace_report_lost(r, run->lost);
	char *line = trace_report_suggest(r, run);
	char word[1024];
	int kind;
	char **a;

	if (!line)
		return -1;
	if (json) {
		json_write(r, run, lost, line, out);
	} else {
		fprintf(out, "capbound: trace of");
		for (a = run->command; a && *a; a++) {
			text_escape(*a, word, sizeof(word));
			fprintf(out, " %s", word);
		}
		if (!run->command)
			fprintf(out, " the shell");
		fprintf(out, ": %s; %zu tasks, %llu capability checks\n",
			run->status, r->npids, r->checks);
		if (lost)
			fprintf(out, "WARNING: %llu trace events were lost (the "
				"trace buffer overran): checks may be missing "
				"below; trace again\n", lost);
		for (kind = 0; kind < TRACE_NKINDS; kind++)
			text_kind(r, kind, out);
		if (trace_report_caps(r, TRACE_DENIED))
			fprintf(out, "\nIf the command failed for want of a "
				"denied capability, trace it again with that "
				"capability granted (as root, or with "
				"--ambient=CAPS for a --user).\n");
		/* Pasteable as it is, unless a control character is in it. */
		text_escape(line, word, sizeof(word));
		fprintf(out, "\nsuggested command line:\n  %s\n",
			strcmp(word, line) == 0 ? line : word);
	}
	free(line);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
