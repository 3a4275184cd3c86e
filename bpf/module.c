#include "module.h"

#include <bpf/libbpf.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/Support.h>
#include <llvm/Config/llvm-config.h>
#include <llvm-c/ErrorHandling.h>
#include <stdio.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <string.h>

#define DW_ATE_signed 0x05

/* LLVM ends the process on a fatal error; say what happened first. */
static void llvm_fatal(const char *reason)
{
	fprintf(stderr, "trawk: internal error: LLVM could not compile this script: %s\n"
		"trawk: this is a bug in trawk; please report it with the script\n", reason);
	fflush(stderr);
}

/* The instruction scheduler before register allocation: LLVM's default
 * for BPF takes time quadratic in a basic block's length (20,000
 * statements: minutes).  list-burr is linear, and as it schedules to keep
 * few values live, a printf of many arguments still fits the 512-byte
 * stack ("source", also linear, spills more and does not).
 *
 * "v3" code, plus v4's long jump (gotol, kernel 6.6+): v3 branches reach
 * only 32767 instructions, and LLVM gives up on a probe with a long body
 * ("Branch target out of insn range"); with gotol it rewrites the branches
 * that would not reach and nothing else.  v4's other instructions (sign-
 * extending loads and moves, bswap, signed division, immediate stores) stay
 * off: the code is v3's otherwise.  LLVM only takes these as options. */
static const char *cpu_name(void)
{
	static bool done;
	if (!done) {
		static const char *const argv[] = {
			"trawk", "-pre-RA-sched=list-burr",
#if LLVM_VERSION_MAJOR >= 19
			"-disable-ldsx", "-disable-movsx", "-disable-bswap",
			"-disable-sdiv-smod", "-disable-storeimm",
#endif
		};
		LLVMParseCommandLineOptions((int)ARRAY_SIZE(argv), argv, NULL);
		done = true;
	}
#if LLVM_VERSION_MAJOR >= 19
	return "v4";
#else
	return "v3";
#endif
}

static LLVMTargetMachineRef create_target_machine(struct strbuf *err)
{
	LLVMInstallFatalErrorHandler(llvm_fatal);
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
	LLVMTargetRef target;
	char *msg = NULL;
	if (LLVMGetTargetFromTriple("bpfel", &target, &msg)) {
		sb_printf(err, "LLVM has no BPF target: %s", msg ? msg : "?");
		LLVMDisposeMessage(msg);
		return NULL;
	}
	/* LLVM 19's generic CPU is v1, which lacks 32-bit jumps and ALU32. */
	return LLVMCreateTargetMachine(target, "bpfel", cpu_name(), "", LLVMCodeGenLevelDefault,
				       LLVMRelocDefault, LLVMCodeModelDefault);
}

static void setup_debug_info(struct bpf_module *m, const char *source_name, bool is_file)
{
	m->di = LLVMCreateDIBuilder(m->mod);
	/* LLVM reads the named file for the line text it puts in BTF: a script
	 * that is not a file (-e, stdin) gets a directory that cannot hold one,
	 * so an unrelated ./stdin is never read. */
	const char *dir = is_file ? "." : "/dev/null";
	m->di_file = LLVMDIBuilderCreateFile(m->di, source_name, strlen(source_name), dir, strlen(dir));
	m->di_cu = LLVMDIBuilderCreateCompileUnit(
		m->di, LLVMDWARFSourceLanguageC, m->di_file, "trawk", 5, 1, "", 0, 0, "", 0,
		LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0);
	m->di_int = LLVMDIBuilderCreateBasicType(m->di, "int", 3, 32, DW_ATE_signed, LLVMDIFlagZero);
	LLVMMetadataRef void_ptr = LLVMDIBuilderCreatePointerType(m->di, NULL, 64, 64, 0, NULL, 0);
	LLVMMetadataRef sig[2] = { m->di_int, void_ptr };
	m->di_fn_type = LLVMDIBuilderCreateSubroutineType(m->di, m->di_file, sig, 2, LLVMDIFlagZero);
	LLVMValueRef ver = LLVMConstInt(m->i32, LLVMDebugMetadataVersion(), 0);
	LLVMAddModuleFlag(m->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
			  LLVMValueAsMetadata(ver));
	LLVMAddModuleFlag(m->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
			  LLVMValueAsMetadata(LLVMConstInt(m->i32, 5, 0)));
}

