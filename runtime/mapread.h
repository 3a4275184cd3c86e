/* Reading a whole map from the kernel, per-CPU values folded into one, and
 * the map operations user space does for the script (print, clear, zero). */
#ifndef TRAWK_RUNTIME_MAPREAD_H
#define TRAWK_RUNTIME_MAPREAD_H

#include "../bpf/plan.h"
#include "mapprint.h"

struct map_snapshot {
	struct map_view view;
	void *keys;      /* n * key_size */
	void *values;    /* n * value_size, folded */
};

/* Reads every entry of map m (fd).  Returns 0 or -errno. */
int mapread(int fd, const struct map_def *m, struct map_snapshot *s);
void mapread_free(struct map_snapshot *s);

/* Deletes every entry. */
int map_clear(int fd, const struct map_def *m);
/* Sets every value to zero, keeping the keys. */
int map_zero(int fd, const struct map_def *m);

/* Per-CPU value buffer size for one lookup of m. */
size_t map_lookup_size(const struct map_def *m);

#endif
