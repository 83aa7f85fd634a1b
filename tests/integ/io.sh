# Integration cases for failures after open: ftruncate, write, read and
# fallocate refused on a lock file (an append-only flag, a full tmpfs, the
# descriptor's mode), .NET's FileStream sequence with each failing step
# named, and the successes that must stay silent. Sourced by
# tests/integ/integ.sh, which provides lib.sh, $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

LTWORK32=${LTWORK32:-$BUILD/tests/ltwork32}

# io_event DESC FILE PID FILTER [JQ-ARGS...]: process PID has exactly one
# event, and FILTER holds on it.
io_event() {
	local desc=$1 file=$2 pid=$3 filter=$4
	shift 4
	expect_jq "$desc" "$file" \
		"(map(select(.pid == \$p)) | length == 1) and (map(select(.pid == \$p))[0] | $filter)" \
		--argjson p "$pid" "$@"
}

# A tmpfs at DIR with inodes left and no block: FILE (empty) made first,
# then a filler takes every block. 1 if it cannot be made so.
full_tmpfs() {
	local dir=$1 file=$2
	if ! { mkdir -p "$dir" && mount -t tmpfs -o size=64k,nr_inodes=16,mode=0777 ltiofull "$dir"; }; then
		fail "mount a 64k tmpfs at $dir"
		return 1
	fi
	: >"$file" && chmod 666 "$file" || return 1
	dd if=/dev/zero of="$dir/filler" bs=4k count=64 2>/dev/null # ENOSPC ends it
	if [[ $(stat -f -c %a "$dir") != 0 || $(stat -f -c %d "$dir") == 0 ]]; then
		fail "setup: $dir should have no free block and free inodes: $(stat -f -c 'blocks %a inodes %d' "$dir")"
		return 1
	fi
	return 0
}

# ftruncate EPERM on an append-only (chattr +a) lock file, native and ia32
# (ftruncate and ftruncate64), and truncate by name; the write at its end
# that O_APPEND makes is allowed and not reported.
case_io_append_only() {
	local dir=$1 json=$ART/lt.json f=$1/locks/status.lock pn p32 pt
	[[ -x $LTWORK32 ]] || {
		fail "no $LTWORK32 (make integ-bin)"
		return 1
	}
	mkdir -p "$dir/locks" && : >"$f" && chmod 666 "$f" || return 1
	chattr +a "$f" || {
		fail "chattr +a $f"
		return 1
	}
	wl_start wn "$dir/go" --uid 4242 --comm ltw-append io "$f" wronly,append write 10 ftruncate 0 || return 1
	pn=$WL_PID
	wl_launch w32 "$LTWORK32" --go "$dir/go" --uid 4242 --comm ltw32-append \
		io "$f" wronly,append ftruncate 0 ftruncate64 0 || return 1
	p32=$WL_PID
	wl_start wt "$dir/go" --uid 4242 --comm ltw-trunc io "$f" rdonly truncate 0 || return 1
	pt=$WL_PID
	lt_start lt --attach raw --pid "$pn,$p32,$pt" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	chattr -a "$f"
	[[ $(wl_value wn write) == ok ]] || fail "setup: the O_APPEND write should succeed: $(wl_value wn write)"
	expect_result wn '^err=EPERM errno=1$'
	expect_result w32 '^err=EPERM errno=1$'
	expect_result wt '^err=EPERM errno=1$'
	io_event "native ftruncate: a truncate event, its descriptor, length 0, the inode append-only" "$json" "$pn" \
		'.event == "truncate" and .syscall == "ftruncate" and .path == $f and .fd == 3 and .io == {"length":0} and .error == "EPERM" and (.flags | split("|") | index("O_APPEND") != null) and .inode.append_only and (has("abi") | not)' \
		--arg f "$f"
	io_event "native ftruncate: immutable (append-only) from the kernel's flags" "$json" "$pn" \
		'.cause | .kind == "immutable" and .evidence == "kernel" and .detail == ("append-only flag (chattr +a) on " + $f + " forbids truncating it") and .object.path == $f and .object.append_only and (.fix | startswith("clear the flag: `chattr -i -a "))' \
		--arg f "$f"
	expect_jq "ia32: ftruncate and ftruncate64, each a truncate event with abi ia32" "$json" \
		'map(select(.pid == $p)) | length == 2 and (map(.syscall) | sort) == ["ftruncate", "ftruncate64"] and
		 all(.[]; .abi == "ia32" and .event == "truncate" and .io == {"length":0} and .path == $f and .cause.kind == "immutable" and .cause.evidence == "kernel")' \
		--argjson p "$p32" --arg f "$f"
	io_event "truncate by name: no descriptor, the name, the flag from the facts" "$json" "$pt" \
		'.event == "truncate" and .syscall == "truncate" and .path == $f and (has("fd") | not) and (has("flags") | not) and .io == {"length":0} and
		 (.cause | .kind == "immutable" and .evidence == "post-hoc" and (.detail | endswith("forbids truncating it")))' \
		--arg f "$f"
}

