/* wordexp and wordfree: shell word expansion done by the shell itself. The
 * words, checked here for the characters POSIX refuses and (WRDE_NOCMD) for
 * command substitution, become the arguments of `printf '%s\0'` in /bin/sh
 * (through popen), whose output is the fields, NUL-separated. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <wordexp.h>

/* scan: WRDE_BADCHAR for an unquoted | & ; < > ( ) { } or newline outside a
 * $(...), WRDE_CMDSUB for a command substitution when nocmd, else 0. */
static int scan(const char *s, bool nocmd)
{
	bool dq = false;
	int depth = 0; /* inside $( ... ) */
	for (; *s; s++) {
		char c = *s;
		if (c == '\\' && s[1]) {
			s++;
		} else if (c == '\'' && !dq && !depth) {
			const char *end = strchr(s + 1, '\'');
			if (!end)
				return WRDE_SYNTAX;
			s = end;
		} else if (c == '"' && !depth) {
			dq = !dq;
		} else if (c == '`' && nocmd) {
			return WRDE_CMDSUB;
		} else if (c == '$' && s[1] == '(') {
			if (nocmd && s[2] != '(')
				return WRDE_CMDSUB;
			depth++, s++;
		} else if (depth && c == '(') {
			depth++;
		} else if (depth && c == ')') {
			depth--;
		} else if (!dq && !depth && strchr("|&;<>(){}\n", c)) {
			return WRDE_BADCHAR;
		}
	}
	return dq ? WRDE_SYNTAX : 0;
}

/* run: the shell's output for script into *out (malloc'd, *len bytes). Returns
 * its wait status, or -1 (popen or memory failed). */
static int run(const char *script, char **out, size_t *len)
{
	FILE *f = popen(script, "r");
	if (!f)
		return -1;
	size_t cap = 256, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int status = pclose(f);
	if (!buf)
		return -1;
	*out = buf, *len = n;
	return status;
}

/* wordexp: expand words as the shell would (tilde, parameters, command
 * substitution, arithmetic, field splitting, pathnames, quote removal) into
 * w->we_wordv (after what it held with WRDE_APPEND; we_offs NULL slots first
 * with WRDE_DOOFFS; WRDE_REUSE frees the last result first). WRDE_NOCMD refuses
 * command substitution, WRDE_UNDEF an unset variable, WRDE_SHOWERR lets the
 * shell's messages reach stderr. Returns 0, WRDE_BADCHAR, WRDE_CMDSUB,
 * WRDE_BADVAL (an unset variable with WRDE_UNDEF), WRDE_SYNTAX or WRDE_NOSPACE. */
int wordexp(const char *__restrict words, wordexp_t *__restrict w, int flags)
{
	if (flags & WRDE_REUSE)
		wordfree(w);
	if (!(flags & WRDE_APPEND)) {
		w->we_wordc = 0;
		w->we_wordv = NULL;
		if (!(flags & WRDE_DOOFFS))
			w->we_offs = 0;
	}
	int err = scan(words, flags & WRDE_NOCMD);
	if (err)
		return err;
	const char *head = flags & WRDE_SHOWERR ? "" : "exec 2>/dev/null\n";
	const char *undef = flags & WRDE_UNDEF ? "set -u\n" : "";
	size_t size = strlen(head) + strlen(undef) + strlen(words) + 32;
	char *script = malloc(size);
	if (!script)
		return WRDE_NOSPACE;
	/* x: a first argument, so that no words at all print nothing */
	snprintf(script, size, "%s%sprintf '%%s\\0' x %s\n", head, undef, words);
	char *out;
	size_t len;
	int status = run(script, &out, &len);
	if (status < 0) {
		free(script);
		return WRDE_NOSPACE;
	}
	if (status != 0) {
		free(out);
		err = WRDE_SYNTAX;
		if (flags & WRDE_UNDEF) { /* a syntax error, or an unset variable? */
			snprintf(script, size, "%sset -n\nprintf x %s\n", head, words);
			int syntax = run(script, &out, &len);
			if (syntax >= 0)
				free(out);
			if (syntax == 0)
				err = WRDE_BADVAL;
		}
		free(script);
		return err;
	}
	free(script);
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += out[i] == 0;
	size_t slots = w->we_offs + w->we_wordc + count + 1;
	char **v = realloc(w->we_wordv, slots * sizeof *v);
	if (!v) {
		free(out);
		return WRDE_NOSPACE;
	}
	if (!w->we_wordv)
		memset(v, 0, w->we_offs * sizeof *v);
	w->we_wordv = v;
	for (size_t i = 0, first = 1; i < len; i += strlen(out + i) + 1, first = 0) {
		if (first)
			continue; /* the x */
		char *word = strdup(out + i);
		if (!word) {
			free(out);
			return WRDE_NOSPACE;
		}
		v[w->we_offs + w->we_wordc++] = word;
		v[w->we_offs + w->we_wordc] = NULL;
	}
	v[w->we_offs + w->we_wordc] = NULL;
	free(out);
	return 0;
}

/* wordfree: free what wordexp allocated in w. */
void wordfree(wordexp_t *w)
{
	if (!w->we_wordv)
		return;
	for (size_t i = 0; i < w->we_wordc; i++)
		free(w->we_wordv[w->we_offs + i]);
	free(w->we_wordv);
	w->we_wordv = NULL;
	w->we_wordc = 0;
}
