/*
 * trust.c - running what Claude Code runs in a trusted folder, when the
 * user trusts the project (trust.h).  Measured on Claude Code 2.1.332
 * (tests/oracle/context/fixtures/trust-*.txt):
 *   - hooks: each command hook of the event (discover/hooks.c finds
 *     them in the settings), run by sh in the working directory with the
 *     event's JSON on standard input.  Exit 0: a JSON object on standard
 *     output sends its hookSpecificOutput.additionalContext, any other
 *     output is sent as printed (trimmed); another exit status sends
 *     nothing.
 *   - git status: `git --no-optional-locks status --short`, trimmed.
 *   - MCP servers: util/mcp.c's handshake.
 * All of them share one budget per run (a process): PA_TRUST_TOTAL_SECONDS
 * from the first, and PA_TRUST_TOTAL_OUTPUT_BYTES of standard output.
 */
#define _POSIX_C_SOURCE 200809L
#include "trust.h"
#include "prompt.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRUST_MAX_TIMEOUT_MS 60000L

/* The run's budget, started by its first command. */
static Pa_run_budget *run_budget(void)
{
	static Pa_run_budget budget;
	static int started;

	if (!started) {
		Pa_run_budget_init(&budget, PA_TRUST_TOTAL_SECONDS * 1000L,
		                   (size_t)PA_TRUST_TOTAL_OUTPUT_BYTES);
		started = 1;
	}
	return &budget;
}

static int over_budget(const Pa_run_result *r)
{
	return r->end == PA_RUN_BUDGET_TIME || r->end == PA_RUN_BUDGET_OUTPUT;
}

/* The variables of ours a command gets (trust.h). */
static const char *const passed_vars[] = {
	"PATH", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "USER", "LOGNAME",
	"SHELL", "TMPDIR", "TZ",
};

/* The environment of a command: ours that passed_vars names, HOME, the
 * project's variables, then extra ("K=V", later ones win). */
static char **make_env(const Pa_places *pl, const char *const *extra, size_t n_extra,
                       size_t *n)
{
	char **env = NULL;
	size_t i, j;

	*n = 0;
	for (i = 0; i < sizeof(passed_vars) / sizeof(passed_vars[0]); i++) {
		const char *v = Pa_cc_getenv(pl->cc, passed_vars[i]);
		pa_buf b = PA_BUF_INIT;
		if (!v && strcmp(passed_vars[i], "PATH"))
			continue;
		pa_buf_printf(&b, "%s=%s", passed_vars[i], v ? v : "/usr/bin:/bin");
		env = Pa_xgrow(env, *n, sizeof(*env));
		env[(*n)++] = pa_buf_detach(&b, NULL);
	}
	{
		pa_buf b = PA_BUF_INIT;
		pa_buf_printf(&b, "HOME=%s", pl->home ? pl->home : "/nonexistent");
		env = Pa_xgrow(env, *n, sizeof(*env));
		env[(*n)++] = pa_buf_detach(&b, NULL);
		pa_buf_printf(&b, "CLAUDE_PROJECT_DIR=%s", pl->cwd);
		env = Pa_xgrow(env, *n, sizeof(*env));
		env[(*n)++] = pa_buf_detach(&b, NULL);
		env = Pa_xgrow(env, *n, sizeof(*env));
		env[(*n)++] = Pa_xstrdup("CLAUDECODE=1");
	}
	for (i = 0; i < n_extra; i++) {
		size_t klen = strcspn(extra[i], "=");
		if (!extra[i][klen])
			continue;
		for (j = 0; j < *n; j++)
			if (!strncmp(env[j], extra[i], klen + 1)) {
				pa_free(env[j]);
				env[j] = Pa_xstrdup(extra[i]);
				break;
			}
		if (j == *n) {
			env = Pa_xgrow(env, *n, sizeof(*env));
			env[(*n)++] = Pa_xstrdup(extra[i]);
		}
	}
	env = Pa_xgrow(env, *n, sizeof(*env));
	env[*n] = NULL;
	return env;
}

static void trimmed(pa_buf *to, const char *s, size_t len)
{
	Pa_text_trim(&s, &len);
	pa_buf_reset(to);
	pa_buf_put(to, s, len);
}

void Pa_trust_texts_free(Pa_trust_text *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pa_free(t[i].command);
		pa_free(t[i].file);
		pa_free(t[i].text);
	}
	pa_free(t);
}

/* ---- hooks ---- */

