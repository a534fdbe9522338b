#!/bin/sh
# The consistency matrix (issue 8): build, explain and check of the same
# agent, with the same config and flags, must choose the same tokenizer,
# load the same files and count the same tokens; with a budget, build
# emits what explain reports and check compares what explain counts.
#
# tests/consistency/cases holds the cases, one paragraph each (format
# below); tests/consistency/trees/<tree>/ the projects they run in.
# Adding a case needs no code.  Each case runs in a fresh copy of its
# tree with HOME inside it and nothing of the caller's environment:
#
#   build FLAGS BUDGET-FLAGS --format json AGENT      (and as text)
#   explain FLAGS BUDGET-FLAGS --format json AGENT
#   check FLAGS BUDGET-FLAGS --format json AGENT
#   agents --format json [-C DIR]
#   build FLAGS AGENT, with the config's budget lines left out: the
#     untrimmed prompt, counted by `count -t TOKENIZER` on its own
#
# and prints one `ok` or `FAIL` line per assertion, then `N passed,
# N failed`.  Values are compared with what the case states (tokenizer,
# exact, sections, effective budget) and across the commands (tokens,
# budget objects, section details, the agent's path).
#
# A paragraph is `key: value` lines; `#` lines are comments; a paragraph
# whose first line is `defaults:` sets keys for the cases after it.
#
#   case:          the name printed with every assertion
#   tree:          the directory under trees/ copied to the work directory;
#                  home/ in it is $HOME; an empty file `dot-git` becomes a
#                  `.git` directory (git does not store one)
#   root:          the project root, relative to the work directory:
#                  .promptasm.yaml is written there
#   cwd:           where the commands run (default: root)
#   agent:         the agent's name
#   config:        a line of .promptasm.yaml (repeat for more lines)
#   config-budget: a line of .promptasm.yaml that only concerns budgets:
#                  left out to build the untrimmed prompt
#   flags:         flags given to build, explain and check
#   budget-flags:  flags given to them too, but not for the untrimmed prompt
#   tokenizer:     the tokenizer every command must report
#   exact:         true or false (default: false for claude, else true)
#   sections:      KIND:PATH of the sections, in prompt order, as the JSON
#                  shows them (repeat to continue the list)
#   effective:     the effective budget every command must report, or none
#                  (the default)
#   check-exit:    check's exit status when it is not the agent's (0 when it
#                  fits, 1 when over): a file over its `instructions:` cap
#   trim:          yes: `trim FILE` (no -b) in the project cuts the untrimmed
#                  prompt with the config's tokenizer and budget: it must fit
#                  the effective budget, as `trim -t TOKENIZER -b EFFECTIVE`
#                  does (for cases whose agent gets `budget:`)
#   assert:        COMMAND JQ: JQ is true of COMMAND's JSON (build, explain,
#                  check, agents); repeat for more
#
# $WORK in config, flags and sections is the work directory.
# Run on its own: make && sh tests/suites/run-consistency.sh (see tests/lib.sh).
set -u
set -f # flags and lists are split on blanks, never globbed
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
data=$here/consistency
tmp=$(mktemp -d)
tmp=$(cd "$tmp" && pwd -P)
trap 'rm -rf "$tmp"' EXIT

if ! have jq; then
	skip "the consistency matrix" jq "apt-get install jq"
	summary
	exit
fi

pass() {
	passed=$((passed + 1))
	echo "ok $name: $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $name: $1"
}

# same WHAT GOT WANT
same() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got ${2:-(nothing)}, want $3"; fi
}

# all_same WHAT WANT LABEL=VALUE...: every value equals WANT.
all_same() {
	what=$1
	want=$2
	shift 2
	bad=
	for lv in "$@"; do
		[ "${lv#*=}" = "$want" ] || bad=1
	done
	if [ -z "$bad" ]; then pass "$what"; else fail "$what: want $want, got $*"; fi
}

is_count() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
}

# The program under test, in the case's directory, in a clean environment.
# run OUT ARGS...: stdout to OUT, stderr to OUT.err; returns its status.
run() {
	out=$1
	shift
	(
		cd "$work/$cwd" &&
		env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C \
			PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
			${VALGRIND:-} "$PROMPTASM" "$@"
	) >"$out" 2>"$out.err"
}

