#!/bin/sh
# Runs every test suite and ends with one line `N passed, N failed,
# N skipped`.  Called by `make test` (and `make check`, `make leakcheck`)
# with PROMPTASM (the program under test), UNIT_DIR (built unit tests) and
# REPLAY_DIR (built fuzz targets) set; run on its own after `make test`,
# it takes them from this checkout (tests/lib.sh).
# VALGRIND, when set, is a command prefix for every run of the program.
#
# A check that needs an optional program (Chromium, pre-commit, GNU time,
# zsh, fish, xmllint, node, jq) that is not installed is skipped, never
# failed: each suite names what it skipped on `SKIP` lines, repeated here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
# The suites count with this checkout's tokenizers, whatever the caller's.
export PROMPTASM_TOKENIZERS="$root/tokenizers"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts of a suite's `N passed, N failed[, N skipped]` line.
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
	k=0
	case $line in
	*" skipped"*) k=${line#*failed, }; k=${k%% skipped*} ;;
	esac
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
	if [ "$f" -ne 0 ] || [ "$2" -ne 0 ]; then
		grep -v -E '^[0-9]+ passed, [0-9]+ failed|^SKIP ' "$log" | sed 's/^/  /' | tail -n 40
	fi
	grep '^SKIP ' "$log" | sed 's/^/  /'
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

for s in "$here"/suites/run-*.sh; do
	[ -f "$s" ] || continue
	sh "$s" >"$log" 2>&1
	tally "$(basename "$s" .sh)" $?
done

summary
