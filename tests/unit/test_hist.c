/* Histogram bucket numbering, labels and block printing (runtime/hist.c),
 * checked against bpftrace v0.26's numbering and exact output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "runtime/hist.h"

static struct arena arena;

static const struct type *hist_t(int k)
{
	struct type *t = type_new(&arena, TY_HIST);
	t->size = t->align = 8;
	t->hist_bits = k;
	return t;
}

static const struct type *lhist_t(int64_t min, int64_t max, int64_t step)
{
	struct type *t = type_new(&arena, TY_LHIST);
	t->size = t->align = 8;
	t->lhist_min = min;
	t->lhist_max = max;
	t->lhist_step = step;
	return t;
}

static void expect_label(const struct type *t, uint64_t idx, const char *want)
{
	struct strbuf sb = {0};
	hist_bucket_label(&sb, t, idx);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

/* ---- hist index ---------------------------------------------------------- */

static void test_hist_index_k0(void **state)
{
	(void)state;
	assert_int_equal(hist_index(-1, 0), 0);
	assert_int_equal(hist_index(INT64_MIN, 0), 0);
	assert_int_equal(hist_index(0, 0), 1);
	assert_int_equal(hist_index(1, 0), 2);
	assert_int_equal(hist_index(2, 0), 3);
	assert_int_equal(hist_index(3, 0), 3);
	assert_int_equal(hist_index(4, 0), 4);
	assert_int_equal(hist_index(1023, 0), 11);
	assert_int_equal(hist_index(1024, 0), 12);
	assert_int_equal(hist_index(INT64_MAX, 0), 64);
	assert_int_equal(hist_nbuckets(0), 65);
}

static void test_hist_index_k2(void **state)
{
	(void)state;
	/* bpftrace's own worked example: 225 = 0b11100001 with k = 2 -> 28 */
	assert_int_equal(hist_index(225, 2), 28);
	assert_int_equal(hist_index(0, 2), 1);
	assert_int_equal(hist_index(3, 2), 4);
	assert_int_equal(hist_index(4, 2), 5);
	assert_int_equal(hist_index(7, 2), 8);
	assert_int_equal(hist_index(8, 2), 9);
	assert_int_equal(hist_index(9, 2), 9);
	assert_int_equal(hist_index(10, 2), 10);
	assert_int_equal(hist_nbuckets(5), 1889);
	assert_int_equal(hist_index(INT64_MAX, 5), 1888);
}

/* The loop-free scheme documented in hist.h for the BPF code generator,
 * verbatim: it must agree with hist_index everywhere. */
static uint64_t doc_hist_index(int64_t v, int k)
{
	if (v < 0)
		return 0;                       // negative bucket
	uint64_t n = v, mask = (1ULL << k) - 1;
	if (n <= mask)
		return n + 1;                   // 0 .. 2^k-1: one value each
	uint64_t l = 0, s;                      // l = floor(log2(n))
	s = (n >= 1ULL << 32) << 5; n >>= s; l += s;
	s = (n >= 1ULL << 16) << 4; n >>= s; l += s;
	s = (n >= 1ULL << 8) << 3;  n >>= s; l += s;
	s = (n >= 1ULL << 4) << 2;  n >>= s; l += s;
	s = (n >= 1ULL << 2) << 1;  n >>= s; l += s;
	s = (n >= 1ULL << 1) << 0;  n >>= s; l += s;
	l -= k;                                 // >= 0 here
	uint64_t x = ((uint64_t)v >> l) & mask; // the k bits after the top 1
	return ((l + 1) << k) + x + 1;
}

static void test_hist_index_documented_scheme(void **state)
{
	(void)state;
	for (int k = 0; k <= 5; k++) {
		for (int b = 0; b < 63; b++) {
			int64_t p = (int64_t)1 << b;
			const int64_t vs[] = { p - 1, p, p + 1, p + p / 3, -p };
			for (size_t i = 0; i < ARRAY_SIZE(vs); i++)
				assert_int_equal(doc_hist_index(vs[i], k), hist_index(vs[i], k));
		}
		assert_int_equal(doc_hist_index(INT64_MAX, k), hist_index(INT64_MAX, k));
	}
}

