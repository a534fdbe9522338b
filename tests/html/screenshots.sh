#!/bin/bash
# screenshots.sh: the screenshots of the HTML reports that README.md shows
# (examples/screenshots/), taken in headless Chromium: the example
# project's reviewer with a budget of 3,000 (the top, and the prompt where
# the trimmer cut its memory), check of the whole project, and an agent
# whose prompt is 200,000 tokens (big-project.sh), and the main session's
# page (context).  `make screenshots` runs it.  Run from a built
# checkout; PROMPTASM names another program, CHROMIUM another browser.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pa=${PROMPTASM:-$root/promptasm}
out=$root/examples/screenshots
. "$here/cdp.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# The pages of the example project made where the docs' examples run
# (tests/docsdir.sh), so that the pictures show the documented figures:
# they count the project's absolute path.
. "$root/tests/docsdir.sh"
docs_lock
rm -rf "$docs_dir"
mkdir -p "$docs_dir/examples"
cp -R "$root/examples/webshop" "$docs_dir/examples/"
mkdir "$docs_dir/.git" "$docs_dir/home"
trap 'rm -rf "$tmp" "$docs_dir"; docs_unlock' EXIT
# As the docs' examples run: an empty HOME, nothing of the machine.
doc_pa() {
	env -i PATH=/usr/bin:/bin HOME="$docs_dir/home" LC_ALL=C \
		PROMPTASM_TOKENIZERS="${PROMPTASM_TOKENIZERS:-$root/tokenizers}" "$pa" "$@"
}

# Exit status 1 is a prompt over its budget, which the pictures show.
cd "$docs_dir/examples/webshop"
doc_pa explain reviewer -q -b 3000 --format html >"$tmp/reviewer.html" || [ $? -eq 1 ]
doc_pa check -q -b 3000 --format html >"$tmp/check.html" || [ $? -eq 1 ]
doc_pa context -q --format html >"$tmp/context.html"
PROMPTASM=$pa sh "$here/big-project.sh" "$tmp/big"
cd "$tmp/big"
"$pa" explain big -q --format html >"$tmp/big.html"
cd "$root"

# The page coordinate of the top or bottom of the first element matching
# a selector.
edge() {
	cdp_eval "Math.round(document.querySelector('$1').getBoundingClientRect().$2 + scrollY)"
}
# Scrolls the first element matching a selector to the middle of the
# window until it stays there (the chunks of text around it are laid out
# only once in view, and their height changes then), and prints its top.
show() {
	cdp_eval "new Promise(function (done) {
		var el = document.querySelector('$1'), last = -1, tries = 0;
		(function again() {
			el.scrollIntoView({ block: 'center' });
			requestAnimationFrame(function () { requestAnimationFrame(function () {
				var top = Math.round(el.getBoundingClientRect().top + scrollY);
				if (top === last || ++tries === 20)
					done(top);
				else {
					last = top;
					again();
				}
			}); });
		}());
	})"
}

cdp_start 1280 1000
cdp_open "file://$tmp/reviewer.html"
cdp_shot "$out/explain.png" 0 0 1280 "$(($(edge 'svg.window' bottom) + 24))"
y=$(show '.tx ins')
cdp_shot "$out/explain-text.png" 0 $((y - 260)) 1280 480

cdp_open "file://$tmp/check.html"
cdp_shot "$out/check.png" 0 0 1280 "$(($(edge 'table.agents' bottom) + 24))"

cdp_open "file://$tmp/context.html"
cdp_shot "$out/context.png" 0 0 1280 "$(($(edge 'table#parts' bottom) + 24))"

cdp_open "file://$tmp/big.html"
cdp_shot "$out/big.png" 0 0 1280 "$(($(edge 'table.secs' bottom) + 24))"
y=$(show '.sec:nth-of-type(2) .tx > div:nth-child(60)')
cdp_shot "$out/big-text.png" 0 $((y + 300)) 1280 360
cdp_stop
ls -l "$out"
