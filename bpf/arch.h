/* What trawk knows of the machine it traces, in one place: the kernel's
 * struct pt_regs, where functions and syscalls take their arguments and
 * return their value, how to tell user mode, and the kernel layout facts
 * the syscall dispatcher reads.  One file per architecture defines
 * `arch` (arch_x86_64.c today); tests/unit/test_btf.c holds every offset
 * against the running kernel's BTF. */
#ifndef TRAWK_BPF_ARCH_H
#define TRAWK_BPF_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_MAX_ARGS 8

struct arch {
	const char *name;                 /* as uname -m prints it */
	/* struct pt_regs: 8-byte registers in this order, by the names
	 * reg() takes (the kernel's member names). */
	const char *const *regs;
	unsigned nregs;
	/* A function's arguments in registers, as pt_regs offsets; the rest
	 * are on the stack from stack_args (bytes above the stack pointer). */
	uint32_t func_args[ARCH_MAX_ARGS];
	unsigned nfunc_args;
	uint32_t stack_args;
	/* A syscall's arguments as the kernel's syscall events see them. */
	uint32_t syscall_args[6];
	uint32_t ret, sp, ip;             /* return value, stack and instruction pointers */
	uint32_t syscall_nr;              /* the number, kept through the syscall */
	/* User mode: (mode_reg & mode_mask) == user_mode. */
	uint32_t mode_reg;
	uint64_t mode_mask, user_mode;
	/* thread_info (the first member of task_struct): the status word's
	 * offset and its bit set during a 32-bit syscall (0: no such mode). */
	uint32_t status_offset;
	uint64_t compat_flag;
};

extern const struct arch arch;

/* The byte offset of register name in struct pt_regs, or -1. */
int arch_reg_offset(const char *name);

/* Where function argument i is: true with *off its pt_regs offset, or
 * false with *off its offset above the stack pointer. */
bool arch_func_arg(unsigned i, uint32_t *off);

#endif
