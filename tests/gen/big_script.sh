#!/bin/sh
# Writes a big script to stdout, for the tests of the compiler's limits
# (tests/errors/limits.test, tests/runtime/lang_limits.test).
#
#   big_script.sh KIND N
#
#   sum N      BEGIN { @ = 1 + 1 + ... (N terms); exit(); }
#   varsum N   the same over a variable: $x + $x + ...
#   stmts N    N assignments in one block, then the count of them printed
#   str N      a string literal of N bytes stored in a map
#   strsize N  a string literal of N bytes in a variable, its size printed
#   fmt N      a printf format of N bytes
#   probes N   N BEGIN probes
#   unary N    N nested unary minuses: -(-(...1...))
#   errors N   N unknown identifiers, one error each
#   orchain N  a BEGIN predicate of N comparisons joined by ||, the last true
#   macro2x N  N macros, each using the one below twice: 2^N nodes expanded
#   define2x N the same with #defines
#   macrodeep N  31 macros, each nesting the one below in N unary minuses
#   definedeep N the same with #defines
set -e
kind=$1 n=$2
case "$kind" in
sum) awk -v n="$n" 'BEGIN { printf "BEGIN { @ = 1"; for (i = 1; i < n; i++) printf " + 1"; print "; exit(); }" }' ;;
varsum) awk -v n="$n" 'BEGIN { printf "BEGIN { $x = 2; @ = $x"; for (i = 1; i < n; i++) printf " + $x"; print "; exit(); }" }' ;;
stmts) awk -v n="$n" 'BEGIN { printf "BEGIN {"; for (i = 0; i < n; i++) printf " @n = %d;", i + 1; print " exit(); }" }' ;;
str) awk -v n="$n" 'BEGIN { printf "BEGIN { @ = \""; for (i = 0; i < n; i++) printf "x"; print "\"; exit(); }" }' ;;
strsize) awk -v n="$n" 'BEGIN { printf "BEGIN { $s = \""; for (i = 0; i < n; i++) printf "x"; print "\"; printf(\"%d\\n\", sizeof($s)); exit(); }" }' ;;
fmt) awk -v n="$n" 'BEGIN { printf "BEGIN { printf(\""; for (i = 0; i < n; i++) printf "x"; print "\\n\"); exit(); }" }' ;;
probes) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) print "BEGIN { @ = count(); }" }' ;;
unary) awk -v n="$n" 'BEGIN { printf "BEGIN { @ = "; for (i = 0; i < n; i++) printf "-("; printf "1"; for (i = 0; i < n; i++) printf ")"; print "; exit(); }" }' ;;
errors) awk -v n="$n" 'BEGIN { printf "BEGIN {"; for (i = 0; i < n; i++) printf " @ = x%d;", i; print " }" }' ;;
orchain) awk -v n="$n" 'BEGIN { printf "BEGIN /pid == 5000000"; for (i = 1; i < n; i++) printf " || pid == %d", 5000000 + i; print " || comm == \"trawk\"/ { @ = count(); exit(); }" }' ;;
macro2x) awk -v n="$n" 'BEGIN { print "macro m0(x) { x + x }"; for (i = 1; i < n; i++) printf "macro m%d(x) { m%d(x) + m%d(x) }\n", i, i - 1, i - 1; printf "BEGIN { @ = m%d(1); exit(); }\n", n - 1 }' ;;
define2x) awk -v n="$n" 'BEGIN { print "#define D0 1"; for (i = 1; i < n; i++) printf "#define D%d D%d + D%d\n", i, i - 1, i - 1; printf "BEGIN { @ = D%d; exit(); }\n", n - 1 }' ;;
macrodeep) awk -v n="$n" 'BEGIN { for (i = 0; i < 31; i++) { printf "macro m%d(x) { ", i; for (j = 0; j < n; j++) printf "-("; printf "m%d(x)", i + 1; for (j = 0; j < n; j++) printf ")"; print " }" } print "macro m31(x) { x }"; print "BEGIN { @ = m0(1); exit(); }" }' ;;
definedeep) awk -v n="$n" 'BEGIN { for (i = 0; i < 31; i++) { printf "#define D%d ", i; for (j = 0; j < n; j++) printf "-("; printf "D%d", i + 1; for (j = 0; j < n; j++) printf ")"; print "" } print "#define D31 1"; print "BEGIN { @ = D0; exit(); }" }' ;;
*) echo "big_script.sh: unknown kind $kind" >&2; exit 2 ;;
esac