# count TOKENIZER FILE: prints the bare count of FILE, or `error: ...`.
count() {
	if run "$tmp/count" count -q -t "$1" <"$2"; then
		cat "$tmp/count"
	else
		echo "error: $(head -n 1 "$tmp/count.err")"
	fi
}

# status_note FILE STATUS: what a failed command said, for messages.
status_note() {
	echo "exit $2: $(head -n 1 "$1.err")"
}

# exits_0 WHAT FILE STATUS
exits_0() {
	if [ "$3" -eq 0 ]; then pass "$1 exits 0"; else fail "$1 exits 0: $(status_note "$2" "$3")"; fi
}

# Sets b_*, e_*, c_*, a_* (consistency/values.jq) from the outputs; an
# output that is not JSON gets its command's status and error in *_shape.
values() {
	if ! jq -n -r --arg agent "$agent" --arg work "$work" \
		--rawfile build "$tmp/b.json" --rawfile explain "$tmp/e.json" \
		--rawfile check "$tmp/c.json" --rawfile agents "$tmp/a.json" \
		--rawfile text "$tmp/b.txt" -f "$data/values.jq" >"$tmp/values" 2>&1; then
		fail "the outputs cannot be read: $(head -n 1 "$tmp/values")"
		return 1
	fi
	. "$tmp/values"
	[ "$b_json" = true ] || b_shape="not JSON ($(status_note "$tmp/b.json" $bst))"
	[ "$e_json" = true ] || e_shape="not JSON ($(status_note "$tmp/e.json" $est))"
	[ "$c_json" = true ] || c_shape="not JSON ($(status_note "$tmp/c.json" $cst))"
	[ "$a_json" = true ] || a_shape="not JSON ($(status_note "$tmp/a.json" $ast))"
}

subst_work() {
	sed "s|\$WORK|$work|g"
}

# The -C DIR of the flags, for `agents`, which takes no other.
project_flag() {
	prev=
	for f in $1; do
		case $prev in -C | --project) printf '%s %s' -C "$f"; return ;; esac
		case $f in --project=*) printf '%s %s' -C "${f#--project=}"; return ;; esac
		prev=$f
	done
}

