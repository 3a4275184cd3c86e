/* x86_64: the System V calling convention, the kernel's syscall
 * convention (r10 for the fourth argument) and its struct pt_regs. */
#include "arch.h"

#if !defined(__x86_64__)
#error "trawk traces the machine it runs on, and knows only x86_64's registers (bpf/arch.h)"
#endif

static const char *const regs[] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx",
	"si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss",
};

#define R(i) ((uint32_t)(i) * 8)
enum { R15, R14, R13, R12, BP, BX, R11, R10, R9, R8, AX, CX, DX, SI, DI, ORIG_AX, IP, CS, FLAGS, SP, SS };

const struct arch arch = {
	.name = "x86_64",
	.regs = regs,
	.nregs = sizeof(regs) / sizeof(regs[0]),
	.func_args = { R(DI), R(SI), R(DX), R(CX), R(R8), R(R9) },
	.nfunc_args = 6,
	.stack_args = 8,   /* the return address is at sp */
	.syscall_args = { R(DI), R(SI), R(DX), R(R10), R(R8), R(R9) },
	.ret = R(AX),
	.sp = R(SP),
	.ip = R(IP),
	.syscall_nr = R(ORIG_AX),
	.mode_reg = R(CS),   /* the privilege level: cs's low two bits */
	.mode_mask = 3,
	.user_mode = 3,
	.status_offset = 16,   /* thread_info { flags; syscall_work; status } since 5.11 */
	.compat_flag = 0x2,    /* TS_COMPAT */
};
