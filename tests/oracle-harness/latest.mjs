// latest.mjs - drift: installs the newest version of every agent CLI the
// oracles record (tests/package.json: Claude Code under "oracle", the
// others under "oracle-harness") from npm into a private prefix, records
// every fixture with it (tests/oracle-harness/run.mjs; Claude Code's
// subagents and main session with tests/oracle/run.mjs and context.mjs),
// and prints what moved against the pinned version's recordings: the
// files sent, their order, their cuts, the CLI's own prompt and its tools
// (o200k_base tokens), as a short table.  Exit 1 when anything moved, 2
// when a CLI could not be installed or recorded (Claude Code's managed
// policy needs root).  Dev-time only (make oracle-latest;
// .github/workflows/oracle-latest.yml runs it weekly).
//
//   node tests/oracle-harness/latest.mjs [FIXTURE...]
//
// ORACLE_LATEST_PREFIX: where (default /tmp/promptasm-oracle-latest).
// Online, npm asks the registry for each package's `latest`; without a
// network (or with ORACLE_OFFLINE=1) it installs from the local npm
// cache (`npm install --offline`): the newest version the cache holds.
// ORACLE_HARNESSES ("claude codex pi") and FIXTURE arguments narrow the
// run; ORACLE_LATEST_REUSE=1 prints the table of the last run's
// recordings.  The recordings stay in the prefix; the repository is not
// written.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = process.env.ORACLE_LATEST_PREFIX || '/tmp/promptasm-oracle-latest';
const manifest = JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8'));
// The pinned versions: Claude Code's under "oracle", the others' under
// "oracle-harness".
const pins = { ...manifest.oracle, ...manifest['oracle-harness'] };
const PACKAGES = {
	claude: '@anthropic-ai/claude-code', codex: '@openai/codex', copilot: '@github/copilot', gemini: '@google/gemini-cli',
	opencode: 'opencode-ai', qwen: '@qwen-code/qwen-code', pi: '@mariozechner/pi-coding-agent',
	cline: 'cline', kilo: '@kilocode/cli',
};
const only = process.env.ORACLE_HARNESSES ? process.env.ORACLE_HARNESSES.split(/[\s,]+/).filter(Boolean) : null;
// FIXTURE arguments, by name or path: their names (NAME.txt less .txt).
const fixtures = process.argv.slice(2).map((f) => path.basename(f, '.txt'));

// A release's numbers (null for a prerelease, whose `-` tag no version
// here is compared by), and whether release a is newer than release b.
const release = (v) => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : null);
function newer(a, b) {
	const x = release(a), y = release(b);
	for (let i = 0; i < Math.max(x.length, y.length); i++)
		if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) > (y[i] || 0);
	return false;
}

// npm view's answer for `name` (`version`: the `latest` tag's; `versions`:
// all), or null when it cannot tell (offline, from the cache).
function view(name, field, mode) {
	const r = spawnSync('npm', ['view', ...mode, name, field, '--json'],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
	try { return r.status === 0 ? JSON.parse(r.stdout) : null; } catch { return null; }
}

// Installs `name@spec` into dir; its version, or null with why on stderr
// (and in why.text: npm's own, whole).
function installOne(dir, name, spec, mode, why = {}) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
	const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', ...mode, `${name}@${spec}`],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900000 });
	const j = path.join(dir, 'node_modules', ...name.split('/'), 'package.json');
	if (r.status === 0 && fs.existsSync(j)) return JSON.parse(fs.readFileSync(j, 'utf8')).version;
	why.text = `${r.stderr || ''}${r.error ? r.error.message : ''}`;
	process.stderr.write(`oracle-latest: ${name}@${spec}${mode.length ? ' (offline)' : ''}: npm install failed: ` +
		`${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}\n`);
	return null;
}

// At most this many versions are tried below a `latest` that does not
// install; past them the CLI counts as not installed (exit 2), never as
// unmoved.
const FALLBACK_TRIES = 4;
// What npm says of a version that cannot be installed here, in its own
// output or in that of the package's install script.
const NOT_INSTALLABLE = /\b(ETARGET|E404|EBADPLATFORM|ENOTSUP)\b|No matching version found/;

