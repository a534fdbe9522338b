#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the top of the repository):
#
#   action.sh install   the Debian packages the build needs (sudo when not root)
#   action.sh build     make, in the action's own checkout
#   action.sh check     promptasm check of INPUT_PROJECT: annotations on
#                       standard output (--format github), a table appended
#                       to GITHUB_STEP_SUMMARY (--format markdown); the
#                       exit status is check's
#
# GitHub sets GITHUB_ACTION_PATH (this checkout), GITHUB_WORKSPACE (the
# repository checked) and GITHUB_STEP_SUMMARY; the action's inputs arrive
# as INPUT_PROJECT, INPUT_BASELINE, INPUT_MAX_GROWTH and INPUT_ARGS.
set -euo pipefail
here=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}

case ${1:-} in
install)
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends \
		build-essential pkg-config libyaml-dev libutf8proc-dev libpcre2-dev
	;;
build)
	make -C "$here" -j2 promptasm tables
	;;
check)
	cd "${GITHUB_WORKSPACE:-.}"
	args=(-C "${INPUT_PROJECT:-.}")
	[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
	[ -n "${INPUT_MAX_GROWTH:-}" ] && args+=(--max-growth "$INPUT_MAX_GROWTH")
	# shellcheck disable=SC2206 # the extra options are meant to split
	extra=(${INPUT_ARGS:-})
	status=0
	"$here/promptasm" check "${args[@]}" "${extra[@]}" --format github || status=$?
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		"$here/promptasm" check -q "${args[@]}" "${extra[@]}" --format markdown \
			>>"$GITHUB_STEP_SUMMARY" || true
	fi
	exit "$status"
	;;
*)
	echo "usage: action.sh install|build|check" >&2
	exit 2
	;;
esac
