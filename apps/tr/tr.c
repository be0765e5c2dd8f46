/* tr: translate, squeeze or delete characters from standard input to standard
 * output.
 *   tr [-c | -C] [-s] STRING1 STRING2     translate STRING1's characters to STRING2's
 *   tr -s [-c | -C] STRING1               squeeze runs of STRING1's characters
 *   tr -d [-c | -C] STRING1               delete STRING1's characters
 *   tr -d -s [-c | -C] STRING1 STRING2    delete STRING1's, squeeze STRING2's
 * -c/-C complement STRING1. Strings take escapes (\n \t \\ \NNN octal ...), ranges
 * (a-z), classes ([:alpha:] ...; [:upper:] and [:lower:] pair up for case
 * conversion), [c*n] and [c*] (repeat, in STRING2) and [=c=]. A shorter STRING2
 * is padded with its last character. Exit status: 0, or 1 on an error. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/util.h"

/* A string expanded: its characters in order (a class in its byte order). fill is
 * the index of a [c*] to be stretched, or -1. */
struct set {
	unsigned char c[4096];
	int n, fill;
	int upper_at, lower_at; /* where [:upper:]/[:lower:] start, or -1 */
};

/* The next character of s at *p, escapes decoded. */
static int next_char(const char **p)
{
	const char *s = *p;
	if (*s != '\\' || !s[1]) {
		*p = s + 1;
		return (unsigned char)*s;
	}
	s++;
	if (*s >= '0' && *s <= '7') {
		int v = 0;
		for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
			v = v * 8 + *s++ - '0';
		*p = s;
		return v & 0xff;
	}
	*p = s + 1;
	switch (*s) {
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	default: return (unsigned char)*s;
	}
}

static const struct {
	const char *name;
	int (*is)(int);
} classes[] = {
	{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank }, { "cntrl", iscntrl },
	{ "digit", isdigit }, { "graph", isgraph }, { "lower", islower }, { "print", isprint },
	{ "punct", ispunct }, { "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

static void add(struct set *s, int c)
{
	if (s->n < (int)sizeof s->c)
		s->c[s->n++] = (unsigned char)c;
}

/* Expand str into *s. Returns 0, or -1 (after a message) when it is invalid. */
static int expand(const char *str, struct set *s)
{
	s->n = 0, s->fill = -1, s->upper_at = s->lower_at = -1;
	const char *p = str;
	while (*p) {
		if (p[0] == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");
			size_t k = 0;
			for (; e && k < sizeof classes / sizeof classes[0]; k++)
				if (strlen(classes[k].name) == (size_t)(e - p - 2) &&
				    strncmp(classes[k].name, p + 2, (size_t)(e - p - 2)) == 0)
					break;
			if (!e || k == sizeof classes / sizeof classes[0]) {
				fprintf(stderr, "tr: invalid class in %s\n", str);
				return -1;
			}
			if (classes[k].is == isupper)
				s->upper_at = s->n;
			if (classes[k].is == islower)
				s->lower_at = s->n;
			for (int c = 0; c < 256; c++)
				if (classes[k].is(c))
					add(s, c);
			p = e + 2;
		} else if (p[0] == '[' && p[1] == '=' && p[2] && p[3] == '=' && p[4] == ']') {
			add(s, (unsigned char)p[2]);
			p += 5;
		} else if (p[0] == '[' && p[1] && strchr(p + 1, '*')) { /* [c*n], or a plain [ */
			const char *q = p + 1;
			int c = next_char(&q);
			if (*q != '*') {
				add(s, '[');
				p++;
				continue;
			}
			q++;
			char *end;
			long n = strtol(q, &end, *q == '0' ? 8 : 10);
			if (*end != ']') {
				fprintf(stderr, "tr: invalid repeat in %s\n", str);
				return -1;
			}
			if (end == q || n == 0)
				s->fill = s->n, add(s, c);
			else
				for (long i = 0; i < n; i++)
					add(s, c);
			p = end + 1;
		} else {
			int c = next_char(&p);
			if (p[0] == '-' && p[1]) {
				p++;
				int hi = next_char(&p);
				if (hi < c) {
					fprintf(stderr, "tr: range %c-%c in reverse order\n", c, hi);
					return -1;
				}
				for (int x = c; x <= hi; x++)
					add(s, x);
			} else
				add(s, c);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int cflag = 0, dflag = 0, sflag = 0, c;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "cCds")) != -1) {
		if (c == 'c' || c == 'C')
			cflag = 1;
		else if (c == 'd')
			dflag = 1;
		else if (c == 's')
			sflag = 1;
		else
			goto usage;
	}
	int nstr = argc - optind;
	if (nstr < 1 || nstr > 2 || (dflag && !sflag && nstr != 1) || (dflag && sflag && nstr != 2) ||
	    (!dflag && !sflag && nstr != 2))
		goto usage;
	static struct set s1, s2;
	if (expand(argv[optind], &s1) < 0 || (nstr == 2 && expand(argv[optind + 1], &s2) < 0))
		return 1;
	unsigned char in1[256] = { 0 }, squeeze[256] = { 0 };
	int map[256];
	for (int i = 0; i < s1.n; i++)
		in1[s1.c[i]] = 1;
	if (cflag) { /* the complement, in byte order */
		s1.n = 0, s1.upper_at = s1.lower_at = -1;
		for (int x = 0; x < 256; x++)
			if (!in1[x])
				add(&s1, x);
		for (int x = 0; x < 256; x++)
			in1[x] = !in1[x];
	}
	for (int x = 0; x < 256; x++)
		map[x] = x;
	int translate = !dflag && nstr == 2;
	if (translate) {
		if (s2.fill >= 0) { /* stretch [c*] so that s2 is as long as s1 */
			int extra = s1.n - s2.n;
			if (extra > 0) {
				memmove(s2.c + s2.fill + 1 + extra, s2.c + s2.fill + 1, (size_t)(s2.n - s2.fill - 1));
				memset(s2.c + s2.fill + 1, s2.c[s2.fill], (size_t)extra);
				s2.n += extra;
			}
		}
		if (s2.n == 0) {
			fprintf(stderr, "tr: empty STRING2\n");
			return 1;
		}
		for (int i = 0; i < s1.n; i++) {
			int j = i < s2.n ? i : s2.n - 1;
			/* [:upper:] against [:lower:] (and back) maps each letter to its case */
			if (s1.upper_at >= 0 && s2.lower_at >= 0 && i >= s1.upper_at && i < s1.upper_at + 26)
				map[s1.c[i]] = tolower(s1.c[i]);
			else if (s1.lower_at >= 0 && s2.upper_at >= 0 && i >= s1.lower_at && i < s1.lower_at + 26)
				map[s1.c[i]] = toupper(s1.c[i]);
			else
				map[s1.c[i]] = s2.c[j];
		}
	}
	const struct set *sq = nstr == 2 ? &s2 : &s1;
	if (sflag) {
		if (sq == &s1)
			memcpy(squeeze, in1, sizeof squeeze);
		else
			for (int i = 0; i < s2.n; i++)
				squeeze[s2.c[i]] = 1;
	}
	int last = -1;
	while ((c = getchar()) != EOF) {
		if (dflag && in1[c])
			continue;
		int out = map[c];
		if (sflag && squeeze[out] && out == last)
			continue;
		putchar(out);
		last = out;
	}
	if (ferror(stdin)) {
		util_perror("standard input");
		return 1;
	}
	if (fflush(stdout) == EOF) {
		util_perror("standard output");
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: tr [-cCds] STRING1 [STRING2]\n");
	return 2;
}
