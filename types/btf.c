#include "btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSFS_VMLINUX "/sys/kernel/btf/vmlinux"

/* Guards against runaway recursion on malformed BTF (by-value nesting in
 * the kernel is a dozen levels at most). */
#define MAX_DEPTH 64

/* Name lookups go through libbpf's linear btf__find_by_name_kind (one pass
 * over the type headers, a strcmp per type of the kind asked for) until
 * enough of them have been made that one pass building a hash index costs
 * less than the scans to come.  Functions (56k of the 127k types in 6.18,
 * ~1 ms a scan) and the other named kinds (15k, ~0.2 ms a scan) have an
 * index each. */
enum { IDX_TYPES, IDX_FUNCS, NR_IDX };
static const unsigned index_after[NR_IDX] = { 16, 4 };

struct name_index {
	unsigned lookups;
	uint32_t *slots;    /* type ids, 0 = empty */
	uint32_t mask;
};

enum cached_what { CACHE_FUNC_ARGS, CACHE_RAWTP_ARGS, CACHE_ALIAS };

struct cached_record {
	uint32_t id;
	enum cached_what what;
	const struct type *t;
};

static struct {
	bool tried;
	char *path;                  /* btf_set_path() */
	char *load_error;
	struct btf *btf;
	uint32_t ntypes;             /* btf__type_cnt(): ids are 1 .. ntypes-1 */
	struct arena arena;          /* every type handed out */
	const struct type **conv;    /* by id: the full conversion */
	const struct type **stub;    /* by id: incomplete struct for pointees */
	uint8_t *align;              /* by id: natural alignment memo, 0 unknown */
	int depth;
	struct name_index idx[NR_IDX];
	/* Enumerator index: (type id << 16 | member index), 0 = empty. */
	uint64_t *enums;
	uint32_t enums_mask;
	VEC(struct cached_record) records;
} g;

/* `void *` points to this: a byte, named so `-d types` shows void *. */
static const struct type void_type = {
	.kind = TY_INT, .size = 1, .align = 1, .name = "void",
};

/* ---- loading -------------------------------------------------------------- */

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* libbpf copies the whole BTF (5.5 MB for 6.18) into one malloc()ed block.
 * glibc serves a block that large with a fresh mmap, and the copy then takes
 * a page fault per 4 KiB page: ~1400 faults, over half of the ~22 ms the
 * load costs on the paravirtualised CI machines, where a fault costs ~10 us.  Instead:
 * free one larger block first, which makes glibc raise its mmap threshold
 * above it (as it would on its own once libbpf freed its copy); a block of
 * the copy's size then comes from the heap, whose pages MADV_POPULATE_WRITE
 * maps in one call; freed again, that memory is what libbpf's malloc gets.
 * Worth it only with glibc's allocator: a no-op under other allocators
 * (harmless but useless), and skipped under AddressSanitizer. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRAWK_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TRAWK_ASAN 1
#endif

static void prefault_heap(size_t n)
{
#if defined(__GLIBC__) && !defined(TRAWK_ASAN) && defined(MADV_POPULATE_WRITE)
	void *p = malloc(n + (3u << 20));
	/* Keep the compiler from folding malloc+free away. */
	__asm__ volatile("" : : "r"(p) : "memory");
	free(p);
	size_t len = n + (2u << 20);
	char *q = malloc(len);
	if (!q)
		return;
	uintptr_t start = ALIGN_UP((uintptr_t)q, 4096);
	uintptr_t end = ((uintptr_t)q + len) / 4096 * 4096;
	if (end > start)
		madvise((void *)start, end - start, MADV_POPULATE_WRITE);
	free(q);
#else
	(void)n;
#endif
}

/* The kernel's BTF mapped read-only (Linux 6.16+ allows mmap of the sysfs
 * file) and handed to btf__new, which copies it once; libbpf's own
 * btf__load_vmlinux_btf() would read it into a buffer first and copy that. */
static struct btf *load_sysfs_mmap(size_t *size)
{
	int fd = open(SYSFS_VMLINUX, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct btf *b = NULL;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		*size = (size_t)st.st_size;
		void *m = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			prefault_heap(*size);
			b = btf__new(m, (uint32_t)*size);
			munmap(m, *size);
		}
	}
	close(fd);
	return b;
}

