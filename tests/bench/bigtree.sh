#!/bin/sh
# bigtree.sh [PROGRAM]: the largest repositories (issue 58), never pass/fail.
#
# On the generated tree (gen-tree.sh: 300,000 files in 30,000 directories,
# instruction files in 100 of them, 20 agents, made a git repository) and,
# with BENCH_KERNEL=1, on the Linux kernel's source (Debian's
# linux-source-6.1, installed with apt-get when it is missing: 78,000
# files, CLAUDE.md, AGENTS.md and GEMINI.md added in nine directories, 20
# agents), in one run:
#
#   - find . -name AGENTS.md -o -name CLAUDE.md -o -name GEMINI.md -o
#     -name '*.instructions.md', the walk every check is held to (2x);
#   - check with Claude Code's rules and with --harness for each other CLI,
#     and --harness all (one run, one listing for every CLI);
#   - count . against git ls-files -z | xargs -0 cat | promptasm count
#     --lossy (the kernel holds binaries: without it the stream stops at
#     the first invalid byte)
#     (1.3x): the files git lists, as one stream; and the peak memory
#     (maxrss, with GNU time) of both, -j 2.
#
# Each figure is the best of 3 wall-clock runs, one line `WHAT: VALUE UNIT`
# (the ratio after it).  BENCH_TREE=DIR keeps the generated tree there
# between runs; BENCH_LINUX=DIR the kernel's source, extracted there once.
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
P=$(cd "$(dirname "${1:-$root/promptasm}")" && pwd)/$(basename "${1:-$root/promptasm}")
export PROMPTASM_TOKENIZERS="${PROMPTASM_TOKENIZERS:-$root/tokenizers}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# best3 CMD...: the best of 3 wall-clock seconds of sh -c CMD, in the tree.
best3() {
	b=
	for _ in 1 2 3; do
		s=$(now)
		sh -c "$1" >/dev/null 2>&1
		e=$(now)
		b=$(echo "$s $e ${b:-}" | awk '{ t = $2 - $1; if ($3 == "" || t < $3) print t; else print $3 }')
	done
	echo "$b"
}

measure() { # NAME DIR
	name=$1
	cd "$2" || return
	echo "# $name: $(git ls-files | wc -l) files in git, $(find . -type d -not -path './.git*' | wc -l) directories"
	f=$(best3 "find . -name AGENTS.md -o -name CLAUDE.md -o -name GEMINI.md -o -name '*.instructions.md'")
	echo "$name find: $f s"
	for h in claude-code codex copilot gemini opencode qwen pi all; do
		if [ "$h" = claude-code ]; then
			c=$(best3 "'$P' check -q -b 10000000")
		else
			c=$(best3 "'$P' check -q -b 10000000 --harness $h")
		fi
		if [ "$h" = claude-code ]; then
			"$P" check -q -b 10000000 >/dev/null 2>"$work/err"
		else
			"$P" check -q -b 10000000 --harness "$h" >/dev/null 2>"$work/err"
		fi
		rc=$?
		lim=$(grep -q 'limit' "$work/err" && echo ', A WALK LIMIT')
		echo "$name check $h: $c s, $(echo "$c $f" | awk '{ printf "%.2fx find", $1 / $2 }'), exit $rc$lim"
	done
	c=$(best3 "'$P' count .")
	g=$(best3 "git ls-files -z | xargs -0 cat | '$P' count --lossy")
	echo "$name count .: $c s; git ls-files | xargs cat | count: $g s, $(echo "$c $g" | awk '{ printf "%.2fx", $1 / $2 }')"
	# Peak memory (GNU time's maxrss) of count -j 2 . against the stream
	# of the same bytes: what the walk holds beyond the count's own.
	if [ -x /usr/bin/time ]; then
		m=$(/usr/bin/time -f %M "$P" count -j 2 . 2>&1 >/dev/null | tail -n 1)
		s=$(git ls-files -z | xargs -0 cat | /usr/bin/time -f %M "$P" count -j 2 --lossy 2>&1 >/dev/null | tail -n 1)
		echo "$name count -j 2 . peak memory: $m KB; git ls-files | xargs cat | count -j 2: $s KB"
	fi
	cd "$work" || return
}

echo "# $(uname -srm), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d)"
echo "# $("$P" --version 2>/dev/null | head -n 1)"
tree=${BENCH_TREE:-$work/tree}
if [ ! -d "$tree/.git" ]; then
	sh "$here/gen-tree.sh" "$tree" 30000 10
	rm -rf "$tree/.git"
	(cd "$tree" && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm tree)
fi
measure tree "$tree"

if [ "${BENCH_KERNEL:-0}" = 1 ]; then
	src=/usr/src/linux-source-6.1.tar.xz
	if [ ! -f "$src" ]; then
		S=$([ "$(id -u)" -eq 0 ] || echo sudo)
		$S apt-get install -y linux-source-6.1 >/dev/null || { echo "# linux-source-6.1: not installed"; exit 0; }
	fi
	k=${BENCH_LINUX:-$work/linux}
	mkdir -p "$k"
	[ -f "$k/Makefile" ] || tar -xJf "$src" -C "$k" --strip-components=1 --no-same-owner
	cd "$k" || exit 0
	# Debian's packaging ends the top .gitignore with "/*" and
	# "!/debian/" (its repository holds only debian/): as in the
	# kernel's own repository, without them.
	sed -i '/^# Debian packaging/,$d' .gitignore
	[ -d .git ] && rm -rf .git
	for d in . kernel mm fs drivers drivers/gpu drivers/gpu/drm net arch/x86; do
		printf '# Instructions for %s\n\nKeep changes small; run the tests.\n' "$d" |
			tee "$d/CLAUDE.md" "$d/AGENTS.md" >"$d/GEMINI.md"
	done
	mkdir -p .claude/agents
	a=1
	while [ $a -le 20 ]; do
		printf -- '---\nname: agent%02d\ndescription: agent number %d\n---\nYou review part %d.\n' \
			"$a" "$a" "$a" >".claude/agents/agent$(printf %02d $a).md"
		a=$((a + 1))
	done
	git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm linux
	measure linux "$k"
fi
