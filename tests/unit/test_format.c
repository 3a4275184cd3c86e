/* Value formatting, JSON escaping, printf and its argument check
 * (runtime/format.c), against bpftrace v0.26's exact output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "runtime/format.h"

static struct arena arena;

static const struct type *str_t(uint32_t n)
{
	return type_string(&arena, n);
}

static const struct type *agg_t(enum type_kind kind, bool is_signed)
{
	struct type *t = type_new(&arena, kind);
	t->size = kind == TY_COUNT || kind == TY_SUM ? 8 : 16;
	t->align = 8;
	t->is_signed = is_signed;
	return t;
}

static const struct type *tuple2(const struct type *a, const struct type *b)
{
	const struct type *e[] = { a, b };
	return type_tuple(&arena, 2, e);
}

static void want_value(const struct type *t, const void *data, enum output_format f,
			 const char *want)
{
	struct strbuf sb = {0};
	format_value(&sb, t, data, f, NULL);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void want_both(const struct type *t, const void *data, const char *text,
			const char *json)
{
	want_value(t, data, OUTPUT_TEXT, text);
	want_value(t, data, OUTPUT_JSON, json);
}

/* ---- scalars -------------------------------------------------------------- */

static void test_integers(void **state)
{
	(void)state;
	uint8_t u8 = 255;
	int8_t s8 = -1;
	int16_t s16 = -300;
	int32_t s32 = -5;
	uint32_t u32 = 4000000000u;
	int64_t s64 = INT64_MIN;
	uint64_t u64 = UINT64_MAX;
	want_both(type_int(1, false), &u8, "255", "255");
	want_both(type_int(1, true), &s8, "-1", "-1");
	want_both(type_int(2, true), &s16, "-300", "-300");
	want_both(type_int(4, true), &s32, "-5", "-5");
	want_both(type_int(4, false), &u32, "4000000000", "4000000000");
	/* -2^63 is exact as a double, UINT64_MAX is not: it becomes a string */
	want_both(type_s64(), &s64, "-9223372036854775808", "-9223372036854775808");
	want_both(type_u64(), &u64, "18446744073709551615", "\"18446744073709551615\"");
}

static void test_json_number_exactness(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	format_json_uint(&sb, 1ULL << 53);
	sb_putc(&sb, ' ');
	format_json_uint(&sb, (1ULL << 53) + 1);
	sb_putc(&sb, ' ');
	format_json_uint(&sb, 1ULL << 60);
	sb_putc(&sb, ' ');
	format_json_int(&sb, -(int64_t)(1ULL << 53) - 1);
	sb_putc(&sb, ' ');
	format_json_int(&sb, INT64_MAX);
	sb_putc(&sb, ' ');
	format_json_uint(&sb, (1ULL << 53) - 1);
	assert_string_equal(sb_str(&sb),
		"9007199254740992 \"9007199254740993\" 1152921504606846976 "
		"\"-9007199254740993\" \"9223372036854775807\" 9007199254740991");
	sb_free(&sb);
}

static void test_bool_none(void **state)
{
	(void)state;
	uint8_t t = 1, f = 0;
	want_both(type_bool(), &t, "true", "true");
	want_both(type_bool(), &f, "false", "false");
	want_both(type_none(), &t, "null", "null");
}

