/* Records from the BPF side, and the actions they ask user space to do. */
#include "session.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mapread.h"
#include "tseries.h"

static int64_t ns_of(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* How far wall-clock time is ahead of TAI, the clock time series use: a
 * whole number of seconds, rounded so the two reads' gap does not show. */
static int64_t tai_to_wall(void)
{
	int64_t d = ns_of(CLOCK_REALTIME) - ns_of(CLOCK_TAI);
	int64_t half = d < 0 ? -500000000 : 500000000;
	return (d + half) / 1000000000 * 1000000000;
}

void session_print_map(struct session *s, const struct map_def *m, uint64_t top, uint64_t div)
{
	struct map_snapshot snap;
	if (mapread(s->map_fds[m->id], m, &snap) == 0 && snap.view.n) {
		struct strbuf sb = {0};
		if (m->value->kind == TY_TSERIES)
			tseries_print(&sb, &snap.view, s->out.format, tai_to_wall(), &s->out.ctx);
		else
			mapprint(&sb, &snap.view, top, div, s->out.format, &s->out.ctx);
		output_write(&s->out, sb.s, sb.len);
		sb_free(&sb);
	}
	mapread_free(&snap);
}

uint64_t session_read_lost(struct session *s)
{
	return s->lost ? __atomic_load_n(s->lost, __ATOMIC_RELAXED) : 0;
}

static void do_time(struct session *s, const char *fmt)
{
	char buf[512];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, sizeof(buf), fmt, &tm);
	output_text(&s->out, "time", buf, n);
}

static void do_cat(struct session *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		char *msg = xasprintf("trawk: cat(\"%s\"): %s\n", path, strerror(errno));
		output_message(&s->out, msg);
		free(msg);
		return;
	}
	/* Up to max_cat_bytes, in a buffer that grows with what the file
	 * holds: a large limit costs nothing for a small file. */
	size_t max = s->plan->cfg.max_cat_bytes, n = 0, cap = 0;
	char *buf = NULL;
	while (n < max) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > max)
				cap = max;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	fclose(f);
	output_text(&s->out, "cat", buf ? buf : "", n);
	free(buf);
}

/* system(): the command's output is captured, so JSON can carry it. */
static void do_system(struct session *s, const char *cmd)
{
	output_flush(&s->out);
	FILE *p = popen(cmd, "r");
	if (!p) {
		char *msg = xasprintf("trawk: system(\"%s\"): %s\n", cmd, strerror(errno));
		output_message(&s->out, msg);
		free(msg);
		return;
	}
	struct strbuf sb = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_appendn(&sb, buf, n);
	pclose(p);
	if (s->out.format == OUTPUT_TEXT)   /* bpftrace ends the captured text with a newline of its own */
		sb_putc(&sb, '\n');
	output_text(&s->out, "syscall", sb_str(&sb), sb.len);
	sb_free(&sb);
}

