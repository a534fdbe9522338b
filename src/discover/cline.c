/*
 * cline.c - the Cline CLI backend (backend.h): its row, and what cline
 * 3.0.65 reads for a working directory (measured:
 * tests/oracle-harness/fixtures/cline-*.txt, docs/harnesses.md):
 *
 *   - its workspace is the working directory, not the repository: the
 *     root's files are not read from a directory below it
 *     (cline-nested.txt, cline-sub-rules.txt);
 *   - its rules, one list: the workspace's AGENTS.md (named "Workspace
 *     AGENTS.md"), its .clinerules, a file, or a directory whose *.md,
 *     *.markdown and *.txt files, case aside (not its subdirectories',
 *     not a link), are rules named without the extension
 *     (cline-rules-dir.txt, cline-links.txt, cline-rules-collate.txt);
 *     then its .cline/rules, ~/.agents/AGENTS.md ("Global AGENTS.md"),
 *     ~/.cline/rules ($CLINE_DIR/rules when set), ~/Cline/Rules,
 *     ~/Documents/Cline/Rules and the OneDrive folders'
 *     Documents/Cline/Rules (cline-home-rules.txt,
 *     cline-rule-places.txt, cline-dir-env.txt, cline-onedrive.txt); a
 *     rule named as an earlier one, case aside, takes its place
 *     (cline-rule-places-dup.txt); sent sorted by name with
 *     localeCompare() (cline-rules-collate.txt, cline-rules-mixed.txt),
 *     each under
 *     "## NAME";
 *   - never CLAUDE.md, GEMINI.md, .cursorrules, .windsurfrules nor
 *     .cursor/rules, nor an AGENTS.md above or below the workspace;
 *   - its skills, by name only, in its skill tool (load_skills()).
 *
 * All of it in the system prompt, each file trimmed (a byte order mark
 * and white space at either end left out: cline-crlf-bom.txt), line ends
 * as written; no cap.  The
 * model is the one `cline auth` set; measured with gpt-5.5.
 */
#define _POSIX_C_SOURCE 200809L
#include "services.h"
#include "frontmatter.h"
#include "util/util.h"
#include "base/collate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);
static void compose(hx_found *f);

static const char *const names[] = { ".clinerules", "AGENTS.md", NULL };
static const char *const others[] = { "CLAUDE.md", "GEMINI.md", ".cursorrules",
                                      ".windsurfrules", NULL };

/* dir/name under the heading cline gives it. */
static hx_file *add(hx_found *f, const char *dir, const char *name,
                    const char *heading, int global, pa_warnings *warn)
{
	hx_file *x = Pa_hx_add_file(f, dir, name, global, warn);

	if (x) {
		pa_buf b = PA_BUF_INIT;

		x->in = HX_IN_SYSTEM;
		pa_buf_printf(&b, "## %s\n", heading);
		x->frame = pa_buf_detach(&b, NULL);
	}
	return x;
}

typedef struct entry {
	char *dir, *name, *stem;
	int global;
	size_t order; /* where cline met it: the order of a tie */
} entry;

typedef struct listing {
	const char *dir;
	int global;
	entry *e;
	size_t n;
} listing;

static void entry_free(entry *e)
{
	pa_free(e->dir);
	pa_free(e->name);
	pa_free(e->stem);
}

/* One rule of the list under its name: a later one of the same name,
 * case aside (cline's id), takes the earlier's place (its Map). */
static void list_add(listing *l, const char *dir, const char *name,
                     const char *stem)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcasecmp(l->e[i].stem, stem)) {
			entry_free(&l->e[i]);
			break;
		}
	if (i == l->n) {
		l->e = Pa_xgrow(l->e, l->n, sizeof(*l->e));
		l->e[i].order = l->n++;
	}
	l->e[i].dir = Pa_xstrdup(dir);
	l->e[i].name = Pa_xstrdup(name);
	l->e[i].stem = Pa_xstrdup(stem);
	l->e[i].global = l->global;
}

/* A rules file: a regular file (not a link: cline does not follow one,
 * cline-links.txt) whose extension, case aside, is .md, .markdown or
 * .txt (cline-rules-order.txt, cline-rules-ext.txt). */
