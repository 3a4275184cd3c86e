/* The parser: operator precedence and associativity as bpftrace has them,
 * unary and postfix forms, attach points, predicates (with division inside),
 * statements, top-level items, comments, and syntax errors with their exact
 * diagnostics, long operator chains and the nesting limit.  Trees are
 * compared in the -d ast form (ast_print). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/parse.h"

enum what { EXPR, PROGRAM };

/* The tree of text, or its diagnostics when want_error; malloc'ed. */
static char *parse_text(enum what w, const char *text, bool want_error)
{
	struct arena a = {0};
	struct diag d = {0};
	struct source src = { .name = "test.bt", .text = text, .len = strlen(text) };
	struct node *n = w == EXPR ? parse_expression(&a, &src, &d) : parse_program(&a, &src, &d);
	char *out;
	if (want_error) {
		if (n || !d.errors)
			fail_msg("'%s' parsed without errors", text);
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

static void want(enum what w, const char *text, const char *tree)
{
	char *got = parse_text(w, text, false);
	assert_string_equal(got, tree);
	free(got);
}

#define want_expr(text, tree) want(EXPR, text, tree)
#define want_prog(text, tree) want(PROGRAM, text, tree)

static void want_error(const char *text, const char *msg)
{
	char *got = parse_text(PROGRAM, text, true);
	assert_string_equal(got, msg);
	free(got);
}

/* Trees of a single probe "BEGIN { STMT }": the part under "block". */
static void want_stmts(const char *stmts, const char *under_block)
{
	char text[1024], tree[4096];
	snprintf(text, sizeof(text), "BEGIN { %s }", stmts);
	snprintf(tree, sizeof(tree), "program\n probe\n  attach: BEGIN\n  block\n%s", under_block);
	want_prog(text, tree);
}

/* ---- precedence, low to high: || && | ^ & (== !=) (< > <= >=) (<< >>) (+ -)
 * (* / %) unary ------------------------------------------------------------ */

/* "1 LOW 2 HIGH 3" groups as 1 LOW (2 HIGH 3), and "1 HIGH 2 LOW 3" as
 * (1 HIGH 2) LOW 3. */
static void want_tighter(const char *low, const char *high)
{
	char text[64], tree[256];
	snprintf(text, sizeof(text), "1 %s 2 %s 3", low, high);
	snprintf(tree, sizeof(tree),
		 "binop: %s\n int: 1\n binop: %s\n  int: 2\n  int: 3\n", low, high);
	want_expr(text, tree);
	snprintf(text, sizeof(text), "1 %s 2 %s 3", high, low);
	snprintf(tree, sizeof(tree),
		 "binop: %s\n binop: %s\n  int: 1\n  int: 2\n int: 3\n", low, high);
	want_expr(text, tree);
}

static void test_precedence_ladder(void **state)
{
	(void)state;
	want_tighter("||", "&&");
	want_tighter("&&", "|");
	want_tighter("|", "^");
	want_tighter("^", "&");
	want_tighter("&", "==");
	want_tighter("&", "!=");
	want_tighter("==", "<");
	want_tighter("!=", ">=");
	want_tighter("<", "<<");
	want_tighter("<=", ">>");
	want_tighter("<<", "+");
	want_tighter(">>", "-");
	want_tighter("+", "*");
	want_tighter("-", "/");
	want_tighter("+", "%");
}

static void test_precedence_across_levels(void **state)
{
	(void)state;
	want_tighter("||", "==");
	want_tighter("&&", "<");
	want_tighter("|", "+");
	want_tighter("==", "*");
	want_expr("1 || 2 && 3 | 4 ^ 5 & 6 == 7 < 8 << 9 + 10 * 11",
		  "binop: ||\n"
		  " int: 1\n"
		  " binop: &&\n"
		  "  int: 2\n"
		  "  binop: |\n"
		  "   int: 3\n"
		  "   binop: ^\n"
		  "    int: 4\n"
		  "    binop: &\n"
		  "     int: 5\n"
		  "     binop: ==\n"
		  "      int: 6\n"
		  "      binop: <\n"
		  "       int: 7\n"
		  "       binop: <<\n"
		  "        int: 8\n"
		  "        binop: +\n"
		  "         int: 9\n"
		  "         binop: *\n"
		  "          int: 10\n"
		  "          int: 11\n");
}

/* Operators of one level group to the left. */
static void want_left(const char *a, const char *b)
{
	char text[64], tree[256];
	snprintf(text, sizeof(text), "1 %s 2 %s 3", a, b);
	snprintf(tree, sizeof(tree), "binop: %s\n binop: %s\n  int: 1\n  int: 2\n int: 3\n", b, a);
	want_expr(text, tree);
}

static void test_left_associativity(void **state)
{
	(void)state;
	want_left("-", "-");
	want_left("+", "-");
	want_left("-", "+");
	want_left("/", "/");
	want_left("/", "*");
	want_left("*", "%");
	want_left("%", "/");
	want_left("<<", ">>");
	want_left("<", ">");
	want_left("<=", ">=");
	want_left("==", "!=");
	want_left("&", "&");
	want_left("^", "^");
	want_left("|", "|");
	want_left("&&", "&&");
	want_left("||", "||");
}

static void test_parentheses(void **state)
{
	(void)state;
	want_expr("(1 + 2) * 3", "binop: *\n binop: +\n  int: 1\n  int: 2\n int: 3\n");
	want_expr("1 - (2 - 3)", "binop: -\n int: 1\n binop: -\n  int: 2\n  int: 3\n");
	want_expr("((4))", "int: 4\n");
	want_expr("(1 || 2) && 3", "binop: &&\n binop: ||\n  int: 1\n  int: 2\n int: 3\n");
}

static void test_ternary(void **state)
{
	(void)state;
	want_expr("1 ? 2 : 3", "?:\n int: 1\n int: 2\n int: 3\n");
	/* right associative */
	want_expr("1 ? 2 : 3 ? 4 : 5",
		  "?:\n int: 1\n int: 2\n ?:\n  int: 3\n  int: 4\n  int: 5\n");
	/* below || */
	want_expr("1 || 2 ? 3 : 4", "?:\n binop: ||\n  int: 1\n  int: 2\n int: 3\n int: 4\n");
	/* the "a ?: b" form has no middle operand */
	want_expr("$a ?: 7", "?:\n variable: $a\n int: 7\n");
}

static void test_unary(void **state)
{
	(void)state;
	want_expr("-1 * 2", "binop: *\n unop: -\n  int: 1\n int: 2\n");
	want_expr("!$a == $b", "binop: ==\n unop: !\n  variable: $a\n variable: $b\n");
	want_expr("~$a & 3", "binop: &\n unop: ~\n  variable: $a\n int: 3\n");
	want_expr("-$a - -$b", "binop: -\n unop: -\n  variable: $a\n unop: -\n  variable: $b\n");
	want_expr("!!1", "unop: !\n unop: !\n  int: 1\n");
	want_expr("~-1", "unop: ~\n unop: -\n  int: 1\n");
	want_expr("*$p", "unop: *\n variable: $p\n");
	want_expr("2 * *$p", "binop: *\n int: 2\n unop: *\n  variable: $p\n");
}

static void test_increment_decrement(void **state)
{
	(void)state;
	want_expr("$x++", "incdec: post++\n variable: $x\n");
	want_expr("$x--", "incdec: post--\n variable: $x\n");
	want_expr("++$x", "incdec: pre++\n variable: $x\n");
	want_expr("--@m[1]", "incdec: pre--\n map: @m\n  int: 1\n");
	want_expr("$x++ * 2", "binop: *\n incdec: post++\n  variable: $x\n int: 2\n");
}

static void test_postfix(void **state)
{
	(void)state;
	want_expr("args.filename", ".filename\n ident: args\n");
	want_expr("$s.a.b", ".b\n .a\n  variable: $s\n");
	want_expr("$t.0", ".0\n variable: $t\n");
	want_expr("$p->f", ".->f\n variable: $p\n");
	want_expr("$a[1]", "[]\n variable: $a\n int: 1\n");
	want_expr("$a[1][2]", "[]\n []\n  variable: $a\n  int: 1\n int: 2\n");
	/* postfix binds tighter than unary */
	want_expr("-args.count", "unop: -\n .count\n  ident: args\n");
	want_expr("args.count / 2", "binop: /\n .count\n  ident: args\n int: 2\n");
}

static void test_maps(void **state)
{
	(void)state;
	want_expr("@", "map: @\n");
	want_expr("@m", "map: @m\n");
	want_expr("@m[1]", "map: @m\n int: 1\n");
	want_expr("@m[1, \"a\", comm]", "map: @m\n int: 1\n string: \"a\"\n ident: comm\n");
	want_expr("@[pid]", "map: @\n ident: pid\n");
	want_expr("@m[1 + 2]", "map: @m\n binop: +\n  int: 1\n  int: 2\n");
}

static void test_calls_tuples_casts(void **state)
{
	(void)state;
	want_expr("count()", "call: count\n");
	want_expr("sum(args.count)", "call: sum\n .count\n  ident: args\n");
	want_expr("printf(\"%d %s\\n\", 1, comm)",
		  "call: printf\n string: \"%d %s\\n\"\n int: 1\n ident: comm\n");
	want_expr("str(args.filename, 8 * 2)",
		  "call: str\n .filename\n  ident: args\n binop: *\n  int: 8\n  int: 2\n");
	want_expr("()", "tuple\n");
	want_expr("(1,)", "tuple\n int: 1\n");
	want_expr("(1, \"a\")", "tuple\n int: 1\n string: \"a\"\n");
	want_expr("(uint32)$x", "cast: uint32\n variable: $x\n");
	want_expr("(int8)-1", "cast: int8\n unop: -\n  int: 1\n");
	want_expr("(struct task_struct *)$p", "cast: struct task_struct *\n variable: $p\n");
	/* a cast binds tighter than a binary operator */
	want_expr("(uint8)$x + 1", "binop: +\n cast: uint8\n  variable: $x\n int: 1\n");
}

/* ---- attach points and predicates ---------------------------------------------- */

static void test_attach_points(void **state)
{
	(void)state;
	want_prog("uprobe:/bin/bash:readline, interval:s:1, tracepoint:a:b* { }",
		  "program\n"
		  " probe\n"
		  "  attach: uprobe:/bin/bash:readline\n"
		  "  attach: interval:s:1\n"
		  "  attach: tracepoint:a:b*\n"
		  "  block\n");
	want_prog("kprobe:do_sys_open+0x10,usdt:/usr/lib/libc.so.6:libc:setjmp,BEGIN,END{}",
		  "program\n"
		  " probe\n"
		  "  attach: kprobe:do_sys_open+0x10\n"
		  "  attach: usdt:/usr/lib/libc.so.6:libc:setjmp\n"
		  "  attach: BEGIN\n"
		  "  attach: END\n"
		  "  block\n");
	want_prog("t:sched:*, i:ms:10, profile:hz:99 { }",
		  "program\n"
		  " probe\n"
		  "  attach: t:sched:*\n"
		  "  attach: i:ms:10\n"
		  "  attach: profile:hz:99\n"
		  "  block\n");
	want_prog("uprobe:\"/tmp/a b\":f { }",
		  "program\n probe\n  attach: uprobe:\"/tmp/a b\":f\n  block\n");
	want_prog("tracepoint:syscalls:sys_enter_open*\n{\n}\n",
		  "program\n probe\n  attach: tracepoint:syscalls:sys_enter_open*\n  block\n");
}

static void test_several_probes(void **state)
{
	(void)state;
	want_prog("BEGIN { } interval:s:1 { } END { }",
		  "program\n"
		  " probe\n  attach: BEGIN\n  block\n"
		  " probe\n  attach: interval:s:1\n  block\n"
		  " probe\n  attach: END\n  block\n");
}

static void test_predicates(void **state)
{
	(void)state;
	want_prog("BEGIN /pid/ { }",
		  "program\n probe\n  attach: BEGIN\n  predicate ident: pid\n  block\n");
	/* a '/' inside the predicate is division */
	want_prog("uprobe:/bin/bash:readline /10 / 2 > 1/ { }",
		  "program\n"
		  " probe\n"
		  "  attach: uprobe:/bin/bash:readline\n"
		  "  predicate binop: >\n"
		  "   binop: /\n"
		  "    int: 10\n"
		  "    int: 2\n"
		  "   int: 1\n"
		  "  block\n");
	want_prog("tracepoint:a:b /args.x / 4 / 2 == $1/{ exit(); }",
		  "program\n"
		  " probe\n"
		  "  attach: tracepoint:a:b\n"
		  "  predicate binop: ==\n"
		  "   binop: /\n"
		  "    binop: /\n"
		  "     .x\n"
		  "      ident: args\n"
		  "     int: 4\n"
		  "    int: 2\n"
		  "   param: $1\n"
		  "  block\n"
		  "   expr\n"
		  "    call: exit\n");
	/* spaces and a newline between the closing '/' and the block */
	want_prog("BEGIN / pid > 1 /\n{ }",
		  "program\n"
		  " probe\n"
		  "  attach: BEGIN\n"
		  "  predicate binop: >\n"
		  "   ident: pid\n"
		  "   int: 1\n"
		  "  block\n");
	want_prog("BEGIN, END /comm == \"a/b\"/ { }",
		  "program\n"
		  " probe\n"
		  "  attach: BEGIN\n"
		  "  attach: END\n"
		  "  predicate binop: ==\n"
		  "   ident: comm\n"
		  "   string: \"a/b\"\n"
		  "  block\n");
}

/* ---- statements --------------------------------------------------------------- */

static void test_assignments(void **state)
{
	(void)state;
	want_stmts("$x = 1; @m[2] = $x; @ = 3; _ = 4;",
		   "   =\n    variable: $x\n    int: 1\n"
		   "   =\n    map: @m\n     int: 2\n    variable: $x\n"
		   "   =\n    map: @\n    int: 3\n"
		   "   =\n    ident: _\n    int: 4\n");
	want_stmts("$x += 1; @y <<= 2; $z ^= 3;",
		   "   = (+=)\n    variable: $x\n    int: 1\n"
		   "   = (<<=)\n    map: @y\n    int: 2\n"
		   "   = (^=)\n    variable: $z\n    int: 3\n");
	/* the value of an assignment is a whole expression */
	want_stmts("$x = 1 + 2 * 3;",
		   "   =\n    variable: $x\n    binop: +\n     int: 1\n     binop: *\n      int: 2\n      int: 3\n");
}

static void test_if_else(void **state)
{
	(void)state;
	want_stmts("if ($x > 1) { exit(); }",
		   "   if\n    binop: >\n     variable: $x\n     int: 1\n    block\n     expr\n      call: exit\n");
	want_stmts("if (1) { } else { $a = 2; }",
		   "   if\n    int: 1\n    block\n    else block\n     =\n      variable: $a\n      int: 2\n");
	want_stmts("if (1) { } else if (2) { } else { }",
		   "   if\n    int: 1\n    block\n    else if\n     int: 2\n     block\n     else block\n");
	/* parentheses may be left out */
	want_stmts("if $x { }", "   if\n    variable: $x\n    block\n");
}

static void test_loops_and_jumps(void **state)
{
	(void)state;
	want_stmts("while ($i < 3) { $i++; break; }",
		   "   while\n    binop: <\n     variable: $i\n     int: 3\n    block\n"
		   "     expr\n      incdec: post++\n       variable: $i\n     break\n");
	want_stmts("for ($kv : @m) { continue; }",
		   "   for\n    variable: $kv\n    map: @m\n    block\n     continue\n");
	want_stmts("for ($i : 0..5) { }",
		   "   for range\n    int: 0\n    variable: $i\n    int: 5\n    block\n");
	want_stmts("unroll(3) { return; }", "   unroll\n    int: 3\n    block\n     return\n");
	want_stmts("return 1;", "   return\n    int: 1\n");
}

static void test_let(void **state)
{
	(void)state;
	want_stmts("let $a; let $b = 2; let $c: uint32; let $d: string[8] = \"x\";",
		   "   let\n    variable: $a\n"
		   "   let\n    variable: $b\n    int: 2\n"
		   "   let: uint32\n    variable: $c\n"
		   "   let: string[8]\n    variable: $d\n    string: \"x\"\n");
}

static void test_statement_separators(void **state)
{
	(void)state;
	/* ';' may be left out before '}' and after a block */
	want_stmts("$x = 1", "   =\n    variable: $x\n    int: 1\n");
	want_stmts("if (1) { } $x = 1", "   if\n    int: 1\n    block\n   =\n    variable: $x\n    int: 1\n");
	/* empty statements are dropped */
	want_stmts(";; $x = 1;;", "   =\n    variable: $x\n    int: 1\n");
	want_stmts("exit(); exit()", "   expr\n    call: exit\n   expr\n    call: exit\n");
}

/* ---- top level and comments -------------------------------------------------------- */

static void test_top_level_items(void **state)
{
	(void)state;
	want_prog("config = { max_strlen = 64; missing_probes = \"warn\" } BEGIN { }",
		  "program\n"
		  " config\n"
		  "  =\n   ident: max_strlen\n   int: 64\n"
		  "  =\n   ident: missing_probes\n   string: \"warn\"\n"
		  " probe\n  attach: BEGIN\n  block\n");
	want_prog("let @m = hash(10); BEGIN { }",
		  "program\n map decl: @m\n  call: hash\n   int: 10\n probe\n  attach: BEGIN\n  block\n");
	want_prog("macro add(a, $b, @c) { a + $b } BEGIN { }",
		  "program\n"
		  " macro: add\n"
		  "  ident: a\n  variable: $b\n  map: @c\n"
		  "  block\n   expr\n    binop: +\n     ident: a\n     variable: $b\n"
		  " probe\n  attach: BEGIN\n  block\n");
}

static void test_comments(void **state)
{
	(void)state;
	want_prog("// c1\n/* c2 */ BEGIN /* c3 */ , END // c4\n/* c5 */ { /* c6 */ } // c7",
		  "program\n probe\n  attach: BEGIN\n  attach: END\n  block\n");
	want_prog("BEGIN {\n  // first\n  $x = 1; /* second */ $y = 2; // third\n}\n/* after */",
		  "program\n probe\n  attach: BEGIN\n  block\n"
		  "   =\n    variable: $x\n    int: 1\n"
		  "   =\n    variable: $y\n    int: 2\n");
	/* a comment with a '/' inside a predicate */
	want_prog("BEGIN /1 /* x / y */ == 1/ { }",
		  "program\n probe\n  attach: BEGIN\n  predicate binop: ==\n   int: 1\n   int: 1\n  block\n");
}

static void test_locations(void **state)
{
	(void)state;
	struct arena a = {0};
	struct diag d = {0};
	const char *text = "BEGIN {\n  $x = 1 + 23;\n}";
	struct source src = { .name = "t", .text = text, .len = strlen(text) };
	struct node *prog = parse_program(&a, &src, &d);
	assert_non_null(prog);
	struct node *assign = prog->list.v[0]->body->list.v[0];
	assert_int_equal(assign->kind, N_ASSIGN);
	struct node *plus = assign->right;
	assert_int_equal(plus->kind, N_BINOP);
	assert_int_equal(plus->loc.line, 2);
	assert_int_equal(plus->loc.col, 8);
	assert_int_equal(plus->loc.end_line, 2);
	assert_int_equal(plus->loc.end_col, 14);
	assert_int_equal(plus->right->loc.col, 12);
	assert_int_equal(plus->right->num, 23);
	diag_free(&d);
	arena_free(&a);
}

/* ---- errors ---------------------------------------------------------------------- */

static void test_syntax_errors(void **state)
{
	(void)state;
	want_error("BEGIN { $x = 1 +; }",
		   "test.bt:1:17: error: syntax error: unexpected ';'\n"
		   "    BEGIN { $x = 1 +; }\n"
		   "                    ^\n");
	want_error("BEGIN {\n  $x = (1 + 2;\n}",
		   "test.bt:2:14: error: syntax error: unexpected ';'\n"
		   "      $x = (1 + 2;\n"
		   "                 ^\n");
	want_error("BEGIN",
		   "test.bt:1:1: error: syntax error: unexpected end of input, expecting '{'\n"
		   "    BEGIN\n"
		   "    ^~~~~\n");
	want_error(", BEGIN { }",
		   "test.bt:1:1: error: syntax error: unexpected ','\n"
		   "    , BEGIN { }\n"
		   "    ^\n");
	want_error("BEGIN { printf(\"a\" }",
		   "test.bt:1:20: error: syntax error: unexpected '}', expecting ')'\n"
		   "    BEGIN { printf(\"a\" }\n"
		   "                       ^\n");
	want_error("BEGIN { if (1) { } else }",
		   "test.bt:1:25: error: syntax error: unexpected '}', expecting if or '{'\n"
		   "    BEGIN { if (1) { } else }\n"
		   "                            ^\n");
	want_error("BEGIN { exit(1) exit(2); }",
		   "test.bt:1:17: error: syntax error: unexpected identifier, expecting '}'\n"
		   "    BEGIN { exit(1) exit(2); }\n"
		   "                    ^~~~\n");
}

static void test_assignment_target_errors(void **state)
{
	(void)state;
	want_error("BEGIN { 1 = 2; }",
		   "test.bt:1:9: error: can only assign to a variable ($x), a map (@m) or '_'\n"
		   "    BEGIN { 1 = 2; }\n"
		   "            ^\n");
	want_error("BEGIN { $x + 1 = 2; }",
		   "test.bt:1:9: error: can only assign to a variable ($x), a map (@m) or '_'\n"
		   "    BEGIN { $x + 1 = 2; }\n"
		   "            ^~~~~~\n");
	want_error("BEGIN { @x += 1; $y++ = 3; }",
		   "test.bt:1:18: error: can only assign to a variable ($x), a map (@m) or '_'\n"
		   "    BEGIN { @x += 1; $y++ = 3; }\n"
		   "                     ^~~~\n");
	/* '_' takes plain assignment only */
	want_error("BEGIN { _ += 1; }",
		   "test.bt:1:9: error: can only assign to a variable ($x), a map (@m) or '_'\n"
		   "    BEGIN { _ += 1; }\n"
		   "            ^\n");
}

static void test_for_errors(void **state)
{
	(void)state;
	want_error("BEGIN { for ($i : 5) { } }",
		   "test.bt:1:19: error: a for loop iterates over a map (@name) or a range (a..b)\n"
		   "    BEGIN { for ($i : 5) { } }\n"
		   "                      ^\n");
	want_error("BEGIN { for ($i : @m[1]) { } }",
		   "test.bt:1:19: error: a for loop iterates over a map (@name) or a range (a..b)\n"
		   "    BEGIN { for ($i : @m[1]) { } }\n"
		   "                      ^~~~~\n");
}

static void test_expression_errors(void **state)
{
	(void)state;
	struct arena a = {0};
	struct diag d = {0};
	const char *text = "1 +";
	struct source src = { .name = "expr", .text = text, .len = strlen(text) };
	assert_null(parse_expression(&a, &src, &d));
	assert_int_equal(d.errors, 1);
	assert_string_equal(sb_str(&d.out),
			    "expr:1:3: error: syntax error: unexpected end of input\n"
			    "    1 +\n"
			    "      ^\n");
	diag_free(&d);
	arena_free(&a);
}

/* binop_chain gives a chain's operators innermost first, and stops at an
 * operand that is no operator; node_clone copies a long chain whole. */
static void test_operator_chains(void **state)
{
	(void)state;
	struct arena a = {0};
	struct diag d = {0};
	const char *text = "1 - 2 * 3 + 4 < 5";
	struct source src = { .name = "test.bt", .text = text, .len = strlen(text) };
	struct node *n = parse_expression(&a, &src, &d);
	assert_non_null(n);
	size_t len;
	struct node **chain = binop_chain(n, &len);
	assert_int_equal(len, 3);
	assert_int_equal(chain[0]->op, OP_SUB);
	assert_int_equal(chain[0]->right->op, OP_MUL);   /* an operand, not in the chain */
	assert_int_equal(chain[1]->op, OP_ADD);
	assert_int_equal(chain[2]->op, OP_LT);
	assert_ptr_equal(chain[2], n);
	free(chain);
	/* 100,000 terms: no recursion down the chain, in any of these. */
	struct strbuf sb = {0};
	sb_append(&sb, "1");
	for (int i = 1; i < 100000; i++)
		sb_append(&sb, " + 1");
	struct source big = { .name = "test.bt", .text = sb_str(&sb), .len = sb.len };
	n = parse_expression(&a, &big, &d);
	assert_non_null(n);
	struct node *c = node_clone(&a, n);
	chain = binop_chain(c, &len);
	assert_int_equal(len, 99999);
	assert_int_equal(chain[0]->left->kind, N_INT);
	free(chain);
	struct strbuf out = {0};
	ast_print(&out, c, false);
	const char *top = "binop: +\n binop: +\n  binop: +\n";
	assert_int_equal(strncmp(sb_str(&out), top, strlen(top)), 0);
	sb_free(&out);
	sb_free(&sb);
	diag_free(&d);
	arena_free(&a);
}

/* Nesting is limited where recursion would be: an expression's top is at
 * level 0, so 1000 unary operators put its operand at the limit. */
static void test_nesting_limit(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	for (int i = 0; i < AST_MAX_NESTING + 1; i++)
		sb_append(&sb, "-(");
	sb_append(&sb, "1");
	for (int i = 0; i < AST_MAX_NESTING + 1; i++)
		sb_putc(&sb, ')');
	char *got = parse_text(EXPR, sb_str(&sb), true);
	assert_non_null(strstr(got, "error: the script nests too deeply here (more than 1000 levels)"));
	free(got);
	sb_reset(&sb);
	for (int i = 0; i < AST_MAX_NESTING; i++)
		sb_append(&sb, "-(");
	sb_append(&sb, "1");
	for (int i = 0; i < AST_MAX_NESTING; i++)
		sb_putc(&sb, ')');
	free(parse_text(EXPR, sb_str(&sb), false));
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence_ladder),
		cmocka_unit_test(test_precedence_across_levels),
		cmocka_unit_test(test_left_associativity),
		cmocka_unit_test(test_parentheses),
		cmocka_unit_test(test_ternary),
		cmocka_unit_test(test_unary),
		cmocka_unit_test(test_increment_decrement),
		cmocka_unit_test(test_postfix),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_calls_tuples_casts),
		cmocka_unit_test(test_attach_points),
		cmocka_unit_test(test_several_probes),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_if_else),
		cmocka_unit_test(test_loops_and_jumps),
		cmocka_unit_test(test_let),
		cmocka_unit_test(test_statement_separators),
		cmocka_unit_test(test_top_level_items),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_assignment_target_errors),
		cmocka_unit_test(test_for_errors),
		cmocka_unit_test(test_expression_errors),
		cmocka_unit_test(test_operator_chains),
		cmocka_unit_test(test_nesting_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
