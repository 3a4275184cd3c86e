#include "type.h"

#include "typenames.h"

#include <assert.h>
#include <string.h>

static const struct type none_type = { .kind = TY_NONE, .size = 0, .align = 1 };
static const struct type bool_type = { .kind = TY_BOOL, .size = 1, .align = 1 };

#define INT_TYPE(sz, s) { .kind = TY_INT, .size = sz, .align = sz, .is_signed = s }
static const struct type int_types[2][4] = {
	{ INT_TYPE(1, false), INT_TYPE(2, false), INT_TYPE(4, false), INT_TYPE(8, false) },
	{ INT_TYPE(1, true), INT_TYPE(2, true), INT_TYPE(4, true), INT_TYPE(8, true) },
};

const struct type *type_none(void) { return &none_type; }
const struct type *type_bool(void) { return &bool_type; }

const struct type *type_int(unsigned size, bool is_signed)
{
	int i = size <= 1 ? 0 : size == 2 ? 1 : size <= 4 ? 2 : 3;
	return &int_types[is_signed][i];
}

const struct type *type_u64(void) { return type_int(8, false); }
const struct type *type_s64(void) { return type_int(8, true); }

/* Kinds whose layout never varies. */
static const struct type simple_types[] = {
	{ .kind = TY_KSYM, .size = 8, .align = 8 },
	{ .kind = TY_USYM, .size = 16, .align = 8 },
	{ .kind = TY_INET, .size = 24, .align = 8 },
	{ .kind = TY_MACADDR, .size = 6, .align = 1 },
	{ .kind = TY_CGROUP_PATH, .size = 8, .align = 8 },
	{ .kind = TY_USERNAME, .size = 8, .align = 8 },
	{ .kind = TY_PROBE, .size = 8, .align = 8 },
	{ .kind = TY_COUNT, .size = 8, .align = 8 },
	{ .kind = TY_SUM, .size = 8, .align = 8 },
	{ .kind = TY_MIN, .size = 16, .align = 8, .is_signed = true },
	{ .kind = TY_MAX, .size = 16, .align = 8, .is_signed = true },
	{ .kind = TY_AVG, .size = 16, .align = 8, .is_signed = true },
	{ .kind = TY_STATS, .size = 16, .align = 8, .is_signed = true },
};

const struct type *type_simple(enum type_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(simple_types); i++)
		if (simple_types[i].kind == kind)
			return &simple_types[i];
	return NULL;
}

struct type *type_new(struct arena *a, enum type_kind kind)
{
	struct type *t = arena_alloc(a, sizeof(*t));
	t->kind = kind;
	t->align = 1;
	return t;
}

const struct type *type_string(struct arena *a, uint32_t size)
{
	struct type *t = type_new(a, TY_STRING);
	t->size = size;
	/* 8-aligned, so copies of strings move 8 bytes at a time. */
	t->align = 8;
	return t;
}

const struct type *type_buffer(struct arena *a, uint32_t size)
{
	struct type *t = type_new(a, TY_BUFFER);
	t->size = size + 4;
	t->count = size;
	t->align = 8;
	return t;
}

const struct type *type_ptr(struct arena *a, const struct type *to, enum addrspace as)
{
	struct type *t = type_new(a, TY_PTR);
	t->size = t->align = 8;
	t->elem = to;
	t->as = as;
	return t;
}

const struct type *type_array(struct arena *a, const struct type *elem, uint32_t count)
{
	struct type *t = type_new(a, TY_ARRAY);
	t->elem = elem;
	t->count = count;
	t->size = elem->size * count;
	t->align = 8;
	return t;
}

const struct type *type_with_as(struct arena *a, const struct type *t, enum addrspace as)
{
	if (t->as == as)
		return t;
	struct type *c = type_new(a, t->kind);
	*c = *t;
	c->as = as;
	return c;
}

void type_layout(struct type *t)
{
	uint32_t off = 0, align = 1;
	for (uint32_t i = 0; i < t->nfields; i++) {
		const struct type *ft = t->fields[i].type;
		uint32_t fa = ft->align ? ft->align : 1;
		if (t->kind == TY_STRUCT && t->is_union)
			off = 0;
		else
			off = ALIGN_UP(off, fa);
		t->fields[i].offset = off;
		off += ft->size;
		if (t->is_union && ft->size > t->size)
			t->size = ft->size;
		if (fa > align)
			align = fa;
	}
	/* Values in memory start 8-aligned: copies and stores stay wide. */
	if (t->kind != TY_STRUCT && align < 8 && t->nfields)
		align = 8;
	t->align = align;
	if (!t->is_union)
		t->size = off;
	t->size = ALIGN_UP(t->size, align);
}

static const struct type *make_fields(struct arena *a, enum type_kind kind, size_t n,
				      const char *const *names, const struct type *const *elems)
{
	struct type *t = type_new(a, kind);
	t->nfields = (uint32_t)n;
	t->fields = arena_alloc(a, n * sizeof(struct field));
	for (size_t i = 0; i < n; i++) {
		t->fields[i].name = names ? names[i] : NULL;
		t->fields[i].type = elems[i];
	}
	type_layout(t);
	return t;
}

const struct type *type_tuple(struct arena *a, size_t n, const struct type *const *elems)
{
	return make_fields(a, TY_TUPLE, n, NULL, elems);
}

const struct type *type_record(struct arena *a, size_t n, const char *const *names,
			       const struct type *const *elems)
{
	return make_fields(a, TY_RECORD, n, names, elems);
}

