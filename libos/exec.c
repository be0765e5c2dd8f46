/*
 * execve and friends. The new program is built in a fresh environment (exofork,
 * then its segments, stack and arguments are filled in from here); the process
 * then moves to it: same pid, same parent, same descriptors (the server's tables
 * say so), and the old environment ends. Until the very last step nothing of the caller has
 * changed, so every failure returns -1 with errno and the caller continues intact.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <exo/elf64.h>
#include <exo/ptscan.h>
#include "initrd.h"
#include "proc.h"
#include "vpt.h"
#include "fs.h"
#include "srv.h"
#include "signal_int.h"

#define EXEC_STACK_PAGES 2 /* mapped at start; the stack grows on demand below */

extern char **environ;

/* Map a page of the child at va (perm) filled from src (n bytes at off): when src
 * is a whole page of the initrd (a read-only segment of a program there: the
 * archive's files are page-aligned), the boot module's own frame, shared and
 * never copied; else a fresh page with a copy. */
static long child_page(envid_t child, uint64_t va, uint64_t perm, const void *src, size_t off, size_t n)
{
	if (!(perm & PTE_W) && off == 0 && n == PAGE_SIZE && !((uint64_t)src & (PAGE_SIZE - 1)) && initrd_holds(src))
		return sys_page_map(0, (long)src, child, (long)va, (long)perm);
	long r = sys_page_alloc(child, (long)va, (long)perm);
	if (r < 0 || !n)
		return r;
	if ((r = sys_page_map(child, (long)va, 0, (long)LIBOS_TMP_COPY, PTE_W | PTE_NX)) < 0)
		return r;
	memcpy((char *)LIBOS_TMP_COPY + off, src, n);
	return sys_page_unmap(0, (long)LIBOS_TMP_COPY);
}

/* Map every page of the validated image img's loadable segments into child
 * (writable only for PF_W, NX unless PF_X), filled from the file and zero elsewhere,
 * as elf_next_page lists them. Returns 0 or the first failing call's error. */
static long load_segments(envid_t child, const char *img)
{
	struct elf_page_iter it = { 0 };
	struct elf_page pg;
	while (elf_next_page(img, &it, &pg)) {
		uint64_t perm = (pg.writable ? PTE_W : 0) | (pg.executable ? 0 : PTE_NX);
		long r = child_page(child, pg.va, perm, img + pg.file_off, pg.page_off, pg.file_len);
		if (r < 0)
			return r;
	}
	return 0;
}

static size_t count(char *const v[])
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* Bytes of strings in argv and envp. */
static size_t string_bytes(char *const argv[], char *const envp[])
{
	size_t n = 0;
	for (size_t i = 0; argv && argv[i]; i++)
		n += strlen(argv[i]) + 1;
	for (size_t i = 0; envp && envp[i]; i++)
		n += strlen(envp[i]) + 1;
	return n;
}

/* Build argc/argv/envp/auxv (System V layout) for a stack ending at USTACKTOP in
 * buf (which stands for the top `len` bytes of that stack, large enough: see
 * execve). Returns the child's initial rsp. */
static uint64_t build_args(char *buf, size_t len, char *const argv[], char *const envp[])
{
	size_t argc = count(argv), envc = count(envp);
	size_t strbytes = string_bytes(argv, envp);
	size_t words = 1 + argc + 1 + envc + 1 + 2;
	uint64_t top = USTACKTOP, base = USTACKTOP - len;
	char *strs = buf + len - strbytes;
	uint64_t sp = (top - strbytes - words * 8) & ~15UL;
	uint64_t *w = (uint64_t *)(buf + (sp - base));
	*w++ = argc;
	for (size_t i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? argv[i] : envp[i - argc];
		size_t n = strlen(s) + 1;
		memcpy(strs, s, n);
		*w++ = base + (uint64_t)(strs - buf);
		strs += n;
		if (i + 1 == argc)
			*w++ = 0; /* end of argv */
	}
	if (argc == 0)
		*w++ = 0;
	*w++ = 0;                /* end of envp */
	*w++ = 0, *w++ = 0;      /* auxv: AT_NULL */
	return sp;
}

/* Map every PTE_SHARE page of ours into the child (the view of the server's tables
 * and the initrd go as whole shared tables), in one batch per 512 pages. */
struct share_state {
	envid_t child;
	int n;
	long err;
	struct exo_pte_op ops[512];
};

static void share_flush(struct share_state *s)
{
	long r = s->n ? sys_pte_batch(s->child, (long)s->ops, s->n) : 0;
	if (r < 0 && !s->err)
		s->err = r;
	s->n = 0;
}

