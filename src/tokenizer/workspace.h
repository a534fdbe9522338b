/*
 * workspace.h - what encoding keeps between calls on one thread: the
 * merges' working memory (bpescratch.h), the memo of merged pieces and
 * that of the tokens used lately (piececache.h).
 *
 * count reads a stream in blocks and makes a call per block; check makes
 * a call per agent.  Built afresh for every call, the memo started empty
 * at each block and the scratch allocated and zeroed its pair memo each
 * time.  Kept per thread instead, both warm once: threads never share a
 * workspace, so a tokenizer stays shareable and nothing is locked.
 *
 * A workspace serves one tokenizer at a time, since what it remembers
 * are that tokenizer's tokens: Pa_workspace_get() empties it when asked
 * for another.  Tokenizers are told apart by a serial number given at
 * load and never reused, not by address (a new tokenizer may be given the
 * address of one freed).
 *
 * Ownership: the thread's.  It is freed when the thread ends, or by
 * Pa_workspace_release() on the thread (pa_tokenizer_free() calls it, so
 * a program that frees its tokenizers leaves nothing behind).
 */
#ifndef PA_WORKSPACE_H
#define PA_WORKSPACE_H

#include "bpescratch.h"
#include "cuts.h"
#include "piececache.h"

typedef struct Pa_workspace {
	Pa_bpe_scratch scratch;
	Pa_piece_cache cache;
	Pa_hot_tokens hot;
	Pa_memo_arena arena; /* the large memos' memory (memoarena.h) */
	Pa_cut_judge cut_judges[PA_CUTS_SCRIPTS];
	uint64_t serial; /* of the tokenizer it serves; 0: none yet */
} Pa_workspace;

/* A serial number for a tokenizer being loaded: never 0, never twice. */
uint64_t Pa_workspace_new_serial(void);

/* This thread's workspace, emptied first if it served another tokenizer
 * than `serial`. */
Pa_workspace *Pa_workspace_get(uint64_t serial);

/* Frees what w holds (its scratch and memos); w stays usable. */
void Pa_workspace_empty(Pa_workspace *w);

/* Called after each encoding: lets go of what a long piece made the
 * scratch take, so a thread keeps a bounded amount between calls. */
void Pa_workspace_trim(Pa_workspace *w);

/* Frees this thread's workspace, if it has one. */
void Pa_workspace_release(void);

#endif
