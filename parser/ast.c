#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include <assert.h>

struct node *node_new(struct arena *a, enum node_kind kind, struct loc loc)
{
	struct node *n = arena_alloc(a, sizeof(*n));
	n->kind = kind;
	n->loc = loc;
	n->id = -1;
	return n;
}

void nodelist_push(struct arena *a, nodelist *l, struct node *n)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct node **v = arena_alloc(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = n;
}

void node_each_child(struct node *n, void (*fn)(struct node *child, void *arg), void *arg)
{
	if (n->kind == N_BINOP) {   /* the chain's operands, without recursing down it */
		size_t len;
		struct node **chain = binop_chain(n, &len);
		fn(chain[0]->left, arg);
		for (size_t i = 0; i < len; i++)
			fn(chain[i]->right, arg);
		free(chain);
		return;
	}
	for (size_t i = 0; i < n->list.n; i++)
		fn(n->list.v[i], arg);
	struct node *const rest[] = { n->left, n->right, n->cond, n->body, n->els };
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
		fn(rest[i], arg);
}

bool node_any(const struct node *n, bool (*pred)(const struct node *n, const void *arg), const void *arg)
{
	VEC(const struct node *) stack = {0};
	bool found = false;
	if (n)
		vec_push(&stack, n);
	while (stack.n && !found) {
		n = stack.v[--stack.n];
		found = pred(n, arg);
		for (size_t i = 0; i < n->list.n; i++)
			vec_push(&stack, n->list.v[i]);
		const struct node *const rest[] = { n->left, n->right, n->cond, n->body, n->els, n->pred };
		for (size_t i = 0; i < ARRAY_SIZE(rest); i++)
			if (rest[i])
				vec_push(&stack, rest[i]);
	}
	vec_free(&stack);
	return found;
}

/* n without sema's annotations, its children not yet copied. */
static struct node *clone_one(struct arena *a, const struct node *n)
{
	struct node *c = arena_alloc(a, sizeof(*c));
	*c = *n;
	c->type = NULL;
	c->optype = NULL;
	c->sym = NULL;
	c->map = NULL;
	c->fn = NULL;
	c->id = -1;
	c->aux = NULL;
	c->is_const = false;
	return c;
}

/* An operator chain, copied along its left side without recursing. */
static struct node *clone_chain(struct arena *a, const struct node *top)
{
	size_t len;
	struct node **chain = binop_chain((struct node *)top, &len);
	struct node *below = node_clone(a, chain[0]->left);
	for (size_t i = 0; i < len; i++) {
		struct node *c = clone_one(a, chain[i]);
		c->left = below;
		c->right = node_clone(a, chain[i]->right);
		below = c;
	}
	free(chain);
	return below;
}

struct node *node_clone(struct arena *a, const struct node *n)
{
	if (!n)
		return NULL;
	if (n->kind == N_BINOP)
		return clone_chain(a, n);
	struct node *c = clone_one(a, n);
	c->left = node_clone(a, n->left);
	c->right = node_clone(a, n->right);
	c->cond = node_clone(a, n->cond);
	c->body = node_clone(a, n->body);
	c->els = node_clone(a, n->els);
	c->pred = node_clone(a, n->pred);
	c->list = (nodelist){0};
	for (size_t i = 0; i < n->list.n; i++)
		nodelist_push(a, &c->list, node_clone(a, n->list.v[i]));
	return c;
}

static const char *const kind_names[] = {
	[N_PROGRAM] = "program", [N_PROBE] = "probe", [N_ATTACH] = "attach",
	[N_MACRO] = "macro", [N_MAP_DECL] = "map decl", [N_CONFIG] = "config",
	[N_IMPORT] = "import", [N_CDEF] = "C definition", [N_BLOCK] = "block", [N_EXPR_STMT] = "expr",
	[N_ASSIGN] = "=", [N_LET] = "let", [N_IF] = "if", [N_WHILE] = "while",
	[N_FOR_MAP] = "for", [N_FOR_RANGE] = "for range", [N_UNROLL] = "unroll",
	[N_BREAK] = "break", [N_CONTINUE] = "continue", [N_RETURN] = "return",
	[N_INT] = "int", [N_STR] = "string", [N_BOOL] = "bool", [N_IDENT] = "ident",
	[N_VAR] = "variable", [N_MAP] = "map", [N_POSITIONAL] = "param",
	[N_CALL] = "call", [N_BINOP] = "binop", [N_UNOP] = "unop", [N_INCDEC] = "incdec",
	[N_TERNARY] = "?:", [N_FIELD] = ".", [N_INDEX] = "[]", [N_TUPLE] = "tuple",
	[N_RECORD] = "record", [N_CAST] = "cast", [N_SIZEOF] = "sizeof",
	[N_OFFSETOF] = "offsetof", [N_BLOCK_EXPR] = "block expr", [N_TYPEINFO] = "type",
};

