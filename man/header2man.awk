# header2man.awk - promptasm(3), the library's reference, from
# include/promptasm.h: its opening comment (the rules), then each section
# of the header with its comments as text and its declarations and
# examples as code, in the header's order.  Run by the build (make), so
# the page cannot drift from the header, as cmark makes its man3 page.
#   awk -v version=0.1.0 -f man/header2man.awk include/promptasm.h
function esc(s) {
	gsub(/\\/, "\\e", s)
	sub(/^[.']/, "\\\\\\&&", s)
	return s
}
function text_line(s) {
	if (s == "") { if (!blank) print ".PP"; blank = 1; item = 0; return }
	blank = 0
	if (s ~ /^ - /) { print ".IP \\(bu 2"; s = substr(s, 4); item = 1 }
	else if (item && s ~ /^   /) sub(/^ +/, "", s)
	print esc(s)
}
function code_on() { if (!incode) { print ".PP\n.nf\n.RS 4"; incode = 1 } }
function code_off() { if (incode) { print ".RE\n.fi\n.PP"; incode = 0; blank = 1 } }
BEGIN {
	print ".\\\" Generated from include/promptasm.h by man/header2man.awk: do not edit."
	print ".TH PROMPTASM 3 \"\" \"promptasm " version "\" \"Library Functions Manual\""
	print ".SH NAME"
	print "promptasm \\- compose, count and trim the system prompts of AI agents (C library)"
	print ".SH SYNOPSIS"
	print ".nf"
	print ".B #include <promptasm.h>"
	print ".PP"
	print ".B cc prog.c $(pkg-config \\-\\-cflags \\-\\-libs promptasm)"
	print ".fi"
	print ".SH DESCRIPTION"
	print ".ad l"
	print ".nh"
	state = "start"
}
# The include guard, C++ linkage and the includes: not the interface.
/^#(ifndef|endif|ifdef|include|if |else)/ { next }
/^#define PROMPTASM_H/ { next }
/^extern "C" \{$/ || /^\}$/ { next }
# A comment.
/^\/\*/ {
	code_off()
	if ($0 ~ /^\/\* -----+/) { sect = 1; incomment = 1; next }
	if ($0 ~ /^\/\* ---- .* ---- \*\/$/) {
		t = $0; sub(/^\/\* ---- /, "", t); sub(/ ---- \*\/$/, "", t)
		print ".SS " esc(t); blank = 1; next
	}
	incomment = 1
	line = $0; sub(/^\/\*+ ?/, "", line)
	if (line ~ /\*\/[ \t]*$/) { sub(/[ \t]*\*\/[ \t]*$/, "", line); incomment = 0 }
	if (line != "") text_line(line)
	next
}
incomment {
	line = $0
	end = line ~ /\*\/[ \t]*$/
	sub(/[ \t]*\*\/[ \t]*$/, "", line)
	if (line ~ /^ -+ *$/ || line ~ /^ \* -----+/) { if (end) incomment = 0; sect = 0; next }
	sub(/^ \*? ?/, "", line)
	if (state == "start") {     # "promptasm.h - the one public interface ..."
		if (line != "") state = "intro"
		if (end) incomment = 0
		next
	}
	if (sect) { print ".SS " esc(line); sect = 0; blank = 1 }
	else if (line ~ /^    /) { code_on(); print esc(substr(line, 5)) }
	else { code_off(); text_line(line) }
	if (end) { code_off(); incomment = 0 }
	next
}
# Code: declarations, kept as written.
/^[ \t]*$/ { code_off(); next }
{ code_on(); print esc($0) }
END {
	code_off()
	print ".SH SEE ALSO"
	print ".BR promptasm (1),"
	print "and /usr/share/doc/promptasm for the guides."
}
