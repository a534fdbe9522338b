/*
 * ranktable.h - the BPE ranks of a tokenizer: token bytes <-> rank, and
 * the `.patab` file that holds them.
 *
 * A token's rank is its id.  The table is one flat image, the same in
 * memory and on disk, so loading it is one mmap(2):
 *
 *   header | offsets[n_ids + 1] | buckets[n_buckets] | token bytes | section
 *
 * offsets[id]..offsets[id+1] are the bytes of token id (empty for ids the
 * vocabulary skips).  buckets is an open-addressing hash table of token
 * bytes -> id in which a bucket is one cache line of four slots, and a
 * slot holds the first 12 bytes of its token (zero-padded) with its id
 * and length, so finding a token of up to 12 bytes (97% of them, and
 * nearly every word of a text) reads one cache line, and a longer one
 * that line and its bytes.  A key goes in the first free slot from its
 * home bucket on, bucket after bucket; the table is sized for 2.4 keys a
 * bucket (60% full), so most keys are in their home bucket and most
 * lookups of what is not a token stop there, at a free slot.  The image
 * is in native byte order; the header says which, and a table from
 * another machine is rebuilt, not misread.
 *
 * The section, 64-byte aligned and running to the end of the image, holds
 * what another module derives from the ranks once (bpetables.h), and the
 * header keeps PA_SECTION_WORDS words that describe it.  This file stores
 * both and reads neither: it knows no merge algorithm.
 *
 * A file can be damaged or made by hand, so what the lookup trusts is
 * checked:
 *  - the header says how many buckets the longest probe sequence of any
 *    token visits (probe_limit), and a lookup visits no more: buckets
 *    without a free slot cannot make it loop;
 *  - two checksums (Pa_ranktable_checksum) cover the image: one the header
 *    and the ranks (offsets, buckets, token bytes), verified when the file
 *    is mapped, one the section, verified by Pa_ranktable_section_intact()
 *    when its user first needs it (the section of o200k_base is 10 MB,
 *    and short texts never need it);
 *  - ids and offsets are bounds-checked at every lookup all the same, so
 *    even a table with valid checksums cannot send a read out of bounds.
 */
#ifndef PA_RANKTABLE_H
#define PA_RANKTABLE_H

#include "base/base.h"

#include <string.h>

#define PA_RANK_NONE UINT32_MAX
/* Every id, rank or special token, is below this: ids index arrays of
 * n_ids entries (offsets here, the merges' buckets), so a stray large
 * rank in a rank file would otherwise ask for gigabytes.  The largest
 * vocabularies in use have about 2^18 tokens. */
#define PA_RANK_LIMIT (1u << 24)
#define PA_SECTION_WORDS 4 /* header words kept for the derived section */
#define PA_RANKTABLE_MAGIC "PATAB\r\n\032"
#define PA_RANKTABLE_VERSION 5
#define PA_RANKTABLE_ORDER 0x01020304u
#define PA_RANK_SLOTS 4        /* slots in a bucket: one 64-byte cache line */
#define PA_RANK_INLINE 12      /* bytes of a key its slot holds */

/* The image's header, as on disk; every array after it is 8-byte
 * aligned, the buckets and the section 64-byte aligned.  Exposed for tests that damage a
 * table on purpose. */
typedef struct Pa_ranktable_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;   /* PA_RANKTABLE_ORDER as written */
	uint32_t n_ids;
	uint32_t n_buckets;
	uint64_t n_bytes;
	char sha256[64];
	uint32_t section_head[PA_SECTION_WORDS]; /* the derived section's */
	uint32_t probe_limit;  /* 1..n_buckets: the most buckets a lookup visits */
	uint32_t reserved;     /* 0; keeps the checksums 8-byte aligned */
	/* Of the header (with both checksums 0) and offsets..section start. */
	uint64_t ranks_checksum;
	uint64_t section_checksum; /* of the section */
} Pa_ranktable_header;

/* A slot of the hash table.  A key's bytes are read as native words, as
 * they are when looked up (Pa_rank_key). */
