/* Map keys, reads, writes and aggregations. */
#include "internal.h"

#include <assert.h>


static LLVMValueRef i64c(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->m->i64, v, 0);
}

static LLVMValueRef map_ref(struct cg *g, struct map_def *m)
{
	return g->maps[m->id];
}

LLVMValueRef cg_map_key(struct cg *g, struct map_def *m, nodelist *keys)
{
	uint32_t size = map_def_key_size(m);
	LLVMValueRef tmp = bpffn_temp(g->f, size);
	if (m->key->kind == TY_NONE) {
		bpffn_store_int(g->f, tmp, i64c(g, 0), 8);
		return tmp;
	}
	if (size > 8 || m->key->size < 8)
		bpffn_memset0(g->f, tmp, ALIGN_UP(size, 8), 8);
	if (keys->n == 1) {
		struct node *k = keys->v[0];
		cg_store(g, tmp, m->key, cg_expr(g, k), k->type);
		return tmp;
	}
	for (size_t i = 0; i < keys->n && i < m->key->nfields; i++) {
		const struct field *f = &m->key->fields[i];
		cg_store(g, bpffn_offset(g->f, tmp, f->offset), f->type, cg_expr(g, keys->v[i]), keys->v[i]->type);
	}
	return tmp;
}

static LLVMValueRef lookup(struct cg *g, struct map_def *m, LLVMValueRef key)
{
	LLVMValueRef args[2] = { map_ref(g, m), key };
	return bpffn_helper(g->f, BPF_FUNC_map_lookup_elem, g->m->ptr, args, 2);
}

static LLVMValueRef update(struct cg *g, struct map_def *m, LLVMValueRef key, LLVMValueRef val, uint64_t flags)
{
	LLVMValueRef args[4] = { map_ref(g, m), key, val, i64c(g, flags) };
	return bpffn_helper(g->f, BPF_FUNC_map_update_elem, g->m->i64, args, 4);
}

/* ---- reading ---- */

struct agg_acc {
	LLVMValueRef a, b;   /* value/total and set/count */
};

/* Folds one CPU's value at p into acc (phi inputs are the caller's). */
static struct agg_acc fold_value(struct cg *g, const struct type *t, LLVMValueRef p, struct agg_acc acc)
{
	LLVMValueRef v = bpffn_load_int(g->f, p, 8, t->is_signed);
	switch (t->kind) {
	case TY_MIN:
	case TY_MAX: {
		LLVMValueRef set = bpffn_load_int(g->f, bpffn_offset(g->f, p, 8), 8, false);
		LLVMValueRef is_set = LLVMBuildICmp(g->b, LLVMIntNE, set, i64c(g, 0), "");
		LLVMValueRef had = LLVMBuildICmp(g->b, LLVMIntNE, acc.b, i64c(g, 0), "");
		LLVMIntPredicate pr = t->kind == TY_MIN ? (t->is_signed ? LLVMIntSLT : LLVMIntULT)
							: (t->is_signed ? LLVMIntSGT : LLVMIntUGT);
		LLVMValueRef better = LLVMBuildOr(g->b, LLVMBuildNot(g->b, had, ""),
						  LLVMBuildICmp(g->b, pr, v, acc.a, ""), "");
		LLVMValueRef take = LLVMBuildAnd(g->b, is_set, better, "");
		acc.a = LLVMBuildSelect(g->b, take, v, acc.a, "");
		acc.b = LLVMBuildSelect(g->b, is_set, i64c(g, 1), acc.b, "");
		return acc;
	}
	case TY_AVG:
	case TY_STATS:
		acc.a = LLVMBuildAdd(g->b, acc.a, v, "");
		acc.b = LLVMBuildAdd(g->b, acc.b, bpffn_load_int(g->f, bpffn_offset(g->f, p, 8), 8, false), "");
		return acc;
	case TY_COUNT:
	case TY_SUM:
		acc.a = LLVMBuildAdd(g->b, acc.a, v, "");
		return acc;
	default:   /* sema: the others cannot be read as a number */
		assert(!"fold_value() of an aggregation that is no number");
		return acc;
	}
}

