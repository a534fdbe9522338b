// recorder.mjs - a stand-in on 127.0.0.1 for the three wire formats the
// other agent CLIs speak: OpenAI Responses (Codex), Chat Completions
// (Copilot CLI, opencode) and Gemini's generateContent (Gemini CLI).  It
// records every request, appended to LOG as JSON lines, and answers each
// with a short final text, so that the CLI ends after its first turn.
// The structure is tests/oracle/recorder.mjs's.  Dev-time only: the log
// stays in /tmp, run.mjs keeps only derived data from it.
//
//   node recorder.mjs LOG PORTFILE
import http from 'node:http';
import fs from 'node:fs';

const [, , log, portFile] = process.argv;

function sse(res, events, named) {
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	for (const e of events)
		res.write((named ? `event: ${e.type}\n` : '') + `data: ${JSON.stringify(e)}\n\n`);
	res.end();
}

function json(res, value, status = 200) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(value));
}

const usage = {
	input_tokens: 1, input_tokens_details: { cached_tokens: 0 },
	output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2,
};

// OpenAI Responses, streamed as Codex reads it.
function responses(body, res) {
	const item = {
		type: 'message', role: 'assistant', id: 'msg_oracle', status: 'completed',
		content: [{ type: 'output_text', text: 'ok', annotations: [] }],
	};
	const resp = { id: 'resp_oracle', object: 'response', model: body.model, output: [], usage };
	if (!body.stream)
		return json(res, { ...resp, status: 'completed', output: [item] });
	return sse(res, [
		{ type: 'response.created', response: { ...resp, status: 'in_progress' } },
		{ type: 'response.output_item.added', output_index: 0, item: { ...item, content: [] } },
		{ type: 'response.output_text.delta', output_index: 0, content_index: 0, item_id: 'msg_oracle', delta: 'ok' },
		{ type: 'response.output_item.done', output_index: 0, item },
		{ type: 'response.completed', response: { ...resp, status: 'completed', output: [item] } },
	], true);
}

// Chat Completions, streamed or not.
function chat(body, res) {
	const base = { id: 'chatcmpl-oracle', object: 'chat.completion.chunk', created: 1767225600, model: body.model };
	const u = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
	if (!body.stream)
		return json(res, {
			...base, object: 'chat.completion',
			choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
			usage: u,
		});
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }] })}\n\n`);
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: u })}\n\n`);
	res.write('data: [DONE]\n\n');
	res.end();
}

// A JSON value that fits a response schema (the routing model's answer).
function fit(schema) {
	if (!schema || typeof schema !== 'object') return 'ok';
	const t = String(schema.type || '').toLowerCase();
	if (schema.enum) return schema.enum[0];
	if (t === 'object' || schema.properties) {
		const o = {};
		for (const [k, v] of Object.entries(schema.properties || {})) o[k] = fit(v);
		return o;
	}
	if (t === 'array') return [];
	if (t === 'boolean') return false;
	if (t === 'number' || t === 'integer') return schema.minimum ?? 1;
	return 'ok';
}

// Gemini's generateContent and streamGenerateContent.
function gemini(body, url, res) {
	const cfg = body.generationConfig || body.generation_config || {};
	const schema = cfg.responseJsonSchema || cfg.responseSchema || cfg.response_schema;
	const text = schema ? JSON.stringify(fit(schema)) : 'ok';
	const answer = {
		candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
		usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
		modelVersion: 'oracle',
	};
	if (/:streamGenerateContent/.test(url))
		return sse(res, [answer], false);
	if (/:countTokens/.test(url))
		return json(res, { totalTokens: 1 });
	return json(res, answer);
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const raw = Buffer.concat(chunks).toString('utf8');
		let body = null;
		try { body = raw ? JSON.parse(raw) : null; } catch { body = null; }
		fs.appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, body }) + '\n');
		if (req.method === 'POST' && body && /\/responses(\?|$)/.test(req.url))
			return responses(body, res);
		if (req.method === 'POST' && body && /\/chat\/completions(\?|$)/.test(req.url))
			return chat(body, res);
		if (req.method === 'POST' && body && /\/models\/[^/]+:[A-Za-z]+/.test(req.url))
			return gemini(body, req.url, res);
		if (req.method === 'GET' && /\/models(\?|$)/.test(req.url))
			return json(res, { object: 'list', data: [] });
		json(res, { error: { message: 'not here', type: 'not_found' } }, 404);
	});
});
server.listen(0, '127.0.0.1', () => {
	fs.writeFileSync(portFile + '.tmp', String(server.address().port));
	fs.renameSync(portFile + '.tmp', portFile);
});
