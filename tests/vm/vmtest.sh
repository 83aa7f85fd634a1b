#!/usr/bin/env bash
# Boot Debian's own cloud kernels (older kernels than the host's, with BPF
# LSM and trampolines allowed) under QEMU software emulation, run the
# tracer's scenarios inside (tests/vm/init and its suites), and report
# their pass/fail lines. Four boots, side by side: "main" (Debian's
# default modules: AppArmor, Landlock, BPF LSM) and "selinux" (SELinux
# instead of AppArmor, which needs the lsm= boot parameter) on the release's
# own kernel (6.1 on bookworm); "main-6.12", the main suite again on
# Debian's 6.12 cloud kernel (bookworm-backports, or trixie), so that CO-RE
# is proven on 6.1, 6.12 and the host's kernel; and "smb" (Samba's smbd
# serving a share in the guest, mounted twice by the kernel's cifs client:
# its initramfs has Samba, cifs-utils and the kernel's cifs modules too).
# Usage: tests/vm/vmtest.sh BUILD_DIR
set -uo pipefail

BUILD=$(realpath "${1:?usage: vmtest.sh BUILD_DIR}")
HERE=$(cd "$(dirname "$0")" && pwd)
VM=$BUILD/vm
mkdir -p "$VM"

die() {
	echo "vmtest: $*" >&2
	echo "vmtest: 0 passed, 1 failed"
	exit 1
}

# LT_VM_SUITES="main" runs only some boots (while working on them).
suites=${LT_VM_SUITES:-main selinux main-6.12 smb}
need=(qemu-system-x86_64 busybox cpio gzip ldd apt-get dpkg-deb apparmor_parser checkpolicy)
[[ " $suites " == *" smb "* ]] && need+=(smbd smbpasswd mount.cifs depmod)
for t in "${need[@]}"; do
	command -v "$t" >/dev/null || die "missing $t (make deps installs it)"
done

# kernel DIR [APT-GET OPTIONS...]: the package linux-image-cloud-amd64
# points at, downloaded into DIR with apt-get (and those options), unpacked
# in DIR/root, cached there; prints its vmlinuz.
kernel() {
	local dir=$1 meta dep
	shift
	(
		cd "$dir" || exit 1
		[[ -n $(ls linux-image-cloud-amd64_*.deb 2>/dev/null) ]] ||
			apt-get "$@" download linux-image-cloud-amd64 >/dev/null 2>&1 || exit 1
		meta=$(ls linux-image-cloud-amd64_*.deb | head -1)
		dep=$(dpkg-deb -f "$meta" Depends | sed 's/ .*//;s/,.*//')
		[[ -n $(ls "${dep}"_*.deb 2>/dev/null) ]] || apt-get "$@" download "$dep" >/dev/null 2>&1 || exit 1
		[[ -d root/boot ]] || dpkg-deb -x "$(ls "${dep}"_*.deb | head -1)" root || exit 1
	) || return 1
	ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -1
}

# Debian's 6.12 cloud kernel: from the same registry the machine's apt
# configuration uses for its release (its URI, read from apt itself),
# through a sources list and a lists directory of our own in DIR: the
# system's sources and lists are neither read for it nor written. The first
# suite of LT_VM_612_SUITES (default: RELEASE-backports, then trixie) whose
# linux-image-cloud-amd64 is a 6.12 kernel. Prints its vmlinuz.
kernel612() {
	local dir=$VM/k6.12 codename uri suite ver opts
	mkdir -p "$dir/apt/lists/partial" || return 1
	opts=(-o "Dir::Etc::sourcelist=$dir/apt/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$dir/apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
	if [[ -z $(ls "$dir"/linux-image-cloud-amd64_*.deb 2>/dev/null) ]]; then
		# shellcheck disable=SC1091 # the machine's own
		codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
		# shellcheck disable=SC2016 # apt's format, not the shell's
		uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
			awk -v r="$codename" '$2 == r && $3 == "main" { print $1; exit }')
		[[ -n $codename && -n $uri ]] || return 1
		for suite in ${LT_VM_612_SUITES:-$codename-backports trixie}; do
			echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
				>"$dir/apt/sources.list"
			apt-get -qq "${opts[@]}" update >/dev/null 2>&1 || continue
			ver=$(apt-cache "${opts[@]}" policy linux-image-cloud-amd64 2>/dev/null | sed -n 's/^ *Candidate: //p')
			[[ $ver == 6.12.* ]] && break
			ver=
		done
		[[ -n $ver ]] || return 1
	fi
	kernel "$dir" "${opts[@]}"
}

