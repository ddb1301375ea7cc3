// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_config.c - --check-config[=PATH] [--user=USER]: the PAM module's
 * policy file, judged by the module's own code (policy.c), and warnings
 * about lines that are valid but cannot mean what their writer meant.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capbound.h"
#include "policy.h"

static const char bom[] = "\xef\xbb\xbf";

/* The file starts with a UTF-8 byte order mark (read apart: policy.c
 * takes it for part of the first name). */
static int starts_with_bom(const char *path)
{
	char head[3];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	return n == 3 && !memcmp(head, bom, 3);
}

/*
 * A name no account has: useradd(8) and Debian's adduser take letters,
 * digits, '.', '_', '-' (not first) and a final '$' (Samba machines).
 */
static int name_plausible(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-' || (c == '$' && i == n - 1))
			continue;
		return 0;
	}
	return 1;
}

static int warnings;

__attribute__((format(printf, 3, 4)))
static void line_warn(const char *path, int line, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	warnings++;
	warnx_("%s:%d: %s", path, line, text);
}

static const char *who_text(const struct policy_rule *r, int slot)
{
	static char buf[2][300];

	if (r->who == POLICY_ANY)
		return "*";
	snprintf(buf[slot & 1], sizeof(buf[0]), "%s%s",
		 r->who == POLICY_GROUP ? "@" : "", r->name);
	return buf[slot & 1];
}

/* Does the user rule u's user belong to group rule g's group, now? */
static int user_in_group(const struct policy_rule *u,
			 const struct policy_rule *g)
{
	struct ident_user pw;
	gid_t gid, *gids = NULL;
	size_t n = 0, i;
	int in = 0;

	if (ident_is_numeric(u->name) || ident_is_numeric(g->name))
		return 0;
	if (ident_user_by_name(u->name, &pw) != IDENT_OK)
		return 0;
	if (ident_group_resolve(g->name, &gid) == IDENT_OK &&
	    ident_user_groups(pw.name, pw.gid, &gids, &n) == IDENT_OK)
		for (i = 0; i < n; i++)
			in |= gids[i] == gid;
	free(gids);
	ident_user_free(&pw);
	return in;
}

/* An earlier rule that every user of r already matches, or NULL. */
static const struct policy_rule *shadowed_by(const struct policy *pol,
					     size_t j)
{
	const struct policy_rule *r = &pol->rules[j];
	size_t i;

	for (i = 0; i < j; i++) {
		const struct policy_rule *e = &pol->rules[i];

		if (e->who == POLICY_ANY)
			return e;
		if (r->who == POLICY_ANY)
			continue;
		if (e->who == r->who && !strcmp(e->name, r->name))
			return e;
		if (e->who == POLICY_GROUP && r->who == POLICY_USER &&
		    user_in_group(r, e))
			return e;
	}
	return NULL;
}

/* Valid lines that cannot mean what was meant: warned, not refused. */
static void check_config_warnings(const char *path, const struct policy *pol)
{
	int has_bom = starts_with_bom(path);
	size_t i;

	if (has_bom)
		line_warn(path, 1, "the file starts with a UTF-8 byte order "
			  "mark, which the module reads as part of the first "
			  "name: save it without one");
	for (i = 0; i < pol->n; i++) {
		const struct policy_rule *r = &pol->rules[i];
		const struct policy_rule *s;
		struct ident_user u;
		gid_t gid;
		enum ident_err e;

		s = shadowed_by(pol, i);
		if (s)
			line_warn(path, r->line, "%s: never reached: line %d "
				  "(%s) matches %s first", who_text(r, 0), s->line,
				  who_text(s, 1), s->who == POLICY_ANY ? "everyone" :
				  s->who == r->who ? "the same" :
				  "this user, a member,");
		if (r->who == POLICY_ANY)
			continue;
		if (has_bom && !strncmp(r->name, bom, 3))
			continue;	/* said above */
		if (policy_rule_no_id(r)) {
			line_warn(path, r->line, "%s is no %s (0 to 4294967294): "
				  "this line matches nobody", who_text(r, 0),
				  r->who == POLICY_GROUP ? "gid" : "uid");
			continue;
		}
		if (ident_is_numeric(r->name))
			continue;	/* an id needs no entry */
		if (!name_plausible(r->name)) {
			line_warn(path, r->line, "%s: no account name has these "
				  "characters (one name per line; the module "
				  "matches it as written)", esc(who_text(r, 0), 0));
			continue;
		}
		if (r->who == POLICY_USER) {
			e = ident_user_by_name(r->name, &u);
			if (e == IDENT_OK)
				ident_user_free(&u);
		} else {
			e = ident_group_resolve(r->name, &gid);
		}
		if (e == IDENT_ENOENT)
			line_warn(path, r->line, "%s: no such %s: this line "
				  "matches nobody", who_text(r, 0),
				  r->who == POLICY_GROUP ? "group" : "user");
		else if (e != IDENT_OK)
			line_warn(path, r->line, "%s: cannot be looked up now",
				  who_text(r, 0));
	}
}

