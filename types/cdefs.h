/* C definitions written in a script: struct, union and enum definitions and
 * typedefs, parsed without clang and laid out exactly as GCC/Clang do on
 * x86_64, into trawk's struct type.
 *
 *     struct foo { int a; char name[16]; struct bar *next; u64 flags : 3; };
 *     union u { int i; char c[4]; };
 *     enum color { RED, GREEN = 5, BLUE };
 *     typedef unsigned int myint;
 *
 * Ownership.  A struct cdefs and every type it hands out live in the arena
 * given to cdefs_new(); nothing else needs freeing.  Definitions accumulate
 * over several cdefs_parse() calls (one per block of C in the script); a
 * later block sees the earlier ones.
 *
 * Accepted input (at the top level, in any order and number):
 *   - struct/union/enum definitions and forward declarations (`struct foo;`),
 *     each ending with ';'.  The ';' may be left out after a closing '}' at
 *     the end of the text, or when the next definition starts on a later line
 *     (bpftrace accepts `struct foo { int x; }` alone);
 *   - typedefs, with any declarator;
 *   - stray ';' and comments.
 *   Variable and function declarations are refused, and so are declarations
 *   that declare nothing (`struct { int x; };`, `int;`; an anonymous enum is
 *   fine: it defines its enumerators).  Inside a body, the ';' of the last
 *   member may be left out before '}' (GCC and Clang only warn).
 *
 * Type names: void; char, short, int, long, long long with signed/unsigned
 * in any order; _Bool; float and double (an unsigned int of their size named
 * "float"/"double": the bits, not the value, as types/btf.h does);
 * long double and [un]signed __int128 (uint64[2], align 16); the builtin
 * typedefs bool, int8_t..uint64_t, u8..u64, s8..s64, __u8..__u64,
 * __s8..__s64, __le16..__be64, size_t, ssize_t, ptrdiff_t, intptr_t,
 * uintptr_t, off_t, loff_t, pid_t, uid_t, gid_t (a script typedef of the
 * same name replaces them); typedefs defined earlier; `struct X`, `union X`,
 * `enum X`.  const, volatile, restrict (and their __ spellings), _Atomic,
 * storage classes and the sparse annotations __user, __kernel, __iomem,
 * __rcu, __percpu, __force, __bitwise are ignored.  Anything else in type
 * position goes to the resolver (CDEFS_TYPEDEF), then is an error.
 *
 * Declarators: pointers of any depth, arrays of any dimension, parentheses,
 * function types (parameter lists are skipped), so `int (*fn)(int)`,
 * `char *argv[4]`, `int (*p)[3]` all work.  Attributes: __attribute__((...))
 * with packed and aligned / aligned(N) (others are ignored), _Alignas(N or
 * type),
 * and the kernel spellings __packed and __aligned(N); after the struct/union/
 * enum keyword or its closing brace (the type), or in a member's or typedef's
 * specifiers or after its declarator or bitfield width (the member/typedef).
 * Constant expressions (array sizes, bitfield widths, enumerator values,
 * aligned(N)) have C's integer arithmetic with int/unsigned/long/unsigned
 * long typing: literals (decimal, octal, hex, binary, with U/L suffixes;
 * character constants), enumerators defined earlier (then the constant
 * resolver), ( ) + - * / % << >> & | ^ ~ ! && || == != < > <= >= ?:, casts
 * to integer and pointer types, sizeof and _Alignof.  No floating point.
 *
 * The types produced:
 *   - integers: TY_INT of their size and sign (plain char is signed); a
 *     typedef of an integer or enum is a TY_INT copy named after the
 *     (outermost) typedef ("myint", "u32"); type_equal still compares ints
 *     by size and sign only.  _Bool and bool: TY_BOOL.
 *   - enum: TY_INT named "enum NAME" (no name if anonymous; a typedef of an
 *     enum is a copy named after the typedef, as for integers).  As GCC:
 *     unsigned int when no enumerator is negative, int otherwise, 8 bytes
 *     (unsigned long/long) when a value does not fit in 32 bits; with
 *     __attribute__((packed)), the smallest of 1, 2, 4, 8 bytes that fits.
 *   - struct/union: TY_STRUCT, name = the tag without "struct "/"union "
 *     (an anonymous struct reached through a typedef takes the typedef's
 *     name; otherwise NULL), is_union, btf_id = -1, size and align as C.
 *     There is one type object per tag: a pointer to a struct used before
 *     its definition points to the object that the definition later fills
 *     in.  A tag the script never defines stays incomplete: name, is_union,
 *     btf_id = -1, size 0, nfields 0 -- to be completed from BTF by name.
 *     Members of anonymous struct/union members are flattened into the
 *     parent at their absolute offsets (the anonymous member itself does not
 *     appear), so their names are found directly, as types/btf.h does.
 *   - pointer: TY_PTR, as = AS_NONE (the user of the type decides).
 *     `void *` points to a uint8 named "void", a function pointer to uint8.
 *   - array: TY_ARRAY of the element and count, size elem->size * count;
 *     an array of a 1-byte integer (char, signed/unsigned char, u8,
 *     int8_t..., not a packed enum) is TY_STRING of its length, as bpftrace
 *     prints char arrays as strings.  Multi-dimensional arrays nest
 *     (char a[4][16] is an array of 4 string[16]; int m[2][3] an array of 2
 *     int32[3]).  Unlike type_array()/type_string(), these carry the
 *     C alignment of the element (1 for char arrays), as a struct member's
 *     type must.  A flexible array member (`[]` or GNU `[0]`, only as the
 *     outermost dimension of the last member of a struct) has count 0 and
 *     size 0; other zero or missing sizes are errors, except behind a
 *     pointer (`int (*p)[]`).
 *
 * Layout (x86_64 SysV, as GCC and Clang): members at their natural
 * alignment, struct size rounded up to the struct's alignment, union members
 * all at offset 0.  packed on a struct sets every member's alignment to 1 and
 * packs bitfields bit by bit; packed on a member does that for the member.
 * aligned(N) on a member raises its alignment to N (sets it to N when also
 * packed); on a struct it raises the struct's alignment to N; on a typedef it
 * sets the alignment of the new type to N.
 *
 * Bitfields, placed as GCC does: a bitfield goes at the next free bit unless
 * it would cross a naturally aligned unit of its declared type, in which
 * case it starts the next unit (no such rule when packed); a named bitfield
 * raises the struct's alignment to its type's (or its aligned(N)); unnamed
 * ones do not, though aligned(N) still moves them; `T : 0` skips to the next
 * T-aligned unit, even when packed, and does not change the alignment.
 * Unnamed bitfields produce no field.  In struct field:
 *     type       the declared type (TY_INT, TY_BOOL, or an enum's TY_INT),
 *     bit_size   the width (> 0),
 *     offset     the byte offset of the naturally aligned storage unit of
 *                type->size bytes that holds all the bits,
 *     bit_offset the position of the field's least significant bit in that
 *                unit, counted from the unit's least significant bit (little
 *                endian),
 * so: load type->size bytes at offset, shift right by bit_offset, mask
 * bit_size bits (sign-extend when the type is signed).  Only when no such
 * unit holds the bits (a bitfield straddling units in a packed struct) is
 * offset the byte holding the first bit, bit_offset < 8, and
 * bit_offset + bit_size may exceed 8 * type->size: load 8 bytes then (or 9
 * for a packed 64-bit field wider than 56 bits).  In packed structs the unit
 * may reach past the end of the struct.  For a flattened anonymous member
 * "naturally aligned" is relative to the anonymous struct; the reading rule
 * holds regardless.  This is the convention of types/btf.h, so a struct
 * reads the same whether it came from BTF or from the script.
 *
 * Errors go through diag_error (with a caret at the exact line and column in
 * the script, and a note where one helps), the first one ends the parse:
 * unknown type names and undeclared identifiers (with a did-you-mean),
 * duplicate members (also through flattened anonymous members),
 * redefinitions (struct/union/enum tags, enumerators, typedefs with a
 * different type; a typedef repeated with the same type is fine), a tag used
 * as another kind, missing ';' or '}', bitfields wider than their type,
 * negative or named zero-width ones, zero or negative array sizes,
 * incomplete types by value, invalid type-word combinations, division by
 * zero and out-of-range shifts in constant expressions, bad alignments,
 * nesting deeper than 200 levels, and unsupported constructs.
 */
