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
 *     to the root: every AGENTS.md, or when there is none on the way,
 *     every CLAUDE.md.  Outside a repository opencode looks up to /
 *     (fixtures/no-git.txt); promptasm's project is then the working
 *     directory, the files above it each held to its own directory, and
 *     an opencode.json above it not read (an entry refused: the request
 *     is incomplete, so check fails closed);
 *   - the files the project's opencode.json names in `instructions`, each
 *     path once (opencode keeps a set of them): an absolute path, a `~/`
 *     or one with a `..` part names a file outside the project and is
 *     refused the same way, never read.
 *
 * All of it in the system message, each file whole.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "util/util.h"
#include "base/glob.h"

#include <stdlib.h>
#include <string.h>


static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* AGENTS.md, or where there is none on the way, CLAUDE.md. */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", NULL };

const Pa_cli_backend Pa_cli_opencode = {
	PA_HARNESS_OPENCODE, "opencode", "opencode", NULL, "o200k_base",
	names, NULL, NULL, NULL, discover, Pa_hx_compose_whole
};

/* `model` of one opencode.json, when it has one; its `instructions`
 * (the project's: files and globs relative to it) into *instr. */
static pa_status read_model(hx_found *f, const char *dir, char ***instr,
                            size_t *ninstr, pa_error *err)
{
	char *p = Pa_path_join(dir, "opencode.json");
	Pa_cfg_json j;
	const Pa_jnode *root;
	char *shown;
	pa_status st;

	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, PA_CFG_OPENCODE, p, shown, &j, err);
	root = j.root;
	if (root) {
		const Pa_jnode *m = Pa_jnode_get(root, "model");

		const Pa_jnode *in = Pa_jnode_get(root, "instructions");

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
	Pa_cfg_json_release(&j);
	pa_free(shown);
	pa_free(p);
	return st;
}

/* Whether an entry of `instructions` names a file outside the project
 * wherever its opencode.json is: an absolute path, one of the user's
 * (`~`), or one with a `..` part. */
static int outside(const char *e)
{
	const char *s = e;

	if (*e == '/' || *e == '~' || *e == '\\')
		return 1;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
		s += n;
		while (*s == '/')
			s++;
	}
	return 0;
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

	Pa_strset named = PA_STRSET_INIT;

	for (i = 0; i < n; i++) {
		const char *e = instr[i];
		char *full, *d, *b;

		/* each path once: opencode sends a path once */
		if (!Pa_strset_add(&named, e, strlen(e)))
			continue;
		if (outside(e)) {
			char *p = *e == '/' ? Pa_xstrdup(e) : Pa_path_join(dir, e);

			Pa_hx_add_refused(f, p, e, "named by opencode.json's instructions, "
			                  "outside the project", warn);
			pa_free(p);
			continue;
		}
		if (!strpbrk(e, "*?[{")) {
			full = Pa_path_normalize(dir, e);
			if (!Pa_path_under(full, f->root) ||
			    Pa_strset_has(&f->paths, full, strlen(full))) {
				/* outside (cannot be, after outside()), or a file
				 * already sent: opencode sends a path once */
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
			Pa_hx_find_md_files(f, dir, warn, &md, &nmd);
			walked = 1;
		}
		for (k = 0; k < nmd; k++) {
			const char *rel;

			full = md[k][0] == '/' ? Pa_xstrdup(md[k]) : Pa_path_join(dir, md[k]);
			rel = Pa_path_under(full, dir);
			if (rel && *rel == '/')
				rel++;
			if (rel && *rel && Pa_glob_match(e, rel) &&
			    !Pa_strset_has(&f->paths, full, strlen(full))) {
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
	Pa_strset_release(&named);
}

/* Outside a repository opencode reads up to / (measured:
 * fixtures/no-git.txt).  promptasm's project is then the working
 * directory: the directories above it, nearest first, whose files are
 * each held to its own directory (a link out of it is not read), as Qwen
 * Code's and pi's are; an opencode.json above it is not read (its
 * `instructions` would name files outside the project): an entry
 * refused, so that the request says what it could not count. */
static char **above_cwd(hx_found *f, size_t *n, pa_warnings *warn)
{
	char **out = NULL;
	char *d = Pa_xstrdup(f->cwd);

	*n = 0;
	while (strcmp(d, "/")) {
		char *up = Pa_path_dirname(d);

		pa_free(d);
		d = up;
		out = Pa_xgrow(out, *n, sizeof(char *));
		out[(*n)++] = Pa_xstrdup(d);
		if (Pa_hx_exists(d, "opencode.json")) {
			char *p = Pa_path_join(d, "opencode.json");

			Pa_hx_add_refused(f, p, p, "an opencode.json above the working "
			                  "directory outside a repository, which opencode "
			                  "reads and promptasm does not (run it in the "
			                  "repository)", warn);
			pa_free(p);
		}
	}
	pa_free(d);
	return out;
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *xdg = Pa_env_get(opt->env, "XDG_CONFIG_HOME");
	char *conf = NULL, **dirs, **instr = NULL, *instr_dir = NULL;
	size_t ninstr = 0;
	size_t n, i;

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
		size_t k, before, nup = 0;
		char **up = f->in_repo ? NULL : above_cwd(f, &nup, warn);

		before = f->n;
		for (k = 0; names[k] && f->n == before; k++) {
			for (i = n; i-- > 0;)
				Pa_hx_add_file(f, dirs[i], names[k], 0, warn);
			for (i = 0; i < nup; i++)
				Pa_hx_add_file_held(f, up[i], names[k], up[i], warn);
		}
		Pa_strings_free(up, nup);
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