const char *node_kind_name(enum node_kind k)
{
	return kind_names[k];
}

const char *op_name(enum ast_op op)
{
	static const char *const names[OP_COUNT] = {
		[OP_NONE] = "", [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/",
		[OP_MOD] = "%", [OP_BAND] = "&", [OP_BOR] = "|", [OP_BXOR] = "^", [OP_SHL] = "<<",
		[OP_SHR] = ">>", [OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<", [OP_GT] = ">",
		[OP_LE] = "<=", [OP_GE] = ">=", [OP_LAND] = "&&", [OP_LOR] = "||", [OP_NOT] = "!",
		[OP_BNOT] = "~", [OP_NEG] = "-", [OP_DEREF] = "*", [OP_ADDR] = "&", [OP_INC] = "++",
		[OP_DEC] = "--", [OP_ARROW] = "->",
	};
	assert(op < OP_COUNT && names[op]);
	return names[op];
}

static void print_escaped(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\n': sb_append(sb, "\\n"); break;
		case '\t': sb_append(sb, "\\t"); break;
		case '\r': sb_append(sb, "\\r"); break;
		case '"': sb_append(sb, "\\\""); break;
		case '\\': sb_append(sb, "\\\\"); break;
		default:
			if (c < 32 || c >= 127)
				sb_printf(sb, "\\x%02x", c);
			else
				sb_putc(sb, (char)c);
		}
	}
}

static void print_typespec(struct strbuf *sb, const struct typespec *t)
{
	sb_append(sb, t->name);
	if (t->size_arg)
		sb_printf(sb, "[%llu]", (unsigned long long)t->size_arg);
	for (int i = 0; i < t->ptr_depth; i++)
		sb_append(sb, " *");
	if (t->is_array)
		sb_printf(sb, "[%llu]", (unsigned long long)t->array_len);
}

static void print_head(struct strbuf *sb, const struct node *n)
{
	sb_append(sb, kind_names[n->kind]);
	switch (n->kind) {
	case N_INT:
		sb_printf(sb, ": %llu", (unsigned long long)n->num);
		break;
	case N_BOOL:
		sb_append(sb, n->num ? ": true" : ": false");
		break;
	case N_STR:
		sb_append(sb, ": \"");
		print_escaped(sb, n->name, n->len);
		sb_putc(sb, '"');
		break;
	case N_POSITIONAL:
		if (n->name)
			sb_printf(sb, ": %s", n->name);
		else
			sb_printf(sb, ": $%llu", (unsigned long long)n->num);
		break;
	case N_FIELD:
		if (n->name)
			sb_printf(sb, "%s%s", n->op == OP_ARROW ? "->" : "", n->name);
		else
			sb_printf(sb, "%llu", (unsigned long long)n->num);
		break;
	case N_BINOP:
	case N_UNOP:
		sb_printf(sb, ": %s", op_name(n->op));
		break;
	case N_INCDEC:
		sb_printf(sb, ": %s%s", n->is_post ? "post" : "pre", op_name(n->op));
		break;
	case N_ASSIGN:
		if (n->op)
			sb_printf(sb, " (%s=)", op_name(n->op));
		if (n->name)
			sb_printf(sb, " %s", n->name);
		break;
	case N_CAST:
	case N_SIZEOF:
	case N_OFFSETOF:
	case N_LET:
		if (n->decl_type) {
			sb_append(sb, ": ");
			print_typespec(sb, n->decl_type);
		}
		if (n->kind == N_OFFSETOF)
			sb_printf(sb, ", %s", n->name);
		break;
	default:
		if (n->name)
			sb_printf(sb, ": %s", n->name);
		break;
	}
}

static void print_node(struct strbuf *sb, const struct node *n, int depth, bool types, const char *label);

