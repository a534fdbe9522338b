#!/bin/sh
# The shell completions, generated from the option tables
# the parser reads (`promptasm completions bash|zsh|fish`, make
# completions).  Checked: the committed files are not stale; for every
# command bash and fish offer exactly the options its --help lists, each
# of which the parser takes; -f offers exactly the formats the parser
# names when refusing one; -t the tokenizers, -m model names (no agents,
# no patterns), agents only where an agent is expected, directories for
# -C.  zsh's file is parsed by zsh.  A shell that is not installed is
# skipped (CI installs them).
# Run on its own: make && sh tests/suites/run-completions.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
printf '#!/bin/sh\nexec "%s" "$@"\n' "$PROMPTASM" >"$bin/promptasm"
chmod +x "$bin/promptasm"
mkdir "$bin/empty"

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# The scripts, as the build makes them (make completions): printed by the
# program under test from its option tables.
shelldir=$(mktemp -d)
trap 'rm -rf "$bin" "$shelldir"' EXIT
for sh in bash zsh fish; do
	case $sh in
	bash) f=promptasm.bash ;;
	zsh) f=_promptasm ;;
	fish) f=promptasm.fish ;;
	esac
	if "$PROMPTASM" completions "$sh" >"$shelldir/$f" && [ -s "$shelldir/$f" ]; then ok
	else fail "promptasm completions $sh printed nothing"; fi
done

# complete_bash LINE: the words bash offers for the last word of LINE,
# sorted, one line.
complete_bash() {
	(cd "$root/examples/webshop" && PATH="$bin:$PATH" bash -c '
		. "$1"
		read -r -a COMP_WORDS <<<"$2"
		case $2 in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_promptasm
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' _ "$shelldir/promptasm.bash" "$1")
}
complete_fish() {
	# fish_complete_path emptied: an installed promptasm.fish (a Debian
	# package's, in vendor_completions.d) is not loaded beside ours
	(cd "$root/examples/webshop" && PATH="$bin:$PATH" fish -c '
		set -g fish_complete_path; source $argv[1]; complete -C $argv[2] | string replace -r "\t.*" "" |
		sort -u | tr "\n" " "' "$shelldir/promptasm.fish" "$1")
}
# has|lacks LINE WORD: WORD is (not) among the completions of LINE.
has() {
	got=$(complete_bash "$1")
	case " $got" in *" $2 "*) ok ;; *) fail "'$1': want '$2' in: $got" ;; esac
}
lacks() {
	got=$(complete_bash "$1")
	case " $got" in *" $2 "*) fail "'$1': '$2' offered: $got" ;; *) ok ;; esac
}
# same WHAT WANT GOT: the two word lists are equal as sets.
same() {
	w=$(printf '%s\n' $2 | sort -u | tr '\n' ' ')
	g=$(printf '%s\n' $3 | sort -u | tr '\n' ' ')
	if [ "$w" = "$g" ]; then ok; else fail "$1: want '$w', got '$g'"; fi
}

if ! have bash; then
	skip "completions run in bash" bash "apt-get install bash"
	summary
	exit
fi
commands=$("$PROMPTASM" --help | sed -n 's/^  \([a-z-]*\)  .*/\1/p')
same "commands" "$commands --help --version" "$(complete_bash 'promptasm ')"
for cmd in $commands; do
	# The long options --help names, and those offered (the short ones
	# are checked against the parser below).
	want=$("$PROMPTASM" "$cmd" --help | grep -o -- '--[a-z][a-z0-9-]*'; echo --help)
	[ "$cmd" = compile-tokenizer ] && want="--help"
	got=$(complete_bash "promptasm $cmd -")
	same "$cmd options (bash)" "$want" "$(printf '%s\n' $got | grep -- '^--')"
	if have fish; then
		same "$cmd options (fish)" "$got" "$(complete_fish "promptasm $cmd -")"
	fi
	# Each one offered is one the parser takes.
	for o in $got; do
		e=$(cd "$bin/empty" && "$PROMPTASM" "$cmd" "$o" </dev/null 2>&1 >/dev/null)
		case $e in *"unknown option"*) fail "$cmd $o offered, refused: $e" ;; *) ok ;; esac
	done
	# -f: the formats the parser names when it refuses one.
	case " $got " in *" --format "*)
		formats=$("$PROMPTASM" "$cmd" -f '?' 2>&1 | sed -n "s/.*unknown format '?' (\([^)]*\)).*/\1/p" |
			sed 's/,/ /g; s/ or / /')
		same "$cmd -f" "$formats" "$(complete_bash "promptasm $cmd -f ")"
		have fish && same "$cmd -f (fish)" "$formats" "$(complete_fish "promptasm $cmd -f ")"
	esac
done
[ "$(printf '%s\n' $commands | wc -l)" -ge 10 ] && ok || fail "too few commands: $commands"

tokenizers=$("$PROMPTASM" tokenizers -f json | sed -n 's/.*{"name": "\([^"]*\)".*/\1/p')
same "count -t" "$tokenizers" "$(complete_bash 'promptasm count -t ')"
same "build --tokenizer" "$tokenizers" "$(complete_bash 'promptasm build --tokenizer ')"
lacks "promptasm count -t " "(default)"
lacks "promptasm count -t " from
lacks "promptasm count -t " .claude/
has "promptasm build -f anth" anthropic
has "promptasm build -f " openai
has "promptasm build -m gpt-4o-m" gpt-4o-mini
has "promptasm count -m " sonnet
lacks "promptasm build -m " reviewer
lacks "promptasm build -m " "gpt-4o-*"
has "promptasm build rev" reviewer
has "promptasm explain release" release-notes
has "promptasm check " test-writer
lacks "promptasm count " reviewer
lacks "promptasm context " reviewer
has "promptasm build -C ." .claude
lacks "promptasm build -C " CLAUDE.md
has "promptasm build -C ../webshop rev" reviewer
lacks "promptasm build -C /nonexistent rev" reviewer
has "promptasm check --baseline CLA" CLAUDE.md
has "promptasm build --keep " tail
has "promptasm bu" build
has "promptasm build --no-ma" --no-managed
if have fish; then
	got=$(complete_fish "promptasm build rev")
	case " $got" in *" reviewer "*) ok ;; *) fail "fish: want reviewer in: $got" ;; esac
	same "fish count -t" "$tokenizers" "$(complete_fish 'promptasm count -t ')"
else
	skip "fish's completion run by fish" fish "apt-get install fish"
fi
if have zsh; then
	if zsh -n "$shelldir/_promptasm"; then ok; else fail "zsh -n _promptasm"; fi
else
	skip "zsh's completion parsed by zsh" zsh "apt-get install zsh"
fi
summary
