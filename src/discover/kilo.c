/*
 * kilo.c - the Kilo Code backend (backend.h): its row, and what Kilo Code
 * CLI 7.7.7 (`kilo`, a fork of opencode; tests/oracle-harness/, fixtures
 * kilo-*.txt, docs/harnesses.md) reads for a working directory, in the
 * order it sends them, all in the system message, each file whole (its
 * byte order mark too: crlf-bom.txt):
 *
 *   - one global file, the first there is of KILO_CONFIG_DIR/AGENTS.md,
 *     ~/.config/kilo/AGENTS.md (XDG_CONFIG_HOME/kilo) and
 *     ~/.claude/CLAUDE.md (kilo-user.txt, kilo-config-dir.txt,
 *     kilo-claude-home.txt);
 *   - the project's files nearest first, from the working directory up
 *     to the root: every AGENTS.md, or when there is none on the way,
 *     every CLAUDE.md, else every CONTEXT.md (kilo-claude-home.txt);
 *     KILO_DISABLE_CLAUDE_CODE or KILO_DISABLE_CLAUDE_CODE_PROMPT: no
 *     CLAUDE.md, the user's nor the project's (kilo-disable-claude.txt);
 *     KILO_DISABLE_PROJECT_CONFIG: none of these, nor the project's
 *     configuration (kilo-disable-project.txt).  Outside a repository it
 *     reads the working directory's alone, nothing above it, unlike
 *     opencode (no-git.txt, kilo-no-git.txt);
 *   - its rules, Kilo Code's older places, of the working directory
 *     alone (not the root's: kilo-subdir.txt): the user's ~/.kilo/rules
 *     then ~/.kilocode/rules, the project's .kilo/rules then
 *     .kilocode/rules (a name of both folders once, the first:
 *     kilo-rules.txt, kilo-user.txt), each folder's regular `.md` files
 *     (promptasm sorts them by name: Kilo Code takes the directory's
 *     order), then .kilocoderules, then for each mode it has (code,
 *     architect, ask, debug, orchestrator) .kilo/rules-MODE,
 *     .kilocode/rules-MODE and .kilocoderules-MODE, whatever the mode of
 *     the run (kilo-mode-rules.txt, kilo-legacy.txt);
 *   - the files `instructions` names, as opencode's (opencode_family.c): its
 *     configurations merged, each over those before: the global
 *     ~/.config/kilo/ config.json, kilo.json, kilo.jsonc, opencode.json,
 *     opencode.jsonc, the file KILO_CONFIG names, every kilo.json,
 *     kilo.jsonc, opencode.json and opencode.jsonc from the root to the
 *     working directory, then those of .kilo/ and .kilocode/, then
 *     KILO_CONFIG_DIR's (kilo-config.txt); a relative path or glob looked
 *     up from the working directory up to the root, nearest first.
 *
 * A file of the project that names a variable ({env:NAME}, not after a
 * `$`, not on a line starting with //) is not sent: Kilo Code refuses it
 * (kilo-env-ref.txt).  Every configuration file may hold comments and
 * trailing commas.
 */
#define _POSIX_C_SOURCE 200809L
#include "opencode_family.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* It stops at a configuration that does not parse; one it cannot read
 * is taken as absent.  Comments and trailing commas are allowed. */
