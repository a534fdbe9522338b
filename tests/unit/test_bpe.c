/* test_bpe.c - the heap, bucket and backtracking merges and the
 * dispatcher with and without tables make exactly the choices of
 * tiktoken's scan, on random pieces of every length up to past the
 * switch-overs, for every bundled vocabulary; the rank table finds every
 * token. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "unit.h"
#include "backtrack.h"
#include "bpe.h"
#include "bpetables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_heap_equals_scan(void)
{
	Pa_ranktable t;
	Pa_backtrack_tables bt;
	pa_error err;
	Pa_bpe_scratch s;
	unsigned char piece[300];
	uint32_t a[300], b[300];
	uint32_t seed = 7;
	/* Few distinct bytes make long merge chains and many rank ties. */
	static const char alphabet[] = "aabbe ts\xc3\xa9";
	int trial, mismatches = 0;

	memset(&s, 0, sizeof(s));
	if (Pa_ranktable_map("tokenizers/o200k_base.patab", &t, &err) != PA_OK) {
		fprintf(stderr, "cannot map table: %s\n", err.message);
		CHECK(0);
		return;
	}
	Pa_bpetables_view(&t, &bt);
	for (trial = 0; trial < 4000; trial++) {
		size_t n = 1 + (size_t)trial % 260, i, na, nb, join;

		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			piece[i] = (unsigned char)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		/* tiktoken's scan is the reference. */
		na = Pa_bpe_merge_scan(&t, piece, n, &s, a, &join);
		nb = Pa_bpe_merge_heap(&t, piece, n, &s, b);
		if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
			mismatches++;
		nb = Pa_bpe_merge_buckets(&t, piece, n, &s, b);
		if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
			mismatches++;
		/* The dispatcher with the tables (the backtracking merge at
		 * every length) and without (the scan, then the heap). */
		nb = Pa_bpe_merge(&t, &bt, piece, n, &s, b);
		if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
			mismatches++;
		nb = Pa_bpe_merge(&t, NULL, piece, n, &s, b);
		if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
			mismatches++;
		/* Counting alone gives the same number. */
		if (Pa_bpe_merge(&t, &bt, piece, n, &s, NULL) != na ||
		    Pa_bpe_merge(&t, NULL, piece, n, &s, NULL) != na)
			mismatches++;
	}
	CHECK_EQ_INT(mismatches, 0);

	/* Long pieces, where the bucket queue takes over in Pa_bpe_merge. */
	{
		size_t n = 50000, i, na, nb;
		unsigned char *big = malloc(n);
		uint32_t *x = malloc(n * sizeof(uint32_t)), *y = malloc(n * sizeof(uint32_t));
		for (trial = 0; trial < 3; trial++) {
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				big[i] = trial == 0 ? 'a' : trial == 1
				         ? (unsigned char)('a' + (seed >> 16) % 26)
				         : (unsigned char)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			na = Pa_bpe_merge_heap(&t, big, n, &s, x);
			nb = Pa_bpe_merge_buckets(&t, big, n, &s, y);
			CHECK(na == nb && memcmp(x, y, na * sizeof(uint32_t)) == 0);
		}
		free(big);
		free(x);
		free(y);
	}
	Pa_bpe_scratch_release(&s);
	Pa_ranktable_release(&t);
}

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* A random piece of n bytes in one of several styles: few letters (long
 * merge chains, many ties), the alphabet, mixed case, whitespace, digits,
 * punctuation, CJK, Cyrillic, any byte, or whole tokens glued together
 * (pairs that sit right at the merge boundaries). */
