/* Moving values between registers and memory, and comparing them. */
#include "internal.h"

#include <string.h>

LLVMValueRef cg_bool(struct cg *g, LLVMValueRef i1)
{
	return LLVMBuildZExt(g->b, i1, g->m->i64, "");
}

LLVMValueRef cg_norm(struct cg *g, LLVMValueRef v, const struct type *t)
{
	if (t->kind == TY_BOOL)
		return cg_bool(g, LLVMBuildICmp(g->b, LLVMIntNE, v, LLVMConstInt(g->m->i64, 0, 0), ""));
	if (t->kind != TY_INT || t->size >= 8)
		return v;
	LLVMTypeRef it = LLVMIntTypeInContext(g->m->ctx, t->size * 8);
	LLVMValueRef narrow = LLVMBuildTrunc(g->b, v, it, "");
	return t->is_signed ? LLVMBuildSExt(g->b, narrow, g->m->i64, "") : LLVMBuildZExt(g->b, narrow, g->m->i64, "");
}

LLVMValueRef cg_load(struct cg *g, LLVMValueRef p, const struct type *t)
{
	if (cg_in_memory(t))
		return p;
	if (t->kind == TY_STRUCT)
		return LLVMBuildPtrToInt(g->b, p, g->m->i64, "");
	unsigned size = t->size ? t->size : 8;
	return bpffn_load_int(g->f, p, size > 8 ? 8 : size, t->kind == TY_INT && t->is_signed);
}

static void store_string(struct cg *g, LLVMValueRef dst, const struct type *to, LLVMValueRef v, const struct type *from)
{
	if (from->size <= to->size) {
		bpffn_memcpy(g->f, dst, v, from->size, 8);
		if (to->size > from->size)
			bpffn_memset0(g->f, bpffn_offset(g->f, dst, from->size), to->size - from->size, 1);
		return;
	}
	/* Truncated: keep it NUL-terminated. */
	bpffn_memcpy(g->f, dst, v, to->size - 1, 8);
	LLVMBuildStore(g->b, LLVMConstInt(g->m->i8, 0, 0), bpffn_offset(g->f, dst, to->size - 1));
}

static void store_fields(struct cg *g, LLVMValueRef dst, const struct type *to, LLVMValueRef v, const struct type *from)
{
	bpffn_memset0(g->f, dst, to->size, 8);
	for (uint32_t i = 0; i < to->nfields && i < from->nfields; i++) {
		const struct field *tf = &to->fields[i], *ff = &from->fields[i];
		LLVMValueRef fv = cg_load(g, bpffn_offset(g->f, v, ff->offset), ff->type);
		cg_store(g, bpffn_offset(g->f, dst, tf->offset), tf->type, fv, ff->type);
	}
}

void cg_store(struct cg *g, LLVMValueRef dst, const struct type *to, LLVMValueRef v, const struct type *from)
{
	if (to->kind == TY_STRUCT) {
		/* v is the struct's address: copy its bytes. */
		cg_probe_read(g, dst, to->size < from->size ? to->size : from->size, v, cg_as(g, from->as));
		return;
	}
	if (!cg_in_memory(to)) {
		unsigned size = to->size ? to->size : 8;
		LLVMValueRef x = to->kind == TY_BOOL ? cg_norm(g, v, to) : v;
		bpffn_store_int(g->f, dst, x, size > 8 ? 8 : size);
		return;
	}
	if (to->kind == TY_STRING && from->kind == TY_STRING) {
		store_string(g, dst, to, v, from);
		return;
	}
	if ((to->kind == TY_TUPLE || to->kind == TY_RECORD) && !type_equal(to, from)) {
		store_fields(g, dst, to, v, from);
		return;
	}
	uint32_t size = to->size < from->size ? to->size : from->size;
	bpffn_memcpy(g->f, dst, v, size, 8);
	if (to->size > size)
		bpffn_memset0(g->f, bpffn_offset(g->f, dst, size), to->size - size, 1);
}

LLVMValueRef cg_materialize(struct cg *g, LLVMValueRef v, const struct type *from, const struct type *to)
{
	if (!cg_in_memory(to))
		return cg_norm(g, v, to);
	LLVMValueRef tmp = bpffn_temp(g->f, to->size);
	cg_store(g, tmp, to, v, from);
	return tmp;
}

