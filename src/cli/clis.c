/* clis.c - the agent CLIs a command runs for, and one CLI's first
 * request counted part by part (see clis.h). */
#define _POSIX_C_SOURCE 200809L
#include "clis.h"
#include "body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_clis_init(cli_clis *c)
{
	memset(c, 0, sizeof(*c));
	c->max_bytes = -1;
}

void cli_clis_release(cli_clis *c)
{
	size_t i;

	for (i = 0; i < PA_HARNESS_COUNT; i++) {
		free(c->owned[i]);
		c->owned[i] = NULL;
	}
}

static void add(cli_clis *c, pa_harness_id id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return;
	c->ids[c->n++] = id;
}

int cli_clis_parse(cli_clis *c, const char *list)
{
	const char *s = list;

	c->n = 0;
	c->given = 1;
	for (;;) {
		size_t len = strcspn(s, ",");
		char *name = Pa_xmalloc(len + 1);
		pa_harness_id id;
		int ok;

		char *at;

		memcpy(name, s, len);
		name[len] = '\0';
		if (!len) { /* codex,,qwen or all, */
			cli_usage_error("--harness: an empty name in the list (%s)",
			                cli_clis_words());
			free(name);
			return 0;
		}
		/* all, alone or in a list: the Action's harness input is
		 * passed as claude-code,NAME..., and `harness: all` there was
		 * refused as "no such agent CLI: all" by the message that
		 * names all among the words. */
		if (!strcmp(name, "all")) {
			int i;

			for (i = 0; i < PA_HARNESS_COUNT; i++)
				add(c, (pa_harness_id)i);
			free(name);
			if (!s[len])
				break;
			s += len + 1;
			continue;
		}
		/* NAME@VERSION: the version the user runs */
		at = strchr(name, '@');
		if (at)
			*at++ = '\0';
		ok = pa_harness_parse(name, &id);
		if (ok && at && !*at) {
			cli_usage_error("--harness: %s@: no version after @", name);
			free(name);
			return 0;
		}
		if (ok && at) {
			free(c->owned[id]);
			c->owned[id] = Pa_xstrdup(at);
			c->version[id] = c->owned[id];
		}
		if (!ok) {
			pa_buf q = PA_BUF_INIT;

			Pa_quote_str(&q, name);
			cli_usage_error("--harness: no such agent CLI: %s (%s)",
			                q.ptr, cli_clis_words());
			pa_buf_release(&q);
			free(name);
			return 0;
		}
		free(name);
		add(c, id);
		if (!s[len])
			break;
		s += len + 1;
	}
	return 1;
}

/* "codex's project_doc_max_bytes", for each row with a byte cap (the
 * rows say which, so that no CLI is named here) */
static void cap_rows(pa_buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < PA_HARNESS_COUNT; i++)
		if (pa_harness_cap_name((pa_harness_id)i))
			pa_buf_printf(b, "%s%s's %s", n++ ? ", " : "",
			              pa_harness_name((pa_harness_id)i),
			              pa_harness_cap_name((pa_harness_id)i));
	if (!n)
		pa_buf_puts(b, "none of this build");
}

int cli_clis_settle(cli_clis *c, const pa_config *cfg)
{
	size_t k;

	/* the config's version of a CLI unless --harness named one; its
	 * profile */
	for (k = 0; cfg && k < PA_HARNESS_COUNT; k++) {
		if (!c->version[k])
			c->version[k] = pa_config_harness_setting(cfg, (pa_harness_id)k, "version");
		c->profile[k] = pa_config_harness_setting(cfg, (pa_harness_id)k, "profile");
	}
	if (!c->given) {
		const pa_harness_id *ids;
		size_t i, n = cfg ? pa_config_harness(cfg, &ids) : 0;

		for (i = 0; i < n; i++)
			add(c, ids[i]);
		/* else the CLI a run is for when none is named */
		for (i = 0; !c->n && i < PA_HARNESS_COUNT; i++)
			if (pa_harness_supports((pa_harness_id)i, PA_HARNESS_SUPPORTS_DEFAULT))
				add(c, (pa_harness_id)i);
	}
	if (c->max_bytes >= 0) {
		size_t i, capped = 0;

		/* the option is the byte cap of the CLIs that have one */
		for (i = 0; i < c->n; i++)
			capped += pa_harness_cap_name(c->ids[i]) != NULL;
		if (!capped) {
			pa_buf rows = PA_BUF_INIT;

			cap_rows(&rows);
			cli_usage_error("--project-doc-max-bytes is the byte cap of a CLI "
			                "that has one (%s): use it with --harness naming it",
			                rows.ptr);
			pa_buf_release(&rows);
			return 0;
		}
	}
	return 1;
}

