/*
 * discover_opencode.c - what opencode 1.18.33 reads for a working
 * directory (measured: tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its model: `model` of opencode.json in the project root, else of
 *     ~/.config/opencode/opencode.json ($XDG_CONFIG_HOME);
 *   - the global file: ~/.config/opencode/AGENTS.md, else
 *     ~/.claude/CLAUDE.md;
 *   - the project's files nearest first, from the working directory up
 *     to the root (outside a repository, up to /): every AGENTS.md, or when there is none on the way,
 *     every CLAUDE.md.
 *
 * All of it in the system message.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define OPENCODE_CONFIG_MAX_BYTES (1L * 1024 * 1024)

/* `model` of one opencode.json, when it has one. */
static pa_status read_model(hx_found *f, const char *dir, pa_error *err)
{
	char *p = pa_path_join(dir, "opencode.json");
	pa_buf text = PA_BUF_INIT;
	pa_error e;
	pa_jnode *root = NULL;
	pa_status st = PA_OK;

	memset(&e, 0, sizeof(e));
	if (pa_file_read_limited(p, OPENCODE_CONFIG_MAX_BYTES, 0, &text, &e) == PA_OK) {
		char *shown = pa_path_display(p, f->root, f->home);

		st = pa_json_parse(text.ptr, text.len, shown, &root, err);
		if (st == PA_OK) {
			const pa_jnode *m = pa_jnode_get(root, "model");

			if (m && m->type == PA_JSON_STRING && !f->model) {
				f->model = pa_xstrdup(m->text);
				f->model_from = "opencode.json";
				pa_free(f->config);
				f->config = pa_xstrdup(shown);
			}
		}
		pa_jnode_free(root);
		pa_free(shown);
	}
	pa_buf_release(&text);
	pa_free(p);
	return st;
}

pa_status hx_discover_opencode(hx_found *f, const hx_options *opt,
                               pa_warnings *warn, pa_error *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char *conf = NULL, **dirs;
	size_t n, i;
	static const char *const names[] = { "AGENTS.md", "CLAUDE.md" };
	static const char *const others[] = { NULL };

	if (!f->in_repo) {
		/* outside a repository it looks up to / (measured:
		 * fixtures/no-git.txt) */
		pa_free(f->root);
		f->root = pa_xstrdup("/");
	}
	if (opt && opt->model) {
		f->model = pa_xstrdup(opt->model);
		f->model_from = "the command line";
	}
	if (xdg && *xdg == '/')
		conf = pa_path_join(xdg, "opencode");
	else if (f->home)
		conf = pa_path_join(f->home, ".config/opencode");
	if (read_model(f, f->root, err) != PA_OK ||
	    (conf && read_model(f, conf, err) != PA_OK)) {
		pa_free(conf);
		return PA_ERR_PARSE;
	}
	hx_set_names(f, names, 2);
	if (!conf || !hx_add_file(f, conf, "AGENTS.md", 1, warn)) {
		if (f->home) {
			char *c = pa_path_join(f->home, ".claude");

			hx_add_file(f, c, "CLAUDE.md", 1, warn);
			pa_free(c);
		}
	}
	pa_free(conf);
	/* AGENTS.md files wherever one is on the path; else CLAUDE.md files
	 * (measured: fixtures/fallback.txt, claude-only.txt) */
	dirs = hx_chain(f, &n);
	{
		size_t k, before = f->n;

		for (k = 0; k < 2 && f->n == before; k++)
			for (i = n; i-- > 0;)
				hx_add_file(f, dirs[i], names[k], 0, warn);
	}
	pa_strings_free(dirs, n);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	hx_note_unread(f, others);
	return PA_OK;
}
