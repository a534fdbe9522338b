#!/bin/sh
# Hostile inputs: `promptasm check` runs in CI on repositories anyone may
# have written, so every file of a project may be an attack.  Each case of
# tests/hostile/cases builds its hostile tree in a fresh directory and runs
# one command, which must
#
#   - end: it runs under `timeout 20` (a hang fails; no other timing is
#     checked, speed lives in `make bench`); HOSTILE_TIMEOUT sets another
#     number of seconds: the npm package's tests give it 100, as Node's
#     file calls take about 5 times the native ones (a CLAUDE.md of
#     100,000 imports: 1.5 s of CPU, natively 0.3), which on a loaded
#     machine took more than 20 s;
#   - exit with the expected status, and say why on standard error (the
#     case's `stderr` pattern, which names the file);
#   - write nothing on standard output when it fails (status 2 or 3),
#     unless the case says `report yes`: check writes its report even when
#     agent files do not load (exit 2), so that CI shows every problem;
#   - modify nothing: the types, inodes, sizes, times and (below 8 MB)
#     contents of the whole work directory are the same before and after;
#   - stay under 200 MB of memory (maximum resident set size, measured by
#     GNU time: skipped without it), except under a sanitizer or valgrind,
#     which need far more for themselves.  HOSTILE_MEMORY_MB sets another
#     limit: the npm package's tests (tests/npm/run.sh) run this suite on
#     the package with 300, for Node's own 60 MB and WebAssembly's memory,
#     which only grows (a buffer that doubles is copied, where natively
#     its pages are moved), so that reading up to a 64 MiB limit peaks at
#     about 260 MB there and 140 MB natively.
#
# The case format: a `case NAME` line, then any number of `setup` lines
# (shell, run in the project directory), one `run` line (shell; `promptasm`
# runs the program under test), `status N` and optionally `stderr ERE`
# and `report yes`.
# Each case starts from the same small project (see base_project below);
# $TOKENIZERS names the real tokenizer directory for setups that copy it.
# Run on its own: make && sh tests/suites/run-hostile.sh (see tests/lib.sh).
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

# GNU time on PATH measures the memory; without it that check is skipped.
gnu_time=
for d in $(printf '%s' "$PATH" | tr ':' ' '); do
	if [ -x "$d/time" ] && "$d/time" -o /dev/null -f %M true 2>/dev/null; then
		gnu_time=$d/time
		break
	fi
done
limit_kb=$((${HOSTILE_MEMORY_MB:-200} * 1024))
hang=${HOSTILE_TIMEOUT:-20}
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
		$timer timeout "$hang" sh -c "$cmd" >"$bin/out" 2>"$bin/err" </dev/null)
	status=$?
	if [ $status -eq 124 ]; then
		fail "did not end within $hang s"
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

# ---- Hostile output (tests/hostile/output) ----
#
# Each case's project is run through every command and format below (and
# count, which names the files it is given); each run is one test.  What is checked of an output (clean_output):
#   - it is valid UTF-8 (iconv);
#   - no byte below 0x20 but LF and TAB, no DEL (so no ESC, no CR: the
#     runner splits lines at CR), no C1 control (U+0080-U+009F), no NUL,
#     no character that reorders or hides text (util.h);
#   - no `##[` (GitHub's older workflow commands, read anywhere in a line);
#   - no line starting with `::` after white space (what the runner trims,
#     no-break and ideographic spaces included), but in --format github
#     the annotations promptasm writes: `::error|warning|notice`, then the
#     properties file, line, col and title=promptasm check;
#   - JSON parses (jq), JUnit XML parses (xmllint) when the output is not
#     empty; without jq or xmllint that check is counted as skipped;
#   - with `maxline N`, no line of a text output is longer than N bytes
#     (kind markdown is text without that limit: the summary of every
#     agent CLI's rows is one line of some 600 bytes whatever the names).
c0=$(printf '[\001-\010\013-\037\177]')
c1=$(printf '\302[\200-\237]')
# Characters that reorder or hide text (util.h): U+2028 and U+2029, format
# characters and default-ignorable code points (the bidirectional controls,
# zero-width characters and joiners, the byte order mark, U+00AD,
# U+2060-U+206F, U+180B-U+180F, variation selectors, Hangul fillers, the
# tag characters and the rest of U+E0000-U+E0FFF, U+0600-U+0605,
# U+FFF0-U+FFFB, the musical symbol formats).  The unit test of quote.c
# walks every such code point; this is the same list in bytes.
hidden=$(printf '\330[\200-\205\234]|\302\255|\315\217|\333\235|\334\217|\341\205[\237\240]|\341\236[\264\265]|\341\240[\213-\217]|\342\200[\213-\217\250-\256]|\342\201[\240-\257]|\343\205\244|\357\270[\200-\217]|\357\273\277|\357\276\240|\357\277[\260-\273]|\360\235\205[\263-\272]|\363\240[\200-\277][\200-\277]')
# The white space .NET's TrimStart removes that a printer could leave raw.
ws=$(printf '( |\t|\302\240|\341\232\200|\342\200[\200-\212]|\342\200\257|\342\201\237|\343\200\200)')
annotation='^::(error|warning|notice) (file=[^,:]*,line=[0-9]+,(col=[0-9]+,)?)?title=promptasm check::'

