/*
 * instructions.c - the project instructions: the CLAUDE.md files, rules and
 * @imports Claude Code loads, in its order, read into the model
 * (Pa_cc_instructions) that compose/ turns into sections.
 *
 * Order: the managed policy file and its .claude/rules/, the user's
 * CLAUDE.md and rules/ (in CLAUDE_CONFIG_DIR, else ~/.claude), then for
 * each directory from the outermost ancestor (below `/`) down to the
 * working directory: CLAUDE.md, .claude/CLAUDE.md, .claude/rules/ (any
 * depth, sorted), CLAUDE.local.md, and, only when no directory has any of
 * the three CLAUDE files, AGENTS.md and .claude/AGENTS.md.  Each file is
 * followed by the files it imports, depth first, in the order of the
 * @paths.  A file is included once, however it is reached.  Frontmatter
 * is removed from every file; a rule's `paths:` makes it conditional.
 *
 * Import depth: a file of the order above is level 0, a file it imports
 * is level 1, and so on; level PA_IMPORT_MAX_DEPTH (4) is the deepest
 * loaded.  An import must have a text file's extension (or none), and its
 * real path must lie under the working directory unless imports are
 * approved: Claude Code asks before loading others, and `-p` does not.
 * These rules were measured on Claude Code 2.1.332 (tests/oracle/).
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "files.h"
#include "harness.h"
#include "base/glob.h"
#include "base/markdown.h"
#include "util/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- loading ---- */

typedef struct loader {
	Pa_cc_instructions *out;
	const pa_compose_options *opt;
	const Pa_places *pl;
	pa_warnings *warn;
	const Pa_cc_settings *settings; /* claudeMdExcludes; may be NULL */
	pa_section_kind chain; /* the kind of the file the imports began at */
	Pa_strset seen; /* real paths of the files included */
	char **fors;   /* --for-file paths, absolute and normalized */
	size_t nfors;
	int absolute;  /* show paths absolute (the managed file's chain) */
	int managed;   /* loading the managed file or its rules: never excluded */
	int user_rules; /* loading the user's rules (~/.claude/rules) */
	int user_chain; /* the imports began at a file of the user's */
	size_t loaded; /* bytes of all the files read */
	long import_line; /* the line of the @import being loaded, for its warnings */
} loader;

/* A loader that reads into *out, emptied first. */
static void loader_start(loader *L, Pa_cc_instructions *out,
                         const pa_compose_options *opt, const Pa_places *pl)
{
	memset(out, 0, sizeof(*out));
	memset(L, 0, sizeof(*L));
	L->out = out;
	L->opt = opt;
	L->pl = pl;
	L->warn = &out->warn;
}

static char *display(const loader *L, const char *path)
{
	if (L->absolute)
		return Pa_xstrdup(path);
	return Pa_path_display(path, L->pl->root, L->pl->home);
}

static int seen_add(loader *L, const char *real)
{
	return Pa_strset_add(&L->seen, real, strlen(real));
}

/* The characters of a file's text as Claude Code counts them for its
 * warning: UTF-16 code units (a character past U+FFFF is two), carriage
 * returns included (measured on the terminal: 150,001 ASCII characters
 * warn, 60,000 three-byte ones do not, a CR LF file counts its CRs, an
 * emoji counts two).  s is valid UTF-8. */
static size_t count_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

/* The extensions Claude Code 2.1.332 imports (compared lowercased); a
 * file without one is imported too.  Others (.mdx, .png, ...) are not. */
static const char *const text_extensions[] = {
	"md", "txt", "text", "json", "yaml", "yml", "toml", "xml", "csv", "html",
	"htm", "css", "scss", "sass", "less", "js", "ts", "tsx", "jsx", "mjs",
	"cjs", "mts", "cts", "py", "pyi", "pyw", "rb", "erb", "rake", "go", "rs",
	"java", "kt", "kts", "scala", "c", "cpp", "cc", "cxx", "h", "hpp", "hxx",
	"cs", "swift", "sh", "bash", "zsh", "fish", "ps1", "bat", "cmd", "env",
	"ini", "cfg", "conf", "config", "properties", "sql", "graphql", "gql",
	"proto", "vue", "svelte", "astro", "ejs", "hbs", "pug", "jade", "php",
	"pl", "pm", "lua", "r", "dart", "ex", "exs", "erl", "hrl", "clj", "cljs",
	"cljc", "edn", "hs", "lhs", "elm", "ml", "mli", "f", "f90", "f95", "for",
	"cmake", "make", "makefile", "gradle", "sbt", "rst", "adoc", "asciidoc",
	"org", "tex", "latex", "lock", "log", "diff", "patch",
};

/* 1 when path's extension (after the last `.` of its last component, not
 * a leading one: ".env" has none) is one Claude Code imports. */
