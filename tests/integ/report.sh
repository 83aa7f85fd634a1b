# Integration cases for reports (locktrace report): sourced by
# tests/integ/integ.sh, which provides lib.sh, $LT, $LTWORK, $ART, $BUILD.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# A scripted incident, recorded by the real tracer: 20 refused opens of a
# root 0600 lock file, 10 refused flocks behind a holder, 2000 opens in a
# missing directory, 2 blocking flocks that waited. Then the report, in
# every format: its totals are what the workload did.
incident() {
	local dir=$1 i
	mkdir -m 755 "$dir/locks" "$dir/b" || return 1
	: >"$dir/locks/status.lock" && chmod 600 "$dir/locks/status.lock"
	: >"$dir/locks/deploy.lock" && : >"$dir/locks/w.db" && chmod 666 "$dir/locks/deploy.lock" "$dir/locks/w.db"
	hold_start holder --comm ltw-holder hold-flock "$dir/locks/deploy.lock" ex || return 1
	HOLDER=$BG_PID
	lt_start lt record -o "$dir/rec.jsonl" --uid 4242 -p "$dir/**" --min-wait 50 || return 1
	for ((i = 0; i < 20; i++)); do
		"$LTWORK" --uid 4242 --comm ltw-dac open "$dir/locks/status.lock" rdwr >/dev/null
	done
	for ((i = 0; i < 10; i++)); do
		"$LTWORK" --uid 4242 --comm ltw-waiter flock "$dir/locks/deploy.lock" ex nb >/dev/null
	done
	"$LTWORK" --uid 4242 --comm ltw-burst burst "$dir/b" 2000 >/dev/null
	for ((i = 0; i < 2; i++)); do
		hold_start hold2 --comm ltw-hold2 hold-flock "$dir/locks/w.db" ex 300 || return 1
		"$LTWORK" --uid 4242 --comm ltw-wait flock "$dir/locks/w.db" ex >/dev/null
		# The holder is named from /proc after the wait: it stays until
		# its wait is in the recording (a holder gone by then has no name).
		wait_lines "$dir/rec.jsonl" '"comm":"ltw-wait"' $((i + 1)) 10 ||
			fail "lock wait $((i + 1)) not in the recording within 10 s"
		kill "$BG_PID"
	done
	lt_stop lt
	kill "$HOLDER"
}

