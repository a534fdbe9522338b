#!/bin/sh
# make bench: speed of the program on this machine, never pass/fail.
#
# Every figure is one line `WHAT: VALUE UNIT[, NOTE]`, after a line that
# describes the machine:
#
#  1. start-up: a whole `promptasm count` of a 1 KB file, averaged
#  2. throughput, one thread: MB/s per tokenizer on a mixed multilingual
#     corpus (half English, Markdown and C from the repository, half text
#     in six scripts, in turns) and on each part alone: english, latin,
#     cyrillic, arabic, indic (Devanagari, Tamil, Bengali, Telugu), thai
#     and cjk (Chinese and Japanese without spaces, Korean).  The scripts'
#     text is made from the words of words.txt by gen-text.awk: the same
#     bytes on every machine.  And the 882 real agent files of
#     tests/corpus/agents, one after another (agents).
#  2b. the mixed corpus in turns of 80 KB and 800 KB of each script
#     against 8 KB, each 9.6 MB of nearly the same text: how much of its
#     time is the change of script
#  2c. per script, in the process: the real text of nine languages
#     (tests/bench/texts) and the corpora of 2, each
#     encoded by the library in one process (inproc.c), o200k_base and
#     cl100k_base: CPU time per encode with the memos emptied first, the
#     median of 7 rounds
#  3. `count -j 2` on each corpus and on a large one (mixed-large: 64 MB
#     mixed as above, none of it repeated), and its speed-up over -j 1
#     timed in turns with it (a ratio across sections would take in the
#     drift of a shared machine's speed between them)
#  4. the worst cases, 1 MB each: one letter, random letters, one emoji,
#     digits, spaces, random bytes (--lossy), Chinese without a space or
#     punctuation; as the multiple of the per-byte time of the English
#     corpus (4 MB), and again with the time of a count of 1 KB taken out
#     of both: the start-up weighs four times as much in 1 MB as in 4 MB
#  5. check of a project of 1,000 agents that share one CLAUDE.md chain
#     (the README, an import, a rule: about 150 KB), and of the same
#     agents without it: the difference is what the shared instructions
#     cost the whole run (read and counted once, not once per agent)
#  6. when node and npm are present: the npm packages tiktoken,
#     gpt-tokenizer (cold: its cache of words cleared; warm: the same text
#     again) and @anthropic-ai/tokenizer on the same corpora in the same
#     run, with the ratios and a check that they count what promptasm
#     counts
#  7. with a second program (make bench BASELINE=path, an earlier build;
#     run before 6): both on each corpus, in turns, 21 times, one thread,
#     and the median of the ratios of the first's time to the second's
#     (below 1: faster), with the middle half of the ratios (from the
#     first quartile to the third); a ratio taken pair by pair holds when
#     the machine's speed drifts.  Both run on one processor and map this
#     checkout's tables (PROMPTASM_TOKENIZERS, below), so the page cache
#     holds them alike for both: how it holds a table (2 MB pages or
#     small ones) moves a count of o200k_base by 3 to 8 ms (fresh_tables,
#     below).  A baseline that needs tables of its own (another
#     format) gets them with BASELINE_TOKENIZERS=path/to/its/tokenizers;
#     both programs' tables are then dropped from the page cache before
#     each corpus, as for one
#  9. with NPM=path/to/the/npm/package's/promptasm (make npm): the
#     package against this program and npm tiktoken and gpt-tokenizer on
#     each corpus (tests/bench/npm.sh)
#  8. with PEERS=path/to/peers-bench (tests/bench/peers): promptasm,
#     GitHub's `bpe` and tiktoken's Rust core in one process, the same
#     rounds, on the catalogs of tests/bench/texts and 1 MB inputs
#     (peers.sh, which make bench-peers runs alone)
#
# Times are wall-clock, the best of 5 runs, all the runs of a section
# taken in turns so that a slow spell of a shared machine hits all alike.
set -u
prog=${1:?usage: run.sh PROGRAM [BASELINE]}
baseline=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PROMPTASM_TOKENIZERS="$root/tokenizers"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=5
tokenizers="cl100k_base o200k_base claude"
scripts="latin cyrillic arabic indic thai cjk"
corpora="mixed english $scripts"
worst="one-letter random-letters emoji digits spaces random-bytes cjk-unspaced"

