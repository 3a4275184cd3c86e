/* Expressions. */
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>


static LLVMValueRef i64c(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->m->i64, v, 0);
}

LLVMValueRef cg_cond(struct cg *g, struct node *n)
{
	LLVMValueRef v = cg_expr(g, n);
	return LLVMBuildICmp(g->b, LLVMIntNE, v, i64c(g, 0), "");
}

static void grow_vars(struct cg *g, size_t index)
{
	if (index < g->nvars)
		return;
	size_t n = index + 16;
	g->vars = xrealloc(g->vars, n * sizeof(*g->vars));
	g->var_off = xrealloc(g->var_off, n * sizeof(*g->var_off));
	memset(g->vars + g->nvars, 0, (n - g->nvars) * sizeof(*g->vars));
	memset(g->var_off + g->nvars, 0, (n - g->nvars) * sizeof(*g->var_off));
	g->nvars = n;
}

static uint32_t var_size(const struct sym *sym)
{
	return ALIGN_UP(sym->type->size ? sym->type->size : 8, 8);
}

/* Zeroed at entry, so the verifier never sees an uninitialised read. */
static void zero_at_entry(struct cg *g, struct bpf_fn *f, LLVMValueRef (*place)(struct cg *, struct bpf_fn *, uint32_t),
			  uint32_t arg, uint32_t size, LLVMValueRef *out)
{
	LLVMBasicBlockRef cur = LLVMGetInsertBlock(g->b);
	LLVMPositionBuilderAtEnd(g->b, f->entry);
	LLVMValueRef p = place(g, f, arg);
	bpffn_memset0(f, p, size, 8);
	LLVMPositionBuilderAtEnd(g->b, cur);
	if (out)
		*out = p;
}

static LLVMValueRef place_temp(struct cg *g, struct bpf_fn *f, uint32_t size)
{
	return bpffn_temp(f, size);
}

static LLVMValueRef place_scratch(struct cg *g, struct bpf_fn *f, uint32_t off)
{
	return bpffn_scratch_ptr(f, off);
}

static void place_var(struct cg *g, struct sym *sym)
{
	grow_vars(g, (size_t)sym->index);
	if (g->var_off[sym->index])
		return;
	uint32_t off = bpffn_scratch_reserve(g->root, var_size(sym));
	g->var_off[sym->index] = off + 1;
	zero_at_entry(g, g->root, place_scratch, off, var_size(sym), NULL);
}

static void collect_vars(struct node *n, void *arg)
{
	struct cg *g = arg;
	if (!n)
		return;
	if (n->sym && (n->kind == N_VAR || n->kind == N_LET || n->kind == N_ASSIGN ||
		       n->kind == N_FOR_MAP || n->kind == N_FOR_RANGE))
		place_var(g, n->sym);
	node_each_child(n, collect_vars, g);
}

void cg_place_vars(struct cg *g, struct node *body)
{
	collect_vars(body, g);
}

LLVMValueRef cg_var_ptr(struct cg *g, struct sym *sym)
{
	grow_vars(g, (size_t)sym->index);
	if (g->vars_in_scratch) {
		place_var(g, sym);
		return bpffn_scratch_ptr(g->f, g->var_off[sym->index] - 1);
	}
	if (!g->vars[sym->index])
		zero_at_entry(g, g->f, place_temp, var_size(sym), var_size(sym), &g->vars[sym->index]);
	return g->vars[sym->index];
}

static LLVMValueRef elapsed(struct cg *g)
{
	LLVMValueRef now = bpffn_helper(g->f, BPF_FUNC_ktime_get_boot_ns, g->m->i64, NULL, 0);
	LLVMValueRef p = cg_array_slot0(g, g->start_time);
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
	LLVMBasicBlockRef have = bpffn_block(g->f, "start");
	LLVMBasicBlockRef done = bpffn_block(g->f, "elapsed");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), done, have);
	LLVMPositionBuilderAtEnd(g->b, have);
	LLVMValueRef start = bpffn_load_int(g->f, p, 8, false);
	LLVMValueRef diff = LLVMBuildSub(g->b, now, start, "");
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
	LLVMValueRef r = LLVMBuildPhi(g->b, g->m->i64, "");
	LLVMValueRef vals[2] = { i64c(g, 0), diff };
	LLVMBasicBlockRef blocks[2] = { pre, have };
	LLVMAddIncoming(r, vals, blocks, 2);
	return r;
}

