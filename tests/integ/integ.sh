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

RFC3339_US='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$'

# Checks every event of FILE must pass, whatever the case.
expect_common_fields() {
	local file=$1 now
	now=$(date +%s)
	local checks=(
		"time is RFC 3339 UTC with microseconds" '.time | type == "string" and test("'"$RFC3339_US"'")'
		"time within 5 minutes of now" '(.time | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) - $now | (if . < 0 then -. else . end) < 300'
		"event is open|flock|fcntl_lock" '.event as $v | ["open", "flock", "fcntl_lock"] | any(. == $v)'
		"syscall is known" '.syscall as $v | ["open", "openat", "openat2", "creat", "flock", "fcntl"] | any(. == $v)'
		"numeric ids" '[.pid, .tid, .ppid, .uid, .gid, .euid, .egid, .fsuid, .fsgid, .ret, .errno, .cgroup_id, .mntns] | all(type == "number")'
		"groups is an array of numbers" '.groups | type == "array" and all(type == "number")'
		"cap_eff is a hex string" '.cap_eff | type == "string" and test("^(0x)?[0-9a-fA-F]+$")'
		"comm is a string" '.comm | type == "string" and length > 0'
		"path is absolute" '.path | type == "string" and startswith("/")'
		"flags is a string" '.flags | type == "string" and length > 0'
		"error present iff errno != 0" 'if .errno == 0 then (has("error") | not) else (.error | type == "string" and test("^E[A-Z0-9]+$")) end'
		"ret < 0 iff errno != 0" '(.ret < 0) == (.errno != 0)'
	)
	local i
	for ((i = 0; i < ${#checks[@]}; i += 2)); do
		expect_jq "every event: ${checks[i]}" "$file" "all(.[]; ${checks[i + 1]})" --argjson now "$now"
	done
}

# hexof FILE: its bytes in lower-case hex, one line.
hexof() {
	perl -0777 -ne 'print unpack("H*", $_), "\n"' "$1"
}

# Root-owned 0600 file: uid 4242 gets EACCES opening it.
make_private() {
	: >"$1" && chmod 600 "$1"
}

# The cgroup v2 id of this shell (and so of its children): the inode of its
# cgroup directory; empty if no cgroup2 mount is visible.
own_cgroup_id() {
	local mnt rel
	mnt=$(findmnt -n -t cgroup2 -o TARGET 2>/dev/null | head -n 1)
	rel=$(sed -n 's/^0:://p' /proc/self/cgroup)
	if [[ -n $mnt && -n $rel && -d $mnt$rel ]]; then
		stat -c %i "$mnt$rel"
	fi
}

# Device numbers of FILE as locktrace may print them: kernel encoding
# (major << 20 | minor), glibc makedev() encoding, "major:minor".
dev_forms() {
	local maj min
	maj=$(stat -c %Hd "$1")
	min=$(stat -c %Ld "$1")
	printf '%s %s "%s:%s"\n' $(((maj << 20) | min)) \
		$((((maj & 0xfff) << 8) | (min & 0xff) | ((min & ~0xff) << 12) | ((maj & ~0xfff) << 32))) \
		"$maj" "$min"
}

# expect_lock_file_ids FILE EVENT-FILE: .ino and .dev of the one event are
# those of FILE.
expect_lock_file_ids() {
	local forms
	forms=$(dev_forms "$1")
	expect_jq "ino of $1" "$2" '.[0].ino == $ino' --argjson ino "$(stat -c %i "$1")"
	expect_jq "dev of $1 (one of $forms)" "$2" '.[0].dev as $d | $forms | any(. == $d)' \
		--argjson forms "[${forms// /,}]"
}

# ---------------------------------------------------------------- cases

# 1. uid 4242 opens a root-owned 0600 status.lock O_RDWR: EACCES.
case_eacces() {
	local dir=$1 json=$ART/lt.json f pid cg mntns
	f=$dir/status.lock
	make_private "$f" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-eacces open "$f" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_jq "exactly one event" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "event open" "$json" '.[0].event == "open"'
	expect_jq "syscall open or openat" "$json" '.[0].syscall == "open" or .[0].syscall == "openat"'
	expect_jq "pid and tid = workload pid" "$json" '.[0].pid == $p and .[0].tid == $p' --argjson p "$pid"
	expect_jq "ppid = this shell" "$json" '.[0].ppid == $pp' --argjson pp "$$"
	expect_jq "uid/euid/fsuid 4242" "$json" '.[0] | .uid == 4242 and .euid == 4242 and .fsuid == 4242'
	expect_jq "gid/egid/fsgid 4242" "$json" '.[0] | .gid == 4242 and .egid == 4242 and .fsgid == 4242'
	expect_jq "no supplementary groups" "$json" '.[0].groups == []'
	expect_jq "cap_eff 0 after setuid" "$json" '.[0].cap_eff | ascii_downcase | ltrimstr("0x") | test("^0+$")'
	expect_jq "comm from --comm" "$json" '.[0].comm == "ltw-eacces"'
	expect_jq "absolute path" "$json" '.[0].path == $f' --arg f "$f"
	expect_jq "no path_arg for an absolute name" "$json" '.[0] | has("path_arg") | not'
	expect_jq "EACCES" "$json" '.[0] | .error == "EACCES" and .errno == 13 and .ret < 0'
	expect_jq "flags contain O_RDWR" "$json" '.[0].flags | split("|") | any(. == "O_RDWR")'
	expect_jq "no mode without O_CREAT" "$json" '.[0] | has("mode") | not'
	expect_jq "no lock object for an open" "$json" '.[0] | has("lock") | not'
	mntns=$(stat -L -c %i /proc/self/ns/mnt)
	expect_jq "mntns = $mntns" "$json" '.[0].mntns == $m' --argjson m "$mntns"
	cg=$(own_cgroup_id)
	if [[ -n $cg ]]; then
		expect_jq "cgroup_id = $cg" "$json" '.[0].cgroup_id == $c' --argjson c "$cg"
	else
		expect_jq "cgroup_id > 0" "$json" '.[0].cgroup_id > 0'
	fi
	# -j prints to stdout what -o writes to the file, between the
	# recording's header and trailer; stdout's last line, the stats line,
	# has the trailer's counters.
	if ! sed '1d;$d' "$json" | cmp -s - <(sed '$d' "$ART/lt.out"); then
		fail "-j stdout and the -o file differ"
	fi
	if ! cmp -s <(tail -n 1 "$json" | jq -c 'del(.type)') <(tail -n 1 "$ART/lt.out" | jq -c 'del(.type)'); then
		fail "-j stdout's last line does not have the trailer's counters: $(tail -n 1 "$ART/lt.out")"
	fi
	expect_counter "-j stdout's last line: a stats line, 1 seen, nothing dropped" "$ART/lt.out" \
		'.type == "stats" and .seen == 1 and .dropped_kernel == 0'
}

# 2. flock LOCK_EX|LOCK_NB on a file another process holds: EWOULDBLOCK.
# The file is not named like a lock file: lock calls are traced anyway.
case_flock() {
	local dir=$1 json=$ART/lt.json f pid
	f=$dir/data.db
	: >"$f" && chmod 644 "$f" || return 1
	hold_start holder hold-flock "$f" ex || return 1
	wl_start w "$dir/go" --comm ltw-flock flock "$f" ex nb || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_jq "exactly one event" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "event flock, syscall flock" "$json" '.[0] | .event == "flock" and .syscall == "flock"'
	expect_jq "pid" "$json" '.[0].pid == $p' --argjson p "$pid"
	expect_jq "errno 11, error EWOULDBLOCK or EAGAIN" "$json" \
		'.[0] | .errno == 11 and (.error == "EWOULDBLOCK" or .error == "EAGAIN") and .ret < 0'
	expect_jq "flags LOCK_EX|LOCK_NB" "$json" '.[0].flags == "LOCK_EX|LOCK_NB"'
	expect_jq "absolute path" "$json" '.[0].path == $f' --arg f "$f"
	expect_jq "fd = the workload's descriptor" "$json" '.[0].fd == $fd' --argjson fd "$(wl_value w fd)"
	expect_jq "root: cap_eff not 0" "$json" '.[0].cap_eff | ascii_downcase | ltrimstr("0x") | test("^0+$") | not'
	expect_lock_file_ids "$f" "$json"
}

# 3. fcntl F_SETLK write lock on a range another process holds.
case_fcntl() {
	local dir=$1 json=$ART/lt.json f pid res eno ename
	f=$dir/range.db
	: >"$f" && chmod 644 "$f" || return 1
	hold_start holder hold-fcntl "$f" 0 10 || return 1
	wl_start w "$dir/go" --comm ltw-fcntl setlk "$f" 5 20 w || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=(EAGAIN|EACCES) errno=(11|13)$'
	res=$(wl_result w)
	ename=${res%% *}
	ename=${ename#err=}
	eno=${res##*errno=}
	[[ $eno =~ ^[0-9]+$ ]] || eno=-1
	expect_jq "exactly one event" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "event fcntl_lock, syscall fcntl" "$json" '.[0] | .event == "fcntl_lock" and .syscall == "fcntl"'
	expect_jq "pid" "$json" '.[0].pid == $p' --argjson p "$pid"
	expect_jq "errno $eno / $ename as the workload saw" "$json" \
		'.[0] | .errno == $e and .error == $n and .ret < 0' --argjson e "$eno" --arg n "$ename"
	expect_jq "flags name F_SETLK" "$json" '.[0].flags | test("F_SETLK")'
	expect_jq "lock.cmd F_SETLK" "$json" '.[0].lock.cmd == "F_SETLK"'
	expect_jq "lock.type F_WRLCK" "$json" '.[0].lock.type == "F_WRLCK"'
	expect_jq "lock.whence SEEK_SET" "$json" '.[0].lock.whence == "SEEK_SET"'
	expect_jq "lock.start 5, lock.len 20" "$json" '.[0].lock.start == 5 and .[0].lock.len == 20'
	expect_jq "lock.pid 0" "$json" '.[0].lock.pid == 0'
	expect_jq "absolute path" "$json" '.[0].path == $f' --arg f "$f"
	expect_jq "fd = the workload's descriptor" "$json" '.[0].fd == $fd' --argjson fd "$(wl_value w fd)"
	expect_lock_file_ids "$f" "$json"
}

# 4. Relative names: openat(dirfd, "missing.lock") and open("missing2.lock")
# from the working directory. Both ENOENT; paths come out absolute.
case_relative() {
	local dir=$1 json=$ART/lt.json p1 p2
	mkdir -m 755 "$dir/sub" || return 1
	wl_start w1 "$dir/go" --comm ltw-openat openat "$dir/sub" missing.lock rdwr || return 1
	p1=$WL_PID
	wl_start_cwd w2 "$dir/go" "$dir" --comm ltw-cwd open missing2.lock rdwr || return 1
	p2=$WL_PID
	lt_start lt --pid "$p1,$p2" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w1 '^err=ENOENT errno=2$'
	expect_result w2 '^err=ENOENT errno=2$'
	expect_jq "exactly two events" "$json" 'length == 2' || return 1
	expect_common_fields "$json"
	expect_jq "one event per workload" "$json" '[.[].pid] | sort == ([$a, $b] | sort)' \
		--argjson a "$p1" --argjson b "$p2"
	expect_jq "openat: syscall openat, ENOENT" "$json" \
		'map(select(.pid == $p))[0] | .syscall == "openat" and .event == "open" and .error == "ENOENT" and .errno == 2' \
		--argjson p "$p1"
	expect_jq "openat: absolute path" "$json" 'map(select(.pid == $p))[0].path == $f' \
		--argjson p "$p1" --arg f "$dir/sub/missing.lock"
	expect_jq "openat: path_arg as passed" "$json" 'map(select(.pid == $p))[0].path_arg == "missing.lock"' \
		--argjson p "$p1"
	# The directory descriptor is "dirfd"; "fd" is for lock calls only.
	expect_jq "openat: dirfd = the workload's dirfd, no fd key" "$json" \
		'map(select(.pid == $p))[0] | .dirfd == $fd and (has("fd") | not)' \
		--argjson p "$p1" --argjson fd "$(wl_value w1 dirfd)"
	expect_jq "cwd open: absolute path" "$json" 'map(select(.pid == $p))[0].path == $f' \
		--argjson p "$p2" --arg f "$dir/missing2.lock"
	expect_jq "cwd open: path_arg as passed" "$json" 'map(select(.pid == $p))[0].path_arg == "missing2.lock"' \
		--argjson p "$p2"
	expect_jq "cwd open: no dirfd/fd (AT_FDCWD)" "$json" \
		'map(select(.pid == $p))[0] | (has("dirfd") or has("fd")) | not' \
		--argjson p "$p2"
}

# 5. Non-lock paths are not traced; --all adds successes.
case_nonlock_and_all() {
	local dir=$1 json=$ART/lt.json json2=$ART/lt2.json p1 p2 p3 p4
	# Failures, default patterns: notalock.txt is not reported, control.lock is.
	wl_start w1 "$dir/go" --comm ltw-txt open "$dir/notalock.txt" rdwr || return 1
	p1=$WL_PID
	wl_start w2 "$dir/go" --comm ltw-ctl open "$dir/control.lock" rdwr || return 1
	p2=$WL_PID
	lt_start lt --pid "$p1,$p2" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w1 '^err=ENOENT errno=2$'
	expect_result w2 '^err=ENOENT errno=2$'
	if expect_jq "failures: exactly one event" "$json" 'length == 1'; then
		expect_jq "failures: only the control.lock one" "$json" \
			'.[0].pid == $p and .[0].path == $f' --argjson p "$p2" --arg f "$dir/control.lock"
	fi

	# --all: successful open of ok.lock reported, of plain.txt not.
	: >"$dir/ok.lock" && : >"$dir/plain.txt" || return 1
	wl_start w3 "$dir/go2" --comm ltw-ok open "$dir/ok.lock" rdwr || return 1
	p3=$WL_PID
	wl_start w4 "$dir/go2" --comm ltw-plain open "$dir/plain.txt" rdwr || return 1
	p4=$WL_PID
	lt_start lt2 --all --pid "$p3" --pid "$p4" -j -o "$json2" || return 1
	release_and_stop "$dir/go2" lt2
	expect_result w3 '^ok$'
	expect_result w4 '^ok$'
	expect_jq "--all: exactly one event" "$json2" 'length == 1' || return 1
	expect_common_fields "$json2"
	expect_jq "--all: the ok.lock open" "$json2" '.[0].pid == $p and .[0].path == $f' \
		--argjson p "$p3" --arg f "$dir/ok.lock"
	expect_jq "--all: errno 0, no error key, ret >= 0" "$json2" \
		'.[0] | .errno == 0 and (has("error") | not) and .ret >= 0'
}

# 6. --uid, --pid and --comm filters, scoped to this case's directory.
case_filters() {
	local dir=$1 round p1 p2 json
	make_private "$dir/a.lock" && make_private "$dir/b.lock" || return 1
	for round in uid pid uids comm; do
		json=$ART/lt-$round.json
		wl_start "$round-w1" "$dir/go-$round" --uid 4242 --comm ltw-one open "$dir/a.lock" rdwr || return 1
		p1=$WL_PID
		wl_start "$round-w2" "$dir/go-$round" --uid 4343 --comm ltw-two open "$dir/b.lock" rdwr || return 1
		p2=$WL_PID
		case $round in
		uid) lt_start "lt-$round" --uid 4242 -p "$dir/**" -j -o "$json" || return 1 ;;
		pid) lt_start "lt-$round" --pid "$p2" -p "$dir/**" -j -o "$json" || return 1 ;;
		uids) lt_start "lt-$round" --uid 4242,4343 -p "$dir/**" -j -o "$json" || return 1 ;;
		comm) lt_start "lt-$round" --comm ltw-two --uid 4242,4343 -p "$dir/**" -j -o "$json" || return 1 ;;
		esac
		release_and_stop "$dir/go-$round" "lt-$round"
		expect_result "$round-w1" '^err=EACCES errno=13$'
		expect_result "$round-w2" '^err=EACCES errno=13$'
		case $round in
		uid)
			expect_jq "--uid 4242: exactly one event, uid 4242, pid $p1" "$json" \
				'length == 1 and .[0].uid == 4242 and .[0].pid == $p and .[0].path == $f' \
				--argjson p "$p1" --arg f "$dir/a.lock"
			;;
		pid)
			expect_jq "--pid $p2: exactly one event, pid $p2, uid 4343" "$json" \
				'length == 1 and .[0].pid == $p and .[0].uid == 4343 and .[0].path == $f' \
				--argjson p "$p2" --arg f "$dir/b.lock"
			;;
		uids)
			expect_jq "--uid 4242,4343: both events" "$json" \
				'length == 2 and ([.[].pid] | sort) == ([$a, $b] | sort)' \
				--argjson a "$p1" --argjson b "$p2"
			;;
		comm)
			expect_jq "--comm ltw-two: exactly one event, pid $p2" "$json" \
				'length == 1 and .[0].pid == $p and .[0].comm == "ltw-two"' --argjson p "$p2"
			;;
		esac
		expect_common_fields "$json"
	done
}