// Installs the newest version of h's package that installs into
// PREFIX/h: `latest`, else (a release whose parts for this platform are
// not published, as Kilo's 7.8.1 was) the versions below it down to the
// pinned one, newest first.  Returns { version, failed }: the version
// installed or null, and the newer ones that did not install.  Any
// other failure of `latest` leaves the CLI not installed.
function install(h) {
	const dir = path.join(prefix, h);
	const name = PACKAGES[h];
	const modes = process.env.ORACLE_OFFLINE === '1' ? [['--offline']] : [[], ['--offline']];
	for (const mode of modes) {
		const why = {};
		const version = installOne(dir, name, 'latest', mode, why);
		if (version) return { version, failed: [] };
		// Only a release that cannot install here (a package it needs
		// not published, or not for this platform) is passed over; a
		// network or disk failure could otherwise install the pinned
		// version and pass a week in which a new one came out.
		if (!NOT_INSTALLABLE.test(why.text)) continue;
		const latest = view(name, 'version', mode), pinned = pins[name];
		if (typeof latest !== 'string' || !release(latest)) continue;
		const failed = [latest];
		const below = [].concat(view(name, 'versions', mode) || [])
			.filter((v) => typeof v === 'string' && release(v) && newer(latest, v) && !(release(pinned || '') && newer(pinned, v)))
			.sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));
		for (const v of below.slice(0, FALLBACK_TRIES)) {
			const got = installOne(dir, name, v, mode);
			if (got) return { version: got, failed };
			failed.push(v);
		}
	}
	return { version: null, failed: [] };
}

const read = (p) => (fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')) : null);
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const signed = (n) => (n > 0 ? `+${n}` : `${n}`);
const oracle = path.join(here, '..', 'oracle');

// A recording in common terms: whether the CLI sent a request, the
// fixture's texts it held in their order, what it kept of each (bytes
// or tokens: a cut moves them), and its own prompt and its tools
// (o200k_base tokens; null where the recording has none).
function harnessTerms(r) {
	const files = r.files || [];
	return { sent: r.sent, texts: files.map((x) => x.path), kept: files.map((x) => x.sent),
		own: r.tokens ? r.tokens.text - r.tokens.files : null, tools: r.tokens ? r.tokens.tools : null };
}
// The markers a fixture of Claude Code's subagents names on its
// `any-order:` lines: texts whose order Claude Code does not keep from
// run to run (SubagentStart hooks run at once and arrive as each ends),
// sorted among the places they hold, as tests/suites/run-oracle.sh does.
const anyOrder = new Map(); // fixture name -> its markers in any order
function inAnyOrder(name, markers) {
	if (!anyOrder.has(name)) {
		const f = path.join(oracle, 'fixtures', `${name}.txt`);
		const free = new Set();
		if (fs.existsSync(f))
			for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
				if (line.startsWith('===')) break;
				const m = /^any-order:\s*(.*)$/.exec(line);
				if (m) m[1].split(/\s+/).filter(Boolean).forEach((x) => free.add(x));
			}
		anyOrder.set(name, free);
	}
	const free = anyOrder.get(name);
	const isFree = (x) => free.has(x.split(' ').pop());
	const sorted = markers.filter(isFree).sort();
	return markers.map((x) => (isFree(x) ? sorted.shift() : x));
}
// Claude Code's subagent (tests/oracle/run.mjs): the markers of the
// fixture's texts in the order they arrived and the fixture's agents the
// main session listed; kept, the tokens of fixture text, the agents'
// descriptions as listed and the carriage returns and byte order marks
// that arrived.  A corpus fixture lists the agents only.
function subagentTerms(r, name) {
	if (r.agents_listed !== undefined)
		return { sent: true, texts: Object.entries(r.agents).map(([k, v]) => `${k} ${v}`),
			kept: [r.agents_listed], own: null, tools: null };
	const t = r.tokens && r.tokens.o200k_base;
	const agents = r.agents || [];
	return { sent: !!r.delegated,
		texts: [...inAnyOrder(name, r.markers || []), ...agents.map((a) => `agent ${a[0]}`)],
		kept: [t ? t.fixture : 0, ...agents.map((a) => a[1]), JSON.stringify(r.bytes || {})],
		own: t ? t.parts.system : null, tools: t ? t.parts.tools : null };
}
// Claude Code's main session (tests/oracle/context.mjs): its instruction
// files, agents and skills listed, and each file's tokens.
function sessionTerms(r) {
	const t = r.tokens.o200k_base;
	return { sent: true,
		texts: [...r.memory.map((x) => `memory ${x}`), ...r.agents.map((x) => `agent ${x}`),
			...r.skills.map((x) => `skill ${x}`)],
		kept: t.memory.map((x) => x[1]), own: t.parts.system, tools: t.parts.tools };
}

