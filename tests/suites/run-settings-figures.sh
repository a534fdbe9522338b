#!/bin/sh
# src/compose/main_session_settings.inc, what Claude Code's settings
# (deny rules, tool search off, output styles, includeCoAuthoredBy) change
# in the main session's estimate, must be what
# tests/oracle/gen-settings.mjs makes of the recorded results
# (tests/oracle/context/results/ctx-settings-*): a result re-recorded
# without regenerating the figures fails here.  Needs node (no npm
# package); without it the check is skipped.
# Run on its own: make && sh tests/suites/run-settings-figures.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
if ! have node; then
	skip "src/compose/main_session_settings.inc against the recorded results" node "apt-get install nodejs"
	summary
	exit
fi
if out=$(node "$here/oracle/gen-settings.mjs" --check 2>&1); then
	passed=$((passed + 1))
	echo "ok src/compose/main_session_settings.inc matches tests/oracle/context/results"
else
	failed=$((failed + 1))
	echo "FAIL $out: run node tests/oracle/gen-settings.mjs"
fi
summary
