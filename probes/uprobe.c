/* uprobe:BINARY:function[+offset] and uretprobe:BINARY:function, with
 * wildcards over the binary's ELF function symbols.  BINARY may be a path,
 * a library name (libc) or a command on PATH. */
#include "probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *unquote(struct arena *a, const char *s, size_t n)
{
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return arena_strndup(a, s + 1, n - 2);
	return arena_strndup(a, s, n);
}

struct match {
	const char *glob;
	struct arena *a;
	VEC(const char *) names;
	VEC(uint64_t) offsets;
};

/* Symbol versions (pthread_create@GLIBC_2.2.5 and @@GLIBC_2.34) give one
 * name several entries: one point per name, at its file offset, so libbpf
 * never has to pick among them. */
static void collect(const char *name, uint64_t off, void *arg)
{
	struct match *m = arg;
	if (!probe_glob(m->glob, name))
		return;
	for (size_t i = 0; i < m->names.n; i++)
		if (!strcmp(m->names.v[i], name))
			return;
	vec_push(&m->names, arena_strdup(m->a, name));
	vec_push(&m->offsets, off);
}

static struct probe_point *new_point(const struct provider *p, const char *bin, const char *func,
				     uint64_t off, const struct loc *loc, struct arena *a)
{
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->target = bin;
	pt->func = func;
	pt->offset = off;   /* from the function, as named; attach adds the function's */
	pt->loc = *loc;
	if (func && off)
		pt->name = arena_printf(a, "%s:%s:%s+%llu", p->name, bin, func, (unsigned long long)off);
	else if (func)
		pt->name = arena_printf(a, "%s:%s:%s", p->name, bin, func);
	else
		pt->name = arena_printf(a, "%s:%s:0x%llx", p->name, bin, (unsigned long long)off);
	return pt;
}

static int uprobe_expand(const struct provider *p, const char *spec, const struct loc *loc,
			 struct arena *a, pointvec *out, struct diag *d)
{
	const char *colon = spec ? strrchr(spec, ':') : NULL;
	if (!colon || colon == spec || !colon[1]) {
		diag_error(d, loc, "a %s is written %s:BINARY:FUNCTION", p->name, p->name);
		return -1;
	}
	char *binname = unquote(a, spec, (size_t)(colon - spec));
	const char *bin = resolve_binary(binname, a);
	if (!bin) {
		diag_error(d, loc, "binary '%s' not found (as a path, a library, or on PATH)", binname);
		return -1;
	}
	const char *rest = colon + 1;
	char *func = unquote(a, rest, strlen(rest));
	uint64_t off = 0;
	if (!strncmp(func, "0x", 2)) {
		off = strtoull(func, NULL, 16);
		vec_push(out, new_point(p, bin, NULL, off, loc, a));
		return 0;
	}
	char *plus = strchr(func, '+');
	if (plus) {
		if (p->is_return) {
			diag_error(d, loc, "%s takes no offset", p->name);
			return -1;
		}
		off = strtoull(plus + 1, NULL, 0);
		*plus = 0;
	}
	struct match m = { .glob = func, .a = a };
	if (elf_functions(bin, collect, &m)) {
		diag_error(d, loc, "cannot read the ELF symbols of %s", bin);
		return -1;
	}
	if (!m.names.n) {
		diag_error(d, loc, "no function %s in %s", func, bin);
		vec_free(&m.names);
		vec_free(&m.offsets);
		return probe_has_wildcard(func) ? PROBE_NO_MATCH : -1;
	}
	for (size_t i = 0; i < m.names.n; i++) {
		struct probe_point *pt = new_point(p, bin, m.names.v[i], off, loc, a);
		pt->num = m.offsets.v[i];
		vec_push(out, pt);
	}
	vec_free(&m.names);
	vec_free(&m.offsets);
	return 0;
}

static const char *uprobe_section(const struct probe_point *pt, struct arena *a)
{
	return pt->prov->is_return ? "uretprobe" : "uprobe";
}

static int uprobe_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	/* A function's file offset (num) plus the offset into it; a bare
	 * address is the offset itself. */
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = pt->prov->is_return);
	uint64_t off = pt->func ? pt->num + pt->offset : pt->offset;
	struct bpf_link *link = bpf_program__attach_uprobe_opts(prog, ac->pid > 0 ? ac->pid : -1,
								 pt->target, off, &opts);
	if (!link) {
		int err = errno;
		sb_printf(&ac->err, "cannot attach %s: %s", pt->name,
			  err > 0 && err < 4000 ? strerror(err) : "libbpf could not attach it (run with -v)");
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

struct lister {
	const struct provider *p;
	const char *bin;
	const char *glob;
	struct strbuf *out;
};

static void list_one(const char *name, uint64_t addr, void *arg)
{
	struct lister *l = arg;
	if (!l->glob || probe_glob(l->glob, name))
		sb_printf(l->out, "%s:%s:%s\n", l->p->name, l->bin, name);
}

/* Listing needs a binary: "uprobe:/bin/bash:*". */
static void uprobe_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	const char *colon = pattern ? strrchr(pattern, ':') : NULL;
	if (!colon)
		return;
	struct arena a = {0};
	const char *bin = resolve_binary(arena_strndup(&a, pattern, (size_t)(colon - pattern)), &a);
	if (bin) {
		struct lister l = { p, bin, colon[1] ? colon + 1 : NULL, out };
		elf_functions(bin, list_one, &l);
	}
	arena_free(&a);
}

const struct provider provider_uprobe = {
	.name = "uprobe",
	.aliases = { "u" },
	.user = true,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.ctx = CTX_PTREGS,
	.caps = CAP_ARGN | CAP_FUNC | CAP_REGS,
	.expand = uprobe_expand,
	.section = uprobe_section,
	.attach = uprobe_attach,
	.list = uprobe_list,
};

const struct provider provider_uretprobe = {
	.name = "uretprobe",
	.aliases = { "ur" },
	.is_return = true,
	.user = true,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.ctx = CTX_PTREGS,
	.caps = CAP_RETVAL | CAP_FUNC | CAP_REGS,
	.expand = uprobe_expand,
	.section = uprobe_section,
	.attach = uprobe_attach,
	.list = uprobe_list,
};
