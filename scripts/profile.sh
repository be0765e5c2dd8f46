#!/usr/bin/env bash
# profile.sh BUILD PROG "ARGS" [TOP] - `make profile`: boot PROG (a user program's
# ELF, booted as the first environment with argument vector ARGS) under QEMU with
# -icount and the counting plugin (scripts/profile-plugin.c), then print where the
# guest's instructions went, per function, kernel and user symbols together: the
# TOP (default 40) functions with their instruction counts and shares, and the
# totals for the kernel and for user code. The whole table goes to
# BUILD/profile/NAME.txt (NAME: PROG's file name), the plugin's raw counts to
# BUILD/profile/NAME.pcs. If the program marks windows (libos/include/profile.h),
# only what ran inside them is counted.
# User addresses are named from PROG's symbols: every environment that runs PROG's
# image (its forks, and the libOS server when PROG is the first program) is
# named right; a program exec'd from the initrd is named with PROG's symbols too,
# wrongly (its functions are counted, but under whatever PROG has at the address).
# Setting up: the plugin needs qemu-plugin.h, which Debian ships only in its qemu
# source package: the installed QEMU's source version is fetched once with
# `apt-get source` into BUILD/ports/src (the cache ports use) and the header taken
# from it.
set -euo pipefail
build=$1 prog=$2 args=$3 top=${4:-40}
dir=$build/profile
name=$(basename "$prog")
mkdir -p "$dir"

# The plugin API header, from the source of the QEMU that runs it.
header=$dir/include/qemu-plugin.h
if [ ! -f "$header" ]; then
	ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86)
	cache=$build/ports/src
	orig=$(ls "$cache"/qemu_"${ver#*:}"*.dsc 2>/dev/null | head -1 || true)
	if [ -z "$orig" ]; then
		mkdir -p "$cache"
		echo "profile: fetching qemu $ver's source for qemu-plugin.h (apt-get source, about 24 MB)"
		(cd "$cache" && apt-get source -qq --download-only "qemu=$ver" >"$cache/qemu.fetch.log" 2>&1) || {
			echo "profile: apt-get source qemu=$ver failed ($cache/qemu.fetch.log)" >&2; exit 1; }
	fi
	upstream=${ver#*:}
	upstream=${upstream%-*}
	mkdir -p "$dir/include"
	tar -xJf "$cache/qemu_$upstream.orig.tar.xz" -O --wildcards '*/include/qemu/qemu-plugin.h' >"$header.tmp"
	mv "$header.tmp" "$header"
fi
plugin=$dir/profile-plugin.so
if [ ! -f "$plugin" ] || [ scripts/profile-plugin.c -nt "$plugin" ] || [ "$header" -nt "$plugin" ]; then
	echo "  CC      scripts/profile-plugin.c"
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC -I"$dir/include" -o "$plugin" scripts/profile-plugin.c
fi

pcs=$dir/$name.pcs
rm -f "$pcs"
echo "profile: $name ($args) under -icount, counting every instruction"
out=$(QEMU_MEM=${QEMU_MEM:-3G} QEMU_EXTRA="-icount shift=0,sleep=off -plugin $plugin,out=$pcs" \
	bash test/qemu.sh "$dir/$name.log" 3600 "$build/kernel.elf" "quantum=1000000" "$prog" "$args")
[ -f "$pcs" ] || { echo "profile: no counts (run ended with $out; log $dir/$name.log)" >&2; exit 1; }
grep -a -v '^exo:' "$dir/$name.log" | tr -d '\r' | tail -5 || true

# Name every address: the symbols of both ELF images (text symbols only) and the
# counted addresses, all as 16 hex digits, sorted together so each address
# follows the symbol it is in; then sum per symbol.
{
	nm --defined-only "$build/kernel.elf" | awk '$2 ~ /^[tTwW]$/ { print $1, 0, "k", $3 }'
	nm --defined-only "$prog" | awk '$2 ~ /^[tTwW]$/ { print $1, 0, "u", $3 }'
	awk '{ print $1, 1, $2 }' "$pcs"
} | LC_ALL=C sort -k1,1 -k2,2n | awk '
	$2 == 0 { sym = $3 " " $4; next }
	{ s = sym == "" ? "u ?" : sym; n[s] += $3; total += $3; side[substr(s, 1, 1)] += $3 }
	END {
		printf "total %.0f instructions: kernel %.0f (%.1f%%), user %.0f (%.1f%%)\n", total,
			side["k"], total ? 100 * side["k"] / total : 0, side["u"], total ? 100 * side["u"] / total : 0
		for (s in n) printf "%12.0f %5.1f%% %s %s\n", n[s], 100 * n[s] / total, substr(s, 1, 1) == "k" ? "kernel" : "user", substr(s, 3)
	}' | { read -r head; echo "$head"; sort -k1,1nr; } >"$dir/$name.txt"
echo "profile: $out; per function (instructions, share, side, function); all in $dir/$name.txt"
head -n $((top + 1)) "$dir/$name.txt"
