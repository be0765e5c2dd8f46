# utils-options.sh: the POSIX options of the older utilities (ls, head, wc, cp, mkdir);
# one line per check, "NAME: RESULT" (test/cases-utils.sh holds the expected results).
cd /tmp
mkdir -p r/s/t; echo 1 > r/a; echo 2 > r/s/b; echo 3 > r/s/t/c
echo ls-R: $(ls -R r)
echo ls-d: $(ls -d r r/s)
echo ls-dl: $(ls -ld r | cut -c1)
echo ls-r: $(ls -r r)
echo ls-1: $(ls -1 r/s | wc -l)
echo ls-t: $(ls -t r | wc -l)
echo ls-a: $(ls -a r)
printf 'abcdef\nxyz\n' > h
echo head-c: $(head -c 4 h)
echo head-c-lines: $(head -c 9 h | wc -l)
echo wc-m: $(wc -m < h)
cp -R r r2; echo cp-R: $(find r2 | sort)
cp r r3; echo cp-dir-no-R: $?
echo x > ro; chmod 444 ro; cp -p ro rp; echo cp-p: $(ls -l rp | cut -c1-10)
echo new > src; cp -f src ro; echo cp-f: $(cat ro)
cp -R r r/s/inside 2>/dev/null; echo cp-R-into-self: $(ls r/s/inside | sort)
mkdir -m 700 m1; echo mkdir-m: $(ls -ld m1 | cut -c1-10)
mkdir -p -m u=rwx,go=rx m2/m3; echo mkdir-pm: $(ls -ld m2/m3 | cut -c1-10)
mkdir -m bogus m4; echo mkdir-m-bad: $?
