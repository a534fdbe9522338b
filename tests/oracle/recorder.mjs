// recorder.mjs - a stand-in for the Anthropic API on 127.0.0.1 that
// records every request Claude Code makes, for the oracle (run.mjs).
//
// The main session's first streamed request is answered with a call of
// the Agent tool (subagent_type from AGENT), so that Claude Code starts
// the subagent we measure; every other request gets a short end_turn
// text.  Requests are appended to LOG as JSON lines.  Dev-time only.
//
//   node recorder.mjs LOG AGENT PORTFILE [READ]
import http from 'node:http';
import fs from 'node:fs';

const [, , log, agentName, portFile, readPath] = process.argv;
let delegated = false;
let readDone = false;

function sse(res, events) {
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	for (const e of events)
		res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
	res.end();
}

function message(model, content, stop) {
	return {
		id: 'msg_oracle', type: 'message', role: 'assistant', model,
		content, stop_reason: stop, stop_sequence: null,
		usage: { input_tokens: 1, output_tokens: 1 },
	};
}

function isSubagent(body) {
	const sys = Array.isArray(body.system) ? body.system : [];
	return sys.length > 0 && /cc_is_subagent=true/.test(sys[0].text || '');
}

function answer(body, res) {
	const model = body.model || 'claude';
	const delegate = body.stream && !delegated && !isSubagent(body) &&
		Array.isArray(body.tools) && body.tools.some((t) => t.name === 'Agent');
	if (delegate) {
		delegated = true;
		const input = JSON.stringify({
			subagent_type: agentName,
			description: 'oracle task',
			prompt: 'ORACLE-TASK-MARKER',
		});
		return sse(res, [
			{ type: 'message_start', message: message(model, [], null) },
			{ type: 'content_block_start', index: 0,
			  content_block: { type: 'tool_use', id: 'toolu_oracle', name: 'Agent', input: {} } },
			{ type: 'content_block_delta', index: 0,
			  delta: { type: 'input_json_delta', partial_json: input } },
			{ type: 'content_block_stop', index: 0 },
			{ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null },
			  usage: { output_tokens: 1 } },
			{ type: 'message_stop' },
		]);
	}
	// With a READ path, the subagent first reads that file, so that the
	// rules whose paths match it are attached to its next request.
	if (body.stream && isSubagent(body) && readPath && !readDone) {
		readDone = true;
		return sse(res, [
			{ type: 'message_start', message: message(model, [], null) },
			{ type: 'content_block_start', index: 0,
			  content_block: { type: 'tool_use', id: 'toolu_read', name: 'Read', input: {} } },
			{ type: 'content_block_delta', index: 0,
			  delta: { type: 'input_json_delta', partial_json: JSON.stringify({ file_path: readPath }) } },
			{ type: 'content_block_stop', index: 0 },
			{ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null },
			  usage: { output_tokens: 1 } },
			{ type: 'message_stop' },
		]);
	}
	if (!body.stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		return res.end(JSON.stringify(message(model, [{ type: 'text', text: 'ok' }], 'end_turn')));
	}
	return sse(res, [
		{ type: 'message_start', message: message(model, [], null) },
		{ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
		{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
		{ type: 'content_block_stop', index: 0 },
		{ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null },
		  usage: { output_tokens: 1 } },
		{ type: 'message_stop' },
	]);
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const raw = Buffer.concat(chunks).toString('utf8');
		let body = null;
		try { body = raw ? JSON.parse(raw) : null; } catch { body = null; }
		fs.appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, body }) + '\n');
		if (req.method === 'POST' && /^\/v1\/messages(\?|$)/.test(req.url) && body)
			return answer(body, res);
		if (req.method === 'POST' && /^\/v1\/messages\/count_tokens/.test(req.url)) {
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end('{"input_tokens":1}');
		}
		res.writeHead(404, { 'content-type': 'application/json' });
		res.end('{"type":"error","error":{"type":"not_found_error","message":"not here"}}');
	});
});
server.listen(0, '127.0.0.1', () => {
	fs.writeFileSync(portFile, String(server.address().port));
});
