/* libFuzzer target: the front end, as `trawk --check` runs it (preprocessor,
 * parser, probe expansion offline, sema), on a script given as bytes.  Any
 * input must end in diagnostics or success: never a crash, a sanitizer
 * report or a hang. */
#include <stdint.h>
#include <stdio.h>

#include "trawk.h"
#include "warmup.h"

/* Positional and named parameters, so $1, $#, str($2) and getopt() have
 * something to read. */
static const char *const params[] = { "42", "text" };
static const char *const named[] = { "--flag", "--num=7" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_warm_up(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	struct trawk_compile_opts o = {
		.sz = sizeof(o),
		.nparams = 2, .params = params, .nnamed = 2, .named = named,
		.check_only = true,
	};
	struct trawk *t = trawk_new();
	trawk_compile(t, "fuzz.bt", (const char *)data, size, &o);
	(void)trawk_errors(t);
	/* The tree printers, before and after typing. */
	trawk_dump(t, TRAWK_DUMP_AST, sink);
	trawk_dump(t, TRAWK_DUMP_TYPES, sink);
	trawk_params_help(t, sink);
	trawk_free(t);
	return 0;
}
