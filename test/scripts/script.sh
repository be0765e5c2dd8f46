# script.sh - sh running a script file (cases-sys.sh runs it as
# `sh /test/scripts/script.sh` and as `sh < /test/scripts/script.sh`): comments,
# blank lines and indentation; state that lasts from line to line (cd, export,
# $?); a background job and wait; a pipeline and redirections on files the script
# made; exit in the middle (the lines after it never run).

echo script: start # a comment after a command
# a comment line, then a blank one

	echo script: indented with a tab
cd /tmp
mkdir -p script.d
cd script.d
pwd
export GREETING=hello
sh -c 'echo script: a child sees $GREETING'
false
echo script: status after false $?
echo one > f
echo two >> f
sh -c 'sleep 0.2; echo three >> f' &
wait
cat f | wc -l
grep -n t f
cd ..
rm -r script.d
ls script.d
echo script: ls status $?
exit 6
echo script: not reached
