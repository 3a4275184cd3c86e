/* Statements and control flow. */
#include "internal.h"

#include <stdio.h>

void cg_return(struct cg *g)
{
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	LLVMPositionBuilderAtEnd(g->b, bpffn_block(g->f, "dead"));
}

static void assign(struct cg *g, struct node *n)
{
	struct node *lhs = n->left;
	if (lhs->kind == N_MAP) {
		cg_map_assign(g, n);
		return;
	}
	LLVMValueRef v = cg_expr(g, n->right);
	if (lhs->kind != N_VAR)
		return;   /* _ = expr */
	cg_store(g, cg_var_ptr(g, lhs->sym), lhs->sym->type, v, n->right->type);
}

static void let(struct cg *g, struct node *n)
{
	struct sym *sym = n->left->sym;
	LLVMValueRef p = cg_var_ptr(g, sym);
	if (n->right)
		cg_store(g, p, sym->type, cg_expr(g, n->right), n->right->type);
	else
		bpffn_memset0(g->f, p, ALIGN_UP(sym->type->size ? sym->type->size : 8, 8), 8);
}

static void if_stmt(struct cg *g, struct node *n)
{
	LLVMBasicBlockRef yes = bpffn_block(g->f, "if.then");
	LLVMBasicBlockRef no = bpffn_block(g->f, "if.else");
	LLVMBasicBlockRef done = bpffn_block(g->f, "if.end");
	LLVMBuildCondBr(g->b, cg_cond(g, n->cond), yes, n->els ? no : done);
	LLVMPositionBuilderAtEnd(g->b, yes);
	cg_block(g, n->body);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, no);
	if (n->els && n->els->kind == N_IF)
		if_stmt(g, n->els);
	else if (n->els)
		cg_block(g, n->els);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
}

static void loop_body(struct cg *g, struct node *body, LLVMBasicBlockRef brk, LLVMBasicBlockRef cont)
{
	struct loop l = { .up = g->loop, .brk = brk, .cont = cont };
	g->loop = &l;
	cg_block(g, body);
	g->loop = l.up;
}

static void while_stmt(struct cg *g, struct node *n)
{
	LLVMBasicBlockRef head = bpffn_block(g->f, "while.cond");
	LLVMBasicBlockRef body = bpffn_block(g->f, "while.body");
	LLVMBasicBlockRef done = bpffn_block(g->f, "while.end");
	LLVMBuildBr(g->b, head);
	LLVMPositionBuilderAtEnd(g->b, head);
	LLVMBuildCondBr(g->b, cg_cond(g, n->cond), body, done);
	LLVMPositionBuilderAtEnd(g->b, body);
	loop_body(g, n->body, done, head);
	LLVMBuildBr(g->b, head);
	LLVMPositionBuilderAtEnd(g->b, done);
}

/* for ($i : a..b): both bounds evaluated once, b exclusive. */
static void for_range(struct cg *g, struct node *n)
{
	struct sym *sym = n->left->sym;
	LLVMValueRef p = cg_var_ptr(g, sym);
	LLVMValueRef start = cg_norm(g, cg_expr(g, n->cond), type_s64());
	LLVMValueRef end = cg_norm(g, cg_expr(g, n->right), type_s64());
	LLVMValueRef endp = bpffn_alloca(g->f, g->m->i64);
	LLVMBuildStore(g->b, end, endp);
	bpffn_store_int(g->f, p, start, 8);
	LLVMBasicBlockRef head = bpffn_block(g->f, "for.cond");
	LLVMBasicBlockRef body = bpffn_block(g->f, "for.body");
	LLVMBasicBlockRef step = bpffn_block(g->f, "for.step");
	LLVMBasicBlockRef done = bpffn_block(g->f, "for.end");
	LLVMBuildBr(g->b, head);
	LLVMPositionBuilderAtEnd(g->b, head);
	LLVMValueRef i = bpffn_load_int(g->f, p, 8, true);
	LLVMValueRef e = LLVMBuildLoad2(g->b, g->m->i64, endp, "");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntSLT, i, e, ""), body, done);
	LLVMPositionBuilderAtEnd(g->b, body);
	loop_body(g, n->body, done, step);
	LLVMBuildBr(g->b, step);
	LLVMPositionBuilderAtEnd(g->b, step);
	LLVMValueRef cur = bpffn_load_int(g->f, p, 8, true);
	bpffn_store_int(g->f, p, LLVMBuildAdd(g->b, cur, LLVMConstInt(g->m->i64, 1, 0), ""), 8);
	LLVMBuildBr(g->b, head);
	LLVMPositionBuilderAtEnd(g->b, done);
}

