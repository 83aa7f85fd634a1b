# Integration cases for what a lock file says of its owner (owner_hint):
# lock files written by another user, read by the tracer as root, on a
# local filesystem and through a FUSE mount. Sourced by tests/integ/integ.sh,
# which provides lib.sh, causes.sh (expect_cause), safety.sh
# (opened_targets), $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# owner_hold NAME FILE COMM: uid 4343 writes its own pid into FILE, then
# (the same process) holds a flock on it; waits for "held". Sets BG_PID.
owner_hold() {
	bg_start "$ART/$1.out" "$ART/$1.err" setpriv --reuid=4343 --regid=4343 --clear-groups \
		bash -c 'echo $$ >"$1" && exec "$2" --comm "$3" hold-flock "$1" ex' _ "$2" "$LTWORK" "$3"
	wait_line "$ART/$1.out" '^held$' 10 "$BG_PID" || {
		fail "holder $1 did not print held"
		return 1
	}
}

# kudu_lock FILE: a lock file as Kudu writes it (JObject.ToString(): the
# OperationName, AcquiredDateTime, a StackTrace longer than what is read
# of a file's start, then the InstanceId), by uid 4343.
kudu_lock() {
	setpriv --reuid=4343 --regid=4343 --clear-groups perl -e '
		my $st = "   at Kudu.Core.Deployment.DeploymentManager.DeployAsync(\\\"InstanceId\\\": x)\\r\\n" x 300;
		open(my $f, ">", $ARGV[0]) or die "$!";
		print $f "{\r\n  \"OperationName\": \"deployment\",\r\n",
			"  \"AcquiredDateTime\": \"2026-11-24T10:40:55.1234567Z\",\r\n",
			"  \"StackTrace\": \"$st\",\r\n  \"InstanceId\": \"3f2a9c\"\r\n}";' "$1"
}

