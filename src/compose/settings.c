/*
 * settings.c - the Claude Code settings files that change what an agent
 * receives: claudeMdExcludes, autoMemoryEnabled, autoMemoryDirectory and
 * the managed claudeMd (settings.h says what each does and where it is
 * read).
 */
#define _POSIX_C_SOURCE 200809L
#include "settings.h"
#include "base/glob.h"
#include "base/yamltree.h"

#include <stdlib.h>
#include <string.h>

/* ---- strict JSON ----
 * Claude Code ignores a settings file that JSON.parse refuses; libyaml
 * would take comments and trailing commas, so the text is checked first
 * and then read as YAML, of which JSON is a part. */

typedef struct json_in {
	const char *s, *end;
	int depth;
} json_in;

static void json_space(json_in *in)
{
	while (in->s < in->end && (*in->s == ' ' || *in->s == '\t' ||
	                           *in->s == '\n' || *in->s == '\r'))
		in->s++;
}

static int json_value(json_in *in);

static int json_string(json_in *in)
{
	if (in->s >= in->end || *in->s != '"')
		return 0;
	for (in->s++; in->s < in->end; in->s++) {
		unsigned char c = (unsigned char)*in->s;
		if (c == '"') {
			in->s++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (++in->s >= in->end || !strchr("\"\\/bfnrtu", *in->s))
				return 0;
		}
	}
	return 0;
}

static int json_number(json_in *in)
{
	const char *start = in->s;

	if (in->s < in->end && *in->s == '-')
		in->s++;
	while (in->s < in->end && ((*in->s >= '0' && *in->s <= '9') ||
	                           strchr(".eE+-", *in->s)))
		in->s++;
	return in->s > start && in->s[-1] >= '0' && in->s[-1] <= '9';
}

static int json_word(json_in *in, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(in->end - in->s) < n || memcmp(in->s, w, n))
		return 0;
	in->s += n;
	return 1;
}

static int json_items(json_in *in, char close, int keyed)
{
	in->s++;
	json_space(in);
	if (in->s < in->end && *in->s == close) {
		in->s++;
		return 1;
	}
	for (;;) {
		json_space(in);
		if (keyed) {
			if (!json_string(in))
				return 0;
			json_space(in);
			if (in->s >= in->end || *in->s++ != ':')
				return 0;
		}
		if (!json_value(in))
			return 0;
		json_space(in);
		if (in->s >= in->end)
			return 0;
		if (*in->s == close) {
			in->s++;
			return 1;
		}
		if (*in->s++ != ',')
			return 0;
	}
}

static int json_value(json_in *in)
{
	int ok;

	json_space(in);
	if (in->s >= in->end || ++in->depth > 64)
		return 0;
	switch (*in->s) {
	case '{': ok = json_items(in, '}', 1); break;
	case '[': ok = json_items(in, ']', 0); break;
	case '"': ok = json_string(in); break;
	case 't': ok = json_word(in, "true"); break;
	case 'f': ok = json_word(in, "false"); break;
	case 'n': ok = json_word(in, "null"); break;
	default: ok = json_number(in); break;
	}
	in->depth--;
	return ok;
}

static int json_strict(const char *text, size_t len)
{
	json_in in = { text, text + len, 0 };

	if (!json_value(&in))
		return 0;
	json_space(&in);
	return in.s == in.end;
}

/* ---- reading ---- */

static void set_string(char **to, char **from_to, const pa_ynode *v,
                       const char *from)
{
	if (!v || v->type != PA_YNODE_SCALAR || v->plain)
		return;
	free(*to);
	free(*from_to);
	*to = pa_xstrdup(v->scalar);
	*from_to = pa_xstrdup(from);
}

/* `~/` is the home directory; any other relative path is taken as
 * Claude Code takes it, against the working directory. */
static char *expand_dir(const char *dir, const pa_places *pl)
{
	if (dir[0] == '~' && (dir[1] == '/' || dir[1] == '\0')) {
		if (!pl->home)
			return NULL;
		return pa_path_normalize(pl->home, dir[1] ? dir + 2 : ".");
	}
	return pa_path_normalize(pl->cwd, dir);
}

