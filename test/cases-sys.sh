# The "usable system" tests, sourced by test/run.sh (with the other cases*.sh): the libOS file
# layer (test/prog/files, booted as pid 1), byte-exact pipelines (test/prog/pipecheck),
# the shell, the utilities in apps/, and init. Most are stest lines: init runs the
# command with `sh -c` and the machine powers off with its status; the patterns are
# extended regexes over the serial log ('!' = must not appear). See run.sh.

# --- helpers ---------------------------------------------------------------------------

# sys_span CHECK NAME FROM TO PATTERN...: in the log of test NAME, the lines after the
# first one matching FROM and before the next one matching TO must match every
# PATTERN. Reported as its own test, CHECK. (Order matters: what a ps printed before
# and after something happened.)
sys_span() {
	local check=$1 log=$OUT/$2.log from=$3 to=$4
	shift 4
	[ -f "$log" ] || { fail "$check" "no log $log"; return; }
	local text
	text=$(tr -d '\r' <"$log" | awk -v f="$from" -v t="$to" 'on && $0 ~ t {exit} on {print} !on && $0 ~ f {on=1}')
	[ -n "$text" ] || { fail "$check" "nothing between /$from/ and /$to/ in $log"; return; }
	match_patterns "$check" "$text" "" "$@"
}

# sys_pid_check CHECK NAME VAR PATTERN...: the log of test NAME has a line VAR=N (a
# pid the command printed); each PATTERN, with @PID@ replaced by N, must match it.
sys_pid_check() {
	local check=$1 log=$OUT/$2.log var=$3
	shift 3
	[ -f "$log" ] || { fail "$check" "no log $log"; return; }
	local text pid pats=() pat
	text=$(tr -d '\r' <"$log")
	pid=$(sed -n "s/^$var=\([0-9][0-9]*\)\$/\1/p" <<<"$text" | head -n 1)
	[ -n "$pid" ] || { fail "$check" "no line $var=N in $log"; return; }
	for pat in "$@"; do pats+=("${pat//@PID@/$pid}"); done
	match_patterns "$check" "$text" "" "${pats[@]}"
}

# files sections end with this line and never print a deviation or a failed check.
files_ok=('^files: all [0-9]+ checks passed' '!DEVIATION' '!CHECK FAILED')

# --- the file layer: test/prog/files as pid 1 -------------------------------------------
# Sections (files.c, sections[]) in groups, so that one broken call does not hide the rest.
qtest files-core status=0 "files initrd tmp badf paths mkdir rename cwd readdir" "${files_ok[@]}" \
	'^files: section initrd ok' '^files: section readdir ok'
qtest files-descriptors status=0 "files dup fork exec" "${files_ok[@]}" '^files: section exec ok' \
	'^fdcheck: operation 1 \(closed 3\) failed' # the helper can say no
qtest files-pipes status=0 "files pipes" "${files_ok[@]}" '^files: SIGPIPE handler ran' '^files: section pipes ok'
qtest files-space status=0 "files space" "${files_ok[@]}" '^files: /tmp full after [0-9]+ bytes' \
	'^files: section space ok'
# POSIX corner cases, one boot each: every DEVIATION line names the call, what POSIX
# wants and what happened.
qtest files-enotdir status=0 "files enotdir" "${files_ok[@]}"
qtest files-rename-errors status=0 "files rename-errors" "${files_ok[@]}"
qtest files-unlinked-open status=0 "files unlinked-open" "${files_ok[@]}"
qtest files-efbig-partial status=0 "files efbig-partial" "${files_ok[@]}"
qtest files-pipe-nonblock status=0 "files pipe-nonblock" "${files_ok[@]}"
qtest files-pipe-waiters status=0 "files pipe-waiters" "${files_ok[@]}"
qtest files-pipe-atomic status=0 "files pipe-atomic" "${files_ok[@]}"
# Large and sparse /tmp files, truncate, pread/pwrite, statvfs, atomic O_APPEND from
# several processes (test/prog/bigfile): the 64 MiB file needs the memory, besides the
# initrd's 90 MB (every port; 256M left /tmp barely 64 MiB, and less as ports grow).
QEMU_MEM=384M qtest -t 120 files-large status=0 "bigfile" '^bigfile: 64 MiB written and read back, checksum' \
	'^bigfile: a sparse file of 100 GiB holds [0-9]+ blocks' '^bigfile: ftruncate and truncate shrink and grow' \
	'^bigfile: pread and pwrite leave the offset alone ok' '^bigfile: statvfs: ' \
	'^bigfile: 4 processes appended 160 records of 12000 bytes, none interleaved ok' \
	'^bigfile: every block came back ok' '^bigfile: all [0-9]+ checks passed' '!CHECK FAILED'

