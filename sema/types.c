/* Where struct types come from: the script's own C definitions, then the
 * kernel's BTF. */
#include "internal.h"

const struct type *sema_complete_struct(struct sema *s, const struct type *t, const struct loc *loc)
{
	if (t->nfields)
		return t;
	diag_error(s->d, loc, "%s %s is not defined: there is no definition in the script and no kernel BTF for it",
		   t->is_union ? "union" : "struct", t->name ? t->name : "(anonymous)");
	return NULL;
}
