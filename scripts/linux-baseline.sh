#!/usr/bin/env bash
# linux-baseline.sh - run a benchmark program on Linux in QEMU, as the baseline for
# the exokernel's figures.
#
#   scripts/linux-baseline.sh BUILD_DIR PROGRAM.c [MODE]
#
#   BUILD_DIR   work folder; everything goes to BUILD_DIR/linux/
#   PROGRAM.c   the benchmark (e.g. apps/forkbench/forkbench.c); its main() is run once
#               and its lines that start with "NAME," are its data (NAME: the
#               environment's LINUX_BASELINE_TAG, default forkbench)
#   MODE        icount (default): QEMU -icount shift=0,sleep=off, where rdtsc counts
#               guest instructions (deterministic clock); wall: plain TCG, rdtsc is
#               host time
#
# Steps:
#  1. Debian 12's cloud kernel: `apt-get download linux-image-6.1.0-*-cloud-amd64`
#     (the package the linux-image-cloud-amd64 meta-package names), `dpkg -x`, keep
#     its boot/ and copy boot/vmlinuz-* to BUILD_DIR/linux/vmlinuz. Nothing is
#     installed. Skipped when BUILD_DIR/linux/vmlinuz exists (delete it to refetch).
#  2. PROGRAM.c is compiled with -Dmain=bench_main and linked statically (glibc) with
#     scripts/bench-linux-init.c, which runs it in a child process and powers the
#     machine off afterwards. That binary is /init of BUILD_DIR/linux/initrd.cpio,
#     with /true beside it and, if $LINUX_BASELINE_ROOT names a folder, every file
#     under it at its path (scripts/linux-ports.sh lays out the ports so).
#  3. QEMU (TCG, -cpu max -m $LINUX_BASELINE_MEM, default 3G: the same CPU model and
#     memory as the exokernel benchmark) boots it, with a timeout of
#     $LINUX_BASELINE_TIMEOUT s (default 1800).
#     Serial log: BUILD_DIR/linux/bench.log. $LINUX_BASELINE_ARGS, if set, are the
#     benchmark's arguments (after -- on the kernel's command line, so init's).
#     $LINUX_BASELINE_THP, if set (always, madvise or never), is the kernel's
#     transparent_hugepage= setting; unset, the kernel's own default stands. The
#     machine's description /init prints (kernel release, THP setting, CPU model
#     and flags) goes to stderr and, if $LINUX_BASELINE_INFO names a file, there.
#
# Output: the benchmark's "NAME,..." lines on stdout (no \r); progress messages
# ("linux-baseline: ...") on stderr, so `... > linux.csv` captures only the data.
# Exit status: 0 if at least one NAME line came out and the benchmark exited 0;
# 1 otherwise (QEMU timeout, no line, benchmark failure); 2 on bad usage.
set -euo pipefail

say() { echo "linux-baseline: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }
usage() { echo "usage: $0 BUILD_DIR PROGRAM.c [icount|wall]" >&2; exit 2; }

if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
BUILD=$1
PROG=$2
MODE=${3:-icount}
case $MODE in icount|wall) ;; *) usage ;; esac
[ -f "$PROG" ] || die "no such program: $PROG"
NAME=${LINUX_BASELINE_TAG:-forkbench}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$BUILD/linux"
OUT=$(cd "$BUILD/linux" && pwd)
TIMEOUT=${LINUX_BASELINE_TIMEOUT:-1800}

# --- 1. host packages and the Linux kernel ---------------------------------------
# Host tools: cpio for the initramfs, QEMU, and gcc with glibc's static libc.a.
missing=""
for p in cpio qemu-system-x86 gcc libc6-dev; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        say "installing$missing"
        apt-get update -qq >&2
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
    else
        die "missing packages:$missing (run: sudo apt-get install -y$missing)"
    fi
fi

# The versioned kernel package the meta-package currently depends on,
# e.g. linux-image-6.1.0-56-cloud-amd64 (empty if the apt cache does not know it).
kernel_package() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\.0-.*-cloud-amd64$/ { print $2; exit }'
}

apt_update() {
    [ "$(id -u)" -eq 0 ] || die "the apt cache is stale or lacks the cloud kernel; run: sudo apt-get update"
    say "apt-get update"
    apt-get update -qq >&2
}

