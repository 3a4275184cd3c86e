/* Libraries by name, as the dynamic linker finds them: /etc/ld.so.cache
 * (glibc's "glibc-ld.so.cache1.1" format), read once per process.  A
 * probe's "libc" or "libssl.so.3" is the library the programs on this
 * machine load, wherever ldconfig found it. */
#include "probe.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LDCACHE_PATH "/etc/ld.so.cache"
#define MAGIC "glibc-ld.so.cache1.1"
#define HEADER_SIZE 48        /* magic, nlibs, len_strings, flags, ... */
#define ENTRY_SIZE 24         /* flags, key, value, osversion, hwcap */
#define FLAG_ELF_LIBC6 0x0003
#define FLAG_X8664_LIB64 0x0300

static struct {
	const char *path;     /* ldcache_set_path(), else LDCACHE_PATH */
	bool tried;
	const unsigned char *data;
	size_t len;
	size_t nlibs;
} cache;

static uint32_t u32_at(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static void load(void)
{
	cache.tried = true;
	int fd = open(cache.path ? cache.path : LDCACHE_PATH, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && st.st_size >= HEADER_SIZE) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED && !memcmp(p, MAGIC, strlen(MAGIC))) {
			cache.data = p;
			cache.len = (size_t)st.st_size;
			size_t n = u32_at(cache.data + 20);
			size_t room = (cache.len - HEADER_SIZE) / ENTRY_SIZE;
			cache.nlibs = n < room ? n : room;
		} else if (p != MAP_FAILED) {
			munmap(p, (size_t)st.st_size);
		}
	}
	close(fd);
}

/* A NUL-terminated string of the cache at off, or NULL. */
static const char *string_at(uint32_t off)
{
	if (off >= cache.len || !memchr(cache.data + off, 0, cache.len - off))
		return NULL;
	return (const char *)cache.data + off;
}

/* How well a soname answers to name: 1 the soname itself, 2 name.so.N,
 * 3 name.so, 4 libname.so.N, 5 libname.so; 0 not at all. */
static int match_rank(const char *soname, const char *name)
{
	size_t n = strlen(name);
	if (!strcmp(soname, name))
		return 1;
	for (int lib = 0; lib < 2; lib++) {
		const char *s = soname;
		if (lib) {
			if (strncmp(s, "lib", 3))
				return 0;
			s += 3;
		}
		if (!strncmp(s, name, n) && !strncmp(s + n, ".so", 3) && (s[n + 3] == '.' || !s[n + 3]))
			return 2 * lib + (s[n + 3] ? 2 : 3);
	}
	return 0;
}

const char *ldcache_find(const char *name, struct arena *a)
{
	if (!cache.tried)
		load();
	const char *best = NULL;
	int best_rank = 0;
	for (size_t i = 0; i < cache.nlibs; i++) {
		const unsigned char *e = cache.data + HEADER_SIZE + i * ENTRY_SIZE;
		/* 64-bit libraries only: trawk probes this machine's programs. */
		if (u32_at(e) != (FLAG_ELF_LIBC6 | FLAG_X8664_LIB64))
			continue;
		const char *soname = string_at(u32_at(e + 4)), *path = string_at(u32_at(e + 8));
		int rank = soname && path ? match_rank(soname, name) : 0;
		if (rank && (!best_rank || rank < best_rank)) {
			best = path;
			best_rank = rank;
		}
	}
	return best ? arena_strdup(a, best) : NULL;
}

void ldcache_free(void)
{
	if (cache.data)
		munmap((void *)cache.data, cache.len);
	memset(&cache, 0, sizeof(cache));
}

void ldcache_set_path(const char *path)
{
	ldcache_free();
	cache.path = path;
}