/* The event's JSON on a hook's standard input. */
static void hook_input(const Pa_places *pl, const char *event, const char *agent_type,
                       pa_buf *in)
{
	static const char session[] = "00000000-0000-4000-8000-000000000000";

	pa_buf_printf(in, "{\"session_id\":\"%s\",\"transcript_path\":", session);
	{
		pa_buf t = PA_BUF_INIT;
		pa_buf_printf(&t, "%s/projects/-/%s.jsonl", pl->user ? pl->user : "", session);
		Pa_json_string(in, t.ptr, t.len);
		pa_buf_release(&t);
	}
	pa_buf_puts(in, ",\"cwd\":");
	Pa_json_string(in, pl->cwd, strlen(pl->cwd));
	if (!strcmp(event, "SessionStart"))
		pa_buf_puts(in, ",\"hook_event_name\":\"SessionStart\",\"source\":\"startup\"}");
	else if (agent_type) {
		/* The agent's id is random; one of its shape. */
		pa_buf_puts(in, ",\"agent_id\":\"a0b1c2d3e4f5a6b7c\",\"agent_type\":");
		Pa_json_string(in, agent_type, strlen(agent_type));
		pa_buf_puts(in, ",\"hook_event_name\":\"SubagentStart\"}");
	} else
		pa_buf_printf(in, ",\"permission_mode\":\"default\",\"hook_event_name\":\"%s\","
		              "\"prompt\":\"\"}", event);
}

/* What one hook's run sends: appended to *out, or a warning.  Returns 1
 * when the run's budget kept it from sending (not run, or stopped). */
static int take_output(const Pa_run_result *r, const Pa_run_spec *spec,
                        const Pa_cc_hook *hook, Pa_trust_text **out, size_t *n,
                        pa_warnings *warn)
{
	pa_buf text = PA_BUF_INIT;
	Pa_trust_kind kind = PA_TRUST_HOOK_OUTPUT;

	if (r->end != PA_RUN_EXITED || r->status != 0) {
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(r, spec, &why);
		if (over_budget(r) && !r->status)
			Pa_warn_at(warn, hook->from, 0, "%s hook not run: `%s` (%s; the count "
			           "is a lower bound)", hook->event, hook->command, why.ptr);
		else
			Pa_warn_at(warn, hook->from, 0, "%s hook `%s` sent nothing: %s",
			           hook->event, hook->command, why.ptr);
		pa_buf_release(&why);
		return over_budget(r);
	}
	trimmed(&text, r->out.ptr, r->out.len);
	if (text.len && text.ptr[0] == '{') {
		Pa_jnode *root = NULL;
		pa_error err;
		const Pa_jnode *h, *c;
		if (Pa_json_parse(text.ptr, text.len, "", &root, &err) == PA_OK &&
		    root->type == PA_JSON_OBJECT) {
			h = Pa_jnode_get(root, "hookSpecificOutput");
			c = h ? Pa_jnode_get(h, "additionalContext") : NULL;
			pa_buf_reset(&text);
			if (c && c->type == PA_JSON_STRING)
				trimmed(&text, c->text, c->len);
			kind = PA_TRUST_HOOK_CONTEXT;
		}
		Pa_jnode_free(root);
	}
	if (text.len) {
		*out = Pa_xgrow(*out, *n, sizeof(**out));
		(*out)[*n].command = Pa_xstrdup(hook->command);
		(*out)[*n].file = Pa_xstrdup(hook->from);
		(*out)[*n].text = pa_buf_detach(&text, NULL);
		(*out)[*n].kind = kind;
		(*n)++;
	}
	pa_buf_release(&text);
	return 0;
}

