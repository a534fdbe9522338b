#!/bin/sh
# The GitHub Action (action.yml): its steps, src/ci/action.sh, run here as
# GitHub would run them, in a monorepo whose project is a subdirectory.
#
#   1. key, install (apt-get replaced by a recorder), build, with and
#      without a cached binary;
#   2. check on a push: annotations with a path from the repository root,
#      a table in the job summary, exit 1 for an agent over budget; a
#      project without agents fails unless allowed;
#   3. the pull-request path, with the inputs of the workflow that
#      docs/ci.md tells users to copy: the base commit counted
#      in a worktree, one comment created through a recorder of the GitHub
#      API on 127.0.0.1 (tests/action/recorder.py), then updated on the
#      next push, never duplicated; the comment names the file that grew,
#      with a hostile agent name and file name quoted; the annotation is
#      on the file that grew; each warning once in the log.
#
# Part 3 needs python3, curl, jq and git; without one it is skipped (named).
# Run on its own: make && sh tests/suites/run-action.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

tmp=$(mktemp -d)
rec_pid=
cleanup() {
	[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/fake" "$tmp/ws/services" "$tmp/runner"
for cmd in apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n[ "%s" = sudo ] && exec "$@"\nexit 0\n' \
		"$cmd" "$tmp" "$cmd" >"$tmp/fake/$cmd"
	chmod +x "$tmp/fake/$cmd"
done
cp -R "$root/examples/webshop" "$tmp/ws/services/webshop"
printf 'budget: 3000\n' >"$tmp/ws/services/webshop/.promptasm.yaml"
mkdir "$tmp/ws/.git"

# step NAME [VAR=VALUE...]: one step of action.yml, with the environment
# GitHub gives it: none of make's own variables, nor those make check sets
# on its command line, which make exports (they name the sanitizer build,
# and the build step would make that one, not the ./promptasm a runner
# gets).
step() {
	s=$1
	shift
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		-u BUILD -u PROGRAM -u CFLAGS -u SANITIZE PATH="$tmp/fake:$PATH" GITHUB_ACTION_PATH="$root" GITHUB_WORKSPACE="$tmp/ws" \
		GITHUB_STEP_SUMMARY="$tmp/summary.md" RUNNER_TEMP="$tmp/runner" \
		INPUT_PROJECT=services/webshop INPUT_BASELINE= INPUT_MAX_GROWTH= INPUT_ARGS= \
		INPUT_BASE= INPUT_COMMENT=true INPUT_ALLOW_NO_AGENTS=false INPUT_WARN_ONLY=false \
		INPUT_GITHUB_TOKEN= INPUT_HARNESS= \
		PULL_REQUEST= CACHE_HIT= GITHUB_OUTPUT= \
		PROMPTASM_TOKENIZERS="${PROMPTASM_TOKENIZERS:-$root/tokenizers}" \
		"$@" bash "$root/src/ci/action.sh" "$s"
}

# ---- 1. key, install, build ----

# The steps action.yml names are the ones action.sh has.
for s in key install build check; do
	if grep -q "action.sh\" $s\$" "$root/action.yml"; then ok; else fail "action.yml has no step '$s'"; fi
done

# The key is a hash of the sources: another source, another key; a
# compiled table is not a source.
mkdir -p "$tmp/act/src" "$tmp/act/include" "$tmp/act/tokenizers"
echo all: >"$tmp/act/Makefile"
echo 'int x;' >"$tmp/act/src/a.c"
echo t >"$tmp/act/tokenizers/t.yaml"
k1=$(step key GITHUB_ACTION_PATH="$tmp/act")
echo x >"$tmp/act/tokenizers/t.patab"
k2=$(step key GITHUB_ACTION_PATH="$tmp/act")
echo 'int y;' >"$tmp/act/src/a.c"
k3=$(step key GITHUB_ACTION_PATH="$tmp/act")
step key GITHUB_ACTION_PATH="$tmp/act" GITHUB_OUTPUT="$tmp/output" >/dev/null
case $k1 in promptasm-*-[0-9a-f]*) ok ;; *) fail "key: '$k1' is not a key" ;; esac
if [ "$k1" = "$k2" ] && [ "$k1" != "$k3" ]; then ok; else
	fail "key: want the same key for a table, another for a source: $k1 $k2 $k3"
