/* The programs that serve syscall tracepoints from raw sys_enter and
 * sys_exit (probes/syscall.c).  Per direction: a dispatcher, attached to
 * the raw tracepoint, that tail-calls the program at the syscall's number
 * in a program array; and per traced syscall one program, put in the
 * array by the runtime, that calls that syscall's probes in script order.
 * A syscall nobody traces finds an empty slot and returns; each program
 * is verified on its own, as a perf-event program would be. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../bpf/arch.h"
#include "../types/syscalls.h"

/* Returns during a 32-bit syscall, which the kernel's syscall events
 * leave out: its number means another syscall. */
void cg_syscall_skip_compat(struct cg *g)
{
	if (!arch.compat_flag)
		return;
	LLVMValueRef task = bpffn_helper(g->f, BPF_FUNC_get_current_task, g->m->i64, NULL, 0);
	/* The flag is in the low bytes of the 8 read (little-endian). */
	LLVMValueRef status = cg_read_u64(g, LLVMBuildAdd(g->b, task, bpffn_i64(g->f, arch.status_offset), ""),
					  AS_KERNEL);
	LLVMValueRef compat = LLVMBuildICmp(g->b, LLVMIntNE,
					    LLVMBuildAnd(g->b, status, bpffn_i64(g->f, arch.compat_flag), ""),
					    bpffn_i64(g->f, 0), "");
	LLVMBasicBlockRef native = bpffn_block(g->f, "sys.native");
	LLVMBasicBlockRef skip = bpffn_block(g->f, "sys.compat");
	LLVMBuildCondBr(g->b, compat, skip, native);
	LLVMPositionBuilderAtEnd(g->b, skip);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	LLVMPositionBuilderAtEnd(g->b, native);
}

static bool serves(const struct probe_point *pt, bool is_exit)
{
	return pt->prov->ctx == CTX_SYSCALL && syscall_point_is_exit(pt) == is_exit;
}

bool cg_syscall_direct(struct cg *g, const struct probe_point *pt)
{
	if (!g->pb->per_point && g->pb->points.n > 1)
		return false;
	bool is_exit = syscall_point_is_exit(pt);
	for (size_t i = 0; i < g->plan->points.n; i++) {
		const struct probe_point *q = g->plan->points.v[i];
		if (q != pt && serves(q, is_exit) && q->num == pt->num)
			return false;
	}
	return true;
}

/* The program of syscall pts[first]->num: calls the function of every
 * point of that number, in order. */
static void syscall_program(struct cg *g, struct probe_point **pts, size_t n, size_t first)
{
	const struct probe_point *pt = pts[first];
	const char *name = pt->func;
	g->pt = pt;
	g->f = bpffn_begin(g->m, name, pt->prov->section(pt, g->a), pt->loc.line,
			   (uint32_t)g->plan->cfg.on_stack_limit);
	cg_syscall_skip_compat(g);
	for (size_t i = first; i < n; i++) {
		if (pts[i]->num != pt->num)
			continue;
		LLVMValueRef fn = LLVMGetNamedFunction(g->m->mod, pts[i]->prog_name);
		LLVMValueRef args[1] = { g->f->ctx };
		LLVMBuildCall2(g->b, LLVMGlobalGetValueType(fn), fn, args, 1, "");
	}
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	bpffn_end(g->f);
	g->f = NULL;
	for (size_t i = first; i < n; i++)
		if (pts[i]->num == pt->num)
			pts[i]->prog_name = name;
}

static void dispatcher(struct cg *g, bool is_exit)
{
	VEC(struct probe_point *) pts = {0};
	for (size_t i = 0; i < g->plan->points.n; i++)
		if (serves(g->plan->points.v[i], is_exit))
			vec_push(&pts, g->plan->points.v[i]);
	if (!pts.n)
		return;
	/* A point whose prog_name is its event's name has its own program. */
	for (size_t i = 0; i < pts.n; i++)
		if (strcmp(pts.v[i]->prog_name, pts.v[i]->func))
			syscall_program(g, pts.v, pts.n, i);
	LLVMValueRef progs = bpfmod_map(g->m, SYSCALL_PROG_ARRAY(is_exit), BPF_MAP_TYPE_PROG_ARRAY, 4, 4,
					(uint32_t)syscall_count);
	g->pt = pts.v[0];
	g->f = bpffn_begin(g->m, SYSCALL_DISPATCHER(is_exit), pts.v[0]->prov->section(pts.v[0], g->a),
			   pts.v[0]->loc.line, (uint32_t)g->plan->cfg.on_stack_limit);
	LLVMValueRef nr = LLVMBuildTrunc(g->b, cg_syscall_nr(g, is_exit), g->m->i32, "");
	LLVMValueRef args[3] = { g->f->ctx, progs, nr };
	bpffn_helper(g->f, BPF_FUNC_tail_call, g->m->i64, args, 3);
	LLVMBuildRet(g->b, LLVMConstInt(g->m->i32, 0, 0));
	bpffn_end(g->f);
	g->f = NULL;
	vec_free(&pts);
}

void cg_syscall_dispatchers(struct cg *g)
{
	dispatcher(g, false);
	dispatcher(g, true);
}