# --- pipelines and files, byte for byte: test/prog/pipecheck -------------------------------
stest pipe-1mib-5-stages status=0 '/test/pipecheck gen 1048576 | cat | cat | cat | /test/pipecheck check 1048576' \
	'^pipecheck: 1048576 bytes ok$' '!mismatch'
stest pipe-1mib-tmp-file status=0 '/test/pipecheck gen 1048576 > /tmp/big && ls -l /tmp/big && /test/pipecheck check 1048576 < /tmp/big && cp /tmp/big /tmp/big2 && cat /tmp/big2 | /test/pipecheck check 1048576 && echo -n big2=; wc -c < /tmp/big2' \
	'^-rw-r--r-- +1048576 [A-Z][a-z]{2} [ 0-9]{2} [0-9 :]{5} /tmp/big$' '^big2=1048576$' '!mismatch'
# pipecheck itself must see a bad stream: the pattern twice (offset 5000 holds byte 0
# where 0x99 belongs), and one byte short.
stest pipecheck-detects status=0 '/test/pipecheck gen 5000 > /tmp/a; cat /tmp/a /tmp/a | /test/pipecheck check 10000; echo st=$?; /test/pipecheck gen 100 | /test/pipecheck check 101; echo st=$?' \
	'^pipecheck: mismatch at offset 5000: got 0, want 0x99$' '^pipecheck: got 100 bytes, want 101$' '^st=1$' '!st=0'

# --- the shell -------------------------------------------------------------------------
stest sh-path-args status=0 'echo one two   three; /bin/echo abs path; hello a "b c"; export PATH=/test; fdcheck cwd /; echo st=$?; export PATH=/nowhere; ls; echo st=$?; /bin/ls /test/data' \
	'^one two three$' '^abs path$' '^hello from user mode: hello, argc=3$' '^  argv\[2\] = b c$' \
	'^fdcheck: ok$' '^st=0$' '^sh: 1: ls: not found$' '^st=127$' '^notelf$'
nbin=$(tar tf "$BUILD/initrd.tar" | grep -c '^bin/.')
stest sh-pipelines status=0 "echo -n wc1=; echo hello world | wc -c; echo -n wc2=; cat /test/data/notelf | grep not | wc -w; echo -n wc3=; echo abc | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | wc -c; false | true; echo st1=\$?; true | false; echo st2=\$?; echo -n bin=; ls /bin | wc -l; pwd | wc -c" \
	'^wc1=12$' '^wc2=5$' '^wc3=4$' '^st1=0$' '^st2=1$' "^bin=$nbin\$" '^2$'
stest sh-redirections status=0 'echo abc > /tmp/f; echo def >> /tmp/f; echo -n in=; wc -l < /tmp/f; cat < /tmp/f | grep -n e; echo x > /tmp/f; echo -n trunc=; cat /tmp/f; ls /nosuch 2> /tmp/err; echo st=$?; grep -n nosuch /tmp/err; ls /nosuch > /tmp/o 2>&1; echo -n both=; grep -c nosuch /tmp/o; ls /nosuch 2>&1 | grep -n such; cat < /tmp/nosuch; echo st2=$?; echo x > /bin/x; echo st3=$?; echo home > $HOME/v; cat /tmp/v' \
	'^in=2$' '^2:def$' '^trunc=x$' '^st=1$' '^1:ls: /nosuch: No such file or directory$' '!^ls: /nosuch' \
	'^both=1$' '^sh: 1: cannot open /tmp/nosuch: No such file$' '^st2=2$' \
	'^sh: 1: cannot create /bin/x: Read-only file system$' '^st3=2$' '^home$'
