/* The builtin table.  Type rules first, then emitters, then the table. */
#include "internal.h"

#include "../bpf/arch.h"
#include "../probes/probe.h"

#include <string.h>

void bi_arg_error(struct bi_check *c, size_t i, const char *want)
{
	struct strbuf got = {0};
	type_name(&got, c->args[i].type);
	diag_error(c->d, &c->args[i].loc, "%s() argument %zu must be %s, not %s",
		   c->bi->name, i + 1, want, sb_str(&got));
	sb_free(&got);
}

static bool want_int(struct bi_check *c, size_t i)
{
	if (type_is_int(c->args[i].type))
		return true;
	bi_arg_error(c, i, "an integer");
	return false;
}

static bool want_const(struct bi_check *c, size_t i, int64_t lo, int64_t hi)
{
	if (!c->args[i].is_const) {
		diag_error(c->d, &c->args[i].loc, "%s() argument %zu must be an integer constant",
			   c->bi->name, i + 1);
		return false;
	}
	if (c->args[i].ival < lo || c->args[i].ival > hi) {
		diag_error(c->d, &c->args[i].loc, "%s() argument %zu must be between %lld and %lld",
			   c->bi->name, i + 1, (long long)lo, (long long)hi);
		return false;
	}
	return true;
}

static bool want_map(struct bi_check *c, size_t i)
{
	if (c->args[i].map && !c->args[i].map_keyed)
		return true;
	diag_error(c->d, &c->args[i].loc, "%s() argument %zu must be a map (@name)", c->bi->name, i + 1);
	return false;
}

/* ---- type rules ---- */

static const struct type *t_u32(struct bi_check *c) { return type_int(4, false); }

/* pid, pid(curr_ns), pid(init): trawk runs in the namespace it traces from,
 * so both name the same ids unless it is itself in a child namespace. */
static const struct type *t_pid_ns(struct bi_check *c)
{
	if (c->nargs && (!c->args[0].ident || (strcmp(c->args[0].ident, "curr_ns") &&
						strcmp(c->args[0].ident, "init")))) {
		diag_error(c->d, &c->args[0].loc, "%s() namespace must be curr_ns or init", c->bi->name);
		return NULL;
	}
	return type_int(4, false);
}
static const struct type *t_u64(struct bi_check *c) { return type_u64(); }
static const struct type *t_void(struct bi_check *c) { return type_none(); }
static const struct type *t_comm(struct bi_check *c) { return type_string(c->a, 16); }

static const struct type *t_curtask(struct bi_check *c)
{
	struct type *st = type_new(c->a, TY_STRUCT);
	st->name = "task_struct";
	st->btf_id = -1;
	return type_ptr(c->a, st, AS_KERNEL);
}

static const struct type *t_probe(struct bi_check *c)
{
	return type_string(c->a, 64);
}

static const struct type *t_count(struct bi_check *c) { return type_simple(TY_COUNT); }

static const struct type *t_sum_like(struct bi_check *c)
{
	if (!want_int(c, 0))
		return NULL;
	enum type_kind k = c->bi->id == BI_SUM ? TY_SUM : c->bi->id == BI_MIN ? TY_MIN :
			   c->bi->id == BI_MAX ? TY_MAX : c->bi->id == BI_AVG ? TY_AVG : TY_STATS;
	struct type *t = type_new(c->a, k);
	*t = *type_simple(k);
	t->is_signed = c->args[0].type->is_signed || c->args[0].type->is_literal;
	return t;
}

static const struct type *t_hist(struct bi_check *c)
{
	if (!want_int(c, 0))
		return NULL;
	struct type *t = type_new(c->a, TY_HIST);
	t->size = t->align = 8;
	if (c->nargs > 1) {
		if (!want_const(c, 1, 0, 5))
			return NULL;
		t->hist_bits = c->args[1].ival;
	}
	return t;
}

