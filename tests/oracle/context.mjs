// context.mjs - the oracle of the main session: runs the real Claude Code
// on each fixture of tests/oracle/context/fixtures/ against a recorder
// on 127.0.0.1 and writes what its first request held, part by part, as
// derived data only (token counts, names, paths relative to the
// fixture), to tests/oracle/context/results/NAME.json (or ORACLE_RESULTS's
// folder).  Never Claude Code's wording.  `promptasm context` is checked
// against the results offline (tests/suites/run-context.sh).
//
//   node tests/oracle/context.mjs CLAUDE [FIXTURE...]
//
// A fixture is a text file in unpack.sh's format; its header lines:
//   cwd: DIR          where Claude Code starts (default proj)
//   env: K=V          an environment variable; $W is the fixture's root
//   claude-args: ...  more arguments
//   git: no           proj/ is not made a git repository
//   after-commit: CMD a shell command run in proj/ after its commit (to
//                     leave files modified or untracked)
//   worktree: DIR     a linked worktree of proj is added at DIR (start
//                     there with cwd: DIR)
//   managed: yes      the fixture's managed/ is copied to
//                     /etc/claude-code for the run (the managed policy:
//                     managed-settings.json, managed-settings.d/)
// and for tests/suites/run-context.sh only: model: NAME (promptasm context -m
// NAME, beside claude-args: --model NAME), expect-note: RE (promptasm
// says it does not model this), lower-bound: PART... (parts counted
// only in part without --trust)
//   corpus: DIR       every file of DIR (relative to this directory) is
//                     copied to proj/.claude/agents/ (the real agent files
//                     of ../shared/corpus)
// The parts, as `/context` shows them:
//   system       the system blocks (less auto memory, counted in memory)
//   tools        each tool's JSON, as sent (less MCP tools)
//   mcp          the tools of MCP servers (mcp__*), their names in the
//                deferred tools list, and their instructions
//   memory       the instruction files' reminder, one item per file, and
//                the auto memory's MEMORY.md text in the system prompt
//   agents       the agents listing: its header, one line per agent, the
//                sentence after it
//   skills       the skills listing: its header, one entry per skill
//   environment  the rest: environment, git status, attribution,
//                deferred tools, date
// The user's prompt is not counted.  The total is counted block by block
// (each system block, each message block, each tool's JSON), and the
// environment is the total less the other parts, so that the parts add
// up to it.  The results also keep what `/context` (run once per model
// with `-p /context`) gives as the model's window and autocompact
// reserve, in results/models.json.  Dev-time only.
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { MANAGED, withManaged } from './managed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const { get_encoding } = require('tiktoken');
const claudeTok = require('@anthropic-ai/tokenizer');

const BASE = '/tmp/promptasm-oracle';
const PREFIX = 'ctx-';
const DIR = path.join(here, 'context');
const PROMPT = 'ORACLE-CONTEXT-PROMPT';
const TOKENIZERS = ['o200k_base', 'cl100k_base', 'claude'];
const MARKER = /MK_[A-Za-z0-9_]+/g;
const encoders = {
	cl100k_base: get_encoding('cl100k_base'),
	o200k_base: get_encoding('o200k_base'),
};
function count(tk, text) {
	if (!text) return 0;
	if (tk === 'claude') return claudeTok.countTokens(text);
	return encoders[tk].encode(text, 'all').length;
}

function readHeader(file) {
	const head = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		if (line.startsWith('===')) break;
		const m = /^([a-z-]+):\s*(.*)$/.exec(line);
		if (m) (head[m[1]] ||= []).push(m[2]);
	}
	return head;
}