static void print_child(struct strbuf *sb, const struct node *n, int depth, bool types, const char *label)
{
	if (n)
		print_node(sb, n, depth, types, label);
}

/* One line: the node's kind, details and type.  The indentation stops
 * growing at MAX_INDENT columns, wider than any screen, so that a long
 * operator chain prints in a size linear in its length. */
#define MAX_INDENT 256

static void print_line(struct strbuf *sb, const struct node *n, int depth, bool types, const char *label)
{
	for (int i = 0; i < depth && i < MAX_INDENT; i++)
		sb_putc(sb, ' ');
	if (label)
		sb_printf(sb, "%s ", label);
	print_head(sb, n);
	if (types && n->type && n->type->kind != TY_NONE) {
		sb_append(sb, " :: ");
		type_name(sb, n->type);
	}
	sb_putc(sb, '\n');
}

/* A chain of binary operators: each head, down the left side, then the
 * innermost left operand, then the right operands on the way back up. */
static void print_chain(struct strbuf *sb, const struct node *top, int depth, bool types, const char *label)
{
	size_t len;
	struct node **chain = binop_chain((struct node *)top, &len);
	for (size_t i = len; i-- > 0;)
		print_line(sb, chain[i], depth + (int)(len - 1 - i), types, i == len - 1 ? label : NULL);
	print_child(sb, chain[0]->left, depth + (int)len, types, NULL);
	for (size_t i = 0; i < len; i++)
		print_child(sb, chain[i]->right, depth + (int)(len - i), types, NULL);
	free(chain);
}

static void print_node(struct strbuf *sb, const struct node *n, int depth, bool types, const char *label)
{
	if (n->kind == N_BINOP) {
		print_chain(sb, n, depth, types, label);
		return;
	}
	print_line(sb, n, depth, types, label);
	for (size_t i = 0; i < n->list.n; i++)
		print_node(sb, n->list.v[i], depth + 1, types, NULL);
	print_child(sb, n->pred, depth + 1, types, "predicate");
	print_child(sb, n->cond, depth + 1, types, NULL);
	print_child(sb, n->left, depth + 1, types, NULL);
	print_child(sb, n->right, depth + 1, types, NULL);
	print_child(sb, n->body, depth + 1, types, NULL);
	print_child(sb, n->els, depth + 1, types, "else");
}

void ast_print(struct strbuf *sb, const struct node *n, bool with_types)
{
	print_node(sb, n, 0, with_types, NULL);
}

/* A child is one level deeper than its parent, except the left operand of
 * a binary operator that is itself one: walkers loop down that side. */
static bool nests(const struct node *parent, const struct node *child)
{
	return !(parent->kind == N_BINOP && child == parent->left && child->kind == N_BINOP);
}

bool ast_check_nesting(const struct node *root, struct diag *d)
{
	struct item { const struct node *n; int level; };
	VEC(struct item) stack = {0};
	bool ok = true;
	if (root)
		vec_push(&stack, ((struct item){ root, 0 }));
	while (stack.n && ok) {
		struct item it = stack.v[--stack.n];
		const struct node *n = it.n;
		if (it.level > AST_MAX_NESTING) {
			diag_error(d, &n->loc, "the script nests too deeply here (more than %d levels)", AST_MAX_NESTING);
			ok = false;
			break;
		}
		for (size_t i = 0; i < n->list.n; i++)
			vec_push(&stack, ((struct item){ n->list.v[i], it.level + 1 }));
		const struct node *const rest[] = { n->left, n->right, n->cond, n->body, n->els, n->pred };
		for (size_t i = 0; i < ARRAY_SIZE(rest); i++)
			if (rest[i])
				vec_push(&stack, ((struct item){ rest[i], it.level + nests(n, rest[i]) }));
		if (n->decl_type && n->decl_type->typeof_expr)
			vec_push(&stack, ((struct item){ n->decl_type->typeof_expr, it.level + 1 }));
	}
	vec_free(&stack);
	return ok;
}

struct node **binop_chain(struct node *n, size_t *count)
{
	size_t len = 1;
	for (struct node *p = n; p->left && p->left->kind == N_BINOP && p->kind == N_BINOP; p = p->left)
		len++;
	struct node **v = xmalloc(len * sizeof(*v));
	struct node *p = n;
	for (size_t i = len; i-- > 0; p = p->left)
		v[i] = p;
	*count = len;
	return v;
}
