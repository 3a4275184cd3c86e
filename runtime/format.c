#include "format.h"
#include "fold.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* ---- JSON primitives ---------------------------------------------------- */

/* A double holds an integer exactly when its odd part fits the 53-bit
 * significand; bpftrace quotes every other integer (RFC 8259 interop). */
static bool double_exact(uint64_t mag)
{
	if (!mag)
		return true;
	mag >>= __builtin_ctzll(mag);
	return mag < (1ULL << 53);
}

void format_json_int(struct strbuf *sb, int64_t v)
{
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	if (double_exact(mag))
		sb_printf(sb, "%" PRId64, v);
	else
		sb_printf(sb, "\"%" PRId64 "\"", v);
}

void format_json_uint(struct strbuf *sb, uint64_t v)
{
	if (double_exact(v))
		sb_printf(sb, "%" PRIu64, v);
	else
		sb_printf(sb, "\"%" PRIu64 "\"", v);
}

/* Length of the well-formed UTF-8 sequence starting at s, or 0. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	static const uint32_t min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint8_t c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* The inside of a JSON string, without the quotes. */
static void json_escape_body(struct strbuf *sb, const char *str, size_t n)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		switch (c) {
		case '"': sb_append(sb, "\\\""); i++; continue;
		case '\\': sb_append(sb, "\\\\"); i++; continue;
		case '\n': sb_append(sb, "\\n"); i++; continue;
		case '\r': sb_append(sb, "\\r"); i++; continue;
		case '\t': sb_append(sb, "\\t"); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			sb_printf(sb, "\\u%04x", c);
			i++;
			continue;
		}
		size_t len = utf8_len(s + i, n - i);
		if (!len) {
			sb_printf(sb, "\\u%04x", c);
			i++;
			continue;
		}
		sb_appendn(sb, (const char *)s + i, len);
		i += len;
	}
}

void format_json_string(struct strbuf *sb, const char *s, size_t n)
{
	sb_putc(sb, '"');
	json_escape_body(sb, s, n);
	sb_putc(sb, '"');
}

void format_hex_buffer(struct strbuf *sb, const uint8_t *p, size_t n,
		       bool keep_ascii, bool escape_hex)
{
	for (size_t i = 0; i < n; i++) {
		if (keep_ascii && p[i] >= 32 && p[i] <= 126)
			sb_putc(sb, (char)p[i]);
		else if (escape_hex)
			sb_printf(sb, "\\x%02x", p[i]);
		else
			sb_printf(sb, i == n - 1 ? "%02x" : "%02x ", p[i]);
	}
}

/* ---- value formatting --------------------------------------------------- */

struct fmt {
	struct strbuf *sb;
	enum output_format f;
	const struct format_ctx *ctx;
};

static void fmt_any(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div);

static uint64_t load_u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static void put_int(const struct fmt *st, int64_t v)
{
	if (st->f == OUTPUT_JSON)
		format_json_int(st->sb, v);
	else
		sb_printf(st->sb, "%" PRId64, v);
}

static void put_uint(const struct fmt *st, uint64_t v)
{
	if (st->f == OUTPUT_JSON)
		format_json_uint(st->sb, v);
	else
		sb_printf(st->sb, "%" PRIu64, v);
}

/* A value that bpftrace resolves to a string: raw in text, quoted in JSON. */
static void put_text(const struct fmt *st, const char *s, size_t n)
{
	if (st->f == OUTPUT_JSON)
		format_json_string(st->sb, s, n);
	else
		sb_appendn(st->sb, s, n);
}

static void put_textf(const struct fmt *st, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void put_textf(const struct fmt *st, const char *fmt, ...)
{
	struct strbuf tmp = {0};
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&tmp, fmt, ap);
	va_end(ap);
	put_text(st, sb_str(&tmp), tmp.len);
	sb_free(&tmp);
}

static uint64_t nonzero(uint64_t div)
{
	return div ? div : 1;
}

/* The enumerator an enum-typed value names: script enums carry theirs,
 * kernel ones are looked up in BTF. */
static const char *enum_name(const struct format_ctx *ctx, const struct type *t, int64_t v)
{
	const char *name = type_enum_name(t, v);
	if (!name && t->name && !strncmp(t->name, "enum ", 5) && ctx && ctx->enum_name)
		name = ctx->enum_name(t, v);
	return name;
}

