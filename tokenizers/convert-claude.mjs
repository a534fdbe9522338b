// convert-claude.mjs: write tokenizers/claude.tiktoken from @anthropic-ai/tokenizer's claude.json.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tokenizers/convert-claude.mjs [path/to/claude.json]
//
// Without an argument it reads claude.json of the @anthropic-ai/tokenizer installed in
// tests/node_modules (the version pinned in tests/package-lock.json).
//
// claude.json keeps its ranks in the "lite" layout of tiktoken's JS/WASM package
// (tiktoken/wasm/src/lib.rs, parse_bfe): when the text starts with '!', every line is
// "<marker> <offset> <b64> <b64> ...", the marker is ignored and the i-th base64 token
// (counting from 0) has rank offset + i. Otherwise each line is "<b64> <rank>", the
// standard .tiktoken layout that this script writes: one "base64(bytes) rank" line per
// token, ascending rank, special tokens left out (they live in claude.yaml).
//
// The script refuses to write anything unless the ranks are unique, the tokens are
// unique, the specials do not collide with ranks, and tiktoken built from the converted
// file encodes a set of sample strings exactly as the package's own tokenizer does.

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'tests', 'package.json'));

function fail(msg) {
  process.stderr.write(`convert-claude: ${msg}\n`);
  process.exit(1);
}

// Parse either layout the way tiktoken's parse_bfe does; also catch what parse_bfe
// would silently accept (duplicate tokens overwrite, duplicate ranks alias).
function parseRanks(text) {
  const entries = []; // [base64, rank]
  const lines = text.split('\n').filter((l) => l !== '');
  if (text.startsWith('!')) {
    for (const line of lines) {
      const parts = line.split(' ');
      const offset = Number(parts[1]);
      if (!Number.isInteger(offset) || offset < 0) fail(`bad offset in lite line: ${parts[1]}`);
      parts.slice(2).forEach((b64, i) => entries.push([b64, offset + i]));
    }
  } else {
    for (const line of lines) {
      const [b64, rank] = line.split(' ');
      entries.push([b64, Number(rank)]);
    }
  }
  return { entries, lines: lines.length };
}

const src = process.argv[2] ?? require.resolve('@anthropic-ai/tokenizer/claude.json');
const pkg = JSON.parse(readFileSync(join(dirname(src), 'package.json'), 'utf8'));
const claude = JSON.parse(readFileSync(src, 'utf8'));
const { entries, lines } = parseRanks(claude.bpe_ranks);

const byRank = new Map();
const byToken = new Set();
for (const [b64, rank] of entries) {
  const bytes = Buffer.from(b64, 'base64');
  // Node's decoder is lenient; a token that does not survive a round trip is corrupt.
  if (bytes.length === 0 || bytes.toString('base64') !== b64) fail(`token is not canonical base64: "${b64}"`);
  if (byRank.has(rank)) fail(`rank ${rank} appears twice`);
  if (byToken.has(b64)) fail(`token ${b64} appears twice`);
  byRank.set(rank, b64);
  byToken.add(b64);
}

const ranks = [...byRank.keys()].sort((a, b) => a - b);
const gaps = [];
for (let i = 1; i < ranks.length; i++) {
  if (ranks[i] !== ranks[i - 1] + 1) gaps.push(`${ranks[i - 1] + 1}..${ranks[i] - 1}`);
}
const specials = Object.entries(claude.special_tokens);
for (const [name, id] of specials) {
  if (byRank.has(id)) fail(`special token ${name} (${id}) collides with a rank`);
}
const singleBytes = new Set();
for (const b64 of byToken) {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 1) singleBytes.add(bytes[0]);
}
if (singleBytes.size !== 256) fail(`only ${singleBytes.size} of the 256 single bytes are tokens`);

const out = ranks.map((r) => `${byRank.get(r)} ${r}\n`).join('');

// Cross-check: the converted ranks must tokenize exactly like the package.
const { Tiktoken } = require('tiktoken/lite');
const { getTokenizer } = require('@anthropic-ai/tokenizer');
const ours = new Tiktoken(out, claude.special_tokens, claude.pat_str);
const theirs = getTokenizer();
const samples = [
  '',
  'hello world!',
  "It's a test: don't, we'll, they're, I'm, you've, he'd.",
  'Grüße aus Köln, naïve café, Ελληνικά, Русский, עברית, العربية, हिन्दी, ไทย, 日本語, 한국어',
  '👩‍👩‍👧‍👦 🇺🇸 👍🏽 1️⃣',
  'ﬁnance ＡＢＣ１２３ x² ½ ™ ϰ',
  '   leading and trailing   \n\n\ttabs\r\nCRLF\rCR ',
  '<EOT> inside <META>text<SOS> and <META_START>x<META_END>',
  'int main(void) { return 0; }\n\tprintf("%d\\n", 42);',
  '0123456789 3.14159 1,000,000 ٠١٢٣ ١٢٣',
  'a'.repeat(3000),
];
for (const s of samples) {
  const t = s.normalize('NFKC');
  const a = Array.from(ours.encode(t, 'all'));
  const b = Array.from(theirs.encode(t, 'all'));
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
    fail(`converted ranks disagree with the package on ${JSON.stringify(s.slice(0, 40))}`);
  }
}
ours.free();
theirs.free();

const dst = join(here, 'claude.tiktoken');
writeFileSync(dst, out);
process.stdout.write(
  `convert-claude: ${pkg.name}@${pkg.version}: ${lines} lite line(s), ${ranks.length} tokens, ` +
    `ranks ${ranks[0]}..${ranks.at(-1)}, gaps: ${gaps.length ? gaps.join(', ') : 'none'}; ` +
    `${specials.length} specials (${specials.map(([n, i]) => `${n}=${i}`).join(' ')}); ` +
    `explicit_n_vocab in claude.json: ${claude.explicit_n_vocab ?? 'absent'}; ` +
    `${samples.length} samples encode identically; wrote ${dst}\n`,
);