static int importable_extension(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t i, n;
	char ext[16];

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 1;
	n = strlen(dot + 1);
	if (n == 0 || n >= sizeof(ext))
		return 0;
	for (i = 0; i < n; i++)
		ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z'
		                ? dot[1 + i] - 'A' + 'a' : dot[1 + i]);
	ext[n] = '\0';
	for (i = 0; i < sizeof(text_extensions) / sizeof(text_extensions[0]); i++)
		if (!strcmp(ext, text_extensions[i]))
			return 1;
	return 0;
}

/* Why an import's real path may not be loaded, or NULL when it may.  The
 * system's pseudo-file systems never are; outside the working directory
 * only when approved. */
static const char *import_refusal(const loader *L, const char *real)
{
	if (Pa_path_is_system(real))
		return "it is a system file";
	if (L->opt->approve_imports)
		return NULL;
	/* What the user's own files (~/.claude/CLAUDE.md and its rules)
	 * import Claude Code loads from anywhere (measured: fixtures
	 * links-user, import-user-rule); we, from anywhere in HOME, as every
	 * file of the user's. */
	if (L->user_chain) {
		if ((L->pl->home && Pa_path_under(real, L->pl->home)) ||
		    Pa_path_under(real, L->pl->cwd))
			return NULL;
		return "it is outside HOME (Claude Code loads it; "
		       "--approve-imports loads it)";
	}
	if (!Pa_path_under(real, L->pl->cwd))
		return "it is outside the working directory (Claude Code asks "
		       "before loading it; --approve-imports loads it)";
	return NULL;
}

/* Where path would be if it existed: the real path of its nearest
 * directory that resolves, the rest joined as written, and a dangling
 * link followed to where it points (at most 40 links, as the kernel).
 * An import that does not resolve is judged by it, so that one outside
 * the working directory is refused whether it exists or not: a
 * project's CLAUDE.md in CI cannot learn which files of the runner exist
 * (@~/.aws/config against @~/.nothing, or a link to either). */
static char *as_far_as_resolves(const char *path)
{
	char *at = Pa_xstrdup(path);
	int links;

	for (links = 0; at && links <= 40; links++) {
		char *dir = Pa_path_dirname(at), *real, *out, target[PATH_MAX];
		const char *rest;
		ssize_t n;

		while (!(real = Pa_project_realpath(dir)) && !Pa_path_is_top(dir)) {
			char *up = Pa_path_dirname(dir);

			pa_free(dir);
			dir = up;
		}
		/* "." is the top of a relative path, and no prefix of it */
		rest = strcmp(dir, ".") ? at + strlen(dir) : at;
		while (*rest == '/')
			rest++;
		out = real ? Pa_path_normalize(real, rest) : NULL;
		free(real);
		pa_free(dir);
		pa_free(at);
		if (!out || (n = readlink(out, target, sizeof(target) - 1)) < 0)
			return out;
		target[n] = '\0';
		dir = Pa_path_dirname(out);
		at = Pa_path_normalize(dir, target);
		pa_free(dir);
		pa_free(out);
	}
	/* a loop of links: judged where the last one leads */
	return at;
}

/* Why a file is skipped: "X: skipped: why", or for an import "PARENT:
 * skipped import of X: why". */
static void skip_warn(loader *L, const char *shown, const char *parent,
                      const char *why)
{
	if (parent)
		Pa_warn_at(L->warn, parent, L->import_line, "%s: skipped import of "
		           "%s: %s", parent, shown, why);
	else
		Pa_warn_at(L->warn, shown, 0, "%s: skipped: %s", shown, why);
}

/* Reads a file to include.  Returns 1 with text filled, or 0 when it is
 * to be skipped, with a warning. */
