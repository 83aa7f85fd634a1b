#!/usr/bin/env bash
# Run locktrace's tests.
#
#   tests/run.sh [--unit-only|--integ-only] BUILD_DIR
#
# Unit tests: every BUILD_DIR/tests/test_* cmocka binary; their
# "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)" lines are summed
# (a binary that exits non-zero without reporting a failure, or reports
# nothing at all, counts as one test of its own).
# Integration tests: tests/integ/integ.sh BUILD_DIR (needs root); its
# "integ: N passed, N failed" line is added.
# The last line is "N passed, N failed"; the exit status is non-zero if
# anything failed or nothing ran.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	echo "usage: $0 [--unit-only|--integ-only] BUILD_DIR" >&2
	exit 2
}

unit=1
integ=1
build=
while (($#)); do
	case $1 in
	--unit-only) integ=0 ;;
	--integ-only) unit=0 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*)
		[[ -z $build ]] || usage
		build=$1
		;;
	esac
	shift
done
[[ -n $build ]] || usage
((unit || integ)) || usage

passed=0
failed=0
out=$(mktemp /tmp/locktrace-run.XXXXXX) || exit 1
trap 'rm -f -- "$out"' EXIT

if ((unit)); then
	shopt -s nullglob
	bins=("$build"/tests/test_*)
	shopt -u nullglob
	ran=0
	for bin in "${bins[@]}"; do
		[[ -f $bin && -x $bin && $bin != *.d && $bin != *.o ]] || continue
		ran=$((ran + 1))
		echo "== unit: ${bin##*/}"
		env -u CMOCKA_MESSAGE_OUTPUT -u CMOCKA_TEST_ABORT "$bin" >"$out" 2>&1
		rc=$?
		cat "$out"
		p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" | awk '{s += $1} END {print s + 0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$out" | awk '{s += $1} END {print s + 0}')
		if ((rc != 0 && f == 0)); then
			echo "unit: ${bin##*/} exited $rc without reporting a failed test"
			f=1
		elif ((rc == 0 && p == 0 && f == 0)); then
			echo "unit: ${bin##*/} reported no test result; counted as one passed test (exit 0)"
			p=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
	done
	if ((ran == 0)); then
		echo "unit: no test binaries in $build/tests (make unit-bin)"
	fi
fi

if ((integ)); then
	echo "== integration"
	if (($(id -u) != 0)); then
		echo "integ: refusing to run: the integration tests trace with BPF and need root"
		failed=$((failed + 1))
	else
		bash "$HERE/integ/integ.sh" "$build" 2>&1 | tee "$out"
		rc=${PIPESTATUS[0]}
		line=$(grep -E '^integ: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
		if [[ -n $line ]]; then
			read -r _ p _ f _ <<<"$line"
			passed=$((passed + p))
			failed=$((failed + f))
			if ((rc != 0 && f == 0)); then
				echo "integ: exited $rc"
				failed=$((failed + 1))
			fi
		else
			echo "integ: no summary line (exit $rc)"
			failed=$((failed + 1))
		fi
	fi
fi

echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
