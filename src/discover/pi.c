/*
 * pi.c - the pi backend (backend.h): its row, and what pi
 * (@mariozechner/pi-coding-agent) 0.73.1 reads for a working directory
 * (measured: tests/oracle-harness/fixtures/pi-*.txt, docs/harnesses.md):
 *
 *   - its directory: $PI_CODING_AGENT_DIR, else ~/.pi/agent; its model:
 *     `defaultModel` of settings.json there, the working directory's
 *     .pi/settings.json over it;
 *   - .pi/SYSTEM.md of the working directory, else SYSTEM.md of its
 *     directory, in place of its own prompt (pi-system-replace.txt); then
 *     .pi/APPEND_SYSTEM.md of the working directory, else its directory's
 *     (pi-system.txt: a parent's .pi is not read);
 *   - the global file: the first of AGENTS.md, AGENTS.MD, CLAUDE.md,
 *     CLAUDE.MD in its directory (pi-home.txt);
 *   - one file per directory, the first of those four names that exists
 *     as a file (an empty AGENTS.md still wins: pi-empty.txt; a directory
 *     or a dangling link of that name gives way: pi-dir-named.txt,
 *     pi-links.txt), from / down to the working directory, with or
 *     without a repository (pi-order.txt, pi-no-git.txt, pi-home-cwd.txt);
 *   - a file reached by two paths (a link to the parent's) is sent twice
 *     (pi-links.txt); no @imports (pi-imports.txt).
 *
 * All of it in the system prompt, each file byte for byte: byte order
 * mark and line ends as written (pi-crlf-bom.txt), no cap.  A file above
 * the repository is held to its own directory by the link rule
 * (harness_read.c), as Claude Code's ancestors' files are.
 */
#define _POSIX_C_SOURCE 200809L
#include "services.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>


/* It stops at a settings file that does not parse; one it cannot read
 * is taken as absent. */
static const Pa_cfg_rule config_rule = {
	"settings.json", "pi", 1 * PA_CFG_MiB, 0, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_REFUSE, PA_CFG_JSON
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);
static void compose(hx_found *f);

/* Per directory, the first that exists. */
static const char *const names[] = { "AGENTS.md", "AGENTS.MD", "CLAUDE.md",
                                     "CLAUDE.MD", NULL };

/* `defaultModel` of dir/settings.json, when it has one. */
static pa_status read_settings(hx_found *f, const char *dir, pa_error *err)
{
	char *p = Pa_path_join(dir, "settings.json");
	Pa_cfg_json j;
	const Pa_jnode *root;
	char *shown;
	pa_status st;

	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, &config_rule, p, shown, &j, err);
	root = j.root;
	if (root) {
		const Pa_jnode *m = Pa_jnode_get(root, "defaultModel");

		if (m && m->type == PA_JSON_STRING && *m->text) {
			pa_free(f->model);
			f->model = Pa_xstrdup(m->text);
			f->model_from = "settings.json";
			pa_free(f->config);
			f->config = Pa_xstrdup(shown);
		}
	}
	Pa_cfg_json_release(&j);
	pa_free(shown);
	pa_free(p);
	return st;
}

/* dir/name as pi finds it: in the project held to the root, above it to
 * its own directory, in pi's directory to home (or to that directory when
 * $PI_CODING_AGENT_DIR lies outside home). */
static hx_file *add(hx_found *f, const char *dir, const char *name, int global,
                    pa_warnings *warn)
{
	hx_file *x;

	if (global && f->home && Pa_path_under(dir, f->home))
		x = Pa_hx_add_file(f, dir, name, 1, warn);
	else if (global || !Pa_path_under(dir, f->root))
		x = Pa_hx_add_file_held(f, dir, name, dir, warn);
	else
		x = Pa_hx_add_file(f, dir, name, 0, warn);
	if (x) {
		pa_buf b = PA_BUF_INIT;

		x->global = global;
		x->in = HX_IN_SYSTEM;
		/* each file under a heading naming its absolute path: counted
		 * per file, not as the measured average */
		pa_buf_printf(&b, "## %s\n\n", x->path);
		x->frame = pa_buf_detach(&b, NULL);
	}
	return x;
}

/* The directory's file: the first of names that is a file. */
static hx_file *add_first(hx_found *f, const char *dir, int global,
                          pa_warnings *warn)
{
	size_t k;
	hx_file *x = NULL;

	for (k = 0; names[k] && !x; k++)
		x = add(f, dir, names[k], global, warn);
	return x;
}

/* The working directory's .pi/NAME, else pi's directory's NAME. */
static hx_file *add_prompt_file(hx_found *f, const char *agent,
                                const char *name, pa_warnings *warn)
{
	char *local = Pa_path_join(f->cwd, ".pi");
	hx_file *x = add(f, local, name, 0, warn);

	pa_free(local);
	if (!x && agent && !f->no_user)
		x = add(f, agent, name, 1, warn);
	return x;
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "PI_CODING_AGENT_DIR");
	char *agent = NULL, *dir, **dirs = NULL, *local;
	size_t n = 0, i;

	if (env && *env == '/')
		agent = Pa_path_normalize("/", env);
	else if (env && env[0] == '~' && (env[1] == '/' || !env[1]) && f->home)
		agent = Pa_path_normalize(f->home, env[1] ? env + 2 : ".");
	else if (f->home)
		agent = Pa_path_join(f->home, ".pi/agent");
	local = Pa_path_join(f->cwd, ".pi");
	if ((agent && read_settings(f, agent, err) != PA_OK) ||
	    read_settings(f, local, err) != PA_OK) {
		pa_free(agent);
		pa_free(local);
		return PA_ERR_PARSE;
	}
	pa_free(local);
	Pa_hx_model_option(f, opt);
	Pa_hx_set_names(f, names, sizeof(names) / sizeof(names[0]) - 1);
	/* SYSTEM.md replaces pi's own prompt: the measured figure of that
	 * prompt no longer applies, and the file counts as a file */
	if (add_prompt_file(f, agent, "SYSTEM.md", warn))
		f->own_replaced = 1;
	add_prompt_file(f, agent, "APPEND_SYSTEM.md", warn);
	if (agent && !f->no_user)
		add_first(f, agent, 1, warn);
	/* from the working directory up to /, each read top-down */
	dir = Pa_xstrdup(f->cwd);
	for (;;) {
		char *up;

		dirs = Pa_xgrow(dirs, n, sizeof(char *));
		dirs[n++] = dir;
		if (!strcmp(dir, "/") || n > PA_WALK_MAX_DEPTH)
			break;
		up = Pa_path_dirname(dir);
		dir = up;
	}
	for (i = n; i-- > 0;)
		/* pi takes a path once: its own directory's file is not
		 * taken again when that directory is on the way */
		if (!agent || strcmp(dirs[i], agent))
			add_first(f, dirs[i], 0, warn);
	Pa_strings_free(dirs, n);
	pa_free(agent);
	return PA_OK;
}

/* Every file read is sent byte for byte, its byte order mark included
 * (measured: fixtures/pi-crlf-bom.txt). */
static void compose(hx_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (x->read && !x->empty)
			x->sent = x->text.len;
	}
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_pi = {
	.id = PA_HARNESS_PI,
	.name = "pi",
	.display = "pi",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = names,
	.others = NULL, /* it reads every other CLI's file it may */
	.byte_cap = NULL, /* it sends every byte */
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = compose,
};
