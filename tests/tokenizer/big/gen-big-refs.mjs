// gen-big-refs.mjs: the reference counts and ids of the generated big texts
// (gen.sh), from the real implementations, into big-refs.tsv.
//
// Usage (from the repository root, after `npm ci --prefix tests`):
//   node tests/tokenizer/big/gen-big-refs.mjs
//
// Each line of big-refs.tsv: the text (KIND BYTES REPEAT: gen.sh KIND BYTES,
// written REPEAT times), the tokenizer, the number of ids, and the SHA-256
// of the ids as `promptasm tokenize` prints them (decimal, one space apart,
// a final line feed).  Ids as in gen-reference.mjs: tiktoken's
// encode_ordinary for cl100k_base and o200k_base, @anthropic-ai/tokenizer's
// encode(text.normalize('NFKC'), 'all') for claude.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'package.json'));
const { get_encoding } = require('tiktoken');
const { getTokenizer } = require('@anthropic-ai/tokenizer');

// The texts the tests count: the kernel's 24 MB header, 100 MB of #define
// lines (a 25 MB header four times), a single line of 50 MB, and one of
// 30 MB with no place to cut.
const TEXTS = [
  ['header', 24000000, 1, ['o200k_base', 'cl100k_base', 'claude']],
  ['header', 25000000, 4, ['o200k_base']],
  ['oneline', 50000000, 1, ['o200k_base', 'cl100k_base']],
  ['hexline', 30000000, 1, ['o200k_base', 'claude']],
];

function idsHash(ids) {
  const h = createHash('sha256');
  const CHUNK = 1 << 16;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = Array.from(ids.subarray(i, Math.min(ids.length, i + CHUNK)));
    h.update((i ? ' ' : '') + part.join(' '));
  }
  h.update('\n');
  return h.digest('hex');
}

const lines = [];
for (const [kind, bytes, repeat, toks] of TEXTS) {
  const one = execFileSync('sh', [join(here, 'gen.sh'), kind, String(bytes)], {
    maxBuffer: 1 << 30, encoding: 'utf8',
  });
  const text = one.repeat(repeat);
  for (const name of toks) {
    let enc;
    if (name === 'claude') {
      const t = getTokenizer();
      enc = (s) => t.encode(s.normalize('NFKC'), 'all');
    } else {
      const t = get_encoding(name);
      enc = (s) => t.encode_ordinary(s);
    }
    const ids = enc(text); // whole: the reference knows nothing of cuts

    lines.push([kind, bytes, repeat, name, ids.length, idsHash(ids)].join('\t'));
    console.error(lines[lines.length - 1]);
  }
}
writeFileSync(join(here, 'big-refs.tsv'),
  '# text\tbytes\trepeat\ttokenizer\tids\tsha256 of the ids (gen-big-refs.mjs)\n' +
  lines.join('\n') + '\n');
