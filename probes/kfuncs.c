/* The kernel's traceable functions, for kprobe and fentry wildcards and -l:
 * tracefs's available_filter_functions when it can be read, else the
 * kernel's text symbols. */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Traceable functions: tracefs's list when it has one, else the kernel's
 * text symbols.  Read once per process and kept, with an index by name: the
 * list has tens of thousands of names, and a script may have many
 * wildcards, most with a fixed start (vfs_*). */
static struct {
	bool loaded;
	bool traceable;          /* from tracefs, not kallsyms */
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
	char line[512];
	if (f && !fgets(line, sizeof(line), f)) {   /* empty: hidden from this user */
		fclose(f);
		f = NULL;
	} else if (f) {
		rewind(f);
		funcs.traceable = true;
	}
	if (!f) {
		f = fopen("/proc/kallsyms", "r");
	}
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *name = line;
		if (!funcs.traceable) {
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
void kernel_functions_prefix(const char *prefix, size_t n, kfunc_cb cb, void *arg)
{
	if (!funcs.loaded)
		load_functions();
	size_t lo = 0, hi = funcs.by_name.n;
	while (lo < hi) {            /* the first name not below the prefix */
		size_t mid = (lo + hi) / 2;
		if (strncmp(func_name(funcs.by_name.v[mid]), prefix, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* A static function of one name in several files is listed once per
	 * copy: it is one probe (kprobe_multi refuses a name given twice). */
	const char *last = NULL;
	for (; lo < funcs.by_name.n && !strncmp(func_name(funcs.by_name.v[lo]), prefix, n); lo++) {
		const char *name = func_name(funcs.by_name.v[lo]);
		if (!last || strcmp(name, last))
			cb(name, arg);
		last = name;
	}
}

void kprobe_functions_free(void)
{
	sb_free(&funcs.names);
	vec_free(&funcs.at);
	vec_free(&funcs.by_name);
	funcs.loaded = false;
}

bool kernel_functions(kfunc_cb cb, void *arg)
{
	kernel_functions_prefix("", 0, cb, arg);
	return funcs.traceable;
}

static int cmp_strings(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void names_sort_unique(strvec *v)
{
	if (!v->n)
		return;
	qsort(v->v, v->n, sizeof(*v->v), cmp_strings);
	size_t k = 1;
	for (size_t i = 1; i < v->n; i++)
		if (strcmp(v->v[i], v->v[k - 1]))
			v->v[k++] = v->v[i];
	v->n = k;
}
