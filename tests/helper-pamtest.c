// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-pamtest - drive real PAM with the tests' own pam.d directory.
 *
 *   helper-pamtest CONFDIR SERVICE USER ACTION... [-- COMMAND [ARG]...]
 *
 * ACTION: open, close (pam_open_session/pam_close_session), establish,
 * reinit, refresh, delete (pam_setcred with that flag), auth
 * (pam_authenticate).  Each prints "ACTION=PAM_NAME" on stdout; then
 * COMMAND is exec'd, whatever the results, so that the test reads the
 * kernel's view of the process the module worked on.  The ACTION
 * "thread" starts a second thread that takes the remaining actions and
 * the exec, as a threaded PAM client would (the exec'ing thread's
 * credentials are the ones the command gets).  "spawn" starts that
 * thread at once but lets it wait, so that it shares the credentials of
 * this moment; the actions after it run here until "switch", where the
 * waiting thread takes over.
 *
 * USER "-" starts the transaction without a user: a module that asks for
 * one gets the conversation, which fails every prompt.
 *
 * noeff-setpcap (no output) takes CAP_SETPCAP out of the driver's
 * effective set, keeping it permitted: a client whose effective set the
 * module must give back as it was; eff prints "eff=MASK", the driver's
 * effective set now, in hex.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include <security/pam_appl.h>

static const struct {
	int code;
	const char *name;
} codes[] = {
	{ PAM_SUCCESS, "PAM_SUCCESS" },
	{ PAM_IGNORE, "PAM_IGNORE" },
	{ PAM_SESSION_ERR, "PAM_SESSION_ERR" },
	{ PAM_CRED_ERR, "PAM_CRED_ERR" },
	{ PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN" },
	{ PAM_PERM_DENIED, "PAM_PERM_DENIED" },
	{ PAM_AUTH_ERR, "PAM_AUTH_ERR" },
	{ PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR" },
	{ PAM_BUF_ERR, "PAM_BUF_ERR" },
	{ PAM_SERVICE_ERR, "PAM_SERVICE_ERR" },
	{ PAM_OPEN_ERR, "PAM_OPEN_ERR" },
	{ PAM_SYMBOL_ERR, "PAM_SYMBOL_ERR" },
	{ PAM_CONV_ERR, "PAM_CONV_ERR" },
	{ PAM_CRED_UNAVAIL, "PAM_CRED_UNAVAIL" },
	{ PAM_ABORT, "PAM_ABORT" },
	{ PAM_NO_MODULE_DATA, "PAM_NO_MODULE_DATA" },
};

static const char *code_name(int code)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].name;
	snprintf(buf, sizeof(buf), "PAM_%d", code);
	return buf;
}

/* CAP_SETPCAP out of the effective set only; 0 or -1. */
static int noeff_setpcap(void)
{
	struct __user_cap_header_struct hdr = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &hdr, d) < 0)
		return -1;
	d[CAP_SETPCAP / 32].effective &= ~(1U << (CAP_SETPCAP % 32));
	return (int)syscall(SYS_capset, &hdr, d);
}

/* No module here may ask anything: every prompt fails. */
static int no_conv(int n, const struct pam_message **msg,
		   struct pam_response **resp, void *data)
{
	(void)n;
	(void)msg;
	(void)resp;
	(void)data;
	return PAM_CONV_ERR;
}

struct run {
	pam_handle_t *h;
	int argc;
	char **argv;
	int from;		/* the next ACTION */
	int rc;
	pthread_t waiting;	/* started by "spawn" */
	int have_waiting;
	int go[2];		/* "switch" wakes it */
};

static void *run_actions(void *arg);

static int run_thread(struct run *run)
{
	pthread_t t;
	int e = pthread_create(&t, NULL, run_actions, run);

	if (e == 0)
		e = pthread_join(t, NULL);
	if (e != 0) {
		fprintf(stderr, "pthread: %s\n", strerror(e));
		return 2;
	}
	return run->rc;
}

/* The spawned thread: wait for "switch", then go on from there. */
static void *run_waiting(void *arg)
{
	struct run *run = arg;
	char c;

	if (read(run->go[0], &c, 1) != 1) {
		run->rc = 2;
		return NULL;
	}
	return run_actions(run);
}

