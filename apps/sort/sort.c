/* sort: sort, merge or check the lines of the FILEs (or standard input for "-"
 * or none), writing them to standard output.
 *   sort [-c | -C | -m] [-u] [-o OUT] [-bdfinr] [-t CHAR] [-k KEY]... [FILE...]
 *   -c  check that the input is sorted (message for the first disorder; -C: none)
 *   -m  merge (the inputs are sorted: the result is the same as sorting them)
 *   -u  one line of each run that compares equal    -o OUT  write to OUT (may be an input)
 *   -b  ignore leading blanks    -d  only blanks and alphanumerics count
 *   -f  fold lower case to upper -i  only printable characters count
 *   -n  numeric (leading blanks, -, digits, a decimal point)  -r  reverse
 *   -t CHAR  fields are separated by CHAR (else by runs of blanks, which belong to
 *            the field they precede)
 *   -k F[.C][OPTS][,F[.C][OPTS]]  a key from field F (character C) to field F
 *            (character C, or its end); OPTS are bdfinr for this key alone
 * Lines equal by every key are ordered by their bytes (unless -u).
 * Exit status: 0 (sorted, for -c), 1 (not sorted, for -c), 2 on an error. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/util.h"

enum { B = 1, D = 2, F = 4, I = 8, N = 16, R = 32, B2 = 64 };

struct key {
	long f1, c1, f2, c2; /* fields and characters from 1; f2 0: to the line's end; c2 0: the field's end */
	int flags;           /* B applies to the start, B2 to the end */
};

static struct key keys[32];
static int nkeys, gflags, tchar = -1, uflag;

/* skip_field: the offset just past the field that starts at p in s (length n):
 * to the next separator (-t), or past blanks and then non-blanks. */
static size_t skip_field(const char *s, size_t p, size_t n)
{
	if (tchar >= 0) {
		while (p < n && s[p] != tchar)
			p++;
	} else {
		while (p < n && isblank((unsigned char)s[p]))
			p++;
		while (p < n && !isblank((unsigned char)s[p]))
			p++;
	}
	return p;
}

/* The offset in s (length n) where field f (from 1) starts; n when it is past the end. */
static size_t field_start(const char *s, size_t n, long f)
{
	size_t p = 0;
	for (long i = 1; i < f && p < n; i++) {
		p = skip_field(s, p, n);
		if (tchar >= 0 && p < n)
			p++; /* over the separator */
	}
	return p;
}

/* The offset just past the end of field f (from 1) of s. */
static size_t field_end(const char *s, size_t n, long f)
{
	return skip_field(s, field_start(s, n, f), n);
}

static size_t skip_blanks(const char *s, size_t p, size_t n)
{
	while (p < n && isblank((unsigned char)s[p]))
		p++;
	return p;
}

/* The part of line s (length n) that key k covers: [*from, *to). */
static void key_span(const struct key *k, const char *s, size_t n, size_t *from, size_t *to)
{
	size_t a = field_start(s, n, k->f1);
	if (k->flags & B)
		a = skip_blanks(s, a, n);
	a += (size_t)(k->c1 - 1);
	size_t b = n;
	if (k->f2) {
		if (k->c2 == 0)
			b = field_end(s, n, k->f2);
		else {
			b = field_start(s, n, k->f2);
			if (k->flags & B2)
				b = skip_blanks(s, b, n);
			b += (size_t)k->c2;
		}
	}
	*from = a < n ? a : n;
	*to = b < n ? b : n;
	if (*to < *from)
		*to = *from;
}

/* A numeric key as a double: leading blanks, an optional '-', digits and a radix point. */
static double number(const char *s, size_t n)
{
	char buf[64];
	size_t p = skip_blanks(s, 0, n), k = 0;
	if (p < n && s[p] == '-')
		buf[k++] = s[p++];
	while (p < n && k < sizeof buf - 1 && (isdigit((unsigned char)s[p]) || s[p] == '.'))
		buf[k++] = s[p++];
	buf[k] = 0;
	return strtod(buf, NULL);
}

/* Whether character c takes part in a comparison under flags. */
static int counts(int c, int flags)
{
	return !((flags & D) && !isalnum(c) && !isblank(c)) && !((flags & I) && !isprint(c));
}

/* Compare two spans under flags (without R). */
static int compare_span(const char *a, size_t na, const char *b, size_t nb, int flags)
{
	if (flags & N) {
		double x = number(a, na), y = number(b, nb);
		return x < y ? -1 : x > y;
	}
	size_t i = 0, j = 0;
	for (;;) {
		while (i < na && !counts((unsigned char)a[i], flags))
			i++;
		while (j < nb && !counts((unsigned char)b[j], flags))
			j++;
		if (i == na || j == nb)
			return (i < na) - (j < nb);
		int x = (unsigned char)a[i++], y = (unsigned char)b[j++];
		if (flags & F)
			x = toupper(x), y = toupper(y);
		if (x != y)
			return x < y ? -1 : 1;
	}
}

struct line {
	char *s;
	size_t n;
};

