/* tokenizer.c - encoding, counting and decoding text.
 *
 * Encoding is tiktoken's: normalize (claude: NFKC), split out special
 * tokens where the tokenizer recognizes them in text, pre-tokenize with
 * the manifest's pattern, then byte-pair merge each piece.  A piece that
 * is itself a token (most words) costs one hash lookup.  Finding, loading,
 * listing and compiling tokenizers is tokenizer_load.c's. */
#define _POSIX_C_SOURCE 200809L
#include "tokenizer_int.h"
#include "bpe.h"
#include "bpetables.h"
#include "nfkc.h"
#include "piececache.h"
#include "workspace.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Where tok's texts may be cut (pretok.h): as its pattern allows, unless
 * a special token it finds in text holds a line feed (a cut could fall
 * inside it). */
static int cut_rule(const pa_tokenizer *tok)
{
	size_t i;

	if (!tok->pretok)
		return PA_CUT_NEVER;
	for (i = 0; tok->m.specials_in_text && i < tok->m.n_specials; i++)
		if (memchr(tok->m.specials[i].text, '\n', tok->m.specials[i].len))
			return PA_CUT_NEVER;
	return Pa_pretok_cut_rule(tok->pretok);
}

/* What the first look at tok's merge tables finds: SECTION_INTACT when
 * the section's checksum holds and its trie is sound (bpetables.h), else
 * SECTION_DAMAGED. */
static int section_verdict(const pa_tokenizer *tok)
{
	Pa_section_bound bound;
	int bounded = Pa_bpetables_bound(&tok->table, &tok->tables, &bound);

	return Pa_ranktable_section_intact(&tok->table, bounded ? &bound : NULL)
	       ? SECTION_INTACT
	       : SECTION_DAMAGED;
}

void pa_tokenizer_keep_counts(pa_tokenizer *tok, size_t max_bytes)
{
	if (tok->kept) {
		Pa_count_memo_free(tok->kept->memo);
		pthread_mutex_destroy(&tok->kept->lock);
		free(tok->kept);
		tok->kept = NULL;
	}
	/* Only where a cut is safe (pa_tokenizer_safe_split). */
	if (max_bytes == 0 || cut_rule(tok) == PA_CUT_NEVER)
		return;
	/* A program that counts many texts verifies the merge tables now,
	 * so that damage fails every count alike, not the ones after the
	 * first 8 KB of merging (tables_for). */
	if (atomic_load(&tok->first_use->section) == SECTION_UNCHECKED)
		atomic_store(&tok->first_use->section, section_verdict(tok));
	tok->kept = Pa_xmalloc(sizeof(*tok->kept));
	pthread_mutex_init(&tok->kept->lock, NULL);
	tok->kept->memo = Pa_count_memo_new(max_bytes);
	tok->kept->rule = cut_rule(tok);
}

const char *pa_tokenizer_name(const pa_tokenizer *tok)
{
	return tok->m.name;
}

int pa_tokenizer_is_estimate(const pa_tokenizer *tok, const char *model)
{
	size_t i;

	if (!tok->m.estimate)
		return 0;
	for (i = 0; model && i < tok->m.n_exact_models; i++)
		if (!strncmp(model, tok->m.exact_models[i], strlen(tok->m.exact_models[i])))
			return 0;
	return 1;
}

const char *pa_tokenizer_error_band(const pa_tokenizer *tok)
{
	return tok->m.estimate ? tok->m.error_band : "";
}


/* ---- encoding ---- */

/* Where encoded ids go; counting passes ids == NULL and keeps only n.
 * The thread's workspace holds the scratch and the memo of pieces; own
 * stands in when the thread can have none. */
struct sink {
	uint32_t *ids;
	size_t n, cap;
	int want_ids;
	Pa_workspace *ws;
	Pa_workspace own;
};

static void sink_reserve(struct sink *s, size_t more)
{
	if (s->n + more <= s->cap)
		return;
	s->cap = s->n + more > 2 * s->cap ? s->n + more : 2 * s->cap;
	s->ids = Pa_xrealloc(s->ids, s->cap * sizeof(uint32_t));
}

/* Adds the token id. */
static void add_token(struct sink *s, uint32_t id)
{
	if (s->want_ids) {
		sink_reserve(s, 1);
		s->ids[s->n] = id;
	}
	s->n++;
}

/* The error for a pre-tokenizer that failed in a part of the text that
 * starts at byte base. */
static pa_status split_error(const pa_tokenizer *tok, const pa_error *why,
                             size_t base, pa_error *err)
{
	long long at = (long long)base + why->offset;

	Pa_error_set(err, why->status, NULL, 0, 0,
	             "cannot pre-tokenize at byte %lld%s with the pattern of "
	             "tokenizer '%s': %s", at,
	             tok->m.nfkc ? " of the NFKC form" : tok->m.nfc ? " of the NFC form" : "",
	             tok->m.name,
	             why->message);
	if (err)
		err->offset = at;
	return why->status;
}

