// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/faultinject.c - a test-only LD_PRELOAD library (never installed)
 * that makes the Nth call of one chosen function fail with a chosen errno,
 * or "succeed" wrongly: return success without doing anything, or report
 * a chosen value, so that tests can prove every privileged step of
 * capbound and of pam_capbound fails closed and notices a lie.
 *
 * Environment, read once, then removed so that the command capbound runs
 * never sees the library:
 *   FI_FUNC=name          the function to fail (see the wrappers below)
 *   FI_DETAIL=WHAT        count only calls with this detail: the prctl
 *                         option (PR_CAPBSET_DROP, PR_CAP_AMBIENT_RAISE,
 *                         ...), the path of open(), the ioctl request
 *                         (TIOCNOTTY), the function asking for memory.
 *                         FI_PRCTL_OPTION is the old name.
 *   FI_ARG=N              with prctl: only calls about capability N
 *   FI_NTH=N              fail the Nth matching call (1-based; default 1)
 *   FI_STICKY=1           fail the Nth and every later matching call
 *   FI_ERRNO=EPERM        the errno to fail with (a name or a number)
 *   FI_RESULT=VALUE       instead of failing, fake a success (FAKES below)
 *   FI_OBJECT=NAME        count calls made from the loaded object whose
 *                         file name contains NAME (pam_capbound.so), not
 *                         from the main executable
 *   FI_COUNT=file         append one line per intercepted call made by the
 *                         counted object: "func" or "func DETAIL"
 *
 * FAKES (FI_RESULT): the real call is not made, unless said otherwise.
 *   prctl, setresuid, setresgid, setgroups, capset, setsid, ioctl:
 *                         return VALUE (a number): "0" is a success that
 *                         did nothing; for PR_GET_SECUREBITS,
 *                         PR_GET_NO_NEW_PRIVS, PR_CAPBSET_READ and
 *                         PR_CAP_AMBIENT_IS_SET it is the answer.
 *   getresuid, getresgid: VALUE "R,E,S" (or one id for all three).
 *   getgroups:            VALUE "G1,G2,..." ("" or "-": none), answered
 *                         as the kernel would for the caller's size.
 *   capget:               the real call, then VALUE "E,P,I": each a hex
 *                         mask that replaces that set, "^MASK" that
 *                         flips those bits, or empty: unchanged.
 * Allocations (malloc, calloc, realloc, reallocarray, strdup, strndup),
 * open() and fstat() only fail.
 *
 * Only calls made from the counted object once main() has begun are
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
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* The few prototypes glibc keeps in headers we do not want to include. */
int capget(cap_user_header_t hdr, cap_user_data_t data);
int capset(cap_user_header_t hdr, const cap_user_data_t data);
/* glibc's allocator under its own names: no dlsym(), which allocates. */
void *__libc_malloc(size_t n);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
void *__libc_calloc(size_t n, size_t size);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
void *__libc_realloc(void *p, size_t n);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c)

static struct {
	int ready;
	char func[64];
	char detail[256];
	char object[256];
	char result[512];
	int have_result;
	long arg;		/* FI_ARG, -1: any */
	long nth;
	int sticky;
	int err;
	int count_fd;
	int verbose;
	int armed;		/* main() has begun */
	long seen;		/* matching calls so far */
} fi = { .count_fd = -1, .arg = -1 };

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO },
	{ "E2BIG", E2BIG }, { "ENOEXEC", ENOEXEC }, { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT },
	{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE },
	{ "ENOSPC", ENOSPC }, { "ERANGE", ERANGE }, { "ENOSYS", ENOSYS },
	{ "ETXTBSY", ETXTBSY }, { "ENXIO", ENXIO }, { "ENOTTY", ENOTTY },
	{ "EBADF", EBADF }, { "ESRCH", ESRCH },
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

static void env_copy(const char *name, char *buf, size_t len)
{
	const char *s = getenv(name);

	if (s)
		snprintf(buf, len, "%s", s);
}

