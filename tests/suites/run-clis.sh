#!/bin/sh
# One engine for every agent CLI: build, context, explain and check take
# --harness NAME[,NAME...] (or all, or the config's harness:), and every
# option and format of check works for every CLI, with one verdict:
#
#   - a project with a Claude Code agent over budget and an AGENTS.md chain
#     past Codex's 32 KiB cap fails `check --harness codex,claude-code -b N`
#     in every format, each naming the CLI and the file it cuts, each valid
#     in its format, the JSON's exit_status the exit status;
#   - the same from .promptasm.yaml (harness: and budget:), --harness all,
#     --warn-only (exit 0, still reported), --strict, a baseline that
#     catches an AGENTS.md that grew;
#   - context -f json has one shape for every CLI;
#   - a file with a byte that is not UTF-8 still counts.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
P=$PROMPTASM
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# The project: two agents, one far over any small budget; an AGENTS.md at
# the root (20 KiB) and one in pkg/ (13 KiB): started in pkg/, Codex cuts.
proj=$tmp/proj
mkdir -p "$proj/.git" "$proj/.claude/agents" "$proj/pkg" "$tmp/home"
printf -- '---\nname: big\ndescription: reviews\n---\n' > "$proj/.claude/agents/big.md"
i=0
while [ $i -lt 300 ]; do
	printf 'Review every change for correctness and style.\n'
	i=$((i + 1))
done >> "$proj/.claude/agents/big.md"
printf -- '---\nname: small\ndescription: brief\n---\nBe brief.\n' > "$proj/.claude/agents/small.md"
i=0
while [ $i -lt 450 ]; do
	printf 'Always write tests for every change you make.\r\n'
	i=$((i + 1))
done > "$proj/AGENTS.md"
i=0
while [ $i -lt 400 ]; do
	printf 'Use the conventions of this package.\n'
	i=$((i + 1))
done > "$proj/pkg/AGENTS.md"
export HOME=$tmp/home

run() { (cd "$proj/pkg" && "$P" "$@"); }

# check_formats LABEL ARGS...: every format exits 1, says failed, names
# codex and pkg/AGENTS.md, and is valid.
check_formats() {
	label=$1
	shift
	for f in text json junit markdown github html; do
		run check "$@" -f "$f" > "$tmp/out.$f" 2> "$tmp/err.$f"
		st=$?
		[ $st -eq 1 ] && ok || fail "$label -f $f: exit $st, want 1: $(head -c 300 "$tmp/err.$f")"
		grep -q 'codex' "$tmp/out.$f" && grep -q 'pkg/AGENTS.md' "$tmp/out.$f" && ok ||
			fail "$label -f $f: does not name codex and pkg/AGENTS.md"
		case $f in
		text) grep -q '^CUT codex:pkg: codex cuts pkg/AGENTS.md at line' "$tmp/out.text" && ok ||
			fail "$label -f text: no CUT line" ;;
		github) grep -q '^::error file=pkg/AGENTS.md,line=' "$tmp/out.github" && ok ||
			fail "$label -f github: no annotation on the cut file" ;;
		markdown) grep -q 'over budget' "$tmp/out.markdown" && grep -q '1 cut' "$tmp/out.markdown" && ok ||
			fail "$label -f markdown: the verdict does not say over and cut" ;;
		json)
			if have jq; then
				[ "$(jq -r '.status' "$tmp/out.json")" = over ] &&
				[ "$(jq -r '.exit_status' "$tmp/out.json")" = "$st" ] &&
				[ "$(jq -r '[.agents[] | select(.cli == "codex" and .cut != null)] | length' "$tmp/out.json")" = 1 ] &&
				[ "$(jq -r '[.agents[] | select(.cli == "claude-code" and .status == "over")] | length' "$tmp/out.json")" -ge 1 ] &&
				ok || fail "$label -f json: status, exit_status or rows wrong"
			else
				skip "$label -f json" jq
			fi ;;
		junit)
			if have xmllint; then
				xmllint --noout "$tmp/out.junit" 2>/dev/null &&
				grep -q 'failures="[1-9]' "$tmp/out.junit" &&
				grep -q 'classname="promptasm.check.codex"' "$tmp/out.junit" && ok ||
				fail "$label -f junit: invalid, or no failure of codex"
			else
				skip "$label -f junit" xmllint
			fi ;;
		html)
			if have xmllint; then
				xmllint --html --noout "$tmp/out.html" 2>/dev/null && ok ||
				fail "$label -f html: not valid HTML"
			else
				skip "$label -f html" xmllint
			fi
			grep -q 'class="over">cut\|class="over">over' "$tmp/out.html" && ok ||
				fail "$label -f html: no failing row"
			grep -q '<strong>The check failed (over, exit status 1): ' "$tmp/out.html" && ok ||
				fail "$label -f html: the page does not give the verdict" ;;
		esac
	done
}

check_formats "--harness codex,claude-code" --harness codex,claude-code -b 2000 --no-managed
printf 'harness: [codex, claude-code]\nbudget: 2000\n' > "$proj/.promptasm.yaml"
check_formats "harness: and budget: in the config" --no-managed
rm "$proj/.promptasm.yaml"

# --harness all: a row of every CLI.
if have jq; then
	run check --harness all -b 100000 -f json -q --no-managed > "$tmp/all.json"
	n=$(jq -r '[.agents[].cli] | unique | length' "$tmp/all.json")
	# every CLI of the table, as the message of a bad name lists them
	want=$(run build --harness nosuch 2>&1 | sed -n 's/.*(\(.*\) all).*/\1/p' | wc -w)
	[ "$n" = "$want" ] && [ "$want" -ge 8 ] && ok || fail "--harness all: rows of $n CLIs, want $want"
else
	skip "--harness all" jq
fi

# --warn-only reports and exits 0; --strict is taken.
out=$(run check --harness codex --warn-only -q 2>/dev/null)
st=$?
[ $st -eq 0 ] && echo "$out" | grep -q '^CUT codex:pkg' && ok ||
	fail "--warn-only: exit $st or no report"
run check --harness codex --strict -q >/dev/null 2>&1
st=$?
[ $st -eq 1 ] && ok || fail "--strict: exit $st, want 1 (the cut)"

