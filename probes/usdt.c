/* usdt:BINARY:[provider:]name: statically defined probes, found in the
 * binary's .note.stapsdt notes and attached by libbpf, whose user-space
 * half fills the argument specs the program reads (see codegen's usdt
 * argument fetch and bpf/plan.h's USDT maps). */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <string.h>
#include <unistd.h>

typedef void (*note_cb)(const char *provider, const char *name, void *arg);

static void parse_notes(Elf *elf, note_cb cb, void *arg)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;
		while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			const char *owner = (const char *)data->d_buf + name_off;
			if (nh.n_type != 3 || nh.n_namesz != 8 || memcmp(owner, "stapsdt", 8))
				continue;
			/* pc, base, semaphore (3 addresses), then provider\0name\0args\0 */
			const char *desc = (const char *)data->d_buf + desc_off;
			size_t addrs = 3 * (gelf_getclass(elf) == ELFCLASS64 ? 8 : 4);
			if (nh.n_descsz <= addrs)
				continue;
			const char *provider = desc + addrs;
			const char *name = provider + strnlen(provider, nh.n_descsz - addrs) + 1;
			if (name < desc + nh.n_descsz)
				cb(provider, name, arg);
		}
	}
}

static int for_each_usdt(const char *path, note_cb cb, void *arg)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf)
		parse_notes(elf, cb, arg);
	int rc = elf ? 0 : -1;
	elf_end(elf);
	close(fd);
	return rc;
}

struct match {
	const struct provider *p;
	const char *bin, *prov_glob, *name_glob;
	const struct loc *loc;
	struct arena *a;
	pointvec *out;
	size_t found;
};

static void add_match(const char *provider, const char *name, void *arg)
{
	struct match *m = arg;
	if ((m->prov_glob && !probe_glob(m->prov_glob, provider)) || !probe_glob(m->name_glob, name) ||
	    probes_full(m->out))
		return;
	for (size_t i = m->out->n - m->found; i < m->out->n; i++)
		if (!strcmp(m->out->v[i]->ns, provider) && !strcmp(m->out->v[i]->func, name))
			return;   /* the same probe at several sites: one attach covers them */
	struct probe_point *pt = arena_alloc(m->a, sizeof(*pt));
	pt->prov = m->p;
	pt->target = m->bin;
	pt->ns = arena_strdup(m->a, provider);
	pt->func = arena_strdup(m->a, name);
	pt->loc = *m->loc;
	pt->name = arena_printf(m->a, "usdt:%s:%s:%s", m->bin, provider, name);
	vec_push(m->out, pt);
	m->found++;
}

/* The probes of one binary matching the globs; how many were added. */
static int usdt_in_binary(struct match *m, const char *bin)
{
	m->bin = bin;
	m->found = 0;
	if (for_each_usdt(bin, add_match, m))
		return -1;
	return (int)m->found;
}

/* usdt:BINARY:[PROVIDER:]NAME; with -p also usdt:[PROVIDER:]NAME, where a
 * first part that names no file is the provider. */
