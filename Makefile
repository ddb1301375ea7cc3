# capbound - drop capabilities from the bounding set, switch identity, exec.
# SPDX-License-Identifier: GPL-2.0-or-later

VERSION    = 0.1.0

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
PKG_CONFIG ?= pkg-config
# PAM modules live in <libdir>/security: ask pkg-config, fall back to the
# multiarch directory.  Overridable: make install PAMDIR=...
PAM_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir pam 2>/dev/null)
PAMDIR    ?= $(if $(PAM_LIBDIR),$(PAM_LIBDIR),/lib/$(shell $(CC) -print-multiarch 2>/dev/null))/security

# The caller's variables: CC, CFLAGS, CPPFLAGS, LDFLAGS, PKG_CONFIG (a
# cross build passes CC=<triplet>-gcc PKG_CONFIG=<triplet>-pkg-config, as
# dh_auto_build does).  `make CFLAGS='-O1 -g'` replaces only these.
CC        ?= cc
CFLAGS    ?= -O2 -g
CPPFLAGS  ?=
LDFLAGS   ?=
# Warnings are errors in CI (WERROR=-Werror); locally they stay warnings.
WERROR    ?=
WARNINGS   = -Wall -Wextra -Wshadow -Wformat=2 -Wformat-security \
             -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
             -Wwrite-strings -Wundef -Wvla -Wcast-align \
             -Wnull-dereference -Wimplicit-fallthrough
# The project's own flags, in variables of their own that a caller's
# CFLAGS/CPPFLAGS/LDFLAGS never replace; they come first, so that the
# caller's can still adjust them (-O, -Wno-...).  Hardening a
# distribution also sets is harmless twice, except _FORTIFY_SOURCE, which
# harden.h defines only where it is not defined yet.
CB_CPPFLAGS = -DCAPBOUND_VERSION='"$(VERSION)"'
# --version names the libraries' versions at build time (libcap's headers
# have no patch level, popt's no version at all); empty: capbound.c's
# fallback.
LIBCAP_MODVERSION := $(shell $(PKG_CONFIG) --modversion libcap 2>/dev/null)
POPT_MODVERSION   := $(shell $(PKG_CONFIG) --modversion popt 2>/dev/null)
VERSION_CPPFLAGS   = $(if $(LIBCAP_MODVERSION),-DCAPBOUND_LIBCAP_VERSION='"$(LIBCAP_MODVERSION)"') \
                     $(if $(POPT_MODVERSION),-DCAPBOUND_POPT_VERSION='"$(POPT_MODVERSION)"')
CB_CFLAGS   = -std=gnu11 $(WARNINGS) $(WERROR)
HARDEN      = -include harden.h -fstack-protector-strong -fPIE
HARDEN_LD   = -pie -Wl,-z,relro,-z,now
CAP_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libcap popt 2>/dev/null)
CAP_LIBS    := $(shell $(PKG_CONFIG) --libs libcap popt 2>/dev/null || echo -lcap -lpopt)
LIBCAP_LIBS := $(shell $(PKG_CONFIG) --libs libcap 2>/dev/null || echo -lcap)
PAM_LIBS    := $(shell $(PKG_CONFIG) --libs pam 2>/dev/null || echo -lpam)
# Compile and link lines: the project's flags, then the caller's.
CC_ALL      = $(CC) $(CB_CPPFLAGS) $(CPPFLAGS) $(CB_CFLAGS) $(CFLAGS)
LD_ALL      = $(CC) $(CB_CFLAGS) $(CFLAGS)

CORE_OBJ   = caps.o ident.o
# capbound's own files beside capbound.c (doc/ARCHITECTURE.md)
CMD_OBJ    = messages.o notation.o exec.o report_print.o report_caps.o \
             report_dryrun.o report_config.o trace.o trace_report.o escape.o
PAM_OBJ    = pam/caps.o pam/policy.o pam/pam_capbound.o

PROGS      = capbound
TEST_PROGS = tests/unit-caps tests/unit-ident tests/helper-daemon tests/helper-userns \
             tests/helper-client tests/helper-status tests/helper-files

.PHONY: all install uninstall clean check demo deps deps-test deps-lint \
	deps-fuzz deps-package

all: $(PROGS)

