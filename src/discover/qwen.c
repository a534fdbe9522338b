/*
 * qwen.c - the Qwen Code backend (backend.h): its row, and what Qwen Code
 * (@qwen-code/qwen-code) 0.24.4 reads for a working directory (measured:
 * tests/oracle-harness/fixtures/qwen-*.txt, docs/harnesses.md):
 *
 *   - its directory: $QWEN_HOME, else ~/.qwen; its settings.json, then
 *     the working directory's .qwen/settings.json (in a trusted folder),
 *     then $QWEN_CODE_SYSTEM_SETTINGS_PATH (qwen-system-settings.txt);
 *     the last wins: `context.fileName` (a name or a list: the names,
 *     qwen-names.txt, qwen-project-names.txt), `context.importFormat`
 *     ("flat": qwen-import-flat.txt), `model.name`, else $OPENAI_MODEL;
 *     $QWEN_CODE_TOOL_CALL_STYLE: the examples of tool calls its own
 *     text holds (qwen-tool-call-style-*.txt);
 *     `security.folderTrust.enabled` of the user's settings;
 *   - the names (QWEN.md, then AGENTS.md), each walked in full before the
 *     next (qwen-order.txt): the file in its directory, then from the top
 *     of the walk down to the working directory.  The walk starts at the
 *     parent of the project root (the nearest .git, a directory or a
 *     file: qwen-gitfile.txt), else at the parent of home (qwen-no-git.txt);
 *     started in home it reads home's own file alone (qwen-home-cwd.txt);
 *   - .qwen/QWEN.local.md of the root, then the rules: every .md under
 *     its directory's rules/ and the root's .qwen/rules/ (sorted, the
 *     user's first), front matter and HTML comments removed (wherever
 *     they are, then trimmed: qwen-rule-comment.txt), those whose
 *     front matter names `paths:` not sent at the start
 *     (qwen-local-rules.txt);
 *   - a file reached twice (QWEN.md a link to AGENTS.md) is sent once, in
 *     its first place (qwen-links.txt);
 *   - `@path` at the start or after white space, the path starting with
 *     `.`, `/` or a letter, outside code, is replaced in place by the
 *     file (qwen-imports.txt), five levels deep, a cycle stopped, a file
 *     imported twice sent twice (qwen-import-depth.txt); a path outside
 *     the project root (the importing file's directory, for a file out of
 *     the repository) is refused, as Qwen Code refuses it; a missing one
 *     stays as written;
 *   - with folder trust on (security.folderTrust.enabled), the folder is
 *     taken as not trusted (promptasm does not read trustedFolders.json):
 *     its directory's files and rules alone (qwen-trust.txt); as trusted
 *     under f->trust (the user's --trust).
 *
 * All of it in the system message, each file framed and trimmed (a byte
 * order mark and the blank lines around it left out, qwen-crlf-bom.txt),
 * no cap.  A file above the repository is held to its own directory by
 * the link rule (harness_read.c), as Claude Code's ancestors' files are.
 */
#define _POSIX_C_SOURCE 200809L
#include "services.h"
#include "util/util.h"
#include "base/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QWEN_IMPORT_MAX_DEPTH 5

/* A byte order mark and the comments are taken out
 * (strip-json-comments), the rest must be strict JSON
 * (settings-comments.txt, settings-bom.txt, qwen-settings-user.txt): it
 * stops at a user's or system settings file that does not parse, a
 * trailing comma included (qwen-settings-user-comma.txt); one it cannot
 * read is taken as absent. */
static const Pa_cfg_rule user_rule = {
	"settings.json", "Qwen Code", 1 * PA_CFG_MiB, 1, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_REFUSE, PA_CFG_JSON_COMMENTS
};
/* The project's that does not parse it takes as empty, and goes on
 * (it writes `{}` over it, a copy kept as settings.json.corrupted:
 * settings-comma.txt). */
static const Pa_cfg_rule project_rule = {
	"settings.json", "Qwen Code", 1 * PA_CFG_MiB, 1, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_WARN, PA_CFG_JSON_COMMENTS
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);
static void compose(hx_found *f);

/* Its names when context.fileName gives none. */
static const char *const files[] = { "QWEN.md", "AGENTS.md", NULL };
static const char *const others[] = { "CLAUDE.md", "GEMINI.md", NULL };

typedef struct qwen_conf {
	int flat;    /* context.importFormat "flat" */
	int trusted; /* not under folder trust */
	int load_incl;  /* context.loadFromIncludeDirectories */
	char **incl;    /* context.includeDirectories, absolute */
	int *incl_user; /* from the user's settings */
	size_t nincl;
} qwen_conf;

/* One settings.json: the user's (in Qwen's directory; user set) or the
 * project's. */
static pa_status read_settings_at(hx_found *f, char *p, int user,
                                  qwen_conf *c, pa_error *err);

static pa_status read_settings(hx_found *f, const char *dir, int user,
                               qwen_conf *c, pa_error *err)
{
	return read_settings_at(f, Pa_path_join(dir, "settings.json"), user, c, err);
}