# Redirections apply left to right: "2>&1 > f" sends errors where stdout was (the
# console), then stdout to f.
stest sh-redirect-order status=0 'ls /nosuch 2>&1 > /tmp/f; echo -n f=; wc -c < /tmp/f; ls /nosuch > /tmp/g 2>&1; echo -n g=; wc -c < /tmp/g' \
	'^ls: /nosuch: No such file or directory$' '^f=0$' '^g=39$'
# A reader that stops early ends the writers (SIGPIPE) instead of leaving them blocked.
stest sh-pipe-early-exit status=0 '/test/pipecheck gen 1048576 | head -n 1 | wc -l; echo st=$?; cat /bin/sh | head -n 1 | wc -l; echo done' \
	'^st=0$' '^done$'
# (A non-interactive shell prints no job number for &: $! is the job's pid.)
stest sh-background-wait status=0 'sh -c "sleep 0.3; echo bg done >> /tmp/log" & echo bg=$!; echo fg first >> /tmp/log; wait; echo after wait >> /tmp/log; grep -n "" /tmp/log' \
	'^bg=[0-9]+$' '^1:fg first$' '^2:bg done$' '^3:after wait$'
stest sh-lists status=0 'true && echo and-yes; false && echo and-no; false || echo or-yes; true || echo or-no; false; echo st=$?; true; echo st=$?; true; false; echo semi=$?' \
	'^and-yes$' '!and-no' '^or-yes$' '!or-no' '^st=1$' '^st=0$' '^semi=1$'
# && and || chain left to right with equal precedence: a skipped command passes the
# status on (POSIX: "false && a || b" runs b).
stest sh-and-or-chains status=0 'false && echo x || echo chain1; true || echo x && echo chain2; false && echo a && echo b || echo chain3; true && false || echo chain4' \
	'^chain1$' '^chain2$' '^chain3$' '^chain4$' '!^(x|a|b)$'
stest sh-quoting status=0 "echo 'single \$HOME  spaces' \"double \$HOME\" \"a\\\"b\" 'it''s' a\\ b; echo \"a|b;c&d>e\"; echo '' x \"\" y; echo '#notcomment' # a comment; echo not-run" \
	'^single \$HOME  spaces double /tmp a"b its a b$' '^a\|b;c&d>e$' '^ x  y$' '^#notcomment$' '!not-run'
stest sh-variables status=0 "echo [\$NOPE] [\${HOME}x] [\$HOME/y]; export X=hello; sh -c 'echo X=\$X'; export A=1 B=2; sh -c 'echo AB=\$A\$B'; /test/fdcheck env X hello env NOPE -; false; echo st=\$?; nosuch; echo st=\$?; echo pid=\$\$" \
	'^\[\] \[/tmpx\] \[/tmp/y\]$' '^X=hello$' '^AB=12$' '^fdcheck: ok$' '^st=1$' '^sh: 1: nosuch: not found$' \
	'^st=127$' '^pid=[0-9]+$'
stest sh-builtins status=3 'cd /tmp; pwd; mkdir d; cd d; pwd; cd ..; echo -n back=; pwd; cd /nosuch; echo st=$?; cd /bin/sh; echo st=$?; cd /; cd; echo -n home=; pwd; echo -n abc; echo def; /bin/echo -n ghi; /bin/echo jkl; exit 3; echo notreached' \
	'^/tmp/d$' '^back=/tmp$' "^sh: 1: cd: can't cd to /nosuch\$" "^sh: 1: cd: can't cd to /bin/sh\$" \
	'^st=2$' '!^st=0$' '^home=/tmp$' '^abcdef$' '^ghijkl$' '!notreached'
stest sh-exit-status status=1 "sh -c 'exit 7'; echo st=\$?; sh -c 'echo inner; exit 5'; echo outer=\$?; false; exit" \
	'^st=7$' '^inner$' '^outer=5$'
stest sh-exit-large status=44 'exit 300'
stest sh-script status=0 'echo "echo from script" > /tmp/s.sh; echo "cd /bin" >> /tmp/s.sh; echo pwd >> /tmp/s.sh; echo "exit 4" >> /tmp/s.sh; echo "echo not here" >> /tmp/s.sh; sh /tmp/s.sh; echo st=$?; echo -n cwd=; pwd; sh /tmp/nosuch.sh; echo st2=$?' \
	'^from script$' '^/bin$' '^st=4$' '^cwd=/$' '!not here' '^sh: 0: cannot open /tmp/nosuch.sh: No such file$' '^st2=2$'
