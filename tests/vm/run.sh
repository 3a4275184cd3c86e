#!/bin/sh
# Boots one kernel under QEMU (TCG: no KVM needed) with the host's / shared
# read-only, runs SCRIPT (a host path) in it and saves the serial console.
# RW_DIR, when given, is shared writable at the same path (the build tree:
# some tests write into it).  The CPU is QEMU's most capable but for
# 5-level paging, which would move kernel addresses from the usual 0xffff...
#   run.sh KERNEL_ROOT INITRAMFS SCRIPT LOG TIMEOUT_SECONDS [RW_DIR]
set -eu
root=$1
initrd=$2
script=$3
log=$4
limit=$5
rw=${6:-}
vmlinuz=$(ls "$root"/boot/vmlinuz-* | head -n 1)
timeout --kill-after=10 "$limit" qemu-system-x86_64 \
	-accel tcg,thread=multi -cpu max,la57=off -m 2G -smp 2 \
	-kernel "$vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 mitigations=off trawk.script=$script${rw:+ trawk.rw=$rw}" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	${rw:+-virtfs local,path=$rw,mount_tag=rwdir,security_model=none,multidevs=remap} \
	-display none -serial stdio -monitor none -no-reboot -nic none \
	</dev/null >"$log" 2>&1 || true