/* Until the merge tables are verified, a tokenizer merges up to this
 * many bytes of pieces that are not tokens with the ranks alone
 * (tiktoken's scan, for pieces of up to PA_BPE_SMALL_PIECE bytes).
 * Verifying the tables reads all of them (14 MB for o200k_base: most of
 * a millisecond, in 2 MB pages; more in small ones, most of it mapping
 * them), which costs about what scanning this much does, so a short text
 * does not pay for it and a long one, or many short ones (check counts
 * thousands), pay once. */
#define SCAN_BUDGET 8192

/* Sets *bt to the backtracking tables for the merge of a piece of n
 * bytes, or to NULL when the piece is to be merged with the ranks alone.
 * The section that holds the tables is most of a mapped table, so its
 * checksum and its trie's bounds are verified when a text first needs
 * them, not at load. */
static pa_status tables_for(const pa_tokenizer *tok, size_t n,
                            const Pa_backtrack_tables **bt, pa_error *err)
{
	int state = atomic_load(&tok->first_use->section);

	*bt = NULL;
	if (state == SECTION_UNCHECKED && n <= PA_BPE_SMALL_PIECE &&
	    atomic_fetch_add(&tok->first_use->scanned, n) + n <= SCAN_BUDGET)
		return PA_OK;
	if (state == SECTION_UNCHECKED) {
		state = section_verdict(tok);
		atomic_store(&tok->first_use->section, state);
	}
	if (state == SECTION_DAMAGED)
		return Pa_error_set(err, PA_ERR_CHECKSUM, tok->table_path, 0, 0,
		                    "rank table is damaged (its merge tables fail their "
		                    "checksum or their bounds); rebuild it with make");
	*bt = &tok->tables;
	return PA_OK;
}

/* Adds the tokens of piece p[0..n), whose rank key is key, when it is a
 * piece merged before (the memo of pieces, or for an encoding's pieces
 * of up to PA_SHORT_PIECE bytes the memo of short pieces) or a token of
 * the rank table; returns 0 when it is neither.  The memo comes first
 * although it holds no single token: in a text the vocabulary knows less
 * well, most pieces that miss the memo of tokens are merged ones that
 * came before (cl100k, 2 MB of the Indic corpus: 302,600 of 307,200),
 * and the rank table's lookup, which probes until it is sure, cost
 * instructions for each (Indic 14%, Cyrillic 7% fewer in this order,
 * English 1%).
 *
 * With bt, the tables of a piece being cut, a part of up to
 * TRIE_LOOKUP_MOST bytes is looked up in the trie instead of the rank
 * table: the two-byte table and a step or a few, in states that lie
 * together for a script (backtrack.h), where the rank table's buckets
 * are spread over megabytes and a text's first sight of each character
 * missed the caches (40 KB of Chinese: 0.86x the time with cl100k_base,
 * 0.93x with o200k_base). */
#define TRIE_LOOKUP_MOST 6

static inline ALWAYS_INLINE int find_piece(const pa_tokenizer *tok,
                                           const Pa_backtrack_tables *bt,
                                           const unsigned char *p, size_t n,
                                           const Pa_rank_key *key, struct sink *s)
{
	const Pa_piece_entry *e = NULL;
	uint32_t id;

	if (s->want_ids && n <= PA_SHORT_PIECE) {
		/* An encoding keeps short pieces in the memo of short pieces
		 * only (piececache.h). */
		const Pa_short_slot *sh = pa_short_find(&s->ws->hot, key);

		if (sh) {
			sink_reserve(s, sh->count);
			s->ids[s->n] = sh->key.id_len & 0xFFFFFFu;
			memcpy(s->ids + s->n + 1, sh->more, (sh->count - 1) * sizeof(uint32_t));
			s->n += sh->count;
			return 1;
		}
	} else {
		e = pa_piece_cache_find(&s->ws->cache, key->hash, p, n);
	}
	if (e && (e->has_ids || !s->want_ids)) {
		if (s->want_ids) {
			sink_reserve(s, e->count);
			memcpy(s->ids + s->n, e->u.with_ids.ids, e->count * sizeof(uint32_t));
		} else {
			/* e was found: the memo of pieces exists. */
			Pa_hot_counts_put(&s->ws->hot, key, n, e->count);
		}
		s->n += e->count;
		return 1;
	}
	id = bt && n >= 2 && n <= TRIE_LOOKUP_MOST
	     ? pa_backtrack_token(bt, tok->table.n_ids, p, n)
	     : pa_ranktable_find_key(&tok->table, key, p, n);
	if (id == PA_RANK_NONE)
		return 0;
	Pa_hot_tokens_put(&s->ws->hot, key, n, id);
	add_token(s, id);
	return 1;
}