static LLVMValueRef ident(struct cg *g, struct node *n)
{
	const struct builtin *bi = n->fn;
	if (bi->emit) {
		struct bi_emit e = { .bi = bi, .f = g->f, .type = n->type, .user = cg_as(g, AS_NONE) == AS_USER };
		return cg_norm(g, bi->emit(&e), n->type);
	}
	switch (bi->id) {
	case BI_ELAPSED:
		return elapsed(g);
	case BI_PROBE:
		return cg_string_literal(g, g->pt->name, strlen(g->pt->name), n->type->size);
	case BI_ARGS:
		return cg_args(g, n);
	case BI_ARGN:
	case BI_RETVAL:
	case BI_FUNC:
		return cg_context_builtin(g, n);
	default:
		return cg_unsupported(g, n, bi->name);
	}
}

static const struct field *find_field(const struct type *t, const char *name)
{
	for (uint32_t i = 0; i < t->nfields; i++)
		if (t->fields[i].name && !strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

static LLVMValueRef args_field(struct cg *g, struct node *n)
{
	const struct field *f = find_field(g->pt->args, n->name);
	if (!f)
		return cg_unsupported(g, n, "this field of args");
	return cg_args_field(g, f, n->type);
}

/* A bitfield's bits, from the storage unit already read into v.  They are
 * not sign-extended, even in a signed field: bpftrace reads "short b:8"
 * holding 0xd9 as 217, and scripts rely on it. */
static LLVMValueRef bitfield(struct cg *g, LLVMValueRef v, const struct field *f)
{
	LLVMValueRef shifted = LLVMBuildLShr(g->b, v, i64c(g, f->bit_offset), "");
	uint64_t mask = f->bit_size >= 64 ? ~0ULL : (1ULL << f->bit_size) - 1;
	return LLVMBuildAnd(g->b, shifted, i64c(g, mask), "");
}

/* Reads field f of the struct at address base (in address space as). */
static LLVMValueRef struct_field(struct cg *g, struct node *n, LLVMValueRef base, const struct field *f,
				 enum addrspace as)
{
	LLVMValueRef addr = LLVMBuildAdd(g->b, base, i64c(g, f->offset), "");
	const struct type *t = n->type;
	if (t->kind == TY_STRUCT)
		return addr;
	uint32_t size = f->type->size;
	if (cg_in_memory(t)) {
		LLVMValueRef tmp = bpffn_temp(g->f, t->size);
		bpffn_memset0(g->f, tmp, ALIGN_UP(t->size, 8), 8);
		cg_probe_read(g, tmp, size < t->size ? size : t->size, addr, as);
		return tmp;
	}
	LLVMValueRef tmp = bpffn_temp(g->f, 8);
	bpffn_store_int(g->f, tmp, i64c(g, 0), 8);
	cg_probe_read(g, tmp, size > 8 ? 8 : size, addr, as);
	if (f->bit_size)
		return bitfield(g, bpffn_load_int(g->f, tmp, 8, false), f);
	return cg_load(g, tmp, f->type);
}

static LLVMValueRef field(struct cg *g, struct node *n)
{
	if (n->left->kind == N_IDENT && n->left->fn && n->left->fn->id == BI_ARGS)
		return args_field(g, n);
	const struct type *t = n->left->type;
	if (t->kind == TY_PTR || t->kind == TY_STRUCT) {
		const struct field *f = find_field(n->optype, n->name);
		return struct_field(g, n, cg_expr(g, n->left), f, cg_as(g, t->as));
	}
	LLVMValueRef base = cg_expr(g, n->left);
	const struct field *f = n->name ? find_field(t, n->name) : &t->fields[n->num];
	return cg_load(g, bpffn_offset(g->f, base, f->offset), f->type);
}

/* A zero divisor known only at run time: the result is 1, as in bpftrace,
 * and the user hears of it through the node's warning action. */
static LLVMValueRef divisor_zero(struct cg *g, struct node *n, LLVMValueRef r)
{
	LLVMValueRef rz = LLVMBuildICmp(g->b, LLVMIntEQ, r, i64c(g, 0), "");
	if (n->id < 0)
		return rz;
	LLVMBasicBlockRef warn = bpffn_block(g->f, "div.zero");
	LLVMBasicBlockRef go = bpffn_block(g->f, "div.go");
	LLVMBuildCondBr(g->b, rz, warn, go);
	LLVMPositionBuilderAtEnd(g->b, warn);
	cg_record(g, g->plan->actions.v[n->id], NULL, NULL);
	LLVMBuildBr(g->b, go);
	LLVMPositionBuilderAtEnd(g->b, go);
	return rz;
}

/* Signed division without BPF's v4 signed-division instructions: divide
 * magnitudes, then fix the sign. */
static LLVMValueRef divide(struct cg *g, struct node *n, bool sign, LLVMValueRef l, LLVMValueRef r)
{
	LLVMBuilderRef b = g->b;
	bool is_div = n->op == OP_DIV;
	LLVMValueRef zero = i64c(g, 0);
	LLVMValueRef rz = divisor_zero(g, n, r);
	LLVMValueRef safe = LLVMBuildSelect(b, rz, i64c(g, 1), r, "");
	LLVMValueRef q;
	if (!sign) {
		q = is_div ? LLVMBuildUDiv(b, l, safe, "") : LLVMBuildURem(b, l, safe, "");
	} else {
		LLVMValueRef ln = LLVMBuildICmp(b, LLVMIntSLT, l, zero, "");
		LLVMValueRef rn = LLVMBuildICmp(b, LLVMIntSLT, safe, zero, "");
		LLVMValueRef la = LLVMBuildSelect(b, ln, LLVMBuildNeg(b, l, ""), l, "");
		LLVMValueRef ra = LLVMBuildSelect(b, rn, LLVMBuildNeg(b, safe, ""), safe, "");
		LLVMValueRef u = is_div ? LLVMBuildUDiv(b, la, ra, "") : LLVMBuildURem(b, la, ra, "");
		LLVMValueRef neg = is_div ? LLVMBuildXor(b, ln, rn, "") : ln;
		q = LLVMBuildSelect(b, neg, LLVMBuildNeg(b, u, ""), u, "");
	}
	return LLVMBuildSelect(b, rz, i64c(g, 1), q, "");
}

static LLVMValueRef shift(struct cg *g, enum ast_op op, bool sign, LLVMValueRef l, LLVMValueRef r)
{
	LLVMValueRef big = LLVMBuildICmp(g->b, LLVMIntUGE, r, i64c(g, 64), "");
	LLVMValueRef amt = LLVMBuildAnd(g->b, r, i64c(g, 63), "");
	LLVMValueRef v;
	if (op == OP_SHL)
		v = LLVMBuildShl(g->b, l, amt, "");
	else
		v = sign ? LLVMBuildAShr(g->b, l, amt, "") : LLVMBuildLShr(g->b, l, amt, "");
	LLVMValueRef over = op == OP_SHR && sign ? LLVMBuildAShr(g->b, l, i64c(g, 63), "") : i64c(g, 0);
	return LLVMBuildSelect(g->b, big, over, v, "");
}

static LLVMValueRef compare(struct cg *g, enum ast_op op, bool sign, LLVMValueRef l, LLVMValueRef r)
{
	LLVMIntPredicate p;
	switch (op) {
	case OP_EQ: p = LLVMIntEQ; break;
	case OP_NE: p = LLVMIntNE; break;
	case OP_LT: p = sign ? LLVMIntSLT : LLVMIntULT; break;
	case OP_GT: p = sign ? LLVMIntSGT : LLVMIntUGT; break;
	case OP_LE: p = sign ? LLVMIntSLE : LLVMIntULE; break;
	case OP_GE: p = sign ? LLVMIntSGE : LLVMIntUGE; break;
	default: assert(!"compare() of an operator that is no comparison"); return NULL;
	}
	return cg_bool(g, LLVMBuildICmp(g->b, p, l, r, ""));
}

/* A run of one logical operator, "a || b || c", the first operand already
 * evaluated to lv: each operand that decides jumps straight to the end,
 * so a run of any length has one merge (a merge per operator, nested, is
 * what LLVM's CFG simplification takes quadratic time over). */
static LLVMValueRef logical(struct cg *g, struct node *const *run, size_t count, LLVMValueRef lv)
{
	bool is_and = run[0]->op == OP_LAND;
	LLVMValueRef decided = LLVMConstInt(g->m->i1, is_and ? 0 : 1, 0);
	LLVMValueRef *vals = xmalloc((count + 1) * sizeof(*vals));
	LLVMBasicBlockRef *blocks = xmalloc((count + 1) * sizeof(*blocks));
	LLVMBasicBlockRef done = NULL;
	LLVMValueRef c = LLVMBuildICmp(g->b, LLVMIntNE, lv, i64c(g, 0), "");
	for (size_t i = 0; i < count; i++) {
		LLVMBasicBlockRef rhs = bpffn_block(g->f, is_and ? "and.rhs" : "or.rhs");
		if (!done)
			done = bpffn_block(g->f, is_and ? "and.done" : "or.done");
		vals[i] = decided;
		blocks[i] = LLVMGetInsertBlock(g->b);
		if (is_and)
			LLVMBuildCondBr(g->b, c, rhs, done);
		else
			LLVMBuildCondBr(g->b, c, done, rhs);
		LLVMPositionBuilderAtEnd(g->b, rhs);
		c = cg_cond(g, run[i]->right);
	}
	vals[count] = c;
	blocks[count] = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
	LLVMValueRef phi = LLVMBuildPhi(g->b, g->m->i1, "");
	LLVMAddIncoming(phi, vals, blocks, (unsigned)count + 1);
	free(vals);
	free(blocks);
	return cg_bool(g, phi);
}

static uint32_t pointee_size(const struct type *p)
{
	return p->elem && p->elem->size ? p->elem->size : 1;
}

/* p - q in elements of size bytes, without BPF v4's signed division. */
static LLVMValueRef elements_between(struct cg *g, LLVMValueRef p, LLVMValueRef q, uint32_t size)
{
	LLVMValueRef d = LLVMBuildSub(g->b, p, q, "");
	LLVMValueRef neg = LLVMBuildICmp(g->b, LLVMIntSLT, d, i64c(g, 0), "");
	LLVMValueRef mag = LLVMBuildSelect(g->b, neg, LLVMBuildNeg(g->b, d, ""), d, "");
	LLVMValueRef n = LLVMBuildUDiv(g->b, mag, i64c(g, size), "");
	return LLVMBuildSelect(g->b, neg, LLVMBuildNeg(g->b, n, ""), n, "");
}

static bool is_logical(const struct node *n)
{
	return n->op == OP_LAND || n->op == OP_LOR;
}

/* n, not && or ||, its left operand already evaluated to l. */
static LLVMValueRef binop_step(struct cg *g, struct node *n, LLVMValueRef l)
{
	const struct type *lt = n->left->type, *rt = n->right->type, *ot = n->optype;
	LLVMValueRef r = cg_expr(g, n->right);
	if (cg_in_memory(lt)) {
		LLVMValueRef eq = cg_equal(g, l, lt, r, rt);
		return cg_bool(g, n->op == OP_EQ ? eq : LLVMBuildNot(g->b, eq, ""));
	}
	if (lt->kind == TY_PTR || rt->kind == TY_PTR) {
		if (n->op == OP_EQ || n->op == OP_NE || n->op == OP_LT || n->op == OP_GT || n->op == OP_LE || n->op == OP_GE)
			return compare(g, n->op, false, l, r);
		/* optype: the pointer, its pointee's size known */
		if (lt->kind == TY_PTR && rt->kind == TY_PTR)
			return elements_between(g, l, r, pointee_size(ot));
		LLVMValueRef ptr = lt->kind == TY_PTR ? l : r, idx = lt->kind == TY_PTR ? r : l;
		LLVMValueRef scaled = LLVMBuildMul(g->b, idx, i64c(g, pointee_size(ot)), "");
		return n->op == OP_ADD ? LLVMBuildAdd(g->b, ptr, scaled, "") : LLVMBuildSub(g->b, ptr, scaled, "");
	}
	l = cg_norm(g, l, ot);
	r = cg_norm(g, r, ot);
	bool sign = ot->is_signed;
	LLVMValueRef v;
	switch (n->op) {
	case OP_ADD: v = LLVMBuildAdd(g->b, l, r, ""); break;
	case OP_SUB: v = LLVMBuildSub(g->b, l, r, ""); break;
	case OP_MUL: v = LLVMBuildMul(g->b, l, r, ""); break;
	case OP_DIV: case OP_MOD: v = divide(g, n, sign, l, r); break;
	case OP_BAND: v = LLVMBuildAnd(g->b, l, r, ""); break;
	case OP_BOR: v = LLVMBuildOr(g->b, l, r, ""); break;
	case OP_BXOR: v = LLVMBuildXor(g->b, l, r, ""); break;
	case OP_SHL: case OP_SHR: v = shift(g, n->op, sign, l, r); break;
	case OP_EQ: case OP_NE: case OP_LT: case OP_GT: case OP_LE: case OP_GE: return compare(g, n->op, sign, l, r);
	default: return cg_unsupported(g, n, "this binary operator");
	}
	return cg_norm(g, v, n->type);
}

/* A chain of operators, from the innermost up, in no stack: evaluation
 * starts at the outermost operator that sema folded to a constant. */
static LLVMValueRef binop(struct cg *g, struct node *top)
{
	size_t len;
	struct node **chain = binop_chain(top, &len);
	size_t first = len;
	while (first > 0 && !(chain[first - 1]->is_const && type_is_int(chain[first - 1]->type)))
		first--;
	LLVMValueRef v = first ? cg_expr(g, chain[first - 1]) : cg_expr(g, chain[0]->left);
	for (size_t i = first; i < len;) {
		if (!is_logical(chain[i])) {
			v = binop_step(g, chain[i++], v);
			continue;
		}
		size_t end = i + 1;
		while (end < len && chain[end]->op == chain[i]->op)
			end++;
		v = logical(g, chain + i, end - i, v);
		i = end;
	}
	free(chain);
	return v;
}

static LLVMValueRef deref(struct cg *g, struct node *n)
{
	const struct type *pt = n->left->type;
	LLVMValueRef addr = cg_expr(g, n->left);
	if (n->type->kind == TY_STRUCT)
		return addr;   /* a struct is its address */
	LLVMValueRef tmp = bpffn_temp(g->f, 8);
	bpffn_store_int(g->f, tmp, i64c(g, 0), 8);
	cg_probe_read(g, tmp, n->type->size, addr, cg_as(g, pt->as));
	return cg_load(g, tmp, n->type);
}

static LLVMValueRef unop(struct cg *g, struct node *n)
{
	switch (n->op) {
	case OP_NOT:
		return cg_bool(g, LLVMBuildNot(g->b, cg_cond(g, n->left), ""));
	case OP_BNOT:
		return cg_norm(g, LLVMBuildNot(g->b, cg_expr(g, n->left), ""), n->type);
	case OP_NEG:
		return cg_norm(g, LLVMBuildNeg(g->b, cg_expr(g, n->left), ""), n->type);
	case OP_DEREF:
		return deref(g, n);
	case OP_ADDR:
		if (n->left->kind == N_VAR)
			return LLVMBuildPtrToInt(g->b, cg_var_ptr(g, n->left->sym), g->m->i64, "");
		return cg_map_addr(g, n->left);
	default:
		return cg_unsupported(g, n, "this unary operator");
	}
}

static LLVMValueRef ternary(struct cg *g, struct node *n)
{
	const struct type *t = n->type;
	bool mem = cg_in_memory(t);
	LLVMValueRef tmp = mem ? bpffn_temp(g->f, t->size) : NULL;
	LLVMValueRef cv = cg_expr(g, n->cond);
	LLVMValueRef c = LLVMBuildICmp(g->b, LLVMIntNE, mem && !n->left ? i64c(g, 1) : cv, i64c(g, 0), "");
	LLVMBasicBlockRef yes = bpffn_block(g->f, "cond.true");
	LLVMBasicBlockRef no = bpffn_block(g->f, "cond.false");
	LLVMBasicBlockRef done = bpffn_block(g->f, "cond.done");
	LLVMBuildCondBr(g->b, c, yes, no);

	LLVMPositionBuilderAtEnd(g->b, yes);
	struct node *ln = n->left ? n->left : n->cond;
	LLVMValueRef lv = n->left ? cg_expr(g, n->left) : cv;
	if (mem)
		cg_store(g, tmp, t, lv, ln->type);
	else
		lv = cg_norm(g, lv, t);
	LLVMBasicBlockRef yes_end = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, done);

	LLVMPositionBuilderAtEnd(g->b, no);
	LLVMValueRef rv = cg_expr(g, n->right);
	if (mem)
		cg_store(g, tmp, t, rv, n->right->type);
	else
		rv = cg_norm(g, rv, t);
	LLVMBasicBlockRef no_end = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, done);

	LLVMPositionBuilderAtEnd(g->b, done);
	if (mem)
		return tmp;
	LLVMValueRef phi = LLVMBuildPhi(g->b, g->m->i64, "");
	LLVMValueRef vals[2] = { lv, rv };
	LLVMBasicBlockRef blocks[2] = { yes_end, no_end };
	LLVMAddIncoming(phi, vals, blocks, 2);
	return phi;
}

