/* What a compiled script is, apart from its bytecode: the maps with their
 * key and value types, the asynchronous actions the BPF side sends on the
 * ring buffer with their record layouts, the probe points, and the settings.
 * sema fills it in, codegen follows it, and the runtime reads it to decode
 * records and print maps. */
#ifndef TRAWK_BPF_PLAN_H
#define TRAWK_BPF_PLAN_H

#include "../common/diag.h"
#include "../types/type.h"

enum map_kind {
	MAPK_HASH,          /* BPF_MAP_TYPE_HASH */
	MAPK_LRU_HASH,
	MAPK_PERCPU_HASH,
	MAPK_PERCPU_LRU_HASH,
};

struct map_def {
	const char *name;          /* "@x", or "@" */
	int id;
	const struct type *key;    /* type_none() for a scalar map */
	const struct type *value;  /* an aggregation kind or an ordinary value type */
	enum map_kind kind;
	uint32_t max_entries;
	bool declared;             /* let @m = ...; */
	bool assigned;             /* written somewhere in the script */
	struct loc loc;            /* first use */
	const char *bpf_name;      /* the ELF symbol: "map_x" */
};

/* The BPF key of an entry: the user key, then for histograms a u64 bucket. */
uint32_t map_def_key_size(const struct map_def *m);
uint32_t map_def_bucket_offset(const struct map_def *m);
bool map_def_is_percpu(const struct map_def *m);
bool map_def_is_hist(const struct map_def *m);

enum action_kind {
	ACT_PRINTF,         /* args: the arguments tuple */
	ACT_EXIT,           /* args: (int64 code) */
	ACT_PRINT_MAP,      /* map, top, div */
	ACT_CLEAR_MAP,      /* map */
	ACT_ZERO_MAP,       /* map */
	ACT_PRINT_VALUE,    /* args: (value) */
	ACT_TIME,           /* fmt */
	ACT_CAT,            /* fmt, args */
	ACT_SYSTEM,         /* fmt, args */
	ACT_JOIN,           /* args: (u64 count, string[JOIN_ARG_SIZE][JOIN_MAX_ARGS]), fmt: separator */
	ACT_ERRORF,
	ACT_WARNF,
	ACT_RUNTIME_WARNING,   /* fmt: the message, for a fault the program recovered from */
	ACT_HELPER_ERROR,      /* fmt: the message, for a helper that failed (a full map) */
};

/* join() reads at most this many strings of this many bytes. */
#define JOIN_MAX_ARGS 16
#define JOIN_ARG_SIZE 256

/* Every ring-buffer record starts with this header, then the action's
 * arguments laid out as the args tuple. */
struct record_header {
	uint64_t action;
};
#define RECORD_PAYLOAD_OFFSET 8

struct action_def {
	enum action_kind kind;
	int id;
	const char *fmt;
	const struct type *args;   /* TY_TUPLE; NULL when the record has no payload */
	const struct map_def *map;
	uint64_t top, div;
	struct loc loc;
};

/* The maps every object has besides the script's, by ELF name. */
#define PLAN_RINGBUF "ringbuf"
#define PLAN_LOST "lost_events"      /* u64, mmapable: records the ring buffer refused */
#define PLAN_START "start_time"      /* u64 boot ns at start, for elapsed */
#define PLAN_SETUP "setup_tgid"      /* u64, mmapable: trawk's pid while it attaches and
                                        detaches probes, whose events are not the script's */
/* The maps libbpf's USDT support fills (names and layouts are its ABI):
 * specs by id, each { struct { u64 val_off; int type; short reg_off;
 * bool is_signed; char bitshift; } args[12]; u64 cookie; short count; }. */
#define PLAN_USDT_SPECS "__bpf_usdt_specs"
#define PLAN_USDT_IPS "__bpf_usdt_ip_to_spec_id"
#define USDT_SPEC_SIZE 208
#define USDT_ARG_SPEC_SIZE 16
#define USDT_MAX_ARGS 12
#define USDT_ARG_COUNT_OFFSET 200

enum missing_probes { MISSING_ERROR, MISSING_WARN, MISSING_IGNORE };

/* Bounds that more than one stage knows (sema/config.c holds the rest). */
#define DEFAULT_MAX_STRLEN 1024
#define MAX_STRLEN_LIMIT 65536
#define MAX_MAP_ENTRIES (1ULL << 31)   /* the kernel's largest hash map */

struct config {
	uint64_t max_strlen;
	uint64_t max_map_keys;
	uint64_t max_probes;
	uint64_t max_bpf_progs;
	uint64_t max_cat_bytes;
	uint64_t log_size;
	uint64_t on_stack_limit;
	uint64_t perf_rb_pages;
	bool print_maps_on_exit;
	bool unsafe;               /* --unsafe: system() and friends */
	int pid;                   /* -p: filter kernel probes to this process */
	int cpid;                  /* -c: the child's pid (cpid builtin), or 0 */
	bool no_warnings;
	bool cpp_demangle;
	bool lazy_symbolication;
	enum missing_probes missing_probes;
	const char *str_trunc_trailer;
	const char *license;
	const char *stack_mode;
	const char *syscall_tracepoints;   /* "raw" (sys_enter/sys_exit programs) or "perf" */
};

void config_defaults(struct config *c);

/* A named parameter the script reads with getopt(). */
struct named_param {
	const char *name;
	const struct type *type;   /* bool, int64 or string */
	const char *dflt;          /* the default, as text */
	const char *desc;
};

struct probe_point;   /* probes/probe.h */

struct plan {
	struct config cfg;
	VEC(struct map_def *) maps;
	VEC(struct action_def *) actions;
	VEC(struct probe_point *) points;
	VEC(struct named_param) params;
	/* Where statements start, so a verifier complaint about a line can
	 * point at the statement on it. */
	VEC(struct loc) stmt_locs;
	bool has_elapsed;          /* a start-time map is needed */
};

void plan_free(struct plan *p);
struct map_def *plan_find_map(const struct plan *p, const char *name);

#endif
