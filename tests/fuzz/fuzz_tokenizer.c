/* fuzz_tokenizer.c - libFuzzer target: for any bytes, encoding never
 * crashes; for valid UTF-8 the count equals the number of ids and the ids
 * decode to the text (o200k_base, no normalization); invalid UTF-8 is
 * refused, and its lossy repair is accepted. */
#include "promptasm.h"

#include <stdlib.h>
#include <string.h>

static pa_tokenizer *tok;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *text = (const char *)data;
	uint32_t *ids = NULL;
	size_t n = 0, count = 0;
	pa_buf back = PA_BUF_INIT, fixed = PA_BUF_INIT;
	pa_error err;

	if (!tok && pa_tokenizer_load("o200k_base", getenv("PROMPTASM_TOKENIZERS"), &tok, &err) != PA_OK)
		abort();
	if (!pa_utf8_valid(text, size, NULL)) {
		if (pa_tokenizer_count(tok, text, size, &count, &err) != PA_ERR_UTF8)
			abort();
		pa_utf8_lossy(text, size, &fixed);
		text = fixed.ptr;
		size = fixed.len;
	}
	if (pa_tokenizer_encode(tok, text, size, &ids, &n, &err) != PA_OK ||
	    pa_tokenizer_count(tok, text, size, &count, &err) != PA_OK || count != n ||
	    pa_tokenizer_decode(tok, ids, n, &back, &err) != PA_OK ||
	    back.len != size || memcmp(back.ptr, text, size) != 0)
		abort();
	pa_free(ids);
	pa_buf_release(&back);
	pa_buf_release(&fixed);
	return 0;
}
