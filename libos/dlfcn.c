/* dlopen and friends for static programs: there is no dynamic loader and no
 * shared object, so only the program itself can be "opened" (dlopen(NULL)), and
 * it exports no symbol table to search. */
#include <dlfcn.h>
#include <stdio.h>

static char message[160];
static int have_message;

static char self; /* the handle dlopen(NULL) gives */

static void *fail(const char *what, const char *name)
{
	snprintf(message, sizeof message, "%s%s%s: programs are static here (no dynamic loading)", what,
		 name ? " " : "", name ? name : "");
	have_message = 1;
	return NULL;
}

/* dlopen: file NULL gives a handle on the program; any file gives NULL, with
 * the reason for dlerror. */
void *dlopen(const char *file, int mode)
{
	(void)mode;
	return file ? fail("dlopen", file) : &self;
}

/* dlsym: NULL, with the reason for dlerror (no symbol can be looked up). */
void *dlsym(void *__restrict handle, const char *__restrict name)
{
	(void)handle;
	return fail("dlsym", name);
}

/* dlclose: 0 for the program's handle; non-zero (with a reason) for another. */
int dlclose(void *handle)
{
	if (handle == &self)
		return 0;
	fail("dlclose", "(not a handle dlopen gave)");
	return -1;
}

/* dlerror: the reason for the last failure since the last call, or NULL. */
char *dlerror(void)
{
	if (!have_message)
		return NULL;
	have_message = 0;
	return message;
}
