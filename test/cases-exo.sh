# In-QEMU tests of the kernel's protection and of its calls, sourced by test/run.sh
# (see test/cases.sh for the qtest syntax). Programs: test/prog/isolation,
# test/prog/kfunc, test/prog/upcallbad.

# Isolation: each attack is refused with the documented error and changes nothing
# (every frame-table entry, the free count and our pages are checked after each
# one). frames=400 gives every environment a small frame quota to run out of.
iso_attacks="map_kernel_memory view_is_read_only pt_drop_parent_table shared_space_confined shared_space_outlives_maker shared_space_tlb_flush shared_directory_tlb_flush alias_kernel_memory write_exports_and_page_tables
	bad_permission_bits misaligned_addresses noncanonical_addresses kernel_pointers_as_buffers
	readonly_buffers_for_kernel_writes buffers_straddling_unmapped_page pte_batch_one_bad_op
	pte_batch_bad_last_of_max pte_batch_too_many protect_range_grant_write
	upcall_kernel_handler_or_stack set_regs_kernel_rip set_regs_privileged_flags
	single_step_into_kernel map_into_parent read_parent_frame unmap_protect_parent_pages
	batch_and_range_on_parent share_tables_with_parent control_parent destroy_parent
	read_sibling_memory modify_sibling_memory control_sibling escalate_readonly_grant
	grant_invalid_pages grant_export_page grant_into_exports ipc_to_dead_or_bogus
	ipc_to_non_receiving use_dead_env_id bogus_env_ids run_unstarted_child_badly
	power_from_child slot_free_not_held slot_alloc_beyond_quota slot_alloc_out_of_range
	exhaust_frame_quota raise_quota pt_share_bad_args modify_shared_table exhaust_env_table
	orphaned_grandchild_leak"
iso_pats=()
for a in $iso_attacks; do iso_pats+=("^attack $a: refused[[:space:]]*$"); done
qtest -k "frames=400" isolation status=0 "isolation" "${iso_pats[@]}" \
	'^isolation: a child held [0-9]+ frames and got [0-9]+ more before -E_QUOTA \(quota 400\)' \
	'^isolation: [0-9]+ attacks refused' '^isolation: all [0-9]+ checks passed'

# Attacks that found kernel bugs, one boot each (see the comment above each
# attack_NAME in isolation.c). Each fails on a kernel with the bug; the last four
# end in a kernel panic there (cons_read needs console input waiting).
printf 'console input for cons_read_through_readonly_pde\n' > "$OUT/isolation-input.txt"
for a in kernel_write_through_readonly_pde write_parent_frames_after_unshare \
	pte_batch_unmap_then_map_source pte_batch_map_then_protect_escalation write_boot_module \
	take_parent_frame_via_writable_grant ipc_grant_at_page_zero failed_page_alloc_takes_no_frames \
	quota_bypass_adopting_orphan_frame \
	cons_read_through_readonly_pde pte_batch_unmap_then_protect pte_batch_map_count_overflow \
	ipc_grant_map_count_overflow; do
	qtest -k "frames=400" -i "$OUT/isolation-input.txt" "isolation-$a" status=0 "isolation $a" \
		"^attack $a: refused[[:space:]]*$" '^isolation: all [0-9]+ checks passed'
done

# The calls syscalls.c and upcall.c do not cover, used as intended.
qtest kernel-functions status=0 "kfunc" '^kfunc: own environment view ok' '^kfunc: counters ok' \
	'^kfunc: exofork: child sees 0 and a copy of the registers ok' \
	'^kfunc: exofork by hand: pages, registers, own stack ok' \
	'^kfunc: env_set_status, directed yield, env_destroy frees everything ok' \
	'^kfunc: exported environment table, death note ok' '^kfunc: env_destroy of oneself ok' \
	'^kfunc: pte_batch map/protect/unmap ok' '^kfunc: protect_range and a write fault handled ok' \
	'^kfunc: pt_share / pt_unshare with copy-on-write bits ok' '^kfunc: ipc page grant ok' '^kfunc: ipc_call ok' \
	'^kfunc: page_protect: a lone mapping made writable takes the frame ok' \
	'^kfunc: page_copy: copies here, in place and into a child; refusals change nothing ok' \
	'^kfunc: freed page tables come back as zeroed frames ok' \
	'^kfunc: pt_share_range of whole directories: one directory, two spaces ok' \
	'^kfunc: env_wake, kernel notes, sleep_until ok' '^kfunc: slot_alloc / slot_free ok' \
	'^kfunc: env_set_quota, power_delegate ok' \
	'^kfunc: env_watch: a descendant.s end reaches the outermost watcher ok' '^kfunc: all [0-9]+ checks passed'
