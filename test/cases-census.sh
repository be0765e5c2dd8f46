# The POSIX census (host side, sourced by test/run.sh): the functions the POSIX
# headers declare and nothing defines (make census, scripts/posix-census.sh) must
# be exactly the ones docs/apps.md lists under "POSIX calls not provided", and at
# most 20 (issue 13).
census_out=$OUT/census.txt
if make -s --no-print-directory census BUILD="$BUILD" CENSUS_LIST=--list >"$census_out" 2>"$OUT/census.err"; then
	documented=$(sed -n '/^### POSIX calls not provided/,/^##/p' docs/apps.md |
		grep -oE '^- `[A-Za-z_0-9]+`(, `[A-Za-z_0-9]+`)*' | grep -oE '[A-Za-z_0-9]+' | sort)
	found=$(sort "$census_out")
	count=$(grep -c . <<<"$found")
	if [ "$found" != "$documented" ]; then
		fail census-undefined "undefined and documented differ: $(diff <(echo "$found") <(echo "$documented") | grep '^[<>]' | tr '\n' ' ')"
	elif [ "$count" -gt 20 ]; then
		fail census-undefined "$count undefined, more than 20"
	else
		pass census-undefined
	fi
else
	fail census-undefined "make census failed ($OUT/census.err)"
fi

# The calls the census found missing, each exercised (test/prog/posixext).
qtest -t 60 posixext status=0 "posixext" \
	'^posixext: dirfd, fdopendir, fdclosedir, readdir_r, telldir, seekdir, scandir, alphasort ok' \
	'^posixext: glob, globfree ok' '^posixext: nftw, ftw ok' '^posixext: basename, dirname, iconv ok' \
	'^posixext: wordexp, wordfree ok' '^posixext: confstr, ctermid ok' \
	'^posixext: inet, getaddrinfo, getnameinfo, gethostbyname, sockets, dlopen ok' \
	'^posixext: creat, lockf ok' '^posixext: mkfifo, mkfifoat, mknodat, linkat ok' \
	'^posixext: readv, writev, sync, getwd, getdtablesize ok' \
	'^posixext: posix_spawnattr \(sigmask, sigdefault, pgroup, inherited ignores\) ok' \
	'^posixext: fexecve, execlpe ok' \
	'^posixext: timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete, clock_getres, clock_settime, settimeofday, adjtime, ualarm, sigpause ok' \
	'^posixext: pselect, sigqueue ok' '^posixext: daemon, setpgrp, _wait ok' \
	'^posixext: setreuid, setregid, setgroups, initgroups, issetugid, nice, getusershell, getdomainname, gethostid ok' \
	'^posixext: all [0-9]+ checks passed' '!CHECK FAILED'
