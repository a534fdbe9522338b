/* fuzz_split.c - libFuzzer target: for any text, every place
 * pa_tokenizer_safe_split names is one where the ids of the two parts,
 * encoded apart, are those of the whole, for the three tokenizers and qwen3 (the
 * proof of tests/unit/test_split.c, on what the fuzzer makes up).  The
 * first byte picks the tokenizer; invalid UTF-8 is repaired first, as
 * count --lossy does. */
#include "fuzz.h"
#include "promptasm.h"

static const char *const names[4] = { "cl100k_base", "o200k_base", "claude", "qwen3" };
static pa_tokenizer *toks[4];

/* The ids of text[0..len) with tok, or abort. */
static uint32_t *ids_of(const pa_tokenizer *tok, const char *text, size_t len,
                        size_t *n)
{
	uint32_t *ids = NULL;
	pa_error err;

	FUZZ_CHECK(pa_tokenizer_encode(tok, text, len, &ids, n, &err) == PA_OK);
	return ids;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	pa_buf fixed = PA_BUF_INIT;
	const pa_tokenizer *tok;
	const char *text;
	uint32_t *whole;
	size_t n_whole, end, at, n;
	pa_error err;

	if (size == 0)
		return 0;
	if (!toks[data[0] % 4] &&
	    pa_tokenizer_load(names[data[0] % 4], getenv("PROMPTASM_TOKENIZERS"), &toks[data[0] % 4], &err) != PA_OK)
		abort();
	tok = toks[data[0] % 4];
	pa_utf8_lossy((const char *)data + 1, size - 1, &fixed);
	text = fixed.ptr ? fixed.ptr : "";
	whole = ids_of(tok, text, fixed.len, &n_whole);
	/* Each cut, from the last: the ids after it are the whole's tail. */
	end = fixed.len;
	at = n_whole;
	while ((end = pa_tokenizer_safe_split(tok, text, end)) > 0) {
		uint32_t *tail = ids_of(tok, text + end, fixed.len - end, &n);
		uint32_t *head = ids_of(tok, text, end, &at);

		FUZZ_CHECK(at + n == n_whole);
		FUZZ_CHECK(memcmp(head, whole, at * sizeof(*whole)) == 0);
		FUZZ_CHECK(n == 0 || memcmp(tail, whole + at, n * sizeof(*whole)) == 0);
		pa_free(tail);
		pa_free(head);
		end--; /* the next cut lies before this one's line feed */
	}
	pa_free(whole);
	pa_buf_release(&fixed);
	return 0;
}
