/* The syntax tree.  One node struct for every kind keeps the walkers short;
 * the comment on each kind says which fields it uses.  Nodes live in the
 * compile's arena. */
#ifndef TRAWK_PARSER_AST_H
#define TRAWK_PARSER_AST_H

#include "../common/diag.h"
#include "../types/type.h"

/* The operators of the tree, the parser's tokens mapped to them once:
 * nothing past the parser sees a token code. */
enum ast_op {
	OP_NONE = 0,    /* plain "=", "." */
	/* N_BINOP */
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_BAND, OP_BOR, OP_BXOR, OP_SHL, OP_SHR,
	OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE,
	OP_LAND, OP_LOR,
	/* N_UNOP */
	OP_NOT, OP_BNOT, OP_NEG, OP_DEREF, OP_ADDR,
	/* N_INCDEC */
	OP_INC, OP_DEC,
	/* N_FIELD */
	OP_ARROW,
	OP_COUNT
};

enum node_kind {
	/* top level */
	N_PROGRAM,      /* list: probes, macros, map decls; cfg: config block */
	N_PROBE,        /* list: attach points (N_ATTACH); pred; body (N_BLOCK) */
	N_ATTACH,       /* name: raw attach point text */
	N_MACRO,        /* name; list: params (N_IDENT/N_VAR/N_MAP); body; id: sema's hygiene verdict */
	N_MAP_DECL,     /* name: map; left: call giving the kind (hash(N) ...) */
	N_CONFIG,       /* list: N_ASSIGN of N_IDENT = literal */
	N_IMPORT,       /* name: path */
	N_CDEF,         /* name: the text of C definitions (struct/union/enum/typedef) */
	/* statements */
	N_BLOCK,        /* list: statements; left: final expression of a block expression */
	N_EXPR_STMT,    /* left */
	N_ASSIGN,       /* left: N_VAR/N_MAP/N_IDENT(_); right: value; op: 0 or the compound op */
	N_LET,          /* left: N_VAR; right: value or NULL; decl_type: declared type or NULL */
	N_IF,           /* cond; body; els (N_BLOCK or N_IF) */
	N_WHILE,        /* cond; body */
	N_FOR_MAP,      /* left: N_VAR; right: N_MAP; body */
	N_FOR_RANGE,    /* left: N_VAR; cond: start; right: end; body */
	N_UNROLL,       /* left: count; body */
	N_BREAK,
	N_CONTINUE,
	N_RETURN,       /* left: value or NULL */
	/* expressions */
	N_INT,          /* num; is_signed_lit when written negative */
	N_STR,          /* name: bytes; len */
	N_BOOL,         /* num */
	N_IDENT,        /* name: builtin, define, enum value, or macro argument */
	N_VAR,          /* name: "$x" */
	N_MAP,          /* name: "@x"; list: keys (empty for a scalar map) */
	N_POSITIONAL,   /* num: index; or num = 0 and name "$#" for the count */
	N_CALL,         /* name; list: args */
	N_BINOP,        /* op: OP_ADD .. OP_LOR; left; right */
	N_UNOP,         /* op: OP_NOT .. OP_ADDR */
	N_INCDEC,       /* op: OP_INC/OP_DEC; is_post; left: lvalue */
	N_TERNARY,      /* cond; left; right (left NULL for "a ?: b") */
	N_FIELD,        /* left; name: field name (or tuple index in num when name NULL) */
	N_INDEX,        /* left; right */
	N_TUPLE,        /* list */
	N_RECORD,       /* list: N_ASSIGN name = value */
	N_CAST,         /* decl_type; left */
	N_SIZEOF,       /* decl_type or left */
	N_OFFSETOF,     /* decl_type or left; name: "a.b.c" */
	N_BLOCK_EXPR,   /* body: N_BLOCK with left = value */
	N_TYPEINFO,     /* decl_type placeholder for "struct foo" in type position */
};

struct node;
/* Arena-backed: lists die with the tree. */
typedef struct {
	struct node **v;
	size_t n, cap;
} nodelist;

/* A type as written in the script: resolved by sema. */
struct typespec {
	struct loc loc;
	const char *name;      /* "uint32", "struct task_struct", "string", "inet" ... */
	int ptr_depth;         /* trailing '*'s */
	bool is_array;         /* trailing [N] or [] */
	uint64_t array_len;    /* 0 for [] */
	uint64_t size_arg;     /* string[N] / buffer[N] */
	struct node *typeof_expr;
};

struct builtin;      /* stdlib/stdlib.h */
struct map_def;      /* bpf/plan.h */

/* A scratch variable, shared by the node that declares it and every use. */
struct sym {
	const char *name;
	const struct type *type;
	struct node *decl;
	int index;
	/* An integer variable: the widest value assigned to it, in bytes,
	 * before storage widened it to 8 (bswap swaps that many). */
	unsigned value_size;
};

struct node {
	enum node_kind kind;
	struct loc loc;
	const struct type *type;   /* sema: the expression's type */
	enum ast_op op;
	bool is_post;
	bool is_signed_lit;
	bool tail_expr;            /* an expression statement without ';' ending a block */
	const char *name;
	size_t len;
	uint64_t num;
	struct node *left, *right, *cond, *body, *els, *pred;
	nodelist list;
	struct typespec *decl_type;
	/* Filled in by sema. */
	struct sym *sym;           /* N_VAR, and the N_ASSIGN/N_LET declaring it */
	struct map_def *map;       /* N_MAP */
	const struct builtin *fn;  /* N_CALL, N_IDENT of a builtin */
	int id;                    /* async action id, string literal id, ... */
	const struct type *optype; /* N_BINOP: the type the operands are compared/computed in */
	int64_t cval;              /* folded constant value, when is_const */
	bool is_const;
	void *aux;                 /* per-kind sema data (e.g. resolved probe info) */
};

struct ast {
	struct arena *arena;
	struct node *root;
};

struct node *node_new(struct arena *a, enum node_kind kind, struct loc loc);
void nodelist_push(struct arena *a, nodelist *l, struct node *n);
/* A deep copy, without sema's annotations. */
struct node *node_clone(struct arena *a, const struct node *n);
/* Calls fn on each child of n: the list, then left, right, cond, body and
 * els (which may be NULL).  For a chain of binary operators, on the chain's
 * operands left to right instead: the operators inside it are skipped. */
void node_each_child(struct node *n, void (*fn)(struct node *child, void *arg), void *arg);
/* Whether pred holds for n or a node below it (list, left, right, cond,
 * body, els, pred), walked without recursion. */
bool node_any(const struct node *n, bool (*pred)(const struct node *n, const void *arg), const void *arg);

/* How deeply a script may nest parentheses, blocks, unary operators and
 * other recursive constructs.  The stages walk the tree recursively, so
 * this bounds their stack; a chain of binary operators ("1 + 1 + ...") is
 * walked iteratively down its left side and only its right operands nest. */
#define AST_MAX_NESTING 1000

/* The nesting of n as the recursive walkers see it: true when it stays
 * within AST_MAX_NESTING, else reports the first node beyond it. */
bool ast_check_nesting(const struct node *n, struct diag *d);

/* The left spine of a chain of binary operators topped by n: the operators
 * from the innermost (first evaluated) to n itself, so a walker can visit a
 * chain of any length without recursing down its left side.  The array is
 * malloc'ed; *count is at least 1. */
struct node **binop_chain(struct node *n, size_t *count);

/* -d ast: an indented tree, one node a line. */
void ast_print(struct strbuf *sb, const struct node *n, bool with_types);

const char *node_kind_name(enum node_kind k);
const char *op_name(enum ast_op op);

#endif
