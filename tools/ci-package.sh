#!/bin/bash
# tools/ci-package.sh - the Debian packages end to end, as root on Debian:
#   build     dpkg-buildpackage -us -uc -b in a copy of the tree unpacked
#             from `make dist` (nothing is written beside the checkout),
#             then lintian on the .changes: no error, no warning;
#   install   apt-get install ./capbound_*.deb ./libpam-capbound_*.deb
#             ./capbound-static_*.deb on this machine;
#   smoke     the installed /usr/bin/capbound and capbound-static drop
#             net_raw: the command's own CapBnd line says so;
#   pam       in a private mount namespace whose /etc/pam.d, /var/lib/pam,
#             debconf database, passwd/shadow/group, /var/log and policy
#             file are copies: pam-auth-update --enable capbound, then
#             `su -s /bin/sh TESTUSER` gets the policy's drops (and did
#             not before the profile was enabled); the real files are only
#             read, the test user exists only in the copies;
#   purge     apt-get purge: every path dpkg -L listed that was not there
#             before is gone, the conffile too, and /etc/pam.d/common-*,
#             /var/lib/pam and the pam-auth-update debconf answer are as
#             they were.
# Prints what each part costs, in seconds.  Starts no background process.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pkgs=(capbound libpam-capbound capbound-static)
policy=/etc/security/capbound.conf
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# The machine may be shared: wait for another apt or dpkg to finish.
apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
fail() { echo "ci-package: FAILED: $*" >&2; exit 1; }
say() { echo "ci-package: $*"; }

# part NAME: start timing NAME, print the cost of the part before.
t0=$SECONDS tp=$SECONDS cur=""
costs=""
part() {
	if [ -n "$cur" ]; then
		costs="$costs$(printf '  %-9s %4d s' "$cur" $((SECONDS - tp)))"$'\n'
	fi
	cur=$1 tp=$SECONDS
	[ "$1" = end ] || echo "== ci-package: $1 (at $((SECONDS - t0)) s)"
}

[ "$(id -u)" -eq 0 ] || fail "needs root (it installs packages)"

work="" installed=0
cleanup() {
	rc=$?
	if [ "$installed" -eq 1 ]; then
		say "cleanup: purging ${pkgs[*]}"
		"${apt[@]}" purge "${pkgs[@]}" >/dev/null 2>&1 || rc=1
	fi
	# Only the directory mktemp made.
	case $work in
	/tmp/capbound-pkg.?*) rm -rf -- "$work" ;;
	esac
	exit "$rc"
}
trap cleanup EXIT
work=$(mktemp -d /tmp/capbound-pkg.XXXXXX)
# apt-get reads the .debs as user _apt.
chmod 0755 "$work"

for p in "${pkgs[@]}"; do
	case $(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null) in
	'' | un*) ;;
	*) fail "$p is installed already: not touching this machine's copy" ;;
	esac
done
[ ! -e "$policy" ] || fail "$policy exists (make install?): dpkg would ask"

# ---------------------------------------------------------------------------
part build
sh "$top/tools/deps.sh" package
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
mkver=$(sed -n 's/^VERSION *= *//p' "$top/Makefile")
[ "$ver" = "$mkver" ] ||
	fail "debian/changelog says $ver, the Makefile's VERSION $mkver"
arch=$(dpkg --print-architecture)
make -s -C "$top" dist >/dev/null
mv "$top/capbound-$ver.tar.gz" "$work/"
tar -xzf "$work/capbound-$ver.tar.gz" -C "$work"
# As a builder would: without CI's own variables (WERROR,
# CAPBOUND_MUST_WORK, CAPBOUND_SKIP_SLOW); warnings are checked below.
(cd "$work/capbound-$ver" &&
	env -u WERROR -u CAPBOUND_MUST_WORK -u CAPBOUND_SKIP_SLOW \
		dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1 || { tail -n 60 "$work/build.log"; fail "dpkg-buildpackage"; }
# The distribution's flags must not bring a compiler warning.
if grep -E '(warning|error):' "$work/build.log"; then
	fail "dpkg-buildpackage printed the warnings above"
fi
grep -A 3 '^All tests successful' "$work/build.log" | sed 's/^/  /' ||
	fail "the package build ran no tests"
debs=()
for p in "${pkgs[@]}"; do
	debs+=("./${p}_${ver}_${arch}.deb")
	[ -f "$work/${p}_${ver}_${arch}.deb" ] || fail "no ${p}_${ver}_${arch}.deb"
done
for d in "${debs[@]}"; do
	say "$d:"
	dpkg-deb -c "$work/$d" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print "  " $0 }'
