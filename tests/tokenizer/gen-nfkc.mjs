// gen-nfkc.mjs: generate src/tokenizer/nfkc_corrections.inc, what src/tokenizer/nfkc.c corrects in utf8proc's NFKC
// so that it gives what the claude reference's does, src/tokenizer/nfkc_stable.inc, the characters that
// NFKC leaves as they are whatever surrounds them, and tests/tokenizer/nfkc-marks.txt.gz, the
// reference's NFKC of every pair of combining marks, which tests/unit/test_nfkc.c checks.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tests/tokenizer/gen-nfkc.mjs            # rewrites the three files
//   node tests/tokenizer/gen-nfkc.mjs --check    # writes nothing; exits 1 if one differs
//
// The reference normalizes with String.prototype.normalize('NFKC'), which is Node's ICU (Unicode
// 17.0 in Node 20.20); Debian 12's utf8proc 2.8 knows Unicode 15.0. The script compares the two
// over every code point, reading utf8proc through a small C program built here with cc and
// pkg-config, and writes three tables of what differs:
//
//   decompositions  code points Unicode 16/17 gave a compatibility mapping (utf8proc leaves them
//                   as they are), each with Node's NFKD of it;
//   compositions    the canonical compositions Unicode 16/17 added: first, second, composite;
//   classes         code points whose Canonical_Combining_Class differs (marks added in Unicode
//                   16/17, which utf8proc takes for starters of class 0), each with Node's class.
//
// Every entry is for a code point the installed utf8proc does not know (General_Category Cn);
// the script stops if some difference is not, since nfkc.c corrects only those (a utf8proc that
// knows a character has its data right: the Unicode stability policy fixes a character's
// decomposition and class once it is assigned).
//
// Node has no API for the combining class, so it is read from what normalize('NFD') does with
// pairs: x followed by a probe of class k is reordered exactly when 0 < class(x) < k. The probes
// are, for each class utf8proc knows, a character of that class whose NFD is itself; a code point
// whose class lies between two probe classes (a class value new in Unicode) stops the script.
//
// The reference file lists, for every ordered pair of marks (a code point whose class is not 0
// in utf8proc or in Node; 968 of them), Node's NFKC of the pair, and of `a`, the mark and
// U+0301 or U+0323 (which compose with `a` unless the mark blocks them), and of every pair of the
// characters in the compositions table and those with each mark. Its format is at renderMarks().
// A character is stable when, in Node and in utf8proc alike, its NFKC is itself, it and the
// first character of its NFKD have class 0, and neither is the second character of a canonical
// composition (every such second is a character after the first of some code point's NFD: the
// marks, and the Hangul vowels and final consonants and a few other letters); and no table of
// corrections names it.  Then nothing before it can change it or join it, and nothing after it
// can pass it; a text can be normalized in stretches that end at stable characters, each stretch
// from the character before it (which may compose with what follows), and the stable characters
// between stretches copied as they are.  The table is two-level: blocks of 256 code points, a
// bit each, the distinct blocks stored once.
//
// Output is deterministic; --check compares the decompressed text.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const INC = join(here, '..', '..', 'src', 'tokenizer', 'nfkc_corrections.inc');
const STABLE_INC = join(here, '..', '..', 'src', 'tokenizer', 'nfkc_stable.inc');
const MARKS = join(here, 'nfkc-marks.txt.gz');
const N_CODE_POINTS = 0x110000;

function die(msg) {
  process.stderr.write(`gen-nfkc: ${msg}\n`);
  process.exit(1);
}

const hex = (cp) => cp.toString(16).toUpperCase().padStart(4, '0');
const S = String.fromCodePoint;
const cps = (s) => [...s].map((c) => c.codePointAt(0));
const isSurrogate = (cp) => cp >= 0xd800 && cp <= 0xdfff;

// ---------------------------------------------------------------------------------------------
// utf8proc

