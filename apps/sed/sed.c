/* sed: a stream editor (POSIX.1-2017 sed, with GNU's common extensions).
 *   sed [-n] [-E] script [FILE...]
 *   sed [-n] [-E] [-e script]... [-f script_file]... [FILE...]
 *   -n  no automatic print of the pattern space (also a first script line "#n")
 *   -E  extended regular expressions (-r too, as GNU)
 *   -e  a piece of the script; -f  a file holding one ("-": standard input);
 *       the pieces are joined by newlines, in order
 * Commands: { } a b c d D g G h H i l n N p P q r s t w x y : = #, addresses
 * N, $, /re/, \cREc, ranges A1,A2 and !. Exit status: 0; q's status; 1 for a
 * usage or script error; 2 when an input file could not be read (the others are
 * still edited); 4 for an output error. */
#include "sed.h"
#include "../lib/util.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sed_nflag, sed_ere;

/* Append the contents of the script file path to script (exits 1 when it
 * cannot be read), without its final newline. */
static void add_script_file(struct buf *script, const char *path)
{
	FILE *f = util_open(path);
	if (!f)
		exit(1);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(script, chunk, n);
	if (util_close(f, path))
		exit(1);
	if (script->len && script->s[script->len - 1] == '\n')
		script->len--;
}

int main(int argc, char **argv)
{
	util_init("sed");
	struct buf script = { 0 };
	int c, pieces = 0;
	/* "+": options end at the first operand (POSIX; newlib's getopt otherwise
	 * permutes, and takes a later "-" operand for an option) */
	while ((c = getopt(argc, argv, "+nEre:f:")) != -1) {
		if (c == 'n')
			sed_nflag = 1;
		else if (c == 'E' || c == 'r')
			sed_ere = 1;
		else if (c == 'e' || c == 'f') {
			if (pieces++)
				buf_addc(&script, '\n');
			if (c == 'e')
				buf_add(&script, optarg, strlen(optarg));
			else
				add_script_file(&script, optarg);
		} else
			goto usage;
	}
	if (!pieces) {
		if (optind == argc)
			goto usage;
		buf_add(&script, argv[optind], strlen(argv[optind]));
		optind++;
	}
	buf_add(&script, "", 0);
	parse_script(script.s, script.len);
	input_init(argv + optind, argc - optind);
	int status = exec_script();
	int out_status = out_flush_all();
	return out_status ? out_status : status ? status : input_status;
usage:
	fprintf(stderr, "usage: sed [-nE] script [FILE...]\n"
			"       sed [-nE] [-e script]... [-f script_file]... [FILE...]\n");
	return 1;
}