static void random_piece(const Pa_ranktable *t, unsigned char *p, size_t n,
                         uint32_t *seed)
{
	static const char *const styles[] = {
		"ab", "abc", "aabbe ts\xc3\xa9", "abcdefghijklmnopqrstuvwxyz",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", " \n\t",
		"0123456789", "!@#$%^&*()-=_+[]{};:'\",.<>/?",
		"\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", "\xd0\xbf\xd1\x80\xd0\xb8",
	};
	size_t n_styles = sizeof(styles) / sizeof(styles[0]), i = 0;
	uint32_t style = next_random(seed) % (uint32_t)(n_styles + 2);

	while (i < n) {
		if (style < n_styles) {
			const char *a = styles[style];
			p[i++] = (unsigned char)a[next_random(seed) % strlen(a)];
		} else if (style == n_styles) {
			p[i++] = (unsigned char)next_random(seed);
		} else {
			uint32_t id = next_random(seed) % t->n_ids, j;
			uint32_t at = t->offsets[id], len = t->offsets[id + 1] - at;
			for (j = 0; j < len && i < n; j++)
				p[i++] = t->bytes[at + j];
		}
	}
}

/* The bundled vocabularies, each with its backtracking tables. */
static const char *const bundled[] = {
	"tokenizers/cl100k_base.patab", "tokenizers/o200k_base.patab",
	"tokenizers/claude.patab",
};
#define N_BUNDLED (sizeof(bundled) / sizeof(bundled[0]))

/* Maps bundled table k and views its backtracking tables; 0 (and a
 * failed check) when it cannot be mapped. */
static int map_bundled(size_t k, Pa_ranktable *t, Pa_backtrack_tables *bt)
{
	pa_error err;

	if (Pa_ranktable_map(bundled[k], t, &err) != PA_OK) {
		fprintf(stderr, "cannot map table: %s\n", err.message);
		CHECK(0);
		return 0;
	}
	Pa_bpetables_view(t, bt);
	return 1;
}

/* How many of the backtracking merge's answers for piece p[0..n) differ
 * from the heap merge's: its ids, and its count without ids (0 to 2). */
static int backtrack_differs(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                             const unsigned char *p, size_t n, Pa_bpe_scratch *s,
                             uint32_t *a, uint32_t *b)
{
	size_t na = Pa_bpe_merge_heap(t, p, n, s, a);
	size_t nb = Pa_bpe_merge_backtrack(t, bt, p, n, s, b);
	int wrong = 0;

	if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
		wrong++;
	if (Pa_bpe_merge_backtrack(t, bt, p, n, s, NULL) != na)
		wrong++;
	return wrong;
}

static void test_backtrack_equals_heap(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		Pa_bpe_scratch s;
		unsigned char piece[6000];
		static uint32_t a[6000], b[6000];
		uint32_t seed = 99;
		int trial, mismatches = 0;

		memset(&s, 0, sizeof(s));
		if (!map_bundled(k, &t, &bt))
			continue;
		/* The bundled vocabularies all have the tables. */
		CHECK(bt.n_states > 0);
		for (trial = 0; trial < 20000; trial++) {
			/* Mostly short pieces, where boundary cases are dense,
			 * and some long ones. */
			size_t n = trial % 100 == 0 ? 1 + next_random(&seed) % 6000
			                            : 1 + next_random(&seed) % 60;

			random_piece(&t, piece, n, &seed);
			mismatches += backtrack_differs(&t, &bt, piece, n, &s, a, b);
		}
		CHECK_EQ_INT(mismatches, 0);
		Pa_bpe_scratch_release(&s);
		Pa_ranktable_release(&t);
	}
}

/* A piece that repeats a short unit (a megabyte of spaces, an emoji over
 * and over) is merged in blocks (backtrack.c); it has the tokens the heap
 * gives it, with ids and without: units of 1 to 10 bytes (up to 8 take
 * the blocks, longer ones the usual merge) of random bytes, of a
 * style's characters or of a token's bytes, of every length about the
 * block's multiples, and units whose last unit is cut short. */
