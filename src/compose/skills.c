/*
 * skills.c - the skills an agent preloads (`skills:` in its frontmatter),
 * each found and read by the discover stage (src/discover/skills.c) as an
 * instruction file is (without its frontmatter; its @words are not
 * imports), and a skill's or command's entry in the main session's
 * listing.
 */
#define _XOPEN_SOURCE 700
#include "instructions.h"
#include "trust.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Claude Code preloads the first 32 distinct names of `skills:`, a name
 * no skill has counted too, and warns of the rest (fixture
 * skills-preload-cap). */
#define PA_SKILL_PRELOAD_MAX 32

pa_status Pa_skills_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const Pa_places *pl,
                        pa_warnings *warn)
{
	size_t n, i, distinct = 0;
	const char *const *skills = pa_agent_skills(agent, &n);
	Pa_strset names = PA_STRSET_INIT;

	for (i = 0; i < n; i++) {
		int command, disabled = 0;
		char *path;
		size_t before;

		/* A name listed twice is preloaded once. */
		if (!Pa_strset_add(&names, skills[i], strlen(skills[i])))
			continue;
		if (++distinct > PA_SKILL_PRELOAD_MAX) {
			Pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' not "
			           "preloaded: Claude Code preloads the first %d names "
			           "of skills: only", pa_agent_path(agent), skills[i],
			           PA_SKILL_PRELOAD_MAX);
			continue;
		}
		path = Pa_cc_find_skill(pl, skills[i], &command, &disabled);
		if (!path) {
			Pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' not "
			           "found in the user's skills/ or the project's "
			           ".claude/skills/: not preloaded", pa_agent_path(agent),
			           skills[i]);
			continue;
		}
		if (pl->cc && Pa_cc_skill_override(pl->cc, skills[i]) >=
		              PA_CC_SKILL_USER_ONLY) {
			Pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' is "
			           "turned off for the model by skillOverrides: not "
			           "preloaded (Claude Code leaves it out)",
			           pa_agent_path(agent), skills[i]);
			free(path);
			continue;
		}
		if (disabled) {
			Pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' has "
			           "%s: not preloaded (Claude Code leaves it out)",
			           pa_agent_path(agent), skills[i], disabled == 2
			           ? "paths:" : "disable-model-invocation: true");
			free(path);
			continue;
		}
		before = p->n;
		Pa_instructions_add_file(p, opt, pl, warn, path, PA_SECTION_SKILL,
		                         skills[i]);
		/* Its !`command` lines, run with --trust (trust.c). */
		if (p->n > before)
			Pa_trust_skill_commands(&p->sections[p->n - 1], pl, opt, warn);
		free(path);
	}
	Pa_strset_release(&names);
	return PA_OK;
}

/* A scalar field's trimmed text, or NULL. */
static const char *field_text(const Pa_ynode *root, const char *key, size_t *n)
{
	const Pa_ynode *v = root ? Pa_ynode_get(root, key) : NULL;
	const char *t;

	if (!v || v->type != PA_YNODE_SCALAR || Pa_ynode_is_null(v))
		return NULL;
	t = v->scalar;
	*n = v->scalar_len;
	Pa_text_trim(&t, n);
	return *n ? t : NULL;
}

/* A listing entry's text longer than PA_SKILL_LISTING_MAX characters
 * (UTF-16 units, as JavaScript counts) is cut to one less and "…"
 * (fixtures skills-subagent-listing, context skills-listing-rules). */
#define PA_SKILL_LISTING_MAX 1536
static void cut_listing(pa_buf *line, size_t start, size_t max)
{
	size_t i, units = 0, cut = line->len;

	for (i = start; i < line->len; i++) {
		unsigned char c = (unsigned char)line->ptr[i];
		if ((c & 0xC0) == 0x80)
			continue;
		if (units + (c >= 0xF0 ? 2 : 1) > max - 1 && cut == line->len)
			cut = i;
		units += c >= 0xF0 ? 2 : 1;
	}
	if (units <= max)
		return;
	line->len = cut;
	line->ptr[cut] = '\0';
	pa_buf_puts(line, "\xE2\x80\xA6");
}

