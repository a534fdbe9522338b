#!/bin/sh
# gen-tree.sh DIR [DIRS [FILES]]: a large repository tree for the tests and
# make bench (issue 58): DIRS directories (default 30,000) as DIRS/100 top
# directories of 100 each (dNNN/dNN/), FILES files in each (default 10:
# 300,000), each a line of C, and an object file (x.o) the root .gitignore
# leaves out; AGENTS.md, CLAUDE.md and GEMINI.md in 100 directories spread
# over the tree, 20 agents in .claude/agents/, and a .git directory.  The files of one leaf directory are
# hard links to those of the first (cp -al: a link is one system call where
# a new file is three), so that the tree takes seconds.  The same tree on
# every machine; no download.
set -eu
dir=$1
dirs=${2:-30000}
files=${3:-10}
tops=$(((dirs + 99) / 100))
mkdir -p "$dir/.git" "$dir/.template" "$dir/.claude/agents"
cd "$dir"
printf '*.o\n' >.gitignore
i=0
while [ $i -lt 100 ]; do
	leaf=.template/d$(printf %02d $i)
	mkdir "$leaf"
	j=0
	while [ $j -lt "$files" ]; do
		printf 'int v%d = %d;\n' "$j" "$i" >"$leaf/f$j.c"
		j=$((j + 1))
	done
	printf 'OBJ\n' >"$leaf/x.o"
	i=$((i + 1))
done
t=0
while [ $t -lt "$tops" ]; do
	cp -al .template "d$(printf %03d $t)"
	t=$((t + 1))
done
rm -rf .template
# The instruction files: one directory in each hundredth of the tree.
k=0
while [ $k -lt 100 ]; do
	d=d$(printf %03d $((k * tops / 100)))/d$(printf %02d $((k * 37 % 100)))
	printf '# Agents of %s\n\nRun the tests.\n' "$d" >"$d/AGENTS.md"
	printf '# Claude in %s\n\nBe brief.\n' "$d" >"$d/CLAUDE.md"
	printf '# Gemini in %s\n\nBe kind.\n' "$d" >"$d/GEMINI.md"
	k=$((k + 1))
done
a=1
while [ $a -le 20 ]; do
	printf -- '---\nname: agent%02d\ndescription: agent number %d\n---\nYou review the code of part %d.\n' \
		"$a" "$a" "$a" >".claude/agents/agent$(printf %02d $a).md"
	a=$((a + 1))
done
