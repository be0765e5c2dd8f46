# The utilities people use in scripts (apps/*: hand-written ones and the awk port),
# sourced by test/run.sh. Each boot runs a script of test/scripts (in the initrd at
# /test/scripts) under dash, which prints one "NAME: RESULT" line per check; the
# patterns below are the results POSIX wants.

stest utils-text status=0 'sh /test/scripts/utils-text.sh' \
	'^sort-plain: 1 10 2 9$' '^sort-n: 1 2 9 10$' '^sort-nr: 10 9 2 1$' '^sort-k2n: c b A a$' \
	'^sort-k2nr: a A b c$' '^sort-f: a A b c$' '^sort-t: y z x$' '^sort-u: a b$' '^sort-b: a b c$' \
	'^sort-o-in-place: 1 3$' '^sort: disorder: 2$' '^sort-c-status: 1$' '^sort-cn-status: 1$' \
	'^sort-multi: 1 10$' '^uniq: a b c d$' '^uniq-c: 2 a 1 b 3 c 1 d$' '^uniq-d: a c$' '^uniq-u: b d$' \
	'^uniq-i: a b$' '^uniq-f: x a z b$' '^uniq-s: xa zb$' '^cut-f: b:d$' '^cut-f-range: b:c:d$' \
	'^cut-c: abcf$' '^cut-b: ab$' '^cut-tab: two$' '^cut-s: a$' '^cut-nos: a nodelim$' \
	'^tr-range: ifmmp$' '^tr-class: HELLO WORLD$' '^tr-d: abc$' '^tr-s: abc d$' '^tr-cd: 123$' \
	'^tr-pad: xyyy$' '^tr-esc: a_b$' '^tr-ds: aab$' '^tr-repeat: xyyyy$' \
	'^tail-default: 3 4 5 6 7 8 9 10 11 12$' '^tail-n: 10 11 12$' '^tail-plus: 11 12$' '^tail-old: 11 12$' \
	'^tail-c: 12$' '^tail-stdin: 12$' '^tail-noeol: b$' '^tee: hi hi$' '^tee-a: hi more$' \
	'^tee: /nosuch/f: ' '^tee-status: 1$' '^tail: /nosuch: No such file or directory$' '^tail-status: 1$'

stest utils-files status=0 'sh /test/scripts/utils-files.sh' \
	'^rmdir: a: Directory not empty$' '^rmdir-nonempty: 1$' '^rmdir-p: 0 No such file or directory$' \
	'^rmdir-missing: 1$' '^chmod-octal: -rw-------$' '^chmod-symbolic: -rwxr-----$' \
	'^chmod-equals: -r--r--r--$' '^chmod-minus: -rw-------$' '^chmod-R: -rwx------$' \
	'^chmod: invalid mode: 999$' '^chmod-bad: 1$' '^chmod-missing: 1$' \
	'^find-all: tree tree/a.txt tree/sub tree/sub/b.txt tree/sub/deep tree/sub/deep/c.log$' \
	'^find-name: tree/a.txt tree/sub/b.txt$' '^find-type-d: tree tree/sub tree/sub/deep$' \
	'^find-not: tree/sub/deep/c.log$' '^find-or: tree/a.txt tree/sub/deep/c.log$' '^find-prune: tree/a.txt$' \
	'^find-size: tree/sub/b.txt tree/sub/deep/c.log$' '^find-size-blocks: 3$' '^find-path: tree/sub/deep/c.log$' \
	'^find-exec: 333$' '^find-exec-plus: files (tree/sub/b.txt tree/a.txt|tree/a.txt tree/sub/b.txt)$' \
	'^find-depth: tree/sub/deep/c.log$' '^find-perm: tree/a.txt$' '^find-mtime: 1 0$' \
	'^find: /nosuch: No such file or directory$' '^find-missing: 1$' \
	'^xargs: X a b c$' '^xargs-n: X a b X c d X e$' '^xargs-I: \[one\] \[two\]$' '^xargs-0: 2$' \
	'^xargs-quote: 2$' '^xargs-t: echo q q$' '^xargs-L: 2$' '^xargs-E: a b$' '^xargs-empty: empty$' \
	'^xargs-fail: 123$' '^xargs-notfound: 127$' '^basename: x / b x.c$' '^dirname: /a/b . / a /$' \
	'^env-i: X=1 Y=2$' '^env-run: 3$' '^env-notfound: 127$' '^date-year: 1$' '^date-format: 1$' \
	'^date-default: 1$' '^date: cannot set the date' '^date-set: 1$' '^test-f: yes$' '^test-d: no$' \
	'^test-e: no$' '^test-n-empty: false$' '^test-eq-str: true$' '^test-gt: false$' '^test-and: true$' \
	'^test-or-not: true$' '^test-paren: true$' '^test-bracket: true$' '^test-x: true$' '^test-error: 2$' \
	'^\[: missing \]$' '^bracket-missing: 2$' '^test-empty: 1$' '^test-lt-str: true$'

