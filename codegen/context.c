/* Builtins read from the program's context: arg0..argN, retval, func,
 * reg("name"), args of probes whose context is an argument array, and
 * the records of syscall tracepoints served from raw sys_enter/sys_exit. */
#include "internal.h"

#include "../bpf/arch.h"

#include <string.h>

static LLVMValueRef i64c(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->m->i64, v, 0);
}

static LLVMValueRef ctx_u64(struct cg *g, uint32_t off)
{
	return bpffn_load_int(g->f, bpffn_offset(g->f, g->f->ctx, off), 8, false);
}

/* An argument the calling convention puts on the stack, off above sp. */
static LLVMValueRef stack_arg(struct cg *g, uint32_t off)
{
	LLVMValueRef addr = LLVMBuildAdd(g->b, ctx_u64(g, arch.sp), i64c(g, off), "");
	return cg_read_u64(g, addr, g->pt->prov->user ? AS_USER : AS_KERNEL);
}

/* A syscall event's record: __syscall_nr at 8, then u64 slots from 16,
 * the arguments (sys_enter) or ret (sys_exit). */
#define SYSCALL_ARGS_OFFSET 16

LLVMValueRef cg_syscall_nr(struct cg *g, bool is_exit)
{
	if (!is_exit)
		return ctx_u64(g, 8);
	return cg_read_u64(g, LLVMBuildAdd(g->b, ctx_u64(g, 0), i64c(g, arch.syscall_nr), ""), AS_KERNEL);
}

/* The record's field at off, as a u64. */
static LLVMValueRef syscall_slot(struct cg *g, uint32_t off)
{
	bool is_exit = syscall_point_is_exit(g->pt);
	if (off < SYSCALL_ARGS_OFFSET)
		return cg_syscall_nr(g, is_exit);
	if (is_exit)
		return ctx_u64(g, 8);
	uint32_t i = (off - SYSCALL_ARGS_OFFSET) / 8;
	if (i >= ARRAY_SIZE(arch.syscall_args)) {
		cg_internal(g, &g->pt->loc, "a syscall record field past the sixth argument");
		return i64c(g, 0);
	}
	return cg_read_u64(g, LLVMBuildAdd(g->b, ctx_u64(g, 0), i64c(g, arch.syscall_args[i]), ""), AS_KERNEL);
}

LLVMValueRef cg_syscall_field(struct cg *g, const struct field *f)
{
	return cg_norm(g, syscall_slot(g, f->offset), f->type);
}

/* A field of args as a value of type want: read from the tracepoint's
 * record at ctx (a __data_loc string from where its locator says), from
 * the syscall's registers, or from the context's u64 slots. */
LLVMValueRef cg_args_field(struct cg *g, const struct field *f, const struct type *want)
{
	if (g->pt->prov->ctx == CTX_SYSCALL)
		return cg_norm(g, cg_syscall_field(g, f), want);
	LLVMValueRef p = bpffn_offset(g->f, g->f->ctx, f->offset);
	if (f->data_loc) {
		LLVMValueRef loc = bpffn_load_int(g->f, p, 4, false);
		LLVMValueRef off = LLVMBuildAnd(g->b, loc, i64c(g, 0xffff), "");
		LLVMValueRef src = bpffn_offset_dyn(g->f, g->f->ctx, off);
		return cg_read_string(g, want->size, src, AS_KERNEL);
	}
	if (g->pt->prov->ctx == CTX_ARGS && !cg_in_memory(f->type) && f->type->kind != TY_STRUCT)
		return cg_norm(g, bpffn_load_int(g->f, p, 8, false), want);   /* u64 slots, read whole */
	if (f->type->kind == TY_STRUCT)
		return LLVMBuildPtrToInt(g->b, p, g->m->i64, "");   /* a struct passed by value */
	if (!cg_in_memory(f->type))
		return cg_norm(g, cg_load(g, p, f->type), want);
	LLVMValueRef tmp = bpffn_temp(g->f, want->size);
	if (want->size > f->type->size)
		bpffn_memset0(g->f, tmp, want->size, 8);
	cg_probe_read(g, tmp, f->type->size < want->size ? f->type->size : want->size, p, AS_KERNEL);
	if (want->kind == TY_STRING && f->type->size >= want->size)
		LLVMBuildStore(g->b, LLVMConstInt(g->m->i8, 0, 0), bpffn_offset(g->f, tmp, want->size - 1));
	return tmp;
}

/* args as a whole: the record t of the point's fields (sema's args_value,
 * in the order of the point's args), rebuilt from the context in storage
 * that lives as long as the function, one per function.  Arguments in u64
 * slots are copied as they are. */
