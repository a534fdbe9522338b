#!/bin/sh
# make fuzz: builds each tests/fuzz/fuzz_*.c with libFuzzer, ASan and
# UBSan (clang) and runs it for FUZZ_SECONDS (default 60) seconds.
# Crashes are left as crash-* files in build/fuzz/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/fuzz
seconds=${FUZZ_SECONDS:-60}
flags="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1"
export PROMPTASM_TOKENIZERS="$root/tokenizers"
mkdir -p "$out"
cd "$root"
make --no-print-directory CC=clang BUILD=build/fuzz/lib PROGRAM=build/fuzz/lib/promptasm \
	CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" build/fuzz/lib/libpromptasm.a
deps=$(pkg-config --libs yaml-0.1 libutf8proc libpcre2-8)
status=0
for src in "$here"/fuzz_*.c; do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086
	clang $flags -Iinclude -o "$out/$name" "$src" build/fuzz/lib/libpromptasm.a $deps
	mkdir -p "$out/$name.corpus"
	echo "fuzzing $name for $seconds s"
	(cd "$out" && "./$name" -max_total_time="$seconds" -max_len=4096 \
		"$name.corpus") >"$out/$name.log" 2>&1 || status=1
	tail -n 1 "$out/$name.log"
done
exit $status
