#!/bin/sh
# --count-api against a recorder on 127.0.0.1 (tests/api/recorder.c, built
# here), never the network: check counts an agent with the recorder's
# answers (exact, no band, no margin), sends the key only in the x-api-key
# header to ANTHROPIC_BASE_URL (never on curl's command line, in any
# output, or in the cache), keeps the answers by the request's hash (a
# second run asks nothing), and falls back to the estimate with a warning
# when the recorder is gone.  Without ANTHROPIC_API_KEY it is an error.
# Hostile answers (tests/api/answerer.py, with python3): a count past
# PA_COUNT_API_MAX_TOKENS or not a JSON integer, fewer tokens with a
# section than without, an answer past PA_COUNT_API_MAX_ANSWER_BYTES, are
# refused with a warning and the estimate stands; the warning shows the
# URL without its user, password, query or fragment.
#
# Needs curl (the program --count-api runs) and jq: without them the
# suite is skipped (CI installs them).
# Run on its own: make && sh tests/suites/run-count-api.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
work=$(mktemp -d /tmp/promptasm-count-api.XXXXXX)
rec_pid=
ans_pid=
trap '[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null; [ -n "$ans_pid" ] && kill "$ans_pid" 2>/dev/null; rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

for p in curl jq; do
	if ! have "$p"; then
		skip "--count-api against a recorder" "$p" "apt-get install $p"
		summary
		exit
	fi
done
if ! ${CC:-cc} -o "$work/recorder" "$here/api/recorder.c" 2>"$work/cc.err"; then
	fail "the recorder does not build: $(head -n 3 "$work/cc.err")"
	summary
	exit
fi

key=sk-ant-test-0123456789abcdef
"$work/recorder" "$work/port" "$work/requests" "$key" &
rec_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$work/port")

# curl as --count-api runs it, through a wrapper that keeps its command
# line and its standard input (the config holding the URL and the key).
mkdir "$work/bin"
real_curl=$(command -v curl)
cat >"$work/bin/curl" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$work/curl-argv"
tee -a "$work/curl-config" | "$real_curl" "\$@"
EOF
chmod +x "$work/bin/curl"

proj=$work/proj
mkdir -p "$proj/.claude/agents" "$proj/.git" "$work/home" "$work/cache"
printf -- '---\nname: solo\ndescription: One section\n---\nReview the diff and say what breaks first.\n' \
	>"$proj/.claude/agents/solo.md"
run() {
	(cd "$proj" && env -i PATH="$work/bin:/usr/bin:/bin" HOME="$work/home" LC_ALL=C \
		XDG_CACHE_HOME="$work/cache" PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		"$@")
}
api() { run ANTHROPIC_API_KEY="$key" ANTHROPIC_BASE_URL="http://127.0.0.1:$port" "$@"; }

# The estimate, and the sections as promptasm counts them.
run "$PROMPTASM" check --no-managed -b 1000 -f json >"$work/estimate.json" 2>/dev/null
local_total=$(jq '.agents[0].tokens' "$work/estimate.json")
local_sections=$(jq '[.agents[0].sections[].tokens] | add' "$work/estimate.json")

# ---- exact counts from the recorder ----
api "$PROMPTASM" check --no-managed -b 1000 -f json --count-api >"$work/api.json" 2>"$work/api.err"
st=$?
if [ "$st" -eq 0 ]; then ok; else fail "check --count-api: exit $st: $(head -n 2 "$work/api.err")"; fi
n=$(grep -c 'key=ok' "$work/requests" 2>/dev/null || echo 0)
if [ "$n" -eq 2 ] && [ "$(wc -l <"$work/requests")" -eq 2 ]; then ok; else
	fail "want 2 requests with the key (the section, and without it), got: $(cat "$work/requests" 2>/dev/null)"
fi
# The section's count is the difference of the two answers; the joins
# between sections are ours.
a1=$(sed -n '1s/.*answer=\([0-9]*\).*/\1/p' "$work/requests")
a2=$(sed -n '2s/.*answer=\([0-9]*\).*/\1/p' "$work/requests")
want=$((a1 - a2 + local_total - local_sections))
got=$(jq '.agents[0].tokens' "$work/api.json")
if [ "$got" = "$want" ]; then ok; else fail "tokens: want the recorder's $want, got $got"; fi
if jq -e '.agents[0].exact == true and .agents[0].band == null
	and .agents[0].budget.margin == 0 and .agents[0].budget.effective == 1000' \
	"$work/api.json" >/dev/null; then ok; else
	fail "an exact count has no band and no margin: $(jq -c '.agents[0] | {exact, band, budget}' "$work/api.json")"