static LLVMValueRef args_record(struct cg *g, const struct type *t)
{
	const struct type *src = g->pt->args;
	uint32_t size = ALIGN_UP(t->size, 8);
	if (g->args_rec_fn != g->f) {
		LLVMBasicBlockRef here = LLVMGetInsertBlock(g->b);
		LLVMMetadataRef loc = LLVMGetCurrentDebugLocation2(g->b);
		LLVMPositionBuilderAtEnd(g->b, g->f->entry);
		g->args_rec = bpffn_temp(g->f, size);
		LLVMPositionBuilderAtEnd(g->b, here);
		LLVMSetCurrentDebugLocation2(g->b, loc);
		g->args_rec_fn = g->f;
	}
	if (g->pt->prov->ctx == CTX_ARGS && type_equal(src, t)) {
		for (uint32_t off = 0; off < size; off += 8)
			bpffn_store_int(g->f, bpffn_offset(g->f, g->args_rec, off), ctx_u64(g, off), 8);
		return g->args_rec;
	}
	bpffn_memset0(g->f, g->args_rec, size, 8);
	for (uint32_t i = 0; i < t->nfields && i < src->nfields; i++) {
		const struct field *to = &t->fields[i];
		LLVMValueRef v = cg_args_field(g, &src->fields[i], to->type);
		cg_store(g, bpffn_offset(g->f, g->args_rec, to->offset), to->type, v, to->type);
	}
	return g->args_rec;
}

LLVMValueRef cg_args(struct cg *g, struct node *n)
{
	enum ctx_kind ctx = g->pt->prov->ctx;
	if (n->type->kind != TY_RECORD || !g->pt->args || (ctx != CTX_TRACEPOINT && ctx != CTX_SYSCALL && ctx != CTX_ARGS))
		return cg_unsupported(g, n, "args as a whole value in this probe");
	return args_record(g, n->type);
}

/* A USDT argument, decoded from the spec libbpf stored for this attach
 * point (its id is the attach cookie): a constant, a register, or memory
 * at a register plus an offset, then narrowed and sign-extended. */
static LLVMValueRef usdt_arg(struct cg *g, struct node *n, unsigned index)
{
	struct bpf_fn *f = g->f;
	LLVMBuilderRef b = g->b;
	if (index >= USDT_MAX_ARGS)   /* sema's USDT_MAX_ARGS check */
		return cg_unsupported(g, n, "a USDT argument past the last libbpf reads");
	LLVMValueRef cargs[1] = { f->ctx };
	LLVMValueRef cookie = bpffn_helper(f, BPF_FUNC_get_attach_cookie, g->m->i64, cargs, 1);
	LLVMValueRef key = bpffn_alloca(f, g->m->i32);
	LLVMBuildStore(b, LLVMBuildTrunc(b, cookie, g->m->i32, ""), key);
	LLVMValueRef largs[2] = { g->usdt_specs, key };
	LLVMValueRef spec = bpffn_helper(f, BPF_FUNC_map_lookup_elem, g->m->ptr, largs, 2);
	LLVMValueRef result = bpffn_alloca(f, g->m->i64);
	LLVMBuildStore(b, i64c(g, 0), result);
	LLVMBasicBlockRef have = bpffn_block(f, "usdt.spec");
	LLVMBasicBlockRef deref = bpffn_block(f, "usdt.deref");
	LLVMBasicBlockRef store = bpffn_block(f, "usdt.value");
	LLVMBasicBlockRef done = bpffn_block(f, "usdt.done");
	LLVMValueRef count = bpffn_load_int(f, bpffn_offset(f, spec, USDT_ARG_COUNT_OFFSET), 2, true);
	LLVMBuildCondBr(b, LLVMBuildIsNull(b, spec, ""), done, have);

	LLVMPositionBuilderAtEnd(b, have);
	count = bpffn_load_int(f, bpffn_offset(f, spec, USDT_ARG_COUNT_OFFSET), 2, true);
	LLVMValueRef a = bpffn_offset(f, spec, USDT_ARG_SPEC_SIZE * index);
	LLVMValueRef val_off = bpffn_load_int(f, a, 8, false);
	LLVMValueRef type = bpffn_load_int(f, bpffn_offset(f, a, 8), 4, false);
	LLVMValueRef reg_off = bpffn_load_int(f, bpffn_offset(f, a, 12), 2, true);
	LLVMValueRef regaddr = LLVMBuildAdd(b, LLVMBuildPtrToInt(b, f->ctx, g->m->i64, ""), reg_off, "");
	LLVMValueRef reg = cg_read_u64(g, regaddr, AS_KERNEL);
	LLVMValueRef is_const = LLVMBuildICmp(b, LLVMIntEQ, type, i64c(g, 0), "");
	LLVMBuildStore(b, LLVMBuildSelect(b, is_const, val_off, reg, ""), result);
	LLVMValueRef in_range = LLVMBuildICmp(b, LLVMIntSLT, i64c(g, index), count, "");
	LLVMValueRef is_deref = LLVMBuildICmp(b, LLVMIntEQ, type, i64c(g, 2), "");
	LLVMBasicBlockRef check_deref = bpffn_block(f, "usdt.kind");
	LLVMBuildCondBr(b, in_range, check_deref, done);
	LLVMPositionBuilderAtEnd(b, check_deref);
	LLVMBuildCondBr(b, is_deref, deref, store);

	LLVMPositionBuilderAtEnd(b, deref);
	LLVMBuildStore(b, cg_read_u64(g, LLVMBuildAdd(b, reg, val_off, ""), AS_USER), result);
	LLVMBuildBr(b, store);

	LLVMPositionBuilderAtEnd(b, store);
	LLVMValueRef v = LLVMBuildLoad2(b, g->m->i64, result, "");
	LLVMValueRef is_signed = bpffn_load_int(f, bpffn_offset(f, a, 14), 1, false);
	LLVMValueRef shift = bpffn_load_int(f, bpffn_offset(f, a, 15), 1, false);
	LLVMValueRef up = LLVMBuildShl(b, v, shift, "");
	LLVMValueRef sv = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntNE, is_signed, i64c(g, 0), ""),
					  LLVMBuildAShr(b, up, shift, ""), LLVMBuildLShr(b, up, shift, ""), "");
	LLVMBuildStore(b, sv, result);
	LLVMBuildBr(b, done);

	LLVMPositionBuilderAtEnd(b, done);
	return LLVMBuildLoad2(b, g->m->i64, result, "");
}

