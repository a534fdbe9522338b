#!/bin/sh
# The other agent CLIs, replayed offline: for every recording of
# tests/oracle-harness/results/NAME.HARNESS.json (made by `make
# oracle-harness` from the real Codex CLI, Copilot CLI, Gemini CLI and
# opencode), the fixture is unpacked again and
#   - `promptasm build --harness HARNESS -f json` must name the same files,
#     in the same order, each with as many bytes sent as the CLI sent (a
#     file named by path only as named, a skill the CLI lists by its
#     name and description as a skill), and
#   - `promptasm context --harness HARNESS -f json` must give the whole
#     first request within 5% of the tokens recorded (and a variable
#     that chooses a variant of its own text must move it as much as
#     recorded), and Gemini's
#     directory tree within 3 tokens of the tree recorded for each
#     directory it lists;
#   - where the recording counted the request with the tokenizer of the
#     CLI's models too (tokens_qwen3), the same context without -t must
#     count with it: the whole within 5%, the files' text exact where
#     promptasm sends the same text;
#   - `promptasm build --harness HARNESS` must print the markers (MK_...)
#     of the fixture's files in the order the CLI sent them (recorded as
#     `order`): an imported file where the model reads it.
# A fixture's `differs:` header lines name what promptasm does not do as
# the CLI does, on purpose (a link out of the repository is not read).
# Run on its own: sh tests/suites/run-harness.sh (after make).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2

if ! have jq; then
	skip "the replay of the other agent CLIs" jq "apt-get install jq"
	summary
	exit
fi

# The work directory's name is ten digits: Gemini's directory tree
# names it, and a random name of letters tokenizes to a different count
# on every run (each three digits are one token in o200k_base, so this
# name always costs the same).  mkdir makes it or fails (never follows a
# link there): the next number is tried.
n=$$
while ! mkdir -m 700 "/tmp/harness-replay.$(printf '%010d' "$n")" 2>/dev/null; do
	n=$((n + 1))
done
work=/tmp/harness-replay.$(printf '%010d' "$n")
trap 'rm -rf "$work"' EXIT

header() { # FIXTURE KEY: the values of a header line
	sed -n "/^===/q; s/^$2: *//p" "$1"
}