fi
if grep -q "POST /v1/messages/count_tokens " "$work/requests"; then ok; else
	fail "not POST /v1/messages/count_tokens: $(head -n 1 "$work/requests")"
fi

# ---- the key: only in the header, only to ANTHROPIC_BASE_URL ----
if grep -q -F "$key" "$work/curl-argv"; then fail "the key is on curl's command line"; else ok; fi
urls=$(sed -n 's/^url = "\(.*\)"$/\1/p' "$work/curl-config" | sort -u)
if [ "$urls" = "http://127.0.0.1:$port/v1/messages/count_tokens" ]; then ok; else
	fail "requests went to: $urls"
fi
if grep -q -F "$key" "$work/api.json" "$work/api.err"; then fail "the key is in the output"; else ok; fi
if grep -r -q -F "$key" "$work/cache" "$work/home"; then fail "the key is in the cache"; else ok; fi
if ls /tmp/promptasm-count-api-* >/dev/null 2>&1 && grep -l -F "$key" /tmp/promptasm-count-api-* 2>/dev/null | grep -q .; then
	fail "a request file with the key is left in /tmp"
else ok; fi

# ---- kept by the request's hash: a second run asks nothing ----
: >"$work/curl-argv"
api "$PROMPTASM" check --no-managed -b 1000 -f json --count-api >"$work/again.json" 2>/dev/null
if [ "$(wc -l <"$work/requests")" -eq 2 ] && [ ! -s "$work/curl-argv" ]; then ok; else
	fail "a second run asked again: $(wc -l <"$work/requests") requests"
fi
if [ "$(jq '.agents[0].tokens' "$work/again.json")" = "$want" ]; then ok; else
	fail "the cached count differs"
fi

# ---- count, explain: the same endpoint, cache and key rules ----
# count --count-api FILE: the file asked as one section, for Claude Code's
# default model (the request without a section is the one check made,
# kept in the cache).
printf 'Review the diff and say what breaks first.\n' >"$proj/note.md"
before=$(wc -l <"$work/requests")
api "$PROMPTASM" count --count-api -f json note.md >"$work/count.json" 2>"$work/count.err"
st=$?
a3=$(sed -n '$s/.*answer=\([0-9]*\).*/\1/p' "$work/requests")
if [ "$st" -eq 0 ] && [ "$(wc -l <"$work/requests")" -eq $((before + 1)) ] &&
	jq -e --argjson want "$((a3 - a2))" '.exact == true and .tokens == $want
		and .files[0].tokens == $want' "$work/count.json" >/dev/null; then ok; else
	fail "count --count-api: exit $st, want $((a3 - a2)): $(cat "$work/count.json" "$work/count.err" | head -n 4)"
fi
api "$PROMPTASM" count --count-api note.md >"$work/count.txt" 2>/dev/null
if [ "$(cat "$work/count.txt")" = "$((a3 - a2)) note.md" ]; then ok; else
	fail "count --count-api (text, cached): $(cat "$work/count.txt")"
fi
if api "$PROMPTASM" count --count-api <"$proj/note.md" >/dev/null 2>&1; then
	fail "count --count-api of standard input: not refused"
else ok; fi
# explain --count-api: the check's exact count, from the cache
api "$PROMPTASM" explain --no-managed -f json --count-api solo >"$work/explain.json" 2>"$work/explain.err"
if [ -s "$work/explain.json" ] && jq -e --argjson want "$want" '.exact == true and .tokens == $want' "$work/explain.json" >/dev/null; then ok; else
	fail "explain --count-api: want $want: $(jq -c '{exact, tokens}' "$work/explain.json") $(head -n 2 "$work/explain.err")"
