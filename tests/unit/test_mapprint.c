/* Map printing (runtime/mapprint.c) and per-CPU folding (runtime/fold.c):
 * sort orders, top/div, histogram blocks and the exact text and JSON lines
 * of bpftrace v0.26. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "runtime/fold.h"
#include "runtime/mapprint.h"

static struct arena arena;

static const struct type *agg_t(enum type_kind kind, bool is_signed)
{
	struct type *t = type_new(&arena, kind);
	t->size = kind == TY_COUNT || kind == TY_SUM ? 8 : 16;
	t->align = 8;
	t->is_signed = is_signed;
	return t;
}

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

/* A map under construction: entries copied into the arena. */
struct map {
	struct map_view v;
	struct map_entry e[32];
};

static void map_init(struct map *m, const char *name, const struct type *key,
		     const struct type *value)
{
	memset(m, 0, sizeof(*m));
	m->v.name = name;
	m->v.key = key;
	m->v.value = value;
	m->v.entries = m->e;
}

static void map_add(struct map *m, const void *key, size_t ksz, const void *val, size_t vsz)
{
	assert_true(m->v.n < ARRAY_SIZE(m->e));
	void *k = arena_alloc(&arena, ksz ? ksz : 1), *v = arena_alloc(&arena, vsz);
	memcpy(k, key, ksz);
	memcpy(v, val, vsz);
	m->e[m->v.n++] = (struct map_entry){ k, v };
}

/* A string key of m's key type. */
static void add_str(struct map *m, const char *key, const void *val, size_t vsz)
{
	char buf[64] = {0};
	strncpy(buf, key, sizeof(buf) - 1);
	map_add(m, buf, m->v.key->size, val, vsz);
}

static void add_count(struct map *m, const char *key, uint64_t n)
{
	add_str(m, key, &n, sizeof(n));
}

/* One bucket entry of a hist map keyed by a string. */
static void add_bucket(struct map *m, const char *key, uint64_t bucket, uint64_t count)
{
	uint8_t buf[64] = {0};
	size_t ks = m->v.key->size, off = ALIGN_UP(ks, 8);
	strncpy((char *)buf, key, ks);
	memcpy(buf + off, &bucket, 8);
	map_add(m, buf, off + 8, &count, 8);
}

static void expect_print(const struct map *m, uint64_t top, uint64_t div,
			 enum output_format f, const char *want)
{
	struct strbuf sb = {0};
	mapprint(&sb, &m->v, top, div, f, NULL);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

/* ---- plain maps ----------------------------------------------------------- */

static void test_scalar(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@", type_none(), type_simple(TY_COUNT));
	uint64_t five = 5;
	map_add(&m, "", 0, &five, 8);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@: 5\n");
	expect_print(&m, 0, 0, OUTPUT_JSON, "{\"type\": \"map\", \"data\": {\"@\": 5}}\n");

	/* a NULL key type means scalar too */
	m.v.key = NULL;
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@: 5\n");
}

static void test_empty(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@x", type_string(&arena, 8), type_simple(TY_COUNT));
	expect_print(&m, 0, 0, OUTPUT_TEXT, "");
	expect_print(&m, 0, 0, OUTPUT_JSON, "");
	map_init(&m, "@h", type_none(), hist_t(0));
	expect_print(&m, 0, 0, OUTPUT_TEXT, "");
	expect_print(&m, 0, 0, OUTPUT_JSON, "");
}

static void test_count_sorted_by_value(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@x", type_string(&arena, 8), type_simple(TY_COUNT));
	add_count(&m, "a", 3);
	add_count(&m, "b", 1);
	add_count(&m, "c", 2);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@x[b]: 1\n@x[c]: 2\n@x[a]: 3\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@x\": {\"b\": 1, \"c\": 2, \"a\": 3}}}\n");
}

static void test_ties_keep_order(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@x", type_string(&arena, 8), type_simple(TY_COUNT));
	add_count(&m, "d", 1);
	add_count(&m, "a", 1);
	add_count(&m, "z", 0);
	add_count(&m, "c", 1);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@x[z]: 0\n@x[d]: 1\n@x[a]: 1\n@x[c]: 1\n");
}