static void test_strings(void **state)
{
	(void)state;
	char s16[16] = "hello";
	want_both(str_t(16), s16, "hello", "\"hello\"");

	/* a string that fills its buffer gets the truncation trailer */
	char full[4] = { 'a', 'b', 'c', 'd' };
	want_both(str_t(4), full, "abcd..", "\"abcd..\"");

	struct format_ctx ctx = { .str_trunc_trailer = "~" };
	struct strbuf sb = {0};
	format_value(&sb, str_t(4), full, OUTPUT_TEXT, &ctx);
	assert_string_equal(sb_str(&sb), "abcd~");
	sb_free(&sb);

	char esc[16] = "a\"b\\c\nd\te\x01";
	want_both(str_t(16), esc, "a\"b\\c\nd\te\x01", "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
}

static void want_json_string(const char *in, size_t n, const char *want)
{
	struct strbuf sb = {0};
	format_json_string(&sb, in, n);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void test_json_escaping(void **state)
{
	(void)state;
	want_json_string("q\"b\\", 4, "\"q\\\"b\\\\\"");
	want_json_string("\n\r\t", 3, "\"\\n\\r\\t\"");
	/* other control characters, \b and \f included, use \u00XX */
	want_json_string("\x1f\b\f\x1b", 4, "\"\\u001f\\u0008\\u000c\\u001b\"");
	want_json_string("\0x", 2, "\"\\u0000x\"");
	/* DEL is not escaped */
	want_json_string("\x7f", 1, "\"\x7f\"");
	/* valid UTF-8 (2, 3 and 4 bytes) is kept */
	want_json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
			   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* invalid UTF-8: stray bytes, a truncated sequence, an overlong form,
	 * a surrogate and a code point above U+10FFFF */
	want_json_string("\xff", 1, "\"\\u00ff\"");
	want_json_string("a\xc3", 2, "\"a\\u00c3\"");
	want_json_string("\xc3(", 2, "\"\\u00c3(\"");
	want_json_string("\xc0\xaf", 2, "\"\\u00c0\\u00af\"");
	want_json_string("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"");
	want_json_string("\xf4\x90\x80\x80", 4, "\"\\u00f4\\u0090\\u0080\\u0080\"");
}

/* ---- composites ----------------------------------------------------------- */

static void test_tuples(void **state)
{
	(void)state;
	const struct type *e[] = { type_s64(), type_int(4, false), str_t(8) };
	const struct type *t = type_tuple(&arena, 3, e);
	uint8_t buf[32] = {0};
	int64_t a = 1;
	uint32_t b = 2;
	memcpy(buf + t->fields[0].offset, &a, 8);
	memcpy(buf + t->fields[1].offset, &b, 4);
	memcpy(buf + t->fields[2].offset, "str", 4);
	want_both(t, buf, "(1, 2, str)", "[1,2,\"str\"]");

	/* a tuple inside a tuple keeps its parentheses */
	const struct type *outer = tuple2(t, type_bool());
	uint8_t obuf[48] = {0};
	memcpy(obuf, buf, t->size);
	obuf[outer->fields[1].offset] = 1;
	want_both(outer, obuf, "((1, 2, str), true)", "[[1,2,\"str\"],true]");
}

static void test_records(void **state)
{
	(void)state;
	const char *names[] = { "a", "b" };
	const struct type *e[] = { type_s64(), str_t(4) };
	const struct type *t = type_record(&arena, 2, names, e);
	uint8_t buf[32] = {0};
	int64_t a = -1;
	memcpy(buf + t->fields[0].offset, &a, 8);
	memcpy(buf + t->fields[1].offset, "x", 2);
	want_both(t, buf, "{ .a = -1, .b = x }", "{\"a\": -1, \"b\": \"x\"}");

	const struct type *empty = type_record(&arena, 0, NULL, NULL);
	want_both(empty, buf, "{}", "{}");
}

static void test_arrays(void **state)
{
	(void)state;
	const struct type *t = type_array(&arena, type_int(4, true), 3);
	int32_t v[3] = { 1, -2, 3 };
	want_both(t, v, "[1,-2,3]", "[1,-2,3]");
}

/* struct { unsigned a:3; int b:5; unsigned char c; bool d:1 } */
static void test_struct_bitfields(void **state)
{
	(void)state;
	struct type *t = type_new(&arena, TY_STRUCT);
	t->name = "bits";
	t->nfields = 4;
	t->fields = arena_alloc(&arena, 4 * sizeof(struct field));
	t->fields[0] = (struct field){ "a", type_int(4, false), 0, 0, 3 };
	t->fields[1] = (struct field){ "b", type_int(4, true), 0, 3, 5 };
	t->fields[2] = (struct field){ "c", type_int(1, false), 1, 0, 0 };
	t->fields[3] = (struct field){ "d", type_bool(), 2, 0, 1 };
	t->size = 4;
	t->align = 4;
	/* a = 5 (101), b = -3 (11101) -> bits 0..7 = 11101 101 = 0xed */
	uint8_t buf[4] = { 0xed, 200, 0x01, 0 };
	want_both(t, buf, "{ .a = 5, .b = -3, .c = 200, .d = true }",
		    "{\"a\": 5, \"b\": -3, \"c\": 200, \"d\": true}");
}

static void test_buffer(void **state)
{
	(void)state;
	const struct type *t = type_buffer(&arena, 8);
	uint8_t buf[12] = { 5, 0, 0, 0, 'h', 'i', 0, 0xff, '~', 'z', 'z', 'z' };
	want_both(t, buf, "hi\\x00\\xff~", "[104,105,0,-1,126]");
	/* a length beyond the buffer is clamped */
	uint8_t big[12] = { 200, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' };
	want_value(t, big, OUTPUT_TEXT, "abcdefgh");
}

static void test_pointer_and_addresses(void **state)
{
	(void)state;
	const struct type *p = type_ptr(&arena, type_int(4, true), AS_KERNEL);
	uint64_t v = 0x1234, zero = 0, kaddr = 0xffff888012345678ULL;
	want_both(p, &v, "0x1234", "4660");
	want_both(p, &zero, "0x0", "0");
	want_both(p, &kaddr, "0xffff888012345678", "\"18446612682375452280\"");

	uint8_t mac[6] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x0f };
	want_both(type_simple(TY_MACADDR), mac, "AA:BB:CC:DD:EE:0F", "\"AA:BB:CC:DD:EE:0F\"");
}

static void test_inet(void **state)
{
	(void)state;
	uint8_t v4[24] = { 2, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1 };
	uint8_t v6[24] = { 10 };
	v6[8 + 15] = 1;
	uint8_t bad[24] = { 7 };
	const struct type *t = type_simple(TY_INET);
	want_both(t, v4, "127.0.0.1", "\"127.0.0.1\"");
	want_both(t, v6, "::1", "\"::1\"");
	want_both(t, bad, "", "\"\"");
}

static void test_symbolic_fallbacks(void **state)
{
	(void)state;
	uint64_t ksym = 0xffffffff81000000ULL;
	want_both(type_simple(TY_KSYM), &ksym, "0xffffffff81000000", "\"0xffffffff81000000\"");

	struct type *ks = type_new(&arena, TY_KSTACK);
	ks->count = 3;
	ks->size = 8 + 3 * 8;
	uint64_t stack[4] = { 2, 0xffffffff81000010ULL, 0xffffffff81000020ULL, 0xdead };
	want_both(ks, stack, "\nffffffff81000010\nffffffff81000020\n",
		    "\"\\nffffffff81000010\\nffffffff81000020\\n\"");

	struct type *us = type_new(&arena, TY_USTACK);
	us->count = 2;
	us->size = 16 + 2 * 8;
	uint64_t ustack[4] = { 1234, 9 /* more than fit */, 0x401000, 0x401100 };
	want_value(us, ustack, OUTPUT_TEXT, "\n401000\n401100\n");

	uint64_t uid = 1000;
	want_both(type_simple(TY_USERNAME), &uid, "1000", "\"1000\"");
}

static bool fake_symbolizer(void *arg, struct strbuf *sb, const struct type *t,
			    const void *data, enum output_format f)
{
	if (t->kind != TY_KSYM)
		return false;
	sb_append(sb, f == OUTPUT_JSON ? "\"do_sys_open\"" : (const char *)arg);
	return true;
}

static void test_symbolizer_hook(void **state)
{
	(void)state;
	struct format_ctx ctx = { .symbolize = fake_symbolizer, .symbolize_arg = "do_sys_open" };
	const struct type *t = tuple2(type_simple(TY_KSYM), type_s64());
	uint64_t buf[2] = { 0xffffffff81000000ULL, 7 };
	struct strbuf sb = {0};
	format_value(&sb, t, buf, OUTPUT_TEXT, &ctx);
	sb_putc(&sb, ' ');
	format_value(&sb, t, buf, OUTPUT_JSON, &ctx);
	assert_string_equal(sb_str(&sb), "(do_sys_open, 7) [\"do_sys_open\",7]");
	sb_free(&sb);
}

/* ---- aggregations --------------------------------------------------------- */

static void test_aggregation_values(void **state)
{
	(void)state;
	uint64_t count = 5;
	int64_t sum = -5;
	want_both(type_simple(TY_COUNT), &count, "5", "5");
	want_both(agg_t(TY_SUM, true), &sum, "-5", "-5");

	int64_t min[2] = { -7, 1 };
	want_both(agg_t(TY_MIN, true), min, "-7", "-7");
	/* never set on any CPU: 0, whatever the value slot holds */
	int64_t unset[2] = { -7, 0 };
	want_both(agg_t(TY_MAX, true), unset, "0", "0");

	int64_t avg[2] = { 7, 2 };
	want_both(agg_t(TY_AVG, true), avg, "3", "3");
	int64_t navg[2] = { -7, 2 };
	want_both(agg_t(TY_AVG, true), navg, "-3", "-3");
	int64_t none[2] = { 0, 0 };
	want_both(agg_t(TY_AVG, true), none, "0", "0");

	want_both(agg_t(TY_STATS, true), avg, "{ .count = 2, .average = 3, .total = 7 }",
		    "{\"count\": 2, \"average\": 3, \"total\": 7}");
}

static void test_value_div(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	uint64_t count = 10;
	int64_t stats[2] = { 100, 4 };
	int32_t neg = -9;
	format_value_div(&sb, type_simple(TY_COUNT), &count, OUTPUT_TEXT, NULL, 3);
	sb_putc(&sb, ' ');
	/* stats: only the average is divided */
	format_value_div(&sb, agg_t(TY_STATS, true), stats, OUTPUT_TEXT, NULL, 5);
	sb_putc(&sb, ' ');
	format_value_div(&sb, type_int(4, true), &neg, OUTPUT_TEXT, NULL, 2);
	sb_putc(&sb, ' ');
	format_value_div(&sb, type_simple(TY_COUNT), &count, OUTPUT_TEXT, NULL, 0);
	assert_string_equal(sb_str(&sb), "3 { .count = 4, .average = 5, .total = 100 } -4 10");
	sb_free(&sb);
}

/* ---- printf --------------------------------------------------------------- */

/* Lays out printf arguments: each is (type, pointer to its bytes). */
struct pf_args {
	const struct type *tuple;
	uint8_t data[256];
};

static void pf_build(struct pf_args *a, size_t n, const struct type *const *types,
		     const void *const *vals)
{
	a->tuple = type_tuple(&arena, n, types);
	assert_true(a->tuple->size <= sizeof(a->data));
	memset(a->data, 0, sizeof(a->data));
	for (size_t i = 0; i < n; i++)
		memcpy(a->data + a->tuple->fields[i].offset, vals[i], types[i]->size);
}

#define PF(fmt, want, ...) do { \
	const struct type *const types_[] = { __VA_ARGS__ }; \
	pf_expect(fmt, want, ARRAY_SIZE(types_), types_, vals_); \
} while (0)

static void pf_expect(const char *fmt, const char *want, size_t n,
		      const struct type *const *types, const void *const *vals)
{
	struct pf_args a;
	pf_build(&a, n, types, vals);
	struct strbuf sb = {0};
	assert_int_equal(format_printf(&sb, fmt, a.tuple, a.data, NULL), 0);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void test_printf_basic(void **state)
{
	(void)state;
	int64_t five = 5;
	char abc[8] = "abc";
	const void *const vals_[] = { &five, abc };
	PF("%d %s\n", "5 abc\n", type_s64(), str_t(8));
	PF("pid=%i comm=%s.", "pid=5 comm=abc.", type_s64(), str_t(8));
}

static void test_printf_width_flags(void **state)
{
	(void)state;
	int64_t v42 = 42, m5 = -5;
	{
		const void *const vals_[] = { &v42, &v42, &v42, &m5, &v42 };
		PF("%5d|%-5d|%05d|%05d|%-05d|", "   42|42   |00042|-0005|42   |",
		   type_s64(), type_s64(), type_s64(), type_s64(), type_s64());
	}
	{
		const void *const vals_[] = { &v42, &m5, &v42, &v42 };
		/* '+' signs d/i only; ' ' is accepted and ignored */
		PF("%+d %+d %+u % d", "+42 -5 42 42", type_s64(), type_s64(), type_s64(),
		   type_s64());
	}
}

static void test_printf_bases(void **state)
{
	(void)state;
	int64_t ff = 255, eight = 8, zero = 0;
	const void *const vals_[] = { &ff, &ff, &ff, &ff, &eight, &eight, &zero, &zero, &ff };
	PF("%x %X %#x %#X %o %#o %#x %#o %#08x", "ff FF 0xff 0XFF 10 010 0 0 0x0000ff",
	   type_s64(), type_s64(), type_s64(), type_s64(), type_s64(), type_s64(),
	   type_s64(), type_s64(), type_s64());
}

static void test_printf_length_modifiers(void **state)
{
	(void)state;
	int64_t big = 5000000000LL, m1 = -1, h = 70000, hh = 200, u257 = 257;
	{
		/* no modifier: 32 bits, as bpftrace (and C varargs) do */
		const void *const vals_[] = { &big, &big, &big, &big, &big, &big };
		PF("%d %ld %lld %jd %zd %td", "705032704 5000000000 5000000000 5000000000 "
		   "5000000000 5000000000", type_s64(), type_s64(), type_s64(), type_s64(),
		   type_s64(), type_s64());
	}
	{
		const void *const vals_[] = { &h, &hh, &m1, &m1, &m1, &u257, &m1 };
		PF("%hd %hhd %u %lu %x %hhu %lx", "4464 -56 4294967295 18446744073709551615 "
		   "ffffffff 1 ffffffffffffffff", type_s64(), type_s64(), type_s64(),
		   type_s64(), type_s64(), type_s64(), type_s64());
	}
	{
		/* unusual modifier combinations fall back to 32 bits */
		const void *const vals_[] = { &big };
		PF("%Ld", "705032704", type_s64());
	}
}

static void test_printf_char_pointer(void **state)
{
	(void)state;
	int64_t h = 72, i = 105 + 256, a = 65;
	uint64_t ptr = 0x1000, null = 0;
	const struct type *p = type_ptr(&arena, type_int(1, false), AS_USER);
	const void *const vals_[] = { &h, &i, &a, &ptr, &null, &ptr };
	PF("%c%c|%3c|%p %p %-8p|", "Hi|  A|0x1000 0 0x1000  |", type_s64(), type_s64(),
	   type_s64(), p, p, type_u64());
}

static void test_printf_strings(void **state)
{
	(void)state;
	char abc[8] = "abc", long_s[8] = "abcdef";
	uint8_t yes = 1;
	int32_t n = -42;
	const void *const vals_[] = { abc, abc, long_s, long_s, &yes, &n, abc };
	PF("%10s|%-10s|%.2s|%5.2s|%s|%s|%05s", "       abc|abc       |ab|   ab|true|-42|  abc",
	   str_t(8), str_t(8), str_t(8), str_t(8), type_bool(), type_int(4, true), str_t(8));
}

static void test_printf_composites(void **state)
{
	(void)state;
	const struct type *tup = tuple2(type_s64(), str_t(4));
	uint8_t tbuf[32] = {0};
	int64_t one = 1;
	memcpy(tbuf + tup->fields[0].offset, &one, 8);
	memcpy(tbuf + tup->fields[1].offset, "str", 4);

	const char *names[] = { "a" };
	const struct type *fields[] = { type_s64() };
	const struct type *rec = type_record(&arena, 1, names, fields);
	const void *const vals_[] = { tbuf, &one };
	PF("%s %s", "(1, str) { .a = 1 }", tup, rec);
}

static void test_printf_percent_and_unknown(void **state)
{
	(void)state;
	int64_t v = 7;
	{
		const void *const vals_[] = { &v };
		PF("100%% %d%%", "100% 7%", type_s64());
		/* text that is not a conversion is copied as it is */
		PF("%k %d %", "%k 7 %", type_s64());
		PF("%-%%d", "%7", type_s64());
	}
	struct strbuf sb = {0};
	assert_int_equal(format_printf(&sb, "no args\n", type_tuple(&arena, 0, NULL), NULL, NULL), 0);
	assert_string_equal(sb_str(&sb), "no args\n");
	sb_free(&sb);
}

static void test_printf_buffers(void **state)
{
	(void)state;
	const struct type *t = type_buffer(&arena, 4);
	uint8_t buf[8] = { 3, 0, 0, 0, 'a', 'b', 0x01, 0 };
	const void *const vals_[] = { buf, buf, buf, buf, buf };
	PF("%r|%rx|%rh|%s|%6r", "ab\\x01|\\x61\\x62\\x01|61 62 01|ab\\x01|ab\\x01", t, t, t, t, t);
}

static void test_printf_errors(void **state)
{
	(void)state;
	int64_t v = 1;
	char s[4] = "abc";
	{
		/* an integer conversion of a string: bpftrace's inline error */
		const void *const vals_[] = { s, &v };
		PF("[%5d] %d", "[!{invalid integer conversion: abc}] 1", str_t(4), type_s64());
	}
	const struct type *one[] = { type_s64() };
	const struct type *t = type_tuple(&arena, 1, one);
	struct strbuf sb = {0};
	assert_int_equal(format_printf(&sb, "%d %d", t, &v, NULL), -1);
	assert_int_equal(format_printf(&sb, "none", t, &v, NULL), -1);
	assert_string_equal(sb_str(&sb), "");
	sb_free(&sb);
}

/* ---- format_check --------------------------------------------------------- */

static void want_check(const char *fmt, size_t n, const struct type *const *types,
			 const char *want)
{
	struct strbuf err = {0};
	int rc = fmtspec_check(fmt, types, n, &err);
	if (!want) {
		assert_int_equal(rc, 0);
		assert_string_equal(sb_str(&err), "");
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(sb_str(&err), want);
	}
	sb_free(&err);
}

static void test_check(void **state)
{
	(void)state;
	const struct type *ptr = type_ptr(&arena, type_none(), AS_KERNEL);
	const struct type *ok[] = { type_s64(), str_t(6), type_bool(), ptr,
				    type_buffer(&arena, 4), type_simple(TY_COUNT) };
	want_check("%d %s %u %p %rx %lu %% 100%%", 6, ok, NULL);
	want_check("%d %d", 1, ok, "not enough arguments for format string (1 supplied, 2 expected)");
	want_check("%d", 2, ok, "too many arguments for format string (2 supplied, 1 expected)");
	want_check("%%", 0, ok, NULL);

	const struct type *str[] = { str_t(6) };
	want_check("%d", 1, str, "unsupported format specifier for type 'string[6]': d");
	want_check("%s", 1, str, NULL);
	const struct type *ints[] = { type_s64(), type_u64(), type_bool() };
	want_check("%f %.2e %G", 3, ints, NULL);
	want_check("%f", 1, str, "unsupported format specifier for type 'string[6]': f");
	want_check("%n", 1, ok, "unsupported format specifier: n");
	want_check("%r", 1, ok, "unsupported format specifier for type 'int64': r");

	const struct type *none[] = { type_none() };
	want_check("%d", 1, none, "unable to print none type for specifier: d");

	assert_int_equal(fmtspec_count("%d %% %s %rx %-08.3lld %z%"), 4);
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
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_json_number_exactness),
		cmocka_unit_test(test_bool_none),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_tuples),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_struct_bitfields),
		cmocka_unit_test(test_buffer),
		cmocka_unit_test(test_pointer_and_addresses),
		cmocka_unit_test(test_inet),
		cmocka_unit_test(test_symbolic_fallbacks),
		cmocka_unit_test(test_symbolizer_hook),
		cmocka_unit_test(test_aggregation_values),
		cmocka_unit_test(test_value_div),
		cmocka_unit_test(test_printf_basic),
		cmocka_unit_test(test_printf_width_flags),
		cmocka_unit_test(test_printf_bases),
		cmocka_unit_test(test_printf_length_modifiers),
		cmocka_unit_test(test_printf_char_pointer),
		cmocka_unit_test(test_printf_strings),
		cmocka_unit_test(test_printf_composites),
		cmocka_unit_test(test_printf_percent_and_unknown),
		cmocka_unit_test(test_printf_buffers),
		cmocka_unit_test(test_printf_errors),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
