/*
 * codex.c - the Codex CLI backend (backend.h): its row, and what Codex
 * CLI 0.169.0 reads for a working directory and sends of it (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its home: CODEX_HOME, else ~/.codex;
 *   - its configuration, config.toml there: `model`,
 *     `project_doc_max_bytes` (default 32 KiB), and
 *     `project_doc_fallback_filenames` (names read where a directory has
 *     no AGENTS.md);
 *   - the global file: AGENTS.override.md, else AGENTS.md, in its home;
 *   - from the project root (the nearest .git) down to the working
 *     directory, in each directory the first of AGENTS.override.md,
 *     AGENTS.md and the fallback names that exists.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"

#include <stdlib.h>
#include <string.h>

/* Codex's default of project_doc_max_bytes. */
#define CODEX_DOC_MAX_BYTES 32768

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);
static void compose(hx_found *f);

static const char *const files[] = { "AGENTS.override.md", "AGENTS.md", NULL };
static const char *const others[] = { "CLAUDE.md", NULL };

const Pa_cli_backend Pa_cli_codex = {
	PA_HARNESS_CODEX, "codex", "Codex CLI", NULL, "o200k_base",
	files, others, "it is not in project_doc_fallback_filenames",
	"project_doc_max_bytes", discover, compose
};

typedef struct cfg {
	hx_found *f;
	char **fallback;
	size_t n_fallback;
	pa_warnings *warn;
	const char *shown;
} cfg;

static void on_key(void *ctx, const char *key, const hx_toml_value *v)
{
	cfg *c = ctx;

	if (!strcmp(key, "model") && v->type == HX_TOML_STRING) {
		pa_free(c->f->model);
		c->f->model = Pa_xstrdup(v->str);
		c->f->model_from = "config.toml";
	} else if (!strcmp(key, "project_doc_max_bytes") && v->type == HX_TOML_INT &&
	           v->num >= 0) {
		c->f->max_bytes = v->num;
		c->f->max_bytes_from = "config.toml";
	} else if (!strcmp(key, "project_doc_fallback_filenames") &&
	           v->type == HX_TOML_ARRAY && v->strs) {
		size_t i;

		Pa_strings_free(c->fallback, c->n_fallback);
		c->fallback = Pa_xcalloc(v->n ? v->n : 1, sizeof(char *));
		c->n_fallback = 0;
		for (i = 0; i < v->n; i++) {
			/* a name, never a path: Codex joins it to each directory */
			if (!*v->strs[i] || strchr(v->strs[i], '/')) {
				Pa_warn_at(c->warn, c->shown, v->line,
				           "project_doc_fallback_filenames: an entry that is "
				           "not a file name is ignored");
				continue;
			}
			c->fallback[c->n_fallback++] = Pa_xstrdup(v->strs[i]);
		}
	} else if ((!strcmp(key, "model") || !strcmp(key, "project_doc_max_bytes") ||
	            !strcmp(key, "project_doc_fallback_filenames"))) {
		Pa_warn_at(c->warn, c->shown, v->line, "%s: a value of the wrong type "
		           "(Codex refuses this configuration)", key);
	}
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "CODEX_HOME");
	char *home = NULL, *conf;
	cfg c;
	size_t i, n, k;
	char **dirs;

	memset(&c, 0, sizeof(c));
	c.f = f;
	c.warn = warn;
	if (env && *env)
		home = Pa_xstrdup(env);
	else if (f->home)
		home = Pa_path_join(f->home, ".codex");
	if (home) {
		char *shown;
		int found;
		pa_status st;

		conf = Pa_path_join(home, "config.toml");
		shown = Pa_path_display(conf, f->root, f->home);
		c.shown = shown;
		st = Pa_hx_cfg_toml(f, PA_CFG_CODEX, conf, shown, on_key, &c, &found,
		                    err);
		pa_free(conf);
		if (st != PA_OK) {
			pa_free(shown);
			pa_free(home);
			Pa_strings_free(c.fallback, c.n_fallback);
			return st;
		}
		if (found)
			f->config = shown;
		else
			pa_free(shown);
	}
	Pa_hx_model_option(f, opt);
	if (opt->max_bytes >= 0) {
		f->max_bytes = opt->max_bytes;
		f->max_bytes_from = "the command line";
	}
	if (f->max_bytes < 0) {
		f->max_bytes = CODEX_DOC_MAX_BYTES;
		f->max_bytes_from = "Codex's default";
	}
	if (home && !Pa_hx_add_file(f, home, "AGENTS.override.md", 1, warn))
		Pa_hx_add_file(f, home, "AGENTS.md", 1, warn);
	pa_free(home);

	{
		/* its own names, then the fallback names */
		const char **names = Pa_xcalloc(c.n_fallback + 3, sizeof(char *));
		size_t nn = 0;

		while (files[nn]) {
			names[nn] = files[nn];
			nn++;
		}
		for (k = 0; k < c.n_fallback; k++)
			names[nn++] = c.fallback[k];
		Pa_hx_set_names(f, names, nn);
		pa_free(names);
	}
	dirs = Pa_hx_chain(f, &n);
	for (i = 0; i < n; i++)
		for (k = 0; k < f->n_names; k++)
			if (Pa_hx_add_file(f, dirs[i], f->names[k], 0, warn)) {
				f->files[f->n - 1].in = HX_IN_USER;
				break;
			}
	Pa_strings_free(dirs, n);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_USER;
	Pa_hx_note_unread(f);
	Pa_strings_free(c.fallback, c.n_fallback);
	return PA_OK;
}

/* The global file whole; the project's files share max_bytes, root
 * first: the file that crosses it is cut at that byte (in the middle of a
 * line, of a character even), the ones after it are dropped. */
static void compose(hx_found *f)
{
	size_t i;
	unsigned long long left = (unsigned long long)f->max_bytes;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (!x->read || x->empty)
			continue;
		if (x->global) {
			/* sent without its trailing white space (measured:
			 * fixtures/crlf-bom.txt); a byte order mark is kept */
			size_t n = x->text.len;

			while (n && (x->text.ptr[n - 1] == ' ' || x->text.ptr[n - 1] == '\t' ||
			             x->text.ptr[n - 1] == '\n' || x->text.ptr[n - 1] == '\r'))
				n--;
			x->sent = n;
			continue;
		}
		if (left == 0) {
			x->dropped = 1;
			continue;
		}
		x->sent = x->text.len <= left ? x->text.len : (size_t)left;
		x->cut = x->sent < x->text.len;
		left -= x->sent;
	}
}