# A baseline catches an AGENTS.md that grew.
run check --harness codex -f json -q > "$tmp/base.json" 2>/dev/null
cp "$proj/AGENTS.md" "$tmp/agents.saved"
i=0
while [ $i -lt 200 ]; do
	printf 'Grow.\n'
	i=$((i + 1))
done >> "$proj/AGENTS.md"
out=$(run check --harness codex --baseline "$tmp/base.json" --max-growth 2% -q 2>/dev/null)
st=$?
[ $st -eq 1 ] && echo "$out" | grep -q 'codex:\. .* grew$' && ok ||
	fail "--baseline --max-growth: exit $st, or codex:. not grew: $out"
# The page says what the text says: the row grew, the check failed.
run check --harness codex --baseline "$tmp/base.json" --max-growth 2% -f html -q > "$tmp/grew.html" 2>/dev/null
grep -q '>grew</td>' "$tmp/grew.html" && grep -q '<strong>The check failed' "$tmp/grew.html" && ok ||
	fail "--baseline --max-growth -f html: the page does not say the row grew"
cp "$tmp/agents.saved" "$proj/AGENTS.md"

# A row the baseline counted with no file ("sections": []) that now has
# one: the new file is where it grew, and the annotation is on it, not on
# the row's directory (file=.), and "Where it grew" names it.
mkdir -p "$tmp/first/.git"
(cd "$tmp/first" && "$P" check --harness codex -f json -q > "$tmp/first.json" 2>/dev/null)
printf 'Run the tests before every commit.\n' > "$tmp/first/AGENTS.md"
(cd "$tmp/first" && "$P" check --harness codex --baseline "$tmp/first.json" --max-growth 10% \
	-f github -q > "$tmp/first.gh" 2>/dev/null)
st=$?
[ $st -eq 1 ] && grep -q '^::error file=AGENTS.md,line=1,.*codex:\. grew .*it grew most in AGENTS.md' \
	"$tmp/first.gh" && ok || fail "a first AGENTS.md since the baseline: exit $st, not annotated on it: $(cat "$tmp/first.gh")"
(cd "$tmp/first" && "$P" check --harness codex --baseline "$tmp/first.json" -f markdown -q \
	2>/dev/null) | grep -q '^| codex:\. | AGENTS.md | file | +' && ok ||
	fail "a first AGENTS.md since the baseline: not in Where it grew"

# The page's verdict gives every reason the check fails, as the text's
# summary does: a file over its cap, warnings with --strict (it said
# "failed ... 2 ok, 0 over budget" and nothing more).
mkdir -p "$tmp/why/.git" "$tmp/why/.claude/agents"
printf -- '---\nname: a\ndescription: d\n---\nBe brief.\n' > "$tmp/why/.claude/agents/a.md"
printf -- '---\nname: b\ndescription: d\n---\nSee @missing.md\n' > "$tmp/why/CLAUDE.md"
printf 'instructions:\n  CLAUDE.md: 1\n' > "$tmp/why/.promptasm.yaml"
(cd "$tmp/why" && "$P" check --strict -f html -q > "$tmp/why.html" 2>/dev/null)
st=$?
[ $st -eq 1 ] && grep -q '<strong>The check failed (over, exit status 1): .*; 1 file over its cap; 1 warning (--strict: the check fails)' \
	"$tmp/why.html" && ok || fail "check --strict -f html: exit $st, or the verdict does not say why"

# context -f json: one shape for every CLI.
if have jq; then
	run context -f json -q --no-managed | jq -c 'keys' > "$tmp/keys.claude"
	for h in codex copilot gemini opencode qwen pi; do
		run context --harness "$h" -f json -q | jq -c 'keys' > "$tmp/keys.$h"
		cmp -s "$tmp/keys.claude" "$tmp/keys.$h" && ok ||
			fail "context --harness $h -f json: keys $(cat "$tmp/keys.$h"), Claude Code's $(cat "$tmp/keys.claude")"
		[ "$(run context --harness "$h" -f json -q | jq -r '.parts[].kind' | tr '\n' ' ')" = \
		  "system tools mcp agents skills memory environment " ] && ok ||
			fail "context --harness $h -f json: parts"
	done
else
	skip "context -f json shapes" jq
fi

# A byte that is not UTF-8 does not make a file count nothing.
printf 'Rules \377 for everyone.\n' > "$proj/pkg/AGENTS.md"
if have jq; then
	t=$(run build --harness codex -f json -q | jq '[.files[] | select(.path == "pkg/AGENTS.md") | .tokens] | .[0]')
	[ "${t:-0}" -gt 0 ] && ok || fail "a file with invalid UTF-8 counts $t tokens"
else
	skip "invalid UTF-8 counted" jq
fi

# Names a pull request controls, in every report of a harness list: a
# directory named as HTML, a mention, an issue reference and a link.
hp=$tmp/hostile
mkdir -p "$hp/.git" "$hp/.claude/agents"
printf -- '---\nname: a\ndescription: x\n---\nBe brief.\n' > "$hp/.claude/agents/a.md"
for d in '<img src=x onerror=alert(1)>' '@octocat' 'GH-12' '[x](javascript:alert(1))' '#34'; do
	mkdir -p "$hp/$d"
	printf 'Rules.\n' > "$hp/$d/AGENTS.md"
done
printf 'harness: [claude-code, codex]\nbudget: 10\nbudget_scope: context\n' > "$hp/.promptasm.yaml"
for f in markdown html json junit github text; do
	(cd "$hp" && "$P" check --no-managed -f "$f" -q > "$tmp/h.$f" 2>/dev/null)
	st=$?
	[ $st -eq 1 ] && ok || fail "hostile names -f $f: exit $st, want 1"
done
if grep -q '<img' "$tmp/h.markdown" "$tmp/h.html"; then fail "hostile names: raw <img in markdown or html"; else ok; fi
if grep -q '@octocat' "$tmp/h.markdown"; then fail "hostile names -f markdown: @octocat mentions"; else ok; fi
if grep -q 'GH-12' "$tmp/h.markdown"; then fail "hostile names -f markdown: GH-12 links an issue"; else ok; fi
if grep -q '[^\\]](javascript:' "$tmp/h.markdown"; then fail "hostile names -f markdown: a link"; else ok; fi
if grep -q '[^\\]#34\|^#34' "$tmp/h.markdown"; then fail "hostile names -f markdown: #34 links an issue"; else ok; fi
if grep -v '^::' "$tmp/h.github" | grep -q .; then fail "hostile names -f github: a line that is no workflow command"; else ok; fi
if have jq; then
	jq -e '.exit_status == 1 and ([.agents[] | select(.cli == "codex")] | length) >= 5' "$tmp/h.json" >/dev/null &&
		ok || fail "hostile names -f json: invalid, or rows missing"
