# Sourced by tests/lib.sh and tests/html/screenshots.sh (`make
# screenshots`).
# The one directory where the examples of README.md and docs/ run, and
# where their figures come from: the outputs that name the project's
# absolute path (the memory section, Claude Code's environment, the whole
# context) count it, so a fixed path gives the same figures on every run
# and on every machine.  Used by tests/suites/run-docs.sh and `make
# screenshots`.
docs_dir=/tmp/promptasm-docs/promptasm

# docs_lock: holds the lock of $docs_dir until the runner exits (flock on
# file descriptor 9): a second run waits for the first, for at most 15
# minutes, and then fails saying so, rather than share the directory.
# Without flock(1) the lock is a directory, and a second run fails at once;
# the runner calls docs_unlock when it exits.
# The directory and its lock are everyone's (1777 and 666, as lib.sh's
# shared_dir makes them), so that root's runs and a user's take turns.
docs_lock() {
	[ -d "${docs_dir%/*}" ] || (umask 0; mkdir -p -m 1777 "${docs_dir%/*}") || return 1
	if command -v flock >/dev/null 2>&1; then
		[ -e "${docs_dir%/*}/lock" ] || (umask 0; : >>"${docs_dir%/*}/lock")
		exec 9>"${docs_dir%/*}/lock"
		if ! flock -w 900 9; then
			echo "another run holds ${docs_dir%/*}/lock (the docs' examples run in $docs_dir, one run at a time): waited 15 minutes" >&2
			return 1
		fi
	elif mkdir "${docs_dir%/*}/lock.d" 2>/dev/null; then
		docs_locked=1
	else
		echo "another run holds ${docs_dir%/*}/lock.d (the docs' examples run in $docs_dir, one run at a time; remove it if no run is left)" >&2
		return 1
	fi
}
docs_unlock() {
	if [ -n "${docs_locked:-}" ]; then
		rmdir "${docs_dir%/*}/lock.d" 2>/dev/null
		docs_locked=
	fi
}