static bool load(void)
{
	if (g.btf)
		return true;
	if (g.tried)
		return false;
	g.tried = true;
	libbpf_print_fn_t old = libbpf_set_print(quiet_print);
	const char *path = g.path;
	struct btf *b;
	if (path && *path) {
		b = btf__parse(path, NULL);
		if (!b)
			g.load_error = xasprintf("cannot load BTF from %s: %s", path, strerror(errno));
	} else {
		size_t size = 0;
		b = load_sysfs_mmap(&size);
		if (!b) {
			/* Read into a buffer, then copied: twice the memory. */
			if (size)
				prefault_heap(2 * size);
			b = btf__load_vmlinux_btf();
			if (!b) {
				int e = errno;
				if (access(SYSFS_VMLINUX, R_OK) != 0)
					e = errno;
				g.load_error = xasprintf("kernel BTF is not available (%s: %s)",
							 SYSFS_VMLINUX, strerror(e));
			}
		}
	}
	libbpf_set_print(old);
	if (!b)
		return false;
	g.btf = b;
	g.ntypes = btf__type_cnt(b);
	g.conv = xcalloc(g.ntypes, sizeof(*g.conv));
	g.stub = xcalloc(g.ntypes, sizeof(*g.stub));
	g.align = xcalloc(g.ntypes, 1);
	return true;
}

static bool need(struct strbuf *err)
{
	if (load())
		return true;
	if (err)
		sb_append(err, g.load_error ? g.load_error : "kernel BTF is not available");
	return false;
}

void btf_set_path(const char *path)
{
	free(g.path);
	g.path = path ? xstrdup(path) : NULL;
}

bool btf_available(void)
{
	if (g.btf)
		return true;
	if (g.tried)
		return false;
	const char *path = g.path;
	return access(path && *path ? path : SYSFS_VMLINUX, R_OK) == 0;
}

bool btf_load(struct strbuf *err)
{
	return need(err);
}

void btf_free(void)
{
	btf__free(g.btf);
	free(g.conv);
	free(g.stub);
	free(g.align);
	for (int i = 0; i < NR_IDX; i++)
		free(g.idx[i].slots);
	free(g.enums);
	free(g.load_error);
	free(g.path);
	vec_free(&g.records);
	arena_free(&g.arena);
	memset(&g, 0, sizeof(g));
}

/* ---- small BTF helpers ---------------------------------------------------- */

static const struct btf_type *type_at(uint32_t id)
{
	return id && id < g.ntypes ? btf__type_by_id(g.btf, id) : NULL;
}

static const char *name_of(const struct btf_type *t)
{
	const char *n = t ? btf__name_by_offset(g.btf, t->name_off) : NULL;
	return n && *n ? n : NULL;
}

