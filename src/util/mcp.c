/*
 * mcp.c - what a stdio MCP server tells a client: the handshake Claude
 * Code makes (initialize, notifications/initialized, then tools/list page
 * by page when the server has tools), one JSON-RPC message a line, read
 * with the strict JSON reader.  Within the run's deadline and output
 * limit (run.c); a line that is not JSON (a server logging to stdout) is
 * skipped, a request from the server is refused, so neither can stall it.
 */
#define _POSIX_C_SOURCE 200809L
#include "run.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends v as compact JSON (declared in util.h). */
void Pa_jnode_write(pa_buf *out, const Pa_jnode *v)
{
	size_t i;

	switch (v->type) {
	case PA_JSON_NULL: pa_buf_puts(out, "null"); break;
	case PA_JSON_FALSE: pa_buf_puts(out, "false"); break;
	case PA_JSON_TRUE: pa_buf_puts(out, "true"); break;
	case PA_JSON_NUMBER: pa_buf_put(out, v->text, v->len); break;
	case PA_JSON_STRING: Pa_json_string(out, v->text, v->len); break;
	case PA_JSON_ARRAY:
		pa_buf_putc(out, '[');
		for (i = 0; i < v->n; i++) {
			if (i)
				pa_buf_putc(out, ',');
			Pa_jnode_write(out, v->items[i]);
		}
		pa_buf_putc(out, ']');
		break;
	case PA_JSON_OBJECT:
		pa_buf_putc(out, '{');
		for (i = 0; i < v->n; i++) {
			if (i)
				pa_buf_putc(out, ',');
			Pa_json_string(out, v->keys[i], v->key_lens[i]);
			pa_buf_putc(out, ':');
			Pa_jnode_write(out, v->items[i]);
		}
		pa_buf_putc(out, '}');
		break;
	}
}

static int is_id(const Pa_jnode *id, long want)
{
	char num[32];

	snprintf(num, sizeof(num), "%ld", want);
	return id && id->type == PA_JSON_NUMBER && !strcmp(id->text, num);
}

/* Sends a request and reads up to its answer: *msg is the whole message
 * (free it), *result its result.  0, or -1 with err set. */
static int call(Pa_proc *p, long id, const char *method, const char *params,
                Pa_jnode **msg, const Pa_jnode **result, pa_error *err)
{
	pa_buf req = PA_BUF_INIT, line = PA_BUF_INIT;
	int r = -1, got;

	*msg = NULL;
	pa_buf_printf(&req, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"%s\"%s%s}\n",
	              id, method, params ? ",\"params\":" : "", params ? params : "");
	if (Pa_proc_send(p, req.ptr, req.len) < 0) {
		Pa_error_set(err, PA_ERR_IO, "", 0, 0, "it stopped reading before %s", method);
		goto out;
	}
	while ((got = Pa_proc_read_line(p, &line)) == 1) {
		Pa_jnode *m = NULL;
		pa_error jerr;
		const Pa_jnode *mid, *method_of, *e;

		if (Pa_json_parse(line.ptr, line.len, "", &m, &jerr) != PA_OK ||
		    m->type != PA_JSON_OBJECT) {
			Pa_jnode_free(m);
			continue;
		}
		mid = Pa_jnode_get(m, "id");
		method_of = Pa_jnode_get(m, "method");
		if (method_of && mid) {
			/* A request of the server's: refused, so it does not wait. */
			pa_buf ans = PA_BUF_INIT;
			pa_buf_puts(&ans, "{\"jsonrpc\":\"2.0\",\"id\":");
			Pa_jnode_write(&ans, mid);
			pa_buf_puts(&ans, ",\"error\":{\"code\":-32601,\"message\":\"not supported\"}}\n");
			Pa_proc_send(p, ans.ptr, ans.len);
			pa_buf_release(&ans);
		}
		if (method_of || !is_id(mid, id)) {
			Pa_jnode_free(m);
			continue;
		}
		*result = Pa_jnode_get(m, "result");
		e = Pa_jnode_get(m, "error");
		if (!*result || (*result)->type != PA_JSON_OBJECT) {
			const Pa_jnode *em = e ? Pa_jnode_get(e, "message") : NULL;
			Pa_error_set(err, PA_ERR_PARSE, "", 0, 0, "%s failed: %s", method,
			             em && em->type == PA_JSON_STRING ? em->text : "no result");
			Pa_jnode_free(m);
			goto out;
		}
		*msg = m;
		r = 0;
		goto out;
	}
	Pa_error_set(err, PA_ERR_IO, "", 0, 0, "no answer to %s", method);
out:
	pa_buf_release(&req);
	pa_buf_release(&line);
	return r;
}

static char *str_of(const Pa_jnode *v)
{
	return v && v->type == PA_JSON_STRING ? Pa_xstrndup(v->text, v->len) : NULL;
}

