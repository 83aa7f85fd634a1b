#!/usr/bin/env bash
# The published schema of locktrace's JSON Lines (schema/), checked:
#
#   tests/schema.sh BUILD_DIR
#
# the schema is itself valid JSON Schema 2020-12; the event line of every
# cause case (tests/golden/explain.golden, the same lines the golden test
# compares) is valid under it; and lines that are not locktrace's are not:
# each broken in one way, each refused. The integration suite checks every
# JSON Lines output of its cases against it too (tests/integ/lib.sh).
# Prints "schema: N passed, N failed".
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SCHEMA=$ROOT/schema/locktrace-events-1.schema.json
CHECK=$HERE/schema-check.py
passed=0
failed=0
tmp=$(mktemp -d /tmp/locktrace-schema.XXXXXX) || exit 1
trap 'rm -rf -- "$tmp"' EXIT

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok() {
	echo "not ok - $1"
	failed=$((failed + 1))
}

if out=$(/usr/bin/python3 "$CHECK" "$SCHEMA" "$ROOT/tests/golden/explain.golden" 2>&1); then
	ok "every cause case's event line is valid ($(tail -n 1 <<<"$out"))"
else
	not_ok "cause cases' event lines"
	sed 's/^/# /' <<<"$out"
fi

# One valid line of each kind, from the golden file and the seeds' shapes,
# then each broken one way: all must be refused.
event=$(grep -m 1 '"kind":"dac"' "$ROOT/tests/golden/explain.golden")
header='{"type":"header","format":1,"host":"web-1","kernel":"6.1.0","locktrace":"0.1.0","tier":"lsm","start":"2026-11-24T10:00:00.000000Z","filters":{"all":false,"patterns":[],"pids":[],"uids":[],"comms":[],"min_wait_ms":10}}'
trailer='{"type":"trailer","end":"2026-11-24T10:00:01.000000Z","seen":1,"written":1,"dropped_kernel":0,"dropped_write":0}'
printf '%s\n' "$header" "$event" "$trailer" >"$tmp/good.jsonl"
if out=$(/usr/bin/python3 "$CHECK" "$SCHEMA" "$tmp/good.jsonl" 2>&1); then
	ok "a header, an event and a trailer are valid ($(tail -n 1 <<<"$out"))"
else
	not_ok "a header, an event and a trailer"
	sed 's/^/# /' <<<"$out"
fi
bad=(
	"an event without its path|$(jq -c 'del(.path)' <<<"$event")"
	"an event with a key the schema does not name|$(jq -c '. + {"surprise":1}' <<<"$event")"
	"an event whose pid is a string|$(jq -c '.pid = "1"' <<<"$event")"
	"an event of an unknown kind|$(jq -c '.event = "unlink"' <<<"$event")"
	"an event whose time is not RFC 3339 UTC with microseconds|$(jq -c '.time = "2026-11-24 10:00:00"' <<<"$event")"
	"a cause without its kind|$(jq -c 'del(.cause.kind)' <<<"$event")"
	"a cause of unknown evidence|$(jq -c '.cause.evidence = "hearsay"' <<<"$event")"
	"a header of format 2|$(jq -c '.format = 2' <<<"$header")"
	"a trailer without its seen count|$(jq -c 'del(.seen)' <<<"$trailer")"
	"a trailer with a negative counter|$(jq -c '.dropped_kernel = -1' <<<"$trailer")"
)
for b in "${bad[@]}"; do
	what=${b%%|*}
	printf '%s\n' "${b#*|}" >"$tmp/bad.jsonl"
	if /usr/bin/python3 "$CHECK" "$SCHEMA" "$tmp/bad.jsonl" >"$tmp/out" 2>&1; then
		not_ok "refused: $what"
		sed 's/^/# /' "$tmp/out"
	else
		ok "refused: $what ($(head -n 1 "$tmp/out" | sed 's/^schema: [^:]*:[0-9]*: //' | cut -c1-100))"
	fi
done

echo "schema: $passed passed, $failed failed"
((failed == 0))
