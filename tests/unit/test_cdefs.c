/* C definitions in scripts (types/cdefs.c).  Every size, alignment and
 * offset below was computed by GCC 12 (and checked with Clang 14) for the
 * same definition on x86_64; bitfield positions were found by setting the
 * field to all ones in a zeroed object and scanning for the bits.  During
 * development 1,000 randomly generated structs (bitfields, packed, aligned,
 * nested anonymous members, arrays) were compared the same way, all equal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "types/cdefs.h"

static struct arena arena;

static const struct source *make_source(const char *text)
{
	struct source *src = arena_alloc(&arena, sizeof(*src));
	src->name = "test.bt";
	src->text = arena_strdup(&arena, text);
	src->len = strlen(text);
	return src;
}

/* Parses text (a whole script of its own) into c; must succeed. */
static void parse_into(struct cdefs *c, const char *text)
{
	struct loc at = { make_source(text), 1, 1, 1, 1 };
	struct diag d = {0};
	int rc = cdefs_parse(c, text, &at, &d);
	if (rc)
		print_message("%s", sb_str(&d.out));
	assert_int_equal(rc, 0);
	assert_int_equal(d.errors, 0);
	assert_string_equal(sb_str(&d.out), "");
	diag_free(&d);
}

static struct cdefs *parse_ok(const char *text)
{
	struct cdefs *c = cdefs_new(&arena);
	parse_into(c, text);
	return c;
}

/* Parses ctext, found inside script at its position there; must fail with
 * one error.  Returns the rendered diagnostics. */
