#!/bin/sh
# What a user sees on a collection of real agent files (the 882 files of
# tests/corpus/agents, copied into one project's .claude/agents/):
# - every agent whose name holds '/' (12 of them) is built, explained and
#   checked by its name, and `completions --values agents` offers each
#   that is a plain shell word;
# - `build` and `explain` of one agent show the warnings that concern it
#   and one line for the rest, and `-q` hides them from `build`;
# - a broken file asked for by its name says why it does not load.
# Run on its own: make && sh tests/suites/run-corpus-cli.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
work=$(mktemp -d /tmp/promptasm-corpus-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

proj=$work/proj
mkdir -p "$proj/.claude" "$work/home"
cp -R "$here/corpus/agents" "$proj/.claude/agents"
mkdir "$proj/.git"
run() {
	(cd "$proj" && env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		${VALGRIND:-} "$PROMPTASM" "$@")
}

# ---- names that hold '/' ----
# The names as `agents` lists them (the winning definitions), one a line:
# a name may hold spaces too ("Python DevOps/CI-CD Expert").
run agents --format json 2>/dev/null |
	sed -n 's/^ *{"name": "\([^"]*\)", "source".*"wins": true.*/\1/p' |
	grep / | sort -u >"$work/slash"
n=$(wc -l <"$work/slash")
if [ "$n" -ge 11 ]; then ok; else fail "agents with '/' in their name: $n (want at least 11)"; fi
run completions --values agents 2>/dev/null | sort -u >"$work/offered"
while IFS= read -r name; do
	run build --no-managed -q "$name" >"$work/out" 2>"$work/err"
	st=$?
	if [ "$st" -eq 0 ] && [ -s "$work/out" ]; then ok; else
		fail "build '$name': exit $st: $(head -n 1 "$work/err")"
	fi
	run explain --no-managed -q "$name" >"$work/out" 2>"$work/err"
	st=$?
	if [ "$st" -eq 0 ] && head -n 1 "$work/out" | grep -q -F "$name"; then ok; else
		fail "explain '$name': exit $st: $(head -n 1 "$work/err")"
	fi
	run check --no-managed -q "$name" >"$work/out" 2>"$work/err"
	st=$?
	if [ "$st" -eq 0 ] || [ "$st" -eq 1 ]; then ok; else
		fail "check '$name': exit $st: $(head -n 1 "$work/err")"
	fi
	# The completions offer the names a shell word holds plainly (no
	# space, no quote): those, each.
	case $name in
	*[!A-Za-z0-9._:@+,=/-]*) ;;
	*)	if grep -q -x -F "$name" "$work/offered"; then ok; else
			fail "completions do not offer '$name'"
		fi ;;
	esac
done <"$work/slash"

# ---- warnings that concern the agent asked for ----
# python-expert is defined by four files: three warnings about it, and
# 178 about other agents' files summed up in one line.
all=$(run agents 2>&1 >/dev/null | grep -c 'warning:')
run build --no-managed python-expert 2>"$work/err" >/dev/null
mine=$(grep -c "both define agent 'python-expert'" "$work/err")
lines=$(grep -c 'warning:' "$work/err")
if [ "$mine" -eq 3 ]; then ok; else fail "build python-expert: $mine warnings about it (want 3)"; fi
if [ "$lines" -eq 4 ]; then ok; else
	fail "build python-expert: $lines warnings (want its 3 and one line for the rest)"
fi
others=$((all - 3))
if grep -q "warning: $others warnings about other agent files left out" "$work/err"; then ok
else fail "build python-expert: no line summing up the $others other warnings"; fi
run build --no-managed -q python-expert 2>"$work/err" >/dev/null
if [ ! -s "$work/err" ]; then ok; else fail "build -q python-expert: $(head -n 1 "$work/err")"; fi
lines=$(run explain --no-managed python-expert 2>/dev/null |
	sed -n '/^load rules:/,/^$/p' | grep -c '^  ')
if [ "$lines" -eq 4 ]; then ok; else fail "explain python-expert: $lines load-rule lines (want 4)"; fi
run explain --no-managed -f html python-expert 2>/dev/null >"$work/page.html"
lines=$(grep -o '<li class="warn">' "$work/page.html" | wc -l)
if [ "$lines" -eq 4 ]; then ok; else fail "explain -f html python-expert: $lines warnings (want 4)"; fi

# ---- a broken file asked for by its name ----
printf -- '---\nname: broken-one\ndescription: x\n  bad: [\n---\nbody\n' \
	>"$proj/.claude/agents/broken-one.md"
run build --no-managed -q broken-one >/dev/null 2>"$work/err"
st=$?
if [ "$st" -eq 2 ] && grep -q '^promptasm: \.claude/agents/broken-one\.md:4:6 does not load: cannot parse frontmatter' "$work/err"
then ok; else fail "build broken-one: exit $st: $(cat "$work/err")"; fi

# ---- check's HTML page at scale ----
# Every agent a row, what fails first; views of the first 20 agents and of
# 80 more that fail, not of all 700 (24.7 MB before); estimates keep ~.
run check --no-managed -q --skip-invalid -b 3000 -f html >"$work/check.html" 2>/dev/null
rows=$(grep -c '^<tr><td data-v=' "$work/check.html")
n=$(run agents --format json 2>/dev/null | grep -c '"wins": true')
if [ "$rows" -eq "$n" ] && [ "$n" -gt 600 ]; then ok; else fail "check html: $rows rows for $n agents"; fi
grep -o 'class="\(over\|ok\)">\(over\|ok\)</td></tr>' "$work/check.html" |
	sed 's/.*>\(over\|ok\)<.*/\1/' | uniq >"$work/statuses"
if [ "$(tr '\n' ' ' <"$work/statuses")" = "over ok " ]; then ok; else
	fail "check html: failures are not first: $(tr '\n' ' ' <"$work/statuses" | cut -c1-80)"
fi
views=$(grep -c '<section class="agent' "$work/check.html")
if [ "$views" -eq 100 ]; then ok; else fail "check html: $views views (want 20 first and 80 failing)"; fi
size=$(wc -c <"$work/check.html")
if [ "$size" -lt 8000000 ]; then ok; else fail "check html: $size bytes"; fi
if grep -q '<td class="n" data-v="[0-9]*">~[0-9]' "$work/check.html"; then ok; else
	fail "check html: estimates without their ~"
fi

summary
