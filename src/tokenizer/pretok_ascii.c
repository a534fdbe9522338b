/*
 * pretok_ascii.c - the split of a window of 64 bytes of ASCII at once,
 * and of the letters of Latin-1, Cyrillic, Greek, Hebrew and Arabic (é,
 * ß, ж, λ, ש, ب: two bytes each), Hangul's syllables, Devanagari's and
 * Thai's letters (three bytes each), and the marks of Arabic, Devanagari
 * and Thai, among it, for cl100k_base's pattern, GPT-2's (claude's) and
 * o200k_base's (Thai but for o200k_base's; see pretok.h).
 *
 * The scalar scanner (pretok.c) tests the alternatives of the pattern one
 * after another at every piece, and which one matches next is as random
 * as the text: in English and code a piece cost 70 instructions and more
 * than one mispredicted branch (cachegrind).  Here the classes of 64
 * bytes are compared at once (SSE2), and where pieces start follows from
 * bit masks of them, each rule below a few operations on all 64 bytes;
 * the pieces then come out of the mask of starts one lowest bit at a
 * time.
 *
 * The rules, for ASCII, of cl100k_base's pattern (the other two are
 * described at their functions below)
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
 *    ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * in classes L (letters), N (digits), W (white space: \t \n \v \f \r
 * and space), NL (\r \n) and P (anything else).  The window starts where
 * a piece starts, and as the pattern looks at nothing before a match, the
 * text may as well begin there.  A piece starts:
 *  - at a run of P, unless a space is just before it: " ?[^\s...]+"
 *    takes the space (which starts the piece) and the whole run, and then
 *    the newlines after it ("[\r\n]*": those start nothing);
 *  - at an apostrophe that starts a piece and a contraction after it,
 *    and after the contraction, if letters go on ("'sa" is "'s" "a");
 *  - at a run of letters, unless the character before it is taken in:
 *    white space but a newline, or a P that starts a piece, ends its run
 *    (one P alone: with more, the run is one piece) and is no
 *    contraction ("[^\r\n\p{L}\p{N}]?\p{L}+");
 *  - at a run of digits, and every third digit of it ("\p{N}{1,3}");
 *  - in a run of white space (after the newlines a P piece took): at its
 *    first character; after its last newline, if white space goes on
 *    ("\s*[\r\n]+" ends there); and at its last character when that is
 *    no newline ("\s+(?!\S)" leaves it, for a word, a P run or "\s+").
 * A start is final once the runs around it are known: the window keeps
 * those before the start of its last run (which may go on past it), and
 * never looks more than 3 bytes past one, nor past the first byte over
 * 0x7F that is not part of a letter or mark it takes.  A window with fewer than
 * two starts so placed (a long word) is left to the scalar scanner.
 *
 * tests/unit/test_pretok.c checks every piece against the scalar scanner
 * on texts made to hit each rule at every place in a window.
 */
#include "pretok.h"

#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>

/* window_classes() is forced inline in each window: as a call, its
 * classes went to memory and back (English: 4% more instructions).  The
 * letters of two bytes, which only windows with a byte over 0x7F look
 * for, stay out of that path. */

/* The classes of 64 bytes, a bit per byte. */
typedef struct window {
	uint64_t letter, digit, space, newline, blank, quote, high;
	uint64_t upper, slash; /* for o200k only */
} window;

static inline uint64_t mask16(__m128i x)
{
	return (uint64_t)(uint16_t)_mm_movemask_epi8(x);
}

/* Each byte of x greater than, less than or equal to v, as signed
 * bytes: 0x80 to 0xBF are -128 to -65, so among the bytes after a
 * character's first these compare as unsigned. */
static inline __m128i gt(__m128i x, unsigned v)
{
	return _mm_cmpgt_epi8(x, _mm_set1_epi8((char)v));
}

static inline __m128i lt(__m128i x, unsigned v)
{
	return _mm_cmplt_epi8(x, _mm_set1_epi8((char)v));
}

static inline __m128i eq(__m128i x, unsigned v)
{
	return _mm_cmpeq_epi8(x, _mm_set1_epi8((char)v));
}

static inline void classify(const unsigned char *p, window *w, int o200k)
{
	int k;

	memset(w, 0, sizeof(*w));
	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
		/* Bytes over 0x7F are negative here: no class below takes
		 * them, and high marks them. */
		__m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
		                               _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
		__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
		                              _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
		__m128i blank = _mm_cmpeq_epi8(x, _mm_set1_epi8(' '));
		__m128i space = _mm_or_si128(blank,
		                             _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('\t' - 1)),
		                                           _mm_cmplt_epi8(x, _mm_set1_epi8('\r' + 1))));
		__m128i newline = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
		                               _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
		int shift = 16 * k;

		w->letter |= mask16(letter) << shift;
		w->digit |= mask16(digit) << shift;
		w->space |= mask16(space) << shift;
		w->newline |= mask16(newline) << shift;
		w->blank |= mask16(blank) << shift;
		w->quote |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8('\''))) << shift;
		w->high |= mask16(x) << shift;
		if (o200k) {
			w->upper |= mask16(_mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
			                                 _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1))))
			            << shift;
			w->slash |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8('/'))) << shift;
		}
	}
}