// For every code point: utf8proc's combining class, whether it is unassigned (Cn) and its NFKC
// as a string; and utf8proc's version.
function utf8procData() {
  const dir = mkdtempSync(join(tmpdir(), 'gen-nfkc-'));
  const cc = process.env.CC || 'cc';
  const pkgConfig = process.env.PKG_CONFIG || 'pkg-config';
  try {
    const src = join(dir, 'dump.c');
    const exe = join(dir, 'dump');
    writeFileSync(src, [
      '#include <stdio.h>',
      '#include <stdlib.h>',
      '#include <utf8proc.h>',
      '/* For each code point: class, 1 if Cn, and its NFKC in hex (UTF-32). */',
      'int main(void)',
      '{',
      '\tutf8proc_int32_t cp;',
      '\tprintf("%s %s\\n", utf8proc_version(), utf8proc_unicode_version());',
      '\tfor (cp = 0; cp < 0x110000; cp++) {',
      '\t\tutf8proc_uint8_t in[4], *out = NULL;',
      '\t\tutf8proc_ssize_t n, k, i;',
      '\t\tif (cp >= 0xD800 && cp <= 0xDFFF)',
      '\t\t\tcontinue;',
      '\t\tn = utf8proc_encode_char(cp, in);',
      '\t\tk = utf8proc_map(in, n, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);',
      '\t\tprintf("%d %d", utf8proc_get_property(cp)->combining_class,',
      '\t\t       utf8proc_category(cp) == UTF8PROC_CATEGORY_CN);',
      '\t\tfor (i = 0; i < k;) {',
      '\t\t\tutf8proc_int32_t c;',
      '\t\t\ti += utf8proc_iterate(out + i, k - i, &c);',
      '\t\t\tprintf(" %X", (unsigned)c);',
      '\t\t}',
      '\t\tputchar(\'\\n\');',
      '\t\tfree(out);',
      '\t}',
      '\treturn ferror(stdout) != 0;',
      '}',
      '',
    ].join('\n'));
    const flags = execFileSync(pkgConfig, ['--cflags', '--libs', 'libutf8proc'], { encoding: 'utf8' });
    execFileSync(cc, ['-std=c11', '-O2', '-o', exe, src, ...flags.trim().split(/\s+/).filter(Boolean)],
      { stdio: ['ignore', 'inherit', 'inherit'] });
    const lines = execFileSync(exe, { maxBuffer: 64 << 20 }).toString('latin1').split('\n');
    const [version, unicode] = lines[0].split(' ');
    const ccc = new Uint8Array(N_CODE_POINTS);
    const unassigned = new Uint8Array(N_CODE_POINTS);
    const nfkc = new Array(N_CODE_POINTS);
    let at = 1;
    for (let cp = 0; cp < N_CODE_POINTS; cp++) {
      if (isSurrogate(cp)) continue;
      const f = lines[at++].split(' ');
      ccc[cp] = Number(f[0]);
      unassigned[cp] = Number(f[1]);
      nfkc[cp] = String.fromCodePoint(...f.slice(2).map((h) => parseInt(h, 16)));
    }
    return { ccc, unassigned, nfkc, version, unicode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Node

// Node's combining class of every code point whose NFKD is itself (of the others the class never
// matters: they are not in any normalized text), from reorderings against probes whose classes
// utf8proc gives (assigned before Unicode 16, so the same in both).
function nodeClasses(u) {
  const probe = new Map();
  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    const k = u.ccc[cp];
    if (k && !u.unassigned[cp] && !probe.has(k) && S(cp).normalize('NFD') === S(cp)) probe.set(k, cp);
  }
  const classes = [...probe.keys()].sort((a, b) => a - b);
  // Whether NFD puts b before a in the text a b.
  const swaps = (a, b) => a !== b && (S(a) + S(b)).normalize('NFD') === S(b) + S(a);
  const lowest = probe.get(classes[0]), highest = probe.get(classes[classes.length - 1]);
  const ccc = new Int16Array(N_CODE_POINTS).fill(-1);

  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    if (isSurrogate(cp) || S(cp).normalize('NFKD') !== S(cp)) continue;
    // Class 0 moves past nothing and nothing moves past it.
    if (!swaps(highest, cp) && !swaps(cp, lowest)) {
      ccc[cp] = 0;
      continue;
    }
    let above = 0, below = 256; // above < class(cp) < below
    for (const k of classes) {
      if (swaps(cp, probe.get(k))) above = Math.max(above, k);
      if (swaps(probe.get(k), cp)) below = Math.min(below, k);
    }
    const fits = classes.filter((k) => k > above && k < below);
    if (fits.length !== 1)
      die(`U+${hex(cp)}: Node's class is between ${above} and ${below}, ` +
          `which ${fits.length ? 'more than one probe' : 'no probe'} has`);
    ccc[cp] = fits[0];
  }
  for (const [k, cp] of probe)
    if (ccc[cp] !== k) die(`probe U+${hex(cp)} has class ${k} in utf8proc, ${ccc[cp]} in Node`);
  return ccc;
}

// ---------------------------------------------------------------------------------------------
// The tables

function corrections(u, nodeCcc) {
  const decompositions = [], compositions = [], classes = [];
  const known = (cp, what) => {
    if (!u.unassigned[cp])
      die(`U+${hex(cp)} (${what}) differs, but utf8proc knows it: nfkc.c corrects only ` +
          'code points utf8proc does not know');
  };
  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    if (isSurrogate(cp)) continue;
    const s = S(cp);
    if (s.normalize('NFKC') !== u.nfkc[cp]) {
      known(cp, 'NFKC');
      decompositions.push([cp, s.normalize('NFKD')]);
    }
    const nfd = s.normalize('NFD');
    if (nfd !== s && nfd.normalize('NFC') === s && u.unassigned[cp]) {
      // A primary composite utf8proc cannot make: its last part composes with what the
      // rest composes to.
      const parts = cps(nfd);
      const first = cps(S(...parts.slice(0, -1)).normalize('NFC'));
      const second = parts[parts.length - 1];
      if (first.length !== 1 || (S(first[0]) + S(second)).normalize('NFC') !== s)
        die(`U+${hex(cp)}: cannot tell which pair composes to it`);
      compositions.push([first[0], second, cp]);
    }
    if (nodeCcc[cp] >= 0 && nodeCcc[cp] !== u.ccc[cp]) {
      known(cp, 'combining class');
      classes.push([cp, nodeCcc[cp]]);
    }
  }
  compositions.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { decompositions, compositions, classes };
}

