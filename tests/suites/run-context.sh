#!/bin/sh
# `promptasm context` against the main session's oracle, offline.
#
# tests/oracle/context/results/NAME.json is what the real Claude Code's
# first main-session request held for fixture
# tests/oracle/context/fixtures/NAME.txt (derived data only: counts and
# names; tests/oracle/context.mjs re-records it).  For each fixture, with
# o200k_base and claude, this checks that `promptasm context --format
# json`, in the same tree:
#   - counts the whole request within 3% of the real one;
#   - counts each part (system, tools, mcp, agents, skills, memory,
#     environment) within 5% (exactly 0 where the real one has none);
#   - for a fixture with `trust: yes` (hooks, MCP servers, a dirty git
#     tree), counts with --trust, and is not a lower bound;
#   - a fixture with `parts-only: PART...` checks only those parts, not
#     the total (what the rest of it shows is not modelled yet);
#   - counts each project agent's listing line as the real one;
#   - lists the same project agents and skills (names) and instruction
#     files (count).
# The tree is unpacked where the oracle unpacked it
# (/tmp/promptasm-oracle/ctx-NAME, under the oracle's lock), so that the
# absolute paths Claude Code names, and their tokens, are the same.  A
# fixture of the corpus is skipped (named) when its files are not there;
# so are all when git or flock is missing.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh" # shared_dir, shared_lock, owner; its skip is replaced below
: "${PROMPTASM:?}"
: "${PROMPTASM_TOKENIZERS:?}"
oracle=$here/oracle
base=/tmp/promptasm-oracle
passed=0
failed=0
skipped=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $name: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $name: $*"; }

header() { sed -n "/^===/q;s/^$1: //p" "$fixture"; }

# The issue's bound: the whole request within 3%, each part within 5%.
TOTAL_PCT=3
PART_PCT=5

# within WANT GOT PERCENT
within() {
	[ "$2" -ge $(($1 - $1 * $3 / 100)) ] && [ "$2" -le $(($1 + $1 * $3 / 100)) ]
}

for tool in git flock jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		name=all
		skip "$tool is not installed"
		echo "$passed passed, $failed failed, $skipped skipped"
		exit 0
	fi
done
if ! shared_dir "$base" || ! shared_lock /tmp/promptasm-oracle.lock; then
	name=all
	skip "cannot write $base or its lock (another user's: $(owner "$base"))"
	echo "$passed passed, $failed failed, $skipped skipped"
	exit 0
fi

