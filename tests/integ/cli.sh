# Integration cases for the command line and the views: usage errors and
# exit codes, hostile names in JSON and text, options, a closed pipe,
# `locktrace probe`. Sourced by tests/integ/integ.sh, which provides lib.sh,
# $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# 8. Usage errors (exit 2), -o safety, not privileged (exit 1).
case_usage() {
	local dir=$1 none
	none="$dir/none/**"

	lt_sync unknown --no-such-option -d 1
	((LT_RC == 2)) || fail "unknown option: exit $LT_RC, expected 2"
	expect_one_error_line unknown

	lt_sync badpat -p '[ab].lock' -d 1
	((LT_RC == 2)) || fail "-p '[ab].lock': exit $LT_RC, expected 2"
	expect_one_error_line badpat

	lt_sync badpid --pid abc -d 1
	((LT_RC == 2)) || fail "--pid abc: exit $LT_RC, expected 2"
	expect_one_error_line badpid

	lt_sync baduid --uid -5 -d 1
	((LT_RC == 2)) || fail "--uid -5: exit $LT_RC, expected 2"
	expect_one_error_line baduid

	# -o onto an existing file: refused, file untouched.
	printf 'precious\n' >"$dir/existing.json" && chmod 644 "$dir/existing.json" || return 1
	touch -d '2020-01-01 00:00:00' "$dir/existing.json"
	local before after
	before=$(stat -c '%s %Y %a %i' "$dir/existing.json")
	lt_sync exist -o "$dir/existing.json" -p "$none" -d 1
	((LT_RC == 2)) || fail "-o existing file: exit $LT_RC, expected 2"
	expect_one_error_line exist
	after=$(stat -c '%s %Y %a %i' "$dir/existing.json")
	[[ $before == "$after" && $(cat "$dir/existing.json") == precious ]] ||
		fail "-o existing file: file changed ($before -> $after)"

	# -o onto a symlink to a file: refused, with or without --force.
	printf 'target\n' >"$dir/target.json" && touch -d '2020-01-01 00:00:00' "$dir/target.json" &&
		ln -s target.json "$dir/link.json" || return 1
	before=$(stat -c '%s %Y %a %i' "$dir/target.json")
	lt_sync symlink -o "$dir/link.json" -p "$none" -d 1
	((LT_RC == 2)) || fail "-o symlink: exit $LT_RC, expected 2"
	expect_one_error_line symlink
	lt_sync symforce --force -o "$dir/link.json" -p "$none" -d 1
	((LT_RC == 2)) || fail "--force -o symlink: exit $LT_RC, expected 2"
	expect_one_error_line symforce
	after=$(stat -c '%s %Y %a %i' "$dir/target.json")
	[[ -L $dir/link.json && $(readlink "$dir/link.json") == target.json ]] || fail "-o symlink: the link was replaced"
	[[ $before == "$after" && $(cat "$dir/target.json") == target ]] ||
		fail "-o symlink: its target changed ($before -> $after)"

	# -o a new file: created 0600 (even under umask 000).
	local old_umask
	old_umask=$(umask)
	umask 000
	lt_start new -o "$dir/new.json" -p "$none"
	local started=$?
	umask "$old_umask"
	if ((started == 0)); then
		lt_stop new
		if [[ -f $dir/new.json && ! -L $dir/new.json ]]; then
			[[ $(stat -c '%a %u' "$dir/new.json") == "600 0" ]] ||
				fail "-o new file: mode/owner $(stat -c '%a %u' "$dir/new.json"), expected 600 0"
		else
			fail "-o new file: $dir/new.json not created as a regular file"
		fi
	fi

	# Not privileged: exit 1, one line naming CAP_BPF.
	cp "$LT" "$dir/locktrace" && chmod 755 "$dir/locktrace" || return 1
	(cd "$dir" && timeout -k 2 5 setpriv --reuid=4242 --regid=4242 --clear-groups --inh-caps=-all \
		"$dir/locktrace" -p "$none" -d 1) >"$ART/unpriv.out" 2>"$ART/unpriv.err" </dev/null
	LT_RC=$?
	((LT_RC == 1)) || fail "unprivileged: exit $LT_RC, expected 1"
	expect_one_error_line unpriv
	grep -q 'CAP_BPF' "$ART/unpriv.err" || fail "unprivileged: stderr does not name CAP_BPF"
	return 0
}

