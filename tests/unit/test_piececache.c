/* test_piececache.c - the memo of merged pieces (piececache.h) is exact,
 * grows when a text has more distinct pieces than it holds, and keeps
 * what it held when it grows. */
#include "unit.h"
#include "piececache.h"

#include <stdio.h>
#include <string.h>

/* Piece i: 12 to 24 bytes, its tokens i + 0 .. i + count - 1. */
static size_t piece_of(unsigned i, unsigned char *p, size_t *count,
                       uint32_t *ids)
{
	char s[32];
	size_t n = (size_t)snprintf(s, sizeof(s), "p%011u%.*s", i, (int)(i % 13),
	                            "abcdefghijklm");
	size_t j;

	memcpy(p, s, n);
	*count = 1 + i % PA_PIECE_CACHE_IDS;
	for (j = 0; j < *count; j++)
		ids[j] = i + (uint32_t)j;
	return n;
}

/* Pieces from..to-1 found, each with its own tokens; a wrong one counts
 * in *wrong. */
static unsigned found(Pa_piece_cache *c, unsigned from, unsigned to,
                      unsigned *wrong)
{
	unsigned i, hits = 0;

	for (i = from; i < to; i++) {
		unsigned char p[32];
		uint32_t ids[PA_PIECE_CACHE_IDS];
		size_t count, n = piece_of(i, p, &count, ids);
		const Pa_piece_entry *e =
		    pa_piece_cache_find(c, pa_rank_key_of(p, n).hash, p, n);

		if (!e)
			continue;
		hits++;
		if (e->count != count || !e->has_ids ||
		    memcmp(e->u.with_ids.ids, ids, count * sizeof(uint32_t)) != 0)
			(*wrong)++;
	}
	return hits;
}

static void put(Pa_piece_cache *c, unsigned from, unsigned to)
{
	unsigned i;

	for (i = from; i < to; i++) {
		unsigned char p[32];
		uint32_t ids[PA_PIECE_CACHE_IDS];
		size_t count, n = piece_of(i, p, &count, ids);

		Pa_piece_cache_put(c, pa_rank_key_of(p, n).hash, p, n, count, ids);
	}
}

/*
 * The memo starts at 16,384 lines and grows to 65,536 once it has taken
 * as many pieces.  Two ways a set, pieces spread at random: of 16,448
 * pieces about 12,000 are held when it grows, and still after 3,500 more
 * in four times the sets; of 60,000, about 45,000 (a memo that never grew
 * holds at most 16,384, one that dropped its lines when it grew at most
 * the 3,552 put since).
 */
static void test_grows_and_keeps(void)
{
	Pa_piece_cache c;
	unsigned wrong = 0;

	memset(&c, 0, sizeof(c));
	put(&c, 0, 20000);
	CHECK(found(&c, 0, 16448, &wrong) >= 10000);
	CHECK(found(&c, 19000, 20000, &wrong) >= 950);
	put(&c, 20000, 60000);
	CHECK(found(&c, 0, 60000, &wrong) >= 40000);
	CHECK_EQ_INT(wrong, 0);
	Pa_piece_cache_release(&c);
}

/* With ids, a piece too long for the ids' line, or of too many tokens,
 * is not kept; without, the whole line holds the piece and only a longer
 * one is not kept.  One put again is found with its new tokens (never a
 * stale copy). */
