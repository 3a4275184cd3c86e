/* The walk from the typed tree to LLVM IR, one BPF program per probe block
 * (or per attach point when the body depends on it), then to an ELF object. */
#ifndef TRAWK_CODEGEN_CODEGEN_H
#define TRAWK_CODEGEN_CODEGEN_H

#include "../bpf/plan.h"
#include "../parser/ast.h"

struct codegen_out {
	void *obj;          /* the ELF object, malloc'd */
	size_t obj_len;
	char *ir;           /* LLVM IR before optimisation, when asked for */
};

/* Returns 0, or -1 with the reason in d. */
int codegen_run(struct node *prog, struct plan *plan, struct arena *a, const char *source_name,
		bool source_is_file, bool want_ir, struct codegen_out *out, struct diag *d);

#endif