# results/NAME.H.json: the pinned version; results/H@VERSION/: another
# measured version, kept replayable (each replayed as --harness
# H@VERSION, the version it was recorded with)
for res in tests/oracle-harness/results/*.json tests/oracle-harness/results/*@*/*.json; do
	[ -f "$res" ] || continue
	base=$(basename "$res" .json)
	name=${base%.*}
	h=${base##*.}
	ver=$(jq -r .version "$res")
	case $res in */*@*/*) base="$h@$ver/$base" ;; esac
	fixture=tests/oracle-harness/fixtures/$name.txt
	[ -f "$fixture" ] || { echo "FAIL $base: no fixture $fixture"; failed=$((failed + 1)); continue; }
	dir=$work/$name
	rm -rf "$dir"
	sh tests/oracle/unpack.sh "$fixture" "$dir" || { failed=$((failed + 1)); continue; }
	if [ "$(header "$fixture" git)" != no ]; then
		git init -q "$dir/proj" 2>/dev/null || mkdir -p "$dir/proj/.git"
	fi
	cwd=$dir/$(jq -r .cwd "$res")
	# $W in a variable: where the fixture is unpacked
	vars=$(jq -r --arg W "$dir" '.env // {} | to_entries[] |
		"\(.key)=\(.value | gsub("\\$W"; $W))"' "$res")
	run() { # the program as the CLI was run: its HOME, its variables
		(cd "$cwd" && env -i HOME="$dir/home" PATH=/usr/bin:/bin LC_ALL=C \
			PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" $vars "$PROMPTASM" "$@")
	}
	if [ "$(jq -r .sent "$res")" != true ]; then
		# the CLI refused to start (a configuration it does not take):
		# promptasm refuses too, naming the file, line and column
		if [ "$(jq -r .exit "$res")" = 0 ]; then
			continue
		elif run build --harness "$h@$ver" -f json -q >/dev/null 2>"$work/err"; then
			echo "FAIL $base: $h refused to start, build --harness $h did not"
			failed=$((failed + 1))
		elif ! grep -q ':[0-9][0-9]*:[0-9][0-9]*' "$work/err"; then
			echo "FAIL $base: the refusal names no line and column: $(cat "$work/err")"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
		continue
	fi
	if ! out=$(run build --harness "$h@$ver" -f json -q 2>"$work/err"); then
		echo "FAIL $base: build --harness $h failed: $(cat "$work/err")"
		failed=$((failed + 1))
		continue
	fi
	# a `differs:` path is left out for every CLI, or for one when it
	# is written H:PATH
	differs=$(header "$fixture" differs | sed 's/ .*//' | awk -v h="$h" '
		index($0, h ":") == 1 { print substr($0, length(h) + 2); next }
		index($0, ":") == 0' | tr '\n' ' ')
	# What arrived, as the recording names it: PATH:BYTES, or PATH:named.
	want=$(jq -r --arg skip " $differs" '.files[] | .path as $p |
		select(($skip | contains(" " + $p + " ")) | not) |
		"\(.path):\(if .named then "named" elif .skill then "skill" else .sent end)\(if .lossy then "~" else "" end)"' "$res")
	got=$(printf '%s' "$out" | jq -r --arg dir "$dir" --arg h "$h" '.root as $r |
		[.files[].imported_by // empty] as $importers | .files[] |
		select(.state != "dropped" and .state != "unread" and .state != "empty") |
		(if (.path | startswith("~/")) then "home/" + .path[2:]
		 elif (.path | startswith("/")) then .path[($dir | length) + 1:]
		 else ((($r | rtrimstr("/")) + "/" + .path)[($dir | length) + 1:]) end) as $p |
		"\($p):\(if .state == "named" or .state == "skill" then .state else .bytes_sent end)\(
		if ($h == "qwen" or $h == "gemini" or $h == "copilot") and
		   (.path as $q | $importers | index([$q])) then "^" else "" end)"')
	# a link is recorded as the file it leads to
	got=$(printf '%s\n' "$got" | while IFS= read -r line; do
		[ -n "$line" ] || continue
		p=${line%:*}
		if [ -n "$p" ] && [ -L "$dir/$p" ]; then
			p=$(realpath --relative-to="$dir" "$dir/$p")
		fi
		printf '%s:%s\n' "$p" "${line##*:}"
	done)
	[ -n "$got" ] || got=
	# a file the CLI sent twice (a link to the parent's file for pi, an
	# @import made twice for Qwen Code) is recorded once, with `times`:
	# only the first of its paths in promptasm's list is compared
	twice=$(jq -r '.files[] | select((.times // 1) > 1) | .path' "$res")
	if [ -n "$twice" ]; then
		got=$(printf '%s\n' "$got" | awk -v twice="$twice" '
			BEGIN { n = split(twice, t, "\n"); for (i = 1; i <= n; i++) tw[t[i]] = 1 }
			{ p = $0; sub(/:[^:]*$/, "", p) }
			!(p in tw) || !seen[p]++')
	fi
	# a cut inside a character: the CLI sends U+FFFD for its bytes
	ok=1
	if [ "$(printf '%s\n' "$want" | sed 's/:[0-9]*~$//; s/:.*//')" != \
	     "$(printf '%s\n' "$got" | sed 's/:.*//')" ]; then
		ok=0
	else
		paste -d ' ' "$(printf '%s\n' "$want" > "$work/w"; echo "$work/w")" \
			"$(printf '%s\n' "$got" > "$work/g"; echo "$work/g")" > "$work/wg"
		while read -r w g; do
			[ "$w" = "$g" ] && continue
			case $w in
			*"~") wb=${w%"~"}; wb=${wb##*:}; gb=${g##*:}
			    [ "$gb" -ge "$wb" ] && [ "$gb" -le $((wb + 3)) ] && continue ;;
			*)
			    # Qwen Code and Gemini CLI replace an @import by the file, in place,
			    # and Copilot CLI puts a mentioned file after the mention,
			    # and goes on with the line: the recorder follows the
			    # line's rest to the next match in the request, and
			    # loses the file where that rest is a bare line end
			    # (found in the imported text) or where Qwen wrote a
			    # comment of its own (an import refused: outside the
			    # root, a cycle).  For a file that imports (marked ^),
			    # what was recorded is a prefix of what was sent.
			    case $g in *"^")
				g=${g%"^"}
				[ "$w" = "$g" ] && continue
				[ "${w%:*}" = "${g%:*}" ] && [ "${w##*:}" -le "${g##*:}" ] && continue ;;
			    esac
			    # Qwen Code trims each file, then writes a newline of
			    # its own before the frame's end: the recording cannot
			    # tell it from the file's line end (CR LF: 2 bytes)
			    if [ "$h" = qwen ] && [ "${w%:*}" = "${g%:*}" ] &&
			       { [ "${w##*:}" -eq $((${g##*:} + 1)) ] ||
			         [ "${w##*:}" -eq $((${g##*:} + 2)) ]; }; then
				continue
			    fi ;;
			esac
			case $h:$w in
			cline:*)
			    # cline trims each file and joins them with a blank
			    # line: the recording cannot tell a file's last line
			    # end from the join's
			    [ "${w%:*}" = "${g%:*}" ] && [ "${w##*:}" -eq $((${g##*:} + 1)) ] && continue ;;
			codex:home/.codex/* | codex:elsewhere/*)
			    # ($CODEX_HOME outside home: elsewhere/)
			    # Codex sends its global file without trailing white
			    # space, then a newline of its own: the recording
			    # cannot tell that newline from the file's.
			    [ "${w%:*}" = "${g%:*}" ] && [ "${w##*:}" -eq $((${g##*:} + 1)) ] && continue ;;
			esac
			ok=0
		done < "$work/wg"
	fi
	# the same bytes of every file as the CLI (but the line end Qwen Code
	# writes after each, which the recording does not count), each once,
	# none left out on purpose (differs:), none importing another, none
	# with a byte order mark, CR LF or a cut character the request
	# lacks: promptasm counts the very text the recording counted
	same=0
	if [ $ok = 1 ] && [ -z "$differs" ] && ! printf '%s\n' "$got" | grep -q '\^$' &&
	   [ "$(jq '[.files[] | select(.bom or .crlf or .lossy or (.times // 1) > 1)] | length' "$res")" = 0 ]; then
		same=1
	fi
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $base: build --harness $h sends other files"
		printf '%s\n' "$want" | sed 's/^/  recorded: /'
		printf '%s\n' "$got" | sed 's/^/  promptasm: /'
		failed=$((failed + 1))
	fi
	# The text in the model's order: every marker of the fixture's files
	# as build prints them (an imported file inside the file that
	# imports it), against the order recorded (run.mjs: `order`), each
	# list without the markers the other lacks (a file left out is the
	# file check's)
	if [ "$(jq 'has("order")' "$res")" = true ]; then
		jq -r '.order[]' "$res" > "$work/order.rec"
		run build --harness "$h@$ver" -q 2>/dev/null | grep -v '^==> ' |
			grep -o 'MK_[A-Za-z0-9_]*' > "$work/order.got" || true
		grep -Fxf "$work/order.got" "$work/order.rec" > "$work/order.w" || true
		grep -Fxf "$work/order.rec" "$work/order.got" > "$work/order.g" || true
		if cmp -s "$work/order.w" "$work/order.g"; then
			passed=$((passed + 1))
		else
			echo "FAIL $base: build --harness $h prints the text in another order"
			echo "  recorded:  $(tr '\n' ' ' < "$work/order.w")"
			echo "  promptasm: $(tr '\n' ' ' < "$work/order.g")"
			failed=$((failed + 1))
		fi
	fi
	# The whole first request within 5%: the recording counted it with
	# o200k_base (run.mjs), whatever tokenizer a CLI's models have.
	# A variant of the CLI's own text a variable chooses (`figures:
	# variant VAR`, Qwen's QWEN_CODE_TOOL_CALL_STYLE: a few tokens either
	# way, less than 5%): the request with VAR less the request without
	# it, as counted with TOKENIZER (-t, or none: the CLI's models'),
	# exact, against the recording's (`without`: the same fixture in the
	# same place without VAR)
	variant() { # TOKENIZER-OPTION KEY
		var=$(jq -r '.without.variable // empty' "$res")
		[ -n "$var" ] || return 0
		w=$(printf '%s\n' "$vars" | grep -v "^$var=")
		a=$(run context --harness "$h@$ver" $1 -f json -q 2>/dev/null | jq .tokens)
		b=$( (cd "$cwd" && env -i HOME="$dir/home" PATH=/usr/bin:/bin LC_ALL=C \
			PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" $w "$PROMPTASM" \
			context --harness "$h@$ver" $1 -f json -q 2>/dev/null) | jq .tokens)
		want=$(jq ".$2.total - .without.$2.total" "$res")
		if [ -n "$a" ] && [ -n "$b" ] && [ $((a - b)) = "$want" ]; then
			passed=$((passed + 1))
		else
			echo "FAIL $base: context --harness $h: $var moves the request by $((${a:-0} - ${b:-0})) $2, recorded $want"
			failed=$((failed + 1))
		fi
	}
	variant "-t o200k_base" tokens
	rec=$(jq .tokens.total "$res")
	if ! tot=$(run context --harness "$h@$ver" -t o200k_base -f json -q 2>"$work/err" | jq .tokens); then
		echo "FAIL $base: context --harness $h failed: $(cat "$work/err")"
		failed=$((failed + 1))
		continue
	fi
	if [ $((tot * 100)) -ge $((rec * 95)) ] && [ $((tot * 100)) -le $((rec * 105)) ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $base: context --harness $h: $tot tokens, recorded $rec (more than 5% apart)"
		failed=$((failed + 1))
	fi
	# The same request counted with the tokenizer of the CLI's models,
	# where the recording counted it in that too (tokens_qwen3: Qwen
	# Code's), as context counts it with no -t when the CLI runs one of
	# those models: exact where promptasm has the very text counted (the
	# tools' definitions, the same in every request, as measured; the
	# files' text where promptasm sends the same text: $same), and the
	# whole within 5% (its own text a figure fitted over the recordings)
	own=$(jq -r '[keys[] | select(startswith("tokens_"))][0] // empty' "$res")
	if [ -n "$own" ]; then
		variant "" "$own"
		# a file left out on purpose (differs:) makes the context
		# incomplete: the report is written, then exit status 2
		json=$(run context --harness "$h@$ver" -f json -q 2>"$work/err")
		st=$?
		if [ $st != 0 ] && ! { [ $st = 2 ] && [ -n "$differs" ] && [ -n "$json" ]; }; then
			echo "FAIL $base: context --harness $h failed: $(cat "$work/err")"
			failed=$((failed + 1))
			continue
		fi
		rec=$(jq ".$own.total" "$res")
		recf=$(jq ".$own.files" "$res")
		counted=$(printf '%s' "$json" | jq -r .tokenizer)
		tot=$(printf '%s' "$json" | jq .tokens)
		files=$(printf '%s' "$json" | jq '[.parts[] | select(.kind == "memory") |
			.items[] | select(.builtin | not) | .tokens] | add // 0')
		tools=$(printf '%s' "$json" | jq '[.parts[] | select(.kind == "tools") | .tokens] | add // 0')
		rect=$(jq ".$own.tools" "$res")
		if [ "$counted" != "${own#tokens_}" ]; then
			echo "FAIL $base: context --harness $h counts with $counted, not ${own#tokens_}"
			failed=$((failed + 1))
		elif [ $((tot * 100)) -lt $((rec * 95)) ] || [ $((tot * 100)) -gt $((rec * 105)) ]; then
			echo "FAIL $base: context --harness $h: $tot ${own#tokens_} tokens, recorded $rec (more than 5% apart)"
			failed=$((failed + 1))
		elif [ "$tools" != "$rect" ]; then
			echo "FAIL $base: context --harness $h: its tools are $tools ${own#tokens_} tokens, recorded $rect"
			failed=$((failed + 1))
		elif [ $same = 1 ] && [ "$files" != "$recf" ]; then
			echo "FAIL $base: context --harness $h: the files are $files ${own#tokens_} tokens, recorded $recf"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	fi
	# Gemini's directory tree, which promptasm draws itself
	# (tokens.tree): within 3 tokens of the recording for each directory
	# it lists (tree_dirs), whose path is the replay's, not the
	# recording's
	tree=$(jq '.tokens.tree // empty' "$res")
	if [ -n "$tree" ]; then
		slack=$((3 * $(jq '.tokens.tree_dirs // 1' "$res")))
		drawn=$(run context --harness "$h@$ver" 2>/dev/null |
			sed -n 's/^ *directory tree  *\([0-9,]*\) .*/\1/p' | tr -d ,)
		[ -n "$drawn" ] || drawn=0
		if [ $((drawn - tree)) -le $slack ] && [ $((tree - drawn)) -le $slack ]; then
			passed=$((passed + 1))
		else
			echo "FAIL $base: context --harness $h: a directory tree of $drawn tokens, recorded $tree"
			failed=$((failed + 1))
		fi
	fi
done
summary
