/*
 * run.c - a command of the project, run with a fixed environment, a
 * deadline and bounded output (run.h has the promises).
 *
 * The command is the leader of its own process group, so that what it
 * starts is killed with it: a hook that forks a sleeper holding the pipe
 * open cannot keep us waiting past PA_RUN_DRAIN_MS after it exits, nor
 * past the deadline in any case.  Everything between fork() and execve()
 * in the child is async-signal-safe (the program is found on PATH, and
 * every string built, before fork()); exec's errno comes back on a pipe
 * closed by exec, so "cannot run" is told apart from "exited 127".
 *
 * On Linux (run.h): we are a child subreaper, non-dumpable, and the child
 * sets no_new_privs and drops the capabilities that read other processes
 * before exec.  A process group is not enough to end what a command
 * starts (setsid leaves it), so when a command ends, sweep() walks /proc
 * for every process whose parent chain leads to the command or to a
 * child of ours that was not there when it started (an orphan reparented
 * to us), kills them, reaps ours, and walks again until none is left.
 * Elsewhere only the process group is killed.
 *
 * A command runs as the same user as we do, so it could signal us: stop
 * us (the deadline would never come) or kill us (the sweep would never
 * run).  So the child starts a session of its own (a kill of its process
 * group cannot reach us), dies with us (PR_SET_PDEATHSIG), and on Linux
 * where the kernel lets an unprivileged process have namespaces, it
 * unshares a user and a PID namespace and forks the command as the
 * namespace's first process: the command can then name no process
 * outside it (we are not in it; $PPID is 0, a pid read from /proc means
 * nothing to kill()), and when it ends, or when the child that waits for
 * it is killed, the kernel kills every process left in the namespace,
 * whatever session it made.  Where the kernel refuses, the command runs
 * as before, and SECURITY.md says what then holds.
 */
#ifdef __linux__
#define _GNU_SOURCE /* unshare() and its CLONE_* flags */
#endif
#define _POSIX_C_SOURCE 200809L
#include "run.h"
#include "platform.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <dirent.h>
#include <sched.h>
#include <sys/prctl.h>
#endif

struct Pa_proc {
	pid_t pid;
	int in, out, err;          /* our ends; -1 when closed */
	long long deadline;        /* ms, CLOCK_MONOTONIC */
	long long until;           /* a soft deadline (the drain), 0: none */
	long timeout_ms;
	size_t max_output, seen;   /* bytes of output allowed, and read */
	pa_buf pending;            /* output read past the last line */
	pa_buf errbuf;
	int exited, wstatus, timed_out, flooded;
	struct sigaction old_pipe;
	Pa_run_budget *budget;
	int budget_time, budget_output; /* the budget set the deadline, the limit */
	pid_t *before;             /* our children when it started */
	size_t n_before;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || fl < 0 ||
	       fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

/* The program argv0 names: itself when it holds a '/', else the first
 * executable file of that name on the PATH of env (or /usr/bin:/bin). */
static char *find_program(const char *argv0, const char *const *env)
{
	const char *path = "/usr/bin:/bin", *p;
	size_t i;

	if (strchr(argv0, '/'))
		return Pa_xstrdup(argv0);
	for (i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			path = env[i] + 5;
	for (p = path; ; ) {
		size_t n = strcspn(p, ":");
		pa_buf f = PA_BUF_INIT;
		struct stat st;

		pa_buf_printf(&f, "%.*s/%s", (int)n, n ? p : ".", argv0);
		if (stat(f.ptr, &st) == 0 && S_ISREG(st.st_mode) && access(f.ptr, X_OK) == 0)
			return pa_buf_detach(&f, NULL);
		pa_buf_release(&f);
		if (!p[n])
			break;
		p += n + 1;
	}
	return NULL;
}

void Pa_run_budget_init(Pa_run_budget *b, long total_ms, size_t total_output)
{
	b->deadline = now_ms() + total_ms;
	b->output_left = total_output;
	b->total_ms = total_ms;
	b->total_output = total_output;
}

#ifdef __linux__
/* The processes of /proc: pid, parent, and whether a zombie.  Returns
 * how many (0 when /proc cannot be read). */
typedef struct proc_entry {
	pid_t pid, ppid;
	int zombie;
} proc_entry;

static size_t list_procs(proc_entry **out)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	proc_entry *v = NULL;
	size_t n = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[64], buf[512], *rp;
		long pid;
		char *end;
		int fd;
		ssize_t len;

		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "pid (comm) S ppid ...": comm may hold ") ". */
		rp = strrchr(buf, ')');
		if (!rp || rp[1] != ' ' || !rp[2] || rp[3] != ' ')
			continue;
		v = Pa_xgrow(v, n, sizeof(*v));
		v[n].pid = (pid_t)pid;
		v[n].zombie = rp[2] == 'Z' || rp[2] == 'X';
		v[n].ppid = (pid_t)strtol(rp + 4, NULL, 10);
		n++;
	}
	closedir(d);
	*out = v;
	return n;
}