fetch_kernel() {
    local pkg tmp deb
    pkg=$(kernel_package)
    if [ -z "$pkg" ]; then
        apt_update
        pkg=$(kernel_package)
        [ -n "$pkg" ] || die "apt-cache knows no linux-image-6.1.0-*-cloud-amd64 package"
    fi
    tmp=$OUT/pkg
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # apt-get download drops privileges to _apt as root: let it write here.
    chmod 777 "$tmp"
    say "downloading $pkg (apt-get download, not installed)"
    if ! (cd "$tmp" && apt-get download -q "$pkg" >&2); then
        # The cache may name a version the archive no longer has.
        apt_update
        pkg=$(kernel_package)
        (cd "$tmp" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg"
    fi
    deb=$(ls "$tmp"/*.deb)
    echo "$pkg $(dpkg-deb -f "$deb" Version)" > "$OUT/kernel.txt"
    say "unpacking $(basename "$deb") (dpkg -x) into $tmp"
    dpkg -x "$deb" "$tmp/root"
    rm -rf "${OUT:?}/boot"
    mv "$tmp/root/boot" "$OUT/boot"
    # Only the kernel image is needed: drop the modules (a few hundred MiB).
    rm -rf "$tmp"
    set -- "$OUT"/boot/vmlinuz-*
    [ -f "$1" ] || die "no boot/vmlinuz-* in $pkg"
    cp "$1" "$OUT/vmlinuz.tmp"
    chmod 644 "$OUT/vmlinuz.tmp"
    mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
    say "kernel: $OUT/vmlinuz (from $pkg)"
}

if [ -f "$OUT/vmlinuz" ]; then
    say "kernel: $OUT/vmlinuz (cached$( [ -f "$OUT/kernel.txt" ] && echo ": $(cut -d' ' -f1 "$OUT/kernel.txt")"))"
else
    # The package's deb is fetched to BUILD_DIR/linux/pkg and removed afterwards.
    rm -f "$OUT/kernel.txt"
    fetch_kernel
fi

# --- 2. /init and the initramfs ---------------------------------------------------
# Extra compiler flags for the benchmark (e.g. -DRUNS=5) can come in $BENCH_CFLAGS.
CFLAGS="-O2 -Wall ${BENCH_CFLAGS:-}"
say "building $PROG as a static glibc /init (gcc $CFLAGS -static)"
# shellcheck disable=SC2086
gcc $CFLAGS -c -o "$OUT/init-wrapper.o" "$HERE/bench-linux-init.c"
# shellcheck disable=SC2086
gcc $CFLAGS -Dmain=bench_main -c -o "$OUT/bench.o" "$PROG"
rm -rf "$OUT/rootfs"
mkdir -p "$OUT/rootfs"
gcc -static -o "$OUT/rootfs/init" "$OUT/init-wrapper.o" "$OUT/bench.o"
# /true: the program the benchmark spawns (its exokernel twin is /bin/true).
printf 'int main(void) { return 0; }\n' > "$OUT/true.c"
gcc -O2 -static -o "$OUT/rootfs/true" "$OUT/true.c"
if [ -n "${LINUX_BASELINE_ROOT:-}" ]; then
    say "adding $LINUX_BASELINE_ROOT to the initramfs"
    cp -a "$LINUX_BASELINE_ROOT/." "$OUT/rootfs/"
fi
(cd "$OUT/rootfs" && find . -print0 | cpio --null -o -H newc --owner=0:0 --quiet) > "$OUT/initrd.cpio.tmp"
mv "$OUT/initrd.cpio.tmp" "$OUT/initrd.cpio"
say "initramfs: $OUT/initrd.cpio ($(stat -c %s "$OUT/initrd.cpio") bytes, cpio newc)"

# --- 3. QEMU ----------------------------------------------------------------------
LOG=$OUT/bench.log
QEMU_ARGS=(-accel tcg -cpu max -m "${LINUX_BASELINE_MEM:-3G}" -display none -monitor none
    -serial "file:$LOG" -no-reboot
    -kernel "$OUT/vmlinuz" -initrd "$OUT/initrd.cpio"
    -append "console=ttyS0 quiet panic=-1${LINUX_BASELINE_THP:+ transparent_hugepage=$LINUX_BASELINE_THP}${LINUX_BASELINE_ARGS:+ -- $LINUX_BASELINE_ARGS}")
# shellcheck disable=SC2054  # the comma belongs to QEMU's option
[ "$MODE" = icount ] && QEMU_ARGS+=(-icount shift=0,sleep=off)

say "booting Linux in QEMU ($MODE mode, timeout ${TIMEOUT}s): qemu-system-x86_64 ${QEMU_ARGS[*]}"
rm -f "$LOG"
t0=$(date +%s.%N)
rc=0
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 "${QEMU_ARGS[@]}" < /dev/null > "$OUT/qemu.out" 2>&1 || rc=$?
t1=$(date +%s.%N)
say "QEMU exited with status $rc after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (wall); serial log: $LOG"

if [ -s "$OUT/qemu.out" ]; then
    sed 's/^/linux-baseline: qemu: /' "$OUT/qemu.out" >&2
fi
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    die "QEMU timed out after ${TIMEOUT}s"
fi
[ -f "$LOG" ] || die "QEMU wrote no serial log (status $rc)"

tr -d '\r' < "$LOG" > "$OUT/bench.txt"
lines=$(grep -a "^$NAME," "$OUT/bench.txt" || true)
status=$(sed -n 's/^linux-baseline-init: //p' "$OUT/bench.txt" | tail -n 1)
info=$(sed -n 's/^linux-baseline-info: //p' "$OUT/bench.txt")
if [ -n "$info" ]; then
    printf '%s\n' "$info" | sed 's/^/linux-baseline: machine: /' >&2
    [ -z "${LINUX_BASELINE_INFO:-}" ] || printf '%s\n' "$info" > "$LINUX_BASELINE_INFO"
fi
if [ -n "$lines" ]; then
    printf '%s\n' "$lines"
fi

if [ -z "$status" ]; then
    say "last 20 lines of $LOG:"
    tail -n 20 "$OUT/bench.txt" | sed 's/^/  /' >&2
    die "the benchmark did not finish (no status line from /init)"
fi
[ "$status" = "status 0" ] || die "benchmark ended with $status"
[ -n "$lines" ] || die "no $NAME line in $LOG"
say "done: $(printf '%s\n' "$lines" | wc -l) $NAME line(s), benchmark $status"