/* Compare two lines by the keys; with last_resort, equal keys fall back to bytes. */
static int compare(const struct line *a, const struct line *b, int last_resort)
{
	for (int k = 0; k < nkeys; k++) {
		size_t a0, a1, b0, b1;
		key_span(&keys[k], a->s, a->n, &a0, &a1);
		key_span(&keys[k], b->s, b->n, &b0, &b1);
		int r = compare_span(a->s + a0, a1 - a0, b->s + b0, b1 - b0, keys[k].flags);
		if (r)
			return keys[k].flags & R ? -r : r;
	}
	if (!last_resort)
		return 0;
	size_t m = a->n < b->n ? a->n : b->n;
	int r = memcmp(a->s, b->s, m);
	r = r ? r : (a->n > b->n) - (a->n < b->n);
	return gflags & R ? -r : r;
}

static int qcompare(const void *a, const void *b)
{
	return compare(a, b, !uflag);
}

/* Parse the key modifiers at *p into *flags; end is 1 for the end position. */
static void key_flags(const char **p, int *flags, int end)
{
	for (; **p && strchr("bdfinr", **p); (*p)++)
		*flags |= **p == 'b' ? (end ? B2 : B) : **p == 'd' ? D : **p == 'f' ? F :
			  **p == 'i' ? I : **p == 'n' ? N : R;
}

/* Parse -k's argument. Returns 0, or -1 when it is invalid. */
static int parse_key(const char *s, struct key *k)
{
	char *e;
	int flags = 0;
	*k = (struct key){ .c1 = 1 };
	k->f1 = strtol(s, &e, 10);
	if (e == s || k->f1 < 1)
		return -1;
	if (*e == '.' && ((k->c1 = strtol(e + 1, &e, 10)) < 1))
		return -1;
	s = e;
	key_flags(&s, &flags, 0);
	if (*s == ',') {
		k->f2 = strtol(s + 1, &e, 10);
		if (e == s + 1 || k->f2 < 1)
			return -1;
		if (*e == '.' && ((k->c2 = strtol(e + 1, &e, 10)) < 0))
			return -1;
		s = e;
		key_flags(&s, &flags, 1);
	}
	if (*s)
		return -1;
	k->flags = flags;
	return 0;
}

int main(int argc, char **argv)
{
	int check = 0, c;
	const char *out_name = NULL;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "cCmuo:bdfinrt:k:")) != -1) {
		switch (c) {
		case 'c': case 'C': check = c; break;
		case 'm': break; /* a merge of sorted inputs is their sort */
		case 'u': uflag = 1; break;
		case 'o': out_name = optarg; break;
		case 'b': gflags |= B | B2; break;
		case 'd': gflags |= D; break;
		case 'f': gflags |= F; break;
		case 'i': gflags |= I; break;
		case 'n': gflags |= N; break;
		case 'r': gflags |= R; break;
		case 't':
			if (strlen(optarg) != 1)
				goto usage;
			tchar = (unsigned char)optarg[0];
			break;
		case 'k':
			if (nkeys == (int)(sizeof keys / sizeof keys[0]) || parse_key(optarg, &keys[nkeys]) < 0) {
				fprintf(stderr, "sort: invalid key: %s\n", optarg);
				return 2;
			}
			nkeys++;
			break;
		default:
			goto usage;
		}
	}
	/* A key without modifiers takes the global ones; no key: the whole line. */
	for (int k = 0; k < nkeys; k++)
		if (!keys[k].flags)
			keys[k].flags = gflags;
	if (nkeys == 0)
		keys[nkeys++] = (struct key){ .f1 = 1, .c1 = 1, .flags = gflags };

	struct line *lines = NULL;
	size_t nlines = 0, cap = 0;
	int status = 0, i = optind;
	do {
		const char *path = i < argc ? argv[i] : "-";
		FILE *f = util_open(path);
		if (!f) {
			status = 2;
			continue;
		}
		char *buf = NULL;
		size_t bcap = 0;
		ssize_t n;
		while ((n = getline(&buf, &bcap, f)) >= 0) {
			if (n > 0 && buf[n - 1] == '\n')
				n--;
			if (nlines == cap && !(lines = realloc(lines, (cap = cap ? 2 * cap : 1024) * sizeof *lines))) {
				util_perror("malloc");
				return 2;
			}
			lines[nlines].s = buf, lines[nlines++].n = (size_t)n;
			buf = NULL, bcap = 0;
		}
		free(buf);
		if (util_close(f, path) < 0)
			status = 2;
	} while (++i < argc);
	if (status)
		return status;
	if (check) {
		for (size_t k = 1; k < nlines; k++) {
			int r = compare(&lines[k - 1], &lines[k], !uflag);
			if (r > 0 || (uflag && r == 0)) {
				if (check == 'c')
					fprintf(stderr, "sort: disorder: %.*s\n", (int)lines[k].n, lines[k].s);
				return 1;
			}
		}
		return 0;
	}
	qsort(lines, nlines, sizeof *lines, qcompare);
	FILE *out = stdout;
	if (out_name && !(out = fopen(out_name, "w"))) {
		util_perror(out_name);
		return 2;
	}
	for (size_t k = 0; k < nlines; k++) {
		if (uflag && k > 0 && compare(&lines[k - 1], &lines[k], 0) == 0)
			continue;
		fwrite(lines[k].s, 1, lines[k].n, out);
		putc('\n', out);
	}
	if (fflush(out) == EOF || (out != stdout && fclose(out) == EOF)) {
		util_perror(out_name ? out_name : "standard output");
		return 2;
	}
	return 0;
usage:
	fprintf(stderr, "usage: sort [-c|-C|-m] [-u] [-o OUT] [-bdfinr] [-t CHAR] [-k KEY]... [FILE...]\n");
	return 2;
}
