# bench-fork.sh [N]: the dash workload of `make bench-ports` (apps/portbench), a
# fork-heavy loop: each of N iterations (default 200) runs a command substitution
# with a pipeline in it and a pipeline of three (five forks, three execs).
n=${1:-200}
i=0
total=0
while [ "$i" -lt "$n" ]; do
	x=$(echo "$i" | wc -c)
	total=$((total + x))
	echo "$i" | cat | cat >/dev/null
	i=$((i + 1))
done
echo "bench-fork.sh: $n iterations, total $total"
