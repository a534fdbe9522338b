/*
 * agent.c - agent files: parsing (frontmatter.c reads the YAML), the
 * fields Claude Code knows, and finding an agent by name.
 */
#define _XOPEN_SOURCE 700
#include "discover/discover.h"
#include "instructions.h"
#include "prompt.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct pa_agent {
	char *path;
	char *file;         /* absolute, or NULL */
	long body_line;     /* the body's first line in the file */
	Pa_ynode *fm;       /* the frontmatter mapping */
	char *name;
	char *description;
	char *model;
	char *memory;
	char *body;
	size_t body_len;
	char **tools;
	size_t ntools;
	int tools_set;      /* `tools:` present (an empty list included) */
	char **disallowed;  /* `disallowedTools:` */
	size_t ndisallowed;
	char **skills;  /* `skills:`, the skills it preloads */
	size_t nskills;
	int lenient;
	int omit_claude_md; /* `omitClaudeMd: true` */
	int worktree;       /* `isolation: worktree` */
};

int Pa_agent_omits_claude_md(const pa_agent *agent)
{
	return agent && agent->omit_claude_md;
}

int Pa_agent_in_worktree(const pa_agent *agent)
{
	return agent && agent->worktree;
}

/* A scalar field's text, or NULL when absent, null or not a scalar. */
static const Pa_ynode *scalar_field(const Pa_ynode *fm, const char *key)
{
	const Pa_ynode *v = Pa_ynode_get(fm, key);

	if (!v || v->type != PA_YNODE_SCALAR || Pa_ynode_is_null(v))
		return NULL;
	return v;
}

/* The first field of the frontmatter Claude Code reads whose text (or an
 * item of whose list) holds a NUL character, or NULL.  A C string ends
 * there: `name: "a\0other"` was read as agent `a`. */
static const Pa_ynode *field_with_nul(const Pa_ynode *fm, const char **key)
{
	static const char *const keys[] = {
		"name", "description", "model", "memory", "tools", "skills",
		"disallowedTools",
	};
	size_t i, j;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const Pa_ynode *v = Pa_ynode_get(fm, keys[i]);

		*key = keys[i];
		if (!v)
			continue;
		if (v->type == PA_YNODE_SCALAR &&
		    memchr(v->scalar, '\0', v->scalar_len))
			return v;
		if (v->type != PA_YNODE_SEQUENCE)
			continue;
		for (j = 0; j < v->n; j++)
			if (v->items[j]->type == PA_YNODE_SCALAR &&
			    memchr(v->items[j]->scalar, '\0', v->items[j]->scalar_len))
				return v->items[j];
	}
	return NULL;
}

/* The description with each literal backslash-n made a newline. */
static char *unescape_newlines(const char *s, size_t len)
{
	pa_buf b = PA_BUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == 'n') {
			pa_buf_putc(&b, '\n');
			i++;
		} else {
			pa_buf_putc(&b, s[i]);
		}
	}
	return pa_buf_detach(&b, NULL);
}

void pa_agent_free(pa_agent *a)
{
	if (!a)
		return;
	free(a->path);
	free(a->file);
	Pa_ynode_free(a->fm);
	free(a->name);
	free(a->description);
	free(a->model);
	free(a->memory);
	free(a->body);
	Pa_strings_free(a->tools, a->ntools);
	Pa_strings_free(a->disallowed, a->ndisallowed);
	Pa_strings_free(a->skills, a->nskills);
	free(a);
}

/* Says where Claude Code ended a frontmatter that no longer gives an
 * agent. */
static void inline_close_hint(const Pa_frontmatter *fm, pa_error *err)
{
	size_t n;

	if (!err || !fm->close_inline)
		return;
	n = strlen(err->message);
	snprintf(err->message + n, sizeof(err->message) - n,
	         " (it ends at the '---' inside line %ld, as Claude Code reads it)",
	         fm->close_line);
}

static pa_status parse_as(const char *text, size_t len, const char *path,
                         const char *default_name, int crlf, pa_agent **out,
                         pa_warnings *warn, pa_error *err);

/* Claude Code loads an agent only when its name and description are
 * strings as YAML types them, not empty (fixtures agent-fm-name-types,
 * agent-fm-description-number): `name: 2024`, `name: true`,
 * `description: 42` or `name: ""` is no agent. */