# 7. 1,000 distinct failing opens by one process: none lost.
case_burst() {
	local dir=$1 json=$ART/lt.json pid n=1000
	mkdir -m 755 "$dir/b" || return 1
	wl_start w "$dir/go" --comm ltw-burst burst "$dir/b" "$n" || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w "^done $n failures=$n\$"
	expect_jq "exactly $n events" "$json" 'length == $n' --argjson n "$n"
	expect_jq "$n distinct paths" "$json" '[.[].path] | unique | length == $n' --argjson n "$n"
	expect_jq "all of them the burst's ENOENT opens" "$json" \
		'all(.[]; .pid == $p and .event == "open" and .errno == 2 and
			(.path | startswith($d + "/burst-") and endswith(".lock")))' \
		--argjson p "$pid" --arg d "$dir/b"
	expect_jq "every burst index 0..$((n - 1)) once" "$json" \
		'[.[].path | ltrimstr($d + "/burst-") | rtrimstr(".lock") | tonumber] | sort == [range(0; $n)]' \
		--arg d "$dir/b" --argjson n "$n"
	grep -Eq "^locktrace: $n events seen, $n printed, 0 dropped\$" "$ART/lt.err" ||
		fail "summary: expected 'locktrace: $n events seen, $n printed, 0 dropped', got '$(grep 'events seen' "$ART/lt.err")'"
}