static LLVMValueRef agg_result(struct cg *g, const struct type *t, struct agg_acc acc)
{
	if (t->kind != TY_AVG)
		return acc.a;
	/* Integer average; 0 when there is nothing yet. */
	LLVMValueRef zero = LLVMBuildICmp(g->b, LLVMIntEQ, acc.b, i64c(g, 0), "");
	LLVMValueRef cnt = LLVMBuildSelect(g->b, zero, i64c(g, 1), acc.b, "");
	LLVMValueRef neg = LLVMBuildICmp(g->b, LLVMIntSLT, acc.a, i64c(g, 0), "");
	LLVMValueRef mag = LLVMBuildSelect(g->b, neg, LLVMBuildNeg(g->b, acc.a, ""), acc.a, "");
	LLVMValueRef q = LLVMBuildUDiv(g->b, mag, cnt, "");
	return LLVMBuildSelect(g->b, neg, LLVMBuildNeg(g->b, q, ""), q, "");
}

/* An aggregation read as a number: the sum over all CPUs, as user space
 * would print it, via bpf_map_lookup_percpu_elem. */
static LLVMValueRef read_agg(struct cg *g, struct map_def *m, LLVMValueRef key)
{
	const struct type *t = m->value;
	struct bpf_module *mod = g->m;
	if (!map_def_is_percpu(m)) {
		LLVMValueRef p = lookup(g, m, key);
		LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
		LLVMBasicBlockRef have = bpffn_block(g->f, "agg.have");
		LLVMBasicBlockRef done = bpffn_block(g->f, "agg.done");
		LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), done, have);
		LLVMPositionBuilderAtEnd(g->b, have);
		struct agg_acc acc = fold_value(g, t, p, (struct agg_acc){ i64c(g, 0), i64c(g, 0) });
		LLVMValueRef v = agg_result(g, t, acc);
		LLVMBasicBlockRef have_end = LLVMGetInsertBlock(g->b);
		LLVMBuildBr(g->b, done);
		LLVMPositionBuilderAtEnd(g->b, done);
		LLVMValueRef phi = LLVMBuildPhi(g->b, mod->i64, "");
		LLVMValueRef vals[2] = { i64c(g, 0), v };
		LLVMBasicBlockRef blocks[2] = { pre, have_end };
		LLVMAddIncoming(phi, vals, blocks, 2);
		return phi;
	}
	int ncpus = libbpf_num_possible_cpus();
	if (ncpus < 1)
		ncpus = 1;
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
	LLVMBasicBlockRef loop = bpffn_block(g->f, "cpus.loop");
	LLVMBasicBlockRef have = bpffn_block(g->f, "cpus.have");
	LLVMBasicBlockRef next = bpffn_block(g->f, "cpus.next");
	LLVMBasicBlockRef done = bpffn_block(g->f, "cpus.done");
	LLVMBuildBr(g->b, loop);
	LLVMPositionBuilderAtEnd(g->b, loop);
	LLVMValueRef cpu = LLVMBuildPhi(g->b, mod->i64, "cpu");
	LLVMValueRef a = LLVMBuildPhi(g->b, mod->i64, "acc");
	LLVMValueRef b = LLVMBuildPhi(g->b, mod->i64, "acc2");
	LLVMValueRef args[3] = { map_ref(g, m), key, LLVMBuildTrunc(g->b, cpu, mod->i32, "") };
	LLVMValueRef p = bpffn_helper(g->f, BPF_FUNC_map_lookup_percpu_elem, mod->ptr, args, 3);
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), next, have);
	LLVMPositionBuilderAtEnd(g->b, have);
	struct agg_acc acc = fold_value(g, t, p, (struct agg_acc){ a, b });
	LLVMBasicBlockRef have_end = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, next);
	LLVMPositionBuilderAtEnd(g->b, next);
	LLVMValueRef na = LLVMBuildPhi(g->b, mod->i64, "");
	LLVMValueRef nb = LLVMBuildPhi(g->b, mod->i64, "");
	LLVMValueRef av[2] = { a, acc.a }, bv[2] = { b, acc.b };
	LLVMBasicBlockRef from[2] = { loop, have_end };
	LLVMAddIncoming(na, av, from, 2);
	LLVMAddIncoming(nb, bv, from, 2);
	LLVMValueRef cpu1 = LLVMBuildAdd(g->b, cpu, i64c(g, 1), "");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntULT, cpu1, i64c(g, (uint64_t)ncpus), ""), loop, done);
	LLVMValueRef cv[2] = { i64c(g, 0), cpu1 }, a0[2] = { i64c(g, 0), na }, b0[2] = { i64c(g, 0), nb };
	LLVMBasicBlockRef lf[2] = { pre, next };
	LLVMAddIncoming(cpu, cv, lf, 2);
	LLVMAddIncoming(a, a0, lf, 2);
	LLVMAddIncoming(b, b0, lf, 2);
	LLVMPositionBuilderAtEnd(g->b, done);
	return agg_result(g, t, (struct agg_acc){ na, nb });
}

