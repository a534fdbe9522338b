#!/bin/sh
# The layers of src/ (docs/HACKING.md), checked on the include lines:
#   - a folder of src/ is a layer; lowest first: util base tokenizer
#     discover compose budget, and the CLI (cli) on top;
#   - a file includes its own layer's headers by bare name, and they exist;
#   - a library layer includes a lower layer's header as "layer/name.h",
#     never a higher layer's; of the lower layers only base/ and util/
#     (toolboxes, like curl's curlx/) have headers for others to include,
#     and discover/ its face, discover.h, alone: tokenizer/, compose/ and
#     budget/ keep theirs internal and show themselves through
#     include/promptasm.h;
#   - the CLI includes only its own headers, promptasm.h and util.h (the
#     build gives it no other include path);
#   - no header includes itself back through others (no cycle), and no
#     file of a library layer depends on itself through others (the
#     globals one object uses and another defines, from the build's
#     objects: skipped, named, before a build or without nm);
#   - a backend of src/discover/ includes services.h, not Claude Code's
#     claude_code.h nor discover.h;
#   - compose/ opens, lists, walks and resolves no file, not even through
#     the discover stage's door (Pa_project_read and its kin, declared in
#     src/discover/files.h, which no other layer can include): the
#     discover stage reads what an agent CLI reads into its model, and
#     compose/ reads the model (discover.h);
#   - no file of src/ names an agent CLI's id (PA_HARNESS_CODEX ...: the
#     ids of pa_harness_id in include/promptasm.h) but that CLI's own
#     backend file, the one whose row says `.id = PA_HARNESS_X`: a caller
#     asks what a CLI supports (pa_harness_supports()) or calls through
#     its row, never which CLI runs (docs/HACKING.md).
# Run on its own: sh tests/suites/run-layers.sh (from anywhere).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)  # tests/
. "$here/lib.sh"
cd "$root" || exit 2
layers="util base tokenizer discover compose budget cli"

rank() {
	r=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	echo -1
}

