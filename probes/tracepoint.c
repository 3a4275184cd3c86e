/* tracepoint:category:event, with args typed from the event's format file. */
#include "probe.h"

#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../types/tpformat.h"

struct expand_arg {
	const struct provider *prov;
	const struct loc *loc;
	struct arena *a;
	pointvec *out;
};

/* The event's perf id, read now: reading it while attaching would make the
 * already attached probes see trawk's own openat. */
static uint64_t event_id(const char *cat, const char *ev)
{
	char path[512];
	if (!tracefs_path())
		return 0;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tracefs_path(), cat, ev);
	char *text = read_file(path, NULL);
	uint64_t id = text ? strtoull(text, NULL, 10) : 0;
	free(text);
	return id;
}

static struct probe_point *new_point(const struct provider *p, const char *cat, const char *ev,
				     const struct loc *loc, struct arena *a)
{
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->num = event_id(cat, ev);
	pt->prov = p;
	pt->target = arena_strdup(a, cat);
	pt->func = arena_strdup(a, ev);
	pt->name = arena_printf(a, "tracepoint:%s:%s", cat, ev);
	pt->loc = *loc;
	return pt;
}

static void add_event(const char *cat, const char *ev, void *arg)
{
	struct expand_arg *x = arg;
	if (probes_full(x->out))
		return;
	vec_push(x->out, new_point(x->prov, cat, ev, x->loc, x->a));
}

static int tp_expand(const struct provider *p, const char *spec, const struct loc *loc,
		     struct arena *a, pointvec *out, struct diag *d)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;
	if (!colon || strchr(colon + 1, ':') || colon == spec || !colon[1]) {
		diag_error(d, loc, "a tracepoint is written tracepoint:category:event");
		return -1;
	}
	char *cat = arena_strndup(a, spec, (size_t)(colon - spec));
	const char *ev = colon + 1;
	if (!tracefs_path() && probes_offline() && !probe_has_wildcard(spec)) {
		vec_push(out, new_point(p, cat, ev, loc, a));
		return 0;
	}
	if (!tracefs_path()) {
		diag_error(d, loc, "%s%s", tracefs_problem(),
			   probes_offline() ? " (--check needs it for wildcards)" : "");
		return -1;
	}
	if (!probe_has_wildcard(spec)) {
		if (!tracefs_event_exists(cat, ev)) {
			diag_error(d, loc, "tracepoint not found: %s:%s", cat, ev);
			return -1;
		}
		vec_push(out, new_point(p, cat, ev, loc, a));
		return 0;
	}
	size_t before = out->n;
	struct expand_arg x = { p, loc, a, out };
	tracefs_events(cat, ev, add_event, &x);
	if (out->n == before) {
		diag_error(d, loc, "no tracepoint matches %s", spec);
		return PROBE_NO_MATCH;
	}
	return 0;
}

static const char *tp_section(const struct probe_point *pt, struct arena *a)
{
	return arena_printf(a, "tracepoint/%s/%s", pt->target, pt->func);
}

int tracepoint_load_args(struct probe_point *pt, const struct config *cfg, struct arena *a, struct diag *d)
{
	if (!tracefs_path() && probes_offline()) {
		/* Any field reads as a 64-bit value: enough to check a script. */
		struct type *st = type_new(a, TY_STRUCT);
		st->name = arena_printf(a, "_tracepoint_%s_%s", pt->target, pt->func);
		st->open_fields = true;
		pt->args = st;
		return 0;
	}
	struct strbuf err = {0};
	/* Syscall arguments point into the calling process. */
	enum addrspace as = !strcmp(pt->target, "syscalls") ? AS_USER : AS_KERNEL;
	pt->args = tpformat_load(tracefs_path(), pt->target, pt->func, as, (uint32_t)cfg->max_strlen, a, &err);
	if (!pt->args) {
		diag_error(d, &pt->loc, "cannot read the format of %s: %s", pt->name, sb_str(&err));
		sb_free(&err);
		return -1;
	}
	sb_free(&err);
	return 0;
}

static int tp_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = pt->num,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int fd = pt->num ? (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC) : -1;
	struct bpf_link *link = fd >= 0 ? bpf_program__attach_perf_event(prog, fd) : NULL;
	if (!link) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(err));
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

struct list_arg {
	struct strbuf *out;
};

static void list_event(const char *cat, const char *ev, void *arg)
{
	struct list_arg *l = arg;
	sb_printf(l->out, "tracepoint:%s:%s\n", cat, ev);
}

static void tp_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	char cat[256] = "*", ev[256] = "*";
	if (pattern) {
		const char *colon = strchr(pattern, ':');
		if (colon) {
			snprintf(cat, sizeof(cat), "%.*s", (int)(colon - pattern), pattern);
			snprintf(ev, sizeof(ev), "%s", colon + 1);
		} else {
			snprintf(ev, sizeof(ev), "%s", pattern);
		}
	}
	struct list_arg l = { out };
	tracefs_events(cat, ev, list_event, &l);
}

const struct provider provider_tracepoint = {
	.filter_pid = true,
	.name = "tracepoint",
	.aliases = { "t" },
	.prog_type = BPF_PROG_TYPE_TRACEPOINT,
	.ctx = CTX_TRACEPOINT,
	.caps = CAP_ARGS,
	.expand = tp_expand,
	.section = tp_section,
	.load_args = tracepoint_load_args,
	.attach = tp_attach,
	.list = tp_list,
	.lists_from_tracefs = true,
};
