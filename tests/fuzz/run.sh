#!/usr/bin/env bash
# The report's reader under libFuzzer (with ASan, UBSan and leak checks):
# every seed once, then FUZZ_SECONDS (default 60) of fuzzing from the seeds
# and the corpus kept in BUILD_DIR/fuzz/corpus. A crash, a leak or a hang
# (an input over 10 s) fails; its input is kept in BUILD_DIR/fuzz/.
#
#   tests/fuzz/run.sh BUILD_DIR
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
FUZZER=$BUILD/fuzz/fuzz_report
SECONDS_=${FUZZ_SECONDS:-60}
passed=0 failed=0 n=0

check() { # check NAME LOG RC
	n=$((n + 1))
	if (($3 == 0)) && grep -Eq '^Done [0-9]+ runs' "$2"; then
		echo "ok $n - $1 ($(grep -E '^Done [0-9]+ runs' "$2" | tail -n 1))"
		passed=$((passed + 1))
	else
		echo "not ok $n - $1 (exit $3)"
		grep -E 'ERROR|SUMMARY|artifact|Test unit written|==[0-9]+==' "$2" | head -20 | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

if [[ ! -x $FUZZER ]]; then
	echo "not ok 1 - no $FUZZER (make fuzz-bin)"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
mkdir -p "$BUILD/fuzz/corpus"
log=$(mktemp /tmp/locktrace-fuzz.XXXXXX)
trap 'rm -f "$log"' EXIT
opts=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$BUILD/fuzz/" -print_final_stats=1)

"$FUZZER" "${opts[@]}" -runs=0 "$HERE/seeds" >"$log" 2>&1
check "every seed recording, real and malformed, read and rendered cleanly" "$log" $?
"$FUZZER" "${opts[@]}" -max_total_time="$SECONDS_" "$BUILD/fuzz/corpus" "$HERE/seeds" >"$log" 2>&1
check "$SECONDS_ s of fuzzing: no crash, leak or hang" "$log" $?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | sed 's/^/# /'
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
