/* kfuzz: names and formatting shared by the supervisor and the worker. No stdio
 * here: the worker prints its replay trace with raw cons_write calls. */
#include "kfuzz.h"

static const char *const names[SYS_COUNT] = {
#define KF_NAME(num, name, nargs) [num] = #name,
	EXO_SYSCALLS(KF_NAME)
#undef KF_NAME
};

static const int nargs_of[SYS_COUNT] = {
#define KF_NARGS(num, name, nargs) [num] = nargs,
	EXO_SYSCALLS(KF_NARGS)
#undef KF_NARGS
};

const char *kf_callname(long nr)
{
	return (nr >= 0 && nr < SYS_COUNT) ? names[nr] : "nosys";
}

const char *kf_rule_name(int r)
{
	static const char *const n[KF_NRULES] = {
		"succeeded with an argument it must refuse",
		"returned something other than the only allowed result",
		"charged an environment beyond its frame quota",
		"succeeded with a real environment id plus bits above bit 31 (or another bad argument)",
		"left the caller's own exported entry wrong (id, status runnable, parent)",
	};
	return (r >= 0 && r < KF_NRULES) ? n[r] : "?";
}

const char *kf_mode_name(int mode)
{
	static const char *const m[KF_NMODES] = { "normal", "oom", "quota", "mapcount", "manyenv" };
	return (mode >= 0 && mode < KF_NMODES) ? m[mode] : "?";
}

/* put: append s to buf at *at (size n, room kept for the NUL). */
static void put(char *buf, int n, int *at, const char *s)
{
	while (*s && *at < n - 1)
		buf[(*at)++] = *s++;
	buf[*at] = 0;
}

/* put_num: append v in base 16 (as 0x..., negative values as -0x...) or 10. */
static void put_num(char *buf, int n, int *at, long v, unsigned base)
{
	char t[24];
	int i = sizeof t - 1;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	t[i] = 0;
	do {
		t[--i] = "0123456789abcdef"[u % base];
		u /= base;
	} while (u);
	if (base == 16) {
		t[--i] = 'x';
		t[--i] = '0';
	}
	if (v < 0)
		t[--i] = '-';
	put(buf, n, at, t + i);
}

int kf_fmt_call(char *buf, int n, const struct kf_call *c)
{
	int at = 0, na = (c->nr >= 0 && c->nr < SYS_COUNT) ? nargs_of[c->nr] : 6;
	buf[0] = 0;
	put(buf, n, &at, "#");
	put_num(buf, n, &at, (long)c->seq, 10);
	put(buf, n, &at, " ");
	put(buf, n, &at, kf_callname(c->nr));
	if (c->nr < 0 || c->nr >= SYS_COUNT) {
		put(buf, n, &at, "[");
		put_num(buf, n, &at, c->nr, 10);
		put(buf, n, &at, "]");
	}
	put(buf, n, &at, "(");
	for (int i = 0; i < na; i++) {
		if (i)
			put(buf, n, &at, ", ");
		put_num(buf, n, &at, c->a[i], 16);
	}
	put(buf, n, &at, ") = ");
	if (c->result == KF_PENDING)
		put(buf, n, &at, "(no result: the worker ended in this call)");
	else
		put_num(buf, n, &at, c->result, 10);
	return at;
}