static const struct type *t_lhist(struct bi_check *c)
{
	if (!want_int(c, 0) || !want_const(c, 1, INT64_MIN, INT64_MAX) ||
	    !want_const(c, 2, INT64_MIN, INT64_MAX) || !want_const(c, 3, 1, INT64_MAX))
		return NULL;
	int64_t min = c->args[1].ival, max = c->args[2].ival, step = c->args[3].ival;
	if (min > max) {
		diag_error(c->d, &c->args[1].loc, "lhist() min must not be greater than max");
		return NULL;
	}
	if ((max - min) / step > 1000) {
		diag_error(c->d, &c->args[3].loc, "lhist() step is too small: at most 1000 buckets");
		return NULL;
	}
	struct type *t = type_new(c->a, TY_LHIST);
	t->size = t->align = 8;
	t->lhist_min = min;
	t->lhist_max = max;
	t->lhist_step = step;
	return t;
}

/* tseries(n, interval, count[, "avg"|"min"|"max"|"sum"]) */
static const struct type *t_tseries(struct bi_check *c)
{
	static const char *const modes[] = { "last", "avg", "min", "max", "sum" };
	if (!want_int(c, 0) || !want_const(c, 1, 1, INT64_MAX) || !want_const(c, 2, 1, 1000))
		return NULL;
	int mode = 0;
	if (c->nargs > 3) {
		const char *m = c->args[3].str;
		while (m && mode < (int)ARRAY_SIZE(modes) && strcmp(modes[mode], m))
			mode++;
		if (!m || mode == (int)ARRAY_SIZE(modes) || mode == 0) {
			diag_error(c->d, &c->args[3].loc, "tseries() aggregation must be \"avg\", \"min\", \"max\" or \"sum\"");
			return NULL;
		}
	}
	struct type *t = type_new(c->a, TY_TSERIES);
	t->ts_interval = c->args[1].ival;
	t->ts_num = c->args[2].ival;
	t->ts_mode = mode;
	t->is_signed = c->args[0].type->is_signed || c->args[0].type->is_literal;
	t->size = TSERIES_BUCKET_SIZE * tseries_slots(t);
	t->align = 8;
	return t;
}

static const struct type *t_printf(struct bi_check *c)
{
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "%s() format must be a string literal", c->bi->name);
		return NULL;
	}
	return type_none();
}

static const struct type *t_join(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	bool ok = (t->kind == TY_PTR && t->elem->kind == TY_PTR) ||
		  (t->kind == TY_ARRAY && t->elem->kind == TY_PTR) || type_is_int(t);
	if (!ok) {
		bi_arg_error(c, 0, "an array of string pointers (char *[])");
		return NULL;
	}
	if (c->nargs > 1 && !c->args[1].str) {
		diag_error(c->d, &c->args[1].loc, "join() separator must be a string literal");
		return NULL;
	}
	return type_none();
}

static const struct type *t_system(struct bi_check *c)
{
	if (!c->cfg->unsafe) {
		diag_error(c->d, &c->loc, "system() runs commands and is unsafe: use --unsafe to allow it");
		return NULL;
	}
	return t_printf(c);
}

static const struct type *t_exit(struct bi_check *c)
{
	if (c->nargs && !want_int(c, 0))
		return NULL;
	return type_none();
}

static const struct type *t_map_fn(struct bi_check *c)
{
	if (!want_map(c, 0))
		return NULL;
	return type_none();
}

static const struct type *t_print(struct bi_check *c)
{
	if (!c->args[0].map) {
		if (c->nargs > 1) {
			diag_error(c->d, &c->args[1].loc, "print() of a value takes no other arguments");
			return NULL;
		}
		return type_none();
	}
	if (c->args[0].map_keyed) {
		/* print(@m[k]) prints the value. */
		if (c->nargs > 1) {
			diag_error(c->d, &c->args[1].loc, "print() of a value takes no other arguments");
			return NULL;
		}
		return type_none();
	}
	for (size_t i = 1; i < c->nargs; i++)
		if (!want_const(c, i, 0, INT64_MAX))
			return NULL;
	return type_none();
}

static const struct type *t_delete(struct bi_check *c)
{
	if (!c->args[0].map) {
		diag_error(c->d, &c->args[0].loc, "delete() argument 1 must be a map (@name)");
		return NULL;
	}
	if (c->args[0].map_keyed && c->nargs > 1) {
		diag_error(c->d, &c->args[1].loc, "delete(@m[key]) takes no second argument");
		return NULL;
	}
	bool scalar = c->args[0].type && !c->args[0].map_keyed && c->args[0].map_scalar;
	if (!c->args[0].map_keyed && c->nargs == 1 && !scalar) {
		diag_error(c->d, &c->loc, "delete() of %s needs a key: delete(%s, key)", c->args[0].map, c->args[0].map);
		return NULL;
	}
	if (scalar && c->nargs > 1) {
		diag_error(c->d, &c->args[1].loc, "%s has no keys: delete(%s)", c->args[0].map, c->args[0].map);
		return NULL;
	}
	return type_bool();
}