# Arguments: fixture names (default: all).
[ $# -gt 0 ] || set -- $(cd "$oracle/context/results" && ls *.json | sed 's/\.json$//')
for name in "$@"; do
	result=$oracle/context/results/$name.json
	[ "$name" = models ] && continue
	fixture=$oracle/context/fixtures/$name.txt
	[ -f "$fixture" ] || { fail "no fixture for the result"; continue; }
	corpus=$(header corpus)
	if [ -n "$corpus" ]; then
		# The corpus: the copy under tests/ when there is one, else the
		# shared one beside the repository.
		src=""
		for d in "$here/corpus/agents" "$oracle/$corpus"; do
			[ -d "$d" ] && { src=$d; break; }
		done
		if [ -z "$src" ]; then
			skip "the corpus of agent files is not here ($oracle/$corpus)"
			continue
		fi
	fi
	dir=$base/ctx-$name
	exec 9>/tmp/promptasm-oracle.lock
	flock 9
	rm -rf "$dir"
	sh "$oracle/unpack.sh" "$fixture" "$dir"
	if [ -n "$corpus" ]; then
		mkdir -p "$dir/proj/.claude"
		cp -R "$src" "$dir/proj/.claude/agents"
	fi
	wt=$(header worktree)
	if [ "$(header git)" != no ]; then
		(cd "$dir/proj" && env GIT_AUTHOR_NAME=oracle GIT_AUTHOR_EMAIL=oracle@localhost \
			GIT_COMMITTER_NAME=oracle GIT_COMMITTER_EMAIL=oracle@localhost \
			GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
			HOME="$dir/home" GIT_CONFIG_NOSYSTEM=1 \
			sh -c 'git init -q -b main . && git add -A &&
				git commit -q --allow-empty -m fixture &&
				if [ -n "$1" ]; then git worktree add -q -b wt "$1"; fi' \
				sh "${wt:+$dir/$wt}") >/dev/null 2>&1
		after=$(header after-commit)
		[ -z "$after" ] || (cd "$dir/proj" && env HOME="$dir/home" sh -c "$after") >/dev/null 2>&1
	fi
	# `trust: yes`: counted with --trust (hooks, MCP servers, git status
	# run), the total within 3% and every part within 5%.
	trust=""
	[ "$(header trust)" = yes ] && trust=--trust
	# `managed: yes`: the fixture's managed/ was the managed policy
	# directory (/etc/claude-code): promptasm reads it there.
	managed=--no-managed
	[ "$(header managed)" = yes ] && managed="--managed-file $dir/managed/CLAUDE.md"
	cwd=$dir/$(header cwd | grep . || echo proj)
	# `model: NAME`: Claude Code was started with --model NAME; promptasm
	# is given -m NAME, which counts with the model's tokenizer (claude).
	model=$(header model)
	toks="o200k_base claude"
	[ -z "$model" ] || toks=claude
	first=${toks%% *}
	for tok in $toks; do
		targs="-t $tok"
		[ -z "$model" ] || targs="-m $model"
		# `env: K=V` lines: the environment Claude Code ran with ($W the
		# fixture's root).
		(cd "$cwd" && env -i PATH=/usr/bin:/bin HOME="$dir/home" LC_ALL=C.UTF-8 \
			PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
			$(header env | sed "s|\\\$W|$dir|g") \
			$PROMPTASM context $managed $targs --format json $trust) \
			>"$dir/got-$tok.json" 2>"$dir/err"
		if [ $? -ne 0 ]; then
			fail "$tok: context failed: $(head -c 300 "$dir/err")"
			continue
		fi
		# `expect-note: RE`: promptasm says so (a model of a layout it
		# does not model); its figures are then not compared.
		note=$(header expect-note)
		if [ -n "$note" ]; then
			if jq -r '.notes[]' "$dir/got-$tok.json" | grep -q -E "$note"; then ok; else
				fail "$tok: no note matching '$note'"
			fi
			continue
		fi
		# A model measured says so.
		if [ -n "$model" ]; then
			if jq -e '.model_measured == true' "$dir/got-$tok.json" >/dev/null; then ok; else
				fail "$tok: model $model is not measured: $(jq -c .notes "$dir/got-$tok.json")"
			fi
		fi
		# A managed fixture's policy file is named where it was unpacked;
		# Claude Code named it /etc/claude-code/CLAUDE.md: the difference
		# of the two paths' tokens is taken out of the memory and the
		# total.
		pathfix=0
		if [ "$(header managed)" = yes ]; then
			pathfix=$(( $(printf '%s' "$dir/managed/CLAUDE.md" |
				"$PROMPTASM" count $targs 2>/dev/null) - $(printf '%s' \
				/etc/claude-code/CLAUDE.md | "$PROMPTASM" count $targs 2>/dev/null) ))
		fi
		want=$(jq ".tokens.$tok.total" "$result")
		got=$(( $(jq .tokens "$dir/got-$tok.json") - pathfix ))
		echo "dev $name $tok total $got $want" >>"${CONTEXT_LOG:-/dev/null}"
		only=$(header parts-only)
		if [ -n "$only" ] || within "$want" "$got" $TOTAL_PCT; then ok; else
			fail "$tok: the request estimated $got tokens, real $want"
		fi
		# `lower-bound: PART...`: parts promptasm counts only in part
		# without --trust (MCP servers that are not run): at most the
		# real figure.
		lower=" $(header lower-bound) "
		parts="system tools mcp agents skills memory environment"
		[ -z "$only" ] || parts=$only
		for part in $parts; do
			want=$(jq ".tokens.$tok.parts.$part" "$result")
			got=$(jq "[.parts[] | select(.kind == \"$part\")][0].tokens // 0" "$dir/got-$tok.json")
			[ "$part" != memory ] || got=$((got - pathfix))
			echo "dev $name $tok $part $got $want" >>"${CONTEXT_LOG:-/dev/null}"
			case $lower in *" $part "*)
				if [ "$got" -le "$want" ]; then ok; else
					fail "$tok: $part estimated $got tokens, over the real $want"
				fi
				continue
			esac
			if within "$want" "$got" $PART_PCT; then ok; else
				fail "$tok: $part estimated $got tokens, real $want"
			fi
		done
		# Each project agent's listing line, exactly (the line is built,
		# not estimated).
		want=$(jq -c --arg t "$tok" '.tokens[$t].agents // [] | sort' "$result")
		got=$(jq -c '[.parts[] | select(.kind == "agents") | .items[] |
			select(.builtin | not) | [.name, .tokens]] | sort' "$dir/got-$tok.json")
		got=$(jq -n -c --argjson w "$want" --argjson g "$got" \
			'[$g[] | select(.[0] as $n | $w | any(.[0] == $n))]')
		want=$(jq -n -c --argjson w "$want" --argjson g "$got" \
			'[$w[] | select(.[0] as $n | $g | any(.[0] == $n))]')
		if [ "$want" = "$got" ]; then ok; else
			fail "$tok: agents' listing lines: want $want, got $got"
		fi
		if [ -n "$trust" ]; then
			if jq -e '.lower_bound == false' "$dir/got-$tok.json" >/dev/null; then ok; else
				fail "$tok: with --trust the count is still a lower bound"
			fi
		fi
	done
	[ -n "$(header expect-note)" ] && { rm -rf "$dir"; flock -u 9; continue; }
	# The project's own agents and skills, by name; the instruction
	# files, by number.
	for part in agents skills; do
		want=$(jq -r --arg p "$part" '.[$p][]' "$result" | sort)
		builtin=$(jq -r --arg p "$part" '.parts[] | select(.kind == $p) | .items[] |
			select(.builtin) | .name' "$dir/got-$first.json" | sort)
		want=$(printf '%s\n' "$want" | grep -v -x -F "$builtin" | grep .)
		got=$(jq -r --arg p "$part" '.parts[] | select(.kind == $p) | .items[] |
			select(.builtin | not) | .name' "$dir/got-$first.json" | sort)
		if [ "$want" = "$got" ]; then ok; else
			fail "$part: want $(echo $want | head -c 300), got $(echo $got | head -c 300)"
		fi
	done
	want=$(jq '.memory | length' "$result")
	got=$(jq '[.parts[] | select(.kind == "memory") | .items[]] | length' "$dir/got-$first.json")
	if [ "$want" = "$got" ]; then ok; else fail "memory: want $want files, got $got"; fi
	rm -rf "$dir"
	flock -u 9
done

# A model that was not measured keeps the default model's figures, and
# says so in a note and in JSON (model_measured false); one measured
# does not.
name=model-not-measured
work=$(mktemp -d)
mkdir -p "$work/home" "$work/proj"
for m in claude-3-opus-20240229 claude-sonnet-4-5; do
	(cd "$work/proj" && env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C.UTF-8 \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		$PROMPTASM context --no-managed -m "$m" --format json) >"$work/$m.json" 2>"$work/err"
done
if jq -e '.model_measured == false and ([.notes[] | select(test("not measured on claude-3-opus"))] | length == 1)' \
	"$work/claude-3-opus-20240229.json" >/dev/null; then ok; else
	fail "claude-3-opus-20240229: no note or model_measured not false: $(head -c 300 "$work/claude-3-opus-20240229.json")"
fi
if jq -e '.model_measured == true and ([.notes[] | select(test("not measured|not modelled"))] | length == 0)' \
	"$work/claude-sonnet-4-5.json" >/dev/null; then ok; else
	fail "claude-sonnet-4-5: measured, but said not to be: $(head -c 300 "$work/claude-sonnet-4-5.json")"
fi
rm -rf "$work"

# check with `main:` budgets: a project whose agents listing is over its
# budget fails in every format, naming the agent that grew most over the
# baseline (without one, the longest line).
name=check-main
work=$(mktemp -d)
mkdir -p "$work/home" "$work/proj/.claude/agents" "$work/proj/.git"
for a in alpha beta gamma; do
	printf -- '---\nname: %s\ndescription: The %s agent does %s things\ntools: Read\n---\nBody.\n' \
		"$a" "$a" "$a" >"$work/proj/.claude/agents/$a.md"
done
printf 'main:\n  agents: 300\n  total: 2000000\n' >"$work/proj/.promptasm.yaml"
pcheck() {
	(cd "$work/proj" && env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C.UTF-8 \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		$PROMPTASM check -q --no-managed "$@")
}
pcheck -f json >"$work/base.json"
if [ $? -eq 1 ] && grep -q "the longest line is" "$work/base.json"; then ok; else
	fail "without a baseline: no exit 1 or no longest line named"
fi
if jq -e '[.agents[] | select(.name == "alpha") | .listing] | .[0] > 0' "$work/base.json" >/dev/null; then
	ok
else
	fail "no listing cost of alpha in the JSON report"
fi
printf -- '---\nname: beta\ndescription: The beta agent does beta things and many more things than before, with a description that grew a lot\ntools: Read\n---\nBody.\n' \
	>"$work/proj/.claude/agents/beta.md"
for f in text json markdown github junit html; do
	pcheck --baseline "$work/base.json" -f "$f" >"$work/out.$f"
	code=$?
	if [ "$code" -eq 1 ] && grep -q "beta grew most" "$work/out.$f"; then ok; else
		fail "$f: exit $code, want 1 naming beta: $(head -c 300 "$work/out.$f")"
	fi
done
# Under its budget, the listing passes.
printf 'main:\n  agents: 100000\n' >"$work/proj/.promptasm.yaml"
if pcheck >/dev/null; then ok; else fail "a listing under its budget fails"; fi
# main: agent holds each line as every row is held, less the margin of
# the estimate: a line of exactly its budget is over (it passed, while a
# budget one token lower was some 180% used), in check and in context.
pcheck -f json >"$work/lines.json"
n=$(jq '[.agents[] | select(.name == "beta") | .listing] | .[0]' "$work/lines.json")
printf 'main:\n  agent: %s\n' "$n" >"$work/proj/.promptasm.yaml"
pcheck -f json >"$work/line.json"
code=$?
if [ "$code" -eq 1 ] && jq -e '[.agents[] | select(.name == "main session: beta'"'"'s listing line" and .status == "over")] | length == 1' \
	"$work/line.json" >/dev/null; then ok; else
	fail "main: agent: $n, beta's line of $n tokens: check exit $code, want 1 with its row: $(head -c 300 "$work/line.json")"
fi
(cd "$work/proj" && env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C.UTF-8 \
	PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	$PROMPTASM context -q --no-managed >/dev/null 2>"$work/err")
code=$?
if [ "$code" -eq 1 ] && grep -q "the listing line of beta is over its budget" "$work/err"; then ok; else
	fail "main: agent: $n: context exit $code, want 1 naming beta: $(head -c 300 "$work/err")"
fi
printf 'main:\n  agentz: 1\n' >"$work/proj/.promptasm.yaml"
pcheck >/dev/null 2>"$work/err"
if [ $? -eq 2 ] && grep -q "agentz" "$work/err"; then ok; else fail "an unknown main: budget is not refused"; fi
rm -rf "$work"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