static void test_backtrack_periodic(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		Pa_bpe_scratch s;
		static unsigned char piece[5000];
		static uint32_t a[5000], b[5000];
		unsigned char unit[16];
		uint32_t seed = 515 + (uint32_t)k;
		int trial, mismatches = 0;

		memset(&s, 0, sizeof(s));
		if (!map_bundled(k, &t, &bt))
			continue;
		for (trial = 0; trial < 600; trial++) {
			size_t period = 1 + (size_t)trial % 10, i;
			/* Lengths about the multiples of 256 and at random. */
			size_t n = trial % 3 ? 1024 + next_random(&seed) % 3900
			                     : 256 * (4 + next_random(&seed) % 14) - 2 +
			                       next_random(&seed) % 5;

			random_piece(&t, unit, period, &seed);
			if (trial % 7 == 0)
				memset(unit, trial % 14 ? ' ' : 0, period);
			for (i = 0; i < n; i++)
				piece[i] = unit[i % period];
			mismatches += backtrack_differs(&t, &bt, piece, n, &s, a, b);
		}
		CHECK_EQ_INT(mismatches, 0);
		Pa_bpe_scratch_release(&s);
		Pa_ranktable_release(&t);
	}
}

/* Makes count words of random tokens of t, each at words + w * stride,
 * its length in word_len[w]: parts or parts + 1 tokens of least to most
 * bytes (stride must hold 2 * most bytes and more). */
static void random_words(const Pa_ranktable *t, unsigned char *words, size_t stride,
                         size_t count, size_t *word_len, int parts, uint32_t least,
                         uint32_t most, uint32_t *seed)
{
	size_t w;

	for (w = 0; w < count; w++) {
		int left = parts + (int)(next_random(seed) % 2);

		word_len[w] = 0;
		while (left > 0) {
			uint32_t id = next_random(seed) % t->n_ids;
			uint32_t at = t->offsets[id], len = t->offsets[id + 1] - at;

			if (len < least || len > most)
				continue;
			memcpy(words + w * stride + word_len[w], t->bytes + at, len);
			word_len[w] += len;
			left--;
		}
	}
}

/* The memo of prefixes (backtrack.c) holds what a walk of the trie found
 * at the next 8 bytes; it is used while its hits save walks, so texts of
 * a few long words switch it on.  Pieces made of such words, and then
 * pieces that go on in random bytes (the memo turns off in the middle of
 * one), merge exactly as the heap merges them, with ids and without. */
static void test_backtrack_prefix_memo(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		Pa_bpe_scratch s;
		unsigned char piece[2000], words[24][64];
		size_t word_len[24];
		static uint32_t a[2000], b[2000];
		uint32_t seed = 4242;
		int trial, mismatches = 0, used = 0;
		size_t w;

		memset(&s, 0, sizeof(s));
		if (!map_bundled(k, &t, &bt))
			continue;
		/* A word is two or three tokens of 6 to 20 bytes. */
		random_words(&t, words[0], sizeof(words[0]), 24, word_len, 2, 6, 20, &seed);
		for (trial = 0; trial < 6000; trial++) {
			size_t n = 16 + next_random(&seed) % 400, i = 0;
			/* From trial 4000 on, every tenth piece ends in random
			 * bytes, which turn the memo off. */
			size_t words_end = trial >= 4000 && trial % 10 == 0 ? n / 2 : n;

			while (i < words_end) {
				w = next_random(&seed) % 24;
				for (size_t j = 0; j < word_len[w] && i < words_end; j++)
					piece[i++] = words[w][j];
			}
			while (i < n)
				piece[i++] = (unsigned char)next_random(&seed);
			mismatches += backtrack_differs(&t, &bt, piece, n, &s, a, b);
			if (trial == 3999)
				used = s.prefix_memo != NULL && s.prefix_off == 0;
		}
		CHECK_EQ_INT(mismatches, 0);
		/* The words did switch the memo on, and it stayed on. */
		CHECK(used);
		Pa_bpe_scratch_release(&s);
		Pa_ranktable_release(&t);
	}
}

/* Before a thread's texts come to 64 KB (memoarena.h) the merge keeps
 * its checks of neighbours in the early memo (bpescratch.h), and the
 * answers it finds there are the ones a check gives: pieces of a few
 * words, whose pairs come back, and of random bytes merge exactly as the
 * heap merges them, with ids and without, while the memos are not due. */
