/*
 * frontmatter.c - the YAML block between `---` lines at the top of agent
 * and rule files.
 *
 * Strict YAML first (yamltree.c).  Real agent files are often not YAML: a
 * plain description full of `: `, `<example>` blocks, long lines with `\n`
 * escapes.  Claude Code loads them, so when strict parsing fails we read
 * the block line by line: a top-level `key: value` line starts a field,
 * its value runs to the end of the line, indented lines continue it, and
 * `- item` lines under an empty key make a list.
 */
#include "frontmatter.h"
#include "base/markdown.h"
#include "discover.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

static void shift_lines(Pa_ynode *node, long by)
{
	size_t i, n;

	if (!node)
		return;
	node->line += by;
	n = node->type == PA_YNODE_MAPPING ? 2 * node->n : node->n;
	for (i = 0; i < n; i++)
		shift_lines(node->items[i], by);
}

static Pa_ynode *node_new(Pa_ynode_type type, long line, long column)
{
	Pa_ynode *n = Pa_xcalloc(1, sizeof(*n));
	n->type = type;
	n->line = line;
	n->column = column;
	return n;
}

static Pa_ynode *scalar_new(const char *s, size_t len, int plain, long line,
                            long column)
{
	Pa_ynode *n = node_new(PA_YNODE_SCALAR, line, column);
	n->scalar = Pa_xstrndup(s, len);
	n->scalar_len = len;
	n->plain = plain;
	return n;
}

static void node_push(Pa_ynode *parent, Pa_ynode *child)
{
	parent->items = Pa_xgrow(parent->items, parent->n, sizeof(*parent->items));
	parent->items[parent->n++] = child;
}

/* Unquotes a value the line reader found, when it is quoted as a whole. */
static Pa_ynode *lenient_scalar(const char *s, size_t n, long line, long col)
{
	pa_buf b = PA_BUF_INIT;
	Pa_ynode *node;
	size_t i;

	Pa_text_trim(&s, &n);
	if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
		for (i = 1; i + 1 < n; i++) {
			pa_buf_putc(&b, s[i]);
			if (s[i] == '\'' && s[i + 1] == '\'' && i + 2 < n)
				i++;
		}
	} else if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		for (i = 1; i + 1 < n; i++) {
			char c = s[i];
			if (c == '\\' && i + 2 < n) {
				c = s[++i];
				switch (c) {
				case 'n': c = '\n'; break;
				case 't': c = '\t'; break;
				case 'r': c = '\r'; break;
				case '0': c = '\0'; break;
				default: break; /* \" \\ \/ and the rest: the char */
				}
			}
			pa_buf_putc(&b, c);
		}
	} else {
		node = scalar_new(s, n, 1, line, col);
		return node;
	}
	node = scalar_new(b.ptr, b.len, 0, line, col);
	pa_buf_release(&b);
	return node;
}

/* A `[a, b]` flow list, split on commas (the line reader's best guess). */
static Pa_ynode *lenient_flow_list(const char *s, size_t n, long line, long col)
{
	Pa_ynode *seq = node_new(PA_YNODE_SEQUENCE, line, col);
	const char *p = s + 1, *end = s + n - 1;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		const char *item = p;
		size_t len = (size_t)(stop - p);

		Pa_text_trim(&item, &len);
		if (len)
			node_push(seq, lenient_scalar(item, len, line, col));
		p = comma ? comma + 1 : end;
	}
	return seq;
}

/* The line reader's state: the mapping so far and the field being read
 * (its key, where its value starts, and the lines that continue it). */
typedef struct lenient {
	Pa_ynode *map;
	size_t pairs;
	const char *key, *val;   /* val: NULL when the key's line has no value */
	size_t key_len, val_len;
	long key_line, val_col;
	pa_buf cont;
	Pa_ynode *list;
	char block;              /* '|' or '>' for a block scalar */
	/* The text of a list item continued on further lines, which goes
	 * into item_of when it ends: a copy of the item per line made a
	 * long one quadratic (1.6 MB of one item: 32 s). */
	pa_buf item;
	Pa_ynode *item_of;
} lenient;

