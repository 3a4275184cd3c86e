#include "hist.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HIST_BAR_WIDTH 52

uint64_t hist_index(int64_t v, int k)
{
	if (v < 0)
		return 0;
	uint64_t n = (uint64_t)v, mask = (1ULL << k) - 1;
	if (n <= mask)
		return n + 1;
	/* floor(log2(n)) by halving the search range: the same six steps the
	 * BPF side unrolls. */
	uint64_t l = 0;
	for (int i = 5; i >= 0; i--) {
		uint64_t s = (uint64_t)(n >= 1ULL << (1 << i)) << i;
		n >>= s;
		l += s;
	}
	l -= (uint64_t)k;
	uint64_t x = ((uint64_t)v >> l) & mask;
	return ((l + 1) << k) + x + 1;
}

uint64_t hist_nbuckets(int k)
{
	return ((uint64_t)(64 - k) << k) + 1;
}

void hist_bucket_range(uint64_t idx, int k, int64_t *min, int64_t *max)
{
	uint64_t n = 1ULL << k;
	if (idx == 0) {
		*min = INT64_MIN;
		*max = -1;
		return;
	}
	if (idx <= 2 * n) {
		*min = *max = (int64_t)(idx - 1);
		return;
	}
	uint64_t l = ((idx - 1) >> k) - 1, x = (idx - 1) & (n - 1);
	*min = (int64_t)((n + x) << l);
	*max = (int64_t)(((n + x + 1) << l) - 1);
}

uint64_t lhist_index(int64_t v, int64_t min, int64_t max, int64_t step)
{
	if (step <= 0 || v < min)
		return 0;
	if (v > max)
		return 1 + ((uint64_t)max - (uint64_t)min) / (uint64_t)step;
	return 1 + ((uint64_t)v - (uint64_t)min) / (uint64_t)step;
}

uint64_t lhist_nbuckets(int64_t min, int64_t max, int64_t step)
{
	if (step <= 0 || max < min)
		return 0;
	return 2 + ((uint64_t)max - (uint64_t)min) / (uint64_t)step;
}

/* A bucket bound as bpftrace keeps it: either a plain integer (which makes
 * "[v]" possible when two are adjacent, and is signed in JSON) or a
 * symbolic one with a K/M/... text and an unsigned numeric value. */
struct hlabel {
	bool plain;
	int64_t sval;
	uint64_t uval;
	char text[32];
};

static void label_plain(struct hlabel *l, int64_t v)
{
	l->plain = true;
	l->sval = v;
	l->uval = (uint64_t)v;
	snprintf(l->text, sizeof(l->text), "%" PRId64, v);
}

/* Upper bound of hist bucket i: i itself up to 2^(k+1), then
 * 2^power * (2^k + interval), printed with a 1024^n suffix. */
static void hist_label(struct hlabel *l, uint64_t i, int k)
{
	if (i <= 2ULL << k) {
		label_plain(l, (int64_t)i);
		return;
	}
	uint64_t n = 1ULL << k, interval = i & (n - 1);
	uint64_t power = (i >> k) - 1;
	if (power > 63)
		power = 63;
	unsigned decade = (unsigned)(power / 10);
	static const char *const suffix[] = { "", "K", "M", "G", "T", "P", "E" };

	l->plain = false;
	l->uval = (1ULL << power) * (n + interval);
	l->sval = (int64_t)l->uval;
	snprintf(l->text, sizeof(l->text), "%" PRIu64 "%s",
		 (uint64_t)(1ULL << (power - 10 * decade)) * (n + interval), suffix[decade]);
}

static void lhist_label(struct hlabel *l, int64_t number, int64_t step)
{
	const int64_t kilo = 1024, mega = 1024 * 1024;
	if (step % kilo != 0) {
		label_plain(l, number);
		return;
	}
	l->plain = false;
	l->sval = number;
	l->uval = (uint64_t)number;
	if (number != 0 && number % mega == 0)
		snprintf(l->text, sizeof(l->text), "%" PRId64 "M", number / mega);
	else if (number != 0 && number % kilo == 0)
		snprintf(l->text, sizeof(l->text), "%" PRId64 "K", number / kilo);
	else
		snprintf(l->text, sizeof(l->text), "%" PRId64, number);
}

struct bounds {
	bool has_lo, has_hi;
	struct hlabel lo, hi;
};

static int hist_bits(const struct type *t)
{
	int k = (int)t->hist_bits;
	return k < 0 ? 0 : k > 5 ? 5 : k;
}

