// gen-reference.mjs: regenerate the tokenizer reference corpus and the reference ids.
//
// Usage (from the repository root):
//   npm ci --prefix tests
//   node tests/tokenizer/gen-reference.mjs [--cross-check]
//
// Writes, replacing what a previous run wrote:
//   tests/tokenizer/corpus/<case>.txt          UTF-8 input, one file per case
//   tests/tokenizer/corpus/sweep-NN.txt.gz     the code-point sweep (gzip, no name, mtime 0)
//   tests/tokenizer/ref/<tok>/<case>.ids       reference ids: decimal, one space apart, final "\n"
//   tests/tokenizer/ref/<tok>/sweep-NN.ids.gz  the same for the sweep, gzipped
//   tests/tokenizer/ref/SOURCES                which implementation and versions made the ids
//   tests/tokenizer/sweep-index.tsv            which code points each sweep file holds
//
// Ids: cl100k_base and o200k_base come from tiktoken's get_encoding(name).encode_ordinary(text);
// claude comes from @anthropic-ai/tokenizer's getTokenizer().encode(text.normalize('NFKC'), 'all').
// Everything is deterministic: the random cases use a seeded PRNG, the sweep's code-point
// selection is a fixed table, nothing reads the clock. --cross-check also encodes every case
// with gpt-tokenizer and reports where it disagrees with tiktoken (nothing is written for it).

import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { get_encoding } = require('tiktoken');
const { getTokenizer } = require('@anthropic-ai/tokenizer');

const CORPUS = join(here, 'corpus');
const REF = join(here, 'ref');
const TOKENIZERS = ['cl100k_base', 'o200k_base', 'claude'];
const SWEEP_FILE_MAX = 512 * 1024; // bytes of UTF-8 per sweep file, before gzip

// ---------------------------------------------------------------------------------------------
// Helpers

// mulberry32 seeded with FNV-1a of the case name: each case has its own stream, so adding or
// changing one case leaves the others byte-identical.
function prng(name) {
  let a = 0x811c9dc5;
  for (const ch of name) a = Math.imul(a ^ ch.codePointAt(0), 0x01000193) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (arr) => arr[next.int(arr.length)];
  return next;
}

const U = (...cps) => String.fromCodePoint(...cps);
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const lines = (...ls) => ls.join('\n') + '\n';