/* The continued item's text, into its node. */
static void item_end(lenient *L)
{
	if (!L->item_of)
		return;
	free(L->item_of->scalar);
	L->item_of->scalar = pa_buf_detach(&L->item, &L->item_of->scalar_len);
	L->item_of = NULL;
}

/* A `- item` line (t, tn trimmed). */
static int is_item(const char *t, size_t tn)
{
	return tn >= 1 && t[0] == '-' && (tn == 1 || t[1] == ' ');
}

/* An indented or blank line (p, n; t, tn trimmed) under the field. */
static void continue_field(lenient *L, const char *p, size_t n,
                           const char *t, size_t tn, long line)
{
	if (is_item(t, tn) && !L->list && !L->val && L->cont.len == 0 && !L->block)
		L->list = node_new(PA_YNODE_SEQUENCE, line, (long)(t - p) + 1);
	if (L->list) {
		if (is_item(t, tn)) {
			const char *it = t + 1;
			size_t in = tn - 1;
			Pa_text_trim(&it, &in);
			node_push(L->list, lenient_scalar(it, in, line, (long)(it - p) + 1));
		} else if (tn > 0 && L->list->n > 0) {
			/* A list item continued on the next line. */
			Pa_ynode *last = L->list->items[L->list->n - 1];

			if (L->item_of != last) {
				item_end(L);
				pa_buf_put(&L->item, last->scalar, last->scalar_len);
				L->item_of = last;
			}
			pa_buf_putc(&L->item, ' ');
			pa_buf_put(&L->item, t, tn);
		}
	} else if (L->block == '|') {
		/* Keep the text after the block's indentation. */
		size_t ind = 0;
		while (ind < n && ind < 2 && p[ind] == ' ')
			ind++;
		if (L->cont.len)
			pa_buf_putc(&L->cont, '\n');
		pa_buf_put(&L->cont, p + (tn ? ind : n), tn ? n - ind : 0);
	} else if (tn == 0) {
		if (L->cont.len || L->val)
			pa_buf_putc(&L->cont, '\n');
	} else {
		if (L->cont.len ? L->cont.ptr[L->cont.len - 1] != '\n' : L->val != NULL)
			pa_buf_putc(&L->cont, ' ');
		pa_buf_put(&L->cont, t, tn);
	}
}

/* The field ends: its value goes into the mapping. */
static void store_field(lenient *L)
{
	Pa_ynode *value;
	pa_buf full = PA_BUF_INIT;

	item_end(L);
	if (L->list) {
		value = L->list;
		L->list = NULL;
	} else if (L->block) {
		pa_buf_put(&full, L->cont.ptr, L->cont.len);
		while (full.len && full.ptr[full.len - 1] == '\n')
			pa_buf_truncate(&full, full.len - 1);
		if (L->block == '>') {
			size_t i;
			for (i = 0; i < full.len; i++)
				if (full.ptr[i] == '\n')
					full.ptr[i] = ' ';
		}
		value = scalar_new(full.ptr, full.len, 0, L->key_line, L->val_col);
	} else {
		const char *v = L->val;
		size_t vn = L->val ? L->val_len : 0;
		Pa_text_trim(&v, &vn);
		pa_buf_put(&full, v, vn);
		pa_buf_put(&full, L->cont.ptr, L->cont.len);
		while (full.len && full.ptr[full.len - 1] == '\n')
			pa_buf_truncate(&full, full.len - 1);
		if (full.len >= 2 && full.ptr[0] == '[' && full.ptr[full.len - 1] == ']')
			value = lenient_flow_list(full.ptr, full.len, L->key_line, L->val_col);
		else
			value = lenient_scalar(full.ptr, full.len, L->key_line, L->val_col);
	}
	pa_buf_release(&full);
	node_push(L->map, scalar_new(L->key, L->key_len, 1, L->key_line, 1));
	node_push(L->map, value);
	L->pairs++;
	L->key = NULL;
	L->val = NULL;
	L->block = 0;
	pa_buf_reset(&L->cont);
}

