#!/bin/sh
# The tokenizer layer's profile-guided build (Makefile, PGO;
# docs/speed.md, "How the count is fast"): when make built the layer with
# a training run's profile, every object the training ran has its counts,
# and the objects of the count's hot loops were built with them, which
# shows as their code laid out in a section of hot code.  A profile that
# the final objects do not find (a rename of the build's objects, a flag
# that changes the names gcc gives the counts) leaves the program exact but
# slower, and no other test would notice.  Skipped, named, for a build
# without the profile (make check's sanitizer, a compiler other than gcc,
# PGO=0).
# Run on its own: sh tests/suites/run-pgo.sh (after make).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2
build=${PROMPTASM_BUILD:-$(dirname "$UNIT_DIR")}

if [ ! -f "$build/pgo/profile.stamp" ]; then
	skipped=$((skipped + 1))
	echo "SKIP profile-guided build: $build has none (a sanitizer, a compiler other than gcc, or PGO=0)"
	summary
	exit 0
fi
if ! have readelf; then
	skip "profile-guided build" readelf "apt-get install binutils"
	summary
	exit 0
fi
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
# The files whose loops a count spends its time in.
for f in backtrack tokenizer pretok piececache ranktable; do
	if [ -s "$build/pgo/tokenizer/$f.gcda" ]; then
		pass
	else
		fail "pgo: the training run left no counts for src/tokenizer/$f.c ($build/pgo/tokenizer/$f.gcda)"
	fi
	if readelf -S -W "$build/tokenizer/$f.o" 2>/dev/null | grep -q '\.text\.hot'; then
		pass
	else
		fail "pgo: $build/tokenizer/$f.o has no hot code: built without its profile"
	fi
done
summary
