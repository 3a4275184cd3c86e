/* Opening and loading the object, and explaining a verifier rejection at
 * the script's own position. */
#include "session.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* libbpf's print callback is process-wide, and an embedding program may
 * run trawk in several threads: while any run is loading or attaching,
 * the callback is trawk's, and sends each message to the run of the
 * thread it comes from (another thread's go to the caller's callback);
 * the last run to end restores the caller's. */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned print_users;
static libbpf_print_fn_t caller_print;
static __thread struct strbuf *libbpf_sink;

static int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (libbpf_sink) {
		sb_vprintf(libbpf_sink, fmt, ap);
		return 0;
	}
	pthread_mutex_lock(&print_lock);
	libbpf_print_fn_t fn = caller_print;
	pthread_mutex_unlock(&print_lock);
	return fn ? fn(level, fmt, ap) : 0;
}

static void capture_begin(struct session *s)
{
	libbpf_sink = &s->libbpf_log;
	pthread_mutex_lock(&print_lock);
	if (print_users++ == 0)
		caller_print = libbpf_set_print(capture_libbpf);
	pthread_mutex_unlock(&print_lock);
	s->capturing = true;
}

void session_capture_end(struct session *s)
{
	if (!s->capturing)
		return;
	s->capturing = false;
	libbpf_sink = NULL;
	pthread_mutex_lock(&print_lock);
	if (--print_users == 0)
		libbpf_set_print(caller_print);
	pthread_mutex_unlock(&print_lock);
}

struct bpf_program *session_program(struct session *s, const char *name)
{
	return bpf_object__find_program_by_name(s->obj, name);
}

static const struct probe_point *point_of(struct session *s, const char *prog)
{
	for (size_t i = 0; i < s->plan->points.n; i++) {
		const struct probe_point *pt = s->plan->points.v[i];
		if (pt->prog_name && !strcmp(pt->prog_name, prog))
			return pt;
	}
	return NULL;
}

/* The verifier's own words: the last line of its log that is not one of
 * its closing statistics. */
static void verifier_reason(const char *log, char *out, size_t size)
{
	out[0] = 0;
	const char *line_end = log + strlen(log);
	while (line_end > log && (line_end[-1] == '\n' || line_end[-1] == ' '))
		line_end--;
	for (int skip = 0; skip < 4 && line_end > log; skip++) {
		const char *ls = line_end;
		while (ls > log && ls[-1] != '\n')
			ls--;
		if (strncmp(ls, "processed ", 10) && strncmp(ls, "verification time", 17) &&
		    strncmp(ls, "stack depth", 11)) {
			snprintf(out, size, "%.*s", (int)(line_end - ls), ls);
			return;
		}
		line_end = ls > log ? ls - 1 : ls;
	}
}

/* The script line of the log's last "; ... @ FILE:LINE" note: the kernel
 * prints one whenever line info changes. */
static int verifier_line(const char *log)
{
	int line = 0;
	for (const char *p = log; (p = strstr(p, "\n;")); p += 2) {
		const char *eol = strchr(p + 1, '\n');
		const char *at = eol ? memmem(p, (size_t)(eol - p), " @ ", 3) : NULL;
		const char *colon = at ? memrchr(at, ':', (size_t)(eol - at)) : NULL;
		if (colon)
			line = atoi(colon + 1);
	}
	return line;
}

/* The first statement on that line after the probe's attach point (a
 * one-line script has every probe's statements on line 1), else the
 * probe. */
static struct loc statement_at(struct session *s, int line, const struct loc *probe)
{
	for (size_t i = 0; line > 0 && i < s->plan->stmt_locs.n; i++) {
		const struct loc *l = &s->plan->stmt_locs.v[i];
		if (l->line == line && (l->line > probe->line || l->col > probe->col))
			return *l;
	}
	return *probe;
}

static const char *hint_for(const char *reason)
{
	if (strstr(reason, "too large") || strstr(reason, "infinite loop"))
		return "a loop must end within the verifier's limit of 1,000,000 instructions; bound it";
	if (strstr(reason, "stack"))
		return "the BPF stack is 512 bytes; lower max_strlen or use fewer large values at once";
	if (strstr(reason, "unreleased reference"))
		return "this is a bug in trawk's code generation: please report it";
	return NULL;
}

/* Every program gets a verifier log of its own: windows of one buffer,
 * program i's starting at byte i (the kernel wants at least 128 bytes a
 * log, so they overlap).  libbpf loads the programs in order, stops at
 * the first one refused, and only then asks the kernel for its log: at
 * most one window is written, and the first non-zero byte says whose. */
static void give_logs(struct session *s)
{
	struct bpf_program *prog;
	size_t n = 0, size = s->plan->cfg.log_size;
	bpf_object__for_each_program(prog, s->obj)
		n++;
	s->logs = xcalloc(n + size + 1, 1);
	s->nlogs = n;
	n = 0;
	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_log_buf(prog, s->logs + n++, size);
}

static struct bpf_program *refused_program(struct session *s, const char **log)
{
	struct bpf_program *prog;
	size_t i = 0;
	bpf_object__for_each_program(prog, s->obj) {
		if (i < s->nlogs && s->logs[i]) {
			*log = s->logs + i;
			return prog;
		}
		i++;
	}
	return NULL;
}

static bool has_cap(const struct __user_cap_data_struct *c, int cap)
{
	return c[cap / 32].effective & (1u << (cap % 32));
}

/* Which of the capabilities tracing programs need this process lacks:
 * CAP_BPF to load, CAP_PERFMON to trace (CAP_SYS_ADMIN covers both, and
 * is all kernels before 5.8 know); NULL when nothing is missing. */