# Lock files written by uid 4343, found by uid 4242's O_CREAT|O_EXCL
# (EEXIST), each naming its owner: the pid of a live process holding a
# flock on it, the pid of one gone, "pid@host" of another host and of this
# one, a Kudu-like JSON object (its InstanceId past a long stack trace).
# Checked in the JSON (owner_hint), the text view and --explain, and the
# report.
case_owner_hint() {
	local dir=$1 json=$ART/lt.json out=$ART/lt.out hp dead pl pd po ph pk
	mkdir -m 755 "$dir/locks" && chown 4343:4343 "$dir/locks" || return 1
	owner_hold hold "$dir/locks/live.lock" ltw-owner || return 1
	hp=$BG_PID
	dead=$(setpriv --reuid=4343 --regid=4343 --clear-groups bash -c 'echo $$ >"$1"; echo $$' _ "$dir/locks/dead.lock") || return 1
	setpriv --reuid=4343 --regid=4343 --clear-groups bash -c \
		'printf "4711@otherhost-lt\n" >"$1"; printf "%s@%s\n" "$2" "$3" >"$4"' \
		_ "$dir/locks/other.lock" "$hp" "$(hostname)" "$dir/locks/here.lock" || return 1
	kudu_lock "$dir/locks/kudu.lock" || return 1
	(($(stat -c %s "$dir/locks/kudu.lock") > 16384)) || fail "setup: kudu.lock is not longer than what is read of both ends"
	wl_start wl "$dir/go" --uid 4242 --comm ltw-live open "$dir/locks/live.lock" wronly creat excl || return 1
	pl=$WL_PID
	wl_start wd "$dir/go" --uid 4242 --comm ltw-dead open "$dir/locks/dead.lock" wronly creat excl || return 1
	pd=$WL_PID
	wl_start wo "$dir/go" --uid 4242 --comm ltw-other open "$dir/locks/other.lock" wronly creat excl || return 1
	po=$WL_PID
	wl_start wh "$dir/go" --uid 4242 --comm ltw-here open "$dir/locks/here.lock" wronly creat excl || return 1
	ph=$WL_PID
	wl_start wk "$dir/go" --uid 4242 --comm ltw-kudu open "$dir/locks/kudu.lock" wronly creat excl || return 1
	pk=$WL_PID
	lt_start lt --pid "$pl,$pd,$po,$ph,$pk" --explain -w -o "$json" || return 1
	release_and_stop "$dir/go" lt
	for w in wl wd wo wh wk; do expect_result "$w" '^err=EEXIST errno=17$'; done
	expect_cause "live pid: lock_held, its pid alive here with its comm" "$json" "$pl" \
		'.cause | .kind == "lock_held" and .owner_hint == {"evidence": "lock-file", "format": "pid", "pid": $h, "alive": true, "comm": "ltw-owner"} and
			(.detail | contains("its owner pid \($h) (ltw-owner) is alive"))' --argjson h "$hp"
	expect_cause "dead pid: stale_lock, not alive" "$json" "$pd" \
		'.cause | .kind == "stale_lock" and .owner_pid == $d and .owner_hint == {"evidence": "lock-file", "format": "pid", "pid": $d, "alive": false}' \
		--argjson d "$dead"
	expect_cause "pid@otherhost: not this host, its pid not looked up here" "$json" "$po" \
		'.cause | .kind == "unknown" and (has("owner_pid") | not) and
			.owner_hint == {"evidence": "lock-file", "format": "pid@host", "pid": 4711, "host": "otherhost-lt", "this_host": false} and
			(.detail | contains("names pid 4711 on host otherhost-lt, not this host")) and (.fix | contains("on host otherhost-lt"))'
	expect_cause "pid@this host: this host, alive" "$json" "$ph" \
		'.cause | .kind == "lock_held" and .owner_hint.this_host == true and .owner_hint.alive == true and
			.owner_hint.pid == $h and .owner_hint.comm == "ltw-owner"' --argjson h "$hp"
	expect_cause "Kudu's JSON: operation, acquired, and the InstanceId from the file's end" "$json" "$pk" \
		'.cause | .kind == "unknown" and .owner_hint == {"evidence": "lock-file", "format": "json", "instance_id": "3f2a9c",
			"operation": "deployment", "acquired": "2026-11-24T10:40:55.1234567Z"} and
			(.detail | contains("names operation deployment, instance 3f2a9c, acquired 2026-11-24T10:40:55.1234567Z"))'
	grep -q "ltw-other .*unknown: lock file $dir/locks/other.lock exists and names pid 4711 on host otherhost-lt, not this host\$" "$out" ||
		fail "text view: no line naming the other host: $(grep ltw-other "$out")"
	grep -q "why: unknown: lock file $dir/locks/kudu.lock exists and names operation deployment, instance 3f2a9c" "$out" ||
		fail "--explain: no why naming Kudu's instance: $(grep -A1 ltw-kudu "$out")"
	"$LT" report "$json" >"$ART/report.txt" 2>"$ART/report.err" || fail "report exited $?: $(cat "$ART/report.err")"
	grep -q "why: lock file $dir/locks/other.lock exists and names pid 4711 on host otherhost-lt, not this host" "$ART/report.txt" ||
		fail "report: no why naming the other host"
	reap "$hp"
}

# A FUSE mount (bindfs) stands for a network share: a failure there reads
# the lock file whatever else is known. uid 4242's flock is refused by a
# holder whose pid is in the file (lock_held, and the hint); uid 4242's
# open of a 0600 lock file of uid 4343 holding JSON is refused (dac, and
# the hint). Beside them on the mount, a FIFO and a symbolic link (to a
# FIFO) named like lock files, each refused to uid 4242: the tracer,
# watched by strace, opens neither, nor what the link leads to.
case_owner_hint_fuse() {
	local dir=$1 fpid
	mkdir -p "$dir/src/locks" "$dir/mnt" "$dir/obj" || return 1
	chown 4343:4343 "$dir/src/locks" && chmod 755 "$dir/src" "$dir/src/locks" || return 1
	bg_start "$ART/bindfs.out" "$ART/bindfs.err" bindfs -f "$dir/src" "$dir/mnt"
	fpid=$BG_PID
	if ! wait_mounted "$dir/mnt" 10; then
		fail "bindfs did not mount $dir/mnt"
		return 1
	fi
	owner_fuse_body "$dir"
	fusermount3 -u -z "$dir/mnt" 2>/dev/null || umount -l "$dir/mnt" 2>/dev/null
	reap "$fpid"
	return 0
}