typedef struct Pa_rank_slot {
	uint64_t head;   /* bytes 0-7 of the token, zero-padded */
	uint32_t tail;   /* bytes 8-11, zero-padded */
	uint32_t id_len; /* id (low 24 bits) and length (high 8, at most 255);
	                    0: a free slot (no token is empty) */
} Pa_rank_slot;

/* Where the arrays of an image with header h start, in bytes from its
 * start; the section runs from `section` to the end of the image. */
typedef struct Pa_ranktable_layout {
	size_t offsets, buckets, bytes, section;
} Pa_ranktable_layout;

Pa_ranktable_layout Pa_ranktable_layout_of(const Pa_ranktable_header *h);

typedef struct Pa_ranktable {
	const uint32_t *offsets;  /* n_ids + 1 entries */
	const Pa_rank_slot *slots; /* PA_RANK_SLOTS * n_buckets */
	const unsigned char *bytes;
	uint32_t n_ids;          /* one more than the largest rank */
	uint32_t n_bytes;        /* size of the token byte pool */
	uint32_t n_buckets;
	uint32_t probe_limit;    /* the most buckets a lookup visits */
	uint32_t byte_rank[256]; /* rank of each single byte */
	/* The derived section and the header words that describe it, both
	 * opaque here; empty and zero when nothing was derived. */
	const unsigned char *section;
	size_t section_len;
	uint32_t section_head[PA_SECTION_WORDS];
	char sha256[65];         /* of the .tiktoken file the table came from */
	void *image;             /* what backs the arrays above */
	size_t image_len;
	int mapped;              /* image is mmapped (else malloc'ed) */
} Pa_ranktable;

/* Builds a table from rank text in the .tiktoken format (one token a
 * line: base64 bytes, a space, the decimal rank).  `file` names it in
 * errors. */
pa_status Pa_ranktable_parse(const char *text, size_t len, const char *file,
                             Pa_ranktable *out, pa_error *err);

/* Gives t, which Pa_ranktable_parse() made, a zeroed section of len bytes
 * in place of any it had, described by head.  Returns the section for the
 * caller to fill in; t's pointers are updated (the image may move). */
void *Pa_ranktable_set_section(Pa_ranktable *t,
                               const uint32_t head[PA_SECTION_WORDS], size_t len);

/* Maps a table written by Pa_ranktable_write(), after checking its
 * header and the checksum of its ranks.  A missing file is
 * PA_ERR_NOT_FOUND; one that is not a table of this format and machine,
 * or is damaged, PA_ERR_CHECKSUM with a message that says to rebuild it. */
pa_status Pa_ranktable_map(const char *path, Pa_ranktable *out, pa_error *err);

/* A run of 8-byte words of the section whose low 32 bits its user reads
 * as indexes without a bounds check of each: every one must lie below
 * `below`, a power of two.  at is an offset in the section and both it
 * and the run's bytes are multiples of 64 (the checksum's blocks). */
typedef struct Pa_section_bound {
	size_t at;
	size_t words;
	uint32_t below;
} Pa_section_bound;

/* 1 when t's section matches its checksum and, with bound, the words it
 * names lie below its limit (always 1 for a table built in memory, which
 * this program derived).  Reads the whole section once, both checks in
 * one pass: call it once, when first needed.  A checksum shows a file
 * undamaged, not that this program made it, hence the bound. */
int Pa_ranktable_section_intact(const Pa_ranktable *t, const Pa_section_bound *bound);

/* Writes the image of t, which Pa_ranktable_parse() made, to path
 * atomically, with its checksums (stored in t too). */
pa_status Pa_ranktable_write(Pa_ranktable *t, const char *path, pa_error *err);

void Pa_ranktable_release(Pa_ranktable *t);

/* A checksum of p[0..n), continuing from seed: eight lanes of Fletcher's
 * two sums over 8-byte words (a lane's words, and the running sums of
 * those), mixed at the end.  Adds only, so it runs at the speed of memory
 * (2.5 times the multiply-rotate lanes of format 3, which was most of the
 * start-up); the first sum of a lane changes with any change to one of
 * its words, the second with the order of its words.  Exposed for tests. */
uint64_t Pa_ranktable_checksum(const void *p, size_t n, uint64_t seed);

