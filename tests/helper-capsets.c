// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helper-capsets - print this process's capability sets and ids from the
 * syscalls themselves (no /proc: it runs in empty chroots too), one
 * "name value" line each, masks in hex as in /proc/PID/status:
 *
 *   CapInh / CapPrm / CapEff / CapBnd / CapAmb / Uid R E S / Gid R E S /
 *   Groups G... / NoNewPrivs N
 *
 * Linked statically (Makefile), so that a FROM-scratch image or an empty
 * chroot can run it.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

int main(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	unsigned long long bnd = 0, amb = 0;
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[256];
	int c, n;

	if (syscall(SYS_capget, &h, d) < 0) {
		perror("helper-capsets: capget");
		return 1;
	}
	for (c = 0; c < 64; c++) {
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			bnd |= 1ULL << c;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
			amb |= 1ULL << c;
	}
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0) {
		perror("helper-capsets: getres[ug]id");
		return 1;
	}
	n = getgroups(256, groups);
	if (n < 0) {
		perror("helper-capsets: getgroups");
		return 1;
	}
	printf("CapInh %016llx\n", (unsigned long long)d[1].inheritable << 32 | d[0].inheritable);
	printf("CapPrm %016llx\n", (unsigned long long)d[1].permitted << 32 | d[0].permitted);
	printf("CapEff %016llx\n", (unsigned long long)d[1].effective << 32 | d[0].effective);
	printf("CapBnd %016llx\nCapAmb %016llx\n", bnd, amb);
	printf("Uid %u %u %u\nGid %u %u %u\nGroups", ru, eu, su, rg, eg, sg);
	for (c = 0; c < n; c++)
		printf(" %u", groups[c]);
	printf("\nNoNewPrivs %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	return 0;
}