static pa_status check_strings(const Pa_ynode *fm, const char *path,
                               pa_error *err)
{
	static const char *const keys[] = { "name", "description" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const Pa_ynode *v = scalar_field(fm, keys[i]);
		Pa_ycore kind;

		if (!v)
			continue;
		kind = Pa_ynode_core(v);
		if (kind != PA_YCORE_STRING)
			return Pa_error_set(err, PA_ERR_PARSE, path, v->line, v->column,
			                    "agent's '%s' is not a string (YAML reads "
			                    "it as a %s): Claude Code does not load the "
			                    "agent", keys[i],
			                    kind == PA_YCORE_BOOL ? "boolean" : "number");
		if (v->scalar_len == 0)
			return Pa_error_set(err, PA_ERR_PARSE, path, v->line, v->column,
			                    "agent's '%s' is empty: Claude Code does "
			                    "not load the agent", keys[i]);
	}
	return PA_OK;
}

#define NO_FRONTMATTER "agent file has no frontmatter (it must start with a '---' line)"

pa_status pa_agent_parse(const char *text, size_t len, const char *path,
                         pa_agent **out, pa_warnings *warn, pa_error *err)
{
	return parse_as(text, len, path, NULL, 0, out, warn, err);
}

/* A plugin's agent without `name:` is named after its file
 * (default_name). */
static pa_status parse_as(const char *text, size_t len, const char *path,
                         const char *default_name, int crlf, pa_agent **out,
                         pa_warnings *warn, pa_error *err)
{
	Pa_frontmatter fm;
	pa_status st;
	pa_agent *a;
	const Pa_ynode *v;
	const char *body;
	size_t body_len;
	size_t bad;

	*out = NULL;
	if (!pa_utf8_valid(text, len, &bad)) {
		/* Claude Code reads an agent file as UTF-8, a byte that is not
		 * as U+FFFD: one in Latin-1 loads so (measured: fixture
		 * agent-latin1). */
		pa_buf fixed = PA_BUF_INIT;
		pa_utf8_lossy(text, len, &fixed);
		st = parse_as(fixed.ptr, fixed.len, path, default_name, crlf, out,
		              warn, err);
		pa_buf_release(&fixed);
		if (st == PA_OK)
			Pa_warn_at(warn, path, 0, "%s: not valid UTF-8 (at byte %zu): "
			           "loaded as Claude Code decodes it, invalid bytes as "
			           "U+FFFD", path, bad);
		return st;
	}
	st = Pa_frontmatter_parse_as(text, len, path, crlf ? PA_FM_ANYWHERE_CRLF
	                             : PA_FM_ANYWHERE, &fm, err);
	if (st != PA_OK) {
		inline_close_hint(&fm, err);
		return st;
	}
	if (!fm.present)
		return Pa_error_set(err, PA_ERR_PARSE, path, 1, 0, "%s", NO_FRONTMATTER);
	if (!fm.root || (!default_name && !scalar_field(fm.root, "name")) ||
	    !scalar_field(fm.root, "description")) {
		const char *what = !fm.root || (!default_name &&
		                                 !scalar_field(fm.root, "name"))
		                   ? "name" : "description";
		Pa_frontmatter_release(&fm);
		Pa_error_set(err, PA_ERR_PARSE, path, fm.open_line, 0,
		             "agent has no '%s' in its frontmatter", what);
		inline_close_hint(&fm, err);
		return PA_ERR_PARSE;
	}
	if ((st = check_strings(fm.root, path, err)) != PA_OK) {
		Pa_frontmatter_release(&fm);
		return st;
	}
	{
		const char *key;
		const Pa_ynode *nul = field_with_nul(fm.root, &key);

		if (nul) {
			long line = nul->line, column = nul->column;
			Pa_frontmatter_release(&fm);
			return Pa_error_set(err, PA_ERR_PARSE, path, line, column,
			                    "agent's '%s' holds a NUL character", key);
		}
	}
	/* Claude Code ends the block at a `---` inside a line: the fields
	 * below it are lost and the rest is body. */
	if (fm.close_inline)
		Pa_warn_at(warn, path, fm.close_line, "%s:%ld: the frontmatter ends "
		           "at the '---' inside this line, as Claude Code reads it: "
		           "what follows is the body", path, fm.close_line);
	a = Pa_xcalloc(1, sizeof(*a));
	a->path = Pa_xstrdup(path);
	a->fm = fm.root;
	a->lenient = fm.lenient;
	v = scalar_field(a->fm, "name");
	a->name = v ? Pa_xstrndup(v->scalar, v->scalar_len) : Pa_xstrdup(default_name);
	v = scalar_field(a->fm, "description");
	a->description = unescape_newlines(v->scalar, v->scalar_len);
	if ((v = scalar_field(a->fm, "model")))
		a->model = Pa_xstrndup(v->scalar, v->scalar_len);
	if ((v = scalar_field(a->fm, "memory")))
		a->memory = Pa_xstrndup(v->scalar, v->scalar_len);
	v = Pa_ynode_get(a->fm, "tools");
	a->tools_set = v && !Pa_ynode_is_null(v);
	/* Fixtures agent-fm-tools-*, agent-fm-skills-split. */
	a->tools = Pa_ynode_name_list(v, &a->ntools);
	a->disallowed = Pa_ynode_name_list(Pa_ynode_get(a->fm, "disallowedTools"),
	                                   &a->ndisallowed);
	a->skills = Pa_ynode_name_list(Pa_ynode_get(a->fm, "skills"), &a->nskills);
	/* Fixtures agent-omit-claudemd, agent-isolation-worktree. */
	v = scalar_field(a->fm, "omitClaudeMd");
	a->omit_claude_md = v && v->scalar_len == 4 && !memcmp(v->scalar, "true", 4);
	v = scalar_field(a->fm, "isolation");
	a->worktree = v && v->scalar_len == 8 && !memcmp(v->scalar, "worktree", 8);
	body = fm.body;
	body_len = fm.body_len;
	a->body_line = fm.body_line + (long)Pa_text_trim(&body, &body_len);
	a->body = Pa_xstrndup(body, body_len);
	a->body_len = body_len;
	/* Claude Code loads such an agent without memory. */
	if (a->memory && strcmp(a->memory, "user") && strcmp(a->memory, "project") &&
	    strcmp(a->memory, "local")) {
		v = scalar_field(a->fm, "memory");
		Pa_warn_at(warn, path, v->line, "%s:%ld:%ld: unknown memory scope "
		           "'%s' (expected user, project or local): loaded without "
		           "memory", path, v->line, v->column, a->memory);
		free(a->memory);
		a->memory = NULL;
	}
	if (fm.lenient) {
		const pa_error *y = &fm.yaml_err;
		if (y->line > 0 && y->column > 0)
			Pa_warn_at(warn, path, y->line, "%s: frontmatter is not strict "
			           "YAML (%s at line %ld, column %ld); read with its "
			           "values quoted, as Claude Code reads it", path,
			           y->message, y->line, y->column);
		else
			Pa_warn_at(warn, path, fm.open_line, "%s: frontmatter is not "
			           "strict YAML (%s); read with its values quoted, as "
			           "Claude Code reads it", path, y->message);
	}
	if (fm.duplicates)
		Pa_warn_at(warn, path, fm.duplicate_line, "%s:%ld: frontmatter "
		           "key '%s' is repeated (first on line %ld); the last "
		           "value is used, as Claude Code reads it (%zu repeated "
		           "%s in all)", path,
		           fm.duplicate_line, fm.duplicate, fm.duplicate_first,
		           fm.duplicates, fm.duplicates > 1 ? "keys" : "key");
	*out = a;
	return PA_OK;
}

