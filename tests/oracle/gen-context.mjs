// gen-context.mjs - writes src/compose/main_session.inc, the figures
// `promptasm context` estimates Claude Code's own part of a main session
// with, from what tests/oracle/context.mjs measured
// (tests/oracle/context/results/*.json), and src/compose/windows.inc,
// each model's context window.
//
//   node tests/oracle/gen-context.mjs            writes the two .inc
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
//   models        per model (fixtures model-*): its layout, by its
//                 tools, and what system and environment differ by from
//                 the layout's base model; a model of no layout apart
//   layouts       the full layout (model-claude-sonnet-4-5 against
//                 model-default, and the layout-* fixtures): what each
//                 part differs by, and its tools, built-in agents and
//                 skills, and the tools deferred on it only
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitOf, dirOf, memDir } from './context/places.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const OUT = path.join(root, 'src', 'compose', 'main_session.inc');
const OUT_WINDOWS = path.join(root, 'src', 'compose', 'windows.inc');
const DIR = path.join(here, 'context');
const TOKENIZERS = ['o200k_base', 'cl100k_base', 'claude'];
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

const cwdOf = (name) => path.posix.join(dirOf(name), header(name).cwd || 'proj');

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

// The layouts of the main session, each model's told by its tools: on
// the default model and its kin it is "lean", measured by the fixtures
// above; on the others (claude-sonnet-4-5 and the models of its time) it
// is "full": a longer system prompt, longer tools, more deferred tools,
// other built-in agent lines, and the environment, the agents and the
// skills each in a reminder of the first message.  The full layout is
// measured on its base (against model-default, the same tree on the
// default model) and on the layout-* fixtures (its settings).
const LAYOUTS = { lean: 'model-default', full: 'model-claude-sonnet-4-5' };

// A result's parts less the paths promptasm counts itself: the auto
// memory directory (system), the working directory (environment).
function own(name, tk) {
	const p = { ...result(name).tokens[tk].parts };
	p.system -= count(tk, memDir(name));
	p.environment -= count(tk, cwdOf(name));
	return p;
}

// The model a fixture asked for: its `model:` header, else its name.
const askedOf = (name) => header(name).model || name.slice('model-'.length);

// Each model-NAME fixture (the main session started with --model NAME):
// its layout, by its tools (within 2% of the layout's base model's, per
// tokenizer), and what its system prompt, tools, agents and skills
// listings and environment differ by from that base, per tokenizer,
// under the name asked for and the id sent.  A model whose tools are
// those of no layout is listed apart (not modelled), so that the estimate
// says so.
const toolsOf = (name, tk) => Object.values(result(name).tokens[tk].tools).reduce((s, n) => s + n, 0);
const namesOf = (name) => JSON.stringify(Object.keys(result(name).tokens.claude.tools).sort());
const near = (a, b) => namesOf(a) === namesOf(b) &&
	TOKENIZERS.every((tk) => Math.abs(toolsOf(a, tk) - toolsOf(b, tk)) <= toolsOf(b, tk) * 0.02);
function layoutOf(name) {
	const layouts = Object.keys(LAYOUTS).filter((l) => near(name, LAYOUTS[l]));
	layouts.sort((a, b) => Math.abs(toolsOf(name, 'claude') - toolsOf(LAYOUTS[a], 'claude')) -
		Math.abs(toolsOf(name, 'claude') - toolsOf(LAYOUTS[b], 'claude')));
	if (layouts.length) return { layout: layouts[0], search: 1, base: LAYOUTS[layouts[0]] };
	// A model without tool search (claude-3-7-sonnet): the full
	// layout's tools with the deferred ones sent whole, as
	// ENABLE_TOOL_SEARCH=false sends them.
	if (near(name, 'layout-toolsearch-off')) return { layout: 'full', search: 0, base: LAYOUTS.full };
	return null;
}