/* The letters of two bytes that a window takes among its bytes over
 * 0x7F, where French, German or Spanish write an accented letter every
 * few words, and Russian, Ukrainian or Serbian every letter (a window
 * that stopped at each left all of that text to the scalar scanner):
 *  - Latin-1, U+00C0 to U+00FF but the multiplication and division
 *    signs: C3 80 to C3 BF; capitals to C3 9E;
 *  - Cyrillic, U+0400 to U+047F: D0 and D1 with any second byte;
 *    capitals D0 80 to D0 AF, and from D1 A0 on (U+0460 to U+047F,
 *    capitals and small letters in turn) an even second byte.
 * Both bytes of each take the class of a letter (for o200k a capital's
 * or a small one's) and leave high; every other byte over 0x7F stays of
 * no class known here.  Each of them is a capital or a small letter,
 * none folds to an ASCII letter (U+017F, which folds to s, is C5 BF), and
 * none is a mark, a digit or white space: the rules of each pattern take
 * them as they take a-z.  Also Greek's and Hebrew's (script_letters()),
 * Arabic's, Devanagari's and Thai's with their marks (arabic_letters(),
 * e0_letters(); Thai but for o200k), and
 *  - Hangul syllables, U+AC00 to U+D7A3 (all of them letters of no case):
 *    EA B0 80 to ED 9E A3, three bytes each, every byte a letter's; a
 *    Korean text has one every three bytes, and the scalar scanner took
 *    a sixth of the time of 40 KB of it with cl100k_base.
 * The letters of no case (Hebrew's, Hangul's, Arabic's, Devanagari's,
 * Thai's) are letters like the others for cl100k_base's and GPT-2's
 * patterns, which ask only whether a character is a letter, and their
 * marks punctuation; o200k_base's asks a letter's case as well
 * (no_case, two_byte_letters()). */
typedef struct wide_letters {
	uint64_t letters;
	/* For o200k the capitals among the letters; for cl100k and GPT-2,
	 * which ask no case, the bytes of marks (no_case).  Two words, so
	 * that the struct comes back in registers (two_byte_letters()). */
	uint64_t capitals_or_marks;
} wide_letters;

/* The bytes of the Hangul syllables among p[0..64), whose three bytes
 * all lie in it: a syllable's lead byte EA (then B0 to BF), EB, EC, or ED
 * (then 80 to 9D, or 9E and 80 to A3), and two bytes of 80 to BF.  Apart
 * from two_byte_letters()'s loop (see there). */
static NOINLINE uint64_t hangul_letters(const unsigned char *p)
{
	uint64_t ea = 0, eb_ec = 0, ed = 0, tail = 0, from_b0 = 0, below_9e = 0;
	uint64_t is_9e = 0, upto_a3 = 0, lead;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		int shift = 16 * k;

		/* Signed: 0x80 to 0xBF are -128 to -65, so among second and
		 * third bytes these compare as unsigned. */
		ea |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEA))) << shift;
		eb_ec |= mask16(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEB)),
		                             _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEC))))
		         << shift;
		ed |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xED))) << shift;
		tail |= mask16(_mm_cmplt_epi8(x, _mm_set1_epi8(-64))) << shift;
		from_b0 |= mask16(_mm_cmpgt_epi8(x, _mm_set1_epi8((char)0xAF))) << shift;
		below_9e |= mask16(_mm_cmplt_epi8(x, _mm_set1_epi8((char)0x9E))) << shift;
		is_9e |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0x9E))) << shift;
		upto_a3 |= mask16(_mm_cmplt_epi8(x, _mm_set1_epi8((char)0xA4))) << shift;
	}
	/* Both bytes after a lead byte in the window (the shifts bring in
	 * none from past it) and in range. */
	lead = (ea & (tail & from_b0) >> 1 & tail >> 2) | (eb_ec & tail >> 1 & tail >> 2) |
	       (ed & (tail & below_9e) >> 1 & tail >> 2) | (ed & is_9e >> 1 & (tail & upto_a3) >> 2);
	return lead | lead << 1 | lead << 2;
}

/* What a window learns of the letters and marks of no case (Hebrew's,
 * Hangul's, Arabic's, Devanagari's, Thai's).  o200k_base's pattern takes
 * a mark as it takes a letter of no case ("[\p{Lu}...\p{M}]*" and
 * "[\p{Ll}...\p{M}]+" both hold \p{M}), so a word of them with its
 * vowels is one run; but a mark that starts a run is taken by a run of
 * punctuation before it, or is a word's first character, and the window
 * stops there.  cl100k_base's and GPT-2's take a mark as punctuation
 * ([^\s\p{L}\p{N}]), of two or three bytes. */
typedef struct no_case {
	uint64_t caseless;   /* o200k: the bytes of its letters of no case and marks */
	uint64_t stop;       /* o200k: the first bytes of marks that start a run */
	uint64_t marks;      /* the others: the bytes of marks */
} no_case;

/* The bytes of the characters of n bytes whose first bytes are lead. */
static inline uint64_t spread(uint64_t lead, int n)
{
	return n == 2 ? lead | lead << 1 : lead | lead << 1 | lead << 2;
}

/* The letters (first bytes letter_lead) and marks (mark_lead) of no case
 * of n bytes each, noted in nc; returns the bytes the window takes as
 * letters. */
static inline uint64_t take_no_case(uint64_t letter_lead, uint64_t mark_lead, int n,
                                    int o200k, no_case *nc)
{
	uint64_t letter = spread(letter_lead, n), mark = spread(mark_lead, n);

	if (o200k) {
		uint64_t all = letter | mark;

		nc->caseless |= all;
		/* A mark after no letter nor mark of its script. */
		nc->stop |= mark_lead & ~(all << 1);
		return all;
	}
	nc->marks |= mark;
	return letter;
}