/* Appends n bytes of t with each line break made a space. */
static void put_joined(pa_buf *line, const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pa_buf_putc(line, t[i] == '\n' || t[i] == '\r' ? ' ' : t[i]);
}

int Pa_skill_listing_entry(const Pa_ynode *root, const char *body,
                           size_t body_len, const char *name, pa_buf *line)
{
	const Pa_ynode *v = root ? Pa_ynode_get(root, "disable-model-invocation") : NULL;
	const char *t;
	size_t n;

	size_t start;

	if (v && v->type == PA_YNODE_SCALAR && v->plain && !strcmp(v->scalar, "true"))
		return 0;
	/* A skill with paths: is listed only once a file it matches is
	 * touched, not at the start (fixtures skills-subagent-listing,
	 * context skills-listing-rules). */
	v = root ? Pa_ynode_get(root, "paths") : NULL;
	if (v && !Pa_ynode_is_null(v))
		return 0;
	pa_buf_printf(line, "- %s: ", name);
	start = line->len;
	if ((t = field_text(root, "description", &n))) {
		put_joined(line, t, n);
	} else {
		/* The first line with text, a heading's #s dropped; an
		 * empty body has none (n stays 0). */
		size_t i = 0, end, units = 0, cut = 0;

		t = body;
		n = 0;
		while (i < body_len) {
			for (end = i; end < body_len && body[end] != '\n'; end++)
				;
			t = body + i;
			n = end - i;
			Pa_text_trim(&t, &n);
			while (n && *t == '#') {
				t++;
				n--;
			}
			Pa_text_trim(&t, &n);
			if (n)
				break;
			i = end + 1;
		}
		if (!n) {
			pa_buf_puts(line, "Skill");
		} else {
			/* Longer than 100 characters (UTF-16 units, as
			 * JavaScript counts): the first 97 and "...". */
			for (i = 0; i < n; i++) {
				unsigned char c = (unsigned char)t[i];
				if ((c & 0xC0) == 0x80)
					continue;
				units += c >= 0xF0 ? 2 : 1;
				if (units <= 97)
					cut = i;
			}
			if (units > 100) {
				for (cut++; cut < n && ((unsigned char)t[cut] & 0xC0) == 0x80; cut++)
					;
				pa_buf_put(line, t, cut);
				pa_buf_puts(line, "...");
			} else {
				pa_buf_put(line, t, n);
			}
		}
	}
	if ((t = field_text(root, "when_to_use", &n))) {
		pa_buf_puts(line, " - ");
		put_joined(line, t, n);
	}
	cut_listing(line, start, PA_SKILL_LISTING_MAX);
	return 1;
}

size_t Pa_utf16_units(const char *s, size_t len)
{
	size_t i, units = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			units += c >= 0xF0 ? 2 : 1;
	}
	return units;
}

/* The characters (UTF-16 units) of each built-in entry of the skills
 * listing with its description, and of init's and security-review's as
 * bare names, which they are the first to become past the budget
 * (context fixtures skills-budget-*); the other built-in entries keep
 * theirs. */
static const struct { const char *name; size_t full, bare; } builtin_chars[] = {
	{ "dataviz", 1447, 0 }, { "update-config", 707, 0 },
	{ "keybindings-help", 248, 0 }, { "code-review", 850, 0 },
	{ "simplify", 188, 0 }, { "fewer-permission-prompts", 191, 0 },
	{ "loop", 344, 0 }, { "claude-api", 1171, 0 },
	{ "workflow-authoring", 252, 0 }, { "run", 368, 0 },
	{ "plugin-authoring", 275, 0 }, { "init", 67, 6 },
	{ "security-review", 36, 17 },
};

int Pa_skill_builtin_chars(const char *name, size_t *full, size_t *bare)
{
	size_t i;

	for (i = 0; i < sizeof(builtin_chars) / sizeof(builtin_chars[0]); i++)
		if (!strcmp(builtin_chars[i].name, name)) {
			*full = builtin_chars[i].full;
			*bare = builtin_chars[i].bare;
			return 1;
		}
	return 0;
}

