/* uprobe:BINARY:function[+offset] and uretprobe:BINARY:function, with
 * wildcards over the binary's ELF function symbols.  BINARY may be a path
 * (wildcards allowed), a library name (libc) or a command on PATH. */
#include "probe.h"

#include <errno.h>
#include <glob.h>
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
	bool cpp;                  /* glob is for demangled C++ names */
	struct arena *a;
	VEC(const char *) names;
	VEC(uint64_t) offsets;
	VEC(uint64_t) sizes;
};

/* Symbol versions (pthread_create@GLIBC_2.2.5 and @@GLIBC_2.34) give one
 * name several entries: one point per name, at its file offset, so libbpf
 * never has to pick among them. */
static void collect(const char *name, uint64_t off, uint64_t size, void *arg)
{
	struct match *m = arg;
	char *dm = m->cpp ? demangle_cpp(name) : NULL;
	if (m->cpp && dm && demangled_matches(m->glob, dm))
		name = arena_strdup(m->a, dm);
	else if (m->cpp || !probe_glob(m->glob, name))
		name = NULL;
	free(dm);
	if (!name)
		return;
	for (size_t i = 0; i < m->names.n; i++)
		if (!strcmp(m->names.v[i], name))
			return;
	vec_push(&m->names, arena_strdup(m->a, name));
	vec_push(&m->offsets, off);
	vec_push(&m->sizes, size);
}

static void match_free(struct match *m)
{
	vec_free(&m->names);
	vec_free(&m->offsets);
	vec_free(&m->sizes);
}

/* An offset into a function must land inside it: past its end is another
 * function, and a symbol without a size has no end to check against. */