static const struct type *t_has_key(struct bi_check *c)
{
	if (!want_map(c, 0))
		return NULL;
	return type_bool();
}

static const struct type *t_len(struct bi_check *c)
{
	if (!want_map(c, 0))
		return NULL;
	return type_s64();
}

static const struct type *t_str(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	if (t->kind == TY_STRING) {
		/* A string in hand: the length cuts it (a run-time one in codegen). */
		if (c->nargs > 1 && !want_int(c, 1))
			return NULL;
		if (c->nargs > 1 && c->args[1].is_const && c->args[1].ival >= 0 && (uint64_t)c->args[1].ival + 1 < t->size)
			return type_string(c->a, (uint32_t)c->args[1].ival + 1);
		return t;
	}
	if (t->kind != TY_PTR && !type_is_int(t)) {
		bi_arg_error(c, 0, "a pointer or an integer address");
		return NULL;
	}
	uint64_t size = c->cfg->max_strlen;
	if (c->nargs > 1) {
		if (!want_int(c, 1))
			return NULL;
		if (c->args[1].is_const && c->args[1].ival >= 0 && (uint64_t)c->args[1].ival + 1 < size)
			size = (uint64_t)c->args[1].ival + 1;
	}
	return type_string(c->a, (uint32_t)size);
}

static const struct type *t_time(struct bi_check *c)
{
	if (c->nargs && !c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "time() format must be a string literal");
		return NULL;
	}
	return type_none();
}

int stack_mode_of(const char *name, bool user)
{
	static const char *const modes[] = { "bpftrace", "perf", "raw", "build_id" };
	for (int m = 0; m < (int)ARRAY_SIZE(modes); m++)
		if (!strcmp(modes[m], name))
			return m == 3 && !user ? -1 : m;
	return -1;
}

/* kstack, kstack(limit), kstack(mode), kstack(mode, limit); same for ustack. */
static const struct type *t_stack(struct bi_check *c)
{
	bool user = c->bi->id == BI_USTACK;
	/* The config's stack_mode, when it suits this stack. */
	int mode = c->cfg && c->cfg->stack_mode ? stack_mode_of(c->cfg->stack_mode, user) : 0;
	if (mode < 0)
		mode = 0;
	int64_t limit = 127;
	for (size_t i = 0; i < c->nargs; i++) {
		if (c->args[i].ident && i == 0) {
			mode = stack_mode_of(c->args[i].ident, user);
			if (mode < 0) {
				diag_error(c->d, &c->args[i].loc, "%s() mode must be bpftrace, perf or raw%s",
					   c->bi->name, user ? " (or build_id)" : "");
				return NULL;
			}
		} else if (!want_const(c, i, 1, 1024)) {
			return NULL;
		} else {
			limit = c->args[i].ival;
		}
	}
	struct type *t = type_new(c->a, user ? TY_USTACK : TY_KSTACK);
	t->count = (uint32_t)limit;
	t->size = (user ? 16 : 8) + 8 * (uint32_t)limit;
	t->align = 8;
	t->stack_mode = mode;
	return t;
}

static const struct type *t_ksym(struct bi_check *c)
{
	if (!type_is_int(c->args[0].type) && c->args[0].type->kind != TY_PTR) {
		bi_arg_error(c, 0, "an address");
		return NULL;
	}
	return type_simple(c->bi->id == BI_USYM ? TY_USYM : TY_KSYM);
}

static bool want_cap(struct bi_check *c, unsigned cap, const char *what)
{
	if (c->probe_caps & cap)
		return true;
	diag_error(c->d, &c->loc, "%s is not available for this probe type%s", c->bi->name, what);
	return false;
}

static const struct type *t_argn(struct bi_check *c)
{
	return want_cap(c, CAPF_ARGN, " (use args.NAME where the probe has typed arguments)") ? type_u64() : NULL;
}

