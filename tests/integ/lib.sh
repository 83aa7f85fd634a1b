# shellcheck shell=bash
# Helpers for tests/integ/integ.sh (sourced, not run).
#
# Background processes are started in the calling shell (never in a
# command substitution) so that $! is the real process and `wait` works;
# results come back through globals: BG_PID, WL_PID, WL_OUT, LT_PID, LT_RC.
#
# Expects from the caller: LT (the locktrace binary), LTWORK (the workload),
# ART (this case's artifact directory), DIAG (this case's diagnostics file)
# and CASE_FAILS (a counter).

BG_PIDS=() # every background process started, killed at case end and exit

# Milliseconds since the epoch.
now_ms() {
	local ns
	ns=$(date +%s%N)
	echo $((ns / 1000000))
}

# Record a failed expectation for the current case.
fail() {
	CASE_FAILS=$((CASE_FAILS + 1))
	printf '%s\n' "$*" >>"$DIAG"
}

# Add a diagnostic line for the current case without failing it.
note() {
	printf '  %s\n' "$*" >>"$DIAG"
}

# pid_alive PID: true while PID exists and is not a zombie.
pid_alive() {
	local stat
	[[ -r /proc/$1/stat ]] || return 1
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# wait_exit PID TIMEOUT_S: wait until PID is gone; 1 on timeout.
wait_exit() {
	local pid=$1 deadline
	deadline=$(($(now_ms) + $2 * 1000))
	while pid_alive "$pid"; do
		(($(now_ms) >= deadline)) && return 1
		sleep 0.01
	done
	return 0
}

# wait_line FILE ERE TIMEOUT_S [PID]: wait until a line of FILE matches ERE.
# 0 found, 1 timeout, 2 PID died first.
wait_line() {
	local file=$1 re=$2 pid=${4:-} deadline
	deadline=$(($(now_ms) + $3 * 1000))
	while :; do
		grep -Eq -- "$re" "$file" 2>/dev/null && return 0
		if [[ -n $pid ]] && ! pid_alive "$pid"; then
			grep -Eq -- "$re" "$file" 2>/dev/null && return 0
			return 2
		fi
		(($(now_ms) >= deadline)) && return 1
		sleep 0.01
	done
}

# wait_lines FILE ERE N TIMEOUT_S: until N lines of FILE match ERE.
wait_lines() {
	local deadline=$(($(now_ms) + $4 * 1000)) n
	while n=$(grep -Ec -- "$2" "$1" 2>/dev/null); ((${n:-0} < $3)); do
		(($(now_ms) >= deadline)) && return 1
		sleep 0.02
	done
}

# bg_start OUT ERR CMD...: start CMD in the background, stdin closed.
bg_start() {
	local out=$1 err=$2
	shift 2
	"$@" >"$out" 2>"$err" </dev/null &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# reap PID: kill PID (TERM, then KILL) if still running and collect it.
reap() {
	local pid=$1
	if pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		wait_exit "$pid" 3 || kill -KILL "$pid" 2>/dev/null
	fi
	{ wait "$pid"; } 2>/dev/null
	return 0
}

# reap_all: reap every background process started so far.
reap_all() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		reap "$pid"
	done
	BG_PIDS=()
}

# wl_launch NAME CMD...: start CMD, which must end up exec'ing ltwork with
# --go (same process), stdout in $ART/NAME.out, stderr in $ART/NAME.err;
# wait for its pid= line. Sets WL_PID and WL_OUT.
wl_launch() {
	local name=$1 rc
	shift
	WL_OUT=$ART/$name.out
	WL_PID=
	bg_start "$WL_OUT" "$ART/$name.err" "$@"
	wait_line "$WL_OUT" '^pid=[0-9]+$' 10 "$BG_PID"
	rc=$?
	if ((rc != 0)); then
		fail "workload $name ($*) did not print pid= (rc $rc)"
		return 1
	fi
	WL_PID=$(sed -n 's/^pid=//p' "$WL_OUT" | head -n 1)
	if [[ $WL_PID != "$BG_PID" ]]; then
		fail "workload $name printed pid=$WL_PID but \$! is $BG_PID"
		return 1
	fi
	WL_PENDING+=("$WL_PID $name")
	return 0
}

# wl_start NAME GOFILE LTWORK-ARGS...: start the workload with --go GOFILE
# (plus the options given, which must come first in LTWORK-ARGS).
wl_start() {
	local name=$1 go=$2
	shift 2
	wl_launch "$name" "$LTWORK" --go "$go" "$@"
}

# wl_start_cwd NAME GOFILE DIR LTWORK-ARGS...: like wl_start, but the
# workload runs with DIR as its working directory.
wl_start_cwd() {
	local name=$1 go=$2 dir=$3
	shift 3
	# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
	wl_launch "$name" bash -c 'cd "$1" && shift && exec "$@"' _ "$dir" "$LTWORK" --go "$go" "$@"
}

# wl_finish PID NAME: wait (15 s) for a workload the go file released.
wl_finish() {
	local pid=$1 name=$2 rc
	if ! wait_exit "$pid" 15; then
		fail "workload $name (pid $pid) still running 15 s after go"
		reap "$pid"
		return 1
	fi
	wait "$pid"
	rc=$?
	if ((rc != 0)); then
		fail "workload $name (pid $pid) exited $rc"
		return 1
	fi
	return 0
}

# release_and_stop GOFILE LTNAME: release every workload started since the
# last release (they wait for GOFILE), wait for each, then stop locktrace.
WL_PENDING=()
release_and_stop() {
	local go=$1 lt=$2 w
	touch "$go"
	for w in "${WL_PENDING[@]}"; do
		wl_finish "${w%% *}" "${w#* }"
	done
	WL_PENDING=()
	lt_stop "$lt"
}

# wl_result NAME: the workload's last output line (its result).
wl_result() {
	tail -n 1 "$ART/$1.out" 2>/dev/null
}

# wl_value NAME KEY: the value of a KEY=N line the workload printed.
wl_value() {
	sed -n "s/^$2=//p" "$ART/$1.out" 2>/dev/null | head -n 1
}

# expect_result NAME ERE: the workload's result line must match ERE.
expect_result() {
	local got
	got=$(wl_result "$1")
	[[ $got =~ $2 ]] || fail "workload $1: result '$got', expected /$2/"
}

# hold_start NAME LTWORK-ARGS...: start a lock holder, wait for "held".
hold_start() {
	local name=$1 rc
	shift
	bg_start "$ART/$name.out" "$ART/$name.err" "$LTWORK" "$@"
	wait_line "$ART/$name.out" '^held$' 10 "$BG_PID"
	rc=$?
	if ((rc != 0)); then
		fail "holder $name ($*) did not print held (rc $rc)"
		return 1
	fi
	return 0
}

# LT_ATTACH=PLAN runs the suite under that plan (tests/run.sh runs it under
# each): every tracer started without its own --attach takes it
# (LOCKTRACE_ATTACH), and lt_start checks its tracing line says so.
if [[ -n ${LT_ATTACH:-} ]]; then
	export LOCKTRACE_ATTACH=$LT_ATTACH
fi

# lt_plan_check NAME LOCKTRACE-ARGS...: under LT_ATTACH, the tracer whose
# stderr is $ART/NAME.err uses that plan (or the one its own --attach names).
lt_plan_check() {
	local name=$1 want=${LT_ATTACH:-} prev= a
	shift
	for a in "$@"; do
		[[ $prev == --attach ]] && want=$a
		prev=$a
	done
	[[ -z $want || $want == auto ]] && return 0
	grep -q "^locktrace: tracing (tier [a-z]*, plan $want: " "$ART/$name.err" ||
		fail "locktrace $*: not on plan $want: $(grep '^locktrace: tracing' "$ART/$name.err")"
}

# lt_start NAME LOCKTRACE-ARGS...: start locktrace (stdout in
# $ART/NAME.out, stderr in $ART/NAME.err) with default SIGINT/SIGTERM
# dispositions (background jobs of a script inherit SIGINT ignored), and
# wait up to 20 s for its "locktrace: tracing" line. Sets LT_PID.
lt_start() {
	local name=$1 rc
	shift
	bg_start "$ART/$name.out" "$ART/$name.err" env --default-signal=INT,TERM "$LT" "$@"
	LT_PID=$BG_PID
	wait_line "$ART/$name.err" '^locktrace: tracing' 20 "$LT_PID"
	rc=$?
	case $rc in
	0)
		lt_plan_check "$name" "$@"
		return 0
		;;
	1) fail "locktrace $* printed no 'locktrace: tracing' line in 20 s" ;;
	*) fail "locktrace $* exited before its 'locktrace: tracing' line" ;;
	esac
	reap "$LT_PID"
	return 1
}

