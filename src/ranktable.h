/*
 * ranktable.h - the BPE ranks of a tokenizer: token bytes <-> rank, and
 * the `.patab` file that holds them.
 *
 * A token's rank is its id.  The table is one flat image, the same in
 * memory and on disk, so loading it is one mmap(2):
 *
 *   header | offsets[n_ids + 1] | slots[n_slots] | token bytes | section
 *
 * offsets[id]..offsets[id+1] are the bytes of token id (empty for ids the
 * vocabulary skips).  slots is an open-addressing hash table (linear
 * probing, load <= 1/2): each slot holds a token id in its low 32 bits
 * and the high 32 bits of the key's hash, so a probe rarely has to
 * compare bytes.  The image is in native byte order; the header says which,
 * and a table from another machine is rebuilt, not misread.
 *
 * The section, 8-byte aligned and running to the end of the image, holds
 * what another module derives from the ranks once (bpetables.h), and the
 * header keeps PA_SECTION_WORDS words that describe it.  This file stores
 * both and reads neither: it knows no merge algorithm.
 *
 * A file can be damaged or made by hand, so what the lookup trusts is
 * checked:
 *  - the header says how many slots the longest probe sequence of any
 *    token visits (probe_limit), and a lookup visits no more: a slot
 *    region without an empty slot cannot make it loop;
 *  - two checksums (pa_ranktable_checksum) cover the image: one the header
 *    and the ranks (offsets, slots, token bytes), verified when the file
 *    is mapped, one the section, verified by pa_ranktable_section_intact()
 *    when its user first needs it (the section of o200k_base is 10 MB,
 *    and most texts never need it: verifying it at every start would
 *    double the start-up time);
 *  - ids and offsets are bounds-checked at every lookup all the same, so
 *    even a table with valid checksums cannot send a read out of bounds.
 */
#ifndef PA_RANKTABLE_H
#define PA_RANKTABLE_H

#include "internal.h"

#include <string.h>

#define PA_RANK_NONE UINT32_MAX
/* Every id, rank or special token, is below this: ids index arrays of
 * n_ids entries (offsets here, the merges' buckets), so a stray large
 * rank in a rank file would otherwise ask for gigabytes.  The largest
 * vocabularies in use have about 2^18 tokens. */
#define PA_RANK_LIMIT (1u << 24)
#define PA_SECTION_WORDS 4 /* header words kept for the derived section */
#define PA_RANKTABLE_MAGIC "PATAB\r\n\032"
#define PA_RANKTABLE_VERSION 3
#define PA_RANKTABLE_ORDER 0x01020304u

/* The image's header, as on disk; every array after it is 8-byte
 * aligned.  Exposed for tests that damage a table on purpose. */
typedef struct pa_ranktable_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;   /* PA_RANKTABLE_ORDER as written */
	uint32_t n_ids;
	uint32_t n_slots;
	uint64_t n_bytes;
	char sha256[64];
	uint32_t section_head[PA_SECTION_WORDS]; /* the derived section's */
	uint32_t probe_limit;  /* 1..n_slots: the most slots a lookup visits */
	uint32_t reserved;     /* 0; keeps the checksums 8-byte aligned */
	/* Of the header (with both checksums 0) and offsets..section start. */
	uint64_t ranks_checksum;
	uint64_t section_checksum; /* of the section */
} pa_ranktable_header;

typedef struct pa_ranktable {
	const uint32_t *offsets; /* n_ids + 1 entries */
	const uint64_t *slots;   /* n_slots entries; empty is UINT64_MAX */
	const unsigned char *bytes;
	uint32_t n_ids;          /* one more than the largest rank */
	uint32_t n_bytes;        /* size of the token byte pool */
	uint32_t slot_mask;      /* n_slots - 1 */
	uint32_t probe_limit;    /* the most slots a lookup visits */
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
} pa_ranktable;

/* Builds a table from rank text in the .tiktoken format (one token a
 * line: base64 bytes, a space, the decimal rank).  `file` names it in
 * errors. */
pa_status pa_ranktable_parse(const char *text, size_t len, const char *file,
                             pa_ranktable *out, pa_error *err);

/* Gives t, which pa_ranktable_parse() made, a zeroed section of len bytes
 * in place of any it had, described by head.  Returns the section for the
 * caller to fill in; t's pointers are updated (the image may move). */
void *pa_ranktable_set_section(pa_ranktable *t,
                               const uint32_t head[PA_SECTION_WORDS], size_t len);

/* Maps a table written by pa_ranktable_write(), after checking its
 * header and the checksum of its ranks.  A missing file is
 * PA_ERR_NOT_FOUND; one that is not a table of this format and machine,
 * or is damaged, PA_ERR_CHECKSUM with a message that says to rebuild it. */
pa_status pa_ranktable_map(const char *path, pa_ranktable *out, pa_error *err);

/* 1 when t's section matches its checksum (always, for a table built in
 * memory).  Reads the whole section: call it once, when first needed. */
int pa_ranktable_section_intact(const pa_ranktable *t);

/* Writes the image of t, which pa_ranktable_parse() made, to path
 * atomically, with its checksums (stored in t too). */
pa_status pa_ranktable_write(pa_ranktable *t, const char *path, pa_error *err);

void pa_ranktable_release(pa_ranktable *t);

/* A checksum of p[0..n), continuing from seed: four lanes of a
 * multiply-rotate over 8-byte words, so the multiplies overlap and it
 * runs at memory speed.  Every step is a bijection of a lane, so damage
 * to any one word always changes it.  Exposed for tests. */
uint64_t pa_ranktable_checksum(const void *p, size_t n, uint64_t seed);

/* The hash used for slots; exposed so the BPE can hash once. */
static inline uint64_t pa_rank_hash(const unsigned char *p, size_t n)
{
	/* A multiply-xorshift hash over 8-byte words: fast for the short
	 * keys BPE looks up, and stable across builds (the table stores
	 * hashes, so changing it needs a new PA_RANKTABLE_VERSION). */
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0x94d049bb133111ebull;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

/* The rank of the byte string p[0..n), or PA_RANK_NONE. */
static inline uint32_t pa_ranktable_find(const pa_ranktable *t,
                                         const unsigned char *p, size_t n)
{
	uint64_t h = pa_rank_hash(p, n);
	uint32_t tag = (uint32_t)(h >> 32);
	uint32_t i = (uint32_t)h & t->slot_mask;
	uint32_t k;

	/* Every token lies within probe_limit slots of its hash's, so
	 * stopping there loses nothing, and a table with no empty slot
	 * (a damaged or hostile file) cannot make the loop endless. */
	for (k = 0; k < t->probe_limit; k++) {
		uint64_t s = t->slots[i];
		if (s == UINT64_MAX)
			return PA_RANK_NONE;
		/* The id and offset checks cost next to nothing and keep a
		 * table whose checksums were forged too from sending reads
		 * out of bounds. */
		if ((uint32_t)(s >> 32) == tag && (uint32_t)s < t->n_ids) {
			uint32_t id = (uint32_t)s;
			uint32_t start = t->offsets[id];
			if (t->offsets[id + 1] - start == n && start + n <= t->n_bytes &&
			    memcmp(t->bytes + start, p, n) == 0)
				return id;
		}
		i = (i + 1) & t->slot_mask;
	}
	return PA_RANK_NONE;
}

#endif
