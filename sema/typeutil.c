/* Type rules shared by expressions, statements and maps. */
#include "internal.h"

#include <string.h>

#include "../types/cdefs.h"
#include "../types/typenames.h"

const char *tname(struct sema *s, const struct type *t)
{
	return type_str(s->a, t);
}

const char *var_name(struct sema *s, const char *name)
{
	/* Macro hygiene renames a body's variables "$y`3": show "$y". */
	const char *tick = strchr(name, '`');
	return tick ? arena_printf(s->a, "%.*s", (int)(tick - name), name) : name;
}

const struct type *storage_type(struct sema *s, const struct type *t)
{
	switch (t->kind) {
	case TY_INT:
		if (t->size == 8 && !t->is_literal && !t->name)
			return t;
		if (t->n_enum_vals || (t->name && !strncmp(t->name, "enum ", 5))) {
			/* Widened, but still an enum: %s prints its enumerators. */
			struct type *e = type_new(s->a, TY_INT);
			*e = *t;
			e->size = e->align = 8;
			e->is_literal = false;
			return e;
		}
		return type_int(8, t->is_signed);
	case TY_TUPLE: {
		const struct type **elems = arena_alloc(s->a, t->nfields * sizeof(*elems) + 1);
		bool same = true;
		for (uint32_t i = 0; i < t->nfields; i++) {
			elems[i] = storage_type(s, t->fields[i].type);
			same = same && elems[i] == t->fields[i].type;
		}
		return same ? t : type_tuple(s->a, t->nfields, elems);
	}
	case TY_STRING:
		if (!t->is_literal)
			return t;
		return type_string(s->a, t->size);
	default:
		return t;
	}
}

const struct type *unify_types(struct sema *s, const struct type *a, const struct type *b)
{
	if (type_equal(a, b))
		return a;
	if (a->kind != b->kind)
		return NULL;
	switch (a->kind) {
	case TY_INT:
		/* A literal adapts to the other side's sign. */
		if (b->is_literal)
			return a;
		if (a->is_literal)
			return b;
		return type_int(8, a->is_signed || b->is_signed);
	case TY_STRING:
		return a->size >= b->size ? a : b;
	case TY_TUPLE: {
		if (a->nfields != b->nfields)
			return NULL;
		const struct type **elems = arena_alloc(s->a, a->nfields * sizeof(*elems) + 1);
		for (uint32_t i = 0; i < a->nfields; i++) {
			elems[i] = unify_types(s, a->fields[i].type, b->fields[i].type);
			if (!elems[i])
				return NULL;
		}
		return type_tuple(s->a, a->nfields, elems);
	}
	case TY_RECORD:
		if (a->nfields != b->nfields)
			return NULL;
		for (uint32_t i = 0; i < a->nfields; i++)
			if (strcmp(a->fields[i].name, b->fields[i].name))
				return NULL;
		{
			const struct type **elems = arena_alloc(s->a, a->nfields * sizeof(*elems) + 1);
			const char **names = arena_alloc(s->a, a->nfields * sizeof(*names) + 1);
			for (uint32_t i = 0; i < a->nfields; i++) {
				names[i] = a->fields[i].name;
				elems[i] = unify_types(s, a->fields[i].type, b->fields[i].type);
				if (!elems[i])
					return NULL;
			}
			return type_record(s->a, a->nfields, names, elems);
		}
	case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG: case TY_STATS:
		return a->is_signed ? a : b;
	default:
		return NULL;
	}
}

const struct type *arith_type(const struct type *a, const struct type *b)
{
	if (a->kind == TY_BOOL)
		a = type_int(8, false);
	if (b->kind == TY_BOOL)
		b = type_int(8, false);
	/* A non-negative literal takes the other side's type (callers pass a
	 * negative one as plain int64). */
	if (a->is_literal && !b->is_literal)
		return type_int(b->size, b->is_signed);
	if (b->is_literal && !a->is_literal)
		return type_int(a->size, a->is_signed);
	unsigned size = a->size > b->size ? a->size : b->size;
	if (a->is_signed == b->is_signed)
		return type_int(size, a->is_signed);
	/* Mixed signs: the smallest signed type that holds both; only uint64
	 * has none, and is computed as int64 (sema_mixed_signs warns). */
	const struct type *u = a->is_signed ? b : a;
	if (u->size < 8 && size == u->size)
		size = u->size * 2;
	return type_int(size, true);
}

bool sema_mixed_signs(const struct type *a, const struct type *b)
{
	return a->kind == TY_INT && b->kind == TY_INT && !a->is_literal && !b->is_literal &&
	       a->is_signed != b->is_signed && (a->is_signed ? b : a)->size == 8;
}

static const struct type *named_type(struct sema *s, const struct typespec *ts, const struct type_name *tn)
{
	uint32_t sized = (uint32_t)(ts->size_arg ? ts->size_arg : s->plan->cfg.max_strlen);
	switch (tn->kind) {
	case TY_INT: return type_int(tn->size, tn->is_signed);
	case TY_BOOL: return type_bool();
	case TY_STRING: return type_string(s->a, sized);
	case TY_BUFFER: return type_buffer(s->a, sized);
	default:
		if (tn->made_by) {
			diag_error(s->d, &ts->loc, "a %s is made by %s only: it cannot be declared", tn->name, tn->made_by);
			return NULL;
		}
		return type_simple(tn->kind);
	}
}

static const struct type *base_type(struct sema *s, const struct typespec *ts)
{
	const struct type_name *tn = type_name_find(ts->name);
	if (tn)
		return named_type(s, ts, tn);
	if (!strncmp(ts->name, "struct ", 7) || !strncmp(ts->name, "union ", 6)) {
		bool is_union = ts->name[0] == 'u';
		const struct type *local = s->cdefs ? cdefs_struct(s->cdefs, strchr(ts->name, ' ') + 1, is_union) : NULL;
		if (local)
			return local;
		struct type *st = type_new(s->a, TY_STRUCT);
		st->is_union = ts->name[0] == 'u';
		st->name = arena_strdup(s->a, strchr(ts->name, ' ') + 1);
		st->btf_id = -1;
		return st;
	}
	if (!strncmp(ts->name, "enum ", 5)) {
		const struct type *e = s->cdefs ? cdefs_enum(s->cdefs, ts->name + 5) : NULL;
		if (e)
			return e;
		struct type *k = type_new(s->a, TY_INT);
		*k = *type_int(4, false);
		k->name = arena_strdup(s->a, ts->name);
		k->btf_id = -1;
		return k;
	}
	const struct type *td = sema_typedef(s, ts->name);
	if (td)
		return td;
	diag_error(s->d, &ts->loc, "unknown type '%s'", ts->name);
	return NULL;
}

const struct type *resolve_typespec(struct sema *s, const struct typespec *ts)
{
	const struct type *t = base_type(s, ts);
	if (!t)
		return NULL;
	for (int i = 0; i < ts->ptr_depth; i++)
		t = type_ptr(s->a, t, AS_NONE);
	if (ts->is_array)
		t = type_array(s->a, t, (uint32_t)ts->array_len);
	return t;
}
