#!/bin/sh
# deps.sh DIR: libyaml, utf8proc and PCRE2 compiled to WebAssembly with
# emcc, from Debian's source packages of the versions the native build
# links (the installed -dev packages; else the newest source Debian has).
# `apt-get source` fetches them into DIR/src (an apt source list with a
# deb-src entry is needed: docs/packaging.md); each library is compiled
# here as its own build system would, without it (no configure, no
# cmake: their makefiles run native tools), into DIR/lib/libNAME.a with
# its headers in DIR/include and a .pc file in DIR/lib/pkgconfig, so the
# Makefile's pkg-config finds them.  DIR/versions lists what was built.
# Sources already fetched are reused.
set -eu
dir=$1
EMCC=${EMCC:-emcc}
EMAR=${EMAR:-emar}
CFLAGS=${NPM_DEPS_CFLAGS:--O2}
mkdir -p "$dir/src" "$dir/include" "$dir/lib/pkgconfig" "$dir/obj"
dir=$(cd "$dir" && pwd)
: > "$dir/versions.tmp"

# fetch SOURCE DEVPKG: SOURCE's sources into DIR/src/SOURCE-UPSTREAM, of
# the version of the installed DEVPKG; prints that directory.  When that
# version's sources cannot be had (a mirror without the security
# archive's), the newest other Debian revision of the same upstream
# version, said on stderr and in DIR/versions.
fetch() {
	src=$1
	want=$(dpkg-query -W -f='${Version}' "$2" 2>/dev/null || true)
	avail=$(apt-cache showsrc "$src" 2>/dev/null | sed -n 's/^Version: //p' | sort -Vr)
	[ -n "$avail" ] || {
		echo "npm: no source package $src: add a deb-src entry (docs/packaging.md)" >&2
		exit 1
	}
	[ -n "$want" ] || want=$(printf '%s\n' $avail | head -n 1)
	up=${want#*:}
	up=${up%-*}
	for got in $want $(printf '%s\n' $avail | grep -F -- "$up-" | grep -vxF -- "$want"); do
		if [ -f "$dir/src/$src-$up/.fetched-$got" ]; then
			break
		fi
		rm -rf "$dir/src/$src-$up"
		if (cd "$dir/src" && apt-get source -qq "$src=$got" >"$dir/src/$src.log" 2>&1) &&
			[ -d "$dir/src/$src-$up" ]; then
			: > "$dir/src/$src-$up/.fetched-$got"
			break
		fi
		echo "npm: cannot fetch the source of $src $got (apt-get source: $dir/src/$src.log)" >&2
		got=
	done
	[ -n "$got" ] || exit 1
	[ "$got" = "$want" ] ||
		echo "npm: building $src $got, the same upstream version as the native $want" >&2
	printf '%s %s (native %s)\n' "$src" "$got" "$want" >> "$dir/versions.tmp"
	printf '%s\n' "$dir/src/$src-$up"
}

# compile NAME CFLAGS FILE...: DIR/lib/libNAME.a from FILEs.
compile() {
	name=$1 flags=$2
	shift 2
	rm -rf "$dir/obj/$name" && mkdir -p "$dir/obj/$name"
	for f; do
		$EMCC $CFLAGS $flags -c -o "$dir/obj/$name/$(basename "$f" .c).o" "$f"
	done
	rm -f "$dir/lib/lib$name.a"
	$EMAR rcs "$dir/lib/lib$name.a" "$dir/obj/$name"/*.o
}

# pc NAME VERSION LIB: a pkg-config file for the library.
pc() {
	printf 'prefix=%s\nName: %s\nDescription: %s for WebAssembly\nVersion: %s\nCflags: -I${prefix}/include%s\nLibs: -L${prefix}/lib -l%s\n' \
		"$dir" "$1" "$1" "$2" "${4:-}" "$3" > "$dir/lib/pkgconfig/$1.pc"
}

s=$(fetch libyaml libyaml-dev)
v=$(sed -n 's/^m4_define(\[YAML_\(MAJOR\|MINOR\|PATCH\)\], *\([0-9]*\)).*/\2/p' "$s/configure.ac" | tr '\n' ' ')
set -- $v
# libyaml for size: the package reads a tokenizer's description (2 KB)
# with it at each start, and built at -O2 (its scanner inlined into
# functions of up to 18 KB) a count of 1 KB took 17 ms longer
# (docs/speed.md).
compile yaml "-Os -I$s/include -DYAML_VERSION_MAJOR=$1 -DYAML_VERSION_MINOR=$2 -DYAML_VERSION_PATCH=$3 -DYAML_VERSION_STRING=\"$1.$2.$3\"" "$s"/src/*.c
cp "$s/include/yaml.h" "$dir/include/"
pc yaml-0.1 "$1.$2.$3" yaml
cp "$s/License" "$dir/LICENSE.libyaml"

s=$(fetch utf8proc libutf8proc-dev)
compile utf8proc "-I$s -DUTF8PROC_STATIC" "$s/utf8proc.c"
cp "$s/utf8proc.h" "$dir/include/"
pc libutf8proc "$(sed -n 's/^#define UTF8PROC_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)/\2/p' "$s/utf8proc.h" | paste -sd.)" utf8proc " -DUTF8PROC_STATIC"
cp "$s/LICENSE.md" "$dir/LICENSE.utf8proc"

# PCRE2 as its configure's defaults make it (Debian's adds only the 16-
# and 32-bit libraries, JIT and pcre2grep options): config.h.generic is
# those defaults, with Unicode support, which configure turns on.
s=$(fetch pcre2 libpcre2-dev)
cp "$s/src/config.h.generic" "$s/src/config.h"
cp "$s/src/pcre2.h.generic" "$s/src/pcre2.h"
cp "$s/src/pcre2_chartables.c.dist" "$s/src/pcre2_chartables.c"
compile pcre2-8 "-I$s/src -DHAVE_CONFIG_H -DPCRE2_CODE_UNIT_WIDTH=8 -DPCRE2_STATIC -DSUPPORT_UNICODE -DHAVE_MEMMOVE -DHAVE_STDINT_H -DHAVE_INTTYPES_H" \
	$(sed -n '/^COMMON_SOURCES = /,/^$/s/^ *\(src\/pcre2_[a-z0-9_]*\.c\).*/\1/p' "$s/Makefile.am" | sed "s|^|$s/|") \
	"$s/src/pcre2_chartables.c"
cp "$s/src/pcre2.h" "$dir/include/"
pc libpcre2-8 "$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$s/src/config.h")" pcre2-8 " -DPCRE2_STATIC"
cp "$s/LICENCE" "$dir/LICENSE.pcre2"

mv "$dir/versions.tmp" "$dir/versions"
