/* libFuzzer target: printf format strings -- the spec scanner and the
 * argument check of types/fmtspec.c that sema runs, and the formatter of
 * runtime/format.c that prints each event.
 *
 * Input: the format, up to the first NUL; then one byte per conversion
 * choosing its argument's type (see pick(); without one, a type the
 * conversion takes); then the argument values' bytes (zeros when short).
 * Every byte pattern is a value the BPF side could send for those types. */
#include <stdint.h>
#include <string.h>

#include "runtime/format.h"

#define MAX_ARGS 32

static const struct type *pick(struct arena *a, uint8_t sel)
{
	const struct type *tup[2];
	switch (sel % 20) {
	case 0: return type_int(1, true);
	case 1: return type_int(2, false);
	case 2: return type_int(4, true);
	case 3: return type_int(8, false);
	case 4: return type_int(8, true);
	case 5: return type_bool();
	case 6: return type_string(a, 1 + sel / 20);
	case 7: return type_buffer(a, sel / 20);
	case 8: return type_ptr(a, type_int(4, true), AS_KERNEL);
	case 9:
		tup[0] = type_int(8, true);
		tup[1] = type_string(a, 8);
		return type_tuple(a, 2, tup);
	case 10: return type_array(a, type_int(2, true), 1 + sel / 20);
	default: {
		static const enum type_kind simple[] = {
			TY_KSYM, TY_USYM, TY_INET, TY_MACADDR, TY_CGROUP_PATH, TY_USERNAME,
			TY_PROBE, TY_COUNT, TY_SUM, TY_MIN, TY_MAX, TY_AVG, TY_STATS,
		};
		return type_simple(simple[(sel % 20 - 11) % (sizeof(simple) / sizeof(simple[0]))]);
	}
	}
}

/* A type each conversion accepts, for inputs that choose none. */
static const struct type *natural(struct arena *a, const struct fmt_spec *sp)
{
	if (sp->conv[0] == 's')
		return type_string(a, 16);
	if (sp->conv[0] == 'r')
		return type_buffer(a, 16);
	return type_int(8, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	size_t flen = strnlen((const char *)data, size);
	const char *fmt = arena_strndup(&a, (const char *)data, flen);
	const uint8_t *rest = data + flen + (flen < size);
	size_t nrest = size - flen - (flen < size);

	const struct type *args[MAX_ARGS];
	size_t nargs = 0;
	struct fmt_spec sp;
	struct strbuf lit = {0};
	for (const char *s = fmt; (s = fmtspec_scan(s, &lit, &sp)); nargs++) {
		if (nargs == MAX_ARGS)
			goto out;
		args[nargs] = nargs < nrest ? pick(&a, rest[nargs]) : natural(&a, &sp);
	}
	if (fmtspec_count(fmt) != nargs)
		__builtin_trap();

	struct strbuf out = {0};
	fmtspec_check(fmt, args, nargs, &out);
	const struct type *tup = type_tuple(&a, nargs, args);
	size_t skip = nargs < nrest ? nargs : nrest;
	uint8_t *vals = arena_alloc(&a, tup->size + 1);
	memcpy(vals, rest + skip, nrest - skip < tup->size ? nrest - skip : tup->size);
	sb_reset(&out);
	if (format_printf(&out, fmt, tup, vals, NULL))
		__builtin_trap();
	/* A count that does not match is refused, not printed. */
	if (nargs) {
		const struct type *fewer = type_tuple(&a, nargs - 1, args);
		if (format_printf(&out, fmt, fewer, vals, NULL) != -1)
			__builtin_trap();
	}
	format_value(&out, tup, vals, OUTPUT_TEXT, NULL);
	format_value(&out, tup, vals, OUTPUT_JSON, NULL);
	sb_free(&out);
out:
	sb_free(&lit);
	arena_free(&a);
	return 0;
}
