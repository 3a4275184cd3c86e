/* The grammar of the bpftrace language.  Assignments are statements, as in
 * bpftrace; the left side is parsed as an expression and checked here. */
%define api.pure full
%define api.prefix {trawk_yy}
%define api.location.type {struct loc}
%define parse.error verbose
%locations
%param {void *scanner}
%parse-param {struct parse_ctx *ctx}
%expect 0

%code requires {
#include "parser/parse.h"
}

%code provides {
int trawk_yylex(TRAWK_YYSTYPE *lval, struct loc *lloc, void *scanner);
}

%code {
#include <string.h>
#define YYLLOC_DEFAULT(Cur, Rhs, N) do { \
	if (N) { \
		(Cur) = YYRHSLOC(Rhs, 1); \
		(Cur).end_line = YYRHSLOC(Rhs, N).end_line; \
		(Cur).end_col = YYRHSLOC(Rhs, N).end_col; \
	} else { \
		(Cur) = YYRHSLOC(Rhs, 0); \
		(Cur).line = (Cur).end_line; \
		(Cur).col = (Cur).end_col; \
	} \
} while (0)

static void trawk_yyerror(struct loc *l, void *scanner, struct parse_ctx *ctx, const char *msg);
static struct node *mk(struct parse_ctx *c, enum node_kind k, struct loc l);
static struct node *mk2(struct parse_ctx *c, enum node_kind k, struct loc l, struct node *a, struct node *b);
static struct node *mk_binop(struct parse_ctx *c, enum ast_op op, struct loc l, struct node *a, struct node *b);
static struct node *mk_ternary(struct parse_ctx *c, struct loc l, struct node *cond, struct node *a, struct node *b);
static struct node *mk_field(struct parse_ctx *c, struct loc l, struct node *base, const char *name, uint64_t index, enum ast_op op);
static struct node *mk_postinc(struct parse_ctx *c, struct loc l, struct node *lvalue, enum ast_op op);
static struct node *mk_assign(struct parse_ctx *c, struct loc l, struct node *lhs, struct node *rhs, enum ast_op op);
static struct node *mk_list(struct parse_ctx *c, enum node_kind k, struct loc l, nodelist list);
static struct typespec *mk_type(struct parse_ctx *c, struct loc l, const char *name);
static struct node *for_map(struct parse_ctx *c, const struct loc *l, const char *var, const struct loc *vl,
			    struct node *map, const struct loc *ml, struct node *body);
static struct node *for_range(struct parse_ctx *c, const struct loc *l, const char *var, const struct loc *vl,
			      struct node *from, struct node *to, struct node *body);
#define A (ctx->arena)
}

%union {
	const char *str;
	uint64_t num;
	struct node *node;
	nodelist list;
	struct typespec *ts;
}

%token END_OF_INPUT 0 "end of input"
%token START_PROGRAM START_EXPR
%token <str> ATTACH "attach point" IDENT "identifier" VAR "variable" MAP "map"
%token <str> STRING "string" TYPE_NAME "type name" PARAMCOUNT "$#" CDEF "C definition"
%token <num> INT "integer" POSITIONAL "positional parameter" OP_ASSIGN "compound assignment"
%token ENDPRED "end of predicate"
%token IF "if" ELSE "else" WHILE "while" FOR "for" UNROLL "unroll" BREAK "break"
%token CONTINUE "continue" RETURN "return" LET "let" TRUE "true" FALSE "false"
%token SIZEOF "sizeof" OFFSETOF "offsetof" STRUCT "struct" UNION "union" ENUM "enum"
%token CONFIG "config" MACRO "macro" IMPORT "import"
%token AND "&&" OR "||" EQ "==" NE "!=" LE "<=" GE ">=" LSHIFT "<<" RSHIFT ">>"
%token INC "++" DEC "--" ARROW "->" DOTDOT ".."

