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
#define _XOPEN_SOURCE 700
#include "services.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


/* Strict JSON (JSON.parse): a settings file that does not parse, a
 * comment, a trailing comma or a byte order mark included, it takes as
 * empty with a warning, and goes on (settings-comments.txt,
 * settings-comma.txt, settings-bom.txt); one it cannot read is taken as
 * absent. */
static const Pa_cfg_rule config_rule = {
	"settings.json", "pi", 1 * PA_CFG_MiB, 2, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_WARN, PA_CFG_JSON
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);
static void compose(hx_found *f);

/* Per directory, the first that exists. */
static const char *const names[] = { "AGENTS.md", "AGENTS.MD", "CLAUDE.md",
                                     "CLAUDE.MD", NULL };

/* The strings of `skills` (a list; in pi's older settings an object
 * whose `customDirectories` is the list), appended to *out. */
static void skill_entries(const Pa_jnode *v, char ***out, size_t *n)
{
	size_t i;

	if (v && v->type == PA_JSON_OBJECT)
		v = Pa_jnode_get(v, "customDirectories");
	if (!v || v->type != PA_JSON_ARRAY)
		return;
	for (i = 0; i < v->n; i++)
		if (v->items[i]->type == PA_JSON_STRING) {
			*out = Pa_xgrow(*out, *n, sizeof(char *));
			(*out)[(*n)++] = Pa_xstrdup(v->items[i]->text);
		}
}

/* `defaultModel` of dir/settings.json, when it has one, and the entries
 * of its `skills`. */
static pa_status read_settings(hx_found *f, const char *dir, char ***skills,
                               size_t *n_skills, pa_error *err)
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
		skill_entries(Pa_jnode_get(root, "skills"), skills, n_skills);
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


/* ---- skills (measured: fixtures/pi-skills*.txt) ----
 *
 * pi lists each skill it finds in its system prompt, after the
 * instruction files: its name, description and path, never its body.
 * Where it looks, in the order it ranks them (the first skill of a name
 * wins; a file reached twice, by a link, is listed once):
 *   0. what `skills` of the working directory's .pi/settings.json names
 *      (relative to that .pi);
 *   1. the working directory's .pi/skills, then .agents/skills of the
 *      working directory and of each parent up to the repository's root
 *      (without one, up to /), nearest first;
 *   2. what `skills` of its own settings.json names (relative to its
 *      directory, `~/` to home);
 *   3. skills/ of its directory, then ~/.agents/skills.
 * In a folder, a SKILL.md makes the folder a skill and nothing below it
 * is searched; else each entry in name order (its files are listed
 * sorted, as libuv's scandir() gives them): a loose .md file at the top
 * of .pi/skills, of its directory's skills/ or of a folder `skills`
 * names is a skill too, a folder (not hidden, not node_modules) is
 * searched; .gitignore, .ignore and .fdignore files on the way leave
 * entries out. */

/* JavaScript's trim() of white space (ASCII, no-break space, the byte
 * order mark, the line and paragraph separators). */
