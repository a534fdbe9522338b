/*
 * memory.c - an agent's persistent memory (`memory: user|project|local`):
 * where its directory is, how much of MEMORY.md Claude Code loads, and the
 * section that tells the agent about both.
 */
#define _POSIX_C_SOURCE 200809L
#include "compose.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Our wording; a --memory-template file replaces it. */
static const char default_template[] =
	"You have a persistent memory directory at {{dir}} ({{scope}} scope). "
	"Save what you learn there that will help in later sessions, and read it "
	"when it is relevant. Its MEMORY.md is the index: it is loaded into this "
	"prompt at the start of every session, but only its first 200 lines "
	"and 25,000 bytes, so keep it short and put details in other files of "
	"the directory. This is its MEMORY.md now:\n"
	"\n"
	"{{memory}}";

int pa_memory_cut(const char *text, size_t len, pa_buf *out, pa_buf *note)
{
	size_t i, lines = 0, total_lines, keep = len;
	int cut_lines = 0, cut_bytes = 0;

	pa_text_trim(&text, &len);
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
	if (keep > PA_MEMORY_MAX_BYTES) {
		const char *nl = NULL;
		size_t j;

		for (j = PA_MEMORY_MAX_BYTES; j > 0; j--) {
			if (text[j - 1] == '\n') {
				nl = text + j - 1;
				break;
			}
		}
		if (nl) {
			keep = (size_t)(nl - text);
		} else {
			/* No newline to cut at: cut hard, but never inside a
			 * UTF-8 character. */
			keep = PA_MEMORY_MAX_BYTES;
			while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
				keep--;
		}
		cut_bytes = 1;
	}
	pa_buf_put(out, text, keep);
	if (!cut_lines && !cut_bytes)
		return 0;
	{
		size_t kept_lines = keep ? 1 : 0;
		for (i = 0; i < keep; i++)
			if (text[i] == '\n')
				kept_lines++;
		pa_buf_printf(note, "%zu of %zu lines (%zu of %zu bytes)", kept_lines,
		              total_lines, keep, len);
	}
	return 1;
}

char *pa_memory_dir(const char *scope, const char *name, const pa_places *pl,
                    pa_error *err)
{
	pa_buf b = PA_BUF_INIT;
	const char *p;

	if (!strcmp(scope, "user")) {
		if (!pl->home) {
			pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
			             "agent '%s' has user memory, but HOME is not set", name);
			return NULL;
		}
		pa_buf_puts(&b, pl->home);
		pa_buf_puts(&b, "/.claude/agent-memory/");
	} else if (!strcmp(scope, "project")) {
		pa_buf_puts(&b, pl->root);
		pa_buf_puts(&b, "/.claude/agent-memory/");
	} else if (!strcmp(scope, "local")) {
		pa_buf_puts(&b, pl->root);
		pa_buf_puts(&b, "/.claude/agent-memory-local/");
	} else {
		pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
		             "unknown memory scope '%s'", scope);
		return NULL;
	}
	/* `:` (plugin agents, "plugin:agent") becomes `-`, as Claude Code
	 * does; so do `/` and `\`, which would leave the directory. */
	for (p = name; *p; p++)
		pa_buf_putc(&b, *p == ':' || *p == '/' || *p == '\\' ? '-' : *p);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		pa_buf_putc(&b, '-');
	return pa_buf_detach(&b, NULL);
}

static void substitute(const char *tpl, size_t len, const char *const *keys,
                       const char *const *values, size_t nvals, pa_buf *out)
{
	size_t i = 0, k;

	while (i < len) {
		if (i + 1 < len && tpl[i] == '{' && tpl[i + 1] == '{') {
			for (k = 0; k < nvals; k++) {
				size_t kl = strlen(keys[k]);
				if (i + 2 + kl + 2 <= len && !memcmp(tpl + i + 2, keys[k], kl) &&
				    tpl[i + 2 + kl] == '}' && tpl[i + 3 + kl] == '}') {
					pa_buf_puts(out, values[k]);
					i += kl + 4;
					break;
				}
			}
			if (k < nvals)
				continue;
		}
		pa_buf_putc(out, tpl[i++]);
	}
}