static int read_text(loader *L, const char *path, const char *shown,
                     const char *parent, pa_buf *text)
{
	pa_error err;
	size_t bad;
	const char *nul;
	char why[128];

	/* path is real (the link rule admitted it): its bytes are read once
	 * for the run, the other CLIs' loads included */
	if (Pa_hx_read_text(L->opt->cache ? L->opt->cache->texts : NULL, path, path,
	                    text, &err) != PA_OK) {
		/* Claude Code 2.1.332 skips a file over 4 MiB (4,194,304
		 * bytes, of any level, an import or a rule; one of exactly 4
		 * MiB loads whole): our limit is its own (measured: fixture
		 * large-4mib), so the file is left out as it is, not as work
		 * skipped. */
		if (err.status == PA_ERR_TOO_LARGE) {
			char big[sizeof(err.message) + 64];

			snprintf(big, sizeof(big), "%s (Claude Code skips it too)",
			         err.message);
			skip_warn(L, shown, parent, big);
		} else {
			skip_warn(L, shown, parent, err.message);
		}
		return 0;
	}
	/* Claude Code reads every file as UTF-8, a byte that is not as
	 * U+FFFD, and sends NUL bytes as they are: a file in Latin-1 or
	 * UTF-16 loads so (measured: fixtures bytes-latin1, bytes-nul,
	 * bytes-utf16).  So do we, saying so. */
	nul = memchr(text->ptr, '\0', text->len);
	if (nul || !pa_utf8_valid(text->ptr, text->len, &bad)) {
		snprintf(why, sizeof(why), "%s at byte %zu",
		         nul ? "a NUL byte" : "invalid UTF-8",
		         nul ? (size_t)(nul - text->ptr) : bad);
		if (parent)
			Pa_warn_at(L->warn, parent, L->import_line, "%s: import of %s is "
			           "not a text file (%s): loaded as Claude Code decodes "
			           "it, invalid bytes as U+FFFD", parent, shown, why);
		else
			Pa_warn_at(L->warn, shown, 0, "%s: not a text file (%s): loaded "
			           "as Claude Code decodes it, invalid bytes as U+FFFD",
			           shown, why);
		if (!nul || !pa_utf8_valid(text->ptr, text->len, NULL)) {
			pa_buf fixed = PA_BUF_INIT;
			pa_utf8_lossy(text->ptr, text->len, &fixed);
			pa_buf_release(text);
			*text = fixed;
		}
	}
	/* Files within their limit still add up: a tree of many big rules
	 * would fill memory. */
	if (text->len > PA_INSTRUCTIONS_TOTAL_MAX_BYTES - L->loaded) {
		snprintf(why, sizeof(why), "over the limit of %ld MiB for all "
		         "instruction files together (%zu bytes read before it)",
		         PA_INSTRUCTIONS_TOTAL_MAX_BYTES >> 20, L->loaded);
		Pa_warn_incomplete(L->warn, shown, why);
		return 0;
	}
	L->loaded += text->len;
	/* Claude Code warns on its terminal about a CLAUDE.md, a local file,
	 * a rule or an import over 150,000 characters (not bytes), each file
	 * alone, and sends it whole; not about the user's own (measured with
	 * the trees of fixtures large-claudemd and large-4mib). */
	if (!L->user_chain) {
		size_t chars = count_chars(text->ptr, text->len);
		if (chars > PA_INSTRUCTIONS_LARGE_CHARS)
			Pa_warn_at(L->warn, shown, 0, "%s is large (%zu characters, over "
			           "the %d past which Claude Code warns): it is sent "
			           "whole, in every prompt", shown, chars,
			           PA_INSTRUCTIONS_LARGE_CHARS);
	}
	Pa_text_normalize_newlines(text);
	return 1;
}

static void load_file(loader *L, const char *path, pa_section_kind kind,
                      int depth, const char *parent, const char *rule_base,
                      int quiet_missing);

/* 1 when a claudeMdExcludes pattern matches path (as reached, or its
 * real path), with a warning that names the file and the setting; a file
 * that does not exist is not named. */
static int excluded(loader *L, const char *path, const char *shown,
                    const char *parent)
{
	const char *from = NULL, *pattern;
	char *real;
	struct stat st;

	if (!L->settings || !L->settings->n_excludes)
		return 0;
	pattern = Pa_cc_settings_excludes(L->settings, path, &from);
	real = pattern ? NULL : Pa_project_realpath(path);
	if (real)
		pattern = Pa_cc_settings_excludes(L->settings, real, &from);
	free(real);
	if (!pattern || Pa_project_stat(path, &st) != 0)
		return pattern != NULL;
	if (parent)
		Pa_warn_at(L->warn, parent, L->import_line, "%s: import of %s not "
		           "loaded: claudeMdExcludes \"%s\" in %s", parent, shown,
		           pattern, from);
	else
		Pa_warn_at(L->warn, shown, 0, "%s: not loaded: claudeMdExcludes "
		           "\"%s\" in %s", shown, pattern, from);
	return 1;
}

typedef struct import_ctx {
	loader *L;
	const char *file;   /* the importing file (absolute, real) */
	const char *shown;  /* how it is shown */
	int depth;          /* its level */
	char **paths;
	long *lines;        /* the line of each in the importing file */
	size_t n;
	const char *text;   /* the importing file's section text */
	const long *map;    /* its line map: section line -> file line */
	size_t nmap;
	size_t scanned;     /* newlines counted in text up to offset `upto` */
	size_t upto;
} import_ctx;

static void collect_import(void *ctx, const char *path, size_t at)
{
	import_ctx *ic = ctx;
	size_t line;

	/* Imports come in text order: count on from the last one. */
	for (; ic->upto < at; ic->upto++)
		ic->scanned += ic->text[ic->upto] == '\n';
	line = ic->scanned;
	ic->paths = Pa_xgrow(ic->paths, ic->n, sizeof(*ic->paths));
	ic->lines = Pa_xgrow(ic->lines, ic->n, sizeof(*ic->lines));
	ic->lines[ic->n] = line < ic->nmap ? ic->map[line] : 0;
	ic->paths[ic->n++] = Pa_xstrdup(path);
}

