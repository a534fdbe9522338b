/*
 * unit.h - the unit-test framework: a test is a function, a check is a
 * macro that records a failure and goes on.  main() ends with
 * `return pa_test_summary();`, which prints `N passed, N failed`.
 */
#ifndef PA_TEST_UNIT_H
#define PA_TEST_UNIT_H

#include "promptasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pa_test_passed, pa_test_failed;
static const char *pa_test_current = "";

/* The tests' setup, as the CLI's: the library reads no environment, so
 * the tokenizer directory run.sh names is handed to it here, before
 * main(). */
__attribute__((constructor)) static void pa_test_setup(void)
{
	pa_tokenizer_set_dir(getenv("PROMPTASM_TOKENIZERS"));
}

#define CHECK(cond) \
	do { \
		if (cond) { \
			pa_test_passed++; \
		} else { \
			pa_test_failed++; \
			fprintf(stderr, "FAIL %s: %s:%d: %s\n", pa_test_current, \
			        __FILE__, __LINE__, #cond); \
		} \
	} while (0)

#define CHECK_EQ_INT(a, b) \
	do { \
		long long pa_a_ = (long long)(a), pa_b_ = (long long)(b); \
		if (pa_a_ == pa_b_) { \
			pa_test_passed++; \
		} else { \
			pa_test_failed++; \
			fprintf(stderr, "FAIL %s: %s:%d: %s == %s (%lld != %lld)\n", \
			        pa_test_current, __FILE__, __LINE__, #a, #b, pa_a_, pa_b_); \
		} \
	} while (0)

#define CHECK_EQ_STR(a, b) \
	do { \
		const char *pa_a_ = (a), *pa_b_ = (b); \
		if (pa_a_ && pa_b_ && strcmp(pa_a_, pa_b_) == 0) { \
			pa_test_passed++; \
		} else { \
			pa_test_failed++; \
			fprintf(stderr, "FAIL %s: %s:%d: %s == %s (\"%s\" != \"%s\")\n", \
			        pa_test_current, __FILE__, __LINE__, #a, #b, \
			        pa_a_ ? pa_a_ : "(null)", pa_b_ ? pa_b_ : "(null)"); \
		} \
	} while (0)

#define RUN(test) \
	do { \
		pa_test_current = #test; \
		test(); \
	} while (0)

static int pa_test_summary(void)
{
	printf("%d passed, %d failed\n", pa_test_passed, pa_test_failed);
	return pa_test_failed ? 1 : 0;
}

#endif
