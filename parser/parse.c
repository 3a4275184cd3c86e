#include "parse.h"

#include "parser.h"
#define YYSTYPE TRAWK_YYSTYPE
#define YYLTYPE struct loc
#include "lexer.h"

static struct node *parse(struct arena *a, const struct source *src, struct diag *d, int start)
{
	struct parse_ctx ctx = {
		.arena = a, .diag = d, .src = src, .line = 1, .col = 1, .start_token = start,
	};
	yyscan_t scanner;
	if (trawk_yylex_init_extra(&ctx, &scanner))
		return NULL;
	YY_BUFFER_STATE buf = trawk_yy_scan_bytes(src->text, (int)src->len, scanner);
	int errors = d->errors;
	int rc = trawk_yyparse(scanner, &ctx);
	trawk_yy_delete_buffer(buf, scanner);
	trawk_yylex_destroy(scanner);
	sb_free(&ctx.str);
	vec_free(&ctx.typedefs);
	if (rc || d->errors > errors) {
		if (d->errors == errors)
			diag_error(d, NULL, "could not parse %s", src->name);
		return NULL;
	}
	if (!ast_check_nesting(ctx.root, d))
		return NULL;
	return ctx.root;
}

struct node *parse_program(struct arena *a, const struct source *src, struct diag *d)
{
	return parse(a, src, d, START_PROGRAM);
}

struct node *parse_expression(struct arena *a, const struct source *src, struct diag *d)
{
	return parse(a, src, d, START_EXPR);
}