stest sh-not-found status=0 'nosuch; echo st=$?; /bin/nosuch arg; echo st=$?; /test/data/notelf; echo st2=$?; /test; echo st3=$?' \
	'^sh: 1: nosuch: not found$' '^st=127$' '^sh: 1: /bin/nosuch: not found$' \
	'^/test/data/notelf: 1: this: not found$' '^st2=127$' '^sh: 1: /test: Permission denied$' '^st3=126$'
# A syntax error ends a non-interactive shell (POSIX 2.8.1) with status 2: one sh -c each.
stest sh-syntax-errors status=0 'sh -c "| wc"; echo st1=$?; sh -c "echo hi >"; echo st2=$?; sh -c "echo a | | wc"; echo st3=$?; sh -c ";; echo x"; echo st4=$?; echo after-empty' \
	'^sh: 1: Syntax error: "\|" unexpected$' '^st1=2$' '^sh: 1: Syntax error: end of file unexpected$' '^st2=2$' \
	'^st3=2$' '^sh: 1: Syntax error: ";;" unexpected$' '^st4=2$' '!^x$' '^after-empty$'
stest sh-unterminated-quote status=2 "echo 'abc; echo notrun" '^sh: 1: Syntax error: Unterminated quoted string$' '!notrun'
stest sh-signal-status status=0 '/test/fault null-write; echo st=$?' 'pid [0-9]+ killed by signal 11' '^st=139$'
# Programs named by a relative path are found from the working directory (exec
# resolves the path like open does).
stest sh-exec-relative status=0 'cd /bin; ./echo dot-slash; cd /test/data; ../../bin/echo dot-dot; cd /tmp; bin/echo wrong; echo st=$?' \
	'^dot-slash$' '^dot-dot$' '!^wrong$' '^sh: 1: bin/echo: not found$' '^st=127$'
# Interactive: init runs `sh -c sh`, the inner shell reads the console (prompt, echo,
# backspace, ^U) until `exit 7`. The prompt is dash's for root, "# ". The input is all there at boot: the console echoes
# it as it comes (typeahead), before the prompts.
printf 'echo hi\nech\177ho back\ngarbage\025echo killed line\ncd /tmp\npwd\nexit 7\n' >"$OUT/sh-input.txt"
stest -i "$OUT/sh-input.txt" sh-interactive status=7 'sh' '^echo hi$' '^# hi$' '^# back$' '^# killed line$' \
	'^pwd$' '/tmp$' '!not found'
# Job control on the console, typed as a person would (test/keys.sh paces the keys
# by the prompts): ^C ends the foreground `sleep` and the shell lives on ($? 130);
# ^Z stops the next one, `jobs` lists it, `fg` resumes it and ^C ends it.
stest -t 90 -i <(bash test/keys.sh "$OUT/sh-job-control.log" 'until:1:# ' 'send:sleep 100\n' 'sleep:1' \
	'send:\x03' 'until:2:# ' 'send:echo st=$?\n' 'until:3:# ' 'send:sleep 200\n' 'sleep:1' 'send:\x1a' \
	'until:1:Stopped' 'send:jobs\n' 'until:5:# ' 'send:fg\n' 'sleep:1' 'send:\x03' 'until:6:# ' 'send:exit 3\n') \
	sh-job-control status=3 'sh' '^\^C$' '^st=130$' '^\[1\] \+ Stopped +sleep 200$' '^sleep 200$'
# dash prints the stopped job when ^Z stops it, and `jobs` lists it again.
sys_span sh-job-control-jobs sh-job-control '^# jobs$' '^# fg$' '^\[1\] \+ Stopped +sleep 200$'

