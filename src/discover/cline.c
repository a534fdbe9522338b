/*
 * cline.c - the Cline CLI backend (backend.h): its row, and what cline
 * 3.0.65 reads for a working directory (measured:
 * tests/oracle-harness/fixtures/cline-*.txt, docs/harnesses.md):
 *
 *   - its workspace is the working directory, not the repository: the
 *     root's files are not read from a directory below it
 *     (cline-nested.txt, cline-sub-rules.txt);
 *   - the workspace's .clinerules: a file, sent under "## .clinerules",
 *     or a directory, whose *.md and *.txt files (not its
 *     subdirectories', not a link) are sent in the order of their names
 *     without the extension, case aside, each under "## NAME" without its
 *     extension (cline-rules-dir.txt, cline-rules-order.txt,
 *     cline-links.txt);
 *   - the user's rules: the files of ~/Documents/Cline/Rules and of
 *     ~/.cline/rules, together, the same way (cline-home-rules.txt);
 *   - the workspace's AGENTS.md, under "## Workspace AGENTS.md";
 *   - never CLAUDE.md, GEMINI.md, .cursorrules, .windsurfrules nor
 *     .cursor/rules, nor an AGENTS.md above or below the workspace.
 *
 * All of it in the system prompt, each file trimmed (a byte order mark
 * and white space at either end left out: cline-crlf-bom.txt), line ends
 * as written; no cap.  The
 * model is the one `cline auth` set; measured with gpt-5.5.
 */
#define _POSIX_C_SOURCE 200809L
#include "services.h"
#include "util/util.h"

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
} entry;

typedef struct listing {
	const char *dir;
	entry *e;
	size_t n;
} listing;

/* A rules file: a regular file (not a link: cline does not follow one,
 * cline-links.txt) named *.md or *.txt (cline-rules-order.txt). */
static int collect(void *ctx, const char *name, int sub)
{
	listing *l = ctx;
	const char *dot = strrchr(name, '.');
	struct stat st;
	char *p;
	int ok;

	if (sub || !dot || dot == name || (strcmp(dot, ".md") && strcmp(dot, ".txt")))
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
	l->e = Pa_xgrow(l->e, l->n, sizeof(*l->e));
	l->e[l->n].dir = Pa_xstrdup(l->dir);
	l->e[l->n].name = Pa_xstrdup(name);
	l->e[l->n].stem = Pa_xstrdup(name);
	l->e[l->n].stem[dot - name] = '\0';
	l->n++;
	return 1;
}

/* cline's order: by the name without its extension, case aside
 * ("b" before "B-upper", "10-ten" before "2-two"). */
static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcasecmp(x->stem, y->stem);

	return c ? c : strcmp(x->name, y->name);
}

/* The rules files of the folders dirs, together, in cline's order, each
 * under its name without its extension. */
static void add_dirs(hx_found *f, const char *const *dirs, size_t nd, int global,
                     pa_warnings *warn)
{
	listing l = { NULL, NULL, 0 };
	size_t i;

	for (i = 0; i < nd; i++) {
		l.dir = dirs[i];
		Pa_hx_list_dir(f->cache, dirs[i], collect, &l);
	}
	if (l.n)
		qsort(l.e, l.n, sizeof(*l.e), cmp_entry);
	for (i = 0; i < l.n; i++) {
		add(f, l.e[i].dir, l.e[i].name, l.e[i].stem, global, warn);
		pa_free(l.e[i].dir);
		pa_free(l.e[i].name);
		pa_free(l.e[i].stem);
	}
	pa_free(l.e);
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

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	(void)err;
	/* its workspace, the working directory, is its root */
	pa_free(f->root);
	f->root = Pa_xstrdup(f->cwd);
	Pa_hx_model_option(f, opt);
	Pa_hx_set_names(f, names, 2);
	if (is_dir(f->cwd, ".clinerules")) {
		char *d = Pa_path_join(f->cwd, ".clinerules");

		add_dirs(f, (const char *const *)&d, 1, 0, warn);
		pa_free(d);
	} else {
		add(f, f->cwd, ".clinerules", ".clinerules", 0, warn);
	}
	if (f->home && !f->no_user) {
		/* the two folders' files together (cline-home-rules.txt) */
		char *d[2];

		d[0] = Pa_path_join(f->home, "Documents/Cline/Rules");
		d[1] = Pa_path_join(f->home, ".cline/rules");
		add_dirs(f, (const char *const *)d, 2, 1, warn);
		pa_free(d[0]);
		pa_free(d[1]);
	}
	add(f, f->cwd, "AGENTS.md", "Workspace AGENTS.md", 0, warn);
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
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL,
	.discover = discover,
	.compose = compose,
};
