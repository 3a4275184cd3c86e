/* getopt("name"[, default[, "description"]]): a named parameter, given
 * after "--" as --name=value (or --flag for booleans).  The call becomes a
 * literal; its type follows the default (bool when there is none). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The command line's value for --name, or NULL; *present tells whether the
 * option was given at all. */
static const char *given(struct sema *s, const char *name, bool *present)
{
	size_t n = strlen(name);
	*present = false;
	for (size_t i = 0; i < s->opts->nnamed; i++) {
		const char *a = s->opts->named[i];
		if (strncmp(a, "--", 2) || strncmp(a + 2, name, n))
			continue;
		if (a[2 + n] == 0) {
			*present = true;
			return NULL;
		}
		if (a[2 + n] == '=') {
			*present = true;
			return a + 3 + n;
		}
	}
	return NULL;
}

static void record(struct sema *s, const char *name, const struct type *t, const char *dflt, const char *desc)
{
	for (size_t i = 0; i < s->plan->params.n; i++)
		if (!strcmp(s->plan->params.v[i].name, name))
			return;
	struct named_param p = { name, t, dflt, desc };
	vec_push(&s->plan->params, p);
}

static bool literal_of(struct node *arg, enum node_kind *kind, const char **text)
{
	if (!arg) {
		*kind = N_BOOL;
		*text = "false";
		return true;
	}
	*kind = arg->kind;
	if (arg->kind == N_STR)
		*text = arg->name;
	else if (arg->kind == N_BOOL)
		*text = arg->num ? "true" : "false";
	else if (arg->kind == N_INT)
		*text = NULL;
	else
		return false;
	return true;
}

const struct type *sema_getopt(struct sema *s, struct node *n)
{
	if (n->list.n < 1 || n->list.n > 3 || n->list.v[0]->kind != N_STR) {
		diag_error(s->d, &n->loc, "getopt() takes a name (a string literal), an optional default and an optional description");
		return NULL;
	}
	const char *name = n->list.v[0]->name;
	struct node *dflt = n->list.n > 1 ? n->list.v[1] : NULL;
	const char *desc = n->list.n > 2 && n->list.v[2]->kind == N_STR ? n->list.v[2]->name : "";
	enum node_kind kind;
	const char *dtext;
	if (!literal_of(dflt, &kind, &dtext)) {
		diag_error(s->d, &dflt->loc, "getopt() default must be a literal: a number, a string, true or false");
		return NULL;
	}
	const struct type *t = kind == N_STR ? type_string(s->a, (uint32_t)strlen(dtext) + 1) :
			       kind == N_INT ? type_s64() : type_bool();
	if (kind == N_INT)
		dtext = arena_printf(s->a, "%llu", (unsigned long long)dflt->num);
	record(s, name, t, dtext, desc);
	bool present;
	const char *value = given(s, name, &present);
	struct loc loc = n->loc;
	n->list = (nodelist){0};
	n->kind = kind;
	if (!present) {
		if (dflt)
			*n = *dflt;
		else
			n->num = 0;
		n->loc = loc;
		return sema_expr(s, n);
	}
	if (kind == N_BOOL) {
		bool yes = !value || !strcmp(value, "true") || !strcmp(value, "1");
		bool no = value && (!strcmp(value, "false") || !strcmp(value, "0"));
		if (!yes && !no) {
			diag_error(s->d, &loc, "--%s expects true, false, 1 or 0, not '%s'", name, value);
			return NULL;
		}
		n->num = yes;
	} else if (kind == N_INT) {
		char *end;
		n->num = value ? strtoull(value, &end, 0) : 0;
		if (!value || !*value || *end) {
			diag_error(s->d, &loc, "--%s expects a number, not '%s'", name, value ? value : "");
			return NULL;
		}
	} else {
		n->name = value ? value : "";
		n->len = strlen(n->name);
	}
	return sema_expr(s, n);
}

void sema_check_named(struct sema *s)
{
	for (size_t i = 0; i < s->opts->nnamed; i++) {
		const char *a = s->opts->named[i];
		if (!strcmp(a, "--help"))
			continue;
		size_t len = strcspn(a + 2, "=");
		bool known = false;
		for (size_t j = 0; j < s->plan->params.n; j++) {
			const char *p = s->plan->params.v[j].name;
			known = known || (strlen(p) == len && !strncmp(p, a + 2, len));
		}
		if (!known)
			diag_error(s->d, NULL, "unknown named parameter %.*s: the script takes %s", (int)len + 2, a,
				   s->plan->params.n ? "those listed by -- --help" : "none");
	}
}
