/* fuzz_frontmatter.c - libFuzzer target: the frontmatter reader, strict
 * YAML and the line-by-line reader.
 *
 * A first byte below 8 picks how the rest is read, so that the fuzzer
 * reaches both readers and not only the "no frontmatter" answer:
 *  - bit 0 clear: the rest is a whole file (Pa_frontmatter_parse);
 *  - bit 0 set: it is the block of a file, "---\n" + rest + "\n---\nbody\n",
 *    so the YAML reader, and when that fails the line reader, see it.
 * Bits 1-2 are the first line handed to Pa_frontmatter_lenient(), which
 * always reads the rest on its own as well.  Any other first byte starts
 * a whole file, so real agent files are seeds as they are.
 *
 * Oracles:
 *  - parse OK: the body is a suffix of the text and body_line is 1 + the
 *    newlines before it (or the line after, for an empty body); no frontmatter means the body is the whole text;
 *    the tree is a mapping (or nothing), no mapping repeats a key (they
 *    are removed), and every node lies on a line of the block (its
 *    closing line included: libyaml marks an empty value there; strict
 *    YAML's lines are libyaml's, see count_yaml_breaks);
 *  - parse fails: PA_ERR_PARSE with the file and a line of the text;
 *  - line reader OK: a mapping whose keys are plain scalars cut from the
 *    text (their bytes appear in it, no newline), on increasing lines of
 *    the block, with scalar or list-of-scalar values; fails: the file and
 *    a line of the block. */
#include "fuzz.h"

#include "frontmatter.h"

static size_t count_newlines(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* Line breaks as libyaml counts them, whose lines the strict reader's
 * nodes and errors carry: "\r\n", a lone "\r", "\n", and U+0085, U+2028
 * and U+2029 (YAML 1.1).  A lone CR or a U+2028 puts libyaml's lines
 * after ours, so they bound from above: see the report of issue 10. */
static size_t count_yaml_breaks(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			k++;
		else if (i + 1 < n && s[i] == '\xC2' && s[i + 1] == '\x85')
			k++;
		else if (i + 2 < n && s[i] == '\xE2' && s[i + 1] == '\x80' &&
		         (s[i + 2] == '\xA8' || s[i + 2] == '\xA9'))
			k++;
	}
	return k;
}

static int contains(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0)
		return 1;
	for (i = 0; i + nn <= hn; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, nn))
			return 1;
	return 0;
}

/* Every node of the tree on lines first..last, and no mapping with a key
 * twice. */
static void check_tree(const Pa_ynode *n, long first, long last)
{
	size_t i, j, items;

	if (!n)
		return;
	FUZZ_CHECK(n->line >= first && n->line <= last);
	FUZZ_CHECK(n->column >= 1);
	if (n->type == PA_YNODE_SCALAR) {
		FUZZ_CHECK(n->scalar != NULL && n->scalar[n->scalar_len] == '\0');
		return;
	}
	items = n->type == PA_YNODE_MAPPING ? 2 * n->n : n->n;
	for (i = 0; i < items; i++)
		check_tree(n->items[i], first, last);
	if (n->type != PA_YNODE_MAPPING)
		return;
	for (i = 0; i < n->n; i++) {
		const Pa_ynode *a = n->items[2 * i];
		if (a->type != PA_YNODE_SCALAR)
			continue;
		for (j = i + 1; j < n->n; j++) {
			const Pa_ynode *b = n->items[2 * j];
			FUZZ_CHECK(b->type != PA_YNODE_SCALAR || b->scalar_len != a->scalar_len ||
			           memcmp(a->scalar, b->scalar, a->scalar_len) != 0);
		}
	}
}

