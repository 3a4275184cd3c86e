/* Value functions: strings, addresses, time, bytes.  Each has a type rule
 * and an emitter; builtins.c lists them in the table. */
#include "internal.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../types/kallsyms.h"
#include "../types/syscalls.h"

static LLVMValueRef i64c(struct bi_emit *e, uint64_t v)
{
	return bpffn_i64(e->f, v);
}

/* ---- strftime(fmt, ns) ---- */

const struct type *t_strftime(struct bi_check *c)
{
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "strftime() format must be a string literal");
		return NULL;
	}
	if (!type_is_int(c->args[1].type)) {
		bi_arg_error(c, 1, "a boot-time timestamp in nanoseconds");
		return NULL;
	}
	struct type *t = type_new(c->a, TY_TIMESTAMP);
	t->size = t->align = 8;
	t->fmt = c->args[0].str;
	return t;
}

LLVMValueRef e_strftime(struct bi_emit *e)
{
	LLVMValueRef buf = bpffn_temp(e->f, 8);
	bpffn_store_int(e->f, buf, e->args[1], 8);
	return buf;
}

/* ---- ntop([af,] addr) ---- */

const struct type *t_ntop(struct bi_check *c)
{
	size_t a = c->nargs - 1;
	const struct type *t = c->args[a].type;
	bool ok = type_is_int(t) ||
		  ((t->kind == TY_ARRAY || t->kind == TY_STRING) && (t->size == 4 || t->size == 16));
	if (!ok) {
		bi_arg_error(c, a, "an IPv4 address (an integer or 4 bytes) or an IPv6 address (16 bytes)");
		return NULL;
	}
	if (c->nargs == 2 && !type_is_int(c->args[0].type)) {
		bi_arg_error(c, 0, "an address family (AF_INET or AF_INET6)");
		return NULL;
	}
	return type_simple(TY_INET);
}

/* { u64 family; u8 addr[16] }: the family from the argument, else from
 * the address's size. */
LLVMValueRef e_ntop(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	size_t a = e->nargs - 1;
	const struct type *t = e->argt[a];
	LLVMValueRef buf = bpffn_temp(f, 24);
	bpffn_memset0(f, buf, 24, 8);
	uint64_t family = t->size == 16 ? AF_INET6 : AF_INET;
	bpffn_store_int(f, buf, e->nargs == 2 ? e->args[0] : i64c(e, family), 8);
	if (type_is_int(t))
		bpffn_store_int(f, bpffn_offset(f, buf, 8), e->args[a], 4);
	else
		bpffn_memcpy(f, bpffn_offset(f, buf, 8), e->args[a], t->size, 1);
	return buf;
}

/* ---- macaddr(addr) ---- */

/* Six bytes: the first six of an array, or read from a pointer (an
 * integer is an address in the probe's own address space). */
const struct type *t_macaddr(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	bool array = t->kind == TY_ARRAY || t->kind == TY_STRING;
	if (!(array && t->size >= 6) && t->kind != TY_PTR && !type_is_int(t)) {
		bi_arg_error(c, 0, "a MAC address: an array of at least 6 bytes or a pointer to one");
		return NULL;
	}
	return type_simple(TY_MACADDR);
}

LLVMValueRef e_macaddr(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	const struct type *at = e->argt[0];
	LLVMValueRef mac = bpffn_temp(f, 8);
	bpffn_memset0(f, mac, 8, 8);
	if (at->kind == TY_ARRAY || at->kind == TY_STRING) {
		bpffn_memcpy(f, mac, e->args[0], 6, 1);
		return mac;
	}
	LLVMValueRef args[3] = { mac, LLVMConstInt(f->m->i32, 6, false),
				 LLVMBuildIntToPtr(b, e->args[0], f->m->ptr, "") };
	bool user = at->kind == TY_PTR && at->as != AS_NONE ? at->as == AS_USER : e->user;
	bpffn_helper(f, user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, f->m->i64, args, 3);
	return mac;
}

/* ---- buf(ptr[, len]) ---- */