struct bpf_module *bpfmod_new(const char *source_name, bool is_file)
{
	struct bpf_module *m = xcalloc(1, sizeof(*m));
	m->tm = create_target_machine(&m->err);
	if (!m->tm) {
		sb_free(&m->err);
		free(m);
		return NULL;
	}
	m->ctx = LLVMContextCreate();
	m->mod = LLVMModuleCreateWithNameInContext("trawk", m->ctx);
	LLVMSetTarget(m->mod, "bpfel");
	LLVMTargetDataRef td = LLVMCreateTargetDataLayout(m->tm);
	LLVMSetModuleDataLayout(m->mod, td);
	LLVMDisposeTargetData(td);
	m->b = LLVMCreateBuilderInContext(m->ctx);
	m->i1 = LLVMInt1TypeInContext(m->ctx);
	m->i8 = LLVMInt8TypeInContext(m->ctx);
	m->i16 = LLVMInt16TypeInContext(m->ctx);
	m->i32 = LLVMInt32TypeInContext(m->ctx);
	m->i64 = LLVMInt64TypeInContext(m->ctx);
	m->ptr = LLVMPointerTypeInContext(m->ctx, 0);
	m->void_t = LLVMVoidTypeInContext(m->ctx);
	m->dbg_kind = LLVMGetMDKindIDInContext(m->ctx, "dbg", 3);
	setup_debug_info(m, source_name, is_file);
	return m;
}

void bpfmod_free(struct bpf_module *m)
{
	if (!m)
		return;
	LLVMDisposeDIBuilder(m->di);
	LLVMDisposeBuilder(m->b);
	LLVMDisposeModule(m->mod);
	LLVMContextDispose(m->ctx);
	LLVMDisposeTargetMachine(m->tm);
	sb_free(&m->err);
	free(m);
}

/* "int (*name)[n]": how libbpf's __uint() encodes a number in BTF. */
static LLVMMetadataRef uint_member(struct bpf_module *m, const char *name, uint32_t n, unsigned index)
{
	LLVMMetadataRef range = LLVMDIBuilderGetOrCreateSubrange(m->di, 0, n);
	LLVMMetadataRef arr = LLVMDIBuilderCreateArrayType(m->di, (uint64_t)n * 32, 32, m->di_int, &range, 1);
	LLVMMetadataRef ptr = LLVMDIBuilderCreatePointerType(m->di, arr, 64, 64, 0, NULL, 0);
	return LLVMDIBuilderCreateMemberType(m->di, m->di_file, name, strlen(name), m->di_file, 0,
					     64, 64, (uint64_t)index * 64, LLVMDIFlagZero, ptr);
}

static LLVMValueRef map_global(struct bpf_module *m, const char *name, unsigned nfields)
{
	LLVMTypeRef fields[5] = { m->ptr, m->ptr, m->ptr, m->ptr, m->ptr };
	LLVMTypeRef st = LLVMStructTypeInContext(m->ctx, fields, nfields, 0);
	LLVMValueRef gv = LLVMAddGlobal(m->mod, st, name);
	/* libbpf refuses static maps: external linkage, zero initializer. */
	LLVMSetInitializer(gv, LLVMConstNull(st));
	LLVMSetSection(gv, ".maps");
	LLVMSetAlignment(gv, 8);
	return gv;
}

static void map_debug_info(struct bpf_module *m, LLVMValueRef gv, const char *name, enum bpf_map_type type,
			   uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	LLVMMetadataRef members[5];
	unsigned n = 0;
	members[n] = uint_member(m, "type", type, n), n++;
	members[n] = uint_member(m, "max_entries", max_entries, n), n++;
	if (key_size)
		members[n] = uint_member(m, "key_size", key_size, n), n++;
	if (value_size)
		members[n] = uint_member(m, "value_size", value_size, n), n++;
	if (flags)
		members[n] = uint_member(m, "map_flags", flags, n), n++;
	LLVMMetadataRef st = LLVMDIBuilderCreateStructType(m->di, m->di_file, "", 0, m->di_file, 0,
							   (uint64_t)n * 64, 64, LLVMDIFlagZero, NULL,
							   members, n, 0, NULL, "", 0);
	LLVMMetadataRef expr = LLVMDIBuilderCreateExpression(m->di, NULL, 0);
	LLVMMetadataRef gve = LLVMDIBuilderCreateGlobalVariableExpression(
		m->di, m->di_cu, name, strlen(name), name, strlen(name), m->di_file, 0, st, 0, expr, NULL, 64);
	LLVMGlobalSetMetadata(gv, m->dbg_kind, gve);
}

LLVMValueRef bpfmod_map_flags(struct bpf_module *m, const char *name, enum bpf_map_type type,
			      uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	unsigned nfields = 2 + (key_size != 0) + (value_size != 0) + (flags != 0);
	LLVMValueRef gv = map_global(m, name, nfields);
	map_debug_info(m, gv, name, type, key_size, value_size, max_entries, flags);
	return gv;
}

LLVMValueRef bpfmod_map(struct bpf_module *m, const char *name, enum bpf_map_type type,
			uint32_t key_size, uint32_t value_size, uint32_t max_entries)
{
	return bpfmod_map_flags(m, name, type, key_size, value_size, max_entries, 0);
}

