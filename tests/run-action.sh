#!/bin/sh
# The GitHub Action (action.yml): its steps, src/ci/action.sh, run here as
# GitHub would run them, in a monorepo whose project is a subdirectory:
# install (with apt-get replaced by a recorder), build, then check, which
# must annotate the over-budget agent with a path from the repository
# root, append a table to the job summary, and fail.
# Run on its own: make && sh tests/run-action.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/fake" "$tmp/ws/services"
for cmd in apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n[ "%s" = sudo ] && exec "$@"\nexit 0\n' \
		"$cmd" "$tmp" "$cmd" >"$tmp/fake/$cmd"
	chmod +x "$tmp/fake/$cmd"
done
cp -R "$root/examples/webshop" "$tmp/ws/services/webshop"
printf 'budget: 3000\n' >"$tmp/ws/services/webshop/.promptasm.yaml"
mkdir "$tmp/ws/.git"

step() {
	env PATH="$tmp/fake:$PATH" GITHUB_ACTION_PATH="$root" GITHUB_WORKSPACE="$tmp/ws" \
		GITHUB_STEP_SUMMARY="$tmp/summary.md" INPUT_PROJECT=services/webshop \
		INPUT_BASELINE= INPUT_MAX_GROWTH= INPUT_ARGS= \
		PROMPTASM_TOKENIZERS="${PROMPTASM_TOKENIZERS:-$root/tokenizers}" \
		bash "$root/src/ci/action.sh" "$1"
}

# The steps action.yml names are the ones action.sh has.
for s in install build check; do
	if grep -q "action.sh\" $s\$" "$root/action.yml"; then ok; else fail "action.yml has no step '$s'"; fi
done

step install >"$tmp/out" 2>&1
if grep -q "apt-get install .*libyaml-dev libutf8proc-dev libpcre2-dev" "$tmp/calls"; then ok; else
	fail "install: apt-get was not asked for the build dependencies"; cat "$tmp/calls" "$tmp/out"
fi
if step build >"$tmp/out" 2>&1 && [ -x "$root/promptasm" ]; then ok; else
	fail "build failed"; tail "$tmp/out"
fi
step check >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 1 ]; then ok; else fail "check: exit status $status, want 1 (reviewer is over budget)"; cat "$tmp/err"; fi
if grep -q '^::error file=services/webshop/.claude/agents/reviewer.md' "$tmp/out"; then ok; else
	fail "check: no error annotation on services/webshop/.claude/agents/reviewer.md"; cat "$tmp/out"
fi
if grep -q '^| *reviewer *|' "$tmp/summary.md" && grep -q '^| *test-writer *|' "$tmp/summary.md"; then ok; else
	fail "check: the job summary has no table of the agents"; cat "$tmp/summary.md"
fi
summary