%type <node> program_item probe pred block simple_stmt block_stmt if_stmt else_part
%type <node> expr expr_nb unary unary_nb prefix_unary postfix block_postfix primary map_expr macro_def
%type <node> map_decl config cfg_item record_field macro_param block_value
%type <list> program_items attach_list stmts stmt_seq cfg_item_list args args_opt record_fields cfg_items
%type <list> macro_params macro_params_opt
%type <ts> type
%type <str> field_path

%right '?' ':'
%left OR
%left AND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' '>' LE GE
%left LSHIFT RSHIFT
%left '+' '-'
%left '*' '/' '%'
%precedence BELOW_BRACKET
%precedence '['

%start start

%%

start
	: START_PROGRAM program_items END_OF_INPUT {
		ctx->root = mk_list(ctx, N_PROGRAM, @2, $2);
	}
	| START_EXPR expr END_OF_INPUT { ctx->root = $2; }
	;

program_items
	: %empty { $$ = (nodelist){0}; }
	| program_items program_item { $$ = $1; if ($2) nodelist_push(A, &$$, $2); }
	| program_items ';' { $$ = $1; }
	;

program_item
	: probe
	| macro_def
	| map_decl
	| config
	| IMPORT STRING ';' { $$ = mk(ctx, N_IMPORT, @$); $$->name = $2; }
	| CDEF { $$ = mk(ctx, N_CDEF, @1); $$->name = $1; }
	;

probe
	: attach_list pred block {
		$$ = mk_list(ctx, N_PROBE, @1, $1);
		$$->pred = $2;
		$$->body = $3;
	}
	;

attach_list
	: ATTACH { $$ = (nodelist){0}; struct node *n = mk(ctx, N_ATTACH, @1); n->name = $1; nodelist_push(A, &$$, n); }
	| attach_list ',' ATTACH { $$ = $1; struct node *n = mk(ctx, N_ATTACH, @3); n->name = $3; nodelist_push(A, &$$, n); }
	;

pred
	: %empty { $$ = NULL; }
	| '/' expr ENDPRED { $$ = $2; }
	;

macro_def
	: MACRO IDENT '(' macro_params_opt ')' block {
		$$ = mk_list(ctx, N_MACRO, @2, $4);
		$$->name = $2;
		$$->body = $6;
	}
	;

macro_params_opt
	: %empty { $$ = (nodelist){0}; }
	| macro_params
	;

macro_params
	: macro_param { $$ = (nodelist){0}; nodelist_push(A, &$$, $1); }
	| macro_params ',' macro_param { $$ = $1; nodelist_push(A, &$$, $3); }
	;

macro_param
	: IDENT { $$ = mk(ctx, N_IDENT, @1); $$->name = $1; }
	| VAR { $$ = mk(ctx, N_VAR, @1); $$->name = $1; }
	| MAP { $$ = mk(ctx, N_MAP, @1); $$->name = $1; }
	;

map_decl
	: LET MAP '=' IDENT '(' args_opt ')' ';' {
		$$ = mk(ctx, N_MAP_DECL, @2);
		$$->name = $2;
		$$->left = mk_list(ctx, N_CALL, @4, $6);
		$$->left->name = $4;
	}
	;

config
	: CONFIG '=' '{' cfg_items '}' { $$ = mk_list(ctx, N_CONFIG, @1, $4); }
	;

cfg_items
	: %empty { $$ = (nodelist){0}; }
	| cfg_item_list
	| cfg_item_list ';' { $$ = $1; }
	;

/* Left-recursive, as every list here: bison's stack stays flat however
 * long the list, and each item is appended in place. */
cfg_item_list
	: cfg_item { $$ = (nodelist){0}; nodelist_push(A, &$$, $1); }
	| cfg_item_list ';' cfg_item { $$ = $1; nodelist_push(A, &$$, $3); }
	;

cfg_item
	: IDENT '=' expr {
		struct node *key = mk(ctx, N_IDENT, @1);
		key->name = $1;
		$$ = mk2(ctx, N_ASSIGN, @$, key, $3);
	}
	;

