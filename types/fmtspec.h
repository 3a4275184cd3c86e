/* printf-style format strings, as bpftrace's printf, errorf, cat and system
 * read them: shared by sema (checking) and the runtime (formatting). */
#ifndef TRAWK_TYPES_FMTSPEC_H
#define TRAWK_TYPES_FMTSPEC_H

#include "type.h"

/* One conversion, as bpftrace's spec regex
 *   %(-?)(\+?)( ?)(#?)(0?)(\*|\d+)?(?:\.(\*|\d+))?([hlLjzt]*)(conv)
 * splits it: the flags can only come in that order. */
struct fmt_spec {
	bool left, plus, space, alt, zero;
	int width;      /* -1 when absent or '*' */
	int prec;       /* -1 when absent or '*' */
	char len[4];    /* the length modifier, "" if none, "?" if unusual */
	char conv[3];   /* d i o u x X e E f F g G a A c s p n % r rx rh */
	size_t n;       /* characters of the spec, '%' included */
};

/* Copies literal text (with %% reduced to %) into lit, if given, up to the
 * next conversion, parsed into sp; returns the position after it, or NULL
 * at the end.  Text that is not a valid spec is literal. */
const char *fmtspec_scan(const char *s, struct strbuf *lit, struct fmt_spec *sp);

/* Number of conversions (excluding %%) in fmt. */
size_t fmtspec_count(const char *fmt);

/* Checks a format against its argument types, with bpftrace's messages:
 *   "not enough arguments for format string (N supplied, M expected)"
 *   "too many arguments for format string (N supplied, M expected)"
 *   "unable to print none type for specifier: d"
 *   "unsupported format specifier: f"
 *   "unsupported format specifier for type 'string[16]': d"
 * d i u o x X c p take integers, bools and pointers (and the integer-valued
 * aggregations count/sum/min/max/avg); r rx rh take buffers; s takes
 * anything.  Returns 0, or -1 with the message in err. */
int fmtspec_check(const char *fmt, const struct type *const *argtypes, size_t nargs, struct strbuf *err);

#endif
