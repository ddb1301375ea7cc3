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
 * noeff-setpcap (no output) takes CAP_SETPCAP out of the driver's
 * effective set, keeping it permitted: a client whose effective set the
 * module must give back as it was; eff prints "eff=MASK", the driver's
 * effective set now, in hex.
 */
#define _GNU_SOURCE
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

int main(int argc, char **argv)
{
	struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *h = NULL;
	int i, r, last = PAM_SUCCESS;

	if (argc < 4) {
		fprintf(stderr, "usage: %s CONFDIR SERVICE USER ACTION... "
			"[-- COMMAND [ARG]...]\n", argv[0]);
		return 2;
	}
	r = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &h);
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "pam_start_confdir: %s\n", code_name(r));
		return 2;
	}
	for (i = 4; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];

		if (strcmp(a, "noeff-setpcap") == 0) {
			if (noeff_setpcap() < 0) {
				perror("capset");
				return 2;
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
				return 2;
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
			return 2;
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
		return 2;
	}
	pam_end(h, last);
	if (i < argc - 1) {
		execvp(argv[i + 1], argv + i + 1);
		perror(argv[i + 1]);
		return 127;
	}
	return 0;
}
