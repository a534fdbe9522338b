/*
 * copilot.c - the Copilot CLI backend (backend.h): its row, and what
 * Copilot CLI 1.0.102 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its model: COPILOT_MODEL, else its default;
 *   - ~/.copilot/copilot-instructions.md ($COPILOT_HOME in place of
 *     ~/.copilot throughout: copilot-home-env.txt);
 *   - the root's .github/copilot-instructions.md, then the working
 *     directory's; the root's AGENTS.md, CLAUDE.md and GEMINI.md, then the
 *     working directory's; then each directory between, nearest the root
 *     first, as one group: its copilot-instructions.md first
 *     (fixtures/copilot-order.txt);
 *   - a file AGENTS.md or CLAUDE.md names as `@path`, relative to the
 *     mentioning file, in place right after the mention (the line goes on
 *     after it), each once; the files it names the same way, eight levels
 *     deep (copilot-mention-depth.txt, copilot-mention-cycle.txt,
 *     import-order.txt); never one that copilot-instructions.md names
 *     (copilot-mentions.txt);
 *   - ~/.copilot/instructions/, then .github/instructions/ of the root and
 *     of the working directory: every file ending in .instructions.md,
 *     sorted by path, sent whole (front matter kept) when its applyTo is
 *     "**" (also with a trailing slash and star), "*", "", ["**"] or
 *     absent (copilot-applyto-spellings.txt),
 *     else only named with its applyTo; then .claude/rules/ of the root:
 *     every .md, a rule whose front matter has `paths:` named with them as
 *     its applyTo (copilot-claude-rules.txt);
 *   - each directory of COPILOT_CUSTOM_INSTRUCTIONS_DIRS (comma
 *     separated, relative to the working directory): its *.instructions.md
 *     and .github/instructions/ sent, its AGENTS.md named by path
 *     (copilot-custom-dirs.txt);
 *   - a file of the same bytes as one sent before is not sent again
 *     (copilot-identical.txt);
 *   - each of those walks leaves out a file or directory whose name begins
 *     with `.` below its directory, and nothing else: not what .gitignore
 *     ignores, not node_modules (copilot-instructions-ignored.txt,
 *     copilot-instructions-hidden.txt).
 *
 * All of it in the system message, each file whole, the files only
 * named after those sent.
 */
#define _XOPEN_SOURCE 700
#include "services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* Read at each level of the project, in this order. */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", "GEMINI.md",
                                     NULL };

/* Drops the file just added when an earlier file sent has its bytes:
 * Copilot sends the same text once (copilot-identical.txt).  By a key of
 * each text (its length and a hash), so that 10,000 files of one length
 * cost 10,000 looks, not 50 million comparisons; a key met again is
 * compared byte by byte. */
static void drop_identical(hx_found *f)
{
	const hx_file *x;
	unsigned long long h = 14695981039346656037ull;
	char key[48];
	size_t i, *first;

	if (!f->n)
		return;
	x = &f->files[f->n - 1];
	if (!x->read || x->listed)
		return;
	for (i = 0; i < x->text.len; i++)
		h = (h ^ (unsigned char)x->text.ptr[i]) * 1099511628211ull;
	snprintf(key, sizeof(key), "%zx:%016llx", x->text.len, h);
	first = Pa_strset_value(&f->texts, key, strlen(key));
	if (*first && *first <= f->n - 1) {
		const hx_file *y = &f->files[*first - 1];

		if (y->read && !y->listed && y->text.len == x->text.len &&
		    !memcmp(y->text.ptr, x->text.ptr, x->text.len)) {
			Pa_hx_drop_last(f);
			return;
		}
	}
	if (!*first)
		*first = f->n;
}

static void add_github(hx_found *f, const char *dir, pa_warnings *warn)
{
	char *gh = Pa_path_join(dir, ".github");

	if (Pa_hx_add_file(f, gh, "copilot-instructions.md", 0, warn))
		drop_identical(f);
	pa_free(gh);
}

/* How deep Copilot follows mentions: those of a file mentioned eight
 * levels down are not (fixtures/copilot-mention-depth.txt). */
#define COPILOT_MENTION_MAX_DEPTH 8

/* The mentioned file f->files[at] is read at byte `word` of f->files[xi]
 * (the end of the mention's word): a span of no bytes naming it, so that
 * the request's text puts it there. */
static void mention_span(hx_found *f, size_t xi, size_t word, size_t at)
{
	hx_file *m = &f->files[xi];

	m->spans = Pa_xrealloc(m->spans, (m->nspans + 1) * sizeof(*m->spans));
	m->spans[m->nspans].at = word;
	m->spans[m->nspans].len = 0;
	m->spans[m->nspans++].file = at + 1;
}

