# Integration cases for --holders (locks taken and let go on network shares)
# and the report's cross-host contention: sourced by tests/integ/integ.sh,
# which provides lib.sh, $LT, $LTWORK and $ART. No SMB or NFS server runs on
# this host (the VM test has Samba): the shares here are a tmpfs and bindfs
# (FUSE), named with --holders-fs or watched by default (fuse).
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# hold_events FILE: the recording's lock_acquired and lock_released events.
hold_events() {
	jq -c 'select(.event == "lock_acquired" or .event == "lock_released")' "$1"
}

# --holders-fs tmpfs on a tmpfs mounted as "lt-share": each lock taken on it
# and let go its own way (flock LOCK_UN; a POSIX lock of two ranges, one let
# go by F_UNLCK, the rest by close; an OFD lock by F_UNLCK; flock at the
# process's exit), each release paired with its acquisition by its hold id,
# with the descriptor; a lock on the ext4 beside it is not reported; a full
# holds table is counted, its acquisitions reported untracked.
case_holders_tmpfs() {
	local dir=$1 rc
	mkdir -p "$dir/share" "$dir/local" || return 1
	mount -t tmpfs -o size=1m lt-share "$dir/share" || {
		fail "cannot mount a tmpfs on $dir/share"
		return 1
	}
	holders_tmpfs_body "$dir"
	rc=$?
	reap_all
	umount "$dir/share" || umount -l "$dir/share"
	return $rc
}

