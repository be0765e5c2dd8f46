# SQLite 3 (apps/sqlite3, Debian's sqlite3 as a port) on /tmp databases with the
# default unix VFS, sourced by test/run.sh with the other cases*.sh. Scripts in
# test/scripts/sqlite-*.sh print "NAME: RESULT" lines.
if [ -f "$BUILD/apps/sqlite3" ]; then
	# 10,000 rows, an index, a transaction rolled back and one committed, integrity.
	stest -t 120 sqlite-rows status=0 'sh /test/scripts/sqlite-rows.sh' '^rows: 10000$' '^sum: 50041187$' \
		'^index: row 1$' '^by-index: 100$' '^in-transaction: 5000$' '^after-rollback: 10000$' \
		'^after-commit: 100$' '^integrity: ok$' '^journal: delete$' '^status: 0$' '^reopen: 100$' \
		'^journal-left: no$'
	# WAL: the -wal and -shm files (mapped shared), a reader beside an open write.
	stest -t 120 sqlite-wal status=0 'sh /test/scripts/sqlite-wal.sh' '^mode: wal$' '^files: wal shm$' \
		'^reader-during: 1000$' '^reader-after: 1001$' '^checkpoint: 0\|0\|0$' '^integrity: ok$'
	# Two processes: BEGIN EXCLUSIVE in one; the other refused (SQLITE_BUSY, 5),
	# then waiting with .timeout until the first commits.
	stest -t 120 sqlite-two-processes status=0 'sh /test/scripts/sqlite-lock.sh' \
		'^refused: Error: in prepare, database is locked \(5\); status 5$' '^waited: 2; status 0$' \
		'^integrity: ok$'
	# Upstream's benchmark, on a /tmp file with the default VFS.
	stest -t 300 sqlite-speedtest1-size5 status=0 'speedtest1 --size 5 /tmp/st.db; echo st=$?' \
		'^ 100 - 2500 INSERTs into table with no index' '^ 980 - PRAGMA integrity_check' \
		'^ +TOTAL\.+ +[0-9.]+s$' '^st=0$' '!Error'
fi
