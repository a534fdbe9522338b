#!/bin/sh
# worst.sh NAME BYTES: one of the bench's worst cases on standard output,
# BYTES long (the same bytes on every machine, but random-bytes):
#   one-letter      "a" over and over
#   random-letters  a-z at random, with no space: one piece as long as the text
#   emoji           one emoji (U+1F600) over and over (BYTES / 4 of it)
#   digits          0-9 at random
#   spaces          spaces only
#   random-bytes    bytes from /dev/urandom (counted with --lossy)
#   cjk-unspaced    Chinese words of words.txt run together, no space or
#                   punctuation (gen-text.awk's bare text), at least BYTES
# make bench (run.sh) and make bench-peers (peers.sh) take theirs from here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${2:?usage: worst.sh NAME BYTES}
case ${1:?usage: worst.sh NAME BYTES} in
one-letter) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "a" }' ;;
random-letters)
	awk -v n="$n" 'BEGIN { s = 1; for (i = 0; i < n; i++) { s = (s * 16807) % 2147483647; printf "%c", 97 + s % 26 } }' ;;
emoji) awk -v n=$((n / 4)) 'BEGIN { for (i = 0; i < n; i++) printf "\360\237\230\200" }' ;;
digits)
	awk -v n="$n" 'BEGIN { s = 7; for (i = 0; i < n; i++) { s = (s * 16807) % 2147483647; printf "%c", 48 + s % 10 } }' ;;
spaces) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf " " }' ;;
random-bytes) head -c "$n" /dev/urandom ;;
cjk-unspaced) LC_ALL=C awk -v script=cjk -v bytes="$n" -v bare=1 -f "$here/gen-text.awk" "$here/words.txt" ;;
*) echo "worst.sh: no such case: $1" >&2; exit 2 ;;
esac