LLVMValueRef cg_map_read(struct cg *g, struct node *n)
{
	struct map_def *m = n->map;
	LLVMValueRef key = cg_map_key(g, m, &n->list);
	if (type_is_agg(m->value))
		return cg_norm(g, read_agg(g, m, key), n->type);
	LLVMValueRef p = lookup(g, m, key);
	const struct type *t = m->value;
	LLVMValueRef tmp = bpffn_temp(g->f, t->size ? t->size : 8);
	LLVMBasicBlockRef have = bpffn_block(g->f, "map.have");
	LLVMBasicBlockRef none = bpffn_block(g->f, "map.none");
	LLVMBasicBlockRef done = bpffn_block(g->f, "map.done");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), none, have);
	LLVMPositionBuilderAtEnd(g->b, have);
	bpffn_memcpy(g->f, tmp, p, t->size ? t->size : 8, 8);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, none);
	bpffn_memset0(g->f, tmp, ALIGN_UP(t->size ? t->size : 8, 8), 8);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
	return cg_load(g, tmp, t);
}

LLVMValueRef cg_map_addr(struct cg *g, struct node *n)
{
	struct map_def *m = n->map;
	LLVMValueRef p = lookup(g, m, cg_map_key(g, m, &n->list));
	return LLVMBuildPtrToInt(g->b, p, g->m->i64, "");
}

/* ---- aggregations ---- */

static LLVMValueRef hist_index(struct cg *g, LLVMValueRef v, int k)
{
	LLVMBuilderRef b = g->b;
	uint64_t mask = (1ULL << k) - 1;
	LLVMValueRef n = v;
	LLVMValueRef l = i64c(g, 0);
	static const unsigned steps[] = { 32, 16, 8, 4, 2, 1 };
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		LLVMValueRef ge = LLVMBuildICmp(b, LLVMIntUGE, n, i64c(g, 1ULL << steps[i]), "");
		LLVMValueRef s = LLVMBuildSelect(b, ge, i64c(g, steps[i]), i64c(g, 0), "");
		n = LLVMBuildLShr(b, n, s, "");
		l = LLVMBuildAdd(b, l, s, "");
	}
	l = LLVMBuildSub(b, l, i64c(g, (uint64_t)k), "");
	LLVMValueRef x = LLVMBuildAnd(b, LLVMBuildLShr(b, v, l, ""), i64c(g, mask), "");
	LLVMValueRef big = LLVMBuildAdd(b, LLVMBuildAdd(b, LLVMBuildShl(b, LLVMBuildAdd(b, l, i64c(g, 1), ""),
									      i64c(g, (uint64_t)k), ""), x, ""),
				       i64c(g, 1), "");
	LLVMValueRef small = LLVMBuildAdd(b, v, i64c(g, 1), "");
	LLVMValueRef is_small = LLVMBuildICmp(b, LLVMIntULE, v, i64c(g, mask), "");
	LLVMValueRef r = LLVMBuildSelect(b, is_small, small, big, "");
	LLVMValueRef neg = LLVMBuildICmp(b, LLVMIntSLT, v, i64c(g, 0), "");
	return LLVMBuildSelect(b, neg, i64c(g, 0), r, "");
}

