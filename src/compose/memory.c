/*
 * memory.c - an agent's persistent memory (`memory: user|project|local`):
 * where its directory is, how much of MEMORY.md Claude Code loads, and the
 * section that tells the agent about both.
 */
#define _XOPEN_SOURCE 700
#include "memory.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* What each scope's memory is for: where it is shared decides what
 * belongs in it. */
static const char *scope_advice(const char *scope)
{
	if (!strcmp(scope, "project"))
		return "This memory is project scope: it lives in the project and is "
		       "shared with everyone who works on it through version "
		       "control, so save what helps any of them on this project, "
		       "never anything private.";
	if (!strcmp(scope, "local"))
		return "This memory is local scope: it lives in the project but "
		       "stays on this machine, out of version control, so it may "
		       "hold what is true only here (paths, local set-up, "
		       "preferences for this checkout).";
	return "This memory is user scope: it follows you into every project, "
	       "so keep what you save general, true across projects, and "
	       "leave project details to the project's own files.";
}

/* Our wording, with the limits filled in; a --memory-template file
 * replaces it.  It tells the agent every fact Claude Code's own memory
 * instructions do, in our words. */
static void default_template(pa_buf *out, const char *scope)
{
	pa_buf_puts(out, "# Persistent memory\n\n"
	            "You have a persistent memory directory at {{dir}} "
	            "({{scope}} scope). What you save there is still there in "
	            "later sessions; use it to build up knowledge that makes "
	            "later work on this kind of task faster and better.\n\n");
	pa_buf_printf(out, "- {{file}} is the index. It is loaded into this "
	              "prompt at the start of every session, but only its first "
	              "%d lines and ", PA_MEMORY_MAX_LINES);
	pa_buf_put_count(out, PA_MEMORY_MAX_CHARS);
	pa_buf_puts(out, " characters: keep each entry to one short line and "
	            "the whole file short.\n"
	            "- Put details in topic files of the same directory (for "
	            "example debugging.md, conventions.md) and list each in "
	            "MEMORY.md with a line saying what it holds; topic files are "
	            "not loaded by themselves, so read them when they are "
	            "relevant.\n"
	            "- Organize by topic, not by date. Keep it current: when "
	            "something you saved turns out wrong or out of date, update "
	            "or remove it rather than adding a contradicting entry.\n"
	            "- Save what will matter again: stable facts about the "
	            "project, decisions and their reasons, solutions to problems "
	            "that were hard to find, the user's stated preferences. Do "
	            "not save what the next session cannot use: the details of "
	            "the current task, guesses you have not checked, anything "
	            "already in the project's instructions, secrets.\n"
	            "- When the user explicitly asks you to remember something, "
	            "save it at once; when they ask you to forget something, "
	            "remove it.\n- ");
	pa_buf_puts(out, scope_advice(scope));
	pa_buf_puts(out, "\n\nThis is MEMORY.md now:\n\n{{memory}}");
}

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

