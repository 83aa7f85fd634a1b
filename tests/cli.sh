#!/usr/bin/env bash
# The command line of the built tool: which subcommand a word selects, the
# usage text, the exit codes and the one-line errors. Nothing here reaches
# the BPF side, so it needs no root.
#
#   tests/cli.sh BUILD_DIR
#
# The last line is "cli: N passed, N failed".
set -u

[[ $# -eq 1 ]] || {
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
}
LT=$(cd "$1" 2>/dev/null && pwd)/locktrace
[[ -x $LT ]] || {
	echo "cli: $LT is not built"
	echo "cli: 0 passed, 1 failed"
	exit 1
}

passed=0
failed=0
dir=$(mktemp -d /tmp/locktrace-cli.XXXXXX) || exit 1
trap 'rm -rf -- "$dir"' EXIT

# run ARGS...: locktrace ARGS, its exit code in rc, its output in out and err.
run() {
	"$LT" "$@" >"$dir/out" 2>"$dir/err" </dev/null
	rc=$?
	out=$(cat "$dir/out")
	err=$(cat "$dir/err")
}

check() {
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "cli: FAIL: $what (exit $rc)"
		echo "cli:   stdout: $(head -c 300 "$dir/out")"
		echo "cli:   stderr: $(head -c 300 "$dir/err")"
	fi
}

# expect_usage_error ERROR ARGS...: exit 2, nothing on stdout, the one
# line "locktrace: ERROR" on stderr.
expect_usage_error() {
	local want=$1
	shift
	run "$@"
	check "locktrace $*: exit 2 and '$want'" \
		test "$rc" -eq 2 -a -z "$out" -a "$err" = "locktrace: $want"
}

run --help
help=$out
check "--help: the usage on stdout, exit 0" \
	test "$rc" -eq 0 -a -z "$err" -a "${out%%$'\n'*}" = "Usage: locktrace [OPTIONS]"
for cmd in record report probe; do
	check "--help: a line for $cmd" grep -q "^       locktrace $cmd " "$dir/out"
done
run -h
check "-h is --help" test "$rc" -eq 0 -a "$out" = "$help"
run record --help
check "record --help: the tool's usage, exit 0" test "$rc" -eq 0 -a -z "$err" -a "$out" = "$help"
run --version
version=$out
check "--version: one line, exit 0" test "$rc" -eq 0 -a -z "$err" -a "${out%% *}" = locktrace
run record --version
check "record --version" test "$rc" -eq 0 -a "$out" = "$version"
run report --help
check "report --help: the report's usage, exit 0" \
	test "$rc" -eq 0 -a -z "$err" -a "${out%%$'\n'*}" = "Usage: locktrace report [OPTIONS] FILE..."

expect_usage_error "record needs -o FILE" record
expect_usage_error "unexpected argument 'extra' (see --help)" record -o "$dir/x.jsonl" extra
expect_usage_error "probe takes no arguments (see --help)" probe extra
expect_usage_error "probe takes no arguments (see --help)" probe --help
expect_usage_error "no recording given (see report --help)" report
# A word that is no subcommand (nor a prefix of one) is the tracer's stray
# argument; a subcommand's name counts only as the first word.
expect_usage_error "unexpected argument 'foo' (see --help)" foo
expect_usage_error "unexpected argument 'rec' (see --help)" rec
expect_usage_error "unexpected argument 'records' (see --help)" records
expect_usage_error "unexpected argument 'record' (see --help)" -a record
expect_usage_error "unexpected argument 'probe' (see --help)" -j probe
expect_usage_error "unexpected argument '' (see --help)" ""
expect_usage_error "unknown option '--nope' (see --help)" --nope
expect_usage_error "unknown option '--nope' (see --help)" record --nope
expect_usage_error "option '-p' needs an argument (see --help)" -p
expect_usage_error "--force only applies to --output" --force
expect_usage_error "invalid --holders-fs 'fuse.sshfs': a filesystem type as the kernel names it, 1 to 15 letters, digits, '_' or '-' (FUSE is fuse)" --holders-fs fuse.sshfs
expect_usage_error "--host only applies to --output" --holders --host host-a
# --attach: the four plans are taken (the parse goes on to the next
# error), anything else is refused in one line.
for plan in auto fexit syscalls raw; do
	expect_usage_error "--force only applies to --output" --attach "$plan" --force
done
check "--help: the --attach line" grep -q '^      --attach PLAN    auto (default), fexit, syscalls or raw' <<<"$help"
expect_usage_error "invalid --attach 'nope': auto, fexit, syscalls or raw" --attach nope
expect_usage_error "invalid --attach 'RAW': auto, fexit, syscalls or raw" --attach RAW
expect_usage_error "invalid --attach '': auto, fexit, syscalls or raw" --attach ""
expect_usage_error "option '--attach' needs an argument (see --help)" record -o "$dir/x.jsonl" --attach
[[ ! -e $dir/x.jsonl ]]
check "no file created by a refused command line" test $? -eq 0

echo "cli: $passed passed, $failed failed"
((failed == 0))
