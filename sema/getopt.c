/* getopt("name"[, default[, "description"]]): a named parameter, given
 * after "--" as --name=value (or --flag for booleans).  The call becomes a
 * literal; its type follows the default (bool when there is none). */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The same name must mean the same parameter everywhere it is used. */
static bool record(struct sema *s, const struct loc *loc, const char *name, const struct type *t,
		   const char *dflt, const char *desc)
{
	for (size_t i = 0; i < s->plan->params.n; i++) {
		const struct named_param *p = &s->plan->params.v[i];
		if (strcmp(p->name, name))
			continue;
		bool same = p->type->kind == t->kind && !strcmp(p->dflt, dflt);
		if (!same)
			diag_error(s->d, loc, "getopt(\"%s\") needs the same default everywhere: here %s, before %s",
				   name, dflt, p->dflt);
		return same;
	}
	struct named_param p = { name, t, dflt, desc };
	vec_push(&s->plan->params, p);
	return true;
}

/* A default: a number (perhaps negative), a string, true or false. */
struct dflt {
	enum node_kind kind;
	int64_t num;
	const char *text;
};

static bool literal_of(struct sema *s, struct node *arg, struct dflt *d)
{
	*d = (struct dflt){ .kind = N_BOOL, .text = "false" };
	if (!arg)
		return true;
	bool neg = arg->kind == N_UNOP && arg->op == OP_NEG && arg->left->kind == N_INT;
	d->kind = neg ? N_INT : arg->kind;
	if (arg->kind == N_STR)
		d->text = arg->name;
	else if (arg->kind == N_BOOL) {
		d->text = arg->num ? "true" : "false";
		d->num = arg->num != 0;
	} else if (arg->kind == N_INT || neg)
		d->num = neg ? -(int64_t)arg->left->num : (int64_t)arg->num;
	else
		return false;
	if (d->kind == N_INT)
		d->text = arena_printf(s->a, "%lld", (long long)d->num);
	return true;
}

/* Parses the command line's value into d; false (reported) when it does
 * not fit the parameter's type. */
static bool parse_value(struct sema *s, const struct loc *loc, const char *name, const char *value,
			struct dflt *d)
{
	bool yes = !value || !strcasecmp(value, "true") || !strcmp(value, "1");
	bool no = value && (!strcasecmp(value, "false") || !strcmp(value, "0"));
	if (d->kind == N_BOOL) {
		if (!yes && !no) {
			diag_error(s->d, loc, "--%s expects true, false, 1 or 0, not '%s'", name, value);
			return false;
		}
		d->num = yes;
	} else if (d->kind == N_INT && value && (yes || no)) {   /* --n=false is 0, as in bpftrace */
		d->num = yes;
	} else if (d->kind == N_INT) {
		char *end = NULL;
		errno = 0;
		d->num = value ? strtoll(value, &end, 0) : 0;
		if (!value || !*value || *end || errno) {
			diag_error(s->d, loc, "--%s expects a number, not '%s'", name, value ? value : "");
			return false;
		}
	} else {
		d->text = value ? value : "";
	}
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
	struct dflt d;
	if (!literal_of(s, dflt, &d)) {
		diag_error(s->d, &dflt->loc, "getopt() default must be a literal: a number, a string, true or false");
		return NULL;
	}
	const struct type *t = d.kind == N_STR ? type_string(s->a, (uint32_t)strlen(d.text) + 1) :
			       d.kind == N_INT ? type_s64() : type_bool();
	if (!record(s, &n->loc, name, t, d.text, desc))
		return NULL;
	bool present;
	const char *value = given(s, name, &present);
	/* The call stays a call until its value is good, so that the final
	 * pass sees it again and reports what is wrong. */
	if (present && !parse_value(s, &n->loc, name, value, &d))
		return NULL;
	struct loc loc = n->loc;
	*n = (struct node){ .kind = d.kind, .loc = loc, .id = -1 };
	if (d.kind == N_STR) {
		n->name = d.text;
		n->len = strlen(d.text);
	} else if (d.num < 0) {   /* a negative number is the negation of a literal */
		n->kind = N_UNOP;
		n->op = OP_NEG;
		n->left = node_new(s->a, N_INT, loc);
		n->left->num = -(uint64_t)d.num;
	} else {
		n->num = (uint64_t)d.num;
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