#ifndef TRAWK_TYPES_CDEFS_H
#define TRAWK_TYPES_CDEFS_H

#include "../common/diag.h"
#include "type.h"

struct cdefs;

/* What a resolver is asked for. */
enum cdefs_kind {
	CDEFS_STRUCT,    /* `struct NAME` embedded by value: a complete TY_STRUCT */
	CDEFS_UNION,     /* `union NAME` embedded by value: a complete TY_STRUCT */
	CDEFS_ENUM,      /* `enum NAME` used by value: a TY_INT */
	CDEFS_TYPEDEF,   /* an identifier in type position: any type */
};

struct cdefs *cdefs_new(struct arena *a);

/* Parses `text` (one or more definitions) into c.  `at` is where text
 * starts in the script (src, line, col; NULL for "line 1, column 1" of no
 * source); line and column positions inside text are counted from it, so
 * text must be the script's own characters for carets to land right.
 * 0 on success; -1 after reporting the first error to d.  Definitions
 * completed before the error stay in c. */
int cdefs_parse(struct cdefs *c, const char *text, const struct loc *at, struct diag *d);

/* The struct or union the script defined with tag `name` (a leading
 * "struct " or "union " is ignored).  Struct and union tags share one
 * namespace, so a union is returned even when a struct was asked for and the
 * other way round: check ->is_union.  NULL when the script does not define
 * the tag (a forward declaration or a pointer to it does not count). */