static void test_backtrack_early_memo(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		Pa_bpe_scratch s;
		Pa_memo_arena arena;
		unsigned char piece[400], words[16][32];
		size_t word_len[16], w, filled = 0;
		static uint32_t a[400], b[400];
		uint32_t seed = 777 + (uint32_t)k;
		int trial, mismatches = 0;

		memset(&s, 0, sizeof(s));
		memset(&arena, 0, sizeof(arena));
		s.arena = &arena; /* nothing seen: the memos are not due */
		if (!map_bundled(k, &t, &bt))
			continue;
		/* A word is one or two tokens of 2 to 12 bytes. */
		random_words(&t, words[0], sizeof(words[0]), 16, word_len, 1, 2, 12, &seed);
		for (trial = 0; trial < 4000; trial++) {
			size_t n = 2 + next_random(&seed) % 300, i = 0;

			while (i < n) {
				if (trial % 5 == 0) {
					piece[i++] = (unsigned char)next_random(&seed);
					continue;
				}
				w = next_random(&seed) % 16;
				for (size_t j = 0; j < word_len[w] && i < n; j++)
					piece[i++] = words[w][j];
			}
			mismatches += backtrack_differs(&t, &bt, piece, n, &s, a, b);
		}
		CHECK_EQ_INT(mismatches, 0);
		/* The merges were early ones, and they filled the memo. */
		CHECK(s.pair_memo == NULL && s.early_pairs != NULL);
		for (w = 0; s.early_pairs && w < PA_EARLY_PAIRS; w++)
			filled += s.early_pairs[w] != 0;
		CHECK(filled > 100);
		Pa_bpe_scratch_release(&s);
		Pa_memo_arena_release(&arena);
		Pa_ranktable_release(&t);
	}
}

/* A damaged table file must not crash or hang the merge: flip bytes all
 * over the backtracking tables of a copy, bring its bases back within
 * the array (the tokenizer refuses the others with the section's checksum,
 * test_tokdata.c) and merge long pieces with it.  (What it returns then is not
 * checked; that it returns is.) */
static void test_backtrack_damaged_table(void)
{
	Pa_ranktable t;
	Pa_backtrack_tables bt, bad;
	pa_error err;
	Pa_bpe_scratch s;
	unsigned char *image;
	static unsigned char piece[3000];
	uint32_t seed = 5;
	size_t from, i;
	int round;

	memset(&s, 0, sizeof(s));
	if (Pa_ranktable_map("tokenizers/cl100k_base.patab", &t, &err) != PA_OK) {
		CHECK(0);
		return;
	}
	Pa_bpetables_view(&t, &bt);
	image = malloc(t.image_len);
	for (round = 0; round < 30; round++) {
		size_t n = 1 + next_random(&seed) % sizeof(piece);

		memcpy(image, t.image, t.image_len);
		bad = bt;
		/* Point the copy's arrays into the damaged image. */
#define MOVE(f) bad.f = (void *)(image + ((const unsigned char *)bt.f - (const unsigned char *)t.image))
		MOVE(split);
		MOVE(state);
		MOVE(two_byte);
		MOVE(pairs);
		MOVE(pair_filter);
#undef MOVE
		/* One byte in 50 of the tables, more in later rounds. */
		from = (size_t)((const unsigned char *)bt.split - (const unsigned char *)t.image);
		for (i = 0; i < (t.image_len - from) / 50 * (size_t)(1 + round / 10); i++) {
			size_t at = from + next_random(&seed) % (t.image_len - from);
			image[at] = (unsigned char)next_random(&seed);
		}
		/* Damage to a base is refused before any merge; what is
		 * left is every other damage, bases within the array
		 * included. */
		for (i = 0; i < bt.n_states; i++) {
			uint64_t *e = (uint64_t *)(void *)(image + ((const unsigned char *)(bt.state + i) -
			                                            (const unsigned char *)t.image));
			*e &= ~(uint64_t)UINT32_MAX | (bt.n_states - 1);
		}
		random_piece(&t, piece, n, &seed);
		Pa_bpe_merge(&t, &bad, piece, n, &s, NULL);
	}
	CHECK(1); /* reached: no crash, no hang */
	free(image);
	Pa_bpe_scratch_release(&s);
	Pa_ranktable_release(&t);
}