// What each CLI records: one set of fixtures for each CLI of the harness
// oracle (tests/oracle-harness/run.mjs, every CLI's results in one
// folder), two for Claude Code (its subagents and its main session).
// argv(bin, names) is the recorder's command line for the executables in
// bin (node_modules/.bin of the install) and the fixtures named (none:
// every fixture).
function recordings(h) {
	if (h === 'claude')
		return [
			{ part: 'agents', pinned: path.join(oracle, 'results'), fixtures: path.join(oracle, 'fixtures'),
				argv: (bin, names) => [path.join(oracle, 'run.mjs'), path.join(bin, 'claude'), ...names],
				terms: subagentTerms },
			{ part: 'session', pinned: path.join(oracle, 'context', 'results'),
				fixtures: path.join(oracle, 'context', 'fixtures'),
				argv: (bin, names) => [path.join(oracle, 'context.mjs'), path.join(bin, 'claude'), ...names],
				terms: sessionTerms },
		];
	const dir = path.join(here, 'fixtures');
	return [{ part: '', pinned: path.join(here, 'results'), fixtures: dir, suffix: `.${h}`, env: { ORACLE_HARNESSES: h },
		// this recorder takes the fixtures' paths
		argv: (bin, names) => [path.join(here, 'run.mjs'), bin, ...names.map((n) => path.join(dir, `${n}.txt`))],
		terms: harnessTerms }];
}

// The fixtures named on the command line that rec records (all of them
// when none is named).
const named = (rec) => fixtures.filter((f) => fs.existsSync(path.join(rec.fixtures, `${f}.txt`)));

// What moved between the pinned recordings and the newest's, in folder
// results (one subfolder a part when a CLI has more than one).
function compare(h, results) {
	const out = { fixtures: 0, files: [], order: [], cuts: [], refusals: [], missing: [], parts: [] };
	for (const rec of recordings(h)) {
		// each recorder's own prompt and tools apart: a move of the main
		// session's alone is not lost in the median of the subagents'
		const part = { own: [], tools: [], pinnedOwn: [] };
		out.parts.push(part);
		const dir = path.join(results, rec.part), suffix = `${rec.suffix || ''}.json`;
		const ours = (d) => (fs.existsSync(d) ? fs.readdirSync(d) : []).filter((x) => x.endsWith(suffix) && x !== 'models.json');
		// a whole run records every pinned fixture again: one left out
		// is work skipped, never a fixture that did not move
		if (!fixtures.length) {
			const got = new Set(ours(dir));
			for (const f of ours(rec.pinned)) if (!got.has(f)) out.missing.push(f.slice(0, -suffix.length));
		}
		for (const f of ours(dir).sort()) {
			const ra = read(path.join(rec.pinned, f)), rb = read(path.join(dir, f));
			const name = f.slice(0, -suffix.length);
			if (!ra || !rb) continue;
			const a = rec.terms(ra, name), b = rec.terms(rb, name);
			out.fixtures++;
			if (a.sent !== b.sent) { out.refusals.push(name); continue; }
			if (!a.sent) continue;
			if ([...a.texts].sort().join('\n') !== [...b.texts].sort().join('\n')) out.files.push(name);
			else if (a.texts.join('\n') !== b.texts.join('\n')) out.order.push(name);
			else if (a.kept.join('\n') !== b.kept.join('\n')) out.cuts.push(name);
			if (a.own !== null && b.own !== null) {
				part.own.push(b.own - a.own);
				part.pinnedOwn.push(a.own);
			}
			if (a.tools !== null && b.tools !== null) part.tools.push(b.tools - a.tools);
		}
	}
	return out;
}

// Records every fixture of h (or those named on the command line) with
// the executables in bin into results; whether every recorder ran.
function record(h, bin, results) {
	for (const rec of recordings(h)) {
		// named fixtures: only those of this recorder's, and none at all
		// run none (a recorder given no names records every fixture)
		const names = named(rec);
		if (fixtures.length && !names.length) continue;
		const r = spawnSync(process.execPath, rec.argv(bin, names), {
			stdio: ['ignore', 'ignore', 'inherit'],
			// the pinned recordings' directories (the recorders' own
			// default): the CLIs' prompts name them, so that another
			// path would move their own text
			env: { ...process.env, ...(rec.env || {}), ORACLE_RESULTS: path.join(results, rec.part) },
		});
		if (r.status !== 0) return false;
	}
	return fs.existsSync(results);
}

