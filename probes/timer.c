/* interval and profile: software CPU-clock perf events, interval on one
 * CPU, profile on every online CPU. */
#include "probe.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct { const char *unit; uint64_t ns; } units[] = {
	{ "s", 1000000000ULL }, { "ms", 1000000ULL }, { "us", 1000ULL }, { "ns", 1ULL },
};

static bool parse_u64(const char *s, uint64_t *v, const char **rest)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno)
		return false;
	*rest = end;
	return true;
}

/* "s:N", "ms:N", "us:N", "hz:N", "N" (ns) or "N<unit>". */
static int parse_rate(const char *spec, struct probe_point *pt)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;
	const char *rest;
	uint64_t v;
	if (colon) {
		size_t ulen = (size_t)(colon - spec);
		if (!parse_u64(colon + 1, &v, &rest) || *rest || v == 0)
			return -1;
		if (ulen == 2 && !strncmp(spec, "hz", 2)) {
			pt->num = v;
			pt->is_freq = true;
			return 0;
		}
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			if (strlen(units[i].unit) == ulen && !strncmp(spec, units[i].unit, ulen)) {
				pt->num = v * units[i].ns;
				return 0;
			}
		}
		return -1;
	}
	if (!parse_u64(spec, &v, &rest) || v == 0)
		return -1;
	if (!*rest) {
		pt->num = v;
		return pt->num >= 1000 ? 0 : -1;
	}
	if (!strcmp(rest, "hz")) {
		pt->num = v;
		pt->is_freq = true;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(rest, units[i].unit)) {
			pt->num = v * units[i].ns;
			return 0;
		}
	}
	return -1;
}

static int timer_expand(const struct provider *p, const char *spec, const struct loc *loc,
			struct arena *a, pointvec *out, struct diag *d)
{
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->loc = *loc;
	if (parse_rate(spec, pt)) {
		diag_error(d, loc, "invalid %s rate; expected %s:s:N, :ms:N, :us:N, :hz:N or :N (ns, at least 1000)",
			   p->name, p->name);
		return -1;
	}
	pt->name = arena_printf(a, "%s:%s", p->name, spec);
	vec_push(out, pt);
	return 0;
}

static const char *timer_section(const struct probe_point *pt, struct arena *a)
{
	return "perf_event";
}

static int open_clock(const struct probe_point *pt, int cpu, int pid)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
	};
	if (pt->is_freq) {
		attr.freq = 1;
		attr.sample_freq = pt->num;
	} else {
		attr.sample_period = pt->num;
	}
	return (int)syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static int attach_clock(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac,
			int cpu, int pid)
{
	int fd = open_clock(pt, cpu, pid);
	if (fd < 0) {
		sb_printf(&ac->err, "cannot open a perf event for %s: %s", pt->name, strerror(errno));
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
	return 0;
}

static int interval_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	int cpus[1];
	return attach_clock(pt, prog, ac, online_cpus(cpus, 1) > 0 ? cpus[0] : 0, -1);
}

static int profile_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	if (ac->pid > 0)
		return attach_clock(pt, prog, ac, -1, ac->pid);
	static int cpus[4096];
	int n = online_cpus(cpus, (int)ARRAY_SIZE(cpus));
	if (n <= 0) {
		sb_append(&ac->err, "cannot read the list of online CPUs");
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (attach_clock(pt, prog, ac, cpus[i], -1))
			return -1;
	return 0;
}

static void timer_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	static const char *const forms[] = { "hz", "s", "ms", "us" };
	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s:%s", p->name, forms[i]);
		if (!strcmp(p->name, "interval") && !strcmp(forms[i], "hz"))
			continue;
		if (!pattern || probe_glob(pattern, name))
			sb_printf(out, "%s\n", name);
	}
}

const struct provider provider_interval = {
	.name = "interval",
	.aliases = { "i" },
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.ctx = CTX_PERF,
	.expand = timer_expand,
	.section = timer_section,
	.attach = interval_attach,
	.list = timer_list,
};

const struct provider provider_profile = {
	.name = "profile",
	.aliases = { "p" },
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.ctx = CTX_PERF,
	.caps = CAP_REGS,
	.expand = timer_expand,
	.section = timer_section,
	.attach = profile_attach,
	.list = timer_list,
};