static int check_offset(const struct match *m, size_t i, uint64_t off, const struct loc *loc, struct diag *d)
{
	if (!off)
		return 0;
	if (!m->sizes.v[i]) {
		diag_error(d, loc, "cannot check offset %llu into %s: the symbol has size 0",
			   (unsigned long long)off, m->names.v[i]);
		return -1;
	}
	if (off >= m->sizes.v[i]) {
		diag_error(d, loc, "offset %llu is outside %s, which is %llu bytes long",
			   (unsigned long long)off, m->names.v[i], (unsigned long long)m->sizes.v[i]);
		return -1;
	}
	return 0;
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

uint64_t uprobe_file_offset(const struct probe_point *pt)
{
	return pt->func ? pt->num + pt->offset : pt->offset;
}

/* Not an ELF file (one a path wildcard matched, say). */
#define NOT_ELF (-2)

/* The points of one binary's functions matching func; PROBE_NO_MATCH when
 * there are none. */
static int expand_functions(const struct provider *p, const char *bin, const char *func, uint64_t off,
			    const struct loc *loc, struct arena *a, pointvec *out, struct diag *d)
{
	/* cpp:PATTERN matches demangled C++ names. */
	bool cpp = !strncmp(func, "cpp:", 4);
	struct match m = { .glob = cpp ? func + 4 : func, .cpp = cpp, .a = a };
	if (elf_functions(bin, collect, &m)) {
		diag_error(d, loc, "cannot read the ELF symbols of %s", bin);
		return NOT_ELF;
	}
	if (!m.names.n)
		diag_error(d, loc, "no function %s in %s", func, bin);
	int rc = m.names.n ? 0 : PROBE_NO_MATCH;
	for (size_t i = 0; i < m.names.n && !rc && !probes_full(out); i++) {
		rc = check_offset(&m, i, off, loc, d);
		struct probe_point *pt = new_point(p, bin, m.names.v[i], off, loc, a);
		if (cpp)
			pt->name = arena_printf(a, "%s:%s:cpp:%s", p->name, bin, m.names.v[i]);
		pt->num = m.offsets.v[i];
		vec_push(out, pt);
	}
	match_free(&m);
	return rc;
}

/* Over the binaries a path wildcard matched, one that is not ELF or lacks
 * the function is passed over; a bad offset is still an error. */
static int expand_each(const struct provider *p, const strvec *bins, const char *binname, const char *func,
		       uint64_t off, const struct loc *loc, struct arena *a, pointvec *out, struct diag *d)
{
	size_t found = 0;
	for (size_t i = 0; i < bins->n; i++) {
		struct diag quiet = {0};
		int r = expand_functions(p, bins->v[i], func, off, loc, a, out, &quiet);
		diag_free(&quiet);
		if (r == -1)   /* said again where it belongs */
			return expand_functions(p, bins->v[i], func, off, loc, a, &(pointvec){0}, d);
		found += r == 0;
	}
	if (found)
		return 0;
	diag_error(d, loc, "no function %s in the %zu files matching %s", func, bins->n, binname);
	return PROBE_NO_MATCH;
}

static int uprobe_expand(const struct provider *p, const char *spec, const struct loc *loc,
			 struct arena *a, pointvec *out, struct diag *d)
{
	/* BINARY:cpp:NAME holds colons in NAME (ns::f); else the function is
	 * after the last colon. */
	const char *cpp = spec ? strstr(spec, ":cpp:") : NULL;
	const char *colon = cpp ? cpp : spec ? strrchr(spec, ':') : NULL;
	/* With -p the binary may be left out: every object the process maps. */
	if (!colon && spec && *spec && probes_target_pid() > 0) {
		spec = arena_printf(a, "*:%s", spec);
		colon = spec + 1;
	}
	if (!colon || colon == spec || !colon[1]) {
		diag_error(d, loc, "a %s is written %s:BINARY:FUNCTION (or %s:FUNCTION with -p)", p->name,
			   p->name, p->name);
		return -1;
	}
	char *binname = unquote(a, spec, (size_t)(colon - spec));
	strvec bins = {0};
	if (user_binaries(binname, a, &bins)) {
		diag_error(d, loc, "a uprobe on every binary (*) needs -p PID: the objects that process maps");
		vec_free(&bins);
		return -1;
	}
	if (!bins.n) {
		diag_error(d, loc, "binary '%s' not found (as a path, a library, or on PATH)", binname);
		return probe_has_wildcard(binname) ? PROBE_NO_MATCH : -1;
	}
	const char *rest = colon + 1;
	char *func = cpp ? arena_printf(a, "cpp:%s", unquote(a, cpp + 5, strlen(cpp + 5))) :
			   unquote(a, rest, strlen(rest));
	uint64_t off = 0;
	int rc = 0;
	char *plus = strchr(func, '+');
	if (!strncmp(func, "0x", 2)) {
		off = strtoull(func, NULL, 16);
		for (size_t i = 0; i < bins.n; i++)
			vec_push(out, new_point(p, bins.v[i], NULL, off, loc, a));
	} else if (plus && p->is_return) {
		diag_error(d, loc, "%s takes no offset", p->name);
		rc = -1;
	} else {
		if (plus) {
			off = strtoull(plus + 1, NULL, 0);
			*plus = 0;
		}
		if (bins.n > 1 || probe_has_wildcard(binname))
			rc = expand_each(p, &bins, binname, func, off, loc, a, out, d);
		else
			rc = expand_functions(p, bins.v[0], func, off, loc, a, out, d);
		if (rc == PROBE_NO_MATCH && !probe_has_wildcard(func) && !probe_has_wildcard(binname))
			rc = -1;
		if (rc == NOT_ELF)
			rc = -1;
	}
	vec_free(&bins);
	return rc;
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
	uint64_t off = uprobe_file_offset(pt);
	/* In an archive, the kernel probes the archive file (num counts from
	 * its start). */
	struct arena a = {0};
	const char *path = pt->target, *member;
	archive_split(pt->target, &a, &path, &member);
	struct bpf_link *link = bpf_program__attach_uprobe_opts(prog, ac->pid > 0 ? ac->pid : -1,
								 path, off, &opts);
	arena_free(&a);
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
	const char *glob;
	struct arena *a;
	strvec names;
};

/* Names are gathered first: a symbol in both .symtab and .dynsym, or
 * with several versions, is listed once, and the list is sorted. */
static void list_one(const char *name, uint64_t addr, uint64_t size, void *arg)
{
	struct lister *l = arg;
	if (l->glob && !strncmp(l->glob, "cpp:", 4)) {
		char *dm = demangle_cpp(name);
		if (dm && demangled_matches(l->glob + 4, dm))
			vec_push(&l->names, arena_printf(l->a, "cpp:%s", dm));
		free(dm);
	} else if (!l->glob || probe_glob(l->glob, name)) {
		vec_push(&l->names, arena_strdup(l->a, name));
	}
}

static void list_binary(const struct provider *p, const char *bin, const char *glob, struct arena *a,
			struct strbuf *out)
{
	struct lister l = { .glob = glob, .a = a };
	elf_functions(bin, list_one, &l);
	names_sort_unique(&l.names);
	for (size_t i = 0; i < l.names.n; i++)
		sb_printf(out, "%s:%s:%s\n", p->name, bin, l.names.v[i]);
	vec_free(&l.names);
}

/* Listing needs a binary ("uprobe:/bin/bash:*", wildcards allowed), or
 * -p: then "uprobe:*" and a bare pattern list the process's objects. */
static void uprobe_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	const char *cpp = pattern ? strstr(pattern, ":cpp:") : NULL;
	const char *colon = cpp ? cpp : pattern ? strrchr(pattern, ':') : NULL;
	if (!colon && probes_target_pid() <= 0)
		return;
	struct arena a = {0};
	const char *binname = colon ? arena_strndup(&a, pattern, (size_t)(colon - pattern)) : "*";
	const char *glob = colon ? colon + 1 : pattern;
	strvec bins = {0};
	user_binaries(binname, &a, &bins);
	for (size_t i = 0; i < bins.n; i++)
		list_binary(p, bins.v[i], glob && *glob ? glob : NULL, &a, out);
	vec_free(&bins);
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