static void load_imports(import_ctx *ic)
{
	loader *L = ic->L;
	size_t i;

	for (i = 0; i < ic->n; i++) {
		const char *w = ic->paths[i];
		char *target;

		if (w[0] == '~' && w[1] == '/') {
			if (!L->pl->home) {
				Pa_warn_at(L->warn, ic->shown, ic->lines[i], "%s: skipped import "
				           "@%s: HOME is not set", ic->shown, w);
				continue;
			}
			target = Pa_path_normalize("/", w[2] ? w + 2 : ".");
			{
				char *t = Pa_path_join(L->pl->home, target + 1);
				free(target);
				target = t;
			}
		} else if (w[0] == '/') {
			target = Pa_path_normalize("/", w);
		} else {
			char *dir = Pa_path_dirname(ic->file);
			target = Pa_path_normalize(dir, w);
			free(dir);
		}
		if (ic->depth + 1 > PA_IMPORT_MAX_DEPTH) {
			Pa_warn_at(L->warn, ic->shown, ic->lines[i], "%s: skipped import @%s: "
			           "nested deeper than %d levels", ic->shown, w,
			           PA_IMPORT_MAX_DEPTH);
			free(target);
			continue;
		}
		if (!importable_extension(target)) {
			Pa_warn_at(L->warn, ic->shown, ic->lines[i], "%s: skipped import @%s: not "
			           "a text file extension Claude Code imports", ic->shown, w);
			free(target);
			continue;
		}
		L->import_line = ic->lines[i]; /* for the warnings about it */
		load_file(L, target, PA_SECTION_IMPORT, ic->depth + 1, ic->shown,
		          NULL, 0);
		free(target);
	}
}

/* 1 when rel matches one `paths:` glob, as Claude Code matches them
 * (gitignore style): a glob without a `/` but a trailing one matches a
 * name at any depth ("*.md" matches docs/x.md); a glob that matches a
 * directory matches everything under it ("docs/" and "docs"). */
static int rule_glob_matches(const char *glob, const char *rel)
{
	pa_buf g = PA_BUF_INIT;
	size_t len;
	int dir_only, ok;

	pa_buf_puts(&g, glob[0] == '/' ? glob + 1 : glob);
	len = g.len;
	dir_only = len > 0 && g.ptr[len - 1] == '/';
	if (dir_only)
		pa_buf_truncate(&g, --len);
	if (glob[0] != '/' && !memchr(g.ptr, '/', len)) {
		pa_buf_reset(&g);
		pa_buf_puts(&g, "**/");
		pa_buf_put(&g, glob, len);
	}
	ok = !dir_only && Pa_glob_match(g.ptr, rel);
	if (!ok) {
		pa_buf_puts(&g, "/**");
		ok = Pa_glob_match(g.ptr, rel);
	}
	pa_buf_release(&g);
	return ok;
}

/* A rule's `paths:` as Claude Code reads them: a trailing slash and
 * double star dropped ("docs/" + "**" is "docs"),
 * empty ones dropped (*n becomes the number left), and a list of only
 * "**" is no condition.  Returns 1 when the rule is conditional. */
static int rule_globs(char **globs, size_t *n)
{
	size_t i, kept = 0, stars = 0;

	for (i = 0; i < *n; i++) {
		size_t len = strlen(globs[i]);
		/* A brace of one alternative is that alternative: "{**}" is
		 * "**" (fixture rules-paths-nonstring). */
		if (len >= 2 && globs[i][0] == '{' && globs[i][len - 1] == '}' &&
		    !memchr(globs[i], ',', len) && !memchr(globs[i] + 1, '{', len - 1)) {
			memmove(globs[i], globs[i] + 1, len - 2);
			globs[i][len -= 2] = '\0';
		}
		if (len >= 3 && !strcmp(globs[i] + len - 3, "/**"))
			globs[i][len - 3] = '\0';
		if (!globs[i][0]) {
			free(globs[i]);
			continue;
		}
		stars += !strcmp(globs[i], "**");
		globs[kept++] = globs[i];
	}
	*n = kept;
	return stars < kept;
}

/* 1 when a --for-file path lies under base and matches one of globs. */
static int rule_applies(loader *L, char **globs, size_t nglobs,
                        const char *base)
{
	size_t i, j;

	for (i = 0; i < L->nfors; i++) {
		const char *rel = Pa_path_under(L->fors[i], base);
		if (!rel || !*rel)
			continue;
		for (j = 0; j < nglobs; j++)
			if (rule_glob_matches(globs[j], rel))
				return 1;
	}
	return 0;
}

/* 1 when v is a plain scalar YAML reads as a boolean or a number:
 * `paths: true` or `paths: 42` makes no condition (fixture
 * rules-paths-nonstring; a quoted "42" is a glob). */
static int not_a_string(const Pa_ynode *v)
{
	static const char *const words[] = { "true", "false", "True", "False",
	                                     "TRUE", "FALSE" };
	const char *t;
	char *end;
	size_t i;

	if (!v || v->type != PA_YNODE_SCALAR || !v->plain || Pa_ynode_is_null(v) ||
	    !v->scalar_len)
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(v->scalar, words[i]))
			return 1;
	t = v->scalar;
	if (!strchr("0123456789+-.", t[0]) || strpbrk(t, "iInN"))
		return 0; /* not inf or nan, which YAML writes .inf and .nan */
	(void)strtod(t, &end);
	return end != t && *end == '\0';
}

