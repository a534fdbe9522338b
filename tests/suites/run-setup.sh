#!/bin/sh
# One setup (docs/HACKING.md, "One setup"): the program reads its
# environment once, in src/cli/ (cli_setup()), and passes it down in the
# options; the library's layers below it read none.  And one root finder:
# the walk up for `.git` and `.claude` is paths.c's alone
# (pa_project_root(), pa_repository_root(), the places of discover.c).
#
#   - no getenv, secure_getenv or environ in src/util, src/base,
#     src/tokenizer, src/discover, src/compose or src/budget (comments
#     aside), but for the files of PENDING below;
#   - no `.git` looked for outside src/discover/paths.c (a string literal
#     ".git" or "/.git", or a path joined with it), but for PENDING.
#
# PENDING: files allowed to break the rule for a while, each named on a
# line `PENDING file` and counted neither passed nor failed: none (the
# other agent CLIs' readers read no environment since they take theirs
# from the options).  Keep it empty.
# Run on its own: sh tests/suites/run-setup.sh (from anywhere).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2

PENDING=""
below="src/util src/base src/tokenizer src/discover src/compose src/budget"

pending() {
	for p in $PENDING; do
		[ "$p" = "$1" ] && return 0
	done
	return 1
}

# code FILE: FILE without its comments and string literals kept (a
# comment may name getenv or .git; code may not).
code() {
	sed -e 's://.*$::' "$1" | awk '
		{ line = $0; out = "" }
		{
			while (length(line) > 0) {
				if (incomment) {
					i = index(line, "*/")
					if (!i) { line = ""; break }
					line = substr(line, i + 2); incomment = 0
				} else {
					i = index(line, "/*")
					if (!i) { out = out line; line = ""; break }
					out = out substr(line, 1, i - 1)
					line = substr(line, i + 2); incomment = 1
				}
			}
			print out
		}'
}

for d in $below; do
	for f in "$d"/*.c "$d"/*.h "$d"/*.inc; do
		[ -f "$f" ] || continue
		env=$(code "$f" | grep -n -E '\b(secure_)?getenv[[:space:]]*\(|\benviron\b|\b__environ\b')
		walk=
		case $f in
		src/discover/paths.c) ;;
		*) walk=$(code "$f" | grep -n -E '"/?\.git"') ;;
		esac
		if [ -z "$env$walk" ]; then
			passed=$((passed + 1))
		elif pending "$f"; then
			echo "PENDING $f: reads the environment or walks for .git itself (the other agent CLIs' change)"
		else
			[ -n "$env" ] && echo "FAIL $f: reads the environment below the setup (src/cli/ reads it once: cli_setup()):" &&
				echo "$env" | sed 's/^/  /'
			[ -n "$walk" ] && echo "FAIL $f: looks for a repository itself (pa_project_root(), pa_repository_root() or the places of discover.h are the one root finder):" &&
				echo "$walk" | sed 's/^/  /'
			failed=$((failed + 1))
		fi
	done
done

summary
