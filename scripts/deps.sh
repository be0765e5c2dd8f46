#!/usr/bin/env bash
# deps.sh - make sure the Debian 12 packages this project needs are installed.
# Silent and quick (exit 0) when everything is present; runs on every make.
# Missing packages: as root, installs them with apt-get; otherwise prints the
# sudo command to run and exits 1. The ports in apps/ (a folder with a recipe,
# docs/apps.md) are fetched with `apt-get source`, which needs dpkg-dev and a
# deb-src entry: when the machine's apt sources have none, one is added
# (/etc/apt/sources.list.d/exo-src.sources, a copy of the machine's own deb
# entries with the type deb-src) and the package lists are updated. bison makes
# awk's grammar (apps/awk/recipe).
set -euo pipefail

PACKAGES="qemu-system-x86 grub-pc-bin grub-common xorriso mtools newlib-source xz-utils cpio gdb gnuplot-nox dpkg-dev autoconf automake bison"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $p"
done
missing=${missing# }

# has_src: true when some apt source has a deb-src entry.
has_src() {
    grep -Eqs '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}
# add_src: write exo-src.sources from the machine's deb entries (one-line and deb822).
add_src() {
    local out=/etc/apt/sources.list.d/exo-src.sources
    {
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            # one-line entries: deb [opts] URI SUITE COMPONENTS...
            sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\)[[:space:]]\+\([^[:space:]]\+\)[[:space:]]\+\(.*\)$/Types: deb-src\nURIs: \2\nSuites: \3\nComponents: \4\n/p' "$f"
        done
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] && [ "$f" != "$out" ] || continue
            awk '/^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) { print "Types: deb-src"; keep = 1 } else keep = 0; next }
                 /^[[:space:]]*$/ { if (keep) print ""; keep = 0; next }
                 keep && !/^#/ { print }' "$f"
        done
    } > "$out"
}
need_src=0
has_src || need_src=1
[ -z "$missing" ] && [ $need_src = 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    if [ $need_src = 1 ]; then
        echo "deps: adding deb-src entries for the ports (/etc/apt/sources.list.d/exo-src.sources)"
        add_src
    fi
    apt-get update -qq
    if [ -n "$missing" ]; then
        echo "deps: installing $missing"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
    fi
else
    [ -n "$missing" ] && echo "deps: missing packages: $missing" >&2 &&
        echo "deps: run: sudo apt-get install -y $missing" >&2
    [ $need_src = 1 ] && echo "deps: no deb-src entry in the apt sources (the ports need apt-get source): run make as root once, or add one" >&2
    exit 1
fi
