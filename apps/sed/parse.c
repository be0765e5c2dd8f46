/* parse.c: sed's script, parsed into the array of commands exec.c runs
 * (contract in sed.h). POSIX's grammar with GNU's common extensions: one-line
 * a/i/c text, ; after labels, the I flag of s, q EXIT, \n and \t in regular
 * expressions and replacements. */
#include "sed.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct cmd *sed_cmds;
size_t sed_ncmds;

/* The script and the parser's position in it. */
static const char *src;
static size_t srclen, pos;

/* Report a syntax error at the current position and exit 1. */
static _Noreturn void syntax(const char *what)
{
	die(1, "-e expression, char %zu: %s", pos, what);
}

/* The byte at the position, or -1 at the end of the script. */
static int peek(void)
{
	return pos < srclen ? (unsigned char)src[pos] : -1;
}

/* Skip spaces and tabs. */
static void skip_blanks(void)
{
	while (peek() == ' ' || peek() == '\t')
		pos++;
}

/* Read up to the delimiter delim into out (NUL-terminated), as the part of a
 * regular expression (repl 0) or of a replacement (repl 1) or a y string (repl
 * 2): \delim is delim, \n a newline, \t a tab; in a replacement a backslash and a
 * newline is a newline; in a y string \\ is a backslash. A replacement keeps
 * every other escape as it is (& and \1-\9 are references at run time); so
 * does a regular expression. Exits 1 when the delimiter is missing. */
static void read_delimited(int delim, struct buf *out, int repl)
{
	out->len = 0;
	buf_add(out, "", 0);
	for (;;) {
		int c = peek();
		if (c < 0 || c == '\n')
			syntax(repl == 2 ? "unterminated `y' command" : repl ? "unterminated `s' command"
									  : "unterminated regular expression");
		pos++;
		if (c == delim)
			return;
		if (c != '\\') {
			buf_addc(out, (char)c);
			continue;
		}
		int d = peek();
		if (d < 0)
			continue;
		pos++;
		if (d == delim && !(repl == 1 && d == '&'))
			buf_addc(out, (char)d);
		else if (d == 'n')
			buf_addc(out, '\n');
		else if (d == 't')
			buf_addc(out, '\t');
		else if (d == '\n' && repl == 1)
			buf_addc(out, '\n');
		else if (d == '\\' && repl == 2)
			buf_addc(out, '\\');
		else {
			buf_addc(out, '\\');
			buf_addc(out, (char)d);
		}
	}
}

/* Parse one address at the position into a. Returns 1, or 0 when there is none. */
static int parse_addr(struct addr *a)
{
	int c = peek();
	if (isdigit(c)) {
		char *end;
		a->type = A_LINE;
		a->line = strtoul(src + pos, &end, 10);
		pos = (size_t)(end - src);
		if (a->line == 0)
			syntax("invalid usage of line address 0");
		return 1;
	}
	if (c == '$') {
		pos++;
		a->type = A_LAST;
		return 1;
	}
	if (c == '/' || c == '\\') {
		pos++;
		if (c == '\\') {
			c = peek();
			if (c < 0 || c == '\n' || c == '\\')
				syntax("unexpected end of address");
			pos++;
		}
		struct buf pat = { 0 };
		read_delimited(c, &pat, 0);
		int icase = peek() == 'I';
		pos += (size_t)icase;
		a->type = A_RE;
		a->re = rx_compile(pat.s, icase);
		free(pat.s);
		return 1;
	}
	return 0;
}

/* Read a label or file name: from the first non-blank to the end of the line
 * (also to a ; for a label), trailing blanks dropped. Returns a new string. */
static char *read_name(int is_label)
{
	skip_blanks();
	size_t start = pos;
	while (peek() >= 0 && peek() != '\n' && !(is_label && peek() == ';'))
		pos++;
	size_t end = pos;
	while (end > start && (src[end - 1] == ' ' || src[end - 1] == '\t'))
		end--;
	return strndup(src + start, end - start);
}

