// gen-context.mjs - writes src/compose/main_session.inc, the figures
// `promptasm context` estimates Claude Code's own part of a main session
// with, from what tests/oracle/context.mjs measured
// (tests/oracle/context/results/*.json).
//
//   node tests/oracle/gen-context.mjs            writes the .inc
//   node tests/oracle/gen-context.mjs --check    fails when it is stale
//
// Needs node, git and a built promptasm ($PROMPTASM, else ./promptasm):
// what promptasm builds from the project at run time (paths, git values,
// instruction files' text) is counted here for the fixtures with the
// same tokenizers and taken out of the measured parts.  No npm package.
//
// The model, per tokenizer:
//   system        fixture empty's system part less its memory directory
//   autoFrame     what auto memory adds to the system prompt beyond its
//                 lines (fixture auto-memory)
//   tools         each tool's JSON (fixture empty)
//   agents        each built-in agent's line, and the frame of the listing
//                 (its part less the lines)
//   skills        each built-in skill's entry, and the frame likewise
//   environment   with git: empty's less the working directory, the
//                 branch names and the commit line; without: no-git's
//                 less the working directory; in a linked worktree:
//                 what fixture worktree adds to empty's
//   wrapper       around the instruction files (the memory part less its
//                 items); headers: an item less its path and text, by
//                 kind (the most common figure of all fixtures)
//   models        per model (fixtures model-*, against model-default):
//                 what system and environment differ by; the models of
//                 another layout apart
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const OUT = path.join(root, 'src', 'compose', 'main_session.inc');
const DIR = path.join(here, 'context');
const TOKENIZERS = ['o200k_base', 'cl100k_base', 'claude'];
const src = fs.readFileSync(path.join(here, 'context.mjs'), 'utf8');
const BASE = /const BASE = '([^']+)'/.exec(src)[1];
const PREFIX = /const PREFIX = '([^']+)'/.exec(src)[1];
const promptasm = process.env.PROMPTASM || path.join(root, 'promptasm');
const tokDir = process.env.PROMPTASM_TOKENIZERS || path.join(root, 'tokenizers');

const cache = new Map();
function count(tk, text) {
	if (!text) return 0;
	const key = `${tk}\0${text}`;
	if (!cache.has(key)) {
		const out = execFileSync(promptasm, ['count', '-q', '-t', tk], {
			input: text, encoding: 'utf8',
			env: { ...process.env, PROMPTASM_TOKENIZERS: tokDir },
		});
		cache.set(key, Number(out.trim()));
	}
	return cache.get(key);
}

function fail(msg) {
	console.error(`gen-context: ${msg}`);
	process.exit(1);
}

const results = {};
for (const f of fs.readdirSync(path.join(DIR, 'results')).filter((f) => f.endsWith('.json')).sort()) {
	const r = JSON.parse(fs.readFileSync(path.join(DIR, 'results', f), 'utf8'));
	if (r.fixture) results[r.fixture] = r;
}
const models = JSON.parse(fs.readFileSync(path.join(DIR, 'results', 'models.json'), 'utf8'));
function result(name) {
	if (!results[name]) fail(`context/results/${name}.json is missing`);
	return results[name];
}
const version = result('empty').claude_code;
for (const r of [...Object.values(results), models])
	if (r.claude_code !== version) fail(`a result is of Claude Code ${r.claude_code}, empty.json of ${version}`);

