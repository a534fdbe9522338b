#!/bin/sh
# src/compose/main_session.inc, the figures `promptasm context` estimates
# Claude Code's own part of a main session with, must be what
# tests/oracle/gen-context.mjs makes of the recorded results
# (tests/oracle/context/results/): a result re-recorded without
# regenerating the figures fails here.  Needs node and git (no npm
# package); without them the check is skipped.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
: "${PROMPTASM:?}"
for tool in node git; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP session figures: $tool is not installed"
		echo "0 passed, 0 failed, 1 skipped"
		exit 0
	fi
done
node "$here/oracle/gen-context.mjs" --check
