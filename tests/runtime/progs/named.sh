#!/bin/sh
# named.sh NAME COMMAND [ARG...]: runs COMMAND as a process named NAME, so
# that a predicate on comm sees it alone.  COMMAND replaces this shell
# (trawk -c filters kernel probes on the command's pid), run through a
# symlink of that name, which is removed once it runs.
name=$1
shift
cmd=$(command -v "$1")
shift
d=$(mktemp -d)
ln -s "$cmd" "$d/$name"
(sleep 5; rm -rf "$d") </dev/null >/dev/null 2>&1 &
exec "$d/$name" "$@"
