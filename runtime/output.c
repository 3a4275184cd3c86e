#include "output.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

/* Past this much pending text, whole lines (line mode) or everything
 * (full mode) are written even within a batch. */
#define OUTPUT_HIGH_WATER (64 * 1024)

void output_init(struct output *o, enum output_format f, FILE *out, enum buffer_mode b, bool quiet)
{
	*o = (struct output){ .format = f, .out = out, .buffering = b, .quiet = quiet };
	/* What the caller's stream already holds goes first. */
	fflush(out);
	o->fd = fileno(out);
}

void output_free(struct output *o)
{
	sb_free(&o->pending);
}

static void fail(struct output *o, int err)
{
	o->broken = true;
	o->error = err;
}

/* A descriptor opened non-blocking by someone else waits until it can
 * take more; an interrupted write is retried (a stop request ends the
 * loop, not a write in progress). */
void output_closed(struct output *o)
{
	fail(o, EPIPE);
}

static bool write_fd(struct output *o, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(o->fd, s, n);
		if (w > 0) {
			s += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = o->fd, .events = POLLOUT };
			poll(&p, 1, -1);
		} else if (w < 0 && errno != EINTR) {
			fail(o, errno);
			return false;
		}
	}
	return true;
}

static bool write_stream(struct output *o, const char *s, size_t n)
{
	if ((n && fwrite(s, 1, n, o->out) != n) || fflush(o->out) == EOF) {
		fail(o, errno ? errno : EIO);
		return false;
	}
	return true;
}

/* Hands over the first n pending bytes. */
static void write_pending(struct output *o, size_t n)
{
	if (o->broken || !n)
		return;
	if (o->fd >= 0 ? write_fd(o, o->pending.s, n) : write_stream(o, o->pending.s, n)) {
		memmove(o->pending.s, o->pending.s + n, o->pending.len - n);
		o->pending.len -= n;
		o->pending.s[o->pending.len] = 0;
	}
}

static size_t whole_lines(const struct output *o)
{
	const char *nl = o->pending.len ? memrchr(o->pending.s, '\n', o->pending.len) : NULL;
	return nl ? (size_t)(nl - o->pending.s) + 1 : 0;
}

void output_flush(struct output *o)
{
	write_pending(o, o->pending.len);
}

void output_batch_end(struct output *o)
{
	if (o->buffering != BUFFER_FULL)
		write_pending(o, whole_lines(o));
}

void output_write(struct output *o, const char *s, size_t n)
{
	if (o->broken || !n)
		return;
	sb_appendn(&o->pending, s, n);
	if (o->buffering == BUFFER_NONE)
		output_flush(o);
	else if (o->pending.len >= OUTPUT_HIGH_WATER)
		write_pending(o, o->buffering == BUFFER_FULL ? o->pending.len : whole_lines(o));
}

static void json_line(struct output *o, const char *type, const char *s, size_t n)
{
	struct strbuf sb = {0};
	sb_printf(&sb, "{\"type\": \"%s\", \"data\": ", type);
	format_json_string(&sb, s, n);
	sb_append(&sb, "}\n");
	output_write(o, sb.s, sb.len);
	sb_free(&sb);
}

void output_printf(struct output *o, const char *s, size_t n)
{
	if (o->format == OUTPUT_JSON)
		json_line(o, "printf", s, n);
	else
		output_write(o, s, n);
}

void output_text(struct output *o, const char *type, const char *s, size_t n)
{
	if (o->format == OUTPUT_JSON)
		json_line(o, type, s, n);
	else
		output_write(o, s, n);
}

void output_value(struct output *o, const struct type *t, const void *data)
{
	struct strbuf sb = {0};
	if (o->format == OUTPUT_JSON) {
		sb_append(&sb, "{\"type\": \"value\", \"data\": ");
		format_value(&sb, t, data, OUTPUT_JSON, &o->ctx);
		sb_append(&sb, "}\n");
	} else {
		format_value(&sb, t, data, OUTPUT_TEXT, &o->ctx);
		sb_putc(&sb, '\n');
	}
	output_write(o, sb.s, sb.len);
	sb_free(&sb);
}

void output_message(struct output *o, const char *text)
{
	if (!*text)
		return;
	output_flush(o);
	if (o->message)
		o->message(text, o->message_arg);
	else if (o->kept)
		sb_append(o->kept, text);
}

void output_attached(struct output *o, size_t n)
{
	if (o->quiet)
		return;
	if (o->format == OUTPUT_JSON) {
		char line[128];
		int len = snprintf(line, sizeof(line),
				   "{\"type\": \"attached_probes\", \"count\": %zu, \"data\": {\"probes\": %zu}}\n", n, n);
		output_write(o, line, (size_t)len);
		return;
	}
	char line[64];
	snprintf(line, sizeof(line), "Attached %zu probe%s\n", n, n == 1 ? "" : "s");
	output_message(o, line);
}

void output_lost(struct output *o, uint64_t lost)
{
	if (o->format == OUTPUT_JSON) {
		char line[160];
		int len = snprintf(line, sizeof(line),
				   "{\"type\": \"lost_events\", \"count\": %llu, \"data\": {\"events\": %llu}}\n",
				   (unsigned long long)lost, (unsigned long long)lost);
		output_write(o, line, (size_t)len);
		return;
	}
	char line[64];
	snprintf(line, sizeof(line), "Lost %llu events\n", (unsigned long long)lost);
	output_message(o, line);
}

void output_end(struct output *o)
{
	if (o->format == OUTPUT_TEXT)
		output_write(o, "\n\n", 2);
}
