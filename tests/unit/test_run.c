/* test_run.c - the runner of --trust (src/util/run.c, src/util/mcp.c):
 * output, input, environment and directory as given; and, whatever the
 * command does (never ends, floods, forks a sleeper, cannot start), it
 * ends, its output bounded, named by how it ended.  The MCP client against
 * tests/trust/mcp-server.sh in each of its modes.  Run from the
 * repository's root (tests/run.sh does). */
#include "unit.h"
#include "promptasm.h"
#include "util.h"
#include "run.h"

#include <errno.h>
#include <sys/types.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/nonexistent-home",
                                   "ONLY_THIS=1", NULL };

static void run_sh(const char *script, const char *input, long timeout_ms,
                   size_t max, Pa_run_result *r)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	Pa_run_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.cwd = "/";
	spec.env = env;
	spec.input = input;
	spec.input_len = input ? strlen(input) : 0;
	spec.timeout_ms = timeout_ms;
	spec.max_output = max;
	CHECK_EQ_INT(Pa_run(&spec, r), PA_OK);
}

static void test_output(void)
{
	Pa_run_result r;

	pa_test_current = "output";
	run_sh("printf 'a\\nb'; echo oops >&2; exit 4", NULL, 5000, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	CHECK_EQ_INT(r.status, 4);
	CHECK_EQ_STR(r.out.ptr, "a\nb");
	CHECK_EQ_STR(r.err.ptr, "oops\n");
	CHECK(!r.truncated);
	Pa_run_result_release(&r);

	/* The input, the environment (only what was given) and the
	 * directory. */
	run_sh("cat; echo; pwd; env | sort", "{\"in\":1}", 5000, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	CHECK(strstr(r.out.ptr, "{\"in\":1}\n/\n") == r.out.ptr);
	CHECK(strstr(r.out.ptr, "ONLY_THIS=1\n") != NULL);
	CHECK(strstr(r.out.ptr, "HOME=/nonexistent-home\n") != NULL);
	CHECK(strstr(r.out.ptr, "PROMPTASM") == NULL);
	Pa_run_result_release(&r);

	/* No descriptor of ours but 0, 1 and 2. */
	run_sh("ls /proc/self/fd | wc -l", NULL, 5000, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	CHECK(atoi(r.out.ptr) <= 4); /* 0 1 2 and ls's own of the directory */
	Pa_run_result_release(&r);
}

static void test_hostile(void)
{
	Pa_run_result r;
	pa_buf why = PA_BUF_INIT;
	Pa_run_spec spec;
	const char *argv[] = { "no-such-program-here", NULL };

	pa_test_current = "hostile";
	/* Never ends: killed at the deadline. */
	run_sh("while :; do :; done", NULL, 300, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_TIMED_OUT);
	memset(&spec, 0, sizeof(spec));
	spec.timeout_ms = 300;
	Pa_run_describe(&r, &spec, &why);
	CHECK_EQ_STR(why.ptr, "no answer within 300 ms");
	Pa_run_result_release(&r);

	/* Floods: cut at the limit and killed. */
	run_sh("yes xxxxxxxx", NULL, 20000, 4096, &r);
	CHECK_EQ_INT(r.end, PA_RUN_FLOODED);
	CHECK(r.truncated);
	CHECK_EQ_INT(r.out.len, 4096);
	Pa_run_result_release(&r);

	/* Forks a sleeper holding stdout and exits: what it printed is kept,
	 * and the run ends long before the sleeper (20 s deadline). */
	run_sh("(sleep 1000 &); (trap '' HUP; sleep 1000) & echo done", NULL, 20000, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	CHECK_EQ_INT(r.status, 0);
	CHECK_EQ_STR(r.out.ptr, "done\n");
	Pa_run_result_release(&r);

	/* Cannot start. */
	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.env = env;
	Pa_run(&spec, &r);
	CHECK_EQ_INT(r.end, PA_RUN_NOT_STARTED);
	pa_buf_reset(&why);
	Pa_run_describe(&r, &spec, &why);
	CHECK(strstr(why.ptr, "cannot run") == why.ptr);
	Pa_run_result_release(&r);

	/* A directory that is not there. */
	memset(&spec, 0, sizeof(spec));
	{
		const char *sh[] = { "sh", "-c", "pwd", NULL };
		spec.argv = sh;
		spec.env = env;
		spec.cwd = "/nonexistent/dir";
		Pa_run(&spec, &r);
		CHECK_EQ_INT(r.end, PA_RUN_NOT_STARTED);
		Pa_run_result_release(&r);
	}
	pa_buf_release(&why);
}

static void run_budgeted(const char *script, long timeout_ms, Pa_run_budget *b,
                         Pa_run_result *r)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	Pa_run_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.env = env;
	spec.timeout_ms = timeout_ms;
	spec.budget = b;
	CHECK_EQ_INT(Pa_run(&spec, r), PA_OK);
}

/* One budget for the commands of a run: a deadline they share, then the
 * rest is not started; an output limit they share, the one that passes
 * it cut there, then the rest is not started. */
static void test_budget(void)
{
	Pa_run_budget b;
	Pa_run_result r;
	Pa_run_spec spec;
	pa_buf why = PA_BUF_INIT;

	pa_test_current = "budget";
	memset(&spec, 0, sizeof(spec));
	spec.budget = &b;
	Pa_run_budget_init(&b, 400, 1 << 20);
	run_budgeted("sleep 5", 5000, &b, &r);
	CHECK_EQ_INT(r.end, PA_RUN_BUDGET_TIME);
	CHECK_EQ_INT(r.status, 1);
	Pa_run_describe(&r, &spec, &why);
	CHECK_EQ_STR(why.ptr, "killed when the 400 ms for all commands of the run passed");
	Pa_run_result_release(&r);
	run_budgeted("echo ran", 5000, &b, &r);
	CHECK_EQ_INT(r.end, PA_RUN_BUDGET_TIME);
	CHECK_EQ_INT(r.status, 0);
	CHECK_EQ_INT(r.out.len, 0);
	Pa_run_result_release(&r);

	Pa_run_budget_init(&b, 20000, 10000);
	run_budgeted("head -c 6000 /dev/zero", 5000, &b, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	CHECK_EQ_INT(r.out.len, 6000);
	Pa_run_result_release(&r);
	CHECK_EQ_INT(b.output_left, 4000);
	run_budgeted("yes", 5000, &b, &r);
	CHECK_EQ_INT(r.end, PA_RUN_BUDGET_OUTPUT);
	CHECK_EQ_INT(r.status, 1);
	CHECK(r.truncated);
	CHECK_EQ_INT(r.out.len, 4000);
	pa_buf_reset(&why);
	Pa_run_describe(&r, &spec, &why);
	CHECK_EQ_STR(why.ptr, "cut: all commands of the run printed more than 10000 bytes");
	Pa_run_result_release(&r);
	run_budgeted("echo ran", 5000, &b, &r);
	CHECK_EQ_INT(r.end, PA_RUN_BUDGET_OUTPUT);
	CHECK_EQ_INT(r.status, 0);
	Pa_run_result_release(&r);
	pa_buf_release(&why);
}

#ifdef __linux__
/* Nothing a command starts outlives it, a daemon in a session of its own
 * included; and it cannot read our environment (/proc/PPID/environ) nor
 * gain a privilege through exec. */
static void test_contained(void)
{
	Pa_run_result r;
	long pid;

	pa_test_current = "contained";
	/* its pid as we see it: /proc/self names it so, in a PID namespace
	 * of the command's own too */
	run_sh("f=$(mktemp); setsid sh -c \"readlink /proc/self >$f; exec sleep 1000\" "
	       "</dev/null >/dev/null 2>&1 & while [ ! -s $f ]; do :; done; cat $f; rm -f $f",
	       NULL, 5000, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	pid = atol(r.out.ptr);
	CHECK(pid > 1);
	if (pid > 1) {
		CHECK(kill((pid_t)pid, 0) < 0 && errno == ESRCH);
		kill((pid_t)pid, SIGKILL);
	}
	Pa_run_result_release(&r);

	run_sh("cat /proc/$PPID/environ | wc -c; grep NoNewPrivs /proc/self/status", NULL,
	       5000, 0, &r);
	CHECK_EQ_INT(r.end, PA_RUN_EXITED);
	CHECK(atoi(r.out.ptr) == 0);
	CHECK(strstr(r.out.ptr, "NoNewPrivs:\t1") != NULL);
	Pa_run_result_release(&r);
}
#endif

static pa_status mcp(const char *mode, long timeout_ms, Pa_mcp_info *info, pa_error *err)
{
	const char *argv[] = { "sh", "tests/trust/mcp-server.sh", mode, "docs", NULL };
	Pa_run_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.env = env;
	spec.timeout_ms = timeout_ms;
	spec.max_output = 65536;
	return Pa_mcp_query(&spec, info, err);
}

static void test_mcp(void)
{
	Pa_mcp_info info;
	pa_error err;

	pa_test_current = "mcp";
	CHECK_EQ_INT(mcp("good", 10000, &info, &err), PA_OK);
	CHECK_EQ_STR(info.instructions,
	             "Search before you get; ids are case sensitive.\nPages are in Markdown.");
	CHECK_EQ_INT(info.n_tools, 3);
	if (info.n_tools == 3) {
		CHECK_EQ_STR(info.tools[0].name, "search");
		CHECK_EQ_STR(info.tools[1].description, "Get a page of the docs by id");
		CHECK_EQ_STR(info.tools[2].name, "list_pages");
		CHECK_EQ_STR(info.tools[1].schema,
		             "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},"
		             "\"required\":[\"id\"]}");
	}
	Pa_mcp_info_release(&info);

	CHECK_EQ_INT(mcp("plain", 10000, &info, &err), PA_OK);
	CHECK(info.instructions == NULL);
	CHECK_EQ_INT(info.n_tools, 2);
	Pa_mcp_info_release(&info);

	/* Logs on stdout and a request of its own: skipped and refused. */
	CHECK_EQ_INT(mcp("noisy", 10000, &info, &err), PA_OK);
	CHECK_EQ_INT(info.n_tools, 2);
	Pa_mcp_info_release(&info);

	/* Leaves a sleeper behind: answered, and ended. */
	CHECK_EQ_INT(mcp("forks", 10000, &info, &err), PA_OK);
	CHECK_EQ_INT(info.n_tools, 2);
	CHECK(info.instructions != NULL);
	Pa_mcp_info_release(&info);

	CHECK(mcp("silent", 300, &info, &err) != PA_OK);
	CHECK_EQ_STR(err.message, "no answer within 300 ms");
	CHECK(info.n_tools == 0 && info.instructions == NULL);

	CHECK(mcp("flood", 20000, &info, &err) != PA_OK);
	CHECK_EQ_STR(err.message, "printed more than 65536 bytes");

	CHECK(mcp("exits", 10000, &info, &err) != PA_OK);
	CHECK(strstr(err.message, "initialize") != NULL);
	CHECK(strstr(err.message, "exit status 3") != NULL);
}

int main(void)
{
	test_output();
	test_hostile();
	test_budget();
#ifdef __linux__
	test_contained();
#endif
	test_mcp();
	return pa_test_summary();
}