/* Our children now. */
static void snapshot_children(Pa_proc *p)
{
	proc_entry *v;
	size_t n = list_procs(&v), i;
	pid_t self = getpid();

	for (i = 0; i < n; i++)
		if (v[i].ppid == self) {
			p->before = Pa_xgrow(p->before, p->n_before, sizeof(*p->before));
			p->before[p->n_before++] = v[i].pid;
		}
	free(v);
}

static int was_before(const Pa_proc *p, pid_t pid)
{
	size_t i;

	for (i = 0; i < p->n_before; i++)
		if (p->before[i] == pid)
			return 1;
	return 0;
}

/* Kills and reaps every process the command left (the file's comment). */
static void sweep(Pa_proc *p)
{
	pid_t self = getpid();
	long long until = now_ms() + 2000;

	for (;;) {
		proc_entry *v;
		size_t n = list_procs(&v), i, marked = 0;
		unsigned char *mark = n ? Pa_xcalloc(n, 1) : NULL;
		int changed = 1;

		for (i = 0; i < n; i++)
			if (v[i].pid != self && v[i].pid != p->pid &&
			    (v[i].ppid == p->pid || (v[i].ppid == self && !was_before(p, v[i].pid))))
				mark[i] = 1;
		while (changed) {
			size_t j;
			changed = 0;
			for (i = 0; i < n; i++) {
				if (mark[i])
					continue;
				for (j = 0; j < n; j++)
					if (mark[j] && v[j].pid == v[i].ppid) {
						mark[i] = 1;
						changed = 1;
						break;
					}
			}
		}
		for (i = 0; i < n; i++)
			if (mark[i]) {
				marked++;
				if (!v[i].zombie)
					kill(v[i].pid, SIGKILL);
			}
		for (i = 0; i < n; i++)
			if (mark[i] && v[i].ppid == self)
				waitpid(v[i].pid, NULL, WNOHANG);
		free(mark);
		free(v);
		if (!marked || now_ms() >= until)
			break;
		{
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
		}
	}
}
#endif

#ifdef __linux__
/* Writes text to path (a /proc file of the namespace): async-signal-safe,
 * for the child between fork() and execve(); a failure is left to show
 * (the command then runs as nobody in its namespace). */
static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0) {
			/* nothing to tell it with */
		}
		close(fd);
	}
}
#endif

/* Once, before the first command: see run.h. */
static void guard_process(void)
{
#ifdef __linux__
	static int done;

	if (done)
		return;
	done = 1;
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
}

static void not_started(Pa_run_result *res, int e)
{
	res->end = PA_RUN_NOT_STARTED;
	res->status = e;
}

pa_status Pa_proc_start(const Pa_run_spec *spec, Pa_proc **out, Pa_run_result *res)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int pexec[2] = { -1, -1 };
	char *prog;
	Pa_proc *p;
	struct sigaction ign;
	int e = 0;
	ssize_t r;
	long max_fd;
	pid_t parent;
#ifdef __linux__
	char uid_map[64], gid_map[64];
	int confine;
