/* Running a compiled script: load, run BEGIN, attach, stream events, and
 * on exit detach, run END and print the maps. */
#ifndef TRAWK_RUNTIME_RUNTIME_H
#define TRAWK_RUNTIME_RUNTIME_H

#include <stdatomic.h>
#include <stdio.h>

#include "../bpf/plan.h"
#include "output.h"

struct runtime_opts {
	enum output_format format;
	FILE *out;
	const char *out_name;    /* for messages: -o FILE's name, or NULL */
	enum buffer_mode buffering;
	bool quiet;
	int verbose;
	double timeout;          /* seconds; 0 for none */
	int pid;                 /* -p, or 0 */
	bool dry_run;            /* exit right after attaching */
	int child_pid;           /* -c: the run ends when it exits */
	int child_go_fd;         /* -c: a byte written here lets the child run */
	void (*message)(const char *text, void *arg);   /* NULL: kept in the diag */
	void *message_arg;
	atomic_int *stop;        /* set (by trawk_stop) to end the run */
};

/* Returns the process exit status: 0, the code given to exit(), or 1 after
 * an error (reported to d). */
/* --info: the system, the build, and what the kernel supports. */
void features_report(struct strbuf *sb);

int runtime_run(const struct plan *plan, const void *obj, size_t len,
		const struct runtime_opts *opts, struct diag *d);

#endif
