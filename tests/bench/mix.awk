# mix.awk - the mixed corpus of `make bench`: the lines of several files in
# turns, `share` bytes of each file a turn (whole lines, so the UTF-8 stays
# whole; a file that runs out starts again), until `bytes` are out.
#
#   LC_ALL=C awk -v bytes=8000000 -v shares="48000 8000" -f mix.awk a.txt b.txt
#
# shares names one number per file, in order.

FNR == 1 { f++ }
{ line[f, ++n[f]] = $0 }

END {
	if (split(shares, share, " ") != f) {
		print "mix.awk: one share per file" > "/dev/stderr"
		exit 1
	}
	out = 0
	while (out < bytes) {
		for (k = 1; k <= f; k++) {
			got = 0
			while (got < share[k]) {
				at[k] = at[k] % n[k] + 1
				printf "%s\n", line[k, at[k]]
				got += length(line[k, at[k]]) + 1
			}
			out += got
		}
	}
}
