/* Statements and control flow. */
#include "internal.h"

#include <stdio.h>

/* A loop body runs as a callback of a helper (bpf_loop for a range,
 * bpf_for_each_map_elem for a map), so the verifier checks it once,
 * whatever the number of iterations, instead of walking an inline loop
 * iteration by iteration until it gives up.  The program's variables live
 * in the scratch area (cg_place_vars), where both functions reach them;
 * the rest comes in a frame on the caller's stack, passed as the
 * callback's context: */
enum {
	FRAME_CTX = 0,        /* the program's context: args, argN, kstack... need it */
	FRAME_START = 8,      /* a range's first value */
	FRAME_RETURNED = 16,  /* set when the body ran `return` */
	FRAME_SIZE = 24,
};

static LLVMValueRef i64c(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->m->i64, v, 0);
}

/* `return` leaves the program; in a loop body's callback it first marks
 * the frame and stops the loop, and the caller returns in turn. */
void cg_return(struct cg *g)
{
	if (g->frame) {
		bpffn_store_int(g->f, bpffn_offset(g->f, g->frame, FRAME_RETURNED), i64c(g, 1), 8);
		LLVMBuildRet(g->b, i64c(g, 1));
	} else {
		LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	}
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

static LLVMValueRef new_frame(struct cg *g)
{
	LLVMValueRef frame = bpffn_alloca(g->f, LLVMArrayType2(g->m->i64, FRAME_SIZE / 8));
	LLVMBuildStore(g->b, g->f->ctx, frame);
	bpffn_store_int(g->f, bpffn_offset(g->f, frame, FRAME_RETURNED), i64c(g, 0), 8);
	return frame;
}

/* What a callback replaces in g while its body is generated. */
struct outer {
	struct bpf_fn *f;
	LLVMValueRef frame;
	struct loop *loop;
};

/* Starts callback `kind`_N whose last parameter is the frame. */
static struct bpf_fn *enter_callback(struct cg *g, const char *kind, int line, const char *const *params,
				     unsigned nparams, struct outer *o)
{
	char name[32];
	snprintf(name, sizeof(name), "%s_%d", kind, g->serial++);
	*o = (struct outer){ .f = g->f, .frame = g->frame, .loop = g->loop };
	struct bpf_fn *cb = bpffn_begin_callback(g->f, name, line, params, nparams);
	g->f = cb;
	g->frame = LLVMGetParam(cb->fn, nparams - 1);
	g->loop = NULL;
	cb->ctx = LLVMBuildLoad2(g->b, g->m->ptr, bpffn_offset(cb, g->frame, FRAME_CTX), "ctx");
	return cb;
}

/* The body: break returns 1 (stop), continue and the end return 0 (next). */
static void callback_body(struct cg *g, struct node *body)
{
	LLVMBasicBlockRef next = bpffn_block(g->f, "loop.next");
	LLVMBasicBlockRef stop = bpffn_block(g->f, "loop.stop");
	loop_body(g, body, stop, next);
	LLVMBuildBr(g->b, next);
	LLVMPositionBuilderAtEnd(g->b, next);
	LLVMBuildRet(g->b, i64c(g, 0));
	LLVMPositionBuilderAtEnd(g->b, stop);
	LLVMBuildRet(g->b, i64c(g, 1));
}

/* Ends the callback; returns it, as a value to pass to the helper. */
static LLVMValueRef leave_callback(struct cg *g, struct bpf_fn *cb, const struct outer *o)
{
	LLVMValueRef fn = cb->fn;
	bpffn_end(cb);
	g->f = o->f;
	g->frame = o->frame;
	g->loop = o->loop;
	return fn;
}

static bool is_return(const struct node *n, const void *arg)
{
	(void)arg;
	return n->kind == N_RETURN || (n->kind == N_CALL && n->fn && n->fn->id == BI_EXIT);
}

static bool has_return(const struct node *n)
{
	return node_any(n, is_return, NULL);
}

/* After the helper: return too if the body did. */
static void check_returned(struct cg *g, LLVMValueRef frame, struct node *body)
{
	if (!has_return(body))
		return;
	LLVMValueRef flag = bpffn_load_int(g->f, bpffn_offset(g->f, frame, FRAME_RETURNED), 8, false);
	LLVMBasicBlockRef ret = bpffn_block(g->f, "loop.returned");
	LLVMBasicBlockRef go_on = bpffn_block(g->f, "loop.after");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntNE, flag, i64c(g, 0), ""), ret, go_on);
	LLVMPositionBuilderAtEnd(g->b, ret);
	cg_return(g);
	LLVMBuildBr(g->b, go_on);
	LLVMPositionBuilderAtEnd(g->b, go_on);
}