function modelFigures() {
	const out = [];
	const other = [];
	for (const name of Object.keys(results).filter((n) => n.startsWith('model-') && n !== LAYOUTS.lean).sort()) {
		const r = result(name);
		const l = layoutOf(name);
		if (!l) {
			other.push([askedOf(name), r.model]);
			continue;
		}
		for (const tk of TOKENIZERS) {
			const t = own(name, tk);
			const b = own(l.base, tk);
			if (t.mcp !== b.mcp) fail(`${name}: an MCP part of its own`);
			// Without tool search, the list of deferred tools is not
			// sent, and the deferred tools are: the estimate takes them
			// as ENABLE_TOOL_SEARCH=false does.
			const list = l.search ? 0 : layoutFigures(tk, figures(tk)).list;
			const tools = l.search ? b.tools : own('layout-toolsearch-off', tk).tools;
			out.push([askedOf(name), r.model, l.layout, l.search, tk, t.system - b.system,
				t.tools - tools, t.agents - b.agents, t.skills - b.skills,
				t.environment - b.environment + list]);
		}
	}
	return { models: out, other, defaultModel: result(LAYOUTS.lean).model };
}

// The ids sent by the models of the full layout: their results are left
// out of the lean figures.
const fullIds = new Set([result(LAYOUTS.full).model]);
for (const name of Object.keys(results).filter((n) => n.startsWith('model-'))) {
	const l = layoutOf(name);
	if (l && l.layout === 'full') fullIds.add(result(name).model);
}