/* Appends "base64(bytes) rank\n" to a rank file being built. */
static void add_rank(pa_buf *b, const char *bytes, size_t n, unsigned rank)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i < n; i += 3) {
		uint32_t w = (uint32_t)(unsigned char)bytes[i] << 16;
		if (i + 1 < n)
			w |= (uint32_t)(unsigned char)bytes[i + 1] << 8;
		if (i + 2 < n)
			w |= (unsigned char)bytes[i + 2];
		pa_buf_putc(b, digits[w >> 18 & 63]);
		pa_buf_putc(b, digits[w >> 12 & 63]);
		pa_buf_putc(b, i + 1 < n ? digits[w >> 6 & 63] : '=');
		pa_buf_putc(b, i + 2 < n ? digits[w & 63] : '=');
	}
	pa_buf_printf(b, " %u\n", rank);
}

/* The backtracking tables exist only for vocabularies where every token
 * is the BPE of its own bytes; a rank file with a token BPE cannot make
 * gets none, and merges still come out right. */
static void test_backtrack_vocabulary_check(void)
{
	int with_unreachable;

	for (with_unreachable = 0; with_unreachable < 2; with_unreachable++) {
		pa_buf text = PA_BUF_INIT;
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		pa_error err;
		Pa_bpe_scratch s;
		uint32_t ids[8];
		unsigned b;

		memset(&s, 0, sizeof(s));
		for (b = 0; b < 256; b++) {
			char c = (char)b;
			add_rank(&text, &c, 1, b);
		}
		add_rank(&text, "ab", 2, 256);
		add_rank(&text, "abc", 3, 257);
		if (with_unreachable) /* "xyz": neither "xy" nor "yz" is a token */
			add_rank(&text, "xyz", 3, 258);
		CHECK_EQ_INT(Pa_ranktable_parse(text.ptr, text.len, "x", &t, &err), PA_OK);
		Pa_bpetables_derive(&t);
		Pa_bpetables_view(&t, &bt);
		CHECK_EQ_INT(bt.n_states == 0, with_unreachable);
		CHECK_EQ_INT(Pa_bpe_merge(&t, &bt, (const unsigned char *)"abcab", 5, &s, ids), 2);
		CHECK_EQ_INT(ids[0], 257);
		CHECK_EQ_INT(ids[1], 256);
		Pa_bpe_scratch_release(&s);
		Pa_ranktable_release(&t);
		pa_buf_release(&text);
	}
}

/* A node of the trie may have every byte as a child, which takes a block
 * of the double array of its own: the token "ab" goes on with all 256
 * bytes, or with 255 of them, and the merge finds each. */
static void test_backtrack_wide_node(void)
{
	int all;

	for (all = 0; all < 2; all++) {
		pa_buf text = PA_BUF_INIT;
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		pa_error err;
		Pa_bpe_scratch s;
		uint32_t ids[8], rank = 257;
		unsigned b;
		unsigned char piece[4] = { 'a', 'b', 0, 'a' };

		memset(&s, 0, sizeof(s));
		for (b = 0; b < 256; b++) {
			char c = (char)b;
			add_rank(&text, &c, 1, b);
		}
		add_rank(&text, "ab", 2, 256);
		for (b = all ? 0 : 1; b < 256; b++) {
			char abc[3] = { 'a', 'b', (char)b };
			add_rank(&text, abc, 3, rank++);
		}
		CHECK_EQ_INT(Pa_ranktable_parse(text.ptr, text.len, "x", &t, &err), PA_OK);
		Pa_bpetables_derive(&t);
		Pa_bpetables_view(&t, &bt);
		CHECK(bt.n_states > 0);
		for (b = all ? 0u : 1u; b < 256; b += 17) {
			piece[2] = (unsigned char)b;
			CHECK_EQ_INT(Pa_bpe_merge(&t, &bt, piece, 4, &s, ids), 2);
			CHECK_EQ_INT(ids[0], 257 + b - !all);
			CHECK_EQ_INT(ids[1], 'a');
		}
		Pa_bpe_scratch_release(&s);
		Pa_ranktable_release(&t);
		pa_buf_release(&text);
	}
}

