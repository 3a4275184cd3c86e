/* The table of types/typenames.h.  C typedefs scripts commonly cast to are
 * here with their kernel sizes; "void" is a byte, so a void * steps by 1. */
#include "typenames.h"

#include <string.h>

#define I(n, size, sign) { n, TY_INT, size, sign, NULL }
#define K(n, kind) { n, kind, 0, false, NULL }
#define MADE(n, kind, fn) { n, kind, 0, false, fn }

static const struct type_name names[] = {
	I("int8", 1, true), I("int16", 2, true), I("int32", 4, true), I("int64", 8, true),
	I("uint8", 1, false), I("uint16", 2, false), I("uint32", 4, false), I("uint64", 8, false),
	I("char", 1, true), I("short", 2, true), I("int", 4, true), I("long", 8, true),
	I("unsigned", 4, false), I("signed", 4, true), I("void", 1, false),
	I("u8", 1, false), I("u16", 2, false), I("u32", 4, false), I("u64", 8, false),
	I("s8", 1, true), I("s16", 2, true), I("s32", 4, true), I("s64", 8, true),
	I("__u8", 1, false), I("__u16", 2, false), I("__u32", 4, false), I("__u64", 8, false),
	I("__s8", 1, true), I("__s16", 2, true), I("__s32", 4, true), I("__s64", 8, true),
	I("int8_t", 1, true), I("int16_t", 2, true), I("int32_t", 4, true), I("int64_t", 8, true),
	I("uint8_t", 1, false), I("uint16_t", 2, false), I("uint32_t", 4, false), I("uint64_t", 8, false),
	I("size_t", 8, false), I("ssize_t", 8, true), I("pid_t", 4, true), I("uid_t", 4, false),
	I("gid_t", 4, false), I("loff_t", 8, true), I("umode_t", 2, false), I("dev_t", 4, false),
	I("sector_t", 8, false),
	K("bool", TY_BOOL), K("string", TY_STRING), K("buffer", TY_BUFFER),
	K("inet", TY_INET), K("macaddr_t", TY_MACADDR), K("ksym_t", TY_KSYM), K("usym_t", TY_USYM),
	K("cgroup_path_t", TY_CGROUP_PATH), K("count_t", TY_COUNT), K("sum_t", TY_SUM),
	K("min_t", TY_MIN), K("max_t", TY_MAX), K("avg_t", TY_AVG), K("stats_t", TY_STATS),
	MADE("kstack_t", TY_KSTACK, "kstack()"), MADE("ustack_t", TY_USTACK, "ustack()"),
	MADE("timestamp", TY_TIMESTAMP, "strftime()"), MADE("hist_t", TY_HIST, "hist()"),
	MADE("lhist_t", TY_LHIST, "lhist()"), MADE("tseries_t", TY_TSERIES, "tseries()"),
};

const struct type_name *type_name_find(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].name, name))
			return &names[i];
	return NULL;
}

const char *type_kind_name(enum type_kind kind)
{
	if (kind == TY_INT)
		return NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].kind == kind)
			return names[i].name;
	return NULL;
}
