# sqlite-wal.sh: a /tmp database in WAL mode (the -wal file, and the -shm file
# mapped shared by every connection), read by a second process while a first
# one writes; one line per check, "NAME: RESULT".
cd /tmp && rm -f wal.db wal.db-wal wal.db-shm
echo "mode: $(sqlite3 wal.db 'PRAGMA journal_mode=WAL')"
sqlite3 wal.db <<'SQL'
CREATE TABLE w(x);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO w SELECT i FROM n;
SQL
# A writer that keeps a transaction open while a reader reads the last commit.
(echo "BEGIN; INSERT INTO w VALUES(-1);"; sleep 2; echo "COMMIT;") | sqlite3 wal.db &
sleep 1
[ -e wal.db-wal ] && [ -e wal.db-shm ] && echo "files: wal shm" || echo "files: missing"
echo "reader-during: $(sqlite3 wal.db 'SELECT count(*) FROM w')"
wait
echo "reader-after: $(sqlite3 wal.db 'SELECT count(*) FROM w')"
echo "checkpoint: $(sqlite3 wal.db 'PRAGMA wal_checkpoint(TRUNCATE)')"
echo "integrity: $(sqlite3 wal.db 'PRAGMA integrity_check')"