function sh(cmd, args, opts = {}) {
	return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

// The fixture's tree at dir; proj/ a git repository with one commit of
// fixed date and author (so a fixed hash), unless `git: no`.
function unpack(fixture, head, dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	sh('sh', [path.join(here, 'unpack.sh'), fixture, dir]);
	if (head.corpus)
		fs.cpSync(path.resolve(here, head.corpus[0]), path.join(dir, 'proj/.claude/agents'),
			{ recursive: true });
	if ((head.git || [])[0] === 'no') return;
	const env = {
		...process.env, GIT_AUTHOR_NAME: 'oracle', GIT_AUTHOR_EMAIL: 'oracle@localhost',
		GIT_COMMITTER_NAME: 'oracle', GIT_COMMITTER_EMAIL: 'oracle@localhost',
		GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
	};
	const proj = path.join(dir, 'proj');
	sh('git', ['init', '-q', '-b', 'main', proj], { env });
	sh('git', ['-C', proj, 'add', '-A'], { env });
	sh('git', ['-C', proj, 'commit', '-q', '--allow-empty', '-m', 'fixture'], { env });
	for (const c of head['after-commit'] || []) sh('sh', ['-c', c], { cwd: proj, env });
	// `worktree: DIR`: a linked worktree of proj at DIR (on branch wt).
	const wt = (readHeader(fixture).worktree || [])[0];
	if (wt) sh('git', ['-C', proj, 'worktree', 'add', '-q', '-b', 'wt', path.join(dir, wt)], { env });
}

function sse(res, model) {
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	const events = [
		{ type: 'message_start', message: { id: 'msg_oracle', type: 'message', role: 'assistant',
			model, content: [], stop_reason: null, stop_sequence: null,
			usage: { input_tokens: 1, output_tokens: 1 } } },
		{ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
		{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
		{ type: 'content_block_stop', index: 0 },
		{ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null },
			usage: { output_tokens: 1 } },
		{ type: 'message_stop' },
	];
	for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
	res.end();
}

// Runs Claude Code in dir with args against a recorder answering every
// request with a short end_turn; returns the requests and the output.
function record(claude, dir, head, args) {
	return new Promise((resolve) => {
		const requests = [];
		const server = http.createServer((req, res) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				let body = null;
				try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { body = null; }
				requests.push({ method: req.method, url: req.url, body });
				if (req.method === 'POST' && /^\/v1\/messages(\?|$)/.test(req.url) && body) {
					if (body.stream) return sse(res, body.model || 'claude');
					res.writeHead(200, { 'content-type': 'application/json' });
					return res.end(JSON.stringify({ id: 'msg_oracle', type: 'message', role: 'assistant',
						model: body.model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn',
						stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }));
				}
				if (/^\/v1\/messages\/count_tokens/.test(req.url)) {
					res.writeHead(200, { 'content-type': 'application/json' });
					return res.end('{"input_tokens":1}');
				}
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end('{}');
			});
		});
		server.listen(0, '127.0.0.1', () => {
			const env = {
				PATH: '/usr/bin:/bin', HOME: path.join(dir, 'home'), LANG: 'C.UTF-8', SHELL: '/bin/bash',
				ANTHROPIC_BASE_URL: `http://127.0.0.1:${server.address().port}`,
				ANTHROPIC_API_KEY: 'sk-oracle',
				CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1',
			};
			for (const e of head.env || []) {
				const [k, ...v] = e.split('=');
				env[k] = v.join('=').replaceAll('$W', dir);
			}
			const cwd = path.join(dir, (head.cwd || ['proj'])[0]);
			const extra = (head['claude-args'] || [''])[0].split(' ').filter(Boolean)
				.map((a) => a.replaceAll('$W', dir));
			const child = spawn(claude, [...args, ...extra], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
			let out = '';
			child.stdout.on('data', (d) => { out += d; });
			child.stderr.on('data', () => {});
			const timer = setTimeout(() => child.kill(), 180000);
			child.on('exit', () => {
				clearTimeout(timer);
				server.close();
				resolve({ requests, out });
			});
		});
	});
}

function blockText(c) {
	return typeof c === 'string' ? c : (c.text || '');
}

// The main session's first request: the first streamed one whose last
// user block is our prompt.
function firstRequest(requests) {
	return requests.find((r) => r.body?.stream && JSON.stringify(r.body.messages || []).includes(PROMPT));
}