run_case() {
	[ -n "$name" ] || return 0
	if [ -z "$agent" ] || [ -z "$want_tok" ] || [ ! -d "$data/trees/$tree" ]; then
		fail "bad case: it needs agent, tokenizer and an existing tree"
		return 0
	fi
	work=$tmp/work
	rm -rf "$work"
	mkdir "$work"
	cp -R "$data/trees/$tree/." "$work/"
	find "$work" -name dot-git -type f | while IFS= read -r g; do
		rm "$g" && mkdir "${g%dot-git}.git"
	done
	mkdir -p "$work/home"
	[ -n "$cwd" ] || cwd=$root
	cfg=$work/$root/.promptasm.yaml
	full_config=$(printf '%s' "$full_config" | subst_work)
	base_config=$(printf '%s' "$base_config" | subst_work)
	flags=$(printf '%s' "$flags" | subst_work)
	budget_flags=$(printf '%s' "$budget_flags" | subst_work)
	want_secs=$(echo $want_secs)
	[ -n "$want_exact" ] || { [ "$want_tok" = claude ] && want_exact=false || want_exact=true; }
	[ -n "$want_eff" ] || want_eff=none

	# The untrimmed prompt first, with the config's budget lines left out.
	rm -f "$cfg"
	[ -n "$base_config" ] && printf '%s\n' "$base_config" >"$cfg"
	run "$tmp/u.txt" build $flags "$agent"
	ust=$?
	rm -f "$cfg"
	[ -n "$full_config" ] && printf '%s\n' "$full_config" >"$cfg"

	run "$tmp/b.json" build $flags $budget_flags --format json "$agent"
	bst=$?
	run "$tmp/b.txt" build $flags $budget_flags "$agent"
	btst=$?
	run "$tmp/e.json" explain $flags $budget_flags --format json "$agent"
	est=$?
	run "$tmp/c.json" check $flags $budget_flags --format json "$agent"
	cst=$?
	run "$tmp/a.json" agents --format json $(project_flag "$flags")
	ast=$?
	values || return 0
	u_count=$(count "$want_tok" "$tmp/u.txt")
	b_count=$(count "$want_tok" "$tmp/b.txt")

	# Every command ran and printed what the schema says.
	exits_0 "build --format json" "$tmp/b.json" $bst
	exits_0 "build (text)" "$tmp/b.txt" $btst
	exits_0 "build (text, untrimmed)" "$tmp/u.txt" $ust
	exits_0 "explain --format json" "$tmp/e.json" $est
	for c in b:build e:explain c:check a:agents; do
		eval "s=\$${c%%:*}_shape"
		same "${c#*:} JSON has the documented keys and version 1" "${s:-none missing}" "none missing"
	done

	# One tokenizer, one exactness, one set of files.
	for c in b:build e:explain c:check; do
		eval "v=\$${c%%:*}_tokenizer"
		same "${c#*:} tokenizer" "$v" "$want_tok"
	done
	for c in b:build e:explain c:check; do
		eval "v=\$${c%%:*}_exact"
		# The whole context is an estimate whatever the tokenizer.
		if [ "$c" = c:check ] && [ "$c_scope" = context ]; then
			same "check exact (scope context)" "$v" false
		else
			same "${c#*:} exact" "$v" "$want_exact"
		fi
	done
	for c in b:build e:explain c:check; do
		eval "v=\$${c%%:*}_secs"
		same "${c#*:} sections (kind:path)" "$v" "$want_secs"
	done
	same "build and explain agree on each section's depth, imported_by, load_cut" "$b_detail" "$e_detail"
	if [ "$want_eff" = none ]; then
		all_same "each section's tokens agree (explain, check, build)" "$e_sectok" \
			check="$c_sectok" build="$b_sectok"
	else
		same "each section's tokens agree (explain, check)" "$c_sectok" "$e_sectok"
	fi
	if [ "$b_path" != null ] && [ -n "$b_path" ]; then
		all_same "the agent's path agrees (explain, check, agents as build)" "$b_path" \
			explain="$e_path" check="$c_path" agents="$a_path"
	else
		fail "the agent's path agrees (explain, check, agents as build): build has none ($b_path)"
	fi

	# The numbers: the same untrimmed count, and right; the same estimate
	# of the whole context, which check budgets with budget_scope: context.
	same "check prompt_tokens = explain tokens" "$c_prompt_tokens" "$e_tokens"
	if [ "$c_scope" = context ]; then
		same "check tokens = explain claude_code.tokens (scope context)" "$c_tokens" "$e_cc_tokens"
	else
		same "check tokens = explain tokens" "$c_tokens" "$e_tokens"
	fi
	same "check claude_code = explain claude_code" "$c_cc" "$e_cc"
	same "count -t $want_tok of the untrimmed build = explain tokens" "$u_count" "$e_tokens"
	same "count -t $want_tok of build's text = build tokens" "$b_count" "$b_tokens"
	if [ "$b_prompt_is_text" = true ]; then
		pass "build's text = build's JSON .prompt"
	else
		fail "build's text = build's JSON .prompt: they differ ($(wc -c <"$tmp/b.txt") bytes of text)"
	fi

	# The budget: none anywhere, or the same one everywhere.
	if [ "$want_eff" = none ]; then
		all_same "no budget in build, explain or check" null \
			build="$b_budget" explain="$e_budget" check="$c_budget4"
		same "build tokens = explain tokens (no budget)" "$b_tokens" "$e_tokens"
		want_status=ok
	else
		all_same "effective budget" "$want_eff" explain="$e_effective" \
			check="$c_effective" build="$b_effective"
		same "check budget {budget, effective, reserve, margin} = explain's" "$c_budget4" "$e_budget4"
		same "build budget = explain budget" "$b_budget" "$e_budget"
		same "build tokens = explain budget.tokens_after" "$b_tokens" "$e_after"
		same "explain budget.tokens_before = explain tokens" "$e_before" "$e_tokens"
		if is_count "$b_count" && [ "$b_count" -le "$want_eff" ]; then
			pass "build emits a prompt within the effective budget"
		else
			fail "build emits a prompt within the effective budget: count -t $want_tok says $b_count > $want_eff"
		fi
		want_status=ok
		if is_count "$u_count" && [ "$u_count" -gt "$want_eff" ]; then want_status=over; fi
	fi
	want_exit=0
	[ $want_status = over ] && want_exit=1
	[ -n "$want_check_exit" ] && want_exit=$want_check_exit
	same "check status and exit" "$c_status, exit $cst" "$want_status, exit $want_exit"

	if [ "$want_trim" = yes ]; then
		run "$tmp/t.txt" trim "$tmp/u.txt"
		tst=$?
		t_count=$(count "$want_tok" "$tmp/t.txt")
		if [ $tst -ne 0 ]; then
			fail "trim with the config fits: $(status_note "$tmp/t.txt" $tst)"
		elif ! is_count "$u_count" || [ "$u_count" -le "$want_eff" ]; then
			fail "trim with the config fits: the untrimmed prompt ($u_count) already fits $want_eff: the case tests nothing"
		elif is_count "$t_count" && [ "$t_count" -le "$want_eff" ]; then
			pass "trim with the config fits ($t_count <= $want_eff)"
		else
			fail "trim with the config fits: count -t $want_tok says $t_count > $want_eff"
		fi
		run "$tmp/t2.txt" trim --no-config -t "$want_tok" -b "$want_eff" --margin 0 "$tmp/u.txt"
		if cmp -s "$tmp/t.txt" "$tmp/t2.txt"; then
			pass "trim with the config = trim -t $want_tok -b $want_eff --margin 0"
		else
			fail "trim with the config = trim -t $want_tok -b $want_eff --margin 0: they differ ($t_count vs $(count "$want_tok" "$tmp/t2.txt") tokens)"
		fi
	fi

	# What only this case states.
	printf '%s\n' "$asserts" | while IFS= read -r a; do
		[ -n "$a" ] || continue
		c=${a%% *}
		expr=${a#* }
		case $c in
		build) f=$tmp/b.json ;;
		explain) f=$tmp/e.json ;;
		check) f=$tmp/c.json ;;
		agents) f=$tmp/a.json ;;
		*) echo "FAIL $name: assert: unknown command '$c'"; continue ;;
		esac
		if [ "$(jq "[$expr] | length > 0 and all" "$f" 2>/dev/null)" = true ]; then
			echo "ok $name: $c: $expr"
		else
			echo "FAIL $name: $c: $expr: got $(jq -c "[$expr]" "$f" 2>&1 | head -c 300)"
		fi
	done >"$tmp/asserts"
	cat "$tmp/asserts"
	passed=$((passed + $(grep -c '^ok ' "$tmp/asserts")))
	failed=$((failed + $(grep -c '^FAIL ' "$tmp/asserts")))
	rm -rf "$work"
}

