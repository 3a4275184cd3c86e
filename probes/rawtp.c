/* rawtracepoint:[module:]event: a BPF_PROG_TYPE_RAW_TRACEPOINT program, with
 * arg0..argN from the raw context, and args typed from kernel BTF when the
 * kernel has it. */
#include "probe.h"

#include <errno.h>
#include <string.h>

#include "../types/btf.h"

struct match {
	const char *glob;
	struct arena *a;
	VEC(const char *) names;
};

static struct probe_point *raw_point(const struct provider *p, const char *event, const struct loc *loc,
				      struct arena *a)
{
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->func = event;
	pt->loc = *loc;
	pt->name = arena_printf(a, "rawtracepoint:%s", event);
	return pt;
}

/* Without tracefs (an ordinary user compiling with -d or --emit-obj), an
 * event is known from the kernel's BTF, as btf_trace_<event>; wildcards
 * need tracefs's list. */
static int raw_expand_btf(const struct provider *p, const char *event, const struct loc *loc,
			  struct arena *a, pointvec *out, struct diag *d)
{
	if (probe_has_wildcard(event)) {
		diag_error(d, loc, "%s (raw tracepoint wildcards are matched against its events)", tracefs_problem());
		return -1;
	}
	struct strbuf err = {0};
	bool found = btf_available() && btf_raw_tracepoint_args(a, event, &err);
	sb_free(&err);
	if (!found) {
		diag_error(d, loc, "raw tracepoint not found in kernel BTF: %s (and %s)", event, tracefs_problem());
		return -1;
	}
	vec_push(out, raw_point(p, arena_strdup(a, event), loc, a));
	return 0;
}

static int raw_expand(const struct provider *p, const char *spec, const struct loc *loc,
		      struct arena *a, pointvec *out, struct diag *d)
{
	if (!spec || !*spec) {
		diag_error(d, loc, "a raw tracepoint is written rawtracepoint:EVENT");
		return -1;
	}
	const char *colon = strrchr(spec, ':');
	const char *event = colon ? colon + 1 : spec;
	if (!tracefs_path())
		return raw_expand_btf(p, event, loc, a, out, d);
	pointvec tps = {0};
	struct diag quiet = {0};
	/* Raw tracepoints are the tracepoints, without their category. */
	int rc = probe_expand(arena_printf(a, "tracepoint:*:%s", event), loc, a, &tps, &quiet);
	diag_free(&quiet);
	if (rc || !tps.n) {
		diag_error(d, loc, "raw tracepoint not found: %s", event);
		vec_free(&tps);
		return rc < 0 || !probe_has_wildcard(event) ? -1 : PROBE_NO_MATCH;
	}
	for (size_t i = 0; i < tps.n && !probes_full(out); i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup = dup || !strcmp(tps.v[j]->func, tps.v[i]->func);
		if (!dup)
			vec_push(out, raw_point(p, tps.v[i]->func, loc, a));
	}
	vec_free(&tps);
	return 0;
}

static const char *raw_section(const struct probe_point *pt, struct arena *a)
{
	return arena_printf(a, "raw_tp/%s", pt->func);
}

static int raw_load_args(struct probe_point *pt, const struct config *cfg, struct arena *a, struct diag *d)
{
	struct strbuf err = {0};
	pt->args = btf_available() ? btf_raw_tracepoint_args(a, pt->func, &err) : NULL;
	if (!pt->args)
		diag_error(d, &pt->loc, "cannot type the arguments of %s: %s", pt->name,
			   btf_available() ? sb_str(&err) : "the kernel has no BTF; use arg0..argN");
	sb_free(&err);
	return pt->args ? 0 : -1;
}

static int raw_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	struct bpf_link *link = bpf_program__attach_raw_tracepoint(prog, pt->func);
	if (!link) {
		sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(errno));
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

static void raw_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	struct strbuf tps = {0};
	const struct provider *tp = provider_find("tracepoint");
	tp->list(tp, pattern ? pattern : "*", &tps);
	for (const char *line = sb_str(&tps); *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *colon = memrchr(line, ':', n);
		if (colon)
			sb_printf(out, "rawtracepoint:%.*s\n", (int)(line + n - colon - 1), colon + 1);
		line += n + (nl ? 1 : 0);
	}
	sb_free(&tps);
}

const struct provider provider_rawtracepoint = {
	.filter_pid = true,
	.name = "rawtracepoint",
	.aliases = { "rt" },
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.ctx = CTX_ARGS,
	.caps = CAP_ARGS | CAP_ARGN,
	.expand = raw_expand,
	.section = raw_section,
	.load_args = raw_load_args,
	.attach = raw_attach,
	.list = raw_list,
	.lists_from_tracefs = true,
};
