#!/usr/bin/env bash
# Install what building and testing locktrace needs, from the distribution's
# package registry, only where something is missing. Debian and Ubuntu.
set -euo pipefail

# command-or-file  package
need=(
	"clang clang"
	"bpftool bpftool"
	"make make"
	"cc gcc"
	"pkg-config pkg-config"
	"jq jq"
	"setpriv util-linux"
	"setfacl acl"
	"chattr e2fsprogs"
	"qemu-system-x86_64 qemu-system-x86"
	"busybox busybox-static"
	"cpio cpio"
	"apparmor_parser apparmor"
	"checkpolicy checkpolicy"
	"chromium chromium"
	"/usr/bin/time time"
	"bc bc"
	"opensnoop libbpf-tools"
	"bpftrace bpftrace"
	"/usr/include/bpf/libbpf.h libbpf-dev"
	"/usr/include/gelf.h libelf-dev"
	"/usr/include/zlib.h zlib1g-dev"
	"/usr/include/cmocka.h libcmocka-dev"
	"/usr/include/simdjson.h libsimdjson-dev"
	"c++ g++"
	"/usr/include/linux/landlock.h linux-libc-dev"
	"bindfs bindfs"
	"fusermount3 fuse3"
	"strace strace"
	"/usr/include/x86_64-linux-gnu/gnu/stubs-32.h gcc-multilib"
	"smbd samba"
	"mount.cifs cifs-utils"
	"depmod kmod"
	"/usr/lib/python3/dist-packages/jsonschema/__init__.py python3-jsonschema"
)

missing=()
for entry in "${need[@]}"; do
	what=${entry% *}
	pkg=${entry#* }
	if [[ $what == /* ]]; then
		[[ -e $what ]] && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	missing+=("$pkg")
done

[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
	echo "deps: missing packages: ${missing[*]}; run as root (sudo make deps)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
if ! install "${missing[@]}"; then
	# Ubuntu ships bpftool in linux-tools rather than its own package.
	rest=()
	for p in "${missing[@]}"; do [[ $p == bpftool ]] || rest+=("$p"); done
	[[ ${#rest[@]} -gt 0 ]] && install "${rest[@]}"
	if ! command -v bpftool >/dev/null 2>&1; then
		install linux-tools-common "linux-tools-$(uname -r)" || {
			echo "deps: cannot install bpftool" >&2
			exit 1
		}
	fi
fi