/* end - start iterations, none when end <= start; past bpf_loop's u32
 * count it asks for the most, which the helper refuses rather than run a
 * wrapped-around count. */
static LLVMValueRef range_count(struct cg *g, LLVMValueRef start, LLVMValueRef end)
{
	LLVMBuilderRef b = g->b;
	LLVMValueRef n = LLVMBuildSub(b, end, start, "");
	n = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSLT, start, end, ""), n, i64c(g, 0), "");
	LLVMValueRef big = LLVMBuildICmp(b, LLVMIntUGT, n, i64c(g, UINT32_MAX), "");
	return LLVMBuildSelect(b, big, i64c(g, UINT32_MAX), n, "");
}

/* for ($i : a..b): both bounds evaluated once, b exclusive; the body is a
 * bpf_loop callback that sets $i from the start and its index. */
static void for_range(struct cg *g, struct node *n)
{
	LLVMValueRef start = cg_norm(g, cg_expr(g, n->cond), type_s64());
	LLVMValueRef end = cg_norm(g, cg_expr(g, n->right), type_s64());
	LLVMValueRef count = range_count(g, start, end);
	LLVMValueRef frame = new_frame(g);
	bpffn_store_int(g->f, bpffn_offset(g->f, frame, FRAME_START), start, 8);
	static const char *const params[] = { "index", "frame" };
	struct outer o;
	struct bpf_fn *cb = enter_callback(g, "range", n->loc.line, params, 2, &o);
	LLVMValueRef first = bpffn_load_int(cb, bpffn_offset(cb, g->frame, FRAME_START), 8, true);
	LLVMValueRef index = LLVMBuildPtrToInt(g->b, LLVMGetParam(cb->fn, 0), g->m->i64, "");
	bpffn_store_int(cb, cg_var_ptr(g, n->left->sym), LLVMBuildAdd(g->b, first, index, ""), 8);
	callback_body(g, n->body);
	LLVMValueRef fn = leave_callback(g, cb, &o);
	LLVMValueRef args[4] = { count, fn, frame, i64c(g, 0) };
	bpffn_helper(g->f, BPF_FUNC_loop, g->m->i64, args, 4);
	check_returned(g, frame, n->body);
}

/* for ($kv : @m): the body is a bpf_for_each_map_elem callback. */
static void for_map(struct cg *g, struct node *n)
{
	struct map_def *m = n->right->map;
	LLVMValueRef frame = new_frame(g);
	static const char *const params[] = { "map", "key", "value", "frame" };
	struct outer o;
	struct bpf_fn *cb = enter_callback(g, "for_each", n->loc.line, params, 4, &o);
	struct sym *sym = n->left->sym;
	const struct type *t = sym->type;
	LLVMValueRef kv = cg_var_ptr(g, sym);
	LLVMValueRef key = LLVMGetParam(cb->fn, 1), val = LLVMGetParam(cb->fn, 2);
	const struct field *kf = &t->fields[0], *vf = &t->fields[1];
	cg_store(g, bpffn_offset(cb, kv, kf->offset), kf->type, cg_load(g, key, m->key), m->key);
	const struct type *stored = type_is_agg(m->value) ? vf->type : m->value;
	cg_store(g, bpffn_offset(cb, kv, vf->offset), vf->type, cg_load(g, val, stored), stored);
	callback_body(g, n->body);
	LLVMValueRef fn = leave_callback(g, cb, &o);
	LLVMValueRef args[4] = { g->maps[m->id], fn, frame, i64c(g, 0) };
	bpffn_helper(g->f, BPF_FUNC_for_each_map_elem, g->m->i64, args, 4);
	check_returned(g, frame, n->body);
}

static void unroll(struct cg *g, struct node *n)
{
	for (int64_t i = 0; i < n->left->cval; i++)
		cg_block(g, n->body);
}

/* Temporaries die with their statement: the next one reuses their stack
 * slots and scratch space, so a long run of printfs needs no more than
 * its biggest one. */
void cg_stmt(struct cg *g, struct node *n)
{
	struct bpf_fn *f = g->f;
	struct bpffn_mark mark = bpffn_mark(f);
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
		cg_internal(g, &n->loc, node_kind_name(n->kind));
		break;
	}
	bpffn_release(f, mark);
}

void cg_block(struct cg *g, struct node *block)
{
	for (size_t i = 0; i < block->list.n; i++)
		cg_stmt(g, block->list.v[i]);
}
