/* Walking an ELF file's symbol tables, shared by the files that read
 * symbols (functions for uprobes, any symbol for uaddr). */
#ifndef TRAWK_PROBES_ELFITER_H
#define TRAWK_PROBES_ELFITER_H

#include <gelf.h>
#include <stdbool.h>

/* Called for each defined, named, non-zero symbol of .symtab and .dynsym;
 * returning true stops the walk. */
typedef bool (*elf_sym_fn)(Elf *elf, const GElf_Sym *sym, const char *name, void *arg);
/* True when fn stopped the walk. */
bool elf_each_symbol(Elf *elf, elf_sym_fn fn, void *arg);

#endif