/* `|` or `>` with only a block scalar's indicators after it (digits, `+`,
 * `-`).  Counted within n: the value need not be NUL-terminated (strspn
 * read past the end of a text whose last line was `k: >8`). */
static int is_block_header(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || (v[0] != '|' && v[0] != '>'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(v[i] >= '0' && v[i] <= '9') && v[i] != '+' && v[i] != '-')
			return 0;
	return 1;
}

/* A `key: value` line at the left margin (p, n) starts a field, the key
 * ending at the first `:` that a blank or the end of the line follows. */
static pa_status start_field(lenient *L, const char *p, size_t n, long line,
                             const char *file, pa_error *err)
{
	const char *colon = NULL, *v;
	size_t i, vn;

	for (i = 0; i < n && !colon; i++)
		if (p[i] == ':' && (i + 1 == n || p[i + 1] == ' ' || p[i + 1] == '\t'))
			colon = p + i;
	if (!colon || colon == p)
		return Pa_error_set(err, PA_ERR_PARSE, file, line, 1,
		                    "cannot parse frontmatter: expected 'key: value'");
	L->key = p;
	L->key_len = (size_t)(colon - p);
	while (L->key_len && (p[L->key_len - 1] == ' ' || p[L->key_len - 1] == '\t'))
		L->key_len--;
	if (L->key_len >= 2 && (p[0] == '"' || p[0] == '\'') &&
	    p[L->key_len - 1] == p[0]) {
		L->key++;
		L->key_len -= 2;
	}
	L->key_line = line;
	L->val = colon + 1;
	while (L->val < p + n && (*L->val == ' ' || *L->val == '\t'))
		L->val++;
	L->val_col = (long)(L->val - p) + 1;
	L->val_len = (size_t)(p + n - L->val);
	v = L->val;
	vn = L->val_len;
	Pa_text_trim(&v, &vn);
	if (is_block_header(v, vn))
		L->block = v[0];
	if (!L->val_len)
		L->val = NULL;
	return PA_OK;
}

pa_status Pa_frontmatter_lenient(const char *text, size_t len,
                                 const char *file, long first_line,
                                 Pa_ynode **root, pa_error *err)
{
	lenient L;
	Pa_md_line ln;
	size_t pos = 0;
	long line = first_line;
	pa_status st = PA_OK;

	memset(&L, 0, sizeof(L));
	L.map = node_new(PA_YNODE_MAPPING, first_line, 1);
	L.cont = (pa_buf)PA_BUF_INIT;
	L.item = (pa_buf)PA_BUF_INIT;
	*root = NULL;
	for (;; line++, pos = ln.next) {
		int at_end = !Pa_md_line_at(text, len, pos, &ln);
		const char *p = at_end ? text + len : text + ln.start, *t = p;
		size_t n = at_end ? 0 : ln.end - ln.start, tn = n;
		int indented = n > 0 && (p[0] == ' ' || p[0] == '\t');

		Pa_text_trim(&t, &tn);
		if (!at_end && L.key && (indented || tn == 0)) {
			continue_field(&L, p, n, t, tn, line);
			continue;
		}
		if (L.key)
			store_field(&L);
		if (at_end)
			break;
		if (tn == 0 || t[0] == '#')
			continue;
		if (indented) {
			st = Pa_error_set(err, PA_ERR_PARSE, file, line, 1,
			                  "cannot parse frontmatter: indented line "
			                  "without a key above it");
			break;
		}
		if ((st = start_field(&L, p, n, line, file, err)) != PA_OK)
			break;
	}
	pa_buf_release(&L.cont);
	pa_buf_release(&L.item);
	/* node_push counted items; a mapping's n counts pairs. */
	L.map->n = L.pairs;
	if (st != PA_OK) {
		Pa_ynode_free(L.map);
		return st;
	}
	*root = L.map;
	return PA_OK;
}

/* Finds the block between the `---` lines: the opening one is the first
 * line that is not blank, after a byte order mark.  Returns 0 when there
 * is none, -1 when it is not closed, else 1 with *block and *close the
 * offsets of its first line and of the closing line, and fm filled. */