/* Copilot inlines a file an AGENTS.md or a CLAUDE.md names as `@path`
 * (relative to the mentioning file), after the mention's word, the
 * mention kept, the line going on after it, and so the files those name,
 * down to COPILOT_MENTION_MAX_DEPTH; each file once (measured: fixtures/imports.txt, copilot-mentions.txt;
 * GEMINI.md and copilot-instructions.md are sent as written). */
static void add_mentions(hx_found *f, size_t xi, int depth, pa_warnings *warn)
{
	pa_buf text = PA_BUF_INIT;
	char *shown = Pa_xstrdup(f->files[xi].shown);
	char *from = Pa_path_dirname(f->files[xi].path);
	size_t i = 0;
	/* the mentions looked at: a file mentioned again costs a look in a
	 * set, never a pass over the files (400,000 mentions of a 4 MB
	 * AGENTS.md stay linear) */
	Pa_strset tried = PA_STRSET_INIT;

	pa_buf_put(&text, f->files[xi].text.ptr, f->files[xi].text.len);
	while (i < text.len) {
		size_t b, e, word;

		if (text.ptr[i] != '@' || (i > 0 && text.ptr[i - 1] != ' ' &&
		    text.ptr[i - 1] != '\t' && text.ptr[i - 1] != '\n')) {
			i++;
			continue;
		}
		b = i + 1;
		for (e = b; e < text.len && text.ptr[e] != ' ' && text.ptr[e] != '\t' &&
		     text.ptr[e] != '\n' && text.ptr[e] != '\r'; e++)
			;
		word = e;
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
			full = Pa_path_normalize(from, rel);
			seen = Pa_strset_has(&f->paths, full, strlen(full));
			dir = Pa_path_dirname(full);
			base = Pa_xstrdup(full + strlen(dir) + (strcmp(dir, "/") ? 1 : 0));
			if (!seen && Pa_path_under(full, f->root)) {
				hx_file *x = Pa_hx_add_file(f, dir, base, 0, warn);

				if (x) {
					size_t at = (size_t)(x - f->files);

					x->depth = depth + 1;
					x->parent = Pa_xstrdup(shown);
					mention_span(f, xi, word, at);
					/* its own mentions, in place (f->files
					 * may move: by index) */
					if (x->read && depth + 1 < COPILOT_MENTION_MAX_DEPTH)
						add_mentions(f, at, depth + 1, warn);
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
	pa_free(from);
}

static void add_level_mentions(hx_found *f, const char *dir, pa_warnings *warn)
{
	size_t k;

	for (k = 0; names[k]; k++) {
		hx_file *x = Pa_hx_add_file(f, dir, names[k], 0, warn);
		size_t at = f->n;

		if (!x)
			continue;
		drop_identical(f);
		if (f->n == at && f->files[at - 1].read && k < 2)
			add_mentions(f, at - 1, 0, warn);
	}
}

/* The applyTo value (key: applyTo, or a rule's paths) of a file's front matter (the one frontmatter
 * reader's, after a byte order mark), or NULL: none, or front matter that
 * does not parse (the file is then sent whole).  A list is its items
 * joined by commas, as Copilot takes a string of globs. */
static char *apply_to(const hx_file *x, const char *key)
{
	const char *s = x->text.ptr;
	size_t len = x->text.len, n, i;
	Pa_frontmatter fm;
	pa_error e;
	char *r = NULL;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3, len -= 3;
	memset(&e, 0, sizeof(e));
	/* a key given twice: the first applyTo is the one it reads
	 * (copilot-applyto-twice.txt) */
	if (Pa_frontmatter_parse_repeat(s, len, x->shown, PA_FM_LINES,
	                                PA_FM_REPEAT_FIRST, &fm, &e) != PA_OK)
		return NULL;
	{
		const Pa_ynode *v = fm.root ? Pa_ynode_get(fm.root, key) : NULL;

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

/* An applyTo that Copilot takes as every file: the file is sent whole
 * (copilot-applyto-spellings.txt). */
static int applies_to_all(const char *a)
{
	return !a || !strcmp(a, "**") || !strcmp(a, "**/*") || !strcmp(a, "*") ||
	       !*a;
}

/* Every *.instructions.md under dir (sorted by path; top: only those
 * directly in it; none whose path below dir has a name beginning with
 * `.`), sent whole or named with its applyTo.  held: the
 * directory files are confined to (NULL: the project's rule; global:
 * home's). */
static void add_instructions(hx_found *f, const char *dir, int global,
                             const char *held, int top, pa_warnings *warn)
{
	char **md = NULL;
	size_t nmd = 0, i;
	/* a global folder outside home ($COPILOT_HOME elsewhere: the user's
	 * choice) is held to itself */
	char *own = global && !held && !(f->home && Pa_path_under(dir, f->home))
	                ? realpath(dir, NULL) : NULL;

	Pa_hx_find_md_files_in(f, dir, held ? held : own ? own : global ? f->home : f->root,
	                       PA_MD_SKIP_HIDDEN, warn, &md, &nmd);
	free(own);
	for (i = 0; i < nmd; i++) {
		size_t l = strlen(md[i]);
		char *full, *d, *base;
		hx_file *x;

		if (l < 16 || strcmp(md[i] + l - 16, ".instructions.md"))
			continue;
		full = md[i][0] == '/' ? Pa_xstrdup(md[i]) : Pa_path_join(dir, md[i]);
		d = Pa_path_dirname(full);
		base = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
		if (top && strcmp(d, dir)) {
			x = NULL;
		} else if (held) {
			x = Pa_hx_add_file_held(f, d, base, held, warn);
		} else {
			x = Pa_hx_add_file(f, d, base, global, warn);
		}
		if (x && x->read) {
			x->apply_to = apply_to(x, "applyTo");
			x->listed = !applies_to_all(x->apply_to);
			drop_identical(f);
		}
		pa_free(full);
		pa_free(d);
		pa_free(base);
	}
	Pa_strings_free(md, nmd);
}

/* .claude/rules/ of the root: every .md (none hidden, as above), whole,
 * or named with its `paths:` as its applyTo (copilot-claude-rules.txt),
 * read as an applyTo is: the first of two, `"**"` and none (`paths:`)
 * every file, so sent whole (copilot-claude-rules-twice.txt). */
static void add_claude_rules(hx_found *f, pa_warnings *warn)
{
	char *dir = Pa_path_join(f->root, ".claude/rules");
	char **md = NULL;
	size_t nmd = 0, i;

	Pa_hx_find_md_files(f, dir, PA_MD_SKIP_HIDDEN, warn, &md, &nmd);
	for (i = 0; i < nmd; i++) {
		char *full = md[i][0] == '/' ? Pa_xstrdup(md[i]) : Pa_path_join(dir, md[i]);
		char *d = Pa_path_dirname(full);
		char *base = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
		hx_file *x = Pa_hx_add_file(f, d, base, 0, warn);

		if (x && x->read) {
			x->apply_to = apply_to(x, "paths");
			x->listed = !applies_to_all(x->apply_to);
			drop_identical(f);
		}
		pa_free(full);
		pa_free(d);
		pa_free(base);
	}
	Pa_strings_free(md, nmd);
	pa_free(dir);
}

/* COPILOT_CUSTOM_INSTRUCTIONS_DIRS: each directory (the user's choice,
 * so read wherever it is, held to itself): its *.instructions.md and
 * .github/instructions sent or named, its AGENTS.md named by path. */
static void add_custom_dirs(hx_found *f, const char *list, pa_warnings *warn)
{
	const char *p = list;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len) {
			char *rel = Pa_xmalloc(len + 1), *dir, *gh;
			hx_file *x;

			memcpy(rel, p, len);
			rel[len] = '\0';
			dir = Pa_path_normalize(f->cwd, rel);
			gh = Pa_path_join(dir, ".github/instructions");
			add_instructions(f, gh, 0, dir, 0, warn);
			add_instructions(f, dir, 0, dir, 1, warn);
			x = Pa_hx_add_file_held(f, dir, "AGENTS.md", dir, warn);
			if (x && x->read)
				x->listed = 1;
			pa_free(gh);
			pa_free(dir);
			pa_free(rel);
		}
		p = e ? e + 1 : NULL;
	}
}

/* The body of a skill as its description, where Copilot CLI takes it:
 * every run of white space one space, none at the ends. */
static char *body_words(const hx_file *x, size_t at, size_t *n)
{
	pa_buf b = PA_BUF_INIT;
	size_t i;
	int space = 0;

	for (i = at; i < x->text.len; i++) {
		char c = x->text.ptr[i];

		if (c && strchr(" \t\n\r\f\v", c)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			pa_buf_putc(&b, ' ');
		space = 0;
		pa_buf_putc(&b, c);
	}
	return pa_buf_detach(&b, n);
}

/* A skill as Copilot CLI reads it (skills-yaml-edges.txt,
 * copilot-skills-no-mapping.txt): it needs front matter; YAML that its
 * reader refuses (a key given twice, a second document after `...`) is
 * no skill.  A name must be a string (`name: 2024` is no skill), else
 * the folder's; a description a string (`""` listed empty, `42` no
 * skill), else, and for front matter that is a list or a scalar, the
 * body's words. */
static int copilot_skill(const hx_file *x, char **name, char **desc,
                         size_t *desc_len)
{
	Pa_ynode *tree = NULL;
	const Pa_ynode *v;
	size_t body, n;
	int kind = Pa_hx_skill_yaml(x, &tree, &body), ok = 0;

	*name = *desc = NULL;
	if (kind == HX_YAML_MAPPING) {
		v = Pa_ynode_get(tree, "name");
		if (v && !Pa_ynode_is_null(v) &&
		    !(*name = Pa_hx_yaml_text(tree, "name", HX_TEXT_STRINGS, &n)))
			goto out;
		v = Pa_ynode_get(tree, "description");
		if (v && !Pa_ynode_is_null(v) &&
		    !(*desc = Pa_hx_yaml_text(tree, "description", HX_TEXT_STRINGS,
		                              desc_len)))
			goto out;
	} else if (kind != HX_YAML_NOT_MAPPING) {
		goto out;
	}
	if (!*desc)
		*desc = body_words(x, body, desc_len);
	ok = 1;
out:
	Pa_ynode_free(tree);
	if (!ok) {
		pa_free(*name);
		pa_free(*desc);
		*name = *desc = NULL;
	}
	return ok;
}

/* Its skills, listed before the instruction files, each named with its
 * place, project or user (skills-every-cli.txt): the root's
 * .agents/skills, .claude/skills and .github/skills, then skills of its
 * folder and ~/.agents/skills. */
static void skills(hx_found *f, const char *cdir, pa_warnings *warn)
{
	char *d[5];
	int g[5] = { 0, 0, 0, 1, 1 };
	size_t n = 0, k;

	d[n++] = Pa_path_join(f->root, ".agents/skills");
	d[n++] = Pa_path_join(f->root, ".claude/skills");
	d[n++] = Pa_path_join(f->root, ".github/skills");
	if (cdir)
		d[n++] = Pa_path_join(cdir, "skills");
	if (f->home) {
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".agents/skills");
	}
	Pa_hx_skills(f, d, g, n, HX_SKILLS_XML_SCOPE, 0, copilot_skill, warn);
	for (k = 0; k < n; k++)
		pa_free(d[k]);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "COPILOT_MODEL");
	const char *custom = Pa_env_get(opt->env, "COPILOT_CUSTOM_INSTRUCTIONS_DIRS");
	const char *chome = Pa_env_get(opt->env, "COPILOT_HOME");
	char **dirs, *instr, *cdir = NULL;
	size_t n, i;

	(void)err;
	if (env && *env) {
		f->model = Pa_xstrdup(env);
		f->model_from = "COPILOT_MODEL";
	}
	Pa_hx_model_option(f, opt);
	Pa_hx_set_names(f, names, sizeof(names) / sizeof(names[0]) - 1);
	/* COPILOT_HOME in place of ~/.copilot (copilot-home-env.txt) */
	if (chome && *chome)
		cdir = Pa_path_normalize(f->cwd, chome);
	else if (f->home)
		cdir = Pa_path_join(f->home, ".copilot");
	skills(f, cdir, warn);
	if (cdir && !f->no_user)
		Pa_hx_add_file(f, cdir, "copilot-instructions.md", 1, warn);
	dirs = Pa_hx_chain(f, &n);
	/* the root's and the working directory's copilot-instructions.md,
	 * then their AGENTS.md and others, then each directory between as
	 * one group (measured: fixtures/copilot-order.txt) */
	add_github(f, dirs[0], warn);
	if (n > 1)
		add_github(f, dirs[n - 1], warn);
	add_level_mentions(f, dirs[0], warn);
	if (n > 1)
		add_level_mentions(f, dirs[n - 1], warn);
	for (i = 1; i + 1 < n; i++) {
		add_github(f, dirs[i], warn);
		add_level_mentions(f, dirs[i], warn);
	}
	if (cdir && !f->no_user) {
		char *d = Pa_path_join(cdir, "instructions");

		add_instructions(f, d, 1, NULL, 0, warn);
		pa_free(d);
	}
	pa_free(cdir);
	instr = Pa_path_join(dirs[0], ".github/instructions");
	add_instructions(f, instr, 0, NULL, 0, warn);
	pa_free(instr);
	if (n > 1) {
		instr = Pa_path_join(dirs[n - 1], ".github/instructions");
		add_instructions(f, instr, 0, NULL, 0, warn);
		pa_free(instr);
	}
	Pa_strings_free(dirs, n);
	add_claude_rules(f, warn);
	if (custom && *custom && !f->no_user)
		add_custom_dirs(f, custom, warn);
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
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	Pa_hx_note_unread(f);
	return PA_OK;
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_copilot = {
	.id = PA_HARNESS_COPILOT,
	.name = "copilot",
	.display = "Copilot CLI",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = names,
	.others = NULL, /* it reads every other CLI's file it may */
	.byte_cap = NULL, /* it sends every byte */
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = Pa_hx_compose_whole,
};
