#!/usr/bin/env bash
# check-no-glibc.sh PROGRAM BUILD_DIR - fail loudly if a user program was built
# with anything from the host C library: a header from /usr/include in its objects'
# dependency files, or an archive from the host's lib folders in its link map.
set -euo pipefail
prog=$1
build=$2
map=$prog.map
if grep -E '(/usr/lib/x86_64-linux-gnu/|/lib/x86_64-linux-gnu/|/usr/lib/gcc/x86_64-linux-gnu/[0-9]+/crt)' "$map" \
    | grep -v -F "$(gcc -print-libgcc-file-name)" | grep -q .; then
    echo "check-no-glibc: $prog links host (glibc) objects:" >&2
    grep -E '/usr/lib/x86_64-linux-gnu/|/lib/x86_64-linux-gnu/' "$map" | head -5 >&2
    exit 1
fi
if find "$build/u" -name '*.d' -print0 | xargs -0 grep -l '^ */usr/include/\| /usr/include/' 2>/dev/null | grep -q .; then
    echo "check-no-glibc: objects for $prog were compiled with host (glibc) headers:" >&2
    find "$build/u" -name '*.d' -print0 | xargs -0 grep -l '/usr/include/' | head -5 >&2
    exit 1
fi
