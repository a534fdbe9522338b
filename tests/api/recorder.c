/* recorder.c - a stand-in for Anthropic's count_tokens endpoint, on
 * 127.0.0.1 only, for tests/suites/run-count-api.sh.
 *
 *   recorder PORTFILE LOG KEY
 *
 * Listens on an ephemeral port of 127.0.0.1 (written to PORTFILE), and
 * answers each request with {"input_tokens": N}, N = 3 + the body's
 * length in bytes, so that a text's count is the difference of two
 * requests' lengths.  Each request adds a line to LOG: the method and
 * path, "key=ok" when its x-api-key header is KEY (else "key=bad" or
 * "key=none"), the body's length and the answer.  It serves until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUEST (4 * 1024 * 1024)

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int s, one = 1;
	FILE *f;

	if (argc != 4)
		return 2;
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&a, &alen))
		return 1;
	f = fopen(argv[1], "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	for (;;) {
		int c = accept(s, NULL, NULL);
		char *req = malloc(MAX_REQUEST + 1), *end, *h, *line, resp[256], body[64];
		size_t len = 0, want = 0;
		long n;
		const char *key = "none";

		if (c < 0 || !req)
			continue;
		/* The head, then Content-Length bytes of body. */
		while (len < MAX_REQUEST) {
			n = read(c, req + len, MAX_REQUEST - len);
			if (n <= 0)
				break;
			len += (size_t)n;
			req[len] = '\0';
			end = strstr(req, "\r\n\r\n");
			if (!end)
				continue;
			h = strcasestr(req, "\r\ncontent-length:");
			want = h && h < end ? strtoul(h + 17, NULL, 10) : 0;
			if (len >= (size_t)(end + 4 - req) + want)
				break;
		}
		req[len] = '\0';
		end = strstr(req, "\r\n\r\n");
		if (end) {
			*end = '\0';
			for (line = strtok(req, "\r\n"); line; line = strtok(NULL, "\r\n"))
				if (!strncasecmp(line, "x-api-key:", 10)) {
					char *v = line + 10;
					while (*v == ' ')
						v++;
					key = strcmp(v, argv[3]) ? "bad" : "ok";
				}
		}
		snprintf(body, sizeof(body), "{\"input_tokens\": %zu}", 3 + want);
		snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Type: "
		         "application/json\r\nContent-Length: %zu\r\nConnection: "
		         "close\r\n\r\n%s", strlen(body), body);
		if (write(c, resp, strlen(resp)) < 0)
			perror("write");
		close(c);
		f = fopen(argv[2], "a");
		if (f) {
			fprintf(f, "%s key=%s bytes=%zu answer=%zu\n", req, key, want, 3 + want);
			fclose(f);
		}
		free(req);
	}
}
