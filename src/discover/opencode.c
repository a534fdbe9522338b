/*
 * opencode.c - the opencode backend (backend.h): its row, and what
 * opencode 1.18.33 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its configurations merged, each over those before: the global
 *     ~/.config/opencode/opencode.json (XDG_CONFIG_HOME/opencode), the
 *     file OPENCODE_CONFIG names, every opencode.json from the root to the
 *     working directory, every opencode.jsonc, then the same in their
 *     .opencode/ (opencode-jsonc.txt, opencode-json-and-jsonc.txt), then
 *     OPENCODE_CONFIG_DIR's (opencode-config-dir.txt), then the JSON
 *     of OPENCODE_CONFIG_CONTENT (opencode-config-content.txt): the last
 *     `model`, every `instructions` entry once (opencode-merge.txt,
 *     opencode-config-env.txt);
 *   - the global file: ~/.config/opencode/AGENTS.md, else
 *     ~/.claude/CLAUDE.md;
 *   - the project's files nearest first, from the working directory up
 *     to the root: every AGENTS.md, or when there is none on the way,
 *     every CLAUDE.md, else every CONTEXT.md (opencode-context-md.txt);
 *     OPENCODE_DISABLE_CLAUDE_CODE or OPENCODE_DISABLE_CLAUDE_CODE_PROMPT:
 *     no CLAUDE.md, the user's nor the project's
 *     (opencode-disable-claude*.txt); OPENCODE_DISABLE_PROJECT_CONFIG:
 *     no file of the project, configuration nor instruction file
 *     (opencode-disable-project-config.txt).  Outside a repository opencode
 *     looks up to / (fixtures/no-git.txt); promptasm's project is then the
 *     working directory, and nothing above it is read: an AGENTS.md,
 *     CLAUDE.md, CONTEXT.md or opencode.json there is an entry refused
 *     (the request is incomplete, so check fails closed);
 *   - the files `instructions` names, each file once: a relative path or
 *     glob looked up in every directory from the working directory up to
 *     the root, nearest first; `~/` and absolute paths (a glob in the last
 *     part) of the user's configurations (opencode-global-config.txt); of
 *     the project's, a path with a `..` part, absolute or `~` names a file
 *     outside the project and is refused, never read.
 *
 * Every configuration file may hold comments and trailing commas
 * (cfgfile.c reads them so).
 *
 * All of it in the system message, each file whole.
 */
#define _POSIX_C_SOURCE 200809L
#include "opencode_family.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>


/* It stops at a configuration that does not parse; one it cannot read
 * is taken as absent.  Comments and trailing commas are allowed. */