static void share_page(uint64_t va, uint64_t pte, void *arg)
{
	struct share_state *s = arg;
	if (!(pte & PTE_SHARE))
		return;
	s->ops[s->n++] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = va, .srcva = va,
					      .perm = pte & (PTE_W | PTE_NX | PTE_AVAIL) };
	if (s->n == 512)
		share_flush(s);
}

/* A 1 GiB region of private memory only has nothing for the new program: not
 * looked at (so spawn costs the same whatever the parent's size); the boot
 * modules' area goes whole, in one call. */
static bool private_directory(uint64_t va, void *arg)
{
	struct share_state *s = arg;
	long r = libos_share_modules(s->child, va);
	if (r < 0 && !s->err)
		s->err = r;
	return r != 0 || libos_region_private(va, va + (1UL << 30));
}

/* A table shared whole, or one without a PTE_SHARE page, needs no look at its
 * entries one by one (true). */
static bool share_table(uint64_t va, void *arg)
{
	struct share_state *s = arg;
	long r = libos_share_table(s->child, va);
	if (r < 0 && !s->err)
		s->err = r;
	return r != 0 || pt_next_with(VPT_PTE(va), 0, PTE_SHARE, vpt_sum(*VPT_PDE(va))) == 512;
}

/* A large page is private memory (mman.c): nothing for the new program. */
static bool private_large(uint64_t va, uint64_t pde, void *arg)
{
	(void)va, (void)pde, (void)arg;
	return true;
}

static struct share_state share;

static int fail(int err)
{
	errno = err;
	return -1;
}

/* libos_exec_check: 0 if path is a readable string and argv and envp readable
 * vectors of readable strings (of at most ARG_MAX_BYTES), else EFAULT,
 * ENAMETOOLONG or E2BIG. Made before anything is built or changed. */
int libos_exec_check(const char *path, char *const argv[], char *const envp[])
{
	int err = libos_user_string(path, PATH_MAX);
	if (!err)
		err = libos_user_vector(argv, ARG_MAX_BYTES / sizeof(char *), ARG_MAX_BYTES);
	if (!err)
		err = libos_user_vector(envp, ARG_MAX_BYTES / sizeof(char *), ARG_MAX_BYTES);
	return err;
}

/* read_file: the whole of /tmp file abs (size bytes) in a new buffer, or NULL
 * with errno. */