fi
if [ "$(cat "$tmp/output")" = "key=$k3" ]; then ok; else fail "key: GITHUB_OUTPUT holds '$(cat "$tmp/output")'"; fi

step install >"$tmp/out" 2>&1
if grep -q "apt-get install .*libyaml-dev libutf8proc-dev libpcre2-dev" "$tmp/calls"; then ok; else
	fail "install: apt-get was not asked for the build dependencies"; cat "$tmp/calls" "$tmp/out"
fi
if step build >"$tmp/out" 2>&1 && [ -x "$root/promptasm" ]; then ok; else
	fail "build failed"; tail "$tmp/out"
fi
# A cached binary that runs: no build dependency installed, no build.
rm -f "$tmp/calls"
step install CACHE_HIT=true >"$tmp/out" 2>&1
if ! grep -q "libyaml-dev" "$tmp/calls" 2>/dev/null; then ok; else
	fail "install: build dependencies installed with a cached binary"; cat "$tmp/calls"
fi
step build CACHE_HIT=true >"$tmp/out" 2>&1
if grep -q "cached" "$tmp/out" && ! grep -q "make" "$tmp/out"; then ok; else
	fail "build: a cached binary was built again"; cat "$tmp/out"
fi

# ---- 2. check on a push ----

step check >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 1 ]; then ok; else fail "check: exit status $status, want 1 (reviewer is over budget)"; cat "$tmp/err"; fi
if grep -q '^::error file=services/webshop/.claude/agents/reviewer.md' "$tmp/out"; then ok; else
	fail "check: no error annotation on services/webshop/.claude/agents/reviewer.md"; cat "$tmp/out"
fi
if grep -q '^| *reviewer *|' "$tmp/summary.md" && grep -q '^| *test-writer *|' "$tmp/summary.md"; then ok; else
	fail "check: the job summary has no table of the agents"; cat "$tmp/summary.md"
fi
# The outputs action.yml declares: the verdict, the exit status, the
# totals and the reports, on GITHUB_OUTPUT.
for o in status exit-status totals report markdown; do
	if grep -q "^  $o:\$" "$root/action.yml" &&
		grep -q "steps.check.outputs.$o }}" "$root/action.yml"; then ok; else
		fail "action.yml declares no output '$o'"
	fi
done
: >"$tmp/gh-output"
step check GITHUB_OUTPUT="$tmp/gh-output" >"$tmp/out" 2>"$tmp/err"
report=$(sed -n 's/^report=//p' "$tmp/gh-output")
if grep -qx 'status=over' "$tmp/gh-output" && grep -qx 'exit-status=1' "$tmp/gh-output" &&
	[ "$(sed -n 's/^totals=//p' "$tmp/gh-output" | jq -r '.over' 2>/dev/null)" = 1 ] &&
	[ "$(jq -r .status "$report" 2>/dev/null)" = over ] &&
	grep -q '^| *reviewer' "$(sed -n 's/^markdown=//p' "$tmp/gh-output")"; then ok; else
	fail "check: the outputs are not status=over, exit-status=1, the totals and the reports"
	cat "$tmp/gh-output"
fi
# The harness input: the other CLIs in the same run, one verdict, one
# report: Codex cuts an AGENTS.md of 40 KiB, and the outputs, the JSON
# report and the table say so, naming codex.
awk 'BEGIN { for (i = 0; i < 900; i++) print "Always run the tests before a commit." }' \
	>"$tmp/ws/services/webshop/AGENTS.md"
: >"$tmp/gh-output"
step check INPUT_HARNESS=codex GITHUB_OUTPUT="$tmp/gh-output" >"$tmp/out" 2>"$tmp/err"
status=$?
report=$(sed -n 's/^report=//p' "$tmp/gh-output")
if [ $status -eq 1 ] && grep -qx 'status=over' "$tmp/gh-output" &&
	[ "$(jq -r '[.agents[] | select(.cli == "codex" and .cut != null)] | length' "$report" 2>/dev/null)" -ge 1 ] &&
	grep -q '^::error file=services/webshop/AGENTS.md,line=' "$tmp/out" &&
	grep -q 'codex cuts' "$(sed -n 's/^markdown=//p' "$tmp/gh-output")"; then ok; else
	fail "check with harness: codex: exit status $status, the outputs, report or annotation do not say Codex cuts AGENTS.md"
	cat "$tmp/gh-output" "$tmp/out"