static void fmt_int(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div)
{
	int64_t v = fold_load_int(t, p);
	const char *name = st->f == OUTPUT_TEXT && div <= 1 ? enum_name(st->ctx, t, v) : NULL;
	if (name) {   /* JSON keeps the number, as bpftrace's does */
		sb_append(st->sb, name);
		return;
	}
	if (t->is_signed)
		put_int(st, fold_sdiv(v, (int64_t)nonzero(div)));
	else
		put_uint(st, (uint64_t)v / nonzero(div));
}

/* The signed or unsigned reading of a 64-bit aggregation slot. */
static void put_scaled(const struct fmt *st, bool is_signed, uint64_t bits, uint64_t div)
{
	if (is_signed)
		put_int(st, fold_sdiv((int64_t)bits, (int64_t)nonzero(div)));
	else
		put_uint(st, bits / nonzero(div));
}

static void fmt_string(const struct fmt *st, const struct type *t, const uint8_t *p)
{
	const char *s = (const char *)p;
	size_t n = strnlen(s, t->size);
	/* A string that fills its buffer was (probably) cut short by the kernel
	 * read, and bpftrace says so with the trailer. */
	const char *trailer = "";
	if (n == t->size)
		trailer = st->ctx && st->ctx->str_trunc_trailer ? st->ctx->str_trunc_trailer : "..";

	if (st->f == OUTPUT_JSON) {
		sb_putc(st->sb, '"');
		json_escape_body(st->sb, s, n);
		json_escape_body(st->sb, trailer, strlen(trailer));
		sb_putc(st->sb, '"');
	} else {
		sb_appendn(st->sb, s, n);
		sb_append(st->sb, trailer);
	}
}

/* Bytes of buf() data: the stored length, bounded by the type's capacity
 * (count; or the size after the u32 length when count is unset). */
static size_t buffer_len(const struct type *t, const uint8_t *p)
{
	uint32_t len;
	memcpy(&len, p, sizeof(len));
	size_t cap = t->count ? t->count : t->size > 4 ? t->size - 4 : 0;
	return len < cap ? len : cap;
}

static void fmt_buffer(const struct fmt *st, const struct type *t, const uint8_t *p)
{
	size_t n = buffer_len(t, p);

	if (st->f == OUTPUT_TEXT) {
		format_hex_buffer(st->sb, p + 4, n, true, true);
		return;
	}
	/* bpftrace emits the bytes as (signed) chars. */
	sb_putc(st->sb, '[');
	for (size_t i = 0; i < n; i++)
		sb_printf(st->sb, i ? ",%d" : "%d", (int)(int8_t)p[4 + i]);
	sb_putc(st->sb, ']');
}

/* Bit-field value: bit_size bits starting bit_offset bits into p. */
static uint64_t load_bits(const uint8_t *p, unsigned bit_offset, unsigned bit_size, bool is_signed)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bit_size && i < 64; i++) {
		unsigned bit = bit_offset + i;
		if (p[bit / 8] >> (bit % 8) & 1)
			v |= 1ULL << i;
	}
	if (is_signed && bit_size > 0 && bit_size < 64 && (v >> (bit_size - 1) & 1))
		v |= ~0ULL << bit_size;
	return v;
}

static void fmt_field(const struct fmt *st, const struct field *fd, const uint8_t *base,
		      uint64_t div)
{
	if (!fd->bit_size) {
		fmt_any(st, fd->type, base + fd->offset, div);
		return;
	}
	uint64_t v = load_bits(base + fd->offset, fd->bit_offset, fd->bit_size,
			       fd->type->is_signed);
	if (fd->type->kind == TY_BOOL)
		sb_append(st->sb, v ? "true" : "false");
	else
		put_scaled(st, fd->type->is_signed, v, div);
}

static void fmt_record(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div)
{
	if (st->f == OUTPUT_JSON) {
		sb_putc(st->sb, '{');
		for (uint32_t i = 0; i < t->nfields; i++) {
			const char *name = t->fields[i].name ? t->fields[i].name : "";
			if (i)
				sb_append(st->sb, ", ");
			format_json_string(st->sb, name, strlen(name));
			sb_append(st->sb, ": ");
			fmt_field(st, &t->fields[i], p, div);
		}
		sb_putc(st->sb, '}');
		return;
	}
	if (!t->nfields) {
		sb_append(st->sb, "{}");
		return;
	}
	sb_append(st->sb, "{ ");
	for (uint32_t i = 0; i < t->nfields; i++) {
		const char *name = t->fields[i].name ? t->fields[i].name : "";
		sb_printf(st->sb, "%s.%s = ", i ? ", " : "", name);
		fmt_field(st, &t->fields[i], p, div);
	}
	sb_append(st->sb, " }");
}

