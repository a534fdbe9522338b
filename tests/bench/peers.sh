#!/bin/sh
# peers.sh PEERS [ROUNDS]: promptasm beside GitHub's `bpe` and tiktoken's
# Rust core (PEERS is tests/bench/peers' program, built as its README
# says), in one process, the same rounds (21 unless ROUNDS), each program
# pinned with the others to processor 1 where taskset(1) is; never
# pass/fail.  make bench-peers runs it, and make bench PEERS=... last.
#
# The texts, o200k_base and cl100k_base each:
#   - every catalog of tests/bench/texts (32 KB to 40 KB of real text in
#     nine languages), and its first 16 KB (whole lines): the sizes of
#     an instruction file;
#   - 1 MB of each script of words.txt (gen-text.awk), and three of the
#     worst cases (worst.sh): random letters a-z with no space, Chinese
#     without a space or punctuation, one emoji over and over.
# First the machine and its load, the checkout's commit and when its
# library was built (last, the load at the end); then
# peers-bench prints for each text its CPU time per encode, and for each
# peer the median of the round-by-round ratios of its time to
# promptasm's, the least and the most.  Last, for each tokenizer, the
# cells that reach the goal of the tokenizer's issue: `bpe` 2x or more
# at the median and 1.5x or more in every round, tiktoken 2x or more at
# the median; and those that do not, by name.
set -eu
peers=${1:?usage: peers.sh PEERS [ROUNDS]}
rounds=${2:-21}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PROMPTASM_TOKENIZERS="${PROMPTASM_TOKENIZERS:-$root/tokenizers}"
# The program holds the library as it was linked: one older than the
# archive would time the library before the last change, under its name.
if [ "$peers" -ot "$root/build/libpromptasm.a" ]; then
	echo "peers.sh: $peers is older than build/libpromptasm.a: build it again (tests/bench/peers/README.md)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

texts=
for f in "$here"/texts/*.txt; do
	name=${f##*/}
	name=${name%.txt}
	# Its whole lines within 16,000 bytes, or where the first is longer
	# (Chinese run together), its whole characters within them.
	LC_ALL=C awk -v most=16000 '
		{ if (n + length($0) + 1 > most) { if (n == 0) cut($0); exit }
		  n += length($0) + 1; print }
		function cut(s,  k) {
			k = most
			while (k > 0 && substr(s, k + 1, 1) >= "\200" && substr(s, k + 1, 1) < "\300")
				k--
			print substr(s, 1, k)
		}' "$f" >"$tmp/$name-16k.txt"
	texts="$texts $name=$f $name-16k=$tmp/$name-16k.txt"
done
for s in latin cyrillic arabic indic thai cjk; do
	LC_ALL=C awk -v script="$s" -v bytes=1000000 -f "$here/gen-text.awk" "$here/words.txt" >"$tmp/$s-1m.txt"
	texts="$texts $s-1m=$tmp/$s-1m.txt"
done
for c in random-letters cjk-unspaced emoji; do
	sh "$here/worst.sh" "$c" 1048576 >"$tmp/$c-1m.txt"
	texts="$texts $c-1m=$tmp/$c-1m.txt"
done

echo "peers machine: $(sh "$here/machine.sh")"
echo "peers library: $(git -C "$root" describe --always --dirty 2>/dev/null || echo "not a git checkout"), built $(date -u -r "$root/build/libpromptasm.a" '+%Y-%m-%d %H:%M UTC' 2>/dev/null)"

pin=
if command -v taskset >/dev/null 2>&1 && taskset -c 1 true 2>/dev/null; then
	pin="taskset -c 1"
fi
for tok in o200k_base cl100k_base; do
	# shellcheck disable=SC2086
	$pin "$peers" -r "$rounds" "$tok" $texts >"$tmp/$tok.out" ||
		{ echo "peers: $peers failed with $tok" >&2; exit 1; }
	sed 's/^/peers, /' "$tmp/$tok.out"
	# "NAME, TOK: bpe / promptasm 1.96x (least 1.85x, most 2.10x), ..."
	awk -v tok="$tok" '
		/: bpe \/ promptasm / || /: tiktoken \/ promptasm / {
			name = $1; sub(/,$/, "", name)
			peer = $3; med = $6; least = $8
			sub(/x$/, "", med); sub(/^\(/, "", least); sub(/x,$/, "", least)
			med += 0; least += 0
			if (!(name in seen)) { seen[name] = 1; order[++n] = name }
			if (peer == "bpe") { bpe[name] = med; bpe_least[name] = least }
			else tk[name] = med
		}
		/IDS DIFFER/ { name = $1; sub(/,$/, "", name); differ = differ " " name }
		END {
			for (i = 1; i <= n; i++) {
				c = order[i]
				if (bpe[c] >= 2 && bpe_least[c] >= 1.5 && tk[c] >= 2) { met++; continue }
				short = short sprintf("%s %s (bpe %.2fx, least %.2fx; tiktoken %.2fx)", sep, c, bpe[c], bpe_least[c], tk[c])
				sep = ";"
			}
			printf "peers goal, %s: %d of %d texts at bpe 2x at the median and 1.5x in every round, tiktoken 2x", tok, met, n
			if (short != "") printf "; short of it:%s", short
			if (differ != "") printf "; IDS DIFFER, not timed:%s", differ
			printf "\n"
		}' "$tmp/$tok.out"
done
echo "peers load at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
