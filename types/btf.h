/* Kernel BTF (vmlinux only) through libbpf's btf API, turned into trawk's
 * struct type.
 *
 * Loading.  Nothing is read until the first call that needs a type; then
 * the BTF is loaded once and kept for the process: from the path given to
 * btf_set_path() (the caller's BPFTRACE_BTF), else /sys/kernel/btf/vmlinux (mapped
 * read-only, kernel 6.16+, and handed to btf__new), else libbpf's own
 * search (btf__load_vmlinux_btf).  A failed load is remembered and every
 * later call fails with the same message.  Not thread-safe.
 *
 * Ownership.  Every type returned here lives in the module's own cache
 * (an arena plus per-BTF-id tables), NOT in the caller's arena: the same
 * BTF type converts once per process and is shared by every compile.  The
 * arena parameters are kept so callers need not change should per-compile
 * allocation ever be wanted; today they are unused.  Field names point into
 * libbpf's string table.  All of it stays valid until btf_free(), which only
 * tests and the process's exit path should call.
 *
 * Conversion rules (BTF -> struct type):
 *   - int: TY_INT of its size and sign; plain `char` is int8; _Bool is
 *     TY_BOOL; __int128 (16 bytes) is uint64[2].  float/double: an unsigned
 *     int of their size named "float"/"double" (the bits, not the value).
 *   - typedef, const, volatile, restrict, type tags: skipped to the
 *     underlying type.  A typedef whose underlying type is an integer or an
 *     enum gives a TY_INT that keeps the outermost typedef's name ("u32",
 *     "pid_t"); type_equal still compares ints by size and sign only.
 *   - enum: TY_INT of the enum's size (signed when BTF says so) named
 *     "enum NAME" (no name if anonymous), with btf_id = the enum's BTF id
 *     so btf_enum_name() can print it symbolically.
 *   - pointer: TY_PTR, as = AS_KERNEL (AS_USER when the pointee carries the
 *     `user` type tag).  Pointee struct/union (also through typedefs, and
 *     forward declarations): an incomplete TY_STRUCT -- name, btf_id, size,
 *     align and is_union set, nfields 0 -- that btf_complete() resolves.  There
 *     is one stub per BTF type, and one complete type; as they share name
 *     and size, type_equal() holds between the two.
 *     `void *` points to a uint8 named "void"; function pointers to uint8.
 *   - array: TY_ARRAY of the converted element and count; an array of a
 *     1-byte integer (char, u8, ...) is TY_STRING of its length, as bpftrace
 *     prints char arrays as strings.  Zero-length (flexible) arrays keep
 *     count 0.
 *   - struct/union member by value: resolved fully and inline (TY_STRUCT
 *     with fields).  An anonymous struct named by a typedef (typedef struct
 *     { uid_t val; } kuid_t) takes the typedef's name, inline and as a
 *     pointee alike.  Members of anonymous struct/union members are
 *     flattened into the parent at their absolute offsets (so sk_buff's
 *     `dev` and `tstamp` are found by name, as C allows); the anonymous
 *     member itself does not appear.  Strings and arrays inside a struct
 *     have as = AS_NONE: they are read through the pointer that reaches
 *     the struct, with its address space.
 *   - struct size is BTF's; align is the largest member alignment, or 1 when
 *     a member sits misaligned (packed).  BTF records no __aligned(N), so
 *     that is not seen (task_struct: 8, not 64).  Field offsets are BTF's,
 *     in bytes.
 *   - bitfields: bit_size > 0; offset is the start of the naturally aligned
 *     storage unit of the field's declared type that holds the bits, and
 *     bit_offset counts from its least significant bit (little endian), so
 *     loading type->size bytes at offset, shifting right by bit_offset and
 *     masking bit_size bits reads the field.  Only in packed structs, where
 *     a bitfield straddles units, is offset the byte of the first bit and
 *     bit_offset + bit_size may exceed 8 * type->size (load 8 bytes then).
 *
 * Errors go to err (appended, one line, no trailing newline); err may be NULL.
 */