# clean_output FILE KIND: prints what is wrong with FILE, nothing if clean.
clean_output() {
	f=$1
	[ -s "$f" ] || return 0
	iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || echo "not valid UTF-8"
	LC_ALL=C tr -d '\000' <"$f" | cmp -s - "$f" || echo "a NUL byte"
	if [ "$2" = github ]; then
		LC_ALL=C grep -v -E -e "$annotation" "$f"
	else
		cat "$f"
	fi | LC_ALL=C grep -n -E -e "$c0" -e "$c1" -e "$hidden" -e '##\[' -e "^$ws*::" |
		head -n 2 | cut -c 1-200 | cat -v |
		sed 's/^/a control or hidden character, ##[ or a leading "::": /'
	if [ "$2" = github ]; then
		LC_ALL=C grep -E -e "$annotation" "$f" |
			LC_ALL=C grep -n -E -e "$c0" -e "$c1" -e "$hidden" -e '##\[' |
			head -n 2 | cut -c 1-200 | cat -v | sed 's/^/an annotation: /'
	fi
	case $2 in
	json)
		if command -v jq >/dev/null 2>&1; then
			jq -e . "$f" >/dev/null 2>&1 || echo "not JSON"
		else
			echo skip
		fi ;;
	junit)
		if command -v xmllint >/dev/null 2>&1; then
			xmllint --noout "$f" >/dev/null 2>&1 || echo "not XML"
		else
			echo skip
		fi ;;
	esac
	if [ -n "$maxline" ] && [ "$2" = text ]; then
		awk -v max="$maxline" 'length($0) > max { print "a line of " length($0) " bytes (at most " max ")"; exit }' "$f"
	fi
}

