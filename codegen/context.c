/* Builtins read from the program's context: arg0..argN, retval, func,
 * reg("name"), and args of probes whose context is an argument array. */
#include "internal.h"

#include <string.h>

static LLVMValueRef i64c(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->m->i64, v, 0);
}

static LLVMValueRef ctx_u64(struct cg *g, uint32_t off)
{
	return bpffn_load_int(g->f, bpffn_offset(g->f, g->f->ctx, off), 8, false);
}

/* x86_64 calling convention: di, si, dx, cx, r8, r9, then the stack. */
static const int arg_regs[] = { 112, 104, 96, 88, 72, 64 };
#define REG_SP 152
#define REG_AX 80

static LLVMValueRef stack_arg(struct cg *g, unsigned index)
{
	LLVMValueRef sp = ctx_u64(g, REG_SP);
	/* The return address is at sp; the seventh argument just above it. */
	LLVMValueRef addr = LLVMBuildAdd(g->b, sp, i64c(g, 8ULL * (index - 5)), "");
	LLVMValueRef tmp = bpffn_temp(g->f, 8);
	bpffn_store_int(g->f, tmp, i64c(g, 0), 8);
	cg_probe_read(g, tmp, 8, addr, g->pt->prov->user ? AS_USER : AS_KERNEL);
	return bpffn_load_int(g->f, tmp, 8, false);
}

static LLVMValueRef arg_n(struct cg *g, unsigned index)
{
	if (g->pt->prov->ctx == CTX_ARGS)
		return ctx_u64(g, 8 * index);
	if (index < ARRAY_SIZE(arg_regs))
		return ctx_u64(g, (uint32_t)arg_regs[index]);
	return stack_arg(g, index);
}

static LLVMValueRef retval(struct cg *g, const struct type *t)
{
	if (g->pt->prov->ctx == CTX_ARGS)
		return cg_norm(g, ctx_u64(g, g->pt->args ? g->pt->args->size : 0), t);
	return ctx_u64(g, REG_AX);
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

LLVMValueRef cg_context_builtin(struct cg *g, struct node *n)
{
	switch (n->fn->id) {
	case BI_ARGN: return arg_n(g, (unsigned)n->len);
	case BI_RETVAL: return retval(g, n->type);
	case BI_FUNC: return func(g, n->type);
	case BI_REG: return ctx_u64(g, (uint32_t)bi_reg_offset(n->list.v[0]->name));
	default: return i64c(g, 0);
	}
}
