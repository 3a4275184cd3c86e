/* Kernel symbol addresses by name, from /proc/kallsyms, for kaddr().
 * Reading the file takes a few hundred milliseconds on a large kernel, so
 * it is read once per process and kept, sorted by name. */
#ifndef TRAWK_TYPES_KALLSYMS_H
#define TRAWK_TYPES_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The address of the first symbol called name (any kind); false when
 * there is none, the file cannot be read, or every address reads 0 (not
 * root: kptr_restrict). */
bool kallsyms_addr(const char *name, uint64_t *addr);

/* How many variables the table lists: a few dozen on kernels built
 * without CONFIG_KALLSYMS_ALL. */
size_t kallsyms_data_symbols(void);

/* Forgets the table (the next lookup reads the file again). */
void kallsyms_free(void);

#endif