static int find_block(const char *text, size_t len, Pa_frontmatter *fm,
                      size_t *block, size_t *close, long *block_line)
{
	Pa_md_line ln;
	size_t pos = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	long line = 1;

	/* Blank lines before the opening fence are allowed, as gray-matter
	 * (which Claude Code uses) allows them. */
	while (Pa_md_line_at(text, len, pos, &ln)) {
		const char *t = text + ln.start;
		size_t tn = ln.end - ln.start;
		Pa_text_trim(&t, &tn);
		if (tn)
			break;
		pos = ln.next;
		line++;
	}
	if (!Pa_md_line_at(text, len, pos, &ln) ||
	    !Pa_md_is_frontmatter_fence(text + ln.start, ln.end - ln.start))
		return 0;
	fm->present = 1;
	fm->open_line = line;
	*block = pos = ln.next;
	*block_line = ++line;
	while (Pa_md_line_at(text, len, pos, &ln)) {
		if (Pa_md_is_frontmatter_fence(text + ln.start, ln.end - ln.start)) {
			*close = ln.start;
			fm->close_line = line;
			fm->body = text + ln.next;
			fm->body_len = len - ln.next;
			fm->body_line = line + 1;
			return 1;
		}
		pos = ln.next;
		line++;
	}
	return -1;
}

/* The length of the line starting at i, without its line break. */
static size_t line_len(const char *text, size_t len, size_t i)
{
	const char *nl = memchr(text + i, '\n', len - i);
	size_t n = nl ? (size_t)(nl - text) - i : len - i;

	return n > 0 && text[i + n - 1] == '\r' ? n - 1 : n;
}

/* Claude Code's rule for agent files (fixtures frontmatter-*): the text,
 * after one byte order mark, starts with `---`, then blanks holding a
 * line break; the block runs to the next `---` wherever it is, at the
 * start of a line or not (inside a value, a comment, a block scalar);
 * the body starts after it and its blanks.  Returns as find_block(). */
static int find_block_anywhere(const char *text, size_t len, Pa_frontmatter *fm,
                               size_t *block, size_t *close, long *block_line)
{
	size_t pos = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	size_t q, nl = 0, i, end;
	long line = 1;
	int any = 0;

	if (len - pos < 3 || memcmp(text + pos, "---", 3))
		return 0;
	for (q = pos + 3; q < len && strchr(" \t\r\n\f\v", text[q]) && text[q]; q++)
		if (text[q] == '\n') {
			nl = q;
			any = 1;
		}
	if (!any)
		return 0;
	fm->present = 1;
	fm->open_line = 1;
	*block = nl + 1;
	for (i = pos; i <= nl; i++)
		line += text[i] == '\n';
	*block_line = line;
	for (i = *block; i + 3 <= len; i++) {
		if (text[i] == '\n')
			line++;
		if (memcmp(text + i, "---", 3))
			continue;
		*close = i;
		fm->close_line = line;
		fm->close_inline = (i > 0 && text[i - 1] != '\n') ||
		                   !Pa_md_is_frontmatter_fence(text + i,
		                                               line_len(text, len, i));
		for (end = i + 3; end < len && text[end] && strchr(" \t\r\n\f\v", text[end]); end++)
			line += text[end] == '\n';
		fm->body = text + end;
		fm->body_len = len - end;
		fm->body_line = line;
		return 1;
	}
	return -1;
}

/* Claude Code's second try at a block strict YAML refused: a line
 * `key: value` whose value is not quoted, not a flow list, and holds one
 * of {}[]*&#!|>%@` or ": " gets the value double-quoted; leading tabs
 * become two spaces each.  A line with a CR is left as it is (its
 * pattern's `.` stops at a CR). */
