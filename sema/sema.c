/* The order of semantic analysis: config, macros, map declarations, probe
 * expansion, then type inference passes until map and variable types stop
 * growing, and a final pass that reports errors and records actions. */
#include "internal.h"

#include <string.h>

#define MAX_PASSES 8

/* "$1" in an attach point is replaced by the parameter's text. */
static const char *subst_params(struct sema *s, const char *text)
{
	if (!strchr(text, '$'))
		return text;
	struct strbuf sb = {0};
	for (const char *p = text; *p;) {
		if (p[0] == '$' && p[1] >= '0' && p[1] <= '9') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			if (i >= 1 && i <= s->opts->nparams)
				sb_append(&sb, s->opts->params[i - 1]);
			p = end;
		} else {
			sb_putc(&sb, *p++);
		}
	}
	const char *r = arena_strdup(s->a, sb_str(&sb));
	sb_free(&sb);
	return r;
}

/* name, or with name "arg#" any of arg0, arg1, ... */
static bool ident_is(const char *ident, const char *name)
{
	if (strcmp(name, "arg#"))
		return !strcmp(ident, name);
	return !strncmp(ident, "arg", 3) && ident[3] && strspn(ident + 3, "0123456789") == strlen(ident + 3);
}

static bool is_ident(const struct node *n, const void *name)
{
	return (n->kind == N_IDENT || n->kind == N_CALL) && ident_is(n->name, name);
}

static bool uses(const struct node *probe, const char *name)
{
	return node_any(probe->body, is_ident, name) || node_any(probe->pred, is_ident, name);
}

/* Arguments in u64 slots are counted by their types: fexit's retval is in
 * the slot after them, and the kernel will not attach a raw tracepoint
 * program that reads past its event's (sema checks argN against them, when
 * the kernel's BTF can tell). */
static int count_arg_slots(struct sema *s, struct node *probe, struct probe_block *pb)
{
	if (!uses(probe, "retval") && !uses(probe, "arg#"))
		return 0;
	for (size_t j = 0; j < pb->points.n; j++) {
		struct probe_point *pt = pb->points.v[j];
		if (pt->prov->ctx != CTX_ARGS || pt->args || !pt->prov->load_args)
			continue;
		if (!(pt->prov->caps & CAP_ARGN)) {   /* fentry/fexit: only ever typed from BTF */
			if (pt->prov->load_args(pt, &s->plan->cfg, s->a, s->real))
				return -1;
			continue;
		}
		struct diag quiet = {0};
		pt->prov->load_args(pt, &s->plan->cfg, s->a, &quiet);
		diag_free(&quiet);
	}
	return 0;
}

/* Expands one attach point.  A wildcard that matches nothing is not an
 * error while the block has other points: kernels differ in which functions
 * and events they have (a list may name both spellings).  Returns the
 * expansion's result; a no-match leaves no message. */
static int expand_point(struct sema *s, struct node *ap, struct probe_block *pb, struct diag *d)
{
	const char *text = subst_params(s, ap->name);
	if (!probe_has_wildcard(text))
		return probe_expand(text, &ap->loc, s->a, &pb->points, d);
	struct diag quiet = {0};
	size_t before = pb->points.n;
	int rc = probe_expand(text, &ap->loc, s->a, &pb->points, &quiet);
	if (rc < 0) {
		/* A real error: said again, where it belongs. */
		pb->points.n = before;
		rc = probe_expand(text, &ap->loc, s->a, &pb->points, d);
	} else if (rc == 0 && !d->no_warnings) {
		sb_append(&d->out, sb_str(&quiet.out));
		d->warnings += quiet.warnings;
	}
	diag_free(&quiet);
	return rc;
}