static const char *parse_err_in(struct cdefs *c, const char *script, const char *ctext)
{
	const char *pos = strstr(script, ctext);
	assert_non_null(pos);
	int line = 1, col = 1;
	for (const char *q = script; q < pos; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	struct loc at = { make_source(script), line, col, line, col };
	struct diag d = {0};
	if (cdefs_parse(c, ctext, &at, &d) != -1)
		fail_msg("parsed: %s", ctext);
	assert_int_equal(d.errors, 1);
	const char *out = arena_strdup(&arena, sb_str(&d.out));
	diag_free(&d);
	return out;
}

static void want_error(const char *text, const char *want)
{
	const char *got = parse_err_in(cdefs_new(&arena), text, text);
	assert_string_equal(got, want);
}

static const struct field *field(const struct type *t, const char *name)
{
	assert_non_null(t);
	for (uint32_t i = 0; i < t->nfields; i++)
		if (t->fields[i].name && !strcmp(t->fields[i].name, name))
			return &t->fields[i];
	fail_msg("no field '%s'", name);
	return NULL;
}

static void want_field(const struct type *t, const char *name, uint32_t offset)
{
	const struct field *f = field(t, name);
	assert_int_equal(f->offset, offset);
	assert_int_equal(f->bit_size, 0);
	assert_int_equal(f->bit_offset, 0);
}

/* A bitfield: offset/bit_offset in the convention of cdefs.h, and the
 * absolute position GCC gives (start bit, as found by the bit scan). */
static void want_bits(const struct type *t, const char *name, uint32_t offset, uint16_t bit_offset,
		      uint16_t bit_size, uint32_t gcc_start)
{
	const struct field *f = field(t, name);
	assert_int_equal(f->offset, offset);
	assert_int_equal(f->bit_offset, bit_offset);
	assert_int_equal(f->bit_size, bit_size);
	assert_int_equal(f->offset * 8 + f->bit_offset, gcc_start);
}

static const struct type *want_struct(const struct cdefs *c, const char *name, uint32_t size,
				      uint32_t align, uint32_t nfields)
{
	const struct type *t = cdefs_struct(c, name, false);
	assert_non_null(t);
	assert_int_equal(t->kind, TY_STRUCT);
	assert_int_equal(t->size, size);
	assert_int_equal(t->align, align);
	assert_int_equal(t->nfields, nfields);
	assert_int_equal(t->btf_id, -1);
	return t;
}

static void want_type_name(const struct type *t, const char *want)
{
	assert_string_equal(type_str(&arena, t), want);
}

/* ---- layout ----------------------------------------------------------------- */

static void test_basic_struct(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct foo { int a; char name[16]; struct bar *next; unsigned long flags : 3;\n"
		"             union { u32 x; u64 y; }; };\n"
		"struct pfoo { int a; char name[16]; struct bar *next; unsigned long flags : 3;\n"
		"              union { u32 x; u64 y; }; } __attribute__((packed));\n");
	const struct type *t = want_struct(c, "foo", 48, 8, 6);
	assert_false(t->is_union);
	assert_string_equal(t->name, "foo");
	want_field(t, "a", 0);
	want_field(t, "name", 4);
	want_field(t, "next", 24);
	want_bits(t, "flags", 32, 0, 3, 256);
	want_field(t, "x", 40);
	want_field(t, "y", 40);
	/* char[16] is a string; the anonymous union is flattened away. */
	const struct type *name = field(t, "name")->type;
	assert_int_equal(name->kind, TY_STRING);
	assert_int_equal(name->size, 16);
	assert_int_equal(name->align, 1);
	const struct type *next = field(t, "next")->type;
	assert_int_equal(next->kind, TY_PTR);
	assert_int_equal(next->as, AS_NONE);
	assert_int_equal(next->elem->kind, TY_STRUCT);
	assert_string_equal(next->elem->name, "bar");
	assert_int_equal(next->elem->btf_id, -1);
	assert_int_equal(next->elem->nfields, 0);
	assert_int_equal(next->elem->size, 0);
	want_type_name(field(t, "flags")->type, "uint64");
	want_type_name(field(t, "x")->type, "u32");
	want_type_name(field(t, "y")->type, "u64");

	t = want_struct(c, "pfoo", 37, 1, 6);
	want_field(t, "next", 20);
	/* bits 224..226: in the u64 unit at 24 */
	want_bits(t, "flags", 24, 32, 3, 224);
	want_field(t, "x", 29);
	want_field(t, "y", 29);
	/* Both share `struct bar`. */
	assert_ptr_equal(field(t, "next")->type->elem, next->elem);
	assert_null(cdefs_struct(c, "bar", false));
	assert_ptr_equal(cdefs_struct(c, "struct foo", false), cdefs_struct(c, "foo", true));
}

static void test_bitfields(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct mix { unsigned char a : 3; unsigned short b : 9; unsigned int c : 20;\n"
		"             unsigned long d : 40; char e; };\n"
		"struct bb { int a : 31; int b : 2; short c : 15; short d : 2; };\n"
		"struct cb { char a:7; char b:7; char c:3; };\n"
		"struct ub2 { char a; int : 9; char b; int : 3; int c : 29; };\n"
		"struct z1 { char a; int : 0; char b; };\n"
		"struct z2 { char a; long : 0; char b; };\n"
		"struct u2 { char a; long : 40; char b; };\n"
		"struct bo { _Bool a:1; _Bool b:1; char c; bool d; };\n"
		"struct ll { char a; long long b:40; long long c:30; unsigned long long d: 64; };\n"
		"struct big { unsigned long f:3; };\n"
		"struct list { unsigned x : 3, : 2, y : 5; };\n"
		"union ub { char a; int b:3; long c:33; };\n");
	const struct type *t = want_struct(c, "mix", 16, 8, 5);
	want_bits(t, "a", 0, 0, 3, 0);
	want_bits(t, "b", 0, 3, 9, 3);
	want_bits(t, "c", 0, 12, 20, 12);
	want_bits(t, "d", 8, 0, 40, 64);
	want_field(t, "e", 13);
	want_type_name(field(t, "b")->type, "uint16");

	t = want_struct(c, "bb", 12, 4, 4);
	want_bits(t, "a", 0, 0, 31, 0);
	want_bits(t, "b", 4, 0, 2, 32);      /* would cross the int: next unit */
	want_bits(t, "c", 6, 0, 15, 48);
	want_bits(t, "d", 8, 0, 2, 64);
	assert_true(field(t, "a")->type->is_signed);

	t = want_struct(c, "cb", 3, 1, 3);
	want_bits(t, "a", 0, 0, 7, 0);
	want_bits(t, "b", 1, 0, 7, 8);
	want_bits(t, "c", 2, 0, 3, 16);

	/* Unnamed bitfields take room but do not align the struct. */
	t = want_struct(c, "ub2", 8, 4, 3);
	want_field(t, "a", 0);
	want_field(t, "b", 3);
	want_bits(t, "c", 4, 3, 29, 35);
	t = want_struct(c, "u2", 7, 1, 2);
	want_field(t, "b", 6);

	/* `T : 0` goes to the next T unit, without aligning the struct. */
	t = want_struct(c, "z1", 5, 1, 2);
	want_field(t, "b", 4);
	t = want_struct(c, "z2", 9, 1, 2);
	want_field(t, "b", 8);

	t = want_struct(c, "bo", 3, 1, 4);
	want_bits(t, "a", 0, 0, 1, 0);
	want_bits(t, "b", 0, 1, 1, 1);
	want_field(t, "c", 1);
	want_field(t, "d", 2);
	assert_int_equal(field(t, "a")->type->kind, TY_BOOL);
	assert_int_equal(field(t, "d")->type->kind, TY_BOOL);

	t = want_struct(c, "ll", 24, 8, 4);
	want_bits(t, "b", 0, 8, 40, 8);
	want_bits(t, "c", 8, 0, 30, 64);
	want_bits(t, "d", 16, 0, 64, 128);

	t = want_struct(c, "big", 8, 8, 1);
	want_bits(t, "f", 0, 0, 3, 0);

	t = want_struct(c, "list", 4, 4, 2);
	want_bits(t, "x", 0, 0, 3, 0);
	want_bits(t, "y", 0, 5, 5, 5);

	t = want_struct(c, "ub", 8, 8, 3);
	assert_true(t->is_union);
	want_field(t, "a", 0);
	want_bits(t, "b", 0, 0, 3, 0);
	want_bits(t, "c", 0, 0, 33, 0);
}

static void test_packed(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct __attribute__((packed)) pk2 { char a; int b:8; };\n"
		"struct __attribute__((packed)) pk3 { char a:3; int b:30; long c:60; };\n"
		"struct mpb { char a:4; int b:30 __attribute__((packed)); char c; };\n"
		"struct __attribute__((packed)) p1 { char a; int : 0; char b; };\n"
		"struct __attribute__((packed)) p2 { char a; int b __attribute__((aligned(4))); };\n"
		"struct __attribute__((packed)) pa { char a; struct { char b; int c; }; };\n"
		"struct mp { char a; int b __attribute__((packed)); };\n"
		"struct __attribute__((packed,aligned(4))) spa { char a; int b; char c; };\n"
		"struct nested_packed { char c; struct __attribute__((packed)) { char x; int y; } s; int z; };\n"
		"struct kp { char c; long l; } __packed;\n");
	const struct type *t = want_struct(c, "pk2", 2, 1, 2);
	want_bits(t, "b", 0, 8, 8, 8);        /* the int unit reaches past the end */
	t = want_struct(c, "pk3", 12, 1, 3);
	want_bits(t, "a", 0, 0, 3, 0);
	want_bits(t, "b", 0, 3, 30, 3);
	/* bits 33..92 straddle the long units: the byte of the first bit */
	want_bits(t, "c", 4, 1, 60, 33);
	t = want_struct(c, "mpb", 6, 1, 3);
	want_bits(t, "b", 0, 4, 30, 4);
	want_field(t, "c", 5);
	t = want_struct(c, "p1", 5, 1, 2);
	want_field(t, "b", 4);
	t = want_struct(c, "p2", 8, 4, 2);
	want_field(t, "b", 4);
	/* The anonymous struct is not packed itself, only placed at 1. */
	t = want_struct(c, "pa", 9, 1, 3);
	want_field(t, "b", 1);
	want_field(t, "c", 5);
	t = want_struct(c, "mp", 5, 1, 2);
	want_field(t, "b", 1);
	t = want_struct(c, "spa", 8, 4, 3);
	want_field(t, "b", 1);
	want_field(t, "c", 5);
	t = want_struct(c, "nested_packed", 12, 4, 3);
	want_field(t, "s", 1);
	want_field(t, "z", 8);
	const struct type *s = field(t, "s")->type;
	assert_int_equal(s->kind, TY_STRUCT);
	assert_null(s->name);
	assert_int_equal(s->size, 5);
	assert_int_equal(s->align, 1);
	want_field(s, "y", 1);
	t = want_struct(c, "kp", 9, 1, 2);
	want_field(t, "l", 1);
}

