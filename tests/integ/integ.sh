#!/usr/bin/env bash
# Integration tests for locktrace: real BPF tracing of a real workload.
#
#   tests/integ/integ.sh BUILD_DIR
#
# Needs root, BUILD_DIR/locktrace, BUILD_DIR/tests/ltwork and genrec, jq,
# setpriv, unshare, findmnt (util-linux), perl, iconv, GNU env/timeout
# (coreutils) and GNU time (/usr/bin/time). Every case works in its own mktemp -d directory and
# traces only its own workload processes (--pid, or --uid plus a -p pattern
# below that directory), so other activity on the machine cannot interfere.
# Prints TAP-style "ok N - name" / "not ok N - name" lines with "# "
# diagnostics, then "integ: N passed, N failed"; exits 1 if any failed.
# A case that cannot run counts as failed, never skipped.
# LT_KEEP=1 keeps the temporary directories; LT_ONLY="case_a case_b" runs
# only those cases (while working on them).
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck disable=SC2016
set -u
# Byte semantics for grep and friends (paths here are not all UTF-8).
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/integ/lib.sh
. "$HERE/lib.sh"

if (($# != 1)); then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$(cd "$1" 2>/dev/null && pwd) || BUILD=$1
LT=$BUILD/locktrace
LTWORK=$BUILD/tests/ltwork

SUITE_TMP=
TMPDIRS=()
PASSED=0
FAILED=0

cleanup() {
	reap_all
	if [[ ${LT_KEEP:-0} == 1 ]]; then
		echo "# kept: $SUITE_TMP ${TMPDIRS[*]}"
		return
	fi
	if [[ -n $SUITE_TMP ]]; then rm -rf -- "$SUITE_TMP"; fi
	local d
	for d in "${TMPDIRS[@]}"; do
		rm -rf -- "$d"
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=tests/integ/calls.sh
. "$HERE/calls.sh"
# shellcheck source=tests/integ/cli.sh
. "$HERE/cli.sh"
# shellcheck source=tests/integ/causes.sh
. "$HERE/causes.sh"
# shellcheck source=tests/integ/record.sh
. "$HERE/record.sh"
# shellcheck source=tests/integ/report.sh
. "$HERE/report.sh"
# shellcheck source=tests/integ/safety.sh
. "$HERE/safety.sh"
# shellcheck source=tests/integ/facts.sh
. "$HERE/facts.sh"
# shellcheck source=tests/integ/losses.sh
. "$HERE/losses.sh"
# shellcheck source=tests/integ/owner.sh
. "$HERE/owner.sh"
# shellcheck source=tests/integ/io.sh
. "$HERE/io.sh"
# shellcheck source=tests/integ/holders.sh
. "$HERE/holders.sh"

CASES=(
	case_eacces "uid 4242 open O_RDWR of a root 0600 .lock file -> EACCES event"
	case_flock "flock LOCK_EX|LOCK_NB on a held non-.lock file -> EWOULDBLOCK event"
	case_fcntl "fcntl F_SETLK on a held range -> fcntl_lock event with the range"
	case_relative "openat(dirfd) and cwd-relative names -> absolute path and path_arg"
	case_nonlock_and_all "non-lock paths untraced; --all reports a success"
	case_filters "--uid, --pid and --comm filters"
	case_burst "1000 failing opens -> 1000 events, 0 dropped"
	case_usage "usage errors exit 2, -o safety, unprivileged exit 1"
	case_hostile "JSON-hostile path and comm -> valid JSON Lines, path_hex"
	case_text "text output: header and one line per event, even with a newline in the path"
	case_creat "O_CREAT|O_EXCL under locks/ -> mode and flags"
	case_variants "open, creat, openat2, a thread, F_OFD_SETLK"
	case_patterns "-p glob forms; only the patterns apply, lock calls too"
	case_defaults "default lock names (*.lck, LOCK, locks/) and --uid 0"
	case_misc_opts "--duration, --force, --help, --version"
	case_overflow "ring buffer overflow: seen + dropped = made, warning while tracing"
	case_all_locks "--all: successful lock calls on any name; F_GETLK is not one"
	case_mountns "relative name below a mount, in another mount namespace"
	case_pipe "piped into head: ends by itself, exit 0, quietly"
	case_cause_perm "causes: dac, dac_search, acl, capability, lsm (Landlock), not_found"
	case_cause_fs "causes: readonly_fs, no_space, immutable, stale_lock"
	case_cause_locks "causes: lock_held (flock and fcntl, each with holders before and after tracing), bad_fd_mode"
	case_creator "a lock file's creator, seen in the kernel, named in a dac cause"
	case_lock_wait "lock_wait: blocking flock and F_SETLKW waits with their holder; --min-wait"
	case_explain_hostile "--explain with a hostile file name: escaped, and quoted in the fix"
	case_terminal_controls "a name with U+009B and U+202E: never raw in the text view, --explain, report text and Markdown"
	case_cause_container "causes inside a process's own root: absolute symlinks resolve there"
	case_probe "probe: what loads here; --mode auto falls back, lsm fails naming what is missing"
	case_attach "attach plans: probe lists them, auto's choice and a forced one on the tracing line, an unavailable one refused"
	case_observe_only "observe only: the same workload gives the same results with the tracer attached"
	case_cause_userns "capability: root of a user namespace over a file outside its map"
	case_matcher "matcher fallback without bpf_loop; step budget settled in user space"
	case_record "record: header, events, trailer; quiet stdout; 0600; usage errors"
	case_record_kill9 "record: kill -9 mid-burst leaves every complete line readable"
	case_record_full "record: a full filesystem is said once, counted, and tracing goes on"
	case_record_rotate "record: --rotate and --keep, each part with its header"
	case_record_rotate_blocked "record: a rotation that cannot be done is said once, counted, and recording goes on"
	case_report "report of a recorded incident: totals, groups, contention, filters, formats"
	case_report_html "report -f html: self-contained, rendered by Chromium, groups in its DOM"
	case_report_input "report: bad input gets one line and its exit code; a cut recording a warning"
	case_pidfile_special "lock paths that are links to devices and FIFOs, FIFOs, devices: never opened, each said"
	case_explain_symlink "--explain through a symbolic link: named, never chowned through; the real file named"
	case_force_replace "--force replaces the file: a new root 0600 inode; a held old descriptor sees nothing new"
	case_stdout_eintr "Ctrl-C while standard output is blocked: every event, the summary, exit 0"
	case_columns "COLUMNS=2000000000: the text view is clamped"
	case_facts_hung_fuse "a FUSE daemon stopped after a refusal: reported in time, others flow, SIGINT exits"
	case_facts_locks_storm "lock failures among 20,000 held locks: /proc/locks read once, not per failure"
	case_facts_truncated_path "a path too deep to capture: flagged, its captured end never looked up as a path"
	case_path_limits "path limits: 4094..5000-byte names, relative and lock-call paths, flagged exactly when cut"
	case_unreadable "arguments gone from user memory at exit, or never readable: counted by reason"
	case_ia32 "ia32 calls reported by name; their lock waits leave no record behind"
	case_ia32_syscalls "syscalls plan: ia32 open and flock not reported (the gap), native ones are; an ia32 wait's record ends with its thread"
	case_lock_waits_full "lock_waits full: each lock-wait sleep that cannot be recorded is counted"
	case_report_hostile "report of a hostile recording: every format, exact counts past the limits, bounded memory"
	case_owner_hint "owner_hint: lock files of another uid naming a live pid, a dead one, pid@host, Kudu's JSON"
	case_owner_hint_fuse "owner_hint on a FUSE mount: read whatever else is known; a FIFO and a link never opened"
	case_io_append_only "ftruncate EPERM on an append-only lock file: native, ia32 (ftruncate, ftruncate64), truncate by name"
	case_io_no_space "write and fallocate ENOSPC in a tmpfs with inodes but no blocks: native and ia32, the filesystem's figures"
	case_io_fd_mode "write on O_RDONLY, pread on O_WRONLY (EBADF), ftruncate on O_RDONLY (EINVAL), ia32 write: bad_fd_mode"
	case_io_dotnet ".NET FileStream sequence: ftruncate EPERM, write ENOSPC, flock EWOULDBLOCK, each step's event and cause"
	case_io_quiet "successful reads and writes never reported, --all included; a FIFO's failure neither"
	case_holders_tmpfs "--holders-fs tmpfs: locks taken and let go each its own way, paired; other filesystems not reported; a full holds table counted"
	case_holders_crosshost "two hosts' recordings of one share (bindfs twice, --host): report sets B's refusal against A's hold"
)

# Whatever would make every case fail: said once, each case then fails.
preflight() {
	local t
	(($(id -u) == 0)) || echo "not root"
	[[ -x $LT ]] || echo "no $LT (make)"
	[[ -x $LTWORK ]] || echo "no $LTWORK (make integ-bin)"
	for t in jq setpriv unshare perl iconv findmnt timeout; do
		command -v "$t" >/dev/null 2>&1 || echo "$t not installed"
	done
	env --default-signal=INT true 2>/dev/null || echo "env lacks --default-signal (coreutils >= 8.31)"
	[[ -x /usr/bin/time ]] || echo "/usr/bin/time (GNU time) not installed"
	[[ -x $BUILD/tests/genrec ]] || echo "no $BUILD/tests/genrec (make integ-bin)"
}

PREFLIGHT=$(preflight)
SUITE_TMP=$(mktemp -d /tmp/locktrace-integ.XXXXXX) || {
	echo "integ: mktemp failed" >&2
	exit 1
}
echo "1..$((${#CASES[@]} / 2))"

for ((i = 0; i < ${#CASES[@]}; i += 2)); do
	num=$((i / 2 + 1))
	fn=${CASES[i]}
	title=${CASES[i + 1]}
	if [[ -n ${LT_ONLY:-} && " $LT_ONLY " != *" $fn "* ]]; then
		continue
	fi
	if [[ -n $PREFLIGHT ]]; then
		echo "not ok $num - $title"
		while IFS= read -r why; do echo "# cannot run: $why"; done <<<"$PREFLIGHT"
		FAILED=$((FAILED + 1))
		continue
	fi
	ART=$SUITE_TMP/$num-$fn
	DIAG=$ART/diagnostics.txt
	mkdir -p "$ART"
	: >"$DIAG"
	CASE_FAILS=0
	WL_PENDING=()
	start_ms=$(now_ms)
	if dir=$(mktemp -d "/tmp/lt-$fn.XXXXXX"); then
		TMPDIRS+=("$dir")
		chmod 755 "$dir"
		dir=$(realpath "$dir")
		"$fn" "$dir"
		rc=$?
		reap_all
	else
		fail "mktemp -d failed"
		rc=1
	fi
	if ((rc != 0 && CASE_FAILS == 0)); then
		fail "$fn returned $rc"
	fi
	elapsed=$(($(now_ms) - start_ms))
	if ((CASE_FAILS == 0)); then
		echo "ok $num - $title (${elapsed} ms)"
		PASSED=$((PASSED + 1))
	else
		echo "not ok $num - $title (${elapsed} ms)"
		sed 's/^/# /' "$DIAG"
		dump_art
		FAILED=$((FAILED + 1))
	fi
done

echo "integ: $PASSED passed, $FAILED failed"
((FAILED == 0))