size_t Pa_skill_listing_cut(const size_t *full, const size_t *bare, size_t n,
                            size_t fixed, size_t budget)
{
	size_t total = fixed, i;

	for (i = 0; i < n; i++)
		total += full[i] + 1;
	if (!budget || total <= budget)
		return n;
	for (i = n; i > 0 && total > budget; i--)
		total -= full[i - 1] - bare[i - 1];
	return i;
}

int Pa_skill_file_entry(const Pa_places *pl, const char *file,
                        const char *fallback, const char *prefix,
                        pa_buf *line, char **name, pa_warnings *warn)
{
	const Pa_cc_config *cc = pl->cc;
	size_t bad;
	pa_buf text = PA_BUF_INIT;
	Pa_frontmatter fm;
	pa_error ferr;
	const Pa_ynode *v;
	size_t fl = strlen(file);
	/* A command goes by its path, not its name: (context fixture
	 * skills-listing-rules); a skill by its name:. */
	int skill = fl >= 9 && !strcmp(file + fl - 9, "/SKILL.md");
	int ok = 0;

	*name = NULL;
	if (Pa_cc_read_skill(file, &text, &ferr) != PA_OK)
		return 0;
	if (!pa_utf8_valid(text.ptr, text.len, &bad)) {
		/* Claude Code reads a file as UTF-8, an invalid byte as U+FFFD
		 * (an agent file and a preloaded skill so measured, fixtures
		 * agent-latin1, bytes-latin1); the listing line was counted
		 * with the bytes, and the count failed the whole run with
		 * "invalid UTF-8", naming no file. */
		pa_buf fixed = PA_BUF_INIT;
		char *shown = Pa_path_display(file, pl->root, pl->home);

		pa_utf8_lossy(text.ptr, text.len, &fixed);
		pa_buf_release(&text);
		text = fixed;
		Pa_warn_at(warn, shown, 0, "%s: not valid UTF-8 (at byte %zu): listed "
		           "as Claude Code decodes it, invalid bytes as U+FFFD", shown,
		           bad);
		free(shown);
	}
	memset(&fm, 0, sizeof(fm));
	/* A closed block that does not parse (`...` and more YAML below
	 * it) gives no fields: Claude Code lists the skill by its body's
	 * first line, under its directory's name (context fixture
	 * frontmatter-yaml). */
	if (Pa_frontmatter_parse(text.ptr, text.len, file, &fm, &ferr) == PA_OK ||
	    (fm.present && fm.close_line > 0)) {
		pa_buf b = PA_BUF_INIT;

		v = fm.root && skill ? Pa_ynode_get(fm.root, "name") : NULL;
		if (v && v->type == PA_YNODE_SCALAR &&
		    memchr(v->scalar, '\0', v->scalar_len)) {
			/* Claude Code lists the name whole, NUL and all; as a
			 * C string it was cut there ("a\0b" listed, counted
			 * and shown as `a`) */
			char *shown = Pa_path_display(file, pl->root, pl->home);

			Pa_warn_incomplete_at(warn, shown, (long)v->line, "the "
			                      "skill's 'name' holds a NUL character, "
			                      "which promptasm cannot carry: its "
			                      "listing line is not counted");
			free(shown);
			Pa_frontmatter_release(&fm);
			pa_buf_release(&text);
			return 0;
		}
		pa_buf_printf(&b, "%s%s%s", prefix ? prefix : "", prefix ? ":" : "",
		              v && v->type == PA_YNODE_SCALAR && !Pa_ynode_is_null(v)
		              ? v->scalar : fallback);
		*name = pa_buf_detach(&b, NULL);
		ok = Pa_skill_listing_entry(fm.root, fm.body, fm.body_len, *name, line);
		/* skillListingMaxDescChars: the entry's text cut shorter, with
		 * "…" (the observation in docs/claude-code.md). */
		if (ok && cc && cc->skill_listing_max_desc > 0 &&
		    cc->skill_listing_max_desc < PA_SKILL_LISTING_MAX)
			cut_listing(line, strlen(*name) + 4, (size_t)cc->skill_listing_max_desc);
		/* skillOverrides (fixture skills-overrides): name-only lists
		 * the bare name; user-invocable-only and off, nothing. */
		switch (ok ? Pa_cc_skill_override(cc, *name) : PA_CC_SKILL_ON) {
		case PA_CC_SKILL_ON:
			break;
		case PA_CC_SKILL_NAME_ONLY:
			pa_buf_reset(line);
			pa_buf_printf(line, "- %s", *name);
			break;
		case PA_CC_SKILL_USER_ONLY:
		case PA_CC_SKILL_OFF:
			pa_buf_reset(line);
			ok = 0;
			break;
		}
		Pa_frontmatter_release(&fm);
	}
	pa_buf_release(&text);
	return ok;
}