static void test_aligned(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct al { char a; int b:3 __attribute__((aligned(8))); char c; };\n"
		"struct ar { char c; _Alignas(16) int x; int y __attribute__((aligned)); };\n"
		"struct ab { char a; int arr[3] __attribute__((aligned(16))); char b; }\n"
		"    __attribute__((aligned(32)));\n"
		"union __attribute__((aligned(16))) ua { char x; };\n"
		"struct sa { char x; } __attribute__((__aligned__(sizeof(long))));\n"
		"typedef unsigned long long __attribute__((aligned(4))) al4;\n"
		"struct ta { char c; al4 x; };\n"
		"struct ka { char c; int x __aligned(8); };\n"
		"struct ub1 { char a; int : 4 __attribute__((aligned(8))); char b; };\n"
		"struct ub2 { char a; int : 0 __attribute__((aligned(8))); char b; };\n");
	const struct type *t = want_struct(c, "al", 16, 8, 3);
	want_bits(t, "b", 8, 0, 3, 64);
	want_field(t, "c", 9);
	t = want_struct(c, "ar", 48, 16, 3);
	want_field(t, "x", 16);
	want_field(t, "y", 32);
	t = want_struct(c, "ab", 32, 32, 3);
	want_field(t, "arr", 16);
	want_field(t, "b", 28);
	assert_int_equal(field(t, "arr")->type->kind, TY_ARRAY);
	assert_int_equal(field(t, "arr")->type->align, 4);
	t = want_struct(c, "ua", 16, 16, 1);
	assert_true(t->is_union);
	want_struct(c, "sa", 8, 8, 1);
	t = want_struct(c, "ta", 12, 4, 2);
	want_field(t, "x", 4);
	const struct type *al4 = cdefs_typedef(c, "al4");
	assert_int_equal(al4->size, 8);
	assert_int_equal(al4->align, 4);
	t = want_struct(c, "ka", 16, 8, 2);
	want_field(t, "x", 8);
	/* Unnamed bitfields move to their alignment but do not align the struct. */
	t = want_struct(c, "ub1", 10, 1, 2);
	want_field(t, "b", 9);
	t = want_struct(c, "ub2", 9, 1, 2);
	want_field(t, "b", 8);
}

static void test_anonymous_members(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct an { int a; union { struct { char b; short c; }; long d; }; char e;\n"
		"            struct { int f:4; int g:4; }; };\n"
		"union un2 { struct { int a, b; }; char c[13]; };\n"
		"struct named { struct { int x; } s; union { int i; char ch[4]; } u; };\n");
	const struct type *t = want_struct(c, "an", 24, 8, 7);
	want_field(t, "a", 0);
	want_field(t, "b", 8);
	want_field(t, "c", 10);
	want_field(t, "d", 8);
	want_field(t, "e", 16);
	want_bits(t, "f", 20, 0, 4, 160);
	want_bits(t, "g", 20, 4, 4, 164);
	t = want_struct(c, "un2", 16, 4, 3);
	want_field(t, "a", 0);
	want_field(t, "b", 4);
	want_field(t, "c", 0);
	/* Named members of anonymous types stay nested. */
	t = want_struct(c, "named", 8, 4, 2);
	want_field(t, "u", 4);
	const struct type *u = field(t, "u")->type;
	assert_true(u->is_union);
	assert_int_equal(u->size, 4);
	assert_int_equal(u->nfields, 2);
	want_type_name(u, "union (anon)");
}

static void test_nested_arrays_pointers(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct n { struct in { short s; char c; } i; char after; struct in arr[3];\n"
		"           int (*fn)(int, char *); void *v; char **argv; int m[2][3];\n"
		"           char names[4][16]; const volatile int * const restrict p; };\n"
		"struct pp { int (*p)[3]; char *(*fps[2])(void); int (**x)(void); unsigned char mac[6];\n"
		"            u8 bytes[3]; _Bool flags[2]; };\n"
		"struct fl { int n; char data[]; };\n"
		"struct fl2 { short n; long data[0]; };\n");
	/* `struct in`, defined inside `struct n`, is a tag of its own. */
	const struct type *in = want_struct(c, "in", 4, 2, 2);
	want_field(in, "c", 2);
	const struct type *t = want_struct(c, "n", 144, 8, 9);
	want_field(t, "i", 0);
	want_field(t, "after", 4);
	want_field(t, "arr", 6);
	want_field(t, "fn", 24);
	want_field(t, "v", 32);
	want_field(t, "argv", 40);
	want_field(t, "m", 48);
	want_field(t, "names", 72);
	want_field(t, "p", 136);
	assert_ptr_equal(field(t, "i")->type, in);
	const struct type *arr = field(t, "arr")->type;
	assert_int_equal(arr->kind, TY_ARRAY);
	assert_int_equal(arr->count, 3);
	assert_int_equal(arr->size, 12);
	assert_int_equal(arr->align, 2);
	assert_ptr_equal(arr->elem, in);
	/* A function pointer points to uint8, void * to a uint8 named void. */
	const struct type *fn = field(t, "fn")->type;
	assert_int_equal(fn->kind, TY_PTR);
	want_type_name(fn, "uint8 *");
	const struct type *v = field(t, "v")->type;
	assert_int_equal(v->elem->kind, TY_INT);
	assert_int_equal(v->elem->size, 1);
	want_type_name(v, "void *");
	const struct type *argv = field(t, "argv")->type;
	assert_int_equal(argv->elem->kind, TY_PTR);
	assert_int_equal(argv->elem->elem->kind, TY_INT);
	assert_true(argv->elem->elem->is_signed);
	/* int m[2][3]: an array of 2 arrays of 3 */
	const struct type *m = field(t, "m")->type;
	assert_int_equal(m->count, 2);
	assert_int_equal(m->size, 24);
	assert_int_equal(m->elem->kind, TY_ARRAY);
	assert_int_equal(m->elem->count, 3);
	const struct type *names = field(t, "names")->type;
	assert_int_equal(names->kind, TY_ARRAY);
	assert_int_equal(names->count, 4);
	assert_int_equal(names->elem->kind, TY_STRING);
	assert_int_equal(names->elem->size, 16);
	assert_int_equal(field(t, "p")->type->kind, TY_PTR);

	t = want_struct(c, "pp", 48, 8, 6);
	const struct type *p = field(t, "p")->type;
	assert_int_equal(p->kind, TY_PTR);
	assert_int_equal(p->elem->kind, TY_ARRAY);
	assert_int_equal(p->elem->count, 3);
	const struct type *fps = field(t, "fps")->type;
	assert_int_equal(fps->kind, TY_ARRAY);
	assert_int_equal(fps->count, 2);
	assert_int_equal(fps->elem->kind, TY_PTR);
	want_field(t, "x", 24);
	const struct type *x = field(t, "x")->type;
	assert_int_equal(x->kind, TY_PTR);
	assert_int_equal(x->elem->kind, TY_PTR);
	/* Arrays of any 1-byte integer are strings; bool arrays are not. */
	want_field(t, "mac", 32);
	assert_int_equal(field(t, "mac")->type->kind, TY_STRING);
	assert_int_equal(field(t, "bytes")->type->kind, TY_STRING);
	want_field(t, "bytes", 38);
	want_field(t, "flags", 41);
	assert_int_equal(field(t, "flags")->type->kind, TY_ARRAY);

	t = want_struct(c, "fl", 4, 4, 2);
	want_field(t, "data", 4);
	assert_int_equal(field(t, "data")->type->kind, TY_STRING);
	assert_int_equal(field(t, "data")->type->size, 0);
	t = want_struct(c, "fl2", 8, 8, 2);
	want_field(t, "data", 8);
	assert_int_equal(field(t, "data")->type->count, 0);
}

