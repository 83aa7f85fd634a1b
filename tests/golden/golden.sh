#!/usr/bin/env bash
# The report, byte for byte: every checked-in seed recording
# (tests/fuzz/seeds/*.jsonl) through every report format, with its exit
# status and warnings, against tests/golden/report/SEED.FORMAT; and the
# reports of several seeds together (MULTI, below), against
# tests/golden/report/NAME.FORMAT.
# (--explain and the event lines are golden in tests/unit/test_cause.c.)
#
#   tests/golden/golden.sh [--update] BUILD_DIR
#
# The last line is "golden: N passed, N failed".
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SEEDS=$HERE/../fuzz/seeds
update=0
if [[ ${1:-} == --update ]]; then
	update=1
	shift
fi
[[ $# -eq 1 ]] || {
	echo "usage: $0 [--update] BUILD_DIR" >&2
	exit 2
}
bin=$(cd "$1" 2>/dev/null && pwd)/locktrace
[[ -x $bin ]] || {
	echo "golden: $bin is not built"
	echo "golden: 0 passed, 1 failed"
	exit 1
}

# Reports of several recordings together: NAME, then its seeds, in order.
MULTI=(
	# Two hosts' recordings of one share: the cross-host contention.
	"crosshost crosshost-a.jsonl crosshost-b.jsonl"
)

passed=0
failed=0
got=$(mktemp /tmp/locktrace-golden.XXXXXX) || exit 1
trap 'rm -f -- "$got"' EXIT
reports=()
for seed in "$SEEDS"/*.jsonl; do
	name=${seed##*/}
	reports+=("${name%.jsonl} $name")
done
reports+=("${MULTI[@]}")
for report in "${reports[@]}"; do
	read -r name files <<<"$report"
	for fmt in text markdown json html; do
		want=$HERE/report/$name.$fmt
		# Relative to the seeds, so the output does not name the checkout.
		{
			# shellcheck disable=SC2086 # the seeds' names, one word each
			(cd "$SEEDS" && "$bin" report -f "$fmt" $files 2>&1)
			echo "== exit $?"
		} >"$got"
		if ((update)); then
			cp -- "$got" "$want"
		fi
		if cmp -s -- "$got" "$want"; then
			passed=$((passed + 1))
		else
			echo "golden: not ok $name.$fmt"
			diff -u -- "$want" "$got" | head -n 20
			failed=$((failed + 1))
		fi
	done
done
echo "golden: $passed passed, $failed failed"
((failed == 0 && passed > 0))
