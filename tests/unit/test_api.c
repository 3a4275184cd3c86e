/* The embedding API of include/trawk.h, used as another program would. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "skip.h"

#include <bpf/libbpf.h>

#include "trawk.h"

/* Not inlined: GCC takes the memstream's pointer to a local for a dangling one. */
__attribute__((noinline)) static char *run_to_string(struct trawk *t, struct trawk_run_opts *ro, int *status)
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
	TRAWK_OPTS(trawk_compile_opts, co, .check_only = true);
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
		SKIP_CASE();
		return;
	}
	struct trawk *t = trawk_new();
	const char *params[] = { "world" };
	TRAWK_OPTS(trawk_compile_opts, co, .nparams = 1, .params = params);
	const char *src = "BEGIN { printf(\"hello, %s\\n\", str($1)); @n = 42; exit(7); }";
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &co), 0);
	TRAWK_OPTS(trawk_run_opts, ro, .quiet = true);
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
		SKIP_CASE();
		return;
	}
	struct trawk *t = trawk_new();
	const char *src = "BEGIN { @m[\"a\"] = 1; exit(); }";
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), NULL), 0);
	TRAWK_OPTS(trawk_run_opts, ro, .format = TRAWK_JSON);
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

/* Options carry their size: none is refused, an older program's smaller
 * struct reads the rest as zero, bytes this version does not know must be
 * zero. */
static void test_opts_size(void **state)
{
	(void)state;
	const char *src = "BEGIN { $x = 1; }";
	struct trawk_compile_opts none = { .check_only = true };
	struct trawk *t = trawk_new();
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &none), -1);
	assert_non_null(strstr(trawk_errors(t), "declare them with TRAWK_OPTS"));
	trawk_free(t);

	struct { struct trawk_compile_opts o; char more[8]; } newer = { .o.sz = sizeof(newer) };
	newer.o.check_only = true;
	t = trawk_new();
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &newer.o), 0);
	trawk_free(t);
	newer.more[3] = 1;
	t = trawk_new();
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &newer.o), -1);
	trawk_free(t);

	struct trawk_compile_opts older = { .sz = offsetof(struct trawk_compile_opts, nparams), .check_only = true };
	t = trawk_new();
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &older), 0);
	trawk_free(t);
}

/* The library reads the environment it is given, not the process's. */
static void test_env(void **state)
{
	(void)state;
	const char *src = "BEGIN { $x = 1; }";
	setenv("BPFTRACE_MAX_STRLEN", "0", 1);
	TRAWK_OPTS(trawk_compile_opts, co, .check_only = true);
	struct trawk *t = trawk_new();
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &co), 0);
	trawk_free(t);
	unsetenv("BPFTRACE_MAX_STRLEN");
	const char *env[] = { "HOME=/", "TRAWK_MAX_STRLEN=0", NULL };
	co.env = env;
	t = trawk_new();
	assert_int_equal(trawk_compile(t, "stdin", src, strlen(src), &co), -1);
	assert_non_null(strstr(trawk_errors(t), "environment variable TRAWK_MAX_STRLEN"));
	trawk_free(t);
}

static void collect(const char *text, void *arg)
{
	strcat(arg, text);
}

static int my_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* Messages of a run go to the callback, or else into trawk_errors();
 * libbpf's print callback is the caller's again afterwards. */
static void test_messages(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		SKIP_CASE();
		return;
	}
	const char *src = "BEGIN { warnf(\"careful: %d\", 3); exit(); }";
	struct trawk *t = trawk_new();
	assert_int_equal(trawk_compile(t, "m.bt", src, strlen(src), NULL), 0);
	char said[512] = "";
	TRAWK_OPTS(trawk_run_opts, ro, .message = collect, .message_arg = said);
	libbpf_set_print(my_print);
	int status;
	free(run_to_string(t, &ro, &status));
	assert_ptr_equal(libbpf_set_print(NULL), my_print);
	assert_int_equal(status, 0);
	assert_string_equal(said, "Attached 1 probe\n"
				  "m.bt:1:9-32: WARNING: careful: 3\n"
				  "BEGIN { warnf(\"careful: %d\", 3); exit(); }\n"
				  "        ~~~~~~~~~~~~~~~~~~~~~~~\n");
	assert_string_equal(trawk_errors(t), "");
	ro.message = NULL;
	free(run_to_string(t, &ro, &status));
	assert_non_null(strstr(trawk_errors(t), "WARNING: careful: 3\n"));
	assert_non_null(strstr(trawk_errors(t), "Attached 1 probe\n"));
	trawk_free(t);
}