done

part lintian
lintian "$work/capbound_${ver}_${arch}.changes" >"$work/lintian.log" 2>&1 || true
grep -v '^running with root privileges is not recommended!$' "$work/lintian.log" |
	sed 's/^/  lintian: /' || true
if grep -q '^[EW]: ' "$work/lintian.log"; then
	fail "lintian: errors or warnings (above)"
fi
say "lintian: no error, no warning"

# ---------------------------------------------------------------------------
part install
# What must be as it was after the purge.
state() {
	sha256sum /etc/pam.d/common-* /var/lib/pam/*
	# the answer, not debconf's "seen" mark
	debconf-show libpam-runtime | sed 's/^[* ] //' | sort
}
state >"$work/state.before"
# Which of the packages' paths existed before (directories such as
# /usr/bin): those may stay after the purge, all others must go.
for d in "${debs[@]}"; do
	dpkg-deb --fsys-tarfile "$work/$d" | tar -t | sed 's,^\.,,; s,/$,,' |
		grep -v '^$'
done | sort -u >"$work/paths"
while IFS= read -r p; do
	if [ -e "$p" ] || [ -L "$p" ]; then echo "$p"; fi
done <"$work/paths" >"$work/paths.before"

installed=1
(cd "$work" && "${apt[@]}" install "${debs[@]}") >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "apt-get install"; }
for p in "${pkgs[@]}"; do
	[ "$(dpkg-query -W -f '${db:Status-Abbrev}' "$p")" = "ii " ] ||
		fail "$p is not installed"
done
dpkg-query -W -f '${Conffiles}\n' libpam-capbound | grep " $policy " >/dev/null ||
	fail "$policy is not a conffile"
grep -qx capbound /var/lib/pam/seen ||
	fail "postinst did not register the pam-auth-update profile"
# Default: no: installing changes no PAM stack.
sha256sum /etc/pam.d/common-* | cmp -s - <(grep ' /etc/pam.d/' "$work/state.before") ||
	fail "installing changed /etc/pam.d/common-*"
state >"$work/state.installed"
say "installed: ${debs[*]}; the PAM stacks unchanged"

# ---------------------------------------------------------------------------
part smoke
bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
(( (16#$bnd >> 13) & 1 )) || fail "cap_net_raw (13) is not in this bounding set: nothing to test"
want=$(printf '%016x' $((16#$bnd & ~(1 << 13))))
for b in /usr/bin/capbound /usr/bin/capbound-static; do
	got=$("$b" --drop=net_raw -- grep CapBnd /proc/self/status) ||
		fail "$b --drop=net_raw: status $?"
	got=${got##*[[:space:]]}
	[ "$got" = "$want" ] ||
		fail "$b --drop=net_raw: the command's CapBnd is $got, want $want"
	say "$b --drop=net_raw: the command's CapBnd $got (was $bnd)"
	v=$("$b" --version)
	v=${v%%$'\n'*}	# the first line names the version
	case $v in
	"capbound $ver "* | "capbound $ver") ;;
	*) fail "$b --version says: $v" ;;
	esac
done
# Linked as the package says: libcap and popt shared in capbound, no
# shared library at all in capbound-static.
ldd /usr/bin/capbound | grep 'libcap\.so' >/dev/null || fail "capbound: libcap not shared"
ldd /usr/bin/capbound | grep 'libpopt\.so' >/dev/null || fail "capbound: popt not shared"
if readelf -d /usr/bin/capbound-static | grep NEEDED >/dev/null; then
	fail "capbound-static needs a shared library"
fi
capbound --check-config >/dev/null || fail "capbound --check-config: the installed policy"
say "linking as packaged; the installed policy passes --check-config"

# ---------------------------------------------------------------------------
part pam
ns=$work/ns
mkdir -p "$ns/home"
user=cbpkgtest
getent passwd "$user" >/dev/null && fail "a user $user exists already"
uid=$(awk -F: 'BEGIN { u = 61000 } { seen[$3] = 1 } END { while (u in seen) u++; print u }' /etc/passwd)
cp -p /etc/passwd /etc/shadow /etc/group "$ns/"
printf '%s:x:%s:%s::%s:/bin/sh\n' "$user" "$uid" "$uid" "$ns/home" >>"$ns/passwd"
printf '%s:x:%s:\n' "$user" "$uid" >>"$ns/group"
printf '%s:*:19000:0:99999:7:::\n' "$user" >>"$ns/shadow"
# The policy, root's and 0644 as the module demands.
install -m 0644 /dev/null "$ns/capbound.conf"
printf '%s\tdrop=net_raw,sys_ptrace\n' "$user" >"$ns/capbound.conf"
want=$(printf '%016x' $((16#$bnd & ~(1 << 13) & ~(1 << 19))))

# The inner script: $1 the work directory, $2 the user.
cat >"$ns/run.sh" <<'EOF'
set -euo pipefail
ns=$1 user=$2
mount --make-rprivate /
for d in /etc/pam.d /var/lib/pam /var/cache/debconf; do
	cp -a "$d" "$ns/copy-${d//\//_}"
	mount --bind "$ns/copy-${d//\//_}" "$d"
done
for f in passwd shadow group; do mount --bind "$ns/$f" "/etc/$f"; done
mount --bind "$ns/capbound.conf" /etc/security/capbound.conf
# su writes btmp/lastlog on failures: never the real ones.
mount -t tmpfs tmpfs /var/log
bnd() { su -s /bin/sh "$user" -c 'grep CapBnd /proc/self/status' | awk '{ print $2 }'; }
echo "off $(bnd)"
pam-auth-update --enable capbound
for s in common-session common-session-noninteractive; do
	echo "$s: $(grep pam_capbound "/etc/pam.d/$s" | tr -s '\t ' ' ' | sed 's/ $//')"
done
# where it landed: the session lines of the stack
grep -v '^#' /etc/pam.d/common-session | grep . | sed 's/^/  | /'

echo "on $(bnd)"
EOF
timeout -k 5 120 unshare -m -n bash "$ns/run.sh" "$ns" "$user" >"$ns/out" 2>&1 ||
	{ cat "$ns/out"; fail "the namespace run: status $?"; }
sed 's/^/  /' "$ns/out"
grep -qx "off $bnd" "$ns/out" ||
	fail "before pam-auth-update --enable, su's CapBnd was not $bnd"
grep -qx "common-session: session required pam_capbound.so" "$ns/out" ||
	fail "pam-auth-update did not add the session line to common-session"
grep -qx "common-session-noninteractive: session required pam_capbound.so" "$ns/out" ||
	fail "pam-auth-update did not add the session line to common-session-noninteractive"
grep -qx "on $want" "$ns/out" ||
	fail "with the profile enabled, su's CapBnd is not $want (net_raw, sys_ptrace dropped)"
say "su -s /bin/sh $user: CapBnd $bnd without the profile, $want with it"
state | cmp -s - "$work/state.installed" ||
	{ state | diff "$work/state.installed" - || true; fail "the namespace run changed the real PAM configuration"; }
getent passwd "$user" >/dev/null && fail "$user leaked out of the namespace"

# ---------------------------------------------------------------------------
part purge
for p in "${pkgs[@]}"; do dpkg -L "$p"; done | grep -vx "/\." | sort -u >"$work/listed"
cmp -s "$work/listed" "$work/paths" ||
	{ diff "$work/paths" "$work/listed" || true; fail "dpkg -L lists other paths than the .debs hold"; }
"${apt[@]}" purge "${pkgs[@]}" >"$work/purge.log" 2>&1 ||
	{ cat "$work/purge.log"; fail "apt-get purge"; }
installed=0
left=0
while IFS= read -r p; do
	if grep -qxF -- "$p" "$work/paths.before"; then
		[ -e "$p" ] || { echo "  removed, was there before: $p"; left=1; }
	elif [ -e "$p" ] || [ -L "$p" ]; then
		echo "  left behind: $p"; left=1
	fi
done <"$work/listed"
[ "$left" -eq 0 ] || fail "the purge left the paths above"
[ ! -e "$policy" ] || fail "the purge left the conffile $policy"
for p in "${pkgs[@]}"; do
	case $(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null) in
	'' | un*) ;;
	*) fail "$p is still known to dpkg after the purge" ;;
	esac
done
if compgen -G '/var/lib/dpkg/info/libpam-capbound*' >/dev/null ||
	compgen -G '/var/lib/dpkg/info/capbound*' >/dev/null; then
	fail "maintainer scripts left in /var/lib/dpkg/info"
fi
state | cmp -s - "$work/state.before" ||
	{ state | diff "$work/state.before" - || true; fail "the PAM configuration differs from before"; }
say "purged: $(wc -l <"$work/listed") paths listed, none left but the $(wc -l <"$work/paths.before") shared directories; /etc/pam.d/common-*, /var/lib/pam and debconf as before"

part end
printf 'ci-package: costs:\n%s  total     %4d s\n' "$costs" $((SECONDS - t0))
say "all passed"
