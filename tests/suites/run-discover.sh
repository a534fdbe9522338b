#!/bin/sh
# The discover stage against hostile settings, plugins and marketplaces:
# every path a setting, a plugin or a marketplace names goes through the
# link rule instruction files go through (SECURITY.md), strictness drops
# a settings file whole with a warning naming it, and 40,000
# enabledPlugins are merged and looked up (by sorting, not by a search
# per lookup: `make bench` times it).  Each case is a tree made here, the
# program run with an empty environment but HOME.
# Run on its own: make && sh tests/suites/run-discover.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
work=$(mktemp -d /tmp/promptasm-discover.XXXXXX)
trap 'rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $case: $*"; }

# fresh NAME: an empty project (a repository) and home for case NAME.
fresh() {
	case=$1
	w=$work/$1
	mkdir -p "$w/proj/.git" "$w/proj/.claude/agents" "$w/home/.claude"
	printf -- '---\nname: alpha\ndescription: the alpha agent\n---\nalpha body\n' \
		>"$w/proj/.claude/agents/alpha.md"
}

# pa ARGS...: the program in the case's project, its stderr in $w/err.
pa() {
	[ "$1" = agents ] || set -- "$@" --no-managed
	(cd "$w/proj" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C.UTF-8 \
		PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		"$PROMPTASM" "$@") 2>"$w/err"
}

# has FILE TEXT / lacks FILE TEXT: a fixed string in a file, or not.
has() { if grep -q -F -- "$2" "$1"; then ok; else fail "no '$2' in $(basename "$1"): $(head -c 600 "$1")"; fi; }
lacks() { if grep -q -F -- "$2" "$1"; then fail "'$2' in $(basename "$1")"; else ok; fi; }

# A plugin kit@team installed from a GitHub marketplace (registry files
# in the case's home), its files under $P.
plugin() {
	P=$w/home/.claude/plugins/cache/team/kit/1.0.0
	mkdir -p "$P/.claude-plugin" "$P/agents" "$w/home/.claude/plugins/marketplaces/team/.claude-plugin"
	cat >"$w/home/.claude/plugins/installed_plugins.json" <<EOF
{ "version": 2, "plugins": { "kit@team": [ { "scope": "user", "installPath": "$P" } ] } }
EOF
	cat >"$w/home/.claude/plugins/known_marketplaces.json" <<EOF
{ "team": { "source": { "source": "github", "repo": "team/kit" },
  "installLocation": "$w/home/.claude/plugins/marketplaces/team" } }
EOF
	echo '{ "name": "team", "plugins": [ { "name": "kit", "source": "./kit" } ] }' \
		>"$w/home/.claude/plugins/marketplaces/team/.claude-plugin/marketplace.json"
	echo '{ "name": "kit" }' >"$P/.claude-plugin/plugin.json"
	printf -- '---\nname: helper\ndescription: the kit helper\n---\nhelper body\n' \
		>"$P/agents/helper.md"
}

# ---- 40,000 enabledPlugins: merged over three levels, the last word kept
fresh many-plugins
plugin
awk 'BEGIN { printf "{ \"enabledPlugins\": {"
	for (i = 0; i < 40000; i++) printf "%s\"p%05d@m%d\": true", (i ? ", " : ""), i, i % 7
	printf ", \"kit@team\": true } }\n" }' >"$w/home/.claude/settings.json"
awk 'BEGIN { printf "{ \"enabledPlugins\": {"
	for (i = 0; i < 40000; i += 2) printf "%s\"p%05d@m%d\": false", (i ? ", " : ""), i, i % 7
	printf " } }\n" }' >"$w/proj/.claude/settings.json"
pa agents --format json >"$w/out" && ok || fail "status $?: $(head -c 300 "$w/err")"
has "$w/out" '"kit:helper"'
# ... and a later level's false turns it off, for the main session too.
echo '{ "enabledPlugins": { "kit@team": false } }' >"$w/proj/.claude/settings.local.json"
pa agents --format json >"$w/out"
lacks "$w/out" '"kit:helper"'
pa context --format json >"$w/out" && ok || fail "context: status $?: $(head -c 300 "$w/err")"
lacks "$w/out" 'kit:'