# capbound carries libcap and popt inside (their archives, from libcap-dev
# and libpopt-dev) and loads only glibc: loading the two as shared
# libraries costs every run 18 system calls and about 13 page faults,
# 0.82 instead of 0.71 of setpriv's time above a plain exec (doc/bench.md).
# glibc stays shared, so that name lookups go through NSS as configured.
# SHARED_LIBS=1 links libcap and popt shared, as distributions may prefer.
# .link-mode changes only when the choice does, and relinks capbound then.
SHARED_LIBS ?=
ifeq ($(SHARED_LIBS),1)
CAPBOUND_LIBS = $(CAP_LIBS)
LINK_MODE     = shared
else
CAPBOUND_LIBS = -Wl,-Bstatic $(CAP_LIBS) -Wl,-Bdynamic
LINK_MODE     = libcap-popt-inside
endif

# capbound.o says in --version how it is linked: rebuilt when that changes.
capbound.o: CB_CPPFLAGS += $(VERSION_CPPFLAGS) \
	$(if $(filter shared,$(LINK_MODE)),-DCAPBOUND_LINK_SHARED)
capbound.o: .link-mode
static/capbound.o: CB_CPPFLAGS += $(VERSION_CPPFLAGS)

.link-mode: FORCE
	@echo '$(LINK_MODE)' | cmp -s - $@ 2>/dev/null || echo '$(LINK_MODE)' >$@

capbound: capbound.o $(CMD_OBJ) $(CORE_OBJ) .link-mode
	$(LD_ALL) $(HARDEN_LD) $(LDFLAGS) -o $@ $(filter %.o,$^) \
		$(CAPBOUND_LIBS)

%.o: %.c harden.h
	$(CC_ALL) $(HARDEN) $(CAP_CFLAGS) -c -o $@ $<

capbound.o $(CMD_OBJ): capbound.h caps.h ident.h
notation.o: ident_files.h
report_config.o: policy.h
caps.o: caps.c caps.h
ident.o: ident.c ident.h

tests/unit-caps: tests/unit-caps.c caps.o tests/tap.h
	$(CC_ALL) -I. $(LDFLAGS) -o $@ tests/unit-caps.c caps.o $(LIBCAP_LIBS)

tests/unit-ident: tests/unit-ident.c ident.o tests/tap.h
	$(CC_ALL) -I. $(LDFLAGS) -o $@ tests/unit-ident.c ident.o
# The static build's files backend, linked dynamically (so that
# tests/faultinject.so reaches it), reading ./passwd and ./group.
tests/helper-files: tests/helper-files.c ident_files.c ident_files.h ident.o
	$(CC_ALL) -I. -DIDENT_PASSWD_FILE='"passwd"' -DIDENT_GROUP_FILE='"group"' \
		$(LDFLAGS) -o $@ tests/helper-files.c ident_files.c ident.o

tests/helper-%: tests/helper-%.c
	$(CC_ALL) $(LDFLAGS) -o $@ $<

# Dependencies, one list per target (tools/deps.sh): installs them as
# root on Debian, else prints the apt-get line.  A package build, whose
# dependencies are debian/control's, runs `make check DEPS_TEST=`.
deps:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test
deps-lint:
	@sh tools/deps.sh lint
deps-fuzz:
	@sh tools/deps.sh fuzz
deps-package:
	@sh tools/deps.sh package
DEPS_TEST ?= deps-test

demo:
	@sh tools/deps.sh demo
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh

# Each test file runs under a time limit (tests/timeout.sh): a hang fails
# the file instead of hanging CI.  CAPBOUND_TEST_TIMEOUT=seconds (120;
# 300 under make sanitize, whose builds run two to three times slower).
# The tests run one after the other (prove); -jN builds in parallel.
check: $(DEPS_TEST)
	@$(MAKE) --no-print-directory all $(TEST_PROGS)
	prove -v --exec tests/timeout.sh tests/

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 capbound $(DESTDIR)$(BINDIR)/capbound
	install -m 0644 capbound.1 $(DESTDIR)$(MANDIR)/man1/capbound.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/capbound $(DESTDIR)$(MANDIR)/man1/capbound.1