static const char *missing_capabilities(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[_LINUX_CAPABILITY_U32S_3] = {0};
	if (syscall(SYS_capget, &h, c) || has_cap(c, CAP_SYS_ADMIN))
		return NULL;
	bool bpf = has_cap(c, CAP_BPF), perfmon = has_cap(c, CAP_PERFMON);
	return !bpf && !perfmon ? "CAP_BPF and CAP_PERFMON" : !bpf ? "CAP_BPF" : !perfmon ? "CAP_PERFMON" : NULL;
}

/* Refused before the verifier said anything: the kernel cannot run some
 * kind of program at all, or we are not allowed to load any. */
static void explain_silent_refusal(struct session *s, int err)
{
	for (size_t i = 0; i < s->plan->points.n; i++) {
		const struct probe_point *pt = s->plan->points.v[i];
		struct arena a = {0};
		const char *why = pt->prog_name && pt->prov->unavailable ? pt->prov->unavailable(pt, &a) : NULL;
		if (why)
			diag_error(s->d, &pt->loc, "%s", why);
		arena_free(&a);
		if (why)
			return;
	}
	if (err == -EPERM)
		diag_error(s->d, NULL, "the kernel does not permit loading these BPF programs (%s): run as root",
			   strerror(-err));
	else
		diag_error(s->d, NULL, "the kernel refused to load the BPF programs: %s", strerror(-err));
}

static void explain_failure(struct session *s, int err)
{
	if (s->opts->verbose)
		output_message(&s->out, sb_str(&s->libbpf_log));
	const char *missing = err == -EPERM ? missing_capabilities() : NULL;
	if (missing) {
		diag_error(s->d, NULL, "loading BPF programs needs root, or the capabilities CAP_BPF and "
			   "CAP_PERFMON: this process lacks %s", missing);
		return;
	}
	const char *log = NULL;
	struct bpf_program *prog = refused_program(s, &log);
	if (!prog) {
		explain_silent_refusal(s, err);
		return;
	}
	const char *name = bpf_program__name(prog);
	if (s->opts->verbose) {
		struct strbuf m = {0};
		sb_printf(&m, "the verifier's log of %s:\n%s", name, log);
		output_message(&s->out, sb_str(&m));
		sb_free(&m);
	}
	char reason[512];
	verifier_reason(log, reason, sizeof(reason));
	const struct probe_point *pt = point_of(s, name);
	struct loc at = pt ? statement_at(s, verifier_line(log), &pt->loc) : (struct loc){0};
	diag_error(s->d, pt ? &at : NULL, "the kernel's BPF verifier rejected the program for %s%s%s",
		   pt ? pt->name : name, reason[0] ? ": " : "", reason);
	const char *hint = hint_for(reason);
	if (hint)
		diag_note(s->d, NULL, "%s", hint);
	if (!s->opts->verbose)
		diag_note(s->d, NULL, "run with -v to see the verifier's log");
}

static void map_lost_counter(struct session *s)
{
	int fd = bpf_object__find_map_fd_by_name(s->obj, PLAN_LOST);
	void *p = fd < 0 ? MAP_FAILED : mmap(NULL, sizeof(uint64_t), PROT_READ, MAP_SHARED, fd, 0);
	s->lost = p == MAP_FAILED ? NULL : p;
}

static void map_setup_tgid(struct session *s)
{
	int fd = bpf_object__find_map_fd_by_name(s->obj, PLAN_SETUP);
	void *p = fd < 0 ? MAP_FAILED : mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	s->setup = p == MAP_FAILED ? NULL : p;
	s->self = getpid();
}

void session_setup_window(struct session *s, bool open)
{
	if (s->setup)
		*s->setup = open ? (uint64_t)s->self : 0;
}

void session_unload(struct session *s)
{
	if (s->lost)
		munmap((void *)s->lost, sizeof(uint64_t));
	s->lost = NULL;
	if (s->setup)
		munmap((void *)s->setup, sizeof(uint64_t));
	s->setup = NULL;
	bpf_object__close(s->obj);
	s->obj = NULL;
	free(s->logs);
	s->logs = NULL;
	s->nlogs = 0;
}

/* Points that share a program are next to each other (one probe block's,
 * of one provider): each run of them is shown to its provider once. */
static void configure_programs(struct session *s)
{
	const struct probe_point *const *pts = (const struct probe_point *const *)s->plan->points.v;
	size_t n = s->plan->points.n;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && pts[i]->prog_name && pts[j]->prog_name && !strcmp(pts[i]->prog_name, pts[j]->prog_name))
			j++;
		struct bpf_program *prog = pts[i]->prog_name ? session_program(s, pts[i]->prog_name) : NULL;
		if (prog && pts[i]->prov->configure)
			pts[i]->prov->configure(pts[i], prog, j - i);
		i = j;
	}
}

int session_load(struct session *s, const void *obj, size_t len)
{
	capture_begin(s);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "trawk");
	s->obj = bpf_object__open_mem(obj, len, &opts);
	if (!s->obj) {
		diag_error(s->d, NULL, "cannot open the compiled object: %s", strerror(errno));
		return -1;
	}
	configure_programs(s);
	give_logs(s);
	int err = bpf_object__load(s->obj);
	if (err) {
		explain_failure(s, err);
		return -1;
	}
	s->map_fds = xcalloc(s->plan->maps.n + 1, sizeof(int));
	for (size_t i = 0; i < s->plan->maps.n; i++)
		s->map_fds[i] = bpf_object__find_map_fd_by_name(s->obj, s->plan->maps.v[i]->bpf_name);
	map_lost_counter(s);
	map_setup_tgid(s);
	s->start_fd = bpf_object__find_map_fd_by_name(s->obj, PLAN_START);
	return 0;
}
