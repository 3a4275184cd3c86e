/* libFuzzer target: the parser of C definitions written in scripts
 * (types/cdefs.c), with kernel BTF behind it for the names a script does not
 * define, as sema sets it up.  The input is split at NUL bytes into blocks
 * parsed one after the other into the same definitions (a script's separate
 * blocks of C); then every identifier of the input is looked up as a struct,
 * union, enum, typedef and enumerator, and the types found are named. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "types/btf.h"
#include "types/cdefs.h"

static const struct type *from_btf(void *arg, const char *name, enum cdefs_kind kind)
{
	struct arena *a = arg;
	if (!btf_available())
		return NULL;
	struct strbuf err = {0};
	const struct type *t = NULL;
	if (kind == CDEFS_STRUCT || kind == CDEFS_UNION)
		t = btf_struct(a, name, kind == CDEFS_UNION, &err);
	else if (kind == CDEFS_TYPEDEF)
		t = btf_typedef(a, name);
	sb_free(&err);
	return t;
}

static bool const_from_btf(void *arg, const char *name, int64_t *value)
{
	return btf_available() && btf_enum_value(name, value);
}

static void name_type(struct strbuf *sb, const struct type *t)
{
	if (t)
		type_name(sb, t);
}

/* Looks up every identifier of text (at most 64) in every namespace. */
static void look_up(const struct cdefs *c, struct arena *a, const char *text)
{
	struct strbuf sb = {0};
	int left = 64;
	for (const char *p = text; *p && left > 0;) {
		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		const char *start = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		const char *name = arena_strndup(a, start, (size_t)(p - start));
		left--;
		name_type(&sb, cdefs_struct(c, name, false));
		name_type(&sb, cdefs_struct(c, name, true));
		const struct type *e = cdefs_enum(c, name);
		name_type(&sb, e);
		name_type(&sb, cdefs_typedef(c, name));
		int64_t v;
		if (cdefs_enum_value(c, name, &v)) {
			const struct type *et = cdefs_enumerator_type(c, name);
			name_type(&sb, et);
			if (et && et->name)
				cdefs_enum_name(c, et->name, v);
		}
		if (e)
			cdefs_enum_name(c, name, 0);
		sb_reset(&sb);
	}
	sb_free(&sb);
}

/* Kernel BTF and its enumerator index load on first use (a few hundred
 * milliseconds under the sanitizers): not charged to an input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf err = {0};
	int64_t v;
	if (btf_load(&err))
		btf_enum_value("TASK_COMM_LEN", &v);
	sb_free(&err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	char *text = arena_strndup(&a, (const char *)data, size);
	/* NULs split blocks: the source is the text with them as newlines. */
	char *shown = arena_strndup(&a, (const char *)data, size);
	for (size_t i = 0; i < size; i++)
		if (!shown[i])
			shown[i] = '\n';
	struct source src = { "fuzz.bt", shown, size };
	struct cdefs *c = cdefs_new(&a);
	cdefs_set_resolver(c, from_btf, &a);
	cdefs_set_const_resolver(c, const_from_btf, NULL);
	int line = 1;
	for (size_t off = 0; off <= size;) {
		const char *block = text + off;
		size_t n = strnlen(block, size - off);
		struct loc at = { &src, line, 1, line, 1 };
		struct diag d = {0};
		cdefs_parse(c, arena_strndup(&a, block, n), &at, &d);
		diag_free(&d);
		for (size_t i = 0; i < n; i++)
			line += block[i] == '\n';
		line++;
		off += n + 1;
	}
	look_up(c, &a, shown);
	arena_free(&a);
	return 0;
}
