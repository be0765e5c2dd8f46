/*
 * Kernel formatted output: a small printf engine (%d %i %u %x %X %p %s %c %%, with
 * flags '0' '-' '#', a width, and the l/ll/z length modifiers) that writes through a
 * per-character callback, so the console and string buffers share one formatter.
 */
#include "kern.h"
#include "console.h"

static int emit_num(void (*put)(char, void *), void *arg, uint64_t v, bool neg, int base,
		    bool upper, int width, bool zero, bool left)
{
	char tmp[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, count = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + (neg ? 1 : 0);
	if (!left && !zero)
		for (; width > len; width--, count++)
			put(' ', arg);
	if (neg)
		put('-', arg), count++;
	if (!left && zero)
		for (; width > len; width--, count++)
			put('0', arg);
	while (n)
		put(tmp[--n], arg), count++;
	for (; left && width > len; width--, count++)
		put(' ', arg);
	return count;
}

/* fmt_vformat: format fmt/ap, calling put(c, arg) for each output character.
 * Returns the number of characters produced. Unknown conversions print as-is. */
int fmt_vformat(void (*put)(char, void *), void *arg, const char *fmt, va_list ap)
{
	int count = 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(*fmt, arg), count++;
			continue;
		}
		bool zero = false, left = false, alt = false;
		int width = 0, lng = 0;
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			count += emit_num(put, arg, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false,
					  width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			if (alt && *fmt != 'u')
				put('0', arg), put('x', arg), count += 2;
			count += emit_num(put, arg, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width,
					  zero, left);
			break;
		}
		case 'p':
			put('0', arg), put('x', arg), count += 2;
			count += emit_num(put, arg, (uint64_t)va_arg(ap, void *), false, 16, false, 16,
					  true, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = (int)strlen(s);
			for (; !left && width > len; width--)
				put(' ', arg), count++;
			while (*s)
				put(*s++, arg), count++;
			for (; left && width > len; width--)
				put(' ', arg), count++;
			break;
		}
		case 'c':
			put((char)va_arg(ap, int), arg), count++;
			break;
		case '%':
			put('%', arg), count++;
			break;
		case 0:
			return count;
		default:
			put('%', arg), put(*fmt, arg), count += 2;
		}
	}
	return count;
}

static void put_console(char c, void *arg)
{
	(void)arg;
	console_putc(c);
}

/* kvprintf / kprintf: print to the kernel console (serial). */
void kvprintf(const char *fmt, va_list ap)
{
	fmt_vformat(put_console, NULL, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

struct bufout {
	char *buf;
	size_t size, len;
};

static void put_buf(char c, void *arg)
{
	struct bufout *b = arg;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

/* ksnprintf: format into buf (size bytes, always NUL-terminated when size > 0).
 * Returns the length the full output would have had. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct bufout b = { buf, size, 0 };
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(put_buf, &b, fmt, ap);
	va_end(ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return (int)b.len;
}