block
	: '{' stmts '}' { $$ = mk_list(ctx, N_BLOCK, @$, $2); }
	;

/* Statements are separated by ';', which may be left out before '}' and
 * after a statement that ends in a block.  stmt_seq is left-recursive so a
 * block of any length parses in constant stack, appending in place. */
stmts
	: stmt_seq
	| stmt_seq simple_stmt { $$ = $1; $2->tail_expr = $2->kind == N_EXPR_STMT; nodelist_push(A, &$$, $2); }
	;

stmt_seq
	: %empty { $$ = (nodelist){0}; }
	| stmt_seq simple_stmt ';' { $$ = $1; nodelist_push(A, &$$, $2); }
	| stmt_seq block_stmt { $$ = $1; nodelist_push(A, &$$, $2); }
	| stmt_seq ';' { $$ = $1; }
	;

block_stmt
	: if_stmt
	| WHILE '(' expr ')' block { $$ = mk(ctx, N_WHILE, @$); $$->cond = $3; $$->body = $5; }
	| FOR '(' VAR ':' expr ')' block { $$ = for_map(ctx, &@$, $3, &@3, $5, &@5, $7); }
	| FOR VAR ':' expr block { $$ = for_map(ctx, &@$, $2, &@2, $4, &@4, $5); }
	| FOR '(' VAR ':' expr DOTDOT expr ')' block { $$ = for_range(ctx, &@$, $3, &@3, $5, $7, $9); }
	| FOR VAR ':' expr DOTDOT expr block { $$ = for_range(ctx, &@$, $2, &@2, $4, $6, $7); }
	| UNROLL '(' expr ')' block { $$ = mk(ctx, N_UNROLL, @$); $$->left = $3; $$->body = $5; }
	| block
	;

if_stmt
	: IF expr block else_part { $$ = mk(ctx, N_IF, @$); $$->cond = $2; $$->body = $3; $$->els = $4; }
	;

else_part
	: %empty { $$ = NULL; }
	| ELSE block { $$ = $2; }
	| ELSE if_stmt { $$ = $2; }
	;

/* A statement never starts with a block expression: a '{' there opens a
 * block statement (expr_nb). */
simple_stmt
	: expr_nb { $$ = mk2(ctx, N_EXPR_STMT, @$, $1, NULL); }
	| expr_nb '=' expr { $$ = mk_assign(ctx, @$, $1, $3, OP_NONE); }
	| expr_nb OP_ASSIGN expr { $$ = mk_assign(ctx, @$, $1, $3, (enum ast_op)$2); }
	| LET VAR { $$ = mk(ctx, N_LET, @$); $$->left = mk(ctx, N_VAR, @2); $$->left->name = $2; }
	| LET VAR '=' expr { $$ = mk(ctx, N_LET, @$); $$->left = mk(ctx, N_VAR, @2); $$->left->name = $2; $$->right = $4; }
	| LET VAR ':' type { $$ = mk(ctx, N_LET, @$); $$->left = mk(ctx, N_VAR, @2); $$->left->name = $2; $$->decl_type = $4; }
	| LET VAR ':' type '=' expr { $$ = mk(ctx, N_LET, @$); $$->left = mk(ctx, N_VAR, @2); $$->left->name = $2; $$->decl_type = $4; $$->right = $6; }
	| BREAK { $$ = mk(ctx, N_BREAK, @$); }
	| CONTINUE { $$ = mk(ctx, N_CONTINUE, @$); }
	| RETURN { $$ = mk(ctx, N_RETURN, @$); }
	| RETURN expr { $$ = mk2(ctx, N_RETURN, @$, $2, NULL); }
	;

