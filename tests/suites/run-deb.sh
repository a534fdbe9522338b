#!/bin/sh
# The Debian package (debian/, `make deb`; docs/packaging.md): built from
# this checkout into a scratch directory (without lintian, which `make deb`
# and CI run), unpacked with `dpkg -x` into a scratch root, and checked
# there: every file the package promises is in it, the package's version
# is the program's, the installed program prints its version and counts
# as the checkout's program does with each installed tokenizer (pointed
# at them by PROMPTASM_TOKENIZERS, as the scratch root is not /), the
# tokenizer directory compiled in is /usr/share/promptasm/tokenizers, and
# a C program builds against the installed header, library and
# pkg-config file and counts.
#
# DEB_INSTALLED=1 checks the package installed on this machine instead
# (CI: apt-get install ./build/deb/promptasm_*.deb), with no
# PROMPTASM_TOKENIZERS: the program must find its tokenizers itself.
#
# Needs dpkg-buildpackage (dpkg-dev) and dh (debhelper): without them the
# suite is skipped.  Not run under a sanitizer or valgrind (make check,
# make leakcheck): the package is built with Debian's flags, not theirs.
# Run on its own: sh tests/suites/run-deb.sh (see tests/lib.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# make deb on a fresh machine: what dpkg-checkbuilddeps finds missing
# (debhelper-compat (= 13)) is installed with apt-get satisfy and the
# Build-Depends of debian/control, by root or through sudo (recorders
# stand in for dpkg-checkbuilddeps, apt-get and sudo); DEB_DEPS=check only
# says what to run.  Nothing is installed here.
if [ -z "${DEB_INSTALLED:-}" ] && have make; then
	fk=$(mktemp -d)
	for cmd in apt-get sudo; do
		printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n[ "%s" = sudo ] && exec "$@"\nexit 0\n' \
			"$cmd" "$fk" "$cmd" >"$fk/$cmd"
	done
	printf '#!/bin/sh\necho "dpkg-checkbuilddeps: error: Unmet build dependencies: debhelper-compat (= 13)" >&2\nexit 1\n' \
		>"$fk/dpkg-checkbuilddeps"
	chmod +x "$fk/apt-get" "$fk/sudo" "$fk/dpkg-checkbuilddeps"
	PATH="$fk:$PATH" make -C "$root" --no-print-directory deb-deps >"$fk/out" 2>&1
	st=$?
	want="apt-get satisfy -y debhelper-compat (= 13), libpcre2-dev, libutf8proc-dev, libyaml-dev, pkgconf | pkg-config"
	# root runs apt-get, another user sudo, which runs it
	got=$(sed 's/  */ /g; s/ $//; s/^sudo //' "$fk/calls" 2>/dev/null | sort -u)
	if [ $st -eq 0 ] && grep -q "installing the build dependencies: debhelper-compat (= 13)" "$fk/out" &&
		[ "$got" = "$want" ]; then ok; else
		fail "make deb-deps on a machine without debhelper: status $st"; cat "$fk/out" "$fk/calls" 2>/dev/null
	fi
	rm -f "$fk/calls"
	PATH="$fk:$PATH" make -C "$root" --no-print-directory deb-deps DEB_DEPS=check >"$fk/out" 2>&1
	st=$?
	if [ $st -ne 0 ] && [ ! -e "$fk/calls" ] &&
		grep -q "make deb needs: debhelper-compat (= 13); install them with: .*apt-get satisfy -y" "$fk/out"; then ok; else
		fail "make deb-deps DEB_DEPS=check: status $st"; cat "$fk/out"
	fi
	rm -rf "$fk"
fi

if [ -z "${DEB_INSTALLED:-}" ]; then
	if [ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}${VALGRIND:-}" ]; then
		echo "the Debian package is tested by make test, not under a sanitizer or valgrind"
		summary
		exit
	fi
	for p in dpkg-buildpackage:dpkg-dev dh:debhelper dpkg-deb:dpkg; do
		if ! have "${p%%:*}"; then
			skip "the Debian package" "${p%%:*}" "apt-get install ${p#*:}"
			summary
			exit
		fi
	done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)

if [ -n "${DEB_INSTALLED:-}" ]; then
	dest=
	unset PROMPTASM_TOKENIZERS
else
	if make -C "$root" --no-print-directory deb DEB_DIR="$tmp/deb" LINTIAN= \
		>"$tmp/build.log" 2>&1; then ok; else
		fail "make deb"
		tail -n 20 "$tmp/build.log" | sed 's/^/  /'
		summary
		exit
	fi
	deb=$(ls "$tmp"/deb/promptasm_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -n 1)
	if [ -n "$deb" ]; then ok; else fail "make deb wrote no .deb"; summary; exit; fi
	dest=$tmp/root
	dpkg -x "$deb" "$dest"
	PROMPTASM_TOKENIZERS=$dest/usr/share/promptasm/tokenizers
	export PROMPTASM_TOKENIZERS
