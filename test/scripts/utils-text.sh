# utils-text.sh: sort, uniq, cut, tr, tail, tee on small inputs; one line per check,
# "NAME: RESULT" (test/cases-utils.sh holds the expected results).
cd /tmp
printf '10\n9\n2\n1\n' > n
printf 'b 2\na 10\nc 1\nA 3\n' > kv
echo sort-plain: $(sort n)
echo sort-n: $(sort -n n)
echo sort-nr: $(sort -nr n)
echo sort-k2n: $(sort -k 2n kv | cut -d' ' -f1)
echo sort-k2nr: $(sort -k2,2nr kv | cut -d' ' -f1)
echo sort-f: $(sort -f kv | cut -d' ' -f1)
echo sort-t: $(printf 'x:3\ny:1\nz:2\n' | sort -t: -k2 | cut -d: -f1)
echo sort-u: $(printf 'b\na\nb\na\n' | sort -u)
echo sort-b: $(printf '  b\na\n c\n' | sort -b)
printf '3\n1\n' > o; sort -o o o; echo sort-o-in-place: $(cat o)
sort -c n; echo sort-c-status: $?
sort -c -n n 2>/dev/null; echo sort-cn-status: $?
echo sort-multi: $(sort n kv | head -n 2)
printf 'a\na\nb\nc\nc\nc\nd\n' > u
echo uniq: $(uniq u)
echo uniq-c: $(uniq -c u)
echo uniq-d: $(uniq -d u)
echo uniq-u: $(uniq -u u)
echo uniq-i: $(printf 'a\nA\nb\n' | uniq -i)
echo uniq-f: $(printf 'x a\ny a\nz b\n' | uniq -f 1)
echo uniq-s: $(printf 'xa\nya\nzb\n' | uniq -s 1)
echo cut-f: $(echo 'a:b:c:d' | cut -d: -f 2,4)
echo cut-f-range: $(echo 'a:b:c:d' | cut -d: -f 2-)
echo cut-c: $(echo abcdefgh | cut -c 1-3,6)
echo cut-b: $(echo abcdefgh | cut -b -2)
echo cut-tab: $(printf 'one\ttwo\n' | cut -f2)
echo cut-s: $(printf 'a:b\nnodelim\n' | cut -s -d: -f1)
echo cut-nos: $(printf 'a:b\nnodelim\n' | cut -d: -f1)
echo tr-range: $(echo hello | tr a-y b-z)
echo tr-class: $(echo 'Hello World' | tr '[:lower:]' '[:upper:]')
echo tr-d: $(echo 'a1b2c3' | tr -d 0-9)
echo tr-s: $(echo 'aaabbbccc   d' | tr -s 'a-c ')
echo tr-cd: $(echo 'a1b2-c3' | tr -cd 0-9)
echo tr-pad: $(echo abcd | tr abcd xy)
echo tr-esc: $(printf 'a\tb\n' | tr '\t' '_')
echo tr-ds: $(echo 'aa11bb' | tr -ds 1 b)
echo tr-repeat: $(echo abcde | tr abcde 'x[y*]')
printf '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n' > l
echo tail-default: $(tail l)
echo tail-n: $(tail -n 3 l)
echo tail-plus: $(tail -n +11 l)
echo tail-old: $(tail -2 l)
echo tail-c: $(tail -c 3 l)
echo tail-stdin: $(cat l | tail -n 1)
echo tail-noeol: $(printf 'a\nb' | tail -n 1)
echo hi | tee t1 t2 > /dev/null; echo tee: $(cat t1 t2)
echo more | tee -a t1 > /dev/null; echo tee-a: $(cat t1)
echo x | tee /nosuch/f; echo tee-status: $?
tail /nosuch; echo tail-status: $?
