# Integration cases for recordings (locktrace record -o FILE): sourced by
# tests/integ/integ.sh, which provides lib.sh, $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# Every line of FILE is a JSON object, except perhaps a torn last one
# (bytes after the last newline); prints the number of complete lines.
complete_lines() {
	local file=$1 total got
	total=$(wc -l <"$file")
	if ! got=$(head -n "$total" "$file" | jq -e -s 'all(.[]; type == "object")' 2>&1); then
		fail "$file: a complete line is not a JSON object: ${got:0:200}"
	fi
	echo "$total"
}

# record: a header first, events, a trailer with the totals; nothing on
# standard output; the file is new and 0600.
case_record() {
	local dir=$1 rec=$dir/rec.jsonl pid plan
	mkdir -m 755 "$dir/b" || return 1
	wl_start w "$dir/go" --comm ltw-rec burst "$dir/b" 300 || return 1
	pid=$WL_PID
	lt_start lt record -o "$rec" --pid "$pid" --sync-interval 0.2 || return 1
	release_and_stop "$dir/go" lt
	[[ -s $ART/lt.out ]] && fail "record wrote to standard output: $(head -c 200 "$ART/lt.out")"
	[[ $(stat -c %a "$rec") == 600 ]] || fail "the recording is not 0600"
	complete_lines "$rec" >/dev/null
	[[ $(head -n 1 "$rec" | jq -r '.type + " " + (.format | tostring) + " " + .tier') == "header 1 tracepoint" ]] ||
		fail "first line is not a format 1 header: $(head -n 1 "$rec" | head -c 300)"
	head -n 1 "$rec" | jq -e '(.host | length > 0) and (.kernel | length > 0) and (.locktrace | length > 0) and
		(.start | test("^[0-9-]+T[0-9:.]+Z$")) and .filters.pids == [$p]' --argjson p "$pid" >/dev/null ||
		fail "header lacks host, kernel, version, start or the filters: $(head -n 1 "$rec")"
	# The attach plan, as the tracing line names it.
	plan=$(sed -n 's/^locktrace: tracing (tier [a-z]*, plan \([a-z]*\): .*/\1/p' "$ART/lt.err")
	[[ -n $plan && $(head -n 1 "$rec" | jq -r .attach) == "$plan" ]] ||
		fail "header's attach is not the tracing line's plan '$plan': $(head -n 1 "$rec" | head -c 300)"
	expect_counter "trailer: 300 seen and written, nothing dropped" "$rec" \
		'.type == "trailer" and .seen == 300 and .written == 300 and .dropped_kernel == 0 and .dropped_write == 0'
	expect_jq "300 events between them" "$rec" 'length == 300 and all(.[]; .pid == $p and .errno == 2)' --argjson p "$pid"
	grep -Eq '^locktrace: 300 events seen, 300 written, 0 dropped$' "$ART/lt.err" ||
		fail "summary: $(grep 'events seen' "$ART/lt.err")"
	lt_sync noo record -d 0.1
	((LT_RC == 2)) || fail "record without -o: exit $LT_RC, expected 2"
	expect_one_error_line noo
	lt_sync badrot record -o "$dir/x.jsonl" --rotate 10Q
	((LT_RC == 2)) || fail "--rotate 10Q: exit $LT_RC, expected 2"
	expect_one_error_line badrot
	return 0
}

