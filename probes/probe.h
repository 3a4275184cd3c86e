/* Probe providers.  Each provider (begin/end, tracepoint, interval, ...)
 * parses and expands its attach points, names the ELF section of their
 * programs, types their arguments, lists what exists, and attaches. */
#ifndef TRAWK_PROBES_PROBE_H
#define TRAWK_PROBES_PROBE_H

#include <bpf/libbpf.h>

#include "../bpf/plan.h"

struct provider;

/* One concrete attach point, after wildcard expansion. */
struct probe_point {
	const struct provider *prov;
	const char *name;          /* canonical, e.g. "tracepoint:sched:sched_switch": the probe builtin */
	const char *target;        /* tracepoint category, binary path, time unit */
	const char *func;          /* tracepoint event, function, USDT probe */
	const char *ns;            /* USDT provider */
	uint64_t num;              /* interval/profile: period in ns or frequency in hz;
	                              tracepoint: the perf event id; syscall: its number */
	bool is_freq;              /* num is a frequency */
	uint64_t offset;           /* function offset */
	struct loc loc;
	int probe_index;           /* the script's probe block it belongs to */
	const char *prog_name;     /* set by codegen: the program serving it */
	const struct type *args;   /* the typed args struct, when the provider has one */
};

typedef VEC(struct probe_point *) pointvec;

/* A probe block of the script after expansion (N_PROBE's aux). */
struct probe_block {
	pointvec points;
	/* One program per point: the body depends on the point (probe, args)
	 * or the points need different program types. */
	bool per_point;
	unsigned caps;             /* what every point offers */
	uint32_t probe_len;        /* longest point name + 1, for the probe builtin */
	uint32_t func_len;         /* longest function name + 1, for func in user probes */
};

/* What a probe type lets a script use. */
enum probe_caps {
	CAP_ARGS = 1 << 0,     /* args.field */
	CAP_ARGN = 1 << 1,     /* arg0..argN */
	CAP_RETVAL = 1 << 2,
	CAP_FUNC = 1 << 3,
	CAP_REGS = 1 << 4,     /* pt_regs context: reg(), kstack/ustack user mode */
	CAP_USDT = 1 << 5,     /* arguments come from libbpf's USDT specs */
};

/* A function of a kprobe_multi program, gathered before attaching. */
struct multi_fn {
	struct bpf_program *prog;
	const char *func;
};

struct attach_ctx {
	VEC(struct bpf_link *) links;
	struct bpf_object *obj;
	VEC(struct bpf_program *) once;   /* programs several points share one link of */
	VEC(struct multi_fn) multi;       /* one link attaches each program to all its functions */
	int pid;                   /* -p, or -1 */
	struct strbuf err;
};

/* What the program's context argument points to. */
enum ctx_kind {
	CTX_NONE,          /* begin/end */
	CTX_PTREGS,        /* struct pt_regs: kprobe, uprobe, usdt */
	CTX_PERF,          /* struct bpf_perf_event_data, pt_regs first */
	CTX_TRACEPOINT,    /* the tracepoint's record */
	CTX_ARGS,          /* an array of u64 arguments: raw tracepoint, fentry */
	CTX_SYSCALL,       /* raw sys_enter (regs, nr) or sys_exit (regs, ret), for a
	                      syscall tracepoint whose record is rebuilt from them */
};

/* expand's result for a wildcard that matched nothing. */
#define PROBE_NO_MATCH 1

