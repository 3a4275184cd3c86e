#!/bin/sh
# loaded.sh COMMAND...: runs COMMAND (a failing trawk run), then prints
# "exit N" and how many BPF programs and maps it left loaded, as counted by
# bpftool before and after.  The kernel frees some programs (raw
# tracepoints) only after an RCU grace period, so the count is retried for
# up to five seconds.  Other tracers running at the same time would be
# counted too: the runtime tests run one file at a time.
progs() { bpftool prog list | grep -c '^[0-9]*:'; }
maps() { bpftool map list | grep -c '^[0-9]*:'; }
p0=$(progs) m0=$(maps)
"$@"
echo "exit $?"
n=0
while { [ "$(progs)" -gt "$p0" ] || [ "$(maps)" -gt "$m0" ]; } && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
echo "programs left $(( $(progs) - p0 )), maps left $(( $(maps) - m0 ))"
