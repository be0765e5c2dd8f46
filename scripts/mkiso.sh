#!/usr/bin/env bash
# mkiso.sh ISO KERNEL INIT INITRD - build a GRUB2 (BIOS) ISO that boots KERNEL with
# multiboot2, with INIT (the first program, process 1) and INITRD (the module named
# "initrd", which is /) as modules.
set -euo pipefail
iso=$1 kernel=$2 init=$3 initrd=$4
root=$(dirname "$iso")/iso
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/kernel.elf"
cp "$init" "$root/boot/init"
cp "$initrd" "$root/boot/initrd.tar"
modules="module2 /boot/init init\\n\\tmodule2 /boot/initrd.tar initrd"
sed -e "s|@KERNEL_CMDLINE@||" -e "s|@MODULES@|$modules|" boot/grub.cfg > "$root/boot/grub/grub.cfg"
grub-mkrescue -o "$iso" "$root" >/dev/null 2>&1 || { echo "mkiso: grub-mkrescue failed" >&2; grub-mkrescue -o "$iso" "$root"; exit 1; }
echo "mkiso: $iso"