holders_tmpfs_body() {
	local dir=$1 rec=$dir/rec.jsonl rec2=$dir/full.jsonl lock=$dir/share/locks/status.lock
	local fds p1 p2
	mkdir -p "$dir/share/locks" "$dir/share/many" && : >"$lock" && : >"$dir/local/x.lock" || return 1
	wl_start w "$dir/go" --comm ltw-holds holds "$lock" || return 1
	p1=$WL_PID
	wl_start l "$dir/go" --comm ltw-local hold-flock "$dir/local/x.lock" ex 10 || return 1
	p2=$WL_PID
	lt_start lt -o "$rec" -j --holders-fs tmpfs --pid "$p1,$p2" --host tmpfs-host || return 1
	touch "$dir/go"
	wl_finish "$p1" w
	wait_line "$ART/l.out" '^released$' 5 || fail "the local holder did not release"
	WL_PENDING=()
	lt_stop lt
	expect_result w '^done$'
	fds=$(sed -n 's/^fd=\([0-9]*\) .*/\1/p' "$ART/w.out" | tr '\n' ' ')
	read -r -a fd <<<"$fds"
	((${#fd[@]} == 4)) || {
		fail "the workload printed ${#fd[@]} descriptors, expected 4"
		return 1
	}
	hold_events "$rec" >"$dir/holds.jsonl"
	note "hold events: $(wc -l <"$dir/holds.jsonl")"
	expect_jq "9 hold events, all the workload's, none on the ext4" "$dir/holds.jsonl" \
		'length == 9 and all(.[]; .pid == $p and .path == $path and .ret == 0 and .comm == "ltw-holds")' \
		--argjson p "$p1" --arg path "$lock"
	expect_jq "on the share lt-share, its path within it, its mount point; fs tmpfs" "$dir/holds.jsonl" \
		'all(.[]; .hold.fs == "tmpfs" and .hold.share == "lt-share" and .hold.share_path == "/locks/status.lock" and
		 .hold.mount == $m)' --arg m "$dir/share"
	expect_jq "flock LOCK_EX, then LOCK_UN: one hold, released by the call, on its descriptor" "$dir/holds.jsonl" \
		'.[0].event == "lock_acquired" and .[0].syscall == "flock" and .[0].flags == "LOCK_EX" and
		 .[0].fd == $fd and .[0].hold.kind == "flock" and .[0].hold.type == "F_WRLCK" and
		 .[1].event == "lock_released" and .[1].syscall == "flock" and .[1].flags == "LOCK_UN" and
		 .[1].fd == $fd and .[1].hold.release == "unlock" and .[1].hold.id == .[0].hold.id and
		 .[1].hold.held_us >= 15000 and .[1].hold.held_us < 5000000' --argjson fd "${fd[0]}"
	expect_jq "POSIX: two ranges one hold; a part let go is no release; close lets it go" "$dir/holds.jsonl" \
		'.[2].event == "lock_acquired" and .[2].syscall == "fcntl" and .[2].hold.kind == "posix" and
		 .[2].hold.start == 0 and .[2].hold.end == 9 and .[2].fd == $fd and
		 .[3].event == "lock_acquired" and .[3].hold.id == .[2].hold.id and .[3].hold.start == 20 and
		 .[3].hold.end == 29 and
		 .[4].event == "lock_released" and .[4].syscall == "close" and .[4].hold.release == "close" and
		 .[4].fd == $fd and .[4].hold.id == .[2].hold.id and .[4].lock_layer.flags == "FL_POSIX|FL_CLOSE" and
		 .[4].hold.held_us >= 30000' --argjson fd "${fd[1]}"
	expect_jq "OFD F_RDLCK, then F_UNLCK" "$dir/holds.jsonl" \
		'.[5].hold.kind == "ofd" and .[5].flags == "F_RDLCK" and .[5].fd == $fd and
		 .[6].event == "lock_released" and .[6].flags == "F_UNLCK" and .[6].hold.release == "unlock" and
		 .[6].hold.id == .[5].hold.id' --argjson fd "${fd[2]}"
	expect_jq "flock LOCK_SH, let go at the exit" "$dir/holds.jsonl" \
		'.[7].flags == "LOCK_SH" and .[7].hold.type == "F_RDLCK" and .[8].event == "lock_released" and
		 .[8].syscall == "exit" and .[8].hold.release == "exit" and .[8].hold.id == .[7].hold.id'
	expect_jq "four holds, four ids" "$dir/holds.jsonl" '[.[].hold.id] | unique | length == 4 and all(. > 0)'
	jq -e -s '.[0].type == "header" and .[0].host == "tmpfs-host" and .[0].filters.holders == ["tmpfs"] and
		(.[0].mounts | any(.mount == $m and .fs == "tmpfs" and .share == "lt-share" and .share_path == "/"))' \
		--arg m "$dir/share" "$rec" >/dev/null ||
		fail "header: host, holders or the tmpfs mount missing: $(head -n 1 "$rec" | head -c 600)"
	expect_counter "trailer: nothing lost" "$rec" '.type == "trailer" and .holds_full == 0 and .dropped_kernel == 0'

	# A holds table of 2 (a test knob): 4 locks taken, 2 kept; the other 2
	# reported untracked and counted; only the kept ones' releases come.
	wl_start m "$dir/go2" --comm ltw-many hold-flocks "$dir/share/many" 4 || return 1
	bg_start "$ART/full.out" "$ART/full.err" env --default-signal=INT,TERM LOCKTRACE_HOLDS_MAX=2 \
		"$LT" record -o "$rec2" --holders-fs tmpfs --pid "$WL_PID"
	LT_PID=$BG_PID
	wait_line "$ART/full.err" '^locktrace: tracing' 20 "$LT_PID" || {
		fail "locktrace (holds table of 2) did not start"
		return 1
	}
	touch "$dir/go2"
	wait_line "$ART/m.out" '^held$' 10 || fail "hold-flocks did not hold"
	wait_lines "$rec2" '"lock_acquired"' 4 5 || fail "4 acquisitions not recorded"
	reap "$WL_PID"
	WL_PENDING=()
	wait_lines "$rec2" '"lock_released"' 2 5 || fail "2 releases not recorded"
	sleep 0.3
	lt_stop full
	expect_jq "4 acquisitions, 2 untracked (id 0), 2 releases of the kept ones" "$rec2" \
		'(map(select(.event == "lock_acquired")) | length == 4 and (map(select(.hold.untracked)) |
		  length == 2 and all(.hold.id == 0))) and (map(select(.event == "lock_released")) |
		  length == 2 and all(.hold.id > 0 and .hold.release == "exit"))'
	expect_counter "trailer: holds_full 2" "$rec2" '.type == "trailer" and .holds_full == 2'
	grep -q '^locktrace: lost or degraded: 2 lock holds not kept (holds full)$' "$ART/full.err" ||
		fail "summary does not say the 2 holds not kept: $(grep 'lost or degraded' "$ART/full.err")"
	return 0
}

# The path within the share through a bind mount of one of its directories
# (the mount does not show the filesystem's root: the path within it is
# not the path below the mount point) and through the share's own mount
# (where it is): both name the file by its path from the filesystem's root.
case_holders_bind() {
	local dir=$1 rc
	mkdir -p "$dir/share" "$dir/bound" || return 1
	mount -t tmpfs -o size=1m lt-share "$dir/share" || {
		fail "cannot mount a tmpfs on $dir/share"
		return 1
	}
	if mkdir -p "$dir/share/site/locks" && mount --bind "$dir/share/site" "$dir/bound"; then
		holders_bind_body "$dir"
		rc=$?
		reap_all
		umount "$dir/bound" || umount -l "$dir/bound"
	else
		fail "cannot bind-mount $dir/share/site on $dir/bound"
		rc=1
	fi
	umount "$dir/share" || umount -l "$dir/share"
	return $rc
}

