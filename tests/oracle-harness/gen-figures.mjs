// gen-figures.mjs - writes src/compose/harness_figures.inc from the
// recorded first requests (tests/oracle-harness/results/): per CLI, the
// version and model recorded, the tokens of its own text (the fixture
// its model, its own text and tools, and the text it wraps each file in:
// a least-squares fit, over the recordings of that model, of what is not
// the files' text as a fixed part plus a part per file sent.  The first
// row of a CLI's version is the model it runs on when nothing names one
// (the fixture `empty`); a CLI's newest version comes first, the one
// promptasm takes when the user names none.  The text that grows with
// the project and that promptasm counts itself (Gemini CLI's directory
// tree, tokens.tree) is not part of the CLI's own text.  Token counts
// only, never the text.  Dev-time only.
//
//   node tests/oracle-harness/gen-figures.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const results = path.join(here, 'results');
const ids = { codex: 1, copilot: 2, gemini: 3, opencode: 4, qwen: 5, pi: 6, cline: 7, kilo: 8 };
// The context window of the model each was measured with (its
// published figure; Codex's own catalog, `codex debug models`, for Codex;
// qwen3-coder-plus: 1,000,000, Alibaba Cloud Model Studio's figure and
// Qwen Code's own table of token limits; gpt-5.5 for pi: pi's own
// catalog, 272000).
// A version's catalog may say otherwise (Codex 0.171.0 gives
// gpt-6.1-sol 500,000 where 0.169.0 gave 272,000): `H@VERSION` first.
const windows = {
	'gpt-5.5': 272000, 'gpt-6.1-sol': 272000,
	'gemini-3.1-pro-preview': 1048576, 'gemini-3.8-flash': 1048576,
	'qwen3-coder-plus': 1000000,
	'codex@0.171.0': { 'gpt-6.2-sol': 500000, 'gpt-6.1-sol': 500000 },
};
// The words around the skills a CLI lists, once when it lists any, where
// they are not part of its own text (pi has no skill of its own): the
// tokens of the listing less those of its entries, measured by hand on
// the recordings of pi-skills*.txt (66 to 70; the entries are counted by
// promptasm); Cline's skill tool, which it sends only when it lists a
// skill, less the names it lists (cline-skills*.txt: 215 in both).
const skillsFrame = { pi: 68, cline: 215 };
// The part of the CLI's own prompt that a variable takes the place of,
// o200k_base tokens: Qwen Code's first sentences (QWEN_SYSTEM_IDENTITY_MD:
// the part of 0.24.4's first request before its first heading, less its
// line end, 45; qwen-system-identity.txt), pi's paths of its README, docs
// and examples under the package installed (PI_PACKAGE_DIR: 0.73.1's
// three paths, 53, and the two line ends promptasm joins them with;
// pi-package-dir.txt).
const ownPart = { qwen: 45, pi: 55 };
// The same part in the tokenizer of a second set of figures: Qwen's
// first sentences are 46 qwen3 tokens.
const ownPartIn = { 'qwen:qwen3': 46 };
const r0 = (key) => key.replace(/^tokens_/, '');
const windowOf = (h, version, model) => (windows[`${h}@${version}`] || {})[model] || windows[model] || 0;

// Versions newest first (numeric parts compared).
const newer = (a, b) => {
	const x = a.split(/[.-]/).map(Number), y = b.split(/[.-]/).map(Number);
	for (let i = 0; i < Math.max(x.length, y.length); i++)
		if ((x[i] || 0) !== (y[i] || 0)) return (y[i] || 0) - (x[i] || 0);
	return 0;
};

// The recordings of CLI h: the pinned version's in results/, each other
// version's in results/H@VERSION/.
function recordings(h) {
	const dirs = [results, ...fs.readdirSync(results).filter((d) => d.startsWith(`${h}@`))
		.map((d) => path.join(results, d))];
	return dirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith(`.${h}.json`)).sort()
		.map((f) => {
			const head = fs.readFileSync(path.join(here, 'fixtures', f.replace(/\.[a-z]+\.json$/, '.txt')), 'utf8')
				.split('\n===')[0].split('\n');
			// `figures: no`: text of the user's configuration in the
			// request (Codex's developer_instructions), or a prompt of
			// another kind (an untrusted project's), not the CLI's own
			// `figures: replaced`: a file replaces the CLI's system prompt
			// (GEMINI_SYSTEM_MD): not in the fit, it gives the own text
			// left then (the file first, with no wrapping of its own)
			// `figures: variant VAR`: the variable VAR (of its env:)
			// chooses a variant of the CLI's own text (Qwen's
			// QWEN_CODE_TOOL_CALL_STYLE): not in the fit, it gives that
			// variant's own text less the CLI's, a row of
			// hx_variant_figures
			const rec = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
			const v = head.map((l) => l.match(/^figures: variant (\S+)$/)).find(Boolean);
			return { ...rec,
				outside: head.includes('git: no'), skip: head.includes('figures: no'),
				replaced: head.includes('figures: replaced'),
				variant: v ? String((rec.env || {})[v[1]] || '').toLowerCase() : null };
		}).filter((r) => !r.skip));
}

// Where a CLI's recordings count the request in the tokenizer of its
// models too (run.mjs: tokens_NAME, its MODELS_TOKENIZER), the same
// figures in its tokens are rows of hx_counted_figures.
const rows = [], counted = [], variants = [];
for (const [h, id] of Object.entries(ids)) {
	const every = recordings(h).filter((r) => r.sent);
	for (const version of [...new Set(every.map((r) => r.version))].sort(newer)) {
		const these = every.filter((r) => r.version === version);
		figures(h, id, version, these, 'tokens', rows);
		const own = Object.keys(these[0]).find((k) => k.startsWith('tokens_'));
		if (own && these.every((r) => r[own]))
			figures(h, id, version, these, own, counted);
	}
}