// The files of a fixture, path -> text, as unpack.sh writes them.
function files(name) {
	const out = {};
	let cur = null;
	let gen = 0;
	for (const line of fs.readFileSync(path.join(DIR, 'fixtures', name + '.txt'), 'utf8').split('\n')) {
		const m = /^=== (.*)$/.exec(line);
		if (m) {
			let f = m[1].split(' ');
			gen = f[0] === 'gen' ? Number(f[1]) : 0;
			if (gen) f = f.slice(2);
			// A file written in another encoding is not the text here:
			// left out of the figures.
			const flags = [];
			while (/^(bom|crlf|cr|latin1|utf16|esc)$/.test(f[0])) flags.push(f.shift());
			const recoded = flags.some((x) => /^(latin1|utf16|esc)$/.test(x));
			cur = f[0] === 'link' || f[0] === 'hardlink' || recoded ? null : f[0];
			if (cur) out[cur] = '';
			if (!cur) gen = 0;
			continue;
		}
		if (cur && gen) {
			for (let i = 1; i <= gen; i++)
				out[cur] += line.replaceAll('{n}', String(i).padStart(3, '0')) + '\n';
			cur = null;
		} else if (cur) {
			out[cur] += line + '\n';
		}
	}
	return out;
}

function header(name) {
	const head = {};
	for (const line of fs.readFileSync(path.join(DIR, 'fixtures', name + '.txt'), 'utf8').split('\n')) {
		if (line.startsWith('===')) break;
		const m = /^([a-z-]+):\s*(.*)$/.exec(line);
		if (m) head[m[1]] = m[2];
	}
	return head;
}

const dirOf = (name) => path.posix.join(BASE, PREFIX + name);
const cwdOf = (name) => path.posix.join(dirOf(name), header(name).cwd || 'proj');
// Claude Code's directory of a project's auto memory: the project's path
// with every character but letters and digits made '-'.
const memDir = (name) => path.posix.join(dirOf(name), 'home/.claude/projects',
	path.posix.join(dirOf(name), 'proj').replace(/[^A-Za-z0-9]/g, '-'), 'memory') + '/';

