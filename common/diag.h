/* Compiler-style diagnostics: "file:line:col: error: msg", the source line,
 * and a caret under the culprit.  Messages are collected, not printed: the
 * caller decides where they go (stderr for the CLI, a string for embedders). */
#ifndef TRAWK_COMMON_DIAG_H
#define TRAWK_COMMON_DIAG_H

#include "util.h"

struct source {
	const char *name;   /* "stdin" for -e and -, else the path */
	const char *text;
	size_t len;
};

/* 1-based; end_col is one past the last column on end_line. */
struct loc {
	const struct source *src;
	int line, col, end_line, end_col;
};

/* Errors and warnings shown; the rest are counted, not shown. */
#define DIAG_MAX_SHOWN 100

struct diag {
	struct strbuf out;
	int errors, warnings;
	int shown;                  /* errors and warnings written to out */
	bool hiding;                /* the last one was not shown: nor are its notes */
	bool no_warnings;
	bool errors_are_warnings;   /* report errors as warnings (missing_probes = warn) */
};

void diag_error(struct diag *d, const struct loc *loc, const char *fmt, ...) PRINTF_LIKE(3, 4);
void diag_warning(struct diag *d, const struct loc *loc, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* A follow-up line ("note: ...") attached to the previous message. */
void diag_note(struct diag *d, const struct loc *loc, const char *fmt, ...) PRINTF_LIKE(3, 4);
void diag_vreport(struct diag *d, const char *level, const struct loc *loc, const char *fmt, va_list ap);
void diag_free(struct diag *d);

/* Joins two locations into one that spans both. */
struct loc loc_span(struct loc a, struct loc b);

/* The closest of the candidates to name (NULL-terminated list), or NULL when
 * nothing is close enough to suggest. */
const char *closest_name(const char *name, const char *const *candidates);

#endif
