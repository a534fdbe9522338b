/*
 * memory.c - the MEMORY.md files Claude Code loads: an agent's (its
 * memory directory, from its scope and name) and the main session's auto
 * memory, read and cut by the load rules (discover.h).  The sections that
 * tell an agent about them are compose/'s (memory.c, automemory.c).
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "files.h"
#include "base/markdown.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The length of s in UTF-16 code units, which is what Claude Code's
 * JavaScript counts: a 4-byte UTF-8 character is two units. */
static size_t utf16_units(unsigned char c)
{
	if ((c & 0xC0) == 0x80)
		return 0; /* a continuation byte: counted with its lead */
	return c >= 0xF0 ? 2 : 1;
}

int Pa_memory_cut(const char *text, size_t len, pa_buf *out, pa_buf *note,
                  size_t *skipped_lines)
{
	size_t i, lines = 0, total_lines, keep = len, skipped, units = 0;
	size_t last_nl = (size_t)-1, kept_units;
	int cut_lines = 0, cut_chars = 0;

	skipped = Pa_text_trim(&text, &len);
	if (skipped_lines)
		*skipped_lines = skipped;
	keep = len;
	total_lines = len ? 1 : 0;
	for (i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		total_lines++;
		if (++lines == PA_MEMORY_MAX_LINES && keep == len) {
			keep = i; /* the 200th line ends here */
			cut_lines = 1;
		}
	}
	/* Then at most PA_MEMORY_MAX_CHARS, cut at the last newline within
	 * them; a first line longer than that is cut inside. */
	for (i = 0; i < keep; i++) {
		units += utf16_units((unsigned char)text[i]);
		if (units > PA_MEMORY_MAX_CHARS)
			break;
		if (text[i] == '\n')
			last_nl = i;
	}
	if (i < keep) {
		if (last_nl != (size_t)-1) {
			keep = last_nl;
		} else {
			keep = i;
			while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
				keep--;
		}
		cut_chars = 1;
	}
	pa_buf_put(out, text, keep);
	if (!cut_lines && !cut_chars)
		return 0;
	{
		size_t kept_lines = keep ? 1 : 0, all_units = 0;
		kept_units = 0;
		for (i = 0; i < len; i++) {
			size_t u = utf16_units((unsigned char)text[i]);
			all_units += u;
			if (i < keep)
				kept_units += u;
			if (i < keep && text[i] == '\n')
				kept_lines++;
		}
		pa_buf_printf(note, "%zu of %zu lines (%zu of %zu characters)",
		              kept_lines, total_lines, kept_units, all_units);
	}
	return 1;
}

char *Pa_memory_dir(const char *scope, const char *name, const Pa_places *pl,
                    pa_error *err)
{
	pa_buf b = PA_BUF_INIT;
	const char *p;

	/* As Claude Code finds them: the user's Claude directory
	 * (CLAUDE_CONFIG_DIR, else ~/.claude), and for project and local
	 * memory the working directory, not the project root (started in
	 * pkg/, it reads pkg/.claude/agent-memory/). */
	if (!strcmp(scope, "user")) {
		if (!pl->user) {
			Pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
			             "agent '%s' has user memory, but HOME is not set", name);
			return NULL;
		}
		pa_buf_puts(&b, pl->user);
		pa_buf_puts(&b, "/agent-memory/");
	} else if (!strcmp(scope, "project")) {
		pa_buf_puts(&b, pl->cwd);
		pa_buf_puts(&b, "/.claude/agent-memory/");
	} else if (!strcmp(scope, "local")) {
		pa_buf_puts(&b, pl->cwd);
		pa_buf_puts(&b, "/.claude/agent-memory-local/");
	} else {
		Pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
		             "unknown memory scope '%s'", scope);
		return NULL;
	}
	/* Each character outside A-Za-z0-9_- becomes `-`, as Claude Code
	 * does (measured: fixtures memory-name-dots, memory-name-unicode):
	 * `docs.writer_v2` -> `docs-writer_v2`, `plugin:agent` ->
	 * `plugin-agent`; a character is a UTF-16 unit, so one outside the
	 * BMP makes two.  Nothing can leave the directory. */
	for (p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-')
			pa_buf_putc(&b, (char)c);
		else if ((c & 0xC0) != 0x80)
			pa_buf_puts(&b, c >= 0xF0 ? "--" : "-");
	}
	return pa_buf_detach(&b, NULL);
}

