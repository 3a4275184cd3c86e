/* software:EVENT[:COUNT] and hardware:EVENT[:COUNT]: perf events on every
 * online CPU, sampled every COUNT occurrences (a default per event). */
#include "probe.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct perf_event_def {
	const char *name;
	const char *alias;
	uint64_t config;
	uint64_t period;
};

static const struct perf_event_def software_events[] = {
	{ "cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000 },
	{ "task-clock", NULL, PERF_COUNT_SW_TASK_CLOCK, 1 },
	{ "page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100 },
	{ "context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000 },
	{ "cpu-migrations", NULL, PERF_COUNT_SW_CPU_MIGRATIONS, 1 },
	{ "minor-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MIN, 100 },
	{ "major-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1 },
	{ "alignment-faults", NULL, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1 },
	{ "emulation-faults", NULL, PERF_COUNT_SW_EMULATION_FAULTS, 1 },
	{ "dummy", NULL, PERF_COUNT_SW_DUMMY, 1 },
	{ "bpf-output", NULL, PERF_COUNT_SW_BPF_OUTPUT, 1 },
	{ NULL, NULL, 0, 0 },
};

static const struct perf_event_def hardware_events[] = {
	{ "cpu-cycles", "cycles", PERF_COUNT_HW_CPU_CYCLES, 1000000 },
	{ "instructions", NULL, PERF_COUNT_HW_INSTRUCTIONS, 1000000 },
	{ "cache-references", NULL, PERF_COUNT_HW_CACHE_REFERENCES, 1000000 },
	{ "cache-misses", NULL, PERF_COUNT_HW_CACHE_MISSES, 1000000 },
	{ "branch-instructions", "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000 },
	{ "branch-misses", NULL, PERF_COUNT_HW_BRANCH_MISSES, 100000 },
	{ "bus-cycles", NULL, PERF_COUNT_HW_BUS_CYCLES, 100000 },
	{ "frontend-stalls", NULL, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000 },
	{ "backend-stalls", NULL, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000 },
	{ "ref-cycles", NULL, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000 },
	{ NULL, NULL, 0, 0 },
};

static const struct perf_event_def *events_of(const struct provider *p)
{
	return p->name[0] == 's' ? software_events : hardware_events;
}

static const struct perf_event_def *find_event(const struct provider *p, const char *name, size_t n)
{
	for (const struct perf_event_def *e = events_of(p); e->name; e++)
		if ((strlen(e->name) == n && !strncmp(e->name, name, n)) ||
		    (e->alias && strlen(e->alias) == n && !strncmp(e->alias, name, n)))
			return e;
	return NULL;
}

static int perf_expand(const struct provider *p, const char *spec, const struct loc *loc,
		       struct arena *a, pointvec *out, struct diag *d)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;
	size_t n = spec ? (colon ? (size_t)(colon - spec) : strlen(spec)) : 0;
	const struct perf_event_def *e = spec ? find_event(p, spec, n) : NULL;
	if (!e) {
		const char *names[32];
		size_t k = 0;
		for (const struct perf_event_def *x = events_of(p); x->name && k < 31; x++)
			names[k++] = x->name;
		names[k] = NULL;
		char *want = spec ? arena_strndup(a, spec, n) : "";
		const char *hint = closest_name(want, names);
		if (hint)
			diag_error(d, loc, "unknown %s event '%s'; did you mean '%s'?", p->name, want, hint);
		else
			diag_error(d, loc, "unknown %s event '%s'", p->name, want);
		return -1;
	}
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->func = e->name;
	pt->loc = *loc;
	pt->num = e->period;
	if (colon) {
		char *end;
		pt->num = strtoull(colon + 1, &end, 10);
		if (*end || !pt->num) {
			diag_error(d, loc, "the sample count of %s must be a positive number", p->name);
			return -1;
		}
	}
	pt->name = arena_printf(a, "%s:%s:%llu", p->name, e->name, (unsigned long long)pt->num);
	vec_push(out, pt);
	return 0;
}

static const char *perf_section(const struct probe_point *pt, struct arena *a)
{
	return "perf_event";
}

static int perf_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	const struct perf_event_def *e = find_event(pt->prov, pt->func, strlen(pt->func));
	static int cpus[4096];
	int n = ac->pid > 0 ? 1 : online_cpus(cpus, (int)ARRAY_SIZE(cpus));
	for (int i = 0; i < n; i++) {
		struct perf_event_attr attr = {
			.type = pt->prov->name[0] == 's' ? PERF_TYPE_SOFTWARE : PERF_TYPE_HARDWARE,
			.size = sizeof(attr),
			.config = e->config,
			.sample_period = pt->num,
		};
		int fd = (int)syscall(__NR_perf_event_open, &attr, ac->pid > 0 ? ac->pid : -1,
				      ac->pid > 0 ? -1 : cpus[i], -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			int err = errno;
			if (attr.type == PERF_TYPE_HARDWARE && (err == ENOENT || err == EOPNOTSUPP))
				sb_printf(&ac->err, "cannot attach %s: this machine has no hardware performance counters",
					  pt->name);
			else
				sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(err));
			return -1;
		}
		struct bpf_link *link = bpf_program__attach_perf_event(prog, fd);
		if (!link) {
			int err = errno;
			close(fd);
			sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(err));
			return -1;
		}
		vec_push(&ac->links, link);
	}
	return 0;
}

static void perf_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	for (const struct perf_event_def *e = events_of(p); e->name; e++)
		if (!pattern || probe_glob(pattern, e->name))
			sb_printf(out, "%s:%s:\n", p->name, e->name);
}

const struct provider provider_software = {
	.name = "software",
	.aliases = { "s" },
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.ctx = CTX_PERF,
	.caps = CAP_REGS,
	.expand = perf_expand,
	.section = perf_section,
	.attach = perf_attach,
	.list = perf_list,
};

const struct provider provider_hardware = {
	.name = "hardware",
	.aliases = { "h" },
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.ctx = CTX_PERF,
	.caps = CAP_REGS,
	.expand = perf_expand,
	.section = perf_section,
	.attach = perf_attach,
	.list = perf_list,
};