const struct type *t_buf(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	if (t->kind != TY_PTR && t->kind != TY_ARRAY && t->kind != TY_STRING && !type_is_int(t)) {
		bi_arg_error(c, 0, "a pointer or an array");
		return NULL;
	}
	uint64_t size = t->kind == TY_ARRAY || t->kind == TY_STRING ? t->size : c->cfg->max_strlen;
	if (c->nargs > 1) {
		if (!type_is_int(c->args[1].type)) {
			bi_arg_error(c, 1, "a length");
			return NULL;
		}
		if (c->args[1].is_const && c->args[1].ival >= 0 && (uint64_t)c->args[1].ival < size)
			size = (uint64_t)c->args[1].ival;
	} else if (t->kind == TY_PTR) {
		diag_error(c->d, &c->loc, "buf() of a pointer needs a length: buf(ptr, len)");
		return NULL;
	}
	return type_buffer(c->a, (uint32_t)size);
}

/* { u32 len; u8 data[] }: at most the type's size, fewer when the run-time
 * length is shorter. */
LLVMValueRef e_buf(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	const struct type *at = e->argt[0];
	uint32_t cap = e->type->count;
	LLVMValueRef buf = bpffn_temp(f, e->type->size);
	bpffn_memset0(f, buf, ALIGN_UP(e->type->size, 8), 8);
	LLVMValueRef len = i64c(e, cap);
	if (e->nargs > 1 && !(e->argc && e->argc[1].is_const)) {
		LLVMValueRef want = e->args[1];
		len = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntULT, want, len, ""), want, len, "");
	}
	if (at->kind == TY_ARRAY || at->kind == TY_STRING) {
		bpffn_memcpy(f, bpffn_offset(f, buf, 4), e->args[0], cap, 1);
		bpffn_store_int(f, buf, len, 4);
		return buf;
	}
	LLVMValueRef addr = LLVMBuildIntToPtr(b, e->args[0], f->m->ptr, "");
	LLVMValueRef args[3] = { bpffn_offset(f, buf, 4), LLVMBuildTrunc(b, len, f->m->i32, ""), addr };
	bool user = at->kind == TY_PTR && at->as != AS_NONE ? at->as == AS_USER : e->user;
	bpffn_helper(f, user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, f->m->i64, args, 3);
	bpffn_store_int(f, buf, len, 4);
	return buf;
}

/* ---- strlen, strncmp, strcontains ---- */

static bool want_string(struct bi_check *c, size_t i)
{
	if (c->args[i].type->kind == TY_STRING)
		return true;
	bi_arg_error(c, i, "a string");
	return false;
}

const struct type *t_strlen(struct bi_check *c)
{
	return want_string(c, 0) ? type_u64() : NULL;
}

const struct type *t_strncmp(struct bi_check *c)
{
	if (!want_string(c, 0) || !want_string(c, 1))
		return NULL;
	if (!c->args[2].is_const || c->args[2].ival < 0) {
		diag_error(c->d, &c->args[2].loc, "strncmp() length must be a non-negative integer constant");
		return NULL;
	}
	return type_s64();
}

const struct type *t_strcontains(struct bi_check *c)
{
	return want_string(c, 0) && want_string(c, 1) ? type_bool() : NULL;
}

static LLVMValueRef byte_at(struct bpf_fn *f, LLVMValueRef s, LLVMValueRef i)
{
	LLVMValueRef p = bpffn_offset_dyn(f, s, i);
	return LLVMBuildZExt(f->m->b, LLVMBuildLoad2(f->m->b, f->m->i8, p, ""), f->m->i64, "");
}

/* A loop i = 0..n-1 whose body may leave early with a result; returns the
 * result phi. */
struct scan {
	struct bpf_fn *f;
	LLVMBasicBlockRef pre, loop, next, done;
	LLVMValueRef i, result;
	VEC(LLVMValueRef) vals;
	VEC(LLVMBasicBlockRef) from;
};

static void scan_begin(struct scan *sc, struct bpf_fn *f, uint32_t n)
{
	LLVMBuilderRef b = f->m->b;
	sc->f = f;
	sc->pre = LLVMGetInsertBlock(b);
	sc->loop = bpffn_block(f, "scan.loop");
	sc->next = bpffn_block(f, "scan.next");
	sc->done = bpffn_block(f, "scan.done");
	LLVMBuildCondBr(b, LLVMConstInt(f->m->i1, n > 0, 0), sc->loop, sc->done);
	LLVMPositionBuilderAtEnd(b, sc->loop);
	sc->i = LLVMBuildPhi(b, f->m->i64, "i");
}

