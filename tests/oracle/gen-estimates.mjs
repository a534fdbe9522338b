// gen-estimates.mjs - writes src/compose/whole_context.inc, the figures promptasm
// estimates Claude Code's own text with (explain's and check's
// "claude_code"), from what the oracle measured: tests/oracle/results/*.json
// (run.mjs writes them; see its derive() for what each field means).
//
//   node tests/oracle/gen-estimates.mjs            writes src/compose/whole_context.inc
//   node tests/oracle/gen-estimates.mjs --check    fails when it is stale
//
// Needs node and a built promptasm ($PROMPTASM, else ./promptasm, with
// $PROMPTASM_TOKENIZERS, else tokenizers/): the figures exclude the
// absolute paths Claude Code names (a file's path in its header, the memory
// directory, the working directory), whose tokens promptasm counts at run
// time for the real paths, so the fixtures' paths are counted here with
// the same tokenizers.  No npm package is needed.
//
// The model (each figure per tokenizer of the results):
//   system       Claude Code's system prompt around the body: fixture plain
//   memory       its memory instructions per scope: the system part of
//                memory-user, memory-project, memory-local-pkg less plain's,
//                less the memory directory's path
//   wrapper      around the instruction files, once: plain's instructions
//                part less its one header line
//   headers      per instruction file, by kind: the header line less the
//                file's path (the most common figure of all fixtures)
//   skill        per preloaded skill: fixture skills' skill and context
//                parts less plain's context, less the skills' directories
//                and twice their names,
//                divided by their number
//   context      git status and the like, measured on a clean repository:
//                plain (a tools list), no-tools (all tools); what Bash
//                adds (tools-bash), and adds with includeCoAuthoredBy false
//                (settings-coauthor); the frame of the attribution block
//                with the settings' texts (settings-attribution against
//                settings-git-off, the same agent without it); Bash's
//                schema with the git instructions off (settings-git-off)
//   environment  plain and no-tools likewise, less the working directory;
//                what a linked worktree adds (automem-worktree)
//   tools        each tool's schema; the default list (no-tools) and what
//                a memory agent gets added (memory-project)
//   models       per model other than the default (fixtures model-*; of
//                model-all-*, an agent of every tool, its tools only): what
//                system, context and environment differ by from
//                model-inherit (the same agent on the default model), and
//                the tool schemas that differ
//   aliases      an agent's `model:` value and the id Claude Code sends
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const OUT = path.join(root, 'src', 'compose', 'whole_context.inc');
const TOKENIZERS = ['o200k_base', 'cl100k_base', 'claude'];
// Where run.mjs unpacks fixture NAME: BASE/NAME.  Read from its source,
// not imported: importing it needs its npm packages.
const BASE = /const BASE = '([^']+)'/.exec(
	fs.readFileSync(path.join(here, 'run.mjs'), 'utf8'))[1];
const promptasm = process.env.PROMPTASM || path.join(root, 'promptasm');
const tokDir = process.env.PROMPTASM_TOKENIZERS || path.join(root, 'tokenizers');

// The random part of an isolated agent's worktree name, as a fixed
// string of its shape (whole_context.c's CC_WORKTREE_HEX).
const WORKTREE_HEX = 'a0b1c2d3e4f5a6b7c';

const cache = new Map();
function count(tk, text) {
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
	console.error(`gen-estimates: ${msg}`);
	process.exit(1);
}

const results = {};
for (const f of fs.readdirSync(path.join(here, 'results')).filter((f) => f.endsWith('.json')).sort()) {
	const r = JSON.parse(fs.readFileSync(path.join(here, 'results', f), 'utf8'));
	results[r.fixture] = r;
}
function result(name) {
	const r = results[name];
	if (!r || !r.delegated) fail(`results/${name}.json is missing or has no subagent`);
	return r;
}
const version = result('plain').claude_code;
for (const r of Object.values(results))
	if (r.claude_code !== version)
		fail(`results/${r.fixture}.json is of Claude Code ${r.claude_code}, plain.json of ${version}`);