static void fi_init(void)
{
	const char *s;
	size_t i;

	if (fi.ready)
		return;
	fi.ready = 1;
	env_copy("FI_FUNC", fi.func, sizeof(fi.func));
	env_copy("FI_PRCTL_OPTION", fi.detail, sizeof(fi.detail));
	env_copy("FI_DETAIL", fi.detail, sizeof(fi.detail));
	env_copy("FI_OBJECT", fi.object, sizeof(fi.object));
	s = getenv("FI_RESULT");
	if (s) {
		fi.have_result = 1;
		snprintf(fi.result, sizeof(fi.result), "%s", s);
	}
	s = getenv("FI_ARG");
	if (s && *s)
		fi.arg = strtol(s, NULL, 10);
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
	if (s) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, s,
				      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				      0644);

		/*
		 * Out of the way of the program's own descriptors: with
		 * stdin closed, its next open() must still get 0.
		 */
		fi.count_fd = fd;
		if (fd >= 0 && fd < 100) {
			fi.count_fd = (int)syscall(SYS_fcntl, fd,
						   F_DUPFD_CLOEXEC, 100);
			syscall(SYS_close, fd);
		}
	}
	/* The command capbound runs must not inherit any of this. */
	unsetenv("LD_PRELOAD");
	unsetenv("FI_FUNC");
	unsetenv("FI_PRCTL_OPTION");
	unsetenv("FI_DETAIL");
	unsetenv("FI_OBJECT");
	unsetenv("FI_RESULT");
	unsetenv("FI_ARG");
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

static void say(const char *line, size_t n)
{
	ssize_t w = syscall(SYS_write, 2, line, n);

	(void)w;
}

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f) {
		static const char msg[] = "faultinject: dlsym failed\n";

		say(msg, sizeof(msg) - 1);
		_exit(99);
	}
	return f;
}

/*
 * Does the caller's address lie in a PT_LOAD segment of the counted
 * object: the first one dl_iterate_phdr() visits (the executable), or
 * the one whose name holds FI_OBJECT?
 */
struct where {
	uintptr_t addr;
	int first;
	int found;
};

static int in_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct where *w = data;
	int i, first = w->first;

	(void)size;
	w->first = 0;
	if (fi.object[0]) {
		if (!info->dlpi_name || !strstr(info->dlpi_name, fi.object))
			return 0;
	} else if (!first) {
		return 1;
	}
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = (uintptr_t)info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && w->addr >= start &&
		    w->addr < start + ph->p_memsz) {
			w->found = 1;
			return 1;
		}
	}
	return fi.object[0] ? 0 : 1;
}

/* Is the caller the counted object (not libcap, not libc)? */
static int from_counted(const void *caller)
{
	struct where w = { (uintptr_t)caller, 1, 0 };

	if (w.addr <= 1)
		return 0;
	dl_iterate_phdr(in_object, &w);
	return w.found;
}

/*
 * The function a return address lies in, from the ELF symbol table of
 * the counted object's file (capbound keeps its .symtab): the detail of
 * an allocation, so that a test can tell capbound's own allocations from
 * those of the libcap and popt it carries inside.  Read once, mmap'd.
 */
static struct {
	int tried;
	const ElfW(Sym) *syms;
	size_t nsyms;
	const char *strs;
	uintptr_t base;
} symtab;

static int object_base(struct dl_phdr_info *info, size_t size, void *data)
{
	char *path = data;

	(void)size;
	if (fi.object[0]) {
		if (!info->dlpi_name || !strstr(info->dlpi_name, fi.object))
			return 0;
		snprintf(path, 4096, "%s", info->dlpi_name);
	} else {
		/* The file execve(2) ran: there is no /proc/self/exe without /proc. */
		const char *exe = (const char *)getauxval(AT_EXECFN);

		snprintf(path, 4096, "%s", exe ? exe : "/proc/self/exe");
	}
	symtab.base = (uintptr_t)info->dlpi_addr;
	return 1;
}

static void symtab_load(void)
{
	char path[4096] = "";
	const ElfW(Ehdr) *eh;
	const ElfW(Shdr) *sh;
	struct stat st;
	void *map;
	int fd, i;

	symtab.tried = 1;
	dl_iterate_phdr(object_base, path);
	if (!path[0])
		return;
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(*eh)) {
		close(fd);
		return;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	eh = map;
	/* The linker aligns the section headers and tables (via void *:
	 * the casts do not lose alignment, whatever -Wcast-align thinks). */
	sh = (const ElfW(Shdr) *)(const void *)((const char *)map + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		symtab.syms = (const ElfW(Sym) *)(const void *)
			((const char *)map + sh[i].sh_offset);
		symtab.nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
		symtab.strs = (const char *)map + sh[sh[i].sh_link].sh_offset;
		return;
	}
}

