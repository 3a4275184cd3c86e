/* The stages in order, behind include/trawk.h. */
#include "trawk.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../bpf/disasm.h"
#include "../codegen/codegen.h"
#include "../lexer/cpp.h"
#include "../parser/parse.h"
#include "../probes/probe.h"
#include "../runtime/runtime.h"
#include "../sema/sema.h"
#include "../types/btf.h"
#include "../types/kallsyms.h"

struct trawk {
	struct arena arena;
	struct diag diag;
	struct source src;
	char *text;
	struct node *root;
	char *ast_text;          /* the tree before sema, for -d ast */
	bool typed;
	struct plan plan;
	struct codegen_out cg;
	atomic_int stop;         /* trawk_stop() asked */
};

struct trawk *trawk_new(void)
{
	return xcalloc(1, sizeof(struct trawk));
}

void trawk_free(struct trawk *t)
{
	if (!t)
		return;
	plan_free(&t->plan);
	free(t->cg.obj);
	free(t->cg.ir);
	free(t->ast_text);
	free(t->text);
	diag_free(&t->diag);
	arena_free(&t->arena);
	free(t);
}

/* Copies the caller's options into a zeroed struct of this library's size.
 * -1 when the size is missing, or when it is larger and the bytes this
 * version does not know are not zero (an option it would ignore). */
static int opts_copy(void *dst, size_t dst_sz, const void *src)
{
	memset(dst, 0, dst_sz);
	if (!src)
		return 0;
	size_t sz = *(const size_t *)src;
	if (sz < sizeof(size_t))
		return -1;
	for (size_t i = dst_sz; i < sz; i++)
		if (((const unsigned char *)src)[i])
			return -1;
	memcpy(dst, src, sz < dst_sz ? sz : dst_sz);
	return 0;
}

const char *trawk_errors(const struct trawk *t)
{
	return t->diag.out.s ? t->diag.out.s : "";
}

void trawk_cleanup(void)
{
	btf_free();
	kallsyms_free();
	kprobe_functions_free();
	tracefs_events_free();
	ldcache_free();
	lib_search_free();
}

int trawk_info(FILE *f)
{
	struct strbuf sb = {0};
	features_report(&sb);
	int rc = fputs(sb_str(&sb), f) < 0 ? -EIO : 0;
	sb_free(&sb);
	return rc;
}

const char *trawk_version(void)
{
	return TRAWK_VERSION;
}

/* max_bpf_progs guards against a wildcard that matches far more than
 * meant (sema checks max_probes); the message says how to raise it. */
static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool over_prog_limit(struct trawk *t)
{
	/* Points sharing a program share its name: count the distinct names,
	 * sorted, in n log n for a script of very many points. */
	size_t n = 0, progs = t->plan.points.n;
	const char **names = xmalloc((progs + 1) * sizeof(*names));
	for (size_t i = 0; i < t->plan.points.n; i++)
		if (t->plan.points.v[i]->prog_name)
			names[n++] = t->plan.points.v[i]->prog_name;
	qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 1; i < n; i++)
		progs -= !strcmp(names[i - 1], names[i]);
	free(names);
	uint64_t max = t->plan.cfg.max_bpf_progs;
	if (progs <= max)
		return false;
	diag_error(&t->diag, NULL, "the script needs %zu BPF programs, more than max_bpf_progs (%llu); raise it with "
		   "config = { max_bpf_progs = N } or BPFTRACE_MAX_BPF_PROGS", progs, (unsigned long long)max);
	return true;
}

int trawk_compile(struct trawk *t, const char *name, const char *text, size_t len,
		  const struct trawk_compile_opts *opts)
{
	struct trawk_compile_opts co;
	if (opts_copy(&co, sizeof(co), opts)) {
		diag_error(&t->diag, NULL, "trawk_compile: options of an unknown size: declare them with TRAWK_OPTS");
		return -1;
	}
	opts = &co;
	const char *btf = env_lookup(opts->env, "BPFTRACE_BTF");
	if (btf && *btf)
		btf_set_path(btf);
	t->diag.no_warnings = opts->no_warnings;
	t->text = xstrndup(text, len);
	t->src = (struct source){ .name = arena_strdup(&t->arena, name), .text = t->text, .len = len };
	struct cpp_result cpp;
	if (cpp_run(&t->src, &t->arena, &cpp, &t->diag)) {
		cpp_result_free(&cpp);
		return -1;
	}
	/* Same length and lines, directives blanked: positions do not move. */
	free(t->text);
	t->text = cpp.text;
	cpp.text = NULL;
	t->src.text = t->text;
	size_t nd = cpp.defines.n;
	const char **names = arena_alloc(&t->arena, (nd + 1) * sizeof(char *));
	const char **values = arena_alloc(&t->arena, (nd + 1) * sizeof(char *));
	for (size_t i = 0; i < nd; i++) {
		names[i] = cpp.defines.v[i].name;
		values[i] = cpp.defines.v[i].value;
	}
	cpp_result_free(&cpp);
	t->root = parse_program(&t->arena, &t->src, &t->diag);
	if (!t->root)
		return -1;
	if (opts->want_ast) {   /* before sema rewrites the tree */
		struct strbuf sb = {0};
		ast_print(&sb, t->root, false);
		t->ast_text = sb.s ? sb.s : xstrdup("");
	}
	struct sema_opts so = {
		.nparams = opts->nparams, .params = opts->params, .check_only = opts->check_only,
		.nnamed = opts->nnamed, .named = opts->named,
		.unsafe = opts->unsafe, .no_warnings = opts->no_warnings,
		.pid = opts->pid, .cpid = opts->cpid,
		.ndefines = nd, .define_names = names, .define_values = values,
		.env = opts->env,
	};
	probes_set_offline(opts->check_only);
	probes_set_target_pid(opts->pid);
	if (sema_run(t->root, &t->plan, &t->arena, &t->diag, &so))
		return -1;
	t->typed = true;
	if (opts->check_only)
		return 0;
	bool is_file = strcmp(name, "stdin") != 0;
	if (codegen_run(t->root, &t->plan, &t->arena, t->src.name, is_file, opts->want_ir, &t->cg, &t->diag))
		return -1;
	return over_prog_limit(t) ? -1 : 0;
}

