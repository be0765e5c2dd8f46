# make profile (scripts/profile.sh, scripts/profile-plugin.c), sourced by test/run.sh.
# A marked window: the profile's total is the instructions forkbench measured
# with the TSC inside it (the same -icount clock; the marks and the second rdtsc
# are the few instructions apart), split over kernel and user functions by name.
prof=$(bash scripts/profile.sh "$BUILD" "$BUILD/apps/forkbench" "forkbench one cow 0" 400 2>&1)
ticks=$(grep -o -E '^forkbench,exo,cow,0,fork_exit_wait,[0-9]+' <<<"$prof" | cut -d, -f6)
total=$(grep -o -E '^total [0-9]+ instructions' <<<"$prof" | cut -d' ' -f2)
if [ -n "$ticks" ] && [ -n "$total" ] && [ $((total - ticks)) -ge 0 ] && [ $((total - ticks)) -le 32 ]; then
	match_patterns profile-window "$prof" "(scripts/profile.sh output)" \
		'^ +[0-9]+ +[0-9.]+% kernel copy_entries$' '^ +[0-9]+ +[0-9.]+% kernel syscall_entry$' \
		'^ +[0-9]+ +[0-9.]+% user (libos_fork|fork_with)$' '^ +[0-9]+ +[0-9.]+% user libos_vpt_walk$' '!% kernel kmain$'
else
	fail profile-window "profile total '$total' is not the measured '$ticks' (+0..32): $(tail -3 <<<"$prof")"
fi
# No marks: the whole run is counted, boot and user main included.
prof=$(bash scripts/profile.sh "$BUILD" "$BUILD/apps/hello" "hello profiled" 400 2>&1)
match_patterns profile-whole "$prof" "(scripts/profile.sh output)" '^profile: status=0' \
	'^total [0-9]{6,} instructions' '% kernel kmain$' '% kernel sys_cons_write$' '% user main$'
