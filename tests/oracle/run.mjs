// run.mjs - the oracle: runs the real Claude Code on each fixture against
// recorder.mjs and writes what its subagent received, as derived data only
// (which markers arrived and where, token counts, names), to
// tests/oracle/results/NAME.json (or ORACLE_RESULTS's folder).  Never
// Claude Code's wording.
//
//   node tests/oracle/run.mjs CLAUDE [FIXTURE...]
//
// CLAUDE is the claude executable of the pinned @anthropic-ai/claude-code
// (make oracle installs it).  Fixtures are tests/oracle/fixtures/*.txt,
// unpacked by unpack.sh into a fixed directory so that paths, and so the
// counts, are the same on every run.  Dev-time only; make test reads the
// results offline (tests/suites/run-oracle.sh).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { withManaged } from './managed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const { get_encoding } = require('tiktoken');
const claudeTok = require('@anthropic-ai/tokenizer');

const MARKER = /MK_[A-Za-z0-9_]+/g;
const BASE = '/tmp/promptasm-oracle';
const encoders = {
	cl100k_base: get_encoding('cl100k_base'),
	o200k_base: get_encoding('o200k_base'),
};
function count(tokenizer, text) {
	if (!text) return 0;
	if (tokenizer === 'claude') return claudeTok.countTokens(text);
	return encoders[tokenizer].encode(text, 'all').length;
}
const TOKENIZERS = ['o200k_base', 'cl100k_base', 'claude'];