// The full layout against the lean one, per tokenizer: what the system
// prompt, the frames of the agents and skills listings, the wrapper of
// the instruction files and the environment differ by; "list" what its
// deferred tools list took from the environment (layout-settings-model
// against layout-toolsearch-off); and its own figures, by kind: each
// tool's JSON, each built-in agent's line and skill's entry, and each
// tool deferred on it, as sent whole with tool search off.
function layoutFigures(tk, lean) {
	const F = LAYOUTS.full;
	const f = own(F, tk);
	const d = own(LAYOUTS.lean, tk);
	const t = result(F).tokens[tk];
	const e = result(LAYOUTS.lean).tokens[tk];
	const builtinAgents = new Set(lean.agents.map((x) => x[0]));
	const builtinSkills = new Set(lean.skills.map((x) => x[0]));
	const frame = (part, items) => part - items.reduce((s, x) => s + x[1], 0);
	const wrapper = (r) => r.parts.memory - r.memory.reduce((s, x) => s + x[1], 0);
	const off = result('layout-toolsearch-off').tokens[tk].tools;
	const fig = {
		layout: 'full', tokenizer: tk,
		system: f.system - d.system,
		agentsFrame: frame(t.parts.agents, t.agents) - frame(e.parts.agents, e.agents),
		skillsFrame: frame(t.parts.skills, t.skills) - frame(e.parts.skills, e.skills),
		memory: wrapper(t) - wrapper(e),
		environment: f.environment - d.environment,
		list: own('layout-settings-model', tk).environment - own('layout-toolsearch-off', tk).environment,
		// The MCP servers' instructions, in a reminder of their own.
		mcp: own('layout-mcp', tk).mcp - own('trust-mcp', tk).mcp,
		named: [],
	};
	for (const [name, n] of Object.entries(t.tools)) fig.named.push(['tool', name, n]);
	for (const [name, n] of t.agents) if (builtinAgents.has(name)) fig.named.push(['agent', name, n]);
	for (const [name, n] of t.skills) if (builtinSkills.has(name)) fig.named.push(['skill', name, n]);
	for (const name of result(F).deferred) {
		if (!(name in off)) fail(`layout-toolsearch-off: the deferred tool ${name} is not sent whole`);
		fig.named.push(['deferred', name, off[name]]);
	}
	return fig;
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
		// The full layout's wrapper is its own (layoutFigures).
		if (!t.memory.length || name === 'corpus' || fullIds.has(r.model)) continue;
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

// windows.inc: the windows alone, in a file of their own, so that an
// agent's composition (whole_context.c) and the main session's both read
// them (windows.c) without depending on each other.
function generateWindows() {
	const c = (s) => JSON.stringify(s);
	const L = [];
	L.push('/*');
	L.push(' * windows.inc - each model\'s context window as the oracle measured it:');
	L.push(' * generated by tests/oracle/gen-context.mjs from');
	L.push(' * tests/oracle/context/results/.  Do not edit.  Read by windows.c.');
	L.push(' */');
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
	return L.join('\n');
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
	const figs = TOKENIZERS.map(figures);
	const mf = modelFigures();
	const lf = figs.map((f) => layoutFigures(f.tokenizer, f));
	L.push('/* The model the main session runs on when nothing sets it. */');
	L.push(`#define CCS_DEFAULT_MODEL ${c(mf.defaultModel)}`);
	L.push('');
	L.push('/* Each model measured (context fixtures model-*, started with --model):');
	L.push(' * the name asked for, the id sent, its layout ("lean": the default');
	L.push(' * model\'s; "full": ccs_layouts), 0 when it has no tool search (its');
	L.push(' * deferred tools sent whole), and what its system prompt, tools,');
	L.push(' * agents and skills listings and environment differ by from its');
	L.push(' * layout\'s base model, per tokenizer. */');
	L.push('static const ccs_model ccs_models[] = {');
	for (const [asked, id, layout, search, tk, ...d] of mf.models)
		L.push(`\t{ ${c(asked)}, ${c(id)}, ${c(layout)}, ${search}, ${c(tk)}, ${d.join(', ')} },`);
	L.push('};');
	L.push('');
	L.push('/* Models measured whose main session has a layout of its own (other');
	L.push(' * tools): not modelled. */');
	L.push('static const ccs_window ccs_other_layouts[] = {');
	for (const [asked, id] of mf.other) L.push(`\t{ ${c(asked)}, ${c(id)}, 0, 0 },`);
	if (!mf.other.length) L.push('\t{ NULL, NULL, 0, 0 },');
	L.push('};');
	L.push('');
	L.push(`/* The full layout (fixture ${LAYOUTS.full} against ${LAYOUTS.lean}, the`);
	L.push(' * layout-* fixtures): what its system prompt, the frames of the agents');
	L.push(' * and skills listings, the wrapper of the instruction files and the');
	L.push(' * environment differ by from the lean layout\'s; what its deferred');
	L.push(' * tools list takes from the environment; what the frame of the MCP');
	L.push(' * servers\' instructions adds (layout-mcp against trust-mcp). */');
	L.push('static const ccs_layout ccs_layouts[] = {');
	for (const f of lf)
		L.push(`\t{ ${c(f.layout)}, ${c(f.tokenizer)}, ${f.system}, ${f.agentsFrame}, ${f.skillsFrame}, ` +
			`${f.memory}, ${f.environment}, ${f.list}, ${f.mcp} },`);
	L.push('};');
	L.push('');
	L.push('/* The full layout\'s own figures, by kind: "tool" each tool\'s JSON, in');
	L.push(' * the order sent; "agent" a built-in agent\'s line; "skill" a built-in');
	L.push(' * skill\'s entry; "deferred" a tool deferred on this layout, its JSON');
	L.push(' * as sent with tool search off. */');
	L.push('static const ccs_layout_named ccs_layout_figures[] = {');
	for (const f of lf)
		for (const [kind, name, n] of f.named)
			L.push(`\t{ ${c(f.layout)}, ${c(f.tokenizer)}, ${c(kind)}, ${c(name)}, ${n} },`);
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

const outputs = [[OUT, generate()], [OUT_WINDOWS, generateWindows()]];
if (process.argv[2] === '--check') {
	let bad = 0;
	for (const [file, text] of outputs) {
		const rel = path.relative(root, file);
		const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
		if (now !== text) {
			console.log(`FAIL ${rel} is stale: run node tests/oracle/gen-context.mjs`);
			bad++;
		} else {
			console.log(`ok ${rel} matches tests/oracle/context/results`);
		}
	}
	console.log(`${outputs.length - bad} passed, ${bad} failed`);
	if (bad) process.exit(1);
} else {
	for (const [file, text] of outputs) fs.writeFileSync(file, text);
}
