#!/bin/sh
# The HTML reports (explain and check --format html) in a real browser.
#
# Headless Chromium loads each page with #selftest in its address; the
# page's own script then writes what the page shows into <pre
# id="selftest"> (each section's tokens, its token boxes and its bar, and
# what ran or loaded that should not), and --dump-dom hands it back.  It
# is checked against `explain --format json` and `check --format json`.
# A project of hostile text (markup, scripts, handlers in prompts, paths
# and names) must run none of it (window.pwned stays undefined, no element
# of it exists) and the page must ask for nothing: Chromium's net log shows
# no request from the page.  Two controls show that both checks can fail.
#
# Needs Chromium (Debian's `chromium` package; CHROMIUM names another
# binary) and jq: without Chromium the suite is skipped (CI installs it).
# Run on its own: make && sh tests/suites/run-html.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# expect NAME CMD...: CMD succeeds.
expect() {
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok; else fail "$what"; fi
}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser; do
		if command -v "$b" >/dev/null 2>&1; then
			browser=$b
			break
		fi
	done
fi
if [ -z "$browser" ]; then
	skip "the HTML reports in a browser" chromium \
		"apt-get install chromium; or set CHROMIUM to a Chromium or Chrome binary"
	summary
	exit
fi
if ! have "$browser"; then
	fail "CHROMIUM=$browser is not a program"
	summary
	exit
fi
if ! have jq; then
	skip "the HTML reports in a browser" jq "apt-get install jq"
	summary
	exit
fi

# load PAGE NETLOG: the DOM after the page's script ran with #selftest.
# --no-sandbox: root in a container has no sandbox to give.
load() {
	timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu \
		--no-first-run --no-default-browser-check --disable-extensions \
		--disable-sync --disable-background-networking \
		--user-data-dir="$tmp/profile" --log-net-log="$2" \
		--dump-dom "file://$1#selftest" 2>>"$tmp/chromium.log"
}

# The JSON the page wrote, its text unescaped as the DOM dump escapes it.
selftest_json() {
	sed -n 's/.*<pre id="selftest">\(.*\)<\/pre>.*/\1/p' "$1" |
		sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
}

# The URLs the page asked for: requests the page started (the browser's
# own have no origin), other than its file.
page_requests() {
	jq -r '(.constants.logEventTypes.URL_REQUEST_START_JOB) as $t
		| .events[] | select(.type == $t) | .params
		| select(.initiator != "not an origin")
		| select(.url != null and (.url | test("^(file|data):") | not))
		| .url' "$1"
}

# open NAME PAGE: loads PAGE, checks what every page must hold, and
# leaves its selftest JSON in $tmp/NAME.json.
open_page() {
	name=$1
	page=$2
	if ! load "$page" "$tmp/$name.netlog" >"$tmp/$name.dom"; then
		fail "$name: chromium failed"
		tail -n 5 "$tmp/chromium.log"
		return 1
	fi
	selftest_json "$tmp/$name.dom" >"$tmp/$name.json"
	if ! jq -e . "$tmp/$name.json" >/dev/null 2>&1; then
		fail "$name: no selftest output (did the page's script run?)"
		return 1
	fi
	ok
	expect "$name: style applied (its hash allowed)" jq -e '.styled == true' "$tmp/$name.json"
	expect "$name: one script, no image, frame or handler" \
		jq -e '.scripts == 1 and .images == 0 and .frames == 0 and .handlers == 0' "$tmp/$name.json"
	expect "$name: window.pwned undefined" jq -e '.pwned == "undefined"' "$tmp/$name.json"
	if jq -e . "$tmp/$name.netlog" >/dev/null 2>&1; then
		reqs=$(page_requests "$tmp/$name.netlog")
		if [ -z "$reqs" ]; then ok; else fail "$name: the page asked for: $reqs"; fi
	else
		fail "$name: no net log"
	fi
	# The file itself: one script, a policy that forbids the network,
	# no address but the page's own anchors.
	expect "$name: one <script>" test "$(grep -c '<script' "$page")" -eq 1
	expect "$name: default-src 'none'" grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-[^']*'; script-src 'sha256-[^']*';" "$page"
	links=$(grep -Eo ' (href|src|action|formaction|srcset|poster|data|background|xlink:href)="[^"]*"' "$page" | grep -v '="#' | head -n 3)
	if [ -z "$links" ]; then ok; else fail "$name: addresses in the page: $links"; fi
	return 0
}