fi
if have xmllint; then
	xmllint --noout "$tmp/h.junit" 2>/dev/null && ok || fail "hostile names -f junit: not XML"
fi
# context -f markdown: a path with backticks and a link stays text.
ld="$hp/a\` [click me](https://evil.example) \`b"
mkdir -p "$ld"
printf 'Rules.\n' > "$ld/AGENTS.md"
(cd "$ld" && "$P" context --harness codex -f markdown -q > "$tmp/ctx.md" 2>/dev/null)
if grep -q 'click me' "$tmp/ctx.md" && ! grep -q '[^\\]](http' "$tmp/ctx.md"; then ok; else
	fail "context -f markdown: a path became a link: $(grep click "$tmp/ctx.md")"
fi
rm -rf "$ld"

# The verdict first in the Markdown a comment takes, whatever follows.
head -n 3 "$tmp/h.markdown" | grep -q '^\*\*1 agent: .*; claude-code, codex: 7 start directories, 0 ok, 7 over budget' && ok ||
	fail "hostile names -f markdown: the verdict is not first"

# -o never replaces a file the request was made of: an instruction file,
# a file a configuration names, the configuration itself.
op=$tmp/outputs
mkdir -p "$op/.git" "$op/docs" "$op/.gemini" "$tmp/ohome/.codex"
printf 'Rules.\n' > "$op/AGENTS.md"
printf 'Gemini rules.\n' > "$op/GEMINI.md"
printf '{"context": {"fileName": ["GEMINI.md"]}}\n' > "$op/.gemini/settings.json"
printf '{"instructions": ["docs/x.md"]}\n' > "$op/opencode.json"
printf 'More rules.\n' > "$op/docs/x.md"
printf 'project_doc_max_bytes = 65536\n' > "$tmp/ohome/.codex/config.toml"
for c in "codex AGENTS.md" "codex $tmp/ohome/.codex/config.toml" "gemini GEMINI.md" \
	"gemini .gemini/settings.json" "opencode opencode.json" "opencode docs/x.md"; do
	h=${c%% *} f=${c#* }
	cp "$op/AGENTS.md" "$tmp/o.before" 2>/dev/null
	sum=$(cd "$op" && cksum < "$f")
	(cd "$op" && HOME=$tmp/ohome "$P" build --harness "$h" -o "$f" -q >/dev/null 2>&1)
	st=$?
	[ $st -ne 0 ] && [ "$(cd "$op" && cksum < "$f")" = "$sum" ] && ok ||
		fail "build --harness $h -o $f: exit $st, or the file was replaced"
done

# A directory whose settings the CLI refuses: the report is still written,
# names the file, and the check fails (exit 2).
bp=$tmp/badconf
mkdir -p "$bp/.git" "$bp/sub/.gemini"
printf 'Root.\n' > "$bp/GEMINI.md"
printf 'Sub.\n' > "$bp/sub/GEMINI.md"
printf '{bad\n' > "$bp/sub/.gemini/settings.json"
for f in json junit github; do
	(cd "$bp" && "$P" check --harness gemini,codex -f "$f" -q > "$tmp/bad.$f" 2>/dev/null)
	st=$?
	[ $st -eq 2 ] && grep -q 'settings.json' "$tmp/bad.$f" && ok ||
		fail "a refused sub/.gemini/settings.json -f $f: exit $st, or no report naming it"
done

# Agents are Claude Code's: another CLI alone takes none.
run check --harness codex big >/dev/null 2>&1
[ $? -eq 2 ] && ok || fail "check --harness codex AGENT: not a usage error"
run build --harness nosuch >/dev/null 2>&1
[ $? -eq 2 ] && ok || fail "--harness nosuch: not a usage error"

# Figures per version: the newest measured by default, another measured
# one by --harness NAME@VERSION or the config's harness:, each printed
# with its version; a version not measured draws a warning naming the
# measured ones.
vp=$tmp/versions
mkdir -p "$vp/.git"
echo 'Run make test before a commit.' > "$vp/AGENTS.md"
vrun() { (cd "$vp" && "$P" "$@"); }
newest=$(vrun context --harness codex -f json -q | jq -r .cli_version)
vrun context --harness codex@0.169.0 > "$tmp/v.out" 2> "$tmp/v.err"
head -1 "$tmp/v.out" | grep -q '^codex 0.169.0, model gpt-6.1-sol' && [ ! -s "$tmp/v.err" ] && ok ||
	fail "--harness codex@0.169.0: $(head -1 "$tmp/v.out") $(cat "$tmp/v.err")"
t169=$(vrun context --harness codex@0.169.0 -f json -q | jq .tokens)
tnew=$(vrun context --harness codex -f json -q | jq .tokens)
[ "$newest" != 0.169.0 ] && [ "$t169" -lt "$tnew" ] && ok ||
	fail "the newest version ($newest: $tnew tokens) is not the default over 0.169.0 ($t169)"
vrun context --harness codex@0.1.0 > "$tmp/v.out" 2> "$tmp/v.err"
[ $? -eq 0 ] && grep -q "codex 0.1.0 was not measured (measured: $newest, .*0.169.0" "$tmp/v.err" &&
	head -1 "$tmp/v.out" | grep -q "^codex $newest," && ok ||
	fail "an unknown version: no warning naming the measured ones: $(cat "$tmp/v.err")"
for cfg in 'harness: {codex: {version: 0.169.0}}' 'harness: [codex@0.169.0]' \
	'harness: {codex: {version: "0.169.0", profile: work}, claude-code: null}'; do
	printf '%s\n' "$cfg" > "$vp/.promptasm.yaml"
	[ "$(vrun context --harness codex -f json -q | jq -r .cli_version)" = 0.169.0 ] && ok ||
		fail "$cfg: not the version run"
done
printf 'harness: {codex: {version: 0.169.0}}\n' > "$vp/.promptasm.yaml"
[ "$(vrun context --harness codex@$newest -f json -q | jq -r .cli_version)" = "$newest" ] && ok ||
	fail "--harness codex@VERSION does not win over the config's version"
for cfg in 'harness: {codex: {versio: 1}}' 'harness: {codex: 3}' 'harness: [codex@]' \
	'harness: {codex: {version: [1]}}' 'harness: {codex: {version: 1, version: 2}}'; do
	printf '%s\n' "$cfg" > "$vp/.promptasm.yaml"
	vrun context --harness codex > /dev/null 2> "$tmp/v.err"
	[ $? -eq 2 ] && grep -q '.promptasm.yaml:1:' "$tmp/v.err" && ok ||
		fail "$cfg: not refused at its line: $(cat "$tmp/v.err")"
done
rm -f "$vp/.promptasm.yaml"
vrun context --harness codex@ > /dev/null 2>&1
[ $? -eq 2 ] && ok || fail "--harness codex@: not a usage error"

# Where a user may start an agent: not in a directory git ignores (build/,
# dist/ by .git/info/exclude, and below an ignored one), unless git
# tracks files there (vendor/lib: `git add -f`, as git lists them); a
# .gitignore below the root counts for its own directory; one that is a
# link is not followed (it could lead out of the repository).
if have git; then
	gp=$tmp/gitstart
	mkdir -p "$gp/src/gen" "$gp/build/x" "$gp/vendor/lib" "$gp/vendor/other" "$gp/dist" "$gp/pkg/sub" "$tmp/home"
	for d in . src src/gen build/x vendor/lib vendor/other dist pkg/sub; do
		printf 'Rules for %s.\n' "$d" > "$gp/$d/AGENTS.md"
	done
	printf 'build/\nvendor/\n' > "$gp/.gitignore"
	printf 'gen/\n' > "$gp/src/.gitignore"
	printf 'sub/\n' > "$tmp/outside-ignore"
	ln -s "$tmp/outside-ignore" "$gp/pkg/.gitignore"
	git -C "$gp" init -q
	printf 'dist/\n' >> "$gp/.git/info/exclude"
	git -C "$gp" add .gitignore AGENTS.md src/AGENTS.md src/.gitignore
	git -C "$gp" add -f vendor/lib/AGENTS.md
	for cli in codex copilot opencode qwen pi; do
		(cd "$gp" && HOME=$tmp/home "$P" check --no-managed --harness $cli -f json -q) > "$tmp/gs.json" 2> "$tmp/gs.err"
		got=$(jq -r '[.agents[].name] | sort | join(" ")' "$tmp/gs.json" 2>/dev/null)
		[ "$got" = "$cli:. $cli:pkg/sub $cli:src $cli:vendor/lib" ] && ok ||
			fail "start directories of $cli with .gitignore: $got $(head -c 200 "$tmp/gs.err")"
	done
fi

# --no-user and the config's load: {user: false} leave out the user's level
# for every CLI of the table: its instruction files in home or its own
# directory, and what its user configuration adds (files and directories
# it names, text it sends).  The project's files are read all the same.
# A CLI added to the table needs its line in user_markers (else this
# fails), and each marker must arrive without the option (else the
# fixture proves nothing).
up=$tmp/nouser
uh=$tmp/nouser-home
mkdir -p "$up/.git" "$up/.claude/agents" "$uh/.claude" "$uh/.codex" "$uh/.gemini" \
	"$uh/gx" "$uh/.qwen/rules" "$uh/qx" "$uh/.pi/agent" "$uh/.config/opencode" \
	"$uh/.copilot/instructions" "$uh/cx" "$uh/Documents/Cline/Rules" "$uh/.cline/rules" \
	"$uh/.config/kilo" "$uh/.kilo/rules" "$uh/Cline/Rules" "$uh/.agents"
printf -- '---\nname: a\ndescription: x\n---\nBe brief.\n' > "$up/.claude/agents/a.md"
for f in AGENTS.md GEMINI.md CLAUDE.md; do echo MK_PROJ > "$up/$f"; done
echo MK_U_CLAUDE > "$uh/.claude/CLAUDE.md"
echo MK_U_CODEX > "$uh/.codex/AGENTS.md"
printf 'developer_instructions = "MK_U_CODEXDEV"\n' > "$uh/.codex/config.toml"
echo MK_U_GEMINI > "$uh/.gemini/GEMINI.md"
printf '{"context": {"includeDirectories": ["~/gx"]}}\n' > "$uh/.gemini/settings.json"
echo MK_U_GEMINC > "$uh/gx/GEMINI.md"
echo MK_U_QWEN > "$uh/.qwen/QWEN.md"
echo MK_U_QWENRULE > "$uh/.qwen/rules/r.md"
printf '{"context": {"includeDirectories": ["~/qx"], "loadFromIncludeDirectories": true}}\n' \
	> "$uh/.qwen/settings.json"
echo MK_U_QWENINC > "$uh/qx/QWEN.md"
echo MK_U_PI > "$uh/.pi/agent/AGENTS.md"
echo MK_U_PIAPP > "$uh/.pi/agent/APPEND_SYSTEM.md"
echo MK_U_OC > "$uh/.config/opencode/AGENTS.md"
printf '{"instructions": ["~/oc-extra.md"]}\n' > "$uh/.config/opencode/opencode.json"
echo MK_U_OCI > "$uh/oc-extra.md"
echo MK_U_KILO > "$uh/.config/kilo/AGENTS.md"
echo MK_U_KILORULE > "$uh/.kilo/rules/r.md"
printf '{"instructions": ["~/kilo-extra.md"]}\n' > "$uh/.config/kilo/kilo.json"
echo MK_U_KILOI > "$uh/kilo-extra.md"
echo MK_U_COP > "$uh/.copilot/copilot-instructions.md"
echo MK_U_COPI > "$uh/.copilot/instructions/a.instructions.md"
echo MK_U_COPC > "$uh/cx/c.instructions.md"
echo MK_U_CLINE > "$uh/Documents/Cline/Rules/r.md"
echo MK_U_CLINE2 > "$uh/.cline/rules/s.md"
echo MK_U_CLINE3 > "$uh/Cline/Rules/t.md"
echo MK_U_CLINE4 > "$uh/.agents/AGENTS.md"
user_markers() {
	case $1 in
	claude-code) echo MK_U_CLAUDE ;;
	codex) echo MK_U_CODEX ;; # developer_instructions: below
	copilot) echo MK_U_COP MK_U_COPI MK_U_COPC ;;
	gemini) echo MK_U_GEMINI MK_U_GEMINC ;;
	opencode) echo MK_U_OC MK_U_OCI ;;
	qwen) echo MK_U_QWEN MK_U_QWENRULE MK_U_QWENINC ;;
	pi) echo MK_U_PI MK_U_PIAPP ;;
	cline) echo MK_U_CLINE MK_U_CLINE2 MK_U_CLINE3 MK_U_CLINE4 ;;
	kilo) echo MK_U_KILO MK_U_KILORULE MK_U_KILOI ;;
	esac
}
# ubuild CLI ARGS...: the markers of what CLI's build sends, sorted, one
# line (Claude Code's row composes an agent: `a` when it wants one).
ubuild() {
	h=$1
	shift
	(cd "$up" && HOME=$uh COPILOT_CUSTOM_INSTRUCTIONS_DIRS=$uh/cx \
		"$P" build --harness "$h" --no-managed -q "$@" 2>/dev/null ||
		HOME=$uh COPILOT_CUSTOM_INSTRUCTIONS_DIRS=$uh/cx \
		"$P" build --harness "$h" --no-managed -q "$@" a 2>/dev/null) |
		grep -o 'MK_[A-Z_0-9]*' | sort -u | tr '\n' ' '
}
clis=$(run build --harness nosuch 2>&1 | sed -n 's/.*(\(.*\) all).*/\1/p' | tr -d ',')
[ "$(echo $clis | wc -w)" -ge 8 ] && ok || fail "--no-user: the table's CLIs not listed: $clis"
for h in $clis; do
	want=$(user_markers "$h")
	if [ -z "$want" ]; then
		fail "--no-user: no user-level fixture for $h (user_markers)"
		continue
	fi
	all=$(ubuild "$h")
	for m in $want MK_PROJ; do
		case " $all" in
		*" $m "*) ok ;;
		*) fail "$h without --no-user: $m not sent (got: $all)" ;;
		esac
	done
	for how in flag config; do
		if [ $how = flag ]; then
			got=$(ubuild "$h" --no-user)
		else
			printf 'load: {user: false}\n' > "$up/.promptasm.yaml"
			got=$(ubuild "$h")
			rm -f "$up/.promptasm.yaml"
		fi
		case " $got" in
		*" MK_PROJ "*) ok ;;
		*) fail "$h --no-user ($how): the project's file left out too (got: $got)" ;;
		esac
		case $got in
		*MK_U_*) fail "$h --no-user ($how): the user's level sent: $got" ;;
		*) ok ;;
		esac
	done
