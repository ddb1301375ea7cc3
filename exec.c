// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec.c - step 8: find the command as execvp(3) does, exec it, and say
 * why it could not run; and the same search for a dry run, where each file
 * is judged with the command's ids and capabilities instead of execve(2).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sys/capability.h>

#include "capbound.h"

/*
 * The file capabilities that stop the kernel from running path: with the
 * effective bit set, every permitted file capability must reach the new
 * permitted set, (bounding & fP) | (pI & fI), or execve(2) fails with
 * EPERM (bprm_caps_from_vfs_caps()).  A nosuid mount ignores them.
 */
static capmask_t file_caps_blocked(const char *path, capmask_t bound,
				   capmask_t inh)
{
	capmask_t fp = 0, fi = 0, fe = 0;
	struct statvfs vfs;
	cap_t fc;
	int cap;

	fc = cap_get_file(path);
	if (!fc)
		return 0;
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(fc, (cap_value_t)cap, CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			fp |= CAPS_BIT(cap);
		v = CAP_CLEAR;
		if (cap_get_flag(fc, (cap_value_t)cap, CAP_INHERITABLE, &v) == 0 &&
		    v == CAP_SET)
			fi |= CAPS_BIT(cap);
		v = CAP_CLEAR;
		if (cap_get_flag(fc, (cap_value_t)cap, CAP_EFFECTIVE, &v) == 0 &&
		    v == CAP_SET)
			fe |= CAPS_BIT(cap);
	}
	cap_free(fc);
	if (!fe)
		return 0;
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		return 0;
	return fp & ~(bound | (inh & fi));
}

/*
 * The one message for a command that could not run, for the real run and
 * the dry run alike: "cargo: /usr/bin/cargo: Permission denied" (the file
 * found, when it is not what was typed).  Returns 126 or 127.
 */
static int exec_explain(const char *cmd, const char *found, int e,
			capmask_t bound, capmask_t inh, char *msg, size_t len)
{
	char where[PATH_MAX + 16] = "";
	capmask_t blocked;

	if (found && strcmp(found, cmd) != 0)
		snprintf(where, sizeof(where), ": %s", esc(found, 1));
	if (e == ENOENT) {
		/*
		 * ENOENT for a file that is there: its #! interpreter or ELF
		 * loader is missing.  The command was found: 126, not 127.
		 */
		if (found && access(found, F_OK) == 0) {
			snprintf(msg, len, "%s%s: %s (its interpreter or loader "
				 "is missing)", esc(cmd, 0), where, strerror(e));
			return EXIT_CANNOT_RUN;
		}
		snprintf(msg, len, "%s: %s", esc(cmd, 0),
			 strchr(cmd, '/') ? strerror(e) : "command not found");
		return EXIT_NOT_FOUND;
	}
	if (e == EPERM) {
		blocked = found ? file_caps_blocked(found, bound, inh) : 0;
		if (blocked) {
			snprintf(msg, len, "%s%s: %s: its file capabilities need "
				 "%s, which the bounding set no longer has, so "
				 "the kernel refuses to run it", esc(cmd, 0), where,
				 strerror(e), names(blocked, 0));
			return EXIT_CANNOT_RUN;
		}
	}
	snprintf(msg, len, "%s%s: %s", esc(cmd, 0), where, strerror(e));
	return EXIT_CANNOT_RUN;
}

/* How one file is tried: execve(2), or judged for a dry run. */
struct exec_try {
	int (*run)(const char *file, char *const argv[],
		   const struct exec_try *t);
	/* the command's credentials at execve, for the dry run */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
	capmask_t eff, bound, inh;
};

/*
 * /bin/sh runs a file the kernel will not (ENOEXEC: a script without
 * "#!"), as execvp(3) does: sh FILE ARG...
 */
static void script_exec(const char *file, char *const argv[])
{
	size_t n = 0, i;
	char **sh_argv;

	while (argv[n])
		n++;
	sh_argv = calloc(n + 2, sizeof(*sh_argv));
	if (!sh_argv) {
		errno = ENOEXEC;
		return;
	}
	sh_argv[0] = (char *)"/bin/sh";
	sh_argv[1] = (char *)file;
	for (i = 1; i < n; i++)
		sh_argv[i + 1] = argv[i];
	execve("/bin/sh", sh_argv, environ);
	i = (size_t)errno;
	free(sh_argv);
	errno = (int)i;
}

