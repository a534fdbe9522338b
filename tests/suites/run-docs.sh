#!/bin/sh
# Doc tests: the examples of README.md, SECURITY.md and every docs/*.md are
# run or checked, so that the docs cannot drift from the program.  The
# convention (docs/HACKING.md, "Examples in the docs are tests"):
#
#   ```console   run: each `$ ` line is a command (a line ending in `\`
#                goes on with the next, whose leading `> ` is dropped);
#                the other lines are the expected output, standard output
#                and standard error together.  A line `...` stands for
#                any lines (none included); a line ending in `...` for
#                any line that starts with what comes before it.
#                Trailing blanks and blank lines at the end are ignored.
#   ```sh, ```bash   not run (they install, use the network or a
#                browser): checked with `sh -n` / `bash -n`, and listed.
#   ```c         compiled against include/ with -fsyntax-only.
#   other kinds  (yaml, json, markdown, text) not checked, but a `$ `
#                line in a block without a kind fails: it would be a
#                command nobody runs.
#
# The commands of one console block run in order in one `sh`, from the
# top of a fresh copy of the repository (without .git, build/, tests/
# and tokenizers/; an empty .git/ marks it a repository) in which
# `./promptasm` is the program under test, with an empty HOME, PATH
# /usr/bin:/bin and LC_ALL=C, so nothing in the checkout changes and
# nothing of the machine shows.  The copy lies at /tmp/promptasm-docs/promptasm
# ($docs_dir, tests/lib.sh), one fixed path, for the outputs that count
# absolute paths: the documented figures are of that path.  Two runs at
# once take turns (docs_lock).  When
# the managed policy file /etc/claude-code/CLAUDE.md exists, commands
# that would read it get --no-managed.
#
# Relative links ([text](path#anchor)) of these files must name a file
# that exists and, for an anchor into Markdown, one of its headings.
#
# Runs on its own: PROMPTASM defaults to ./promptasm of the checkout.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; docs_unlock' EXIT

notrun=""
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

cd "$root" || exit 2
docs=README.md
[ -f SECURITY.md ] && docs="$docs SECURITY.md"
for f in docs/*.md; do
	[ -f "$f" ] && docs="$docs $f"
done

# The program under test as ./promptasm of a copy.
cat >"$tmp/shim" <<SHIM
#!/bin/sh
if [ -e /etc/claude-code/CLAUDE.md ] && [ \$# -gt 0 ] &&
	"$PROMPTASM" "\$1" --help 2>/dev/null | grep -q -e '--no-managed'; then
	cmd=\$1; shift
	set -- "\$cmd" --no-managed "\$@"
fi
exec ${VALGRIND:-} "$PROMPTASM" "\$@"
SHIM
chmod +x "$tmp/shim"

# The fixed directory of the examples ($docs_dir, tests/lib.sh), this
# run's alone: explain, check and context count absolute paths.  One that
# another user made (root's run before a user's, on one machine) cannot
# be this run's: the examples are skipped, named, and the rest checked.
docs_foreign=
if [ -e "${docs_dir%/*}" ] && ! [ -w "${docs_dir%/*}" ]; then
	docs_foreign=$(ls -ld "${docs_dir%/*}" | awk '{ print $3 }')
elif ! docs_lock; then
	fail "the docs' directory $docs_dir is held by another run"
	summary
	exit
fi
docs_skipped=0

# The repository's files a doc example may use, copied into $1.
copy_tree() {
	for f in "$root"/* "$root"/.[!.]*; do
		[ -e "$f" ] || continue
		case ${f##*/} in
		.git | build | tests | tokenizers | promptasm | libpromptasm.a) continue ;;
		esac
		cp -R "$f" "$1/"
	done
	mkdir "$1/.git" "$1/home"
	cp "$tmp/shim" "$1/promptasm"
}