/* Frontmatter is not part of an instruction file's text: text keeps what
 * follows it, from line *base.  A rule's `paths:` makes it conditional:
 * returns 0 when the rule is not for the files worked on, else 1. */
static int strip_frontmatter(loader *L, const char *shown,
                             pa_section_kind kind, const char *rule_base,
                             pa_buf *text, long *base)
{
	Pa_frontmatter fm;
	pa_error err;
	pa_buf body = PA_BUF_INIT;
	char **globs;
	size_t ng;
	int skip = 0;

	if (Pa_frontmatter_parse(text->ptr, text->len, shown, &fm, &err) != PA_OK) {
		/* A block Claude Code cannot read as a mapping (a sentence, a
		 * list, broken YAML) is still dropped: the file loads from the
		 * line after its closing `---`, as a file without fields
		 * (measured: fixtures claudemd-fm-text, claudemd-fm-mixed,
		 * rules-fm-broken).  An unclosed block is text. */
		Pa_warn_at(L->warn, shown, err.line, "%s: cannot parse frontmatter "
		           "(%s at line %ld); loaded without it", shown, err.message,
		           err.line);
		if (fm.present && fm.close_line > 0) {
			pa_buf_put(&body, fm.body, fm.body_len);
			*base = fm.body_line;
			pa_buf_release(text);
			*text = body;
		}
		return 1;
	}
	if (!fm.present)
		return 1;
	if (kind == PA_SECTION_RULE && !not_a_string(Pa_ynode_get(fm.root, "paths"))) {
		globs = Pa_ynode_string_list(Pa_ynode_get(fm.root, "paths"), &ng);
		skip = rule_globs(globs, &ng) && !rule_applies(L, globs, ng, rule_base);
		Pa_strings_free(globs, ng);
	}
	pa_buf_put(&body, fm.body, fm.body_len);
	*base = fm.body_line;
	Pa_frontmatter_release(&fm);
	pa_buf_release(text);
	*text = body;
	return !skip;
}

