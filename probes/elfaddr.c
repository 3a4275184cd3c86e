/* uaddr("symbol"): where a symbol of the probed binary is in the probed
 * process.  A fixed-address executable (ET_EXEC) has it at the symbol's
 * value.  A PIE executable or a library is loaded at a bias known only at
 * run time; at a uprobe, though, the instruction pointer is the probed
 * instruction's address, whose unbiased value is known here, so the symbol
 * is at ip - probe_vaddr + symbol value. */
#include "probe.h"
#include "elfiter.h"

#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <unistd.h>

struct sym_want {
	const char *name;
	GElf_Sym *out;
};

static bool is_wanted(Elf *elf, const GElf_Sym *sym, const char *name, void *arg)
{
	struct sym_want *w = arg;
	if (strcmp(name, w->name))
		return false;
	*w->out = *sym;
	return true;
}

/* The symbol's value and size, from .symtab or .dynsym. */
static bool find_symbol(Elf *elf, const char *want, GElf_Sym *out)
{
	struct sym_want w = { want, out };
	return elf_each_symbol(elf, is_wanted, &w);
}

/* The virtual address of a file offset, through the loadable segments. */
static bool offset_vaddr(Elf *elf, uint64_t off, uint64_t *vaddr)
{
	size_t n;
	if (elf_getphdrnum(elf, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    off >= ph.p_offset && off < ph.p_offset + ph.p_filesz) {
			*vaddr = off - ph.p_offset + ph.p_vaddr;
			return true;
		}
	}
	return false;
}

int elf_symbol_address(const char *path, const char *sym, uint64_t probe_off, struct elf_uaddr *out)
{
	if (elf_version(EV_CURRENT) == EV_NONE || strstr(path, "!/"))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	GElf_Sym s;
	int rc = -1;
	if (elf && gelf_getehdr(elf, &eh)) {
		rc = -2;
		if (find_symbol(elf, sym, &s)) {
			*out = (struct elf_uaddr){ .sym_vaddr = s.st_value, .sym_size = s.st_size,
						   .pie = eh.e_type == ET_DYN };
			rc = !out->pie || offset_vaddr(elf, probe_off, &out->probe_vaddr) ? 0 : -1;
		}
	}
	elf_end(elf);
	close(fd);
	return rc;
}