static void test_top_and_div(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@x", type_string(&arena, 8), type_simple(TY_COUNT));
	add_count(&m, "c", 30);
	add_count(&m, "a", 10);
	add_count(&m, "b", 25);
	expect_print(&m, 2, 0, OUTPUT_TEXT, "@x[b]: 25\n@x[c]: 30\n");
	expect_print(&m, 2, 10, OUTPUT_TEXT, "@x[b]: 2\n@x[c]: 3\n");
	expect_print(&m, 5, 0, OUTPUT_TEXT, "@x[a]: 10\n@x[b]: 25\n@x[c]: 30\n");
	expect_print(&m, 1, 0, OUTPUT_JSON, "{\"type\": \"map\", \"data\": {\"@x\": {\"c\": 30}}}\n");
}

static void test_sum_signedness(void **state)
{
	(void)state;
	struct map m;
	int64_t v[] = { -5, 3, -10 };
	map_init(&m, "@s", type_string(&arena, 4), agg_t(TY_SUM, true));
	add_str(&m, "a", &v[0], 8);
	add_str(&m, "b", &v[1], 8);
	add_str(&m, "c", &v[2], 8);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@s[c]: -10\n@s[a]: -5\n@s[b]: 3\n");

	/* the same bits as an unsigned sum: the "negative" ones are huge */
	map_init(&m, "@u", type_string(&arena, 4), agg_t(TY_SUM, false));
	add_str(&m, "a", &v[0], 8);
	add_str(&m, "b", &v[1], 8);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@u[b]: 3\n@u[a]: 18446744073709551611\n");
}

/* bpftrace sorts min/max maps reading the values as uint64, even when they
 * are signed, so negative values come last. */
static void test_min_sort_quirk(void **state)
{
	(void)state;
	struct map m;
	int64_t neg[2] = { -1, 1 }, pos[2] = { 5, 1 };
	map_init(&m, "@m", type_string(&arena, 4), agg_t(TY_MIN, true));
	add_str(&m, "a", neg, 16);
	add_str(&m, "b", pos, 16);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@m[b]: 5\n@m[a]: -1\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@m\": {\"b\": 5, \"a\": -1}}}\n");
}

static void test_avg_and_stats(void **state)
{
	(void)state;
	struct map m;
	int64_t c[2] = { 9, 3 }, d[2] = { 8, 2 };
	map_init(&m, "@", type_string(&arena, 4), agg_t(TY_AVG, true));
	add_str(&m, "d", d, 16);
	add_str(&m, "c", c, 16);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@[c]: 3\n@[d]: 4\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"stats\", \"data\": {\"@\": {\"c\": 3, \"d\": 4}}}\n");

	int64_t s[2] = { 11, 2 };
	map_init(&m, "@s", type_none(), agg_t(TY_STATS, true));
	map_add(&m, "", 0, s, 16);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@s: { .count = 2, .average = 5, .total = 11 }\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"stats\", \"data\": {\"@s\": {\"count\": 2, \"average\": 5, \"total\": 11}}}\n");
	expect_print(&m, 0, 2, OUTPUT_TEXT, "@s: { .count = 2, .average = 2, .total = 11 }\n");
}

/* ---- key order ------------------------------------------------------------ */

static void test_int_keys_signed_order(void **state)
{
	(void)state;
	struct map m;
	const struct type *vt = type_string(&arena, 4);
	map_init(&m, "@k", type_s64(), vt);
	int64_t keys[] = { 3, -1, 2 };
	for (size_t i = 0; i < 3; i++)
		map_add(&m, &keys[i], 8, "v", 2);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@k[-1]: v\n@k[2]: v\n@k[3]: v\n");

	/* unsigned keys still compare as signed values of their size */
	map_init(&m, "@u", type_u64(), vt);
	uint64_t ukeys[] = { 0, UINT64_MAX };
	map_add(&m, &ukeys[0], 8, "y", 2);
	map_add(&m, &ukeys[1], 8, "x", 2);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@u[18446744073709551615]: x\n@u[0]: y\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@u\": {\"18446744073709551615\": \"x\", \"0\": \"y\"}}}\n");
}

static void test_string_keys_bytewise(void **state)
{
	(void)state;
	struct map m;
	uint8_t yes = 1;
	map_init(&m, "@s", type_string(&arena, 8), type_bool());
	add_str(&m, "b", &yes, 1);
	add_str(&m, "\xc3\xa9", &yes, 1);
	add_str(&m, "ab", &yes, 1);
	add_str(&m, "a", &yes, 1);
	expect_print(&m, 0, 0, OUTPUT_TEXT,
		     "@s[a]: true\n@s[ab]: true\n@s[b]: true\n@s[\xc3\xa9]: true\n");
}