static size_t js_space_at(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
		return 1;
	if (n >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		return 3;
	if (n >= 3 && (!memcmp(s, "\xE2\x80\xA8", 3) || !memcmp(s, "\xE2\x80\xA9", 3)))
		return 3;
	return 0;
}

static int js_space(char c)
{
	return js_space_at(&c, 1) != 0;
}

static int js_blank(const char *s, size_t n)
{
	size_t k;

	while (n && (k = js_space_at(s, n))) {
		s += k;
		n -= k;
	}
	return n == 0;
}

/* One file found, with its rank. */
typedef struct pi_cand {
	char *path;
	char *confine;   /* the folder its links must stay in */
	int global;      /* the user's */
	int rank;
	size_t seq;
} pi_cand;

typedef struct pi_walk {
	hx_found *f;
	pa_warnings *warn;
	pi_cand *v;
	size_t n;
	Pa_strset seen;  /* each path once: its first rank */
	size_t entries;  /* read by the walks, against pa_walk_limit() */
	int stopped;
} pi_walk;

static void cand_add(pi_walk *w, const char *path, const char *confine,
                     int global, int rank)
{
	pi_cand *c;

	if (!Pa_strset_add(&w->seen, path, strlen(path)))
		return;
	w->v = Pa_xgrow(w->v, w->n, sizeof(*w->v));
	c = &w->v[w->n];
	c->path = Pa_xstrdup(path);
	c->confine = Pa_xstrdup(confine);
	c->global = global;
	c->rank = rank;
	c->seq = w->n++;
}

typedef struct pi_names {
	char **v;
	size_t n;
	size_t max;
} pi_names;

static int name_add(void *ctx, const char *name, int sub)
{
	pi_names *l = ctx;

	(void)sub;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 1;
	l->v = Pa_xgrow(l->v, l->n, sizeof(char *));
	l->v[l->n++] = Pa_xstrdup(name);
	return 1;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ignore files of dir pushed for the paths under base; how many. */
static size_t push_ignores(pi_walk *w, Pa_ignore *ig, const char *dir,
                           const char *base)
{
	static const char *const files[] = { ".gitignore", ".ignore", ".fdignore" };
	size_t k, pushed = 0;

	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		char *p = Pa_path_join(dir, files[k]);
		pa_buf b = PA_BUF_INIT;
		pa_status st = Pa_hx_read_ignore(w->f->cache, p, &b);

		if (st == PA_OK && b.len) {
			Pa_ignore_push(ig, base, b.ptr, b.len);
			pushed++;
		} else if (st != PA_OK && st != PA_ERR_NOT_FOUND) {
			Pa_hx_add_refused(w->f, p, p, "an ignore file of a skills folder "
			                  "promptasm could not read (the skills it leaves "
			                  "out are not known)", w->warn);
		}
		pa_buf_release(&b);
		pa_free(p);
	}
	return pushed;
}

/* pi's collectSkillEntries(): dir (rel from the top of the walk, "" at
 * it); loose: .md files at the top are skills. */
static void walk_skills(pi_walk *w, Pa_ignore *ig, const char *dir,
                        const char *rel, int loose, const char *confine,
                        int global, int rank, int depth)
{
	pi_names l = { NULL, 0, 0 };
	size_t i, pushed;
	unsigned kind;

	if (w->stopped)
		return;
	if (depth > PA_WALK_MAX_DEPTH || w->entries > pa_walk_limit()) {
		char *shown = Pa_path_display(dir, w->f->root, w->f->home);

		Pa_hx_add_refused(w->f, dir, shown, depth > PA_WALK_MAX_DEPTH
		                  ? "a skills folder past PA_WALK_MAX_DEPTH levels (not "
		                    "searched)"
		                  : "a skills folder past the walk's limit of entries (not "
		                    "searched; " PA_WALK_RAISE ")", w->warn);
		pa_free(shown);
		w->stopped = 1;
		return;
	}
	Pa_hx_list_dir(w->f->cache, dir, name_add, &l);
	w->entries += l.n;
	if (l.n > 1) /* an empty folder's list is NULL, which qsort may not take */
		qsort(l.v, l.n, sizeof(char *), cmp_name);
	pushed = push_ignores(w, ig, dir, rel);
	for (i = 0; i < l.n; i++) {
		char *p, *r;

		if (strcmp(l.v[i], "SKILL.md"))
			continue;
		p = Pa_path_join(dir, l.v[i]);
		r = *rel ? Pa_path_join(rel, l.v[i]) : Pa_xstrdup(l.v[i]);
		kind = Pa_hx_kind(w->f->cache, p);
		if ((kind & HX_KIND_REG) && !Pa_ignore_has(ig, r, 0)) {
			cand_add(w, p, confine, global, rank);
			pa_free(p);
			pa_free(r);
			goto done;
		}
		pa_free(p);
		pa_free(r);
	}
	for (i = 0; i < l.n; i++) {
		const char *name = l.v[i];
		size_t nl = strlen(name);
		char *p, *r;

		if (name[0] == '.' || !strcmp(name, "node_modules"))
			continue;
		p = Pa_path_join(dir, name);
		r = *rel ? Pa_path_join(rel, name) : Pa_xstrdup(name);
		kind = Pa_hx_kind(w->f->cache, p);
		if (!(kind & HX_KIND_EXISTS)) {
			/* a dangling link */
		} else if (loose && !*rel && (kind & HX_KIND_REG) && nl > 3 &&
		           !strcmp(name + nl - 3, ".md")) {
			if (!Pa_ignore_has(ig, r, 0))
				cand_add(w, p, confine, global, rank);
		} else if ((kind & HX_KIND_DIR) && !Pa_ignore_has(ig, r, 1)) {
			char *real = (kind & HX_KIND_LINK) ? realpath(p, NULL) : NULL;

			if ((kind & HX_KIND_LINK) && (!real || !Pa_path_under(real, confine))) {
				char *shown = Pa_path_display(p, w->f->root, w->f->home);

				Pa_hx_add_refused(w->f, p, shown, "a symbolic link that leads "
				                  "out of the project (a skills folder: not "
				                  "searched)", w->warn);
				pa_free(shown);
			} else {
				walk_skills(w, ig, p, r, loose, confine, global, rank, depth + 1);
			}
			free(real);
		}
		pa_free(p);
		pa_free(r);
	}
done:
	while (pushed--)
		Pa_ignore_pop(ig);
	Pa_strings_free(l.v, l.n);
}

/* The skills of the folder dir, held to confine (its own folder when
 * NULL). */
static void find_skills(pi_walk *w, const char *dir, int loose,
                        const char *confine, int global, int rank)
{
	unsigned kind = Pa_hx_kind(w->f->cache, dir);
	char *real = NULL;
	Pa_ignore *ig;

	if (!(kind & HX_KIND_DIR))
		return;
	if (kind & HX_KIND_LINK) {
		real = realpath(dir, NULL);
		if (!real || !Pa_path_under(real, confine ? confine : dir)) {
			char *shown = Pa_path_display(dir, w->f->root, w->f->home);

			Pa_hx_add_refused(w->f, dir, shown, "a symbolic link that leads "
			                  "out of the project (a skills folder: not "
			                  "searched)", w->warn);
			pa_free(shown);
			free(real);
			return;
		}
	}
	ig = Pa_ignore_new();
	walk_skills(w, ig, dir, "", loose, confine ? confine : dir, global, rank, 0);
	Pa_ignore_free(ig);
	free(real);
}

/* 1 for an entry of `skills` that is a pattern (pi's isPattern()). */
static int is_pattern(const char *s)
{
	return *s == '!' || *s == '+' || *s == '-' || strchr(s, '*') || strchr(s, '?');
}

/* The entries `skills` of a settings file names (base: its folder),
 * each a folder searched as pi's own skills/ or a file. */
static void named_skills(pi_walk *w, char **entries, size_t n, const char *base,
                         const char *settings, int global, int rank)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *e = entries[i];
		size_t a = 0, b = strlen(e);
		char *t, *path, *shown;
		unsigned kind;

		while (a < b && js_space(e[a]))
			a++;
		while (b > a && js_space(e[b - 1]))
			b--;
		t = Pa_xstrndup(e + a, b - a);
		if (is_pattern(t)) {
			shown = Pa_path_display(settings, w->f->root, w->f->home);
			Pa_hx_add_refused(w->f, settings, shown, "a pattern in `skills` "
			                  "(pi's patterns are not modelled: the skills it "
			                  "keeps are not known)", w->warn);
			pa_free(shown);
			pa_free(t);
			continue;
		}
		if (t[0] == '~' && w->f->home)
			path = Pa_path_normalize(w->f->home, t[1] == '/' ? t + 2
			                         : t[1] ? t + 1 : ".");
		else
			path = Pa_path_normalize(base, t);
		pa_free(t);
		/* the project's settings name nothing outside the project */
		if (!global && !Pa_path_under(path, w->f->root)) {
			shown = Pa_path_display(path, w->f->root, w->f->home);
			Pa_hx_add_refused(w->f, path, shown, "outside the project (named "
			                  "by `skills` of .pi/settings.json: not read)",
			                  w->warn);
			pa_free(shown);
			pa_free(path);
			continue;
		}
		kind = Pa_hx_kind(w->f->cache, path);
		if (kind & HX_KIND_DIR) {
			find_skills(w, path, 1, global ? NULL : w->f->root, global, rank);
		} else if (kind & HX_KIND_REG) {
			char *dir = Pa_path_dirname(path);

			cand_add(w, path, global ? dir : w->f->root, global, rank);
			pa_free(dir);
		}
		pa_free(path);
	}
}

