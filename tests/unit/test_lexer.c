/* The scanner, seen through the parser's entry points: literals (decimal,
 * octal, hex, binary, '_' separators, C and duration suffixes, exponents),
 * string escapes, names, operators, comments, and the scanner's errors with
 * their positions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parser/parse.h"

/* Parses text as one expression; returns its tree as -d ast prints it (or
 * the diagnostics, when want_error), malloc'ed. */
static char *parse_expr_text(const char *text, bool want_error)
{
	struct arena a = {0};
	struct diag d = {0};
	struct source src = { .name = "test", .text = text, .len = strlen(text) };
	struct node *n = parse_expression(&a, &src, &d);
	char *out;
	if (want_error) {
		assert_null(n);
		assert_true(d.errors > 0);
		out = strdup(sb_str(&d.out));
	} else {
		if (!n || d.errors)
			fail_msg("unexpected diagnostics for '%s':\n%s", text, sb_str(&d.out));
		struct strbuf sb = {0};
		ast_print(&sb, n, false);
		out = strdup(sb_str(&sb));
		sb_free(&sb);
	}
	diag_free(&d);
	arena_free(&a);
	return out;
}

static void want_tree(const char *text, const char *tree)
{
	char *got = parse_expr_text(text, false);
	assert_string_equal(got, tree);
	free(got);
}

static void want_error(const char *text, const char *msg)
{
	char *got = parse_expr_text(text, true);
	assert_string_equal(got, msg);
	free(got);
}

/* The value of an integer literal. */
static uint64_t int_of(const char *text)
{
	struct arena a = {0};
	struct diag d = {0};
	struct source src = { .name = "test", .text = text, .len = strlen(text) };
	struct node *n = parse_expression(&a, &src, &d);
	if (!n || d.errors)
		fail_msg("'%s' did not parse:\n%s", text, sb_str(&d.out));
	assert_int_equal(n->kind, N_INT);
	uint64_t v = n->num;
	diag_free(&d);
	arena_free(&a);
	return v;
}

/* ---- integer literals ----------------------------------------------------- */

static void test_decimal(void **state)
{
	(void)state;
	assert_int_equal(int_of("0"), 0);
	assert_int_equal(int_of("7"), 7);
	assert_int_equal(int_of("1234567890"), 1234567890ULL);
	assert_true(int_of("18446744073709551615") == UINT64_MAX);
	assert_true(int_of("9223372036854775808") == 9223372036854775808ULL);
}

static void test_hex_octal_binary(void **state)
{
	(void)state;
	assert_int_equal(int_of("0x1F"), 31);
	assert_int_equal(int_of("0X1f"), 31);
	assert_int_equal(int_of("0xdeadBEEF"), 0xdeadbeefULL);
	assert_true(int_of("0xffffffffffffffff") == UINT64_MAX);
	assert_int_equal(int_of("0123"), 83);
	assert_int_equal(int_of("010"), 8);
	assert_int_equal(int_of("00"), 0);
	assert_int_equal(int_of("0b101"), 5);
	assert_int_equal(int_of("0B11"), 3);
	assert_int_equal(int_of("0b0"), 0);
}

static void test_separators(void **state)
{
	(void)state;
	assert_int_equal(int_of("1_000_000"), 1000000);
	assert_int_equal(int_of("1_0"), 10);
	assert_int_equal(int_of("0xff_ff"), 0xffff);
	assert_int_equal(int_of("0b1111_0000"), 0xf0);
}

static void test_c_suffixes(void **state)
{
	(void)state;
	assert_int_equal(int_of("10U"), 10);
	assert_int_equal(int_of("10u"), 10);
	assert_int_equal(int_of("10L"), 10);
	assert_int_equal(int_of("10UL"), 10);
	assert_int_equal(int_of("10LL"), 10);
	assert_int_equal(int_of("10ULL"), 10);
	assert_int_equal(int_of("0x10ul"), 16);
}

static void test_exponent(void **state)
{
	(void)state;
	assert_int_equal(int_of("2e3"), 2000);
	assert_int_equal(int_of("1E2"), 100);
	assert_int_equal(int_of("5e0"), 5);
	assert_true(int_of("1e19") == 10000000000000000000ULL);
}

