/* The config block and its environment overrides (TRAWK_X or BPFTRACE_X;
 * the environment wins over the script, as in bpftrace). */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum cfg_kind { CFG_UINT, CFG_BOOL, CFG_STRING, CFG_MISSING, CFG_ACCEPTED };

struct cfg_key {
	const char *name;
	enum cfg_kind kind;
	size_t offset;
	uint64_t min, max;   /* CFG_UINT: the values accepted */
};

#define K(n, k, f) { n, k, offsetof(struct config, f), 0, 0 }
/* A size or count, and the range it may take.  The bounds are what the
 * kernel or the program can hold, so no value overflows later (see
 * docs/language.md, "Config keys"). */
#define U(n, f, lo, hi) { n, CFG_UINT, offsetof(struct config, f), lo, hi }

static const struct cfg_key keys[] = {
	U("max_strlen", max_strlen, 1, MAX_STRLEN_LIMIT),
	/* The kernel's hash maps take at most 2^31 entries. */
	U("max_map_keys", max_map_keys, 1, MAX_MAP_ENTRIES),
	U("max_probes", max_probes, 1, 1000000),
	U("max_bpf_progs", max_bpf_progs, 1, 1000000),
	U("max_cat_bytes", max_cat_bytes, 1, 1u << 30),
	/* The kernel's bounds for a verifier log. */
	U("log_size", log_size, 128, UINT32_MAX >> 2),
	/* Nothing bigger than the 512-byte BPF stack can be on it. */
	U("on_stack_limit", on_stack_limit, 0, 512),
	/* A ring buffer of at most 1 GiB, in 4 KiB pages. */
	U("perf_rb_pages", perf_rb_pages, 0, 1u << 18),   /* 0: trawk's default */
	K("print_maps_on_exit", CFG_BOOL, print_maps_on_exit),
	K("cpp_demangle", CFG_BOOL, cpp_demangle),
	K("lazy_symbolication", CFG_BOOL, lazy_symbolication),
	K("missing_probes", CFG_MISSING, missing_probes),
	K("str_trunc_trailer", CFG_STRING, str_trunc_trailer),
	K("license", CFG_STRING, license),
	K("stack_mode", CFG_STRING, stack_mode),
	/* trawk's own: how syscall tracepoints attach (probes/syscall.c). */
	K("syscall_tracepoints", CFG_STRING, syscall_tracepoints),
	/* Known to bpftrace, with nothing for trawk to change: accepted. */
	{ "cache_user_symbols", CFG_ACCEPTED, 0 },
	{ "show_debug_info", CFG_ACCEPTED, 0 },
	{ "use_blazesym", CFG_ACCEPTED, 0 },
	{ "unstable_tseries", CFG_ACCEPTED, 0 },
	{ "unstable_dw_ustack", CFG_ACCEPTED, 0 },
	{ "unstable_import_statement", CFG_ACCEPTED, 0 },
	{ "unstable_typeinfo", CFG_ACCEPTED, 0 },
	{ "unstable_map_decl", CFG_ACCEPTED, 0 },
	{ "unstable_macro", CFG_ACCEPTED, 0 },
};