# fresh_tables: the tables as make leaves them, out of the page cache,
# so that the next count reads them back in 2 MB pages.  A table that
# another program read first (a copy, a backup) is held in small pages
# until the cache lets go of all of it, and then o200k_base's costs
# every count about 3 ms more, and a long text 5 ms more again
# (docs/speed.md); so does one of which the kernel reclaimed a part while the
# bench ran (the development machine pages out what has not been read
# for a minute).  Each section starts with it.  GNU dd's nocache asks
# the kernel to let go of a file's pages; elsewhere this does nothing.
fresh_tables() {
	for t in $tokenizers; do
		for d in "$PROMPTASM_TOKENIZERS" ${BASELINE_TOKENIZERS:+"$BASELINE_TOKENIZERS"}; do
			dd if="$d/$t.patab" iflag=nocache count=0 status=none 2>/dev/null || :
		done
	done
}

now_ns() { date +%s%N; }

# put KEY VALUE / get KEY: a value per key, in shell variables.
put() { eval "v_$(echo "$1" | tr -c 'A-Za-z0-9_\n' '_')=\$2"; }
get() { eval "echo \"\${v_$(echo "$1" | tr -c 'A-Za-z0-9_\n' '_'):-}\""; }

# time_best KEY COMMAND...: runs the command once and keeps in KEY the
# least wall time seen, in nanoseconds, as timeit.c measures it.
${CC:-cc} -O2 -o "$tmp/timeit" "$here/timeit.c" || exit 1
time_best() {
	key=$1
	shift
	t=$("$tmp/timeit" "$@") || { echo "bench: failed: $*" >&2; exit 1; }
	prev=$(get "$key")
	if [ -z "$prev" ] || [ "$t" -lt "$prev" ]; then put "$key" "$t"; fi
}

mbps() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.1f", b / 1e6 / (ns / 1e9) }'; }
size() { wc -c <"$1" | tr -d ' '; }

echo "machine: $(sh "$here/machine.sh")"
echo "program: $prog ($("$prog" --version))"

# ---- the corpora ----

