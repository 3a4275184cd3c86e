/* Records from the BPF side, and the actions they ask user space to do. */
#include "session.h"

#include <bpf/bpf.h>
#include <string.h>
#include <time.h>

#include "mapread.h"

void session_print_map(struct session *s, const struct map_def *m, uint64_t top, uint64_t div)
{
	struct map_snapshot snap;
	if (mapread(s->map_fds[m->id], m, &snap) == 0 && snap.view.n) {
		struct strbuf sb = {0};
		mapprint(&sb, &snap.view, top, div, s->out.format, &s->out.ctx);
		output_write(&s->out, sb.s, sb.len);
		sb_free(&sb);
	}
	mapread_free(&snap);
}

uint64_t session_read_lost(struct session *s)
{
	if (s->lost_fd < 0)
		return 0;
	int n = libbpf_num_possible_cpus();
	if (n < 1)
		n = 1;
	uint64_t *vals = xcalloc((size_t)n, sizeof(uint64_t));
	uint32_t key = 0;
	uint64_t total = 0;
	if (bpf_map_lookup_elem(s->lost_fd, &key, vals) == 0)
		for (int i = 0; i < n; i++)
			total += vals[i];
	free(vals);
	return total;
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
	default:
		break;
	}
	return 0;
}