static int cmp_cand(const void *a, const void *b)
{
	const pi_cand *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- a skill's fields, as pi reads them ---- */

/* What a YAML value is to pi (its yaml package reads YAML 1.2's core
 * schema): a string, nothing (null), or another kind, falsy or not. */
enum { PI_Y_STRING, PI_Y_NULL, PI_Y_FALSY, PI_Y_TRUTHY };

static int all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

static int yaml_kind(const Pa_ynode *v)
{
	const char *s, *d;
	char *end;

	if (!v)
		return PI_Y_NULL;
	if (v->type != PA_YNODE_SCALAR)
		return PI_Y_TRUTHY;
	if (!v->plain)
		return v->scalar_len ? PI_Y_STRING : PI_Y_FALSY;
	s = v->scalar;
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	    !strcmp(s, "NULL"))
		return PI_Y_NULL;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return PI_Y_TRUTHY;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE") ||
	    !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
		return PI_Y_FALSY;
	if ((!strncmp(s, "0o", 2) && all_of(s + 2, "01234567")) ||
	    (!strncmp(s, "0x", 2) && all_of(s + 2, "0123456789abcdefABCDEF")))
		return strspn(s + 2, "0") == strlen(s + 2) ? PI_Y_FALSY : PI_Y_TRUTHY;
	d = s + (*s == '-' || *s == '+');
	if (!strcmp(d, ".inf") || !strcmp(d, ".Inf") || !strcmp(d, ".INF"))
		return PI_Y_TRUTHY;
	/* [0-9]+(\.[0-9]*)? or \.[0-9]+, then ([eE][-+]?[0-9]+)? */
	{
		const char *p = d;
		size_t digits = strspn(p, "0123456789");

		p += digits;
		if (*p == '.') {
			size_t frac = strspn(p + 1, "0123456789");

			if (!digits && !frac)
				return PI_Y_STRING;
			p += 1 + frac;
		} else if (!digits) {
			return PI_Y_STRING;
		}
		if (*p == 'e' || *p == 'E') {
			const char *q = p + 1 + (p[1] == '-' || p[1] == '+');
			size_t ed = strspn(q, "0123456789");

			if (!ed)
				return PI_Y_STRING;
			p = q + ed;
		}
		if (*p)
			return PI_Y_STRING;
	}
	return strtod(s, &end) == 0.0 ? PI_Y_FALSY : PI_Y_TRUTHY;
}