// The short hash of a fixture's one commit, as context.mjs made it.
function commitOf(name) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-context-'));
	try {
		execFileSync('sh', [path.join(here, 'unpack.sh'), path.join(DIR, 'fixtures', name + '.txt'), tmp]);
		const env = {
			...process.env, GIT_AUTHOR_NAME: 'oracle', GIT_AUTHOR_EMAIL: 'oracle@localhost',
			GIT_COMMITTER_NAME: 'oracle', GIT_COMMITTER_EMAIL: 'oracle@localhost',
			GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
		};
		const proj = path.join(tmp, 'proj');
		const git = (...a) => execFileSync('git', a, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
		git('init', '-q', '-b', 'main', proj);
		git('-C', proj, 'add', '-A');
		git('-C', proj, 'commit', '-q', '--allow-empty', '-m', 'fixture');
		return git('-C', proj, 'rev-parse', '--short=7', 'HEAD').trim();
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

// An instruction file's kind, by its path (as promptasm's sections).
function kind(rel) {
	if (/^home\/\.claude\/projects\/[^/]+\/memory\/MEMORY\.md$/.test(rel)) return 'auto';
	if (/(^|\/)CLAUDE\.local\.md$/.test(rel)) return 'local';
	if (/^home\/\.claude\/CLAUDE\.md$/.test(rel)) return 'user';
	if (/(^|\/)\.claude\/rules\//.test(rel)) return 'rule';
	if (/(^|\/)(\.claude\/)?(CLAUDE|AGENTS)\.md$/.test(rel)) return 'project';
	return 'import';
}

function mode(values) {
	const n = new Map();
	for (const v of values) n.set(v, (n.get(v) || 0) + 1);
	return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

// A file's text as Claude Code shows it: without frontmatter (rules), the
// trailing newlines dropped.
function shown(text) {
	const m = /^---\n[\s\S]*?\n---\n/.exec(text);
	return (m ? text.slice(m[0].length) : text).replace(/\n+$/, '');
}

const commit = commitOf('empty');

// Each model-NAME fixture (the main session started with --model NAME)
// against model-default (the same tree on the default model): what its
// system prompt and environment differ by, per tokenizer, under the name
// asked for and the id sent.  A model whose tools differ from the
// default's has another layout (its tools list the agents and skills),
// which promptasm does not model: it is listed apart, so that the
// estimate says so.
function modelFigures() {
	const base = result('model-default');
	const out = [];
	const other = [];
	for (const name of Object.keys(results).filter((n) => n.startsWith('model-') && n !== 'model-default').sort()) {
		const r = result(name);
		const asked = name.slice('model-'.length);
		const same = TOKENIZERS.every((tk) =>
			JSON.stringify(r.tokens[tk].tools) === JSON.stringify(base.tokens[tk].tools));
		if (!same) {
			other.push([asked, r.model]);
			continue;
		}
		for (const tk of TOKENIZERS) {
			const t = r.tokens[tk].parts;
			const b = base.tokens[tk].parts;
			out.push([asked, r.model, tk, t.system - b.system, t.environment - b.environment]);
		}
	}
	return { models: out, other, defaultModel: base.model };
}

function figures(tk) {
	const e = result('empty').tokens[tk];
	const f = { tokenizer: tk };
	f.system = e.parts.system - count(tk, memDir('empty'));
	const a = result('auto-memory').tokens[tk];
	f.autoFrame = a.parts.system - count(tk, memDir('auto-memory')) - f.system;
	if (!result('auto-memory').memory.some((m) => kind(m) === 'auto'))
		fail('auto-memory: its MEMORY.md is not among the instruction files');
	f.tools = result('empty').tools.map((t) => [t, e.tools[t]]);
	f.agents = e.agents;
	f.agentsFrame = e.parts.agents - e.agents.reduce((s, x) => s + x[1], 0);
	f.skills = e.skills;
	f.skillsFrame = e.parts.skills - e.skills.reduce((s, x) => s + x[1], 0);
	f.envGit = e.parts.environment - count(tk, cwdOf('empty')) - 2 * count(tk, 'main') -
		count(tk, `${commit} fixture`);
	f.envNoGit = result('no-git').tokens[tk].parts.environment - count(tk, cwdOf('no-git'));
	// A linked worktree (fixture worktree, on branch wt) is named in the
	// environment: what that adds.
	f.envWorktree = result('worktree').tokens[tk].parts.environment - count(tk, cwdOf('worktree')) -
		count(tk, 'wt') - count(tk, 'main') - count(tk, `${commitOf('worktree')} fixture`) - f.envGit;
	const wrappers = [];
	const byKind = {};
	for (const [name, r] of Object.entries(results)) {
		const t = r.tokens[tk];
		if (!t.memory.length || name === 'corpus') continue;
		const fl = files(name);
		wrappers.push(t.parts.memory - t.memory.reduce((s, x) => s + x[1], 0));
		for (const [rel, n] of t.memory) {
			if (!(rel in fl)) continue;
			(byKind[kind(rel)] ||= []).push(n - count(tk, path.posix.join(dirOf(name), rel)) -
				count(tk, shown(fl[rel])));
		}
	}
	f.wrapper = mode(wrappers);
	f.headers = Object.keys(byKind).sort().map((k) => [k, mode(byKind[k])]);
	return f;
}

function generate() {
	const c = (s) => JSON.stringify(s);
	const L = [];
	L.push('/*');
	L.push(' * main_session.inc - Claude Code\'s own part of a main session\'s');
	L.push(' * first request, as the oracle measured it: generated by');
	L.push(' * tests/oracle/gen-context.mjs from tests/oracle/context/results/.  Do not');
	L.push(' * edit.  Token figures exclude what promptasm builds from the project');
	L.push(' * (paths, git values, instruction files, agent and skill lines).  Read by');
	L.push(' * main_session.c.');
	L.push(' */');
	L.push('');
	L.push(`#define CCS_VERSION ${c(version)}`);
	L.push('');
	L.push('/* Each model\'s context window and the reserve /context shows for it');
	L.push(' * (autocompact buffer), by the id Claude Code sends. */');
	L.push('static const ccs_window ccs_windows[] = {');
	const seen = new Set();
	for (const m of models.models) {
		if (!m.id || seen.has(m.model) || m.window == null) continue;
		seen.add(m.model);
		L.push(`\t{ ${c(m.model)}, ${c(m.id)}, ${m.window}, ${m.reserve ?? 0} },`);
	}
	L.push('};');
	L.push('');
	const figs = TOKENIZERS.map(figures);
	const mf = modelFigures();
	L.push('/* The model the main session runs on when nothing sets it. */');
	L.push(`#define CCS_DEFAULT_MODEL ${c(mf.defaultModel)}`);
	L.push('');
	L.push('/* Each model measured (context fixtures model-*, started with --model):');
	L.push(' * the name asked for, the id sent, and what its system prompt and');
	L.push(' * environment differ by from the default model\'s, per tokenizer. */');
	L.push('static const ccs_model ccs_models[] = {');
	for (const [asked, id, tk, sys, env] of mf.models)
		L.push(`\t{ ${c(asked)}, ${c(id)}, ${c(tk)}, ${sys}, ${env} },`);
	L.push('};');
	L.push('');
	L.push('/* Models measured whose main session has another layout (other tools,');
	L.push(' * the agents and skills listed in them): not modelled. */');
	L.push('static const ccs_window ccs_other_layouts[] = {');
	for (const [asked, id] of mf.other) L.push(`\t{ ${c(asked)}, ${c(id)}, 0, 0 },`);
	L.push('};');
	L.push('');
	L.push('/* Figures per tokenizer: system prompt (less the memory directory);');
	L.push(' * what auto memory adds around its lines; the frame of the agents and');
	L.push(' * of the skills listing; the environment with git (less the working');
	L.push(' * directory, branch names and commit lines) and without; the wrapper of');
	L.push(' * the instruction files; what a linked worktree adds to the environment. */');
	L.push('static const ccs_figures ccs_figures_of[] = {');
	for (const f of figs)
		L.push(`\t{ ${c(f.tokenizer)}, ${f.system}, ${f.autoFrame}, ${f.agentsFrame}, ` +
			`${f.skillsFrame}, ${f.envGit}, ${f.envNoGit}, ${f.wrapper}, ${f.envWorktree} },`);
	L.push('};');
	L.push('');
	L.push('/* An instruction file\'s header, less its path, by kind. */');
	L.push('static const ccs_named ccs_headers[] = {');
	for (const f of figs) for (const [k, n] of f.headers) L.push(`\t{ ${c(f.tokenizer)}, ${c(k)}, ${n} },`);
	L.push('};');
	L.push('');
	L.push('/* The main session\'s tools, in the order sent, each one\'s JSON. */');
	L.push('static const ccs_named ccs_tools[] = {');
	for (const f of figs) for (const [k, n] of f.tools) L.push(`\t{ ${c(f.tokenizer)}, ${c(k)}, ${n} },`);
	L.push('};');
	L.push('');
	L.push('/* The built-in agents, each one\'s line in the listing. */');
	L.push('static const ccs_named ccs_agents[] = {');
	for (const f of figs) for (const [k, n] of f.agents) L.push(`\t{ ${c(f.tokenizer)}, ${c(k)}, ${n} },`);
	L.push('};');
	L.push('');
	L.push('/* The built-in skills, each one\'s entry in the listing. */');
	L.push('static const ccs_named ccs_skills[] = {');
	for (const f of figs) for (const [k, n] of f.skills) L.push(`\t{ ${c(f.tokenizer)}, ${c(k)}, ${n} },`);
	L.push('};');
	return L.join('\n') + '\n';
}

const text = generate();
if (process.argv[2] === '--check') {
	const now = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
	if (now !== text) {
		console.log('FAIL src/compose/main_session.inc is stale: run node tests/oracle/gen-context.mjs');
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
	console.log('ok src/compose/main_session.inc matches tests/oracle/context/results');
	console.log('1 passed, 0 failed');
} else {
	fs.writeFileSync(OUT, text);
}
