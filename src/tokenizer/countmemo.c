/* countmemo.c - the memo of counted parts (see countmemo.h). */
#include "countmemo.h"
#include "pretok.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
	uint64_t hash;
	size_t at;     /* where its bytes are in the pool */
	size_t len;    /* 0: a free slot (parts are never empty) */
	size_t count;
	uint64_t next_hash; /* the part that came right after it last */
	size_t next_len;    /* 0: none noted */
} entry;

struct Pa_count_memo {
	entry *slots;
	size_t n_slots;  /* a power of two */
	size_t used;
	char *pool;
	size_t pool_len, pool_cap;
	size_t used_bytes, max_bytes; /* parts kept and their slots, and the most */
};

Pa_count_memo *Pa_count_memo_new(size_t max_bytes)
{
	Pa_count_memo *m = Pa_xcalloc(1, sizeof(*m));

	m->n_slots = 1024;
	m->slots = Pa_xcalloc(m->n_slots, sizeof(*m->slots));
	m->max_bytes = max_bytes;
	return m;
}

void Pa_count_memo_free(Pa_count_memo *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m->pool);
	free(m);
}

/* One word into a lane of the hash. */
static inline uint64_t mix_word(uint64_t lane, const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	lane = (lane ^ w) * 0x9E3779B97F4A7C15u;
	return lane ^ lane >> 29;
}

/* Eight bytes at a time: hashing must cost far less than counting. */
uint64_t Pa_count_memo_hash(const char *p, size_t n)
{
	const uint64_t k = 0x9E3779B97F4A7C15u;
	uint64_t h = n * k, w;
	size_t i = 0;

	/* Four words at a time in four lanes: one chain of multiplies waits
	 * on itself, and check hashes the shared text of every prompt (a
	 * quarter of its time).  Four named lanes, not an array: GCC made
	 * SSE2 of an array, whose 64-bit multiplies are slower still. */
	if (n >= 32) {
		uint64_t a = h, b = h ^ 1, c = h ^ 2, d = h ^ 3;

		for (; i + 32 <= n; i += 32) {
			a = mix_word(a, p + i);
			b = mix_word(b, p + i + 8);
			c = mix_word(c, p + i + 16);
			d = mix_word(d, p + i + 24);
		}
		h = ((((a * k) ^ b) * k ^ c) * k ^ d) * k;
	}
	for (; i + 8 <= n; i += 8)
		h = mix_word(h, p + i);
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		h = (h ^ w) * k;
	}
	h ^= h >> 32;
	return h * k;
}

/* The entry of the part p[0..n) with hash h, or NULL. */
static const entry *find_entry(const Pa_count_memo *m, uint64_t h, const char *p,
                               size_t n)
{
	size_t mask = m->n_slots - 1, i;

	for (i = h & mask; m->slots[i].len; i = (i + 1) & mask) {
		const entry *e = &m->slots[i];
		if (e->hash == h && e->len == n && !memcmp(m->pool + e->at, p, n))
			return e;
	}
	return NULL;
}

int Pa_count_memo_find(const Pa_count_memo *m, uint64_t h, const char *p,
                       size_t n, size_t *count)
{
	const entry *e = find_entry(m, h, p, n);

	if (!e)
		return 0;
	*count = e->count;
	return 1;
}

int Pa_count_memo_find_next(const Pa_count_memo *m, uint64_t h, const char *p,
                            size_t n, size_t *count, uint64_t *next_hash,
                            size_t *next_len)
{
	const entry *e = find_entry(m, h, p, n);

	if (!e)
		return 0;
	*count = e->count;
	*next_hash = e->next_hash;
	*next_len = e->next_len;
	return 1;
}

void Pa_count_memo_link(Pa_count_memo *m, uint64_t h, size_t n,
                        uint64_t next_hash, size_t next_len)
{
	size_t mask = m->n_slots - 1, i;

	/* By hash and length only: a part of another's hash and length
	 * gets a wrong guess, which the caller's comparison refuses. */
	for (i = h & mask; m->slots[i].len; i = (i + 1) & mask) {
		entry *e = &m->slots[i];
		if (e->hash == h && e->len == n) {
			e->next_hash = next_hash;
			e->next_len = next_len;
			return;
		}
	}
}

static void grow(Pa_count_memo *m)
{
	entry *old = m->slots;
	size_t n_old = m->n_slots, i, j, mask;

	m->n_slots *= 2;
	m->slots = Pa_xcalloc(m->n_slots, sizeof(*m->slots));
	mask = m->n_slots - 1;
	for (i = 0; i < n_old; i++) {
		if (!old[i].len)
			continue;
		for (j = old[i].hash & mask; m->slots[j].len; j = (j + 1) & mask)
			;
		m->slots[j] = old[i];
	}
	free(old);
}

void Pa_count_memo_put(Pa_count_memo *m, uint64_t h, const char *p, size_t n,
                       size_t count)
{
	size_t cost = n + 2 * sizeof(entry), mask, i, c;

	if (n == 0 || cost > m->max_bytes - m->used_bytes ||
	    Pa_count_memo_find(m, h, p, n, &c))
		return;
	if (m->pool_len + n > m->pool_cap) {
		m->pool_cap = m->pool_cap ? 2 * m->pool_cap : 64 * 1024;
		while (m->pool_cap < m->pool_len + n)
			m->pool_cap *= 2;
		if (m->pool_cap > m->max_bytes)
			m->pool_cap = m->max_bytes; /* >= pool_len + n, as cost is */
		m->pool = Pa_xrealloc(m->pool, m->pool_cap);
	}
	if (2 * (m->used + 1) > m->n_slots)
		grow(m);
	mask = m->n_slots - 1;
	for (i = h & mask; m->slots[i].len; i = (i + 1) & mask)
		;
	memcpy(m->pool + m->pool_len, p, n);
	m->slots[i].hash = h;
	m->slots[i].at = m->pool_len;
	m->slots[i].len = n;
	m->slots[i].count = count;
	m->slots[i].next_hash = 0;
	m->slots[i].next_len = 0;
	m->pool_len += n;
	m->used++;
	m->used_bytes += cost;
}

size_t Pa_count_memo_next_cut(const char *text, size_t len, size_t from,
                              int rule)
{
	const char *nl;
	size_t i = from;

	/* Every cut lies next to a line feed: at it (in a run) or after it. */
	while (i < len && (nl = memchr(text + i, '\n', len - i)) != NULL) {
		size_t at = (size_t)(nl - text);

		if (at > from && pa_cut_is_safe(text, len, at, rule))
			return at;
		if (pa_cut_is_safe(text, len, at + 1, rule))
			return at + 1;
		i = at + 1;
	}
	return len;
}

size_t Pa_count_memo_next_anchor(const char *text, size_t len, size_t from,
                                 int rule)
{
	size_t cut = from;

	while ((cut = Pa_count_memo_next_cut(text, len, cut, rule)) < len) {
		uint64_t w = 0;
		size_t n = cut < 8 ? cut : 8;

		memcpy(&w, text + cut - n, n);
		if ((w * 0x9E3779B97F4A7C15u) >> 62 == 0)
			return cut;
	}
	return len;
}
