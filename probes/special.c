/* begin and end: programs that are never attached; the runtime runs them
 * once with BPF_PROG_TEST_RUN, at start and at exit. */
#include "probe.h"

static int special_expand(const struct provider *p, const char *spec, const struct loc *loc,
			  struct arena *a, pointvec *out, struct diag *d)
{
	if (spec) {
		diag_error(d, loc, "'%s' takes no arguments", p->name);
		return -1;
	}
	struct probe_point *pt = arena_alloc(a, sizeof(*pt));
	pt->prov = p;
	pt->name = p->name;
	pt->loc = *loc;
	vec_push(out, pt);
	return 0;
}

static const char *special_section(const struct probe_point *pt, struct arena *a)
{
	return "raw_tp";
}

static void special_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	if (!pattern || probe_glob(pattern, p->name))
		sb_printf(out, "%s\n", p->name);
}

const struct provider provider_begin = {
	.name = "BEGIN",
	.aliases = { "begin" },
	.is_special = true,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.expand = special_expand,
	.section = special_section,
	.list = special_list,
};

const struct provider provider_end = {
	.name = "END",
	.aliases = { "end" },
	.is_special = true,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.expand = special_expand,
	.section = special_section,
	.list = special_list,
};
