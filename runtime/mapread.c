#include "mapread.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>

#include "fold.h"

static int ncpus(void)
{
	static int n;
	if (!n) {
		n = libbpf_num_possible_cpus();
		if (n < 1)
			n = 1;
	}
	return n;
}

static size_t value_size(const struct map_def *m)
{
	return type_map_value_size(m->value);
}

size_t map_lookup_size(const struct map_def *m)
{
	size_t vs = value_size(m);
	return map_def_is_percpu(m) ? ALIGN_UP(vs, 8) * (size_t)ncpus() : vs;
}

struct grow {
	char *keys, *values;
	size_t n, cap, ks, vs;
};

static void grow_push(struct grow *g, const void *key, const void *val)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->keys = xrealloc(g->keys, g->cap * g->ks);
		g->values = xrealloc(g->values, g->cap * g->vs);
	}
	memcpy(g->keys + g->n * g->ks, key, g->ks);
	memcpy(g->values + g->n * g->vs, val, g->vs);
	g->n++;
}

/* Folds one lookup result (one value per CPU for per-CPU maps) into out. */
static void fold_lookup(const struct map_def *m, const void *raw, void *out)
{
	if (!map_def_is_percpu(m)) {
		memcpy(out, raw, value_size(m));
		return;
	}
	size_t stride = ALIGN_UP(value_size(m), 8);
	fold_init(m->value, out);
	for (int c = 0; c < ncpus(); c++)
		fold_add(m->value, out, (const char *)raw + stride * (size_t)c);
}

/* Batched lookups: one syscall per chunk of entries instead of two per key. */
static int read_batch(int fd, const struct map_def *m, struct grow *g)
{
	size_t ks = map_def_key_size(m), ls = map_lookup_size(m);
	uint32_t chunk = 1024;
	void *keys = xmalloc(chunk * ks), *vals = xmalloc(chunk * ls), *folded = xmalloc(g->vs);
	/* Batch tokens are opaque; a key's size is always enough. */
	size_t ts = ks > 8 ? ks : 8;
	char *in = xcalloc(1, ts), *out = xcalloc(1, ts);
	bool first = true;
	int rc = 0;
	for (;;) {
		uint32_t count = chunk;
		LIBBPF_OPTS(bpf_map_batch_opts, opts);
		int err = bpf_map_lookup_batch(fd, first ? NULL : in, out, keys, vals, &count, &opts);
		int e = err ? errno : 0;
		for (uint32_t i = 0; i < count; i++) {
			fold_lookup(m, (char *)vals + i * ls, folded);
			grow_push(g, (char *)keys + i * ks, folded);
		}
		if (err) {
			rc = e == ENOENT ? 0 : -e;
			break;
		}
		memcpy(in, out, ts);
		first = false;
	}
	free(in);
	free(out);
	free(keys);
	free(vals);
	free(folded);
	return rc;
}

static int read_iter(int fd, const struct map_def *m, struct grow *g)
{
	size_t ks = map_def_key_size(m);
	void *key = xcalloc(1, ks), *next = xcalloc(1, ks);
	void *raw = xmalloc(map_lookup_size(m)), *folded = xmalloc(g->vs);
	void *prev = NULL;
	int rc = 0;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, ks);
		prev = key;
		if (bpf_map_lookup_elem(fd, key, raw))
			continue;   /* deleted meanwhile */
		fold_lookup(m, raw, folded);
		grow_push(g, key, folded);
	}
	if (errno != ENOENT)
		rc = -errno;
	free(key);
	free(next);
	free(raw);
	free(folded);
	return rc;
}

int mapread(int fd, const struct map_def *m, struct map_snapshot *s)
{
	struct grow g = { .ks = map_def_key_size(m), .vs = value_size(m) };
	int rc = read_batch(fd, m, &g);
	if (rc == -EINVAL || rc == -ENOTSUP || rc == -EOPNOTSUPP) {
		g.n = 0;
		rc = read_iter(fd, m, &g);
	}
	memset(s, 0, sizeof(*s));
	s->keys = g.keys;
	s->values = g.values;
	s->view.name = m->name;
	s->view.key = m->key;
	s->view.value = m->value;
	s->view.n = g.n;
	s->view.entries = xcalloc(g.n + 1, sizeof(struct map_entry));
	for (size_t i = 0; i < g.n; i++) {
		s->view.entries[i].key = g.keys + i * g.ks;
		s->view.entries[i].value = g.values + i * g.vs;
	}
	return rc;
}

void mapread_free(struct map_snapshot *s)
{
	free(s->keys);
	free(s->values);
	free(s->view.entries);
	memset(s, 0, sizeof(*s));
}

int map_clear(int fd, const struct map_def *m)
{
	size_t ks = map_def_key_size(m);
	void *key = xcalloc(1, ks);
	int rc = 0;
	/* Deleting while iterating restarts the walk: always take the first key. */
	while (bpf_map_get_next_key(fd, NULL, key) == 0) {
		if (bpf_map_delete_elem(fd, key) && errno != ENOENT) {
			rc = -errno;
			break;
		}
	}
	free(key);
	return rc;
}

int map_zero(int fd, const struct map_def *m)
{
	size_t ks = map_def_key_size(m);
	void *key = xcalloc(1, ks), *next = xcalloc(1, ks);
	void *zero = xcalloc(1, map_lookup_size(m));
	void *prev = NULL;
	int rc = 0;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, ks);
		prev = key;
		if (bpf_map_update_elem(fd, key, zero, BPF_EXIST) && errno != ENOENT) {
			rc = -errno;
			break;
		}
	}
	free(key);
	free(next);
	free(zero);
	return rc;
}
