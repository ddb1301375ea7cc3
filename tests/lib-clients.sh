# shellcheck shell=sh
# tests/lib-clients.sh - run the real PAM clients (su, runuser, sudo, sshd,
# login, cron) with their stock Debian stacks, inside private mount and
# network (optionally pid) namespaces.  Sourced after lib.sh.
#
#   clients_init                     copies of passwd, shadow, group
#   clients_user NAME UID GECOS [PASSWORD [SHELL]]
#                                    a user (and its own group, gid = uid),
#                                    home $CLIENTS_DIR/home/NAME; no
#                                    PASSWORD: "*" (no password login)
#   clients_password NAME PASSWORD   set a password (root's too) in the copy
#   clients_group NAME GID MEMBERS   a group, MEMBERS comma-separated
#   clients_pam SERVICE LINE [ERE]   /etc/pam.d/SERVICE as shipped plus LINE,
#                                    after the last line matching ERE (else at
#                                    the end); each call starts from the stock
#                                    file again
#   clients_pam_reset                back to every stock pam.d file
#   clients_bind SRC DST             one more bind mount in the namespace
#   clients_unbind DST               no more bind mount at DST
#   clients_probe_init               $CLIENTS_DIR/probe and a set-user-ID-root
#                                    copy of cat, $CLIENTS_SUIDCAT
#   clients_run [-p] CMD...          CMD in the namespaces: stdout $TMP/out,
#                                    stderr $TMP/err, status $rc (99: the
#                                    namespace could not be set up, 124: it
#                                    timed out after $CLIENTS_TIMEOUT s)
#
# With CLIENTS_LOG=1, clients_run also puts a syslog sink (helper-logsink)
# at /dev/log in the namespace (an overlay of /dev, /dev/pts and /dev/shm
# moved over); the messages land in $CLIENTS_DIR/log, emptied each run,
# the last line being clients_run's own "end-of-run".
#
# The probe: "$CLIENTS_DIR/probe TAG" run in a session writes, under
# $CLIENTS_DIR/res/, TAG.id (id), TAG.status (its own /proc/self/status),
# TAG.suid (the set-user-ID-root cat's /proc/self/status) and TAG.ping
# (ping 127.0.0.1 and "ping-rc=N"), TAG.tree (name, CapBnd, ppid of the
# probe and each ancestor); clients_ran TAG says whether it ran.
# Nothing outside $TMP changes; the real files are only read.

# Never without lib.sh's TMP: every rm below is under it.
CLIENTS_DIR=${TMP:?source lib.sh first}/clients
CLIENTS_TIMEOUT=${CLIENTS_TIMEOUT:-60}
CLIENTS_LOG=${CLIENTS_LOG:-0}
CLIENTS_SUIDCAT=$CLIENTS_DIR/suidcat

clients_init() {
	mkdir -p "$CLIENTS_DIR/pam.d" "$CLIENTS_DIR/home" "$CLIENTS_DIR/res" &&
	chmod 0755 "$CLIENTS_DIR" "$CLIENTS_DIR/home" &&
	chmod 1777 "$CLIENTS_DIR/res" &&
	cp -p /etc/passwd /etc/shadow /etc/group "$CLIENTS_DIR/" &&
	: >"$CLIENTS_DIR/binds"
}

# clients_hash PASSWORD: a SHA-512 crypt(3) hash, as passwd(1) would write
clients_hash() {
	if command -v openssl >/dev/null 2>&1; then
		openssl passwd -6 "$1"
	else
		mkpasswd -m sha-512 "$1"
	fi
}

