/* kprobe:function[+offset] and kretprobe:function, with wildcards over the
 * kernel's traceable functions.  A program serving several functions is
 * attached to all of them with one kprobe_multi link where the kernel has
 * them (fprobe, 5.18+), else with one kprobe each.  When the kernel has no kprobes (as on
 * machines with CONFIG_KPROBES off), the program still compiles and loads;
 * attaching fails with the nearest working alternative named. */
#include "probe.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct match {
	const char *glob;
	struct arena *a;
	strvec names;
	size_t room;      /* names still wanted */
};

/* Names come sorted and unique (kernel_functions). */
static void collect(const char *name, void *arg)
{
	struct match *m = arg;
	if (m->names.n < m->room && probe_glob(m->glob, name))
		vec_push(&m->names, arena_strdup(m->a, name));
}

static struct probe_point *new_point(const struct provider *p, const char *func, uint64_t off,
				     const struct loc *loc, struct arena *a)
{
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->func = func;
	pt->offset = off;
	pt->loc = *loc;
	pt->name = off ? arena_printf(a, "%s:%s+%llu", p->name, func, (unsigned long long)off)
		       : arena_printf(a, "%s:%s", p->name, func);
	return pt;
}

static int kprobe_expand(const struct provider *p, const char *spec, const struct loc *loc,
			 struct arena *a, pointvec *out, struct diag *d)
{
	if (!spec || !*spec) {
		diag_error(d, loc, "a %s is written %s:FUNCTION", p->name, p->name);
		return -1;
	}
	/* kprobe:module:function: the module is not needed to attach. */
	const char *colon = strrchr(spec, ':');
	char *func = arena_strdup(a, colon ? colon + 1 : spec);
	uint64_t off = 0;
	char *plus = strchr(func, '+');
	if (plus) {
		if (p->is_return) {
			diag_error(d, loc, "%s takes no offset", p->name);
			return -1;
		}
		char *end;
		off = strtoull(plus + 1, &end, 0);
		if (end == plus + 1 || *end) {
			diag_error(d, loc, "'%s' is not an offset: write %s:FUNCTION+NUMBER", plus + 1, p->name);
			return -1;
		}
		*plus = 0;
		if (probe_has_wildcard(func)) {
			diag_error(d, loc, "an offset applies to one function, not to a wildcard (%s)", func);
			return -1;
		}
	}
	if (!probe_has_wildcard(func)) {
		vec_push(out, new_point(p, func, off, loc, a));
		return 0;
	}
	struct match m = { .glob = func, .a = a, .room = probes_room(out) };
	/* Only names with the glob's fixed start can match. */
	kernel_functions_prefix(func, strcspn(func, "*?[\\"), collect, &m);
	if (!m.names.n)
		diag_error(d, loc, "no kernel function matches %s", func);
	for (size_t i = 0; i < m.names.n && !probes_full(out); i++)
		vec_push(out, new_point(p, m.names.v[i], 0, loc, a));
	int rc = m.names.n ? 0 : PROBE_NO_MATCH;
	vec_free(&m.names);
	return rc;
}

static const char *kprobe_section(const struct probe_point *pt, struct arena *a)
{
	return arena_printf(a, "%s/%s", pt->prov->is_return ? "kretprobe" : "kprobe", pt->func);
}

static bool kprobes_available(void)
{
	struct stat st;
	return stat("/sys/bus/event_source/devices/kprobe", &st) == 0;
}

static const char *kprobe_unavailable(const struct probe_point *pt, struct arena *a)
{
	if (kprobes_available())
		return NULL;
	const char *kind = pt->prov->is_return ? "kretprobes" : "kprobes";
	const char *alt = probe_alternative(pt->func, pt->prov->is_return, a);
	if (alt)
		return arena_printf(a, "this kernel has no %s, so %s cannot attach; use %s instead", kind, pt->name, alt);
	return arena_printf(a, "this kernel has no %s, so %s cannot attach; look for a tracepoint with trawk -l 'tracepoint:*%s*'",
			    kind, pt->name, pt->func);
}

/* The kernel's reasons, in the script's terms. */
static void attach_error(const struct probe_point *pt, int err, struct strbuf *out)
{
	if (err == EILSEQ && pt->offset)
		sb_printf(out, "cannot attach %s: offset %llu is not the start of an instruction in %s",
			  pt->name, (unsigned long long)pt->offset, pt->func);
	else if (err == ENOENT || (err == EINVAL && !pt->offset))
		sb_printf(out, "cannot attach %s: the kernel has no traceable function %s (trawk -l 'kprobe:%s*' lists those it has)",
			  pt->name, pt->func, pt->func);
	else if (err == EINVAL)
		sb_printf(out, "cannot attach %s: offset %llu is outside %s or cannot be probed",
			  pt->name, (unsigned long long)pt->offset, pt->func);
	else
		sb_printf(out, "cannot attach %s: %s", pt->name, strerror(err));
}

