/* Functions of an ELF file, and where a binary named in a probe lives. */
#include "probe.h"
#include "elfiter.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool elf_each_symbol(Elf *elf, elf_sym_fn fn, void *arg)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; data && i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym) || !sym.st_value || sym.st_shndx == SHN_UNDEF)
				continue;
			const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && *name && fn(elf, &sym, name, arg))
				return true;
		}
	}
	return false;
}

struct fn_walk {
	uint64_t base;
	elf_fn_cb cb;
	void *arg;
};

/* A function's file offset: its address relative to its section. */
static bool one_function(Elf *elf, const GElf_Sym *sym, const char *name, void *arg)
{
	struct fn_walk *w = arg;
	int type = GELF_ST_TYPE(sym->st_info);
	Elf_Scn *home = elf_getscn(elf, sym->st_shndx);
	GElf_Shdr hs;
	if ((type == STT_FUNC || type == STT_GNU_IFUNC) && home && gelf_getshdr(home, &hs))
		w->cb(name, w->base + sym->st_value - hs.sh_addr + hs.sh_offset, sym->st_size, w->arg);
	return false;
}

/* Function symbols of an ELF image, their file offsets shifted by base
 * (where the image starts in the file that is probed). */
static void functions_of(Elf *elf, uint64_t base, elf_fn_cb cb, void *arg)
{
	struct fn_walk w = { base, cb, arg };
	elf_each_symbol(elf, one_function, &w);
}

/* A member of an archive ("app.zip!/lib/x.so") is read into memory. */
static int member_functions(const char *name, elf_fn_cb cb, void *arg)
{
	struct arena a = {0};
	const char *archive;
	uint64_t off, size;
	int rc = -1;
	if (archive_member(name, &a, &archive, &off, &size) == 0) {
		int fd = open(archive, O_RDONLY | O_CLOEXEC);
		char *buf = fd >= 0 ? malloc(size ? size : 1) : NULL;
		Elf *elf = buf && pread(fd, buf, size, (off_t)off) == (ssize_t)size ? elf_memory(buf, size) : NULL;
		if (elf && elf_kind(elf) == ELF_K_ELF) {
			functions_of(elf, off, cb, arg);
			rc = 0;
		}
		elf_end(elf);
		free(buf);
		if (fd >= 0)
			close(fd);
	}
	arena_free(&a);
	return rc;
}

int elf_functions(const char *path, elf_fn_cb cb, void *arg)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	if (strstr(path, "!/"))
		return member_functions(path, cb, arg);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		close(fd);
		return -1;
	}
	functions_of(elf, 0, cb, arg);
	elf_end(elf);
	close(fd);
	return 0;
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A library name can also match linker scripts (libc.so): only ELF will do. */
static bool is_elf(const char *p)
{
	char magic[4];
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && read(fd, magic, 4) == 4 && !memcmp(magic, "\177ELF", 4);
	if (fd >= 0)
		close(fd);
	return ok;
}

static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
	"/lib", "/usr/lib", "/usr/local/lib", NULL,
};

/* A library by name in lib_dirs (reading each folder
 * whole): a script may name one library at hundreds of points, so what
 * the search found, or that it found nothing, is kept for the process
 * while no folder changes (their mtimes), until lib_search_free(). */
struct lib_found {
	char *name, *path;   /* path NULL: not there */
};
static VEC(struct lib_found) lib_memo;
static struct timespec lib_dirs_stamp[ARRAY_SIZE(lib_dirs)];

void lib_search_free(void)
{
	for (size_t i = 0; i < lib_memo.n; i++) {
		free(lib_memo.v[i].name);
		free(lib_memo.v[i].path);
	}
	vec_free(&lib_memo);
}

static void lib_memo_check(void)
{
	for (size_t d = 0; lib_dirs[d]; d++) {
		struct stat st;
		struct timespec t = stat(lib_dirs[d], &st) ? (struct timespec){0} : st.st_mtim;
		if (t.tv_sec != lib_dirs_stamp[d].tv_sec || t.tv_nsec != lib_dirs_stamp[d].tv_nsec) {
			lib_search_free();
			lib_dirs_stamp[d] = t;
		}
	}
}

/* As glob would find "DIR/NAME", "DIR/NAME.so.*", "DIR/NAME.so",
 * "DIR/libNAME.so.*", "DIR/libNAME.so" in turn, taking the first of each
 * in sorted order, but reading each folder once. */
static bool lib_form(const char *entry, const char *name, size_t form)
{
	static const char *const forms[] = { "%s", "%s.so.*", "%s.so", "lib%s.so.*", "lib%s.so" };
	char pat[NAME_MAX + 16];
	if (snprintf(pat, sizeof(pat), forms[form], name) >= (int)sizeof(pat))
		return false;
	return fnmatch(pat, entry, FNM_PERIOD) == 0;
}

static char *lib_in_dir(const char *dir, const char *name)
{
	enum { NFORMS = 5 };
	char *first[NFORMS] = {0};
	DIR *dp = opendir(dir);
	for (struct dirent *e; dp && (e = readdir(dp));)
		for (size_t f = 0; f < NFORMS; f++)
			if (lib_form(e->d_name, name, f) && (!first[f] || strcmp(e->d_name, first[f]) < 0)) {
				free(first[f]);
				first[f] = xstrdup(e->d_name);
			}
	if (dp)
		closedir(dp);
	char *found = NULL;
	for (size_t f = 0; f < NFORMS; f++) {
		if (!found && first[f]) {
			char path[PATH_MAX];
			snprintf(path, sizeof(path), "%s/%s", dir, first[f]);
			if (is_file(path) && is_elf(path))
				found = xstrdup(path);
		}
		free(first[f]);
	}
	return found;
}

static char *lib_search(const char *name)
{
	char *found = NULL;
	for (const char *const *d = lib_dirs; *d && !found; d++)
		found = lib_in_dir(*d, name);
	return found;
}

static const char *lib_in_dirs(const char *name, struct arena *a)
{
	lib_memo_check();
	for (size_t i = 0; i < lib_memo.n; i++)
		if (!strcmp(lib_memo.v[i].name, name))
			return lib_memo.v[i].path ? arena_strdup(a, lib_memo.v[i].path) : NULL;
	struct lib_found f = { xstrdup(name), lib_search(name) };
	vec_push(&lib_memo, f);
	return f.path ? arena_strdup(a, f.path) : NULL;
}

/* "libc" → /lib/x86_64-linux-gnu/libc.so.6; "bash" → /usr/bin/bash. */
const char *resolve_binary(const char *name, struct arena *a)
{
	char buf[PATH_MAX];
	const char *archive, *member;
	uint64_t off, size;
	if (archive_split(name, a, &archive, &member))
		return archive_member(name, a, &archive, &off, &size) ? NULL : arena_printf(a, "%s!/%s", archive, member);
	if (strchr(name, '/'))
		return realpath(name, buf) && is_file(buf) ? arena_strdup(a, buf) : NULL;
	const char *lib = ldcache_find(name, a);
	if (lib && realpath(lib, buf) && is_file(buf))
		return arena_strdup(a, buf);
	/* Libraries ldconfig has not seen (a directory it does not list). */
	lib = lib_in_dirs(name, a);
	if (lib)
		return lib;
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	const char *found = NULL;
	for (char *dir = strtok(copy, ":"); dir && !found; dir = strtok(NULL, ":")) {
		snprintf(buf, sizeof(buf), "%s/%s", dir, name);
		if (is_file(buf) && access(buf, X_OK) == 0)
			found = arena_strdup(a, buf);
	}
	free(copy);
	return found;
}