done
# Codex's developer_instructions of the user's config.toml: a row of
# context, counted; not under --no-user (the project's would be).
for how in '' --no-user; do
	(cd "$up" && HOME=$uh "$P" context --harness codex -q $how) > "$tmp/dev.out" 2>/dev/null
	if grep -q '^ *developer_instructions' "$tmp/dev.out"; then
		[ -z "$how" ] && ok || fail "context --harness codex --no-user: the user's developer_instructions counted"
	else
		[ -n "$how" ] && ok || fail "context --harness codex: no developer_instructions row: $(cat "$tmp/dev.out")"
	fi
done

# What a run is given to read or to put in needs a row with its place:
# a row without it refuses the option (exit 2, naming the row), never
# drops it; Claude Code's row takes each.  A row of another CLI alone and
# beside Claude Code's; context --mcp-tools (a server's tools go into a
# main session) too.
# refused H OPTION ARGS...: promptasm ARGS, run in pkg/, refuses OPTION
# naming H, or (H claude-code) does not refuse it.
refused() {
	h=$1 label=$2
	shift 2
	(cd "$proj/pkg" && HOME=$tmp/anc-home "$P" "$@") > /dev/null 2> "$tmp/need.err"
	code=$?
	if [ "$h" = claude-code ]; then
		[ $code -ne 2 ] && ok || fail "claude-code refused $label: $(cat "$tmp/need.err")"
	elif [ $code -eq 2 ] && grep -q -e "$label: $h does not support" "$tmp/need.err"; then
		ok
	else
		fail "$*: exit $code, not refused naming $h: $(cat "$tmp/need.err")"
	fi
}
echo tpl > "$tmp/tpl.txt"
echo '# managed' > "$tmp/managed.md"
printf '{"tools": []}\n' > "$tmp/tools.json"
for h in $clis; do
	for opt in "--managed-file $tmp/managed.md" "--for-file a.c" "--memory-template $tmp/tpl.txt"; do
		for run_of in "$h" "claude-code,$h"; do
			[ "$run_of" = claude-code,claude-code ] && continue
			agent=
			case $run_of in claude-code*) agent=small ;; esac
			refused "$h" "${opt%% *}" build --harness "$run_of" $opt $agent
		done
	done
	refused "$h" --mcp-tools context --harness "$h" --mcp-tools "s=$tmp/tools.json"
