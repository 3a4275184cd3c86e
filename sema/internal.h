/* Shared between the sema files; not for other stages. */
#ifndef TRAWK_SEMA_INTERNAL_H
#define TRAWK_SEMA_INTERNAL_H

#include "sema.h"
#include "../probes/probe.h"
#include "../stdlib/stdlib.h"

struct scope {
	struct scope *up;
	VEC(struct sym *) syms;
};

struct sema {
	struct arena *a;
	struct diag *real;        /* where the final pass reports */
	struct diag quiet;        /* earlier passes report here, then it is dropped */
	struct diag *d;           /* the current one */
	bool final;               /* the last pass: report errors, create actions */
	bool changed;             /* a map or variable type grew during this pass */
	struct plan *plan;
	const struct sema_opts *opts;
	/* The probe being checked. */
	struct node *probe;
	struct probe_block *pb;
	struct scope *scope;
	int loop_depth;
	int nvars;
	bool args_member;         /* the args being checked is the left of args.f */
	const struct node *format_arg;  /* the format string literal being checked */
	struct cdefs *cdefs;      /* the script's C definitions */
	VEC(struct node *) macros;
	size_t nprelude;          /* the first macros are the builtin prelude */
	int macro_serial;
	/* Bounds on what expansion may build, so that macros or #defines that
	 * double at every level cannot grow the script without end. */
	size_t expanded_nodes;    /* made by macro and #define expansion */
	struct node **define_trees;   /* by #define: its value parsed once, cloned per use */
	int depth;                /* recursion of sema_expr and of expand_tree */
};

/* expr.c */
const struct type *sema_expr(struct sema *s, struct node *n);
/* The text of positional parameter $num, or NULL when it is not given. */
const char *sema_positional_text(struct sema *s, uint64_t num);
/* Checks n as a condition (integer, bool or pointer). */
bool sema_cond(struct sema *s, struct node *n);

/* stmt.c */
void sema_block(struct sema *s, struct node *block, bool new_scope);
void sema_stmt(struct sema *s, struct node *n);
struct sym *sema_lookup_var(struct sema *s, const char *name);

/* calls.c */
const struct type *sema_call(struct sema *s, struct node *n, bool agg_ok);
/* A run-time action of node n; n->id becomes its id. */
struct action_def *sema_new_action(struct sema *s, struct node *n, enum action_kind kind);
/* Fills what a builtin's type rule may ask of the probe being checked. */
void sema_probe_context(struct sema *s, struct bi_check *c);
const struct type *sema_map(struct sema *s, struct node *n, bool for_write);
void sema_map_assign(struct sema *s, struct node *assign);
struct map_def *sema_map_def(struct sema *s, struct node *map);

/* typeutil.c */
/* How a value is kept in a variable or map: integers widened to 64 bits. */
const struct type *storage_type(struct sema *s, const struct type *t);
/* The type both a and b fit in, or NULL when they cannot share storage. */
const struct type *unify_types(struct sema *s, const struct type *a, const struct type *b);
/* The type of an arithmetic result on two integers. */
const struct type *arith_type(const struct type *a, const struct type *b);
/* Operands of mixed sign that no signed type holds (uint64 with a signed one). */
bool sema_mixed_signs(const struct type *a, const struct type *b);
const struct type *resolve_typespec(struct sema *s, const struct typespec *ts);
const char *tname(struct sema *s, const struct type *t);
/* A variable's name as the script wrote it. */
const char *var_name(struct sema *s, const char *name);

/* Expansion may make at most this many nodes in all, and nest sema's
 * walk at most this deep (the parser allows AST_MAX_NESTING). */
#define MAX_EXPANDED_NODES 100000
#define MAX_SEMA_DEPTH (2 * AST_MAX_NESTING)
/* Adds the nodes of n to the expansion budget: false once the budget is
 * spent (reported the first time, at loc). */
bool sema_expansion_budget(struct sema *s, const struct node *n, const struct loc *loc, const char *what);

/* macros.c */
void sema_collect_macros(struct sema *s, struct node *prog);
/* Expands every macro use in the probes, reporting to the real diag. */
void sema_expand_macros(struct sema *s, struct node *prog);
/* Replaces a call or identifier naming a macro by the expanded body;
 * returns true when n was a macro use. */
bool sema_expand_macro(struct sema *s, struct node *n);

/* types.c */
/* The struct t with its fields: script definitions first, then kernel
 * BTF.  NULL after reporting at loc. */
const struct type *sema_complete_struct(struct sema *s, const struct type *t, const struct loc *loc);

/* The script's C definitions (parsed once, before the probes). */
void sema_cdefs(struct sema *s, struct node *prog);
/* A typedef name: the script's, then the kernel's. */
const struct type *sema_typedef(struct sema *s, const char *name);
/* An enum constant: the script's, then the kernel's. */
bool sema_enum_value(struct sema *s, const char *name, int64_t *value);
/* An errno or signal name (EPERM, SIGINT) as the system numbers it. */
bool sema_libc_constant(const char *name, int64_t *v);
/* The type of a script enum's enumerator, or NULL. */
const struct type *sema_enum_type(struct sema *s, const char *name);

/* getopt.c */
const struct type *sema_getopt(struct sema *s, struct node *call);
/* Every named parameter given must be one the script reads. */
void sema_check_named(struct sema *s);

/* config.c */
void sema_config(struct sema *s, struct node *cfg);

#endif
