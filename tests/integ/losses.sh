# Integration cases for the kernel side's limits and losses: the longest
# path carried, arguments gone from user memory, 32-bit (ia32) calls, full
# tables, and the counters that say what was lost or degraded. Sourced by
# tests/integ/integ.sh, which provides lib.sh, $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

LTWORK32=${LTWORK32:-$BUILD/tests/ltwork32}

# long_path BASE LEN NAME: BASE/d.../d.../NAME, exactly LEN bytes, with
# directory components of at most 200 bytes between BASE and NAME.
long_path() {
	local p=$1 len=$2 name=$3 r s seg
	r=$((len - ${#p} - 1 - ${#name}))
	if ((r == 1)); then
		name=x$name
		r=0
	fi
	while ((r > 0)); do
		s=$((r - 1 > 200 ? 200 : r - 1))
		((r - 1 - s == 1)) && s=$((s - 1))
		printf -v seg '%*s' "$s" ''
		p=$p/${seg// /d}
		r=$((r - 1 - s))
	done
	printf '%s/%s' "$p" "$name"
}

# walk_tail PATH: what a dentry walk into a 4096-byte buffer keeps of PATH
# (the longest "/..." suffix that fits), cut to the 4095 bytes an event
# carries.
walk_tail() {
	local s=$1
	while ((${#s} > 4096)); do
		s=${s#/}
		s=/${s#*/}
	done
	((${#s} == 4096)) && s=${s:1}
	printf '%s' "$s"
}

# Path limits: the longest name an event carries is 4095 bytes (PATH_MAX
# less its NUL), and path_truncated is set exactly when the name did not
# fit: absolute names of 4094, 4095, 4096 and 5000 bytes (the kernel refuses
# 4096 and more with ENAMETOOLONG), names relative to the working directory
# and to a dirfd whose resolved path is 4095 bytes or longer, and lock calls
# on files whose own path is 4094 to 4500 bytes long.
case_path_limits() {
	local dir=$1 json=$ART/lt.json mid f n w pids=() exp=()
	mid=$(long_path "$dir" 2500 m)
	mkdir -p "$mid" || return 1
	# Absolute names (the directories exist; the files do not).
	for n in 4094 4095 4096 5000; do
		f=$(long_path "$dir/a" "$n" missing.lock)
		((n < 4096)) && { mkdir -p "${f%/*}" || return 1; }
		wl_start "a$n" "$dir/go" --comm ltw-a open "$f" rdwr || return 1
		pids+=("$WL_PID")
		exp+=("a$n $WL_PID $f")
	done
	# Relative to the working directory ($mid) and to a dirfd ($mid).
	for n in 4095 4096 6000; do
		f=$(long_path "$mid/r$n" "$n" missing.lock)
		(cd "$mid" && mkdir -p "$(dirname "${f#"$mid"/}")") || return 1
		wl_start_cwd "r$n" "$dir/go" "$mid" --comm ltw-r open "${f#"$mid"/}" rdwr || return 1
		pids+=("$WL_PID")
		exp+=("r$n $WL_PID $f")
		wl_start "d$n" "$dir/go" --comm ltw-d openat "$mid" "${f#"$mid"/}" rdwr || return 1
		pids+=("$WL_PID")
		exp+=("d$n $WL_PID $f")
	done
	# Lock calls on existing files (a write lock on a read-only descriptor:
	# EBADF), opened relatively from $mid.
	for n in 4094 4095 4096 4500; do
		f=$(long_path "$mid/l$n" "$n" x.lock)
		(cd "$mid" && mkdir -p "$(dirname "${f#"$mid"/}")" && : >"${f#"$mid"/}") || return 1
		wl_start_cwd "l$n" "$dir/go" "$mid" --comm ltw-l setlk "${f#"$mid"/}" 0 10 w ro || return 1
		pids+=("$WL_PID")
		exp+=("l$n $WL_PID $f")
	done
	lt_start lt --pid "$(
		IFS=,
		echo "${pids[*]}"
	)" -p "$dir/**" -p '*.lock' -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	for w in a4094 a4095 r4095 r4096 r6000 d4095 d4096 d6000; do
		expect_result "$w" '^err=ENOENT errno=2$'
	done
	expect_result a4096 '^err=ENAMETOOLONG errno=36$'
	expect_result a5000 '^err=ENAMETOOLONG errno=36$'
	for w in l4094 l4095 l4096 l4500; do
		expect_result "$w" '^err=EBADF errno=9$'
	done
	expect_jq "one event per workload" "$json" 'length == $n' --argjson n "${#pids[@]}"
	local e name pid full want trunc arg
	for e in "${exp[@]}"; do
		name=${e%% *} e=${e#* } pid=${e%% *} full=${e#* }
		n=${name:1}
		case $name in
		a*) ((n < 4096)) && want=$full || want=${full:0:4095} ;;
		r* | d*) want=${full: -4095} ;;
		l*) want=$(walk_tail "$full") ;;
		esac
		trunc=false
		((n > 4095)) && trunc=true
		expect_jq "$name: ${#want}-byte path, path_truncated $trunc" "$json" \
			'map(select(.pid == $p))[0] | .path == $want and (.path_truncated // false) == $t' \
			--argjson p "$pid" --arg want "$want" --argjson t "$trunc" ||
			note "$name: got $(jq -c -s --argjson p "$pid" '[.[] | select(.pid == $p) |
				{path_bytes: (.path | length), path_truncated, path_arg_bytes: (.path_arg | length)}]' "$json")"
		if [[ $name == [rd]* ]]; then
			arg=${full#"$mid"/}
			expect_jq "$name: path_arg is the ${#arg}-byte relative name as passed" "$json" \
				'map(select(.pid == $p))[0].path_arg == $arg' --argjson p "$pid" --arg arg "$arg" ||
				note "$name: got $(jq -c -s --argjson p "$pid" '[.[] | select(.pid == $p) |
					{path_bytes: (.path | length), path_truncated, path_arg_bytes: (.path_arg | length)}]' "$json")"
		fi
	done
}

# Arguments re-read from user memory at system-call exit: a name, an
# openat2 struct open_how and a struct flock that were readable when the
# call began but were unmapped by another thread while it blocked (a FIFO
# open waiting for a writer, an F_OFD_SETLKW waiting for a lock), and the
# same arguments never readable (EFAULT). Each is counted by reason; what
# can still be reported is (the path of the open or of the lock's
# descriptor, args_unreadable); an open whose name is gone cannot be
# matched against a path pattern and is only counted.
case_unreadable() {
	local dir=$1 json=$ART/lt.json w pids=() p
	mkfifo -m 666 "$dir/fifo" && : >"$dir/f.lock" || return 1
	for w in "vn vanish name fifo" "vh vanish how fifo" "vf vanish flock f.lock" \
		"bn badptr name f.lock" "bh badptr how f.lock" "bf badptr flock f.lock"; do
		read -r -a w <<<"$w"
		wl_start "${w[0]}" "$dir/go" --comm "ltw-${w[0]}" "${w[1]}" "${w[2]}" "$dir/${w[3]}" || return 1
		pids+=("$WL_PID")
	done
	lt_start lt -a --pid "$(
		IFS=,
		echo "${pids[*]}"
	)" -p "$dir/**" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result vn '^ok$'
	expect_result vh '^ok$'
	expect_result vf '^ok$'
	expect_result bn '^err=EFAULT errno=14$'
	expect_result bh '^err=EFAULT errno=14$'
	expect_result bf '^err=EFAULT errno=14$'
	p=${pids[0]}
	expect_jq "name gone: no event of the blocked open (only its writer thread's)" "$json" \
		'map(select(.pid == $p and .tid == $p)) | length == 0' --argjson p "$p"
	p=${pids[1]}
	expect_jq "open_how gone: the openat2 of the FIFO, args_unreadable" "$json" \
		'map(select(.pid == $p and .tid == $p and .syscall == "openat2")) | length == 1 and
			(.[0] | .path == $f and .ret >= 0 and .args_unreadable == true and .flags == "?")' \
		--argjson p "$p" --arg f "$dir/fifo"
	p=${pids[2]}
	expect_jq "struct flock gone: the F_OFD_SETLKW's lock_wait, its descriptor's path, args_unreadable" "$json" \
		'map(select(.pid == $p and .event == "lock_wait")) | length == 1 and
			(.[0] | .path == $f and .ret == 0 and .args_unreadable == true and .lock == {"cmd": "F_OFD_SETLKW"})' \
		--argjson p "$p" --arg f "$dir/f.lock"
	p=${pids[3]}
	expect_jq "name never readable: no event" "$json" 'map(select(.pid == $p)) | length == 0' --argjson p "$p"
	p=${pids[4]}
	expect_jq "open_how never readable: the EFAULT openat2, args_unreadable" "$json" \
		'map(select(.pid == $p)) | length == 1 and
			(.[0] | .path == $f and .error == "EFAULT" and .args_unreadable == true)' \
		--argjson p "$p" --arg f "$dir/f.lock"
	p=${pids[5]}
	expect_jq "struct flock never readable: the EFAULT fcntl, its descriptor's path, args_unreadable" "$json" \
		'map(select(.pid == $p and .event == "fcntl_lock")) | length == 1 and
			(.[0] | .path == $f and .error == "EFAULT" and .args_unreadable == true and .lock == {"cmd": "F_SETLK"})' \
		--argjson p "$p" --arg f "$dir/f.lock"
	local c='.unreadable_path == 2 and .unreadable_open_how == 2 and .unreadable_flock == 2'
	expect_counter "2 of each unreadable argument in the trailer" "$json" '.type == "trailer" and '"$c"
	expect_counter "the same in the --json stats line" "$ART/lt.out" '.type == "stats" and '"$c"
	grep -q '^locktrace: lost or degraded: .*2 unreadable user memory (path), 2 unreadable user memory (open_how), 2 unreadable user memory (struct flock)' "$ART/lt.err" ||
		fail "summary: no 'lost or degraded' line with the three: $(grep -v tracing "$ART/lt.err")"
}

# lock_waits_map_id PID: the id of the lock_waits map that process holds.
lock_waits_map_id() {
	local fd id
	for fd in /proc/"$1"/fdinfo/*; do
		id=$(sed -n 's/^map_id:[[:space:]]*//p' "$fd" 2>/dev/null)
		[[ -n $id ]] || continue
		if bpftool map show id "$id" 2>/dev/null | grep -q ' name lock_waits '; then
			echo "$id"
			return 0
		fi
	done
	return 1
}

# 32-bit (ia32) calls of a -m32 workload (ltwork32): reported by their own
# names (open, openat, openat2, creat, flock, fcntl, fcntl64) with their
# arguments read as the 32-bit ABI lays them out, and abi "ia32". Their
# lock waits are reported, and leave no record behind: after 4200 ia32
# waits (more than the 4096 the table holds) the table is empty and a
# native wait is still reported.
case_ia32() {
	local dir=$1 json=$ART/lt.json pids=() w id n i holder want sys cmd
	[[ -x $LTWORK32 ]] || {
		fail "no $LTWORK32 (make integ-bin)"
		return 1
	}
	mkdir -m 755 "$dir/sub" && make_private "$dir/status.lock" || return 1
	for w in h r w1 w2 w3 w4 many n; do
		: >"$dir/$w.db" && chmod 666 "$dir/$w.db" || return 1
	done
	hold_start hf hold-flock "$dir/h.db" ex || return 1
	hold_start hc hold-fcntl "$dir/r.db" 0 10 || return 1
	for w in "open --uid 4242 sys-open $dir/status.lock rdwr" \
		"openat openat $dir/sub missing.lock rdwr" \
		"openat2 openat2 $dir/sub missing2.lock rdwr" \
		"creat --uid 4242 creat $dir/new.lock" \
		"flock flock $dir/h.db ex nb" \
		"fcntl setlk $dir/r.db 5 20 w" \
		"fcntl64 setlk $dir/r.db 5 20 w f64" \
		"ofd setlk $dir/r.db 5 20 w ofd" \
		"wflock waits $dir/w1.db 1 flock 30" \
		"wfcntl waits $dir/w2.db 1 fcntl 30" \
		"wfcntl64 waits $dir/w3.db 1 fcntl64 30" \
		"wofd waits $dir/w4.db 1 ofd 30" \
		"many waits $dir/many.db 4200 flock"; do
		read -r -a w <<<"$w"
		wl_launch "${w[0]}" "$LTWORK32" --go "$dir/go" --comm "ltw32-${w[0]}" "${w[@]:1}" || return 1
		pids+=("$WL_PID")
	done
	wl_start native "$dir/go2" --comm ltw-native setlk "$dir/n.db" 0 10 w wait || return 1
	pids+=("$WL_PID")
	# The raw plan: the syscalls plan does not see ia32 calls
	# (case_ia32_syscalls).
	lt_start lt --attach raw --pid "$(
		IFS=,
		echo "${pids[*]}"
	)" -p "$dir/**" -j -o "$json" || return 1
	touch "$dir/go"
	for w in "${WL_PENDING[@]}"; do
		[[ ${w#* } == native ]] || wl_finish "${w%% *}" "${w#* }"
	done
	WL_PENDING=("${pids[-1]} native")
	# Every ia32 wait has ended: no record of one may be left.
	if id=$(lock_waits_map_id "$LT_PID"); then
		n=$(bpftool map dump id "$id" -j | jq length)
		note "lock_waits: $n records after 4204 ia32 waits ended"
		((n == 0)) || fail "lock_waits holds $n records after every ia32 wait ended, e.g. $(bpftool map dump id "$id" -j | jq -c '.[0:2] | map(.formatted // .)')"
	else
		fail "cannot find the tracer's lock_waits map (bpftool)"
	fi
	# A native wait now.
	hold_start hn hold-fcntl "$dir/n.db" 0 10 300 || return 1
	release_and_stop "$dir/go2" lt
	expect_result open '^err=EACCES errno=13$'
	expect_result openat '^err=ENOENT errno=2$'
	expect_result openat2 '^err=ENOENT errno=2$'
	expect_result creat '^err=EACCES errno=13$'
	expect_result flock '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	for w in fcntl fcntl64 ofd; do
		expect_result "$w" '^err=(EAGAIN|EACCES) errno=(11|13)$'
	done
	expect_result many '^waits 4200$'
	expect_result native '^ok$'
	i=0
	for w in open openat openat2 creat flock fcntl fcntl64 ofd; do
		case $w in
		open) want='.syscall == "open" and .path == ($d + "/status.lock") and .flags == "O_RDWR" and .error == "EACCES"' ;;
		openat) want='.syscall == "openat" and .path == ($d + "/sub/missing.lock") and .path_arg == "missing.lock" and .error == "ENOENT"' ;;
		openat2) want='.syscall == "openat2" and .path == ($d + "/sub/missing2.lock") and .error == "ENOENT"' ;;
		creat) want='.syscall == "creat" and .path == ($d + "/new.lock") and (.flags | contains("O_CREAT")) and .mode == "0600"' ;;
		flock) want='.syscall == "flock" and .path == ($d + "/h.db") and .flags == "LOCK_EX|LOCK_NB" and .error == "EWOULDBLOCK"' ;;
		fcntl) want='.syscall == "fcntl" and .path == ($d + "/r.db") and .lock == {"cmd":"F_SETLK","type":"F_WRLCK","whence":"SEEK_SET","start":5,"len":20,"pid":0}' ;;
		fcntl64) want='.syscall == "fcntl64" and .path == ($d + "/r.db") and .lock == {"cmd":"F_SETLK64","type":"F_WRLCK","whence":"SEEK_SET","start":5,"len":20,"pid":0}' ;;
		ofd) want='.syscall == "fcntl64" and .path == ($d + "/r.db") and .lock == {"cmd":"F_OFD_SETLK","type":"F_WRLCK","whence":"SEEK_SET","start":5,"len":20,"pid":0}' ;;
		esac
		expect_jq "ia32 $w: one event, abi ia32, $want" "$json" \
			'map(select(.pid == $p and .event != "lock_wait")) | length == 1 and (.[0] | .abi == "ia32" and '"$want"')' \
			--argjson p "${pids[i]}" --arg d "$dir"
		i=$((i + 1))
	done
	for w in wflock:flock:- wfcntl:fcntl:F_SETLKW wfcntl64:fcntl64:F_SETLKW64 wofd:fcntl64:F_OFD_SETLKW; do
		IFS=: read -r w sys cmd <<<"$w"
		holder=$(wl_value "$w" holder)
		expect_jq "ia32 $w: a lock_wait, syscall $sys, behind its holder" "$json" \
			'map(select(.pid == $p and .event == "lock_wait")) | length == 1 and
				(.[0] | .abi == "ia32" and .syscall == $s and .holder.pid == $h and .wait_us >= 10000 and
				 (.syscall == "flock" or .lock.cmd == $c))' \
			--argjson p "${pids[i]}" --arg s "$sys" --arg c "$cmd" --argjson h "${holder:-0}"
		i=$((i + 1))
	done
	expect_jq "native F_SETLKW after the ia32 waits: still reported" "$json" \
		'map(select(.pid == $p and .event == "lock_wait")) | length == 1 and (.[0] | has("abi") | not)' \
		--argjson p "${pids[-1]}"
}

# The syscalls plan and 32-bit (ia32) calls: the kernel's per-syscall
# tracepoints skip them, so a failed ia32 open and flock are not reported
# (the gap README and probe state), while the same native calls are. An
# ia32 lock wait, begun in the lock layer, has no exit to end it: its record
# goes with the thread (lt_on_task_exit), none is left behind.
case_ia32_syscalls() {
	local dir=$1 json=$ART/lt.json pids=() w id n
	[[ -x $LTWORK32 ]] || {
		fail "no $LTWORK32 (make integ-bin)"
		return 1
	}
	make_private "$dir/status.lock" && : >"$dir/h.db" && : >"$dir/w.db" && chmod 666 "$dir/h.db" "$dir/w.db" || return 1
	hold_start hf hold-flock "$dir/h.db" ex || return 1
	for w in "open32 $LTWORK32 --uid 4242 sys-open $dir/status.lock rdwr" \
		"flock32 $LTWORK32 flock $dir/h.db ex nb" \
		"wait32 $LTWORK32 waits $dir/w.db 3 flock 30" \
		"open $LTWORK --uid 4242 sys-open $dir/status.lock rdwr" \
		"flock $LTWORK flock $dir/h.db ex nb"; do
		read -r -a w <<<"$w"
		wl_launch "${w[0]}" "${w[1]}" --go "$dir/go" --comm "ltw-${w[0]}" "${w[@]:2}" || return 1
		pids+=("$WL_PID")
	done
	lt_start lt --attach syscalls --pid "$(
		IFS=,
		echo "${pids[*]}"
	)" -p "$dir/**" -j -o "$json" || return 1
	grep -q '^locktrace: tracing (tier tracepoint, plan syscalls: forced by --attach syscalls; 32-bit (ia32) calls not seen; ' "$ART/lt.err" ||
		fail "the tracing line does not say the plan misses ia32 calls: $(grep tracing "$ART/lt.err")"
	touch "$dir/go"
	for w in "${WL_PENDING[@]}"; do
		wl_finish "${w%% *}" "${w#* }"
	done
	WL_PENDING=()
	if id=$(lock_waits_map_id "$LT_PID"); then
		n=$(bpftool map dump id "$id" -j | jq length)
		note "lock_waits: $n records after the ia32 waiter ended"
		((n == 0)) || fail "lock_waits holds $n records after the ia32 waiter ended"
	else
		fail "cannot find the tracer's lock_waits map (bpftool)"
	fi
	lt_stop lt
	expect_result open32 '^err=EACCES errno=13$'
	expect_result flock32 '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result wait32 '^waits 3$'
	expect_result open '^err=EACCES errno=13$'
	expect_result flock '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	for n in 0 1; do
		expect_jq "syscalls plan: the ia32 ${pids[n]} call is not reported" "$json" \
			'map(select(.pid == $p and .event != "lock_wait")) | length == 0' --argjson p "${pids[n]}"
	done
	expect_jq "syscalls plan: the native open is reported" "$json" \
		'map(select(.pid == $p)) | length == 1 and (.[0] | .syscall == "open" and .error == "EACCES")' \
		--argjson p "${pids[3]}"
	expect_jq "syscalls plan: the native flock is reported" "$json" \
		'map(select(.pid == $p)) | length == 1 and (.[0] | .syscall == "flock" and .error == "EWOULDBLOCK")' \
		--argjson p "${pids[4]}"
}

# A lock-wait sleep that cannot be recorded (the table of waits in progress
# is full: 4200 threads wait at once, the table holds 4096) is counted; the
# waits that were recorded are reported. Each of these waits sleeps once
# (the threads share one descriptor: once one has the lock, the others take
# it on their first retry), so 104 sleeps are 104 waits.
case_lock_waits_full() {
	local dir=$1 json=$ART/lt.json pid
	: >"$dir/crowd.db" || return 1
	wl_start w "$dir/go" --comm ltw-crowd crowd "$dir/crowd.db" 4200 || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" --min-wait 0 -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^crowd 4200$'
	expect_counter "104 sleeps not recorded (4200 waits at once, 4096 recorded)" "$json" \
		'.type == "trailer" and .lock_waits_full == 104'
	expect_jq "4096 lock_wait events" "$json" 'map(select(.event == "lock_wait")) | length == 4096'
	grep -q '^locktrace: lost or degraded: .*104 lock-wait sleeps not recorded' "$ART/lt.err" ||
		fail "summary: $(grep -v tracing "$ART/lt.err")"
}