/* Leaves the loop with value v when cond holds. */
static void scan_exit_if(struct scan *sc, LLVMValueRef cond, LLVMValueRef v)
{
	LLVMBuilderRef b = sc->f->m->b;
	LLVMBasicBlockRef cont = bpffn_block(sc->f, "scan.body");
	vec_push(&sc->vals, v);
	vec_push(&sc->from, LLVMGetInsertBlock(b));
	LLVMBuildCondBr(b, cond, sc->done, cont);
	LLVMPositionBuilderAtEnd(b, cont);
}

static LLVMValueRef scan_end(struct scan *sc, uint32_t n, LLVMValueRef at_end)
{
	struct bpf_fn *f = sc->f;
	LLVMBuilderRef b = f->m->b;
	LLVMBuildBr(b, sc->next);
	LLVMPositionBuilderAtEnd(b, sc->next);
	LLVMValueRef i1 = LLVMBuildAdd(b, sc->i, bpffn_i64(f, 1), "");
	vec_push(&sc->vals, at_end);
	vec_push(&sc->from, sc->next);
	LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntULT, i1, bpffn_i64(f, n), ""), sc->loop, sc->done);
	LLVMValueRef iv[2] = { bpffn_i64(f, 0), i1 };
	LLVMBasicBlockRef ib[2] = { sc->pre, sc->next };
	LLVMAddIncoming(sc->i, iv, ib, 2);
	LLVMPositionBuilderAtEnd(b, sc->done);
	LLVMValueRef r = LLVMBuildPhi(b, f->m->i64, "");
	vec_push(&sc->vals, at_end);
	vec_push(&sc->from, sc->pre);
	LLVMAddIncoming(r, sc->vals.v, sc->from.v, (unsigned)sc->vals.n);
	vec_free(&sc->vals);
	vec_free(&sc->from);
	return r;
}

LLVMValueRef e_strlen(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	uint32_t n = e->argt[0]->size;
	struct scan sc = {0};
	scan_begin(&sc, f, n);
	LLVMValueRef c = byte_at(f, e->args[0], sc.i);
	scan_exit_if(&sc, LLVMBuildICmp(f->m->b, LLVMIntEQ, c, bpffn_i64(f, 0), ""), sc.i);
	return scan_end(&sc, n, bpffn_i64(f, n));
}

/* 0 when the first n bytes are equal (stopping at a NUL), 1 otherwise. */
LLVMValueRef e_strncmp(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	uint64_t want = (uint64_t)e->argc[2].ival;
	uint32_t n = e->argt[0]->size < e->argt[1]->size ? e->argt[0]->size : e->argt[1]->size;
	if (want < n)
		n = (uint32_t)want;
	struct scan sc = {0};
	scan_begin(&sc, f, n);
	LLVMValueRef ca = byte_at(f, e->args[0], sc.i), cb = byte_at(f, e->args[1], sc.i);
	scan_exit_if(&sc, LLVMBuildICmp(b, LLVMIntNE, ca, cb, ""), bpffn_i64(f, 1));
	scan_exit_if(&sc, LLVMBuildICmp(b, LLVMIntEQ, ca, bpffn_i64(f, 0), ""), bpffn_i64(f, 0));
	return scan_end(&sc, n, bpffn_i64(f, 0));
}

/* Where needle first occurs in haystack, or -1.  Tries each start
 * position. */
static LLVMValueRef find_substring(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	uint32_t hn = e->argt[0]->size, nn = e->argt[1]->size;
	LLVMValueRef none = bpffn_i64(f, (uint64_t)-1);
	struct scan outer = {0};
	scan_begin(&outer, f, hn);
	LLVMValueRef start = outer.i;
	struct scan inner = {0};
	scan_begin(&inner, f, nn);
	LLVMValueRef want = byte_at(f, e->args[1], inner.i);
	/* The whole needle matched: found. */
	scan_exit_if(&inner, LLVMBuildICmp(b, LLVMIntEQ, want, bpffn_i64(f, 0), ""), bpffn_i64(f, 1));
	LLVMValueRef pos = LLVMBuildAdd(b, start, inner.i, "");
	LLVMValueRef in = LLVMBuildICmp(b, LLVMIntULT, pos, bpffn_i64(f, hn), "");
	LLVMValueRef safe = LLVMBuildSelect(b, in, pos, bpffn_i64(f, 0), "");
	LLVMValueRef have = LLVMBuildSelect(b, in, byte_at(f, e->args[0], safe), bpffn_i64(f, 0), "");
	scan_exit_if(&inner, LLVMBuildICmp(b, LLVMIntNE, have, want, ""), bpffn_i64(f, 0));
	LLVMValueRef found = scan_end(&inner, nn, bpffn_i64(f, 1));
	scan_exit_if(&outer, LLVMBuildICmp(b, LLVMIntNE, found, bpffn_i64(f, 0), ""), start);
	LLVMValueRef end = byte_at(f, e->args[0], start);
	scan_exit_if(&outer, LLVMBuildICmp(b, LLVMIntEQ, end, bpffn_i64(f, 0), ""), none);
	return scan_end(&outer, hn, none);
}