/* Every value falls in the range of its bucket, and ranges tile. */
static void test_hist_ranges_tile(void **state)
{
	(void)state;
	for (int k = 0; k <= 5; k++) {
		int64_t lo, hi, prev_hi;
		hist_bucket_range(0, k, &lo, &prev_hi);
		assert_true(lo == INT64_MIN && prev_hi == -1);
		for (uint64_t i = 1; i < hist_nbuckets(k); i++) {
			hist_bucket_range(i, k, &lo, &hi);
			assert_true(lo == prev_hi + 1);
			assert_true(hi >= lo);
			assert_int_equal(hist_index(lo, k), i);
			assert_int_equal(hist_index(hi, k), i);
			prev_hi = hi;
		}
		assert_true(prev_hi == INT64_MAX);
	}
}

/* ---- hist labels --------------------------------------------------------- */

static void test_hist_labels_k0(void **state)
{
	(void)state;
	const struct type *t = hist_t(0);
	expect_label(t, 0, "(..., 0)");
	expect_label(t, 1, "[0]");
	expect_label(t, 2, "[1]");
	expect_label(t, 3, "[2, 4)");
	expect_label(t, 4, "[4, 8)");
	expect_label(t, 11, "[512, 1K)");
	expect_label(t, 12, "[1K, 2K)");
	expect_label(t, 22, "[1M, 2M)");
	expect_label(t, 32, "[1G, 2G)");
	expect_label(t, 64, "[4E, 8E)");
}

static void test_hist_labels_k_gt_0(void **state)
{
	(void)state;
	const struct type *t1 = hist_t(1);
	expect_label(t1, 3, "[2]");
	expect_label(t1, 4, "[3]");
	expect_label(t1, 5, "[4, 6)");
	expect_label(t1, 6, "[6, 8)");
	expect_label(t1, 7, "[8, 12)");

	const struct type *t2 = hist_t(2);
	expect_label(t2, 8, "[7]");
	expect_label(t2, 9, "[8, 10)");
	expect_label(t2, 28, "[224, 256)");

	/* below 1024 the bound is a plain number, from 1024 on a suffix */
	const struct type *t3 = hist_t(3);
	expect_label(t3, 88, "[7680, 8K)");
	expect_label(t3, 89, "[8K, 9K)");
}

/* ---- lhist --------------------------------------------------------------- */

static void test_lhist_index(void **state)
{
	(void)state;
	assert_int_equal(lhist_index(-1, 0, 10, 1), 0);
	assert_int_equal(lhist_index(0, 0, 10, 1), 1);
	assert_int_equal(lhist_index(9, 0, 10, 1), 10);
	assert_int_equal(lhist_index(10, 0, 10, 1), 11);
	assert_int_equal(lhist_index(1000, 0, 10, 1), 11);
	assert_int_equal(lhist_index(5, 0, 100, 10), 1);
	assert_int_equal(lhist_index(99, 0, 100, 10), 10);
	assert_int_equal(lhist_index(100, 0, 100, 10), 11);
	assert_int_equal(lhist_index(150, 0, 100, 10), 11);
	assert_int_equal(lhist_nbuckets(0, 100, 10), 12);
	assert_int_equal(lhist_index(-11, -10, 10, 5), 0);
	assert_int_equal(lhist_index(-10, -10, 10, 5), 1);
	assert_int_equal(lhist_index(-6, -10, 10, 5), 1);
	assert_int_equal(lhist_index(-5, -10, 10, 5), 2);
	assert_int_equal(lhist_index(9, -10, 10, 5), 4);
	assert_int_equal(lhist_index(10, -10, 10, 5), 5);
	/* a step that does not divide the range: the last bucket absorbs it */
	assert_int_equal(lhist_index(9, 0, 10, 3), 4);
	assert_int_equal(lhist_index(11, 0, 10, 3), 4);
	assert_int_equal(lhist_nbuckets(0, 10, 3), 5);
}

static void test_lhist_labels(void **state)
{
	(void)state;
	const struct type *t = lhist_t(0, 10, 2);
	expect_label(t, 0, "(..., 0)");
	expect_label(t, 1, "[0, 2)");
	expect_label(t, 5, "[8, 10)");
	expect_label(t, 6, "[10, ...)");

	/* step 1: adjacent plain bounds print as a single value (0.26) */
	const struct type *one = lhist_t(0, 10, 1);
	expect_label(one, 1, "[0]");
	expect_label(one, 10, "[9]");
	expect_label(one, 11, "[10, ...)");

	const struct type *neg = lhist_t(-10, 10, 5);
	expect_label(neg, 0, "(..., -10)");
	expect_label(neg, 1, "[-10, -5)");
	expect_label(neg, 5, "[10, ...)");
}

