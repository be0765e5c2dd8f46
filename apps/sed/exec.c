/* exec.c: running sed's script over the input (contract in sed.h): a cycle per
 * line, the addresses and ranges that select commands, the commands but s.
 * n and N at the end of the input quit after the automatic print (GNU's
 * behaviour; POSIX has N quit without printing). */
#include "sed.h"
#include <stdlib.h>
#include <string.h>

static struct buf ps, hs;      /* the pattern space and the hold space */
static int chomped;            /* the pattern space's last line ended with a newline */
static int quit_status;        /* q's exit status */

/* Whether address a matches the current line. */
static int match_addr(const struct addr *a)
{
	switch (a->type) {
	case A_LINE:
		return input_lineno == a->line;
	case A_LAST:
		return input_last();
	case A_RE:
		return rx_match(a->re, ps.s, ps.len, 0, NULL, 0);
	default:
		return 1;
	}
}

/* Whether c applies to the current line, updating its range: a range opens on
 * a line addr1 matches and closes on the next line addr2 matches (a line number
 * addr2 closes it on that line, or at once when it is not after the first line). */
static int selected(struct cmd *c)
{
	int on;
	if (c->a2.type == A_NONE)
		on = match_addr(&c->a1);
	else if (c->active) {
		on = 1;
		if (c->a2.type == A_LINE) {
			on = input_lineno <= c->a2.line;
			c->active = input_lineno < c->a2.line;
		} else if (match_addr(&c->a2))
			c->active = 0;
	} else if ((on = match_addr(&c->a1)))
		c->active = c->a2.type != A_LINE || c->a2.line > input_lineno;
	return on != c->neg;
}

/* The automatic print at the end of a cycle (unless -n). */
static void autoprint(void)
{
	if (!sed_nflag)
		out_write(&out_stdout, ps.s, ps.len, chomped);
}

/* Read the next line into the pattern space (appended after a newline when
 * append), writing the queued text first. Returns 1, or 0 at the end of the input. */
static int next_line(int append)
{
	out_flush_queue();
	return input_next(&ps, append, &chomped);
}

/* What a command leaves the cycle to do: go on with the next command, start the
 * next cycle without the automatic print (d), start it again on what is left of
 * the pattern space (D), or print and quit (q). */
enum flow { GO_ON, NEW_CYCLE, RESTART, QUIT };

/* Run the command c, which is selected; *pc is its index, moved by a jump.
 * *replaced is t's flag. Returns what the cycle does next. */
static enum flow run(struct cmd *c, size_t *pc, int *replaced)
{
	char *nl;
	struct buf t;
	switch (c->name) {
	case '{': case '}': case ':':
		break;
	case '=': {
		char num[24];
		out_write(&out_stdout, num, (size_t)snprintf(num, sizeof num, "%lu", input_lineno), 1);
		break;
	}
	case 'a':
		out_queue_text(c->text, c->textlen);
		break;
	case 'b':
		*pc = c->jump;
		return GO_ON;
	case 'c':
		if (c->a2.type == A_NONE || !c->active)
			out_write(&out_stdout, c->text, c->textlen, 1);
		return NEW_CYCLE;
	case 'd':
		return NEW_CYCLE;
	case 'D':
		if (!(nl = memchr(ps.s, '\n', ps.len)))
			return NEW_CYCLE;
		buf_set(&ps, nl + 1, ps.len - (size_t)(nl + 1 - ps.s));
		return RESTART;
	case 'g':
		buf_set(&ps, hs.s, hs.len);
		break;
	case 'G':
		buf_addc(&ps, '\n');
		buf_add(&ps, hs.s, hs.len);
		break;
	case 'h':
		buf_set(&hs, ps.s, ps.len);
		break;
	case 'H':
		buf_addc(&hs, '\n');
		buf_add(&hs, ps.s, ps.len);
		break;
	case 'i':
		out_write(&out_stdout, c->text, c->textlen, 1);
		break;
	case 'l':
		out_list(ps.s, ps.len);
		break;
	case 'n':
		if (input_last())
			return QUIT;
		autoprint();
		next_line(0);
		*replaced = 0;
		break;
	case 'N':
		if (input_last())
			return QUIT;
		next_line(1);
		*replaced = 0;
		break;
	case 'p':
		out_write(&out_stdout, ps.s, ps.len, chomped);
		break;
	case 'P':
		nl = memchr(ps.s, '\n', ps.len);
		out_write(&out_stdout, ps.s, nl ? (size_t)(nl - ps.s) : ps.len, nl || chomped);
		break;
	case 'q':
		quit_status = c->status;
		return QUIT;
	case 'r':
		out_queue_file(c->text);
		break;
	case 's':
		if (subst(c, &ps)) {
			*replaced = 1;
			if (c->print)
				out_write(&out_stdout, ps.s, ps.len, chomped);
			if (c->out)
				out_write(c->out, ps.s, ps.len, chomped);
		}
		break;
	case 't':
		if (*replaced) {
			*replaced = 0;
			*pc = c->jump;
			return GO_ON;
		}
		break;
	case 'w':
		out_write(c->out, ps.s, ps.len, chomped);
		break;
	case 'x':
		t = ps, ps = hs, hs = t;
		break;
	case 'y':
		for (size_t i = 0; i < ps.len; i++)
			ps.s[i] = (char)c->map[(unsigned char)ps.s[i]];
		break;
	}
	++*pc;
	return GO_ON;
}

int exec_script(void)
{
	buf_add(&hs, "", 0);
	int have = next_line(0);
	while (have) {
		int replaced = 0;
		enum flow f;
	restart:
		f = GO_ON;
		for (size_t pc = 0; pc < sed_ncmds && f == GO_ON;) {
			struct cmd *c = &sed_cmds[pc];
			if (!selected(c))
				pc = c->name == '{' ? c->jump : pc + 1;
			else
				f = run(c, &pc, &replaced);
		}
		if (f == GO_ON || f == QUIT)
			autoprint();
		if (f == QUIT) {
			out_flush_queue();
			return quit_status;
		}
		if (f == RESTART) {
			out_flush_queue();
			goto restart;
		}
		have = next_line(0);
	}
	return 0;
}
