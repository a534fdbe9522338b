/*
 * backtrack.h - byte-pair merging in linear time, left to right.
 *
 * tiktoken merges the lowest-ranked pair anywhere in a piece first, so a
 * merge queue hops about a long piece and pays cache misses at every step.
 * The same tokens can be found left to right instead.  At each position
 * take the longest token that matches there, and keep it only if BPE could
 * have left it next to the token before it; if not, try the next shorter
 * token that matches there, and when none is left, step back one token.  A
 * sequence of tokens in which every neighbouring pair passes that check is
 * the BPE encoding of its bytes, and there is only one such sequence (the
 * observation behind GitHub's `bpe` crate), so the search ends at exactly
 * tiktoken's tokens.  A bit per position, cleared when no encoding can
 * have a token boundary there, keeps the search from retrying a dead end,
 * which makes it linear.
 *
 * Whether BPE could leave token a next to token b needs only their merge
 * trees: undo the merges along a's right edge and b's left edge, the later
 * merge first, and fail if at some point the two parts facing each other
 * would themselves have merged before the merge being undone.
 *
 * The tables, derived from the ranks once by bpetables.h:
 *
 *   split[2 * id], split[2 * id + 1]
 *       the two tokens whose merge makes token id; id itself twice for a
 *       single byte
 *   state[v]
 *       a trie of all tokens as a double array (Aoe's): state v is 8
 *       bytes, and its child along byte c is the state base(v) ^ c, kept
 *       only when that state's check is c + 1, so a step down the trie is
 *       a load, an exclusive or and a compare, whatever the node.  A state
 *       also holds the token that ends at it.  Every node has a base of its
 *       own (a leaf the base 0, whose block of 256 states is left empty),
 *       which is what lets a check hold only the label: the state at
 *       base ^ c can only be the child of the one node with that base.
 *       The states are placed depth first, each group of children as low
 *       in the array as fits within the last few thousand states, so that
 *       a chain of single children (most of a walk through a word) lies in
 *       a few cache lines.  The array's size is a power of two of at
 *       least 256 states and every base lies below it, so that base ^ c
 *       is a state of the array for every byte c: a step needs no mask
 *       (which was an instruction on the walk's chain of dependent loads:
 *       Thai with o200k_base took 0.97x the time without it).  A table
 *       file is not trusted to say so: every base is read once, in the pass
 *       that verifies the section's checksum (Pa_bpetables_bound()), and
 *       no text is merged with tables it refused
 *   two_byte[2 * (first << 8 | second) ...]
 *       for every string of two bytes, its state in the trie and its
 *       token (or PA_RANK_NONE), so the levels of the trie that every
 *       search walks and the merges most checks end at take one lookup
 *   pairs[slot]
 *       an open-addressing hash table (linear probing) of every split:
 *       left, right and the token they make, packed in 21 bits each
 *   pair_filter
 *       a Bloom filter of the splits with both bits of a pair in one
 *       64-bit word, so that most pairs that never merge are ruled out
 *       before a probe of the table
 *
 * The tables exist only for vocabularies whose every token is the BPE
 * encoding of its own bytes and is made from two tokens of lower rank: both
 * hold for cl100k_base, o200k_base and claude, and the derivation checks
 * them (and that ids fit in 21 bits, as the pair table needs).  Other
 * vocabularies get n_states = 0 and a merge queue (bpe.h).
 *
 * Given tables whose bound holds (Pa_bpetables_bound()), the merge
 * bounds-checks the rest of what it reads from them, so a damaged table
 * file cannot send it out of bounds or into a loop; damage that it notices
 * makes it fail, and its caller falls back to a merge queue.
 */
#ifndef PA_BACKTRACK_H
#define PA_BACKTRACK_H

#include "bpescratch.h"
#include "ranktable.h"

/* A state of the trie (state[] above): bits 0-23 the base of its
 * children, bits 32-40 its check (its label + 1; 0: a free slot), bits
 * 41-63 the token that ends at it (or PA_TRIE_NONE). */
#define PA_TRIE_CHECK_SHIFT 32
#define PA_TRIE_CHECK_MASK 0x1FFu
#define PA_TRIE_TOKEN_SHIFT 41
#define PA_TRIE_NONE 0x7FFFFFu /* no token ends at the state */
#define PA_TRIE_MOST_STATES (1u << 24) /* what a base can name */

/* The tables, borrowed: they live in a rank table's section (bpetables.h). */
typedef struct Pa_backtrack_tables {
	const uint32_t *split;        /* 2 * n_ids */
	const uint64_t *state;        /* n_states */
	const uint32_t *two_byte;     /* 2 * 65536 */
	const uint64_t *pairs;        /* pair_mask + 1 */
	const uint64_t *pair_filter;  /* filter_mask + 1 words */
	uint32_t n_states;            /* a power of two; 0: no tables */
	uint32_t pair_mask;           /* slots - 1 */
	uint32_t filter_mask;         /* words - 1 */
} Pa_backtrack_tables;

/* ---- the pair table, as the derivation fills it and the merge probes it ----
 *
 * An entry packs left, right and the token they make in 21 bits each, so
 * an entry is 8 bytes and the table a quarter of what three plain ids
 * would take: it is probed at random, and fewer cache lines hit more
 * often.  A pair's hash picks its filter word (low bits), the two bits it
 * sets in that word (bits 32-43) and its first slot in the table (high
 * bits).  Two bits in one word make the filter about twice as selective as
 * one bit for the same size, at one cache line a test. */
#define PA_PAIR_ID_BITS 21
#define PA_PAIR_ID_MASK ((1u << PA_PAIR_ID_BITS) - 1)
#define PA_PAIR_NONE UINT64_MAX /* an empty slot */