static void quote_values(const char *s, size_t n, int crlf, pa_buf *out)
{
	size_t start = 0;

	while (start <= n) {
		const char *nl = memchr(s + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - s) : n;
		const char *l = s + start;
		size_t ln = end - start, k = 0, v, i;
		int quote = 0;
		pa_buf line = PA_BUF_INIT;

		while (k < ln && (isalpha((unsigned char)l[k]) || l[k] == '_' || l[k] == '-'))
			k++;
		v = k + 1;
		while (v < ln && isspace((unsigned char)l[v]))
			v++;
		if (k > 0 && k < ln && l[k] == ':' && v > k + 1 && v < ln &&
		    !crlf && !memchr(l, '\r', ln)) {
			const char *val = l + v;
			size_t vn = ln - v;
			int quoted = vn >= 2 && ((val[0] == '"' && val[vn - 1] == '"') ||
			                         (val[0] == '\'' && val[vn - 1] == '\''));
			int special = 0;
			for (i = 0; i < vn; i++)
				if ((val[i] && strchr("{}[]*&#!|>%@`", val[i])) ||
				    (val[i] == ':' && i + 1 < vn && val[i + 1] == ' '))
					special = 1;
			if (!quoted && special && val[0] == '[' && val[vn - 1] == ']') {
				Pa_ynode *root = NULL;
				if (Pa_yaml_parse(val, vn, NULL, &root, NULL) == PA_OK &&
				    root && root->type == PA_YNODE_SEQUENCE)
					special = 0;
				Pa_ynode_free(root);
			}
			quote = !quoted && special;
		}
		if (quote) {
			pa_buf_put(&line, l, k);
			pa_buf_puts(&line, ": \"");
			for (i = v; i < ln; i++) {
				if (l[i] == '\\' || l[i] == '"')
					pa_buf_putc(&line, '\\');
				pa_buf_putc(&line, l[i]);
			}
			pa_buf_putc(&line, '"');
		} else {
			pa_buf_put(&line, l, ln);
		}
		for (i = 0; i < line.len && line.ptr[i] == '\t'; i++)
			pa_buf_puts(out, "  ");
		pa_buf_put(out, line.ptr + i, line.len - i);
		pa_buf_release(&line);
		if (!nl)
			break;
		pa_buf_putc(out, '\n');
		start = end + 1;
	}
}

/* Makes each key of map appear once, with the value of its last pair
 * (of its first where fm->keep_first) and in the place of its first, as
 * the JavaScript object Claude Code reads YAML into keeps it (fixture
 * agent-fm-duplicate-keys: a second `description:` and `tools:` are
 * the ones it sends); notes the repeat
 * that comes first in the file in fm, then does the same in every key
 * and value kept.  A value replaced is not looked into: its repeats are
 * none of what is read (`hooks: {x: 1, x: 2}` then `hooks: y` was
 * warned of as x repeated, "the last value is used").  A map of the
 * keys to their pairs keeps this linear: a hostile file may have
 * 100,000 of them. */
static void drop_duplicates(Pa_ynode *node, Pa_frontmatter *fm)
{
	Pa_strset keys = PA_STRSET_INIT;
	size_t i, kept = 0;

	if (!node || node->type == PA_YNODE_SCALAR)
		return;
	if (node->type == PA_YNODE_SEQUENCE) {
		for (i = 0; i < node->n; i++)
			drop_duplicates(node->items[i], fm);
		return;
	}
	for (i = 0; i < node->n; i++) {
		Pa_ynode *k = node->items[2 * i], *v = node->items[2 * i + 1];
		size_t *first = k->type == PA_YNODE_SCALAR
		                ? Pa_strset_value(&keys, k->scalar, k->scalar_len)
		                : NULL;

		if (first && *first) {
			Pa_ynode **slot = &node->items[2 * (*first - 1) + 1];

			/* the file's order, whatever the order of the maps */
			if (fm->duplicates++ == 0 || k->line < fm->duplicate_line) {
				snprintf(fm->duplicate, sizeof(fm->duplicate), "%s",
				         k->scalar);
				fm->duplicate_line = k->line;
				fm->duplicate_first = node->items[2 * (*first - 1)]->line;
			}
			if (fm->keep_first) {
				Pa_ynode_free(v);
			} else {
				Pa_ynode_free(*slot);
				*slot = v;
			}
			Pa_ynode_free(k);
			continue;
		}
		if (first)
			*first = kept + 1;
		node->items[2 * kept] = k;
		node->items[2 * kept + 1] = v;
		kept++;
	}
	node->n = kept;
	Pa_strset_release(&keys);
	/* A key may itself be a mapping (`? ` in YAML), with keys of its
	 * own. */
	for (i = 0; i < 2 * kept; i++)
		drop_duplicates(node->items[i], fm);
}