LLVMValueRef bpfmod_string_table(struct bpf_module *m, const char *name, const char *const *strs,
				 size_t n, uint32_t width)
{
	LLVMValueRef gv = LLVMGetNamedGlobal(m->mod, name);
	if (gv)
		return gv;
	LLVMValueRef *rows = xcalloc(n ? n : 1, sizeof(*rows));
	char *row = xcalloc(1, width);
	for (size_t i = 0; i < n; i++) {
		memset(row, 0, width);
		if (strs[i])
			strncpy(row, strs[i], width - 1);
		rows[i] = LLVMConstStringInContext(m->ctx, row, width, 1);
	}
	LLVMTypeRef rt = LLVMArrayType2(m->i8, width);
	LLVMValueRef init = LLVMConstArray2(rt, rows, n);
	gv = LLVMAddGlobal(m->mod, LLVMTypeOf(init), name);
	LLVMSetInitializer(gv, init);
	LLVMSetGlobalConstant(gv, 1);
	LLVMSetLinkage(gv, LLVMInternalLinkage);
	LLVMSetAlignment(gv, 8);
	free(rows);
	free(row);
	return gv;
}

static void add_license(struct bpf_module *m, const char *license)
{
	LLVMValueRef init = LLVMConstStringInContext(m->ctx, license, strlen(license), 0);
	LLVMValueRef gv = LLVMAddGlobal(m->mod, LLVMTypeOf(init), "_license");
	LLVMSetInitializer(gv, init);
	LLVMSetSection(gv, "license");
}

/* The BPF backend expands a memset/memcpy inline into at most 128 stores,
 * each as wide as the operands' known alignment allows; one that needs more
 * would become a library call, which BPF cannot make ("A call to built-in
 * function 'memset' is not supported").  The optimiser creates such calls
 * itself, e.g. by merging adjacent small memsets of a string's tail into one
 * byte-aligned memset of a kilobyte, so every memory intrinsic is checked
 * after optimisation and the ones the backend cannot take are lowered. */
#define BACKEND_MAX_STORES 128
/* Pieces of a split memset stay well under the limit, remainder included. */
#define SPLIT_STORES 120
/* From this size a zero-fill or copy costs fewer instructions as one
 * helper call than as inline stores (a kilobyte string would take 256
 * instructions to copy), and big records stay within the 16-bit reach of
 * BPF's branches. */
#define HELPER_MIN_BYTES 256

static bool is_memop(LLVMValueRef inst, bool *is_set)
{
	if (LLVMGetInstructionOpcode(inst) != LLVMCall)
		return false;
	LLVMValueRef callee = LLVMGetCalledValue(inst);
	size_t n;
	const char *name = callee ? LLVMGetValueName2(callee, &n) : NULL;
	if (!name)
		return false;
	*is_set = !strncmp(name, "llvm.memset.", 12);
	return *is_set || !strncmp(name, "llvm.memcpy.", 12) || !strncmp(name, "llvm.memmove.", 13);
}

/* The alignment the call promises for pointer argument index (0-based). */
static unsigned arg_align(LLVMValueRef call, unsigned index)
{
	unsigned kind = LLVMGetEnumAttributeKindForName("align", 5);
	LLVMAttributeRef a = LLVMGetCallSiteEnumAttribute(call, index + 1, kind);
	uint64_t v = a ? LLVMGetEnumAttributeValue(a) : 1;
	return v >= 8 ? 8 : v >= 4 ? 4 : v >= 2 ? 2 : 1;
}

/* Stores the backend needs: whole words of the alignment, then the rest
 * in halving widths. */
static uint64_t stores_needed(uint64_t len, unsigned align)
{
	uint64_t n = len / align;
	for (unsigned w = 1; w < align; w <<= 1)
		if ((len % align) & w)
			n++;
	return n;
}

/* A copy, or a zero-fill (from NULL: it fails and zero-fills its
 * destination), by bpf_probe_read_kernel, which takes any size. */
static void lower_by_helper(struct bpf_module *m, LLVMValueRef inst, LLVMValueRef dst, LLVMValueRef src,
			    LLVMValueRef len)
{
	LLVMValueRef args[3] = { dst, LLVMBuildTrunc(m->b, len, m->i32, ""), src };
	LLVMTypeRef params[3] = { m->ptr, m->i32, m->ptr };
	LLVMTypeRef ft = LLVMFunctionType(m->i64, params, 3, 0);
	LLVMValueRef callee = LLVMConstIntToPtr(LLVMConstInt(m->i64, BPF_FUNC_probe_read_kernel, 0), m->ptr);
	LLVMBuildCall2(m->b, ft, callee, args, 3, "");
	LLVMInstructionEraseFromParent(inst);
}

