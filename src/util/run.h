/*
 * run.h - running a command of the project, only when the user trusts it
 * (`--trust`): a process with a fixed environment, a timeout, and bounded
 * output; and an MCP client over its standard input and output.
 *
 * Nothing here decides whether to run: the caller does, from the user's
 * flag or the user's own config (never the repository's).  What is
 * promised, whatever the command does:
 *   - it ends: the whole process group is killed at the deadline, when its
 *     output passes the limit, and when the command itself has exited (a
 *     child it left behind holding the pipe open is killed with it, after
 *     a short drain);
 *   - the output kept is at most max_output bytes (truncated is set);
 *   - it gets only the environment given (no variable of ours leaks), the
 *     working directory given, /dev/null or the input given on standard
 *     input, and no file descriptor of ours;
 *   - SIGPIPE is ignored while it runs, and restored;
 *   - on Linux, nothing it starts outlives it: promptasm becomes a child
 *     subreaper, so what a command leaves (a daemon in a session of its
 *     own included) is reparented to us, and when the command ends every
 *     process descended from it or reparented to us since it started is
 *     killed and reaped;
 *   - on Linux, it cannot read our environment or memory: before the
 *     first command the process is made non-dumpable (so /proc/PID/environ
 *     and ptrace are refused to other processes of the same user), and
 *     the command runs with no_new_privs (sudo and set-user-ID programs
 *     give it nothing) and, when we can drop them, without the
 *     capabilities that read another process (CAP_SYS_PTRACE and kin);
 *   - with a budget (below), it shares one deadline and one output limit
 *     with the other commands of the run.
 * Not thread-safe (the signal disposition is the process's).  The
 * subreaper and non-dumpable settings stay for the life of the process.
 *
 *     Pa_run_spec spec = { argv, cwd, env, NULL, 0, 2000, 65536 };
 *     Pa_run_result r;
 *     Pa_run(&spec, &r);
 *     if (r.end == PA_RUN_EXITED && r.status == 0) use(r.out.ptr, r.out.len);
 *     Pa_run_result_release(&r);
 */
#ifndef PA_UTIL_RUN_H
#define PA_UTIL_RUN_H

#include "promptasm.h"

/* The default deadline of one command or server, and of what it prints. */
#define PA_RUN_TIMEOUT_MS 10000
#define PA_RUN_MAX_OUTPUT (1024 * 1024)
/* After the command exits, how long a child it left may keep its output
 * open before it is killed. */
#define PA_RUN_DRAIN_MS 200

/* One budget for all the commands of a run: a deadline they share and the
 * bytes of standard output they may print together.  A command run with
 * one gets the earlier of its own deadline and the budget's, and the
 * smaller of its max_output and what is left; what it printed is taken
 * off.  Once either is spent, the next is not started. */
typedef struct Pa_run_budget {
	long long deadline;   /* ms, CLOCK_MONOTONIC */
	size_t output_left;
	long total_ms;        /* as given, for the descriptions */
	size_t total_output;
} Pa_run_budget;

/* Starts a budget of total_ms from now and total_output bytes. */
void Pa_run_budget_init(Pa_run_budget *b, long total_ms, size_t total_output);

typedef struct Pa_run_spec {
	const char *const *argv; /* argv[0] without '/' is found on the env's PATH */
	const char *cwd;         /* NULL: ours */
	const char *const *env;  /* the whole environment, NULL-terminated */
	const char *input;       /* written to standard input, which is then closed */
	size_t input_len;
	long timeout_ms;         /* <= 0: PA_RUN_TIMEOUT_MS */
	size_t max_output;       /* 0: PA_RUN_MAX_OUTPUT */
	Pa_run_budget *budget;   /* shared with the run's other commands; NULL: none */
} Pa_run_spec;

typedef enum Pa_run_end {
	PA_RUN_EXITED = 0,      /* status: its exit status */
	PA_RUN_SIGNALED = 1,    /* status: the signal */
	PA_RUN_TIMED_OUT = 2,   /* killed at the deadline */
	PA_RUN_FLOODED = 3,     /* killed when its output passed max_output */
	PA_RUN_NOT_STARTED = 4, /* status: the errno of fork, exec or chdir */
	PA_RUN_BUDGET_TIME = 5, /* the budget's deadline: status 0 not started,
	                         * 1 killed at it */
	PA_RUN_BUDGET_OUTPUT = 6 /* the budget's output: status 0 not started,
	                          * 1 cut there and killed (truncated) */
} Pa_run_end;

typedef struct Pa_run_result {
	pa_buf out;       /* standard output, at most max_output bytes */
	pa_buf err;       /* standard error, at most max_output bytes */
	int truncated;    /* output was cut at max_output */
	Pa_run_end end;
	int status;
} Pa_run_result;

/* Runs spec to its end.  Always fills res (release it); PA_OK unless out
 * of a resource the run itself needs (a pipe). */
pa_status Pa_run(const Pa_run_spec *spec, Pa_run_result *res);
void Pa_run_result_release(Pa_run_result *res);
/* A short description of how a run of spec ended: "exit status 2", "no
 * answer within 10000 ms", "killed by signal 9", "printed more than
 * 1048576 bytes", "cannot run: No such file or directory", "the 20 s
 * for all commands of the run had passed", "cut: all commands of the run
 * printed more than 16777216 bytes". */
void Pa_run_describe(const Pa_run_result *res, const Pa_run_spec *spec,
                     pa_buf *out);

/* ---- A process to talk with, line by line ---- */

typedef struct Pa_proc Pa_proc;

/* Starts spec (its input is ignored: write with Pa_proc_send).  The
 * deadline, timeout_ms from now, holds for every call after.  On failure
 * *out is NULL and res says why (end PA_RUN_NOT_STARTED). */
pa_status Pa_proc_start(const Pa_run_spec *spec, Pa_proc **out, Pa_run_result *res);
/* Writes all of data; 0 on success, -1 when the process is gone or the
 * deadline passed. */
int Pa_proc_send(Pa_proc *p, const char *data, size_t len);
/* The next line of its output (without the newline) into line: 1, or 0 at
 * the end of its output, or -1 at the deadline or past max_output. */
int Pa_proc_read_line(Pa_proc *p, pa_buf *line);
/* Ends it (the whole group is killed), reaps it, fills res with how it
 * ended and its standard error, and frees p.  NULL does nothing. */
void Pa_proc_finish(Pa_proc *p, Pa_run_result *res);

/* ---- MCP over stdio ---- */

/* What an MCP server tells a client that connects: Claude Code's handshake
 * (initialize, notifications/initialized, tools/list and its pages). */
typedef struct Pa_mcp_tool {
	char *name;
	char *description;   /* NULL when it gives none */
	char *schema;        /* its inputSchema as compact JSON, NULL when none */
} Pa_mcp_tool;

typedef struct Pa_mcp_info {
	char *instructions;  /* the initialize result's, NULL when none */
	Pa_mcp_tool *tools;
	size_t n_tools;
} Pa_mcp_info;

/* The most pages of tools/list read, and the most tools kept. */
#define PA_MCP_MAX_PAGES 100
#define PA_MCP_MAX_TOOLS 10000

/* Starts the server of spec, asks it, ends it.  PA_OK with *info filled,
 * else an error whose message says what went wrong (the run's end, or
 * what was wrong with an answer).  Release info with Pa_mcp_info_release. */
pa_status Pa_mcp_query(const Pa_run_spec *spec, Pa_mcp_info *info, pa_error *err);
void Pa_mcp_info_release(Pa_mcp_info *info);

#endif