holders_bind_body() {
	local dir=$1 rec=$dir/rec.jsonl pb pd
	: >"$dir/share/site/locks/b.lock" && : >"$dir/share/site/locks/d.lock" || return 1
	wl_start b "$dir/go" --comm ltw-bound hold-flock "$dir/bound/locks/b.lock" ex 10 || return 1
	pb=$WL_PID
	wl_start d "$dir/go" --comm ltw-direct hold-flock "$dir/share/site/locks/d.lock" ex 10 || return 1
	pd=$WL_PID
	lt_start lt -o "$rec" -j --holders-fs tmpfs --pid "$pb,$pd" || return 1
	touch "$dir/go"
	wait_line "$ART/b.out" '^released$' 5 || fail "the holder through the bind mount did not release"
	wait_line "$ART/d.out" '^released$' 5 || fail "the holder through the share's mount did not release"
	WL_PENDING=()
	lt_stop lt
	hold_events "$rec" >"$dir/holds.jsonl"
	expect_jq "through the bind mount: its path, its mount point, the path from the filesystem's root" \
		"$dir/holds.jsonl" \
		'map(select(.pid == $p)) | length == 2 and all(.[]; .path == $path and .hold.mount == $m and
		 .hold.fs == "tmpfs" and .hold.share == "lt-share" and .hold.share_path == "/site/locks/b.lock")' \
		--argjson p "$pb" --arg path "$dir/bound/locks/b.lock" --arg m "$dir/bound"
	expect_jq "through the share's own mount: the path below it" "$dir/holds.jsonl" \
		'map(select(.pid == $p)) | length == 2 and all(.[]; .path == $path and .hold.mount == $m and
		 .hold.share_path == "/site/locks/d.lock")' \
		--argjson p "$pd" --arg path "$dir/share/site/locks/d.lock" --arg m "$dir/share"
}

# Two instances of one share: a source directory mounted twice with bindfs
# (two FUSE mounts, at two mount points), each recorded by its own tracer
# as its own host (--host), --holders watching FUSE by default. Host A holds
# the lock for a while; host B is refused on its own mount meanwhile, and
# again after A let go. locktrace report of the two recordings names the
# file on the share whatever the mount point, and sets B's first refusal,
# only that one, against A's hold, in every format.
case_holders_crosshost() {
	local dir=$1 rc fa fb
	mkdir -p "$dir/src/locks" "$dir/a" "$dir/b" || return 1
	chmod 755 "$dir/src" "$dir/src/locks" && : >"$dir/src/locks/status.lock" || return 1
	bg_start "$ART/bindfs-a.out" "$ART/bindfs-a.err" bindfs -f "$dir/src" "$dir/a"
	fa=$BG_PID
	bg_start "$ART/bindfs-b.out" "$ART/bindfs-b.err" bindfs -f "$dir/src" "$dir/b"
	fb=$BG_PID
	if wait_mounted "$dir/a" 10 && wait_mounted "$dir/b" 10; then
		holders_crosshost_body "$dir"
		rc=$?
	else
		fail "bindfs did not mount $dir/a and $dir/b"
		rc=1
	fi
	reap_all
	fusermount3 -u -z "$dir/a" 2>/dev/null || umount -l "$dir/a" 2>/dev/null
	fusermount3 -u -z "$dir/b" 2>/dev/null || umount -l "$dir/b" 2>/dev/null
	return $rc
}

