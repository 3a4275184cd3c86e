/* The BPF toolkit: an LLVM module targeting BPF, with BTF-defined maps,
 * program functions carrying debug info (so the kernel gets line info),
 * helper calls, temporaries on the stack or in a per-CPU scratch area, and
 * emission of the ELF object to memory.  It knows nothing of the AST. */
#ifndef TRAWK_BPF_MODULE_H
#define TRAWK_BPF_MODULE_H

#include <linux/bpf.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/TargetMachine.h>

#include "../common/util.h"

struct bpf_module {
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMDIBuilderRef di;
	LLVMMetadataRef di_cu, di_file, di_int, di_fn_type;
	LLVMTargetMachineRef tm;
	LLVMTypeRef i1, i8, i16, i32, i64, ptr, void_t;
	LLVMValueRef scratch_map;   /* per-CPU scratch areas, sized at finish */
	uint32_t scratch_size;      /* the most temporaries any function needed */
	uint32_t vars_size;         /* the most long-lived storage any program needed */
	unsigned dbg_kind;
	struct strbuf err;
};

/* A stack slot that temporaries of later statements may reuse. */
struct temp_slot {
	LLVMValueRef a;
	uint32_t size;
	uint64_t seq;               /* when it was last handed out */
	bool live;
};

struct bpf_fn {
	struct bpf_module *m;
	LLVMValueRef fn;
	LLVMValueRef ctx;           /* the program's context argument */
	LLVMBasicBlockRef first;    /* allocas, scratch lookups and their NULL checks */
	LLVMBasicBlockRef entry;    /* runs once, before the body: zero-fills storage */
	LLVMBasicBlockRef body;
	LLVMMetadataRef sp;
	LLVMValueRef scratch;       /* this CPU's area for temporaries, or NULL */
	LLVMValueRef vars;          /* this CPU's area for long-lived storage, or NULL */
	uint32_t scratch_used;      /* temporaries now live in the scratch area */
	uint32_t scratch_high;      /* the most that were ever live */
	uint32_t vars_used;         /* long-lived storage (the program function's count) */
	uint32_t stack_used;        /* bytes of distinct stack slots */
	uint32_t stack_limit;       /* temps above on_stack_limit, or past this, go to scratch */
	uint32_t on_stack_limit;
	struct temp_slot *slots;    /* reusable stack slots */
	size_t nslots, slots_cap;
	uint64_t seq;
	LLVMTypeRef ret_t;
	struct bpf_fn *parent;      /* a callback's caller */
	struct bpf_fn *root;        /* the program function (itself for it) */
	LLVMBasicBlockRef resume;   /* where the caller's code continues */
	LLVMMetadataRef resume_loc;
};

/* Where temporaries stood: what bpffn_temp handed out after it can be
 * handed out again once bpffn_release goes back to it. */
struct bpffn_mark {
	uint64_t seq;
	uint32_t scratch_used;
};

/* source_name names the script in debug info (and so in verifier logs);
 * is_file: it is a file whose lines LLVM may read. */
struct bpf_module *bpfmod_new(const char *source_name, bool is_file);
void bpfmod_free(struct bpf_module *m);

/* Defines a BTF map "name" in .maps; returns the global to pass to helpers. */
LLVMValueRef bpfmod_map(struct bpf_module *m, const char *name, enum bpf_map_type type,
			uint32_t key_size, uint32_t value_size, uint32_t max_entries);
/* The same with map_flags (BPF_F_MMAPABLE, ...). */
LLVMValueRef bpfmod_map_flags(struct bpf_module *m, const char *name, enum bpf_map_type type,
			      uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t flags);

/* A read-only table of n strings, each padded to width bytes, in .rodata
 * (created once per name). */
LLVMValueRef bpfmod_string_table(struct bpf_module *m, const char *name, const char *const *strs,
				 size_t n, uint32_t width);

/* Finishes debug info, adds the license, verifies, optimises (O2 with the
 * BPF passes) and emits the object.  *obj is malloc'd.  On failure returns
 * -1 with the reason in m->err. */
