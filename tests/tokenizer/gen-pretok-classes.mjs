// gen-pretok-classes.mjs: generate the pre-tokenizer's class tables: src/tokenizer/pretok_table.inc, the
// class of every code point in Unicode 16.0 (the version of tiktoken 1.0.22's regex crate), which
// the hand scanners of src/tokenizer/pretok.c read, and src/tokenizer/pretok_classes.inc, the code points whose class
// in Unicode 16.0 differs from their class in an older Unicode that utf8proc 2.4 to 2.9 may have
// (12.1 to 15.1), which tells the tests where an older table (PCRE2's, utf8proc's) may disagree.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tests/tokenizer/gen-pretok-classes.mjs > src/tokenizer/pretok_classes.inc
//   node tests/tokenizer/gen-pretok-classes.mjs --table > src/tokenizer/pretok_table.inc
//   node tests/tokenizer/gen-pretok-classes.mjs --check
//
// The table is two-level, as usual for Unicode properties: the code points in blocks of 256, a
// first stage that gives each block's number in the second, and the second stage's distinct
// blocks of 256 classes (141 of them), so it is 40 KB where a flat one would be 1.1 MB. A class
// is stored as the bit the scanners test (PA_PRETOK_LU ... PA_PRETOK_WS); White_Space comes from
// the list below, which has not changed since Unicode 6.3.
//
// A class is what the hand scanners of src/tokenizer/pretok.c see: Lu, Ll, Lt, Lm, Lo, M (Mn Mc Me),
// N (Nd Nl No) or nothing (every other category). The general categories come from the npm
// packages @unicode/unicode-<version> (the UCD's lists, one per category). A code point is in
// the table when its Unicode 16.0 class differs from its class in any of the older versions; it
// gets its Unicode 16.0 class, and runs of consecutive code points of one class become one range.
// So utf8proc's category corrected by the table is the Unicode 16.0 class, whichever of those
// Unicode versions the installed utf8proc has. The output is deterministic.
//
// --check writes nothing. It regenerates both files and compares them with the committed ones,
// then checks every code point from U+0000 to U+10FFFF twice: the installed utf8proc's
// category (read by a small C program built here with cc and pkg-config) corrected by the
// table must be the Unicode 16.0 class, and Unicode 16.0's classes must be those of tiktoken's
// own regex (its WASM build, made to return the characters each of \p{Lu} ... \p{N} matches).
// Exits 1 on any difference.

import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const INC = join(here, '..', '..', 'src', 'tokenizer', 'pretok_classes.inc');
const TABLE_INC = join(here, '..', '..', 'src', 'tokenizer', 'pretok_table.inc');

const TARGET = '16.0.0';
const OLDER = ['12.1.0', '13.0.0', '14.0.0', '15.0.0', '15.1.0'];
const PACKAGE_VERSION = '2.0.7';
const N_CODE_POINTS = 0x110000;

// The general categories that make a class, by their name in the packages and their
// abbreviation (utf8proc's utf8proc_category_string()); every other category is class 0.
const CATEGORIES = [
  ['Uppercase_Letter', 'Lu', 'K_LU'],
  ['Lowercase_Letter', 'Ll', 'K_LL'],
  ['Titlecase_Letter', 'Lt', 'K_LT'],
  ['Modifier_Letter', 'Lm', 'K_LM'],
  ['Other_Letter', 'Lo', 'K_LO'],
  ['Nonspacing_Mark', 'Mn', 'K_M'],
  ['Spacing_Mark', 'Mc', 'K_M'],
  ['Enclosing_Mark', 'Me', 'K_M'],
  ['Decimal_Number', 'Nd', 'K_N'],
  ['Letter_Number', 'Nl', 'K_N'],
  ['Other_Number', 'No', 'K_N'],
];
// Class numbers: 0 is "none", then K_LU ... K_N in this order.
const CLASS_NAMES = ['0', 'K_LU', 'K_LL', 'K_LT', 'K_LM', 'K_LO', 'K_M', 'K_N'];
const classNumber = (name) => CLASS_NAMES.indexOf(name);
const CLASS_OF_ABBREV = new Map(CATEGORIES.map(([, abbr, cls]) => [abbr, classNumber(cls)]));
// tiktoken's regex for each class, to compare with Unicode 16.0.
const CLASS_REGEX = ['', '\\p{Lu}', '\\p{Ll}', '\\p{Lt}', '\\p{Lm}', '\\p{Lo}', '\\p{M}', '\\p{N}'];

