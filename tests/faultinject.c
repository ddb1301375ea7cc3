// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/faultinject.c - a test-only LD_PRELOAD library (never installed)
 * that makes the Nth call of one chosen function fail with a chosen errno,
 * so that tests can prove every privileged step of capbound fails closed.
 *
 * Environment, read once, then removed so that the command capbound runs
 * never sees the library:
 *   FI_FUNC=name          the function to fail (see the wrappers below)
 *   FI_PRCTL_OPTION=NAME  with FI_FUNC=prctl: count only calls with this
 *                         option (PR_CAPBSET_DROP, PR_CAP_AMBIENT_RAISE, ...)
 *   FI_NTH=N              fail the Nth matching call (1-based; default 1)
 *   FI_STICKY=1           fail the Nth and every later matching call
 *   FI_ERRNO=EPERM        the errno to fail with (a name or a number)
 *   FI_COUNT=file         append one line per intercepted call made by the
 *                         main program: "func" or "prctl OPTION"
 *
 * Only calls made from the main executable once main() has begun are
 * counted and failed: what glibc does inside itself is its own (its stdio
 * writes and execvp do not go through these symbols at all), and so is
 * libcap's constructor, which probes PR_CAPBSET_READ before main() from
 * inside capbound (libcap is linked into it).  Each failure
 * is announced on stderr as "faultinject: ..." only with FI_VERBOSE=1, so
 * that the test can count capbound's own messages.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* The few prototypes glibc keeps in headers we do not want to include. */
int capget(cap_user_header_t hdr, cap_user_data_t data);
int capset(cap_user_header_t hdr, const cap_user_data_t data);

static struct {
	int ready;
	char func[64];
	char option[64];
	long nth;
	int sticky;
	int err;
	int count_fd;
	int verbose;
	int armed;		/* main() has begun */
	long seen;		/* matching calls so far */
} fi = { .count_fd = -1 };

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO },
	{ "E2BIG", E2BIG }, { "ENOEXEC", ENOEXEC }, { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT },
	{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE },
	{ "ENOSPC", ENOSPC }, { "ERANGE", ERANGE }, { "ENOSYS", ENOSYS },
	{ "ETXTBSY", ETXTBSY },
};

static const struct {
	const char *name;
	int value;
} prctl_options[] = {
#define O(x) { #x, x }
	O(PR_CAPBSET_READ), O(PR_CAPBSET_DROP), O(PR_CAP_AMBIENT),
	O(PR_SET_KEEPCAPS), O(PR_GET_KEEPCAPS), O(PR_GET_SECUREBITS),
	O(PR_SET_SECUREBITS), O(PR_SET_NO_NEW_PRIVS), O(PR_GET_NO_NEW_PRIVS),
	O(PR_SET_DUMPABLE), O(PR_GET_DUMPABLE), O(PR_SET_PDEATHSIG),
#undef O
};

/* PR_CAP_AMBIENT's sub-options name the call on their own. */
static const char *prctl_name(int option, unsigned long arg2, char *buf,
			      size_t len)
{
	size_t i;

	if (option == PR_CAP_AMBIENT) {
		switch (arg2) {
		case PR_CAP_AMBIENT_IS_SET: return "PR_CAP_AMBIENT_IS_SET";
		case PR_CAP_AMBIENT_RAISE: return "PR_CAP_AMBIENT_RAISE";
		case PR_CAP_AMBIENT_LOWER: return "PR_CAP_AMBIENT_LOWER";
		case PR_CAP_AMBIENT_CLEAR_ALL: return "PR_CAP_AMBIENT_CLEAR_ALL";
		default: break;
		}
	}
	for (i = 0; i < sizeof(prctl_options) / sizeof(prctl_options[0]); i++)
		if (prctl_options[i].value == option)
			return prctl_options[i].name;
	snprintf(buf, len, "PR_%d", option);
	return buf;
}

static void fi_init(void)
{
	const char *s;
	size_t i;

	if (fi.ready)
		return;
	fi.ready = 1;
	s = getenv("FI_FUNC");
	if (s)
		snprintf(fi.func, sizeof(fi.func), "%s", s);
	s = getenv("FI_PRCTL_OPTION");
	if (s)
		snprintf(fi.option, sizeof(fi.option), "%s", s);
	s = getenv("FI_NTH");
	fi.nth = s ? strtol(s, NULL, 10) : 1;
	if (fi.nth < 1)
		fi.nth = 1;
	s = getenv("FI_STICKY");
	fi.sticky = s && *s == '1';
	s = getenv("FI_VERBOSE");
	fi.verbose = s && *s == '1';
	fi.err = EPERM;
	s = getenv("FI_ERRNO");
	if (s) {
		fi.err = (int)strtol(s, NULL, 10);
		for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
			if (strcmp(errnos[i].name, s) == 0)
				fi.err = errnos[i].value;
		if (fi.err <= 0)
			fi.err = EPERM;
	}
	s = getenv("FI_COUNT");
	if (s)
		fi.count_fd = open(s, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				   0644);
	/* The command capbound runs must not inherit any of this. */
	unsetenv("LD_PRELOAD");
	unsetenv("FI_FUNC");
	unsetenv("FI_PRCTL_OPTION");
	unsetenv("FI_NTH");
	unsetenv("FI_STICKY");
	unsetenv("FI_ERRNO");
	unsetenv("FI_COUNT");
	unsetenv("FI_VERBOSE");
}