/* 1 when a mapping of the tree holds a key twice (pi's yaml package
 * refuses the document). */
static int duplicate_keys(const Pa_ynode *v)
{
	size_t i, j, n;

	if (!v)
		return 0;
	/* a mapping's items are its keys and values, two a pair */
	n = v->type == PA_YNODE_MAPPING ? 2 * v->n : v->n;
	for (i = 0; i < n; i++)
		if (duplicate_keys(v->items[i]))
			return 1;
	if (v->type != PA_YNODE_MAPPING)
		return 0;
	for (i = 0; i < n; i += 2)
		for (j = i + 2; j < n; j += 2)
			if (v->items[i]->type == PA_YNODE_SCALAR &&
			    v->items[j]->type == PA_YNODE_SCALAR &&
			    v->items[i]->scalar_len == v->items[j]->scalar_len &&
			    !memcmp(v->items[i]->scalar, v->items[j]->scalar,
			            v->items[i]->scalar_len))
				return 1;
	return 0;
}

/* The skill x holds as pi reads it (its utils/frontmatter.js and
 * core/skills.js): line ends made LF; the front matter only when the
 * text starts with `---` (a byte order mark hides it), up to the next
 * line starting with `---`; strict YAML.  A skill needs a description,
 * a string not blank; its name is `name:`, else its folder's name.
 * Returns 1 with *name (the caller frees) and *desc (in *tree), or 0 and
 * *why. */
