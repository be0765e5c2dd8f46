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
