/* One run: load, BEGIN, attach, the event loop, then detach, END and the
 * maps.  Nothing stays loaded in the kernel afterwards: every program and
 * map belongs to the object, closed on every path out. */
#include "session.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mapread.h"
#include "symbols.h"

/* The longest wait: the timeout is looked at this often. */
#define POLL_MS 100
#define BATCH_RECORDS 4096

static bool stop_asked(const struct session *s)
{
	return s->opts->stop && atomic_load(s->opts->stop);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_start_time(struct session *s)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	uint32_t key = 0;
	if (s->start_fd >= 0)
		bpf_map_update_elem(s->start_fd, &key, &ns, BPF_ANY);
}

/* Runs every begin (or end) program once, in script order. */
static int run_special(struct session *s, const char *which)
{
	for (size_t i = 0; i < s->plan->points.n; i++) {
		const struct probe_point *pt = s->plan->points.v[i];
		if (!pt->prov->is_special || strcmp(pt->prov->name, which))
			continue;
		struct bpf_program *prog = session_program(s, pt->prog_name);
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		if (!prog || bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
			diag_error(s->d, &pt->loc, "cannot run %s: %s", pt->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A point that could not be prepared or attached: an error, a warning or
 * nothing, as missing_probes says; -1 for an error. */
static int attach_failed(struct session *s, const struct probe_point *pt)
{
	const char *why = s->ac.err.len ? sb_str(&s->ac.err) : "no program";
	switch (s->plan->cfg.missing_probes) {
	case MISSING_ERROR:
		diag_error(s->d, &pt->loc, "%s", why);
		return -1;
	case MISSING_WARN: {
		struct diag w = { .no_warnings = s->d->no_warnings };
		diag_warning(&w, &pt->loc, "%s", why);
		output_message(&s->out, sb_str(&w.out));
		diag_free(&w);
		break;
	}
	case MISSING_IGNORE:
		break;
	}
	return 0;
}

/* Every point is prepared before the first is attached. */
static int attach_points(struct session *s)
{
	size_t n = s->plan->points.n;
	bool *failed = xcalloc(n + 1, sizeof(*failed));
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct probe_point *pt = s->plan->points.v[i];
		if (pt->prov->is_special || !pt->prov->prepare)
			continue;
		struct bpf_program *prog = session_program(s, pt->prog_name);
		sb_reset(&s->ac.err);
		if (!prog || pt->prov->prepare(pt, prog, &s->ac)) {
			failed[i] = true;
			rc = attach_failed(s, pt);
		}
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const struct probe_point *pt = s->plan->points.v[i];
		if (failed[i])
			continue;
		if (pt->prov->is_special) {
			s->attached++;
			continue;
		}
		struct bpf_program *prog = session_program(s, pt->prog_name);
		sb_reset(&s->ac.err);
		if (prog && pt->prov->attach(pt, prog, &s->ac) == 0)
			s->attached++;
		else
			rc = attach_failed(s, pt);
	}
	free(failed);
	return rc;
}

/* The probes attached first do not see trawk attaching the others
 * (a kprobe on cap_capable would see each bpf() call's check). */
static int attach_all(struct session *s)
{
	session_setup_window(s, true);
	int rc = attach_points(s);
	session_setup_window(s, false);
	return rc;
}

static bool only_special(const struct plan *p)
{
	for (size_t i = 0; i < p->points.n; i++)
		if (!p->points.v[i]->prov->is_special)
			return false;
	return true;
}

static void report_lost(struct session *s)
{
	uint64_t lost = session_read_lost(s);
	if (lost > s->lost_reported) {
		output_lost(&s->out, lost - s->lost_reported);
		s->lost_reported = lost;
	}
}

/* A record taken from the ring buffer.  Within the loop, records come in
 * batches of at most BATCH_RECORDS: a probe that fires on trawk's own
 * writes makes records as fast as they are taken, and the loop must still
 * see a signal, the timeout and a closed output.  libbpf has moved past
 * the record before asking, so ending the batch loses nothing. */
static int take_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	session_on_record(s, data, size);
	bool pause = stop_asked(s) || s->exiting || s->out.broken || ++s->batch >= BATCH_RECORDS;
	return s->in_loop && pause ? -EAGAIN : 0;
}

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Without pidfds (kernels before 5.3) the target is looked at on each
 * wake-up: a child of ours stays a zombie until the CLI reaps it. */
static bool target_gone(const struct session *s)
{
	pid_t pid = s->opts->pid;
	if (pid <= 0)
		return false;
	if (pid == s->opts->child_pid) {
		siginfo_t si = {0};
		return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
	}
	return kill(pid, 0) && errno == ESRCH;
}

enum { WAIT_RING, WAIT_OUT, WAIT_TARGET, WAIT_N };

static int wait_ms(double deadline)
{
	if (!deadline)
		return POLL_MS;
	double left = (deadline - now_seconds()) * 1000;
	return left <= 0 ? 0 : left < POLL_MS ? (int)left + 1 : POLL_MS;
}

/* Waits on the ring buffer, on the output's reader going away and on the
 * traced process (-p, -c) ending; per wake-up no bpf() call is made. */
static void event_loop(struct session *s)
{
	double deadline = s->opts->timeout > 0 ? now_seconds() + s->opts->timeout : 0;
	int target = s->opts->pid > 0 ? pidfd_open(s->opts->pid) : -1;
	struct pollfd w[WAIT_N] = {
		[WAIT_RING] = { .fd = ring_buffer__epoll_fd(s->rb), .events = POLLIN },
		[WAIT_OUT] = { .fd = s->out.fd, .events = 0 },   /* POLLERR: a pipe's reader left */
		[WAIT_TARGET] = { .fd = target, .events = POLLIN },
	};
	s->in_loop = true;
	while (!s->exiting && !stop_asked(s) && !s->out.broken) {
		if (poll(w, WAIT_N, wait_ms(deadline)) < 0 && errno != EINTR)
			break;
		s->batch = 0;
		ring_buffer__consume(s->rb);
		output_batch_end(&s->out);
		report_lost(s);
		if (w[WAIT_OUT].revents & (POLLERR | POLLHUP))
			output_closed(&s->out);
		bool gone = target >= 0 ? (w[WAIT_TARGET].revents & POLLIN) : target_gone(s);
		if (gone || (deadline && now_seconds() >= deadline))
			break;
	}
	s->in_loop = false;
	if (target >= 0)
		close(target);
}

static int cmp_maps(const void *a, const void *b)
{
	const struct map_def *x = *(const struct map_def *const *)a, *y = *(const struct map_def *const *)b;
	return strcmp(x->name, y->name);
}

static void print_maps_at_exit(struct session *s)
{
	size_t n = s->plan->maps.n;
	const struct map_def **sorted = xcalloc(n + 1, sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = s->plan->maps.v[i];
	qsort(sorted, n, sizeof(*sorted), cmp_maps);
	for (size_t i = 0; i < n; i++)
		session_print_map(s, sorted[i], 0, 0);
	free(sorted);
}

struct detach_slice {
	struct bpf_link **links;
	size_t n;
};

static void *detach_slice(void *arg)
{
	struct detach_slice *d = arg;
	for (size_t i = 0; i < d->n; i++)
		bpf_link__destroy(d->links[i]);
	return NULL;
}

/* Closing a probe waits for the kernel (tens of ms each): many are closed
 * from several threads at once. */
/* The window stays open: a closed link's program may run on until an RCU
 * grace period ends, and would see trawk print the maps. */
static void detach_all(struct session *s)
{
	session_setup_window(s, true);
	enum { MAX_THREADS = 8 };
	size_t n = s->ac.links.n;
	size_t nthreads = n < 4 ? 1 : n < MAX_THREADS * 2 ? n / 2 : MAX_THREADS;
	pthread_t threads[MAX_THREADS];
	struct detach_slice slices[MAX_THREADS];
	size_t per = nthreads ? (n + nthreads - 1) / nthreads : 0, started = 0;
	for (size_t t = 0; t < nthreads; t++) {
		size_t from = t * per;
		slices[t] = (struct detach_slice){ s->ac.links.v + from, from >= n ? 0 : n - from < per ? n - from : per };
		if (t == 0 || pthread_create(&threads[t], NULL, detach_slice, &slices[t]))
			continue;
		started |= (size_t)1 << t;
	}
	detach_slice(&slices[0]);
	for (size_t t = 1; t < nthreads; t++) {
		if (started & ((size_t)1 << t))
			pthread_join(threads[t], NULL);
		else
			detach_slice(&slices[t]);
	}
	vec_free(&s->ac.links);
	vec_free(&s->ac.once);
	vec_free(&s->ac.multi);
}

/* After the probes: discard what came after exit(), run END, show maps. */
static void finish(struct session *s)
{
	detach_all(s);
	ring_buffer__consume(s->rb);
	s->exiting = false;
	int code = s->exit_code;
	if (run_special(s, "END") == 0)
		ring_buffer__consume(s->rb);
	s->exit_code = code;
	output_end(&s->out);
	if (s->plan->cfg.print_maps_on_exit)
		print_maps_at_exit(s);
	report_lost(s);
	if (s->lost_reported && s->out.format == OUTPUT_TEXT) {
		char line[80];
		snprintf(line, sizeof(line), "WARNING: Total lost event count: %llu\n",
			 (unsigned long long)s->lost_reported);
		output_message(&s->out, line);
	}
	output_flush(&s->out);
}

int runtime_run(const struct plan *plan, const void *obj, size_t len,
		const struct runtime_opts *opts, struct diag *d)
{
	struct session s = { .plan = plan, .opts = opts, .d = d, .start_fd = -1 };
	output_init(&s.out, opts->format, opts->out, opts->buffering, opts->quiet);
	s.out.ctx.str_trunc_trailer = plan->cfg.str_trunc_trailer;
	struct symbols *syms = symbols_new();
	s.out.ctx.symbolize = symbols_format;
	s.out.ctx.symbolize_arg = syms;
	s.out.ctx.enum_name = symbols_enum_name;
	s.ac.pid = opts->pid ? opts->pid : -1;
	s.out.message = opts->message;
	s.out.message_arg = opts->message_arg;
	s.out.kept = &d->out;
	int status = 1;
	/* libbpf reads /sys/devices/system/cpu/possible once: do it before any
	 * probe is attached, so the script never sees trawk's own openat. */
	libbpf_num_possible_cpus();
	int cpus[1];
	online_cpus(cpus, 1);
	if (session_load(&s, obj, len))
		goto out;
	set_start_time(&s);
	s.ac.obj = s.obj;
	s.rb = ring_buffer__new(bpf_object__find_map_fd_by_name(s.obj, PLAN_RINGBUF), take_record, &s, NULL);
	if (!s.rb) {
		diag_error(d, NULL, "cannot set up the ring buffer: %s", strerror(errno));
		goto out;
	}
	/* A dry run proves the script loads and attaches, and runs nothing:
	 * no BEGIN, no END, no maps printed, no -c command started. */
	if ((!opts->dry_run && run_special(&s, "BEGIN")) || attach_all(&s)) {
		detach_all(&s);
		goto out;
	}
	output_attached(&s.out, s.attached);
	if (opts->dry_run) {
		detach_all(&s);
		if (opts->child_go_fd > 0)
			close(opts->child_go_fd);
		status = 0;
		goto out;
	}
	if (opts->child_go_fd > 0) {
		/* Probes are in place: let the -c child exec. */
		if (write(opts->child_go_fd, "g", 1) != 1)
			diag_warning(d, NULL, "cannot start the child command: %s", strerror(errno));
		close(opts->child_go_fd);
	}
	if (!only_special(plan))
		event_loop(&s);
	else
		ring_buffer__consume(s.rb);
	finish(&s);
	status = s.exit_code;
	if (s.out.broken && s.out.error != EPIPE) {
		/* A closed pipe is the reader's choice; anything else lost output. */
		diag_error(d, NULL, "cannot write the output%s%s: %s", opts->out_name ? " to " : "",
			   opts->out_name ? opts->out_name : "", strerror(s.out.error));
		status = 1;
	}
out:
	ring_buffer__free(s.rb);
	session_unload(&s);
	free(s.map_fds);
	free(s.warned_at);
	sb_free(&s.ac.err);
	session_capture_end(&s);
	sb_free(&s.libbpf_log);
	symbols_free(syms);
	output_free(&s.out);
	return status;
}