/* Read the text of a, i or c into c->text: "a\" and a newline then the lines,
 * or (GNU) the rest of the line after "a" and blanks, or after "a\". A backslash
 * and a newline continue the text on the next line; a backslash and any other
 * byte is that byte. */
static void read_text(struct cmd *c)
{
	skip_blanks();
	if (peek() == '\\') {
		pos++;
		if (peek() == '\n')
			pos++;
	} else if (peek() < 0 || peek() == '\n')
		syntax("expected \\ after `a', `c' or `i'");
	struct buf t = { 0 };
	buf_add(&t, "", 0);
	while (peek() >= 0 && peek() != '\n') {
		if (peek() == '\\' && ++pos == srclen)
			break;
		buf_addc(&t, src[pos++]);
	}
	c->text = t.s;
	c->textlen = t.len;
}

/* Parse the rest of an s command (after the s) into c. */
static void parse_s(struct cmd *c)
{
	int delim = peek();
	if (delim < 0 || delim == '\n' || delim == '\\')
		syntax("unterminated `s' command");
	pos++;
	struct buf pat = { 0 }, repl = { 0 };
	read_delimited(delim, &pat, 0);
	read_delimited(delim, &repl, 1);
	c->nth = 1;
	int icase = 0, have_n = 0;
	for (;;) {
		int f = peek();
		if (f == 'g')
			c->global = 1, pos++;
		else if (f == 'p')
			c->print = 1, pos++;
		else if (f == 'I' || f == 'i')
			icase = 1, pos++;
		else if (isdigit(f) && !have_n) {
			char *end;
			c->nth = strtoul(src + pos, &end, 10);
			pos = (size_t)(end - src);
			if (c->nth == 0)
				syntax("number option to `s' command may not be zero");
			have_n = 1;
		} else if (f == 'w') {
			pos++;
			char *path = read_name(0);
			if (!*path)
				syntax("missing filename in r/R/w/W commands");
			c->out = out_open(path);
			free(path);
			break;
		} else
			break;
	}
	c->re = rx_compile(pat.s, icase);
	for (size_t i = 0; i + 1 < repl.len; i++)
		if (repl.s[i] == '\\' && isdigit((unsigned char)repl.s[++i]) &&
		    (size_t)(repl.s[i] - '0') > rx_nsub(c->re))
			syntax("invalid reference on `s' command's RHS");
	free(pat.s);
	c->repl = repl.s;
	c->repllen = repl.len;
}

/* Parse the rest of a y command (after the y) into c. */
static void parse_y(struct cmd *c)
{
	int delim = peek();
	if (delim < 0 || delim == '\n' || delim == '\\')
		syntax("unterminated `y' command");
	pos++;
	struct buf from = { 0 }, to = { 0 };
	read_delimited(delim, &from, 2);
	read_delimited(delim, &to, 2);
	if (from.len != to.len)
		syntax("strings for `y' command are different lengths");
	c->map = xrealloc(NULL, 256);
	for (int i = 0; i < 256; i++)
		c->map[i] = (unsigned char)i;
	for (size_t i = 0; i < from.len; i++)
		c->map[(unsigned char)from.s[i]] = (unsigned char)to.s[i];
	free(from.s);
	free(to.s);
}

/* After a command: blanks, then a ; or newline (skipped), a } or # (left for
 * the next command) or the end; anything else is an error. */
static void end_of_command(void)
{
	skip_blanks();
	int c = peek();
	if (c == ';' || c == '\n')
		pos++;
	else if (c >= 0 && c != '}' && c != '#')
		syntax("extra characters after command");
}

/* Parse the command letter at the position and its arguments into c; blocks
 * holds the indexes of the open {s (*nblocks of them). */
