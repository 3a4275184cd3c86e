#!/bin/sh
# Runs one fuzz target: first every input of regressions/TARGET/ (crashes
# found and fixed before), then SECONDS of fuzzing starting from the seed
# corpus and tests/fuzz/corpus/TARGET/, adding what it finds to CORPUS.
# Fails (exit 1) on any crash, sanitizer report, leak or input slower than
# TIMEOUT seconds, naming the reproducer it saved under ARTIFACTS.
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
fail() {
	tail -n 60 "$log"
	echo "$name: FAILED ($1); reproducer (if any): $(ls -t "$artifacts/$name"-* 2>/dev/null | head -1)"
	echo "replay: $bin $(ls -t "$artifacts/$name"-* 2>/dev/null | head -1)"
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
# shellcheck disable=SC2086
"$bin" -max_total_time="$seconds" -timeout="$timeout" -max_len="$max_len" $dict \
	-artifact_prefix="$artifacts/$name-" -print_final_stats=1 "$@" \
	"$corpus" "$seeds/$name" $extra >"$log" 2>&1 || fail "fuzzing"
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
echo "$name: $execs executions in $seconds s ($rate/s), no crash"