static const struct cfg_key *find_key(const char *name)
{
	if (!strncasecmp(name, "bpftrace_", 9))
		name += 9;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcasecmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* The keys a misspelling may be meant for: those trawk acts on. */
static const char *const *key_names(void)
{
	static const char *names[ARRAY_SIZE(keys) + 1];
	size_t n = 0;
	if (!names[0])
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			if (keys[i].kind != CFG_ACCEPTED)
				names[n++] = keys[i].name;
	return names;
}

/* The licenses the kernel lets call GPL-only helpers (license_is_gpl_compatible). */
static bool gpl_compatible(const char *license)
{
	static const char *const ok[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
	};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (!strcmp(license, ok[i]))
			return true;
	return false;
}

/* Sets key from text; returns an error message or NULL. */
static const char *set_value(struct sema *s, const struct cfg_key *k, const char *text, bool is_int, uint64_t num)
{
	void *field = (char *)&s->plan->cfg + k->offset;
	switch (k->kind) {
	case CFG_UINT: {
		if (!is_int) {
			char *end;
			errno = 0;
			num = strtoull(text, &end, 0);
			if (!*text || *end || !isdigit((unsigned char)*text))
				return *text == '-' ? "must not be negative" : "expects a number";
			if (errno == ERANGE)
				num = UINT64_MAX;   /* reported as out of range */
		}
		if (num < k->min || num > k->max)
			return arena_printf(s->a, "must be between %llu and %llu", (unsigned long long)k->min,
					    (unsigned long long)k->max);
		*(uint64_t *)field = num;
		return NULL;
	}
	case CFG_BOOL:
		if (is_int && num <= 1)
			*(bool *)field = num;
		else if (!is_int && (!strcmp(text, "true") || !strcmp(text, "1")))
			*(bool *)field = true;
		else if (!is_int && (!strcmp(text, "false") || !strcmp(text, "0")))
			*(bool *)field = false;
		else
			return "expects true or false";
		return NULL;
	case CFG_STRING:
		if (is_int)
			return "expects a string";
		if (!strcmp(k->name, "license") && !gpl_compatible(text))
			return "must be GPL compatible (GPL, GPL v2, Dual BSD/GPL, ...): trawk's programs call GPL-only helpers";
		if (!strcmp(k->name, "stack_mode") && stack_mode_of(text, true) < 0)
			return "expects bpftrace, perf, raw or build_id";
		if (!strcmp(k->name, "syscall_tracepoints") && strcmp(text, "raw") && strcmp(text, "perf"))
			return "expects raw or perf";
		*(const char **)field = arena_strdup(s->a, text);
		return NULL;
	case CFG_MISSING:
		if (is_int)
			return "expects error, warn or ignore";
		if (!strcasecmp(text, "error"))
			s->plan->cfg.missing_probes = MISSING_ERROR;
		else if (!strcasecmp(text, "warn"))
			s->plan->cfg.missing_probes = MISSING_WARN;
		else if (!strcasecmp(text, "ignore"))
			s->plan->cfg.missing_probes = MISSING_IGNORE;
		else
			return "expects error, warn or ignore";
		return NULL;
	case CFG_ACCEPTED:
		return NULL;
	}
	return NULL;
}

static void script_item(struct sema *s, struct node *item)
{
	const char *name = item->left->name;
	const struct cfg_key *k = find_key(name);
	if (!k) {
		const char *hint = closest_name(name, key_names());
		if (hint)
			diag_error(s->real, &item->left->loc, "unknown config key '%s'; did you mean '%s'?", name, hint);
		else
			diag_error(s->real, &item->left->loc, "unknown config key '%s'", name);
		return;
	}
	struct node *v = item->right;
	const char *err;
	if (v->kind == N_INT || v->kind == N_BOOL)
		err = set_value(s, k, NULL, true, v->num);
	else if (v->kind == N_STR || v->kind == N_IDENT)
		err = set_value(s, k, v->name, false, 0);
	else if (v->kind == N_UNOP && v->op == OP_NEG && v->left->kind == N_INT)
		err = "must not be negative";
	else
		err = "expects a number, a name or a string";
	if (err)
		diag_error(s->real, &v->loc, "config key %s %s", k->name, err);
}

/* From the environment the caller passed (the trawk command: its own). */
static void env_overrides(struct sema *s)
{
	static const char *const prefixes[] = { "BPFTRACE_", "TRAWK_" };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		for (size_t p = 0; p < ARRAY_SIZE(prefixes); p++) {
			char var[96];
			size_t n = (size_t)snprintf(var, sizeof(var), "%s%s", prefixes[p], keys[i].name);
			for (size_t c = 0; c < n; c++)
				var[c] = (char)toupper((unsigned char)var[c]);
			const char *val = env_lookup(s->opts->env, var);
			if (!val)
				continue;
			const char *err = set_value(s, &keys[i], val, false, 0);
			if (err)
				diag_error(s->real, NULL, "environment variable %s %s", var, err);
		}
	}
}

void sema_config(struct sema *s, struct node *cfg)
{
	if (!cfg) {
		env_overrides(s);
		return;
	}
	for (size_t i = 0; i < cfg->list.n; i++)
		script_item(s, cfg->list.v[i]);
}
