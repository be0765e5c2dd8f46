/* buf.c: growable byte strings, memory and fatal errors for sed (contracts in sed.h). */
#include "sed.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("sed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(4, "%s", strerror(ENOMEM));
	return p;
}

/* Make room in b for n more bytes and the terminating NUL. */
static void buf_grow(struct buf *b, size_t n)
{
	if (b->len + n < b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap <= b->len + n)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memmove(b->s + b->len, s, n); /* s may lie in b (buf_set to a part of itself) */
	b->len += n;
	b->s[b->len] = 0;
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_set(struct buf *b, const char *s, size_t n)
{
	b->len = 0;
	buf_add(b, s, n);
}
