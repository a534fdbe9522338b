#!/bin/sh
# The oracle's recorded results against promptasm, offline.
#
# tests/oracle/results/NAME.json is what the real Claude Code sent its
# subagent for fixture tests/oracle/fixtures/NAME.txt (derived data only:
# markers, names, counts; `make oracle` re-records it).  For each fixture
# this checks that promptasm, composing the same tree:
#   - places the same markers in the same order: system (body, memory),
#     then the first user message (instructions, skills), then what
#     SubagentStart hooks send (after the task);
#   - loads the rules a read of `read:` attaches (--for-file), as a set;
#   - resolves the same model (fixtures model-*);
#   - sends the agent the same tools (names, as a set);
#   - lists the same agents (name and description);
#   - estimates Claude Code's whole context within 3% of the real count
#     (explain's claude_code.tokens, o200k_base and claude);
#   - warns as the fixture's `expect-warning:` lines say, and not as
#     its `expect-no-warning:` lines say;
#   - refuses, as Claude Code does (no request at all), where the fixture
#     says `expect-error: RE`: build and agents exit non-zero, stderr
#     matching RE (with `delegated: yes`, Claude Code sent a request
#     promptasm cannot compose).
# Run on its own: make && sh tests/suites/run-oracle.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
oracle=$here; [ -d "$here/oracle" ] && oracle=$here/oracle
if ! have jq; then
	skip "the oracle's recorded results" jq "apt-get install jq"
	summary
	exit
fi
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $name: $*"; }