/* The letters of Greek and Hebrew among p[0..64), whose two bytes both
 * lie in it, for a window with a character over 0x7F that
 * two_byte_letters() does not take:
 *  - Greek, U+0386 to U+03CE but the holes and signs among them (U+0387,
 *    U+038B, U+038D, U+03A2): CE 86, CE 88 to CE BF but 8B, 8D and A2,
 *    CF 80 to CF 8E; capitals CE 86 to CE 8F and CE 91 to CE AB;
 *  - Hebrew, U+05D0 to U+05EA (Lo): D7 90 to D7 AA.
 * Greek's are capitals or small letters, as Latin-1's; Hebrew's have no
 * case (take_no_case()).  None of them folds to an ASCII
 * letter, nor is a mark, a digit or white space; Hebrew's points stay of
 * no class known here.  Arabic's are arabic_letters()'. */
static NOINLINE wide_letters script_letters(const unsigned char *p, int o200k,
                                            no_case *nc)
{
	uint64_t ce = 0, cf = 0, d7 = 0, tail = 0, greek_ce = 0, cap_ce = 0;
	uint64_t below_8f = 0, hebrew = 0, greek, lead;
	wide_letters b;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		int shift = 16 * k;
		/* Each test below but the lead bytes' is of a second byte
		 * (gt(), lt()), and taken with tail. */
		__m128i holes = _mm_or_si128(_mm_or_si128(eq(x, 0x8B), eq(x, 0x8D)), eq(x, 0xA2));

		ce |= mask16(eq(x, 0xCE)) << shift;
		cf |= mask16(eq(x, 0xCF)) << shift;
		d7 |= mask16(eq(x, 0xD7)) << shift;
		tail |= mask16(lt(x, 0xC0)) << shift;
		greek_ce |= mask16(_mm_or_si128(_mm_andnot_si128(holes, gt(x, 0x87)), eq(x, 0x86))) << shift;
		cap_ce |= mask16(_mm_or_si128(lt(x, 0x90), _mm_and_si128(gt(x, 0x90), lt(x, 0xAC)))) << shift;
		below_8f |= mask16(lt(x, 0x8F)) << shift;
		hebrew |= mask16(_mm_and_si128(gt(x, 0x8F), lt(x, 0xAB))) << shift;
	}
	/* The lead bytes whose second byte is in the window and taken. */
	greek = (ce & (tail & greek_ce) >> 1) | (cf & (tail & below_8f) >> 1);
	lead = d7 & (tail & hebrew) >> 1;
	b.capitals_or_marks = 0;
	if (o200k) {
		uint64_t cap = ce & (tail & greek_ce & cap_ce) >> 1;

		b.capitals_or_marks = cap | cap << 1;
	}
	b.letters = greek | greek << 1 | take_no_case(lead, 0, 2, o200k, nc);
	return b;
}

/* Arabic's letters among p[0..64), whose two bytes both lie in it: U+0620
 * to U+064A, U+066E, U+066F, U+0671 to U+06D3 and U+06D5 (D8 A0 to D8 BF,
 * D9 80 to D9 8A, D9 AE, D9 AF, D9 B1 to D9 BF, DA 80 to DA BF, DB 80 to
 * DB 93, DB 95), of no case (Lo, and the tatweel U+0640 Lm); its vowel
 * marks U+064B to U+065F and U+0670 (D9 8B to D9 9F, D9 B0).  Without
 * the marks the windows stopped at them, one every hundred bytes or so
 * of a text, so often that 40 KB of it took 1.02x the time. */
static NOINLINE uint64_t arabic_letters(const unsigned char *p, int o200k, no_case *nc)
{
	uint64_t d8 = 0, d9 = 0, da = 0, db = 0, tail = 0, from_a0 = 0, d9_letter = 0;
	uint64_t d9_mark = 0, db_letter = 0, letter, mark;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		int shift = 16 * k;
		d8 |= mask16(eq(x, 0xD8)) << shift;
		d9 |= mask16(eq(x, 0xD9)) << shift;
		da |= mask16(eq(x, 0xDA)) << shift;
		db |= mask16(eq(x, 0xDB)) << shift;
		tail |= mask16(lt(x, 0xC0)) << shift;
		from_a0 |= mask16(gt(x, 0x9F)) << shift;
		d9_letter |= mask16(_mm_or_si128(_mm_or_si128(lt(x, 0x8B), gt(x, 0xB0)),
		                                 _mm_and_si128(gt(x, 0xAD), lt(x, 0xB0))))
		             << shift;
		d9_mark |= mask16(_mm_or_si128(_mm_and_si128(gt(x, 0x8A), lt(x, 0xA0)), eq(x, 0xB0))) << shift;
		db_letter |= mask16(_mm_or_si128(lt(x, 0x94), eq(x, 0x95))) << shift;
	}
	/* The lead bytes whose second byte is in the window and taken. */
	letter = (d8 & (tail & from_a0) >> 1) | (d9 & (tail & d9_letter) >> 1) |
	         (da & tail >> 1) | (db & (tail & db_letter) >> 1);
	mark = d9 & (tail & d9_mark) >> 1;
	return take_no_case(letter, mark, 2, o200k, nc);
}