/* The settings file p (taken: freed here). */
static pa_status read_settings_at(hx_found *f, char *p, int user,
                                  qwen_conf *c, pa_error *err)
{
	Pa_cfg_json j;
	const Pa_jnode *root;
	char *shown;
	pa_status st;

	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, user ? &user_rule : &project_rule, p, shown, &j, err);
	if (st == PA_OK) /* the project's too (settings-array.txt) */
		st = Pa_cfg_json_need_object(&j, shown, err);
	root = st == PA_OK ? j.root : NULL;
	if (root) {
		const Pa_jnode *ctx = Pa_jnode_get(root, "context");
		const Pa_jnode *fn = Pa_jnode_get(ctx, "fileName");
		const Pa_jnode *fmt = Pa_jnode_get(ctx, "importFormat");
		const Pa_jnode *load = Pa_jnode_get(ctx, "loadFromIncludeDirectories");
		const Pa_jnode *m = Pa_jnode_get(Pa_jnode_get(root, "model"), "name");
		const Pa_jnode *trust = Pa_jnode_get(Pa_jnode_get(Pa_jnode_get(
			root, "security"), "folderTrust"), "enabled");

		pa_free(f->config);
		f->config = Pa_xstrdup(shown);
		Pa_hx_set_names_json(f, fn);
		if (fmt && fmt->type == PA_JSON_STRING)
			c->flat = !strcmp(fmt->text, "flat");
		if (load && (load->type == PA_JSON_TRUE || load->type == PA_JSON_FALSE))
			c->load_incl = load->type == PA_JSON_TRUE;
		Pa_hx_dirs_json(f, Pa_jnode_get(ctx, "includeDirectories"), user,
		                &c->incl, &c->incl_user, &c->nincl);
		if (Pa_hx_model_usable(f, m, shown) && *m->text) {
			pa_free(f->model);
			f->model = Pa_xstrdup(m->text);
			f->model_from = "settings.json";
		}
		/* a folder the user trusts (--trust, or trust: true in the
		 * user's own config) is trusted under folder trust too, as
		 * Qwen Code takes one listed in trustedFolders.json */
		if (user && !f->trust && trust && (trust->type == PA_JSON_TRUE ||
		                                   trust->type == PA_JSON_FALSE))
			c->trusted = trust->type == PA_JSON_FALSE;
	}
	Pa_cfg_json_release(&j);
	pa_free(shown);
	pa_free(p);
	return st;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- the files ---- */

/* dir/name, a file Qwen Code frames, unless one of the same real path is
 * already there; its imports after it. */
static void add_top(hx_found *f, const char *dir, const char *name, int global,
                    const qwen_conf *c, pa_warnings *warn)
{
	const char *confine;
	hx_file *x;
	size_t xi;

	if (Pa_hx_find_real(f, dir, name))
		return;
	if (global && f->home && Pa_path_under(dir, f->home))
		x = Pa_hx_add_file(f, dir, name, 1, warn);
	else if (global || !f->in_repo || !Pa_path_under(dir, f->root))
		x = Pa_hx_add_file_held(f, dir, name, dir, warn);
	else
		x = Pa_hx_add_file(f, dir, name, 0, warn);
	if (!x)
		return;
	x->global = global;
	x->in = HX_IN_SYSTEM;
	x->trim = 1;
	xi = (size_t)(x - f->files);
	/* Imports resolve against the nearest .git above the file: the
	 * repository's root for its files, else the file's own directory
	 * (promptasm refuses a repository further up) */
	confine = f->in_repo && !global && Pa_path_under(dir, f->root) ? f->root : dir;
	{
		/* Qwen's imports (harness_import.c): the importing file is in
		 * the chain, a missing file's @path stays, a file met less
		 * deep in the flat format is taken again */
		hx_import_opts o = { confine, c->flat, QWEN_IMPORT_MAX_DEPTH, 1, 0, 0, 1, 0 };

		Pa_hx_imports(f, xi, &o, warn);
	}
}

/* Passes of comment removal over one rule at most: Qwen Code removes
 * `<!--...-->` again until nothing changes, which a file of nested
 * openings makes run long (a limit of promptasm's). */
#define QWEN_COMMENT_MAX_PASSES 64

/* A rule as Qwen Code sends it (parseRuleFile()): from `from` on (past
 * the front matter), stripHtmlComments(): every `<!--` up to the next
 * `-->`, again until no more is found, then every `<!--` left; then
 * trim().  Each run of bytes taken out is one span of x (in order), its
 * bytes in x->replaced, so that the text as sent is the text the model
 * reads (a rule that opens with a comment: qwen-rule-comment.txt).
 * Returns 0 past QWEN_COMMENT_MAX_PASSES. */