stest utils-grep-awk status=0 'sh /test/scripts/utils-grep-awk.sh' \
	'^grep-bre: apple apple pie$' '^grep-bre-class: 123$' '^grep-E: Banana cherry$' '^grep-F: a\.c$' \
	'^grep-i: Banana$' '^grep-v-c: 3$' '^grep-n: 3:cherry$' '^grep-x: apple$' '^grep-empty: 5 1$' '^grep-xF: apple pie$' \
	'^grep-e: cherry 123$' '^grep-f: Banana 123$' '^grep-l: g$' '^grep-q: 0$' '^grep-q-none: 1$' \
	'^grep-s: 2$' '!grep: /nosuch' '^grep-h: 123 123$' '^grep-multi: g:123 pats:123$' \
	'^grep: a\\\{: ' '^grep-bad-re: 2$' \
	'^awk-begin: 42 4 ell$' '^awk-fields: c 3 1 f 3 2$' '^awk-F: y$' '^awk-sum: 10 2\.5$' \
	'^awk-pattern: CHERRY$' '^awk-array: 2 1$' '^awk-printf: 003\.1\|ab \|ff$' '^awk-v: hello world$' \
	'^awk-gsub: a\+b\+c$' '^awk-split: 3 r$' '^awk-match: 3 3 2$' '^awk-f: from file$' \
	'^awk-getline: 5$' '^awk-pipe: piped$' '^awk-system: 3$' '^awk-output: to file$' \
	'^awk-math: 1\.414 -3$' '^awk-exit: 4$' '^awk-syntax: 2$'

stest utils-options status=0 'sh /test/scripts/utils-options.sh' \
	'^ls-R: r: a s r/s: b t r/s/t: c$' '^ls-d: r r/s$' '^ls-dl: d$' '^ls-r: s a$' '^ls-1: 2$' '^ls-t: 2$' \
	'^head-c: abcd$' '^head-c-lines: 1$' '^wc-m: 11$' '^cp-R: r2 r2/a r2/s r2/s/b r2/s/t r2/s/t/c$' \
	'^cp: r: Is a directory$' '^cp-dir-no-R: 1$' '^cp-p: -r--r--r--$' '^cp-f: new$' \
	'^cp-R-into-self: a s$' '^mkdir-m: drwx------$' '^mkdir-pm: drwxr-xr-x$' '^mkdir-m-bad: 2$'

# The shell language itself (dash): functions, loops, case, here-documents, command
# substitution, arithmetic, parameter expansion, traps, redirections, jobs, builtins.
stest dash-suite status=0 'sh /test/scripts/dash-suite.sh' \
	'^fn-status: 7$' '^fn-args: 5$' '^fn-recursion: 120$' '^for: abc$' '^while: 5$' '^until: 3$' \
	'^break-continue: 13$' '^for-positional: xyz 3$' '^case-apple: fruit$' '^case-42: number$' \
	'^case-Zed: other$' '^heredoc: expanded 2$' '^heredoc-quoted: \$x$' '^heredoc-tabs: stripped$' \
	'^cmdsub: inner back$' '^cmdsub-pipe: 3$' '^arith: 3 1 16 9 16 8 1$' '^arith-assign: 15$' \
	'^params: c\.txt /a/b/c a/b/c\.txt 10 default set$' '^param-assign: assigned$' '^trap-int: caught$' \
	'^trap-int-status: 3$' '!not-here' '^trap-ignored: survived$' '^trap-subshell: 5$' \
	'^redir-append: one two$' '^redir-fd: via-fd3$' '^redir-group: out err$' '^redir-read: one$' \
	'^redir-pipe-read: data$' '^redir-devnull: 1$' '^redir-heredoc-file: written$' '^subshell-cd: /bin$' \
	'^after-subshell: /tmp$' '^negation: 0$' '^and-or: ok$' '^cmdsub-status: 9$' '^set-e: 1$' \
	'!not-reached' '^ifs-read: c b a$' '^wait-status: 0$' '^wait-bg-status: 6$' '^eval: evaluated$' \
	'^shift: 3 1$' '^getopts: a$' '^getopts: b val$' '^dash-suite: end$' '^trap-exit: ran$'

# ln and touch (symbolic links and times on /tmp).
stest utils-links-times status=0 'sh /test/scripts/utils-links-times.sh' \
	'^ln-s: data l$' '^ln-dangling: /nowhere$' '^ln-exists: 1$' '^ln-sf: other$' '^ln-into-dir: data$' \
	'^ln-hard-status: 1$' '^touch-c: none$' '^touch-create: yes$' '^touch-t: Feb 3 2001$' '^touch-r: same$' \
	'^touch-now: newer$' '^touch-missing: 1$'
# sed (apps/sed): test/scripts/sed.sh prints "sed-NAME: ok" for each of its checks
# (a "t NAME ..." or "ts NAME ..." line), or "sed-NAME: FAIL" with what sed wrote.
mapfile -t sed_checks < <(sed -n 's/^ts\{0,1\} \([a-zA-Z0-9-]*\) .*/^sed-\1: ok$/p' test/scripts/sed.sh)
stest utils-sed status=0 'sh /test/scripts/sed.sh' "${sed_checks[@]}" '!FAIL' '^sed: end$'
