/* libFuzzer target: the whole compiler without the kernel -- front end,
 * codegen to LLVM IR, the BPF backend to an ELF object in memory, and the
 * disassembler of -d bytecode.  Nothing is loaded: trawk_run is never
 * called, so no bpf() system call is made. */
#include <stdint.h>
#include <stdio.h>

#include "trawk.h"
#include "warmup.h"

/* LLVM's optimizer and backend take time superlinear in some inputs; the
 * front end (fuzz_frontend) covers long scripts. */
#define MAX_INPUT 4096

static const char *const params[] = { "42", "text" };
static const char *const named[] = { "--flag", "--num=7" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_warm_up(false);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (size > MAX_INPUT)
		return -1;      /* not added to the corpus */
	if (!sink)
		sink = fopen("/dev/null", "w");
	struct trawk_compile_opts o = {
		.sz = sizeof(o),
		.nparams = 2, .params = params, .nnamed = 2, .named = named,
	};
	struct trawk *t = trawk_new();
	if (trawk_compile(t, "fuzz.bt", (const char *)data, size, &o) == 0) {
		const void *obj;
		size_t len;
		trawk_object(t, &obj, &len);
		trawk_dump(t, TRAWK_DUMP_BYTECODE, sink);
	}
	trawk_free(t);
	return 0;
}
