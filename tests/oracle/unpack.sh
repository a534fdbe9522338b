#!/bin/sh
# unpack.sh FIXTURE DIR - writes the files of one oracle fixture into DIR.
#
# A fixture (tests/oracle/fixtures/NAME.txt) is one text file: header
# lines `key: value` (agent, cwd, env, expect-warning, ...; read by the
# runners, ignored here), then files, each introduced by a line
#
#   === PATH             the lines up to the next `===` are its content
#   === gen N PATH       one template line follows; the file gets N
#                        lines, each the template with {n} replaced by
#                        the line number (001, 002, ...)
#   === link PATH TARGET a symbolic link
#
# PATH is relative to DIR: home/ is $HOME, proj/ the project.  In file
# contents, $W stands for DIR (absolute paths that Claude Code keeps in
# its plugin registry); a line's bytes are kept as written, CR and byte
# order mark included.
set -eu
fixture=$1
dir=$2
mkdir -p "$dir/home" "$dir/proj"
awk -v dir="$dir" '
function close_out() { if (out != "") close(out); out = "" }
function open_out(path,   d) {
	close_out()
	out = dir "/" path
	d = out; sub(/\/[^\/]*$/, "", d)
	system("mkdir -p \"" d "\"")
	printf "" > out
}
/^=== / {
	n = split(substr($0, 5), f, " ")
	if (f[1] == "gen") { gen = f[2]; open_out(f[3]); next }
	if (f[1] == "link") {
		close_out()
		d = dir "/" f[2]; sub(/\/[^\/]*$/, "", d)
		system("mkdir -p \"" d "\" && ln -s \"" f[3] "\" \"" dir "/" f[2] "\"")
		next
	}
	gen = 0; open_out(f[1]); next
}
out == "" { next }
gen > 0 {
	for (i = 1; i <= gen; i++) {
		line = $0; num = sprintf("%03d", i)
		gsub(/\{n\}/, num, line)
		print line > out
	}
	gen = 0; next
}
{ line = $0; gsub(/\$W/, dir, line); print line > out }
END { close_out() }
' "$fixture"
