#!/usr/bin/env bash
# The CLI's program mode: explore prog.c compiles and explores a pthread
# program; its token names the program and replays byte for byte; a program
# built outside (.so) runs too; bad input is one line and a distinct exit
# status (2 usage, 5 does not compile).
set -uo pipefail
cli=$1
# shellcheck source=tests/support/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/support/check.sh"
export HEDDLE_ROOT=$PWD # the runfiles tree holds harness/posix/heddle_posix.h

"$cli" explore programs/abba_deadlock.c --json >"$tmp/found.json"
check "explore abba_deadlock.c exits 1 (bug found)" test $? = 1
check "the JSON names the program and a deadlock" \
    grep -q '"scenario":"abba_deadlock.c".*"bug":{"kind":"deadlock"' "$tmp/found.json"
check "the deadlock names the mutexes by variable" grep -q "mutex 'a'" "$tmp/found.json"
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["token"])' "$tmp/found.json")
replay=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["replay"])' "$tmp/found.json")
check "the token names the program" test "${token:0:19}" = "hd2:abba_deadlock.c"
check "the replay command names the program's source" test "$replay" = "tools/heddle replay $token programs/abba_deadlock.c"

"$cli" explore programs/twins_return_values.c --strategy dfs >/dev/null
check "twins told apart by a return value: dfs finds the failed assert (exit 1)" test $? = 1
"$cli" explore programs/twins_return_values.c --strategy dfs --symmetry >/dev/null 2>"$tmp/twins.err"
check "  ... and --symmetry refuses them (exit 3)" test $? = 3
check "  ... saying which call tells them apart" \
    grep -q "but the value pthread_join returns at programs/twins_return_values.c:25 tells them apart: explore without --symmetry" "$tmp/twins.err"

"$cli" explore programs/reverse_order_crash.c --strategy dfs --json >"$tmp/crash1.json"
check "a crash late in dfs's order is found (exit 1)" test $? = 1
for jobs in 2 4; do
    "$cli" explore programs/reverse_order_crash.c --strategy dfs --jobs $jobs --json |
        sed "s/,\"jobs\":$jobs//; s/,\"helped\":[0-9]*//" >"$tmp/crash$jobs.json"
    check "  ... and reported the same with --jobs $jobs (helpers explore ahead)" cmp -s "$tmp/crash1.json" "$tmp/crash$jobs.json"
done

"$cli" explore programs/ring_buffer.c --strategy dfs --reads-from --json >"$tmp/rf_ring.json"
check "dfs --reads-from proves ring_buffer.c in fewer executions than dfs's 52" python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["complete"] and not d["bug"] and 0 < d["executions"] < 52))' "$tmp/rf_ring.json"
"$cli" explore programs/ring_buffer_if_wait.c --strategy dfs --reads-from --json >"$tmp/rf_if_wait.json"
check "  ... and finds the crash of its if-instead-of-while twin" grep -q '"kind":"crash"' "$tmp/rf_if_wait.json"
"$cli" explore programs/token_ring.c --strategy dfs --executions 20000 --json >"$tmp/ring.json"
check "dfs wastes none of token_ring.c's first 20,000 executions (27 when a condition wait that blocks was a write)" python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["executions"] == 20000 and not d["complete"] and d["wasted"] == 0))' "$tmp/ring.json"

"$cli" explore programs/split_critical_section.c --strategy dfs --sections >/dev/null 2>"$tmp/sections_hidden.err"
check "--sections on a program built without --instrument is a usage error (exit 2)" test $? = 2
check "  ... saying why (a critical section's memory is invisible)" grep -q "^heddle: .*--sections needs --instrument for a C program" "$tmp/sections_hidden.err"
for program in split_critical_section:exit many_workers_split:crash account_unjoined:crash abba_deadlock:deadlock; do
    "$cli" explore "programs/${program%%:*}.c" --instrument --strategy dfs --sections --json >"$tmp/sections.json" 2>"$tmp/sections.err"
    grep -q "sanitizer build leaves out" "$tmp/sections.err" && break # no instrumentation runtime under TSan/ASan
    check "dfs --sections --instrument finds ${program%%:*}.c's ${program##*:}" grep -q "\"kind\":\"${program##*:}\"" "$tmp/sections.json"
