#!/bin/sh
# One discovery per run: every agent command (build, context, check,
# explain, agents) opens each settings file once, whatever paths of the
# program read it (the session, the main session, the agent list, the
# whole-context estimate).  Run under strace on a fixture with settings at
# every level: the user's ~/.claude/settings.json, the project's
# .claude/settings.json and .claude/settings.local.json, the managed
# policy (--managed-file DIR/CLAUDE.md: DIR/managed-settings.json),
# .promptasm.yaml and the user's promptasm config.  A file opened twice
# fails, and names the command and the count.
#
# Then the roots and the ignore files are decided once for the run (one
# look at each .git, one open of each ignore file), and the config's
# `load:` applies to every command, not only to build:
# a `load: {user: false}` in .promptasm.yaml leaves the user's CLAUDE.md
# out of each command's output.
#
# Needs strace (skipped without it).  Run on its own: sh tests/suites/run-opens.sh
# (after make).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home=$work/home
proj=$work/proj
mkdir -p "$home/.claude" "$home/.config/promptasm" "$proj/.git" \
	"$proj/.claude/agents" "$proj/pkg" "$work/managed"
echo '{"model": "claude-sonnet-4-5"}' >"$home/.claude/settings.json"
echo 'user marker UQZX' >"$home/.claude/CLAUDE.md"
printf 'load:\n  approve_imports: true\n' >"$home/.config/promptasm/config.yaml"
echo '{"env": {"PROMPTASM_TEST": "1"}}' >"$proj/.claude/settings.json"
echo '{}' >"$proj/.claude/settings.local.json"
echo '{}' >"$work/managed/managed-settings.json"
echo 'managed policy' >"$work/managed/CLAUDE.md"
printf 'budget: 50000\n' >"$proj/.promptasm.yaml"
printf -- '---\nname: rev\ndescription: reviews\n---\nYou review.\n' \
	>"$proj/.claude/agents/rev.md"
echo '# the project' >"$proj/CLAUDE.md"

files="$home/.claude/settings.json $proj/.claude/settings.json
$proj/.claude/settings.local.json $work/managed/managed-settings.json
$proj/.promptasm.yaml $home/.config/promptasm/config.yaml"

# run NAME ARGS...: the command in the project, with the fixture's home.
run() {
	(cd "$proj" && HOME=$home XDG_CONFIG_HOME= CLAUDE_CONFIG_DIR= \
		"$PROMPTASM" "$@")
}

# LeakSanitizer cannot run under ptrace: under `make check` the leaks are
# the other suites' to find.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS

if ! have strace; then
	for c in build context check explain agents; do
		skip "opens of settings files by $c" strace "apt-get install strace"
	done
else
	for c in "build rev" "context" "check" "explain rev" "agents"; do
		# agents takes no --managed-file: it reads no managed policy.
		m="--managed-file $work/managed/CLAUDE.md"
		[ "$c" = agents ] && m=
		# shellcheck disable=SC2086
		(cd "$proj" && HOME=$home XDG_CONFIG_HOME= CLAUDE_CONFIG_DIR= \
			strace -f -qq -e trace=open,openat,openat2 -o "$work/trace" \
			"$PROMPTASM" $c $m >"$work/out" 2>"$work/err")
		st=$?
		name=${c%% *}
		if [ "$st" -ne 0 ] || ! [ -s "$work/trace" ]; then
			echo "FAIL $name: exit status $st"
			sed 's/^/  /' "$work/err" | head -n 5
			failed=$((failed + 1))
			continue
		fi
		bad=
		for f in $files; do
			n=$(grep -c -F "\"$f\"" "$work/trace")
			[ "$n" -gt 1 ] && bad="$bad $f opened $n times;"
		done
		if [ -n "$bad" ]; then
			echo "FAIL $name: each settings file opened once:$bad"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	done
fi