if [[ " $suites " == *" main "* || " $suites " == *" selinux "* || " $suites " == *" smb "* ||
	" $suites " == *" bench "* ]]; then
	KERNEL=$(kernel "$VM") || die "cannot get Debian's linux-image-cloud-amd64"
	[[ -n $KERNEL ]] || die "no vmlinuz in the kernel package"
fi
if [[ " $suites " == *" main-6.12 "* ]]; then
	KERNEL612=$(kernel612) || die "cannot get Debian's 6.12 linux-image-cloud-amd64 (bookworm-backports or trixie)"
	[[ -n $KERNEL612 ]] || die "no vmlinuz in the 6.12 kernel package"
fi

# The SELinux boot's policy, compiled here.
checkpolicy -U allow -c 33 -o "$VM/policy.33" "$HERE/selinux.conf" >/dev/null ||
	die "cannot compile tests/vm/selinux.conf"

# The initramfs: busybox, our init and suites, the tracer, the workload, jq,
# AppArmor's parser, and the shared libraries they need at the same paths.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage" # the guest's /: mktemp made it 0700
mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,locks,run,vm}
cp "$(command -v busybox)" "$stage/bin/busybox"
cp "$HERE/init" "$stage/init" && chmod +x "$stage/init"
cp "$HERE"/suite-*.sh "$HERE/apparmor.profile" "$VM/policy.33" "$stage/vm/"
add() {
	local src=$1 dst=$2 lib
	mkdir -p "$stage$(dirname "$dst")"
	cp -L "$src" "$stage$dst"
	ldd "$src" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$stage$(dirname "$lib")"
		cp -Ln "$lib" "$stage$lib"
	done
}
add "$BUILD/locktrace" /bin/locktrace
add "$BUILD/tests/ltwork" /bin/ltwork
# The workload as a 32-bit program: its calls are ia32 system calls.
[[ -e $BUILD/tests/ltwork32 ]] || die "no $BUILD/tests/ltwork32 (make integ-bin builds it)"
add "$BUILD/tests/ltwork32" /bin/ltwork32
for t in bpfhold ltdeny.bpf.o; do
	[[ -e $BUILD/tests/$t ]] || die "no $BUILD/tests/$t (make vmtest builds it)"
done
add "$BUILD/tests/bpfhold" /bin/bpfhold
cp "$BUILD/tests/ltdeny.bpf.o" "$stage/vm/"
# The attach plans' benchmark (boot "bench", make bench-vm): its workload
# and floor, where make bench-bin built them.
[[ -e $BUILD/bench/lockloop ]] && add "$BUILD/bench/lockloop" /bin/lockloop
[[ -e $BUILD/bench/floor.bpf.o ]] && cp "$BUILD/bench/floor.bpf.o" "$stage/vm/"
add "$(command -v jq)" /bin/jq
add "$(command -v apparmor_parser)" /sbin/apparmor_parser
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1 >"$VM/initrd.gz") || die "cannot pack the initramfs"

# The smb boot's: the same, and a second archive after it (the kernel
# unpacks both): Samba's smbd and smbpasswd with the modules they load
# (smbd dlopens its own libraries: ldd does not list them), mount.cifs,
# the workload, and the kernel's modules the cifs client needs (with
# modules.dep made here: the package has none; busybox modprobe reads it).
smb_initrd() {
	local smb kver mods d
	smb=$(mktemp -d) || return 1
	chmod 755 "$smb"
	kver=$(ls "$VM/root/lib/modules" | head -1)
	mods=$VM/root/lib/modules/$kver
	[[ -e $mods/modules.dep ]] || depmod -b "$VM/root" "$kver" || return 1
	stage=$smb add "$(command -v smbd)" /usr/sbin/smbd &&
		stage=$smb add "$(command -v smbpasswd)" /usr/bin/smbpasswd &&
		stage=$smb add "$(command -v mount.cifs)" /sbin/mount.cifs &&
		stage=$smb add "$BUILD/tests/filestream" /bin/filestream || return 1
	find /usr/lib/x86_64-linux-gnu/samba \( -type f -o -type l \) -print | while read -r f; do
		[[ -f $f ]] && stage=$smb add "$f" "$f"
	done
	mkdir -p "$smb/lib/modules/$kver/kernel"
	for d in crypto lib arch/x86/crypto fs/smb fs/netfs fs/fscache fs/nls net/dns_resolver; do
		[[ -d $mods/kernel/$d ]] || continue
		mkdir -p "$smb/lib/modules/$kver/kernel/$(dirname "$d")"
		cp -r "$mods/kernel/$d" "$smb/lib/modules/$kver/kernel/$d"
	done
	cp "$mods"/modules.* "$smb/lib/modules/$kver/"
	(cd "$smb" && find . | cpio -o -H newc --quiet | gzip -1 >"$VM/smb.gz")
	local rc=$?
	rm -rf "$smb"
	((rc == 0)) && cat "$VM/initrd.gz" "$VM/smb.gz" >"$VM/initrd-smb.gz"
}
if [[ " $suites " == *" smb "* ]]; then
	[[ -e $BUILD/tests/filestream ]] || die "no $BUILD/tests/filestream (make vmtest builds it)"
	smb_initrd || die "cannot pack the smb boot's initramfs"