/* The MEMORY.md files a compose cache keeps, read and cut once for the
 * agents whose memory is the same file (by device and inode): 1,000
 * agents whose memory links to one 4 MB MEMORY.md read and cut it 1,000
 * times (10 s), where the load rules keep 25,000 characters of it. */
struct Pa_memory_files {
	Pa_cc_memory **items;
	size_t n;
	size_t bytes; /* of raw, all together */
};

void Pa_cc_memory_free(Pa_cc_memory *m)
{
	if (!m)
		return;
	pa_buf_release(&m->raw);
	pa_buf_release(&m->kept);
	pa_buf_release(&m->note);
	free(m);
}

void Pa_memory_files_free(Pa_memory_files *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		Pa_cc_memory_free(f->items[i]);
	free(f->items);
	free(f);
}

/* Reads and cuts MEMORY.md.  Returns it (kept by *files when there is
 * room: *owned is then 0; else the caller frees it), or NULL when it is
 * missing or not loaded (a warning for the latter). */
Pa_cc_memory *Pa_cc_read_memory(const char *file, const char *shown,
                                const Pa_places *pl, int approved,
                                Pa_memory_files **files, int *owned,
                                pa_warnings *warn)
{
	pa_buf fixed = PA_BUF_INIT;
	pa_error rerr;
	pa_status st;
	struct stat sb;
	int have_stat;
	Pa_cc_memory *m;
	char *real = Pa_project_realpath(file);
	size_t i;

	*owned = 1;
	/* MEMORY.md, or the agent's memory directory, may be a link out of
	 * the project (or home, for user memory). */
	if (real) {
		const char *why = Pa_places_refusal(pl, file, real, approved);
		free(real);
		if (why) {
			Pa_warn_at(warn, shown, 0, "%s: skipped: %s; its memory is left "
			           "empty", shown, why);
			return NULL;
		}
	}
	have_stat = Pa_project_stat(file, &sb) == 0 && S_ISREG(sb.st_mode);
	if (have_stat && files && *files)
		for (i = 0; i < (*files)->n; i++)
			if (Pa_file_id_is(&(*files)->items[i]->id, &sb)) {
				m = (*files)->items[i];
				*owned = 0;
				goto found;
			}
	m = Pa_xcalloc(1, sizeof(*m));
	m->raw = (pa_buf)PA_BUF_INIT;
	m->kept = (pa_buf)PA_BUF_INIT;
	m->note = (pa_buf)PA_BUF_INIT;
	st = Pa_project_read(file, PA_INSTRUCTIONS_MAX_BYTES, 0, &m->raw,
	                          &rerr);
	if (st != PA_OK) {
		if (st == PA_ERR_TOO_LARGE) /* Claude Code reads it: check fails */
			Pa_warn_incomplete(warn, shown, rerr.message);
		else if (st != PA_ERR_NOT_FOUND)
			Pa_warn_at(warn, shown, 0, "cannot read %s: %s; its memory is "
			           "left empty", shown, rerr.message);
		Pa_cc_memory_free(m);
		return NULL;
	}
	/* Claude Code drops the NUL bytes of an agent's MEMORY.md (measured:
	 * fixture memory-nul); an instruction file keeps them. */
	if (memchr(m->raw.ptr, '\0', m->raw.len)) {
		size_t k, j = 0, first = (size_t)((const char *)memchr(m->raw.ptr,
		                         '\0', m->raw.len) - m->raw.ptr);
		for (k = 0; k < m->raw.len; k++)
			if (m->raw.ptr[k])
				m->raw.ptr[j++] = m->raw.ptr[k];
		Pa_warn_at(warn, shown, 0, "%s: %zu NUL %s dropped (the first at "
		           "byte %zu), as Claude Code drops them", shown,
		           m->raw.len - j, m->raw.len - j > 1 ? "bytes" : "byte", first);
		pa_buf_truncate(&m->raw, j);
	}
	if (!pa_utf8_valid(m->raw.ptr, m->raw.len, NULL)) {
		m->lossy = 1;
		pa_utf8_lossy(m->raw.ptr, m->raw.len, &fixed);
		pa_buf_release(&m->raw);
		m->raw = fixed;
	}
	/* The caps count the file as it is, the CRs of CR LF line ends
	 * included, as auto memory's do (measured: fixture memory-crlf-cap);
	 * then the CRs go. */
	m->cut = Pa_memory_cut(m->raw.ptr, m->raw.len, &m->kept, &m->note,
	                       &m->skipped);
	Pa_text_normalize_newlines(&m->kept);
	if (m->kept.len && m->kept.ptr[m->kept.len - 1] == '\r')
		pa_buf_truncate(&m->kept, m->kept.len - 1);
	Pa_text_normalize_newlines(&m->raw);
	/* Kept while they stay within what one prompt's instruction files
	 * may hold: many distinct memories are read each for itself. */
	if (have_stat && files &&
	    (!*files || (*files)->bytes + m->raw.len <=
	                (size_t)PA_INSTRUCTIONS_TOTAL_MAX_BYTES)) {
		if (!*files)
			*files = Pa_xcalloc(1, sizeof(**files));
		Pa_file_id_of(&sb, &m->id);
		(*files)->items = Pa_xgrow((*files)->items, (*files)->n,
		                           sizeof(*(*files)->items));
		(*files)->items[(*files)->n++] = m;
		(*files)->bytes += m->raw.len;
		*owned = 0;
	}
found:
	if (m->lossy)
		Pa_warn_at(warn, shown, 0, "%s is not valid UTF-8; bad bytes are "
		           "replaced", shown);
	return m;
}

