/* The data-driven test runner: every *.test file holds cases, one block a
 * case, separated by blank lines:
 *
 *   NAME      what the case checks (starts a case)
 *   PROG      a script, run as: trawk ARGS -e 'PROG' (or PROG <<END ... END)
 *   RUN       a shell command instead of PROG; $TRAWK is the binary
 *   ARGS      extra trawk options for PROG
 *   AFTER     a shell command run once trawk has attached (a trigger)
 *   EXPECT    a line that must appear in stdout, after the previous EXPECT
 *   EXPECT_REGEX   the same, as a POSIX extended regex matching a whole line
 *   STDOUT <<END ... END   stdout must be exactly this
 *   STDERR <<END ... END   stderr must be exactly this
 *   STDERR_REGEX   a regex some stderr line must match
 *   NOT_EXPECT     a line that must not appear in stdout
 *   EXIT      the expected exit status (default 0)
 *   TIMEOUT   seconds before the case fails (default 20)
 *   REQUIRES  a shell command that must succeed, else the case is skipped
 *   REASON    what a failed REQUIRES means, shown with the skip
 *
 * Commands see $TRAWK (the binary) and $TESTDIR (the test file's folder).
 * TRAWK_TEST_TIME_FACTOR (a number, default 1) multiplies every TIMEOUT:
 * under emulation (make check-vm) everything runs several times slower.
 *
 * Usage: runner TRAWK FILE.test [NAME-FILTER | #K]
 *   #K runs only the file's K-th case (from 1): ctest runs each case so,
 *   and so reports a skipped case as skipped, never as a pass.
 * Exit status: 0 passed, 1 failed, 77 every case run skipped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static const char *buf_str(const struct buf *b)
{
	return b->s ? b->s : "";
}

enum check_kind { CHK_EXPECT, CHK_REGEX, CHK_NOT, CHK_STDERR_REGEX };

struct check {
	enum check_kind kind;
	char *text;
};

#define MAX_CHECKS 64

struct tcase {
	char *name, *prog, *run, *args, *after, *requires, *reason;
	char *stdout_exact, *stderr_exact;
	struct check checks[MAX_CHECKS];
	int nchecks;
	bool too_many_checks;      /* a failure: the case is not what it says */
	int exit_code;
	int timeout;
	int line;
};

static const char *trawk_path;
static double time_factor = 1;

static char *trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return strndup(s, n);
}

/* Reads "<<TAG" heredoc lines up to TAG. */
static char *heredoc(FILE *f, const char *tag, int *lineno)
{
	struct buf b = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		(*lineno)++;
		size_t l = (size_t)n;
		if (l && line[l - 1] == '\n')
			l--;
		if (l == strlen(tag) && !strncmp(line, tag, l))
			break;
		buf_add(&b, line, (size_t)n);
		if (line[n - 1] != '\n')
			buf_add(&b, "\n", 1);
	}
	free(line);
	if (!b.s)
		return strdup("");
	return b.s;
}

static char *value(FILE *f, const char *rest, int *lineno)
{
	char *v = trim_dup(rest);
	if (!strncmp(v, "<<", 2)) {
		char *tag = trim_dup(v + 2);
		char *r = heredoc(f, tag, lineno);
		free(tag);
		free(v);
		return r;
	}
	return v;
}

static void free_case(struct tcase *c)
{
	free(c->name); free(c->prog); free(c->run); free(c->args); free(c->after);
	free(c->requires); free(c->reason); free(c->stdout_exact); free(c->stderr_exact);
	for (int i = 0; i < c->nchecks; i++)
		free(c->checks[i].text);
	memset(c, 0, sizeof(*c));
}

static char *shell_quote(const char *s)
{
	struct buf b = {0};
	buf_add(&b, "'", 1);
	for (; *s; s++) {
		if (*s == '\'')
			buf_add(&b, "'\\''", 4);
		else
			buf_add(&b, s, 1);
	}
	buf_add(&b, "'", 1);
	return b.s;
}

