# Integration cases for fact gathering off the event reader: sourced by
# tests/integ/integ.sh, which provides lib.sh, $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# A FUSE filesystem whose daemon stops answering right after a refusal on
# a path through it (bindfs, stopped with SIGSTOP) does not stop tracing:
# the refusal is reported after --facts-timeout with the lookup that did
# not answer, refusals on local paths keep flowing with their full facts, a
# later refusal through the stopped mount is decided without looking at it
# (slow_mount), and SIGINT ends the tracer within 2 s with its summary and
# the recording's trailer. The mount is below a 0700 directory: uid 4242 is
# refused there by the kernel alone, so its calls never wait on the daemon,
# while the tracer, as root, walks on into the mount.
case_facts_hung_fuse() {
	local dir=$1 fpid
	mkdir -p "$dir/src/locks" "$dir/priv/mnt" "$dir/local/locks" || return 1
	chmod -R 755 "$dir/src" "$dir/local" && chmod 700 "$dir/priv" || return 1
	make_private "$dir/src/locks/status.lock" && make_private "$dir/local/locks/app.lock" || return 1
	# Its type's subtype holds a terminal escape, as a mounting user may
	# choose: stderr never shows it raw.
	bg_start "$ART/bindfs.out" "$ART/bindfs.err" bindfs -f -o subtype=ev$'\e'[2Jil "$dir/src" "$dir/priv/mnt"
	fpid=$BG_PID
	if ! wait_mounted "$dir/priv/mnt" 10; then
		fail "bindfs did not mount $dir/priv/mnt"
		return 1
	fi
	hung_fuse_body "$dir" "$fpid"
	kill -CONT "$fpid" 2>/dev/null
	fusermount3 -u -z "$dir/priv/mnt" 2>/dev/null || umount -l "$dir/priv/mnt" 2>/dev/null
	return 0
}

# wait_mounted DIR TIMEOUT_S: until DIR is a mount point.
wait_mounted() {
	local deadline=$(($(now_ms) + $2 * 1000))
	until findmnt -n "$1" >/dev/null 2>&1; do
		(($(now_ms) >= deadline)) && return 1
		sleep 0.02
	done
}

# wait_event FILE COMM TIMEOUT_S: until FILE has an event of COMM; prints
# the milliseconds it took.
wait_event() {
	local t0 rc
	t0=$(now_ms)
	wait_line "$1" "\"comm\":\"$2\"" "$3" "$LT_PID"
	rc=$?
	echo $(($(now_ms) - t0))
	return $rc
}

# refused NAME COMM PATH: uid 4242 opens PATH O_RDWR now, and is refused
# (EACCES); then waits (3 s) for its event in $rec. Prints nothing.
refused() {
	wl_start "$1" "$dir/go-$1" --uid 4242 --comm "$2" open "$3" rdwr || return 1
	touch "$dir/go-$1"
	wl_finish "$WL_PID" "$1"
	WL_PENDING=()
	expect_result "$1" '^err=EACCES errno=13$'
	wait_event "$rec" "$2" 3 >/dev/null || {
		fail "the refusal of $3 ($2) was not reported within 3 s"
		return 1
	}
}

hung_fuse_body() {
	local dir=$1 fpid=$2 rec=$dir/rec.jsonl mnt=$dir/priv/mnt ms t0 stop_ms evil
	lt_start lt -j -o "$rec" --uid 4242 -p "$dir/**" --sync-interval 0.1 || return 1
	wl_start w1 "$dir/go1" --uid 4242 --comm ltw-fuse1 open "$mnt/locks/status.lock" rdwr || return 1
	# The tracer is stopped while the refusal happens and the daemon stops
	# right after it: the facts are looked up only once it cannot answer.
	kill -STOP "$LT_PID"
	touch "$dir/go1"
	wl_finish "$WL_PID" w1
	WL_PENDING=()
	kill -STOP "$fpid"
	kill -CONT "$LT_PID"
	expect_result w1 '^err=EACCES errno=13$'
	pid_alive "$fpid" || fail "bindfs is gone"

	if ! ms=$(wait_event "$rec" ltw-fuse1 5); then
		fail "the refusal under the stopped FUSE mount was not reported within 5 s"
	else
		note "the refusal under the stopped mount came out after $ms ms"
		expect_jq "fuse refusal: unknown, the lookup that timed out on the FUSE mount" "$rec" \
			'map(select(.comm == "ltw-fuse1")) | length == 1 and (.[0].cause |
			.kind == "unknown" and .facts.state == "timeout" and .facts.mount == $m and
			(.facts.fstype | startswith("fuse")) and .facts.after_ms == 250 and
			(.facts.path | startswith($m)) and (.detail | contains("did not answer within 250 ms")))' \
			--arg m "$mnt"
	fi
	grep -q "^locktrace: warning: $mnt (fuse[^)]*) did not answer a lookup within 250 ms" "$ART/lt.err" ||
		fail "no line on stderr saying $mnt does not answer"

	# A local refusal, while the daemon is still stopped: full facts.
	if refused w2 ltw-local "$dir/local/locks/app.lock"; then
		expect_jq "local refusal: dac with its object, facts complete" "$rec" \
			'map(select(.comm == "ltw-local")) | length == 1 and (.[0].cause |
			.kind == "dac" and .object.path == $f and (has("facts") | not))' \
			--arg f "$dir/local/locks/app.lock"
	fi

	# Another refusal through the stopped mount: not looked at, the mount
	# is slow.
	if refused w3 ltw-fuse2 "$mnt/locks/queue.lock"; then
		expect_jq "second fuse refusal: not looked at, the mount is slow" "$rec" \
			'map(select(.comm == "ltw-fuse2")) | length == 1 and (.[0].cause |
			.kind == "unknown" and .facts.state == "slow_mount" and .facts.mount == $m)' \
			--arg m "$mnt"
	fi

	# A user's symbolic link into the stopped mount, next to local lock
	# files: its lookup times out too, and only that link goes on the slow
	# list: the local filesystem it sits on is still looked at. Its name
	# holds a terminal escape, which stderr never shows raw.
	evil=$dir/local/locks/evil$'\e'[2J.lock
	ln -s "$mnt/locks/status.lock" "$evil" || return 1
	refused w4 ltw-link "$evil" &&
		expect_jq "through the link: timed out past the link, the mount not known" "$rec" \
			'map(select(.comm == "ltw-link")) | length == 1 and (.[0].cause |
			.kind == "unknown" and .facts.state == "timeout" and (.facts | has("mount") | not))'
	refused w5 ltw-local2 "$dir/local/locks/app.lock" &&
		expect_jq "a local refusal beside the link: still full facts" "$rec" \
			'map(select(.comm == "ltw-local2")) | length == 1 and (.[0].cause | .kind == "dac" and (has("facts") | not))'

	# SIGINT: out within 2 s, summary and trailer written, daemon still stopped.
	t0=$(now_ms)
	kill -INT "$LT_PID"
	if ! wait_exit "$LT_PID" 2; then
		fail "locktrace still running 2 s after SIGINT with the FUSE daemon stopped"
		kill -CONT "$fpid"
		reap "$LT_PID"
		return 1
	fi
	stop_ms=$(($(now_ms) - t0))
	note "SIGINT to exit: $stop_ms ms"
	wait "$LT_PID"
	LT_RC=$?
	((LT_RC == 0)) || fail "locktrace exited $LT_RC after SIGINT, expected 0"
	grep -q $'\e' "$ART/lt.err" && fail "a raw escape byte on stderr: $(grep -a 'evil' "$ART/lt.err" | cat -v)"
	grep -q 'evil\\x1b\[2J.lock did not answer a lookup' "$ART/lt.err" ||
		fail "the link's name is not on stderr, escaped: $(grep -a 'evil' "$ART/lt.err" | cat -v)"
	grep -Eq '^locktrace: 5 events seen, 5 printed, 0 dropped$' "$ART/lt.err" ||
		fail "summary: $(grep 'events seen' "$ART/lt.err")"
	grep -Eq '^locktrace: lost or degraded: .*2 fact lookups timed out, 1 facts skipped on a slow mount' "$ART/lt.err" ||
		fail "no summary of the facts not looked up: $(grep 'lost or degraded' "$ART/lt.err")"
	expect_counter "trailer: 5 seen and written, 2 lookups timed out, 1 skipped on a slow mount" "$rec" \
		'.type == "trailer" and .seen == 5 and .written == 5 and .facts_timeout == 2 and .facts_slow_mount == 1'
	expect_jq "events in the order they happened" "$rec" \
		'map(.comm) == ["ltw-fuse1", "ltw-local", "ltw-fuse2", "ltw-link", "ltw-local2"]'
}

