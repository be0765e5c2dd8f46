/* posixext: the POSIX calls the census (scripts/posix-census.sh) found missing,
 * each exercised for real: creat, lockf, mkfifo and the *at ones, linkat, readv,
 * writev; directory streams, scandir, glob, nftw, ftw; basename, dirname, iconv,
 * wordexp, confstr, ctermid, Internet addresses and the resolver, sockets and
 * dlopen without either; posix_spawn's attributes, fexecve, execlpe, POSIX
 * timers, the clocks, pselect, sigqueue, sigpause, ualarm, daemon, the id
 * setters. "posixext child WHAT" is the program posix_spawn, fexecve and
 * execlpe run. (getpass needs a terminal: not here.) */
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <grp.h>
#include <iconv.h>
#include <libgen.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>
#include "../check.h"

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	CHECK_EQ(close(fd), 0);
}

/* In a child: F_TLOCK and F_TEST on the parent's lock of bytes 0-9 of path. */
static int other_process(long arg)
{
	(void)arg;
	int fd = open("/tmp/pf", O_RDWR);
	if (fd < 0)
		return 10;
	errno = 0;
	if (lockf(fd, F_TLOCK, 5) != -1 || errno != EACCES)
		return 11;
	errno = 0;
	if (lockf(fd, F_TEST, 5) != -1 || errno != EACCES)
		return 12;
	lseek(fd, 10, SEEK_SET);
	if (lockf(fd, F_TEST, 5) != 0 || lockf(fd, F_TLOCK, 5) != 0) /* bytes 10-14: free */
		return 13;
	return 0;
}