english=$tmp/english.txt
: >"$english"
while [ "$(size "$english")" -lt 4000000 ]; do
	cat "$root"/README.md "$root"/SECURITY.md "$root"/docs/*.md \
		"$root"/man/promptasm.1 "$root"/src/*/*.c "$root"/src/*/*.h \
		"$root"/tests/tokenizer/README.md >>"$english" 2>/dev/null
	find "$root/examples" -name '*.md' -exec cat {} + >>"$english" 2>/dev/null
done
# scripts_text BYTES SUFFIX: the text of each script, BYTES of it, in
# $tmp/SCRIPT$SUFFIX.txt.  mixed OUT BYTES SUFFIX [TIMES]: those and the
# English corpus in turns (48 KB of English, then 8 KB of each script,
# each turn TIMES as long, 1 unless given), in whole rounds until at
# least BYTES, in OUT.
scripts_text() {
	for s in $scripts; do
		LC_ALL=C awk -v script="$s" -v bytes="$1" -f "$here/gen-text.awk" \
			"$here/words.txt" >"$tmp/$s$2.txt"
	done
}
mixed() {
	m=${4:-1}
	LC_ALL=C awk -v bytes="$2" \
		-v shares="$((48000 * m)) $((8000 * m)) $((8000 * m)) $((8000 * m)) $((8000 * m)) $((8000 * m)) $((8000 * m))" \
		-f "$here/mix.awk" "$english" $(for s in $scripts; do printf '%s ' "$tmp/$s$3.txt"; done) \
		>"$1"
}
scripts_text 2000000 ""
mixed "$tmp/mixed.txt" 8000000 ""
# For section 2b: the mix in turns of 8 KB, 80 KB and 800 KB, each at
# least 9.6 MB (one round of the longest turns), so that all three are
# nearly the same text.
for m in 1 10 100; do mixed "$tmp/mixed-turns$m.txt" 9600000 "" $m; done
# A large input for -j 2 (section 3), mixed alike, 64 MB: the scripts'
# text made anew at 6 MB each, so that none of it repeats.
scripts_text 6000000 -large
mixed "$tmp/mixed-large.txt" 64000000 -large
for s in $scripts; do rm -f "$tmp/$s-large.txt"; done

# The real agent files of tests/corpus/agents (882 files from 11 public
# repositories; tests/corpus/README.md): prompts as people
# write them, Markdown with tables, lists, box drawings and now and then
# another script, and a vocabulary far less repetitive than the
# repository's own text, which the English corpus repeats.  Each file
# ends in a line feed (awk adds one where it lacks it), so that no last
# word runs into the next file.
agents_dir=$root/tests/corpus/agents
if [ -d "$agents_dir" ]; then
	find "$agents_dir" -type f -name '*.md' -print0 | LC_ALL=C sort -z |
		LC_ALL=C xargs -0 -r awk 1 >"$tmp/agents.txt"
	[ -s "$tmp/agents.txt" ] && corpora="$corpora agents"
fi

for c in $worst; do
	sh "$here/worst.sh" "$c" 1048576 >"$tmp/$c.txt"
done

for c in $corpora mixed-large mixed-turns1 mixed-turns10 mixed-turns100 $worst; do
	put "bytes_$c" "$(size "$tmp/$c.txt")"
done
echo "corpora: $(for c in $corpora; do printf '%s %s, ' "$c" "$(get "bytes_$c")"; done | sed 's/, $//') bytes"

# ---- 1. start-up ----

fresh_tables

head -c 1024 "$english" >"$tmp/1k.txt"
n=200
t0=$(now_ns)
i=0
while [ $i -lt $n ]; do "$prog" count "$tmp/1k.txt" >/dev/null; i=$((i + 1)); done
t1=$(now_ns)
echo "start-up, count of a 1 KB file, o200k_base: $(awk -v ns=$((t1 - t0)) -v n=$n 'BEGIN { printf "%.2f", ns / n / 1e6 }') ms per run (mean of $n)"

# ---- 2. throughput ----

fresh_tables

# -j 1: count takes a thread per CPU on its own for an input of 4 MiB or
# more, and this section is one thread's speed.

# time_one_thread KEY CORPORA: each corpus counted by one thread with each
# tokenizer, the best of $runs into KEY_TOKENIZER_CORPUS, the runs of all
# taken in turns.
time_one_thread() {
	i=0
	while [ $i -lt $runs ]; do
		for tok in $tokenizers; do
			for c in $2; do
				time_best "$1_${tok}_$c" "$prog" count -q -j 1 -t "$tok" "$tmp/$c.txt"
			done
		done
		i=$((i + 1))
	done
}
time_one_thread ns "$corpora"
for c in $corpora; do
	for tok in $tokenizers; do
		rate=$(mbps "$(get "bytes_$c")" "$(get "ns_${tok}_$c")")
		put "ours_${tok}_$c" "$rate"
		echo "throughput, $c, $tok: $rate MB/s"
	done
done

# ---- 2b. the mixed corpus in longer turns ----

fresh_tables

# Nearly the same text (9.6 MB each; o200k_base counts them within
# 0.2% of each other), but each script's share of the tables and memos
# stays in the processor's caches longer: how much of the mixed corpus's
# time is the change of script every 8 KB.  Timed in turns.
time_one_thread nst "mixed-turns1 mixed-turns10 mixed-turns100"
for tok in $tokenizers; do
	for c in mixed-turns10 mixed-turns100; do
		case $c in
		mixed-turns10) turn="80 KB" ;;
		*) turn="800 KB" ;;
		esac
		a=$(awk -v b="$(get "bytes_$c")" -v ns="$(get "nst_${tok}_$c")" 'BEGIN { print ns / b }')
		b=$(awk -v b="$(get bytes_mixed-turns1)" -v ns="$(get "nst_${tok}_mixed-turns1")" 'BEGIN { print ns / b }')
		echo "throughput, mixed in turns of $turn, $tok: $(mbps "$(get "bytes_$c")" "$(get "nst_${tok}_$c")") MB/s, $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')x as fast per byte as in turns of 8 KB ($(mbps "$(get bytes_mixed-turns1)" "$(get "nst_${tok}_mixed-turns1")") MB/s), timed in turns with it"
	done
done

# ---- 2c. per script, in the process ----

# Real text of nine languages, whose pieces are long or have few merges
# to a byte (tests/bench/texts/README.md: GTK's translations), and the
# corpora above of each script, encoded by promptasm's library in this
# process (tests/bench/inproc.c): CPU time per encode, each encode with
# the memos emptied first, as a count of that one file starts; the
# median of 7 rounds, one processor.  The same texts through GitHub's
# `bpe` and tiktoken's Rust core, in the same rounds: section 8.
per_script_texts=
for f in "$here"/texts/*.txt; do
	s=${f##*/}
	per_script_texts="$per_script_texts ${s%.txt}=$f"
