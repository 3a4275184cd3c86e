#!/bin/sh
# make check-vm: runs runtime test files inside QEMU guests booting Debian's
# own kernels, one boot per kernel, and reports pass/fail per kernel from
# the result marker on each serial log.
#   check.sh SOURCE_DIR BUILD_DIR
# Environment: KERNELS (kernel series, "6.1 6.12"), VM_TESTS (test files,
# relative to SOURCE_DIR), VM_FILTER (a case-name filter), VM_TIMEOUT
# (seconds a boot may take), TRAWK_TEST_TIME_FACTOR (how much slower the
# guest is: runner timeouts are multiplied by it).
set -eu
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$src/tests/vm
kernels=${KERNELS:-6.1 6.12}
tests=${VM_TESTS:-tests/runtime/kernel_probes.test}
filter=${VM_FILTER:-}
limit=${VM_TIMEOUT:-600}
factor=${TRAWK_TEST_TIME_FACTOR:-4}
vm=$build/vm
mkdir -p "$vm"

failed=""
for series in $kernels; do
	start=$(date +%s)
	root=$("$here/kernel.sh" "$vm/kernels" "$series")
	name=$(basename "$(dirname "$root")")
	initrd=$vm/$name.cpio.gz
	if [ ! -f "$initrd" ] || [ "$here/init.sh" -nt "$initrd" ] || [ "$here/initramfs.sh" -nt "$initrd" ]; then
		"$here/initramfs.sh" "$root" "$initrd"
	fi
	script=$vm/guest-$series.sh
	log=$vm/$series.log
	{
		echo "cd '$src' || exit 2"
		echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root"
		echo "export TRAWK_TEST_TIME_FACTOR=$factor"
		echo "status=0"
		for t in $tests; do
			echo "'$build/tests/runner' '$build/trawk' '$t' '$filter'; rc=\$?"
			echo "[ \$rc = 0 ] || [ \$rc = 77 ] || status=1"
		done
		echo "exit \$status"
	} > "$script"
	echo "== $name: $tests (log: $log)"
	"$here/run.sh" "$root" "$initrd" "$script" "$log" "$limit" "$build"
	grep -E '^(PASS|FAIL|SKIP) |^[a-z_]+\.test: |^    ' "$log" | tr -d '\r' | grep -v '^PASS ' || true
	result=$(tr -d '\r' < "$log" | sed -n 's/^TRAWK-VM-RESULT: //p' | tail -n 1)
	secs=$(($(date +%s) - start))
	case $result in
	"exit 0") echo "== $name: passed ($secs s)" ;;
	"") echo "== $name: no result (timed out after $limit s or crashed; see $log)"; failed="$failed $series" ;;
	*) echo "== $name: failed ($result, $secs s)"; failed="$failed $series" ;;
	esac
done
if [ -n "$failed" ]; then
	echo "check-vm failed on:$failed"
	exit 1
fi