static void test_lhist_suffix_rule(void **state)
{
	(void)state;
	const struct type *k = lhist_t(0, 10240, 1024);
	expect_label(k, 0, "(..., 0)");
	expect_label(k, 1, "[0, 1K)");
	expect_label(k, 2, "[1K, 2K)");
	expect_label(k, 11, "[10K, ...)");

	const struct type *m = lhist_t(0, 4194304, 1048576);
	expect_label(m, 1, "[0, 1M)");
	expect_label(m, 2, "[1M, 2M)");

	/* step not a multiple of 1024: no suffix even on multiples of 1024 */
	const struct type *half = lhist_t(0, 2048, 512);
	expect_label(half, 3, "[1024, 1536)");
	const struct type *odd = lhist_t(0, 6144, 1536);
	expect_label(odd, 2, "[1536, 3072)");

	const struct type *three = lhist_t(0, 9216, 3072);
	expect_label(three, 2, "[3K, 6K)");
	/* multiples of 1024 that are not of 1M stay in K */
	const struct type *big = lhist_t(0, 3145728, 1536 * 1024);
	expect_label(big, 1, "[0, 1536K)");
	expect_label(big, 2, "[1536K, 3M)");

	const struct type *neg = lhist_t(-2048, 2048, 1024);
	expect_label(neg, 0, "(..., -2K)");
	expect_label(neg, 1, "[-2K, -1K)");
	expect_label(neg, 2, "[-1K, 0)");
}

/* ---- blocks -------------------------------------------------------------- */

