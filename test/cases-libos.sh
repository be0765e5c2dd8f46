# The libOS's checks of user pointers and its pipe waiters (test/prog/efault, booted as
# pid 1), sourced by test/run.sh with the other cases*.sh.
efault_ok=('^efault: all [0-9]+ checks passed' '!CHECK FAILED')
# Every call that takes a user pointer, given bad ones: -1/EFAULT and nothing changed.
qtest efault-bad-pointers status=0 "efault bad" "${efault_ok[@]}" '^efault: section bad ok'
# Children pass bad pointers to write() on /tmp and a pipe, one dies of a fault; the
# file system is still usable afterwards (a fault with the fs lock held wedged it).
qtest efault-no-wedge status=0 "efault wedge" "${efault_ok[@]}" '^efault: section wedge ok' \
	'pid [0-9]+ killed by signal 11: page fault: write of 0x8'
# 40 readers blocked on one pipe all get data, then 40 all see end of file.
qtest -t 60 efault-40-pipe-readers status=0 "efault waiters" "${efault_ok[@]}" '^efault: section waiters ok' \
	'!blocked readers'
# waitpid with a bad status pointer is EFAULT and reaps nothing (it was written
# under the process-table lock: a fault there wedged the system).
qtest efault-waitpid status=0 "efault waitpid" "${efault_ok[@]}" '^efault: section waitpid ok'

# The devices under /dev and random bytes (test/prog/devrand): with the CPU's RDRAND
# (QEMU's -cpu max), and without RDRAND and RDSEED (the ChaCha20 generator).
devrand_ok=('^devrand: every device is a character device ok' '^devrand: /dev/zero reads zeros' \
	'^devrand: written to /dev/tty' '^devrand: written to /dev/console' \
	'^devrand: /dev/urandom: two reads differ, 256 byte values' '^devrand: getentropy \(257 bytes: EIO\)' \
	'^devrand: a fork child.s bytes differ' '^devrand: ChaCha20 block matches RFC 8439 ok' \
	'^devrand: all [0-9]+ checks passed' '!CHECK FAILED')
qtest dev-random-rdrand status=0 "devrand" '^devrand: source rdrand' "${devrand_ok[@]}"
QEMU_EXTRA="-cpu max,-rdrand,-rdseed" qtest dev-random-chacha20 status=0 "devrand" '^devrand: source chacha20' \
	"${devrand_ok[@]}"
# Programs from any file (test/prog/execfile): an ELF copied to /tmp runs once its
# mode allows (EACCES before), #! scripts on /tmp (an argument, nested, /bin/sh),
# ENOEXEC, ENOENT and ELOOP; umask, chmod and fchmod.
qtest execfile status=0 "execfile" '^execfile: umask, chmod, fchmod ok' \
	'^execfile: an ELF on /tmp runs; mode bits decide ok' '^script ran with arg$' \
	'^execfile: #! scripts, nested, with arguments, and their errors ok' '^execfile: all [0-9]+ checks passed'
# Anonymous memory mappings (test/prog/mman): lazy zero-fill (8 GiB for a few
# pages), hints, MAP_FIXED, munmap splitting, mprotect (read-only, PROT_NONE and back,
# SIGSEGV), MADV_DONTNEED, msync, mlock, I/O into untouched pages, and shared and
# private mappings under every fork strategy and vfork.
qtest mman status=0 "mman" '^mman: lazy zero-filled memory, 8 GiB for a few pages ok' \
	'^mman: hints, MAP_FIXED, munmap splitting ok' '^mman: mprotect read-only, PROT_NONE and back, SIGSEGV ok' \
	'^mman: mprotect of heap and data pages \(PROT_NONE, read-only, back\) ok' \
	'^mman: MADV_DONTNEED, msync, mlock, and I/O into untouched pages ok' \
	'^mman: shared and private mappings under every fork strategy ok' \
	'^mman: /tmp files mapped shared \(coherent, across processes, past unlink\) and private, SIGBUS ok' \
	'^mman: initrd files mapped ok \(the boot module.s frames, copied on write\)' '^mman: all [0-9]+ checks passed'
# Large pages (test/prog/largepage): large_alloc, large_split, pt_drop of one, the
# page-level calls refusing to work inside one, I/O and futex words through one;
# madvise(MADV_HUGEPAGE) memory made of them, shared whole by every fork strategy
# and vfork, split by mprotect and a partial munmap, and every frame given back.
qtest largepage status=0 "largepage" '^largepage: kernel calls \(alloc, split, drop, refusals, I/O through one\) ok' \
	'^largepage: MADV_HUGEPAGE memory under every fork strategy, vfork, mprotect, munmap ok' \
	'^largepage: a write after a fork splits a large page without copying it ok' \
	'^largepage: all [0-9]+ checks passed'