type
	: TYPE_NAME { $$ = mk_type(ctx, @1, $1); }
	| STRUCT IDENT { $$ = mk_type(ctx, @$, arena_printf(A, "struct %s", $2)); }
	| UNION IDENT { $$ = mk_type(ctx, @$, arena_printf(A, "union %s", $2)); }
	| ENUM IDENT { $$ = mk_type(ctx, @$, arena_printf(A, "enum %s", $2)); }
	| type '*' { $$ = $1; $$->ptr_depth++; $$->loc = @$; }
	| type '[' INT ']' {
		$$ = $1;
		$$->loc = @$;
		if ($$->ptr_depth == 0 && (!strcmp($$->name, "string") || !strcmp($$->name, "buffer")))
			$$->size_arg = $3;
		else {
			$$->is_array = true;
			$$->array_len = $3;
		}
	}
	| type '[' ']' { $$ = $1; $$->loc = @$; $$->is_array = true; }
	;

/* Any expression, a block expression "{ ...; value }" included. */
expr
	: unary
	| expr '?' expr ':' expr { $$ = mk_ternary(ctx, @$, $1, $3, $5); }
	| expr '?' ':' expr { $$ = mk_ternary(ctx, @$, $1, NULL, $4); }
	| expr OR expr { $$ = mk_binop(ctx, OP_LOR, @$, $1, $3); }
	| expr AND expr { $$ = mk_binop(ctx, OP_LAND, @$, $1, $3); }
	| expr '|' expr { $$ = mk_binop(ctx, OP_BOR, @$, $1, $3); }
	| expr '^' expr { $$ = mk_binop(ctx, OP_BXOR, @$, $1, $3); }
	| expr '&' expr { $$ = mk_binop(ctx, OP_BAND, @$, $1, $3); }
	| expr EQ expr { $$ = mk_binop(ctx, OP_EQ, @$, $1, $3); }
	| expr NE expr { $$ = mk_binop(ctx, OP_NE, @$, $1, $3); }
	| expr '<' expr { $$ = mk_binop(ctx, OP_LT, @$, $1, $3); }
	| expr '>' expr { $$ = mk_binop(ctx, OP_GT, @$, $1, $3); }
	| expr LE expr { $$ = mk_binop(ctx, OP_LE, @$, $1, $3); }
	| expr GE expr { $$ = mk_binop(ctx, OP_GE, @$, $1, $3); }
	| expr LSHIFT expr { $$ = mk_binop(ctx, OP_SHL, @$, $1, $3); }
	| expr RSHIFT expr { $$ = mk_binop(ctx, OP_SHR, @$, $1, $3); }
	| expr '+' expr { $$ = mk_binop(ctx, OP_ADD, @$, $1, $3); }
	| expr '-' expr { $$ = mk_binop(ctx, OP_SUB, @$, $1, $3); }
	| expr '*' expr { $$ = mk_binop(ctx, OP_MUL, @$, $1, $3); }
	| expr '/' expr { $$ = mk_binop(ctx, OP_DIV, @$, $1, $3); }
	| expr '%' expr { $$ = mk_binop(ctx, OP_MOD, @$, $1, $3); }
	;

/* The same expressions, but not starting with '{': the left operand is
 * never a block expression, the right one may be. */
