#!/bin/sh
# Fetches one of Debian's kernels into a cache folder, without installing it:
#   kernel.sh CACHE SERIES   (SERIES: 6.1, 6.12, ...)
# prints the folder holding boot/vmlinuz-* and lib/modules/*.
# The package names change with every ABI bump, so the newest
# linux-image-SERIES*-amd64-unsigned that apt can see is taken.
set -eu
cache=$1
series=$2

newest() {
	apt-cache search --names-only "^linux-image-${series}[.-].*-amd64-unsigned\$" |
		awk '{print $1}' | grep -v -e '-rt-' -e '-cloud-' | sort -V | tail -n 1
}
name=$(newest)
if [ -z "$name" ]; then
	# A fresh machine may not have read the archive's lists yet.
	apt-get update -qq >&2 || true
	name=$(newest)
fi
if [ -z "$name" ]; then
	echo "kernel.sh: apt sees no linux-image-${series}*-amd64-unsigned (run apt-get update)" >&2
	exit 1
fi
dir=$cache/$name
if [ ! -f "$dir/.done" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	(cd "$dir/deb" && apt-get download -q -o APT::Sandbox::User=root "$name" >&2)
	dpkg-deb -x "$dir"/deb/*.deb "$dir/root"
	rm -rf "$dir/deb"
	touch "$dir/.done"
fi
echo "$dir/root"