# 8. Usage errors (exit 2), -o safety, not privileged (exit 1).
case_usage() {
	local dir=$1 none
	none="$dir/none/**"

	lt_sync unknown --no-such-option -d 1
	((LT_RC == 2)) || fail "unknown option: exit $LT_RC, expected 2"
	expect_one_error_line unknown

	lt_sync badpat -p '[ab].lock' -d 1
	((LT_RC == 2)) || fail "-p '[ab].lock': exit $LT_RC, expected 2"
	expect_one_error_line badpat

	lt_sync badpid --pid abc -d 1
	((LT_RC == 2)) || fail "--pid abc: exit $LT_RC, expected 2"
	expect_one_error_line badpid

	lt_sync baduid --uid -5 -d 1
	((LT_RC == 2)) || fail "--uid -5: exit $LT_RC, expected 2"
	expect_one_error_line baduid

	# -o onto an existing file: refused, file untouched.
	printf 'precious\n' >"$dir/existing.json" && chmod 644 "$dir/existing.json" || return 1
	touch -d '2020-01-01 00:00:00' "$dir/existing.json"
	local before after
	before=$(stat -c '%s %Y %a %i' "$dir/existing.json")
	lt_sync exist -o "$dir/existing.json" -p "$none" -d 1
	((LT_RC == 2)) || fail "-o existing file: exit $LT_RC, expected 2"
	expect_one_error_line exist
	after=$(stat -c '%s %Y %a %i' "$dir/existing.json")
	[[ $before == "$after" && $(cat "$dir/existing.json") == precious ]] ||
		fail "-o existing file: file changed ($before -> $after)"

	# -o onto a symlink to a file: refused, with or without --force.
	printf 'target\n' >"$dir/target.json" && touch -d '2020-01-01 00:00:00' "$dir/target.json" &&
		ln -s target.json "$dir/link.json" || return 1
	before=$(stat -c '%s %Y %a %i' "$dir/target.json")
	lt_sync symlink -o "$dir/link.json" -p "$none" -d 1
	((LT_RC == 2)) || fail "-o symlink: exit $LT_RC, expected 2"
	expect_one_error_line symlink
	lt_sync symforce --force -o "$dir/link.json" -p "$none" -d 1
	((LT_RC == 2)) || fail "--force -o symlink: exit $LT_RC, expected 2"
	expect_one_error_line symforce
	after=$(stat -c '%s %Y %a %i' "$dir/target.json")
	[[ -L $dir/link.json && $(readlink "$dir/link.json") == target.json ]] || fail "-o symlink: the link was replaced"
	[[ $before == "$after" && $(cat "$dir/target.json") == target ]] ||
		fail "-o symlink: its target changed ($before -> $after)"

	# -o a new file: created 0600 (even under umask 000).
	local old_umask
	old_umask=$(umask)
	umask 000
	lt_start new -o "$dir/new.json" -p "$none"
	local started=$?
	umask "$old_umask"
	if ((started == 0)); then
		lt_stop new
		if [[ -f $dir/new.json && ! -L $dir/new.json ]]; then
			[[ $(stat -c '%a %u' "$dir/new.json") == "600 0" ]] ||
				fail "-o new file: mode/owner $(stat -c '%a %u' "$dir/new.json"), expected 600 0"
		else
			fail "-o new file: $dir/new.json not created as a regular file"
		fi
	fi

	# Not privileged: exit 1, one line naming CAP_BPF.
	cp "$LT" "$dir/locktrace" && chmod 755 "$dir/locktrace" || return 1
	(cd "$dir" && timeout -k 2 5 setpriv --reuid=4242 --regid=4242 --clear-groups --inh-caps=-all \
		"$dir/locktrace" -p "$none" -d 1) >"$ART/unpriv.out" 2>"$ART/unpriv.err" </dev/null
	LT_RC=$?
	((LT_RC == 1)) || fail "unprivileged: exit $LT_RC, expected 1"
	expect_one_error_line unpriv
	grep -q 'CAP_BPF' "$ART/unpriv.err" || fail "unprivileged: stderr does not name CAP_BPF"
	return 0
}

# 9. A path full of JSON-hostile bytes, and a hostile comm.
case_hostile() {
	local dir=$1 json=$ART/lt.json name full want comm pid line n=0
	name=$'a"b\\c\nd\te\x01f\xff.lock'
	full=$dir/$name
	want=$dir/$'a"b\\c\nd\te\x01f\xef\xbf\xbd.lock'
	comm=$'q"\\\t\x01z'
	make_private "$full" || return 1
	wl_start w "$dir/go" --uid 4242 --comm "$comm" open "$full" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	if [[ ! -s $json ]]; then
		fail "no output"
		return 1
	fi
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		jq -e -c . <<<"$line" >/dev/null 2>&1 || fail "line $n is not a JSON value: $(cat -v <<<"$line")"
	done <"$json"
	((n == 3)) || fail "expected exactly three lines (header, event, trailer), got $n"
	perl -ne 'exit 1 if /[\x00-\x09\x0b-\x1f]/' "$json" || fail "raw control bytes in the output"
	iconv -f UTF-8 -t UTF-8 "$json" >/dev/null 2>&1 || fail "output is not valid UTF-8"
	expect_jq "exactly one event" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "path with U+FFFD for the 0xff byte" "$json" '.[0].path == $w' --arg w "$want"
	expect_jq "comm as set" "$json" '.[0].comm == $c' --arg c "$comm"
	expect_jq "path_hex present" "$json" '.[0].path_hex | type == "string" and test("^[0-9a-fA-F]+$")' || return 0
	printf '%s' "$full" >"$ART/want.bin"
	# Decode as xxd -r -p would (perl-base is always there; xxd is not).
	jq -r 'select(.path_hex) | .path_hex' "$json" | perl -ne 'chomp; print pack("H*", $_)' >"$ART/got.bin"
	cmp -s "$ART/want.bin" "$ART/got.bin" ||
		fail "path_hex decodes to $(hexof "$ART/got.bin"), expected $(hexof "$ART/want.bin")"
}

# 10. Text output: a header, then one line per event, even for a path with
# a newline in it.
case_text() {
	local dir=$1 f h pid p2 out=$ART/lt.out
	f=$dir/status.lock
	h=$dir/$'two\nlines\t\x01\xff.lock'
	make_private "$f" && make_private "$h" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-text open "$f" rdwr || return 1
	pid=$WL_PID
	wl_start w2 "$dir/go" --uid 4242 --comm ltw-text2 open "$h" rdwr || return 1
	p2=$WL_PID
	lt_start lt --pid "$pid,$p2" -w || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_result w2 '^err=EACCES errno=13$'
	local header lines line
	header=$(grep -v '^[[:space:]]*$' "$out" | head -n 1)
	[[ $header =~ TIME[[:space:]]+PID[[:space:]]+UID[[:space:]]+COMM[[:space:]]+OP[[:space:]]+PATH[[:space:]]+RESULT ]] ||
		fail "first line is not the TIME PID UID COMM OP PATH RESULT header: '$header'"
	lines=$(grep -v '^[[:space:]]*$' "$out" | tail -n +2)
	if [[ $(grep -c . <<<"$lines") != 2 ]]; then
		fail "expected exactly two event lines after the header"
		return 0
	fi
	line=$(grep -E "(^|[[:space:]])$pid([[:space:]]|\$)" <<<"$lines")
	local want
	for want in 4242 ltw-text EACCES "$f"; do
		[[ $line == *"$want"* ]] || fail "event line lacks '$want': '$line'"
	done
	line=$(grep -E "(^|[[:space:]])$p2([[:space:]]|\$)" <<<"$lines")
	[[ -n $line ]] || fail "no line for pid $p2 (the path with a newline)"
	for want in 4242 ltw-text2 EACCES "$dir/two"; do
		[[ $line == *"$want"* ]] || fail "hostile-path line lacks '$want': '$(cat -v <<<"$line")'"
	done
	perl -ne 'exit 1 if /[\x00-\x09\x0b-\x1f]/' "$out" || fail "raw control bytes in the text output"
	# README: bytes that are not printable are shown as \xNN. A lone 0xff
	# is not printable (and not UTF-8): it must not reach the terminal raw.
	iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1 ||
		fail "text output is not valid UTF-8: the path's 0xff byte was printed raw, not as \\xff"
}

# 11. O_CREAT|O_EXCL refused below a directory named locks: mode reported.
case_creat() {
	local dir=$1 json=$ART/lt.json f pid
	mkdir -m 755 "$dir/locks" || return 1
	f=$dir/locks/session
	wl_start w "$dir/go" --uid 4242 --comm ltw-creat open "$f" rdwr creat excl || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_jq "exactly one event (default pattern: below a dir named locks)" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "path" "$json" '.[0].path == $f' --arg f "$f"
	expect_jq "EACCES" "$json" '.[0].error == "EACCES" and .[0].errno == 13'
	expect_jq "flags O_RDWR, O_CREAT, O_EXCL" "$json" \
		'.[0].flags | split("|") as $f | ["O_RDWR", "O_CREAT", "O_EXCL"] | all(. as $x | $f | any(. == $x))'
	expect_jq "mode is the octal string of 0600" "$json" '.[0].mode | type == "string" and test("^0*600$")'
}