static int try_execve(const char *file, char *const argv[],
		      const struct exec_try *t)
{
	(void)t;
	execve(file, argv, environ);
	if (errno == ENOEXEC)
		script_exec(file, argv);
	return -1;
}

/*
 * execvp(3), done here so that every exec is an execve(2) of capbound's
 * own (glibc's execvp calls execve internally, out of reach of the
 * fault-injection tests), with its rules: PATH unset means
 * "/bin:/usr/bin"; an empty entry is the current directory; an entry too
 * long for PATH_MAX is skipped; ENOEXEC runs the file with /bin/sh;
 * EACCES and "not there" errors move on to the next directory, EACCES
 * being reported if nothing else is found; any other error stops the
 * search.  0 when t->run said the file would run (dry run: *found is
 * it); else -1, errno set, and *found the file that is there but could
 * not be run (malloc'd), if any.
 */
static int exec_search(const char *file, char *const argv[],
		       const struct exec_try *t, char **found)
{
	const char *path, *p, *end;
	char *denied = NULL;
	size_t flen;
	int e;

	*found = NULL;
	if (*file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/')) {
		if (t->run(file, argv, t) == 0) {
			*found = strdup(file);
			return 0;
		}
		e = errno;
		*found = strdup(file);
		errno = e;
		return -1;
	}
	flen = strlen(file);
	if (flen > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		size_t dlen;
		char *full;

		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		/* As execvp(3): an entry no path can be made of is skipped. */
		if (dlen + flen + 2 > PATH_MAX)
			goto next;
		full = malloc(dlen + flen + 2);
		if (!full) {
			free(denied);
			return -1;
		}
		memcpy(full, p, dlen);
		if (dlen)
			full[dlen++] = '/';
		memcpy(full + dlen, file, flen + 1);
		if (t->run(full, argv, t) == 0) {
			free(denied);
			free(*found);
			*found = full;
			return 0;
		}
		e = errno;
		switch (e) {
		case EACCES:
			/* reported if nothing else is found: keep the first */
			if (!denied)
				denied = full;
			else
				free(full);
			break;
		case ENOENT:
			/*
			 * There, but its #! interpreter or ELF loader is not:
			 * execvp() searches on; remember the first such file.
			 */
			if (!*found && access(full, F_OK) == 0)
				*found = full;
			else
				free(full);
			break;
		case ESTALE:
		case ENOTDIR:
		case ENODEV:
		case ETIMEDOUT:
		case ENAMETOOLONG:
		case ELOOP:
			free(full);
			break;
		default:
			free(*found);
			free(denied);
			*found = full;	/* found, but it cannot run */
			errno = e;
			return -1;
		}
next:
		if (*end == '\0')
			break;
	}
	if (denied) {
		free(*found);
		*found = denied;
		errno = EACCES;
		return -1;
	}
	errno = ENOENT;
	return -1;
}

void command_exec(const struct plan *p)
{
	static char msg[PATH_MAX * 2 + CAPS_FORMAT_MAX + 256];
	struct exec_try t = { .run = try_execve };
	char *found;
	int status;

	/*
	 * No fflush(stdout): a run writes nothing there (messages go to
	 * stderr, unbuffered), so no output can be lost at execve.
	 */
	step("executing %s", p->argv[0]);
	exec_search(p->argv[0], p->argv, &t, &found);
	status = exec_explain(p->argv[0], found, errno, p->bound, p->inh,
			      msg, sizeof(msg));
	free(found);
	die_status(status, "%s", msg);
}

/* ---- the dry run's judgement of one file -------------------------------- */

