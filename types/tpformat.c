#include "tpformat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct raw_field {
	char decl[256];
	unsigned offset, size;
	int is_signed;
};

/* "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;" */
static bool parse_field_line(const char *line, struct raw_field *f)
{
	const char *p = strstr(line, "field:");
	if (!p)
		return false;
	p += 6;
	const char *semi = strchr(p, ';');
	if (!semi || (size_t)(semi - p) >= sizeof(f->decl))
		return false;
	memcpy(f->decl, p, (size_t)(semi - p));
	f->decl[semi - p] = 0;
	const char *o = strstr(semi, "offset:"), *s = strstr(semi, "size:"), *g = strstr(semi, "signed:");
	if (!o || !s)
		return false;
	f->offset = (unsigned)strtoul(o + 7, NULL, 10);
	f->size = (unsigned)strtoul(s + 5, NULL, 10);
	f->is_signed = g ? atoi(g + 7) : 0;
	return true;
}

/* Splits "unsigned char comm[16]" into the type text, the name and the
 * array length (0 when not an array). */
static void split_decl(char *decl, char *typebuf, size_t tsize, char **type, char **name, unsigned *len)
{
	*len = 0;
	char *br = strchr(decl, '[');
	char *end = decl + strlen(decl);
	if (br && br > decl && strchr(decl, ' ') && br > strrchr(decl, ' ')) {
		*len = (unsigned)strtoul(br + 1, NULL, 10);
		*br = 0;
		end = br;
	}
	while (end > decl && end[-1] == ' ')
		*--end = 0;
	char *sp = strrchr(decl, ' ');
	char *star = strrchr(decl, '*');
	char *cut = star && (!sp || star > sp) ? star : sp;
	if (!cut) {
		*type = decl;
		*name = end;
		return;
	}
	*name = cut + 1;
	/* Keep the '*' with the type. */
	if (cut == star) {
		snprintf(typebuf, tsize, "%.*s", (int)(cut - decl + 1), decl);
		*type = typebuf;
	} else {
		*cut = 0;
		*type = decl;
	}
}

static bool is_char_type(const char *t)
{
	return strstr(t, "char") != NULL;
}

static const struct type *c_int_type(const char *type)
{
	static const struct { const char *name; unsigned size; bool sign; } ints[] = {
		{ "int", 4, true }, { "unsigned int", 4, false }, { "unsigned", 4, false },
		{ "short", 2, true }, { "unsigned short", 2, false }, { "char", 1, true },
		{ "unsigned char", 1, false }, { "pid_t", 4, true }, { "uid_t", 4, false },
		{ "gid_t", 4, false }, { "umode_t", 2, false }, { "u32", 4, false }, { "__u32", 4, false },
		{ "s32", 4, true }, { "__s32", 4, true }, { "u16", 2, false }, { "u8", 1, false },
		{ "key_serial_t", 4, true }, { "qid_t", 4, false }, { "clockid_t", 4, true },
		{ "timer_t", 4, true }, { "mqd_t", 4, true }, { "rwf_t", 4, true },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (!strcmp(type, ints[i].name))
			return type_int(ints[i].size, ints[i].sign);
	return NULL;
}

static const struct type *field_type(struct raw_field *f, char *type, unsigned alen,
				     enum addrspace as, uint32_t strlen, struct arena *a)
{
	if (strstr(type, "__data_loc")) {
		if (is_char_type(type))
			return type_string(a, strlen);
		return type_array(a, type_int(1, false), 0);
	}
	if (alen) {
		if (is_char_type(type))
			return type_string(a, alen);
		unsigned esize = f->size / alen;
		return type_array(a, type_int(esize ? esize : 1, f->is_signed), alen);
	}
	if (strchr(type, '*')) {
		const struct type *to;
		if (is_char_type(type)) {
			to = type_int(1, true);
		} else if (strstr(type, "struct ")) {
			struct type *st = type_new(a, TY_STRUCT);
			const char *n = strstr(type, "struct ") + 7;
			size_t l = strcspn(n, " *");
			st->name = arena_strndup(a, n, l);
			st->btf_id = -1;
			to = st;
		} else {
			to = type_int(1, false);
		}
		/* "const char *const *": one pointer level per '*'. */
		for (const char *star = strchr(type, '*'); star; star = strchr(star + 1, '*'))
			to = type_ptr(a, to, as);
		return to;
	}
	if (!strcmp(type, "bool") || !strcmp(type, "_Bool"))
		return type_bool();
	/* Syscall arguments sit in 8-byte slots whatever their C type: an "int"
	 * is its low 4 bytes, signed (so dfd prints -100, not 4294967196). */
	const struct type *c = c_int_type(type);
	if (c && c->size < f->size)
		return c;
	/* Keep an enum's name, so %s can print its enumerators. */
	if (!strncmp(type, "enum ", 5) && (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8)) {
		struct type *e = type_new(a, TY_INT);
		*e = *type_int(f->size, f->is_signed);
		e->name = arena_strdup(a, type);
		e->btf_id = -1;
		return e;
	}
	if (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8)
		return type_int(f->size, f->is_signed);
	return type_array(a, type_int(1, false), f->size);
}

const struct type *tpformat_parse(const char *text, const char *name, enum addrspace as,
				  uint32_t strlen, struct arena *a, struct strbuf *err)
{
	struct type *st = type_new(a, TY_STRUCT);
	st->name = arena_strdup(a, name);
	st->btf_id = -1;
	VEC(struct field) fields = {0};
	uint32_t size = 0;
	const char *line = text;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		/* One line at a time: a blank line must not find the next field. */
		char one[512];
		size_t len = nl ? (size_t)(nl - line) : strnlen(line, sizeof(one) - 1);
		if (len >= sizeof(one))
			len = sizeof(one) - 1;
		memcpy(one, line, len);
		one[len] = 0;
		struct raw_field f;
		if (parse_field_line(one, &f)) {
			char *type, *fname, typebuf[256];
			unsigned alen;
			split_decl(f.decl, typebuf, sizeof(typebuf), &type, &fname, &alen);
			if (strncmp(fname, "common_", 7)) {
				struct field fd = {
					.name = arena_strdup(a, fname),
					.type = field_type(&f, type, alen, as, strlen, a),
					.offset = f.offset,
					.data_loc = strstr(type, "__data_loc") != NULL,
				};
				vec_push(&fields, fd);
			}
			if (f.offset + f.size > size)
				size = f.offset + f.size;
		}
		line = nl ? nl + 1 : NULL;
	}
	st->nfields = (uint32_t)fields.n;
	st->fields = arena_alloc(a, fields.n * sizeof(struct field));
	if (fields.n)
		memcpy(st->fields, fields.v, fields.n * sizeof(struct field));
	vec_free(&fields);
	st->size = size;
	st->align = 8;
	if (!size) {
		sb_append(err, "no fields in the format");
		return NULL;
	}
	return st;
}

const struct type *tpformat_load(const char *tracefs, const char *cat, const char *event,
				 enum addrspace as, uint32_t strlen, struct arena *a, struct strbuf *err)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs ? tracefs : "", cat, event);
	char *text = read_file(path, NULL);
	if (!text) {
		sb_printf(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *name = arena_printf(a, "_tracepoint_%s_%s", cat, event);
	const struct type *t = tpformat_parse(text, name, as, strlen, a, err);
	free(text);
	return t;
}
