#!/usr/bin/env bash
# Benchmarks, not tests: nothing here passes or fails on a number.
#
#   tests/bench.sh BUILD_DIR        (root; make bench)
#
# 0. Attach plans: what a machine pays for calls locktrace never reports
#    (PLAN_ITER x getppid; x (write + read of 64 bytes) on a pipe), for
#    successful opens and stats of a deep path no pattern asks for, for
#    successful pwrite + pread on an open lock file, and for the lock loop
#    of 1, PLAN_ROUNDS x interleaved over: nothing attached, the
#    per-syscall tracepoint floor (empty programs on the points the syscalls
#    plan uses), the raw floor (empty programs on raw_syscalls:sys_exit and
#    the lock layer), locktrace --attach raw, locktrace --attach syscalls,
#    opensnoop -x and the bpftrace one-liner. The workload's own CPU time
#    (CLOCK_THREAD_CPUTIME_ID: what the calls and the programs they run
#    cost it, without the time other processes of a busy machine take),
#    medians and per-round ratios as in 1; "vs sc floor": the per-round
#    difference to the per-syscall floor.
# 1. Hot path: build/bench/lockloop (open O_RDWR|O_CREAT + flock LOCK_EX|LOCK_NB
#    + flock LOCK_UN + close) on a lock path and on a path no pattern asks
#    for, ROUNDS x interleaved (A B C ... A B C ...) over: nothing attached,
#    the floor (empty programs where locktrace attaches), locktrace (default
#    options), opensnoop -x (libbpf-tools) and a bpftrace one-liner counting
#    failed openat by comm; and locktrace --holders twice: as it runs on a
#    machine (the loop's filesystem is not a watched one), and watching the
#    loop's own filesystem type (--holders-fs: every lock taken and let go
#    is reported). Medians, and ratios to nothing attached.
# 1b. I/O: successful reads and writes, the busiest calls of a machine:
#    IO_ITER x (pwrite 64 bytes + pread them back) on an open lock file, and
#    x (write 64 bytes + read them back) on a pipe; and IO_ITER failing
#    reads: of an empty non-blocking pipe (EAGAIN, what every event loop
#    makes) and of a pipe's write end (EBADF: a failure that goes on to the
#    descriptor's file, not a regular one), ROUNDS x interleaved over:
#    nothing attached, the floor,
#    locktrace, and with BENCH_PREV=/path/to/locktrace an older build (the
#    sys_exit path before it traced I/O). Medians and ratios as in 1.
#    BENCH_BPF_STATS=1 adds the sys_exit program's own time per run
#    (kernel.bpf_stats_enabled, on for this section only: it costs every
#    BPF program of the machine a clock read), and with BENCH_PREV too,
#    both builds attached at once, their programs timed on the same calls
#    (paired: the machine's moments cancel), started in turn order.
# 2. Denial storm: two processes x STORM failing opens of a lock path,
#    recorded by locktrace to a file, then by opensnoop -x to a file: events
#    made, written, lost, rate, and the tracer's peak RSS.
# 3. Start-up: exec to attached (the "tracing" line), median of ROUNDS.
# 5. --holders, each program's own cost (the kernel's bpf_stats): the loop on
#    a filesystem --holders does not watch, and on a tmpfs it is told to
#    watch (every lock taken and let go reported).
# 4. report: 1,000,000 events read by locktrace report, in every format: an
#    ordinary recording and a hostile one (genrec MIX hostile), their
#    times, ratio and peak RSS. BENCH_BASELINE=/path/to/locktrace runs an
#    older build on the same kinds of input, BENCH_BASELINE_EVENTS (default
#    40,000) events of each.
set -u
export LC_ALL=C

BUILD=$(cd "${1:?usage: bench.sh BUILD_DIR}" && pwd)
LT=$BUILD/locktrace
LOOP=$BUILD/bench/lockloop
HOLD=$BUILD/tests/bpfhold
FLOOR=$BUILD/bench/floor.bpf.o
SCFLOOR=$BUILD/bench/scfloor.bpf.o
PLAN_ROUNDS=${BENCH_PLAN_ROUNDS:-7}
PLAN_ITER=${BENCH_PLAN_ITER:-200000}
ROUNDS=${BENCH_ROUNDS:-11}
ITER=${BENCH_ITER:-200000}
IO_ITER=${BENCH_IO_ITER:-500000}
STORM=${BENCH_STORM:-500000}
N=${BENCH_EVENTS:-1000000}
DIR=$(mktemp -d /tmp/locktrace-bench.XXXXXX)
OUT=$BUILD/bench
mkdir -p "$OUT"
trap 'pkill -INT -f "^$HOLD" 2>/dev/null; rm -rf "$DIR"' EXIT

