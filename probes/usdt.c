/* usdt:BINARY:[provider:]name: statically defined probes, found in the
 * binary's .note.stapsdt notes and attached by libbpf, whose user-space
 * half fills the argument specs the program reads (see codegen's usdt
 * argument fetch and bpf/plan.h's USDT maps). */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
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
	if ((m->prov_glob && !probe_glob(m->prov_glob, provider)) || !probe_glob(m->name_glob, name))
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

static int usdt_expand(const struct provider *p, const char *spec, const struct loc *loc,
		       struct arena *a, pointvec *out, struct diag *d)
{
	/* BINARY:name or BINARY:provider:name; the binary has no colons. */
	const char *c1 = spec ? strchr(spec, ':') : NULL;
	if (!c1 || !c1[1]) {
		diag_error(d, loc, "a USDT probe is written usdt:BINARY:[PROVIDER:]NAME");
		return -1;
	}
	const char *binname = arena_strndup(a, spec, (size_t)(c1 - spec));
	const char *bin = resolve_binary(binname, a);
	if (!bin) {
		diag_error(d, loc, "binary '%s' not found (as a path, a library, or on PATH)", binname);
		return -1;
	}
	const char *c2 = strchr(c1 + 1, ':');
	struct match m = {
		.p = p, .bin = bin, .loc = loc, .a = a, .out = out,
		.prov_glob = c2 ? arena_strndup(a, c1 + 1, (size_t)(c2 - c1 - 1)) : NULL,
		.name_glob = c2 ? c2 + 1 : c1 + 1,
	};
	if (for_each_usdt(bin, add_match, &m)) {
		diag_error(d, loc, "cannot read the ELF notes of %s", bin);
		return -1;
	}
	if (!m.found) {
		diag_error(d, loc, "no USDT probe %s in %s", c1 + 1, bin);
		return probe_has_wildcard(c1 + 1) ? PROBE_NO_MATCH : -1;
	}
	return 0;
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
	const char *bin;
	struct strbuf *out;
};

static void list_one(const char *provider, const char *name, void *arg)
{
	struct lister *l = arg;
	sb_printf(l->out, "usdt:%s:%s:%s\n", l->bin, provider, name);
}

static void usdt_list(const struct provider *p, const char *pattern, struct strbuf *out)
{
	const char *colon = pattern ? strchr(pattern, ':') : NULL;
	struct arena a = {0};
	const char *bin = resolve_binary(colon ? arena_strndup(&a, pattern, (size_t)(colon - pattern)) :
					 pattern ? pattern : "", &a);
	if (bin) {
		struct lister l = { bin, out };
		for_each_usdt(bin, list_one, &l);
	}
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