static int skill_fields(const hx_file *x, Pa_ynode **tree, char **name,
                        const Pa_ynode **desc, const char **why)
{
	pa_buf t = PA_BUF_INIT;
	const char *s = x->text.ptr, *end;
	size_t n = x->text.len, i;
	const Pa_ynode *v;
	pa_error err;
	int ok = 0, k;

	*tree = NULL;
	*name = NULL;
	*why = "no description";
	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			pa_buf_putc(&t, '\n');
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			pa_buf_putc(&t, s[i]);
		}
	}
	if (t.len < 3 || memcmp(t.ptr, "---", 3))
		goto out;
	end = NULL;
	for (i = 3; !end && i + 4 <= t.len; i++)
		if (!memcmp(t.ptr + i, "\n---", 4))
			end = t.ptr + i;
	if (!end || end - t.ptr <= 4)
		goto out;
	memset(&err, 0, sizeof(err));
	if (Pa_yaml_parse(t.ptr + 4, (size_t)(end - t.ptr) - 4, x->shown, tree, &err)
	    != PA_OK) {
		*why = "its front matter is not YAML";
		goto out;
	}
	if (duplicate_keys(*tree)) {
		*why = "its front matter has a key twice";
		goto out;
	}
	if (!*tree || (*tree)->type != PA_YNODE_MAPPING)
		goto out;
	v = Pa_ynode_get(*tree, "description");
	if (yaml_kind(v) != PI_Y_STRING) {
		*why = v && yaml_kind(v) != PI_Y_NULL ? "its description is not a string"
		                                      : "no description";
		goto out;
	}
	if (js_blank(v->scalar, v->scalar_len))
		goto out;
	*desc = v;
	v = Pa_ynode_get(*tree, "name");
	k = yaml_kind(v);
	if (k == PI_Y_TRUTHY) {
		*why = "its name is not a string";
		goto out;
	}
	if (k == PI_Y_STRING) {
		*name = Pa_xstrndup(v->scalar, v->scalar_len);
	} else {
		char *dir = Pa_path_dirname(x->path);
		const char *base = strrchr(dir, '/');

		*name = Pa_xstrdup(base && base[1] ? base + 1 : dir);
		pa_free(dir);
	}
	ok = 1;
out:
	pa_buf_release(&t);
	return ok;
}

/* 1 when `disable-model-invocation: true`: pi leaves it out of the
 * listing (it is run only when named). */
static int skill_hidden(const Pa_ynode *tree)
{
	const Pa_ynode *v = Pa_ynode_get(tree, "disable-model-invocation");

	return v && v->type == PA_YNODE_SCALAR && v->plain &&
	       (!strcmp(v->scalar, "true") || !strcmp(v->scalar, "True") ||
	        !strcmp(v->scalar, "TRUE"));
}

/* Its entry in the listing: the structure of pi's formatSkillsForPrompt(),
 * its name, description and path escaped for XML. */
static void skill_entry(pa_buf *b, const char *name, const Pa_ynode *desc,
                        const char *path)
{
	pa_buf_puts(b, "\n  <skill>\n    <name>");
	Pa_hx_put_xml(b, name, strlen(name));
	pa_buf_puts(b, "</name>\n    <description>");
	Pa_hx_put_xml(b, desc->scalar, desc->scalar_len);
	pa_buf_puts(b, "</description>\n    <location>");
	Pa_hx_put_xml(b, path, strlen(path));
	pa_buf_puts(b, "</location>\n  </skill>");
}

