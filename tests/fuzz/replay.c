/* replay.c - runs a libFuzzer target on the files named, without
 * libFuzzer: `make test` builds every target with it and runs the
 * committed seeds (tests/suites/run-fuzz-seeds.sh), so a target that no longer
 * compiles or an oracle the library no longer meets fails the suite, not
 * only the next fuzzing campaign.  Under `make check` the seeds run with
 * ASan and UBSan, as they do when fuzzed.
 *
 *   replay FILE...   exit 0 when every file passed; a failed oracle
 *                    aborts (fuzz.h) naming the property */
#include "fuzz.h"

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		perror(path);
		exit(2);
	}
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			p = realloc(p, cap);
			if (!p)
				abort();
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*len = n;
	return p;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		size_t len;
		unsigned char *data = read_file(argv[i], &len);
		/* As libFuzzer does: the input in a buffer of exactly its
		 * size, so ASan sees a read past its end. */
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact)
			abort();
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}
