/*
 * hooks.c - what the settings say about the commands Claude Code runs at
 * the start of a session (compose/trust.c runs them with --trust): the
 * command hooks of SessionStart whose matcher takes the source "startup"
 * (no matcher, "" or "*" take every source; else names separated by
 * '|'), of UserPromptSubmit, and of SubagentStart with their matcher
 * (the agent's type decides, when an agent starts: Pa_cc_hook_matches);
 * `disableAllHooks` in any file turns them all off;
 * `allowManagedHooksOnly` in the managed settings keeps the managed
 * files' hooks alone; `disabledMcpjsonServers` keeps a project server
 * from starting.  Measured on Claude Code 2.1.332 (fixtures trust-* of
 * tests/oracle/context/, hooks-subagent-* of tests/oracle/).  The
 * servers themselves are mcp.c's.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "base/regex.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

int Pa_cc_server_disabled(const Pa_cc_config *cc, const Pa_cc_server *srv)
{
	size_t i;

	if (strcmp(srv->scope, "project"))
		return 0;
	for (i = 0; i < cc->n_mcp_disabled; i++)
		if (!strcmp(cc->mcp_disabled[i], srv->name))
			return 1;
	return 0;
}

/* Not a Pa_cc_config field, so that the model stays as it was: one
 * file's `disableAllHooks` is kept as a hook with no command. */
static const char disable_all[] = "";

static int matches(const Pa_jnode *matcher, const char *source)
{
	const char *m, *p;
	size_t n = strlen(source);

	if (!matcher || matcher->type != PA_JSON_STRING)
		return 1;
	m = matcher->text;
	if (!*m || !strcmp(m, "*"))
		return 1;
	for (p = m; ; ) {
		size_t k = strcspn(p, "|");
		if (k == n && !strncmp(p, source, n))
			return 1;
		if (!p[k])
			return 0;
		p += k + 1;
	}
}

int Pa_cc_hook_matches(const Pa_cc_hook *hook, const char *type)
{
	const char *m = hook->matcher, *p;
	size_t n = strlen(type);

	if (!m || !*m || !strcmp(m, "*"))
		return 1;
	if (m[strspn(m, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	             "0123456789_|")])
		return Pa_regex_search(type, m) == 1;
	for (p = m; ; ) {
		size_t k = strcspn(p, "|");
		if (k == n && !strncmp(p, type, n))
			return 1;
		if (!p[k])
			return 0;
		p += k + 1;
	}
}

static void add_hook(Pa_cc_config *c, const char *event, const char *command,
                     const char *from, long timeout_ms, const Pa_jnode *matcher,
                     int managed)
{
	Pa_cc_hook *h;

	c->hooks = Pa_xgrow(c->hooks, c->n_hooks, sizeof(*c->hooks));
	h = &c->hooks[c->n_hooks++];
	h->event = event;
	h->command = Pa_xstrdup(command);
	h->from = Pa_xstrdup(from);
	h->timeout_ms = timeout_ms;
	h->matcher = matcher && matcher->type == PA_JSON_STRING
	             ? Pa_xstrdup(matcher->text) : NULL;
	h->managed = managed;
}

static void free_hook(Pa_cc_hook *h)
{
	free(h->command);
	free(h->from);
	free(h->matcher);
}

static void read_event(Pa_cc_config *c, const Pa_jnode *hooks, const char *event,
                       const char *shown, const char *root, int managed)
{
	const Pa_jnode *groups = Pa_jnode_get(hooks, event);
	size_t j, k;

	for (j = 0; groups && groups->type == PA_JSON_ARRAY && j < groups->n; j++) {
		const Pa_jnode *g = groups->items[j];
		const Pa_jnode *list = Pa_jnode_get(g, "hooks");
		const Pa_jnode *matcher = Pa_jnode_get(g, "matcher");
		if (!strcmp(event, "SessionStart") && !matches(matcher, "startup"))
			continue;
		if (strcmp(event, "SubagentStart"))
			matcher = NULL;
		for (k = 0; list && list->type == PA_JSON_ARRAY && k < list->n; k++) {
			const Pa_jnode *h = list->items[k];
			const Pa_jnode *type = Pa_jnode_get(h, "type");
			const Pa_jnode *cmd = Pa_jnode_get(h, "command");
			const Pa_jnode *to = Pa_jnode_get(h, "timeout");
			long ms = 0;

			if (!type || type->type != PA_JSON_STRING || strcmp(type->text, "command") ||
			    !cmd || cmd->type != PA_JSON_STRING || !cmd->text[0])
				continue;
			if (to && to->type == PA_JSON_NUMBER) {
				double s = strtod(to->text, NULL);
				ms = s > 0 && s < 1e6 ? (long)(s * 1000) : 0;
			}
			if (root) {
				char *t = Pa_cc_plugin_root_subst(cmd->text, root);
				add_hook(c, event, t, shown, ms, matcher, managed);
				free(t);
			} else {
				add_hook(c, event, cmd->text, shown, ms, matcher, managed);
			}
		}
	}
}