/* Up to three ranges of bytes from 0x80 to 0xBF, lo[i] to hi[i]; an
 * unused one has lo 0. */
typedef struct byte_ranges {
	unsigned char lo[3], hi[3];
} byte_ranges;

/* A script of three-byte characters E0 second[0] xx and E0 second[1] xx:
 * which third bytes after each are letters, and which are marks. */
typedef struct e0_script {
	unsigned char second[2];
	byte_ranges letter[2], mark[2];
} e0_script;

/* The bytes of x (the third bytes of characters, 0x80 to 0xBF, which
 * compare among themselves as unsigned when signed) in ranges r. */
static inline ALWAYS_INLINE __m128i in_ranges(__m128i x, const byte_ranges *r)
{
	__m128i m = _mm_setzero_si128();
	int i;

	for (i = 0; i < 3; i++) {
		__m128i in;

		if (r->lo[i] == 0)
			continue;
		in = lt(x, r->hi[i] + 1u);
		if (r->lo[i] > 0x80)
			in = _mm_and_si128(in, gt(x, r->lo[i] - 1u));
		m = _mm_or_si128(m, in);
	}
	return m;
}

/* The letters and marks of script sc among p[0..64), whose three bytes
 * all lie in it (take_no_case()); sc a constant where this is inlined. */
static inline ALWAYS_INLINE uint64_t e0_letters(const unsigned char *p, int o200k, no_case *nc,
                                                const e0_script *sc)
{
	uint64_t e0 = 0, s0 = 0, s1 = 0, tail = 0, l0 = 0, l1 = 0, m0 = 0, m1 = 0;
	uint64_t letter, mark;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		int shift = 16 * k;

		e0 |= mask16(eq(x, 0xE0)) << shift;
		s0 |= mask16(eq(x, sc->second[0])) << shift;
		s1 |= mask16(eq(x, sc->second[1])) << shift;
		tail |= mask16(lt(x, 0xC0)) << shift;
		l0 |= mask16(in_ranges(x, &sc->letter[0])) << shift;
		l1 |= mask16(in_ranges(x, &sc->letter[1])) << shift;
		m0 |= mask16(in_ranges(x, &sc->mark[0])) << shift;
		m1 |= mask16(in_ranges(x, &sc->mark[1])) << shift;
	}
	/* The lead bytes whose two bytes after it are in the window and
	 * taken (third bytes past it shift in as 0: not taken). */
	l0 &= tail;
	l1 &= tail;
	m0 &= tail;
	m1 &= tail;
	letter = e0 & ((s0 >> 1 & l0 >> 2) | (s1 >> 1 & l1 >> 2));
	mark = e0 & ((s0 >> 1 & m0 >> 2) | (s1 >> 1 & m1 >> 2));
	return take_no_case(letter, mark, 3, o200k, nc);
}

/* Devanagari: letters U+0904 to U+0939, U+093D, U+0950, U+0958 to U+0961
 * and U+0971 to U+097F; marks U+0900 to U+0903, U+093A to U+093C, U+093E
 * to U+094F, U+0951 to U+0957, U+0962, U+0963.  Its digits and dandas
 * stay of no class known here.  Hindi writes a mark after most letters,
 * and a word of it is 12 bytes or so: a window holds five. */
static const e0_script devanagari = {
	{ 0xA4, 0xA5 },
	{ { { 0x84, 0xBD, 0 }, { 0xB9, 0xBD, 0 } },
	  { { 0x90, 0x98, 0xB1 }, { 0x90, 0xA1, 0xBF } } },
	{ { { 0x80, 0xBA, 0xBE }, { 0x83, 0xBC, 0xBF } },
	  { { 0x80, 0x91, 0xA2 }, { 0x8F, 0x97, 0xA3 } } },
};

/* Thai: letters U+0E01 to U+0E30, U+0E32, U+0E33 and U+0E40 to U+0E46;
 * marks U+0E31, U+0E34 to U+0E3A and U+0E47 to U+0E4E.  For cl100k_base
 * and GPT-2 only: o200k_base's pattern takes a phrase of Thai as one run
 * (27 bytes at the median), which leaves a window one piece or none (it
 * took 1.02x the time), where theirs cut it at the marks. */
static const e0_script thai = {
	{ 0xB8, 0xB9 },
	{ { { 0x81, 0xB2, 0 }, { 0xB0, 0xB3, 0 } },
	  { { 0x80, 0, 0 }, { 0x86, 0, 0 } } },
	{ { { 0xB1, 0xB4, 0 }, { 0xB1, 0xBA, 0 } },
	  { { 0x87, 0, 0 }, { 0x8E, 0, 0 } } },
};

static NOINLINE uint64_t devanagari_letters(const unsigned char *p, int o200k, no_case *nc)
{
	return e0_letters(p, o200k, nc, &devanagari);
}

static NOINLINE uint64_t thai_letters(const unsigned char *p, no_case *nc)
{
	return e0_letters(p, 0, nc, &thai);
}

/* Returned in registers, not written into the window: a window whose
 * address a call takes is kept in memory in every window (claude on
 * English: 2% more instructions).  For o200k_base's pattern a letter of
 * no case (Hebrew's, Hangul's, Arabic's, Devanagari's and their marks)
 * is both a capital and a small one: a run of them alone is one word,
 * as a run of small letters is, but one before a capital or a small
 * letter is not cut as the window's rule would cut it ("[A-Z]*[a-z]+"
 * takes a letter of no case in either part).  So for o200k the letters
 * stop at the first character of no case next to a letter of case
 * (ascii_letters, Latin-1's, Cyrillic's, Greek's), which the scalar
 * scanner then reads (one after a letter of case would be cut as the
 * pattern cuts it, but the test is simpler both ways and such words are
 * rare). */
