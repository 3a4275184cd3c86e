#include "symbols.h"

#include "../types/btf.h"

#include <elfutils/libdwfl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ksym {
	uint64_t addr;
	uint32_t name;       /* offset into names */
};

struct pid_dwfl {
	int pid;
	Dwfl *dwfl;          /* NULL when the process could not be read */
};

struct symbols {
	bool kernel_loaded;
	struct ksym *ksyms;
	size_t nksyms;
	struct strbuf names;
	VEC(struct pid_dwfl) procs;
};

struct symbols *symbols_new(void)
{
	return xcalloc(1, sizeof(struct symbols));
}

void symbols_free(struct symbols *s)
{
	if (!s)
		return;
	free(s->ksyms);
	sb_free(&s->names);
	for (size_t i = 0; i < s->procs.n; i++)
		if (s->procs.v[i].dwfl)
			dwfl_end(s->procs.v[i].dwfl);
	vec_free(&s->procs);
	free(s);
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Text symbols of the kernel and its modules, sorted by address. */
static void load_kallsyms(struct symbols *s)
{
	s->kernel_loaded = true;
	FILE *f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	VEC(struct ksym) v = {0};
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *end;
		uint64_t addr = strtoull(line, &end, 16);
		if (end[0] != ' ' || !strchr("tTwW", end[1]) || end[2] != ' ' || !addr)
			continue;
		char *name = end + 3;
		name[strcspn(name, " \t\n")] = 0;
		struct ksym k = { addr, (uint32_t)s->names.len };
		sb_appendn(&s->names, name, strlen(name) + 1);
		vec_push(&v, k);
	}
	fclose(f);
	qsort(v.v, v.n, sizeof(*v.v), cmp_ksym);
	s->ksyms = v.v;
	s->nksyms = v.n;
}

