#include "fold.h"

#include <string.h>

static uint64_t get_u64(const void *p, size_t off)
{
	uint64_t v;
	memcpy(&v, (const char *)p + off, sizeof(v));
	return v;
}

static void put_u64(void *p, size_t off, uint64_t v)
{
	memcpy((char *)p + off, &v, sizeof(v));
}

static void add_u64(void *acc, const void *v, size_t off)
{
	put_u64(acc, off, get_u64(acc, off) + get_u64(v, off));
}

int64_t fold_load_int(const struct type *t, const void *p)
{
	switch (t->size) {
	case 1: {
		uint8_t u;
		memcpy(&u, p, 1);
		return t->is_signed ? (int64_t)(int8_t)u : (int64_t)u;
	}
	case 2: {
		uint16_t u;
		memcpy(&u, p, 2);
		return t->is_signed ? (int64_t)(int16_t)u : (int64_t)u;
	}
	case 4: {
		uint32_t u;
		memcpy(&u, p, 4);
		return t->is_signed ? (int64_t)(int32_t)u : (int64_t)u;
	}
	default:
		return (int64_t)get_u64(p, 0);
	}
}

void fold_init(const struct type *t, void *acc)
{
	memset(acc, 0, type_map_value_size(t));
}

/* True when a should replace the current extreme b. */
static bool minmax_better(const struct type *t, uint64_t a, uint64_t b)
{
	bool is_max = t->kind == TY_MAX;
	if (t->is_signed)
		return is_max ? (int64_t)a > (int64_t)b : (int64_t)a < (int64_t)b;
	return is_max ? a > b : a < b;
}

static void fold_minmax(const struct type *t, void *acc, const void *v)
{
	/* bpftrace reads only the low 32 bits of the set flag. */
	if (!(uint32_t)get_u64(v, 8))
		return;
	uint64_t val = get_u64(v, 0);
	if (!(uint32_t)get_u64(acc, 8) || minmax_better(t, val, get_u64(acc, 0)))
		put_u64(acc, 0, val);
	put_u64(acc, 8, 1);
}

void fold_add(const struct type *t, void *acc, const void *percpu_value)
{
	switch (t->kind) {
	case TY_COUNT:
	case TY_SUM:
	case TY_HIST:
	case TY_LHIST:
		add_u64(acc, percpu_value, 0);
		break;
	case TY_MIN:
	case TY_MAX:
		fold_minmax(t, acc, percpu_value);
		break;
	case TY_AVG:
	case TY_STATS:
		add_u64(acc, percpu_value, 0);
		add_u64(acc, percpu_value, 8);
		break;
	case TY_TSERIES:
		break;
	default:
		memcpy(acc, percpu_value, type_map_value_size(t));
		break;
	}
}

int64_t fold_value_int(const struct type *t, const void *v)
{
	switch (t->kind) {
	case TY_INT:
	case TY_BOOL:
		return fold_load_int(t, v);
	case TY_COUNT:
	case TY_SUM:
		return (int64_t)get_u64(v, 0);
	case TY_MIN:
	case TY_MAX:
		/* an extreme no CPU ever set reads as 0, whatever the slot holds */
		return (uint32_t)get_u64(v, 8) ? (int64_t)get_u64(v, 0) : 0;
	case TY_AVG:
	case TY_STATS: {
		uint64_t total = get_u64(v, 0), count = get_u64(v, 8);
		if (!count)
			return 0;
		if (t->is_signed)
			return fold_sdiv((int64_t)total, (int64_t)count);
		return (int64_t)(total / count);
	}
	default:
		return 0;
	}
}
