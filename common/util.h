/* Small shared utilities: checked allocation, an arena, growable arrays and
 * string buffers.  Everything above the floor uses these instead of rolling
 * its own. */
#ifndef TRAWK_COMMON_UTIL_H
#define TRAWK_COMMON_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) / (a) * (a))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* A bump allocator: the AST, types and compile results live here and die
 * together, so no node needs its own free. */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};
void *arena_alloc(struct arena *a, size_t n);   /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
void arena_free(struct arena *a);

/* Growable array of T: struct { T *v; size_t n, cap; }. */
#define VEC(T) struct { T *v; size_t n, cap; }
#define vec_push(vec, x) do { \
	if ((vec)->n == (vec)->cap) { \
		(vec)->cap = (vec)->cap ? (vec)->cap * 2 : 8; \
		(vec)->v = xrealloc((vec)->v, (vec)->cap * sizeof(*(vec)->v)); \
	} \
	(vec)->v[(vec)->n++] = (x); \
} while (0)
#define vec_free(vec) do { free((vec)->v); (vec)->v = NULL; (vec)->n = (vec)->cap = 0; } while (0)

struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_putc(struct strbuf *sb, char c);
void sb_fill(struct strbuf *sb, char c, size_t n);
void sb_append(struct strbuf *sb, const char *s);
void sb_appendn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
const char *sb_str(struct strbuf *sb);   /* never NULL */

/* Edit distance, for "did you mean" suggestions. */
int edit_distance(const char *a, const char *b);
/* NAME's value in env ("NAME=VALUE" strings, as environ), or NULL. */
const char *env_lookup(const char *const *env, const char *name);

/* Reads a whole file; NULL and errno set on failure. */
char *read_file(const char *path, size_t *len);

#endif
