/* errno and signal names as integer constants (EPERM, SIGINT), as
 * bpftrace's standard library defines them: strerror(EPERM),
 * signal(SIGKILL).  The names come from the C library's own tables, so
 * they are the system's numbering. */
#include "internal.h"

#include <signal.h>
#include <string.h>

/* Linux's errno values end below 134 (EHWPOISON is 133). */
#define ERRNO_MAX 134

static bool errno_value(const char *name, int64_t *v)
{
	for (int i = 1; i < ERRNO_MAX; i++) {
		const char *e = strerrorname_np(i);
		if (e && !strcmp(e, name)) {
			*v = i;
			return true;
		}
	}
	return false;
}

static bool signal_value(const char *name, int64_t *v)
{
	if (strncmp(name, "SIG", 3))
		return false;
	for (int i = 1; i < NSIG; i++) {
		const char *s = sigabbrev_np(i);
		if (s && !strcmp(s, name + 3)) {
			*v = i;
			return true;
		}
	}
	return false;
}

bool sema_libc_constant(const char *name, int64_t *v)
{
	if (name[0] != 'E' && name[0] != 'S')
		return false;
	return errno_value(name, v) || signal_value(name, v);
}