// Where each marker of the fixture is written, and the fixture's marker
// lines.
function markerFiles(dir) {
	const map = {};
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.name === '.git' || (d === path.join(dir, 'proj/.claude') && e.name === 'agents' &&
				fs.readdirSync(p).length > 100)) continue;
			if (e.isDirectory()) walk(p);
			else if (e.isFile())
				for (const m of fs.readFileSync(p, 'utf8').match(MARKER) || []) map[m] ||= path.relative(dir, p);
		}
	};
	walk(dir);
	return map;
}

// A block's text without the reminder tags around it (the layout that
// sends the environment in the first message) and the newlines after it.
function unwrap(text) {
	return text.replace(/^<system-reminder>\n/, '').replace(/\n+$/, '')
		.replace(/\n<\/system-reminder>$/, '').replace(/\n+$/, '');
}

// The entries of a listing: each starts at a line `- NAME: `; a
// description may run over several lines.  With bare, a line `- NAME`
// alone is an entry too (a skill listed by its name only).
function entries(text, last, bare) {
	const out = [];
	const starts = [...text.matchAll(bare ? /^- ([^\n]+?)(?:: |$)/gm : /^- ([^\n]+?): /gm)];
	starts.forEach((m, i) => {
		let end = i + 1 < starts.length ? starts[i + 1].index : text.length;
		if (last) {
			last.lastIndex = m.index;
			const e = last.exec(text);
			if (e && e.index + e[0].length < end) end = e.index + e[0].length;
		}
		out.push({ name: m[1], text: unwrap(text.slice(m.index, end)) });
	});
	return out;
}

// The environment message split into paragraphs, each classified:
// agents (the paragraph holding `(Tools: ` entries, with the paragraph
// after it), skills (the paragraph of `- NAME: ` entries that is not the
// agents', with the paragraph before it, its header), else environment.
function splitEnvironment(text) {
	const paras = text.split('\n\n');
	const kinds = paras.map(() => 'environment');
	const isAgents = (p) => /^- [^\n]*?: [\s\S]*? \(Tools: [^)\n]*\)$/m.test(p) && /^[^-]/.test(p);
	paras.forEach((p, i) => {
		if (isAgents(p)) {
			kinds[i] = 'agents';
			if (i + 1 < paras.length && !/^- /.test(paras[i + 1])) kinds[i + 1] = 'agents';
		}
	});
	paras.forEach((p, i) => {
		if (kinds[i] === 'environment' && /^- [^\n]+?: /.test(p) && i > 0) {
			kinds[i] = 'skills';
			kinds[i - 1] = 'skills';
		}
	});
	// The MCP servers' instructions: a `# ` heading naming MCP, and the
	// paragraphs after it up to the next listing.
	let mcp = false;
	paras.forEach((p, i) => {
		if (kinds[i] !== 'environment') mcp = false;
		else if (/^(<system-reminder>\n)?# [^\n]*\bMCP\b/.test(p)) mcp = true;
		if (mcp) kinds[i] = 'mcp';
	});
	return paras.map((p, i) => ({ kind: kinds[i], text: p }));
}

