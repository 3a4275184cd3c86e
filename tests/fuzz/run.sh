#!/bin/sh
# Runs one fuzz target: first every input of regressions/TARGET/ (crashes
# found and fixed before), then SECONDS of fuzzing starting from the seed
# corpus and tests/fuzz/corpus/TARGET/, adding what it finds to CORPUS.
# Fails (exit 1) on any crash, sanitizer report, leak or input slower than
# FUZZ_TIMEOUT seconds (one that is not slow again when replayed is counted
# as a stall of the machine, and fuzzing goes on), naming the reproducer it
# saved under ARTIFACTS.
#
# Usage: run.sh BINARY SECONDS SEEDS CORPUS [libFuzzer options...]
#   SEEDS      the folder make-corpus.sh filled (one subfolder per target)
#   CORPUS     where this target's corpus grows; "-" for a temporary one
#              (a smoke run: its finds are thrown away)
# Environment: FUZZ_TIMEOUT (default 5), ARTIFACTS (default CORPUS/.., or
# the seeds' folder for a temporary corpus).
set -u
bin=$1 seconds=$2 seeds=$3 corpus=$4
shift 4
name=$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
timeout=${FUZZ_TIMEOUT:-5}
if [ "$corpus" = - ]; then
	artifacts=${ARTIFACTS:-$(dirname "$seeds")/artifacts}
	mkdir -p "$artifacts"
	corpus=$(mktemp -d "$artifacts/$name-corpus.XXXXXX")
	trap 'rm -rf "$corpus"' EXIT
else
	artifacts=${ARTIFACTS:-$(dirname "$corpus")/artifacts}
fi
mkdir -p "$corpus" "$artifacts"

# Longer scripts add little but time: the front end also gets 64 KiB
# inputs in tests/errors, and codegen caps its own input.
case $name in
fuzz_frontend) max_len=8192 ;;
fuzz_codegen) max_len=2048 ;;
fuzz_printf) max_len=512 ;;
*) max_len=4096 ;;
esac
dict=
for d in "$seeds/$name.dict" "$here/$name.dict"; do
	[ -f "$d" ] && dict=-dict=$d
done

log=$artifacts/$name.log
unit() {
	sed -n 's/.*Test unit written to //p' "$log" | tail -1
}
fail() {
	tail -n 60 "$log"
	echo "$name: FAILED ($1); replay: $bin $(unit)"
	exit 1
}

regressions=$(ls "$here/regressions/$name"/* 2>/dev/null)
if [ -n "$regressions" ]; then
	# shellcheck disable=SC2086 -- file names without spaces, by convention
	"$bin" -timeout="$timeout" -artifact_prefix="$artifacts/$name-" $regressions >"$log" 2>&1 ||
		fail "a regression input"
	echo "$name: $(echo "$regressions" | wc -l) regression inputs pass"
fi

extra=
[ -d "$here/corpus/$name" ] && extra=$here/corpus/$name
# A timeout whose input runs in time when replayed was the machine, not the
# input (other jobs, the allocator returning memory): noted, and fuzzing
# goes on for the time left.  Any other failure ends the run.
start=$(date +%s) left=$seconds total=0 stalls=0
while [ "$left" -gt 0 ]; do
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$left" -timeout="$timeout" -max_len="$max_len" $dict \
		-artifact_prefix="$artifacts/$name-" -print_final_stats=1 "$@" \
		"$corpus" "$seeds/$name" $extra >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	total=$((total + ${execs:-0}))
	[ $rc = 0 ] && break
	grep -q "ERROR: libFuzzer: timeout" "$log" && [ -n "$(unit)" ] || fail "fuzzing"
	"$bin" -runs=3 -timeout="$timeout" "$(unit)" >"$log.replay" 2>&1 || fail "a hang"
	# libFuzzer does not apply -timeout to an input given as a file: the
	# replay's own time decides.
	ms=$(sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p' "$log.replay" | sort -n | tail -1)
	[ "${ms:-0}" -le $((timeout * 1000)) ] || fail "a hang (${ms} ms on replay)"
	stalls=$((stalls + 1))
	echo "$name: a stall over ${timeout}s that does not happen again on replay: $(unit)"
	left=$((seconds - ($(date +%s) - start)))
done
elapsed=$(($(date +%s) - start))
echo "$name: $total executions in $elapsed s ($((total / (elapsed ? elapsed : 1)))/s), no crash," \
	"no input over ${timeout}s ($stalls stalls that did not replay)"