# One line per include: FILE LAYER TARGET
edges=$(for l in $layers; do
	for f in src/$l/*.c src/$l/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
			while read -r t; do echo "$f $l $t"; done
	done
done)

bad=$(echo "$edges" | while read -r f l t; do
	[ -n "$f" ] || continue
	case $t in
	promptasm.h) continue ;;
	*.inc) [ -f "src/$l/$t" ] || [ "$l" = cli ] || echo "$f: $t: no such file in src/$l/"
		continue ;;
	*/*)
		tl=${t%%/*}
		if [ "$l" = cli ]; then
			echo "$f: the CLI includes $t (only its own headers, promptasm.h and util.h)"
		elif [ "$(rank "$tl")" -lt 0 ]; then
			echo "$f: $t is in no layer"
		elif [ "$(rank "$tl")" -ge "$(rank "$l")" ]; then
			echo "$f: $t is not in a lower layer than $l"
		elif [ "$tl" = discover ] && [ "$t" != discover/discover.h ]; then
			echo "$f: $t is internal to src/discover/ (its face is discover.h)"
		elif [ "$tl" != base ] && [ "$tl" != util ] && [ "$tl" != discover ]; then
			echo "$f: $t is internal to src/$tl/"
		elif [ ! -f "src/$t" ]; then
			echo "$f: $t: no such file"
		fi ;;
	*)
		if [ "$l" = cli ] && [ "$t" = util.h ]; then
			continue
		fi
		[ -f "src/$l/$t" ] || echo "$f: $t is not a header of src/$l/" ;;
	esac
done)
if [ -z "$bad" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL layers:"
	echo "$bad" | sed 's/^/  /'
fi

# A cycle among headers: follow each header's includes depth first.
cycle=$(echo "$edges" | awk '
	$1 ~ /\.h$/ {
		dir = $1; sub(/[^\/]*$/, "", dir)
		t = ($3 ~ /\//) ? "src/" $3 : dir $3
		if (t ~ /\.h$/) { adj[$1] = adj[$1] " " t; nodes[$1] = 1 }
	}
	function visit(n,   k, m, parts) {
		if (state[n] == 1) { print "cycle through " n; found = 1; return }
		if (state[n] == 2) return
		state[n] = 1
		m = split(adj[n], parts, " ")
		for (k = 1; k <= m; k++) visit(parts[k])
		state[n] = 2
	}
	END { for (n in nodes) visit(n) }')
if [ -z "$cycle" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL headers: $cycle"
fi

# A backend's file (one holding a row of the table, Pa_cli_NAME, other
# than Claude Code's) includes the shared services (services.h), never
# Claude Code's model (claude_code.h) nor the face that brings it in
# (discover.h).
leak=$(grep -l 'const Pa_cli_backend Pa_cli_[a-z_]* = ' src/discover/*.c |
	while read -r f; do
		grep -q 'const Pa_cli_backend Pa_cli_claude_code = ' "$f" && continue
		grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(discover|claude_code)\.h"' "$f" |
			sed "s|^|$f:|"
	done)
if [ -z "$leak" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL a backend includes Claude Code's model (include services.h):"
	echo "$leak" | sed 's/^/  /'
fi

# No two files of a library layer depend on each other, even through
# others (STYLE.md: "No two files depend on each other both ways"): an
# object uses a global another object of its layer defines, read from
# the build's objects with nm; a circle among them fails, naming its
# files.  src/cli/ is left out: its command table (main.c) and the
# commands it lists refer to each other as git's builtin table does.
objs=${BUILD_DIR:-$root/build}
if ! have nm; then
	skip "circles among a layer's files" nm "apt-get install binutils"
elif ! ls "$objs"/discover/*.o >/dev/null 2>&1; then
	skip "circles among a layer's files" "a build" "make"
else
	circles=$(for l in util base tokenizer discover compose budget; do
		for o in "$objs/$l"/*.o; do
			[ -f "$o" ] || continue
			nm "$o" | awk -v f="$l/${o##*/}" '
				$1 == "U" { print "U", f, $2 }
				NF == 3 && $2 ~ /^[TDBR]$/ { print "D", f, $3 }'
		done
	done | awk '
		$1 == "D" { def[$3] = $2 }
		$1 == "U" { use[n++] = $2 " " $3 }
		END {
			for (i = 0; i < n; i++) {
				split(use[i], p, " "); b = def[p[2]]
				if (b == "" || b == p[1]) continue
				la = p[1]; sub(/\/.*/, "", la); lb = b; sub(/\/.*/, "", lb)
				if (la != lb || ((p[1], b) in seen)) continue
				seen[p[1], b] = 1; adj[p[1]] = adj[p[1]] " " b; nodes[p[1]] = 1
			}
			for (a in nodes) visit(a, "")
		}
		function visit(x, path,   k, m, parts) {
			if (state[x] == 1) { print "a circle:" path " " x; return }
			if (state[x] == 2) return
			state[x] = 1
			m = split(adj[x], parts, " ")
			for (k = 1; k <= m; k++) visit(parts[k], path " " x)
			state[x] = 2
		}')
	if [ -z "$circles" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL files of a layer that depend on each other (src/ objects):"
		echo "$circles" | sed 's/^/  /'
	fi
fi

# compose/ opens no file: no call of the C library's or base/'s openers,
# nor of the discover stage's door or its directory walk.
opens=$(grep -nE '(^|[^_[:alnum:]])(fopen|freopen|open|openat|opendir|fdopendir|readdir|scandir|nftw|ftw|realpath|stat|lstat|fstatat|access|readlink|pa_file_read_limited|Pa_file_open_regular|Pa_input_open|Pa_project_[_[:alnum:]]+|Pa_find_md_files)[[:space:]]*\(' \
	src/compose/*.c src/compose/*.h src/compose/*.inc 2>/dev/null)
if [ -z "$opens" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL compose/ reads files itself (read the model, src/discover/discover.h):"
	echo "$opens" | sed 's/^/  /'
fi

# The helper library's one out-of-memory policy (src/util/util.h): nothing
# outside src/util/alloc.c allocates with libc's functions, which return
# NULL to a caller that may not check, and nothing calls abort().
raw=$(grep -nE '(^|[^_[:alnum:]])(malloc|calloc|realloc|strdup|strndup|abort)[[:space:]]*\(' \
	src/*/*.c src/*/*.h | grep -v '^src/util/alloc\.c:' |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)')
if [ -z "$raw" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL allocation outside src/util/alloc.c (use Pa_xmalloc and the like):"
	echo "$raw" | sed 's/^/  /'
fi

# A CLI's id named outside its own backend file: the seam between the
# commands and the table of CLIs coming back.
ids=$(sed -n '/^typedef enum pa_harness_id {/,/^} pa_harness_id;/s/^[[:space:]]*\(PA_HARNESS_[A-Z0-9_]*\).*/\1/p' \
	include/promptasm.h)
named=$(for id in $ids; do
	own=$(grep -lE "^[[:space:]]*\.id[[:space:]]*=[[:space:]]*$id,?[[:space:]]*\$" \
		src/*/*.c)
	if [ "$(echo "$own" | grep -c .)" -ne 1 ]; then
		echo "$id: no one backend file with its row (.id = $id): ${own:-none}"
		continue
	fi
	grep -rnwE "$id" src | grep -v "^$own:"
done)
if [ -n "$ids" ] && [ -z "$named" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL a CLI named outside its backend file (ask pa_harness_supports() or call through its row):"
	echo "${named:-no ids read from include/promptasm.h}" | sed 's/^/  /'
fi

summary
