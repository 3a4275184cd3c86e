#include "mapprint.h"
#include "fold.h"
#include "hist.h"

#include <inttypes.h>
#include <string.h>

/* ---- a stable sort with a context --------------------------------------- */

struct slot {
	const void *key;
	const void *value;
};

typedef int (*slot_cmp)(const struct slot *a, const struct slot *b, const struct map_view *m);

/* Merge sort: stable, so equal elements keep the kernel's iteration order
 * (which is what bpftrace's sort of a handful of entries amounts to). */
static void merge_sort(struct slot *v, struct slot *tmp, size_t n, slot_cmp cmp,
		       const struct map_view *m)
{
	if (n < 2)
		return;
	size_t half = n / 2, i = 0, j = half, k = 0;
	merge_sort(v, tmp, half, cmp, m);
	merge_sort(v + half, tmp, n - half, cmp, m);
	while (i < half && j < n)
		tmp[k++] = cmp(&v[j], &v[i], m) < 0 ? v[j++] : v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static void sort_slots(struct slot *v, size_t n, slot_cmp cmp, const struct map_view *m)
{
	struct slot *tmp = xcalloc(n, sizeof(*tmp));
	merge_sort(v, tmp, n, cmp, m);
	free(tmp);
}

/* ---- comparisons -------------------------------------------------------- */

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static uint64_t load_u64(const void *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* bpftrace compares integer keys as signed values of their size, whatever
 * the key's own signedness. */
static int cmp_key_int(const struct type *t, const uint8_t *a, const uint8_t *b)
{
	const struct type *s = type_int(t->size, true);
	return cmp_i64(fold_load_int(s, a), fold_load_int(s, b));
}

static int cmp_key_field(const struct type *t, const uint8_t *a, const uint8_t *b)
{
	if (t->kind == TY_INT)
		return cmp_key_int(t, a, b);
	if (t->kind == TY_STRING)
		return memcmp(a, b, t->size);
	return 0;
}

static int cmp_by_key(const struct slot *a, const struct slot *b, const struct map_view *m)
{
	const struct type *t = m->key;
	if (t->kind != TY_TUPLE)
		return cmp_key_field(t, a->key, b->key);
	for (uint32_t i = 0; i < t->nfields; i++) {
		const struct field *fd = &t->fields[i];
		int c = cmp_key_field(fd->type, (const uint8_t *)a->key + fd->offset,
				      (const uint8_t *)b->key + fd->offset);
		if (c)
			return c;
	}
	return 0;
}

static int cmp_by_value(const struct slot *a, const struct slot *b, const struct map_view *m)
{
	const struct type *t = m->value;
	switch (t->kind) {
	case TY_MIN:
	case TY_MAX:
		return cmp_u64((uint64_t)fold_value_int(t, a->value),
			       (uint64_t)fold_value_int(t, b->value));
	default:
		break;
	}
	int64_t x = fold_value_int(t, a->value), y = fold_value_int(t, b->value);
	if (t->is_signed)
		return cmp_i64(x, y);
	return cmp_u64((uint64_t)x, (uint64_t)y);
}

static bool sorts_by_value(const struct type *t)
{
	switch (t->kind) {
	case TY_INT: case TY_COUNT: case TY_SUM: case TY_MIN: case TY_MAX:
	case TY_AVG: case TY_STATS:
		return true;
	default:
		return false;
	}
}

/* ---- keys --------------------------------------------------------------- */

static void key_text_raw(struct strbuf *tmp, const struct type *key, const void *data,
			 const struct format_ctx *ctx, const char **s, size_t *n)
{
	format_value(tmp, key, data, OUTPUT_TEXT, ctx);
	*s = sb_str(tmp);
	*n = tmp->len;
	/* bpftrace strips by looking at the text, so a string key "(x)" loses
	 * its parentheses too. */
	if (*n >= 2 && (*s)[0] == '(' && (*s)[*n - 1] == ')') {
		(*s)++;
		*n -= 2;
	}
}

void mapprint_key(struct strbuf *sb, const struct type *key, const void *data,
		  const struct format_ctx *ctx)
{
	struct strbuf tmp = {0};
	const char *s;
	size_t n;
	key_text_raw(&tmp, key, data, ctx, &s, &n);
	sb_appendn(sb, s, n);
	sb_free(&tmp);
}

/* JSON object keys: the text key with every space removed. */
static void json_key(struct strbuf *sb, const struct type *key, const void *data,
		     const struct format_ctx *ctx)
{
	struct strbuf tmp = {0}, packed = {0};
	const char *s;
	size_t n;
	key_text_raw(&tmp, key, data, ctx, &s, &n);
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ')
			sb_putc(&packed, s[i]);
	format_json_string(sb, sb_str(&packed), packed.len);
	sb_free(&tmp);
	sb_free(&packed);
}

static void json_open(struct strbuf *sb, const char *type, const char *name)
{
	sb_printf(sb, "{\"type\": \"%s\", \"data\": {", type);
	format_json_string(sb, name, strlen(name));
	sb_append(sb, ": ");
}

static void json_close(struct strbuf *sb)
{
	sb_append(sb, "}}\n");
}

/* ---- ordinary maps ------------------------------------------------------ */

static void print_plain_text(struct strbuf *sb, const struct map_view *m, const struct slot *v,
			     size_t n, uint64_t div, const struct format_ctx *ctx)
{
	if (m->key->kind == TY_NONE) {
		sb_printf(sb, "%s: ", m->name);
		format_value_div(sb, m->value, v[0].value, OUTPUT_TEXT, ctx, div);
		sb_putc(sb, '\n');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sb_printf(sb, "%s[", m->name);
		mapprint_key(sb, m->key, v[i].key, ctx);
		sb_append(sb, "]: ");
		format_value_div(sb, m->value, v[i].value, OUTPUT_TEXT, ctx, div);
		sb_putc(sb, '\n');
	}
}

static void print_plain_json(struct strbuf *sb, const struct map_view *m, const struct slot *v,
			     size_t n, uint64_t div, const struct format_ctx *ctx)
{
	bool stats = m->value->kind == TY_AVG || m->value->kind == TY_STATS;
	json_open(sb, stats ? "stats" : "map", m->name);
	if (m->key->kind == TY_NONE) {
		format_value_div(sb, m->value, v[0].value, OUTPUT_JSON, ctx, div);
	} else {
		sb_putc(sb, '{');
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_append(sb, ", ");
			json_key(sb, m->key, v[i].key, ctx);
			sb_append(sb, ": ");
			format_value_div(sb, m->value, v[i].value, OUTPUT_JSON, ctx, div);
		}
		sb_putc(sb, '}');
	}
	json_close(sb);
}

static size_t top_skip(size_t n, uint64_t top)
{
	return top && n > top ? n - (size_t)top : 0;
}

static void print_plain(struct strbuf *sb, const struct map_view *m, uint64_t top,
			uint64_t div, enum output_format f, const struct format_ctx *ctx)
{
	struct slot *v = xcalloc(m->n, sizeof(*v));
	for (size_t i = 0; i < m->n; i++)
		v[i] = (struct slot){ m->entries[i].key, m->entries[i].value };
	sort_slots(v, m->n, sorts_by_value(m->value) ? cmp_by_value : cmp_by_key, m);

	size_t skip = top_skip(m->n, top);
	if (f == OUTPUT_JSON)
		print_plain_json(sb, m, v + skip, m->n - skip, div, ctx);
	else
		print_plain_text(sb, m, v + skip, m->n - skip, div, ctx);
	free(v);
}

/* ---- histogram maps ----------------------------------------------------- */

struct hgroup {
	const void *key;     /* user key bytes */
	uint64_t *counts;
	size_t nbuckets;     /* allocated: highest bucket seen + 1 */
	uint64_t total;
};

static uint64_t type_nbuckets(const struct type *t)
{
	if (t->kind == TY_HIST) {
		int k = (int)t->hist_bits;
		return hist_nbuckets(k < 0 ? 0 : k > 5 ? 5 : k);
	}
	return lhist_nbuckets(t->lhist_min, t->lhist_max, t->lhist_step);
}

static int cmp_key_bytes(const struct slot *a, const struct slot *b, const struct map_view *m)
{
	return memcmp(a->key, b->key, m->key->size);
}

static uint64_t slot_bucket(const struct map_view *m, const struct slot *s)
{
	return load_u64((const uint8_t *)s->key + ALIGN_UP(m->key->size, 8));
}

/* Sums the entries of one key (v[0..n), all with the same key) into g. */
static void fill_group(struct hgroup *g, const struct map_view *m, const struct slot *v,
		       size_t n, uint64_t limit)
{
	size_t hi = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t b = slot_bucket(m, &v[i]);
		if (b < limit && b + 1 > hi)
			hi = (size_t)b + 1;
	}
	g->key = v[0].key;
	g->nbuckets = hi;
	g->counts = xcalloc(hi ? hi : 1, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		uint64_t b = slot_bucket(m, &v[i]);
		if (b >= limit)
			continue;
		uint64_t c = load_u64(v[i].value);
		g->counts[b] += c;
		g->total += c;
	}
}

