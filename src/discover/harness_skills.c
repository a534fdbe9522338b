/*
 * harness_skills.c - the skills a CLI lists in its first request by name
 * and description (Gemini CLI 0.61.0, opencode 1.18.33, Copilot CLI
 * 1.0.102; measured: tests/oracle-harness/fixtures/skills-*.txt): each
 * folder of a skills folder that holds a SKILL.md is a skill when the
 * CLI's own reader of its front matter, in the CLI's row file, gives it
 * a name (or the folder's) and a description (Pa_hx_skill_read: each
 * reads YAML with its own library and has its own fallback,
 * skills-yaml-edges.txt).  Its entry in the listing is built from those
 * fields in the structure the CLI gives it; the listing's own words and
 * the CLI's built-in skills are part of its measured own text (they are
 * sent with or without a skill of the project's).  pi's rules are its
 * own (pi.c).
 */
#define _XOPEN_SOURCE 700
#include "services.h"
#include "frontmatter.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct names {
	char **v;
	size_t n;
} names;

static int add_name(void *ctx, const char *name, int sub)
{
	names *l = ctx;

	(void)sub;
	if (name[0] == '.')
		return 1;
	l->v = Pa_xgrow(l->v, l->n, sizeof(char *));
	l->v[l->n++] = Pa_xstrdup(name);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The one escape of a skill listing's fields, whichever CLI lists them
 * (pi.c's too): the five characters XML reserves. */
void Pa_hx_put_xml(pa_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (s[i]) {
		case '&': pa_buf_puts(b, "&amp;"); break;
		case '<': pa_buf_puts(b, "&lt;"); break;
		case '>': pa_buf_puts(b, "&gt;"); break;
		case '"': pa_buf_puts(b, "&quot;"); break;
		case '\'': pa_buf_puts(b, "&apos;"); break;
		default: pa_buf_putc(b, s[i]);
		}
}

int Pa_hx_skill_yaml(const hx_file *x, Pa_ynode **tree, size_t *body_at)
{
	Pa_frontmatter fm;
	pa_error err;
	pa_status st;
	int kind;

	*tree = NULL;
	*body_at = 0;
	memset(&err, 0, sizeof(err));
	st = Pa_frontmatter_parse(x->text.ptr, x->text.len, x->shown, &fm, &err);
	if (!fm.present)
		kind = HX_YAML_NONE;
	else if (fm.not_mapping)
		kind = HX_YAML_NOT_MAPPING;
	else if (st != PA_OK || fm.lenient || fm.duplicates)
		kind = HX_YAML_REFUSED;
	else
		kind = HX_YAML_MAPPING;
	if (fm.present && fm.body)
		*body_at = (size_t)(fm.body - x->text.ptr);
	if (kind == HX_YAML_MAPPING) {
		*tree = fm.root;
		fm.root = NULL;
	}
	Pa_frontmatter_release(&fm);
	return kind;
}

char *Pa_hx_yaml_text(const Pa_ynode *tree, const char *key, int how,
                      size_t *n)
{
	const Pa_ynode *v = tree ? Pa_ynode_get(tree, key) : NULL;
	const char *t;

	*n = 0;
	if (!v || v->type != PA_YNODE_SCALAR || Pa_ynode_is_null(v))
		return NULL;
	if ((how & HX_TEXT_STRINGS) && Pa_ynode_core(v) != PA_YCORE_STRING)
		return NULL;
	t = v->scalar;
	*n = v->scalar_len;
	if (how & HX_TEXT_TRIM) {
		Pa_text_trim(&t, n);
		if (!*n)
			return NULL;
	}
	return Pa_xstrndup(t, *n);
}

/* x made a skill of style when its CLI's reader gives it fields; its
 * name is *name (the caller frees).  0: not a skill, x untouched. */
static int make_entry(hx_file *x, const char *folder, const char *folder_dir,
                      int new_root, size_t root_no, int style, int global,
                      Pa_hx_skill_read read, char **name)
{
	char *d = NULL;
	size_t dn = 0;

	*name = NULL;
	if (!read(x, name, &d, &dn))
		return 0;
	if (!*name)
		*name = Pa_xstrdup(folder);
	pa_buf_reset(&x->as_sent);
	if (style == HX_SKILLS_QWEN) {
		const char *where = global ? "user" : "project";

		pa_buf_puts(&x->as_sent, "\n<skill>\n<name>\n");
		pa_buf_puts(&x->as_sent, *name);
		pa_buf_puts(&x->as_sent, "\n</name>\n<description>\n");
		pa_buf_put(&x->as_sent, d, dn);
		pa_buf_printf(&x->as_sent, " (%s)\n</description>\n<location>\n%s\n"
		              "</location>\n</skill>", where, where);
	} else if (style == HX_SKILLS_CODEX) {
		/* its folder, the root it is named from, once per root (a
		 * line of the roots' table) */
		char *root = Pa_path_dirname(folder_dir);

		if (new_root)
			pa_buf_printf(&x->as_sent, "\n- `r%zu` = `%s`", root_no, root);
		pa_buf_printf(&x->as_sent, "\n- %s: ", *name);
		pa_buf_put(&x->as_sent, d, dn);
		pa_buf_printf(&x->as_sent, " (file: r%zu/%s/SKILL.md)", root_no, folder);
		pa_free(root);
	} else if (style == HX_SKILLS_XML_SCOPE) {
		pa_buf_puts(&x->as_sent, "\n<skill>\n  <name>");
		Pa_hx_put_xml(&x->as_sent, *name, strlen(*name));
		pa_buf_puts(&x->as_sent, "</name>\n  <description>");
		Pa_hx_put_xml(&x->as_sent, d, dn);
		pa_buf_printf(&x->as_sent, "</description>\n  <location>%s</location>\n"
		              "</skill>", global ? "user" : "project");
	} else {
		pa_buf_puts(&x->as_sent, "\n  <skill>\n    <name>");
		Pa_hx_put_xml(&x->as_sent, *name, strlen(*name));
		pa_buf_puts(&x->as_sent, "</name>\n    <description>");
		Pa_hx_put_xml(&x->as_sent, d, dn);
		pa_buf_puts(&x->as_sent, "</description>\n    <location>");
		Pa_hx_put_xml(&x->as_sent, x->path, strlen(x->path));
		pa_buf_puts(&x->as_sent, "</location>\n  </skill>");
	}
	pa_free(d);
	return 1;
}

/* The name in an entry: after `<name>` and the white space there (or
 * a Codex entry's `- `), up to the next `<`, `:` or line end. */
static size_t entry_name(const hx_file *x, const char **at)
{
	const char *p = strstr(x->as_sent.ptr, "<name>"), *q;

	if (!p) {
		/* Codex: the last line, `- NAME: ...` */
		q = strrchr(x->as_sent.ptr, '\n');
		*at = q ? q + 3 : "";
		return q ? strcspn(q + 3, ":") : 0;
	}
	p += 6;
	while (*p == '\n')
		p++;
	*at = p;
	return strcspn(p, "<\n");
}

static int cmp_skill_name(const void *a, const void *b)
{
	const char *p, *q;
	size_t pn = entry_name(a, &p), qn = entry_name(b, &q);
	int c = memcmp(p, q, pn < qn ? pn : qn);

	return c ? c : (pn > qn) - (pn < qn);
}

void Pa_hx_skills(hx_found *f, char *const *dirs, const int *global, size_t n,
                  int style, int sorted, Pa_hx_skill_read read,
                  pa_warnings *warn)
{
	Pa_strset taken = PA_STRSET_INIT;
	size_t i, k, first = f->n;

	for (i = 0; i < n; i++) {
		names l = { NULL, 0 };
		size_t listed = 0;

		if (global[i] && f->no_user)
			continue;
		if (!(Pa_hx_kind(f->cache, dirs[i]) & HX_KIND_DIR))
			continue;
		Pa_hx_list_dir(f->cache, dirs[i], add_name, &l);
		if (l.n > 1) /* an empty folder's list is NULL: not for qsort */
			qsort(l.v, l.n, sizeof(char *), cmp_str);
		for (k = 0; k < l.n; k++) {
			char *sub = Pa_path_join(dirs[i], l.v[k]), *name = NULL;
			hx_file *x;

			if (!(Pa_hx_kind(f->cache, sub) & HX_KIND_DIR) ||
			    !Pa_hx_exists(sub, "SKILL.md")) {
				pa_free(sub);
				continue;
			}
			x = Pa_hx_add_file(f, sub, "SKILL.md", global[i], warn);
			pa_free(sub);
			if (!x)
				continue;
			x->global = global[i];
			x->in = HX_IN_SYSTEM;
			if (!x->read)
				continue; /* refused: the request is incomplete */
			if (!make_entry(x, l.v[k], x->dir, !listed, i, style, global[i],
			                read, &name)) {
				Pa_warn_at(warn, x->shown, 0, "%s: %s lists no skill of it "
				           "(its front matter gives no name or description "
				           "it takes)", x->shown, f->backend->display);
				Pa_hx_drop_last(f);
			} else if (!Pa_strset_add(&taken, name, strlen(name))) {
				Pa_warn_at(warn, x->shown, 0, "%s: a skill named %s is found "
				           "already: %s lists one", x->shown, name,
				           f->backend->display);
				Pa_hx_drop_last(f);
			} else {
				x->skill = 1;
				listed++;
			}
			pa_free(name);
		}
		Pa_strings_free(l.v, l.n);
	}
	/* listed by name, whatever folder each is of */
	if (sorted && f->n > first)
		qsort(f->files + first, f->n - first, sizeof(hx_file), cmp_skill_name);
	Pa_strset_release(&taken);
}