die() {
	echo "bench: $*" >&2
	exit 1
}
((EUID == 0)) || die "needs root"
for t in "$LT" "$LOOP" "$HOLD" "$FLOOR" "$SCFLOOR" "$BUILD/tests/genrec"; do
	[[ -e $t ]] || die "no $t (make bench builds it)"
done
for t in opensnoop bpftrace stdbuf /usr/bin/time bc; do
	command -v "$t" >/dev/null || die "no $t (make deps installs it)"
done
# opensnoop and bpftrace attach tracepoints through tracefs.
if [[ ! -d /sys/kernel/tracing/events ]]; then
	mount -t tracefs tracefs /sys/kernel/tracing || die "cannot mount tracefs"
fi

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
now() { date +%s.%N; }

# wait_for FILE REGEX SECONDS
wait_for() {
	local i
	for ((i = 0; i < $3 * 100; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	return 1
}

# start CONFIG: attach the tool of a configuration; TOOL_PID, empty for none.
start() {
	TOOL_PID=
	: >"$DIR/tool.out"
	case $1 in
	base) return 0 ;;
	floor | scfloor)
		"$HOLD" "$([[ $1 == floor ]] && echo "$FLOOR" || echo "$SCFLOOR")" 2>"$DIR/tool.out" &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^bpfhold: attached' 20
		;;
	raw | syscalls)
		"$LT" --attach "$1" >/dev/null 2>"$DIR/tool.out" &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" "^locktrace: tracing \\(tier [a-z]*, plan $1: " 20
		;;
	locktrace)
		"$LT" >/dev/null 2>"$DIR/tool.out" &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^locktrace: tracing' 20
		;;
	prev)
		"$BENCH_PREV" >/dev/null 2>"$DIR/tool.out" &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^locktrace: tracing' 20
		;;
	holders)
		"$LT" --holders >/dev/null 2>"$DIR/tool.out" &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^locktrace: tracing' 20
		;;
	holders_watched)
		"$LT" --holders-fs "$(findmnt -n -o FSTYPE -T "$DIR")" >/dev/null 2>"$DIR/tool.out" &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^locktrace: tracing' 20
		;;
	opensnoop)
		stdbuf -oL opensnoop -x >"$DIR/tool.out" 2>&1 &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^PID' 20
		;;
	bpftrace)
		bpftrace -B line -e 'BEGIN { printf("ready\n"); }
			tracepoint:syscalls:sys_exit_openat /args->ret < 0/ { @[comm] = count(); }' \
			>"$DIR/tool.out" 2>&1 &
		TOOL_PID=$!
		wait_for "$DIR/tool.out" '^ready' 30
		;;
	esac || die "$1 did not attach: $(head -c 300 "$DIR/tool.out")"
}

stop() {
	[[ -n $TOOL_PID ]] || return 0
	kill -INT "$TOOL_PID" 2>/dev/null
	wait "$TOOL_PID" 2>/dev/null
	TOOL_PID=
}

machine() {
	echo "machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)),"\
		"$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
}