const struct type *cdefs_struct(const struct cdefs *c, const char *name, bool is_union);

/* The enum type (TY_INT named "enum NAME") the script defined with tag
 * `name` (a leading "enum " is ignored), or NULL. */
const struct type *cdefs_enum(const struct cdefs *c, const char *name);

/* The type a script typedef names, or NULL (also for a builtin such as
 * "u32" the script did not redefine, and for typedefs of function types).
 * May be an incomplete struct: see above. */
const struct type *cdefs_typedef(const struct cdefs *c, const char *name);

/* The value of the script's enumerator `name`.  Values are kept as int64;
 * an unsigned long enumerator above INT64_MAX is its bit pattern. */
bool cdefs_enum_value(const struct cdefs *c, const char *name, int64_t *value);

/* The type of the enum that defines enumerator `name`, or NULL. */
const struct type *cdefs_enumerator_type(const struct cdefs *c, const char *name);

/* The name of the first enumerator with `value` in the enum `enum_name`, or
 * NULL.  enum_name is an enum type's (or typedef'd enum's) type->name as is:
 * "enum color", "color" or a typedef name such as "color_t". */
const char *cdefs_enum_name(const struct cdefs *c, const char *enum_name, int64_t value);

/* Called for names the script does not define: a struct/union/enum used by
 * value, or an unknown identifier in type position.  NULL (or a resolver
 * returning NULL) makes those an error.  The returned type is used as is.
 * Called at each such use, without caching. */
typedef const struct type *(*cdefs_resolver)(void *arg, const char *name, enum cdefs_kind kind);
void cdefs_set_resolver(struct cdefs *c, cdefs_resolver resolve, void *arg);

/* Called for an identifier in a constant expression that is not one of the
 * script's enumerators (e.g. a kernel enum constant such as TASK_COMM_LEN,
 * through btf_enum_value).  False when unknown. */
typedef bool (*cdefs_const_resolver)(void *arg, const char *name, int64_t *value);
void cdefs_set_const_resolver(struct cdefs *c, cdefs_const_resolver resolve, void *arg);

#endif