static char *read_file(const char *abs, size_t size)
{
	char *buf = malloc(size ? size : 1);
	int fd = buf ? open(abs, O_RDONLY) : -1;
	size_t got = 0;
	ssize_t n = 1;
	while (fd >= 0 && got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += (size_t)n;
	if (fd >= 0)
		close(fd);
	if (fd < 0 || got < size) {
		int err = fd < 0 && buf ? errno : n < 0 ? errno : buf ? EIO : ENOMEM;
		free(buf);
		errno = err;
		return NULL;
	}
	return buf;
}

static long exec_file(const char *abs, char *const argv[], char *const envp[], int depth);

/* exec_script: run the #! script abs (its first line in img) through its
 * interpreter: argv becomes interpreter, its one optional argument, abs, then
 * argv[1..]. Returns the new environment or -errno (ENOEXEC for an empty #! line,
 * ELOOP after four interpreters in a row). */
static long exec_script(const char *abs, const char *img, size_t size, char *const argv[],
			char *const envp[], int depth)
{
	char line[128];
	size_t n = 0;
	for (size_t i = 2; i < size && img[i] != '\n' && n < sizeof line - 1; i++)
		line[n++] = img[i];
	line[n] = 0;
	char *interp = line + strspn(line, " \t"), *arg = interp + strcspn(interp, " \t");
	if (*arg)
		*arg++ = 0;
	arg += strspn(arg, " \t");
	for (size_t k = strlen(arg); k && (arg[k - 1] == ' ' || arg[k - 1] == '\t' || arg[k - 1] == '\r'); k--)
		arg[k - 1] = 0;
	if (!*interp)
		return -ENOEXEC;
	if (depth >= 4)
		return -ELOOP;
	size_t argc = count(argv);
	char **nargv = malloc((argc + 3) * sizeof *nargv);
	if (!nargv)
		return -ENOMEM;
	size_t k = 0;
	nargv[k++] = interp;
	if (*arg)
		nargv[k++] = arg;
	nargv[k++] = (char *)abs;
	for (size_t i = 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	char iabs[PATH_MAX_LEN];
	long r = path_resolve(interp, iabs, sizeof iabs) < 0 ? -errno : exec_file(iabs, nargv, envp, depth + 1);
	free(nargv);
	return r;
}

/* exec_file: build an environment running file abs (the initrd or /tmp): it must
 * be a regular file with an execute bit; an ELF image runs, a #! script runs
 * through its interpreter. Returns its id or -errno. */
static long exec_file(const char *abs, char *const argv[], char *const envp[], int depth)
{
	struct stat st;
	int r = stat_abs(abs, &st);
	if (r < 0)
		return r;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return -EACCES;
	char *buf = NULL;
	const char *img;
	size_t size;
	struct initrd_entry f;
	if (path_in_tmp(abs)) {
		if (!(buf = read_file(abs, (size_t)st.st_size)))
			return -errno;
		img = buf, size = (size_t)st.st_size;
	} else if (initrd_lookup(abs, &f) == 0) {
		img = f.data, size = f.size;
	} else {
		return -ENOENT;
	}
	long child = size >= 2 && img[0] == '#' && img[1] == '!' ? exec_script(abs, img, size, argv, envp, depth)
								 : libos_exec_image(img, size, argv, envp);
	free(buf);
	return child;
}

long libos_exec_build(const char *path, char *const argv[], char *const envp[])
{
	char abs[PATH_MAX_LEN];
	int err = libos_exec_check(path, argv, envp);
	if (err)
		return -err;
	if (path_resolve(path, abs, sizeof abs) < 0)
		return -errno;
	int dirs = path_check_dirs(abs, path_trailing_slash(path));
	if (dirs)
		return -dirs;
	return exec_file(abs, argv, envp, 0);
}

long libos_exec_image(const char *img, size_t size, char *const argv[], char *const envp[])
{
	const char *why;
	if (elf_validate(img, size, UTEXT, ULIM, &why) < 0)
		return -ENOEXEC;
	size_t strbytes = string_bytes(argv, envp);
	size_t words = 1 + count(argv) + 1 + count(envp) + 1 + 2;
	if (strbytes + words * 8 > ARG_MAX_BYTES)
		return -E2BIG;
	/* The arguments plus EXEC_STACK_PAGES of room for the program to start in. */
	size_t stack_pages = EXEC_STACK_PAGES + (strbytes + words * 8 + 16 + PAGE_SIZE - 1) / PAGE_SIZE;
	size_t stack_bytes = stack_pages * PAGE_SIZE;
	char *stack = malloc(stack_bytes);
	if (!stack)
		return -ENOMEM;
	memset(stack, 0, stack_bytes);
	uint64_t sp = build_args(stack, stack_bytes, argv, envp);
	long child = sys_exofork();
	if (child < 0) {
		free(stack);
		return -exo_errno(child);
	}
	long r = load_segments((envid_t)child, img);
	for (size_t i = 0; !r && i < stack_pages; i++)
		r = child_page((envid_t)child, USTACKTOP - stack_bytes + i * PAGE_SIZE, PTE_W | PTE_NX,
			       stack + i * PAGE_SIZE, 0, PAGE_SIZE);
	free(stack);
	if (!r) {
		share.child = (envid_t)child, share.n = 0, share.err = 0;
		libos_vpt_walk(&(struct vpt_walk){ private_directory, share_table, share_page, private_large }, &share);
		share_flush(&share);
		r = share.err;
	}
	if (!r)
		r = sys_env_set_upcall(child, EXO_UPCALL_EXCEPTION, 0, (long)UXSTACKTOP);
	if (!r)
		r = sys_env_set_upcall(child, EXO_UPCALL_SLOT, 0, (long)UXSTACKTOP);
	if (!r) {
		const struct elf64_ehdr *eh = (const void *)img;
		struct exo_regs regs = { .rip = eh->e_entry, .rsp = sp };
		r = sys_env_set_regs(child, (long)&regs);
	}
	if (r < 0) {
		sys_env_destroy(child);
		return -(r < -255 ? exo_errno(-(-r & 255)) : exo_errno(r));
	}
	return child;
}

/* execve: run path with argv and envp in this process. Does not return on
 * success; returns -1 with errno (EFAULT: path, argv, envp or one of their strings
 * unreadable; ENOENT, EACCES, ENOEXEC, E2BIG, ENOMEM) and the caller unchanged. */
static int become(long child, char *const argv[]);

int execve(const char *path, char *const argv[], char *const envp[])
{
	long child = libos_exec_build(path, argv, envp);
	return child < 0 ? fail((int)-child) : become(child, argv);
}

/* become: make the built environment child this process (exec's second half).
 * Returns only on failure: -1 with errno, child destroyed. */
static int become(long child, char *const argv[])
{
	/* The new image takes our place under our parent and keeps our children,
	 * however this environment ends from here on. */
	long r = sys_env_set_heir(0, child);
	if (r < 0) {
		sys_env_destroy(child);
		return fail(exo_errno(r));
	}
	/* Point of no return: the server moves the process to the child environment. */
	struct srv_chan *c = srv_chan();
	if (c) {
		uint64_t ignored, mask; /* what exec keeps of our signal state */
		libos_sig_exec_state(&ignored, &mask);
		proc_set_cmd(c->data, argv); /* the command for ps */
		r = srv_call(SRV_EXEC, child, (int64_t)ignored, (int64_t)mask);
	}
	if (!c || r < 0) {
		sys_env_destroy(child);
		return fail(c ? (int)-r : ENOSYS);
	}
	sys_env_set_status(child, EXO_ENV_RUNNABLE);
	for (;;)
		sys_env_exit(0);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int libos_path_lookup(const char *file, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/bin";
	struct stat st;
	for (const char *p = path; *p;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n + 1 + strlen(file) + 1 <= size) {
			memcpy(buf, p, n);
			buf[n] = '/';
			strcpy(buf + n + 1, file);
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
				return 0;
		}
		p = end ? end + 1 : p + n;
	}
	return ENOENT;
}

/* exec_search: execve of file with argv and envp, a name without '/' searched
 * in $PATH (default "/bin"). Returns only on failure: -1 with ENOENT or
 * execve's errors. */
static int exec_search(const char *file, char *const argv[], char *const envp[])
{
	char buf[256];
	if (!file || !*file)
		return fail(ENOENT);
	if (strchr(file, '/'))
		return execve(file, argv, envp);
	int err = libos_path_lookup(file, buf, sizeof buf);
	return err ? fail(err) : execve(buf, argv, envp);
}

/* execvp: like execv, but a file name without '/' is searched in $PATH (default
 * "/bin"). */
int execvp(const char *file, char *const argv[])
{
	return exec_search(file, argv, environ);
}

/* Collect a variadic argument list into argv (at most 64 arguments). */
#define COLLECT_ARGS(first, ap, argv)                                  \
	do {                                                           \
		int n_ = 0;                                            \
		argv[n_++] = (char *)(first);                          \
		while (n_ < 64 && (argv[n_] = va_arg(ap, char *)))     \
			n_++;                                          \
		if (n_ == 64)                                          \
			return fail(E2BIG);                            \
	} while (0)

int execl(const char *path, const char *arg, ...)
{
	char *argv[65];
	va_list ap;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv);
	va_end(ap);
	return execv(path, argv);
}

int execlp(const char *file, const char *arg, ...)
{
	char *argv[65];
	va_list ap;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv);
	va_end(ap);
	return execvp(file, argv);
}

