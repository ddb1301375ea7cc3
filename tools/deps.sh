#!/bin/sh
# tools/deps.sh build|demo|test - make sure what capbound needs is installed.
# As root on Debian it installs what is missing with apt-get; otherwise it
# prints the exact apt-get line and fails.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

what=${1:-build}

# Debian package: a file that shows it is installed.
build_pkgs="gcc:/usr/bin/gcc make:/usr/bin/make pkg-config:/usr/bin/pkg-config
libcap-dev:/usr/include/sys/capability.h libpopt-dev:/usr/include/popt.h
libpam0g-dev:/usr/include/security/pam_modules.h"
test_pkgs="perl:/usr/bin/prove libcap2-bin:/usr/sbin/setcap
util-linux:/usr/bin/setpriv util-linux:/usr/bin/unshare iproute2:/usr/sbin/ip
iputils-ping:/usr/bin/ping login:/usr/bin/su mandoc:/usr/bin/mandoc
shellcheck:/usr/bin/shellcheck clang:/usr/bin/clang valgrind:/usr/bin/valgrind
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
cppcheck:/usr/bin/cppcheck clang-tidy:/usr/bin/clang-tidy
strace:/usr/bin/strace bash-completion:/usr/share/bash-completion/bash_completion
libc6-dev:/usr/lib/x86_64-linux-gnu/libc.a
python3:/usr/bin/python3
sudo:/usr/bin/sudo openssl:/usr/bin/openssl
openssh-server:/usr/sbin/sshd openssh-client:/usr/bin/ssh cron:/usr/sbin/cron
expect:/usr/bin/expect login:/usr/bin/login util-linux:/usr/bin/nsenter"

demo_pkgs="iputils-ping:/usr/bin/ping libcap2-bin:/usr/sbin/getcap"

case $what in
build) want=$build_pkgs ;;
demo) want="$build_pkgs
$demo_pkgs" ;;
test) want="$build_pkgs
$test_pkgs" ;;
*) echo "usage: $0 build|demo|test" >&2; exit 2 ;;
esac

missing=""
for pf in $want; do
	pkg=${pf%%:*}
	file=${pf#*:}
	[ -e "$file" ] || missing="$missing $pkg"
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
