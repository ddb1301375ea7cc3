// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_print.c - --print[=PID] [--json]: a process's ids and capability
 * sets, as the kernel holds them; --has=CAPS[:SET]: the same, for a script.
 *
 * This process is read with system calls (securebits have no /proc
 * field); another one from /proc/PID/status, which shows everything but
 * its securebits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/securebits.h>

#include "capbound.h"

struct proc_view {
	long pid;			/* -1: this process */
	char name[64];
	unsigned int uid[3], gid[3];
	gid_t *groups;
	size_t ngroups;
	struct caps_state caps;
	long securebits;		/* -1: cannot be read */
	int nnp;
};

static void view_self(struct proc_view *v)
{
	struct caps_fail f;
	uid_t u[3];
	gid_t g[3];
	int n, sb;

	v->pid = -1;
	if (getresuid(&u[0], &u[1], &u[2]) < 0)
		die("getresuid");
	if (getresgid(&g[0], &g[1], &g[2]) < 0)
		die("getresgid");
	for (n = 0; n < 3; n++) {
		v->uid[n] = u[n];
		v->gid[n] = g[n];
	}
	n = getgroups(0, NULL);
	if (n < 0)
		die("getgroups");
	if (n > 0) {
		v->groups = calloc((size_t)n, sizeof(*v->groups));
		if (!v->groups)
			die("calloc");
		n = getgroups(n, v->groups);
		if (n < 0)
			die("getgroups");
	}
	v->ngroups = (size_t)n;
	if (caps_state_read_syscalls(&v->caps, last_cap(), &f) < 0)
		die_caps(&f);
	sb = prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL);
	if (sb < 0)
		die("prctl(PR_GET_SECUREBITS)");
	v->securebits = sb;
	v->nnp = prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL);
	if (v->nnp < 0)
		die("prctl(PR_GET_NO_NEW_PRIVS)");
}

static void mask_field(const char *arg, const char *key, const char *val,
		       capmask_t *out)
{
	if (caps_parse_mask(val, out) < 0)
		diex("--print=%s: /proc/%s/status: %s: not a mask", arg, arg, key);
}


/* "R E S" of a Uid:/Gid: line (the fourth, fs, is ignored); 0 or -1. */
static int three_ids(const char *val, unsigned int out[3])
{
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long v;

		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno || end == val || v > 0xffffffffUL)
			return -1;
		out[i] = (unsigned int)v;
		val = end;
	}
	return 0;
}

static void view_pid(const char *arg, struct proc_view *v)
{
	char path[64], *line = NULL, *end;
	size_t len = 0;
	unsigned seen = 0;
	long pid;
	FILE *f;

	errno = 0;
	pid = strtol(arg, &end, 10);
	if (errno || end == arg || *end || pid <= 0 || arg[0] == '+' ||
	    arg[0] == ' ')
		usage_error("--print=%s: not a process id", arg);
	v->pid = pid;
	v->securebits = -1;
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			diex("--print=%s: no such process", arg);
		die("--print=%s: %s", arg, path);
	}
	while (getline(&line, &len, f) > 0) {
		char *val = strchr(line, ':');

		if (!val)
			continue;
		*val++ = '\0';
		val += strspn(val, " \t");
		val[strcspn(val, "\n")] = '\0';
		if (!strcmp(line, "Name")) {
			snprintf(v->name, sizeof(v->name), "%s", val);
		} else if (!strcmp(line, "Uid") && three_ids(val, v->uid) == 0) {
			seen |= 1;
		} else if (!strcmp(line, "Gid") && three_ids(val, v->gid) == 0) {
			seen |= 2;
		} else if (!strcmp(line, "Groups")) {
			char *tok, *save = NULL;

			for (tok = strtok_r(val, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save)) {
				gid_t *ng = realloc(v->groups, (v->ngroups + 1) *
						    sizeof(*ng));

				if (!ng)
					die("realloc");
				v->groups = ng;
				v->groups[v->ngroups++] =
					(gid_t)strtoul(tok, NULL, 10);
			}
		} else if (!strcmp(line, "CapInh")) {
			mask_field(arg, line, val, &v->caps.inh);
			seen |= 4;
		} else if (!strcmp(line, "CapPrm")) {
			mask_field(arg, line, val, &v->caps.prm);
			seen |= 8;
		} else if (!strcmp(line, "CapEff")) {
			mask_field(arg, line, val, &v->caps.eff);
			seen |= 16;
		} else if (!strcmp(line, "CapBnd")) {
			mask_field(arg, line, val, &v->caps.bnd);
			seen |= 32;
		} else if (!strcmp(line, "CapAmb")) {
			mask_field(arg, line, val, &v->caps.amb);
		} else if (!strcmp(line, "NoNewPrivs")) {
			v->nnp = val[0] == '1';
		}
	}
	free(line);
	(void)fclose(f);	/* read-only: nothing to lose */
	if ((seen & 63) != 63)
		diex("--print=%s: %s: no Uid, Gid or Cap lines (a zombie, or "
		     "not procfs)", arg, path);
}

static void print_set_json(const char *key, capmask_t set, int comma)
{
	int cap, first = 1;

	printf("  \"%s\": [", key);
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(set & CAPS_BIT(cap)))
			continue;
		printf("%s\"%s\"", first ? "" : ", ", capname(cap));
		first = 0;
	}
	printf("]%s\n", comma ? "," : "");
}