static const Pa_cfg_rule config_rule = {
	"opencode.json", "opencode", 1 * PA_CFG_MiB, 0, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_REFUSE, PA_CFG_JSONC
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* AGENTS.md, or where there is none on the way, CLAUDE.md, else
 * CONTEXT.md (opencode-context-md.txt). */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", "CONTEXT.md", NULL };

/* How opencode adds a file `instructions` names: each path once (it
 * keeps a set of the paths it sends). */
static void add_instruction(hx_found *f, const char *full, const char *dir,
                            const char *name, int global, const char *confine,
                            pa_warnings *warn)
{
	if (Pa_strset_has(&f->paths, full, strlen(full)))
		return;
	if (confine)
		Pa_hx_add_file_held(f, dir, name, confine, warn);
	else
		Pa_hx_add_file(f, dir, name, global, warn);
}

/* What opencode_family.c reads for it. */
static const hx_oc_family family = {
	&config_rule, "opencode.json",
	"named by opencode.json's instructions, outside the project",
	"past the limit of glob tests of opencode's instructions in one load (a "
	"limit of promptasm's: not read, nor any glob after it)",
	add_instruction
};

/* One configuration file read (opencode_family.c). */
static pa_status read_config(hx_found *f, const char *path, int user,
                             char ***instr, int **from_user, size_t *n,
                             Pa_strset *seen, pa_error *err)
{
	return Pa_hx_oc_read_config(f, &family, path, user, instr, from_user, n,
	                            seen, err);
}

/* OPENCODE_CONFIG_CONTENT: a configuration in the variable itself (JSON
 * with comments), merged after every file (opencode-config-content.txt):
 * its model over theirs, its instructions the user's own words, as
 * OPENCODE_CONFIG's outside the project are.  Text that does not parse
 * stops opencode: an error naming the variable, line and column. */
static pa_status read_content(hx_found *f, const char *v, char ***instr,
                              int **from_user, size_t *n, Pa_strset *seen,
                              pa_error *err)
{
	size_t len = strlen(v), nm = 0;
	char *text = Pa_xstrndup(v, len), **mine = NULL;
	Pa_jnode *root = NULL;
	pa_status st;

	Pa_cfg_blank_jsonc(text, len);
	st = Pa_json_parse(text, len, "OPENCODE_CONFIG_CONTENT", &root, err);
	pa_free(text);
	if (st != PA_OK)
		return st;
	Pa_hx_oc_apply(f, root, "OPENCODE_CONFIG_CONTENT", NULL, &mine, &nm);
	Pa_hx_oc_merge(f, mine, nm, 1, instr, from_user, n, seen);
	Pa_strings_free(mine, nm);
	Pa_jnode_free(root);
	return PA_OK;
}

/* Outside a repository opencode reads up to / (measured:
 * fixtures/no-git.txt).  promptasm's project is then the working
 * directory, and nothing above it is read: the directories above it,
 * nearest first, whose instruction files are each an entry refused (see
 * discover), as an opencode.json there is (its `instructions` would name
 * files outside the project), so that the request says what it could not
 * count and check fails closed. */
static char **above_cwd(hx_found *f, size_t *n, pa_warnings *warn)
{
	char **out = NULL;
	char *d = Pa_xstrdup(f->cwd);

	*n = 0;
	while (!Pa_path_is_top(d)) {
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

/* A skill as opencode reads it (gray-matter's js-yaml,
 * skills-yaml-edges.txt): front matter that is YAML, a mapping, no key
 * in it twice (js-yaml refuses the document), whose name and
 * description are both strings: no name is no skill (not the folder's),
 * `name: 2024` and `description: 42` are none, `description: ""` is one
 * listed with an empty description. */
static int opencode_skill(const hx_file *x, char **name, char **desc,
                          size_t *desc_len)
{
	Pa_ynode *tree;
	size_t body, n;

	*name = *desc = NULL;
	if (Pa_hx_skill_yaml(x, &tree, &body) != HX_YAML_MAPPING)
		return 0;
	*name = Pa_hx_yaml_text(tree, "name", HX_TEXT_STRINGS, &n);
	*desc = Pa_hx_yaml_text(tree, "description", HX_TEXT_STRINGS, desc_len);
	Pa_ynode_free(tree);
	if (*name && *desc)
		return 1;
	pa_free(*name);
	pa_free(*desc);
	*name = *desc = NULL;
	return 0;
}

/* Its skills, after the files, listed by name whatever folder each is
 * of (skills-every-cli.txt): the project's .agents/skills,
 * .claude/skills, .opencode/skills and .opencode/skill, then the user's
 * ~/.agents/skills, ~/.claude/skills and skills and skill of its
 * configuration folder. */
static void skills(hx_found *f, const char *xdg, int no_project, pa_warnings *warn)
{
	static const char *const proj[] = { ".agents/skills", ".claude/skills",
	                                    ".opencode/skills", ".opencode/skill" };
	char *d[8], *conf = NULL;
	int g[8];
	size_t n = 0, k;

	for (k = 0; k < 4 && !no_project; k++) {
		g[n] = 0;
		d[n++] = Pa_path_join(f->cwd, proj[k]);
	}
	if (f->home) {
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".agents/skills");
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".claude/skills");
		conf = xdg && *xdg == '/' ? Pa_path_join(xdg, "opencode")
		                          : Pa_path_join(f->home, ".config/opencode");
		g[n] = 1;
		d[n++] = Pa_path_join(conf, "skills");
		g[n] = 1;
		d[n++] = Pa_path_join(conf, "skill");
		pa_free(conf);
	}
	Pa_hx_skills(f, d, g, n, HX_SKILLS_XML_PATH, 1, opencode_skill, warn);
	for (k = 0; k < n; k++)
		pa_free(d[k]);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *xdg = Pa_env_get(opt->env, "XDG_CONFIG_HOME");
	const char *envconf = Pa_env_get(opt->env, "OPENCODE_CONFIG");
	const char *envdir = Pa_env_get(opt->env, "OPENCODE_CONFIG_DIR");
	const char *content = Pa_env_get(opt->env, "OPENCODE_CONFIG_CONTENT");
	/* no CLAUDE.md, the user's or the project's, under either variable
	 * (opencode-disable-claude.txt, opencode-disable-claude-prompt.txt) */
	int no_claude = Pa_env_true(opt->env, "OPENCODE_DISABLE_CLAUDE_CODE") ||
	                Pa_env_true(opt->env, "OPENCODE_DISABLE_CLAUDE_CODE_PROMPT");
	/* no file of the project: neither its configurations nor its
	 * instruction files (opencode-disable-project-config.txt) */
	int no_project = Pa_env_true(opt->env, "OPENCODE_DISABLE_PROJECT_CONFIG");
	char *conf = NULL, **dirs, **instr = NULL;
	int *from_user = NULL;
	size_t ninstr = 0, n, i, k;
	Pa_strset seen = PA_STRSET_INIT;
	pa_status st = PA_OK;
	const char *use[4];
	size_t nuse = 0;

	if (xdg && *xdg == '/')
		conf = Pa_path_join(xdg, "opencode");
	else if (f->home)
		conf = Pa_path_join(f->home, ".config/opencode");
	/* the configurations merged, each over those before: the global
	 * one, OPENCODE_CONFIG, every opencode.json from the root to the
	 * working directory, then every opencode.jsonc, then their
	 * .opencode/ (opencode-merge.txt, opencode-config-env.txt,
	 * opencode-jsonc.txt, opencode-json-and-jsonc.txt) */
	if (conf) {
		/* the user's folder: config.json, opencode.json and
		 * opencode.jsonc merged among themselves first, where a later
		 * file's instructions replace an earlier's
		 * (opencode-global-files.txt) */
		static const char *const gl[] = { "config.json", "opencode.json",
		                                  "opencode.jsonc" };
		char **glist = NULL;
		size_t ng = 0;

		for (k = 0; k < 3 && st == PA_OK; k++) {
			char **mine = NULL, *p;
			size_t nm = 0;

			if (!Pa_hx_exists(conf, gl[k]))
				continue;
			p = Pa_path_join(conf, gl[k]);
			st = Pa_hx_oc_read_model(f, &family, p, &mine, &nm, err);
			if (nm) {
				Pa_strings_free(glist, ng);
				glist = mine;
				ng = nm;
			} else {
				Pa_strings_free(mine, nm);
			}
			pa_free(p);
		}
		Pa_hx_oc_merge(f, glist, ng, !Pa_path_under(conf, f->root), &instr,
		                   &from_user, &ninstr, &seen);
		Pa_strings_free(glist, ng);
	}
	if (st == PA_OK && envconf && *envconf) {
		char *p = Pa_path_normalize(f->cwd, envconf);

		st = read_config(f, p, !Pa_path_under(p, f->root), &instr, &from_user,
		                 &ninstr, &seen, err);
		pa_free(p);
	}
	dirs = Pa_hx_chain(f, &n);
	for (k = 0; k < 4 && st == PA_OK && !no_project; k++)
		for (i = 0; i < n && st == PA_OK; i++) {
			static const char *const files[] = {
				"opencode.json", "opencode.jsonc",
				".opencode/opencode.json", ".opencode/opencode.jsonc"
			};
			char *p;

			if (!Pa_hx_exists(dirs[i], files[k]))
				continue;
			p = Pa_path_join(dirs[i], files[k]);
			st = read_config(f, p, 0, &instr, &from_user, &ninstr, &seen, err);
			pa_free(p);
		}
	/* ~/.opencode, a folder of the user's: its opencode.json then
	 * opencode.jsonc (opencode-global-files.txt) */
	for (k = 0; k < 2 && st == PA_OK && f->home; k++) {
		char *d = Pa_path_join(f->home, ".opencode");
		const char *name = k ? "opencode.jsonc" : "opencode.json";

		if (!Pa_path_under(d, f->root) && Pa_hx_exists(d, name)) {
			char *p = Pa_path_join(d, name);

			st = read_config(f, p, 1, &instr, &from_user, &ninstr, &seen, err);
			pa_free(p);
		}
		pa_free(d);
	}
	/* OPENCODE_CONFIG_DIR: one more folder, its opencode.json then
	 * opencode.jsonc merged last (opencode-config-dir.txt) */
	for (k = 0; k < 2 && st == PA_OK && envdir && *envdir; k++) {
		char *d = Pa_path_normalize(f->cwd, envdir);
		const char *name = k ? "opencode.jsonc" : "opencode.json";

		if (Pa_hx_exists(d, name)) {
			char *p = Pa_path_join(d, name);

			st = read_config(f, p, !Pa_path_under(p, f->root), &instr,
			                 &from_user, &ninstr, &seen, err);
			pa_free(p);
		}
		pa_free(d);
	}
	if (st == PA_OK && content && *content)
		st = read_content(f, content, &instr, &from_user, &ninstr, &seen, err);
	Pa_strings_free(dirs, n);
	Pa_strset_release(&seen);
	if (st != PA_OK) {
		pa_free(conf);
		Pa_strings_free(instr, ninstr);
		pa_free(from_user);
		return PA_ERR_PARSE;
	}
	Pa_hx_model_option(f, opt);
	for (k = 0; names[k]; k++)
		if (!no_claude || strcmp(names[k], "CLAUDE.md"))
			use[nuse++] = names[k];
	Pa_hx_set_names(f, use, nuse);
	if (f->no_user) {
		; /* neither global file */
	} else if (!conf || !Pa_hx_add_file(f, conf, "AGENTS.md", 1, warn)) {
		if (f->home && !no_claude) {
			char *c = Pa_path_join(f->home, ".claude");

			Pa_hx_add_file(f, c, "CLAUDE.md", 1, warn);
			pa_free(c);
		}
	}
	/* AGENTS.md files wherever one is on the path; else CLAUDE.md files,
	 * else CONTEXT.md (measured: fixtures/fallback.txt, claude-only.txt,
	 * opencode-context-md.txt) */
	dirs = Pa_hx_chain(f, &n);
	{
		size_t before, nup = 0;
		/* outside a repository opencode reads on up to /; not
		 * under no_ancestors */
		char **up = f->in_repo || f->no_ancestors ? NULL
		            : above_cwd(f, &nup, warn);

		before = f->n;
		for (k = 0; k < f->n_names && f->n == before && !no_project; k++) {
			for (i = n; i-- > 0;)
				Pa_hx_add_file(f, dirs[i], f->names[k], 0, warn);
			for (i = 0; i < nup; i++) {
				char *p, *shown;

				if (!Pa_hx_exists(up[i], f->names[k]))
					continue;
				p = Pa_path_join(up[i], f->names[k]);
				shown = Pa_path_display(p, f->root, f->home);
				Pa_hx_add_refused(f, p, shown, "above the working directory "
				                  "outside a repository: opencode reads it, "
				                  "promptasm reads nothing outside the project "
				                  "(run it in the repository)", warn);
				free(shown); /* the entry keeps its own copy */
				pa_free(p);
			}
		}
		Pa_strings_free(up, nup);
	}
	Pa_strings_free(dirs, n);
	Pa_hx_oc_instructions(f, &family, instr, from_user, ninstr, conf,
	                      no_project, warn);
	pa_free(conf);
	Pa_strings_free(instr, ninstr);
	pa_free(from_user);
	skills(f, xdg, no_project, warn);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	Pa_hx_note_unread(f);
	return PA_OK;
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_opencode = {
	.id = PA_HARNESS_OPENCODE,
	.name = "opencode",
	.display = "opencode",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = names,
	.others = NULL, /* it reads every other CLI's file it may */
	.byte_cap = NULL, /* it sends every byte */
	.settings_name = "opencode.json",
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = Pa_hx_compose_whole,
};
