/* Disassembly of a compiled BPF object, for -d bytecode. */
#ifndef TRAWK_BPF_DISASM_H
#define TRAWK_BPF_DISASM_H

#include "../common/util.h"

/* Appends every program section's instructions; -1 if obj is not an ELF
 * object LLVM can disassemble. */
int bpf_disassemble(const void *obj, size_t len, struct strbuf *out);

#endif
