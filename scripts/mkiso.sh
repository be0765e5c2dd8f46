#!/usr/bin/env bash
# mkiso.sh ISO KERNEL APPDIR "CMD" INITRD - build a GRUB2 (BIOS) ISO that boots
# KERNEL with multiboot2, loads the program named by the first word of CMD from
# APPDIR as the first module (command line CMD) and INITRD as the module "initrd".
set -euo pipefail
iso=$1 kernel=$2 appdir=$3 cmd=$4 initrd=$5
# grub.cfg and sed would interpret quotes, $, ;, |, & and backslashes: refuse them.
if [[ ! "$cmd" =~ ^[A-Za-z0-9\ _./=,:+@%-]+$ ]]; then
	echo "mkiso: CMD='$cmd' has characters a GRUB module line cannot carry (allowed: letters, digits, space, _ . / = , : + @ % -)" >&2
	exit 1
fi
prog=${cmd%% *}
[ -f "$appdir/$prog" ] || { echo "mkiso: no program $appdir/$prog (from CMD='$cmd')" >&2; exit 1; }
root=$(dirname "$iso")/iso
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/kernel.elf"
cp "$appdir/$prog" "$root/boot/$prog"
cp "$initrd" "$root/boot/initrd.tar"
modules="module2 /boot/$prog $cmd\n\tmodule2 /boot/initrd.tar initrd"
sed -e "s|@KERNEL_CMDLINE@||" -e "s|@MODULES@|$modules|" boot/grub.cfg > "$root/boot/grub/grub.cfg"
grub-mkrescue -o "$iso" "$root" >/dev/null 2>&1 || { echo "mkiso: grub-mkrescue failed" >&2; grub-mkrescue -o "$iso" "$root"; exit 1; }
echo "mkiso: $iso (kernel + $prog, command line '$cmd')"
