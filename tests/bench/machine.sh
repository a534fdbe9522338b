#!/bin/sh
# machine.sh: one line that says what a benchmark ran on: the processor,
# its cores and caches, the memory and the load.  run.sh and peers.sh
# print it: the same code gives other multiples on another kind of
# processor (docs/speed.md).
cache() { cat "/sys/devices/system/cpu/cpu0/cache/index$1/size" 2>/dev/null || echo "?"; }
echo "$(uname -sm), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $(nproc) cores, L2 $(cache 2) and L3 $(cache 3), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
