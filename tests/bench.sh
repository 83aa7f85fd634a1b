#!/usr/bin/env bash
# Benchmarks (not tests: nothing here passes or fails on a number).
#
#   tests/bench.sh BUILD_DIR
#
# report: a 1,000,000-event recording (tests/integ/genrec.c, every kind of
# event with its cause) read by `locktrace report`, in each format; the
# median of 3 runs of wall time and the peak RSS (GNU time).
set -u

BUILD=$(cd "${1:?usage: bench.sh BUILD_DIR}" && pwd)
LT=$BUILD/locktrace
N=${BENCH_EVENTS:-1000000}
DIR=$BUILD/bench
mkdir -p "$DIR"

command -v /usr/bin/time >/dev/null || {
	echo "bench: needs GNU time (/usr/bin/time; make deps installs it)" >&2
	exit 1
}
rec=$DIR/rec-$N.jsonl
if [[ ! -s $rec ]]; then
	"$BUILD/tests/genrec" "$N" 1 >"$rec.tmp" && mv "$rec.tmp" "$rec" || exit 1
fi

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "== report: $N events, $(($(stat -c %s "$rec") / 1048576)) MiB of JSON Lines"
echo "   machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r)"
printf '   %-10s %12s %14s\n' format "median s" "peak RSS MiB"
for fmt in text json html; do
	times=() rss=0
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$DIR/time.out" "$LT" report -q -f "$fmt" "$rec" >/dev/null || exit 1
		read -r t m <"$DIR/time.out"
		times+=("$t")
		((m > rss)) && rss=$m
	done
	printf '   %-10s %12s %14.1f\n' "$fmt" "$(printf '%s\n' "${times[@]}" | median)" "$(echo "$rss / 1024" | bc -l)"
done
