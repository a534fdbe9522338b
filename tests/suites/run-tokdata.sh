#!/bin/sh
# Damaged and hostile tokenizer data through the program: a copy of a
# bundled tokenizer with bytes of its .patab changed, a stale or missing
# table, manifests with repeated keys, a pattern that hits PCRE2's match
# limit.  What must hold: an error naming the file and the documented
# exit status (3: tokenizer data missing or damaged; 2: input error), and
# never a count on stdout.
# Run on its own: make && sh tests/suites/run-tokdata.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME STATUS STDOUT STDERR-SUBSTRING -- ARGS...: runs the program
# with PROMPTASM_TOKENIZERS=$work/tok; checks the exit status, that stdout
# is exactly STDOUT and that stderr contains the substring ("" for none).
run() {
	name=$1 want_status=$2 want_out=$3 want_err=$4
	shift 5
	PROMPTASM_TOKENIZERS="$work/tok" ${VALGRIND:-} "$PROMPTASM" "$@" \
		>"$work/out" 2>"$work/err"
	status=$?
	ok=1
	[ "$status" -eq "$want_status" ] || ok=0
	[ "$(cat "$work/out")" = "$want_out" ] || ok=0
	if [ -n "$want_err" ]; then
		grep -F -q -- "$want_err" "$work/err" || ok=0
	fi
	if [ $ok -eq 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: exit $status (want $want_status)"
		echo "  stdout: $(head -c 300 "$work/out")"
		echo "  stderr: $(head -c 300 "$work/err")"
	fi
}

# flip FILE OFFSET: changes the byte at OFFSET (adds 1).
flip() {
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	new=$(( (old + 1) % 256 ))
	printf "\\$(printf %o "$new")" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

mkdir "$work/tok"
cp "$root/tokenizers/o200k_base.yaml" "$root/tokenizers/o200k_base.tiktoken" "$work/tok/"
table=$work/tok/o200k_base.patab
# Compiled, not copied: a copy would read the checkout's table into the
# page cache in small pages, and every count after the tests would map it
# slowly (docs/speed.md).
"$PROMPTASM" compile-tokenizer "$work/tok/o200k_base.yaml" "$table" ||
	{ echo "run-tokdata: cannot compile $table" >&2; exit 1; }
cp "$table" "$work/pristine.patab"
printf 'hello world' >"$work/short.txt"
{ printf 'hello '; i=0; while [ $i -lt 40 ]; do printf 'qzxqzxqzxq'; i=$((i + 1)); done; } \
	>"$work/long.txt"
size=$(wc -c <"$table")

run intact 0 "2 $work/short.txt" "" -- count -t o200k_base "$work/short.txt"
want_long=$("$PROMPTASM" count -t o200k_base "$work/long.txt" 2>/dev/null)

# A byte of the ranks (byte 1,000,000 is in the hash slots): refused
# when mapped, whatever the text.
flip "$table" 1000000
run ranks-damaged 3 "" "$table: rank table is damaged" -- count -t o200k_base "$work/short.txt"
cp "$work/pristine.patab" "$table"

# A byte of the merge tables (the last part of the file): verified when
# a piece needs them, so short text still counts, exactly.
flip "$table" $((size - 100000))
run section-damaged-short 0 "2 $work/short.txt" "" -- count -t o200k_base "$work/short.txt"
run section-damaged-long 3 "" "$table: rank table is damaged" -- count -t o200k_base "$work/long.txt"
run section-damaged-tokenize 3 "" "$table: rank table is damaged" -- tokenize -t o200k_base "$work/long.txt"
# check verifies the tables before its first count: its short prompts
# fail alike, not only after 8 KB of merging.
mkdir -p "$work/proj/.claude/agents"
for a in a b; do
	printf -- '---\nname: %s\ndescription: d\n---\nhello world\n' $a \
		>"$work/proj/.claude/agents/$a.md"
done
run section-damaged-check 3 "" "$table: rank table is damaged" -- \
	check -t o200k_base --no-managed -C "$work/proj"
cp "$work/pristine.patab" "$table"

# The header (Pa_ranktable_header): the probe limit (bytes 112-115) made
# larger than the table, then a little larger (caught by the checksum);
# the format version (bytes 8-11).
flip "$table" 115
run probe-limit 3 "" "$table: rank table has no valid probe limit; rebuild it with make" \
	-- count -t o200k_base "$work/short.txt"
cp "$work/pristine.patab" "$table"
flip "$table" 113
run probe-limit-checksum 3 "" "$table: rank table is damaged" -- count -t o200k_base "$work/short.txt"
cp "$work/pristine.patab" "$table"
flip "$table" 8
run version 3 "" "$table: rank table of another format or machine; rebuild it with make" \
	-- count -t o200k_base "$work/short.txt"
cp "$work/pristine.patab" "$table"
head -c 1000 "$work/pristine.patab" >"$table"
run truncated 3 "" "$table: rank table is shorter than its header says" \
	-- count -t o200k_base "$work/short.txt"

# No table: the rank text is parsed, and the counts are the same.
rm "$table"
run missing-table 0 "2 $work/short.txt" "" -- count -t o200k_base "$work/short.txt"
run missing-table-long 0 "$want_long" "" -- count -t o200k_base "$work/long.txt"

# A manifest with a key given twice.
cp "$root/tokenizers/o200k_base.yaml" "$work/tok/twice.yaml"
sed -i 's/^name: o200k_base/name: twice/' "$work/tok/twice.yaml"
printf 'special_tokens:\n  "<x>": 300000\n' >>"$work/tok/twice.yaml"
line=$(grep -n '^special_tokens:' "$work/tok/twice.yaml" | tail -n 1 | cut -d: -f1)
run repeated-key 3 "" "\`special_tokens\` is given twice in the tokenizer manifest (first at line 7) at $work/tok/twice.yaml:$line:1" \
	-- count -t twice "$work/short.txt"
run repeated-key-list 3 "" "\`special_tokens\` is given twice" -- tokenizers

# A pattern that hits PCRE2's match limit on 30,000 `a`: an error naming
# the tokenizer, never the count of the text before it.
rm "$work/tok/twice.yaml"
i=0
while [ $i -lt 256 ]; do
	printf '%s %d\n' "$(printf "\\$(printf %o $i)" | base64)" $i
	i=$((i + 1))
done >"$work/tok/slow.tiktoken"
# printf cannot write NUL through a command substitution: fix rank 0.
sed -i '1s/.*/AA== 0/' "$work/tok/slow.tiktoken"
sha=$(sha256sum "$work/tok/slow.tiktoken" | cut -d' ' -f1)
printf "name: slow\nranks: slow.tiktoken\nsha256: %s\npattern: '(a+)+b|\\\\s+|[^a]+'\n" "$sha" \
	>"$work/tok/slow.yaml"
{ printf 'xy '; head -c 30000 /dev/zero | tr '\0' a; } >"$work/aaa.txt"
run match-limit 2 "" "cannot pre-tokenize at byte 3 with the pattern of tokenizer 'slow': match limit exceeded" \
	-- count -t slow "$work/aaa.txt"
run match-limit-ok 0 "11 $work/short.txt" "" -- count -t slow "$work/short.txt"

summary
