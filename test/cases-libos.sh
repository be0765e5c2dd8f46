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