pa_status Pa_skill_listing_tokens(const Pa_places *pl, const pa_tokenizer *tok,
                                  size_t window, pa_warnings *warn, size_t *tokens,
                                  size_t *bare, pa_error *err)
{
	Pa_cc_skill_files found;
	Pa_strset names = PA_STRSET_INIT;
	pa_status st = PA_OK;
	size_t i, n = 0, keep, fixed = 0;
	size_t *full_chars = NULL, *bare_chars = NULL, *full_tok = NULL, *bare_tok = NULL;
	int off = Pa_cc_bundled_skills_off(pl->cc);

	*tokens = 0;
	*bare = 0;
	Pa_cc_find_listed_skills(&found, pl);
	Pa_warnings_add_copies(warn, &found.warn);
	for (i = 0; i < found.n && st == PA_OK; i++) {
		pa_buf line = PA_BUF_INIT, nm = PA_BUF_INIT;
		char *name = NULL;

		if (Pa_skill_file_entry(pl, found.items[i].file, found.items[i].fallback,
		                        found.items[i].prefix, &line, &name, warn) &&
		    Pa_strset_add(&names, name, strlen(name))) {
			full_chars = Pa_xgrow(full_chars, n, sizeof(*full_chars));
			bare_chars = Pa_xgrow(bare_chars, n, sizeof(*bare_chars));
			full_tok = Pa_xgrow(full_tok, n, sizeof(*full_tok));
			bare_tok = Pa_xgrow(bare_tok, n, sizeof(*bare_tok));
			pa_buf_printf(&nm, "- %s", name);
			full_chars[n] = Pa_utf16_units(line.ptr, line.len);
			bare_chars[n] = Pa_utf16_units(nm.ptr, nm.len);
			pa_buf_putc(&line, '\n');
			pa_buf_putc(&nm, '\n');
			full_tok[n] = bare_tok[n] = 0;
			st = pa_tokenizer_count(tok, line.ptr, line.len, &full_tok[n], err);
			if (st == PA_OK)
				st = pa_tokenizer_count(tok, nm.ptr, nm.len, &bare_tok[n], err);
			n++;
		}
		free(name);
		pa_buf_release(&line);
		pa_buf_release(&nm);
	}
	/* Claude Code's own entries after them, init and security-review the
	 * first to go bare. */
	for (i = 0; i < sizeof(builtin_chars) / sizeof(builtin_chars[0]); i++) {
		if (off && strcmp(builtin_chars[i].name, "plugin-authoring") && !builtin_chars[i].bare)
			continue;
		if (builtin_chars[i].bare) {
			full_chars = Pa_xgrow(full_chars, n, sizeof(*full_chars));
			bare_chars = Pa_xgrow(bare_chars, n, sizeof(*bare_chars));
			full_tok = Pa_xgrow(full_tok, n, sizeof(*full_tok));
			bare_tok = Pa_xgrow(bare_tok, n, sizeof(*bare_tok));
			full_chars[n] = builtin_chars[i].full;
			bare_chars[n] = builtin_chars[i].bare;
			full_tok[n] = bare_tok[n] = 0;  /* in the figures */
			n++;
		} else {
			fixed += builtin_chars[i].full + 1;
		}
	}
	keep = Pa_skill_listing_cut(full_chars, bare_chars, n, fixed,
	                            Pa_cc_skill_listing_budget(pl->cc, window));
	for (i = 0; i < n; i++)
		*tokens += i < keep ? full_tok[i] : bare_tok[i];
	*bare = n - keep;
	free(full_chars);
	free(bare_chars);
	free(full_tok);
	free(bare_tok);
	Pa_strset_release(&names);
	Pa_cc_skill_files_release(&found);
	return st;
}