# ---- 0. attach plans ---------------------------------------------------------
plans() {
	local configs=(base scfloor floor raw syscalls opensnoop bpftrace) loads=(getppid pipe stat rw loop)
	local c r l i order m ratio vs label deep=$DIR/deep/a/b/c/d/e/f/g/h/data.db
	mkdir -p "${deep%/*}" "$DIR/locks" && : >"$deep"
	echo "== 0. attach plans: $((PLAN_ITER * 10)) x getppid, $PLAN_ITER x (write + read) on a pipe,"
	echo "   $PLAN_ITER x (open, close, stat) of a deep non-lock path, $PLAN_ITER x (pwrite + pread)"
	echo "   on an open lock file, $PLAN_ITER x the lock loop of 1; $PLAN_ROUNDS rounds interleaved"
	for ((r = 1; r <= PLAN_ROUNDS; r++)); do
		order=()
		for ((i = 0; i < ${#configs[@]}; i++)); do
			order+=("${configs[(i + r) % ${#configs[@]}]}")
		done
		for c in "${order[@]}"; do
			start "$c"
			for l in "${loads[@]}"; do
				case $l in
				getppid) "$LOOP" getppid - $((PLAN_ITER * 10)) ;;
				pipe) "$LOOP" pipe - "$PLAN_ITER" ;;
				stat) "$LOOP" stat "$deep" "$PLAN_ITER" ;;
				rw) "$LOOP" rw "$DIR/locks/plan.lock" "$PLAN_ITER" ;;
				loop) "$LOOP" loop "$DIR/locks/plan-loop.lock" "$PLAN_ITER" ;;
				esac | sed -n 's/^cpu_ns_per_op=//p' >"$DIR/plan.$c.$l.$r"
			done
			stop
		done
	done
	for l in "${loads[@]}"; do
		case $l in
		getppid) echo "   getppid (a call locktrace never reports):" ;;
		pipe) echo "   successful write + read on a pipe (never reported):" ;;
		stat) echo "   successful open + close + stat of a deep non-lock path:" ;;
		rw) echo "   successful pwrite + pread on an open lock file:" ;;
		loop) echo "   the lock loop of 1 on a lock path:" ;;
		esac
		printf '   %-40s %10s %8s %12s\n' configuration "CPU ns/op" ratio "vs sc floor"
		for c in "${configs[@]}"; do
			m=$(cat "$DIR/plan.$c.$l."* | median)
			ratio=$(for ((r = 1; r <= PLAN_ROUNDS; r++)); do
				echo "$(cat "$DIR/plan.$c.$l.$r") / $(cat "$DIR/plan.base.$l.$r")" | bc -l
			done | median)
			vs=$(for ((r = 1; r <= PLAN_ROUNDS; r++)); do
				echo "($(cat "$DIR/plan.$c.$l.$r") - $(cat "$DIR/plan.scfloor.$l.$r")) / $(cat "$DIR/plan.base.$l.$r")" | bc -l
			done | median)
			case $c in
			base) label="nothing attached" ;;
			scfloor) label="per-syscall floor: empty, same points" ;;
			floor) label="raw floor: empty raw sys_exit" ;;
			raw) label="locktrace --attach raw" ;;
			syscalls) label="locktrace --attach syscalls" ;;
			opensnoop) label="opensnoop -x" ;;
			bpftrace) label="bpftrace: failed openat by comm" ;;
			esac
			printf '   %-40s %10.1f %8.3f %+12.3f\n' "$label" "$m" "$ratio" "$vs"
		done
	done
	echo "   (CPU ns/op: the workload's own CPU time per op, median of the rounds; ratio and"
	echo "   vs sc floor: median of the per-round ratios to that round's baseline, and of"
	echo "   the per-round difference to the per-syscall floor)"
	plan_runs "${loads[@]}"
}

# plan_runs LOAD...: one more pass, kernel.bpf_stats_enabled on (it costs
# every program a clock read, so not in the timed rounds): how often
# locktrace's exit program runs per op under each plan, and its own time.
plan_runs() {
	local was c l prog cnt0 ns0 cnt1 ns1 n
	was=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot enable kernel.bpf_stats_enabled"
	echo "   locktrace's exit program (bpf_stats, one pass): runs per op and ns per run"
	printf '   %-40s %14s %14s %14s %14s\n' load "raw runs/op" "raw ns/run" "sc runs/op" "sc ns/run"
	for l in "$@"; do
		local row=()
		for c in raw syscalls; do
			start "$c"
			prog=$(sysexit_prog "$TOOL_PID") || die "no exit program in $c"
			read -r cnt0 ns0 < <(prog_runs "$prog")
			n=$PLAN_ITER
			case $l in
			getppid) n=$((PLAN_ITER * 10)) && "$LOOP" getppid - "$n" ;;
			pipe) "$LOOP" pipe - "$n" ;;
			stat) "$LOOP" stat "$DIR/deep/a/b/c/d/e/f/g/h/data.db" "$n" ;;
			rw) "$LOOP" rw "$DIR/locks/plan.lock" "$n" ;;
			loop) "$LOOP" loop "$DIR/locks/plan-loop.lock" "$n" ;;
			esac >/dev/null
			read -r cnt1 ns1 < <(prog_runs "$prog")
			stop
			row+=("$(echo "($cnt1 - $cnt0) / $n" | bc -l)" "$(echo "($ns1 - $ns0) / ($cnt1 - $cnt0 + ($cnt1 == $cnt0))" | bc -l)")
		done
		printf '   %-40s %14.2f %14.1f %14.2f %14.1f\n' "$l" "${row[@]}"
	done
	sysctl -qw kernel.bpf_stats_enabled="$was"
	echo "   (runs also count the machine's other calls of those numbers while it ran)"
}