/* A key to look up: the first PA_RANK_INLINE bytes of p[0..n), zero-
 * padded, as a slot holds them, and the hash of all n.  The hash is
 * stable across builds (the table stores keys by it, so changing it needs
 * a new PA_RANKTABLE_VERSION). */
typedef struct Pa_rank_key {
	uint64_t head;
	uint32_t tail;
	uint32_t len8;   /* min(n, 255) << 24, as in a slot's id_len */
	uint64_t hash;
} Pa_rank_key;

/* The bytes p[0..n) (n <= 8) as memcpy into a zeroed word gives them,
 * without a call: on a little-endian machine two overlapping loads for 4
 * bytes or more, three single bytes below. */
static inline uint64_t pa_rank_load_upto8(const unsigned char *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		return lo | (uint64_t)hi << (8 * (n - 4));
	}
	if (n == 0)
		return 0;
	return p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) |
	       (uint64_t)p[n - 1] << (8 * (n - 1));
#else
	uint64_t w = 0;
	memcpy(&w, p, n);
	return w;
#endif
}

static inline uint64_t pa_rank_mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return h;
}

/* The hash of a key before the bytes past PA_RANK_INLINE and the last
 * mix: its first 12 bytes (head, tail) and its length. */
static inline uint64_t pa_rank_hash_start(uint64_t head, uint32_t tail, size_t n)
{
	uint64_t h = (head ^ 0x9E3779B97F4A7C15ull) * 0xff51afd7ed558ccdull;

	return h ^ ((uint64_t)tail << 32 | (uint32_t)n) * 0x94d049bb133111ebull;
}

static inline Pa_rank_key pa_rank_key_of(const unsigned char *p, size_t n)
{
	Pa_rank_key k;
	uint64_t h;

	if (n >= PA_RANK_INLINE) {
		memcpy(&k.head, p, 8);
		memcpy(&k.tail, p + 8, 4);
	} else if (n > 8) {
		memcpy(&k.head, p, 8);
		k.tail = (uint32_t)pa_rank_load_upto8(p + 8, n - 8);
	} else {
		k.head = pa_rank_load_upto8(p, n);
		k.tail = 0;
	}
	k.len8 = (uint32_t)(n < 255 ? n : 255) << 24;
	h = pa_rank_hash_start(k.head, k.tail, n);
	if (n > PA_RANK_INLINE) {
		/* The rest, 8 bytes at a time, the last word zero-padded:
		 * loaded, not copied into a zeroed word on the stack, which
		 * the processor could only read back once the copy's
		 * narrower stores had gone (a stall at every long piece). */
		size_t i;
		for (i = PA_RANK_INLINE; i + 8 <= n; i += 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			h = pa_rank_mix(h ^ w);
		}
		if (i < n)
			h = pa_rank_mix(h ^ pa_rank_load_upto8(p + i, n - i));
	}
	k.hash = pa_rank_mix(h);
	return k;
}

/* The hash of the key of a piece of n <= PA_RANK_INLINE bytes, from its
 * head and tail: what pa_rank_key_of() computes for it. */
static inline uint64_t pa_rank_hash_short(uint64_t head, uint32_t tail, size_t n)
{
	return pa_rank_mix(pa_rank_hash_start(head, tail, n));
}

/* The key of a piece of n <= PA_RANK_INLINE bytes with at least 16
 * readable bytes from p (the text goes on after it), without its hash
 * (0): the first 12 bytes are loaded whole and masked to n, so the key of
 * a short piece takes no branch on its length (which is random in a text,
 * and costs a mispredicted branch there).  A count looks most pieces up
 * in memos indexed by their bytes (piececache.h) and finds them; only
 * those it misses need the hash (pa_rank_hash_short()). */