owner_fuse_body() {
	local dir=$1 mnt=$1/mnt json=$ART/lt.json st=$ART/strace.log hp pf pa pq pn spid bad="" log
	owner_hold hold "$mnt/locks/held.lock" ltw-fowner || return 1
	hp=$BG_PID
	setpriv --reuid=4343 --regid=4343 --clear-groups bash -c \
		'umask 077; printf "{\"pid\": 4711, \"host\": \"otherhost-lt\", \"InstanceId\": \"i-7\"}" >"$1"' \
		_ "$mnt/locks/acl.lock" || return 1
	mkfifo "$dir/obj/fifo" "$dir/src/locks/fifo.lock" && chown 4343:4343 "$dir/src/locks/fifo.lock" || return 1
	ln -s "$dir/obj/fifo" "$dir/src/locks/link.lock" && chown -h 4343:4343 "$dir/src/locks/link.lock" || return 1
	wl_start wf "$dir/go" --uid 4242 --comm ltw-fflock flock "$mnt/locks/held.lock" ex nb || return 1
	pf=$WL_PID
	wl_start wa "$dir/go" --uid 4242 --comm ltw-facl open "$mnt/locks/acl.lock" rdwr || return 1
	pa=$WL_PID
	wl_start wq "$dir/go" --uid 4242 --comm ltw-ffifo open "$mnt/locks/fifo.lock" wronly creat excl || return 1
	pq=$WL_PID
	wl_start wn "$dir/go" --uid 4242 --comm ltw-flink open "$mnt/locks/link.lock" wronly creat excl || return 1
	pn=$WL_PID
	lt_start lt --pid "$pf,$pa,$pq,$pn" -j -o "$json" || return 1
	bg_start "$ART/strace.out" "$ART/strace.err" strace -f -ff -y -e trace=open,openat,openat2,read,pread64 -o "$st" -p "$LT_PID"
	spid=$BG_PID
	wait_line "$ART/strace.err" 'attached' 10 "$spid" || {
		fail "strace did not attach to the tracer"
		return 1
	}
	release_and_stop "$dir/go" lt
	wait_exit "$spid" 10 || fail "strace still running after the tracer exited"
	expect_result wf '^err=EAGAIN errno=11$'
	expect_result wa '^err=EACCES errno=13$'
	expect_result wq '^err=EEXIST errno=17$'
	expect_result wn '^err=EEXIST errno=17$'
	expect_cause "flock on FUSE: lock_held by the holder, and the pid the file names" "$json" "$pf" \
		'.cause | .kind == "lock_held" and .holders[0].pid == $h and
			.owner_hint == {"evidence": "lock-file", "format": "pid", "pid": $h, "alive": true, "comm": "ltw-fowner"} and
			(.detail | contains("; the lock file names pid \($h), alive here (ltw-fowner)"))' --argjson h "$hp"
	expect_cause "refused open on FUSE: dac, and what the 0600 JSON file names" "$json" "$pa" \
		'.cause | .kind == "dac" and .owner_hint == {"evidence": "lock-file", "format": "json", "pid": 4711,
			"host": "otherhost-lt", "this_host": false, "instance_id": "i-7"} and
			(.detail | contains("; the lock file names instance i-7, pid 4711 on host otherhost-lt, not this host"))'
	expect_cause "FIFO on FUSE: said, no hint" "$json" "$pq" '.cause | .object.type == "fifo" and (has("owner_hint") | not)'
	expect_cause "link on FUSE: said, no hint" "$json" "$pn" '.cause | .object.symlink.target == $t and (has("owner_hint") | not)' \
		--arg t "$dir/obj/fifo"
	grep -q 'openat2(' "$st".* || fail "strace saw no openat2 by the tracer"
	for log in "$st".*; do
		bad+=$(opened_targets "$log" "$mnt/locks/fifo.lock" "$mnt/locks/link.lock" "$dir/obj/fifo" \
			"$dir/src/locks/fifo.lock")
	done
	[[ -z $bad ]] || fail "the tracer opened a FIFO or a link named like a lock file: $bad"
	if grep -hE "read(64)?\([0-9]+<($mnt/locks/(fifo|link)\.lock|$dir/obj/fifo)>" "$st".*; then
		fail "the tracer read a FIFO or through a link"
	fi
	# The regular lock files were read, bounded, through the mount (the
	# check sees reads where it would see the others).
	grep -qE "^pread64\([0-9]+<$mnt/locks/acl\.lock>, .*, 8192, 0\) = [0-9]+" "$st".* ||
		fail "strace never saw the tracer read $mnt/locks/acl.lock (8192 bytes at 0): is the check blind?"
}