// A C string literal of s's UTF-8.
function cString(s) {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}

function renderInc(t, u) {
  const h = (cp) => '0x' + cp.toString(16).toUpperCase().padStart(5, '0');
  const out = [
    '/*',
    ' * nfkc_corrections.inc - the corrections src/tokenizer/nfkc.c makes to utf8proc\'s NFKC.',
    ' * Generated by tests/tokenizer/gen-nfkc.mjs: do not edit by hand.  Regenerate',
    ' * (see tests/tokenizer/README.md) with',
    ' *',
    ' *     npm ci --prefix tests',
    ' *     node tests/tokenizer/gen-nfkc.mjs',
    ' *',
    ` * What Node ${process.versions.node}'s normalize('NFKC') (ICU ${process.versions.icu}, ` +
      `Unicode ${process.versions.unicode}) does`,
    ` * and utf8proc ${u.version} (Unicode ${u.unicode}) does not, for code points that utf8proc`,
    ' * does not know (nfkc.c applies an entry only to those).  Each table is',
    ' * sorted by its first column.',
    ' */',
    '',
    `/* Compatibility mappings added since: ${t.decompositions.length} code points, each with its NFKD. */`,
    'static const struct newer_decomposition newer_decompositions[] = {',
  ];
  for (const [cp, to] of t.decompositions) out.push(`\t{ ${h(cp)}, ${cString(to)} },`);
  out.push('};', '');
  out.push(`/* Canonical compositions added since: ${t.compositions.length} (first, second, composite). */`);
  out.push('static const struct newer_composition newer_compositions[] = {');
  for (const [a, b, c] of t.compositions) out.push(`\t{ ${h(a)}, ${h(b)}, ${h(c)} },`);
  out.push('};', '');
  out.push(`/* Combining classes of the marks added since: ${t.classes.length} code points. */`);
  out.push('static const struct newer_class newer_classes[] = {');
  for (const [cp, k] of t.classes) out.push(`\t{ ${h(cp)}, ${k} },`);
  out.push('};', '');
  // Every code point above that utf8proc does not know, for one search per character.
  const points = [...new Set([...t.decompositions.map(([cp]) => cp), ...t.compositions.flat(),
    ...t.classes.map(([cp]) => cp)])].filter((cp) => u.unassigned[cp]).sort((a, b) => a - b);
  out.push(`/* The code points of the tables that utf8proc does not know: ${points.length}. */`);
  out.push('static const int32_t newer_points[] = {');
  for (let i = 0; i < points.length; i += 6)
    out.push('\t' + points.slice(i, i + 6).map(h).join(', ') + ',');
  out.push('};', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The stable characters

function stableSet(u, nodeCcc, t) {
  const second = new Uint8Array(N_CODE_POINTS);
  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    if (isSurrogate(cp)) continue;
    const d = cps(S(cp).normalize('NFD'));
    for (let k = 1; k < d.length; k++) second[d[k]] = 1;
  }
  const corrected = new Set([...t.decompositions.map(([cp]) => cp), ...t.compositions.flat(),
    ...t.classes.map(([cp]) => cp)]);
  const stable = new Uint8Array(N_CODE_POINTS);
  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    if (isSurrogate(cp) || second[cp] || corrected.has(cp)) continue;
    const s = S(cp);
    if (s.normalize('NFKC') !== s || u.nfkc[cp] !== s) continue;
    const first = cps(s.normalize('NFKD'))[0];
    if (second[first] || corrected.has(first) || nodeCcc[first] !== 0 || u.ccc[cp] !== 0 ||
        u.ccc[first] !== 0)
      continue;
    stable[cp] = 1;
  }
  return stable;
}

