/* Kernel BTF to struct type (types/btf.c), against the running kernel's
 * /sys/kernel/btf/vmlinux.  The expected offsets and ids come from libbpf's
 * btf API directly (an independent reading of the same BTF), so the tests
 * hold on any kernel that has these types. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <bpf/btf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "types/btf.h"
#include "bpf/arch.h"
#include "probes/probe.h"

static struct arena arena;
static struct btf *oracle;   /* our own copy of vmlinux BTF */

/* ---- oracle helpers --------------------------------------------------------- */

static int32_t oracle_id(const char *name, int kind)
{
	return btf__find_by_name_kind(oracle, name, (uint32_t)kind);
}

static const struct btf_type *oracle_skip(uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(oracle, id);
	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(oracle, t->type);
	return t;
}

/* Absolute bit offset of `member` in struct `t`, searching anonymous
 * members too; -1 when absent. */
static long member_bits(const struct btf_type *t, const char *member, uint32_t *bitfield)
{
	const struct btf_member *m = btf_members(t);
	for (uint32_t i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(oracle, m[i].name_off);
		if (n && !strcmp(n, member)) {
			if (bitfield)
				*bitfield = btf_member_bitfield_size(t, i);
			return btf_member_bit_offset(t, i);
		}
		if (!n || !*n) {
			const struct btf_type *u = oracle_skip(m[i].type);
			if (u && btf_is_composite(u)) {
				long r = member_bits(u, member, bitfield);
				if (r >= 0)
					return r + btf_member_bit_offset(t, i);
			}
		}
	}
	return -1;
}

static long oracle_bits(const char *sname, const char *member, uint32_t *bitfield)
{
	int32_t id = oracle_id(sname, BTF_KIND_STRUCT);
	assert_true(id > 0);
	return member_bits(btf__type_by_id(oracle, (uint32_t)id), member, bitfield);
}

static const struct field *field(const struct type *t, const char *name)
{
	assert_non_null(t);
	for (uint32_t i = 0; i < t->nfields; i++)
		if (t->fields[i].name && !strcmp(t->fields[i].name, name))
			return &t->fields[i];
	fail_msg("no field %s", name);
	return NULL;
}

static const struct type *kstruct(const char *name)
{
	struct strbuf err = {0};
	const struct type *t = btf_struct(&arena, name, false, &err);
	if (!t)
		fail_msg("%s: %s", name, sb_str(&err));
	sb_free(&err);
	return t;
}