fi
# harness: all, as --harness takes it: the step passes claude-code,all,
# which was refused as no such agent CLI (exit status 2, no report).
: >"$tmp/gh-output"
step check INPUT_HARNESS=all GITHUB_OUTPUT="$tmp/gh-output" >"$tmp/out" 2>"$tmp/err"
status=$?
report=$(sed -n 's/^report=//p' "$tmp/gh-output")
if [ $status -eq 1 ] && grep -qx 'status=over' "$tmp/gh-output" &&
	[ "$(jq -r '[.agents[].cli] | unique | length' "$report" 2>/dev/null)" -ge 8 ]; then ok; else
	fail "check with harness: all: exit status $status, or not a row of every CLI"
	cat "$tmp/gh-output" "$tmp/out" "$tmp/err"
fi
rm "$tmp/ws/services/webshop/AGENTS.md"
# warn-only: the same report and annotations, and the job does not fail.
: >"$tmp/gh-output"
step check INPUT_WARN_ONLY=true GITHUB_OUTPUT="$tmp/gh-output" >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 0 ] && grep -q '^::error file=services/webshop/.claude/agents/reviewer.md' "$tmp/out" &&
	grep -qx 'status=over' "$tmp/gh-output"; then ok; else
	fail "check with warn-only: exit status $status, want 0 with the error annotated"
	cat "$tmp/out" "$tmp/err"
fi
# args are words as written: a glob is never expanded against the
# checkout (here it would turn into the names of two files, and the
# fake program records what it was given).
mkdir -p "$tmp/argact/src/ci" "$tmp/argws"
cp "$root/src/ci/action.sh" "$tmp/argact/src/ci/"
printf '#!/bin/sh
for a in "$@"; do printf "[%%s]" "$a"; done >>"%s/args"
echo >>"%s/args"
' \
	"$tmp" "$tmp" >"$tmp/argact/promptasm"
chmod +x "$tmp/argact/promptasm"
: >"$tmp/argws/claude-a"
: >"$tmp/argws/claude-b"
step check GITHUB_ACTION_PATH="$tmp/argact" GITHUB_WORKSPACE="$tmp/argws" INPUT_PROJECT=. \
	INPUT_ARGS='--strict  -m claude-*' >/dev/null 2>&1
if grep -q '^\[check\]\[-C\]\[.\]\[--strict\]\[-m\]\[claude-\*\]\[--format\]\[github\]$' "$tmp/args"; then ok; else
	fail "check: args were not passed as the words written"; cat "$tmp/args"
fi
# A project without agents (a wrong path, say) fails, unless allowed.
mkdir -p "$tmp/ws/empty"
step check INPUT_PROJECT=empty >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 2 ] && grep -q "^::error title=promptasm check::no agents" "$tmp/out"; then ok; else
	fail "check: a project without agents: exit status $status, want 2 and an annotation"; cat "$tmp/out" "$tmp/err"
fi
step check INPUT_PROJECT=empty INPUT_ALLOW_NO_AGENTS=true >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 0 ]; then ok; else fail "check: allow-no-agents: exit status $status, want 0"; cat "$tmp/err"; fi

# ---- 3. the pull-request path ----

for p in python3 curl jq git; do
	if ! have "$p"; then
		skip "the Action's pull-request path (tests/suites/run-action.sh)" "$p"
		summary
		exit
	fi
done

# The workflow users copy: its `with:` inputs, each one the Action has.
doc=$root/docs/ci.md
sed -n '/^# \.github\/workflows\/prompts\.yml/,/^```/p' "$doc" >"$tmp/workflow.yml"
awk '/^ *with:/ { w = 1; next } w && /^ *[a-z-]+:/ { sub(/^ */, ""); print; next } w { w = 0 }' \
	"$tmp/workflow.yml" >"$tmp/with"
if [ -s "$tmp/with" ] && grep -q 'pull_request' "$tmp/workflow.yml" &&
	grep -q 'pull-requests: write' "$tmp/workflow.yml" &&
	grep -q 'uses: \./\.github/promptasm' "$tmp/workflow.yml"; then ok; else
	fail "$doc: no workflow on pull_request with pull-requests: write and the Action's inputs"
	cat "$tmp/workflow.yml"