function derive(req, dir) {
	const body = req.body;
	const files = markerFiles(dir);
	const rel = (p) => path.relative(dir, p);
	const result = { model: body.model, tools: [], deferred: [], agents: [], skills: [], memory: [] };
	const sys = body.system.map((b) => b.text);
	const msgs = body.messages.flatMap((m, mi) =>
		(typeof m.content === 'string' ? [m.content] : m.content.map(blockText))
			.map((text) => ({ mi, role: m.role, text })))
		.filter((b) => !b.text.includes(PROMPT));
	// The instruction files' reminder: a block naming a fixture file
	// ("Contents of /tmp/...: (...)").
	// The managed policy's files (/etc/claude-code/) are named as the
	// fixture's managed/.
	const instr = msgs.filter((b) => b.mi === 0 && b.text.includes(`Contents of ${dir}/`));
	const instrFiles = [];
	const esc = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	for (const b of instr) {
		const starts = [...b.text.matchAll(new RegExp(`^Contents of ((?:${esc(dir)}|${esc(MANAGED)})/[^\\s]+) \\(`, 'gm'))];
		starts.forEach((m, i) => {
			const end = i + 1 < starts.length ? starts[i + 1].index : b.text.lastIndexOf('\n</');
			const p = m[1].startsWith(MANAGED + '/') ? 'managed' + m[1].slice(MANAGED.length) : rel(m[1]);
			instrFiles.push({ path: p, text: b.text.slice(m.index, end).replace(/\n+$/, '') });
		});
	}
	// Auto memory: the lines of the system prompt holding a marker of a
	// file under home/.claude/projects/.
	const autoLines = [];
	for (const t of sys)
		for (const line of t.split('\n'))
			if ((line.match(MARKER) || []).some((m) => (files[m] || '').includes('/.claude/projects/')))
				autoLines.push(line);
	// The environment, the agents and skills listings: in a message of
	// their own after the prompt, or (the layout of some models, e.g.
	// claude-sonnet-4-5) each a reminder of the first message, the
	// environment's first.
	const reminders = msgs.some((b) => b.mi === 0 && /^<system-reminder>\n# Environment\n/.test(b.text));
	const envMsgs = msgs.filter((b) => b.role === 'system' || b.mi > 0 ||
		(reminders && !instr.includes(b)));
	const paras = envMsgs.flatMap((b) => splitEnvironment(b.text));
	const agentsText = paras.filter((p) => p.kind === 'agents').map((p) => p.text).join('\n\n');
	const skillsText = paras.filter((p) => p.kind === 'skills').map((p) => p.text).join('\n\n');
	const mcpText = paras.filter((p) => p.kind === 'mcp').map((p) => p.text).join('\n\n');
	const agentEntries = entries(agentsText, / \(Tools: [^)\n]*\)$/gm);
	const skillEntries = entries(skillsText.slice(skillsText.indexOf('\n- ') + 1), null, true);
	const lines = (p) => unwrap(p.text).split('\n');
	const deferredPara = paras.find((p) => p.kind === 'environment' &&
		lines(p).length > 2 && lines(p).slice(1).every((l) => /^[A-Za-z0-9_]+$/.test(l)));
	const deferred = deferredPara ? lines(deferredPara).slice(1) : [];
	result.tools = (body.tools || []).map((t) => t.name);
	result.deferred = deferred;
	result.agents = agentEntries.map((e) => e.name);
	result.skills = skillEntries.map((e) => e.name);
	result.memory = instrFiles.map((f) => f.path);
	if (autoLines.length) result.memory.push('auto-memory');
	result.tokens = {};
	for (const tk of TOKENIZERS) {
		const t = { total: 0, parts: {} };
		let total = 0;
		for (const s of sys) total += count(tk, s);
		for (const b of msgs) total += count(tk, b.text);
		const tools = {};
		let toolsPart = 0;
		let mcp = 0;
		for (const tool of body.tools || []) {
			const n = count(tk, JSON.stringify(tool));
			total += n;
			if (tool.name.startsWith('mcp__')) mcp += n;
			else { tools[tool.name] = n; toolsPart += n; }
		}
		for (const d of deferred) if (d.startsWith('mcp__')) mcp += count(tk, d + '\n');
		mcp += count(tk, mcpText);
		const auto = autoLines.length ? count(tk, autoLines.join('\n')) : 0;
		const memory = instr.reduce((s, b) => s + count(tk, b.text), 0) + auto;
		const agents = count(tk, agentsText);
		const skills = count(tk, skillsText);
		const system = sys.reduce((s, x) => s + count(tk, x), 0) - auto;
		t.total = total;
		t.parts = { system, tools: toolsPart, mcp, agents, skills, memory,
			environment: total - system - toolsPart - mcp - agents - skills - memory };
		t.tools = tools;
		t.memory = instrFiles.map((f) => [f.path, count(tk, f.text)]);
		if (auto) t.memory.push(['auto-memory', auto]);
		t.agents = agentEntries.map((e) => [e.name, count(tk, e.text)]);
		t.skills = skillEntries.map((e) => [e.name, count(tk, e.text)]);
		result.tokens[tk] = t;
	}
	return result;
}