LLVMValueRef e_strcontains(struct bi_emit *e)
{
	LLVMBuilderRef b = e->f->m->b;
	LLVMValueRef at = find_substring(e);
	return LLVMBuildZExt(b, LLVMBuildICmp(b, LLVMIntSGE, at, bpffn_i64(e->f, 0), ""), e->f->m->i64, "");
}

const struct type *t_strstr(struct bi_check *c)
{
	return want_string(c, 0) && want_string(c, 1) ? type_s64() : NULL;
}

LLVMValueRef e_strstr(struct bi_emit *e)
{
	return find_substring(e);
}

/* memcmp(a, b, n): strings, arrays or buffers compared byte by byte over
 * a constant n, as C's: the difference of the first bytes that differ. */
static bool in_memory(const struct type *t)
{
	return t->kind == TY_STRING || t->kind == TY_ARRAY || t->kind == TY_BUFFER ||
	       t->kind == TY_STRUCT || t->kind == TY_TUPLE || t->kind == TY_RECORD;
}

const struct type *t_memcmp(struct bi_check *c)
{
	for (size_t i = 0; i < 2; i++) {
		if (!in_memory(c->args[i].type)) {
			bi_arg_error(c, i, "a string, an array, a buffer or a struct");
			return NULL;
		}
	}
	uint32_t most = c->args[0].type->size < c->args[1].type->size ? c->args[0].type->size : c->args[1].type->size;
	if (!c->args[2].is_const || c->args[2].ival < 0 || (uint64_t)c->args[2].ival > most) {
		diag_error(c->d, &c->args[2].loc, "memcmp() length must be an integer constant from 0 to %u, "
			   "the size of the smaller operand", most);
		return NULL;
	}
	return type_s64();
}

LLVMValueRef e_memcmp(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	uint32_t n = (uint32_t)e->argc[2].ival;
	struct scan sc = {0};
	scan_begin(&sc, f, n);
	LLVMValueRef ca = byte_at(f, e->args[0], sc.i), cb = byte_at(f, e->args[1], sc.i);
	scan_exit_if(&sc, LLVMBuildICmp(b, LLVMIntNE, ca, cb, ""), LLVMBuildSub(b, ca, cb, ""));
	return scan_end(&sc, n, bpffn_i64(f, 0));
}

/* ---- bswap, kaddr, signal, username, nsecs(clock), ncpus ---- */

const struct type *t_bswap(struct bi_check *c)
{
	const struct type *t = c->args[0].type;
	if (t->kind != TY_INT) {
		bi_arg_error(c, 0, "an integer");
		return NULL;
	}
	/* A variable holds its integer widened: swap the value's own bytes. */
	unsigned size = t->is_literal ? 8 : t->size;
	if (c->args[0].value_size && c->args[0].value_size < size)
		size = c->args[0].value_size;
	return type_int(size, false);
}

LLVMValueRef e_bswap(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	unsigned size = e->type->size;
	if (size == 1)
		return e->args[0];
	LLVMTypeRef it = LLVMIntTypeInContext(f->m->ctx, size * 8);
	unsigned id = LLVMLookupIntrinsicID("llvm.bswap", 10);
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(f->m->mod, id, &it, 1);
	LLVMValueRef arg = LLVMBuildTrunc(b, e->args[0], it, "");
	LLVMValueRef r = LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, &arg, 1, "");
	return LLVMBuildZExt(b, r, f->m->i64, "");
}

