# The attach plans' cost on a kernel where trampolines load (make bench-vm:
# Debian's 6.1 under QEMU/TCG). A benchmark, not a test: nothing here
# passes or fails on a number; TCG's timings are not absolute, so ratios
# only, each to nothing attached in the same round.
# Sourced by tests/vm/init (tap). The boot counts
# instructions (QEMU -icount): the guest's clock advances with the
# instructions it runs, not with the host's time, so the other work of a
# busy host does not enter the figures; a ratio is then one of instructions
# run (caches and the host's speed left out).
#
# Workloads (bench/lockloop): getppid (a call locktrace never reports), pipe
# (write + read on a pipe), stat (stat + open + close of a deep path no
# pattern asks for), rw (pwrite + pread on an open lock file), loop (open +
# flock + unlock + close of a lock file). Setups: none; floor (empty
# programs on raw_syscalls:sys_exit and the filelock tracepoints, the raw
# plan's floor); locktrace's tracepoint tier under each plan this kernel
# has (the LSM tier's own programs run on every permission check, whatever
# the plan). Rounds
# interleaved (lt.rounds=N, default 3): each round runs every setup in turn,
# each setup every workload.

rounds=$(sed -n 's/.*lt\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
rounds=${rounds:-3}
iter=$(sed -n 's/.*lt\.iter=\([0-9]*\).*/\1/p' /proc/cmdline)
iter=${iter:-20000}
mkdir -p /locks/bench /tmp/d/e/e/p/n/o/n/l/o/c/k
: >/tmp/d/e/e/p/n/o/n/l/o/c/k/file
: >/locks/bench/rw.lock
plans=$(locktrace probe 2>&1 | awk '/^attach plans/ { on = 1; next } on && $2 == "available" { print $1 }' | tr '\n' ' ')
echo "# bench: plans available here: $plans; $rounds rounds of $iter calls"
setups="none floor"
for p in $plans; do setups="$setups $p"; done
workloads="getppid pipe stat rw loop"

run() {
	case $1 in
	getppid) lockloop getppid - "$iter" ;;
	pipe) lockloop pipe - "$iter" ;;
	stat) lockloop stat /tmp/d/e/e/p/n/o/n/l/o/c/k/file "$iter" ;;
	rw) lockloop rw /locks/bench/rw.lock "$iter" ;;
	loop) lockloop loop /locks/bench/loop.lock $((iter / 4)) ;;
	esac | sed -n 's/^ns_per_op=\([0-9.]*\).*/\1/p'
}

: >/tmp/bench.raw
r=1
while [ $r -le "$rounds" ]; do
	# Each round starts one setup further on: none goes first once, last
	# once ...
	order=$(echo $setups | awk -v r="$r" '{ for (i = 0; i < NF; i++) printf "%s ", $((i + r - 1) % NF + 1) }')
	for s in $order; do
		up=1
		case $s in
		none) ;;
		floor)
			bpfhold /vm/floor.bpf.o 2>/tmp/floor.err &
			fl=$!
			i=0
			while ! grep -q '^bpfhold: attached' /tmp/floor.err && [ $i -lt 600 ]; do
				sleep 0.1
				i=$((i + 1))
			done
			;;
		*)
			# The tracer itself, not lt_start: each run's own stderr.
			err=/tmp/bench-$r-$s.err
			locktrace --mode tracepoint --attach "$s" -p '/locks/**' >/dev/null 2>"$err" &
			lt=$!
			i=0
			while ! grep -q '^locktrace: tracing' "$err" && [ $i -lt 1200 ]; do
				kill -0 $lt 2>/dev/null || break
				sleep 0.1
				i=$((i + 1))
			done
			if ! grep -q '^locktrace: tracing' "$err"; then
				up=0
				echo "# bench: round $r: $s did not start (after $i waits)"
				sed 's/^/# /' "$err" | head -n 6
				kill -INT $lt 2>/dev/null
			fi
			;;
		esac
		for w in $workloads; do
			[ $up = 1 ] && echo "$r $s $w $(run "$w")" >>/tmp/bench.raw
		done
		case $s in
		none) ;;
		floor) kill -INT $fl && wait $fl ;;
		*) kill -INT $lt 2>/dev/null && wait $lt ;;
		esac
		# Nothing of this setup left running into the next.
		left=$(pidof locktrace bpfhold)
		[ -z "$left" ] || echo "# bench: round $r: after $s, still running: $left"
	done
	r=$((r + 1))
done
sed 's/^/# bench-raw: /' /tmp/bench.raw

# Per workload and setup: the median of ns per call, and the median of the
# rounds' ratios to nothing attached (and each round's).
awk -v setups="$setups" -v workloads="$workloads" '
function median(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ ns[$1, $2, $3] = $4; if ($1 > nr) nr = $1 }
END {
	ns_n = split(setups, S, " "); nw = split(workloads, W, " ")
	printf "# bench: %-8s %-9s %10s %7s  %s\n", "workload", "setup", "ns/call", "ratio", "ratio per round"
	for (w = 1; w <= nw; w++) for (s = 1; s <= ns_n; s++) {
		all = ""; rat = ""
		for (r = 1; r <= nr; r++) {
			if (!((r, S[s], W[w]) in ns) || !((r, "none", W[w]) in ns) || ns[r, "none", W[w]] == 0) continue
			all = all " " ns[r, S[s], W[w]]
			rat = rat " " sprintf("%.3f", ns[r, S[s], W[w]] / ns[r, "none", W[w]])
		}
		if (all == "") continue
		printf "# bench: %-8s %-9s %10.1f %7.3f %s\n", W[w], S[s], median(all), median(rat), rat
	}
}' /tmp/bench.raw
runs=$(grep -c '^[0-9]* [a-z0-9]* [a-z]* [0-9.][0-9.]*$' /tmp/bench.raw)
[ "$runs" -eq $((rounds * $(echo $setups | wc -w) * $(echo $workloads | wc -w))) ]
tap $? "bench: every setup and workload measured in every round ($runs runs)"