static void read_file(pa_cc_settings *s, const char *path, int managed,
                      const pa_places *pl, pa_warnings *warn)
{
	pa_buf text = PA_BUF_INIT;
	pa_error err;
	pa_ynode *root = NULL;
	const pa_ynode *v;
	const char *t;
	size_t tl, i;
	char *shown = managed ? pa_xstrdup(path)
	                      : pa_path_display(path, pl->root, pl->home);

	if (pa_file_read_limited(path, 1 << 20, 0, &text, &err) != PA_OK) {
		if (err.status != PA_ERR_NOT_FOUND)
			pa_warn_at(warn, shown, 0, "cannot read %s: %s; its settings are "
			           "not applied", shown, err.message);
		goto done;
	}
	t = text.ptr;
	tl = text.len;
	if (tl >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) {
		t += 3;
		tl -= 3;
	}
	if (!json_strict(t, tl) || pa_yaml_parse(t, tl, shown, &root, &err) != PA_OK) {
		pa_warn_at(warn, shown, 0, "%s is not valid JSON: Claude Code ignores "
		           "it, and so do we", shown);
		goto done;
	}
	if (!root || root->type != PA_YNODE_MAPPING)
		goto done;
	v = pa_ynode_get(root, "claudeMdExcludes");
	if (v && v->type == PA_YNODE_SEQUENCE)
		for (i = 0; i < v->n; i++) {
			if (v->items[i]->type != PA_YNODE_SCALAR || !v->items[i]->scalar[0])
				continue;
			s->excludes = pa_xgrow(s->excludes, s->n_excludes,
			                       sizeof(*s->excludes));
			s->exclude_from = pa_xgrow(s->exclude_from, s->n_excludes,
			                           sizeof(*s->exclude_from));
			s->excludes[s->n_excludes] = pa_xstrdup(v->items[i]->scalar);
			s->exclude_from[s->n_excludes++] = pa_xstrdup(shown);
		}
	v = pa_ynode_get(root, "autoMemoryEnabled");
	if (v && v->type == PA_YNODE_SCALAR && v->plain &&
	    (!strcmp(v->scalar, "true") || !strcmp(v->scalar, "false")))
		s->auto_memory = !strcmp(v->scalar, "true");
	v = pa_ynode_get(root, "autoMemoryDirectory");
	if (v && v->type == PA_YNODE_SCALAR && !v->plain && v->scalar[0]) {
		char *dir = expand_dir(v->scalar, pl);
		if (dir) {
			free(s->auto_memory_dir);
			free(s->auto_memory_dir_from);
			s->auto_memory_dir = dir;
			s->auto_memory_dir_from = pa_xstrdup(shown);
		}
	}
	if (managed)
		set_string(&s->policy_text, &s->policy_from,
		           pa_ynode_get(root, "claudeMd"), path);
done:
	pa_ynode_free(root);
	pa_buf_release(&text);
	free(shown);
}

void pa_cc_settings_load(pa_cc_settings *s, const pa_compose_options *opt,
                         const pa_places *pl, pa_warnings *warn)
{
	char *path;

	memset(s, 0, sizeof(*s));
	s->auto_memory = -1;
	if (!opt->no_user && pl->user) {
		path = pa_path_join(pl->user, "settings.json");
		read_file(s, path, 0, pl, warn);
		free(path);
	}
	path = pa_path_join(pl->cwd, ".claude/settings.json");
	read_file(s, path, 0, pl, warn);
	free(path);
	path = pa_path_join(pl->cwd, ".claude/settings.local.json");
	read_file(s, path, 0, pl, warn);
	free(path);
	if (!opt->no_managed) {
		char *file = pa_path_normalize(pl->cwd, opt->managed_file
		                               ? opt->managed_file : PA_MANAGED_FILE);
		char *dir = pa_path_dirname(file);
		path = pa_path_join(dir, "managed-settings.json");
		read_file(s, path, 1, pl, warn);
		free(path);
		free(dir);
		free(file);
	}
}

void pa_cc_settings_release(pa_cc_settings *s)
{
	pa_strings_free(s->excludes, s->n_excludes);
	pa_strings_free(s->exclude_from, s->n_excludes);
	free(s->auto_memory_dir);
	free(s->auto_memory_dir_from);
	free(s->policy_text);
	free(s->policy_from);
	memset(s, 0, sizeof(*s));
	s->auto_memory = -1;
}

/* As picomatch matches a pattern against an absolute path: a pattern
 * that starts with `/` from the root, one that starts with `**` at any
 * depth; any other never (it would have to match the path whole, and
 * the path starts with `/`). */
static int exclude_matches(const char *pattern, const char *path)
{
	if (pattern[0] == '/')
		return pa_glob_match(pattern + 1, path + 1);
	if (pattern[0] == '*' && pattern[1] == '*' &&
	    (pattern[2] == '/' || pattern[2] == '\0'))
		return pa_glob_match(pattern, path + 1);
	return 0;
}

const char *pa_cc_settings_excludes(const pa_cc_settings *s, const char *path,
                                    const char **from)
{
	size_t i;

	if (!s || path[0] != '/')
		return NULL;
	for (i = 0; i < s->n_excludes; i++)
		if (exclude_matches(s->excludes[i], path)) {
			if (from)
				*from = s->exclude_from[i];
			return s->excludes[i];
		}
	return NULL;
}
