/* printf-style format strings as bpftrace reads them: the conversion
 * specs, and the check of argument types against them. */
#include "fmtspec.h"

#include <ctype.h>
#include <string.h>

static int pf_number(const char **q)
{
	long v = 0;
	while (isdigit((unsigned char)**q)) {
		if (v < 100000)
			v = v * 10 + (**q - '0');
		(*q)++;
	}
	return (int)v;
}

static bool pf_parse(const char *s, struct fmt_spec *sp)
{
	const char *q = s + 1;
	memset(sp, 0, sizeof(*sp));
	sp->width = sp->prec = -1;

	if (*q == '-') sp->left = true, q++;
	if (*q == '+') sp->plus = true, q++;
	if (*q == ' ') sp->space = true, q++;
	if (*q == '#') sp->alt = true, q++;
	if (*q == '0') sp->zero = true, q++;
	if (*q == '*')
		q++;
	else if (isdigit((unsigned char)*q))
		sp->width = pf_number(&q);
	if (q[0] == '.' && (q[1] == '*' || isdigit((unsigned char)q[1]))) {
		q++;
		if (*q == '*')
			q++;
		else
			sp->prec = pf_number(&q);
	}
	const char *lm = q;
	while (*q && strchr("hlLjzt", *q))
		q++;
	size_t lmlen = (size_t)(q - lm);
	if (lmlen < sizeof(sp->len))
		memcpy(sp->len, lm, lmlen);
	else
		strcpy(sp->len, "?");

	if (*q && strchr("diouxXeEfFgGaAcspn%", *q)) {
		sp->conv[0] = *q++;
	} else if (*q == 'r') {
		sp->conv[0] = *q++;
		if (*q == 'h' || *q == 'x')
			sp->conv[1] = *q++;
	} else {
		return false;
	}
	sp->n = (size_t)(q - s);
	return true;
}

const char *fmtspec_scan(const char *s, struct strbuf *lit, struct fmt_spec *sp)
{
	while (*s) {
		if (*s == '%' && pf_parse(s, sp)) {
			s += sp->n;
			if (sp->conv[0] != '%')
				return s;
			if (lit)
				sb_putc(lit, '%');
			continue;
		}
		if (lit)
			sb_putc(lit, *s);
		s++;
	}
	return NULL;
}

size_t fmtspec_count(const char *fmt)
{
	struct fmt_spec sp;
	size_t n = 0;
	while ((fmt = fmtspec_scan(fmt, NULL, &sp)))
		n++;
	return n;
}

static bool check_integer_like(const struct type *t)
{
	switch (t->kind) {
	case TY_INT: case TY_BOOL: case TY_PTR:
	case TY_COUNT: case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG:
		return true;
	default:
		return false;
	}
}

/* 1 allowed, 0 wrong type, -1 unknown specifier. */
static int check_spec(const char *conv, const struct type *t)
{
	if (!strcmp(conv, "s"))
		return 1;
	if (!strcmp(conv, "r") || !strcmp(conv, "rx") || !strcmp(conv, "rh"))
		return t->kind == TY_BUFFER;
	if (conv[1] == 0 && strchr("diuoxXcp", conv[0]))
		return check_integer_like(t);
	/* There is no floating-point data: an integer prints as a double. */
	if (conv[1] == 0 && strchr("eEfFgG", conv[0]))
		return t->kind == TY_INT || t->kind == TY_BOOL;
	return -1;
}

int fmtspec_check(const char *fmt, const struct type *const *argtypes, size_t nargs,
		 struct strbuf *err)
{
	size_t nspecs = fmtspec_count(fmt);
	if (nargs != nspecs) {
		sb_printf(err, "%s arguments for format string (%zu supplied, %zu expected)",
			  nargs < nspecs ? "not enough" : "too many", nargs, nspecs);
		return -1;
	}

	struct fmt_spec sp;
	for (size_t i = 0; (fmt = fmtspec_scan(fmt, NULL, &sp)); i++) {
		const struct type *t = argtypes[i];
		if (!t || t->kind == TY_NONE) {
			sb_printf(err, "unable to print none type for specifier: %s", sp.conv);
			return -1;
		}
		int ok = check_spec(sp.conv, t);
		if (ok < 0) {
			sb_printf(err, "unsupported format specifier: %s", sp.conv);
			return -1;
		}
		if (!ok) {
			sb_append(err, "unsupported format specifier for type '");
			type_name(err, t);
			sb_printf(err, "': %s", sp.conv);
			return -1;
		}
	}
	return 0;
}