size_t Pa_trust_hooks(const Pa_places *pl, const pa_compose_options *opt,
                      const char *event, Pa_trust_text **out, size_t *n,
                      pa_warnings *warn)
{
	size_t i, not_run = 0;

	for (i = 0; pl->cc && i < pl->cc->n_hooks; i++) {
		const Pa_cc_hook *hook = &pl->cc->hooks[i];
		const char *argv[4];
		Pa_run_spec spec;
		Pa_run_result r;
		pa_buf in = PA_BUF_INIT;
		char **env;
		size_t nenv;

		if (strcmp(hook->event, event))
			continue;
		if (!opt->trust) {
			Pa_warn_at(warn, hook->from, 0, "%s hook not run: `%s` (the count is a "
			           "lower bound; --trust runs it)", event, hook->command);
			not_run++;
			continue;
		}
		memset(&spec, 0, sizeof(spec));
		argv[0] = "/bin/sh";
		argv[1] = "-c";
		argv[2] = hook->command;
		argv[3] = NULL;
		env = make_env(pl, NULL, 0, &nenv);
		hook_input(pl, event, NULL, &in);
		spec.argv = argv;
		spec.cwd = pl->cwd;
		spec.env = (const char *const *)env;
		spec.input = in.ptr;
		spec.input_len = in.len;
		spec.timeout_ms = PA_RUN_TIMEOUT_MS;
		if (hook->timeout_ms > 0)
			spec.timeout_ms = hook->timeout_ms < TRUST_MAX_TIMEOUT_MS
			                  ? hook->timeout_ms : TRUST_MAX_TIMEOUT_MS;
		spec.budget = run_budget();
		Pa_run(&spec, &r);
		if (take_output(&r, &spec, hook, out, n, warn))
			not_run++;
		Pa_run_result_release(&r);
		pa_buf_release(&in);
		Pa_strings_free(env, nenv);
	}
	return not_run;
}

/* A SubagentStart hook's JSON additionalContext, trimmed, into *text: 1
 * when its standard output is such an object (whatever its exit status:
 * 1 and 2 measured), else 0 (plain output is not sent). */
static int subagent_context(const Pa_run_result *r, pa_buf *text)
{
	Pa_jnode *root = NULL;
	pa_error err;
	const Pa_jnode *h, *c;
	int ok = 0;

	if (r->end != PA_RUN_EXITED)
		return 0;
	trimmed(text, r->out.ptr, r->out.len);
	if (!text->len || text->ptr[0] != '{')
		return 0;
	if (Pa_json_parse(text->ptr, text->len, "", &root, &err) == PA_OK &&
	    root->type == PA_JSON_OBJECT) {
		h = Pa_jnode_get(root, "hookSpecificOutput");
		c = h ? Pa_jnode_get(h, "additionalContext") : NULL;
		if (c && c->type == PA_JSON_STRING) {
			trimmed(text, c->text, c->len);
			ok = text->len > 0;
		}
	}
	Pa_jnode_free(root);
	return ok;
}

size_t Pa_trust_subagent_hooks(const Pa_places *pl, const pa_compose_options *opt,
                               const char *agent_type, Pa_trust_text **out,
                               size_t *n, pa_warnings *warn)
{
	size_t i, not_run = 0;

	for (i = 0; pl->cc && i < pl->cc->n_hooks; i++) {
		const Pa_cc_hook *hook = &pl->cc->hooks[i];
		const char *argv[] = { "/bin/sh", "-c", hook->command, NULL };
		Pa_run_spec spec;
		Pa_run_result r;
		pa_buf in = PA_BUF_INIT, text = PA_BUF_INIT;
		char **env;
		size_t nenv;

		if (strcmp(hook->event, "SubagentStart") || !Pa_cc_hook_matches(hook, agent_type))
			continue;
		if (!opt->trust) {
			Pa_warn_at(warn, hook->from, 0, "SubagentStart hook not run: `%s` (the "
			           "count is a lower bound; --trust runs it)", hook->command);
			not_run++;
			continue;
		}
		memset(&spec, 0, sizeof(spec));
		env = make_env(pl, NULL, 0, &nenv);
		hook_input(pl, "SubagentStart", agent_type, &in);
		spec.argv = argv;
		spec.cwd = pl->cwd;
		spec.env = (const char *const *)env;
		spec.input = in.ptr;
		spec.input_len = in.len;
		spec.timeout_ms = PA_RUN_TIMEOUT_MS;
		if (hook->timeout_ms > 0)
			spec.timeout_ms = hook->timeout_ms < TRUST_MAX_TIMEOUT_MS
			                  ? hook->timeout_ms : TRUST_MAX_TIMEOUT_MS;
		spec.budget = run_budget();
		Pa_run(&spec, &r);
		if (subagent_context(&r, &text)) {
			*out = Pa_xgrow(*out, *n, sizeof(**out));
			(*out)[*n].command = Pa_xstrdup(hook->command);
			(*out)[*n].file = Pa_xstrdup(hook->from);
			(*out)[*n].text = pa_buf_detach(&text, NULL);
			(*out)[*n].kind = PA_TRUST_HOOK_CONTEXT;
			(*n)++;
		} else if (r.end != PA_RUN_EXITED) {
			pa_buf why = PA_BUF_INIT;
			Pa_run_describe(&r, &spec, &why);
			if (over_budget(&r) && !r.status) {
				Pa_warn_at(warn, hook->from, 0, "SubagentStart hook not run: `%s` "
				           "(%s; the count is a lower bound)", hook->command, why.ptr);
				not_run++;
			} else {
				Pa_warn_at(warn, hook->from, 0, "SubagentStart hook `%s` sent "
				           "nothing: %s", hook->command, why.ptr);
			}
			pa_buf_release(&why);
		}
		Pa_run_result_release(&r);
		pa_buf_release(&text);
		pa_buf_release(&in);
		Pa_strings_free(env, nenv);
	}
	return not_run;
}