#endif

	*out = NULL;
	memset(res, 0, sizeof(*res));
	res->out = (pa_buf)PA_BUF_INIT;
	res->err = (pa_buf)PA_BUF_INIT;
	if (!spec->argv || !spec->argv[0]) {
		not_started(res, EINVAL);
		return PA_OK;
	}
	if (!PA_CAN_RUN_COMMANDS) {
		not_started(res, ENOSYS);
		return PA_OK;
	}
	if (spec->budget && now_ms() >= spec->budget->deadline) {
		res->end = PA_RUN_BUDGET_TIME;
		return PA_OK;
	}
	if (spec->budget && !spec->budget->output_left) {
		res->end = PA_RUN_BUDGET_OUTPUT;
		return PA_OK;
	}
	prog = find_program(spec->argv[0], spec->env);
	if (!prog) {
		not_started(res, ENOENT);
		return PA_OK;
	}
	if (pipe(pin) || pipe(pout) || pipe(perr) || pipe(pexec) ||
	    set_flags(pin[1]) || set_flags(pout[0]) || set_flags(perr[0]) ||
	    fcntl(pexec[0], F_SETFD, FD_CLOEXEC) < 0 || fcntl(pexec[1], F_SETFD, FD_CLOEXEC) < 0) {
		e = errno;
		goto fail;
	}
	p = Pa_xcalloc(1, sizeof(*p));
	p->pending = (pa_buf)PA_BUF_INIT;
	p->errbuf = (pa_buf)PA_BUF_INIT;
	p->timeout_ms = spec->timeout_ms > 0 ? spec->timeout_ms : PA_RUN_TIMEOUT_MS;
	p->max_output = spec->max_output ? spec->max_output : PA_RUN_MAX_OUTPUT;
	p->deadline = now_ms() + p->timeout_ms;
	if (spec->budget) {
		p->budget = spec->budget;
		if (p->budget->deadline < p->deadline) {
			p->deadline = p->budget->deadline;
			p->budget_time = 1;
		}
		if (p->budget->output_left < p->max_output) {
			p->max_output = p->budget->output_left;
			p->budget_output = 1;
		}
	}
	guard_process();
#ifdef __linux__
	snapshot_children(p);
#endif
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &p->old_pipe);
	max_fd = sysconf(_SC_OPEN_MAX);
	if (max_fd < 0 || max_fd > 65536)
		max_fd = 65536;
	parent = getpid();
#ifdef __linux__
	snprintf(uid_map, sizeof(uid_map), "%lu %lu 1", (unsigned long)geteuid(),
	         (unsigned long)geteuid());
	snprintf(gid_map, sizeof(gid_map), "%lu %lu 1", (unsigned long)getegid(),
	         (unsigned long)getegid());
	confine = 1;
#endif
	p->pid = fork();
	if (p->pid < 0) {
		e = errno;
		sigaction(SIGPIPE, &p->old_pipe, NULL);
		pa_buf_release(&p->pending);
		pa_buf_release(&p->errbuf);
		free(p->before);
		free(p);
		goto fail;
	}
	if (p->pid == 0) {
		/* The child: only async-signal-safe calls from here. */
		long fd;
		setsid(); /* a session and process group of its own */
		signal(SIGPIPE, SIG_DFL);
#ifdef __linux__
		/* Nothing gained through exec (sudo, set-user-ID), and as root
		 * none of the capabilities that read another process. */
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		{
			static const int caps[] = { 16, 17, 19, 21, 38, 39 };
			/* CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE,
			 * CAP_SYS_ADMIN, CAP_PERFMON, CAP_BPF */
			size_t c;
			for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++)
				prctl(PR_CAPBSET_DROP, caps[c], 0, 0, 0);
		}