static void test_table_roundtrip(void)
{
	/* A rank file parsed in memory finds what its lines say. */
	static const char ranks[] = "YQ== 0\nYg== 1\nYWI= 2\n";
	Pa_ranktable t;
	pa_error err;

	CHECK_EQ_INT(Pa_ranktable_parse(ranks, sizeof(ranks) - 1, "x", &t, &err), PA_OK);
	CHECK_EQ_INT(pa_ranktable_find(&t, (const unsigned char *)"ab", 2), 2);
	CHECK_EQ_INT(pa_ranktable_find(&t, (const unsigned char *)"ba", 2), PA_RANK_NONE);
	CHECK_EQ_INT(t.byte_rank['b'], 1);
	Pa_ranktable_release(&t);
	CHECK_EQ_INT(Pa_ranktable_parse("YQ== 0\nYQ== 1\n", 14, "x", &t, &err), PA_ERR_PARSE);
	CHECK_EQ_INT(Pa_ranktable_parse("YQ==0\n", 6, "x", &t, &err), PA_ERR_PARSE);
	CHECK_EQ_INT(err.line, 1);
}

/* path's bytes, copied to `to`, the last byte flipped when damage. */
static int copy_file(const char *path, const char *to, int damage)
{
	FILE *in = fopen(path, "rb"), *out;
	static unsigned char buf[1 << 16];
	size_t n, total = 0;

	if (!in)
		return 0;
	out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return 0;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		fwrite(buf, 1, n, out);
		total += n;
	}
	fclose(in);
	if (damage && total > 0) {
		fseek(out, (long)total - 1, SEEK_SET);
		fputc(buf[(total - 1) % sizeof(buf)] ^ 0x5A, out);
	}
	return fclose(out) == 0;
}

/* A file mapped twice is mapped once, and stays mapped until its last
 * user lets it go; a file rewritten since (another inode) is mapped
 * afresh; a damaged section is damaged for every user of the mapping. */
static void test_table_shared(void)
{
	char dir[] = "/tmp/promptasm-test-XXXXXX", a[64], b[64], bad[64];
	const char *path = "tokenizers/cl100k_base.patab";
	Pa_ranktable t1, t2, t3, t4;
	pa_error err;
	uint32_t hello;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	snprintf(a, sizeof(a), "%s/a.patab", dir);
	snprintf(b, sizeof(b), "%s/b.patab", dir);
	snprintf(bad, sizeof(bad), "%s/bad.patab", dir);
	CHECK(copy_file(path, a, 0) && copy_file(path, b, 0) && copy_file(path, bad, 1));
	CHECK_EQ_INT(Pa_ranktable_map(a, &t1, &err), PA_OK);
	CHECK_EQ_INT(Pa_ranktable_map(a, &t2, &err), PA_OK);
	CHECK(t1.image == t2.image);
	hello = pa_ranktable_find(&t1, (const unsigned char *)"hello", 5);
	CHECK(hello != PA_RANK_NONE);
	Pa_ranktable_release(&t1);
	CHECK_EQ_INT(pa_ranktable_find(&t2, (const unsigned char *)"hello", 5), hello);
	CHECK(Pa_ranktable_section_intact(&t2, NULL));
	/* Replaced by another file under the same name. */
	CHECK_EQ_INT(rename(b, a), 0);
	CHECK_EQ_INT(Pa_ranktable_map(a, &t3, &err), PA_OK);
	CHECK(t3.image != t2.image);
	CHECK_EQ_INT(pa_ranktable_find(&t3, (const unsigned char *)"hello", 5), hello);
	Pa_ranktable_release(&t2);
	Pa_ranktable_release(&t3);
	/* The ranks are intact, the section is not: both users are told. */
	CHECK_EQ_INT(Pa_ranktable_map(bad, &t1, &err), PA_OK);
	CHECK_EQ_INT(Pa_ranktable_map(bad, &t4, &err), PA_OK);
	CHECK(t1.image == t4.image);
	CHECK(!Pa_ranktable_section_intact(&t1, NULL));
	CHECK(!Pa_ranktable_section_intact(&t4, NULL));
	Pa_ranktable_release(&t4);
	CHECK(!Pa_ranktable_section_intact(&t1, NULL));
	Pa_ranktable_release(&t1);
	unlink(a);
	unlink(bad);
	rmdir(dir);
}