static int collect(void *ctx, const char *name, int sub)
{
	listing *l = ctx;
	const char *dot = strrchr(name, '.');
	struct stat st;
	char *p, *stem;
	int ok;

	if (sub || !dot || dot == name ||
	    (strcasecmp(dot, ".md") && strcasecmp(dot, ".markdown") &&
	     strcasecmp(dot, ".txt")))
		return 1;
	/* one more than a load holds is enough: adding it marks the load
	 * full (incomplete), as a walk's entries would only cost memory */
	if (l->n > PA_LOAD_MAX_FILES)
		return 0;
	p = Pa_path_join(l->dir, name);
	ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	pa_free(p);
	if (!ok)
		return 1;
	stem = Pa_xstrndup(name, (size_t)(dot - name));
	list_add(l, l->dir, name, stem);
	pa_free(stem);
	return 1;
}

/* cline's order: its rules sorted by name with localeCompare()
 * (collate.h: "_under" before "10" before "9" before "Ä-upper" before
 * "é-accent" before "e-plain" before "z" before "子",
 * cline-rules-collate.txt), as one list whatever folder each is of,
 * Workspace AGENTS.md by that name (cline-rules-mixed.txt); a tie keeps
 * the order cline met them in. */
static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = Pa_collate(x->stem, strlen(x->stem), y->stem, strlen(y->stem));

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* dir/name is a directory (through a link too: the files read are
 * still held to the workspace by the link rule). */
static int is_dir(const char *dir, const char *name)
{
	char *p = Pa_path_join(dir, name);
	struct stat st;
	int d = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	pa_free(p);
	return d;
}

/* dir/name when it is a file (through a link: cline stats it). */
static int is_file(const char *dir, const char *name)
{
	char *p = Pa_path_join(dir, name);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);

	pa_free(p);
	return r;
}

/* A rules place of cline's: a file is one rule (.clinerules under its
 * own name), a folder its rules files. */
static void list_place(hx_found *f, listing *l, const char *dir,
                       const char *name, const char *file_stem)
{
	char *d = Pa_path_join(dir, name);

	if (is_dir(dir, name)) {
		l->dir = d;
		Pa_hx_list_dir(f->cache, d, collect, l);
	} else if (file_stem && Pa_hx_exists(dir, name)) {
		list_add(l, dir, name, file_stem);
	}
	pa_free(d);
}

/* ---- its skills ---- */

typedef struct skill_names {
	char **v;
	size_t n;
} skill_names;