__attribute__((constructor))
static void fi_constructor(void)
{
	fi_init();
}

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f) {
		static const char msg[] = "faultinject: dlsym failed\n";
		ssize_t w = syscall(SYS_write, 2, msg, sizeof(msg) - 1);

		(void)w;
		_exit(99);
	}
	return f;
}

/* Does the caller's address lie in a PT_LOAD segment of the first object
 * dl_iterate_phdr() visits, which is the executable? */
static int in_first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t *addr = data;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = (uintptr_t)info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && *addr >= start &&
		    *addr < start + ph->p_memsz) {
			*addr = 1;
			return 1;
		}
	}
	*addr = 0;
	return 1;
}

/* Is the caller the main executable (not libcap, not libc)? */
static int from_main(const void *caller)
{
	uintptr_t addr = (uintptr_t)caller;

	if (addr <= 1)
		return 0;
	dl_iterate_phdr(in_first_object, &addr);
	return addr == 1;
}

/*
 * Record the call and decide: 1 = fail it now (errno is set).
 * key is the function, detail the prctl option (or NULL).
 */
static int fi_hit(const void *caller, const char *key, const char *detail)
{
	int match;

	fi_init();
	if (!fi.armed || !from_main(caller))
		return 0;
	if (fi.count_fd >= 0) {
		char line[160];
		int n = snprintf(line, sizeof(line), "%s%s%s\n", key,
				 detail ? " " : "", detail ? detail : "");

		if (n > 0 && (size_t)n < sizeof(line)) {
			ssize_t w = syscall(SYS_write, fi.count_fd,
					    line, (size_t)n);
			(void)w;
		}
	}
	if (!fi.func[0] || strcmp(fi.func, key) != 0)
		return 0;
	match = !fi.option[0] || (detail && strcmp(fi.option, detail) == 0);
	if (!match)
		return 0;
	fi.seen++;
	if (fi.seen == fi.nth || (fi.sticky && fi.seen > fi.nth)) {
		if (fi.verbose) {
			char line[160];
			int n = snprintf(line, sizeof(line),
					 "faultinject: failing %s%s%s #%ld\n",
					 key, detail ? " " : "",
					 detail ? detail : "", fi.seen);

			if (n > 0 && (size_t)n < sizeof(line)) {
				ssize_t w = syscall(SYS_write, 2, line, (size_t)n);
				(void)w;
			}
		}
		errno = fi.err;
		return 1;
	}
	return 0;
}

#define CALLER __builtin_return_address(0)

/* Arm at main(): the executable's constructors have run by then. */
typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void),
			void (*)(void), void (*)(void), void *);
/* glibc's own name: the one symbol _start calls. */
int __libc_start_main(main_fn main, int argc, char **argv, // NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
		      void (*init)(void), void (*fini)(void),
		      void (*rtld_fini)(void), void *stack_end);
static main_fn real_main;

static int fi_main(int argc, char **argv, char **envp)
{
	fi.armed = 1;
	return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, // NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
		      void (*init)(void), void (*fini)(void),
		      void (*rtld_fini)(void), void *stack_end)
{
	start_fn next = (start_fn)real("__libc_start_main");

	real_main = main;
	return next(fi_main, argc, argv, init, fini, rtld_fini, stack_end);
}

int prctl(int option, ...)
{
	static int (*next)(int, ...);
	unsigned long a2, a3, a4, a5;
	char buf[32];
	va_list ap;

	va_start(ap, option);
	a2 = va_arg(ap, unsigned long);
	a3 = va_arg(ap, unsigned long);
	a4 = va_arg(ap, unsigned long);
	a5 = va_arg(ap, unsigned long);
	va_end(ap);
	if (fi_hit(CALLER, "prctl", prctl_name(option, a2, buf, sizeof(buf))))
		return -1;
	if (!next)
		next = (int (*)(int, ...))real("prctl");
	return next(option, a2, a3, a4, a5);
}

int capset(cap_user_header_t hdr, const cap_user_data_t data)
{
	static int (*next)(cap_user_header_t, const cap_user_data_t);

	if (fi_hit(CALLER, "capset", NULL))
		return -1;
	if (!next)
		next = (int (*)(cap_user_header_t, const cap_user_data_t))
			real("capset");
	return next(hdr, data);
}