static const struct type *t_retval(struct bi_check *c)
{
	if (!want_cap(c, CAPF_RETVAL, ": it needs a return probe (kretprobe, uretprobe, fexit)"))
		return NULL;
	return c->retval ? c->retval : type_u64();
}

static const struct type *t_func(struct bi_check *c)
{
	if (!want_cap(c, CAPF_FUNC, ": it needs a function probe (kprobe, uprobe, fentry)"))
		return NULL;
	return c->user ? type_string(c->a, c->func_len ? c->func_len : 2) : type_simple(TY_KSYM);
}

static const struct type *t_reg(struct bi_check *c)
{
	if (!want_cap(c, CAPF_REGS, ": the probe has no registers"))
		return NULL;
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "reg() takes a register name as a string literal");
		return NULL;
	}
	if (arch_reg_offset(c->args[0].str) < 0) {
		diag_error(c->d, &c->args[0].loc, "unknown register '%s'", c->args[0].str);
		return NULL;
	}
	return type_u64();
}

/* uaddr("sym"): a symbol of the binary a uprobe is in; its pointee is an
 * integer of the symbol's size (bytes for other sizes). */
static const struct type *t_uaddr(struct bi_check *c)
{
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "uaddr() takes a symbol name as a string literal");
		return NULL;
	}
	uint64_t size = 0;
	for (size_t i = 0; c->pb && i < c->pb->points.n; i++) {
		const struct probe_point *pt = c->pb->points.v[i];
		if (strcmp(pt->prov->name, "uprobe")) {
			diag_error(c->d, &c->loc, "uaddr() works in uprobes only: %s is not one", pt->name);
			return NULL;
		}
		struct elf_uaddr u;
		int rc = elf_symbol_address(pt->target, c->args[0].str, uprobe_file_offset(pt), &u);
		if (rc) {
			diag_error(c->d, &c->args[0].loc, rc == -2 ? "no symbol '%s' in %s" : "cannot read the symbols of %s",
				   rc == -2 ? c->args[0].str : pt->target, pt->target);
			return NULL;
		}
		size = u.sym_size;
	}
	if (!c->pb || !c->pb->points.n) {
		diag_error(c->d, &c->loc, "uaddr() works in uprobes only");
		return NULL;
	}
	const struct type *to = size == 2 ? type_int(2, false) : size == 4 ? type_int(4, false) :
				size == 8 ? type_u64() : type_int(1, false);
	return type_ptr(c->a, to, AS_USER);
}

static const struct type *t_ctx(struct bi_check *c)
{
	return want_cap(c, CAPF_REGS, ": it is the raw context of probes with registers") ? type_u64() : NULL;
}

static const struct type *t_usermode(struct bi_check *c)
{
	return want_cap(c, CAPF_REGS, ": it reads the interrupted registers") ? type_int(1, false) : NULL;
}

/* ---- emitters ---- */

static LLVMValueRef call0(struct bi_emit *e, enum bpf_func_id id)
{
	return bpffn_helper(e->f, id, e->f->m->i64, NULL, 0);
}

static LLVMValueRef e_pid(struct bi_emit *e)
{
	LLVMValueRef v = call0(e, BPF_FUNC_get_current_pid_tgid);
	return LLVMBuildLShr(e->f->m->b, v, bpffn_i64(e->f, 32), "pid");
}

static LLVMValueRef low32(struct bi_emit *e, LLVMValueRef v)
{
	return LLVMBuildAnd(e->f->m->b, v, bpffn_i64(e->f, 0xffffffffULL), "");
}

static LLVMValueRef e_tid(struct bi_emit *e)
{
	return low32(e, call0(e, BPF_FUNC_get_current_pid_tgid));
}

static LLVMValueRef e_uid(struct bi_emit *e)
{
	return low32(e, call0(e, BPF_FUNC_get_current_uid_gid));
}

static LLVMValueRef e_gid(struct bi_emit *e)
{
	LLVMValueRef v = call0(e, BPF_FUNC_get_current_uid_gid);
	return LLVMBuildLShr(e->f->m->b, v, bpffn_i64(e->f, 32), "gid");
}