struct provider {
	const char *name;
	const char *aliases[3];
	bool is_special;           /* begin/end: run once, never attached */
	bool is_return;            /* kretprobe, uretprobe, fexit */
	bool program_per_point;    /* a program serves one function (fentry's
	                              is bound to it when loaded) */
	bool user;                 /* pointers and stacks are the probed process's */
	bool filter_pid;           /* -p is applied in the program, not at attach */
	enum bpf_prog_type prog_type;
	enum ctx_kind ctx;
	unsigned caps;
	/* Expands spec (the text after "provider:") into points appended to out.
	 * Reports its own errors; returns -1 on error, PROBE_NO_MATCH when a
	 * wildcard matched nothing (a soft failure: the block may have others). */
	int (*expand)(const struct provider *p, const char *spec, const struct loc *loc,
		      struct arena *a, pointvec *out, struct diag *d);
	/* The libbpf section name for a program serving point pt. */
	const char *(*section)(const struct probe_point *pt, struct arena *a);
	/* Types args for pt (pt->args); NULL when it has none. */
	int (*load_args)(struct probe_point *pt, const struct config *cfg, struct arena *a, struct diag *d);
	/* Before loading, for the first point of each program, with how many
	 * points share the program: sets what the kernel must know at load
	 * (kprobe_multi's attach type); optional. */
	void (*configure)(const struct probe_point *pt, struct bpf_program *prog, size_t sharing);
	/* Work done for every point before any is attached, so that the probes
	 * do not see it; optional. */
	int (*prepare)(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac);
	int (*attach)(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac);
	/* -l: appends matching probe names, one a line. */
	void (*list)(const struct provider *p, const char *pattern, struct strbuf *out);
	bool lists_from_tracefs;   /* what list() finds comes from tracefs */
	/* Why this provider cannot work here and what to use instead, or NULL. */
	const char *(*unavailable)(const struct probe_point *pt, struct arena *a);
};

const struct provider *provider_find(const char *name);
const struct provider *const *provider_all(void);

/* Splits "provider:spec" and expands it.  Errors are reported at loc. */
int probe_expand(const char *text, const struct loc *loc, struct arena *a, pointvec *out, struct diag *d);
/* A wildcard's expansion stops once out holds n points (0: no limit): sema
 * reports max_probes then, and a pattern matching 100,000 functions costs
 * no more than the limit. */
void probes_set_max_points(size_t n);
bool probes_full(const pointvec *out);
/* How many more points out may take (SIZE_MAX: no limit). */
size_t probes_room(const pointvec *out);

/* Serves a syscall tracepoint from the raw sys_enter/sys_exit tracepoints
 * (probes/syscall.c says why) unless the kernel or cfg rules it out. */
void probe_refine(struct probe_point *pt, const struct config *cfg);
bool syscall_point_is_exit(const struct probe_point *pt);
/* codegen's programs for them, by ELF name: the dispatcher on sys_enter or
 * sys_exit and its program array, indexed by syscall number, which holds
 * the program for each traced syscall (named after its event). */
#define SYSCALL_DISPATCHER(is_exit) ((is_exit) ? "syscalls_exit" : "syscalls_enter")
#define SYSCALL_PROG_ARRAY(is_exit) ((is_exit) ? "syscalls_exit_progs" : "syscalls_enter_progs")
/* Types a tracepoint's args from its format file. */
int tracepoint_load_args(struct probe_point *pt, const struct config *cfg, struct arena *a, struct diag *d);

/* --check without the privileges to read tracefs: tracepoints are taken on
 * trust and their args fields typed loosely, so scripts can be linted in
 * CI as an ordinary user. */
void probes_set_offline(bool offline);
bool probes_offline(void);

/* The tracefs mount, mounting it if needed; NULL when unavailable. */
const char *tracefs_path(void);
/* Why tracefs_path() is NULL: ENOENT (not mounted and cannot be), EACCES
 * (there, but this user may not read it); 0 when it is usable. */
int tracefs_error(void);
/* The same as a sentence for messages ("tracefs is not mounted: ..."). */
const char *tracefs_problem(void);

/* Forgets the list of traceable kernel functions kprobe wildcards match,
 * read once per process. */
void kprobe_functions_free(void);

/* Calls fn for every tracepoint whose category and event match the globs,
 * sorted by category then event; -1 when tracefs cannot be read.  The list
 * is read once (tracefs_events_free() forgets it). */
typedef void (*tp_event_fn)(const char *cat, const char *event, void *arg);
int tracefs_events(const char *cat_glob, const char *ev_glob, tp_event_fn fn, void *arg);
bool tracefs_event_exists(const char *cat, const char *event);
void tracefs_events_free(void);

/* A tracepoint that observes the same thing as a kernel function (its
 * syscall's tracepoint, or one named like it), for kernels where kprobes
 * or fentry do not work; NULL when there is none. */
