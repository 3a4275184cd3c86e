/* Printing a whole map (print(@m), print(@m, top, div), and the maps printed
 * at exit) exactly as bpftrace v0.26 does, in text and in JSON.  Input is
 * the map's entries already read from the kernel and folded over CPUs (see
 * fold.h); nothing here touches the kernel. */
#ifndef TRAWK_RUNTIME_MAPPRINT_H
#define TRAWK_RUNTIME_MAPPRINT_H

#include "format.h"

struct map_entry {
	void *key;
	void *value;
};

/* For TY_HIST and TY_LHIST values each entry is one bucket: the key is the
 * user key (key->size bytes) followed by a u64 bucket index at offset
 * ALIGN_UP(key->size, 8) (for a scalar hist map the key is just the u64
 * bucket at offset 0), and the value is the bucket's u64 count.  For every
 * other value type an entry is one key and its value. */
struct map_view {
	const char *name;         /* "@x", or "@" */
	const struct type *key;   /* type_none() for a scalar map */
	const struct type *value;
	struct map_entry *entries;
	size_t n;
};

/* Appends the map in format f.  Nothing at all is printed for a map with no
 * entries.  Entries are ordered as bpftrace orders them:
 *   count, sum, int     ascending by value (signed after the value type)
 *   min, max            ascending by value compared as unsigned (bpftrace's
 *                       sort reads them as uint64 even when signed)
 *   avg, stats          ascending by the integer average
 *   hist, lhist         ascending by the key's total count; keys first in
 *                       byte order, which decides ties
 *   anything else       by key: integer keys numerically as signed values of
 *                       their size, string keys bytewise, tuple keys field by
 *                       field using their integer and string fields; other
 *                       key kinds keep the given order
 * Ties keep the given (kernel iteration) order.  top != 0 keeps only the
 * last `top` entries (keys, for histograms); div != 0 divides the printed
 * values (see format_value_div; for histograms the bucket counts; lhist
 * ignores it).  A scalar map prints its single remaining entry.
 *
 * Text:
 *   @name: VALUE                    scalar
 *   @name[KEY]: VALUE               one line per key; a key whose text is
 *                                   "(...)" (a tuple) loses the parentheses
 *   @name:  / @name[KEY]:           histograms: the header line, the bucket
 *                                   lines, then one empty line, per key
 * Only histogram blocks are followed by an empty line.
 * JSON (one line, "\n"-terminated):
 *   {"type": "map", "data": {"@name": VALUE}}
 *   {"type": "map", "data": {"@name": {"KEY": VALUE, "KEY2": VALUE2}}}
 * with type "stats" for avg and stats maps and "hist" for hist and lhist
 * maps (VALUE is then the bucket array of hist_print_json).  JSON keys are
 * the text key without the tuple parentheses and without any spaces
 * ("1,abc"), as bpftrace does.  tseries maps are not supported yet and
 * print nothing. */
void mapprint(struct strbuf *sb, const struct map_view *m, uint64_t top, uint64_t div,
	      enum output_format f, const struct format_ctx *ctx);

/* The key as printed between the brackets of "@name[...]": the text form,
 * tuple parentheses removed. */
void mapprint_key(struct strbuf *sb, const struct type *key, const void *data,
		  const struct format_ctx *ctx);

#endif
