# dash-suite.sh: the POSIX shell language under dash, one line per check,
# "NAME: RESULT" (test/cases-utils.sh holds the expected results).
cd /tmp
# functions: arguments, local status, recursion
add() { echo $(($1 + $2)); }
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi; }
ret() { return 7; }
ret; echo fn-status: $?
echo fn-args: $(add 2 3)
echo fn-recursion: $(fact 5)
# loops
s=; for w in a b c; do s=$s$w; done; echo for: $s
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo while: $i
i=0; until [ $i -ge 3 ]; do i=$((i + 1)); done; echo until: $i
s=; for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; s=$s$i; done; echo break-continue: $s
set -- x y z; s=; for a; do s=$s$a; done; echo for-positional: $s $#
# case
for v in apple 42 Zed; do
	case $v in
	a*) echo case-$v: fruit ;;
	[0-9]*) echo case-$v: number ;;
	*) echo case-$v: other ;;
	esac
done
# here-documents
x=expanded
cat <<EOT
heredoc: $x $((1 + 1))
EOT
cat <<'EOT'
heredoc-quoted: $x
EOT
	cat <<-EOT
	heredoc-tabs: stripped
	EOT
# command substitution, nested, with backquotes
echo cmdsub: $(echo $(echo inner)) `echo back`
n=$(printf 'a\nb\nc\n' | wc -l); echo cmdsub-pipe: $n
# arithmetic
echo arith: $((7 / 2)) $((7 % 3)) $((2 << 3)) $(( (1 + 2) * 3 )) $((0x10)) $((010)) $((5 > 3 && 2 > 1))
i=5; : $((i += 10)); echo arith-assign: $i
# parameter expansion
p=/a/b/c.txt; echo params: ${p##*/} ${p%.*} ${p#/} ${#p} ${unset:-default} ${p:+set}
unset q; : ${q:=assigned}; echo param-assign: $q
# traps
trap 'echo trap-exit: ran' EXIT
sh -c 'trap "echo trap-int: caught; exit 3" INT; kill -INT $$; echo not-here'; echo trap-int-status: $?
sh -c 'trap "" TERM; kill -TERM $$; echo trap-ignored: survived'
(trap 'echo trap-subshell: $?' EXIT; exit 5)
# redirections
echo one > r1; echo two >> r1; echo redir-append: $(cat r1)
exec 3> r2; echo via-fd3 >&3; exec 3>&-; echo redir-fd: $(cat r2)
{ echo out; echo err >&2; } > r3 2>&1; echo redir-group: $(cat r3)
read line < r1; echo redir-read: $line
echo data | { read v; echo redir-pipe-read: $v; }
ls /nosuch 2> /dev/null; echo redir-devnull: $?
cat <<EOT > r4
written
EOT
echo redir-heredoc-file: $(cat r4)
( cd /bin && echo subshell-cd: $(pwd) ); echo after-subshell: $(pwd)
# lists, negation, exit statuses
! false; echo negation: $?
false || true && echo and-or: ok
x=$(exit 9); echo cmdsub-status: $?
# set -e in a subshell stops at the first failure
(set -e; false; echo not-reached); echo set-e: $?
# IFS and read
echo 'a:b:c' | { IFS=: read f1 f2 f3; echo ifs-read: $f3 $f2 $f1; }
# background jobs and wait
sleep 0.2 & pid=$!; wait $pid; echo wait-status: $?
sh -c 'exit 6' & wait $!; echo wait-bg-status: $?
# eval, shift, getopts
eval 'ev=evaluated'; echo eval: $ev
set -- 1 2 3; shift 2; echo shift: $1 $#
OPTIND=1; set -- -a -b val arg; while getopts ab: o; do echo getopts: $o ${OPTARG:-}; done
echo dash-suite: end