static void *stop_later(void *arg)
{
	usleep(300 * 1000);
	trawk_stop(arg);
	return NULL;
}

/* trawk_stop from another thread ends a run that would go on forever, as
 * a signal does: END runs and the maps print.  Two instances live in one
 * process, each with its own maps. */
static void test_stop_two_instances(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		SKIP_CASE();
		return;
	}
	const char *a_src = "interval:ms:10 { @ticks = count(); } END { printf(\"a ends\\n\"); }";
	const char *b_src = "BEGIN { @b = 2; exit(); }";
	struct trawk *a = trawk_new(), *b = trawk_new();
	assert_int_equal(trawk_compile(a, "a.bt", a_src, strlen(a_src), NULL), 0);
	assert_int_equal(trawk_compile(b, "b.bt", b_src, strlen(b_src), NULL), 0);
	TRAWK_OPTS(trawk_run_opts, ro, .quiet = true);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, stop_later, a), 0);
	int status;
	char *text = run_to_string(a, &ro, &status);
	pthread_join(th, NULL);
	assert_int_equal(status, 0);
	assert_non_null(strstr(text, "a ends\n\n\n@ticks: "));
	free(text);
	text = run_to_string(b, &ro, &status);
	assert_string_equal(text, "\n\n@b: 2\n");
	free(text);
	/* Asked before the run, the stop ends it right after BEGIN. */
	trawk_stop(a);
	text = run_to_string(a, &ro, &status);
	assert_non_null(strstr(text, "a ends\n"));
	free(text);
	trawk_free(a);
	trawk_free(b);
}

struct job {
	struct trawk *t;
	const char *src;
	int status;
	char *text;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	TRAWK_OPTS(trawk_run_opts, ro, .quiet = true);
	j->text = run_to_string(j->t, &ro, &j->status);
	return NULL;
}

/* Two runs at once in two threads: the verifier's rejection of one comes
 * from that program's own log, into that instance's errors only; libbpf's
 * print callback is the caller's again once both have ended. */
static void test_concurrent_runs(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		SKIP_CASE();
		return;
	}
	struct job bad = { trawk_new(), "BEGIN { $i = 0; while ($i < 100000000) { @[$i] = 1; $i++; } }", 0, NULL };
	struct job good = { trawk_new(), "interval:ms:20 { @n = count(); if (@n == 20) { exit(); } }", 0, NULL };
	/* Compiles share the process's caches: one at a time. */
	assert_int_equal(trawk_compile(bad.t, "j.bt", bad.src, strlen(bad.src), NULL), 0);
	assert_int_equal(trawk_compile(good.t, "j.bt", good.src, strlen(good.src), NULL), 0);
	libbpf_set_print(my_print);
	pthread_t tb, tg;
	assert_int_equal(pthread_create(&tb, NULL, run_job, &bad), 0);
	assert_int_equal(pthread_create(&tg, NULL, run_job, &good), 0);
	pthread_join(tb, NULL);
	pthread_join(tg, NULL);
	assert_ptr_equal(libbpf_set_print(NULL), my_print);
	assert_int_equal(bad.status, 1);
	assert_non_null(strstr(trawk_errors(bad.t), "j.bt:1:1: error: the kernel's BPF verifier rejected the program for BEGIN: "));
	assert_int_equal(good.status, 0);
	assert_string_equal(good.text, "\n\n@n: 20\n");
	assert_null(strstr(trawk_errors(good.t), "verifier"));
	free(bad.text);
	free(good.text);
	trawk_free(bad.t);
	trawk_free(good.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_error),
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_check_only),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_json),
		cmocka_unit_test(test_opts_size),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_stop_two_instances),
		cmocka_unit_test(test_concurrent_runs),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	trawk_cleanup();
	return unit_result(rc);
}
