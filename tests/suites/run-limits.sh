#!/bin/sh
# What promptasm reads and how far: the link rule for every file of the
# loading order, limits that fail closed, bounded output and memory, and
# errors that name their file (issue 34).  The hostile trees of
# run-hostile.sh are about time and refusal; these cases each need a
# command of their own (a second run with approval, a resource limit, a
# parsed report), so they are written out here.
#
# Each case builds a small project in a fresh directory ($w/proj, with
# HOME at $w/home and a file outside both at $w/outside/secret holding a
# marker) and checks what a command printed.  A case that needs a program
# the machine lacks is counted as skipped, by name.
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
: "${PROMPTASM:?}"
: "${PROMPTASM_TOKENIZERS:?}"
passed=0
failed=0
skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $case: $*"
}
skip() {
	skipped=$((skipped + 1))
	echo "SKIP $case: $*"
}

# A fresh project: agent a (project memory, the skill s), CLAUDE.md, a rule.
new_project() {
	w=$(mktemp -d "$tmp/w.XXXXXX")
	mkdir -p "$w/proj/.git" "$w/proj/.claude/agents" "$w/proj/.claude/rules" \
		"$w/proj/.claude/agent-memory/a" "$w/proj/.claude/skills/s" \
		"$w/home/.claude" "$w/outside/dir"
	printf -- '---\nname: a\ndescription: the agent\nmemory: project\nskills: [s]\n---\nYou review code.\n' \
		>"$w/proj/.claude/agents/a.md"
	printf '# Notes\n\n- the build is make\n' >"$w/proj/.claude/agent-memory/a/MEMORY.md"
	printf -- '---\nname: s\ndescription: a skill\n---\nSkill text.\n' \
		>"$w/proj/.claude/skills/s/SKILL.md"
	printf 'aws_secret_access_key = OUTSIDE-SECRET-1234\n' >"$w/outside/secret"
	printf 'OUTSIDE-SECRET-1234\n' >"$w/outside/dir/MEMORY.md"
	printf -- '---\nname: s\ndescription: a skill\n---\nOUTSIDE-SECRET-1234\n' \
		>"$w/outside/dir/SKILL.md"
}

# Runs `promptasm COMMAND --no-managed ARGS...` in the project with a
# clean environment; stdout to $w/out, stderr to $w/err, the status in $st.
pa() {
	_sub=$1
	shift
	(cd "$w/proj" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		${VALGRIND:-} "$PROMPTASM" "$_sub" --no-managed "$@") >"$w/out" 2>"$w/err"
	st=$?
}

# 1 when the marker of the outside file is in the output or on stderr:
# as is, or in an HTML page whose tokens are each in an element of their
# own (the tags removed).
leaked() {
	grep -q OUTSIDE-SECRET "$w/out" "$w/err" ||
		sed 's/<[^>]*>//g' "$w/out" | grep -q OUTSIDE-SECRET
}

# ---- the link rule: nothing outside the project unless approved ----

# link_case NAME LINK TARGET WARNED: LINK (in the project, or ~/...) points
# at TARGET; WARNED is what the warning must name.
link_case() {
	case=$1
	new_project
	link=$2
	case $link in
	"~/"*) link="$w/home/${link#"~/"}" ;;
	*) link="$w/proj/$link" ;;
	esac
	mkdir -p "$(dirname "$link")"
	rm -rf "$link"
	ln -s "$w/outside/$3" "$link"
	for cmd in "build a" "explain a" "explain a --format json" \
		"explain a --format html" "check --budget 100000" \
		"check --budget 100000 --format html" "check --budget 100000 --format json" \
		"check --budget 100000 --format markdown" "check --budget 100000 --format junit" \
		"check --budget 100000 --format github"; do
		# shellcheck disable=SC2086
		pa $cmd
		if [ $st -gt 1 ]; then
			fail "'$cmd': status $st"
			sed 's/^/  /' "$w/err" | head -n 3
		elif leaked; then
			fail "'$cmd' printed text from outside the project"
		else
			ok
		fi
	done
	pa build a
	if [ $st -eq 0 ] && grep -q "$4.*leads out of" "$w/err"; then ok; else
		fail "build: status $st, want 0 and a warning naming $4"
		sed 's/^/  /' "$w/err" | head -n 5
	fi
	pa build --approve-imports a
	if [ $st -eq 0 ] && grep -q OUTSIDE-SECRET "$w/out"; then ok; else
		fail "build --approve-imports: status $st, the file was not loaded"
		sed 's/^/  /' "$w/err" | head -n 5
	fi
}

