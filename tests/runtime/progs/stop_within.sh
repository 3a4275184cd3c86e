#!/bin/sh
# stop_within.sh SIGNAL OUT TRAWK-ARGS...
#
# Runs $TRAWK TRAWK-ARGS with stdout in OUT and stderr in OUT.err; once it
# has attached (its "Attached"/"attached_probes" line is in OUT*), lets it
# run a second, sends SIGNAL (none: it stops by itself, e.g. --timeout) and
# reports on stdout:
#   "stopped within 1 s" or "still running 1 s after the signal" (then it is killed),
#   "exit N",
#   the lines of OUT* that hold maps (text "@..." or JSON "type": "map"),
#   with every number replaced by N.
sig=$1 out=$2
shift 2
"$TRAWK" "$@" >"$out" 2>"$out.err" &
t=$!
n=0
while ! cat "$out"* 2>/dev/null | grep -q -e Attached -e attached_probes && [ $n -lt 200 ]; do
	sleep 0.05
	n=$((n + 1))
done
sleep 1
[ "$sig" = none ] || kill -"$sig" $t
n=0
while kill -0 $t 2>/dev/null && [ $n -lt 20 ]; do
	sleep 0.05
	n=$((n + 1))
done
if kill -0 $t 2>/dev/null; then
	echo "still running 1 s after the signal"
	kill -KILL $t
else
	echo "stopped within 1 s"
fi
wait $t
echo "exit $?"
cat "$out"* | grep -a -e '^@' -e '"type": "map"' | sed 's/[0-9][0-9]*/N/g'
