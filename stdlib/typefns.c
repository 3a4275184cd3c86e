/* Functions answered at compile time from what sema knows: the type
 * predicates (is_str, is_ptr, ...), address spaces (kptr, uptr), pton() of
 * a literal, cgroupid() of a path; and is_err(), the kernel's IS_ERR(). */
#include "internal.h"

#include "../types/btf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "../types/type.h"

/* ---- is_str, is_ptr, is_array, is_integer, is_unsigned_integer, is_literal ---- */

static bool holds(const struct bi_arg *a, const struct type *t, const char *name)
{
	if (!strcmp(name, "is_str"))
		return t->kind == TY_STRING;
	if (!strcmp(name, "is_ptr"))
		return t->kind == TY_PTR;
	if (!strcmp(name, "is_array"))
		return t->kind == TY_ARRAY;
	if (!strcmp(name, "is_integer"))
		return t->kind == TY_INT;
	if (!strcmp(name, "is_unsigned_integer"))
		return t->kind == TY_INT && !t->is_signed;
	return a->is_const || a->str;   /* is_literal */
}

const struct type *t_type_is(struct bi_check *c)
{
	return type_bool();
}

LLVMValueRef e_type_is(struct bi_emit *e)
{
	return bpffn_i64(e->f, holds(&e->argc[0], e->argt[0], e->bi->name));
}

/* ---- kptr, uptr ---- */

const struct type *t_addrspace(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	if (t->kind != TY_PTR) {
		bi_arg_error(c, 0, "a pointer");
		return NULL;
	}
	return type_ptr(c->a, t->elem, c->bi->name[0] == 'k' ? AS_KERNEL : AS_USER);
}

LLVMValueRef e_identity(struct bi_emit *e)
{
	return e->args[0];
}

/* ---- pton("addr"): the address's bytes, as char[4] or char[16] ---- */

static int parse_address(const char *s, unsigned char out[16])
{
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, out) == 1)
		return 16;
	return -1;
}

const struct type *t_pton(struct bi_check *c)
{
	unsigned char bytes[16];
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "pton() takes an address as a string literal");
		return NULL;
	}
	int n = parse_address(c->args[0].str, bytes);
	if (n < 0) {
		diag_error(c->d, &c->args[0].loc, "pton(): '%s' is not an IPv4 or IPv6 address", c->args[0].str);
		return NULL;
	}
	return type_array(c->a, type_int(1, false), (uint32_t)n);
}

LLVMValueRef e_pton(struct bi_emit *e)
{
	unsigned char bytes[16];
	int n = parse_address(e->argc[0].str, bytes);
	LLVMValueRef buf = bpffn_temp(e->f, 16);
	for (int i = 0; i < n; i += 4) {
		uint32_t word;
		memcpy(&word, bytes + i, 4);
		bpffn_store_int(e->f, bpffn_offset(e->f, buf, (uint32_t)i), bpffn_i64(e->f, word), 4);
	}
	return buf;
}

/* ---- cgroupid("/sys/fs/cgroup/..."): the cgroup's id, its file handle ---- */

static int cgroup_id(const char *path, uint64_t *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mount_id;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
		return -1;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

const struct type *t_cgroupid(struct bi_check *c)
{
	uint64_t id;
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "cgroupid() takes a cgroup's path as a string literal");
		return NULL;
	}
	if (cgroup_id(c->args[0].str, &id)) {
		diag_error(c->d, &c->args[0].loc, "cgroupid(): cannot read the cgroup id of '%s': %s",
			   c->args[0].str, strerror(errno));
		return NULL;
	}
	return type_u64();
}

LLVMValueRef e_cgroupid(struct bi_emit *e)
{
	uint64_t id = 0;
	cgroup_id(e->argc[0].str, &id);
	return bpffn_i64(e->f, (int64_t)id);
}

/* ---- is_err(ptr): a kernel pointer that holds an errno (-4095..-1) ---- */

const struct type *t_is_err(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	if (t->kind != TY_PTR && t->kind != TY_INT) {
		bi_arg_error(c, 0, "a pointer or an integer");
		return NULL;
	}
	return type_bool();
}

LLVMValueRef e_is_err(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMValueRef v = e->args[0];
	if (LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind)
		v = LLVMBuildPtrToInt(f->m->b, v, f->m->i64, "");
	LLVMValueRef err = LLVMBuildICmp(f->m->b, LLVMIntUGE, v, bpffn_i64(f, -4095), "");
	return LLVMBuildZExt(f->m->b, err, f->m->i64, "");
}

/* ---- kfunc_exist("name"): answered from the kernel's BTF ---- */

const struct type *t_kfunc_exist(struct bi_check *c)
{
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "kfunc_exist() takes a kfunc's name as a string literal");
		return NULL;
	}
	return type_bool();
}

LLVMValueRef e_kfunc_exist(struct bi_emit *e)
{
	return bpffn_i64(e->f, btf_has_kfunc(e->argc[0].str));
}
