/* The kernel's traceable functions, for kprobe and fentry wildcards and -l:
 * tracefs's available_filter_functions when it can be read, else the
 * kernel's text symbols. */
#include "probe.h"

#include <stdio.h>
#include <string.h>

static FILE *open_filter_functions(void)
{
	const char *tfs = tracefs_path();
	if (!tfs)
		return NULL;
	char path[256];
	snprintf(path, sizeof(path), "%s/available_filter_functions", tfs);
	FILE *f = fopen(path, "r");
	int c = f ? fgetc(f) : EOF;
	if (c == EOF) {   /* empty: the list is hidden from this user */
		if (f)
			fclose(f);
		return NULL;
	}
	ungetc(c, f);
	return f;
}

bool kernel_functions(kfunc_cb cb, void *arg)
{
	FILE *f = open_filter_functions();
	bool traceable = f != NULL;
	if (!f)
		f = fopen("/proc/kallsyms", "r");
	if (!f)
		return false;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *name = line;
		if (!traceable) {
			char *sp = strchr(line, ' ');
			if (!sp || !strchr("tT", sp[1]) || strchr(line, '['))
				continue;
			name = sp + 3;
		}
		name[strcspn(name, " \t\n")] = 0;
		if (*name)
			cb(name, arg);
	}
	fclose(f);
	return traceable;
}
