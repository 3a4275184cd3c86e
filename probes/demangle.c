/* C++ names for uprobes written uprobe:BIN:cpp:PATTERN.  The demangler is
 * the C++ runtime's (__cxa_demangle): trawk links libstdc++ already, for
 * LLVM. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

char *demangle_cpp(const char *name)
{
	if (strncmp(name, "_Z", 2))
		return NULL;
	int status = -1;
	char *r = __cxa_demangle(name, NULL, NULL, &status);
	if (status) {
		free(r);
		return NULL;
	}
	return r;
}

/* A pattern without a parameter list matches the name alone: "ns::f"
 * matches "ns::f(int)" and "ns::f(char const*)". */
bool demangled_matches(const char *glob, const char *demangled)
{
	if (strchr(glob, '('))
		return probe_glob(glob, demangled);
	size_t cut = strlen(demangled);
	int depth = 0;
	for (size_t i = 0; demangled[i]; i++) {
		if (demangled[i] == '<')
			depth++;
		else if (demangled[i] == '>')
			depth--;
		else if (demangled[i] == '(' && depth == 0 && i > 0) {
			cut = i;
			break;
		}
	}
	char *name = strndup(demangled, cut);
	bool ok = name && probe_glob(glob, name);
	free(name);
	return ok;
}