/* JSON string: quotes, backslashes and control characters escaped. */
static void json_string(const char *s)
{
	const unsigned char *c;

	putchar('"');
	for (c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void print_json(const struct proc_view *v, int lc)
{
	size_t k;
	int i;

	printf("{\n");
	if (v->pid > 0) {
		printf("  \"pid\": %ld,\n  \"name\": ", v->pid);
		json_string(v->name);
		printf(",\n");
	}
	printf("  \"uid\": [%u, %u, %u],\n  \"gid\": [%u, %u, %u],\n"
	       "  \"groups\": [", v->uid[0], v->uid[1], v->uid[2],
	       v->gid[0], v->gid[1], v->gid[2]);
	for (k = 0; k < v->ngroups; k++)
		printf("%s%u", k ? ", " : "", (unsigned)v->groups[k]);
	printf("],\n");
	print_set_json("bounding", v->caps.bnd, 1);
	print_set_json("permitted", v->caps.prm, 1);
	print_set_json("effective", v->caps.eff, 1);
	print_set_json("inheritable", v->caps.inh, 1);
	print_set_json("ambient", v->caps.amb, 1);
	if (v->securebits < 0) {
		printf("  \"securebits\": null,\n");
	} else {
		unsigned long sb = (unsigned long)v->securebits;

		printf("  \"securebits\": [");
		for (k = 0, i = 0; k < caps_nsecurebits; k++)
			if (sb & caps_securebits[k].bit)
				printf("%s\"%s\"", i++ ? ", " : "",
				       caps_securebits[k].name);
		if (sb & SECBIT_KEEP_CAPS)
			printf("%s\"keep-caps\"", i++ ? ", " : "");
		printf("],\n");
	}
	printf("  \"no_new_privs\": %s,\n  \"last_cap\": %d\n}\n",
	       v->nnp ? "true" : "false", lc);
}

static const char *id_text(unsigned int id, int user, int slot)
{
	return user ? uid_text((uid_t)id, slot) : gid_text((gid_t)id, slot);
}

static void print_ids(const char *what, const unsigned int id[3], int user)
{
	if (id[0] == id[1] && id[1] == id[2])
		printf("%-14s%s (real, effective, saved)\n", what,
		       id_text(id[0], user, 0));
	else
		printf("%-14s%s %s %s (real, effective, saved)\n", what,
		       id_text(id[0], user, 0), id_text(id[1], user, 1),
		       id_text(id[2], user, 2));
}

static void print_text(const struct proc_view *v, int lc)
{
	char *groups = groups_text(v->groups, v->ngroups);

	if (v->pid > 0)
		printf("pid:          %ld (%s)\n", v->pid, esc(v->name, 0));
	print_ids("uid:", v->uid, 1);
	print_ids("gid:", v->gid, 0);
	printf("groups:       %s\n", groups);
	free(groups);
	printf("bounding:     %s\n", names(v->caps.bnd, 0));
	printf("permitted:    %s\n", names(v->caps.prm, 0));
	printf("effective:    %s\n", names(v->caps.eff, 0));
	printf("inheritable:  %s\n", names(v->caps.inh, 0));
	printf("ambient:      %s\n", names(v->caps.amb, 0));
	if (v->securebits < 0)
		printf("securebits:   unknown (only the process itself can "
		       "read them)\n");
	else
		printf("securebits:   0x%lx %s\n", (unsigned long)v->securebits,
		       securebits_text((unsigned long)v->securebits, 0));
	printf("no_new_privs: %d\n", v->nnp);
	printf("last_cap:     %d (%s)\n", lc, capname(lc));
}

void print_state(const char *pid, int json)
{
	struct proc_view v;
	int lc = last_cap();

	memset(&v, 0, sizeof(v));
	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	if (pid)
		view_pid(pid, &v);
	else
		view_self(&v);
	if (json)
		print_json(&v, lc);
	else
		print_text(&v, lc);
	free(v.groups);
	out_flush();
}

/* --has=CAPS[:SET]: 0 when this process holds every one of CAPS in SET. */
int has_caps(const char *arg)
{
	static const struct { const char *name; size_t off; } sets[] = {
		{ "bounding", offsetof(struct caps_state, bnd) },
		{ "permitted", offsetof(struct caps_state, prm) },
		{ "effective", offsetof(struct caps_state, eff) },
		{ "inheritable", offsetof(struct caps_state, inh) },
		{ "ambient", offsetof(struct caps_state, amb) },
	};
	struct caps_state st;
	struct caps_perror perr;
	struct caps_fail f;
	const char *colon = strrchr(arg, ':');
	char *list;
	size_t k, off = offsetof(struct caps_state, bnd);
	capmask_t want, held;
	int lc = last_cap();

	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	list = strndup(arg, colon ? (size_t)(colon - arg) : strlen(arg));
	if (!list)
		die("strdup");
	if (colon) {
		const char *s = colon + 1;

		for (k = 0; k < sizeof(sets) / sizeof(sets[0]); k++)
			/* the name, or its first letter: bounding, b */
			if (!strcasecmp(s, sets[k].name) ||
			    (s[0] && !s[1] && s[0] == sets[k].name[0]))
				break;
		if (k == sizeof(sets) / sizeof(sets[0]))
			usage_error("--has=%s: %s: not a set (bounding, "
				    "permitted, effective, inheritable, "
				    "ambient)", arg, s);
		off = sets[k].off;
	}
	if (caps_parse(list, lc, &want, &perr) < 0)
		usage_error("--has=%s: %s%s%s", arg, perr.item,
			    perr.item[0] ? ": " : "", caps_perr_str(perr.why));
	free(list);
	if (caps_state_read(&st, lc, &f) < 0)
		die_caps(&f);
	memcpy(&held, (const char *)&st + off, sizeof(held));
	if ((held & want) == want)
		return 0;
	step("not held: %s", names(want & ~held, 0));
	return 1;
}