fi
prog=$dest/usr/bin/promptasm

# Every file the package promises.
toks=$(cd "$root/tokenizers" && ls *.yaml | sed 's/\.yaml$//')
for f in usr/bin/promptasm "usr/lib/$ma/libpromptasm.a" usr/include/promptasm.h \
	"usr/lib/$ma/pkgconfig/promptasm.pc" usr/share/man/man1/promptasm.1.gz \
	usr/share/man/man3/promptasm.3.gz \
	usr/share/bash-completion/completions/promptasm \
	usr/share/zsh/vendor-completions/_promptasm \
	usr/share/fish/vendor_completions.d/promptasm.fish \
	usr/share/doc/promptasm/copyright \
	$(for t in $toks; do
		printf 'usr/share/promptasm/tokenizers/%s ' "$t.yaml" "$t.tiktoken" "$t.patab"
	done); do
	if [ -f "$dest/$f" ]; then ok; else fail "/$f is not installed"; fi
done

# The package's version is the program's.
want="promptasm $(sed -n 's/^#define PA_VERSION "\(.*\)"/\1/p' "$root/include/promptasm.h")"
got=$("$prog" --version 2>&1)
if [ "$got" = "$want" ]; then ok; else fail "--version: want '$want', got '$got'"; fi
if [ -n "${deb:-}" ]; then
	v=$(dpkg-deb -f "$deb" Version)
	if [ "promptasm $v" = "$want" ]; then ok; else
		fail "the package is version $v (debian/changelog), the program $want"
	fi
fi

# A count with each installed tokenizer, as the checkout's program counts
# (the installed tables are compiled by make install, not copied).
printf '# Notes\n\nThe build is `make -j2`; tokenizers live in /usr/share.\n' >"$tmp/text.md"
for t in $toks; do
	want=$(PROMPTASM_TOKENIZERS=$root/tokenizers "$PROMPTASM" count -q -t "$t" "$tmp/text.md" 2>&1)
	got=$(cd / && "$prog" count -q -t "$t" "$tmp/text.md" 2>&1)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; else
		fail "count -t $t: installed '$got', checkout '$want'"
	fi
done

# The directory compiled in: the installed package's program counts with
# its tokenizers, found with no PROMPTASM_TOKENIZERS; the unpacked one
# looks there too, and either counts or names the directory.  (A package
# installed on this machine may be of an earlier build, whose tables this
# build rejects by name, as it should.)
if [ -z "$dest" ]; then
	if (cd / && env -u PROMPTASM_TOKENIZERS "$prog" count -q "$tmp/text.md") >/dev/null 2>"$tmp/err"; then ok; else
		fail "no count with the tokenizers of /usr/share/promptasm: $(cat "$tmp/err")"
	fi
elif (cd / && env -u PROMPTASM_TOKENIZERS "$prog" count -q "$tmp/text.md") >/dev/null 2>"$tmp/err" ||
	grep -q '/usr/share/promptasm/tokenizers' "$tmp/err"; then
	ok
else
	fail "the compiled-in tokenizer directory is not /usr/share/promptasm/tokenizers: $(cat "$tmp/err")"
fi

# A library user: the header, the library and pkg-config's flags.
if have cc && have pkg-config; then
	cat >"$tmp/user.c" <<'EOF'
#include <promptasm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	pa_tokenizer *tok;
	pa_error err;
	size_t n;

	/* The library reads no environment: its user's setup does. */
	pa_tokenizer_set_dir(getenv("PROMPTASM_TOKENIZERS"));
	if (argc != 2 || pa_tokenizer_load(argv[1], NULL, &tok, &err) != PA_OK)
		return 1;
	if (pa_tokenizer_count(tok, "hello world", strlen("hello world"), &n, &err) != PA_OK)
		return 1;
	printf("%zu\n", n);
	pa_tokenizer_free(tok);
	return 0;
}
EOF
	if [ -n "$dest" ]; then
		set -- env PKG_CONFIG_SYSROOT_DIR="$dest" \
			PKG_CONFIG_PATH="$dest/usr/lib/$ma/pkgconfig" pkg-config
	else
		set -- pkg-config
	fi
	if flags=$("$@" --cflags --libs promptasm 2>"$tmp/err") &&
		cc -o "$tmp/user" "$tmp/user.c" $flags 2>>"$tmp/err"; then ok; else
		fail "a program does not build with pkg-config's promptasm flags: $(cat "$tmp/err")"
	fi
	want=$(printf 'hello world' | PROMPTASM_TOKENIZERS=$root/tokenizers "$PROMPTASM" count -q -t o200k_base)
	got=$("$tmp/user" o200k_base 2>&1)
	if [ "$got" = "$want" ]; then ok; else fail "the library counts '$got', want '$want'"; fi
else
	skip "a program built with the installed library" "cc and pkg-config"
fi
summary