// The figures of CLI h's version from all its recordings, counted in
// the tokens of r[key]: rows of hx_measured_figures (tokens, o200k_base)
// or of hx_counted_figures (tokens_NAME).
function figures(h, id, version, all, key, out) {
	const empty = all.find((r) => r.files.length === 0);
	if (!empty) throw new Error(`${h}: no recording without files`);
	// the model it runs on when nothing names one comes first
	const models = [...new Set([empty.model, ...all.map((r) => r.model)])];
	for (const model of models) {
		// a recording with skills listed is not in the fit: their
		// entries are not the files' text
		const group = all.filter((r) => r.model === model && !r.outside && !r.replaced &&
			!r.variant && !r.files.some((f) => f.skill));
		// text - files = own + per * n: least squares over the group
		const pts = group.map((r) => [r.files.filter((f) => !f.named).length, r[key].text - r[key].files - (r[key].tree || 0)]);
		const n = pts.length;
		const sx = pts.reduce((a, p) => a + p[0], 0), sy = pts.reduce((a, p) => a + p[1], 0);
		const sxx = pts.reduce((a, p) => a + p[0] * p[0], 0), sxy = pts.reduce((a, p) => a + p[0] * p[1], 0);
		const d = n * sxx - sx * sx;
		let per = d ? (n * sxy - sx * sy) / d : 0;
		let own = (sy - per * sx) / n;
		if (per < 0) { per = 0; own = sy / n; }
		// started outside a repository: the fixture no-git
		const outside = all.find((r) => r.model === model && r.outside && !r.variant);
		const ownOut = outside ? outside[key].text - outside[key].files - (outside[key].tree || 0) -
			per * outside.files.filter((f) => !f.named).length : own;
		const rep = all.find((r) => r.model === model && r.replaced && !r.variant);
		const ownRep = rep ? rep[key].text - rep[key].files - (rep[key].tree || 0) -
			per * (rep.files.filter((f) => !f.named).length - 1) : 0;
		const tools = group.map((r) => r[key].tools).sort((a, b) => a - b)[Math.floor(n / 2)];
		// each variant's own text less the row's: the request with the
		// variable less the same request without it (run.mjs: `without`,
		// recorded in the same place, since the fixtures' paths move a
		// request by more than a variant does)
		for (const r of all.filter((x) => x.model === model && x.variant && x.without)) {
			variants.push(`\t{ ${id}, "${version}", "${model}", "${key === 'tokens' ? 'o200k_base' : r0(key)}", ` +
				`"${r.variant}", ${r[key].text - r.without[key].text} }, /* ${h} */`);
		}
		if (key !== 'tokens') {
			out.push(`\t{ ${id}, "${version}", "${model}", "${r0(key)}", ${Math.round(own)}, ${Math.round(ownOut)}, ` +
				`${tools}, 0, ${Math.round(per)}, ${Math.round(Math.max(ownRep, 0))}, 0, ` +
				`${ownPartIn[`${h}:${r0(key)}`] || 0} }, /* ${h}: ${n} recordings */`);
			continue;
		}
		out.push(`\t{ ${id}, "${version}", { "${model}", ${Math.round(own)}, ${Math.round(ownOut)}, ${tools}, ` +
			`0, ${Math.round(per)}, ${windowOf(h, version, model)}, 0, ${Math.round(Math.max(ownRep, 0))}, ` +
			`${skillsFrame[h] || 0}, ${ownPart[h] || 0} } }, /* ${h}: ${n} recordings */`);
	}
}
fs.writeFileSync(path.join(here, '..', '..', 'src', 'compose', 'harness_figures.inc'),
	`/* harness_figures.inc - generated by tests/oracle-harness/gen-figures.mjs
 * from tests/oracle-harness/results/: do not edit.  Per CLI: its id, the
 * version measured (newest first: the first is the default), and { model, own text, own text outside a
 * repository, tools, wrapping once, wrapping per file (o200k_base
 * tokens), the model's window, reserved, own text left when a file replaces
 * its system prompt, its words around the skills it lists, the part of
 * its own text a variable takes the place of }. */
static const hx_measured hx_measured_figures[] = {
${rows.join('\n')}
};

/* The same figures counted with the tokenizer of the CLI's models where
 * it is not o200k_base (hx_counted in harness.c): { id, version, model,
 * tokenizer, own text, own text outside a repository, tools, wrapping
 * once, wrapping per file, own text left when a file replaces its system
 * prompt, its words around the skills it lists, the part of its own
 * text a variable takes the place of }.  A table of its own
 * rather than a second row above, so that each fact has one home: the
 * row above keeps the model's window and reserve, these only the counts,
 * which a request takes when counted with that tokenizer
 * (pa_harness_figures_in()); counted with any other (o200k_base for a
 * model not of the CLI's, or -t), it takes the o200k_base row's. */
static const hx_counted hx_counted_figures[] = {
${counted.join('\n')}
};

/* The own text a variable's variant of it sends (hx_variant in
 * harness.c): { id, version, model, tokenizer, the variant (the
 * variable's value), its tokens less the row's own text }. */
static const hx_variant hx_variant_figures[] = {
${variants.join('\n')}
};
`);
console.log([...rows, ...counted, ...variants].join('\n'));
