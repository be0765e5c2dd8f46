# sed.sh: sed's commands, addresses, flags and options; one line per check,
# "sed-NAME: ok", or "sed-NAME: FAIL ..." with what sed wrote (test/cases-utils.sh
# expects an ok line for every "t NAME" and "ts NAME" below).
cd /tmp

# t NAME EXPECTED INPUT ARG...: printf INPUT | sed ARG... must write printf
# EXPECTED exactly (the last newline, or its absence, included) and exit 0.
t() {
	name=$1 exp=$2 in=$3
	shift 3
	printf "$in" | sed "$@" > sed.out
	st=$?
	got=$(cat sed.out; echo .)
	want=$(printf "$exp"; echo .)
	if [ "$got" = "$want" ] && [ $st = 0 ]; then
		echo "sed-$name: ok"
	else
		echo "sed-$name: FAIL status $st, got [$got]"
	fi
}

# ts NAME STATUS EXPECTED ARG...: sed ARG... (input from /dev/null) must exit
# with STATUS and write printf EXPECTED.
ts() {
	name=$1 status=$2 exp=$3
	shift 3
	sed "$@" < /dev/null > sed.out 2> sed.err
	st=$?
	got=$(cat sed.out; echo .)
	want=$(printf "$exp"; echo .)
	if [ "$got" = "$want" ] && [ $st = "$status" ]; then
		echo "sed-$name: ok"
	else
		echo "sed-$name: FAIL status $st, got [$got] $(cat sed.err)"
	fi
}

# rep C N: the byte C N times
rep() {
	r= i=0
	while [ $i -lt $2 ]; do r=$r$1 i=$((i + 1)); done
	printf %s "$r"
}

L='one\ntwo\nthree\nfour\nfive\n'
printf 'r1\nr2\n' > /tmp/sed.r

