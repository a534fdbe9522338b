#!/bin/sh
# npm.sh NATIVE PACKAGE [DIR]: the npm package's promptasm (make npm; the
# `promptasm` of an installed package, or build/npm/package/bin/
# promptasm.js) against the native program and against the npm packages
# tiktoken and gpt-tokenizer (tests/node_modules), per corpus and
# tokenizer, never pass/fail.  make bench runs it last, on its own
# corpora (DIR, with ref-bench.mjs's figures in DIR/ref); alone
# (make bench-npm) it makes the same corpora (without mixed-large).
#
# Each figure of the two programs is a whole `count -j 1`, start-up
# included (Node's, and the module's compilation, for the package), the
# best of 5 runs taken in turns: its wall time, and on the mixed corpus
# its CPU time too (all its threads: Node compiles and collects beside
# the count); the npm tokenizers' figures are
# ref-bench.mjs's, in the process, without their start-up: the package
# is measured as a user runs it, they as a library is called.
#
# Node reads the certificates NODE_EXTRA_CA_CERTS names at every start,
# whatever the program (a machine behind a proxy of its own sets it; on
# the development machine 50 ms of a start of 75): the package is timed
# without it, as on a machine that has none, and where it is set the
# mixed corpus is timed again with it, and both figures are given.
set -u
native=${1:?usage: npm.sh NATIVE PACKAGE [DIR]}
package=${2:?usage: npm.sh NATIVE PACKAGE [DIR]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PROMPTASM_TOKENIZERS="${PROMPTASM_TOKENIZERS:-$root/tokenizers}"
tokenizers="cl100k_base o200k_base claude"
scripts="latin cyrillic arabic indic thai cjk"
runs=5
# A package built from this checkout before its sources last changed
# measures the old code against the new native program (a change that
# made the native merge 3% faster read as the package falling behind):
# said, not refused, as the figures are still of the code it was built
# from.
case "$package" in
"$root"/build/*)
	if [ -n "$(find "$root/src" -type f -newer "$package" 2>/dev/null | head -n 1)" ]; then
		echo "npm.sh: warning: the package is older than src/ (make npm rebuilds it); its figures are of the code it was built from" >&2
	fi
	;;
esac
if [ -n "${3:-}" ]; then
	dir=$3
else
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
	# The corpora of run.sh, made alike (see there).
	: >"$dir/english.txt"
	while [ "$(wc -c <"$dir/english.txt")" -lt 4000000 ]; do
		cat "$root"/README.md "$root"/SECURITY.md "$root"/docs/*.md \
			"$root"/man/promptasm.1 "$root"/src/*/*.c "$root"/src/*/*.h \
			"$root"/tests/tokenizer/README.md >>"$dir/english.txt" 2>/dev/null
		find "$root/examples" -name '*.md' -exec cat {} + >>"$dir/english.txt" 2>/dev/null
	done
	for s in $scripts; do
		LC_ALL=C awk -v script="$s" -v bytes=2000000 -f "$here/gen-text.awk" \
			"$here/words.txt" >"$dir/$s.txt"
	done
	LC_ALL=C awk -v bytes=8000000 -v shares="48000 8000 8000 8000 8000 8000 8000" \
		-f "$here/mix.awk" "$dir/english.txt" $(for s in $scripts; do printf '%s ' "$dir/$s.txt"; done) \
		>"$dir/mixed.txt"
	find "$root/tests/corpus/agents" -type f -name '*.md' -print0 | LC_ALL=C sort -z |
		LC_ALL=C xargs -0 -r awk 1 >"$dir/agents.txt"
fi
corpora=
for c in mixed english $scripts agents; do
	[ -s "$dir/$c.txt" ] && corpora="$corpora $c"
done
[ -x "$dir/timeit" ] || ${CC:-cc} -O2 -o "$dir/timeit" "$here/timeit.c" || exit 1

echo "npm package: $package ($("$package" --version)), node $(node --version)"
if [ ! -s "$dir/ref" ] && [ -d "$root/tests/node_modules/tiktoken" ]; then
	node "$here/ref-bench.mjs" $(for c in $corpora; do printf '%s=%s ' "$c" "$dir/$c.txt"; done) >"$dir/ref" ||
		echo "npm package: ref-bench.mjs failed"
fi

best() { eval "echo \"\${best_$1:-}\""; }
# keep KEY NS: NS as KEY's best when it is less.
keep() {
	prev=$(best "$1")
	if [ -z "$prev" ] || [ "$2" -lt "$prev" ]; then eval "best_$1=$2"; fi
}
certs=${NODE_EXTRA_CA_CERTS:-}
# run WHO [certs] ARG...: the time of WHO's count (WHO native or package);
# the package without NODE_EXTRA_CA_CERTS unless "certs" says with it.
# With CPU=-c, the CPU time instead of the wall time (timeit.c).
run() {
	if [ "$1" = native ]; then
		shift
		"$dir/timeit" ${CPU:-} "$native" "$@"
	elif [ "${2:-}" = certs ]; then
		shift 2
		NODE_EXTRA_CA_CERTS=$certs "$dir/timeit" ${CPU:-} "$package" "$@"
	else
		shift
		(unset NODE_EXTRA_CA_CERTS; "$dir/timeit" ${CPU:-} "$package" "$@")
	fi
}
for i in $(seq $runs); do
	for c in $corpora; do
		for tok in $tokenizers; do
			for who in native package; do
				t=$(run $who count -q -j 1 -t "$tok" "$dir/$c.txt") ||
					{ echo "npm package: failed: $who count -t $tok $c.txt" >&2; exit 1; }
				keep "${who}_${tok}_$c" "$t"
			done
			# And the CPU time of each, which Node's threads add to.
			if [ "$c" = mixed ]; then
				for who in native package; do
					t=$(CPU=-c run $who count -q -j 1 -t "$tok" "$dir/$c.txt") || exit 1
					keep "cpu_${who}_${tok}_$c" "$t"
				done
			fi
			if [ -n "$certs" ] && [ "$c" = mixed ]; then
				t=$(run package certs count -q -j 1 -t "$tok" "$dir/$c.txt") || exit 1
				keep "certs_${tok}_$c" "$t"
			fi
		done
	done
done
# Start-up: a count of 1 KB, the best of 5 each, and Node's own.
head -c 1024 "$dir/english.txt" >"$dir/1k.txt"
for i in $(seq $runs); do
	for who in native package; do
		keep "start_$who" "$(run $who count -q -t o200k_base "$dir/1k.txt")"
	done
	keep start_node "$(unset NODE_EXTRA_CA_CERTS; "$dir/timeit" node -e 0)"
	[ -n "$certs" ] && keep start_node_certs "$(NODE_EXTRA_CA_CERTS=$certs "$dir/timeit" node -e 0)"
done
ms() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }
echo "npm package, start-up (count of 1 KB, o200k_base): $(ms "$(best start_package)") ms (Node alone, node -e 0: $(ms "$(best start_node)") ms); native $(ms "$(best start_native)") ms"
if [ -n "$certs" ]; then
	echo "npm package: NODE_EXTRA_CA_CERTS is set here: Node alone starts in $(ms "$(best start_node_certs)") ms with it, $(ms "$(best start_node)") ms without; the figures below are without it"
	for tok in $tokenizers; do
		echo "npm package, mixed, $tok, with NODE_EXTRA_CA_CERTS as set here: $(awk -v p="$(best "certs_${tok}_mixed")" -v n="$(best "native_${tok}_mixed")" 'BEGIN { printf "%.2fx", p / n }') the native time"
	done
fi

for tok in $tokenizers; do
	echo "npm package, mixed, $tok, CPU time (all threads): $(ms "$(best "cpu_package_${tok}_mixed")") ms, native $(ms "$(best "cpu_native_${tok}_mixed")") ms: $(awk -v p="$(best "cpu_package_${tok}_mixed")" -v n="$(best "cpu_native_${tok}_mixed")" 'BEGIN { printf "%.2fx", p / n }') the native CPU time"
done
for c in $corpora; do
	bytes=$(wc -c <"$dir/$c.txt" | tr -d ' ')
	for tok in $tokenizers; do
		n=$(best "native_${tok}_$c")
		p=$(best "package_${tok}_$c")
		mine=$("$package" count -q -t "$tok" "$dir/$c.txt" | cut -d' ' -f1)
		peers=$(awk -v c="$c" -v tok="$tok" -v b="$bytes" -v p="$p" -v mine="$mine" '
			$2 == tok && $3 == c && ($1 == "tiktoken-npm" || $1 == "gpt-tokenizer-npm") {
				pkg = b / 1e6 / (p / 1e9)
				printf "; %s %s MB/s (the package is %.1fx as fast)%s", $1 == "tiktoken-npm" ? "tiktoken" : "gpt-tokenizer cold", \
					$4, pkg / $4, $6 == mine ? "" : ", COUNTS " $6 " WHERE THE PACKAGE COUNTS " mine
			}' "$dir/ref" 2>/dev/null)
		echo "npm package, $c, $tok: $(awk -v b="$bytes" -v p="$p" -v n="$n" 'BEGIN {
			printf "%.1f MB/s, native %.1f MB/s: %.2fx the native time", b / 1e6 / (p / 1e9), b / 1e6 / (n / 1e9), p / n }')$peers"
	done
done
