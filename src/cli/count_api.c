/*
 * count_api.c - --count-api: the exact count of a current Claude model,
 * from Anthropic's POST /v1/messages/count_tokens, asked through the curl
 * program (no HTTP library in promptasm).
 *
 * The key comes from ANTHROPIC_API_KEY only: it goes to curl on its
 * standard input, in a config (never on a command line, where `ps` shows
 * it), and is never printed.  ANTHROPIC_BASE_URL replaces
 * https://api.anthropic.com, as Anthropic's SDKs do.  A section's count
 * is the request's input_tokens with the section as the system prompt less
 * the same request without it; every answer is kept in the user's cache
 * (XDG_CACHE_HOME, else ~/.cache, /promptasm/count-api/), named by the
 * SHA-256 of the request body (and so of the model and the text), so a
 * text is asked for once.  When an answer cannot be had (no curl, no
 * network, an HTTP error), one warning says so and the estimate stands.
 *
 * An answer is a count only when input_tokens is a JSON integer from 0 to
 * PA_COUNT_API_MAX_TOKENS, and the request with a section counts no fewer
 * than without it; an answer past PA_COUNT_API_MAX_ANSWER_BYTES is not
 * read.  Any other answer is refused like an unreachable endpoint: the
 * estimate stands, with a warning.  Refusing, rather than failing the run,
 * is the safe side: the estimate carries its band's margin, the same check
 * that runs without --count-api, so a broken or hostile endpoint can make
 * a count less exact, never let an agent over its budget pass.  Sums
 * saturate: one that would pass SIZE_MAX refuses the exact count too.
 * The URL in messages is scheme://host[:port]/path only (url_shown()):
 * ANTHROPIC_BASE_URL may hold a user, a password or a token in its query.
 */
#define _GNU_SOURCE
#include "count_api.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define API_DEFAULT_BASE "https://api.anthropic.com"
#define API_VERSION "2023-06-01"
/* What curl's write-out adds after the answer: a line feed, the status. */
#define API_WRITE_OUT_BYTES 16
#define API_TIMEOUT "60"

/* A key, a URL: what may stand between double quotes of curl's config. */
static int config_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == '"' || *s == '\\' || *s == 0x7F)
			return 0;
	return 1;
}

/* s as a count: decimal digits only (a JSON integer: no sign, no
 * fraction, no exponent, no leading zero), at most PA_COUNT_API_MAX_TOKENS.
 * 1 and *v when it is one. */
static int parse_count(const char *s, size_t len, size_t *v)
{
	size_t i;

	*v = 0;
	if (!len || (s[0] == '0' && len > 1))
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (size_t)(s[i] - '0');
		if (*v > (size_t)PA_COUNT_API_MAX_TOKENS)
			return 0;
	}
	return 1;
}

/* a + b into *sum; 0 (and *sum SIZE_MAX) when it would pass SIZE_MAX. */
static int add_checked(size_t a, size_t b, size_t *sum)
{
	if (a > SIZE_MAX - b) {
		*sum = SIZE_MAX;
		return 0;
	}
	*sum = a + b;
	return 1;
}

/* Appends the URL as messages show it: scheme://host[:port]/path, never
 * a user, a password, a query or a fragment (where tokens travel); quoted
 * (Pa_quote_str) as every value from outside. */