#endif
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(127); /* we died before it was set */
		if (confine && unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0) {
			pid_t cmd;
			int st;

			/* the same user and group inside as outside */
			write_file("/proc/self/setgroups", "deny");
			write_file("/proc/self/uid_map", uid_map);
			write_file("/proc/self/gid_map", gid_map);
			cmd = fork();
			if (cmd < 0)
				goto child_fail;
			if (cmd > 0) {
				/* This process waits, outside the namespace, and
				 * ends as the command did; killed, it takes the
				 * namespace with it (the command's PDEATHSIG).  It
				 * keeps the command's pipes open, so that their
				 * end comes when this process ends too, and the
				 * exit status is there to read with it. */
				for (fd = 0; fd < max_fd; fd++)
					if (fd != pin[0] && fd != pout[1] && fd != perr[1])
						close((int)fd);
				while (waitpid(cmd, &st, 0) < 0)
					if (errno != EINTR)
						_exit(127);
				if (WIFSIGNALED(st)) {
					signal(WTERMSIG(st), SIG_DFL);
					kill(getpid(), WTERMSIG(st));
				}
				_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 127);
			}
			/* the command: the namespace's first process */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		}
#endif
		if (dup2(pin[0], 0) < 0 || dup2(pout[1], 1) < 0 || dup2(perr[1], 2) < 0)
			goto child_fail;
		/* No descriptor of ours but these three (and exec's report). */
		for (fd = 3; fd < max_fd; fd++)
			if (fd != pexec[1])
				close((int)fd);
		if (spec->cwd && chdir(spec->cwd) < 0)
			goto child_fail;
		execve(prog, (char *const *)spec->argv,
		       (char *const *)(spec->env ? spec->env : (const char *const[]){ NULL }));
	child_fail:
		e = errno;
		if (write(pexec[1], &e, sizeof(e)) < 0) {
			/* nothing else to tell it with */
		}
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	close(pexec[1]);
	p->in = pin[1];
	p->out = pout[0];
	p->err = perr[0];
	free(prog);
	/* exec's report: EOF when exec succeeded. */
	do
		r = read(pexec[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	close(pexec[0]);
	if (r == (ssize_t)sizeof(e)) {
		Pa_proc_finish(p, res);
		not_started(res, e);
		return PA_OK;
	}
	*out = p;
	return PA_OK;
fail:
	free(prog);
	close_fd(&pin[0]); close_fd(&pin[1]);
	close_fd(&pout[0]); close_fd(&pout[1]);
	close_fd(&perr[0]); close_fd(&perr[1]);
	close_fd(&pexec[0]); close_fd(&pexec[1]);
	not_started(res, e);
	return PA_OK;
}

/* Reads what is there from fd into b (at most max bytes kept in all, the
 * rest discarded and *over set).  1 read something, 0 EOF (fd closed), -1
 * nothing now. */
static int drain(int *fd, pa_buf *b, size_t max, size_t *seen, int *over)
{
	char chunk[8192];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	if (n <= 0) {
		close_fd(fd);
		return 0;
	}
	if (*seen + (size_t)n > max) {
		size_t keep = max - *seen;
		pa_buf_put(b, chunk, keep);
		*seen = max;
		*over = 1;
		return 1;
	}
	pa_buf_put(b, chunk, (size_t)n);
	*seen += (size_t)n;
	return 1;
}

static void reap(Pa_proc *p, int wait)
{
	pid_t r;

	if (p->exited)
		return;
	do
		r = waitpid(p->pid, &p->wstatus, wait ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == p->pid || (r < 0 && errno == ECHILD))
		p->exited = 1;
}

/* Waits for output or the end: polls stdout (when want_out), stderr, and
 * stdin (when data waits).  Returns 0, or -1 at the deadline.  Keeps
 * stderr read so the command never blocks on it. */
static int step(Pa_proc *p, int want_out, int want_in)
{
	struct pollfd fds[3];
	int n = 0, io = -1, ie = -1, ii = -1, wait;
	int soft = p->until && p->until < p->deadline;
	long long left = (soft ? p->until : p->deadline) - now_ms();
	size_t errseen = p->errbuf.len;
	int over = 0;

	if (left <= 0) {
		if (soft)
			return 0;
		p->timed_out = 1;
		return -1;
	}
	if (want_out && p->out >= 0) {
		fds[n].fd = p->out; fds[n].events = POLLIN; io = n++;
	}
	if (p->err >= 0) {
		fds[n].fd = p->err; fds[n].events = POLLIN; ie = n++;
	}
	if (want_in && p->in >= 0) {
		fds[n].fd = p->in; fds[n].events = POLLOUT; ii = n++;
	}
	/* Without a descriptor to wait on, look at the child every 10 ms. */
	wait = n ? (int)(left < 1000 ? left : 1000) : (int)(left < 10 ? left : 10);
	if (poll(fds, (nfds_t)n, wait) < 0 && errno != EINTR)
		return -1;
	if (ie >= 0 && fds[ie].revents)
		drain(&p->err, &p->errbuf, p->max_output, &errseen, &over);
	(void)io;
	(void)ii;
	if (!n)
		reap(p, 0);
	return 0;
}

int Pa_proc_send(Pa_proc *p, const char *data, size_t len)
{
	while (len) {
		ssize_t w;

		if (p->in < 0)
			return -1;
		w = write(p->in, data, len);
		if (w > 0) {
			data += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			close_fd(&p->in);
			return -1;
		}
		if (step(p, 0, 1) < 0)
			return -1;
	}
	return 0;
}

int Pa_proc_read_line(Pa_proc *p, pa_buf *line)
{
	for (;;) {
		char *nl = p->pending.len ? memchr(p->pending.ptr, '\n', p->pending.len) : NULL;
		int over = 0, r;

		if (nl) {
			size_t n = (size_t)(nl - p->pending.ptr);
			pa_buf_reset(line);
			pa_buf_put(line, p->pending.ptr, n);
			memmove(p->pending.ptr, nl + 1, p->pending.len - n - 1);
			p->pending.len -= n + 1;
			p->pending.ptr[p->pending.len] = '\0';
			return 1;
		}
		if (p->flooded)
			return -1;
		if (p->out < 0) {
			if (!p->pending.len)
				return 0;
			pa_buf_reset(line);
			pa_buf_put(line, p->pending.ptr, p->pending.len);
			pa_buf_reset(&p->pending);
			return 1;
		}
		r = drain(&p->out, &p->pending, p->max_output, &p->seen, &over);
		if (over) {
			p->flooded = 1;
			continue;
		}
		if (r < 0 && step(p, 1, 0) < 0)
			return -1;
	}
}

void Pa_proc_finish(Pa_proc *p, Pa_run_result *res)
{
	int ended = 0;

	if (!p)
		return;
	close_fd(&p->in);
	reap(p, 0);
	if (!p->exited && p->out >= 0) {
		struct pollfd pf;

		pf.fd = p->out;
		pf.events = POLLIN;
		pf.revents = 0;
		if (poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP))
			ended = 1; /* every writer gone */
	}
	if (!p->exited && (p->out < 0 || ended)) {
		/* Its output ended: it is ending (the process that waits for a
		 * command in its namespace ends just after it); its exit
		 * status is worth a moment. */
		long long until = now_ms() + 200;

		while (!p->exited && now_ms() < until) {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
			reap(p, 0);
		}
	}
	kill(-p->pid, SIGKILL);
	if (!p->exited)
		kill(p->pid, SIGKILL);
	reap(p, 1);
#ifdef __linux__
	sweep(p);
#endif
	/* What it wrote to stderr before it ended. */
	while (p->err >= 0) {
		size_t errseen = p->errbuf.len;
		int over = 0;
		if (drain(&p->err, &p->errbuf, p->max_output, &errseen, &over) < 0 || over)
			break;
	}
	close_fd(&p->out);
	close_fd(&p->err);
	sigaction(SIGPIPE, &p->old_pipe, NULL);
	pa_buf_release(&res->err);
	res->err = p->errbuf;
	if (p->budget)
		p->budget->output_left -= p->seen < p->budget->output_left
		                          ? p->seen : p->budget->output_left;
	if (p->flooded && p->budget_output) {
		res->end = PA_RUN_BUDGET_OUTPUT;
		res->status = 1;
		res->truncated = 1;
	} else if (p->timed_out && p->budget_time) {
		res->end = PA_RUN_BUDGET_TIME;
		res->status = 1;
	} else if (p->flooded) {
		res->end = PA_RUN_FLOODED;
		res->truncated = 1;
	} else if (p->timed_out) {
		res->end = PA_RUN_TIMED_OUT;
	} else if (WIFSIGNALED(p->wstatus)) {
		res->end = PA_RUN_SIGNALED;
		res->status = WTERMSIG(p->wstatus);
	} else {
		res->end = PA_RUN_EXITED;
		res->status = WEXITSTATUS(p->wstatus);
	}
	pa_buf_release(&p->pending);
	free(p->before);
	free(p);
}