#ifndef TRAWK_TYPES_BTF_H
#define TRAWK_TYPES_BTF_H

#include "type.h"

/* Use this raw BTF (or ELF with .BTF) file instead of the kernel's.  Call it
 * before the first load, or after btf_free() (which forgets it); NULL
 * restores the default. */
void btf_set_path(const char *path);

/* Is kernel BTF (probably) there?  Cheap: does not load it.  True when it is
 * loaded, or not yet tried and the file exists; false after a failed load. */
bool btf_available(void);

/* Loads now if not yet done.  False with the reason in err on failure. */
bool btf_load(struct strbuf *err);

/* The struct (or union) `name` ("task_struct"; a leading "struct "/"union "
 * is ignored), fully resolved.  The kind asked for is searched first, then
 * the other one.  NULL and "struct foo not found in kernel BTF" in err. */
const struct type *btf_struct(struct arena *a, const char *name, bool is_union,
			      struct strbuf *err);

/* Given an incomplete TY_STRUCT (nfields == 0) returns the resolved one,
 * by t->btf_id when > 0 (0 is BTF's void, and what type_new leaves), else by
 * t->name.  A struct that is already complete, or not a struct, is returned
 * as is.  Resolved structs are cached by BTF id: repeated calls are cheap. */
const struct type *btf_complete(struct arena *a, const struct type *t, struct strbuf *err);

/* The value of the kernel enum constant `name` (TCP_ESTABLISHED).  The first
 * call indexes every enumerator (one pass over the BTF). */
bool btf_enum_value(const char *name, int64_t *value);
/* Whether the kernel has kfunc name: a function its BTF tags "bpf_kfunc"
 * (or, from a pahole too old for the tags, any function of that name). */
bool btf_has_kfunc(const char *name);

/* The name of the enumerator with `value` in the enum with BTF id
 * `enum_id` (a TY_INT's btf_id), or NULL. */
const char *btf_enum_name(int32_t enum_id, int64_t value);
/* The BTF id of the kernel enum named name ("enum X" or "X"), or 0. */
int32_t btf_enum_id(const char *name);

/* An integer (or enum, or bool) typedef such as "u64" or "pid_t" as TY_INT
 * named after it (TY_BOOL for "bool"); NULL when there is no such typedef
 * or it is not an integer. */
const struct type *btf_typedef(struct arena *a, const char *name);

/* Kernel function arguments, for fentry/fexit: a TY_RECORD with one field
 * per parameter in order (BTF's names; "argN" for an unnamed one), laid out
 * as the trampoline's context, an array of u64: parameter i starts at the
 * next 8-byte slot (offset 8 * slot) and takes ceil(size / 8) slots (one,
 * except structs passed by value); a value narrower than 8 bytes sits in the
 * low bytes of its slot.  Record size 8 * slots, align 8.  A variadic tail is
 * dropped.  NULL and "function foo not found in kernel BTF" on failure. */
const struct type *btf_func_args(struct arena *a, const char *func, struct strbuf *err);

/* The return type of the kernel function (TY_NONE for void).  fexit's
 * retval slot follows the arguments: offset = btf_func_args()->size. */
const struct type *btf_func_return(struct arena *a, const char *func, struct strbuf *err);

/* Does kernel BTF describe a function of this name (what fentry needs)?
 * False too when BTF cannot be loaded. */
bool btf_has_func(const char *name);

/* Raw tracepoint arguments: the parameters of btf_trace_<event> (a typedef
 * of a pointer to a function whose first parameter is `void *__data`) after
 * the first, as a record laid out like btf_func_args (arg i at 8 * i, the
 * raw tracepoint's u64 context array).  The names come from the event's
 * __probestub_<event> or __bpf_trace_<event> function ("argN" when neither
 * exists).  NULL and "raw tracepoint foo not found in kernel BTF" on failure. */
const struct type *btf_raw_tracepoint_args(struct arena *a, const char *event,
					   struct strbuf *err);

/* Releases the BTF and every type handed out, and forgets btf_set_path();
 * the next call loads again. */
void btf_free(void);

#endif