static LLVMValueRef arg_n(struct cg *g, struct node *n, unsigned index)
{
	if (g->pt->prov->caps & CAP_USDT)
		return usdt_arg(g, n, index);
	if (g->pt->prov->ctx == CTX_ARGS)
		return ctx_u64(g, 8 * index);
	uint32_t off;
	return arch_func_arg(index, &off) ? ctx_u64(g, off) : stack_arg(g, off);
}

static LLVMValueRef retval(struct cg *g, struct node *n)
{
	if (g->pt->prov->ctx != CTX_ARGS)
		return ctx_u64(g, arch.ret);
	if (!g->pt->args)   /* sema counts the arguments retval follows */
		return cg_unsupported(g, n, "retval without the function's arguments counted");
	return cg_norm(g, ctx_u64(g, g->pt->args->size), n->type);
}

static LLVMValueRef func(struct cg *g, const struct type *t)
{
	if (t->kind == TY_STRING)   /* user probes: the point's function, by name */
		return cg_string_literal(g, g->pt->func ? g->pt->func : "", g->pt->func ? strlen(g->pt->func) : 0, t->size);
	LLVMValueRef args[1] = { g->f->ctx };
	LLVMValueRef ip = bpffn_helper(g->f, BPF_FUNC_get_func_ip, g->m->i64, args, 1);
	if (t->kind != TY_USYM)
		return ip;
	LLVMValueRef buf = bpffn_temp(g->f, 16);
	bpffn_store_int(g->f, buf, ip, 8);
	LLVMValueRef tgid = LLVMBuildLShr(g->b, bpffn_helper(g->f, BPF_FUNC_get_current_pid_tgid, g->m->i64, NULL, 0),
					  i64c(g, 32), "");
	bpffn_store_int(g->f, bpffn_offset(g->f, buf, 8), tgid, 8);
	return buf;
}

/* A fixed address, or for a PIE or library the one the probed
 * instruction's address (ip) shows it loaded at. */
static LLVMValueRef uaddr(struct cg *g, struct node *n)
{
	struct elf_uaddr u;
	if (elf_symbol_address(g->pt->target, n->list.v[0]->name, uprobe_file_offset(g->pt), &u))
		return cg_unsupported(g, n, "uaddr of a symbol that went missing");
	if (!u.pie)
		return i64c(g, u.sym_vaddr);
	LLVMValueRef ip = ctx_u64(g, arch.ip);
	return LLVMBuildAdd(g->b, ip, i64c(g, u.sym_vaddr - u.probe_vaddr), "");
}

LLVMValueRef cg_context_builtin(struct cg *g, struct node *n)
{
	switch (n->fn->id) {
	case BI_ARGN: return arg_n(g, n, (unsigned)n->len);
	case BI_RETVAL: return retval(g, n);
	case BI_FUNC: return func(g, n->type);
	case BI_REG: return ctx_u64(g, (uint32_t)arch_reg_offset(n->list.v[0]->name));
	case BI_UADDR: return uaddr(g, n);
	default: return cg_unsupported(g, n, n->fn->name);
	}
}