pa_status Pa_run(const Pa_run_spec *spec, Pa_run_result *res)
{
	Pa_proc *p;
	size_t sent = 0;

	Pa_proc_start(spec, &p, res);
	if (!p)
		return PA_OK;
	if (!spec->input || !spec->input_len)
		close_fd(&p->in);
	for (;;) {
		int over = 0, r;

		if (p->in >= 0 && sent < spec->input_len) {
			ssize_t w = write(p->in, spec->input + sent, spec->input_len - sent);
			if (w > 0)
				sent += (size_t)w;
			else if (w < 0 && errno != EAGAIN && errno != EINTR)
				close_fd(&p->in);
			if (sent == spec->input_len)
				close_fd(&p->in);
		}
		r = p->out >= 0 ? drain(&p->out, &res->out, p->max_output, &p->seen, &over) : 0;
		if (over) {
			p->flooded = 1;
			break;
		}
		if (r > 0)
			continue;
		reap(p, 0);
		if (p->out < 0 && p->exited)
			break;
		/* Exited, but a child it left holds the pipe: a short drain. */
		if (p->exited && !p->until)
			p->until = now_ms() + PA_RUN_DRAIN_MS;
		if (p->until && now_ms() >= p->until)
			break;
		if (step(p, 1, p->in >= 0) < 0)
			break;
	}
	Pa_proc_finish(p, res);
	return PA_OK;
}