static void want_name(const struct type *t, const char *want)
{
	struct strbuf sb = {0};
	type_name(&sb, t);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_available(void **state)
{
	(void)state;
	assert_true(btf_available());
	struct strbuf err = {0};
	assert_true(btf_load(&err));
	assert_int_equal(err.len, 0);
	sb_free(&err);
}

static void test_task_struct(void **state)
{
	(void)state;
	const struct type *ts = kstruct("task_struct");
	int32_t id = oracle_id("task_struct", BTF_KIND_STRUCT);
	assert_int_equal(ts->kind, TY_STRUCT);
	assert_string_equal(ts->name, "task_struct");
	assert_false(ts->is_union);
	assert_int_equal(ts->btf_id, id);
	assert_int_equal(ts->size, btf__type_by_id(oracle, (uint32_t)id)->size);
	assert_true(ts->align >= 8);
	assert_true(ts->nfields > 50);

	const struct field *pid = field(ts, "pid");
	assert_int_equal(pid->type->kind, TY_INT);
	assert_int_equal(pid->type->size, 4);
	assert_true(pid->type->is_signed);
	assert_string_equal(pid->type->name, "pid_t");
	assert_int_equal(pid->bit_size, 0);
	assert_int_equal(pid->offset * 8, oracle_bits("task_struct", "pid", NULL));
	assert_true(type_equal(pid->type, type_int(4, true)));

	const struct field *comm = field(ts, "comm");
	assert_int_equal(comm->type->kind, TY_STRING);
	assert_int_equal(comm->type->size, 16);
	assert_int_equal(comm->offset * 8, oracle_bits("task_struct", "comm", NULL));

	/* Cached: the same type twice, also spelled "struct task_struct". */
	assert_ptr_equal(kstruct("task_struct"), ts);
	assert_ptr_equal(kstruct("struct task_struct"), ts);
}

static void test_pointer_to_incomplete(void **state)
{
	(void)state;
	const struct type *ts = kstruct("task_struct");
	const struct field *rp = field(ts, "real_parent");
	assert_int_equal(rp->offset * 8, oracle_bits("task_struct", "real_parent", NULL));
	assert_int_equal(rp->type->kind, TY_PTR);
	assert_int_equal(rp->type->as, AS_KERNEL);
	assert_int_equal(rp->type->size, 8);
	const struct type *stub = rp->type->elem;
	assert_int_equal(stub->kind, TY_STRUCT);
	assert_string_equal(stub->name, "task_struct");
	assert_int_equal(stub->nfields, 0);
	assert_int_equal(stub->btf_id, ts->btf_id);
	assert_int_equal(stub->size, ts->size);   /* so pointer arithmetic works */
	assert_true(type_equal(stub, ts));
	want_name(rp->type, "struct task_struct *");

	struct strbuf err = {0};
	assert_ptr_equal(btf_complete(&arena, stub, &err), ts);
	/* By name, as sema and tpformat build them (btf_id -1 or 0). */
	struct type *byname = type_new(&arena, TY_STRUCT);
	byname->name = "task_struct";
	byname->btf_id = -1;
	assert_ptr_equal(btf_complete(&arena, byname, &err), ts);
	byname->btf_id = 0;
	assert_ptr_equal(btf_complete(&arena, byname, &err), ts);
	/* Complete or non-struct types pass through. */
	assert_ptr_equal(btf_complete(&arena, ts, &err), ts);
	assert_ptr_equal(btf_complete(&arena, type_u64(), &err), type_u64());
	assert_int_equal(err.len, 0);
	/* Two levels down: task->mm->pgd, a pointer to an anonymous struct
	 * named by a typedef (typedef struct { pgdval_t pgd; } pgd_t). */
	const struct type *mm = btf_complete(&arena, field(ts, "mm")->type->elem, &err);
	assert_string_equal(mm->name, "mm_struct");
	assert_true(mm->nfields > 0);
	const struct type *pgd = field(mm, "pgd")->type;
	assert_int_equal(pgd->kind, TY_PTR);
	assert_string_equal(pgd->elem->name, "pgd_t");
	assert_int_equal(pgd->elem->nfields, 0);
	assert_int_equal(pgd->elem->size, 8);
	const struct type *pgdt = btf_complete(&arena, pgd->elem, &err);
	assert_string_equal(pgdt->name, "pgd_t");
	assert_int_equal(field(pgdt, "pgd")->type->size, 8);
	assert_true(type_equal(pgd->elem, pgdt));
	assert_int_equal(err.len, 0);
	sb_free(&err);
}

static void test_typedef_named_struct_inline(void **state)
{
	(void)state;
	/* struct cred { ... kuid_t uid; ... }, typedef struct { uid_t val; } kuid_t */
	const struct type *cred = kstruct("cred");
	const struct type *uid = field(cred, "uid")->type;
	assert_int_equal(uid->kind, TY_STRUCT);
	assert_string_equal(uid->name, "kuid_t");
	assert_int_equal(uid->size, 4);
	const struct field *val = field(uid, "val");
	assert_int_equal(val->offset, 0);
	assert_string_equal(val->type->name, "uid_t");
	assert_int_equal(field(cred, "uid")->offset * 8, oracle_bits("cred", "uid", NULL));
	/* The same type for every kuid_t field. */
	assert_ptr_equal(field(cred, "euid")->type, uid);
}

static void test_void_and_function_pointers(void **state)
{
	(void)state;
	const struct type *ts = kstruct("task_struct");
	const struct type *stack = field(ts, "stack")->type;   /* void *stack */
	assert_int_equal(stack->kind, TY_PTR);
	assert_int_equal(stack->elem->kind, TY_INT);
	assert_int_equal(stack->elem->size, 1);
	want_name(stack, "void *");
	const struct type *fops = kstruct("file_operations");
	const struct type *read = field(fops, "read")->type;
	assert_int_equal(read->kind, TY_PTR);
	assert_true(type_equal(read->elem, type_int(1, false)));
}

static void test_union_field(void **state)
{
	(void)state;
	const struct type *ts = kstruct("task_struct");
	const struct field *f = field(ts, "rcu_read_unlock_special");
	assert_int_equal(f->offset * 8, oracle_bits("task_struct", "rcu_read_unlock_special", NULL));
	const struct type *u = f->type;
	assert_int_equal(u->kind, TY_STRUCT);
	assert_true(u->is_union);
	assert_string_equal(u->name, "rcu_special");
	assert_int_equal(u->size, 4);
	const struct field *s = field(u, "s");
	assert_int_equal(s->offset, 0);
	assert_int_equal(s->type->size, 4);
	/* Nested struct members come fully resolved, inline. */
	const struct type *b = field(u, "b")->type;
	assert_int_equal(b->kind, TY_STRUCT);
	assert_true(b->nfields > 0);
	want_name(u, "union rcu_special");

	/* A union asked for as such. */
	struct strbuf err = {0};
	const struct type *byname = btf_struct(&arena, "rcu_special", true, &err);
	assert_ptr_equal(byname, u);
	assert_ptr_equal(btf_struct(&arena, "union rcu_special", false, &err), u);
	sb_free(&err);
}

static void check_bitfield(const struct type *st, const char *sname, const char *name,
			     unsigned want_bits)
{
	uint32_t bits = 0;
	long at = oracle_bits(sname, name, &bits);
	const struct field *f = field(st, name);
	assert_int_equal(bits, want_bits);
	assert_int_equal(f->bit_size, bits);
	assert_int_equal(f->offset * 8 + f->bit_offset, at);
	/* Loading the declared type at offset covers the bits. */
	assert_int_equal(f->offset % f->type->size, 0);
	assert_true(f->bit_offset + f->bit_size <= f->type->size * 8);
}

static void test_bitfields(void **state)
{
	(void)state;
	const struct type *ts = kstruct("task_struct");
	check_bitfield(ts, "task_struct", "sched_reset_on_fork", 1);
	check_bitfield(ts, "task_struct", "in_iowait", 1);
	assert_true(field(ts, "in_iowait")->bit_offset > 0);
	const struct field *f = field(ts, "sched_reset_on_fork");
	assert_true(type_equal(f->type, type_int(4, false)));

	const struct type *skb = kstruct("sk_buff");
	check_bitfield(skb, "sk_buff", "fclone", 2);
	check_bitfield(skb, "sk_buff", "cloned", 1);
	assert_int_equal(field(skb, "fclone")->type->size, 1);
}

static void test_anonymous_members(void **state)
{
	(void)state;
	const struct type *skb = kstruct("sk_buff");
	/* tstamp is in an anonymous union; next and dev in an anonymous struct in
	 * an anonymous union; len is a direct member. */
	static const char *const names[] = { "next", "prev", "dev", "tstamp", "len", "sk",
					      "rbnode", "protocol", "head", "data" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		long bits = oracle_bits("sk_buff", names[i], NULL);
		assert_true(bits >= 0);
		assert_int_equal(field(skb, names[i])->offset * 8, bits);
	}
	/* Every field has a name: the anonymous members were flattened. */
	for (uint32_t i = 0; i < skb->nfields; i++)
		assert_non_null(skb->fields[i].name);
	/* dev and dev_scratch share the same bytes. */
	assert_int_equal(field(skb, "dev")->offset, field(skb, "dev_scratch")->offset);
}

static void test_enums(void **state)
{
	(void)state;
	int64_t v = -1;
	assert_true(btf_enum_value("TCP_ESTABLISHED", &v));
	assert_int_equal(v, 1);
	assert_true(btf_enum_value("BPF_MAP_TYPE_HASH", &v));
	assert_int_equal(v, 1);
	assert_true(btf_enum_value("BPF_MAP_TYPE_ARRAY", &v));
	assert_int_equal(v, 2);
	assert_true(btf_enum_value("TCP_CLOSE", &v));
	assert_int_equal(v, 7);
	assert_false(btf_enum_value("NO_SUCH_ENUMERATOR_XYZ", &v));
	assert_false(btf_enum_value("TASK_COMM_LEN_NOT_AN_ENUM", &v));

	/* A field of enum type: an int of the enum's size, named after it. */
	const struct type *map = kstruct("bpf_map");
	const struct type *mt = field(map, "map_type")->type;
	assert_int_equal(mt->kind, TY_INT);
	assert_int_equal(mt->size, 4);
	assert_string_equal(mt->name, "enum bpf_map_type");
	assert_int_equal(mt->btf_id, oracle_id("bpf_map_type", BTF_KIND_ENUM));
	assert_string_equal(btf_enum_name(mt->btf_id, 1), "BPF_MAP_TYPE_HASH");
	assert_null(btf_enum_name(mt->btf_id, 100000));
	assert_null(btf_enum_name(0, 1));
}

static void test_typedefs(void **state)
{
	(void)state;
	const struct type *t = btf_typedef(&arena, "u64");
	assert_non_null(t);
	assert_int_equal(t->kind, TY_INT);
	assert_int_equal(t->size, 8);
	assert_false(t->is_signed);
	assert_string_equal(t->name, "u64");
	want_name(t, "u64");
	t = btf_typedef(&arena, "pid_t");
	assert_non_null(t);
	assert_int_equal(t->size, 4);
	assert_true(t->is_signed);
	assert_string_equal(t->name, "pid_t");
	assert_true(type_equal(t, type_int(4, true)));
	t = btf_typedef(&arena, "u8");
	assert_int_equal(t->size, 1);
	assert_false(t->is_signed);
	t = btf_typedef(&arena, "bool");
	assert_non_null(t);
	assert_int_equal(t->kind, TY_BOOL);
	assert_null(btf_typedef(&arena, "atomic_t"));          /* a struct */
	assert_null(btf_typedef(&arena, "no_such_typedef_xyz"));
}

static void test_missing_struct(void **state)
{
	(void)state;
	struct strbuf err = {0};
	assert_null(btf_struct(&arena, "no_such_struct_xyz", false, &err));
	assert_string_equal(sb_str(&err), "struct no_such_struct_xyz not found in kernel BTF");
	sb_reset(&err);
	assert_null(btf_struct(&arena, "no_such_union_xyz", true, &err));
	assert_string_equal(sb_str(&err), "union no_such_union_xyz not found in kernel BTF");
	sb_reset(&err);
	struct type *stub = type_new(&arena, TY_STRUCT);
	stub->name = "no_such_struct_xyz";
	stub->btf_id = -1;
	assert_null(btf_complete(&arena, stub, &err));
	assert_string_equal(sb_str(&err), "struct no_such_struct_xyz not found in kernel BTF");
	/* err may be NULL */
	assert_null(btf_struct(&arena, "no_such_struct_xyz", false, NULL));
	sb_free(&err);
}

static void test_raw_tracepoint_args(void **state)
{
	(void)state;
	struct strbuf err = {0};
	const struct type *r = btf_raw_tracepoint_args(&arena, "sched_switch", &err);
	if (!r)
		fail_msg("%s", sb_str(&err));
	assert_int_equal(r->kind, TY_RECORD);
	assert_int_equal(r->nfields, 4);
	static const char *const names[] = { "preempt", "prev", "next", "prev_state" };
	for (uint32_t i = 0; i < 4; i++) {
		assert_string_equal(r->fields[i].name, names[i]);
		assert_int_equal(r->fields[i].offset, 8 * i);
	}
	assert_int_equal(r->fields[0].type->kind, TY_BOOL);
	const struct type *prev = r->fields[1].type;
	assert_int_equal(prev->kind, TY_PTR);
	assert_string_equal(prev->elem->name, "task_struct");
	assert_int_equal(prev->elem->nfields, 0);
	assert_ptr_equal(btf_complete(&arena, prev->elem, &err), kstruct("task_struct"));
	assert_true(type_equal(r->fields[3].type, type_int(4, false)));
	assert_int_equal(r->size, 32);
	assert_int_equal(r->align, 8);
	assert_ptr_equal(btf_raw_tracepoint_args(&arena, "sched_switch", &err), r);

	/* Another shape: sys_enter(struct pt_regs *regs, long id). */
	r = btf_raw_tracepoint_args(&arena, "sys_enter", &err);
	assert_non_null(r);
	assert_int_equal(r->nfields, 2);
	assert_string_equal(r->fields[0].name, "regs");
	assert_string_equal(r->fields[1].name, "id");
	assert_true(type_equal(r->fields[1].type, type_int(8, true)));
	assert_int_equal(err.len, 0);

	assert_null(btf_raw_tracepoint_args(&arena, "no_such_event_xyz", &err));
	assert_string_equal(sb_str(&err), "raw tracepoint no_such_event_xyz not found in kernel BTF");
	sb_free(&err);
}

static void test_func_args(void **state)
{
	(void)state;
	struct strbuf err = {0};
	/* ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos) */
	const struct type *r = btf_func_args(&arena, "vfs_read", &err);
	if (!r)
		fail_msg("%s", sb_str(&err));
	assert_int_equal(r->kind, TY_RECORD);
	assert_int_equal(r->nfields, 4);
	static const char *const names[] = { "file", "buf", "count", "pos" };
	for (uint32_t i = 0; i < 4; i++) {
		assert_string_equal(r->fields[i].name, names[i]);
		assert_int_equal(r->fields[i].offset, 8 * i);
	}
	assert_int_equal(r->size, 32);
	const struct type *file = r->fields[0].type;
	assert_int_equal(file->kind, TY_PTR);
	assert_string_equal(file->elem->name, "file");
	assert_int_equal(r->fields[1].type->kind, TY_PTR);
	assert_true(type_equal(r->fields[1].type->elem, type_int(1, true)));   /* char */
	assert_string_equal(r->fields[2].type->name, "size_t");
	assert_true(type_equal(r->fields[2].type, type_u64()));
	assert_int_equal(r->fields[3].type->kind, TY_PTR);
	assert_string_equal(r->fields[3].type->elem->name, "loff_t");
	assert_ptr_equal(btf_func_args(&arena, "vfs_read", &err), r);

	const struct type *ret = btf_func_return(&arena, "vfs_read", &err);
	assert_non_null(ret);
	assert_string_equal(ret->name, "ssize_t");
	assert_true(type_equal(ret, type_s64()));
	/* void function, no arguments: void schedule(void) */
	ret = btf_func_return(&arena, "schedule", &err);
	assert_non_null(ret);
	assert_int_equal(ret->kind, TY_NONE);
	r = btf_func_args(&arena, "schedule", &err);
	assert_non_null(r);
	assert_int_equal(r->nfields, 0);
	assert_int_equal(r->size, 0);
	assert_int_equal(err.len, 0);

	assert_null(btf_func_args(&arena, "no_such_function_xyz", &err));
	assert_string_equal(sb_str(&err), "function no_such_function_xyz not found in kernel BTF");
	sb_reset(&err);
	assert_null(btf_func_return(&arena, "no_such_function_xyz", &err));
	assert_string_equal(sb_str(&err), "function no_such_function_xyz not found in kernel BTF");
	sb_free(&err);
}

/* Many lookups switch from libbpf's linear search to our index: the answers
 * must not change. */
static void test_many_lookups(void **state)
{
	(void)state;
	static const char *const structs[] = {
		"task_struct", "mm_struct", "file", "inode", "dentry", "sock", "sk_buff",
		"net_device", "super_block", "cred", "page", "bio", "request", "vm_area_struct",
		"files_struct", "fs_struct", "nsproxy", "pid_namespace", "signal_struct",
		"sighand_struct", "sock_common", "tcp_sock", "inet_sock", "path", "qstr",
	};
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < ARRAY_SIZE(structs); i++) {
			const struct type *t = kstruct(structs[i]);
			assert_int_equal(t->btf_id, oracle_id(structs[i], BTF_KIND_STRUCT));
		}
	}
	static const char *const funcs[] = { "vfs_read", "vfs_write", "do_sys_openat2",
					     "tcp_sendmsg", "schedule", "kfree" };
	for (size_t i = 0; i < ARRAY_SIZE(funcs); i++) {
		struct strbuf err = {0};
		const struct type *r = btf_func_args(&arena, funcs[i], &err);
		assert_non_null(r);
		int32_t id = oracle_id(funcs[i], BTF_KIND_FUNC);
		const struct btf_type *proto = btf__type_by_id(oracle, btf__type_by_id(oracle, (uint32_t)id)->type);
		assert_int_equal(r->nfields, btf_vlen(proto));
		sb_free(&err);
	}
	const struct type *t = btf_typedef(&arena, "u32");
	assert_string_equal(t->name, "u32");
	assert_null(btf_typedef(&arena, "no_such_typedef_xyz"));
	struct strbuf err = {0};
	assert_null(btf_struct(&arena, "no_such_struct_xyz", false, &err));
	sb_free(&err);
}