static LLVMValueRef lhist_index(struct cg *g, LLVMValueRef v, const struct type *t)
{
	LLVMBuilderRef b = g->b;
	LLVMValueRef min = i64c(g, (uint64_t)t->lhist_min), max = i64c(g, (uint64_t)t->lhist_max);
	uint64_t over = 1 + (uint64_t)(t->lhist_max - t->lhist_min) / (uint64_t)t->lhist_step;
	LLVMValueRef in = LLVMBuildAdd(b, LLVMBuildUDiv(b, LLVMBuildSub(b, v, min, ""),
						       i64c(g, (uint64_t)t->lhist_step), ""), i64c(g, 1), "");
	LLVMValueRef r = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, v, max, ""), i64c(g, over), in, "");
	return LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSLT, v, min, ""), i64c(g, 0), r, "");
}

static void add_to(struct cg *g, LLVMValueRef p, LLVMValueRef v, bool atomic)
{
	if (atomic) {
		LLVMBuildAtomicRMW(g->b, LLVMAtomicRMWBinOpAdd, p, v, LLVMAtomicOrderingMonotonic, 0);
		return;
	}
	LLVMValueRef old = bpffn_load_int(g->f, p, 8, false);
	bpffn_store_int(g->f, p, LLVMBuildAdd(g->b, old, v, ""), 8);
}

/* Folds v into the value at p. */
static void agg_apply(struct cg *g, struct map_def *m, LLVMValueRef p, LLVMValueRef v)
{
	const struct type *t = m->value;
	bool atomic = !map_def_is_percpu(m);
	switch (t->kind) {
	case TY_MIN:
	case TY_MAX: {
		LLVMValueRef cur = bpffn_load_int(g->f, p, 8, true);
		LLVMValueRef setp = bpffn_offset(g->f, p, 8);
		LLVMValueRef set = bpffn_load_int(g->f, setp, 8, false);
		LLVMIntPredicate pr = t->kind == TY_MIN ? (t->is_signed ? LLVMIntSLT : LLVMIntULT)
							: (t->is_signed ? LLVMIntSGT : LLVMIntUGT);
		LLVMValueRef take = LLVMBuildOr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, set, i64c(g, 0), ""),
						LLVMBuildICmp(g->b, pr, v, cur, ""), "");
		bpffn_store_int(g->f, p, LLVMBuildSelect(g->b, take, v, cur, ""), 8);
		bpffn_store_int(g->f, setp, i64c(g, 1), 8);
		break;
	}
	case TY_AVG:
	case TY_STATS:
		add_to(g, p, v, atomic);
		add_to(g, bpffn_offset(g->f, p, 8), i64c(g, 1), atomic);
		break;
	case TY_COUNT:
	case TY_HIST:
	case TY_LHIST:
		add_to(g, p, i64c(g, 1), atomic);
		break;
	case TY_SUM:
		add_to(g, p, v, atomic);
		break;
	default:
		assert(!"agg_apply() of a kind aggregate() lets through");
		break;
	}
}

static void agg_initial(struct cg *g, struct map_def *m, LLVMValueRef buf, LLVMValueRef v)
{
	const struct type *t = m->value;
	uint32_t size = type_map_value_size(t);
	bpffn_memset0(g->f, buf, ALIGN_UP(size, 8), 8);
	switch (t->kind) {
	case TY_COUNT: case TY_HIST: case TY_LHIST:
		bpffn_store_int(g->f, buf, i64c(g, 1), 8);
		break;
	case TY_MIN: case TY_MAX: case TY_AVG: case TY_STATS:
		bpffn_store_int(g->f, buf, v, 8);
		bpffn_store_int(g->f, bpffn_offset(g->f, buf, 8), i64c(g, 1), 8);
		break;
	case TY_SUM:
		bpffn_store_int(g->f, buf, v, 8);
		break;
	default:
		assert(!"agg_initial() of a kind aggregate() lets through");
		break;
	}
}

/* Folds v into bucket b of a time series: a bucket from an older interval
 * starts over. */
