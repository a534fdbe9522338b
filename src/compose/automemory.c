/*
 * automemory.c - the main session's auto memory that a subagent receives
 * (automemory.h says where it is and how much of it is loaded).
 */
#define _XOPEN_SOURCE 700
#include "automemory.h"
#include "frontmatter.h"
#include "memory.h"
#include "base/markdown.h"

#include <stdlib.h>
#include <string.h>

/* NAME of CLAUDE_DIR/projects/NAME: each UTF-16 unit of base that is not
 * an ASCII letter or digit becomes `-`.  NULL when longer than
 * PA_AUTO_MEMORY_MAX_NAME. */
static char *project_key(const char *base)
{
	pa_buf b = PA_BUF_INIT;
	const unsigned char *s;

	for (s = (const unsigned char *)base; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9'))
			pa_buf_putc(&b, (char)*s);
		else if ((*s & 0xC0) != 0x80)
			pa_buf_puts(&b, *s >= 0xF0 ? "--" : "-");
	}
	if (b.len > PA_AUTO_MEMORY_MAX_NAME) {
		pa_buf_release(&b);
		return NULL;
	}
	return pa_buf_detach(&b, NULL);
}

char *Pa_automemory_dir(const pa_compose_options *opt, const pa_places *pl,
                        const pa_cc_settings *s, pa_warnings *warn)
{
	char *repo = NULL, *key, *dir;
	pa_buf b = PA_BUF_INIT;
	pa_error err;

	if (opt->no_auto_memory || (s && s->auto_memory == 0) ||
	    Pa_cc_env_true(s, "CLAUDE_CODE_DISABLE_AUTO_MEMORY") ||
	    Pa_cc_env_true(s, "CLAUDE_CODE_DISABLE_CLAUDE_MDS"))
		return NULL;
	if (s && s->auto_memory_dir)
		return Pa_xstrdup(s->auto_memory_dir);
	if (!pl->user)
		return NULL;
	if (pa_repository_root(pl->cwd, &repo, &err) != PA_OK)
		repo = NULL;
	if (repo)
		repo = Pa_repository_main(repo);
	key = project_key(repo ? repo : pl->cwd);
	if (!key) {
		Pa_warn_at(warn, NULL, 0, "auto memory left out: the name of its "
		           "directory would be longer than %d characters, which "
		           "Claude Code shortens with a hash promptasm does not "
		           "reproduce", PA_AUTO_MEMORY_MAX_NAME);
		free(repo);
		return NULL;
	}
	pa_buf_printf(&b, "%s/projects/%s/memory", pl->user, key);
	dir = pa_buf_detach(&b, NULL);
	free(key);
	free(repo);
	return dir;
}

/* Removes every CR. */
static void drop_crs(pa_buf *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->len; i++)
		if (t->ptr[i] != '\r')
			t->ptr[n++] = t->ptr[i];
	pa_buf_truncate(t, n);
}

pa_status pa_auto_memory_path(const pa_compose_options *opt, char **out,
                              pa_warnings *warn, pa_error *err)
{
	static const pa_compose_options defaults;
	pa_places pl;
	pa_prompt *p;
	pa_status st;

	*out = NULL;
	if (!opt)
		opt = &defaults;
	st = Pa_places_init(&pl, opt, err);
	if (st != PA_OK)
		return st;
	p = Pa_xcalloc(1, sizeof(*p));
	Pa_warnings_add_copies(warn, &pl.cc->warn);
	Pa_automemory_add(p, opt, &pl, pl.cc, warn);
	if (p->n)
		*out = Pa_xstrdup(p->sections[0].path);
	pa_prompt_free(p);
	Pa_places_release(&pl);
	return PA_OK;
}

/* 1 (with a warning) when MEMORY.md may not be read: a directory that
 * the project's own settings name outside the repository, or a MEMORY.md
 * that a symbolic link leads out of its place (Pa_places_refusal), unless
 * approved as imports are.  Claude Code reads both. */