/* Reads element idx of a value in memory, or 0 when idx is out of range. */
static LLVMValueRef bounded_load(struct cg *g, LLVMValueRef base, LLVMValueRef idx, uint32_t count,
				 const struct type *elem)
{
	LLVMValueRef tmp = bpffn_temp(g->f, elem->size);
	bpffn_memset0(g->f, tmp, ALIGN_UP(elem->size, 8), 8);
	LLVMBasicBlockRef in = bpffn_block(g->f, "index.in");
	LLVMBasicBlockRef done = bpffn_block(g->f, "index.done");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntULT, idx, i64c(g, count), ""), in, done);
	LLVMPositionBuilderAtEnd(g->b, in);
	LLVMValueRef off = LLVMBuildMul(g->b, idx, i64c(g, elem->size), "");
	LLVMValueRef src = bpffn_offset_dyn(g->f, base, off);
	if (cg_in_memory(elem))
		bpffn_memcpy(g->f, tmp, src, elem->size, 1);
	else
		cg_store(g, tmp, elem, cg_load(g, src, elem), elem);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
	return cg_load(g, tmp, elem);
}

static LLVMValueRef index_expr(struct cg *g, struct node *n)
{
	const struct type *t = n->left->type;
	LLVMValueRef base = cg_expr(g, n->left);
	if (t->kind == TY_TUPLE) {
		const struct field *f = &t->fields[n->right->cval];
		return cg_load(g, bpffn_offset(g->f, base, f->offset), f->type);
	}
	LLVMValueRef idx = cg_expr(g, n->right);
	if (t->kind == TY_STRING)
		return bounded_load(g, base, idx, t->size, n->type);
	if (t->kind == TY_ARRAY)
		return bounded_load(g, base, idx, t->count, t->elem);
	/* A pointer: read the element from its address space; a struct is
	 * its address. */
	LLVMValueRef addr = LLVMBuildAdd(g->b, base, LLVMBuildMul(g->b, idx, i64c(g, n->type->size), ""), "");
	if (n->type->kind == TY_STRUCT)
		return addr;
	LLVMValueRef tmp = bpffn_temp(g->f, t->elem->size);
	bpffn_memset0(g->f, tmp, ALIGN_UP(t->elem->size, 8), 8);
	cg_probe_read(g, tmp, t->elem->size, addr, cg_as(g, t->as));
	return cg_load(g, tmp, t->elem);
}