/* Adds the count tokens of piece p[0..n), whose rank key is key, and
 * which are the last ones of s when it keeps ids, and keeps them in the
 * memos. */
static inline ALWAYS_INLINE void keep_piece(const unsigned char *p, size_t n,
                                            const Pa_rank_key *key, size_t count,
                                            struct sink *s)
{
	if (s->want_ids && n <= PA_SHORT_PIECE)
		Pa_short_put(&s->ws->hot, key, n, s->ids + s->n, count);
	else
		Pa_piece_cache_put(&s->ws->cache, key->hash, p, n, count,
		                   s->want_ids ? s->ids + s->n : NULL);
	if (!s->want_ids && s->ws->cache.lines)
		Pa_hot_counts_put(&s->ws->hot, key, n, (uint32_t)count);
	s->n += count;
}

/* Merges piece p[0..n), whose rank key is key, and keeps its tokens in
 * the memos. */
static inline ALWAYS_INLINE void merge_piece(const pa_tokenizer *tok,
                                             const Pa_backtrack_tables *bt,
                                             const unsigned char *p, size_t n,
                                             const Pa_rank_key *key, struct sink *s)
{
	uint32_t *ids = NULL;

	if (s->want_ids) {
		sink_reserve(s, n);
		ids = s->ids + s->n;
	}
	keep_piece(p, n, key, Pa_bpe_merge(&tok->table, bt, p, n, &s->ws->scratch, ids), s);
}

/* Adds the tokens of a part of a piece cut where no token crosses
 * (cuts.h): the part's tokens are the piece's, so it goes through the
 * memos as a piece would, and mostly is a character or two found there.
 * Returns how many bytes it merged: 0 when the memos had it. */
static size_t encode_part(const pa_tokenizer *tok, const Pa_backtrack_tables *bt,
                          const unsigned char *p, size_t n, size_t readable,
                          struct sink *s)
{
	/* The memos of tokens and counts take a key without its hash, as in
	 * encode_ordinary(). */
	int short_part = n <= PA_RANK_INLINE && readable >= 16;
	Pa_rank_key key = short_part ? pa_rank_key_unhashed(p, n) : pa_rank_key_of(p, n);
	uint32_t id = pa_hot_tokens_find(&s->ws->hot, &key), count;

	if (id != PA_RANK_NONE) {
		add_token(s, id);
		return 0;
	}
	if (!s->want_ids && (count = pa_hot_counts_find(&s->ws->hot, &key)) != 0) {
		s->n += count;
		return 0;
	}
	if (short_part)
		key.hash = pa_rank_hash_short(key.head, key.tail, n);
	if (find_piece(tok, bt, p, n, &key, s))
		return 0;
	merge_piece(tok, bt, p, n, &key, s);
	return n;
}

/* Pieces shorter than this are merged whole, not looked at for cuts; a
 * part that has no cut in its first CUT_SPAN bytes runs to the end of
 * its piece (the parts of Chinese are 3 to 24 bytes with o200k_base,
 * those of Thai up to 225), and so does the rest of a piece once more
 * than a quarter of its first CUT_TRIAL bytes or more were merged (a
 * megabyte of random letters; the memos fill in the first few hundred
 * bytes of a text, so a judgement sooner would take every piece for one
 * whose parts are merged). */
#define CUT_MIN 16
#define CUT_SPAN 256
#define CUT_TRIAL 16384
#define CUT_BATCH 64 /* cuts found at a time */

/* Adds the tokens of piece p[0..n) (n >= CUT_MIN), whose rank key is key
 * and which the memos missed: in parts where it can be cut, when cutting
 * pays for its script (cuts.h), else merged whole.  A function of its
 * own: inlined in the loop over pieces, it made the compiler keep that
 * loop's values worse (English: 2% more instructions). */