LLVMValueRef cg_string_literal(struct cg *g, const char *s, size_t len, uint32_t size)
{
	/* Temporaries are rounded up to 8 bytes: fill them a word at a time. */
	LLVMValueRef tmp = bpffn_temp(g->f, size);
	for (uint32_t off = 0; off < size; off += 8) {
		uint64_t word = 0;
		for (uint32_t i = 0; i < 8 && off + i < len; i++)
			word |= (uint64_t)(unsigned char)s[off + i] << (8 * i);
		bpffn_store_int(g->f, bpffn_offset(g->f, tmp, off), LLVMConstInt(g->m->i64, word, 0), 8);
	}
	return tmp;
}

static LLVMValueRef load_byte(struct cg *g, LLVMValueRef base, LLVMValueRef i)
{
	LLVMValueRef p = bpffn_offset_dyn(g->f, base, i);
	return LLVMBuildLoad2(g->b, g->m->i8, p, "");
}

/* Equal up to and including the first NUL, within the shorter size; if the
 * shorter one has no NUL, the longer must end right there. */
LLVMValueRef cg_streq(struct cg *g, LLVMValueRef a, const struct type *ta, LLVMValueRef b, const struct type *tb)
{
	struct bpf_module *m = g->m;
	uint32_t n = ta->size < tb->size ? ta->size : tb->size;
	LLVMValueRef longer = ta->size > tb->size ? a : b;
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
	LLVMBasicBlockRef loop = bpffn_block(g->f, "streq.loop");
	LLVMBasicBlockRef nul = bpffn_block(g->f, "streq.nul");
	LLVMBasicBlockRef next = bpffn_block(g->f, "streq.next");
	LLVMBasicBlockRef tail = bpffn_block(g->f, "streq.tail");
	LLVMBasicBlockRef done = bpffn_block(g->f, "streq.done");
	LLVMBuildBr(g->b, loop);

	LLVMPositionBuilderAtEnd(g->b, loop);
	LLVMValueRef i = LLVMBuildPhi(g->b, m->i64, "i");
	LLVMValueRef ca = load_byte(g, a, i), cb = load_byte(g, b, i);
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntNE, ca, cb, ""), done, nul);

	LLVMPositionBuilderAtEnd(g->b, nul);
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, ca, LLVMConstInt(m->i8, 0, 0), ""), done, next);

	LLVMPositionBuilderAtEnd(g->b, next);
	LLVMValueRef i1 = LLVMBuildAdd(g->b, i, LLVMConstInt(m->i64, 1, 0), "");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntULT, i1, LLVMConstInt(m->i64, n, 0), ""), loop, tail);
	LLVMValueRef in_vals[2] = { LLVMConstInt(m->i64, 0, 0), i1 };
	LLVMBasicBlockRef in_blocks[2] = { pre, next };
	LLVMAddIncoming(i, in_vals, in_blocks, 2);

	LLVMPositionBuilderAtEnd(g->b, tail);
	LLVMValueRef tail_eq;
	if (ta->size == tb->size)
		tail_eq = LLVMConstInt(m->i1, 1, 0);
	else
		tail_eq = LLVMBuildICmp(g->b, LLVMIntEQ, load_byte(g, longer, LLVMConstInt(m->i64, n, 0)),
					LLVMConstInt(m->i8, 0, 0), "");
	LLVMBuildBr(g->b, done);

	LLVMPositionBuilderAtEnd(g->b, done);
	LLVMValueRef r = LLVMBuildPhi(g->b, m->i1, "streq");
	LLVMValueRef vals[3] = { LLVMConstInt(m->i1, 0, 0), LLVMConstInt(m->i1, 1, 0), tail_eq };
	LLVMBasicBlockRef blocks[3] = { loop, nul, tail };
	LLVMAddIncoming(r, vals, blocks, 3);
	return r;
}

