// ref-bench.mjs: throughput of the reference tokenizers, for comparison with `make bench`.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tests/bench/ref-bench.mjs NAME=FILE...
//
// Prints one line per implementation, tokenizer and corpus, space-separated:
//   IMPL TOKENIZER NAME COLD_MB_PER_S WARM_MB_PER_S NTOKENS
// e.g. "gpt-tokenizer-npm cl100k_base mixed 9.81 14.02 1234567". MB is 10^6 bytes of the file's
// UTF-8. Each encoder is built once (not timed). COLD is the first run on the corpus; for
// gpt-tokenizer, whose encoders keep a cache of merged words, its cache is cleared first, so COLD
// is what a new text costs and WARM what the same text costs again. WARM is the best of the next
// three runs. tiktoken and gpt-tokenizer encode the text as ordinary text (special-token strings are
// plain text); the Claude tokenizer is timed as its countTokens() works, NFKC normalization
// included, with specials allowed, but with one encoder built up front.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));

const corpora = process.argv.slice(2).map((arg) => {
  const eq = arg.indexOf('=');
  if (eq <= 0) {
    process.stderr.write('usage: node tests/bench/ref-bench.mjs NAME=FILE...\n');
    process.exit(2);
  }
  const name = arg.slice(0, eq), file = arg.slice(eq + 1);
  try {
    const text = readFileSync(file, 'utf8');
    return { name, text, bytes: Buffer.byteLength(text, 'utf8') };
  } catch (e) {
    process.stderr.write(`ref-bench: cannot read ${file}: ${e.message}\n`);
    return process.exit(2);
  }
});
if (corpora.length === 0) {
  process.stderr.write('usage: node tests/bench/ref-bench.mjs NAME=FILE...\n');
  process.exit(2);
}

const { get_encoding } = require('tiktoken');
const { getTokenizer } = require('@anthropic-ai/tokenizer');
const gptCl100k = require('gpt-tokenizer/cjs/encoding/cl100k_base');
const gptO200k = require('gpt-tokenizer/cjs/encoding/o200k_base');
const ordinary = { allowedSpecial: new Set(), disallowedSpecial: new Set() };

const tiktokenCl100k = get_encoding('cl100k_base');
const tiktokenO200k = get_encoding('o200k_base');
const claude = getTokenizer();

const runs = [
  ['tiktoken-npm', 'cl100k_base', (t) => tiktokenCl100k.encode_ordinary(t).length, null],
  ['tiktoken-npm', 'o200k_base', (t) => tiktokenO200k.encode_ordinary(t).length, null],
  ['gpt-tokenizer-npm', 'cl100k_base', (t) => gptCl100k.encode(t, ordinary).length,
    () => gptCl100k.clearMergeCache()],
  ['gpt-tokenizer-npm', 'o200k_base', (t) => gptO200k.encode(t, ordinary).length,
    () => gptO200k.clearMergeCache()],
  ['anthropic-tokenizer-npm', 'claude', (t) => claude.encode(t.normalize('NFKC'), 'all').length, null],
];

function seconds(fn, text) {
  const t0 = process.hrtime.bigint();
  const n = fn(text);
  return [Number(process.hrtime.bigint() - t0) / 1e9, n];
}

const rate = (bytes, s) => (s > 0 ? bytes / 1e6 / s : Infinity).toFixed(2);

for (const [impl, tok, fn, clear] of runs) {
  for (const { name, text, bytes } of corpora) {
    if (clear) clear();
    const [cold, n] = seconds(fn, text);
    let warm = Infinity;
    for (let i = 0; i < 3; i++) {
      const [s, m] = seconds(fn, text);
      if (m !== n) {
        process.stderr.write(`ref-bench: ${impl} ${tok} gave ${m} tokens for ${name}, then ${n}\n`);
        process.exit(1);
      }
      warm = Math.min(warm, s);
    }
    process.stdout.write(`${impl} ${tok} ${name} ${rate(bytes, cold)} ${rate(bytes, warm)} ${n}\n`);
  }
}

tiktokenCl100k.free();
tiktokenO200k.free();
claude.free();
