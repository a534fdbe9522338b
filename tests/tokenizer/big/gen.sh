#!/bin/sh
# gen.sh KIND BYTES: writes a generated text of about BYTES bytes on
# standard output, the same on every machine (awk's own arithmetic, no
# random source):
#   header   a C header whose every line is a #define, as the register
#            headers of the Linux kernel's drivers/gpu/drm/amd are
#            (dcn_3_2_0_sh_mask.h: 24 MB, no line starts with a letter)
#   oneline  one line without a space or a line feed: a firmware blob
#            written as C hex bytes ("0x3f,0xa2,...")
#   hexline  one line of hex digits alone (a hash, a blob without
#            separators): no place to cut at all, read on to its end
# big-refs.tsv holds the count and the SHA-256 of the ids of each text the
# tests use, made by gen-big-refs.mjs from tiktoken and the Claude
# tokenizer.
kind=$1
bytes=$2
case $kind in
header)
	awk -v bytes="$bytes" 'BEGIN {
		split("DCN DPP HUBP OTG OPTC MPC DSCC DIO HUBBUB DCCG", blk, " ")
		split("CONTROL STATUS CNTL CONFIG ENABLE MODE SIZE OFFSET", reg, " ")
		split("EN SEL MODE DIS CLEAR PENDING VALUE LOCK", fld, " ")
		print "/*\n * generated register masks\n */\n#ifndef _GEN_SH_MASK_H\n#define _GEN_SH_MASK_H\n"
		n = 120
		for (i = 0; n < bytes; i++) {
			b = blk[i % 10 + 1]; r = reg[int(i / 10) % 8 + 1]
			f = fld[int(i / 80) % 8 + 1]
			name = sprintf("%s%d_%s%d__%s_%s%d", b, i % 7, r, int(i / 640) % 50, f, r, i % 32)
			line = sprintf("#define %s__SHIFT 0x%08x\n#define %s_MASK 0x%08XL", name, i % 32, name, (i * 40503) % 2147483648)
			print line
			n += length(line) + 1
			if (i % 500 == 499) { print ""; n++ }
		}
		print "\n#endif"
	}'
	;;
oneline)
	awk -v bytes="$bytes" 'BEGIN {
		x = 12345; n = 0
		while (n < bytes) {
			s = ""
			for (k = 0; k < 1000; k++) {
				x = (x * 69069 + 1) % 4294967296
				s = s sprintf("0x%02x,", int(x / 16777216))
			}
			printf "%s", s
			n += length(s)
		}
		printf "0x00"
	}'
	;;
hexline)
	awk -v bytes="$bytes" 'BEGIN {
		x = 777; n = 0
		while (n < bytes) {
			s = ""
			for (k = 0; k < 1000; k++) {
				x = (x * 69069 + 1) % 4294967296
				s = s sprintf("%02x", int(x / 16777216))
			}
			printf "%s", s
			n += length(s)
		}
	}'
	;;
*)
	echo "usage: gen.sh header|oneline|hexline BYTES" >&2
	exit 2
	;;
esac