/* ---- MCP servers ---- */

void Pa_trust_mcp_tool_name(pa_buf *out, const char *server, const char *tool)
{
	const char *parts[2];
	int i;

	parts[0] = server;
	parts[1] = tool;
	pa_buf_puts(out, "mcp__");
	for (i = 0; i < 2; i++) {
		const char *s;
		if (i)
			pa_buf_puts(out, "__");
		for (s = parts[i]; *s; s++)
			pa_buf_putc(out, (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			                 (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'
			                 ? *s : '_');
	}
}

static long mcp_timeout(const Pa_places *pl)
{
	const char *v = Pa_cc_getenv(pl->cc, "MCP_TIMEOUT");
	long ms = v ? strtol(v, NULL, 10) : 0;

	if (ms <= 0)
		return PA_RUN_TIMEOUT_MS;
	return ms < TRUST_MAX_TIMEOUT_MS ? ms : TRUST_MAX_TIMEOUT_MS;
}

pa_status Pa_trust_mcp(const Pa_places *pl, const Pa_cc_server *server,
                       Pa_mcp_info *info, pa_warnings *warn)
{
	const char **argv = Pa_xcalloc(server->n_args + 2, sizeof(*argv));
	char **env;
	size_t i, nenv;
	Pa_run_spec spec;
	pa_error err;
	pa_status st;

	argv[0] = server->command;
	for (i = 0; i < server->n_args; i++)
		argv[i + 1] = server->args[i];
	env = make_env(pl, (const char *const *)server->env, server->n_env, &nenv);
	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.cwd = pl->cwd;
	spec.env = (const char *const *)env;
	spec.timeout_ms = mcp_timeout(pl);
	spec.budget = run_budget();
	st = Pa_mcp_query(&spec, info, &err);
	if (st != PA_OK)
		Pa_warn_at(warn, server->from, 0, "MCP server %s not counted: %s",
		           server->name, err.message);
	Pa_strings_free(env, nenv);
	pa_free(argv);
	return st;
}

/* ---- git status ---- */

int Pa_trust_git_status(const Pa_places *pl, pa_buf *out, pa_warnings *warn)
{
	const char *argv[] = { "git", "--no-optional-locks", "status", "--short", NULL };
	Pa_run_spec spec;
	Pa_run_result r;
	char **env;
	size_t nenv;
	int ok = 0;

	env = make_env(pl, NULL, 0, &nenv);
	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.cwd = pl->cwd;
	spec.env = (const char *const *)env;
	spec.budget = run_budget();
	Pa_run(&spec, &r);
	if (r.end == PA_RUN_EXITED && r.status == 0) {
		trimmed(out, r.out.ptr, r.out.len);
		ok = 1;
	} else {
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(&r, &spec, &why);
		Pa_warn_at(warn, NULL, 0, "git status not read (counted as clean): %s", why.ptr);
		pa_buf_release(&why);
	}
	Pa_run_result_release(&r);
	Pa_strings_free(env, nenv);
	return ok;
}

/* ---- a skill's !`command` ---- */

void Pa_trust_skill_commands(Pa_section *s, const Pa_places *pl,
                             const pa_compose_options *opt, pa_warnings *warn)
{
	pa_buf text = PA_BUF_INIT, out = PA_BUF_INIT, cmd = PA_BUF_INIT;
	size_t i = 0, found = 0;

	while (i < s->len) {
		const char *end;
		if (s->text[i] != '!' || i + 1 >= s->len || s->text[i + 1] != '`' ||
		    !(end = memchr(s->text + i + 2, '`', s->len - i - 2)) ||
		    end == s->text + i + 2 || memchr(s->text + i + 2, '\n',
		                                     (size_t)(end - s->text) - i - 2)) {
			pa_buf_putc(&text, s->text[i++]);
			continue;
		}
		pa_buf_reset(&cmd);
		pa_buf_put(&cmd, s->text + i + 2, (size_t)(end - s->text) - i - 2);
		found++;
		if (!opt->trust) {
			Pa_warn_at(warn, s->path, 0, "skill command not run: `%s` (its output "
			           "is not counted; --trust runs it)", cmd.ptr);
			pa_buf_put(&text, s->text + i, (size_t)(end - s->text) - i + 1);
		} else if (Pa_trust_skill_command(pl, s->path, cmd.ptr, &out, warn)) {
			pa_buf_put(&text, out.ptr, out.len);
		} else {
			pa_buf_put(&text, s->text + i, (size_t)(end - s->text) - i + 1);
		}
		i = (size_t)(end - s->text) + 1;
	}
	if (found && opt->trust) {
		/* The text is no longer the file's, line for line. */
		pa_free(s->text);
		s->len = text.len;
		s->text = pa_buf_detach(&text, NULL);
		pa_free(s->lines);
		s->lines = NULL;
		s->nlines = 0;
	}
	pa_buf_release(&text);
	pa_buf_release(&out);
	pa_buf_release(&cmd);
}

int Pa_trust_skill_command(const Pa_places *pl, const char *skill_file,
                           const char *command, pa_buf *out, pa_warnings *warn)
{
	const char *argv[] = { "/bin/sh", "-c", command, NULL };
	Pa_run_spec spec;
	Pa_run_result r;
	char **env;
	size_t nenv;
	int ok = 0;

	env = make_env(pl, NULL, 0, &nenv);
	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.cwd = pl->cwd;
	spec.env = (const char *const *)env;
	spec.budget = run_budget();
	Pa_run(&spec, &r);
	if (r.end == PA_RUN_EXITED) {
		trimmed(out, r.out.ptr, r.out.len);
		ok = 1;
	} else if (r.end == PA_RUN_BUDGET_OUTPUT && r.status) {
		/* What fit in the run's output is kept, cut. */
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(&r, &spec, &why);
		trimmed(out, r.out.ptr, r.out.len);
		ok = 1;
		Pa_warn_at(warn, skill_file, 0, "skill command `%s` %s", command, why.ptr);
		pa_buf_release(&why);
	} else if (over_budget(&r) && !r.status) {
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(&r, &spec, &why);
		Pa_warn_at(warn, skill_file, 0, "skill command not run: `%s` (%s; its output "
		           "is not counted)", command, why.ptr);
		pa_buf_release(&why);
	} else {
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(&r, &spec, &why);
		Pa_warn_at(warn, skill_file, 0, "skill command `%s` not counted: %s", command,
		           why.ptr);
		pa_buf_release(&why);
	}
	Pa_run_result_release(&r);
	Pa_strings_free(env, nenv);
	return ok;
}

/* ---- what Claude Code adds around them ---- */

/* The tokens of Claude Code's own text around what the commands gave,
 * measured on 2.1.332 (the trust-* fixtures of tests/oracle/context/):
 * a hook's output and its frame, the MCP instructions' header, the note
 * that git status was cut and the word a clean status is. */
typedef struct trust_figure {
	const char *name;
	long o200k, cl100k, claude;
} trust_figure;

static const trust_figure figures[] = {
	{ "hook-output", 8, 8, 8 },      /* SessionStart's frame of its output */
	{ "prompt-output", 7, 7, 7 },    /* UserPromptSubmit's */
	{ "hook-context", 7, 7, 7 },     /* of an additionalContext */
	{ "subagent-context", 9, 9, 9 }, /* SubagentStart's label before the
	                                  * contexts, joined by separators,
	                                  * and the blank line after them
	                                  * (fixtures hooks-subagent-*) */
	{ "separator", 1, 1, 1 },        /* between two paragraphs */
	{ "mcp-header", 20, 20, 24 },    /* before the servers' instructions, less a separator */
	{ "git-clean", 2, 2, 3 },
	{ "git-cut", 27, 27, 25 },
};

long Pa_trust_figure(const char *tokenizer, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (!strcmp(figures[i].name, name))
			return !strcmp(tokenizer, "claude") ? figures[i].claude
			       : !strcmp(tokenizer, "cl100k_base") ? figures[i].cl100k
			       : figures[i].o200k;
	return 0;
}