# same_sections NAME EXPLAIN_JSON JQ_PATH: the page's sections of agent
# JQ_PATH are those of the JSON, each with as many token boxes and as
# large a bar as its tokens.
same_sections() {
	jq -r '.sections[] | [.kind, .path, .tokens] | @tsv' "$2" >"$tmp/want.tsv"
	jq -r "$3.sections[] | [.kind, .path, .tokens] | @tsv" "$tmp/$1.json" >"$tmp/got.tsv"
	if cmp -s "$tmp/want.tsv" "$tmp/got.tsv"; then
		ok
	else
		fail "$1: sections differ from explain --format json"
		diff "$tmp/want.tsv" "$tmp/got.tsv" | head -n 6
	fi
	expect "$1: token boxes count to each section's tokens" \
		jq -e "$3.sections | length > 0 and all(.boxes == .tokens)" "$tmp/$1.json"
	expect "$1: each bar is its section's tokens" \
		jq -e "$3.sections | all(.bar == .tokens)" "$tmp/$1.json"
}

# ---- the example project ----

cd "$root/examples/webshop" || exit 1
for case in "reviewer" "reviewer -b 3000" "test-writer -b 300 --keep tail" "release-notes"; do
	name=$(echo "$case" | tr -c 'a-z0-9\n' '_')
	# shellcheck disable=SC2086
	"$PROMPTASM" explain $case -q --format json >"$tmp/$name.explain.json"
	# shellcheck disable=SC2086
	"$PROMPTASM" explain $case -q --format html >"$tmp/$name.html"
	if open_page "$name" "$tmp/$name.html"; then
		same_sections "$name" "$tmp/$name.explain.json" '.agents[0]'
		expect "$name: the prompt's tokens" \
			jq -e --slurpfile e "$tmp/$name.explain.json" '.agents[0].tokens == $e[0].tokens' "$tmp/$name.json"
	fi
done
# What was trimmed is struck out, with the marker; what the load rules
# left out of MEMORY.md is there too.
expect "reviewer -b 3000: struck-out tokens" grep -q '<[ib] class="d">' "$tmp/reviewer__b_3000.html"
expect "reviewer -b 3000: the trimmer's marker" \
	grep -q '<ins title="written by the trimmer">\[promptasm: trimmed ' "$tmp/reviewer__b_3000.html"
expect "reviewer: what the load rules left out" grep -q '<del class="lc"' "$tmp/reviewer.html"
expect "reviewer: the heaviest blocks marked" grep -q '<a class="hb" id="a1-h1"' "$tmp/reviewer.html"


"$PROMPTASM" check -q -b 3000 --format json >"$tmp/check.cli.json"
"$PROMPTASM" check -q -b 3000 --format html >"$tmp/check.html"
# The budget as given, the effective one beside it (the margin of Claude's
# estimates lowers it), as in every format.
eff=$(jq '.agents[0].budget.effective' "$tmp/check.cli.json")
shown=$(grep -o '<td class="n" data-v="3000">3,000<span class="note">effective [0-9,]*<' \
	"$tmp/check.html" | head -n 1 | sed 's/.*effective //; s/<$//; s/,//g')
if [ "$eff" -lt 3000 ] && [ "$shown" = "$eff" ]; then ok; else
	fail "check: the budget as typed (3,000), the effective one ($eff) beside it: got '$shown'"
