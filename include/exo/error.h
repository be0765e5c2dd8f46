/*
 * Kernel error codes. Every system call returns a value >= 0 on success or the
 * negative of one of these. The list is defined once; exo_strerror() in the libOS
 * and the kernel's messages both derive their text from it.
 */
#ifndef EXO_ERROR_H
#define EXO_ERROR_H

#define EXO_ERRORS(X)                                                        \
	X(1, E_INVAL,   "invalid argument")                                  \
	X(2, E_NOMEM,   "out of physical memory")                            \
	X(3, E_QUOTA,   "quota exceeded")                                    \
	X(4, E_PERM,    "permission denied")                                 \
	X(5, E_BADENV,  "no such environment")                               \
	X(6, E_FAULT,   "bad user address")                                  \
	X(7, E_NOSYS,   "no such system call")                               \
	X(8, E_AGAIN,   "try again")                                         \
	X(9, E_NORECV,  "environment is not receiving")                      \
	X(10, E_NOENV,  "out of environments")                               \
	X(11, E_EXIST,  "already exists")                                    \
	X(12, E_NOENT,  "not found")                                         \
	X(13, E_INTR,   "interrupted")                                       \
	X(14, E_TIMEDOUT, "timed out")

enum exo_error {
#define EXO_ERR_ENUM(num, name, text) name = num,
	EXO_ERRORS(EXO_ERR_ENUM)
#undef EXO_ERR_ENUM
	E_MAXERROR
};

#endif