# ---- the project's settings are the working directory's
fresh cwd-settings
plugin
echo '{ "enabledPlugins": { "kit@team": true } }' >"$w/proj/.claude/settings.json"
mkdir -p "$w/proj/pkg/.claude"
echo '{}' >"$w/proj/pkg/.claude/settings.json"
(cd "$w/proj/pkg" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C.UTF-8 \
	PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" "$PROMPTASM" agents --no-managed \
	--format json) >"$w/out" 2>"$w/err"
lacks "$w/out" '"kit:helper"'
(cd "$w/proj/pkg" && env -i PATH=/usr/bin:/bin HOME="$w/home" LC_ALL=C.UTF-8 \
	PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" "$PROMPTASM" context --no-managed \
	--format json) >"$w/out" 2>"$w/err"
lacks "$w/out" 'kit:'

# ---- strictness: a known key of the wrong type drops the file whole
fresh strict-type
printf 'root @a.md\n' >"$w/proj/CLAUDE.md"
printf 'MARK_A\n' >"$w/proj/a.md"
echo '{ "permissions": { "allow": "Read" }, "claudeMdExcludes": ["**/proj/a.md"] }' \
	>"$w/proj/.claude/settings.json"
pa build alpha >"$w/out"
has "$w/out" MARK_A
has "$w/err" '.claude/settings.json:1:'
has "$w/err" 'permissions.allow'

fresh strict-json
printf 'root @a.md\n' >"$w/proj/CLAUDE.md"
printf 'MARK_A\n' >"$w/proj/a.md"
printf '{\n  "claudeMdExcludes": ["**/proj/a.md"],\n}\n' >"$w/proj/.claude/settings.json"
pa build alpha >"$w/out"
has "$w/out" MARK_A
has "$w/err" '.claude/settings.json:3:'

# ---- autoMemoryDirectory: relative is ignored, outside is refused
fresh automem-relative
echo '{ "autoMemoryDirectory": "mem" }' >"$w/proj/.claude/settings.json"
mkdir -p "$w/proj/mem"
echo 'MARK_REL' >"$w/proj/mem/MEMORY.md"
pa build alpha >"$w/out"
lacks "$w/out" MARK_REL
has "$w/err" 'is relative'

fresh automem-outside
mkdir -p "$w/secret"
echo 'MARK_SECRET' >"$w/secret/MEMORY.md"
echo "{ \"autoMemoryDirectory\": \"$w/secret\" }" >"$w/proj/.claude/settings.local.json"
pa build alpha >"$w/out"
lacks "$w/out" MARK_SECRET
has "$w/err" 'leads out of the repository'
pa build alpha --approve-imports >"$w/out"
has "$w/out" MARK_SECRET

fresh automem-link
mkdir -p "$w/secret" "$w/proj/mem"
echo 'MARK_SECRET' >"$w/secret/MEMORY.md"
ln -s "$w/secret/MEMORY.md" "$w/proj/mem/MEMORY.md"
echo "{ \"autoMemoryDirectory\": \"$w/proj/mem\" }" >"$w/proj/.claude/settings.json"
pa build alpha >"$w/out"
lacks "$w/out" MARK_SECRET
has "$w/err" 'symbolic link'

# ---- a project settings file that is a link to the user's
fresh settings-link
printf 'root @a.md\n' >"$w/proj/CLAUDE.md"
printf 'MARK_A\n' >"$w/proj/a.md"
echo '{ "claudeMdExcludes": ["**/proj/a.md"] }' >"$w/home/.claude/user-settings.json"
ln -s "$w/home/.claude/user-settings.json" "$w/proj/.claude/settings.local.json"
pa build alpha >"$w/out"
has "$w/out" MARK_A
has "$w/err" 'settings.local.json: skipped: a symbolic link'

# ---- a marketplace catalog whose source leads out of it
fresh market-source
mkdir -p "$w/market/.claude-plugin" "$w/secret/.claude-plugin" "$w/secret/agents"
echo '{ "name": "kit" }' >"$w/secret/.claude-plugin/plugin.json"
printf -- '---\nname: spy\ndescription: the spy\n---\nspy body\n' >"$w/secret/agents/spy.md"
echo '{ "name": "team", "plugins": [ { "name": "kit", "source": "../secret" } ] }' \
	>"$w/market/.claude-plugin/marketplace.json"
mkdir -p "$w/home/.claude/plugins"
cat >"$w/home/.claude/plugins/installed_plugins.json" <<EOF
{ "version": 2, "plugins": { "kit@team": [ { "scope": "user", "installPath": "$w/secret" } ] } }
EOF
cat >"$w/home/.claude/plugins/known_marketplaces.json" <<EOF
{ "team": { "source": { "source": "directory", "path": "$w/market" }, "installLocation": "$w/market" } }
EOF
echo '{ "enabledPlugins": { "kit@team": true } }' >"$w/home/.claude/settings.json"
pa agents --format json >"$w/out"
lacks "$w/out" 'kit:spy'
has "$w/err" '../secret skipped: it leads out of its directory'

# ---- a plugin manifest's agents: listed files replace agents/, held to
# the plugin
fresh manifest-agents
plugin
mkdir -p "$P/extra" "$w/secret"
printf -- '---\nname: custom\ndescription: the custom one\n---\ncustom body\n' >"$P/extra/custom.md"
printf -- '---\nname: spy\ndescription: the spy\n---\nspy body\n' >"$w/secret/spy.md"
echo '{ "name": "kit", "agents": ["./extra/custom.md", "../../../../../../secret/spy.md"] }' \
	>"$P/.claude-plugin/plugin.json"
echo '{ "enabledPlugins": { "kit@team": true } }' >"$w/home/.claude/settings.json"
pa agents --format json >"$w/out"
has "$w/out" '"kit:custom"'
lacks "$w/out" '"kit:helper"'
lacks "$w/out" 'kit:spy'
has "$w/err" 'skipped: it leads out of its directory'

# ---- CLAUDE_CODE_DISABLE_CLAUDE_MDS from a settings file's env
fresh disable-claude-mds
printf 'MARK_ROOT\n' >"$w/proj/CLAUDE.md"
echo '{ "env": { "CLAUDE_CODE_DISABLE_CLAUDE_MDS": "1" } }' >"$w/home/.claude/settings.json"
pa build alpha >"$w/out"
lacks "$w/out" MARK_ROOT
echo '{ "env": { "CLAUDE_CODE_DISABLE_CLAUDE_MDS": "0" } }' >"$w/home/.claude/settings.json"
pa build alpha >"$w/out"
has "$w/out" MARK_ROOT

summary