/* Tuples get ", " in text (and none in JSON), arrays never get spaces. */
static void fmt_tuple(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div)
{
	bool json = st->f == OUTPUT_JSON;
	sb_putc(st->sb, json ? '[' : '(');
	for (uint32_t i = 0; i < t->nfields; i++) {
		if (i)
			sb_append(st->sb, json ? "," : ", ");
		fmt_field(st, &t->fields[i], p, div);
	}
	sb_putc(st->sb, json ? ']' : ')');
}

static void fmt_array(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div)
{
	uint32_t esz = t->elem ? t->elem->size : 0;
	sb_putc(st->sb, '[');
	for (uint32_t i = 0; t->elem && i < t->count; i++) {
		if (i)
			sb_putc(st->sb, ',');
		fmt_any(st, t->elem, p + (size_t)i * esz, div);
	}
	sb_putc(st->sb, ']');
}

/* bpftrace's raw stack mode: a leading newline, then one bare hex address
 * per line; used until a symbolizer is plugged in. */
static void fmt_stack(const struct fmt *st, const struct type *t, const uint8_t *p)
{
	size_t hdr = t->kind == TY_USTACK ? 16 : 8;
	uint64_t nframes = load_u64(p + hdr - 8);
	uint64_t cap = t->size > hdr ? (t->size - hdr) / 8 : 0;
	if (nframes > cap)
		nframes = cap;

	struct strbuf tmp = {0};
	sb_putc(&tmp, '\n');
	for (uint64_t i = 0; i < nframes; i++)
		sb_printf(&tmp, "%" PRIx64 "\n", load_u64(p + hdr + i * 8));
	put_text(st, sb_str(&tmp), tmp.len);
	sb_free(&tmp);
}

static void fmt_inet(const struct fmt *st, const uint8_t *p)
{
	char buf[INET6_ADDRSTRLEN] = "";
	uint64_t family = load_u64(p);
	if (family == AF_INET)
		inet_ntop(AF_INET, p + 8, buf, sizeof(buf));
	else if (family == AF_INET6)
		inet_ntop(AF_INET6, p + 8, buf, sizeof(buf));
	put_text(st, buf, strlen(buf));
}

static void fmt_minmax(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div)
{
	put_scaled(st, t->is_signed, (uint64_t)fold_value_int(t, p), div);
}

/* avg and stats share { total, count }; the average is the integer
 * quotient, signed or not after the argument's type. */
static void fmt_avg_stats(const struct fmt *st, const struct type *t, const uint8_t *p,
			  uint64_t div)
{
	uint64_t total = load_u64(p), count = load_u64(p + 8);
	uint64_t avg = 0;
	if (count)
		avg = t->is_signed ? (uint64_t)fold_sdiv((int64_t)total, (int64_t)count) : total / count;

	if (t->kind == TY_AVG) {
		put_scaled(st, t->is_signed, avg, div);
		return;
	}
	bool json = st->f == OUTPUT_JSON;
	sb_append(st->sb, json ? "{\"count\": " : "{ .count = ");
	put_scaled(st, t->is_signed, count, 1);
	sb_append(st->sb, json ? ", \"average\": " : ", .average = ");
	put_scaled(st, t->is_signed, avg, div);
	sb_append(st->sb, json ? ", \"total\": " : ", .total = ");
	put_scaled(st, t->is_signed, total, 1);
	sb_append(st->sb, json ? "}" : " }");
}

static void fmt_macaddr(const struct fmt *st, const uint8_t *p)
{
	put_textf(st, "%02X:%02X:%02X:%02X:%02X:%02X", p[0], p[1], p[2], p[3], p[4], p[5]);
}