/* ---- auto memory ---- */

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

char *Pa_automemory_dir(const pa_compose_options *opt, const Pa_places *pl,
                        const Pa_cc_settings *s, pa_warnings *warn)
{
	char *repo = NULL, *key, *dir;
	pa_buf b = PA_BUF_INIT;

	if (opt->no_auto_memory || (s && s->auto_memory == 0) ||
	    Pa_cc_env_true(s, "CLAUDE_CODE_DISABLE_AUTO_MEMORY") ||
	    Pa_cc_env_true(s, "CLAUDE_CODE_DISABLE_CLAUDE_MDS"))
		return NULL;
	if (s && s->auto_memory_dir)
		return Pa_xstrdup(s->auto_memory_dir);
	if (!pl->user)
		return NULL;
	/* The repository the places found (the one rule, resolved once). */
	repo = pl->in_repo && pl->main_repo ? Pa_xstrdup(pl->main_repo) : NULL;
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

/* 1 (with a warning) when MEMORY.md may not be read: a directory that
 * the project's own settings name outside the repository, or a MEMORY.md
 * that a symbolic link leads out of its place (Pa_places_refusal), unless
 * approved as imports are.  Claude Code reads both. */
static int refused(const pa_compose_options *opt, const Pa_places *pl,
                   const Pa_cc_settings *s, const char *dir, const char *file,
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

void Pa_cc_read_auto_memory(Pa_cc_auto_memory *out,
                             const pa_compose_options *opt,
                             const Pa_places *pl)
{
	const Pa_cc_settings *s = pl->cc;
	pa_warnings *warn = &out->warn;
	char *dir, *file, *shown;
	pa_buf raw = PA_BUF_INIT, kept = PA_BUF_INIT, note = PA_BUF_INIT;
	Pa_frontmatter fm;
	pa_error err;
	const char *t, *text;
	size_t tl, len, skipped = 0;
	int cut;

	memset(out, 0, sizeof(*out));
	dir = Pa_automemory_dir(opt, pl, s, warn);
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
	out->text = Pa_xmalloc(tl + 1);
	memcpy(out->text, t, tl);
	out->text[tl] = '\0';
	out->len = tl;
	out->cut = cut;
	if (cut) {
		out->note = pa_buf_detach(&note, NULL);
		Pa_warn_at(warn, shown, 0, "%s was cut: only %s are loaded (at "
		           "most %d lines and %d characters)", shown, out->note,
		           PA_MEMORY_MAX_LINES, PA_MEMORY_MAX_CHARS);
	}
	{
		pa_buf whole = PA_BUF_INIT, whole_note = PA_BUF_INIT;
		Pa_memory_cut(raw.ptr, raw.len, &whole, &whole_note, NULL);
		out->raw_kept = pa_buf_detach(&whole, &out->raw_kept_len);
		pa_buf_release(&whole_note);
	}
	out->file = file;
	out->shown = shown;
	file = shown = NULL;
done:
	pa_buf_release(&raw);
	pa_buf_release(&kept);
	pa_buf_release(&note);
	free(file);
	free(shown);
	free(dir);
}

void Pa_cc_auto_memory_release(Pa_cc_auto_memory *m)
{
	if (!m)
		return;
	free(m->file);
	free(m->shown);
	free(m->text);
	free(m->note);
	free(m->raw_kept);
	pa_warnings_release(&m->warn);
	memset(m, 0, sizeof(*m));
}
