/* Printing tseries() maps: per key, the most recent intervals as an ASCII
 * chart (text) or as {"interval_start", "value"} pairs (JSON). */
#ifndef TRAWK_RUNTIME_TSERIES_H
#define TRAWK_RUNTIME_TSERIES_H

#include "mapprint.h"

/* tai_to_wall: add to a CLOCK_TAI instant (ns) to get wall time. */
void tseries_print(struct strbuf *sb, const struct map_view *m, enum output_format f,
		   int64_t tai_to_wall, const struct format_ctx *ctx);

#endif