expr_nb
	: unary_nb
	| expr_nb '?' expr ':' expr { $$ = mk_ternary(ctx, @$, $1, $3, $5); }
	| expr_nb '?' ':' expr { $$ = mk_ternary(ctx, @$, $1, NULL, $4); }
	| expr_nb OR expr { $$ = mk_binop(ctx, OP_LOR, @$, $1, $3); }
	| expr_nb AND expr { $$ = mk_binop(ctx, OP_LAND, @$, $1, $3); }
	| expr_nb '|' expr { $$ = mk_binop(ctx, OP_BOR, @$, $1, $3); }
	| expr_nb '^' expr { $$ = mk_binop(ctx, OP_BXOR, @$, $1, $3); }
	| expr_nb '&' expr { $$ = mk_binop(ctx, OP_BAND, @$, $1, $3); }
	| expr_nb EQ expr { $$ = mk_binop(ctx, OP_EQ, @$, $1, $3); }
	| expr_nb NE expr { $$ = mk_binop(ctx, OP_NE, @$, $1, $3); }
	| expr_nb '<' expr { $$ = mk_binop(ctx, OP_LT, @$, $1, $3); }
	| expr_nb '>' expr { $$ = mk_binop(ctx, OP_GT, @$, $1, $3); }
	| expr_nb LE expr { $$ = mk_binop(ctx, OP_LE, @$, $1, $3); }
	| expr_nb GE expr { $$ = mk_binop(ctx, OP_GE, @$, $1, $3); }
	| expr_nb LSHIFT expr { $$ = mk_binop(ctx, OP_SHL, @$, $1, $3); }
	| expr_nb RSHIFT expr { $$ = mk_binop(ctx, OP_SHR, @$, $1, $3); }
	| expr_nb '+' expr { $$ = mk_binop(ctx, OP_ADD, @$, $1, $3); }
	| expr_nb '-' expr { $$ = mk_binop(ctx, OP_SUB, @$, $1, $3); }
	| expr_nb '*' expr { $$ = mk_binop(ctx, OP_MUL, @$, $1, $3); }
	| expr_nb '/' expr { $$ = mk_binop(ctx, OP_DIV, @$, $1, $3); }
	| expr_nb '%' expr { $$ = mk_binop(ctx, OP_MOD, @$, $1, $3); }
	;

unary
	: unary_nb
	| block_postfix
	;

unary_nb
	: postfix
	| prefix_unary
	;

prefix_unary
	: '!' unary { $$ = mk2(ctx, N_UNOP, @$, $2, NULL); $$->op = OP_NOT; }
	| '~' unary { $$ = mk2(ctx, N_UNOP, @$, $2, NULL); $$->op = OP_BNOT; }
	| '-' unary { $$ = mk2(ctx, N_UNOP, @$, $2, NULL); $$->op = OP_NEG; }
	| '*' unary { $$ = mk2(ctx, N_UNOP, @$, $2, NULL); $$->op = OP_DEREF; }
	| '&' unary { $$ = mk2(ctx, N_UNOP, @$, $2, NULL); $$->op = OP_ADDR; }
	| INC unary { $$ = mk2(ctx, N_INCDEC, @$, $2, NULL); $$->op = OP_INC; }
	| DEC unary { $$ = mk2(ctx, N_INCDEC, @$, $2, NULL); $$->op = OP_DEC; }
	| '(' type ')' unary { $$ = mk2(ctx, N_CAST, @$, $4, NULL); $$->decl_type = $2; }
	;

postfix
	: primary
	| postfix '.' IDENT { $$ = mk_field(ctx, @$, $1, $3, 0, OP_NONE); }
	| postfix '.' INT { $$ = mk_field(ctx, @$, $1, NULL, $3, OP_NONE); }
	| postfix ARROW IDENT { $$ = mk_field(ctx, @$, $1, $3, 0, OP_ARROW); }
	| postfix '[' expr ']' { $$ = mk2(ctx, N_INDEX, @$, $1, $3); }
	| postfix INC { $$ = mk_postinc(ctx, @$, $1, OP_INC); }
	| postfix DEC { $$ = mk_postinc(ctx, @$, $1, OP_DEC); }
	;

/* The same postfix operators on a block expression, kept apart from
 * postfix so that a statement still cannot start with one. */
block_postfix
	: block_value
	| block_postfix '.' IDENT { $$ = mk_field(ctx, @$, $1, $3, 0, OP_NONE); }
	| block_postfix '.' INT { $$ = mk_field(ctx, @$, $1, NULL, $3, OP_NONE); }
	| block_postfix ARROW IDENT { $$ = mk_field(ctx, @$, $1, $3, 0, OP_ARROW); }
	| block_postfix '[' expr ']' { $$ = mk2(ctx, N_INDEX, @$, $1, $3); }
	| block_postfix INC { $$ = mk_postinc(ctx, @$, $1, OP_INC); }
	| block_postfix DEC { $$ = mk_postinc(ctx, @$, $1, OP_DEC); }
	;