pa_status Pa_frontmatter_parse(const char *text, size_t len, const char *file,
                               Pa_frontmatter *fm, pa_error *err)
{
	return Pa_frontmatter_parse_as(text, len, file, PA_FM_LINES, fm, err);
}

/* Parses p[0..n), the block that starts at line block_line, into
 * fm->root, which must be a mapping (anything else is freed, and is
 * PA_ERR_PARSE, said in *yerr); its lines become the file's, and keys
 * given twice keep their last value (drop_duplicates). */
static pa_status parse_mapping(const char *p, size_t n, const char *file,
                               long block_line, Pa_frontmatter *fm, pa_error *yerr)
{
	pa_status st = Pa_yaml_parse(p, n, file, &fm->root, yerr);

	if (st == PA_OK && fm->root && fm->root->type != PA_YNODE_MAPPING) {
		fm->not_mapping = 1;
		Pa_error_set(yerr, PA_ERR_PARSE, file, fm->root->line,
		             fm->root->column, "frontmatter is not a mapping of keys");
		Pa_ynode_free(fm->root);
		fm->root = NULL;
		st = PA_ERR_PARSE;
	}
	if (st == PA_OK) {
		shift_lines(fm->root, block_line - 1);
		drop_duplicates(fm->root, fm);
	}
	return st;
}

/* *err as what YAML said in *yerr, "cannot parse frontmatter: ...". */
static void yaml_failure(const pa_error *yerr, pa_error *err)
{
	const char *m = yerr->message;

	if (!err)
		return;
	if (!strncmp(m, "invalid YAML: ", 14))
		m += 14;
	*err = *yerr;
	snprintf(err->message, sizeof(err->message), "cannot parse frontmatter: %.400s", m);
}

pa_status Pa_frontmatter_parse_as(const char *text, size_t len, const char *file,
                                  Pa_fm_rule rule, Pa_frontmatter *fm,
                                  pa_error *err)
{
	return Pa_frontmatter_parse_repeat(text, len, file, rule, PA_FM_REPEAT_LAST,
	                                   fm, err);
}

pa_status Pa_frontmatter_parse_repeat(const char *text, size_t len,
                                      const char *file, Pa_fm_rule rule,
                                      Pa_fm_repeat repeat, Pa_frontmatter *fm,
                                      pa_error *err)
{
	size_t block = 0, close = 0;
	long block_line = 0;
	int found;
	pa_status st;
	pa_error yerr;

	memset(fm, 0, sizeof(*fm));
	fm->keep_first = repeat == PA_FM_REPEAT_FIRST;
	fm->body = text;
	fm->body_len = len;
	fm->body_line = 1;
	found = rule != PA_FM_LINES
	        ? find_block_anywhere(text, len, fm, &block, &close, &block_line)
	        : find_block(text, len, fm, &block, &close, &block_line);
	if (found == 0)
		return PA_OK;
	if (found < 0)
		return Pa_error_set(err, PA_ERR_PARSE, file, fm->open_line, 1,
		                    "frontmatter is not closed by a '---' line");

	st = parse_mapping(text + block, close - block, file, block_line, fm, &yerr);
	if (st == PA_OK)
		return PA_OK;
	if (st == PA_ERR_NOMEM) {
		*err = yerr;
		return st;
	}
	if (yerr.line > 0)
		yerr.line += block_line - 1;
	if (rule != PA_FM_LINES) {
		/* Claude Code quotes some values and tries once more; a block
		 * that still fails gives no fields (the agent has no name). */
		pa_buf q = PA_BUF_INIT;
		quote_values(text + block, close - block,
		             rule == PA_FM_ANYWHERE_CRLF, &q);
		st = parse_mapping(q.ptr, q.len, file, block_line, fm, NULL);
		pa_buf_release(&q);
		if (st == PA_OK) {
			fm->yaml_err = yerr;
			fm->lenient = 1;
			return PA_OK;
		}
		yaml_failure(&yerr, err);
		return st == PA_ERR_NOMEM ? st : PA_ERR_PARSE;
	}
	fm->yaml_err = yerr;
	fm->lenient = 1;
	/* A block of CR LF lines that YAML refused gives no fields: Claude
	 * Code's second try quotes no value of a line ending in CR, so a
	 * skill's or command's `description: a: b` is lost and it is listed
	 * by its body's first line (fixture agent-bom-crlf-colon). */
	if (memchr(text + block, '\r', close - block))
		return PA_OK;
	st = Pa_frontmatter_lenient(text + block, close - block, file,
	                            block_line, &fm->root, err);
	if (st != PA_OK) {
		/* Neither reader accepts it: report what YAML said, which
		 * points at the problem more precisely. */
		yaml_failure(&yerr, err);
		fm->lenient = 0;
		return PA_ERR_PARSE;
	}
	drop_duplicates(fm->root, fm);
	if (fm->root && fm->root->n == 0) {
		Pa_ynode_free(fm->root);
		fm->root = NULL;
	}
	return PA_OK;
}

