#!/bin/sh
# The names of libpromptasm.a's globals and types (docs/HACKING.md,
# "Names"): every function, variable and type the library defines is
# either public, declared in include/promptasm.h as pa_*, or internal,
# named Pa_* (as curl's Curl_* beside curl_*): a reader tells them apart by
# the name alone.  Runs nm on
# the library `make test` built; fails on a global that is neither, on a
# Pa_ name in the public header, and on a public declaration of a pa_
# global the library does not define under that name.
# Run on its own: sh tests/suites/run-symbols.sh (after make).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2
lib=${PROMPTASM_LIB:-$(dirname "$UNIT_DIR")/libpromptasm.a}

if ! have nm; then
	skip "symbol names" "nm (binutils)"
	summary
	exit 0
fi
if [ ! -f "$lib" ]; then
	failed=$((failed + 1))
	echo "FAIL symbols: no library at $lib (make first)"
	summary
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Globals defined (T, D, B, R ... in upper case), one name a line; not
# the ones a sanitizer adds under `make check` (__odr_asan.NAME, __asan_*,
# __ubsan_*, __sancov_*), which are the compiler's, in its reserved names.
nm -g --defined-only "$lib" 2>/dev/null |
	awk 'NF == 3 && $2 ~ /^[A-Z]$/ { print $3 }' |
	grep -vE '^__(odr_asan|asan|ubsan|sancov)' | sort -u > "$tmp/globals"
# What the public header declares: its identifiers once comments are gone.
${CC:-cc} -E -P -std=c11 include/promptasm.h 2>/dev/null |
	grep -oE '\b[A-Za-z_][A-Za-z0-9_]*\b' | sort -u > "$tmp/public"

if [ ! -s "$tmp/globals" ] || [ ! -s "$tmp/public" ]; then
	failed=$((failed + 1))
	echo "FAIL symbols: nm or the preprocessor gave nothing"
	summary
	exit 1
fi

# 1. Each global: declared in promptasm.h and pa_*, or Pa_*.
bad=$(comm -23 "$tmp/globals" "$tmp/public" | grep -v '^Pa_[a-z0-9]')
if [ -z "$bad" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL symbols: globals neither public (promptasm.h) nor internal (Pa_*):"
	echo "$bad" | sed 's/^/  /'
fi
# 2. Public ones are pa_*, and the header shows no internal name.
bad=$(comm -12 "$tmp/globals" "$tmp/public" | grep -v '^pa_')
bad2=$(grep '^Pa_' "$tmp/public")
if [ -z "$bad$bad2" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL symbols: the public header names these:"
	printf '%s\n%s\n' "$bad" "$bad2" | sed '/^$/d; s/^/  /'
fi
# 3. Every function the header declares is defined (a stale declaration
#    links nowhere).
${CC:-cc} -E -P -std=c11 include/promptasm.h 2>/dev/null | tr '\n' ' ' |
	grep -oE '\bpa_[a-z0-9_]+[[:space:]]*\(' | sed 's/[[:space:](]*$//' |
	sort -u > "$tmp/declared"
bad=$(comm -23 "$tmp/declared" "$tmp/globals")
if [ -z "$bad" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL symbols: declared in promptasm.h, not defined in the library:"
	echo "$bad" | sed 's/^/  /'
fi
# 4. Types too: a type the library defines (typedef, or a struct, enum or
#    union tag) is public, named pa_* in promptasm.h, or internal, Pa_*.
cat src/*/*.[ch] src/*/*.inc 2>/dev/null |
	grep -oE '(typedef[^;{]*[^;{a-zA-Z_0-9]|\} *|(struct|enum|union) +)pa_[a-z0-9_]+' |
	grep -oE 'pa_[a-z0-9_]+$' | sort -u > "$tmp/types"
grep -oE '\bpa_[a-z0-9_]+\b' include/promptasm.h | sort -u > "$tmp/public_words"
bad=$(comm -23 "$tmp/types" "$tmp/public_words")
if [ -z "$bad" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL symbols: types neither public (promptasm.h) nor internal (Pa_*):"
	echo "$bad" | sed 's/^/  /'
fi
summary
