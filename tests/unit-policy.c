// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit-policy - the policy file parser, the GECOS cap_drop= property and
 * the resulting bounding set, without privilege and without files.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "policy.h"
#include "tap.h"

#define LAST_CAP 40
#define B(c) CAPS_BIT(c)
#define CHOWN 0
#define DAC_OVERRIDE 1
#define FOWNER 3
#define NET_RAW 13
#define SYS_MODULE 16
#define SYS_PTRACE 19
#define SYS_ADMIN 21

static struct policy pol;
static struct policy_error pe;

static int parse(const char *text)
{
	policy_free(&pol);
	memset(&pe, 0, sizeof(pe));
	return policy_parse_buf(text, strlen(text), LAST_CAP, &pol, &pe);
}

/* A bad file: -1, the line, and the reason. */
static void bad(const char *text, int line, const char *why)
{
	int r = parse(text);

	ok(r == -1 && pol.n == 0, "rejected: %s", why);
	ok(pe.line == line, "  on line %d (got %d)", line, pe.line);
	is_str(pe.why, why, "  reason");
}

static void gecos(const char *g, int want_r, int want_found, capmask_t want,
		  const char *why)
{
	capmask_t drop = 0;
	int found = -1, r;

	memset(&pe, 0, sizeof(pe));
	r = policy_gecos_drop(g, LAST_CAP, &drop, &found, &pe);
	ok(r == want_r && (r < 0 || (found == want_found && drop == want)),
	   "GECOS \"%s\": r=%d found=%d drop=%llx", g ? g : "(null)", r, found,
	   (unsigned long long)drop);
	if (why)
		is_str(pe.why, why, "  reason");
}