/* Candidate c read and, when pi lists it, made a skill of f. */
static void load_skill(hx_found *f, const pi_cand *c, Pa_strset *taken,
                       Pa_strset *reals, pa_warnings *warn)
{
	char *dir = Pa_path_dirname(c->path), *name = NULL;
	const char *base = c->path + strlen(dir) + (strcmp(dir, "/") ? 1 : 0);
	size_t bl = strlen(base);
	const Pa_ynode *desc = NULL;
	Pa_ynode *tree = NULL;
	const char *why;
	hx_file *x;

	if (c->global && f->home && Pa_path_under(c->path, f->home))
		x = Pa_hx_add_file(f, dir, base, 1, warn);
	else if (c->global || !Pa_path_under(c->path, f->root))
		x = Pa_hx_add_file_held(f, dir, base, c->confine, warn);
	else
		x = Pa_hx_add_file(f, dir, base, 0, warn);
	pa_free(dir);
	if (!x)
		return;
	x->global = c->global;
	x->in = HX_IN_SYSTEM;
	if (!x->read)
		return; /* refused: the request is incomplete */
	if (bl < 3 || strcmp(base + bl - 3, ".md")) {
		Pa_warn_at(warn, x->shown, 0, "%s: not a Markdown file: pi lists no "
		           "skill of it", x->shown);
		Pa_hx_drop_last(f);
		return;
	}
	/* a file reached again by a link: listed once, silently */
	if (x->real && Pa_strset_has(reals, x->real, strlen(x->real))) {
		Pa_hx_drop_last(f);
		return;
	}
	if (!skill_fields(x, &tree, &name, &desc, &why)) {
		Pa_warn_at(warn, x->shown, 0, "%s: %s: pi leaves the skill out of its "
		           "listing", x->shown, why);
	} else if (Pa_strset_has(taken, name, strlen(name))) {
		Pa_warn_at(warn, x->shown, 0, "%s: a skill named %s is listed already: "
		           "pi lists the first", x->shown, name);
	} else {
		/* a skill kept from the listing (run only when named) still
		 * takes its name and its file */
		Pa_strset_add(taken, name, strlen(name));
		if (x->real)
			Pa_strset_add(reals, x->real, strlen(x->real));
		if (skill_hidden(tree))
			goto drop;
		x->skill = 1;
		pa_buf_reset(&x->as_sent);
		skill_entry(&x->as_sent, name, desc, x->path);
		pa_free(name);
		Pa_ynode_free(tree);
		return;
	}
drop:
	pa_free(name);
	Pa_ynode_free(tree);
	Pa_hx_drop_last(f);
}

/* pi's skills, found in its order, each read and listed as it lists it
 * (after the instruction files). */
static void load_skills(hx_found *f, const char *agent, char **proj, size_t np,
                        char **user, size_t nu, pa_warnings *warn)
{
	pi_walk w;
	Pa_strset taken = PA_STRSET_INIT, reals = PA_STRSET_INIT;
	char *local = Pa_path_join(f->cwd, ".pi");
	char *user_agents = f->home ? Pa_path_join(f->home, ".agents/skills") : NULL;
	char *p, *dir;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.warn = warn;
	/* the settings' entries first, the project's then the user's, as
	 * pi's accumulator takes them: a path keeps its first rank */
	p = Pa_path_join(local, "settings.json");
	named_skills(&w, proj, np, local, p, 0, 0);
	pa_free(p);
	if (agent && !f->no_user) {
		p = Pa_path_join(agent, "settings.json");
		named_skills(&w, user, nu, agent, p, 1, 2);
		pa_free(p);
	}
	p = Pa_path_join(local, "skills");
	find_skills(&w, p, 1, f->root, 0, 1);
	pa_free(p);
	/* .agents/skills from the working directory up to the root of the
	 * repository, else to / (one above the project held to itself);
	 * under no_ancestors to the root alone (the working directory
	 * outside a repository) */
	dir = Pa_xstrdup(f->cwd);
	for (i = 0; i <= PA_WALK_MAX_DEPTH; i++) {
		char *up;

		p = Pa_path_join(dir, ".agents/skills");
		if (!user_agents || strcmp(p, user_agents))
			find_skills(&w, p, 0, Pa_path_under(p, f->root) ? f->root : NULL, 0, 1);
		pa_free(p);
		if (((f->in_repo || f->no_ancestors) && !strcmp(dir, f->root)) ||
		    Pa_path_is_top(dir))
			break;
		up = Pa_path_dirname(dir);
		pa_free(dir);
		dir = up;
	}
	pa_free(dir);
	if (agent && !f->no_user) {
		const char *held = f->home && Pa_path_under(agent, f->home) ? f->home : agent;

		p = Pa_path_join(agent, "skills");
		find_skills(&w, p, 1, held, 1, 3);
		pa_free(p);
		if (user_agents)
			find_skills(&w, user_agents, 0, f->home, 1, 3);
	}
	if (w.n > 1) /* none found: the list is NULL, which qsort may not take */
		qsort(w.v, w.n, sizeof(*w.v), cmp_cand);
	for (i = 0; i < w.n; i++) {
		load_skill(f, &w.v[i], &taken, &reals, warn);
		pa_free(w.v[i].path);
		pa_free(w.v[i].confine);
	}
	pa_free(w.v);
	Pa_strset_release(&w.seen);
	Pa_strset_release(&taken);
	Pa_strset_release(&reals);
	pa_free(user_agents);
	pa_free(local);
}

