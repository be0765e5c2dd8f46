/* sed.h: the parts of sed (POSIX.1-2017 sed with GNU's common extensions) and
 * what they share: the script as an array of commands (parse.c), the input as a
 * stream of lines across files (input.c), regular expressions (regex.c), output
 * streams and the queue of text for the end of a cycle (output.c), the
 * execution of the script (exec.c, subst.c), growable strings (buf.c). */
#ifndef SED_H
#define SED_H
#include <regex.h>
#include <stddef.h>
#include <stdio.h>

/* buf.c: a growable byte string (may hold NUL bytes; s[len] is always 0). */
struct buf {
	char *s;
	size_t len, cap;
};

/* Append the n bytes at s to b. Returns nothing; exits 4 when memory runs out. */
void buf_add(struct buf *b, const char *s, size_t n);
/* Append the byte c to b. Returns nothing; exits 4 when memory runs out. */
void buf_addc(struct buf *b, char c);
/* Make b hold exactly the n bytes at s. Returns nothing; exits 4 when memory runs out. */
void buf_set(struct buf *b, const char *s, size_t n);
/* realloc that never fails: exits 4 ("sed: Cannot allocate memory") instead. */
void *xrealloc(void *p, size_t n);
/* Print "sed: MESSAGE" (printf format) on standard error and exit with status. */
_Noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* output.c: an output stream (standard output or a w file) that remembers a
 * missing final newline, written before anything else goes to the stream (GNU:
 * a last input line without a newline is output without one). */
struct out {
	char *path;
	FILE *f;
	int missing_nl;
	struct out *next;
};
extern struct out out_stdout;

/* The stream for the w file PATH ("/dev/stdout" and "/dev/stderr" are the
 * standard streams), created (truncated) the first time PATH is named; every w
 * to one PATH shares it. Returns it; exits 4 when PATH cannot be opened. */
struct out *out_open(const char *path);
/* Write the n bytes at s to o, then a newline if nl (else remember that one is
 * missing). Returns nothing; write errors are seen by out_flush_all. */
void out_write(struct out *o, const char *s, size_t n, int nl);
/* Write s unambiguously to standard output (the l command): \\, \a \b \f \n \r
 * \t \v, other non-printable bytes as \ooo, lines folded at 69 columns with a
 * trailing \, the end marked by $. */
void out_list(const char *s, size_t n);
/* Queue text (with a newline after it) for the end of the cycle (a command). */
void out_queue_text(const char *s, size_t n);
/* Queue the contents of the file path for the end of the cycle (r command; a
 * file that cannot be read is silently nothing, as POSIX says). */
void out_queue_file(const char *path);
/* Write what was queued, in order, to standard output, and empty the queue. */
void out_flush_queue(void);
/* Flush every stream. Returns 0, or 4 after printing an error when a write failed. */
int out_flush_all(void);

/* input.c: the lines of the input files, one after the other. */
extern unsigned long input_lineno; /* number of the last line read, counted across files */
extern int input_status;           /* 2 once an input file could not be opened, else 0 */

/* Use the nfiles paths in files ("-" is standard input; none: standard input). */
void input_init(char **files, int nfiles);
/* Read the next line into line (without its newline; appended after a newline
 * already in line when append). *chomped tells whether it ended with a newline.
 * Returns 1, or 0 at the end of the last file (line is then unchanged). Files
 * that cannot be opened are reported and skipped. */
int input_next(struct buf *line, int append, int *chomped);
/* Whether the line read last is the last line of the input ($). */
int input_last(void);

/* regex.c */
/* Compile the regular expression pat (basic, or extended when sed_ere; icase
 * ignores case). Returns it, or NULL for an empty pat, which stands for the last
 * regular expression used. Exits 1 with regerror's message when pat is invalid. */
regex_t *rx_compile(const char *pat, int icase);
/* Match re (NULL: the last one used, which re becomes otherwise) against
 * s[start..len) of the string s of length len; notbol when start is not the
 * beginning of a line. Fills nm entries of m (offsets from s). Returns 1 when it
 * matches, 0 when not; exits 1 when re is NULL and no regular expression was used yet. */
int rx_match(regex_t *re, const char *s, size_t len, size_t start, regmatch_t *m, size_t nm);
/* The number of subexpressions of re (9 for NULL: unknown until run). */
size_t rx_nsub(const regex_t *re);

/* parse.c: the script */
struct addr {
	enum { A_NONE, A_LINE, A_LAST, A_RE } type;
	unsigned long line;
	regex_t *re; /* NULL: the last regular expression used */
};

struct cmd {
	struct addr a1, a2;
	int neg;       /* ! */
	int active;    /* a range is open */
	char name;     /* the command letter ('{', '}', ':', 's', ...) */
	char *text;    /* a, i, c: the text; r: the file; :, b, t: the label */
	size_t textlen;
	size_t jump;      /* b, t: index of the target (ncmds: the end); {: index after its } */
	struct out *out;  /* w, s///w */
	regex_t *re;      /* s */
	char *repl;       /* s: replacement; \ quotes the next byte, & and \1-\9 are references */
	size_t repllen;
	unsigned long nth; /* s: the first match to replace (1 unless N is given) */
	int global, print; /* s: g, p */
	unsigned char *map; /* y: the byte translation table */
	int status;         /* q: exit status */
};

extern struct cmd *sed_cmds;
extern size_t sed_ncmds;
extern int sed_nflag; /* -n or #n */
extern int sed_ere;   /* -E */

/* Parse the script text (len bytes) into sed_cmds. Returns nothing; exits 1
 * with "sed: -e expression, char N: what" on a syntax error. */
void parse_script(const char *text, size_t len);

/* exec.c: run the script over the input. Returns the exit status (q's, or 0),
 * before the input and output errors are added. */
int exec_script(void);
/* subst.c: apply the s command c to the pattern space ps. Returns 1 when a
 * substitution was made, else 0. */
int subst(struct cmd *c, struct buf *ps);

#endif
