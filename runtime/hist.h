/* Histogram buckets: the index scheme the BPF side uses for hist() and
 * lhist(), the bucket ranges and labels, and the printing of one histogram
 * block in bpftrace v0.26's text and JSON forms.
 *
 * hist(v, k), 0 <= k <= 5: each power of two is split into 2^k buckets.
 * The BPF code generator must compute exactly hist_index(); this is the
 * scheme (bpftrace's, loop-free; v is the value sign- or zero-extended to
 * 64 bits after its type, compared signed):
 *
 *	uint64_t hist_index(int64_t v, int k)
 *	{
 *		if (v < 0)
 *			return 0;                       // negative bucket
 *		uint64_t n = v, mask = (1ULL << k) - 1;
 *		if (n <= mask)
 *			return n + 1;                   // 0 .. 2^k-1: one value each
 *		uint64_t l = 0, s;                      // l = floor(log2(n))
 *		s = (n >= 1ULL << 32) << 5; n >>= s; l += s;
 *		s = (n >= 1ULL << 16) << 4; n >>= s; l += s;
 *		s = (n >= 1ULL << 8) << 3;  n >>= s; l += s;
 *		s = (n >= 1ULL << 4) << 2;  n >>= s; l += s;
 *		s = (n >= 1ULL << 2) << 1;  n >>= s; l += s;
 *		s = (n >= 1ULL << 1) << 0;  n >>= s; l += s;
 *		l -= k;                                 // >= 0 here
 *		uint64_t x = ((uint64_t)v >> l) & mask; // the k bits after the top 1
 *		return ((l + 1) << k) + x + 1;
 *	}
 *
 * (floor(log2(n)) may equally be 63 - ctlz(n) in IR.)  Indices run from 0
 * to (64 - k) << k, so a hist has ((64 - k) << k) + 1 buckets.  Bucket i
 * (1 <= i <= 2^(k+1)) holds the single value i - 1; above that, with
 * l = ((i - 1) >> k) - 1 and x = (i - 1) & mask, bucket i holds
 * [(2^k + x) << l, (2^k + x + 1) << l).
 *
 * lhist(v, min, max, step): 0 for v < min; 1 + (v - min) / step for
 * min <= v <= max; 1 + (max - min) / step for v > max (unsigned divisions,
 * signed comparisons).  The last index, 1 + (max - min) / step, is the
 * overflow bucket and also takes v == max; there are 2 + (max - min) / step
 * buckets.
 *
 * A hist/lhist map entry is (user key, u64 bucket index) -> u64 count; see
 * mapprint.h. */
#ifndef TRAWK_RUNTIME_HIST_H
#define TRAWK_RUNTIME_HIST_H

#include "format.h"

uint64_t hist_index(int64_t v, int k);
uint64_t hist_nbuckets(int k);
/* The closed range [*min, *max] of hist bucket idx (bucket 0 is
 * [INT64_MIN, -1]). */
void hist_bucket_range(uint64_t idx, int k, int64_t *min, int64_t *max);

uint64_t lhist_index(int64_t v, int64_t min, int64_t max, int64_t step);
uint64_t lhist_nbuckets(int64_t min, int64_t max, int64_t step);

/* The bucket label as bpftrace prints it, for t a TY_HIST (hist_bits = k)
 * or TY_LHIST (lhist_min/max/step) type:
 *   hist:  "(..., 0)", "[0]", "[1]", "[2, 4)", ..., "[512, 1K)", "[1K, 2K)";
 *          buckets holding one value print "[v]".  A bound above 2^(k+1)
 *          is 2^p * (2^k + x); it prints as 2^(p % 10) * (2^k + x) followed
 *          by K M G T P E for p >= 10, 20, ... 60, so with k > 0 some bounds
 *          above 1024 stay plain ("[7680, 8K)" for k = 3).
 *   lhist: "(..., MIN)", "[a, b)", "[MAX, ...)" for the overflow bucket;
 *          K/M suffixes only when step % 1024 == 0; with step 1 the buckets
 *          print "[v]" (bpftrace 0.26). */
void hist_bucket_label(struct strbuf *sb, const struct type *t, uint64_t idx);

/* One histogram block body, from the first to the last non-zero bucket
 * (nothing when all are zero), each line
 *   printf("%-16s%8lu |%-52s|\n", label, count, bar)
 * with a bar of floor(count / max_count * 52) '@' (computed in float as
 * bpftrace does).  counts[i] is bucket i; for hist the counts are divided
 * by div (0 means 1) before printing; lhist ignores div.  The "@name:"
 * header and the empty line after the block are mapprint's. */
void hist_print_text(struct strbuf *sb, const struct type *t, const uint64_t *counts,
		     size_t nbuckets, uint64_t div);

/* The JSON form of the same buckets: [{"min": a, "max": b, "count": n},...]
 * with closed intervals (max = upper label - 1), no "min" for the negative
 * or underflow bucket and no "max" for the lhist overflow bucket. */
void hist_print_json(struct strbuf *sb, const struct type *t, const uint64_t *counts,
		     size_t nbuckets, uint64_t div);

#endif