static NOINLINE void encode_long_piece(const pa_tokenizer *tok,
                                       const Pa_backtrack_tables *bt,
                                       const unsigned char *p, size_t n,
                                       const Pa_rank_key *key, struct sink *s)
{
	size_t script = pa_cuts_script(p, n);
	Pa_cut_judge *judge = &s->ws->cut_judges[script];
	size_t cut[CUT_BATCH], n_cuts, next = 0, from, to;
	size_t before = s->n, merged = 0, count;

	/* Merged whole, not cut: a long piece of a script of two-byte
	 * characters (Latin beyond ASCII, Greek, Cyrillic, Armenian, Hebrew,
	 * Arabic, Syriac, Thaana, N'Ko), which are written with spaces, so
	 * the piece is a word (its parts are mostly found in the memos, which
	 * is what the judge asks, but the search for cuts and a lookup a part
	 * cost more than the word's merge: 40 KB of Greek, o200k_base, 0.91x
	 * the time uncut); a run of one emoji or one character, merged in
	 * blocks for less than the lookups of its parts (a megabyte of one
	 * emoji with cl100k_base: 0.3x the time); and a piece of a script
	 * whose judge says cutting does not pay, asked last since asking
	 * counts down its rest. */
	if ((script >= 0xC0 && script < 0xE0) || Pa_bpe_merges_in_blocks(p, n) ||
	    !pa_cuts_pay(judge)) {
		merge_piece(tok, bt, p, n, key, s);
		return;
	}
	n_cuts = Pa_cuts_find(&tok->cuts, p, n, 0, CUT_SPAN, cut, CUT_BATCH);
	if (n_cuts == 0) { /* looked at in vain: all of it is merged */
		Pa_cuts_judge(judge, n, n);
		merge_piece(tok, bt, p, n, key, s);
		return;
	}
	for (from = 0; from < n; from = to) {
		if (next == CUT_BATCH) { /* a full batch used: on from its last */
			n_cuts = Pa_cuts_find(&tok->cuts, p, n, from, CUT_SPAN, cut, CUT_BATCH);
			next = 0;
		}
		/* No cut near, or a long piece whose parts have mostly been
		 * merged all the same (random letters): the rest is one part. */
		if (next == n_cuts || (from >= CUT_TRIAL && 4 * merged > from))
			to = n;
		else
			to = cut[next++];
		merged += encode_part(tok, bt, p + from, to - from, n - from, s);
	}
	Pa_cuts_judge(judge, n, merged);
	/* The piece may come back whole (a word of Thai). */
	count = s->n - before;
	s->n = before;
	keep_piece(p, n, key, count, s);
}

/* Adds the tokens of piece p[0..n), whose rank key is key: from the memos
 * or the rank table, else merged, whole or in parts.  A long piece that
 * the memos miss is mostly a phrase of a script written without spaces,
 * which never comes back whole but whose characters do.  Inlined in
 * encode_batches() in WebAssembly, it made that the largest function of
 * the count, which V8 took 30 ms to optimize. */
static WASM_NOINLINE pa_status encode_piece(const pa_tokenizer *tok,
                                            const unsigned char *p, size_t n,
                                            const Pa_rank_key *key, struct sink *s,
                                            pa_error *err)
{
	const Pa_backtrack_tables *bt;
	pa_status st;

	if (find_piece(tok, NULL, p, n, key, s))
		return PA_OK;
	st = tables_for(tok, n, &bt, err);
	if (st != PA_OK)
		return st;
	if (bt && n >= CUT_MIN && tok->cuts.filter)
		encode_long_piece(tok, bt, p, n, key, s);
	else
		merge_piece(tok, bt, p, n, key, s);
	return PA_OK;
}

/* Pieces split at a time: their buckets are fetched together.  A window
 * of the pre-tokenizer hands over no more pieces than the batch has room
 * for, and the next one classifies the rest again: with 32, a window of
 * English moved on 45 of its 64 bytes, with 128 53 (with no limit 56);
 * English took 3% to 5% fewer instructions. */
#define BATCH 128

/* Batches encoded by one call of encode_batches(): about 16 KB of
 * English.  WebAssembly's engines replace a function with optimized
 * code only at its next call (V8 has no on-stack replacement for it), so
 * one call over a block of a megabyte ran all of it in the baseline
 * code: the npm package took 39 ms for the first megabyte of a count
 * where the native program took 11.  Natively, all in one call. */
#if defined(__wasm__)
#define BATCHES_PER_CALL 64
#else
#define BATCHES_PER_CALL INT_MAX
#endif

/* The cache lines the second pass of a batch will read (a bucket of the
 * rank table, a set of the memo of pieces), fetched ahead by the first:
 * natively a prefetch each.  WebAssembly has none (the npm package): there
 * the first pass keeps the lines and reads them back to back once it ends
 * (touch_all()), a load each whose value is thrown away, so that their
 * misses overlap.  A load holds its place in the processor until its line
 * has come, so one in its place in the first pass, among the pass's other
 * work, waited alone: the miss moved from the second pass to the first
 * and the package took the time it took without any.  Read together
 * (`perf` of the package on the mixed corpus), the two passes took 14% of
 * its samples instead of 19%. */
#if defined(__wasm__)
#define FETCH_AHEAD(line) (ahead[n_ahead++] = (const void *)(line))

/* Reads the first byte of each of lines[0..n), one after another without
 * waiting for any. */
static inline void touch_all(const void *const *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		(void)*(const volatile unsigned char *)lines[i];
}
#else
#define FETCH_AHEAD(line) pa_prefetch(line)
#endif

