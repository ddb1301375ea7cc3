// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-userns - run a command in a new user namespace with the id maps
 * given, written by the (root) parent as a container runtime would:
 *
 *   helper-userns UID_MAP GID_MAP SETGROUPS COMMAND [ARG]...
 *
 * UID_MAP and GID_MAP are the text for /proc/PID/uid_map and gid_map
 * ("65534 100000 1"; "-" writes no map), SETGROUPS "allow", "deny" or
 * "-" (left as it is).  The command's ids outside the maps (the caller's
 * own, usually) read back as the overflow ids: the rootless layout in
 * which "already the target" must not be believed.  unshare(1) would
 * need newuidmap(1) for a map that is not the caller's own id.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd;
	ssize_t n;

	if (strcmp(text, "-") == 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "helper-userns: open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	n = write(fd, text, strlen(text));
	if (n < 0 || (size_t)n != strlen(text)) {
		fprintf(stderr, "helper-userns: write %s \"%s\": %s\n", path,
			text, n < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	int go[2], ready[2], status;
	char c = 0;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr, "usage: helper-userns UID_MAP GID_MAP "
			"SETGROUPS COMMAND [ARG]...\n");
		return 2;
	}
	if (pipe(go) < 0 || pipe(ready) < 0) {
		perror("helper-userns: pipe");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("helper-userns: fork");
		return 2;
	}
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		if (unshare(CLONE_NEWUSER) < 0) {
			perror("helper-userns: unshare(CLONE_NEWUSER)");
			_exit(2);
		}
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1 ||
		    c != 'g')
			_exit(2);	/* the parent could not write the maps */
		execvp(argv[4], argv + 4);
		fprintf(stderr, "helper-userns: %s: %s\n", argv[4],
			strerror(errno));
		_exit(127);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1 ||
	    write_file(pid, "uid_map", argv[1]) < 0 ||
	    write_file(pid, "setgroups", argv[3]) < 0 ||
	    write_file(pid, "gid_map", argv[2]) < 0) {
		close(go[1]);
		waitpid(pid, &status, 0);
		return 2;
	}
	if (write(go[1], "g", 1) != 1)
		return 2;
	close(go[1]);
	if (waitpid(pid, &status, 0) < 0) {
		perror("helper-userns: waitpid");
		return 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}
