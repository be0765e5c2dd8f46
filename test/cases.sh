# In-QEMU test cases, sourced by test/run.sh. Each line boots one program as the
# boot environment:  qtest [options] NAME EXPECTED "PROGRAM ARGS" PATTERN...
# EXPECTED is status=N (the guest powered off with N), PATTERNs are extended
# regexes the serial log must contain ('!' = must not contain). See run.sh.

# Boot and user mode.
qtest boot-hello status=0 "hello" '^boot: multiboot1' '^cpu: SSE on' '^pmem: self-check passed' \
	'^hello from user mode: hello, argc=1' '^exo: boot environment \[hello\] exited with status 0'
qtest exit-status status=42 "hello a b 42" 'argv\[3\] = 42' 'printf: %f 3.141590, %lld -9000000000'
qtest newlib status=0 "newlib" '^newlib: all [0-9]+ checks passed'
qtest syscall-errors status=0 "syscalls" '^syscalls: console ok' '^syscalls: all [0-9]+ checks passed'
qtest exports status=0 "exports" '^exports: all [0-9]+ checks passed'
# Real time from the CMOS clock: after the kernel was built (less a day, for clock
# skew), and the monotonic clock never goes back.
qtest real-time status=0 "clock $(($(stat -c %Y "$KERNEL") - 86400))" \
	'^rtc: [0-9]+ s since the epoch \(UTC\), booted at [0-9]+' '^clock: real time = boot time \+ monotonic ok' \
	'^clock: monotonic never went back' '^clock: all [0-9]+ checks passed'
printf 'first line\nsecond\n\nquit\n' > "$OUT/input.txt"
# The console echoes the input as it comes (typeahead), so the program's lines may
# start in the middle of an echoed one.
qtest -i "$OUT/input.txt" console-input status=3 "input" 'got line 1: \[first line\]' \
	'got line 2: \[second\]' 'got line 3: \[\]' '^input: 3 lines'

# User faults end only the faulting process, with a one-line report from the libOS
# (which handles page faults for copy-on-write and stack growth) and 128 + signal.
killed='^fault: pid 1 killed by signal '
qtest fault-null-read status=139 "fault null-read" "${killed}11: page fault: read of 0 \(unmapped address\)"
qtest fault-null-write status=139 "fault null-write" "${killed}11: page fault: write of 0x8 \(unmapped address\)"
qtest fault-text-write status=139 "fault text-write" "${killed}11: page fault: write of 0x4[0-9a-f]+ \(protection violation\)"
qtest fault-exec-data status=139 "fault exec-data" "${killed}11: page fault: execute of 0x[0-9a-f]+ \(protection violation\)"
qtest fault-kernel-read status=139 "fault kernel-read" "${killed}11: page fault: read of 0xffff800000000000 \(protection violation\)"
qtest fault-kernel-write status=139 "fault kernel-write" "${killed}11: page fault: write of 0xffff800000100000 \(protection violation\)"
qtest fault-noncanonical status=139 "fault noncanonical" "${killed}11: trap 13 at rip"
qtest fault-export-write status=139 "fault export-write" "${killed}11: page fault: write of 0x7f0000000000 \(protection violation\)"
qtest fault-uvpt-write status=139 "fault uvpt-write" "${killed}11: page fault: write of 0x7f80[0-9a-f]+ \(protection violation\)"
qtest fault-stack-overflow status=139 "fault stack-overflow" "${killed}11: page fault: write of 0x7eff[0-9a-f]+ \(stack overflow into the guard page\)"
qtest fault-ud2 status=132 "fault ud2" "${killed}4: trap 6 at rip"
qtest fault-divide status=136 "fault divide" "${killed}8: trap 0 at rip"
qtest fault-privileged status=139 "fault privileged" "${killed}11: trap 13 at rip"
qtest fault-io-port status=139 "fault io-port" "${killed}11: trap 13 at rip"

