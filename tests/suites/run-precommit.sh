#!/bin/sh
# The pre-commit hook (.pre-commit-hooks.yaml) run by the pre-commit
# framework (Debian's package) against a temporary git repository holding
# the example project with a budget: a commit that touches only an agent
# that fits passes, one that touches the MEMORY.md of an agent over budget
# fails and names it, one that touches no agent's file passes; committed
# files named like options stay file names.  Without pre-commit (or git)
# the suite is skipped (CI installs it).
# Run on its own: make && sh tests/suites/run-precommit.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

for p in pre-commit git; do
	if ! have $p; then
		skip "the pre-commit hook" $p "apt-get install $p"
		summary
		exit
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/hooks"
printf '#!/bin/sh\nexec ${VALGRIND:-} "%s" "$@"\n' "$PROMPTASM" >"$tmp/bin/promptasm"
chmod +x "$tmp/bin/promptasm"
# The hook's repository: this checkout's hook file, committed in a copy
# (pre-commit reads hooks from a commit).
cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/"
git -C "$tmp/hooks" init -q
git -C "$tmp/hooks" -c user.name=t -c user.email=t@t add -A
git -C "$tmp/hooks" -c user.name=t -c user.email=t@t commit -q -m hooks
# The project: the example, with a budget the reviewer (memory) is over.
cp -R "$root/examples/webshop" "$tmp/repo"
printf 'budget: 3000\n' >"$tmp/repo/.promptasm.yaml"
git -C "$tmp/repo" init -q
git -C "$tmp/repo" -c user.name=t -c user.email=t@t add -A
git -C "$tmp/repo" -c user.name=t -c user.email=t@t commit -q -m project

run_hook() {
	(cd "$tmp/repo" && env PATH="$tmp/bin:/usr/bin:/bin" HOME="$tmp" \
		PRE_COMMIT_HOME="$tmp/cache" PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		pre-commit try-repo "$tmp/hooks" promptasm-check --files "$@") \
		>"$tmp/out" 2>&1
}

run_hook .claude/agents/test-writer.md
if [ $? -eq 0 ]; then ok; else fail "a fitting agent's file: the hook failed"; cat "$tmp/out"; fi
run_hook .claude/agent-memory/reviewer/MEMORY.md
status=$?
if [ $status -ne 0 ] && grep -q reviewer "$tmp/out"; then ok; else
	fail "the reviewer's MEMORY.md: status $status, want a failure naming reviewer"
	cat "$tmp/out"
fi
if grep -q test-writer "$tmp/out"; then
	fail "the reviewer's MEMORY.md: test-writer was checked too"
else
	ok
fi
run_hook README.md
if [ $? -eq 0 ]; then ok; else fail "a file of no agent: the hook failed"; cat "$tmp/out"; fi
# Committed file names that look like options stay file names (the
# entry ends its options with --): one that would raise the budget does
# not turn a failure into a pass, one that would be an unknown option
# does not fail the hook.
: >"$tmp/repo/--budget=999999"
: >"$tmp/repo/-notes.md"
git -C "$tmp/repo" -c user.name=t -c user.email=t@t add -A -- .
git -C "$tmp/repo" -c user.name=t -c user.email=t@t commit -q -m options
run_hook ./--budget=999999 .claude/agent-memory/reviewer/MEMORY.md
status=$?
if [ $status -ne 0 ] && grep -q reviewer "$tmp/out"; then ok; else
	fail "a file named --budget=999999: status $status, want the reviewer's failure"
	cat "$tmp/out"
fi
run_hook --files=-notes.md
status=$?
if [ $status -eq 0 ] && ! grep -q "unknown option" "$tmp/out"; then ok; else
	fail "a file named -notes.md: status $status, want a pass"
	cat "$tmp/out"
fi
# The warn-only hook: the same report, and the commit goes through.
(cd "$tmp/repo" && env PATH="$tmp/bin:/usr/bin:/bin" HOME="$tmp" \
	PRE_COMMIT_HOME="$tmp/cache" PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
	pre-commit try-repo "$tmp/hooks" promptasm-check-warn --verbose \
	--files .claude/agent-memory/reviewer/MEMORY.md) >"$tmp/out" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q "reviewer.*over" "$tmp/out"; then ok; else
	fail "the warn-only hook: status $status, want a pass that names reviewer over budget"
	cat "$tmp/out"
fi
# The configurations docs/ci.md tells users to copy, as written: the
# local hook (the promptasm on PATH, nothing fetched), and the hook
# repository from a clone, pinned to a commit (no release tag is
# assumed), with the clone's path and commit put in.
sha=$(git -C "$tmp/hooks" rev-parse HEAD)
docs_config() { # FIRST-LINE-PATTERN: the yaml block of docs/ci.md starting there
	sed -n "/^repos: *# \.pre-commit-config\.yaml$1/,/^[\`]\{3\}/p" "$root/docs/ci.md" | sed '$d'
}
for kind in local clone; do
	if [ $kind = local ]; then
		docs_config '$' >"$tmp/repo/.pre-commit-config.yaml"
	else
		docs_config ', from a clone' |
			sed "s|/path/to/promptasm|$tmp/hooks|; s|rev: COMMIT|rev: $sha|" \
			>"$tmp/repo/.pre-commit-config.yaml"
	fi
	git -C "$tmp/repo" -c user.name=t -c user.email=t@t add .pre-commit-config.yaml
	(cd "$tmp/repo" && env PATH="$tmp/bin:/usr/bin:/bin" HOME="$tmp" \
		PRE_COMMIT_HOME="$tmp/cache" PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		pre-commit run promptasm-check --files .claude/agent-memory/reviewer/MEMORY.md) \
		>"$tmp/out" 2>&1
	status=$?
	want=$([ $kind = local ] && echo 'repo: local' || echo "rev: $sha")
	if grep -q "$want" "$tmp/repo/.pre-commit-config.yaml" && [ $status -eq 1 ] &&
		grep -q reviewer "$tmp/out"; then ok; else
		fail "docs/ci.md's $kind configuration: status $status, want the hook to run and fail"
		cat "$tmp/repo/.pre-commit-config.yaml" "$tmp/out"
	fi
	(cd "$tmp/repo" && env PATH="$tmp/bin:/usr/bin:/bin" HOME="$tmp" \
		PRE_COMMIT_HOME="$tmp/cache" PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		pre-commit run promptasm-check --files .claude/agents/test-writer.md) \
		>"$tmp/out" 2>&1
	status=$?
	if [ $status -eq 0 ]; then ok; else
		fail "docs/ci.md's $kind configuration: a fitting agent's file fails ($status)"; cat "$tmp/out"
	fi
done
summary
