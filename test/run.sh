#!/usr/bin/env bash
# run.sh BUILD_DIR - the whole test suite: host unit tests, then one QEMU boot per
# in-OS test (fast -kernel path), then a boot of the real GRUB2 ISO.
# Prints one line per test ("ok   NAME" or "FAIL NAME: why") and ends with
# "N passed, N failed". Exits non-zero if anything failed.
set -uo pipefail
BUILD=${1:-build}
KERNEL=$BUILD/kernel.elf
OUT=$BUILD/test
mkdir -p "$OUT"
rm -f "$OUT"/*.log "$OUT"/*.qemu
passed=0 failed=0

pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# --- host unit tests -----------------------------------------------------------
while IFS= read -r line; do
	case $line in
	"ok   "*) echo "$line"; passed=$((passed + 1)) ;;
	"FAIL "*) echo "$line"; failed=$((failed + 1)) ;;
	*) echo "$line" ;;
	esac
done < <(bash test/unit/run.sh "$BUILD" 2>&1)

# --- in-QEMU tests ---------------------------------------------------------------
# check_log NAME LOG OUTCOME EXPECTED PATTERN...: the outcome must be EXPECTED and
# every PATTERN (an extended regex; a leading '!' means "must not appear") must
# match the serial log. EXPECTED is status=N or panic; a kernel panic fails any
# test that does not expect one.
check_log() {
	local name=$1 log=$2 outcome=$3 expected=$4
	shift 4
	if [ "$outcome" != "$expected" ]; then
		fail "$name" "expected $expected, got $outcome (log: $log)"
		return
	fi
	# the serial line ends lines with \r\n
	match_patterns "$name" "$(tr -d '\r' <"$log")" "($log)" "$@"
}

# match_patterns NAME TEXT WHERE PATTERN...: pass NAME if TEXT matches every PATTERN
# (extended regex; a leading '!' means "must not appear"), else fail it, naming the
# first pattern that did not hold and WHERE to look.
match_patterns() {
	local name=$1 text=$2 where=$3 pat
	shift 3
	for pat in "$@"; do
		if [ "${pat:0:1}" = "!" ]; then
			if grep -Eq -- "${pat:1}" <<<"$text"; then fail "$name" "has forbidden line /${pat:1}/ $where"; return; fi
		elif ! grep -Eq -- "$pat" <<<"$text"; then
			fail "$name" "lacks /$pat/ $where"
			return
		fi
	done
	pass "$name"
}

# qtest NAME EXPECTED "PROGRAM ARGS" PATTERN...: boot PROGRAM (from test/prog or apps)
# as the boot environment. Options before NAME: -k "KERNEL CMDLINE", -i INPUT_FILE,
# -t TIMEOUT_SECONDS.
qtest() {
	local kcmd="" input=/dev/null limit=30
	while [ "${1:0:1}" = "-" ]; do
		case $1 in
		-k) kcmd=$2 ;;
		-i) input=$2 ;;
		-t) limit=$2 ;;
		esac
		shift 2
	done
	local name=$1 expected=$2 cmd=$3
	shift 3
	local prog=${cmd%% *} args=${cmd#* }
	[ "$args" = "$cmd" ] && args=""
	local bin=$BUILD/tprog/$prog
	[ -f "$bin" ] || bin=$BUILD/apps/$prog
	local log=$OUT/$name.log
	local outcome
	outcome=$(bash test/qemu.sh "$log" "$limit" "$KERNEL" "$kcmd" "$bin" "$prog${args:+ $args}" "$input")
	local panic_pat='!KERNEL PANIC'
	[ "$expected" = panic ] && panic_pat='KERNEL PANIC'
	check_log "$name" "$log" "$outcome" "$expected" "$panic_pat" "$@"
}

# stest NAME EXPECTED 'SHELL COMMAND' PATTERN...: boot init with /etc/cmd holding the
# command (a non-interactive run, as `make run CMD=...`); options as for qtest.
stest() {
	local opts=()
	while [ "${1:0:1}" = "-" ]; do
		opts+=("$1" "$2")
		shift 2
	done
	local name=$1 expected=$2 cmd=$3
	shift 3
	local rd=$OUT/$name.initrd.tar
	bash scripts/initrd-cmd.sh "$BUILD/initrd.tar" "$rd" "$cmd"
	INITRD=$rd qtest "${opts[@]}" "$name" "$expected" "init" "$@"
	rm -f "$rd"
}

for cases in test/cases*.sh; do source "$cases"; done

# --- GRUB2 ISO: the multiboot2 path must reach user mode -------------------------------
iso=$OUT/grub.iso
if bash scripts/initrd-cmd.sh "$BUILD/initrd.tar" "$OUT/grub-initrd.tar" 'hello grub-iso; echo via grub | wc -c; exit 3' &&
	bash scripts/mkiso.sh "$iso" "$KERNEL" "$BUILD/apps/init" "$OUT/grub-initrd.tar" >/dev/null 2>"$OUT/grub-mkiso.log"; then
	log=$OUT/grub-iso.log
	outcome=$(bash test/qemu.sh --iso "$log" 60 "$iso")
	check_log grub-iso-multiboot2 "$log" "$outcome" status=3 '^boot: multiboot2' \
		'^hello from user mode: hello, argc=2' 'argv\[1\] = grub-iso' '^9$' '!KERNEL PANIC'
else
	fail grub-iso-multiboot2 "could not build the ISO ($OUT/grub-mkiso.log)"
fi

# --- scripts/exo-run: one command, verbatim, its exact status as the host's ------------
# (make run underneath: the ISO with the command, GRUB2, QEMU.)
if [ "$BUILD" = build ]; then
	log=$OUT/exo-run.log
	rc=0
	timeout 300 scripts/exo-run 'x="a  b"; [ "$x" = "a  b" ] && echo "verbatim: $x" && exit 142' >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 142 ] && grep -q '^verbatim: a  b' <(tr -d '\r' <"$log"); then
		pass exo-run-exit-status
	else
		fail exo-run-exit-status "scripts/exo-run exited $rc, not 142, or lost the quoting (log: $log)"
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
