/*
 * Common kernel definitions: integer types, helpers, printing and panics.
 * Included by every file in exo/. Kernel-private: never seen by user code.
 */
#ifndef EXO_KERN_H
#define EXO_KERN_H

#define EXO_KERNEL 1
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef int32_t envid_t;

#define ROUNDDOWN(a, n) ((a) & ~((uint64_t)(n) - 1))
#define ROUNDUP(a, n)   ROUNDDOWN((uint64_t)(a) + (n) - 1, (n))
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))

/* kprintf.c: formatted output. fmt_vformat() drives both the console and buffers. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int fmt_vformat(void (*put)(char c, void *arg), void *arg, const char *fmt, va_list ap);

/* panic.c: stop the machine with a message naming the file and line. */
void panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define assert(x)                                                        \
	do {                                                             \
		if (!(x))                                                \
			panic("assertion failed: %s", #x);              \
	} while (0)

/* string.c: the few string routines the kernel needs. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
