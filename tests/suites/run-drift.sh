#!/bin/sh
# The drift check's table (tests/oracle-harness/latest.mjs, make
# oracle-latest), offline: recordings of a "newest" version are made here
# from the pinned ones, some changed, and ORACLE_LATEST_REUSE=1 prints the
# table of them without installing anything.  Checks that the unchanged
# are not a move (exit 0), that a change of order, of a cut, of a refusal,
# of the files sent or of the version each shows in its column and exits
# 1, for Claude Code's two recorders and for a CLI of the harness oracle,
# that the texts a fixture says arrive in any order are compared as a
# set, and that the newest of several recorded versions is the one
# compared.
# Run on its own: sh tests/suites/run-drift.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
if ! have node; then
	skip "the drift check's table" node "apt-get install nodejs"
	summary
	exit
fi
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $name: $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin() { node -e 'const m = require(process.argv[1]); console.log({ ...m.oracle, ...m["oracle-harness"] }[process.argv[2]])' \
	"$here/package.json" "$1"; }
claude=$(pin @anthropic-ai/claude-code)
codex=$(pin @openai/codex)

# fresh: the prefix's recordings, copies of some pinned ones, whose
# names are the table's FIXTURE arguments (the run is narrowed to them).
copied="agent-latin1 agents-many managed-invalid corpus hooks-subagent-levels agents empty imports links"
fresh() {
	rm -rf "$tmp/p"
	c=$tmp/p/results/claude@$claude
	mkdir -p "$c/agents" "$c/session" "$tmp/p/results/codex@$codex"
	for f in agent-latin1 agents-many managed-invalid corpus hooks-subagent-levels; do
		cp "$here/oracle/results/$f.json" "$c/agents/"
	done
	for f in agents-many agents; do
		cp "$here/oracle/context/results/$f.json" "$c/session/"
	done
	for f in empty imports links; do
		cp "$here/oracle-harness/results/$f.codex.json" "$tmp/p/results/codex@$codex/"
	done
}

# table NAME EXPECTED-STATUS ROW-RE: the table of the prefix's
# recordings exits EXPECTED-STATUS and has a line matching ROW-RE.
table() {
	name=$1
	out=$(ORACLE_LATEST_PREFIX=$tmp/p ORACLE_LATEST_REUSE=1 ORACLE_HARNESSES="claude codex" \
		node "$here/oracle-harness/latest.mjs" ${names-$copied} 2>&1)
	st=$?
	[ "$st" -eq "$2" ] || { fail "exit $st, not $2: $out"; return; }
	printf '%s\n' "$out" | grep -q -E "$3" && ok || fail "no row matching $3 in: $out"
}

# edit FILE OLD NEW: replaces the first OLD in FILE (bytes as they are).
edit() {
	node -e 'const fs = require("fs"); const [f, a, b] = process.argv.slice(1);
		const s = fs.readFileSync(f, "latin1"); if (!s.includes(a)) process.exit(3);
		fs.writeFileSync(f, s.replace(a, b), "latin1")' "$1" "$2" "$3" || fail "cannot edit $1"
}

fresh
table unchanged 0 "^\| claude \| $claude \| $claude \| 7 \| same \| same \| same \| same \| 0 \| 0 \|$"
table unchanged-codex 0 "^\| codex \| $codex \| $codex \| 3 \| same \| same \| same \| same \| 0 \| 0 \|$"

fresh
edit "$c/agents/agent-latin1.json" '"system MK_BODY","system MK_BODY_2"' '"system MK_BODY_2","system MK_BODY"'
table subagent-order 1 "^\| claude \|.*\| same \| 1: agent-latin1 \| same \| same \|"

# An agent's description listed otherwise is a cut.
fresh
edit "$c/agents/agent-latin1.json" 'MK_DESC_RELECTEUR"]' 'MK_DESC_RELECTEUR cut"]'
table subagent-description 1 "^\| claude \|.*\| same \| same \| 1: agent-latin1 \| same \|"

# The main session's own prompt grown, the subagents' not: each
# recorder's median apart, so the move is not lost among the subagents'.
fresh
edit "$c/session/agents-many.json" '"parts": {"system":1573,' '"parts": {"system":1773,'
edit "$c/session/agents.json" '"parts": {"system":1571,' '"parts": {"system":1771,'
table session-own-prompt 1 "^\| claude \|.*\| same \| same \| same \| same \| \+200 \| 0 \|$"

# SubagentStart hooks arrive as each ends: the markers its fixture says
# come in any order are no move when they do.
fresh
edit "$c/agents/hooks-subagent-levels.json" '"environment MK_HOOK_REGEX","environment MK_HOOK_PROJECT","environment MK_HOOK_USER"' \
	'"environment MK_HOOK_USER","environment MK_HOOK_REGEX","environment MK_HOOK_PROJECT"'
table hooks-any-order 0 "^\| claude \|.*\| same \| same \| same \| same \| 0 \| 0 \|$"
edit "$c/agents/hooks-subagent-levels.json" '"user MK_CLAUDEMD"' '"environment MK_CLAUDEMD"'
table hooks-other-marker 1 "^\| claude \|.*\| 1: hooks-subagent-levels \|"

fresh
edit "$c/session/agents-many.json" '["proj/CLAUDE.md",39]' '["proj/CLAUDE.md",30]'
table session-cut 1 "^\| claude \|.*\| same \| same \| 1: agents-many \| same \|"

fresh
edit "$c/session/agents.json" '"agents": ["careful",' '"agents": ["carefree",'
table session-files 1 "^\| claude \| [^|]* \| [^|]* \| 7 \| 1: agents \|"

fresh
edit "$c/agents/managed-invalid.json" '"delegated": false' '"delegated": true'
table subagent-refusal 1 "^\| claude \|.*\| same \| same \| same \| 1: managed-invalid \|"

fresh
edit "$tmp/p/results/codex@$codex/imports.codex.json" '"sent": true' '"sent": false'
table codex-refusal 1 "^\| codex \|.*\| 1: imports \| [-+0-9]+ \| [-+0-9]+ \|$"

# A newer version recorded beside the pinned one: it is the one compared
# (by number: 10 after 9), and a version that is not the pinned moves.
fresh
cp -R "$tmp/p/results/codex@$codex" "$tmp/p/results/codex@10.0.0"
cp -R "$tmp/p/results/codex@$codex" "$tmp/p/results/codex@9.0.0"
table newer-version 1 "^\| codex \| $codex \| 10\.0\.0 \| 3 \| same \|"

# A whole run (no FIXTURE named) records every pinned fixture again:
# those left out are work not done, and the row says so (exit 2).
fresh
names= table whole-run-partial 2 "^\| claude \| $claude \| $claude \| - \| not recorded: [0-9]+ fixtures"

summary