/* kaddr("symbol"): the address from /proc/kallsyms, at compile time. */
const struct type *t_kaddr(struct bi_check *c)
{
	if (!c->args[0].str) {
		diag_error(c->d, &c->args[0].loc, "kaddr() takes a symbol name as a string literal");
		return NULL;
	}
	uint64_t addr = 0;
	if (!kallsyms_addr(c->args[0].str, &addr)) {
		diag_error(c->d, &c->args[0].loc, "kernel symbol '%s' not found in /proc/kallsyms", c->args[0].str);
		/* Without CONFIG_KALLSYMS_ALL a kernel lists a few dozen data symbols. */
		if (kallsyms_data_symbols() < 1000)
			diag_note(c->d, NULL, "this kernel lists functions but almost no data symbols in "
				  "/proc/kallsyms (built without CONFIG_KALLSYMS_ALL): variables have no address here");
		return NULL;
	}
	c->args[0].ival = (int64_t)addr;   /* kept for the emitter */
	struct type *t = type_new(c->a, TY_PTR);
	*t = *type_ptr(c->a, type_int(8, false), AS_KERNEL);
	return t;
}

LLVMValueRef e_kaddr(struct bi_emit *e)
{
	return i64c(e, (uint64_t)e->argc[0].ival);
}

static const struct { const char *name; int num; } signals[] = {
	{ "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT }, { "SIGILL", SIGILL },
	{ "SIGTRAP", SIGTRAP }, { "SIGABRT", SIGABRT }, { "SIGBUS", SIGBUS }, { "SIGFPE", SIGFPE },
	{ "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGSEGV", SIGSEGV }, { "SIGUSR2", SIGUSR2 },
	{ "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM }, { "SIGCHLD", SIGCHLD },
	{ "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP }, { "SIGTSTP", SIGTSTP }, { "SIGTTIN", SIGTTIN },
	{ "SIGTTOU", SIGTTOU }, { "SIGURG", SIGURG }, { "SIGXCPU", SIGXCPU }, { "SIGXFSZ", SIGXFSZ },
	{ "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF }, { "SIGWINCH", SIGWINCH }, { "SIGIO", SIGIO },
	{ "SIGSYS", SIGSYS },
};

int bi_signal_number(const char *name)
{
	const char *n = strncmp(name, "SIG", 3) ? name : name + 3;
	for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
		if (!strcmp(signals[i].name + 3, n))
			return signals[i].num;
	return -1;
}

const struct type *t_signal(struct bi_check *c)
{
	if (!c->cfg->unsafe) {
		diag_error(c->d, &c->loc, "%s() sends signals and is unsafe: use --unsafe to allow it", c->bi->name);
		return NULL;
	}
	if (c->args[0].str) {
		int sig = bi_signal_number(c->args[0].str);
		if (sig < 0) {
			diag_error(c->d, &c->args[0].loc, "unknown signal '%s'", c->args[0].str);
			return NULL;
		}
		c->args[0].ival = sig;
		c->args[0].is_const = true;
	} else if (!type_is_int(c->args[0].type)) {
		bi_arg_error(c, 0, "a signal number or name");
		return NULL;
	}
	return type_none();
}

LLVMValueRef e_signal(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMValueRef sig = e->argc[0].is_const ? i64c(e, (uint64_t)e->argc[0].ival) : e->args[0];
	LLVMValueRef args[1] = { LLVMBuildTrunc(f->m->b, sig, f->m->i32, "") };
	bpffn_helper(f, e->bi->id == BI_SIGNAL_THREAD ? BPF_FUNC_send_signal_thread : BPF_FUNC_send_signal,
		     f->m->i64, args, 1);
	return i64c(e, 0);
}

const struct type *t_username(struct bi_check *c)
{
	return type_simple(TY_USERNAME);
}

LLVMValueRef e_username(struct bi_emit *e)
{
	LLVMValueRef v = bpffn_helper(e->f, BPF_FUNC_get_current_uid_gid, e->f->m->i64, NULL, 0);
	return LLVMBuildAnd(e->f->m->b, v, i64c(e, 0xffffffffULL), "");
}

/* nsecs, nsecs(boot|monotonic|tai) */
const struct type *t_nsecs(struct bi_check *c)
{
	if (c->nargs && (!c->args[0].ident || (strcmp(c->args[0].ident, "boot") &&
		strcmp(c->args[0].ident, "monotonic") && strcmp(c->args[0].ident, "tai") &&
		strcmp(c->args[0].ident, "sw_tai")))) {
		diag_error(c->d, &c->args[0].loc, "nsecs() clock must be boot, monotonic, tai or sw_tai");
		return NULL;
	}
	return type_u64();
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* TAI minus boot time, read between two boot-time reads (the tightest of
 * a few tries): nsecs(sw_tai) is the boot clock plus this, for kernels
 * whose programs cannot read the TAI clock (before 6.1). */
static uint64_t tai_offset(void)
{
	uint64_t best = 0, width = UINT64_MAX;
	for (int i = 0; i < 5; i++) {
		uint64_t b0 = clock_ns(CLOCK_BOOTTIME), tai = clock_ns(CLOCK_TAI), b1 = clock_ns(CLOCK_BOOTTIME);
		if (b1 - b0 < width) {
			width = b1 - b0;
			best = tai - (b0 + (b1 - b0) / 2);
		}
	}
	return best;
}

LLVMValueRef e_nsecs(struct bi_emit *e)
{
	if (e->nargs && e->argc && !strcmp(e->argc[0].ident, "sw_tai")) {
		LLVMValueRef boot = bpffn_helper(e->f, BPF_FUNC_ktime_get_boot_ns, e->f->m->i64, NULL, 0);
		return LLVMBuildAdd(e->f->m->b, boot, i64c(e, tai_offset()), "");
	}
	enum bpf_func_id id = BPF_FUNC_ktime_get_boot_ns;
	if (e->nargs && e->argc && !strcmp(e->argc[0].ident, "monotonic"))
		id = BPF_FUNC_ktime_get_ns;
	else if (e->nargs && e->argc && !strcmp(e->argc[0].ident, "tai"))
		id = BPF_FUNC_ktime_get_tai_ns;
	return bpffn_helper(e->f, id, e->f->m->i64, NULL, 0);
}

const struct type *t_ncpus(struct bi_check *c)
{
	return type_u64();
}

LLVMValueRef e_ncpus(struct bi_emit *e)
{
	int n = libbpf_num_possible_cpus();
	return i64c(e, n > 0 ? (uint64_t)n : 1);
}

/* ---- strerror, signal_name, syscall_name: tables in .rodata ---- */

#define ERRNO_MAX 134
#define NAME_WIDTHS_ERR 64
#define NAME_WIDTHS_SIG 16
#define NAME_WIDTHS_SYS 32

const struct type *t_name_of(struct bi_check *c)
{
	if (!type_is_int(c->args[0].type)) {
		bi_arg_error(c, 0, "an integer");
		return NULL;
	}
	uint32_t width = c->bi->id == BI_STRERROR ? NAME_WIDTHS_ERR :
			 c->bi->id == BI_SIGNAL_NAME ? NAME_WIDTHS_SIG : NAME_WIDTHS_SYS;
	return type_string(c->a, width);
}

static const char *const *table_of(enum bi_id id, size_t *n, const char **name)
{
	static const char *errs[ERRNO_MAX], *sigs[65];
	if (id == BI_STRERROR) {
		for (int i = 0; i < ERRNO_MAX && !errs[ERRNO_MAX - 1]; i++)
			errs[i] = i ? strerrordesc_np(i) : "Success";
		*n = ERRNO_MAX;
		*name = "strerror_table";
		return errs;
	}
	if (id == BI_SIGNAL_NAME) {
		for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
			sigs[signals[i].num] = signals[i].name;
		*n = ARRAY_SIZE(sigs);
		*name = "signal_table";
		return sigs;
	}
	*n = syscall_count;
	*name = "syscall_table";
	return syscall_names;
}

/* The number's row of the table, or an empty string when it has none. */
LLVMValueRef e_name_of(struct bi_emit *e)
{
	struct bpf_fn *f = e->f;
	LLVMBuilderRef b = f->m->b;
	size_t n;
	const char *tname;
	const char *const *strs = table_of(e->bi->id, &n, &tname);
	uint32_t width = e->type->size;
	LLVMValueRef table = bpfmod_string_table(f->m, tname, strs, n, width);
	LLVMValueRef out = bpffn_temp(f, width);
	bpffn_memset0(f, out, width, 8);
	LLVMBasicBlockRef in = bpffn_block(f, "table.in");
	LLVMBasicBlockRef done = bpffn_block(f, "table.done");
	LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntULT, e->args[0], i64c(e, n), ""), in, done);
	LLVMPositionBuilderAtEnd(b, in);
	LLVMValueRef off = LLVMBuildMul(b, e->args[0], i64c(e, width), "");
	bpffn_memcpy(f, out, bpffn_offset_dyn(f, table, off), width, 8);
	LLVMBuildBr(b, done);
	LLVMPositionBuilderAtEnd(b, done);
	return out;
}