static NOINLINE wide_letters two_byte_letters(const unsigned char *p, int o200k,
                                              uint64_t ascii_letters, uint64_t high)
{
	uint64_t latin = 0, cyr_d0 = 0, cyr_d1 = 0, tail = 0, tail_latin = 0;
	uint64_t below_9f = 0, below_b0 = 0, even = 0, pair;
	uint64_t other;
	no_case nc; /* in memory: made only for a window that needs it */
	int noted = 0;
	wide_letters b;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		/* 0x80 to 0xBF are -128 to -65 as signed bytes. */
		__m128i cont = _mm_cmplt_epi8(x, _mm_set1_epi8(-64));
		__m128i sign = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0x97)),
		                            _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xB7)));
		int shift = 16 * k;

		latin |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC3))) << shift;
		cyr_d0 |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xD0))) << shift;
		cyr_d1 |= mask16(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xD1))) << shift;
		tail |= mask16(cont) << shift;
		tail_latin |= mask16(_mm_andnot_si128(sign, cont)) << shift;
		if (o200k) {
			__m128i odd = _mm_and_si128(x, _mm_set1_epi8(1));

			below_9f |= mask16(_mm_cmplt_epi8(x, _mm_set1_epi8((char)0x9F))) << shift;
			below_b0 |= mask16(_mm_cmplt_epi8(x, _mm_set1_epi8((char)0xB0))) << shift;
			even |= mask16(_mm_cmpeq_epi8(odd, _mm_setzero_si128())) << shift;
		}
	}
	/* A lead byte whose second byte is past the window stays high. */
	pair = (latin & tail_latin >> 1) | ((cyr_d0 | cyr_d1) & tail >> 1);
	b.letters = pair | pair << 1;
	/* 0x80 to 0xBF below 0x9F or 0xB0; from 0xA0: not below 0x9F and even. */
	pair = (latin & (tail_latin & below_9f) >> 1) | (cyr_d0 & (tail & below_b0) >> 1) |
	       (cyr_d1 & (tail & ~below_9f & even) >> 1);
	b.capitals_or_marks = o200k ? pair | pair << 1 : 0;
	/* The lead bytes of other characters: the first of Greek's or
	 * Hebrew's, Hangul's, Arabic's, Devanagari's or (but for o200k)
	 * Thai's has the window look for the letters of its kind (a window holds one script's as a rule; where it holds
	 * two, it stops at the other's).  In Russian or French a window has
	 * one now and then (« », a dash), which is no reason to run either;
	 * Hangul's masks in the loop above, which every Cyrillic window
	 * runs, had made 40 KB of Russian take 1.04x the time. */
	other = high & ~tail & ~(latin | cyr_d0 | cyr_d1);
	for (; other && !noted; other &= other - 1) {
		unsigned j = (unsigned)__builtin_ctzll(other), c = p[j];
		unsigned after = j < 63 ? p[j + 1] & 0xFEu : 0;

		nc.caseless = nc.stop = nc.marks = 0;
		noted = 1;
		if ((c & 0xFE) == 0xCE || c == 0xD7) {
			wide_letters more = script_letters(p, o200k, &nc);

			b.letters |= more.letters;
			b.capitals_or_marks |= more.capitals_or_marks;
		} else if (c - 0xEAu < 4u) {
			uint64_t hangul = hangul_letters(p);

			b.letters |= hangul;
			if (o200k)
				nc.caseless |= hangul;
		} else if ((c & 0xFC) == 0xD8) {
			b.letters |= arabic_letters(p, o200k, &nc);
		} else if (c == 0xE0 && after == 0xA4) {
			b.letters |= devanagari_letters(p, o200k, &nc);
		} else if (!o200k && c == 0xE0 && after == 0xB8) {
			b.letters |= thai_letters(p, &nc);
		} else {
			noted = 0;
		}
	}
	if (!noted)
		return b;
	if (!o200k)
		b.capitals_or_marks = nc.marks;
	if (o200k && nc.caseless) {
		uint64_t caseless = nc.caseless;
		uint64_t cased = (ascii_letters | b.letters) & ~caseless;
		uint64_t mixed = (caseless & (cased << 1 | cased >> 1)) | nc.stop;

		if (mixed) {
			/* From the first byte of the character of that byte on. */
			unsigned at = (unsigned)__builtin_ctzll(mixed);

			while ((p[at] & 0xC0) == 0x80)
				at--;
			b.letters &= ~(caseless & ~((1ull << at) - 1));
		}
	}
	return b;
}

/* The bits of x smeared up (to higher bits) through the runs of m:
 * every bit of m reached from a bit of x going up inside m.  (A carry
 * does it when each run holds one bit of x at its bottom; this takes any
 * number anywhere.) */
static inline uint64_t smear_up(uint64_t x, uint64_t m)
{
	x &= m;
	x |= (x << 1) & m;
	m &= m << 1;
	x |= (x << 2) & m;
	m &= m << 2;
	x |= (x << 4) & m;
	m &= m << 4;
	x |= (x << 8) & m;
	m &= m << 8;
	x |= (x << 16) & m;
	m &= m << 16;
	x |= (x << 32) & m;
	return x;
}

