# exit-status.sh - sourced by test/qemu.sh and the Makefile's run target.
# qemu_outcome RC LOG: turn QEMU's exit code and the serial log into one word:
# status=N, panic, timeout (rc 124 from timeout(1)), reset (rc 0: triple fault under
# -no-reboot) or qemu-error. See exo/power.h for the encoding.
qemu_outcome() {
	local rc=$1 log=$2 v line n
	case $rc in
	124) echo timeout; return ;;
	0) echo reset; return ;;
	esac
	if [ $((rc % 2)) -eq 0 ] || [ "$rc" -lt 3 ]; then echo qemu-error; return; fi
	v=$(((rc - 1) / 2))
	line=$(tr -d '\r' <"$log" | grep -a -E '^exo: power off, ' | tail -n 1)
	if [ "$v" -eq 127 ]; then
		[ "$line" = "exo: power off, kernel panic" ] && echo panic || echo qemu-error
		return
	fi
	n=${line#exo: power off, status }
	if [[ "$n" =~ ^[0-9]+$ ]] && [ $((1 + (n < 125 ? n : 125))) -eq "$v" ]; then
		echo "status=$n"
	else
		echo qemu-error
	fi
}
