/*
 * copilot.c - the Copilot CLI backend (backend.h): its row, and what
 * Copilot CLI 1.0.102 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its model: COPILOT_MODEL, else its default;
 *   - ~/.copilot/copilot-instructions.md;
 *   - .github/copilot-instructions.md of the root, of the working
 *     directory, then of the directories between;
 *   - the root's AGENTS.md, CLAUDE.md and GEMINI.md;
 *   - the working directory's, then those of the directories between it
 *     and the root, nearest the root first;
 *   - every .github/instructions/ file ending in .instructions.md, sorted
 *     by path: sent whole (front matter kept) when its applyTo is "**" or
 *     it has none, else only named with its applyTo.
 *
 * All of it in the system message, each file whole.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"

#include <stdlib.h>
#include <string.h>

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* Read at each level of the project, in this order. */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", "GEMINI.md",
                                     NULL };

const Pa_cli_backend Pa_cli_copilot = {
	PA_HARNESS_COPILOT, "copilot", "Copilot CLI", NULL, "o200k_base",
	names, NULL, NULL, NULL, discover, Pa_hx_compose_whole
};

static void add_github(hx_found *f, const char *dir, pa_warnings *warn)
{
	char *gh = Pa_path_join(dir, ".github");

	Pa_hx_add_file(f, gh, "copilot-instructions.md", 0, warn);
	pa_free(gh);
}

/* Copilot inlines a file an AGENTS.md names as `@path` (relative to the
 * root), after the mention, the mention kept; each file once (measured:
 * fixtures/imports.txt; GEMINI.md and the others are sent as written). */
static void add_mentions(hx_found *f, size_t xi, pa_warnings *warn)
{
	pa_buf text = PA_BUF_INIT;
	char *shown = Pa_xstrdup(f->files[xi].shown);
	size_t i = 0;
	/* the mentions looked at: a file mentioned again costs a look in a
	 * set, never a pass over the files (400,000 mentions of a 4 MB
	 * AGENTS.md stay linear) */
	Pa_strset tried = PA_STRSET_INIT;

	pa_buf_put(&text, f->files[xi].text.ptr, f->files[xi].text.len);
	while (i < text.len) {
		size_t b, e;

		if (text.ptr[i] != '@' || (i > 0 && text.ptr[i - 1] != ' ' &&
		    text.ptr[i - 1] != '\t' && text.ptr[i - 1] != '\n')) {
			i++;
			continue;
		}
		b = i + 1;
		for (e = b; e < text.len && text.ptr[e] != ' ' && text.ptr[e] != '\t' &&
		     text.ptr[e] != '\n' && text.ptr[e] != '\r'; e++)
			;
		while (e > b && strchr(".,;:)!?", text.ptr[e - 1]))
			e--;
		if (e > b && memchr(text.ptr + b, '.', e - b) && !memchr(text.ptr + b, '\0', e - b)) {
			char *rel, *full, *dir, *base;
			int seen;

			if (!Pa_strset_add(&tried, text.ptr + b, e - b)) {
				i = e;
				continue;
			}
			rel = Pa_xmalloc(e - b + 1);
			memcpy(rel, text.ptr + b, e - b);
			rel[e - b] = '\0';
			full = Pa_path_normalize(f->root, rel);
			seen = Pa_strset_has(&f->paths, full, strlen(full));
			dir = Pa_path_dirname(full);
			base = Pa_xstrdup(full + strlen(dir) + (strcmp(dir, "/") ? 1 : 0));
			if (!seen && Pa_path_under(full, f->root)) {
				hx_file *x = Pa_hx_add_file(f, dir, base, 0, warn);

				if (x) {
					x->depth = 1;
					x->parent = Pa_xstrdup(shown);
				}
			}
			pa_free(rel);
			pa_free(full);
			pa_free(dir);
			pa_free(base);
		}
		i = e > b ? e : b;
	}
	Pa_strset_release(&tried);
	pa_buf_release(&text);
	pa_free(shown);
}

static void add_level_mentions(hx_found *f, const char *dir, pa_warnings *warn)
{
	size_t k;

	for (k = 0; names[k]; k++) {
		hx_file *x = Pa_hx_add_file(f, dir, names[k], 0, warn);

		if (x && x->read && k == 0)
			add_mentions(f, (size_t)(x - f->files), warn);
	}
}