/* The events read, in the order a file's hooks are kept. */
static const char *const events[] = { "SessionStart", "UserPromptSubmit", "SubagentStart" };

void Pa_cc_read_hooks(Pa_cc_config *c, const Pa_jnode *root, const char *shown,
                      int managed)
{
	const Pa_jnode *hooks = Pa_jnode_get(root, "hooks"), *v;
	size_t i;

	if ((v = Pa_jnode_get(root, "disableAllHooks")) && v->type == PA_JSON_TRUE)
		add_hook(c, disable_all, "", shown, 0, NULL, managed);
	if (managed && (v = Pa_jnode_get(root, "allowManagedHooksOnly")) &&
	    v->type == PA_JSON_TRUE)
		c->managed_hooks_only = 1;
	for (i = 0; hooks && hooks->type == PA_JSON_OBJECT && i < 3; i++)
		read_event(c, hooks, events[i], shown, NULL, managed);
	v = Pa_jnode_get(root, "disabledMcpjsonServers");
	/* A name holding a NUL (\u0000) names no server: Claude Code keeps
	 * the NUL in a settings string (settings.c). */
	for (i = 0; v && v->type == PA_JSON_ARRAY && i < v->n; i++)
		if (v->items[i]->type == PA_JSON_STRING &&
		    !memchr(v->items[i]->text, '\0', v->items[i]->len)) {
			c->mcp_disabled = Pa_xgrow(c->mcp_disabled, c->n_mcp_disabled,
			                           sizeof(*c->mcp_disabled));
			c->mcp_disabled[c->n_mcp_disabled++] = Pa_xstrdup(v->items[i]->text);
		}
}

void Pa_cc_read_plugin_hooks(Pa_cc_config *c, const Pa_places *pl)
{
	size_t i;

	for (i = 0; !c->hooks_disabled && !c->managed_hooks_only && i < c->n_plugins; i++) {
		char *file = Pa_path_join(c->plugins[i].dir, "hooks/hooks.json");
		char *shown = Pa_path_display(file, pl->root, pl->home);
		Pa_jnode *root = Pa_cc_read_json(c, file, &Pa_cfg_cc_plugin, shown);
		const Pa_jnode *hooks = root && root->type == PA_JSON_OBJECT
		                        ? Pa_jnode_get(root, "hooks") : NULL;

		size_t e;

		for (e = 0; hooks && hooks->type == PA_JSON_OBJECT && e < 3; e++)
			read_event(c, hooks, events[e], shown, c->plugins[i].dir, 0);
		Pa_jnode_free(root);
		free(shown);
		free(file);
	}
}

void Pa_cc_hooks_done(Pa_cc_config *c)
{
	size_t i, k, off = 0;

	for (i = 0; i < c->n_hooks; i++)
		if (c->hooks[i].event == disable_all)
			off = 1;
	if (!off) {
		/* allowManagedHooksOnly: the managed files' alone. */
		for (i = k = 0; i < c->n_hooks; i++) {
			if (c->managed_hooks_only && !c->hooks[i].managed)
				free_hook(&c->hooks[i]);
			else
				c->hooks[k++] = c->hooks[i];
		}
		c->n_hooks = k;
		return;
	}
	c->hooks_disabled = 1;
	for (i = 0; i < c->n_hooks; i++)
		free_hook(&c->hooks[i]);
	free(c->hooks);
	c->hooks = NULL;
	c->n_hooks = 0;
}

void Pa_cc_hooks_release(Pa_cc_config *c)
{
	size_t i;

	for (i = 0; i < c->n_servers; i++) {
		Pa_cc_server *s = &c->servers[i];
		free(s->name);
		free(s->command);
		Pa_strings_free(s->args, s->n_args);
		Pa_strings_free(s->env, s->n_env);
		free(s->from);
	}
	free(c->servers);
	for (i = 0; i < c->n_hooks; i++)
		free_hook(&c->hooks[i]);
	free(c->hooks);
	Pa_strings_free(c->mcp_disabled, c->n_mcp_disabled);
}