static int comment_spans(hx_file *x, size_t from)
{
	const char *s = x->text.ptr;
	size_t n = x->text.len, i;
	unsigned char *out = Pa_xcalloc(n ? n : 1, 1);
	int pass, changed = 1;

	for (pass = 0; changed && pass < QWEN_COMMENT_MAX_PASSES; pass++) {
		/* the kept bytes in order: the text as this pass sees it */
		size_t m[4] = { 0, 0, 0, 0 }, open = 0, have = 0;
		int in = 0;

		changed = 0;
		for (i = from; i < n; i++) {
			if (out[i])
				continue;
			m[0] = m[1], m[1] = m[2], m[2] = m[3], m[3] = i;
			if (have < 4)
				have++;
			if (!in && have >= 4 && s[m[0]] == '<' && s[m[1]] == '!' &&
			    s[m[2]] == '-' && s[m[3]] == '-') {
				in = 1, open = m[0], have = 0;
			} else if (in && have >= 3 && s[m[1]] == '-' && s[m[2]] == '-' &&
			           s[m[3]] == '>') {
				size_t k;

				for (k = open; k <= i; k++)
					out[k] = 1;
				in = 0, have = 0, changed = 1;
			}
		}
	}
	if (changed) {
		pa_free(out);
		return 0;
	}
	/* an opening left without its end */
	{
		size_t m[4] = { 0, 0, 0, 0 }, have = 0;

		for (i = from; i < n; i++) {
			if (out[i])
				continue;
			m[0] = m[1], m[1] = m[2], m[2] = m[3], m[3] = i;
			if (++have >= 4 && s[m[0]] == '<' && s[m[1]] == '!' &&
			    s[m[2]] == '-' && s[m[3]] == '-') {
				out[m[0]] = out[m[1]] = out[m[2]] = out[m[3]] = 1;
				have = 0;
			}
		}
	}
	/* then trimmed, as JavaScript's trim() (a byte order mark too) */
	for (i = from; i < n; i++) {
		if (out[i])
			continue;
		if (i + 3 <= n && !memcmp(s + i, "\xef\xbb\xbf", 3) && !out[i + 1] &&
		    !out[i + 2])
			out[i] = out[i + 1] = out[i + 2] = 1;
		else if (is_space(s[i]) || s[i] == '\v' || s[i] == '\f')
			out[i] = 1;
		else
			break;
	}
	for (i = n; i > from; i--) {
		if (out[i - 1])
			continue;
		if (is_space(s[i - 1]) || s[i - 1] == '\v' || s[i - 1] == '\f')
			out[i - 1] = 1;
		else
			break;
	}
	for (i = from; i < n; i++) {
		size_t at = i;

		if (!out[i])
			continue;
		while (i < n && out[i])
			i++;
		x->spans = Pa_xrealloc(x->spans, (x->nspans + 1) * sizeof(*x->spans));
		x->spans[x->nspans].at = at;
		x->spans[x->nspans].len = i - at;
		x->spans[x->nspans++].file = 0;
		x->replaced += i - at;
	}
	pa_free(out);
	return 1;
}

/* ---- front matter, as Qwen Code reads it ---- */

/* What JavaScript's Number(s) makes of s (its parseValue's test): a
 * decimal, with a sign, a fraction or an exponent, or 0x, 0o, 0b
 * digits; 1 with the value in *v when it is a finite number. */
static int js_number(const char *s, double *v)
{
	const char *p = s;
	char *end;
	int base = 0;

	if (p[0] == '0' && p[1] && strchr("xXoObB", p[1]))
		base = strchr("xX", p[1]) ? 16 : strchr("oO", p[1]) ? 8 : 2;
	if (base) {
		size_t k;

		if (!p[2])
			return 0;
		*v = 0;
		for (k = 2; p[k]; k++) {
			int d = p[k] >= '0' && p[k] <= '9' ? p[k] - '0'
			        : p[k] >= 'a' && p[k] <= 'f' ? p[k] - 'a' + 10
			        : p[k] >= 'A' && p[k] <= 'F' ? p[k] - 'A' + 10 : 99;
			if (d >= base)
				return 0;
			*v = *v * base + d;
		}
		return *v - *v == 0; /* not Infinity */
	}
	p += *p == '+' || *p == '-';
	if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
		return 0;
	*v = strtod(s, &end);
	return *end == '\0' && *v - *v == 0;
}

/* String(v) of a number v, as JavaScript writes it: an integer below
 * 1e21 in full, else the shortest digits that read back as v (its
 * exponent written as JavaScript writes it only roughly: `1e-7`). */
static void js_number_text(double v, pa_buf *out)
{
	char t[64];
	int prec;

	/* every double from 2^53 up is a whole number; below it, the cast
	 * is in range */
	if (v < 1e21 && v > -1e21 &&
	    ((v < 0 ? -v : v) >= 9007199254740992.0 || v == (double)(long long)v)) {
		pa_buf_printf(out, "%.0f", v == 0 ? 0.0 : v);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, v);
		if (strtod(t, NULL) == v)
			break;
	}
	pa_buf_puts(out, t);
}

/* A value as Qwen Code's yaml-parser holds it: none (a key absent, or
 * null, which it strips), or a string, a list (truthy: how many items
 * String() makes more than "" of), or another kind (a number, a
 * boolean, an object); text: what String() writes of it. */