// The fixture's header lines and its agent's frontmatter fields.
function fixture(name) {
	const text = fs.readFileSync(path.join(here, 'fixtures', name + '.txt'), 'utf8');
	const head = {};
	const lines = text.split('\n');
	for (const line of lines) {
		if (line.startsWith('===')) break;
		const m = /^([a-z-]+):\s*(.*)$/.exec(line);
		if (m) head[m[1]] = m[2];
	}
	const fm = {};
	const start = lines.findIndex((l) => /^=== \S*\.claude\/agents\//.test(l));
	if (start >= 0 && lines[start + 1] === '---')
		for (let i = start + 2; i < lines.length && lines[i] !== '---'; i++) {
			const m = /^([A-Za-z]+):\s*(.*)$/.exec(lines[i]);
			if (m) fm[m[1]] = m[2];
		}
	return { head, fm };
}

const abs = (name, rel) => path.posix.join(BASE, name, rel);
// A path as Claude Code writes it, from the text after it that run.mjs
// kept (the memory directory ends in "`.").
const cleanPath = (rel) => rel.replace(/[^A-Za-z0-9._\/-].*$/, '');
const cwdOf = (name) => abs(name, fixture(name).head.cwd || 'proj');

// Which kind of section an instruction file's header is for, by its path.
function headerKind(rel) {
	if (/\/projects\/[^/]+\/memory\/MEMORY\.md$/.test(rel)) return 'auto-memory';
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

const T = (name, tk) => result(name).tokens[tk];

function figures(tk) {
	const plain = T('plain', tk);
	const all = T('no-tools', tk);
	const f = { tokenizer: tk, system: plain.parts.system };
	f.memory = ['memory-user', 'memory-project', 'memory-local-pkg'].map((name) => {
		const t = T(name, tk);
		const dir = t.headers.map(([p]) => p).find((p) => p.includes('agent-memory'));
		if (!dir) fail(`${name}: no memory directory among the headers`);
		return t.parts.system - plain.parts.system - count(tk, abs(name, cleanPath(dir)));
	});
	f.wrapper = plain.parts.instructions -
		plain.headers.reduce((s, [p, h]) => s + h + count(tk, abs('plain', p)), 0);
	const skills = T('skills', tk);
	// Each skill's name is sent twice around it: counted at run time.
	f.skill = Math.round((skills.parts.skills + skills.parts.context - plain.parts.context -
		skills.headers.reduce((s, [p]) => s + count(tk, abs('skills', p)) +
			2 * count(tk, path.basename(p)), 0)) /
		skills.headers.length);
	// An agent without Bash and Skill, deferring nothing (plain: Read
	// alone); Bash brings more context (tools-bash), Skill a longer
	// environment (tools-skill); deferring names the deferred tools in the
	// environment: all of them (no-tools) and one (tools-list-toolsearch).
	f.context = plain.parts.context;
	f.environment = plain.parts.environment - count(tk, cwdOf('plain'));
	f.bashContext = T('tools-bash', tk).parts.context - plain.parts.context;
	// With includeCoAuthoredBy false (settings-coauthor: tools-bash's
	// agent) Bash brings less.
	f.bashContextNoCoauthor = T('settings-coauthor', tk).parts.context - plain.parts.context;
	// attribution.commit and .pr: a block of their own, in place of what
	// Bash adds; its frame is what the agent gets beside settings-git-off's
	// (the same agent and CLAUDE.md, no git status, no attribution), less
	// the git status (plain's context) and the path of the CLAUDE.md.
	const attr = T('settings-attribution', tk);
	const gitOff = T('settings-git-off', tk);
	f.attributionFrame = attr.parts.instructions + attr.parts.context -
		count(tk, abs('settings-attribution', 'proj/CLAUDE.md')) -
		(gitOff.parts.instructions + gitOff.parts.context -
		 count(tk, abs('settings-git-off', 'proj/CLAUDE.md'))) - plain.parts.context;
	f.bashGitOff = gitOff.tools.Bash;
	// isolation: worktree (agent-isolation-worktree: plain's agent in a
	// new worktree): the environment names the worktree twice, in place
	// of the working directory, with a frame; the git status its branch.
	// The worktree's name ends in 17 random hex digits: a fixed one of
	// that shape stands for it here and in whole_context.c.
	const iso = T('agent-isolation-worktree', tk);
	const wt = `${cwdOf('agent-isolation-worktree')}/.claude/worktrees/agent-${WORKTREE_HEX}`;
	f.isolationEnvironment = iso.parts.environment - 2 * count(tk, wt) - f.environment;
	f.isolationContext = iso.parts.context - plain.parts.context;
	f.skillEnvironment = T('tools-skill', tk).parts.environment - count(tk, cwdOf('tools-skill')) -
		f.environment;
	// disableBundledSkills: the bundled skills leave Skill's listing.
	f.bundledSkills = T('tools-skill', tk).parts.environment - count(tk, cwdOf('tools-skill')) -
		(T('settings-bundled-off', tk).parts.environment - count(tk, cwdOf('settings-bundled-off')));
	const deferredAll = all.parts.environment - count(tk, cwdOf('no-tools')) - f.environment -
		f.skillEnvironment;
	const deferredOne = T('tools-list-toolsearch', tk).parts.environment -
		count(tk, cwdOf('tools-list-toolsearch')) - f.environment;
	const n = deferredTools().length;
	f.deferredTool = Math.round((deferredAll - deferredOne) / (n - 1));
	f.deferredEnvironment = deferredOne - f.deferredTool;
	// A linked worktree (automem-worktree: plain's agent started in one)
	// is named in the environment.
	f.worktreeEnvironment = T('automem-worktree', tk).parts.environment -
		count(tk, cwdOf('automem-worktree')) - f.environment;
	const byKind = {};
	for (const [name, r] of Object.entries(results)) {
		if (!r.delegated) continue;
		for (const [p, h] of r.tokens[tk].headers) {
			if (p.includes('agent-memory') || p.includes('/skills/')) continue;
			(byKind[headerKind(p)] ||= []).push(h);
		}
	}
	f.headers = Object.keys(byKind).sort().map((k) => [k, mode(byKind[k])]);
	return f;
}

const defaultModel = result('plain').model;

// Each tool's schema, with the default model.  A schema may name the other
// tools the agent has (Agent's does), so it varies a little between
// fixtures: the largest is kept, and a spread over 5% is an error.
function tools(tk) {
	const seen = {};
	const least = {};
	for (const r of Object.values(results)) {
		// Bash without the git instructions is a figure of its own.
		if (!r.delegated || r.model !== defaultModel || r.fixture.startsWith('settings-git-off'))
			continue;
		for (const [name, n] of Object.entries(r.tokens[tk].tools)) {
			seen[name] = Math.max(seen[name] ?? n, n);
			least[name] = Math.min(least[name] ?? n, n);
			if (seen[name] > least[name] * 1.05)
				fail(`${r.fixture}: ${tk} schema of ${name} is ${n}, elsewhere ${least[name]}-${seen[name]}`);
		}
	}
	return Object.keys(seen).sort().map((name) => [name, seen[name]]);
}

// Tool names Claude Code sends under another name: a fixture tools-x whose
// agent lists `Read, NAME` and receives Read and one other tool.
function toolAliases() {
	const out = [];
	for (const [name, r] of Object.entries(results)) {
		if (!name.startsWith('tools-') || !r.delegated) continue;
		const asked = listOf(fixture(name).fm.tools);
		if (asked.length !== 2 || r.tools.length !== 2) continue;
		const sent = r.tools.find((t) => t !== 'Read');
		if (sent && sent !== asked[1]) out.push([asked[1], sent]);
	}
	return out.sort();
}

// What differs for each other model an agent can run on.
function models() {
	const out = [];
	const aliases = [];
	const allTools = [];
	for (const name of Object.keys(results).filter((n) => n.startsWith('model-'))) {
		const r = result(name);
		const asked = fixture(name).fm.model;
		if (asked && asked !== 'inherit' && asked !== r.model &&
			!aliases.some(([a]) => a === asked)) aliases.push([asked, r.model]);
		if (asked === 'inherit' && r.model !== defaultModel)
			fail(`${name}: inherit gave ${r.model}, not the session's ${defaultModel}`);
		if (r.model === defaultModel) continue;
		// An agent of every tool on the model (model-all-*): the tool
		// schemas of its layout, those the Read-only fixtures do not send.
		if (name.startsWith('model-all-')) {
			allTools.push(name);
			continue;
		}
		if (out.some((m) => m.model === r.model)) continue;
		const m = { model: r.model, figures: [], tools: [] };
		for (const tk of TOKENIZERS) {
			// Against model-inherit, the same agent on the default model;
			// the working directory is named in the environment, or in the
			// context when a model gets no environment message.
			const t = r.tokens[tk];
			const base = T('model-inherit', tk);
			const dflt = Object.fromEntries(tools(tk));
			const cwd = count(tk, cwdOf(name));
			const env = t.parts.environment ? t.parts.environment - cwd : 0;
			const ctx = t.parts.context - (t.parts.environment ? 0 : cwd);
			m.figures.push([tk, t.parts.system - base.parts.system,
				ctx - base.parts.context,
				env - (base.parts.environment - count(tk, cwdOf('model-inherit')))]);
			for (const [tool, n] of Object.entries(t.tools))
				if (dflt[tool] !== n) m.tools.push([tk, tool, n]);
		}
		out.push(m);
	}
	for (const name of allTools) {
		const r = result(name);
		let m = out.find((x) => x.model === r.model);
		if (!m) {
			// No Read-only fixture of the model: its figures against
			// no-tools, the same agent on the default model.
			m = { model: r.model, figures: [], tools: [] };
			for (const tk of TOKENIZERS) {
				const t = r.tokens[tk];
				const base = T('no-tools', tk);
				const cwd = count(tk, cwdOf(name));
				const env = t.parts.environment ? t.parts.environment - cwd : 0;
				const ctx = t.parts.context - (t.parts.environment ? 0 : cwd);
				m.figures.push([tk, t.parts.system - base.parts.system,
					ctx - base.parts.context,
					env - (base.parts.environment - count(tk, cwdOf('no-tools')))]);
			}
			out.push(m);
		}
		// A model that sends every deferrable tool whole, ToolSearch
		// not among them (the claude-3 models).
		if (!r.tools.includes('ToolSearch')) m.noToolSearch = 1;
		for (const tk of TOKENIZERS) {
			const dflt = Object.fromEntries(tools(tk));
			for (const [tool, n] of Object.entries(r.tokens[tk].tools))
				if (dflt[tool] !== n && !m.tools.some(([t, x]) => t === tk && x === tool))
					m.tools.push([tk, tool, n]);
		}
	}
	aliases.sort((a, b) => a[0].localeCompare(b[0]));
	out.sort((a, b) => a.model.localeCompare(b.model));
	return { models: out, aliases };
}

// The tool sent but not asked for by `tools: Read, WebFetch, ToolSearch`.
function placeholderTool() {
	const asked = listOf(fixture('tools-list-toolsearch').fm.tools);
	const extra = result('tools-list-toolsearch').tools.filter((t) => !asked.includes(t));
	if (extra.length !== 1) fail(`tools-list-toolsearch: ${extra.length} tools not asked for`);
	return extra[0];
}

// All tools: those sent without ToolSearch to an agent without `tools:`.
function allTools() {
	const sent = result('tools-disallowed-toolsearch').tools.filter((t) => t !== placeholderTool());
	return [...sent, 'ToolSearch'].sort();
}

function deferredTools() {
	const dflt = result('no-tools').tools;
	return allTools().filter((t) => !dflt.includes(t));
}

function listOf(s) {
	return (s || '').split(',').map((x) => x.trim()).filter(Boolean);
}

function generate() {
	const c = (s) => JSON.stringify(s);
	const L = [];
	L.push('/*');
	L.push(' * whole_context.inc - Claude Code\'s own text, as the oracle measured it:');
	L.push(' * generated by tests/oracle/gen-estimates.mjs from tests/oracle/results/');
	L.push(' * (`make oracle` re-measures, then regenerates).  Do not edit.  Token');
	L.push(' * figures exclude the absolute paths Claude Code names; promptasm counts');
	L.push(' * the real ones.  Read by whole_context.c.');
	L.push(' */');
	L.push('');
	L.push(`#define CC_VERSION ${c(version)}`);
	L.push('/* The main session\'s model when nothing sets it: an agent without');
	L.push(' * `model:`, or with `inherit`, runs on it. */');
	L.push(`#define CC_DEFAULT_MODEL ${c(defaultModel)}`);
	const { models: ms, aliases } = models();
	L.push('');
	L.push('/* An agent\'s `model:` and the id Claude Code sends (fixtures model-*);');
	L.push(' * any other value is sent as it is. */');
	L.push('static const cc_alias cc_aliases[] = {');
	for (const [a, id] of aliases) L.push(`\t{ ${c(a)}, ${c(id)} },`);
	L.push('};');
	L.push('');
	L.push('/* Every tool of an agent without `tools:`, deferrable ones included');
	L.push(' * (fixture tools-disallowed-toolsearch, with ToolSearch). */');
	L.push('static const char *const cc_all_tools[] = {');
	L.push(`\t${allTools().map(c).join(', ')},`);
	L.push('};');
	L.push('');
	L.push('/* The tools ToolSearch defers: all tools less those that an agent');
	L.push(' * without `tools:` is sent (fixture no-tools). */');
	L.push('static const char *const cc_deferred_tools[] = {');
	L.push(`\t${deferredTools().map(c).join(', ')},`);
	L.push('};');
	L.push('');
	L.push('/* The tools an agent with Bash is not sent: Bash searches (fixture');
	L.push(' * tools-bash-search). */');
	L.push('static const char *const cc_bash_search_tools[] = {');
	const bs = fixture('tools-bash-search');
	L.push(`\t${listOf(bs.fm.tools).filter((t) => !result('tools-bash-search').tools.includes(t)).map(c).join(', ')},`);
	L.push('};');
	L.push('');
	L.push('/* The tool sent in place of deferred and MCP tools (fixture');
	L.push(' * tools-list-toolsearch: sent but not listed). */');
	L.push(`#define CC_PLACEHOLDER_TOOL ${c(placeholderTool())}`);
	const memAgent = listOf(fixture('memory-project').fm.tools);
	L.push('');
	L.push('/* The tools Claude Code adds for an agent with `memory:`');
	L.push(' * (fixture memory-project). */');
	L.push('static const char *const cc_memory_tools[] = {');
	L.push(`\t${result('memory-project').tools.filter((t) => !memAgent.includes(t)).map(c).join(', ')},`);
	L.push('};');
	L.push('');
	L.push('');
	L.push('/* A tool name and the tool Claude Code sends for it (fixtures');
	L.push(' * tools-*: an agent with `tools: Read, NAME`). */');
	L.push('static const cc_alias cc_tool_aliases[] = {');
	for (const [from, to] of toolAliases()) L.push(`\t{ ${c(from)}, ${c(to)} },`);
	L.push('};');
	L.push('');
	L.push('/* Figures per tokenizer: system; memory instructions for user, project');
	L.push(' * and local scope; instructions wrapper; per skill; context and');
	L.push(' * environment of an agent without Bash, Skill and deferred tools; what');
	L.push(' * Bash adds to the context, Skill to the environment; the list of');
	L.push(' * deferred tools in the environment, its start and each tool; what a');
	L.push(' * linked worktree adds to the environment; what Bash adds to the');
	L.push(' * context with includeCoAuthoredBy false; the frame of the attribution');
	L.push(' * block of attribution.commit and .pr; Bash\'s schema with the git');
	L.push(' * instructions off; what isolation: worktree adds to the environment');
	L.push(' * (less the worktree\'s path, twice) and to the context; what the');
	L.push(' * bundled skills take of Skill\'s environment. */');
	L.push(`#define CC_WORKTREE_HEX ${c(WORKTREE_HEX)}`);
	L.push('static const cc_figures cc_figures_of[] = {');
	const figs = TOKENIZERS.map(figures);
	for (const f of figs)
			L.push(`\t{ ${c(f.tokenizer)}, ${f.system}, { ${f.memory.join(', ')} }, ${f.wrapper}, ` +
			`${f.skill}, ${f.context}, ${f.environment}, ` +
			`${f.bashContext}, ${f.skillEnvironment}, ${f.deferredEnvironment}, ${f.deferredTool}, ` +
			`${f.worktreeEnvironment}, ${f.bashContextNoCoauthor}, ${f.attributionFrame}, ` +
			`${f.bashGitOff}, ${f.isolationEnvironment}, ${f.isolationContext}, ${f.bundledSkills} },`);
	L.push('};');
	L.push('');
	L.push('/* The header line of an instruction file by section kind, per');
	L.push(' * tokenizer. */');
	L.push('static const cc_header cc_headers[] = {');
	for (const f of figs)
		for (const [k, n] of f.headers) L.push(`\t{ ${c(f.tokenizer)}, ${c(k)}, ${n} },`);
	L.push('};');
	L.push('');
	L.push('/* Each tool\'s schema, per tokenizer. */');
	L.push('static const cc_tool cc_tools[] = {');
	for (const tk of TOKENIZERS)
		for (const [name, n] of tools(tk)) L.push(`\t{ NULL, ${c(tk)}, ${c(name)}, ${n} },`);
	L.push('};');
	L.push('');
	L.push('/* Other models: how their system, context and environment differ from');
	L.push(' * the default model\'s, per tokenizer, and their tool schemas that');
	L.push(' * differ. */');
	L.push('static const cc_model cc_models[] = {');
	for (const m of ms)
		for (const [tk, s, ctx, env] of m.figures)
			L.push(`\t{ ${c(m.model)}, ${c(tk)}, ${s}, ${ctx}, ${env}, ${m.noToolSearch || 0} },`);
	L.push('};');
	L.push('');
	L.push('static const cc_tool cc_model_tools[] = {');
	for (const m of ms)
		for (const [tk, tool, n] of m.tools) L.push(`\t{ ${c(m.model)}, ${c(tk)}, ${c(tool)}, ${n} },`);
	L.push('};');
	return L.join('\n') + '\n';
}

const text = generate();
if (process.argv[2] === '--check') {
	const now = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
	if (now !== text) {
		fs.writeFileSync(path.join(process.env.TMPDIR || '/tmp', 'whole_context.inc.new'), text);
		console.log('FAIL src/compose/whole_context.inc is stale: run node tests/oracle/gen-estimates.mjs');
		console.log('0 passed, 1 failed, 0 skipped');
		process.exit(1);
	}
	console.log('ok src/compose/whole_context.inc matches tests/oracle/results');
	console.log('1 passed, 0 failed, 0 skipped');
} else {
	fs.writeFileSync(OUT, text);
}
