/* The C-preprocessor subset bpftrace scripts use, run before the scanner:
 * "#include" (types come from BTF, so headers are skipped), object-like
 * "#define NAME value", and "#if/#ifdef/#ifndef/#elif/#else/#endif".
 * Directive lines and inactive regions become blank, so every other line
 * keeps its number and columns.  A shebang line is blanked too. */
#ifndef TRAWK_LEXER_CPP_H
#define TRAWK_LEXER_CPP_H

#include "../common/diag.h"

struct cpp_define {
	const char *name;
	const char *value;    /* the replacement text, "" when none */
	struct loc loc;
};

struct cpp_result {
	char *text;           /* malloc'd; same length and line breaks as the input */
	VEC(struct cpp_define) defines;
};

/* Predefined: BPFTRACE_HAVE_BTF (and TRAWK_HAVE_BTF) when the kernel has BTF. */
int cpp_run(const struct source *src, struct arena *a, struct cpp_result *out, struct diag *d);
void cpp_result_free(struct cpp_result *r);

#endif