# addresses
t p 'one\none\n' 'one\n' p
t n-line '2\n' '1\n2\n3\n' -n 2p
t last 'five\n' "$L" -n '$p'
t re 'two\nthree\n' "$L" -n '/t/p'
t re-delim 'one\ntwo\nfour\n' "$L" -n '\,o,p'
t range-lines 'two\nthree\nfour\n' "$L" -n 2,4p
t range-backwards 'four\n' "$L" -n 4,2p
t range-re 'two\nthree\nfour\n' "$L" -n '/two/,/our/p'
t range-re-line 'two\nthree\n' "$L" -n '/two/,3p'
t range-re-back 'three\n' "$L" -n '/three/,2p'
t range-to-last 'four\nfive\n' "$L" -n '/four/,$p'
t range-unclosed 'four\nfive\n' "$L" -n '/four/,/none/p'
t range-restart 'a1\nb\na2\nb\n' 'a1\nb\na2\nb\nc\n' -n '/a/,/b/p'
t negate 'two\nthree\nfour\n' "$L" '2,4!d'
t negate-re 'three\nfive\n' "$L" -n '/o/!p'
t empty-re 'TwO\n' 'two\n' '/t/s//T/;s/o/O/g;s//x/'
t re-newline 'a b\n' 'a\nb\n' 'N;/a\nb/s/\n/ /'
t re-I 'x\nx\n' 'ONE\none\n' '/one/Is/.*/x/'
# commands
t d 'one\nthree\nfour\nfive\n' "$L" 2d
t semicolons 'two\nfour\nfive\n' "$L" '1d;3d'
t q 'one\ntwo\n' "$L" 2q
ts q-status 5 'r2\n' -e '$q5' -e 1d /tmp/sed.r
t block 'two\ntwo\n' "$L" -n '/w/{p;p}'
t block-nested 'three\n' "$L" -n '/t/{/h/{p}}'
t block-lines 'one\nTWO\nthree\n' 'one\ntwo\nthree\n' -e '2{' -e 'y/tw/TW/' -e 's/o/O/' -e '}'
t a 'one\nA\ntwo\n' 'one\ntwo\n' '1a\
A'
t a-oneliner 'one\ntwo\n  end\n' 'one\ntwo\n' '$a\  end'
t a-gnu 'one\nafter one\ntwo\n' 'one\ntwo\n' '1a after one'
t a-multiline 'one\nX\nY\ntwo\n' 'one\ntwo\n' '1a\
X\
Y'
t i 'I\none\n' 'one\n' 'i\
I'
t i-gnu 'one\nbefore\ntwo\n' 'one\ntwo\n' '2i before'
t c 'one\nC\nthree\n' 'one\ntwo\nthree\n' '2c\
C'
t c-range 'one\nC\nfour\nfive\n' "$L" '2,3c\
C'
t c-negated 'C\ntwo\nC\n' 'one\ntwo\nthree\n' '2!c C'
t equals '1\n2\n' 'a\nb\n' -n =
t equals-last '5\n' "$L" -n '$='
t l 'a\\tb\\001\\\\$\n' 'a\tb\001\\\n' -n l
t l-fold "$(rep x 69)\\\\\nxxx\$\n" "$(rep x 72)\n" -n l
t l-newline 'a\\nb$\n' 'a\nb\n' -n 'N;l'
t n 'one\nthree\nfive\n' "$L" 'n;d'
t n-silent 'two\nfour\n' "$L" -n 'n;p'
t N 'one two\nthree four\nfive\n' "$L" '$!N;s/\n/ /'
t N-eof-gnu 'one\ntwo\nthree\n' 'one\ntwo\nthree\n' 'N;N;N'
t join 'one,two,three,four,five\n' "$L" ':a;N;$!ba;s/\n/,/g'
t D-P 'a\nb\nc\n' 'a b c\n' 's/ /\n/;P;D'
t D-squeeze 'a\n\nb\n' 'a\n\n\n\nb\n' '/^$/{N;/^\n$/D}'
t P 'one\nthree\n' "$L" -n 'N;P;$d'
t h-g 'one\none\n' 'one\ntwo\n' '1h;2g'
t tac 'five\nfour\nthree\ntwo\none\n' "$L" '1!G;h;$!d'
t H-x '\none\ntwo\n' 'one\ntwo\n' 'H;$!d;x'
t x 'one\ntwo\n' 'one\ntwo\nthree\n' '2x;2d;3x;3G;3s/\n.*//'
t y 'ABC\nxyz\n' 'abc\nxyz\n' 'y/abc/ABC/'
t y-escapes 'a\nb\\c\n' 'a b/c\n' 'y/ \//\n\\/'
t b-label 'one\n' "$L" -n '/one/bp;d;:p;p'
t b-end 'one\n' 'one\n' 'b;s/one/X/'
t t 'X1\nfour?\n' 'one\nfour\n' 's/one/X1/;tdone;s/$/?/;:done'
t t-reset 'aa!\n' 'aa\n' 's/x/y/;ta;s/^/-/;:a;s/-//;ta;s/$/!/;tb;:b'
t comment 'ONE\n' 'one\n' '# a comment
s/one/ONE/ # another'
t hash-n 'one\n' 'one\n' '#n
p'
t r-w 'x\nr1\nr2\ny\n' 'x\ny\n' '1r /tmp/sed.r'
# s flags and replacements
t s 'On\n' 'On\n' 's/o/0/'
t s-g 'Onno\n' 'oooo\n' 's/o/O/;s/oo/nn/g'
t s-nth 'aaXa\n' 'aaaa\n' 's/a/X/3'
t s-nth-g 'aXXX\n' 'aaaa\n' 's/a/X/2g'
t s-empty-g ':a:b:c:\n' 'abc\n' 's/x*/:/g'
t s-p 'X\n' 'a\nb\n' -n 's/a/X/p'
t s-amp '[one] & done\n' 'one\n' 's/.*/[&] \& done/'
t s-groups 'world hello\n' 'hello world\n' 's/\(hello\) \(world\)/\2 \1/'
t s-E 'world hello\n' 'hello world\n' -E 's/(hello) (world)/\2 \1/'
t s-newline 'a\nb\n' 'a b\n' 's/ /\n/'
t s-escaped-newline 'a\nb\n' 'a b\n' 's/ /\
/'
t s-delim 'a|b\n' 'a/b\n' 's|/|\||'
t s-bre-interval 'X\n' 'aaa\n' 's/a\{3\}/X/'
t s-anchors '<a>\n' 'a\n' 's/^/</;s/$/>/'
t s-w '' "$L" -n 's/w/W/w /tmp/sed.w'
t s-w-file 'tWo\n' '' -e '' /tmp/sed.w
t w 'x\n' "$L" -n '/^t/w /tmp/sed.w2
$s/.*/x/p'
t w-file 'two\nthree\n' '' -e '' /tmp/sed.w2
# options and inputs
t e-joined 'T\n' 'two\n' -e 's/two/t/' -e 's/t/T/'
echo 's/o/0/g' > /tmp/sed.f
echo '$!d' >> /tmp/sed.f
t f 'f0ur\n' 'one\nfour\n' -f /tmp/sed.f
t f-e 'f0ur!\n' 'one\nfour\n' -f /tmp/sed.f -e 's/$/!/'
printf 'x\ny\n' > /tmp/sed.r2
t files 'r1\nr2\nx\ny\n' '' -n p /tmp/sed.r /tmp/sed.r2
t files-last 'y\n' '' -n '$p' /tmp/sed.r /tmp/sed.r2
t stdin-dash 'r1\nr2\nin\n' 'in\n' -n p /tmp/sed.r -
t no-newline 'a\na' 'a' p
t long-line "$(rep y 3000)\n" "$(rep x 3000)\n" 'y/x/y/'
ts missing-file 2 'r1\nr2\n' -n p /nosuch /tmp/sed.r
ts usage 1 ''
ts bad-command 1 '' k
ts bad-unterminated 1 '' 's/a/b'
ts bad-label 1 '' 'b nowhere'
ts bad-brace 1 '' '{p'
ts bad-y 1 '' 'y/ab/c/'
ts bad-script-file 1 '' -f /nosuch
echo 'sed: end'