/* Groups the bucket entries by key, keys in byte order. */
static size_t make_groups(const struct map_view *m, struct hgroup **out)
{
	struct slot *v = xcalloc(m->n, sizeof(*v));
	for (size_t i = 0; i < m->n; i++)
		v[i] = (struct slot){ m->entries[i].key, m->entries[i].value };
	sort_slots(v, m->n, cmp_key_bytes, m);

	struct hgroup *g = xcalloc(m->n, sizeof(*g));
	size_t ng = 0, limit = type_nbuckets(m->value);
	for (size_t i = 0, j; i < m->n; i = j) {
		for (j = i + 1; j < m->n && !memcmp(v[i].key, v[j].key, m->key->size); j++)
			;
		memset(&g[ng], 0, sizeof(g[ng]));
		fill_group(&g[ng++], m, v + i, j - i, limit);
	}
	free(v);
	*out = g;
	return ng;
}

/* Stable insertion sort by total: few keys, and ties must keep key order. */
static void sort_groups(struct hgroup *g, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct hgroup x = g[i];
		size_t j = i;
		for (; j > 0 && g[j - 1].total > x.total; j--)
			g[j] = g[j - 1];
		g[j] = x;
	}
}

static void print_hist_text(struct strbuf *sb, const struct map_view *m,
			    const struct hgroup *g, size_t n, uint64_t div,
			    const struct format_ctx *ctx)
{
	for (size_t i = 0; i < n; i++) {
		if (m->key->kind == TY_NONE) {
			sb_printf(sb, "%s:\n", m->name);
		} else {
			sb_printf(sb, "%s[", m->name);
			mapprint_key(sb, m->key, g[i].key, ctx);
			sb_append(sb, "]:\n");
		}
		hist_print_text(sb, m->value, g[i].counts, g[i].nbuckets, div);
		sb_putc(sb, '\n');
	}
}

