#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the top of the repository):
#
#   action.sh key       the cache key of the built binary: the runner's
#                       system and a SHA-256 of the sources it is built
#                       from, as `key=...` on GITHUB_OUTPUT
#   action.sh install   the Debian packages the build needs (none when the
#                       cache gave a binary that runs), and jq, curl and
#                       git when missing (sudo when not root)
#   action.sh build     make, in the action's own checkout, the libraries
#                       linked statically so that a cached binary needs
#                       no package; nothing when the cache gave one
#   action.sh check     promptasm check of INPUT_PROJECT: annotations on
#                       standard output (--format github), a table
#                       appended to GITHUB_STEP_SUMMARY (--format
#                       markdown) and, on a pull request, the same table in
#                       one comment on it; the JSON report kept in
#                       RUNNER_TEMP; the outputs status, exit-status,
#                       totals, report and markdown on GITHUB_OUTPUT; the
#                       exit status is check's (0 with INPUT_WARN_ONLY)
#
# On a pull request (INPUT_BASE, the base commit, is set and INPUT_BASELINE
# is not), the base commit is checked out in a git worktree and counted by
# the same binary with the same options: that report is the baseline, so
# the table says what the pull request adds and which file grew.
#
# The comment is found among the pull request's comments by its author,
# the token's own identity (a personal token's user, else the Actions
# token's github-actions[bot]), and a hidden marker, and edited (PATCH),
# else created (POST): one comment, updated on each push.  A comment of
# anyone else is never edited, whatever it starts with: a token that may
# write may edit anyone's.  A token that may not write (a pull request
# from a fork) is a warning, never the check's failure.
#
# GitHub sets GITHUB_ACTION_PATH (this checkout), GITHUB_WORKSPACE (the
# repository checked), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_API_URL,
# GITHUB_REPOSITORY, GITHUB_SHA and RUNNER_TEMP; action.yml passes the
# inputs as INPUT_PROJECT, INPUT_BASELINE, INPUT_MAX_GROWTH, INPUT_ARGS
# (words split at white space, never expanded as globs), INPUT_HARNESS,
# INPUT_BASE, INPUT_COMMENT, INPUT_ALLOW_NO_AGENTS, INPUT_WARN_ONLY,
# INPUT_GITHUB_TOKEN, the
# pull request's number as PULL_REQUEST and the cache's hit as CACHE_HIT.
set -euo pipefail
here=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$here/promptasm
# The first line of the comment, which finds it again.  A second use of
# the Action in one workflow (another project of a monorepo) keeps a
# comment of its own.
marker_of() {
	local project=${INPUT_PROJECT:-.}
	if [ "$project" = . ]; then
		echo '<!-- promptasm-check -->'
	else
		echo "<!-- promptasm-check $(printf '%s' "$project" | sha256sum | cut -c1-16) -->"
	fi
}

# Whether the cache gave a binary that runs here.
cached() {
	[ "${CACHE_HIT:-}" = true ] && "$bin" --version >/dev/null 2>&1
}