int trawk_dump(const struct trawk *t, enum trawk_dump what, FILE *f)
{
	switch (what) {
	case TRAWK_DUMP_AST:
		if (!t->ast_text)
			return -1;
		fputs(t->ast_text, f);
		return 0;
	case TRAWK_DUMP_TYPES: {
		if (!t->typed)
			return -1;
		struct strbuf sb = {0};
		ast_print(&sb, t->root, true);
		fputs(sb_str(&sb), f);
		sb_free(&sb);
		return 0;
	}
	case TRAWK_DUMP_IR:
		if (!t->cg.ir)
			return -1;
		fputs(t->cg.ir, f);
		return 0;
	case TRAWK_DUMP_BYTECODE: {
		struct strbuf sb = {0};
		int rc = t->cg.obj ? bpf_disassemble(t->cg.obj, t->cg.obj_len, &sb) : -1;
		fputs(sb_str(&sb), f);
		sb_free(&sb);
		return rc;
	}
	}
	return -1;
}

int trawk_params_help(const struct trawk *t, FILE *f)
{
	const struct plan *p = &t->plan;
	if (!p->params.n)
		return 0;
	fputs("NAMED PARAMETERS (given after --):\n", f);
	for (size_t i = 0; i < p->params.n; i++) {
		const struct named_param *np = &p->params.v[i];
		const char *kind = np->type->kind == TY_BOOL ? "" : np->type->kind == TY_INT ? "=NUMBER" : "=STRING";
		char opt[128];
		snprintf(opt, sizeof(opt), "--%s%s", np->name, kind);
		fprintf(f, "    %-24s %s%s(default: %s)\n", opt, np->desc, *np->desc ? " " : "", np->dflt);
	}
	return (int)p->params.n;
}

int trawk_object(const struct trawk *t, const void **obj, size_t *len)
{
	if (!t->cg.obj)
		return -1;
	*obj = t->cg.obj;
	*len = t->cg.obj_len;
	return 0;
}

void trawk_stop(struct trawk *t)
{
	atomic_store(&t->stop, 1);
}

int trawk_run(struct trawk *t, const struct trawk_run_opts *user_opts)
{
	struct trawk_run_opts o;
	const struct trawk_run_opts *opts = &o;
	if (opts_copy(&o, sizeof(o), user_opts)) {
		diag_error(&t->diag, NULL, "trawk_run: options of an unknown size: declare them with TRAWK_OPTS");
		return 1;
	}
	if (!t->cg.obj) {
		diag_error(&t->diag, NULL, "nothing compiled to run");
		return 1;
	}
	struct runtime_opts ro = {
		.format = opts->format == TRAWK_JSON ? OUTPUT_JSON : OUTPUT_TEXT,
		.out = opts->out ? opts->out : stdout,
		.out_name = opts->out_name,
		.buffering = opts->buffering == TRAWK_BUFFER_FULL ? BUFFER_FULL :
			     opts->buffering == TRAWK_BUFFER_NONE ? BUFFER_NONE : BUFFER_LINE,
		.quiet = opts->quiet,
		.verbose = opts->verbose,
		.timeout = opts->timeout,
		.pid = opts->pid,
		.dry_run = opts->dry_run,
		.child_pid = opts->child_pid,
		.child_go_fd = opts->child_go_fd,
		.message = opts->message,
		.message_arg = opts->message_arg,
		.stop = &t->stop,
	};
	int status = runtime_run(&t->plan, t->cg.obj, t->cg.obj_len, &ro, &t->diag);
	atomic_store(&t->stop, 0);
	return status;
}

int trawk_list(const char *pattern, FILE *f)
{
	return trawk_list_process(pattern, 0, f);
}

/* With a process, only what it maps is listed: its uprobes and USDT. */
static bool listed_for_process(const struct provider *p)
{
	return !strcmp(p->name, "uprobe") || !strcmp(p->name, "usdt");
}

int trawk_list_process(const char *pattern, int pid, FILE *f)
{
	probes_set_target_pid(pid);
	struct strbuf sb = {0};
	char prov[64] = "";
	const char *rest = pattern;
	if (pattern && strchr(pattern, ':')) {
		snprintf(prov, sizeof(prov), "%.*s", (int)(strchr(pattern, ':') - pattern), pattern);
		rest = strchr(pattern, ':') + 1;
	}
	int rc = 0;
	for (const struct provider *const *p = provider_all(); *p; p++) {
		if (!(*p)->list)
			continue;
		if (prov[0] && !probe_glob(prov, (*p)->name) && !(provider_find(prov) == *p))
			continue;
		if (pid > 0 && !listed_for_process(*p))
			continue;
		(*p)->list(*p, prov[0] ? rest : pattern, &sb);
		if ((*p)->lists_from_tracefs && tracefs_error())
			rc = -tracefs_error();
	}
	probes_set_target_pid(0);
	fputs(sb_str(&sb), f);
	sb_free(&sb);
	return rc;
}