static void test_scalar_types(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"struct s {\n"
		"  char c; signed char sc; unsigned char uc;\n"
		"  short s; short int si; unsigned short us; signed short int ssi;\n"
		"  int i; signed sg; unsigned u; unsigned int ui;\n"
		"  long l; long int li; unsigned long ul; long unsigned int lui;\n"
		"  long long ll; unsigned long long ull; int long long ill; long signed long lsl;\n"
		"  _Bool b; bool b2;\n"
		"  int8_t i8; uint16_t u16; int32_t i32; uint64_t u64;\n"
		"  __u8 k8; __s16 k16; s32 k32; size_t sz; ssize_t ssz; pid_t pid; uid_t uid; gid_t gid;\n"
		"};\n"
		"struct f { char c; float f; double d; long double ld; __int128 i; unsigned __int128 ui; };\n");
	static const struct { const char *name; uint32_t size; bool is_signed; } want[] = {
		{ "c", 1, true }, { "sc", 1, true }, { "uc", 1, false },
		{ "s", 2, true }, { "si", 2, true }, { "us", 2, false }, { "ssi", 2, true },
		{ "i", 4, true }, { "sg", 4, true }, { "u", 4, false }, { "ui", 4, false },
		{ "l", 8, true }, { "li", 8, true }, { "ul", 8, false }, { "lui", 8, false },
		{ "ll", 8, true }, { "ull", 8, false }, { "ill", 8, true }, { "lsl", 8, true },
		{ "i8", 1, true }, { "u16", 2, false }, { "i32", 4, true }, { "u64", 8, false },
		{ "k8", 1, false }, { "k16", 2, true }, { "k32", 4, true }, { "sz", 8, false },
		{ "ssz", 8, true }, { "pid", 4, true }, { "uid", 4, false }, { "gid", 4, false },
	};
	const struct type *t = cdefs_struct(c, "s", false);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct type *ft = field(t, want[i].name)->type;
		assert_int_equal(ft->kind, TY_INT);
		assert_int_equal(ft->size, want[i].size);
		assert_int_equal(ft->align, want[i].size);
		assert_int_equal(ft->is_signed, want[i].is_signed);
	}
	assert_int_equal(field(t, "b")->type->kind, TY_BOOL);
	assert_int_equal(field(t, "b2")->type->kind, TY_BOOL);
	want_type_name(field(t, "pid")->type, "pid_t");
	want_type_name(field(t, "ull")->type, "uint64");
	want_field(t, "b", 96);
	want_field(t, "i8", 98);
	want_field(t, "u16", 100);
	want_field(t, "k16", 122);
	want_field(t, "gid", 152);
	assert_int_equal(t->size, 160);

	/* Floating point types keep their layout, as unsigned bits. */
	t = want_struct(c, "f", 64, 16, 6);
	want_field(t, "f", 4);
	want_field(t, "d", 8);
	want_field(t, "ld", 16);
	want_field(t, "i", 32);
	want_field(t, "ui", 48);
	want_type_name(field(t, "f")->type, "float");
	want_type_name(field(t, "d")->type, "double");
	assert_int_equal(field(t, "ld")->type->size, 16);
	assert_int_equal(field(t, "ld")->type->align, 16);
}

/* ---- typedefs, enums, tags --------------------------------------------------- */

