/* fentry:function and fexit:function: BPF trampolines, with args typed from
 * kernel BTF (and retval for fexit).  Kernels that cannot load them (no
 * trampolines, or lockdown) get the nearest working alternative named. */
#include "probe.h"

#include <errno.h>
#include <string.h>

#include "../types/btf.h"

static int fentry_expand(const struct provider *p, const char *spec, const struct loc *loc,
			 struct arena *a, pointvec *out, struct diag *d)
{
	if (!spec || !*spec || probe_has_wildcard(spec)) {
		diag_error(d, loc, "a %s is written %s:FUNCTION (wildcards are not supported yet)", p->name, p->name);
		return -1;
	}
	const char *colon = strrchr(spec, ':');
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->func = arena_strdup(a, colon ? colon + 1 : spec);
	pt->loc = *loc;
	pt->name = arena_printf(a, "%s:%s", p->name, pt->func);
	vec_push(out, pt);
	return 0;
}

static const char *fentry_section(const struct probe_point *pt, struct arena *a)
{
	return arena_printf(a, "%s/%s", pt->prov->is_return ? "fexit" : "fentry", pt->func);
}

/* args, then for fexit the return value in the slot after them. */
static int fentry_load_args(struct probe_point *pt, const struct config *cfg, struct arena *a, struct diag *d)
{
	struct strbuf err = {0};
	if (!btf_available()) {
		diag_error(d, &pt->loc, "%s needs kernel BTF, which this kernel does not have", pt->prov->name);
		return -1;
	}
	pt->args = btf_func_args(a, pt->func, &err);
	if (!pt->args)
		diag_error(d, &pt->loc, "cannot type the arguments of %s: %s", pt->name, sb_str(&err));
	sb_free(&err);
	return pt->args ? 0 : -1;
}

static const char *fentry_unavailable(const struct probe_point *pt, struct arena *a)
{
	const char *alt = probe_alternative(pt->func, pt->prov->is_return, a);
	const char *why = arena_printf(a, "this kernel cannot load %s programs (BPF trampolines)", pt->prov->name);
	if (alt)
		return arena_printf(a, "%s; use %s instead", why, alt);
	return arena_printf(a, "%s; try kprobe:%s, or a tracepoint (trawk -l 'tracepoint:*%s*')", why,
			    pt->func, pt->func);
}

static int fentry_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	struct bpf_link *link = bpf_program__attach_trace(prog);
	if (!link) {
		sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(errno));
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

const struct provider provider_fentry = {
	.filter_pid = true,
	.name = "fentry",
	.aliases = { "f", "kfunc" },
	.prog_type = BPF_PROG_TYPE_TRACING,
	.ctx = CTX_ARGS,
	.caps = CAP_ARGS | CAP_FUNC,
	.expand = fentry_expand,
	.section = fentry_section,
	.load_args = fentry_load_args,
	.attach = fentry_attach,
	.unavailable = fentry_unavailable,
};

const struct provider provider_fexit = {
	.filter_pid = true,
	.name = "fexit",
	.aliases = { "fr", "kretfunc" },
	.is_return = true,
	.prog_type = BPF_PROG_TYPE_TRACING,
	.ctx = CTX_ARGS,
	.caps = CAP_ARGS | CAP_RETVAL | CAP_FUNC,
	.expand = fentry_expand,
	.section = fentry_section,
	.load_args = fentry_load_args,
	.attach = fentry_attach,
	.unavailable = fentry_unavailable,
};