# Splits every fenced block of the docs into $tmp/blocks/N.{kind,where,body}.
mkdir "$tmp/blocks"
# shellcheck disable=SC2086
awk -v out="$tmp/blocks" '
FNR == 1 { name = FILENAME; open = 0 }
!open && /^ *(```|~~~)/ {
	line = $0; sub(/^ */, "", line)
	fence = line; sub(/[^`~].*$/, "", fence)
	kind = substr(line, length(fence) + 1); sub(/^[ \t]*/, "", kind); sub(/[ \t].*$/, "", kind)
	n++; open = 1; n = sprintf("%04d", n)
	printf "%s\n", (kind == "" ? "-" : kind) > (out "/" n ".kind"); close(out "/" n ".kind")
	printf "%s:%d\n", name, FNR > (out "/" n ".where"); close(out "/" n ".where")
	printf "" > (out "/" n ".body")
	next
}
open {
	line = $0; sub(/^ */, "", line)
	if (substr(line, 1, length(fence)) == fence && line ~ /^(`+|~+)[ \t]*$/) { open = 0; close(out "/" n ".body"); next }
	print > (out "/" n ".body")
}
' $docs

# Compares expected ($1) and actual ($2) output by the rules above.
matches() {
	awk '
	function trim(s) { sub(/[ \t]+$/, "", s); return s }
	function same(e, a,   p) {
		if (length(e) > 3 && substr(e, length(e) - 2) == "...") {
			p = substr(e, 1, length(e) - 3)
			return substr(a, 1, length(p)) == p
		}
		return e == a
	}
	function m(i, j,   k) {
		if (i > ne) return j > na
		if (x[i] == "...") {
			for (k = j; k <= na + 1; k++) if (m(i + 1, k)) return 1
			return 0
		}
		if (j <= na && same(x[i], y[j])) return m(i + 1, j + 1)
		if (i > far) far = i
		return 0
	}
	FILENAME == ARGV[1] { x[++ne] = trim($0); next }
	{ y[++na] = trim($0) }
	END {
		while (ne > 0 && x[ne] == "") ne--
		while (na > 0 && y[na] == "") na--
		if (m(1, 1)) exit 0
		if (far > 0 && far <= ne) printf "documented output line %d is not matched: %s\n", far, x[far]
		else print "the program printed more than the doc shows"
		exit 1
	}' "$1" "$2"
}

run_console() {
	where=$1 body=$2
	awk -v cmd="$tmp/cmd" -v want="$tmp/exp" '
	BEGIN { printf "" > cmd; printf "" > want }
	cont { line = $0; sub(/^> /, "", line); print line > cmd; cont = /\\$/; next }
	/^\$ / { print substr($0, 3) > cmd; cont = /\\$/; next }
	{ print > want }' "$body"
	if [ -n "$docs_foreign" ]; then
		docs_skipped=$((docs_skipped + 1))
		return
	fi
	work=$docs_dir
	rm -rf "$work"
	mkdir "$work" || { fail "$where: cannot make $work"; return; }
	copy_tree "$work"
	(
		cd "$work" &&
		env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C \
			PROMPTASM_TOKENIZERS="$PROMPTASM_TOKENIZERS" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
			timeout 120 sh "$tmp/cmd" </dev/null >"$tmp/act" 2>&1
	)
	if matches "$tmp/exp" "$tmp/act" >"$tmp/why"; then
		pass
	else
		fail "$where: the output differs from the doc (< doc, > program)"
		cat "$tmp/why"
		diff "$tmp/exp" "$tmp/act" | head -n 30
	fi
	rm -rf "$work"
}

for k in "$tmp"/blocks/*.kind; do
	[ -f "$k" ] || continue
	b=${k%.kind}
	kind=$(cat "$k")
	where=$(cat "$b.where")
	case $kind in
	console)
		run_console "$where" "$b.body" ;;
	sh | shell | bash)
		sh=sh
		[ "$kind" = bash ] && sh=bash
		if $sh -n "$b.body" 2>"$tmp/err"; then
			pass
			notrun="$notrun $where"
		else
			fail "$where: not valid $sh"
			cat "$tmp/err"
		fi ;;
	c)
		if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -fsyntax-only \
			-I"$root/include" -x c "$b.body" 2>"$tmp/err"; then
			pass
		else
			fail "$where: the C example does not compile"
			head -n 20 "$tmp/err"
		fi ;;
	-)
		if grep -q '^\$ ' "$b.body"; then
			fail "$where: a command in a block without a kind (make it console or sh)"
		else
			pass
		fi ;;
	*) ;;
	esac
done

# Relative links: the file exists; an anchor names a heading of it.
# shellcheck disable=SC2086
awk '
function slug(h,   s, i, c, r) {
	s = tolower(h); r = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c ~ /[a-z0-9_-]/ || c > "~") r = r c
		else if (c == " ") r = r "-"
	}
	return r
}
FNR == 1 { dir = FILENAME; if (!sub(/\/[^\/]*$/, "", dir)) dir = "."; fence = 0 }
/^ *(```|~~~)/ { fence = !fence; next }
fence { next }
/^#+ / { h = $0; sub(/^#+ +/, "", h); sub(/ +#* *$/, "", h); heads[FILENAME, slug(h)] = 1 }
{
	line = $0
	gsub(/`[^`]*`/, "", line)
	while (match(line, /\]\([^) \t]+\)/)) {
		t = substr(line, RSTART + 2, RLENGTH - 3)
		line = substr(line, RSTART + RLENGTH)
		if (t ~ /^[a-z]+:/) continue
		n++; src[n] = FILENAME; lno[n] = FNR; target[n] = t; base[n] = dir
	}
}
END {
	bad = 0
	for (i = 1; i <= n; i++) {
		t = target[i]; a = ""
		if (index(t, "#")) { a = substr(t, index(t, "#") + 1); t = substr(t, 1, index(t, "#") - 1) }
		f = (t == "" ? src[i] : base[i] "/" t)
		if (t != "" && system("test -e \"" f "\"") != 0) {
			printf "FAIL %s:%d: link to %s: no such file\n", src[i], lno[i], target[i]; bad++; continue
		}
		if (a != "" && f ~ /\.md$/) {
			if (!((f, a) in heads)) {
				# a heading of a file not among the docs: read it
				while ((getline l < f) > 0) if (l ~ /^#+ /) { sub(/^#+ +/, "", l); heads[f, slug(l)] = 1 }
				close(f)
			}
			if (!((f, a) in heads)) {
				printf "FAIL %s:%d: link to %s: no such heading\n", src[i], lno[i], target[i]; bad++
			}
		}
	}
	printf "%d %d\n", n - bad, bad > "/dev/stderr"
}' $docs 2>"$tmp/links"
read -r lp lf <"$tmp/links"
passed=$((passed + lp))
failed=$((failed + lf))

for w in $notrun; do echo "not run (syntax checked only): $w"; done
if [ "$docs_skipped" -gt 0 ]; then
	skipped=$((skipped + 1))
	echo "SKIP the docs' $docs_skipped examples: ${docs_dir%/*} belongs to $docs_foreign, and they run at that one path (their figures count it): remove it, or run as $docs_foreign"
fi
summary