clean:
	rm -f $(PROGS) *.o pam/*.o *.so $(TEST_PROGS) .link-mode

.PHONY: FORCE
FORCE:

# ---- PAM module (issue 4): pam_capbound.so, its policy file, man pages ----
# The module's objects are compiled apart, position-independent, into pam/;
# the version script exports only pam_sm_*; -z defs: no undefined symbol.
PAM_MODULE   = pam_capbound.so
PAM_OBJ     += pam/ident.o pam/escape.o
PAM_CFLAGS   = -include harden.h -fstack-protector-strong -fPIC \
               -fvisibility=hidden
PAM_LDFLAGS  = -shared -Wl,-z,defs -Wl,-z,relro,-z,now \
               -Wl,--version-script=pam_capbound.map
TEST_PROGS  += tests/unit-policy tests/helper-pamtest tests/helper-logsink

all: $(PAM_MODULE)

# capbound --check-config reads policy files with the module's own code.
capbound: policy.o
capbound.o: policy.h
policy.o: policy.c policy.h caps.h ident.h

# capbound --trace (issue 14): trace.c runs the trace, trace_report.c
# reads it and writes the report (both in CMD_OBJ).
trace.o: trace.h trace_report.h
trace_report.o: trace_report.h escape.h
escape.o: escape.h
TEST_PROGS += tests/unit-trace

tests/unit-trace: tests/unit-trace.c trace_report.o escape.o caps.o tests/tap.h
	$(CC_ALL) -I. $(LDFLAGS) -o $@ tests/unit-trace.c trace_report.o \
		escape.o caps.o $(LIBCAP_LIBS)

pam/%.o: %.c harden.h
	@mkdir -p pam
	$(CC_ALL) $(PAM_CFLAGS) $(CAP_CFLAGS) -c -o $@ $<

pam/caps.o: caps.c caps.h
pam/ident.o: ident.c ident.h
pam/policy.o: policy.c policy.h caps.h ident.h
pam/escape.o: escape.c escape.h
pam/pam_capbound.o: pam_capbound.c policy.h caps.h ident.h escape.h

$(PAM_MODULE): $(PAM_OBJ) pam_capbound.map
	$(LD_ALL) $(PAM_LDFLAGS) $(LDFLAGS) -o $@ $(PAM_OBJ) \
		$(PAM_LIBS) $(LIBCAP_LIBS)

tests/unit-policy: tests/unit-policy.c policy.o caps.o ident.o tests/tap.h
	$(CC_ALL) -I. $(LDFLAGS) -o $@ tests/unit-policy.c policy.o \
		caps.o ident.o $(LIBCAP_LIBS)

tests/helper-pamtest: tests/helper-pamtest.c
	$(CC_ALL) -pthread $(LDFLAGS) -o $@ $< $(PAM_LIBS)

install: install-pam
uninstall: uninstall-pam
.PHONY: install-pam uninstall-pam

# The example policy is installed only where there is none: never
# overwrite an administrator's file.
install-pam: $(PAM_MODULE)
	install -d $(DESTDIR)$(PAMDIR) $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/security
	install -m 0644 $(PAM_MODULE) $(DESTDIR)$(PAMDIR)/$(PAM_MODULE)
	install -m 0644 capbound.conf.5 $(DESTDIR)$(MANDIR)/man5/capbound.conf.5
	install -m 0644 pam_capbound.8 $(DESTDIR)$(MANDIR)/man8/pam_capbound.8
	[ -e $(DESTDIR)$(SYSCONFDIR)/security/capbound.conf ] || \
		install -m 0644 capbound.conf \
			$(DESTDIR)$(SYSCONFDIR)/security/capbound.conf

# The policy file is the administrator's: uninstall leaves it.
uninstall-pam:
	rm -f $(DESTDIR)$(PAMDIR)/$(PAM_MODULE) \
		$(DESTDIR)$(MANDIR)/man5/capbound.conf.5 \
		$(DESTDIR)$(MANDIR)/man8/pam_capbound.8
# ---- end of PAM module ----
# ---- hardening (issue 5): fault injection, fuzzing, sanitizers, lint ------
# tests/faultinject.so: test-only LD_PRELOAD library, never installed.
TEST_PROGS += tests/faultinject.so

tests/faultinject.so: tests/faultinject.c
	$(CC_ALL) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

# Fuzzing: libFuzzer targets over every parser, built with clang
# (libclang-rt-dev: make deps-fuzz).  `make fuzz` runs each for
# FUZZ_SECONDS, starting from the seed corpus fuzz/corpus/<target>/ and
# the regression inputs fuzz/regress/<target>/ (inputs that once
# crashed: keep them there);
# new corpus entries go to fuzz/work/ (not committed), crashes to fuzz/.
# `make check` replays both directories through fuzz/<target>-replay,
# the same entry point built with $(CC) (tests/71-fuzz-regress.t).
#
# The PAM policy file (policy.c): policy_parse the file parser,
# policy_gecos_drop the GECOS cap_drop= property, policy_match the rule
# lookup over a fake user and group database (--wrap keeps NSS out).
# securebits_parse: the --securebits list (caps_securebits_parse).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS    = -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all
FUZZ_TARGETS  = caps_parse caps_parse_mask ident_parse_id ident_groups_parse \
                policy_parse policy_gecos_drop policy_match securebits_parse
FUZZ_LIB_SRC  = caps.c ident.c policy.c
FUZZ_REPLAY   = $(FUZZ_TARGETS:%=fuzz/%-replay)
TEST_PROGS   += $(FUZZ_REPLAY)
FUZZ_LDFLAGS  =

fuzz/policy_match-fuzzer fuzz/policy_match-replay: FUZZ_LDFLAGS = \
	-Wl,--wrap=ident_groupdb_load -Wl,--wrap=ident_groupdb_find \
	-Wl,--wrap=ident_groupdb_free

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_TARGETS:%=fuzz/%-fuzzer)

fuzz/%-fuzzer: fuzz/%.c fuzz/fuzz.h $(FUZZ_LIB_SRC) caps.h ident.h policy.h
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) $(CAP_CFLAGS) -I. \
		-DCAPBOUND_VERSION='"$(VERSION)"' -o $@ $< \
		$(FUZZ_LIB_SRC) $(FUZZ_LDFLAGS) $(LIBCAP_LIBS)

fuzz/%-replay: fuzz/%.c fuzz/replay.c fuzz/fuzz.h $(FUZZ_LIB_SRC:.c=.o)
	$(CC_ALL) $(CAP_CFLAGS) -I. $(LDFLAGS) -o $@ $< fuzz/replay.c \
		$(FUZZ_LIB_SRC:.c=.o) $(FUZZ_LDFLAGS) $(LIBCAP_LIBS)

fuzz: deps-fuzz fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/work/$$t; \
		dirs="fuzz/work/$$t fuzz/corpus/$$t"; \
		[ -d fuzz/regress/$$t ] && dirs="$$dirs fuzz/regress/$$t"; \
		if ! ./fuzz/$$t-fuzzer -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=fuzz/ $$dirs >fuzz/work/$$t.log 2>&1; then \
			tail -n 40 fuzz/work/$$t.log; \
			echo "fuzz: $$t: FAILED, input kept in fuzz/ (see above)"; \
			exit 1; \
		fi; \
		echo "fuzz: $$t: $$(sed -n 's/^stat::number_of_executed_units: *//p' \
			fuzz/work/$$t.log) executions in $(FUZZ_SECONDS)s, no crash"; \
	done