function die(msg) {
  process.stderr.write(`gen-reference: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Character sets shared by several cases

// Every White_Space character, then three that look like space but are not White_Space
// (U+180E lost the property in Unicode 6.3; U+200B and U+FEFF are format characters), then the
// C0 information separators, which Python's str.isspace() treats as space but \s does not.
const WHITESPACE = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, ...range(0x2000, 0x200a),
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];
const NEAR_WHITESPACE = [0x180e, 0x200b, 0xfeff, 0x1c, 0x1d, 0x1e, 0x1f];
const ALL_SPACES = [...WHITESPACE, ...NEAR_WHITESPACE].map((c) => U(c));

const APOSTROPHES = ["'", '\u2019', '\u2018', '\u02bc', '\uff07', '`', '\u00b4'];
const CONTRACTIONS = ['s', 't', 're', 've', 'm', 'll', 'd'];

// First code point of every run of ten decimal digits (General_Category Nd, Unicode 17.0).
// Fixed here, not computed, so the output does not depend on Node's Unicode version.
const DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
  0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
  0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
  0xff10, 0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450,
  0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0, 0x11c50,
  0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0,
  0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950,
  0x1fbf0,
];

const COMBINING = [
  ...range(0x300, 0x36f), ...range(0x1ab0, 0x1abd), ...range(0x1dc0, 0x1dff),
  ...range(0x20d0, 0x20dc), ...range(0xfe20, 0xfe2f),
];

// ---------------------------------------------------------------------------------------------
// Hand-written cases

const cases = new Map();
function add(name, text) {
  if (cases.has(name)) die(`case ${name} defined twice`);
  cases.set(name, text);
}

add('empty', '');

add('prose', lines(
  'Tokenizers split text into pieces before a model ever sees it. A word like "unbelievable" may',
  'become three pieces, while a common word such as "the" is a single one; numbers, punctuation and',
  'whitespace all have rules of their own.',
  '',
  'When you write a prompt, every character counts — sometimes literally. Curly quotes (“like these”)',
  'and straight quotes ("like these") are different bytes; so are the en dash (–), the em dash (—)',
  'and the hyphen (-). An ellipsis can be one character (…) or three (...).',
  '',
  "It's easy to forget that the model doesn't see letters. We'll count tokens, you'll compare them,",
  "and they'd probably agree that I'm right: you've got to measure, not guess. O'Brien's dog's bone",
  "isn't the same as the dogs' bones, and rock 'n' roll isn't 'rock and roll'.",
  '',
  'Prices: $5, $12.99, €1.000,00, £3/month; dates: 2024-02-29, 31/12/1999, March 3rd, 10:45pm;',
  'versions: v1.2.3, Python 3.12, C11; sizes: 4KB, 1.5 GB, 640×480, 1e-9 m, 100%, ±0.5°C.',
  '',
  'Section 1.2(b)(iii) says: "Items marked [REQUIRED] must be filled in; see also §4 and ¶2."',
  'E-mail me at someone@example.com or visit https://example.com/path?q=1&lang=en#top.',
  '    Indented line with four spaces.',
  '\tIndented line with a tab.',
  'Trailing spaces here   ',
  'THE END. The End. the end.',
));

add('scripts', lines(
  'English: The quick brown fox jumps over the lazy dog.',
  "French: L'été dernier, nous avons mangé des crêpes à Besançon\u202f; c'était très agréable\u202f! « Ça va\u00a0? »",
  'German: Größere Übungen für Äpfel und Öl: Straße, Maß, Fußgängerübergänge, ẞ.',
  'Spanish: ¿Dónde está la biblioteca? ¡Mañana iré con el niño al año nuevo!',
  'Portuguese: A ação e a emoção não são pão; coração, irmã, avô, à, ü.',
  "Italian: Perché l'università è così lontana? Più caffè, però.",
  'Polish: Zażółć gęślą jaźń — źdźbło, łódź, świeży chleb.',
  'Czech: Příliš žluťoučký kůň úpěl ďábelské ódy.',
  'Slovak: Ďateľ ľúbi čerstvé ôsmičky a ťavy; Ĺ ĺ Ŕ ŕ.',
  'Hungarian: Árvíztűrő tükörfúrógép, őszi ünnep, hűvös ősz.',
  'Romanian: Știința și țara își împărtășesc înțelepciunea (ş ţ with cedilla).',
  "Turkish: İstanbul'da ılık bir gün; Iğdır'a gidiyoruz, şişli çiçekler, İI ıi.",
  'Vietnamese: Tiếng Việt có nhiều dấu: ắ, ằ, ẳ, ẵ, ặ, ệ, ộ, ữ, ượ, Đ đ.',
  'Icelandic: Þórður og Ægir fóru í ferð á Ðalvegi; þ ð æ ö.',
  'Danish and Norwegian: Blåbærsyltetøy og rødgrød med fløde på Ærø.',
  'Swedish: Räksmörgås åt sjuttiosju sjösjuka sjömän.',
  'Finnish: Hyvää päivää, tämä on hääyö ja öljyä.',
  'Estonian: Jõulud, õun, šokolaad ja žürii.',
  'Latvian: Ģimene ķēra zivis pie ūdens, ļoti ņipri.',
  'Lithuanian: Ąžuolas, ėglė, įvairūs ūkiai ir ųjų galūnės.',
  'Croatian: Đak je čitao o žabi i ćevapima; Dž dž Lj lj Nj nj.',
  'Maltese: Ħabib tiegħi għandu żiemel u ċavetta.',
  "Welsh: Mae'r ŵyn a'r ŷd yn y caeau.",
  'Esperanto: Eĥoŝanĝo ĉiuĵaŭde.',
  'Yoruba: Ẹ kú àárọ̀, ṣé ẹ ti jẹun?',
  'Hawaiian: Hawaiʻi, ʻohana, mahalo nui loa.',
  "Pinyin: Wǒ ài chī jiǎozi, nǚ'ér lǜsè, Lǚ.",
  'Greek: Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο. Ἀρχὴ ἥμισυ παντός; ΟΔΥΣΣΕΥΣ.',
  'Russian: Съешь же ещё этих мягких французских булок, да выпей чаю.',
  "Ukrainian: Їжак, ґедзь і єнот п'ють чай з м’ятою.",
  'Serbian: Љубав, њива, ђак, ћуд, џеп; Ljubav, njiva.',
  'Bulgarian: Щастие и ъгъл, юг и я.',
  'Kazakh: Қазақстан, әже, ғалым, ң, ө, ұ, ү, һ, і.',
  'Armenian: Բարեւ, ինչպե՞ս ես։ Հայերեն գրություն։ և',
  'Georgian: გამარჯობა, როგორ ხარ? ᲥᲐᲠᲗᲣᲚᲘ ᲓᲔᲓᲐᲔᲜᲐ.',
  'Arabic: مرحبا بالعالم! كَيْفَ حَالُكَ؟ ١٢٣ والسلام عليكم.',
  'Persian: سلام، حال شما چطور است؟ ۱۲۳۴ پ چ ژ گ می\u200cخواهم.',
  'Urdu: اردو ایک خوبصورت زبان ہے۔',
  'Hebrew: שָׁלוֹם עוֹלָם! עברית בלי ניקוד, 123 בית־ספר "ציטוט".',
  'Yiddish: ייִדיש איז אַ שפּראַך.',
  'Syriac: ܫܠܡܐ ܥܠܡܐ',
  'Thaana: ދިވެހިބަސް',
  "N'Ko: ߒߞߏ ߞߊ߲ߞߊ߲",
  'Hindi: नमस्ते दुनिया! क्या हाल है? हिन्दी में लिखना।',
  'Sanskrit: संस्कृतम् ॐ नमः शिवाय॥ १२३',
  'Marathi: मराठी भाषा ळ, Nepali: नेपाली',
  'Bengali: আমি বাংলায় গান গাই। ক্ষ ৎ ৳',
  'Gurmukhi: ਸਤ ਸ੍ਰੀ ਅਕਾਲ',
  'Gujarati: ગુજરાતી ભાષા',
  'Odia: ଓଡ଼ିଆ ଭାଷା',
  'Tamil: வணக்கம் உலகம், தமிழ் மொழி. ௐ',
  'Telugu: తెలుగు భాష',
  'Kannada: ಕನ್ನಡ ನಾಡು',
  'Malayalam: മലയാളം ഭാഷ ൽ ൻ ർ',
  'Sinhala: සිංහල භාෂාව ශ්\u200dරී ලංකා',
  'Thai: สวัสดีครับ ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ ๑๒๓',
  'Lao: ສະບາຍດີ ພາສາລາວ',
  'Khmer: សួស្តី ពិភពលោក',
  'Myanmar: မင်္ဂလာပါ',
  'Tibetan: བཀྲ་ཤིས་བདེ་ལེགས།',
  'Mongolian: ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ ᠠ᠋ᠠ᠌',
  'Chinese (simplified): 你好，世界！我们今天学习中文。',
  'Chinese (traditional): 繁體中文與簡體中文不同。',
  'Cantonese: 佢哋喺度食緊嘢。',
  'Japanese: こんにちは、世界！カタカナとひらがな、漢字を混ぜて書きます。ｶﾀｶﾅ ﾊﾝｶｸ。ーー〜々〆ヶ',
  'Korean: 안녕하세요, 세계! 한국어는 띄어쓰기를 합니다. ㄱㄴㄷ ㅏㅑ',
  'Amharic: ሰላም ለዓለም። ፩፪፫',
  'Cherokee: ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ꭰꭱꭲ',
  'Inuktitut: ᐃᓄᒃᑎᑐᑦ',
  'Yi: ꆈꌠꁱꂷ',
  'Vai: ꕙꔤ',
  'Javanese: ꦲꦤꦕꦫꦏ',
  'Balinese: ᬅᬓ᭄ᬱᬭ',
  'Tifinagh: ⵜⴰⵎⴰⵣⵉⵖⵜ',
  'Runic: ᚠᚢᚦᚨᚱᚲ',
  'Ogham: ᚛ᚑᚌᚐᚋ᚜',
  'Gothic: 𐌲𐌿𐍄𐌹𐍃𐌺',
  'Linear B: 𐀀𐀁𐀂',
  'Cuneiform: 𒀀𒀁𒀂',
  'Hieroglyphs: 𓀀𓁐𓂀',
  'Deseret: 𐐔𐐯𐑅𐐨𐑉𐐯𐐻',
  'Adlam: 𞤀𞤣𞤤𞤢𞤥',
  'Math alphanumerics: 𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕 𝓢𝓬𝓻𝓲𝓹𝓽 𝟙𝟚𝟛',
  'CJK extension B: 𠀀𠀁𪚥𩸽',
  'No spaces between scripts: abcабвαβγאבג日本語한국어ไทยक्या𐌲𐌿',
  'Bidi controls: \u202bRLE\u202c \u202aLRE\u202c \u200fRLM\u200e LRM \u2067RLI\u2069 \u2066LRI\u2069',
))

add('emoji', lines(
  'Faces: 😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘',
  'Spaced: 😀 😃 😄 😁 ❤ ❤️ ✨ 🎉 🔥 👍 👎 🙏 💯 ✅ ❌',
  'Skin tones: 👋 👋🏻 👋🏼 👋🏽 👋🏾 👋🏿 🏻🏼🏽🏾🏿 👍🏽👍🏽👍🏽',
  'ZWJ: 👩‍👩‍👧‍👦 👨‍👨‍👦 👩‍❤️‍👨 👩‍❤️‍💋‍👩 🧑‍💻 👩🏽‍🚀 👨🏿‍🍳 🧑🏻‍🤝‍🧑🏿 🏳️‍🌈 🏳️‍⚧️ 🏴‍☠️ 🐻‍❄️ ❤️‍🔥 😶‍🌫️ 🧔‍♀️ 🦸‍♂️',
  'Hair: 👩‍🦰 👩‍🦱 👩‍🦳 👩‍🦲 🧑‍🦰',
  'Flags: 🇺🇸🇬🇧🇯🇵🇩🇪🇫🇷🇧🇷🇮🇳🇨🇳🇰🇷🇳🇬🇺🇦🇪🇺🇺🇳 🇦 🇿🇿 🇺🇸🇺',
  'Subdivision flags: 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁷󠁬󠁳󠁿',
  'Keycaps: #️⃣ *️⃣ 0️⃣ 1️⃣ 2️⃣ 3️⃣ 4️⃣ 5️⃣ 6️⃣ 7️⃣ 8️⃣ 9️⃣ 🔟 1⃣ a⃣',
  'Variation selectors: ☺ ☺︎ ☺️ © ©️ ® ®️ ™ ™️ ↔ ↔️ ✔ ✔️ ☂︎ ☂️',
  'Newer emoji: 🫨 🩷 🩵 🩶 🫎 🫏 🪼 🪿 🫚 🫛 🪭 🪮 🪇 🪈 🫷🏽 🫸🏾 🫩 🫆 🪾 🫜 🪉 🪏 🫟',
  'Objects: 🚀🛸🌍🌕⭐🌈☔⚡🍕🍔🍣🍺☕🎸🎮📱💻⌚📷🔑🔒🧩🧪🧬',
  'In text: hello👋world, done✅, fail❌; (😀) [🎉] {🔥} "👍" \'🙂\' 🙂.',
  'Repeated: 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉',
  'Emoji then digits: 🔥123 123🔥 🔥 123',
  'Symbols from older blocks: ☀☁☂☃☄★☆☎☏☐☑☒☘☝☠☢☣☦☪☮☯☸☹☺♀♂♈♉♠♣♥♦♨♻♿⚓⚔⚕⚖⚗⚙⚛⚜⚠⚡⚪⚫⚽⚾⛄⛅⛔⛪⛲⛳⛵⛺⛽',
  'Dingbats: ✂✈✉✌✍✏✒✔✖✝✡✨✳✴❄❇❌❎❓❔❕❗❣❤➕➖➗➡➰➿',
  'Emoji at the end of the text 🎉',
));

const zalgo = (() => {
  const r = prng('combining-zalgo');
  let out = '';
  for (const base of 'Zalgo text with stacked marks: He comes 0123 !?') {
    out += base;
    const n = base === ' ' ? 0 : 1 + r.int(12);
    for (let i = 0; i < n; i++) out += U(r.pick(COMBINING));
  }
  return out;
})();
add('combining', '\u0301 starts with a lone combining acute\n' + lines(
  zalgo,
  'Precomposed: é à ñ ü Å ǘ ệ | decomposed: e\u0301 a\u0300 n\u0303 u\u0308 A\u030a u\u0308\u0301 e\u0323\u0302',
  'NFD of a sentence: ' + 'Ångström, café, naïve, Dvořák, Điện Biên Phủ, São Tomé'.normalize('NFD'),
  'Marks after non-letters: 1\u0301 2\u0302\u0303 .\u0301 ,\u0308 -\u0332\u0332\u0332 (\u0338 \u0301 x \u0301\u0301 😀\u0301 \'\u0301s',
  'Enclosing marks: a\u20dd b\u20de c\u20df 1\u20e3 \u20dd alone',
  'Overlays: 0\u0338 =\u0338 a\u0336b\u0336c\u0336 u\u0332n\u0332d\u0332e\u0332r\u0332',
  'Indic clusters: क्षत्रिय स्‍ त्र ज्ञ श्र द्ध ह्म ক্ষ ஸ்ரீ ශ්‍රී',
  'Thai stacked tone marks: ก้้้้ ป่่่ น์ ที่',
  'Hebrew points: בְּרֵאשִׁית בָּרָא',
  'Arabic harakat: بِسْمِ ٱللَّٰهِ ٱلرَّحْمَٰنِ',
  'Vietnamese stacked: ệ ộ ậ ặ ẫ ự ừ',
  'Hangul conjoining jamo: \u1100\u1161\u11a8 \u1112\u1161\u11ab\u1100\u1173\u11af \u1100 \u1161 \u11a8',
  'Variation selectors on ideographs: 葛\u{e0100} 葛\u{e0101} 辻\u{e0100} 禰\ufe00',
  'Grapheme joiner and ZWJ/ZWNJ: a\u034fb c\u200dd e\u200cf',
  'Greek with combining: α\u0301 ι\u0308\u0301 ω\u0345 Α\u0313',
  'Cyrillic with combining: и\u0306 е\u0308 а\u0301',
  'Many marks on one base: a' + COMBINING.slice(0, 112).map((c) => U(c)).join(''),
));

// Whitespace: each character in runs and next to letters, digits, punctuation and newlines.
{
  const w = [];
  for (const s of ALL_SPACES) {
    w.push(`a${s}b a${s}${s}b a${s}${s}${s}b a ${s}b a${s} b 1${s}2 1${s}${s}2 .${s}, !${s}? '${s}s ${s}'s ${s}123 x${s}`);
    w.push(`x  ${s}y x${s}${s}y ${s}${s}${s}z 9  ${s}9 .  ${s}.`);
    w.push(`${s}starts`);
    w.push(`ends${s}`);
    w.push(`${s}${s}${s}${s}${s}${s}${s}${s}word ${s}${s} ${s} (${s}) [${s}${s}] x${s}\r`);
    w.push(`${s}`);
    w.push(`\t${s} ${s}\t${s}\u3000`);
  }
  add('whitespace', w.join('\n') + '\n');

  const p = [];
  for (const s of ALL_SPACES) {
    let l = '';
    for (const t of ALL_SPACES) l += `a${s}${t}b${s}${t}`;
    p.push(l);
  }
  add('whitespace-pairs', p.join('\n') + '\n');

  // Runs that end the text: \s+(?!\S) and \s+ behave differently at the very end.
  add('whitespace-end', 'text followed by every kind of space' + ALL_SPACES.join('') + ALL_SPACES.join('') + '   \n\n  \t ');
  add('whitespace-only', ALL_SPACES.join('') + '\n \n\t\r\n   ');
}

// C0 and C1 controls, DEL and NUL: Cc is neither letter, number nor (mostly) whitespace.
{
  const cc = [...range(0x00, 0x1f), 0x7f, ...range(0x80, 0x9f)].map((c) => U(c));
  add('controls', lines(
    'NUL: a\0b \0 \0\0 1\0 2 .\0 \0x',
    cc.join(''),
    cc.map((c) => `a${c}b`).join(' '),
    cc.map((c) => ` ${c}${c} 1${c}`).join(''),
    'ANSI colours: \x1b[1;31mred\x1b[0m \x1b[38;5;208morange\x1b[m bell\x07 backspace\x08x form\x0cfeed',
  ) + '\0');
}

// Contractions: every suffix in every letter case, every apostrophe, many positions.
{
  const variants = (suf) => {
    let out = [''];
    for (const ch of suf) out = out.flatMap((p) => [p + ch.toLowerCase(), p + ch.toUpperCase()]);
    return out;
  };
  const sufs = CONTRACTIONS.flatMap(variants).concat(['ſ', 'ſt', '\u212a', 'ﬅ']);
  const out = [];
  for (const a of APOSTROPHES) {
    const l = [];
    for (const s of sufs) {
      l.push(`dog${a}${s} DOG${a}${s} Dog${a}${s} ${a}${s} 1${a}${s} .${a}${s} ${a}${s}x ${a}${s}${a}${s} ${a}${a}${s} x${a}${s}. ${a}${s}\u0301`);
    }
    out.push(l.join(' | '));
  }
  for (const s of sufs) out.push(`${s === s.toUpperCase() ? 'WORD' : 'word'}'${s}`);
  out.push(
    "I'm you're they've we'll she'd isn't can't won't shan't y'all ma'am o'clock 'tis 'twas",
    "I'M YOU'RE THEY'VE WE'LL SHE'D ISN'T CAN'T WON'T Y'ALL",
    "I’m you’re they’ve we’ll she’d isn’t can’t won’t",
    "O'Neil O'NEIL McDonald's rock'n'roll rock 'n' roll the '90s l'homme dell'arte 's avonds z'n",
    "'s 't 're 've 'm 'll 'd",
    " 's  't  're  've  'm  'll  'd",
    "'S 'T 'RE 'VE 'M 'LL 'D 'Re 'rE 'Ll 'lL 'Ve 'vE",
    "'sa 'ta 'rea 'vea 'ma 'lla 'da 'sss 'tt 'llama 'dx 'ms",
    "he's'm'd 's's ''s '''s 'é 'ſ 'ẞ 'ß",
    'Ukrainian apostrophe: м’ята п\'ять об\u02bcєкт',
    "end of text with a contraction: it's",
  );
  add('contractions', out.join('\n'));
}

// Digits: every decimal-digit script, other numerics, long runs and number formats.
{
  const out = [];
  for (const z of DIGIT_ZEROS) {
    const d = range(z, z + 9).map((c) => U(c)).join('');
    out.push(`${d} ${d}${d} x${d}y ${U(z + 2, z, z + 2, z + 4)} 12${U(z + 3, z + 4)}56`);
  }
  out.push(
    'Superscripts and subscripts: x² y³ z¹ 10⁻⁹ ⁰¹²³⁴⁵⁶⁷⁸⁹ H₂O ₀₁₂₃₄₅₆₇₈₉',
    'Fractions: ½ ⅓ ⅔ ¼ ¾ ⅕ ⅛ ⅞ ⅒ ↉ 1½ 2¾',
    'Roman numerals: Ⅰ Ⅱ Ⅲ Ⅳ Ⅻ ⅯⅯⅩⅩⅣ ⅰ ⅱ ⅻ ↀ ↁ ↂ',
    'Circled and parenthesized: ① ② ⑩ ⑳ ㉑ ㊿ ⑴ ⒇ ⒈ ⒛ ❶ ➀ ➓ ⓪ ⓿ 🄀 🄁 🄊',
    'Other numbers: 〇 〡 〢 〸 ௰ ௱ ௲ ൰ ፲ ፻ ៰ 𐄇 𐄈 𐏑 𐌠 𝍠 𞣇 ¹²³ ↊ ↋',
    'Chinese numerals: 一二三四五六七八九十百千万亿 壹贰叁',
  );
  for (let n = 1; n <= 40; n++) {
    const d = '1234567890'.repeat(4).slice(0, n);
    out.push(`${d} x${d} ${d}x  ${d}.${d} -${d} +${d} (${d})`);
  }
  out.push(
    '3.14159 2.71828 -0.5 +1 1e10 1E-10 6.022e23 0x1F 0xDEADBEEF 0b1010 0o777 1_000_000',
    '1,234,567.89 1.234.567,89 1 234 567 1\u00a0234\u00a0567 1\u202f234 1\'234\'567 12,34,567',
    '2024-02-29T23:59:60.123Z 10:45:00 +05:30 1999/12/31 31.12.1999 v1.2.3-rc.4+build.5',
    '192.168.0.1 10.0.0.255:8080 ::1 fe80::1ff:fe23:4567:890a 255.255.255.0',
    '+1 (555) 123-4567 +44 20 7946 0958 555.123.4567 #12345 No. 42 4th 21st 100th',
    'a1b22c333d4444e55555f666666 A1B2C3 x86_64 arm64 utf8 h264 i18n l10n 3D 4K 5G',
    '123456789012345678901234567890123456789012345678901234567890 0000000000 0001 00.00',
  );
  const r = prng('digits-long');
  let long = '';
  for (let i = 0; i < 3000; i++) long += String(r.int(10));
  out.push(long);
  add('digits', out.join('\n') + '\n');
}

// Long runs of one character: BPE over one very long piece.
add('long-letter', 'a'.repeat(4096));
add('long-letter-upper', 'A'.repeat(4096) + 'a');
add('long-letter-multibyte', 'é'.repeat(2048) + ' ' + 'ж'.repeat(2048));
add('long-space', 'x' + ' '.repeat(4096));
add('long-space-word', ' '.repeat(4096) + 'word');
add('long-tab', '\t'.repeat(4096) + 'x');
add('long-newline', '\n'.repeat(4096));
add('long-crlf', '\r\n'.repeat(2048));
add('long-nbsp', '\u00a0'.repeat(2048) + 'x' + '\u3000'.repeat(2048));
add('long-punct', '-'.repeat(4096) + '\n' + '='.repeat(2048) + '\n' + '.'.repeat(2048) + '\n' + '!?'.repeat(1024));
add('long-digit', '7'.repeat(4096));
add('long-cjk', '的'.repeat(2048) + '。' + '一'.repeat(2048));
add('long-emoji', '😀'.repeat(1024) + '👍🏽'.repeat(512));
add('long-combining', 'a' + '\u0301'.repeat(2048) + ' ' + 'e\u0301'.repeat(1024));
add('long-word-repeat', 'hello '.repeat(1000) + 'Hello'.repeat(500) + ' HELLO'.repeat(500));
add('long-apostrophe', "'".repeat(2048) + "s" + "'s".repeat(1024));
// Runs long enough to be merged in blocks (backtrack.c): claude's longest
// token of spaces is 1,024 of them, so its blocks of spaces are 1 KB.
add('long-periodic', ' '.repeat(20000) + 'x' + 'ab'.repeat(5000) + ' ' + '\u{1F600}'.repeat(3000) +
    '\n' + '=-'.repeat(3000) + '\n' + '7'.repeat(9000));

add('markdown', lines(
  '---',
  'title: "Release notes"',
  'tags: [cli, tokens]',
  '---',
  '',
  '# Release notes',
  '',
  '## 1.2.0 — 2024-05-01',
  '',
  'This release **adds** a `--budget` flag, _fixes_ two bugs and ~~removes~~ deprecates `--max`.',
  '',
  '- [x] Count tokens per file',
  '- [ ] Trim long sections',
  '  - nested item with `inline code`',
  '    1. numbered, nested twice',
  '    2. second',
  '* star bullet',
  '+ plus bullet',
  '',
  '> A block quote that spans',
  '> two lines, with a [link](https://example.com/docs "Title") and ![an image](img/a.png).',
  '>',
  '> > Nested quote.',
  '',
  '| Column A | Column B | Right |',
  '|:---------|:--------:|------:|',
  '| a        | b        |   1.0 |',
  '| `x | y`  | **bold** |  22.5 |',
  '',
  '```bash',
  'promptasm count --model claude-sonnet-4 agents/*.md',
  '```',
  '',
  '~~~python',
  'print("fenced with tildes")',
  '~~~',
  '',
  '    indented code block',
  '    second line',
  '',
  'Setext heading',
  '==============',
  '',
  'Another one',
  '-----------',
  '',
  '***',
  '',
  'Footnote reference[^1] and an autolink <https://example.org> and <mail@example.org>.',
  '',
  '[^1]: The footnote text.',
  '',
  '<details><summary>HTML inside Markdown</summary>',
  '',
  '<p align="center">Hello &amp; welcome &mdash; &#x1F600;</p>',
  '',
  '</details>',
  '',
  'Escapes: \\* not a bullet \\_not italic\\_ \\`not code\\` \\# not a heading',
  'Line ending with two spaces  ',
  'Line ending with a backslash\\',
  'Math: $E = mc^2$ and $$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$',
  '',
  '<!-- a comment -->',
  '',
  '<system>',
  'You are a helpful assistant. Follow the <rules> below.',
  '</system>',
))

add('code-c', lines(
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '#include <string.h>',
  '',
  '/* A growable buffer, NUL-terminated. */',
  'typedef struct {',
  '\tchar *ptr;',
  '\tsize_t len, cap;',
  '} buf;',
  '',
  '#define BUF_INIT { NULL, 0, 0 }',
  '',
  'static int buf_grow(buf *b, size_t extra)',
  '{',
  '\tif (b->len + extra + 1 <= b->cap)',
  '\t\treturn 0;',
  '\tsize_t cap = b->cap ? b->cap * 2 : 64;',
  '\twhile (cap < b->len + extra + 1)',
  '\t\tcap *= 2;',
  '\tchar *p = realloc(b->ptr, cap);',
  '\tif (!p)',
  '\t\treturn -1;',
  '\tb->ptr = p;',
  '\tb->cap = cap;',
  '\treturn 0;',
  '}',
  '',
  'int main(int argc, char **argv)',
  '{',
  '\tbuf b = BUF_INIT;',
  '\tfor (int i = 1; i < argc; i++) {',
  '\t\tsize_t n = strlen(argv[i]);',
  '\t\tif (buf_grow(&b, n) != 0) {',
  '\t\t\tfprintf(stderr, "out of memory\\n");',
  '\t\t\treturn EXIT_FAILURE;',
  '\t\t}',
  '\t\tmemcpy(b.ptr + b.len, argv[i], n);',
  '\t\tb.len += n;',
  '\t\tb.ptr[b.len] = \'\\0\';',
  '\t}',
  '\tprintf("%zu bytes: \\"%s\\"\\t0x%08x %5.2f%%\\n", b.len, b.ptr ? b.ptr : "", 0xFFu, 99.5);',
  '\tfree(b.ptr);',
  '\treturn 0; // done',
  '}',
  '    /* spaces instead of tabs */    int x=1,y=2;x+=y<<3;y=x>>1^~y&0x7f|(x?y:-1);',
  'char s[] = u8"héllo", t[] = "\\xe2\\x82\\xac", c = \'\\\'\';',
  'a->b.c[d]->e; i++; --j; k != l && m || !n; p <= q >= r == s;',
))

add('code-python', lines(
  '#!/usr/bin/env python3',
  '"""Count words in files given on the command line."""',
  '',
  'from __future__ import annotations',
  '',
  'import sys',
  'from collections import Counter',
  'from pathlib import Path',
  '',
  '',
  'class WordCounter:',
  '    def __init__(self, *, lower: bool = True) -> None:',
  '        self.lower = lower',
  '        self.counts: Counter[str] = Counter()',
  '',
  '    def feed(self, text: str) -> None:',
  '        for word in text.split():',
  '            self.counts[word.lower() if self.lower else word] += 1',
  '',
  '    def top(self, n: int = 10) -> list[tuple[str, int]]:',
  '        return self.counts.most_common(n)',
  '',
  '',
  'def main(argv: list[str]) -> int:',
  '    wc = WordCounter()',
  '    for name in argv[1:]:',
  '        try:',
  '            wc.feed(Path(name).read_text(encoding="utf-8"))',
  '        except OSError as e:',
  '            print(f"error: {name}: {e}", file=sys.stderr)',
  '            return 1',
  '    for word, n in wc.top():',
  '        print(f"{n:>6} {word!r}")',
  "    data = {'a': [1, 2.5, None, True], \"b\": (3,), 'c': {4, 5}}",
  "    squares = [x ** 2 for x in range(10) if x % 2 == 0]",
  "    lam = lambda x, /, y=0, *a, k, **kw: (x, y, a, k, kw)",
  "    r = rb'\\d+\\s*' + br\"\\n\"",
  '    return 0',
  '',
  '',
  'if __name__ == "__main__":',
  '    sys.exit(main(sys.argv))',
))

add('code-json', lines(
  '{',
  '  "name": "promptasm-sample",',
  '  "version": "1.0.0",',
  '  "private": true,',
  '  "numbers": [0, -1, 3.14, 1e-7, 12345678901234567890, -0.0],',
  '  "nested": {"a": {"b": {"c": [[], {}, [null, false, true]]}}},',
  '  "escapes": "quote \\" backslash \\\\ slash \\/ tab \\t newline \\n unicode \\u00e9 \\ud83d\\ude00",',
  '  "unicode": "é ü 日本 😀",',
  '  "empty": "",',
  '  "spaces": "   ",',
  '  "url": "https://example.com/a?b=c&d=e"',
  '}',
  '{"compact":true,"list":[1,2,3],"obj":{"k":"v"},"deep":[[[[["x"]]]]]}',
  '[',
  '\t{"id": 1, "tags": ["a", "b"]},',
  '\t{"id": 2, "tags": []}',
  ']',
))

add('code-shell', lines(
  '#!/bin/sh',
  '# Build, then count tokens in every agent file.',
  'set -eu',
  '',
  'PREFIX="${PREFIX:-/usr/local}"',
  'jobs=$(nproc 2>/dev/null || echo 4)',
  'make -j"$jobs" PREFIX="$PREFIX" && make check',
  '',
  'for f in agents/*.md; do',
  '  [ -f "$f" ] || continue',
  '  n=$(./promptasm count "$f" | awk \'{print $1}\')',
  '  printf \'%-40s %6d\\n\' "$f" "$n"',
  'done | sort -k2 -n -r | head -n 20',
  '',
  'if [ "${1:-}" = "--clean" ]; then rm -rf build/ *.o; fi',
  'case "$(uname -s)" in Linux*) os=linux ;; Darwin*) os=mac ;; *) os=other ;; esac',
  'grep -rnE \'^(TODO|FIXME):\' src/ | cut -d: -f1 | uniq -c >&2',
  'cat <<EOF > /tmp/out.txt',
  'Home: $HOME, user: `whoami`, args: $@ $# $? $$ $!',
  'EOF',
  'find . -name \'*.c\' -exec wc -l {} + | tail -1',
  'echo "a|b|c" | tr \'|\' \'\\n\' | sed -e \'s/^/> /\'',
  'x=$(( (3 + 4) * 2 )); arr=(one two three); echo "${arr[@]:1}" ${#arr[@]}',
  'curl -fsSL "https://example.com/install.sh?v=1&x=2" | sh -s -- --yes 2>&1 | tee log.txt',
))

add('code-misc', lines(
  '# YAML',
  'name: example',
  'on:',
  '  push:',
  '    branches: [main]',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: |',
  '          make',
  '          make test',
  'anchors: &a {x: 1}',
  'ref: *a',
  'multi: >-',
  '  folded text',
  '',
  '<!-- HTML -->',
  '<!DOCTYPE html>',
  '<html lang="en"><head><meta charset="utf-8"><title>T&amp;C</title></head>',
  '<body class="x y"><div id="main" data-n=\'3\'><a href="/a?b=1&amp;c=2">link</a><br/></div></body></html>',
  '',
  '-- SQL',
  "SELECT u.id, COUNT(*) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.name LIKE 'A%' GROUP BY u.id HAVING n > 2 ORDER BY n DESC LIMIT 10;",
  '',
  '// JavaScript',
  'const f = async ({ a = 1, ...rest } = {}) => { await g?.(a ?? 0); return `x=${a}`; };',
  'export default class A extends B { #p = 1; static get x() { return this.#p; } }',
  '',
  '# Regex and diff',
  '^(?:[a-z0-9!#$%&\'*+/=?^_`{|}~-]+)@(?:[a-z0-9-]+\\.)+[a-z]{2,}$',
  'diff --git a/src/x.c b/src/x.c',
  '@@ -1,3 +1,4 @@',
  '-old line',
  '+new line',
  ' context',
  '',
  '% LaTeX',
  '\\begin{equation} \\int_0^\\infty e^{-x^2}\\,dx = \\frac{\\sqrt{\\pi}}{2} \\end{equation}',
  '',
  '; INI',
  '[section]',
  'key = value ; comment',
))

add('crlf', [
  'Line one\r\nLine two\r\n\r\nAfter a blank line\r\n',
  '  indented with spaces\r\n\tindented with a tab\r\n',
  'trailing spaces   \r\ntrailing tab\t\r\n',
  'punctuation.\r\nquestion?\r\n---\r\n//\r\n/\r\n...\r\n',
  'digits 123\r\n456\r\n',
  '\r\n\r\n\r\n',
  ' \r\n \r\n  \r\n',
  'key=value\r\nname,age,city\r\n"Doe, Jane",42,"New York"\r\n',
  'mixed endings\nunix\r\nwindows\rold mac\n\rreversed\r\r\ndouble CR then LF\r\n',
  'no final newline',
].join(''));

add('cr', [
  'lone CR\rnext line\r\rafter two CRs\r',
  ' space before CR \r\tTab\r',
  'ab\rcd\r\r\r\r',
  'punct!\r?\r-\r/\r',
  '12\r34\r',
  '\r \r  \r',
  'CR at end\r',
].join(''));

add('special-tokens', [
  '<EOT>Text that starts with a Claude special token.\n',
  'OpenAI: <|endoftext|> <|fim_prefix|>def f():<|fim_suffix|>\n    return 1<|fim_middle|> <|endofprompt|>\n',
  'Chat markup: <|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|><|im_sep|>\n',
  'Harmony: <|start|>assistant<|channel|>final<|message|>Hello<|end|> <|return|> <|call|> <|constrain|> <|startoftext|>\n',
  'Claude: <EOT> <META> <META_START> <META_END> <SOS> and glued: foo<EOT>bar <SOS><EOT><META>\n',
  'Near misses: <eot> <Eot> < EOT > <EOT <EOT  > EOT> <<EOT>> <META_STARTX> <META>_START> <META_ START>\n',
  '<|endoftext| |endoftext|> <|endoftext|><|endoftext|> <||> <|> <| |> <|endoftext|>x x<|endoftext|>\n',
  'NFKC makes these special for claude: ＜EOT＞ <ＥＯＴ> ﹤SOS﹥ <META＿START>\n',
  'In a sentence: the model emits <EOT> when done, and <|endoftext|> separates documents.\n',
  'Escaped: &lt;EOT&gt; \\<EOT\\> `<EOT>` "<SOS>" \'<META>\' (<META_END>) [<|endofprompt|>]\n',
  'Ends with one: <SOS>',
].join(''));

add('nfkc', lines(
  'Ligatures: ﬁnance ﬂow ﬀ ﬃ ﬄ ﬅ ﬆ ĳ Ĳ ǆ ǅ Ǆ ǉ ǌ ŉ',
  'Fullwidth: ＡＢＣ ａｂｃ １２３ ！？＂＃＄％＆＇（）＊＋，－．／：；＜＝＞＠［＼］＾＿｀｛｜｝～ ￠￡￥￦',
  'Halfwidth: ｶﾞｷﾞｸﾞ ﾊﾟ ｱｲｳｴｵ ｰ ｡｢｣､･ ￨￩￪',
  'Superscripts: x² y³ aⁿ ⁱ ⁽¹⁾ ⁺⁻⁼ ᵃᵇᶜ ʰʲʳʷʸ ˡˢˣ',
  'Subscripts: H₂O CO₂ xᵢ ₍₊₋₌₎ ₐₑₒₓ',
  'Fractions: ½ ⅓ ¼ ¾ ⅞ ↉ 1⁄2',
  'Roman and circled: Ⅻ ⅻ ① ⑳ ⒜ ⓐ Ⓐ ㉑ ㊿ ㋀ ㍘',
  'Squared: ㎞ ㎏ ㏄ ㍱ ㍻ ㋿ ㌔ ㍿ ㈱ ㊤ 🄰 🅐 🆎',
  'Letterlike: ℃ ℉ ™ ℠ ℡ ℅ № ℓ ℮ Å Ω K ℌ ℑ ℜ ℝ ℤ ℂ ℕ ℙ ℚ ℵ ℶ ⅅ ⅆ',
  'Math alphanumerics: 𝐀𝐁𝐂 𝑎𝑏𝑐 𝔄𝔅 𝕬 𝒜 𝖠 𝗔 𝘈 𝙰 𝟎𝟏𝟐 𝟬',
  'Compatibility: ſ µ ϐ ϑ ϒ ϕ ϖ ϰ ϱ ϲ ϴ ϵ ℇ ℏ ı ȷ',
  'Spaces NFKC folds to U+0020: [\u00a0] [\u2000] [\u2001] [\u2002] [\u2003] [\u2004] [\u2005] [\u2006] [\u2007] [\u2008] [\u2009] [\u200a] [\u202f] [\u205f] [\u3000]',
  'Punctuation: … ‥ ‼ ⁇ ⁈ ⁉ ′ ″ ‴ ⁗ ‵ ‶ ‷ ﹐ ﹑ ﹒ ﹔ ﹕ ﹖ ﹗ ︰ ︱ ︲ ︳ ︴ ︵ ︶ ︙ ﹏ ﹍ ‾ ‗',
  'Arabic presentation forms: ﷺ ﷽ ﻻ ﻼ ﷲ ﭐ ﭑ ﺍﻟﻌﺮﺑﻴﺔ',
  'Hebrew presentation forms: ﬡ ﬢ ﬣ שּׁ ﬠ ﭏ',
  'CJK compatibility: 豈 更 車 賈 滑 串 句 龜 ⼀ ⼆ ⽇ ⾔ ㄱ ㄲ ㅏ ㆍ ㉠ ㉮ 㐀',
  'Composition: e\u0301 a\u030a o\u0308 u\u0308\u0301 \u1100\u1161 \u1100\u1161\u11a8 A\u0328\u0301',
  'Singletons and exclusions: \u212b \u2126 \u212a \u0958 \u0959 \u2adc \u0344 \u0343 \u0340 \u0374 \u037e \u0387',
  'Contraction after NFKC: it＇s it\u02bcs IT＇LL we＇re',
  'Turkish and German: İ ı ẞ ß ǰ',
  'Greek tonos/oxia: ά ά έ έ ώ ώ ΐ ΐ',
  'Vertical forms: ︐ ︑ ︒ ︓ ︔ ︕ ︖ ︗ ︘',
  'Enclosed ideographs: 🈀 🈁 🈂 🈚 🈯 🉐 🉑',
  'Kangxi radicals: ⺀ ⺁ ⼀ ⼁ ⼂ ⿕',
  'Unchanged: plain ASCII text, Ünïcödé already NFC, 日本語, 😀',
))

add('case', lines(
  'camelCase PascalCase snake_case SCREAMING_SNAKE kebab-case Train-Case dot.case',
  'HTTPServerError XMLHttpRequest getHTTPResponseCode iPhone eBay iOS macOS IPv6 GraphQL',
  "McDonald's MacArthur O'REILLY'S O'Reilly's DON'T Don't don'T dON't",
  "HELLO'S Hello'S hello'S HELLO's HeLLo'Ll WORLD'VE World'Ve",
  'ABCdef abcDEF AbCdEf aBcDeF A1b2C3 a1B2c3 ABC123def',
  'Titlecase digraphs: ǅemal ǈubav ǋegoš ǲ ᾈ ᾘ ᾨ ǅǅ',
  'Modifier letters: ʰʲʷ ˢ ᵃ ꜰ ʼ ˈ ˌ ꞈ ᴬᴮ ꟸ',
  'Other letters: ª º ƻ ǀ ǁ ǂ ǃ ʔ ⴀ',
  'Georgian: ᲒᲐᲛᲐᲠᲯᲝᲑᲐ გამარჯობა Ᲊ ჱ',
  'Cherokee: ᎠᎡᎢ ꭰꭱꭲ Ꭰꭱ',
  'Deseret: 𐐀𐐁𐐂 𐐨𐐩𐐪 𐐀𐐩',
  'Adlam: 𞤀𞤁 𞤢𞤣 𞤀𞤢',
  'Greek: ΟΔΥΣΣΕΥΣ Οδυσσεύς ΣΊΣΥΦΟΣ σίσυφος ς',
  'German: STRASSE Straße STRAẞE ß ẞ',
  'Turkish: İSTANBUL istanbul ISPARTA ıspanak İi Iı',
  'Armenian: ԱԲԳ աբգ Աբգ և',
  'Cyrillic: МОСКВА Москва мОСКВА Ѐ ѐ',
  'Roman numerals: Ⅻ ⅻ ⅫⅫ ⅻⅻ Ⅻx',
  'Circled: Ⓐⓐ ⒶⒷ ⓐⓑ',
  'Fullwidth: ＡＢＣ ａｂｃ Ａｂｃ',
  'Math: 𝐀𝐚 𝐀𝐁 𝐚𝐛',
  'Marks inside words: Ánd e\u0301E\u0301 A\u0301B\u0301c\u0301 ạḄ',
  'Lo next to cased letters: aあbアc 日本Japan Japan日本 AあB',
))

{
  const ascii = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter((c) => !/[A-Za-z0-9]/.test(c));
  const out = [];
  for (const c of ascii) out.push(`${c} ${c}${c}${c} a${c}b 1${c}2 ${c}\n${c}${c}\r\n${c}/ ${c}${c}/\n/${c}`);
  out.push(
    '!!!\n?!\n\n --\n==>\r\n//\n/path/to/file\na/b/c\n.../\n',
    '“”‘’«»‹›„‚—–―…‰‱′″‴※‼⁇⁈⁉¡¿·•‣∙°§¶†‡',
    '© ® ™ € £ ¥ ₹ ₩ ₽ ₿ ¢ ₪ ₫ ₴ ₺',
    '∑ ∏ ∫ ∮ √ ∛ ∞ ≈ ≠ ≡ ≤ ≥ ± × ÷ ∂ ∇ ∆ ∈ ∉ ∋ ⊂ ⊆ ∪ ∩ ∧ ∨ ¬ ⊕ ⊗ ∀ ∃ ∅ ⟨⟩ ⌈⌉ ⌊⌋',
    '→ ← ↑ ↓ ↔ ↕ ⇒ ⇐ ⇔ ⟶ ⟹ ↦ ↩ ↪ ⤴ ⤵',
    '─│┌┐└┘├┤┬┴┼ ═║╔╗╚╝╠╣╦╩╬ █▓▒░▀▄▌▐ ■□▪▫●○◆◇▲△▼▽★☆',
    '♠♣♥♦ ♩♪♫♬ ☐☑☒ ✓✔✗✘ ⌘⌥⇧⌃⎋⏎⌫',
    '¡Hola! ¿Qué? «Bonjour» „Hallo“ 「こんにちは」 『引用』 【注意】 〈括弧〉 《书名》 ‹›',
    '(a) [b] {c} <d> ((())) [[[]]] {{{}}} <<<>>> ([{<>}])',
    'a.b,c;d:e!f?g-h_i+j=k*l&m^n%o$p#q@r~s`t|u\\v/w"x\'y',
    '... ,,, ;;; ::: !!! ??? --- ___ +++ === *** &&& ^^^ %%% $$$ ### @@@ ~~~ ``` ||| \\\\\\ /// """ \'\'\'',
    'Punctuation then newlines: end.\n\n\nnext;\r\n\r\nnext!\n \nnext?\t\n',
    'Punctuation then slash: ./ ../ .// -/ :// ?/ !/ //',
  );
  add('punctuation', out.join('\n') + '\n');
}

add('urls-paths', lines(
  'https://www.example.com/path/to/page.html?query=value&other=1#section-2',
  'http://user:pass@example.org:8080/a/b/../c/./d?x[]=1&x[]=2',
  'ftp://files.example.net/pub/file-1.2.3.tar.gz',
  'mailto:first.last+tag@sub.example.co.uk',
  'https://例え.jp/パス?キー=値 https://xn--r8jz45g.jp/ https://en.wikipedia.org/wiki/Caf%C3%A9',
  '/usr/local/lib/libpromptasm.a ~/projects/promptasm/src/bpe.c ./configure ../../README.md',
  'C:\\Users\\Jane Doe\\Documents\\report (final) v2.docx \\\\server\\share\\folder',
  'src/**/*.{c,h} !build/ *.min.js [abc]?.txt',
  'git@github.com:owner/repo.git refs/heads/main HEAD~3 HEAD^2 a1b2c3d4e5f6',
  'sha256:446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d',
  'uuid 123e4567-e89b-12d3-a456-426614174000 ULID 01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'base64 SGVsbG8sIFdvcmxkIQ== and url-safe SGVsbG8_V29ybGQ-',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  '00000000  7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00  |.ELF............|',
  'rgb(255, 0, 128) #ff0080 #FFF hsl(330deg 100% 50%)',
  'npm:@scope/pkg@^1.2.3 pip install "requests>=2.31,<3" go get example.com/mod@v0.1.0',
))

add('prompt', lines(
  '---',
  'name: code-reviewer',
  'description: Reviews diffs for bugs, style and missing tests. Use after any change to src/.',
  'tools: Read, Grep, Glob, Bash(git diff:*)',
  'model: sonnet',
  '---',
  '',
  'You are a careful code reviewer. When invoked:',
  '',
  '1. Run `git diff --stat` and read every changed file.',
  '2. For each problem, report **file:line**, the issue, and a fix.',
  '3. Rank findings: <critical>, <warning>, <nit>.',
  '',
  '<rules>',
  '  <rule id="1">Never approve code without tests.</rule>',
  '  <rule id="2">Quote the exact line you object to.</rule>',
  '</rules>',
  '',
  '## Output format',
  '',
  '```json',
  '{"findings": [{"file": "src/bpe.c", "line": 42, "severity": "warning", "text": "..."}]}',
  '```',
  '',
  "Remember: if you're unsure, say so — don't guess. Don't use emojis 🙅.",
  '',
  '@docs/STYLE.md',
  '$ARGUMENTS',
  '{{user_name}} {% if x %}…{% endif %} ${VAR} %PATH%',
))

// ---------------------------------------------------------------------------------------------
// Seeded random cases

{
  const r = prng('random-ascii');
  const pool = ' '.repeat(12) + 'etaoinshrdlucmfwypvbgkjqxzETAOINSHRDLU0123456789' + '.,;:!?\'"()[]{}<>-_=+*/\\|&^%$#@~`' + '\n\n\t\r';
  let s = '';
  while (s.length < 32768) s += pool[r.int(pool.length)];
  add('random-ascii', s);
}

{
  const r = prng('random-unicode');
  const emoji = ['😀', '👍🏽', '👩‍👩‍👧', '🇯🇵', '❤️', '1️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'];
  const pieces = [
    () => String.fromCharCode(32 + r.int(95)),
    () => U(0xa0 + r.int(0x250 - 0xa0)),
    () => U(r.pick([0x391, 0x410, 0x5d0, 0x627, 0x905, 0xe01, 0x3041, 0x30a1, 0x4e00, 0xac00]) + r.int(40)),
    () => U(r.pick(ALL_SPACES).codePointAt(0)),
    () => U(r.pick(COMBINING)),
    () => r.pick(emoji),
    () => r.pick(APOSTROPHES) + r.pick(['s', 'T', 're', 'LL', 'd', 've', 'M']),
    () => U(r.pick(DIGIT_ZEROS) + r.int(10)),
    () => {
      // any scalar value: a random plane, no surrogates
      const plane = r.pick([0, 0, 0, 1, 1, 2, 14]);
      let cp = plane * 0x10000 + r.int(0x10000);
      if (cp >= 0xd800 && cp <= 0xdfff) cp -= 0x800;
      return U(cp);
    },
    () => '\r\n',
  ];
  const weights = [30, 10, 14, 8, 5, 4, 6, 5, 6, 2];
  const total = weights.reduce((a, b) => a + b);
  let s = '';
  while (s.length < 32768) {
    let k = r.int(total);
    let i = 0;
    while (k >= weights[i]) k -= weights[i++];
    s += pieces[i]();
  }
  add('random-unicode', s);
}

{
  const r = prng('random-words');
  const words = [
    'the', 'token', 'budget', 'prompt', 'agent', 'Memory', 'CLAUDE', 'tiktoken', 'naïve', 'café',
    'Straße', 'ıi', 'İstanbul', 'Ελλάδα', 'σίσυφος', 'Москва', 'мир', 'שלום', 'سلام', 'नमस्ते',
    'ภาษาไทย', '日本語', 'カタカナ', 'ひらがな', '中文', '한국어', '𐌲𐌿𐍄', '😀', '👍🏽', '2024',
    '3.14', '1,000', '٣٤', '०१२', 'x86_64', 'camelCase', 'HTTPServer', 'ﬁne', 'Ⅻ', '½',
  ];
  const seps = [' ', ' ', ' ', '  ', '\n', '\n\n', '\t', ', ', '. ', '; ', '! ', '? ', ' - ', '/', '\r\n', '\u00a0', '\u3000', '', "'s ", "'LL ", '’re '];
  let s = '';
  while (s.length < 32768) {
    let w = r.pick(words);
    const c = r.int(10);
    if (c === 0) w = w.toUpperCase();
    else if (c === 1) w = w[0].toUpperCase() + w.slice(1);
    s += w + r.pick(seps);
  }
  add('random-words', s);
}

// ---------------------------------------------------------------------------------------------
// The code-point sweep

// Long stretches of unassigned (Cn) or private-use (Co) code points, as of Unicode 17.0, split at
// plane boundaries. Of each, the sweep keeps the first 256 and the last 2 code points (the last
// two of a plane are the noncharacters U+xFFFE and U+xFFFF); everything else is swept in full.
// Fixed here so the selection does not change with Node's Unicode version.
const SAMPLED = [
  [0xe000, 0xf8ff], [0x12544, 0x12f8f], [0x14647, 0x160ff], [0x1613a, 0x167ff],
  [0x18df3, 0x1afef], [0x1b2fc, 0x1bbff], [0x1bca4, 0x1cbff], [0x1dab0, 0x1deff],
  [0x1e960, 0x1ec70], [0x1fbfb, 0x1ffff], [0x2ee5e, 0x2f7ff], [0x2fa1e, 0x2ffff],
  [0x3347a, 0x3ffff],
  ...range(4, 13).map((p) => [p * 0x10000, p * 0x10000 + 0xffff]),
  [0xe01f0, 0xeffff], [0xf0000, 0xfffff], [0x100000, 0x10ffff],
];

function sweepCodePoints() {
  const out = [];
  let k = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    while (k < SAMPLED.length && cp > SAMPLED[k][1]) k++;
    if (k < SAMPLED.length && cp >= SAMPLED[k][0]) {
      const [a, b] = SAMPLED[k];
      if (cp >= a + 256 && cp <= b - 2) continue;
    }
    out.push(cp);
  }
  return out;
}