bool symbols_kernel(struct symbols *s, uint64_t addr, bool with_offset, struct strbuf *out)
{
	if (!s->kernel_loaded)
		load_kallsyms(s);
	size_t lo = 0, hi = s->nksyms;
	while (lo < hi) {            /* the last symbol at or below addr */
		size_t mid = (lo + hi) / 2;
		if (s->ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	const struct ksym *k = &s->ksyms[lo - 1];
	sb_append(out, s->names.s + k->name);
	if (with_offset)
		sb_printf(out, "+%llu", (unsigned long long)(addr - k->addr));
	return true;
}

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

static Dwfl *dwfl_for(struct symbols *s, int pid)
{
	for (size_t i = 0; i < s->procs.n; i++)
		if (s->procs.v[i].pid == pid)
			return s->procs.v[i].dwfl;
	Dwfl *d = dwfl_begin(&proc_callbacks);
	if (d && (dwfl_linux_proc_report(d, pid) != 0 || dwfl_report_end(d, NULL, NULL) != 0)) {
		dwfl_end(d);
		d = NULL;
	}
	struct pid_dwfl p = { pid, d };
	vec_push(&s->procs, p);
	return d;
}

bool symbols_user(struct symbols *s, int pid, uint64_t addr, bool with_offset, struct strbuf *out)
{
	Dwfl *d = dwfl_for(s, pid);
	Dwfl_Module *mod = d ? dwfl_addrmodule(d, addr) : NULL;
	if (!mod)
		return false;
	GElf_Off off;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	if (!name)
		return false;
	sb_append(out, name);
	if (with_offset)
		sb_printf(out, "+%llu", (unsigned long long)off);
	return true;
}

/* The file a user address is in, as perf names it; [unknown] without one. */
static void user_module(struct symbols *s, int pid, uint64_t addr, struct strbuf *out)
{
	Dwfl *d = dwfl_for(s, pid);
	Dwfl_Module *mod = d ? dwfl_addrmodule(d, addr) : NULL;
	const char *name = mod ? dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL) : NULL;
	sb_append(out, name && name[0] == '/' ? name : "[unknown]");
}

static uint64_t u64_at(const void *p, size_t off)
{
	uint64_t v;
	memcpy(&v, (const char *)p + off, sizeof(v));
	return v;
}

/* One frame or symbol: its name, else the address in hex. */
static void name_of(struct symbols *s, bool user, int pid, uint64_t addr, bool with_offset, struct strbuf *out)
{
	bool found = user ? symbols_user(s, pid, addr, with_offset, out)
			  : symbols_kernel(s, addr, with_offset, out);
	if (!found)
		sb_printf(out, "0x%llx", (unsigned long long)addr);
}

/* A stack value: [pid (user stacks)], frame count, frames. */
struct stack_view {
	bool user;
	int pid;
	uint64_t n;
	const uint8_t *frames;
};

static struct stack_view stack_view(const struct type *t, const void *data)
{
	struct stack_view v = { .user = t->kind == TY_USTACK };
	size_t hdr = v.user ? 16 : 8;
	v.pid = v.user ? (int)u64_at(data, 0) : 0;
	v.n = u64_at(data, hdr - 8);
	if (v.n > t->count)
		v.n = t->count;
	v.frames = (const uint8_t *)data + hdr;
	return v;
}

static void stack_text(struct symbols *s, const struct type *t, const void *data, struct strbuf *sb)
{
	struct stack_view v = stack_view(t, data);
	sb_putc(sb, '\n');
	for (uint64_t i = 0; i < v.n; i++) {
		uint64_t addr = u64_at(v.frames, 8 * i);
		if (t->stack_mode == 2) {          /* raw */
			sb_printf(sb, "%llx\n", (unsigned long long)addr);
		} else if (t->stack_mode == 1) {   /* perf */
			sb_printf(sb, "\t%llx ", (unsigned long long)addr);
			name_of(s, v.user, v.pid, addr, true, sb);
			sb_append(sb, " (");
			if (v.user)
				user_module(s, v.pid, addr, sb);
			else
				sb_append(sb, "[kernel.kallsyms]");
			sb_append(sb, ")\n");
		} else {
			sb_append(sb, "        ");
			name_of(s, v.user, v.pid, addr, true, sb);
			sb_putc(sb, '\n');
		}
	}
}

static void stack_json(struct symbols *s, const struct type *t, const void *data, struct strbuf *sb)
{
	struct stack_view v = stack_view(t, data);
	sb_putc(sb, '[');
	for (uint64_t i = 0; i < v.n; i++) {
		struct strbuf frame = {0};
		name_of(s, v.user, v.pid, u64_at(v.frames, 8 * i), true, &frame);
		if (i)
			sb_putc(sb, ',');
		format_json_string(sb, sb_str(&frame), frame.len);
		sb_free(&frame);
	}
	sb_putc(sb, ']');
}

static int64_t ns_of(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* strftime() of a boot-time instant, with bpftrace's %f for microseconds. */
static void timestamp_text(const char *fmt, int64_t boot_ns, struct strbuf *out)
{
	int64_t wall = boot_ns + ns_of(CLOCK_REALTIME) - ns_of(CLOCK_BOOTTIME);
	time_t secs = (time_t)(wall / 1000000000);
	struct tm tm;
	localtime_r(&secs, &tm);
	struct strbuf f = {0};
	for (const char *p = fmt ? fmt : ""; *p; p++) {
		if (p[0] == '%' && p[1] == 'f') {
			sb_printf(&f, "%06lld", (long long)(wall % 1000000000 / 1000));
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			sb_append(&f, "%%");
			p++;
		} else {
			sb_putc(&f, *p);
		}
	}
	char buf[512];
	size_t n = strftime(buf, sizeof(buf), sb_str(&f), &tm);
	sb_appendn(out, buf, n);
	sb_free(&f);
}

const char *symbols_enum_name(const struct type *t, int64_t value)
{
	int32_t id = t->btf_id > 0 ? t->btf_id : btf_enum_id(t->name);
	return id > 0 ? btf_enum_name(id, value) : NULL;
}

bool symbols_format(void *arg, struct strbuf *sb, const struct type *t, const void *data,
		    enum output_format f)
{
	struct symbols *s = arg;
	struct strbuf text = {0};
	switch (t->kind) {
	case TY_KSTACK:
	case TY_USTACK:
		if (f == OUTPUT_JSON)
			stack_json(s, t, data, sb);
		else
			stack_text(s, t, data, sb);
		return true;
	case TY_KSYM:
		name_of(s, false, 0, u64_at(data, 0), false, &text);
		break;
	case TY_USYM:
		name_of(s, true, (int)u64_at(data, 8), u64_at(data, 0), false, &text);
		break;
	case TY_TIMESTAMP:
		timestamp_text(t->fmt, (int64_t)u64_at(data, 0), &text);
		break;
	case TY_USERNAME: {
		struct passwd *pw = getpwuid((uid_t)u64_at(data, 0));
		if (pw)
			sb_append(&text, pw->pw_name);
		else
			sb_printf(&text, "%llu", (unsigned long long)u64_at(data, 0));
		break;
	}
	default:
		return false;
	}
	if (f == OUTPUT_JSON)
		format_json_string(sb, sb_str(&text), text.len);
	else
		sb_appendn(sb, sb_str(&text), text.len);
	sb_free(&text);
	return true;
}