char *Pa_memory_dir(const char *scope, const char *name, const pa_places *pl,
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

/* Replaces each {{key}} of tpl by its value.  *at_last gets the offset
 * in out where the last key's value first went, or (size_t)-1.  A value
 * that would take out past PA_INSTRUCTIONS_TOTAL_MAX_BYTES is left out
 * (returns 1 then): a template of 16 KB that names {{memory}} 1,600
 * times made a prompt of 115 MB from 72 KB of memory, 900 MB of it
 * resident. */
static int substitute(const char *tpl, size_t len, const char *const *keys,
                      const char *const *values, const size_t *lens,
                      size_t nvals, pa_buf *out, size_t *at_last)
{
	size_t i = 0, k;
	int over = 0;

	*at_last = (size_t)-1;
	while (i < len) {
		if (i + 1 < len && tpl[i] == '{' && tpl[i + 1] == '{') {
			for (k = 0; k < nvals; k++) {
				size_t kl = strlen(keys[k]);
				if (i + 2 + kl + 2 <= len && !memcmp(tpl + i + 2, keys[k], kl) &&
				    tpl[i + 2 + kl] == '}' && tpl[i + 3 + kl] == '}') {
					size_t vl = lens[k];

					if (out->len + vl > (size_t)PA_INSTRUCTIONS_TOTAL_MAX_BYTES) {
						over = 1;
					} else {
						if (k == nvals - 1 && *at_last == (size_t)-1)
							*at_last = out->len;
						pa_buf_put(out, values[k], vl);
					}
					i += kl + 4;
					break;
				}
			}
			if (k < nvals)
				continue;
		}
		pa_buf_putc(out, tpl[i++]);
	}
	return over;
}

/* One MEMORY.md as read and cut.  The compose cache keeps it for the
 * next agent whose memory is the same file (by device and inode): 1,000
 * agents whose memory links to one 4 MB MEMORY.md read and cut it 1,000
 * times (10 s), where the load rules keep 25,000 characters of it. */
typedef struct memory_read {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	pa_buf raw;     /* CRLF made LF, invalid UTF-8 replaced */
	int lossy;      /* it was not valid UTF-8 */
	pa_buf kept;    /* what the load rules keep (Pa_memory_cut) */
	pa_buf note;    /* what they cut, as Pa_memory_cut says it */
	size_t skipped; /* blank lines trimmed from its start */
	int cut;
} memory_read;

struct pa_memory_files {
	memory_read **items;
	size_t n;
	size_t bytes; /* of raw, all together */
};

static void memory_read_free(memory_read *m)
{
	if (!m)
		return;
	pa_buf_release(&m->raw);
	pa_buf_release(&m->kept);
	pa_buf_release(&m->note);
	free(m);
}

void Pa_memory_files_free(pa_memory_files *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		memory_read_free(f->items[i]);
	free(f->items);
	free(f);
}

static int same_file(const memory_read *m, const struct stat *st)
{
	return m->dev == st->st_dev && m->ino == st->st_ino &&
	       m->size == st->st_size && m->mtime.tv_sec == st->st_mtim.tv_sec &&
	       m->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Reads and cuts MEMORY.md.  Returns it (kept by *files when there is
 * room: *owned is then 0; else the caller frees it), or NULL when it is
 * missing or not loaded (a warning for the latter). */
static memory_read *read_memory(const char *file, const char *shown,
                                const pa_places *pl, int approved,
                                pa_memory_files **files, int *owned,
                                pa_warnings *warn)
{
	pa_buf fixed = PA_BUF_INIT;
	pa_error rerr;
	pa_status st;
	struct stat sb;
	int have_stat;
	memory_read *m;
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
			if (same_file((*files)->items[i], &sb)) {
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
		memory_read_free(m);
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
		m->dev = sb.st_dev;
		m->ino = sb.st_ino;
		m->size = sb.st_size;
		m->mtime = sb.st_mtim;
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

/* What {{memory}} stands for: the text Claude Code loads, or a note that
 * there is none, and a warning when the load rules cut it.  *kept_len is
 * the length of the file's text at its start, *first_line its line;
 * *rest (borrowed from m) what the load rules left out of it. */
static int memory_value(const memory_read *m, const char *shown,
                        pa_buf *value, size_t *kept_len, long *first_line,
                        const char **rest, size_t *rest_len,
                        pa_warnings *warn)
{
	int cut = m ? m->cut : 0;

	if (m)
		pa_buf_put(value, m->kept.ptr, m->kept.len);
	*kept_len = value->len;
	*first_line = 1 + (long)(m ? m->skipped : 0);
	*rest = NULL;
	*rest_len = 0;
	if (cut) {
		/* The kept text is the start of the file's trimmed text. */
		const char *t = m->raw.ptr;
		size_t tl = m->raw.len;

		Pa_text_trim(&t, &tl);
		*rest = t + *kept_len;
		*rest_len = tl - *kept_len;
	}
	if (value->len == 0)
		pa_buf_printf(value, "MEMORY.md is %s: nothing has been saved yet.",
		              m ? "empty" : "missing");
	if (cut) {
		/* The warning points at the first line that is not loaded. */
		long next = *first_line + 1;
		size_t i;

		for (i = 0; i < *kept_len; i++)
			next += value->ptr[i] == '\n';
		pa_buf_printf(value, "\n\nWARNING: MEMORY.md was cut: only %s were "
		              "loaded, because at most %d lines and %d characters "
		              "are. Move details into other files of the memory "
		              "directory and keep MEMORY.md a short index.",
		              m->note.ptr, PA_MEMORY_MAX_LINES, PA_MEMORY_MAX_CHARS);
		Pa_warn_at(warn, shown, next, "%s was cut: only %s "
		           "are loaded (at most %d lines and %d characters)", shown,
		           m->note.ptr, PA_MEMORY_MAX_LINES, PA_MEMORY_MAX_CHARS);
	}
	return cut;
}

/* The line map of the section text t: the lines within [at, at + n) come
 * from MEMORY.md from line `first` on, the others are our wording. */
static long *memory_lines(const char *t, size_t tl, size_t at, size_t n,
                          long first, size_t *nlines)
{
	long *map = Pa_lines_from(0, t, tl, nlines);
	size_t i, line = 0;
	long in_file = first;

	for (i = 0; i < tl && line < *nlines; i++) {
		int starts = i == 0 || t[i - 1] == '\n';
		if (!starts)
			continue;
		map[line] = i >= at && i < at + n ? in_file : 0;
		if (i >= at && i < at + n)
			in_file++;
		line++;
	}
	return map;
}

pa_status Pa_memory_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_memory_files **read, pa_warnings *warn,
                        pa_error *err)
{
	const char *scope = pa_agent_memory(agent);
	const char *name = pa_agent_name(agent);
	const char *keys[] = { "agent", "scope", "dir", "file", "memory" };
	const char *values[5], *t;
	size_t lens[5], i;
	char *dir, *file, *shown;
	pa_buf value = PA_BUF_INIT, tpl = PA_BUF_INIT;
	pa_buf text = PA_BUF_INIT, heading = PA_BUF_INIT;
	pa_origin origin;
	size_t kept, at, tl, nlines, rest_len;
	const char *rest;
	long first, *lines;
	int found, cut, owned;
	memory_read *m;

	dir = Pa_memory_dir(scope, name, pl, err);
	if (!dir)
		return err ? err->status : PA_ERR_INVALID;
	file = Pa_path_join(dir, "MEMORY.md");
	shown = Pa_path_display(file, pl->root, pl->home);
	if (!pa_utf8_valid(file, strlen(file), NULL)) {
		/* The section names the directory: its bytes would reach the
		 * prompt, which no tokenizer takes.  Not blamed on the file. */
		Pa_warn_incomplete(warn, shown, "the path of the memory directory "
		                   "is not valid UTF-8: its memory section is left out");
		free(dir);
		free(file);
		free(shown);
		return PA_OK;
	}
	m = read_memory(file, shown, pl, opt->approve_imports,
	                read,
	                &owned, warn);
	found = m != NULL;
	cut = memory_value(m, shown, &value, &kept, &first, &rest, &rest_len,
	                   warn);
	values[0] = name;
	values[1] = scope;
	values[2] = dir; /* absolute: the agent must be able to open it */
	values[3] = file;
	values[4] = value.ptr;
	if (opt->memory_template)
		pa_buf_put(&tpl, opt->memory_template, opt->memory_template_len);
	else
		default_template(&tpl, scope);
	for (i = 0; i < 4; i++)
		lens[i] = strlen(values[i]);
	lens[4] = value.len; /* a NUL of MEMORY.md is text */
	if (substitute(tpl.ptr, tpl.len, keys, values, lens, 5, &text, &at))
		Pa_warn_at(warn, shown, 0, "the memory template would make its section "
		           "larger than %ld MiB: the placeholders past that are left empty",
		           PA_INSTRUCTIONS_TOTAL_MAX_BYTES / (1024 * 1024));
	t = text.ptr;
	tl = text.len;
	Pa_text_trim(&t, &tl);
	at = at == (size_t)-1 || !found ? (size_t)-1 : at - (size_t)(t - text.ptr);
	lines = memory_lines(t, tl, at, kept, first, &nlines);
	origin.file = file;
	origin.lines = lines;
	origin.nlines = nlines;
	pa_buf_printf(&heading, "## memory: %s (%s scope)", shown, scope);
	Pa_prompt_add(p, PA_SECTION_MEMORY, shown, &origin, t, tl, cut, 0, NULL,
	              heading.ptr);
	/* Where the file's text stands, what was cut would follow it. */
	if (cut && at != (size_t)-1 && at + kept <= tl)
		Pa_prompt_set_cut_text(p, p->n - 1, rest, rest_len, at + kept);
	free(lines);
	free(dir);
	free(file);
	free(shown);
	if (owned)
		memory_read_free(m);
	pa_buf_release(&value);
	pa_buf_release(&tpl);
	pa_buf_release(&text);
	pa_buf_release(&heading);
	return PA_OK;
}