static LLVMValueRef build_fields(struct cg *g, struct node *n)
{
	const struct type *t = n->type;
	LLVMValueRef tmp = bpffn_temp(g->f, t->size);
	bpffn_memset0(g->f, tmp, t->size, 8);
	for (size_t i = 0; i < n->list.n; i++) {
		struct node *e = n->kind == N_RECORD ? n->list.v[i]->right : n->list.v[i];
		LLVMValueRef v = cg_expr(g, e);
		cg_store(g, bpffn_offset(g->f, tmp, t->fields[i].offset), t->fields[i].type, v, e->type);
	}
	return tmp;
}

static LLVMValueRef cast(struct cg *g, struct node *n)
{
	const struct type *from = n->left->type, *to = n->type;
	LLVMValueRef v = cg_expr(g, n->left);
	if (to->kind == TY_ARRAY && !cg_in_memory(from)) {
		/* The integer's bytes, in memory order, become the elements. */
		LLVMValueRef tmp = bpffn_temp(g->f, to->size);
		bpffn_store_int(g->f, tmp, cg_norm(g, v, type_int(to->size, false)), to->size);
		return tmp;
	}
	if (from->kind == TY_STRING && to->kind == TY_BOOL) {
		LLVMValueRef first = LLVMBuildLoad2(g->b, g->m->i8, v, "");
		return cg_bool(g, LLVMBuildICmp(g->b, LLVMIntNE, first, LLVMConstInt(g->m->i8, 0, 0), ""));
	}
	if (cg_in_memory(from) && !cg_in_memory(to))
		return cg_load(g, v, type_int(to->size, to->is_signed));
	return cg_norm(g, v, to);
}