# A workflow command's message: % and line breaks escaped.
gh_message() {
	local s=$1
	s=${s//'%'/%25}
	s=${s//$'\r'/%0D}
	s=${s//$'\n'/%0A}
	printf '%s' "$s"
}

# key: what the binary is built from, hashed in a stable order.  The
# runner's image is part of the key: the binary links its C library.
key() {
	local sum
	sum=$(cd "$here" && find Makefile include src tokenizers -type f \
		! -name '*.patab' -print | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-32)
	local k="promptasm-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-${ImageOS:-local}-$sum"
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		echo "key=$k" >>"$GITHUB_OUTPUT"
	else
		echo "$k"
	fi
}

install() {
	local sudo='' pkgs=()
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	cached || pkgs+=(build-essential pkg-config libyaml-dev libutf8proc-dev libpcre2-dev)
	command -v jq >/dev/null 2>&1 || pkgs+=(jq)
	command -v curl >/dev/null 2>&1 || pkgs+=(curl)
	command -v git >/dev/null 2>&1 || pkgs+=(git)
	if [ ${#pkgs[@]} -eq 0 ]; then
		echo "promptasm: the cached binary runs; nothing to install"
		return
	fi
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
}

# The static archive of a library when the compiler finds one, else the
# library as it is linked by default.
static_lib() {
	local a
	a=$(${CC:-cc} -print-file-name="lib$1.a")
	if [ -f "$a" ]; then echo "$a"; else echo "-l$1"; fi
}

build() {
	if cached; then
		echo "promptasm: the binary of these sources is cached: $("$bin" --version)"
		return
	fi
	make -C "$here" -j2 promptasm tables \
		LDLIBS="$(static_lib yaml) $(static_lib utf8proc) $(static_lib pcre2-8) -pthread"
}

# base_report DIR FILE ARGS...: check's JSON report of the base commit's
# copy of the project into FILE.  Returns 1 (with a warning) when the
# base cannot be counted; the check then goes on without it.
#
# A prompt holds absolute paths (where an agent's memory is), so the base
# is counted where the checkout is: the checkout is renamed aside (a
# rename on one file system), the base is added as a git worktree at its
# path, counted, removed, and the checkout renamed back, on any exit of
# this script too.  Where the checkout cannot be renamed, the worktree is
# made in RUNNER_TEMP, and counts that hold the path may differ by the
# tokens of the two paths.
base_report() {
	local project=$1 out=$2 top prefix tree repo status=0
	shift 2
	top=$(git -C "$project" rev-parse --show-toplevel 2>/dev/null) || {
		echo "::warning title=promptasm check::$(gh_message "not a git checkout: the base commit is not compared")"
		return 1
	}
	prefix=$(git -C "$project" rev-parse --show-prefix)
	# A commit or a ref, never an option of git.
	case $INPUT_BASE in
	-* | *[!0-9A-Za-z._/-]*)
		echo "::warning title=promptasm check::$(gh_message "base is not a commit or a ref name: it is not compared")"
		return 1
		;;
	esac
	# actions/checkout fetches one commit: the base may be missing.
	if ! git -C "$top" cat-file -e "$INPUT_BASE^{commit}" 2>/dev/null &&
		! git -C "$top" fetch -q --no-tags --depth=1 origin "$INPUT_BASE"; then
		echo "::warning title=promptasm check::$(gh_message "cannot fetch the base commit $INPUT_BASE: it is not compared")"
		return 1
	fi
	cd /
	# The Action inside the checkout (promptasm's tree copied under
	# .github/, or a submodule there) moves with it: the base is counted
	# by a copy of the binary and its tokenizers, outside.
	case $bin in
	"$top"/*)
		mkdir -p "$state/bin" && cp "$bin" "$state/bin/promptasm" &&
			{ [ ! -d "$here/tokenizers" ] || cp -R "$here/tokenizers" "$state/bin/"; } &&
			bin=$state/bin/promptasm
		;;
	esac
	aside=$top.promptasm-head
	if [ ! -e "$aside" ] && mv "$top" "$aside" 2>/dev/null; then
		moved=$top
		repo=$aside
		tree=$top
	else
		aside=
		repo=$top
		tree=$state/base
		echo "promptasm: the checkout cannot be renamed: the base is counted in $tree"
	fi
	if git -C "$repo" worktree add -q --detach "$tree" "$INPUT_BASE" >/dev/null 2>&1; then
		if [ -d "$tree/$prefix" ]; then
			# The base's warnings are not this pull request's: not shown.
			"$bin" check -C "$tree/$prefix" "$@" --allow-no-agents -q --format json \
				>"$out" 2>/dev/null || status=$?
		else
			# The project is new: every agent is new.  The empty report
			# is check's own, of the version it reads.
			mkdir -p "$state/none"
			"$bin" check -C "$state/none" --allow-no-agents -q --format json \
				>"$out" 2>/dev/null || status=$?
		fi
		# Kept beside the checkout until the end: check --baseline-dir
		# finds in it the first line of a file that grew.
		if [ "$tree" != "$state/base" ] &&
			! git -C "$repo" worktree move "$tree" "$state/base" >/dev/null 2>&1; then
			git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"
		fi
	else
		status=-1
	fi
	restore_checkout
	cd "${GITHUB_WORKSPACE:-$top}"
	if [ -d "$state/base" ]; then
		base_top=$top
		# The checkout moved back: the worktree's links follow it.
		git -C "$top" worktree repair "$state/base" >/dev/null 2>&1 || true
	fi
	if [ $status -eq -1 ]; then
		echo "::warning title=promptasm check::$(gh_message "cannot check out the base commit $INPUT_BASE: it is not compared")"
		return 1
	fi
	if [ $status -gt 1 ]; then
		echo "::warning title=promptasm check::$(gh_message "the base commit's agents cannot be counted (exit status $status): it is not compared")"
		return 1
	fi
}

# The checkout back where it was, if base_report renamed it.
moved=
aside=
restore_checkout() {
	[ -n "$moved" ] || return 0
	[ -e "$moved/.git" ] && [ ! -d "$moved/.git" ] && rm -rf "$moved"
	[ -e "$moved" ] || mv "$aside" "$moved"
	moved=
}

# The base's worktree gone, and git's record of it.
base_top=
remove_base() {
	if [ -n "$base_top" ]; then
		git -C "$base_top" worktree remove --force "$state/base" >/dev/null 2>&1 || true
	fi
	rm -rf "$state"
	if [ -n "$base_top" ]; then
		git -C "$base_top" worktree prune >/dev/null 2>&1 || true
		base_top=
	fi
}

# api METHOD PATH [BODY-FILE]: one GitHub REST call; the response in
# $state/response, the HTTP status on standard output.
api() {
	local args=(-sS --max-time 30 -o "$state/response" -w '%{http_code}'
		-X "$1" -H "Accept: application/vnd.github+json"
		-H "X-GitHub-Api-Version: 2022-11-28"
		-H "Authorization: Bearer $INPUT_GITHUB_TOKEN")
	[ $# -ge 3 ] && args+=(-H "Content-Type: application/json" --data-binary "@$3")
	curl "${args[@]}" "${GITHUB_API_URL:-https://api.github.com}$2" || true
}

# comment FILE: the report in FILE as the pull request's one comment.
comment() {
	local report=$1 marker issue ids=() id page code n body=$state/comment.json me=
	marker=$(marker_of)
	issue="/repos/$GITHUB_REPOSITORY/issues/$PULL_REQUEST"
	# The commits as names of commits only: nothing of Markdown.
	local of=${GITHUB_SHA:-HEAD} against=${INPUT_BASE:-none}
	of=${of//[^0-9A-Za-z.\/-]/}
	against=${against//[^0-9A-Za-z.\/-]/}
	{
		echo "$marker"
		# GitHub takes at most 65,536 characters in a comment.
		if [ "$(wc -c <"$report")" -le 60000 ]; then
			cat "$report"
		else
			head -c 60000 "$report" | sed '$d'
			printf '\n(cut here: the job summary has the whole report)\n'
		fi
		printf '\n<sub>promptasm check of %s against the base %s, updated on each push.</sub>\n' \
			"$of" "$against"
	} | jq -Rs '{body: .}' >"$body"
	# Who writes: a personal token's user; the Actions token (an
	# installation's, which has no user: 403) writes as github-actions[bot].
	code=$(api GET /user)
	if [ "$code" = 200 ]; then
		me=$(jq -r 'if type == "object" then .login // empty else empty end' \
			"$state/response" 2>/dev/null) || me=
	fi
	[ -n "$me" ] || me='github-actions[bot]'
	# Comments come 100 a page, oldest first; a long discussion has
	# many pages (at most 50 are read).  Anyone may write the marker,
	# and a token that may write may edit anyone's comment: only a
	# comment of our own identity that starts with it is ours.
	for page in $(seq 1 50); do
		code=$(api GET "$issue/comments?per_page=100&page=$page")
		if [ "$code" != 200 ]; then
			echo "::warning title=promptasm check::$(gh_message "cannot list the pull request's comments (HTTP $code): no comment written")"
			return 0
		fi
		n=$(jq -r 'if type == "array" then length else 0 end' "$state/response" 2>/dev/null) || n=0
		while read -r id; do
			[ -n "$id" ] && ids+=("$id")
		done < <(jq -r --arg m "$marker" --arg me "$me" 'if type == "array" then .[] |
			select((.user.login // "") == $me) |
			select((.body // "") | type == "string" and startswith($m)) | .id
			else empty end' "$state/response" 2>/dev/null || true)
		[ "$n" -lt 100 ] && break
	done
	for id in "${ids[@]}"; do
		[[ $id =~ ^[0-9]+$ ]] || continue
		code=$(api PATCH "/repos/$GITHUB_REPOSITORY/issues/comments/$id" "$body")
		if [ "$code" = 200 ]; then
			echo "promptasm: pull request comment $id updated"
			return 0
		fi
	done
	code=$(api POST "$issue/comments" "$body")
	if [ "$code" = 201 ]; then
		echo "promptasm: pull request comment created"
	else
		echo "::warning title=promptasm check::$(gh_message "cannot comment on the pull request (HTTP $code; a pull request from a fork has a read-only token)")"
	fi
}

# outputs STATUS ARGS...: the step's outputs on GITHUB_OUTPUT: check's
# status (ok, over, failed, error) and exit status, its totals (the JSON
# report's summary, one line), and where the JSON and Markdown reports
# are kept (RUNNER_TEMP, for later steps).
outputs() {
	local code=$1 dir json md verdict totals
	shift
	dir=$(mktemp -d "${RUNNER_TEMP:-/tmp}/promptasm-report.XXXXXX")
	json=$dir/report.json
	md=$dir/report.md
	"$bin" check -q "$@" --format json >"$json" 2>/dev/null || true
	cp "$state/report.md" "$md" 2>/dev/null || : >"$md"
	verdict=$(jq -r '.status // "error"' "$json" 2>/dev/null) || verdict=error
	totals=$(jq -c '.summary // {}' "$json" 2>/dev/null) || totals='{}'
	[ -n "${GITHUB_OUTPUT:-}" ] || return 0
	{
		echo "status=$verdict"
		echo "exit-status=$code"
		echo "totals=$totals"
		echo "report=$json"
		echo "markdown=$md"
	} >>"$GITHUB_OUTPUT"
}

check() {
	cd "${GITHUB_WORKSPACE:-.}"
	local project=${INPUT_PROJECT:-.} status=0 args=() extra=()
	state=$(mktemp -d "${RUNNER_TEMP:-/tmp}/promptasm.XXXXXX")
	trap 'restore_checkout; remove_base' EXIT
	trap 'exit 143' TERM INT HUP
	# Words split at white space, as written: never a glob expanded
	# against the checkout (a `*` in a budget glob stays a `*`).
	read -r -a extra <<<"${INPUT_ARGS:-}" || true
	[ "${INPUT_WARN_ONLY:-false}" = true ] && extra+=(--warn-only)
	# The other agent CLIs the input names (docs/harnesses.md), checked
	# beside Claude Code in the one run: one verdict, one report, one
	# comment.  Without the input, the config's harness: decides.
	local h hs=() list=claude-code names=${INPUT_HARNESS:-}
	read -r -a hs <<<"${names//,/ }" || true
	for h in "${hs[@]}"; do
		[ "$h" = claude-code ] || list+=",$h"
	done
	[ ${#hs[@]} -gt 0 ] && extra+=(--harness "$list")
	args=(-C "$project")
	if [ -n "${INPUT_BASELINE:-}" ]; then
		args+=(--baseline "$INPUT_BASELINE")
	elif [ -n "${INPUT_BASE:-}" ] && base_report "$project" "$state/base.json" "${extra[@]}"; then
		args+=(--baseline "$state/base.json")
		prefix=$(git -C "$project" rev-parse --show-prefix)
		[ -d "$state/base/$prefix" ] && args+=(--baseline-dir "$state/base/$prefix")
	fi
	if [ -n "${INPUT_MAX_GROWTH:-}" ]; then
		case " ${args[*]} " in
		*" --baseline "*) args+=(--max-growth "$INPUT_MAX_GROWTH") ;;
		*) echo "::warning title=promptasm check::max-growth without a baseline or a base commit: growth is not checked" ;;
		esac
	fi
	[ "${INPUT_ALLOW_NO_AGENTS:-false}" = true ] && args+=(--allow-no-agents)
	# Annotations and the warnings, once each, in the log; then the table,
	# whose warnings were just shown.
	"$bin" check "${args[@]}" "${extra[@]}" --format github || status=$?
	"$bin" check -q "${args[@]}" "${extra[@]}" --format markdown \
		>"$state/report.md" 2>/dev/null || true
	outputs "$status" "${args[@]}" "${extra[@]}"
	# No table: check stopped before its report (a usage error), which
	# the log shows.
	if [ -s "$state/report.md" ]; then
		if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
			cat "$state/report.md" >>"$GITHUB_STEP_SUMMARY"
		fi
		if [[ ${PULL_REQUEST:-} =~ ^[0-9]+$ ]] && [ "${INPUT_COMMENT:-true}" = true ]; then
			comment "$state/report.md"
		fi
	fi
	exit "$status"
}

case ${1:-} in
key | install | build | check) "$1" ;;
*)
	echo "usage: action.sh key|install|build|check" >&2
	exit 2
	;;
esac
