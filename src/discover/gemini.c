/*
 * discover_gemini.c - what Gemini CLI 0.61.0 reads for a working directory
 * (measured: tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its settings, ~/.gemini/settings.json, then the working directory's
 *     .gemini/settings.json (measured: fixtures/project-config.txt):
 *     `context.fileName` (a name
 *     or a list of names), GEMINI.md after them, and `model.name`; then
 *     $GEMINI_MODEL;
 *   - the global file: each name in ~/.gemini, at the end of the system
 *     instruction;
 *   - from the project root down to the working directory, each name in
 *     each directory, in the first user message;
 *   - a line `@path` imports the file at path (relative to the
 *     importing file), inlined where the line stood.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define GEMINI_CONFIG_MAX_BYTES (1L * 1024 * 1024)
#define GEMINI_IMPORT_MAX_DEPTH 5

/* One settings.json (the user's in ~/.gemini, then the workspace's in
 * the working directory's .gemini, which wins). */
static pa_status read_settings(hx_found *f, const char *dir, pa_error *err)
{
	char *p;
	pa_buf text = PA_BUF_INIT;
	pa_error e;
	pa_jnode *root = NULL;
	pa_status st = PA_OK;

	if (!dir)
		return PA_OK;
	p = Pa_path_join(dir, ".gemini/settings.json");
	memset(&e, 0, sizeof(e));
	if (pa_file_read_limited(p, GEMINI_CONFIG_MAX_BYTES, 0, &text, &e) == PA_OK) {
		char *shown = Pa_path_display(p, f->root, f->home);

		st = Pa_json_parse(text.ptr, text.len, shown, &root, err);
		if (st == PA_OK) {
			const pa_jnode *ctx = Pa_jnode_get(root, "context");
			const pa_jnode *fn = Pa_jnode_get(ctx, "fileName");
			const pa_jnode *m = Pa_jnode_get(Pa_jnode_get(root, "model"), "name");

			pa_free(f->config);
			f->config = Pa_xstrdup(shown);
			if (fn && fn->type == PA_JSON_STRING && *fn->text &&
			    !strchr(fn->text, '/')) {
				const char *one = fn->text;

				Pa_hx_set_names(f, &one, 1);
			} else if (fn && fn->type == PA_JSON_ARRAY) {
				const char **nm = Pa_xcalloc(fn->n + 1, sizeof(char *));
				size_t i, k = 0;

				for (i = 0; i < fn->n; i++)
					if (fn->items[i]->type == PA_JSON_STRING &&
					    *fn->items[i]->text && !strchr(fn->items[i]->text, '/'))
						nm[k++] = fn->items[i]->text;
				Pa_hx_set_names(f, nm, k);
				pa_free(nm);
			}
			if (m && m->type == PA_JSON_STRING) {
				pa_free(f->model);
				f->model = Pa_xstrdup(m->text);
				f->model_from = "settings.json";
			}
		}
		Pa_jnode_free(root);
		pa_free(shown);
	}
	pa_buf_release(&text);
	pa_free(p);
	return st;
}

/* The imports of x: each line that is `@path` alone, outside code
 * fences, in order, added after it with depth + 1. */