done
# agents lists Claude Code's agents alone: the config's harness: names no
# row of it, so its --managed-file is taken.
printf 'harness: [claude-code, codex]\n' > "$proj/.promptasm.yaml"
refused claude-code --managed-file agents --managed-file "$tmp/managed.md"
rm -f "$proj/.promptasm.yaml"

# --trust (or trust: true in the user's own config) is the user trusting
# the project, for every row that asks: Codex then reads the project's
# .codex/config.toml as for trust_level "trusted" (its
# developer_instructions counted), Qwen Code under folder trust sends the
# project's files as for a folder listed as trusted.  A repository's own
# config cannot say so.
tp=$tmp/trust
th=$tmp/trust-home
mkdir -p "$tp/.git" "$tp/.codex" "$th/.qwen" "$th/.config/promptasm"
echo MK_PROJ > "$tp/AGENTS.md"
echo MK_QPROJ > "$tp/QWEN.md"
printf 'developer_instructions = "MK_CODEXPROJ"\n' > "$tp/.codex/config.toml"
printf '{"security": {"folderTrust": {"enabled": true}}}\n' > "$th/.qwen/settings.json"
echo MK_QUSER > "$th/.qwen/QWEN.md"
for how in none flag user-config repo-config; do
	flag=
	rm -f "$tp/.promptasm.yaml" "$th/.config/promptasm/config.yaml"
	case $how in
	flag) flag=--trust ;;
	user-config) printf 'load: {trust: true}\n' > "$th/.config/promptasm/config.yaml" ;;
	repo-config) printf 'load: {trust: true}\n' > "$tp/.promptasm.yaml" ;;
	esac
	trusted=no
	case $how in flag|user-config) trusted=yes ;; esac
	got=$(cd "$tp" && HOME=$th XDG_CONFIG_HOME= "$P" build --harness qwen -q $flag 2>/dev/null |
		grep -o 'MK_[A-Z]*' | sort -u | tr '\n' ' ')
	case "$trusted:$got" in
	yes:*MK_QPROJ*MK_QUSER*|no:"MK_QUSER ") ok ;;
	*) fail "qwen under folder trust, trust by $how: got $got" ;;
	esac
	if (cd "$tp" && HOME=$th XDG_CONFIG_HOME= "$P" context --harness codex -q $flag 2>/dev/null) |
		grep -q '^ *developer_instructions'; then
		[ $trusted = yes ] && ok || fail "codex, trust by $how: the project's config read"
	else
		[ $trusted = no ] && ok || fail "codex, trust by $how: the project's config not read"
	fi
