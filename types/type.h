/* The type representation shared by every stage, and the in-memory layout
 * of values.  A value of a type is `size` bytes with natural C alignment;
 * the BPF side writes exactly this layout into maps and ring-buffer records
 * and user space reads it back, so the layout rules live here only. */
#ifndef TRAWK_TYPES_TYPE_H
#define TRAWK_TYPES_TYPE_H

#include "../common/util.h"

enum type_kind {
	TY_NONE,        /* no value: statements, void functions */
	TY_BOOL,        /* 1 byte */
	TY_INT,         /* 1, 2, 4 or 8 bytes, signed or not */
	TY_STRING,      /* size bytes, NUL-terminated unless truncated */
	TY_BUFFER,      /* buf(): u32 length then size-4 bytes of data */
	TY_TUPLE,
	TY_RECORD,
	TY_PTR,
	TY_ARRAY,
	TY_STRUCT,      /* a C struct or union from BTF or the script */
	TY_KSTACK,      /* u64 frame count, then frames */
	TY_USTACK,      /* u64 pid, u64 frame count, then frames */
	TY_KSYM,        /* u64 address, symbolized in user space */
	TY_USYM,        /* u64 address, u64 pid */
	TY_TIMESTAMP,   /* strftime(): u64 boot ns; fmt in the type */
	TY_INET,        /* ntop(): u64 family, 16 bytes address */
	TY_MACADDR,     /* 6 bytes */
	TY_CGROUP_PATH, /* u64 cgroup id */
	TY_USERNAME,    /* u64 uid, name looked up in user space */
	TY_PROBE,       /* u64 probe index (the probe builtin as a map key) */
	/* Aggregations: only ever map values, kept per CPU and folded in user space. */
	TY_COUNT,       /* u64 */
	TY_SUM,         /* s64 or u64, after the argument's sign */
	TY_MIN,         /* { s64 value; u64 set; } */
	TY_MAX,
	TY_AVG,         /* { s64 total; u64 count; } */
	TY_STATS,       /* same layout as avg */
	TY_HIST,        /* one u64 count per (key, bucket) entry */
	TY_LHIST,
	TY_TSERIES,     /* ts_num buckets of { u64 epoch; s64 value; u64 count } */
};

/* A tseries bucket: the interval it holds (boot ns / interval), the value,
 * and how many values went into it (for avg). */
#define TSERIES_BUCKET_SIZE 24


enum addrspace { AS_NONE, AS_KERNEL, AS_USER };

struct type;

struct field {
	const char *name;        /* NULL for tuple elements */
	const struct type *type;
	uint32_t offset;         /* bytes from the start of the containing value */
	uint16_t bit_offset;     /* bitfields only: bits past offset */
	uint16_t bit_size;       /* 0 unless a bitfield */
	bool data_loc;           /* tracepoint __data_loc: a u32 (len << 16 | offset) */
};

/* One enumerator of an enum, so its values print by name. */
struct enum_val {
	const char *name;
	int64_t value;
};

struct type {
	enum type_kind kind;
	uint32_t size;
	uint32_t align;
	bool is_signed;          /* TY_INT, TY_SUM, TY_MIN, TY_MAX, TY_AVG, TY_STATS */
	bool is_union;           /* TY_STRUCT */
	bool is_literal;         /* an integer or string literal still free to adapt */
	bool open_fields;        /* TY_STRUCT known only by name: any field is a u64 */
	enum addrspace as;       /* TY_PTR, and strings/arrays read from memory */
	const char *name;        /* struct/union/enum tag, or a typedef name */
	const struct type *elem; /* pointee (TY_PTR) or element (TY_ARRAY) */
	uint32_t count;          /* TY_ARRAY length; stack frame limit */
	uint32_t nfields;
	struct field *fields;    /* TY_TUPLE, TY_RECORD, TY_STRUCT */
	/* Aggregation parameters. */
	int64_t hist_bits;                      /* hist(n, k): k */
	int64_t lhist_min, lhist_max, lhist_step;
	int64_t ts_interval, ts_num;            /* tseries */
	int ts_mode;                            /* 0 last, 1 avg, 2 min, 3 max, 4 sum */
	/* Kernel BTF id, for structs resolved lazily from vmlinux BTF. */
	int32_t btf_id;
	int stack_mode;          /* kstack/ustack print mode */
	const char *fmt;         /* TY_TIMESTAMP: the strftime format */
	const struct enum_val *enum_vals;   /* TY_INT of a script enum: its enumerators */
	uint32_t n_enum_vals;
};

/* Constructors allocate in the arena; a type is never freed on its own. */
const struct type *type_none(void);
const struct type *type_bool(void);
const struct type *type_int(unsigned size, bool is_signed);
const struct type *type_u64(void);
const struct type *type_s64(void);
const struct type *type_simple(enum type_kind kind);   /* fixed-layout kinds */
struct type *type_new(struct arena *a, enum type_kind kind);
const struct type *type_string(struct arena *a, uint32_t size);
const struct type *type_buffer(struct arena *a, uint32_t size);
const struct type *type_ptr(struct arena *a, const struct type *to, enum addrspace as);
const struct type *type_array(struct arena *a, const struct type *elem, uint32_t count);
/* Lays out the fields with natural alignment.  names may be NULL (tuple). */
const struct type *type_tuple(struct arena *a, size_t n, const struct type *const *elems);
const struct type *type_record(struct arena *a, size_t n, const char *const *names,
			       const struct type *const *elems);
/* A copy of t with address space as (for structs and pointers read from
 * user or kernel memory). */
const struct type *type_with_as(struct arena *a, const struct type *t, enum addrspace as);
/* Fills in offsets, size and alignment of a tuple/record/struct being built. */
void type_layout(struct type *t);

bool type_equal(const struct type *a, const struct type *b);
/* The enumerator of an enum type with this value, or NULL. */
const char *type_enum_name(const struct type *t, int64_t value);
bool type_is_int(const struct type *t);        /* int or bool */
bool type_is_agg(const struct type *t);        /* count .. tseries */
bool type_is_aggregate_value(const struct type *t);  /* kept in memory, passed by address */
/* The per-CPU value layout of an aggregation, or of an ordinary map value. */
uint32_t type_map_value_size(const struct type *t);

/* Appends bpftrace's name for the type: uint64, string[16], (int64,string[16]),
 * struct task_struct *, count_t, hist_t ... */
void type_name(struct strbuf *sb, const struct type *t);
/* Same, into an arena string. */
const char *type_str(struct arena *a, const struct type *t);

/* Reads an integer of type t (TY_INT, TY_BOOL) from memory, sign-extended. */
int64_t type_load_int(const struct type *t, const void *p);

/* Buckets kept: ts_num rounded up to a power of two, so the BPF side picks
 * one with a mask the verifier can bound (it cannot bound a modulo). */
static inline uint32_t tseries_slots(const struct type *t)
{
	uint32_t n = 1;
	while (n < (uint64_t)t->ts_num)
		n <<= 1;
	return n;
}

#endif
