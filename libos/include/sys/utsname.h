/* <sys/utsname.h>, which newlib lacks: uname (libos/uname.c). */
#ifndef LIBOS_SYS_UTSNAME_H
#define LIBOS_SYS_UTSNAME_H

#define _UTSNAME_LENGTH 65 /* each field, its NUL included */

struct utsname {
	char sysname[_UTSNAME_LENGTH];  /* "exo" */
	char nodename[_UTSNAME_LENGTH]; /* the host name (gethostname) */
	char release[_UTSNAME_LENGTH];  /* the system's release */
	char version[_UTSNAME_LENGTH];  /* this build of it */
	char machine[_UTSNAME_LENGTH];  /* "x86_64" */
};

int uname(struct utsname *u);

#endif