int cli_clis_has(const cli_clis *c, pa_harness_id id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return 1;
	return 0;
}

size_t cli_clis_count(const cli_clis *c, unsigned cap)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += pa_harness_supports(c->ids[i], cap);
	return n;
}

int cli_clis_first(const cli_clis *c, unsigned cap, pa_harness_id *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (pa_harness_supports(c->ids[i], cap)) {
			*id = c->ids[i];
			return 1;
		}
	return 0;
}

int cli_clis_refuse_without(const cli_clis *c, unsigned cap, const char *option,
                            const char *what)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!pa_harness_supports(c->ids[i], cap))
			return cli_usage_error("%s: %s does not support %s", option,
			                       pa_harness_name(c->ids[i]), what);
	return 0;
}

int cli_clis_refused(const cli_clis *c, const char *agent, int count_api,
                     cli_format fmt)
{
	unsigned body = fmt == CLI_FMT_OPENAI ? PA_HARNESS_SUPPORTS_BODY_OPENAI
	                : cli_format_is_body(fmt) ? PA_HARNESS_SUPPORTS_BODY_ANTHROPIC
	                : 0;
	size_t k;

	if (agent && !cli_clis_count(c, PA_HARNESS_SUPPORTS_AGENTS)) {
		pa_buf q = PA_BUF_INIT;
		int code;

		Pa_quote_str(&q, agent);
		code = cli_usage_error("an agent is given (%s), but no agent CLI of "
		                       "this run supports agents of its own", q.ptr);
		pa_buf_release(&q);
		return code;
	}
	if (count_api && !cli_clis_count(c, PA_HARNESS_SUPPORTS_COUNT_API))
		return cli_usage_error("--count-api counts a Claude model's tokens: no "
		                       "agent CLI of this run supports Anthropic's "
		                       "count_tokens (its models are not Claude's)");
	for (k = 0; body && k < c->n; k++)
		if (!pa_harness_supports(c->ids[k], body))
			return cli_usage_error("--format %s: %s does not support a request "
			                       "body of that API", cli_format_name(fmt),
			                       pa_harness_name(c->ids[k]));
	return 0;
}

const char *cli_clis_words(void)
{
	static char words[256];
	int i;

	if (!words[0]) {
		pa_buf b = PA_BUF_INIT;

		for (i = 0; i < PA_HARNESS_COUNT; i++)
			pa_buf_printf(&b, "%s ", pa_harness_name((pa_harness_id)i));
		pa_buf_puts(&b, "all");
		snprintf(words, sizeof(words), "%s", b.ptr);
		pa_buf_release(&b);
	}
	return words;
}

const char *cli_clis_help(void)
{
	static char help[1024];
	int i;

	if (!help[0]) {
		pa_buf b = PA_BUF_INIT;

		size_t line;

		pa_buf_puts(&b, "      --harness NAME[,NAME...]  the agent CLIs:");
		line = 47;
		/* every name of the table, the default's said, then "or all",
		 * wrapped at 78 columns */
		for (i = 0; i <= PA_HARNESS_COUNT; i++) {
			pa_buf w = PA_BUF_INIT;
			size_t len;

			if (i < PA_HARNESS_COUNT)
				pa_buf_printf(&w, "%s%s,", pa_harness_name((pa_harness_id)i),
				              pa_harness_supports((pa_harness_id)i,
				                                  PA_HARNESS_SUPPORTS_DEFAULT)
				              ? " (the default)" : "");
			else
				pa_buf_puts(&w, "or all");
			len = w.len + 1;
			if (line + len > 78) {
				pa_buf_puts(&b, "\n                         ");
				line = 25;
			}
			pa_buf_printf(&b, " %s", w.ptr);
			line += len;
			pa_buf_release(&w);
		}
		pa_buf_puts(&b, "\n                          NAME@VERSION: the figures of that version"
		            " measured\n"
		            "                          (default: the config's harness:;"
		            " docs/harnesses.md)\n"
		            "      --project-doc-max-bytes N  the byte cap of the project's files (");
		cap_rows(&b);
		pa_buf_puts(&b, ")\n");
		snprintf(help, sizeof(help), "%s", b.ptr);
		pa_buf_release(&b);
	}
	return help;
}