static const char *caller_name(const void *caller)
{
	uintptr_t a = (uintptr_t)caller;
	size_t i;

	if (!symtab.tried)
		symtab_load();
	if (!symtab.syms)
		return "?";
	a -= symtab.base;
	for (i = 0; i < symtab.nsyms; i++) {
		const ElfW(Sym) *s = &symtab.syms[i];

		if (ELF64_ST_TYPE(s->st_info) == STT_FUNC &&
		    a >= s->st_value && a < s->st_value + s->st_size)
			return symtab.strs + s->st_name;
	}
	return "?";
}

/*
 * libgcov, linked into every object of a coverage build (make coverage),
 * writes its counts at exit and exec with open() and malloc() from the
 * counted object: its calls are not capbound's.
 */
static int from_gcov(const void *caller)
{
	const char *name = caller_name(caller);

	return strncmp(name, "gcov_", 5) == 0 ||
	       strncmp(name, "__gcov_", 7) == 0;
}

enum { PASS = 0, FAIL = 1, FAKE = 2 };

/*
 * Record the call and decide: FAIL (errno is set), FAKE (fi.result says
 * what to answer), or PASS.  key is the function, detail the prctl
 * option, path or request (or NULL), arg the capability of a prctl (-1).
 */
static int fi_hit_arg(const void *caller, const char *key, const char *detail,
		      long arg, int can_fake)
{
	int match;

	fi_init();
	if (!fi.armed || !from_counted(caller) || from_gcov(caller))
		return PASS;
	if (fi.count_fd >= 0) {
		char line[320];
		int n = snprintf(line, sizeof(line), "%s%s%s\n", key,
				 detail ? " " : "", detail ? detail : "");

		if (n > 0 && (size_t)n < sizeof(line)) {
			ssize_t w = syscall(SYS_write, fi.count_fd,
					    line, (size_t)n);
			(void)w;
		}
	}
	if (!fi.func[0] || strcmp(fi.func, key) != 0)
		return PASS;
	match = !fi.detail[0] || (detail && strcmp(fi.detail, detail) == 0);
	if (!match || (fi.arg >= 0 && arg != fi.arg))
		return PASS;
	fi.seen++;
	if (fi.seen == fi.nth || (fi.sticky && fi.seen > fi.nth)) {
		int fake = fi.have_result && can_fake;

		if (fi.verbose) {
			char line[320];
			int n = snprintf(line, sizeof(line),
					 "faultinject: %s %s%s%s #%ld\n",
					 fake ? "faking" : "failing",
					 key, detail ? " " : "",
					 detail ? detail : "", fi.seen);

			if (n > 0 && (size_t)n < sizeof(line))
				say(line, (size_t)n);
		}
		if (fake)
			return FAKE;
		errno = fi.err;
		return FAIL;
	}
	return PASS;
}

static int fi_hit(const void *caller, const char *key, const char *detail)
{
	return fi_hit_arg(caller, key, detail, -1, 0);
}

static int fi_hit_fake(const void *caller, const char *key,
		       const char *detail)
{
	return fi_hit_arg(caller, key, detail, -1, 1);
}

/* FI_RESULT as one number. */
static long result_num(void)
{
	return strtol(fi.result, NULL, 0);
}

/* FI_RESULT "a,b,c" (or "a") as three ids. */
static void result_ids(unsigned int *a, unsigned int *b, unsigned int *c)
{
	char *end;
	unsigned long v[3];
	const char *p = fi.result;
	int i;

	for (i = 0; i < 3; i++) {
		v[i] = strtoul(p, &end, 10);
		if (*end != ',') {
			for (i++; i < 3; i++)
				v[i] = v[i - 1];
			break;
		}
		p = end + 1;
	}
	*a = (unsigned int)v[0];
	*b = (unsigned int)v[1];
	*c = (unsigned int)v[2];
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
	long cap = -1;
	char buf[32];
	va_list ap;
	int r;

	va_start(ap, option);
	a2 = va_arg(ap, unsigned long);
	a3 = va_arg(ap, unsigned long);
	a4 = va_arg(ap, unsigned long);
	a5 = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_CAPBSET_READ || option == PR_CAPBSET_DROP)
		cap = (long)a2;
	else if (option == PR_CAP_AMBIENT)
		cap = (long)a3;
	r = fi_hit_arg(CALLER, "prctl", prctl_name(option, a2, buf,
						    sizeof(buf)), cap, 1);
	if (r == FAIL)
		return -1;
	if (r == FAKE)
		return (int)result_num();
	if (!next)
		next = (int (*)(int, ...))real("prctl");
	return next(option, a2, a3, a4, a5);
}