void check_config(const struct opts *o)
{
	const char *path = o->check_config ? o->check_config :
			   POLICY_DEFAULT_PATH;
	const struct policy_rule *rule = NULL;
	struct policy pol;
	struct policy_error pe;
	struct ident_user u;
	struct caps_state cur;
	struct caps_fail f;
	capmask_t gecos_drop = 0, bound;
	int gecos_found = 0, lc = last_cap();
	struct opts rest = *o;
	const char *run;

	rest.user = NULL;
	run = run_option_given(&rest);
	if (run || o->print || o->list || o->decode || o->has || o->explain)
		usage_error("--check-config goes with --user only, not with %s",
			    run ? run : o->print ? "--print" : o->list ?
			    "--list" : o->decode ? "--decode" : o->has ?
			    "--has" : "--explain");
	if (lc < 0)
		die("cannot tell the running kernel's last capability");
	if (policy_load(path, lc, &pol, &pe) < 0) {
		errno = 0;
		if (pe.line)
			diex("%s:%d: %s", path, pe.line, pe.why);
		diex("%s: %s", path, pe.why);
	}
	check_config_warnings(path, &pol);
	printf("%s: valid, %zu rule%s", path, pol.n, pol.n == 1 ? "" : "s");
	if (warnings)
		printf(", %d warning%s", warnings, warnings == 1 ? "" : "s");
	printf("\n");
	if (!o->user) {
		policy_free(&pol);
		out_flush();
		return;
	}
	switch (ident_user_by_name(o->user, &u)) {
	case IDENT_OK:
		break;
	case IDENT_ENOENT:
	case IDENT_EBADNAME:
		diex("--user: %s: no such user (the module answers "
		     "PAM_USER_UNKNOWN)", o->user);
	default:
		die("--user: looking up %s", o->user);
	}
	if (policy_match(&pol, u.name, u.uid, u.gid, &rule, &pe) < 0)
		diex("%s:%d: %s", path, pe.line, pe.why);
	if (policy_gecos_drop(u.gecos, lc, &gecos_drop, &gecos_found, &pe) < 0)
		diex("user %s: %s (with the module argument gecos, this "
		     "user's sessions fail)", u.name, pe.why);
	if (caps_state_read(&cur, lc, &f) < 0)
		die_caps(&f);
	if (rule)
		printf("user %s: line %d matches\n", esc(u.name, 0), rule->line);
	else
		printf("user %s: no line matches (the module ignores this "
		       "user%s)\n", esc(u.name, 0),
		       gecos_found ? ", unless gecos" : "");
	bound = policy_bound(rule, 0, cur.bnd);
	printf("bounding:    %s\n", names(cur.bnd, 0));
	printf("          -> %s\n", names(bound, 1));
	printf("drop:        %s\n", names(cur.bnd & ~bound, 2));
	if (gecos_found) {
		bound = policy_bound(rule, gecos_drop, cur.bnd);
		printf("with the module argument gecos (GECOS cap_drop=%s):\n",
		       names(gecos_drop, 0));
		printf("          -> %s\n", names(bound, 1));
		printf("drop:        %s\n", names(cur.bnd & ~bound, 2));
	}
	ident_user_free(&u);
	policy_free(&pol);
	out_flush();
}
