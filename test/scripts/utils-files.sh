# utils-files.sh: rmdir, chmod, find, xargs, basename, dirname, env, date, test;
# one line per check, "NAME: RESULT" (test/cases-utils.sh holds the expected results).
cd /tmp
mkdir -p a/b/c
rmdir a; echo rmdir-nonempty: $?
rmdir -p a/b/c; echo rmdir-p: $? $(ls -d a 2>&1 | cut -d: -f3)
rmdir /nosuch; echo rmdir-missing: $?
echo x > f
chmod 600 f; echo chmod-octal: $(ls -l f | cut -c1-10)
chmod u+x,g+r f; echo chmod-symbolic: $(ls -l f | cut -c1-10)
chmod a=r f; echo chmod-equals: $(ls -l f | cut -c1-10)
chmod go-r,u+w f; echo chmod-minus: $(ls -l f | cut -c1-10)
mkdir -p d/e; echo y > d/e/g; chmod -R 700 d; echo chmod-R: $(ls -l d/e | cut -c1-10)
chmod 999 f; echo chmod-bad: $?
chmod 644 /nosuch; echo chmod-missing: $?
mkdir -p tree/sub/deep; echo 1 > tree/a.txt; echo 22 > tree/sub/b.txt; echo 333 > tree/sub/deep/c.log
echo find-all: $(find tree | sort)
echo find-name: $(find tree -name '*.txt' | sort)
echo find-type-d: $(find tree -type d | sort)
echo find-not: $(find tree -type f ! -name '*.txt')
echo find-or: $(find tree \( -name a.txt -o -name c.log \) | sort)
echo find-prune: $(find tree -name sub -prune -o -type f -print)
echo find-size: $(find tree -type f -size +2c | sort)
echo find-size-blocks: $(find tree -type f -size 1 | wc -l)
echo find-path: $(find tree -path '*deep*' -type f)
echo find-exec: $(find tree -name '*.log' -exec cat {} \;)
echo find-exec-plus: $(find tree -name '*.txt' -exec echo files {} + | sort)
echo find-depth: $(find tree/sub -depth | head -n 1)
echo find-perm: $(chmod 755 tree/a.txt; find tree -type f -perm 755)
echo find-mtime: $(find tree -name a.txt -mtime -100000 | wc -l) $(find tree -name a.txt -mtime +100000 | wc -l)
find /nosuch; echo find-missing: $?
echo xargs: $(printf 'a b\nc\n' | xargs echo X)
echo xargs-n: $(printf 'a b c d e\n' | xargs -n 2 echo X)
echo xargs-I: $(printf 'one\ntwo\n' | xargs -I @ echo [@])
echo xargs-0: $(printf 'x y\0z\0' | xargs -0 -n 1 echo | wc -l)
echo xargs-quote: $(printf '"a b" c\n' | xargs -n 1 echo | wc -l)
echo xargs-t: $(echo q | xargs -t echo 2>&1)
echo xargs-L: $(printf 'a b\nc\nd\n' | xargs -L 2 echo | wc -l)
echo xargs-E: $(printf 'a b STOP c\n' | xargs -E STOP echo)
echo xargs-empty: $(xargs echo empty < /dev/null)
printf 'a\n' | xargs false; echo xargs-fail: $?
printf 'a\n' | xargs nosuchcmd 2>/dev/null; echo xargs-notfound: $?
echo basename: $(basename /usr/lib/x.so .so) $(basename /) $(basename a/b/) $(basename x.c x.c)
echo dirname: $(dirname /a/b/c) $(dirname a) $(dirname /a) $(dirname a/b//) $(dirname /)
echo env-i: $(env -i X=1 Y=2 env)
echo env-run: $(env Z=3 sh -c 'echo $Z')
env nosuch 2>/dev/null; echo env-notfound: $?
echo date-year: $(date +%Y | grep -c '^20[2-9][0-9]$')
echo date-format: $(date -u '+%H:%M:%S' | grep -c '^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]$')
echo date-default: $(date | grep -c ' UTC 20')
date 0101000070; echo date-set: $?
test -f f && echo test-f: yes
test -d f || echo test-d: no
test -e /nosuch || echo test-e: no
/bin/test -n "" || echo test-n-empty: false
/bin/test abc = abc && echo test-eq-str: true
/bin/test 3 -gt 10 || echo test-gt: false
/bin/test 2 -lt 3 -a 4 -ge 4 && echo test-and: true
/bin/test 1 -eq 2 -o ! -z x && echo test-or-not: true
/bin/test \( 1 -eq 1 \) && echo test-paren: true
/bin/[ -s f ] && echo test-bracket: true
/bin/[ -x tree/a.txt ] && echo test-x: true
/bin/test abc -eq 1 2>/dev/null; echo test-error: $?
/bin/[ 1 = 1; echo bracket-missing: $?
/bin/test; echo test-empty: $?
/bin/test a \< b && echo test-lt-str: true
