/* Shared by the stdlib files: the type rules and emitters of functions.c,
 * listed in builtins.c's table. */
#ifndef TRAWK_STDLIB_INTERNAL_H
#define TRAWK_STDLIB_INTERNAL_H

#include <bpf/libbpf.h>

#include "stdlib.h"

const struct type *t_strftime(struct bi_check *c);
const struct type *t_ntop(struct bi_check *c);
const struct type *t_buf(struct bi_check *c);
const struct type *t_macaddr(struct bi_check *c);
const struct type *t_strlen(struct bi_check *c);
const struct type *t_strncmp(struct bi_check *c);
const struct type *t_strcontains(struct bi_check *c);
const struct type *t_bswap(struct bi_check *c);
const struct type *t_kaddr(struct bi_check *c);
const struct type *t_signal(struct bi_check *c);
const struct type *t_username(struct bi_check *c);
const struct type *t_nsecs(struct bi_check *c);
const struct type *t_ncpus(struct bi_check *c);

LLVMValueRef e_strftime(struct bi_emit *e);
LLVMValueRef e_ntop(struct bi_emit *e);
LLVMValueRef e_buf(struct bi_emit *e);
LLVMValueRef e_macaddr(struct bi_emit *e);
LLVMValueRef e_strlen(struct bi_emit *e);
LLVMValueRef e_strncmp(struct bi_emit *e);
LLVMValueRef e_strcontains(struct bi_emit *e);
LLVMValueRef e_bswap(struct bi_emit *e);
LLVMValueRef e_kaddr(struct bi_emit *e);
LLVMValueRef e_signal(struct bi_emit *e);
LLVMValueRef e_username(struct bi_emit *e);
LLVMValueRef e_nsecs(struct bi_emit *e);
LLVMValueRef e_ncpus(struct bi_emit *e);

const struct type *t_strstr(struct bi_check *c);
const struct type *t_memcmp(struct bi_check *c);
LLVMValueRef e_strstr(struct bi_emit *e);
LLVMValueRef e_memcmp(struct bi_emit *e);

/* typefns.c */
const struct type *t_type_is(struct bi_check *c);
const struct type *t_addrspace(struct bi_check *c);
const struct type *t_pton(struct bi_check *c);
const struct type *t_cgroupid(struct bi_check *c);
const struct type *t_is_err(struct bi_check *c);
const struct type *t_kfunc_exist(struct bi_check *c);
LLVMValueRef e_type_is(struct bi_emit *e);
LLVMValueRef e_identity(struct bi_emit *e);
LLVMValueRef e_pton(struct bi_emit *e);
LLVMValueRef e_cgroupid(struct bi_emit *e);
LLVMValueRef e_is_err(struct bi_emit *e);
LLVMValueRef e_kfunc_exist(struct bi_emit *e);

const struct type *t_name_of(struct bi_check *c);
LLVMValueRef e_name_of(struct bi_emit *e);

/* A signal's number from its name, with or without "SIG"; -1 if unknown. */
int bi_signal_number(const char *name);

#endif