int capset(cap_user_header_t hdr, const cap_user_data_t data)
{
	static int (*next)(cap_user_header_t, const cap_user_data_t);

	switch (fi_hit_fake(CALLER, "capset", NULL)) {
	case FAIL: return -1;
	case FAKE: return (int)result_num();
	default: break;
	}
	if (!next)
		next = (int (*)(cap_user_header_t, const cap_user_data_t))
			real("capset");
	return next(hdr, data);
}

/* One item of the capget fake: replace, flip (^), or keep (empty). */
static const char *capget_item(const char *p, uint32_t *lo, uint32_t *hi)
{
	uint64_t v = (uint64_t)*lo | ((uint64_t)*hi << 32), m;
	char *end;
	int flip = *p == '^';

	if (*p == ',' || *p == '\0')
		return *p ? p + 1 : p;
	m = strtoull(p + flip, &end, 16);
	v = flip ? v ^ m : m;
	*lo = (uint32_t)v;
	*hi = (uint32_t)(v >> 32);
	return *end == ',' ? end + 1 : end;
}

int capget(cap_user_header_t hdr, cap_user_data_t data)
{
	static int (*next)(cap_user_header_t, cap_user_data_t);
	const char *p;
	int r, fake;

	r = fi_hit_fake(CALLER, "capget", NULL);
	if (r == FAIL)
		return -1;
	fake = r == FAKE;
	if (!next)
		next = (int (*)(cap_user_header_t, cap_user_data_t))
			real("capget");
	r = next(hdr, data);
	if (r == 0 && fake && data) {
		p = capget_item(fi.result, &data[0].effective,
				&data[1].effective);
		p = capget_item(p, &data[0].permitted, &data[1].permitted);
		capget_item(p, &data[0].inheritable, &data[1].inheritable);
	}
	return r;
}

int setgroups(size_t n, const gid_t *list)
{
	static int (*next)(size_t, const gid_t *);

	switch (fi_hit_fake(CALLER, "setgroups", NULL)) {
	case FAIL: return -1;
	case FAKE: return (int)result_num();
	default: break;
	}
	if (!next)
		next = (int (*)(size_t, const gid_t *))real("setgroups");
	return next(n, list);
}

/* The kernel's answer for the list in FI_RESULT. */
static int getgroups_fake(int n, gid_t *list)
{
	const char *p = fi.result;
	char *end;
	int count = 0;

	if (*p == '-')
		p++;
	while (*p) {
		unsigned long g = strtoul(p, &end, 10);

		if (end == p)
			break;
		if (n > 0) {
			if (count >= n) {
				errno = EINVAL;
				return -1;
			}
			list[count] = (gid_t)g;
		}
		count++;
		p = *end == ',' ? end + 1 : end;
	}
	return count;
}

int getgroups(int n, gid_t *list)
{
	static int (*next)(int, gid_t *);

	switch (fi_hit_fake(CALLER, "getgroups", NULL)) {
	case FAIL: return -1;
	case FAKE: return getgroups_fake(n, list);
	default: break;
	}
	if (!next)
		next = (int (*)(int, gid_t *))real("getgroups");
	return next(n, list);
}

int setresgid(gid_t r, gid_t e, gid_t s)
{
	static int (*next)(gid_t, gid_t, gid_t);

	switch (fi_hit_fake(CALLER, "setresgid", NULL)) {
	case FAIL: return -1;
	case FAKE: return (int)result_num();
	default: break;
	}
	if (!next)
		next = (int (*)(gid_t, gid_t, gid_t))real("setresgid");
	return next(r, e, s);
}

int setresuid(uid_t r, uid_t e, uid_t s)
{
	static int (*next)(uid_t, uid_t, uid_t);

	switch (fi_hit_fake(CALLER, "setresuid", NULL)) {
	case FAIL: return -1;
	case FAKE: return (int)result_num();
	default: break;
	}
	if (!next)
		next = (int (*)(uid_t, uid_t, uid_t))real("setresuid");
	return next(r, e, s);
}

int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	static int (*next)(gid_t *, gid_t *, gid_t *);

	switch (fi_hit_fake(CALLER, "getresgid", NULL)) {
	case FAIL: return -1;
	case FAKE: result_ids(r, e, s); return 0;
	default: break;
	}
	if (!next)
		next = (int (*)(gid_t *, gid_t *, gid_t *))real("getresgid");
	return next(r, e, s);
}

