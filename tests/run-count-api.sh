#!/bin/sh
# --count-api against a recorder on 127.0.0.1 (tests/api/recorder.c, built
# here), never the network: check counts an agent with the recorder's
# answers (exact, no band, no margin), sends the key only in the x-api-key
# header to ANTHROPIC_BASE_URL (never on curl's command line, in any
# output, or in the cache), keeps the answers by the request's hash (a
# second run asks nothing), and falls back to the estimate with a warning
# when the recorder is gone.  Without ANTHROPIC_API_KEY it is an error.
#
# Needs curl (the program --count-api runs) and jq: without them the
# suite is skipped (CI installs them).
# Run on its own: make && sh tests/run-count-api.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d /tmp/promptasm-count-api.XXXXXX)
rec_pid=
trap '[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null; rm -rf "$work"' EXIT

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
if grep -q -F "$key" "$work/off.err" "$work/off.out"; then fail "offline: the key is in the output"; else ok; fi

# ---- no key: an error, not a request ----
run ANTHROPIC_BASE_URL="http://127.0.0.1:$port" "$PROMPTASM" check --no-managed --count-api \
	>/dev/null 2>"$work/nokey.err"
st=$?
if [ "$st" -eq 2 ] && grep -q 'ANTHROPIC_API_KEY' "$work/nokey.err"; then ok; else
	fail "no key: exit $st, $(cat "$work/nokey.err")"
fi

summary