/* The bits of x smeared down (to lower bits) through the runs of m:
 * every bit of m from which a bit of x is reached going up inside m. */
static inline uint64_t smear_down(uint64_t x, uint64_t m)
{
	x &= m;
	x |= (x >> 1) & m;
	m &= m >> 1;
	x |= (x >> 2) & m;
	m &= m >> 2;
	x |= (x >> 4) & m;
	m &= m >> 4;
	x |= (x >> 8) & m;
	m &= m >> 8;
	x |= (x >> 16) & m;
	m &= m >> 16;
	x |= (x >> 32) & m;
	return x;
}

/* The apostrophes among `at` (bits below 61) that begin a contraction
 * of one letter (*one) or two (*two): 's 't 'm 'd, 're 've 'll, in
 * either case when fold. */
static void contractions(const unsigned char *p, uint64_t at, int fold,
                         uint64_t *one, uint64_t *two)
{
	unsigned fold_bit = fold ? 0x20u : 0;

	*one = *two = 0;
	while (at) {
		unsigned j = (unsigned)__builtin_ctzll(at);
		unsigned a = p[j + 1] | fold_bit, b = p[j + 2] | fold_bit;

		at &= at - 1;
		if (a == 's' || a == 't' || a == 'm' || a == 'd')
			*one |= 1ull << j;
		else if (((a == 'r' || a == 'v') && b == 'e') || (a == 'l' && b == 'l'))
			*two |= 1ull << j;
	}
}

/* The bytes of p[0..64) from 0x80 to 0xBF: no character's first. */
static NOINLINE uint64_t tails(const unsigned char *p)
{
	uint64_t t = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));

		t |= mask16(_mm_cmplt_epi8(x, _mm_set1_epi8(-64))) << 16 * k;
	}
	return t;
}

/* The classes of a window, with P (anything else) and the bits known. */
typedef struct classes {
	uint64_t L, N, W, NL, P, blank, quote, upper, slash;
	uint64_t marks; /* P's bytes that are marks' (no_case), for cl100k and GPT-2 */
	uint64_t final; /* the bits below the window's last run */
} classes;

/* The first bytes among x (p's first 16, even x without its lowest bit)
 * of the characters the functions of two_byte_letters() take but
 * Latin-1's and Cyrillic's: CE, CF, D7, D8 to DB, EA to ED, and E0 before
 * A4 or A5 (Devanagari), or but for o200k B8 or B9 (Thai), the byte
 * after each of the 16 read from p (a window has 64). */
static inline __m128i more_known(const unsigned char *p, __m128i x, __m128i even, int o200k)
{
	__m128i after = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)),
	                              _mm_set1_epi8((char)0xFE));
	__m128i after_e0 = eq(after, 0xA4);
	__m128i known = _mm_or_si128(_mm_or_si128(eq(even, 0xCE), eq(x, 0xD7)),
	                             _mm_or_si128(_mm_or_si128(eq(even, 0xEA), eq(even, 0xEC)),
	                                          eq(_mm_and_si128(x, _mm_set1_epi8((char)0xFC)), 0xD8)));

	if (!o200k)
		after_e0 = _mm_or_si128(after_e0, eq(after, 0xB8));
	return _mm_or_si128(known, _mm_and_si128(eq(x, 0xE0), after_e0));
}

/* Classifies the 64 bytes at s + i and finds up to where starts are
 * final.  Returns 0 when the window cannot tell any, with *next as
 * pretok.h says. */