# lt_stop NAME: SIGINT locktrace, wait (15 s) and check it exits 0 with its
# summary line. Sets LT_RC.
lt_stop() {
	local name=$1
	LT_RC=
	kill -INT "$LT_PID" 2>/dev/null
	if ! wait_exit "$LT_PID" 15; then
		fail "locktrace ($name) still running 15 s after SIGINT"
		reap "$LT_PID"
		return 1
	fi
	wait "$LT_PID"
	LT_RC=$?
	((LT_RC == 0)) || fail "locktrace ($name) exited $LT_RC after SIGINT, expected 0"
	grep -Eq '^locktrace: [0-9]+ events seen, [0-9]+ (printed|written), [0-9]+ dropped$' "$ART/$name.err" ||
		fail "locktrace ($name): no 'locktrace: N events seen, N printed, N dropped' line on stderr"
	return 0
}

# lt_sync NAME LOCKTRACE-ARGS...: run locktrace in the foreground (5 s
# at most), stdout/stderr in $ART/NAME.{out,err}. Sets LT_RC.
lt_sync() {
	local name=$1
	shift
	timeout -k 2 5 "$LT" "$@" >"$ART/$name.out" 2>"$ART/$name.err" </dev/null
	LT_RC=$?
}

# expect_jq DESC FILE FILTER [JQ-ARGS...]: FILTER, run on FILE slurped into
# an array of events, must yield true.
expect_jq() {
	local desc=$1 file=$2 filter=$3 got
	shift 3
	# The events: not the recording's header and trailer lines.
	if ! got=$(jq -e -s "$@" "map(select(.type != \"header\" and .type != \"trailer\")) | ($filter)" "$file" 2>&1); then
		fail "expected $desc: jq -s '$filter' gave: ${got:-nothing}"
		return 1
	fi
	return 0
}

