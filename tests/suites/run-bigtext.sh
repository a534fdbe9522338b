#!/bin/sh
# Texts of any size and shape count exactly (issue 58): generated texts
# (tests/tokenizer/big/gen.sh, no download) counted and tokenized as
# files and on standard input, their ids compared with what tiktoken and
# the Claude tokenizer gave for each text whole (big-refs.tsv, made by
# gen-big-refs.mjs; npm is not needed here).  The texts: a 24 MB C header
# whose every line is a #define (no line feed before a letter anywhere,
# as the Linux kernel's amd register headers), 100 MB of such lines, and
# one 50 MB line with no place to cut at all (read on to its end).
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
big="$here/tokenizer/big"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sha() {
	if have sha256sum; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

check() { # what expected got
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $1: expected $2, got $3"
	fi
}

grep -v '^#' "$big/big-refs.tsv" | while IFS='	' read -r kind bytes repeat tok ids hash; do
	f="$tmp/$kind-$bytes-$repeat"
	if [ ! -f "$f" ]; then
		sh "$big/gen.sh" "$kind" "$bytes" >"$tmp/one"
		: >"$f"
		i=0
		while [ "$i" -lt "$repeat" ]; do cat "$tmp/one" >>"$f"; i=$((i + 1)); done
		rm -f "$tmp/one"
	fi
	name="$kind $bytes x$repeat $tok"
	got=$("$PROMPTASM" count -q -t "$tok" "$f" 2>"$tmp/err") || cat "$tmp/err"
	check "$name: count FILE" "$ids $f" "$got"
	got=$("$PROMPTASM" count -q -j 1 -t "$tok" <"$f" 2>"$tmp/err") || cat "$tmp/err"
	check "$name: count on standard input, one thread" "$ids" "$got"
	if [ "$bytes" -le 50000000 ] && [ "$repeat" -eq 1 ]; then
		got=$("$PROMPTASM" tokenize -q -t "$tok" <"$f" 2>"$tmp/err" | sha) || cat "$tmp/err"
		check "$name: tokenize's ids" "$hash" "$got"
	fi
	# The counts of a directory read the file as count FILE does.
	if [ "$repeat" -eq 1 ] && [ "$tok" = o200k_base ]; then
		mkdir -p "$tmp/dir-$kind"
		ln -f "$f" "$tmp/dir-$kind/text" 2>/dev/null || cp "$f" "$tmp/dir-$kind/text"
		got=$("$PROMPTASM" count -q -t "$tok" "$tmp/dir-$kind" 2>"$tmp/err" | sed -n 2p | awk '{print $1}') || cat "$tmp/err"
		check "$name: count DIR" "$ids" "$got"
	fi
	echo "$passed $failed" >"$tmp/tally"
done
if [ -f "$tmp/tally" ]; then
	read -r passed failed <"$tmp/tally"
fi
check "the texts were counted" yes "$([ -f "$tmp/tally" ] && echo yes || echo no)"
summary
