// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-exec RUNS WARMUP 'CMD ARG...' ... - the median wall time of each
 * command, in milliseconds, one line per command in the order given.
 *
 * The commands run round-robin (one run of each, RUNS times), not one
 * after the other as hyperfine does: on a shared machine the load moves,
 * and ratios between commands are only fair when each sees the same
 * load.  Each run is posix_spawn() + wait4() with stdout and stderr on
 * /dev/null; a command that fails is an error.  Words are split on
 * spaces: no quoting.
 *
 * BENCH_CPU=1: the child's CPU time (user + system, from wait4()) instead
 * of the wall time, for the scale cases, whose run is CPU-bound and long
 * enough that a moving load on the machine would blur the wall time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static char **split(const char *cmd)
{
	/* One block: the argv slots, then the words they point into. */
	size_t len = strlen(cmd) + 1, slots = len / 2 + 2, n = 0;
	char **argv = calloc(1, slots * sizeof(char *) + len);
	char *copy, *save = NULL, *w;

	if (!argv) {
		perror("bench-exec");
		exit(2);
	}
	copy = (char *)(argv + slots);
	memcpy(copy, cmd, len);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	if (n == 0) {
		fprintf(stderr, "bench-exec: empty command\n");
		free(argv);
		exit(2);
	}
	return argv;
}

static int cpu_mode;

static double run_once(char **argv, posix_spawn_file_actions_t *fa)
{
	double start = now_ms();
	struct rusage ru;
	pid_t pid;
	int status, e;

	e = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ);
	if (e != 0) {
		fprintf(stderr, "bench-exec: %s: %s\n", argv[0], strerror(e));
		exit(2);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench-exec: waitpid");
			exit(2);
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-exec: %s failed (status 0x%x)\n",
			argv[0], status);
		exit(2);
	}
	if (cpu_mode)
		return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return now_ms() - start;
}

static void free_all(char ***cmds, int ncmd, double *t)
{
	int c;

	for (c = 0; c < ncmd; c++)
		free(cmds[c]);
	free(cmds);
	free(t);
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	int runs, warmup, ncmd, r, c;
	char ***cmds, *end;
	double *t;

	if (argc < 4) {
		fprintf(stderr, "usage: bench-exec RUNS WARMUP 'CMD ARG...' ...\n");
		return 2;
	}
	{
		const char *cpu = getenv("BENCH_CPU");

		cpu_mode = cpu && strcmp(cpu, "1") == 0;
	}
	runs = (int)strtol(argv[1], &end, 10);
	if (*end)
		runs = 0;
	warmup = (int)strtol(argv[2], &end, 10);
	if (*end)
		warmup = -1;
	ncmd = argc - 3;
	if (runs < 1 || warmup < 0) {
		fprintf(stderr, "bench-exec: bad RUNS or WARMUP\n");
		return 2;
	}
	cmds = calloc((size_t)ncmd, sizeof(*cmds));
	t = calloc((size_t)ncmd * (size_t)runs, sizeof(*t));
	if (!cmds || !t) {
		perror("bench-exec");
		free(cmds);
		free(t);
		return 2;
	}
	for (c = 0; c < ncmd; c++)
		cmds[c] = split(argv[3 + c]);
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0) {
		perror("bench-exec: posix_spawn_file_actions");
		free_all(cmds, ncmd, t);
		return 2;
	}
	for (r = 0; r < warmup; r++)
		for (c = 0; c < ncmd; c++)
			run_once(cmds[c], &fa);
	for (r = 0; r < runs; r++)
		for (c = 0; c < ncmd; c++)
			t[(size_t)c * (size_t)runs + (size_t)r] = run_once(cmds[c], &fa);
	for (c = 0; c < ncmd; c++) {
		double *s = t + (size_t)c * (size_t)runs;

		qsort(s, (size_t)runs, sizeof(*s), cmp_double);
		printf("%.4f\n", runs % 2 ? s[runs / 2] :
		       (s[runs / 2 - 1] + s[runs / 2]) / 2);
	}
	posix_spawn_file_actions_destroy(&fa);
	free_all(cmds, ncmd, t);
	return 0;
}