static void tseries_bucket(struct cg *g, const struct type *t, LLVMValueRef b, LLVMValueRef epoch, LLVMValueRef v)
{
	LLVMBuilderRef bl = g->b;
	LLVMValueRef valp = bpffn_offset(g->f, b, 8), cntp = bpffn_offset(g->f, b, 16);
	LLVMValueRef old_epoch = bpffn_load_int(g->f, b, 8, false);
	LLVMValueRef fresh = LLVMBuildICmp(bl, LLVMIntNE, old_epoch, epoch, "");
	LLVMValueRef cur = bpffn_load_int(g->f, valp, 8, true);
	LLVMValueRef cnt = bpffn_load_int(g->f, cntp, 8, false);
	LLVMValueRef folded;
	switch (t->ts_mode) {
	case 1: case 4:   /* avg keeps the total; sum is the total */
		folded = LLVMBuildAdd(bl, cur, v, "");
		break;
	case 2:
	case 3: {
		LLVMIntPredicate p = t->ts_mode == 2 ? (t->is_signed ? LLVMIntSLT : LLVMIntULT)
						     : (t->is_signed ? LLVMIntSGT : LLVMIntUGT);
		folded = LLVMBuildSelect(bl, LLVMBuildICmp(bl, p, v, cur, ""), v, cur, "");
		break;
	}
	case 0:   /* the last value */
		folded = v;
		break;
	default:
		assert(!"a tseries mode t_tseries() does not make");
		folded = v;
		break;
	}
	bpffn_store_int(g->f, b, epoch, 8);
	bpffn_store_int(g->f, valp, LLVMBuildSelect(bl, fresh, v, folded, ""), 8);
	bpffn_store_int(g->f, cntp, LLVMBuildSelect(bl, fresh, i64c(g, 1), LLVMBuildAdd(bl, cnt, i64c(g, 1), ""), ""), 8);
}

static void tseries(struct cg *g, struct map_def *m, LLVMValueRef key, LLVMValueRef v)
{
	const struct type *t = m->value;
	/* TAI, as bpftrace: intervals start on whole multiples of wall time. */
	LLVMValueRef now = bpffn_helper(g->f, BPF_FUNC_ktime_get_tai_ns, g->m->i64, NULL, 0);
	LLVMValueRef epoch = LLVMBuildUDiv(g->b, now, i64c(g, (uint64_t)t->ts_interval), "");
	LLVMValueRef slot = LLVMBuildAnd(g->b, epoch, i64c(g, tseries_slots(t) - 1), "");
	LLVMValueRef off = LLVMBuildMul(g->b, slot, i64c(g, TSERIES_BUCKET_SIZE), "");
	LLVMValueRef p = lookup(g, m, key);
	LLVMBasicBlockRef create = bpffn_block(g->f, "ts.new");
	LLVMBasicBlockRef have = bpffn_block(g->f, "ts.have");
	LLVMBasicBlockRef done = bpffn_block(g->f, "ts.done");
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), create, have);
	/* A new key starts from the zeroed value of the zeroes map. */
	LLVMPositionBuilderAtEnd(g->b, create);
	LLVMValueRef zkey = bpffn_alloca(g->f, g->m->i32);
	LLVMBuildStore(g->b, LLVMConstInt(g->m->i32, 0, 0), zkey);
	LLVMValueRef zargs[2] = { g->zeroes, zkey };
	LLVMValueRef zero = bpffn_helper(g->f, BPF_FUNC_map_lookup_elem, g->m->ptr, zargs, 2);
	LLVMBasicBlockRef insert = bpffn_block(g->f, "ts.insert");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, zero, ""), done, insert);
	LLVMPositionBuilderAtEnd(g->b, insert);
	update(g, m, key, zero, BPF_NOEXIST);
	LLVMValueRef p2 = lookup(g, m, key);
	LLVMBasicBlockRef insert_end = LLVMGetInsertBlock(g->b);
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p2, ""), done, have);
	LLVMPositionBuilderAtEnd(g->b, have);
	LLVMValueRef val = LLVMBuildPhi(g->b, g->m->ptr, "");
	LLVMValueRef vals[2] = { p, p2 };
	LLVMBasicBlockRef from[2] = { pre, insert_end };
	LLVMAddIncoming(val, vals, from, 2);
	tseries_bucket(g, t, bpffn_offset_dyn(g->f, val, off), epoch, v);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
}