static void test_what_is_kept(void)
{
	Pa_piece_cache c;
	unsigned char p[PA_PIECE_CACHE_LONG + 1];
	uint32_t ids[PA_PIECE_CACHE_IDS + 1] = { 0 };
	const size_t past_ids = PA_PIECE_CACHE_BYTES + 1, longest = PA_PIECE_CACHE_LONG;
	const Pa_piece_entry *e;
	unsigned wrong = 0;
	size_t i;

	memset(&c, 0, sizeof(c));
	put(&c, 0, 100);
	CHECK(found(&c, 0, 100, &wrong) > 0);
	for (i = 0; i < sizeof(p); i++)
		p[i] = (unsigned char)('a' + i % 26);
	Pa_piece_cache_put(&c, pa_rank_key_of(p, past_ids).hash, p, past_ids, 1, ids);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, past_ids).hash, p, past_ids) == NULL);
	Pa_piece_cache_put(&c, pa_rank_key_of(p, sizeof(p)).hash, p, sizeof(p), 4, NULL);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, sizeof(p)).hash, p, sizeof(p)) == NULL);
	Pa_piece_cache_put(&c, pa_rank_key_of(p, longest).hash, p, longest, 7, NULL);
	e = pa_piece_cache_find(&c, pa_rank_key_of(p, longest).hash, p, longest);
	CHECK(e && e->count == 7 && !e->has_ids && memcmp(e->u.bytes, p, longest) == 0);
	/* Of too many tokens, even without ids. */
	Pa_piece_cache_put(&c, pa_rank_key_of(p, longest - 1).hash, p, longest - 1,
	                   PA_PIECE_CACHE_IDS + 1, NULL);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, longest - 1).hash, p, longest - 1) == NULL);
	/* The same bytes but one, at the end: not that piece. */
	p[longest - 1] ^= 1;
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, longest).hash, p, longest) == NULL);
	Pa_piece_cache_put(&c, pa_rank_key_of(p, 5).hash, p, 5, PA_PIECE_CACHE_IDS + 1, ids);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, 5).hash, p, 5) == NULL);
	Pa_piece_cache_put(&c, pa_rank_key_of(p, 5).hash, p, 5, 2, NULL);
	e = pa_piece_cache_find(&c, pa_rank_key_of(p, 5).hash, p, 5);
	CHECK(e && e->count == 2 && !e->has_ids);
	ids[0] = 7;
	ids[1] = 8;
	ids[2] = 9;
	Pa_piece_cache_put(&c, pa_rank_key_of(p, 5).hash, p, 5, 3, ids);
	e = pa_piece_cache_find(&c, pa_rank_key_of(p, 5).hash, p, 5);
	CHECK(e && e->count == 3 && e->has_ids && e->u.with_ids.ids[0] == 7 && e->u.with_ids.ids[2] == 9);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, 4).hash, p, 4) == NULL);
	CHECK_EQ_INT(wrong, 0);
	Pa_piece_cache_release(&c);
}

/* Before the memos are due a text's small sets are made at its first
 * piece, since a text's first words come back within it; once they are
 * due, the megabyte waits for enough pieces to pay for it. */
static void test_when_lines_are_made(void)
{
	Pa_memo_arena arena;
	Pa_piece_cache c;
	unsigned char p[32];
	uint32_t ids[PA_PIECE_CACHE_IDS];
	size_t count, n;
	unsigned i;

	memset(&arena, 0, sizeof(arena));
	memset(&c, 0, sizeof(c));
	c.arena = &arena;
	pa_memo_arena_expect(&arena, 1000);
	n = piece_of(0, p, &count, ids);
	Pa_piece_cache_put(&c, pa_rank_key_of(p, n).hash, p, n, count, ids);
	CHECK(c.lines != NULL && c.set_mask + 1 == PA_PIECE_CACHE_SMALL_SETS);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, n).hash, p, n) != NULL);
	Pa_piece_cache_release(&c);
	CHECK(c.lines == NULL && c.arena == &arena);

	pa_memo_arena_expect(&arena, PA_MEMOS_DUE);
	put(&c, 0, 10);
	CHECK(c.lines == NULL);
	for (i = 10; i < 200 && !c.lines; i++)
		put(&c, i, i + 1);
	CHECK(c.lines != NULL && c.set_mask + 1 > PA_PIECE_CACHE_SMALL_SETS);
	Pa_piece_cache_release(&c);
	Pa_memo_arena_release(&arena);
}

/* Offers long piece number k (40 bytes) as a merge would: looked up, and
 * when it misses, put.  Returns whether it is kept (found after the put);
 * -1 when it was found before. */
static int offer_long(Pa_piece_cache *c, unsigned k)
{
	unsigned char p[40];
	uint64_t h;

	memset(p, 'q', sizeof(p));
	memcpy(p, &k, sizeof(k));
	h = pa_rank_key_of(p, sizeof(p)).hash;
	if (pa_piece_cache_find(c, h, p, sizeof(p)))
		return -1;
	Pa_piece_cache_put(c, h, p, sizeof(p), 3, NULL);
	return pa_piece_cache_find(c, h, p, sizeof(p)) != NULL;
}