# wait_count FILE N TIMEOUT_S: until FILE has N lines.
wait_count() {
	local deadline=$(($(now_ms) + $3 * 1000))
	until (($(wc -l <"$1" 2>/dev/null || echo 0) >= $2)); do
		(($(now_ms) >= deadline)) && return 1
		sleep 0.02
	done
}

# A storm of lock failures on distinct files while another user holds
# 20,000 locks (20,000 lines of /proc/locks): the tracer reads /proc/locks
# once for the failures around it, not once per failure (the bytes it read,
# from /proc/PID/io, stay far below one read per failure), and every
# failure still names its holder.
case_facts_locks_storm() {
	local dir=$1 json=$ART/lt.json n=300 pid hpid size r0 r1 reads
	mkdir -m 755 "$dir/many" || return 1
	mkdir -m 777 "$dir/ranges" || return 1
	hold_start ranges --uid 4242 hold-ranges "$dir/ranges/r" 20000 || return 1
	hold_start flocks hold-flocks "$dir/many" "$n" || return 1
	hpid=$BG_PID
	size=$(wc -c </proc/locks)
	((size > 1000000)) || fail "/proc/locks is only $size bytes with 20,000 locks held"
	wl_start w "$dir/go" --uid 4243 --comm ltw-storm flock-burst "$dir/many" "$n" || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	r0=$(awk '$1 == "rchar:" {print $2}' "/proc/$LT_PID/io")
	touch "$dir/go"
	wl_finish "$pid" w
	WL_PENDING=()
	expect_result w "^done $n failures=$n\$"
	wait_count "$ART/lt.out" "$n" 20 || fail "fewer than $n events in 20 s"
	r1=$(awk '$1 == "rchar:" {print $2}' "/proc/$LT_PID/io")
	lt_stop lt
	reads=$(((r1 - r0) / size))
	note "/proc/locks: $size bytes; the tracer read $((r1 - r0)) bytes for $n failures (~$reads reads)"
	((reads <= 10)) || fail "the tracer read /proc/locks about $reads times for $n lock failures"
	expect_jq "$n flock failures, each with its holder named" "$json" \
		'length == $n and all(.[]; .cause.kind == "lock_held" and .cause.holders[0].pid == $h)' \
		--argjson n "$n" --argjson h "$hpid"
}