/* 1 when text's first line with text is a `---` line: an agent file
 * whose frontmatter Claude Code misses (a blank line before it), which
 * check reports, unlike a README.md. */
static int fence_after_blanks(const pa_buf *b)
{
	size_t i = 0;

	if (b->len >= 3 && !memcmp(b->ptr, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < b->len && strchr(" \t\r\n", b->ptr[i]) && b->ptr[i])
		i++;
	return b->len - i >= 3 && !memcmp(b->ptr + i, "---", 3);
}

/* Reads file (as the discover stage reads agent files) and parses it;
 * messages and pa_agent_path() name it `shown`.  *fence (may be NULL)
 * gets fence_after_blanks() of a file that does not parse. */
static pa_status load_named(const char *file, const char *shown,
                            const char *default_name, pa_agent **out,
                            int *fence, pa_warnings *warn, pa_error *err)
{
	pa_buf b = PA_BUF_INIT;
	pa_status st;
	char *real = NULL;
	int crlf = 0;

	*out = NULL;
	if (fence)
		*fence = 0;
	st = Pa_cc_read_agent(file, &b, &real, &crlf, err);
	if (st != PA_OK && err)
		snprintf(err->file, sizeof(err->file), "%s", shown);
	if (st == PA_OK) {
		st = parse_as(b.ptr, b.len, shown, default_name, crlf, out, warn, err);
		if (st != PA_OK && fence)
			*fence = fence_after_blanks(&b);
	}
	if (st == PA_OK)
		(*out)->file = real;
	else
		free(real);
	pa_buf_release(&b);
	return st;
}

static pa_status load_as(const char *file, const char *shown, pa_agent **out,
                         pa_warnings *warn, pa_error *err)
{
	return load_named(file, shown, NULL, out, NULL, warn, err);
}

pa_status pa_agent_load(const char *path, pa_agent **out, pa_warnings *warn,
                        pa_error *err)
{
	return load_as(path, path, out, warn, err);
}

const char *pa_agent_name(const pa_agent *a) { return a->name; }
const char *pa_agent_description(const pa_agent *a) { return a->description; }
const char *pa_agent_model(const pa_agent *a) { return a->model; }
const char *pa_agent_memory(const pa_agent *a) { return a->memory; }
const char *pa_agent_path(const pa_agent *a) { return a->path; }
const char *pa_agent_file(const pa_agent *a) { return a->file; }
long pa_agent_body_line(const pa_agent *a) { return a->body_line; }
int pa_agent_is_lenient(const pa_agent *a) { return a->lenient; }

const char *pa_agent_body(const pa_agent *a, size_t *len)
{
	if (len)
		*len = a->body_len;
	return a->body;
}

const char *const *pa_agent_tools(const pa_agent *a, size_t *n)
{
	*n = a->ntools;
	return (const char *const *)a->tools;
}

int pa_agent_tools_set(const pa_agent *a)
{
	return a->tools_set;
}

/* `*` anywhere in the list, not only alone (fixtures tools-star,
 * tools-star-list-disallowed, tools-list-star). */
int pa_agent_tools_all(const pa_agent *a)
{
	size_t i;

	if (!a->tools_set)
		return 1;
	for (i = 0; i < a->ntools; i++)
		if (!strcmp(a->tools[i], "*"))
			return 1;
	return 0;
}

const char *const *pa_agent_disallowed_tools(const pa_agent *a, size_t *n)
{
	*n = a->ndisallowed;
	return (const char *const *)a->disallowed;
}

const char *const *pa_agent_skills(const pa_agent *a, size_t *n)
{
	*n = a->nskills;
	return (const char *const *)a->skills;
}

char **pa_agent_string_list(const pa_agent *a, const char *key, size_t *n)
{
	const Pa_ynode *v = a->fm ? Pa_ynode_get(a->fm, key) : NULL;

	*n = 0;
	if (!v || Pa_ynode_is_null(v) ||
	    (v->type != PA_YNODE_SEQUENCE && v->type != PA_YNODE_SCALAR))
		return NULL;
	return Pa_ynode_name_list(v, n);
}

/* ---- JSON ---- */

/* Decimal digits with an optional sign: an int as YAML 1.2 reads a plain
 * scalar (`007` is 7). */
static int is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Writes s, a scalar YAML's core schema reads as kind (an int or a
 * float: Pa_ynode_core(), the one reading of the schema), as JSON:
 * parsed and printed again, never copied, since YAML spells numbers JSON
 * does not (`+5`, `007`, `00.5`, `0x1F`, `0o17`, `1e5`, `.5`).  Returns 0,
 * writing nothing, when it does not fit a long long or a finite double
 * (`.inf`, `.nan`): the caller writes it as a string. */
