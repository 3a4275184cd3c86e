/* Process-wide caches (kernel BTF and its enumerator index, kallsyms,
 * tracefs format files, LLVM's targets) fill on first use, which takes a few hundred
 * milliseconds under the sanitizers: filled before fuzzing starts, so that
 * no input is charged for them against the 1 s hang limit. */
#ifndef TRAWK_FUZZ_WARMUP_H
#define TRAWK_FUZZ_WARMUP_H

#include <string.h>

#include "trawk.h"

static void fuzz_warm_up(bool check_only)
{
	static const char script[] =
		"tracepoint:sched:sched_switch { @[args.prev_comm] = count(); }\n"
		"kprobe:do_sys_openat2, kprobe:vfs_rea* { $t = curtask; @p = $t->pid + TASK_COMM_LEN; }\n"
		"BEGIN { @k = kaddr(\"_stext\"); }\n";
	TRAWK_OPTS(trawk_compile_opts, o, .check_only = check_only);
	struct trawk *t = trawk_new();
	trawk_compile(t, "warmup.bt", script, strlen(script), &o);
	trawk_free(t);
}

#endif
