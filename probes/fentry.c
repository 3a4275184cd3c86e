/* fentry:function and fexit:function: BPF trampolines, with args typed from
 * kernel BTF (and retval for fexit).  Wildcards match the traceable
 * functions BTF describes; each gets its own program, as a trampoline
 * program is bound to its function when loaded.  Kernels that cannot load them (no
 * trampolines, or lockdown) get the nearest working alternative named. */
#include "probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../types/btf.h"

struct matches {
	const char *glob;
	struct arena *a;
	strvec names;
};

/* fentry needs a traceable function that BTF describes (its arguments'
 * types come from there). */
static void collect(const char *name, void *arg)
{
	struct matches *m = arg;
	if ((!m->glob || probe_glob(m->glob, name)) && btf_has_func(name))
		vec_push(&m->names, arena_strdup(m->a, name));
}

/* The matching functions, sorted, each once (static functions of one
 * name in several files are listed once per copy). */
static void find_functions(struct matches *m)
{
	kernel_functions(collect, m);
	names_sort_unique(&m->names);
}

static struct probe_point *new_point(const struct provider *p, const char *func, const struct loc *loc,
				     struct arena *a)
{
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->func = func;
	pt->loc = *loc;
	pt->name = arena_printf(a, "%s:%s", p->name, func);
	return pt;
}

static int fentry_expand(const struct provider *p, const char *spec, const struct loc *loc,
			 struct arena *a, pointvec *out, struct diag *d)
{
	if (!spec || !*spec) {
		diag_error(d, loc, "a %s is written %s:FUNCTION", p->name, p->name);
		return -1;
	}
	/* fentry:module:function: the module is not needed to attach. */
	const char *colon = strrchr(spec, ':');
	const char *func = arena_strdup(a, colon ? colon + 1 : spec);
	if (!probe_has_wildcard(func)) {
		vec_push(out, new_point(p, func, loc, a));
		return 0;
	}
	if (!btf_available()) {
		diag_error(d, loc, "%s needs kernel BTF, which this kernel does not have", p->name);
		return -1;
	}
	struct matches m = { .glob = func, .a = a };
	find_functions(&m);
	if (!m.names.n)
		diag_error(d, loc, "no kernel function that BTF describes matches %s", func);
	for (size_t i = 0; i < m.names.n && !probes_full(out); i++)
		vec_push(out, new_point(p, m.names.v[i], loc, a));
	int rc = m.names.n ? 0 : -1;
	vec_free(&m.names);
	return rc;
}

static void fentry_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	if (!btf_available())
		return;
	struct arena a = {0};
	struct matches m = { .glob = pattern, .a = &a };
	find_functions(&m);
	for (size_t i = 0; i < m.names.n; i++)
		sb_printf(out, "%s:%s\n", p->name, m.names.v[i]);
	vec_free(&m.names);
	arena_free(&a);
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
	.program_per_point = true,
	.ctx = CTX_ARGS,
	.caps = CAP_ARGS | CAP_FUNC,
	.expand = fentry_expand,
	.section = fentry_section,
	.load_args = fentry_load_args,
	.attach = fentry_attach,
	.list = fentry_list,
	.unavailable = fentry_unavailable,
};

const struct provider provider_fexit = {
	.filter_pid = true,
	.name = "fexit",
	.aliases = { "fr", "kretfunc" },
	.is_return = true,
	.program_per_point = true,
	.prog_type = BPF_PROG_TYPE_TRACING,
	.ctx = CTX_ARGS,
	.caps = CAP_ARGS | CAP_RETVAL | CAP_FUNC,
	.expand = fentry_expand,
	.section = fentry_section,
	.load_args = fentry_load_args,
	.attach = fentry_attach,
	.list = fentry_list,
	.unavailable = fentry_unavailable,
};
