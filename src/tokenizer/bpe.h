/*
 * bpe.h - byte-pair merging of one pre-tokenized piece, as tiktoken does
 * it: start from single bytes, repeatedly merge the adjacent pair whose
 * concatenation has the lowest rank (the leftmost on a tie) until no pair
 * is a token.
 *
 * Every piece goes to the backtracking merge of backtrack.h, linear and
 * left to right, when the caller has its tables (bpetables.h): its cost
 * per byte is about the same for every script, where tiktoken's order
 * costs more the longer the piece.  Without them (a vocabulary the merge
 * cannot serve, tables not verified yet, or tables that prove damaged),
 * short pieces use tiktoken's own quadratic scan and longer ones a merge
 * queue: a heap over a linked list, O(n log n), or from LONG_PIECE on a
 * bucket queue over ranks.  Pa_bpe_merge is the one place that makes that
 * choice; the merges never call one another.  All make the same choice at
 * every step, so the result is identical (tests/unit/test_bpe.c checks
 * each against the others).
 */
#ifndef PA_BPE_H
#define PA_BPE_H

#include "backtrack.h"
#include "bpescratch.h"
#include "ranktable.h"

/* Merges p[0..n) (n >= 1) with the ranks of t and the backtracking
 * tables bt when bt is not NULL and has them.  Writes the ids to ids
 * (room for n) when ids is not NULL; returns how many tokens the piece
 * is. */
size_t Pa_bpe_merge(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                    const unsigned char *p, size_t n, Pa_bpe_scratch *s,
                    uint32_t *ids);

/* The longest piece Pa_bpe_merge scans when it has no tables; longer ones
 * go to a merge queue. */
#define PA_BPE_SMALL_PIECE 128

/* tiktoken's scan for any length (quadratic: meant for short pieces and
 * single tokens).  Also stores in *last_join the offset at which its last
 * merge joined two parts (0 when nothing merged), which is where a token
 * splits into the two it was made from. */
size_t Pa_bpe_merge_scan(const Pa_ranktable *t, const unsigned char *p,
                         size_t n, Pa_bpe_scratch *s, uint32_t *ids,
                         size_t *last_join);

/* The heap merge for any length (n >= 1); Pa_bpe_merge uses it for long
 * pieces.  Exposed so tests can check it against the linear scan. */
size_t Pa_bpe_merge_heap(const Pa_ranktable *t, const unsigned char *p,
                         size_t n, Pa_bpe_scratch *s, uint32_t *ids);

/* The same merges for very long pieces with a bucket queue over ranks
 * instead of a heap: each pair is filed once under its rank and the ranks
 * are visited in order, so a merge costs O(1) instead of a heap's
 * O(log n) cache misses. */
size_t Pa_bpe_merge_buckets(const Pa_ranktable *t, const unsigned char *p,
                            size_t n, Pa_bpe_scratch *s, uint32_t *ids);

#endif