# expect_counter DESC FILE FILTER: FILTER on the last line of FILE, the
# counters line (a recording's trailer, or the --json stats line).
expect_counter() {
	local got
	got=$(tail -n 1 "$2")
	jq -e "$3" <<<"$got" >/dev/null 2>&1 || fail "expected $1: '$3' on: ${got:0:600}"
}

# expect_one_error_line NAME: locktrace's stderr is exactly one "locktrace: " line.
expect_one_error_line() {
	local err=$ART/$1.err n
	n=$(wc -l <"$err")
	((n == 1)) || fail "$1: expected exactly one line on stderr, got $n"
	grep -q '^locktrace: ' "$err" || fail "$1: stderr line does not start with 'locktrace: '"
}

# dump_art: the case's artifacts, as TAP diagnostics.
dump_art() {
	local f
	for f in "$ART"/*; do
		[[ -f $f && $f != "$DIAG" ]] || continue
		printf '# --- %s (%s lines) ---\n' "${f##*/}" "$(wc -l <"$f")"
		head -n 40 "$f" | cat -v | sed 's/^/#   /'
	done
}

RFC3339_US='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$'

# Checks every event of FILE must pass, whatever the case.
expect_common_fields() {
	local file=$1 now
	now=$(date +%s)
	local checks=(
		"time is RFC 3339 UTC with microseconds" '.time | type == "string" and test("'"$RFC3339_US"'")'
		"time within 5 minutes of now" '(.time | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) - $now | (if . < 0 then -. else . end) < 300'
		"event is open|flock|fcntl_lock" '.event as $v | ["open", "flock", "fcntl_lock"] | any(. == $v)'
		"syscall is known" '.syscall as $v | ["open", "openat", "openat2", "creat", "flock", "fcntl"] | any(. == $v)'
		"numeric ids" '[.pid, .tid, .ppid, .uid, .gid, .euid, .egid, .fsuid, .fsgid, .ret, .errno, .cgroup_id, .mntns] | all(type == "number")'
		"groups is an array of numbers" '.groups | type == "array" and all(type == "number")'
		"cap_eff is a hex string" '.cap_eff | type == "string" and test("^(0x)?[0-9a-fA-F]+$")'
		"comm is a string" '.comm | type == "string" and length > 0'
		"path is absolute" '.path | type == "string" and startswith("/")'
		"flags is a string" '.flags | type == "string" and length > 0'
		"error present iff errno != 0" 'if .errno == 0 then (has("error") | not) else (.error | type == "string" and test("^E[A-Z0-9]+$")) end'
		"ret < 0 iff errno != 0" '(.ret < 0) == (.errno != 0)'
	)
	local i
	for ((i = 0; i < ${#checks[@]}; i += 2)); do
		expect_jq "every event: ${checks[i]}" "$file" "all(.[]; ${checks[i + 1]})" --argjson now "$now"
	done
}

# hexof FILE: its bytes in lower-case hex, one line.
hexof() {
	perl -0777 -ne 'print unpack("H*", $_), "\n"' "$1"
}

# Root-owned 0600 file: uid 4242 gets EACCES opening it.
make_private() {
	: >"$1" && chmod 600 "$1"
}

# The cgroup v2 id of this shell (and so of its children): the inode of its
# cgroup directory; empty if no cgroup2 mount is visible.
own_cgroup_id() {
	local mnt rel
	mnt=$(findmnt -n -t cgroup2 -o TARGET 2>/dev/null | head -n 1)
	rel=$(sed -n 's/^0:://p' /proc/self/cgroup)
	if [[ -n $mnt && -n $rel && -d $mnt$rel ]]; then
		stat -c %i "$mnt$rel"
	fi
}

# Device numbers of FILE as locktrace may print them: kernel encoding
# (major << 20 | minor), glibc makedev() encoding, "major:minor".
dev_forms() {
	local maj min
	maj=$(stat -c %Hd "$1")
	min=$(stat -c %Ld "$1")
	printf '%s %s "%s:%s"\n' $(((maj << 20) | min)) \
		$((((maj & 0xfff) << 8) | (min & 0xff) | ((min & ~0xff) << 12) | ((maj & ~0xfff) << 32))) \
		"$maj" "$min"
}

# expect_lock_file_ids FILE EVENT-FILE: .ino and .dev of the one event are
# those of FILE.
expect_lock_file_ids() {
	local forms
	forms=$(dev_forms "$1")
	expect_jq "ino of $1" "$2" '.[0].ino == $ino' --argjson ino "$(stat -c %i "$1")"
	expect_jq "dev of $1 (one of $forms)" "$2" '.[0].dev as $d | $forms | any(. == $d)' \
		--argjson forms "[${forms// /,}]"
}