# 9. A path full of JSON-hostile bytes, and a hostile comm.
case_hostile() {
	local dir=$1 json=$ART/lt.json name full want comm pid line n=0
	name=$'a"b\\c\nd\te\x01f\xff.lock'
	full=$dir/$name
	want=$dir/$'a"b\\c\nd\te\x01f\xef\xbf\xbd.lock'
	comm=$'q"\\\t\x01z'
	make_private "$full" || return 1
	wl_start w "$dir/go" --uid 4242 --comm "$comm" open "$full" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	if [[ ! -s $json ]]; then
		fail "no output"
		return 1
	fi
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		jq -e -c . <<<"$line" >/dev/null 2>&1 || fail "line $n is not a JSON value: $(cat -v <<<"$line")"
	done <"$json"
	((n == 3)) || fail "expected exactly three lines (header, event, trailer), got $n"
	perl -ne 'exit 1 if /[\x00-\x09\x0b-\x1f]/' "$json" || fail "raw control bytes in the output"
	iconv -f UTF-8 -t UTF-8 "$json" >/dev/null 2>&1 || fail "output is not valid UTF-8"
	expect_jq "exactly one event" "$json" 'length == 1' || return 1
	expect_common_fields "$json"
	expect_jq "path with U+FFFD for the 0xff byte" "$json" '.[0].path == $w' --arg w "$want"
	expect_jq "comm as set" "$json" '.[0].comm == $c' --arg c "$comm"
	expect_jq "path_hex present" "$json" '.[0].path_hex | type == "string" and test("^[0-9a-fA-F]+$")' || return 0
	printf '%s' "$full" >"$ART/want.bin"
	# Decode as xxd -r -p would (perl-base is always there; xxd is not).
	jq -r 'select(.path_hex) | .path_hex' "$json" | perl -ne 'chomp; print pack("H*", $_)' >"$ART/got.bin"
	cmp -s "$ART/want.bin" "$ART/got.bin" ||
		fail "path_hex decodes to $(hexof "$ART/got.bin"), expected $(hexof "$ART/want.bin")"
}

# 10. Text output: a header, then one line per event, even for a path with
# a newline in it.
case_text() {
	local dir=$1 f h pid p2 out=$ART/lt.out
	f=$dir/status.lock
	h=$dir/$'two\nlines\t\x01\xff.lock'
	make_private "$f" && make_private "$h" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-text open "$f" rdwr || return 1
	pid=$WL_PID
	wl_start w2 "$dir/go" --uid 4242 --comm ltw-text2 open "$h" rdwr || return 1
	p2=$WL_PID
	lt_start lt --pid "$pid,$p2" -w || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_result w2 '^err=EACCES errno=13$'
	local header lines line
	header=$(grep -v '^[[:space:]]*$' "$out" | head -n 1)
	[[ $header =~ TIME[[:space:]]+PID[[:space:]]+UID[[:space:]]+COMM[[:space:]]+OP[[:space:]]+PATH[[:space:]]+RESULT ]] ||
		fail "first line is not the TIME PID UID COMM OP PATH RESULT header: '$header'"
	lines=$(grep -v '^[[:space:]]*$' "$out" | tail -n +2)
	if [[ $(grep -c . <<<"$lines") != 2 ]]; then
		fail "expected exactly two event lines after the header"
		return 0
	fi
	line=$(grep -E "(^|[[:space:]])$pid([[:space:]]|\$)" <<<"$lines")
	local want
	for want in 4242 ltw-text EACCES "$f"; do
		[[ $line == *"$want"* ]] || fail "event line lacks '$want': '$line'"
	done
	line=$(grep -E "(^|[[:space:]])$p2([[:space:]]|\$)" <<<"$lines")
	[[ -n $line ]] || fail "no line for pid $p2 (the path with a newline)"
	for want in 4242 ltw-text2 EACCES "$dir/two"; do
		[[ $line == *"$want"* ]] || fail "hostile-path line lacks '$want': '$(cat -v <<<"$line")'"
	done
	perl -ne 'exit 1 if /[\x00-\x09\x0b-\x1f]/' "$out" || fail "raw control bytes in the text output"
	# README: bytes that are not printable are shown as \xNN. A lone 0xff
	# is not printable (and not UTF-8): it must not reach the terminal raw.
	iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1 ||
		fail "text output is not valid UTF-8: the path's 0xff byte was printed raw, not as \\xff"
}

