/* trawk: compile and run bpftrace-language scripts from another program.
 *
 *   struct trawk *t = trawk_new();
 *   if (trawk_compile(t, "script.bt", text, len, &copts))
 *           fputs(trawk_errors(t), stderr);
 *   else
 *           status = trawk_run(t, &ropts);
 *   trawk_free(t);
 *
 * Errors are returned, never printed: trawk_errors() gives the compiler-style
 * messages ("file:line:col: error: ..." with the source line and a caret).
 * Messages made while a script runs go to the run's message callback.
 *
 * The library takes no process-wide state that belongs to the program: it
 * installs no signal handlers (call trawk_stop() from yours; a program
 * writing to a pipe should ignore SIGPIPE, as the trawk command does), it
 * reads no environment variables but those passed in trawk_compile_opts.env
 * and PATH (to find a probe's command), it restores libbpf's print callback
 * and leaves the FILEs it is given as they are.  Process-wide, and so
 * shared by every struct trawk: the caches of kernel BTF, kallsyms and
 * function lists (trawk_cleanup() frees them) and the options LLVM is given
 * on the first compile (its BPF scheduler and instruction set): compile in
 * one thread at a time.  Runs of different struct trawk may overlap in
 * threads; each gets its own libbpf messages and verifier logs. */
#ifndef TRAWK_H
#define TRAWK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct trawk;

enum trawk_format { TRAWK_TEXT, TRAWK_JSON };
enum trawk_buffering { TRAWK_BUFFER_LINE, TRAWK_BUFFER_FULL, TRAWK_BUFFER_NONE };

/* Options structs start with their size, as libbpf's do: a program built
 * against an older trawk.h passes a smaller sz, and the fields it does not
 * know read as zero.  Declare them with TRAWK_OPTS:
 *
 *   TRAWK_OPTS(trawk_run_opts, ro, .format = TRAWK_JSON);
 */
#define TRAWK_OPTS(TYPE, NAME, ...) \
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

struct trawk_compile_opts {
	size_t sz;                   /* sizeof(struct trawk_compile_opts) */
	size_t nparams;              /* positional parameters $1..$N */
	const char *const *params;
	size_t nnamed;               /* named parameters for getopt(): "--name=value", "--flag" */
	const char *const *named;
	bool no_warnings;
	bool unsafe;                 /* allow system() and other unsafe functions */
	bool want_ir;                /* keep the LLVM IR for trawk_dump(TRAWK_DUMP_IR) */
	bool want_ast;               /* keep the parsed tree's text for trawk_dump(TRAWK_DUMP_AST) */
	bool check_only;             /* parse and type-check only: no LLVM, no kernel */
	int pid;                     /* -p: kernel probes only fire for this process */
	int cpid;                    /* -c: the child's pid, for the cpid builtin */
	/* "NAME=VALUE" strings, as environ (NULL-terminated; NULL for none):
	 * BPFTRACE_X and TRAWK_X override config key x, BPFTRACE_BTF names
	 * the kernel BTF file.  The trawk command passes its environment. */
	const char *const *env;
};

struct trawk_run_opts {
	size_t sz;                   /* sizeof(struct trawk_run_opts) */
	enum trawk_format format;
	FILE *out;                   /* NULL: stdout */
	const char *out_name;        /* out's name in messages (-o FILE), or NULL */
	enum trawk_buffering buffering;
	bool quiet;                  /* no "Attached N probes" */
	int verbose;                 /* >0: raw libbpf and verifier logs on failure */
	double timeout;              /* seconds, 0 for none: then END runs and maps print */
	int pid;                     /* -p: attach to or filter by this process */
	bool dry_run;                /* stop right after attaching */
	int child_pid;               /* -c: end when this child exits */
	int child_go_fd;             /* -c: written once probes are attached, to start it */
	/* Messages while the script runs, each one or more whole lines:
	 * "Attached N probes", warnings, errorf()/warnf() output, lost events,
	 * the verifier's log with verbose.  Called after the output so far is
	 * flushed, so the two interleave as they happened.  NULL: they are
	 * kept with the errors, in trawk_errors(). */
	void (*message)(const char *text, void *arg);
	void *message_arg;
};

enum trawk_dump { TRAWK_DUMP_AST, TRAWK_DUMP_TYPES, TRAWK_DUMP_IR, TRAWK_DUMP_BYTECODE };

struct trawk *trawk_new(void);
void trawk_free(struct trawk *t);

/* Parses, checks and compiles a script.  name is what messages call it
 * ("stdin" for -e or -).  Returns 0, or -1 with messages in trawk_errors(). */
int trawk_compile(struct trawk *t, const char *name, const char *text, size_t len,
		  const struct trawk_compile_opts *opts);
/* Diagnostics so far (warnings too); never NULL. */
const char *trawk_errors(const struct trawk *t);
/* Writes a stage's view of the script: the tree after parsing, the typed
 * tree, or the LLVM IR.  Returns 0, or -1 when that stage did not run. */
int trawk_dump(const struct trawk *t, enum trawk_dump what, FILE *f);
/* Lists the named parameters the script reads with getopt(), for
 * "script -- --help".  Returns how many there are. */
int trawk_params_help(const struct trawk *t, FILE *f);
/* The compiled ELF object. */
int trawk_object(const struct trawk *t, const void **obj, size_t *len);

/* Loads, attaches and streams output until exit(), trawk_stop(), the
 * timeout, the end of the traced process or of a BEGIN/END-only script.
 * Returns the exit status. */
int trawk_run(struct trawk *t, const struct trawk_run_opts *opts);
/* Ends trawk_run as exit() would: the probes detach, END runs and the maps
 * print.  Safe in a signal handler and from another thread; asked before
 * trawk_run starts, the run ends as soon as BEGIN has run. */
void trawk_stop(struct trawk *t);

/* Appends probe names matching pattern (NULL: all) to f, one a line.
 * Returns 0, or after listing what it could, -EACCES when tracefs (the
 * list of tracepoints) may be read only by root, -ENOENT when it is not
 * mounted. */
int trawk_list(const char *pattern, FILE *f);
/* The same for the objects process pid maps: its uprobes and USDT probes
 * (a pattern may leave the binary out). */
int trawk_list_process(const char *pattern, int pid, FILE *f);

const char *trawk_version(void);
/* Writes what --info prints: the system, the build and the kernel's BPF
 * features, probed for this user. */
int trawk_info(FILE *f);

/* Releases process-wide caches (kernel BTF); call once, at the end. */
void trawk_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
