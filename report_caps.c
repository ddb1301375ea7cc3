// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_caps.c - the running kernel's capabilities by name: --list (with
 * whether each is in the bounding set), --decode=MASK, --explain=CAPS
 * (what each allows, in a line, from capabilities(7)).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "capbound.h"

/* What each capability lets a process do: the gist of capabilities(7). */
static const char *const what_it_allows[] = {
	[0] = "change the owner and group of any file",
	[1] = "read, write and execute any file whatever its permission bits "
	      "say",
	[2] = "read any file and search any directory whatever their "
	      "permission bits say; open files by handle",
	[3] = "act as the owner of any file: chmod, utimes, ACLs, file "
	      "flags on files it does not own",
	[4] = "keep the set-user-ID and set-group-ID bits of a file it "
	      "changes; set set-group-ID for a group it is not in",
	[5] = "send signals to any process",
	[6] = "set its group ids and supplementary groups to any group; "
	      "forge gids in socket credentials",
	[7] = "set its user ids to any user, root included; forge uids in "
	      "socket credentials",
	[8] = "drop capabilities from the bounding set, add bounding "
	      "capabilities to its inheritable set, set securebits",
	[9] = "set and clear the immutable and append-only file flags",
	[10] = "bind sockets to privileged ports (below 1024)",
	[11] = "(unused by the kernel) broadcast and listen to multicast",
	[12] = "administer the network: interfaces, addresses, routes, "
	       "firewall rules, traffic control",
	[13] = "open raw and packet sockets (ping, packet capture, forged "
	       "packets); bind to any address for transparent proxying",
	[14] = "lock memory (mlock, mlockall, SHM_LOCK) beyond its limit",
	[15] = "bypass the permission checks of System V IPC objects",
	[16] = "load and unload kernel modules",
	[17] = "raw I/O: ioperm, iopl, /dev/mem, raw commands to block "
	       "devices",
	[18] = "chroot(2); change mount namespace with setns(2)",
	[19] = "trace, read and change any process (ptrace, "
	       "process_vm_writev)",
	[20] = "switch process accounting on or off",
	[21] = "a broad set of administration: mount, namespaces, "
	       "sethostname, quotas, keyrings, many device ioctls; close to "
	       "root",
	[22] = "reboot and load a new kernel (kexec)",
	[23] = "raise priorities, set real-time scheduling and CPU affinity "
	       "of any process",
	[24] = "exceed resource limits and disk quotas, use reserved disk "
	       "space",
	[25] = "set the system clock and the hardware clock",
	[26] = "vhangup(2) and privileged ioctls on terminals",
	[27] = "create device files with mknod(2)",
	[28] = "take leases on files it does not own",
	[29] = "write records to the kernel's audit log",
	[30] = "configure kernel auditing: rules, on and off",
	[31] = "set file capabilities on files",
	[32] = "override mandatory access control (Smack)",
	[33] = "change mandatory access control policy and labels (Smack, "
	       "SELinux)",
	[34] = "read and clear the kernel log (syslog(2)); see kernel "
	       "addresses",
	[35] = "set timers that wake the machine from suspend",
	[36] = "keep the machine from suspending (EPOLLWAKEUP, wake locks)",
	[37] = "read the audit log through a multicast netlink socket",
	[38] = "performance monitoring: perf_event_open(2) and other "
	       "observability",
	[39] = "privileged BPF: load programs, create maps",
	[40] = "checkpoint/restore: choose the pid of a new process, read "
	       "/proc/PID/map_files",
};

#define NEXPLAINED (sizeof(what_it_allows) / sizeof(what_it_allows[0]))

void list_caps(void)
{
	struct caps_state st;
	struct caps_fail f;
	int cap, lc = last_cap();

	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	if (caps_state_read(&st, lc, &f) < 0)
		die_caps(&f);
	printf("%-3s %-26s %s\n", "NR", "NAME", "BOUNDING");
	for (cap = 0; cap <= lc; cap++)
		printf("%-3d %-26s %s\n", cap, capname(cap),
		       (st.bnd & CAPS_BIT(cap)) ? "yes" : "no");
	out_flush();
}

/* Every name, as capsh --decode prints them: a mask may be from elsewhere. */
void decode_mask(const char *arg)
{
	capmask_t set;
	char buf[CAPS_FORMAT_MAX];

	if (caps_parse_mask(arg, &set) < 0)
		usage_error("--decode=%s: not a hex mask of at most 64 bits", arg);
	if (caps_format(set, buf, sizeof(buf)) < 0)
		die("--decode");
	printf("%s\n", buf);
	out_flush();
}

void explain_caps(const char *arg)
{
	struct caps_perror perr;
	capmask_t set;
	int cap, lc = last_cap();

	if (caps_parse(arg, lc, &set, &perr) < 0) {
		const char *hint = caps_suggest(perr.item);

		if (perr.why == CAPS_PERR_EMPTY)
			usage_error("--explain=%s: empty item in capability "
				    "list", arg);
		usage_error("--explain=%s: %s: %s%s%s%s", arg, perr.item,
			    caps_perr_str(perr.why), hint ? " (did you mean " :
			    "", hint ? hint : "", hint ? "?)" : "");
	}
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(set & CAPS_BIT(cap)))
			continue;
		printf("%s (%d): %s%s\n", capname(cap), cap,
		       (size_t)cap < NEXPLAINED && what_it_allows[cap] ?
		       what_it_allows[cap] : "no description (newer than this "
		       "capbound): see capabilities(7)",
		       lc >= 0 && cap > lc ? " [not known to the running "
		       "kernel]" : "");
	}
	out_flush();
}