static const Pa_cfg_rule config_rule = {
	"kilo.json", "Kilo Code", 1 * PA_CFG_MiB, 0, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_REFUSE, PA_CFG_JSONC
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* AGENTS.md, or where there is none on the way, CLAUDE.md, else
 * CONTEXT.md (kilo-claude-home.txt, kilo-disable-claude.txt). */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", "CONTEXT.md", NULL };

/* The other CLIs' files it never reads (kilo-legacy.txt). */
static const char *const others[] = { "GEMINI.md", NULL };

/* Whether text names a variable as Kilo Code substitutes one: {env:NAME}
 * not after a `$`, on a line that does not start (after white space)
 * with //.  It refuses such a file of the project (kilo-env-ref.txt). */
static int names_env(const pa_buf *text)
{
	const char *s = text->ptr, *end = s + text->len, *p = s;

	while ((p = memchr(p, '{', (size_t)(end - p))) != NULL) {
		const char *line = p, *close;

		if (end - p < 5 || memcmp(p, "{env:", 5)) {
			p++;
			continue;
		}

		while (line > s && line[-1] != '\n')
			line--;
		while (line < p && (*line == ' ' || *line == '\t'))
			line++;
		close = memchr(p + 5, '}', (size_t)(end - p - 5));
		if (close && close > p + 5 && !memchr(p + 5, '\n', (size_t)(close - p - 5)) &&
		    !(p > s && p[-1] == '$') &&
		    !(p - line >= 2 && line[0] == '/' && line[1] == '/'))
			return 1;
		p += 5;
	}
	return 0;
}

/* Adds dir/name, Kilo Code's way: each path once; a file of the
 * project that names a variable is left out. */
static void add_checked(hx_found *f, const char *dir, const char *name,
                        int global, const char *confine, pa_warnings *warn)
{
	hx_file *x;
	char *full = Pa_path_join(dir, name);

	if (Pa_strset_has(&f->paths, full, strlen(full))) {
		pa_free(full);
		return; /* it keeps a map of the paths it sends */
	}
	pa_free(full);
	x = confine ? Pa_hx_add_file_held(f, dir, name, confine, warn)
	            : Pa_hx_add_file(f, dir, name, global, warn);
	if (x && x->read && !global && names_env(&x->text)) {
		Pa_warn_at(warn, x->shown, 0, "%s: Kilo Code does not send a file "
		           "of the project that names a variable ({env:...})",
		           x->shown);
		Pa_hx_drop_last(f);
	}
}

static void add_one_rule(hx_found *f, const char *dir, const char *name,
                         int global, pa_warnings *warn)
{
	add_checked(f, dir, name, global, NULL, warn);
}

/* How Kilo Code adds a file `instructions` names: as any of its files
 * (add_checked). */
static void add_instruction(hx_found *f, const char *full, const char *dir,
                            const char *name, int global, const char *confine,
                            pa_warnings *warn)
{
	(void)full;
	add_checked(f, dir, name, global, confine, warn);
}

/* What opencode_family.c reads for it, as for opencode. */
static const hx_oc_family family = {
	&config_rule, "kilo.json",
	/* Kilo Code reads opencode's files too, their entries merged: the
	 * reason names both (it said kilo.json of opencode.json's entry) */
	"named by the instructions of kilo.json or opencode.json (or their "
	".jsonc), outside the project",
	"past the limit of glob tests of Kilo Code's instructions in one load (a "
	"limit of promptasm's: not read, nor any glob after it)",
	add_instruction
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- the rules (Kilo Code's older places) ---- */

typedef struct rules {
	char **names;   /* the `.md` files of one folder */
	size_t n;
	const char *dir;
} rules;

static int take_rule(void *ctx, const char *name, int sub)
{
	rules *r = ctx;
	size_t len = strlen(name);
	struct stat st;
	char *p;
	int ok;

	/* a regular `.md` file, not a link (its listing says what each
	 * entry is, and a link is none of a file) */
	if (sub || len < 4 || strcmp(name + len - 3, ".md"))
		return 1;
	if (r->n > PA_LOAD_MAX_FILES)
		return 0;
	p = Pa_path_join(r->dir, name);
	ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	pa_free(p);
	if (ok) {
		r->names = Pa_xgrow(r->names, r->n, sizeof(char *));
		r->names[r->n++] = Pa_xstrdup(name);
	}
	return 1;
}

/* The `.md` files of dir/sub (a folder), sorted by name, each added but
 * a name already in `seen` (the folder before it of the same kind). */
static void add_rules(hx_found *f, const char *dir, const char *sub,
                      int global, Pa_strset *seen, pa_warnings *warn)
{
	rules r = { NULL, 0, NULL };
	char *d = Pa_path_join(dir, sub);
	struct stat st;
	size_t k;

	if (stat(d, &st) == 0 && S_ISDIR(st.st_mode)) {
		r.dir = d;
		Pa_hx_list_dir(f->cache, d, take_rule, &r);
		if (r.n > 1)
			qsort(r.names, r.n, sizeof(char *), cmp_name);
	}
	for (k = 0; k < r.n; k++)
		if (Pa_strset_add(seen, r.names[k], strlen(r.names[k])))
			add_one_rule(f, d, r.names[k], global, warn);
	Pa_strings_free(r.names, r.n);
	pa_free(d);
}

/* Kilo Code's rules, of the working directory and the user's home
 * (kilo-rules.txt, kilo-mode-rules.txt, kilo-user.txt). */
static void add_all_rules(hx_found *f, pa_warnings *warn)
{
	static const char *const modes[] = {
		"code", "architect", "ask", "debug", "orchestrator", NULL
	};
	Pa_strset seen = PA_STRSET_INIT;
	size_t k;

	if (f->home && !f->no_user) {
		add_rules(f, f->home, ".kilo/rules", 1, &seen, warn);
		add_rules(f, f->home, ".kilocode/rules", 1, &seen, warn);
	}
	Pa_strset_release(&seen);
	add_rules(f, f->cwd, ".kilo/rules", 0, &seen, warn);
	add_rules(f, f->cwd, ".kilocode/rules", 0, &seen, warn);
	Pa_strset_release(&seen);
	add_one_rule(f, f->cwd, ".kilocoderules", 0, warn);
	for (k = 0; modes[k]; k++) {
		char sub[64];

		snprintf(sub, sizeof(sub), ".kilo/rules-%s", modes[k]);
		add_rules(f, f->cwd, sub, 0, &seen, warn);
		snprintf(sub, sizeof(sub), ".kilocode/rules-%s", modes[k]);
		add_rules(f, f->cwd, sub, 0, &seen, warn);
		Pa_strset_release(&seen);
		snprintf(sub, sizeof(sub), ".kilocoderules-%s", modes[k]);
		add_one_rule(f, f->cwd, sub, 0, warn);
	}
}

/* One folder's configuration files, in Kilo Code's order, each read
 * when it is there. */
static pa_status read_dir_configs(hx_found *f, const char *dir,
                                  const char *const *files, int user,
                                  char ***instr, int **from_user, size_t *n,
                                  Pa_strset *seen, pa_error *err)
{
	pa_status st = PA_OK;
	size_t k;

	for (k = 0; files[k] && st == PA_OK; k++) {
		char *p;

		if (!Pa_hx_exists(dir, files[k]))
			continue;
		p = Pa_path_join(dir, files[k]);
		st = Pa_hx_oc_read_config(f, &family, p,
		                          user && !Pa_path_under(p, f->root), instr,
		                          from_user, n, seen, err);
		pa_free(p);
	}
	return st;
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	static const char *const global_files[] = {
		"config.json", "kilo.json", "kilo.jsonc", "opencode.json",
		"opencode.jsonc", NULL
	};
	static const char *const project_files[] = {
		"kilo.json", "kilo.jsonc", "opencode.json", "opencode.jsonc", NULL
	};
	static const char *const dir_files[] = {
		"kilo.jsonc", "kilo.json", "opencode.jsonc", "opencode.json", NULL
	};
	const char *xdg = Pa_env_get(opt->env, "XDG_CONFIG_HOME");
	const char *envconf = Pa_env_get(opt->env, "KILO_CONFIG");
	const char *envdir = Pa_env_get(opt->env, "KILO_CONFIG_DIR");
	/* no CLAUDE.md, the user's or the project's, under either variable
	 * (kilo-disable-claude.txt) */
	int no_claude = Pa_env_true(opt->env, "KILO_DISABLE_CLAUDE_CODE") ||
	                Pa_env_true(opt->env, "KILO_DISABLE_CLAUDE_CODE_PROMPT");
	/* no instruction file nor configuration of the project
	 * (kilo-disable-project.txt) */
	int no_project = Pa_env_true(opt->env, "KILO_DISABLE_PROJECT_CONFIG");
	char *conf = NULL, *cdir = NULL, **dirs, **instr = NULL;
	int *from_user = NULL;
	size_t ninstr = 0, n, i, k;
	Pa_strset seen = PA_STRSET_INIT;
	pa_status st = PA_OK;
	const char *use[4];
	size_t nuse = 0;

	if (xdg && *xdg == '/')
		conf = Pa_path_join(xdg, "kilo");
	else if (f->home)
		conf = Pa_path_join(f->home, ".config/kilo");
	if (envdir && *envdir)
		cdir = Pa_path_normalize(f->cwd, envdir);
	/* the configurations merged, each over those before (kilo-config.txt) */
	if (conf)
		st = read_dir_configs(f, conf, global_files, 1, &instr, &from_user,
		                      &ninstr, &seen, err);
	if (st == PA_OK && envconf && *envconf) {
		char *p = Pa_path_normalize(f->cwd, envconf);

		st = Pa_hx_oc_read_config(f, &family, p, !Pa_path_under(p, f->root),
		                          &instr, &from_user, &ninstr, &seen, err);
		pa_free(p);
	}
	dirs = Pa_hx_chain(f, &n);
	for (k = 0; project_files[k] && st == PA_OK && !no_project; k++)
		for (i = 0; i < n && st == PA_OK; i++) {
			const char *one[2];

			one[0] = project_files[k];
			one[1] = NULL;
			st = read_dir_configs(f, dirs[i], one, 0, &instr, &from_user,
			                      &ninstr, &seen, err);
		}
	for (k = 0; k < 2 && st == PA_OK && !no_project; k++)
		for (i = 0; i < n && st == PA_OK; i++) {
			char *d = Pa_path_join(dirs[i], k ? ".kilocode" : ".kilo");

			st = read_dir_configs(f, d, dir_files, 0, &instr, &from_user,
			                      &ninstr, &seen, err);
			pa_free(d);
		}
	if (st == PA_OK && cdir)
		st = read_dir_configs(f, cdir, dir_files, 1, &instr, &from_user,
		                      &ninstr, &seen, err);
	Pa_strings_free(dirs, n);
	Pa_strset_release(&seen);
	if (st != PA_OK) {
		pa_free(conf);
		pa_free(cdir);
		Pa_strings_free(instr, ninstr);
		pa_free(from_user);
		return PA_ERR_PARSE;
	}
	Pa_hx_model_option(f, opt);
	for (k = 0; names[k]; k++)
		if (!no_claude || strcmp(names[k], "CLAUDE.md"))
			use[nuse++] = names[k];
	Pa_hx_set_names(f, use, nuse);
	/* one global file, the first there is (kilo-config-dir.txt,
	 * kilo-user.txt, kilo-claude-home.txt) */
	if (!f->no_user) {
		int found = 0;

		if (cdir && Pa_hx_exists(cdir, "AGENTS.md")) {
			if (Pa_path_under(cdir, f->root))
				add_checked(f, cdir, "AGENTS.md", 0, NULL, warn);
			else if (f->home && Pa_path_under(cdir, f->home))
				add_checked(f, cdir, "AGENTS.md", 1, NULL, warn);
			else
				add_checked(f, cdir, "AGENTS.md", 1, cdir, warn);
			found = 1;
		}
		if (!found && conf && Pa_hx_add_file(f, conf, "AGENTS.md", 1, warn))
			found = 1;
		if (!found && f->home && !no_claude) {
			char *c = Pa_path_join(f->home, ".claude");

			Pa_hx_add_file(f, c, "CLAUDE.md", 1, warn);
			pa_free(c);
		}
	}
	pa_free(conf);
	pa_free(cdir);
	/* AGENTS.md files wherever one is on the path; else CLAUDE.md files,
	 * else CONTEXT.md, nearest first */
	dirs = Pa_hx_chain(f, &n);
	{
		size_t before = f->n;

		for (k = 0; k < f->n_names && f->n == before && !no_project; k++)
			for (i = n; i-- > 0;)
				add_checked(f, dirs[i], f->names[k], 0, NULL, warn);
	}
	Pa_strings_free(dirs, n);
	add_all_rules(f, warn);
	Pa_hx_oc_instructions(f, &family, instr, from_user, ninstr, NULL, 0, warn);
	Pa_strings_free(instr, ninstr);
	pa_free(from_user);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	Pa_hx_note_unread(f);
	return PA_OK;
}

/* Each file whole, its byte order mark too: Kilo Code sends the text as
 * it reads it (crlf-bom.txt, kilo-legacy.txt). */
static void compose(hx_found *f)
{
	size_t i;

	Pa_hx_compose_whole(f);
	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (x->skip) {
			x->sent += x->skip;
			x->skip = 0;
		}
	}
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_kilo = {
	.id = PA_HARNESS_KILO,
	.name = "kilo",
	.display = "Kilo Code",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = names,
	.others = others,
	.byte_cap = NULL, /* it sends every byte */
	.settings_name = "kilo.json",
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = compose,
};