// One line per code point. Its class only shows in the ids where a piece boundary moves across a
// pair of bytes that the vocabulary merges, so each context puts the code point where the
// classes split differently: between lower- and upper-case letters (\p{L}, o200k's case
// classes, NFKC composition with the letter before), doubled before a letter (whitespace gives
// up its last character to the word, punctuation does not join it, letters do), after two
// spaces (only whitespace joins the run of spaces), four in a row (\p{N}{1,3} splits them 3+1),
// after an apostrophe (case-insensitive contractions such as 'ſ) and before the newline.
const sweepLine = (c) => `a${c}b A${c}B ${c}${c}x  ${c}1 ${c}${c}${c}${c} '${c}\n`;

function sweepFiles() {
  const files = [];
  let text = '';
  let bytes = 0;
  let first = -1;
  let last = -1;
  let count = 0;
  const flush = () => {
    files.push({ name: `sweep-${String(files.length).padStart(2, '0')}`, text, first, last, count, bytes });
    text = '';
    bytes = 0;
    first = -1;
    count = 0;
  };
  for (const cp of sweepCodePoints()) {
    const line = sweepLine(U(cp));
    const n = Buffer.byteLength(line);
    if (bytes + n > SWEEP_FILE_MAX) flush();
    if (first < 0) first = cp;
    last = cp;
    text += line;
    bytes += n;
    count++;
  }
  if (count) flush();
  return files;
}

