/* Shared by the codegen files only. */
#ifndef TRAWK_CODEGEN_INTERNAL_H
#define TRAWK_CODEGEN_INTERNAL_H

#include "codegen.h"
#include "../bpf/module.h"
#include "../probes/probe.h"
#include "../stdlib/stdlib.h"

struct loop {
	struct loop *up;
	LLVMBasicBlockRef brk, cont;
};

struct cg {
	struct bpf_module *m;
	LLVMBuilderRef b;
	struct plan *plan;
	struct arena *a;
	struct diag *d;
	LLVMValueRef *maps;        /* by map_def id */
	LLVMValueRef ringbuf, lost, start_time, setup;
	LLVMValueRef zeroes;       /* one zeroed value, to start new time series from */
	LLVMValueRef usdt_specs;   /* libbpf's USDT maps, when the script has USDT probes */
	/* The program being built. */
	struct bpf_fn *f;
	struct probe_block *pb;
	const struct probe_point *pt;
	LLVMValueRef *vars;        /* storage by sym index */
	size_t nvars;
	/* A program with a for loop over a map keeps its variables in the
	 * scratch area, where the loop's callback can reach them too. */
	bool vars_in_scratch;
	uint32_t *var_off;         /* by sym index, +1 (0: not placed yet) */
	struct bpf_fn *root;       /* the program function */
	LLVMValueRef len_cb;       /* the callback of len(@m) */
	int serial;
	struct loop *loop;
	/* In a loop body's callback: the frame its caller passed (see stmt.c);
	 * NULL in the program function. */
	LLVMValueRef frame;
	/* The rebuilt record of args used whole, and its function. */
	LLVMValueRef args_rec;
	struct bpf_fn *args_rec_fn;
	/* A construct was met that codegen has no code for (cg_unsupported). */
	bool failed;
};

/* Values: integers, bools, pointers and other scalars are i64; a C struct
 * is the i64 address of its bytes (kernel, user or our own memory, after
 * its type's address space); everything else is a pointer to
 * `type->size` bytes of our memory. */
static inline bool cg_in_memory(const struct type *t)
{
	return t->kind != TY_STRUCT && type_is_aggregate_value(t);
}

/* Where memory of unknown origin lives: the probed process for user
 * probes, the kernel otherwise. */
static inline enum addrspace cg_as(const struct cg *g, enum addrspace as)
{
	if (as != AS_NONE)
		return as;
	return g->pt && g->pt->prov->user ? AS_USER : AS_KERNEL;
}

/* codegen.c */
/* A construct sema accepted but codegen has no code for: trawk's own bug,
 * reported at loc as an internal error that fails the compile. */
void cg_internal(struct cg *g, const struct loc *loc, const char *what);
/* The same for node n; the value returned (of n's type) only keeps the IR
 * well-formed until the compile fails. */
LLVMValueRef cg_unsupported(struct cg *g, const struct node *n, const char *what);

/* What ++/-- of node n (an N_INCDEC) adds: 1, or a pointer's pointee
 * size (sema's optype). */
static inline uint64_t cg_incdec_step(const struct node *n)
{
	const struct type *p = n->optype;
	return p && p->kind == TY_PTR && p->elem->size ? p->elem->size : 1;
}

/* expr.c */
LLVMValueRef cg_expr(struct cg *g, struct node *n);
/* An i1 for a condition. */
LLVMValueRef cg_cond(struct cg *g, struct node *n);

/* The storage of a variable, from the function being built. */
LLVMValueRef cg_var_ptr(struct cg *g, struct sym *sym);
/* Places every variable of a program with map loops in scratch memory. */
void cg_place_vars(struct cg *g, struct node *body);

/* context.c: arg0..argN, retval, func, reg() */
LLVMValueRef cg_context_builtin(struct cg *g, struct node *n);
/* args as a whole value (node n): the record of the point's fields, rebuilt
 * from the context; args.f, field f read as type want. */
LLVMValueRef cg_args(struct cg *g, struct node *n);
LLVMValueRef cg_args_field(struct cg *g, const struct field *f, const struct type *want);
/* Syscall tracepoints on raw sys_enter/sys_exit (CTX_SYSCALL): the
 * syscall's number, one field of the event's record. */
