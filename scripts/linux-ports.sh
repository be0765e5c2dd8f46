#!/usr/bin/env bash
# linux-ports.sh BUILD_DIR - build the ports that `make bench-ports` runs (dash,
# Lua, SQLite's speedtest1) for Linux from the SAME Debian sources as exo's
# (BUILD_DIR/ports/src, the cache scripts/port.sh fills), with the host gcc,
# statically against glibc, with the same upstream flags and options as their
# recipes (apps/NAME/recipe); and exo's own cat and wc (the dash workload runs
# them) from their sources here. Lays out BUILD_DIR/linux/ports/root as the files
# to add to the Linux initramfs (scripts/linux-baseline.sh's LINUX_BASELINE_ROOT):
#   /bin/sh /bin/dash /bin/lua /bin/speedtest1 /bin/cat /bin/wc
#   /test/scripts/bench.lua /test/scripts/bench-fork.sh
# Each source tree is unpacked (dpkg-source -x, Debian's patches applied) and
# configured once per recipe version into BUILD_DIR/linux/ports/NAME/ (delete it to
# start again);
# logs there. Progress on stderr; exit status 0, or 1 when a build failed.
set -euo pipefail
say() { echo "linux-ports: $*" >&2; }
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ROOT_SRC=$(pwd)
OUT=$BUILD/linux/ports
mkdir -p "$OUT"

# version NAME: the Debian version that apps/NAME/recipe builds (PORT_VERSION).
# shellcheck source=/dev/null
version() { (. "$ROOT_SRC/apps/$1/recipe"; echo "$PORT_PACKAGE ${PORT_VERSION#*:}"); }

# unpack NAME: BUILD_DIR/linux/ports/NAME/tree afresh from the cached source package.
unpack() {
	local pkg ver dsc
	read -r pkg ver <<<"$(version "$1")"
	dsc=$BUILD/ports/src/${pkg}_${ver}.dsc
	[ -f "$dsc" ] || { say "no $dsc: run make first (scripts/port.sh fetches it)"; exit 1; }
	rm -rf "${OUT:?}/$1"
	mkdir -p "$OUT/$1"
	dpkg-source -q -x "$dsc" "$OUT/$1/tree" >"$OUT/$1/unpack.log" 2>&1 ||
		{ say "$1: dpkg-source -x failed ($OUT/$1/unpack.log)"; exit 1; }
}

# step NAME LOG CMD...: run CMD in NAME's tree with its output in NAME/LOG; on
# failure show the log's end and stop.
step() {
	local name=$1 log=$OUT/$1/$2
	shift 2
	(cd "$OUT/$name/tree" && "$@") >"$log" 2>&1 || { say "$name: $* failed ($log):"; tail -15 "$log" >&2; exit 1; }
}

# dash: configured as Debian's rules do (and as apps/dash/recipe, natively here),
# upstream's -g -O2 -Wall; linked statically.
dash_configure() { autoreconf -fi && ./configure --disable-fnmatch --disable-lineno --disable-glob LDFLAGS=-static; }
dash_make() { make; }

# Lua: upstream's own src/Makefile from the .orig tarball with its `posix` flags
# (apps/lua/recipe says why); Debian's multiarch header with Linux's triplet.
lua_configure() {
	{ echo '#ifndef _LUA_DEB_MULTIARCH_'; echo '#define _LUA_DEB_MULTIARCH_'
	  echo "#define DEB_HOST_MULTIARCH \"$(gcc -dumpmachine)\""; echo '#endif'; } > src/lua5.4-deb-multiarch.h
	tar -xzOf "$BUILD/ports/src/lua5.4_5.4.4.orig.tar.gz" lua-5.4.4/src/Makefile > src/Makefile.upstream
}
lua_make() {
	make -C src -f Makefile.upstream lua CC="gcc -std=gnu99" SYSCFLAGS=-DLUA_USE_POSIX MYLDFLAGS=-static LIBS=-lm
}

# SQLite: upstream's autoconf build with apps/sqlite3/recipe's options; speedtest1
# linked fully static (libtool's -all-static).
sqlite3_configure() {
	./configure CFLAGS="-g -O2" --disable-shared --enable-static --disable-tcl --disable-readline \
		--disable-editline --disable-load-extension ac_cv_search_deflate=no
}
sqlite3_make() { make speedtest1 LTLINK_EXTRAS=-all-static; }

# build NAME FILE: unpack and configure NAME (the first time), make it; prints the
# path of FILE in its tree.
build() {
	if [ "$(cat "$OUT/$1/.configured" 2>/dev/null)" != "$(version "$1")" ]; then
		unpack "$1"
		say "configuring $1 ($(version "$1"))"
		step "$1" configure.log "${1}_configure"
		version "$1" > "$OUT/$1/.configured"
	fi
	say "building $1"
	step "$1" make.log "${1}_make"
	echo "$OUT/$1/tree/$2"
}

dash=$(build dash src/dash)
lua=$(build lua src/lua)
speedtest1=$(build sqlite3 speedtest1)

root=$OUT/root
rm -rf "$root"
mkdir -p "$root/bin" "$root/test/scripts"
cp "$dash" "$root/bin/dash"
cp "$dash" "$root/bin/sh"
cp "$lua" "$root/bin/lua"
cp "$speedtest1" "$root/bin/speedtest1"
for u in cat wc; do
	gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -o "$root/bin/$u" "$ROOT_SRC/apps/$u/$u.c"
done
cp "$ROOT_SRC/test/scripts/bench.lua" "$ROOT_SRC/test/scripts/bench-fork.sh" "$root/test/scripts/"
for f in "$root"/bin/*; do
	! readelf -l "$f" | grep -q INTERP || { say "$f is not statically linked"; exit 1; }
done
say "root: $root ($(cd "$root/bin" && echo *))"