LLVMValueRef cg_equal(struct cg *g, LLVMValueRef a, const struct type *ta, LLVMValueRef b, const struct type *tb)
{
	if (!cg_in_memory(ta))
		return LLVMBuildICmp(g->b, LLVMIntEQ, a, b, "");
	if (ta->kind == TY_STRING)
		return cg_streq(g, a, ta, b, tb);
	if (ta->kind == TY_TUPLE || ta->kind == TY_RECORD) {
		LLVMValueRef r = LLVMConstInt(g->m->i1, 1, 0);
		for (uint32_t i = 0; i < ta->nfields; i++) {
			const struct field *fa = &ta->fields[i], *fb = &tb->fields[i];
			LLVMValueRef va = cg_load(g, bpffn_offset(g->f, a, fa->offset), fa->type);
			LLVMValueRef vb = cg_load(g, bpffn_offset(g->f, b, fb->offset), fb->type);
			r = LLVMBuildAnd(g->b, r, cg_equal(g, va, fa->type, vb, fb->type), "");
		}
		return r;
	}
	if (ta->kind == TY_ARRAY) {   /* element by element, at their own alignment */
		const struct type *e = ta->elem;
		LLVMValueRef r = LLVMConstInt(g->m->i1, 1, 0);
		for (uint32_t i = 0; i < ta->count; i++) {
			LLVMValueRef pa = bpffn_offset(g->f, a, i * e->size), pb = bpffn_offset(g->f, b, i * e->size);
			LLVMValueRef va = cg_in_memory(e) ? pa : cg_load(g, pa, e);
			LLVMValueRef vb = cg_in_memory(e) ? pb : cg_load(g, pb, e);
			r = LLVMBuildAnd(g->b, r, cg_equal(g, va, e, vb, e), "");
		}
		return r;
	}
	/* Anything else: bytes, a word at a time, then what is left. */
	LLVMValueRef r = LLVMConstInt(g->m->i1, 1, 0);
	for (uint32_t off = 0, w = 8; off < ta->size; off += w) {
		while (off + w > ta->size)
			w /= 2;
		LLVMValueRef va = bpffn_load_int(g->f, bpffn_offset(g->f, a, off), w, false);
		LLVMValueRef vb = bpffn_load_int(g->f, bpffn_offset(g->f, b, off), w, false);
		r = LLVMBuildAnd(g->b, r, LLVMBuildICmp(g->b, LLVMIntEQ, va, vb, ""), "");
	}
	return r;
}

static LLVMValueRef as_ptr(struct cg *g, LLVMValueRef addr)
{
	if (LLVMGetTypeKind(LLVMTypeOf(addr)) == LLVMPointerTypeKind)
		return addr;
	return LLVMBuildIntToPtr(g->b, addr, g->m->ptr, "");
}

LLVMValueRef cg_probe_read(struct cg *g, LLVMValueRef dst, uint32_t size, LLVMValueRef addr, enum addrspace as)
{
	LLVMValueRef args[3] = { dst, LLVMConstInt(g->m->i32, size, 0), as_ptr(g, addr) };
	return bpffn_helper(g->f, as == AS_USER ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel,
			    g->m->i64, args, 3);
}

LLVMValueRef cg_read_u64(struct cg *g, LLVMValueRef addr, enum addrspace as)
{
	LLVMValueRef tmp = bpffn_temp(g->f, 8);
	bpffn_store_int(g->f, tmp, LLVMConstInt(g->m->i64, 0, 0), 8);
	cg_probe_read(g, tmp, 8, addr, as);
	return bpffn_load_int(g->f, tmp, 8, false);
}

LLVMValueRef cg_read_string(struct cg *g, uint32_t size, LLVMValueRef addr, enum addrspace as)
{
	/* One byte more than the string holds: a string longer than size
	 * leaves no NUL in its size bytes, which prints with the trailer. */
	LLVMValueRef tmp = bpffn_temp(g->f, size + 1);
	bpffn_memset0(g->f, tmp, ALIGN_UP(size + 1, 8), 8);
	cg_probe_read_str(g, tmp, size + 1, addr, as);
	return tmp;
}

LLVMValueRef cg_probe_read_str(struct cg *g, LLVMValueRef dst, uint32_t size, LLVMValueRef addr, enum addrspace as)
{
	LLVMValueRef args[3] = { dst, LLVMConstInt(g->m->i32, size, 0), as_ptr(g, addr) };
	return bpffn_helper(g->f, as == AS_USER ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str,
			    g->m->i64, args, 3);
}