# 12. The other system calls: open, creat, openat2 (with resolve), a
# thread's tid, and an OFD lock.
case_variants() {
	local dir=$1 json=$ART/lt.json p1 p2 p3 p4 p5 p6 tid
	mkdir -m 755 "$dir/ro" || return 1
	: >"$dir/ofd.db" && chmod 644 "$dir/ofd.db" || return 1
	hold_start holder hold-fcntl "$dir/ofd.db" 0 10 || return 1
	wl_start w1 "$dir/go" --comm ltw-open sys-open "$dir/v1.lock" rdwr || return 1
	p1=$WL_PID
	wl_start w2 "$dir/go" --uid 4242 --comm ltw-creat creat "$dir/ro/v2.lock" || return 1
	p2=$WL_PID
	wl_start w3 "$dir/go" --comm ltw-oa2 openat2 "$dir" nodir/v3.lock rdwr || return 1
	p3=$WL_PID
	wl_start w4 "$dir/go" --comm ltw-oa2b openat2 "$dir" nodir/v4.lock rdwr beneath || return 1
	p4=$WL_PID
	wl_start w5 "$dir/go" --thread --comm ltw-thr open "$dir/v5.lock" rdwr || return 1
	p5=$WL_PID
	wl_start w6 "$dir/go" --comm ltw-ofd setlk "$dir/ofd.db" 5 10 w ofd || return 1
	p6=$WL_PID
	lt_start lt --pid "$p1,$p2,$p3" --pid "$p4,$p5,$p6" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w1 '^err=ENOENT errno=2$'
	expect_result w2 '^err=EACCES errno=13$'
	expect_result w3 '^err=ENOENT errno=2$'
	expect_result w4 '^err=ENOENT errno=2$'
	expect_result w5 '^err=ENOENT errno=2$'
	expect_result w6 '^err=EAGAIN errno=11$'
	expect_jq "six events, one per workload" "$json" '[.[].pid] | sort == ($all | sort)' \
		--argjson all "[$p1,$p2,$p3,$p4,$p5,$p6]" || return 1
	expect_common_fields "$json"
	expect_jq "open(2): syscall open" "$json" \
		'map(select(.pid == $p))[0] | .syscall == "open" and .event == "open" and .path == $f and .error == "ENOENT"' \
		--argjson p "$p1" --arg f "$dir/v1.lock"
	expect_jq "creat(2): syscall creat, EACCES, O_CREAT, mode 0600" "$json" \
		'map(select(.pid == $p))[0] | .syscall == "creat" and .event == "open" and .path == $f and
			.error == "EACCES" and (.flags | split("|") | any(. == "O_CREAT")) and (.mode | test("^0*600$"))' \
		--argjson p "$p2" --arg f "$dir/ro/v2.lock"
	expect_jq "openat2: syscall, absolute path, path_arg, dirfd, resolve" "$json" \
		'map(select(.pid == $p))[0] | .syscall == "openat2" and .path == $f and .path_arg == "nodir/v3.lock" and
			.dirfd == $fd and has("resolve")' \
		--argjson p "$p3" --arg f "$dir/nodir/v3.lock" --argjson fd "$(wl_value w3 dirfd)"
	expect_jq "openat2 RESOLVE_BENEATH: resolve names it" "$json" \
		'map(select(.pid == $p))[0] | .syscall == "openat2" and .path == $f and (.resolve | test("RESOLVE_BENEATH"))' \
		--argjson p "$p4" --arg f "$dir/nodir/v4.lock"
	tid=$(wl_value w5 tid)
	expect_jq "thread: pid $p5, tid $tid" "$json" \
		'map(select(.pid == $p))[0] | .tid == $t and .tid != .pid and .comm == "ltw-thr"' \
		--argjson p "$p5" --argjson t "${tid:-0}"
	expect_jq "F_OFD_SETLK: fcntl_lock with cmd F_OFD_SETLK, range 5+10" "$json" \
		'map(select(.pid == $p))[0] | .event == "fcntl_lock" and .lock.cmd == "F_OFD_SETLK" and
			.lock.type == "F_WRLCK" and .lock.start == 5 and .lock.len == 10 and .errno == 11' \
		--argjson p "$p6"
}

