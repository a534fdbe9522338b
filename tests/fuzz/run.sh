#!/bin/sh
# make fuzz: builds each tests/fuzz/fuzz_*.c with libFuzzer, ASan and
# UBSan (clang) and runs the targets one after another, each for
# FUZZ_SECONDS (default 60) seconds of CPU time: one core at a time, or
# FUZZ_JOBS targets at once (one core each).
#
#   sh tests/fuzz/run.sh [fuzz_glob ...]   only the targets named
#
# tests/fuzz/dict/<name without fuzz_>.dict, when there is one, is its
# libFuzzer dictionary.  Each target reads two corpus directories: build/fuzz/<name>.corpus,
# where libFuzzer writes what it finds (first, so it is the one written
# to), and the committed seeds in tests/fuzz/corpus/<name without
# fuzz_>/, read only.  Crashes, hangs (-timeout) and leaks are left as
# <name>-crash-*, -timeout-* and -leak-* files in build/fuzz/ (and fail
# every later run until they are fixed and removed), the whole output in
# build/fuzz/<name>.log; the last lines printed are libFuzzer's final
# figures (cov: ft: corp: exec/s:) and the CPU time the target has had.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/fuzz
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
# The library is built with -fno-sanitize-recover too: without it UBSan
# reports undefined behaviour in the library and carries on, and the
# fuzzer never sees a crash.
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
flags="-fsanitize=fuzzer $san -g -O1 -Wall -Wextra"
export PROMPTASM_TOKENIZERS="$root/tokenizers"
# The targets' scratch files (fuzz.h), removed whatever happens to them.
FUZZ_TMPDIR=$(mktemp -d /tmp/promptasm-fuzz.XXXXXX)
export FUZZ_TMPDIR
trap 'rm -rf "$FUZZ_TMPDIR"' EXIT
mkdir -p "$out"
cd "$root"
# make does not see flags change: a library built with others is rebuilt.
libflags="-g -O1 -fsanitize=fuzzer-no-link $san"
if [ "$(cat "$out/lib/flags" 2>/dev/null)" != "$libflags" ]; then
	rm -rf "$out/lib"
	mkdir -p "$out/lib"
	echo "$libflags" >"$out/lib/flags"
fi
make --no-print-directory CC=clang BUILD=build/fuzz/lib PROGRAM=build/fuzz/lib/promptasm \
	CFLAGS="$libflags" build/fuzz/lib/libpromptasm.a
# The tokenizer targets map the tables make builds.
make --no-print-directory tables
deps=$(pkg-config --libs yaml-0.1 libutf8proc libpcre2-8)
if [ $# -gt 0 ]; then
	targets=$(for t in "$@"; do echo "$here/$t.c"; done)
else
	targets=$(ls "$here"/fuzz_*.c)
fi
for src in $targets; do
	name=$(basename "$src" .c)
	# Targets may read internal headers (src/*/) to reach a parser the
	# public header does not show.
	# shellcheck disable=SC2086
	clang $flags -Iinclude -Isrc -Isrc/base -Isrc/util -Isrc/tokenizer -Isrc/discover -Isrc/compose -Isrc/budget $(pkg-config --cflags yaml-0.1 libutf8proc libpcre2-8) \
		-o "$out/$name" "$src" build/fuzz/lib/libpromptasm.a $deps
done

# CPU seconds in the second line of `times` ("0m5.85s 0m0.41s"), to the
# hundredth.
cpu_seconds() {
	sed -n 2p | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } printf "%.2f", s }'
}

# less A B: whether number A is below number B.
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# run_target fuzz_x: fuzzes one target until its corpus has had
# FUZZ_SECONDS of CPU time, kept in $out/fuzz_x.cpu across runs (a busy
# machine gives a target less CPU than the wall-clock time libFuzzer
# counts, so it runs again for what is missing; `make fuzz` again resumes
# a campaign, and removing build/fuzz starts a new one).  A campaign that
# has had its time runs its corpus once more, through the code as it is
# now.  Its summary goes to $out/fuzz_x.sum; a failure, or a crash, hang or
# leak it left before ($out/fuzz_x-crash-*, ...), leaves $out/fuzz_x.failed.
run_target() {
	name=$1
	seeds=$here/corpus/${name#fuzz_}
	mkdir -p "$out/$name.corpus"
	rm -f "$out/$name.failed"
	dirs="$name.corpus"
	[ -d "$seeds" ] && dirs="$dirs $seeds"
	# A target's dictionary: the keywords of its syntax, which random
	# bytes seldom spell.
	dict=$here/dict/${name#fuzz_}.dict
	[ -f "$dict" ] && dirs="-dict=$dict $dirs"
	cpu=$(cat "$out/$name.cpu" 2>/dev/null || echo 0)
	runs=0
	# The log is the campaign's: a run that resumes it adds to it.
	echo "==== make fuzz, $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $cpu s of CPU so far" >>"$out/$name.log"
	while [ $runs -eq 0 ] || less "$cpu" "$seconds"; do
		if less "$cpu" "$seconds"; then
			limit="-max_total_time=$(awk -v s="$seconds" -v c="$cpu" 'BEGIN { printf "%d", s - c + 1 }')"
		else
			limit=-runs=0 # the corpus once
		fi
		# The subshell's only child is the fuzzer, so the second line
		# of `times` is the CPU time it used.
		# shellcheck disable=SC2086
		used=$( (cd "$out" && "./$name" $limit -artifact_prefix="$name-" \
			-max_len=4096 -timeout=20 -print_final_stats=1 $dirs \
			>>"$out/$name.log" 2>&1 || touch "$out/$name.failed"; times) | cpu_seconds)
		cpu=$(awk -v c="$cpu" -v u="$used" 'BEGIN { printf "%.2f", c + u }')
		echo "$cpu" >"$out/$name.cpu"
		runs=$((runs + 1))
		# A target that failed, or cannot run at all.
		[ ! -e "$out/$name.failed" ] && less 0.1 "$used" || break
	done
	for left in "$out/$name"-crash-* "$out/$name"-timeout-* "$out/$name"-leak-* \
		"$out/$name"-oom-*; do
		[ -e "$left" ] && touch "$out/$name.failed"
	done
	{
		echo "$name: $cpu s of CPU in all, in $runs run(s) of libFuzzer now"
		grep -E '^#[0-9]+[[:space:]]+DONE|^Done |^SUMMARY|oracle failed' "$out/$name.log" |
			tail -n 2 | grep . || tail -n 5 "$out/$name.log"
		[ ! -e "$out/$name.failed" ] ||
			echo "FAILED: see $out/$name.log and $out/$name-*"
	} >"$out/$name.sum"
}

# FUZZ_JOBS lanes, each running its share of the targets one after another.
echo "fuzzing $(echo $targets | wc -w) targets, $seconds s each, $jobs at a time"
lane=0
while [ $lane -lt "$jobs" ]; do
	(
		i=0
		for src in $targets; do
			[ $((i % jobs)) -eq $lane ] && run_target "$(basename "$src" .c)"
			i=$((i + 1))
		done
	) &
	lane=$((lane + 1))
done
wait
status=0
for src in $targets; do
	name=$(basename "$src" .c)
	cat "$out/$name.sum"
	[ ! -e "$out/$name.failed" ] || status=1
done
exit $status