/* Appends a file of the model. */
static Pa_cc_instruction *add_record(loader *L, pa_section_kind kind,
                                     const char *shown, const char *real,
                                     const char *parent, int depth,
                                     const char *t, size_t tl)
{
	Pa_cc_instructions *o = L->out;
	Pa_cc_instruction *f;

	o->files = Pa_xgrow(o->files, o->n, sizeof(*o->files));
	f = &o->files[o->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->managed = L->managed;
	f->shown = Pa_xstrdup(shown);
	f->real = Pa_xstrdup(real);
	f->parent = parent ? Pa_xstrdup(parent) : NULL;
	f->depth = depth;
	f->text = Pa_xmalloc(tl + 1);
	memcpy(f->text, t, tl);
	f->text[tl] = '\0';
	f->len = tl;
	return f;
}

/* Adds the file to the model: its text without comments and surrounding
 * blank lines, from line `base` of real.  Returns what was added
 * (borrowed from text) for the import scan. */
static long *add_section(loader *L, const char *real, const char *shown,
                         pa_section_kind kind, int depth, const char *parent,
                         pa_buf *text, long base, const char **t, size_t *tl,
                         size_t *nlines_out)
{
	long *lines;
	size_t nlines = 0, nstripped = 0, skipped, i, *line_of = NULL;

	/* A preloaded SKILL.md keeps its comments (fixture comments-line). */
	if (kind != PA_SECTION_SKILL)
		Pa_md_strip_comments(text, &line_of, &nstripped);
	*t = text->ptr;
	*tl = text->len;
	skipped = Pa_text_trim(t, tl);
	/* Line i of the section is line skipped + i of the stripped text,
	 * which began on line line_of[...] of the text from line base. */
	lines = Pa_lines_from(0, *t, *tl, &nlines);
	for (i = 0; i < nlines; i++)
		lines[i] = kind == PA_SECTION_SKILL ? base + (long)(skipped + i)
		           : line_of && skipped + i < nstripped
		           ? base - 1 + (long)line_of[skipped + i] : 0;
	pa_free(line_of);
	if (*tl > 0) {
		Pa_cc_instruction *f = add_record(L, kind, shown, real, parent,
		                                  depth, *t, *tl);
		f->lines = Pa_xmalloc((nlines ? nlines : 1) * sizeof(*lines));
		memcpy(f->lines, lines, nlines * sizeof(*lines));
		f->nlines = nlines;
	}
	*nlines_out = nlines;
	return lines;
}

static void load_file(loader *L, const char *path, pa_section_kind kind,
                      int depth, const char *parent, const char *rule_base,
                      int quiet_missing)
{
	pa_buf text = PA_BUF_INIT;
	char *real, *shown = display(L, path);
	const char *t;
	size_t tl;
	long base = 1, *map = NULL;
	size_t nmap = 0;
	import_ctx ic;
	struct stat st;

	if (depth == 0 && kind != PA_SECTION_IMPORT) {
		L->chain = kind;
		L->user_chain = kind == PA_SECTION_USER || L->user_rules;
	}
	/* claudeMdExcludes: never the managed files and what they import. */
	if (!L->managed && L->chain != PA_SECTION_SKILL &&
	    excluded(L, path, shown, parent)) {
		free(shown);
		return;
	}
	/* An optional file that is not there, not even as a dangling link:
	 * nothing to judge, found by one lstat() where realpath() reads
	 * every directory of the path again (--for-file deep in a tree
	 * asks three files of each of its directories). */
	if (quiet_missing && lstat(path, &st) != 0 && errno == ENOENT) {
		free(shown);
		return;
	}
	real = Pa_project_realpath(path);
	if (!real) {
		int e = errno;
		const char *why = strerror(e);
		char *far = NULL;

		/* A file that is absent is refused as it would be if it
		 * were there, when that is where it would be: so the answer
		 * does not tell whether a file outside exists. */
		/* So too one that cannot be read (no permission, a loop
		 * of links): that it is not absent would tell as much. */
		far = as_far_as_resolves(path);
		if (far && kind == PA_SECTION_IMPORT && import_refusal(L, far))
			Pa_warn_at(L->warn, parent, L->import_line, "%s: skipped "
			           "import of %s: %s", parent, shown,
			           import_refusal(L, far));
		else if (far && kind != PA_SECTION_IMPORT &&
		         kind != PA_SECTION_MANAGED && kind != PA_SECTION_RULE &&
		         Pa_places_refusal(L->pl, path, far, L->opt->approve_imports))
			Pa_warn_at(L->warn, shown, 0, "%s: skipped: %s", shown,
			           Pa_places_refusal(L->pl, path, far,
			                             L->opt->approve_imports));
		else if (e != ENOENT && e != ENOTDIR)
			/* Too long a path, a loop of links, no permission:
			 * not a file that is simply absent. */
			Pa_warn_incomplete(L->warn, shown, why);
		else if (quiet_missing)
			; /* an optional file of the loading order */
		else if (kind == PA_SECTION_IMPORT)
			Pa_warn_at(L->warn, parent, L->import_line, "%s: skipped "
			           "import of %s: %s", parent, shown, why);
		else
			Pa_warn_at(L->warn, shown, 0, "cannot load %s: %s", shown,
			           why);
		pa_free(far);
		free(shown);
		return;
	}
	if (!pa_utf8_valid(shown, strlen(shown), NULL)) {
		/* Its path would reach the prompt's heading as bytes no
		 * tokenizer takes. */
		Pa_warn_incomplete(L->warn, shown, "its path is not valid UTF-8");
		goto done;
	}
	if (kind == PA_SECTION_IMPORT) {
		const char *why = import_refusal(L, real);
		if (why) {
			Pa_warn_at(L->warn, parent, L->import_line, "%s: skipped import of %s: %s",
			           parent, shown, why);
			goto done;
		}
	} else if (kind != PA_SECTION_MANAGED && kind != PA_SECTION_RULE) {
		/* A CLAUDE.md, CLAUDE.local.md or SKILL.md that is a link out
		 * of its place (the walk of the rules confines them itself; the
		 * managed policy is the administrator's). */
		const char *why = Pa_places_refusal(L->pl, path, real,
		                                    L->opt->approve_imports);
		if (why) {
			Pa_warn_at(L->warn, shown, 0, "%s: skipped: %s", shown, why);
			goto done;
		}
	}
	/* Already in the prompt: a cycle, or two files importing the same
	 * one. */
	/* A skill preloaded under two names is sent twice (fixture
	 * skills-resolve). */
	if ((kind != PA_SECTION_SKILL && !seen_add(L, real)) ||
	    !read_text(L, real, shown, kind == PA_SECTION_IMPORT ? parent : NULL,
	               &text))
		goto done;
	if (!strip_frontmatter(L, shown, kind, rule_base, &text, &base)) {
		/* Not for these files; it may be for others, so the same
		 * file reached again is not "seen". */
		Pa_strset_remove(&L->seen, real, strlen(real));
		goto done;
	}
	map = add_section(L, real, shown, kind, depth, parent, &text, base, &t,
	                  &tl, &nmap);
	if (kind == PA_SECTION_SKILL)
		goto done; /* a skill's @words are not imports */
	memset(&ic, 0, sizeof(ic));
	ic.L = L;
	ic.file = real;
	ic.shown = shown;
	ic.depth = depth;
	ic.text = t;
	ic.map = map;
	ic.nmap = nmap;
	Pa_md_imports(t, tl, collect_import, &ic);
	load_imports(&ic);
	Pa_strings_free(ic.paths, ic.n);
	free(ic.lines);
done:
	free(map);
	pa_buf_release(&text);
	free(real);
	free(shown);
}

/* The managed settings' claudeMd: sent after the managed CLAUDE.md, as a
 * file of its own (measured: fixture settings-levels). */
static void add_policy_text(loader *L, const Pa_cc_settings *s)
{
	const char *t = s->policy_text;
	size_t tl = s->policy_text_len;
	Pa_cc_instruction *f;

	Pa_text_trim(&t, &tl);
	if (!tl)
		return;
	f = add_record(L, PA_SECTION_MANAGED, s->policy_from, s->policy_from,
	               NULL, 0, t, tl);
	f->policy = 1;
	f->lines = Pa_lines_from(0, t, tl, &f->nlines);
}

static void load_rules(loader *L, const char *dir, const char *base)
{
	char **files;
	size_t n, i;

	Pa_find_md_files(dir, Pa_places_confine(L->pl, dir), L->pl, L->warn,
	                 &files, &n);
	for (i = 0; i < n; i++)
		load_file(L, files[i], PA_SECTION_RULE, 0, NULL, base, 1);
	Pa_strings_free(files, n);
}

/* The files of one directory level, in Claude Code's order.  AGENTS.md
 * files only when no level has a CLAUDE file (agents_md). */
static void load_level(loader *L, const char *dir, int agents_md)
{
	static const struct { const char *name; pa_section_kind kind; } files[] = {
		{ "CLAUDE.md", PA_SECTION_PROJECT },
		{ ".claude/CLAUDE.md", PA_SECTION_PROJECT },
		{ NULL, PA_SECTION_RULE },
		{ "CLAUDE.local.md", PA_SECTION_LOCAL },
		{ "AGENTS.md", PA_SECTION_PROJECT },
		{ ".claude/AGENTS.md", PA_SECTION_PROJECT },
	};
	size_t i, n = sizeof(files) / sizeof(files[0]);

	for (i = 0; i < (agents_md ? n : n - 2); i++) {
		char *path = Pa_path_join(dir, files[i].name ? files[i].name
		                                             : ".claude/rules");
		if (files[i].name)
			load_file(L, path, files[i].kind, 0, NULL, NULL, 1);
		else
			load_rules(L, path, dir);
		free(path);
	}
}

/* A file read below the working directory (--for-file): Claude Code
 * then loads the CLAUDE.md, .claude/CLAUDE.md and CLAUDE.local.md of
 * each directory from the working directory's child down to the file's
 * own, outermost first, and none of a sibling's or below the file
 * (measured: fixture nested-claudemd-read).  A file already loaded is
 * not loaded again. */
static void load_below(loader *L, const char *cwd, const char *file)
{
	static const struct { const char *name; pa_section_kind kind; } files[] = {
		{ "CLAUDE.md", PA_SECTION_PROJECT },
		{ ".claude/CLAUDE.md", PA_SECTION_PROJECT },
		{ "CLAUDE.local.md", PA_SECTION_LOCAL },
	};
	const char *rel = Pa_path_under(file, cwd);
	char *dir;
	size_t at, k;

	if (!rel || !*rel || !strchr(rel, '/'))
		return;
	dir = Pa_xstrdup(file);
	/* each prefix of file ending before a '/' past cwd, in order */
	for (at = (size_t)(rel - file); dir[at]; at++) {
		if (dir[at] != '/')
			continue;
		dir[at] = '\0';
		for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			char *path = Pa_path_join(dir, files[k].name);
			load_file(L, path, files[k].kind, 0, NULL, NULL, 1);
			free(path);
		}
		dir[at] = '/';
	}
	free(dir);
}

