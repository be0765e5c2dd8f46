/* exostat: print the kernel's exported state, read directly (no system call)
 * from the read-only pages the kernel maps into every address space:
 *   exo_info      frames total/free, TSC frequency, default quotas, boot modules
 *   exo_frames    physical frames by owner: free, kernel, reserved, module, user
 *   exo_envs      live environments: id, parent, status, flags, frames, slots, name
 *   exo_slots     slots per round, quantum, current slot, rounds, slot owners
 *   exo_counters  system calls (count; TSC ticks with the boot option timing=1), upcalls, timer ticks,
 *                 context switches
 *   exostat */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "libos.h"

/* System-call names by number, from the X-macro list. */
static const char *const sysname[EXO_COUNTED_SYSCALLS] = {
#define NAME(num, name, nargs) [num] = #name,
	EXO_SYSCALLS(NAME)
#undef NAME
};
_Static_assert(SYS_COUNT <= EXO_COUNTED_SYSCALLS, "every call has a counter");

/* n as a short human-readable quantity: 123, 4.5K, 12M, 3.1G. */
static const char *human(uint64_t n, char buf[16])
{
	const char *unit = " KMGT";
	double v = (double)n;
	int u = 0;
	while (v >= 1000 && u < 4)
		v /= 1000, u++;
	if (u == 0)
		snprintf(buf, 16, "%llu", (unsigned long long)n);
	else
		snprintf(buf, 16, v < 10 ? "%.1f%c" : "%.0f%c", v, unit[u]);
	return buf;
}

static void info(void)
{
	uint64_t hz = exo_info->tsc_hz, fq = exo_info->frame_quota;
	printf("memory   %llu frames (%llu MiB), %llu free (%llu MiB)\n",
	       (unsigned long long)exo_info->nframes, (unsigned long long)(exo_info->nframes >> 8),
	       (unsigned long long)exo_info->free_frames, (unsigned long long)(exo_info->free_frames >> 8));
	printf("tsc      %llu.%03llu MHz\n", (unsigned long long)(hz / 1000000),
	       (unsigned long long)(hz / 1000 % 1000));
	if (fq == UINT64_MAX)
		printf("quotas   frames unlimited, slots %llu (defaults)\n",
		       (unsigned long long)exo_info->slot_quota);
	else
		printf("quotas   frames %llu, slots %llu (defaults)\n", (unsigned long long)fq,
		       (unsigned long long)exo_info->slot_quota);
	uint64_t nm = exo_info->nmodules < EXO_MAX_MODULES ? exo_info->nmodules : EXO_MAX_MODULES;
	for (uint64_t i = 0; i < nm; i++) {
		const volatile typeof(exo_info->modules[0]) *m = &exo_info->modules[i];
		char cmd[sizeof m->cmdline + 1];
		for (size_t k = 0; k < sizeof m->cmdline; k++)
			cmd[k] = m->cmdline[k];
		cmd[sizeof m->cmdline] = 0;
		printf("%-8s %2llu %#10llx-%#-10llx %6llu KiB  %.32s\n", i ? "" : "modules",
		       (unsigned long long)i, (unsigned long long)m->start, (unsigned long long)m->end,
		       (unsigned long long)((m->end - m->start) >> 10), cmd);
	}
}

static void frames(void)
{
	uint64_t n[5] = { 0 }; /* free, kernel, reserved, module, user */
	for (uint64_t i = 0; i < exo_info->nframes; i++) {
		int32_t o = exo_frames[i].owner;
		n[o == FRAME_OWNER_FREE ? 0 : o == FRAME_OWNER_KERNEL ? 1 : o == FRAME_OWNER_RESERVED ? 2 :
		  o == FRAME_OWNER_MODULE ? 3 : o > 0 ? 4 : 2]++;
	}
	printf("frames   free %llu, kernel %llu, reserved %llu, module %llu, user %llu\n",
	       (unsigned long long)n[0], (unsigned long long)n[1], (unsigned long long)n[2],
	       (unsigned long long)n[3], (unsigned long long)n[4]);
}

