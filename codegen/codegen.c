/* Maps, then one program per probe block (or per point), then the object. */
#include "internal.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>

void cg_internal(struct cg *g, const struct loc *loc, const char *what)
{
	diag_error(g->d, loc, "internal error: no code can be generated for %s", what);
	g->failed = true;
}

LLVMValueRef cg_unsupported(struct cg *g, const struct node *n, const char *what)
{
	cg_internal(g, &n->loc, what);
	if (n->type && cg_in_memory(n->type))
		return bpffn_temp(g->f, n->type->size ? n->type->size : 8);
	return LLVMGetUndef(g->m->i64);
}

static enum bpf_map_type map_type(const struct map_def *m)
{
	switch (m->kind) {
	case MAPK_HASH: return BPF_MAP_TYPE_HASH;
	case MAPK_LRU_HASH: return BPF_MAP_TYPE_LRU_HASH;
	case MAPK_PERCPU_HASH: return BPF_MAP_TYPE_PERCPU_HASH;
	case MAPK_PERCPU_LRU_HASH: return BPF_MAP_TYPE_LRU_PERCPU_HASH;
	}
	assert(!"a map kind without a BPF map type");
	return BPF_MAP_TYPE_HASH;
}

static uint32_t ringbuf_bytes(const struct config *cfg)
{
	uint64_t pages = cfg->perf_rb_pages ? cfg->perf_rb_pages : 256;
	uint64_t bytes = 4096;
	/* The ring buffer size must be a power of two number of pages. */
	while (bytes < pages * 4096 && bytes < (1ULL << 30))
		bytes <<= 1;
	return (uint32_t)bytes;
}

static void define_maps(struct cg *g)
{
	struct plan *p = g->plan;
	g->maps = xcalloc(p->maps.n + 1, sizeof(*g->maps));
	for (size_t i = 0; i < p->maps.n; i++) {
		struct map_def *m = p->maps.v[i];
		uint32_t entries = m->max_entries;
		/* A histogram keeps one entry per bucket of each key. */
		if (map_def_is_hist(m) && !m->declared)
			entries *= 16;
		g->maps[i] = bpfmod_map(g->m, m->bpf_name, map_type(m), map_def_key_size(m),
					type_map_value_size(m->value), entries);
	}
	uint32_t zero_size = 0;
	for (size_t i = 0; i < p->maps.n; i++)
		if (p->maps.v[i]->value->kind == TY_TSERIES && p->maps.v[i]->value->size > zero_size)
			zero_size = p->maps.v[i]->value->size;
	if (zero_size)
		g->zeroes = bpfmod_map(g->m, "zeroes", BPF_MAP_TYPE_ARRAY, 4, zero_size, 1);
	g->ringbuf = bpfmod_map(g->m, PLAN_RINGBUF, BPF_MAP_TYPE_RINGBUF, 0, 0, ringbuf_bytes(&p->cfg));
	/* Read by user space through mmap: no bpf() call per look. */
	g->lost = bpfmod_map_flags(g->m, PLAN_LOST, BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_MMAPABLE);
	g->start_time = bpfmod_map(g->m, PLAN_START, BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	g->setup = bpfmod_map_flags(g->m, PLAN_SETUP, BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_MMAPABLE);
	for (size_t i = 0; i < p->points.n && !g->usdt_specs; i++) {
		if (!(p->points.v[i]->prov->caps & CAP_USDT))
			continue;
		g->usdt_specs = bpfmod_map(g->m, PLAN_USDT_SPECS, BPF_MAP_TYPE_ARRAY, 4, USDT_SPEC_SIZE, 256);
		bpfmod_map(g->m, PLAN_USDT_IPS, BPF_MAP_TYPE_HASH, 8, 4, 1024);
	}
}

static const char *program_name(struct cg *g, const struct probe_point *pt, int serial)
{
	struct strbuf sb = {0};
	for (const char *c = pt->name; *c && sb.len < 40; c++)
		sb_putc(&sb, isalnum((unsigned char)*c) ? *c : '_');
	sb_printf(&sb, "_%d", serial);
	const char *r = arena_strdup(g->a, sb_str(&sb));
	sb_free(&sb);
	return r;
}

/* for loops, over maps and ranges alike, run their bodies as callbacks. */
static bool is_callback_loop(const struct node *n, const void *arg)
{
	(void)arg;
	return n->kind == N_FOR_MAP || n->kind == N_FOR_RANGE;
}

static bool has_callback_loop(const struct node *n)
{
	return node_any(n, is_callback_loop, NULL);
}

/* -p for probes that see every process: leave unless it is the one. */
static void pid_filter(struct cg *g, int pid)
{
	LLVMValueRef v = bpffn_helper(g->f, BPF_FUNC_get_current_pid_tgid, g->m->i64, NULL, 0);
	LLVMValueRef tgid = LLVMBuildLShr(g->b, v, LLVMConstInt(g->m->i64, 32, 0), "");
	LLVMBasicBlockRef other = bpffn_block(g->f, "pid.other");
	LLVMBasicBlockRef ours = bpffn_block(g->f, "pid.ours");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, tgid, LLVMConstInt(g->m->i64, (uint64_t)pid, 0), ""),
			ours, other);
	LLVMPositionBuilderAtEnd(g->b, other);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	LLVMPositionBuilderAtEnd(g->b, ours);
}

