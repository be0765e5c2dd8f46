#!/usr/bin/env bash
# initrd-cmd.sh IN OUT "CMD" - copy the initrd IN to OUT and, if CMD is not empty,
# add /etc/cmd holding it: init then runs `sh -c CMD` instead of an interactive
# shell and the machine powers off with its exit status.
set -euo pipefail
in=$1 out=$2 cmd=$3
cp "$in" "$out"
if [ -n "$cmd" ]; then
	dir=$(mktemp -d)
	mkdir -p "$dir/etc"
	printf '%s\n' "$cmd" > "$dir/etc/cmd"
	tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$dir" -rf "$out" etc/cmd
	rm -rf "$dir"
fi
