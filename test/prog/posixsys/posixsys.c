/* posixsys: the process and identity calls: popen/pclose, system, the user and
 * group files, uname and the host name, resource limits and usage, sysconf and
 * pathconf, temporary files and stream locks. Sections by name (argv), or all. */
#define _GNU_SOURCE /* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"

static volatile int sigint_seen;
static void on_sigint(int sig)
{
	(void)sig;
	sigint_seen++;
}

static void test_popen(void)
{
	char line[128];
	struct stat sb;
	FILE *r = popen("echo one; echo two; exit 7", "r");
	CHECK(r != NULL);
	CHECK(fgets(line, sizeof line, r) && strcmp(line, "one\n") == 0);
	CHECK(fgets(line, sizeof line, r) && strcmp(line, "two\n") == 0);
	CHECK(fgets(line, sizeof line, r) == NULL);
	int st = pclose(r);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	/* "w": the command reads what we write; its output goes to a file we check. */
	FILE *w = popen("wc -c > /tmp/popen.out", "w");
	CHECK(w != NULL);
	CHECK(fputs("twelve bytes", w) >= 0);
	st = pclose(w);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	FILE *f = fopen("/tmp/popen.out", "r");
	CHECK(f && fgets(line, sizeof line, f) && atoi(line) == 12);
	fclose(f);
	/* Two at once: the second command (still running: it waits for a line from
	 * us) does not hold the first one's pipe, so the first one's cat sees the end
	 * of its input when we close it (else this pclose would wait for ever). */
	FILE *a = popen("cat > /tmp/popen.a", "w"), *b = popen("read x; exit $x", "w");
	CHECK(a && b);
	CHECK(fputs("to a", a) >= 0);
	CHECK(pclose(a) == 0);
	CHECK(stat("/tmp/popen.a", &sb) == 0 && sb.st_size == 4);
	CHECK(fputs("9\n", b) >= 0);
	st = pclose(b);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	/* A command that is not there: sh's 127. Bad mode, foreign stream. */
	FILE *n = popen("no-such-command-here 2>/dev/null", "r");
	CHECK(n != NULL);
	st = pclose(n);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 127);
	errno = 0;
	CHECK(popen("true", "x") == NULL && errno == EINVAL);
	errno = 0;
	CHECK(popen("true", "rw") == NULL && errno == EINVAL);
	errno = 0;
	CHECK(pclose(stdout) == -1 && errno == ECHILD);
	/* "re": our end is close-on-exec. */
	FILE *e = popen("echo e", "re");
	CHECK(e && (fcntl(fileno(e), F_GETFD) & FD_CLOEXEC));
	CHECK(fgets(line, sizeof line, e) && strcmp(line, "e\n") == 0);
	CHECK(pclose(e) == 0);
	printf("posixsys: section popen ok\n");
}

static void test_system(void)
{
	CHECK(system(NULL) != 0);
	int st = system("exit 5");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	CHECK(system("true") == 0);
	st = system("kill -9 $$");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	st = system("no-such-command-here 2>/dev/null");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 127);
	/* The caller ignores SIGINT while waiting (the shell's kill of its parent
	 * group member, us, does nothing), and gets its handler back afterwards. */
	signal(SIGINT, on_sigint);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "kill -INT %d; exit 0", (int)getpid());
	CHECK(system(cmd) == 0);
	CHECK_EQ(sigint_seen, 0);
	raise(SIGINT);
	CHECK_EQ(sigint_seen, 1);
	/* The child gets the caller's dispositions: it has our handler's default
	 * (caught becomes default across exec), so SIGINT ends it. */
	st = system("kill -INT $$");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	/* SIGCHLD was blocked and is unblocked again. */
	sigset_t mask;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	CHECK(!sigismember(&mask, SIGCHLD));
	signal(SIGINT, SIG_DFL);
	printf("posixsys: section system ok\n");
}