static int put_number(pa_buf *out, const char *s, Pa_ycore kind)
{
	char buf[40], *end;
	int prec;

	errno = 0;
	if (kind == PA_YCORE_INT) {
		int base = s[0] == '0' && s[1] == 'x' ? 16 : s[0] == '0' && s[1] == 'o' ? 8 : 10;
		long long v = strtoll(base == 10 ? s : s + 2, &end, base);

		if (errno == ERANGE || *end)
			return 0;
		pa_buf_printf(out, "%lld", v);
		return 1;
	}
	{
		double v = strtod(s, &end);

		/* strtod reads none of YAML's infinities and NaNs (`.inf`):
		 * end stops short, and JSON has no such number anyway */
		if (errno == ERANGE || *end || v != v || v - v != 0)
			return 0;
		/* The shortest form that reads back as the same double. */
		for (prec = 1; prec < 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		pa_buf_puts(out, buf);
		return 1;
	}
}

/* The scalar s as a JSON number (put_number()); 0, nothing written, when
 * it is none. */
static int number_json(Pa_jw *w, const char *scalar, Pa_ycore kind)
{
	pa_buf num = PA_BUF_INIT;
	int ok = (kind == PA_YCORE_INT || kind == PA_YCORE_FLOAT) &&
	         put_number(&num, scalar, kind);

	if (ok)
		Pa_jw_raw(w, NULL, num.ptr, num.len);
	pa_buf_release(&num);
	return ok;
}

/* A value, as YAML's core schema reads plain scalars. */
static void node_json(const Pa_ynode *n, Pa_jw *w)
{
	size_t i;
	Pa_ycore kind;

	if (!n) {
		Pa_jw_null(w, NULL);
		return;
	}
	switch (n->type) {
	case PA_YNODE_SCALAR:
		kind = Pa_ynode_core(n);
		if (kind == PA_YCORE_NULL)
			Pa_jw_null(w, NULL);
		else if (kind == PA_YCORE_BOOL)
			Pa_jw_bool(w, NULL, n->scalar[0] == 't' || n->scalar[0] == 'T');
		else if (!number_json(w, n->scalar, kind))
			Pa_jw_strn(w, NULL, n->scalar, n->scalar_len);
		return;
	case PA_YNODE_SEQUENCE:
		Pa_jw_array(w, NULL, PA_JW_INLINE);
		for (i = 0; i < n->n; i++)
			node_json(n->items[i], w);
		Pa_jw_end(w);
		return;
	case PA_YNODE_MAPPING:
		Pa_jw_object(w, NULL, PA_JW_LINES);
		for (i = 0; i < n->n; i++) {
			const Pa_ynode *k = n->items[2 * i];

			if (k->type == PA_YNODE_SCALAR)
				Pa_jw_key(w, k->scalar, k->scalar_len);
			else
				Pa_jw_key(w, "?", 1);
			node_json(n->items[2 * i + 1], w);
		}
		Pa_jw_end(w);
		return;
	}
}

void pa_agent_json(const pa_agent *a, pa_buf *out)
{
	size_t i, n = a->fm ? a->fm->n : 0;
	Pa_jw w;

	/* A member of the report's top object (build's "agent"). */
	Pa_jw_init(&w, out, 1);
	Pa_jw_object(&w, NULL, PA_JW_LINES);
	for (i = 0; i < n; i++) {
		const Pa_ynode *k = a->fm->items[2 * i];
		const Pa_ynode *v = a->fm->items[2 * i + 1];
		const char *key;

		if (k->type != PA_YNODE_SCALAR)
			continue;
		/* a key holding a NUL is none of these: its own value */
		key = strlen(k->scalar) == k->scalar_len ? k->scalar : "";
		Pa_jw_key(&w, k->scalar, k->scalar_len);
		if (!strcmp(key, "description")) {
			Pa_jw_str(&w, NULL, a->description);
		} else if ((!strcmp(key, "tools") || !strcmp(key, "disallowedTools") ||
		            !strcmp(key, "skills")) &&
		           (v->type == PA_YNODE_SEQUENCE || v->type == PA_YNODE_SCALAR) &&
		           !Pa_ynode_is_null(v)) {
			size_t m, j;
			char **items = Pa_ynode_name_list(v, &m);

			Pa_jw_array(&w, NULL, PA_JW_INLINE);
			for (j = 0; j < m; j++)
				Pa_jw_str(&w, NULL, items[j]);
			Pa_jw_end(&w);
			Pa_strings_free(items, m);
		} else if (!(!strcmp(key, "maxTurns") && v->type == PA_YNODE_SCALAR &&
		             is_int(v->scalar) && number_json(&w, v->scalar, PA_YCORE_INT))) {
			node_json(v, &w);
		}
	}
	Pa_jw_end(&w);
}

/* ---- finding agents ---- */

/* What pa_agent_entry.parsed holds: the file as the listing parsed it,
 * and what parsing it warned, which pa_agent_load_entry() takes. */
struct pa_agent_entry_parsed {
	pa_agent *agent;
	pa_warnings warn;
};

static struct pa_agent_entry_parsed *keep_parsed(pa_agent *a, const pa_warnings *warn)
{
	struct pa_agent_entry_parsed *p = Pa_xcalloc(1, sizeof(*p));

	p->agent = a;
	p->warn = *warn;
	return p;
}

typedef struct found {
	pa_agent_entry *list;
	size_t n;
	Pa_strset names; /* of the definitions that win */
} found;

/* The agents of a project or user directory. */
static void scan_dir(found *f, const Pa_cc_agent_dir *d, const Pa_places *pl,
                     pa_warnings *warn)
{
	char *const *files = d->files;
	const char *source = d->source;
	size_t n = d->n, i;

	size_t tree = f->n; /* entries from here on are of this tree */

	Pa_warnings_add_copies(warn, &d->warn);
	for (i = 0; i < n; i++) {
		char *shown = Pa_path_display(files[i], pl->root, pl->home);
		pa_agent *a;
		pa_error err;
		pa_agent_entry *e;
		size_t j;
		int fence;

		pa_warnings parse_warn = { NULL, 0 };

		if (load_named(files[i], shown, NULL, &a, &fence, &parse_warn,
		               &err) != PA_OK) {
			pa_warnings_release(&parse_warn);
			/* A Markdown file without frontmatter (the README.md of
			 * an agent collection) is no agent file: Claude Code
			 * passes over it without a word (measured: fixtures
			 * agents-readme), and so does the check. */
			if (err.status == PA_ERR_PARSE && !strcmp(err.message, NO_FRONTMATTER) &&
			    !fence) {
				Pa_warn_at(warn, shown, 0, "%s: not an agent file (no "
				           "frontmatter): Claude Code ignores it", shown);
				if (warn)
					warn->items[warn->n - 1].kind = PA_WARNING_NOT_AGENT;
			} else
				Pa_warn_agent_skipped(warn, shown, err.line, err.column,
				                      err.message);
			free(shown);
			continue;
		}
		/* Measured: Claude Code 2.1.332 does not load these. */
		if (strchr(a->name, ':') || a->name[0] == '-') {
			pa_buf reason = PA_BUF_INIT;

			pa_buf_printf(&reason, "Claude Code does not load an agent "
			              "named '%s' (%s)", a->name, a->name[0] == '-'
			              ? "it starts with '-'" : "it has ':'");
			Pa_warn_agent_skipped(warn, shown, 0, 0, reason.ptr);
			pa_buf_release(&reason);
			pa_warnings_release(&parse_warn);
			pa_agent_free(a);
			free(shown);
			continue;
		}
		f->list = Pa_xgrow(f->list, f->n, sizeof(*f->list));
		e = &f->list[f->n++];
		e->name = Pa_xstrdup(a->name);
		e->description = Pa_xstrdup(a->description);
		e->model = a->model ? Pa_xstrdup(a->model) : NULL;
		e->memory = a->memory ? Pa_xstrdup(a->memory) : NULL;
		e->path = shown;
		e->file = Pa_xstrdup(files[i]);
		e->source = Pa_xstrdup(source);
		e->parsed = keep_parsed(a, &parse_warn);
		/* Between directories the first definition of a name wins:
		 * the nearest project directory, then the user's.  Within one
		 * directory Claude Code keeps the last it reads, in the file
		 * system's order, which differs between machines: we keep the
		 * last in sorted order and say that the choice is ambiguous. */
		e->wins = 1;
		if (Pa_strset_add(&f->names, e->name, strlen(e->name)))
			j = f->n; /* a new name: nothing to compare */
		else
			j = 0;
		for (; j + 1 < f->n; j++) {
			if (!f->list[j].wins || strcmp(f->list[j].name, e->name))
				continue;
			if (j < tree) {
				e->wins = 0;
			} else {
				f->list[j].wins = 0;
				Pa_warn_at(warn, shown, 0, "%s and %s both define agent "
				           "'%s': Claude Code loads one of them depending on "
				           "the order of the directory; promptasm uses %s",
				           f->list[j].path, shown, e->name, shown);
				if (warn) {
					warn->items[warn->n - 1].kind = PA_WARNING_AGENT_DUPLICATE;
					warn->items[warn->n - 1].reason = Pa_xstrdup(e->name);
				}
			}
			break;
		}
	}
}

/* The stem of a file name ("a/B.md" is "B"); the caller frees it. */
static char *stem(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".md"))
		n -= 3;
	return Pa_xstrndup(base, n);
}

