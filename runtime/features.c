/* --info: what this kernel offers trawk and how trawk was built, in
 * bpftrace's layout (sections of "  name: value" lines).  Kernel support
 * is probed by loading tiny programs and maps (libbpf's probes), so the
 * answers are the kernel's own, for this user's privileges. */
#include "runtime.h"

#include <bpf/libbpf.h>
#include <dirent.h>
#include <llvm-c/Core.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void report_system(struct strbuf *sb)
{
	struct utsname u;
	uname(&u);
	sb_printf(sb, "System\n  OS: %s %s %s\n  Arch: %s\n\n", u.sysname, u.release, u.version, u.machine);
}

static void report_build(struct strbuf *sb)
{
	unsigned maj, min, patch;
	LLVMGetVersion(&maj, &min, &patch);
	sb_printf(sb, "Build\n  version: v%s\n  LLVM: %u.%u.%u\n  libbpf: %u.%u\n  libdw (DWARF support): yes\n\n",
		  TRAWK_VERSION, maj, min, patch, libbpf_major_version(), libbpf_minor_version());
}

/* Module BTF: files beside vmlinux in /sys/kernel/btf. */
static bool module_btf(void)
{
	DIR *d = opendir("/sys/kernel/btf");
	struct dirent *e;
	bool found = false;
	while (d && !found && (e = readdir(d)))
		found = e->d_name[0] != '.' && strcmp(e->d_name, "vmlinux");
	if (d)
		closedir(d);
	return found;
}

static void report_kernel(struct strbuf *sb)
{
	sb_printf(sb, "Kernel features\n");
	sb_printf(sb, "  btf: %s\n", yes(access("/sys/kernel/btf/vmlinux", R_OK) == 0));
	sb_printf(sb, "  module btf: %s\n", yes(module_btf()));
	sb_printf(sb, "  uprobe refcount: %s\n",
		  yes(access("/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset", F_OK) == 0));
	sb_printf(sb, "  kprobe PMU: %s\n", yes(access("/sys/bus/event_source/devices/kprobe", F_OK) == 0));
	sb_printf(sb, "\nKernel helpers\n");
	static const struct { const char *name; enum bpf_func_id id; } helpers[] = {
		{ "probe_read_kernel", BPF_FUNC_probe_read_kernel },
		{ "probe_read_user", BPF_FUNC_probe_read_user },
		{ "probe_read_user_str", BPF_FUNC_probe_read_user_str },
		{ "get_current_cgroup_id", BPF_FUNC_get_current_cgroup_id },
		{ "send_signal", BPF_FUNC_send_signal },
		{ "override_return", BPF_FUNC_override_return },
		{ "get_func_ip", BPF_FUNC_get_func_ip },
		{ "jiffies64", BPF_FUNC_jiffies64 },
		{ "ringbuf_output", BPF_FUNC_ringbuf_output },
	};
	for (size_t i = 0; i < ARRAY_SIZE(helpers); i++)
		sb_printf(sb, "  %s: %s\n", helpers[i].name,
			  yes(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, helpers[i].id, NULL) == 1));
	sb_putc(sb, '\n');
}

static void report_types(struct strbuf *sb)
{
	static const struct { const char *name; enum bpf_map_type t; } maps[] = {
		{ "hash", BPF_MAP_TYPE_HASH }, { "percpu hash", BPF_MAP_TYPE_PERCPU_HASH },
		{ "lru hash", BPF_MAP_TYPE_LRU_HASH }, { "array", BPF_MAP_TYPE_ARRAY },
		{ "percpu array", BPF_MAP_TYPE_PERCPU_ARRAY }, { "stack_trace", BPF_MAP_TYPE_STACK_TRACE },
		{ "perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY }, { "ringbuf", BPF_MAP_TYPE_RINGBUF },
		{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY },
	};
	static const struct { const char *name; enum bpf_prog_type t; } progs[] = {
		{ "kprobe", BPF_PROG_TYPE_KPROBE }, { "tracepoint", BPF_PROG_TYPE_TRACEPOINT },
		{ "raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT }, { "perf_event", BPF_PROG_TYPE_PERF_EVENT },
		{ "fentry", BPF_PROG_TYPE_TRACING },
	};
	sb_printf(sb, "Map types\n");
	for (size_t i = 0; i < ARRAY_SIZE(maps); i++)
		sb_printf(sb, "  %s: %s\n", maps[i].name, yes(libbpf_probe_bpf_map_type(maps[i].t, NULL) == 1));
	sb_printf(sb, "\nProbe types\n");
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		sb_printf(sb, "  %s: %s\n", progs[i].name, yes(libbpf_probe_bpf_prog_type(progs[i].t, NULL) == 1));
}

void features_report(struct strbuf *sb)
{
	report_system(sb);
	report_build(sb);
	report_kernel(sb);
	report_types(sb);
}
