/*
 * memory.c - the section that tells an agent about its persistent memory
 * (`memory: user|project|local`): its directory and MEMORY.md as the
 * discover stage finds and reads them (src/discover/memory.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "memory.h"

#include <stdlib.h>
#include <string.h>

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

/* What {{memory}} stands for: the text Claude Code loads, or a note that
 * there is none, and a warning when the load rules cut it.  *kept_len is
 * the length of the file's text at its start, *first_line its line;
 * *rest (borrowed from m) what the load rules left out of it. */
static int memory_value(const Pa_cc_memory *m, const char *shown,
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
                        const pa_compose_options *opt, const Pa_places *pl,
                        Pa_memory_files **read, pa_warnings *warn,
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
	Pa_origin origin;
	size_t kept, at, tl, nlines, rest_len;
	const char *rest;
	long first, *lines;
	int found, cut, owned;
	Pa_cc_memory *m;

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
	m = Pa_cc_read_memory(file, shown, pl, opt->approve_imports,
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
		Pa_cc_memory_free(m);
	pa_buf_release(&value);
	pa_buf_release(&tpl);
	pa_buf_release(&text);
	pa_buf_release(&heading);
	return PA_OK;
}
