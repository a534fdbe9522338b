#!/bin/sh
# A repository of 300,000 files in 30,000 directories (issue 58), built
# here (tests/bench/gen-tree.sh: hard links, seconds, no download): every
# command of every CLI runs to its verdict with no walk-limit failure, and
# the results are right: count . lists every file git would (the root
# .gitignore leaves out 30,000 object files), each counted, the total their
# sum; check finds the 100 directories with instruction files for each CLI
# and the 20 agents.  A lower --max-entries fails, naming the limit and how
# to raise it.  Timings are make bench's (tests/bench/bigtree.sh), never
# asserted here.
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $case: $*"
}
t="$tmp/tree"
# pt ARGS...: promptasm ARGS... in the tree, HOME empty.
pt() {
	(cd "$t" && env -i PATH=/usr/bin:/bin HOME="$tmp/home" LC_ALL=C \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" "$PROMPTASM" "$@") \
		>"$tmp/out" 2>"$tmp/err"
	st=$?
}
mkdir -p "$tmp/home"
case=generate
if sh "$here/bench/gen-tree.sh" "$t" 30000 10; then ok; else fail "gen-tree.sh failed"; fi

case=count-dir
pt count -f json .
if have jq; then
	if [ $st -eq 0 ] && jq -e '(.files | length) == 300321 and
		([.files[].tokens] | add) == .tokens and
		([.files[] | select(.path | endswith(".o"))] | length) == 0 and
		([.files[] | select(.path | endswith("/AGENTS.md"))] | length) == 100' \
		"$tmp/out" >/dev/null; then ok; else
		fail "status $st, $(jq -c '{n: (.files | length), tokens}' "$tmp/out" 2>/dev/null) $(head -c 300 "$tmp/err")"
	fi
	one=$(jq -r '.files[] | select(.path == "./d123/d45/f7.c") | .tokens' "$tmp/out")
	alone=$(cd "$t" && "$PROMPTASM" count d123/d45/f7.c | cut -d' ' -f1)
	if [ -n "$one" ] && [ "$one" = "$alone" ]; then ok; else fail "f7.c: $one in the tree, $alone alone"; fi
else
	skip "$case" jq
fi
pt count --top 3 --sort tokens .
if [ $st -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 4 ]; then ok; else fail "--top 3: status $st"; fi
pt count --max-entries 100000 .
if [ $st -eq 2 ] && grep -q 'limit of 100000 files and directories (PA_WALK_MAX_ENTRIES): raise it with --max-entries N' "$tmp/err"; then ok; else
	fail "--max-entries 100000: status $st, $(head -c 300 "$tmp/err")"
fi

case=check-every-cli
pt check -q
if [ $st -eq 0 ] && grep -q '20 agents' "$tmp/out"; then ok; else
	fail "check: status $st, $(tail -n 2 "$tmp/out") $(head -c 300 "$tmp/err")"
fi
for cli in codex copilot gemini opencode qwen pi; do
	pt check --harness "$cli" -q
	if [ $st -eq 0 ] && ! grep -q 'limit' "$tmp/err" &&
		grep -q "$cli: 101 start directories, 101 ok" "$tmp/out"; then ok; else
		fail "check --harness $cli: status $st, $(tail -n 3 "$tmp/out" | tr '\n' ' ') $(head -c 300 "$tmp/err")"
	fi
done
pt check --harness all -q -f json
if have jq; then
	if [ $st -eq 0 ] && jq -e '.' "$tmp/out" >/dev/null; then ok; else fail "--harness all: status $st"; fi
fi
for cmd in "context" "agents" "explain agent07 -q"; do
	pt $cmd
	if [ $st -eq 0 ] && ! grep -q 'limit' "$tmp/err"; then ok; else
		fail "$cmd: status $st, $(head -c 300 "$tmp/err")"
	fi
done

case=walk-limit-fails-closed
pt check --harness codex -q --max-entries 1000
if [ $st -ne 0 ] && grep -q 'max-entries N or max_entries: N in .promptasm.yaml' "$tmp/err" "$tmp/out"; then ok; else
	fail "status $st, $(head -c 400 "$tmp/err")"
fi
summary
