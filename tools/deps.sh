#!/bin/sh
# tools/deps.sh build|test|lint|fuzz|package|demo - make sure what one
# make target needs is installed, and nothing more: `make check` needs
# the build and test lists only; `make lint`, `make fuzz` and the package
# build (tools/ci-package.sh) have their own.
# As root on Debian it installs what is missing with apt-get; otherwise it
# prints the exact apt-get line and fails.
# Where dpkg-query exists, a package counts as installed by its status;
# elsewhere by the file or command after the colon (none of them depends
# on the architecture or on a compiler version).
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

what=${1:-build}

# Debian package:a file or command that shows it is installed.
build_pkgs="gcc:gcc make:make pkg-config:pkg-config
libc6-dev:/usr/include/stdio.h
libcap-dev:/usr/include/sys/capability.h libpopt-dev:/usr/include/popt.h
libpam0g-dev:/usr/include/security/pam_modules.h"
# What the tests run: prove, the capability and namespace tools, the
# real clients (su), the static build (libc.a: libc6-dev, above), the
# shells whose completions are tested and the terminal that drives them,
# start-stop-daemon (dpkg), and the real PAM clients of tests 60-65 (sshd,
# sudo, cron, login, expect to type passwords, openssl for their hashes),
# and nss_systemd for Debian's "files systemd" nsswitch.conf (tests 34, 38).
test_pkgs="perl:prove libcap2-bin:setcap util-linux:setpriv
util-linux:unshare iproute2:ip iputils-ping:ping login:su mandoc:mandoc
binutils:readelf valgrind:valgrind strace:strace
bash-completion:/usr/share/bash-completion/bash_completion
python3:python3 zsh:zsh fish:fish tmux:tmux dpkg:start-stop-daemon
sudo:sudo openssl:openssl openssh-server:/usr/sbin/sshd openssh-client:ssh
cron:/usr/sbin/cron expect:expect login:login util-linux:nsenter
libnss-systemd:/usr/share/doc/libnss-systemd"
lint_pkgs="cppcheck:cppcheck clang-tidy:clang-tidy shellcheck:shellcheck
mandoc:mandoc"
# libclang-rt-dev: the libFuzzer runtime of Debian's default clang.
fuzz_pkgs="clang:clang libclang-rt-dev:/usr/share/doc/libclang-rt-dev"
# The package build (debian/control's Build-Depends are the build list
# plus debhelper; dpkg-buildpackage also wants build-essential), lintian,
# and what tools/ci-package.sh runs around the installed packages.
package_pkgs="build-essential:/usr/share/build-essential/list debhelper:dh
dpkg-dev:dpkg-buildpackage lintian:lintian libpam-runtime:pam-auth-update
login:su debconf:debconf-show binutils:readelf util-linux:unshare
mount:mount"
demo_pkgs="iputils-ping:ping libcap2-bin:getcap"

case $what in
build) want=$build_pkgs ;;
demo) want="$build_pkgs $demo_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
lint) want="$build_pkgs $lint_pkgs" ;;
fuzz) want="$build_pkgs $fuzz_pkgs" ;;
package) want="$build_pkgs $package_pkgs" ;;
*) echo "usage: $0 build|test|lint|fuzz|package|demo" >&2; exit 2 ;;
esac

have() {
	if command -v dpkg-query >/dev/null 2>&1; then
		case $(dpkg-query -W -f '${db:Status-Abbrev}' "$1" 2>/dev/null) in
		ii*) return 0 ;;
		*) return 1 ;;
		esac
	fi
	case $2 in
	/*) [ -e "$2" ] ;;
	*) command -v "$2" >/dev/null 2>&1 ;;
	esac
}

missing=""
for pf in $want; do
	pkg=${pf%%:*}
	case " $missing " in *" $pkg "*) continue ;; esac
	have "$pkg" "${pf#*:}" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# Installing openssh-server or cron must not start a daemon: while
	# apt-get runs, invoke-rc.d asks policy-rc.d, and 101 says "no".
	# Ours only if there was none, and removed afterwards.
	rcd=/usr/sbin/policy-rc.d
	if [ ! -e "$rcd" ] && [ ! -L "$rcd" ]; then
		printf '#!/bin/sh\n# tools/deps.sh: no daemon starts\nexit 101\n' >"$rcd"
		chmod 0755 "$rcd"
		trap 'rm -f "$rcd"' EXIT
	fi
	# shellcheck disable=SC2086
	apt-get install -y -q $missing >/dev/null ||
		{ apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; }
	exit 0
fi
echo "deps: missing:$missing" >&2
echo "deps: run as root:  apt-get install -y$missing" >&2
exit 1
