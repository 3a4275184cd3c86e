/* Where struct types come from: the script's own C definitions, then the
 * kernel's BTF. */
#include "internal.h"

#include <string.h>

#include "../parser/ast.h"
#include "../types/btf.h"
#include "../types/cdefs.h"

/* Names a script's C definitions use but do not define: kernel BTF. */
static const struct type *from_btf(void *arg, const char *name, enum cdefs_kind kind)
{
	struct sema *s = arg;
	if (!btf_available())
		return NULL;
	struct strbuf err = {0};
	const struct type *t = NULL;
	if (kind == CDEFS_STRUCT || kind == CDEFS_UNION)
		t = btf_struct(s->a, name, kind == CDEFS_UNION, &err);
	else if (kind == CDEFS_TYPEDEF)
		t = btf_typedef(s->a, name);
	sb_free(&err);
	return t;
}

/* A #define'd name in a C definition ("int a[N + 2]"): its value must be
 * a constant expression of the script's language. */
static bool const_from_define(struct sema *s, const char *name, int64_t *value)
{
	bool known = false;
	for (size_t i = 0; i < s->opts->ndefines && !known; i++)
		known = !strcmp(s->opts->define_names[i], name);
	if (!known)
		return false;
	struct diag quiet = {0}, *saved = s->d;
	s->d = &quiet;
	struct node *n = node_new(s->a, N_IDENT, (struct loc){0});
	n->name = name;
	bool ok = sema_expr(s, n) && n->is_const && !quiet.errors;
	if (ok)
		*value = n->cval;
	s->d = saved;
	diag_free(&quiet);
	return ok;
}

static bool const_from_btf(void *arg, const char *name, int64_t *value)
{
	struct sema *s = arg;
	if (const_from_define(s, name, value))
		return true;
	return btf_available() && btf_enum_value(name, value);
}

void sema_cdefs(struct sema *s, struct node *prog)
{
	s->cdefs = cdefs_new(s->a);
	cdefs_set_resolver(s->cdefs, from_btf, s);
	cdefs_set_const_resolver(s->cdefs, const_from_btf, s);
	for (size_t i = 0; i < prog->list.n; i++) {
		struct node *n = prog->list.v[i];
		if (n->kind == N_CDEF)
			cdefs_parse(s->cdefs, n->name, &n->loc, s->real);
	}
}

const struct type *sema_typedef(struct sema *s, const char *name)
{
	const struct type *t = s->cdefs ? cdefs_typedef(s->cdefs, name) : NULL;
	if (!t && btf_available())
		t = btf_typedef(s->a, name);
	return t;
}

bool sema_enum_value(struct sema *s, const char *name, int64_t *value)
{
	if (s->cdefs && cdefs_enum_value(s->cdefs, name, value))
		return true;
	return btf_available() && btf_enum_value(name, value);
}

const struct type *sema_enum_type(struct sema *s, const char *name)
{
	return s->cdefs ? cdefs_enumerator_type(s->cdefs, name) : NULL;
}

const struct type *sema_complete_struct(struct sema *s, const struct type *t, const struct loc *loc)
{
	if (t->nfields)
		return t;
	const struct type *local = s->cdefs && t->name ? cdefs_struct(s->cdefs, t->name, t->is_union) : NULL;
	if (local && local->nfields)
		return local;
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