static const char *split_binary(const char *spec, struct arena *a, const char **rest)
{
	const char *c1 = strchr(spec, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	bool by_pid = probes_target_pid() > 0;
	if (by_pid && (!c1 || (!c2 && !resolve_binary(arena_strndup(a, spec, (size_t)(c1 - spec)), a)))) {
		*rest = spec;
		return NULL;
	}
	*rest = c1 ? c1 + 1 : NULL;
	return c1 ? arena_strndup(a, spec, (size_t)(c1 - spec)) : spec;
}

static int usdt_expand(const struct provider *p, const char *spec, const struct loc *loc,
		       struct arena *a, pointvec *out, struct diag *d)
{
	const char *rest = NULL;
	const char *binname = spec && *spec ? split_binary(spec, a, &rest) : NULL;
	if (!rest || !*rest) {
		diag_error(d, loc, "a USDT probe is written usdt:BINARY:[PROVIDER:]NAME (or usdt:[PROVIDER:]NAME with -p)");
		return -1;
	}
	if ((!binname || !strcmp(binname, "*")) && probes_target_pid() <= 0) {
		diag_error(d, loc, "USDT probes in every binary (*) need -p PID: the objects that process maps");
		return -1;
	}
	strvec bins = {0};
	user_binaries(binname, a, &bins);
	bool several = !binname || probe_has_wildcard(binname);
	if (!bins.n) {
		diag_error(d, loc, "binary '%s' not found (as a path, a library, or on PATH)", binname ? binname : "*");
		vec_free(&bins);
		return several ? PROBE_NO_MATCH : -1;
	}
	const char *c2 = strchr(rest, ':');
	struct match m = {
		.p = p, .loc = loc, .a = a, .out = out,
		.prov_glob = c2 ? arena_strndup(a, rest, (size_t)(c2 - rest)) : NULL,
		.name_glob = c2 ? c2 + 1 : rest,
	};
	int total = 0, rc = 0;
	for (size_t i = 0; i < bins.n; i++) {
		int n = usdt_in_binary(&m, bins.v[i]);
		if (n < 0 && !several) {
			diag_error(d, loc, "cannot read the ELF notes of %s", bins.v[i]);
			rc = -1;
		}
		total += n > 0 ? n : 0;
	}
	if (!rc && !total) {
		if (several)
			diag_error(d, loc, "no USDT probe %s in the %zu objects of %s", rest, bins.n, binname ? binname : "*");
		else
			diag_error(d, loc, "no USDT probe %s in %s", rest, bins.v[0]);
		rc = several || probe_has_wildcard(rest) ? PROBE_NO_MATCH : -1;
	}
	vec_free(&bins);
	return rc;
}

static const char *usdt_section(const struct probe_point *pt, struct arena *a)
{
	return "usdt";
}

static int usdt_attach(const struct probe_point *pt, struct bpf_program *prog, struct attach_ctx *ac)
{
	struct bpf_link *link = bpf_program__attach_usdt(prog, ac->pid > 0 ? ac->pid : -1, pt->target,
							 pt->ns, pt->func, NULL);
	if (!link) {
		sb_printf(&ac->err, "cannot attach %s: %s", pt->name, strerror(errno));
		return -1;
	}
	vec_push(&ac->links, link);
	return 0;
}

struct lister {
	const char *bin, *prov_glob, *name_glob;
	struct strbuf *out;
};

static void list_one(const char *provider, const char *name, void *arg)
{
	struct lister *l = arg;
	if ((l->prov_glob && !probe_glob(l->prov_glob, provider)) || (l->name_glob && !probe_glob(l->name_glob, name)))
		return;
	sb_printf(l->out, "usdt:%s:%s:%s\n", l->bin, provider, name);
}

/* "usdt:BIN[:PROVIDER[:NAME]]", wildcards allowed; with -p also
 * "usdt:*" or a bare pattern over the process's objects. */
static void usdt_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	struct arena a = {0};
	const char *c1 = pattern ? strchr(pattern, ':') : NULL;
	const char *binname = c1 ? arena_strndup(&a, pattern, (size_t)(c1 - pattern)) : pattern;
	const char *rest = c1 ? c1 + 1 : NULL;
	if (!c1 && probes_target_pid() > 0) {
		binname = "*";
		rest = pattern && *pattern ? pattern : NULL;
	}
	const char *c2 = rest ? strchr(rest, ':') : NULL;
	struct lister l = { .out = out,
		.prov_glob = rest && *rest ? (c2 ? arena_strndup(&a, rest, (size_t)(c2 - rest)) : rest) : NULL,
		.name_glob = c2 && c2[1] ? c2 + 1 : NULL };
	strvec bins = {0};
	if (binname)
		user_binaries(binname, &a, &bins);
	for (size_t i = 0; i < bins.n; i++) {
		l.bin = bins.v[i];
		for_each_usdt(bins.v[i], list_one, &l);
	}
	vec_free(&bins);
	arena_free(&a);
}

const struct provider provider_usdt = {
	.name = "usdt",
	.aliases = { "U" },
	.user = true,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.ctx = CTX_PTREGS,
	.caps = CAP_ARGN | CAP_REGS | CAP_USDT,
	.expand = usdt_expand,
	.section = usdt_section,
	.attach = usdt_attach,
	.list = usdt_list,
};