export function readHeader(file) {
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

// A fixture's tree, unpacked at BASE/NAME, proj/ made a git repository
// with one commit of fixed date and author, so that its hash is fixed
// (unless the fixture says `git: no`); `worktree: DIR` adds a linked
// worktree of it at DIR.
function unpack(fixture, dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	sh('sh', [path.join(here, 'unpack.sh'), fixture, dir]);
	if ((readHeader(fixture).git || [])[0] === 'no') return;
	const env = {
		...process.env, GIT_AUTHOR_NAME: 'oracle', GIT_AUTHOR_EMAIL: 'oracle@localhost',
		GIT_COMMITTER_NAME: 'oracle', GIT_COMMITTER_EMAIL: 'oracle@localhost',
		GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
	};
	const proj = path.join(dir, 'proj');
	sh('git', ['init', '-q', '-b', 'main', proj], { env });
	sh('git', ['-C', proj, 'add', '-A'], { env });
	sh('git', ['-C', proj, 'commit', '-q', '--allow-empty', '-m', 'fixture'], { env });
	// `worktree: DIR`: a linked worktree of proj at DIR (on branch wt).
	const wt = (readHeader(fixture).worktree || [])[0];
	if (wt) sh('git', ['-C', proj, 'worktree', 'add', '-q', '-b', 'wt', path.join(dir, wt)], { env });
}

async function record(claude, dir, head) {
	const log = path.join(dir, 'requests.jsonl');
	const portFile = path.join(dir, 'port');
	const agent = (head.agent || ['none'])[0];
	const read = head.read ? path.join(dir, head.read[0]) : '';
	const server = spawn(process.execPath, [path.join(here, 'recorder.mjs'), log, agent, portFile, read],
		{ stdio: 'inherit' });
	for (let i = 0; i < 100 && !fs.existsSync(portFile); i++)
		await new Promise((r) => setTimeout(r, 50));
	const port = fs.readFileSync(portFile, 'utf8');
	const env = {
		// SHELL: without it Claude Code names the first shell it finds
		// (zsh when installed), which the environment message counts.
		PATH: '/usr/bin:/bin', HOME: path.join(dir, 'home'), LANG: 'C.UTF-8', SHELL: '/bin/bash',
		ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`, ANTHROPIC_API_KEY: 'sk-oracle',
		CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1',
	};
	for (const e of head.env || []) {
		const [k, ...v] = e.split('=');
		env[k] = v.join('=').replaceAll('$W', dir);
	}
	const cwd = path.join(dir, (head.cwd || ['proj'])[0]);
	const args = ['-p', 'Delegate the task.', ...((head['claude-args'] || [''])[0].split(' ').filter(Boolean))];
	try {
		execFileSync(claude, args, { cwd, env, stdio: ['ignore', 'ignore', 'ignore'], timeout: 180000 });
	} catch (e) { /* the outcome is in the log */ }
	server.kill();
	if (!fs.existsSync(log)) return [];
	return fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function isSubagent(body) {
	return Array.isArray(body?.system) && /cc_is_subagent=true/.test(body.system[0]?.text || '');
}

function blockText(c) {
	return typeof c === 'string' ? c : (c.text || '');
}

// The subagent's context as a list of blocks: where each sits (system,
// user, environment, task) and its text.
function blocks(body) {
	const out = body.system.map((b, i) => ({ in: 'system', index: i, text: b.text }));
	body.messages.forEach((m, mi) => {
		const content = typeof m.content === 'string' ? [m.content] : m.content;
		content.forEach((c) => {
			const text = blockText(c);
			let where = mi === 0 ? 'user' : m.role === 'system' ? 'environment' : 'after-read';
			if (mi === 0 && text.includes('ORACLE-TASK')) where = 'task';
			out.push({ in: where, text });
		});
	});
	return out;
}

function ownText(text) {
	return text.split('\n').filter((l) => !l.match(MARKER)).join('\n');
}

// What kind of Claude Code text a block without our task is.
function part(block, markerFiles) {
	if (block.in === 'system') return 'system';
	if (block.in === 'environment') return 'environment';
	const files = (block.text.match(MARKER) || []).map((m) => markerFiles[m] || '');
	if (files.some((f) => f.includes('/skills/'))) return 'skills';
	if (files.length) return 'instructions';
	return 'context';
}

// The lines of a fixture file; of a settings file (.json), the lines of
// its strings too (the managed settings' claudeMd is sent as a file).
function fileLines(p) {
	const text = fs.readFileSync(p, 'utf8');
	const lines = text.split(/\r\n|\r|\n/);
	if (p.endsWith('.json')) {
		const strings = (v) => typeof v === 'string' ? [v] :
			v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
		try {
			for (const s of strings(JSON.parse(text.replace(/^\uFEFF/, ''))))
				lines.push(...s.split(/\r\n|\r|\n/));
		} catch { /* a settings file that does not parse */ }
	}
	return lines;
}

// Every marker of the fixture with the file it is written in, and every
// line of the fixture that carries a marker.
function fixtureText(dir) {
	const map = {};
	const lines = new Set();
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.name === '.git') continue;
			if (e.isDirectory()) walk(p);
			else if (e.isFile() && !p.endsWith('.jsonl'))
				for (const line of fileLines(p))
					for (const m of line.match(MARKER) || []) {
						map[m] ||= path.relative(dir, p);
						lines.add(line.trim());
						// A NUL Claude Code drops (agent memory).
						lines.add(line.replaceAll('\0', '').trim());
						// A line with its HTML comments removed, as
						// Claude Code sends a line that starts with one.
						lines.add(line.replace(/<!--[\s\S]*?-->/g, '').trim());
						// The line that closes a comment begun above.
						if (line.includes('-->'))
							lines.add(line.slice(line.indexOf('-->') + 3)
								.replace(/<!--[\s\S]*?-->/g, '').trim());
					}
		}
	};
	walk(dir);
	return { files: map, lines };
}

// The agents a main session lists: "- NAME: DESCRIPTION (Tools: ...)",
// a description may run over several lines, the tools may hold
// parentheses (`Bash(rm:*)`).
function listed(requests) {
	const main = requests.find((r) => r.body?.stream && !isSubagent(r.body) &&
		(r.body.tools || []).some((t) => t.name === 'Agent'));
	const out = [];
	if (!main) return out;
	for (const text of main.body.messages.flatMap((m) =>
		typeof m.content === 'string' ? [m.content] : m.content.map(blockText)))
		for (const m of text.matchAll(/^- ([^\n]*?): ([\s\S]*?) \(Tools: [^\n]*\)$/gm))
			out.push([m[1], m[2]]);
	return out;
}

// A fixture with `corpus: DIR` loads every file of DIR (the real agent
// files of tests/corpus/agents) as proj/.claude/agents/: the result keeps
// the number of agents listed and, per name, a hash of the description
// (the first 12 hex digits of its SHA-256), not the text.  Built-in agents (listed with no agents) are left
// out.
async function corpus(claude, fixture, head, name) {
	const dir = path.join(BASE, name);
	unpack(fixture, dir);
	const key = (a) => `${a[0]}\t${a[1]}`;
	const builtin = new Set(listed(await record(claude, dir, head)).map(key));
	fs.rmSync(path.join(dir, 'requests.jsonl'), { force: true });
	fs.rmSync(path.join(dir, 'port'), { force: true });
	fs.cpSync(path.resolve(here, head.corpus[0]), path.join(dir, 'proj/.claude/agents'),
		{ recursive: true });
	const agents = listed(await record(claude, dir, head)).filter((a) => !builtin.has(key(a)));
	const { createHash } = await import('node:crypto');
	const hashes = {};
	for (const [n, d] of agents.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
		hashes[n] = createHash('sha256').update(d).digest('hex').slice(0, 12);
	return { agents_listed: agents.length, agents: hashes };
}

function derive(requests, dir) {
	const main = requests.find((r) => r.body?.stream && !isSubagent(r.body) &&
		(r.body.tools || []).some((t) => t.name === 'Agent'));
	const subs = requests.filter((r) => isSubagent(r.body));
	const sub = subs[0];
	const last = subs[subs.length - 1];
	const result = { agents: [], delegated: Boolean(sub) };
	if (main)
		result.agents = listed(requests).filter((a) => a[1].includes('MK_'));
	if (!sub) return result;
	const { files, lines } = fixtureText(dir);
	const bl = blocks(sub.body);
	result.model = sub.body.model;
	// A marker arrived when a line of a fixture file arrived whole (Claude
	// Code also quotes the first line it cut from MEMORY.md); a line ends
	// at LF, CR LF or a lone CR on both sides.
	// In the environment, a hook's text follows a label of Claude Code's
	// ("...: TEXT"): the line arrived when what follows the label did.
	// Not an item of its lists ("- NAME: DESCRIPTION"): a skill whose
	// front matter failed is listed with its first line of text, which
	// Claude Code's listing, not the fixture, sent there.
	result.markers = [];
	for (const b of blocks(last.body))
		for (const line of b.text.split(/\r\n|\r|\n/)) {
			const t = line.trim();
			const label = t.startsWith('- ') ? -1 : t.indexOf(': ');
			if (lines.has(t) || (b.in === 'environment' && label >= 0 &&
			    lines.has(t.slice(label + 2))))
				for (const m of line.match(MARKER) || [])
					result.markers.push(`${b.in} ${m}`);
		}
	// What of the fixture's carriage returns and byte order marks arrived
	// (counted in the subagent's blocks; absent when none did).
	const bytes = { cr: 0, bom: 0 };
	for (const b of blocks(last.body)) {
		bytes.cr += (b.text.match(/\r/g) || []).length;
		bytes.bom += (b.text.match(/\uFEFF/g) || []).length;
	}
	if (bytes.cr || bytes.bom) result.bytes = bytes;
	result.tools = (sub.body.tools || []).map((t) => t.name);
	result.tokens = {};
	for (const tk of TOKENIZERS) {
		const parts = { system: 0, instructions: 0, skills: 0, context: 0, environment: 0, tools: 0 };
		let total = 0;
		const headers = [];
		for (const b of bl) {
			if (b.in === 'task') continue;
			const all = count(tk, b.text);
			const own = count(tk, ownText(b.text));
			total += all;
			parts[part(b, files)] += own;
			for (const line of ownText(b.text).split('\n')) {
				const i = line.indexOf(dir + '/');
				if (i < 0 || b.in === 'environment') continue;
				const p = line.slice(i).split(/[\s)]/)[0].replace(/[:,]$/, '');
				headers.push([path.relative(dir, p), count(tk, line) - count(tk, p)]);
			}
		}
		const tools = {};
		for (const t of sub.body.tools || []) {
			tools[t.name] = count(tk, JSON.stringify(t));
			total += tools[t.name];
			parts.tools += tools[t.name];
		}
		result.tokens[tk] = { total, fixture: total - Object.values(parts).reduce((a, b) => a + b, 0),
			parts, headers, tools };
	}
	return result;
}

// One key a line, each value compact: small diffs when Claude Code changes.
function format(result) {
	const lines = Object.entries(result).map(([k, v]) => {
		if (k === 'tokens' && v)
			return `"tokens": {\n${Object.entries(v).map(([t, c]) =>
				`  ${JSON.stringify(t)}: ${JSON.stringify(c)}`).join(',\n')}\n }`;
		return `${JSON.stringify(k)}: ${JSON.stringify(v)}`;
	});
	return `{\n ${lines.join(',\n ')}\n}\n`;
}

async function main() {
	const [claude, ...names] = process.argv.slice(2);
	const version = sh(claude, ['--version'], { env: { PATH: '/usr/bin:/bin', HOME: '/tmp' } })
		.trim().split(' ')[0];
	const fixtures = names.length ? names :
		fs.readdirSync(path.join(here, 'fixtures')).filter((f) => f.endsWith('.txt'))
			.map((f) => f.slice(0, -4)).sort();
	// ORACLE_RESULTS: another folder (the drift check's, make
	// oracle-latest), so that a newer version's recordings leave these be.
	const results = process.env.ORACLE_RESULTS || path.join(here, 'results');
	fs.mkdirSync(results, { recursive: true });
	for (const name of fixtures) {
		const fixture = path.join(here, 'fixtures', name + '.txt');
		const head = readHeader(fixture);
		const dir = path.join(BASE, name);
		unpack(fixture, dir);
		if (head.corpus) {
			const result = { claude_code: version, fixture: name,
				...(await corpus(claude, fixture, head, name)) };
			fs.writeFileSync(path.join(results, name + '.json'), format(result));
			console.log(`${name}: ${result.agents_listed} agents`);
			continue;
		}
		const requests = await withManaged(dir, head, () => record(claude, dir, head));
		const result = { claude_code: version, fixture: name, ...derive(requests, dir) };
		fs.writeFileSync(path.join(results, name + '.json'), format(result));
		console.log(`${name}: ${result.delegated ? result.markers.length + ' markers' : 'no subagent'}`);
	}
}

main();
