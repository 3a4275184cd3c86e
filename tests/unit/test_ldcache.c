/* probes/ldcache.c against cache files written here in glibc's format:
 * which library a name finds, and that a broken file finds nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "skip.h"

#include "probes/probe.h"

struct entry { uint32_t flags; const char *soname, *path; };

#define X86_64 0x0303u
#define I386 0x0003u

/* Header (48 bytes), entries (24 bytes each), then the strings; offsets
 * count from the start of the file. */
static char *write_cache(const struct entry *e, size_t n, bool truncate)
{
	unsigned char buf[4096] = {0};
	size_t strings = 48 + 24 * n, at = strings;
	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	uint32_t nlibs = (uint32_t)n;
	memcpy(buf + 20, &nlibs, 4);
	for (size_t i = 0; i < n; i++) {
		uint32_t rec[3] = { e[i].flags, (uint32_t)at, 0 };
		memcpy(buf + at, e[i].soname, strlen(e[i].soname) + 1);
		at += strlen(e[i].soname) + 1;
		rec[2] = (uint32_t)at;
		memcpy(buf + at, e[i].path, strlen(e[i].path) + 1);
		at += strlen(e[i].path) + 1;
		memcpy(buf + 48 + 24 * i, rec, sizeof(rec));
	}
	char *path = strdup("/tmp/trawk-ldcache.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t len = truncate ? strings + 3 : at;
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

static const char *find(const char *name, struct arena *a)
{
	const char *p = ldcache_find(name, a);
	return p ? p : "(none)";
}

static void test_names(void **state)
{
	(void)state;
	const struct entry e[] = {
		{ I386, "libdemo.so.1", "/i386/libdemo.so.1" },
		{ X86_64, "libdemo.so", "/dev/libdemo.so" },
		{ X86_64, "libdemo.so.1", "/lib64/libdemo.so.1" },
		{ X86_64, "libdemo-extra.so.2", "/lib64/libdemo-extra.so.2" },
		{ X86_64, "demo2.so.5", "/lib64/demo2.so.5" },
	};
	char *path = write_cache(e, 5, false);
	ldcache_set_path(path);
	struct arena a = {0};
	/* libNAME.so.N before the development link, 32-bit entries skipped. */
	assert_string_equal(find("demo", &a), "/lib64/libdemo.so.1");
	assert_string_equal(find("libdemo", &a), "/lib64/libdemo.so.1");
	assert_string_equal(find("libdemo.so", &a), "/dev/libdemo.so");
	assert_string_equal(find("libdemo-extra", &a), "/lib64/libdemo-extra.so.2");
	assert_string_equal(find("demo2", &a), "/lib64/demo2.so.5");
	/* A prefix of a name is not the name. */
	assert_string_equal(find("libdem", &a), "(none)");
	assert_string_equal(find("demo-extra.so", &a), "(none)");
	arena_free(&a);
	ldcache_set_path(NULL);
	unlink(path);
	free(path);
}

static void test_broken(void **state)
{
	(void)state;
	const struct entry e[] = { { X86_64, "libdemo.so.1", "/lib64/libdemo.so.1" } };
	char *path = write_cache(e, 1, true);   /* strings cut off */
	ldcache_set_path(path);
	struct arena a = {0};
	assert_string_equal(find("demo", &a), "(none)");
	unlink(path);
	ldcache_set_path("/nonexistent/ld.so.cache");
	assert_string_equal(find("demo", &a), "(none)");
	arena_free(&a);
	ldcache_set_path(NULL);
	free(path);
}

/* The system's own cache knows the C library. */
static void test_system(void **state)
{
	(void)state;
	if (access("/etc/ld.so.cache", R_OK)) {
		SKIP_CASE();
		return;
	}
	struct arena a = {0};
	const char *p = ldcache_find("libc", &a);
	assert_non_null(p);
	assert_non_null(strstr(p, "libc.so.6"));
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_system),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	ldcache_free();
	return unit_result(rc);
}
