#!/bin/sh
# tests/72-hardening.t - the built binary carries the hardening the
# Makefile asks for (HARDEN, HARDEN_LD): a position-independent
# executable, full RELRO (GNU_RELRO + BIND_NOW), a non-executable stack,
# the stack protector and _FORTIFY_SOURCE's checked functions.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

require_cmd readelf
[ -x "$CAPBOUND" ] || skip_all "$CAPBOUND is not built"

readelf -hW "$CAPBOUND" >"$TMP/h" 2>&1
readelf -dW "$CAPBOUND" >"$TMP/d" 2>&1
readelf -lW "$CAPBOUND" >"$TMP/l" 2>&1
readelf --dyn-syms -W "$CAPBOUND" >"$TMP/s" 2>&1

like "$(sed -n 's/^ *Type: *//p' "$TMP/h")" "DYN*" "ELF type is DYN (PIE)"
ok "$(grep -q 'FLAGS_1).*PIE' "$TMP/d"; echo $?)" "DF_1_PIE is set"
ok "$(grep -q 'GNU_RELRO' "$TMP/l"; echo $?)" "has a GNU_RELRO segment"
ok "$(grep -Eq '\(FLAGS\).*BIND_NOW|FLAGS_1\).* NOW' "$TMP/d"; echo $?)" \
	"binds now (full RELRO)"
like "$(grep GNU_STACK "$TMP/l")" "* RW *" "stack is not executable"
ok "$(! grep -q ' TEXTREL' "$TMP/d"; echo $?)" "no text relocations"
ok "$(grep -q '__stack_chk_fail' "$TMP/s"; echo $?)" \
	"built with the stack protector (__stack_chk_fail)"
ok "$(grep -Eq '__[a-z]+_chk@' "$TMP/s"; echo $?)" \
	"built with _FORTIFY_SOURCE (checked __*_chk functions)"
ok "$(! find "$CAPBOUND" -perm /6000 | grep -q .; echo $?)" \
	"not set-user-ID or set-group-ID"
done_testing
