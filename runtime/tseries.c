#include "tseries.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GRAPH_WIDTH 53
#define LABEL_PAD 21

struct point {
	int64_t start;        /* wall-clock ns */
	bool present;
	int64_t value;
};

struct series {
	struct point *p;
	size_t n;
	uint64_t first, last_epoch;   /* this key's intervals with a value */
};

static uint64_t u64_at(const uint8_t *p, size_t off)
{
	uint64_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* The first and the last interval of a key that hold a value. */
static void bounds(const struct type *t, const uint8_t *v, uint64_t *first, uint64_t *last)
{
	uint32_t slots = tseries_slots(t);
	*first = UINT64_MAX;
	*last = 0;
	for (uint32_t i = 0; i < slots; i++) {
		const uint8_t *b = v + (size_t)i * TSERIES_BUCKET_SIZE;
		if (!u64_at(b, 16))
			continue;
		uint64_t e = u64_at(b, 0);
		if (e > *last)
			*last = e;
		if (e < *first)
			*first = e;
	}
}

/* The last ts_num intervals up to the newest interval of any key, from the
 * first interval of this key that has a value (s->first). */
static void build(struct series *s, const struct type *t, const uint8_t *v, uint64_t last, int64_t tai_to_wall)
{
	uint32_t slots = tseries_slots(t);
	uint64_t first = s->first;
	s->n = 0;
	if (first == UINT64_MAX)
		return;
	uint64_t num = (uint64_t)t->ts_num;
	uint64_t from = last + 1 >= num ? last + 1 - num : 0;
	if (first > from)
		from = first;
	s->p = xcalloc(last - from + 1, sizeof(*s->p));
	for (uint64_t e = from; e <= last; e++) {
		struct point *pt = &s->p[s->n++];
		pt->start = (int64_t)(e * (uint64_t)t->ts_interval) + tai_to_wall;
		const uint8_t *b = v + (size_t)(e & (slots - 1)) * TSERIES_BUCKET_SIZE;
		uint64_t count = u64_at(b, 16);
		if (u64_at(b, 0) != e || !count)
			continue;
		int64_t val = (int64_t)u64_at(b, 8);
		if (t->ts_mode == 1)
			val = t->is_signed ? val / (int64_t)count : (int64_t)((uint64_t)val / count);
		pt->present = true;
		pt->value = val;
	}
}

static void put_value(struct strbuf *sb, const struct type *t, int64_t v)
{
	if (t->is_signed)
		sb_printf(sb, "%lld", (long long)v);
	else
		sb_printf(sb, "%llu", (unsigned long long)v);
}

static void padded(struct strbuf *sb, const char *s, int width, bool left)
{
	int n = (int)strlen(s);
	if (!left)
		for (int i = n; i < width; i++)
			sb_putc(sb, ' ');
	sb_append(sb, s);
	if (left)
		for (int i = n; i < width; i++)
			sb_putc(sb, ' ');
}

/* Fraction digits of the time labels, from the unit of the rows' spacing
 * (a single row has none, and shows nanoseconds, as bpftrace's does). */
static int fraction_digits(const struct series *s)
{
	int64_t spacing = s->n > 1 ? (s->p[s->n - 1].start - s->p[0].start) / (int64_t)(s->n - 1) : 0;
	if (spacing >= 1000000000)
		return 0;
	if (spacing >= 1000000)
		return 3;
	if (spacing >= 1000)
		return 6;
	return 9;
}

static void time_label(struct strbuf *sb, int64_t wall_ns, int digits)
{
	time_t secs = (time_t)(wall_ns / 1000000000);
	struct tm tm;
	localtime_r(&secs, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	sb_append(sb, buf);
	int64_t frac = wall_ns % 1000000000;
	if (digits)
		sb_printf(sb, ".%0*lld", digits, (long long)(frac / (digits == 3 ? 1000000 : digits == 6 ? 1000 : 1)));
}

static void chart(struct strbuf *sb, const struct type *t, const struct series *s)
{
	if (!s->n) {
		sb_append(sb, "<no data>\n");
		return;
	}
	bool any = false;
	int64_t min = 0, max = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->p[i].present)
			continue;
		int64_t v = s->p[i].value;
		if (!any || v < min)
			min = v;
		if (!any || v > max)
			max = v;
		any = true;
	}
	if (min == max) {   /* leave room on both sides of a flat line */
		min--;
		max++;
	}
	int digits = fraction_digits(s);
	const char *fmts[] = { "hh:mm:ss", "hh:mm:ss.ms", "hh:mm:ss.\u03bcs", "hh:mm:ss.ns" };
	const char *fmt = fmts[digits / 3];
	int time_size = 8 + (digits ? 1 + digits : 0);
	struct strbuf lo = {0}, hi = {0};
	put_value(&lo, t, min);
	put_value(&hi, t, max);
	padded(sb, "", time_size + 1, true);
	padded(sb, sb_str(&lo), LABEL_PAD, true);
	padded(sb, sb_str(&hi), GRAPH_WIDTH - LABEL_PAD, false);
	sb_putc(sb, '\n');
	padded(sb, fmt, time_size + 1, true);
	sb_putc(sb, '|');
	for (int i = 0; i < GRAPH_WIDTH - 2; i++)
		sb_putc(sb, '_');
	sb_append(sb, "|\n");
	double span = (double)max - (double)min;
	int zero = 0;
	if (min < 0 && max > 0)
		zero = (int)((double)GRAPH_WIDTH * (0.0 - (double)min) / span);
	for (size_t i = 0; i < s->n; i++) {
		char line[GRAPH_WIDTH + 1];
		memset(line, ' ', GRAPH_WIDTH);
		line[GRAPH_WIDTH] = 0;
		line[0] = line[GRAPH_WIDTH - 1] = '|';
		if (zero > 0)
			line[zero] = '.';
		time_label(sb, s->p[i].start, digits);
		sb_putc(sb, ' ');
		if (!s->p[i].present) {
			sb_append(sb, line);
			sb_append(sb, " -\n");
			continue;
		}
		int pos = (int)((double)(GRAPH_WIDTH - 1) * ((double)s->p[i].value - (double)min) / span);
		pos = pos < 0 ? 0 : pos > GRAPH_WIDTH - 1 ? GRAPH_WIDTH - 1 : pos;
		line[pos] = '*';
		sb_append(sb, line);
		sb_putc(sb, ' ');
		put_value(sb, t, s->p[i].value);
		sb_putc(sb, '\n');
	}
	padded(sb, "", time_size, true);
	sb_append(sb, " v");
	for (int i = 0; i < GRAPH_WIDTH - 2; i++)
		sb_putc(sb, '_');
	sb_append(sb, "v\n");
	padded(sb, "", time_size, true);
	sb_putc(sb, ' ');
	padded(sb, sb_str(&lo), LABEL_PAD, true);
	padded(sb, sb_str(&hi), GRAPH_WIDTH - LABEL_PAD, false);
	sb_putc(sb, '\n');
	sb_free(&lo);
	sb_free(&hi);
}

