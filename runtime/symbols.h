/* Turning addresses into names: kernel addresses through /proc/kallsyms,
 * user addresses of a process through elfutils' libdwfl (its mappings,
 * ELF symbol tables and debug info).  Both are loaded lazily, on the first
 * address to print, so scripts that print none pay nothing. */
#ifndef TRAWK_RUNTIME_SYMBOLS_H
#define TRAWK_RUNTIME_SYMBOLS_H

#include "format.h"

struct symbols;

struct symbols *symbols_new(void);
void symbols_free(struct symbols *s);

/* Appends "name" or "name+off" (decimal offset); false when unknown. */
bool symbols_kernel(struct symbols *s, uint64_t addr, bool with_offset, struct strbuf *out);
bool symbols_user(struct symbols *s, int pid, uint64_t addr, bool with_offset, struct strbuf *out);

/* The format_ctx hook: symbols, stacks, and other values that need the
 * system (user names) to print.  arg is a struct symbols. */
bool symbols_format(void *arg, struct strbuf *sb, const struct type *t, const void *data,
		    enum output_format f);

/* The format_ctx enum_name hook: a kernel enum's enumerator, through BTF. */
const char *symbols_enum_name(const struct type *t, int64_t value);

#endif