# Scripts shipped in the initrd (test/scripts/*.sh at /test/scripts).
if tar tf "$BUILD/initrd.tar" 2>/dev/null | grep '^test/scripts/script.sh$' >/dev/null; then
	script_out=('^script: start$' '^script: indented with a tab$' '^/tmp/script.d$' '^script: a child sees hello$'
		'^script: status after false 1$' '^3$' '^2:two$' '^3:three$' '^ls: script.d: No such file or directory$'
		'^script: ls status 1$' '!script: not reached')
	stest sh-script-file status=0 'sh /test/scripts/script.sh; echo script-status=$?; echo -n cwd=; pwd' \
		"${script_out[@]}" '^script-status=6$' '^cwd=/$'
	stest sh-script-stdin status=0 'sh < /test/scripts/script.sh; echo script-status=$?' "${script_out[@]}" \
		'^script-status=6$' '!^# '
	# A shell kills its own background job by the pid the job reports.
	stest sh-kill-job status=0 'sh /test/scripts/killjob.sh | sh; echo done' '^job: started$' \
		'^killjob: kill status 0$' '^done$'
	sys_span sh-kill-job-gone sh-kill-job '^killjob: ps after kill$' '^done$' '^  PID  PPID S CMD$' '!sh -c echo kill'
else
	for t in sh-script-file sh-script-stdin sh-kill-job; do
		fail "$t" "the initrd has no /test/scripts (scripts/mkinitrd.sh must copy test/scripts/*.sh there)"
	done
fi

# --- the utilities -----------------------------------------------------------------------
stest util-echo-cat status=0 'echo one > /tmp/a; echo two > /tmp/b; echo mid | cat /tmp/a - /tmp/b | grep -n ""; cat /tmp/a /tmp/nosuch /tmp/b; echo st=$?; /bin/echo -n x; /bin/echo; /bin/echo -n; /bin/echo "  spaced  "; cat -- /tmp/a' \
	'^1:one$' '^2:mid$' '^3:two$' '^cat: /tmp/nosuch: No such file or directory$' '^st=1$' '^x$' '^  spaced  $'
stest util-ls status=0 'mkdir /tmp/dir; echo 12345 > /tmp/file; ls -l /bin | grep " sh"; ls -l /tmp; ls -l /test/data/notelf; ls /tmp /test/data; ls /nosuch; echo st=$?; cd /test; ls data' \
	'^-rwxr-xr-x +[0-9]+ Jan  1  1970 sh$' '^drwxr-xr-x +0 [A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2} dir$' \
	'^-rw-r--r-- +6 [A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2} file$' '^-rwxr-xr-x +22 Jan  1  1970 /test/data/notelf$' \
	'^/test/data:$' '^/tmp:$' '^elf386$' '^ls: /nosuch: No such file or directory$' '^st=1$'
stest util-wc status=0 'echo one > /tmp/a; wc /test/data/notelf /tmp/a; wc -l /tmp/a; echo -n w=; wc -w < /test/data/notelf; echo -n c=; echo hello | wc -c; wc /nosuch; echo st=$?' \
	'^      1       5      22 /test/data/notelf$' '^      1       1       4 /tmp/a$' '^      2       6      26 total$' \
	'^      1 /tmp/a$' '^w=5$' '^c=6$' '^wc: /nosuch: No such file or directory$' '^st=1$'
stest util-grep status=0 'echo one > /tmp/f; echo Two >> /tmp/f; echo three >> /tmp/f; echo two again >> /tmp/f; grep -n two /tmp/f; echo -n ci=; grep -c -i two /tmp/f; grep -v t /tmp/f | grep -n ""; grep nomatch /tmp/f; echo st=$?; grep x /nosuch; echo st2=$?; grep -c o /tmp/f /tmp/f; echo three | grep -n thr' \
	'^4:two again$' '^ci=2$' '^1:one$' '^2:Two$' '^st=1$' '^grep: /nosuch: No such file or directory$' '^st2=2$' \
	'^/tmp/f:3$' '^1:three$'
stest util-head status=0 'echo 1 > /tmp/f; echo 2 >> /tmp/f; echo 3 >> /tmp/f; cat /tmp/f /tmp/f /tmp/f /tmp/f > /tmp/g; echo -n n2=; head -n 2 /tmp/f | wc -l; echo -n n1=; head -1 /tmp/f; echo -n default=; head /tmp/g | wc -l; echo -n stdin=; cat /tmp/g | head -n 5 | wc -l; head /tmp/nosuch; echo st=$?' \
	'^n2=2$' '^n1=1$' '^default=10$' '^stdin=5$' '^head: /tmp/nosuch: No such file or directory$' '^st=1$'
