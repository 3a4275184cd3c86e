/* Opening and loading the object, and explaining a verifier rejection at
 * the script's own position. */
#include "session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct strbuf *libbpf_sink;

static int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (libbpf_sink)
		sb_vprintf(libbpf_sink, fmt, ap);
	return 0;
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

/* The verifier's own words: the last non-empty line of the program's log
 * before libbpf's "END PROG LOAD LOG". */
static void verifier_reason(const char *log, const char *prog, char *out, size_t size)
{
	out[0] = 0;
	char marker[320];
	snprintf(marker, sizeof(marker), "prog '%s': -- BEGIN PROG LOAD LOG --", prog);
	const char *start = strstr(log, marker);
	if (!start)
		return;
	const char *end = strstr(start, "-- END PROG LOAD LOG --");
	if (!end)
		return;
	const char *line_end = end;
	while (line_end > start && (line_end[-1] == '\n' || line_end[-1] == ' '))
		line_end--;
	/* Skip the verifier's statistics lines at the end. */
	for (int skip = 0; skip < 4; skip++) {
		const char *ls = line_end;
		while (ls > start && ls[-1] != '\n')
			ls--;
		if (strncmp(ls, "processed ", 10) && strncmp(ls, "verification time", 17) &&
		    strncmp(ls, "stack depth", 11) && strncmp(ls, "libbpf:", 7)) {
			snprintf(out, size, "%.*s", (int)(line_end - ls), ls);
			return;
		}
		line_end = ls > start ? ls - 1 : ls;
	}
}

/* The script line of the last "; ... @ FILE:LINE" note in the program's
 * log: the kernel prints one whenever line info changes. */
static int verifier_line(const char *log, const char *prog)
{
	char marker[320];
	snprintf(marker, sizeof(marker), "prog '%s': -- BEGIN PROG LOAD LOG --", prog);
	const char *p = strstr(log, marker);
	const char *end = p ? strstr(p, "-- END PROG LOAD LOG --") : NULL;
	int line = 0;
	while (p && end && (p = strstr(p, "\n;")) && p < end) {
		const char *eol = strchr(p + 1, '\n');
		const char *at = eol ? memmem(p, (size_t)(eol - p), " @ ", 3) : NULL;
		const char *colon = at ? memrchr(at, ':', (size_t)(eol - at)) : NULL;
		if (colon)
			line = atoi(colon + 1);
		p += 2;
	}
	return line;
}

/* The first statement on that line, else the probe. */
static struct loc statement_at(struct session *s, int line, const struct loc *fallback)
{
	for (size_t i = 0; line > 0 && i < s->plan->stmt_locs.n; i++)
		if (s->plan->stmt_locs.v[i].line == line)
			return s->plan->stmt_locs.v[i];
	return *fallback;
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

static const char *failed_program(const char *log, char *name, size_t size)
{
	const char *p = strstr(log, "prog '");
	while (p) {
		const char *q = strchr(p + 6, '\'');
		if (q && (strstr(q, "BPF program load failed") == q + 3 || strstr(q, "failed to load") == q + 3)) {
			snprintf(name, size, "%.*s", (int)(q - p - 6), p + 6);
			return name;
		}
		p = strstr(p + 6, "prog '");
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

static void explain_failure(struct session *s, int err)
{
	const char *log = sb_str(&s->libbpf_log);
	char prog[128], reason[512];
	if (s->opts->verbose)
		output_message(&s->out, log);
	const char *missing = err == -EPERM ? missing_capabilities() : NULL;
	if (missing) {
		diag_error(s->d, NULL, "loading BPF programs needs root, or the capabilities CAP_BPF and "
			   "CAP_PERFMON: this process lacks %s", missing);
		return;
	}
	if (!failed_program(log, prog, sizeof(prog))) {
		diag_error(s->d, NULL, "the kernel refused to load the BPF object: %s", strerror(-err));
		return;
	}
	const struct probe_point *pt = point_of(s, prog);
	char marker[320];
	snprintf(marker, sizeof(marker), "prog '%s': -- BEGIN PROG LOAD LOG --", prog);
	bool has_log = strstr(log, marker) != NULL;
	/* Refused before the verifier said anything: the kernel cannot run this
	 * kind of program at all, or we are not allowed to load any. */
	if (!has_log) {
		struct arena a = {0};
		const char *why = pt && pt->prov->unavailable ? pt->prov->unavailable(pt, &a) : NULL;
		if (why)
			diag_error(s->d, &pt->loc, "%s", why);
		else if (err == -EPERM)
			diag_error(s->d, pt ? &pt->loc : NULL, "loading the program for %s is not permitted (%s): run as root",
				   pt ? pt->name : prog, strerror(-err));
		else
			diag_error(s->d, pt ? &pt->loc : NULL, "the kernel refused the program for %s: %s",
				   pt ? pt->name : prog, strerror(-err));
		arena_free(&a);
		return;
	}
	verifier_reason(log, prog, reason, sizeof(reason));
	struct loc at = pt ? statement_at(s, verifier_line(log, prog), &pt->loc) : (struct loc){0};
	diag_error(s->d, pt ? &at : NULL, "the kernel's BPF verifier rejected the program for %s%s%s",
		   pt ? pt->name : prog, reason[0] ? ": " : "", reason);
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
	if (libbpf_sink == &s->libbpf_log)
		libbpf_sink = NULL;
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
	libbpf_sink = &s->libbpf_log;
	s->old_print = libbpf_set_print(capture_libbpf);
	s->print_saved = true;
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "trawk");
	s->obj = bpf_object__open_mem(obj, len, &opts);
	if (!s->obj) {
		diag_error(s->d, NULL, "cannot open the compiled object: %s", strerror(errno));
		return -1;
	}
	configure_programs(s);
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
