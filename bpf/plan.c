#include "plan.h"

#include <string.h>

bool map_def_is_hist(const struct map_def *m)
{
	return m->value->kind == TY_HIST || m->value->kind == TY_LHIST;
}

bool map_def_is_percpu(const struct map_def *m)
{
	return m->kind == MAPK_PERCPU_HASH || m->kind == MAPK_PERCPU_LRU_HASH;
}

uint32_t map_def_bucket_offset(const struct map_def *m)
{
	return ALIGN_UP(m->key->size, 8);
}

uint32_t map_def_key_size(const struct map_def *m)
{
	uint32_t size = m->key->size;
	if (map_def_is_hist(m))
		return map_def_bucket_offset(m) + 8;
	/* A scalar map has one entry, under a u64 zero key. */
	return size ? size : 8;
}

void config_defaults(struct config *c)
{
	*c = (struct config){
		.max_strlen = DEFAULT_MAX_STRLEN,
		.max_map_keys = 4096,
		.max_probes = 1024,
		.max_bpf_progs = 1024,
		.max_cat_bytes = 10240,
		.log_size = 1000000,
		.on_stack_limit = 32,
		.perf_rb_pages = 0,
		.print_maps_on_exit = true,
		.cpp_demangle = true,
		.lazy_symbolication = true,
		.missing_probes = MISSING_ERROR,
		.str_trunc_trailer = "..",
		.license = "GPL",
		.stack_mode = "bpftrace",
		.syscall_tracepoints = "raw",
	};
}

void plan_free(struct plan *p)
{
	vec_free(&p->maps);
	vec_free(&p->actions);
	vec_free(&p->points);
	vec_free(&p->params);
	vec_free(&p->stmt_locs);
}

struct map_def *plan_find_map(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->maps.n; i++)
		if (!strcmp(p->maps.v[i]->name, name))
			return p->maps.v[i];
	return NULL;
}