static void aggregate(struct cg *g, struct node *assign)
{
	struct node *lhs = assign->left, *call = assign->right;
	struct map_def *m = lhs->map;
	switch (m->value->kind) {
	case TY_COUNT: case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG: case TY_STATS:
	case TY_HIST: case TY_LHIST: case TY_TSERIES:
		break;
	default:
		cg_internal(g, &assign->loc, "this aggregation");
		return;
	}
	LLVMValueRef v = call->list.n ? cg_norm(g, cg_expr(g, call->list.v[0]), call->list.v[0]->type) : i64c(g, 1);
	LLVMValueRef key = cg_map_key(g, m, &lhs->list);
	if (m->value->kind == TY_TSERIES) {
		tseries(g, m, key, v);
		return;
	}
	if (m->value->kind == TY_HIST || m->value->kind == TY_LHIST) {
		LLVMValueRef idx = m->value->kind == TY_HIST ? hist_index(g, v, (int)m->value->hist_bits)
							     : lhist_index(g, v, m->value);
		bpffn_store_int(g->f, bpffn_offset(g->f, key, map_def_bucket_offset(m)), idx, 8);
	}
	LLVMValueRef p = lookup(g, m, key);
	LLVMBasicBlockRef have = bpffn_block(g->f, "agg.have");
	LLVMBasicBlockRef create = bpffn_block(g->f, "agg.new");
	LLVMBasicBlockRef raced = bpffn_block(g->f, "agg.raced");
	LLVMBasicBlockRef retry = bpffn_block(g->f, "agg.retry");
	LLVMBasicBlockRef done = bpffn_block(g->f, "agg.done");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), create, have);

	LLVMPositionBuilderAtEnd(g->b, have);
	agg_apply(g, m, p, v);
	LLVMBuildBr(g->b, done);

	/* Insert the first value; if another CPU got there first, add to its entry. */
	LLVMPositionBuilderAtEnd(g->b, create);
	LLVMValueRef init = bpffn_temp(g->f, type_map_value_size(m->value));
	agg_initial(g, m, init, v);
	LLVMValueRef rc = update(g, m, key, init, BPF_NOEXIST);
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, rc, i64c(g, 0), ""), done, raced);

	/* Not there after a failed insert: the map is full. */
	LLVMPositionBuilderAtEnd(g->b, raced);
	LLVMValueRef p2 = lookup(g, m, key);
	LLVMBasicBlockRef full = bpffn_block(g->f, "agg.full");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p2, ""), full, retry);
	LLVMPositionBuilderAtEnd(g->b, full);
	if (assign->aux)
		cg_record(g, assign->aux, NULL, NULL);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, retry);
	agg_apply(g, m, p2, v);
	LLVMBuildBr(g->b, done);

	LLVMPositionBuilderAtEnd(g->b, done);
}

/* The assignment's "map full" warning when the update failed. */
static void warn_if_refused(struct cg *g, struct node *assign, LLVMValueRef refused)
{
	if (!assign->aux)
		return;
	LLVMBasicBlockRef warn = bpffn_block(g->f, "map.full");
	LLVMBasicBlockRef done = bpffn_block(g->f, "map.stored");
	LLVMBuildCondBr(g->b, refused, warn, done);
	LLVMPositionBuilderAtEnd(g->b, warn);
	cg_record(g, assign->aux, NULL, NULL);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
}

void cg_map_assign(struct cg *g, struct node *assign)
{
	struct node *lhs = assign->left;
	struct map_def *m = lhs->map;
	if (type_is_agg(m->value)) {
		aggregate(g, assign);
		return;
	}
	LLVMValueRef v = cg_expr(g, assign->right);
	LLVMValueRef val = bpffn_temp(g->f, m->value->size ? m->value->size : 8);
	cg_store(g, val, m->value, v, assign->right->type);
	LLVMValueRef key = cg_map_key(g, m, &lhs->list);
	LLVMValueRef rc = update(g, m, key, val, BPF_ANY);
	warn_if_refused(g, assign, LLVMBuildICmp(g->b, LLVMIntNE, rc, i64c(g, 0), ""));
}

