#!/usr/bin/env bash
# qemu.sh LOG TIMEOUT KERNEL "KERNEL_CMDLINE" MODULE "MODULE_ARGS" [STDIN_FILE]
# qemu.sh --iso LOG TIMEOUT ISO
# Boot the kernel on QEMU's fast multiboot1 path (-kernel, -initrd) or a GRUB2 ISO,
# with the serial console in LOG. Prints one word describing how the run ended:
#   status=N     the guest powered off with status N (exo/power.h: the exact N comes
#                from the "exo: power off, status N" line, checked against QEMU's code)
#   panic        the kernel powered off after a kernel panic
#   timeout      QEMU was still running after TIMEOUT seconds (a hang)
#   reset        QEMU exited 0: a triple fault under -no-reboot (never a guest choice)
#   qemu-error   QEMU failed (exit 1), or an exit code the kernel never produces
set -uo pipefail
QEMU_BASE=(qemu-system-x86_64 -accel tcg -cpu max -m "${QEMU_MEM:-512M}" -display none -monitor none
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 ${QEMU_EXTRA:-})
if [ "$1" = "--iso" ]; then
	log=$2 limit=$3 iso=$4
	timeout "$limit" "${QEMU_BASE[@]}" -serial "file:$log" -cdrom "$iso" -boot d </dev/null >/dev/null 2>"$log.qemu"
	rc=$?
else
	log=$1 limit=$2 kernel=$3 kcmd=$4 module=$5 margs=$6 input=${7:-/dev/null}
	timeout "$limit" "${QEMU_BASE[@]}" -serial stdio -kernel "$kernel" -append "$kcmd" \
		-initrd "$module $margs,${INITRD:-build/initrd.tar} initrd" <"$input" >"$log" 2>"$log.qemu"
	rc=$?
fi
source "$(dirname "$0")/../scripts/exit-status.sh"
qemu_outcome "$rc" "$log"