static void check_parse(const char *text, size_t len)
{
	Pa_frontmatter fm;
	pa_error err;
	long nl;
	pa_status st = Pa_frontmatter_parse(text, len, "fuzz.md", &fm, &err);

	if (st != PA_OK) {
		FUZZ_CHECK(st == PA_ERR_PARSE);
		FUZZ_CHECK(err.message[0] != '\0');
		FUZZ_CHECK(!strcmp(err.file, "fuzz.md"));
		FUZZ_CHECK(err.line >= 1 && err.line <= (long)count_yaml_breaks(text, len) + 1);
		return;
	}
	FUZZ_CHECK(fm.body >= text && fm.body <= text + len);
	FUZZ_CHECK(fm.body + fm.body_len == text + len);
	/* An empty body after a closing line with no newline is on the line
	 * after it, which the text does not have: either number will do. */
	nl = (long)count_newlines(text, (size_t)(fm.body - text));
	FUZZ_CHECK(fm.body_line == 1 + nl || (fm.body_len == 0 && fm.body_line == 2 + nl));
	if (!fm.present) {
		FUZZ_CHECK(fm.body == text && fm.root == NULL && !fm.lenient);
	} else {
		FUZZ_CHECK(fm.open_line >= 1 && fm.body_line >= fm.open_line + 2);
		FUZZ_CHECK(fm.root == NULL || fm.root->type == PA_YNODE_MAPPING);
		check_tree(fm.root, fm.open_line + 1,
		           fm.lenient ? fm.body_line - 1
		                      : 1 + (long)count_yaml_breaks(text, (size_t)(fm.body - text)));
		if (fm.lenient)
			FUZZ_CHECK(fm.yaml_err.message[0] != '\0');
		if (fm.duplicates)
			FUZZ_CHECK(fm.duplicate_line > fm.open_line &&
			           fm.duplicate_first > fm.open_line &&
			           fm.duplicate_first <= fm.duplicate_line);
	}
	Pa_frontmatter_release(&fm);
}

static void check_lenient(const char *text, size_t len, long first)
{
	Pa_ynode *root = NULL;
	pa_error err;
	long last = first + (long)count_newlines(text, len), prev = 0;
	size_t i, j;
	pa_status st = Pa_frontmatter_lenient(text, len, "fuzz.md", first, &root, &err);

	if (st != PA_OK) {
		FUZZ_CHECK(st == PA_ERR_PARSE && root == NULL);
		FUZZ_CHECK(err.message[0] != '\0' && !strcmp(err.file, "fuzz.md"));
		FUZZ_CHECK(err.line >= first && err.line <= last);
		return;
	}
	FUZZ_CHECK(root != NULL && root->type == PA_YNODE_MAPPING);
	for (i = 0; i < root->n; i++) {
		const Pa_ynode *k = root->items[2 * i], *v = root->items[2 * i + 1];

		FUZZ_CHECK(k->type == PA_YNODE_SCALAR && k->plain);
		FUZZ_CHECK(contains(text, len, k->scalar, k->scalar_len));
		FUZZ_CHECK(memchr(k->scalar, '\n', k->scalar_len) == NULL);
		FUZZ_CHECK(k->line >= first && k->line <= last && k->line > prev);
		prev = k->line;
		FUZZ_CHECK(v->type == PA_YNODE_SCALAR || v->type == PA_YNODE_SEQUENCE);
		if (v->type == PA_YNODE_SEQUENCE)
			for (j = 0; j < v->n; j++)
				FUZZ_CHECK(v->items[j]->type == PA_YNODE_SCALAR &&
				           v->items[j]->line >= first &&
				           v->items[j]->line <= last);
	}
	Pa_ynode_free(root);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *rest = (const char *)data;
	size_t n = size;
	unsigned mode = 0;

	if (size && data[0] < 8) {
		mode = data[0];
		rest++;
		n--;
	}
	if (mode & 1) {
		static const char open[] = "---\n", close[] = "\n---\nbody\n";
		size_t total = sizeof(open) - 1 + n + sizeof(close) - 1;
		char *text = malloc(total);

		memcpy(text, open, sizeof(open) - 1);
		memcpy(text + sizeof(open) - 1, rest, n);
		memcpy(text + sizeof(open) - 1 + n, close, sizeof(close) - 1);
		check_parse(text, total);
		free(text);
	} else {
		check_parse(rest, n);
	}
	check_lenient(rest, n, 1 + (long)((mode >> 1) & 3));
	return 0;
}