link_case link-claude-md CLAUDE.md secret CLAUDE.md
link_case link-claude-local CLAUDE.local.md secret CLAUDE.local.md
link_case link-dot-claude-md .claude/CLAUDE.md secret .claude/CLAUDE.md
link_case link-memory-file .claude/agent-memory/a/MEMORY.md secret \
	.claude/agent-memory/a/MEMORY.md
link_case link-memory-dir .claude/agent-memory/a dir .claude/agent-memory/a/MEMORY.md
link_case link-skill-dir .claude/skills/s dir .claude/skills/s/SKILL.md
link_case link-user-claude-md "~/.claude/CLAUDE.md" secret "~/.claude/CLAUDE.md"
link_case link-user-skill-dir "~/.claude/skills/s" dir "~/.claude/skills/s/SKILL.md"

# AGENTS.md is read only when no CLAUDE file is.
case=link-agents-md
new_project
ln -s "$w/outside/secret" "$w/proj/AGENTS.md"
pa build a
if [ $st -eq 0 ] && ! leaked &&
	grep -q "AGENTS.md.*leads out of" "$w/err"; then ok; else
	fail "build: status $st, want 0, no secret and a warning"
fi

# A link that stays in the project is followed, with no warning.
case=link-inside
new_project
printf 'SHARED-INSIDE\n' >"$w/proj/shared.md"
ln -s shared.md "$w/proj/CLAUDE.md"
pa build a
if [ $st -eq 0 ] && grep -q SHARED-INSIDE "$w/out" && ! grep -q "leads out" "$w/err"; then
	ok
else
	fail "build: status $st, the link inside the project was not loaded"
fi

# Not even approval reads /proc.
case=link-proc
new_project
ln -s /proc/self/environ "$w/proj/CLAUDE.md"
pa build --approve-imports a
if [ $st -eq 0 ] && grep -q "CLAUDE.md.*system file" "$w/err" &&
	! grep -q "PROMPTASM_TOKENIZERS" "$w/out"; then ok; else
	fail "build --approve-imports: status $st, want a refusal of /proc"
fi

