# tools/mutants.awk - single-line mutants of a C file, for tools/mutate.sh.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   awk -v skip="func1 func2 ..." -f tools/mutants.awk FILE.c
#
# Prints one mutant a line: "LINE<TAB>OPERATOR<TAB>NEW TEXT OF THE LINE".
# Only lines inside function bodies are mutated, and not inside the
# functions named in skip (parsers, formatters, reports: the fuzzers and
# unit tests cover those; the privilege code is what is mutated here).
# The operators, each applied to its first match on the line, and of each
# kind only the first that applies (one mutant per line and kind: a
# second == on a line seldom finds what the first did not, and the run
# must fit in an afternoon on two shared cores):
#   ror   a relational operator swapped (== !=, < <=, > >=)
#   lcr   && and || swapped
#   asg   |= and &= swapped
#   bit   & and | swapped, a ~ removed
#   neg   an if's leading ! removed, or its whole condition negated
#   del   an if whose whole condition is on its line: if (0) (check deleted)
#   ret   a return value flipped (0 -1 1, PAM codes, IDENT codes)
#   obo   an off-by-one: + 1 / - 1 removed, a loop started at 1, 1UL/0UL
#   call  a call statement on one line deleted (not frees, closes, messages)

# One mutant per line and operator kind: the first that changes the line
# (the operators below are tried in order of how much they matter).
function emit(op, text)
{
	if (text != $0 && !((NR, op) in done)) {
		done[NR, op] = 1
		printf "%d\t%s\t%s\n", NR, op, text
	}
}

