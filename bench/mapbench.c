/*
 * mapbench: drive a tracer through the 100,000-key map benchmark and time
 * its exit phase.  Compiled by bench/run; its comm ("mapbench") is what the
 * traced script filters on.
 *
 *   mapbench OUT ERR N -- TRACER [ARGS...]
 *   mapbench --untraced N      (time step 3 alone, no tracer: a baseline)
 *
 * 1. Starts TRACER (fork + exec) with stdout to OUT and stderr to ERR.
 * 2. Handshake: calls kill(READY_PID, 0) every 2 ms until OUT contains
 *    "ready" (the script prints it from the kill tracepoint), so every
 *    later call is seen by an attached probe.
 * 3. Trigger: kill(BASE_PID + i, 0) for i in [0, N): N distinct keys.
 *    None of these pids exists (pid_max is far lower): each call is a cheap
 *    ESRCH.
 * 4. t0 = CLOCK_MONOTONIC, then kill(END_PID, 0): the script calls exit().
 * 5. waitpid(TRACER); t1 = CLOCK_MONOTONIC.
 *
 * Prints one line:  <exit_phase_us> <trigger_us> <tracer_exit_status>
 * where exit_phase_us = t1 - t0 (exit() noticed, END, maps read and
 * printed, detach, process exit) and trigger_us the time of step 3.
 * A tracer that does not exit within LIMIT_S seconds of step 4 is killed
 * (SIGKILL, reported as status 137).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BASE_PID 100000000L
#define READY_PID 99999998L
#define END_PID 99999999L
#define LIMIT_S 300

static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int file_has_ready(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;
	int found = 0;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		found = strstr(buf, "ready") != NULL;
	}
	close(fd);
	return found;
}

static int redirect(const char *path, int target)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	if (fd != target) {
		if (dup2(fd, target) < 0)
			return -1;
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *out, *err;
	struct sigaction sa;
	long n, i;
	int status, fd, waited = 0;
	long long t0, t1, ts, te;

	if (argc == 3 && strcmp(argv[1], "--untraced") == 0) {
		/* Baseline: the trigger loop alone, with no tracer running. */
		n = strtol(argv[2], NULL, 10);
		ts = now_us();
		for (i = 0; i < n; i++)
			kill((pid_t)(BASE_PID + i), 0);
		te = now_us();
		printf("%lld\n", te - ts);
		return 0;
	}
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: mapbench OUT ERR N -- TRACER [ARGS...]\n"
				"       mapbench --untraced N\n");
		return 2;
	}
	out = argv[1];
	err = argv[2];
	n = strtol(argv[3], NULL, 10);

	/* Empty OUT before the tracer starts, so no stale "ready" is read. */
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(out);
		return 2;
	}
	close(fd);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (child == 0) {
		if (redirect(out, 1) < 0 || redirect(err, 2) < 0)
			_exit(127);
		execvp(argv[5], argv + 5);
		_exit(127);
	}

	/* Handshake: up to about 60 s. */
	for (;;) {
		kill((pid_t)READY_PID, 0);
		if (file_has_ready(out))
			break;
		if (waitpid(child, &status, WNOHANG) == child) {
			fprintf(stderr, "mapbench: tracer exited before it was ready (see %s)\n", err);
			return 1;
		}
		if (++waited > 30000) {
			fprintf(stderr, "mapbench: tracer not ready after 60 s\n");
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			return 1;
		}
		usleep(2000);
	}

	ts = now_us();
	for (i = 0; i < n; i++)
		kill((pid_t)(BASE_PID + i), 0);
	te = now_us();

	alarm(LIMIT_S);
	t0 = now_us();
	kill((pid_t)END_PID, 0);
	while (waitpid(child, &status, 0) != child) {
		if (errno != EINTR) {
			perror("waitpid");
			return 2;
		}
	}
	t1 = now_us();
	alarm(0);

	printf("%lld %lld %d\n", t1 - t0, te - ts,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