function renderStable(stable, u) {
  const BLOCK = 256, stage1 = [], blocks = [], index = new Map();
  for (let b = 0; b < N_CODE_POINTS; b += BLOCK) {
    const bits = new Uint8Array(BLOCK / 8);
    for (let i = 0; i < BLOCK; i++) if (stable[b + i]) bits[i >> 3] |= 1 << (i & 7);
    const key = Buffer.from(bits).toString('latin1');
    if (!index.has(key)) {
      index.set(key, blocks.length);
      blocks.push(bits);
    }
    stage1.push(index.get(key));
  }
  if (blocks.length > 256) die(`${blocks.length} distinct blocks of stable characters`);
  const count = stable.reduce((n, x) => n + x, 0);
  const out = [
    '/*',
    ' * nfkc_stable.inc - the characters NFKC leaves as they are whatever surrounds',
    ' * them, which src/tokenizer/nfkc.c copies without utf8proc.  Generated by',
    ' * tests/tokenizer/gen-nfkc.mjs: do not edit by hand.  Regenerate (see',
    ' * tests/tokenizer/README.md) with',
    ' *',
    ' *     npm ci --prefix tests',
    ' *     node tests/tokenizer/gen-nfkc.mjs',
    ' *',
    ` * From Node ${process.versions.node} (Unicode ${process.versions.unicode}) and utf8proc ${u.version} ` +
      `(Unicode ${u.unicode}): ${count} code points.`,
    ' * Code point cp is stable when bit cp & 7 of',
    ' * stable_block[stable_stage1[cp >> 8]][(cp & 0xFF) >> 3] is set.',
    ' */',
    `static const uint8_t stable_stage1[${stage1.length}] = {`,
  ];
  for (let i = 0; i < stage1.length; i += 32) out.push('\t' + stage1.slice(i, i + 32).join(',') + ',');
  out.push('};', '', `static const uint8_t stable_block[${blocks.length}][${BLOCK / 8}] = {`);
  for (const bits of blocks) out.push('\t{ ' + Array.from(bits).join(',') + ' },');
  out.push('};', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The reference: Node's NFKC of pairs of marks

// The test cases, in sections: each a grid of row strings by column strings, a cell's input
// being row + column.
function markSections(u, nodeCcc, t) {
  const marks = [];
  for (let cp = 0; cp < N_CODE_POINTS; cp++)
    if (!isSurrogate(cp) && (u.ccc[cp] > 0 || nodeCcc[cp] > 0)) marks.push(S(cp));
  const composing = [...new Set(t.compositions.flat())].sort((a, b) => a - b).map((cp) => S(cp));
  return [
    { name: 'mark pairs', rows: marks, cols: marks },
    { name: 'a, a mark, U+0301 or U+0323', rows: marks.map((m) => 'a' + m), cols: ['\u0301', '\u0323'] },
    { name: 'composition parts, then a part or a mark', rows: composing, cols: [...composing, ...marks] },
  ];
}

// The file, in lines:
//
//   section <name>
//   rows <n>        then n lines: the row's code points, hex, one space apart
//   cols <m>        then m lines: the same for the columns
//   grid            then n lines of m characters, one per cell: `.` when the NFKC of
//                   row + col is row + col unchanged, `s` when it is col + row, `*` otherwise
//   other <k>       then k lines: row index, column index (from 0) and the NFKC of that cell,
//                   for every `*` in row-major order
//   end
function renderMarks(sections) {
  const out = [
    '# nfkc-marks.txt: the NFKC of pairs of combining marks, made by tests/tokenizer/gen-nfkc.mjs',
    `# with String.prototype.normalize('NFKC') of Node ${process.versions.node} (ICU ` +
      `${process.versions.icu}, Unicode ${process.versions.unicode}); checked by tests/unit/test_nfkc.c.`,
  ];
  const line = (s) => cps(s).map(hex).join(' ');
  for (const { name, rows, cols } of sections) {
    const other = [];
    out.push(`section ${name}`, `rows ${rows.length}`, ...rows.map(line),
      `cols ${cols.length}`, ...cols.map(line), 'grid');
    rows.forEach((r, i) => {
      let g = '';
      cols.forEach((c, j) => {
        const got = (r + c).normalize('NFKC');
        if (got === r + c) g += '.';
        else if (got === c + r) g += 's';
        else {
          g += '*';
          other.push(`${i} ${j} ${line(got)}`);
        }
      });
      out.push(g);
    });
    out.push(`other ${other.length}`, ...other, 'end');
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------

function differs(what, committed, generated) {
  if (committed === generated) {
    console.log(`${what} is up to date`);
    return false;
  }
  const a = committed.split('\n'), b = generated.split('\n');
  const i = a.findIndex((l, k) => l !== b[k]);
  process.stderr.write(`${what} differs from the generated text at line ${i + 1}:\n` +
    `  committed: ${(a[i] ?? '(end of file)').slice(0, 200)}\n` +
    `  generated: ${(b[i] ?? '(end of file)').slice(0, 200)}\n`);
  return true;
}

const args = process.argv.slice(2);
if (args.some((a) => a !== '--check')) die('usage: node tests/tokenizer/gen-nfkc.mjs [--check]');
const u = utf8procData();
const nodeCcc = nodeClasses(u);
const t = corrections(u, nodeCcc);
const inc = renderInc(t, u);
const stableInc = renderStable(stableSet(u, nodeCcc, t), u);
const sections = markSections(u, nodeCcc, t);
const marks = renderMarks(sections);
console.log(`utf8proc ${u.version} (Unicode ${u.unicode}) and Node ${process.versions.node} ` +
  `(Unicode ${process.versions.unicode}): ${t.decompositions.length} decompositions, ` +
  `${t.compositions.length} compositions and ${t.classes.length} combining classes differ; ` +
  `${sections[0].rows.length} marks`);
if (!args.includes('--check')) {
  writeFileSync(INC, inc);
  writeFileSync(STABLE_INC, stableInc);
  writeFileSync(MARKS, gzipSync(Buffer.from(marks), { level: 9 }));
} else {
  let bad = false;
  try {
    bad = differs('src/tokenizer/nfkc_corrections.inc', readFileSync(INC, 'utf8'), inc) || bad;
    bad = differs('src/tokenizer/nfkc_stable.inc', readFileSync(STABLE_INC, 'utf8'), stableInc) || bad;
    bad = differs('tests/tokenizer/nfkc-marks.txt.gz', gunzipSync(readFileSync(MARKS)).toString(), marks) || bad;
  } catch (e) {
    die(e.message);
  }
  process.exit(bad ? 1 : 0);
}