# The markers of an anthropic request body: "system M" and "user M".
markers() {
	jq -r '
		def texts: if type == "string" then . else map(.text) | join("\n") end;
		(.system | texts | [scan("MK_[A-Za-z0-9_]+")] | map("system " + .)),
		(.messages[0].content // "" | texts | [scan("MK_[A-Za-z0-9_]+")] | map("user " + .))
		| .[]'
}

header() { sed -n "s/^$1: //p" "$fixture"; }

# Sorts, in place, the lines whose marker is one of the fixture's
# `any-order:` markers: Claude Code reads rules in the file system's
# directory order, which differs between machines; we read them sorted.
any_order() {
	awk -v set=" $(header any-order | tr '\n' ' ') " '
		{ line[NR] = $0; m = $NF
		  if (index(set, " " m " ")) { pos[++n] = NR; val[n] = $0 } }
		END {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (val[j] < val[i]) { t = val[i]; val[i] = val[j]; val[j] = t }
			for (i = 1; i <= n; i++) line[pos[i]] = val[i]
			for (i = 1; i <= NR; i++) print line[i]
		}'
}

# Arguments: fixture names (default: all).
[ $# -gt 0 ] || set -- $(cd "$oracle/results" && ls *.json | sed 's/\.json$//')
for name in "$@"; do
	result=$oracle/results/$name.json
	fixture=$oracle/fixtures/$name.txt
	[ -f "$fixture" ] || { fail "no fixture for the result"; continue; }
	# At the path the oracle recorded it (/tmp/promptasm-oracle/NAME),
	# under its lock: the paths in the prompt count the same tokens as
	# they did in the real request.  Elsewhere when that cannot be had.
	work=/tmp/promptasm-oracle/$name
	if have flock && shared_dir /tmp/promptasm-oracle && shared_lock /tmp/promptasm-oracle.lock &&
		mkdir -p "$work" 2>/dev/null && [ -w "$work" ]; then
		exec 9>/tmp/promptasm-oracle.lock
		flock 9
		rm -rf "$work"
	else
		work=$(mktemp -d)
	fi
	sh "$oracle/unpack.sh" "$fixture" "$work"
	if [ -n "$(header worktree)" ]; then
		# A linked worktree needs the real repository it belongs to.
		if ! have git; then
			skip "$name: a git worktree" git "apt-get install git"
			rm -rf "$work"
			continue
		fi
		(cd "$work/proj" && env GIT_AUTHOR_NAME=oracle GIT_AUTHOR_EMAIL=oracle@localhost \
			GIT_COMMITTER_NAME=oracle GIT_COMMITTER_EMAIL=oracle@localhost \
			HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 sh -c 'git init -q -b main . &&
				git add -A && git commit -q --allow-empty -m fixture &&
				git worktree add -q -b wt "$1"' sh "$work/$(header worktree)") >/dev/null 2>&1
	elif [ "$(header git)" != no ]; then
		mkdir -p "$work/proj/.git"
	fi
	agent=$(header agent)
	cwd=$work/$(header cwd | grep . || echo proj)
	set -- env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C.UTF-8 \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}"
	for e in $(header env); do set -- "$@" "$(echo "$e" | sed "s|\\\$W|$work|g")"; done
	if [ -n "$(header managed)" ]; then
		managed="--managed-file $work/managed/CLAUDE.md"
	else
		managed=--no-managed
	fi
	# The flags Claude Code was started with (`claude-args:`, its
	# --plugin-dir) are promptasm's too, with the same meaning.
	cargs=$(header claude-args)
	managed="$managed $cargs"
	mflag=$managed
	# A fixture of files Claude Code reads outside the project (a linked
	# CLAUDE.md, the user's imports out of HOME) says `approve: yes`:
	# promptasm loads those only when approved (SECURITY.md).
	[ "$(header approve)" = yes ] && managed="$managed --approve-imports"
	# A fixture of commands Claude Code runs (a skill's !`command`) says
	# `trust: yes`: promptasm runs them only with --trust.
	[ "$(header trust)" = yes ] && managed="$managed --trust"
	run() { (cd "$cwd" && "$@"); }

	# The real agent files: the same names load, with the same
	# descriptions, except where a name is defined twice in one directory
	# (Claude Code's choice follows the directory's order; we warn).
	corpus=$(header corpus)
	if [ -n "$corpus" ]; then
		if [ ! -d "$oracle/$corpus" ]; then
			fail "the corpus $oracle/$corpus is missing"
			rm -rf "$work"
			continue
		fi
		mkdir -p "$work/proj/.claude"
		cp -R "$oracle/$corpus" "$work/proj/.claude/agents"
		run "$@" "$PROMPTASM" agents --format json 2>/dev/null >"$work/agents.json"
		jq -r '.agents[] | select(.wins) | [.name, (.description | @base64)] | @tsv' \
			"$work/agents.json" | while IFS="$(printf '\t')" read -r n d; do
			printf '%s\t%s\n' "$n" "$(printf '%s' "$d" | base64 -d | sha256sum | cut -c1-12)"
		done | sort >"$work/got"
		jq -r '.agents | to_entries[] | "\(.key)\t\(.value)"' "$result" | sort >"$work/want"
		dups=$(jq -r '.agents[] | select(.wins | not) | .name' "$work/agents.json" | sort -u)
		if [ "$(cut -f1 "$work/want")" = "$(cut -f1 "$work/got")" ]; then ok; else
			fail "corpus: names differ"; diff "$work/want" "$work/got" | head
		fi
		differ=$(diff "$work/want" "$work/got" | sed -n 's/^> \([^\t]*\)\t.*/\1/p' |
			grep -v -x -F "$dups")
		if [ -z "$differ" ]; then ok; else fail "corpus: descriptions differ: $differ"; fi
		rm -rf "$work"
		continue
	fi

	# Claude Code stopped before any request: so must we.  With
	# `delegated: yes`, it sent requests promptasm cannot compose (a
	# model's name holding a NUL): we refuse all the same.
	experr=$(header expect-error)
	if [ -n "$experr" ]; then
		if [ "$(jq -r '.delegated' "$result")" = true ] &&
			[ "$(header delegated)" != yes ]; then
			fail "expect-error, but Claude Code delegated"
		fi
		for cmd in agents build; do
			if [ $cmd = build ]; then args="$managed $agent"; else args=$mflag; fi
			if run "$@" "$PROMPTASM" $cmd $args >/dev/null 2>"$work/err"; then
				fail "$cmd: succeeded, Claude Code refused"
			elif grep -q -E "$experr" "$work/err"; then ok; else
				fail "$cmd: no error matching '$experr': $(cat "$work/err")"
			fi
		done
		rm -rf "$work"
		continue
	fi

	# Which agents load, with which descriptions.  An agent the settings'
	# permissions.deny keeps Claude Code from listing (Agent(NAME), or
	# Agent whole: none) is not listed by agents either (a warning names
	# it); build still composes it.
	want=$(jq -c '.agents | sort' "$result")
	run "$@" "$PROMPTASM" agents $mflag --format json 2>"$work/err" >"$work/agents.json"
	got=$(jq -c '[.agents[] | select(.wins and (.description | test("MK_"))) |
		  [.name, .description]] | sort' "$work/agents.json")
	if [ "$want" = "$got" ]; then ok; else fail "agents: want $want, got $got"; fi

	if [ "$(jq -r .delegated "$result")" = true ]; then
		# Which markers reach the agent, where, in what order.
		run "$@" "$PROMPTASM" build $managed --format anthropic --message task "$agent" \
			>"$work/req.json" 2>>"$work/err"
	fi
	for re in $(header expect-warning | tr ' ' '\001'); do
		re=$(echo "$re" | tr '\001' ' ')
		if grep -q -E "$re" "$work/err"; then ok; else
			fail "no warning matching '$re'; stderr: $(cat "$work/err")"
		fi
	done
	# `expect-no-warning: RE`: no such warning (what Claude Code does
	# not warn about).
	for re in $(header expect-no-warning | tr ' ' '\001'); do
		re=$(echo "$re" | tr '\001' ' ')
		if grep -q -E "$re" "$work/err"; then
			fail "a warning matching '$re': $(grep -E "$re" "$work/err")"
		else ok; fi
	done
	if [ "$(jq -r .delegated "$result")" != true ]; then
		rm -rf "$work"
		continue
	fi
	# `claude-text: M...`: markers that arrive in a block of Claude Code's
	# own (the attribution reminder with the settings' texts), which build
	# does not print and the whole-context estimate counts.
	# What SubagentStart hooks send arrives in the environment message
	# after the task; build puts it in a block after the task.
	want=$(jq -r '.markers[] | select(startswith("system ") or startswith("user ") or
		  startswith("environment ")) | sub("^environment "; "user ")' "$result" |
		awk -v set=" $(header claude-text) " '!index(set, " " $NF " ")' | any_order)
	got=$(markers <"$work/req.json" | any_order)
	if [ "$want" = "$got" ]; then ok; else
		fail "markers differ (want, got):"
		printf '%s\n' "$want" >"$work/want"
		printf '%s\n' "$got" >"$work/got"
		diff "$work/want" "$work/got" | head -n 20
	fi

	# The rules attached when the agent reads a file.
	read=$(header read)
	if [ -n "$read" ]; then
		want=$(jq -r '.markers[] | select(startswith("after-read ")) | sub("after-read "; "")' "$result" | sort)
		got=$(run "$@" "$PROMPTASM" build $managed --format anthropic --message task \
			--for-file "$work/$read" "$agent" 2>/dev/null | markers | sed 's/^[a-z]* //' |
			grep -v -x -F "$(markers <"$work/req.json" | sed 's/^[a-z]* //')" | sort)
		if [ "$want" = "$got" ]; then ok; else
			fail "rules for $read: want $(echo $want), got $(echo $got)"
		fi
	fi

	case $name in model-*|settings-model*)
		want=$(jq -r .model "$result")
		got=$(jq -r .model "$work/req.json")
		if [ "$want" = "$got" ]; then ok; else fail "model: want $want, got $got"; fi
	esac

	# The whole context, estimated, against the real count; the tools
	# sent, by name, as a set: those of MCP servers left out (sent only
	# when their server runs), and of promptasm's those it knows (a name
	# that is not one of Claude Code's tools it counts as 0, with a note).
	for tok in o200k_base claude; do
		want=$(jq ".tokens.$tok.total" "$result")
		run "$@" "$PROMPTASM" explain $managed -t "$tok" --format json "$agent" \
			>"$work/explain.json" 2>/dev/null
		got=$(jq '.claude_code.tokens // 0' "$work/explain.json")
		if [ $tok = o200k_base ]; then
			wtools=$(jq -c '[.tools[] | select(startswith("mcp__") | not)] | sort' "$result")
			gtools=$(jq -c '[.claude_code.tools[]? | select(.known) | .name] | sort' \
				"$work/explain.json")
			if [ "$wtools" = "$gtools" ]; then ok; else
				fail "tools: want $wtools, got $gtools"
			fi
		fi
		echo "dev $name $tok $got $want" >>"${ORACLE_LOG:-/dev/null}"
		if [ "$got" -ge $((want * 97 / 100)) ] && [ "$got" -le $((want * 103 / 100)) ]; then
			ok
		else
			fail "$tok: Claude Code context estimated $got, real $want"
		fi
	done
	rm -rf "$work"
done

summary