/* Every token of every bundled vocabulary is found by its bytes, whatever
 * its length (up to 12 bytes in the slot alone, longer with the pool),
 * and what is one byte longer or shorter is found only as the token it
 * is. */
static void test_table_finds_every_token(void)
{
	static const char *const tables[] = {
		"tokenizers/cl100k_base.patab", "tokenizers/o200k_base.patab",
		"tokenizers/claude.patab",
	};
	size_t k;

	for (k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
		Pa_ranktable t;
		pa_error err;
		uint32_t id;
		long wrong = 0;

		if (Pa_ranktable_map(tables[k], &t, &err) != PA_OK) {
			CHECK(0);
			continue;
		}
		for (id = 0; id < t.n_ids; id++) {
			const unsigned char *p = t.bytes + t.offsets[id];
			size_t len = t.offsets[id + 1] - t.offsets[id];
			unsigned char longer[1100];
			uint32_t other;

			if (len == 0)
				continue;
			if (pa_ranktable_find(&t, p, len) != id)
				wrong++;
			other = pa_ranktable_find(&t, p, len - 1);
			if (len > 1 && other != PA_RANK_NONE &&
			    (t.offsets[other + 1] - t.offsets[other] != len - 1 ||
			     memcmp(t.bytes + t.offsets[other], p, len - 1) != 0))
				wrong++;
			if (len < sizeof(longer)) {
				memcpy(longer, p, len);
				longer[len] = (unsigned char)id;
				other = pa_ranktable_find(&t, longer, len + 1);
				if (other != PA_RANK_NONE &&
				    (t.offsets[other + 1] - t.offsets[other] != len + 1 ||
				     memcmp(t.bytes + t.offsets[other], longer, len + 1) != 0))
					wrong++;
			}
		}
		CHECK_EQ_INT(wrong, 0);
		Pa_ranktable_release(&t);
	}
}

/* The trie answers what the rank table does (pa_backtrack_token(), which
 * looks up the short parts of a cut piece): every token of two bytes or
 * more is found with its id, and a token's bytes one shorter or one
 * longer are the token the rank table has for them, or none. */
static void test_trie_finds_every_token(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		uint32_t id;
		long wrong = 0, found = 0, want = 0;

		if (!map_bundled(k, &t, &bt))
			continue;
		for (id = 0; id < t.n_ids; id++) {
			const unsigned char *p = t.bytes + t.offsets[id];
			size_t len = t.offsets[id + 1] - t.offsets[id];
			unsigned char longer[1100];

			if (len < 2)
				continue;
			want++;
			found += pa_backtrack_token(&bt, t.n_ids, p, len) == id;
			if (len > 2 && pa_backtrack_token(&bt, t.n_ids, p, len - 1) !=
			               pa_ranktable_find(&t, p, len - 1))
				wrong++;
			if (len < sizeof(longer)) {
				memcpy(longer, p, len);
				longer[len] = (unsigned char)(id * 7);
				if (pa_backtrack_token(&bt, t.n_ids, longer, len + 1) !=
				    pa_ranktable_find(&t, longer, len + 1))
					wrong++;
			}
		}
		CHECK(want > 0);
		CHECK_EQ_INT(found, want);
		CHECK_EQ_INT(wrong, 0);
		Pa_ranktable_release(&t);
	}
}