/* The labels on either side of bucket idx. */
static void bucket_bounds(const struct type *t, uint64_t idx, struct bounds *b)
{
	memset(b, 0, sizeof(*b));
	b->has_lo = idx > 0;
	if (t->kind == TY_HIST) {
		int k = hist_bits(t);
		if (b->has_lo)
			hist_label(&b->lo, idx - 1, k);
		hist_label(&b->hi, idx, k);
		b->has_hi = true;
		return;
	}
	int64_t min = t->lhist_min, max = t->lhist_max, step = t->lhist_step;
	/* wrapping arithmetic: bounds far outside the range are never printed */
	int64_t upper = (int64_t)((uint64_t)min + idx * (uint64_t)step);
	if (b->has_lo)
		lhist_label(&b->lo, (int64_t)((uint64_t)upper - (uint64_t)step), step);
	b->has_hi = upper <= max;
	if (b->has_hi)
		lhist_label(&b->hi, upper, step);
}

static void bounds_text(struct strbuf *sb, const struct bounds *b)
{
	if (!b->has_lo)
		sb_printf(sb, "(..., %s)", b->hi.text);
	else if (!b->has_hi)
		sb_printf(sb, "[%s, ...)", b->lo.text);
	else if (b->lo.plain && b->hi.plain && b->lo.sval != INT64_MAX &&
		 b->lo.sval + 1 == b->hi.sval)
		sb_printf(sb, "[%s]", b->lo.text);
	else
		sb_printf(sb, "[%s, %s)", b->lo.text, b->hi.text);
}

void hist_bucket_label(struct strbuf *sb, const struct type *t, uint64_t idx)
{
	struct bounds b;
	bucket_bounds(t, idx, &b);
	bounds_text(sb, &b);
}

/* First and last non-zero buckets; false when there are none. */
static bool bucket_span(const uint64_t *counts, size_t n, size_t *first, size_t *last)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		if (!any)
			*first = i;
		*last = i;
		any = true;
	}
	return any;
}

/* div applies to hist only (bpftrace: "div has no effect on lhist"). */
static uint64_t hist_div(const struct type *t, uint64_t div)
{
	return t->kind == TY_HIST && div ? div : 1;
}

static void bar_line(struct strbuf *sb, const char *label, uint64_t count, uint64_t max)
{
	/* Same float arithmetic as bpftrace, so rounding matches bar for bar;
	 * an all-zero block (after div) gets no bar instead of NaN. */
	int width = max ? (int)((float)count / (float)max * HIST_BAR_WIDTH) : 0;
	sb_printf(sb, "%-16s%8" PRIu64 " |", label, count);
	for (int i = 0; i < HIST_BAR_WIDTH; i++)
		sb_putc(sb, i < width ? '@' : ' ');
	sb_append(sb, "|\n");
}

void hist_print_text(struct strbuf *sb, const struct type *t, const uint64_t *counts,
		     size_t nbuckets, uint64_t div)
{
	size_t first = 0, last = 0;
	if (!bucket_span(counts, nbuckets, &first, &last))
		return;
	uint64_t d = hist_div(t, div), max = 0;
	for (size_t i = first; i <= last; i++)
		if (counts[i] / d > max)
			max = counts[i] / d;

	struct strbuf label = {0};
	for (size_t i = first; i <= last; i++) {
		sb_reset(&label);
		hist_bucket_label(&label, t, i);
		bar_line(sb, sb_str(&label), counts[i] / d, max);
	}
	sb_free(&label);
}

static void json_label(struct strbuf *sb, const struct hlabel *l)
{
	if (l->plain)
		format_json_int(sb, l->sval);
	else
		format_json_uint(sb, l->uval);
}

/* JSON intervals are closed: the exclusive upper label minus one. */
static int64_t one_less(const struct hlabel *l)
{
	if (l->plain)
		return (int64_t)((uint64_t)l->sval - 1);
	return l->uval ? (int64_t)(l->uval - 1) : -1;
}

void hist_print_json(struct strbuf *sb, const struct type *t, const uint64_t *counts,
		     size_t nbuckets, uint64_t div)
{
	size_t first = 0, last = 0;
	sb_putc(sb, '[');
	if (!bucket_span(counts, nbuckets, &first, &last)) {
		sb_putc(sb, ']');
		return;
	}
	uint64_t d = hist_div(t, div);
	for (size_t i = first; i <= last; i++) {
		struct bounds b;
		bucket_bounds(t, i, &b);
		sb_append(sb, i == first ? "{" : ",{");
		if (b.has_lo) {
			sb_append(sb, "\"min\": ");
			json_label(sb, &b.lo);
			sb_append(sb, ", ");
		}
		if (b.has_hi) {
			sb_append(sb, "\"max\": ");
			format_json_int(sb, one_less(&b.hi));
			sb_append(sb, ", ");
		}
		sb_printf(sb, "\"count\": %" PRIu64 "}", counts[i] / d);
	}
	sb_putc(sb, ']');
}