static LLVMValueRef e_cgroup(struct bi_emit *e) { return call0(e, BPF_FUNC_get_current_cgroup_id); }
static LLVMValueRef e_jiffies(struct bi_emit *e) { return call0(e, BPF_FUNC_jiffies64); }
static LLVMValueRef e_curtask(struct bi_emit *e) { return call0(e, BPF_FUNC_get_current_task); }

static LLVMValueRef e_cpu(struct bi_emit *e)
{
	return low32(e, call0(e, BPF_FUNC_get_smp_processor_id));
}

static LLVMValueRef e_rand(struct bi_emit *e)
{
	return low32(e, call0(e, BPF_FUNC_get_prandom_u32));
}

static LLVMValueRef e_numaid(struct bi_emit *e)
{
	return low32(e, call0(e, BPF_FUNC_get_numa_node_id));
}

static LLVMValueRef e_ctx(struct bi_emit *e)
{
	return LLVMBuildPtrToInt(e->f->m->b, e->f->ctx, e->f->m->i64, "ctx");
}

/* The mode of the interrupted code, from the register that tells it. */
static LLVMValueRef e_usermode(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMValueRef r = bpffn_load_int(f, bpffn_offset(f, f->ctx, arch.mode_reg), 8, false);
	LLVMValueRef mode = LLVMBuildAnd(f->m->b, r, bpffn_i64(f, arch.mode_mask), "");
	return LLVMBuildZExt(f->m->b, LLVMBuildICmp(f->m->b, LLVMIntEQ, mode, bpffn_i64(f, arch.user_mode), ""),
			     f->m->i64, "");
}

/* Zeroed first: kernels before 6.2 stop writing at the NUL, and bytes
 * left after it would make one comm several map keys. */
static LLVMValueRef e_comm(struct bi_emit *e)
{
	LLVMValueRef buf = bpffn_temp(e->f, 16);
	bpffn_memset0(e->f, buf, 16, 8);
	LLVMValueRef args[2] = { buf, bpffn_i32(e->f, 16) };
	bpffn_helper(e->f, BPF_FUNC_get_current_comm, e->f->m->i64, args, 2);
	return buf;
}

/* bpf_get_stack into { [pid,] nframes, frames[] }, zeroed first so equal
 * stacks make equal map keys. */
static LLVMValueRef e_stack(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	bool user = e->type->kind == TY_USTACK;
	uint32_t hdr = user ? 16 : 8;
	LLVMValueRef buf = bpffn_temp(f, e->type->size);
	bpffn_memset0(f, buf, ALIGN_UP(e->type->size, 8), 8);
	LLVMValueRef args[4] = { f->ctx, bpffn_offset(f, buf, hdr), bpffn_i32(f, e->type->count * 8),
				 bpffn_i64(f, user ? BPF_F_USER_STACK : 0) };
	LLVMValueRef bytes = bpffn_helper(f, BPF_FUNC_get_stack, f->m->i64, args, 4);
	LLVMBuilderRef b = f->m->b;
	LLVMValueRef ok = LLVMBuildICmp(b, LLVMIntSGT, bytes, bpffn_i64(f, 0), "");
	LLVMValueRef n = LLVMBuildSelect(b, ok, LLVMBuildLShr(b, bytes, bpffn_i64(f, 3), ""), bpffn_i64(f, 0), "");
	bpffn_store_int(f, bpffn_offset(f, buf, hdr - 8), n, 8);
	if (user) {
		LLVMValueRef tgid = LLVMBuildLShr(b, call0(e, BPF_FUNC_get_current_pid_tgid), bpffn_i64(f, 32), "");
		bpffn_store_int(f, buf, tgid, 8);
	}
	return buf;
}

static LLVMValueRef e_ksym(struct bi_emit *e)
{
	return e->args[0];
}

static LLVMValueRef e_usym(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMValueRef buf = bpffn_temp(f, 16);
	bpffn_store_int(f, buf, e->args[0], 8);
	LLVMValueRef tgid = LLVMBuildLShr(f->m->b, call0(e, BPF_FUNC_get_current_pid_tgid), bpffn_i64(f, 32), "");
	bpffn_store_int(f, bpffn_offset(f, buf, 8), tgid, 8);
	return buf;
}

#define VAR(n, ty, em) { n, BI_VALUE, BIF_VAR, 0, 0, ty, em }