static LLVMValueRef block_expr(struct cg *g, struct node *n)
{
	nodelist *l = &n->body->list;
	struct node *last = l->n ? l->v[l->n - 1] : NULL;
	bool valued = last && last->tail_expr && n->type->kind != TY_NONE;
	for (size_t i = 0; i + (valued ? 1 : 0) < l->n; i++)
		cg_stmt(g, l->v[i]);
	if (!valued)
		return n->type->kind == TY_NONE ? i64c(g, 0) : cg_unsupported(g, n, "a block's value");
	LLVMValueRef v = cg_expr(g, last->left);
	return cg_in_memory(n->type) ? v : cg_norm(g, v, n->type);
}

static LLVMValueRef incdec(struct cg *g, struct node *n)
{
	if (n->left->kind == N_MAP)
		return cg_map_incdec(g, n);
	const struct type *t = n->type;
	LLVMValueRef p = cg_var_ptr(g, n->left->sym);
	LLVMValueRef old = cg_load(g, p, t);
	uint64_t step = cg_incdec_step(n);
	LLVMValueRef nv = n->op == OP_INC ? LLVMBuildAdd(g->b, old, i64c(g, step), "")
				       : LLVMBuildSub(g->b, old, i64c(g, step), "");
	nv = cg_norm(g, nv, t);
	cg_store(g, p, t, nv, t);
	return n->is_post ? old : nv;
}