# write ENOSPC on a lock file that exists in a tmpfs with inodes but no
# blocks, native and ia32; fallocate too. The cause gives the filesystem's
# figures.
case_io_no_space() {
	local dir=$1 json=$ART/lt.json full=$1/locks f pn p32
	[[ -x $LTWORK32 ]] || {
		fail "no $LTWORK32 (make integ-bin)"
		return 1
	}
	f=$full/status.lock
	if full_tmpfs "$full" "$f"; then
		wl_start wn "$dir/go" --uid 4242 --comm ltw-full io "$f" wronly write 4096 fallocate 0 0 8192 || return 1
		pn=$WL_PID
		wl_launch w32 "$LTWORK32" --go "$dir/go" --uid 4242 --comm ltw32-full io "$f" wronly write 4096 || return 1
		p32=$WL_PID
		lt_start lt --attach raw --pid "$pn,$p32" -j -o "$json" || return 1
		release_and_stop "$dir/go" lt
		expect_result wn '^err=ENOSPC errno=28$'
		[[ $(wl_value wn write) == 'err=ENOSPC errno=28' ]] || fail "setup: the write should fail ENOSPC: $(wl_value wn write)"
		expect_result w32 '^err=ENOSPC errno=28$'
		expect_jq "native: a write event and a fallocate event" "$json" \
			'map(select(.pid == $p) | .event) == ["write", "fallocate"]' --argjson p "$pn"
		expect_jq "native write: 4096 bytes, no_space with the tmpfs's figures: no block, inodes left" "$json" \
			'map(select(.pid == $p and .event == "write"))[0] | .syscall == "write" and .io == {"count":4096} and .path == $f and
			 (.cause | .kind == "no_space" and .fs.type == "tmpfs" and .fs.mountpoint == $m and .fs.source == "ltiofull" and .fs.blocks_free == 0 and .fs.inodes_free > 0 and
			  (.detail | contains("; write of 4096 bytes on a file that exists: it needed blocks")))' \
			--argjson p "$pn" --arg f "$f" --arg m "$full"
		expect_jq "native fallocate: mode 0, offset 0, len 8192, no_space" "$json" \
			'map(select(.pid == $p and .event == "fallocate"))[0] | .io == {"mode":"0","offset":0,"len":8192} and .cause.kind == "no_space"' \
			--argjson p "$pn"
		io_event "ia32 write: abi ia32, no_space" "$json" "$p32" \
			'.abi == "ia32" and .syscall == "write" and .io == {"count":4096} and .cause.kind == "no_space" and .cause.fs.blocks_free == 0' 
	fi
	umount -l "$full" 2>/dev/null
	return 0
}

