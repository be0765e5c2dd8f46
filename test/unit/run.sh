#!/usr/bin/env bash
# test/unit/run.sh BUILD_DIR [NAME...] - host unit tests for the kernel's pure-logic
# modules. Run from the repository root. Each test/unit/test_X.c is built with the
# host gcc together with exo/X.c into BUILD_DIR/unit/test_X and run. Each fuzzer
# test/unit/fuzz_X.c is built the same way and run as
#   fuzz_X -n $FUZZ_COUNT -s $FUZZ_SEED BUILD_DIR/apps/*
# (defaults 1000000 inputs and seed 1; FUZZ_SEED= empty lets the fuzzer take a seed
# from the clock; the built programs, if any, are its seed files). With NAMEs
# (e.g. fuzz_elf) only those run. Prints one line per test ("ok   unit/..." or
# "FAIL unit/...: why"), no summary; exits non-zero if any test failed, or any
# binary failed to build or crashed.
set -uo pipefail
BUILD=${1:-build}
[ $# -eq 0 ] || shift
ONLY=" $* "
FUZZ_COUNT=${FUZZ_COUNT-1000000}
FUZZ_SEED=${FUZZ_SEED-1}
OUT=$BUILD/unit
mkdir -p "$OUT"

CFLAGS=(-std=gnu11 -O1 -g -Wall -Wextra -Werror -I.)
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all)

# Fall back to no sanitizer when this gcc cannot build and run a sanitized program.
probe=$OUT/.sanitizer-probe
if ! { echo 'int main(void) { return 0; }' | gcc "${SAN[@]}" -x c - -o "$probe" 2>/dev/null && "$probe"; }; then
	echo "note: AddressSanitizer/UBSan unavailable, unit tests built without sanitizers" >&2
	SAN=()
fi
rm -f "$probe"

status=0
# Seed files for the fuzzers: the programs the build produced (not their .map files).
seed_files=()
for f in "$BUILD"/apps/*; do
	[ -f "$f" ] && [ "${f%.map}" = "$f" ] && seed_files+=("$f")
done

for src in test/unit/test_*.c test/unit/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	[ "$ONLY" = "  " ] || [[ "$ONLY" == *" $name "* ]] || continue
	module=exo/${name#*_}.c
	bin=$OUT/$name
	args=()
	if [ "${name#fuzz_}" != "$name" ]; then
		args=(-n "$FUZZ_COUNT")
		[ -z "$FUZZ_SEED" ] || args+=(-s "$FUZZ_SEED")
		[ ${#seed_files[@]} -gt 0 ] || echo "note: no programs in $BUILD/apps, $name uses its built-in seeds only" >&2
		args+=("${seed_files[@]}")
	fi
	if [ ! -f "$module" ]; then
		echo "FAIL unit/$name: no module $module to test"
		status=1
		continue
	fi
	if ! gcc "${CFLAGS[@]}" "${SAN[@]}" "$src" "$module" -o "$bin"; then
		echo "FAIL unit/$name: does not compile"
		status=1
		continue
	fi
	log=$OUT/$name.out
	"$bin" "${args[@]}" >"$log"
	rc=$?
	cat "$log"
	# Exit 0 = all passed, 1 = some test printed a FAIL line; anything else, or 1
	# without a FAIL line, means the binary itself died.
	if [ "$rc" -ne 0 ]; then
		status=1
		if [ "$rc" -ne 1 ] || ! grep -q '^FAIL ' "$log"; then
			echo "FAIL unit/$name: crashed (exit $rc)"
		fi
	elif ! grep -q '^ok   ' "$log"; then
		echo "FAIL unit/$name: ran no tests"
		status=1
	fi
done
exit $status
