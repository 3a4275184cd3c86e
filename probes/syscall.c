/* tracepoint:syscalls:sys_enter_NAME and sys_exit_NAME, served by raw
 * tracepoint programs on sys_enter and sys_exit instead of perf events.
 *
 * Why: closing a perf-event tracepoint waits for RCU grace periods in the
 * kernel (tracepoint_synchronize_unregister: 50-80 ms on the test
 * machines, on every exit of every script), where a raw tracepoint link
 * is released at once.  The kernel's own syscall events hang off the same
 * two raw tracepoints.  codegen builds one dispatcher per direction that
 * tail-calls the program of the syscall being made (codegen/dispatch.c),
 * so each syscall runs one program however many probes there are; the
 * price is that syscalls nobody traces run it too (a tail call into an
 * empty slot).  config syscall_tracepoints = "perf" keeps perf events.
 *
 * The records have the layout of the events' format files, rebuilt from
 * the registers (codegen/context.c); the events skip 32-bit (ia32)
 * syscalls, and so does the dispatcher. */
#include "probe.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "../types/syscalls.h"

bool syscall_point_is_exit(const struct probe_point *pt)
{
	return !strncmp(pt->func, "sys_exit_", 9);
}

/* The raw tracepoint the point's event hangs off. */
static const char *raw_tracepoint_of(const struct probe_point *pt)
{
	return syscall_point_is_exit(pt) ? "sys_exit" : "sys_enter";
}

/* NAME of a syscalls:sys_enter_NAME or sys_exit_NAME event, else NULL. */
static const char *syscall_of_event(const struct probe_point *pt)
{
	if (strcmp(pt->target, "syscalls"))
		return NULL;
	if (!strncmp(pt->func, "sys_enter_", 10))
		return pt->func + 10;
	return syscall_point_is_exit(pt) ? pt->func + 9 : NULL;
}

/* thread_info, whose status codegen reads (bpf/arch.h), has its present
 * shape since 5.11. */
static bool kernel_supported(void)
{
	static int ok = -1;
	if (ok < 0) {
		struct utsname u;
		int major = 0, minor = 0;
		ok = uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
		     (major > 5 || (major == 5 && minor >= 11));
	}
	return ok;
}

void probe_refine(struct probe_point *pt, const struct config *cfg)
{
	extern const struct provider provider_tracepoint, provider_syscall;
	const char *sys = pt->prov == &provider_tracepoint ? syscall_of_event(pt) : NULL;
	if (!sys || !strcmp(cfg->syscall_tracepoints, "perf"))
		return;
	int nr = syscall_nr_of_event(sys);
	if (nr < 0 || !kernel_supported())
		return;
	pt->prov = &provider_syscall;
	pt->num = (uint64_t)nr;
}

static const char *sys_section(const struct probe_point *pt, struct arena *a)
{
	return arena_printf(a, "raw_tp/%s", raw_tracepoint_of(pt));
}

/* The point's program goes in its dispatcher's array, at its number. */
static int sys_prepare(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	int array = bpf_object__find_map_fd_by_name(ac->obj, SYSCALL_PROG_ARRAY(syscall_point_is_exit(pt)));
	uint32_t key = (uint32_t)pt->num;
	int fd = bpf_program__fd(prog);
	if (array < 0 || bpf_map_update_elem(array, &key, &fd, BPF_ANY)) {
		sb_printf(&ac->err, "cannot attach %s: %s", pt->name, array < 0 ? "no program array" : strerror(errno));
		return -1;
	}
	return 0;
}

/* The dispatcher is attached with the first point of its direction. */
static int sys_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	struct bpf_program *disp = bpf_object__find_program_by_name(ac->obj,
								     SYSCALL_DISPATCHER(syscall_point_is_exit(pt)));
	for (size_t i = 0; i < ac->once.n; i++)
		if (ac->once.v[i] == disp)
			return 0;
	const char *tp = raw_tracepoint_of(pt);
	struct bpf_link *link = disp ? bpf_program__attach_raw_tracepoint(disp, tp) : NULL;
	if (!link) {
		sb_printf(&ac->err, "cannot attach %s (raw tracepoint %s): %s", pt->name, tp,
			  disp ? strerror(errno) : "no dispatcher program");
		return -1;
	}
	vec_push(&ac->links, link);
	vec_push(&ac->once, disp);
	return 0;
}

const struct provider provider_syscall = {
	.filter_pid = true,
	.name = "tracepoint",
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.ctx = CTX_SYSCALL,
	.caps = CAP_ARGS,
	.section = sys_section,
	.load_args = tracepoint_load_args,
	.prepare = sys_prepare,
	.attach = sys_attach,
};
