#!/usr/bin/env bash
# The report's reader under libFuzzer (with ASan, UBSan and leak checks;
# every report must also be valid UTF-8 with nothing a terminal must not see
# raw, or the target aborts). In order, each its own TAP line:
#   1. every seed recording (tests/fuzz/seeds: real, malformed, torn and the
#      hostile ones: \u0000 after a path seen before, distinct cause kinds,
#      colliding paths, strings over every limit, deep nesting, C1 and
#      bidirectional controls);
#   2. the corpus kept in the repository (tests/fuzz/corpus), grown by
#      fuzzing and minimised (make fuzz-corpus: what the seeds do not cover,
#      each input cut to 4 KiB);
#   3. hostile recordings too big for seeds, made here by genrec: 8000 events
#      of every hostile kind with 1 MB paths, and a path then the same path,
#      \u0000 and a megabyte more;
#   4. FUZZ_SECONDS (default 60) of fuzzing from all of the above with the
#      dictionary (tests/fuzz/report.dict), inputs up to 64 KiB; new inputs
#      go to BUILD_DIR/fuzz/corpus.
# A crash, a leak or a hang (an input over 10 s) fails; its input is kept in
# BUILD_DIR/fuzz/.
#
#   tests/fuzz/run.sh BUILD_DIR
#   tests/fuzz/run.sh --merge BUILD_DIR    (make fuzz-corpus: fold
#       BUILD_DIR/fuzz/corpus into tests/fuzz/corpus, minimised)
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
merge=0
if [[ ${1:-} == --merge ]]; then
	merge=1
	shift
fi
BUILD=$(cd "${1:?usage: run.sh [--merge] BUILD_DIR}" && pwd)
FUZZER=$BUILD/fuzz/fuzz_report
GENREC=$BUILD/tests/genrec
SECONDS_=${FUZZ_SECONDS:-60}
MAX_LEN=65536
passed=0 failed=0 n=0

check() { # check NAME LOG RC
	n=$((n + 1))
	if (($3 == 0)) && grep -Eq '^Done [0-9]+ runs|^Executed .* in [0-9]+ ms' "$2" &&
		! grep -q 'ERROR: ' "$2"; then
		local done
		done=$(grep -E '^Done [0-9]+ runs' "$2" | tail -n 1)
		[[ -n $done ]] || done="$(grep -c '^Executed ' "$2") files"
		echo "ok $n - $1 ($done)"
		passed=$((passed + 1))
	else
		echo "not ok $n - $1 (exit $3)"
		grep -E 'ERROR|SUMMARY|artifact|Test unit written|==[0-9]+==|format [0-9]+:' "$2" | head -20 | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

for t in "$FUZZER" "$GENREC"; do
	if [[ ! -x $t ]]; then
		echo "not ok 1 - no $t (make fuzz-bin integ-bin)"
		echo "fuzz: 0 passed, 1 failed"
		exit 1
	fi
done
mkdir -p "$BUILD/fuzz/corpus" "$HERE/corpus"
tmp=$(mktemp -d /tmp/locktrace-fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
opts=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$BUILD/fuzz/" -print_final_stats=1)

# The kept corpus: what the seeds do not cover already, by edges (not hit
# counts), each input cut to 4 KiB: a few hundred KB in the repository.
if ((merge)); then
	mkdir "$tmp/merged"
	cp "$HERE/seeds"/* "$tmp/merged"/
	"$FUZZER" "${opts[@]}" -max_len=4096 -use_counters=0 -merge=1 "$tmp/merged" "$HERE/corpus" \
		"$BUILD/fuzz/corpus" >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		exit 1
	}
	for f in "$HERE/seeds"/*; do
		rm -f "$tmp/merged/${f##*/}"
	done
	rm -f "$HERE/corpus"/*
	cp "$tmp/merged"/* "$HERE/corpus"/ 2>/dev/null
	echo "tests/fuzz/corpus: $(find "$HERE/corpus" -type f | wc -l) inputs," \
		"$(($(du -sb "$HERE/corpus" | cut -f1) / 1024)) KiB"
	exit 0
fi

"$FUZZER" "${opts[@]}" -runs=0 "$HERE/seeds" >"$log" 2>&1
check "every seed recording, real, malformed and hostile, read and rendered cleanly" "$log" $?

if [[ -n $(find "$HERE/corpus" -type f -print -quit) ]]; then
	"$FUZZER" "${opts[@]}" -runs=0 "$HERE/corpus" >"$log" 2>&1
	check "the kept corpus ($(find "$HERE/corpus" -type f | wc -l) inputs) replayed cleanly" "$log" $?
else
	n=$((n + 1))
	echo "not ok $n - the kept corpus: tests/fuzz/corpus is empty (make fuzz-corpus)"
	failed=$((failed + 1))
fi

# Whole files, however long (files named on the command line are run as
# they are, not cut to -max_len).
"$GENREC" 8000 3 hostile >"$tmp/hostile.jsonl"
{
	printf '{"time":"2026-11-24T10:41:07Z","event":"open","path":"/a"}\n'
	printf '{"time":"2026-11-24T10:41:07Z","event":"open","path":"/a\\u0000'
	head -c 1000000 /dev/zero | tr '\0' b
	printf '"}\n'
} >"$tmp/nul-1mb.jsonl"
"$FUZZER" "${opts[@]}" "$tmp/hostile.jsonl" "$tmp/nul-1mb.jsonl" >"$log" 2>&1
check "hostile recordings of 1 MB strings, \\u0000, distinct kinds, colliding paths, deep nesting" \
	"$log" $?

"$FUZZER" "${opts[@]}" -max_len=$MAX_LEN -dict="$HERE/report.dict" -max_total_time="$SECONDS_" \
	"$BUILD/fuzz/corpus" "$HERE/corpus" "$HERE/seeds" >"$log" 2>&1
check "$SECONDS_ s of fuzzing: no crash, leak or hang" "$log" $?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | sed 's/^/# /'
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
