#!/bin/busybox sh
# The guest's /init: mounts the host's / read-only over 9p, chroots into it
# and runs the script the host named on the kernel command line
# (trawk.script=, a path on the host), then prints a result marker and
# powers off.  The host reads the marker: qemu's own status says nothing.
# trawk.rw= names a host folder shared writable over it (the build tree).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
for m in $(cat /modules); do
	case $m in
	*.xz) xz -dc "$m" > /tmp.ko 2>/dev/null || unxz -c "$m" > /tmp.ko; insmod /tmp.ko; rm -f /tmp.ko ;;
	*.zst) zstd -dc "$m" > /tmp.ko; insmod /tmp.ko; rm -f /tmp.ko ;;
	*) insmod "$m" ;;
	esac
done
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /mnt; then
	echo "TRAWK-VM-RESULT: setup-failed"
	poweroff -f
fi
mount -t proc proc /mnt/proc
mount -t sysfs sys /mnt/sys
mount -t devtmpfs dev /mnt/dev
mount -t tmpfs tmp /mnt/tmp
mount -t tmpfs run /mnt/run
mount -t tmpfs root /mnt/root
mount -t tracefs tracefs /mnt/sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /mnt/sys/kernel/debug 2>/dev/null
mount -t bpf bpf /mnt/sys/fs/bpf 2>/dev/null
ip link set lo up 2>/dev/null
rw=$(sed -n 's/.*trawk\.rw=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$rw" ]; then
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 rwdir "/mnt$rw"
fi

script=$(sed -n 's/.*trawk\.script=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "TRAWK-VM-BEGIN $(uname -r)"
chroot /mnt /bin/sh "$script"
echo "TRAWK-VM-RESULT: exit $?"
poweroff -f