int main(void)
{
	const struct policy_rule *rule;
	capmask_t all = caps_kernel_mask(LAST_CAP);

	ok(parse("# who what\n"
		 "alice  drop=net_raw,sys_ptrace   # trailing comment\n"
		 "\n"
		 "\t@builders\tkeep=chown, dac_override ,fowner\n"
		 "*      drop=sys_module\n") == 0, "a good file parses");
	ok(pol.n == 3, "three rules (comments and blank lines skipped)");
	ok(pol.rules[0].line == 2 && pol.rules[0].who == POLICY_USER &&
	   strcmp(pol.rules[0].name, "alice") == 0, "rule 1: user alice, line 2");
	ok(pol.rules[0].have_drop && !pol.rules[0].have_keep &&
	   pol.rules[0].drop == (B(NET_RAW) | B(SYS_PTRACE)),
	   "rule 1: drop=net_raw,sys_ptrace");
	ok(pol.rules[1].line == 4 && pol.rules[1].who == POLICY_GROUP &&
	   strcmp(pol.rules[1].name, "builders") == 0,
	   "rule 2: @builders on line 4, leading tab");
	ok(pol.rules[1].have_keep &&
	   pol.rules[1].keep == (B(CHOWN) | B(DAC_OVERRIDE) | B(FOWNER)),
	   "rule 2: keep list with spaces around items");
	ok(pol.rules[2].who == POLICY_ANY && pol.rules[2].name == NULL &&
	   pol.rules[2].drop == B(SYS_MODULE), "rule 3: *");

	ok(parse("") == 0 && pol.n == 0, "an empty file: no rules");
	ok(parse("# only a comment") == 0 && pol.n == 0,
	   "a comment without newline: no rules");
	ok(parse("root drop=net_raw") == 0 && pol.n == 1,
	   "last line without a newline");
	ok(parse("root drop=net_raw\r\n") == 0 && pol.n == 1 &&
	   pol.rules[0].drop == B(NET_RAW), "CRLF line end");
	ok(parse("root drop=net_raw drop=chown keep=all keep=0") == 0 &&
	   pol.rules[0].drop == (B(NET_RAW) | B(CHOWN)) &&
	   pol.rules[0].keep == all, "repeated drop=/keep= add up; all");
	ok(parse("root keep=sys_admin,chown drop=chown") == 0 &&
	   policy_bound(&pol.rules[0], 0, all) == B(SYS_ADMIN),
	   "bound: (cur & keep) - drop");
	ok(policy_bound(&pol.rules[0], B(SYS_ADMIN), all) == 0,
	   "bound: GECOS drops come on top");
	ok(policy_bound(NULL, B(NET_RAW), all) == (all & ~B(NET_RAW)),
	   "bound: GECOS drops alone (no rule)");
	ok(policy_bound(&pol.rules[0], 0, B(CHOWN)) == 0,
	   "bound: never more than the current bounding set");
	ok(parse("root drop=cap_63") == 0 && pol.rules[0].drop == B(63),
	   "a capability the kernel lacks is not an error");

	bad("root drop=net_raw\n\nbob drop=net_raw+ep\n", 3,
	    "drop=: net_raw+ep: unknown capability");
	bad("root drop=net_raw#x", 1, "drop=: net_raw#x: unknown capability");
	bad("root drop=", 1, "drop=: empty capability list");
	bad("root drop=  ", 1, "drop=: empty capability list");
	bad("root keep=chown,,fowner", 1,
	    "keep=chown,,fowner: empty item in capability list");
	bad("root drop=64", 1, "drop=: 64: capability number out of range (0..63)");
	bad("root", 1, "root: no drop=CAPS or keep=CAPS");
	bad("@wheel  # nothing", 1, "@wheel: no drop=CAPS or keep=CAPS");
	bad("root drop=net_raw frob=x", 1, "frob=x: expected drop=CAPS or keep=CAPS");
	bad("root Drop=net_raw", 1, "Drop=net_raw: expected drop=CAPS or keep=CAPS");
	bad("root net_raw", 1, "net_raw: expected drop=CAPS or keep=CAPS");
	bad("drop=net_raw", 1,
	    "drop=net_raw: a rule starts with a user name, @group or *");
	bad("@ drop=net_raw", 1, "@: empty group name");

	/* A NUL inside the buffer (strlen stops there): pass the length. */
	{
		static const char nul[] = "root drop=net_raw\nbob\0drop=x\n";

		policy_free(&pol);
		ok(policy_parse_buf(nul, sizeof(nul) - 1, LAST_CAP, &pol, &pe) == -1 &&
		   pe.line == 2, "a NUL byte fails its line");
	}

	ok(parse("alice drop=net_raw\n0 drop=chown\n* drop=sys_module\n") == 0,
	   "a file for matching");
	ok(policy_match(&pol, "alice", 1000, 1000, &rule, &pe) == 0 && rule &&
	   rule->line == 1, "match: user name");
	ok(policy_match(&pol, "toor", 0, 0, &rule, &pe) == 0 && rule &&
	   rule->line == 2, "match: all digits is a uid");
	ok(policy_match(&pol, "bob", 1001, 1001, &rule, &pe) == 0 && rule &&
	   rule->line == 3, "match: * for everybody else");
	ok(parse("alice drop=net_raw\n") == 0 &&
	   policy_match(&pol, "bob", 1001, 1001, &rule, &pe) == 0 && !rule,
	   "match: no rule, NULL");

	/* @group: a name that is no group matches nobody, and is reported. */
	ok(parse("@capbound-no-such-group drop=all\n@capbound-nix-2 drop=all\n"
		 "@4294967295 drop=all\n@root drop=chown\n* drop=net_raw\n") == 0,
	   "a file of @group rules");
	ok(policy_match(&pol, "root", 0, 0, &rule, &pe) == 0 && rule &&
	   rule->line == 4, "match: @root for root, past groups that are none");
	ok(pe.line == 1, "match: the first @group that names no group is told");
	is_str(pe.why, "@capbound-no-such-group names no group, so the rule "
	       "matches nobody (and 1 more such rules)",
	       "match: ... with how many more");
	ok(parse("@root drop=chown\n@capbound-no-such-group drop=all\n") == 0 &&
	   policy_match(&pol, "root", 0, 0, &rule, &pe) == 0 && rule &&
	   rule->line == 1 && pe.why[0] == '\0',
	   "match: rules after the match are not looked up, nothing told");
	ok(parse("@0 drop=chown\n") == 0 &&
	   policy_match(&pol, "nobody", 65534, 65534, &rule, &pe) == 0 &&
	   !rule && pe.why[0] == '\0',
	   "match: @0 (a gid) is not nobody's, and a number is never 'no group'");

	gecos(NULL, 0, 0, 0, NULL);
	gecos("", 0, 0, 0, NULL);
	gecos("Alice Liddell,Room 1,,", 0, 0, 0, NULL);
	gecos("cap_drop=net_raw", 0, 1, B(NET_RAW), NULL);
	gecos("Alice,,,,cap_drop=net_raw,sys_ptrace", 0, 1,
	      B(NET_RAW) | B(SYS_PTRACE), NULL);
	gecos("Alice, cap_drop=NET_RAW, 19", 0, 1, B(NET_RAW) | B(SYS_PTRACE),
	      NULL);
	gecos("Alice,cap_drop=net_raw,Room 5", -1, 0, 0,
	      "GECOS: cap_drop=: Room 5: unknown capability");
	gecos("Alice,cap_drop=", -1, 0, 0,
	      "GECOS: cap_drop=: empty capability list");
	gecos("Alice cap_drop=net_raw", -1, 0, 0,
	      "GECOS: \"cap_drop\" must start a comma-separated field as "
	      "cap_drop=CAPS");
	gecos("Alice,cap_drop:net_raw", -1, 0, 0,
	      "GECOS: \"cap_drop\" must start a comma-separated field as "
	      "cap_drop=CAPS");
	gecos("Alice,CAP_DROP=net_raw", -1, 0, 0,
	      "GECOS: \"cap_drop\" must start a comma-separated field as "
	      "cap_drop=CAPS");
	gecos("cap_drop=net_raw,cap_drop=chown", -1, 0, 0,
	      "GECOS: cap_drop= given twice");

	/* Digits that are no id: rules that match nobody. */
	ok(parse("4294967295 drop=chown\n@99999999999 drop=chown\n"
		 "4294967294 drop=chown\n@0 drop=chown\nroot drop=chown\n"
		 "* drop=chown\n") == 0 && pol.n == 6, "six rules with numbers");
	ok(pol.n == 6 && policy_rule_no_id(&pol.rules[0]) &&
	   policy_rule_no_id(&pol.rules[1]), "  4294967295, @99999999999: no id");
	ok(pol.n == 6 && !policy_rule_no_id(&pol.rules[2]) &&
	   !policy_rule_no_id(&pol.rules[3]) && !policy_rule_no_id(&pol.rules[4]) &&
	   !policy_rule_no_id(&pol.rules[5]),
	   "  4294967294, @0, a name and *: not that");

	policy_free(&pol);
	return tap_done();
}