/* A memset of another byte: pieces the backend can expand. */
static void split_memset(struct bpf_module *m, LLVMValueRef inst, LLVMValueRef dst, LLVMValueRef val,
			 uint64_t len, unsigned align)
{
	uint64_t chunk = (uint64_t)SPLIT_STORES * align;
	for (uint64_t off = 0; off < len; off += chunk) {
		LLVMValueRef idx = LLVMConstInt(m->i64, off, 0);
		LLVMValueRef p = LLVMBuildGEP2(m->b, m->i8, dst, &idx, 1, "");
		uint64_t n = len - off < chunk ? len - off : chunk;
		LLVMBuildMemSet(m->b, p, val, LLVMConstInt(m->i64, n, 0), align);
	}
	LLVMInstructionEraseFromParent(inst);
}

static void lower_memop(struct bpf_module *m, LLVMValueRef inst, bool is_set)
{
	LLVMValueRef dst = LLVMGetOperand(inst, 0);
	LLVMValueRef second = LLVMGetOperand(inst, 1);
	LLVMValueRef len = LLVMGetOperand(inst, 2);
	unsigned align = arg_align(inst, 0);
	if (!is_set && arg_align(inst, 1) < align)
		align = arg_align(inst, 1);
	bool constant = LLVMIsAConstantInt(len);
	bool zero = is_set && LLVMIsAConstantInt(second) && LLVMConstIntGetZExtValue(second) == 0;
	uint64_t n = constant ? LLVMConstIntGetZExtValue(len) : 0;
	bool helper_pays = (!is_set || zero) && n >= HELPER_MIN_BYTES;
	if (constant && !helper_pays && stores_needed(n, align) <= BACKEND_MAX_STORES)
		return;
	LLVMPositionBuilderBefore(m->b, inst);
	LLVMSetCurrentDebugLocation2(m->b, LLVMInstructionGetDebugLoc(inst));
	if (!is_set || zero)
		lower_by_helper(m, inst, dst, is_set ? LLVMConstNull(m->ptr) : second, len);
	else if (constant)
		split_memset(m, inst, dst, second, n, align);
}

static void lower_big_memops(struct bpf_module *m)
{
	for (LLVMValueRef fn = LLVMGetFirstFunction(m->mod); fn; fn = LLVMGetNextFunction(fn)) {
		for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
			LLVMValueRef inst = LLVMGetFirstInstruction(bb);
			while (inst) {
				LLVMValueRef next = LLVMGetNextInstruction(inst);
				bool is_set;
				if (is_memop(inst, &is_set))
					lower_memop(m, inst, is_set);
				inst = next;
			}
		}
	}
}

int bpfmod_emit(struct bpf_module *m, const char *license, void **obj, size_t *len)
{
	if (m->scratch_map) {
		uint32_t size = m->scratch_size > m->vars_size ? m->scratch_size : m->vars_size;
		int ncpus = libbpf_num_possible_cpus();
		/* Per CPU: temporaries, then long-lived storage (see fn.c). */
		map_debug_info(m, m->scratch_map, "scratch", BPF_MAP_TYPE_ARRAY, 4,
			       ALIGN_UP(size ? size : 8, 8), 2 * (uint32_t)(ncpus > 0 ? ncpus : 1), 0);
	}
	add_license(m, license);
	LLVMDIBuilderFinalize(m->di);
	char *msg = NULL;
	if (LLVMVerifyModule(m->mod, LLVMReturnStatusAction, &msg)) {
		sb_printf(&m->err, "internal error: invalid LLVM IR: %s", msg);
		LLVMDisposeMessage(msg);
		return -1;
	}
	LLVMDisposeMessage(msg);
	LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
	LLVMErrorRef e = LLVMRunPasses(m->mod, "default<O2>", m->tm, opts);
	LLVMDisposePassBuilderOptions(opts);
	lower_big_memops(m);
	if (e) {
		char *s = LLVMGetErrorMessage(e);
		sb_printf(&m->err, "internal error: optimisation failed: %s", s);
		LLVMDisposeErrorMessage(s);
		return -1;
	}
	LLVMMemoryBufferRef buf;
	msg = NULL;
	if (LLVMTargetMachineEmitToMemoryBuffer(m->tm, m->mod, LLVMObjectFile, &msg, &buf)) {
		sb_printf(&m->err, "internal error: BPF code generation failed: %s", msg ? msg : "?");
		LLVMDisposeMessage(msg);
		return -1;
	}
	*len = LLVMGetBufferSize(buf);
	*obj = xmalloc(*len);
	memcpy(*obj, LLVMGetBufferStart(buf), *len);
	LLVMDisposeMemoryBuffer(buf);
	return 0;
}

char *bpfmod_ir(struct bpf_module *m)
{
	char *s = LLVMPrintModuleToString(m->mod);
	char *r = xstrdup(s);
	LLVMDisposeMessage(s);
	return r;
}
