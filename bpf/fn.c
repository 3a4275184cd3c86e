/* Program functions: entry block, temporaries, helper calls, memory. */
#include "module.h"

#include <assert.h>
#include <llvm-c/Target.h>
#include <string.h>

/* The BPF stack is 512 bytes; leave room for what LLVM spills itself. */
#define STACK_BUDGET 256
/* The BPF backend inlines memcpy/memset only up to 128 stores (remainder
 * stores included, hence the margin); a larger one would become a library
 * call, which BPF cannot make. */
#define MEMOP_MAX_STORES 120

/* A function with named, preserved parameters: BTF with an unnamed one is
 * rejected by the kernel. */
static struct bpf_fn *fn_new(struct bpf_module *m, const char *name, LLVMTypeRef ret,
			     const char *const *params, unsigned nparams, int line, bool is_static)
{
	struct bpf_fn *f = xcalloc(1, sizeof(*f));
	f->m = m;
	f->ret_t = ret;
	f->root = f;
	LLVMTypeRef ptypes[4] = { m->ptr, m->ptr, m->ptr, m->ptr };
	f->fn = LLVMAddFunction(m->mod, name, LLVMFunctionType(ret, ptypes, nparams, 0));
	LLVMMetadataRef void_ptr = LLVMDIBuilderCreatePointerType(m->di, NULL, 64, 64, 0, NULL, 0);
	LLVMMetadataRef di_ret = ret == m->i64 ?
		LLVMDIBuilderCreateBasicType(m->di, "long", 4, 64, 0x05, LLVMDIFlagZero) : m->di_int;
	LLVMMetadataRef sig[5] = { di_ret, void_ptr, void_ptr, void_ptr, void_ptr };
	LLVMMetadataRef fty = LLVMDIBuilderCreateSubroutineType(m->di, m->di_file, sig, nparams + 1, LLVMDIFlagZero);
	f->sp = LLVMDIBuilderCreateFunction(m->di, m->di_file, name, strlen(name), name, strlen(name),
					    m->di_file, (unsigned)line, fty, is_static, 1, (unsigned)line,
					    LLVMDIFlagPrototyped, 1);
	LLVMSetSubprogram(f->fn, f->sp);
	for (unsigned i = 0; i < nparams; i++) {
		LLVMSetValueName2(LLVMGetParam(f->fn, i), params[i], strlen(params[i]));
		LLVMDIBuilderCreateParameterVariable(m->di, f->sp, params[i], strlen(params[i]), i + 1,
						     m->di_file, (unsigned)line, void_ptr, 1, LLVMDIFlagZero);
	}
	f->ctx = LLVMGetParam(f->fn, 0);
	f->first = LLVMAppendBasicBlockInContext(m->ctx, f->fn, "first");
	f->entry = LLVMAppendBasicBlockInContext(m->ctx, f->fn, "entry");
	f->body = LLVMAppendBasicBlockInContext(m->ctx, f->fn, "body");
	LLVMPositionBuilderAtEnd(m->b, f->body);
	bpffn_set_loc(f, line, 1);
	return f;
}

/* int name(ctx): a program in `section`, or a static subprogram (NULL). */
static struct bpf_fn *program_shaped(struct bpf_module *m, const char *name, const char *section,
				     int line, uint32_t on_stack_limit)
{
	static const char *const params[] = { "ctx" };
	struct bpf_fn *f = fn_new(m, name, m->i32, params, 1, line, !section);
	f->on_stack_limit = on_stack_limit;
	f->stack_limit = STACK_BUDGET;
	if (section)
		LLVMSetSection(f->fn, section);
	LLVMSetLinkage(f->fn, section ? LLVMExternalLinkage : LLVMInternalLinkage);
	return f;
}

struct bpf_fn *bpffn_begin(struct bpf_module *m, const char *name, const char *section,
			   int line, uint32_t on_stack_limit)
{
	return program_shaped(m, name, section, line, on_stack_limit);
}

struct bpf_fn *bpffn_begin_sub(struct bpf_module *m, const char *name, int line, uint32_t on_stack_limit)
{
	return program_shaped(m, name, NULL, line, on_stack_limit);
}

struct bpf_fn *bpffn_begin_callback(struct bpf_fn *parent, const char *name, int line,
				    const char *const *params, unsigned nparams)
{
	struct bpf_module *m = parent->m;
	LLVMBasicBlockRef resume = LLVMGetInsertBlock(m->b);
	LLVMMetadataRef resume_loc = LLVMGetCurrentDebugLocation2(m->b);
	/* BTF must call it static, or the verifier refuses it as a callback. */
	struct bpf_fn *f = fn_new(m, name, m->i64, params, nparams > 4 ? 4 : nparams, line, true);
	f->parent = parent;
	f->root = parent->root;
	f->resume = resume;
	f->resume_loc = resume_loc;
	f->on_stack_limit = 8;
	/* Frames share the 512-byte stack: keep the callback's small. */
	f->stack_limit = 64;
	/* The caller's temporaries stay live across the call. */
	f->scratch_used = f->scratch_high = parent->scratch_used;
	LLVMSetLinkage(f->fn, LLVMInternalLinkage);
	return f;
}