/* for ($kv : @m): the body becomes a callback of bpf_for_each_map_elem;
 * break returns 1 from it (stop), continue returns 0 (next element). */
static void for_map(struct cg *g, struct node *n)
{
	struct map_def *m = n->right->map;
	struct bpf_fn *parent = g->f;
	char name[32];
	snprintf(name, sizeof(name), "for_each_%d", g->serial++);
	struct bpf_fn *cb = bpffn_begin_callback(parent, name, n->loc.line);
	LLVMValueRef fn = cb->fn;
	g->f = cb;
	struct sym *sym = n->left->sym;
	const struct type *t = sym->type;
	LLVMValueRef kv = cg_var_ptr(g, sym);
	LLVMValueRef key = LLVMGetParam(cb->fn, 1), val = LLVMGetParam(cb->fn, 2);
	const struct field *kf = &t->fields[0], *vf = &t->fields[1];
	cg_store(g, bpffn_offset(cb, kv, kf->offset), kf->type, cg_load(g, key, m->key), m->key);
	const struct type *stored = type_is_agg(m->value) ? vf->type : m->value;
	cg_store(g, bpffn_offset(cb, kv, vf->offset), vf->type, cg_load(g, val, stored), stored);
	LLVMBasicBlockRef next = bpffn_block(cb, "each.next");
	LLVMBasicBlockRef stop = bpffn_block(cb, "each.stop");
	loop_body(g, n->body, stop, next);
	LLVMBuildBr(g->b, next);
	LLVMPositionBuilderAtEnd(g->b, next);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i64, 0, 0));
	LLVMPositionBuilderAtEnd(g->b, stop);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i64, 1, 0));
	bpffn_end(cb);
	g->f = parent;
	LLVMValueRef args[4] = { g->maps[m->id], fn, LLVMConstNull(g->m->ptr), LLVMConstInt(g->m->i64, 0, 0) };
	bpffn_helper(g->f, BPF_FUNC_for_each_map_elem, g->m->i64, args, 4);
}

static void unroll(struct cg *g, struct node *n)
{
	for (int64_t i = 0; i < n->left->cval; i++)
		cg_block(g, n->body);
}

void cg_stmt(struct cg *g, struct node *n)
{
	bpffn_set_loc(g->f, n->loc.line, n->loc.col);
	vec_push(&g->plan->stmt_locs, n->loc);
	switch (n->kind) {
	case N_EXPR_STMT:
		cg_expr(g, n->left);
		break;
	case N_ASSIGN:
		assign(g, n);
		break;
	case N_LET:
		let(g, n);
		break;
	case N_IF:
		if_stmt(g, n);
		break;
	case N_WHILE:
		while_stmt(g, n);
		break;
	case N_FOR_RANGE:
		for_range(g, n);
		break;
	case N_FOR_MAP:
		for_map(g, n);
		break;
	case N_UNROLL:
		unroll(g, n);
		break;
	case N_BREAK:
	case N_CONTINUE:
		LLVMBuildBr(g->b, n->kind == N_BREAK ? g->loop->brk : g->loop->cont);
		LLVMPositionBuilderAtEnd(g->b, bpffn_block(g->f, "dead"));
		break;
	case N_RETURN:
		if (n->left)
			cg_expr(g, n->left);
		cg_return(g);
		break;
	case N_BLOCK:
		cg_block(g, n);
		break;
	default:
		break;
	}
}

void cg_block(struct cg *g, struct node *block)
{
	for (size_t i = 0; i < block->list.n; i++)
		cg_stmt(g, block->list.v[i]);
}