done
for c in english $scripts; do
	per_script_texts="$per_script_texts words-$c=$tmp/$c.txt"
done
pin=
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	pin="taskset -c 0"
fi
if [ -f "$root/build/libpromptasm.a" ] &&
	${CC:-cc} -std=c11 -O2 -I"$root/include" -o "$tmp/inproc" "$here/inproc.c" \
		"$root/build/libpromptasm.a" $(pkg-config --libs yaml-0.1 libutf8proc libpcre2-8) \
		-pthread 2>/dev/null; then
	for tok in o200k_base cl100k_base; do
		# shellcheck disable=SC2086
		$pin "$tmp/inproc" "$tok" 7 $per_script_texts | while read -r name bytes us rate; do
			echo "per script, $name ($bytes bytes), $tok: $rate MB/s, $us us an encode (in the process, memos emptied at each encode; median of 7 rounds)"
		done
	done
else
	echo "per script: not measured (build/libpromptasm.a missing or not linkable)"
fi

# ---- 3. -j 2 ----

fresh_tables

if "$prog" count --help 2>&1 | grep -q -- '-j'; then
	i=0
	while [ $i -lt $runs ]; do
		for tok in $tokenizers; do
			for c in $corpora mixed-large; do
				time_best "nsj_${tok}_$c" "$prog" count -q -j 2 -t "$tok" "$tmp/$c.txt"
				time_best "nsj1_${tok}_$c" "$prog" count -q -j 1 -t "$tok" "$tmp/$c.txt"
			done
		done
		i=$((i + 1))
	done
	for c in $corpora mixed-large; do
		for tok in $tokenizers; do
			echo "throughput, $c, count -j 2, $tok: $(mbps "$(get "bytes_$c")" "$(get "nsj_${tok}_$c")") MB/s, $(awk -v a="$(get "nsj1_${tok}_$c")" -v b="$(get "nsj_${tok}_$c")" 'BEGIN { printf "%.2f", a / b }')x -j 1 timed in turns with it"
		done
	done
	# The large input's -j 1 speed too: the memos, warm after the
	# first megabytes, make it faster per byte than the 8 MB corpus.
	for tok in $tokenizers; do
		echo "throughput, mixed-large, count -j 1, $tok: $(mbps "$(get bytes_mixed-large)" "$(get "nsj1_${tok}_mixed-large")") MB/s"
	done