void bpffn_set_loc(struct bpf_fn *f, int line, int col)
{
	LLVMMetadataRef loc = LLVMDIBuilderCreateDebugLocation(f->m->ctx, (unsigned)line, (unsigned)col, f->sp, NULL);
	LLVMSetCurrentDebugLocation2(f->m->b, loc);
}

/* The scratch lookups do not fail, but the verifier wants them checked
 * before any use, so the check ends the first block, ahead of the
 * zero-filling in f->entry. */
static void seal_first(struct bpf_fn *f)
{
	struct bpf_module *m = f->m;
	LLVMPositionBuilderAtEnd(m->b, f->first);
	LLVMValueRef isnull = NULL;
	LLVMValueRef areas[2] = { f->scratch, f->vars };
	for (int i = 0; i < 2; i++) {
		if (!areas[i])
			continue;
		LLVMValueRef c = LLVMBuildIsNull(m->b, areas[i], "");
		isnull = isnull ? LLVMBuildOr(m->b, isnull, c, "") : c;
	}
	if (!isnull) {
		LLVMBuildBr(m->b, f->entry);
		return;
	}
	LLVMBasicBlockRef fail = LLVMAppendBasicBlockInContext(m->ctx, f->fn, "no_scratch");
	LLVMBuildCondBr(m->b, isnull, fail, f->entry);
	LLVMPositionBuilderAtEnd(m->b, fail);
	LLVMBuildRet(m->b, LLVMConstInt(f->ret_t, 0, 0));
}

void bpffn_end(struct bpf_fn *f)
{
	struct bpf_module *m = f->m;
	seal_first(f);
	LLVMPositionBuilderAtEnd(m->b, f->entry);
	LLVMBuildBr(m->b, f->body);
	if (f->scratch_high > m->scratch_size)
		m->scratch_size = f->scratch_high;
	if (f->root == f && f->vars_used > m->vars_size)
		m->vars_size = f->vars_used;
	if (f->parent) {
		LLVMPositionBuilderAtEnd(m->b, f->resume);
		LLVMSetCurrentDebugLocation2(m->b, f->resume_loc);
	}
	free(f->slots);
	free(f);
}

/* Moves the builder to the end of the first block; returns where it was. */
static LLVMBasicBlockRef enter_first(struct bpf_fn *f)
{
	LLVMBasicBlockRef cur = LLVMGetInsertBlock(f->m->b);
	LLVMPositionBuilderAtEnd(f->m->b, f->first);
	return cur;
}

static void leave_first(struct bpf_fn *f, LLVMBasicBlockRef cur)
{
	LLVMPositionBuilderAtEnd(f->m->b, cur);
}

/* The scratch map: an array with two entries per CPU, indexed by CPU
 * number, one for temporaries and one for long-lived storage (variables
 * of programs with loops), so temporaries can be reused without knowing
 * how much of the latter a program will need.  Not a per-CPU array: its
 * values may not pass 32 KiB, and a printf of many long strings needs
 * more.  A program runs on one CPU from start to end, so its entries are
 * its own. */
enum { AREA_TEMPS = 0, AREA_VARS = 1, AREAS = 2 };

static LLVMValueRef area_base(struct bpf_fn *f, LLVMValueRef *slot, uint32_t which)
{
	struct bpf_module *m = f->m;
	if (*slot)
		return *slot;
	if (!m->scratch_map) {
		LLVMTypeRef fields[4] = { m->ptr, m->ptr, m->ptr, m->ptr };
		LLVMTypeRef st = LLVMStructTypeInContext(m->ctx, fields, 4, 0);
		m->scratch_map = LLVMAddGlobal(m->mod, st, "scratch");
		LLVMSetInitializer(m->scratch_map, LLVMConstNull(st));
		LLVMSetSection(m->scratch_map, ".maps");
		LLVMSetAlignment(m->scratch_map, 8);
	}
	LLVMBasicBlockRef cur = enter_first(f);
	LLVMValueRef cpu = bpffn_helper(f, BPF_FUNC_get_smp_processor_id, m->i64, NULL, 0);
	LLVMValueRef index = LLVMBuildAdd(m->b, LLVMBuildMul(m->b, cpu, bpffn_i64(f, AREAS), ""),
					  bpffn_i64(f, which), "");
	LLVMValueRef k = LLVMBuildAlloca(m->b, m->i32, "area");
	LLVMBuildStore(m->b, LLVMBuildTrunc(m->b, index, m->i32, ""), k);
	LLVMValueRef args[2] = { m->scratch_map, k };
	*slot = bpffn_helper(f, BPF_FUNC_map_lookup_elem, m->ptr, args, 2);
	leave_first(f, cur);
	return *slot;
}