# The other agent CLIs: each of their configuration files and each
# instruction file is opened once per run, whatever the number of CLIs and
# of directories each may start in (check loads every CLI once per start
# directory: here the root, a, a/deep, b and c), Claude Code's own
# discovery included (it reads CLAUDE.md, as Copilot does, and AGENTS.md
# where there is no CLAUDE.md).
oproj=$work/oproj
mkdir -p "$home/.codex" "$home/.gemini" "$home/.config/opencode" \
	"$home/.qwen" "$home/.pi/agent" "$oproj/.git" "$oproj/.gemini" \
	"$oproj/.qwen" "$oproj/.github" "$oproj/a/deep" "$oproj/b" "$oproj/c"
printf 'project_doc_max_bytes = 65536\n' >"$home/.codex/config.toml"
echo '{"context": {"fileName": ["GEMINI.md", "AGENTS.md"]}}' \
	>"$home/.gemini/settings.json"
echo '{}' >"$oproj/.gemini/settings.json"
echo '{}' >"$home/.config/opencode/opencode.json"
echo '{}' >"$oproj/opencode.json"
echo '{}' >"$home/.qwen/settings.json"
echo '{}' >"$oproj/.qwen/settings.json"
echo '{}' >"$home/.pi/agent/settings.json"
echo '# copilot' >"$oproj/.github/copilot-instructions.md"
echo '# user codex' >"$home/.codex/AGENTS.md"
echo '# user gemini' >"$home/.gemini/GEMINI.md"
echo '# user qwen' >"$home/.qwen/QWEN.md"
for d in "" /a /a/deep; do echo "# agents $d" >"$oproj$d/AGENTS.md"; done
for d in "" /b; do echo "# gemini $d" >"$oproj$d/GEMINI.md"; done
for d in "" /c; do echo "# qwen $d" >"$oproj$d/QWEN.md"; done
for d in "" /b; do echo "# claude $d" >"$oproj$d/CLAUDE.md"; done
ofiles="$home/.codex/config.toml $home/.gemini/settings.json
$oproj/.gemini/settings.json $home/.config/opencode/opencode.json
$oproj/opencode.json $home/.qwen/settings.json $oproj/.qwen/settings.json
$home/.pi/agent/settings.json $oproj/.github/copilot-instructions.md
$home/.codex/AGENTS.md $home/.gemini/GEMINI.md $home/.qwen/QWEN.md
$oproj/AGENTS.md $oproj/a/AGENTS.md $oproj/a/deep/AGENTS.md
$oproj/GEMINI.md $oproj/b/GEMINI.md $oproj/QWEN.md $oproj/c/QWEN.md
$oproj/CLAUDE.md $oproj/b/CLAUDE.md"
if ! have strace; then
	skip "opens of the other CLIs' files" strace "apt-get install strace"
else
	for c in "check --harness all --allow-no-agents" "context --harness all -f text" \
		"build --harness codex"; do
		# shellcheck disable=SC2086
		(cd "$oproj" && HOME=$home XDG_CONFIG_HOME= CLAUDE_CONFIG_DIR= \
			strace -f -qq -e trace=open,openat,openat2 -o "$work/trace" \
			"$PROMPTASM" $c --no-managed >"$work/out" 2>"$work/err")
		st=$?
		# check: over the budget (1) still opened everything
		case $c in check*) [ "$st" -eq 1 ] && st=0 ;; esac
		if [ "$st" -ne 0 ] || ! [ -s "$work/trace" ]; then
			echo "FAIL $c: exit status $st"
			sed 's/^/  /' "$work/err" | head -n 5
			failed=$((failed + 1))
			continue
		fi
		bad=
		for f in $ofiles; do
			n=$(grep -c -F "\"$f\"" "$work/trace")
			# check reads every one of them; the others some, once
			case $c in check*) [ "$n" -eq 0 ] && n=none ;; esac
			[ "$n" != 0 ] && [ "$n" != 1 ] &&
				bad="$bad ${f#"$work"/} opened $n times;"
		done
		if [ -n "$bad" ]; then
			echo "FAIL $c: each file of the other CLIs opened once:$bad"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	done
fi

