/* test_assemble.c - the simple interface of promptasm.h, as a library
 * user calls it (only the public header), against the CLI that is built
 * on it: `promptasm build` prints the same prompt. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROJECT "examples/webshop"

/* What `promptasm build ARGS` prints in PROJECT, or NULL when the
 * program under test is not named (the harness runs without it). */
static char *build_output(const char *args, size_t *len)
{
	const char *prog = getenv("PROMPTASM");
	pa_buf cmd = PA_BUF_INIT, out = PA_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	if (!prog)
		return NULL;
	/* The library reads no environment: no home, so paths are shown
	 * whole.  The program gets a home the checkout is not in, as the
	 * library's none: in a checkout under the user's home it showed
	 * them as ~/... and the two differed. */
	pa_buf_printf(&cmd, "HOME=/nonexistent '%s' build -C %s %s 2>/dev/null", prog,
	              PROJECT, args);
	f = popen(cmd.ptr, "r");
	pa_buf_release(&cmd);
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		pa_buf_put(&out, chunk, n);
	pclose(f);
	return pa_buf_detach(&out, len);
}

static void test_same_as_build(void)
{
	pa_options opt;
	pa_assembly *a = NULL;
	pa_error err;
	const char *text;
	char *cli;
	size_t len, cli_len;

	pa_options_init(&opt);
	opt.project = PROJECT;
	CHECK_EQ_INT(pa_assemble("test-writer", &opt, &a, &err), PA_OK);
	if (!a)
		return;
	text = pa_assembly_text(a, &len);
	CHECK(len > 0 && strstr(text, "test") != NULL);
	CHECK(pa_assembly_tokens(a) > 0);
	cli = build_output("test-writer", &cli_len);
	if (cli) {
		CHECK_EQ_INT(cli_len, len);
		CHECK(cli_len == len && memcmp(cli, text, len) == 0);
	}
	pa_free(cli);
	pa_assembly_free(a);
}

/* A budget trims, and the count says so; the same as build -b. */
static void test_budget(void)
{
	pa_options opt;
	pa_assembly *a = NULL, *whole = NULL;
	pa_error err;
	const char *text;
	char *cli;
	size_t len, cli_len, budget;

	pa_options_init(&opt);
	opt.project = PROJECT;
	CHECK_EQ_INT(pa_assemble("test-writer", &opt, &whole, &err), PA_OK);
	if (!whole)
		return;
	budget = pa_assembly_tokens(whole) * 3 / 4;
	opt.budget = budget;
	opt.tokenizer = "o200k_base";
	CHECK_EQ_INT(pa_assemble("test-writer", &opt, &a, &err), PA_OK);
	if (a) {
		CHECK(pa_assembly_exact(a));
		CHECK(pa_assembly_tokens(a) <= budget);
		text = pa_assembly_text(a, &len);
		{
			char args[64];
			snprintf(args, sizeof(args), "-t o200k_base -b %zu test-writer",
			         budget);
			cli = build_output(args, &cli_len);
		}
		if (cli)
			CHECK(cli_len == len && memcmp(cli, text, len) == 0);
		pa_free(cli);
	}
	pa_assembly_free(a);
	pa_assembly_free(whole);
}

/* Errors come back as a status with a message; the assembly still says
 * what it can. */
static void test_errors(void)
{
	pa_options opt;
	pa_assembly *a = NULL;
	pa_error err;

	pa_options_init(&opt);
	opt.project = PROJECT;
	CHECK_EQ_INT(pa_assemble("no-such-agent", &opt, &a, &err), PA_ERR_NOT_FOUND);
	CHECK(err.message[0] != '\0');
	pa_assembly_free(a);
	a = NULL;
	opt.tokenizer = "o200k_base";
	opt.model = "gpt-4o";
	CHECK_EQ_INT(pa_assemble("test-writer", &opt, &a, &err), PA_ERR_INVALID);
	CHECK(a == NULL);
	pa_assembly_free(NULL);
}

int main(void)
{
	RUN(test_same_as_build);
	RUN(test_budget);
	RUN(test_errors);
	return pa_test_summary();
}
