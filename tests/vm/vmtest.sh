#!/usr/bin/env bash
# Boot Debian's own cloud kernel (an older kernel than the host's, with BPF
# LSM and trampolines allowed) under QEMU software emulation, run the
# tracer's scenarios inside (tests/vm/init), and report their pass/fail
# lines. Usage: tests/vm/vmtest.sh BUILD_DIR
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

for t in qemu-system-x86_64 busybox cpio gzip ldd apt-get dpkg-deb; do
	command -v "$t" >/dev/null || die "missing $t (make deps installs it)"
done

# The kernel: the package linux-image-cloud-amd64 points at, unpacked, cached.
kernel() {
	local meta dep
	(
		cd "$VM" || exit 1
		[[ -n $(ls linux-image-cloud-amd64_*.deb 2>/dev/null) ]] ||
			apt-get download linux-image-cloud-amd64 >/dev/null 2>&1 || exit 1
		meta=$(ls linux-image-cloud-amd64_*.deb | head -1)
		dep=$(dpkg-deb -f "$meta" Depends | sed 's/ .*//;s/,.*//')
		[[ -n $(ls "${dep}"_*.deb 2>/dev/null) ]] || apt-get download "$dep" >/dev/null 2>&1 || exit 1
		[[ -d root/boot ]] || dpkg-deb -x "$(ls "${dep}"_*.deb | head -1)" root || exit 1
	) || return 1
	ls "$VM"/root/boot/vmlinuz-* 2>/dev/null | head -1
}
KERNEL=$(kernel) || die "cannot get Debian's linux-image-cloud-amd64"
[[ -n $KERNEL ]] || die "no vmlinuz in the kernel package"

# The initramfs: busybox, our init, the tracer, the workload, jq, and the
# shared libraries they need at the same paths.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage" # the guest's /: mktemp made it 0700
mkdir -p "$stage"/{bin,proc,sys,dev,tmp,locks,run}
cp "$(command -v busybox)" "$stage/bin/busybox"
cp "$HERE/init" "$stage/init" && chmod +x "$stage/init"
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
add "$(command -v jq)" /bin/jq
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1 >"$VM/initrd.gz") || die "cannot pack the initramfs"

log=$VM/console.log
start=$(date +%s)
timeout 300 qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 1 -nographic -no-reboot \
	-kernel "$KERNEL" -initrd "$VM/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null >"$log" 2>&1
echo "vmtest: $(basename "$KERNEL") booted and ran in $(($(date +%s) - start)) s (log: $log)"

tr -d '\r' <"$log" | grep -E '^vmtest: |^(ok|not ok) [0-9]+ - |^# ' || true
pass=$(tr -d '\r' <"$log" | grep -cE '^ok [0-9]+ - ')
fail=$(tr -d '\r' <"$log" | grep -cE '^not ok [0-9]+ - ')
if ! tr -d '\r' <"$log" | grep -q '^vmtest: done$'; then
	echo "vmtest: the guest did not finish (see $log)"
	fail=$((fail + 1))
fi
((pass + fail > 0)) || fail=1
echo "vmtest: $pass passed, $fail failed"
((fail == 0))
