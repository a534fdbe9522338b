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
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the line at s (without its newline) within end. */
static size_t line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	return nl ? (size_t)(nl - s) : (size_t)(end - s);
}

/* 1 when the line is `---` with only trailing blanks. */
static int is_fence(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || memcmp(s, "---", 3) != 0)
		return 0;
	for (i = 3; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

void pa_fm_free(pa_ynode *node)
{
	size_t i, n;

	if (!node)
		return;
	/* A mapping's n counts pairs; its items hold 2n nodes. */
	n = node->type == PA_YNODE_MAPPING ? 2 * node->n : node->n;
	for (i = 0; i < n; i++)
		pa_fm_free(node->items[i]);
	free(node->items);
	free(node->scalar);
	free(node);
}

static void shift_lines(pa_ynode *node, long by)
{
	size_t i, n;

	if (!node)
		return;
	node->line += by;
	n = node->type == PA_YNODE_MAPPING ? 2 * node->n : node->n;
	for (i = 0; i < n; i++)
		shift_lines(node->items[i], by);
}

static pa_ynode *node_new(pa_ynode_type type, long line, long column)
{
	pa_ynode *n = pa_xcalloc(1, sizeof(*n));
	n->type = type;
	n->line = line;
	n->column = column;
	return n;
}

static pa_ynode *scalar_new(const char *s, size_t len, int plain, long line,
                            long column)
{
	pa_ynode *n = node_new(PA_YNODE_SCALAR, line, column);
	n->scalar = pa_xstrndup(s, len);
	n->scalar_len = len;
	n->plain = plain;
	return n;
}

static void node_push(pa_ynode *parent, pa_ynode *child)
{
	parent->items = pa_xrealloc(parent->items,
	                            (parent->n + 1) * sizeof(*parent->items));
	parent->items[parent->n++] = child;
}

/* Unquotes a value the line reader found, when it is quoted as a whole. */
static pa_ynode *lenient_scalar(const char *s, size_t n, long line, long col)
{
	pa_buf b = PA_BUF_INIT;
	pa_ynode *node;
	size_t i;

	pa_text_trim(&s, &n);
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
static pa_ynode *lenient_flow_list(const char *s, size_t n, long line, long col)
{
	pa_ynode *seq = node_new(PA_YNODE_SEQUENCE, line, col);
	const char *p = s + 1, *end = s + n - 1;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		const char *item = p;
		size_t len = (size_t)(stop - p);

		pa_text_trim(&item, &len);
		if (len)
			node_push(seq, lenient_scalar(item, len, line, col));
		p = comma ? comma + 1 : end;
	}
	return seq;
}

pa_status pa_frontmatter_lenient(const char *text, size_t len,
                                 const char *file, long first_line,
                                 pa_ynode **root, pa_error *err)
{
	const char *p = text, *end = text + len;
	long line = first_line;
	pa_ynode *map = node_new(PA_YNODE_MAPPING, first_line, 1);
	/* The field being read: its key, where its value starts, and the
	 * lines that continue it. */
	const char *key = NULL, *val = NULL;
	size_t key_len = 0;
	long key_line = 0, val_col = 0;
	pa_buf cont = PA_BUF_INIT;
	pa_ynode *list = NULL;
	char block = 0; /* '|' or '>' for a block scalar */
	size_t pairs = 0;

	*root = NULL;
	for (;;) {
		size_t n = p < end ? line_len(p, end) : 0;
		int at_end = p >= end;
		int indented = !at_end && n > 0 && (p[0] == ' ' || p[0] == '\t');
		const char *t = p;
		size_t tn = n;

		pa_text_trim(&t, &tn);
		if (!at_end && key && (indented || tn == 0)) {
			/* Continues the field being read. */
			if (tn >= 1 && t[0] == '-' && (tn == 1 || t[1] == ' ') &&
			    !list && (!val || val[0] == '\0') && cont.len == 0 && !block) {
				list = node_new(PA_YNODE_SEQUENCE, line, (long)(t - p) + 1);
			}
			if (list) {
				if (tn >= 1 && t[0] == '-' && (tn == 1 || t[1] == ' ')) {
					const char *it = t + 1;
					size_t in = tn - 1;
					pa_text_trim(&it, &in);
					node_push(list, lenient_scalar(it, in, line,
					                               (long)(it - p) + 1));
				} else if (tn > 0 && list->n > 0) {
					/* A list item continued on the next line. */
					pa_ynode *last = list->items[list->n - 1];
					pa_buf b = PA_BUF_INIT;
					pa_buf_put(&b, last->scalar, last->scalar_len);
					pa_buf_putc(&b, ' ');
					pa_buf_put(&b, t, tn);
					free(last->scalar);
					last->scalar_len = b.len;
					last->scalar = pa_buf_detach(&b, NULL);
				}
			} else if (block == '|') {
				/* Keep the text after the block's indentation. */
				size_t ind = 0;
				while (ind < n && ind < 2 && p[ind] == ' ')
					ind++;
				if (cont.len)
					pa_buf_putc(&cont, '\n');
				pa_buf_put(&cont, p + (tn ? ind : n), tn ? n - ind : 0);
			} else if (tn == 0) {
				if (cont.len || (val && *val))
					pa_buf_putc(&cont, '\n');
			} else {
				if (cont.len && cont.ptr[cont.len - 1] != '\n')
					pa_buf_putc(&cont, ' ');
				else if (!cont.len && val && *val)
					pa_buf_putc(&cont, ' ');
				pa_buf_put(&cont, t, tn);
			}
			line++;
			p += n + (p + n < end);
			continue;
		}
		if (key) {
			/* The field ends here: store it. */
			pa_ynode *value;
			pa_buf full = PA_BUF_INIT;

			if (list) {
				value = list;
				list = NULL;
			} else {
				size_t vn = val ? line_len(val, end) : 0;
				if (block) {
					vn = 0;
					pa_buf_put(&full, cont.ptr, cont.len);
					while (full.len && full.ptr[full.len - 1] == '\n')
						pa_buf_truncate(&full, full.len - 1);
					if (block == '>') {
						size_t i;
						for (i = 0; i < full.len; i++)
							if (full.ptr[i] == '\n')
								full.ptr[i] = ' ';
					}
					value = scalar_new(full.ptr, full.len, 0, key_line,
					                   val_col);
				} else {
					const char *v = val;
					pa_text_trim(&v, &vn);
					pa_buf_put(&full, v, vn);
					pa_buf_put(&full, cont.ptr, cont.len);
					while (full.len && full.ptr[full.len - 1] == '\n')
						pa_buf_truncate(&full, full.len - 1);
					if (full.len >= 2 && full.ptr[0] == '[' &&
					    full.ptr[full.len - 1] == ']')
						value = lenient_flow_list(full.ptr, full.len,
						                          key_line, val_col);
					else
						value = lenient_scalar(full.ptr, full.len,
						                       key_line, val_col);
				}
			}
			pa_buf_release(&full);
			node_push(map, scalar_new(key, key_len, 1, key_line, 1));
			node_push(map, value);
			pairs++;
			key = NULL;
			val = NULL;
			block = 0;
			pa_buf_reset(&cont);
		}
		if (at_end)
			break;
		if (tn == 0 || t[0] == '#') {
			line++;
			p += n + (p + n < end);
			continue;
		}
		if (indented) {
			pa_buf_release(&cont);
			map->n = pairs;
			pa_fm_free(map);
			return pa_error_set(err, PA_ERR_PARSE, file, line, 1,
			                    "cannot parse frontmatter: indented line "
			                    "without a key above it");
		}
		{
			/* key: value, the key ending at the first `:` that is
			 * followed by a blank or the end of the line. */
			size_t i;
			const char *colon = NULL;

			for (i = 0; i < n; i++) {
				if (p[i] == ':' && (i + 1 == n || p[i + 1] == ' ' ||
				                    p[i + 1] == '\t')) {
					colon = p + i;
					break;
				}
			}
			if (!colon || colon == p) {
				pa_buf_release(&cont);
				map->n = pairs;
				pa_fm_free(map);
				return pa_error_set(err, PA_ERR_PARSE, file, line, 1,
				                    "cannot parse frontmatter: expected "
				                    "'key: value'");
			}
			key = p;
			key_len = (size_t)(colon - p);
			while (key_len && (key[key_len - 1] == ' ' || key[key_len - 1] == '\t'))
				key_len--;
			if (key_len >= 2 && (key[0] == '"' || key[0] == '\'') &&
			    key[key_len - 1] == key[0]) {
				key++;
				key_len -= 2;
			}
			key_line = line;
			val = colon + 1;
			while (val < p + n && (*val == ' ' || *val == '\t'))
				val++;
			val_col = (long)(val - p) + 1;
			{
				const char *v = val;
				size_t vn = (size_t)(p + n - val);
				pa_text_trim(&v, &vn);
				if (vn >= 1 && (v[0] == '|' || v[0] == '>') &&
				    (vn == 1 || strspn(v + 1, "+-0123456789") >= vn - 1))
					block = v[0];
			}
			if (val >= p + n)
				val = NULL;
		}
		line++;
		p += n + (p + n < end);
	}
	pa_buf_release(&cont);
	/* node_push counted items; a mapping's n counts pairs. */
	map->n = pairs;
	*root = map;
	return PA_OK;
}

pa_status pa_frontmatter_parse(const char *text, size_t len, const char *file,
                               pa_frontmatter *fm, pa_error *err)
{
	const char *p = text, *end = text + len, *block, *close = NULL;
	long line = 1, block_line;
	size_t n;
	pa_status st;
	pa_error yerr;

	memset(fm, 0, sizeof(*fm));
	fm->body = text;
	fm->body_len = len;
	fm->body_line = 1;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3; /* a byte order mark */
	/* Blank lines before the opening fence are allowed, as gray-matter
	 * (which Claude Code uses) allows them. */
	while (p < end) {
		const char *t = p;
		size_t tn;
		n = line_len(p, end);
		tn = n;
		pa_text_trim(&t, &tn);
		if (tn)
			break;
		p += n + (p + n < end);
		line++;
	}
	n = p < end ? line_len(p, end) : 0;
	if (p >= end || !is_fence(p, n))
		return PA_OK;
	fm->present = 1;
	fm->open_line = line;
	block = p + n + (p + n < end);
	block_line = line + 1;
	p = block;
	line = block_line;
	while (p < end) {
		n = line_len(p, end);
		if (is_fence(p, n)) {
			close = p;
			break;
		}
		p += n + (p + n < end);
		line++;
	}
	if (!close)
		return pa_error_set(err, PA_ERR_PARSE, file, fm->open_line, 1,
		                    "frontmatter is not closed by a '---' line");
	fm->body = close + n + (close + n < end);
	fm->body_len = (size_t)(end - fm->body);
	fm->body_line = line + 1;

	st = pa_yaml_parse(block, (size_t)(close - block), file, &fm->root, &yerr);
	if (st == PA_OK && fm->root && fm->root->type != PA_YNODE_MAPPING) {
		pa_error_set(&yerr, PA_ERR_PARSE, file, fm->root->line,
		             fm->root->column, "frontmatter is not a mapping of keys");
		pa_fm_free(fm->root);
		fm->root = NULL;
		st = PA_ERR_PARSE;
	}
	if (st == PA_OK) {
		shift_lines(fm->root, block_line - 1);
		return PA_OK;
	}
	if (st == PA_ERR_NOMEM) {
		*err = yerr;
		return st;
	}
	if (yerr.line > 0)
		yerr.line += block_line - 1;
	fm->yaml_err = yerr;
	fm->lenient = 1;
	st = pa_frontmatter_lenient(block, (size_t)(close - block), file,
	                            block_line, &fm->root, err);
	if (st != PA_OK) {
		/* Neither reader accepts it: report what YAML said, which
		 * points at the problem more precisely. */
		if (err) {
			const char *m = yerr.message;
			if (!strncmp(m, "invalid YAML: ", 14))
				m += 14;
			*err = yerr;
			snprintf(err->message, sizeof(err->message),
			         "cannot parse frontmatter: %.400s", m);
		}
		fm->lenient = 0;
		return PA_ERR_PARSE;
	}
	if (fm->root && fm->root->n == 0) {
		pa_fm_free(fm->root);
		fm->root = NULL;
	}
	return PA_OK;
}

void pa_frontmatter_release(pa_frontmatter *fm)
{
	pa_fm_free(fm->root);
	fm->root = NULL;
}

static void push_item(char ***list, size_t *n, const char *s, size_t len)
{
	pa_text_trim(&s, &len);
	if (!len)
		return;
	*list = pa_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = pa_xstrndup(s, len);
}

char **pa_ynode_string_list(const pa_ynode *node, size_t *n)
{
	char **list = NULL;
	size_t i;

	*n = 0;
	if (!node || pa_ynode_is_null(node))
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