/* PI_PACKAGE_DIR: the folder pi takes its package from, whose README.md,
 * docs and examples its own prompt names by path (pi-package-dir.txt,
 * pi-package-dir-short.txt): "~" and "~/" under home, else as given,
 * against the working directory.  The three paths are counted in place
 * of the recorded install's (own_part_tokens); what else such a folder
 * could change (a package.json naming another configuration folder) is
 * not. */
static void package_dir(hx_found *f, const pa_harness_options *opt)
{
	const char *v = Pa_env_get(opt->env, "PI_PACKAGE_DIR");
	char *dir;
	pa_buf b = PA_BUF_INIT;

	if (!v || !*v)
		return;
	if (v[0] == '~' && (!v[1] || v[1] == '/'))
		dir = f->home ? Pa_path_normalize(f->home, v[1] && v[2] ? v + 2 : ".") : NULL;
	else
		dir = Pa_path_normalize(f->cwd, v);
	if (!dir)
		return;
	pa_buf_printf(&b, "%s%sREADME.md\n", dir, strcmp(dir, "/") ? "/" : "");
	pa_buf_printf(&b, "%s%sdocs\n", dir, strcmp(dir, "/") ? "/" : "");
	pa_buf_printf(&b, "%s%sexamples", dir, strcmp(dir, "/") ? "/" : "");
	pa_free(f->config_text);
	pa_free(f->config_text_from);
	f->config_text = pa_buf_detach(&b, &f->config_text_len);
	f->config_text_from = Pa_xstrdup("PI_PACKAGE_DIR");
	f->own_part = 1;
	pa_free(dir);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "PI_CODING_AGENT_DIR");
	char *agent = NULL, *dir, **dirs = NULL, *local;
	char **user_skills = NULL, **proj_skills = NULL;
	size_t n = 0, i, n_user = 0, n_proj = 0;

	if (env && *env == '/')
		agent = Pa_path_normalize("/", env);
	else if (env && env[0] == '~' && (env[1] == '/' || !env[1]) && f->home)
		agent = Pa_path_normalize(f->home, env[1] ? env + 2 : ".");
	else if (f->home)
		agent = Pa_path_join(f->home, ".pi/agent");
	local = Pa_path_join(f->cwd, ".pi");
	if ((agent && read_settings(f, agent, &user_skills, &n_user, err) != PA_OK) ||
	    read_settings(f, local, &proj_skills, &n_proj, err) != PA_OK) {
		Pa_strings_free(user_skills, n_user);
		Pa_strings_free(proj_skills, n_proj);
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
	if (!f->own_replaced)
		package_dir(f, opt);
	if (agent && !f->no_user)
		add_first(f, agent, 1, warn);
	/* from the working directory up to /, each read top-down; under
	 * no_ancestors up to the root (the working directory outside a
	 * repository) */
	dir = Pa_xstrdup(f->cwd);
	for (;;) {
		char *up;

		dirs = Pa_xgrow(dirs, n, sizeof(char *));
		dirs[n++] = dir;
		if (Pa_path_is_top(dir) || n > PA_WALK_MAX_DEPTH ||
		    (f->no_ancestors && !strcmp(dir, f->root)))
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
	load_skills(f, agent, proj_skills, n_proj, user_skills, n_user, warn);
	Pa_strings_free(user_skills, n_user);
	Pa_strings_free(proj_skills, n_proj);
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

		if (x->skill)
			x->sent = x->as_sent.len; /* its entry in the listing */
		else if (x->read && !x->empty)
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
