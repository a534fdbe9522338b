#!/bin/sh
# make bench: speed of the program on this machine, never pass/fail.
#
#  1. start-up: a whole `promptasm count` of a 1 KB file, averaged
#  2. throughput: MB/s per tokenizer on a mixed English/Markdown/code
#     corpus (the repository's own docs and sources, repeated to ~8 MB)
#  3. long pieces: 1 MB of one letter and 1 MB of random letters with no
#     space, as a multiple of the per-byte time of the corpus
#  4. when node and npm are present: the npm packages tiktoken and
#     gpt-tokenizer on the same corpus in the same run, and the ratios
set -u
prog=${1:?usage: run.sh PROGRAM}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PROMPTASM_TOKENIZERS="$root/tokenizers"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ns() { date +%s%N; }

# Best wall time of N runs of a command, in nanoseconds.
best_ns() {
	runs=$1
	shift
	best=
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now_ns)
		"$@" >/dev/null 2>&1
		t1=$(now_ns)
		d=$((t1 - t0))
		if [ -z "$best" ] || [ $d -lt "$best" ]; then best=$d; fi
		i=$((i + 1))
	done
	echo "$best"
}

mbps() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.1f", b / 1e6 / (ns / 1e9) }'; }

echo "machine: $(uname -sm), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "program: $prog ($("$prog" --version))"

# The corpus: English prose (README, man page), Markdown, C source.
corpus=$tmp/corpus.txt
: >"$corpus"
while [ "$(wc -c <"$corpus")" -lt 8000000 ]; do
	cat "$root"/README.md "$root"/man/promptasm.1 "$root"/src/*.c "$root"/src/*.h \
		"$root"/tests/tokenizer/README.md >>"$corpus" 2>/dev/null
	find "$root/examples" -name '*.md' -exec cat {} + >>"$corpus" 2>/dev/null
done
bytes=$(wc -c <"$corpus")
echo "corpus: $bytes bytes"

head -c 1024 "$corpus" >"$tmp/1k.txt"
n=200
t0=$(now_ns)
i=0
while [ $i -lt $n ]; do "$prog" count "$tmp/1k.txt" >/dev/null; i=$((i + 1)); done
t1=$(now_ns)
echo "start-up: count of a 1 KB file, o200k_base: $(awk -v ns=$((t1 - t0)) -v n=$n 'BEGIN { printf "%.2f", ns / n / 1e6 }') ms per run (mean of $n)"

for tok in cl100k_base o200k_base claude; do
	ns=$(best_ns 5 "$prog" count -q -t "$tok" "$corpus")
	eval "ours_$tok=$(mbps "$bytes" "$ns")"
	echo "promptasm $tok: $(mbps "$bytes" "$ns") MB/s"
done

awk 'BEGIN { for (i = 0; i < 1048576; i++) printf "a" }' >"$tmp/same.txt"
awk 'BEGIN { srand(1); for (i = 0; i < 1048576; i++) printf "%c", 97 + int(rand() * 26) }' >"$tmp/random.txt"
# Prose and the long pieces are timed in turns and the best of each kept,
# so that a slow spell of a shared machine hits all three alike.
for tok in cl100k_base o200k_base claude; do
	prose= same= random=
	i=0
	while [ $i -lt 5 ]; do
		for kind in prose same random; do
			case $kind in prose) file=$corpus ;; *) file=$tmp/$kind.txt ;; esac
			t0=$(now_ns)
			"$prog" count -q -t "$tok" "$file" >/dev/null 2>&1
			t1=$(now_ns)
			eval "prev=\$$kind"
			if [ -z "$prev" ] || [ $((t1 - t0)) -lt "$prev" ]; then eval "$kind=$((t1 - t0))"; fi
		done
		i=$((i + 1))
	done
	for kind in same random; do
		eval "ns=\$$kind"
		echo "long piece, 1 MB $kind letters, $tok: $(awk -v a="$ns" -v b=1048576 -v p="$prose" -v pb="$bytes" 'BEGIN { printf "%.1f ms, %.2fx the per-byte time of the corpus", a / 1e6, (a / b) / (p / pb) }')"
	done
done

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	if [ ! -d "$root/tests/node_modules/tiktoken" ]; then
		(cd "$root/tests" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) ||
			echo "npm ci failed: no reference figures"
	fi
	if [ -d "$root/tests/node_modules/tiktoken" ]; then
		node "$here/ref-bench.mjs" "$corpus" | while read -r impl tok rate unit _; do
			eval "ours=\${ours_$tok:-}"
			if [ -n "$ours" ]; then
				echo "$impl $tok: $rate $unit (promptasm is $(awk -v a="$ours" -v b="$rate" 'BEGIN { printf "%.1f", a / b }')x)"
			else
				echo "$impl $tok: $rate $unit"
			fi
		done
	fi
else
	echo "node or npm missing: no reference figures"
fi