fi
if open_page check "$tmp/check.html"; then
	n=$(jq '.agents | length' "$tmp/check.cli.json")
	expect "check: a row and a view per agent" \
		jq -e ".rows == $n and (.agents | length) == $n" "$tmp/check.json"
	expect "check: the table sorts by tokens, one way and the other" \
		jq -e '(.ascending | length) > 1 and .ascending == (.ascending | sort)
			and .descending == (.ascending | reverse)' "$tmp/check.json"
	i=0
	while [ "$i" -lt "$n" ]; do
		jq ".agents[$i]" "$tmp/check.cli.json" >"$tmp/agent.json"
		same_sections check "$tmp/agent.json" ".agents[$i]"
		expect "check: agent $i's name and tokens" jq -e --slurpfile a "$tmp/agent.json" \
			".agents[$i].name == \$a[0].name and .agents[$i].tokens == \$a[0].prompt_tokens" \
			"$tmp/check.json"
		i=$((i + 1))
	done
fi

# A project of 60 agents, every one over its budget, a main session
# budget and a cap on CLAUDE.md: the header counts the agents apart from
# the main session's row, every failing agent has its view (not the
# first 50), and the files' caps have their table, as in every format.
cp -R "$root/examples/webshop" "$tmp/many"
i=0
while [ $i -lt 57 ]; do
	printf -- '---\nname: extra-%02d\ndescription: Extra agent %d.\n---\nYou review changes of kind %d and report them.\n' \
		$i $i $i >"$tmp/many/.claude/agents/extra-$i.md"
	i=$((i + 1))
done
printf 'main:\n  total: 100000\ninstructions:\n  "**/CLAUDE.md": 50\n' >"$tmp/many/.promptasm.yaml"
(cd "$tmp/many" && "$PROMPTASM" check -q -b 10 --format json >"$tmp/many.cli.json"
	"$PROMPTASM" check -q -b 10 --format html >"$tmp/many.html")
if open_page many "$tmp/many.html"; then
	expect "check: a view for every failing agent" jq -e --slurpfile c "$tmp/many.cli.json" \
		'[$c[0].agents[] | select(.status == "over" and (.name | startswith("main session") | not)) | .name] as $f
		| ($f | length) == 60 and (.agents | length) >= 60' "$tmp/many.json"
	expect "check: the header counts agents as the JSON does" jq -e \
		'.counts | startswith("60 agents: 0 ok, 60 failing; other rows (the main session, other CLIs): 1 ok, 0 failing")' \
		"$tmp/many.json"
	expect "check: no sentence of views left out" jq -e '.viewsNote == null' "$tmp/many.json"
	expect "check: the files and their caps, drawn" jq -e --slurpfile c "$tmp/many.cli.json" \
		'[.files[] | select(.drawn) | .path] == [$c[0].files[].path] and (.files | length) >= 1' "$tmp/many.json"
	expect "check: the main session's row names no absolute path" \
		grep -q '<span class="note mono">.promptasm.yaml</span>' "$tmp/many.html"
fi

# Another CLI's build page: a file Codex cuts at its 32 KiB limit shows
# what it never sends apart from what it sends (another background,
# struck out), and a long line wraps within the page.
mkdir -p "$tmp/cut/.git"
{
	i=0
	while [ $i -lt 700 ]; do
		echo "- rule $i: every handler validates its input and logs the refusal"
		i=$((i + 1))
	done
	printf 'one-long-line-'; i=0; while [ $i -lt 400 ]; do printf 'x'; i=$((i + 1)); done; echo
} >"$tmp/cut/AGENTS.md"
(cd "$tmp/cut" && "$PROMPTASM" build -q --harness codex --format html >"$tmp/cut.html")
if open_page cut "$tmp/cut.html"; then
	expect "harness build: the text never sent drawn apart from the sent" jq -e \
		'([.texts[] | select(.cut)] | length) == 1 and ([.texts[] | select(.cut | not)] | length) == 1
		and ([.texts[] | .bg] | unique | length) == 2 and all(.texts[]; .struck == .cut)' "$tmp/cut.json"
	expect "harness build: long lines wrap" jq -e 'all(.texts[]; .fits)' "$tmp/cut.json"