/* Every struct and union of the kernel converts, with fields inside it. */
static void test_all_structs(void **state)
{
	(void)state;
	uint32_t n = btf__type_cnt(oracle);
	unsigned count = 0;
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *bt = btf__type_by_id(oracle, id);
		if (!btf_is_composite(bt))
			continue;
		struct type stub = { .kind = TY_STRUCT, .btf_id = (int32_t)id,
				     .is_union = btf_is_union(bt) };
		struct strbuf err = {0};
		const struct type *t = btf_complete(&arena, &stub, &err);
		assert_non_null(t);
		assert_int_equal(t->size, bt->size);
		assert_int_equal(t->is_union, btf_is_union(bt));
		assert_true(t->align >= 1 && t->align <= 128);
		for (uint32_t i = 0; i < t->nfields; i++) {
			const struct field *f = &t->fields[i];
			assert_non_null(f->name);
			assert_non_null(f->type);
			if (f->bit_size)
				assert_true((f->offset * 8 + f->bit_offset + f->bit_size) <= t->size * 8);
			else
				assert_true(f->offset + f->type->size <= t->size);
		}
		sb_free(&err);
		count++;
	}
	assert_true(count > 1000);
}

static void test_reload_and_bad_path(void **state)
{
	(void)state;
	btf_free();
	btf_set_path("/nonexistent/btf-file");
	assert_false(btf_available());
	struct strbuf err = {0};
	assert_null(btf_struct(&arena, "task_struct", false, &err));
	assert_non_null(strstr(sb_str(&err), "cannot load BTF from /nonexistent/btf-file"));
	int64_t v;
	assert_false(btf_enum_value("TCP_ESTABLISHED", &v));
	assert_null(btf_typedef(&arena, "u64"));
	/* A failed load is remembered. */
	sb_reset(&err);
	assert_false(btf_load(&err));
	assert_non_null(strstr(sb_str(&err), "cannot load BTF from"));
	btf_free();
	/* An explicit raw BTF file works like the kernel's. */
	btf_set_path("/sys/kernel/btf/vmlinux");
	sb_reset(&err);
	const struct type *ts = btf_struct(&arena, "task_struct", false, &err);
	assert_non_null(ts);
	assert_int_equal(field(ts, "pid")->offset * 8, oracle_bits("task_struct", "pid", NULL));
	btf_free();
	/* And back to the default. */
	assert_true(btf_available());
	assert_non_null(kstruct("task_struct"));
	sb_free(&err);
}