static void url_shown(pa_buf *out, const char *url)
{
	pa_buf b = PA_BUF_INIT;
	const char *sep = strstr(url, "://"), *auth, *end, *at, *p;

	if (!sep) {
		Pa_quote_str(out, "(not a URL)");
		return;
	}
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	for (at = NULL, p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	pa_buf_put(&b, url, (size_t)(auth - url));
	if (at)
		auth = at + 1;
	pa_buf_put(&b, auth, (size_t)(end - auth));
	if (*end == '/')
		pa_buf_put(&b, end, strcspn(end, "?#"));
	Pa_quote_str(out, b.ptr);
	pa_buf_release(&b);
}

int cli_api_init(cli_api *api)
{
	const char *key = Pa_env_get(cli_env.environ, "ANTHROPIC_API_KEY");
	const char *base = Pa_env_get(cli_env.environ, "ANTHROPIC_BASE_URL");
	const char *cache = Pa_env_get(cli_env.environ, "XDG_CACHE_HOME");
	const char *home = cli_env.home;

	memset(api, 0, sizeof(*api));
	api->url = (pa_buf)PA_BUF_INIT;
	api->cache = (pa_buf)PA_BUF_INIT;
	if (!PA_CAN_RUN_COMMANDS) {
		cli_errorf("--count-api is not available in " PA_PLATFORM_NAME
		           ": it cannot run curl (docs/packaging.md)");
		return EXIT_USAGE;
	}
	if (!key || !key[0]) {
		cli_errorf("--count-api needs the key in ANTHROPIC_API_KEY (it is "
		           "never taken from a command line)");
		return EXIT_USAGE;
	}
	if (!config_safe(key)) {
		cli_errorf("ANTHROPIC_API_KEY holds a space, a quote or a control "
		           "character: it is not a key");
		return EXIT_USAGE;
	}
	if (!base || !base[0])
		base = API_DEFAULT_BASE;
	if (!config_safe(base) || (strncmp(base, "https://", 8) &&
	                           strncmp(base, "http://", 7))) {
		pa_buf shown = PA_BUF_INIT;

		url_shown(&shown, base);
		cli_errorf("ANTHROPIC_BASE_URL is not an http(s) URL: %s", shown.ptr);
		pa_buf_release(&shown);
		return EXIT_USAGE;
	}
	api->key = key;
	pa_buf_puts(&api->url, base);
	while (api->url.len && api->url.ptr[api->url.len - 1] == '/')
		api->url.ptr[--api->url.len] = '\0';
	pa_buf_puts(&api->url, "/v1/messages/count_tokens");
	if (cache && cache[0] == '/')
		pa_buf_printf(&api->cache, "%s/promptasm/count-api", cache);
	else if (home && home[0] == '/')
		pa_buf_printf(&api->cache, "%s/.cache/promptasm/count-api", home);
	return EXIT_OK;
}

void cli_api_release(cli_api *api)
{
	pa_buf_release(&api->url);
	pa_buf_release(&api->cache);
}

/* mkdir -p of the cache directory (0700: what was counted is the
 * user's).  0 when it cannot be made: answers are then not kept. */
static int make_cache(const pa_buf *dir)
{
	char *p, *s;
	int ok = 1;

	if (!dir->len)
		return 0;
	s = Pa_xstrdup(dir->ptr);
	for (p = s + 1; ok && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ok = mkdir(s, 0700) == 0 || errno == EEXIST;
		*p = '/';
	}
	ok = ok && (mkdir(s, 0700) == 0 || errno == EEXIST);
	free(s);
	return ok;
}

/* The kept answer of a body, or 0 with *found 0. */
static size_t cached(const cli_api *api, const char *hex, int *found)
{
	pa_buf path = PA_BUF_INIT, text = PA_BUF_INIT;
	pa_error err;
	size_t v = 0;

	*found = 0;
	if (!api->cache.len)
		return 0;
	pa_buf_printf(&path, "%s/%s", api->cache.ptr, hex);
	/* Read as strictly as an answer: a kept count past the maximum is
	 * asked again. */
	if (pa_file_read_limited(path.ptr, 64, 0, &text, &err) == PA_OK) {
		size_t n = strcspn(text.ptr, "\n");

		*found = (n == text.len || n + 1 == text.len) &&
		         parse_count(text.ptr, n, &v);
	}
	pa_buf_release(&path);
	pa_buf_release(&text);
	return *found ? v : 0;
}

static void keep(const cli_api *api, const char *hex, size_t v)
{
	pa_buf path = PA_BUF_INIT, text = PA_BUF_INIT;
	pa_error err;

	if (make_cache(&api->cache)) {
		pa_buf_printf(&path, "%s/%s", api->cache.ptr, hex);
		pa_buf_printf(&text, "%zu\n", v);
		/* A cache that cannot be written costs a request next time. */
		(void)pa_file_write_atomic(path.ptr, text.ptr, text.len, &err);
	}
	pa_buf_release(&path);
	pa_buf_release(&text);
}

/* Runs curl with config on its standard input; its standard output into
 * answer.  An answer longer than PA_COUNT_API_MAX_ANSWER_BYTES (and the
 * write-out) is not read further: curl is stopped and *oversized set.
 * Returns curl's exit status, or -1 when it could not be run. */
static int run_curl(const pa_buf *config, pa_buf *answer, int *oversized)
{
	int in[2], out[2], status;
	void (*old)(int);
	pid_t pid;
	char chunk[4096];
	ssize_t n;
	size_t off = 0;

	if (pipe(in) != 0)
		return -1;
	if (pipe(out) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		dup2(out[1], 1);
		/* curl's own messages would name the URL, never the key;
		 * we word the warning ourselves. */
		if (devnull >= 0)
			dup2(devnull, 2);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		/* -q first: no ~/.curlrc adds a header or a URL to ours. */
		execlp("curl", "curl", "-q", "--silent", "--show-error", "--config",
		       "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	/* A curl that exits early must not end us: SIGPIPE is ignored while
	 * its config is written, and then as it was. */
	old = signal(SIGPIPE, SIG_IGN);
	while (off < config->len) {
		n = write(in[1], config->ptr + off, config->len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(in[1]);
	signal(SIGPIPE, old);
	*oversized = 0;
	while ((n = read(out[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		pa_buf_put(answer, chunk, (size_t)n);
		if (answer->len > (size_t)PA_COUNT_API_MAX_ANSWER_BYTES + API_WRITE_OUT_BYTES) {
			/* Not read to its end: bounded memory, and no waiting
			 * on a server that never stops. */
			*oversized = 1;
			kill(pid, SIGTERM);
			break;
		}
	}
	close(out[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
}

/* input_tokens of one request body, asked or kept.  1 when known. */
static int ask(cli_api *api, const pa_buf *body, size_t *tokens)
{
	char hex[65], path[] = "/tmp/promptasm-count-api-XXXXXX";
	pa_buf config = PA_BUF_INIT, answer = PA_BUF_INIT;
	const Pa_jnode *v;
	Pa_jnode *root = NULL;
	pa_error err;
	int found, fd, rc, code = 0, known = 0, oversized = 0, refused = 0;
	pa_buf shown = PA_BUF_INIT;
	char *end;

	Pa_sha256_hex(body->ptr, body->len, hex);
	*tokens = cached(api, hex, &found);
	if (found)
		return 1;
	if (api->offline)
		return 0;
	fd = mkstemp(path);
	if (fd < 0 || write(fd, body->ptr, body->len) != (ssize_t)body->len) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		api->offline = 1;
		cli_warnf("--count-api: cannot write the request: %s; the counts "
		          "are estimates", strerror(errno));
		return 0;
	}
	close(fd);
	pa_buf_printf(&config,
	              "url = \"%s\"\n"
	              "max-time = " API_TIMEOUT "\n"
	              "header = \"x-api-key: %s\"\n"
	              "header = \"anthropic-version: " API_VERSION "\"\n"
	              "header = \"content-type: application/json\"\n"
	              "data-binary = \"@%s\"\n"
	              "max-filesize = %ld\n"
	              "write-out = \"\\n%%{http_code}\"\n",
	              api->url.ptr, api->key, path, (long)PA_COUNT_API_MAX_ANSWER_BYTES);
	rc = run_curl(&config, &answer, &oversized);
	if (rc == 63) /* curl: the answer passed max-filesize */
		oversized = 1;
	unlink(path);
	/* The config holds the key: it is not kept. */
	memset(config.ptr, 0, config.len);
	pa_buf_release(&config);
	if (!oversized && rc == 0 && answer.len) {
		char *nl = memrchr(answer.ptr, '\n', answer.len);

		code = nl ? (int)strtol(nl + 1, &end, 10) : 0;
		if (nl)
			answer.len = (size_t)(nl - answer.ptr);
	}
	if (!oversized && rc == 0 && code == 200 &&
	    Pa_json_parse(answer.ptr, answer.len, "count_tokens", &root, &err) == PA_OK &&
	    (v = Pa_jnode_get(root, "input_tokens")) && v->type == PA_JSON_NUMBER) {
		known = parse_count(v->text, strlen(v->text), tokens);
	}
	refused = !known && !oversized && rc == 0 && code == 200;
	if (!known)
		*tokens = 0;
	Pa_jnode_free(root);
	pa_buf_release(&answer);
	if (known) {
		keep(api, hex, *tokens);
		return 1;
	}
	api->offline = 1;
	url_shown(&shown, api->url.ptr);
	if (oversized)
		cli_warnf("--count-api: %s answered more than %ld bytes "
		          "(PA_COUNT_API_MAX_ANSWER_BYTES): the answer is refused; "
		          "the counts are estimates", shown.ptr,
		          (long)PA_COUNT_API_MAX_ANSWER_BYTES);
	else if (refused)
		cli_warnf("--count-api: %s answered no input_tokens that is an "
		          "integer from 0 to %ld (PA_COUNT_API_MAX_TOKENS): the answer "
		          "is refused; the counts are estimates", shown.ptr,
		          (long)PA_COUNT_API_MAX_TOKENS);
	else if (rc < 0)
		cli_warnf("--count-api: cannot run curl; the counts are estimates");
	else if (rc)
		cli_warnf("--count-api: %s cannot be reached (curl exit status %d); "
		          "the counts are estimates", shown.ptr, rc);
	else
		cli_warnf("--count-api: %s answered HTTP %d, not a count; the counts "
		          "are estimates", shown.ptr, code);
	pa_buf_release(&shown);
	return 0;
}

/* The body of a request: model, the text as the system prompt (none when
 * NULL), one user message. */
static void body_of(pa_buf *body, const char *model, const char *text, size_t len)
{
	Pa_jw w;

	Pa_jw_init(&w, body, 0);
	Pa_jw_object(&w, NULL, PA_JW_INLINE);
	Pa_jw_str(&w, "model", model);
	if (text)
		Pa_jw_strn(&w, "system", text, len);
	Pa_jw_array(&w, "messages", PA_JW_INLINE);
	Pa_jw_object(&w, NULL, PA_JW_INLINE);
	Pa_jw_str(&w, "role", "user");
	Pa_jw_str(&w, "content", ".");
	Pa_jw_end(&w);
	Pa_jw_end(&w);
	Pa_jw_end(&w);
}

int cli_api_count(cli_api *api, const char *model, const char *text, size_t len,
                  size_t *tokens)
{
	pa_buf with = PA_BUF_INIT, without = PA_BUF_INIT;
	size_t a = 0, b = 0;
	int ok;

	*tokens = 0;
	if (!len)
		return 1;
	body_of(&with, model, text, len);
	body_of(&without, model, NULL, 0);
	ok = ask(api, &with, &a) && ask(api, &without, &b);
	pa_buf_release(&with);
	pa_buf_release(&without);
	if (ok && a < b) {
		/* A text cannot take tokens away: the answers are refused,
		 * or the section would count as nothing. */
		pa_buf shown = PA_BUF_INIT;

		url_shown(&shown, api->url.ptr);
		cli_warnf("--count-api: %s counted fewer tokens with a section "
		          "(%zu) than without it (%zu): the answers are refused; the "
		          "counts are estimates", shown.ptr, a, b);
		pa_buf_release(&shown);
		api->offline = 1;
		return 0;
	}
	if (ok)
		*tokens = a - b;
	return ok;
}

/* A sum that would pass SIZE_MAX: the exact count is refused. */
static int overflow(cli_api *api)
{
	cli_warnf("--count-api: the sum of the counts passes %zu: it is "
	          "refused; the counts are estimates", (size_t)SIZE_MAX);
	api->offline = 1;
	return 0;
}

int cli_api_count_prompt(cli_api *api, const pa_prompt *prompt,
                         const pa_tokenizer *tok, const char *model,
                         size_t local_total, size_t *tokens)
{
	size_t i, n = pa_prompt_section_count(prompt), len, exact, sum = 0, local = 0, c;
	const char *text;
	pa_error err;

	*tokens = 0;
	for (i = 0; i < n; i++) {
		text = pa_prompt_section_text(prompt, i, &len);
		if (!cli_api_count(api, model, text, len, &exact))
			return 0;
		if (pa_tokenizer_count(tok, text, len, &c, &err) != PA_OK)
			return 0;
		if (!add_checked(sum, exact, &sum) || !add_checked(local, c, &local))
			return overflow(api);
	}
	/* The headings and joins between sections: our count of them. */
	if (!add_checked(sum, local_total > local ? local_total - local : 0, tokens)) {
		*tokens = 0;
		return overflow(api);
	}
	return 1;
}

int cli_count_api_files(char **files, int nfiles, const char *model,
                        size_t **counts)
{
	cli_api api;
	size_t *n = Pa_xcalloc(nfiles > 0 ? (size_t)nfiles : 1, sizeof(*n));
	int i, code, all = 1;

	*counts = NULL;
	if (!model)
		model = pa_claude_code_model(NULL, NULL);
	code = cli_api_init(&api);
	for (i = 0; code == EXIT_OK && i < nfiles; i++) {
		pa_buf text = PA_BUF_INIT;
		struct stat st;
		pa_error err;

		if (!strcmp(files[i], "-")) {
			code = cli_usage_error("--count-api counts files, not standard "
			                       "input");
			break;
		}
		if (stat(files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			code = cli_usage_error("--count-api counts files, not a "
			                       "directory (%s)", files[i]);
			break;
		}
		if (pa_file_read_limited(files[i], PA_INPUT_MAX_BYTES, 0, &text,
		                         &err) != PA_OK) {
			cli_print_error(&err);
			code = cli_exit_code(err.status);
		} else if (all && !cli_api_count(&api, model, text.ptr, text.len, &n[i])) {
			all = 0;  /* warned: the local counts stand */
		}
		pa_buf_release(&text);
	}
	cli_api_release(&api);
	if (code == EXIT_OK && all)
		*counts = n;
	else
		free(n);
	return code;
}