fi
# check's page shows the first lines Codex does not send under the row's
# note, numbered from the line where it cuts.
(cd "$tmp/cut" && "$PROMPTASM" check -q --harness codex --format json >"$tmp/cut-check.cli.json"
	"$PROMPTASM" check -q --harness codex --format html >"$tmp/cut-check.html")
if open_page cut-check "$tmp/cut-check.html"; then
	line=$(jq '.agents[0].cut.line' "$tmp/cut-check.cli.json")
	next=$((line + 1))
	expect "harness check: the first lines not sent, numbered from the cut" \
		grep -q "<span class=\"note mono notsent\">$line: .*<br>$next: - rule $((next - 1)): every handler" \
		"$tmp/cut-check.dom"
fi

# Where Claude Code's load rule cuts an agent's MEMORY.md (past 200
# lines), check's page shows the first lines not sent under the agent's
# row, numbered from line 201, with no failure.
mkdir -p "$tmp/memcut/.git" "$tmp/memcut/.claude/agents" "$tmp/memcut/.claude/agent-memory/helper"
printf -- '---\nname: helper\ndescription: Helps\nmemory: project\n---\nYou help.\n' \
	>"$tmp/memcut/.claude/agents/helper.md"
i=1
while [ $i -le 230 ]; do echo "- fact $i of the <b>memory</b>"; i=$((i + 1)); done \
	>"$tmp/memcut/.claude/agent-memory/helper/MEMORY.md"
(cd "$tmp/memcut" && "$PROMPTASM" check -q --no-managed --format html >"$tmp/memcut.html")
if open_page memcut "$tmp/memcut.html"; then
	expect "check: the lines a load rule does not send, from line 201" \
		grep -q '<span class="note mono notsent">201: - fact 201 of the &lt;b&gt;memory&lt;/b&gt;<br>202: ' \
		"$tmp/memcut.dom"
	expect "check: a load rule's cut is no failure" grep -q '>ok<' "$tmp/memcut.dom"
fi

# The main session's page (context --format html): its parts as the JSON
# has them, a grid of the window, the heaviest agents.
"$PROMPTASM" context -q --format json >"$tmp/context.cli.json"
"$PROMPTASM" context -q --format html >"$tmp/context.html"
if open_page context "$tmp/context.html"; then
	expect "context: the parts and their tokens" jq -e --slurpfile c "$tmp/context.cli.json" \
		'[.parts[] | [.kind, .tokens]] == [$c[0].parts[] | [.kind, .tokens]] and (.parts | length) == 7' \
		"$tmp/context.json"
	expect "context: a grid of 100 cells" jq -e '.cells == 100' "$tmp/context.json"
	# What is drawn: every cell a visible square, in 5 rows of 20; free
	# cells one colour, each part's cells another; the numbers of the
	# tables flush right; a header row on each table of the heaviest.
	expect "context: every cell drawn, at least 8 pixels square" \
		jq -e '.grid | length == 100 and all(.w >= 8 and .h >= 8 and .w == .h)' "$tmp/context.json"
	expect "context: the cells in 5 rows" \
		jq -e '[.grid[].top] | unique | length == 5' "$tmp/context.json"
	expect "context: free cells one colour, not transparent" \
		jq -e '[.grid[] | select(.part == ".") | .bg] | unique
			| length == 1 and .[0] != "rgba(0, 0, 0, 0)"' "$tmp/context.json"
	expect "context: used cells coloured apart from free ones" \
		jq -e '([.grid[] | select(.part == ".") | .bg] | unique) as $free
			| [.grid[] | select(.part != "." and .part != "R")]
			| length > 0 and all(.bg as $b | $free | index($b) | not)' "$tmp/context.json"
	expect "context: every number right-aligned" \
		jq -e '.numbers | length > 7 and all(. >= -1 and . <= 1)' "$tmp/context.json"
	expect "context: a header row on each table of the heaviest (agents, skills, files)" \
		jq -e '.heads | length == 3 and all(. == 3)' "$tmp/context.json"
	# A part smaller than a cell takes one (as /context draws it): the
	# legend names each such part and the tokens their cells stand for,
	# so a reader does not take each cell for a cell's worth.
	expect "context: the legend names the parts smaller than a cell" jq -e --slurpfile c "$tmp/context.cli.json" \
		'($c[0].window / 100) as $per
		| [$c[0].parts[] | select(.tokens > 0 and .tokens < $per)] as $small
		| ($small | length) > 0 and .rounded.kinds == [$small[].kind]
		and (.rounded.text | gsub(","; "") | contains(($small | map(.tokens) | add | tostring) + " tokens"))' \
		"$tmp/context.json"
	expect "context: a row per agent of the project" jq -e --slurpfile c "$tmp/context.cli.json" \
		'.heavy == ([$c[0].parts[] | select(.kind == "agents") | .items[] | select(.builtin | not)] | length) and .heavy > 0' \
		"$tmp/context.json"
