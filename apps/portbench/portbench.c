/*
 * portbench: the ports (SQLite's speedtest1, Lua, dash) doing the same work on the
 * exokernel and on Linux. The same source builds on both (newlib + libOS; static
 * glibc); `make bench-ports` runs it under QEMU with -icount, where the TSC counts
 * guest instructions (docs/benchmarks.md, "The ports against Linux").
 *
 * Each workload is one program started with posix_spawn and waited for; the ticks
 * between just before the spawn and just after the wait are its cost, everything
 * the program, its children and the system do for it included:
 *   speedtest1_file     /bin/speedtest1 --size 10 /tmp/portbench.db
 *   speedtest1_memory   /bin/speedtest1 --size 10 --memdb   (":memory:")
 *   lua                 /bin/lua /test/scripts/bench.lua
 *   dash_STRATEGY       /bin/sh /test/scripts/bench-fork.sh, on the exokernel once
 *                       per fork strategy (LIBOS_FORK=eager, cow, ondemand: every
 *                       fork dash makes uses it), on Linux once (dash_fork)
 * A workload's output (stdout and stderr) goes to /tmp/portbench.out; its last line
 * is shown ("portbench-out: WORKLOAD: LINE"), all of it if the program failed.
 * Prints one CSV line per workload:  portbench,SYSTEM,WORKLOAD,TICKS
 * Usage: portbench [WORKLOAD-PREFIX]   (only the workloads whose name starts so)
 * Exit status: 0 if every workload ran and exited 0, 1 otherwise.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __linux__
#define SYSTEM "linux"
static const char *const strategies[] = { "fork" };
#else
#define SYSTEM "exo"
static const char *const strategies[] = { "eager", "cow", "ondemand" };
#endif

#define OUT_PATH "/tmp/portbench.out"
#define DB_PATH "/tmp/portbench.db"

static inline uint64_t ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* show_output: print the last line of OUT_PATH (all of it when all is set), each
 * line prefixed with "portbench-out: NAME: ". Returns nothing; a file that cannot be
 * read is reported as such. */
static void show_output(const char *name, int all)
{
	FILE *f = fopen(OUT_PATH, "r");
	if (!f) {
		printf("portbench-out: %s: (no output file)\n", name);
		return;
	}
	char line[256], last[256] = "";
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (all)
			printf("portbench-out: %s: %s\n", name, line);
		snprintf(last, sizeof last, "%s", line);
	}
	fclose(f);
	if (!all)
		printf("portbench-out: %s: %s\n", name, last);
}

/* run: spawn argv[0] with argv and envp, its stdout and stderr to OUT_PATH, wait
 * for it and print "portbench,SYSTEM,name,TICKS" (the ticks around spawn and
 * wait). Returns 0 if it exited with status 0, -1 otherwise (the reason printed). */
static int run(const char *name, char *const argv[], char *const envp[])
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, OUT_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	fflush(stdout);
	pid_t pid;
	int st = 0;
	uint64_t t0 = ticks();
	int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	pid_t w = err ? -1 : waitpid(pid, &st, 0);
	uint64_t t1 = ticks();
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		printf("portbench: %s: posix_spawn %s: %s\n", name, argv[0], strerror(err));
		return -1;
	}
	if (w != pid) {
		perror("portbench: waitpid");
		return -1;
	}
	int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	show_output(name, !ok);
	unlink(OUT_PATH);
	if (!ok) {
		printf("portbench: %s: %s %d\n", name, WIFEXITED(st) ? "exit status" : "killed by signal",
		       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return -1;
	}
	printf("portbench,%s,%s,%llu\n", SYSTEM, name, (unsigned long long)(t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : "";
	char *env[] = { "PATH=/bin", "HOME=/tmp", NULL, NULL };
	char *st_file[] = { "/bin/speedtest1", "--size", "10", DB_PATH, NULL };
	char *st_mem[] = { "/bin/speedtest1", "--size", "10", "--memdb", NULL };
	char *lua[] = { "/bin/lua", "/test/scripts/bench.lua", NULL };
	char *dash[] = { "/bin/sh", "/test/scripts/bench-fork.sh", NULL };
	int failed = 0;

	if (!strncmp("speedtest1_file", only, strlen(only))) {
		failed |= run("speedtest1_file", st_file, env);
		unlink(DB_PATH);
	}
	if (!strncmp("speedtest1_memory", only, strlen(only)))
		failed |= run("speedtest1_memory", st_mem, env);
	if (!strncmp("lua", only, strlen(only)))
		failed |= run("lua", lua, env);
	for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++) {
		char name[32], var[32];
		snprintf(name, sizeof name, "dash_%s", strategies[i]);
		if (strncmp(name, only, strlen(only)))
			continue;
		snprintf(var, sizeof var, "LIBOS_FORK=%s", strategies[i]);
		env[2] = var; /* meaningless on Linux, and harmless */
		failed |= run(name, dash, env);
		env[2] = NULL;
	}
	return failed ? 1 : 0;
}