static bool is_mod(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* Follows modifiers (and typedefs if asked) to the type underneath.  The
 * outermost typedef's name goes to *tdname, a `user` type tag sets *user. */
static uint32_t skip_to(uint32_t id, bool typedefs, const char **tdname, bool *user)
{
	for (int i = 0; i < MAX_DEPTH; i++) {
		const struct btf_type *t = type_at(id);
		if (!t)
			return id;
		if (btf_kind(t) == BTF_KIND_TYPE_TAG && user) {
			const char *n = name_of(t);
			if (n && !strcmp(n, "user"))
				*user = true;
		}
		if (btf_is_typedef(t)) {
			if (!typedefs)
				return id;
			if (tdname && !*tdname)
				*tdname = name_of(t);
		} else if (!is_mod(t)) {
			return id;
		}
		id = t->type;
	}
	return 0;
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static uint32_t table_size(uint32_t n)
{
	uint32_t size = 1024;
	while (size < n + n / 2)
		size *= 2;
	return size;
}

static bool in_index(const struct btf_type *t, int which)
{
	return t->name_off && (btf_kind(t) == BTF_KIND_FUNC) == (which == IDX_FUNCS);
}

static void build_name_index(struct name_index *x, int which)
{
	uint32_t n = 0;
	for (uint32_t id = 1; id < g.ntypes; id++)
		if (in_index(btf__type_by_id(g.btf, id), which))
			n++;
	uint32_t size = table_size(n);
	x->slots = xcalloc(size, sizeof(*x->slots));
	x->mask = size - 1;
	/* In id order: along a probe chain the lowest id of a name comes first,
	 * as btf__find_by_name_kind would find it. */
	for (uint32_t id = 1; id < g.ntypes; id++) {
		const struct btf_type *t = btf__type_by_id(g.btf, id);
		const char *name = in_index(t, which) ? name_of(t) : NULL;
		if (!name)
			continue;
		uint32_t i = hash_str(name) & x->mask;
		while (x->slots[i])
			i = (i + 1) & x->mask;
		x->slots[i] = id;
	}
}

/* The first type of `kind` named `name`, or 0. */
static uint32_t find_type(const char *name, int kind)
{
	int which = kind == BTF_KIND_FUNC ? IDX_FUNCS : IDX_TYPES;
	struct name_index *x = &g.idx[which];
	if (!x->slots) {
		int32_t id = btf__find_by_name_kind(g.btf, name, (uint32_t)kind);
		if (++x->lookups >= index_after[which])
			build_name_index(x, which);
		return id > 0 ? (uint32_t)id : 0;
	}
	for (uint32_t i = hash_str(name) & x->mask; x->slots[i]; i = (i + 1) & x->mask) {
		const struct btf_type *t = btf__type_by_id(g.btf, x->slots[i]);
		if (btf_kind(t) == kind && !strcmp(btf__name_by_offset(g.btf, t->name_off), name))
			return x->slots[i];
	}
	return 0;
}

/* ---- conversion ----------------------------------------------------------- */

static const struct type *cached_record(uint32_t id, enum cached_what what)
{
	for (size_t i = 0; i < g.records.n; i++)
		if (g.records.v[i].id == id && g.records.v[i].what == what)
			return g.records.v[i].t;
	return NULL;
}

/* An anonymous struct that a typedef names (typedef struct { ... } kuid_t)
 * goes by the typedef's name, inline as through pointers (see stub_of). */
static const struct type *aliased(const struct type *st, const char *alias)
{
	if (!alias || st->kind != TY_STRUCT || st->name || st->btf_id <= 0)
		return st;
	const struct type *c = cached_record((uint32_t)st->btf_id, CACHE_ALIAS);
	if (!c) {
		struct type *t = type_new(&g.arena, TY_STRUCT);
		*t = *st;
		t->name = alias;
		vec_push(&g.records, ((struct cached_record){ (uint32_t)st->btf_id, CACHE_ALIAS, t }));
		c = t;
	}
	return c;
}

static const struct type *conv(uint32_t id);

/* Bits of member i of struct t if it is a bitfield, else 0, with *bit
 * adjusted: BTF says it in the member (kflag set, what the kernel uses) or,
 * the old way, in an int type of its own. */
static uint32_t member_bitfield(const struct btf_type *t, uint32_t i, uint32_t *bit)
{
	uint32_t bits = btf_member_bitfield_size(t, i);
	if (bits)
		return bits;
	const struct btf_type *ut = type_at(skip_to(btf_members(t)[i].type, true, NULL, NULL));
	if (ut && btf_is_int(ut) && (btf_int_offset(ut) || btf_int_bits(ut) != ut->size * 8)) {
		*bit += btf_int_offset(ut);
		return btf_int_bits(ut);
	}
	return 0;
}

static uint32_t natural_align(uint32_t id)
{
	id = skip_to(id, true, NULL, NULL);
	const struct btf_type *t = type_at(id);
	if (!t || g.depth >= MAX_DEPTH)
		return 1;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		return t->size && t->size <= 16 && !(t->size & (t->size - 1)) ? t->size : 1;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY: {
		g.depth++;
		uint32_t a = natural_align(btf_array(t)->type);
		g.depth--;
		return a;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		break;
	default:
		return 1;
	}
	if (g.align[id])
		return g.align[id];
	g.depth++;
	uint32_t align = 1;
	bool packed = false;
	const struct btf_member *m = btf_members(t);
	for (uint32_t i = 0; i < btf_vlen(t); i++) {
		uint32_t ma = natural_align(m[i].type);
		uint32_t bit = btf_member_bit_offset(t, i);
		if (!member_bitfield(t, i, &bit) && (bit % 8 || (bit / 8) % ma))
			packed = true;
		if (ma > align)
			align = ma;
	}
	g.depth--;
	if (packed || (t->size % align))
		align = 1;
	if (align > 128)
		align = 128;
	g.align[id] = (uint8_t)align;
	return align;
}

static const struct type *byte_array(uint32_t size)
{
	return type_array(&g.arena, type_int(1, false), size);
}

static const struct type *conv_int(const struct btf_type *t)
{
	uint8_t enc = btf_int_encoding(t);
	if (enc & BTF_INT_BOOL)
		return type_bool();
	const char *name = name_of(t);
	switch (t->size) {
	case 1: case 2: case 4: case 8:
		return type_int(t->size, (enc & BTF_INT_SIGNED) || (name && !strcmp(name, "char")));
	case 16:
		return type_array(&g.arena, type_u64(), 2);
	default:
		return byte_array(t->size);
	}
}

/* An integer type carrying a name (typedef or enum), copied off `base`. */
static const struct type *named_int(const struct type *base, const char *name, int32_t btf_id)
{
	struct type *t = type_new(&g.arena, TY_INT);
	*t = *base;
	t->name = name;
	t->btf_id = btf_id;
	return t;
}

static const struct type *conv_enum(uint32_t id, const struct btf_type *t)
{
	const char *name = name_of(t);
	bool is_signed = btf_kflag(t);
	const struct type *base = type_int(t->size ? t->size : 4, is_signed);
	return named_int(base, name ? arena_printf(&g.arena, "enum %s", name) : NULL, (int32_t)id);
}

/* The incomplete struct a pointer points to.  `alias` names an anonymous
 * struct reached through a typedef. */
static const struct type *stub_of(uint32_t id, const char *alias)
{
	if (g.stub[id])
		return g.stub[id];
	const struct btf_type *t = type_at(id);
	struct type *st = type_new(&g.arena, TY_STRUCT);
	const char *name = name_of(t);
	st->name = name ? name : alias;
	st->is_union = btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t));
	st->btf_id = (int32_t)id;
	uint32_t real = id;
	if (btf_is_fwd(t)) {
		/* A declaration only: point at the definition, if there is one. */
		real = name ? find_type(name, st->is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT) : 0;
		st->btf_id = real ? (int32_t)real : -1;
	}
	const struct btf_type *rt = type_at(real);
	if (rt && btf_is_composite(rt)) {
		st->size = rt->size;
		st->align = natural_align(real);
	}
	g.stub[id] = st;
	return st;
}