/* Can this kernel attach kprobe_multi links?  A link to a function that
 * does not exist is asked for: a kernel with them fails to find it
 * (ESRCH), one without fprobe says EOPNOTSUPP, one older EINVAL. */
static bool probe_kprobe_multi(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, lopts, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	int prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "trawk_probe", "GPL", insns, 2, &lopts);
	if (prog < 0)
		return false;
	const char *syms[] = { "trawk_no_such_function_" };
	LIBBPF_OPTS(bpf_link_create_opts, copts, .kprobe_multi.syms = syms, .kprobe_multi.cnt = 1);
	int link = bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &copts);
	int err = link < 0 ? errno : 0;
	if (link >= 0)
		close(link);
	close(prog);
	return link >= 0 || err == ESRCH || err == ENOENT;
}

static bool kprobe_multi_available(void)
{
	static int known = -1;
	if (known < 0)
		known = probe_kprobe_multi();
	return known;
}

static void kprobe_configure(const struct probe_point *pt, struct bpf_program *prog, size_t sharing)
{
	if (sharing > 1 && !pt->offset && kprobes_available() && kprobe_multi_available())
		bpf_program__set_expected_attach_type(prog, BPF_TRACE_KPROBE_MULTI);
}

static bool is_multi(const struct bpf_program *prog)
{
	return bpf_program__expected_attach_type(prog) == BPF_TRACE_KPROBE_MULTI;
}

static int kprobe_prepare(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	if (is_multi(prog))
		vec_push(&ac->multi, ((struct multi_fn){ prog, pt->func }));
	return 0;
}

/* The first point of a kprobe_multi program attaches all of its functions. */
static int multi_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	for (size_t i = 0; i < ac->once.n; i++)
		if (ac->once.v[i] == prog)
			return 0;
	VEC(const char *) syms = {0};
	for (size_t i = 0; i < ac->multi.n; i++)
		if (ac->multi.v[i].prog == prog)
			vec_push(&syms, ac->multi.v[i].func);
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms.v, .cnt = syms.n, .retprobe = pt->prov->is_return);
	struct bpf_link *link = bpf_program__attach_kprobe_multi_opts(prog, NULL, &opts);
	int err = errno;
	vec_free(&syms);
	if (!link) {
		sb_printf(&ac->err, "cannot attach %s and the other functions of its probe (%zu, with kprobe_multi): %s",
			  pt->name, opts.cnt, strerror(err));
		return -1;
	}
	vec_push(&ac->links, link);
	vec_push(&ac->once, prog);
	return 0;
}

static int kprobe_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	if (is_multi(prog))
		return multi_attach(pt, prog, ac);
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = pt->prov->is_return, .offset = pt->offset);
	struct bpf_link *link = bpf_program__attach_kprobe_opts(prog, pt->func, &opts);
	if (!link) {
		int err = errno;
		struct arena a = {0};
		const char *why = kprobe_unavailable(pt, &a);
		if (why)
			sb_append(&ac->err, why);
		else
			attach_error(pt, err, &ac->err);
		arena_free(&a);
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

/* Sorted, each function once. */
static void kprobe_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	struct arena a = {0};
	struct match m = { .glob = pattern && *pattern ? pattern : "*", .a = &a, .room = SIZE_MAX };
	kernel_functions(collect, &m);
	for (size_t i = 0; i < m.names.n; i++)
		sb_printf(out, "%s:%s\n", p->name, m.names.v[i]);
	vec_free(&m.names);
	arena_free(&a);
}

const struct provider provider_kprobe = {
	.filter_pid = true,
	.name = "kprobe",
	.aliases = { "k" },
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.ctx = CTX_PTREGS,
	.caps = CAP_ARGN | CAP_FUNC | CAP_REGS,
	.expand = kprobe_expand,
	.section = kprobe_section,
	.configure = kprobe_configure,
	.prepare = kprobe_prepare,
	.attach = kprobe_attach,
	.list = kprobe_list,
	.unavailable = kprobe_unavailable,
};

const struct provider provider_kretprobe = {
	.filter_pid = true,
	.name = "kretprobe",
	.aliases = { "kr" },
	.is_return = true,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.ctx = CTX_PTREGS,
	.caps = CAP_RETVAL | CAP_FUNC | CAP_REGS,
	.expand = kprobe_expand,
	.section = kprobe_section,
	.configure = kprobe_configure,
	.prepare = kprobe_prepare,
	.attach = kprobe_attach,
	.list = kprobe_list,
	.unavailable = kprobe_unavailable,
};