# 15. --duration stops by itself; --force replaces a regular file;
# --help and --version exit 0.
case_misc_opts() {
	local dir=$1 t0 t1
	t0=$(now_ms)
	timeout -k 2 15 "$LT" -d 1 -p "$dir/none/**" >"$ART/dur.out" 2>"$ART/dur.err" </dev/null
	LT_RC=$?
	t1=$(now_ms)
	((LT_RC == 0)) || fail "-d 1: exit $LT_RC, expected 0"
	((t1 - t0 >= 900)) || fail "-d 1: exited after $((t1 - t0)) ms, before its second was up"
	grep -q '^locktrace: tracing' "$ART/dur.err" || fail "-d 1: no 'locktrace: tracing' line"
	grep -Eq '^locktrace: 0 events seen, 0 printed, 0 dropped$' "$ART/dur.err" || fail "-d 1: no zero summary line"

	printf 'precious\n' >"$dir/old.json" || return 1
	timeout -k 2 15 "$LT" --force -o "$dir/old.json" -d 1 -p "$dir/none/**" >"$ART/force.out" 2>"$ART/force.err" </dev/null
	LT_RC=$?
	((LT_RC == 0)) || fail "--force -o existing file: exit $LT_RC, expected 0"
	[[ -f $dir/old.json && ! -L $dir/old.json ]] || fail "--force: $dir/old.json is not a regular file"
	! grep -q precious "$dir/old.json" || fail "--force: the old content is still there"

	lt_sync help --help
	((LT_RC == 0)) || fail "--help: exit $LT_RC, expected 0"
	grep -q -- '--pid' "$ART/help.out" || fail "--help: no option list on stdout"
	lt_sync version --version
	((LT_RC == 0)) || fail "--version: exit $LT_RC, expected 0"
	grep -q 'locktrace' "$ART/version.out" || fail "--version: does not name locktrace on stdout"
	return 0
}

# Piped into head: when the reader goes away, locktrace ends by itself,
# exit 0, and says nothing more (no error, no summary).
case_pipe() {
	local dir=$1 pid n=3000 rc i
	mkdir -m 755 "$dir/b" || return 1
	wl_start w "$dir/go" burst "$dir/b" "$n" || return 1
	pid=$WL_PID
	# shellcheck disable=SC2016 # expanded by the inner shell
	bg_start "$ART/pipe.out" "$ART/pipe.sh.err" env --default-signal=INT,TERM bash -c \
		'"$1" --pid "$2" 2>"$3" | head -n 3; echo "rc=${PIPESTATUS[0]}" >"$4"' \
		_ "$LT" "$pid" "$ART/lt.err" "$ART/rc"
	wait_line "$ART/lt.err" '^locktrace: tracing' 20 "$BG_PID" || {
		fail "no 'locktrace: tracing' line"
		return 1
	}
	touch "$dir/go"
	wl_finish "$pid" w
	for ((i = 0; i < 100; i++)); do
		[[ -s $ART/rc ]] && break
		sleep 0.1
	done
	[[ -s $ART/rc ]] || {
		fail "locktrace did not end within 10 s after head exited"
		return 1
	}
	rc=$(cat "$ART/rc")
	[[ $rc == rc=0 ]] || fail "locktrace | head: expected exit 0, got $rc"
	[[ $(wc -l <"$ART/pipe.out") -eq 3 ]] || fail "head did not get its 3 lines"
	# The tier line(s) of start-up only: no error, no summary.
	if grep -v -E '^locktrace: (tracing |LSM tier )' "$ART/lt.err" | grep -q .; then
		fail "stderr should hold only the start-up lines: $(cat "$ART/lt.err")"
	fi
}