fi
# the page says it too, first
api "$PROMPTASM" explain --no-managed -f html --count-api solo >"$work/explain.html" 2>/dev/null
if grep -q "id=\"exact\">Exact count from Anthropic's count_tokens (.*): <b>$want</b> tokens" \
	"$work/explain.html"; then ok; else
	fail "explain -f html --count-api: no exact count of $want on the page"
fi
if grep -q -F "$key" "$work/count.json" "$work/count.err" "$work/explain.json" "$work/explain.err"; then
	fail "the key is in count's or explain's output"
else ok; fi
# build --count-api: the same count, from the cache (json's tokens, no
# band); in text the prompt as without it, the count on standard error
before=$(wc -l <"$work/requests")
api "$PROMPTASM" build --no-managed -f json --count-api solo >"$work/build.json" 2>"$work/build.err"
if [ -s "$work/build.json" ] && jq -e --argjson want "$want" '.exact == true and .tokens == $want
	and .band == null' "$work/build.json" >/dev/null &&
	[ "$(wc -l <"$work/requests")" -eq "$before" ]; then ok; else
	fail "build --count-api: want $want from the cache: $(jq -c '{exact, tokens, band}' "$work/build.json") $(head -n 2 "$work/build.err")"
fi
run "$PROMPTASM" build --no-managed solo >"$work/build.plain" 2>/dev/null
api "$PROMPTASM" build --no-managed --count-api solo >"$work/build.txt" 2>"$work/build.err"
if cmp -s "$work/build.plain" "$work/build.txt" &&
	grep -q "exact count from Anthropic's count_tokens (.*): $want tokens" "$work/build.err"; then ok; else
	fail "build --count-api (text): $(diff "$work/build.plain" "$work/build.txt" | head -n 3) $(cat "$work/build.err")"
fi
# context --count-api: the project's text (here the agent's line in the
# listing) asked, Claude Code's own text from its figures; the line's
# count is what count --count-api gives for the same text
run "$PROMPTASM" context --no-managed -f json >"$work/ctx-est.json" 2>/dev/null
api "$PROMPTASM" context --no-managed -f json --count-api >"$work/ctx.json" 2>"$work/ctx.err"
st=$?
if [ "$st" -eq 0 ] && jq -e '.exact == false and .project_exact == true' "$work/ctx.json" >/dev/null &&
	! jq -e '.project_exact' "$work/ctx-est.json" >/dev/null; then ok; else
	fail "context --count-api: exit $st, $(jq -c '{exact, project_exact}' "$work/ctx.json") $(head -n 2 "$work/ctx.err")"
fi
line=$(jq -r '.parts[] | select(.kind == "agents") | .items[] | select(.name == "solo") | .tokens' "$work/ctx.json")
printf -- '- solo: One section (Tools: All tools)' >"$proj/line.md"
api "$PROMPTASM" count --count-api line.md >"$work/line.txt" 2>/dev/null
if [ -n "$line" ] && [ "$(cat "$work/line.txt")" = "$line line.md" ]; then ok; else
	fail "context --count-api: the agent's line counts $line, count --count-api says $(cat "$work/line.txt")"
fi
before=$(wc -l <"$work/requests")
api "$PROMPTASM" context --no-managed --count-api >"$work/ctx.txt" 2>/dev/null
if [ "$(wc -l <"$work/requests")" -eq "$before" ] &&
	grep -q "counted by Anthropic's count_tokens" "$work/ctx.txt" &&
	grep -q "^main session: $(jq -r .tokens "$work/ctx.json" | sed 's/\(.\)\(...\)$/\1,\2/') tokens" "$work/ctx.txt"; then ok; else
	fail "context --count-api (text, cached): $(head -n 1 "$work/ctx.txt")"
fi
if grep -q -F "$key" "$work/build.json" "$work/build.err" "$work/build.txt" "$work/ctx.json" \
	"$work/ctx.err" "$work/ctx.txt"; then
	fail "the key is in build's or context's output"
else ok; fi

# count --count-api with a tokenizer or model exact for other models
# (o200k_base, gpt-4o): no current Claude model to ask for, refused
# before any request, never a Claude count printed for them.
for o in "-t o200k_base" "-m gpt-4o"; do
	before=$(wc -l <"$work/requests")
	api "$PROMPTASM" count --count-api $o note.md >"$work/other.out" 2>"$work/other.err"
	st=$?
	if [ "$st" -eq 2 ] && [ ! -s "$work/other.out" ] &&
		grep -q -- "--count-api counts a current Claude model's tokens" "$work/other.err" &&
		[ "$(wc -l <"$work/requests")" -eq "$before" ]; then ok; else
		fail "count --count-api $o: exit $st, $(cat "$work/other.out" "$work/other.err" | head -n 3)"
	fi
