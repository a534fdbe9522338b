// ref-bench.mjs: throughput of the reference tokenizers, for comparison with `make bench`.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tests/bench/ref-bench.mjs CORPUS_FILE
//
// Prints one line per implementation and tokenizer, space-separated:
//   IMPL TOKENIZER MB_PER_S MB/s NTOKENS
// e.g. "tiktoken-npm cl100k_base 12.34 MB/s 123456". MB is 10^6 bytes of the file's UTF-8.
// Each encoder is built once (not timed), run once to warm up, then timed best of 3 over the
// whole file. tiktoken and gpt-tokenizer encode the text as ordinary text (special-token
// strings are plain text); the Claude tokenizer is timed as its countTokens() works, NFKC
// normalization included, with specials allowed, but with one encoder built up front.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  process.stderr.write('usage: node tests/bench/ref-bench.mjs CORPUS_FILE\n');
  process.exit(2);
}
let text;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  process.stderr.write(`ref-bench: cannot read ${file}: ${e.message}\n`);
  process.exit(2);
}
const bytes = Buffer.byteLength(text, 'utf8');

const { get_encoding } = require('tiktoken');
const { getTokenizer } = require('@anthropic-ai/tokenizer');
const gptCl100k = require('gpt-tokenizer/cjs/encoding/cl100k_base');
const gptO200k = require('gpt-tokenizer/cjs/encoding/o200k_base');
const ordinary = { allowedSpecial: new Set(), disallowedSpecial: new Set() };

const tiktokenCl100k = get_encoding('cl100k_base');
const tiktokenO200k = get_encoding('o200k_base');
const claude = getTokenizer();

const runs = [
  ['tiktoken-npm', 'cl100k_base', () => tiktokenCl100k.encode_ordinary(text).length],
  ['tiktoken-npm', 'o200k_base', () => tiktokenO200k.encode_ordinary(text).length],
  ['gpt-tokenizer-npm', 'cl100k_base', () => gptCl100k.encode(text, ordinary).length],
  ['gpt-tokenizer-npm', 'o200k_base', () => gptO200k.encode(text, ordinary).length],
  ['anthropic-tokenizer-npm', 'claude', () => claude.encode(text.normalize('NFKC'), 'all').length],
];

for (const [impl, tok, fn] of runs) {
  const n = fn(); // warm-up
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const m = fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (m !== n) {
      process.stderr.write(`ref-bench: ${impl} ${tok} gave ${m} tokens, then ${n}\n`);
      process.exit(1);
    }
    best = Math.min(best, dt);
  }
  const mbps = best > 0 ? bytes / 1e6 / best : Infinity;
  process.stdout.write(`${impl} ${tok} ${mbps.toFixed(2)} MB/s ${n}\n`);
}

tiktokenCl100k.free();
tiktokenO200k.free();
claude.free();
