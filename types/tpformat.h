/* Tracepoint arguments typed from tracefs format files, without BTF. */
#ifndef TRAWK_TYPES_TPFORMAT_H
#define TRAWK_TYPES_TPFORMAT_H

#include "type.h"

/* Reads TRACEFS/events/CAT/EVENT/format into a struct type whose fields sit
 * at their offsets in the tracepoint record (common_* fields left out).
 * Pointers get address space `as`; __data_loc strings are strlen bytes.
 * NULL with a reason in err on failure. */
const struct type *tpformat_load(const char *tracefs, const char *cat, const char *event,
				 enum addrspace as, uint32_t strlen, struct arena *a, struct strbuf *err);

/* Parses the text of a format file; the same rules. */
const struct type *tpformat_parse(const char *text, const char *name, enum addrspace as,
				  uint32_t strlen, struct arena *a, struct strbuf *err);

#endif
