# utils-links-times.sh: ln and touch; one line per check, "NAME: RESULT"
# (test/cases-utils.sh holds the expected results).
cd /tmp
echo data > t1
ln -s t1 s1; echo ln-s: $(cat s1) $(ls -l s1 | cut -c1)
ln -s /nowhere dangling; echo ln-dangling: $(ls -l dangling | awk '{print $NF}')
ln -s t1 s1 2>/dev/null; echo ln-exists: $?
echo other > t2
ln -sf t2 s1; echo ln-sf: $(cat s1)
mkdir -p dir; ln -s /tmp/t1 dir; echo ln-into-dir: $(cat dir/t1)
ln t1 hard 2>/dev/null; echo ln-hard-status: $?
touch -c nofile; echo touch-c: $([ -e nofile ] && echo made || echo none)
touch newfile; echo touch-create: $([ -f newfile ] && echo yes)
touch -t 200102030405.06 newfile; echo touch-t: $(ls -l newfile | awk '{print $3, $4, $5}')
touch -r newfile t1; echo touch-r: $([ ! t1 -nt newfile ] && [ ! newfile -nt t1 ] && echo same)
touch t2; echo touch-now: $([ t2 -nt newfile ] && echo newer)
touch /nosuch/dir/f 2>/dev/null; echo touch-missing: $?