static void test_users(void)
{
	struct passwd *pw = getpwnam("root");
	CHECK(pw && pw->pw_uid == 0 && pw->pw_gid == 0);
	CHECK(strcmp(pw->pw_dir, "/tmp") == 0 && strcmp(pw->pw_shell, "/bin/sh") == 0);
	pw = getpwuid(65534);
	CHECK(pw && strcmp(pw->pw_name, "nobody") == 0);
	errno = 0;
	CHECK(getpwnam("no-such-user") == NULL && errno == 0);
	CHECK(getpwuid(4242) == NULL);
	struct passwd pwb, *res;
	char buf[256], tiny[8];
	CHECK(getpwnam_r("nobody", &pwb, buf, sizeof buf, &res) == 0 && res == &pwb && pwb.pw_uid == 65534);
	CHECK(getpwuid_r(0, &pwb, tiny, sizeof tiny, &res) == ERANGE && res == NULL);
	CHECK(getpwuid_r(4242, &pwb, buf, sizeof buf, &res) == 0 && res == NULL);
	int n = 0;
	setpwent();
	while ((pw = getpwent()))
		n++;
	CHECK_EQ(n, 2);
	setpwent();
	CHECK((pw = getpwent()) && strcmp(pw->pw_name, "root") == 0);
	endpwent();
	struct group *gr = getgrnam("root");
	CHECK(gr && gr->gr_gid == 0 && gr->gr_mem[0] && strcmp(gr->gr_mem[0], "root") == 0 && !gr->gr_mem[1]);
	gr = getgrgid(65534);
	CHECK(gr && strcmp(gr->gr_name, "nogroup") == 0 && gr->gr_mem[0] == NULL);
	struct group grb, *gres;
	CHECK(getgrnam_r("nogroup", &grb, buf, sizeof buf, &gres) == 0 && gres == &grb);
	CHECK(getgrgid_r(0, &grb, tiny, sizeof tiny, &gres) == ERANGE && gres == NULL);
	CHECK(getgrnam("no-such-group") == NULL);
	n = 0;
	while (getgrent())
		n++;
	endgrent();
	CHECK_EQ(n, 2);
	CHECK(getlogin() && strcmp(getlogin(), "root") == 0);
	gid_t groups[4];
	CHECK(getgroups(4, groups) == 1 && groups[0] == 0);
	printf("posixsys: section users ok\n");
}

static void test_uname(void)
{
	struct utsname u;
	CHECK(uname(&u) == 0);
	CHECK(strcmp(u.sysname, "exo") == 0 && strcmp(u.machine, "x86_64") == 0 && u.release[0]);
	printf("posixsys: uname %s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
	char h[65];
	CHECK(gethostname(h, sizeof h) == 0 && strcmp(h, "exo") == 0 && strcmp(u.nodename, h) == 0);
	CHECK(sethostname("box-7", 5) == 0);
	CHECK(gethostname(h, sizeof h) == 0 && strcmp(h, "box-7") == 0);
	/* Every process sees it. */
	FILE *p = popen("/test/posixsys hostname", "r");
	char line[80];
	CHECK(p && fgets(line, sizeof line, p) && strcmp(line, "box-7\n") == 0);
	CHECK(pclose(p) == 0);
	char big[80];
	memset(big, 'x', sizeof big);
	errno = 0;
	CHECK(sethostname(big, 65) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(uname((struct utsname *)8) == -1 && errno == EFAULT);
	CHECK(sethostname("exo", 3) == 0);
	printf("posixsys: section uname ok\n");
}

static void test_limits(void)
{
	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 64 && rl.rlim_max == 64);
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_max == 8UL << 20);
	CHECK(getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY);
	errno = 0;
	CHECK(getrlimit(99, &rl) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 65, 65 }) == -1 && errno == EPERM);
	errno = 0;
	CHECK(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 32, 16 }) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(setrlimit(RLIMIT_CORE, (struct rlimit *)8) == -1 && errno == EFAULT);
	CHECK(setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 }) == 0);
	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_max == 0);
	/* A soft descriptor limit of 8: descriptors stop at 7 (EMFILE), sysconf says 8,
	 * and a child (fork and exec) has the same limit. */
	CHECK(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 8, 64 }) == 0);
	CHECK_EQ(sysconf(_SC_OPEN_MAX), 8);
	int fds[8], n = 0, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		fds[n++] = fd;
	CHECK(errno == EMFILE && fds[n - 1] == 7);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	FILE *p = popen("/test/posixsys nofile", "r");
	char line[80];
	CHECK(p && fgets(line, sizeof line, p) && strcmp(line, "nofile 8 64\n") == 0);
	CHECK(pclose(p) == 0);
	CHECK(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 64, 64 }) == 0);
	struct rusage ru;
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && (ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0));
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0);
	errno = 0;
	CHECK(getrusage(7, &ru) == -1 && errno == EINVAL);
	printf("posixsys: section limits ok\n");
}

