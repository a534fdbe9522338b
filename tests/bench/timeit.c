/* timeit.c - make bench's clock: runs a command once, its output thrown
 * away, and prints the wall time from just before the fork to just after
 * the wait, in nanoseconds; with -c first, the CPU time the command took
 * instead (user and system, of all its threads and of the children it
 * waited for), which is what a program's other threads add to (Node's
 * compiler and collector: the npm package).  A `date +%s%N` on each
 * side, as the script timed before, added two process starts (3 to 6 ms
 * on the development machine) to every figure.
 *
 * Usage: timeit [-c] COMMAND [ARG...] */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	long long t0, t1;
	pid_t pid;
	int status, cpu = argc > 1 && strcmp(argv[1], "-c") == 0;
	struct rusage ru;

	argv += cpu;
	argc -= cpu;
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-c] COMMAND [ARG...]\n");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("timeit: wait4");
		return 2;
	}
	t1 = now_ns();
	if (cpu)
		printf("%lld\n", ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
		                     ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
	else
		printf("%lld\n", t1 - t0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