clients_user() {
	_cu_home=$CLIENTS_DIR/home/$1
	printf '%s:x:%s:%s:%s:%s:%s\n' "$1" "$2" "$2" "$3" "$_cu_home" \
		"${5:-/bin/sh}" >>"$CLIENTS_DIR/passwd" &&
	printf '%s:x:%s:\n' "$1" "$2" >>"$CLIENTS_DIR/group" &&
	printf '%s:*:19000:0:99999:7:::\n' "$1" >>"$CLIENTS_DIR/shadow" &&
	mkdir -p "$_cu_home" && chown "$2:$2" "$_cu_home" &&
	chmod 0755 "$_cu_home" || return 1
	[ $# -lt 4 ] || [ -z "$4" ] || clients_password "$1" "$4"
}

clients_password() {
	_cp_hash=$(clients_hash "$2") || return 1
	# ENVIRON, not -v: awk would read backslashes in -v values as escapes.
	CP_USER=$1 CP_HASH=$_cp_hash awk -F: -v OFS=: \
		'$1 == ENVIRON["CP_USER"] { $2 = ENVIRON["CP_HASH"] } { print }' \
		"$CLIENTS_DIR/shadow" >"$CLIENTS_DIR/shadow.new" &&
	cat "$CLIENTS_DIR/shadow.new" >"$CLIENTS_DIR/shadow" &&
	rm -f "$CLIENTS_DIR/shadow.new"
}

clients_group() {
	printf '%s:x:%s:%s\n' "$1" "$2" "$3" >>"$CLIENTS_DIR/group"
}

clients_pam() {
	_cp_src=/etc/pam.d/$1
	[ -f "$_cp_src" ] || { diag "no $_cp_src"; return 1; }
	_cp_at=$(wc -l <"$_cp_src")
	if [ $# -ge 3 ]; then
		_cp_at=$(grep -nE "$3" "$_cp_src" | tail -n 1 | cut -d: -f1)
		[ -n "$_cp_at" ] || { diag "no line like $3 in $_cp_src"; return 1; }
	fi
	CP_LINE=$2 awk -v at="$_cp_at" \
		'{ print } NR == at { print ENVIRON["CP_LINE"] }' \
		"$_cp_src" >"$CLIENTS_DIR/pam.d/$1"
	# An empty stock file: the line alone.
	[ "$_cp_at" -ne 0 ] || printf '%s\n' "$2" >"$CLIENTS_DIR/pam.d/$1"
	chmod 0644 "$CLIENTS_DIR/pam.d/$1"
}

clients_pam_reset() { rm -f "$CLIENTS_DIR"/pam.d/*; }

clients_bind() { printf '%s\t%s\n' "$1" "$2" >>"$CLIENTS_DIR/binds"; }
clients_unbind() {
	CU_DST=$1 awk -F '\t' '$2 != ENVIRON["CU_DST"]' "$CLIENTS_DIR/binds" \
		>"$CLIENTS_DIR/binds.new" &&
	mv "$CLIENTS_DIR/binds.new" "$CLIENTS_DIR/binds"
}

clients_probe_init() {
	cp /bin/cat "$CLIENTS_SUIDCAT" && chown 0:0 "$CLIENTS_SUIDCAT" &&
	chmod 4755 "$CLIENTS_SUIDCAT" || return 1
	cat >"$CLIENTS_DIR/probe" <<EOF
#!/bin/sh
# probe TAG: what this session holds, seen by the kernel
r=$CLIENTS_DIR/res/\$1
id >"\$r.id.tmp"
cat /proc/self/status >"\$r.status.tmp"
$CLIENTS_SUIDCAT /proc/self/status >"\$r.suid.tmp"
{ ping -c 1 -W 2 127.0.0.1 2>&1; echo "ping-rc=\$?"; } >"\$r.ping.tmp"
# which processes hold what: the probe and its ancestors
p=\$\$
while [ "\$p" -gt 1 ] 2>/dev/null; do
	sed -n 's/^\\(Name\\|CapBnd\\|PPid\\):[[:space:]]*//p' /proc/\$p/status |
		tr '\\n' ' '
	echo
	p=\$(sed -n 's/^PPid:[[:space:]]*//p' /proc/\$p/status)
done >"\$r.tree.tmp"
for f in id status suid ping tree; do mv "\$r.\$f.tmp" "\$r.\$f"; done
echo "probe \$1 ran"
EOF
	chmod 0755 "$CLIENTS_DIR/probe"
}

# clients_ran TAG: did the probe run as TAG?
clients_ran() { [ -e "$CLIENTS_DIR/res/$1.status" ]; }
# clients_field TAG WHAT KEY: KEY from TAG.WHAT (status or suid)
clients_field() { status_field "$CLIENTS_DIR/res/$1.$2" "$3"; }
clients_res_reset() { rm -f "$CLIENTS_DIR"/res/*; }

clients_run() {
	_cr_pid=""
	if [ "${1:-}" = -p ]; then
		_cr_pid="-p --fork --mount-proc"
		shift
	fi
	[ "${1:-}" != -- ] || shift
	: >"$CLIENTS_DIR/log"
	rm -rf "$CLIENTS_DIR/devup" "$CLIENTS_DIR/devwork"
	mkdir -p "$CLIENTS_DIR/devup" "$CLIENTS_DIR/devwork" \
		"$CLIENTS_DIR/pts" "$CLIENTS_DIR/shm"
	# shellcheck disable=SC2016,SC2086 # $1.. belong to the inner sh
	timeout -k 5 "$CLIENTS_TIMEOUT" unshare -m -n $_cr_pid sh -c '
		D=$1 log=$2 sink=$3; shift 3
		mount --bind "$D/passwd" /etc/passwd &&
		mount --bind "$D/shadow" /etc/shadow &&
		mount --bind "$D/group" /etc/group || exit 99
		# su and login write btmp/wtmp/lastlog: never the real ones.
		mount -t tmpfs tmpfs /var/log || exit 99
		for f in "$D"/pam.d/*; do
			[ -e "$f" ] || continue
			mount --bind "$f" "/etc/pam.d/${f##*/}" || exit 99
		done
		while IFS="	" read -r s d; do
			mount --bind "$s" "$d" || exit 99
		done <"$D/binds"
		ip link set lo up || exit 99
		spid=""
		if [ "$log" = 1 ]; then
			mount --bind /dev/pts "$D/pts" &&
			mount --bind /dev/shm "$D/shm" &&
			mount -t overlay overlay -o "lowerdir=/dev,upperdir=$D/devup,workdir=$D/devwork" /dev &&
			mount --move "$D/pts" /dev/pts &&
			mount --move "$D/shm" /dev/shm || exit 99
			"$sink" /dev/log "$D/log" & spid=$!
			n=0
			while [ ! -S /dev/log ] && [ $n -lt 300 ]; do
				n=$((n + 1)); sleep 0.01
			done
			[ -S /dev/log ] || exit 99
		fi
		"$@"; r=$?
		if [ -n "$spid" ]; then
			# Datagrams still queued die with the sink: send a last
			# one and stop the sink once that has been written.
			logger -d -u /dev/log -t clients_run end-of-run
			n=0
			while ! grep -q "clients_run.*end-of-run" "$D/log" &&
				[ $n -lt 300 ]; do
				n=$((n + 1)); sleep 0.01
			done
			kill "$spid"
		fi
		exit "$r"' sh "$CLIENTS_DIR" "$CLIENTS_LOG" "$TESTS_DIR/helper-logsink" \
		"$@" >"$TMP/out" 2>"$TMP/err"
	# shellcheck disable=SC2034
	rc=$?
}
