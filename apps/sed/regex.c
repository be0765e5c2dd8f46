/* regex.c: sed's regular expressions: newlib's regcomp/regexec, the empty
 * regular expression standing for the last one used (contracts in sed.h). */
#include "sed.h"
#include <stdlib.h>

/* The regular expression used last (for an empty one). */
static regex_t *last_re;

regex_t *rx_compile(const char *pat, int icase)
{
	if (!*pat)
		return NULL;
	regex_t *re = xrealloc(NULL, sizeof *re);
	int r = regcomp(re, pat, (sed_ere ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0));
	if (r) {
		char msg[128];
		regerror(r, re, msg, sizeof msg);
		die(1, "-e expression: %s: %s", pat, msg);
	}
	return re;
}

int rx_match(regex_t *re, const char *s, size_t len, size_t start, regmatch_t *m, size_t nm)
{
	if (!re)
		re = last_re;
	if (!re)
		die(1, "no previous regular expression");
	last_re = re;
	regmatch_t whole[1];
	if (!nm)
		m = whole, nm = 1;
	m[0].rm_so = (regoff_t)start;
	m[0].rm_eo = (regoff_t)len;
	return regexec(re, s, nm, m, REG_STARTEND | (start ? REG_NOTBOL : 0)) == 0;
}

size_t rx_nsub(const regex_t *re)
{
	return re ? re->re_nsub : 9;
}
