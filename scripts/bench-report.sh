#!/usr/bin/env bash
# bench-report.sh CSV OUTDIR - from the merged forkbench CSV (exokernel and Linux
# rows) and the machine descriptions in OUTDIR (exo-machine.txt, linux-always.txt,
# linux-never.txt, where present), print the machines, a side-by-side table of
# fork+exit+wait with ratios against Linux's fork (THP always), and draw latency
# against parent size per strategy (SVG and PNG, gnuplot).
set -euo pipefail
csv=$1 out=$2
mkdir -p "$out"
# The machines, as each side described itself (make bench writes these files).
echo "machines (QEMU TCG -cpu max for both; -icount counts a rep-prefixed string"
echo "instruction once per iteration, every other instruction once):"
for f in exo-machine:exo linux-always:"Linux, THP always" linux-never:"Linux, THP never"; do
	file=$out/${f%%:*}.txt
	[ -f "$file" ] && sed "s/^/  ${f#*:}: /" "$file"
done
echo
echo "fork+exit+wait, guest instructions (QEMU -icount); ratio = this / Linux fork at the same size"
printf '%-16s' strategy
sizes=$(awk -F, '$1=="forkbench" && $5=="fork_exit_wait" {print $4}' "$csv" | sort -n -u)
for s in $sizes; do printf '%20s' "${s}MiB"; done
echo
for sys_strat in $(awk -F, '$1=="forkbench" && $5=="fork_exit_wait" {print $2"/"$3}' "$csv" | awk '!seen[$0]++'); do
	sys=${sys_strat%/*} strat=${sys_strat#*/}
	printf '%-16s' "$sys $strat"
	for s in $sizes; do
		v=$(awk -F, -v a="$sys" -v b="$strat" -v c="$s" '$2==a && $3==b && $4==c && $5=="fork_exit_wait" {print $6}' "$csv")
		l=$(awk -F, -v c="$s" '$2=="linux" && $3=="fork" && $4==c && $5=="fork_exit_wait" {print $6}' "$csv")
		if [ -z "$v" ]; then printf '%20s' "-"; continue; fi
		if [ -n "$l" ]; then printf '%20s' "$v ($(awk -v x="$v" -v y="$l" 'BEGIN{printf "%.2f", x/y}'))"; else printf '%20s' "$v"; fi
	done
	echo
done
exo_exec=$(awk -F, '$2=="exo" && $5=="fork_exec_wait" {print $6}' "$csv")
linux_exec=$(awk -F, '$2=="linux" && $5=="fork_exec_wait" {print $6}' "$csv")
if [ -n "$exo_exec" ] && [ -n "$linux_exec" ]; then
	echo
	echo "fork+exec+wait of a small program (/bin/true; Linux /true): exo $exo_exec, Linux $linux_exec" \
		"($(awk -v x="$exo_exec" -v y="$linux_exec" 'BEGIN{printf "%.2f", x/y}'))"
fi
for kind in signal thread uthread memory; do
	awk -F, -v k="$kind" '$3==k' "$csv" | grep -q . || continue
	lk=$kind
	[ "$kind" = uthread ] && lk=thread # exo's user-level threads against Linux's threads
	echo
	echo "$kind, guest instructions; ratio = exo / Linux"
	for op in $(awk -F, -v k="$kind" '$3==k {print $5}' "$csv" | awk '!seen[$0]++'); do
		e=$(awk -F, -v k="$kind" -v o="$op" '$2=="exo" && $3==k && $5==o {print $6}' "$csv")
		l=$(awk -F, -v k="$lk" -v o="$op" '$2=="linux" && $3==k && $5==o {print $6}' "$csv")
		r=$([ -n "$e" ] && [ -n "$l" ] && awk -v x="$e" -v y="$l" 'BEGIN{printf "%.2f", x/y}')
		printf '%-16s exo %-12s Linux %-12s %s\n' "$op" "${e:--}" "${l:--}" "${r:+($r)}"
	done
done
# One data file per system/strategy for gnuplot: size, ticks.
plot_cmds=()
for sys_strat in $(awk -F, '$1=="forkbench" && $5=="fork_exit_wait" {print $2"/"$3}' "$csv" | awk '!seen[$0]++'); do
	sys=${sys_strat%/*} strat=${sys_strat#*/}
	f=$out/plot-$sys-$strat.dat
	awk -F, -v a="$sys" -v b="$strat" '$2==a && $3==b && $5=="fork_exit_wait" {print ($4 == 0 ? 0.25 : $4), $6}' "$csv" > "$f"
	plot_cmds+=("'$f' using 1:2 with linespoints title '$sys $strat'")
done
if command -v gnuplot >/dev/null; then
	joined=$(IFS=,; echo "${plot_cmds[*]}")
	for term in "svg size 900,560" "pngcairo size 900,560"; do
		ext=${term%% *}; ext=${ext/pngcairo/png}
		gnuplot <<GP
set terminal $term
set output '$out/forkbench.$ext'
set title 'fork + exit + wait vs. dirty parent size (QEMU TCG, -icount: guest instructions)'
set logscale xy
set xlabel 'parent dirty heap (MiB; 0 plotted at 0.25)'
set ylabel 'instructions'
set key left top
set grid
plot $joined
GP
	done
	echo "bench: plots $out/forkbench.svg and $out/forkbench.png"
else
	echo "bench: gnuplot not installed, no plot"
fi