# Without an upcall handler the kernel itself ends the environment with a report.
kkilled='^exo: env 0x[0-9a-f]+ \[fault\] killed: '
qtest kfault-null-write status=125 "fault no-handler null-write" "${kkilled}page fault: write of 0x8 \(unmapped address\)"
qtest kfault-kernel-read status=125 "fault no-handler kernel-read" "${kkilled}page fault: read of 0xffff800000000000 \(protection violation\)"
qtest kfault-io-port status=125 "fault no-handler io-port" "${kkilled}general protection fault at rip"
qtest kfault-ud2 status=125 "fault no-handler ud2" "${kkilled}invalid opcode at rip"

# Kernel faults are reported in full and power off with the panic status.
qtest -k "selftest=kernel-fault" kernel-fault-report panic "hello" \
	'^KERNEL PANIC: page fault in the kernel' 'cr2 0xffff900000000000' '^  rax [0-9a-f]{16} rbx' \
	'^  faulting instruction 0xffffffff8' '^backtrace'

# The runner itself: a triple fault and a hang must be caught, never pass.
outcome=$(bash test/qemu.sh "$OUT/runner-triple.log" 30 "$KERNEL" "selftest=triple-fault" "$BUILD/apps/hello" hello)
[ "$outcome" = reset ] && pass runner-detects-triple-fault || fail runner-detects-triple-fault "runner said $outcome"
outcome=$(bash test/qemu.sh "$OUT/runner-hang.log" 3 "$KERNEL" "selftest=hang" "$BUILD/apps/hello" hello)
[ "$outcome" = timeout ] && pass runner-detects-hang || fail runner-detects-hang "runner said $outcome"
qtest vfork-cow status=0 "vforkcow" "^vforkcow: ok$"
qtest upcall-and-spawn status=0 "upcall" "^upcall: all [0-9]+ checks passed"
qtest -k "quantum=2000" time-slots status=0 "slots" "^slots: all [0-9]+ checks passed"

# Processes (libOS): fork, wait, exit, exec, kill, zombies, orphans, no leaks.
qtest -t 120 processes status=0 "proc" '^proc: fork basics ok' '^proc: exec ok' \
	'^exectarget: pid [0-9]+ ppid [0-9]+ argc 3 \[exectarget\] \[23\] \[two words\] EXECTEST=yes' \
	'^proc: 1000 fork/exit/wait cycles' '^proc: all [0-9]+ checks passed'
for strategy in eager ondemand; do
	qtest -t 180 "processes-$strategy" status=0 "proc $strategy" "^proc: fork strategy $strategy" \
		'^proc: fork basics ok' '^proc: exec ok' '^proc: 1000 fork/exit/wait cycles' '^proc: all [0-9]+ checks passed'
done

# Signals (test/prog/signals): sigaction and its flags, masks and pending signals,
# delivery to a process spinning in user code (an interrupt upcall), EINTR and
# SA_RESTART, timers, CPU faults as signals (si_addr, siglongjmp, a handler that
# fixes the cause), the alternate stack, SIGCHLD, stop and continue with waitpid's
# WUNTRACED/WCONTINUED, fork and exec inheritance, process groups and sessions.
sig_sections=('sigaction, raise, masks, pending, SA_RESETHAND, SA_NODEFER, sa_mask'
	'a spinning process is interrupted; SIGSTOP and SIGKILL stop and end one that blocks everything'
	'handlers by interrupt right after fork \(copy-on-write signal state\)'
	'default actions \(end, core, ignore\) and SIG_IGN' 'EINTR and SA_RESTART \(pipe read, waitpid, nanosleep\)'
	'alarm, pause, setitimer, getitimer'
	'faults as signals: si_addr, siglongjmp out, fix and return, SIGFPE, SIGILL, SIGTRAP, default core'
	'sigaltstack: a stack overflow handled on the alternate stack' 'SIGCHLD with si_pid/si_code/si_status, SA_NOCLDWAIT'
	'stop and continue: WUNTRACED, WCONTINUED, SA_NOCLDSTOP, SIGTSTP, SIGKILL of a stopped process'
	'fork keeps handlers and mask; exec resets handlers, keeps SIG_IGN, mask, pending'
	'process groups, sessions, killpg, kill\(0\), kill\(-1\), tcgetpgrp/tcsetpgrp' 'sigsuspend, sigwait, SIGPIPE')
