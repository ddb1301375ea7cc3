#!/bin/sh
# make install DESTDIR=... PREFIX=... puts every file in its conventional
# place with its mode (the binary 0755, nothing set-user-ID or
# set-group-ID), installs nothing else, and make uninstall removes it all
# but the administrator's policy file.  To add a file: one line in
# expected() below.
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_cmd make find stat

# mkvar VAR [MAKEVARS...]: the value make gives VAR in this tree.
mkvar() {
	_v=$1; shift
	# shellcheck disable=SC2016
	printf 'print-var:\n\t@echo $(%s)\n' "$_v" |
		make -s --no-print-directory -C "$TOP" -f Makefile -f - "$@" print-var
}

# expected PREFIX: "MODE PATH [kept]" for every installed file; "kept":
# make uninstall leaves it (the administrator's configuration).
expected() {
	_p=$1
	_pamdir=$(mkvar PAMDIR PREFIX="$_p")
	_bc=$(mkvar BASHCOMPDIR PREFIX="$_p")
	_zc=$(mkvar ZSHCOMPDIR PREFIX="$_p")
	_fc=$(mkvar FISHCOMPDIR PREFIX="$_p")
	cat <<LIST
0755 $_p/bin/capbound
0644 $_p/share/man/man1/capbound.1
0644 $_p/share/man/man5/capbound.conf.5
0644 $_p/share/man/man8/pam_capbound.8
0644 $_pamdir/pam_capbound.so
0644 /etc/security/capbound.conf kept
0644 $_bc/capbound
0644 $_zc/_capbound
0644 $_fc/capbound.fish
0644 $_fc/capbound-static.fish
0644 $_p/share/doc/capbound/examples/capbound.service
0644 $_p/share/doc/capbound/examples/capbound.init
0644 $_p/share/doc/capbound/examples/container-entrypoint.sh
0644 $_p/share/doc/capbound/examples/Containerfile
LIST
}

for prefix in /usr /usr/local; do
	root=$TMP/root$(echo "$prefix" | tr / _)
	expected "$prefix" >"$TMP/expected"

	# Completions go where bash-completion looks for this prefix.
	bc=$(mkvar BASHCOMPDIR PREFIX="$prefix")
	is "$bc" "$prefix/share/bash-completion/completions" \
		"PREFIX=$prefix: completion directory is bash-completion's for that prefix"

	# zsh and fish: where those shells look for this prefix.
	case $prefix in
	/usr) want_zc=$prefix/share/zsh/vendor-completions ;;
	*) want_zc=$prefix/share/zsh/site-functions ;;
	esac
	is "$(mkvar ZSHCOMPDIR PREFIX="$prefix")" "$want_zc" \
		"PREFIX=$prefix: zsh completion directory $want_zc"
	is "$(mkvar FISHCOMPDIR PREFIX="$prefix")" "$prefix/share/fish/vendor_completions.d" \
		"PREFIX=$prefix: fish completion directory is fish's vendor directory"

	make -s --no-print-directory -C "$TOP" install DESTDIR="$root" \
		PREFIX="$prefix" >"$TMP/out" 2>&1
	rc=$?
	is "$rc" 0 "PREFIX=$prefix: make install exits 0"
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/out"
	is "$(readlink "$root$bc/capbound-static")" capbound \
		"PREFIX=$prefix: bash completion for capbound-static: a link to capbound's"

	while read -r mode path _kept; do
		f=$root$path
		if [ -f "$f" ]; then
			is "$(stat -c %a "$f")" "${mode#0}" "PREFIX=$prefix: $path installed, mode $mode"
		else
			ok 1 "PREFIX=$prefix: $path installed, mode $mode (missing)"
		fi
	done <"$TMP/expected"

	(cd "$root" && find . -type f | sed 's/^\.//' | LC_ALL=C sort) >"$TMP/got"
	awk '{ print $2 }' "$TMP/expected" | LC_ALL=C sort >"$TMP/want"
	diff "$TMP/want" "$TMP/got" >"$TMP/diff"
	ok $? "PREFIX=$prefix: nothing installed that is not in the list"
	sed 's/^/# /' "$TMP/diff"

	is "$(find "$root" -perm /6000 | wc -l | tr -d ' ')" 0 \
		"PREFIX=$prefix: nothing set-user-ID or set-group-ID"
	is "$(find "$root" -type f -perm /0022 | wc -l | tr -d ' ')" 0 \
		"PREFIX=$prefix: nothing group- or world-writable"
	like "$("$root$prefix/bin/capbound" --version 2>&1)" "capbound *" \
		"PREFIX=$prefix: the installed capbound runs"

	make -s --no-print-directory -C "$TOP" uninstall DESTDIR="$root" \
		PREFIX="$prefix" >"$TMP/out" 2>&1
	is "$?" 0 "PREFIX=$prefix: make uninstall exits 0"
	(cd "$root" && find . -type f -o -type l | sed 's/^\.//' | LC_ALL=C sort) >"$TMP/got"
	awk '$3 == "kept" { print $2 }' "$TMP/expected" | LC_ALL=C sort >"$TMP/want"
	diff "$TMP/want" "$TMP/got" >"$TMP/diff"
	ok $? "PREFIX=$prefix: make uninstall removes every file but the kept ones"
	sed 's/^/# /' "$TMP/diff"
done

# make install-static: the static build and its page, nothing else.
root=$TMP/static
make -s --no-print-directory -C "$TOP" install-static DESTDIR="$root" \
	PREFIX=/usr >"$TMP/out" 2>&1
is "$?" 0 "make install-static exits 0"
is "$(cd "$root" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" \
	"./usr/bin/capbound-static ./usr/share/man/man1/capbound-static.1 " \
	"install-static: capbound-static and its manual page"
is "$(stat -c %a "$root/usr/bin/capbound-static" 2>&1)" 755 "capbound-static installed 0755"
make -s --no-print-directory -C "$TOP" uninstall-static DESTDIR="$root" \
	PREFIX=/usr >"$TMP/out" 2>&1
is "$(find "$root" -type f | wc -l | tr -d ' ')" 0 "uninstall-static removes both"

done_testing