# The descriptor's mode: a write on a read-only descriptor and a read on a
# write-only one (EBADF), ftruncate on a read-only one (EINVAL), ia32's
# write too: bad_fd_mode from the kernel's record of the descriptor.
case_io_fd_mode() {
	local dir=$1 json=$ART/lt.json f=$1/locks/mode.lock pw pr pf p32
	mkdir -p "$dir/locks" && : >"$f" && chmod 666 "$f" || return 1
	wl_start ww "$dir/go" --comm ltw-wro io "$f" rdonly write 8 || return 1
	pw=$WL_PID
	wl_start wr "$dir/go" --comm ltw-rwo io "$f" wronly pread 0 8 || return 1
	pr=$WL_PID
	wl_start wf "$dir/go" --comm ltw-tro io "$f" rdonly ftruncate 0 || return 1
	pf=$WL_PID
	wl_launch w32 "$LTWORK32" --go "$dir/go" --comm ltw32-wro io "$f" rdonly write 8 || return 1
	p32=$WL_PID
	lt_start lt --attach raw --pid "$pw,$pr,$pf,$p32" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result ww '^err=EBADF errno=9$'
	expect_result wr '^err=EBADF errno=9$'
	expect_result wf '^err=EINVAL errno=22$'
	expect_result w32 '^err=EBADF errno=9$'
	io_event "write on O_RDONLY: bad_fd_mode, kernel" "$json" "$pw" \
		'.event == "write" and (.flags | startswith("O_RDONLY")) and .io == {"count":8} and (.cause | .kind == "bad_fd_mode" and .evidence == "kernel" and .fd_mode == "O_RDONLY" and (.detail | startswith("write on a descriptor opened read-only (O_RDONLY)")) and (.fix | startswith("open the file O_WRONLY or O_RDWR before writing to it")))'
	io_event "pread on O_WRONLY: bad_fd_mode" "$json" "$pr" \
		'.event == "read" and .syscall == "pread64" and .io == {"offset":0,"count":8} and (.cause | .kind == "bad_fd_mode" and .fd_mode == "O_WRONLY")'
	io_event "ftruncate on O_RDONLY: EINVAL, bad_fd_mode" "$json" "$pf" \
		'.event == "truncate" and .error == "EINVAL" and (.cause | .kind == "bad_fd_mode" and (.detail | contains("ftruncate says so with EINVAL")))'
	io_event "ia32 write on O_RDONLY: bad_fd_mode" "$json" "$p32" \
		'.abi == "ia32" and .syscall == "write" and .cause.kind == "bad_fd_mode"'
}

# .NET's FileStream(FileMode.Create, FileAccess.Write, FileShare.None) and
# a write, staged to fail at each step it can fail at on a lock file: the
# append-only flag set while the file is open (ftruncate EPERM), a full
# tmpfs (write ENOSPC), a lock held by another process (flock
# EWOULDBLOCK); and once all the way through, unreported. One event for
# each failing step, with its cause; --explain's lines too.
case_io_dotnet() {
	local dir=$1 json=$ART/lt.json out=$ART/lt.out full=$1/full pa pf ph pok hold
	mkdir "$dir/locks" && mkdir -m 777 "$dir/locks/a" "$dir/locks/h" "$dir/locks/ok" || return 1
	: >"$dir/locks/h/status.lock" && chmod 666 "$dir/locks/h/status.lock" || return 1
	full_tmpfs "$full" "$full/status.lock" || return 1
	hold_start hold --comm ltw-holder hold-flock "$dir/locks/h/status.lock" ex || return 1
	hold=$BG_PID
	wl_start wa "$dir/go" --uid 4242 --comm ltw-dotnet-a dotnet "$dir/locks/a/status.lock" pause-before ftruncate "$dir/go-a" || return 1
	pa=$WL_PID
	wl_start wf "$dir/go" --uid 4242 --comm ltw-dotnet-f dotnet "$full/status.lock" || return 1
	pf=$WL_PID
	wl_start wh "$dir/go" --uid 4242 --comm ltw-dotnet-h dotnet "$dir/locks/h/status.lock" || return 1
	ph=$WL_PID
	wl_start wok "$dir/go" --uid 4242 --comm ltw-dotnet-ok dotnet "$dir/locks/ok/status.lock" || return 1
	pok=$WL_PID
	lt_start lt --pid "$pa,$pf,$ph,$pok" --explain -w -o "$json" || return 1
	touch "$dir/go"
	# Opened and locked, paused before ftruncate: now the flag.
	if wait_line "$ART/wa.out" '^paused$' 10 "$pa" && chattr +a "$dir/locks/a/status.lock"; then
		touch "$dir/go-a"
	else
		fail "setup: the append-only step (paused, chattr +a)"
		touch "$dir/go-a"
	fi
	release_and_stop "$dir/go" lt
	chattr -a "$dir/locks/a/status.lock"
	umount -l "$full" 2>/dev/null
	for w in wa wf wh wok; do note "$w: $(tr '\n' ' ' <"$ART/$w.out")"; done
	[[ $(wl_value wa open) == ok && $(wl_value wa flock) == ok ]] || fail "append-only: open and flock should succeed"
	expect_result wa '^err=EPERM errno=1$'
	[[ $(wl_value wf ftruncate) == ok ]] || fail "full tmpfs: ftruncate(fd, 0) should succeed: $(wl_value wf ftruncate)"
	expect_result wf '^err=ENOSPC errno=28$'
	expect_result wh '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result wok '^ok$'
	expect_jq "one event for each failing step, none for the calls that succeeded" "$json" \
		'(map(select(.pid == $a) | .syscall) == ["ftruncate"]) and (map(select(.pid == $f) | .syscall) == ["write"]) and
		 (map(select(.pid == $h) | .syscall) == ["flock"]) and (map(select(.pid == $ok)) | length == 0)' \
		--argjson a "$pa" --argjson f "$pf" --argjson h "$ph" --argjson ok "$pok"
	io_event "step ftruncate(fd, 0): EPERM, append-only from the kernel" "$json" "$pa" \
		'.event == "truncate" and .fd == 3 and .io == {"length":0} and (.flags | startswith("O_WRONLY")) and .inode.append_only and
		 (.cause | .kind == "immutable" and .evidence == "kernel" and (.detail | contains("append-only flag (chattr +a)")) and (.detail | endswith("forbids truncating it")))'
	io_event "step write: ENOSPC, the full tmpfs's figures" "$json" "$pf" \
		'.event == "write" and .io.count == $n and (.cause | .kind == "no_space" and .fs.blocks_free == 0 and .fs.inodes_free > 0 and .fs.type == "tmpfs")' \
		--argjson n "$(wl_value wf write-count)"
	io_event "step flock(LOCK_EX|LOCK_NB): EWOULDBLOCK, held by the holder" "$json" "$ph" \
		'.event == "flock" and .flags == "LOCK_EX|LOCK_NB" and (.cause | .kind == "lock_held" and .evidence == "kernel" and .holders[0].pid == $hp and .holders[0].comm == "ltw-holder")' \
		--argjson hp "$hold"
	grep -q "ltw-dotnet-a .* ftruncate 0 .*EPERM  *immutable: append-only flag" "$out" || fail "--explain: no ftruncate line"
	grep -q '^    fix: clear the flag: `chattr -i -a ' "$out" || fail "--explain: no fix for the append-only flag"
	grep -q "ltw-dotnet-f .* write .*ENOSPC  *no_space: no space left on $full (tmpfs): 0 of" "$out" || fail "--explain: no write line"
	grep -q "ltw-dotnet-h .* flock EX|NB .*EWOULDBLOCK lock_held: held by pid $hold (ltw-holder" "$out" || fail "--explain: no flock line"
}

