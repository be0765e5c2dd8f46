/*
 * bench-linux-init.c - /init of the Linux baseline initramfs (scripts/linux-baseline.sh).
 *
 * PID 1 must never exit (the kernel panics), so this wrapper forks, runs the
 * benchmark's main() in the child (the benchmark is compiled with -Dmain=bench_main
 * and linked with this file, static glibc), waits for it, reports its status as
 * "linux-baseline-init: status N", then syncs and powers the machine off so that
 * QEMU exits. /dev/console, /dev/null and /tmp are made if the initramfs lacks
 * them. First it prints what the comparison depends on, as "linux-baseline-info:"
 * lines: the kernel's release, its transparent-huge-page setting and the CPU's
 * model and flags (proc and sysfs are mounted for that, and unmounted after).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* The benchmark's main, whichever of the usual signatures it has: passing all three
 * arguments is harmless to a main(void) or main(int, char **) under the x86-64 ABI. */
int bench_main(int argc, char **argv, char **envp);

/* The kernel opens /dev/console as fds 0-2 if the initramfs has it (its built-in
 * initramfs does); if not, make the node and open it ourselves. */
static void ensure_console(void)
{
	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
	int fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* /dev/null, which the kernel makes only on a devtmpfs (none is mounted here):
 * programs the benchmark runs may redirect to it. */
static void ensure_dev_null(void)
{
	mkdir("/dev", 0755);
	mknod("/dev/null", S_IFCHR | 0666, makedev(1, 3));
}

/* Print "linux-baseline-info: WHAT" and the first line of file that starts with
 * prefix (the whole first line when prefix is empty), or "unknown". */
static void print_info(const char *what, const char *file, const char *prefix)
{
	char line[4096];
	const char *found = "unknown";
	FILE *f = fopen(file, "r");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			line[strcspn(line, "\n")] = 0;
			found = line + strlen(prefix);
			break;
		}
	}
	printf("linux-baseline-info: %s %s\n", what, found);
	if (f)
		fclose(f);
}

/* What the figures depend on besides the benchmark: kernel, THP, CPU. */
static void print_machine(void)
{
	struct utsname u;
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	if (uname(&u) == 0)
		printf("linux-baseline-info: kernel %s %s\n", u.release, u.version);
	print_info("thp", "/sys/kernel/mm/transparent_hugepage/enabled", "");
	print_info("thp-defrag", "/sys/kernel/mm/transparent_hugepage/defrag", "");
	print_info("cpu", "/proc/cpuinfo", "model name\t: ");
	print_info("cpu-flags", "/proc/cpuinfo", "flags\t\t: ");
	fflush(stdout);
	umount("/sys");
	umount("/proc");
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Not reached; if it were, exiting PID 1 panics and panic=-1 with QEMU's
	 * -no-reboot still ends QEMU. */
	_exit(1);
}

int main(int argc, char **argv, char **envp)
{
	ensure_console();
	ensure_dev_null();
	mkdir("/tmp", 01777); /* the initramfs root is in memory (tmpfs or ramfs): so is /tmp */
	print_machine();
	pid_t pid = fork();
	if (pid < 0) {
		perror("linux-baseline-init: fork");
		power_off();
	}
	if (pid == 0) {
		argv[0] = "bench";
		exit(bench_main(argc, argv, envp)); /* exit() flushes stdio */
	}

	/* As PID 1 we also reap orphans the benchmark leaves: wait for our child. */
	int st = 0;
	for (;;) {
		pid_t w = wait(&st);
		if (w == pid)
			break;
		if (w < 0) {
			perror("linux-baseline-init: wait");
			st = 255 << 8;
			break;
		}
	}
	if (WIFEXITED(st))
		printf("linux-baseline-init: status %d\n", WEXITSTATUS(st));
	else
		printf("linux-baseline-init: killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	fflush(stdout);
	power_off();
	return 0;
}
