# gen-text.awk - deterministic text in one script for `make bench`, made of
# the words of tests/bench/words.txt: sentences of 4 to 15 words, now and
# then a comma or a number, paragraphs of 2 to 6 sentences, each paragraph
# in one language of the script, the languages taken in turn.  One word in
# four is two of the list run together, so that like real text it has
# thousands of distinct words, not a hundred (which a cache of words would
# make look faster than real text is).
#
#   LC_ALL=C awk -v script=cjk -v bytes=2000000 -f gen-text.awk words.txt
#
# script is a script of words.txt (latin, cyrillic, arabic, indic, thai,
# cjk); bytes the least size of the output, which ends after a paragraph.
# With -v bare=1 the words of the script's first language only, run
# together on one line with nothing between them (no punctuation, no
# number, no space): for Chinese, one piece as long as the text.
# The random numbers are our own (Park-Miller), so every awk gives the same
# text.  Run it with LC_ALL=C: sizes are in bytes.

function rnd(n) {
	seed = (seed * 16807) % 2147483647
	return int(seed / 2147483647 * n) # the high bits: the low ones of
	                                   # neighbouring draws are related
}

# The punctuation of each language: sentence end and comma.
function punct(lang) {
	if (lang == "zh") { END_ = "。"; COMMA = "，"; return }
	if (lang == "ja") { END_ = "。"; COMMA = "、"; return }
	if (lang == "th") { END_ = " "; COMMA = " "; return }
	if (lang == "hi" || lang == "bn") { END_ = "।"; COMMA = ","; return }
	if (lang == "ar" || lang == "fa") { END_ = "."; COMMA = "،"; return }
	if (lang == "ur") { END_ = "۔"; COMMA = "،"; return }
	END_ = "."
	COMMA = ","
}

BEGIN {
	seed = 20240611
	n_langs = 0
}

/^#/ || NF < 4 { next }

$1 == script {
	n_langs++
	lang[n_langs] = $2
	spaced[n_langs] = $3 == "space"
	n_words[n_langs] = NF - 3
	for (i = 4; i <= NF; i++)
		word[n_langs, i - 3] = $i
}

END {
	if (n_langs == 0) {
		print "gen-text.awk: no words for script " script > "/dev/stderr"
		exit 1
	}
	out = 0
	k = 0
	if (bare) {
		while (out < bytes) {
			w = word[1, 1 + rnd(n_words[1])]
			printf "%s", w
			out += length(w)
		}
		exit
	}
	while (out < bytes) {
		k = k % n_langs + 1
		punct(lang[k])
		sep = spaced[k] ? " " : ""
		para = ""
		n_sent = 2 + rnd(5)
		for (s = 0; s < n_sent; s++) {
			n = 4 + rnd(12)
			sent = ""
			for (w = 0; w < n; w++) {
				if (w > 0)
					sent = sent (rnd(9) == 0 ? COMMA (spaced[k] ? " " : "") : sep)
				if (rnd(40) == 0)
					sent = sent rnd(2025)
				else if (rnd(4) == 0)
					sent = sent word[k, 1 + rnd(n_words[k])] word[k, 1 + rnd(n_words[k])]
				else
					sent = sent word[k, 1 + rnd(n_words[k])]
			}
			para = para (s > 0 && spaced[k] ? " " : "") sent END_
		}
		printf "%s\n\n", para
		out += length(para) + 2
	}
}