fi
inputs=
while IFS= read -r line; do
	name=${line%%:*}
	value=${line#*: }
	if grep -q "^  $name:\$" "$root/action.yml"; then ok; else fail "$doc: input '$name' is not in action.yml"; fi
	var=INPUT_$(echo "$name" | tr 'a-z-' 'A-Z_')
	inputs="$inputs $var=$value"
done <"$tmp/with"

# A repository: the base commit, then a pull request that grows the
# shared import and a hostile agent whose name and file name are Markdown.
pr=$tmp/pr
mkdir -p "$pr/services"
cp -R "$root/examples/webshop" "$pr/services/webshop"
hostile="$pr/services/webshop/.claude/agents/ev|il<b>[x](y).md"
printf -- '---\nname: "evil|<b>x</b>[a](/e)*_"\ndescription: Hostile.\n---\n\nShort.\n' >"$hostile"
# Names that would ping people and teams, or become links, in a comment.
printf -- '---\nname: "@octocat hi @github/security"\ndescription: Pings.\n---\n\nShort.\n' \
	>"$pr/services/webshop/.claude/agents/ping.md"
printf -- '---\nname: www.evil.example\ndescription: Links.\n---\n\nShort.\n' \
	>"$pr/services/webshop/.claude/agents/@dependabot look.md"
printf -- '---\nname: "see #1 and evil.example/x"\ndescription: Links.\n---\n\nShort.\n' \
	>"$pr/services/webshop/.claude/agents/issue.md"
git -C "$pr" init -q
git -C "$pr" config user.email t@example.com
git -C "$pr" config user.name test
git -C "$pr" add -A
git -C "$pr" commit -q -m base
base=$(git -C "$pr" rev-parse HEAD)
grow() {
	i=0
	while [ $i -lt "$1" ]; do
		echo "Every test names the behaviour it checks and the fixture it uses, number $i." \
			>>"$pr/services/webshop/docs/testing.md"
		i=$((i + 1))
	done
	echo "A longer rule for the hostile agent, one more line to count." >>"$hostile"
	git -C "$pr" commit -q -a -m "grow $1"
}
grow 3

mkdir "$tmp/rec"
# 120 comments of others first, the first with the Action's marker.
marker="<!-- promptasm-check $(printf '%s' services/webshop | sha256sum | cut -c1-16) -->"
python3 "$root/tests/action/recorder.py" "$tmp/rec" 120 "$marker" &
rec_pid=$!
i=0
while [ ! -s "$tmp/rec/port" ] && [ $i -lt 1200 ] && kill -0 "$rec_pid" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
port=$(cat "$tmp/rec/port" 2>/dev/null)
if [ -n "$port" ]; then ok; else fail "the API recorder did not start"; fi

# pr_step: the check step of a pull_request job with the workflow's inputs.
pr_step() {
	# shellcheck disable=SC2086 # the inputs are VAR=VALUE words
	step check GITHUB_WORKSPACE="$pr" GITHUB_API_URL="http://127.0.0.1:$port" \
		GITHUB_REPOSITORY=owner/repo PULL_REQUEST=7 INPUT_BASE="$base" \
		INPUT_GITHUB_TOKEN=test-token GITHUB_SHA="$(git -C "$pr" rev-parse HEAD)" \
		GITHUB_STEP_SUMMARY="$tmp/pr-summary.md" $inputs "$@"
}
# ours: the comments the Action wrote; requests METHOD: how many were made.
ours() {
	jq '[.[] | select(.user.login == "github-actions[bot]")] | length' "$tmp/rec/comments.json"
}
requests() {
	jq -s --arg m "$1" '[.[] | select(.method == $m and (.path | test("/comments")))] | length' \
		"$tmp/rec/requests"
}

pr_step >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 1 ]; then ok; else fail "pull request: exit status $status, want 1 (grew past 10%, --strict)"; cat "$tmp/out" "$tmp/err"; fi
if [ "$(ours)" = 1 ] && [ "$(requests POST)" = 1 ]; then ok; else
	fail "pull request: want one comment created, have $(ours) (POSTs: $(requests POST))"; cat "$tmp/out" "$tmp/err"
fi
if [ "$(jq -r '[.[] | .authorization] | unique | join(",")' -s "$tmp/rec/requests")" = "Bearer test-token" ]; then ok; else
	fail "pull request: a request without the token"