/* A plugin agent's name: PLUGIN, each directory under agents/, then its
 * own name, joined by ':' (fixture plugin-names).  The caller frees it. */
static char *plugin_agent_name(const char *plugin, const char *agents,
                               const char *file, const char *own)
{
	pa_buf b = PA_BUF_INIT;
	const char *rel = file + strlen(agents) + 1, *slash;

	pa_buf_puts(&b, plugin);
	while ((slash = strchr(rel, '/'))) {
		pa_buf_putc(&b, ':');
		pa_buf_put(&b, rel, (size_t)(slash - rel));
		rel = slash + 1;
	}
	pa_buf_putc(&b, ':');
	pa_buf_puts(&b, own);
	return pa_buf_detach(&b, NULL);
}

/* The agents of an enabled plugin, after the user's: their names are
 * namespaced, so they never take a project or user name. */
static void scan_plugin(found *f, const Pa_cc_agent_dir *d,
                        const Pa_places *pl, pa_warnings *warn)
{
	const Pa_cc_plugin *plugin = d->plugin;
	const char *agents = d->dir;
	char *const *files = d->files;
	size_t n = d->n, i;

	Pa_warnings_add_copies(warn, &d->warn);
	{
		for (i = 0; i < n; i++) {
			char *shown = Pa_path_display(files[i], pl->root, pl->home);
			char *own = stem(files[i]), *name;
			pa_agent *a;
			pa_error err;
			pa_agent_entry *e;

			pa_warnings parse_warn = { NULL, 0 };

			if (load_named(files[i], shown, own, &a, NULL, &parse_warn,
			               &err) != PA_OK) {
				pa_warnings_release(&parse_warn);
				Pa_warn_agent_skipped(warn, shown, err.line, err.column,
				                      err.message);
				free(own);
				free(shown);
				continue;
			}
			/* A file the manifest lists is named by its file. */
			if (d->listed) {
				char *in = Pa_path_dirname(files[i]);
				name = plugin_agent_name(plugin->name, in, files[i], a->name);
				free(in);
			} else {
				name = plugin_agent_name(plugin->name, agents, files[i], a->name);
			}
			if (!Pa_strset_add(&f->names, name, strlen(name))) {
				pa_warnings_release(&parse_warn);
				free(name);
				free(own);
				free(shown);
				pa_agent_free(a);
				continue;
			}
			f->list = Pa_xgrow(f->list, f->n, sizeof(*f->list));
			e = &f->list[f->n++];
			e->name = name;
			e->description = Pa_xstrdup(a->description);
			e->model = a->model ? Pa_xstrdup(a->model) : NULL;
			e->memory = a->memory ? Pa_xstrdup(a->memory) : NULL;
			e->path = shown;
			e->file = Pa_xstrdup(files[i]);
			e->source = Pa_xstrdup("plugin");
			e->wins = 1;
			free(a->name);
			a->name = Pa_xstrdup(name);
			e->parsed = keep_parsed(a, &parse_warn);
			free(own);
		}
	}
}