static void test_tuple_keys(void **state)
{
	(void)state;
	const struct type *e[] = { type_int(4, true), type_string(&arena, 4) };
	const struct type *kt = type_tuple(&arena, 2, e);
	struct map m;
	map_init(&m, "@t", kt, type_bool());
	const int32_t nums[] = { 2, 1, -1, 1 };
	const char *strs[] = { "a", "b", "z", "a" };
	uint8_t vals[] = { 1, 0, 0, 1 };
	for (size_t i = 0; i < 4; i++) {
		uint8_t key[32] = {0};
		memcpy(key + kt->fields[0].offset, &nums[i], 4);
		memcpy(key + kt->fields[1].offset, strs[i], 2);
		map_add(&m, key, kt->size, &vals[i], 1);
	}
	expect_print(&m, 0, 0, OUTPUT_TEXT,
		     "@t[-1, z]: false\n@t[1, a]: true\n@t[1, b]: false\n@t[2, a]: true\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@t\": {\"-1,z\": false, \"1,a\": true, "
		     "\"1,b\": false, \"2,a\": true}}}\n");
}

/* Tuple keys lose their parentheses in text; JSON keys also lose every
 * space, even inside strings. */
static void test_key_text(void **state)
{
	(void)state;
	const struct type *e[] = { type_string(&arena, 8), type_s64() };
	const struct type *kt = type_tuple(&arena, 2, e);
	struct map m;
	map_init(&m, "@", kt, type_simple(TY_COUNT));
	uint8_t key[32] = {0};
	int64_t twelve = 12;
	uint64_t five = 5;
	memcpy(key + kt->fields[0].offset, "x y", 4);
	memcpy(key + kt->fields[1].offset, &twelve, 8);
	map_add(&m, key, kt->size, &five, 8);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@[x y, 12]: 5\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@\": {\"xy,12\": 5}}}\n");

	/* the stripping looks at the text, so it applies to "(x)" strings */
	map_init(&m, "@c", type_string(&arena, 8), type_simple(TY_COUNT));
	add_count(&m, "(x)", 1);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@c[x]: 1\n");

	/* quotes in keys are escaped in JSON */
	map_init(&m, "@q", type_string(&arena, 8), type_simple(TY_COUNT));
	add_count(&m, "a\"b", 2);
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@q\": {\"a\\\"b\": 2}}}\n");
}

static void test_stack_key(void **state)
{
	(void)state;
	struct type *ks = type_new(&arena, TY_KSTACK);
	ks->count = 4;
	ks->size = 8 + 4 * 8;
	ks->align = 8;
	struct map m;
	map_init(&m, "@", ks, type_simple(TY_COUNT));
	uint64_t key[5] = { 2, 0xffffffff81000010ULL, 0xffffffff81000020ULL, 0, 0 };
	uint64_t five = 5;
	map_add(&m, key, sizeof(key), &five, 8);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@[\nffffffff81000010\nffffffff81000020\n]: 5\n");
}