# A monorepo checked with -C svc (the Action's `project:`), in a CI
# checkout under HOME: the repository root's CLAUDE.md, above the project,
# links to the runner's credentials.  Its place is the repository, not HOME.
case=link-monorepo-above-project
new_project
mkdir -p "$w/home/work/repo/.git" "$w/home/work/repo/svc/.claude/agents" "$w/home/.aws"
cp "$w/proj/.claude/agents/a.md" "$w/home/work/repo/svc/.claude/agents/"
cp "$w/outside/secret" "$w/home/.aws/credentials"
ln -s "$w/home/.aws/credentials" "$w/home/work/repo/CLAUDE.md"
printf 'SHARED-IN-REPO\n' >"$w/home/work/repo/shared.md"
ln -s ../shared.md "$w/home/work/repo/svc/CLAUDE.md"
for cmd in "build a" "check -b 100000 --format github" "explain a --format json"; do
	# shellcheck disable=SC2086
	(cd "$w/home/work/repo" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" ${VALGRIND:-} \
		"$PROMPTASM" $cmd --no-managed -C svc) >"$w/out" 2>"$w/err"
	st=$?
	if [ $st -eq 0 ] && ! leaked && grep -q "CLAUDE.md.*leads out of the repository" \
		"$w/err" "$w/out"; then ok; else
		fail "-C svc $cmd: status $st, want 0, no secret and a warning"
		sed 's/^/  /' "$w/err" | head -n 5
	fi
done

# ---- approval comes from the user, never from the repository ----

# A pull request's .promptasm.yaml approves its own import of a file
# outside: not applied, and every report says so at the key.
case=repo-approves-itself
new_project
printf 'See @../outside/secret for the keys.\n' >"$w/proj/CLAUDE.md"
printf 'budget: 100000\nload:\n  approve_imports: true\n' >"$w/proj/.promptasm.yaml"
for cmd in "build a" "explain a --format json" "check" "check --format json" \
	"check --format github" "check --format junit" "check --format markdown"; do
	# shellcheck disable=SC2086
	pa $cmd
	if [ $st -eq 0 ] && ! leaked && grep -q "approve_imports.*not applied" \
		"$w/err" "$w/out"; then ok; else
		fail "'$cmd': status $st, want 0, no secret and the approval refused"
		sed 's/^/  /' "$w/err" | head -n 5
	fi
done
pa check --format github
if grep -q '^::warning file=.promptasm.yaml,line=3,col=3,.*approve_imports' "$w/out"; then
	ok
else
	fail "check --format github: no annotation at .promptasm.yaml:3:3"
fi
pa check --strict
if [ $st -eq 1 ]; then ok; else fail "check --strict: status $st, want 1"; fi
# The user approves: in their own config (XDG_CONFIG_HOME, else ~/.config).
mkdir -p "$w/home/.config/promptasm"
printf 'load:\n  approve_imports: true\n' >"$w/home/.config/promptasm/config.yaml"
pa build a
if [ $st -eq 0 ] && grep -q OUTSIDE-SECRET "$w/out"; then ok; else
	fail "build with the user's config approving: status $st, not loaded"
fi
mv "$w/home/.config" "$w/xdg"
(cd "$w/proj" && env -i PATH=/usr/bin:/bin HOME="$w/home" XDG_CONFIG_HOME="$w/xdg" \
	LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" ${VALGRIND:-} \
	"$PROMPTASM" build --no-managed a) >"$w/out" 2>"$w/err"
if grep -q OUTSIDE-SECRET "$w/out"; then ok; else
	fail "build with \$XDG_CONFIG_HOME/promptasm/config.yaml approving: not loaded"
fi
# The user's config holds only approvals and what loads: a budget there
# is an error naming it, never silently a second project config.
mkdir -p "$w/home/.config/promptasm"
printf 'budget: 5\n' >"$w/home/.config/promptasm/config.yaml"
pa check
if [ $st -eq 2 ] && grep -q "config.yaml:1:1" "$w/err"; then ok; else
	fail "check with a budget in the user's config: status $st, want 2"
fi

# ---- limits fail closed: an error for check, named, unless --skip-invalid ----

# check_fails CASE WHAT: check exits 2 and names WHAT on stderr; with
# --skip-invalid it exits OK_STATUS ($3) and still names it (an agent file
# that does not load, once: in the text report's SKIPPED list, not again
# on stderr).
check_fails() {
	pa check -b 1000
	if [ $st -eq 2 ] && grep -q -- "$2" "$w/err"; then ok; else
		fail "check: status $st, want 2 and an error naming $2"
		sed 's/^/  /' "$w/err" | head -n 5
	fi
	pa check -b 1000 --skip-invalid
	if [ $st -eq "$3" ] && grep -q -- "$2" "$w/err" "$w/out"; then ok; else
		fail "check --skip-invalid: status $st, want $3 and $2 named"
		sed 's/^/  /' "$w/err" "$w/out" | head -n 8
	fi
}

# An over-budget agent deeper than the walk's limit is never silently
# passed over; one deeper than the old limit (32) is checked.
big_agent() { # FILE: an agent of about 2,000 tokens
	mkdir -p "$(dirname "$1")"
	{ printf -- '---\nname: deep\ndescription: d\n---\n'
	  i=0; while [ $i -lt 400 ]; do echo "word $i of the deep agent"; i=$((i + 1)); done
	} >"$1"
}
case=walk-depth-40
new_project
d=$w/proj/.claude/agents; i=0
while [ $i -lt 40 ]; do d=$d/d; i=$((i + 1)); done
big_agent "$d/deep.md"
pa check -b 1000
if [ $st -eq 1 ] && grep -q deep "$w/out"; then ok; else
	fail "check: status $st, want 1 (the agent 40 levels deep is over budget)"
	sed 's/^/  /' "$w/err" | head -n 5
fi
case=walk-depth-limit
new_project
d=$w/proj/.claude/agents; i=0
limit=$(sed -n 's/^#define PA_WALK_MAX_DEPTH \([0-9]*\).*/\1/p' "$here/../include/promptasm.h")
while [ $i -le "$limit" ]; do d=$d/d; i=$((i + 1)); done
big_agent "$d/deep.md"
check_fails walk-depth-limit "deeper than $limit levels" 0
# The walks for the directories where a CLI starts, and for the CLAUDE.md
# files loaded on demand, stopped by depth: the failure names that limit,
# not PA_WALK_MAX_ENTRIES (whose --max-entries cannot get past it).
case=walk-depth-start-dirs
new_project
d=$w/proj/src; i=0
while [ $i -le "$limit" ]; do d=$d/d; i=$((i + 1)); done
mkdir -p "$d"
echo 'Run make.' >"$d/AGENTS.md"
pa check --harness all
if [ $st -eq 2 ] && grep -q "codex: .*more than $limit levels.*(PA_WALK_MAX_DEPTH)" "$w/err" &&
	grep -q "on demand below it met a directory past PA_WALK_MAX_DEPTH" "$w/err" &&
	! grep -q -- "--max-entries\|after [0-9]* entries" "$w/err"; then ok; else
	fail "check --harness all: status $st, want 2 and the depth limit named"
	sed 's/^/  /' "$w/err" | head -n 5
fi

# The walk's limit (PA_WALK_MAX_ENTRIES, 2,000,000: issue 58) is lowered
# here by the config's max_entries, as a user raises it; the failure says
# how to raise it.
case=walk-entries
new_project
mkdir "$w/proj/.claude/agents/many"
(cd "$w/proj/.claude/agents/many" && i=0 && while [ $i -lt 1000 ]; do
	: >"n$i.txt"; i=$((i + 1)); done)
big_agent "$w/proj/.claude/agents/z/deep.md"
printf 'max_entries: 1000\n' >"$w/proj/.promptasm.yaml"
check_fails walk-entries "limit of 1000 directory entries; the rest is not read (raise it with --max-entries N or max_entries: N in .promptasm.yaml)" 0
# The pre-commit hook's mode: the agent the file defines lies past the
# limit, so it cannot be said to affect no agent.
pa check -b 1000 --affected .claude/agents/z/deep.md
if [ $st -eq 2 ] && grep -q "limit of 1000 directory entries" "$w/err"; then ok; else
	fail "check --affected: status $st, want 2 and the walk's limit named"
	sed 's/^/  /' "$w/err" | head -n 5
fi
# The flag wins over the config; without either, 1,000 entries are far
# from the default: the over-budget agent is found (1), no walk fails.
pa check -b 1000 --max-entries 5000
if [ $st -eq 1 ] && ! grep -q "limit of" "$w/err"; then ok; else
	fail "check --max-entries 5000: status $st, want 1 (the deep agent over budget)"
	sed 's/^/  /' "$w/err" | head -n 5
fi
rm "$w/proj/.promptasm.yaml"
pa check -b 1000
if [ $st -eq 1 ] && ! grep -q "limit of" "$w/err"; then ok; else
	fail "check with the default limit: status $st, want 1"
	sed 's/^/  /' "$w/err" | head -n 5
fi
pa check -b 1000 --max-entries 0
if [ $st -eq 2 ] && grep -q "max-entries needs a number" "$w/err"; then ok; else
	fail "--max-entries 0: status $st"
fi

case=name-with-nul
new_project
printf -- '---\nname: "a\\0other"\ndescription: d\n---\nSECOND\n' >"$w/proj/.claude/agents/b.md"
check_fails name-with-nul "b.md:2:7: agent's 'name' holds a NUL character" 0
pa build a
if [ $st -eq 0 ] && ! grep -q SECOND "$w/out"; then ok; else
	fail "build a: status $st, or b.md merged into agent a"
fi

case=path-too-long
new_project
long=$(printf '%0200d' 0)
(cd "$w/proj/.claude/rules" && i=0 && while [ $i -lt 22 ]; do
	mkdir "$long" && cd -P "$long" || exit 1; i=$((i + 1)); done && echo "# rule" >r.md)
# The C library's words: glibc's and the npm package's, or musl's "Filename
# too long".
check_fails path-too-long "File \{0,1\}name too long" 0

case=rule-name-not-utf8
new_project
printf '# rule\n' >"$w/proj/.claude/rules/$(printf 'r\351.md')"
# (The npm package cannot name such a file to Node, which takes paths as
# text: "Illegal byte sequence", src/npm/files.js.)
check_fails rule-name-not-utf8 "rules/r.*md.*\(not valid UTF-8\|Illegal byte sequence\)" 0
pa build a
if [ $st -eq 0 ] && grep -q "rules/r.*md.*\(not valid UTF-8\|Illegal byte sequence\)" "$w/err"; then ok; else
	fail "build: status $st, want 0 and a warning naming the rule"
	sed 's/^/  /' "$w/err" | head -n 5
fi

# Limits that ran away or failed open (issue 42).  claudeMdExcludes:
# every instruction file is matched against every pattern (25,000
# patterns and 3,000 rules ran past a minute); past the limit the rest is
# not read, and check says so.
case=excludes-limit
new_project
{ printf '{"claudeMdExcludes": ['
  i=0; while [ $i -le 1000 ]; do printf '"**/nothing-%d.md", ' $i; i=$((i + 1)); done
  printf '"**/last.md"]}\n'; } >"$w/proj/.claude/settings.json"
check_fails excludes-limit "claudeMdExcludes holds more than 1000 patterns" 0

# 10,001 skills: the listing stopped at 10,000 and check passed.  (The
# limit lowered to 1,000 by the config, as for walk-entries.)
case=skills-limit
new_project
(cd "$w/proj/.claude/skills" && i=0 && while [ $i -lt 1000 ]; do
	: >"n$i"; i=$((i + 1)); done)
printf 'max_entries: 1000\n' >"$w/proj/.promptasm.yaml"
pa context
if [ $st -eq 2 ] && grep -q "skills: not read: .*limit of 1000 directory entries" "$w/err" &&
	[ -s "$w/out" ]; then ok; else
	fail "context: status $st, want 2, the report and the limit named"
	sed 's/^/  /' "$w/err" | head -n 5
fi
printf 'max_entries: 1000\nmain:\n  skills: 100000000\n' >"$w/proj/.promptasm.yaml"
check_fails skills-limit "limit of 1000 directory entries" 0

# Rules and agents that link to each other in a loop.
case=rule-link-loop
new_project
ln -s b.md "$w/proj/.claude/rules/a.md"
ln -s a.md "$w/proj/.claude/rules/b.md"
check_fails rule-link-loop "rules/a.md.*a loop of symbolic links" 0
case=agent-link-loop
new_project
ln -s y.md "$w/proj/.claude/agents/x.md"
ln -s x.md "$w/proj/.claude/agents/y.md"
check_fails agent-link-loop "agents/x.md.*a loop of symbolic links" 0

# A CLAUDE.md over 4 MiB: Claude Code 2.1.332 skips it too (oracle
# fixture large-4mib), so it is left out as Claude Code leaves it out:
# check passes, with a warning naming it, not as work left undone.
case=claude-md-over-limit
new_project
yes 'Use the make targets; keep functions short.' | head -c 4194305 >"$w/proj/CLAUDE.md"
pa check -b 100000
if [ $st -eq 0 ] && grep -q "CLAUDE.md: skipped: .*over the limit of 4 MiB (Claude Code skips it too)" \
	"$w/err"; then ok; else
	fail "check: status $st, want 0 and a warning naming CLAUDE.md"
	sed 's/^/  /' "$w/err" | head -n 5
fi
case=memory-over-limit
new_project
yes -- '- a fact' | head -c 4194305 >"$w/proj/.claude/agent-memory/a/MEMORY.md"
check_fails memory-over-limit "MEMORY.md: .*over the limit of 4 MiB" 0

# ---- errors that tell the truth ----

# A rule file that cannot be read is not called an agent file, in any
# report.
case=rule-not-agent-file
new_project
printf '# rule\n' >"$w/proj/.claude/rules/$(printf 'r\351.md')"
for f in text markdown github junit; do
	pa check -b 1000 --format $f
	if [ $st -eq 2 ] && grep -q 'rules/r.*\(not valid UTF-8\|Illegal byte sequence\)' "$w/out" &&
		! grep -qi 'agent file' "$w/out"; then ok; else
		fail "check --format $f: status $st, the rule is called an agent file"
		grep -i 'agent file' "$w/out" | head -n 3
	fi
done

# A working directory whose path is longer than PATH_MAX: the message
# says so, not "Not a directory".
case=cwd-too-long
new_project
long=$(printf '%0200d' 0)
(cd "$w/proj" && i=0 && while [ $i -lt 22 ]; do
	mkdir "$long" && cd -P "$long" || exit 1; i=$((i + 1)); done &&
	env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C \
	PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" ${VALGRIND:-} "$PROMPTASM" \
	build --no-managed a) >"$w/out" 2>"$w/err"
st=$?
if [ $st -eq 2 ] && grep -q "longer than the system allows" "$w/err" &&
	! grep -q "Not a directory" "$w/err"; then ok; else
	fail "build in a 4,400-byte directory: status $st, want 2 and the path's length named"
	sed 's/^/  /' "$w/err" | head -n 3
fi

# A working directory whose name is Latin-1: the fault is the directory's
# name, not the valid MEMORY.md in it.
case=latin1-directory
new_project
sub=$w/proj/$(printf 'sub\351')
mkdir -p "$sub/.claude/agent-memory/a"
printf 'fine\n' >"$sub/.claude/agent-memory/a/MEMORY.md"
(cd "$sub" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C \
	PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" ${VALGRIND:-} "$PROMPTASM" \
	build --no-managed a) >"$w/out" 2>"$w/err"
st=$?
if [ $st -eq 0 ] && grep -q "memory directory is not valid UTF-8" "$w/err" &&
	! grep -q "invalid UTF-8 in" "$w/err"; then ok; else
	fail "build: status $st, want 0 and the directory's name blamed"
	sed 's/^/  /' "$w/err" | head -n 5
fi

# A deleted working directory is reported as such, not as "Invalid argument".
case=deleted-cwd
new_project
mkdir "$w/gone"
(cd "$w/gone" && rmdir "$w/gone" && env -i PATH=/usr/bin:/bin HOME="$w/home" \
	LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" ${VALGRIND:-} \
	"$PROMPTASM" build a) >"$w/out" 2>"$w/err"
st=$?
if [ $st -eq 2 ] && grep -q "No such file or directory" "$w/err"; then ok; else
	fail "build: status $st, want 2 and 'No such file or directory'"
	sed 's/^/  /' "$w/err" | head -n 5
fi

# ---- bounded by design: out of memory and a full disk end cleanly ----

# Under a small address-space limit (ulimit -v) every run ends with a
# message and status 3 (or succeeds), never abort() (status 134).  A
# sanitizer or valgrind reserves far more address space for itself.
case=out-of-memory
if [ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}${VALGRIND:-}" ]; then
	skip "address-space limits do not apply under a sanitizer or valgrind"
else
	new_project
	yes 'a line of the big instruction file' | head -c 4000000 >"$w/proj/CLAUDE.md"
	seen3=0
	for kb in 12000 16000 24000 32000 48000 64000 96000; do
		for cmd in "build a" "check -b 100000" "explain a --format html"; do
			# shellcheck disable=SC2086
			(ulimit -v $kb && cd "$w/proj" && env -i PATH=/usr/bin:/bin \
				HOME="$w/home" LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
				"$PROMPTASM" $cmd --no-managed >/dev/null 2>"$w/err")
			st=$?
			if [ $st -eq 3 ] && grep -q "^promptasm: out of memory" "$w/err"; then
				seen3=$((seen3 + 1))
			elif [ $st -gt 3 ]; then
				fail "'$cmd' under ulimit -v $kb: status $st"
				sed 's/^/  /' "$w/err" | head -n 3
			fi
		done
	done
	if [ $seen3 -gt 0 ]; then ok; else
		fail "no run ran out of memory: the limits are too high to test it"
	fi
fi

# A file-size limit (ulimit -f) fails -o with a message and status 3, and
# leaves neither the file nor its temporary copy.
case=output-file-size-limit
new_project
yes 'a line of the big instruction file' | head -c 400000 >"$w/proj/CLAUDE.md"
(cd "$w/proj" && ulimit -f 64 && env -i PATH=/usr/bin:/bin HOME="$w/home" \
	LC_ALL=C PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" ${VALGRIND:-} \
	"$PROMPTASM" build --no-managed a -o "$w/outdir-file") >"$w/out" 2>"$w/err"
st=$?
if [ $st -eq 3 ] && grep -q "File too large" "$w/err"; then ok; else
	fail "build -o: status $st, want 3 and 'File too large'"
	sed 's/^/  /' "$w/err" | head -n 3
fi
if ls "$w"/outdir-file* >/dev/null 2>&1; then
	fail "build -o left $(ls "$w"/outdir-file*)"
else
	ok
fi

# check --format html shows a section several agents share once: 51
# agents sharing a 200 KB CLAUDE.md made a page of 51 copies of its
# tokens (about 30 MB; 148 MB with a 1 MB CLAUDE.md).
case=html-shared-section
new_project
yes -- '- use the make targets; keep functions short' | head -c 200000 >"$w/proj/CLAUDE.md"
i=1
while [ $i -le 50 ]; do
	printf -- '---\nname: b%d\ndescription: d\n---\nBody %d.\n' $i $i >"$w/proj/.claude/agents/b$i.md"
	i=$((i + 1))
done
# (The page has the views of the first 20 agents: HTML_CHECK_VIEWS.)
pa check -b 1000000 --format html -q
size=$(wc -c <"$w/out")
if [ $st -eq 0 ] && [ "$size" -lt 10000000 ] &&
	[ "$(grep -c 'data-same=' "$w/out")" -ge 19 ]; then ok; else
	fail "check --format html: status $st, $size bytes, want under 10 MB and 19 links"
fi

# A MEMORY.md several agents share (by links) is read and cut once per
# run: each agent still gets its text, and its own warnings; two files of
# the same size and time are not taken for one another.
case=memory-shared
new_project
mkdir -p "$w/proj/shared"
yes -- '- a fact the agents remember' | head -n 300 >"$w/proj/shared/MEMORY.md"
for n in b c; do
	printf -- '---\nname: %s\ndescription: d\nmemory: project\n---\nBody.\n' $n \
		>"$w/proj/.claude/agents/$n.md"
	mkdir -p "$w/proj/.claude/agent-memory/$n"
	ln -s ../../../shared/MEMORY.md "$w/proj/.claude/agent-memory/$n/MEMORY.md"
done
printf 'OTHER-MEMORY-A\n' >"$w/proj/.claude/agent-memory/a/MEMORY.md"
mkdir -p "$w/proj/.claude/agent-memory/d"
printf -- '---\nname: d\ndescription: d\nmemory: project\n---\nBody.\n' >"$w/proj/.claude/agents/d.md"
printf 'OTHER-MEMORY-D\n' >"$w/proj/.claude/agent-memory/d/MEMORY.md"
touch -r "$w/proj/.claude/agent-memory/a/MEMORY.md" "$w/proj/.claude/agent-memory/d/MEMORY.md"
pa check -b 100000 --format json
if [ $st -eq 0 ] && jq -e '[.agents[] | select(.name == "b" or .name == "c") |
	.sections[] | select(.kind == "memory") | .tokens] | length == 2 and .[0] == .[1] and .[0] > 1000' \
	"$w/out" >/dev/null &&
	grep -q "agent-memory/b/MEMORY.md was cut" "$w/err" &&
	grep -q "agent-memory/c/MEMORY.md was cut" "$w/err"; then ok; else
	fail "check: status $st, b and c should both have the shared memory, cut"
	sed 's/^/  /' "$w/err" | head -n 5
fi
pa check -b 100000 --format html
sed 's/<[^>]*>//g' "$w/out" >"$w/text"
if grep -q OTHER-MEMORY-D "$w/text" && grep -q OTHER-MEMORY-A "$w/text"; then ok; else
	fail "check --format html: a's and d's MEMORY.md were taken for one another"
fi

# ---- count DIR: every file counted or the run fails, never a skip ----

# pc ARGS...: `promptasm ARGS...` in the project (count takes no
# --no-managed); as pa does otherwise.
pc() {
	(cd "$w/proj" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		${VALGRIND:-} "$PROMPTASM" "$@") >"$w/out" 2>"$w/err"
	st=$?
}

# A file whose path passes PATH_MAX (4,096 bytes): 20 directories of 250
# bytes.  It was left out, and the count exited 0; every entry is now
# opened relative to its directory, so it is counted.
# (python3 makes it: a shell's cd goes by the whole path, past PATH_MAX.)
case=count-dir-deep-path
new_project
mkdir -p "$w/proj/deep"
if ! command -v python3 >/dev/null 2>&1; then
	skip "needs python3 to make the deep tree"
elif ! python3 -c 'import os, sys
os.chdir(sys.argv[1])
for i in range(20):
    os.mkdir("d" * 250)
    os.chdir("d" * 250)
with open("deep.txt", "w") as f:
    f.write("DEEPMARKER one two three\n")' "$w/proj/deep"; then
	fail "cannot make the deep tree"
fi
pc count -f json deep
if [ $st -eq 0 ] && jq -e '.files | length == 1 and (.[0].path | endswith("/deep.txt") and length > 5000)
	and .[0].tokens > 3' "$w/out" >/dev/null; then ok; else
	fail "status $st, $(head -c 300 "$w/out") $(head -c 300 "$w/err")"
fi
pc count deep
if [ $st -eq 0 ] && grep -q '^ *[0-9][0-9]* .*deep\.txt$' "$w/out" && ! grep -q '^ *0  deep/$' "$w/out"; then ok; else
	fail "tree: status $st, $(tail -n 2 "$w/out" | cut -c1-200) $(head -c 300 "$w/err")"
fi
# A file that cannot be read fails the run and is named (unless run as
# root, who reads it anyway).
if [ "$(id -u)" -ne 0 ]; then
	printf 'x\n' >"$w/proj/deep/secret.txt"
	chmod 000 "$w/proj/deep/secret.txt"
	pc count deep
	if [ $st -eq 2 ] && grep -q 'deep/secret\.txt: cannot open' "$w/err" && [ ! -s "$w/out" ]; then ok; else
		fail "an unreadable file: status $st, $(head -c 300 "$w/err")"
	fi
	chmod 644 "$w/proj/deep/secret.txt"
fi
rm -rf "$w/proj/deep"

# A directory the walk cannot open (here: out of file descriptors, one
# held per level) fails the run, named, quoted (an escape sequence in a
# name stays text), with nothing on standard output: never a skip.
case=count-dir-cannot-open
new_project
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import os, sys
os.chdir(sys.argv[1])
for i in range(40):
    n = "x\x1b]0;pwned\x07" if i == 5 else "d%d" % i
    os.mkdir(n)
    os.chdir(n)
with open("f.txt", "w") as f:
    f.write("hello\n")' "$w/proj"
	(ulimit -n 30 && pc count d0; exit $st)
	st=$?
	if [ $st -eq 2 ] && [ ! -s "$w/out" ] &&
		grep -q 'd0/d1/d2/d3/d4/x\\x1b\]0;pwned\\a/d6/.*: cannot read the directory' "$w/err" &&
		! grep -q "$(printf '\033')" "$w/err"; then ok; else
		fail "status $st, $(cat -v "$w/err" | head -c 300)"
	fi
else
	skip "needs python3 to make the tree"
fi

# Binaries of any size are shown as not text, judged from
# all of it: a 20 MB one aborted the count with exit 2.
# A text file over PA_INPUT_MAX_BYTES is counted in blocks.
case=count-dir-big-binary
new_project
mkdir -p "$w/proj/bin"
head -c 100000 /dev/urandom >"$w/proj/bin/small.bin"
{ printf 'PNG\0'; head -c 20000000 /dev/urandom; } >"$w/proj/bin/big.bin"
head -c 20000000 /dev/urandom >"$w/proj/bin/random.bin"
awk 'BEGIN { for (i = 0; i < 400000; i++) print "a line of text to count" }' >"$w/proj/bin/big.txt"
pc count bin
if [ $st -eq 0 ] && grep -q 'big\.bin  (not text)' "$w/out" && grep -q 'random\.bin  (not text)' "$w/out" &&
	grep -q 'small\.bin  (not text)' "$w/out" && grep -q '3 files not counted: not text' "$w/err" &&
	grep -q '^ *[0-9][0-9]*  .*big\.txt$' "$w/out"; then ok; else
	fail "status $st, $(cat "$w/out") $(head -c 300 "$w/err")"
fi
pc count bin/big.txt
want=$(cut -d' ' -f1 "$w/out")
pc count -f json bin
if [ $st -eq 0 ] && [ -n "$want" ] &&
	jq -e --argjson n "$want" '.files == [{"path": "bin/big.txt", "tokens": $n}] and .tokens == $n' "$w/out" >/dev/null; then ok; else
	fail "json: status $st, want big.txt's $want: $(head -c 300 "$w/out")"
fi

# ---- every read with a size limit, past it (issue 69) ----

# big_ignore FILE LAST: FILE of 17 MB of comments (git reads it whole,
# 16 MiB is promptasm's limit) whose last line is LAST.
big_ignore() {
	awk 'BEGIN { l = "#"; for (i = 0; i < 99; i++) l = l "x"; for (i = 0; i < 178258; i++) print l }' >"$1"
	printf '%s\n' "$2" >>"$1"
}

# count DIR: an ignore file past the limit leaves the files it ignores
# unknown: the count fails naming the file and the limit, not counting
# secret.txt with exit 0 as it did.  The repository's .gitignore, a
# subdirectory's (read during the walk), .git/info/exclude, and the
# .gitignore above a counted subdirectory.
for where in top sub exclude above; do
	case=count-dir-ignore-over-limit-$where
	new_project
	mkdir -p "$w/proj/.git/info" "$w/proj/d/e"
	echo 'the secret' >"$w/proj/d/e/secret.txt"
	echo 'kept' >"$w/proj/d/e/kept.txt"
	dirarg=.
	case $where in
	top) f=$w/proj/.gitignore; shown=.gitignore ;;
	sub) f=$w/proj/d/.gitignore; shown=d/.gitignore ;;
	exclude) f=$w/proj/.git/info/exclude; shown=info/exclude ;;
	above) f=$w/proj/d/.gitignore; shown=d/.gitignore; dirarg=d/e ;;
	esac
	big_ignore "$f" secret.txt
	pc count "$dirarg"
	if [ $st -eq 2 ] && ! grep -q secret "$w/out" && grep -q "$shown" "$w/err" &&
		grep -q '16 MiB' "$w/err"; then ok; else
		fail "status $st: $(head -c 300 "$w/out") $(head -c 300 "$w/err")"
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