// ---------------------------------------------------------------------------------------------
// Encoding and output

function checkText(name, text) {
  if (!text.isWellFormed()) die(`case ${name} contains a lone surrogate`);
  const buf = Buffer.from(text, 'utf8');
  if (buf.toString('utf8') !== text) die(`case ${name} does not survive a UTF-8 round trip`);
  return buf;
}

const encoders = {
  cl100k_base: get_encoding('cl100k_base'),
  o200k_base: get_encoding('o200k_base'),
  claude: getTokenizer(),
};
function encode(tok, text) {
  if (tok === 'claude') return encoders.claude.encode(text.normalize('NFKC'), 'all');
  return encoders[tok].encode_ordinary(text);
}
const idsText = (ids) => Array.from(ids).join(' ') + '\n';

const gz = (data) => gzipSync(data, { level: 9 }); // zlib writes no name and mtime 0

function clean(dir, re) {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (re.test(f)) rmSync(join(dir, f));
}
clean(CORPUS, /\.txt(\.gz)?$/);
for (const tok of TOKENIZERS) clean(join(REF, tok), /\.ids(\.gz)?$/);

let crossCheck = null;
if (process.argv.includes('--cross-check')) {
  const gpt = {
    cl100k_base: require('gpt-tokenizer/cjs/encoding/cl100k_base'),
    o200k_base: require('gpt-tokenizer/cjs/encoding/o200k_base'),
  };
  const none = { allowedSpecial: new Set(), disallowedSpecial: new Set() };
  crossCheck = { bad: [], check(name, tok, text, ids) {
    if (!gpt[tok]) return;
    const theirs = gpt[tok].encode(text, none);
    if (theirs.length !== ids.length || theirs.some((x, i) => x !== ids[i])) {
      let i = 0;
      while (i < ids.length && theirs[i] === ids[i]) i++;
      this.bad.push(`${tok} ${name}: first difference at id #${i} (tiktoken ${ids.length} ids, gpt-tokenizer ${theirs.length})`);
    }
  } };
}

