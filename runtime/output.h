/* Where and how the run's output goes: text or NDJSON, to stdout or -o
 * FILE, with bpftrace's buffering modes.  Messages about the run itself
 * ("Attached N probes", lost events) go to stderr in text mode.
 *
 * Output is buffered here and written with write(2), not stdio: a failed
 * write (a closed pipe, a full disk) must be seen at once, and line mode
 * writes a batch of records' lines at once rather than one write a line,
 * so a probe on write() does not see one event per line it caused. */
#ifndef TRAWK_RUNTIME_OUTPUT_H
#define TRAWK_RUNTIME_OUTPUT_H

#include <stdio.h>

#include "format.h"

enum buffer_mode { BUFFER_LINE, BUFFER_FULL, BUFFER_NONE };

struct output {
	enum output_format format;
	FILE *out;
	int fd;               /* out's descriptor, written directly; -1: through out */
	enum buffer_mode buffering;
	bool quiet;
	bool broken;          /* a write failed: stop writing */
	int error;            /* its errno; EPIPE: the reader went away */
	struct strbuf pending;   /* written, not yet handed to the kernel */
	struct format_ctx ctx;
	/* Messages beside the output (the CLI's stderr): to the callback, or
	 * else kept in the run's diagnostics. */
	void (*message)(const char *text, void *arg);
	void *message_arg;
	struct strbuf *kept;
};

void output_init(struct output *o, enum output_format f, FILE *out, enum buffer_mode b, bool quiet);
void output_free(struct output *o);
/* Writes text that is already formatted; flushes according to buffering. */
void output_write(struct output *o, const char *s, size_t n);
/* A printf() record's text. */
void output_printf(struct output *o, const char *s, size_t n);
/* print(value). */
void output_value(struct output *o, const struct type *t, const void *data);
/* Text of time(), cat() and similar: data emitted as "type". */
void output_text(struct output *o, const char *type, const char *s, size_t n);
/* A message of whole lines, after the output written so far. */
void output_message(struct output *o, const char *text);
void output_attached(struct output *o, size_t nprobes);
void output_lost(struct output *o, uint64_t lost);
/* The separator before the maps printed at exit. */
void output_end(struct output *o);
/* The end of a batch of records: line mode hands over its whole lines. */
void output_batch_end(struct output *o);
void output_flush(struct output *o);
/* The reader went away (seen by poll): nothing more is written. */
void output_closed(struct output *o);

#endif