/* A linked worktree inside its main checkout (proj/.worktrees/x): the
 * directories of the main checkout above the worktree are not read
 * (measured: fixture automem-worktree-nested); those above the main
 * checkout are.  dirs runs from the working directory up. */
static void skip_main_checkout(const Pa_places *pl, char **dirs, size_t *ndirs)
{
	char *main_repo;
	size_t i, n = 0;

	if (!pl->in_repo || !pl->repo)
		return;
	main_repo = Pa_xstrdup(pl->main_repo);
	if (strcmp(main_repo, pl->repo) && Pa_path_under(pl->repo, main_repo)) {
		for (i = 0; i < *ndirs; i++) {
			if (Pa_path_under(dirs[i], main_repo) &&
			    !Pa_path_under(dirs[i], pl->repo)) {
				free(dirs[i]);
				continue;
			}
			dirs[n++] = dirs[i];
		}
		*ndirs = n;
	}
	free(main_repo);
}

/* 1 when one of dirs holds CLAUDE.md, .claude/CLAUDE.md or
 * CLAUDE.local.md: then Claude Code reads no AGENTS.md anywhere. */
static int has_claude_file(char **dirs, size_t ndirs)
{
	static const char *const names[] = {
		"CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md",
	};
	size_t i, j;
	struct stat st;

	for (i = 0; i < ndirs; i++)
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			char *path = Pa_path_join(dirs[i], names[j]);
			int found = Pa_project_stat(path, &st) == 0 && S_ISREG(st.st_mode);
			free(path);
			if (found)
				return 1;
		}
	return 0;
}

