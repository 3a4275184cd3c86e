#!/bin/sh
# Builds a tiny initramfs for one kernel: busybox, the guest's /init, and
# the modules a 9p root over virtio needs (found with their dependencies
# in modules.dep, so the list survives config changes).  Only busybox is
# needed on the host: its depmod writes the modules.dep that the package
# leaves to its install scripts, its cpio packs the archive.
#   initramfs.sh KERNEL_ROOT OUT.cpio.gz
set -eu
root=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
moddir=$(ls -d "$root"/lib/modules/* | head -n 1)
kver=$(basename "$moddir")
[ -f "$moddir/modules.dep" ] || busybox depmod -b "$root" "$kver"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin" "$work/lib/modules/$kver" "$work/proc" "$work/sys" "$work/dev" "$work/mnt"
cp /bin/busybox "$work/bin/busybox"
cp "$here/init.sh" "$work/init"
chmod +x "$work/init"

# Each wanted module and what it depends on, in load order (deepest first).
deps() {
	local line mod d
	line=$(grep -E "(^|/)$1\.ko(\.[a-z]+)?:" "$moddir/modules.dep" || true)
	[ -n "$line" ] || return 0
	mod=${line%%:*}
	for d in ${line#*:}; do
		deps "$(basename "$d" | sed 's/\.ko.*//')"
	done
	echo "$mod"
}
: > "$work/modules"
for m in virtio virtio_ring virtio_pci netfs fscache 9pnet 9pnet_virtio 9p; do
	deps "$m"
done | awk '!seen[$0]++' | while read -r mod; do
	mkdir -p "$work/lib/modules/$kver/$(dirname "$mod")"
	cp "$moddir/$mod" "$work/lib/modules/$kver/$mod"
	echo "/lib/modules/$kver/$mod" >> "$work/modules"
done
(cd "$work" && find . | busybox cpio -o -H newc) > "$work.cpio"
gzip -1 < "$work.cpio" > "$out"
rm -f "$work.cpio"