enum { QV_STRING, QV_LIST, QV_OTHER };
typedef struct qval {
	int set, kind;
	size_t truthy;
	pa_buf text;
} qval;

static void qval_set(qval *q, int kind, const char *s, size_t n, size_t truthy)
{
	q->set = 1;
	q->kind = kind;
	q->truthy = truthy;
	pa_buf_reset(&q->text);
	pa_buf_put(&q->text, s, n);
}

/* What its simple reader's parseValue makes of the value s (trimmed):
 * true, false, null, a "quoted" string (\" and \\ undone), a number,
 * else the text as it is. */
static void simple_value(const char *s, size_t n, qval *q)
{
	char *z = Pa_xstrndup(s, n);
	double v;
	size_t i;

	pa_buf_reset(&q->text);
	q->set = strcmp(z, "null") != 0;
	q->kind = QV_STRING;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		for (i = 1; i + 1 < n; i++) {
			if (s[i] == '\\' && i + 2 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
				i++;
			pa_buf_putc(&q->text, s[i]);
		}
	} else if (q->set && (!strcmp(z, "true") || !strcmp(z, "false"))) {
		q->kind = QV_OTHER;
		pa_buf_put(&q->text, s, n);
	} else if (q->set && n && js_number(z, &v)) {
		q->kind = QV_OTHER;
		js_number_text(v, &q->text);
	} else if (q->set) {
		pa_buf_put(&q->text, s, n);
	}
	pa_free(z);
}

static int qkey(const char *const *keys, size_t nkeys, const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < nkeys; k++)
		if (strlen(keys[k]) == n && !memcmp(keys[k], s, n))
			return (int)k;
	return -1;
}

/* Qwen Code's second reader (its yaml-parser's parseSimple), for front
 * matter its yaml package refuses or reads as no mapping: lines not
 * blank nor comments; `key: value` sets key (the last one wins), a
 * line's key is all before its first colon, trimmed (an indented
 * `  name: x` under no key sets name); `key:` with `  - item` lines
 * under it a list, with indented lines an object.  Only keys[k] are
 * kept, in q[k]. */
static void qwen_simple(const char *b, size_t n, const char *const *keys,
                        size_t nkeys, qval *q)
{
	const char *p = b, *end = b + n;
	char *cur = NULL, *obj = NULL;
	pa_buf list = PA_BUF_INIT;
	size_t truthy = 0;
	int in_list = 0, in_obj = 0, k;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *t = p, *colon;
		size_t ln = (size_t)(le - p), tn = ln;

		Pa_text_trim(&t, &tn);
		p = nl ? nl + 1 : end;
		if (!tn || t[0] == '#')
			continue;
		if (ln >= 4 && !memcmp(le - ln, "  - ", 4)) {
			const char *it = le - ln + 4;
			size_t in = ln - 4;
			qval iv = { 0, 0, 0, PA_BUF_INIT };

			Pa_text_trim(&it, &in);
			simple_value(it, in, &iv);
			if (!in_list) {
				pa_buf_reset(&list);
				truthy = 0;
			}
			/* String() of a list: its items joined by commas, a
			 * null one left out */
			if (iv.set) {
				if (in_list && list.len)
					pa_buf_putc(&list, ',');
				pa_buf_put(&list, iv.text.ptr, iv.text.len);
				truthy += iv.text.len > 0;
			}
			in_list = 1;
			pa_buf_release(&iv.text);
			continue;
		}
		if (in_list) {
			if (cur && (k = qkey(keys, nkeys, cur, strlen(cur))) >= 0)
				qval_set(&q[k], QV_LIST, list.ptr, list.len, truthy);
			in_list = 0;
			pa_free(cur);
			cur = NULL;
		}
		if (in_obj && ln >= 2 && !memcmp(le - ln, "  ", 2))
			continue;
		if (in_obj) {
			if ((k = qkey(keys, nkeys, obj, strlen(obj))) >= 0)
				qval_set(&q[k], QV_OTHER, "[object Object]", 15, 0);
			in_obj = 0;
			pa_free(obj);
			obj = NULL;
		}
		colon = memchr(le - ln, ':', ln);
		if (colon) {
			const char *key = le - ln, *v = colon + 1;
			size_t kn = (size_t)(colon - key), vn = (size_t)(le - v);

			Pa_text_trim(&key, &kn);
			Pa_text_trim(&v, &vn);
			if (!vn) {
				const char *n2 = p, *n2e;

				pa_free(cur);
				cur = Pa_xstrndup(key, kn);
				/* the next line that is not blank nor a comment */
				while (n2 < end) {
					const char *t2;
					size_t t2n;

					n2e = memchr(n2, '\n', (size_t)(end - n2));
					n2e = n2e ? n2e : end;
					t2 = n2;
					t2n = (size_t)(n2e - n2);
					Pa_text_trim(&t2, &t2n);
					if (t2n && t2[0] != '#')
						break;
					n2 = n2e < end ? n2e + 1 : end;
				}
				if (n2 < end && (size_t)(end - n2) >= 2 && !memcmp(n2, "  ", 2) &&
				    !((size_t)(end - n2) >= 4 && !memcmp(n2, "  - ", 4))) {
					in_obj = 1;
					pa_free(obj);
					obj = cur;
					cur = NULL;
				}
			} else if ((k = qkey(keys, nkeys, key, kn)) >= 0) {
				simple_value(v, vn, &q[k]);
			}
		}
	}
	if (in_list && cur && (k = qkey(keys, nkeys, cur, strlen(cur))) >= 0)
		qval_set(&q[k], QV_LIST, list.ptr, list.len, truthy);
	if (in_obj && (k = qkey(keys, nkeys, obj, strlen(obj))) >= 0)
		qval_set(&q[k], QV_OTHER, "[object Object]", 15, 0);
	pa_free(cur);
	pa_free(obj);
	pa_buf_release(&list);
}