bool type_equal(const struct type *a, const struct type *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind)
		return false;
	/* A struct known only by name (curtask's, a cast's) is the struct of
	 * that name, whose size it does not know yet. */
	bool named = a->kind == TY_STRUCT && (!a->size || !b->size);
	if (a->size != b->size && !named)
		return false;
	switch (a->kind) {
	case TY_INT:   /* an enum's values print by name: it is not a plain int */
		return a->is_signed == b->is_signed && a->enum_vals == b->enum_vals;
	case TY_PTR:
	case TY_ARRAY:
		return a->count == b->count && type_equal(a->elem, b->elem);
	case TY_STRUCT:
		return a->name && b->name && !strcmp(a->name, b->name) && a->is_union == b->is_union;
	case TY_TUPLE:
	case TY_RECORD:
		if (a->nfields != b->nfields)
			return false;
		for (uint32_t i = 0; i < a->nfields; i++) {
			if (!type_equal(a->fields[i].type, b->fields[i].type))
				return false;
			if (a->kind == TY_RECORD && strcmp(a->fields[i].name, b->fields[i].name))
				return false;
		}
		return true;
	case TY_HIST:
		return a->hist_bits == b->hist_bits;
	case TY_TSERIES:
		return a->ts_interval == b->ts_interval && a->ts_num == b->ts_num && a->ts_mode == b->ts_mode;
	case TY_LHIST:
		return a->lhist_min == b->lhist_min && a->lhist_max == b->lhist_max &&
		       a->lhist_step == b->lhist_step;
	case TY_SUM:
	case TY_MIN:
	case TY_MAX:
	case TY_AVG:
	case TY_STATS:
		return true;
	default:
		return true;
	}
}

bool type_is_int(const struct type *t)
{
	return t && (t->kind == TY_INT || t->kind == TY_BOOL);
}

bool type_is_agg(const struct type *t)
{
	return t && t->kind >= TY_COUNT && t->kind <= TY_TSERIES;
}

bool type_is_aggregate_value(const struct type *t)
{
	switch (t->kind) {
	case TY_STRING: case TY_BUFFER: case TY_TUPLE: case TY_RECORD:
	case TY_ARRAY: case TY_STRUCT: case TY_KSTACK: case TY_USTACK:
	case TY_USYM: case TY_INET: case TY_MACADDR: case TY_TIMESTAMP:
		return true;
	default:
		return false;
	}
}

uint32_t type_map_value_size(const struct type *t)
{
	if (t->kind == TY_HIST || t->kind == TY_LHIST)
		return 8;
	return t->size ? t->size : 8;
}

void type_name(struct strbuf *sb, const struct type *t)
{
	switch (t->kind) {
	case TY_NONE: sb_append(sb, "none"); break;
	case TY_BOOL: sb_append(sb, "bool"); break;
	case TY_INT:
		if (t->name)
			sb_append(sb, t->name);
		else
			sb_printf(sb, "%sint%u", t->is_signed ? "" : "u", t->size * 8);
		break;
	case TY_STRING: sb_printf(sb, "string[%u]", t->size); break;
	case TY_BUFFER: sb_printf(sb, "buffer[%u]", t->count); break;
	case TY_TUPLE:
	case TY_RECORD:
		sb_putc(sb, '(');
		for (uint32_t i = 0; i < t->nfields; i++) {
			if (i)
				sb_putc(sb, ',');
			if (t->fields[i].name)
				sb_printf(sb, "%s=", t->fields[i].name);
			type_name(sb, t->fields[i].type);
		}
		sb_putc(sb, ')');
		break;
	case TY_PTR:
		type_name(sb, t->elem);
		sb_append(sb, " *");
		break;
	case TY_ARRAY:
		type_name(sb, t->elem);
		sb_printf(sb, "[%u]", t->count);
		break;
	case TY_STRUCT:
		sb_printf(sb, "%s %s", t->is_union ? "union" : "struct", t->name ? t->name : "(anon)");
		break;
	case TY_USERNAME: sb_append(sb, "username"); break;   /* no type name a script writes */
	case TY_PROBE: sb_append(sb, "probe"); break;
	default: {
		/* The rest have one name each, the one a script declares them by. */
		const char *name = type_kind_name(t->kind);
		assert(name);
		sb_append(sb, name ? name : "?");
		break;
	}
	}
}

const char *type_str(struct arena *a, const struct type *t)
{
	struct strbuf sb = {0};
	type_name(&sb, t);
	const char *r = arena_strdup(a, sb_str(&sb));
	sb_free(&sb);
	return r;
}

int64_t type_load_int(const struct type *t, const void *p)
{
	switch (t->size) {
	case 1: return t->is_signed ? *(const int8_t *)p : *(const uint8_t *)p;
	case 2: { int16_t s; uint16_t u; memcpy(&s, p, 2); memcpy(&u, p, 2); return t->is_signed ? (int64_t)s : (int64_t)u; }
	case 4: { int32_t s; uint32_t u; memcpy(&s, p, 4); memcpy(&u, p, 4); return t->is_signed ? (int64_t)s : (int64_t)u; }
	default: { int64_t v; memcpy(&v, p, 8); return v; }
	}
}

const char *type_enum_name(const struct type *t, int64_t value)
{
	for (uint32_t i = 0; t->kind == TY_INT && i < t->n_enum_vals; i++)
		if (t->enum_vals[i].value == value)
			return t->enum_vals[i].name;
	return NULL;
}
