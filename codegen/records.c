/* Records sent to user space on the ring buffer: printf, print, exit, ... */
#include "internal.h"

static LLVMValueRef i64c(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->m->i64, v, 0);
}

/* A record the ring buffer could not take is counted, never dropped
 * silently: user space reports the count. */
static void count_lost(struct cg *g)
{
	LLVMValueRef p = cg_array_slot0(g, g->lost);
	LLVMBasicBlockRef have = bpffn_block(g->f, "lost.have");
	LLVMBasicBlockRef done = bpffn_block(g->f, "lost.done");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), done, have);
	LLVMPositionBuilderAtEnd(g->b, have);
	/* One counter for all CPUs: only losses pay for the atomic add. */
	LLVMBuildAtomicRMW(g->b, LLVMAtomicRMWBinOpAdd, p, i64c(g, 1), LLVMAtomicOrderingMonotonic, 0);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
}

static void output_record(struct cg *g, LLVMValueRef buf, uint32_t size);

void cg_record(struct cg *g, const struct action_def *act, LLVMValueRef *vals, const struct type **types)
{
	uint32_t size = RECORD_PAYLOAD_OFFSET + (act->args ? act->args->size : 0);
	LLVMValueRef buf = bpffn_temp(g->f, size);
	bpffn_store_int(g->f, buf, i64c(g, (uint64_t)act->id), 8);
	if (act->args) {
		LLVMValueRef payload = bpffn_offset(g->f, buf, RECORD_PAYLOAD_OFFSET);
		bpffn_memset0(g->f, payload, ALIGN_UP(act->args->size, 8), 8);
		for (uint32_t i = 0; i < act->args->nfields; i++) {
			const struct field *f = &act->args->fields[i];
			cg_store(g, bpffn_offset(g->f, payload, f->offset), f->type, vals[i], types[i]);
		}
	}
	output_record(g, buf, size);
}

static void output_record(struct cg *g, LLVMValueRef buf, uint32_t size)
{
	LLVMValueRef args[4] = { g->ringbuf, buf, i64c(g, size), i64c(g, 0) };
	LLVMValueRef rc = bpffn_helper(g->f, BPF_FUNC_ringbuf_output, g->m->i64, args, 4);
	LLVMBasicBlockRef lost = bpffn_block(g->f, "rb.lost");
	LLVMBasicBlockRef done = bpffn_block(g->f, "rb.done");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntNE, rc, i64c(g, 0), ""), lost, done);
	LLVMPositionBuilderAtEnd(g->b, lost);
	count_lost(g);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
}

/* join(argv): up to JOIN_MAX_ARGS user strings, stopping at a NULL. */
static void join(struct cg *g, struct node *call, const struct action_def *act)
{
	struct bpf_module *m = g->m;
	uint32_t size = RECORD_PAYLOAD_OFFSET + act->args->size;
	LLVMValueRef buf = bpffn_temp(g->f, size);
	bpffn_memset0(g->f, buf, ALIGN_UP(size, 8), 8);
	bpffn_store_int(g->f, buf, i64c(g, (uint64_t)act->id), 8);
	LLVMValueRef argv = cg_expr(g, call->list.v[0]);
	const struct type *at = call->list.v[0]->type;
	/* The pointers: an array already read into argv, or at the address
	 * argv; they and the strings are the process's unless typed kernel. */
	bool in_hand = at->kind == TY_ARRAY;
	const struct type *pt = in_hand ? at->elem : at;
	enum addrspace as = pt->kind == TY_PTR && pt->as == AS_KERNEL ? AS_KERNEL : AS_USER;
	uint32_t n = in_hand && at->count < JOIN_MAX_ARGS ? at->count : JOIN_MAX_ARGS;
	const struct field *cnt = &act->args->fields[0], *strs = &act->args->fields[1];
	LLVMValueRef slot = bpffn_temp(g->f, 8);
	LLVMBasicBlockRef done = bpffn_block(g->f, "join.done");
	for (uint32_t i = 0; i < n; i++) {
		LLVMValueRef ptr;
		if (in_hand) {
			ptr = bpffn_load_int(g->f, bpffn_offset(g->f, argv, 8 * i), 8, false);
		} else {
			bpffn_store_int(g->f, slot, i64c(g, 0), 8);
			cg_probe_read(g, slot, 8, LLVMBuildAdd(g->b, argv, i64c(g, 8ULL * i), ""), as);
			ptr = bpffn_load_int(g->f, slot, 8, false);
		}
		LLVMBasicBlockRef more = bpffn_block(g->f, "join.arg");
		LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, ptr, i64c(g, 0), ""), done, more);
		LLVMPositionBuilderAtEnd(g->b, more);
		uint32_t off = RECORD_PAYLOAD_OFFSET + strs->offset + i * JOIN_ARG_SIZE;
		cg_probe_read_str(g, bpffn_offset(g->f, buf, off), JOIN_ARG_SIZE, ptr, as);
		bpffn_store_int(g->f, bpffn_offset(g->f, buf, RECORD_PAYLOAD_OFFSET + cnt->offset), i64c(g, i + 1), 8);
	}
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
	output_record(g, buf, size);
	(void)m;
}

LLVMValueRef cg_async_call(struct cg *g, struct node *call)
{
	const struct action_def *act = g->plan->actions.v[call->id];
	if (call->fn->id == BI_JOIN) {
		join(g, call, act);
		return i64c(g, 0);
	}
	enum bi_id id = call->fn->id;
	size_t first = id == BI_PRINTF || id == BI_CAT || id == BI_SYSTEM || id == BI_ERRORF || id == BI_WARNF ? 1 : 0;
	LLVMValueRef vals[130];
	const struct type *types[130];
	size_t n = 0;
	if (act->args && call->fn->id != BI_EXIT) {
		for (size_t i = first; i < call->list.n && n < 130; i++, n++) {
			vals[n] = cg_expr(g, call->list.v[i]);
			types[n] = call->list.v[i]->type;
		}
	} else if (call->fn->id == BI_EXIT) {
		vals[0] = call->list.n ? cg_expr(g, call->list.v[0]) : i64c(g, 0);
		types[0] = call->list.n ? call->list.v[0]->type : type_s64();
	}
	cg_record(g, act, vals, types);
	if (call->fn->id == BI_EXIT)
		cg_return(g);
	return i64c(g, 0);
}