/* A value of the mapping its yaml package read. */
static void yaml_value(const Pa_ynode *v, qval *q)
{
	size_t i;
	double d;

	q->set = 0;
	q->kind = QV_OTHER;
	q->truthy = 0;
	pa_buf_reset(&q->text);
	if (!v || Pa_ynode_core(v) == PA_YCORE_NULL)
		return;
	q->set = 1;
	if (v->type == PA_YNODE_MAPPING) {
		pa_buf_puts(&q->text, "[object Object]");
	} else if (v->type == PA_YNODE_SEQUENCE) {
		q->kind = QV_LIST;
		for (i = 0; i < v->n; i++) {
			qval item = { 0, 0, 0, PA_BUF_INIT };

			yaml_value(v->items[i], &item);
			if (item.set) {
				if (q->text.len)
					pa_buf_putc(&q->text, ',');
				pa_buf_put(&q->text, item.text.ptr, item.text.len);
				q->truthy += item.text.len > 0;
			}
			pa_buf_release(&item.text);
		}
	} else if (Pa_ynode_core(v) == PA_YCORE_BOOL) {
		pa_buf_puts(&q->text, strchr("tT", v->scalar[0]) ? "true" : "false");
	} else if (Pa_ynode_core(v) == PA_YCORE_INT && js_number(v->scalar, &d)) {
		js_number_text(d, &q->text);
	} else {
		/* a string, or a float as written (`1.50` is 1.5 to it) */
		if (Pa_ynode_core(v) == PA_YCORE_STRING)
			q->kind = QV_STRING;
		pa_buf_put(&q->text, v->scalar, v->scalar_len);
	}
}

/* The fields keys[k] of x's front matter, into q[k], as Qwen Code reads
 * them (its skill-manager.js, rules.js and yaml-parser.js): line ends
 * made LF, a byte order mark dropped, the text starting with `---` and
 * its front matter up to the next `---` line; the mapping its yaml
 * package reads, else (a key twice, a second document, a list, a
 * scalar) its simple reader's.  0: no front matter. */
static int qwen_fields(const hx_file *x, const char *const *keys, size_t nkeys,
                       qval *q)
{
	pa_buf t = PA_BUF_INIT;
	const char *s = x->text.ptr, *b, *e = NULL;
	size_t n = x->text.len, i, body;
	Pa_ynode *tree = NULL;

	if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3, n -= 3;
	for (i = 0; i < n; i++) {
		pa_buf_putc(&t, s[i] == '\r' ? '\n' : s[i]);
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
	}
	if (t.len >= 4 && !memcmp(t.ptr, "---\n", 4)) {
		b = t.ptr + 3;
		for (e = b; (e = memchr(e, '\n', (size_t)(t.ptr + t.len - e))) != NULL; e++)
			if (e > b && (size_t)(t.ptr + t.len - e) >= 4 && !memcmp(e, "\n---", 4) &&
			    (e + 4 == t.ptr + t.len || e[4] == '\n'))
				break;
	}
	if (!e) {
		pa_buf_release(&t);
		return 0;
	}
	b = t.ptr + 4;
	if (Pa_hx_skill_yaml(x, &tree, &body) == HX_YAML_MAPPING) {
		for (i = 0; i < nkeys; i++)
			yaml_value(Pa_ynode_get(tree, keys[i]), &q[i]);
	} else {
		qwen_simple(b, e > b ? (size_t)(e - b) : 0, keys, nkeys, q);
	}
	Pa_ynode_free(tree);
	pa_buf_release(&t);
	return 1;
}

/* 1 when a rule of .qwen/rules waits for a file its `paths:` names (its
 * rules.js; qwen-rules-paths-yaml.txt): a list with an item that is not
 * "", or a string that is not ""; `paths:`, `""`, `[]`, `42` are none,
 * and the rule is sent. */
static int qwen_rule_conditional(const hx_file *x)
{
	static const char *const keys[1] = { "paths" };
	qval q[1] = { { 0, 0, 0, PA_BUF_INIT } };
	int cond = qwen_fields(x, keys, 1, q) && q[0].set &&
	           ((q[0].kind == QV_LIST && q[0].truthy) ||
	            (q[0].kind == QV_STRING && q[0].text.len));

	pa_buf_release(&q[0].text);
	return cond;
}