static const struct type *conv_ptr(const struct btf_type *t)
{
	const char *tdname = NULL;
	bool user = false;
	uint32_t to = skip_to(t->type, true, &tdname, &user);
	const struct btf_type *tt = type_at(to);
	const struct type *elem;
	if (!tt)
		elem = &void_type;
	else if (btf_is_composite(tt) || btf_is_fwd(tt))
		elem = stub_of(to, tdname);
	else if (btf_is_func_proto(tt))
		elem = type_int(1, false);
	else
		elem = conv(t->type);   /* keeps typedef names: u32 * */
	return type_ptr(&g.arena, elem, user ? AS_USER : AS_KERNEL);
}

static const struct type *conv_array(const struct btf_type *t)
{
	const struct btf_array *arr = btf_array(t);
	const struct type *elem = conv(arr->type);
	if (elem->kind == TY_INT && elem->size == 1 && arr->nelems)
		return type_string(&g.arena, arr->nelems);
	return type_array(&g.arena, elem, arr->nelems);
}

typedef VEC(struct field) field_vec;

/* Where a bitfield of `size`-byte type at absolute bit `bit` sits (see
 * btf.h). */
static void place_bitfield(struct field *f, uint32_t bit, uint32_t bits, uint32_t size)
{
	f->bit_size = (uint16_t)bits;
	if (size == 1 || size == 2 || size == 4 || size == 8) {
		uint32_t unit = bit / (size * 8) * size;
		if (bit - unit * 8 + bits <= size * 8) {
			f->offset = unit;
			f->bit_offset = (uint16_t)(bit - unit * 8);
			return;
		}
	}
	f->offset = bit / 8;
	f->bit_offset = (uint16_t)(bit % 8);
}