# The same with the boot option timing=1: system calls are timed too.
qtest -k "timing=1" kernel-functions-timed status=0 "kfunc" '^kfunc: counters ok' '^kfunc: all [0-9]+ checks passed'

# Upcalls the kernel cannot deliver end the environment with a report.
kk='^exo: env 0x[0-9a-f]+ \[upcallbad\] killed: cannot deliver page fault at rip 0x'
qtest upcall-fault-in-handler status=125 "upcallbad fault-in-handler" \
	"${kk}[0-9a-f]+: it faulted inside its own upcall handler" '!survived'
qtest upcall-handler-unmapped status=125 "upcallbad handler-unmapped" '^upcallbad: env_set_upcall -> 0' \
	"${kk}12345000: it faulted inside its own upcall handler" '!survived'
qtest upcall-xstack-unmapped status=125 "upcallbad xstack-unmapped" \
	"${kk}[0-9a-f]+: its exception stack is not mapped writable" '!survived'
qtest upcall-xstack-readonly status=125 "upcallbad xstack-readonly" \
	"${kk}[0-9a-f]+: its exception stack is not mapped writable" '!survived'
qtest upcall-child-no-xstack status=0 "upcallbad child-no-xstack" \
	"${kk}[0-9a-f]+: its exception stack is not mapped writable" \
	'^upcallbad: child 0x[0-9a-f]+ ended with status 125; env table slot free'

# Regressions for kernel bugs found in review, one boot each (see each attack_NAME in
# isolation.c). On a kernel with the bug each fails (pte_copy_range_map_count_overflow
# ends in a kernel panic). env_ids_never_reused boots with envgen=G (the first
# generation of every environment slot) close to 2^21 so that the slots' generations
# run out after some 50000 environments.
for a in pte_copy_range_map_count_overflow pte_batch_take_over_quota pt_share_accounting \
	pt_share_write_downgrade env_ids_above_32_bits pt_unshare_child_keeps_parent_entries \
	cons_write_bounded direction_flag_in_kernel; do
	qtest -k "frames=400" "isolation-$a" status=0 "isolation $a" \
		"^attack $a: refused[[:space:]]*$" '^isolation: all [0-9]+ checks passed'
done
qtest -t 120 -k "frames=400 envgen=2097100" isolation-env_ids_never_reused status=0 \
	"isolation env_ids_never_reused" '^env_ids_never_reused: [0-9]+ environments made and destroyed, then -10$' \
	"^attack env_ids_never_reused: refused[[:space:]]*$" '^isolation: all [0-9]+ checks passed'

# Every call is all-or-nothing: failures forced by quota, by memory exhausted with
# 0-3 frames left (hence the small machine), by bad arguments and bad batch
# operations leave every exported table, our page tables and the child's unchanged.
# The memory must leave room for the 16 page tables' worth of scratch pages the
# out-of-memory part copies, beside the initrd (a boot module: about 60 MiB now,
# with the ports; atomic checks it has the room).
QEMU_MEM=256M qtest -t 120 atomic status=0 "atomic" '^atomic: bad arguments: [0-9]+ calls \(failures so far: 0\)' \
	'^atomic: pte_batch with one bad operation: [0-9]+ calls \(failures so far: 0\)' \
	'^atomic: frame quota: [0-9]+ calls \(failures so far: 0\)' \
	'^atomic: out of memory \(0-3 frames left\): [0-9]+ calls \(failures so far: 0\)' '^atomic: all [0-9]+ checks passed'

# The system-call fuzzer (test/prog/kfuzz, docs/design.md "Testing: the kernel
# fuzzer"): 3 boots of 100 workers x 2000 calls, every mode, about 550,000 calls in
# all (some workers end early), 30-40 s. Two fixed seeds and one that changes with
# every run: its seed is in the test name (KFUZZ_SEED=N fixes it). A failure prints
# the worker's last calls and `kfuzz replay SEED WORKER CALLS MODE` (make fuzz-replay).
kfuzz_seed=${KFUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) + 3 ))}
for s in 1 2 "$kfuzz_seed"; do
	qtest -t 100 "kfuzz-seed-$s" status=0 "kfuzz $s 100 2000" "^kfuzz: seed $s\$" \
		'^kfuzz: seed [0-9]+ mode manyenv: ' '^kfuzz: all [0-9]+ checks passed'
done