static void test_durations(void **state)
{
	(void)state;
	assert_int_equal(int_of("7ns"), 7);
	assert_int_equal(int_of("3us"), 3000);
	assert_int_equal(int_of("10ms"), 10000000);
	assert_true(int_of("5s") == 5000000000ULL);
	assert_true(int_of("2m") == 120000000000ULL);
	assert_true(int_of("1h") == 3600000000000ULL);
	assert_true(int_of("1d") == 86400000000000ULL);
	assert_true(int_of("1_500ms") == 1500000000ULL);
	assert_int_equal(int_of("0s"), 0);
}

static void test_integer_errors(void **state)
{
	(void)state;
	want_error("08",
		   "test:1:1: error: invalid integer literal\n"
		   "    08\n"
		   "    ^~\n");
	want_error("12xs",
		   "test:1:1: error: invalid integer literal suffix\n"
		   "    12xs\n"
		   "    ^~~~\n");
	want_error("1 + 5sec",
		   "test:1:5: error: invalid integer literal suffix\n"
		   "    1 + 5sec\n"
		   "        ^~~~\n");
	want_error("18446744073709551616",
		   "test:1:1: error: integer literal is too large\n"
		   "    18446744073709551616\n"
		   "    ^~~~~~~~~~~~~~~~~~~~\n");
	want_error("0x10000000000000000",
		   "test:1:1: error: integer literal is too large\n"
		   "    0x10000000000000000\n"
		   "    ^~~~~~~~~~~~~~~~~~~\n");
	want_error("99999999999d",
		   "test:1:1: error: integer literal is too large\n"
		   "    99999999999d\n"
		   "    ^~~~~~~~~~~~\n");
	want_error("2e20",
		   "test:1:1: error: integer literal is too large\n"
		   "    2e20\n"
		   "    ^~~~\n");
}

/* ---- strings ---------------------------------------------------------------- */

static void test_strings(void **state)
{
	(void)state;
	want_tree("\"\"", "string: \"\"\n");
	want_tree("\"plain text\"", "string: \"plain text\"\n");
	/* the printer escapes again what the scanner unescaped */
	want_tree("\"a\\tb\\nc\\rd\"", "string: \"a\\tb\\nc\\rd\"\n");
	want_tree("\"q\\\"q \\\\ \"", "string: \"q\\\"q \\\\ \"\n");
}

static void test_string_octal_hex_escapes(void **state)
{
	(void)state;
	want_tree("\"\\101\\102\"", "string: \"AB\"\n");
	want_tree("\"\\x41\\x62\"", "string: \"Ab\"\n");
	want_tree("\"\\x7\"", "string: \"\\x07\"\n");
	want_tree("\"\\033[0m\"", "string: \"\\x1b[0m\"\n");
	want_tree("\"\\xff\"", "string: \"\\xff\"\n");
}

static void test_string_length(void **state)
{
	(void)state;
	struct arena a = {0};
	struct diag d = {0};
	const char *text = "\"ab\\ncd\"";
	struct source src = { .name = "test", .text = text, .len = strlen(text) };
	struct node *n = parse_expression(&a, &src, &d);
	assert_non_null(n);
	assert_int_equal(n->kind, N_STR);
	assert_int_equal(n->len, 5);
	assert_memory_equal(n->name, "ab\ncd", 5);
	/* the location spans both quotes */
	assert_int_equal(n->loc.line, 1);
	assert_int_equal(n->loc.col, 1);
	assert_int_equal(n->loc.end_col, 9);
	diag_free(&d);
	arena_free(&a);
}

static void test_string_errors(void **state)
{
	(void)state;
	want_error("\"abc",
		   "test:1:1: error: unterminated string\n"
		   "    \"abc\n"
		   "    ^\n");
	want_error("1 + \"abc\ndef\"",
		   "test:1:5: error: unterminated string\n"
		   "    1 + \"abc\n"
		   "        ^\n");
	want_error("\"a\\qb\"",
		   "test:1:3: error: invalid escape sequence in string\n"
		   "    \"a\\qb\"\n"
		   "      ^~\n");
}

/* ---- names and operators ------------------------------------------------------ */

static void test_names(void **state)
{
	(void)state;
	want_tree("pid", "ident: pid\n");
	want_tree("_under_score9", "ident: _under_score9\n");
	want_tree("$x", "variable: $x\n");
	want_tree("$_long_name1", "variable: $_long_name1\n");
	want_tree("@", "map: @\n");
	want_tree("@counts", "map: @counts\n");
	want_tree("$1", "param: $1\n");
	want_tree("$#", "param: $#\n");
	want_tree("true", "bool: true\n");
	want_tree("false", "bool: false\n");
}