int bpfmod_emit(struct bpf_module *m, const char *license, void **obj, size_t *len);
/* The LLVM IR as text, for -d codegen. */
char *bpfmod_ir(struct bpf_module *m);

/* Starts a program function in ELF section `section`, at script line `line`. */
struct bpf_fn *bpffn_begin(struct bpf_module *m, const char *name, const char *section,
			   int line, uint32_t on_stack_limit);
/* A static function with a program's shape, int name(ctx), that programs
 * call (a BPF subprogram, verified as part of each caller). */
struct bpf_fn *bpffn_begin_sub(struct bpf_module *m, const char *name, int line, uint32_t on_stack_limit);
/* A static function the program passes to a helper as a callback
 * (bpf_for_each_map_elem, bpf_loop): long name(params...), all of them
 * pointers (at most 4).  Its temporaries in the scratch area start past the
 * caller's live ones. */
struct bpf_fn *bpffn_begin_callback(struct bpf_fn *parent, const char *name, int line,
				    const char *const *params, unsigned nparams);
/* Seals the first and entry blocks; the body must already end in a
 * return.  After a callback, the builder is back in the caller where it
 * left off. */
void bpffn_end(struct bpf_fn *f);

/* Attaches a script position to the instructions built from now on. */
void bpffn_set_loc(struct bpf_fn *f, int line, int col);

/* A temporary of `size` bytes, 8-byte aligned: on the stack when small,
 * otherwise in the per-CPU scratch area.  It lives until the innermost
 * bpffn_release whose mark is older; one asked for while the builder is in
 * f->entry (storage zeroed there) lives as long as the function. */
LLVMValueRef bpffn_temp(struct bpf_fn *f, uint32_t size);
/* A stack slot for an LLVM type, always on the stack (bpf_loop wants its
 * context there), budget or not: for small things; lifetime as above. */
LLVMValueRef bpffn_alloca(struct bpf_fn *f, LLVMTypeRef t);
struct bpffn_mark bpffn_mark(struct bpf_fn *f);
/* Every temporary handed out since mark is dead: reuse its memory. */
void bpffn_release(struct bpf_fn *f, struct bpffn_mark mark);
/* Long-lived space in the per-CPU scratch area: its offset, and a pointer
 * to it from any function of the same program (callbacks included). */
uint32_t bpffn_scratch_reserve(struct bpf_fn *f, uint32_t size);
LLVMValueRef bpffn_scratch_ptr(struct bpf_fn *f, uint32_t off);

/* Calls BPF helper `id`; the parameter types are those of the arguments. */
LLVMValueRef bpffn_helper(struct bpf_fn *f, enum bpf_func_id id, LLVMTypeRef ret,
			  LLVMValueRef *args, unsigned n);

/* align: what both pointers are known to be aligned to (temps and map
 * values are 8-aligned). */
void bpffn_memset0(struct bpf_fn *f, LLVMValueRef dst, uint32_t size, unsigned align);
void bpffn_memcpy(struct bpf_fn *f, LLVMValueRef dst, LLVMValueRef src, uint32_t size, unsigned align);

/* ptr + off, as an i8 GEP. */
LLVMValueRef bpffn_offset(struct bpf_fn *f, LLVMValueRef ptr, uint32_t off);
LLVMValueRef bpffn_offset_dyn(struct bpf_fn *f, LLVMValueRef ptr, LLVMValueRef off);
/* Loads/stores an integer of `size` bytes, widened to/narrowed from i64. */
LLVMValueRef bpffn_load_int(struct bpf_fn *f, LLVMValueRef ptr, unsigned size, bool is_signed);
void bpffn_store_int(struct bpf_fn *f, LLVMValueRef ptr, LLVMValueRef v64, unsigned size);

LLVMValueRef bpffn_i64(struct bpf_fn *f, uint64_t v);
LLVMValueRef bpffn_i32(struct bpf_fn *f, uint32_t v);
LLVMBasicBlockRef bpffn_block(struct bpf_fn *f, const char *name);

#endif