static inline uint64_t pa_pair_key(uint32_t left, uint32_t right)
{
	return (uint64_t)left | (uint64_t)right << PA_PAIR_ID_BITS;
}

/* The merge's memo of pairs (bpescratch.h) by 42 bits: the two ids mixed
 * by two steps that can each be undone (the right id folded into the
 * left by exclusive or, then a product by an odd number modulo 2^42), so
 * that the mix is a bijection.  Its top bits pick the slot (a product's
 * high bits depend on every bit of what was multiplied) and the rest is
 * the tag kept in it: slot and tag together name exactly one pair, and an
 * entry takes four bytes.  One product deep, because the mix is on the
 * path of every check: the mix of two products and two folds it replaced
 * took the merge 1.03x to 1.12x the time (tests/bench/NOTES.md). */
#define PA_PAIR_MEMO_BITS 15
#define PA_PAIR_MIX_BITS (2 * PA_PAIR_ID_BITS)
#define PA_PAIR_MIX_MASK ((1ull << PA_PAIR_MIX_BITS) - 1)

static inline uint64_t pa_pair_memo_mix(uint32_t left, uint32_t right)
{
	uint64_t x = pa_pair_key(left, right);

	x ^= x >> PA_PAIR_ID_BITS;
	return (x * 0x9E3779B97F4A7C15ull) & PA_PAIR_MIX_MASK;
}

/* The slot of a memo of 1 << bits entries that mix x picks, and the tag
 * kept in it. */
static inline uint32_t pa_pair_memo_slot(uint64_t x, unsigned bits)
{
	return (uint32_t)(x >> (PA_PAIR_MIX_BITS - bits));
}

static inline uint32_t pa_pair_memo_tag(uint64_t x, unsigned bits)
{
	return (uint32_t)(x & ((1ull << (PA_PAIR_MIX_BITS - bits)) - 1));
}

/* The pair back from its mix, undoing each step in turn: no merge needs
 * it; it is what shows the mix a bijection (tests/unit/test_bpe.c), and
 * the step to change with any step of pa_pair_memo_mix().  The factor is
 * the inverse of the mix's modulo 2^42; the fold of the right id is
 * undone by folding it in again (the ids are 21 bits, half of the 42). */
static inline void pa_pair_memo_unmix(uint64_t x, uint32_t *left, uint32_t *right)
{
	x = (x * 0x3E19937733Dull) & PA_PAIR_MIX_MASK;
	x ^= x >> PA_PAIR_ID_BITS;
	*left = (uint32_t)(x & PA_PAIR_ID_MASK);
	*right = (uint32_t)(x >> PA_PAIR_ID_BITS);
}

static inline uint64_t pa_pair_hash(uint64_t key)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return h ^ h >> 29;
}

static inline uint64_t pa_pair_filter_bits(uint64_t h)
{
	return 1ull << (h >> 32 & 63) | 1ull << (h >> 38 & 63);
}

static inline uint32_t pa_pair_first_slot(uint64_t h, uint32_t mask)
{
	return (uint32_t)(h >> 44 | h << 20) & mask;
}

/* A step down the trie from the state whose entry is e, along byte c:
 * the index of the child's state, which is the child when pa_trie_holds()
 * says so.  Within the array for every c when the tables are sound (the
 * low 32 bits of an entry are its base, below n_states, a power of two of
 * at least 256: Pa_bpetables_bound()). */
static inline uint32_t pa_trie_child(uint64_t e, unsigned char c)
{
	return (uint32_t)e ^ c;
}

/* 1 when the state whose entry is e was reached along byte c. */
static inline int pa_trie_holds(uint64_t e, unsigned char c)
{
	return (uint32_t)(e >> PA_TRIE_CHECK_SHIFT & PA_TRIE_CHECK_MASK) == c + 1u;
}

/* The token whose bytes are exactly p[0..n) (2 <= n), or PA_RANK_NONE:
 * the two-byte table, then a step down the trie a byte. */
static inline uint32_t pa_backtrack_token(const Pa_backtrack_tables *bt, uint32_t n_ids,
                                          const unsigned char *p, size_t n)
{
	const uint32_t *two = bt->two_byte + 2 * ((size_t)p[0] << 8 | p[1]);
	const uint32_t mask = bt->n_states - 1;
	uint32_t v = two[0], id = two[1];
	size_t i;

	if (n > 2) {
		uint64_t e;

		if (v > mask)
			return PA_RANK_NONE;
		e = bt->state[v];
		for (i = 2; i < n; i++) {
			e = bt->state[pa_trie_child(e, p[i])];
			if (!pa_trie_holds(e, p[i]))
				return PA_RANK_NONE;
		}
		id = (uint32_t)(e >> PA_TRIE_TOKEN_SHIFT);
	}
	return id < n_ids ? id : PA_RANK_NONE;
}

/* ---- the merge ---- */

/* What Pa_bpe_merge_backtrack returns when it cannot merge: bt has no
 * tables, or they turn out inconsistent (a damaged table file).  The
 * caller then merges with a merge queue (bpe.h). */
#define PA_BACKTRACK_FAILED ((size_t)-1)

/* Merges p[0..n) (n >= 1) with t's ranks and bt's tables like Pa_bpe_merge
 * and returns how many tokens the piece is, or PA_BACKTRACK_FAILED; ids
 * may be written to either way. */
size_t Pa_bpe_merge_backtrack(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                              const unsigned char *p, size_t n,
                              Pa_bpe_scratch *s, uint32_t *ids);

/* 1 when Pa_bpe_merge_backtrack takes p[0..n) in blocks: a unit of a
 * few bytes over and over, a kilobyte or more (backtrack.c), whose merge
 * costs a few blocks' merges, not one of every unit. */
int Pa_bpe_merges_in_blocks(const unsigned char *p, size_t n);

#endif
