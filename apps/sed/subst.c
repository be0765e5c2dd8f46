/* subst.c: the s command (contract in sed.h): the Nth match and, with g, every
 * later one replaced; an empty match right after a match is not one (GNU and
 * POSIX awk agree: s/x*\/-/g on "abc" gives "-a-b-c-"). */
#include "sed.h"
#include <stdlib.h>

/* Append c's replacement for the match m (of s) to out: & is the match, \1-\9
 * its subexpressions (empty when they did not take part), \c is c. */
static void add_replacement(const struct cmd *c, const char *s, const regmatch_t *m, struct buf *out)
{
	for (size_t i = 0; i < c->repllen; i++) {
		char ch = c->repl[i];
		int ref = -1;
		if (ch == '&')
			ref = 0;
		else if (ch == '\\' && i + 1 < c->repllen) {
			ch = c->repl[++i];
			if (ch >= '0' && ch <= '9')
				ref = ch - '0';
		}
		if (ref < 0)
			buf_addc(out, ch);
		else if (m[ref].rm_so >= 0)
			buf_add(out, s + m[ref].rm_so, (size_t)(m[ref].rm_eo - m[ref].rm_so));
	}
}

int subst(struct cmd *c, struct buf *ps)
{
	static struct buf out;
	regmatch_t m[10];
	size_t at = 0, prev_end = (size_t)-1;
	unsigned long count = 0;
	int done = 0;
	out.len = 0;
	while (at <= ps->len && rx_match(c->re, ps->s, ps->len, at, m, 10)) {
		size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
		if (so == eo && so == prev_end) {
			/* empty, right after the previous match: not a match; step over a byte */
			if (so == ps->len)
				break;
			buf_add(&out, ps->s + at, so + 1 - at);
			at = so + 1;
			continue;
		}
		buf_add(&out, ps->s + at, so - at);
		if (++count >= c->nth) {
			add_replacement(c, ps->s, m, &out);
			done = 1;
		} else
			buf_add(&out, ps->s + so, eo - so);
		at = prev_end = eo;
		if (done && !c->global)
			break;
		if (so == eo) {
			if (so == ps->len)
				break;
			buf_addc(&out, ps->s[so]);
			at = so + 1;
		}
	}
	if (!done)
		return 0;
	buf_add(&out, ps->s + at, ps->len - at);
	struct buf t = *ps;
	*ps = out;
	out = t;
	return 1;
}
