#!/bin/sh
# Golden tests: every directory tests/golden/<suite>/<case>/ is one case.
#
#   tree/    (optional) copied to a fresh work directory, the command's cwd;
#            tree/home/ becomes $HOME (an empty one is made otherwise)
#   cmd      a shell command; `promptasm` runs the program under test
#   out      the expected stdout, byte for byte
#   err      the expected stderr (absent: stderr must be empty)
#   status   the expected exit status (absent: 0)
#   needs    (optional) programs the command needs beside promptasm and the
#            base system, one per line: without one the case is skipped
#
# The work directory's path is written $WORK in out and err; $TESTS is
# this directory, for data cases share (tests/junit/jenkins-junit.xsd).
# Adding a case needs no code.  UPDATE=1 rewrites out/err/status from what the
# program does now: review the diff before committing it.
# Run on its own: make && sh tests/suites/run-golden.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cat >"$bin/promptasm" <<WRAP
#!/bin/sh
exec ${VALGRIND:-} "$PROMPTASM" "\$@"
WRAP
chmod +x "$bin/promptasm"

# Each case runs in a fresh work directory below it (new_work, tests/lib.sh).
works=/tmp/promptasm-golden
if ! shared_dir "$works"; then
	skipped=$((skipped + 1))
	echo "SKIP every case: $works belongs to $(owner "$works") and is not writable here; the cases run below that one path (their figures count it): remove it, or run as $(owner "$works")"
	summary
	exit
fi

for case in "$here"/golden/*/*/; do
	case=${case%/}
	[ -f "$case/cmd" ] || continue
	name=${case#"$here"/golden/}
	missing=
	if [ -f "$case/needs" ]; then
		for p in $(cat "$case/needs"); do
			(PATH=/usr/bin:/bin; have "$p") || { missing=$p; break; }
		done
	fi
	if [ -n "$missing" ]; then
		skip "$name" "$missing"
		continue
	fi
	if ! work=$(new_work); then
		fail "$name: cannot make a work directory below $works"
		continue
	fi
	if [ -d "$case/tree" ]; then
		cp -R "$case/tree/." "$work/"
	fi
	mkdir -p "$work/home"
	(
		cd "$work" &&
		env -i PATH="$bin:/usr/bin:/bin" HOME="$work/home" LC_ALL=C \
			PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" TESTS="$here" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
			sh "$case/cmd" >"$bin/out" 2>"$bin/err"
	)
	status=$?
	sed "s|$work|\$WORK|g" "$bin/out" >"$bin/out.n"
	sed "s|$work|\$WORK|g" "$bin/err" >"$bin/err.n"
	want_status=0
	[ -f "$case/status" ] && want_status=$(cat "$case/status")
	if [ -n "${UPDATE:-}" ]; then
		cp "$bin/out.n" "$case/out"
		if [ -s "$bin/err.n" ]; then cp "$bin/err.n" "$case/err"; else rm -f "$case/err"; fi
		if [ "$status" -ne 0 ]; then echo "$status" >"$case/status"; else rm -f "$case/status"; fi
		want_status=$status
	fi
	ok=1
	if ! cmp -s "$bin/out.n" "$case/out"; then
		ok=0
		echo "FAIL $name: stdout differs"
		diff "$case/out" "$bin/out.n" | head -n 20
	fi
	if [ -f "$case/err" ]; then
		if ! cmp -s "$bin/err.n" "$case/err"; then
			ok=0
			echo "FAIL $name: stderr differs"
			diff "$case/err" "$bin/err.n" | head -n 20
		fi
	elif [ -s "$bin/err.n" ]; then
		ok=0
		echo "FAIL $name: unexpected stderr"
		head -n 20 "$bin/err.n"
	fi
	if [ "$status" -ne "$want_status" ]; then
		ok=0
		echo "FAIL $name: exit status $status, expected $want_status"
	fi
	if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	remove_work "$work"
done
summary