# The keys a case starts with: the defaults.
reset_case() {
	name=
	tree=$d_tree
	root=$d_root
	cwd=$d_cwd
	agent=
	full_config=
	base_config=
	flags=
	budget_flags=
	want_tok=
	want_exact=
	want_secs=
	want_eff=
	want_trim=
	want_check_exit=
	asserts=
	defaults=
}

# Appends a line to the variable named $1.
add_line() {
	eval "cur=\$$1"
	if [ -n "$cur" ]; then
		eval "$1=\"\$cur
\$2\""
	else
		eval "$1=\"\$2\""
	fi
}

end_paragraph() {
	if [ -n "$defaults" ]; then
		d_tree=$tree
		d_root=$root
		d_cwd=$cwd
	else
		run_case
	fi
	reset_case
}

d_tree=
d_root=.
d_cwd=
reset_case
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'#'*) continue ;;
	'') end_paragraph; continue ;;
	esac
	key=${line%%:*}
	val=${line#*:}
	val=${val# }
	case $key in
	defaults) defaults=1 ;;
	case) name=$val ;;
	tree) tree=$val ;;
	root) root=$val ;;
	cwd) cwd=$val ;;
	agent) agent=$val ;;
	config) add_line full_config "$val"; add_line base_config "$val" ;;
	config-budget) add_line full_config "$val" ;;
	flags) flags="$flags $val" ;;
	budget-flags) budget_flags="$budget_flags $val" ;;
	tokenizer) want_tok=$val ;;
	exact) want_exact=$val ;;
	sections) want_secs="$want_secs $val" ;;
	effective) want_eff=$val ;;
	trim) want_trim=$val ;;
	check-exit) want_check_exit=$val ;;
	assert) add_line asserts "$val" ;;
	*) name=${name:-?}; fail "unknown key '$key' in $data/cases" ;;
	esac
done <"$data/cases"
end_paragraph

summary