case_report() {
	local dir=$1 rec=$dir/rec.jsonl out=$ART/report.json
	incident "$dir" || return 1
	lt_sync rj report -f json "$rec"
	((LT_RC == 0)) || fail "report -f json: exit $LT_RC: $(cat "$ART/rj.err")"
	cp "$ART/rj.out" "$out"
	[[ -s $ART/rj.err ]] && fail "report wrote to stderr: $(cat "$ART/rj.err")"
	jq -e '.events == 2032 and .failures == 2030 and .lock_waits == 2' "$out" >/dev/null ||
		fail "totals: $(jq -c '{events, failures, lock_waits}' "$out")"
	jq -e '[.by_cause[] | {(.key): .count}] | add == {"not_found": 2000, "dac": 20, "lock_held": 10}' "$out" >/dev/null ||
		fail "by cause: $(jq -c .by_cause "$out")"
	jq -e '[.by_error[] | {(.key): .count}] | add == {"ENOENT": 2000, "EACCES": 20, "EWOULDBLOCK": 10}' "$out" >/dev/null ||
		fail "by error: $(jq -c .by_error "$out")"
	jq -e --arg p "$dir/locks/status.lock" '[.groups[] | select(.path == $p)] |
		length == 1 and .[0].count == 20 and .[0].cause == "dac" and .[0].comm == "ltw-dac" and
		.[0].uid == 4242 and (.[0].fix | contains("chmod")) and (.[0].detail | contains("0600"))' "$out" >/dev/null ||
		fail "the dac group: $(jq -c '.groups[:3]' "$out")"
	jq -e --arg p "$dir/locks/deploy.lock" --argjson h "$HOLDER" '[.contention[] | select(.path == $p)][0] |
		.refused == 10 and (.holders | any(.pid == $h and .comm == "ltw-holder")) and
		(.waiters | map(.comm) | unique == ["ltw-waiter"])' "$out" >/dev/null ||
		fail "contention on deploy.lock: $(jq -c .contention "$out")"
	jq -e --arg p "$dir/locks/w.db" '[.contention[] | select(.path == $p)][0] |
		.waits == 2 and .wait_max_us >= 150000 and (.longest_waits | length == 2) and
		(.holders | any(.comm == "ltw-hold2"))' "$out" >/dev/null ||
		fail "lock waits on w.db: $(jq -c .contention "$out")"
	jq -e '.sources[0] | .host != null and .trailer.seen == 2032 and .trailer.written == 2032 and .torn == false and .bad_lines == 0' "$out" >/dev/null ||
		fail "source: $(jq -c .sources "$out")"
	# Filters.
	lt_sync rf report -f json --cause lock_held --comm ltw-waiter "$rec"
	jq -e '.events == 10 and .failures == 10 and .filtered_out == 2022' "$ART/rf.out" >/dev/null ||
		fail "--cause --comm: $(jq -c '{events, filtered_out}' "$ART/rf.out")"
	lt_sync rs report -f json --since 2999-01-01 "$rec"
	jq -e '.events == 0' "$ART/rs.out" >/dev/null || fail "--since in the future kept events"
	lt_sync rp report -f json --path '**/status.lock' "$rec"
	jq -e '.events == 20' "$ART/rp.out" >/dev/null || fail "--path: $(jq -c .events "$ART/rp.out")"
	# Text and Markdown say the same.
	lt_sync rt report "$rec"
	grep -Eq "^ +2000  not_found$" "$ART/rt.out" || fail "text: no 2000 not_found row"
	grep -q "fix: .*chmod" "$ART/rt.out" || fail "text: no fix line"
	lt_sync rm report -f markdown "$rec"
	grep -q '^| 20 | dac |$' "$ART/rm.out" || fail "markdown: no dac row"
	return 0
}