void Pa_frontmatter_release(Pa_frontmatter *fm)
{
	Pa_ynode_free(fm->root);
	fm->root = NULL;
}

static void push_item(char ***list, size_t *n, const char *s, size_t len)
{
	Pa_text_trim(&s, &len);
	if (!len)
		return;
	*list = Pa_xgrow(*list, *n, sizeof(**list));
	(*list)[(*n)++] = Pa_xstrndup(s, len);
}

char **Pa_ynode_string_list(const Pa_ynode *node, size_t *n)
{
	char **list = NULL;
	size_t i;

	*n = 0;
	if (!node || Pa_ynode_is_null(node))
		return NULL;
	if (node->type == PA_YNODE_SEQUENCE) {
		for (i = 0; i < node->n; i++)
			if (node->items[i]->type == PA_YNODE_SCALAR)
				push_item(&list, n, node->items[i]->scalar,
				          node->items[i]->scalar_len);
		return list;
	}
	if (node->type == PA_YNODE_SCALAR) {
		const char *s = node->scalar, *start = s;
		int level = 0;
		for (i = 0; i <= node->scalar_len; i++) {
			char c = i < node->scalar_len ? s[i] : ',';
			if (c == '{')
				level++;
			else if (c == '}' && level > 0)
				level--;
			else if (c == ',' && level == 0) {
				push_item(&list, n, start, (size_t)(s + i - start));
				start = s + i + 1;
			}
		}
	}
	return list;
}

/* Splits s as Claude Code splits each string of a list of names: at a
 * comma or a space while no `(` is open (one `)` closes whatever is
 * open: there is no nesting), blanks before a name skipped. */
static void split_names(const char *s, size_t len, char ***list, size_t *n)
{
	size_t i, start = 0;
	int in_parens = 0;

	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : ',';

		if (c == '(')
			in_parens = 1;
		else if (c == ')')
			in_parens = 0;
		else if ((c == ',' || c == ' ') && (!in_parens || i == len)) {
			push_item(list, n, s + start, i - start);
			start = i + 1;
		}
	}
}

char **Pa_ynode_name_list(const Pa_ynode *node, size_t *n)
{
	char **list = NULL;
	size_t i;

	*n = 0;
	if (Pa_ynode_core(node) == PA_YCORE_STRING) {
		split_names(node->scalar, node->scalar_len, &list, n);
	} else if (node && node->type == PA_YNODE_SEQUENCE) {
		for (i = 0; i < node->n; i++)
			if (Pa_ynode_core(node->items[i]) == PA_YCORE_STRING)
				split_names(node->items[i]->scalar,
				            node->items[i]->scalar_len, &list, n);
	}
	return list;
}
