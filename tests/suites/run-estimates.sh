#!/bin/sh
# src/compose/whole_context.inc, the figures Claude Code's own text is estimated
# with, must be what tests/oracle/gen-estimates.mjs makes of the recorded
# results (tests/oracle/results/): a result re-recorded by `make oracle`
# without regenerating the figures fails here.  Needs node (no npm
# package); without it the check is skipped.
# Run on its own: make && sh tests/suites/run-estimates.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
if ! have node; then
	skip "src/compose/whole_context.inc against the recorded results" node "apt-get install nodejs"
	summary
	exit
fi
node "$here/oracle/gen-estimates.mjs" --check
