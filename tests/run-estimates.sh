#!/bin/sh
# src/compose/whole_context.inc, the figures Claude Code's own text is estimated
# with, must be what tests/oracle/gen-estimates.mjs makes of the recorded
# results (tests/oracle/results/): a result re-recorded by `make oracle`
# without regenerating the figures fails here.  Needs node (no npm
# package); without it the check is skipped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${PROMPTASM:?}"
if ! command -v node >/dev/null 2>&1; then
	echo "node is not installed: src/compose/whole_context.inc not checked"
	echo "0 passed, 0 failed"
	exit 0
fi
node "$here/oracle/gen-estimates.mjs" --check