/* Encodes up to BATCHES_PER_CALL batches of text[0..len) from *pos on,
 * moving *pos past them.  Returns the batch count's last answer: 0 at
 * the end of the text, < 0 on an error (*why), > 0 when text is left.
 * A batch is taken in two passes: the first makes each piece's key and
 * looks in the memo of tokens, and asks for the memory the others will
 * read; the second encodes those others, when it has come.  A count takes
 * a memo hit in the first pass already, a token or a short piece of
 * several tokens, and the second sees only the rest (English: nine pieces
 * in ten are hits); ids go out in the order of the pieces, so an encoding
 * keeps every piece for the second. */
static WASM_NOINLINE long encode_batches(const pa_tokenizer *tok, const char *text,
                                         size_t len, size_t *pos, struct sink *s,
                                         pa_error *why, pa_error *err, pa_status *st_out)
{
	size_t starts[BATCH], ends[BATCH];
	/* The pieces left to the second pass: which, their keys, and the
	 * token the memo of tokens found (an encoding keeps every piece). */
	Pa_rank_key keys[BATCH];
	uint32_t hot[BATCH], rest[BATCH];
	long got = 0, k, n_rest;
	int batches;
#if defined(__wasm__)
	const void *ahead[3 * BATCH];
	size_t n_ahead;
#endif

	for (batches = 0; batches < BATCHES_PER_CALL; batches++) {
		/* The first pass counts in a local, and keeps the key of a
		 * piece only for the second: s->n and keys[], in memory,
		 * cost a load and stores at each piece. */
		size_t counted = 0;

		got = Pa_pretok_next_batch(tok->pretok, text, len, pos, starts, ends, BATCH,
		                           why);
		if (got <= 0)
			break;
		n_rest = 0;
#if defined(__wasm__)
		n_ahead = 0;
#endif
		for (k = 0; k < got; k++) {
			const unsigned char *p = (const unsigned char *)text + starts[k];
			size_t n = ends[k] - starts[k];
			/* The memos take a key without its hash, made
			 * when they miss. */
			Pa_rank_key key = n <= PA_RANK_INLINE && len - starts[k] >= 16
			                  ? pa_rank_key_unhashed(p, n)
			                  : pa_rank_key_of(p, n);
			uint32_t id = pa_hot_tokens_find(&s->ws->hot, &key);

			if (id == PA_RANK_NONE) {
				uint32_t count = s->want_ids ? 0
				                 : pa_hot_counts_find(&s->ws->hot, &key);
				if (count) {
					counted += count;
					continue;
				}
				if (n <= PA_RANK_INLINE)
					key.hash = pa_rank_hash_short(key.head, key.tail, n);
				FETCH_AHEAD(pa_ranktable_bucket_of(&tok->table, &key));
				if ((!s->want_ids || n > PA_SHORT_PIECE) && s->ws->cache.lines) {
					const Pa_piece_entry *set =
					        pa_piece_cache_set_of(&s->ws->cache, key.hash);

					FETCH_AHEAD(set);
					FETCH_AHEAD(set + 1);
				}
			} else if (!s->want_ids) {
				counted++;
				continue;
			}
			keys[n_rest] = key;
			hot[n_rest] = id;
			rest[n_rest++] = (uint32_t)k;
		}
		s->n += counted;
#if defined(__wasm__)
		touch_all(ahead, n_ahead);
#endif
		for (k = 0; k < n_rest; k++) {
			uint32_t r = rest[k];
			pa_status st;

			if (hot[k] != PA_RANK_NONE) {
				add_token(s, hot[k]);
				continue;
			}
			st = encode_piece(tok, (const unsigned char *)text + starts[r],
			                  ends[r] - starts[r], &keys[k], s, err);
			if (st != PA_OK) {
				*st_out = st;
				return -1;
			}
		}
	}
	return got;
}

/* Encodes text[0..len), which starts at byte base of the whole text. */
static pa_status encode_ordinary(const pa_tokenizer *tok, const char *text,
                                 size_t len, size_t base, struct sink *s,
                                 pa_error *err)
{
	size_t pos = 0;
	pa_error why;
	pa_status st = PA_OK;
	long got;

	while ((got = encode_batches(tok, text, len, &pos, s, &why, err, &st)) > 0)
		;
	if (st != PA_OK)
		return st;
	return got < 0 ? split_error(tok, &why, base, err) : PA_OK;
}

/* The first special token in text[0..len), by position; of those at one
 * position the longest.  One pass, which stops at the first special: at
 * each byte that starts one (memchr() for it, when they all start alike,
 * as claude's <EOT>, <META> ... do) every special is tried.  A pass per
 * special, each to its own first match, went to the end of the text for
 * every special the text lacks, again after each special found: claude
 * took 8 s to count 140 KB of "<EOT> x" and two minutes for 560 KB. */