/* Fills f with every definition, in lookup order.  The absolute file of
 * each entry goes to files[i] when files is not NULL. */
static void collect(found *f, const Pa_places *pl, pa_warnings *warn)
{
	Pa_cc_agents found_dirs;
	size_t i;

	Pa_cc_find_agents(&found_dirs, pl);
	for (i = 0; i < found_dirs.n; i++) {
		const Pa_cc_agent_dir *d = &found_dirs.dirs[i];
		if (d->plugin)
			scan_plugin(f, d, pl, warn);
		else
			scan_dir(f, d, pl, warn);
	}
	Pa_cc_agents_release(&found_dirs);
}

pa_status pa_agent_list(const pa_compose_options *opt, pa_agent_entry **list,
                        size_t *n, pa_warnings *warn, pa_error *err)
{
	Pa_places pl;
	found f = { NULL, 0, PA_STRSET_INIT };
	pa_status st = Pa_places_init(&pl, opt, err);

	*list = NULL;
	*n = 0;
	if (st != PA_OK)
		return st;
	collect(&f, &pl, warn);
	for (size_t i = 0; i < f.n; i++)
		f.list[i].denied = Pa_cc_denied_agent(pl.cc, f.list[i].name) != NULL;
	Pa_strset_release(&f.names);
	Pa_places_release(&pl);
	*list = f.list;
	*n = f.n;
	return PA_OK;
}