/* The applyTo value of a file's front matter (the one frontmatter
 * reader's, after a byte order mark), or NULL: none, or front matter that
 * does not parse (the file is then sent whole).  A list is its items
 * joined by commas, as Copilot takes a string of globs. */
static char *apply_to(const hx_file *x)
{
	const char *s = x->text.ptr;
	size_t len = x->text.len, n, i;
	Pa_frontmatter fm;
	pa_error e;
	char *r = NULL;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3, len -= 3;
	memset(&e, 0, sizeof(e));
	if (Pa_frontmatter_parse_as(s, len, x->shown, PA_FM_LINES, &fm, &e) != PA_OK)
		return NULL;
	{
		const Pa_ynode *v = fm.root ? Pa_ynode_get(fm.root, "applyTo") : NULL;

		if (v && v->type == PA_YNODE_SCALAR) {
			r = Pa_xstrdup(v->scalar);
		} else if (v && v->type == PA_YNODE_SEQUENCE) {
			char **items = Pa_ynode_string_list(v, &n);
			pa_buf b = PA_BUF_INIT;

			for (i = 0; i < n; i++) {
				if (i)
					pa_buf_putc(&b, ',');
				pa_buf_puts(&b, items[i]);
				pa_free(items[i]);
			}
			pa_free(items);
			r = Pa_xstrdup(b.ptr);
			pa_buf_release(&b);
		}
	}
	Pa_frontmatter_release(&fm);
	return r;
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "COPILOT_MODEL");
	char **dirs, *gh, *instr;
	size_t n, i;
	char **md = NULL;
	size_t nmd = 0;

	(void)err;
	if (env && *env) {
		f->model = Pa_xstrdup(env);
		f->model_from = "COPILOT_MODEL";
	}
	Pa_hx_model_option(f, opt);
	Pa_hx_set_names(f, names, sizeof(names) / sizeof(names[0]) - 1);
	if (f->home) {
		char *d = Pa_path_join(f->home, ".copilot");

		Pa_hx_add_file(f, d, "copilot-instructions.md", 1, warn);
		pa_free(d);
	}
	gh = Pa_path_join(f->root, ".github");
	dirs = Pa_hx_chain(f, &n);
	/* .github/copilot-instructions.md of the root, the working directory,
	 * then those between (measured: fixtures/mixed-order.txt) */
	add_github(f, dirs[0], warn);
	if (n > 1)
		add_github(f, dirs[n - 1], warn);
	for (i = 1; i + 1 < n; i++)
		add_github(f, dirs[i], warn);
	add_level_mentions(f, dirs[0], warn);
	if (n > 1)
		add_level_mentions(f, dirs[n - 1], warn);
	for (i = 1; i + 1 < n; i++)
		add_level_mentions(f, dirs[i], warn);
	Pa_strings_free(dirs, n);

	instr = Pa_path_join(gh, "instructions");
	Pa_hx_find_md_files(f, instr, warn, &md, &nmd);
	for (i = 0; i < nmd; i++) {
		size_t l = strlen(md[i]);
		char *full, *dir, *base;
		hx_file *x;

		if (l < 16 || strcmp(md[i] + l - 16, ".instructions.md"))
			continue;
		full = md[i][0] == '/' ? Pa_xstrdup(md[i]) : Pa_path_join(instr, md[i]);
		dir = Pa_path_dirname(full);
		base = Pa_xstrdup(full + strlen(dir) + (strcmp(dir, "/") ? 1 : 0));
		x = Pa_hx_add_file(f, dir, base, 0, warn);
		if (x && x->read) {
			x->apply_to = apply_to(x);
			x->listed = x->apply_to && strcmp(x->apply_to, "**") != 0;
		}
		pa_free(full);
		pa_free(dir);
		pa_free(base);
	}
	Pa_strings_free(md, nmd);
	/* the files named only come after the ones sent (a table of them) */
	{
		size_t first = f->n, k, j;

		for (k = 0; k < f->n; k++)
			if (f->files[k].listed) {
				first = k;
				break;
			}
		for (k = first, j = first; k < f->n; k++)
			if (!f->files[k].listed) {
				hx_file t = f->files[k];

				memmove(&f->files[j + 1], &f->files[j], (k - j) * sizeof(hx_file));
				f->files[j++] = t;
			}
	}
	pa_free(instr);
	pa_free(gh);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	Pa_hx_note_unread(f);
	return PA_OK;
}