fi

# The page says what the text says: the warnings that make the total a
# lower bound (an MCP server not started, a hook not run), that the total
# is an estimate, the heaviest skills; and every part with tokens has at
# least one cell of the grid, as /context draws it, however small.
cp -R "$root/examples/webshop" "$tmp/lower"
printf '{"mcpServers": {"db": {"command": "db-server"}}}\n' >"$tmp/lower/.mcp.json"
printf '{"enableAllProjectMcpServers": true, "hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "echo hi"}]}]}}\n' \
	>"$tmp/lower/.claude/settings.json"
mkdir -p "$tmp/lower/.claude/skills/deploy"
printf -- '---\nname: deploy\ndescription: Deploys the webshop to staging.\n---\nRun make deploy.\n' \
	>"$tmp/lower/.claude/skills/deploy/SKILL.md"
(cd "$tmp/lower" && "$PROMPTASM" context -q --format json >"$tmp/lower.cli.json"
	"$PROMPTASM" context -q --format html >"$tmp/lower.html")
if open_page lower "$tmp/lower.html"; then
	expect "context: the warnings shown, as the JSON has them" jq -e --slurpfile c "$tmp/lower.cli.json" \
		'.warnings == [$c[0].warnings[].message] and (.warnings | length) == 2' "$tmp/lower.json"
	expect "context: the total shown as an estimate" jq -e --slurpfile c "$tmp/lower.cli.json" \
		'($c[0].exact | not) and (.estimate | type) == "string"' "$tmp/lower.json"
	expect "context: the heaviest skills listed" jq -e '.heavySkills >= 1' "$tmp/lower.json"
	expect "context: a cell for every part with tokens" jq -e --slurpfile c "$tmp/lower.cli.json" \
		'{"system": "S", "tools": "T", "mcp": "M", "agents": "A", "skills": "K", "memory": "F",
		  "environment": "E"} as $sym
		| ([.grid[].part] | unique) as $drawn
		| [$c[0].parts[] | select(.tokens > 0) | $sym[.kind]] | length > 4 and all(. as $p | $drawn | index($p))' \
		"$tmp/lower.json"
fi

# The CLAUDE.md files loaded on demand (below the working directory): the
# pages list them, as drawn, as explain's, context's and check's JSON do
# (path, directory, tokens), apart from the total.
cp -R "$root/examples/webshop" "$tmp/mono"
mkdir -p "$tmp/mono/packages/api" "$tmp/mono/packages/web/src"
printf '# API\n\nEvery route validates its input.\n' >"$tmp/mono/packages/api/CLAUDE.md"
printf '# Web\n\nComponents are functions.\n' >"$tmp/mono/packages/web/src/CLAUDE.md"
(cd "$tmp/mono" && "$PROMPTASM" explain -q test-writer --format json >"$tmp/mono-explain.cli.json"
	"$PROMPTASM" explain -q test-writer --format html >"$tmp/mono-explain.html"
	"$PROMPTASM" context -q --format json >"$tmp/mono-context.cli.json"
	"$PROMPTASM" context -q --format html >"$tmp/mono-context.html"
	"$PROMPTASM" check -q -b 100000 --format json >"$tmp/mono-check.cli.json"
	"$PROMPTASM" check -q -b 100000 --format html >"$tmp/mono-check.html")
