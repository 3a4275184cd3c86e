/* The front end's entry points and the state the scanner and the parser
 * share. */
#ifndef TRAWK_PARSER_PARSE_H
#define TRAWK_PARSER_PARSE_H

#include "ast.h"

struct parse_ctx {
	struct arena *arena;
	struct diag *diag;
	const struct source *src;
	struct node *root;
	/* Scanner state. */
	int line, col;            /* position of the next character */
	int depth;                /* brace depth inside action blocks */
	struct strbuf str;        /* string literal being read */
	struct loc str_loc;
	int start_token;          /* parse_expression(): first token to hand out */
	VEC(const char *) typedefs;  /* names typedef'd in the script's C definitions */
};

/* Parses a whole script.  Errors go to diag; NULL when there were any. */
struct node *parse_program(struct arena *a, const struct source *src, struct diag *d);
/* Parses a lone expression (a #define's value, a positional parameter). */
struct node *parse_expression(struct arena *a, const struct source *src, struct diag *d);

#endif