fi

# boot NAME KERNEL CPU SUITE [KERNEL PARAMETERS]: one VM, its console in
# $VM/NAME.log, its time in $VM/NAME.time; killed after LT_VM_TIMEOUT
# seconds (600).
boot() {
	local t0=$SECONDS initrd=$VM/initrd.gz
	[[ $1 == smb ]] && initrd=$VM/initrd-smb.gz
	local icount=()
	# The benchmark's guest keeps time by the instructions it runs.
	[[ $1 == bench ]] && icount=(-icount shift=0,sleep=off)
	timeout "${LT_VM_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg "${icount[@]}" -cpu "$3" -m 1024 -smp 1 -nographic -no-reboot \
		-kernel "$2" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 quiet lt.suite=$4 lt.name=$1 ${5:-}" </dev/null >"$VM/$1.log" 2>&1
	echo $((SECONDS - t0)) >"$VM/$1.time"
}
start=$(date +%s)
pids=()
for suite in $suites; do
	case $suite in
	selinux) boot selinux "$KERNEL" max selinux "lsm=lockdown,capability,landlock,yama,selinux,bpf" & ;;
	# Full preemption: fexit programs can be preempted (the race check).
	main) boot main "$KERNEL" max main "preempt=full" & ;;
	# Under TCG (QEMU 7.2), 6.12 with -cpu max's 5-level paging crashes
	# busybox at init, and one boot in four dies early in SLUB's
	# this_cpu_cmpxchg128 (a double fault, EFLAGS corrupt after
	# cmpxchg16b): without CX16 the kernel takes its other path.
	main-6.12) boot main-6.12 "$KERNEL612" max,la57=off,cx16=off main "preempt=full" & ;;
	smb) boot smb "$KERNEL" max smb & ;;
	# The attach plans' benchmark (make bench-vm), alone: lt.rounds=N and
	# lt.iter=N from LT_VM_BENCH_ROUNDS and LT_VM_BENCH_ITER.
	bench) boot bench "$KERNEL" max bench "lt.rounds=${LT_VM_BENCH_ROUNDS:-3} lt.iter=${LT_VM_BENCH_ITER:-20000}" & ;;
	*) die "no such boot: $suite (main, selinux, main-6.12, smb, bench)" ;;
	esac
	pids+=($!)
done
wait "${pids[@]}"
echo "vmtest: $suites: ran in $(($(date +%s) - start)) s (logs in $VM)"

# Each boot's lines and its own count, then the sum.
pass=0 fail=0
for suite in $suites; do
	log=$VM/$suite.log
	tr -d '\r' <"$log" | sed 's/^.*\(vmtest: kernel \)/\1/' | grep -E '^vmtest: |^(ok|not ok) [0-9]+ - |^# ' || true
	p=$(tr -d '\r' <"$log" | grep -cE '^ok [0-9]+ - ')
	f=$(tr -d '\r' <"$log" | grep -cE '^not ok [0-9]+ - ')
	if ! tr -d '\r' <"$log" | grep -q '^vmtest: done$'; then
		echo "vmtest: the $suite guest did not finish (see $log)"
		f=$((f + 1))
	fi
	((p + f > 0)) || f=1
	k=$(tr -d '\r' <"$log" | sed -n 's/.*vmtest: kernel \([^ ,]*\).*/\1/p' | head -n 1)
	echo "vmtest: $suite on ${k:-?}: $p passed, $f failed in $(cat "$VM/$suite.time" 2>/dev/null || echo '?') s"
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "vmtest: $pass passed, $fail failed"
((fail == 0))