primary
	: INT { $$ = mk(ctx, N_INT, @1); $$->num = $1; }
	| STRING { $$ = mk(ctx, N_STR, @1); $$->name = $1; $$->len = strlen($1); }
	| TRUE { $$ = mk(ctx, N_BOOL, @1); $$->num = 1; }
	| FALSE { $$ = mk(ctx, N_BOOL, @1); $$->num = 0; }
	| POSITIONAL { $$ = mk(ctx, N_POSITIONAL, @1); $$->num = $1; }
	| PARAMCOUNT { $$ = mk(ctx, N_POSITIONAL, @1); $$->name = $1; }
	| IDENT { $$ = mk(ctx, N_IDENT, @1); $$->name = $1; }
	| VAR { $$ = mk(ctx, N_VAR, @1); $$->name = $1; }
	| map_expr
	| IDENT '(' args_opt ')' { $$ = mk_list(ctx, N_CALL, @$, $3); $$->name = $1; }
	| '(' expr ')' { $$ = $2; }
	| '(' ')' { $$ = mk(ctx, N_TUPLE, @$); }
	| '(' expr ',' ')' { $$ = mk(ctx, N_TUPLE, @$); nodelist_push(A, &$$->list, $2); }
	| '(' expr ',' args ')' {
		$$ = mk(ctx, N_TUPLE, @$);
		nodelist_push(A, &$$->list, $2);
		for (size_t i = 0; i < $4.n; i++)
			nodelist_push(A, &$$->list, $4.v[i]);
	}
	| '(' record_fields ')' { $$ = mk_list(ctx, N_RECORD, @$, $2); }
	| SIZEOF '(' type ')' { $$ = mk(ctx, N_SIZEOF, @$); $$->decl_type = $3; }
	| SIZEOF '(' expr ')' { $$ = mk2(ctx, N_SIZEOF, @$, $3, NULL); }
	| OFFSETOF '(' type ',' field_path ')' { $$ = mk(ctx, N_OFFSETOF, @$); $$->decl_type = $3; $$->name = $5; }
	| OFFSETOF '(' expr ',' field_path ')' { $$ = mk2(ctx, N_OFFSETOF, @$, $3, NULL); $$->name = $5; }
	;

/* A block expression, "{ stmts; value }": anywhere an expression goes,
 * except at the start of a statement, where '{' opens a block. */
block_value
	: '{' stmts '}' {
		struct node *b = mk_list(ctx, N_BLOCK, @$, $2);
		$$ = mk(ctx, N_BLOCK_EXPR, @$);
		$$->body = b;
	}
	;

field_path
	: IDENT { $$ = $1; }
	| field_path '.' IDENT { $$ = arena_printf(A, "%s.%s", $1, $3); }
	;

map_expr
	: MAP %prec BELOW_BRACKET { $$ = mk(ctx, N_MAP, @1); $$->name = $1; }
	| MAP '[' args ']' { $$ = mk_list(ctx, N_MAP, @$, $3); $$->name = $1; }
	;

record_fields
	: record_field { $$ = (nodelist){0}; nodelist_push(A, &$$, $1); }
	| record_fields ',' record_field { $$ = $1; nodelist_push(A, &$$, $3); }
	;

record_field
	: IDENT '=' expr {
		$$ = mk2(ctx, N_ASSIGN, @$, NULL, $3);
		$$->name = $1;
	}
	;

args_opt
	: %empty { $$ = (nodelist){0}; }
	| args
	;

args
	: expr { $$ = (nodelist){0}; nodelist_push(A, &$$, $1); }
	| args ',' expr { $$ = $1; nodelist_push(A, &$$, $3); }
	;

%%

static void trawk_yyerror(struct loc *l, void *scanner, struct parse_ctx *ctx, const char *msg)
{
	(void)scanner;
	/* Only nesting deepens bison's stack (every list is left-recursive). */
	if (!strcmp(msg, "memory exhausted")) {
		diag_error(ctx->diag, l, "the script nests too deeply here (more than %d levels)", AST_MAX_NESTING);
		return;
	}
	/* bison says "syntax error, unexpected X, expecting Y": keep it, minus the prefix. */
	const char *p = strstr(msg, "syntax error, ");
	if (p)
		msg = p + strlen("syntax error, ");
	diag_error(ctx->diag, l, "syntax error: %s", msg);
}