int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	static int (*next)(uid_t *, uid_t *, uid_t *);

	switch (fi_hit_fake(CALLER, "getresuid", NULL)) {
	case FAIL: return -1;
	case FAKE: result_ids(r, e, s); return 0;
	default: break;
	}
	if (!next)
		next = (int (*)(uid_t *, uid_t *, uid_t *))real("getresuid");
	return next(r, e, s);
}

pid_t setsid(void)
{
	static pid_t (*next)(void);

	switch (fi_hit_fake(CALLER, "setsid", NULL)) {
	case FAIL: return -1;
	case FAKE: return (pid_t)result_num();
	default: break;
	}
	if (!next)
		next = (pid_t (*)(void))real("setsid");
	return next();
}

static const char *ioctl_name(unsigned long req, char *buf, size_t len)
{
	switch (req) {
	case TIOCNOTTY: return "TIOCNOTTY";
	case TIOCSCTTY: return "TIOCSCTTY";
	case TIOCSTI: return "TIOCSTI";
	case TCGETS: return "TCGETS";
	default: break;
	}
	snprintf(buf, len, "0x%lx", req);
	return buf;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*next)(int, unsigned long, ...);
	char buf[32];
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (fi_hit_fake(CALLER, "ioctl", ioctl_name(req, buf, sizeof(buf)))) {
	case FAIL: return -1;
	case FAKE: return (int)result_num();
	default: break;
	}
	if (!next)
		next = (int (*)(int, unsigned long, ...))real("ioctl");
	return next(fd, req, arg);
}

/* open(2) by path: the detail is the path, e.g. FI_DETAIL=/dev/tty. */
static int open_common(const void *caller, const char *path, int flags,
		       mode_t mode)
{
	static int (*next)(const char *, int, ...);

	if (fi_hit(caller, "open", path))
		return -1;
	if (!next)
		next = (int (*)(const char *, int, ...))real("open");
	return next(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return open_common(CALLER, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return open_common(CALLER, path, flags, mode);
}

/* _FORTIFY_SOURCE's entry point for open() with flags it cannot see. */
int __open_2(const char *path, int flags);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
int __open_2(const char *path, int flags)	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
{
	return open_common(CALLER, path, flags, 0);
}

/* fstat(2) of an open descriptor: failure only (the policy file's check). */
static int fstat_common(const void *caller, int fd, struct stat *st,
			const char *name)
{
	int (*next)(int, struct stat *);

	if (fi_hit(caller, "fstat", NULL))
		return -1;
	next = (int (*)(int, struct stat *))real(name);
	return next(fd, st);
}

int fstat(int fd, struct stat *st)
{
	return fstat_common(CALLER, fd, st, "fstat");
}

int fstat64(int fd, struct stat64 *st)
{
	return fstat_common(CALLER, fd, (struct stat *)(void *)st, "fstat64");
}

/*
 * The allocator: failure only (ENOMEM), never a fake.  The detail is the
 * function that asked (see caller_name()), looked up only for calls the
 * counted object makes.
 */
static int alloc_hit(const void *caller, const char *key)
{
	fi_init();
	/* Cheap for every other call: no look-up unless it may count. */
	if (!fi.armed || (fi.count_fd < 0 && strcmp(fi.func, key) != 0) ||
	    !from_counted(caller))
		return PASS;
	return fi_hit(caller, key, caller_name(caller));
}

void *malloc(size_t n)
{
	if (alloc_hit(CALLER, "malloc"))
		return NULL;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (alloc_hit(CALLER, "calloc"))
		return NULL;
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (alloc_hit(CALLER, "realloc"))
		return NULL;
	return __libc_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (alloc_hit(CALLER, "reallocarray"))
		return NULL;
	if (size && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n * size);
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d;

	if (alloc_hit(CALLER, "strdup"))
		return NULL;
	d = __libc_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

char *strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *d;

	if (alloc_hit(CALLER, "strndup"))
		return NULL;
	d = __libc_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
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

/* The enumeration of the group database (the PAM module's @group rules). */
int getgrent_r(struct group *gr, char *buf, size_t len, struct group **res)
{
	static int (*next)(struct group *, char *, size_t, struct group **);

	if (fi_hit(CALLER, "getgrent_r", NULL)) {
		*res = NULL;
		return errno;
	}
	if (!next)
		next = (int (*)(struct group *, char *, size_t,
				struct group **))real("getgrent_r");
	return next(gr, buf, len, res);
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
