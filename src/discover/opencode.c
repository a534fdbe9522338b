/*
 * opencode.c - the opencode backend (backend.h): its row, and what
 * opencode 1.18.33 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its model: `model` of the nearest opencode.json of the project, else
 *     of ~/.config/opencode/opencode.json (XDG_CONFIG_HOME/opencode);
 *   - the global file: ~/.config/opencode/AGENTS.md, else
 *     ~/.claude/CLAUDE.md;
 *   - the project's files nearest first, from the working directory up
 *     to the root (outside a repository, up to /): every AGENTS.md, or when there is none on the way,
 *     every CLAUDE.md;
 *   - the files the project's opencode.json names in `instructions`.
 *
 * All of it in the system message, each file whole.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "util/util.h"
#include "base/glob.h"

#include <stdlib.h>
#include <string.h>

#define OPENCODE_CONFIG_MAX_BYTES (1L * 1024 * 1024)

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* AGENTS.md, or where there is none on the way, CLAUDE.md. */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", NULL };

const pa_cli_backend Pa_cli_opencode = {
	PA_HARNESS_OPENCODE, "opencode", "opencode", NULL, "o200k_base",
	names, NULL, NULL, NULL, discover, Pa_hx_compose_whole
};

/* `model` of one opencode.json, when it has one; its `instructions`
 * (the project's: files and globs relative to it) into *instr. */
static pa_status read_model(hx_found *f, const char *dir, char ***instr,
                            size_t *ninstr, pa_error *err)
{
	char *p = Pa_path_join(dir, "opencode.json");
	pa_buf text = PA_BUF_INIT;
	pa_error e;
	pa_jnode *root = NULL;
	pa_status st = PA_OK;

	memset(&e, 0, sizeof(e));
	if (pa_file_read_limited(p, OPENCODE_CONFIG_MAX_BYTES, 0, &text, &e) == PA_OK) {
		char *shown = Pa_path_display(p, f->root, f->home);

		st = Pa_json_parse(text.ptr, text.len, shown, &root, err);
		if (st == PA_OK) {
			const pa_jnode *m = Pa_jnode_get(root, "model");

			const pa_jnode *in = Pa_jnode_get(root, "instructions");

			if (m && m->type == PA_JSON_STRING && !f->model) {
				f->model = Pa_xstrdup(m->text);
				f->model_from = "opencode.json";
				pa_free(f->config);
				f->config = Pa_xstrdup(shown);
			}
			if (instr && in && in->type == PA_JSON_ARRAY) {
				size_t i;

				for (i = 0; i < in->n && i < 1000; i++)
					if (in->items[i]->type == PA_JSON_STRING && *in->items[i]->text) {
						*instr = Pa_xgrow(*instr, *ninstr, sizeof(char *));
						(*instr)[(*ninstr)++] = Pa_xstrdup(in->items[i]->text);
					}
			}
		}
		Pa_jnode_free(root);
		pa_free(shown);
	}
	pa_buf_release(&text);
	pa_free(p);
	return st;
}

/* The files `instructions` names, after the project's (measured:
 * fixtures/project-config.txt): a path relative to the opencode.json, or
 * a glob matched against the Markdown files of the project (sorted).
 * What lies outside the project is not read. */
static void add_instructions(hx_found *f, const char *dir, char **instr,
                             size_t n, pa_warnings *warn)
{
	size_t i, k, nmd = 0;
	char **md = NULL;
	int walked = 0;

	for (i = 0; i < n; i++) {
		const char *e = instr[i];
		char *full, *d, *b;

		if (!strpbrk(e, "*?[{")) {
			full = Pa_path_normalize(dir, e);
			if (!Pa_path_under(full, f->root)) {
				Pa_warn_incomplete(warn, e, "opencode.json's instructions: "
				                   "outside the project");
				pa_free(full);
				continue;
			}
			d = Pa_path_dirname(full);
			b = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
			Pa_hx_add_file(f, d, b, 0, warn);
			pa_free(full);
			pa_free(d);
			pa_free(b);
			continue;
		}
		if (!walked) {
			pa_places pl;

			memset(&pl, 0, sizeof(pl));
			pl.root = f->root;
			pl.cwd = f->cwd;
			pl.home = f->home;
			Pa_find_md_files(dir, f->root, &pl, warn, &md, &nmd);
			walked = 1;
		}
		for (k = 0; k < nmd; k++) {
			const char *rel;

			full = md[k][0] == '/' ? Pa_xstrdup(md[k]) : Pa_path_join(dir, md[k]);
			rel = Pa_path_under(full, dir);
			if (rel && *rel == '/')
				rel++;
			if (rel && *rel && Pa_glob_match(e, rel)) {
				d = Pa_path_dirname(full);
				b = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
				Pa_hx_add_file(f, d, b, 0, warn);
				pa_free(d);
				pa_free(b);
			}
			pa_free(full);
		}
	}
	Pa_strings_free(md, nmd);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *xdg = Pa_env_get(opt->env, "XDG_CONFIG_HOME");
	char *conf = NULL, **dirs, **instr = NULL, *instr_dir = NULL;
	size_t ninstr = 0;
	size_t n, i;

	if (!f->in_repo) {
		/* outside a repository it looks up to / (measured:
		 * fixtures/no-git.txt) */
		pa_free(f->root);
		f->root = Pa_xstrdup("/");
	}
	Pa_hx_model_option(f, opt);
	if (xdg && *xdg == '/')
		conf = Pa_path_join(xdg, "opencode");
	else if (f->home)
		conf = Pa_path_join(f->home, ".config/opencode");
	{
		/* the project's opencode.json: the nearest from the working
		 * directory up to the root */
		size_t k;
		char *at = NULL;

		dirs = Pa_hx_chain(f, &n);
		for (k = n; k-- > 0 && !at;)
			if (Pa_hx_exists(dirs[k], "opencode.json"))
				at = Pa_xstrdup(dirs[k]);
		Pa_strings_free(dirs, n);
		if (at && read_model(f, at, &instr, &ninstr, err) != PA_OK) {
			pa_free(at);
			pa_free(conf);
			Pa_strings_free(instr, ninstr);
			return PA_ERR_PARSE;
		}
		instr_dir = at;
	}
	if (conf && read_model(f, conf, NULL, NULL, err) != PA_OK) {
		pa_free(conf);
		pa_free(instr_dir);
		Pa_strings_free(instr, ninstr);
		return PA_ERR_PARSE;
	}
	Pa_hx_set_names(f, names, sizeof(names) / sizeof(names[0]) - 1);
	if (!conf || !Pa_hx_add_file(f, conf, "AGENTS.md", 1, warn)) {
		if (f->home) {
			char *c = Pa_path_join(f->home, ".claude");

			Pa_hx_add_file(f, c, "CLAUDE.md", 1, warn);
			pa_free(c);
		}
	}
	pa_free(conf);
	/* AGENTS.md files wherever one is on the path; else CLAUDE.md files
	 * (measured: fixtures/fallback.txt, claude-only.txt) */
	dirs = Pa_hx_chain(f, &n);
	{
		size_t k, before = f->n;

		for (k = 0; names[k] && f->n == before; k++)
			for (i = n; i-- > 0;)
				Pa_hx_add_file(f, dirs[i], names[k], 0, warn);
	}
	Pa_strings_free(dirs, n);
	if (instr_dir)
		add_instructions(f, instr_dir, instr, ninstr, warn);
	pa_free(instr_dir);
	Pa_strings_free(instr, ninstr);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	Pa_hx_note_unread(f);
	return PA_OK;
}
