/* The BPF bytecode of a compiled object, as text: each program section
 * disassembled with LLVM's BPF disassembler, map references named from
 * the object's relocations, and the functions of a section that holds
 * several (the syscall tracepoint programs) named where they start. */
#include "disasm.h"

#include <gelf.h>
#include <llvm-c/Disassembler.h>
#include <llvm-c/Target.h>
#include <stdlib.h>
#include <string.h>

struct reloc {
	uint64_t offset;
	const char *symbol;
};

/* Relocations of section `target`: where a map's address gets patched in. */
static size_t relocs_for(Elf *elf, size_t target, size_t strndx_sym, Elf_Data *syms, struct reloc *out, size_t max)
{
	size_t n = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL || sh.sh_info != target)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; data && i < count && n < max; i++) {
			GElf_Rel rel;
			GElf_Sym sym;
			if (!gelf_getrel(data, (int)i, &rel) || !gelf_getsym(syms, (int)GELF_R_SYM(rel.r_info), &sym))
				continue;
			out[n].offset = rel.r_offset;
			out[n].symbol = elf_strptr(elf, strndx_sym, sym.st_name);
			n++;
		}
	}
	return n;
}

/* The functions defined in section `target`, as relocations at their
 * starts; NULL when there are fewer than two. */
static struct reloc *functions_in(Elf *elf, size_t target, size_t strndx_sym, Elf_Data *syms, size_t *n)
{
	struct reloc *fns = NULL;
	size_t count = 0, cap = 0;
	GElf_Sym sym;
	for (int i = 0; syms && gelf_getsym(syms, i, &sym); i++) {
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx != target)
			continue;
		if (count == cap)
			fns = xrealloc(fns, (cap = cap ? cap * 2 : 8) * sizeof(*fns));
		fns[count++] = (struct reloc){ sym.st_value, elf_strptr(elf, strndx_sym, sym.st_name) };
	}
	if (count < 2) {
		free(fns);
		fns = NULL;
		count = 0;
	}
	*n = count;
	return fns;
}

static void dump_section(LLVMDisasmContextRef dc, Elf *elf, Elf_Scn *scn, const char *name,
			 size_t strndx_sym, Elf_Data *syms, struct strbuf *out)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !data->d_size)
		return;
	static struct reloc relocs[4096];
	size_t nrel = relocs_for(elf, elf_ndxscn(scn), strndx_sym, syms, relocs, ARRAY_SIZE(relocs));
	size_t nfns;
	struct reloc *fns = functions_in(elf, elf_ndxscn(scn), strndx_sym, syms, &nfns);
	sb_printf(out, "%s:\n", name);
	const uint8_t *code = data->d_buf;
	size_t size = data->d_size;
	for (size_t off = 0; off < size;) {
		for (size_t i = 0; i < nfns; i++)
			if (fns[i].offset == off)
				sb_printf(out, " %s:\n", fns[i].symbol);
		char text[256];
		size_t n = LLVMDisasmInstruction(dc, (uint8_t *)code + off, size - off, off, text, sizeof(text));
		if (!n) {
			sb_printf(out, "  %4zu:\t<unknown>\n", off / 8);
			n = 8;
		} else {
			sb_printf(out, "  %4zu:\t%s", off / 8, text[0] == '\t' ? text + 1 : text);
			for (size_t r = 0; r < nrel; r++)
				if (relocs[r].offset == off && relocs[r].symbol)
					sb_printf(out, "\t; %s", relocs[r].symbol);
			sb_putc(out, '\n');
		}
		off += n;
	}
	sb_putc(out, '\n');
	free(fns);
}

int bpf_disassemble(const void *obj, size_t len, struct strbuf *out)
{
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFDisassembler();
	LLVMDisasmContextRef dc = LLVMCreateDisasm("bpfel", NULL, 0, NULL, NULL);
	if (!dc || elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	Elf *elf = elf_memory((char *)obj, len);
	size_t shstrndx;
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		LLVMDisasmDispose(dc);
		return -1;
	}
	Elf_Data *syms = NULL;
	size_t strndx_sym = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			syms = elf_getdata(scn, NULL);
			strndx_sym = sh.sh_link;
		}
	}
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		dump_section(dc, elf, scn, elf_strptr(elf, shstrndx, sh.sh_name), strndx_sym, syms, out);
	}
	elf_end(elf);
	LLVMDisasmDispose(dc);
	return 0;
}