int execle(const char *path, const char *arg, ...)
{
	char *argv[65];
	va_list ap;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv);
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	return execve(path, argv, envp);
}

/* execlpe: execle with file searched in $PATH as execvp does. */
int execlpe(const char *file, const char *arg, ...)
{
	char *argv[65];
	va_list ap;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv);
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	return exec_search(file, argv, (char *const *)envp);
}

/* fexecve: execve of the file open on fd: an initrd file by its name (scripts
 * too), a /tmp file by its contents (an ELF image; a script is ENOEXEC, since
 * its interpreter needs a name). Returns only on failure: -1 with EBADF, EACCES
 * (not executable), ENOMEM, or execve's errors. */
int fexecve(int fd, char *const argv[], char *const envp[])
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (f->type == F_INITRD) {
		char path[PATH_MAX_LEN];
		memcpy(path, f->path, sizeof path);
		path[sizeof path - 1] = 0;
		return execve(path, argv, envp);
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return fail(EACCES);
	int err = libos_exec_check("", argv, envp);
	if (err)
		return fail(err);
	char *img = malloc((size_t)st.st_size + 1);
	if (!img)
		return fail(ENOMEM);
	ssize_t n = pread(fd, img, (size_t)st.st_size, 0);
	long child = n == st.st_size ? libos_exec_image(img, (size_t)n, argv, envp) : -(n < 0 ? errno : EIO);
	free(img);
	return child < 0 ? fail((int)-child) : become(child, argv);
}
