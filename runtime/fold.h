/* Folding per-CPU aggregation values into one.  Aggregations live in
 * PERCPU_HASH maps: a lookup returns one value per possible CPU, each in the
 * layout of types/type.h, and user space combines them before printing or
 * sorting. */
#ifndef TRAWK_RUNTIME_FOLD_H
#define TRAWK_RUNTIME_FOLD_H

#include "../types/type.h"

/* Zeroes an accumulator of type_map_value_size(t) bytes: the identity of
 * every fold (a min/max with set == 0 is "no value yet"). */
void fold_init(const struct type *t, void *acc);

/* Folds one CPU's value into acc:
 *   count, sum, hist, lhist   u64 add (wrapping; signed sums add the same bits)
 *   min, max                  { s64 value; u64 set }: CPUs whose set flag is
 *                             0 are skipped; values compare signed or unsigned
 *                             after t->is_signed; acc's set becomes 1
 *   avg, stats                { s64 total; u64 count }: both added
 * Other kinds are not per-CPU; their value is copied into acc.  tseries is
 * not supported yet (acc is left unchanged). */
void fold_add(const struct type *t, void *acc, const void *percpu_value);

/* The integer bpftrace prints and sorts a (folded) value by: count, sum,
 * int, bool: the value; min, max: the value (0 if never set); avg and stats:
 * total / count (0 when count is 0), divided signed or unsigned after
 * t->is_signed.  For unsigned kinds the result is the uint64_t bit pattern.
 * Other kinds give 0. */
int64_t fold_value_int(const struct type *t, const void *v);

/* Reads an integer or bool of type t, sign-extended when t is signed.
 * Same contract as type_load_int(), which today zero-extends 4-byte signed
 * values (its ?: mixes int32_t and uint32_t); switch back once it is fixed. */
int64_t fold_load_int(const struct type *t, const void *p);

/* Signed division that wraps instead of trapping on INT64_MIN / -1 (a
 * count or divisor read back as -1 must not crash the printer).  b != 0. */
static inline int64_t fold_sdiv(int64_t a, int64_t b)
{
	return b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b;
}

#endif