static void envs(void)
{
	printf("\n%8s %8s %-6s %-5s %8s/%-7s %5s %s\n", "ENV", "PARENT", "STATUS", "FLAGS",
	       "FRAMES", "QUOTA", "SLOTS", "NAME");
	for (int i = 0; i < EXO_NENV; i++) {
		const volatile struct exo_env_view *e = &exo_envs[i];
		if (!e->id)
			continue;
		char flags[4] = "---", parent[16] = "-", quota[24] = "-", name[sizeof e->name + 1];
		uint32_t f = e->flags;
		if (f & EXO_ENVF_IPC_RECV) flags[0] = 'i';
		if (f & EXO_ENVF_CONSOLE) flags[1] = 'c';
		if (f & EXO_ENVF_POWER) flags[2] = 'p';
		if (e->parent)
			snprintf(parent, sizeof parent, "%#x", (unsigned)e->parent);
		if (e->frame_quota != UINT64_MAX)
			snprintf(quota, sizeof quota, "%llu", (unsigned long long)e->frame_quota);
		for (size_t k = 0; k < sizeof e->name; k++)
			name[k] = e->name[k];
		name[sizeof e->name] = 0;
		printf("%#8x %8s %-6s %-5s %8llu/%-7s %2u/%-2u %s\n", (unsigned)e->id, parent,
		       e->status == EXO_ENV_RUNNABLE ? "run" : e->status == EXO_ENV_NOT_RUNNABLE ? "stop" : "?",
		       flags, (unsigned long long)e->nframes, quota, (unsigned)e->nslots,
		       (unsigned)e->slot_quota, name);
	}
	printf("         flags: i = in ipc_recv, c = waiting for console, p = may power off\n");
}

static void slots(void)
{
	uint32_t ns = exo_slots->nslots < EXO_MAX_SLOTS ? exo_slots->nslots : EXO_MAX_SLOTS;
	uint64_t hz = exo_info->tsc_hz;
	printf("\nslots    %u per round, %llu us each; now in slot %u, %llu rounds done\n", (unsigned)ns,
	       (unsigned long long)(hz ? exo_slots->quantum_tsc * 1000000 / hz : 0),
	       (unsigned)exo_slots->current, (unsigned long long)exo_slots->rounds);
	printf("owners  ");
	for (uint32_t i = 0, col = 8; i < ns; i++) {
		char cell[16];
		int32_t o = exo_slots->owner[i];
		int len = o ? snprintf(cell, sizeof cell, " %u:%x", (unsigned)i, (unsigned)o)
			    : snprintf(cell, sizeof cell, " %u:-", (unsigned)i);
		if (col + (uint32_t)len > 79) {
			printf("\n        ");
			col = 8;
		}
		fputs(cell, stdout);
		col += (uint32_t)len;
	}
	putchar('\n');
}

static void counters(void)
{
	const volatile typeof(*exo_counters) *c = exo_counters; /* "struct exo_counters" is a macro */
	uint64_t total = 0, ncalls = 0;
	char b1[16], b2[16], b3[16];
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++)
		total += c->syscall_tsc[i], ncalls += c->syscalls[i];
	bool timed = c->syscall_timing; /* ticks are kept only with the boot option timing=1 */
	printf("\nsyscall             calls      ticks  ticks/call  %%ticks%s\n", timed ? "" : "  (ticks: boot with timing=1)");
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++) {
		uint64_t calls = c->syscalls[i], ticks = c->syscall_tsc[i];
		if (!calls)
			continue;
		char num[16];
		const char *name = sysname[i];
		if (!name)
			snprintf(num, sizeof num, "#%d", i), name = num;
		if (timed)
			printf("%-15s %9s %10s %11s %6.1f\n", name, human(calls, b1), human(ticks, b2),
			       human(ticks / calls, b3), total ? 100.0 * (double)ticks / (double)total : 0.0);
		else
			printf("%-15s %9s %10s %11s %6s\n", name, human(calls, b1), "-", "-", "-");
	}
	printf("%-15s %9s %10s %11s\n", "total", human(ncalls, b1), timed ? human(total, b2) : "-",
	       timed ? human(ncalls ? total / ncalls : 0, b3) : "-");
	printf("\nupcalls  exception %llu, slot start %llu, refused %llu; %s ticks delivering\n",
	       (unsigned long long)c->upcalls[0], (unsigned long long)c->upcalls[1],
	       (unsigned long long)c->upcalls[2], human(c->upcall_tsc, b1));
	printf("timer    %llu ticks, %llu context switches\n", (unsigned long long)c->timer_ticks,
	       (unsigned long long)c->context_switches);
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: exostat\n");
		return 2;
	}
	if (exo_info->magic != EXO_INFO_MAGIC) {
		fprintf(stderr, "exostat: kernel info page: bad magic %#llx\n",
			(unsigned long long)exo_info->magic);
		return 1;
	}
	info();
	frames();
	envs();
	slots();
	counters();
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "exostat: stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