static LLVMValueRef scratch_base(struct bpf_fn *f)
{
	return area_base(f, &f->scratch, AREA_TEMPS);
}

uint32_t bpffn_scratch_reserve(struct bpf_fn *f, uint32_t size)
{
	struct bpf_fn *root = f->root;
	uint32_t off = root->vars_used;
	root->vars_used += ALIGN_UP(size ? size : 1, 8);
	return off;
}

LLVMValueRef bpffn_scratch_ptr(struct bpf_fn *f, uint32_t off)
{
	return bpffn_offset(f, area_base(f, &f->vars, AREA_VARS), off);
}

/* Storage asked for while zero-filling at entry lives for the whole call. */
static bool lasting(struct bpf_fn *f)
{
	return LLVMGetInsertBlock(f->m->b) == f->entry;
}

static LLVMValueRef new_slot(struct bpf_fn *f, uint32_t size, bool reusable)
{
	struct bpf_module *m = f->m;
	LLVMBasicBlockRef cur = enter_first(f);
	LLVMValueRef a = LLVMBuildAlloca(m->b, LLVMArrayType2(m->i64, size / 8), "tmp");
	LLVMSetAlignment(a, 8);
	leave_first(f, cur);
	f->stack_used += size;
	if (reusable) {
		if (f->nslots == f->slots_cap) {
			f->slots_cap = f->slots_cap ? 2 * f->slots_cap : 16;
			f->slots = xrealloc(f->slots, f->slots_cap * sizeof(*f->slots));
		}
		f->slots[f->nslots++] = (struct temp_slot){ .a = a, .size = size, .seq = ++f->seq, .live = true };
	}
	return a;
}

/* The smallest free slot that fits, or NULL. */
static LLVMValueRef reuse_slot(struct bpf_fn *f, uint32_t size)
{
	struct temp_slot *best = NULL;
	for (size_t i = 0; i < f->nslots; i++) {
		struct temp_slot *s = &f->slots[i];
		if (!s->live && s->size >= size && (!best || s->size < best->size))
			best = s;
	}
	if (!best)
		return NULL;
	best->live = true;
	best->seq = ++f->seq;
	return best->a;
}

LLVMValueRef bpffn_temp(struct bpf_fn *f, uint32_t size)
{
	size = ALIGN_UP(size ? size : 1, 8);
	bool keep = lasting(f);
	if (size <= f->on_stack_limit) {
		LLVMValueRef a = keep ? NULL : reuse_slot(f, size);
		if (a)
			return a;
		if (f->stack_used + size <= f->stack_limit)
			return new_slot(f, size, !keep);
	}
	if (keep)
		return bpffn_scratch_ptr(f, bpffn_scratch_reserve(f, size));
	LLVMValueRef p = bpffn_offset(f, scratch_base(f), f->scratch_used);
	f->scratch_used += size;
	if (f->scratch_used > f->scratch_high)
		f->scratch_high = f->scratch_used;
	return p;
}

LLVMValueRef bpffn_alloca(struct bpf_fn *f, LLVMTypeRef t)
{
	struct bpf_module *m = f->m;
	uint64_t bytes = LLVMABISizeOfType(LLVMGetModuleDataLayout(m->mod), t);
	uint32_t size = ALIGN_UP((uint32_t)(bytes ? bytes : 1), 8);
	bool keep = lasting(f);
	LLVMValueRef a = keep ? NULL : reuse_slot(f, size);
	return a ? a : new_slot(f, size, !keep);
}

struct bpffn_mark bpffn_mark(struct bpf_fn *f)
{
	return (struct bpffn_mark){ .seq = f->seq, .scratch_used = f->scratch_used };
}

void bpffn_release(struct bpf_fn *f, struct bpffn_mark mark)
{
	for (size_t i = 0; i < f->nslots; i++)
		if (f->slots[i].seq > mark.seq)
			f->slots[i].live = false;
	if (mark.scratch_used < f->scratch_used)
		f->scratch_used = mark.scratch_used;
}