static void test_sysconf(void)
{
	CHECK_EQ(sysconf(_SC_PAGESIZE), 4096);
	CHECK_EQ(getpagesize(), 4096);
	CHECK_EQ(sysconf(_SC_CLK_TCK), 1000);
	CHECK_EQ(sysconf(_SC_OPEN_MAX), 64);
	CHECK_EQ(sysconf(_SC_NPROCESSORS_ONLN), 1);
	CHECK_EQ(sysconf(_SC_ARG_MAX), 65536);
	CHECK_EQ(sysconf(_SC_CHILD_MAX), 256);
	CHECK_EQ(sysconf(_SC_HOST_NAME_MAX), 64);
	CHECK(sysconf(_SC_PHYS_PAGES) > 1000 && sysconf(_SC_AVPHYS_PAGES) <= sysconf(_SC_PHYS_PAGES));
	CHECK(sysconf(_SC_LINE_MAX) >= 2048);
	errno = 0;
	CHECK(sysconf(_SC_THREADS) == -1 && errno == 0);
	CHECK(sysconf(-5) == -1 && errno == EINVAL);
	CHECK_EQ(pathconf("/tmp", _PC_PIPE_BUF), 512);
	CHECK_EQ(pathconf("/tmp", _PC_NAME_MAX), 119);
	CHECK_EQ(fpathconf(0, _PC_MAX_CANON), 512);
	errno = 0;
	CHECK(pathconf("/no/such", _PC_NAME_MAX) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(fpathconf(99, _PC_NAME_MAX) == -1 && errno == EBADF);
	printf("posixsys: section sysconf ok\n");
}

static void test_tmp(void)
{
	char name[] = "/tmp/stXXXXXX", dir[] = "/tmp/dtXXXXXX", oname[] = "/tmp/otXXXXXX";
	int fd = mkstemp(name);
	CHECK(fd >= 0 && strncmp(name, "/tmp/st", 7) == 0 && strcmp(name + 7, "XXXXXX") != 0);
	CHECK(write(fd, "x", 1) == 1);
	struct stat st;
	CHECK(stat(name, &st) == 0 && st.st_size == 1);
	close(fd);
	CHECK(unlink(name) == 0);
	CHECK(mkdtemp(dir) == dir);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(rmdir(dir) == 0);
	fd = mkostemp(oname, O_CLOEXEC);
	CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC));
	close(fd);
	unlink(oname);
	char bad[] = "/tmp/nox";
	errno = 0;
	CHECK(mkstemp(bad) == -1 && errno == EINVAL);
	/* Stream locks: recursive, and the try form succeeds for the owner. */
	flockfile(stdout);
	flockfile(stdout);
	CHECK(ftrylockfile(stdout) == 0);
	funlockfile(stdout);
	funlockfile(stdout);
	funlockfile(stdout);
	printf("posixsys: section tmp ok\n");
}

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
	{ "popen", test_popen }, { "system", test_system }, { "users", test_users },
	{ "uname", test_uname }, { "limits", test_limits }, { "sysconf", test_sysconf },
	{ "tmp", test_tmp },
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

int main(int argc, char **argv)
{
	/* Helpers run by the tests through popen: what a child sees. */
	if (argc == 2 && strcmp(argv[1], "hostname") == 0) {
		char h[65];
		return gethostname(h, sizeof h) == 0 ? printf("%s\n", h) < 0 : 1;
	}
	if (argc == 2 && strcmp(argv[1], "nofile") == 0) {
		struct rlimit rl;
		return getrlimit(RLIMIT_NOFILE, &rl) == 0 ? printf("nofile %lu %lu\n", rl.rlim_cur, rl.rlim_max) < 0 : 1;
	}
	for (size_t i = 0; i < NSECTIONS; i++) {
		bool run = argc < 2;
		for (int a = 1; a < argc; a++)
			run |= strcmp(argv[a], sections[i].name) == 0;
		if (run)
			sections[i].fn();
	}
	check_done("posixsys");
}
