# sqlite-rows.sh: SQLite on a /tmp database with the default unix VFS and a
# rollback journal: 10,000 rows, an index, transactions (one rolled back),
# PRAGMA integrity_check; one line per check, "NAME: RESULT".
cd /tmp && rm -f rows.db rows.db-journal
sqlite3 rows.db <<'SQL'
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO t(k, v) SELECT (i * 7919) % 10007, 'row ' || i FROM n;
CREATE INDEX t_k ON t(k);
SELECT 'rows: ' || count(*) FROM t;
SELECT 'sum: ' || sum(k) FROM t;
SELECT 'index: ' || v FROM t WHERE k = 7919;
SELECT 'by-index: ' || count(*) FROM t INDEXED BY t_k WHERE k BETWEEN 100 AND 199;
BEGIN;
DELETE FROM t WHERE id % 2 = 0;
SELECT 'in-transaction: ' || count(*) FROM t;
ROLLBACK;
SELECT 'after-rollback: ' || count(*) FROM t;
BEGIN;
UPDATE t SET v = 'changed' WHERE id <= 100;
COMMIT;
SELECT 'after-commit: ' || count(*) FROM t WHERE v = 'changed';
SELECT 'integrity: ' || integrity_check FROM pragma_integrity_check;
SELECT 'journal: ' || journal_mode FROM pragma_journal_mode;
SQL
echo "status: $?"
# A second process sees what the first committed; the journal is gone.
echo "reopen: $(sqlite3 rows.db 'SELECT count(*) FROM t WHERE v = "changed"')"
[ -e rows.db-journal ] && echo "journal-left: yes" || echo "journal-left: no"