done
rm -f "$tp/.promptasm.yaml" "$th/.config/promptasm/config.yaml"

# --approve-imports (the user's) reads an instruction file whose link
# leads out of the project, for every CLI as for Claude Code's files of the
# loading order; without it each such file is refused with a warning.
lp=$tmp/links/proj
mkdir -p "$lp/.git" "$tmp/links/out" "$tmp/links/home"
for f in AGENTS.md GEMINI.md; do
	echo MK_OUT > "$tmp/links/out/$f"
	ln -s "$tmp/links/out/$f" "$lp/$f"
done
for h in $clis; do
	[ "$h" = claude-code ] && continue
	for flag in '' --approve-imports; do
		got=$(cd "$lp" && HOME=$tmp/links/home "$P" build --harness "$h" $flag 2>"$tmp/links.err" |
			grep -o 'MK_[A-Z]*' | sort -u | tr '\n' ' ')
		case "$flag:$got" in
		:) grep -q 'leads out of the project' "$tmp/links.err" && ok ||
			fail "$h: a link out of the project neither read nor refused: $(cat "$tmp/links.err")" ;;
		--approve-imports:"MK_OUT ") ok ;;
		*) fail "$h ${flag:-without --approve-imports}: got $got $(cat "$tmp/links.err")" ;;
		esac
	done
done

# An instruction file that is no regular file (a link to /dev/zero, a
# FIFO) is refused with a warning by every CLI that reads the name, as the
# walk refuses one, never passed over as no file: a request it is missing
# from fails check.  Cline looks for a regular file by its own rule.
dp=$tmp/devs/proj
mkdir -p "$dp/.git" "$tmp/devs/home"
ln -s /dev/zero "$dp/AGENTS.md"
mkfifo "$dp/GEMINI.md"
for h in $clis; do
	case $h in claude-code|cline) continue ;; esac
	(cd "$dp" && HOME=$tmp/devs/home "$P" build --harness "$h" >/dev/null 2>"$tmp/devs.err")
	grep -q 'not read: ' "$tmp/devs.err" && ok ||
		fail "$h: AGENTS.md -> /dev/zero or a FIFO GEMINI.md passed over in silence: $(cat "$tmp/devs.err")"
done

# One budget rule for every row of the table of CLIs (the names from the
# message of a bad --harness, so a CLI added is tested too): build and
# explain with -b 10 exit 1 as over budget (build writing nothing); a
# trimming rule for a CLI that cannot trim is refused, naming it; the
# config's tokenizer: counts as -t does; check holds a row to the budget
# less the reserve, and less the margin when its counts are estimates,
# as an agent's.
clis=$("$P" build --harness nope 2>&1 | sed -n 's/.*(\(.*\)).*/\1/p' | sed 's/ all$//')
[ -n "$clis" ] && ok || fail "no CLI names in the message of a bad --harness"
# --no-ancestors and the config's load: {ancestors: false} hold every CLI
# of the table to the repository root (the working directory outside a
# repository), as they hold Claude Code: a file above it never arrives.
# Without them the CLIs that walk up past the root (Claude Code, Qwen Code
# to the root's parent, pi to /) send the parent's file, which a row
# listed in anc_rows must (else the fixture proves nothing); a row not
# listed must not.  opencode outside a repository reads on up to /, which
# promptasm refuses with a warning (an entry that fails check): not under
# --no-ancestors, which reads nothing there to refuse.
anc_rows() {
	case $1 in
	repo) echo claude-code qwen pi ;;
	norepo) echo claude-code qwen pi ;;
	esac
}
for kind in repo norepo; do
	ap=$tmp/anc-$kind
	ar=$ap/proj
	mkdir -p "$ar/sub/.claude/agents" "$tmp/anc-home"
	[ $kind = repo ] && mkdir -p "$ar/.git"
	printf -- '---\nname: a\ndescription: x\n---\nBe brief.\n' > "$ar/sub/.claude/agents/a.md"
	for f in AGENTS.md GEMINI.md CLAUDE.md QWEN.md; do
		echo MK_ANC > "$ap/$f"
		echo MK_PROJ > "$ar/sub/$f"
	done
	for h in $clis; do
		want=no
		case " $(anc_rows $kind) " in *" $h "*) want=yes ;; esac
		for how in none flag config; do
			rm -f "$ar/sub/.promptasm.yaml"
			flag=
			[ $how = flag ] && flag=--no-ancestors
			[ $how = config ] && printf 'load: {ancestors: false}\n' > "$ar/sub/.promptasm.yaml"
			got=$(cd "$ar/sub" && { HOME=$tmp/anc-home "$P" build --harness "$h" --no-managed -q $flag 2>/dev/null ||
				HOME=$tmp/anc-home "$P" build --harness "$h" --no-managed -q $flag a 2>/dev/null; } |
				grep -o 'MK_[A-Z]*' | sort -u | tr '\n' ' ')
			case " $got" in
			*" MK_PROJ "*) ok ;;
			*) fail "$h ($kind, ancestors: $how): the project's file not sent (got: $got)" ;;
			esac
			case "$how:$want:$got" in
			none:yes:*MK_ANC*|none:no:*|flag:*|config:*) ;;
			*) fail "$h ($kind): the file above the root not sent without --no-ancestors (got: $got)"; continue ;;
			esac
			case "$how:$want:$got" in
			none:yes:*) ok ;;
			*MK_ANC*) fail "$h ($kind, ancestors: $how): the file above the root sent (got: $got)" ;;
			*) ok ;;
			esac
		done
	done
	rm -f "$ar/sub/.promptasm.yaml"
	if [ $kind = norepo ]; then
		for flag in '' --no-ancestors; do
			(cd "$ar/sub" && HOME=$tmp/anc-home "$P" build --harness opencode $flag) \
				>/dev/null 2> "$tmp/anc.err"
			if grep -q 'AGENTS.md: not read: above the working directory' "$tmp/anc.err"; then
				[ -z "$flag" ] && ok || fail "opencode --no-ancestors: the file above refused all the same: $(cat "$tmp/anc.err")"
			else
				[ -n "$flag" ] && ok || fail "opencode outside a repository: the file above not refused: $(cat "$tmp/anc.err")"
			fi
		done
	fi