static void test_files(void)
{
	int fd = creat("/tmp/pf", 0600);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(read(fd, (char[1]){ 0 }, 1) == -1 && errno == EBADF); /* write-only */
	CHECK_EQ(write(fd, "0123456789abcdef", 16), 16);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0600 & ~(unsigned)umask(022));
	CHECK_EQ(close(fd), 0);
	fd = creat("/tmp/pf", 0600); /* truncates */
	CHECK_EQ(lseek(fd, 0, SEEK_END), 0);
	CHECK_EQ(write(fd, "0123456789abcdef", 16), 16);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(lockf(fd, F_LOCK, 10), 0);
	CHECK_EQ(lockf(fd, F_TEST, 10), 0); /* our own lock */
	int st2;
	pid_t c = check_spawn(other_process, 0);
	CHECK_EQ(waitpid(c, &st2, 0), c);
	CHECK_EQ(WEXITSTATUS(st2), 0);
	CHECK_EQ(lockf(fd, F_ULOCK, 10), 0);
	errno = 0;
	CHECK(lockf(fd, 99, 10) == -1 && errno == EINVAL);
	CHECK_EQ(close(fd), 0);
	int ro = open("/tmp/pf", O_RDONLY);
	errno = 0;
	CHECK(lockf(ro, F_TLOCK, 1) == -1 && errno == EBADF);
	close(ro);
	printf("posixext: creat, lockf ok\n");

	errno = 0;
	CHECK(mkfifo("/tmp/pf", 0600) == -1 && errno == EEXIST);
	errno = 0;
	CHECK(mkfifo("/tmp/fifo", 0600) == -1 && errno == ENOTSUP);
	errno = 0;
	CHECK(mkfifo("/tmp/nodir/fifo", 0600) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(mkfifo("/tmp/pf/fifo", 0600) == -1 && errno == ENOTDIR);
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	errno = 0;
	CHECK(mkfifoat(dfd, "pf", 0600) == -1 && errno == EEXIST);
	errno = 0;
	CHECK(mknodat(dfd, "fifo", S_IFIFO | 0600, 0) == -1 && errno == ENOTSUP);
	errno = 0;
	CHECK(mknodat(dfd, "dev", S_IFCHR | 0600, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(linkat(dfd, "pf", AT_FDCWD, "/tmp/pf2", 0) == -1 && errno == EMLINK);
	errno = 0;
	CHECK(linkat(dfd, "pf", dfd, "pf2", 0x4000) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(linkat(99, "pf", dfd, "pf2", 0) == -1 && errno == EBADF);
	close(dfd);
	printf("posixext: mkfifo, mkfifoat, mknodat, linkat ok\n");

	fd = open("/tmp/pv", O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct iovec out[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
	CHECK_EQ(writev(fd, out, 3), 8);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	char a[2], b[10];
	struct iovec in[2] = { { a, 2 }, { b, sizeof b } };
	CHECK_EQ(readv(fd, in, 2), 8);
	CHECK(memcmp(a, "ab", 2) == 0 && memcmp(b, "cdefgh", 6) == 0);
	CHECK_EQ(readv(fd, in, 2), 0);
	errno = 0;
	CHECK(writev(fd, out, -1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(readv(fd, (struct iovec *)8, 1) == -1 && errno == EFAULT);
	close(fd);
	sync();
	char wd[PATH_MAX];
	CHECK_EQ(chdir("/tmp"), 0);
	CHECK(getwd(wd) == wd && !strcmp(wd, "/tmp"));
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(getdtablesize(), sysconf(_SC_OPEN_MAX));
	printf("posixext: readv, writev, sync, getwd, getdtablesize ok\n");
}

static int no_dots(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static char walked[256];

static int nfn(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	char one[64];
	snprintf(one, sizeof one, "%s:%d:%d:%s ", path + f->base, type, f->level, path);
	strcat(walked, one);
	return 0;
}

static int ffn(const char *path, const struct stat *st, int type)
{
	(void)st, (void)path;
	return type == FTW_F ? 7 : 0; /* the first file ends the walk */
}

static void test_dirs(void)
{
	CHECK_EQ(mkdir("/tmp/pd", 0755), 0);
	put("/tmp/pd/b.c", "b");
	put("/tmp/pd/a.c", "a");
	put("/tmp/pd/c.h", "c");
	CHECK_EQ(mkdir("/tmp/pd/sub", 0755), 0);
	put("/tmp/pd/sub/x.c", "x");

	/* dirfd, fdopendir, fdclosedir, readdir_r, telldir, seekdir */
	DIR *d = opendir("/tmp/pd");
	CHECK(d != NULL);
	int fd = dirfd(d);
	CHECK(fd >= 0);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	struct dirent ent, *res;
	CHECK_EQ(readdir_r(d, &ent, &res), 0);
	CHECK(res == &ent);
	long pos = telldir(d);
	char second[64];
	CHECK_EQ(readdir_r(d, &ent, &res), 0);
	CHECK(res == &ent);
	strcpy(second, ent.d_name);
	int n = 2;
	while (readdir_r(d, &ent, &res) == 0 && res)
		n++;
	CHECK(res == NULL);
	seekdir(d, pos);
	struct dirent *e = readdir(d);
	CHECK(e && strcmp(e->d_name, second) == 0);
	CHECK_EQ(closedir(d), 0);
	CHECK_EQ(fcntl(fd, F_GETFD), -1); /* closedir closed dirfd's descriptor */
	CHECK_EQ(errno, EBADF);
	fd = open("/tmp/pd", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	d = fdopendir(fd);
	CHECK(d != NULL);
	CHECK_EQ(dirfd(d), fd);
	int m = 0;
	while (readdir(d))
		m++;
	CHECK_EQ(m, n);
	CHECK_EQ(fdclosedir(d), fd);
	CHECK_EQ(fcntl(fd, F_GETFD) >= 0, 1); /* still open */
	close(fd);
	int filefd = open("/tmp/pd/a.c", O_RDONLY);
	errno = 0;
	CHECK(fdopendir(filefd) == NULL && errno == ENOTDIR);
	close(filefd);
	errno = 0;
	CHECK(fdopendir(99) == NULL && errno == EBADF);

	/* scandir, alphasort */
	struct dirent **list;
	n = scandir("/tmp/pd", &list, no_dots, alphasort);
	CHECK_EQ(n, 4);
	CHECK(!strcmp(list[0]->d_name, "a.c") && !strcmp(list[1]->d_name, "b.c") &&
	      !strcmp(list[2]->d_name, "c.h") && !strcmp(list[3]->d_name, "sub"));
	while (n--)
		free(list[n]);
	free(list);
	errno = 0;
	CHECK_EQ(scandir("/tmp/none", &list, NULL, NULL), -1);
	CHECK_EQ(errno, ENOENT);
	printf("posixext: dirfd, fdopendir, fdclosedir, readdir_r, telldir, seekdir, scandir, alphasort ok\n");

	/* glob */
	glob_t g;
	CHECK_EQ(glob("/tmp/pd/*.c", 0, NULL, &g), 0);
	CHECK_EQ(g.gl_pathc, 2);
	CHECK(!strcmp(g.gl_pathv[0], "/tmp/pd/a.c") && !strcmp(g.gl_pathv[1], "/tmp/pd/b.c") && !g.gl_pathv[2]);
	CHECK_EQ(glob("/tmp/p?/s*/*.[ch]", GLOB_APPEND, NULL, &g), 0);
	CHECK_EQ(g.gl_pathc, 3);
	CHECK(!strcmp(g.gl_pathv[2], "/tmp/pd/sub/x.c"));
	globfree(&g);
	CHECK_EQ(glob("/tmp/pd/s*", GLOB_MARK, NULL, &g), 0);
	CHECK(g.gl_pathc == 1 && !strcmp(g.gl_pathv[0], "/tmp/pd/sub/"));
	globfree(&g);
	CHECK_EQ(glob("/tmp/pd/*.z", 0, NULL, &g), GLOB_NOMATCH);
	CHECK_EQ(glob("/tmp/pd/*.z", GLOB_NOCHECK, NULL, &g), 0);
	CHECK(g.gl_pathc == 1 && !strcmp(g.gl_pathv[0], "/tmp/pd/*.z"));
	globfree(&g);
	g.gl_offs = 2;
	CHECK_EQ(glob("/tmp/pd/c.h", GLOB_DOOFFS, NULL, &g), 0); /* no magic: exists */
	CHECK(!g.gl_pathv[0] && !g.gl_pathv[1] && !strcmp(g.gl_pathv[2], "/tmp/pd/c.h"));
	globfree(&g);
	CHECK_EQ(glob("/tmp/pd/\\a.c", 0, NULL, &g), 0); /* an escaped ordinary character */
	CHECK(g.gl_pathc == 1 && !strcmp(g.gl_pathv[0], "/tmp/pd/a.c"));
	globfree(&g);
	CHECK_EQ(glob("/tmp/pd/nothere", 0, NULL, &g), GLOB_NOMATCH);
	CHECK_EQ(chdir("/tmp/pd"), 0);
	CHECK_EQ(glob("*.h", 0, NULL, &g), 0);
	CHECK(g.gl_pathc == 1 && !strcmp(g.gl_pathv[0], "c.h"));
	globfree(&g);
	CHECK_EQ(chdir("/"), 0);
	printf("posixext: glob, globfree ok\n");

	/* nftw, ftw */
	CHECK_EQ(nftw("/tmp/pd/sub", nfn, 4, 0), 0);
	CHECK(!strcmp(walked, "sub:1:0:/tmp/pd/sub x.c:0:1:/tmp/pd/sub/x.c "));
	walked[0] = 0;
	CHECK_EQ(nftw("/tmp/pd/sub", nfn, 4, FTW_DEPTH | FTW_PHYS), 0);
	CHECK(!strcmp(walked, "x.c:0:1:/tmp/pd/sub/x.c sub:3:0:/tmp/pd/sub "));
	walked[0] = 0;
	CHECK_EQ(symlink("/tmp/nowhere", "/tmp/pd/sub/dangling"), 0);
	CHECK_EQ(nftw("/tmp/pd/sub/dangling", nfn, 4, 0), 0);
	CHECK(!strcmp(walked, "dangling:6:0:/tmp/pd/sub/dangling "));
	walked[0] = 0;
	CHECK_EQ(nftw("/tmp/pd/sub/dangling", nfn, 4, FTW_PHYS), 0);
	CHECK(!strcmp(walked, "dangling:5:0:/tmp/pd/sub/dangling "));
	CHECK_EQ(ftw("/tmp/pd", ffn, 4), 7);
	errno = 0;
	CHECK_EQ(nftw("/tmp/none", nfn, 4, 0), -1);
	CHECK_EQ(errno, ENOENT);
	printf("posixext: nftw, ftw ok\n");
}

static const char *base(const char *p)
{
	static char buf[64];
	strcpy(buf, p);
	return basename(buf);
}

static const char *dir(const char *p)
{
	static char buf[64];
	strcpy(buf, p);
	return dirname(buf);
}

static void libgen(void)
{
	CHECK(!strcmp(base("/usr/lib"), "lib") && !strcmp(base("/usr/"), "usr") && !strcmp(base("/"), "/") &&
	      !strcmp(base("//"), "/") && !strcmp(base("a"), "a") && !strcmp(base(""), ".") && !strcmp(basename(NULL), "."));
	CHECK(!strcmp(dir("/usr/lib"), "/usr") && !strcmp(dir("/usr/"), "/") && !strcmp(dir("usr"), ".") &&
	      !strcmp(dir("/"), "/") && !strcmp(dir("a//b//"), "a") && !strcmp(dir(""), ".") && !strcmp(dirname(NULL), "."));
}

static void conv(void)
{
	iconv_t cd = iconv_open("ISO-8859-1", "UTF-8");
	CHECK(cd != (iconv_t)-1);
	char in[] = "caf\xc3\xa9!", out[16], *ip = in, *op = out;
	size_t il = strlen(in), ol = sizeof out;
	CHECK_EQ(iconv(cd, &ip, &il, &op, &ol), 0);
	CHECK(il == 0 && op - out == 5 && memcmp(out, "caf\xe9!", 5) == 0);
	char bad[] = "a\xe2\x82\xac", *bp = bad; /* the euro sign: not in Latin-1 */
	il = 4, op = out, ol = sizeof out;
	errno = 0;
	CHECK_EQ(iconv(cd, &bp, &il, &op, &ol), (size_t)-1);
	CHECK(errno == EILSEQ && bp == bad + 1 && il == 3);
	char part[] = "\xc3", *pp = part; /* incomplete */
	il = 1, op = out, ol = sizeof out;
	errno = 0;
	CHECK(iconv(cd, &pp, &il, &op, &ol) == (size_t)-1 && errno == EINVAL);
	CHECK_EQ(iconv_close(cd), 0);
	cd = iconv_open("utf-8", "latin1");
	char l1[] = "\xe9\xe9", *lp = l1;
	il = 2, op = out, ol = 3; /* room for one and a half */
	errno = 0;
	CHECK(iconv(cd, &lp, &il, &op, &ol) == (size_t)-1 && errno == E2BIG && il == 1 && ol == 1);
	CHECK(memcmp(out, "\xc3\xa9", 2) == 0);
	CHECK_EQ(iconv_close(cd), 0);
	errno = 0;
	CHECK(iconv_open("EBCDIC", "UTF-8") == (iconv_t)-1 && errno == EINVAL);
}

static void words(void)
{
	wordexp_t w;
	setenv("PX", "one two", 1);
	CHECK_EQ(wordexp("a $PX 'b  c' \"$PX\" $((6*7)) ~", &w, 0), 0);
	CHECK_EQ(w.we_wordc, 7);
	CHECK(!strcmp(w.we_wordv[0], "a") && !strcmp(w.we_wordv[1], "one") && !strcmp(w.we_wordv[2], "two") &&
	      !strcmp(w.we_wordv[3], "b  c") && !strcmp(w.we_wordv[4], "one two") && !strcmp(w.we_wordv[5], "42") &&
	      !strcmp(w.we_wordv[6], getenv("HOME") ? getenv("HOME") : "~") && !w.we_wordv[7]);
	CHECK_EQ(wordexp("$(echo x y)", &w, WRDE_APPEND), 0);
	CHECK(w.we_wordc == 9 && !strcmp(w.we_wordv[8], "y"));
	wordfree(&w);
	w.we_offs = 1;
	CHECK_EQ(wordexp("", &w, WRDE_DOOFFS), 0);
	CHECK(w.we_wordc == 0 && !w.we_wordv[0] && !w.we_wordv[1]);
	wordfree(&w);
	CHECK_EQ(wordexp("a | b", &w, 0), WRDE_BADCHAR);
	CHECK_EQ(wordexp("a; b", &w, 0), WRDE_BADCHAR);
	CHECK_EQ(wordexp("$(echo x)", &w, WRDE_NOCMD), WRDE_CMDSUB);
	CHECK_EQ(wordexp("`echo x`", &w, WRDE_NOCMD), WRDE_CMDSUB);
	CHECK_EQ(wordexp("$((1+1))", &w, WRDE_NOCMD), 0);
	wordfree(&w);
	CHECK_EQ(wordexp("'a|b' \"x;y\"", &w, 0), 0);
	CHECK(w.we_wordc == 2 && !strcmp(w.we_wordv[0], "a|b") && !strcmp(w.we_wordv[1], "x;y"));
	wordfree(&w);
	CHECK_EQ(wordexp("$UNSET_PX_VAR", &w, WRDE_UNDEF), WRDE_BADVAL);
	CHECK_EQ(wordexp("\"abc", &w, 0), WRDE_SYNTAX);
}

static void net(void)
{
	CHECK_EQ(htons(0x1234), 0x3412);
	CHECK_EQ(ntohl(htonl(0x01020304)), 0x01020304);
	struct in_addr a;
	CHECK_EQ(inet_pton(AF_INET, "10.1.2.3", &a), 1);
	CHECK_EQ(a.s_addr, htonl(0x0a010203));
	CHECK_EQ(inet_pton(AF_INET, "10.1.2", &a), 0);
	CHECK_EQ(inet_pton(AF_INET, "256.1.2.3", &a), 0);
	CHECK_EQ(inet_addr("127.0.0.1"), htonl(INADDR_LOOPBACK));
	CHECK_EQ(inet_addr("x"), INADDR_NONE);
	CHECK(!strcmp(inet_ntoa(a), "10.1.2.3"));
	struct in6_addr a6;
	char t[INET6_ADDRSTRLEN];
	CHECK_EQ(inet_pton(AF_INET6, "fe80::1:2", &a6), 1);
	CHECK(!strcmp(inet_ntop(AF_INET6, &a6, t, sizeof t), "fe80::1:2"));
	CHECK_EQ(inet_pton(AF_INET6, "::ffff:1.2.3.4", &a6), 1);
	CHECK(!strcmp(inet_ntop(AF_INET6, &a6, t, sizeof t), "::ffff:1.2.3.4"));
	CHECK_EQ(inet_pton(AF_INET6, "::", &a6), 1);
	CHECK(!strcmp(inet_ntop(AF_INET6, &a6, t, sizeof t), "::"));
	CHECK_EQ(inet_pton(AF_INET6, "1:2:3:4:5:6:7:8", &a6), 1);
	CHECK(!strcmp(inet_ntop(AF_INET6, &a6, t, sizeof t), "1:2:3:4:5:6:7:8"));
	CHECK_EQ(inet_pton(AF_INET6, "1::2::3", &a6), 0);
	errno = 0;
	CHECK(inet_ntop(AF_INET, &a, t, 4) == NULL && errno == ENOSPC);
	errno = 0;
	CHECK(inet_pton(12345, "x", &a) == -1 && errno == EAFNOSUPPORT);

	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	CHECK_EQ(getaddrinfo("192.168.0.9", "8080", &hints, &ai), 0);
	struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
	CHECK(ai->ai_family == AF_INET && ai->ai_socktype == SOCK_STREAM && sin->sin_port == htons(8080) &&
	      sin->sin_addr.s_addr == htonl(0xc0a80009) && !ai->ai_next);
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	CHECK_EQ(getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, serv, sizeof serv, 0), 0);
	CHECK(!strcmp(host, "192.168.0.9") && !strcmp(serv, "8080"));
	CHECK_EQ(getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0, NI_NAMEREQD), EAI_NONAME);
	freeaddrinfo(ai);
	CHECK_EQ(getaddrinfo("localhost", NULL, NULL, &ai), 0);
	CHECK_EQ(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	freeaddrinfo(ai);
	CHECK_EQ(getaddrinfo("example.org", "80", NULL, &ai), EAI_NONAME);
	CHECK_EQ(getaddrinfo("1.2.3.4", "http", NULL, &ai), EAI_SERVICE);
	CHECK(strlen(gai_strerror(EAI_NONAME)) > 0);
	CHECK(gethostbyname("10.0.0.1") && gethostbyname("10.0.0.1")->h_addrtype == AF_INET);
	CHECK(gethostbyname("example.org") == NULL && h_errno == HOST_NOT_FOUND);
	CHECK(getservbyname("http", "tcp") == NULL && getprotobyname("tcp") == NULL);

	errno = 0;
	CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	int sv[2];
	errno = 0;
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1 && errno == EAFNOSUPPORT);
	errno = 0;
	CHECK(send(1, "x", 1, 0) == -1 && errno == ENOTSOCK);
	errno = 0;
	CHECK(listen(77, 1) == -1 && errno == EBADF);
	uid_t u;
	gid_t g;
	errno = 0;
	CHECK(getpeereid(0, &u, &g) == -1 && errno == ENOTSOCK);

	CHECK(dlerror() == NULL);
	CHECK(dlopen("libm.so", RTLD_NOW) == NULL);
	const char *why = dlerror();
	CHECK(why && strstr(why, "libm.so") && strstr(why, "static"));
	CHECK(dlerror() == NULL);
	void *self = dlopen(NULL, RTLD_NOW);
	CHECK(self != NULL);
	CHECK(dlsym(self, "main") == NULL && dlerror() != NULL);
	CHECK_EQ(dlclose(self), 0);
}

static void test_text(void)
{
	libgen();
	conv();
	printf("posixext: basename, dirname, iconv ok\n");
	words();
	printf("posixext: wordexp, wordfree ok\n");
	char buf[8];
	CHECK_EQ(confstr(_CS_PATH, buf, sizeof buf), 5);
	CHECK(!strcmp(buf, "/bin"));
	CHECK_EQ(confstr(_CS_PATH, buf, 3), 5);
	CHECK(!strcmp(buf, "/b"));
	errno = 0;
	CHECK(confstr(9999, buf, sizeof buf) == 0 && errno == EINVAL);
	char tty[L_ctermid];
	CHECK(!strcmp(ctermid(tty), "/dev/tty") && !strcmp(ctermid(NULL), "/dev/tty"));
	printf("posixext: confstr, ctermid ok\n");
	net();
	printf("posixext: inet, getaddrinfo, getnameinfo, gethostbyname, sockets, dlopen ok\n");
}

extern char **environ;

/* The program run again by posix_spawn, fexecve and execlpe: its exit status
 * says what it found. */
static int spawned_child(char *what)
{
	if (!strcmp(what, "attr")) {
		sigset_t m;
		struct sigaction sa;
		int r = 0;
		sigprocmask(SIG_BLOCK, NULL, &m);
		r |= sigismember(&m, SIGUSR1) ? 1 : 0;
		sigaction(SIGUSR2, NULL, &sa);
		r |= sa.sa_handler == SIG_IGN ? 2 : 0;
		r |= getpgrp() == getpid() ? 4 : 0;
		sigaction(SIGTERM, NULL, &sa);
		r |= sa.sa_handler == SIG_IGN ? 8 : 0;
		return r;
	}
	if (!strcmp(what, "exec"))
		return 42;
	if (!strcmp(what, "env"))
		return getenv("PX_E") ? 40 + atoi(getenv("PX_E")) : 1;
	return 99;
}

static int run_status(pid_t pid)
{
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void spawning(void)
{
	char *argv[] = { "posixext", "child", "attr", NULL };
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	pid_t pid;
	CHECK_EQ(posix_spawn(&pid, "/test/posixext", NULL, NULL, argv, environ), 0);
	CHECK_EQ(run_status(pid), 2 | 8); /* inherits what is ignored (and the empty mask) */
	posix_spawnattr_t at;
	CHECK_EQ(posix_spawnattr_init(&at), 0);
	sigset_t mask, def, got;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigemptyset(&def);
	sigaddset(&def, SIGTERM);
	CHECK_EQ(posix_spawnattr_setsigmask(&at, &mask), 0);
	CHECK_EQ(posix_spawnattr_setsigdefault(&at, &def), 0);
	CHECK_EQ(posix_spawnattr_setpgroup(&at, 0), 0);
	CHECK_EQ(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP), 0);
	short flags;
	pid_t pg;
	CHECK(posix_spawnattr_getflags(&at, &flags) == 0 && flags == (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP));
	CHECK(posix_spawnattr_getpgroup(&at, &pg) == 0 && pg == 0);
	CHECK(posix_spawnattr_getsigmask(&at, &got) == 0 && got == mask);
	CHECK(posix_spawnattr_getsigdefault(&at, &got) == 0 && got == def);
	int pol;
	struct sched_param sp = { 0 };
	CHECK(posix_spawnattr_getschedpolicy(&at, &pol) == 0 && pol == SCHED_OTHER);
	CHECK_EQ(posix_spawnattr_setschedpolicy(&at, SCHED_FIFO), EINVAL);
	CHECK_EQ(posix_spawnattr_setschedparam(&at, &sp), 0);
	CHECK_EQ(posix_spawnattr_getschedparam(&at, &sp), 0);
	CHECK_EQ(posix_spawnattr_setflags(&at, 0x4000), EINVAL);
	CHECK_EQ(posix_spawn(&pid, "/test/posixext", NULL, &at, argv, environ), 0);
	CHECK_EQ(run_status(pid), 1 | 2 | 4); /* SIGUSR1 blocked, SIGTERM default, own group */
	CHECK_EQ(posix_spawnattr_destroy(&at), 0);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	printf("posixext: posix_spawnattr (sigmask, sigdefault, pgroup, inherited ignores) ok\n");

	/* fexecve: an initrd file, then a copy on /tmp */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd = open("/test/posixext", O_RDONLY);
		char *a[] = { "posixext", "child", "exec", NULL };
		fexecve(fd, a, environ);
		_exit(98);
	}
	CHECK_EQ(run_status(pid), 42);
	int in = open("/test/posixext", O_RDONLY), out = open("/tmp/pe", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char buf[4096];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		CHECK_EQ(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *a[] = { "posixext", "child", "exec", NULL };
		int fd = open("/tmp/pe", O_RDONLY);
		errno = 0;
		if (fexecve(fd, a, environ) != -1 || errno != EACCES) /* not executable yet */
			_exit(97);
		fchmod(fd, 0755);
		fexecve(fd, a, environ);
		_exit(98);
	}
	CHECK_EQ(run_status(pid), 42);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *env[] = { "PX_E=5", NULL };
		setenv("PATH", "/bin:/test", 1);
		execlpe("posixext", "posixext", "child", "env", (char *)NULL, env);
		_exit(98);
	}
	CHECK_EQ(run_status(pid), 45);
	printf("posixext: fexecve, execlpe ok\n");
}

static volatile int alarms, usr;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_usr(int sig)
{
	(void)sig;
	usr++;
}

static void timers(void)
{
	signal(SIGALRM, on_alarm);
	timer_t t;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == -1 && errno == ENOTSUP);
	errno = 0;
	CHECK(timer_create(12345, NULL, &t) == -1 && errno == EINVAL);
	ev.sigev_signo = SIGALRM;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	timer_t t2;
	errno = 0;
	CHECK(timer_create(CLOCK_REALTIME, NULL, &t2) == -1 && errno == EAGAIN);
	struct itimerspec v = { { 0, 20000000 }, { 0, 20000000 } }, cur;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(timer_settime(t, 0, &v, NULL), 0);
	while (alarms < 3)
		pause();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 59);
	CHECK_EQ(timer_gettime(t, &cur), 0);
	CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 20000000 && cur.it_value.tv_nsec <= 20000000);
	CHECK_EQ(timer_getoverrun(t), 0);
	CHECK_EQ(timer_delete(t), 0);
	errno = 0;
	CHECK(timer_delete(t) == -1 && errno == EINVAL);
	/* an absolute time, on the real-time clock */
	CHECK_EQ(timer_create(CLOCK_REALTIME, NULL, &t), 0);
	alarms = 0;
	clock_gettime(CLOCK_REALTIME, &t0);
	v = (struct itimerspec){ { 0, 0 }, { t0.tv_sec, t0.tv_nsec + 30000000 } };
	if (v.it_value.tv_nsec >= 1000000000)
		v.it_value.tv_sec++, v.it_value.tv_nsec -= 1000000000;
	CHECK_EQ(timer_settime(t, TIMER_ABSTIME, &v, NULL), 0);
	while (!alarms)
		pause();
	clock_gettime(CLOCK_REALTIME, &t1);
	CHECK(t1.tv_sec > v.it_value.tv_sec || (t1.tv_sec == v.it_value.tv_sec && t1.tv_nsec >= v.it_value.tv_nsec));
	v.it_value.tv_nsec = 1000000000;
	errno = 0;
	CHECK(timer_settime(t, 0, &v, NULL) == -1 && errno == EINVAL);
	CHECK_EQ(timer_delete(t), 0);

	struct timespec res;
	CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec == 1);
	CHECK_EQ(clock_getres(CLOCK_REALTIME, NULL), 0);
	errno = 0;
	CHECK(clock_getres(999, &res) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(clock_settime(CLOCK_REALTIME, &res) == -1 && errno == EPERM);
	errno = 0;
	CHECK(clock_settime(CLOCK_MONOTONIC, &res) == -1 && errno == EINVAL);
	struct timeval tv = { 0, 0 };
	errno = 0;
	CHECK(settimeofday(&tv, NULL) == -1 && errno == EPERM);
	errno = 0;
	CHECK(adjtime(&tv, NULL) == -1 && errno == EPERM);

	/* ualarm and sigpause */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	alarms = 0;
	CHECK_EQ(ualarm(20000, 0), 0);
	errno = 0;
	CHECK(sigpause(SIGALRM) == -1 && errno == EINTR && alarms == 1);
	sigprocmask(SIG_BLOCK, NULL, &s);
	CHECK(sigismember(&s, SIGALRM)); /* the mask is back */
	CHECK_EQ(ualarm(500000, 0), 0);
	CHECK(ualarm(0, 0) > 400000);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("posixext: timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete, clock_getres, "
	       "clock_settime, settimeofday, adjtime, ualarm, sigpause ok\n");

	/* pselect, sigqueue */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timespec ts = { 0, 10000000 };
	CHECK_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), 0);
	CHECK_EQ(write(p[1], "x", 1), 1);
	FD_SET(p[0], &rd);
	CHECK_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), 1);
	CHECK(FD_ISSET(p[0], &rd));
	signal(SIGUSR1, on_usr);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	CHECK_EQ(usr, 0);
	sigset_t none;
	sigemptyset(&none);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	errno = 0;
	CHECK(pselect(p[0] + 1, &rd, NULL, NULL, NULL, &none) == -1 && errno == EINTR && usr == 1);
	sigprocmask(SIG_BLOCK, NULL, &s);
	CHECK(sigismember(&s, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	ts.tv_nsec = 1000000000;
	errno = 0;
	CHECK(pselect(1, NULL, NULL, NULL, &ts, NULL) == -1 && errno == EINVAL);
	close(p[0]);
	close(p[1]);
	union sigval val = { .sival_int = 5 };
	CHECK_EQ(sigqueue(getpid(), SIGUSR1, val), 0);
	CHECK_EQ(usr, 2);
	errno = 0;
	CHECK(sigqueue(getpid(), 999, val) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(sigqueue(0, SIGUSR1, val) == -1 && errno == ESRCH);
	signal(SIGUSR1, SIG_DFL);
	printf("posixext: pselect, sigqueue ok\n");
}

static int group_leader(long arg)
{
	(void)arg;
	return setpgrp() == 0 && getpgrp() == getpid() ? 0 : 1;
}

static void processes(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (daemon(1, 0) < 0)
			_exit(1);
		/* the daemon: its own session, no terminal, /dev/null on 0-2 */
		int ok = getsid(0) == getpid() && !isatty(0) && !isatty(1);
		int fd = open("/tmp/pdaemon.new", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		(void)!write(fd, ok ? "ok" : "no", 2);
		close(fd);
		rename("/tmp/pdaemon.new", "/tmp/pdaemon");
		_exit(0);
	}
	CHECK_EQ(run_status(pid), 0);
	int fd = -1;
	for (int i = 0; i < 200 && (fd = open("/tmp/pdaemon", O_RDONLY)) < 0; i++)
		usleep(10000);
	CHECK(fd >= 0);
	char buf[3] = { 0 };
	CHECK_EQ(read(fd, buf, 2), 2);
	CHECK(!strcmp(buf, "ok"));
	close(fd);
	CHECK_EQ(run_status(check_spawn(group_leader, 0)), 0);
	pid = check_spawn(group_leader, 0);
	int st;
	pid_t w;
	while ((w = _wait(&st)) != pid) /* we are pid 1: the daemon, orphaned, may come first */
		CHECK(w > 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	printf("posixext: daemon, setpgrp, _wait ok\n");

	CHECK_EQ(setreuid((uid_t)-1, 0), 0);
	errno = 0;
	CHECK(setreuid(5, (uid_t)-1) == -1 && errno == EINVAL);
	CHECK_EQ(setregid(0, 0), 0);
	gid_t g0 = 0, g5 = 5;
	CHECK_EQ(setgroups(1, &g0), 0);
	CHECK_EQ(setgroups(0, NULL), 0);
	errno = 0;
	CHECK(setgroups(1, &g5) == -1 && errno == EINVAL);
	CHECK_EQ(initgroups("root", 0), 0);
	CHECK_EQ(issetugid(), 0);
	CHECK_EQ(nice(1), 0);
	errno = 0;
	CHECK(nice(-1) == -1 && errno == EPERM);
	char *sh = getusershell();
	CHECK(sh && !strcmp(sh, "/bin/sh"));
	CHECK(getusershell() == NULL);
	setusershell();
	CHECK(getusershell() != NULL);
	endusershell();
	char dom[8] = "x";
	CHECK(getdomainname(dom, sizeof dom) == 0 && dom[0] == 0);
	CHECK_EQ(gethostid(), 0x007f0101);
	printf("posixext: setreuid, setregid, setgroups, initgroups, issetugid, nice, getusershell, getdomainname, "
	       "gethostid ok\n");
}

static void test_procs(void)
{
	spawning();
	timers();
	processes();
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "child"))
		return spawned_child(argv[2]);
	test_dirs();
	test_text();
	test_files();
	test_procs();
	check_done("posixext");
}