/* What trawk itself does while it attaches and detaches probes (bpf(),
 * perf_event_open and their capability checks) is not the script's to
 * see: user space sets PLAN_SETUP to its pid for that time.  The lookup of
 * an array map is inlined by the verifier: a few instructions an event. */
static void setup_filter(struct cg *g)
{
	LLVMValueRef p = cg_array_slot0(g, g->setup);
	LLVMBasicBlockRef have = bpffn_block(g->f, "setup.have");
	LLVMBasicBlockRef set = bpffn_block(g->f, "setup.set");
	LLVMBasicBlockRef self = bpffn_block(g->f, "setup.self");
	LLVMBasicBlockRef go = bpffn_block(g->f, "setup.go");
	LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, p, ""), go, have);
	LLVMPositionBuilderAtEnd(g->b, have);
	LLVMValueRef tgid = LLVMBuildLoad2(g->b, g->m->i64, p, "");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, tgid, LLVMConstInt(g->m->i64, 0, 0), ""), go, set);
	LLVMPositionBuilderAtEnd(g->b, set);
	LLVMValueRef v = bpffn_helper(g->f, BPF_FUNC_get_current_pid_tgid, g->m->i64, NULL, 0);
	LLVMValueRef cur = LLVMBuildLShr(g->b, v, LLVMConstInt(g->m->i64, 32, 0), "");
	LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntEQ, cur, tgid, ""), self, go);
	LLVMPositionBuilderAtEnd(g->b, self);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	LLVMPositionBuilderAtEnd(g->b, go);
}

static void gen_program(struct cg *g, struct node *probe, const struct probe_point *pt, int serial)
{
	bool syscall = pt->prov->ctx == CTX_SYSCALL, direct = syscall && cg_syscall_direct(g, pt);
	const char *name = direct ? pt->func : program_name(g, pt, serial);
	g->pt = pt;
	uint32_t limit = (uint32_t)g->plan->cfg.on_stack_limit;
	if (syscall && !direct)
		g->f = bpffn_begin_sub(g->m, name, probe->loc.line, limit);
	else
		g->f = bpffn_begin(g->m, name, pt->prov->section(pt, g->a), probe->loc.line, limit);
	if (direct)
		cg_syscall_skip_compat(g);
	g->root = g->f;
	if (g->nvars) {
		memset(g->vars, 0, g->nvars * sizeof(*g->vars));
		memset(g->var_off, 0, g->nvars * sizeof(*g->var_off));
	}
	g->vars_in_scratch = has_callback_loop(probe->body) || has_callback_loop(probe->pred);
	if (!pt->prov->is_special)
		setup_filter(g);
	if (g->plan->cfg.pid && pt->prov->filter_pid)
		pid_filter(g, g->plan->cfg.pid);
	if (g->vars_in_scratch)
		cg_place_vars(g, probe->body);
	if (probe->pred) {
		bpffn_set_loc(g->f, probe->pred->loc.line, probe->pred->loc.col);
		LLVMBasicBlockRef body = bpffn_block(g->f, "probe.body");
		LLVMBasicBlockRef skip = bpffn_block(g->f, "probe.skip");
		LLVMBuildCondBr(g->b, cg_cond(g, probe->pred), body, skip);
		LLVMPositionBuilderAtEnd(g->b, skip);
		LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
		LLVMPositionBuilderAtEnd(g->b, body);
	}
	cg_block(g, probe->body);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	bpffn_end(g->f);
	g->f = NULL;
	for (size_t i = 0; i < g->pb->points.n; i++) {
		struct probe_point *p = g->pb->points.v[i];
		if (p == pt || (!g->pb->per_point && !pt->prov->program_per_point && p->prov == pt->prov))
			p->prog_name = name;
	}
}

int codegen_run(struct node *prog, struct plan *plan, struct arena *a, const char *source_name,
		bool source_is_file, bool want_ir, struct codegen_out *out, struct diag *d)
{
	struct cg g = { .plan = plan, .a = a, .d = d };
	g.m = bpfmod_new(source_name, source_is_file);
	if (!g.m) {
		diag_error(d, NULL, "cannot set up LLVM's BPF target");
		return -1;
	}
	g.b = g.m->b;
	define_maps(&g);
	int serial = 0;
	for (size_t i = 0; i < prog->list.n; i++) {
		struct node *probe = prog->list.v[i];
		if (probe->kind != N_PROBE)
			continue;
		g.pb = probe->aux;
		for (size_t j = 0; j < g.pb->points.n; j++) {
			const struct probe_point *pt = g.pb->points.v[j];
			if (!pt->prog_name)
				gen_program(&g, probe, pt, serial++);
		}
	}
	cg_syscall_dispatchers(&g);
	if (want_ir)
		out->ir = bpfmod_ir(g.m);
	int rc = -1;
	if (!g.failed) {
		rc = bpfmod_emit(g.m, plan->cfg.license, &out->obj, &out->obj_len);
		if (rc)
			diag_error(d, NULL, "%s", sb_str(&g.m->err));
	}
	free(g.maps);
	free(g.vars);
	free(g.var_off);
	bpfmod_free(g.m);
	return rc;
}