# ---- 1. hot path ----------------------------------------------------------
hot_path() {
	local configs=(base floor locktrace holders holders_watched opensnoop bpftrace) c r p i order
	mkdir -p "$DIR/locks" "$DIR/data"
	echo "== 1. hot path: $ITER x (open O_RDWR|O_CREAT, flock EX|NB, flock UN, close), $ROUNDS rounds interleaved"
	for ((r = 1; r <= ROUNDS; r++)); do
		# A different order each round: drift does not favour anyone.
		order=()
		for ((i = 0; i < ${#configs[@]}; i++)); do
			order+=("${configs[(i + r) % ${#configs[@]}]}")
		done
		for c in "${order[@]}"; do
			start "$c"
			for p in lock data; do
				local path=$DIR/locks/bench.lock
				[[ $p == data ]] && path=$DIR/data/bench.db
				"$LOOP" loop "$path" "$ITER" | sed -n 's/^ns_per_op=//p' >"$DIR/hot.$c.$p.$r"
			done
			stop
		done
	done
	for p in lock data; do
		if [[ $p == lock ]]; then
			echo "   on a lock path ($DIR/locks/bench.lock):"
		else
			echo "   on a path no pattern asks for ($DIR/data/bench.db):"
		fi
		printf '   %-36s %10s %8s %10s\n' configuration "ns/op" ratio "vs floor"
		for c in "${configs[@]}"; do
			local m ratio vs label
			m=$(cat "$DIR"/hot.$c.$p.* | median)
			# Ratios per round (to that round's baseline), then the median:
			# paired, so that slow and fast moments of the machine cancel.
			ratio=$(for ((r = 1; r <= ROUNDS; r++)); do
				echo "$(cat "$DIR/hot.$c.$p.$r") / $(cat "$DIR/hot.base.$p.$r")" | bc -l
			done | median)
			vs=$(for ((r = 1; r <= ROUNDS; r++)); do
				echo "($(cat "$DIR/hot.$c.$p.$r") - $(cat "$DIR/hot.floor.$p.$r")) / $(cat "$DIR/hot.base.$p.$r")" | bc -l
			done | median)
			case $c in
			base) label="nothing attached" ;;
			floor) label="floor: empty programs, same points" ;;
			locktrace) label="locktrace (default options)" ;;
			holders) label="locktrace --holders" ;;
			holders_watched) label="--holders-fs $(findmnt -n -o FSTYPE -T "$DIR")" ;;
			opensnoop) label="opensnoop -x" ;;
			bpftrace) label="bpftrace: failed openat by comm" ;;
			esac
			printf '   %-36s %10.1f %8.3f %+10.3f\n' "$label" "$m" "$ratio" "$vs"
		done
	done
	echo "   (ns/op: median of the rounds; ratio and vs floor: median of the per-round"
	echo "   ratios to that round's baseline, and of the per-round difference to the floor)"
}

# ---- 1b. I/O ---------------------------------------------------------------
# sysexit_prog PID: the id of the raw_syscalls:sys_exit program process PID
# holds (from its descriptors: another tracer's programs have its name too).
sysexit_prog() {
	local id
	for id in $(sed -n 's/^prog_id:\s*//p' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un); do
		case $(bpftool prog show id "$id" -j 2>/dev/null | jq -r .name) in
		lt_sys_exit | lt_sys_exit_noloop | floor_sys_exit | lt_sc_exit | lt_sc_exit_noloop)
			echo "$id"
			return 0
			;;
		esac
	done
	return 1
}