# check's page says once, as the text does, how a budget in a Claude
# model's tokens became the effective one
if open_page mono-check "$tmp/mono-check.html"; then
	conv=$(cd "$tmp/mono" && "$PROMPTASM" check -q -b 100000 | grep '^budgets are in')
	expect "mono-check: the budgets' conversion said, as the text says it" \
		jq -e --arg c "$conv." '.conversion == $c' "$tmp/mono-check.json"
fi
for pg in mono-explain mono-context mono-check; do
	if open_page "$pg" "$tmp/$pg.html"; then
		expect "$pg: the files loaded on demand, as the JSON lists them" \
			jq -e --slurpfile c "$tmp/$pg.cli.json" \
			'[.onDemand[] | [.path, .dir, .tokens]]
			 == [$c[0].on_demand[] | [.path, (if .trigger == "" then "./" else .trigger end), .tokens]]
			 and (.onDemand | length) == 2 and all(.onDemand[]; .shown)' "$tmp/$pg.json"
	fi
done

# A section several agents share (a CLAUDE.md of 2,048 bytes or more) is
# shown once: the other views link to it, and the self-test counts the
# boxes it links to.
cp -R "$root/examples/webshop" "$tmp/shared"
i=0
while [ $i -lt 60 ]; do
	echo "- line $i of a long shared CLAUDE.md, the same for every agent" >>"$tmp/shared/CLAUDE.md"
	i=$((i + 1))
done
(cd "$tmp/shared" && "$PROMPTASM" check -q -b 100000 --format json >"$tmp/shared.cli.json"
	"$PROMPTASM" check -q -b 100000 --format html >"$tmp/shared.html")
n=$(jq '.agents | length' "$tmp/shared.cli.json")
expect "shared: the CLAUDE.md is shown once" \
	test "$(grep -c '<p class="caption" data-same=' "$tmp/shared.html")" -eq $((n - 1))
if open_page shared "$tmp/shared.html"; then
	i=0
	while [ "$i" -lt "$n" ]; do
		jq ".agents[$i]" "$tmp/shared.cli.json" >"$tmp/agent.json"
		same_sections shared "$tmp/agent.json" ".agents[$i]"
		i=$((i + 1))
	done
fi

# ---- a hostile project ----

# Every kind of text a project controls: the body, the description, a
# rule whose file name is markup, CLAUDE.md, CLAUDE.local.md (skipped:
# not UTF-8), MEMORY.md (cut by the load rules, markup in what is left
# out, bytes that are not UTF-8).
evil=$tmp/evil
mkdir -p "$evil/.claude/agents" "$evil/.claude/rules" "$evil/.claude/agent-memory/evil" || exit 1
cp "$here/html/payload.txt" "$evil/payload.txt" || exit 1
{
	printf -- '---\nname: evil\ndescription: "<script>window.pwned=1</script>"\n'
	printf -- 'memory: project\n---\n'
	cat "$evil/payload.txt"
} >"$evil/.claude/agents/evil.md"
{ printf '# Rule\n\n'; cat "$evil/payload.txt"; } >"$evil/.claude/rules/<img src=x onerror=window.pwned=1>.md"
{ printf '# <script>window.pwned=1</script>\n\n'; cat "$evil/payload.txt"; } >"$evil/CLAUDE.md"
printf 'skipped: not UTF-8 \377 <script>window.pwned=1</script>\n' >"$evil/CLAUDE.local.md"
i=0
while [ "$i" -lt 240 ]; do
	printf -- '- note %d: <img src=x onerror="window.pwned=%d"> \377\n' "$i" "$i"
	i=$((i + 1))
