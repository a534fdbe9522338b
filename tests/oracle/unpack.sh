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
#   === hardlink PATH TARGET a hard link to TARGET (relative to DIR)
#
# Before PATH (after `gen N`), the words bom, crlf and cr write the file
# with a UTF-8 byte order mark, with CR LF or with CR line ends; latin1
# writes it in ISO-8859-1, utf16 in UTF-16LE with its byte order mark (the
# fixture's text is UTF-8 either way); esc writes each \xNN of the text as
# that byte (a NUL, a byte that is not UTF-8).
#
# PATH is relative to DIR: home/ is $HOME, proj/ the project.
#
# A fixture may name its own directory as the oracle unpacks it:
# /tmp/promptasm-oracle/NAME in a file's text, -tmp-promptasm-oracle-NAME
# in a path (auto memory's directory is named so).  Unpacked elsewhere,
# both are rewritten for DIR.  $W in a file's text stands for DIR
# wherever it is unpacked (the absolute paths of a plugin registry); the
# bytes of a line are kept as written, CR and byte order mark included.
set -eu
fixture=$1
dir=$2
name=$(basename "$fixture" .txt)
mkdir -p "$dir/home" "$dir/proj"
awk -v dir="$dir" '
function close_out() { if (out != "") close(out); out = "" }
function open_out(f, i,   d) {
	close_out()
	eol = "\n"; bom = 0; enc = ""
	for (; f[i] ~ /^(bom|crlf|cr|latin1|utf16|esc)$/; i++) {
		if (f[i] == "bom") bom = 1
		else if (f[i] == "crlf") eol = "\r\n"
		else if (f[i] == "cr") eol = "\r"
		else enc = enc " " f[i]
	}
	out = dir "/" f[i]
	if (enc != "") print enc "\t" out > (dir "/.encode")
	d = out; sub(/\/[^\/]*$/, "", d)
	system("mkdir -p \"" d "\"")
	printf "%s", (bom ? "\357\273\277" : "") > out
}
/^=== / {
	delete f
	n = split(substr($0, 5), f, " ")
	if (f[1] == "gen") { gen = f[2]; open_out(f, 3); next }
	if (f[1] == "link" || f[1] == "hardlink") {
		close_out()
		d = dir "/" f[2]; sub(/\/[^\/]*$/, "", d)
		if (f[1] == "link")
			system("mkdir -p \"" d "\" && ln -s \"" f[3] "\" \"" dir "/" f[2] "\"")
		else
			system("mkdir -p \"" d "\" && ln \"" dir "/" f[3] "\" \"" dir "/" f[2] "\"")
		next
	}
	gen = 0; open_out(f, 1); next
}
out == "" { next }
gen > 0 {
	for (i = 1; i <= gen; i++) {
		line = $0; num = sprintf("%03d", i)
		gsub(/\{n\}/, num, line)
		printf "%s%s", line, eol > out
	}
	gen = 0; next
}
{ line = $0; gsub(/\$W/, dir, line); printf "%s%s", line, eol > out }
END { close_out() }
' "$fixture"
# The files written in another encoding than the fixture's UTF-8.
if [ -f "$dir/.encode" ]; then
	while IFS="$(printf '\t')" read -r enc f; do
		for e in $enc; do
			case $e in
			latin1) iconv -f UTF-8 -t ISO-8859-1 "$f" >"$f.new" ;;
			utf16) { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$f"; } >"$f.new" ;;
			esc) perl -pe 's/\\x([0-9A-Fa-f]{2})/chr hex $1/ge' "$f" >"$f.new" ;;
			esac
			mv "$f.new" "$f"
		done
	done <"$dir/.encode"
	rm -f "$dir/.encode"
fi

oracle=/tmp/promptasm-oracle/$name
[ "$dir" = "$oracle" ] && exit 0
key=$(printf '%s' "$oracle" | sed 's/[^A-Za-z0-9]/-/g')
dirkey=$(printf '%s' "$dir" | sed 's/[^A-Za-z0-9]/-/g')
grep -rlF "$oracle" "$dir" 2>/dev/null | while IFS= read -r f; do
	sed "s|$oracle|$dir|g" "$f" >"$f.new" && mv "$f.new" "$f"
done
find "$dir" -depth -name "*$key*" | while IFS= read -r p; do
	b=$(basename "$p")
	mv "$p" "$(dirname "$p")/$(printf '%s' "$b" | sed "s|$key|$dirkey|")"
done