done

for cli in $clis; do
	agent=
	case $cli in claude-code) agent=big ;; esac
	# budget_scope: context, the whole request (far over 10 tokens)
	printf 'budget_scope: context\n' > "$proj/.promptasm.yaml"
	run build --harness "$cli" -b 10 $agent > "$tmp/b.out" 2> "$tmp/b.err"
	st=$?
	[ $st -eq 1 ] && [ ! -s "$tmp/b.out" ] && grep -q 'over budget' "$tmp/b.err" && ok ||
		fail "build --harness $cli -b 10: exit $st, want 1 and nothing written: $(head -c 300 "$tmp/b.err")"
	run explain --harness "$cli" -b 10 $agent > "$tmp/e.out" 2> "$tmp/e.err"
	st=$?
	[ $st -eq 1 ] && ok || fail "explain --harness $cli -b 10: exit $st, want 1: $(head -c 300 "$tmp/e.err")"
	rm -f "$proj/.promptasm.yaml"
	# budget_scope: prompt (the default), the project's part: over, or
	# printed within the budget
	if have jq; then
		run build --harness "$cli" -b 10 -f json $agent > "$tmp/b.json" 2> "$tmp/b.err"
		st=$?
		{ [ $st -eq 1 ] && [ ! -s "$tmp/b.json" ]; } ||
		{ [ $st -eq 0 ] && [ "$(jq -r '.tokens' "$tmp/b.json")" -le 10 ]; } && ok ||
			fail "build --harness $cli -b 10 (prompt): exit $st, tokens $(jq -r '.tokens' "$tmp/b.json" 2>/dev/null)"
	fi
	if [ "$cli" != claude-code ]; then
		run build --harness "$cli" -b 1000000 --cap 5 > /dev/null 2> "$tmp/c.err"
		st=$?
		[ $st -eq 2 ] && grep -q "$cli does not support trimming" "$tmp/c.err" && ok ||
			fail "build --harness $cli --cap 5: exit $st, want 2 naming the capability: $(head -c 300 "$tmp/c.err")"
	fi
	# the formats are the command's, whatever the CLI
	for cmd in build explain context; do
		a=$agent
		[ $cmd = context ] && a=
		run $cmd --harness "$cli" -f html $a -q > "$tmp/f.html" 2> "$tmp/f.err"
		st=$?
		[ $st -eq 0 ] && head -1 "$tmp/f.html" | grep -q '^<!DOCTYPE html>' && ok ||
			fail "$cmd --harness $cli -f html: exit $st, not a page: $(head -c 300 "$tmp/f.err")"
	done
	if have jq; then
		run build --harness "$cli" -t cl100k_base -f json $agent -q > "$tmp/t.json" 2>/dev/null
		printf 'tokenizer: cl100k_base\n' > "$proj/.promptasm.yaml"
		run build --harness "$cli" -f json $agent -q > "$tmp/c.json" 2>/dev/null
		rm -f "$proj/.promptasm.yaml"
		[ "$(jq -r .tokenizer "$tmp/c.json")" = cl100k_base ] &&
		[ "$(jq -c '[.tokenizer, .tokens]' "$tmp/c.json")" = "$(jq -c '[.tokenizer, .tokens]' "$tmp/t.json")" ] && ok ||
			fail "build --harness $cli: the config's tokenizer: is not -t's: $(jq -c '[.tokenizer, .tokens]' "$tmp/c.json") vs $(jq -c '[.tokenizer, .tokens]' "$tmp/t.json")"
	else
		skip "tokenizer: of $cli" jq
	fi
done
if have jq; then
	for cli in codex gemini; do
		run check --harness "$cli" --budget-context -f json -q > "$tmp/v.json" 2>/dev/null
		n=$(jq -r '.agents[] | select(.name == "'$cli':pkg") | .tokens' "$tmp/v.json")
		exact=$(jq -r '.agents[] | select(.name == "'$cli':pkg") | .exact' "$tmp/v.json")
		b=$((n + 1))
		run check --harness "$cli" --budget-context -b $b -f json -q > "$tmp/v.json" 2>/dev/null
		got=$(jq -r '.agents[] | select(.name == "'$cli':pkg") | .status' "$tmp/v.json")
		if [ "$exact" = true ]; then want=ok; else want=over; fi
		[ "$got" = "$want" ] && ok ||
			fail "check --harness $cli -b $b (tokens $n, exact $exact): $got, want $want (the margin of estimates)"
		run check --harness "$cli" --budget-context -b $b --reserve 10 -f json -q > "$tmp/v.json" 2>/dev/null
		got=$(jq -r '.agents[] | select(.name == "'$cli':pkg") | .status' "$tmp/v.json")
		[ "$got" = over ] && ok ||
			fail "check --harness $cli -b $b --reserve 10: $got, want over (the reserve)"
	done
else
	skip "check's verdict of a CLI row" jq
fi

