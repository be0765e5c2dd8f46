# killjob.sh - the input of a shell that kills its own background job by the pid
# the job reports, as a user would type it: cases-sys.sh runs
# `sh /test/scripts/killjob.sh | sh`. The job (sh -c '...; sleep 5') writes
# "kill PID" into /tmp/k.sh; this script passes that line on a little later, so the
# consuming shell (the job's parent) runs `kill PID` itself; then ps shows whether
# the job is gone.
echo 'sh -c "echo kill \$\$ > /tmp/k.sh; echo job: started; sleep 5" &'
sleep 0.5
cat /tmp/k.sh
echo 'echo killjob: kill status $?'
echo 'sleep 0.2; echo killjob: ps after kill; ps'
