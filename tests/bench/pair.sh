#!/bin/sh
# pair.sh - two builds of the library timed in one process, encodes in
# turns (tests/bench/pair.c says how and why): for judging a change to the
# tokenizer on a loaded machine, where whole counts timed in turns (make
# bench BASELINE=...) move more than most changes do.
#
# Usage: sh tests/bench/pair.sh A.a B.a TOKENIZER ROUNDS REPS FILE...
#   A.a, B.a   two builds' build/libpromptasm.a (copy the first aside
#              before building the second)
# Runs on processor 1 where taskset(1) is, with this checkout's tables.
# Example, a change against main's build:
#   cp build/libpromptasm.a /tmp/before.a; (edit, make)
#   sh tests/bench/pair.sh /tmp/before.a build/libpromptasm.a o200k_base 31 3 \
#       tests/bench/texts/thai.txt tests/bench/texts/greek.txt
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 6 ] || { echo "usage: pair.sh A.a B.a TOKENIZER ROUNDS REPS FILE..." >&2; exit 2; }
a=$1 b=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every symbol the second archive defines, renamed B_...; its references
# to the first's are its own (the archive is whole), to the C library's
# are left alone.
nm -g --defined-only "$b" 2>/dev/null | awk 'NF == 3 { print $3, "B_" $3 }' | sort -u >"$tmp/map"
objcopy --redefine-syms="$tmp/map" "$b" "$tmp/b.a"
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -O2 -I"$root/include" -o "$tmp/pair" "$here/pair.c" "$a" "$tmp/b.a" \
	$(pkg-config --libs yaml-0.1 libutf8proc libpcre2-8) -lpthread
pin=
if command -v taskset >/dev/null 2>&1 && taskset -c 1 true 2>/dev/null; then
	pin="taskset -c 1"
fi
PROMPTASM_TOKENIZERS=${PROMPTASM_TOKENIZERS:-$root/tokenizers} $pin "$tmp/pair" "$@"