/* The rules of one directory: every .md under it, sorted; a rule whose
 * front matter names `paths:` is injected later, when a file matches,
 * so not sent at the start.  Qwen Code follows no link in the walk. */
static void add_rules(hx_found *f, const char *rules, const char *confine,
                      int global, pa_warnings *warn)
{
	Pa_places pl;
	char **md = NULL;
	size_t n = 0, k;

	memset(&pl, 0, sizeof(pl));
	pl.root = f->root;
	pl.cwd = f->cwd;
	pl.home = f->home;
	Pa_find_md_files(rules, confine, &pl, warn, &md, &n);
	for (k = 0; k < n; k++) {
		char *full = md[k][0] == '/' ? Pa_xstrdup(md[k]) : Pa_path_join(rules, md[k]);
		char *d = Pa_path_dirname(full);
		char *b = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
		hx_file *x;

		if (Pa_hx_exists(d, b) && !Pa_hx_find_real(f, d, b) &&
		    (x = global ? Pa_hx_add_file(f, d, b, 1, warn)
		                : Pa_hx_add_file_held(f, d, b, confine, warn)) != NULL) {
			Pa_frontmatter fm;
			pa_error e;
			int conditional = 0;
			const char *s = x->text.ptr;
			size_t len = x->text.len, skip = 0;

			x->global = global;
			x->in = HX_IN_SYSTEM;
			x->trim = 1;
			if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
				skip = 3;
			memset(&e, 0, sizeof(e));
			if (x->read) {
				/* the block is left out whatever YAML makes of it */
				(void)Pa_frontmatter_parse_as(s + skip, len - skip, x->shown,
				                              PA_FM_LINES, &fm, &e);
				if (fm.present)
					skip = (size_t)(fm.body - s);
				Pa_frontmatter_release(&fm);
				conditional = qwen_rule_conditional(x);
			}
			if (conditional) {
				Pa_hx_drop_last(f);
			} else {
				x->skip = skip;
				x->trim = 0; /* trimmed here, past the comments */
				if (!comment_spans(x, skip)) {
					char *shown = Pa_path_display(full, f->root, f->home);

					Pa_hx_drop_last(f);
					Pa_hx_add_refused(f, full, shown, "more than "
					                  "QWEN_COMMENT_MAX_PASSES (64) passes of "
					                  "HTML comment removal (a limit of "
					                  "promptasm's)", warn);
					pa_free(shown);
				}
			}
		}
		pa_free(full);
		pa_free(d);
		pa_free(b);
	}
	Pa_strings_free(md, n);
}

/* The files of one start directory (the working directory, an included
 * one), name by name: the global file, then from the top of the walk
 * (stop) down to start; started in home, home's own file alone. */
static void walk_start(hx_found *f, const char *start, const char *stop,
                       const char *qdir, const char *dotqwen,
                       const qwen_conf *c, pa_warnings *warn)
{
	size_t k;

	for (k = 0; k < f->n_names; k++) {
		const char *name = f->names[k];
		char **dirs = NULL, *dir;
		size_t n = 0, i;

		if (qdir && !f->no_user)
			add_top(f, qdir, name, 1, c, warn);
		if (f->home && !strcmp(start, f->home)) {
			/* started in home: home's own file alone */
			if (!qdir || strcmp(qdir, f->home))
				add_top(f, f->home, name, 0, c, warn);
			continue;
		}
		if (!c->trusted)
			continue;
		dir = Pa_xstrdup(start);
		while (strcmp(dir, "/") && n <= PA_WALK_MAX_DEPTH) {
			char *up;

			if ((qdir && !strcmp(dir, qdir)) || (dotqwen && !strcmp(dir, dotqwen)))
				break;
			dirs = Pa_xgrow(dirs, n, sizeof(char *));
			dirs[n++] = Pa_xstrdup(dir);
			if ((stop && !strcmp(dir, stop)) || Pa_path_is_top(dir))
				break;
			up = Pa_path_dirname(dir);
			pa_free(dir);
			dir = up;
		}
		pa_free(dir);
		for (i = n; i-- > 0;)
			if (!qdir || strcmp(dirs[i], qdir))
				add_top(f, dirs[i], name, 0, c, warn);
		Pa_strings_free(dirs, n);
	}
}

/* Its skill names: letters, digits, _ : . - (a byte past ASCII taken
 * for a letter). */
static int qwen_name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || strchr("_:.-", c)) || !c)
			return 0;
	}
	return n > 0;
}

/* A skill as Qwen Code reads it (skills-yaml-edges.txt; qwen_fields):
 * a name and a description, not null nor "", each as String() writes
 * it (`2024`, `true`): no name is no skill (not the folder's); the name
 * of letters, digits and _ : . -, the description not blank. */