sig_pats=()
for s in "${sig_sections[@]}"; do sig_pats+=("^signals: $s ok"); done
qtest -t 60 signals status=0 "signals" "${sig_pats[@]}" '^signals: psignal: Terminated' \
	'^signals: all [0-9]+ checks passed'

# The console as a terminal (test/prog/tty, keys typed by test/keys.sh when the
# program is ready for them): a canonical line with ^U, raw mode with VMIN and
# VTIME, no echo, ^C / ^Z / ^\ to the foreground group, ^C to a handler in a read
# (EINTR), background reads (SIGTTIN, EIO), window size and SIGWINCH.
qtest -t 60 -i <(bash test/keys.sh "$OUT/tty.log" 'until:1:tty: ready-line' 'send:xx\x15hello\n' \
	'until:1:tty: ready-raw' 'send:ab' 'until:1:tty: ready-noecho' 'send:secret\n' 'until:1:tty: ready-intr' \
	'sleep:0.3' 'send:\x03' 'until:1:tty: ready-susp' 'sleep:0.3' 'send:\x1a' 'until:1:tty: ready-quit' \
	'sleep:0.3' 'send:\x1c' 'until:1:tty: ready-handler' 'sleep:0.3' 'send:\x03') \
	tty status=0 "tty" '^tty: canonical line ok' '^tty: raw mode, VMIN, VTIME ok' '^tty: no echo ok' '!secret' \
	'^tty: \^C interrupts the foreground group ok' '^tty: \^Z stops it, \^\\ quits it ok' \
	'^tty: \^C in a read gives EINTR to a handler ok' '^tty: background reads: SIGTTIN, or EIO ok' \
	'^tty: window size and SIGWINCH ok' '^tty: all [0-9]+ checks passed'

# No process can write what processes share (test/prog/scribble): the view of the
# server's tables is read-only to every kind of write; a process that writes random
# bytes over every page it can write and sends the server 20,000 random requests
# runs beside a 5-stage pipeline (1 MiB, byte-exact) and a /tmp workload, which
# finish intact; afterwards the server holds what it held before and still works.
qtest -t 120 scribble status=0 "scribble 20000" '^scribble: the view is read-only ok' \
	'^scribble: scribbler done, pages [0-9]+' '^scribble: 5-stage pipeline of 1 MiB byte-exact ok' \
	'^scribble: /tmp workload ok' '^scribble: the system works afterwards ok' '^scribble: all [0-9]+ checks passed'

# Death at any instruction is safe (test/prog/procdeath): a killed pipe writer's
# reader sees end of file; 10,000 kill/reap cycles of children holding files, pipes
# and dup'ed descriptors; processes killed holding the file-system and process-table
# locks; 1,000 kills at random points of file and pipe calls; kill of a sibling and
# of a parent; exec keeps the process's children; 1,000
# kills at random points of fork under each strategy; 30 rounds of 8 stress workers
# (random file, pipe, fork, exec, kill and wait calls) killed at random points. After
# each part (every 10 stress rounds) nothing is
# left: no environment, process, frame, open file, pipe, block or /tmp file. Slots of
# 1 ms: the parent's yields, which pick the random kill points, stay short.
qtest -t 180 -k "quantum=1000" process-death status=0 "procdeath 10000 1000 1000 30" \
	'^procdeath: pipe reader sees end of file when the writer is killed ok' \
	'^procdeath: kill/reap cycles of children holding files and pipes ok' \
	'^procdeath: 1000 kills during file and pipe calls ok' \
	'^procdeath: kill of a sibling and of a parent ok' '^procdeath: exec keeps the process.s children ok' \
	'^procdeath: 1000 kills during fork \(cow\) ok' '^procdeath: 1000 kills during fork \(eager\) ok' \
	'^procdeath: 1000 kills during fork \(ondemand\) ok' '^procdeath: stress round 30 ok' \
	'^procdeath: all [0-9]+ checks passed'
