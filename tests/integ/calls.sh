# Integration cases for what is traced: open and lock calls, their forms
# (relative names, threads, openat2, OFD locks, other mount namespaces),
# the filters and patterns, bursts and overflow, the matcher's fallback, and
# that tracing changes nothing. Sourced by tests/integ/integ.sh, which
# provides lib.sh, $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

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