/* Long pieces (without ids) are kept while they are found: after a
 * window of them that all miss (the phrase-long pieces of Chinese), a new
 * one is not kept; after the rest, offered ones are kept again. */
static void test_long_pieces_must_pay(void)
{
	Pa_piece_cache c;
	unsigned char p[40];
	unsigned i, kept_while_off = 0, kept_again = 0;

	memset(&c, 0, sizeof(c));
	memset(p, 'q', sizeof(p));
	put(&c, 0, 100); /* the memo is made */
	/* A window of long pieces, each looked up, missed and put. */
	for (i = 0; i < PA_PIECE_CACHE_WINDOW; i++) {
		uint64_t h;

		memcpy(p, &i, sizeof(i));
		h = pa_rank_key_of(p, sizeof(p)).hash;
		CHECK(pa_piece_cache_find(&c, h, p, sizeof(p)) == NULL);
		Pa_piece_cache_put(&c, h, p, sizeof(p), 3, NULL);
	}
	/* Now they are not kept, for some windows of lookups. */
	for (i = 0; i < 4 * PA_PIECE_CACHE_WINDOW; i++)
		kept_while_off += offer_long(&c, 100000 + i) == 1;
	CHECK_EQ_INT(kept_while_off, 0);
	/* Offered past the rest, they are kept again; a short piece was
	 * kept all along. */
	for (i = 0; i < 40 * PA_PIECE_CACHE_WINDOW && !kept_again; i++)
		kept_again = offer_long(&c, 200000 + i) == 1;
	CHECK(kept_again);
	memset(p, 'z', sizeof(p));
	Pa_piece_cache_put(&c, pa_rank_key_of(p, 8).hash, p, 8, 2, NULL);
	CHECK(pa_piece_cache_find(&c, pa_rank_key_of(p, 8).hash, p, 8) != NULL);
	Pa_piece_cache_release(&c);
}

/* A piece's count and a token's id sit in slots of their own: a count
 * put does not push out the token of the same slot, each is found only
 * as what it is, and a piece over PA_RANK_INLINE bytes is kept neither
 * way. */
static void test_hot_counts(void)
{
	Pa_hot_tokens h;
	const unsigned char *word = (const unsigned char *)" hello", *other = (const unsigned char *)" world";
	const unsigned char *longer = (const unsigned char *)" a piece of thirteen";
	Pa_rank_key k = pa_rank_key_of(word, 6), o = pa_rank_key_of(other, 6);
	Pa_rank_key l = pa_rank_key_of(longer, 13);

	memset(&h, 0, sizeof(h));
	CHECK_EQ_INT(pa_hot_counts_find(&h, &k), 0);
	CHECK_EQ_INT(pa_hot_tokens_find(&h, &k), PA_RANK_NONE);
	Pa_hot_tokens_put(&h, &k, 6, 1234);
	Pa_hot_counts_put(&h, &k, 6, 3);
	CHECK_EQ_INT(pa_hot_tokens_find(&h, &k), 1234);
	CHECK_EQ_INT(pa_hot_counts_find(&h, &k), 3);
	Pa_hot_counts_put(&h, &o, 6, 2);
	CHECK_EQ_INT(pa_hot_counts_find(&h, &o), 2);
	CHECK_EQ_INT(pa_hot_tokens_find(&h, &o), PA_RANK_NONE);
	Pa_hot_counts_put(&h, &l, 13, 4);
	CHECK_EQ_INT(h.counts.slot[pa_hot_slot_of(&l, h.counts.bits)].id_len, 0);
	CHECK_EQ_INT(pa_hot_counts_find(&h, &l), 0);
	/* A kept piece of 12 bytes in the slot of one of 13 that starts
	 * like it: told apart by the length alone. */
	{
		Pa_rank_key twelve = pa_rank_key_of(longer, 12);
		Pa_rank_slot *slot = h.counts.slot + pa_hot_slot_of(&l, h.counts.bits);

		CHECK(twelve.head == l.head && twelve.tail == l.tail);
		slot->head = twelve.head;
		slot->tail = twelve.tail;
		slot->id_len = twelve.len8 | 5;
		CHECK_EQ_INT(pa_hot_counts_find(&h, &l), 0);
		slot->id_len = l.len8 | 5; /* what only a 13-byte put could write */
		CHECK_EQ_INT(pa_hot_counts_find(&h, &l), 5);
		memset(slot, 0, sizeof(*slot));
	}
	Pa_hot_counts_put(&h, &o, 6, 0); /* not kept: the count before stays */
	CHECK_EQ_INT(pa_hot_counts_find(&h, &o), 2);
	Pa_hot_tokens_release(&h);
	CHECK(h.tokens.slot == NULL && h.counts.slot == NULL);
}

