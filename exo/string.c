/* The string and memory routines the kernel uses (it links no C library). */
#include "kern.h"

/* memset: fill n bytes at dst with c. Returns dst. */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	if (((uintptr_t)dst & 7) == 0 && (n & 7) == 0) { /* pages and tables: 8 bytes at a time */
		uint64_t v = 0x0101010101010101ULL * (uint8_t)c;
		size_t q = n / 8;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
		return dst;
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

/* memcpy: copy n bytes; the regions must not overlap. Returns dst. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n / 8, r = n % 8;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(r) : : "memory");
	return dst;
}

/* memmove: copy n bytes; the regions may overlap. Returns dst. */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/* memcmp: compare n bytes. Returns <0, 0 or >0 like the C library's. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/* strlen: length of a NUL-terminated string. */
size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* strnlen: length of s, at most max. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* strcmp / strncmp: compare strings. Return <0, 0 or >0. */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

/* strlcpy: copy src into dst of the given size, always NUL-terminated (size > 0).
 * Returns strlen(src), so a result >= size means the copy was truncated. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}