/* The tools of one page of tools/list into info; the next cursor, or NULL. */
static char *add_tools(const Pa_jnode *result, Pa_mcp_info *info)
{
	const Pa_jnode *tools = Pa_jnode_get(result, "tools");
	size_t i;

	for (i = 0; tools && tools->type == PA_JSON_ARRAY && i < tools->n; i++) {
		const Pa_jnode *t = tools->items[i], *name, *schema;
		Pa_mcp_tool *tool;

		if (info->n_tools >= PA_MCP_MAX_TOOLS)
			return NULL;
		name = Pa_jnode_get(t, "name");
		if (!name || name->type != PA_JSON_STRING)
			continue;
		info->tools = Pa_xgrow(info->tools, info->n_tools, sizeof(*info->tools));
		tool = &info->tools[info->n_tools++];
		tool->name = str_of(name);
		tool->description = str_of(Pa_jnode_get(t, "description"));
		tool->schema = NULL;
		schema = Pa_jnode_get(t, "inputSchema");
		if (schema) {
			pa_buf b = PA_BUF_INIT;
			Pa_jnode_write(&b, schema);
			tool->schema = pa_buf_detach(&b, NULL);
		}
	}
	return str_of(Pa_jnode_get(result, "nextCursor"));
}

pa_status Pa_mcp_query(const Pa_run_spec *spec, Pa_mcp_info *info, pa_error *err)
{
	static const char init[] =
		"{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
		"\"clientInfo\":{\"name\":\"promptasm\",\"version\":\"" PA_VERSION "\"}}";
	static const char initialized[] =
		"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";
	Pa_run_result res;
	Pa_proc *p;
	Pa_jnode *msg = NULL;
	const Pa_jnode *result, *caps;
	char *cursor = NULL;
	long id = 1;
	int pages, failed = 0;

	memset(info, 0, sizeof(*info));
	Pa_error_clear(err);
	Pa_proc_start(spec, &p, &res);
	if (!p) {
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(&res, spec, &why);
		Pa_error_set(err, PA_ERR_IO, "", 0, 0, "%s", why.ptr);
		pa_buf_release(&why);
		Pa_run_result_release(&res);
		return PA_ERR_IO;
	}
	if (call(p, id++, "initialize", init, &msg, &result, err) < 0) {
		failed = 1;
	} else {
		info->instructions = str_of(Pa_jnode_get(result, "instructions"));
		caps = Pa_jnode_get(result, "capabilities");
		if (Pa_proc_send(p, initialized, sizeof(initialized) - 1) < 0)
			failed = 1;
		else if (caps && Pa_jnode_get(caps, "tools"))
			for (pages = 0; pages < PA_MCP_MAX_PAGES; pages++) {
				pa_buf params = PA_BUF_INIT;
				Pa_jnode_free(msg);
				msg = NULL;
				if (cursor) {
					pa_buf_puts(&params, "{\"cursor\":");
					Pa_json_string(&params, cursor, strlen(cursor));
					pa_buf_putc(&params, '}');
					free(cursor);
					cursor = NULL;
				}
				if (call(p, id++, "tools/list", params.len ? params.ptr : NULL,
				         &msg, &result, err) < 0) {
					failed = 1;
					pa_buf_release(&params);
					break;
				}
				pa_buf_release(&params);
				cursor = add_tools(result, info);
				if (!cursor)
					break;
			}
	}
	free(cursor);
	Pa_jnode_free(msg);
	Pa_proc_finish(p, &res);
	if (failed && (res.end == PA_RUN_TIMED_OUT || res.end == PA_RUN_FLOODED ||
	               res.end == PA_RUN_BUDGET_TIME || res.end == PA_RUN_BUDGET_OUTPUT)) {
		/* Say why it stopped, not only what was missing. */
		pa_buf why = PA_BUF_INIT;
		Pa_run_describe(&res, spec, &why);
		Pa_error_set(err, PA_ERR_IO, "", 0, 0, "%s", why.ptr);
		pa_buf_release(&why);
	} else if (failed) {
		pa_buf why = PA_BUF_INIT;
		pa_buf_printf(&why, "%s (", err->message);
		Pa_run_describe(&res, spec, &why);
		pa_buf_putc(&why, ')');
		Pa_error_set(err, PA_ERR_IO, "", 0, 0, "%s", why.ptr);
		pa_buf_release(&why);
	}
	Pa_run_result_release(&res);
	if (failed) {
		Pa_mcp_info_release(info);
		return err->status ? err->status : PA_ERR_IO;
	}
	return PA_OK;
}

void Pa_mcp_info_release(Pa_mcp_info *info)
{
	size_t i;

	if (!info)
		return;
	for (i = 0; i < info->n_tools; i++) {
		free(info->tools[i].name);
		free(info->tools[i].description);
		free(info->tools[i].schema);
	}
	free(info->tools);
	free(info->instructions);
	memset(info, 0, sizeof(*info));
}