static void fmt_any(const struct fmt *st, const struct type *t, const uint8_t *p, uint64_t div)
{
	const struct format_ctx *ctx = st->ctx;
	if (ctx && ctx->symbolize && ctx->symbolize(ctx->symbolize_arg, st->sb, t, p, st->f))
		return;

	switch (t->kind) {
	case TY_BOOL: sb_append(st->sb, p[0] ? "true" : "false"); break;
	case TY_INT: fmt_int(st, t, p, div); break;
	case TY_STRING: fmt_string(st, t, p); break;
	case TY_BUFFER: fmt_buffer(st, t, p); break;
	case TY_TUPLE: fmt_tuple(st, t, p, div); break;
	case TY_RECORD:
	case TY_STRUCT: fmt_record(st, t, p, div); break;
	case TY_ARRAY: fmt_array(st, t, p, div); break;
	case TY_PTR:
		if (st->f == OUTPUT_JSON)
			format_json_uint(st->sb, load_u64(p));
		else
			sb_printf(st->sb, "0x%" PRIx64, load_u64(p));
		break;
	case TY_KSTACK:
	case TY_USTACK: fmt_stack(st, t, p); break;
	case TY_KSYM:
	case TY_USYM: put_textf(st, "0x%" PRIx64, load_u64(p)); break;
	case TY_TIMESTAMP:
	case TY_CGROUP_PATH:
	case TY_USERNAME:
	case TY_PROBE: put_textf(st, "%" PRIu64, load_u64(p)); break;
	case TY_INET: fmt_inet(st, p); break;
	case TY_MACADDR: fmt_macaddr(st, p); break;
	case TY_COUNT: put_uint(st, load_u64(p) / nonzero(div)); break;
	case TY_SUM: put_scaled(st, t->is_signed, load_u64(p), div); break;
	case TY_MIN:
	case TY_MAX: fmt_minmax(st, t, p, div); break;
	case TY_AVG:
	case TY_STATS: fmt_avg_stats(st, t, p, div); break;
	default:
		/* none, and the histogram kinds that only mapprint can show */
		sb_append(st->sb, "null");
		break;
	}
}

void format_value_div(struct strbuf *sb, const struct type *t, const void *data,
		      enum output_format f, const struct format_ctx *ctx, uint64_t div)
{
	struct fmt st = { .sb = sb, .f = f, .ctx = ctx };
	fmt_any(&st, t, data, div);
}

void format_value(struct strbuf *sb, const struct type *t, const void *data,
		  enum output_format f, const struct format_ctx *ctx)
{
	format_value_div(sb, t, data, f, ctx, 1);
}

/* ---- printf ------------------------------------------------------------- */

/* The integer a printf argument converts to, as bpftrace's integer
 * primitives (ints, bools, pointers, enums) do. */
static bool pf_numeric(const struct type *t, const uint8_t *p, uint64_t *bits)
{
	switch (t->kind) {
	case TY_INT: *bits = (uint64_t)fold_load_int(t, p); return true;
	case TY_BOOL: *bits = p[0] != 0; return true;
	case TY_PTR: *bits = load_u64(p); return true;
	case TY_COUNT:
	case TY_SUM:
	case TY_MIN:
	case TY_MAX:
	case TY_AVG: *bits = (uint64_t)fold_value_int(t, p); return true;
	default: return false;
	}
}

/* The integer width a length modifier casts to (32 without one, like C's
 * int), as bpftrace's formatter does before printing. */
static int pf_bits(const char *len)
{
	if (!strcmp(len, "hh"))
		return 8;
	if (!strcmp(len, "h"))
		return 16;
	if (!strcmp(len, "l") || !strcmp(len, "ll") || !strcmp(len, "j") ||
	    !strcmp(len, "z") || !strcmp(len, "t"))
		return 64;
	return 32;
}

static int64_t sign_extend(uint64_t v, int bits)
{
	if (bits >= 64)
		return (int64_t)v;
	uint64_t m = 1ULL << (bits - 1);
	v &= (1ULL << bits) - 1;
	return (int64_t)((v ^ m) - m);
}

static uint64_t zero_extend(uint64_t v, int bits)
{
	return bits >= 64 ? v : v & ((1ULL << bits) - 1);
}

