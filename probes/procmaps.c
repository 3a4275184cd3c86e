/* The objects a process maps, for probes given with -p: uprobe:func (the
 * binary omitted) and uprobe:*:func probe every one of them, and a library
 * named without a path is the one the process has loaded.  Paths are as
 * trawk can open them: through /proc/PID/root when the process sees
 * another mount namespace (a container). */
#include "probe.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int target_pid;

void probes_set_target_pid(int pid)
{
	target_pid = pid;
}

int probes_target_pid(void)
{
	return target_pid;
}

static bool same_mount_ns(int pid)
{
	char path[64];
	struct stat self, other;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	if (stat("/proc/self/ns/mnt", &self) || stat(path, &other))
		return true;   /* cannot tell: take paths as they are */
	return self.st_ino == other.st_ino && self.st_dev == other.st_dev;
}

static bool listed(const strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

int proc_mapped_objects(int pid, struct arena *a, strvec *out)
{
	char path[64], line[PATH_MAX + 128];
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	const char *root = same_mount_ns(pid) ? "" : arena_printf(a, "/proc/%d/root", pid);
	while (fgets(line, sizeof(line), f)) {
		char perms[8];
		int name_at = 0;
		/* start-end perms offset dev inode pathname */
		if (sscanf(line, "%*x-%*x %7s %*x %*x:%*x %*u %n", perms, &name_at) != 1 || !name_at)
			continue;
		char *name = line + name_at;
		name[strcspn(name, "\n")] = 0;
		if (perms[2] != 'x' || name[0] != '/' || strstr(name, " (deleted)"))
			continue;
		const char *full = arena_printf(a, "%s%s", root, name);
		if (!listed(out, full))
			vec_push(out, full);
	}
	fclose(f);
	return 0;
}

/* "libc" or "libc.so.6": the mapped object whose file name starts so. */
const char *proc_find_library(int pid, const char *name, struct arena *a)
{
	strvec objs = {0};
	const char *found = NULL;
	size_t n = strlen(name);
	const char *lib = strncmp(name, "lib", 3) ? arena_printf(a, "lib%s", name) : name;
	if (lib != name)
		n += 3;
	if (proc_mapped_objects(pid, a, &objs) == 0) {
		for (size_t i = 0; i < objs.n && !found; i++) {
			const char *base = strrchr(objs.v[i], '/') + 1;
			if (!strncmp(base, lib, n) && (base[n] == '.' || base[n] == '-' || !base[n]))
				found = objs.v[i];
		}
	}
	vec_free(&objs);
	return found;
}

int user_binaries(const char *binname, struct arena *a, strvec *bins)
{
	int pid = probes_target_pid();
	if (!binname || !strcmp(binname, "*"))
		return pid > 0 ? proc_mapped_objects(pid, a, bins) : -1;
	if (strchr(binname, '/') && probe_has_wildcard(binname)) {
		glob_t g;
		if (glob(binname, 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++) {
				const char *bin = resolve_binary(g.gl_pathv[i], a);
				/* A symlink and its target are one binary. */
				if (bin && !listed(bins, bin))
					vec_push(bins, bin);
			}
		}
		globfree(&g);
		return 0;
	}
	const char *bin = pid > 0 && !strchr(binname, '/') ? proc_find_library(pid, binname, a) : NULL;
	if (!bin)
		bin = resolve_binary(binname, a);
	if (bin)
		vec_push(bins, bin);
	return 0;
}