// One key a line, each value compact: small diffs when Claude Code changes.
function format(result) {
	const lines = Object.entries(result).map(([k, v]) => {
		if (k === 'tokens' && v)
			return `"tokens": {\n${Object.entries(v).map(([t, c]) =>
				`  ${JSON.stringify(t)}: {\n${Object.entries(c).map(([kk, vv]) =>
					`   ${JSON.stringify(kk)}: ${JSON.stringify(vv)}`).join(',\n')}\n  }`).join(',\n')}\n }`;
		return `${JSON.stringify(k)}: ${JSON.stringify(v)}`;
	});
	return `{\n ${lines.join(',\n ')}\n}\n`;
}

// `/context` of an empty project on model: its window and reserve
// ("N / WINDOW" and the autocompact buffer's row), as numbers.
async function windowOf(claude, model) {
	const dir = path.join(BASE, PREFIX + 'window');
	const head = { git: ['no'] };
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'proj'), { recursive: true });
	const { out } = await record(claude, dir, head, ['-p', '/context', '--model', model]);
	const num = (s) => {
		const m = /^([0-9.]+)([km]?)$/.exec(s);
		return m ? Math.round(Number(m[1]) * { '': 1, k: 1e3, m: 1e6 }[m[2]]) : null;
	};
	const w = /\/ ([0-9.]+[km]?) \(/.exec(out);
	const r = /\|[^|\n]*autocompact[^|\n]*\| ([0-9.]+[km]?) \|/i.exec(out);
	const id = /\*\*Model:\*\* (\S+)/.exec(out);
	return { model: model, id: id ? id[1] : null, window: w ? num(w[1]) : null, reserve: r ? num(r[1]) : w ? 0 : null };
}

async function main() {
	const [claude, ...names] = process.argv.slice(2);
	const version = sh(claude, ['--version'], { env: { PATH: '/usr/bin:/bin', HOME: '/tmp' } })
		.trim().split(' ')[0];
	if (names[0] === '--models') {
		const models = [];
		for (const m of names.slice(1)) models.push(await windowOf(claude, m));
		const out = { claude_code: version, models };
		fs.writeFileSync(path.join(DIR, 'results', 'models.json'), format(out));
		console.log(JSON.stringify(models));
		return;
	}
	const fixtures = names.length ? names :
		fs.readdirSync(path.join(DIR, 'fixtures')).filter((f) => f.endsWith('.txt'))
			.map((f) => f.slice(0, -4)).sort();
	// ORACLE_RESULTS: another folder (the drift check's, make
	// oracle-latest), so that a newer version's recordings leave these be.
	const results = process.env.ORACLE_RESULTS || path.join(DIR, 'results');
	fs.mkdirSync(results, { recursive: true });
	for (const name of fixtures) {
		const fixture = path.join(DIR, 'fixtures', name + '.txt');
		const head = readHeader(fixture);
		const dir = path.join(BASE, PREFIX + name);
		unpack(fixture, head, dir);
		// `managed: yes`: the fixture's managed/ is the managed policy
		// directory for the run.
		const { requests } = await withManaged(dir, head, () => record(claude, dir, head, ['-p', PROMPT]));
		const req = firstRequest(requests);
		if (!req) { console.log(`${name}: no request`); process.exitCode = 1; continue; }
		if (process.env.CONTEXT_DUMP) fs.writeFileSync(process.env.CONTEXT_DUMP, JSON.stringify(req.body));
		const result = { claude_code: version, fixture: name, ...derive(req, dir) };
		fs.writeFileSync(path.join(results, name + '.json'), format(result));
		console.log(`${name}: ${result.tokens.o200k_base.total} tokens, ${result.agents.length} agents, ` +
			`${result.skills.length} skills, ${result.memory.length} memory`);
	}
}

main();
