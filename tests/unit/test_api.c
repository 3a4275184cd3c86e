/* The embedding API of include/trawk.h, used as another program would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "trawk.h"

static char *run_to_string(struct trawk *t, struct trawk_run_opts *ro, int *status)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ro->out = out;
	*status = trawk_run(t, ro);
	fclose(out);
	return text;
}

static void test_compile_error(void **state)
{
	(void)state;
	struct trawk *t = trawk_new();
	const char *src = "BEGIN { @x = cuont(); }";
	assert_int_equal(trawk_compile(t, "embed.bt", src, strlen(src), NULL), -1);
	assert_string_equal(trawk_errors(t),
			    "embed.bt:1:14: error: unknown function 'cuont'; did you mean 'count'?\n"
			    "    BEGIN { @x = cuont(); }\n"
			    "                 ^~~~~~~\n");
	assert_int_equal(trawk_dump(t, TRAWK_DUMP_TYPES, stderr), -1);
	trawk_free(t);
}

static void test_object(void **state)
{
	(void)state;
	struct trawk *t = trawk_new();
	const char *src = "BEGIN { @x = 1; }";
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), NULL), 0);
	const void *obj;
	size_t len;
	assert_int_equal(trawk_object(t, &obj, &len), 0);
	assert_true(len > 64);
	assert_memory_equal(obj, "\177ELF", 4);
	trawk_free(t);
}

static void test_check_only(void **state)
{
	(void)state;
	struct trawk *t = trawk_new();
	struct trawk_compile_opts co = { .check_only = true };
	const char *src = "BEGIN { $x = 1 + 2; }";
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &co), 0);
	const void *obj;
	size_t len;
	assert_int_equal(trawk_object(t, &obj, &len), -1);
	trawk_free(t);
}

static void test_run(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	struct trawk *t = trawk_new();
	const char *params[] = { "world" };
	struct trawk_compile_opts co = { .nparams = 1, .params = params };
	const char *src = "BEGIN { printf(\"hello, %s\\n\", str($1)); @n = 42; exit(7); }";
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &co), 0);
	struct trawk_run_opts ro = { .quiet = true };
	int status;
	char *text = run_to_string(t, &ro, &status);
	assert_int_equal(status, 7);
	assert_string_equal(text, "hello, world\n\n\n@n: 42\n");
	free(text);
	trawk_free(t);
}

static void test_run_json(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	struct trawk *t = trawk_new();
	const char *src = "BEGIN { @m[\"a\"] = 1; exit(); }";
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), NULL), 0);
	struct trawk_run_opts ro = { .format = TRAWK_JSON };
	int status;
	char *text = run_to_string(t, &ro, &status);
	assert_int_equal(status, 0);
	assert_string_equal(text,
			    "{\"type\": \"attached_probes\", \"count\": 1, \"data\": {\"probes\": 1}}\n"
			    "{\"type\": \"map\", \"data\": {\"@m\": {\"a\": 1}}}\n");
	free(text);
	/* Quiet drops attached_probes, as bpftrace's -q does. */
	ro.quiet = true;
	text = run_to_string(t, &ro, &status);
	assert_string_equal(text, "{\"type\": \"map\", \"data\": {\"@m\": {\"a\": 1}}}\n");
	free(text);
	trawk_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_error),
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_check_only),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_json),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	trawk_cleanup();
	return rc;
}