static void expect_text(const struct type *t, const uint64_t *counts, size_t n, uint64_t div,
			const char *want)
{
	struct strbuf sb = {0};
	hist_print_text(&sb, t, counts, n, div);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void expect_json(const struct type *t, const uint64_t *counts, size_t n, uint64_t div,
			const char *want)
{
	struct strbuf sb = {0};
	hist_print_json(&sb, t, counts, n, div);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

/* bpftrace tests/runtime/outputs/hist.txt, without the header line */
static void test_hist_block_text(void **state)
{
	(void)state;
	const uint64_t counts[] = { 1, 0, 0, 2, 1, 0, 1, 0, 0 };
	expect_text(hist_t(0), counts, 9, 0,
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[0]                    0 |                                                    |\n"
		"[1]                    0 |                                                    |\n"
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[8, 16)                0 |                                                    |\n"
		"[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
}

/* bpftrace tests/runtime/outputs/hist_2_values.txt: leading zero buckets
 * are trimmed, so the block starts at the first non-zero bucket. */
static void test_hist_block_trimmed(void **state)
{
	(void)state;
	const uint64_t counts[] = { 0, 0, 0, 1, 0, 0, 1, 0 };
	expect_text(hist_t(0), counts, 8, 0,
		"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 0 |                                                    |\n"
		"[8, 16)                0 |                                                    |\n"
		"[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

static void test_hist_block_bar_rounding(void **state)
{
	(void)state;
	/* 1/3 * 52 = 17.33 -> 17; 2/3 * 52 = 34.67 -> 34 */
	const uint64_t counts[] = { 0, 1, 2, 3 };
	expect_text(hist_t(0), counts, 4, 0,
		"[0]                    1 |@@@@@@@@@@@@@@@@@                                   |\n"
		"[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
		"[2, 4)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

static void test_hist_block_div(void **state)
{
	(void)state;
	const uint64_t counts[] = { 0, 0, 0, 10, 5 };
	expect_text(hist_t(0), counts, 5, 5,
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
	/* all counts divided to zero: no bar rather than a NaN */
	const uint64_t small[] = { 0, 1 };
	expect_text(hist_t(0), small, 2, 10,
		"[0]                    0 |                                                    |\n");
	/* div has no effect on lhist */
	const uint64_t lin[] = { 0, 10 };
	expect_text(lhist_t(0, 10, 2), lin, 2, 5,
		"[0, 2)                10 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

static void test_hist_block_empty(void **state)
{
	(void)state;
	const uint64_t counts[] = { 0, 0, 0 };
	expect_text(hist_t(0), counts, 3, 0, "");
	expect_json(hist_t(0), counts, 3, 0, "[]");
}

/* bpftrace tests/runtime/outputs/lhist.txt (0.26 header form) */
static void test_lhist_block_text(void **state)
{
	(void)state;
	const uint64_t counts[] = { 1, 0, 2, 0, 1, 0, 1 };
	expect_text(lhist_t(0, 10, 2), counts, 7, 0,
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[0, 2)                 0 |                                                    |\n"
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 6)                 0 |                                                    |\n"
		"[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[8, 10)                0 |                                                    |\n"
		"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
}

static void test_lhist_block_overflow_only(void **state)
{
	(void)state;
	const uint64_t counts[] = { 0, 0, 0, 0, 0, 0, 4 };
	expect_text(lhist_t(0, 10, 2), counts, 7, 0,
		"[10, ...)              4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	expect_json(lhist_t(0, 10, 2), counts, 7, 0, "[{\"min\": 10, \"count\": 4}]");
}

static void test_block_long_label(void **state)
{
	(void)state;
	const uint64_t counts[] = { 0, 123456789 };
	/* a 17-character label is not cut, and the count follows at once */
	expect_text(lhist_t(0, 10000000000000, 999999999999), counts, 2, 0,
		"[0, 999999999999)123456789 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

static void test_hist_block_json(void **state)
{
	(void)state;
	const uint64_t counts[] = { 1, 1, 0, 0, 1 };
	expect_json(hist_t(0), counts, 5, 0,
		"[{\"max\": -1, \"count\": 1},"
		"{\"min\": 0, \"max\": 0, \"count\": 1},"
		"{\"min\": 1, \"max\": 1, \"count\": 0},"
		"{\"min\": 2, \"max\": 3, \"count\": 0},"
		"{\"min\": 4, \"max\": 7, \"count\": 1}]");

	uint64_t big[13] = {0};
	big[12] = 3;
	expect_json(hist_t(0), big, 13, 0, "[{\"min\": 1024, \"max\": 2047, \"count\": 3}]");
	expect_json(hist_t(0), big, 13, 3, "[{\"min\": 1024, \"max\": 2047, \"count\": 1}]");
}

static void test_lhist_block_json(void **state)
{
	(void)state;
	uint64_t counts[12] = {0};
	counts[10] = 2;
	counts[11] = 1;
	expect_json(lhist_t(0, 100, 10), counts, 12, 0,
		"[{\"min\": 90, \"max\": 99, \"count\": 2},{\"min\": 100, \"count\": 1}]");

	const uint64_t under[] = { 5, 1 };
	expect_json(lhist_t(0, 100, 10), under, 2, 0,
		"[{\"max\": -1, \"count\": 5},{\"min\": 0, \"max\": 9, \"count\": 1}]");

	const uint64_t kilo[] = { 0, 0, 1 };
	expect_json(lhist_t(0, 10240, 1024), kilo, 3, 0,
		"[{\"min\": 1024, \"max\": 2047, \"count\": 1}]");
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_index_k0),
		cmocka_unit_test(test_hist_index_k2),
		cmocka_unit_test(test_hist_index_documented_scheme),
		cmocka_unit_test(test_hist_ranges_tile),
		cmocka_unit_test(test_hist_labels_k0),
		cmocka_unit_test(test_hist_labels_k_gt_0),
		cmocka_unit_test(test_lhist_index),
		cmocka_unit_test(test_lhist_labels),
		cmocka_unit_test(test_lhist_suffix_rule),
		cmocka_unit_test(test_hist_block_text),
		cmocka_unit_test(test_hist_block_trimmed),
		cmocka_unit_test(test_hist_block_bar_rounding),
		cmocka_unit_test(test_hist_block_div),
		cmocka_unit_test(test_hist_block_empty),
		cmocka_unit_test(test_lhist_block_text),
		cmocka_unit_test(test_lhist_block_overflow_only),
		cmocka_unit_test(test_block_long_label),
		cmocka_unit_test(test_hist_block_json),
		cmocka_unit_test(test_lhist_block_json),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
