/* The language's type names, in one table: the lexer asks it which words
 * start a type (so "(u32)x" reads as a cast), sema what each one means. */
#ifndef TRAWK_TYPES_TYPENAMES_H
#define TRAWK_TYPES_TYPENAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "type.h"

struct type_name {
	const char *name;
	enum type_kind kind;
	uint8_t size;          /* TY_INT */
	bool is_signed;        /* TY_INT */
	const char *made_by;   /* a kind only a function makes ("hist()"): no declarations */
};

/* name's entry, or NULL (a typedef or struct name is not in the table). */
const struct type_name *type_name_find(const char *name);
/* The name of a kind that has one name (inet, count_t, kstack_t...), or
 * NULL (integers, and kinds the table does not name). */
const char *type_kind_name(enum type_kind kind);

#endif