static int refused(const pa_compose_options *opt, const pa_places *pl,
                   const pa_cc_settings *s, const char *dir, const char *file,
                   const char *shown, pa_warnings *warn)
{
	const char *top = pl->repo ? pl->repo : pl->root;
	char *real;
	const char *why = NULL;

	if (opt->approve_imports)
		return 0;
	if (s && s->auto_memory_dir && (s->auto_memory_dir_level == PA_CC_PROJECT ||
	    s->auto_memory_dir_level == PA_CC_LOCAL) && !Pa_path_under(dir, top)) {
		Pa_warn_at(warn, shown, 0, "%s: skipped: autoMemoryDirectory of %s "
		           "leads out of the repository (Claude Code reads it; "
		           "--approve-imports loads it)", shown, s->auto_memory_dir_from);
		return 1;
	}
	real = Pa_project_realpath(file);
	if (real)
		why = Pa_places_refusal(pl, file, real, 0);
	free(real);
	if (why) {
		Pa_warn_at(warn, shown, 0, "%s: skipped: %s; auto memory is left out",
		           shown, why);
		return 1;
	}
	return 0;
}

void Pa_automemory_add(pa_prompt *p, const pa_compose_options *opt,
                       const pa_places *pl, const pa_cc_settings *s,
                       pa_warnings *warn)
{
	char *dir = Pa_automemory_dir(opt, pl, s, warn), *file, *shown;
	pa_buf raw = PA_BUF_INIT, kept = PA_BUF_INIT, note = PA_BUF_INIT;
	pa_buf heading = PA_BUF_INIT;
	pa_frontmatter fm;
	pa_error err;
	pa_origin origin;
	const char *t, *text;
	size_t tl, len, nlines, skipped = 0;
	long *lines;
	int cut;

	if (!dir)
		return;
	file = Pa_path_join(dir, "MEMORY.md");
	shown = Pa_path_display(file, pl->root, pl->home);
	if (refused(opt, pl, s, dir, file, shown, warn))
		goto done;
	if (Pa_project_read(file, PA_INSTRUCTIONS_MAX_BYTES, 0, &raw,
	                         &err) != PA_OK) {
		if (err.status != PA_ERR_NOT_FOUND)
			Pa_warn_at(warn, shown, 0, "cannot read %s: %s; auto memory is "
			           "left out", shown, err.message);
		goto done;
	}
	text = raw.ptr;
	len = raw.len;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len) || !pa_utf8_valid(text, len, NULL)) {
		Pa_warn_at(warn, shown, 0, "%s: skipped: not a text file", shown);
		goto done;
	}
	/* The caps count the file as it is, CRs and all. */
	cut = Pa_memory_cut(text, len, &kept, &note, &skipped);
	drop_crs(&kept);
	t = kept.ptr;
	tl = kept.len;
	if (Pa_frontmatter_parse(kept.ptr, kept.len, shown, &fm, &err) == PA_OK) {
		if (fm.present) {
			pa_buf body = PA_BUF_INIT;
			pa_buf_put(&body, fm.body, fm.body_len);
			pa_buf_release(&kept);
			kept = body;
		}
		Pa_frontmatter_release(&fm);
	}
	Pa_md_strip_comments(&kept, NULL, NULL);
	t = kept.ptr;
	tl = kept.len;
	Pa_text_trim(&t, &tl);
	if (tl == 0)
		goto done;
	{
		pa_buf body = PA_BUF_INIT;
		pa_buf_put(&body, t, tl);
		if (cut) {
			pa_buf_printf(&body, "\n\nWARNING: MEMORY.md was cut: only %s "
			              "were loaded, because at most %d lines and %d "
			              "characters are. Move details into other files of "
			              "the memory directory and keep MEMORY.md a short "
			              "index.", note.ptr, PA_MEMORY_MAX_LINES,
			              PA_MEMORY_MAX_CHARS);
			Pa_warn_at(warn, shown, 0, "%s was cut: only %s are loaded (at "
			           "most %d lines and %d characters)", shown, note.ptr,
			           PA_MEMORY_MAX_LINES, PA_MEMORY_MAX_CHARS);
		}
		lines = Pa_lines_from(0, body.ptr, body.len, &nlines);
		origin.file = file;
		origin.lines = lines;
		origin.nlines = nlines;
		pa_buf_printf(&heading, "## auto memory: %s", shown);
		Pa_prompt_add(p, PA_SECTION_AUTO_MEMORY, shown, &origin, body.ptr,
		              body.len, cut, 0, NULL, heading.ptr);
		free(lines);
		pa_buf_release(&body);
	}
done:
	pa_buf_release(&raw);
	pa_buf_release(&kept);
	pa_buf_release(&note);
	pa_buf_release(&heading);
	free(file);
	free(shown);
	free(dir);
}