/* The actions from run->from on, then the exec; the exit status in rc. */
static void *run_actions(void *arg)
{
	struct run *run = arg;
	pam_handle_t *h = run->h;
	char **argv = run->argv;
	int argc = run->argc, i, r, last = PAM_SUCCESS;

	for (i = run->from; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];

		if (strcmp(a, "thread") == 0) {
			run->from = i + 1;
			run->rc = run_thread(run);
			return NULL;
		}
		if (strcmp(a, "spawn") == 0 && !run->have_waiting) {
			if (pipe(run->go) < 0 || pthread_create(&run->waiting,
					NULL, run_waiting, run) != 0) {
				perror("spawn");
				run->rc = 2;
				return NULL;
			}
			run->have_waiting = 1;
			continue;
		}
		if (strcmp(a, "switch") == 0 && run->have_waiting) {
			run->from = i + 1;
			if (fflush(stdout) != 0 ||
			    write(run->go[1], "g", 1) != 1 ||
			    pthread_join(run->waiting, NULL) != 0)
				run->rc = 2;
			return NULL;
		}
		if (strcmp(a, "noeff-setpcap") == 0) {
			if (noeff_setpcap() < 0) {
				perror("capset");
				run->rc = 2;
				return NULL;
			}
			continue;
		}
		if (strcmp(a, "eff") == 0) {
			struct __user_cap_header_struct hdr = {
				_LINUX_CAPABILITY_VERSION_3, 0
			};
			struct __user_cap_data_struct d[2];

			if (syscall(SYS_capget, &hdr, d) < 0) {
				perror("capget");
				run->rc = 2;
				return NULL;
			}
			printf("eff=%08x%08x\n", d[1].effective, d[0].effective);
			continue;
		}
		if (strcmp(a, "open") == 0)
			r = pam_open_session(h, 0);
		else if (strcmp(a, "close") == 0)
			r = pam_close_session(h, 0);
		else if (strcmp(a, "establish") == 0)
			r = pam_setcred(h, PAM_ESTABLISH_CRED);
		else if (strcmp(a, "reinit") == 0)
			r = pam_setcred(h, PAM_REINITIALIZE_CRED);
		else if (strcmp(a, "refresh") == 0)
			r = pam_setcred(h, PAM_REFRESH_CRED);
		else if (strcmp(a, "delete") == 0)
			r = pam_setcred(h, PAM_DELETE_CRED);
		else if (strcmp(a, "auth") == 0)
			r = pam_authenticate(h, 0);
		else {
			fprintf(stderr, "unknown action %s\n", a);
			run->rc = 2;
			return NULL;
		}
		printf("%s=%s\n", a, code_name(r));
		last = r;
	}
	/*
	 * The ACTION=... lines are what the tests read: flush them before
	 * COMMAND's output, and fail if they could not be written rather
	 * than let a test see a partial record.
	 */
	if (fflush(stdout) != 0) {
		perror("stdout");
		pam_end(h, last);
		run->rc = 2;
		return NULL;
	}
	pam_end(h, last);
	if (i < argc - 1) {
		execvp(argv[i + 1], argv + i + 1);
		perror(argv[i + 1]);
		run->rc = 127;
		return NULL;
	}
	run->rc = 0;
	return NULL;
}

int main(int argc, char **argv)
{
	struct pam_conv conv = { no_conv, NULL };
	struct run run;
	pam_handle_t *h = NULL;
	int r;

	if (argc < 4) {
		fprintf(stderr, "usage: %s CONFDIR SERVICE USER ACTION... "
			"[-- COMMAND [ARG]...]\n", argv[0]);
		return 2;
	}
	r = pam_start_confdir(argv[2], strcmp(argv[3], "-") ? argv[3] : NULL,
			      &conv, argv[1], &h);
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "pam_start_confdir: %s\n", code_name(r));
		return 2;
	}
	run.h = h;
	run.argc = argc;
	run.argv = argv;
	run.from = 4;
	run.rc = 0;
	run.have_waiting = 0;
	run_actions(&run);
	return run.rc;
}