# 13. -p patterns: glob forms, and only the patterns apply, lock calls too.
case_patterns() {
	local dir=$1 json=$ART/lt.json n=0 name pids=() want=() path
	mkdir -m 755 "$dir/pa" "$dir/q" || return 1
	: >"$dir/pa/held.db" && : >"$dir/q/held.lck" || return 1
	hold_start h1 hold-flock "$dir/pa/held.db" ex || return 1
	hold_start h2 hold-flock "$dir/q/held.lck" ex || return 1
	# path  expected-to-match
	local -a table=(
		"$dir/pa/one.db" yes
		"$dir/pa/sub/two.db" no
		"$dir/q/xa.bin" yes
		"$dir/q/xab.bin" no
		"$dir/deep/a/b/c.txt" yes
		"$dir/q/wei*rd.lock" yes
		"$dir/q/weiXrd.lock" no
		"$dir/q/other.lock" no
		"$dir/st/a/b/z.lock" yes
		"$dir/m/pl/a.pid" yes
	)
	local i
	for ((i = 0; i < ${#table[@]}; i += 2)); do
		n=$((n + 1))
		wl_start "w$n" "$dir/go" --comm "ltw-p$n" open "${table[i]}" rdwr || return 1
		pids+=("$WL_PID")
		[[ ${table[i + 1]} == yes ]] && want+=("${table[i]}")
	done
	# A relative name is matched by its resolved absolute path.
	wl_start_cwd rel "$dir/go" "$dir/pa" --comm ltw-rel open rel.db rdwr || return 1
	pids+=("$WL_PID")
	want+=("$dir/pa/rel.db")
	wl_start fl1 "$dir/go" --comm ltw-fl1 flock "$dir/pa/held.db" ex nb || return 1
	pids+=("$WL_PID")
	want+=("$dir/pa/held.db")
	wl_start fl2 "$dir/go" --comm ltw-fl2 flock "$dir/q/held.lck" ex nb || return 1
	pids+=("$WL_PID")
	local pidlist
	pidlist=$(
		IFS=,
		echo "${pids[*]}"
	)
	lt_start lt --pid "$pidlist" -p "$dir/pa/*.db" -p 'x?.bin' -p "$dir/deep/" -p 'wei\*rd.lock' \
		-p "$dir/st/**/z.lock" -p 'pl/*.pid' -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	for ((n = 1; n <= ${#table[@]} / 2; n++)); do
		expect_result "w$n" '^err=ENOENT errno=2$'
	done
	expect_result rel '^err=ENOENT errno=2$'
	expect_result fl1 '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result fl2 '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	local wantjson
	wantjson=$(printf '%s\0' "${want[@]}" | jq -R -s 'split("\u0000") | map(select(length > 0)) | sort')
	expect_jq "exactly the matching paths" "$json" '[.[].path] | sort == $w' --argjson w "$wantjson"
	expect_common_fields "$json"
	for path in "${want[@]}"; do
		expect_jq "one event for $path" "$json" 'map(select(.path == $f)) | length == 1' --arg f "$path"
	done
}

# 14. Default lock names beyond *.lock, and --uid 0.
case_defaults() {
	local dir=$1 json=$ART/lt.json n=0 pids=() want=() i pidlist
	local -a table=(
		"$dir/x.lck" yes
		"$dir/LOCK" yes
		"$dir/LOCKS" no
		"$dir/a.lock.bak" no
		"$dir/xlock" no
		"$dir/locks/deep/x.txt" yes
		"$dir/mylocks/x.txt" no
	)
	for ((i = 0; i < ${#table[@]}; i += 2)); do
		n=$((n + 1))
		wl_start "w$n" "$dir/go" --comm "ltw-d$n" open "${table[i]}" rdwr || return 1
		pids+=("$WL_PID")
		[[ ${table[i + 1]} == yes ]] && want+=("${table[i]}")
	done
	pidlist=$(
		IFS=,
		echo "${pids[*]}"
	)
	lt_start lt --uid 0 --pid "$pidlist" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	for ((n = 1; n <= ${#table[@]} / 2; n++)); do
		expect_result "w$n" '^err=ENOENT errno=2$'
	done
	local wantjson
	wantjson=$(printf '%s\0' "${want[@]}" | jq -R -s 'split("\u0000") | map(select(length > 0)) | sort')
	expect_jq "exactly the default lock paths" "$json" '[.[].path] | sort == $w' --argjson w "$wantjson"
	expect_common_fields "$json"
}

# 15. --duration stops by itself; --force replaces a regular file;
# --help and --version exit 0.
case_misc_opts() {
	local dir=$1 t0 t1
	t0=$(now_ms)
	timeout -k 2 15 "$LT" -d 1 -p "$dir/none/**" >"$ART/dur.out" 2>"$ART/dur.err" </dev/null
	LT_RC=$?
	t1=$(now_ms)
	((LT_RC == 0)) || fail "-d 1: exit $LT_RC, expected 0"
	((t1 - t0 >= 900)) || fail "-d 1: exited after $((t1 - t0)) ms, before its second was up"
	grep -q '^locktrace: tracing' "$ART/dur.err" || fail "-d 1: no 'locktrace: tracing' line"
	grep -Eq '^locktrace: 0 events seen, 0 printed, 0 dropped$' "$ART/dur.err" || fail "-d 1: no zero summary line"

	printf 'precious\n' >"$dir/old.json" || return 1
	timeout -k 2 15 "$LT" --force -o "$dir/old.json" -d 1 -p "$dir/none/**" >"$ART/force.out" 2>"$ART/force.err" </dev/null
	LT_RC=$?
	((LT_RC == 0)) || fail "--force -o existing file: exit $LT_RC, expected 0"
	[[ -f $dir/old.json && ! -L $dir/old.json ]] || fail "--force: $dir/old.json is not a regular file"
	! grep -q precious "$dir/old.json" || fail "--force: the old content is still there"

	lt_sync help --help
	((LT_RC == 0)) || fail "--help: exit $LT_RC, expected 0"
	grep -q -- '--pid' "$ART/help.out" || fail "--help: no option list on stdout"
	lt_sync version --version
	((LT_RC == 0)) || fail "--version: exit $LT_RC, expected 0"
	grep -q 'locktrace' "$ART/version.out" || fail "--version: does not name locktrace on stdout"
	return 0
}

# 16. Ring buffer overflow: locktrace is stopped (SIGSTOP) while 20,000
# events come into a 1 MiB buffer. Every event is either seen or counted
# dropped, a warning says so while tracing, and what was seen is printed.
case_overflow() {
	local dir=$1 json=$ART/lt.json pid n=20000 sum seen printed dropped
	mkdir -m 755 "$dir/b" || return 1
	wl_start w "$dir/go" --comm ltw-flood burst "$dir/b" "$n" || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" --ringbuf-size 1 -j -o "$json" || return 1
	kill -STOP "$LT_PID"
	touch "$dir/go"
	wl_finish "$pid" w
	kill -CONT "$LT_PID"
	wait_line "$ART/lt.err" '^locktrace: warning: .*dropped' 5 "$LT_PID" ||
		fail "no 'locktrace: warning: ... dropped' line within 5 s of resuming"
	lt_stop lt
	expect_result w "^done $n failures=$n\$"
	sum=$(grep -E '^locktrace: [0-9]+ events seen, [0-9]+ printed, [0-9]+ dropped$' "$ART/lt.err" | tail -n 1)
	if [[ ! $sum =~ ^locktrace:\ ([0-9]+)\ events\ seen,\ ([0-9]+)\ printed,\ ([0-9]+)\ dropped$ ]]; then
		fail "no summary line"
		return 1
	fi
	seen=${BASH_REMATCH[1]} printed=${BASH_REMATCH[2]} dropped=${BASH_REMATCH[3]}
	((seen + dropped == n)) || fail "seen $seen + dropped $dropped != $n events made"
	((dropped > 0)) || fail "nothing dropped: $n events fit a 1 MiB ring buffer?"
	((printed == seen)) || fail "printed $printed != seen $seen"
	# Said once, as "dropped": not again in the summary's losses.
	! grep -q '^locktrace: lost or degraded: .*ring buffer full' "$ART/lt.err" ||
		fail "summary: the ring buffer's losses twice: $(grep 'lost or degraded' "$ART/lt.err")"
	expect_jq "$printed events in the file, all distinct burst paths" "$json" \
		'length == $n and ([.[].path] | unique | length) == $n and all(.[]; .pid == $p and .errno == 2)' \
		--argjson n "$printed" --argjson p "$pid"
}

# 17. --all and lock calls: a successful F_SETLK and flock on files with no
# lock-like name are reported; F_GETLK and F_GETFL are not lock calls.
case_all_locks() {
	local dir=$1 json=$ART/lt.json p1 p2 p3
	: >"$dir/a.db" && : >"$dir/b.db" && : >"$dir/c.db" || return 1
	wl_start w1 "$dir/go" --comm ltw-setlk setlk "$dir/a.db" 0 0 w || return 1
	p1=$WL_PID
	wl_start w2 "$dir/go" --comm ltw-flock flock "$dir/b.db" sh || return 1
	p2=$WL_PID
	wl_start w3 "$dir/go" --comm ltw-getlk getlk "$dir/c.db" || return 1
	p3=$WL_PID
	lt_start lt --all --pid "$p1,$p2,$p3" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w1 '^ok$'
	expect_result w2 '^ok$'
	expect_result w3 '^ok$'
	expect_jq "two events: the F_SETLK and the flock" "$json" '[.[].pid] | sort == ([$a, $b] | sort)' \
		--argjson a "$p1" --argjson b "$p2" || return 1
	expect_common_fields "$json"
	expect_jq "F_SETLK success: fcntl_lock, errno 0, ret 0, whole-file range" "$json" \
		'map(select(.pid == $p))[0] | .event == "fcntl_lock" and .errno == 0 and .ret == 0 and
			(has("error") | not) and .lock.cmd == "F_SETLK" and .lock.start == 0 and .lock.len == 0 and .path == $f' \
		--argjson p "$p1" --arg f "$dir/a.db"
	expect_jq "flock success: LOCK_SH, errno 0" "$json" \
		'map(select(.pid == $p))[0] | .event == "flock" and .errno == 0 and .flags == "LOCK_SH" and .path == $f' \
		--argjson p "$p2" --arg f "$dir/b.db"
}

# 18. A process in its own mount namespace opens a relative name below a
# tmpfs mounted there: the path crosses the mount, mntns is its own.
case_mountns() {
	local dir=$1 json=$ART/lt.json pid ns own
	mkdir -m 755 "$dir/mnt" || return 1
	wl_launch w unshare -m --propagation private bash -c \
		'mount -t tmpfs none "$1/mnt" && mkdir "$1/mnt/sub" && cd "$1/mnt/sub" && exec "$2" --go "$1/go" --comm ltw-mntns open rel.lock rdwr' \
		_ "$dir" "$LTWORK" || return 1
	pid=$WL_PID
	ns=$(stat -L -c %i "/proc/$pid/ns/mnt")
	own=$(stat -L -c %i /proc/self/ns/mnt)
	[[ $ns != "$own" ]] || fail "setup: unshare -m did not give the workload its own mount namespace"
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=ENOENT errno=2$'
	expect_jq "exactly one event" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "path across the mount point" "$json" '.[0].path == $f and .[0].path_arg == "rel.lock"' \
		--arg f "$dir/mnt/sub/rel.lock"
	expect_jq "mntns = the workload's ($ns)" "$json" '.[0].mntns == $n' --argjson n "${ns:-0}"
}

# The kernel matcher's two other paths: the bounded-loop fallback for
# kernels without bpf_loop (forced here), and a pattern that exhausts the
# kernel's step budget, where user space must decide exactly: the true match
# is printed, the non-match is dropped and counted.
case_matcher() {
	local dir=$1 json=$ART/lt.json f p1 p2 a80
	f=$dir/fallback.lock
	make_private "$f" || return 1
	wl_start w "$dir/go" --uid 4242 open "$f" rdwr || return 1
	p1=$WL_PID
	export LOCKTRACE_NO_BPF_LOOP=1
	lt_start lt -v --pid "$p1" -p "$dir/*.lock" -j -o "$json"
	unset LOCKTRACE_NO_BPF_LOOP
	[[ -n $LT_PID ]] || return 1
	release_and_stop "$dir/go" lt
	grep -q 'matcher: bounded loop' "$ART/lt.err" || fail "fallback matcher not in use: $(head -3 "$ART/lt.err")"
	expect_jq "fallback: one EACCES event" "$json" 'length == 1 and .[0].error == "EACCES" and .[0].path == $f' --arg f "$f"

	a80=$(printf 'a%.0s' {1..80})
	wl_start yes "$dir/go2" --uid 4242 open "$dir/${a80}b" rdwr || return 1
	p1=$WL_PID
	wl_start no "$dir/go2" --uid 4242 open "$dir/${a80}" rdwr || return 1
	p2=$WL_PID
	lt_start lt2 --pid "$p1,$p2" -p '**a*a*a*a*b' -j -o "$ART/lt2.json" || return 1
	release_and_stop "$dir/go2" lt2
	expect_jq "budget: only the true match" "$ART/lt2.json" 'length == 1 and .[0].path == $f' --arg f "$dir/${a80}b"
	grep -Eq '^locktrace: 2 events seen, 1 printed, 0 dropped$' "$ART/lt2.err" ||
		fail "budget: expected 2 seen (one undecided in the kernel), 1 printed: $(grep events "$ART/lt2.err")"
	grep -q '1 filtered in user space' "$ART/lt2.err" || fail "budget: the undecided non-match was not counted"
}

# Piped into head: when the reader goes away, locktrace ends by itself,
# exit 0, and says nothing more (no error, no summary).
case_pipe() {
	local dir=$1 pid n=3000 rc i
	mkdir -m 755 "$dir/b" || return 1
	wl_start w "$dir/go" burst "$dir/b" "$n" || return 1
	pid=$WL_PID
	# shellcheck disable=SC2016 # expanded by the inner shell
	bg_start "$ART/pipe.out" "$ART/pipe.sh.err" env --default-signal=INT,TERM bash -c \
		'"$1" --pid "$2" 2>"$3" | head -n 3; echo "rc=${PIPESTATUS[0]}" >"$4"' \
		_ "$LT" "$pid" "$ART/lt.err" "$ART/rc"
	wait_line "$ART/lt.err" '^locktrace: tracing' 20 "$BG_PID" || {
		fail "no 'locktrace: tracing' line"
		return 1
	}
	touch "$dir/go"
	wl_finish "$pid" w
	for ((i = 0; i < 100; i++)); do
		[[ -s $ART/rc ]] && break
		sleep 0.1
	done
	[[ -s $ART/rc ]] || {
		fail "locktrace did not end within 10 s after head exited"
		return 1
	}
	rc=$(cat "$ART/rc")
	[[ $rc == rc=0 ]] || fail "locktrace | head: expected exit 0, got $rc"
	[[ $(wc -l <"$ART/pipe.out") -eq 3 ]] || fail "head did not get its 3 lines"
	# The tier line(s) of start-up only: no error, no summary.
	if grep -v -E '^locktrace: (tracing |LSM tier )' "$ART/lt.err" | grep -q .; then
		fail "stderr should hold only the start-up lines: $(cat "$ART/lt.err")"
	fi
}

# expect_cause DESC FILE PID FILTER [JQ-ARGS...]: FILTER must hold on the
# event of process PID.
expect_cause() {
	local desc=$1 file=$2 pid=$3 filter=$4
	shift 4
	expect_jq "$desc" "$file" "(map(select(.pid == \$p)) | length == 1) and (map(select(.pid == \$p))[0] | $filter)" \
		--argjson p "$pid" "$@"
}

# Root causes from permissions: dac, dac_search, acl, capability, lsm
# (Landlock), not_found. Each workload gets a real refusal from the kernel.
case_cause_perm() {
	local dir=$1 json=$ART/lt.json pd ps pa pc pl pn
	make_private "$dir/status.lock" || return 1
	mkdir -m 700 "$dir/priv" && : >"$dir/priv/x.lock" && chmod 666 "$dir/priv/x.lock" || return 1
	: >"$dir/acl.lock" && chmod 666 "$dir/acl.lock" && setfacl -m u:4242:--- "$dir/acl.lock" || return 1
	: >"$dir/cap.lock" && chown 5:5 "$dir/cap.lock" && chmod 600 "$dir/cap.lock" || return 1
	: >"$dir/ll.lock" && chmod 666 "$dir/ll.lock" || return 1
	wl_start wd "$dir/go" --uid 4242 --comm ltw-dac open "$dir/status.lock" rdwr || return 1
	pd=$WL_PID
	wl_start ws "$dir/go" --uid 4242 --comm ltw-search open "$dir/priv/x.lock" rdwr || return 1
	ps=$WL_PID
	wl_start wa "$dir/go" --uid 4242 --comm ltw-acl open "$dir/acl.lock" rdwr || return 1
	pa=$WL_PID
	wl_launch wc setpriv --inh-caps=-dac_override,-dac_read_search \
		--bounding-set=-dac_override,-dac_read_search \
		"$LTWORK" --go "$dir/go" --comm ltw-cap open "$dir/cap.lock" rdwr || return 1
	pc=$WL_PID
	wl_start wl "$dir/go" --landlock --uid 4242 --comm ltw-ll open "$dir/ll.lock" rdwr || return 1
	pl=$WL_PID
	wl_start wn "$dir/go" --uid 4242 --comm ltw-nf open "$dir/nodir/sub/x.lock" rdwr creat || return 1
	pn=$WL_PID
	lt_start lt --pid "$pd,$ps,$pa,$pc,$pl,$pn" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	for w in wd ws wa wc wl; do expect_result "$w" '^err=EACCES errno=13$'; done
	expect_result wn '^err=ENOENT errno=2$'
	expect_jq "six events, each with a cause" "$json" 'length == 6 and all(.[]; .cause.kind and .cause.detail and .cause.evidence)' || return 1
	expect_cause "dac: other class, 0600 root, rw- asked" "$json" "$pd" \
		'.cause | .kind == "dac" and .evidence == "post-hoc" and .class == "other" and .want == "rw-" and .object.path == $f and .object.mode == "0600" and .object.uid == 0' \
		--arg f "$dir/status.lock"
	expect_cause "dac_search: the 0700 directory" "$json" "$ps" \
		'.cause | .kind == "dac_search" and .object.path == $d and .object.mode == "0700" and .want == "--x"' \
		--arg d "$dir/priv"
	expect_cause "acl: the user:4242 entry" "$json" "$pa" \
		'.cause | .kind == "acl" and .acl_entry == "user:4242:---" and .object.path == $f' --arg f "$dir/acl.lock"
	expect_cause "capability: root without CAP_DAC_OVERRIDE" "$json" "$pc" \
		'.uid == 0 and (.cause | .kind == "capability" and .capability == "CAP_DAC_OVERRIDE" and .object.path == $f)' \
		--arg f "$dir/cap.lock"
	expect_cause "lsm: Landlock (inferred)" "$json" "$pl" \
		'.cause | .kind == "lsm" and .lsm.name == "landlock" and .evidence == "inferred"'
	expect_cause "not_found: the first missing component" "$json" "$pn" \
		'.cause | .kind == "not_found" and .missing.path == $m' --arg m "$dir/nodir"
}

# Root causes from the file system and the inode: readonly_fs, no_space,
# immutable, stale_lock.
case_cause_fs() {
	local dir=$1
	mkdir -m 755 "$dir/ro" "$dir/full" || return 1
	mount -t tmpfs -o ro,size=64k ltro "$dir/ro" || {
		fail "mount tmpfs ro"
		return 1
	}
	if mount -t tmpfs -o size=64k,nr_inodes=2 ltfull "$dir/full"; then
		cause_fs_body "$dir"
	else
		fail "mount tmpfs nr_inodes=2"
	fi
	umount -l "$dir/ro" "$dir/full" 2>/dev/null
	chattr -i "$dir/imm.lock" 2>/dev/null
	return 0
}

cause_fs_body() {
	local dir=$1 json=$ART/lt.json pr pf pi pst dead
	: >"$dir/full/first" || {
		fail "setup: first file on the small tmpfs"
		return 1
	}
	: >"$dir/imm.lock" && chmod 666 "$dir/imm.lock" && chattr +i "$dir/imm.lock" || {
		fail "setup: chattr +i"
		return 1
	}
	bash -c 'echo $$ >"$1"' _ "$dir/stale.lock" || return 1
	dead=$(cat "$dir/stale.lock")
	wl_start wr "$dir/go" --comm ltw-ro open "$dir/ro/x.lock" wronly creat || return 1
	pr=$WL_PID
	wl_start wf "$dir/go" --comm ltw-full open "$dir/full/x.lock" wronly creat || return 1
	pf=$WL_PID
	wl_start wi "$dir/go" --comm ltw-imm open "$dir/imm.lock" rdwr || return 1
	pi=$WL_PID
	wl_start wst "$dir/go" --comm ltw-stale open "$dir/stale.lock" wronly creat excl || return 1
	pst=$WL_PID
	lt_start lt --pid "$pr,$pf,$pi,$pst" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result wr '^err=EROFS errno=30$'
	expect_result wf '^err=ENOSPC errno=28$'
	expect_result wi '^err=EPERM errno=1$'
	expect_result wst '^err=EEXIST errno=17$'
	expect_cause "readonly_fs: the ro tmpfs" "$json" "$pr" \
		'.cause | .kind == "readonly_fs" and .fs.mountpoint == $m and .fs.readonly and .fs.type == "tmpfs" and .fs.source == "ltro"' \
		--arg m "$dir/ro"
	expect_cause "no_space: inodes of the full tmpfs" "$json" "$pf" \
		'.cause | .kind == "no_space" and .fs.mountpoint == $m and .fs.inodes_free == 0' --arg m "$dir/full"
	expect_cause "immutable: chattr +i" "$json" "$pi" \
		'.cause | .kind == "immutable" and .object.path == $f and .object.immutable' --arg f "$dir/imm.lock"
	expect_cause "stale_lock: the pid in the file is gone" "$json" "$pst" \
		'.cause | .kind == "stale_lock" and .owner_pid == $d and .owner_alive == false' --argjson d "$dead"
}

# Root causes of lock calls: lock_held for flock and for fcntl, each with a
# holder started before the tracer and one after, both named by the kernel
# from the inode's lock list at the refusal; and bad_fd_mode.
case_cause_locks() {
	local dir=$1 json=$ART/lt.json f hb ha pb pa fb fa qb qa wb
	for f in fb.db fa.db pb.db pa.db bfm.lock; do
		: >"$dir/$f" && chmod 666 "$dir/$f" || return 1
	done
	hold_start hfb --comm ltw-hold-fb hold-flock "$dir/fb.db" ex || return 1
	hb=$BG_PID
	hold_start hpb --comm ltw-hold-pb hold-fcntl "$dir/pb.db" 0 100 || return 1
	pb=$BG_PID
	wl_start wfb "$dir/go" --comm ltw-wfb flock "$dir/fb.db" ex nb || return 1
	fb=$WL_PID
	wl_start wfa "$dir/go" --comm ltw-wfa flock "$dir/fa.db" sh nb || return 1
	fa=$WL_PID
	wl_start wpb "$dir/go" --uid 4242 --comm ltw-wpb setlk "$dir/pb.db" 50 10 w || return 1
	qb=$WL_PID
	wl_start wpa "$dir/go" --uid 4242 --comm ltw-wpa setlk "$dir/pa.db" 50 10 r || return 1
	qa=$WL_PID
	wl_start wb "$dir/go" --comm ltw-bfm setlk "$dir/bfm.lock" 0 10 w ro || return 1
	wb=$WL_PID
	lt_start lt --pid "$fb,$fa,$qb,$qa,$wb" -j -o "$json" || return 1
	hold_start hfa --comm ltw-hold-fa hold-flock "$dir/fa.db" ex || return 1
	ha=$BG_PID
	hold_start hpa --comm ltw-hold-pa hold-fcntl "$dir/pa.db" 0 100 || return 1
	pa=$BG_PID
	release_and_stop "$dir/go" lt
	expect_result wfb '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result wfa '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result wpb '^err=(EAGAIN|EACCES) errno=(11|13)$'
	expect_result wpa '^err=(EAGAIN|EACCES) errno=(11|13)$'
	expect_result wb '^err=EBADF errno=9$'
	expect_cause "flock, holder from before tracing: named by the kernel at the refusal" "$json" "$fb" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .comm == "ltw-hold-fb" and .lock == "flock" and .seen_by_kernel)' \
		--argjson h "$hb"
	expect_cause "flock, holder from after: named by the kernel" "$json" "$fa" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .comm == "ltw-hold-fa" and .type == "F_WRLCK" and .seen_by_kernel)' \
		--argjson h "$ha"
	expect_cause "fcntl, holder from before tracing, with its range" "$json" "$qb" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .lock == "posix" and .start == 0 and .end == 99 and .seen_by_kernel)' \
		--argjson h "$pb"
	expect_cause "fcntl, holder from after, with its range" "$json" "$qa" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .comm == "ltw-hold-pa" and .lock == "posix" and .start == 0 and .end == 99 and .seen_by_kernel)' \
		--argjson h "$pa"
	expect_cause "bad_fd_mode: write lock on O_RDONLY, from the kernel" "$json" "$wb" \
		'.cause | .kind == "bad_fd_mode" and .fd_mode == "O_RDONLY" and .evidence == "kernel"'
	expect_cause "the locked inode as the kernel saw it (mode, owner, fs magic)" "$json" "$fb" \
		'.inode | .mode == "0666" and .uid == 0 and .gid == 0 and .fs_magic == $m and .mount_readonly == false' \
		--arg m "0x$(stat -f -c %t "$dir")"
}

# lock_wait: blocking flock and F_SETLKW that wait behind a holder (which
# releases after a while and stays alive) are reported, successful as they
# are, with the wait and the holder; a wait under --min-wait is not. The
# holders start after the tracer, just before the waiters are released.
case_lock_wait() {
	local dir=$1 json=$ART/lt.json h1 h2 h3 pf pp ps waited
	: >"$dir/w.db" && : >"$dir/w2.db" && : >"$dir/w3.db" || return 1
	wl_start wf "$dir/go" --comm ltw-waitf flock "$dir/w.db" ex || return 1
	pf=$WL_PID
	wl_start wp "$dir/go" --comm ltw-waitp setlk "$dir/w2.db" 50 10 w wait || return 1
	pp=$WL_PID
	wl_start ws "$dir/go" --comm ltw-short setlk "$dir/w3.db" 50 10 w wait || return 1
	ps=$WL_PID
	lt_start lt --pid "$pf,$pp,$ps" --min-wait 150 -j -o "$json" || return 1
	hold_start h1 --comm ltw-holdf hold-flock "$dir/w.db" ex 600 || return 1
	h1=$BG_PID
	hold_start h2 --comm ltw-holdp hold-fcntl "$dir/w2.db" 0 100 600 || return 1
	h2=$BG_PID
	hold_start h3 --comm ltw-holds hold-fcntl "$dir/w3.db" 0 100 100 || return 1
	h3=$BG_PID
	release_and_stop "$dir/go" lt
	expect_result wf '^ok$'
	expect_result wp '^ok$'
	expect_result ws '^ok$'
	waited=$(wl_value ws waited_us)
	((${waited:-0} >= 1000 && ${waited:-0} < 150000)) ||
		fail "setup: the short waiter should wait 1..150 ms, waited ${waited:-?} us"
	expect_cause "flock lock_wait behind ltw-holdf" "$json" "$pf" \
		'.event == "lock_wait" and .syscall == "flock" and .errno == 0 and (has("error") | not) and .wait_us >= 150000 and .wait_us < 10000000 and .holder.pid == $h and .holder.comm == "ltw-holdf" and .released_by.pid == $h and .released_by.comm == "ltw-holdf"' \
		--argjson h "$h1"
	expect_cause "F_SETLKW lock_wait behind ltw-holdp, as long as the waiter measured" "$json" "$pp" \
		'.event == "lock_wait" and .lock.cmd == "F_SETLKW" and .holder.pid == $h and .holder.comm == "ltw-holdp" and .released_by.pid == $h and ((.wait_us - $w) | fabs) < 50000' \
		--argjson h "$h2" --argjson w "$(wl_value wp waited_us)"
	expect_jq "no event for the wait under --min-wait (pid $h3 held it)" "$json" \
		'map(select(.pid == $p)) | length == 0' --argjson p "$ps"
}

# The creator of a lock file, seen in the kernel (O_CREAT|O_EXCL by root,
# after tracing began), is named in the dac cause of a later refusal.
case_creator() {
	local dir=$1 json=$ART/lt.json pc pv
	wl_start wc "$dir/go1" --comm ltw-maker open "$dir/made.lock" wronly creat excl || return 1
	pc=$WL_PID
	wl_start wv "$dir/go2" --uid 4242 --comm ltw-victim open "$dir/made.lock" rdwr || return 1
	pv=$WL_PID
	lt_start lt --pid "$pv" -j -o "$json" || return 1
	touch "$dir/go1"
	wl_finish "$pc" wc
	release_and_stop "$dir/go2" lt
	expect_result wc '^ok$'
	expect_result wv '^err=EACCES errno=13$'
	expect_jq "only the victim's event (the creator is not traced)" "$json" 'length == 1 and .[0].pid == $p' \
		--argjson p "$pv" || return 1
	expect_cause "dac names the creator" "$json" "$pv" \
		'.cause | .kind == "dac" and .creator.pid == $c and .creator.comm == "ltw-maker" and .creator.uid == 0 and .creator.mode == "0600" and (.detail | contains("created 0600 by pid \($c) (ltw-maker) uid 0"))' \
		--argjson c "$pc"
}

# --explain with a hostile file name: nothing raw reaches the terminal (no
# ESC, BEL, newline inside a line), and the suggested commands quote it.
case_explain_hostile() {
	local dir=$1 f pid out=$ART/lt.out
	f=$dir/$'x\n\e]0;pwn\a; rm -rf ~.lock'
	: >"$f" && chmod 600 "$f" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-hostile open "$f" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" --explain || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	if LC_ALL=C grep -q $'[\x1b\x07]' "$out"; then
		fail "--explain wrote a raw ESC or BEL byte"
	fi
	[[ $(wc -l <"$out") -eq 4 ]] || fail "expected header, event, why and fix lines, got $(wc -l <"$out")"
	grep -q '^    why: dac: ' "$out" || fail "no why: line"
	grep -qF -- "fix: give uid 4242 access: \`chown 4242 \$'$dir/x\\x0a\\x1b]0;pwn\\x07; rm -rf ~.lock'\`" "$out" ||
		fail "the fix line does not quote the path: $(grep fix: "$out")"
}

# A lock file whose name holds U+009B (CSI: with "2J" a terminal clears
# its screen) and U+202E (RLO: the rest of the name reads backwards):
# refused to uid 4242, then shown by the live text view with --explain,
# recorded, and reported as text and Markdown. No output has either
# character raw (grep for their bytes, C locale); each shows them escaped,
# the fix quotes the name so a shell makes it exactly, and the recording
# keeps the exact name (\u escapes that decode to it).
case_terminal_controls() {
	local dir=$1 f pid out=$ART/lt.out rec=$dir/rec.jsonl name esc re file
	name=$'status\xc2\x9b2J\xe2\x80\xaekcol.lock'
	esc='status\u009b2J\u202ekcol.lock'
	re="${dir//./\\.}/${esc//\\/\\\\}"
	f=$dir/$name
	make_private "$f" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-term open "$f" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" --explain -w -o "$rec" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	lt_sync rt report -f text "$rec"
	((LT_RC == 0)) || fail "report -f text: exit $LT_RC"
	lt_sync rm report -f markdown "$rec"
	((LT_RC == 0)) || fail "report -f markdown: exit $LT_RC"
	for file in "$out" "$rec" "$ART/rt.out" "$ART/rm.out"; do
		grep -q $'\xc2\x9b' "$file" && fail "${file##*/}: a raw U+009B (bytes c2 9b)"
		grep -q $'\xe2\x80\xae' "$file" && fail "${file##*/}: a raw U+202E (bytes e2 80 ae)"
	done
	grep -q "ltw-term .*$re  *EACCES" "$out" || fail "text view: no line with the name escaped ($esc)"
	grep -q "^    why: dac: mode 0600 uid 0 gid 0 on $re gives other" "$out" ||
		fail "--explain: no why: line with the name escaped"
	grep -qF "fix: give uid 4242 access: \`chown 4242 \$'$dir/status\\xc2\\x9b2J\\xe2\\x80\\xaekcol.lock'\`" "$out" ||
		fail "--explain: the fix does not quote the name exactly: $(grep fix: "$out")"
	expect_jq "the recording keeps the exact name" "$rec" 'length == 1 and .[0].path == $p' --arg p "$f"
	grep -qF "\"path\":\"$dir/$esc\"" "$rec" || fail "recording: the name is not \\u-escaped"
	grep -qF "open $dir/$esc -> EACCES [dac] by ltw-term uid 4242" "$ART/rt.out" ||
		fail "report -f text: no group line with the name escaped"
	grep -qF "$esc -> EACCES, cause **dac**" "$ART/rm.out" || fail "report -f markdown: no group line with the name escaped"
}

# A process with its own root (chroot in its own mount namespace, as in a
# container) where /var/lock is an absolute symlink to /run/lock: the cause
# is established inside its root, not on the host's /run/lock; once the
# process is gone, through another live one of its namespace (a sleeper
# standing for the container's init).
case_cause_container() {
	local dir=$1 root=$1/root json=$ART/lt.json pid d
	mkdir -p "$root/run/lock" "$root/var" "$root/usr" "$root/proc" || return 1
	for d in lib lib64 bin sbin; do
		if [[ -L /$d ]]; then
			ln -s "$(readlink "/$d")" "$root/$d"
		elif [[ -d /$d ]]; then
			mkdir "$root/$d"
		fi
	done
	ln -s /run/lock "$root/var/lock" && cp "$LTWORK" "$root/ltwork" || return 1
	: >"$root/run/lock/ctr.lock" && chmod 600 "$root/run/lock/ctr.lock" || return 1
	[[ ! -e /run/lock/ctr.lock ]] || fail "setup: the host has /run/lock/ctr.lock"
	# shellcheck disable=SC2016 # expanded by the inner shell
	wl_launch w unshare -m --propagation private bash -c \
		'for d in usr lib lib64 bin sbin; do [[ -d $1/$d && ! -L $1/$d ]] && mount --bind "/$d" "$1/$d"; done
		 chroot "$1" /usr/bin/sleep 10 & # the container'"'"'s long-lived process
		 exec chroot "$1" /ltwork --go /go --uid 4242 --comm ltw-ctr open /var/lock/ctr.lock rdwr' \
		_ "$root" || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$root/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_cause "dac on the file inside the process's root" "$json" "$pid" \
		'.path == "/var/lock/ctr.lock" and (.cause | .kind == "dac" and .object.path == "/var/lock/ctr.lock" and .object.mode == "0600" and .class == "other")'
}

# Run-time probing: `locktrace probe` says what loads here and how to get
# the rest; --mode follows it: auto falls back to the tracepoint tier with
# one line, a forced lsm tier that cannot load is an error naming what is
# missing, --mode tracepoint probes nothing.
case_probe() {
	local dir=$1 out=$ART/probe.out
	"$LT" probe >"$out" 2>"$ART/probe.err"
	LT_RC=$?
	((LT_RC == 0)) || fail "locktrace probe exited $LT_RC: $(cat "$ART/probe.err")"
	grep -Eq '^BTF raw tracepoints \(tp_btf/\) +yes +loaded and attached on raw_syscalls:sys_exit$' "$out" ||
		fail "probe: the tier this run uses is not shown as working: $(cat "$out")"
	grep -Eq '^BPF ring buffer +yes' "$out" || fail "probe: no ring buffer row"
	grep -Eq '^fentry/fexit \(BPF trampolines\) +(yes|no) ' "$out" || fail "probe: no fentry/fexit row"
	grep -Eq '^BPF LSM programs +(yes|no) ' "$out" || fail "probe: no BPF LSM row"
	if grep -Eq '^(fentry/fexit|BPF LSM).* no ' "$out"; then
		grep -q 'to get it: ' "$out" || fail "probe: a missing feature without how to get it"
		grep -q '; --mode auto uses tracepoint$' "$out" || fail "probe: auto should use tracepoint"
		lt_sync lsm --mode lsm
		((LT_RC == 1)) || fail "--mode lsm without the LSM tier: exit $LT_RC, expected 1"
		expect_one_error_line lsm
		grep -q 'fentry/fexit\|BPF LSM' "$ART/lsm.err" || fail "--mode lsm: does not name what is missing"
		lt_sync auto -d 0.2
		((LT_RC == 0)) || fail "--mode auto: exit $LT_RC"
		[[ $(grep -c '^locktrace: LSM tier unavailable (.*); using the tracepoint tier$' "$ART/auto.err") -eq 1 ]] ||
			fail "--mode auto: expected one fallback line: $(cat "$ART/auto.err")"
	fi
	lt_sync tp --mode tracepoint -d 0.2
	((LT_RC == 0)) || fail "--mode tracepoint: exit $LT_RC"
	grep -q 'LSM tier' "$ART/tp.err" && fail "--mode tracepoint should not probe the LSM tier"
	lt_sync bad --mode nope
	((LT_RC == 2)) || fail "--mode nope: exit $LT_RC, expected 2"
	expect_one_error_line bad
	lt_sync extra probe now
	((LT_RC == 2)) || fail "probe with an argument: exit $LT_RC, expected 2"
	return 0
}

# Observe only: a workload of allowed and refused opens and lock calls
# gives exactly the same results with the tracer attached (every path,
# successes too) as without it.
case_observe_only() {
	local dir=$1 h
	: >"$dir/ok.lock" && chmod 666 "$dir/ok.lock" || return 1
	make_private "$dir/root.lock" || return 1
	mkdir -m 700 "$dir/priv" && : >"$dir/held.db" && chmod 666 "$dir/held.db" || return 1
	hold_start h --comm ltw-obs-hold hold-flock "$dir/held.db" ex || return 1
	h=$BG_PID
	observe_workload "$dir" >"$ART/without.out" 2>&1
	lt_start lt -a -p "$dir/**" -j -o "$ART/lt.json" || return 1
	observe_workload "$dir" >"$ART/with.out" 2>&1
	lt_stop lt
	if ! cmp -s "$ART/without.out" "$ART/with.out"; then
		fail "results differ with the tracer attached: $(diff "$ART/without.out" "$ART/with.out" | head -5)"
	fi
	[[ $(grep -c . "$ART/without.out") -ge 10 ]] || fail "the workload ran too little: $(cat "$ART/without.out")"
	expect_jq "the tracer saw the workload" "$ART/lt.json" 'length >= 10'
	kill "$h" 2>/dev/null
	return 0
}

observe_workload() {
	local dir=$1 u
	rm -f "$dir"/new-*.lock "$dir/priv/x.lock" # what a run creates
	for u in 0 4242; do
		"$LTWORK" --uid "$u" open "$dir/ok.lock" rdwr
		"$LTWORK" --uid "$u" open "$dir/root.lock" rdwr
		"$LTWORK" --uid "$u" open "$dir/root.lock" rdonly
		"$LTWORK" --uid "$u" open "$dir/priv/x.lock" rdwr creat
		"$LTWORK" --uid "$u" open "$dir/none/x.lock" rdwr
		"$LTWORK" --uid "$u" open "$dir/new-$u.lock" wronly creat excl
		"$LTWORK" --uid "$u" open "$dir/new-$u.lock" wronly creat excl
		"$LTWORK" --uid "$u" flock "$dir/held.db" ex nb
		"$LTWORK" --uid "$u" flock "$dir/ok.lock" sh nb
		"$LTWORK" --uid "$u" setlk "$dir/ok.lock" 0 10 w
		"$LTWORK" --uid "$u" setlk "$dir/ok.lock" 0 10 w ro
	done
}

# Root of a user namespace (uid 0 mapped to 0 only): its capabilities do
# not count over a file owned by uid 5, which is outside its map.
case_cause_userns() {
	local dir=$1 json=$ART/lt.json pid
	: >"$dir/ns.lock" && chown 5:5 "$dir/ns.lock" && chmod 600 "$dir/ns.lock" || return 1
	wl_launch w unshare --user --map-root-user "$LTWORK" --go "$dir/go" --comm ltw-userns \
		open "$dir/ns.lock" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_cause "capability: root of a user namespace, file outside its map" "$json" "$pid" \
		'.cause | .kind == "capability" and .capability == "CAP_DAC_OVERRIDE" and (.detail | contains("user namespace"))'
}

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
	case_lock_waits_full "lock_waits full: each lock-wait sleep that cannot be recorded is counted"
	case_report_hostile "report of a hostile recording: every format, exact counts past the limits, bounded memory"
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