void Pa_run_result_release(Pa_run_result *res)
{
	if (!res)
		return;
	pa_buf_release(&res->out);
	pa_buf_release(&res->err);
}

void Pa_run_describe(const Pa_run_result *res, const Pa_run_spec *spec,
                     pa_buf *out)
{
	long timeout_ms = spec->timeout_ms > 0 ? spec->timeout_ms : PA_RUN_TIMEOUT_MS;
	size_t max = spec->max_output ? spec->max_output : PA_RUN_MAX_OUTPUT;

	switch (res->end) {
	case PA_RUN_EXITED:
		pa_buf_printf(out, "exit status %d", res->status);
		break;
	case PA_RUN_SIGNALED:
		pa_buf_printf(out, "killed by signal %d", res->status);
		break;
	case PA_RUN_TIMED_OUT:
		pa_buf_printf(out, "no answer within %ld ms", timeout_ms);
		break;
	case PA_RUN_FLOODED:
		pa_buf_printf(out, "printed more than %zu bytes", max);
		break;
	case PA_RUN_BUDGET_TIME: {
		long t = spec->budget ? spec->budget->total_ms : 0;
		if (t % 1000)
			pa_buf_printf(out, res->status ? "killed when the %ld ms for all commands "
			              "of the run passed" : "the %ld ms for all commands of the "
			              "run had passed", t);
		else
			pa_buf_printf(out, res->status ? "killed when the %ld s for all commands "
			              "of the run passed" : "the %ld s for all commands of the "
			              "run had passed", t / 1000);
		break;
	}
	case PA_RUN_BUDGET_OUTPUT:
		pa_buf_printf(out, res->status ? "cut: all commands of the run printed more "
		              "than %zu bytes" : "all commands of the run had printed %zu bytes",
		              spec->budget ? spec->budget->total_output : 0);
		break;
	default:
		pa_buf_printf(out, "cannot run: %s", strerror(res->status));
	}
}
