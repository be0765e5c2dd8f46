/*
 * Serial console on COM1 (16550 UART at 0x3F8, IRQ 4). Output is polled; input
 * arrives by interrupt into a ring buffer that cons_read drains. Line editing (echo,
 * backspace) is the libOS's business: the kernel hands over raw bytes.
 */
#include "console.h"
#include "x86.h"

#define COM1 0x3F8
#define INBUF_SIZE 1024

static struct {
	char buf[INBUF_SIZE];
	uint32_t head, tail; /* head: next to read; tail: next to write */
} in;

/* console_init: 115200 8N1, receive interrupt enabled. The FIFO is left as the
 * firmware set it: switching it on or off discards received bytes (input a test
 * harness or a fast typist sent before the kernel started). Without the FIFO the
 * UART holds one byte and QEMU keeps the rest until it is read: nothing is lost. */
void console_init(void)
{
	outb(COM1 + 1, 0x00);       /* interrupts off while configuring */
	outb(COM1 + 3, 0x80);       /* DLAB */
	outb(COM1 + 0, 0x01);       /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);       /* 8N1 */
	outb(COM1 + 4, 0x0B);       /* DTR, RTS, OUT2 (routes the IRQ) */
	outb(COM1 + 1, 0x01);       /* receive-data interrupt */
}

static void uart_put(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

/* console_putc: write one character, turning \n into \r\n for terminals. */
void console_putc(char c)
{
	if (c == '\n')
		uart_put('\r');
	uart_put(c);
}

/* console_write: write n bytes. */
void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

void console_write_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uart_put(s[i]);
}

/* console_intr: called on IRQ 4; moves received bytes into the input ring. */
void console_intr(void)
{
	while (inb(COM1 + 5) & 0x01) {
		char c = (char)inb(COM1);
		if (in.tail - in.head < INBUF_SIZE)
			in.buf[in.tail++ % INBUF_SIZE] = c;
	}
}

/* console_has_input: true when at least one received byte is waiting. */
bool console_has_input(void)
{
	console_intr(); /* also poll, in case the interrupt was missed */
	return in.tail != in.head;
}

/* console_read_avail: copy up to n waiting bytes into buf (kernel memory).
 * Returns the count copied, 0 when nothing is waiting. */
size_t console_read_avail(char *buf, size_t n)
{
	size_t got = 0;
	console_intr();
	while (got < n && in.head != in.tail)
		buf[got++] = in.buf[in.head++ % INBUF_SIZE];
	return got;
}