# prog_runs ID: "run_cnt run_time_ns" of program ID so far.
prog_runs() {
	bpftool prog show id "$1" -j 2>/dev/null | jq -r '"\(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# start_lt BIN: start a locktrace build, attached; its pid in LT_PAIR.
start_lt() {
	: >"$DIR/pair.err"
	"$1" >/dev/null 2>"$DIR/pair.err" &
	LT_PAIR=$!
	wait_for "$DIR/pair.err" '^locktrace: tracing' 20 || die "$1 did not attach"
}

# io_paired: this build and BENCH_PREV attached together, ROUNDS x each
# load; the median per-run time of each build's sys_exit program, and of
# their difference run by run.
io_paired() {
	local r l pn pp idn idp a0 b0 c0 d0 a1 b1 c1 d1 label
	echo "   both attached at once, sys_exit ns/run on the same calls (bpf_stats), $ROUNDS rounds:"
	printf '   %-36s %12s %12s %12s\n' load "this build" BENCH_PREV difference
	for l in file pipe eagain ebadf; do
		: >"$DIR/pair.$l"
		for ((r = 1; r <= ROUNDS; r++)); do
			if ((r % 2)); then
				start_lt "$LT" && pn=$LT_PAIR && start_lt "$BENCH_PREV" && pp=$LT_PAIR
			else
				start_lt "$BENCH_PREV" && pp=$LT_PAIR && start_lt "$LT" && pn=$LT_PAIR
			fi
			idn=$(sysexit_prog "$pn") && idp=$(sysexit_prog "$pp") || die "no sys_exit program"
			read -r a0 b0 < <(prog_runs "$idn")
			read -r c0 d0 < <(prog_runs "$idp")
			case $l in
			file) "$LOOP" rw "$DIR/locks/io.lock" "$IO_ITER" ;;
			*) "$LOOP" "$l" - "$IO_ITER" ;;
			esac >/dev/null
			read -r a1 b1 < <(prog_runs "$idn")
			read -r c1 d1 < <(prog_runs "$idp")
			kill -INT "$pn" "$pp"
			wait "$pn" "$pp"
			echo "$(echo "($b1 - $b0) / ($a1 - $a0)" | bc -l) $(echo "($d1 - $d0) / ($c1 - $c0)" | bc -l)" >>"$DIR/pair.$l"
		done
		case $l in
		file) label="successful pwrite + pread, lock file" ;;
		pipe) label="successful write + read, pipe" ;;
		eagain) label="failing read, EAGAIN" ;;
		ebadf) label="failing read, EBADF, a pipe" ;;
		esac
		printf '   %-36s %12.1f %12.1f %+12.1f\n' "$label" "$(cut -d' ' -f1 "$DIR/pair.$l" | median)" \
			"$(cut -d' ' -f2 "$DIR/pair.$l" | median)" \
			"$(awk '{print $1 - $2}' "$DIR/pair.$l" | median)"
	done
}

