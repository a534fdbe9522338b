#!/bin/sh
# The committed seeds of every fuzz target (tests/fuzz/corpus/<name>/),
# each run through its target and oracle without libFuzzer (replay.c;
# make builds the targets into REPLAY_DIR).  A seed passes when the
# target returns: an oracle that fails aborts and names the property.
# Run on its own, once `make test` built the targets:
# sh tests/suites/run-fuzz-seeds.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
FUZZ_TMPDIR=$(mktemp -d)
export FUZZ_TMPDIR
trap 'rm -rf "$FUZZ_TMPDIR"' EXIT
for src in "$here"/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	seeds=$here/fuzz/corpus/${name#fuzz_}
	if [ ! -x "$REPLAY_DIR/$name" ]; then
		echo "FAIL $name: not built ($REPLAY_DIR/$name)"
		failed=$((failed + 1))
		continue
	fi
	if [ -z "$(find "$seeds" -type f 2>/dev/null)" ]; then
		echo "FAIL $name: no seeds in $seeds"
		failed=$((failed + 1))
		continue
	fi
	# As libFuzzer reads a corpus: every file below the directory.
	for seed in $(find "$seeds" -type f | sort); do
		if ${VALGRIND:-} "$REPLAY_DIR/$name" "$seed" >"$FUZZ_TMPDIR/log" 2>&1; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL $name ${seed#"$here"/}:"
			tail -n 5 "$FUZZ_TMPDIR/log" | sed 's/^/  /'
		fi
	done
done
summary