static void parse_command(struct cmd *c, size_t *blocks, size_t *nblocks)
{
	int naddr = c->a2.type != A_NONE ? 2 : c->a1.type != A_NONE;
	int name = peek();
	if (name < 0)
		syntax("missing command");
	pos++;
	c->name = (char)name;
	switch (name) {
	case '{':
		blocks[(*nblocks)++] = sed_ncmds;
		return; /* a command may follow on the same line */
	case '}':
		if (naddr || c->neg)
			syntax("} doesn't want any addresses");
		if (!*nblocks)
			syntax("unexpected `}'");
		sed_cmds[blocks[--*nblocks]].jump = sed_ncmds + 1;
		break;
	case ':':
		if (naddr)
			syntax(": doesn't want any addresses");
		c->text = read_name(1);
		if (!*c->text)
			syntax("\":\" lacks a label");
		break;
	case 'a': case 'i': case 'c':
		read_text(c);
		break;
	case 'b': case 't':
		c->text = read_name(1);
		break;
	case 'r':
		c->text = read_name(0);
		if (!*c->text)
			syntax("missing filename in r/R/w/W commands");
		break;
	case 'w':
		c->text = read_name(0);
		if (!*c->text)
			syntax("missing filename in r/R/w/W commands");
		c->out = out_open(c->text);
		break;
	case 'q':
		if (naddr > 1)
			syntax("command only uses one address");
		skip_blanks();
		while (isdigit(peek()))
			c->status = c->status * 10 + (src[pos++] - '0');
		break;
	case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H':
	case 'l': case 'n': case 'N': case 'p': case 'P': case 'x':
		break;
	case 's':
		parse_s(c);
		break;
	case 'y':
		parse_y(c);
		break;
	default:
		pos--;
		syntax("unknown command");
	}
	end_of_command();
}

/* Point every b and t at its label's index (no label: the end). Exits 1 when a
 * label is missing or defined twice. */
static void resolve_labels(void)
{
	for (size_t i = 0; i < sed_ncmds; i++) {
		struct cmd *c = &sed_cmds[i];
		if (c->name == ':')
			for (size_t j = i + 1; j < sed_ncmds; j++)
				if (sed_cmds[j].name == ':' && strcmp(sed_cmds[j].text, c->text) == 0)
					die(1, "-e expression: duplicate label `%s'", c->text);
		if (c->name != 'b' && c->name != 't')
			continue;
		c->jump = sed_ncmds;
		if (!*c->text)
			continue;
		size_t j = 0;
		while (j < sed_ncmds && !(sed_cmds[j].name == ':' && strcmp(sed_cmds[j].text, c->text) == 0))
			j++;
		if (j == sed_ncmds)
			die(1, "-e expression: can't find label for jump to `%s'", c->text);
		c->jump = j;
	}
}

void parse_script(const char *text, size_t len)
{
	src = text, srclen = len, pos = 0;
	size_t *blocks = xrealloc(NULL, (len + 1) * sizeof *blocks), nblocks = 0;
	if (len >= 2 && text[0] == '#' && text[1] == 'n' && (len == 2 || text[2] == '\n'))
		sed_nflag = 1;
	for (;;) {
		while (isspace(peek()) || peek() == ';')
			pos++;
		if (peek() < 0)
			break;
		if (peek() == '#') {
			while (peek() >= 0 && peek() != '\n')
				pos++;
			continue;
		}
		sed_cmds = xrealloc(sed_cmds, (sed_ncmds + 1) * sizeof *sed_cmds);
		struct cmd *c = &sed_cmds[sed_ncmds];
		memset(c, 0, sizeof *c);
		if (parse_addr(&c->a1)) {
			skip_blanks();
			if (peek() == ',') {
				pos++;
				skip_blanks();
				if (!parse_addr(&c->a2))
					syntax("unexpected `,'");
			}
		}
		skip_blanks();
		while (peek() == '!') {
			c->neg = 1, pos++;
			skip_blanks();
		}
		parse_command(c, blocks, &nblocks);
		sed_ncmds++;
	}
	if (nblocks)
		syntax("unmatched `{'");
	free(blocks);
	resolve_labels();
}
