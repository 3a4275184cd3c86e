#include "output.h"

#include <errno.h>
#include <string.h>

void output_init(struct output *o, enum output_format f, FILE *out, enum buffer_mode b, bool quiet)
{
	*o = (struct output){ .format = f, .out = out, .buffering = b, .quiet = quiet };
	if (b == BUFFER_NONE)
		setvbuf(out, NULL, _IONBF, 0);
	else if (b == BUFFER_FULL)
		setvbuf(out, NULL, _IOFBF, 1 << 16);
	else   /* a partial line waits for its newline, as bpftrace's does */
		setvbuf(out, NULL, _IOLBF, 1 << 16);
}

void output_flush(struct output *o)
{
	if (!o->broken && fflush(o->out) == EOF)
		o->broken = true;
}

void output_write(struct output *o, const char *s, size_t n)
{
	if (o->broken)
		return;
	if (n && fwrite(s, 1, n, o->out) != n)
		o->broken = true;
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
	fprintf(stderr, "Attached %zu probe%s\n", n, n == 1 ? "" : "s");
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
	fprintf(stderr, "Lost %llu events\n", (unsigned long long)lost);
}

void output_end(struct output *o)
{
	if (o->format == OUTPUT_TEXT)
		output_write(o, "\n\n", 2);
}