LLVMValueRef cg_syscall_nr(struct cg *g, bool is_exit);
LLVMValueRef cg_syscall_field(struct cg *g, const struct field *f);
/* dispatch.c: the programs on sys_enter and sys_exit.  A point that is
 * the only one of its syscall, in a function of its own, is served by a
 * program of its own named after its event, which begins by skipping
 * 32-bit syscalls; the others are functions the program of their syscall
 * calls. */
bool cg_syscall_direct(struct cg *g, const struct probe_point *pt);
void cg_syscall_skip_compat(struct cg *g);
void cg_syscall_dispatchers(struct cg *g);

/* stmt.c */
void cg_block(struct cg *g, struct node *block);
void cg_stmt(struct cg *g, struct node *n);
/* Returns from the program and continues in a fresh unreachable block. */
void cg_return(struct cg *g);

/* values.c */
/* Truncates and re-extends v (i64) to the width and sign of t. */
LLVMValueRef cg_norm(struct cg *g, LLVMValueRef v, const struct type *t);
/* Writes value v of type from into memory at dst laid out as type to. */
void cg_store(struct cg *g, LLVMValueRef dst, const struct type *to, LLVMValueRef v, const struct type *from);
/* Reads a value of type t at p (a load for scalars, p itself otherwise). */
LLVMValueRef cg_load(struct cg *g, LLVMValueRef p, const struct type *t);
/* A fresh temporary holding v converted to t. */
LLVMValueRef cg_materialize(struct cg *g, LLVMValueRef v, const struct type *from, const struct type *to);
/* i1: do the strings at a and b (sizes from their types) compare equal? */
LLVMValueRef cg_streq(struct cg *g, LLVMValueRef a, const struct type *ta, LLVMValueRef b, const struct type *tb);
/* i1: are two values of type t (or tuples) equal? */
LLVMValueRef cg_equal(struct cg *g, LLVMValueRef a, const struct type *ta, LLVMValueRef b, const struct type *tb);
LLVMValueRef cg_string_literal(struct cg *g, const char *s, size_t len, uint32_t size);
LLVMValueRef cg_bool(struct cg *g, LLVMValueRef i1);
/* Reads size bytes at an address in the given address space into dst. */
LLVMValueRef cg_probe_read(struct cg *g, LLVMValueRef dst, uint32_t size, LLVMValueRef addr, enum addrspace as);
LLVMValueRef cg_probe_read_str(struct cg *g, LLVMValueRef dst, uint32_t size, LLVMValueRef addr, enum addrspace as);
/* The 8 bytes at addr, 0 when they cannot be read. */
LLVMValueRef cg_read_u64(struct cg *g, LLVMValueRef addr, enum addrspace as);
/* A string of at most size bytes read from addr; a longer one is cut and
 * left without its NUL, so it prints with the truncation trailer. */
LLVMValueRef cg_read_string(struct cg *g, uint32_t size, LLVMValueRef addr, enum addrspace as);

/* maps.c */
/* Slot 0 of a one-slot array map, or null. */
LLVMValueRef cg_array_slot0(struct cg *g, LLVMValueRef map);
LLVMValueRef cg_map_key(struct cg *g, struct map_def *m, nodelist *keys);
LLVMValueRef cg_map_read(struct cg *g, struct node *n);
/* &@m[k]: the address of the value, 0 when there is none. */
LLVMValueRef cg_map_addr(struct cg *g, struct node *n);
void cg_map_assign(struct cg *g, struct node *assign);
LLVMValueRef cg_map_incdec(struct cg *g, struct node *n);
LLVMValueRef cg_map_call(struct cg *g, struct node *call);

/* records.c */
/* Sends action act's record; vals[i] are the payload fields (types from
 * the action's args tuple, converted from types[i]). */
void cg_record(struct cg *g, const struct action_def *act, LLVMValueRef *vals, const struct type **types);
LLVMValueRef cg_async_call(struct cg *g, struct node *call);

#endif
