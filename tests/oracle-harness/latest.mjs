// latest.mjs - drift: installs the newest version of every agent CLI the
// oracle records (tests/package.json "oracle-harness") from npm into a
// private prefix, records every fixture with it (run.mjs), and prints
// what moved against the pinned version's recordings
// (tests/oracle-harness/results/): the files sent, their order, their
// cuts (bytes sent), the CLI's own prompt and its tools (o200k_base
// tokens), as a short table.  Exit 1 when anything moved, 2 when a CLI
// could not be installed or recorded.  Dev-time only (make oracle-latest;
// .github/workflows/oracle-latest.yml runs it weekly).
//
//   node tests/oracle-harness/latest.mjs
//
// ORACLE_LATEST_PREFIX: where (default /tmp/promptasm-oracle-latest).
// Online, npm asks the registry for each package's `latest`; without a
// network (or with ORACLE_OFFLINE=1) it installs from the local npm
// cache (`npm install --offline`): the newest version the cache holds.
// ORACLE_HARNESSES ("codex pi") and FIXTURE arguments narrow the run;
// ORACLE_LATEST_REUSE=1 prints the table of the last run's recordings.
// The recordings stay in the prefix; the repository is not written.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = process.env.ORACLE_LATEST_PREFIX || '/tmp/promptasm-oracle-latest';
const pkg = JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8'))['oracle-harness'];
const PACKAGES = {
	codex: '@openai/codex', copilot: '@github/copilot', gemini: '@google/gemini-cli',
	opencode: 'opencode-ai', qwen: '@qwen-code/qwen-code', pi: '@mariozechner/pi-coding-agent',
	cline: 'cline', kilo: '@kilocode/cli',
};
const only = process.env.ORACLE_HARNESSES ? process.env.ORACLE_HARNESSES.split(/[\s,]+/).filter(Boolean) : null;
const fixtures = process.argv.slice(2);

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

// Installs `name@spec` into dir; its version, or null with why on stderr.
function installOne(dir, name, spec, mode) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
	const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', ...mode, `${name}@${spec}`],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900000 });
	const j = path.join(dir, 'node_modules', ...name.split('/'), 'package.json');
	if (r.status === 0 && fs.existsSync(j)) return JSON.parse(fs.readFileSync(j, 'utf8')).version;
	process.stderr.write(`oracle-latest: ${name}@${spec}${mode.length ? ' (offline)' : ''}: npm install failed: ` +
		`${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}\n`);
	return null;
}

// At most this many versions are tried below a `latest` that does not
// install; past them the CLI counts as not installed (exit 2), never as
// unmoved.
const FALLBACK_TRIES = 4;

// Installs the newest version of h's package that installs into
// PREFIX/h: `latest`, else (a release whose parts for this platform are
// not published, as Kilo's 7.8.1 was) the versions below it down to the
// pinned one, newest first.  Returns { version, failed }: the version
// installed or null, and the newer ones that did not install.
function install(h) {
	const dir = path.join(prefix, h);
	const name = PACKAGES[h];
	const modes = process.env.ORACLE_OFFLINE === '1' ? [['--offline']] : [[], ['--offline']];
	for (const mode of modes) {
		const version = installOne(dir, name, 'latest', mode);
		if (version) return { version, failed: [] };
		const latest = view(name, 'version', mode), pinned = pkg[name];
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
const own = (r) => r.tokens.text - r.tokens.files;
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const signed = (n) => (n > 0 ? `+${n}` : `${n}`);

// What moved between the pinned recordings and the newest's.
function compare(h, results) {
	const out = { fixtures: 0, files: [], order: [], cuts: [], refusals: [], own: [], tools: [] };
	for (const f of fs.readdirSync(results).filter((x) => x.endsWith(`.${h}.json`)).sort()) {
		const a = read(path.join(here, 'results', f)), b = read(path.join(results, f));
		const name = f.replace(/\.[a-z]+\.json$/, '');
		if (!a || !b) continue;
		out.fixtures++;
		if (a.sent !== b.sent) { out.refusals.push(name); continue; }
		if (!a.sent) continue;
		const pa = a.files.map((x) => x.path), pb = b.files.map((x) => x.path);
		if ([...pa].sort().join('\n') !== [...pb].sort().join('\n')) out.files.push(name);
		else if (pa.join('\n') !== pb.join('\n')) out.order.push(name);
		else if (a.files.some((x, i) => x.sent !== b.files[i].sent)) out.cuts.push(name);
		out.own.push(own(b) - own(a));
		out.tools.push(b.tokens.tools - a.tokens.tools);
	}
	return out;
}

fs.mkdirSync(prefix, { recursive: true });
const rows = [];
let moved = false, broken = false;
// ORACLE_LATEST_REUSE=1: the table again from the recordings a run left
// in the prefix, nothing installed or recorded.
const reuse = process.env.ORACLE_LATEST_REUSE === '1';
const recorded = (h) => {
	const dir = path.join(prefix, 'results');
	const d = fs.existsSync(dir) ? fs.readdirSync(dir).filter((x) => x.startsWith(`${h}@`)) : [];
	return d.length ? d[d.length - 1].slice(h.length + 1) : null;
};
for (const h of Object.keys(PACKAGES).filter((x) => !only || only.includes(x))) {
	const { version, failed } = reuse ? { version: recorded(h), failed: [] } : install(h);
	const newest = failed.length ? `${version} (${failed.join(', ')} not installable)` : version;
	if (!version) {
		rows.push({ h, pinned: pkg[PACKAGES[h]], version: '-', note: 'not installed' });
		broken = true;
		continue;
	}
	const results = path.join(prefix, 'results', `${h}@${version}`);
	if (!reuse) fs.rmSync(results, { recursive: true, force: true });
	const r = reuse ? { status: 0 } : spawnSync(process.execPath, [path.join(here, 'run.mjs'), path.join(prefix, h, 'node_modules', '.bin'),
		...fixtures], {
		stdio: ['ignore', 'ignore', 'inherit'],
		// the pinned recordings' directories (run.mjs's own default):
		// the CLIs' prompts name them, so that another path would move
		// their own text
		env: { ...process.env, ORACLE_HARNESSES: h, ORACLE_RESULTS: results },
	});
	if (r.status !== 0 || !fs.existsSync(results)) {
		rows.push({ h, pinned: pkg[PACKAGES[h]], version: newest, note: 'not recorded' });
		broken = true;
		continue;
	}
	const c = compare(h, results);
	const ownDelta = median(c.own), toolsDelta = median(c.tools);
	// the own prompt names the date and the directory: a few tokens of
	// noise (up to 1% of it), not a move
	const empty = read(path.join(here, 'results', `empty.${h}.json`));
	const noise = Math.max(10, Math.round((empty ? own(empty) : 0) / 100));
	const row = { h, pinned: pkg[PACKAGES[h]], version, newest, c, ownDelta, toolsDelta };
	row.moved = version !== row.pinned || c.files.length + c.order.length + c.cuts.length + c.refusals.length > 0 ||
		Math.abs(ownDelta) > noise || Math.abs(toolsDelta) > noise;
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
