/* <regex.h>: newlib's (its regcomp, regexec, regerror, regfree: scripts/newlib.sh
 * builds them), which uses off_t without declaring it: POSIX lets a program include
 * <regex.h> alone. */
#ifndef LIBOS_REGEX_H
#define LIBOS_REGEX_H
#include <sys/types.h>
#include_next <regex.h>
#endif