LLVMValueRef bpffn_helper(struct bpf_fn *f, enum bpf_func_id id, LLVMTypeRef ret,
			  LLVMValueRef *args, unsigned n)
{
	struct bpf_module *m = f->m;
	LLVMTypeRef params[8];
	for (unsigned i = 0; i < n && i < 8; i++)
		params[i] = LLVMTypeOf(args[i]);
	LLVMTypeRef ft = LLVMFunctionType(ret, params, n, 0);
	/* BPF calls helpers by number: call through the id as a pointer. */
	LLVMValueRef callee = LLVMConstIntToPtr(LLVMConstInt(m->i64, id, 0), m->ptr);
	LLVMValueRef call = LLVMBuildCall2(m->b, ft, callee, args, n, "");
	if (id == BPF_FUNC_map_lookup_elem || id == BPF_FUNC_map_lookup_percpu_elem) {
		/* Map values are 8-byte aligned: saying so lets LLVM copy them a
		 * word at a time instead of a byte at a time. */
		unsigned kind = LLVMGetEnumAttributeKindForName("align", 5);
		LLVMAddCallSiteAttribute(call, LLVMAttributeReturnIndex, LLVMCreateEnumAttribute(m->ctx, kind, 8));
	}
	return call;
}

void bpffn_memset0(struct bpf_fn *f, LLVMValueRef dst, uint32_t size, unsigned align)
{
	struct bpf_module *m = f->m;
	uint32_t chunk = MEMOP_MAX_STORES * align;
	for (uint32_t off = 0; off < size; off += chunk) {
		uint32_t n = size - off < chunk ? size - off : chunk;
		LLVMBuildMemSet(m->b, bpffn_offset(f, dst, off), LLVMConstInt(m->i8, 0, 0),
						    LLVMConstInt(m->i64, n, 0), align);
	}
}

void bpffn_memcpy(struct bpf_fn *f, LLVMValueRef dst, LLVMValueRef src, uint32_t size, unsigned align)
{
	struct bpf_module *m = f->m;
	uint32_t chunk = MEMOP_MAX_STORES * align;
	for (uint32_t off = 0; off < size; off += chunk) {
		uint32_t n = size - off < chunk ? size - off : chunk;
		LLVMBuildMemCpy(m->b, bpffn_offset(f, dst, off), align, bpffn_offset(f, src, off), align,
				LLVMConstInt(m->i64, n, 0));
	}
}

LLVMValueRef bpffn_offset(struct bpf_fn *f, LLVMValueRef ptr, uint32_t off)
{
	if (!off)
		return ptr;
	return bpffn_offset_dyn(f, ptr, LLVMConstInt(f->m->i64, off, 0));
}

LLVMValueRef bpffn_offset_dyn(struct bpf_fn *f, LLVMValueRef ptr, LLVMValueRef off)
{
	return LLVMBuildGEP2(f->m->b, f->m->i8, ptr, &off, 1, "");
}

static LLVMTypeRef int_type(struct bpf_module *m, unsigned size)
{
	switch (size) {
	case 1: return m->i8;
	case 2: return m->i16;
	case 4: return m->i32;
	case 8: return m->i64;
	}
	assert(!"an integer of 1, 2, 4 or 8 bytes");
	return m->i64;
}

LLVMValueRef bpffn_load_int(struct bpf_fn *f, LLVMValueRef ptr, unsigned size, bool is_signed)
{
	struct bpf_module *m = f->m;
	LLVMTypeRef t = int_type(m, size);
	LLVMValueRef v = LLVMBuildLoad2(m->b, t, ptr, "");
	LLVMSetAlignment(v, size >= 8 ? 8 : size);
	if (t == m->i64)
		return v;
	return is_signed ? LLVMBuildSExt(m->b, v, m->i64, "") : LLVMBuildZExt(m->b, v, m->i64, "");
}

void bpffn_store_int(struct bpf_fn *f, LLVMValueRef ptr, LLVMValueRef v64, unsigned size)
{
	struct bpf_module *m = f->m;
	LLVMTypeRef t = int_type(m, size);
	if (LLVMTypeOf(v64) != t)
		v64 = LLVMBuildTrunc(m->b, v64, t, "");
	LLVMValueRef st = LLVMBuildStore(m->b, v64, ptr);
	LLVMSetAlignment(st, size >= 8 ? 8 : size);
}

LLVMValueRef bpffn_i64(struct bpf_fn *f, uint64_t v)
{
	return LLVMConstInt(f->m->i64, v, 0);
}

LLVMValueRef bpffn_i32(struct bpf_fn *f, uint32_t v)
{
	return LLVMConstInt(f->m->i32, v, 0);
}

LLVMBasicBlockRef bpffn_block(struct bpf_fn *f, const char *name)
{
	return LLVMAppendBasicBlockInContext(f->m->ctx, f->fn, name);
}
