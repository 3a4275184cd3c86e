/* The tracepoints tracefs lists (events/CATEGORY/EVENT/), read once per
 * process and kept sorted: a script with many tracepoint wildcards, or the
 * fuzzer's million scripts, would otherwise read ~2,000 directories per
 * wildcard. */
#include "probe.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static struct {
	bool loaded;
	struct strbuf names;    /* "cat\0event\0" pairs */
	VEC(size_t) at;         /* offset of each pair's category, sorted */
} tp;

static void add_category(const char *events, const char *cat)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", events, cat);
	struct dirent **evs;
	int nev = scandir(path, &evs, NULL, alphasort);
	for (int j = 0; j < nev; j++) {
		const char *ev = evs[j]->d_name;
		if (ev[0] != '.' && evs[j]->d_type == DT_DIR) {
			vec_push(&tp.at, tp.names.len);
			sb_appendn(&tp.names, cat, strlen(cat) + 1);
			sb_appendn(&tp.names, ev, strlen(ev) + 1);
		}
		free(evs[j]);
	}
	if (nev >= 0)
		free(evs);
}

/* -1 when tracefs cannot be read now (not cached: it may be later). */
static int load(void)
{
	if (tp.loaded)
		return 0;
	const char *tfs = tracefs_path();
	if (!tfs)
		return -1;
	char events[512];
	snprintf(events, sizeof(events), "%s/events", tfs);
	struct dirent **cats;
	int ncat = scandir(events, &cats, NULL, alphasort);
	if (ncat < 0)
		return -1;
	for (int i = 0; i < ncat; i++) {
		if (cats[i]->d_name[0] != '.')
			add_category(events, cats[i]->d_name);
		free(cats[i]);
	}
	free(cats);
	tp.loaded = true;
	return 0;
}

static const char *cat_at(size_t i)
{
	return tp.names.s + tp.at.v[i];
}

static const char *event_at(size_t i)
{
	return cat_at(i) + strlen(cat_at(i)) + 1;
}

int tracefs_events(const char *cat_glob, const char *ev_glob, tp_event_fn fn, void *arg)
{
	if (load())
		return -1;
	for (size_t i = 0; i < tp.at.n; i++)
		if (probe_glob(cat_glob, cat_at(i)) && probe_glob(ev_glob, event_at(i)))
			fn(cat_at(i), event_at(i), arg);
	return 0;
}

bool tracefs_event_exists(const char *cat, const char *event)
{
	if (load())
		return false;
	for (size_t i = 0; i < tp.at.n; i++)
		if (!strcmp(cat_at(i), cat) && !strcmp(event_at(i), event))
			return true;
	return false;
}

void tracefs_events_free(void)
{
	sb_free(&tp.names);
	vec_free(&tp.at);
	tp.loaded = false;
}
