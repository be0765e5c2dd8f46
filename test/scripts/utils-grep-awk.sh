# utils-grep-awk.sh: grep's POSIX options and awk (the one true awk, a port); one
# line per check, "NAME: RESULT" (test/cases-utils.sh holds the expected results).
cd /tmp
printf 'apple\nBanana\ncherry\napple pie\n123\n' > g
echo grep-bre: $(grep '^a.*e$' g)
echo grep-bre-class: $(grep '[0-9]\{3\}' g)
echo grep-E: $(grep -E 'an(an)+a|^ch' g)
echo grep-F: $(printf 'a.c\nabc\n' | grep -F 'a.c')
echo grep-i: $(grep -i banana g)
echo grep-v-c: $(grep -v -c apple g)
echo grep-n: $(grep -n cherry g)
echo grep-x: $(grep -x apple g)
echo grep-empty: $(grep -c '' g) $(printf 'a\n\nb\n' | grep -cx '')
echo grep-xF: $(grep -xF 'apple pie' g)
echo grep-e: $(grep -e 123 -e cherry g)
printf 'Banana\n123\n' > pats
echo grep-f: $(grep -f pats g)
echo grep-l: $(grep -l cherry g pats /dev/null)
grep -q apple g; echo grep-q: $?
grep -q nothing g; echo grep-q-none: $?
grep -s x /nosuch; echo grep-s: $?
echo grep-h: $(grep -h 123 g pats)
echo grep-multi: $(grep 123 g pats)
grep 'a\{' g; echo grep-bad-re: $?
echo awk-begin: $(awk 'BEGIN { x = 6 * 7; print x, length("four"), substr("hello", 2, 3) }')
echo awk-fields: $(printf 'a b c\nd e f\n' | awk '{ print $3, NF, NR }')
echo awk-F: $(echo 'x:y:z' | awk -F: '{ print $2 }')
echo awk-sum: $(printf '1\n2\n3\n4\n' | awk '{ s += $1 } END { print s, s / NR }')
echo awk-pattern: $(awk '/^c/ { print toupper($0) }' g)
echo awk-array: $(printf 'a\nb\na\n' | awk '{ n[$1]++ } END { print n["a"], n["b"] }')
echo awk-printf: $(awk 'BEGIN { printf "%05.1f|%-3s|%x\n", 3.14159, "ab", 255 }')
echo awk-v: $(awk -v who=world 'BEGIN { print "hello " who }')
echo awk-gsub: $(echo 'a-b-c' | awk '{ gsub(/-/, "+"); print }')
echo awk-split: $(awk 'BEGIN { n = split("p:q:r", a, ":"); print n, a[3] }')
echo awk-match: $(awk 'BEGIN { print match("foobar", /ob/), RSTART, RLENGTH }')
echo 'BEGIN { print "from file" }' > prog.awk
echo awk-f: $(awk -f prog.awk)
echo awk-getline: $(awk 'BEGIN { while ((getline l < "/tmp/g") > 0) n++; print n }')
echo awk-pipe: $(awk 'BEGIN { "echo piped" | getline x; print x }')
echo awk-system: $(awk 'BEGIN { r = system("exit 3"); print r }')
echo awk-output: $(awk 'BEGIN { print "to file" > "/tmp/aout"; close("/tmp/aout"); getline y < "/tmp/aout"; print y }')
echo awk-math: $(awk 'BEGIN { printf "%.3f %d\n", sqrt(2), int(-3.7) }')
awk 'BEGIN { exit 4 }'; echo awk-exit: $?
awk '{' 2>/dev/null; echo awk-syntax: $?