static void test_record_values(void **state)
{
	(void)state;
	const char *names[] = { "a", "b" };
	const struct type *e[] = { type_s64(), type_string(&arena, 8) };
	const struct type *vt = type_record(&arena, 2, names, e);
	struct map m;
	map_init(&m, "@r", type_s64(), vt);
	uint8_t v[32] = {0};
	int64_t k = 1;
	memcpy(v + vt->fields[0].offset, &k, 8);
	memcpy(v + vt->fields[1].offset, "s", 2);
	map_add(&m, &k, 8, v, vt->size);
	expect_print(&m, 0, 0, OUTPUT_TEXT, "@r[1]: { .a = 1, .b = s }\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		     "{\"type\": \"map\", \"data\": {\"@r\": {\"1\": {\"a\": 1, \"b\": \"s\"}}}}\n");
}

/* ---- histogram maps ------------------------------------------------------- */

#define BAR52 "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
#define BAR26 "@@@@@@@@@@@@@@@@@@@@@@@@@@                          "
#define BAR0 "                                                    "

static void test_hist_scalar(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@", type_none(), hist_t(0));
	add_bucket(&m, "", 3, 2);
	add_bucket(&m, "", 0, 1);
	add_bucket(&m, "", 6, 1);
	add_bucket(&m, "", 4, 1);
	expect_print(&m, 0, 0, OUTPUT_TEXT,
		"@:\n"
		"(..., 0)               1 |" BAR26 "|\n"
		"[0]                    0 |" BAR0 "|\n"
		"[1]                    0 |" BAR0 "|\n"
		"[2, 4)                 2 |" BAR52 "|\n"
		"[4, 8)                 1 |" BAR26 "|\n"
		"[8, 16)                0 |" BAR0 "|\n"
		"[16, 32)               1 |" BAR26 "|\n"
		"\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		"{\"type\": \"hist\", \"data\": {\"@\": [{\"max\": -1, \"count\": 1},"
		"{\"min\": 0, \"max\": 0, \"count\": 0},{\"min\": 1, \"max\": 1, \"count\": 0},"
		"{\"min\": 2, \"max\": 3, \"count\": 2},{\"min\": 4, \"max\": 7, \"count\": 1},"
		"{\"min\": 8, \"max\": 15, \"count\": 0},{\"min\": 16, \"max\": 31, \"count\": 1}]}}\n");
}

static void test_hist_keyed(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@h", type_string(&arena, 8), hist_t(0));
	/* b and a both total 3 (ties go by key bytes), c totals 1 */
	add_bucket(&m, "b", 2, 3);
	add_bucket(&m, "a", 1, 1);
	add_bucket(&m, "c", 3, 1);
	add_bucket(&m, "a", 2, 2);
	const char *a =
		"@h[a]:\n"
		"[0]                    1 |" BAR26 "|\n"
		"[1]                    2 |" BAR52 "|\n"
		"\n";
	const char *b =
		"@h[b]:\n"
		"[1]                    3 |" BAR52 "|\n"
		"\n";
	const char *c =
		"@h[c]:\n"
		"[2, 4)                 1 |" BAR52 "|\n"
		"\n";
	char want[1024];
	snprintf(want, sizeof(want), "%s%s%s", c, a, b);
	expect_print(&m, 0, 0, OUTPUT_TEXT, want);
	snprintf(want, sizeof(want), "%s%s", a, b);
	expect_print(&m, 2, 0, OUTPUT_TEXT, want);
	expect_print(&m, 1, 0, OUTPUT_JSON,
		"{\"type\": \"hist\", \"data\": {\"@h\": {\"b\": [{\"min\": 1, \"max\": 1, \"count\": 3}]}}}\n");
	expect_print(&m, 0, 0, OUTPUT_JSON,
		"{\"type\": \"hist\", \"data\": {\"@h\": {"
		"\"c\": [{\"min\": 2, \"max\": 3, \"count\": 1}], "
		"\"a\": [{\"min\": 0, \"max\": 0, \"count\": 1},{\"min\": 1, \"max\": 1, \"count\": 2}], "
		"\"b\": [{\"min\": 1, \"max\": 1, \"count\": 3}]}}}\n");
}

static void test_hist_div_and_zero(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@h", type_string(&arena, 8), hist_t(0));
	add_bucket(&m, "k", 3, 10);
	add_bucket(&m, "k", 4, 5);
	add_bucket(&m, "z", 5, 0);
	expect_print(&m, 0, 5, OUTPUT_TEXT,
		"@h[z]:\n"
		"\n"
		"@h[k]:\n"
		"[2, 4)                 2 |" BAR52 "|\n"
		"[4, 8)                 1 |" BAR26 "|\n"
		"\n");
}

static void test_lhist_keyed(void **state)
{
	(void)state;
	struct map m;
	map_init(&m, "@l", type_s64(), lhist_t(0, 100, 10));
	struct { int64_t key; uint64_t bucket; } k1 = { 1, 11 }, k2 = { 2, 0 }, k3 = { 2, 1 };
	uint64_t one = 1, two = 2;
	map_add(&m, &k1, sizeof(k1), &one, 8);
	map_add(&m, &k2, sizeof(k2), &two, 8);
	map_add(&m, &k3, sizeof(k3), &one, 8);
	expect_print(&m, 0, 0, OUTPUT_JSON,
		"{\"type\": \"hist\", \"data\": {\"@l\": {"
		"\"1\": [{\"min\": 100, \"count\": 1}], "
		"\"2\": [{\"max\": -1, \"count\": 2},{\"min\": 0, \"max\": 9, \"count\": 1}]}}}\n");
	/* div does not apply to lhist */
	expect_print(&m, 0, 2, OUTPUT_TEXT,
		"@l[1]:\n"
		"[100, ...)             1 |" BAR52 "|\n"
		"\n"
		"@l[2]:\n"
		"(..., 0)               2 |" BAR52 "|\n"
		"[0, 10)                1 |" BAR26 "|\n"
		"\n");
}

/* ---- folding -------------------------------------------------------------- */

static void test_fold_counts_sums(void **state)
{
	(void)state;
	const struct type *c = type_simple(TY_COUNT);
	uint64_t acc, v1 = 3, v2 = 4;
	fold_init(c, &acc);
	fold_add(c, &acc, &v1);
	fold_add(c, &acc, &v2);
	assert_int_equal(acc, 7);
	assert_int_equal(fold_value_int(c, &acc), 7);

	const struct type *s = agg_t(TY_SUM, true);
	int64_t sacc, a = -10, b = 3;
	fold_init(s, &sacc);
	fold_add(s, &sacc, &a);
	fold_add(s, &sacc, &b);
	assert_int_equal(fold_value_int(s, &sacc), -7);

	const struct type *h = hist_t(0);
	uint64_t hacc, h1 = 2, h2 = 5;
	fold_init(h, &hacc);
	fold_add(h, &hacc, &h1);
	fold_add(h, &hacc, &h2);
	assert_int_equal(hacc, 7);
}

static void test_fold_min_max(void **state)
{
	(void)state;
	int64_t unset[2] = { -100, 0 }, five[2] = { 5, 1 }, neg[2] = { -3, 1 };
	int64_t acc[2];

	const struct type *smin = agg_t(TY_MIN, true);
	fold_init(smin, acc);
	fold_add(smin, acc, unset);
	assert_int_equal(acc[1], 0);
	assert_int_equal(fold_value_int(smin, acc), 0);
	fold_add(smin, acc, five);
	fold_add(smin, acc, unset);
	fold_add(smin, acc, neg);
	assert_int_equal(acc[1], 1);
	assert_int_equal(fold_value_int(smin, acc), -3);

	/* unsigned: -3 reads as a huge value, so 5 stays the minimum */
	const struct type *umin = agg_t(TY_MIN, false);
	fold_init(umin, acc);
	fold_add(umin, acc, neg);
	fold_add(umin, acc, five);
	assert_int_equal(fold_value_int(umin, acc), 5);

	const struct type *smax = agg_t(TY_MAX, true);
	fold_init(smax, acc);
	fold_add(smax, acc, neg);
	fold_add(smax, acc, five);
	fold_add(smax, acc, unset);
	assert_int_equal(fold_value_int(smax, acc), 5);
}

static void test_fold_avg_stats(void **state)
{
	(void)state;
	int64_t c1[2] = { -4, 1 }, c2[2] = { -3, 1 }, acc[2];
	const struct type *avg = agg_t(TY_AVG, true);
	fold_init(avg, acc);
	assert_int_equal(fold_value_int(avg, acc), 0);
	fold_add(avg, acc, c1);
	fold_add(avg, acc, c2);
	assert_int_equal(acc[0], -7);
	assert_int_equal(acc[1], 2);
	assert_int_equal(fold_value_int(avg, acc), -3);

	uint64_t u[2] = { 7, 2 };
	assert_int_equal(fold_value_int(agg_t(TY_STATS, false), u), 3);

	/* plain values are copied, and read with their sign */
	int32_t out = 0, in = -2;
	fold_add(type_int(4, true), &out, &in);
	assert_int_equal(fold_value_int(type_int(4, true), &out), -2);
	assert_int_equal(fold_load_int(type_int(4, true), &in), -2);
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
		cmocka_unit_test(test_scalar),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_count_sorted_by_value),
		cmocka_unit_test(test_ties_keep_order),
		cmocka_unit_test(test_top_and_div),
		cmocka_unit_test(test_sum_signedness),
		cmocka_unit_test(test_min_sort_quirk),
		cmocka_unit_test(test_avg_and_stats),
		cmocka_unit_test(test_int_keys_signed_order),
		cmocka_unit_test(test_string_keys_bytewise),
		cmocka_unit_test(test_tuple_keys),
		cmocka_unit_test(test_key_text),
		cmocka_unit_test(test_stack_key),
		cmocka_unit_test(test_record_values),
		cmocka_unit_test(test_hist_scalar),
		cmocka_unit_test(test_hist_keyed),
		cmocka_unit_test(test_hist_div_and_zero),
		cmocka_unit_test(test_lhist_keyed),
		cmocka_unit_test(test_fold_counts_sums),
		cmocka_unit_test(test_fold_min_max),
		cmocka_unit_test(test_fold_avg_stats),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