else
	echo "throughput, count -j 2: not measured (count has no -j)"
fi

# ---- 4. worst cases ----

fresh_tables

i=0
while [ $i -lt $runs ]; do
	for tok in $tokenizers; do
		for c in 1k english $worst; do
			lossy=
			[ "$c" = random-bytes ] && lossy=--lossy
			time_best "nsw_${tok}_$c" "$prog" count -q -j 1 $lossy -t "$tok" "$tmp/$c.txt"
		done
	done
	i=$((i + 1))
done
for c in $worst; do
	for tok in $tokenizers; do
		echo "worst case, $c, $tok: $(awk -v a="$(get "nsw_${tok}_$c")" -v b="$(get "bytes_$c")" \
			-v p="$(get "nsw_${tok}_english")" -v pb="$(get bytes_english)" \
			-v s="$(get "nsw_${tok}_1k")" \
			'BEGIN { printf "%.1f ms, %.2fx the per-byte time of english, %.2fx with the start-up (%.1f ms) taken out of both", a / 1e6, (a / b) / (p / pb), ((a - s) / b) / ((p - s) / pb), s / 1e6 }')"
	done
done

# ---- 5. check of many agents ----

fresh_tables

# The project's prose (README was all of it until the docs moved to docs/).
prose() { cat "$root/README.md" "$root/SECURITY.md" "$root"/docs/*.md; }

# make_project DIR WITH: 1,000 agents, bodies cut from the prose; WITH=1
# adds the instructions every agent receives.
make_project() {
	mkdir -p "$1/.claude/agents" "$1/.claude/rules" "$1/docs"
	a=1
	while [ $a -le 1000 ]; do
		{
			printf -- '---\nname: agent-%d\ndescription: agent %d of the bench\n---\n' $a $a
			prose | awk -v from=$(((a * 7) % 600)) 'NR > from && NR <= from + 30'
		} >"$1/.claude/agents/agent-$a.md"
		a=$((a + 1))
	done
	[ "$2" = 1 ] || return 0
	{ prose; echo; echo "See @docs/manual.md"; } >"$1/CLAUDE.md"
	cp "$root/man/promptasm.1" "$1/docs/manual.md"
	sed -n '1,80p' "$root/tests/bench/run.sh" >"$1/.claude/rules/bench.md"
}
make_project "$tmp/many-with" 1
make_project "$tmp/many-without" 0
mkdir -p "$tmp/home"
chain=$(cat "$tmp/many-with/CLAUDE.md" "$tmp/many-with/docs/manual.md" \
	"$tmp/many-with/.claude/rules/bench.md" | wc -c | tr -d ' ')
i=0
while [ $i -lt $runs ]; do
	for p in with without; do
		time_best "nsc_$p" env HOME="$tmp/home" "$prog" check -q --no-managed \
			-C "$tmp/many-$p"
	done
	i=$((i + 1))
done
echo "check, 1,000 agents sharing a $chain-byte CLAUDE.md chain: $(awk -v ns="$(get nsc_with)" 'BEGIN { printf "%.0f", ns / 1e6 }') ms; without the chain: $(awk -v ns="$(get nsc_without)" 'BEGIN { printf "%.0f", ns / 1e6 }') ms"

# ---- 7. side by side with an earlier build ----

if [ -n "$baseline" ]; then
	pairs=21
	# Both on one processor, where taskset(1) is: the ratios of pairs run
	# wherever the scheduler put them spread from 0.73 to 1.39 in their
	# middle half on the development machine in a busy spell (its two
	# processors need not share a cache), and pinned ones stay closer.
	pin=
	if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
		pin="taskset -c 0"
	fi
	base_tables=${BASELINE_TOKENIZERS:-$PROMPTASM_TOKENIZERS}
	if [ "$base_tables" = "$PROMPTASM_TOKENIZERS" ]; then
		echo "side by side: both programs map the tables of $PROMPTASM_TOKENIZERS${pin:+, and run on processor 0}"
	else
		echo "side by side: promptasm maps the tables of $PROMPTASM_TOKENIZERS, the baseline those of $base_tables${pin:+; both run on processor 0}"
	fi
	for c in $corpora cjk-unspaced; do
		for tok in $tokenizers; do
			fresh_tables
			: >"$tmp/ratios"
			i=0
			while [ $i -lt $pairs ]; do
				a=$($pin "$tmp/timeit" "$prog" count -q -j 1 -t "$tok" "$tmp/$c.txt") ||
					{ echo "bench: failed: $prog count -t $tok $c.txt" >&2; exit 1; }
				b=$(PROMPTASM_TOKENIZERS=$base_tables $pin "$tmp/timeit" "$baseline" count -q -j 1 -t "$tok" "$tmp/$c.txt") ||
					{ echo "bench: failed: $baseline count -t $tok $c.txt" >&2; exit 1; }
				awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", a / b }' >>"$tmp/ratios"
				i=$((i + 1))
			done
			# The median, and the middle half of the ratios: how far
			# one pair strays from the next on this machine.
			echo "side by side, $c, $tok: $(sort -n "$tmp/ratios" | awk -v q1=$(((pairs + 3) / 4)) \
				-v m=$(((pairs + 1) / 2)) -v q3=$(((3 * pairs + 3) / 4)) \
				'NR == q1 { a = $1 } NR == m { b = $1 } NR == q3 { c = $1 }
				END { printf "%sx the time of %s (median of %d pairs; the middle half %s to %s)", b, prog, n, a, c }' \
				prog="$baseline" n="$pairs")"
		done
	done
fi

# ---- 8. beside bpe and tiktoken, in one process ----

# make bench PEERS=path/to/peers-bench (tests/bench/peers/README.md: it
# links promptasm's library, GitHub's `bpe` crate and tiktoken's Rust
# core): peers.sh, as make bench-peers runs it.
if [ -n "${PEERS:-}" ]; then
	sh "$here/peers.sh" "$PEERS" || echo "peers: $PEERS failed"
fi

# ---- 6. the npm references ----

fresh_tables

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "references: not measured (node or npm missing)"
	exit 0
fi
if [ ! -d "$root/tests/node_modules/tiktoken" ]; then
	(cd "$root/tests" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) ||
		echo "references: not measured (npm ci failed)"
fi
[ -d "$root/tests/node_modules/tiktoken" ] || exit 0
node "$here/ref-bench.mjs" $(for c in $corpora; do printf '%s=%s ' "$c" "$tmp/$c.txt"; done) >"$tmp/ref" ||
	echo "references: ref-bench.mjs failed"
while read -r impl tok c cold warm count; do
	ours=$(get "ours_${tok}_$c")
	mine=$("$prog" count -q -t "$tok" "$tmp/$c.txt" | cut -d' ' -f1)
	check=
	[ "$mine" = "$count" ] || check=", COUNTS $count TOKENS WHERE PROMPTASM COUNTS $mine"
	echo "reference, $c, $impl $tok: $warm MB/s warm, $cold MB/s cold (promptasm is $(awk -v a="$ours" -v w="$warm" -v c="$cold" 'BEGIN { printf "%.1fx / %.1fx", a / w, a / c }'))$check"
done <"$tmp/ref"

# ---- 9. the npm package ----

# make bench NPM=path (make bench passes build/npm/package/bin/promptasm.js
# when make npm made it): the package against the native program and the
# npm tokenizers above, per corpus (tests/bench/npm.sh).
if [ -n "${NPM:-}" ]; then
	sh "$here/npm.sh" "$prog" "$NPM" "$tmp"
fi