static const Pa_special *find_special(const pa_tokenizer *tok, const char *text,
                                      size_t len, size_t *at)
{
	const Pa_special *sp = tok->m.specials, *best;
	size_t n = tok->m.n_specials, i, k;

	for (i = 0; i < len; i++) {
		if (tok->special_first >= 0) {
			const char *hit = memchr(text + i, tok->special_first, len - i);

			if (!hit)
				break;
			i = (size_t)(hit - text);
		} else if (!tok->special_starts[(unsigned char)text[i]]) {
			continue;
		}
		best = NULL;
		for (k = 0; k < n; k++)
			if (sp[k].len > 0 && sp[k].len <= len - i &&
			    memcmp(text + i, sp[k].text, sp[k].len) == 0 &&
			    (!best || sp[k].len > best->len))
				best = &sp[k];
		if (best) {
			*at = i;
			return best;
		}
	}
	*at = len;
	return NULL;
}

static pa_status encode_text(const pa_tokenizer *tok, const char *text,
                             size_t len, struct sink *s, pa_error *err)
{
	const char *begin = text;

	if (!tok->m.specials_in_text || tok->m.n_specials == 0)
		return encode_ordinary(tok, text, len, 0, s, err);
	while (len > 0) {
		size_t at;
		const Pa_special *sp = find_special(tok, text, len, &at);
		pa_status st = encode_ordinary(tok, text, sp ? at : len,
		                               (size_t)(text - begin), s, err);

		if (st != PA_OK)
			return st;
		if (!sp)
			break;
		if (s->want_ids) {
			sink_reserve(s, 1);
			s->ids[s->n] = sp->id;
		}
		s->n++;
		text += at + sp->len;
		len -= at + sp->len;
	}
	return PA_OK;
}

/* Encodes valid UTF-8 text, normalized first when the tokenizer says. */
static pa_status encode_valid(const pa_tokenizer *tok, const char *text,
                              size_t len, struct sink *s, pa_error *err)
{
	pa_buf norm = PA_BUF_INIT;
	pa_status st;

	/* A text of stable characters only (most English, Latin-script and
	 * CJK text) is its own NFKC form: no copy of it. */
	if (tok->m.nfc) {
		/* Below U+0300, or stable characters only (what NFKC leaves
		 * alone whatever surrounds it NFC leaves too): no copy. */
		if (Pa_nfc_quick(text, len) == len || Pa_nfkc_stable_prefix(text, len) == len)
			return encode_text(tok, text, len, s, err);
		st = Pa_nfc(text, len, &norm, err);
		if (st == PA_OK)
			st = encode_text(tok, norm.ptr, norm.len, s, err);
		pa_buf_release(&norm);
		return st;
	}
	if (!tok->m.nfkc || Pa_nfkc_stable_prefix(text, len) == len)
		return encode_text(tok, text, len, s, err);
	st = Pa_nfkc(text, len, &norm, err);
	if (st == PA_OK)
		st = encode_text(tok, norm.ptr, norm.len, s, err);
	pa_buf_release(&norm);
	return st;
}

/* Parts shorter than this are counted, not kept: looking one up costs
 * about what counting it does, and its slot more than its text. */
#define KEEP_MIN 64

/* Counts text part by part, each part between two anchors (safe cuts,
 * countmemo.h) looked up in the kept counts first; short parts in a row
 * are counted together.  After a kept part, the part that came after it
 * last time is tried first: where its bytes are next and a cut is safe
 * at their end, it is the next part, found without looking for the
 * anchor or hashing the bytes (the shared instructions of 1,000 prompts
 * of check took half their time in those).  A part that fails is not
 * kept: the caller counts the whole text again to report where. */