# Run-time probing: `locktrace probe` says what loads here and how to get
# the rest; --mode follows it: auto falls back to the tracepoint tier with
# one line, a forced lsm tier that cannot load is an error naming what is
# missing, --mode tracepoint probes nothing.
case_probe() {
	local dir=$1 out=$ART/probe.out
	"$LT" probe >"$out" 2>"$ART/probe.err"
	LT_RC=$?
	((LT_RC == 0)) || fail "locktrace probe exited $LT_RC: $(cat "$ART/probe.err")"
	grep -Eq '^BTF raw tracepoints \(tp_btf/\) +yes +loaded and attached on raw_syscalls:sys_exit$' "$out" ||
		fail "probe: the tier this run uses is not shown as working: $(cat "$out")"
	grep -Eq '^BPF ring buffer +yes' "$out" || fail "probe: no ring buffer row"
	grep -Eq '^fentry/fexit \(BPF trampolines\) +(yes|no) ' "$out" || fail "probe: no fentry/fexit row"
	grep -Eq '^BPF LSM programs +(yes|no) ' "$out" || fail "probe: no BPF LSM row"
	# The network filesystem evidence: the cifs module's, where it is; here
	# (no cifs module) it says so, how to get it, and tracing goes on
	# without it, attaching when it appears.
	if [[ -e /sys/module/cifs ]]; then
		grep -Eq '^network filesystem evidence +(yes|no) +cifs' "$out" ||
			fail "probe: no network filesystem row: $(cat "$out")"
	else
		grep -Eq '^network filesystem evidence +no +the cifs module is not loaded \(no /sys/module/cifs\)$' "$out" ||
			fail "probe: the missing cifs module is not said: $(cat "$out")"
		grep -A1 '^network filesystem evidence' "$out" | grep -q 'to get it: the cifs module loaded' ||
			fail "probe: how to get the network filesystem evidence is not said"
		lt_sync nofs --mode tracepoint -d 0.2
		((LT_RC == 0)) || fail "tracing without the cifs module: exit $LT_RC"
		grep -q '^locktrace: tracing (tier tracepoint, plan .*; cifs: not attached (the cifs module is not loaded (no /sys/module/cifs)); attached when it appears); ' "$ART/nofs.err" ||
			fail "the tracing line does not say the cifs programs wait for the module: $(cat "$ART/nofs.err")"
	fi
	if grep -Eq '^(fentry/fexit|BPF LSM).* no ' "$out"; then
		grep -q 'to get it: ' "$out" || fail "probe: a missing feature without how to get it"
		grep -q '; --mode auto uses tracepoint$' "$out" || fail "probe: auto should use tracepoint"
		lt_sync lsm --mode lsm
		((LT_RC == 1)) || fail "--mode lsm without the LSM tier: exit $LT_RC, expected 1"
		expect_one_error_line lsm
		grep -q 'fentry/fexit\|BPF LSM' "$ART/lsm.err" || fail "--mode lsm: does not name what is missing"
		lt_sync auto -d 0.2
		((LT_RC == 0)) || fail "--mode auto: exit $LT_RC"
		[[ $(grep -c '^locktrace: LSM tier unavailable (.*); using the tracepoint tier$' "$ART/auto.err") -eq 1 ]] ||
			fail "--mode auto: expected one fallback line: $(cat "$ART/auto.err")"
	fi
	lt_sync tp --mode tracepoint -d 0.2
	((LT_RC == 0)) || fail "--mode tracepoint: exit $LT_RC"
	grep -q 'LSM tier' "$ART/tp.err" && fail "--mode tracepoint should not probe the LSM tier"
	lt_sync bad --mode nope
	((LT_RC == 2)) || fail "--mode nope: exit $LT_RC, expected 2"
	expect_one_error_line bad
	lt_sync extra probe now
	((LT_RC == 2)) || fail "probe with an argument: exit $LT_RC, expected 2"
	return 0
}