# budget_scope means the same for every row: prompt holds the project's
# part of a CLI's request (less than the whole, which context holds), and
# every format of check says which applied.
if have jq; then
	run check --harness codex -f json -q > "$tmp/sp.json" 2>/dev/null
	run check --harness codex --budget-context -f json -q > "$tmp/sc.json" 2>/dev/null
	p1=$(jq -r '.agents[] | select(.name == "codex:pkg") | "\(.scope) \(.tokens)"' "$tmp/sp.json")
	c1=$(jq -r '.agents[] | select(.name == "codex:pkg") | "\(.scope) \(.tokens)"' "$tmp/sc.json")
	[ "${p1%% *}" = prompt ] && [ "${c1%% *}" = context ] && [ "${p1#* }" -lt "${c1#* }" ] && ok ||
		fail "budget_scope of a codex row: prompt '$p1', context '$c1' (want the project's part less than the whole)"
else
	skip "budget_scope of a CLI row" jq
fi
for f in text markdown github; do
	run check --harness codex -f $f -q > "$tmp/sf.$f" 2>/dev/null
	grep -qE 'budget(\\)?_scope: prompt' "$tmp/sf.$f" && ok || fail "check --harness codex -f $f does not say the scope"
done
run check --harness codex -f junit -q > "$tmp/sf.junit" 2>/dev/null
grep -q '<property name="budget_scope" value="prompt"/>' "$tmp/sf.junit" && ok ||
	fail "check --harness codex -f junit does not say the scope"
run check --harness codex --budget-context -f html -q > "$tmp/sf.html" 2>/dev/null
grep -q 'budget_scope: context' "$tmp/sf.html" && ok || fail "check --harness codex -f html does not say the scope"

# Every row usable on every repository: with only CLAUDE.md and AGENTS.md
# (no .claude/agents/), check --harness all and harness: [...] reach a
# verdict in every format, Claude Code's first request a row of its own.
np=$tmp/noagents
mkdir -p "$np/.git"
printf '# Project\nUse tabs.\n' > "$np/CLAUDE.md"
printf '# Agents\nRun make test.\n' > "$np/AGENTS.md"
for f in text json markdown github junit html; do
	(cd "$np" && "$P" check --harness all -f $f -q) > "$tmp/na.$f" 2> "$tmp/na.err"
	st=$?
	[ $st -eq 0 ] || [ $st -eq 1 ] && ok ||
		fail "check --harness all -f $f without agents: exit $st, want 0 or 1: $(head -c 300 "$tmp/na.err")"
done
grep -q '^claude-code  *claude-code:\.' "$tmp/na.text" && ok ||
	fail "check --harness all without agents: no Claude Code row: $(head -3 "$tmp/na.text")"
printf 'harness: [claude-code, codex]\nbudget: 20\n' > "$np/.promptasm.yaml"
(cd "$np" && "$P" check -f json -q) > "$tmp/na.json" 2> "$tmp/na.err"
st=$?
if have jq; then
	[ $st -eq 1 ] &&
	[ "$(jq -r '[.agents[] | select(.cli == "claude-code" and .name == "claude-code:.") | .status] | join(" ")' "$tmp/na.json")" = over ] &&
	[ "$(jq -r '.exit_status' "$tmp/na.json")" = 1 ] && ok ||
		fail "harness: [claude-code, codex] without agents, budget 20: exit $st, want 1 with the Claude Code row over: $(head -c 300 "$tmp/na.err")"
else
	skip "harness: list without agents" jq
fi
rm -f "$np/.promptasm.yaml"
# build and explain --harness all without agents: every CLI's request,
# Claude Code's its main session's part (its CLAUDE.md), with a note that
# its own text is context's
for cmd in build explain; do
	(cd "$np" && "$P" $cmd --harness all --no-managed) > "$tmp/nb.out" 2> "$tmp/nb.err"
	st=$?
	miss=
	for cli in $clis; do
		[ "$cli" = claude-code ] && continue
		grep -q "^# $cli " "$tmp/nb.out" || miss="$miss $cli"
	done
	case $cmd in
	build) grep -q '^## project: CLAUDE.md' "$tmp/nb.out" || miss="$miss claude-code" ;;
	explain) grep -q '^main (<main session>): ' "$tmp/nb.out" || miss="$miss claude-code" ;;
	esac
	[ $st -eq 0 ] && [ -z "$miss" ] && grep -q 'claude-code: no agent given' "$tmp/nb.err" && ok ||
		fail "$cmd --harness all without agents: exit $st, missing:$miss: $(head -c 300 "$tmp/nb.err")"
done
# Claude Code alone, no agent: its main session's part in every format of
# build, a request body too; over -b it exits 1 as an agent's prompt does
for f in text json html; do
	(cd "$np" && "$P" build --harness claude-code --no-managed -q -f $f) > "$tmp/nc.out" 2> "$tmp/nc.err"
	st=$?
	[ $st -eq 0 ] && grep -q 'tabs' "$tmp/nc.out" && ok ||
		fail "build --harness claude-code -f $f without an agent: exit $st: $(head -c 300 "$tmp/nc.err")"
done
(cd "$np" && "$P" build --harness claude-code --no-managed -q -f anthropic --message x) > "$tmp/nc.out" 2> "$tmp/nc.err"
st=$?
[ $st -eq 0 ] && grep -q 'Use tabs' "$tmp/nc.out" && ok ||
	fail "build --harness claude-code -f anthropic without an agent: exit $st: $(head -c 300 "$tmp/nc.err")"
# -b: trimmed by the rules (its instruction files may go); a floor that
# does not fit is over budget, named as its row of check
(cd "$np" && "$P" build --harness claude-code --no-managed -q -b 3) > "$tmp/nc.out" 2> "$tmp/nc.err"
st=$?
[ $st -eq 0 ] && ! grep -q 'tabs' "$tmp/nc.out" && ok ||
	fail "build --harness claude-code -b 3 without an agent: exit $st, want 0 and its file trimmed: $(head -c 300 "$tmp/nc.err")"
(cd "$np" && "$P" build --harness claude-code --no-managed -q -b 3 --floor project=100) > "$tmp/nc.out" 2> "$tmp/nc.err"
st=$?
[ $st -eq 1 ] && grep -q 'claude-code:\. is over budget' "$tmp/nc.err" && ok ||
	fail "build --harness claude-code -b 3 --floor without an agent: exit $st, want 1: $(head -c 300 "$tmp/nc.err")"

summary