void pa_agent_entry_free(pa_agent_entry *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].description);
		free(list[i].model);
		free(list[i].memory);
		free(list[i].path);
		free(list[i].file);
		free(list[i].source);
		if (list[i].parsed) {
			pa_agent_free(list[i].parsed->agent);
			pa_warnings_release(&list[i].parsed->warn);
			free(list[i].parsed);
		}
	}
	free(list);
}

pa_status pa_agent_load_entry(pa_agent_entry *entry, pa_agent **out,
                              pa_warnings *warn, pa_error *err)
{
	char *own;
	pa_status st;

	if (entry->parsed) {
		*out = entry->parsed->agent;
		if (warn)
			Pa_warnings_add_copies(warn, &entry->parsed->warn);
		pa_warnings_release(&entry->parsed->warn);
		free(entry->parsed);
		entry->parsed = NULL;
		return PA_OK;
	}
	if (strcmp(entry->source, "plugin"))
		return load_as(entry->file, entry->path, out, warn, err);
	/* A plugin's agent goes by its namespaced name. */
	own = stem(entry->file);
	st = load_named(entry->file, entry->path, own, out, NULL, warn, err);
	free(own);
	if (st == PA_OK) {
		free((*out)->name);
		(*out)->name = Pa_xstrdup(entry->name);
	}
	return st;
}

/* A path rather than a name: "-", a file ending in .md, or one that
 * holds a '/' and exists.  A name may hold '/' ("team/reviewer", 11 of the
 * 882 real agents measured): one that names no file is a name. */
static int looks_like_path(const char *s, const pa_compose_options *opt)
{
	size_t n = strlen(s);
	char *full;
	int exists;

	if (!strcmp(s, "-") || (n > 3 && !strcmp(s + n - 3, ".md")))
		return 1;
	if (!strchr(s, '/'))
		return 0;
	full = s[0] == '/' || !opt->cwd ? Pa_xstrdup(s) : Pa_path_join(opt->cwd, s);
	exists = Pa_cc_path_exists(full);
	free(full);
	return exists;
}