# Sanitizers: the whole `make check` against an ASan+UBSan build made in a
# copy of the tree (build-sanitize/src), so the normal build is untouched.
# gcc's shared libasan lets tests/faultinject.so come first in LD_PRELOAD
# (clang links the runtime into the executable, whose interceptors would
# then shadow the fault injection).  Every report is written to
# build-sanitize/reports/ and any report at all fails the target.
SANITIZE_CC    ?= gcc
SANITIZE_FLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all \
                  -fno-omit-frame-pointer
SANITIZE_DIR    = build-sanitize

.PHONY: sanitize
sanitize: deps-test
	rm -rf $(SANITIZE_DIR)
	mkdir -p $(SANITIZE_DIR)/src $(SANITIZE_DIR)/reports
	chmod 1777 $(SANITIZE_DIR)/reports	# reports of runs as --user too
	tar -cf - --exclude=./build-* --exclude=./.git --exclude=./fuzz/work . | \
		tar -xf - -C $(SANITIZE_DIR)/src
	$(MAKE) --no-print-directory -C $(SANITIZE_DIR)/src clean >/dev/null
	@r=$(CURDIR)/$(SANITIZE_DIR)/reports; \
	ASAN_OPTIONS=log_path=$$r/asan:verify_asan_link_order=0:detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=log_path=$$r/ubsan:print_stacktrace=1:halt_on_error=1 \
	CAPBOUND_TEST_TIMEOUT=$${CAPBOUND_TEST_TIMEOUT:-300} \
	$(MAKE) --no-print-directory -C $(SANITIZE_DIR)/src check \
		CC="$(SANITIZE_CC) $(SANITIZE_FLAGS)"; rc=$$?; \
	if [ -n "$$(ls -A $$r)" ]; then \
		for f in $$r/*; do echo "== $$f"; cat "$$f"; done; \
		echo "sanitize: $$(ls $$r | wc -l) sanitizer report(s)"; exit 1; \
	fi; \
	[ $$rc -eq 0 ] && echo "sanitize: make check passed, no sanitizer report"; \
	exit $$rc

.PHONY: clean-hardening
clean: clean-hardening
clean-hardening:
	rm -rf fuzz/*-fuzzer fuzz/work $(SANITIZE_DIR)

# Static analysis: `make lint` runs cppcheck, clang-tidy (.clang-tidy),
# shellcheck and mandoc -Tlint over every file of their kind that exists,
# and fails on any finding.  Suppressions live, with their reasons, in
# .cppcheck-suppressions, .clang-tidy and tests/.clang-tidy.
# mandoc: "referenced manual not found" (a STYLE message) is dropped for
# every .Xr: it says which packages' man pages this machine has installed
# (sudo, openssh-server, cron, at, or our own pages while they are being
# linted), not whether our page is right, and the cross-references are
# useful to readers who have them.  "outdated mandoc.db" is the same kind
# of machine state.  Every other mandoc message is a finding.
LINT_MAN_IGNORE = STYLE: referenced manual not found: Xr
# clang-tidy runs once per file: given several files in one process,
# clang-tidy 14 (Debian 12) reports every vsnprintf/vfprintf after
# va_start in the second and later files as "called with an uninitialized
# va_list" (clang-analyzer-valist.Uninitialized; LLVM bug 41311, GitHub
# llvm/llvm-project#40656), a false positive the same file alone does
# not get.
# shellcheck -e SC1091: the tests source lib.sh through "$(dirname "$0")",
# which shellcheck cannot follow; lib.sh is checked on its own here.
LINT_C     = $(wildcard *.c pam/*.c tests/*.c fuzz/*.c tools/*.c)
LINT_SH    = $(wildcard tests/*.t tests/*.sh tools/*.sh .ci/run debian/*.postinst \
             debian/*.prerm)
LINT_MAN   = $(wildcard *.1 *.5 *.8 man/*.1 man/*.5 man/*.8)
LINT_CPPFLAGS = -std=gnu11 -I. -D_GNU_SOURCE -DCAPBOUND_VERSION='"lint"' \
                $(CAP_CFLAGS)

.PHONY: lint
lint: deps-lint
	@fail=0; \
	echo "lint: cppcheck ($(words $(LINT_C)) files)"; \
	cppcheck --enable=warning,style,performance,portability --std=c11 \
		--error-exitcode=1 --inline-suppr --quiet -I. -D__linux__ \
		-D_GNU_SOURCE --library=posix \
		--suppressions-list=.cppcheck-suppressions $(LINT_C) || fail=1; \
	echo "lint: clang-tidy ($(words $(LINT_C)) files)"; \
	for c in $(LINT_C); do \
		clang-tidy --quiet "$$c" -- $(LINT_CPPFLAGS) 2>&1; \
	done | grep -v '^[0-9]* warnings* generated\.$$' >lint-tidy.log; \
	if grep -q ': \(warning\|error\):' lint-tidy.log; then \
		cat lint-tidy.log; fail=1; fi; rm -f lint-tidy.log; \
	echo "lint: shellcheck ($(words $(LINT_SH)) files)"; \
	shellcheck -e SC1091 $(LINT_SH) || fail=1; \
	echo "lint: mandoc -Tlint ($(words $(LINT_MAN)) pages)"; \
	for m in $(LINT_MAN); do \
		mandoc -Tlint "$$m" 2>&1 | grep -v -e "$(LINT_MAN_IGNORE)" \
			-e 'outdated mandoc.db' && fail=1; \
	done; \
	if [ $$fail -ne 0 ]; then echo "lint: FAILED"; exit 1; fi; \
	echo "lint: no findings"

# ---- issue 6 (perf/packaging): bench, static build, bash completion,
# examples, install of the extras.  make bench needs root. ----------------
DATADIR     ?= $(PREFIX)/share
BASHCOMPDIR ?= $(or $(shell $(PKG_CONFIG) --define-variable=datadir=$(DATADIR) \
                 --variable=completionsdir bash-completion 2>/dev/null),$(DATADIR)/bash-completion/completions)
# zsh: Debian's zsh looks in vendor-completions for /usr, and in
# site-functions (zsh's own default) for /usr/local.  fish: where its
# pkg-config file says, for this prefix.
ZSHCOMPDIR  ?= $(DATADIR)/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
FISHCOMPDIR ?= $(or $(shell $(PKG_CONFIG) --define-variable=datadir=$(DATADIR) \
                 --variable=completionsdir fish 2>/dev/null),$(DATADIR)/fish/vendor_completions.d)
EXAMPLESDIR ?= $(DATADIR)/doc/capbound/examples
EXAMPLES     = examples/capbound.service examples/capbound.init \
               examples/container-entrypoint.sh examples/Containerfile
STATIC_LIBS := $(shell $(PKG_CONFIG) --static --libs libcap popt 2>/dev/null || echo -lcap -lpopt)
TEST_PROGS  += capbound-static tests/helper-sleeper tests/helper-capsets

.PHONY: bench static install-extras uninstall-extras install-static \
	uninstall-static

# The static build reads /etc/passwd and /etc/group itself (ident_files.h
# says why): capbound's sources (policy.c: --check-config) compiled again
# into static/ with IDENT_FILES_ONLY, and without sanitizer flags, which
# make sanitize puts in CC: ASan cannot link statically.
static: capbound-static

STATIC_CC  = $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(CC))
STATIC_OBJ = static/capbound.o static/caps.o static/policy.o static/ident.o \
             static/ident_files.o $(CMD_OBJ:%=static/%)

capbound-static: $(STATIC_OBJ)
	$(STATIC_CC) $(CB_CFLAGS) $(CFLAGS) -static-pie -Wl,-z,relro,-z,now \
		$(LDFLAGS) -o $@ \
		$(STATIC_OBJ) $(STATIC_LIBS)

static/%.o: %.c caps.h ident.h ident_files.h policy.h capbound.h harden.h
	@mkdir -p static
	$(STATIC_CC) $(CB_CPPFLAGS) $(CPPFLAGS) $(CB_CFLAGS) $(CFLAGS) \
		$(HARDEN) $(CAP_CFLAGS) \
		-DIDENT_FILES_ONLY -c -o $@ $<

# Static, so that it runs in an empty chroot (tests/93-examples.t); never
# sanitized (ASan cannot link statically), like capbound-static.
tests/helper-capsets: tests/helper-capsets.c
	$(STATIC_CC) $(CB_CPPFLAGS) $(CPPFLAGS) $(CB_CFLAGS) $(CFLAGS) -static $(LDFLAGS) -o $@ $<

tools/bench-exec: tools/bench-exec.c
	$(CC_ALL) $(LDFLAGS) -o $@ $<

# The floors: what any launcher must do for the same job (tools/floor.c),
# dynamic and static, each built and linked as the capbound beside it
# (the same hardening: -z now binds the floor's few imports at start too).
tools/floor: tools/floor.c harden.h
	$(CC_ALL) $(HARDEN) $(HARDEN_LD) $(LDFLAGS) -o $@ $<

tools/floor-static: tools/floor.c static/ident_files.o static/ident.o harden.h
	$(STATIC_CC) $(CPPFLAGS) $(CB_CFLAGS) $(CFLAGS) $(HARDEN) -I. \
		-DIDENT_FILES_ONLY -static-pie -Wl,-z,relro,-z,now $(LDFLAGS) \
		-o $@ $< static/ident_files.o static/ident.o

BENCH_TOOLS = tools/bench-exec tools/floor tools/floor-static

# The start-up table (tools/bench.sh), then the scale cases
# (tools/bench-scale.sh: big group and passwd databases, big policies).
# BENCH_OLD=DIR: the scale cases also for the capbound built in DIR.
bench: all capbound-static tests/helper-pamtest $(BENCH_TOOLS)
	@sh tools/bench.sh $(CURDIR)/capbound $(CURDIR)/capbound-static
	@sh tools/bench-scale.sh $(CURDIR)/capbound $(CURDIR)/capbound-static

install: install-extras
uninstall: uninstall-extras

# bash-completion loads a completion by the command's name: capbound-static
# is a link to capbound's.  fish: likewise, a file of its own.
install-extras:
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(EXAMPLESDIR)
	install -m 0644 completions/capbound $(DESTDIR)$(BASHCOMPDIR)/capbound
	ln -sf capbound $(DESTDIR)$(BASHCOMPDIR)/capbound-static
	install -m 0644 completions/_capbound $(DESTDIR)$(ZSHCOMPDIR)/_capbound
	install -m 0644 completions/capbound.fish completions/capbound-static.fish \
		$(DESTDIR)$(FISHCOMPDIR)
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(EXAMPLESDIR)

uninstall-extras:
	rm -f $(DESTDIR)$(BASHCOMPDIR)/capbound \
		$(DESTDIR)$(BASHCOMPDIR)/capbound-static \
		$(DESTDIR)$(ZSHCOMPDIR)/_capbound \
		$(DESTDIR)$(FISHCOMPDIR)/capbound.fish \
		$(DESTDIR)$(FISHCOMPDIR)/capbound-static.fish
	rm -f $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(notdir $(EXAMPLES)))
	-rmdir $(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(DATADIR)/doc/capbound 2>/dev/null

# The static build for FROM-scratch containers; not part of make install.
install-static: capbound-static
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 capbound-static $(DESTDIR)$(BINDIR)/capbound-static
	install -m 0644 capbound-static.1 $(DESTDIR)$(MANDIR)/man1/capbound-static.1

uninstall-static:
	rm -f $(DESTDIR)$(BINDIR)/capbound-static \
		$(DESTDIR)$(MANDIR)/man1/capbound-static.1

clean: clean-perf
.PHONY: clean-perf
clean-perf:
	rm -rf capbound-static static $(BENCH_TOOLS)

# ---- issue 15: mutation testing (long, root, not in CI) --------------------
# tools/mutate.sh: single-line mutants of the privilege code, each built and
# run against the test files that exercise it; report in
# build-mutate/report.txt, survivors explained in doc/mutation.md.
.PHONY: mutate
mutate: all
	@sh tools/mutate.sh $(MUTATE_FILES)

# ---- issue 13: release tarball ----------------------------------------
# make dist: capbound-$(VERSION).tar.gz of the files git tracks, as they
# are in the work tree; reproducible: names sorted, owner 0, mtime of
# the last commit, gzip without name or time.
.PHONY: dist
dist:
	@mtime=$$(git log -1 --format=%ct) && \
	git ls-files -z | LC_ALL=C sort -z | \
	tar --null --no-recursion -T - --sort=name --mtime=@$$mtime \
		--owner=0 --group=0 --numeric-owner --mode=go-w \
		--transform 's,^,capbound-$(VERSION)/,' --format=gnu -cf - | \
	gzip -n -9 >capbound-$(VERSION).tar.gz
	@echo "dist: capbound-$(VERSION).tar.gz"

# ---- issue 15: line coverage (long, root, not in CI: doc/coverage.md) -----
# tools/coverage.sh: the whole make check against a gcc --coverage -O0
# build in build-coverage/src; per-file line coverage of every .c file,
# failing below 95% for caps.c, ident.c, policy.c and pam_capbound.c.
.PHONY: coverage test-progs clean-coverage
test-progs: $(TEST_PROGS)

coverage: deps-test
	@sh tools/coverage.sh

clean: clean-coverage
clean-coverage:
	rm -rf build-coverage