LLVMValueRef cg_map_incdec(struct cg *g, struct node *n)
{
	struct map_def *m = n->left->map;
	const struct type *t = m->value;
	LLVMValueRef key = cg_map_key(g, m, &n->left->list);
	uint64_t size = cg_incdec_step(n);
	LLVMValueRef step = i64c(g, n->op == OP_INC ? size : (uint64_t)0 - size);
	LLVMValueRef p = lookup(g, m, key);
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
	LLVMBasicBlockRef have = bpffn_block(g->f, "inc.have");
	LLVMBasicBlockRef create = bpffn_block(g->f, "inc.new");
	LLVMBasicBlockRef done = bpffn_block(g->f, "inc.done");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), create, have);
	(void)pre;

	LLVMPositionBuilderAtEnd(g->b, have);
	LLVMValueRef old = cg_load(g, p, t);
	LLVMValueRef nv = cg_norm(g, LLVMBuildAdd(g->b, old, step, ""), t);
	cg_store(g, p, t, nv, t);
	LLVMBasicBlockRef have_end = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, done);

	LLVMPositionBuilderAtEnd(g->b, create);
	LLVMValueRef buf = bpffn_temp(g->f, 8);
	LLVMValueRef first = cg_norm(g, step, t);
	cg_store(g, buf, t, first, t);
	update(g, m, key, buf, BPF_ANY);
	LLVMBasicBlockRef create_end = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, done);

	LLVMPositionBuilderAtEnd(g->b, done);
	LLVMValueRef r = LLVMBuildPhi(g->b, g->m->i64, "");
	LLVMValueRef vals[2] = { n->is_post ? old : nv, n->is_post ? i64c(g, 0) : first };
	LLVMBasicBlockRef blocks[2] = { have_end, create_end };
	LLVMAddIncoming(r, vals, blocks, 2);
	return r;
}

/* The key of delete(@m, k) / has_key(@m, k): a tuple stands for several keys. */
static LLVMValueRef call_key(struct cg *g, struct node *call)
{
	struct node *mapn = call->list.v[0];
	struct map_def *m = mapn->map;
	if (mapn->list.n)
		return cg_map_key(g, m, &mapn->list);
	if (call->list.n < 2)
		return cg_map_key(g, m, &mapn->list);
	struct node *k = call->list.v[1];
	nodelist one = { 0 };
	if (k->kind == N_TUPLE && m->key->kind == TY_TUPLE && k->list.n == m->key->nfields)
		return cg_map_key(g, m, &k->list);
	nodelist_push(g->a, &one, k);
	return cg_map_key(g, m, &one);
}

/* len(@m): bpf_for_each_map_elem returns how many elements it visited;
 * the callback just goes on. */
static LLVMValueRef map_len(struct cg *g, struct map_def *m)
{
	if (!g->len_cb) {
		static const char *const params[] = { "map", "key", "value", "ctx" };
		struct bpf_fn *cb = bpffn_begin_callback(g->f, "count_elements", 0, params, 4);
		g->len_cb = cb->fn;
		LLVMBuildRet(g->b, LLVMConstInt(g->m->i64, 0, 0));
		bpffn_end(cb);
	}
	LLVMValueRef args[4] = { map_ref(g, m), g->len_cb, LLVMConstNull(g->m->ptr), i64c(g, 0) };
	return bpffn_helper(g->f, BPF_FUNC_for_each_map_elem, g->m->i64, args, 4);
}

LLVMValueRef cg_map_call(struct cg *g, struct node *call)
{
	struct map_def *m = call->list.v[0]->map;
	if (call->fn->id == BI_LEN)
		return map_len(g, m);
	LLVMValueRef key = call_key(g, call);
	switch (call->fn->id) {
	case BI_DELETE: {
		LLVMValueRef args[2] = { map_ref(g, m), key };
		LLVMValueRef rc = bpffn_helper(g->f, BPF_FUNC_map_delete_elem, g->m->i64, args, 2);
		return cg_bool(g, LLVMBuildICmp(g->b, LLVMIntEQ, rc, i64c(g, 0), ""));
	}
	case BI_HAS_KEY:
		return cg_bool(g, LLVMBuildIsNotNull(g->b, lookup(g, m, key), ""));
	default:
		return cg_unsupported(g, call, call->fn->name);
	}
}

/* Slot 0 of a one-slot array map (lost records, start time, setup pid):
 * its address, or null.  The verifier inlines the lookup. */
LLVMValueRef cg_array_slot0(struct cg *g, LLVMValueRef map)
{
	LLVMValueRef key = bpffn_alloca(g->f, g->m->i32);
	LLVMBuildStore(g->b, LLVMConstInt(g->m->i32, 0, 0), key);
	LLVMValueRef args[2] = { map, key };
	return bpffn_helper(g->f, BPF_FUNC_map_lookup_elem, g->m->ptr, args, 2);
}
