#!/bin/sh
# The npm package's metadata, ready to publish as it is, checked without
# `make npm` (which needs emscripten and minutes): the template
# src/npm/package.json.in holds what a registry and `npm install -g` need
# (name, version, bin, files, engines, licence, README, no install
# script, no dependency, nothing native), and npm itself, on the package
# staged from the files that are sources (the template, the launcher,
# LICENSE, README.md, THIRD-PARTY.md; the WebAssembly module `make npm`
# adds under lib/ is left out), packs it and accepts it for publishing
# (`npm publish --dry-run`, offline) without correcting anything.  Without
# npm the second part is skipped (named).  And the package's paths on
# Windows (src/npm/winpath.js), a table run by tests/npm/winpath.js with
# node (skipped, named, without it).  tests/npm/run.sh checks the
# package `make npm` built.
# Run on its own: make && sh tests/suites/run-npm-package.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! have node; then
	skip "the npm package's paths on Windows" node
elif out=$(node "$root/tests/npm/winpath.js"); then
	ok
else
	fail "the npm package's paths on Windows (tests/npm/winpath.js):"
	printf '%s\n' "$out" | grep -v ' passed, '
fi

tpl=$root/src/npm/package.json.in
if ! have jq; then
	skip "the npm package's metadata" jq "apt-get install jq"
	summary
	exit
fi
sed 's|@VERSION@|0.1.0|' "$tpl" >"$tmp/package.json"
field() { jq -r "$1" "$tmp/package.json"; }

# The fields, each as the Makefile fills the package.
if [ "$(field .name)" = promptasm ]; then ok; else fail "name: $(field .name)"; fi
if grep -q '"version": "@VERSION@"' "$tpl" &&
	grep -q "sed 's|@VERSION@|\$(NPM_VERSION)|' src/npm/package.json.in" "$root/Makefile"; then ok; else
	fail "version: not the Makefile's NPM_VERSION"
fi
bin=$(field '.bin.promptasm')
if [ "$bin" = bin/promptasm.js ] &&
	grep -q 'install -m 755 src/npm/promptasm.js $(NPM_PKG)/bin/promptasm.js' "$root/Makefile" &&
	head -n 1 "$root/src/npm/promptasm.js" | grep -q '^#!/usr/bin/env node'; then ok; else
	fail "bin: '$bin' is not the launcher the Makefile installs, with a node shebang"
fi
if [ "$(field .license)" = MIT ] && head -n 1 "$root/LICENSE" | grep -q '^MIT License'; then ok; else
	fail "license: $(field .license), LICENSE begins '$(head -n 1 "$root/LICENSE")'"
fi
case $(field .engines.node) in
'>=18') ok ;;
*) fail "engines: node $(field .engines.node), want >=18 (docs/packaging.md)" ;;
esac
for f in bin/ lib/ LICENSE README.md THIRD-PARTY.md licenses/; do
	if field '.files[]' | grep -qx "$f"; then ok; else fail "files: $f missing"; fi
done
# Nothing runs at install and nothing is fetched: no script, no
# dependency, no native addon.
if [ "$(field '[.scripts, .dependencies, .optionalDependencies, .gypfile] | map(select(. != null)) | length')" = 0 ]; then ok; else
	fail "the package has scripts, dependencies or a gypfile"
fi
if [ -n "$(field .description)" ] && [ "$(field '.keywords | length')" -gt 0 ]; then ok; else
	fail "no description or keywords"
fi

# npm's own reading: the package staged from its sources, packed and
# accepted for publishing offline, nothing corrected.
if ! have npm; then
	skip "npm pack and npm publish --dry-run on the staged package" npm "apt-get install npm"
	summary
	exit
fi
pkg=$tmp/package
mkdir -p "$pkg/bin" "$pkg/licenses"
cp "$tmp/package.json" "$pkg/"
cp "$root/src/npm/promptasm.js" "$pkg/bin/"
cp "$root/LICENSE" "$root/README.md" "$root/src/npm/THIRD-PARTY.md" "$pkg/"
cp "$root/debian/copyright" "$pkg/licenses/"
npmrun() {
	(cd "$pkg" && env HOME="$tmp/home" npm_config_cache="$tmp/cache" \
		npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
		npm "$@" --offline)
}
npmrun pack --dry-run --json >"$tmp/pack.json" 2>"$tmp/pack.err"
st=$?
files=$(jq -r '.[0].files[].path' "$tmp/pack.json" 2>/dev/null | sort | tr '\n' ' ')
want="LICENSE README.md THIRD-PARTY.md bin/promptasm.js licenses/copyright package.json "
if [ $st -eq 0 ] && [ "$files" = "$want" ]; then ok; else
	fail "npm pack: status $st, files '$files' (want '$want')"; cat "$tmp/pack.err"
fi
npmrun publish --dry-run >"$tmp/pub.out" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q '+ promptasm@0.1.0' "$tmp/pub.out" &&
	! grep -qi 'auto-corrected\|npm error\|invalid' "$tmp/pub.out"; then ok; else
	fail "npm publish --dry-run: status $st"; cat "$tmp/pub.out"
fi
# No native binary among the staged files.
for f in $files; do
	if head -c 4 "$pkg/$f" | od -An -c | grep -q 'E   L   F'; then fail "$f is an ELF binary"; fi
done
ok
summary
