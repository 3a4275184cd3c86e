#!/bin/sh
# reads.sh NAME BYTES COUNT: a process named NAME (dd) reads COUNT blocks
# of BYTES bytes from /dev/zero, so vfs_read sees count == BYTES and
# returns BYTES exactly COUNT times; other processes never match both.
exec "$(dirname "$0")/named.sh" "$1" dd if=/dev/zero of=/dev/null bs="$2" count="$3" status=none