/* The slots of tokens grow once they have taken four puts a slot, and
 * keep what they held: every token in the small slots just before is
 * found in the grown ones, with its id (but the one whose grown slot the
 * put that made them grow took), and no slot answers for a token never
 * put.  The slots of counts never grow. */
static void test_hot_slots_grow(void)
{
	static Pa_rank_slot before[PA_HOT_TOKENS];
	Pa_hot_tokens h;
	unsigned char word[16];
	size_t i, puts = 4 * (size_t)PA_HOT_TOKENS, kept = 0, found = 0;
	Pa_rank_key first, k;

	memset(&h, 0, sizeof(h));
	memcpy(word, "w0000000", 8);
	first = pa_rank_key_of(word, 8);
	Pa_hot_tokens_put(&h, &first, 8, 7);
	CHECK_EQ_INT(h.tokens.bits, PA_HOT_TOKENS_BITS);
	for (i = 1; i < puts - 1; i++) {
		snprintf((char *)word, sizeof(word), "w%07zu", i);
		k = pa_rank_key_of(word, 8);
		Pa_hot_tokens_put(&h, &k, 8, (uint32_t)i);
		Pa_hot_counts_put(&h, &k, 8, 2);
	}
	CHECK_EQ_INT(h.tokens.bits, PA_HOT_TOKENS_BITS);
	CHECK_EQ_INT(h.counts.bits, PA_HOT_TOKENS_BITS);
	memcpy(before, h.tokens.slot, sizeof(before));
	/* The put that makes the slots grow; it lands in the grown ones. */
	Pa_hot_tokens_put(&h, &first, 8, 7);
	CHECK_EQ_INT(h.tokens.bits, PA_HOT_TOKENS_GROWN_BITS);
	CHECK_EQ_INT(pa_hot_tokens_find(&h, &first), 7);
	for (i = 0; i < PA_HOT_TOKENS; i++) {
		Pa_rank_key old = { 0 };

		if (!(before[i].id_len >> 24))
			continue;
		old.head = before[i].head;
		old.tail = before[i].tail;
		old.len8 = before[i].id_len & 0xFF000000u;
		if (pa_hot_slot_of(&old, PA_HOT_TOKENS_GROWN_BITS) ==
		    pa_hot_slot_of(&first, PA_HOT_TOKENS_GROWN_BITS))
			continue;
		kept++;
		found += pa_hot_tokens_find(&h, &old) == (before[i].id_len & 0xFFFFFFu);
	}
	CHECK(kept > PA_HOT_TOKENS / 2);
	CHECK_EQ_INT(found, kept);
	memcpy(word, "never00", 7);
	k = pa_rank_key_of(word, 7);
	CHECK_EQ_INT(pa_hot_tokens_find(&h, &k), PA_RANK_NONE);
	CHECK_EQ_INT(h.counts.bits, PA_HOT_TOKENS_BITS);
	Pa_hot_tokens_release(&h);
	CHECK(h.tokens.slot == NULL && h.tokens.bits == 0 && h.tokens.puts == 0);
}

int main(void)
{
	RUN(test_grows_and_keeps);
	RUN(test_what_is_kept);
	RUN(test_when_lines_are_made);
	RUN(test_long_pieces_must_pay);
	RUN(test_hot_counts);
	RUN(test_hot_slots_grow);
	return pa_test_summary();
}