static int qwen_skill(const hx_file *x, char **name, char **desc,
                      size_t *desc_len)
{
	static const char *const keys[2] = { "name", "description" };
	qval q[2] = { { 0, 0, 0, PA_BUF_INIT }, { 0, 0, 0, PA_BUF_INIT } };
	const char *dt;
	size_t dn, nn;
	int ok = 0;

	*name = *desc = NULL;
	if (!qwen_fields(x, keys, 2, q) || !q[0].set || !q[0].text.len ||
	    !q[1].set || !q[1].text.len ||
	    !qwen_name_ok(q[0].text.ptr, q[0].text.len))
		goto out;
	dt = q[1].text.ptr;
	dn = q[1].text.len;
	Pa_text_trim(&dt, &dn);
	if (!dn)
		goto out;
	*name = pa_buf_detach(&q[0].text, &nn);
	*desc = pa_buf_detach(&q[1].text, desc_len);
	ok = 1;
out:
	pa_buf_release(&q[0].text);
	pa_buf_release(&q[1].text);
	return ok;
}

/* Its skills, after the files, listed by name with its own (the
 * bundled ones, part of its measured text), each with its place
 * (skills-every-cli.txt): the working directory's .qwen/skills and
 * .agents/skills, then skills of its directory and ~/.agents/skills. */
static void skills(hx_found *f, const char *qdir, pa_warnings *warn)
{
	char *d[4];
	int g[4] = { 0, 0, 1, 1 };
	size_t n = 0, k;

	d[n++] = Pa_path_join(f->cwd, ".qwen/skills");
	d[n++] = Pa_path_join(f->cwd, ".agents/skills");
	if (qdir)
		d[n++] = Pa_path_join(qdir, "skills");
	if (f->home) {
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".agents/skills");
	}
	Pa_hx_skills(f, d, g, n, HX_SKILLS_QWEN, 1, qwen_skill, warn);
	for (k = 0; k < n; k++)
		pa_free(d[k]);
}

/* QWEN_CODE_TOOL_CALL_STYLE: which examples of tool calls its system
 * prompt holds, the value compared without case; another value is
 * ignored, as Qwen Code ignores it (its model's examples, as without
 * the variable).  Each style but its default model's has figures of
 * its own (qwen-tool-call-style-*.txt). */
