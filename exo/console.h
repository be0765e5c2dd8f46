/* Serial console (COM1): kernel log output and user console input/output. */
#ifndef EXO_CONSOLE_H
#define EXO_CONSOLE_H
#include "kern.h"

void console_init(void);
void console_putc(char c);
/* console_write_raw: write n bytes as they are (cons_write: the libOS's line
 * discipline decides about \r). */
void console_write_raw(const char *s, size_t n);
void console_write(const char *s, size_t n);
void console_intr(void);
size_t console_read_avail(char *buf, size_t n);
bool console_has_input(void);

#endif