fs.mkdirSync(prefix, { recursive: true });
const rows = [];
let moved = false, broken = false;
// ORACLE_LATEST_REUSE=1: the table again from the recordings a run left
// in the prefix, nothing installed or recorded.
const reuse = process.env.ORACLE_LATEST_REUSE === '1';
const recorded = (h) => {
	const dir = path.join(prefix, 'results');
	const d = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
		.filter((x) => x.startsWith(`${h}@`)).map((x) => x.slice(h.length + 1)).filter(release);
	return d.reduce((a, v) => (a === null || newer(v, a) ? v : a), null);
};
const pinnedOf = (h) => pins[PACKAGES[h]];
for (const h of Object.keys(PACKAGES).filter((x) => !only || only.includes(x))) {
	// FIXTURE arguments none of whose fixtures h records: no row
	if (fixtures.length && !recordings(h).some((rec) => named(rec).length)) continue;
	// Claude Code's managed policy is /etc/claude-code, which only root
	// may write (tests/oracle/managed.mjs): without it the fixtures that
	// have one could not be recorded, and the row would be partial.
	if (h === 'claude' && !reuse && process.getuid && process.getuid() !== 0) {
		rows.push({ h, pinned: pinnedOf(h), version: '-', note: 'not recorded: needs root (/etc/claude-code)' });
		broken = true;
		continue;
	}
	const { version, failed } = reuse ? { version: recorded(h), failed: [] } : install(h);
	const newest = failed.length ? `${version} (${failed.join(', ')} not installable)` : version;
	if (!version) {
		rows.push({ h, pinned: pinnedOf(h), version: '-', note: 'not installed' });
		broken = true;
		continue;
	}
	const results = path.join(prefix, 'results', `${h}@${version}`);
	if (!reuse) fs.rmSync(results, { recursive: true, force: true });
	if (!(reuse ? fs.existsSync(results) : record(h, path.join(prefix, h, 'node_modules', '.bin'), results))) {
		rows.push({ h, pinned: pinnedOf(h), version: newest, note: 'not recorded' });
		broken = true;
		continue;
	}
	const c = compare(h, results);
	if (c.missing.length) {
		rows.push({ h, pinned: pinnedOf(h), version: newest,
			note: `not recorded: ${c.missing.length} fixtures (${c.missing.slice(0, 3).join(', ')})` });
		broken = true;
		continue;
	}
	// Of each recorder's medians, the one furthest from 0; the own prompt
	// names the date and the directory: a few tokens of noise (up to 1%
	// of it), not a move.
	let ownDelta = 0, toolsDelta = 0, over = false;
	for (const part of c.parts) {
		const o = median(part.own), t = median(part.tools);
		const noise = Math.max(10, Math.round(median(part.pinnedOwn) / 100));
		if (Math.abs(o) > Math.abs(ownDelta)) ownDelta = o;
		if (Math.abs(t) > Math.abs(toolsDelta)) toolsDelta = t;
		over ||= Math.abs(o) > noise || Math.abs(t) > noise;
	}
	const row = { h, pinned: pinnedOf(h), version, newest, c, ownDelta, toolsDelta };
	row.moved = version !== row.pinned || c.files.length + c.order.length + c.cuts.length + c.refusals.length > 0 ||
		over;
	moved ||= row.moved;
	rows.push(row);
}

const list = (xs) => (xs.length ? `${xs.length}: ${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ', ...' : ''}` : 'same');
console.log('| CLI | pinned | newest | fixtures | files | order | cuts | refusals | own prompt | tools |');
console.log('|---|---|---|---:|---|---|---|---|---:|---:|');
for (const r of rows) {
	if (r.note) {
		console.log(`| ${r.h} | ${r.pinned} | ${r.version} | - | ${r.note} | | | | | |`);
		continue;
	}
	console.log(`| ${r.h} | ${r.pinned} | ${r.newest} | ${r.c.fixtures} | ${list(r.c.files)} | ${list(r.c.order)} | ` +
		`${list(r.c.cuts)} | ${list(r.c.refusals)} | ${signed(r.ownDelta)} | ${signed(r.toolsDelta)} |`);
}
process.exit(broken ? 2 : moved ? 1 : 0);