static struct node *mk(struct parse_ctx *c, enum node_kind k, struct loc l)
{
	return node_new(c->arena, k, l);
}

/* for ($k : @map) and for $k : @map, with or without the parentheses. */
static struct node *for_map(struct parse_ctx *c, const struct loc *l, const char *var, const struct loc *vl,
			    struct node *map, const struct loc *ml, struct node *body)
{
	struct node *n = mk(c, N_FOR_MAP, *l);
	n->left = mk(c, N_VAR, *vl);
	n->left->name = var;
	n->right = map;
	n->body = body;
	if (map->kind != N_MAP || map->list.n)
		diag_error(c->diag, ml, "a for loop iterates over a map (@name) or a range (a..b)");
	return n;
}

static struct node *for_range(struct parse_ctx *c, const struct loc *l, const char *var, const struct loc *vl,
			      struct node *from, struct node *to, struct node *body)
{
	struct node *n = mk(c, N_FOR_RANGE, *l);
	n->left = mk(c, N_VAR, *vl);
	n->left->name = var;
	n->cond = from;
	n->right = to;
	n->body = body;
	return n;
}

static struct node *mk2(struct parse_ctx *c, enum node_kind k, struct loc l, struct node *a, struct node *b)
{
	struct node *n = node_new(c->arena, k, l);
	n->left = a;
	n->right = b;
	return n;
}

static struct node *mk_binop(struct parse_ctx *c, enum ast_op op, struct loc l, struct node *a, struct node *b)
{
	struct node *n = mk2(c, N_BINOP, l, a, b);
	n->op = op;
	return n;
}

/* "c ? a : b", or "c ?: b" when a is NULL. */
static struct node *mk_ternary(struct parse_ctx *c, struct loc l, struct node *cond, struct node *a, struct node *b)
{
	struct node *n = mk(c, N_TERNARY, l);
	n->cond = cond;
	n->left = a;
	n->right = b;
	return n;
}

/* base.name, base->name (op OP_ARROW), or base.index when name is NULL. */
static struct node *mk_field(struct parse_ctx *c, struct loc l, struct node *base, const char *name, uint64_t index, enum ast_op op)
{
	struct node *n = mk2(c, N_FIELD, l, base, NULL);
	n->name = name;
	n->num = index;
	n->op = op;
	return n;
}

static struct node *mk_postinc(struct parse_ctx *c, struct loc l, struct node *lvalue, enum ast_op op)
{
	struct node *n = mk2(c, N_INCDEC, l, lvalue, NULL);
	n->op = op;
	n->is_post = true;
	return n;
}

static struct node *mk_assign(struct parse_ctx *c, struct loc l, struct node *lhs, struct node *rhs, enum ast_op op)
{
	bool ok = lhs->kind == N_VAR || lhs->kind == N_MAP ||
		  (lhs->kind == N_IDENT && !strcmp(lhs->name, "_") && op == 0) ||
		  (lhs->kind == N_UNOP && lhs->op == OP_DEREF);
	if (!ok)
		diag_error(c->diag, &lhs->loc, "can only assign to a variable ($x), a map (@m) or '_'");
	struct node *n = mk2(c, N_ASSIGN, l, lhs, rhs);
	n->op = op;
	return n;
}

static struct node *mk_list(struct parse_ctx *c, enum node_kind k, struct loc l, nodelist list)
{
	struct node *n = node_new(c->arena, k, l);
	n->list = list;
	return n;
}

static struct typespec *mk_type(struct parse_ctx *c, struct loc l, const char *name)
{
	struct typespec *t = arena_alloc(c->arena, sizeof(*t));
	t->loc = l;
	t->name = name;
	return t;
}