static int expand_probe(struct sema *s, struct node *probe, int index)
{
	struct probe_block *pb = arena_alloc(s->a, sizeof(*pb));
	probe->aux = pb;
	int rc = 0;
	/* missing_probes = warn or ignore: a probe that does not exist is
	 * reported as a warning, or not at all, and left out. */
	enum missing_probes mode = s->plan->cfg.missing_probes;
	struct diag soft = { .errors_are_warnings = true, .no_warnings = mode == MISSING_IGNORE };
	struct diag *d = mode == MISSING_ERROR ? s->real : &soft;
	struct node *unmatched = NULL;
	for (size_t i = 0; i < probe->list.n; i++) {
		struct node *ap = probe->list.v[i];
		size_t before = pb->points.n;
		/* One point past max_probes is enough to report it. */
		uint64_t max = s->plan->cfg.max_probes;
		size_t done = s->plan->points.n;
		probes_set_max_points(done <= max ? (size_t)(max - done + 1) : 1);
		int failed = expand_point(s, ap, pb, d);
		probes_set_max_points(0);
		sb_append(&s->real->out, sb_str(&soft.out));
		sb_reset(&soft.out);
		if (failed == PROBE_NO_MATCH && !unmatched)
			unmatched = ap;
		if (failed) {
			if (mode == MISSING_ERROR && failed < 0)
				rc = -1;
			continue;
		}
		for (size_t j = before; j < pb->points.n; j++) {
			pb->points.v[j]->probe_index = index;
			probe_refine(pb->points.v[j], &s->plan->cfg);
		}
		/* Past max_probes the rest of the list is not worth expanding:
		 * over_probe_limit reports it once the block is in the plan. */
		if (s->plan->points.n + pb->points.n > s->plan->cfg.max_probes)
			break;
	}
	/* A block whose wildcards all matched nothing is a missing probe. */
	if (!pb->points.n && unmatched && !rc) {
		pointvec none = {0};
		probe_expand(subst_params(s, unmatched->name), &unmatched->loc, s->a, &none, d);
		vec_free(&none);
		sb_append(&s->real->out, sb_str(&soft.out));
		if (mode == MISSING_ERROR)
			rc = -1;
	}
	diag_free(&soft);
	/* The block's points live as long as the tree: move them to the arena. */
	size_t npts = pb->points.n;
	struct probe_point **pts = arena_alloc(s->a, (npts + 1) * sizeof(*pts));
	if (npts)
		memcpy(pts, pb->points.v, npts * sizeof(*pts));
	vec_free(&pb->points);
	pb->points.v = pts;
	pb->points.n = pb->points.cap = npts;
	if (rc)
		return rc;
	pb->caps = ~0u;
	bool mixed = false;
	for (size_t j = 0; j < pb->points.n; j++) {
		struct probe_point *pt = pb->points.v[j];
		pb->caps &= pt->prov->caps;
		if (pt->prov != pb->points.v[0]->prov)
			mixed = true;
		uint32_t len = (uint32_t)strlen(pt->name) + 1;
		if (len > pb->probe_len)
			pb->probe_len = len;
		len = pt->func ? (uint32_t)strlen(pt->func) + 1 : 1;
		if (len > pb->func_len)
			pb->func_len = len;
	}
	bool uses_args = uses(probe, "args");
	bool uses_probe = uses(probe, "probe");
	/* In a user probe, func is the function's name, known per point: the
	 * process may be gone by the time an address could be looked up. */
	bool user_func = pb->points.n && pb->points.v[0]->prov->user &&
			 uses(probe, "func");
	/* uaddr in a PIE is found from the probed instruction's own address. */
	bool uses_uaddr = uses(probe, "uaddr");
	pb->per_point = pb->points.n > 1 && (uses_args || uses_probe || user_func || mixed || uses_uaddr);
	if (uses_args && (pb->caps & CAP_ARGS)) {
		for (size_t j = 0; j < pb->points.n; j++) {
			struct probe_point *pt = pb->points.v[j];
			if (pt->prov->load_args && pt->prov->load_args(pt, &s->plan->cfg, s->a, s->real))
				return -1;
		}
	}
	if (count_arg_slots(s, probe, pb))
		return -1;
	for (size_t j = 0; j < pb->points.n; j++)
		vec_push(&s->plan->points, pb->points.v[j]);
	return 0;
}

/* max_probes guards against a wildcard that matches far more than meant,
 * and bounds the work for a script of very many probes: expansion stops
 * at the probe that goes over. */
static bool over_probe_limit(struct sema *s, struct node *probe)
{
	uint64_t max = s->plan->cfg.max_probes;
	if (s->plan->points.n <= max)
		return false;
	/* Not a count: a wildcard stops expanding one point past the limit. */
	diag_error(s->real, &probe->list.v[0]->loc, "the script attaches more than max_probes (%llu) probes up to "
		   "here; raise it with config = { max_probes = N } or BPFTRACE_MAX_PROBES", (unsigned long long)max);
	return true;
}

static void declare_map(struct sema *s, struct node *decl)
{
	static const struct { const char *name; enum map_kind kind; } kinds[] = {
		{ "hash", MAPK_HASH }, { "lruhash", MAPK_LRU_HASH },
		{ "percpuhash", MAPK_PERCPU_HASH }, { "percpulruhash", MAPK_PERCPU_LRU_HASH },
	};
	struct node *call = decl->left;
	size_t k = 0;
	while (k < ARRAY_SIZE(kinds) && strcmp(kinds[k].name, call->name))
		k++;
	if (k == ARRAY_SIZE(kinds)) {
		diag_error(s->real, &call->loc,
			   "unknown map type '%s'; expected hash, lruhash, percpuhash or percpulruhash", call->name);
		return;
	}
	if (call->list.n == 1 && call->list.v[0]->kind == N_INT && call->list.v[0]->num > MAX_MAP_ENTRIES) {
		diag_error(s->real, &call->list.v[0]->loc, "%s() takes at most %llu entries, the most the kernel's maps hold",
			   call->name, MAX_MAP_ENTRIES);
		return;
	}
	if (call->list.n != 1 || call->list.v[0]->kind != N_INT || call->list.v[0]->num == 0) {
		diag_error(s->real, &call->loc, "%s() takes one argument: the maximum number of entries",
			   call->name);
		return;
	}
	if (plan_find_map(s->plan, decl->name)) {
		diag_error(s->real, &decl->loc, "map %s is declared twice", decl->name);
		return;
	}
	struct node fake = { .kind = N_MAP, .name = decl->name, .loc = decl->loc };
	struct map_def *m = sema_map_def(s, &fake);
	m->kind = kinds[k].kind;
	m->max_entries = (uint32_t)call->list.v[0]->num;
	m->declared = true;
}

