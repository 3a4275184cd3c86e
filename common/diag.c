#include "diag.h"

#include <string.h>

/* A line longer than this is quoted in part: a window around the column,
 * "..." marking what is left out. */
#define QUOTE_WIDTH 160
#define QUOTE_BEFORE 60

/* Moves p back to the start of a UTF-8 character, not before line. */
static const char *char_start(const char *line, const char *p)
{
	while (p > line && ((unsigned char)*p & 0xc0) == 0x80)
		p--;
	return p;
}

static void quote_line(struct strbuf *sb, const struct loc *loc)
{
	const struct source *src = loc->src;
	if (!src || !src->text || loc->line <= 0)
		return;
	const char *p = src->text, *end = src->text + src->len;
	for (int l = 1; l < loc->line && p < end; p++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		l++;
	}
	if (p >= end && loc->line > 1)
		return;
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	/* The part shown: from 'from' to 'to', in the line that starts at p. */
	const char *from = p, *to = eol;
	int col = loc->col > 0 ? loc->col : 1;
	if (eol - p > QUOTE_WIDTH) {
		/* A column past the end (an error at the end of input) is shown
		 * just after it. */
		int at = col - 1 <= eol - p ? col : (int)(eol - p) + 1;
		if (at > QUOTE_BEFORE)
			from = char_start(p, p + at - 1 - QUOTE_BEFORE);
		to = from + QUOTE_WIDTH < eol ? char_start(p, from + QUOTE_WIDTH) : eol;
	}
	sb_append(sb, "    ");
	if (from > p)
		sb_append(sb, "...");
	for (const char *q = from; q < to; q++)
		sb_putc(sb, *q == '\t' ? ' ' : *q);
	if (to < eol)
		sb_append(sb, "...");
	sb_append(sb, "\n    ");
	if (from > p)
		sb_append(sb, "   ");
	/* Columns count bytes; the terminal shows characters: UTF-8
	 * continuation bytes take no room of their own. */
	int first = (int)(from - p) + 1, width = (int)(to - p);
	for (int c = first; c < col && c <= width; c++)
		if (((unsigned char)p[c - 1] & 0xc0) != 0x80)
			sb_putc(sb, ' ');
	sb_putc(sb, '^');
	int last = loc->end_line == loc->line ? loc->end_col : width + 1;
	for (int c = col + 1; c < last && c <= width; c++)
		if (((unsigned char)p[c - 1] & 0xc0) != 0x80)
			sb_putc(sb, '~');
	sb_putc(sb, '\n');
}

void diag_vreport(struct diag *d, const char *level, const struct loc *loc, const char *fmt, va_list ap)
{
	if (!strcmp(level, "note")) {
		if (d->hiding)
			return;
	} else if (d->shown >= DIAG_MAX_SHOWN) {
		if (d->shown++ == DIAG_MAX_SHOWN)
			sb_printf(&d->out, "trawk: error: too many errors and warnings: only the first %d are shown\n",
				  DIAG_MAX_SHOWN);
		d->hiding = true;
		return;
	} else {
		d->shown++;
		d->hiding = false;
	}
	if (loc && loc->src)
		sb_printf(&d->out, "%s:%d:%d: ", loc->src->name, loc->line, loc->col);
	else
		sb_append(&d->out, "trawk: ");
	sb_printf(&d->out, "%s: ", level);
	sb_vprintf(&d->out, fmt, ap);
	sb_putc(&d->out, '\n');
	if (loc)
		quote_line(&d->out, loc);
}

void diag_error(struct diag *d, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (d->errors_are_warnings) {
		if (!d->no_warnings)
			diag_vreport(d, "warning", loc, fmt, ap);
		d->warnings++;
	} else {
		diag_vreport(d, "error", loc, fmt, ap);
		d->errors++;
	}
	va_end(ap);
}

void diag_warning(struct diag *d, const struct loc *loc, const char *fmt, ...)
{
	if (d->no_warnings)
		return;
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, "warning", loc, fmt, ap);
	va_end(ap);
	d->warnings++;
}

void diag_note(struct diag *d, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, "note", loc, fmt, ap);
	va_end(ap);
}

void diag_free(struct diag *d)
{
	sb_free(&d->out);
}

struct loc loc_span(struct loc a, struct loc b)
{
	struct loc r = a;
	if (b.end_line > a.end_line || (b.end_line == a.end_line && b.end_col > a.end_col)) {
		r.end_line = b.end_line;
		r.end_col = b.end_col;
	}
	return r;
}

const char *closest_name(const char *name, const char *const *candidates)
{
	const char *best = NULL;
	int best_d = 1000;
	size_t len = strlen(name);
	int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (; *candidates; candidates++) {
		/* The distance is at least the difference in length: a name
		 * too much longer or shorter can never be suggested. */
		size_t clen = strlen(*candidates);
		if ((clen > len ? clen - len : len - clen) > (size_t)limit)
			continue;
		int dist = edit_distance(name, *candidates);
		if (dist < best_d) {
			best_d = dist;
			best = *candidates;
		}
	}
	return best_d <= limit ? best : NULL;
}