static void add_imports(hx_found *f, size_t xi, pa_warnings *warn)
{
	const char *s, *end;
	int fence = 0;
	pa_buf text = PA_BUF_INIT;
	int depth;
	char *dir, *shown;

	if (!f->files[xi].read || f->files[xi].depth >= GEMINI_IMPORT_MAX_DEPTH)
		return;
	/* f->files moves as files are added: copy what is needed */
	pa_buf_put(&text, f->files[xi].text.ptr, f->files[xi].text.len);
	depth = f->files[xi].depth;
	dir = Pa_path_dirname(f->files[xi].path);
	shown = Pa_xstrdup(f->files[xi].shown);
	s = text.ptr;
	end = text.ptr + text.len;
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		const char *le = e ? e : end, *a = s, *b;

		if (le > a && le[-1] == '\r')
			le--;
		while (a < le && (*a == ' ' || *a == '\t'))
			a++;
		if (le - a >= 3 && (!memcmp(a, "```", 3) || !memcmp(a, "~~~", 3)))
			fence = !fence;
		else if (!fence && a < le && *a == '@') {
			b = le;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			if (b - a > 1 && !memchr(a, ' ', (size_t)(b - a))) {
				char *rel = Pa_xmalloc((size_t)(b - a));
				char *full, *idir, *ibase;
				hx_file *x;

				memcpy(rel, a + 1, (size_t)(b - a - 1));
				rel[b - a - 1] = '\0';
				full = Pa_path_normalize(dir, rel);
				idir = Pa_path_dirname(full);
				ibase = Pa_xstrdup(full + strlen(idir) + (strcmp(idir, "/") ? 1 : 0));
				x = Pa_hx_add_file(f, idir, ibase, 0, warn);
				if (x) {
					size_t at = (size_t)(x - f->files);

					/* the line is replaced by the file */
					f->files[xi].replaced += (size_t)((e ? e + 1 : end) - s);
					x->depth = depth + 1;
					x->parent = Pa_xstrdup(shown);
					x->in = HX_IN_USER;
					add_imports(f, at, warn);
				}
				pa_free(rel);
				pa_free(full);
				pa_free(idir);
				pa_free(ibase);
			}
		}
		s = e ? e + 1 : end;
	}
	pa_buf_release(&text);
	pa_free(dir);
	pa_free(shown);
}

pa_status Pa_hx_discover_gemini(hx_found *f, const hx_options *opt,
                             pa_warnings *warn, pa_error *err)
{
	const char *env = getenv("GEMINI_MODEL");
	char **dirs;
	size_t n, i, k;
	static const char *const def[] = { "GEMINI.md" };
	static const char *const others[] = { "AGENTS.md", NULL };

	Pa_hx_set_names(f, def, 1);
	if (read_settings(f, f->home, err) != PA_OK ||
	    read_settings(f, f->cwd, err) != PA_OK)
		return PA_ERR_PARSE;
	/* GEMINI.md is read after the names context.fileName gives
	 * (measured: fixtures/gemini-names.txt) */
	for (k = 0; k < f->n_names && strcmp(f->names[k], "GEMINI.md"); k++)
		;
	if (k == f->n_names) {
		const char **nm = Pa_xcalloc(f->n_names + 1, sizeof(char *));

		for (k = 0; k < f->n_names; k++)
			nm[k] = f->names[k];
		nm[k] = "GEMINI.md";
		{
			char **old = f->names;
			size_t oldn = f->n_names;

			f->names = NULL;
			f->n_names = 0;
			Pa_hx_set_names(f, nm, oldn + 1);
			Pa_strings_free(old, oldn);
		}
		pa_free(nm);
	}
	if (env && *env && !f->model) {
		f->model = Pa_xstrdup(env);
		f->model_from = "GEMINI_MODEL";
	}
	if (opt && opt->model) {
		pa_free(f->model);
		f->model = Pa_xstrdup(opt->model);
		f->model_from = "the command line";
	}
	if (f->home) {
		char *g = Pa_path_join(f->home, ".gemini");

		for (k = 0; k < f->n_names; k++) {
			hx_file *x = Pa_hx_add_file(f, g, f->names[k], 1, warn);

			if (x) {
				x->in = HX_IN_SYSTEM;
				add_imports(f, (size_t)(x - f->files), warn);
			}
		}
		pa_free(g);
	}
	dirs = Pa_hx_chain(f, &n);
	for (i = 0; i < n; i++)
		for (k = 0; k < f->n_names; k++) {
			hx_file *x = Pa_hx_add_file(f, dirs[i], f->names[k], 0, warn);

			if (x) {
				x->in = HX_IN_USER;
				add_imports(f, (size_t)(x - f->files), warn);
			}
		}
	Pa_strings_free(dirs, n);
	Pa_hx_note_unread(f, others);
	return PA_OK;
}
