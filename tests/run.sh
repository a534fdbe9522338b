#!/bin/sh
# Runs every test suite and ends with one line `N passed, N failed`.
# Called by `make test` (and `make check`, `make leakcheck`) with
# PROMPTASM (the program under test) and UNIT_DIR (built unit tests) set.
# VALGRIND, when set, is a command prefix for every run of the program.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${PROMPTASM:?PROMPTASM must name the program under test}"
: "${UNIT_DIR:?UNIT_DIR must name the directory of built unit tests}"
export PROMPTASM_TOKENIZERS="$root/tokenizers"
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts of a suite's `N passed, N failed` line.
tally() {
	name=$1
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: no summary line (crashed?)"
		sed 's/^/  /' "$log" | tail -n 20
		failed=$((failed + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ] || [ "$2" -ne 0 ]; then
		grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$log" | sed 's/^/  /' | tail -n 40
	fi
	if [ "$f" -eq 0 ] && [ "$2" -ne 0 ]; then
		echo "$name: exit status $2 with no failed check"
		failed=$((failed + 1))
	fi
	echo "$name: $line"
}

for t in "$UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	(cd "$root" && ${VALGRIND:-} "$t") >"$log" 2>&1
	tally "unit/$(basename "$t")" $?
done

for s in "$here"/run-*.sh; do
	[ -f "$s" ] || continue
	sh "$s" >"$log" 2>&1
	tally "$(basename "$s" .sh)" $?
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
