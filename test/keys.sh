#!/usr/bin/env bash
# keys.sh LOG STEP...: type into a QEMU serial console as a person would, on stdout
# (QEMU's stdin), pacing each step by what the guest has written to LOG:
#   until:N:TEXT   wait until TEXT occurs at least N times in LOG (30 s at most)
#   send:KEYS      type KEYS (printf %b: \n, \x03 for ^C, \x1a for ^Z, ...)
#   sleep:SECONDS  wait
# Then keep stdin open until the guest powers off (60 s at most), so that QEMU does
# not see the end of its input early.
log=$1
shift
for step in "$@"; do
	case $step in
	until:*)
		rest=${step#until:}
		n=${rest%%:*} text=${rest#*:}
		for _ in $(seq 300); do
			[ "$(grep -a -o -F -- "$text" "$log" 2>/dev/null | wc -l)" -ge "$n" ] && break
			sleep 0.1
		done ;;
	send:*) printf '%b' "${step#send:}" ;;
	sleep:*) sleep "${step#sleep:}" ;;
	esac
done
for _ in $(seq 600); do
	grep -a -q 'exo: power off' "$log" 2>/dev/null && break
	sleep 0.1
done