static inline ALWAYS_INLINE int window_classes(const unsigned char *s, size_t len,
                                              size_t i, size_t room, size_t *next,
                                              classes *c, int o200k)
{
	const unsigned char *p = s + i;
	window w;
	uint64_t keep, runs, first16;
	unsigned valid, lim;

	*next = i;
	if (len - i < 64 || room == 0)
		return 0;

	/* A character over 0x7F in the first 16 bytes, but a letter or mark
	 * that two_byte_letters() and the functions it calls take, would
	 * leave a window too few pieces to pay: found by one load, before the
	 * 64 are classified, from its first byte (0xC0 or more, -64 to -1 as
	 * a signed byte, but C3, CE, CF, D0, D1, D7, D8 to DB, EA to ED, and
	 * E0 before A4 or A5, or but for o200k B8 or B9).  A window starts at
	 * a character's first byte, so the first byte of every character in
	 * the first 16 is there.  English has none: one test of them all.  The
	 * signs × and ÷ (C3 97, C3 B7) and the others these lead bytes begin
	 * pass this test but are no letters: the window stops at them (valid,
	 * below), and at 0 when it starts at one. */
	{
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

		first16 = mask16(x);
		if (first16) {
			__m128i lead = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(-65)),
			                             _mm_cmplt_epi8(x, _mm_setzero_si128()));
			__m128i even = _mm_and_si128(x, _mm_set1_epi8((char)0xFE));
			/* Latin-1's and Cyrillic's first, the others only where
			 * a lead byte is left: Russian's windows test no more. */
			__m128i known = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC3)),
			                             _mm_cmpeq_epi8(even, _mm_set1_epi8((char)0xD0)));

			first16 = mask16(_mm_andnot_si128(known, lead));
			if (first16)
				first16 = mask16(_mm_andnot_si128(more_known(p, x, even, o200k), lead)) &
				          first16;
		}
	}
	if (first16) {
		*next = i + (unsigned)__builtin_ctzll(first16);
		return 0;
	}
	classify(p, &w, o200k);
	c->marks = 0;
	if (w.high) {
		wide_letters b = two_byte_letters(p, o200k, w.letter, w.high);

		w.letter |= b.letters;
		if (o200k) {
			w.upper |= b.capitals_or_marks;
		} else {
			/* Marks are P, below: of no class of those. */
			c->marks = b.capitals_or_marks;
		}
		w.high &= ~(b.letters | c->marks);
	}
	/* Bytes from the first over 0x7F on are of no class known here. */
	valid = w.high ? (unsigned)__builtin_ctzll(w.high) : 64;
	keep = valid == 64 ? ~0ull : (1ull << valid) - 1;
	c->L = w.letter;
	c->N = w.digit;
	c->W = w.space;
	c->NL = w.newline;
	c->blank = w.blank;
	c->quote = w.quote;
	c->upper = w.upper;
	c->slash = w.slash;
	c->P = ~(c->L | c->N | c->W) & keep;
	runs = (c->L & ~(c->L << 1)) | (c->N & ~(c->N << 1)) | (c->W & ~(c->W << 1)) |
	       (c->P & ~(c->P << 1));
	/* The last run that starts before byte 61 (or the first not known)
	 * may go on past what is known: only starts before it are final.
	 * Before 61, as a contraction is read 3 bytes on. */
	runs &= (1ull << (valid < 61 ? valid : 61)) - 1;
	if (runs <= 1) {
		/* One run to there (a long word), or none: a window may start
		 * at a sign two_byte_letters() leaves unknown (×, ÷), valid 0. */
		*next = i + valid;
		return 0;
	}
	lim = 63 - (unsigned)__builtin_clzll(runs);
	c->final = (1ull << lim) - 1;
	return 1;
}

/* The pieces between the starts of the window at s + i (bit 0 is i).
 * Returns how many, up to room; *next: where the last one ends. */
static size_t emit(uint64_t starts_mask, size_t i, size_t *starts, size_t *ends,
                   size_t room, size_t *next)
{
	unsigned at = 0, j;
	size_t n = 0;

	starts_mask &= starts_mask - 1;
	while (starts_mask && n < room) {
		j = (unsigned)__builtin_ctzll(starts_mask);
		starts[n] = i + at;
		ends[n] = i + j;
		n++;
		at = j;
		starts_mask &= starts_mask - 1;
	}
	*next = i + at;
	return n;
}

/* The starts of P runs, but after a space (" ?" takes the run in), and
 * the contractions those that are apostrophes begin (*one, *two as
 * contractions() sets them), for cl100k and GPT-2. */
static inline uint64_t p_runs(const unsigned char *p, const classes *c, int fold,
                              uint64_t *one, uint64_t *two)
{
	uint64_t p_start = c->P & ~(c->P << 1) & ~(c->blank << 1);
	uint64_t quotes = c->quote & p_start & c->final;

	*one = *two = 0;
	if (quotes)
		contractions(p, quotes, fold, one, two);
	return p_start;
}

/* The starts of cl100k's and o200k's digits (by three) and white space
 * (at its first character but the newlines a P run took, its last but a
 * newline, and after its last newline when it goes on). */
static inline uint64_t digits_and_space(const classes *c, uint64_t absorbed)
{
	uint64_t N = c->N, W = c->W, NL = c->NL;
	uint64_t nnn = N & (N << 1) & (N << 2), x = N & ~(N << 1), starts = x;
	uint64_t wn = W & ~absorbed, after_nl_later = smear_down((NL >> 1) & W, W);

	while ((x = (x << 3) & nnn) != 0)
		starts |= x;
	return starts | (wn & ~(wn << 1)) | (W & ~NL & ~(W >> 1)) |
	       (W & ~NL & (NL << 1) & ~after_nl_later);
}

size_t Pa_pretok_cl100k_window(const unsigned char *s, size_t len, size_t i,
                               size_t *starts, size_t *ends, size_t room,
                               size_t *next)
{
	classes c;
	uint64_t L, W, NL, P, one, two, p_start, letter_start, absorbed, taken;

	if (!window_classes(s, len, i, room, next, &c, 0))
		return 0;
	L = c.L;
	W = c.W;
	NL = c.NL;
	P = c.P;
	p_start = p_runs(s + i, &c, 1, &one, &two);
	/* Letters, but those a character before takes in. */
	taken = p_start & ~one & ~two;
	if (c.marks) {
		/* Marks of two or three bytes among P: the run before the
		 * letters must be of one character (its first byte the run's
		 * start, no other first byte in it), and is taken at its last
		 * byte. */
		uint64_t later = P & ~(c.marks & tails(s + i)) & ~(P & ~(P << 1));

		taken = smear_up(taken, P) & ~smear_up(later, P);
	}
	taken = ((W & ~NL) | taken) & (L >> 1);
	letter_start = L & ~(L << 1) & ~((taken | one | two) << 1);
	letter_start |= ((one << 2) | (two << 3)) & L;
	/* The newlines just after a P run are that piece's (a carry runs
	 * through each such run of newlines, clearing it). */
	absorbed = NL & ~(NL + (NL & (P << 1)));
	return emit((1 | p_start | letter_start | digits_and_space(&c, absorbed)) & c.final,
	            i, starts, ends, room, next);
}