/* Line n (1-based) of the source, without its newline. */
static const char *source_line(const struct source *src, int n, size_t *len)
{
	const char *p = src->text, *end = src->text + src->len;
	for (int i = 1; i < n && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	return p;
}

/* A message a script makes while it runs, as bpftrace prints it:
 * "stdin:1:9-28: ERROR: msg", the source line (tabs as four spaces) and
 * '~' under the call; a call over several lines gives the lines only. */
static void log_at(const struct loc *l, const char *level, const char *msg, struct strbuf *sb)
{
	size_t mlen = strlen(msg);
	if (mlen && msg[mlen - 1] == '\n')
		mlen--;
	const char *file = l->src ? l->src->name : "";
	if (!l->src || l->line <= 0 || l->end_line > l->line) {
		if (l->src && l->line > 0)
			sb_printf(sb, "%s:%d-%d: ", file, l->line, l->end_line);
		sb_printf(sb, "%s: %.*s\n", level, (int)mlen, msg);
		return;
	}
	sb_printf(sb, "%s:%d:%d-%d: %s: %.*s\n", file, l->line, l->col, l->end_col, level, (int)mlen, msg);
	size_t n;
	const char *line = source_line(l->src, l->line, &n);
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		sb_fill(sb, line[i] == '\t' ? ' ' : line[i], line[i] == '\t' ? 4 : 1);
	sb_putc(sb, '\n');
	for (size_t i = 0; i < n && i + 1 < (size_t)l->end_col; i++)
		sb_fill(sb, i + 1 < (size_t)l->col ? ' ' : '~', line[i] == '\t' ? 4 : 1);
	sb_putc(sb, '\n');
}

/* A runtime warning fires on every event that meets it (a full map, a
 * division by zero): each site says so at most once a second. */
static bool warned_lately(struct session *s, const struct action_def *act)
{
	if (act->kind != ACT_RUNTIME_WARNING && act->kind != ACT_HELPER_ERROR)
		return false;
	if (!s->warned_at)
		s->warned_at = xcalloc(s->plan->actions.n + 1, sizeof(*s->warned_at));
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	double *last = &s->warned_at[act->id];
	if (*last && now - *last < 1.0)
		return true;
	*last = now;
	return false;
}

static void do_message(struct session *s, const struct action_def *act, const char *msg)
{
	bool error = act->kind == ACT_ERRORF;
	if ((!error && s->plan->cfg.no_warnings) || warned_lately(s, act))
		return;
	if (s->out.format == OUTPUT_JSON) {
		struct strbuf sb = {0};
		const char *type = error ? "errorf" : act->kind == ACT_RUNTIME_WARNING ? "runtime_error" :
				   act->kind == ACT_HELPER_ERROR ? "helper_error" : "warnf";
		sb_printf(&sb, "{\"type\": \"%s\", \"msg\": ", type);
		format_json_string(&sb, msg, strlen(msg));
		sb_append(&sb, ", \"filename\": ");
		const char *file = act->loc.src ? act->loc.src->name : "";
		format_json_string(&sb, file, strlen(file));
		sb_printf(&sb, ", \"line\": %d, \"col\": %d}\n", act->loc.line, act->loc.col);
		output_write(&s->out, sb.s, sb.len);
		sb_free(&sb);
		return;
	}
	struct strbuf sb = {0};
	log_at(&act->loc, error ? "ERROR" : "WARNING", msg, &sb);
	output_message(&s->out, sb_str(&sb));
	sb_free(&sb);
}

static void do_join(struct session *s, const struct action_def *act, const char *payload)
{
	uint64_t count;
	memcpy(&count, payload + act->args->fields[0].offset, sizeof(count));
	const char *strs = payload + act->args->fields[1].offset;
	struct strbuf sb = {0};
	for (uint64_t i = 0; i < count && i < JOIN_MAX_ARGS; i++) {
		if (i)
			sb_append(&sb, act->fmt);
		const char *a = strs + i * JOIN_ARG_SIZE;
		sb_appendn(&sb, a, strnlen(a, JOIN_ARG_SIZE));
	}
	if (s->out.format == OUTPUT_TEXT)
		sb_putc(&sb, '\n');
	output_text(&s->out, "join", sb_str(&sb), sb.len);
	sb_free(&sb);
}

int session_on_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	if (s->exiting || size < RECORD_PAYLOAD_OFFSET)
		return 0;
	uint64_t id;
	memcpy(&id, data, sizeof(id));
	if (id >= s->plan->actions.n)
		return 0;
	const struct action_def *act = s->plan->actions.v[id];
	const char *payload = (const char *)data + RECORD_PAYLOAD_OFFSET;
	if (act->args && size < RECORD_PAYLOAD_OFFSET + act->args->size)
		return 0;
	switch (act->kind) {
	case ACT_PRINTF: {
		struct strbuf sb = {0};
		format_printf(&sb, act->fmt, act->args, payload, &s->out.ctx);
		output_printf(&s->out, sb_str(&sb), sb.len);
		sb_free(&sb);
		break;
	}
	case ACT_EXIT: {
		int64_t code;
		memcpy(&code, payload, sizeof(code));
		s->exit_code = (int)code;
		s->exiting = true;
		break;
	}
	case ACT_PRINT_MAP:
		session_print_map(s, act->map, act->top, act->div);
		break;
	case ACT_CLEAR_MAP:
		map_clear(s->map_fds[act->map->id], act->map);
		break;
	case ACT_ZERO_MAP:
		map_zero(s->map_fds[act->map->id], act->map);
		break;
	case ACT_PRINT_VALUE:
		output_value(&s->out, act->args->fields[0].type, payload);
		break;
	case ACT_TIME:
		do_time(s, act->fmt);
		break;
	case ACT_CAT:
	case ACT_SYSTEM:
	case ACT_ERRORF:
	case ACT_WARNF:
	case ACT_RUNTIME_WARNING:
	case ACT_HELPER_ERROR: {
		struct strbuf sb = {0};
		format_printf(&sb, act->fmt, act->args, payload, &s->out.ctx);
		if (act->kind == ACT_CAT)
			do_cat(s, sb_str(&sb));
		else if (act->kind == ACT_SYSTEM)
			do_system(s, sb_str(&sb));
		else
			do_message(s, act, sb_str(&sb));
		sb_free(&sb);
		break;
	}
	case ACT_JOIN:
		do_join(s, act, payload);
		break;
	default:
		break;
	}
	return 0;
}
