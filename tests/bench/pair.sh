#!/bin/sh
# pair.sh - two builds of the library timed in one process, encodes in
# turns (tests/bench/pair.c says how and why): for judging a change to the
# tokenizer on a loaded machine, where whole counts timed in turns (make
# bench BASELINE=...) move more than most changes do.
#
# Usage: sh tests/bench/pair.sh A.a B.a TOKENIZER ROUNDS REPS FILE...
#   A.a, B.a   two builds' build/libpromptasm.a (copy the first aside
#              before building the second)
# Runs on processor 1 where taskset(1) is, with this checkout's tables
# (PROMPTASM_TOKENIZERS); PAIR_B_TOKENIZERS names B's own directory of
# tables, for a change of the tables' format (copy both directories and
# drop the page cache first: how the cache holds a table moves an encode
# by 3% to 6%).
# The build linked second is slower by 1% to 15% for no reason of its
# own (pair.c), so the two are timed twice, B second and then A second,
# and a text's line gives B/A as the geometric mean of the two medians,
# each run's median after it, and the rounds B was faster in both runs.
# Each build's profile-guided layer is trained on its own code, and the
# training alone can move an unrelated loop by 3% (tests/bench/NOTES.md,
# 2026-11-28 20:38): a figure of a few percent is worth taking again with
# both builds made with PGO=0.
# Example, a change against main's build:
#   cp build/libpromptasm.a /tmp/before.a; (edit, make)
#   sh tests/bench/pair.sh /tmp/before.a build/libpromptasm.a o200k_base 15 3 \
#       tests/bench/texts/thai.txt tests/bench/texts/greek.txt
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 6 ] || { echo "usage: pair.sh A.a B.a TOKENIZER ROUNDS REPS FILE..." >&2; exit 2; }
a=$1 b=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# pair_of FIRST.a SECOND.a PROGRAM: the two linked into one program, every
# symbol SECOND.a defines renamed B_...; its references to the first's
# are its own (the archive is whole), to the C library's are left alone.
pair_of() {
	nm -g --defined-only "$2" 2>/dev/null | awk 'NF == 3 { print $3, "B_" $3 }' | sort -u >"$tmp/map"
	objcopy --redefine-syms="$tmp/map" "$2" "$tmp/second.a"
	# shellcheck disable=SC2046
	${CC:-cc} -std=c11 -O2 -I"$root/include" -o "$3" "$here/pair.c" "$1" "$tmp/second.a" \
		$(pkg-config --libs yaml-0.1 libutf8proc libpcre2-8) -lpthread
}
pair_of "$a" "$b" "$tmp/ab"
pair_of "$b" "$a" "$tmp/ba"
pin=
if command -v taskset >/dev/null 2>&1 && taskset -c 1 true 2>/dev/null; then
	pin="taskset -c 1"
fi
tables_a=${PROMPTASM_TOKENIZERS:-$root/tokenizers}
tables_b=${PAIR_B_TOKENIZERS:-$tables_a}
PROMPTASM_TOKENIZERS=$tables_a PAIR_SECOND_TOKENIZERS=$tables_b $pin "$tmp/ab" "$@" >"$tmp/ab.out"
PROMPTASM_TOKENIZERS=$tables_b PAIR_SECOND_TOKENIZERS=$tables_a $pin "$tmp/ba" "$@" >"$tmp/ba.out"
# pair.c's line: "FILE, TOKENIZER: B/A R (quartiles ...), B faster in W of
# N rounds; A X us, B Y us (medians)"; in the second run its B is our A.
paste -d '\n' "$tmp/ab.out" "$tmp/ba.out" | awk '
	function field(line, after,   rest) {
		rest = substr(line, index(line, after) + length(after))
		return rest + 0
	}
	NR % 2 == 1 { first = $0; next }
	{
		name = substr(first, 1, index(first, ": B/A") - 1)
		r1 = field(first, "B/A "); r2 = field($0, "B/A ")
		n = field(first, " of ")
		w = field(first, "faster in ") + n - field($0, "faster in ")
		printf "%s: B/A %.3f (B second %.3f, A second %.3f), B faster in %d of %d rounds; A %d us, B %d us (medians)\n",
		       name, sqrt(r1 / r2), r1, 1 / r2, w, 2 * n,
		       (field(first, "; A ") + field($0, " us, B ")) / 2,
		       (field(first, " us, B ") + field($0, "; A ")) / 2
	}'
