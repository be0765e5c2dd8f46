#!/usr/bin/env bash
# newlib.sh - build newlib 3.3.0 (Debian's newlib-source tarball) for
# x86_64-elf with the host gcc/binutils and install it into OUTDIR.
#
#   scripts/newlib.sh OUTDIR   build into OUTDIR (OUTDIR/x86_64-elf/{include,lib});
#                              a no-op if OUTDIR/.done exists. Log: OUTDIR.log
#   scripts/newlib.sh --key    print a 12-hex-digit cache key (hash of this recipe)
#
# The x86_64 longjmp(env, 0) bug of 3.3.0 is patched (setjmp then returns 1).
set -euo pipefail

TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
TOP=newlib-salsa                  # the tarball's top folder

if [ "${1:-}" = "--key" ]; then
    # The recipe is this script (which names the tarball); it does not depend on
    # whether the tarball is installed yet, so the key is stable on a fresh machine.
    sha256sum < "${BASH_SOURCE[0]}" | cut -c1-12
    exit 0
fi
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR | --key" >&2; exit 2; }

mkdir -p "$(dirname "$1")"
OUT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$OUT.work
LOG=$OUT.log

if [ -f "$OUT/.done" ]; then
    echo "newlib: cached at $OUT"
    exit 0
fi
[ -f "$TARBALL" ] || { echo "newlib: $TARBALL not found (run scripts/deps.sh)" >&2; exit 1; }

fail() {
    echo "newlib: FAILED: $*" >&2
    if [ -f "$LOG" ]; then echo "newlib: last 40 lines of $LOG:" >&2; tail -n 40 "$LOG" >&2; fi
    exit 1
}

rm -rf "$OUT" "$WORK"
mkdir -p "$WORK/bin" "$WORK/build"
: > "$LOG"

echo "newlib: unpacking $TARBALL"
tar -xJf "$TARBALL" -C "$WORK" || fail "unpack"
SRC=$WORK/$TOP
[ -f "$SRC/configure" ] || fail "no $TOP/configure in tarball"

# Patch: longjmp(env, 0) must make setjmp return 1 (val is an int: use esi/eax).
S=$SRC/newlib/libc/machine/x86_64/setjmp.S
sed -i 's|^  movq    rsi, rax        /\* Return value \*/$|  movl    esi, eax        /* Return value; 0 becomes 1 */\n  testl   eax, eax\n  jnz     1f\n  incl    eax\n1:|' "$S"
grep -q 'incl    eax' "$S" || fail "setjmp.S longjmp patch did not apply"

# Cross tool names for configure, all running the host tools.
GCCINC=$(gcc -print-file-name=include)
for t in gcc cc; do
    cat > "$WORK/bin/x86_64-elf-$t" <<WRAP
#!/bin/sh
exec gcc -nostdinc -isystem $GCCINC -U__linux__ -U__linux -Ulinux -U__gnu_linux__ \\
    -U__unix__ -U__unix -Uunix -fno-pie -fno-stack-protector -mno-red-zone \\
    -Wa,--noexecstack "\$@"
WRAP
done
for t in ar as ld nm ranlib objcopy objdump readelf strip; do
    printf '#!/bin/sh\nexec %s "$@"\n' "$t" > "$WORK/bin/x86_64-elf-$t"
done
chmod +x "$WORK/bin"/*
export PATH=$WORK/bin:$PATH

echo "newlib: configuring (log: $LOG)"
cd "$WORK/build"
"$SRC/configure" --target=x86_64-elf --prefix="$OUT" --disable-multilib \
    --enable-newlib-io-long-long --enable-newlib-io-c99-formats \
    --enable-newlib-io-long-double --enable-newlib-retargetable-locking \
    --disable-nls MAKEINFO=true CFLAGS_FOR_TARGET="-O2 -D__DYNAMIC_REENT__" >> "$LOG" 2>&1 || fail "configure"

echo "newlib: building (about 1 minute)"
make -j"$(nproc)" all-target-newlib >> "$LOG" 2>&1 || fail "make all-target-newlib"
make install-target-newlib >> "$LOG" 2>&1 || fail "make install-target-newlib"

LIB=$OUT/x86_64-elf/lib
# newlib builds libc/posix only for some hosts (configure.host's posix_dir), not for
# x86_64-elf: its regular expressions (regcomp, regexec, regerror, regfree: Henry
# Spencer's, BSD's) and fnmatch, with the collation helpers they use, are compiled
# here as that folder's Makefile would (-D_GNU_SOURCE, the folder on the include
# path) and added to libc.a. The rest of libc/posix is the libOS's job.
echo "newlib: adding libc/posix's regex and fnmatch"
POSIX_SRC=$SRC/newlib/libc/posix
for f in regcomp regerror regexec regfree fnmatch collate collcmp; do
    x86_64-elf-gcc -O2 -D__DYNAMIC_REENT__ -D_GNU_SOURCE -I"$POSIX_SRC" -I"$OUT/x86_64-elf/include" \
        -c "$POSIX_SRC/$f.c" -o "$WORK/build/posix-$f.o" >> "$LOG" 2>&1 || fail "compile libc/posix/$f.c"
done
ar rcs "$LIB/libc.a" "$WORK/build"/posix-*.o || fail "ar libc/posix objects"
for f in "$LIB/libc.a" "$LIB/libm.a" "$OUT/x86_64-elf/include/stdio.h"; do
    [ -f "$f" ] || fail "$f not installed"
done

# Sanity: built with MISSING_SYSCALL_NAMES (calls plain write) and not glibc.
syms=$(nm "$LIB/libc.a" 2>/dev/null)
grep -qE '^ +U write$' <<< "$syms" || fail "libc.a has no undefined 'write'"
grep -qE ' T regcomp$' <<< "$syms" || fail "libc.a has no regcomp"
if grep -qE ' [^U] __libc_start_main$' <<< "$syms"; then fail "libc.a defines __libc_start_main"; fi

cd "$OUT"
rm -rf "$WORK"
touch "$OUT/.done"
echo "newlib: done, installed in $OUT"