hot_io() {
	local configs=(base floor locktrace) loads=(file pipe eagain ebadf) c r l i order m ratio vs label
	local stats=${BENCH_BPF_STATS:-0} was prog cnt0 ns0 cnt1 ns1 run
	[[ -n ${BENCH_PREV:-} ]] && configs+=(prev)
	if [[ $stats == 1 ]]; then
		was=$(sysctl -n kernel.bpf_stats_enabled)
		sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot enable kernel.bpf_stats_enabled"
	fi
	mkdir -p "$DIR/locks"
	echo "== 1b. I/O: $IO_ITER x (pwrite + pread of 64 bytes) on an open lock file, x (write +"
	echo "   read of 64 bytes) on a pipe, x (read of an empty non-blocking pipe: EAGAIN),"
	echo "   x (read of a pipe's write end: EBADF); $ROUNDS rounds interleaved"
	for ((r = 1; r <= ROUNDS; r++)); do
		order=()
		for ((i = 0; i < ${#configs[@]}; i++)); do
			order+=("${configs[(i + r) % ${#configs[@]}]}")
		done
		for c in "${order[@]}"; do
			start "$c"
			prog=
			[[ -n $TOOL_PID && $stats == 1 ]] && prog=$(sysexit_prog "$TOOL_PID")
			for l in "${loads[@]}"; do
				[[ -n $prog ]] && read -r cnt0 ns0 < <(prog_runs "$prog")
				case $l in
				file) "$LOOP" rw "$DIR/locks/io.lock" "$IO_ITER" ;;
				pipe) "$LOOP" pipe - "$IO_ITER" ;;
				eagain) "$LOOP" eagain - "$IO_ITER" ;;
				ebadf) "$LOOP" ebadf - "$IO_ITER" ;;
				esac | sed -n 's/^ns_per_op=//p' >"$DIR/io.$c.$l.$r"
				if [[ -n $prog ]]; then
					read -r cnt1 ns1 < <(prog_runs "$prog")
					echo "($ns1 - $ns0) / ($cnt1 - $cnt0 + 0.000001)" | bc -l >"$DIR/run.$c.$l.$r"
				fi
			done
			stop
		done
	done
	for l in "${loads[@]}"; do
		case $l in
		file) echo "   successful pwrite + pread on an open lock file ($DIR/locks/io.lock):" ;;
		pipe) echo "   successful write + read on a pipe:" ;;
		eagain) echo "   failing read (EAGAIN) of an empty non-blocking pipe:" ;;
		ebadf) echo "   failing read (EBADF) of a pipe's write end:" ;;
		esac
		printf '   %-36s %10s %8s %10s %s\n' configuration "ns/op" ratio "vs floor" \
			"$( ((stats == 1)) && echo ' sys_exit ns/run')"
		for c in "${configs[@]}"; do
			m=$(cat "$DIR/io.$c.$l."* | median)
			run=
			if [[ $stats == 1 && $c != base ]]; then
				run=$(printf '%15.1f' "$(cat "$DIR/run.$c.$l."* | median)")
			fi
			ratio=$(for ((r = 1; r <= ROUNDS; r++)); do
				echo "$(cat "$DIR/io.$c.$l.$r") / $(cat "$DIR/io.base.$l.$r")" | bc -l
			done | median)
			vs=$(for ((r = 1; r <= ROUNDS; r++)); do
				echo "($(cat "$DIR/io.$c.$l.$r") - $(cat "$DIR/io.floor.$l.$r")) / $(cat "$DIR/io.base.$l.$r")" | bc -l
			done | median)
			case $c in
			base) label="nothing attached" ;;
			floor) label="floor: empty programs, same points" ;;
			locktrace) label="locktrace (default options)" ;;
			prev) label="locktrace, BENCH_PREV build" ;;
			esac
			printf '   %-36s %10.1f %8.3f %+10.3f %s\n' "$label" "$m" "$ratio" "$vs" "$run"
		done
	done
	echo "   (ns/op: one op is two system calls, or one for the failing reads; medians as in 1;"
	echo "   sys_exit ns/run: the program's own time per run, bpf_stats, median of the rounds)"
	[[ $stats == 1 && -n ${BENCH_PREV:-} ]] && io_paired
	[[ $stats == 1 ]] && sysctl -qw kernel.bpf_stats_enabled="$was"
	return 0
}

# ---- 2. denial storm ------------------------------------------------------
# storm_run: two workers x STORM failing opens as uid 4242; prints
# "made seconds".
storm_run() {
	local t0 t1 made
	t0=$(now)
	"$LOOP" --uid 4242 deny "$DIR/locks/storm.lock" "$STORM" >"$DIR/w1" &
	"$LOOP" --uid 4242 deny "$DIR/locks/storm.lock" "$STORM" >"$DIR/w2" &
	wait %1 %2 2>/dev/null || wait
	t1=$(now)
	made=$(cat "$DIR/w1" "$DIR/w2" | sed -n 's/^failed=\([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')
	echo "$made $(echo "$t1 - $t0" | bc -l)"
}

# sample_rss PID: the largest VmRSS (KiB) while PID lives, into $DIR/rss.max;
# runs in the background.
sample_rss() {
	local max=0 k v _ tick
	exec {tick}<> <(:) # a pipe nobody writes: read -t on it is a sleep without a fork
	while [[ -r /proc/$1/status ]]; do
		# Builtins only: the sampler must not steal the CPUs it measures.
		while read -r k v _; do
			[[ $k == VmRSS: ]] && ((v > max)) && max=$v
		done <"/proc/$1/status" 2>/dev/null
		echo "$max" >"$DIR/rss.max"
		read -r -t 0.01 -u "$tick" || :
	done
}

