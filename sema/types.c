/* Where struct types come from: the script's own C definitions, then the
 * kernel's BTF. */
#include "internal.h"

#include "../types/btf.h"

const struct type *sema_complete_struct(struct sema *s, const struct type *t, const struct loc *loc)
{
	if (t->nfields)
		return t;
	const char *kind = t->is_union ? "union" : "struct";
	if (!t->name) {
		diag_error(s->d, loc, "this %s has no name and no fields", kind);
		return NULL;
	}
	struct strbuf err = {0};
	const struct type *full = btf_available() ? btf_complete(s->a, t, &err) : NULL;
	if (!full) {
		if (btf_available())
			diag_error(s->d, loc, "%s %s is not defined in the script or in the kernel's BTF", kind, t->name);
		else
			diag_error(s->d, loc, "%s %s is not defined: define it in the script (the kernel has no BTF)",
				   kind, t->name);
	}
	sb_free(&err);
	return full;
}
