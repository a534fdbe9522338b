#!/bin/sh
# build.sh - builds tests/bench/peers (peers-bench): promptasm's library,
# GitHub's `bpe` crate and tiktoken's Rust core, linked into one program
# that times them on the same texts in the same rounds (README.md here).
#
# Offline: no crate registry is asked.  The crates Debian 12 packages
# (apt-get install librust-fnv-dev librust-itertools-dev
# librust-serde-dev librust-serde-derive-dev librust-base64-dev
# librust-either-dev librust-rustc-hash-dev librust-bstr-dev) are taken
# from /usr/share/cargo/registry; those it has not, or only in versions
# too old for bpe and tiktoken, are taken from git clones named by the
# variables below, at the commits named here, and put beside them in a
# directory that cargo reads as its registry.  Nothing of theirs is
# committed here.
#
#   RUST_GEMS   github.com/github/rust-gems      (crates/bpe, bpe 0.2.1)
#   TIKTOKEN    github.com/openai/tiktoken       (tiktoken 0.14.0)
#   DAACHORSE   github.com/aneubeck/daachorse    (aneubeck-daachorse 1.1.1)
#   REGEX       github.com/rust-lang/regex       (regex 1.13.1, regex-automata 0.4.16, regex-syntax 0.8.11)
#   FANCY_REGEX github.com/fancy-regex/fancy-regex (0.19.0)
#   MEMCHR      github.com/BurntSushi/memchr     (2.8.3)
#   AHO_CORASICK github.com/BurntSushi/aho-corasick (1.1.3)
#   BIT_SET     github.com/contain-rs/bit-set    (0.8.0)
#   BIT_VEC     github.com/contain-rs/bit-vec    (0.8.0)
#
# Usage: sh tests/bench/peers/build.sh [OUT]   (after make; OUT defaults
# to /tmp/promptasm-peers; the program is OUT/target/release/peers-bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-/tmp/promptasm-peers}
: "${RUST_GEMS:?clone github.com/github/rust-gems and name it in RUST_GEMS}"
: "${TIKTOKEN:?clone github.com/openai/tiktoken and name it in TIKTOKEN}"
: "${DAACHORSE:?}" "${REGEX:?}" "${FANCY_REGEX:?}" "${MEMCHR:?}" "${AHO_CORASICK:?}" "${BIT_SET:?}" "${BIT_VEC:?}"
debian=/usr/share/cargo/registry

rm -rf "$out/vendor" "$out/src"
mkdir -p "$out/vendor"

# crate REPO COMMIT SUBDIR NAME-VERSION: the crate at SUBDIR of REPO's
# COMMIT ("." for the top) into the vendored registry.
crate() {
	d=$out/vendor/$4
	mkdir -p "$d"
	# Only what a build reads: the sources, not the crates' test data
	# (which a shallow clone may lack).
	sub=
	[ "$3" = . ] || sub=$3/
	git -C "$1" ls-tree "$2" $sub |
		grep -E '	(.*/)?(Cargo\.toml|src|docs|build\.rs|README\.md|LICENSE[^/]*|COPYING)$' |
		while read -r _ type _ path; do
			name=${path##*/}
			if [ "$type" = tree ]; then
				git -C "$1" archive --prefix="$name/" "$2:$path" | tar -x -C "$d"
			else
				git -C "$1" show "$2:$path" >"$d/$name"
			fi
		done
	# What a workspace gives its members to package: not used here.
	sed -i '/^include.workspace = true/d' "$d/Cargo.toml"
	# A directory registry wants a checksum file; no file is checked.
	echo '{"package":"0000000000000000000000000000000000000000000000000000000000000000","files":{}}' >"$d/.cargo-checksum.json"
	# Their own workspaces and dev-dependencies are not built.
	awk '/^\[workspace\]/ { skip = 1; next }
	     /^\[dev-dependencies\]/ || /^\[dev-dependencies\./ || /^\[target\..*dev-dependencies/ || /^\[\[bench\]\]/ || /^\[\[test\]\]/ || /^\[\[example\]\]/ { skip = 1; next }
	     /^\[/ { skip = 0 } !skip' "$d/Cargo.toml" >"$d/Cargo.toml.new"
	mv "$d/Cargo.toml.new" "$d/Cargo.toml"
}
for c in "$debian"/*; do
	case ${c##*/} in
	memchr-* | aho-corasick-* | regex-* | bit-set-* | bit-vec-* | fancy-regex-*) ;;
	*) ln -s "$c" "$out/vendor/${c##*/}" ;;
	esac
done
crate "$RUST_GEMS" a7aecfb97c96723415856b2b1119d37f39793670 crates/bpe bpe-0.2.1
crate "$TIKTOKEN" 4e71bbe0c078468e00fefbf94b39849389f346e5 . tiktoken-0.14.0
crate "$DAACHORSE" 8afdb8add8610fbcfc579521de25c5eb18bc91ee . aneubeck-daachorse-1.1.1
crate "$REGEX" 2b527599eb9eea0dcc288c704584f242f26a5c61 . regex-1.13.1
crate "$REGEX" 2b527599eb9eea0dcc288c704584f242f26a5c61 regex-automata regex-automata-0.4.16
crate "$REGEX" 2b527599eb9eea0dcc288c704584f242f26a5c61 regex-syntax regex-syntax-0.8.11
crate "$FANCY_REGEX" e8d6986bccd57df06d6013221158cdb023f74d88 . fancy-regex-0.19.0
crate "$MEMCHR" bce7df7140acff420478a358cde5587904000cb1 . memchr-2.8.3
crate "$AHO_CORASICK" 948d2e1f8e4b6b0aff13075176922e158c8bed46 . aho-corasick-1.1.3
crate "$BIT_SET" 301f3c5dcee73bb7836ca1016be64a1e01d91402 . bit-set-0.8.0
crate "$BIT_VEC" 4fccfef0bdaa5517be5d0f8aa7325ec2fd886643 . bit-vec-0.8.0

# Debian 12's versions where the two ask for newer ones whose parts they
# use are the same: bpe's itertools (tuple_windows, collect_vec), and
# tiktoken's FxHashMap and bstr::decode_last_utf8; tiktoken's Python
# binding and bpe's optional features are dropped.
sed -i -e 's/^itertools = "0.15"/itertools = "0.10"/' -e '/^rand = /d' -e '/^base64 = /d' \
	-e '/^rand = \[/d' -e '/^tiktoken = \[/d' "$out/vendor/bpe-0.2.1/Cargo.toml"
sed -i -e 's/^rustc-hash = "2"/rustc-hash = "1"/' \
	-e 's/^bstr = "1.13.1"/bstr = { version = "0.2", default-features = false, features = ["std"] }/' \
	-e '/^pyo3 = {/,/^\], optional = true }/d' -e '/^python = \[/,/^\]/d' \
	"$out/vendor/tiktoken-0.14.0/Cargo.toml"

cp "$here/Cargo.toml" "$out/Cargo.toml"
cp -r "$here/src" "$out/src"
cp "$here/build.rs" "$out/build.rs"
mkdir -p "$out/.cargo"
cat >"$out/.cargo/config.toml" <<EOC
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$out/vendor"
[net]
offline = true
EOC
cd "$out"
PROMPTASM_ROOT=$root cargo build --release --offline
echo "built $out/target/release/peers-bench"