static const char *tool_call_style(const pa_harness_options *opt)
{
	static const char *const styles[] = { "qwen-coder", "qwen-vl", "gemma4",
	                                      "general" };
	const char *v = Pa_env_get(opt->env, "QWEN_CODE_TOOL_CALL_STYLE");
	size_t i;

	for (i = 0; v && i < sizeof(styles) / sizeof(styles[0]); i++)
		if (!strcasecmp(v, styles[i]))
			return styles[i];
	return NULL;
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "QWEN_HOME");
	const char *model = Pa_env_get(opt->env, "OPENAI_MODEL");
	const char *sys = Pa_env_get(opt->env, "QWEN_CODE_SYSTEM_SETTINGS_PATH");
	const char *defs = Pa_env_get(opt->env, "QWEN_CODE_SYSTEM_DEFAULTS_PATH");
	qwen_conf c = { 0, 1, 0, NULL, NULL, 0 };
	char *qdir = NULL, *local, *stop = NULL, *dotqwen = NULL, *defaults = NULL;
	size_t k;

	if (env && *env == '/')
		qdir = Pa_path_normalize("/", env);
	else if (f->home)
		qdir = Pa_path_join(f->home, ".qwen");
	if (f->home)
		dotqwen = Pa_path_join(f->home, ".qwen");
	Pa_hx_set_names(f, files, sizeof(files) / sizeof(files[0]) - 1);
	local = Pa_path_join(f->cwd, ".qwen");
	/* QWEN_CODE_SYSTEM_DEFAULTS_PATH, else system-defaults.json beside
	 * QWEN_CODE_SYSTEM_SETTINGS_PATH's file: system defaults, under
	 * every other settings file (qwen-system-defaults.txt,
	 * qwen-system-defaults-beside.txt); the system's own folder
	 * (/etc/qwen-code) is not read */
	if (defs && *defs) {
		defaults = Pa_path_normalize(f->cwd, defs);
	} else if (sys && *sys) {
		char *s = Pa_path_normalize(f->cwd, sys), *d = Pa_path_dirname(s);

		defaults = Pa_path_join(d, "system-defaults.json");
		pa_free(d);
		pa_free(s);
	}
	/* QWEN_CODE_SYSTEM_SETTINGS_PATH: system settings, which win over
	 * the user's and the project's (qwen-system-settings.txt) */
	if ((defaults && read_settings_at(f, defaults, 1, &c, err) != PA_OK) ||
	    (qdir && read_settings(f, qdir, 1, &c, err) != PA_OK) ||
	    (c.trusted && read_settings(f, local, 0, &c, err) != PA_OK) ||
	    (sys && *sys && read_settings_at(f, Pa_path_normalize(f->cwd, sys), 1,
	                                     &c, err) != PA_OK)) {
		pa_free(qdir);
		pa_free(dotqwen);
		pa_free(local);
		Pa_strings_free(c.incl, c.nincl);
		pa_free(c.incl_user);
		return PA_ERR_PARSE;
	}
	pa_free(local);
	if (!f->model && model && *model) {
		f->model = Pa_xstrdup(model);
		f->model_from = "OPENAI_MODEL";
	}
	Pa_hx_model_option(f, opt);
	/* QWEN_SYSTEM_MD: a file in place of its own prompt
	 * (qwen-system-md.txt) */
	Pa_hx_system_md(f, opt, "QWEN_SYSTEM_MD", ".qwen", warn);
	/* QWEN_SYSTEM_IDENTITY_MD: a file in place of the first sentences
	 * of its own prompt, which QWEN_SYSTEM_MD's file leaves out
	 * (qwen-system-identity.txt, qwen-system-identity-rel.txt) */
	if (!f->own_replaced)
		Pa_hx_identity_md(f, opt, "QWEN_SYSTEM_IDENTITY_MD", warn);
	f->variant = tool_call_style(opt);
	/* the top of the walk: the root's parent, else home's; under
	 * no_ancestors the root (the working directory outside a
	 * repository) */
	if (f->no_ancestors)
		stop = Pa_xstrdup(f->root);
	else if (f->in_repo)
		stop = Pa_path_dirname(f->root);
	else if (f->home)
		stop = Pa_path_dirname(f->home);
	walk_start(f, f->cwd, stop, qdir, dotqwen, &c, warn);
	/* context.includeDirectories, with loadFromIncludeDirectories: each
	 * a start of its own after the working directory, its root its own
	 * (qwen-include-dirs.txt; without the switch none: qwen-include-dirs-off.txt) */
	for (k = 0; c.load_incl && k < c.nincl; k++) {
		char *r = NULL, *st;
		pa_error e;

		if (!Pa_hx_dir_allowed(f, c.incl[k], c.incl_user[k], warn))
			continue;
		memset(&e, 0, sizeof(e));
		if (Pa_root_repository(f->cache, c.incl[k], &r, &e) == PA_OK && r)
			st = f->no_ancestors ? Pa_xstrdup(r) : Pa_path_dirname(r);
		else if (f->no_ancestors)
			st = Pa_xstrdup(c.incl[k]);
		else
			st = f->home ? Pa_path_dirname(f->home) : NULL;
		walk_start(f, c.incl[k], st, qdir, dotqwen, &c, warn);
		pa_free(r);
		pa_free(st);
	}
	if (c.trusted && f->in_repo) {
		char *d = Pa_path_join(f->root, ".qwen");

		add_top(f, d, "QWEN.local.md", 0, &c, warn);
		pa_free(d);
	}
	if (qdir && !f->no_user) {
		char *r = Pa_path_join(qdir, "rules");

		add_rules(f, r, r, 1, warn);
		pa_free(r);
	}
	if (c.trusted) {
		char *r = Pa_path_join(f->root, ".qwen/rules");
		char *g = qdir ? Pa_path_join(qdir, "rules") : NULL;

		if (!g || strcmp(r, g))
			add_rules(f, r, f->root, 0, warn);
		pa_free(r);
		pa_free(g);
	}
	pa_free(stop);
	skills(f, qdir, warn);
	pa_free(qdir);
	pa_free(dotqwen);
	Pa_strings_free(c.incl, c.nincl);
	pa_free(c.incl_user);
	Pa_hx_note_unread(f);
	return PA_OK;
}

/* Each file framed is trimmed (JavaScript's trim(): a byte order mark
 * and white space at both ends); an imported file goes whole, in place
 * of its @path; a rule without its front matter and comments.  A file
 * left with nothing is not sent. */
static void compose(hx_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];
		const char *s = x->text.ptr;
		size_t a = x->skip, b = x->text.len;

		if (x->skill) {
			x->sent = x->as_sent.len; /* its entry in the listing */
			continue;
		}
		if (!x->read || x->empty)
			continue;
		/* the identity file: its end trimmed (trimEnd()) */
		if (f->identity == i + 1)
			while (b > a && (is_space(s[b - 1]) || s[b - 1] == '\v' ||
			                 s[b - 1] == '\f'))
				b--;
		if (x->trim) {
			for (;;) {
				if (b - a >= 3 && !memcmp(s + a, "\xef\xbb\xbf", 3))
					a += 3;
				else if (a < b && (is_space(s[a]) || s[a] == '\v' || s[a] == '\f'))
					a++;
				else
					break;
			}
			while (b > a && (is_space(s[b - 1]) || s[b - 1] == '\v' ||
			                 s[b - 1] == '\f'))
				b--;
		}
		x->skip = a;
		x->sent = b - a > x->replaced ? b - a - x->replaced : 0;
		if (!x->sent)
			x->empty = 1;
	}
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_qwen = {
	.id = PA_HARNESS_QWEN,
	.name = "qwen",
	.display = "Qwen Code",
	.version = NULL, /* its figures' */
	.tokenizer = "qwen3",
	.files = files,
	.others = others,
	.unread_hint = "it is not in context.fileName",
	.byte_cap = NULL, /* it sends every byte */
	.settings_name = ".qwen/settings.json",
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = compose,
};