# A path too deep to capture whole (70 levels: the kernel side walks 64) is
# flagged truncated, and its captured end is never looked up as if it were
# a real absolute path: the cause says the facts could not be looked up.
case_facts_truncated_path() {
	local dir=$1 json=$ART/lt.json deep=$1 i pid
	for ((i = 0; i < 70; i++)); do deep+=/d; done
	mkdir -p "$deep" || return 1
	make_private "$deep/x.lock" || return 1
	wl_start_cwd w "$dir/go" "$deep" --uid 4242 --comm ltw-deep open x.lock rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_jq "one event, flagged truncated, the captured end kept" "$json" \
		'length == 1 and .[0].path_truncated and (.[0].path | endswith("/d/d/x.lock"))'
	expect_jq "not looked up as a path: facts path_truncated, no object" "$json" \
		'.[0].cause | .kind == "unknown" and .facts.state == "path_truncated" and
		(has("object") | not) and (has("missing") | not) and (.detail | contains("longer than locktrace captures"))'
}

# A mount whose point has 1,100 spaces in its name (5 directories of 220):
# its mountinfo line is
# over 4 KiB (the kernel writes each space as \040), read whole, so a
# refusal on it names that mount and its filesystem (a tmpfs, read-only),
# not the filesystem the mount point is on.
case_facts_long_mountinfo() {
	local dir=$1 json=$ART/lt.json mnt=$1 pid rc i
	for ((i = 0; i < 5; i++)); do mnt+=/$(printf '%220s' ''); done
	mnt+=m
	mkdir -p "$mnt" || return 1
	mount -t tmpfs -o size=1m,ro lt-long "$mnt" || {
		fail "cannot mount a tmpfs on a point of 1,100 spaces"
		return 1
	}
	(($(grep -F ' lt-long ' /proc/self/mountinfo | head -n 1 | wc -c) > 4096)) ||
		fail "setup: the mountinfo line is not over 4 KiB"
	wl_start w "$dir/go" --uid 4242 --comm ltw-longmnt open "$mnt/x.lock" rdwr creat || rc=1
	if [[ -z ${rc:-} ]]; then
		pid=$WL_PID
		if lt_start lt --pid "$pid" -j -o "$json"; then
			release_and_stop "$dir/go" lt
			expect_result w '^err=EROFS errno=30$'
			expect_jq "the cause names the tmpfs on the long mount point, read-only" "$json" \
				'length == 1 and (.[0].cause | .kind == "readonly_fs" and .fs.type == "tmpfs" and
				 .fs.source == "lt-long" and .fs.mountpoint == $m and .fs.readonly)' --arg m "$mnt"
		fi
	fi
	reap_all
	umount "$mnt" || umount -l "$mnt"
	return 0
}
