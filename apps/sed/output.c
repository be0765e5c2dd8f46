/* output.c: sed's output streams (standard output and w files), the l command's
 * listing and the queue of a and r text for the end of a cycle (contracts in sed.h). */
#include "sed.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct out out_stdout = { "standard output", NULL, 0, NULL };
static struct out out_stderr = { "/dev/stderr", NULL, 0, NULL };

/* The w files opened so far. */
static struct out *files;

struct out *out_open(const char *path)
{
	if (strcmp(path, "/dev/stdout") == 0)
		return &out_stdout;
	if (strcmp(path, "/dev/stderr") == 0)
		return &out_stderr;
	for (struct out *o = files; o; o = o->next)
		if (strcmp(o->path, path) == 0)
			return o;
	struct out *o = xrealloc(NULL, sizeof *o);
	o->path = strdup(path);
	o->f = fopen(path, "w");
	if (!o->path || !o->f)
		die(4, "couldn't open file %s: %s", path, strerror(errno));
	o->missing_nl = 0;
	o->next = files;
	files = o;
	return o;
}

/* The stdio stream of o (the standard ones are not constants in newlib). */
static FILE *stream(struct out *o)
{
	return o == &out_stdout ? stdout : o == &out_stderr ? stderr : o->f;
}

void out_write(struct out *o, const char *s, size_t n, int nl)
{
	FILE *f = stream(o);
	if (o->missing_nl)
		putc('\n', f);
	fwrite(s, 1, n, f);
	if (nl)
		putc('\n', f);
	o->missing_nl = !nl;
}

void out_list(const char *s, size_t n)
{
	/* pairs: a byte, then the letter of its escape */
	static const char esc[] = "\\\\\aa\bb\ff\nn\rr\tt\vv";
	struct buf b = { 0 };
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char one[8];
		const char *e = c ? strchr(esc, c) : NULL;
		if (e && (e - esc) % 2 == 0)
			snprintf(one, sizeof one, "\\%c", e[1]);
		else if (isprint(c))
			snprintf(one, sizeof one, "%c", c);
		else
			snprintf(one, sizeof one, "\\%03o", c);
		size_t w = strlen(one);
		if (col + w > 69) {
			buf_add(&b, "\\\n", 2);
			col = 0;
		}
		buf_add(&b, one, w);
		col += w;
	}
	buf_addc(&b, '$');
	out_write(&out_stdout, b.s, b.len, 1);
	free(b.s);
}

/* One queued item: text to write, or a file to copy. */
struct queued {
	char *s;
	size_t n;
	int is_file;
};
static struct queued *queue;
static size_t nqueue, capqueue;

/* Queue a copy of the n bytes at s (a file's path when is_file). */
static void enqueue(const char *s, size_t n, int is_file)
{
	if (nqueue == capqueue) {
		capqueue = capqueue ? capqueue * 2 : 8;
		queue = xrealloc(queue, capqueue * sizeof *queue);
	}
	char *copy = xrealloc(NULL, n + 1);
	memcpy(copy, s, n);
	copy[n] = 0;
	queue[nqueue++] = (struct queued){ copy, n, is_file };
}

void out_queue_text(const char *s, size_t n)
{
	enqueue(s, n, 0);
}

void out_queue_file(const char *path)
{
	enqueue(path, strlen(path), 1);
}

/* Copy the file at path to standard output; nothing when it cannot be read. */
static void copy_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out_stdout.missing_nl)
			putc('\n', stdout);
		out_stdout.missing_nl = 0;
		fwrite(chunk, 1, n, stdout);
	}
	fclose(f);
}

void out_flush_queue(void)
{
	for (size_t i = 0; i < nqueue; i++) {
		if (queue[i].is_file)
			copy_file(queue[i].s);
		else
			out_write(&out_stdout, queue[i].s, queue[i].n, 1);
		free(queue[i].s);
	}
	nqueue = 0;
}

int out_flush_all(void)
{
	int status = 0;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "sed: couldn't write to standard output: %s\n", strerror(errno ? errno : EIO));
		status = 4;
	}
	for (struct out *o = files; o; o = o->next)
		if (fflush(o->f) == EOF || ferror(o->f)) {
			fprintf(stderr, "sed: couldn't write to %s: %s\n", o->path, strerror(errno ? errno : EIO));
			status = 4;
		}
	return status;
}