# The attach plans: probe lists each with whether it is available here and
# which --attach auto takes; the tracing line names the plan and why; a
# forced plan that is not available is one error line and exit 1.
case_attach() {
	local dir=$1 out=$ART/probe.out plan
	"$LT" probe >"$out" 2>"$ART/probe.err"
	LT_RC=$?
	((LT_RC == 0)) || fail "locktrace probe exited $LT_RC: $(cat "$ART/probe.err")"
	for plan in fexit syscalls raw; do
		grep -Eq "^  $plan +(available|unavailable) " "$out" || fail "probe: no row for the $plan plan: $(cat "$out")"
	done
	grep -Eq '^  raw +available +raw_syscalls:sys_exit, every system call of the machine$' "$out" ||
		fail "probe: the raw plan is not available: $(cat "$out")"
	auto=$(sed -n 's/^--attach auto uses \([a-z]*\) (.*)$/\1/p' "$out")
	[[ -n $auto ]] || fail "probe: no '--attach auto uses' line: $(cat "$out")"
	LOCKTRACE_ATTACH='' lt_sync auto --mode tracepoint -d 0.2 --uid 54321
	((LT_RC == 0)) || fail "--attach auto: exit $LT_RC: $(cat "$ART/auto.err")"
	grep -q "^locktrace: tracing (tier tracepoint, plan $auto: " "$ART/auto.err" ||
		fail "--attach auto: the tracing line does not name plan $auto: $(cat "$ART/auto.err")"
	lt_sync raw --mode tracepoint --attach raw -d 0.2 --uid 54321
	((LT_RC == 0)) || fail "--attach raw: exit $LT_RC"
	grep -q '^locktrace: tracing (tier tracepoint, plan raw: forced by --attach raw; [0-9]* programs attached: raw_syscalls:sys_exit, ' "$ART/raw.err" ||
		fail "--attach raw: the tracing line: $(cat "$ART/raw.err")"
	# The syscalls plan's event ids where tracefs is not mounted (a fresh
	# machine): read in a mount namespace of the tracer's own, nothing left
	# mounted where the tracer runs.
	if grep -Eq '^  syscalls +available ' "$out"; then
		# shellcheck disable=SC2016 # the inner shell's $1, $2
		unshare -m --propagation private bash -c 'umount -q /sys/kernel/tracing /sys/kernel/debug/tracing 2>/dev/null
			findmnt -rn -t tracefs
			"$1" --mode tracepoint --attach syscalls -d 0.2 --uid 54321 2>"$2" >/dev/null
			echo "rc=$?"
			findmnt -rn -t tracefs' _ "$LT" "$ART/nomnt.err" >"$ART/nomnt.out" 2>&1
		[[ $(cat "$ART/nomnt.out") == rc=0 ]] ||
			fail "--attach syscalls without tracefs mounted: $(cat "$ART/nomnt.out") $(cat "$ART/nomnt.err")"
		grep -q '^locktrace: tracing (tier tracepoint, plan syscalls: .*; [0-9]* programs attached: syscalls:sys_exit_\* (19 calls), sched:sched_process_exit, ' "$ART/nomnt.err" ||
			fail "--attach syscalls without tracefs mounted: the tracing line: $(cat "$ART/nomnt.err")"
	fi
	# --attach auto where the syscalls plan cannot be had: its ids cannot
	# be read (tracefs cannot be mounted where LOCKTRACE_TRACEFS says), or
	# they are wrong (attaching fails): raw, saying why; forced, an error.
	LOCKTRACE_ATTACH='' LOCKTRACE_TRACEFS=$dir/none lt_sync noids --mode tracepoint -d 0.2 --uid 54321
	((LT_RC == 0)) || fail "auto without the syscalls plan's ids: exit $LT_RC"
	grep -q '^locktrace: tracing (tier tracepoint, plan raw: fexit: .*; syscalls: tracefs in a private mount namespace: No such file or directory; ' "$ART/noids.err" ||
		fail "auto without the syscalls plan's ids: $(cat "$ART/noids.err")"
	LOCKTRACE_TRACEFS=$dir/none lt_sync noids2 --mode tracepoint --attach syscalls -d 0.2 --uid 54321
	((LT_RC == 1)) || fail "--attach syscalls without its ids: exit $LT_RC, expected 1"
	expect_one_error_line noids2
	grep -q '^locktrace: --attach syscalls: not available here: tracefs in a private mount namespace: No such file or directory (see locktrace probe)$' "$ART/noids2.err" ||
		fail "--attach syscalls without its ids: $(cat "$ART/noids2.err")"
	for plan in open creat openat openat2 flock fcntl read write pread64 pwrite64 readv writev truncate ftruncate fallocate preadv pwritev preadv2 pwritev2; do
		mkdir -p "$dir/fake/events/syscalls/sys_exit_$plan" && echo 2147483000 >"$dir/fake/events/syscalls/sys_exit_$plan/id" || return 1
	done
	LOCKTRACE_ATTACH='' LOCKTRACE_TRACEFS=$dir/fake lt_sync badids --mode tracepoint -d 0.2 --uid 54321
	((LT_RC == 0)) || fail "auto with wrong ids: exit $LT_RC"
	grep -q '^locktrace: the syscalls plan failed (syscalls plan: perf_event_open on syscalls:sys_exit_open: Invalid argument); using the raw plan$' "$ART/badids.err" &&
		grep -q '^locktrace: tracing (tier tracepoint, plan raw: the syscalls plan failed; [0-9]* programs attached: raw_syscalls:sys_exit, ' "$ART/badids.err" ||
		fail "auto with wrong ids: not one fallback line and raw: $(cat "$ART/badids.err")"
	for plan in fexit syscalls; do
		grep -Eq "^  $plan +unavailable " "$out" || continue
		lt_sync "no$plan" --mode tracepoint --attach "$plan" -d 0.2 --uid 54321
		((LT_RC == 1)) || fail "--attach $plan where it is unavailable: exit $LT_RC, expected 1"
		expect_one_error_line "no$plan"
		grep -q "^locktrace: --attach $plan: not available here: .* (see locktrace probe)$" "$ART/no$plan.err" ||
			fail "--attach $plan: the error line: $(cat "$ART/no$plan.err")"
	done
	return 0
}