static void test_typedefs(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"typedef unsigned int myint;\n"
		"typedef myint other, *other_p, arr4[4];\n"
		"typedef struct node node_t;\n"
		"typedef struct { char c; double d; } pt_t;\n"
		"typedef unsigned int u32;            /* replaces the builtin */\n"
		"typedef int u16;\n"
		"typedef void handler_t(int);\n"
		"typedef void *vp;\n"
		"struct node { node_t *next; other o; myint m; pt_t pt; handler_t *h; u16 x; vp v; };\n"
		"typedef unsigned int myint;          /* the same again is fine */\n");
	const struct type *myint = cdefs_typedef(c, "myint");
	assert_int_equal(myint->kind, TY_INT);
	assert_int_equal(myint->size, 4);
	assert_false(myint->is_signed);
	assert_string_equal(myint->name, "myint");
	assert_true(type_equal(myint, type_int(4, false)));
	assert_string_equal(cdefs_typedef(c, "other")->name, "other");
	const struct type *op = cdefs_typedef(c, "other_p");
	assert_int_equal(op->kind, TY_PTR);
	assert_string_equal(op->elem->name, "myint");
	const struct type *arr4 = cdefs_typedef(c, "arr4");
	assert_int_equal(arr4->kind, TY_ARRAY);
	assert_int_equal(arr4->size, 16);

	/* A typedef of a struct before its definition sees the definition. */
	const struct type *node = cdefs_typedef(c, "node_t");
	assert_ptr_equal(node, cdefs_struct(c, "node", false));
	assert_int_equal(node->size, 56);
	assert_int_equal(node->nfields, 7);
	assert_ptr_equal(field(node, "next")->type->elem, node);
	want_field(node, "pt", 16);
	want_field(node, "h", 32);
	want_field(node, "x", 40);
	want_field(node, "v", 48);
	want_type_name(field(node, "o")->type, "other");
	assert_int_equal(field(node, "x")->type->size, 4);
	assert_true(field(node, "x")->type->is_signed);

	/* An anonymous struct takes the typedef's name. */
	const struct type *pt = cdefs_typedef(c, "pt_t");
	assert_int_equal(pt->kind, TY_STRUCT);
	assert_string_equal(pt->name, "pt_t");
	assert_int_equal(pt->size, 16);
	assert_null(cdefs_struct(c, "pt_t", false));

	assert_int_equal(cdefs_typedef(c, "u32")->size, 4);
	assert_null(cdefs_typedef(c, "u64"));          /* builtin, not the script's */
	assert_null(cdefs_typedef(c, "handler_t"));    /* a function type */
	assert_null(cdefs_typedef(c, "nope"));
	want_type_name(cdefs_typedef(c, "vp"), "void *");
}