static char *command_of(const struct tcase *c)
{
	if (c->run)
		return strdup(c->run);
	struct buf b = {0};
	buf_add(&b, "exec \"$TRAWK\" ", 14);
	if (c->args) {
		buf_add(&b, c->args, strlen(c->args));
		buf_add(&b, " ", 1);
	}
	buf_add(&b, "-e ", 3);
	char *q = shell_quote(c->prog ? c->prog : "");
	buf_add(&b, q, strlen(q));
	free(q);
	return b.s;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_shell(const char *cmd)
{
	pid_t p = fork();
	if (p == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

struct result {
	struct buf out, err;
	int status;
	bool timed_out;
};

static void execute(const struct tcase *c, struct result *r)
{
	int po[2], pe[2];
	if (pipe(po) || pipe(pe)) {
		perror("pipe");
		exit(2);
	}
	char *cmd = command_of(c);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]); close(pe[0]); close(po[1]); close(pe[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	close(po[1]);
	close(pe[1]);
	bool triggered = !c->after;
	pid_t trigger = 0;
	double deadline = now() + c->timeout * time_factor;
	struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
	int open_fds = 2;
	while (open_fds) {
		int left = (int)((deadline - now()) * 1000);
		if (left <= 0) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			break;
		}
		if (poll(fds, 2, left > 200 ? 200 : left) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			char tmp[4096];
			ssize_t n = read(fds[i].fd, tmp, sizeof(tmp));
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			buf_add(i ? &r->err : &r->out, tmp, (size_t)n);
		}
		if (!triggered && strstr(buf_str(&r->err), "Attached")) {
			triggered = true;
			trigger = fork();
			if (trigger == 0) {
				int null = open("/dev/null", O_RDWR);
				dup2(null, 1);
				dup2(null, 2);
				execl("/bin/sh", "sh", "-c", c->after, (char *)NULL);
				_exit(127);
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	int st = 0;
	waitpid(pid, &st, 0);
	if (trigger > 0)
		waitpid(trigger, NULL, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool line_matches(const char *line, size_t n, const struct check *ck, regex_t *re)
{
	char *l = strndup(line, n);
	bool ok = ck->kind == CHK_EXPECT || ck->kind == CHK_NOT ? !strcmp(l, ck->text)
								 : regexec(re, l, 0, NULL, 0) == 0;
	free(l);
	return ok;
}

/* Finds a line matching ck at or after *pos; moves *pos past it. */
static bool find_line(const char *text, size_t *pos, const struct check *ck)
{
	regex_t re;
	bool is_re = ck->kind == CHK_REGEX || ck->kind == CHK_STDERR_REGEX;
	if (is_re) {
		char *anchored;
		if (asprintf(&anchored, "^(%s)$", ck->text) < 0)
			return false;
		int rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc) {
			fprintf(stderr, "    bad regex: %s\n", ck->text);
			return false;
		}
	}
	const char *p = text + *pos;
	bool found = false;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (line_matches(p, n, ck, &re)) {
			found = true;
			*pos = (size_t)(p - text) + n + (nl ? 1 : 0);
			break;
		}
		p += n + (nl ? 1 : 0);
	}
	if (is_re)
		regfree(&re);
	return found;
}

static void show(const char *what, const char *text)
{
	fprintf(stderr, "    --- %s ---\n", what);
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(stderr, "    |%.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

static bool verify(const struct tcase *c, const struct result *r)
{
	bool ok = true;
	if (r->timed_out) {
		fprintf(stderr, "    timed out after %g s\n", c->timeout * time_factor);
		ok = false;
	}
	if (r->status != c->exit_code) {
		fprintf(stderr, "    exit status %d, expected %d\n", r->status, c->exit_code);
		ok = false;
	}
	const char *out = buf_str(&r->out), *err = buf_str(&r->err);
	if (c->stdout_exact && strcmp(out, c->stdout_exact)) {
		fprintf(stderr, "    stdout differs\n");
		show("expected stdout", c->stdout_exact);
		ok = false;
	}
	if (c->stderr_exact && strcmp(err, c->stderr_exact)) {
		fprintf(stderr, "    stderr differs\n");
		show("expected stderr", c->stderr_exact);
		ok = false;
	}
	size_t pos = 0;
	for (int i = 0; i < c->nchecks; i++) {
		const struct check *ck = &c->checks[i];
		if (ck->kind == CHK_NOT) {
			size_t p0 = 0;
			if (find_line(out, &p0, ck)) {
				fprintf(stderr, "    unexpected line: %s\n", ck->text);
				ok = false;
			}
			continue;
		}
		if (ck->kind == CHK_STDERR_REGEX) {
			size_t p0 = 0;
			if (!find_line(err, &p0, ck)) {
				fprintf(stderr, "    no stderr line matches: %s\n", ck->text);
				ok = false;
			}
			continue;
		}
		if (!find_line(out, &pos, ck)) {
			fprintf(stderr, "    missing %s: %s\n", ck->kind == CHK_REGEX ? "match" : "line", ck->text);
			ok = false;
			break;
		}
	}
	if (!ok) {
		show("stdout", out);
		show("stderr", err);
	}
	return ok;
}

/* 0 passed, 1 failed, 2 skipped */
static int run_case(const char *file, const struct tcase *c)
{
	if (c->too_many_checks) {
		printf("FAIL %s:%d: %s\n", file, c->line, c->name);
		fprintf(stderr, "FAIL %s:%d: %s: more than %d checks; split the case\n", file, c->line, c->name,
			MAX_CHECKS);
		return 1;
	}
	if (c->requires && run_shell(c->requires) != 0) {
		printf("SKIP %s:%d: %s (%s%s)\n", file, c->line, c->name, c->reason ? "" : "requires: ",
		       c->reason ? c->reason : c->requires);
		return 2;
	}
	struct result r = {0};
	execute(c, &r);
	bool ok = verify(c, &r);
	printf("%s %s:%d: %s\n", ok ? "PASS" : "FAIL", file, c->line, c->name);
	if (!ok)
		fprintf(stderr, "FAIL %s:%d: %s\n", file, c->line, c->name);
	free(r.out.s);
	free(r.err.s);
	return ok ? 0 : 1;
}

static bool directive(FILE *f, struct tcase *c, const char *line, int *lineno)
{
	static const struct { const char *kw; enum check_kind kind; } checks[] = {
		{ "EXPECT_REGEX", CHK_REGEX }, { "EXPECT", CHK_EXPECT }, { "NOT_EXPECT", CHK_NOT },
		{ "STDERR_REGEX", CHK_STDERR_REGEX },
	};
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		size_t n = strlen(checks[i].kw);
		if (!strncmp(line, checks[i].kw, n) && line[n] == ' ') {
			if (c->nchecks == MAX_CHECKS) {
				c->too_many_checks = true;
				return true;
			}
			c->checks[c->nchecks].kind = checks[i].kind;
			c->checks[c->nchecks++].text = trim_dup(line + n + 1);
			return true;
		}
	}
	struct { const char *kw; char **dst; } fields[] = {
		{ "PROG", &c->prog }, { "RUN", &c->run }, { "ARGS", &c->args }, { "AFTER", &c->after },
		{ "REQUIRES", &c->requires }, { "REASON", &c->reason }, { "STDOUT", &c->stdout_exact }, { "STDERR", &c->stderr_exact },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t n = strlen(fields[i].kw);
		if (!strncmp(line, fields[i].kw, n) && line[n] == ' ') {
			free(*fields[i].dst);
			*fields[i].dst = value(f, line + n + 1, lineno);
			return true;
		}
	}
	if (!strncmp(line, "EXIT ", 5)) {
		c->exit_code = atoi(line + 5);
		return true;
	}
	if (!strncmp(line, "TIMEOUT ", 8)) {
		c->timeout = atoi(line + 8);
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runner TRAWK FILE.test [FILTER | #K]\n");
		return 2;
	}
	trawk_path = argv[1];
	/* A guest's serial console shows results as they come. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *factor = getenv("TRAWK_TEST_TIME_FACTOR");
	if (factor && atof(factor) > 0)
		time_factor = atof(factor);
	setenv("TRAWK", trawk_path, 1);
	char *dir = realpath(argv[2], NULL);
	if (dir && strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	setenv("TESTDIR", dir ? dir : ".", 1);
	free(dir);
	const char *filter = argc > 3 ? argv[3] : NULL;
	int only = filter && filter[0] == '#' ? atoi(filter + 1) : 0, index = 0;
	if (only)
		filter = NULL;
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	const char *base = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
	struct tcase c = {0};
	int failed = 0, passed = 0, skipped = 0, lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool more = true;
	while (more) {
		n = getline(&line, &cap, f);
		more = n > 0;
		if (more)
			lineno++;
		bool starts = more && !strncmp(line, "NAME ", 5);
		if ((!more || starts) && c.name) {
			index++;
			if ((!filter || strstr(c.name, filter)) && (!only || index == only)) {
				int rc = run_case(base, &c);
				failed += rc == 1;
				passed += rc == 0;
				skipped += rc == 2;
			}
			free_case(&c);
		}
		if (!more)
			break;
		if (starts) {
			c.name = trim_dup(line + 5);
			c.timeout = 20;
			c.line = lineno;
			continue;
		}
		if (line[0] == '#' || line[0] == '\n' || !c.name)
			continue;
		if (!directive(f, &c, line, &lineno)) {
			fprintf(stderr, "%s:%d: unknown directive: %s", base, lineno, line);
			failed++;
		}
	}
	free(line);
	fclose(f);
	printf("%s: %d passed, %d failed, %d skipped\n", base, passed, failed, skipped);
	if (only && index < only) {
		fprintf(stderr, "%s has %d cases, not %d\n", base, index, only);
		return 1;
	}
	/* Every case skipped: ctest reports the file as skipped (SKIP_RETURN_CODE). */
	if (!failed && !passed && skipped)
		return 77;
	return failed ? 1 : 0;
}