storm() {
	local made secs rec=$DIR/storm.jsonl written lost kernel_lost rss opens lpid hwm
	mkdir -p "$DIR/locks" && : >"$DIR/locks/storm.lock" && chmod 600 "$DIR/locks/storm.lock"
	echo "== 2. denial storm: 2 processes x $STORM failing opens (EACCES) of a lock path, recorded to a file"
	printf '   %-28s %10s %10s %10s %12s %14s\n' tracer made written lost "made/s" "RSS MiB"
	"$LT" record -o "$rec" ${LT_ARGS:-} 2>"$DIR/lt.err" &
	lpid=$!
	wait_for "$DIR/lt.err" '^locktrace: tracing' 20 || die "locktrace did not attach"
	echo 0 >"$DIR/rss.max"
	sample_rss "$lpid" &
	read -r made secs < <(storm_run)
	sleep 0.5
	hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$lpid/status")
	kill -INT "$lpid"
	wait "$lpid"
	wait
	written=$(tail -n 1 "$rec" | sed -n 's/.*"written":\([0-9]*\).*/\1/p')
	kernel_lost=$(tail -n 1 "$rec" | sed -n 's/.*"dropped_kernel":\([0-9]*\).*/\1/p')
	lost=$((kernel_lost + $(tail -n 1 "$rec" | sed -n 's/.*"dropped_write":\([0-9]*\).*/\1/p')))
	rss=$(cat "$DIR/rss.max")
	printf '   %-28s %10s %10s %10s %12.0f %14.1f\n' "locktrace record" "$made" "$written" "$lost" \
		"$(echo "$made / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
	STORM_HWM=$hwm
	rm -f "$rec"
	stdbuf -oL opensnoop -x >"$DIR/os.out" 2>&1 &
	wait_for "$DIR/os.out" '^PID' 20 || die "opensnoop did not attach"
	lpid=$(pgrep -x opensnoop | head -n 1)
	echo 0 >"$DIR/rss.max"
	sample_rss "$lpid" &
	read -r made secs < <(storm_run)
	sleep 0.5
	kill -INT "$lpid"
	wait
	opens=$(grep -c ' lockloop ' "$DIR/os.out")
	rss=$(cat "$DIR/rss.max")
	printf '   %-28s %10s %10s %10s %12.0f %14.1f\n' "opensnoop -x" "$made" "$opens" "$((made - opens))" \
		"$(echo "$made / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
	rm -f "$DIR/os.out"
	echo "   (RSS: the largest VmRSS sampled every 10 ms during the storm; locktrace's"
	printf '   lifetime peak, start-up included, was %.1f MiB)\n' "$(echo "${STORM_HWM:-0} / 1024" | bc -l)"
}

# ---- 3. start-up ------------------------------------------------------------
startup() {
	local r t0 t1
	echo "== 3. start-up: exec to attached, median of $ROUNDS"
	for ((r = 1; r <= ROUNDS; r++)); do
		: >"$DIR/su.err"
		t0=$(now)
		"$LT" >/dev/null 2>"$DIR/su.err" &
		local p=$!
		wait_for "$DIR/su.err" '^locktrace: tracing' 20
		t1=$(now)
		kill -INT "$p"
		wait "$p"
		echo "$t1 - $t0" | bc -l >>"$DIR/startup"
	done
	printf '   locktrace: %.3f s\n' "$(median <"$DIR/startup")"
}

# ---- 4. report --------------------------------------------------------------
# rec_for N MIX: a cached recording of N events (MIX as genrec takes it).
rec_for() {
	local rec=$OUT/rec-$1${2:+-$2}.jsonl
	if [[ ! -s $rec ]]; then
		"$BUILD/tests/genrec" "$1" 1 ${2:+"$2"} >"$rec.tmp" && mv "$rec.tmp" "$rec" || die "genrec failed"
	fi
	echo "$rec"
}

# timed BIN FMT REC: "seconds peak-KiB exit" of one report.
timed() {
	/usr/bin/time -f '%e %M %x' -o "$DIR/time.out" "$1" report -q -f "$2" "$3" >/dev/null 2>"$DIR/rep.err"
	tail -n 1 "$DIR/time.out"
}

# report_pair BIN N: ordinary and hostile recordings of N events, every
# format, interleaved, median of 3: both times, their ratio, peak RSS.
report_pair() {
	local bin=$1 n=$2 ord hos fmt i t m x to th mo mh
	ord=$(rec_for "$n")
	hos=$(rec_for "$n" hostile)
	printf '   %-9s %12s %12s %7s %14s %14s\n' format "ordinary s" "hostile s" ratio \
		"ordinary MiB" "hostile MiB"
	for fmt in text markdown json html; do
		: >"$DIR/to"
		: >"$DIR/th"
		mo=0 mh=0
		for i in 1 2 3; do
			read -r t m x < <(timed "$bin" "$fmt" "$ord")
			((x == 0)) || echo "   (ordinary, $fmt: exit $x)"
			echo "$t" >>"$DIR/to"
			((m > mo)) && mo=$m
			read -r t m x < <(timed "$bin" "$fmt" "$hos")
			((x == 0)) || echo "   (hostile, $fmt: exit $x: $(head -c 200 "$DIR/rep.err"))"
			echo "$t" >>"$DIR/th"
			((m > mh)) && mh=$m
		done
		to=$(median <"$DIR/to")
		th=$(median <"$DIR/th")
		printf '   %-9s %12s %12s %7.2f %14.1f %14.1f\n' "$fmt" "$to" "$th" \
			"$(echo "$th / ($to + 0.001)" | bc -l)" "$(echo "$mo / 1024" | bc -l)" \
			"$(echo "$mh / 1024" | bc -l)"
	done
}

