/* Semantic analysis: probe expansion, macro expansion, name resolution,
 * type inference and checking.  Every compile error a script can have is
 * reported here or in the parser. */
#ifndef TRAWK_SEMA_SEMA_H
#define TRAWK_SEMA_SEMA_H

#include "../bpf/plan.h"
#include "../parser/ast.h"

struct sema_opts {
	size_t nparams;                 /* positional parameters $1..$N */
	const char *const *params;
	bool check_only;                /* --check: no kernel needed for probes */
	bool unsafe;
	bool no_warnings;
	int pid, cpid;
	size_t nnamed;                  /* named parameters: "--name=value" or "--flag" */
	const char *const *named;
	size_t ndefines;                /* #define NAME value, from the preprocessor */
	const char *const *define_names;
	const char *const *define_values;
	const char *const *env;         /* "NAME=VALUE": the config overrides */
};

/* Fills plan (points, maps, actions) and annotates the tree.  Returns 0, or
 * -1 after reporting errors to d. */
int sema_run(struct node *prog, struct plan *plan, struct arena *a, struct diag *d,
	     const struct sema_opts *opts);

#endif
