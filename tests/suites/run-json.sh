#!/bin/sh
# Every JSON output against its schema: tests/schemas/output.json holds one
# definition per command's --format json, closed (a key docs/json.md does
# not list fails), checked with tests/schemas/validate.jq on real runs over
# the example project and the golden trees (budgets, caps, agent files that
# do not load, a baseline with growth, the whole context); and every key
# of the schemas is a word of docs/json.md, so schema and page agree.
# Run on its own: sh tests/suites/run-json.sh (after make).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2
schema=$root/tests/schemas/output.json

if ! have jq; then
	skip "JSON outputs against their schemas" jq "apt install jq"
	summary
	exit 0
fi
tmp=$(mktemp -d /tmp/promptasm-json.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home"
mkdir -p "$HOME"

# valid DEF WHAT: $tmp/out.json, one JSON document, against $defs/DEF.
valid() {
	if ! jq -e . "$tmp/out.json" >/dev/null 2>&1; then
		failed=$((failed + 1))
		echo "FAIL $2: not JSON"
		head -c 400 "$tmp/out.json" | sed 's/^/  /'
		return
	fi
	jq --arg d "$1" '. + {"$ref": ("#/$defs/" + $d)}' "$schema" > "$tmp/s.json"
	res=$(jq -r --slurpfile schema "$tmp/s.json" -f "$here/schemas/validate.jq" "$tmp/out.json")
	if [ "$res" = valid ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $2:"
		echo "$res" | head -n 10 | sed 's/^/  /'
	fi
}

# json DEF WHAT COMMAND...: runs the command (stdin: $tmp/in), validates
# what it prints.
json() {
	def=$1 what=$2
	shift 2
	"$@" < "$tmp/in" > "$tmp/out.json" 2>/dev/null
	valid "$def" "$what"
}

# tree NAME DIR: a fresh copy of DIR (a repository root) at $tmp/NAME.
tree() {
	rm -rf "$tmp/$1"
	cp -R "$2" "$tmp/$1"
	mkdir -p "$tmp/$1/.git"
	echo "$tmp/$1"
}

P=$PROMPTASM
: > "$tmp/in"
ex=$(tree webshop examples/webshop)
json count "count" "$P" count --format json examples/webshop/CLAUDE.md examples/webshop/docs/testing.md
json count "count (claude)" "$P" count -m claude-sonnet-4-5 --format json examples/webshop/CLAUDE.md
json tokenize "tokenize (empty)" "$P" tokenize --format json
printf 'hello world\n' > "$tmp/in"
json tokenize "tokenize --pieces" "$P" tokenize --pieces --format json
: > "$tmp/in"
json tokenizers "tokenizers" "$P" tokenizers --format json
json agents "agents" "$P" agents -C "$ex" --format json -q
json agents "agents (none)" "$P" agents -C "$(tree none tests/golden/check/no-agents/tree)" --format json -q
json context "context" "$P" context -C "$ex" --format json -q --no-managed
for a in reviewer test-writer release-notes; do
	json build "build $a" "$P" build -C "$ex" "$a" -f json --no-managed
	json build "build $a -b 200" "$P" build -C "$ex" "$a" -t o200k_base -b 200 -f json --no-managed
	json explain "explain $a" "$P" explain -C "$ex" "$a" -f json --no-managed
	json explain "explain $a -b 300" "$P" explain -C "$ex" "$a" -b 300 -f json --no-managed
done
json check "check" "$P" check -C "$ex" -f json --no-managed
json check "check --budget-context" "$P" check -C "$ex" -b 8000 --budget-context -f json --no-managed
for c in config-budgets invalid-agents context; do
	d=$(tree "$c" "tests/golden/check/$c/tree")
	json check "check $c" "$P" check -C "$d" -b 2000 -f json -q --no-managed
	json check "check $c --skip-invalid" "$P" check -C "$d" -b 2000 -f json -q --no-managed --skip-invalid
done
# A baseline, and growth attributed to sections.
d=$(tree growth tests/golden/check/growth/tree)
json check "check (the baseline)" "$P" check -C "$d" --no-managed -t o200k_base -f json -q
cp "$tmp/out.json" "$tmp/base.json"
printf 'One more line.\n' >> "$d/.claude/agents/writer.md"
json check "check --baseline --max-growth 1" "$P" check -C "$d" --no-managed -t o200k_base \
	--baseline "$tmp/base.json" --max-growth 1 -f json -q
json check "check --baseline --max-growth 5%" "$P" check -C "$d" --no-managed -t o200k_base \
	--baseline "$tmp/base.json" --max-growth 5% -f json -q

# Another agent CLI's view (--harness): a project with each one's files.
h=$tmp/harness
mkdir -p "$h/.git" "$h/sub" "$h/.github/instructions"
printf '# Agents\nUse tabs.\n' > "$h/AGENTS.md"
printf 'More.\n' > "$h/sub/AGENTS.md"
printf 'Be brief.\n' > "$h/.github/copilot-instructions.md"
printf -- '---\napplyTo: "**/*.c"\n---\nC rules.\n' > "$h/.github/instructions/c.instructions.md"
printf 'Gemini.\n@AGENTS.md\n' > "$h/GEMINI.md"
for x in codex copilot gemini opencode qwen pi; do
	json harness_build "build --harness $x" "$P" build --harness "$x" -f json -C "$h"
	json context "context --harness $x" "$P" context --harness "$x" -f json -C "$h"
	json check "check --harness $x" "$P" check --harness "$x" -f json -C "$h"
done

# Every key of the schemas is named (`key`) in docs/json.md.
missing=$(jq -r '[.. | objects | select(has("properties")) | .properties | keys[]] | unique[]' "$schema" |
	while read -r k; do
		grep -qw -- "$k" docs/json.md || echo "$k"
	done)
if [ -z "$missing" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL keys of tests/schemas/output.json that docs/json.md does not name:"
	echo "$missing" | sed 's/^/  /'
fi
summary