stest util-mkdir-rm status=0 'mkdir /tmp/a /tmp/b; mkdir -p /tmp/x/y/z; ls /tmp/x/y; mkdir /tmp/a; echo st=$?; mkdir -p /tmp/a; echo st2=$?; mkdir /bin/q; echo f > /tmp/a/f; rm /tmp/a; echo st3=$?; rm -r /tmp/a; echo st4=$?; rm /tmp/nosuch; echo st5=$?; rm -f /tmp/nosuch; echo st6=$?; rm -r /tmp/x /tmp/b; echo -n left=; ls /tmp | wc -l; rm /bin/sh; echo st7=$?' \
	'^z$' '^mkdir: /tmp/a: File exists$' '^st=1$' '^st2=0$' '^mkdir: /bin/q: Read-only file system$' \
	'^rm: /tmp/a: Is a directory$' '^st3=1$' '^st4=0$' '^rm: /tmp/nosuch: No such file or directory$' '^st5=1$' \
	'^st6=0$' '^left=1$' '^rm: /bin/sh: Read-only file system$' '^st7=1$'
stest util-mv-cp status=0 'echo data > /tmp/f; mv /tmp/f /tmp/g; echo -n g=; cat /tmp/g; ls /tmp/f; mkdir /tmp/d; mv /tmp/g /tmp/d; echo 1 > /tmp/h1; echo 2 > /tmp/h2; mv /tmp/h1 /tmp/h2 /tmp/d; ls /tmp/d | grep -n ""; mv /tmp/nosuch /tmp/x; echo st=$?; mv /tmp/d /tmp/e; echo -n h2=; cat /tmp/e/h2; cp /tmp/e/g /tmp/c; echo -n c=; cat /tmp/c; cp /tmp/c /tmp/e; ls /tmp/e | grep -c ""; cp /bin/hello /tmp/hello; wc -c /tmp/hello; cp /tmp/c /tmp/c; echo st2=$?; cp /tmp/e /tmp/q; echo st3=$?; cp /tmp/c /bin/c; echo st4=$?' \
	'^g=data$' '^ls: /tmp/f: No such file or directory$' '^1:g$' '^2:h1$' '^3:h2$' \
	'^mv: /tmp/nosuch: No such file or directory$' '^st=1$' '^h2=2$' '^c=data$' '^4$' \
	"^ *$(stat -c %s "$BUILD/apps/hello") /tmp/hello\$" '^cp: /tmp/c: same file as /tmp/c$' '^st2=1$' \
	'^cp: /tmp/e: Is a directory$' '^st3=1$' '^cp: /bin/c: Read-only file system$' '^st4=1$'
stest util-sleep-true-false status=0 'sleep 1.01 & sleep 0.2; echo mark1; ps; wait; echo mark2; ps; echo mark3; sleep abc; echo st=$?; /bin/true; echo st2=$?; /bin/false; echo st3=$?; sleep 0; echo st4=$?' \
	'^usage: sleep SECONDS$' '^st=2$' '^st2=0$' '^st3=1$' '^st4=0$'
sys_span util-sleep-running util-sleep-true-false '^mark1$' '^mark2$' '^ +[0-9]+ +[0-9]+ R sleep 1\.01$'
sys_span util-sleep-ended util-sleep-true-false '^mark2$' '^mark3$' '^  PID  PPID S CMD$' '!sleep 1\.01$'
# /bin/kill itself (the shell's kill builtin would answer `kill PID` first, as in other shells)
stest util-kill status=0 '/bin/kill -l | grep KILL; /bin/kill -l | wc -l; /bin/kill -l 130; /bin/kill -0 1; echo st=$?; /bin/kill -0 999; echo st2=$?; /bin/kill -s BOGUS 1; echo st3=$?; /bin/kill; echo st4=$?; /bin/kill abc; echo st5=$?; /bin/kill -s CONT 1; /bin/kill -SIGCONT 1; /bin/kill -CHLD 1; echo done=$?' \
	'^ 9 KILL$' '^31$' '^INT$' '^st=0$' '^kill: 999: No such process$' '^st2=1$' '^kill: BOGUS: unknown signal$' '^st3=2$' \
	'^usage: kill' '^st4=2$' '^kill: abc: not a process id$' '^st5=1$' '^done=0$'