/*
 * GPT-2's pattern, which claude's tokenizer uses:
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * A piece starts at each run of letters, digits or P, unless a space is
 * just before it (" ?" takes it in; no other character); at an apostrophe
 * that starts a piece and a contraction after it (in small letters only),
 * and after the contraction if letters go on; at each run of white
 * space, and at its last character when the run is longer than one
 * ("\s+(?!\S)" leaves it; digits are not cut in threes, and no newline
 * goes with a P run).
 */
size_t Pa_pretok_gpt2_window(const unsigned char *s, size_t len, size_t i,
                             size_t *starts, size_t *ends, size_t room,
                             size_t *next)
{
	classes c;
	uint64_t L, N, W, after_blank, one, two, p_start, letter_start;

	if (!window_classes(s, len, i, room, next, &c, 0))
		return 0;
	L = c.L;
	N = c.N;
	W = c.W;
	after_blank = c.blank << 1;
	p_start = p_runs(s + i, &c, 0, &one, &two);
	letter_start = L & ~(L << 1) & ~after_blank & ~((one | two) << 1);
	letter_start |= ((one << 2) | (two << 3)) & L;

	return emit((1 | p_start | letter_start | (N & ~(N << 1) & ~after_blank) |
	             (W & ~(W << 1)) | (W & ~(W >> 1))) &
	                    c.final,
	            i, starts, ends, room, next);
}

/*
 * o200k_base's pattern, for ASCII:
 *   [^\r\n\p{L}\p{N}]?[A-Z]*[a-z]+C?|[^\r\n\p{L}\p{N}]?[A-Z]+[a-z]*C?|
 *   \p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * (C: (?i:'s|'t|'re|'ve|'m|'ll|'d)).  As cl100k's, but: a run of letters
 * is cut before each capital that follows a small letter; the word at
 * the end of a run takes a contraction after it (which then starts
 * nothing, and ends the piece: "it'sa" is "it's" "a"), once, so that in
 * "it's's" the second apostrophe starts a piece; and a P run takes the
 * newlines and slashes after it, through a slash after a newline, so
 * that a P after those starts a piece though a P is before it.
 */
size_t Pa_pretok_o200k_window(const unsigned char *s, size_t len, size_t i,
                              size_t *starts, size_t *ends, size_t room,
                              size_t *next)
{
	classes c;
	uint64_t L, W, NL, P, nl_or_slash, absorbed, suffix = 0, in_suffix = 0;
	uint64_t p_start, letter_start, x, taken, one, two;
	unsigned taken_to = 0;

	if (!window_classes(s, len, i, room, next, &c, 1))
		return 0;
	L = c.L;
	W = c.W;
	NL = c.NL;
	P = c.P;
	/* The contractions words take: an apostrophe after a letter that no
	 * contraction before took (left to right: they are few). */
	one = two = 0;
	x = c.quote & (L << 1) & c.final;
	if (x) /* a call at every window otherwise */
		contractions(s + i, x, 1, &one, &two);
	x = one | two;
	while (x) {
		unsigned j = (unsigned)__builtin_ctzll(x), n = one >> j & 1 ? 1 : 2;

		x &= x - 1;
		if (j == taken_to)
			continue; /* its letter is a contraction's (j > 0) */
		suffix |= 1ull << j;
		/* The apostrophe and its letters start nothing; a letter
		 * after them does. */
		in_suffix |= ((2ull << n) - 1) << j;
		taken_to = j + n + 1;
	}
	/* The newlines and slashes a P run takes, from a newline just after
	 * it (a slash just after it is in the run).  A newline after a slash
	 * so taken is after a P too: a carry from each would stop short. */
	nl_or_slash = NL | c.slash;
	absorbed = smear_up(NL & (P << 1), nl_or_slash);
	p_start = ((P & ~(P << 1)) | (P & (absorbed << 1))) & ~absorbed &
	          ~(c.blank << 1) & ~suffix;
	/* Letters: a run, but where a character before takes it in; a
	 * capital after a small letter; after a contraction. */
	taken = ((W & ~NL) | p_start) & (L >> 1);
	letter_start = (L & ~(L << 1) & ~(taken << 1)) | (c.upper & ((L & ~c.upper) << 1));
	letter_start = (letter_start & ~in_suffix) | (L & (in_suffix << 1) & ~in_suffix);
	return emit((1 | p_start | letter_start | digits_and_space(&c, absorbed)) & c.final,
	            i, starts, ends, room, next);
}

#else

size_t Pa_pretok_cl100k_window(const unsigned char *s, size_t len, size_t i,
                               size_t *starts, size_t *ends, size_t room,
                               size_t *next)
{
	(void)s;
	(void)len;
	(void)starts;
	(void)ends;
	(void)room;
	*next = i;
	return 0;
}

size_t Pa_pretok_gpt2_window(const unsigned char *s, size_t len, size_t i,
                             size_t *starts, size_t *ends, size_t room,
                             size_t *next)
{
	return Pa_pretok_cl100k_window(s, len, i, starts, ends, room, next);
}

size_t Pa_pretok_o200k_window(const unsigned char *s, size_t len, size_t i,
                              size_t *starts, size_t *ends, size_t room,
                              size_t *next)
{
	return Pa_pretok_cl100k_window(s, len, i, starts, ends, room, next);
}

#endif