static pa_status count_by_parts(const pa_tokenizer *tok, const char *text,
                                size_t len, struct sink *s, pa_error *err)
{
	struct kept_counts *k = tok->kept;
	size_t start = 0, direct = 0; /* text[direct..start) is still to count */
	/* The kept part that ends at start with nothing left to count
	 * before it (prev_len 0: none), and the guess for the part at start
	 * (guess_len 0: none). */
	uint64_t prev_hash = 0, guess_hash = 0;
	size_t prev_len = 0, guess_len = 0;
	pa_status st;

	while (start < len) {
		size_t end, before, c, next_len = 0;
		uint64_t h, next_hash = 0;
		int found;

		/* Exact whatever the guess: its bytes are compared with the
		 * text's, and a cut must be safe where they end in this text
		 * (the end of the text always is). */
		if (guess_len && guess_len <= len - start &&
		    (guess_len == len - start ||
		     pa_cut_is_safe(text, len, start + guess_len, k->rule))) {
			pthread_mutex_lock(&k->lock);
			found = Pa_count_memo_find_next(k->memo, guess_hash, text + start,
			                                guess_len, &c, &next_hash, &next_len);
			pthread_mutex_unlock(&k->lock);
			if (found) {
				s->n += c;
				prev_hash = guess_hash;
				prev_len = guess_len;
				guess_hash = next_hash;
				guess_len = next_len;
				start = direct = start + prev_len;
				continue;
			}
		}
		guess_len = 0;
		end = Pa_count_memo_next_anchor(text, len, start, k->rule);
		if (end - start < KEEP_MIN) {
			start = end;
			prev_len = 0;
			continue;
		}
		if (direct < start &&
		    (st = encode_valid(tok, text + direct, start - direct, s, err)) != PA_OK)
			return st;
		h = Pa_count_memo_hash(text + start, end - start);
		pthread_mutex_lock(&k->lock);
		found = Pa_count_memo_find_next(k->memo, h, text + start, end - start, &c,
		                                &next_hash, &next_len);
		pthread_mutex_unlock(&k->lock);
		if (found) {
			s->n += c;
		} else {
			before = s->n;
			st = encode_valid(tok, text + start, end - start, s, err);
			if (st != PA_OK)
				return st;
			pthread_mutex_lock(&k->lock);
			Pa_count_memo_put(k->memo, h, text + start, end - start,
			                  s->n - before);
			pthread_mutex_unlock(&k->lock);
		}
		if (prev_len) {
			pthread_mutex_lock(&k->lock);
			Pa_count_memo_link(k->memo, prev_hash, prev_len, h, end - start);
			pthread_mutex_unlock(&k->lock);
		}
		prev_hash = h;
		prev_len = end - start;
		guess_hash = next_hash;
		guess_len = next_len;
		start = direct = end;
	}
	return direct < len ? encode_valid(tok, text + direct, len - direct, s, err)
	                    : PA_OK;
}

static pa_status encode(const pa_tokenizer *tok, const char *text, size_t len,
                        struct sink *s, pa_error *err)
{
	size_t bad;
	pa_status st;

	s->ws = Pa_workspace_get(tok->serial);
	if (!s->ws)
		s->ws = &s->own;
	else
		pa_memo_arena_expect(&s->ws->arena, len);
	if (!pa_utf8_valid(text, len, &bad)) {
		st = Pa_error_set(err, PA_ERR_UTF8, NULL, 0, 0, "invalid UTF-8");
		if (err)
			err->offset = (long long)bad;
		return st;
	}
	st = PA_ERR_INVALID;
	if (tok->kept && !s->want_ids) {
		st = count_by_parts(tok, text, len, s, NULL);
		if (st != PA_OK)
			s->n = 0;
	}
	if (st != PA_OK)
		st = encode_valid(tok, text, len, s, err);
	if (s->ws == &s->own)
		Pa_workspace_empty(&s->own);
	else
		Pa_workspace_trim(s->ws);
	return st;
}

/* Where the last line feed or space of text[0..end) is, or SIZE_MAX.
 * Eight bytes at a time: a text of long lines (Chinese written without
 * one for a megabyte) made the byte loop 4% of the time of counting it. */
static size_t last_break(const char *text, size_t end)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones << 7;

	while (end >= 8) {
		uint64_t w, x, y;

		memcpy(&w, text + end - 8, 8);
		x = w ^ ones * '\n';
		y = w ^ ones * ' ';
		if (((x - ones) & ~x & high) | ((y - ones) & ~y & high))
			break; /* a byte of x or y is zero */
		end -= 8;
	}
	while (end > 0) {
		end--;
		if (text[end] == '\n' || text[end] == ' ')
			return end;
	}
	return SIZE_MAX;
}

/* What a cut must keep clear of when the text may hold special tokens
 * (claude's <EOT>): a space inside one, a cut inside one, and the first
 * byte of one right after the cut or after the space or line feed the
 * cut is before, where it would end the stretch of text before it (a run of white space before <EOT> is one
 * piece to the end, not a run less its last character). */
typedef struct special_guard {
	int spaces;               /* a cut before a space is allowed */
	unsigned char first[256]; /* first bytes of the special tokens */
} special_guard;

static void special_guard_init(const pa_tokenizer *tok, special_guard *g)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	g->spaces = 1;
	for (i = 0; tok->m.specials_in_text && i < tok->m.n_specials; i++) {
		if (memchr(tok->m.specials[i].text, ' ', tok->m.specials[i].len))
			g->spaces = 0;
		if (tok->m.specials[i].len)
			g->first[(unsigned char)tok->m.specials[i].text[0]] = 1;
	}
}

