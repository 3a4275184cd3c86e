#include "kallsyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

struct entry {
	uint64_t addr;
	size_t name;         /* offset in names */
	size_t order;        /* position in the file: the first of equal names wins */
};

static struct {
	bool loaded;
	struct strbuf names;
	struct entry *v;
	size_t n;
	size_t data;         /* variables (d, D, b, B) */
} g;

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(g.names.s + x->name, g.names.s + y->name);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

static void load(void)
{
	g.loaded = true;
	FILE *f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	VEC(struct entry) v = {0};
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *end;
		uint64_t addr = strtoull(line, &end, 16);
		if (end[0] != ' ' || !end[1] || end[2] != ' ' || !addr)
			continue;
		g.data += strchr("dDbB", end[1]) != NULL;
		char *name = end + 3;
		name[strcspn(name, " \t\n")] = 0;
		struct entry e = { addr, g.names.len, v.n };
		sb_appendn(&g.names, name, strlen(name) + 1);
		vec_push(&v, e);
	}
	fclose(f);
	g.v = v.v;
	g.n = v.n;
	if (g.n)
		qsort(g.v, g.n, sizeof(*g.v), cmp_entry);
}

bool kallsyms_addr(const char *name, uint64_t *addr)
{
	if (!g.loaded)
		load();
	size_t lo = 0, hi = g.n;
	while (lo < hi) {            /* the first entry not below name */
		size_t mid = (lo + hi) / 2;
		if (strcmp(g.names.s + g.v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == g.n || strcmp(g.names.s + g.v[lo].name, name))
		return false;
	*addr = g.v[lo].addr;
	return true;
}

size_t kallsyms_data_symbols(void)
{
	if (!g.loaded)
		load();
	return g.data;
}

void kallsyms_free(void)
{
	sb_free(&g.names);
	free(g.v);
	memset(&g, 0, sizeof(g));
}