static void add_members(field_vec *out, const struct btf_type *t, uint32_t base_bit)
{
	const struct btf_member *m = btf_members(t);
	for (uint32_t i = 0; i < btf_vlen(t); i++) {
		uint32_t bit = base_bit + btf_member_bit_offset(t, i);
		const char *name = btf__name_by_offset(g.btf, m[i].name_off);
		if (name && !*name)
			name = NULL;
		if (!name) {
			/* Anonymous struct/union: its members belong to us.
			 * Anything else unnamed is padding. */
			const struct btf_type *ut = type_at(skip_to(m[i].type, true, NULL, NULL));
			if (ut && btf_is_composite(ut) && g.depth < MAX_DEPTH) {
				g.depth++;
				add_members(out, ut, bit);
				g.depth--;
			}
			continue;
		}
		uint32_t bits = member_bitfield(t, i, &bit);
		struct field f = { .name = name, .type = conv(m[i].type) };
		if (bits)
			place_bitfield(&f, bit, bits, f.type->size);
		else
			f.offset = bit / 8;
		vec_push(out, f);
	}
}

static const struct type *conv_struct(uint32_t id, const struct btf_type *t)
{
	struct type *st = type_new(&g.arena, TY_STRUCT);
	/* Recorded before the members, so malformed BTF cannot loop. */
	g.conv[id] = st;
	st->name = name_of(t);
	st->is_union = btf_is_union(t);
	st->size = t->size;
	st->align = natural_align(id);
	st->btf_id = (int32_t)id;
	field_vec fields = {0};
	add_members(&fields, t, 0);
	st->nfields = (uint32_t)fields.n;
	st->fields = arena_alloc(&g.arena, fields.n * sizeof(struct field));
	if (fields.n)
		memcpy(st->fields, fields.v, fields.n * sizeof(struct field));
	vec_free(&fields);
	return st;
}

static const struct type *conv_kind(uint32_t id, const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return conv_int(t);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return conv_enum(id, t);
	case BTF_KIND_PTR:
		return conv_ptr(t);
	case BTF_KIND_ARRAY:
		return conv_array(t);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return conv_struct(id, t);
	case BTF_KIND_FWD:
		return stub_of(id, NULL);
	case BTF_KIND_TYPEDEF: {
		const struct type *u = conv(t->type);
		const char *name = name_of(t);
		if (u->kind == TY_INT && u != &void_type && name)
			return named_int(u, name, u->btf_id);
		return aliased(u, name);
	}
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return conv(t->type);
	case BTF_KIND_FLOAT: {
		const char *name = name_of(t);
		if (t->size == 4 || t->size == 8)
			return named_int(type_int(t->size, false), name, 0);
		return byte_array(t->size);
	}
	default:
		return type_int(1, false);
	}
}

static const struct type *conv(uint32_t id)
{
	const struct btf_type *t = type_at(id);
	if (!t)
		return &void_type;
	if (g.conv[id])
		return g.conv[id];
	if (g.depth >= MAX_DEPTH)
		return type_int(1, false);
	g.depth++;
	const struct type *r = conv_kind(id, t);
	g.depth--;
	g.conv[id] = r;
	return r;
}

/* ---- structs -------------------------------------------------------------- */

const struct type *btf_struct(struct arena *a, const char *name, bool is_union,
			      struct strbuf *err)
{
	if (!strncmp(name, "struct ", 7)) {
		name += 7;
	} else if (!strncmp(name, "union ", 6)) {
		name += 6;
		is_union = true;
	}
	if (!need(err))
		return NULL;
	int first = is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT;
	int second = is_union ? BTF_KIND_STRUCT : BTF_KIND_UNION;
	uint32_t id = find_type(name, first);
	if (!id)
		id = find_type(name, second);
	if (!id) {
		if (err)
			sb_printf(err, "%s %s not found in kernel BTF", is_union ? "union" : "struct", name);
		return NULL;
	}
	return conv(id);
}

const struct type *btf_complete(struct arena *a, const struct type *t, struct strbuf *err)
{
	if (!t || t->kind != TY_STRUCT || t->nfields)
		return t;
	if (!need(err))
		return NULL;
	if (t->btf_id > 0 && (uint32_t)t->btf_id < g.ntypes) {
		const struct btf_type *bt = btf__type_by_id(g.btf, (uint32_t)t->btf_id);
		if (btf_is_composite(bt))
			return aliased(conv((uint32_t)t->btf_id), t->name);
	}
	if (!t->name) {
		if (err)
			sb_append(err, "anonymous struct has no BTF to resolve it");
		return NULL;
	}
	return btf_struct(a, t->name, t->is_union, err);
}

/* ---- enums and typedefs --------------------------------------------------- */

static const char *enumerator_name(uint64_t entry)
{
	const struct btf_type *t = btf__type_by_id(g.btf, (uint32_t)(entry >> 16));
	uint32_t i = entry & 0xffff;
	uint32_t off = btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
	return btf__name_by_offset(g.btf, off);
}