/* The file stem of path: "a/b/x.md" is "x". */
static int stem_is(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(name);

	base = base ? base + 1 : path;
	return !strncmp(base, name, n) && !strcmp(base + n, ".md");
}

/* Whether w, of the agents' lookup, concerns the agent `name`: what is
 * about another agent's file (one that does not load, or a name two
 * files define) does not. */
static int concerns(const pa_warning *w, const char *name)
{
	if (w->kind == PA_WARNING_AGENT_DUPLICATE)
		return w->reason && !strcmp(w->reason, name);
	if (w->kind == PA_WARNING_AGENT_SKIPPED || w->kind == PA_WARNING_NOT_AGENT)
		return w->path && stem_is(w->path, name);
	return 1;
}

/* Adds to warn those of the lookup that concern `name`, and one line for
 * the rest: a collection of 882 agent files has 181 warnings, none about
 * the one asked for (measured on tests/corpus/agents). */
static void add_concerning(pa_warnings *warn, const pa_warnings *seen,
                           const char *name)
{
	pa_warnings one = { NULL, 0 };
	size_t i, others = 0;

	if (!warn)
		return;
	for (i = 0; i < seen->n; i++) {
		if (!concerns(&seen->items[i], name)) {
			others++;
			continue;
		}
		one.items = &seen->items[i];
		one.n = 1;
		Pa_warnings_add_copies(warn, &one);
	}
	if (others)
		Pa_warn_at(warn, NULL, 0, "%zu warning%s about other agent files "
		           "left out ('promptasm agents' shows them)", others,
		           others == 1 ? "" : "s");
}

/* No agent is named `name`: when a file of that stem was skipped, its
 * reason is the error, not "no agent named". */
static pa_status not_found(const char *name, const pa_warnings *skipped,
                           pa_error *err)
{
	size_t i;

	for (i = 0; i < skipped->n; i++) {
		const pa_warning *w = &skipped->items[i];

		if (w->kind != PA_WARNING_AGENT_SKIPPED || !w->path || !w->reason ||
		    !stem_is(w->path, name))
			continue;
		if (w->line > 0 && w->column > 0)
			Pa_error_set(err, PA_ERR_PARSE, NULL, 0, 0,
			             "%s:%ld:%ld does not load: %s", w->path, w->line,
			             w->column, w->reason);
		else if (w->line > 0)
			Pa_error_set(err, PA_ERR_PARSE, NULL, 0, 0,
			             "%s:%ld does not load: %s", w->path, w->line, w->reason);
		else
			Pa_error_set(err, PA_ERR_PARSE, NULL, 0, 0,
			             "%s does not load: %s", w->path, w->reason);
		return PA_ERR_PARSE;
	}
	Pa_error_set(err, PA_ERR_NOT_FOUND, NULL, 0, 0,
	             "no agent named '%s' in .claude/agents/ of the project "
	             "or of ~/.claude/agents/", name);
	return PA_ERR_NOT_FOUND;
}

pa_status pa_agent_find(const char *name_or_path,
                        const pa_compose_options *opt, pa_agent **out,
                        pa_warnings *warn, pa_error *err)
{
	Pa_places pl;
	found f = { NULL, 0, PA_STRSET_INIT };
	pa_warnings seen = { NULL, 0 };
	pa_status st;
	size_t i;

	*out = NULL;
	if (looks_like_path(name_or_path, opt)) {
		/* A path is relative to the working directory of the
		 * composition, which --project may have moved. */
		char *full;

		if (name_or_path[0] == '/' || !opt->cwd || !strcmp(name_or_path, "-"))
			return pa_agent_load(name_or_path, out, warn, err);
		full = Pa_path_join(opt->cwd, name_or_path);
		st = load_as(full, name_or_path, out, warn, err);
		free(full);
		return st;
	}
	st = Pa_places_init(&pl, opt, err);
	if (st != PA_OK)
		return st;
	collect(&f, &pl, &seen);
	Pa_strset_release(&f.names);
	for (i = 0; i < f.n; i++)
		if (f.list[i].wins && !strcmp(f.list[i].name, name_or_path))
			break;
	if (i == f.n) {
		add_concerning(warn, &seen, name_or_path);
		st = not_found(name_or_path, &seen, err);
		pa_warnings_release(&seen);
		pa_agent_entry_free(f.list, f.n);
		Pa_places_release(&pl);
		return st;
	}
	add_concerning(warn, &seen, name_or_path);
	pa_warnings_release(&seen);
	st = pa_agent_load_entry(&f.list[i], out, warn, err);
	pa_agent_entry_free(f.list, f.n);
	Pa_places_release(&pl);
	return st;
}
