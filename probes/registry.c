/* The table of providers and the split of "provider:spec". */
#include "probe.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct provider provider_begin, provider_end, provider_tracepoint,
	provider_interval, provider_profile;

static const struct provider *const providers[] = {
	&provider_begin, &provider_end, &provider_tracepoint, &provider_interval,
	&provider_profile, NULL,
};

const struct provider *const *provider_all(void)
{
	return providers;
}

const struct provider *provider_find(const char *name)
{
	for (const struct provider *const *p = providers; *p; p++) {
		if (!strcasecmp((*p)->name, name))
			return *p;
		for (int i = 0; i < 3 && (*p)->aliases[i]; i++)
			if (!strcmp((*p)->aliases[i], name))
				return *p;
	}
	return NULL;
}

static const char *const known_unsupported[] = {
	"kprobe", "k", "kretprobe", "kr", "uprobe", "u", "uretprobe", "ur", "usdt", "U",
	"rawtracepoint", "rt", "fentry", "f", "kfunc", "fexit", "fr", "kretfunc", "software", "s",
	"hardware", "h", "watchpoint", "w", "iter", "it", "self", "test", "bench", NULL,
};

int probe_expand(const char *text, const struct loc *loc, struct arena *a, pointvec *out, struct diag *d)
{
	const char *colon = strchr(text, ':');
	char *prov_name = colon ? arena_strndup(a, text, (size_t)(colon - text)) : arena_strdup(a, text);
	const struct provider *p = provider_find(prov_name);
	if (!p) {
		for (const char *const *u = known_unsupported; *u; u++) {
			if (!strcmp(*u, prov_name)) {
				diag_error(d, loc, "probe type '%s' is not supported yet", prov_name);
				return -1;
			}
		}
		const char *names[32];
		size_t n = 0;
		for (const struct provider *const *q = providers; *q && n < 31; q++)
			names[n++] = (*q)->name;
		names[n] = NULL;
		const char *hint = closest_name(prov_name, names);
		if (hint)
			diag_error(d, loc, "unknown probe type '%s'; did you mean '%s'?", prov_name, hint);
		else
			diag_error(d, loc, "unknown probe type '%s'", prov_name);
		return -1;
	}
	return p->expand(p, colon ? colon + 1 : NULL, loc, a, out, d);
}

bool probe_glob(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

bool probe_has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool has_events(const char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/events", dir);
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *tracefs_path(void)
{
	static const char *cached;
	if (cached)
		return cached;
	if (has_events("/sys/kernel/tracing"))
		return cached = "/sys/kernel/tracing";
	if (has_events("/sys/kernel/debug/tracing"))
		return cached = "/sys/kernel/debug/tracing";
	/* Not mounted: try to, as root can. */
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
	    has_events("/sys/kernel/tracing"))
		return cached = "/sys/kernel/tracing";
	return NULL;
}

int online_cpus(int *cpus, int max)
{
	char *text = read_file("/sys/devices/system/cpu/online", NULL);
	if (!text)
		return -1;
	int n = 0;
	for (char *p = text; *p && *p != '\n';) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (end == p)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long c = lo; c <= hi && n < max; c++)
			cpus[n++] = (int)c;
		p = *end == ',' ? end + 1 : end;
	}
	free(text);
	return n;
}
