/* Value formatting: turns (type, raw bytes) into the text and JSON that
 * bpftrace v0.26 prints, plus printf() formatting and its compile-time
 * argument check.  Everything here is a pure function over memory: nothing
 * reads the kernel, files or the clock.  Values that need the outside world
 * (symbols, user names, wall-clock timestamps, cgroup paths, enum names) go
 * through the optional symbolizer hook in struct format_ctx; without it they
 * print a raw fallback (see format_value).
 *
 * Memory layout of values is the one documented in types/type.h. */
#ifndef TRAWK_RUNTIME_FORMAT_H
#define TRAWK_RUNTIME_FORMAT_H

#include "../common/util.h"
#include "../types/fmtspec.h"
#include "../types/type.h"

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_JSON,
};

/* Optional context for formatting; every function accepts NULL and then uses
 * the defaults noted on each field. */
struct format_ctx {
	/* Appended to a string that fills its whole buffer (bpftrace's
	 * str_trunc_trailer config).  NULL means "..". */
	const char *str_trunc_trailer;
	/* Called first for every value, of every kind.  It appends the value's
	 * form for `f` (JSON-encoded when f is OUTPUT_JSON) and returns true, or
	 * returns false to let the default formatting run.  This is where the
	 * symbolizer (ksym, usym, kstack, ustack), user names, strftime
	 * timestamps, cgroup paths, probe names and enum names plug in. */
	bool (*symbolize)(void *arg, struct strbuf *sb, const struct type *t,
			  const void *data, enum output_format f);
	void *symbolize_arg;
	/* printf's %s of an integer whose type is "enum NAME": the enumerator's
	 * name, or NULL (then the number prints). */
	const char *(*enum_name)(const struct type *t, int64_t value);
};

/* Appends the value of type t stored at data.
 *
 * Text: integers in decimal (sign from the type), bool true/false, strings
 * raw up to the NUL (plus the trailer when the string fills its buffer),
 * tuples "(1, 2, str)", records and structs "{ .a = 1, .b = 2 }" (empty
 * "{}"), arrays "[1,2,3]", buffers as printable ASCII with other bytes as
 * \xNN, pointers 0x..., macaddr AA:BB:CC:DD:EE:FF, inet via inet_ntop (""
 * for an unknown family), count/sum/min/max/avg as one integer, stats as
 * "{ .count = N, .average = A, .total = T }", none as null.
 * Without a symbolizer: ksym/usym print 0x<hex>, kstack/ustack print
 * bpftrace's raw stack mode ("\n" then one bare hex address per line), and
 * timestamp, cgroup_path, username and probe print their number.
 *
 * JSON: numbers stay numbers unless a double cannot hold them exactly, then
 * they become quoted decimal strings (as bpftrace does); strings are quoted
 * and escaped; tuples and arrays are [a,b] (no spaces); records, structs and
 * stats are {"a": 1, "b": 2}; buffers are an array of signed byte values;
 * pointers are numbers; symbolic kinds (ksym, stacks, inet, macaddr, ...)
 * are strings. */
void format_value(struct strbuf *sb, const struct type *t, const void *data,
		  enum output_format f, const struct format_ctx *ctx);

/* Like format_value, with map printing's `div`: count, sum, plain integers,
 * min, max, avg and the average of stats are divided by div (0 counts as 1);
 * stats' count and total are not.  Used by mapprint. */
void format_value_div(struct strbuf *sb, const struct type *t, const void *data,
		      enum output_format f, const struct format_ctx *ctx, uint64_t div);

/* Appends s[0..n) as a quoted JSON string, escaped as bpftrace does:
 * \" \\ \n \r \t, other bytes below 0x20 as \u00XX (lowercase hex), 0x7f
 * and valid UTF-8 sequences unchanged.  Bytes that are not valid UTF-8
 * become \u00XX (bpftrace itself emits the invalid JSON "\uffffffXX" for
 * every byte >= 0x80, valid UTF-8 included; we keep valid text intact). */
void format_json_string(struct strbuf *sb, const char *s, size_t n);

/* JSON numbers the way bpftrace emits them: bare when a double represents
 * the value exactly, otherwise as a quoted decimal string. */
void format_json_int(struct strbuf *sb, int64_t v);
void format_json_uint(struct strbuf *sb, uint64_t v);

/* Appends the text of buf() data as bpftrace's hex_format_buffer does:
 * keep_ascii keeps bytes 32..126 as they are; otherwise escape_hex writes
 * \xNN and !escape_hex writes "NN NN NN" (space separated, no trailer).
 * Used by text buffers (true, true), %r (true, true), %rx (false, true) and
 * %rh (false, false). */
void format_hex_buffer(struct strbuf *sb, const uint8_t *p, size_t n,
		       bool keep_ascii, bool escape_hex);

/* printf() as bpftrace formats it in user space.  `args` is a TY_TUPLE (or
 * TY_RECORD) type whose fields are the arguments, laid out in `data` at the
 * field offsets.
 *
 * Conversion specs follow bpftrace's parser: %[-][+][ ][#][0][width|*]
 * [.prec|.*][h|hh|l|ll|j|z|t|...]conv, flags only in that order, conv one
 * of d i o u x X e E f F g G a A c s p n % r rx rh.  Text that does not
 * parse as a spec is copied unchanged; "%%" prints '%'.
 * Semantics are those of bpftrace's stream-based formatter, not C printf:
 *  - the length modifier picks the integer width: none = 32 bits (so %d of
 *    a 64-bit value prints its low 32 bits, as in bpftrace), hh = 8, h = 16,
 *    l ll j z t = 64; d/i print signed, u/o/x/X unsigned;
 *  - width pads with spaces on the left (on the right with '-'); the 0 flag
 *    pads integers with zeros after the sign and 0x prefix, as C printf
 *    does (%05d of -5 is "-0005", as bpftrace 0.17 printed it);
 *  - '+' adds a sign to d/i; '#' adds 0 / 0x / 0X to non-zero o/x/X;
 *    ' ' and '*' are accepted and ignored;
 *  - precision truncates %s (and %r...) text; it is ignored for integers;
 *  - %c prints the low byte; %p prints 0x<hex>, or 0 for a null value;
 *  - %s prints any value's text form (tuples, records, bool, buffers...);
 *  - %r/%rx/%rh print buffers (see format_hex_buffer); other values as %s;
 *  - an integer conversion of a non-integer value prints
 *    "!{invalid integer conversion: TEXT}" (format_check prevents it).
 * Returns 0, or -1 (nothing appended) when the number of conversions and
 * of arguments differ. */
int format_printf(struct strbuf *sb, const char *fmt, const struct type *args,
		  const void *data, const struct format_ctx *ctx);

#endif