static int cut_clear(const pa_tokenizer *tok, const special_guard *g,
                     const char *text, size_t len, size_t c)
{
	size_t i, k;

	if (text[c] == ' ' && !g->spaces)
		return 0;
	if (g->first[(unsigned char)text[c]] ||
	    ((text[c] == ' ' || text[c] == '\n') && c + 1 < len &&
	     g->first[(unsigned char)text[c + 1]]))
		return 0;
	/* Not inside one ("<EOT>" has punctuation after a letter), nor
	 * inside the start of one that the end of the text cuts short: a
	 * reader that cuts a block (count) may have the rest of it in the
	 * next (fuzz_split found "<META_START" cut before its `_`). */
	for (i = 0; tok->m.specials_in_text && i < tok->m.n_specials; i++) {
		const char *sp = tok->m.specials[i].text;
		size_t n = tok->m.specials[i].len;

		for (k = 1; k < n && k <= c; k++) {
			size_t avail = len - (c - k), m = n < avail ? n : avail;

			if (m > k && !memcmp(text + c - k, sp, m))
				return 0;
		}
	}
	return 1;
}

int pa_tokenizer_can_cut(const pa_tokenizer *tok)
{
	return cut_rule(tok) != PA_CUT_NEVER;
}

size_t pa_tokenizer_safe_split(const pa_tokenizer *tok, const char *text,
                               size_t len)
{
	int rule = cut_rule(tok);
	special_guard g;
	size_t end = len;

	if (rule == PA_CUT_NEVER)
		return 0;
	special_guard_init(tok, &g);
	/* Every cut lies next to a line feed (after it, or at it) or at a
	 * space. */
	while (end > 0) {
		size_t at = last_break(text, end);

		if (at == SIZE_MAX)
			break;
		if (text[at] == '\n' && pa_cut_is_safe_wide(text, len, at + 1, rule) &&
		    cut_clear(tok, &g, text, len, at + 1))
			return at + 1;
		if (pa_cut_is_safe_wide(text, len, at, rule) &&
		    cut_clear(tok, &g, text, len, at))
			return at;
		end = at;
	}
	/* No line feed nor space to cut at (a line of hex bytes, base64):
	 * punctuation after a letter or a digit, byte by byte.  Only then:
	 * a long line of Chinese would be searched through on every call. */
	end = len;
	while (end > 2) {
		uint64_t w;

		/* Eight bytes none of which is ASCII (Chinese) at a time. */
		if (end >= 8) {
			memcpy(&w, text + end - 8, 8);
			if ((w & 0x8080808080808080ull) == 0x8080808080808080ull) {
				end -= 8;
				continue;
			}
		}
		end--;
		if (pa_is_ascii_punct((unsigned char)text[end]) &&
		    pa_cut_is_safe_wide(text, len, end, rule) &&
		    cut_clear(tok, &g, text, len, end))
			return end;
	}
	return 0;
}

pa_status pa_tokenizer_count(const pa_tokenizer *tok, const char *text,
                             size_t len, size_t *count, pa_error *err)
{
	struct sink s;
	pa_status st;

	memset(&s, 0, sizeof(s));
	st = encode(tok, text, len, &s, err);
	*count = st == PA_OK ? s.n : 0;
	return st;
}

pa_status pa_tokenizer_encode(const pa_tokenizer *tok, const char *text,
                              size_t len, uint32_t **ids, size_t *n,
                              pa_error *err)
{
	struct sink s;
	pa_status st;

	memset(&s, 0, sizeof(s));
	s.want_ids = 1;
	st = encode(tok, text, len, &s, err);
	if (st != PA_OK) {
		free(s.ids);
		*ids = NULL;
		*n = 0;
		return st;
	}
	*ids = s.ids;
	*n = s.n;
	return PA_OK;
}

/* ---- decoding ---- */

const char *pa_tokenizer_token(const pa_tokenizer *tok, uint32_t id, size_t *len)
{
	const Pa_ranktable *t = &tok->table;
	size_t i;

	if (id < t->n_ids && t->offsets[id + 1] > t->offsets[id] &&
	    t->offsets[id + 1] <= t->n_bytes) {
		*len = t->offsets[id + 1] - t->offsets[id];
		return (const char *)t->bytes + t->offsets[id];
	}
	for (i = 0; i < tok->m.n_specials; i++) {
		if (tok->m.specials[i].id == id) {
			*len = tok->m.specials[i].len;
			return tok->m.specials[i].text;
		}
	}
	*len = 0;
	return NULL;
}

pa_status pa_tokenizer_decode(const pa_tokenizer *tok, const uint32_t *ids,
                              size_t n, pa_buf *out, pa_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t len;
		const char *bytes = pa_tokenizer_token(tok, ids[i], &len);
		if (!bytes)
			return Pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
			                    "%s has no token %u", tok->m.name, ids[i]);
		pa_buf_put(out, bytes, len);
	}
	return PA_OK;
}