static int setup(void **state)
{
	(void)state;
	oracle = btf__load_vmlinux_btf();
	return oracle ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	btf_free();
	btf__free(oracle);
	arena_free(&arena);
	return 0;
}

/* bpf/arch.h against the running kernel: every register by name, the
 * roles codegen reads them in, and what the syscall dispatcher reads. */
static void test_arch_abi(void **state)
{
	(void)state;
	for (unsigned i = 0; i < arch.nregs; i++)
		assert_int_equal(oracle_bits("pt_regs", arch.regs[i], NULL), arch_reg_offset(arch.regs[i]) * 8);
	assert_int_equal(arch_reg_offset("no_such_register"), -1);
	static const char *const sys[6] = { "di", "si", "dx", "r10", "r8", "r9" };
	static const char *const fn[6] = { "di", "si", "dx", "cx", "r8", "r9" };
	for (int i = 0; i < 6; i++) {
		assert_int_equal(oracle_bits("pt_regs", sys[i], NULL), arch.syscall_args[i] * 8);
		uint32_t off;
		assert_true(arch_func_arg((unsigned)i, &off));
		assert_int_equal(oracle_bits("pt_regs", fn[i], NULL), off * 8);
	}
	uint32_t off;
	assert_false(arch_func_arg(6, &off));
	assert_int_equal(off, 8);   /* the seventh just above the return address */
	assert_int_equal(oracle_bits("pt_regs", "orig_ax", NULL), arch.syscall_nr * 8);
	assert_int_equal(oracle_bits("pt_regs", "ax", NULL), arch.ret * 8);
	assert_int_equal(oracle_bits("pt_regs", "sp", NULL), arch.sp * 8);
	assert_int_equal(oracle_bits("pt_regs", "ip", NULL), arch.ip * 8);
	assert_int_equal(oracle_bits("pt_regs", "cs", NULL), arch.mode_reg * 8);
	assert_int_equal(oracle_bits("task_struct", "thread_info", NULL), 0);
	assert_int_equal(oracle_bits("thread_info", "status", NULL), arch.status_offset * 8);
	const struct btf_type *ti = oracle_skip((uint32_t)oracle_id("thread_info", BTF_KIND_STRUCT));
	const struct btf_member *m = btf_members(ti);
	for (uint32_t i = 0; i < btf_vlen(ti); i++)
		if (!strcmp(btf__name_by_offset(oracle, m[i].name_off), "status"))
			assert_int_equal(btf__resolve_size(oracle, m[i].type), 4);
}

int main(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		/* Nothing to test against (a container without sysfs BTF). */
		puts("no kernel BTF: skipped");
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_available),
		cmocka_unit_test(test_task_struct),
		cmocka_unit_test(test_pointer_to_incomplete),
		cmocka_unit_test(test_typedef_named_struct_inline),
		cmocka_unit_test(test_void_and_function_pointers),
		cmocka_unit_test(test_union_field),
		cmocka_unit_test(test_bitfields),
		cmocka_unit_test(test_anonymous_members),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_typedefs),
		cmocka_unit_test(test_missing_struct),
		cmocka_unit_test(test_raw_tracepoint_args),
		cmocka_unit_test(test_func_args),
		cmocka_unit_test(test_many_lookups),
		cmocka_unit_test(test_all_structs),
		cmocka_unit_test(test_reload_and_bad_path),
		cmocka_unit_test(test_arch_abi),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
