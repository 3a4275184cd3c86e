/* kprobe:function[+offset] and kretprobe:function, with wildcards over the
 * kernel's traceable functions.  When the kernel has no kprobes (as on
 * machines with CONFIG_KPROBES off), the program still compiles and loads;
 * attaching fails with the nearest working alternative named. */
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef void (*fn_cb)(const char *name, void *arg);

/* Traceable functions: tracefs's list when it has one, else the kernel's
 * text symbols.  Read once per process and kept, with an index by name: the
 * list has tens of thousands of names, and a script may have many
 * wildcards, most with a fixed start (vfs_*). */
static struct {
	bool loaded;
	struct strbuf names;     /* NUL-separated */
	VEC(size_t) at;          /* offsets in names, in the list's order */
	VEC(size_t) by_name;     /* positions in at, sorted by name */
} funcs;

static const char *func_name(size_t i)
{
	return funcs.names.s + funcs.at.v[i];
}

static int cmp_by_name(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(func_name(x), func_name(y));
	return c ? c : x < y ? -1 : x > y;
}

static int cmp_position(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static void load_functions(void)
{
	funcs.loaded = true;
	char path[256];
	const char *tfs = tracefs_path();
	FILE *f = NULL;
	if (tfs) {
		snprintf(path, sizeof(path), "%s/available_filter_functions", tfs);
		f = fopen(path, "r");
	}
	bool kallsyms = false;
	char line[512];
	if (f && !fgets(line, sizeof(line), f)) {
		fclose(f);
		f = NULL;
	} else if (f) {
		rewind(f);
	}
	if (!f) {
		f = fopen("/proc/kallsyms", "r");
		kallsyms = true;
	}
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *name = line;
		if (kallsyms) {
			char *sp = strchr(line, ' ');
			if (!sp || !strchr("tT", sp[1]) || strchr(line, '['))
				continue;
			name = sp + 3;
		}
		name[strcspn(name, " \t\n")] = 0;
		if (!*name)
			continue;
		vec_push(&funcs.at, funcs.names.len);
		sb_appendn(&funcs.names, name, strlen(name) + 1);
	}
	fclose(f);
	for (size_t i = 0; i < funcs.at.n; i++)
		vec_push(&funcs.by_name, i);
	if (funcs.by_name.n)
		qsort(funcs.by_name.v, funcs.by_name.n, sizeof(size_t), cmp_by_name);
}

/* Calls cb for the functions whose names start with the n characters of
 * prefix (every function when n is 0), in the list's order. */
static void for_each_function(const char *prefix, size_t n, fn_cb cb, void *arg)
{
	if (!funcs.loaded)
		load_functions();
	if (!n) {
		for (size_t i = 0; i < funcs.at.n; i++)
			cb(func_name(i), arg);
		return;
	}
	size_t lo = 0, hi = funcs.by_name.n;
	while (lo < hi) {            /* the first name not below the prefix */
		size_t mid = (lo + hi) / 2;
		if (strncmp(func_name(funcs.by_name.v[mid]), prefix, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	VEC(size_t) hits = {0};
	for (; lo < funcs.by_name.n && !strncmp(func_name(funcs.by_name.v[lo]), prefix, n); lo++)
		vec_push(&hits, funcs.by_name.v[lo]);
	if (hits.n)
		qsort(hits.v, hits.n, sizeof(size_t), cmp_position);
	for (size_t i = 0; i < hits.n; i++)
		cb(func_name(hits.v[i]), arg);
	vec_free(&hits);
}

void kprobe_functions_free(void)
{
	sb_free(&funcs.names);
	vec_free(&funcs.at);
	vec_free(&funcs.by_name);
	funcs.loaded = false;
}

struct match {
	const char *glob;
	struct arena *a;
	VEC(const char *) names;
};

static void collect(const char *name, void *arg)
{
	struct match *m = arg;
	if (probe_glob(m->glob, name))
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
		off = strtoull(plus + 1, NULL, 0);
		*plus = 0;
	}
	if (!probe_has_wildcard(func)) {
		vec_push(out, new_point(p, func, off, loc, a));
		return 0;
	}
	struct match m = { .glob = func, .a = a };
	/* Only names with the glob's fixed start can match. */
	for_each_function(func, strcspn(func, "*?[\\"), collect, &m);
	if (!m.names.n)
		diag_error(d, loc, "no kernel function matches %s", func);
	for (size_t i = 0; i < m.names.n; i++)
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

static int kprobe_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = pt->prov->is_return, .offset = pt->offset);
	struct bpf_link *link = bpf_program__attach_kprobe_opts(prog, pt->func, &opts);
	if (!link) {
		int err = errno;
		struct arena a = {0};
		const char *why = kprobe_unavailable(pt, &a);
		if (why)
			sb_append(&ac->err, why);
		else
			sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(err));
		arena_free(&a);
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

struct lister {
	const struct provider *p;
	const char *glob;
	struct strbuf *out;
};

static void list_one(const char *name, void *arg)
{
	struct lister *l = arg;
	if (!l->glob || probe_glob(l->glob, name))
		sb_printf(l->out, "%s:%s\n", l->p->name, name);
}

static void kprobe_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	struct lister l = { p, pattern, out };
	for_each_function("", 0, list_one, &l);
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
	.attach = kprobe_attach,
	.list = kprobe_list,
	.unavailable = kprobe_unavailable,
};
