/* The table of providers and the split of "provider:spec". */
#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct provider provider_begin, provider_end, provider_tracepoint,
	provider_rawtracepoint, provider_kprobe, provider_kretprobe, provider_uprobe,
	provider_uretprobe, provider_fentry, provider_fexit, provider_interval,
	provider_profile, provider_software, provider_hardware, provider_usdt;

static const struct provider *const providers[] = {
	&provider_begin, &provider_end, &provider_tracepoint, &provider_rawtracepoint,
	&provider_kprobe, &provider_kretprobe, &provider_uprobe, &provider_uretprobe,
	&provider_fentry, &provider_fexit, &provider_interval, &provider_profile,
	&provider_software, &provider_hardware, &provider_usdt, NULL,
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
	"watchpoint", "w", "iter", "it", "self", "test", "bench", NULL,
};

static size_t max_points;

void probes_set_max_points(size_t n)
{
	max_points = n;
}

bool probes_full(const pointvec *out)
{
	return max_points && out->n >= max_points;
}

size_t probes_room(const pointvec *out)
{
	return !max_points ? SIZE_MAX : out->n < max_points ? max_points - out->n : 0;
}

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

static int tracefs_errno;

/* Records why a tracefs directory is unusable, the most telling reason
 * first: one that exists but may not be read beats one that is absent. */
static bool has_events(const char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/events", dir);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	if (errno == EACCES || !tracefs_errno)
		tracefs_errno = errno == EACCES ? EACCES : ENOENT;
	return false;
}

static bool offline;

void probes_set_offline(bool on)
{
	offline = on;
}

bool probes_offline(void)
{
	return offline;
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
	if (tracefs_errno != EACCES && mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
	    has_events("/sys/kernel/tracing"))
		return cached = "/sys/kernel/tracing";
	return NULL;
}

int tracefs_error(void)
{
	return tracefs_path() ? 0 : tracefs_errno;
}

const char *tracefs_problem(void)
{
	switch (tracefs_error()) {
	case 0:
		return NULL;
	case EACCES:
		return "tracefs (/sys/kernel/tracing) may be read only by root: run trawk as root";
	default:
		return "tracefs is not available: mount it on /sys/kernel/tracing";
	}
}

int online_cpus(int *cpus, int max)
{
	/* Read once: a later read would be traced by the probes themselves. */
	static char *text;
	if (!text)
		text = read_file("/sys/devices/system/cpu/online", NULL);
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
	return n;
}

static bool tracepoint_exists(const char *cat, const char *event)
{
	const char *tfs = tracefs_path();
	char path[512];
	struct stat st;
	if (!tfs)
		return false;
	snprintf(path, sizeof(path), "%s/events/%s/%s", tfs, cat, event);
	return stat(path, &st) == 0;
}

/* A tracepoint named like the function, in any category. */
static const char *tracepoint_named(const char *event, struct arena *a)
{
	const char *tfs = tracefs_path();
	char path[256];
	if (!tfs)
		return NULL;
	snprintf(path, sizeof(path), "%s/events", tfs);
	DIR *dir = opendir(path);
	const char *found = NULL;
	struct dirent *e;
	while (dir && !found && (e = readdir(dir)))
		if (e->d_name[0] != '.' && tracepoint_exists(e->d_name, event))
			found = arena_printf(a, "tracepoint:%s:%s", e->d_name, event);
	if (dir)
		closedir(dir);
	return found;
}

/* The syscall a kernel function implements: __x64_sys_read, ksys_read. */
static const char *syscall_of(const char *func)
{
	static const char *const prefixes[] = {
		"__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_", "ksys_", "sys_", "do_sys_",
	};
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(func, prefixes[i], strlen(prefixes[i])))
			return func + strlen(prefixes[i]);
	return NULL;
}

const char *probe_alternative(const char *func, bool is_return, struct arena *a)
{
	const char *sys = syscall_of(func);
	if (sys) {
		const char *ev = arena_printf(a, "sys_%s_%s", is_return ? "exit" : "enter", sys);
		if (tracepoint_exists("syscalls", ev))
			return arena_printf(a, "tracepoint:syscalls:%s", ev);
	}
	return tracepoint_named(func, a);
}
