#!/usr/bin/env bash
# portbench-report.sh CSV - from the merged portbench CSV (portbench,SYSTEM,WORKLOAD,
# TICKS rows of exo and Linux), print each exo workload beside Linux's same work and
# their ratio (exo / Linux; below 1: exo did less). exo's dash_STRATEGY rows are
# compared with Linux's one dash_fork row.
set -euo pipefail
csv=$1
echo
echo "ports, guest instructions (QEMU -icount); ratio = exo / Linux"
printf '%-20s %15s %15s %8s\n' workload exo linux ratio
awk -F, '$1 == "portbench" && $2 == "exo" { print $3, $4 }' "$csv" | while read -r w e; do
	lw=$w
	case $w in dash_*) lw=dash_fork ;; esac
	l=$(awk -F, -v w="$lw" '$1 == "portbench" && $2 == "linux" && $3 == w { print $4 }' "$csv")
	r=$([ -n "$l" ] && awk -v x="$e" -v y="$l" 'BEGIN { printf "%.2f", x / y }' || echo -)
	printf '%-20s %15s %15s %8s\n' "$w" "$e" "${l:--}" "$r"
done
