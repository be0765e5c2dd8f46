# sqlite-lock.sh: two processes and one /tmp database: while the first holds an
# exclusive lock (BEGIN EXCLUSIVE), the second is refused at once without a busy
# timeout and waits for the lock with one; one line per check, "NAME: RESULT".
cd /tmp && rm -f lock.db lock.db-journal
sqlite3 lock.db 'CREATE TABLE c(n); INSERT INTO c VALUES(1);'
(echo "BEGIN EXCLUSIVE; UPDATE c SET n = 2;"; sleep 3; echo "COMMIT;") | sqlite3 lock.db &
sleep 1
out=$(sqlite3 lock.db 'SELECT n FROM c' 2>&1)
echo "refused: $out; status $?"
out=$(sqlite3 -cmd '.timeout 20000' lock.db 'SELECT n FROM c' 2>&1)
echo "waited: $out; status $?"
wait
echo "integrity: $(sqlite3 lock.db 'PRAGMA integrity_check')"
