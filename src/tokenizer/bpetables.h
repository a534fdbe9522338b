/*
 * bpetables.h - the backtracking merge's tables (backtrack.h), derived
 * from a vocabulary's ranks once and kept in the section of its rank table
 * (ranktable.h).
 *
 * The tokenizer derives them when it compiles a `.patab` (make does that
 * for every bundled tokenizer) and when it has to load a tokenizer from
 * its rank text; a mapped `.patab` holds them already, and loading only
 * points at them.  Deriving takes 0.1 to 0.3 s for the bundled
 * vocabularies.
 *
 * The section is split | state | two_byte | pairs | pair_filter | cuts
 * (cuts.h), each array 8-byte aligned (the states 64-byte, eight to a
 * cache line), and its four header words are n_states, filter_words,
 * pair_slots and the section's format (3).  An empty section with zero
 * words is a vocabulary the merge cannot serve.
 *
 * Example: a vocabulary from rank text, then a piece merged with it.
 *
 *     Pa_ranktable t;
 *     Pa_backtrack_tables bt;
 *
 *     if (Pa_ranktable_parse(text, len, file, &t, &err) == PA_OK) {
 *         Pa_bpetables_derive(&t);
 *         Pa_bpetables_view(&t, &bt);
 *         n = Pa_bpe_merge(&t, &bt, piece, piece_len, &scratch, ids);
 *         ...
 *     }
 *
 * A mapped table goes straight to Pa_bpetables_view(), and a failure there
 * means the file must be rebuilt (the tokenizer reports it as damaged).
 */
#ifndef PA_BPETABLES_H
#define PA_BPETABLES_H

#include "backtrack.h"
#include "cuts.h"
#include "ranktable.h"

/* Derives the tables from the ranks of t, which Pa_ranktable_parse()
 * made, and stores them as t's section (replacing any).  A vocabulary the
 * merge cannot serve gets none. */
void Pa_bpetables_derive(Pa_ranktable *t);

/* Points *out into t's section; out->n_nodes is 0 when t has no tables.
 * Borrowed: valid until t is released or given another section.  Returns
 * PA_ERR_CHECKSUM, with *out empty, when the section is not what its
 * header words describe (a damaged file, or one from another build). */
pa_status Pa_bpetables_view(const Pa_ranktable *t, Pa_backtrack_tables *out);

/* The words of t's section that bt (its view) indexes without a bounds
 * check: the trie's states, whose bases must lie below n_states
 * (backtrack.h).  Pa_ranktable_section_intact() checks them with the
 * checksum; a caller asks that before the first merge and refuses tables
 * that fail as damaged.  0 when bt has no trie (nothing to bound). */
int Pa_bpetables_bound(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                       Pa_section_bound *out);

/* Points *out at the tables of cuts in t's section (cuts.h); out->filter
 * is NULL when t has none. */
void Pa_bpetables_cuts(const Pa_ranktable *t, Pa_cut_tables *out);

#endif