# The commands: LABEL KIND (of stdout) COMMAND.  $agent is the case's;
# $others names every agent CLI but Claude Code, whose reports (clis_out.c)
# print the files each reads: Copilot reads .claude/rules/ and CLAUDE.md,
# so one CLI is enough where a format holds one.
others=codex,copilot,gemini,opencode,qwen,pi,cline,kilo
commands='agents text promptasm agents
agents-json json promptasm agents -f json
agents-quiet quiet promptasm agents -q
agents-listing text promptasm agents --listing
build prompt promptasm build --no-managed "$agent"
build-json json promptasm build --no-managed -f json "$agent"
build-quiet quiet-prompt promptasm build --no-managed -q "$agent"
build-html html promptasm build --no-managed -f html "$agent"
explain text promptasm explain --no-managed -b 5 "$agent"
explain-json json promptasm explain --no-managed -b 5 -f json "$agent"
explain-html html promptasm explain --no-managed -b 5 -f html "$agent"
check text promptasm check --no-managed -b 5
check-json json promptasm check --no-managed -b 5 -f json
check-markdown text promptasm check --no-managed -b 5 -f markdown
check-junit junit promptasm check --no-managed -b 5 -f junit
check-github github promptasm check --no-managed -b 5 -f github
check-html html promptasm check --no-managed -b 5 -f html
check-skip text promptasm check --no-managed -b 5 --skip-invalid
check-skip-json json promptasm check --no-managed -b 5 --skip-invalid -f json
check-skip-markdown text promptasm check --no-managed -b 5 --skip-invalid -f markdown
check-skip-junit junit promptasm check --no-managed -b 5 --skip-invalid -f junit
check-skip-github github promptasm check --no-managed -b 5 --skip-invalid -f github
check-skip-html html promptasm check --no-managed -b 5 --skip-invalid -f html
check-quiet quiet promptasm check --no-managed -b 5 --skip-invalid -q
check-context text promptasm check --no-managed -b 5 --budget-context
check-clis text promptasm check --no-managed -b 1000 --harness gemini
clis-check-json json promptasm check --no-managed -b 1000 --harness all --skip-invalid -f json
clis-check-markdown markdown promptasm check --no-managed -b 1000 --harness all --skip-invalid -f markdown
clis-check-junit junit promptasm check --no-managed -b 1000 --harness all --skip-invalid -f junit
clis-check-github github promptasm check --no-managed -b 1000 --harness all --skip-invalid -f github
clis-check-html html promptasm check --no-managed -b 1000 --harness all --skip-invalid -f html
clis-explain text promptasm explain --no-managed --harness $others
clis-explain-html html promptasm explain --no-managed --harness copilot -f html
clis-build-json json promptasm build --no-managed --harness copilot -f json
clis-build-html html promptasm build --no-managed --harness copilot -f html
clis-context text promptasm context --no-managed --harness $others
clis-context-json json promptasm context --no-managed --harness copilot -f json
clis-context-markdown text promptasm context --no-managed --harness $others -f markdown
context text promptasm context --no-managed
context-json json promptasm context --no-managed -f json
context-markdown text promptasm context --no-managed -f markdown
context-html html promptasm context --no-managed -f html
count text promptasm count CLAUDE.md .claude/rules/* .claude/agents/*
count-json json promptasm count -f json CLAUDE.md .claude/rules/* .claude/agents/*
count-tree text promptasm count --no-ignore .'

# judge NAME: what is wrong with $bin/out and $bin/err for kind $kind.
judge() {
	case $kind in
	prompt) problems= ;;
	quiet*)
		problems=
		[ "$kind" = quiet-prompt ] || problems=$(clean_output "$bin/out" text)
		if grep -q -E '^promptasm: (warning|note): ' "$bin/err"; then
			problems="$problems
-q left a warning or note on standard error"
		fi ;;
	*) problems=$(clean_output "$bin/out" "$kind") ;;
	esac
	err_problems=$(clean_output "$bin/err" text)
	if [ -n "$err_problems" ]; then
		problems="$problems
$(echo "$err_problems" | sed 's/^/stderr: /')"
	fi
	problems=$(echo "$problems" | sed '/^$/d')
	if [ "$status" -ge 124 ]; then
		problems="$problems
exit status $status (a crash or a hang)"
	fi
	if [ "$problems" = skip ]; then
		skipped=$((skipped + 1))
		echo "SKIP $1: jq or xmllint is not installed"
	elif [ -n "$(echo "$problems" | grep -v '^skip$')" ]; then
		failed=$((failed + 1))
		echo "FAIL $1:"
		echo "$problems" | grep -v '^skip$' | head -n 6 | sed 's/^/  /'
	else
		passed=$((passed + 1))
	fi
}

run_output_case() {
	[ -n "$name" ] || return 0
	work=$(mktemp -d)
	base_project "$work"
	if ! (cd "$work/proj" && env -i PATH="$bin:/usr/bin:/bin" HOME="$work/home" \
		LC_ALL=C sh -c "$setup") >"$bin/setup.out" 2>&1; then
		failed=$((failed + 1))
		echo "FAIL output/$name: setup failed"
		sed 's/^/  /' "$bin/setup.out" | head -n 5
	fi
	echo "$commands" | while read -r label kind cmd; do
		(cd "$work/proj" && env -i PATH="$bin:/usr/bin:/bin" HOME="$work/home" \
			LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
			timeout "$hang" sh -c "agent=$agent; others=$others; $cmd" >"$bin/out" 2>"$bin/err" </dev/null)
		status=$?
		judge "output/$name/$label"
		echo "$passed $failed $skipped" >"$bin/tally"
	done
	read -r passed failed skipped <"$bin/tally"
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}

name=
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	''|'#'*) continue ;;
	esac
	key=${line%% *}
	rest=${line#* }
	case $key in
	case)
		run_output_case
		name=$rest setup=: agent=a maxline= ;;
	setup) setup="$setup$nl$rest" ;;
	agent) agent=$rest ;;
	maxline) maxline=$rest ;;
	*) echo "bad line in output: $line"; failed=$((failed + 1)) ;;
	esac
done <"$here/hostile/output"
run_output_case

summary