function die(msg) {
  process.stderr.write(`gen-pretok-classes: ${msg}\n`);
  process.exit(1);
}

// The version of an installed npm package, or death with a hint.
function installedVersion(pkg) {
  try {
    return JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return die(`${pkg} is not installed: run 'npm ci --prefix tests'`);
  }
}

const hex = (cp) => 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');

// The class of every code point in one Unicode version: a Uint8Array of class numbers.
async function classesOf(version) {
  const pkg = `@unicode/unicode-${version}`;
  const cls = new Uint8Array(N_CODE_POINTS);
  const found = installedVersion(pkg);

  if (found !== PACKAGE_VERSION)
    die(`${pkg} is ${found}, expected ${PACKAGE_VERSION}: run 'npm ci --prefix tests'`);
  for (const [name, , clsName] of CATEGORIES) {
    const file = require.resolve(`${pkg}/General_Category/${name}/code-points.mjs`);
    const { default: codePoints } = await import(pathToFileURL(file));
    for (const cp of codePoints) {
      if (cls[cp] !== 0) die(`${pkg}: ${hex(cp)} is in two categories`);
      cls[cp] = classNumber(clsName);
    }
  }
  return cls;
}

// The ranges [lo, hi, class] of the code points whose target class differs from their class in
// any older version, each run of one class one range.
function corrections(target, older) {
  const ranges = [];

  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    if (!older.some((cls) => cls[cp] !== target[cp])) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === cp - 1 && last[2] === target[cp]) last[1] = cp;
    else ranges.push([cp, cp, target[cp]]);
  }
  return ranges;
}

function render(ranges) {
  const h = (cp) => '0x' + cp.toString(16).toUpperCase().padStart(5, '0');
  const count = ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  const out = [
    '/*',
    ' * pretok_classes.inc - the class corrections src/tokenizer/pretok.c includes.',
    ' * Generated by tests/tokenizer/gen-pretok-classes.mjs: do not edit by hand.',
    ' * Regenerate (see tests/tokenizer/README.md) with',
    ' *',
    ' *     npm ci --prefix tests',
    ' *     node tests/tokenizer/gen-pretok-classes.mjs > src/tokenizer/pretok_classes.inc',
    ' *',
    ` * The code points whose class under Unicode ${TARGET} differs from their`,
    ` * class under any of Unicode ${OLDER.slice(0, -1).join(', ')} and ${OLDER[OLDER.length - 1]},`,
    ` * each with its class under ${TARGET}: ${ranges.length} ranges, ${count} code points.`,
    ' * Sorted, not overlapping; a range is a run of consecutive code points of',
    ' * one class.  Made from the General_Category lists of the npm packages',
    ` * @unicode/unicode-<version> ${PACKAGE_VERSION}.`,
    ' */',
  ];
  for (const [lo, hi, cls] of ranges)
    out.push(`\t{ ${h(lo)}, ${h(hi)}, ${CLASS_NAMES[cls]} },`);
  return out.join('\n') + '\n';
}

// The White_Space property, which is what `\s` means in Rust's regex crate.
const WHITE_SPACE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
  0x3000];
// The bit of each class number in src/tokenizer/pretok.h (PA_PRETOK_LU ... PA_PRETOK_N), and White_Space's.
const CLASS_BIT = [0, 1, 2, 4, 8, 16, 32, 64];
const WS_BIT = 128;
const BLOCK = 256;