static void json_points(struct strbuf *sb, const struct type *t, const struct series *s)
{
	sb_putc(sb, '[');
	for (size_t i = 0; i < s->n; i++) {
		time_t secs = (time_t)(s->p[i].start / 1000000000);
		struct tm tm;
		localtime_r(&secs, &tm);
		char buf[64];
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		sb_printf(sb, "%s{\"interval_start\": \"%s.%09lld\", \"value\": ", i ? "," : "", buf,
			  (long long)(s->p[i].start % 1000000000));
		if (s->p[i].present)
			put_value(sb, t, s->p[i].value);
		else
			sb_append(sb, "null");
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}

struct keyed {
	const struct map_entry *e;
	struct series s;
};

static int by_latest(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return x->s.last_epoch < y->s.last_epoch ? -1 : x->s.last_epoch > y->s.last_epoch;
}

void tseries_print(struct strbuf *sb, const struct map_view *m, enum output_format f,
		   int64_t tai_to_wall, const struct format_ctx *ctx)
{
	if (!m->n)
		return;
	struct keyed *k = xcalloc(m->n, sizeof(*k));
	uint64_t last = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct series *s = &k[i].s;
		k[i].e = &m->entries[i];
		bounds(m->value, k[i].e->value, &s->first, &s->last_epoch);
		if (s->first != UINT64_MAX && s->last_epoch > last)
			last = s->last_epoch;
	}
	for (size_t i = 0; i < m->n; i++)
		build(&k[i].s, m->value, k[i].e->value, last, tai_to_wall);
	qsort(k, m->n, sizeof(*k), by_latest);
	bool scalar = !m->key || m->key->kind == TY_NONE;
	if (f == OUTPUT_JSON) {
		sb_append(sb, "{\"type\": \"tseries\", \"data\": {");
		format_json_string(sb, m->name, strlen(m->name));
		sb_append(sb, ": ");
		if (!scalar)
			sb_putc(sb, '{');
		for (size_t i = 0; i < m->n; i++) {
			if (!scalar) {
				struct strbuf key = {0};
				mapprint_key(&key, m->key, k[i].e->key, ctx);
				if (i)
					sb_append(sb, ", ");
				format_json_string(sb, sb_str(&key), key.len);
				sb_append(sb, ": ");
				sb_free(&key);
			}
			json_points(sb, m->value, &k[i].s);
			if (scalar)
				break;
		}
		sb_append(sb, scalar ? "}}\n" : "}}}\n");
	} else {
		for (size_t i = 0; i < m->n; i++) {
			sb_append(sb, m->name);
			if (!scalar) {
				sb_putc(sb, '[');
				mapprint_key(sb, m->key, k[i].e->key, ctx);
				sb_putc(sb, ']');
			}
			sb_append(sb, ":\n");
			chart(sb, m->value, &k[i].s);
			sb_putc(sb, '\n');
			if (scalar)
				break;
		}
	}
	for (size_t i = 0; i < m->n; i++)
		free(k[i].s.p);
	free(k);
}