static void check_probe(struct sema *s, struct node *probe)
{
	struct scope root = {0};
	s->probe = probe;
	s->pb = probe->aux;
	s->scope = &root;
	s->loop_depth = 0;
	if (probe->pred) {
		sema_cond(s, probe->pred);
	}
	sema_block(s, probe->body, true);
	vec_free(&root.syms);
	s->scope = NULL;
}

static void run_pass(struct sema *s, struct node *prog)
{
	s->changed = false;
	for (size_t i = 0; i < prog->list.n; i++)
		if (prog->list.v[i]->kind == N_PROBE)
			check_probe(s, prog->list.v[i]);
}

static void check_probes(struct sema *s, struct node *prog);

int sema_run(struct node *prog, struct plan *plan, struct arena *a, struct diag *d,
	     const struct sema_opts *opts)
{
	struct sema s = { .a = a, .real = d, .plan = plan, .opts = opts };
	config_defaults(&plan->cfg);
	plan->cfg.unsafe = opts->unsafe;
	plan->cfg.no_warnings = opts->no_warnings;
	plan->cfg.pid = opts->pid;
	plan->cfg.cpid = opts->cpid;
	int errors = d->errors;
	size_t nconfig = 0;
	bool seen_probe = false;
	for (size_t i = 0; i < prog->list.n; i++) {
		struct node *n = prog->list.v[i];
		seen_probe = seen_probe || n->kind == N_PROBE;
		if (n->kind == N_CONFIG && nconfig++)
			diag_error(d, &n->loc, "only one config block is allowed");
		else if (n->kind == N_CONFIG && seen_probe)
			diag_error(d, &n->loc, "the config block must come before the probes");
		else if (n->kind == N_CONFIG)
			sema_config(&s, n);
	}
	sema_config(&s, NULL);   /* environment overrides */
	sema_cdefs(&s, prog);
	sema_collect_macros(&s, prog);
	/* Before probe expansion, which looks for args and probe in the
	 * expanded bodies. */
	sema_expand_macros(&s, prog);
	int index = 0;
	bool has_probe = false, over_probes = false;
	for (size_t i = 0; i < prog->list.n; i++) {
		struct node *n = prog->list.v[i];
		if (n->kind == N_MAP_DECL)
			declare_map(&s, n);
		else if (n->kind == N_IMPORT)
			diag_error(d, &n->loc, "import is not supported yet");
		else if (n->kind == N_PROBE && !over_probes) {
			has_probe = true;
			expand_probe(&s, n, index++);
			over_probes = over_probe_limit(&s, n);
		}
	}
	if (!has_probe && d->errors == errors)
		diag_error(d, NULL, "the script has no probes");
	if (d->errors == errors)
		check_probes(&s, prog);
	vec_free(&s.macros);
	return d->errors > errors ? -1 : 0;
}

/* Maps written somewhere may be read before their type is known (as in
 * "@n = @n + 1"): a read then assumes a number until the passes settle. */
static void note_assigned(struct sema *s, const struct node *n);

static void note_assigned_child(struct node *n, void *s)
{
	note_assigned(s, n);
}

static void note_assigned(struct sema *s, const struct node *n)
{
	/* A macro's body is a template: its maps are the callers'. */
	if (!n || n->kind == N_MACRO)
		return;
	const struct node *target = n->kind == N_ASSIGN ? n->left : n->kind == N_INCDEC ? n->left : NULL;
	if (target && target->kind == N_MAP)
		sema_map_def(s, (struct node *)target)->assigned = true;
	node_each_child((struct node *)n, note_assigned_child, s);
}

/* A declared map the script never uses has no types: drop it, as bpftrace
 * does, with a warning. */
static void drop_unused_maps(struct sema *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->plan->maps.n; i++) {
		struct map_def *m = s->plan->maps.v[i];
		if (!m->value || !m->key) {
			diag_warning(s->real, &m->loc, "map %s is never used", m->name);
			continue;
		}
		m->id = (int)kept;
		s->plan->maps.v[kept++] = m;
	}
	s->plan->maps.n = kept;
}

static void check_probes(struct sema *s, struct node *prog)
{
	note_assigned(s, prog);
	s->d = &s->quiet;
	for (int pass = 0; pass < MAX_PASSES; pass++) {
		run_pass(s, prog);
		sb_reset(&s->quiet.out);
		s->quiet.errors = 0;
		if (!s->changed && pass > 0)
			break;
	}
	diag_free(&s->quiet);
	s->d = s->real;
	s->final = true;
	run_pass(s, prog);
	sema_check_named(s);
	if (!s->real->errors)
		drop_unused_maps(s);
}