static void test_enums(void **state)
{
	(void)state;
	struct cdefs *c = parse_ok(
		"enum color { RED, GREEN = 5, BLUE };\n"
		"enum e1 { A, B = A + 3, C = B << 2 | 1, D = ~0U, E2 = 10, F = 'a', G = '\\xff', H = 0x10,\n"
		"          I = 010, J = 0b101, K = (unsigned char)300, L = -1U >> 1,\n"
		"          M = sizeof(struct { char c; long l; }), N = 1 ? 2 : 3,\n"
		"          O = (7 / 2) * 2 + 7 % 3 - (-7 / 2), };\n"
		"enum e2 { X = -5, Y, Z = 1L << 40, W = ~0UL >> 60,\n"
		"          V = (1 > 2) + (2 >= 2) * 10 + (1 != 1) + !0 * 100 + (3 ^ 5) * 1000 };\n"
		"enum e3 { P = 0xffffffffffffffffUL };\n"
		"enum __attribute__((packed)) e4 { Q = -1, R = 127 };\n"
		"enum e5 { S = 256 } __attribute__((packed));\n"
		"enum { ANON1 = 7 };\n"
		"typedef enum { ST_A, ST_B = -3 } state_t;\n"
		"struct e { char c; enum color col; enum color cols[3]; state_t st; enum e4 small; };\n");
	static const struct { const char *name; int64_t value; } want[] = {
		{ "RED", 0 }, { "GREEN", 5 }, { "BLUE", 6 },
		{ "A", 0 }, { "B", 3 }, { "C", 13 }, { "D", 4294967295 }, { "E2", 10 }, { "F", 97 },
		{ "G", -1 }, { "H", 16 }, { "I", 8 }, { "J", 5 }, { "K", 44 }, { "L", 2147483647 },
		{ "M", 16 }, { "N", 2 }, { "O", 10 },
		{ "X", -5 }, { "Y", -4 }, { "Z", 1099511627776 }, { "W", 15 }, { "V", 6110 },
		{ "P", -1 }, { "Q", -1 }, { "R", 127 }, { "S", 256 }, { "ANON1", 7 },
		{ "ST_A", 0 }, { "ST_B", -3 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		int64_t v = 12345;
		assert_true(cdefs_enum_value(c, want[i].name, &v));
		assert_int_equal(v, want[i].value);
	}
	int64_t v;
	assert_false(cdefs_enum_value(c, "PURPLE", &v));

	/* Sizes and signs as GCC: sizeof(enum e1) == 8 and signed, etc. */
	static const struct { const char *name; uint32_t size; bool is_signed; } types[] = {
		{ "color", 4, false }, { "e1", 8, true }, { "e2", 8, true }, { "e3", 8, false },
		{ "e4", 1, true }, { "e5", 2, false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		const struct type *t = cdefs_enum(c, types[i].name);
		assert_non_null(t);
		assert_int_equal(t->kind, TY_INT);
		assert_int_equal(t->size, types[i].size);
		assert_int_equal(t->align, types[i].size);
		assert_int_equal(t->is_signed, types[i].is_signed);
	}
	const struct type *color = cdefs_enum(c, "enum color");
	assert_string_equal(color->name, "enum color");
	assert_ptr_equal(cdefs_enumerator_type(c, "GREEN"), color);
	assert_null(cdefs_enumerator_type(c, "PURPLE"));
	assert_null(cdefs_enum(c, "nope"));

	assert_string_equal(cdefs_enum_name(c, "enum color", 5), "GREEN");
	assert_string_equal(cdefs_enum_name(c, "color", 6), "BLUE");
	assert_null(cdefs_enum_name(c, "enum color", 4));
	assert_string_equal(cdefs_enum_name(c, "state_t", -3), "ST_B");
	assert_null(cdefs_enum_name(c, "nope", 0));
	const struct type *st = cdefs_typedef(c, "state_t");
	assert_int_equal(st->kind, TY_INT);
	assert_string_equal(st->name, "state_t");
	assert_true(st->is_signed);

	const struct type *t = want_struct(c, "e", 28, 4, 5);
	want_field(t, "col", 4);
	want_field(t, "cols", 8);
	want_field(t, "st", 20);
	want_field(t, "small", 24);
	assert_ptr_equal(field(t, "col")->type, color);
	assert_string_equal(cdefs_enum_name(c, field(t, "st")->type->name, 0), "ST_A");
	assert_string_equal(cdefs_enum_name(c, field(t, "col")->type->name, 0), "RED");
}

static void test_forward_and_incremental(void **state)
{
	(void)state;
	struct cdefs *c = cdefs_new(&arena);
	/* Several blocks: later ones see earlier ones. */
	parse_into(c, "struct later; struct a { struct later *p; enum lvl *e; };");
	const struct type *a = cdefs_struct(c, "a", false);
	const struct type *later = field(a, "p")->type->elem;
	assert_int_equal(later->nfields, 0);
	assert_int_equal(later->size, 0);
	assert_string_equal(later->name, "later");
	assert_null(cdefs_struct(c, "later", false));
	want_type_name(field(a, "e")->type, "enum lvl *");
	parse_into(c, "struct later { long x; struct a a; };\nenum lvl { LOW = -1, HIGH };");
	/* The same object, now complete. */
	assert_ptr_equal(cdefs_struct(c, "later", false), later);
	assert_int_equal(later->size, 24);
	assert_int_equal(later->nfields, 2);
	assert_true(field(a, "e")->type->elem->is_signed);
	assert_ptr_equal(field(a, "e")->type->elem, cdefs_enum(c, "lvl"));
}

static void test_missing_final_semicolon(void **state)
{
	(void)state;
	/* bpftrace takes a definition without its ';' */
	struct cdefs *c = parse_ok("struct foo { int x; }");
	want_struct(c, "foo", 4, 4, 1);
	c = parse_ok("struct a { int x; }\nstruct b { char c; } __attribute__((packed))\n"
		     "union u { int i; char c[4]; }\nenum e { E1 }\ntypedef struct a a_t;\n");
	want_struct(c, "a", 4, 4, 1);
	want_struct(c, "b", 1, 1, 1);
	const struct type *u = want_struct(c, "u", 4, 4, 2);
	assert_true(u->is_union);
	assert_non_null(cdefs_enum(c, "e"));
	assert_ptr_equal(cdefs_typedef(c, "a_t"), cdefs_struct(c, "a", false));
	/* Stray semicolons, comments, a missing ';' before '}' */
	c = parse_ok(";; // comment\nstruct s { int x; ; /* c */ char y };;");
	want_struct(c, "s", 8, 4, 2);
}

/* ---- resolvers ------------------------------------------------------------- */

static int resolver_calls;

static const struct type *resolver(void *arg, const char *name, enum cdefs_kind kind)
{
	struct arena *a = arg;
	resolver_calls++;
	if (kind == CDEFS_STRUCT && !strcmp(name, "task_struct")) {
		struct type *t = type_new(a, TY_STRUCT);
		t->name = "task_struct";
		t->size = 64;
		t->align = 8;
		t->btf_id = 42;
		return t;
	}
	if (kind == CDEFS_TYPEDEF && !strcmp(name, "ktime_t")) {
		struct type *t = type_new(a, TY_INT);
		*t = *type_int(8, true);
		t->name = "ktime_t";
		return t;
	}
	if (kind == CDEFS_ENUM && !strcmp(name, "kstate")) {
		struct type *t = type_new(a, TY_INT);
		t->size = t->align = 4;
		t->name = "enum kstate";
		return t;
	}
	return NULL;
}

static bool const_resolver(void *arg, const char *name, int64_t *value)
{
	if (strcmp(name, "TASK_COMM_LEN"))
		return false;
	*value = 16;
	return true;
}

static void test_resolvers(void **state)
{
	(void)state;
	struct cdefs *c = cdefs_new(&arena);
	cdefs_set_resolver(c, resolver, &arena);
	cdefs_set_const_resolver(c, const_resolver, NULL);
	resolver_calls = 0;
	parse_into(c, "struct s { char c; struct task_struct t; ktime_t when; enum kstate st;\n"
		      "           char comm[TASK_COMM_LEN]; struct task_struct *p; };");
	const struct type *t = want_struct(c, "s", 112, 8, 6);
	want_field(t, "t", 8);
	want_field(t, "when", 72);
	want_field(t, "st", 80);
	want_field(t, "comm", 84);
	want_field(t, "p", 104);
	assert_int_equal(field(t, "t")->type->btf_id, 42);
	want_type_name(field(t, "when")->type, "ktime_t");
	assert_int_equal(field(t, "comm")->type->size, 16);
	/* A pointer does not need the resolver: an incomplete struct. */
	const struct type *p = field(t, "p")->type->elem;
	assert_int_equal(p->btf_id, -1);
	assert_int_equal(p->nfields, 0);
	assert_int_equal(resolver_calls, 3);

	const char *got = parse_err_in(c, "struct x { struct mm_struct mm; };",
				       "struct x { struct mm_struct mm; };");
	assert_string_equal(got,
		"test.bt:1:12: error: struct mm_struct is not defined\n"
		"    struct x { struct mm_struct mm; };\n"
		"               ^~~~~~~~~~~~~~~~\n");
	got = parse_err_in(c, "struct y { nonesuch_t f; };", "struct y { nonesuch_t f; };");
	assert_string_equal(got,
		"test.bt:1:12: error: unknown type name 'nonesuch_t'\n"
		"    struct y { nonesuch_t f; };\n"
		"               ^~~~~~~~~~\n");
}

/* ---- errors ------------------------------------------------------------------ */

static void test_error_positions(void **state)
{
	(void)state;
	/* The C text starts in the middle of a script: positions are the
	 * script's, over several lines. */
	const char *script =
		"#!/usr/bin/env trawk\n"
		"  struct foo {\n"
		"\tint a;\n"
		"\tu3 b;\n"
		"};\n"
		"BEGIN { exit(); }\n";
	const char *ctext = "struct foo {\n\tint a;\n\tu3 b;\n};\n";
	assert_string_equal(parse_err_in(cdefs_new(&arena), script, ctext),
		"test.bt:4:2: error: unknown type name 'u3'; did you mean 'u8'?\n"
		"     u3 b;\n"
		"     ^~\n");
	script = "kprobe:f { }\nstruct a { int x; char x; }; BEGIN {}";
	assert_string_equal(parse_err_in(cdefs_new(&arena), script, "struct a { int x; char x; };"),
		"test.bt:2:24: error: duplicate member 'x'\n"
		"    struct a { int x; char x; }; BEGIN {}\n"
		"                           ^\n"
		"test.bt:2:16: note: previous declaration is here\n"
		"    struct a { int x; char x; }; BEGIN {}\n"
		"                   ^\n");
}

static void test_errors(void **state)
{
	(void)state;
	want_error("struct foo { int x; };\nstruct foo { int y; };",
		"test.bt:2:8: error: redefinition of 'struct foo'\n"
		"    struct foo { int y; };\n"
		"           ^~~\n"
		"test.bt:1:8: note: previous definition is here\n"
		"    struct foo { int x; };\n"
		"           ^~~\n");
	want_error("struct foo { int x; ",
		"test.bt:1:20: error: expected '}'\n"
		"    struct foo { int x; \n"
		"                       ^\n"
		"test.bt:1:12: note: to match this '{'\n"
		"    struct foo { int x; \n"
		"               ^\n");
	want_error("struct a { int x char y; };",
		"test.bt:1:17: error: expected ';' at end of declaration\n"
		"    struct a { int x char y; };\n"
		"                    ^\n");
	want_error("struct a { int x; } struct b { int y; }",
		"test.bt:1:20: error: expected ';' after struct\n"
		"    struct a { int x; } struct b { int y; }\n"
		"                       ^\n");
	want_error("typedef int t\nstruct a { t x; };",
		"test.bt:1:14: error: expected ';' after typedef\n"
		"    typedef int t\n"
		"                 ^\n");
	want_error("struct foo { int x:33; };",
		"test.bt:1:20: error: width of bit-field 'x' (33 bits) exceeds the width of its type (32 bits)\n"
		"    struct foo { int x:33; };\n"
		"                       ^~\n");
	want_error("struct a { _Bool b : 2; };",
		"test.bt:1:22: error: width of bit-field 'b' (2 bits) exceeds the width of its type (1 bit)\n"
		"    struct a { _Bool b : 2; };\n"
		"                         ^\n");
	want_error("struct a { int x : 0; };",
		"test.bt:1:20: error: named bit-field 'x' has zero width\n"
		"    struct a { int x : 0; };\n"
		"                       ^\n");
	want_error("struct a { int x : -1; };",
		"test.bt:1:20: error: bit-field 'x' has negative width (-1)\n"
		"    struct a { int x : -1; };\n"
		"                       ^~\n");
	want_error("struct a { char *p : 3; };",
		"test.bt:1:18: error: bit-field 'p' has non-integer type 'int8 *'\n"
		"    struct a { char *p : 3; };\n"
		"                     ^\n");
	want_error("struct foo { int x[2 - 3]; };",
		"test.bt:1:20: error: size of array 'x' is negative\n"
		"    struct foo { int x[2 - 3]; };\n"
		"                       ^~~~~\n");
	want_error("struct foo { int x[0]; int y; };",
		"test.bt:1:18: error: flexible array member 'x' is not at the end of the struct\n"
		"    struct foo { int x[0]; int y; };\n"
		"                     ^\n");
	want_error("struct a { int x[3][0]; };",
		"test.bt:1:21: error: zero-size array 'x'\n"
		"    struct a { int x[3][0]; };\n"
		"                        ^\n");
	want_error("typedef char buf[];",
		"test.bt:1:17: error: array 'buf' has no size\n"
		"    typedef char buf[];\n"
		"                    ^\n");
	want_error("struct foo { struct bar b; };",
		"test.bt:1:14: error: struct bar is not defined\n"
		"    struct foo { struct bar b; };\n"
		"                 ^~~~~~~~~~\n");
	want_error("struct bar { int x; };\nstruct foo { struct baz b[2]; };",
		"test.bt:2:14: error: struct baz is not defined; did you mean 'struct bar'?\n"
		"    struct foo { struct baz b[2]; };\n"
		"                 ^~~~~~~~~~\n");
	want_error("struct a { enum e v; };",
		"test.bt:1:12: error: enum e is not defined\n"
		"    struct a { enum e v; };\n"
		"               ^~~~~~\n");
	want_error("struct foo { struct foo f; };",
		"test.bt:1:14: error: member 'f' has incomplete type 'struct foo'\n"
		"    struct foo { struct foo f; };\n"
		"                 ^~~~~~~~~~\n");
	want_error("struct foo { void v; };",
		"test.bt:1:14: error: member 'v' has incomplete type 'void'\n"
		"    struct foo { void v; };\n"
		"                 ^~~~\n");
	want_error("typedef void fn_t(int); struct a { fn_t g; };",
		"test.bt:1:36: error: member 'g' is declared as a function; use a pointer to one\n"
		"    typedef void fn_t(int); struct a { fn_t g; };\n"
		"                                       ^~~~\n");
	want_error("struct a { strcut b *p; };",
		"test.bt:1:12: error: unknown type name 'strcut'; did you mean 'struct'?\n"
		"    struct a { strcut b *p; };\n"
		"               ^~~~~~\n");
	want_error("typedef unsigned int myint;\nstruct a { mynit x; };",
		"test.bt:2:12: error: unknown type name 'mynit'; did you mean 'myint'?\n"
		"    struct a { mynit x; };\n"
		"               ^~~~~\n");
	want_error("struct a { unsigned signed x; };",
		"test.bt:1:21: error: cannot combine 'signed' with the previous type specifiers\n"
		"    struct a { unsigned signed x; };\n"
		"                        ^~~~~~\n");
	want_error("struct a { long long long x; };",
		"test.bt:1:22: error: cannot combine 'long' with the previous type specifiers\n"
		"    struct a { long long long x; };\n"
		"                         ^~~~\n");
	want_error("struct a { int x; };\nunion a { int y; };",
		"test.bt:2:7: error: use of 'a' with tag type that does not match previous declaration\n"
		"    union a { int y; };\n"
		"          ^\n"
		"test.bt:1:8: note: previous declaration is here\n"
		"    struct a { int x; };\n"
		"           ^\n");
	want_error("struct a { union { int x; }; struct { char x; }; };",
		"test.bt:1:44: error: duplicate member 'x'\n"
		"    struct a { union { int x; }; struct { char x; }; };\n"
		"                                               ^\n"
		"test.bt:1:24: note: previous declaration is here\n"
		"    struct a { union { int x; }; struct { char x; }; };\n"
		"                           ^\n");
	want_error("struct a { int; };",
		"test.bt:1:12: error: declaration does not declare anything\n"
		"    struct a { int; };\n"
		"               ^~~\n");
	want_error("int foo(void);",
		"test.bt:1:5: error: declarations of variables and functions are not supported; "
		"only struct, union and enum definitions and typedefs are\n"
		"    int foo(void);\n"
		"        ^~~\n");
	want_error("typedef int t; typedef long t;",
		"test.bt:1:29: error: typedef redefinition with different types ('int64' vs 'int32')\n"
		"    typedef int t; typedef long t;\n"
		"                                ^\n"
		"test.bt:1:13: note: previous definition is here\n"
		"    typedef int t; typedef long t;\n"
		"                ^\n");
	want_error("enum e { A, B, A };",
		"test.bt:1:16: error: redefinition of enumerator 'A'\n"
		"    enum e { A, B, A };\n"
		"                   ^\n"
		"test.bt:1:10: note: previous definition is here\n"
		"    enum e { A, B, A };\n"
		"             ^\n");
	want_error("enum e { RED, GREEN = REED + 1 };",
		"test.bt:1:23: error: use of undeclared identifier 'REED'; did you mean 'RED'?\n"
		"    enum e { RED, GREEN = REED + 1 };\n"
		"                          ^~~~\n");
	want_error("enum e { A = 1 << 40 };",
		"test.bt:1:16: error: shift count >= width of type\n"
		"    enum e { A = 1 << 40 };\n"
		"                   ^~\n");
	want_error("enum e { A = 4 / (2 - 2) };",
		"test.bt:1:16: error: division by zero in a constant expression\n"
		"    enum e { A = 4 / (2 - 2) };\n"
		"                   ^\n");
	want_error("enum e { A B };",
		"test.bt:1:11: error: expected ',' or '}'\n"
		"    enum e { A B };\n"
		"              ^\n"
		"test.bt:1:8: note: to match this '{'\n"
		"    enum e { A B };\n"
		"           ^\n");
	want_error("enum e { };",
		"test.bt:1:1: error: enum has no enumerators\n"
		"    enum e { };\n"
		"    ^~~~~~\n");
	want_error("struct a { int x; } __attribute__((aligned(3)));",
		"test.bt:1:44: error: requested alignment is not a positive power of 2\n"
		"    struct a { int x; } __attribute__((aligned(3)));\n"
		"                                               ^\n");
	want_error("struct a { char c[0x1G]; };",
		"test.bt:1:22: error: invalid digit 'G' in hexadecimal constant\n"
		"    struct a { char c[0x1G]; };\n"
		"                         ^\n");
	want_error("struct a { char c[1.5]; };",
		"test.bt:1:19: error: floating point constants are not supported\n"
		"    struct a { char c[1.5]; };\n"
		"                      ^~~\n");
	want_error("struct a { int x @ };",
		"test.bt:1:18: error: unexpected character '@'\n"
		"    struct a { int x @ };\n"
		"                     ^\n");
	want_error("/* never closed\nstruct a { int x; };",
		"test.bt:1:1: error: unterminated comment\n"
		"    /* never closed\n"
		"    ^~\n");
	want_error("struct { int x; };",
		"test.bt:1:1: error: declaration does not declare anything\n"
		"    struct { int x; };\n"
		"    ^~~~~~\n");
	want_error("unsigned long;",
		"test.bt:1:1: error: declaration does not declare anything\n"
		"    unsigned long;\n"
		"    ^~~~~~~~~~~~~\n");
	want_error("struct a { float x : 3; };",
		"test.bt:1:18: error: bit-field 'x' has non-integer type 'float'\n"
		"    struct a { float x : 3; };\n"
		"                     ^\n");
}

static void test_error_keeps_earlier_definitions(void **state)
{
	(void)state;
	struct cdefs *c = cdefs_new(&arena);
	const char *text = "struct ok { int x; };\nstruct bad { int y; nope z; };";
	parse_err_in(c, text, text);
	want_struct(c, "ok", 4, 4, 1);
	assert_null(cdefs_struct(c, "bad", false));
	/* The failed tag can be defined again. */
	parse_into(c, "struct bad { long y; };");
	want_struct(c, "bad", 8, 8, 1);
}

static void test_limits(void **state)
{
	(void)state;
	/* Deep nesting is an error, not a stack overflow. */
	struct strbuf sb = {0};
	sb_append(&sb, "enum e { A = ");
	for (int i = 0; i < 10000; i++)
		sb_putc(&sb, '(');
	struct cdefs *c = cdefs_new(&arena);
	struct diag d = {0};
	assert_int_equal(cdefs_parse(c, sb_str(&sb), NULL, &d), -1);
	assert_string_equal(sb_str(&d.out), "trawk: error: nesting is too deep\n");
	diag_free(&d);
	sb_reset(&sb);
	for (int i = 0; i < 150; i++)
		sb_append(&sb, "struct { ");
	sb_append(&sb, "int x;");
	for (int i = 0; i < 150; i++)
		sb_append(&sb, " } s;");
	const char *text = arena_printf(&arena, "struct deep { %s };", sb_str(&sb));
	c = parse_ok(text);
	want_struct(c, "deep", 4, 4, 1);
	sb_free(&sb);
	/* No text at all is fine. */
	parse_ok("");
	parse_ok("  // nothing\n");
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_struct),
		cmocka_unit_test(test_bitfields),
		cmocka_unit_test(test_packed),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_anonymous_members),
		cmocka_unit_test(test_nested_arrays_pointers),
		cmocka_unit_test(test_scalar_types),
		cmocka_unit_test(test_typedefs),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_forward_and_incremental),
		cmocka_unit_test(test_missing_final_semicolon),
		cmocka_unit_test(test_resolvers),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_keeps_earlier_definitions),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