holders_crosshost_body() {
	local dir=$1 ra=$dir/host-a.jsonl rb=$dir/host-b.jsonl a b pa pb hold_pid t_rel
	# Each tracer sees only its own mount, as a host sees only its own.
	lt_start lta record -o "$ra" --holders --host host-a -p "$dir/a/**" || return 1
	a=$LT_PID
	lt_start ltb record -o "$rb" --holders --host host-b -p "$dir/b/**" || return 1
	b=$LT_PID
	bg_start "$ART/hold.out" "$ART/hold.err" "$LTWORK" --comm ltw-hold-a hold-flock "$dir/a/locks/status.lock" ex 1500
	hold_pid=$BG_PID
	wait_line "$ART/hold.out" '^held$' 10 "$hold_pid" || {
		fail "host A's holder did not hold"
		return 1
	}
	# B, uid 4242, opens the file for writing on its mount: refused (0644 root).
	"$LTWORK" --uid 4242 --comm ltw-b open "$dir/b/locks/status.lock" rdwr >"$ART/b1.out" 2>&1
	[[ $(tail -n 1 "$ART/b1.out") == "err=EACCES errno=13" ]] || fail "B's first open: $(cat "$ART/b1.out")"
	wait_line "$ART/hold.out" '^released$' 10 "$hold_pid" || fail "host A's holder did not let go"
	sleep 0.2
	"$LTWORK" --uid 4242 --comm ltw-b-late open "$dir/b/locks/status.lock" rdwr >"$ART/b2.out" 2>&1
	sleep 0.3
	LT_PID=$a
	lt_stop lta
	LT_PID=$b
	lt_stop ltb
	pa=$(hold_events "$ra" | head -n 1 | jq -r .pid)
	[[ $pa == "$hold_pid" ]] || fail "host A's recording: the holder is pid '$pa', expected $hold_pid"
	jq -e -s 'map(select(.event == "lock_acquired" or .event == "lock_released")) |
		length == 2 and .[0].hold.fs == "fuse" and .[0].hold.share == $src and
		.[0].hold.share_path == "/locks/status.lock" and .[0].hold.mount == $m and
		.[1].hold.release == "unlock"' \
		--arg src "$dir/src" --arg m "$dir/a" "$ra" >/dev/null || fail "host A's holds: $(hold_events "$ra" | head -c 800)"
	jq -e -s '(.[0].mounts | any(.mount == $m and .share == $src and .share_path == "/")) and
		(map(select(.event == "open")) | length == 2)' --arg m "$dir/b" --arg src "$dir/src" "$rb" >/dev/null ||
		fail "host B's recording: its mount or its two refusals missing: $(head -c 800 "$rb")"
	pb=$(jq -r 'select(.comm == "ltw-b") | .pid' "$rb")

	(cd "$dir" && "$LT" report host-a.jsonl host-b.jsonl) >"$ART/report.txt" 2>"$ART/report.err" ||
		fail "report exited $?: $(cat "$ART/report.err")"
	sed -n '/^Cross-host contention/,/^$/p' "$ART/report.txt" >"$ART/cross-host.txt"
	grep -Eq "^  1 of 2 failures on shares happened while another host held the lock \(1 lock held on shares, in recordings of 2 hosts\)$" \
		"$ART/cross-host.txt" || fail "cross-host summary: $(head -n 2 "$ART/cross-host.txt")"
	grep -Eq "^      refused on host-b at [0-9T:.-]+Z \(open EACCES, dac\) by pid $pb \(ltw-b\) uid 4242 while host-a's pid $hold_pid \(ltw-hold-a\) held it \(flock LOCK_EX\) from [0-9T:.-]+Z to [0-9T:.-]+Z$" \
		"$ART/cross-host.txt" || fail "no cross-host line for B's refusal: $(cat "$ART/cross-host.txt")"
	grep -q "ltw-b-late" "$ART/cross-host.txt" && fail "B's refusal after A let go is in the cross-host section"
	grep -q "^      on host-a: $dir/a/locks/status.lock$" "$ART/cross-host.txt" &&
		grep -q "^      on host-b: $dir/b/locks/status.lock$" "$ART/cross-host.txt" ||
		fail "the hosts' own paths of the file are not named"
	(cd "$dir" && "$LT" report -f json host-a.jsonl host-b.jsonl) >"$ART/report.json" || fail "report -f json failed"
	jq -e '.cross_host.while_held == 1 and .cross_host.files[0].share == $src and
		.cross_host.files[0].share_path == "/locks/status.lock" and
		(.cross_host.files[0].rows | length == 1) and
		(.cross_host.files[0].rows[0] | .host == "host-b" and .pid == $pb and .cause == "dac" and
		 .holder.host == "host-a" and .holder.pid == $ph and .holder.still_held == false and
		 .holder.from < .first and .first < .holder.to)' \
		--arg src "$dir/src" --argjson pb "$pb" --argjson ph "$hold_pid" "$ART/report.json" >/dev/null ||
		fail "report -f json: $(jq -c .cross_host "$ART/report.json" | head -c 800)"
	t_rel=$(jq -r 'select(.event == "lock_released") | .time' "$ra")
	jq -e --arg t "$t_rel" '.cross_host.files[0].rows[0].holder.to == $t' "$ART/report.json" >/dev/null ||
		fail "the hold's end is not its release's time ($t_rel)"
	for f in markdown html; do
		(cd "$dir" && "$LT" report -f $f host-a.jsonl host-b.jsonl) >"$ART/report.$f" || fail "report -f $f failed"
	done
	grep -q '^## Cross-host contention$' "$ART/report.markdown" || fail "markdown: no Cross-host contention section"
	grep -q '<section id="cross-host">' "$ART/report.html" && grep -q 'host-b</td>' "$ART/report.html" ||
		fail "html: no cross-host section with host-b's row"
	return 0
}