static inline Pa_rank_key pa_rank_key_unhashed(const unsigned char *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* The bytes of a piece of n bytes in head and tail, by n up to
	 * PA_RANK_INLINE: a load and an and, not a shift by a length. */
	static const struct {
		uint64_t head;
		uint32_t tail;
	} mask[PA_RANK_INLINE + 1] = {
		{ 0, 0 },
		{ 0xFFull, 0 },
		{ 0xFFFFull, 0 },
		{ 0xFFFFFFull, 0 },
		{ 0xFFFFFFFFull, 0 },
		{ 0xFFFFFFFFFFull, 0 },
		{ 0xFFFFFFFFFFFFull, 0 },
		{ 0xFFFFFFFFFFFFFFull, 0 },
		{ ~0ull, 0 },
		{ ~0ull, 0xFFu },
		{ ~0ull, 0xFFFFu },
		{ ~0ull, 0xFFFFFFu },
		{ ~0ull, 0xFFFFFFFFu },
	};
	Pa_rank_key k;
	uint64_t head;
	uint32_t tail;

	memcpy(&head, p, 8);
	memcpy(&tail, p + 8, 4);
	k.head = head & mask[n].head;
	k.tail = tail & mask[n].tail;
	k.len8 = (uint32_t)n << 24;
	k.hash = 0;
	return k;
#else
	return pa_rank_key_of(p, n);
#endif
}

/* pa_rank_key_of() for a piece with at least 16 readable bytes from p. */
static inline Pa_rank_key pa_rank_key_padded(const unsigned char *p, size_t n)
{
	Pa_rank_key k;

	if (n > PA_RANK_INLINE)
		return pa_rank_key_of(p, n);
	k = pa_rank_key_unhashed(p, n);
	k.hash = pa_rank_hash_short(k.head, k.tail, n);
	return k;
}

/* The home bucket of a key: the hash's high half scaled to n_buckets. */
static inline uint32_t pa_rank_home(uint64_t hash, uint32_t n_buckets)
{
	return (uint32_t)((hash >> 32) * n_buckets >> 32);
}

/* The home bucket of key k (a cache line): what a batch of lookups
 * fetches ahead, so that the batch waits for its cache misses together,
 * not one after another. */
static inline const Pa_rank_slot *pa_ranktable_bucket_of(const Pa_ranktable *t,
                                                         const Pa_rank_key *k)
{
	return t->slots + (size_t)pa_rank_home(k->hash, t->n_buckets) * PA_RANK_SLOTS;
}

/* The rank of the key k of p[0..n), or PA_RANK_NONE. */
static inline uint32_t pa_ranktable_find_key(const Pa_ranktable *t,
                                             const Pa_rank_key *k,
                                             const unsigned char *p, size_t n)
{
	uint32_t b = pa_rank_home(k->hash, t->n_buckets), i, j;

	/* Every token lies within probe_limit buckets of its home, so
	 * stopping there loses nothing, and a table with no free slot (a
	 * damaged or hostile file) cannot make the loop endless. */
	for (i = 0; i < t->probe_limit; i++) {
		const Pa_rank_slot *s = t->slots + (size_t)b * PA_RANK_SLOTS;

		for (j = 0; j < PA_RANK_SLOTS; j++) {
			uint32_t id;

			if (s[j].id_len == 0)
				return PA_RANK_NONE;
			if (s[j].head != k->head || s[j].tail != k->tail ||
			    (s[j].id_len & 0xFF000000u) != k->len8)
				continue;
			/* The id and offset checks cost next to nothing and
			 * keep a table whose checksums were forged too from
			 * sending reads out of bounds. */
			id = s[j].id_len & 0xFFFFFFu;
			if (id >= t->n_ids)
				continue;
			if (n <= PA_RANK_INLINE)
				return id;
			{
				uint32_t start = t->offsets[id];
				if (t->offsets[id + 1] - start == n && start <= t->n_bytes &&
				    n <= t->n_bytes - start &&
				    memcmp(t->bytes + start + PA_RANK_INLINE, p + PA_RANK_INLINE,
				           n - PA_RANK_INLINE) == 0)
					return id;
			}
		}
		b = b + 1 < t->n_buckets ? b + 1 : 0;
	}
	return PA_RANK_NONE;
}

/* The rank of the byte string p[0..n), or PA_RANK_NONE. */
static inline uint32_t pa_ranktable_find(const Pa_ranktable *t,
                                         const unsigned char *p, size_t n)
{
	Pa_rank_key k = pa_rank_key_of(p, n);
	return pa_ranktable_find_key(t, &k, p, n);
}

#endif