/* A "#!" script's interpreter, as the kernel reads it (first word). */
static int script_interpreter(const char *path, char *interp, size_t len)
{
	char line[256];
	size_t n, i = 2, j = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	ssize_t got;

	if (fd < 0)
		return 0;
	got = read(fd, line, sizeof(line) - 1);
	(void)close(fd);	/* read-only */
	if (got < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	n = (size_t)got;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (i < n && j + 1 < len && line[i] != ' ' && line[i] != '\t' &&
	       line[i] != '\n' && line[i] != '\0')
		interp[j++] = line[i++];
	interp[j] = '\0';
	return j > 0;
}

const char *exec_changes_creds(const char *path, uid_t uid, gid_t gid,
			       int root, int nnp)
{
	static char why[PATH_MAX + 128];
	char interp[256];
	struct statvfs vfs;
	struct stat st;
	cap_t fc;
	char *text;

	if (nnp)
		return NULL;	/* the kernel grants neither at exec */
	if (script_interpreter(path, interp, sizeof(interp)))
		path = interp;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		return NULL;
	/* The kernel ignores a set-ID bit for an id this namespace lacks. */
	if ((st.st_mode & S_ISUID) && st.st_uid != uid &&
	    ident_id_mapped(0, st.st_uid) != 0) {
		snprintf(why, sizeof(why), "%s is set-user-ID %s: at exec the "
			 "kernel changes the effective uid and the capability "
			 "sets, which the lines here do not show", esc(path, 0),
			 uid_text(st.st_uid, 1));
		return why;
	}
	if ((st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) &&
	    st.st_gid != gid && ident_id_mapped(1, st.st_gid) != 0) {
		snprintf(why, sizeof(why), "%s is set-group-ID %s: at exec the "
			 "kernel changes the effective gid, which the lines "
			 "here do not show", esc(path, 0), gid_text(st.st_gid, 1));
		return why;
	}
	/* Root (without noroot) holds the bounding set whatever the file. */
	if (root)
		return NULL;
	fc = cap_get_file(path);
	if (!fc)
		return NULL;
	text = cap_to_text(fc, NULL);
	cap_free(fc);
	snprintf(why, sizeof(why), "%s has file capabilities (%s): at exec the "
		 "kernel adds those the bounding set allows, which the lines "
		 "here do not show", esc(path, 0), text ? esc(text, 1) : "?");
	cap_free(text);
	return why;
}

static int in_groups(gid_t g, const struct exec_try *t)
{
	size_t i;

	if (g == t->gid)
		return 1;
	for (i = 0; i < t->ngroups; i++)
		if (t->groups[i] == g)
			return 1;
	return 0;
}

/* May t's credentials search (dir) or execute st: generic_permission(). */
static int may_x(const struct stat *st, const struct exec_try *t)
{
	mode_t m = st->st_mode;

	if (S_ISDIR(m) && (t->eff & (CAPS_BIT(CAP_DAC_OVERRIDE) |
				      CAPS_BIT(CAP_DAC_READ_SEARCH))))
		return 1;
	/* CAP_DAC_OVERRIDE executes a file with any x bit. */
	if (!S_ISDIR(m) && (t->eff & CAPS_BIT(CAP_DAC_OVERRIDE)) &&
	    (m & 0111))
		return 1;
	if (t->uid == st->st_uid)
		return !!(m & S_IXUSR);
	if (in_groups(st->st_gid, t))
		return !!(m & S_IXGRP);
	return !!(m & S_IXOTH);
}

/* Every directory on the way to file must be searchable. */
static int dirs_searchable(const char *file, const struct exec_try *t)
{
	char dir[PATH_MAX];
	size_t i, len = strlen(file);
	struct stat st;

	if (len >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, file, len + 1);
	if (*file != '/') {
		if (stat(".", &st) < 0)
			return -1;
		if (!may_x(&st, t)) {
			errno = EACCES;
			return -1;
		}
	}
	for (i = 0; i < len; i++) {
		size_t cut = i ? i : 1;		/* "/" itself for i == 0 */
		char save;
		int r;

		if (file[i] != '/')
			continue;
		save = dir[cut];
		dir[cut] = '\0';
		r = stat(dir, &st);
		dir[cut] = save;
		if (r < 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (!may_x(&st, t)) {
			errno = EACCES;
			return -1;
		}
	}
	return 0;
}

/* The ELF program interpreter (loader) named in fd, into out; 0: none. */
static int elf_interp(int fd, char *out, size_t len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(ph))
		return 0;
	for (i = 0; i < eh.e_phnum && i < 256; i++) {
		off_t at = (off_t)eh.e_phoff + (off_t)i * eh.e_phentsize;

		if (pread(fd, &ph, sizeof(ph), at) != (ssize_t)sizeof(ph))
			return 0;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz == 0 || ph.p_filesz >= len)
			return 0;
		if (pread(fd, out, ph.p_filesz, (off_t)ph.p_offset) !=
		    (ssize_t)ph.p_filesz)
			return 0;
		out[ph.p_filesz] = '\0';
		return out[0] != '\0';
	}
	return 0;
}