pa_status Pa_cc_read_instructions(Pa_cc_instructions *out,
                                  const pa_compose_options *opt,
                                  const Pa_places *pl, pa_error *err)
{
	const Pa_cc_settings *s = pl->cc;
	loader L;
	char **dirs = NULL;
	size_t ndirs = 0, i;
	char *dir;
	int agents_md;

	loader_start(&L, out, opt, pl);
	L.settings = s;
	for (i = 0; i < opt->n_for_files; i++) {
		L.fors = Pa_xrealloc(L.fors, (L.nfors + 1) * sizeof(*L.fors));
		L.fors[L.nfors++] = Pa_path_normalize(pl->cwd, opt->for_files[i]);
	}

	if (!opt->no_managed) {
		const char *managed = opt->managed_file ? opt->managed_file
		                                         : PA_MANAGED_FILE;
		struct stat st;
		if (opt->managed_file && Pa_project_stat(managed, &st) != 0) {
			Pa_error_set(err, errno == ENOENT ? PA_ERR_NOT_FOUND : PA_ERR_IO,
			             managed, 0, 0, "cannot open managed policy file: %s",
			             strerror(errno));
			Pa_strings_free(L.fors, L.nfors);
			return err ? err->status : PA_ERR_NOT_FOUND;
		}
		{
			/* Shown absolute: it lives outside every project.  Its
			 * rules are in .claude/rules/ next to it. */
			char *abs = Pa_path_normalize(pl->cwd, managed);
			char *policy = Pa_path_dirname(abs);
			char *rules = Pa_path_join(policy, ".claude/rules");
			L.absolute = 1;
			L.managed = 1;
			load_file(&L, abs, PA_SECTION_MANAGED, 0, NULL, NULL,
			          opt->managed_file == NULL);
			if (s && s->policy_text)
				add_policy_text(&L, s);
			/* (A policy file in one of the project's directories
			 * has its rules loaded with that directory.) */
			if (!Pa_path_under(pl->cwd, policy))
				load_rules(&L, rules, pl->cwd);
			L.absolute = 0;
			L.managed = 0;
			free(abs);
			free(policy);
			free(rules);
		}
	}
	if (!opt->no_user && pl->user) {
		char *path = Pa_path_join(pl->user, "CLAUDE.md");
		load_file(&L, path, PA_SECTION_USER, 0, NULL, NULL, 1);
		free(path);
		path = Pa_path_join(pl->user, "rules");
		/* User rules' globs are read against the working directory
		 * (measured: started in pkg/, a glob "src/" followed by a
		 * double star matches pkg/src/a.ts). */
		L.user_rules = 1;
		load_rules(&L, path, pl->cwd);
		L.user_rules = 0;
		free(path);
	}
	/* Directories from the working directory up, then read outermost
	 * first.  `/` itself is not read, as Claude Code does not. */
	dir = Pa_xstrdup(pl->cwd);
	for (;;) {
		char *up;
		if (!strcmp(dir, "/"))
			break;
		dirs = Pa_xrealloc(dirs, (ndirs + 1) * sizeof(*dirs));
		dirs[ndirs++] = Pa_xstrdup(dir);
		if ((opt->no_ancestors && !strcmp(dir, pl->repo)) ||
		    Pa_path_is_top(dir))
			break;
		up = Pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	skip_main_checkout(pl, dirs, &ndirs);
	agents_md = !has_claude_file(dirs, ndirs);
	for (i = ndirs; i > 0; i--)
		load_level(&L, dirs[i - 1], agents_md);
	for (i = 0; i < L.nfors; i++)
		load_below(&L, pl->cwd, L.fors[i]);
	Pa_strings_free(dirs, ndirs);
	Pa_strset_release(&L.seen);
	Pa_strings_free(L.fors, L.nfors);
	return PA_OK;
}

void Pa_cc_read_instruction_file(Pa_cc_instructions *out,
                                 const pa_compose_options *opt,
                                 const Pa_places *pl, const char *path,
                                 pa_section_kind kind, const char *parent)
{
	loader L;

	loader_start(&L, out, opt, pl);
	load_file(&L, path, kind, 0, parent, NULL, 0);
	Pa_strset_release(&L.seen);
}

void Pa_cc_instructions_release(Pa_cc_instructions *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->n; i++) {
		Pa_cc_instruction *f = &x->files[i];
		free(f->shown);
		free(f->real);
		free(f->parent);
		free(f->text);
		free(f->lines);
	}
	free(x->files);
	pa_warnings_release(&x->warn);
	memset(x, 0, sizeof(*x));
}

void Pa_cc_find_on_demand_dirs(const Pa_places *pl, pa_harness_cache *cache,
                               char ***dirs, size_t *n, int *incomplete)
{
	static const char *const names[] = {
		"CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md", NULL
	};
	size_t i;

	/* Claude Code reads these as it reads files below them, not as
	 * start directories: .gitignore is not asked (not measured) */
	Pa_hx_start_dirs(cache, pl->cwd, names, 0, dirs, n, incomplete);
	/* the first is the working directory: its files are in the first
	 * request */
	if (*n) {
		pa_free((*dirs)[0]);
		for (i = 1; i < *n; i++)
			(*dirs)[i - 1] = (*dirs)[i];
		(*n)--;
	}
}