const char *probe_alternative(const char *func, bool is_return, struct arena *a);

/* Calls cb for each traceable kernel function, sorted by name, each name
 * once: tracefs's available_filter_functions, else (unreadable) the text
 * symbols of /proc/kallsyms.  True when the list came from tracefs. */
typedef void (*kfunc_cb)(const char *name, void *arg);
bool kernel_functions(kfunc_cb cb, void *arg);
/* The same for the functions whose names start with the n characters of
 * prefix. */
void kernel_functions_prefix(const char *prefix, size_t n, kfunc_cb cb, void *arg);

/* Calls cb for each function symbol of an ELF file: its name, its file
 * offset (what a uprobe attaches at) and size in bytes (0 when the symbol
 * does not say); -1 if unreadable. */
typedef void (*elf_fn_cb)(const char *name, uint64_t off, uint64_t size, void *arg);
int elf_functions(const char *path, elf_fn_cb cb, void *arg);
/* uaddr("sym"): the symbol's unbiased address and size in the ELF file at
 * path, whether the file is loaded at a bias (PIE, library), and then the
 * unbiased address of the probed file offset.  0; -1 when the file cannot be
 * read (or is in an archive); -2 when it has no such symbol. */
struct elf_uaddr {
	uint64_t sym_vaddr, sym_size, probe_vaddr;
	bool pie;
};
int elf_symbol_address(const char *path, const char *sym, uint64_t probe_off, struct elf_uaddr *out);
/* The file offset a uprobe point attaches at. */
uint64_t uprobe_file_offset(const struct probe_point *pt);

/* Where a probe's binary is: a path, a library name, or a command on PATH. */
const char *resolve_binary(const char *name, struct arena *a);
/* The path of library name ("c", "libc", "libssl.so.3") from the dynamic
 * linker's cache, or NULL; ldcache_free() drops the cache. */
const char *ldcache_find(const char *name, struct arena *a);
void ldcache_free(void);
/* Drops what resolve_binary's search of the library folders found. */
void lib_search_free(void);
/* Reads another cache file from now on (tests); NULL: the system's. */
void ldcache_set_path(const char *path);

typedef VEC(const char *) strvec;

/* "app.zip!/lib/x.so": the archive's path and the member's name. */
bool archive_split(const char *name, struct arena *a, const char **archive, const char **member);
/* A member stored uncompressed: the archive's real path, where the member's
 * data starts in it and its size; -1 when it is not there or compressed. */
int archive_member(const char *name, struct arena *a, const char **archive, uint64_t *off, uint64_t *size);

/* Sorts names and drops repeats (a static function of one name in several
 * files, a symbol in both .symtab and .dynsym). */
void names_sort_unique(strvec *v);

/* A C++ symbol's demangled name (malloc'd), or NULL when it is not one. */
char *demangle_cpp(const char *name);
/* Does a demangled name match glob?  Without "(" in glob, the parameter
 * list is left out of the comparison. */
bool demangled_matches(const char *glob, const char *demangled);

/* -p's process, which user probes may name objects of (0: none). */
void probes_set_target_pid(int pid);
int probes_target_pid(void);
/* The executable objects process pid maps, as paths trawk can open. */
int proc_mapped_objects(int pid, struct arena *a, strvec *out);
/* The mapped object of process pid named like library name (libc,
 * libssl.so.3), or NULL. */
const char *proc_find_library(int pid, const char *name, struct arena *a);
/* The binaries a user probe's BINARY part names: with -p, NULL or "*" is
 * every object the process maps and a bare library name the one it has
 * loaded; a path may hold wildcards; else a path, a library or a command on
 * PATH.  -1 for NULL or "*" without -p. */
int user_binaries(const char *binname, struct arena *a, strvec *bins);

/* Fills cpus with the online CPU numbers; returns how many, or -1. */
int online_cpus(int *cpus, int max);

/* Glob match, as fnmatch without flags. */
bool probe_glob(const char *pattern, const char *s);
bool probe_has_wildcard(const char *s);

#endif