/* str(s, len) of a string s with a run-time len: NUL at len, if inside. */
static LLVMValueRef cut_string(struct cg *g, struct node *n, LLVMValueRef s)
{
	if (n->list.n < 2 || n->list.v[1]->is_const)
		return s;
	uint32_t last = n->type->size - 1;
	LLVMValueRef len = cg_expr(g, n->list.v[1]);
	LLVMValueRef at = LLVMBuildSelect(g->b, LLVMBuildICmp(g->b, LLVMIntULT, len, i64c(g, last), ""), len,
					  i64c(g, last), "");
	LLVMBuildStore(g->b, LLVMConstInt(g->m->i8, 0, 0), bpffn_offset_dyn(g->f, s, at));
	return s;
}

static LLVMValueRef call(struct cg *g, struct node *n)
{
	const struct builtin *bi = n->fn;
	if (bi->emit) {
		LLVMValueRef args[16];
		const struct type *argt[16];
		for (size_t i = 0; i < n->list.n && i < 16; i++) {
			struct node *a = n->list.v[i];
			/* Bare-identifier arguments (kstack(perf)) were consumed by sema. */
			args[i] = a->type->kind == TY_NONE ? NULL : cg_expr(g, a);
			argt[i] = a->type;
		}
		struct bi_emit e = { .bi = bi, .f = g->f, .type = n->type, .nargs = n->list.n, .args = args,
				     .argt = argt, .argc = n->aux, .user = cg_as(g, AS_NONE) == AS_USER };
		LLVMValueRef v = bi->emit(&e);
		return cg_in_memory(n->type) ? v : cg_norm(g, v, n->type);
	}
	if (bi->flags & BIF_ASYNC)
		return cg_async_call(g, n);
	if (bi->flags & BIF_MAP_ARG)
		return cg_map_call(g, n);
	if (bi->id == BI_REG || bi->id == BI_UADDR)
		return cg_context_builtin(g, n);
	if (bi->id == BI_STR) {
		struct node *arg = n->list.v[0];
		LLVMValueRef v = cg_expr(g, arg);
		if (arg->type->kind == TY_STRING)
			return cut_string(g, n, cg_materialize(g, v, arg->type, n->type));
		enum addrspace as = cg_as(g, arg->type->kind == TY_PTR ? arg->type->as : AS_NONE);
		uint32_t size = n->type->size;
		if (n->list.n == 1)
			return cg_read_string(g, size, v, as);
		LLVMValueRef tmp = bpffn_temp(g->f, n->type->size);
		bpffn_memset0(g->f, tmp, n->type->size, 8);
		if (n->list.n > 1 && !n->list.v[1]->is_const) {
			/* A run-time length: read at most that many bytes plus the NUL. */
			LLVMValueRef len = cg_expr(g, n->list.v[1]);
			LLVMValueRef lim = LLVMBuildAdd(g->b, len, i64c(g, 1), "");
			LLVMValueRef over = LLVMBuildICmp(g->b, LLVMIntUGT, lim, i64c(g, size), "");
			lim = LLVMBuildSelect(g->b, over, i64c(g, size), lim, "");
			LLVMValueRef a[3] = { tmp, LLVMBuildTrunc(g->b, lim, g->m->i32, ""),
					      LLVMBuildIntToPtr(g->b, v, g->m->ptr, "") };
			bpffn_helper(g->f, as == AS_USER ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str,
				     g->m->i64, a, 3);
			return tmp;
		}
		cg_probe_read_str(g, tmp, size, v, as);
		return tmp;
	}
	return cg_unsupported(g, n, bi->name);
}

LLVMValueRef cg_expr(struct cg *g, struct node *n)
{
	if (n->is_const && type_is_int(n->type) && n->kind != N_BLOCK_EXPR)
		return cg_norm(g, i64c(g, (uint64_t)n->cval), n->type);
	switch (n->kind) {
	case N_INT:
	case N_BOOL:
		return i64c(g, n->num);
	case N_STR:
		return cg_string_literal(g, n->name, n->len, n->type->size);
	case N_IDENT: return ident(g, n);
	case N_VAR: return cg_load(g, cg_var_ptr(g, n->sym), n->sym->type);
	case N_MAP: return cg_map_read(g, n);
	case N_CALL: return call(g, n);
	case N_BINOP: return binop(g, n);
	case N_UNOP: return unop(g, n);
	case N_TERNARY: return ternary(g, n);
	case N_FIELD: return field(g, n);
	case N_INDEX: return index_expr(g, n);
	case N_TUPLE:
	case N_RECORD: return build_fields(g, n);
	case N_CAST: return cast(g, n);
	case N_BLOCK_EXPR: return block_expr(g, n);
	case N_INCDEC: return incdec(g, n);
	default:
		return cg_unsupported(g, n, node_kind_name(n->kind));
	}
}