done

"$cli" replay "$token" programs/abba_deadlock.c >"$tmp/replay1.txt"
check "replay TOKEN prog.c exits 1" test $? = 1
"$cli" replay "$token" programs/abba_deadlock.c >"$tmp/replay2.txt"
check "the replay is byte-identical run after run" cmp -s "$tmp/replay1.txt" "$tmp/replay2.txt"
check "the replay shows the wait-for cycle" grep -q "wait-for cycle: thread-1 -> mutex 'b' -> thread-2 -> mutex 'a' -> thread-1" "$tmp/replay1.txt"
"$cli" replay "$token" programs/abba_ordered.c >/dev/null 2>"$tmp/other.err"
check "a token of another program is a usage error (exit 2)" test $? = 2
check "  ... naming both programs" grep -q "the token is for program 'abba_deadlock.c', not 'abba_ordered.c'" "$tmp/other.err"

"$cli" explore programs/abba_ordered.c --strategy dfs --json >"$tmp/pass.json"
check "dfs proves abba_ordered.c correct (exit 0, complete)" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d["complete"] and d["bug"] is None))' "$tmp/pass.json"

# Program arguments after --, and the exit status as the verdict.
"$cli" explore programs/use_after_cleanup.c --strategy dfs --json >"$tmp/crash.json"
check "a NULL dereference in one interleaving is a crash naming SIGSEGV" grep -q '"kind":"crash","message":"crash: SIGSEGV' "$tmp/crash.json"
crash_token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["token"])' "$tmp/crash.json")
"$cli" replay "$crash_token" programs/use_after_cleanup.c --json >"$tmp/crash_replay.json"
check "  ... and its token replays to the same message" test \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["message"])' "$tmp/crash.json")" = \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["message"])' "$tmp/crash_replay.json")"

# A program built outside heddle's CLI, with the README's compile line.
cc -std=gnu11 -g -O1 -fPIC -shared -Wl,-Bsymbolic -include harness/posix/heddle_posix.h \
    programs/abba_ordered.c -o "$tmp/abba_ordered.so"
check "the README's compile line builds a program" test -s "$tmp/abba_ordered.so"
"$cli" explore "$tmp/abba_ordered.so" --strategy dfs >/dev/null
check "explore PROGRAM.so runs it (exit 0)" test $? = 0
cc -std=gnu11 -fPIC -shared programs/abba_ordered.c -o "$tmp/plain.so"
"$cli" explore "$tmp/plain.so" 2>"$tmp/plain.err" >/dev/null
check "a .so built without the header is refused (exit 3)" test $? = 3
check "  ... saying so in one line" test "$(wc -l <"$tmp/plain.err")" = 1

printf 'int main(void) { return undeclared; }\n' >"$tmp/broken.c"
"$cli" explore "$tmp/broken.c" >/dev/null 2>"$tmp/broken.err"
check "a program that does not compile: exit 5" test $? = 5
check "  ... after the compiler's messages, one line of heddle's" grep -q "^heddle: compiling the program failed" "$tmp/broken.err"
"$cli" explore "$tmp/missing.c" >/dev/null 2>"$tmp/missing.err"
check "a missing source: exit 5 and one line" test $? = 5 -a "$(wc -l <"$tmp/missing.err")" = 1
"$cli" explore programs/abba_ordered.c --strategy nonsense >/dev/null 2>"$tmp/strategy.err"
check "the usual options are checked for programs too (exit 2)" test $? = 2
printf 'int main(int argc, char **argv) { return argc == 3 && argv[2][0] == 121 ? 0 : 4; }\n' >"$tmp/args.c" # 121: y
"$cli" explore "$tmp/args.c" -- x y >/dev/null
check "arguments after -- reach main (exit 0)" test $? = 0
"$cli" explore "$tmp/args.c" --json -- x n >"$tmp/args.json"
check "a nonzero status from main is an exit bug" grep -q '"kind":"exit","message":"exit: main returned 4"' "$tmp/args.json"
finish
