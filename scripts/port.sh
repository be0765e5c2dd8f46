#!/usr/bin/env bash
# port.sh NAME BUILD_DIR - build the port apps/NAME (a folder with a `recipe`,
# docs/apps.md "Ports") into BUILD_DIR/apps/. The recipe is a bash fragment that
# sets PORT_PACKAGE and PORT_VERSION (the Debian source package), PORT_INSTALL
# ("FILE:NAME ...": FILE in the built tree becomes BUILD_DIR/apps/NAME, so /bin/NAME)
# and defines port_configure (run once per fresh tree) and port_make (run on every
# build: it rebuilds what changed). Both run in the unpacked source tree with:
#   PORT_CC       the compiler with our platform's flags (newlib's and the libOS's
#                 headers, no host headers; no -Werror, no optimisation flags: the
#                 port's own build adds its flags)
#   PORT_LIBS     what links a program for exo: link map, crt0, the libOS, newlib,
#                 libgcc (give it as LIBS, after the objects)
#   PORT_MAP      where the link map goes (scripts/check-no-glibc.sh reads it)
#   PORT_HOST_CC  the host's compiler, for helpers that run during the build
#   PORT_ROOT     the exo source tree
# The source is fetched once with `apt-get source` into BUILD_DIR/ports/src/ (the
# cache) and unpacked afresh into BUILD_DIR/ports/NAME/ (and configured again)
# when the recipe, this script, the flags or the libOS's interface change. Nothing of it is committed.
set -euo pipefail
name=$1
build=$(cd "$2" && pwd)
root=$(pwd)
recipe=$root/apps/$name/recipe
: "${PORT_CC:?PORT_CC not set (run through make)}" "${PORT_LIBS:?PORT_LIBS not set}"
export PORT_CC PORT_LIBS PORT_HOST_CC=${PORT_HOST_CC:-gcc} PORT_ROOT=$root
# shellcheck source=/dev/null
. "$recipe"
: "${PORT_PACKAGE:?recipe sets no PORT_PACKAGE}" "${PORT_VERSION:?recipe sets no PORT_VERSION}" "${PORT_INSTALL:?}"

cache=$build/ports/src
dsc=$cache/${PORT_PACKAGE}_${PORT_VERSION#*:}.dsc
if [ ! -f "$dsc" ]; then
	mkdir -p "$cache"
	echo "  FETCH   $PORT_PACKAGE $PORT_VERSION (apt-get source)"
	(cd "$cache" && apt-get source -qq --download-only "$PORT_PACKAGE=$PORT_VERSION" >/dev/null 2>"$cache/$PORT_PACKAGE.fetch.log") || {
		echo "port: apt-get source $PORT_PACKAGE=$PORT_VERSION failed ($cache/$PORT_PACKAGE.fetch.log):" >&2
		tail -5 "$cache/$PORT_PACKAGE.fetch.log" >&2
		exit 1
	}
fi

dir=$build/ports/$name
tree=$dir/tree
# A new tree (so configure runs again) when the recipe, this script, the flags,
# the libOS's headers or the set of functions it defines change: configure's
# answers depend on them.
key=$( { cat "$recipe" "$root/scripts/port.sh"; echo "$PORT_CC"; echo "$PORT_LIBS"
	find "$root/libos/include" -type f | sort | xargs cat
	nm -g --defined-only "$build/libos.a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort; } | sha256sum | cut -c1-16)
if [ "$(cat "$dir/.key" 2>/dev/null)" != "$key" ] || [ ! -d "$tree" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "  UNPACK  $(basename "$dsc")"
	dpkg-source -q -x "$dsc" "$tree" >"$dir/unpack.log" 2>&1 || { cat "$dir/unpack.log" >&2; exit 1; }
	echo "  CONFIG  $name (log: $dir/configure.log)"
	(cd "$tree" && port_configure) >"$dir/configure.log" 2>&1 || {
		echo "port: $name: port_configure failed:" >&2; tail -20 "$dir/configure.log" >&2; exit 1; }
	echo "$key" > "$dir/.key"
fi

export PORT_MAP=$dir/$name.map
echo "  PORT    $name (log: $dir/make.log)"
(cd "$tree" && port_make) >"$dir/make.log" 2>&1 || {
	echo "port: $name: port_make failed:" >&2; grep -E 'error|undefined' "$dir/make.log" | head -20 >&2; tail -5 "$dir/make.log" >&2; exit 1; }

# Nothing from the host's C library: no host header in the objects' dependency
# files (automake's .deps), no host archive in the link map.
if grep -rlE '(^| )/usr/include/' --include='*.Po' --include='*.d' "$tree" 2>/dev/null | grep -q .; then
	echo "port: $name was compiled with host (glibc) headers:" >&2
	grep -rlE '(^| )/usr/include/' --include='*.Po' --include='*.d' "$tree" | head -5 >&2
	exit 1
fi
mkdir -p "$build/apps"
for pair in $PORT_INSTALL; do
	file=${pair%%:*} as=${pair#*:}
	cp "$tree/$file" "$build/apps/$as.tmp" && mv "$build/apps/$as.tmp" "$build/apps/$as"
	cp "$PORT_MAP" "$build/apps/$as.map"
	bash "$root/scripts/check-no-glibc.sh" "$build/apps/$as" "$build"
done