# The HTML report in a real browser: Chromium renders it to a PNG (kept
# as an artefact) and its DOM has the groups, the timeline and the
# contention view.
case_report_html() {
	local dir=$1 html=$dir/report.html png=$ART/report.png dom=$ART/dom.html w h groups
	incident "$dir" || return 1
	lt_sync rh report -f html -o "$html" "$dir/rec.jsonl"
	((LT_RC == 0)) || fail "report -f html: exit $LT_RC: $(cat "$ART/rh.err")"
	grep -Eq 'https?://|<script|<link' "$html" && fail "the HTML is not self-contained"
	command -v chromium >/dev/null || {
		fail "chromium is not installed (make deps installs it)"
		return 1
	}
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$dir/chromium" --window-size=1280,2400 --screenshot="$png" \
		"file://$html" >"$ART/chromium.out" 2>&1 || fail "chromium --screenshot failed"
	[[ $(head -c 8 "$png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "no PNG written"
	w=$(od -An -tu1 -j16 -N4 "$png" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
	h=$(od -An -tu1 -j20 -N4 "$png" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
	((w == 1280 && h == 2400)) || fail "screenshot is ${w}x$h, expected 1280x2400"
	(($(stat -c %s "$png") > 20000)) || fail "screenshot of $(stat -c %s "$png") bytes: blank?"
	mkdir -p "$BUILD/tests/artifacts" && cp "$png" "$BUILD/tests/artifacts/report.png"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$dir/chromium" \
		--dump-dom "file://$html" >"$dom" 2>"$ART/chromium.err" || fail "chromium --dump-dom failed"
	groups=$(grep -o '<tr class="group"' "$dom" | wc -l)
	((groups == 2004)) || ((groups == 50)) || fail "the DOM has $groups group rows"
	grep -q 'data-cause="dac"' "$dom" || fail "no dac group in the DOM"
	grep -q 'data-cause="lock_held"' "$dom" || fail "no lock_held group in the DOM"
	grep -q '<svg[^>]*id="timeline"' "$dom" || fail "no timeline in the DOM"
	grep -q 'id="contention"' "$dom" || fail "no contention view in the DOM"
	grep -q 'ltw-holder' "$dom" || fail "the holder is not named in the DOM"
	note "screenshot: $BUILD/tests/artifacts/report.png (${w}x$h)"
	return 0
}

# Bad input: one line and a documented exit code; a recording cut short by
# kill -9 is read with a warning; one of a newer format is refused.
case_report_input() {
	local dir=$1
	head -c 3000 /dev/urandom >"$dir/noise.bin"
	lt_sync noise report "$dir/noise.bin"
	((LT_RC == 2)) || fail "report of random bytes: exit $LT_RC, expected 2"
	expect_one_error_line noise
	lt_sync missing report "$dir/none.jsonl"
	((LT_RC == 1)) || fail "report of a missing file: exit $LT_RC, expected 1"
	expect_one_error_line missing
	lt_sync noargs report
	((LT_RC == 2)) || fail "report without files: exit $LT_RC, expected 2"
	expect_one_error_line noargs
	lt_sync badfmt report -f pdf "$dir/none.jsonl"
	((LT_RC == 2)) || fail "report -f pdf: exit $LT_RC, expected 2"
	expect_one_error_line badfmt
	"$BUILD/tests/genrec" 50 >"$dir/cut.jsonl" || return 1
	truncate -s -200 "$dir/cut.jsonl"
	lt_sync cut report -f json "$dir/cut.jsonl"
	((LT_RC == 0)) || fail "report of a cut recording: exit $LT_RC"
	grep -q "^locktrace: warning: .*cut.jsonl: the last line is cut short" "$ART/cut.err" ||
		fail "no warning about the cut line: $(cat "$ART/cut.err")"
	jq -e '.events == 49 and .sources[0].torn' "$ART/cut.out" >/dev/null ||
		fail "cut recording: $(jq -c '{events, sources}' "$ART/cut.out")"
	# A recording of a newer format than this build reads: refused.
	sed '1s/"format":1,/"format":99,/' "$dir/cut.jsonl" >"$dir/newer.jsonl"
	lt_sync newer report "$dir/newer.jsonl"
	((LT_RC == 2)) || fail "report of a format 99 recording: exit $LT_RC, expected 2"
	expect_one_error_line newer
	grep -qF "$dir/newer.jsonl is a recording of format 99, newer than this locktrace reads (format 1 at most)" \
		"$ART/newer.err" || fail "format 99: $(cat "$ART/newer.err")"
	[[ -s $ART/newer.out ]] && fail "format 99: a report was written"
	printf '{"type":"header"}\nnot json\n{"time":"x"}\n' >"$dir/some.jsonl"
	lt_sync some report -q "$dir/some.jsonl"
	((LT_RC == 0)) || fail "report -q of a recording with bad lines: exit $LT_RC"
	[[ -s $ART/some.err ]] && fail "-q still warned: $(cat "$ART/some.err")"
	return 0
}

# An independent count of what the report's limits leave out, from the
# recording's own text (genrec writes every event's top-level "event", "path",
# "comm", "uid", "error" and the cause's "kind" first): for each table, the
# events whose value is not among the first LIMIT distinct ones. Prints
# "paths groups by_cause".
hostile_expect() {
	awk -v maxp=100000 -v maxg=100000 -v maxk=256 '
		function field(name,    i, s) {
			i = index($0, "\"" name "\":")
			if (!i)
				return ""
			s = substr($0, i + length(name) + 3)
			if (substr(s, 1, 1) == "\"") {
				s = substr(s, 2)
				return substr(s, 1, index(s, "\"") - 1)
			}
			match(s, /^-?[0-9]+/)
			return substr(s, 1, RLENGTH)
		}
		/"type":"(header|trailer)"/ { next }
		{
			p = field("path")
			if (!(p in P)) { if (np < maxp) { P[p] = 1; np++ } else P[p] = 0 }
			if (!P[p]) mp++
			e = field("error")
			if (field("ret") + 0 >= 0 || e == "")
				next
			k = field("kind")
			if (k == "")
				k = "none"
			if (!(k in K)) { if (nk < maxk) { K[k] = 1; nk++ } else K[k] = 0 }
			if (!K[k]) mk++
			g = p SUBSEP e SUBSEP k SUBSEP field("comm") SUBSEP field("uid") SUBSEP field("event")
			if (!(g in G)) { if (ng < maxg) { G[g] = 1; ng++ } else G[g] = 0 }
			if (!G[g]) mg++
		}
		END { print mp + 0, mg + 0, mk + 0 }' "$1"
}

# A hostile recording (genrec: 150,000 events, of which new cause kinds,
# paths colliding under FNV-1a, paths with \u0000, 1 MB paths, deep
# nesting) through the real binary, in every format: exit 0, the exact
# "N more not shown" counts of the limits, and memory far below what
# keeping everything would take (a bound to catch unbounded growth, not a
# speed or size benchmark).
case_report_hostile() {
	local dir=$1 rec=$dir/hostile.jsonl fmt mem exp mp mg mk out
	"$BUILD/tests/genrec" 150000 5 hostile >"$rec" || return 1
	exp=$(hostile_expect "$rec")
	read -r mp mg mk <<<"$exp"
	note "expected from the recording: paths $mp, groups $mg, by_cause $mk events not kept"
	((mg > 0 && mk > 0)) || fail "the recording does not go past the limits: $exp"
	for fmt in text markdown json html; do
		out=$ART/hostile.$fmt
		/usr/bin/time -f '%M' -o "$ART/time.$fmt" timeout -k 5 120 "$LT" report -q -f "$fmt" "$rec" \
			>"$out" 2>"$ART/hostile.$fmt.err"
		LT_RC=$?
		((LT_RC == 0)) || fail "report -f $fmt of the hostile recording: exit $LT_RC: $(head -c 300 "$ART/hostile.$fmt.err")"
		mem=$(tail -n 1 "$ART/time.$fmt")
		note "report -f $fmt: peak RSS ${mem} KiB"
		((mem < 1048576)) || fail "report -f $fmt took ${mem} KiB (bound 1 GiB)"
	done
	out=$ART/hostile.json
	[[ -s $out ]] || {
		fail "no JSON report"
		return 1
	}
	jq -e --argjson g "$mg" --argjson k "$mk" '.not_kept.groups == $g and .not_kept.by_cause == $k' \
		"$out" >/dev/null || fail "json not_kept: $(jq -c '.not_kept' "$out"), expected groups $mg, by_cause $mk"
	if ((mp > 0)); then
		jq -e --argjson p "$mp" '.not_kept.top_paths == $p' "$out" >/dev/null ||
			fail "json not_kept.top_paths: $(jq -c '.not_kept' "$out"), expected $mp"
	else
		jq -e '.not_kept.top_paths == null' "$out" >/dev/null || fail "json: paths not kept, none expected"
	fi
	jq -e '.groups | length == 100000' "$out" >/dev/null || fail "json: $(jq '.groups | length' "$out") groups, expected 100000"
	jq -e '.events == 150000 and .strings_cut > 0 and .sources[0].bad_lines == 0' "$out" >/dev/null ||
		fail "json totals: $(jq -c '{events, strings_cut, bad: .sources[0].bad_lines}' "$out")"
	jq -e '[.by_cause[]] | length == 256' "$out" >/dev/null || fail "json: by_cause has $(jq '.by_cause | length' "$out") kinds"
	grep -qF "  ($mg more failures not shown: the report keeps the first 100000 distinct groups)" "$ART/hostile.text" ||
		fail "text: no '$mg more failures not shown' line"
	grep -qF "  ($mk more failures not shown: the report keeps the first 256 distinct causes)" "$ART/hostile.text" ||
		fail "text: no '$mk more failures not shown' line for causes"
	grep -qF "($mg more failures not shown: the report keeps the first 100000 distinct groups)" "$ART/hostile.markdown" ||
		fail "markdown: no '$mg more failures not shown' line"
	grep -qF "<p class=\"warn more\">$mg more failures not shown: the report keeps the first 100000 distinct groups</p>" \
		"$ART/hostile.html" || fail "html: no '$mg more failures not shown' line"
	grep -q 'strings over the report.s length limits were cut' "$ART/hostile.text" || fail "text: cut strings not said"
	return 0
}
