#!/bin/sh
# The public header's code examples compile: each example of
# include/promptasm.h (the lines of a comment indented by four more
# spaces, blank comment lines between them joined, that hold C) is compiled
# against the header as the body of a function, given what the examples
# before it made (a tokenizer, an agent, a prompt, the loading options, a
# buffer, warnings and an error), with -Wall -Wextra -Werror.  A header
# whose examples call a function it does not declare, or with the wrong
# arguments, fails.  And promptasm(3), the reference the build makes from
# the header, holds every function it declares and reads without warnings.
# Run on its own: sh tests/suites/run-header.sh.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2
tmp=$(mktemp -d /tmp/promptasm-header.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}

# One file per example: $tmp/ex.N.c, its first line the header's line.
awk -v dir="$tmp" '
	function flush() {
		# C, not the config example (YAML: it opens with a key).
		if (body != "" && body ~ /;/ && body !~ /^[a-z_]+:/) {
			n++
			f = dir "/ex." n ".c"
			print "/* include/promptasm.h:" start " */" > f
			print "#include <stdio.h>\n#include <stdlib.h>\n#include \"promptasm.h\"" > f
			print "int example(pa_tokenizer *tok, pa_agent *agent, pa_prompt *prompt," > f
			print "            pa_compose_options opt, pa_buf text, pa_warnings warn," > f
			print "            pa_error err);" > f
			print "int example(pa_tokenizer *tok, pa_agent *agent, pa_prompt *prompt," > f
			print "            pa_compose_options opt, pa_buf text, pa_warnings warn," > f
			print "            pa_error err)\n{\n{" > f
			printf "%s", body > f
			print "}\nreturn 0;\n}" > f
			close(f)
		}
		body = ""; blank = ""
	}
	/^ \*     / { if (body == "") start = NR
	             body = body blank substr($0, 8) "\n"; blank = ""; next }
	/^ \*$/ { if (body != "") blank = blank "\n"; next }
	{ flush() }
	END { flush() }
' include/promptasm.h

n=0
for f in "$tmp"/ex.*.c; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	where=$(sed -n '1s|/\* \(.*\) \*/|\1|p' "$f")
	if $cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-unused-variable \
		-Wno-unused-but-set-variable -Wno-missing-field-initializers \
		-Iinclude -fsyntax-only "$f" 2> "$tmp/err"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL the example at $where does not compile:"
		sed 's/^/  /' "$tmp/err" | head -n 20
	fi
done
# promptasm(3), made from the header by the build: every function the
# header declares is in it, and groff reads it without a warning.
page=$(dirname "$UNIT_DIR")/man/promptasm.3
if [ ! -f "$page" ]; then
	failed=$((failed + 1))
	echo "FAIL no $page (make builds it from the header)"
else
	missing=$($cc -E -P -std=c11 include/promptasm.h 2>/dev/null | tr '\n' ' ' |
		grep -oE '\bpa_[a-z0-9_]+[[:space:]]*\(' | sed 's/[[:space:](]*$//' | sort -u |
		while read -r f; do grep -q "\b$f\b" "$page" || echo "$f"; done)
	if [ -z "$missing" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL promptasm(3) leaves out:" $missing
	fi
	if have groff; then
		warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		if [ -z "$warn" ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL groff warns about promptasm(3):"
			echo "$warn" | head -n 10 | sed 's/^/  /'
		fi
	else
		skip "promptasm(3) read by groff" groff "apt install groff-base"
	fi
fi

# promptasm(1) too reads without a warning (lintian reports each as one;
# a limits table cell that cannot break is the usual one).
if have groff; then
	warn=$(groff -t -man -Tutf8 -ww -z man/promptasm.1 2>&1)
	if [ -z "$warn" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL groff warns about promptasm(1):"
		echo "$warn" | head -n 10 | sed 's/^/  /'
	fi
else
	skip "promptasm(1) read by groff" groff "apt install groff-base"
fi

# The header has examples: a broken extraction must not pass as "none".
if [ "$n" -ge 5 ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL only $n examples found in include/promptasm.h (at least 5 expected)"
fi
summary