static int add_folder(void *ctx, const char *name, int sub)
{
	skill_names *l = ctx;

	(void)sub;
	l->v = Pa_xgrow(l->v, l->n, sizeof(char *));
	l->v[l->n++] = Pa_xstrdup(name);
	return 1;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name cline gives skill file x of folder `folder` (the caller
 * frees), or NULL when it is no skill: its front matter's `name:`,
 * trimmed, else the folder's name; the text after the front matter must
 * not be blank.  Its YAML reader refuses a key given twice and a second
 * document after `...`, and a name or description that is not a string
 * (`2024`, `true`, `42`) is no skill; a description is not needed, and
 * front matter that is a list or a scalar gives none of its fields
 * (cline-skills-yaml.txt). */
static char *skill_name(const hx_file *x, const char *folder)
{
	Pa_ynode *tree = NULL;
	const Pa_ynode *v;
	const char *body = x->text.ptr;
	size_t at, n, body_len = x->text.len;
	char *name = NULL;
	int kind = Pa_hx_skill_yaml(x, &tree, &at);

	if (kind == HX_YAML_REFUSED)
		return NULL;
	if (kind != HX_YAML_NONE) {
		body = x->text.ptr + at;
		body_len = x->text.len - at;
	}
	Pa_text_trim(&body, &body_len);
	if (!body_len)
		goto out;
	v = tree ? Pa_ynode_get(tree, "description") : NULL;
	if (v && !Pa_ynode_is_null(v) && Pa_ynode_core(v) != PA_YCORE_STRING)
		goto out;
	v = tree ? Pa_ynode_get(tree, "name") : NULL;
	if (v && !Pa_ynode_is_null(v) &&
	    !(name = Pa_hx_yaml_text(tree, "name", HX_TEXT_STRINGS | HX_TEXT_TRIM, &n)) &&
	    Pa_ynode_core(v) != PA_YCORE_STRING)
		goto out; /* not a string: cline refuses the file */
	if (!name)
		name = Pa_xstrdup(folder);
out:
	Pa_ynode_free(tree);
	return name;
}

/* cline 3.0.65's skills (cline-skills.txt, cline-skills-levels.txt):
 * each folder holding a SKILL.md of the workspace's .clinerules/skills,
 * .cline/skills and .agents/skills, then of ~/.cline/skills ($CLINE_DIR/
 * skills when it is set: cline-dir-env.txt) and ~/.agents/skills, is a
 * skill under its name; a later one of the same
 * name, case aside, takes the earlier's place (its Map: the later's name
 * where the earlier was).  Its skill tool lists their names, joined by
 * ", ", after its own words (a measured figure: skills_frame_tokens):
 * each skill's entry is its name, with the ", " before it but the
 * first's. */
static void load_skills(hx_found *f, const char *cline_dir, pa_warnings *warn)
{
	static const char *const proj[] = { ".clinerules/skills", ".cline/skills",
	                                    ".agents/skills" };
	char **ids = NULL;
	size_t first = f->n, nids = 0, i, k;

	for (i = 0; i < 5; i++) {
		int global = i >= 3;
		skill_names l = { NULL, 0 };
		char *dir;

		if (global && (f->no_user || (i == 3 ? !cline_dir : !f->home)))
			continue;
		dir = i == 3 ? Pa_path_join(cline_dir, "skills")
		    : i == 4 ? Pa_path_join(f->home, ".agents/skills")
		             : Pa_path_join(f->cwd, proj[i]);
		if (Pa_hx_kind(f->cache, dir) & HX_KIND_DIR)
			Pa_hx_list_dir(f->cache, dir, add_folder, &l);
		/* cline takes a folder's entries in the order the file system
		 * gives them; by name here */
		if (l.n)
			qsort(l.v, l.n, sizeof(char *), cmp_name);
		for (k = 0; k < l.n; k++) {
			char *sub = Pa_path_join(dir, l.v[k]), *name;
			hx_file *x;
			size_t j;

			if (!(Pa_hx_kind(f->cache, sub) & HX_KIND_DIR) ||
			    !Pa_hx_exists(sub, "SKILL.md")) {
				pa_free(sub);
				continue;
			}
			x = Pa_hx_add_file(f, sub, "SKILL.md", global, warn);
			pa_free(sub);
			if (!x)
				continue;
			x->global = global;
			x->in = HX_IN_SYSTEM;
			if (!x->read) {
				/* refused: the request is incomplete */
				ids = Pa_xgrow(ids, nids, sizeof(char *));
				ids[nids++] = NULL;
				continue;
			}
			if (!(name = skill_name(x, l.v[k]))) {
				Pa_hx_drop_last(f);
				continue;
			}
			x->skill = 1;
			for (j = 0; j < nids; j++)
				if (ids[j] && !strcasecmp(ids[j], name))
					break;
			if (j < nids) {
				/* in the earlier's place: swap, then drop the
				 * earlier, now last */
				hx_file t = f->files[first + j];

				f->files[first + j] = f->files[f->n - 1];
				f->files[f->n - 1] = t;
				Pa_hx_drop_last(f);
				pa_free(ids[j]);
				ids[j] = name;
				continue;
			}
			ids = Pa_xgrow(ids, nids, sizeof(char *));
			ids[nids++] = name;
		}
		Pa_strings_free(l.v, l.n);
		pa_free(dir);
	}
	/* the entries, in the listing's order */
	for (i = first, k = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (!ids[i - first])
			continue;
		pa_buf_reset(&x->as_sent);
		if (k++)
			pa_buf_puts(&x->as_sent, ", ");
		pa_buf_puts(&x->as_sent, ids[i - first]);
	}
	Pa_strings_free(ids, nids);
}

/* Its own folder, ~/.cline, or $CLINE_DIR (trimmed; relative: to where
 * it starts) when set (cline-dir-env.txt); NULL without either.  The
 * caller frees. */
static char *cline_dir(const hx_found *f, const pa_harness_options *opt)
{
	const char *v = Pa_env_get(opt->env, "CLINE_DIR");
	size_t n = v ? strlen(v) : 0;
	char *t, *d;

	if (v)
		Pa_text_trim(&v, &n);
	if (!n)
		return f->home ? Pa_path_join(f->home, ".cline") : NULL;
	t = Pa_xstrndup(v, n);
	d = Pa_path_normalize(f->cwd, t);
	pa_free(t);
	return d;
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	/* Windows' OneDrive folders, which cline also reads on Linux when
	 * set: each one's Documents/Cline/Rules (cline-onedrive.txt) */
	static const char *const onedrive[] = { "OneDrive", "OneDriveConsumer",
	                                        "OneDriveCommercial" };
	listing l = { NULL, 0, NULL, 0 };
	char *cdir = f->no_user ? NULL : cline_dir(f, opt);
	size_t i;

	(void)err;
	/* its workspace, the working directory, is its root */
	pa_free(f->root);
	f->root = Pa_xstrdup(f->cwd);
	Pa_hx_model_option(f, opt);
	Pa_hx_set_names(f, names, 2);
	/* its places in its order (cline-rule-places.txt): the workspace's
	 * AGENTS.md, .clinerules (a file or a folder), .cline/rules, then
	 * ~/.agents/AGENTS.md (named "Global AGENTS.md"), the rules of its
	 * own folder, ~/Cline/Rules, ~/Documents/Cline/Rules and the
	 * OneDrive folders'; a later rule of an earlier's name takes its
	 * place (cline-rule-places-dup.txt) */
	if (is_file(f->cwd, "AGENTS.md"))
		list_add(&l, f->cwd, "AGENTS.md", "Workspace AGENTS.md");
	list_place(f, &l, f->cwd, ".clinerules", ".clinerules");
	list_place(f, &l, f->cwd, ".cline/rules", NULL);
	l.global = 1;
	if (f->home && !f->no_user) {
		char *agents = Pa_path_join(f->home, ".agents");

		/* (started in ~/.agents: the one file, the workspace's) */
		if (strcmp(agents, f->cwd) && is_file(agents, "AGENTS.md"))
			list_add(&l, agents, "AGENTS.md", "Global AGENTS.md");
		pa_free(agents);
	}
	if (cdir)
		list_place(f, &l, cdir, "rules", NULL);
	if (f->home && !f->no_user) {
		/* the user's folders' files (cline-home-rules.txt) */
		list_place(f, &l, f->home, "Cline/Rules", NULL);
		list_place(f, &l, f->home, "Documents/Cline/Rules", NULL);
	}
	for (i = 0; !f->no_user && i < sizeof(onedrive) / sizeof(onedrive[0]); i++) {
		const char *v = Pa_env_get(opt->env, onedrive[i]);
		size_t n = v ? strlen(v) : 0;
		char *t, *d;

		if (v)
			Pa_text_trim(&v, &n);
		if (!n)
			continue;
		t = Pa_xstrndup(v, n);
		d = Pa_path_normalize(f->cwd, t);
		list_place(f, &l, d, "Documents/Cline/Rules", NULL);
		pa_free(d);
		pa_free(t);
	}
	if (l.n)
		qsort(l.e, l.n, sizeof(*l.e), cmp_entry);
	for (i = 0; i < l.n; i++) {
		add(f, l.e[i].dir, l.e[i].name, l.e[i].stem, l.e[i].global, warn);
		entry_free(&l.e[i]);
	}
	pa_free(l.e);
	load_skills(f, cdir, warn);
	pa_free(cdir);
	Pa_hx_note_unread(f);
	return PA_OK;
}

static int blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Each file trimmed, as JavaScript's trim() does: a byte order mark and
 * white space at either end left out, line ends inside as written
 * (cline-crlf-bom.txt). */
static void compose(hx_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];
		const char *t = x->text.ptr;
		size_t a = 0, e = x->text.len;

		if (x->skill) {
			x->sent = x->as_sent.len; /* its entry in the listing */
			continue;
		}
		if (!x->read || x->empty)
			continue;
		for (;;) {
			if (a < e && blank_byte(t[a]))
				a++;
			else if (e - a >= 3 && !memcmp(t + a, "\xef\xbb\xbf", 3))
				a += 3;
			else
				break;
		}
		while (e > a && blank_byte(t[e - 1]))
			e--;
		x->skip = a;
		x->sent = e - a;
	}
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_cline = {
	.id = PA_HARNESS_CLINE,
	.name = "cline",
	.display = "Cline CLI",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = names,
	.others = others,
	.unread_hint = "it reads .clinerules and AGENTS.md only",
	.byte_cap = NULL, /* it sends every byte */
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = compose,
};
