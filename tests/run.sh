#!/usr/bin/env bash
# Run locktrace's tests.
#
#   tests/run.sh [--unit-only|--integ-only|--vm-only|--fuzz-only] BUILD_DIR
#
# Unit tests: every BUILD_DIR/tests/test_* cmocka binary; their
# "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)" lines are summed
# (a binary that exits non-zero without reporting a failure, or reports
# nothing at all, counts as one test of its own); with them, the golden
# files (tests/golden/golden.sh, "golden: N passed, N failed"), the code's
# shape (tests/layout.sh, "layout: N passed, N failed") and the command
# line (tests/cli.sh, "cli: N passed, N failed").
# Integration tests: tests/integ/integ.sh BUILD_DIR (needs root); its
# "integ: N passed, N failed" line is added. VM tests: tests/vm/vmtest.sh
# (Debian's older kernels, 6.1 and 6.12, under QEMU), "vmtest: N passed, N failed". Fuzzing:
# tests/fuzz/run.sh (the report reader under libFuzzer for FUZZ_SECONDS),
# "fuzz: N passed, N failed".
# The last line is "N passed, N failed"; the exit status is non-zero if
# anything failed or nothing ran.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	echo "usage: $0 [--unit-only|--integ-only|--vm-only|--fuzz-only] BUILD_DIR" >&2
	exit 2
}

unit=1
integ=1
vm=1
fuzz=1
build=
while (($#)); do
	case $1 in
	--unit-only) integ=0 vm=0 fuzz=0 ;;
	--integ-only) unit=0 vm=0 fuzz=0 ;;
	--vm-only) unit=0 integ=0 fuzz=0 ;;
	--fuzz-only) unit=0 integ=0 vm=0 ;;
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
((unit || integ || vm || fuzz)) || usage

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

# run_suite NAME SCRIPT: run a root suite and add its "NAME: N passed, N
# failed" line; a missing line or a failing exit is a failure too.
run_suite() {
	local name=$1 script=$2 rc line p f
	echo "== $name"
	if [[ $name != fuzz && $name != golden && $name != layout && $name != cli ]] && (($(id -u) != 0)); then
		echo "$name: refusing to run: these tests trace with BPF and need root"
		failed=$((failed + 1))
		return
	fi
	bash "$script" "$build" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$out" | tail -n 1)
	if [[ -z $line ]]; then
		echo "$name: no summary line (exit $rc)"
		failed=$((failed + 1))
		return
	fi
	read -r _ p _ f _ <<<"$line"
	passed=$((passed + p))
	failed=$((failed + f))
	if ((rc != 0 && f == 0)); then
		echo "$name: exited $rc"
		failed=$((failed + 1))
	fi
}

((unit)) && run_suite golden "$HERE/golden/golden.sh"
((unit)) && run_suite layout "$HERE/layout.sh"
((unit)) && run_suite cli "$HERE/cli.sh"
# The integration suite under the plan --attach auto takes here, then under
# each other plan this machine can load (LT_ATTACH, tests/integ/lib.sh): the
# cases that stage 32-bit calls force raw on their own.
if ((integ)); then
	run_suite integ "$HERE/integ/integ.sh"
	auto=$("$build/locktrace" probe 2>/dev/null | sed -n 's/^--attach auto uses \([a-z]*\) .*/\1/p')
	for plan in raw syscalls; do
		[[ $plan != "$auto" ]] || continue
		if ! "$build/locktrace" probe 2>/dev/null | grep -Eq "^  $plan +available "; then
			echo "== integ under --attach $plan: not available here"
			continue
		fi
		echo "== integ under --attach $plan (auto takes ${auto:-?} here)"
		LT_ATTACH=$plan run_suite integ "$HERE/integ/integ.sh"
	done
fi
((vm)) && run_suite vmtest "$HERE/vm/vmtest.sh"
((fuzz)) && run_suite fuzz "$HERE/fuzz/run.sh"

echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
