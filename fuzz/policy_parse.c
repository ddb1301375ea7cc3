// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/policy_parse.c - the pam_capbound policy file (policy_parse_buf(),
 * which policy_load() runs on the file it has checked).  It must never
 * crash or leak, must fail the whole file or return rules that are
 * well-formed, and what it returns, written back one rule a line, must
 * parse to the same rules.
 */
#include "fuzz.h"
#include "caps.h"
#include "policy.h"

/* The lines of buf: a last line without "\n" counts, an empty tail not. */
static int count_lines(const uint8_t *data, size_t size)
{
	size_t i;
	int n = 0;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size && data[size - 1] != '\n');
}

static void rule_check(const struct policy_rule *r)
{
	size_t len;

	FUZZ_CHECK(r->have_drop || r->have_keep);
	FUZZ_CHECK(r->have_drop ? r->drop != 0 : r->drop == 0);
	FUZZ_CHECK(r->have_keep ? r->keep != 0 : r->keep == 0);
	if (r->who == POLICY_ANY) {
		FUZZ_CHECK(r->name == NULL);
		return;
	}
	FUZZ_CHECK(r->who == POLICY_USER || r->who == POLICY_GROUP);
	FUZZ_CHECK(r->name != NULL);
	len = strlen(r->name);
	FUZZ_CHECK(len > 0);
	/* A name is one word: no blank, no "=", no newline. */
	FUZZ_CHECK(strcspn(r->name, " \t\r\n=") == len);
	if (r->who == POLICY_USER) {
		FUZZ_CHECK(r->name[0] != '@' && r->name[0] != '#');
		FUZZ_CHECK(strcmp(r->name, "*") != 0);
	}
}

/* "WHO drop=... keep=...\n" for every rule, as an administrator would. */
static char *policy_write(const struct policy *pol)
{
	char caps[CAPS_FORMAT_MAX];
	size_t i, used = 0, cap = 1;
	char *out = malloc(1);

	FUZZ_CHECK(out != NULL);
	out[0] = '\0';
	for (i = 0; i < pol->n; i++) {
		const struct policy_rule *r = &pol->rules[i];
		size_t need = (r->name ? strlen(r->name) : 0) + 2 +
			      2 * (sizeof(caps) + 8);
		char *n;

		if (used + need >= cap) {
			cap = (used + need) * 2;
			n = realloc(out, cap);
			FUZZ_CHECK(n != NULL);
			out = n;
		}
		used += (size_t)sprintf(out + used, "%s%s",
					r->who == POLICY_GROUP ? "@" : "",
					r->who == POLICY_ANY ? "*" : r->name);
		if (r->have_drop) {
			FUZZ_CHECK(caps_format(r->drop, caps, sizeof(caps)) == 0);
			used += (size_t)sprintf(out + used, " drop=%s", caps);
		}
		if (r->have_keep) {
			FUZZ_CHECK(caps_format(r->keep, caps, sizeof(caps)) == 0);
			used += (size_t)sprintf(out + used, "\tkeep=%s", caps);
		}
		used += (size_t)sprintf(out + used, "\n");
	}
	return out;
}

static void one(const uint8_t *data, size_t size, int last_cap)
{
	struct policy pol, again;
	struct policy_error pe;
	int lines = count_lines(data, size), last_line = 0;
	size_t i;
	char *text;

	memset(&pol, 0x55, sizeof(pol));
	memset(&pe, 0x55, sizeof(pe));
	if (policy_parse_buf((const char *)data, size, last_cap, &pol,
			     &pe) < 0) {
		/* No partial policy, and the error names a line of buf. */
		FUZZ_CHECK(pol.rules == NULL && pol.n == 0);
		FUZZ_CHECK(pe.line >= 1 && pe.line <= lines);
		FUZZ_CHECK(memchr(pe.why, '\0', sizeof(pe.why)) != NULL);
		FUZZ_CHECK(pe.why[0] != '\0');
		policy_free(&pol);
		return;
	}
	FUZZ_CHECK(pol.n == 0 || pol.rules != NULL);
	FUZZ_CHECK(pol.n <= (size_t)lines);
	for (i = 0; i < pol.n; i++) {
		FUZZ_CHECK(pol.rules[i].line > last_line);
		FUZZ_CHECK(pol.rules[i].line <= lines);
		last_line = pol.rules[i].line;
		rule_check(&pol.rules[i]);
	}

	text = policy_write(&pol);
	FUZZ_CHECK(policy_parse_buf(text, strlen(text), last_cap, &again,
				    &pe) == 0);
	FUZZ_CHECK(again.n == pol.n);
	for (i = 0; i < pol.n; i++) {
		const struct policy_rule *a = &pol.rules[i], *b = &again.rules[i];

		FUZZ_CHECK(b->line == (int)i + 1);
		FUZZ_CHECK(a->who == b->who);
		FUZZ_CHECK((a->name == NULL) == (b->name == NULL));
		FUZZ_CHECK(!a->name || strcmp(a->name, b->name) == 0);
		FUZZ_CHECK(a->have_drop == b->have_drop &&
			   a->have_keep == b->have_keep);
		FUZZ_CHECK(a->drop == b->drop && a->keep == b->keep);
	}
	free(text);
	policy_free(&again);
	policy_free(&pol);
	FUZZ_CHECK(pol.rules == NULL && pol.n == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/*
	 * A copy of exactly size bytes, so that ASan sees any read past
	 * the end (the parser takes a length, not a C string).
	 */
	uint8_t *copy = malloc(size ? size : 1);

	FUZZ_CHECK(copy != NULL);
	if (size)
		memcpy(copy, data, size);
	one(copy, size, 40);	/* a kernel of 2024 */
	one(copy, size, -1);	/* range unknown: "all" fails */
	free(copy);
	return 0;
}
