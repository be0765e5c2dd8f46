#!/usr/bin/env bash
# posix-census.sh BUILD_DIR NEWLIB_DIR [--list] - which functions the POSIX headers
# declare and nothing defines.
#
# Compiles one C file that includes every POSIX.1-2017 header found in the
# libOS's headers (libos/include, which shadow newlib's) or newlib's, with the
# platform's flags (the Makefile's UPLATFORM, given in $CENSUS_CFLAGS), and
# lists with gcc's -aux-info every function those headers declare (declarations
# only: a header's static inline definitions need no library). A function is
# provided when BUILD_DIR/libos.a, newlib's libc.a or libm.a, or libgcc defines
# it (nm). Prints "census: D declared, U undefined" and then the undefined names,
# one a line, sorted; with --list only the names. Exits 0, or 1 when something
# cannot be built or read.
set -euo pipefail
BUILD=${1:?usage: posix-census.sh BUILD_DIR NEWLIB_DIR [--list]}
NEWLIB=${2:?usage: posix-census.sh BUILD_DIR NEWLIB_DIR [--list]}
LIST=${3:-}
: "${CENSUS_CFLAGS:?CENSUS_CFLAGS not set (run through make census)}"
CC=${CC:-gcc}
OUT=$BUILD/census
mkdir -p "$OUT"

# The headers of POSIX.1-2017 (XBD chapter 13), the ISO C ones included.
headers="aio.h arpa/inet.h assert.h complex.h cpio.h ctype.h dirent.h dlfcn.h errno.h
fcntl.h fenv.h float.h fmtmsg.h fnmatch.h ftw.h glob.h grp.h iconv.h inttypes.h
iso646.h langinfo.h libgen.h limits.h locale.h math.h monetary.h mqueue.h ndbm.h
net/if.h netdb.h netinet/in.h netinet/tcp.h nl_types.h poll.h pthread.h pwd.h
regex.h sched.h search.h semaphore.h setjmp.h signal.h spawn.h stdarg.h stdbool.h
stddef.h stdint.h stdio.h stdlib.h string.h strings.h stropts.h sys/ipc.h
sys/mman.h sys/msg.h sys/resource.h sys/select.h sys/sem.h sys/shm.h sys/socket.h
sys/stat.h sys/statvfs.h sys/time.h sys/times.h sys/types.h sys/uio.h sys/un.h
sys/utsname.h sys/wait.h syslog.h tar.h termios.h tgmath.h time.h trace.h
ulimit.h unistd.h utime.h utmpx.h wchar.h wctype.h wordexp.h"

src=$OUT/census.c
: >"$src"
dirs=(libos/include "$NEWLIB/include")
for h in $headers; do
	for d in "${dirs[@]}"; do
		if [ -f "$d/$h" ]; then
			echo "#include <$h>" >>"$src"
			break
		fi
	done
done

# -aux-info writes one line per declaration: /* FILE:LINE:XY */ DECLARATION;
# where Y is C for a declaration, F for a definition.
# shellcheck disable=SC2086
$CC $CENSUS_CFLAGS -std=gnu11 -aux-info "$OUT/aux.txt" -fsyntax-only "$src"
inc_re="^/\\* ($(realpath libos/include)|$(realpath "$NEWLIB/include")|libos/include|$NEWLIB/include)/"
grep -E "$inc_re" "$OUT/aux.txt" | grep -E '^/\* [^ ]*:[0-9]+:.C \*/' |
	sed -E 's@^/\*[^*]*\*/ *@@' | perl -ne 'print "$1\n" if /([A-Za-z_]\w*)\s*\(/' |
	sort -u >"$OUT/declared.txt"

# The symbol each name links to: a header may rename it (an asm label, such as
# <libgen.h>'s basename or <signal.h>'s sigpause): take every function's
# address and read the symbol from the assembly (the line after census_NAME:).
refs=$OUT/refs.c
{
	cat "$src"
	sed -E 's@.*@void *census_&[] = { (void *)&, 0 };@' "$OUT/declared.txt"
} >"$refs"
# shellcheck disable=SC2086
$CC $CENSUS_CFLAGS -std=gnu11 -w -O0 -S -o "$OUT/refs.s" "$refs"
awk '/^census_[A-Za-z0-9_]+:/ { name = substr($1, 8, length($1) - 8); next }
	name != "" && $1 == ".quad" { print name, $2; name = "" }' "$OUT/refs.s" | sort -k2 >"$OUT/symbols.txt"

libs=("$BUILD/libos.a" "$NEWLIB/lib/libc.a" "$NEWLIB/lib/libm.a" "$($CC -print-libgcc-file-name)")
for l in "${libs[@]}"; do [ -f "$l" ] || { echo "posix-census: no $l" >&2; exit 1; }; done
nm -g --defined-only "${libs[@]}" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[TWi]$/ { print $3 }' |
	sort -u >"$OUT/defined.txt"
join -1 2 -v 1 "$OUT/symbols.txt" "$OUT/defined.txt" | awk '{ print $2 }' | sort >"$OUT/undefined.txt"
[ "$(wc -l <"$OUT/symbols.txt")" -eq "$(wc -l <"$OUT/declared.txt")" ] ||
	{ echo "posix-census: could not find the symbol of every declared function ($OUT/refs.s)" >&2; exit 1; }

if [ "$LIST" != --list ]; then
	echo "census: $(wc -l <"$OUT/declared.txt") declared, $(wc -l <"$OUT/undefined.txt") undefined"
fi
cat "$OUT/undefined.txt"