/*
 * What execve(2) would say of file, run with t's credentials: 0 it runs
 * (as far as can be told without running it), else -1 and errno.
 */
static int judge(const char *file, const struct exec_try *t, int depth)
{
	char head[256], interp[PATH_MAX];
	struct statvfs vfs;
	struct stat st;
	ssize_t n;
	int fd;

	if (dirs_searchable(file, t) < 0)
		return -1;
	if (stat(file, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode) || !may_x(&st, t) ||
	    (statvfs(file, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))) {
		errno = EACCES;
		return -1;
	}
	if (file_caps_blocked(file, t->bound, t->inh)) {
		errno = EPERM;
		return -1;
	}
	/* The kernel reads the file whatever its read bits: so may we. */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;	/* cannot look inside: as far as we can tell */
	n = pread(fd, head, sizeof(head) - 1, 0);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		char *s, *e;

		close(fd);
		head[n] = '\0';
		for (s = head + 2; *s == ' ' || *s == '\t'; s++)
			;
		e = s + strcspn(s, " \t\n");
		*e = '\0';
		if (!*s || depth > 4) {
			errno = ENOEXEC;
			return -1;
		}
		snprintf(interp, sizeof(interp), "%s", s);
		if (judge(interp, t, depth + 1) < 0) {
			/* The kernel says ENOENT for a missing interpreter. */
			if (errno == ENOTDIR)
				errno = ENOENT;
			return -1;
		}
		return 0;
	}
	if (n >= SELFMAG && !memcmp(head, ELFMAG, SELFMAG)) {
		int has = elf_interp(fd, interp, sizeof(interp));

		close(fd);
		if (has && access(interp, F_OK) < 0) {
			errno = ENOENT;
			return -1;
		}
		return 0;
	}
	close(fd);
	/* Neither: ENOEXEC, which /bin/sh then runs. */
	return 0;
}

static int try_judge(const char *file, char *const argv[],
		     const struct exec_try *t)
{
	(void)argv;
	return judge(file, t, 0);
}

int exec_predict(const struct plan *p, char **found, struct plan_fail *f)
{
	struct exec_try t = { .run = try_judge };
	gid_t *now = NULL;
	int n, e;

	t.uid = plan_final_uid(p);
	t.gid = plan_final_gid(p);
	if (p->set_groups) {
		t.groups = p->groups;
		t.ngroups = p->ngroups;
	} else {
		n = getgroups(0, NULL);
		if (n > 0) {
			now = calloc((size_t)n, sizeof(*now));
			if (!now)
				die("calloc");
			n = getgroups(n, now);
			if (n < 0)
				die("getgroups");
			t.groups = now;
			t.ngroups = (size_t)n;
		}
	}
	/* capbound's effective set at execve, after steps 4-6 */
	if (p->leaving_root)
		t.eff = p->keep_caps ? p->final_prm : 0;
	else
		t.eff = p->cur.eff;
	t.bound = p->bound;
	t.inh = p->inh;
	if (exec_search(p->argv[0], p->argv, &t, found) == 0) {
		free(now);
		return 0;
	}
	e = errno;
	free(now);
	f->step = 8;
	f->status = exec_explain(p->argv[0], *found, e, p->bound, p->inh,
				 f->why, sizeof(f->why));
	return f->status;
}
