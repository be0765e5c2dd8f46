#!/usr/bin/env bash
# deps.sh - make sure the Debian 12 packages this project needs are installed.
# Silent and quick (exit 0) when everything is present; runs on every make.
# Missing packages: as root, installs them with apt-get; otherwise prints the
# sudo command to run and exits 1.
set -euo pipefail

PACKAGES="qemu-system-x86 grub-pc-bin grub-common xorriso mtools newlib-source xz-utils cpio gdb gnuplot-nox"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $p"
done
missing=${missing# }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing $missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
    echo "deps: missing packages: $missing" >&2
    echo "deps: run: sudo apt-get install -y $missing" >&2
    exit 1
fi