static int64_t enumerator_value(const struct btf_type *t, uint32_t i)
{
	if (btf_is_enum64(t))
		return (int64_t)btf_enum64_value(&btf_enum64(t)[i]);
	int32_t v = btf_enum(t)[i].val;
	return btf_kflag(t) ? (int64_t)v : (int64_t)(uint32_t)v;
}

static void build_enum_index(void)
{
	uint32_t n = 0;
	for (uint32_t id = 1; id < g.ntypes; id++) {
		const struct btf_type *t = btf__type_by_id(g.btf, id);
		if (btf_is_any_enum(t))
			n += btf_vlen(t);
	}
	uint32_t size = table_size(n);
	g.enums = xcalloc(size, sizeof(*g.enums));
	g.enums_mask = size - 1;
	for (uint32_t id = 1; id < g.ntypes; id++) {
		const struct btf_type *t = btf__type_by_id(g.btf, id);
		if (!btf_is_any_enum(t))
			continue;
		for (uint32_t k = 0; k < btf_vlen(t); k++) {
			uint64_t entry = (uint64_t)id << 16 | k;
			uint32_t i = hash_str(enumerator_name(entry)) & g.enums_mask;
			while (g.enums[i])
				i = (i + 1) & g.enums_mask;
			g.enums[i] = entry;
		}
	}
}

bool btf_enum_value(const char *name, int64_t *value)
{
	if (!load())
		return false;
	if (!g.enums)
		build_enum_index();
	for (uint32_t i = hash_str(name) & g.enums_mask; g.enums[i]; i = (i + 1) & g.enums_mask) {
		if (!strcmp(enumerator_name(g.enums[i]), name)) {
			const struct btf_type *t = btf__type_by_id(g.btf, (uint32_t)(g.enums[i] >> 16));
			*value = enumerator_value(t, g.enums[i] & 0xffff);
			return true;
		}
	}
	return false;
}

int32_t btf_enum_id(const char *name)
{
	if (!load())
		return 0;
	if (!strncmp(name, "enum ", 5))
		name += 5;
	uint32_t id = find_type(name, BTF_KIND_ENUM);
	if (!id)
		id = find_type(name, BTF_KIND_ENUM64);
	return (int32_t)id;
}

const char *btf_enum_name(int32_t enum_id, int64_t value)
{
	if (enum_id <= 0 || !load() || (uint32_t)enum_id >= g.ntypes)
		return NULL;
	const struct btf_type *t = btf__type_by_id(g.btf, (uint32_t)enum_id);
	if (!btf_is_any_enum(t))
		return NULL;
	for (uint32_t i = 0; i < btf_vlen(t); i++) {
		if (enumerator_value(t, i) == value) {
			uint32_t off = btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
			return btf__name_by_offset(g.btf, off);
		}
	}
	return NULL;
}

const struct type *btf_typedef(struct arena *a, const char *name)
{
	if (!load())
		return NULL;
	uint32_t id = find_type(name, BTF_KIND_TYPEDEF);
	if (!id)
		return NULL;
	const struct type *t = conv(id);
	return type_is_int(t) && t != &void_type ? t : NULL;
}

/* ---- function prototypes -------------------------------------------------- */

/* The parameters of `proto` from the `skip`-th on, as 8-byte slots (btf.h).
 * Names from `names` (a proto of the same arity) when given. */
static const struct type *proto_record(const struct btf_type *proto, uint32_t skip,
				       const struct btf_type *names)
{
	const struct btf_param *p = btf_params(proto);
	const struct btf_param *np = names ? btf_params(names) : p;
	uint32_t n = btf_vlen(proto);
	/* A trailing parameter of type void is `...`. */
	if (n && !p[n - 1].type)
		n--;
	struct type *rec = type_new(&g.arena, TY_RECORD);
	rec->fields = arena_alloc(&g.arena, (n > skip ? n - skip : 0) * sizeof(struct field));
	uint32_t slot = 0;
	for (uint32_t i = skip; i < n; i++) {
		struct field *f = &rec->fields[rec->nfields++];
		const char *name = btf__name_by_offset(g.btf, np[i].name_off);
		f->name = name && *name ? name : arena_printf(&g.arena, "arg%u", i - skip);
		f->type = conv(p[i].type);
		f->offset = slot * 8;
		uint32_t slots = (f->type->size + 7) / 8;
		slot += slots ? slots : 1;
	}
	rec->size = slot * 8;
	rec->align = 8;
	return rec;
}