fi
jq -r '.[] | select(.user.login == "github-actions[bot]") | .body' "$tmp/rec/comments.json" >"$tmp/comment1"
if [ "$(head -n 1 "$tmp/comment1")" = "$marker" ]; then ok; else
	fail "pull request: the comment does not start with the marker"; head -n 3 "$tmp/comment1"
fi
# The file that grew is named, beside the agent.
if grep -q '^| test-writer | docs/testing.md | import | +[0-9]' "$tmp/comment1"; then ok; else
	fail "pull request: the comment does not attribute test-writer's growth to docs/testing.md"; cat "$tmp/comment1"
fi
# Someone else's comment that starts with the marker is never edited,
# though this token may edit it (GitHub lets a token that writes edit
# anyone's comment): the Action's own comment is the one of its identity.
if [ "$(jq -r '[.[] | select(.user.login == "someone")][0].body' "$tmp/rec/comments.json")" = \
	"$marker
not the Action's" ]; then ok; else
	fail "pull request: the Action edited someone else's comment that starts with its marker"
fi
# Names cannot ping people or teams, or become links: no `@` followed by a
# name, no `www.`, no `://`, no `#1` left as they are.
if ! grep -qE '@[A-Za-z0-9]|www\.|://|#1' "$tmp/comment1" &&
	grep -qF '@&#8203;octocat hi @&#8203;github/security' "$tmp/comment1" &&
	grep -qF 'www&#46;evil.example' "$tmp/comment1"; then ok; else
	fail "pull request: a name pings or links in the comment"
	grep -E '@|www|://|#1' "$tmp/comment1"
fi
# The base was counted where the checkout is: the memory section, which
# names its absolute directory, did not change.
if ! grep -q '| memory |' "$tmp/comment1"; then ok; else
	fail "pull request: the memory section changed with the base's path"; cat "$tmp/comment1"
fi
# Before and after: the base was counted.
if grep -q '^| test-writer | ~[0-9,]* | ~[0-9,]* | +[0-9]' "$tmp/comment1"; then ok; else
	fail "pull request: no before and after for test-writer"; cat "$tmp/comment1"
fi
# The hostile names, quoted: no raw HTML, link or table cell.
if grep -qF 'evil\|&lt;b&gt;x&lt;/b&gt;\[a\](/e)\*\_' "$tmp/comment1" &&
	grep -qF '.claude/agents/ev\|il&lt;b&gt;\[x\](y).md | body |' "$tmp/comment1" &&
	! grep -q '<b>' "$tmp/comment1"; then ok; else
	fail "pull request: hostile names are not quoted"; grep -i evil "$tmp/comment1"
fi
# The annotation is on the file that grew, at its first new line, not on
# the agent's first line.
line=$(($(wc -l <"$root/examples/webshop/docs/testing.md") + 1))
if grep -q "^::error file=services/webshop/docs/testing.md,line=$line,.*test-writer grew by more than 10%" "$tmp/out"; then ok; else
	fail "pull request: no annotation on services/webshop/docs/testing.md"; grep '^::' "$tmp/out"
fi
# Each warning once in the log (--strict printed them three times).
n=$(cat "$tmp/out" "$tmp/err" | grep -c 'MEMORY.md was cut')
if [ "$n" -eq 1 ]; then ok; else fail "pull request: a warning is in the log $n times, want once"; cat "$tmp/out" "$tmp/err"; fi
if [ "$(git -C "$pr" worktree list | wc -l)" -eq 1 ] && git -C "$pr" diff --quiet HEAD; then ok; else
	fail "pull request: the base's worktree is left, or the checkout changed"; git -C "$pr" worktree list
fi

# The next push: the same comment, updated (one PATCH: no other comment
# was tried).
grow 6
pr_step >"$tmp/out" 2>"$tmp/err"
jq -r '.[] | select(.user.login == "github-actions[bot]") | .body' "$tmp/rec/comments.json" >"$tmp/comment2"
if [ "$(ours)" = 1 ] && [ "$(requests POST)" = 1 ] && [ "$(requests PATCH)" = 1 ]; then ok; else
	fail "next push: want the one comment updated, have $(ours) (POSTs: $(requests POST))"; cat "$tmp/out" "$tmp/err"
fi
if grep -q "$(git -C "$pr" rev-parse HEAD)" "$tmp/comment2" && ! cmp -s "$tmp/comment1" "$tmp/comment2"; then ok; else
	fail "next push: the comment was not updated"; cat "$tmp/comment2"
fi
# The Action from a path inside the checkout, as docs/ci.md's workflow
# has it (promptasm's tree copied to .github/promptasm): the checkout is
# renamed aside to count the base, and the Action's binary with it; the
# base is still counted, and everything is back in place after.
mkdir -p "$pr/.github/promptasm"
cp "$root/promptasm" "$pr/.github/promptasm/"
cp -R "$root/tokenizers" "$pr/.github/promptasm/"
grow 2
pr_step GITHUB_ACTION_PATH="$pr/.github/promptasm" >"$tmp/out" 2>"$tmp/err"
status=$?
jq -r '.[] | select(.user.login == "github-actions[bot]") | .body' "$tmp/rec/comments.json" >"$tmp/comment-path"
if [ $status -eq 1 ] && grep -q '^| test-writer | ~[0-9,]* | ~[0-9,]* | +[0-9]' "$tmp/comment-path" &&
	! grep -q 'base commit' "$tmp/out" && [ -x "$pr/.github/promptasm/promptasm" ] &&
	[ "$(git -C "$pr" worktree list | wc -l)" -eq 1 ]; then ok; else
	fail "the Action from a path in the checkout: exit status $status, want the base counted"
	cat "$tmp/out" "$tmp/err"
fi
rm -rf "$pr/.github"
# 120 comments before it: found on the second page.
if grep -q '"path": "/repos/owner/repo/issues/7/comments?per_page=100&page=2"' "$tmp/rec/requests"; then ok; else
	fail "next push: the second page of comments was not read"
fi
# A report longer than GitHub takes in a comment (2,000 agents): the
# comment is cut, and still updated.
i=0
while [ $i -lt 2000 ]; do
	printf -- '---\nname: many-%d\ndescription: One of many.\n---\n\nShort.\n' $i \
		>"$pr/services/webshop/.claude/agents/many-$i.md"
	i=$((i + 1))
done
git -C "$pr" add -A
git -C "$pr" commit -q -m many
pr_step >"$tmp/out" 2>"$tmp/err"
jq -r '.[] | select(.user.login == "github-actions[bot]") | .body' "$tmp/rec/comments.json" >"$tmp/comment3"
if [ "$(ours)" = 1 ] && grep -q '^(cut here' "$tmp/comment3" && grep -q 'updated' "$tmp/out"; then ok; else
	fail "a long report: want the one comment, cut and updated"; cat "$tmp/out" "$tmp/err"
fi
# What failed survives the cut: the verdict, and test-writer's row (it
# grew past max-growth), which sorts after the 2,000 agents that are ok.
if grep -q '^\*\*20[0-9][0-9] agents: ' "$tmp/comment3" &&
	grep -q '^| test-writer | .* | \*\*[a-z]*\*\* |$' "$tmp/comment3"; then ok; else
	fail "a long report: the verdict or the failing row was cut"
	grep -n 'agents:\|test-writer' "$tmp/comment3" | head -n 5
fi
# A project the base does not have: every agent is new, in a comment of
# its own (another project, another marker).
mkdir -p "$pr/fresh/.claude/agents"
printf -- '---\nname: fresh\ndescription: New.\n---\n\nNew here.\n' >"$pr/fresh/.claude/agents/fresh.md"
git -C "$pr" add -A
git -C "$pr" commit -q -m fresh
pr_step INPUT_PROJECT=fresh INPUT_MAX_GROWTH= INPUT_ARGS= >"$tmp/out" 2>"$tmp/err"
status=$?
jq -r '.[] | select(.user.login == "github-actions[bot]") | .body' "$tmp/rec/comments.json" >"$tmp/comment4"
if [ $status -eq 0 ] && [ "$(ours)" = 2 ] && grep -q '^| fresh | new | ' "$tmp/comment4"; then ok; else
	fail "a project new in the pull request: exit status $status, want 0 and its agent new in a second comment"
	cat "$tmp/out" "$tmp/err"
fi
curl -s "http://127.0.0.1:$port/stop" >/dev/null
wait "$rec_pid" 2>/dev/null
rec_pid=

summary
