/* The state of one run, shared by the runtime's files. */
#ifndef TRAWK_RUNTIME_SESSION_H
#define TRAWK_RUNTIME_SESSION_H

#include <bpf/libbpf.h>
#include <signal.h>

#include "runtime.h"
#include "../probes/probe.h"

struct session {
	const struct plan *plan;
	const struct runtime_opts *opts;
	struct diag *d;
	struct output out;
	struct bpf_object *obj;
	struct ring_buffer *rb;
	int *map_fds;              /* by map_def id */
	int start_fd;
	const volatile uint64_t *lost;   /* the lost-records counter, mapped; NULL if absent */
	volatile uint64_t *setup;        /* PLAN_SETUP, mapped; NULL if absent */
	pid_t self;                      /* trawk's pid, asked before any probe is attached */
	struct attach_ctx ac;
	size_t attached;           /* probe points attached or run */
	bool exiting;              /* exit() seen: ignore further records */
	bool in_loop;              /* the event loop runs: records are taken in batches */
	unsigned batch;            /* records taken since the loop's last wake-up */
	int exit_code;
	uint64_t lost_reported;
	struct strbuf libbpf_log;
	char *logs;                    /* the programs' verifier logs (load.c) */
	size_t nlogs;
	double *warned_at;             /* by action id: a runtime warning last shown */
	bool capturing;                /* libbpf's messages come to libbpf_log */
};

/* load.c */
int session_load(struct session *s, const void *obj, size_t len);
/* Closes the object: every program and map goes. */
void session_unload(struct session *s);
/* libbpf's messages stop coming to the session (load starts that). */
void session_capture_end(struct session *s);
struct bpf_program *session_program(struct session *s, const char *name);

/* events.c */
int session_on_record(void *ctx, void *data, size_t size);
void session_print_map(struct session *s, const struct map_def *m, uint64_t top, uint64_t div);
uint64_t session_read_lost(struct session *s);
/* Opens or closes the window in which the probes ignore trawk's own
 * events (PLAN_SETUP): while it attaches and detaches them. */
void session_setup_window(struct session *s, bool open);

#endif