int capget(cap_user_header_t hdr, cap_user_data_t data)
{
	static int (*next)(cap_user_header_t, cap_user_data_t);

	if (fi_hit(CALLER, "capget", NULL))
		return -1;
	if (!next)
		next = (int (*)(cap_user_header_t, cap_user_data_t))
			real("capget");
	return next(hdr, data);
}

int setgroups(size_t n, const gid_t *list)
{
	static int (*next)(size_t, const gid_t *);

	if (fi_hit(CALLER, "setgroups", NULL))
		return -1;
	if (!next)
		next = (int (*)(size_t, const gid_t *))real("setgroups");
	return next(n, list);
}

int getgroups(int n, gid_t *list)
{
	static int (*next)(int, gid_t *);

	if (fi_hit(CALLER, "getgroups", NULL))
		return -1;
	if (!next)
		next = (int (*)(int, gid_t *))real("getgroups");
	return next(n, list);
}

int setresgid(gid_t r, gid_t e, gid_t s)
{
	static int (*next)(gid_t, gid_t, gid_t);

	if (fi_hit(CALLER, "setresgid", NULL))
		return -1;
	if (!next)
		next = (int (*)(gid_t, gid_t, gid_t))real("setresgid");
	return next(r, e, s);
}

int setresuid(uid_t r, uid_t e, uid_t s)
{
	static int (*next)(uid_t, uid_t, uid_t);

	if (fi_hit(CALLER, "setresuid", NULL))
		return -1;
	if (!next)
		next = (int (*)(uid_t, uid_t, uid_t))real("setresuid");
	return next(r, e, s);
}

int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	static int (*next)(gid_t *, gid_t *, gid_t *);

	if (fi_hit(CALLER, "getresgid", NULL))
		return -1;
	if (!next)
		next = (int (*)(gid_t *, gid_t *, gid_t *))real("getresgid");
	return next(r, e, s);
}

int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	static int (*next)(uid_t *, uid_t *, uid_t *);

	if (fi_hit(CALLER, "getresuid", NULL))
		return -1;
	if (!next)
		next = (int (*)(uid_t *, uid_t *, uid_t *))real("getresuid");
	return next(r, e, s);
}

/* The *_r lookups report an error by their return value, not errno. */
int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	static int (*next)(const char *, struct passwd *, char *, size_t,
			   struct passwd **);

	if (fi_hit(CALLER, "getpwnam_r", NULL)) {
		*res = NULL;
		return errno;
	}
	if (!next)
		next = (int (*)(const char *, struct passwd *, char *, size_t,
				struct passwd **))real("getpwnam_r");
	return next(name, pw, buf, len, res);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	static int (*next)(uid_t, struct passwd *, char *, size_t,
			   struct passwd **);

	if (fi_hit(CALLER, "getpwuid_r", NULL)) {
		*res = NULL;
		return errno;
	}
	if (!next)
		next = (int (*)(uid_t, struct passwd *, char *, size_t,
				struct passwd **))real("getpwuid_r");
	return next(uid, pw, buf, len, res);
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t len,
	       struct group **res)
{
	static int (*next)(const char *, struct group *, char *, size_t,
			   struct group **);

	if (fi_hit(CALLER, "getgrnam_r", NULL)) {
		*res = NULL;
		return errno;
	}
	if (!next)
		next = (int (*)(const char *, struct group *, char *, size_t,
				struct group **))real("getgrnam_r");
	return next(name, gr, buf, len, res);
}

/*
 * getgrouplist() has no error return: -1 means "the buffer is too
 * small" and the caller retries.  A failure here leaves *ngroups alone,
 * so only FI_STICKY=1 makes it a lasting one.
 */
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
	static int (*next)(const char *, gid_t, gid_t *, int *);

	if (fi_hit(CALLER, "getgrouplist", NULL))
		return -1;
	if (!next)
		next = (int (*)(const char *, gid_t, gid_t *, int *))
			real("getgrouplist");
	return next(user, group, groups, ngroups);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	static int (*next)(const char *, char *const[], char *const[]);

	if (fi_hit(CALLER, "execve", NULL))
		return -1;
	if (!next)
		next = (int (*)(const char *, char *const[], char *const[]))
			real("execve");
	return next(path, argv, envp);
}

int execvp(const char *file, char *const argv[])
{
	static int (*next)(const char *, char *const[]);

	if (fi_hit(CALLER, "execvp", NULL))
		return -1;
	if (!next)
		next = (int (*)(const char *, char *const[]))real("execvp");
	return next(file, argv);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*next)(int, const void *, size_t);

	if (fi_hit(CALLER, "write", NULL))
		return -1;
	if (!next)
		next = (ssize_t (*)(int, const void *, size_t))real("write");
	return next(fd, buf, len);
}

/* stdio's own writes bypass write(): its flush is where they surface. */
int fflush(FILE *fp)
{
	static int (*next)(FILE *);

	if (fi_hit(CALLER, "fflush", NULL))
		return EOF;
	if (!next)
		next = (int (*)(FILE *))real("fflush");
	return next(fp);
}