# kill -9 in the middle of a burst: every complete line is there and
# readable, the header first; only the last line may be torn.
case_record_kill9() {
	local dir=$1 rec=$dir/rec.jsonl lines events
	mkdir -m 755 "$dir/b" || return 1
	bg_start "$ART/lt.out" "$ART/lt.err" "$LT" record -o "$rec" -p "$dir/b/**" --uid 4242
	LT_PID=$BG_PID
	wait_line "$ART/lt.err" '^locktrace: tracing' 20 "$LT_PID" || {
		fail "no 'tracing' line"
		return 1
	}
	bg_start "$ART/w.out" "$ART/w.err" "$LTWORK" --uid 4242 --comm ltw-kill burst "$dir/b" 200000
	sleep 0.5
	kill -KILL "$LT_PID"
	wait "$LT_PID" 2>/dev/null
	kill "$BG_PID" 2>/dev/null
	lines=$(complete_lines "$rec")
	((lines > 2)) || fail "only $lines complete lines after 0.5 s of a burst"
	head -n 1 "$rec" | jq -e '.type == "header"' >/dev/null || fail "no header first"
	events=$(head -n "$lines" "$rec" | tail -n +2 | jq -c 'select(.comm == "ltw-kill" and .errno == 2)' | wc -l)
	((events == lines - 1)) || fail "$events of the $((lines - 1)) complete event lines are the burst's"
	# Complete up to the kill: the burst's opens 0 .. k, none missing.
	head -n "$lines" "$rec" | tail -n +2 | jq -r '.path' | sed 's/.*burst-//;s/\.lock$//' | sort -n >"$ART/idx"
	[[ $(head -n 1 "$ART/idx") == 0 && $(tail -n 1 "$ART/idx") == $((events - 1)) && $(sort -nu "$ART/idx" | wc -l) == "$events" ]] ||
		fail "the burst's events are not 0 .. $((events - 1)) without a gap"
	tail -n 1 "$rec" | grep -q '"trailer"' && fail "a trailer after kill -9?"
	# The report reads it all: every complete event; a torn end is left out, with a warning.
	lt_sync rep report -f json "$rec"
	((LT_RC == 0)) || fail "report of the killed recording: exit $LT_RC: $(cat "$ART/rep.err")"
	jq -e --argjson n "$events" '.events == $n and .sources[0].bad_lines == 0' "$ART/rep.out" >/dev/null ||
		fail "report: expected $events events: $(jq -c '{events, sources}' "$ART/rep.out")"
	if [[ -n $(tail -c 1 "$rec") ]]; then
		grep -q 'the last line is cut short' "$ART/rep.err" || fail "report: no warning about the torn line"
	fi
	note "$lines complete lines after kill -9"
	return 0
}

# A full filesystem: said once, the events that could not be written are
# counted, tracing goes on, and what fits again later is written.
case_record_full() {
	local dir=$1 rec pid seen written lost lines
	mkdir -m 755 "$dir/b" "$dir/tiny" || return 1
	mount -t tmpfs -o size=128k tmpfs "$dir/tiny" || return 1
	rec=$dir/tiny/rec.jsonl
	head -c 100000 /dev/zero >"$dir/tiny/filler"
	wl_start w "$dir/go" --uid 4242 --comm ltw-full burst "$dir/b" 400 || return 1
	pid=$WL_PID
	lt_start lt record -o "$rec" --uid 4242 -p "$dir/b/**" -p "$dir/c/**" || return 1
	touch "$dir/go"
	wl_finish "$pid" w
	WL_PENDING=()
	sleep 0.5
	rm -f "$dir/tiny/filler"
	sleep 0.3
	mkdir -m 755 "$dir/c"
	"$LTWORK" --uid 4242 --comm ltw-full2 burst "$dir/c" 5 >/dev/null
	sleep 0.5
	kill -INT "$LT_PID"
	wait "$LT_PID"
	LT_RC=$?
	((LT_RC == 1)) || fail "exit $LT_RC after lost events, expected 1"
	[[ $(grep -c 'failed: No space left on device; tracing goes on' "$ART/lt.err") == 1 ]] ||
		fail "expected one 'No space left' line: $(cat "$ART/lt.err")"
	grep -q '^locktrace: warning: writing .* works again; [1-9][0-9]* events could not be written$' "$ART/lt.err" ||
		fail "no 'works again' line"
	lines=$(complete_lines "$rec")
	expect_counter "a trailer once space was back" "$rec" '.type == "trailer"'
	seen=$(tail -n 1 "$rec" | jq .seen) written=$(tail -n 1 "$rec" | jq .written) lost=$(tail -n 1 "$rec" | jq .dropped_write)
	((seen == 405)) || fail "trailer: seen $seen, expected 405"
	((written + lost == seen && lost > 0)) || fail "trailer: written $written + lost $lost != seen $seen"
	((lines == written + 2)) || fail "$lines lines for $written events, a header and a trailer"
	expect_jq "the events after the space came back" "$rec" '[.[] | select(.comm == "ltw-full2")] | length == 5'
	grep -Eq "^locktrace: lost or degraded: $lost not written to the recording$" "$ART/lt.err" ||
		fail "no count of what was not written in the summary"
	umount "$dir/tiny"
	return 0
}