/* The key of a piece read whole and masked (a piece with text after it)
 * is the key read to its length, for every length and alignment. */
static void test_padded_key(void)
{
	unsigned char buf[80];
	uint32_t seed = 3;
	size_t n, at, i;
	long differ = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)next_random(&seed);
	for (n = 1; n <= 40; n++) {
		for (at = 0; at + n + 16 <= sizeof(buf); at++) {
			Pa_rank_key a = pa_rank_key_of(buf + at, n);
			Pa_rank_key b = pa_rank_key_padded(buf + at, n);

			differ += a.head != b.head || a.tail != b.tail ||
			          a.len8 != b.len8 || a.hash != b.hash;
			if (n <= PA_RANK_INLINE) {
				/* The key a count makes first, and its hash
				 * when the memos miss. */
				Pa_rank_key c = pa_rank_key_unhashed(buf + at, n);

				differ += a.head != c.head || a.tail != c.tail ||
				          a.len8 != c.len8 ||
				          a.hash != pa_rank_hash_short(c.head, c.tail, n);
			}
		}
	}
	CHECK_EQ_INT(differ, 0);
}

/* The memo of pairs keeps a tag in the slot the mix picks: exact only if
 * no two pairs mix alike.  Pairs of ids over the whole 21-bit range
 * (small ones, where a vocabulary's frequent tokens are, and large) come
 * back from their mix whole, so no two of any pairs mix alike; and the
 * slots of a million of them spread, none holding more than four times
 * its share. */
static void test_pair_memo_mix(void)
{
	const size_t side = 1024, n = side * side;
	uint32_t *per_slot = calloc(PA_PAIR_MEMO, sizeof(uint32_t));
	size_t i, j, wrong = 0, wide = 0, most = 0;

	if (!per_slot) {
		CHECK(0);
		return;
	}
	for (i = 0; i < side; i++)
		for (j = 0; j < side; j++) {
			/* Half the ids below 512, half spread over 2^21, the
			 * largest id among them. */
			uint32_t a = i < side / 2 ? (uint32_t)i : (uint32_t)(i * 2039u) & PA_PAIR_ID_MASK;
			uint32_t b = j + 1 == side ? PA_PAIR_ID_MASK
			             : j < side / 2 ? (uint32_t)j : (uint32_t)(j * 2053u) & PA_PAIR_ID_MASK;
			uint64_t x = pa_pair_memo_mix(a, b);
			uint32_t left, right;

			pa_pair_memo_unmix(x, &left, &right);
			wrong += left != a || right != b;
			wide += x >> PA_PAIR_MIX_BITS != 0;
			per_slot[pa_pair_memo_slot(x, PA_PAIR_MEMO_BITS)]++;
		}
	for (i = 0; i < PA_PAIR_MEMO; i++)
		if (per_slot[i] > most)
			most = per_slot[i];
	CHECK_EQ_INT(wrong, 0);
	CHECK_EQ_INT(wide, 0);
	CHECK(most <= 4 * n / PA_PAIR_MEMO);
	free(per_slot);
}

int main(void)
{
	RUN(test_heap_equals_scan);
	RUN(test_backtrack_equals_heap);
	RUN(test_backtrack_periodic);
	RUN(test_backtrack_prefix_memo);
	RUN(test_backtrack_early_memo);
	RUN(test_backtrack_damaged_table);
	RUN(test_backtrack_vocabulary_check);
	RUN(test_backtrack_wide_node);
	RUN(test_table_roundtrip);
	RUN(test_table_shared);
	RUN(test_table_finds_every_token);
	RUN(test_trie_finds_every_token);
	RUN(test_padded_key);
	RUN(test_pair_memo_mix);
	return pa_test_summary();
}
