#!/bin/sh
# The shell completions (src/shell/): bash's are run on sample command
# lines; zsh's and fish's are parsed by their shells when installed, and
# skipped otherwise (CI installs both).
# Run on its own: make && sh tests/run-completions.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
printf '#!/bin/sh\nexec "%s" "$@"\n' "$PROMPTASM" >"$bin/promptasm"
chmod +x "$bin/promptasm"

# complete LINE: the words bash completes for the last word of LINE.
complete_bash() {
	(cd "$root/examples/webshop" && PATH="$bin:$PATH" bash -c '
		. "$1"
		read -r -a COMP_WORDS <<<"$2"
		case $2 in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_promptasm
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' _ "$root/src/shell/promptasm.bash" "$1")
}
expect() {
	have bash || { skip "'$1' completed by bash" bash "apt-get install bash"; return; }
	got=$(complete_bash "$1")
	case " $got" in
	*" $2 "*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)); echo "FAIL '$1': want '$2' in: $got" ;;
	esac
}
expect "promptasm bu" build
expect "promptasm che" check
expect "promptasm build --no-ma" --no-managed
expect "promptasm check --for" --format
expect "promptasm build rev" reviewer
expect "promptasm explain release" release-notes
expect "promptasm count -t o200" o200k_base
expect "promptasm build -f anth" anthropic
expect "promptasm explain -f ht" html
expect "promptasm check --format ht" html

for sh in zsh fish; do
	have "$sh" || { skip "$sh's completion parsed by $sh" "$sh" "apt-get install $sh"; continue; }
	case $sh in
	zsh) f=$root/src/shell/_promptasm ;;
	fish) f=$root/src/shell/promptasm.fish ;;
	esac
	if "$sh" -n "$f"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $sh -n $f"; fi
done
summary
