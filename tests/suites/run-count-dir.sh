#!/bin/sh
# count DIR (issue 58): what git leaves out is left out (.gitignore at
# every level, the ones above DIR up to the repository's top, and
# .git/info/exclude; --no-ignore counts it), --exclude, --top, --sort,
# binaries of any size shown as not text, the counts the same on one
# thread and on many, the walk's limit failing closed with the way to
# raise it.  Each case compares with what git itself lists or with the
# counts of the files counted one by one.
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $case: $*"
}

# pc DIR ARGS...: promptasm ARGS... run in DIR; $out, $err, $st.
pc() {
	d=$1
	shift
	(cd "$d" && "$PROMPTASM" "$@") >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# A repository: ignored at the top, in a subdirectory, by info/exclude,
# and taken back in with a `!` pattern.
r="$tmp/repo"
mkdir -p "$r/src/sub" "$r/dist" "$r/build" "$r/docs/deep"
printf 'dist/\n*.log\n!keep.log\n/docs/deep/\n' >"$r/.gitignore"
printf 'generated.c\n' >"$r/src/.gitignore"
printf 'int main(void) { return 0; }\n' >"$r/src/main.c"
printf 'int generated;\n' >"$r/src/generated.c"
printf 'one two three four five six\n' >"$r/src/sub/notes.txt"
printf 'var bundle = "ten thousand tokens";\n' >"$r/dist/bundle.js"
printf 'a log line\n' >"$r/run.log"
printf 'kept\n' >"$r/keep.log"
printf 'object\n' >"$r/build/out.o"
printf 'hidden\n' >"$r/docs/deep/x.md"
printf '# Docs\n' >"$r/docs/README.md"
if have git; then
	git -C "$r" init -q
	printf 'build/\n' >>"$r/.git/info/exclude"
else
	mkdir -p "$r/.git/info"
	printf 'build/\n' >"$r/.git/info/exclude"
fi

case=ignored-left-out
pc "$r" count -f json .
got=$(jq -r '.files[].path' "$tmp/out" 2>/dev/null | sed 's|^\./||' | sort | tr '\n' ' ')
want=".gitignore docs/README.md keep.log src/.gitignore src/main.c src/sub/notes.txt "
if [ $st -eq 0 ] && [ "$got" = "$want" ]; then ok; else
	fail "status $st, files: $got (want $want) $(head -c 300 "$tmp/err")"
fi

case=as-git-lists
if have git; then
	gitlist=$(cd "$r" && git ls-files --others --cached --exclude-standard | sort | tr '\n' ' ')
	if [ "$gitlist" = "$want" ]; then ok; else fail "git lists $gitlist, count $want"; fi
else
	skip "$case" git
fi

case=no-ignore
pc "$r" count -f json --no-ignore .
n=$(jq '.files | length' "$tmp/out" 2>/dev/null)
if [ $st -eq 0 ] && [ "$n" = 11 ]; then ok; else fail "status $st, $n files"; fi

case=subdirectory-honours-above
pc "$r/src" count -f json .
got=$(jq -r '.files[].path' "$tmp/out" 2>/dev/null | sort | tr '\n' ' ')
if [ $st -eq 0 ] && [ "$got" = "./.gitignore ./main.c ./sub/notes.txt " ]; then ok; else
	fail "status $st, $got"
fi
pc "$r" count -f json docs
got=$(jq -r '.files[].path' "$tmp/out" 2>/dev/null | tr '\n' ' ')
if [ $st -eq 0 ] && [ "$got" = "docs/README.md " ]; then ok; else fail "status $st, $got"; fi

case=exclude
pc "$r" count -f json --exclude '*.txt' --exclude 'src/main.c' --exclude '/docs' .
got=$(jq -r '.files[].path' "$tmp/out" 2>/dev/null | sed 's|^\./||' | sort | tr '\n' ' ')
if [ $st -eq 0 ] && [ "$got" = ".gitignore keep.log src/.gitignore " ]; then ok; else
	fail "status $st, $got"
fi

# Inside a git work tree the files are the index's and the untracked ones
# .gitignore does not ignore: what `git ls-files --cached --others
# --exclude-standard` lists, read from the index by us (git is never run
# by promptasm).  Three kinds of entry git lists that we do not count:
# a tracked file deleted from disk (nothing to read), a tracked link
# (links are never followed), and another repository (a submodule's
# gitlink `sub`, an untracked nested repository `nested/`), whose files
# are its own: count it on its own.
case=git-index
if have git; then
	g="$tmp/git"
	mkdir -p "$g/src/gen" "$g/build" "$g/docs/a/b" "$g/nested/x" "$g/sub" "$g/node_modules/pkg" "$g/logs"
	printf 'build/\n*.log\n!keep.log\n/src/gen/\nvendor*\n' >"$g/.gitignore"
	printf '*.md\n!README.md\n' >"$g/docs/.gitignore"
	printf 'b/\n' >"$g/docs/a/.gitignore"
	for f in src/main.c src/gen/tracked.c src/gen/untracked.c build/tracked.o build/untracked.o \
		docs/README.md docs/guide.md docs/a/b/deep.txt docs/a/c.txt run.log keep.log \
		logs/old.log deleted.txt node_modules/pkg/index.js nested/x/n.txt vendored.c top.txt; do
		printf 'text of %s\n' "$f" >"$g/$f"
	done
	ln -s top.txt "$g/link.txt"
	git -C "$g" init -q
	git -C "$g" init -q nested
	# tracked: what .gitignore would leave out, forced in
	git -C "$g" add .gitignore docs/.gitignore docs/a/.gitignore src/main.c top.txt link.txt deleted.txt keep.log
	git -C "$g" add -f src/gen/tracked.c build/tracked.o docs/guide.md logs/old.log
	# a submodule: a gitlink in the index, its directory on disk
	git -C "$g/sub" init -q
	printf 'sub\n' >"$g/sub/s.txt"
	git -C "$g/sub" add s.txt
	git -C "$g/sub" -c user.name=t -c user.email=t@t commit -qm s
	git -C "$g" update-index --add --cacheinfo "160000,$(git -C "$g/sub" rev-parse HEAD),sub"
	rm "$g/deleted.txt"
	printf 'untracked %s\n' x >"$g/logs/new.log"
	(cd "$g" && git ls-files --cached --others --exclude-standard) | sort -u >"$tmp/git-all"
	(cd "$g" && git ls-files --deleted; git ls-files -s | awk '$1 == 120000 || $1 == 160000 { print $4 }') |
		sort -u >"$tmp/git-not-read"
	grep -v '/$' "$tmp/git-all" | comm -23 - "$tmp/git-not-read" >"$tmp/git-want"
	pc "$g" count -f json .
	jq -r '.files[].path' "$tmp/out" 2>/dev/null | sed 's|^\./||' | sort >"$tmp/git-got"
	if [ $st -eq 0 ] && cmp -s "$tmp/git-want" "$tmp/git-got" && grep -q '^nested/$' "$tmp/git-all" &&
		grep -q '^sub$' "$tmp/git-not-read" && grep -q '^build/tracked.o$' "$tmp/git-got" &&
		! grep -q 'build/untracked.o\|src/gen/untracked.c\|^nested/\|^sub/' "$tmp/git-got"; then ok; else
		fail "status $st, $(diff "$tmp/git-want" "$tmp/git-got" | tr '\n' ' ') $(head -c 300 "$tmp/err")"
	fi
	# from a subdirectory: the same files below it
	pc "$g/docs" count -f json .
	jq -r '.files[].path' "$tmp/out" 2>/dev/null | sed 's|^\./|docs/|' | sort >"$tmp/git-got"
	grep '^docs/' "$tmp/git-want" >"$tmp/git-want-docs"
	if [ $st -eq 0 ] && cmp -s "$tmp/git-want-docs" "$tmp/git-got"; then ok; else
		fail "from docs: status $st, $(diff "$tmp/git-want-docs" "$tmp/git-got" | tr '\n' ' ')"
	fi
	# --no-ignore: everything on disk, as before (the nested
	# repositories' files too, node_modules and .git not walked)
	pc "$g" count -f json --no-ignore .
	if [ $st -eq 0 ] && jq -r '.files[].path' "$tmp/out" | grep -q 'build/untracked.o' &&
		jq -r '.files[].path' "$tmp/out" | grep -q 'nested/x/n.txt'; then ok; else
		fail "--no-ignore: status $st"
	fi
	# an index we do not read: a split index; the walk, and a note
	git -C "$g" update-index --split-index
	pc "$g" count -f json .
	if [ $st -eq 0 ] && grep -q 'split index' "$tmp/err" && grep -q 'walk that honours .gitignore' "$tmp/err" &&
		! jq -r '.files[].path' "$tmp/out" | grep -q 'build/tracked.o'; then ok; else
		fail "split index: status $st, $(head -c 300 "$tmp/err")"
	fi
	git -C "$g" update-index --no-split-index
	# a broken index: an error naming it and the byte
	printf 'DIRC\000\000\000\002\000\000\000\001' >"$g/.git/index"
	head -c 40 /dev/zero >>"$g/.git/index"
	pc "$g" count .
	if [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q 'in .*\.git/index at byte' "$tmp/err"; then ok; else
		fail "broken index: status $st, $(head -c 300 "$tmp/err")"
	fi
else
	skip "$case" git
fi

# Each file's count is the count of the file alone; the total their sum.
case=top-and-sort
pc "$r" count --no-ignore -f json .
jq -r '.files[] | "\(.tokens) \(.path)"' "$tmp/out" | sort -k1,1nr -k2 >"$tmp/all"
total=$(jq '.tokens' "$tmp/out")
sum=0
bad=0
while read -r n p; do
	one=$(cd "$r" && "$PROMPTASM" count "$p" | cut -d' ' -f1)
	[ "$one" = "$n" ] || bad=$((bad + 1))
	sum=$((sum + n))
done <"$tmp/all"
pc "$r" count --no-ignore --top 3 --sort tokens .
head -n 3 "$tmp/all" | awk '{ print $1, $2 }' >"$tmp/want-top"
sed 1d "$tmp/out" | awk '{ print $1, $2 }' >"$tmp/got-top"
first=$(head -n 1 "$tmp/out" | awk '{ print $1 }')
if [ $st -eq 0 ] && [ $bad -eq 0 ] && [ "$sum" = "$total" ] && [ "$first" = "$total" ] &&
	cmp -s "$tmp/want-top" "$tmp/got-top"; then ok; else
	fail "status $st, $bad files differ, sum $sum total $total first $first: $(cat "$tmp/out")"
fi
# --top N alone: the N largest, largest first, as du | sort -rn | head.
pc "$r" count --no-ignore --top 3 .
sed 1d "$tmp/out" | awk '{ print $1, $2 }' >"$tmp/got-top"
if [ $st -eq 0 ] && cmp -s "$tmp/want-top" "$tmp/got-top"; then ok; else
	fail "--top alone: $(cat "$tmp/out")"
fi
pc "$r" count --no-ignore --top 3 --sort path .
sort -k2 "$tmp/want-top" >"$tmp/want-path"
sed 1d "$tmp/out" | awk '{ print $1, $2 }' >"$tmp/got-path"
if [ $st -eq 0 ] && cmp -s "$tmp/want-path" "$tmp/got-path"; then ok; else
	fail "--top by path: $(cat "$tmp/out")"
fi
# --share: each line's count over the total, in percent, the total 100.0%.
pc "$r" count --no-ignore --share .
bad=$(awk -v t="$total" '$2 ~ /%$/ { p = $2; sub(/%/, "", p); want = sprintf("%.1f", 100 * $1 / t);
	if (p != want) print } $2 !~ /%$/ && $1 != "-" { print }' "$tmp/out")
if [ $st -eq 0 ] && [ -z "$bad" ] && head -n 1 "$tmp/out" | grep -q "^$total  100\.0%  \./$"; then ok; else
	fail "--share: $bad $(head -n 3 "$tmp/out")"
fi
# The tree by tokens: each directory's entries, largest first.
pc "$r" count --sort tokens src
if [ $st -eq 0 ] && [ "$(sed -n 2p "$tmp/out" | grep -c 'main\.c')" = 1 ]; then ok; else
	fail "tree by tokens: $(cat "$tmp/out")"
fi
pc "$r" count --sort size src
if [ $st -eq 2 ] && grep -q "unknown sort 'size'" "$tmp/err"; then ok; else fail "--sort size: status $st"; fi
pc "$r" count --top 0 src
if [ $st -eq 2 ]; then ok; else fail "--top 0: status $st"; fi

# --skip-generated: repomix's default patterns (lock files anywhere, a
# build directory at the top only), snapshots, source maps, binaries by
# their extension; everything else counted as without it.
case=skip-generated
k="$tmp/skip"
mkdir -p "$k/web/__snapshots__" "$k/build" "$k/src/build" "$k/img"
for f in package-lock.json web/yarn.lock web/__snapshots__/a.test.js.snap web/app.test.js.snap \
	web/app.js.map web/app.js build/out.txt src/build/kept.txt src/main.c img/logo.png Cargo.lock README.md; do
	printf 'text of %s\n' "$f" >"$k/$f"
done
pc "$k" count -f json --skip-generated .
got=$(jq -r '.files[].path' "$tmp/out" 2>/dev/null | sed 's|^\./||' | sort | tr '\n' ' ')
want="README.md src/build/kept.txt src/main.c web/app.js "
pc "$k" count -f json .
n=$(jq '.files | length' "$tmp/out" 2>/dev/null)
if [ "$got" = "$want" ] && [ "$n" = 12 ]; then ok; else fail "files: $got (want $want), $n without it"; fi

# The patterns docs/count.md lists are the program's: its text blocks
# under --skip-generated, word by word, against the strings of
# count_skip.c.
case=skip-generated-documented
sed -n '/^## What repomix leaves out/,$p' "$root/docs/count.md" |
	awk '/^```text/ { t = 1; next } /^```/ { t = 0 } t' | tr ' ' '\n' | sed '/^$/d' >"$tmp/doc-pats"
sed -n '/cli_count_skip_patterns\[\] =/,/^	;/p' "$root/src/cli/count_skip.c" |
	grep -v '^[[:space:]]*/\*' | grep -o '"[^"]*"' | tr -d '"' | tr -d '\n' |
	sed 's/\\n/\n/g' | sed '/^$/d' >"$tmp/code-pats"
if [ -s "$tmp/code-pats" ] && [ "$(wc -l <"$tmp/code-pats")" -gt 300 ] &&
	cmp -s "$tmp/doc-pats" "$tmp/code-pats"; then ok; else
	fail "docs/count.md's patterns differ from count_skip.c's: $(diff "$tmp/doc-pats" "$tmp/code-pats" | head -n 5 | tr '\n' ' ')"
fi

# A directory the repository's .gitignore leaves out (`.claude/` ignored,
# one agent file forced in): counted from the top, from inside it, or by
# its name, the same files, as git lists them; a note says why.
case=ignored-directory
if have git; then
	c="$tmp/claude"
	mkdir -p "$c/.claude/agents" "$c/.claude/worktrees/x"
	printf '.claude/\n' >"$c/.gitignore"
	printf -- '---\nname: a\n---\nan agent\n' >"$c/.claude/agents/a.md"
	seq 1 500 >"$c/.claude/worktrees/x/big.txt"
	git -C "$c" init -q
	git -C "$c" add -f .claude/agents/a.md
	pc "$c" count -f json .
	top=$(jq -r '.files[].path' "$tmp/out" | grep claude | sed 's|^\./||')
	pc "$c" count -f json .claude
	byname=$(jq -r '.files[].path' "$tmp/out")
	pc "$c/.claude" count -f json .
	inside=$(jq -r '.files[].path' "$tmp/out")
	if [ "$top" = .claude/agents/a.md ] && [ "$byname" = .claude/agents/a.md ] &&
		[ "$inside" = ./agents/a.md ] && grep -q 'ignored by .gitignore' "$tmp/err"; then ok; else
		fail "from the top: $top, by name: $byname, inside: $inside"
	fi
	pc "$c/.claude" count -f json --no-ignore .
	n=$(jq '.files | length' "$tmp/out")
	if [ "$n" = 2 ]; then ok; else fail "--no-ignore: $n files"; fi
else
	skip "$case" git
fi

# Binaries of any size: not text, never an abort; a file that is text
# for its first megabytes and has a NUL byte far in is not text either.
case=binaries
b="$tmp/bin"
mkdir -p "$b"
head -c 20000000 /dev/urandom >"$b/random.bin"
{ awk 'BEGIN { for (i = 0; i < 800000; i++) print "a line of text to count" }'; printf 'x\0y'; } >"$b/late-nul.dat"
{ awk 'BEGIN { for (i = 0; i < 800000; i++) print "a line of text to count" }'; printf '\377\n'; } >"$b/late-latin1.txt"
awk 'BEGIN { for (i = 0; i < 800000; i++) print "a line of text to count" }' >"$b/big.txt"
pc "$b" count .
if [ $st -eq 0 ] && grep -q 'random\.bin  (not text)' "$tmp/out" && grep -q 'late-nul\.dat  (not text)' "$tmp/out" &&
	grep -q 'late-latin1\.txt  (not text)' "$tmp/out" && grep -q '^ *[0-9][0-9]*  .*big\.txt$' "$tmp/out" &&
	grep -q '3 files not counted' "$tmp/err"; then ok; else
	fail "status $st, $(cat "$tmp/out") $(head -c 300 "$tmp/err")"
fi
pc "$b" count --lossy -f json .
n=$(jq '[.files[] | select(.path | endswith("late-latin1.txt"))] | length' "$tmp/out" 2>/dev/null)
if [ $st -eq 0 ] && [ "$n" = 1 ]; then ok; else fail "--lossy: status $st, $n"; fi

# One thread or many: the same output, byte for byte.
case=jobs
i=0
mkdir -p "$tmp/many"
while [ $i -lt 300 ]; do
	mkdir -p "$tmp/many/d$((i % 17))"
	printf 'file %d has some words in it, %d of them\n' $i $((i * 7)) >"$tmp/many/d$((i % 17))/f$i.txt"
	i=$((i + 1))
done
pc "$tmp/many" count -j 1 .
cp "$tmp/out" "$tmp/one"
pc "$tmp/many" count -j 8 .
if [ $st -eq 0 ] && cmp -s "$tmp/one" "$tmp/out" && [ "$(wc -l <"$tmp/out")" -eq 318 ]; then ok; else
	fail "status $st, -j 1 and -j 8 differ or wrong length"
fi

# The walk's limit: fails, names itself and the way to raise it.
case=max-entries
pc "$tmp/many" count --max-entries 100 .
if [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q 'limit of 100 files and directories (PA_WALK_MAX_ENTRIES): raise it with --max-entries' "$tmp/err"; then ok; else
	fail "status $st, $(head -c 300 "$tmp/err")"
fi
pc "$tmp/many" count --max-entries 317 .
if [ $st -eq 0 ]; then ok; else fail "317 entries: status $st"; fi

# A tree whose text passes the 64 KB at which the last input's tree is
# written as it is rendered: the same lines as when it is held whole (an
# input after it), nothing at all when an input after it fails, a JSON
# report that parses, and a write that fails said once, exit 3.
case=tree-written-as-rendered
big="$tmp/big"
i=0
while [ $i -lt 40 ]; do
	mkdir -p "$big/directory-number-$i"
	(cd "$big/directory-number-$i" && for j in 0 1 2 3 4 5 6 7 8 9; do
		for k in 0 1 2 3 4 5 6 7; do printf 'x%d\n' "$k" >"a-rather-long-file-name-$j$k.txt"; done
	done)
	i=$((i + 1))
done
printf 'one\n' >"$tmp/one.txt"
pc "$big" count .
cp "$tmp/out" "$tmp/streamed"
pc "$big" count . "$tmp/one.txt"
if [ $st -eq 0 ] && [ "$(wc -c <"$tmp/streamed")" -gt 65536 ] &&
	head -n "$(wc -l <"$tmp/streamed")" "$tmp/out" | cmp -s - "$tmp/streamed"; then ok; else
	fail "status $st, the tree differs when written as rendered"
fi
pc "$big" count "$tmp/one.txt" . "$tmp/missing.txt"
if [ $st -eq 2 ] && [ ! -s "$tmp/out" ]; then ok; else
	fail "a later input failed: status $st, $(wc -c <"$tmp/out") bytes out"
fi
pc "$big" count -f json .
if [ $st -eq 0 ] && { ! have jq || [ "$(jq '.files | length' "$tmp/out")" -eq 3200 ]; }; then ok; else
	fail "json: status $st"
fi
if [ -w /dev/full ]; then
	(cd "$big" && "$PROMPTASM" count .) >/dev/full 2>"$tmp/err"
	st=$?
	if [ $st -eq 3 ] && [ "$(grep -c 'cannot write to standard output' "$tmp/err")" -eq 1 ]; then ok; else
		fail "/dev/full: status $st, $(head -c 300 "$tmp/err")"
	fi
fi

# A .git that is a file (a linked worktree's, a submodule's: "gitdir:
# PATH") is git's own, as the directory is: not counted, with or without
# --no-ignore (git never lists it).
case=dotgit-file
wt="$tmp/worktree"
mkdir -p "$wt"
printf 'gitdir: /somewhere/else/.git/worktrees/wt\n' >"$wt/.git"
printf 'one two three\n' >"$wt/a.md"
for args in "" --no-ignore; do
	pc "$wt" count -f json $args .
	if [ $st -eq 0 ] && grep -q '"./a.md"' "$tmp/out" && ! grep -q '"./.git"' "$tmp/out"; then ok; else
		fail "count $args: status $st, $(head -c 300 "$tmp/out")"
	fi
done

# count --text with invalid UTF-8 on the command line: refused naming the
# byte, or repaired with --lossy.  Here and not in the golden case
# count/text-argument, which the npm package runs too: Node decodes the
# command line itself, so the package never sees the invalid byte.
case=text-invalid-utf8
pc "$tmp" count --text "$(printf 'ok \377')"
if [ $st -eq 2 ] && [ ! -s "$tmp/out" ] &&
	grep -q -- '--text: invalid UTF-8 at byte 3 (--lossy replaces it with U+FFFD)' "$tmp/err"; then ok; else
	fail "status $st, $(head -c 300 "$tmp/err")"
fi
pc "$tmp" count -q --lossy --text "$(printf 'ok \377')"
if [ $st -eq 0 ] && [ "$(cat "$tmp/out")" = 2 ]; then ok; else
	fail "--lossy: status $st, $(head -c 100 "$tmp/out")"
fi

summary