pa_status pa_memory_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_warnings *warn, pa_error *err)
{
	const char *scope = pa_agent_memory(agent);
	const char *name = pa_agent_name(agent);
	char *dir, *file, *shown, *shown_dir;
	pa_buf raw = PA_BUF_INIT, kept = PA_BUF_INIT, note = PA_BUF_INIT;
	pa_buf memory = PA_BUF_INIT, text = PA_BUF_INIT, heading = PA_BUF_INIT;
	pa_error rerr;
	pa_status st;
	int cut = 0;
	const char *keys[] = { "agent", "scope", "dir", "file", "memory" };
	const char *values[5];

	dir = pa_memory_dir(scope, name, pl, err);
	if (!dir)
		return err ? err->status : PA_ERR_INVALID;
	file = pa_path_join(dir, "MEMORY.md");
	shown = pa_path_display(file, pl->root, pl->home);
	shown_dir = pa_path_display(dir, pl->root, pl->home);
	st = pa_file_read(file, &raw, &rerr);
	if (st != PA_OK && st != PA_ERR_NOT_FOUND)
		pa_warn(warn, "cannot read %s: %s; its memory is left empty", shown,
		        rerr.message);
	pa_text_normalize_newlines(&raw);
	if (st == PA_OK && !pa_utf8_valid(raw.ptr, raw.len, NULL)) {
		pa_warn(warn, "%s is not valid UTF-8; bad bytes are replaced", shown);
		pa_utf8_lossy(raw.ptr, raw.len, &kept);
		pa_buf_release(&raw);
		raw = kept;
		kept = (pa_buf)PA_BUF_INIT;
	}
	if (st == PA_OK)
		cut = pa_memory_cut(raw.ptr, raw.len, &kept, &note);
	if (kept.len == 0) {
		pa_buf_printf(&memory, "MEMORY.md is %s: nothing has been saved yet.",
		              st == PA_OK ? "empty" : "missing");
	} else {
		pa_buf_put(&memory, kept.ptr, kept.len);
		if (cut) {
			pa_buf_printf(&memory, "\n\nWARNING: MEMORY.md was cut: only "
			              "%s were loaded, because at most %d lines and %d "
			              "bytes are. Move details into other files of the "
			              "memory directory and keep MEMORY.md a short index.",
			              note.ptr, PA_MEMORY_MAX_LINES, PA_MEMORY_MAX_BYTES);
			pa_warn(warn, "%s was cut: only %s are loaded (at most %d lines "
			        "and %d bytes)", shown, note.ptr, PA_MEMORY_MAX_LINES,
			        PA_MEMORY_MAX_BYTES);
		}
	}
	values[0] = name;
	values[1] = scope;
	values[2] = dir; /* absolute: the agent must be able to open it */
	values[3] = file;
	values[4] = memory.ptr;
	if (opt->memory_template)
		substitute(opt->memory_template, opt->memory_template_len, keys,
		           values, 5, &text);
	else
		substitute(default_template, sizeof(default_template) - 1, keys,
		           values, 5, &text);
	{
		const char *t = text.ptr;
		size_t tl = text.len;
		pa_text_trim(&t, &tl);
		pa_buf_printf(&heading, "## memory: %s (%s scope)", shown, scope);
		pa_prompt_add(p, PA_SECTION_MEMORY, shown, t, tl, cut, 0, NULL,
		              heading.ptr);
	}
	free(dir);
	free(file);
	free(shown);
	free(shown_dir);
	pa_buf_release(&raw);
	pa_buf_release(&kept);
	pa_buf_release(&note);
	pa_buf_release(&memory);
	pa_buf_release(&text);
	pa_buf_release(&heading);
	return PA_OK;
}
