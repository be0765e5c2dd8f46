#!/usr/bin/env bash
# bench-linux-selftest.sh - check scripts/linux-baseline.sh with small programs:
# a fork+exit+wait benchmark (exit 0, one plausible forkbench line), a benchmark
# that fails, one that prints nothing, one that never ends (timeout), bad usage,
# and one that runs a program added with LINUX_BASELINE_ROOT, with its arguments
# from LINUX_BASELINE_ARGS and its lines tagged with LINUX_BASELINE_TAG.
#
#   test/bench-linux-selftest.sh BUILD_DIR
#
# Works in BUILD_DIR/linux-selftest/ (reusing BUILD_DIR/linux/vmlinuz if it is there).
# About 45 s. Exit status 0 if every case behaved.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRIPT=$ROOT/scripts/linux-baseline.sh
mkdir -p "$1/linux-selftest/linux"
W=$(cd "$1/linux-selftest" && pwd)
if [ -f "$1/linux/vmlinuz" ] && [ ! -e "$W/linux/vmlinuz" ]; then
    ln -s "$(cd "$1/linux" && pwd)/vmlinuz" "$W/linux/vmlinuz"
fi

fails=0
pass() { echo "bench-linux-selftest: PASS $*"; }
fail() { echo "bench-linux-selftest: FAIL $*"; fails=$((fails + 1)); }

# run NAME EXPECTED_STATUS [ENV=VALUE...] -- ARGS...: run the script, check its status.
run() {
    local name=$1 want=$2 rc=0
    shift 2
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" bash "$SCRIPT" "$@" > "$W/$name.out" 2> "$W/$name.err" || rc=$?
    if [ "$rc" -eq "$want" ]; then
        pass "$name (status $rc)"
        return 0
    fi
    fail "$name: status $rc, expected $want"
    sed 's/^/    /' "$W/$name.err"
    return 1
}

cat > "$W/fork.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
static uint64_t ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
int main(void)
{
	uint64_t best = ~0ull;
	for (int r = 0; r < 5; r++) {
		uint64_t t0 = ticks();
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, NULL, 0) != c)
			return 1;
		uint64_t t = ticks() - t0;
		if (t < best)
			best = t;
	}
	printf("# selftest comment line\n");
	printf("forkbench,linux,fork,0,fork_exit_wait,%lu\n", (unsigned long)best);
	return 0;
}
EOF
printf '#include <stdio.h>\nint main(void){puts("forkbench,linux,x,0,y,1");return 3;}\n' > "$W/fails.c"
printf '#include <stdio.h>\nint main(void){puts("# nothing");return 0;}\n' > "$W/silent.c"
printf 'int main(void){for(;;)__asm__ volatile("");}\n' > "$W/forever.c"

if run fork 0 -- "$W" "$W/fork.c"; then
    n=$(wc -l < "$W/fork.out")
    v=$(cut -d, -f6 "$W/fork.out")
    if [ "$n" -eq 1 ] && grep -q '^forkbench,linux,fork,0,fork_exit_wait,[0-9]*$' "$W/fork.out" &&
        [ "$v" -gt 50000 ] && [ "$v" -lt 5000000 ]; then
        pass "fork: stdout is one line, $v instructions"
    else
        fail "fork: unexpected stdout: $(cat "$W/fork.out")"
    fi
fi
# expect_msg NAME TEXT: the script's stderr for case NAME says TEXT.
expect_msg() {
    if grep -q "$2" "$W/$1.err"; then pass "$1: says '$2'"; else fail "$1: no '$2' in $W/$1.err"; fi
}
run fails 1 -- "$W" "$W/fails.c" && expect_msg fails 'benchmark ended with status 3'
run silent 1 -- "$W" "$W/silent.c" && expect_msg silent 'no forkbench line'
run forever 1 LINUX_BASELINE_TIMEOUT=15 -- "$W" "$W/forever.c" && expect_msg forever 'timed out'
run usage 2 -- "$W" "$W/fork.c" fast || true

# root: /init spawns /bin/child from the added folder, which writes to /dev/null.
mkdir -p "$W/root/bin"
printf '#include <stdio.h>\nint main(void){FILE*f=fopen("/dev/null","w");return f&&fputs("x",f)>=0&&!fclose(f)?7:1;}\n' > "$W/child.c"
gcc -O2 -static -o "$W/root/bin/child" "$W/child.c"
cat > "$W/root.c" <<'EOF'
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
int main(int argc, char **argv, char **envp)
{
	pid_t pid;
	int st = 0;
	char *args[] = { "/bin/child", NULL };
	if (posix_spawn(&pid, args[0], NULL, NULL, args, envp) || waitpid(pid, &st, 0) != pid)
		return 1;
	printf("tagged,%d,%s,%d\n", argc, argc > 1 ? argv[1] : "-", WEXITSTATUS(st));
	return 0;
}
EOF
if run root 0 LINUX_BASELINE_ROOT="$W/root" LINUX_BASELINE_TAG=tagged LINUX_BASELINE_ARGS=word -- "$W" "$W/root.c"; then
    if [ "$(cat "$W/root.out")" = "tagged,2,word,7" ]; then
        pass "root: /bin/child ran from the added folder, argument and tag passed"
    else
        fail "root: unexpected stdout: $(cat "$W/root.out")"
    fi
fi

if [ "$fails" -eq 0 ]; then
    echo "bench-linux-selftest: all passed"
else
    echo "bench-linux-selftest: $fails failure(s); outputs in $W"
    exit 1
fi
