#!/usr/bin/env bash
# mkinitrd.sh OUT BUILD_DIR - pack / for the OS into a ustar archive: /bin holds
# the apps (BUILD_DIR/apps), /test the test programs (BUILD_DIR/tprog), and every
# file under rootfs/ (e.g. rootfs/etc/rc) goes in at its path.
set -euo pipefail
out=$1 build=$2
root=$build/rootfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/test" "$root/tmp"
for f in "$build"/apps/* "$build"/tprog/*; do
	case $f in *.map) continue ;; esac
	[ -f "$f" ] || continue
	dir=bin
	[ "$(basename "$(dirname "$f")")" = tprog ] && dir=test
	cp "$f" "$root/$dir/"
done
# "[" is test under its other name (apps/test: it wants a closing "]" then).
[ -f "$root/bin/test" ] && cp "$root/bin/test" "$root/bin/["
[ -d rootfs ] && cp -r rootfs/. "$root/"
[ -d test/scripts ] && mkdir -p "$root/test/scripts" && cp test/scripts/*.sh test/scripts/*.lua "$root/test/scripts/"
# Files the exec tests need: one that is not an ELF, one that is an ELF for another
# machine (hello with e_machine set to 3, i386).
mkdir -p "$root/test/data"
echo "this is not a program" > "$root/test/data/notelf"
chmod +x "$root/test/data/notelf" # executable, so exec fails for what it holds (ENOEXEC)
cp "$build/apps/hello" "$root/test/data/elf386"
printf '\003' | dd of="$root/test/data/elf386" bs=1 seek=18 conv=notrunc status=none
# Sorted names, fixed owner and times: the same inputs give the same archive.
tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
	-C "$root" -cf "$out" bin test tmp $(cd "$root" && ls -d etc 2>/dev/null || true)