# The roots and the ignore files, decided once: one `check --harness all`
# on a repository with several CLIs' files in nested directories, a
# .gitignore at the root and below it and .git/info/exclude looks at
# each `.git` once (a stat of any kind: the root rules of every CLI and
# start directory, Claude Code's project root, check's paths) and opens
# each ignore file once (the start directories' walk, Gemini's directory
# tree of each load).
rproj=$work/rproj
mkdir -p "$rproj/.git/info" "$rproj/a/deep" "$rproj/b" "$rproj/c" "$rproj/build" \
	"$rproj/.claude/agents" "$rproj/.clinerules"
printf 'build/\n' >"$rproj/.gitignore"
printf 'tmp/\n' >"$rproj/a/.gitignore"
printf 'dist/\n' >"$rproj/.git/info/exclude"
for d in "" /a /a/deep /build; do echo "# agents $d" >"$rproj$d/AGENTS.md"; done
for d in "" /b; do echo "# gemini $d" >"$rproj$d/GEMINI.md"; done
for d in "" /c; do echo "# qwen $d" >"$rproj$d/QWEN.md"; done
echo '# claude' >"$rproj/CLAUDE.md"
echo '# rule' >"$rproj/.clinerules/r.md"
printf -- '---\nname: rev\ndescription: reviews\n---\nYou review.\n' \
	>"$rproj/.claude/agents/rev.md"
if ! have strace; then
	skip "one look at each .git and one open of each ignore file" strace "apt-get install strace"
else
	(cd "$rproj" && HOME=$home XDG_CONFIG_HOME= CLAUDE_CONFIG_DIR= \
		strace -f -qq -e trace=%file -o "$work/trace" \
		"$PROMPTASM" check --harness all --no-managed -q >"$work/out" 2>"$work/err")
	st=$?
	if [ "$st" -gt 1 ] || ! [ -s "$work/trace" ]; then
		echo "FAIL check --harness all: exit status $st"
		sed 's/^/  /' "$work/err" | head -n 5
		failed=$((failed + 1))
	else
		bad=
		# every .git of the walk up from each start directory
		for d in "" /a /a/deep /b /c; do
			n=$(grep -F "\"$rproj$d/.git\"" "$work/trace" | grep -c -v '^[0-9]* *open')
			[ "$n" -gt 1 ] && bad="$bad $d/.git looked at $n times;"
		done
		n=$(grep -F "\"$rproj/.git\"" "$work/trace" | grep -c -v '^[0-9]* *open')
		[ "$n" -eq 1 ] || bad="$bad /.git looked at $n times, want 1;"
		for f in .gitignore a/.gitignore .git/info/exclude; do
			n=$(grep -F "\"$rproj/$f\"" "$work/trace" | grep -c '^[0-9]* *open')
			[ "$n" -eq 1 ] || bad="$bad $f opened $n times, want 1;"
		done
		if [ -n "$bad" ]; then
			echo "FAIL check --harness all: the roots and ignore files decided once:$bad"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	fi
fi

# The config's load: for every command: the user's CLAUDE.md left out.
printf 'load:\n  user: false\n' >"$proj/.promptasm.yaml"
for c in "build rev" "context" "explain rev" "check --format json" \
	"agents --format json"; do
	name=${c%% *}
	# shellcheck disable=SC2086
	run $c --no-managed >"$work/out" 2>"$work/err"
	if grep -q 'UQZX\|\.claude/CLAUDE\.md' "$work/out"; then
		echo "FAIL $name: the config's load: {user: false} does not apply:"
		grep 'UQZX\|\.claude/CLAUDE\.md' "$work/out" | head -n 3 | sed 's/^/  /'
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
# ... and the user's file is there without it (the check can fail).
printf 'budget: 50000\n' >"$proj/.promptasm.yaml"
run context --no-managed >"$work/out" 2>"$work/err"
if grep -q '\.claude/CLAUDE\.md' "$work/out"; then
	passed=$((passed + 1))
else
	echo "FAIL context: the user's CLAUDE.md is not named without load:"
	failed=$((failed + 1))
fi

summary