done

# ---- offline: the estimate stands, with a warning ----
kill "$rec_pid" 2>/dev/null
wait "$rec_pid" 2>/dev/null
rec_pid=
rm -rf "$work/cache"
api "$PROMPTASM" check --no-managed -b 1000 --count-api >"$work/off.out" 2>"$work/off.err"
st=$?
if [ "$st" -eq 0 ] && grep -q 'warning: --count-api: .* cannot be reached' "$work/off.err" &&
	grep -q "~$local_total" "$work/off.out"; then ok; else
	fail "offline: exit $st, $(cat "$work/off.err" "$work/off.out" | head -n 4)"
fi
# count --count-api's estimate is the one of Claude Code's default model
# (the claude tokenizer, as count -m opus), not the default tokenizer's
api "$PROMPTASM" count --count-api -f json note.md >"$work/off-count.json" 2>"$work/off-count.err"
st=$?
want_est=$(run "$PROMPTASM" count -q -m opus <"$proj/note.md")
if [ "$st" -eq 0 ] && jq -e --argjson want "$want_est" '.tokenizer == "claude" and
		.exact == false and .tokens == $want' "$work/off-count.json" >/dev/null; then ok; else
	fail "count --count-api offline: exit $st, want claude's $want_est: $(cat "$work/off-count.json" "$work/off-count.err" | head -n 6)"
fi
if grep -q -F "$key" "$work/off.err" "$work/off.out"; then fail "offline: the key is in the output"; else ok; fi

# ---- no key: an error, not a request ----
run ANTHROPIC_BASE_URL="http://127.0.0.1:$port" "$PROMPTASM" check --no-managed --count-api \
	>/dev/null 2>"$work/nokey.err"
st=$?
if [ "$st" -eq 2 ] && grep -q 'ANTHROPIC_API_KEY' "$work/nokey.err"; then ok; else
	fail "no key: exit $st, $(cat "$work/nokey.err")"
fi
# another CLI's: not Claude's tokens, refused before any request
for c in "build" "context" "explain"; do
	before=$(wc -l <"$work/requests")
	api "$PROMPTASM" $c --harness codex --count-api >/dev/null 2>"$work/codex.err"
	st=$?
	if [ "$st" -eq 2 ] && grep -q -- "--count-api counts a Claude model's tokens" "$work/codex.err" &&
		[ "$(wc -l <"$work/requests")" -eq "$before" ]; then ok; else
		fail "$c --harness codex --count-api: exit $st, $(cat "$work/codex.err")"
	fi
done
for c in "build solo" "context"; do
	run ANTHROPIC_BASE_URL="http://127.0.0.1:$port" "$PROMPTASM" $c --no-managed --count-api \
		>/dev/null 2>"$work/nokey.err"
	st=$?
	if [ "$st" -eq 2 ] && grep -q 'ANTHROPIC_API_KEY' "$work/nokey.err"; then ok; else
		fail "$c: no key: exit $st, $(cat "$work/nokey.err")"
	fi
done


# ---- hostile answers: refused, the estimate stands ----
if ! have python3; then
	skip "hostile answers of --count-api" python3 "apt-get install python3"
	summary
	exit
