#!/bin/sh
# reads.sh NAME BYTES COUNT: a process named NAME (dd, run through a symlink
# of that name) reads COUNT blocks of BYTES bytes from /dev/zero, so
# vfs_read sees count == BYTES and returns BYTES exactly COUNT times; other
# processes never match both.  dd replaces this shell (trawk -c filters
# kernel probes on the command's pid); the symlink is removed once dd runs.
d=$(mktemp -d)
ln -s "$(command -v dd)" "$d/$1"
(sleep 5; rm -rf "$d") </dev/null >/dev/null 2>&1 &
exec "$d/$1" if=/dev/zero of=/dev/null bs="$2" count="$3" status=none