static void test_two_character_operators(void **state)
{
	(void)state;
	want_tree("1 <= 2", "binop: <=\n int: 1\n int: 2\n");
	want_tree("1 >= 2", "binop: >=\n int: 1\n int: 2\n");
	want_tree("1 == 2", "binop: ==\n int: 1\n int: 2\n");
	want_tree("1 != 2", "binop: !=\n int: 1\n int: 2\n");
	want_tree("1 << 2", "binop: <<\n int: 1\n int: 2\n");
	want_tree("1 >> 2", "binop: >>\n int: 1\n int: 2\n");
	want_tree("1 && 2", "binop: &&\n int: 1\n int: 2\n");
	want_tree("1 || 2", "binop: ||\n int: 1\n int: 2\n");
	/* no spaces needed */
	want_tree("1<=2", "binop: <=\n int: 1\n int: 2\n");
	want_tree("$a<<$b", "binop: <<\n variable: $a\n variable: $b\n");
}

static void test_single_character_operators(void **state)
{
	(void)state;
	want_tree("1+2", "binop: +\n int: 1\n int: 2\n");
	want_tree("1-2", "binop: -\n int: 1\n int: 2\n");
	want_tree("1*2", "binop: *\n int: 1\n int: 2\n");
	want_tree("1/2", "binop: /\n int: 1\n int: 2\n");
	want_tree("1%2", "binop: %\n int: 1\n int: 2\n");
	want_tree("1&2", "binop: &\n int: 1\n int: 2\n");
	want_tree("1|2", "binop: |\n int: 1\n int: 2\n");
	want_tree("1^2", "binop: ^\n int: 1\n int: 2\n");
	want_tree("1<2", "binop: <\n int: 1\n int: 2\n");
	want_tree("1>2", "binop: >\n int: 1\n int: 2\n");
	want_tree("!1", "unop: !\n int: 1\n");
	want_tree("~1", "unop: ~\n int: 1\n");
	want_tree("-1", "unop: -\n int: 1\n");
}

static void test_increment_tokens(void **state)
{
	(void)state;
	want_tree("$x++", "incdec: post++\n variable: $x\n");
	want_tree("--$x", "incdec: pre--\n variable: $x\n");
	/* "- -" is two minus signs, "--" one decrement */
	want_tree("- -$x", "unop: -\n unop: -\n  variable: $x\n");
}

static void test_whitespace_and_comments(void **state)
{
	(void)state;
	want_tree("  1\t+\n2  ", "binop: +\n int: 1\n int: 2\n");
	want_tree("1 /* block */ + 2", "binop: +\n int: 1\n int: 2\n");
	want_tree("1 + // line comment\n 2", "binop: +\n int: 1\n int: 2\n");
	want_tree("/* a\n * multi-line\n */ 3", "int: 3\n");
	want_tree("4 /**/", "int: 4\n");
}

static void test_positions_count_lines_and_columns(void **state)
{
	(void)state;
	/* a later line, after a comment that spans lines */
	want_error("1 + /* a\n b */ 2 +\n   08",
		   "test:3:4: error: invalid integer literal\n"
		   "       08\n"
		   "       ^~\n");
	/* tabs are shown as one space, so the caret stays under its column */
	want_error("\t1 + 09",
		   "test:1:6: error: invalid integer literal\n"
		   "     1 + 09\n"
		   "         ^~\n");
}

static void test_scanner_errors(void **state)
{
	(void)state;
	want_error("1 + `",
		   "test:1:5: error: unexpected '`'\n"
		   "    1 + `\n"
		   "        ^\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_hex_octal_binary),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_c_suffixes),
		cmocka_unit_test(test_exponent),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_integer_errors),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_string_octal_hex_escapes),
		cmocka_unit_test(test_string_length),
		cmocka_unit_test(test_string_errors),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_two_character_operators),
		cmocka_unit_test(test_single_character_operators),
		cmocka_unit_test(test_increment_tokens),
		cmocka_unit_test(test_whitespace_and_comments),
		cmocka_unit_test(test_positions_count_lines_and_columns),
		cmocka_unit_test(test_scanner_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
