#!/bin/sh
# Hostile inputs: `promptasm check` runs in CI on repositories anyone may
# have written, so every file of a project may be an attack.  Each case of
# tests/hostile/cases builds its hostile tree in a fresh directory and runs
# one command, which must
#
#   - end: it runs under `timeout 20` (a hang fails; no other timing is
#     checked, speed lives in `make bench`);
#   - exit with the expected status, and say why on standard error (the
#     case's `stderr` pattern, which names the file);
#   - write nothing on standard output when it fails (status 2 or 3),
#     unless the case says `report yes`: check writes its report even when
#     agent files do not load (exit 2), so that CI shows every problem;
#   - modify nothing: the types, inodes, sizes, times and (below 8 MB)
#     contents of the whole work directory are the same before and after;
#   - stay under 200 MB of memory (maximum resident set size, measured by
#     GNU time: skipped without it), except under a sanitizer or valgrind,
#     which need far more for themselves.
#
# The case format: a `case NAME` line, then any number of `setup` lines
# (shell, run in the project directory), one `run` line (shell; `promptasm`
# runs the program under test), `status N` and optionally `stderr ERE`
# and `report yes`.
# Each case starts from the same small project (see base_project below);
# $TOKENIZERS names the real tokenizer directory for setups that copy it.
# Run on its own: make && sh tests/run-hostile.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cat >"$bin/promptasm" <<WRAP
#!/bin/sh
exec ${VALGRIND:-} "$PROMPTASM" "\$@"
WRAP
chmod +x "$bin/promptasm"

# GNU time on PATH measures the memory; without it that check is skipped.
gnu_time=
for d in $(printf '%s' "$PATH" | tr ':' ' '); do
	if [ -x "$d/time" ] && "$d/time" -o /dev/null -f %M true 2>/dev/null; then
		gnu_time=$d/time
		break
	fi
done
limit_kb=204800
measure=1
if [ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}${VALGRIND:-}" ]; then
	measure=0
elif [ -z "$gnu_time" ]; then
	measure=0
	skip "the memory limit of every case" "GNU time" "apt-get install time"
fi


base_project() {
	mkdir -p "$1/proj/.git" "$1/proj/.claude/agents" "$1/proj/.claude/rules" \
		"$1/proj/.claude/agent-memory/a" "$1/home"
	printf -- '---\nname: a\ndescription: the agent\nmemory: project\n---\nYou review code.\n' \
		>"$1/proj/.claude/agents/a.md"
	printf '# Project\n\nUse make.\n' >"$1/proj/CLAUDE.md"
	printf '# Style\n\nShort functions.\n' >"$1/proj/.claude/rules/style.md"
	printf '# Notes\n\n- the build is make\n' >"$1/proj/.claude/agent-memory/a/MEMORY.md"
}

# Everything about the tree that a command could change, without opening
# anything that is not a regular file (a FIFO would block) or reading big
# files (a sparse 1 GB file).
snapshot() {
	(cd "$1" && find . -printf '%y %i %m %s %T@ %p -> %l\n' | sort &&
		find . -type f -size -8M -exec sha256sum {} + | sort)
}

fail() {
	echo "FAIL $name: $*"
	ok=0
}

run_case() {
	[ -n "$name" ] || return 0
	work=$(mktemp -d)
	base_project "$work"
	ok=1
	if ! (cd "$work/proj" && env -i PATH="$bin:/usr/bin:/bin" HOME="$work/home" \
		LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		TOKENIZERS="$PROMPTASM_TOKENIZERS" sh -c "$setup") >"$bin/setup.out" 2>&1; then
		fail "setup failed"
		sed 's/^/  /' "$bin/setup.out" | head -n 5
	fi
	snapshot "$work" >"$bin/before"
	null_before=$(ls -l /dev/null)
	rm -f "$bin/mem"
	if [ $measure -eq 1 ]; then
		timer="$gnu_time -o $bin/mem -f %M"
	else
		timer=""
	fi
	(cd "$work/proj" && env -i PATH="$bin:/usr/bin:/bin" HOME="$work/home" \
		LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		$timer timeout 20 sh -c "$cmd" >"$bin/out" 2>"$bin/err" </dev/null)
	status=$?
	if [ $status -eq 124 ]; then
		fail "did not end within 20 s"
	elif [ "$status" -ne "$want_status" ]; then
		fail "exit status $status, expected $want_status"
	fi
	if [ -n "$want_err" ] && ! grep -E -q -e "$want_err" "$bin/err"; then
		fail "standard error does not match /$want_err/"
	fi
	if [ "$want_status" -ge 2 ] && [ -s "$bin/out" ] && [ "$want_report" != yes ]; then
		fail "output on standard output although it failed"
	fi
	if [ $ok -eq 0 ]; then
		sed 's/^/  stderr: /' "$bin/err" | head -n 5
	fi
	snapshot "$work" >"$bin/after"
	if ! cmp -s "$bin/before" "$bin/after"; then
		fail "the tree changed"
		diff "$bin/before" "$bin/after" | head -n 6
	fi
	if [ "$(ls -l /dev/null)" != "$null_before" ]; then
		fail "/dev/null changed: $(ls -l /dev/null)"
	fi
	if [ $measure -eq 1 ] && [ -s "$bin/mem" ]; then
		kb=$(tail -n 1 "$bin/mem")
		case $kb in
		*[!0-9]*|'') ;;
		*) [ "$kb" -le $limit_kb ] || fail "used $kb KB of memory (limit $limit_kb)" ;;
		esac
	fi
	if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}

name=
nl='
'
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	''|'#'*) continue ;;
	esac
	key=${line%% *}
	rest=${line#* }
	case $key in
	case)
		run_case
		name=$rest setup=: cmd= want_status=0 want_err= want_report= ;;
	setup) setup="$setup$nl$rest" ;;
	run) cmd=$rest ;;
	status) want_status=$rest ;;
	stderr) want_err=$rest ;;
	report) want_report=$rest ;;
	*) echo "bad line in cases: $line"; failed=$((failed + 1)) ;;
	esac
done <"$here/hostile/cases"
run_case

summary
