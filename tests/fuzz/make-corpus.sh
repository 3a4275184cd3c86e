#!/bin/sh
# Writes the fuzz targets' seed corpus, one file an input, from the scripts
# of the data-driven tests (PROG lines and PROG <<TAG heredocs) and of
# examples/:
#   OUT/fuzz_frontend, OUT/fuzz_codegen   whole scripts
#   OUT/fuzz_cdefs    the struct/union/enum/typedef definitions in them
#   OUT/fuzz_printf   the printf() format strings in them
# Usage: make-corpus.sh SOURCE-TREE OUT
set -eu
src=$1 out=$2
rm -rf "$out"
mkdir -p "$out/fuzz_frontend" "$out/fuzz_codegen" "$out/fuzz_cdefs" "$out/fuzz_printf"

for f in "$src"/tests/*/*.test; do
	base=$(basename "$(dirname "$f")")-$(basename "$f" .test)
	awk -v dir="$out/fuzz_frontend" -v base="$base" '
		function put(text) { n++; file = sprintf("%s/%s-%03d", dir, base, n); printf "%s", text > file; close(file) }
		tag != "" { if ($0 == tag) { put(body); tag = "" } else body = body $0 "\n"; next }
		/^PROG[ \t]*<</ { tag = $0; sub(/^PROG[ \t]*<<[ \t]*/, "", tag); body = ""; next }
		/^PROG[ \t]/ { line = $0; sub(/^PROG[ \t]+/, "", line); put(line "\n") }
	' "$f"
done
for f in "$src"/examples/*.bt; do
	cp "$f" "$out/fuzz_frontend/examples-$(basename "$f" .bt)"
done

for f in "$out"/fuzz_frontend/*; do
	# codegen caps its input at 4 KiB, run.sh its corpus at 2 KiB.
	[ "$(wc -c <"$f")" -le 2048 ] && cp "$f" "$out/fuzz_codegen/"
	# Top-level C definitions: from a line starting with the keyword to the
	# line where the braces balance again.
	awk -v file="$out/fuzz_cdefs/$(basename "$f")" '
		!depth && /^(struct|union|enum|typedef)[ \t]/ { take = 1 }
		take { print > file; o = gsub(/\{/, "{"); c = gsub(/\}/, "}"); depth += o - c
		       if (depth <= 0 && (c || /;[ \t]*$/)) { take = 0; depth = 0 } }
	' "$f"
	# printf("...") and its relatives: the first string argument.
	grep -o '\(printf\|errorf\|warnf\|system\|cat\)("\([^"\\]\|\\.\)*"' "$f" |
		sed 's/^[a-z]*("//; s/"$//' | awk -v p="$out/fuzz_printf/$(basename "$f")" \
		'{ file = p "-" NR; printf "%s", $0 > file; close(file) }'
done
# Leave out empty files and duplicates.
find "$out" -type f -empty -delete
for d in "$out"/*/; do
	md5sum "$d"* | sort | awk 'seen[$1]++ { print $2 }' | xargs -r rm -f
done

# The front end's dictionary: the language's words, read from the sources so
# it follows them (builtins and functions, keywords, probe providers), and
# its operators.
{
	sed -n 's/^[ \t]*{ *"\([A-Za-z_0-9]*\)", *\(BI_\|[A-Z]\).*/\1/p' "$src"/stdlib/*.c
	sed -n '/keywords\[\] = {/,/^};/p; /type_names\[\] = {/,/^};/p' "$src"/lexer/lexer.l |
		grep -o '"[a-z_A-Z0-9]*"' | tr -d '"'
	sed -n 's/^[ \t]*\.name = "\([a-zA-Z]*\)",.*/\1:/p' "$src"/probes/*.c
	for w in '{' '}' '(' ')' '[' ']' ';' ',' '/' '?' ':' '::' '==' '!=' '<=' '>=' '&&' '||' \
		'<<' '>>' '++' '--' '->' '..' '+=' '<<=' '$1' '$#' '@' '@x[' '$x' '#define' '#include' \
		'#if' '#ifdef' '#endif' 'args.' 'args->' '0x' '"%d\n"' 'str(' 'kstack' 'hist(' \
		'count()' 'BEGIN {' 'END {' 'interval:s:1' 'tracepoint:syscalls:sys_enter_read' \
		'tracepoint:sched:sched_switch' 'kprobe:do_sys_openat2' 'uprobe:/bin/sh:main' \
		'rawtracepoint:sched_switch' 'fentry:vfs_read' 'struct task_struct' 'curtask->'; do
		printf '%s\n' "$w"
	done
} | sort -u | awk 'length($0) > 0 { gsub(/\\/, "&&"); gsub(/"/, "\\\""); printf "\"%s\"\n", $0 }' \
	>"$out/fuzz_frontend.dict"
cp "$out/fuzz_frontend.dict" "$out/fuzz_codegen.dict"