# --rotate SIZE --keep N: FILE, FILE.1 .. FILE.N, each with its header.
case_record_rotate() {
	local dir=$1 rec=$dir/rec.jsonl f i
	mkdir -m 755 "$dir/b" || return 1
	lt_start lt record -o "$rec" -p "$dir/b/**" --uid 4242 --rotate 64K --keep 2 || return 1
	for i in 1 2 3 4 5 6; do
		"$LTWORK" --uid 4242 --comm ltw-rot burst "$dir/b" 60 >/dev/null
		sleep 0.25
	done
	lt_stop lt
	for f in "$rec" "$rec.1" "$rec.2"; do
		[[ -f $f ]] || {
			fail "no $f"
			continue
		}
		head -n 1 "$f" | jq -e '.type == "header"' >/dev/null || fail "$f does not start with a header"
		[[ $(stat -c %a "$f") == 600 ]] || fail "$f is not 0600"
		complete_lines "$f" >/dev/null
	done
	[[ -e $rec.3 ]] && fail "$rec.3 kept with --keep 2"
	expect_counter "trailer: 3 rotations or more, 360 seen and written" "$rec" \
		'.type == "trailer" and .rotations >= 3 and .seen == 360 and .written == 360'
	lt_sync nokeep -o "$dir/y.jsonl" --keep 3 -d 0.1
	((LT_RC == 2)) || fail "--keep without --rotate: exit $LT_RC, expected 2"
	return 0
}

# A rotation that cannot be done does not end the recording: FILE.1 is a
# non-empty directory (the rename is refused), then a filesystem out of
# inodes (the rename is done, the new FILE cannot be created). Each time
# the tracer keeps writing where it was, says so once, counts each failed
# attempt in the trailer (rotate_failed), and nothing is lost.
case_record_rotate_blocked() {
	local dir=$1 rec=$1/rec.jsonl i t
	mkdir -m 755 "$dir/b" "$dir/tiny" && mkdir -p "$rec.1/blocker" || return 1
	lt_start lt record -o "$rec" -p "$dir/b/**" --rotate 16K --keep 2 || return 1
	for i in 1 2 3 4 5; do
		"$LTWORK" --uid 4242 --comm ltw-rotb burst "$dir/b" 40 >/dev/null
		sleep 0.25
	done
	lt_stop lt
	[[ -d $rec.1/blocker ]] || fail "the blocking directory was touched"
	complete_lines "$rec" >/dev/null
	t=$(tail -n 1 "$rec")
	jq -e '.type == "trailer" and .seen == 200 and .written == 200 and .dropped_write == 0 and .rotations == 0 and .rotate_failed >= 2' <<<"$t" >/dev/null ||
		fail "blocked name: trailer $t"
	expect_jq "blocked name: all 200 events in $rec" "$rec" 'length == 200'
	[[ $(grep -c "rotating $rec" "$ART/lt.err") == 1 ]] ||
		fail "blocked name: expected one warning naming $rec: $(cat "$ART/lt.err")"
	grep -q "rotating $rec.*Is a directory" "$ART/lt.err" || fail "blocked name: the warning does not say why"
	grep -q 'writing .* failed' "$ART/lt.err" && fail "blocked name: writes failed: $(cat "$ART/lt.err")"

	# Two inodes: the root directory and the recording. The rename works,
	# the new FILE cannot be created: the recording goes on in FILE.1.
	mount -t tmpfs -o size=8m,nr_inodes=2 tmpfs "$dir/tiny" || return 1
	rec=$dir/tiny/rec.jsonl
	lt_start lt2 record -o "$rec" -p "$dir/b/**" --rotate 16K --keep 2 || {
		umount "$dir/tiny"
		return 1
	}
	for i in 1 2 3 4 5; do
		"$LTWORK" --uid 4242 --comm ltw-rotb burst "$dir/b" 40 >/dev/null
		sleep 0.25
	done
	lt_stop lt2
	if [[ -f $rec.1 ]]; then
		t=$(tail -n 1 "$rec.1")
		jq -e '.type == "trailer" and .seen == 200 and .written == 200 and .dropped_write == 0 and .rotate_failed >= 2' <<<"$t" >/dev/null ||
			fail "no inode: trailer $t"
		expect_jq "no inode: all 200 events in $rec.1" "$rec.1" 'length == 200'
	else
		fail "no inode: no $rec.1: $(ls -la "$dir/tiny")"
	fi
	[[ $(grep -c "rotating $rec" "$ART/lt2.err") == 1 ]] ||
		fail "no inode: expected one warning naming $rec: $(cat "$ART/lt2.err")"
	grep -q "rotating $rec.*No space left on device" "$ART/lt2.err" || fail "no inode: the warning does not say why"
	umount "$dir/tiny"
	return 0
}
