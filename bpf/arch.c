/* The architecture-independent half of bpf/arch.h. */
#include "arch.h"

#include <string.h>

int arch_reg_offset(const char *name)
{
	for (unsigned i = 0; i < arch.nregs; i++)
		if (!strcmp(arch.regs[i], name))
			return (int)(i * 8);
	return -1;
}

bool arch_func_arg(unsigned i, uint32_t *off)
{
	if (i < arch.nfunc_args) {
		*off = arch.func_args[i];
		return true;
	}
	*off = arch.stack_args + 8 * (i - arch.nfunc_args);
	return false;
}