report() {
	local n_old=${BENCH_BASELINE_EVENTS:-40000}
	echo "== 4. report: $N events, ordinary ($(($(stat -c %s "$(rec_for "$N")") / 1048576)) MiB)" \
		"and hostile ($(($(stat -c %s "$(rec_for "$N" hostile)") / 1048576)) MiB: genrec's" \
		"new cause kinds, FNV-colliding paths, \\u0000, 1 MB paths, deep nesting), median of 3"
	report_pair "$LT" "$N"
	# The same inputs through another build (the one before the report's
	# tables were bounded and keyed, say), on fewer events: it is quadratic.
	if [[ -n ${BENCH_BASELINE:-} ]]; then
		echo "   baseline $BENCH_BASELINE, $n_old events (capped: quadratic there):"
		report_pair "$BENCH_BASELINE" "$n_old"
		echo "   this build, $n_old events:"
		report_pair "$LT" "$n_old"
	fi
}

# ---- 5. --holders: each program's own cost ---------------------------------
holders() {
	local tmp=$DIR/tmpfs stats old p mode path
	echo "== 5. --holders: ns per run of the lock layer's programs (bpf_stats), $ITER x the loop"
	mkdir -p "$tmp" "$DIR/locks"
	mount -t tmpfs -o size=1m bench-share "$tmp" || die "cannot mount a tmpfs"
	old=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -q -w kernel.bpf_stats_enabled=1
	printf '   %-44s %-22s %10s %8s\n' "configuration, loop on" program runs ns/run
	for mode in holders watched; do
		if [[ $mode == holders ]]; then
			"$LT" --holders >/dev/null 2>"$DIR/tool.out" &
			path=$DIR/locks/hold.lock
		else
			"$LT" --holders-fs tmpfs >/dev/null 2>"$DIR/tool.out" &
			path=$tmp/hold.lock
		fi
		p=$!
		wait_for "$DIR/tool.out" '^locktrace: tracing' 20 || die "locktrace did not attach"
		"$LOOP" loop "$path" "$ITER" >/dev/null
		# The newest lt_hold_* programs: this run's (only --holders loads
		# them); and beside them the lock layer's programs of every run,
		# loaded with them (the newest before them).
		stats=$(bpftool prog show -j | jq -r '[.[] | select(.name | test("^lt_hold_"))] as $h |
			($h | map(.id) | max) as $top | ($h | sort_by(.id) | .[-2:]) +
			[.[] | select((.name == "lt_flock_lock_inode" or .name == "lt_posix_lock_inode") and .id < $top)] |
			group_by(.name) | map(max_by(.id)) | .[] |
			"\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"')
		kill -INT "$p"
		wait "$p"
		while read -r name cnt ns; do
			printf '   %-44s %-22s %10s %8.1f\n' \
				"$([[ $mode == holders ]] && echo "--holders, $(findmnt -n -o FSTYPE -T "$DIR")" ||
					echo "--holders-fs tmpfs, tmpfs")" \
				"$name" "$cnt" "$(echo "$ns / ($cnt + ($cnt == 0))" | bc -l)"
		done <<<"$stats"
	done
	sysctl -q -w kernel.bpf_stats_enabled="$old"
	umount "$tmp"
	echo "   (lt_hold_*: what --holders adds, not loaded without it; lt_flock_lock_inode,"
	echo "   lt_posix_lock_inode: the lock layer's programs of every run, for scale)"
}

machine
case ${BENCH_ONLY:-all} in
all) plans && hot_path && hot_io && storm && startup && report && holders ;;
plans) plans ;;
hot) hot_path ;;
io) hot_io ;;
storm) storm ;;
startup) startup ;;
report) report ;;
holders) holders ;;
*) die "BENCH_ONLY: plans, hot, io, storm, startup, report or holders" ;;
esac
