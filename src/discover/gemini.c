/*
 * gemini.c - the Gemini CLI backend (backend.h): its row, and what Gemini
 * CLI 0.61.0 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its settings, ~/.gemini/settings.json, then the working directory's
 *     .gemini/settings.json (measured: fixtures/project-config.txt):
 *     `context.fileName` (a name
 *     or a list of names), GEMINI.md after them, and `model.name`; then
 *     GEMINI_MODEL;
 *   - the global file: each name in ~/.gemini, at the end of the system
 *     instruction;
 *   - from the project root down to the working directory, each name in
 *     each directory, in the first user message;
 *   - a line `@path` imports the file at path (relative to the
 *     importing file), inlined where the line stood.
 *
 * Each file is sent whole, the @import lines replaced.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "util/util.h"
#include "base/markdown.h"

#include <stdlib.h>
#include <string.h>

#define GEMINI_IMPORT_MAX_DEPTH 5

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* Its name when context.fileName gives none, and after those it gives. */
static const char *const files[] = { "GEMINI.md", NULL };
static const char *const others[] = { "AGENTS.md", NULL };

const Pa_cli_backend Pa_cli_gemini = {
	PA_HARNESS_GEMINI, "gemini", "Gemini CLI", NULL, NULL,
	files, others, "it is not in context.fileName", NULL,
	discover, Pa_hx_compose_whole
};

/* One settings.json (the user's in ~/.gemini, then the workspace's in
 * the working directory's .gemini, which wins). */
static pa_status read_settings(hx_found *f, const char *dir, pa_error *err)
{
	char *p;
	Pa_cfg_json j;
	const Pa_jnode *root;
	char *shown;
	pa_status st;

	if (!dir)
		return PA_OK;
	p = Pa_path_join(dir, ".gemini/settings.json");
	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, PA_CFG_GEMINI, p, shown, &j, err);
	root = j.root;
	if (root) {
		const Pa_jnode *ctx = Pa_jnode_get(root, "context");
		const Pa_jnode *fn = Pa_jnode_get(ctx, "fileName");
		const Pa_jnode *m = Pa_jnode_get(Pa_jnode_get(root, "model"), "name");

		pa_free(f->config);
		f->config = Pa_xstrdup(shown);
		Pa_hx_set_names_json(f, fn);
		if (m && m->type == PA_JSON_STRING) {
			pa_free(f->model);
			f->model = Pa_xstrdup(m->text);
			f->model_from = "settings.json";
		}
	}
	Pa_cfg_json_release(&j);
	pa_free(shown);
	pa_free(p);
	return st;
}

/* The imports of x: each line that is `@path` alone, outside code (the
 * Markdown scanner's fences and indented code), in order, added after it
 * with depth + 1.  An import of a file already in the chain of imports
 * that led here (chain: their real paths, x's last) is not followed, as
 * Gemini stops a circular import: a file importing itself twelve times
 * is sent once, not 12^5 times. */
static void add_imports(hx_found *f, size_t xi, const char **chain,
                        size_t nchain, pa_warnings *warn)
{
	pa_buf text = PA_BUF_INIT;
	Pa_md_scanner sc;
	Pa_md_line ln;
	int depth;
	char *dir, *shown;

	const char *links[GEMINI_IMPORT_MAX_DEPTH + 2];

	if (f->full || !f->files[xi].read ||
	    f->files[xi].depth >= GEMINI_IMPORT_MAX_DEPTH ||
	    nchain > GEMINI_IMPORT_MAX_DEPTH)
		return;
	if (nchain)
		memcpy(links, chain, nchain * sizeof(*chain));
	links[nchain] = f->files[xi].real;
	/* f->files moves as files are added: copy what is needed */
	pa_buf_put(&text, f->files[xi].text.ptr, f->files[xi].text.len);
	depth = f->files[xi].depth;
	dir = Pa_path_dirname(f->files[xi].path);
	shown = Pa_xstrdup(f->files[xi].shown);
	Pa_md_scan_init(&sc, text.ptr, text.len);
	while (!f->full && Pa_md_scan_next(&sc, &ln)) {
		const char *a = text.ptr + ln.start, *b = text.ptr + ln.end;

		if (Pa_md_line_is_code(&ln))
			continue;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b - a > 1 && *a == '@' && !memchr(a, ' ', (size_t)(b - a))) {
			char *rel = Pa_xmalloc((size_t)(b - a));
			char *full, *idir, *ibase;
			hx_file *x;

			char *real;
			size_t c;
			int circular = 0;

			memcpy(rel, a + 1, (size_t)(b - a - 1));
			rel[b - a - 1] = '\0';
			full = Pa_path_normalize(dir, rel);
			idir = Pa_path_dirname(full);
			ibase = Pa_xstrdup(full + strlen(idir) + (strcmp(idir, "/") ? 1 : 0));
			if (f->n >= PA_WALK_MAX_ENTRIES) {
				/* the load is full: the entry that says so, made
				 * without touching the file system, and no more */
				Pa_hx_add_file(f, idir, ibase, 0, warn);
				x = NULL;
			} else if (!Pa_path_under(full, f->root)) {
				/* decided on the path alone: whether a file exists
				 * outside the project is never looked up, so a
				 * pull request cannot probe the runner's files */
				Pa_hx_add_refused(f, full, rel, "an import outside the "
				                  "project (Gemini CLI reads it, promptasm "
				                  "does not)", warn);
				x = NULL;
			} else {
				real = realpath(full, NULL);
				for (c = 0; real && c <= nchain; c++)
					circular |= links[c] && !strcmp(links[c], real);
				free(real);
				x = circular ? NULL : Pa_hx_add_file(f, idir, ibase, 0, warn);
			}
			if (x) {
				size_t at = (size_t)(x - f->files);

				/* the line is replaced by the file */
				f->files[xi].replaced += ln.next - ln.start;
				x->depth = depth + 1;
				x->parent = Pa_xstrdup(shown);
				x->in = HX_IN_USER;
				add_imports(f, at, links, nchain + 1, warn);
			}
			pa_free(rel);
			pa_free(full);
			pa_free(idir);
			pa_free(ibase);
		}
	}
	pa_buf_release(&text);
	pa_free(dir);
	pa_free(shown);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "GEMINI_MODEL");
	char **dirs;
	size_t n, i, k;

	Pa_hx_set_names(f, files, 1);
	if (read_settings(f, f->home, err) != PA_OK ||
	    read_settings(f, f->cwd, err) != PA_OK)
		return PA_ERR_PARSE;
	/* GEMINI.md is read after the names context.fileName gives
	 * (measured: fixtures/gemini-names.txt) */
	for (k = 0; k < f->n_names && strcmp(f->names[k], files[0]); k++)
		;
	if (k == f->n_names) {
		const char **nm = Pa_xcalloc(f->n_names + 1, sizeof(char *));

		for (k = 0; k < f->n_names; k++)
			nm[k] = f->names[k];
		nm[k] = files[0];
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
	Pa_hx_model_option(f, opt);
	if (f->home) {
		char *g = Pa_path_join(f->home, ".gemini");

		for (k = 0; k < f->n_names; k++) {
			hx_file *x = Pa_hx_add_file(f, g, f->names[k], 1, warn);

			if (x) {
				x->in = HX_IN_SYSTEM;
				add_imports(f, (size_t)(x - f->files), NULL, 0, warn);
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
				add_imports(f, (size_t)(x - f->files), NULL, 0, warn);
			}
		}
	Pa_strings_free(dirs, n);
	Pa_hx_note_unread(f);
	return PA_OK;
}
