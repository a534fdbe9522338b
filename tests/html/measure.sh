#!/bin/bash
# measure.sh [TOKENS] [RUNS]: how an HTML report of a prompt of TOKENS
# tokens (default 200,000; big-project.sh) opens and scrolls in headless
# Chromium, RUNS times (default 3), each in a new browser: its file size,
# its elements and DOM nodes, the times to first paint, first contentful
# paint, DOMContentLoaded and load, then 40 jumps through the page (time
# until the second frame after each: median and worst), and 120 frames of
# scrolling by 100 pixels a frame (frame times: median, 95th percentile,
# worst).  Numbers for README.md, not a test: no threshold is checked.
# UNCHUNKED=1 measures the same page with the chunks laid out at once (no
# content-visibility; the page's policy removed, as its style changes).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pa=${PROMPTASM:-$root/promptasm}
tokens=${1:-200000}
runs=${2:-3}
. "$here/cdp.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

PROMPTASM=$pa sh "$here/big-project.sh" "$tmp/big" "$tokens"
cd "$tmp/big"
"$pa" explain big -q --format html >"$tmp/big.html"
cd "$root"
if [ -n "${UNCHUNKED:-}" ]; then
	sed -e 's/content-visibility: auto; contain-intrinsic-size: [^;]*;//' \
		-e 's/<meta http-equiv="Content-Security-Policy"[^>]*>//' \
		"$tmp/big.html" >"$tmp/unchunked.html"
	mv "$tmp/unchunked.html" "$tmp/big.html"
fi
echo "report: $(wc -c <"$tmp/big.html") bytes, prompt $("$pa" count -q -t o200k_base \
	"$tmp/big/CLAUDE.md" | cut -d' ' -f1) tokens in CLAUDE.md"

measure='new Promise(function (done) {
	var nav = performance.getEntriesByType("navigation")[0], out = {};
	function two(cb) { requestAnimationFrame(function () { requestAnimationFrame(cb); }); }
	function pct(v, p) { v = v.slice().sort(function (a, b) { return a - b; });
		return Math.round(v[Math.min(v.length - 1, Math.floor(p * v.length))]); }
	performance.getEntriesByType("paint").forEach(function (p) {
		out[p.name] = Math.round(p.startTime); });
	out.domContentLoaded = Math.round(nav.domContentLoadedEventEnd);
	out.load = Math.round(nav.loadEventEnd);
	out.elements = document.getElementsByTagName("*").length;
	var walk = document.createTreeWalker(document, NodeFilter.SHOW_ALL), nodes = 0;
	while (walk.nextNode()) nodes++;
	out.nodes = nodes;
	var height = document.documentElement.scrollHeight, jumps = [], frames = [], i = 0;
	out.height = height;
	function jump() {
		if (i > 40) {
			out.jumpMedian = pct(jumps, 0.5);
			out.jumpMax = pct(jumps, 1);
			i = 0;
			scrollTo(0, height / 2);
			two(function () { var last = performance.now(); scroll(last); });
			return;
		}
		var t0 = performance.now();
		scrollTo(0, (height - innerHeight) * i / 40);
		two(function () { jumps.push(performance.now() - t0); i++; jump(); });
	}
	function scroll(last) {
		if (i === 120) {
			out.frameMedian = pct(frames, 0.5);
			out.frame95 = pct(frames, 0.95);
			out.frameMax = pct(frames, 1);
			done(out);
			return;
		}
		scrollBy(0, 100);
		requestAnimationFrame(function () {
			var now = performance.now();
			frames.push(now - last);
			i++;
			scroll(now);
		});
	}
	two(jump);
})'

r=0
while [ "$r" -lt "$runs" ]; do
	cdp_start 1280 900
	cdp_open "file://$tmp/big.html"
	cdp_eval "$measure"
	cdp_stop
	r=$((r + 1))
done