# Successful reads and writes of an open lock file are never reported,
# with or without --all (which still reports the successful open); nor is
# a failure on a lock path that is no regular file (pread on a FIFO,
# ESPIPE). A failed read of the same file is, in the same run.
case_io_quiet() {
	local dir=$1 json=$ART/lt.json json2=$ART/lt2.json f=$1/locks/q.lock fifo=$1/locks/fifo.lock pq pfifo pall pbad
	mkdir -p "$dir/locks" && mkfifo "$fifo" || return 1
	wl_start wq "$dir/go" --comm ltw-quiet io "$f" rdwr,creat write 512 pwrite 0 64 pread 0 64 read 16 writev 32 ftruncate 0 fallocate 0 0 4096 || return 1
	pq=$WL_PID
	wl_start wfifo "$dir/go" --comm ltw-fifo io "$fifo" rdwr pread 0 1 || return 1
	pfifo=$WL_PID
	wl_start wbad "$dir/go" --comm ltw-bad io "$f" wronly,creat write 8 read 8 || return 1
	pbad=$WL_PID
	lt_start lt --pid "$pq,$pfifo,$pbad" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result wq '^ok$'
	expect_result wfifo '^err=ESPIPE errno=29$'
	expect_result wbad '^err=EBADF errno=9$'
	expect_jq "no event for the successes, nor for the FIFO; one for the failed read" "$json" \
		'length == 1 and .[0].pid == $b and .[0].syscall == "read"' --argjson b "$pbad"
	wl_start wall "$dir/go2" --comm ltw-all io "$f" rdwr write 512 pread 0 64 read 16 ftruncate 0 || return 1
	pall=$WL_PID
	lt_start lt2 --all --pid "$pall" -j -o "$json2" || return 1
	release_and_stop "$dir/go2" lt2
	expect_result wall '^ok$'
	expect_jq "--all: the open, and nothing of the reads and writes after it" "$json2" \
		'length == 1 and .[0].event == "open" and .[0].errno == 0'
}