static void pf_integer(struct strbuf *body, const struct fmt_spec *sp, uint64_t bits)
{
	int w = pf_bits(sp->len);
	char c = sp->conv[0];

	if (c == 'd' || c == 'i') {
		int64_t v = sign_extend(bits, w);
		sb_printf(body, sp->plus && v >= 0 ? "+%" PRId64 : "%" PRId64, v);
		return;
	}
	uint64_t v = zero_extend(bits, w);
	bool prefix = sp->alt && v;
	switch (c) {
	case 'u': sb_printf(body, "%" PRIu64, v); break;
	case 'o': sb_printf(body, prefix ? "0%" PRIo64 : "%" PRIo64, v); break;
	case 'x': sb_printf(body, prefix ? "0x%" PRIx64 : "%" PRIx64, v); break;
	case 'X': sb_printf(body, prefix ? "0X%" PRIX64 : "%" PRIX64, v); break;
	case 'c': sb_putc(body, (char)(bits & 0xff)); break;
	case 'p':
		if (bits)
			sb_printf(body, "0x%" PRIx64, bits);
		else
			sb_putc(body, '0');
		break;
	default: {
		/* e f g a: there is no floating point data; print the integer the
		 * way a stream prints a double. */
		double d = (double)sign_extend(bits, 64);
		const char *plus = sp->plus && d >= 0 ? "+" : "";
		if (sp->prec < 0)
			sb_printf(body, "%s%g", plus, d);
		else if (c == 'f' || c == 'F')
			sb_printf(body, "%s%.*f", plus, sp->prec, d);
		else if (c == 'e' || c == 'E')
			sb_printf(body, "%s%.*e", plus, sp->prec, d);
		else
			sb_printf(body, "%s%.*g", plus, sp->prec, d);
		break;
	}
	}
}

static bool pf_is_integer_conv(const char *conv)
{
	return conv[1] == 0 && strchr("diouxXcpeEfFgGaA", conv[0]);
}

/* Pads to the width as C printf does: zeros go after the sign and the 0x
 * prefix of an integer, and '-' wins over '0'. */
static void pf_pad(struct strbuf *sb, const struct fmt_spec *sp, const char *s, size_t n)
{
	size_t pad = sp->width > 0 && (size_t)sp->width > n ? (size_t)sp->width - n : 0;
	bool zeros = sp->zero && !sp->left && pf_is_integer_conv(sp->conv) && sp->conv[0] != 'c';
	size_t prefix = 0;
	if (zeros) {
		if (prefix < n && (s[prefix] == '-' || s[prefix] == '+'))
			prefix++;
		if (prefix + 1 < n && s[prefix] == '0' && (s[prefix + 1] == 'x' || s[prefix + 1] == 'X'))
			prefix += 2;
	}
	sb_appendn(sb, s, prefix);
	if (!sp->left)
		sb_fill(sb, zeros ? '0' : ' ', pad);
	sb_appendn(sb, s + prefix, n - prefix);
	if (sp->left)
		sb_fill(sb, ' ', pad);
}

/* Formats one argument for one conversion. */
static void pf_apply(struct strbuf *sb, const struct fmt_spec *sp, const struct type *t,
		     const uint8_t *p, const struct format_ctx *ctx)
{
	struct strbuf body = {0};
	uint64_t bits;

	if (pf_is_integer_conv(sp->conv)) {
		if (!pf_numeric(t, p, &bits)) {
			/* bpftrace embeds the error in the output, unpadded. */
			sb_append(sb, "!{invalid integer conversion: ");
			format_value(sb, t, p, OUTPUT_TEXT, ctx);
			sb_putc(sb, '}');
			return;
		}
		pf_integer(&body, sp, bits);
	} else if (sp->conv[0] == 'r' && t->kind == TY_BUFFER) {
		format_hex_buffer(&body, p + 4, buffer_len(t, p), sp->conv[1] == 0,
				  sp->conv[1] != 'h');
	} else {   /* %s of an enum value prints its name, as text output does */
		format_value(&body, t, p, OUTPUT_TEXT, ctx);
	}
	/* bpftrace's stream formatter ignores precision except for floating
	 * point; truncating %s (and %r) text is the C behaviour scripts expect. */
	size_t n = body.len;
	if (!pf_is_integer_conv(sp->conv) && sp->prec >= 0 && (size_t)sp->prec < n)
		n = (size_t)sp->prec;
	pf_pad(sb, sp, sb_str(&body), n);
	sb_free(&body);
}

int format_printf(struct strbuf *sb, const char *fmt, const struct type *args,
		  const void *data, const struct format_ctx *ctx)
{
	uint32_t nargs = args ? args->nfields : 0;
	if (fmtspec_count(fmt) != nargs)
		return -1;

	struct fmt_spec sp;
	const uint8_t *base = data;
	for (uint32_t i = 0; (fmt = fmtspec_scan(fmt, sb, &sp)); i++) {
		const struct field *fd = &args->fields[i];
		pf_apply(sb, &sp, fd->type, base + fd->offset, ctx);
	}
	return 0;
}