fi
mkdir "$work/ans"
python3 "$here/api/answerer.py" "$work/ans" &
ans_pid=$!
i=0
while [ ! -s "$work/ans/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
aport=$(cat "$work/ans/port")
# A user, a password, a query and a fragment that no message may show.
secret_url="http://admin:PASSW0RD@127.0.0.1:$aport/gw?token=TOKEN123#FRAG"
hostile() {
	rm -rf "$work/cache"
	run ANTHROPIC_API_KEY="$key" ANTHROPIC_BASE_URL="$secret_url" \
		"$PROMPTASM" check --no-managed -b 1000 -f json --count-api "$@" \
		>"$work/h.json" 2>"$work/h.err"
}
estimate_stands() { # what, the warning's pattern
	if [ "$st" -eq 0 ] && grep -q "warning: --count-api: http://127.0.0.1:$aport/gw $2" "$work/h.err" &&
		jq -e ".agents[0].exact == false and .agents[0].tokens == $local_total" "$work/h.json" >/dev/null; then
		ok
	else
		fail "$1: exit $st, $(jq -c '.agents[0] | {exact, tokens}' "$work/h.json" 2>/dev/null) $(head -c 400 "$work/h.err")"
	fi
	if grep -q -e PASSW0RD -e admin -e TOKEN123 -e FRAG -e "$key" "$work/h.err" "$work/h.json"; then
		fail "$1: the URL's user, password, query or fragment (or the key) is shown: $(head -c 400 "$work/h.err")"
	else ok; fi
	if [ -n "$(ls -A "$work/cache" 2>/dev/null)" ] && grep -r -q -v '^[0-9]*$' "$work/cache"; then
		fail "$1: a refused answer is kept"
	fi
}
# 2^64 was read as ULONG_MAX, and the sum wrapped to a small exact count.
for v in 18446744073709551616 1000000001 -1 1.5 1e3 01 '"12"' null; do
	printf '{"input_tokens": %s}' "$v" >"$work/ans/answer"
	hostile
	st=$?
	estimate_stands "input_tokens $v" "answered no input_tokens that is an integer from 0 to 1000000000 (PA_COUNT_API_MAX_TOKENS)"
done
# The review's case: an agent over its budget passed on 2^64 tokens.
printf '{"input_tokens": 18446744073709551616}' >"$work/ans/answer"
rm -rf "$work/cache"
run ANTHROPIC_API_KEY="$key" ANTHROPIC_BASE_URL="$secret_url" \
	"$PROMPTASM" check --no-managed -b $((local_total - 1)) -f json --count-api \
	>"$work/h.json" 2>"$work/h.err"
st=$?
if [ "$st" -eq 1 ] && jq -e '.agents[0].exact == false and .agents[0].tokens > .agents[0].budget.budget' "$work/h.json" >/dev/null; then ok; else
	fail "an agent over budget on an answer of 2^64: exit $st, $(jq -c '.agents[0] | {exact, tokens, budget}' "$work/h.json" 2>/dev/null)"
fi
# The largest count allowed is a count.
printf '{"input_tokens": 1000000000}' >"$work/ans/answer"
hostile
if [ $? -eq 0 ] && jq -e '.agents[0].exact == true' "$work/h.json" >/dev/null; then ok; else
	fail "input_tokens 1000000000 (the maximum) is refused: $(head -c 300 "$work/h.err")"
fi
# Fewer tokens with the section than without: the section counted 0.
echo '{"input_tokens": LEN}' >"$work/ans/answer"
hostile
st=$?
estimate_stands "fewer tokens with a section" "counted fewer tokens with a section"
# 50 MB of answer, with a Content-Length (curl stops at max-filesize) and
# without one (we stop reading): was "answered HTTP 0".
{ printf '{"input_tokens": 5, "pad": "'; head -c 50000000 /dev/zero | tr '\0' x; printf '"}'; } >"$work/ans/answer"
for mode in length nolength; do
	[ $mode = nolength ] && : >"$work/ans/nolength"
	hostile
	st=$?
	estimate_stands "a 50 MB answer ($mode)" "answered more than 65536 bytes (PA_COUNT_API_MAX_ANSWER_BYTES)"
done
rm -f "$work/ans/nolength" "$work/ans/answer"
# A base URL that is not http(s): the error shows no password or query.
run ANTHROPIC_API_KEY="$key" ANTHROPIC_BASE_URL="ftp://admin:PASSW0RD@example.com/x?token=TOKEN123" \
	"$PROMPTASM" check --no-managed --count-api >/dev/null 2>"$work/h.err"
st=$?
if [ "$st" -eq 2 ] && grep -q 'ANTHROPIC_BASE_URL is not an http(s) URL: ftp://example.com/x$' "$work/h.err" &&
	! grep -q -e PASSW0RD -e TOKEN123 "$work/h.err"; then ok; else
	fail "a bad base URL: exit $st, $(cat "$work/h.err")"
fi

summary
