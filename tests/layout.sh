#!/usr/bin/env bash
# The code's shape, checked: user/ has no include cycle (between files)
# and no call cycle (between object files); each folder uses only the
# folders below it; no source file is over 600 lines unless it is a table
# of data.
#
#   tests/layout.sh [--graph] BUILD_DIR
#
# Include edges: a file's #include "..." of another user/ file. Call
# edges: an object's undefined symbol defined by another object (nm on
# BUILD_DIR/user/), named by module ("trace/loader" is trace/loader.o).
# --graph prints the call graph ("a -> b", one per line) and the folder
# graph. The last line is "layout: N passed, N failed".
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
graph=0
if [[ ${1:-} == --graph ]]; then
	graph=1
	shift
fi
[[ $# -eq 1 ]] || {
	echo "usage: $0 [--graph] BUILD_DIR" >&2
	exit 2
}
build=$1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
	echo "layout: not ok: $*"
	failed=$((failed + 1))
}

# What each folder may use besides itself (main.c, on top, uses all).
declare -A ALLOWED=(
	[common]=""
	[cause]="common"
	[report]="common cause/names"
	[trace]="common cause"
)
# Tables of data, not code: exempt from the size rule.
TABLES=(tests/unit/cause_cases.c)
MAX_LINES=600

cd "$ROOT" || exit 1
edges=$(mktemp /tmp/locktrace-layout.XXXXXX) || exit 1
trap 'rm -f -- "$edges"' EXIT

incs=$(mktemp /tmp/locktrace-layout.XXXXXX) || exit 1
trap 'rm -f -- "$edges" "$incs"' EXIT

# Include edges, file to file.
while IFS= read -r f; do
	dir=$(dirname "$f")
	while IFS= read -r inc; do
		if [[ $inc == */* && -e user/$inc ]]; then
			to=user/$inc
		elif [[ -e $dir/$inc ]]; then
			to=$dir/$inc
		else
			continue # bpf/ ABI headers, the skeleton, system headers
		fi
		echo "${f#user/} ${to#user/}"
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done < <(find user -name '*.[ch]' -o -name '*.cc' | sort) >"$incs"

# Call edges, object to object.
objs=$(find "$build/user" -name '*.o' 2>/dev/null | sort)
if [[ -z $objs ]]; then
	bad "no objects under $build/user (make first)"
else
	defs=$(mktemp /tmp/locktrace-layout.XXXXXX) || exit 1
	for o in $objs; do
		m=${o#"$build"/user/}
		m=${m%.o}
		nm -P --defined-only "$o" | awk -v m="$m" '$2 ~ /^[TDBR]$/ {print $1, m}'
	done | sort -u >"$defs"
	for o in $objs; do
		m=${o#"$build"/user/}
		m=${m%.o}
		nm -P --undefined-only "$o" | awk '{print $1}' | sort -u |
			join - "$defs" | awk -v m="$m" '$2 != m {print m, $2}'
	done >"$edges"
	rm -f -- "$defs"
fi
sort -u -o "$edges" "$edges"

# cycles FILE: each cycle of the graph in FILE ("from to" lines), found
# by a depth-first search.
cycles() {
	awk '
	{ adj[$1] = adj[$1] " " $2; nodes[$1]; nodes[$2] }
	function dfs(n,   i, k, next_) {
		state[n] = 1; stack[++depth] = n
		k = split(adj[n], next_, " ")
		for (i = 1; i <= k; i++) {
			if (state[next_[i]] == 1) {
				line = next_[i]
				for (j = depth; j >= 1 && stack[j] != next_[i]; j--)
					line = stack[j] " -> " line
				print next_[i] " -> " line
			} else if (!state[next_[i]])
				dfs(next_[i])
		}
		depth--; state[n] = 2
	}
	END { for (n in nodes) if (!state[n]) dfs(n) }' "$1"
}
for g in include:"$incs" call:"$edges"; do
	found=$(cycles "${g#*:}")
	if [[ -n $found ]]; then
		while IFS= read -r c; do bad "${g%%:*} cycle: $c"; done <<<"$found"
	else
		ok
	fi
done

# Layers.
layer_bad=0
while read -r from to; do
	ff=${from%%/*} tf=${to%%/*}
	[[ $from == main* || $ff == "$tf" ]] && continue
	allowed=0
	for a in ${ALLOWED[$ff]-}; do
		[[ $tf == "$a" || ${to%.*} == "$a" ]] && allowed=1
	done
	if ((!allowed)); then
		bad "layer: $from uses $to ($ff/ may use: ${ALLOWED[$ff]:-nothing})"
		layer_bad=1
	fi
done < <(cat "$edges" "$incs")
((layer_bad)) || ok

# Sizes.
size_bad=0
while IFS= read -r f; do
	n=$(wc -l <"$f")
	((n <= MAX_LINES)) && continue
	for t in "${TABLES[@]}"; do [[ $f == "$t" ]] && continue 2; done
	bad "size: $f has $n lines (at most $MAX_LINES unless it is a table)"
	size_bad=1
done < <(find user bpf tests/unit tests/fuzz tests/integ tests/vm tests/bench \
	\( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.bpf.h' \) | sort)
((size_bad)) || ok

if ((graph)); then
	echo "calls:"
	sed 's/ / -> /' "$edges"
	echo "folders:"
	awk '{ a = $1; b = $2; sub(/\/.*/, "", a); sub(/\/.*/, "", b); if (a != b) print a " -> " b }' \
		"$edges" | sort -u
fi
echo "layout: $passed passed, $failed failed"
((failed == 0 && passed > 0))