done >"$evil/.claude/agent-memory/evil/MEMORY.md"
mkdir "$evil/.git"
cd "$evil" || exit 1
"$PROMPTASM" explain evil -q -b 900 --cap rule=120 --no-user --format json >"$tmp/evil.explain.json"
"$PROMPTASM" explain evil -q -b 900 --cap rule=120 --no-user --format html >"$tmp/evil.html"
if open_page evil "$tmp/evil.html"; then
	same_sections evil "$tmp/evil.explain.json" '.agents[0]'
fi
# payload_elements DOM: how many lines hold an element of the payload.
payload_elements() {
	grep -c -i -E '<(img|svg onload|iframe|link|base|style>body|meta http-equiv="refresh"|a href="javascript|script>window)' "$1"
}
expect "evil: no element of the payload in the DOM" test "$(payload_elements "$tmp/evil.dom")" -eq 0
expect "evil: the rule's name shown as text" \
	grep -q 'data-path=".claude/rules/&lt;img src=x onerror=window.pwned=1&gt;.md"' "$tmp/evil.html"
expect "evil: the marker names it as text" \
	grep -q '\[promptasm: trimmed [0-9,]* tokens* ([0-9]* blocks*) from .claude/rules/&lt;img src=x onerror=window.pwned=1&gt;.md\]' "$tmp/evil.html"
expect "evil: what the load rules left out, as text" \
	grep -q '<del class="lc"[^>]*>- note 2[0-9][0-9]: &lt;img src=x onerror=&quot;window.pwned=' "$tmp/evil.html"
expect "evil: bidirectional controls shown by their code point" grep -q '\\u202E' "$tmp/evil.html"
expect "evil: a line separator shown by its code point" grep -q '\\u2028' "$tmp/evil.html"
"$PROMPTASM" check -q -b 900 --no-user --format html >"$tmp/evil-check.html"
open_page evil-check "$tmp/evil-check.html" >/dev/null
"$PROMPTASM" context -q --no-user --format html >"$tmp/evil-context.html"
open_page evil-context "$tmp/evil-context.html" >/dev/null

# ---- controls: the checks above can fail ----

# The hostile page with its policy gone and a script let in: the
# self-test sees it run.
sed -e 's/<meta http-equiv="Content-Security-Policy"[^>]*>//' \
	-e 's|<div class="page">|<div class="page"><script>window.pwned=1</script>|' \
	"$tmp/evil.html" >"$tmp/control-open.html"
load "$tmp/control-open.html" "$tmp/control-open.netlog" >"$tmp/control-open.dom"
selftest_json "$tmp/control-open.dom" >"$tmp/control-open.json"
expect "control: an injected script is seen to run" \
	jq -e '.pwned == "number" and .scripts == 2' "$tmp/control-open.json"
expect "control: an injected element is found in the DOM" \
	test "$(payload_elements "$tmp/control-open.dom")" -gt 0
# The same script and an image let in, the policy kept: it stops both.
sed -e 's|<div class="page">|<div class="page"><script>window.pwned=1</script><img src="http://127.0.0.1:9/x.png">|' \
	"$tmp/evil.html" >"$tmp/control-csp.html"
load "$tmp/control-csp.html" "$tmp/control-csp.netlog" >"$tmp/control-csp.dom"
selftest_json "$tmp/control-csp.dom" >"$tmp/control-csp.json"
expect "control: the policy stops an injected script" \
	jq -e '.pwned == "undefined" and .scripts == 2 and .images == 1' "$tmp/control-csp.json"
expect "control: the policy stops an injected image's request" \
	test -z "$(page_requests "$tmp/control-csp.netlog")"
# A page without a policy that asks for an image: the net log shows it.
printf '<!DOCTYPE html><img src="http://127.0.0.1:9/x.png">\n' >"$tmp/control-net.html"
load "$tmp/control-net.html" "$tmp/control-net.netlog" >/dev/null
reqs=$(page_requests "$tmp/control-net.netlog")
if [ "$reqs" = "http://127.0.0.1:9/x.png" ]; then ok; else fail "control: a request from a page is seen (got '$reqs')"; fi

summary
