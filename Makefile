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

CC        ?= cc
CFLAGS    ?= -O2 -g
# Warnings are errors in CI (WERROR=-Werror); locally they stay warnings.
WERROR    ?=
WARNINGS   = -Wall -Wextra -Wshadow -Wformat=2 -Wformat-security \
             -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
             -Wwrite-strings -Wundef -Wvla -Wcast-align \
             -Wnull-dereference -Wimplicit-fallthrough
HARDEN     = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD  = -pie -Wl,-z,relro,-z,now
CFLAGS    += -std=gnu11 $(WARNINGS) $(WERROR) -DCAPBOUND_VERSION='"$(VERSION)"'
CAP_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libcap popt 2>/dev/null)
CAP_LIBS    := $(shell $(PKG_CONFIG) --libs libcap popt 2>/dev/null || echo -lcap -lpopt)
LIBCAP_LIBS := $(shell $(PKG_CONFIG) --libs libcap 2>/dev/null || echo -lcap)
PAM_LIBS    := $(shell $(PKG_CONFIG) --libs pam 2>/dev/null || echo -lpam)

CORE_OBJ   = caps.o ident.o
PAM_OBJ    = pam/caps.o pam/policy.o pam/pam_capbound.o

PROGS      = capbound
TEST_PROGS = tests/unit-caps tests/unit-ident tests/helper-daemon \
             tests/helper-client tests/helper-status

.PHONY: all install uninstall clean check demo deps deps-test

all: $(PROGS)

capbound: capbound.o $(CORE_OBJ)
	$(CC) $(CFLAGS) $(HARDEN_LD) $(LDFLAGS) -o $@ $^ $(CAP_LIBS)

%.o: %.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(HARDEN) $(CAP_CFLAGS) -c -o $@ $<

capbound.o: capbound.c caps.h ident.h
caps.o: caps.c caps.h
ident.o: ident.c ident.h

tests/unit-caps: tests/unit-caps.c caps.o tests/tap.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -I. -o $@ tests/unit-caps.c caps.o $(LIBCAP_LIBS)

tests/unit-ident: tests/unit-ident.c ident.o tests/tap.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -I. -o $@ tests/unit-ident.c ident.o

tests/helper-%: tests/helper-%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# Build and test dependencies: installs them as root on Debian, else
# prints the apt-get line.
deps:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test

demo:
	@sh tools/deps.sh demo
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh

check: deps-test
	@$(MAKE) --no-print-directory all $(TEST_PROGS)
	prove -v tests/

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 capbound $(DESTDIR)$(BINDIR)/capbound
	install -m 0644 capbound.1 $(DESTDIR)$(MANDIR)/man1/capbound.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/capbound $(DESTDIR)$(MANDIR)/man1/capbound.1

clean:
	rm -f $(PROGS) *.o pam/*.o *.so $(TEST_PROGS)

# ---- PAM module (issue 4): pam_capbound.so, its policy file, man pages ----
# The module's objects are compiled apart, position-independent, into pam/;
# the version script exports only pam_sm_*; -z defs: no undefined symbol.
PAM_MODULE   = pam_capbound.so
PAM_OBJ     += pam/ident.o
PAM_CFLAGS   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIC \
               -fvisibility=hidden
PAM_LDFLAGS  = -shared -Wl,-z,defs -Wl,-z,relro,-z,now \
               -Wl,--version-script=pam_capbound.map
TEST_PROGS  += tests/unit-policy tests/helper-pamtest tests/helper-logsink

all: $(PAM_MODULE)

# capbound --check-config reads policy files with the module's own code.
capbound: policy.o
capbound.o: policy.h
policy.o: policy.c policy.h caps.h ident.h

pam/%.o: %.c
	@mkdir -p pam
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PAM_CFLAGS) $(CAP_CFLAGS) -c -o $@ $<

pam/caps.o: caps.c caps.h
pam/ident.o: ident.c ident.h
pam/policy.o: policy.c policy.h caps.h ident.h
pam/pam_capbound.o: pam_capbound.c policy.h caps.h ident.h

$(PAM_MODULE): $(PAM_OBJ) pam_capbound.map
	$(CC) $(CFLAGS) $(PAM_LDFLAGS) $(LDFLAGS) -o $@ $(PAM_OBJ) \
		$(PAM_LIBS) $(LIBCAP_LIBS)

tests/unit-policy: tests/unit-policy.c policy.o caps.o ident.o tests/tap.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -I. -o $@ tests/unit-policy.c policy.o \
		caps.o ident.o $(LIBCAP_LIBS)

tests/helper-pamtest: tests/helper-pamtest.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(PAM_LIBS)

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

# ---- issue 6 (perf/packaging): bench, static build, bash completion,
# examples, install of the extras.  make bench needs root. ----------------
DATADIR     ?= $(PREFIX)/share
BASHCOMPDIR ?= $(or $(shell $(PKG_CONFIG) --define-variable=datadir=$(DATADIR) \
                 --variable=completionsdir bash-completion 2>/dev/null),$(DATADIR)/bash-completion/completions)
EXAMPLESDIR ?= $(DATADIR)/doc/capbound/examples
EXAMPLES     = examples/capbound.service examples/capbound.init \
               examples/container-entrypoint.sh
STATIC_LIBS := $(shell $(PKG_CONFIG) --static --libs libcap popt 2>/dev/null || echo -lcap -lpopt)
TEST_PROGS  += capbound-static tests/helper-sleeper

.PHONY: bench static install-extras uninstall-extras

# The static build reads /etc/passwd and /etc/group itself (ident_files.h
# says why): ident.c compiled again with IDENT_FILES_ONLY.
static: capbound-static

# The same objects as capbound (policy.o: --check-config), but ident.c.
capbound-static: capbound.o caps.o policy.o ident-static.o ident_files.o
	$(CC) $(CFLAGS) -static-pie -Wl,-z,relro,-z,now $(LDFLAGS) -o $@ $^ $(STATIC_LIBS)

ident-static.o: ident.c ident.h ident_files.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(HARDEN) -DIDENT_FILES_ONLY -c -o $@ ident.c

ident_files.o: ident_files.c ident_files.h

tools/bench-exec: tools/bench-exec.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

bench: all capbound-static tools/bench-exec
	@sh tools/bench.sh $(CURDIR)/capbound $(CURDIR)/capbound-static

install: install-extras
uninstall: uninstall-extras

install-extras:
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(EXAMPLESDIR)
	install -m 0644 completions/capbound $(DESTDIR)$(BASHCOMPDIR)/capbound
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(EXAMPLESDIR)

uninstall-extras:
	rm -f $(DESTDIR)$(BASHCOMPDIR)/capbound
	rm -f $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(notdir $(EXAMPLES)))
	-rmdir $(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(DATADIR)/doc/capbound 2>/dev/null

clean: clean-perf
.PHONY: clean-perf
clean-perf:
	rm -f capbound-static tools/bench-exec
