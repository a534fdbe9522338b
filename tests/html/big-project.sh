#!/bin/sh
# big-project.sh DIR [TOKENS]: a project in DIR whose agent `big` gets a
# prompt of TOKENS tokens of o200k_base (default 200,000): its CLAUDE.md
# is this repository's README, docs and C sources, repeated and cut to size by
# `promptasm trim`.  For the screenshots and the measurements of the HTML
# report (screenshots.sh, measure.sh); the same checkout gives the same
# project.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
pa=${PROMPTASM:-$root/promptasm}
dir=$1
tokens=${2:-200000}

mkdir -p "$dir/.claude/agents" "$dir/.git"
printf -- '---\nname: big\ndescription: an agent with %s tokens of project notes\n---\n%s\n' \
	"$tokens" "You review code. Read the project notes before you start." \
	>"$dir/.claude/agents/big.md"
# In the project, so that the trimmer's marker names the same file in
# every run.
all=$dir/notes.md
trap 'rm -f "$all" "$all.one"' EXIT
for f in "$root/README.md" "$root/SECURITY.md" "$root"/docs/*.md "$root"/src/*/*.c; do
	printf '## %s\n\n' "${f#"$root"/}"
	case $f in
	*.c) printf '```c\n'; cat "$f"; printf '```\n\n' ;;
	*) cat "$f"; printf '\n' ;;
	esac
done >"$all.one"
: >"$all"
while [ "$("$pa" count -q -t o200k_base "$all" | cut -d' ' -f1)" -lt "$tokens" ]; do
	cat "$all.one" >>"$all"
done
# Room for the body, the heading and the joins.
cd "$dir"
"$pa" trim -q -t o200k_base -b "$((tokens - 40))" notes.md >CLAUDE.md