// src/tokenizer/pretok_table.inc: the class bits of every code point, in two stages.
function renderTable(target) {
  const bits = new Uint8Array(N_CODE_POINTS);
  for (let cp = 0; cp < N_CODE_POINTS; cp++) bits[cp] = CLASS_BIT[target[cp]];
  for (const cp of WHITE_SPACE) {
    if (bits[cp] !== 0) die(`${hex(cp)} is white space and of a class`);
    bits[cp] = WS_BIT;
  }
  const stage1 = [], blocks = [], index = new Map();
  for (let b = 0; b < N_CODE_POINTS; b += BLOCK) {
    const key = Buffer.from(bits.subarray(b, b + BLOCK)).toString('latin1');
    if (!index.has(key)) {
      index.set(key, blocks.length);
      blocks.push(bits.subarray(b, b + BLOCK));
    }
    stage1.push(index.get(key));
  }
  if (blocks.length > 256) die(`${blocks.length} distinct blocks do not fit a byte`);
  const rows = (values, perLine) => {
    const out = [];
    for (let i = 0; i < values.length; i += perLine)
      out.push('\t' + Array.from(values.slice(i, i + perLine)).join(',') + ',');
    return out;
  };
  const out = [
    '/*',
    ' * pretok_table.inc - the class of every code point, which src/tokenizer/pretok.c includes.',
    ' * Generated by tests/tokenizer/gen-pretok-classes.mjs: do not edit by hand.',
    ' * Regenerate (see tests/tokenizer/README.md) with',
    ' *',
    ' *     npm ci --prefix tests',
    ' *     node tests/tokenizer/gen-pretok-classes.mjs --table > src/tokenizer/pretok_table.inc',
    ' *',
    ` * The class of code point cp under Unicode ${TARGET} (White_Space, or the general`,
    ' * category as the hand scanners see it, as the PA_PRETOK_ bit of pretok.h) is',
    ` * class_block[class_stage1[cp >> 8]][cp & 0xFF]: ${stage1.length} blocks of ${BLOCK} code points, ${blocks.length}`,
    ' * of them distinct.  Block 0 is U+0000 to U+00FF.  Made from the General_Category',
    ` * lists of the npm package @unicode/unicode-${TARGET} ${PACKAGE_VERSION}.`,
    ' */',
    `static const uint8_t class_stage1[${stage1.length}] = {`,
    ...rows(stage1, 32),
    '};',
    '',
    `static const uint8_t class_block[${blocks.length}][${BLOCK}] = {`,
  ];
  blocks.forEach((block, i) => {
    out.push(`\t{ /* ${i} */`);
    out.push(...rows(block, 32).map((line) => '\t' + line));
    out.push('\t},');
  });
  out.push('};');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// --check

// The installed utf8proc's class of every code point, and its Unicode version.
function utf8procClasses() {
  const dir = mkdtempSync(join(tmpdir(), 'gen-pretok-classes-'));
  const cc = process.env.CC || 'cc';
  const pkgConfig = process.env.PKG_CONFIG || 'pkg-config';
  try {
    const src = join(dir, 'dump.c');
    const exe = join(dir, 'dump');
    writeFileSync(src, [
      '#include <stdio.h>',
      '#include <utf8proc.h>',
      'int main(void)',
      '{',
      '\tutf8proc_int32_t cp;',
      '\tprintf("%s %s\\n", utf8proc_version(), utf8proc_unicode_version());',
      '\tfor (cp = 0; cp < 0x110000; cp++)',
      '\t\tfputs(utf8proc_category_string(cp), stdout);',
      '\treturn ferror(stdout) != 0;',
      '}',
      '',
    ].join('\n'));
    const flags = execFileSync(pkgConfig, ['--cflags', '--libs', 'libutf8proc'], { encoding: 'utf8' });
    execFileSync(cc, ['-std=c11', '-o', exe, src, ...flags.trim().split(/\s+/).filter(Boolean)],
      { stdio: ['ignore', 'inherit', 'inherit'] });
    const out = execFileSync(exe, { maxBuffer: 4 * N_CODE_POINTS });
    const nl = out.indexOf(10);
    const [version, unicode] = out.subarray(0, nl).toString('latin1').split(' ');
    const cats = out.subarray(nl + 1).toString('latin1');
    if (cats.length !== 2 * N_CODE_POINTS) die('the utf8proc helper wrote a short table');
    const cls = new Uint8Array(N_CODE_POINTS);
    for (let cp = 0; cp < N_CODE_POINTS; cp++)
      cls[cp] = CLASS_OF_ABBREV.get(cats.slice(2 * cp, 2 * cp + 2)) ?? 0;
    return { cls, version, unicode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Reports the first few code points where got differs from want; returns how many differ.
function compare(what, got, want, limit = 10) {
  let n = 0;
  for (let cp = 0; cp < N_CODE_POINTS; cp++) {
    if (got[cp] === want[cp]) continue;
    if (n++ < limit)
      process.stderr.write(`  ${what}: ${hex(cp)} is ${CLASS_NAMES[got[cp]]}, ` +
        `Unicode ${TARGET} says ${CLASS_NAMES[want[cp]]}\n`);
  }
  return n;
}

function checkUtf8proc(ranges, target) {
  const { cls, version, unicode } = utf8procClasses();
  const before = compare('utf8proc', cls, target, 0);
  for (const [lo, hi, c] of ranges) cls.fill(c, lo, hi + 1);
  const after = compare('utf8proc with the table', cls, target);
  console.log(`utf8proc ${version} (Unicode ${unicode}): ${before} code points differ from ` +
    `Unicode ${TARGET}, ${after} once corrected by the table`);
  return after === 0;
}

// tiktoken's class of every code point: with a vocabulary of the 256 bytes alone, encoding a
// text with the pattern \p{Lu} gives back the bytes of exactly the characters \p{Lu} matches.
function tiktokenClasses() {
  const { Tiktoken } = require('tiktoken');
  const version = installedVersion('tiktoken');
  let bytes = '';
  for (let b = 0; b < 256; b++) bytes += Buffer.from([b]).toString('base64') + ` ${b}\n`;
  const chars = [];
  for (let cp = 0; cp < N_CODE_POINTS; cp++)
    if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
  const text = chars.join('');
  const cls = new Uint8Array(N_CODE_POINTS);
  for (let c = 1; c < CLASS_REGEX.length; c++) {
    const enc = new Tiktoken(bytes, {}, CLASS_REGEX[c]);
    const matched = Buffer.from(enc.encode_ordinary(text)).toString('utf8');
    enc.free();
    for (const ch of matched) {
      const cp = ch.codePointAt(0);
      if (cls[cp] !== 0) die(`tiktoken: ${hex(cp)} matches two classes`);
      cls[cp] = c;
    }
  }
  return { cls, version };
}

function checkTiktoken(target) {
  const { cls, version } = tiktokenClasses();
  const n = compare(`tiktoken ${version}`, cls, target);
  console.log(`tiktoken ${version}'s regex: ${n} code points differ from Unicode ${TARGET}`);
  return n === 0;
}

function checkFile(path, text) {
  const name = 'src/tokenizer/' + path.split('/').pop();
  let committed;
  try {
    committed = readFileSync(path, 'utf8');
  } catch (e) {
    die(`cannot read ${path}: ${e.message}`);
  }
  if (committed === text) {
    console.log(`${name} is up to date`);
    return true;
  }
  const a = committed.split('\n'), b = text.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  process.stderr.write(`${name} differs from the generated table at line ${i + 1}:\n` +
    `  committed: ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}\n`);
  return false;
}

// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
if (args.length > 1 || args.some((a) => a !== '--check' && a !== '--table'))
  die('usage: node tests/tokenizer/gen-pretok-classes.mjs [--table | --check]');
const target = await classesOf(TARGET);
const older = [];
for (const v of OLDER) older.push(await classesOf(v));
const ranges = corrections(target, older);
const text = render(ranges);
if (args.includes('--table')) {
  process.stdout.write(renderTable(target));
} else if (!args.includes('--check')) {
  process.stdout.write(text);
} else {
  let ok = checkFile(INC, text);
  ok = checkFile(TABLE_INC, renderTable(target)) && ok;
  ok = checkUtf8proc(ranges, target) && ok;
  ok = checkTiktoken(target) && ok;
  process.exit(ok ? 0 : 1);
}