static const struct builtin table[] = {
	{ "pid", BI_VALUE, BIF_VAR | BIF_IDENT_ARGS, 0, 1, t_pid_ns, e_pid },
	{ "tid", BI_VALUE, BIF_VAR | BIF_IDENT_ARGS, 0, 1, t_pid_ns, e_tid },
	VAR("uid", t_u64, e_uid),
	VAR("gid", t_u64, e_gid),
	{ "nsecs", BI_VALUE, BIF_VAR | BIF_IDENT_ARGS, 0, 1, t_nsecs, e_nsecs },
	VAR("cpu", t_u32, e_cpu),
	VAR("comm", t_comm, e_comm),
	VAR("cgroup", t_u64, e_cgroup),
	VAR("rand", t_u32, e_rand),
	VAR("jiffies", t_u64, e_jiffies),
	VAR("numaid", t_u32, e_numaid),
	VAR("curtask", t_curtask, e_curtask),
	{ "elapsed", BI_ELAPSED, BIF_VAR, 0, 0, t_u64, NULL },
	{ "kstack", BI_KSTACK, BIF_VAR | BIF_IDENT_ARGS, 0, 2, t_stack, e_stack },
	{ "ustack", BI_USTACK, BIF_VAR | BIF_IDENT_ARGS, 0, 2, t_stack, e_stack },
	{ "ksym", BI_KSYM, 0, 1, 1, t_ksym, e_ksym },
	{ "retval", BI_RETVAL, BIF_VAR, 0, 0, t_retval, NULL },
	{ "strftime", BI_STRFTIME, 0, 2, 2, t_strftime, e_strftime },
	{ "ntop", BI_VALUE, 0, 1, 2, t_ntop, e_ntop },
	{ "buf", BI_VALUE, 0, 1, 2, t_buf, e_buf },
	{ "macaddr", BI_VALUE, 0, 1, 1, t_macaddr, e_macaddr },
	{ "strlen", BI_VALUE, 0, 1, 1, t_strlen, e_strlen },
	{ "strncmp", BI_VALUE, 0, 3, 3, t_strncmp, e_strncmp },
	{ "strcontains", BI_VALUE, 0, 2, 2, t_strcontains, e_strcontains },
	{ "bswap", BI_VALUE, 0, 1, 1, t_bswap, e_bswap },
	{ "kaddr", BI_VALUE, 0, 1, 1, t_kaddr, e_kaddr },
	{ "signal", BI_SIGNAL, BIF_VOID, 1, 1, t_signal, e_signal },
	{ "signal_thread", BI_SIGNAL_THREAD, BIF_VOID, 1, 1, t_signal, e_signal },
	{ "username", BI_VALUE, BIF_VAR, 0, 0, t_username, e_username },
	{ "ncpus", BI_VALUE, BIF_VAR, 0, 0, t_ncpus, e_ncpus },
	{ "strerror", BI_STRERROR, 0, 1, 1, t_name_of, e_name_of },
	{ "signal_name", BI_SIGNAL_NAME, 0, 1, 1, t_name_of, e_name_of },
	{ "syscall_name", BI_SYSCALL_NAME, 0, 1, 1, t_name_of, e_name_of },
	{ "strstr", BI_VALUE, 0, 2, 2, t_strstr, e_strstr },
	{ "memcmp", BI_VALUE, 0, 3, 3, t_memcmp, e_memcmp },
	{ "is_str", BI_VALUE, 0, 1, 1, t_type_is, e_type_is },
	{ "is_ptr", BI_VALUE, 0, 1, 1, t_type_is, e_type_is },
	{ "is_array", BI_VALUE, 0, 1, 1, t_type_is, e_type_is },
	{ "is_integer", BI_VALUE, 0, 1, 1, t_type_is, e_type_is },
	{ "is_unsigned_integer", BI_VALUE, 0, 1, 1, t_type_is, e_type_is },
	{ "is_literal", BI_VALUE, 0, 1, 1, t_type_is, e_type_is },
	{ "is_err", BI_VALUE, 0, 1, 1, t_is_err, e_is_err },
	{ "kptr", BI_VALUE, 0, 1, 1, t_addrspace, e_identity },
	{ "uptr", BI_VALUE, 0, 1, 1, t_addrspace, e_identity },
	{ "pton", BI_VALUE, 0, 1, 1, t_pton, e_pton },
	{ "cgroupid", BI_VALUE, 0, 1, 1, t_cgroupid, e_cgroupid },
	{ "kfunc_exist", BI_VALUE, 0, 1, 1, t_kfunc_exist, e_kfunc_exist },
	VAR("usermode", t_usermode, e_usermode),
	VAR("ctx", t_ctx, e_ctx),
	{ "func", BI_FUNC, BIF_VAR, 0, 0, t_func, NULL },
	{ "reg", BI_REG, 0, 1, 1, t_reg, NULL },
	{ "uaddr", BI_UADDR, 0, 1, 1, t_uaddr, NULL },
	/* arg0..argN: sema matches the prefix; the name cannot be typed. */
	{ "arg#", BI_ARGN, BIF_VAR, 0, 0, t_argn, NULL },
	{ "usym", BI_USYM, 0, 1, 1, t_ksym, e_usym },
	{ "probe", BI_PROBE, BIF_VAR, 0, 0, t_probe, NULL },
	{ "count", BI_COUNT, BIF_AGG, 0, 0, t_count, NULL },
	{ "sum", BI_SUM, BIF_AGG, 1, 1, t_sum_like, NULL },
	{ "avg", BI_AVG, BIF_AGG, 1, 1, t_sum_like, NULL },
	{ "min", BI_MIN, BIF_AGG, 1, 1, t_sum_like, NULL },
	{ "max", BI_MAX, BIF_AGG, 1, 1, t_sum_like, NULL },
	{ "stats", BI_STATS, BIF_AGG, 1, 1, t_sum_like, NULL },
	{ "hist", BI_HIST, BIF_AGG, 1, 2, t_hist, NULL },
	{ "lhist", BI_LHIST, BIF_AGG, 4, 4, t_lhist, NULL },
	{ "tseries", BI_TSERIES, BIF_AGG, 3, 4, t_tseries, NULL },
	{ "printf", BI_PRINTF, BIF_ASYNC | BIF_VOID, 1, 128, t_printf, NULL },
	{ "exit", BI_EXIT, BIF_ASYNC | BIF_VOID | BIF_NOT_IN_LOOP, 0, 1, t_exit, NULL },
	{ "print", BI_PRINT, BIF_ASYNC | BIF_VOID | BIF_MAP_ARG, 1, 3, t_print, NULL },
	{ "clear", BI_CLEAR, BIF_ASYNC | BIF_VOID | BIF_MAP_ARG, 1, 1, t_map_fn, NULL },
	{ "zero", BI_ZERO, BIF_ASYNC | BIF_VOID | BIF_MAP_ARG, 1, 1, t_map_fn, NULL },
	{ "delete", BI_DELETE, BIF_MAP_ARG, 1, 2, t_delete, NULL },
	{ "has_key", BI_HAS_KEY, BIF_MAP_ARG, 2, 2, t_has_key, NULL },
	{ "len", BI_LEN, BIF_MAP_ARG, 1, 1, t_len, NULL },
	{ "str", BI_STR, 0, 1, 2, t_str, NULL },
	{ "time", BI_TIME, BIF_ASYNC | BIF_VOID, 0, 1, t_time, NULL },
	{ "cat", BI_CAT, BIF_ASYNC | BIF_VOID, 1, 128, t_printf, NULL },
	{ "system", BI_SYSTEM, BIF_ASYNC | BIF_VOID, 1, 128, t_system, NULL },
	{ "errorf", BI_ERRORF, BIF_ASYNC | BIF_VOID, 1, 128, t_printf, NULL },
	{ "warnf", BI_WARNF, BIF_ASYNC | BIF_VOID, 1, 128, t_printf, NULL },
	{ "join", BI_JOIN, BIF_ASYNC | BIF_VOID, 1, 2, t_join, NULL },
	{ "args", BI_ARGS, BIF_VAR, 0, 0, t_void, NULL },
};

const struct builtin *builtin_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

const char *const *builtin_names(void)
{
	static const char *names[ARRAY_SIZE(table) + 1];
	size_t n = 0;
	if (!names[0])
		for (size_t i = 0; i < ARRAY_SIZE(table); i++)
			if (!strchr(table[i].name, '#'))
				names[n++] = table[i].name;
	return names;
}