const totals = Object.fromEntries(TOKENIZERS.map((t) => [t, 0]));
for (const [name, text] of cases) {
  if (name.startsWith('sweep-')) die(`case name ${name} is reserved for the sweep`);
  writeFileSync(join(CORPUS, `${name}.txt`), checkText(name, text));
  for (const tok of TOKENIZERS) {
    const ids = encode(tok, text);
    totals[tok] += ids.length;
    writeFileSync(join(REF, tok, `${name}.ids`), idsText(ids));
    crossCheck?.check(name, tok, text, Array.from(ids));
  }
}

const index = ['# file\tfirst\tlast\tcode points\tbytes'];
const hex = (cp) => 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
let swept = 0;
for (const f of sweepFiles()) {
  writeFileSync(join(CORPUS, `${f.name}.txt.gz`), gz(checkText(f.name, f.text)));
  for (const tok of TOKENIZERS) {
    const ids = encode(tok, f.text);
    totals[tok] += ids.length;
    writeFileSync(join(REF, tok, `${f.name}.ids.gz`), gz(idsText(ids)));
    crossCheck?.check(f.name, tok, f.text, Array.from(ids));
  }
  index.push(`${f.name}.txt.gz\t${hex(f.first)}\t${hex(f.last)}\t${f.count}\t${f.bytes}`);
  swept += f.count;
}
writeFileSync(join(here, 'sweep-index.tsv'), index.join('\n') + '\n');

const version = (pkg) => JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
writeFileSync(join(REF, 'SOURCES'), lines(
  'Reference ids in this directory were written by tests/tokenizer/gen-reference.mjs with:',
  `cl100k_base, o200k_base: tiktoken ${version('tiktoken')} (npm), get_encoding(name).encode_ordinary(text)`,
  `claude: @anthropic-ai/tokenizer ${version('@anthropic-ai/tokenizer')} (npm), getTokenizer().encode(text.normalize('NFKC'), 'all')`,
  `NFKC: String.prototype.normalize of Node ${process.versions.node} (ICU ${process.versions.icu}, Unicode ${process.versions.unicode})`,
));

for (const e of Object.values(encoders)) e.free();
process.stdout.write(
  `gen-reference: ${cases.size} cases, sweep of ${swept} code points in ${index.length - 1} files; ` +
    `ids: ${TOKENIZERS.map((t) => `${t} ${totals[t]}`).join(', ')}\n`,
);
if (crossCheck) {
  if (crossCheck.bad.length) process.stdout.write(`gpt-tokenizer disagrees with tiktoken:\n  ${crossCheck.bad.join('\n  ')}\n`);
  else process.stdout.write('gpt-tokenizer agrees with tiktoken on every case\n');
}
