# Sourced by every tests/suites/run-*.sh runner after it set `here` (the
# tests directory).  It lets a runner run on its own, from the top of a built
# checkout:
#
#   make && sh tests/suites/run-golden.sh
#
# and gives it the optional-program skips that `make test` counts.
#
# Defaults (make test and make check set them; an absolute path or one
# relative to the current directory):
#   PROMPTASM             the program under test: ./promptasm of this checkout
#   PROMPTASM_TOKENIZERS  the tokenizer directory: tokenizers/ of this checkout
#   UNIT_DIR, REPLAY_DIR  built unit tests and fuzz targets: build/tests,
#                         build/replay (made by `make test`)
#
# A runner counts passed, failed and skipped checks and ends with the line
# `N passed, N failed, N skipped` (summary).  A check that needs a program
# that is not installed is skipped, never failed, and named on a line
# `SKIP what: needs PROGRAM ...` that tests/run.sh repeats.
root=$(dirname "$here")

# abs PATH: PATH made absolute against the current directory.
abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

PROMPTASM=$(abs "${PROMPTASM:-$root/promptasm}")
PROMPTASM_TOKENIZERS=$(abs "${PROMPTASM_TOKENIZERS:-$root/tokenizers}")
UNIT_DIR=$(abs "${UNIT_DIR:-$root/build/tests}")
REPLAY_DIR=$(abs "${REPLAY_DIR:-$root/build/replay}")
export PROMPTASM PROMPTASM_TOKENIZERS UNIT_DIR REPLAY_DIR

passed=0
failed=0
skipped=0

# have PROGRAM: PROGRAM is on PATH.
have() { command -v "$1" >/dev/null 2>&1; }

# skip WHAT PROGRAM [HOW]: counts WHAT as skipped because PROGRAM is not
# installed; HOW says how to install it.
skip() {
	skipped=$((skipped + 1))
	echo "SKIP $1: needs $2, which is not installed${3:+ ($3)}"
}

# new_work: a fresh work directory below $works whose path has as many
# tokens on every run: explain and check count the absolute paths Claude
# Code names, and the random letters of mktemp's names tokenize
# differently each time.  The unique part is single digits between
# slashes, one token each in every tokenizer.
# The digit directories are everyone's (mode 777, as $works is 1777:
# shared_dir), so that a user's run and root's share them; a directory
# that cannot be made fails after 1,000 tries rather than loop.
new_work() {
	tries=0
	while [ $tries -lt 1000 ]; do
		w=$works$(od -An -N8 -tu1 /dev/urandom | awk '{ for (i = 1; i <= NF; i++) printf "/%d", $i % 10 }')
		if (umask 0; mkdir -p "${w%/*}") 2>/dev/null && mkdir "$w" 2>/dev/null; then
			echo "$w"
			return 0
		fi
		tries=$((tries + 1))
	done
	return 1
}

# shared_dir DIR: makes DIR, a fixed path below /tmp that the figures of
# a suite count, everyone's as /tmp is (mode 1777), so that root's runs
# and a user's on one machine can both use it; fails when it is another
# user's and not writable here (made before this rule), so that the
# suite skips, naming its owner, rather than fail or wait.
shared_dir() {
	[ -d "$1" ] || (umask 0; mkdir -p -m 1777 "$1") 2>/dev/null
	[ -w "$1" ]
}

# shared_lock FILE: FILE, a lock of such a directory, writable by every
# user (mode 666); fails when another user's is not.
shared_lock() {
	[ -e "$1" ] || (umask 0; : >>"$1") 2>/dev/null
	[ -w "$1" ]
}

# owner PATH: the user who owns PATH.
owner() { ls -ld "$1" | awk '{ print $3 }'; }

# remove_work DIR: removes a work directory and the digit directories
# above it, up to $works.
remove_work() {
	rm -rf "$1"
	d=${1%/*}
	while [ "$d" != "$works" ] && rmdir "$d" 2>/dev/null; do d=${d%/*}; done
}

# docs_dir, docs_lock: where the docs' examples run (tests/docsdir.sh).
. "$here/docsdir.sh"

# summary: the runner's last line; its status is the runner's.
summary() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