static void print_hist_json(struct strbuf *sb, const struct map_view *m,
			    const struct hgroup *g, size_t n, uint64_t div,
			    const struct format_ctx *ctx)
{
	json_open(sb, "hist", m->name);
	if (m->key->kind == TY_NONE) {
		hist_print_json(sb, m->value, g[0].counts, g[0].nbuckets, div);
	} else {
		sb_putc(sb, '{');
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_append(sb, ", ");
			json_key(sb, m->key, g[i].key, ctx);
			sb_append(sb, ": ");
			hist_print_json(sb, m->value, g[i].counts, g[i].nbuckets, div);
		}
		sb_putc(sb, '}');
	}
	json_close(sb);
}

static void print_hist(struct strbuf *sb, const struct map_view *m, uint64_t top,
		       uint64_t div, enum output_format f, const struct format_ctx *ctx)
{
	struct hgroup *g;
	size_t ng = make_groups(m, &g);
	sort_groups(g, ng);

	size_t skip = top_skip(ng, top);
	size_t shown = m->key->kind == TY_NONE ? 1 : ng - skip;
	if (f == OUTPUT_JSON)
		print_hist_json(sb, m, g + skip, shown, div, ctx);
	else
		print_hist_text(sb, m, g + skip, shown, div, ctx);

	for (size_t i = 0; i < ng; i++)
		free(g[i].counts);
	free(g);
}

void mapprint(struct strbuf *sb, const struct map_view *m, uint64_t top, uint64_t div,
	      enum output_format f, const struct format_ctx *ctx)
{
	if (!m->n)
		return;
	if (!m->key) {
		struct map_view scalar = *m;
		scalar.key = type_none();
		mapprint(sb, &scalar, top, div, f, ctx);
		return;
	}
	switch (m->value->kind) {
	case TY_HIST:
	case TY_LHIST:
		print_hist(sb, m, top, div, f, ctx);
		break;
	case TY_TSERIES:
		break;
	default:
		print_plain(sb, m, top, div, f, ctx);
		break;
	}
}
