/* input.c: sed's input, the lines of each file in turn with one line read ahead
 * so that $ (the last line) is known (contracts in sed.h). */
#include "sed.h"
#include "../lib/util.h"
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

unsigned long input_lineno;
int input_status;

static char **paths;
static int npaths, next_path;
static const char *cur_path; /* the file being read, NULL between files */
static FILE *cur;

/* The line read ahead. */
static char *ahead;
static size_t ahead_cap;
static ssize_t ahead_len = -1; /* -1: none read ahead */
static int at_end;             /* every file has been read */

static char *stdin_only[] = { "-" };

void input_init(char **files, int nfiles)
{
	paths = nfiles ? files : stdin_only;
	npaths = nfiles ? nfiles : 1;
}

/* Read the next line of the input into the look-ahead, opening the next files as
 * needed. Returns 1, or 0 when the input is exhausted. */
static int read_ahead(void)
{
	if (ahead_len >= 0)
		return 1;
	while (!at_end) {
		if (!cur) {
			if (next_path == npaths) {
				at_end = 1;
				break;
			}
			cur_path = paths[next_path++];
			if (!(cur = util_open(cur_path))) {
				input_status = 2;
				continue;
			}
		}
		if ((ahead_len = getline(&ahead, &ahead_cap, cur)) >= 0)
			return 1;
		if (util_close(cur, cur_path))
			input_status = 2;
		cur = NULL;
	}
	return 0;
}

int input_next(struct buf *line, int append, int *chomped)
{
	if (!read_ahead())
		return 0;
	size_t n = (size_t)ahead_len;
	*chomped = n > 0 && ahead[n - 1] == '\n';
	if (append)
		buf_addc(line, '\n');
	else
		line->len = 0;
	buf_add(line, ahead, n - (size_t)*chomped);
	ahead_len = -1;
	input_lineno++;
	return 1;
}

int input_last(void)
{
	return !read_ahead();
}