stest util-ps status=0 'echo shpid=$$; ps; ps x; echo st=$?' '^  PID  PPID S CMD$' '^    1     0 R init$' \
	'^usage: ps$' '^st=2$'
sys_pid_check util-ps-parent util-ps shpid '^ +@PID@ +1 R sh -c echo shpid' '^ +[0-9]+ +@PID@ R ps$'
stest util-exostat status=0 'exostat; exostat x; echo st=$?' '^memory +[0-9]+ frames \([0-9]+ MiB\), [0-9]+ free' \
	'^tsc +[0-9]+\.[0-9]{3} MHz$' '^modules +0 ' '^frames +free [0-9]+, kernel [0-9]+' '^ +ENV +PARENT STATUS' \
	'^ +0x[0-9a-f]+ +- .* init$' '^slots +[0-9]+ per round' '^syscall +calls +ticks' '^total +[0-9]' \
	'^upcalls +exception [0-9]+' '^timer +[0-9]+ ticks, [0-9]+ context switches$' '^usage: exostat$' '^st=2$'

# --- init ---------------------------------------------------------------------------
# An orphan goes to init (ppid 1) and, when it ends, init reaps it: no zombie stays.
stest init-reaps-orphans status=0 "sh -c 'sleep 1 &'; sleep 0.2; echo mark1; ps; sleep 1.5; echo mark2; ps; echo mark3"
sys_span init-orphan-adopted init-reaps-orphans '^mark1$' '^mark2$' '^ +[0-9]+ +1 R sleep 1$'
sys_span init-orphan-reaped init-reaps-orphans '^mark2$' '^mark3$' '^  PID  PPID S CMD$' '!sleep 1$' '! Z '
# The process tree: both commands of a pipeline are children of the shell running it
# (the second stage waits a little so that the first has exec'd sleep when ps looks).
stest init-ps-tree status=0 "echo shpid=\$\$; sleep 1 | sh -c 'echo pid2=\$\$; sleep 0.3; ps'" '^    1     0 R init$'
sys_pid_check init-ps-tree-parents init-ps-tree shpid '^ +@PID@ +1 R sh -c echo shpid' \
	'^ +[0-9]+ +@PID@ R sleep 1$' '^ +[0-9]+ +@PID@ R sh -c echo pid2=\$\$; sleep 0\.3; ps$'
sys_pid_check init-ps-tree-ps init-ps-tree pid2 '^ +[0-9]+ +@PID@ R ps$'

# /dev/null, and script arguments ($0-$9, $#) for `sh FILE args` and `sh -c CMD args`.
stest dev-null status=0 'echo hidden > /dev/null; cat /dev/null; echo st=$?; ls /nosuch 2>/dev/null; echo ls=$?; wc -c < /dev/null' \
	'^st=0$' '^ls=1$' '^0$' '!hidden' '!nosuch'
stest sh-script-args status=0 'echo "echo args \$# [\$1] [\$2] [\$3] \$0" > /tmp/s.sh; sh /tmp/s.sh a "b c"; sh -c "echo c \$0 \$1 \$#" x y' \
	'^args 2 \[a\] \[b c\] \[\] /tmp/s.sh$' '^c x y 1$'

# --- the process and identity calls (test/prog/posixsys) and Lua (the lua5.4 port) --------
qtest -t 60 posixsys status=0 "posixsys" '^posixsys: section popen ok' '^posixsys: section system ok' \
	'^posixsys: section users ok' '^posixsys: uname exo exo ' '^posixsys: section uname ok' \
	'^posixsys: section limits ok' '^posixsys: section sysconf ok' '^posixsys: section tmp ok' \
	'^posixsys: all [0-9]+ checks passed' '!CHECK FAILED'
stest sh-tilde-user status=0 'echo ~root ~nobody ~nosuch' '^/tmp /nonexistent ~nosuch$'
stest -t 60 lua-posix status=0 'lua /test/scripts/posix.lua' '^lua: [0-9]+ checks passed, 0 failed$' '!CHECK FAILED'
stest lua-luac-exit status=7 'lua -v; echo "return 6 * 7" > /tmp/a.lua && luac -o /tmp/a.luac /tmp/a.lua && lua -e "print(dofile(\"/tmp/a.luac\"))"; lua -e "os.exit(7)"' \
	'^Lua 5\.4\.4 ' '^42$'