/* The FUNC_PROTO of kernel function `func`, or NULL. */
static const struct btf_type *func_proto(const char *func)
{
	uint32_t id = find_type(func, BTF_KIND_FUNC);
	const struct btf_type *t = type_at(id);
	if (!t)
		return NULL;
	t = type_at(t->type);
	return t && btf_is_func_proto(t) ? t : NULL;
}

const struct type *btf_func_args(struct arena *a, const char *func, struct strbuf *err)
{
	if (!need(err))
		return NULL;
	uint32_t id = find_type(func, BTF_KIND_FUNC);
	const struct btf_type *ft = type_at(id);
	const struct btf_type *proto = ft ? type_at(ft->type) : NULL;
	if (!proto || !btf_is_func_proto(proto)) {
		if (err)
			sb_printf(err, "function %s not found in kernel BTF", func);
		return NULL;
	}
	const struct type *rec = cached_record(id, CACHE_FUNC_ARGS);
	if (!rec) {
		rec = proto_record(proto, 0, NULL);
		vec_push(&g.records, ((struct cached_record){ id, CACHE_FUNC_ARGS, rec }));
	}
	return rec;
}

bool btf_has_func(const char *name)
{
	return load() && find_type(name, BTF_KIND_FUNC) != 0;
}

const struct type *btf_func_return(struct arena *a, const char *func, struct strbuf *err)
{
	if (!need(err))
		return NULL;
	const struct btf_type *proto = func_proto(func);
	if (!proto) {
		if (err)
			sb_printf(err, "function %s not found in kernel BTF", func);
		return NULL;
	}
	return proto->type ? conv(proto->type) : type_none();
}

const struct type *btf_raw_tracepoint_args(struct arena *a, const char *event,
					   struct strbuf *err)
{
	if (!need(err))
		return NULL;
	char *tname = xasprintf("btf_trace_%s", event);
	uint32_t id = find_type(tname, BTF_KIND_TYPEDEF);
	free(tname);
	const struct type *rec = id ? cached_record(id, CACHE_RAWTP_ARGS) : NULL;
	if (rec)
		return rec;
	/* typedef void (*btf_trace_X)(void *__data, args...); */
	const struct btf_type *ptr = type_at(skip_to(id ? btf__type_by_id(g.btf, id)->type : 0,
						     true, NULL, NULL));
	const struct btf_type *proto = ptr && btf_is_ptr(ptr) ?
		type_at(skip_to(ptr->type, true, NULL, NULL)) : NULL;
	if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) < 1) {
		if (err)
			sb_printf(err, "raw tracepoint %s not found in kernel BTF", event);
		return NULL;
	}
	/* The typedef's parameters are unnamed; the stub the kernel defines
	 * for each event (6.4+), or the class's BPF trampoline, names them. */
	const struct btf_type *names = NULL;
	static const char *const prefixes[] = { "__probestub_", "__bpf_trace_" };
	for (size_t i = 0; i < ARRAY_SIZE(prefixes) && !names; i++) {
		char *fname = xasprintf("%s%s", prefixes[i], event);
		const struct btf_type *fp = func_proto(fname);
		free(fname);
		if (fp && btf_vlen(fp) == btf_vlen(proto))
			names = fp;
	}
	rec = proto_record(proto, 1, names);
	vec_push(&g.records, ((struct cached_record){ id, CACHE_RAWTP_ARGS, rec }));
	return rec;
}

bool btf_has_kfunc(const char *name)
{
	struct strbuf err = {0};
	bool ok = need(&err);
	sb_free(&err);
	if (!ok)
		return false;
	int32_t func = btf__find_by_name_kind(g.btf, name, BTF_KIND_FUNC);
	if (func <= 0)
		return false;
	bool tags = false;
	for (uint32_t id = 1; id < g.ntypes; id++) {
		const struct btf_type *t = btf__type_by_id(g.btf, id);
		if (btf_kind(t) != BTF_KIND_DECL_TAG || strcmp(btf__name_by_offset(g.btf, t->name_off), "bpf_kfunc"))
			continue;
		if (t->type == (uint32_t)func)
			return true;
		tags = true;
	}
	return !tags;
}