# The same with 64 GiB of RAM (the most the kernel takes; guest memory backed by a
# sparse file, so the host needs only what the guest touches): the kernel maps and
# tables all of it, and large pages come from its top.
ram64=$BUILD/test/ram-64g
QEMU_MEM=64G QEMU_EXTRA="-object memory-backend-file,id=ram0,size=64G,mem-path=$ram64,share=on -machine memory-backend=ram0" \
	qtest -t 120 largepage-64g status=0 "largepage" '^pmem: 65535 MiB RAM up to 66560 MiB, 17039360 frames' \
	'^vm: kernel page tables loaded \(text RX, data NX, 65 GiB direct map\)' \
	'^largepage: the first large page is at 665[0-9]{2} MiB of 66560 MiB' '^largepage: all [0-9]+ checks passed'
rm -f "$ram64"
# Record locks (test/prog/locks): fcntl F_GETLK/F_SETLK/F_SETLKW between processes
# (ranges split and joined, refused, waited for until the holder exits, closes any
# descriptor of the file or is killed; not inherited by fork; EINTR; EDEADLK) and flock.
qtest locks status=0 "locks" '^locks: ranges, split and joined, read and write, F_GETLK, errors, close ok' \
	'^locks: F_SETLK refused, F_SETLKW waits for exit, close and kill ok' \
	'^locks: not inherited by fork, EINTR, EDEADLK ok' '^locks: flock ok' '^locks: all [0-9]+ checks passed'
# Symbolic links on /tmp and the *at calls (test/prog/links), ls -l showing a link.
qtest links status=0 "links" '^links: symlink, readlink, lstat, realpath, dangling, ELOOP, O_NOFOLLOW, unlink ok' \
	'^links: ls -l: lrwxrwxrwx +11 [A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2} /tmp/abs -> /tmp/d/file$' \
	'^links: openat, fstatat, mkdirat, unlinkat, renameat, faccessat, readlinkat, symlinkat, fchmodat, fchownat, fchdir ok' \
	'^links: all [0-9]+ checks passed'
# Times and owners of /tmp files (test/prog/ftimes).
qtest ftimes status=0 "ftimes" '^ftimes: create, write, read, truncate, chmod and chown times; owners ok' \
	'^ftimes: utime, utimes, futimes, futimens, utimensat, errors ok' '^ftimes: all [0-9]+ checks passed'

# POSIX threads, kernel-scheduled (test/prog/threads): 2000 create/join cycles, every
# synchronisation object under contention, TLS and errno per thread, keys,
# cancellation, and threads with processes (fork from a thread while others hold
# libc's locks, exit and a fault from any thread, exec, main's pthread_exit, kill,
# preemption of a spinning thread).
threads_sections=('2000 create/join cycles' 'mutex under contention' 'recursive, error-checking, trylock, timedlock'
	'condition variables: producer/consumer, timedwait on both clocks' '__thread and errno per thread'
	'keys and destructors' 'rwlocks, barriers, spin locks' 'semaphores' 'once, detached threads'
	'deferred cancellation with cleanup handlers' 'fork from a thread while others use malloc and stdio'
	'exit from any thread ends the process' 'a fatal fault in one thread ends the process'
	'exec ends the other threads' "main's pthread_exit: the process ends with its last thread"
	'kill ends every thread' 'a spinning thread is preempted')
qtest -t 240 threads status=0 "threads kernel" '^threads: package kernel' "${threads_sections[@]/#/^threads: }" \
	'^threads: all [0-9]+ checks passed' '!CHECK FAILED'
# The same suite with the user-level package: many threads on one environment,
# switched by the libOS, preempted at the start of the process's own time slot.
qtest -t 240 threads-user status=0 "threads user" '^threads: package user' "${threads_sections[@]/#/^threads: }" \
	'^threads: all [0-9]+ checks passed' '!CHECK FAILED'
# poll and select (test/prog/polltest): pipes, the console (a line on its input),
# files, bad descriptors, timeouts, a wait woken by a child's write, EINTR.
qtest -i test/prog/polltest/input.txt polltest status=0 "polltest" \
	'^polltest: poll on pipes, files, the console, bad descriptors, timeouts, wake-up ok' \
	'^polltest: EINTR, select ok' '^polltest: all [0-9]+ checks passed'
# When each thread package wins (apps/threaddemo): a token passed 20,000 times
# through condition variables is faster with user-level threads (no system call a
# pass); a sleeper beside a computing thread wakes on time with kernel threads
# (preempted every slice), late with user-level ones (preempted once a round).
# Under -icount, so the ticks are instructions: the same on every run and machine
# (plain TCG's TSC is host time, and a busy host once made the user-level
# handoff the slower).
QEMU_EXTRA="-icount shift=0,sleep=off" qtest -t 120 threaddemo status=0 "threaddemo" '^threaddemo: handoff \(ticks\) +[0-9]+ +[0-9]+ +user$' \
	'^threaddemo: latency \(us\) +[0-9]+ +[0-9]+ +kernel$'
# getopt (libos/getopt.c): no reordering, a lone "-" is an operand, "--", silent
# errors with ':'; getopt_long and getopt_long_only.
qtest getopt status=0 "getopt" '^getopt: POSIX rules and the long forms ok' '^getopt: all [0-9]+ checks passed'
