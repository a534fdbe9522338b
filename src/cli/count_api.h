/* count_api.h - --count-api: exact counts from Anthropic's count_tokens
 * endpoint, through curl, kept in the user's cache (count_api.c). */
#ifndef CLI_COUNT_API_H
#define CLI_COUNT_API_H

#include "cli.h"

typedef struct cli_api {
	const char *key;  /* ANTHROPIC_API_KEY: borrowed, never printed */
	pa_buf url;       /* ANTHROPIC_BASE_URL (or Anthropic's) + the path */
	pa_buf cache;     /* the cache directory, "" for none */
	int offline;      /* a request failed: no more are made this run */
} cli_api;

/* Reads the environment.  Prints the error (no key, a bad URL) and
 * returns EXIT_USAGE; else EXIT_OK. */
int cli_api_init(cli_api *api);
void cli_api_release(cli_api *api);

/* The tokens model counts for text as a system prompt.  1 when known
 * (asked, or kept from an earlier answer); 0 when it cannot be had, after
 * one warning for the run: the caller keeps its estimate. */
int cli_api_count(cli_api *api, const char *model, const char *text, size_t len,
                  size_t *tokens);

/* A prompt's count: each section asked (cli_api_count()), the headings
 * and joins between them counted by tok (local_total less the sections'
 * own counts by tok).  1 when every section is known. */
int cli_api_count_prompt(cli_api *api, const pa_prompt *prompt,
                         const pa_tokenizer *tok, const char *model,
                         size_t local_total, size_t *tokens);

/* count --count-api: each of files (a directory is a usage error; "-"
 * standard input) read whole and asked for model (NULL: Claude Code's
 * default model).  *counts gets one count per file when every one was
 * answered, else NULL (a warning said why: the caller's counts stand).
 * Returns an exit code (no key, a file that cannot be read). */
int cli_count_api_files(char **files, int nfiles, const char *model,
                        size_t **counts);

#endif