# Is position pos of s inside a string literal (an odd number of
# unescaped quotes before it)?
function instring(s, pos,    pre, q)
{
	pre = substr(s, 1, pos - 1)
	gsub(/\\./, "", pre)
	q = gsub(/"/, "", pre)
	return q % 2
}

# The first occurrence of the fixed string a in s, outside a string
# literal, replaced by b; s itself if there is none.
function rep(s, a, b,    i)
{
	i = index(s, a)
	if (i == 0 || instring(s, i))
		return s
	return substr(s, 1, i - 1) b substr(s, i + length(a))
}

# Parentheses balance on the line (a statement complete on it).
function balanced(s,    t, o, c)
{
	t = s
	o = gsub(/\(/, "(", t)
	c = gsub(/\)/, ")", t)
	return o == c
}

BEGIN {
	n = split(skip, list, " ")
	for (i = 1; i <= n; i++)
		skipped[list[i]] = 1
	infunc = 0
	incomment = 0
	pending = ""
}

{
	line = $0
	# Comments: skip whole comment lines; a block comment may span lines.
	if (incomment) {
		if (index(line, "*/"))
			incomment = 0
		next
	}
	if (line ~ /^[ \t]*\/\*/) {
		if (!index(line, "*/"))
			incomment = 1
		next
	}
	if (line ~ /^[ \t]*(\/\/|\*|#)/ || line ~ /^[ \t]*$/)
		next
	# Function boundaries: a header at column 0, "{" and "}" at column 0.
	if (!infunc && line ~ /^[A-Za-z_]/ && line !~ /;[ \t]*$/ &&
	    match(line, /[A-Za-z_][A-Za-z_0-9]*\(/)) {
		name = substr(line, RSTART, RLENGTH - 1)
		if (name !~ /^__attribute__/)
			pending = name
		next
	}
	if (line ~ /^\{/) {
		infunc = 1
		fname = pending
		next
	}
	if (line ~ /^\}/) {
		infunc = 0
		next
	}
	if (!infunc || (fname in skipped))
		next
	# Strings are not mutated: look at the line without its literals.
	code = line
	gsub(/"([^"\\]|\\.)*"/, "\"\"", code)

	# ror
	if (index(code, "=="))
		emit("ror", rep(line, "==", "!="))
	if (index(code, "!="))
		emit("ror", rep(line, "!=", "=="))
	if (index(code, " <= "))
		emit("ror", rep(line, " <= ", " < "))
	else if (index(code, " < "))
		emit("ror", rep(line, " < ", " <= "))
	if (index(code, " >= "))
		emit("ror", rep(line, " >= ", " > "))
	else if (index(code, " > "))
		emit("ror", rep(line, " > ", " >= "))
	# lcr
	if (index(code, " && "))
		emit("lcr", rep(line, " && ", " || "))
	if (index(code, " || "))
		emit("lcr", rep(line, " || ", " && "))
	# asg
	if (index(code, " |= "))
		emit("asg", rep(line, " |= ", " &= "))
	if (index(code, " &= "))
		emit("asg", rep(line, " &= ", " |= "))
	# bit
	if (index(code, " & ~"))
		emit("bit", rep(line, " & ~", " & "))
	else if (index(code, " & "))
		emit("bit", rep(line, " & ", " | "))
	if (index(code, " | ") && !index(code, " || "))
		emit("bit", rep(line, " | ", " & "))
	# neg, del: an if (or else if / while) whose condition is complete
	if (code ~ /^[ \t]*(\} else )?if \(/) {
		whole = code ~ /\)( \{)?[ \t]*$/ && balanced(code)
		if (index(code, "if (!"))
			emit("neg", rep(line, "if (!", "if ("))
		else if (whole && match(line, /\)( \{)?[ \t]*$/)) {
			t = substr(line, 1, RSTART - 1) ")" substr(line, RSTART)
			emit("neg", rep(t, "if (", "if (!("))
		}
		if (whole) {
			t = line
			sub(/if \(.*\)/, "if (0)", t)
			emit("del", t)
		}
	}
	# ret
	if (code ~ /return 0;/)
		emit("ret", rep(line, "return 0;", "return -1;"))
	if (code ~ /return -1;/)
		emit("ret", rep(line, "return -1;", "return 0;"))
	if (code ~ /return 1;/)
		emit("ret", rep(line, "return 1;", "return 0;"))
	if (code ~ /return PAM_SUCCESS;/)
		emit("ret", rep(line, "return PAM_SUCCESS;", "return PAM_IGNORE;"))
	if (code ~ /return PAM_IGNORE;/)
		emit("ret", rep(line, "return PAM_IGNORE;", "return PAM_SUCCESS;"))
	if (code ~ /return (fail_code|PAM_USER_UNKNOWN|PAM_[A-Z]*_ERR);/) {
		t = line
		sub(/return [A-Za-z_]*;/, "return PAM_SUCCESS;", t)
		emit("ret", t)
	}
	if (code ~ /rc = PAM_SUCCESS;/)
		emit("ret", rep(line, "rc = PAM_SUCCESS;", "rc = PAM_IGNORE;"))
	if (code ~ /rc = PAM_IGNORE;/)
		emit("ret", rep(line, "rc = PAM_IGNORE;", "rc = PAM_SUCCESS;"))
	if (code ~ /return IDENT_E[A-Z]*;/) {
		t = line
		sub(/return IDENT_E[A-Z]*;/, "return IDENT_OK;", t)
		emit("ret", t)
	}
	if (code ~ /return IDENT_ELOOKUP;/)
		emit("ret", rep(line, "IDENT_ELOOKUP", "IDENT_ENOENT"))
	# obo
	if (index(code, " + 1"))
		emit("obo", rep(line, " + 1", ""))
	if (index(code, " - 1") && !index(code, "return -1"))
		emit("obo", rep(line, " - 1", ""))
	if (index(code, "for (cap = 0;"))
		emit("obo", rep(line, "for (cap = 0;", "for (cap = 1;"))
	if (index(code, "(i = 0;"))
		emit("obo", rep(line, "(i = 0;", "(i = 1;"))
	if (index(code, " 1UL"))
		emit("obo", rep(line, " 1UL", " 0UL"))
	# call: a whole call statement on its own line
	if (code ~ /^[ \t]+[a-z_][a-z_0-9]*\(.*\);[ \t]*$/ && balanced(code) &&
	    code !~ /^[ \t]+(free|close|cap_free|caps_state_close|step|step_print|pam_syslog|warnx_|printf|fprintf|fputs|fputc|diag|memset|va_start|va_end|ident_user_free|policy_free|snprintf|memcpy|memmove)\(/) {
		t = line
		sub(/[^ \t].*$/, ";", t)
		emit("call", t)
	}
}
