#!/usr/bin/env bash
# The heddle CLI: exit codes, JSON, replay byte for byte, the same output at
# -O0 and -O2, and one-line errors with exit 2 for bad input.
set -uo pipefail
cli=$1
cli_o2=$2
# shellcheck source=tests/support/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/support/check.sh"

"$cli" explore lost_update --seed 1 --json >"$tmp/found.json"
check "explore lost_update exits 1 (bug found)" test $? = 1
check "the JSON names the bug kind" grep -q '"bug":{"kind":"data_race"' "$tmp/found.json"
check "the JSON has scenario, strategy, seed, executions" grep -q '"scenario":"lost_update","strategy":"random","seed":1,"executions":1' "$tmp/found.json"
check "the JSON is valid" python3 -m json.tool "$tmp/found.json" >/dev/null
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["token"])' "$tmp/found.json")
check "a token is printed" test -n "$token"

"$cli" replay "$token" >"$tmp/replay1.txt"
check "replay exits 1 (the bug again)" test $? = 1
"$cli" replay "$token" >"$tmp/replay2.txt"
check "replay is byte-identical run after run" cmp -s "$tmp/replay1.txt" "$tmp/replay2.txt"
"$cli_o2" replay "$token" >"$tmp/replay_o2.txt"
check "replay is byte-identical at -O0 and -O2" cmp -s "$tmp/replay1.txt" "$tmp/replay_o2.txt"
check "the replay shows the trace with both threads" grep -q "Thread-1 .*Thread-2" "$tmp/replay1.txt"
"$cli" explore lost_update --seed 1 >"$tmp/explore.txt"
check "explore's trace equals the replay's trace" cmp -s <(sed -n '/^trace:/,$p' "$tmp/explore.txt") <(sed -n '/^trace:/,$p' "$tmp/replay1.txt")

"$cli" explore racy_counter_2 --no-races --json >"$tmp/norace.json"
check "with races off the lost update is an assertion" grep -q '"kind":"assertion"' "$tmp/norace.json"
norace_cmd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["replay"])' "$tmp/norace.json")
check "its token carries races off, so the replay command needs no option" grep -q "^tools/heddle replay hd2:racy_counter_2:r0:[^ ]*$" <<<"$norace_cmd"
"$cli" ${norace_cmd#tools/heddle } --json >"$tmp/norace_replay.json"
check "that command replays the same assertion" grep -q '"kind":"assertion"' "$tmp/norace_replay.json"

"$cli" explore many_threads --seed 7 --executions 300 --json >"$tmp/a.json"
check "a passing scenario exits 0" test $? = 0
check "its JSON says bug null" grep -q '"bug":null' "$tmp/a.json"
"$cli_o2" explore many_threads --seed 7 --executions 300 --json >"$tmp/b.json"
check "same seed, same bytes at -O0 and -O2" cmp -s "$tmp/a.json" "$tmp/b.json"
for strategy in pct dfs bounded; do
    seed=()
    [[ $strategy == pct ]] && seed=(--seed 3) # --seed is a usage error for the strategies that do not read it
    "$cli" explore prodcon_lock_pipeline_return_after_release --strategy $strategy "${seed[@]}" --json >"$tmp/s0.json"
    "$cli_o2" explore prodcon_lock_pipeline_return_after_release --strategy $strategy "${seed[@]}" --json >"$tmp/s2.json"
    check "$strategy: finds the lost message" grep -q '"bug":{"kind"' "$tmp/s0.json"
    check "$strategy: same bytes at -O0 and -O2" cmp -s "$tmp/s0.json" "$tmp/s2.json"
done
"$cli" explore prodcon_lock_pipeline --strategy pct --jobs 2 --executions 400 --json >"$tmp/j2.json"
"$cli" explore prodcon_lock_pipeline --strategy pct --executions 400 --json >"$tmp/j1.json"
check "--jobs 2 reports what one process reports" cmp -s <(sed 's/,"jobs":[0-9]*//' "$tmp/j1.json") <(sed 's/,"jobs":[0-9]*//' "$tmp/j2.json")
"$cli" explore locked_update --executions 10000 >"$tmp/locked.txt"
check "locked_update passes 10,000 executions" grep -q "no bug found in 10000 executions" "$tmp/locked.txt"

"$cli" explore double_acquire >"$tmp/deadlock.txt"
check "double_acquire exits 1" test $? = 1
check "double_acquire is a deadlock naming the lock and its holder" grep -q "deadlock: 1 thread blocked forever; MainThread waits on Lock 'l' (acquire at scenarios/double_acquire.c:13), held by itself" "$tmp/deadlock.txt"

"$cli" list >"$tmp/list.txt"
check "list shows every scenario with its expected outcome" grep -q "^lost_update  *bug: assertion|data_race" "$tmp/list.txt"
"$cli" list --json | python3 -m json.tool >/dev/null
check "list --json is valid JSON" test $? = 0

bad() { # description, expected exit, args...
    local what=$1 want=$2
    shift 2
    "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    check "$what: exit $want" test "$rc" = "$want"
    check "$what: one line on stderr" test "$(wc -l <"$tmp/err")" = 1
    check "$what: nothing on stdout" test ! -s "$tmp/out"
}
bad "no arguments" 2
bad "unknown command" 2 frobnicate
bad "unknown scenario" 2 explore no_such_scenario
bad "negative executions" 2 explore lost_update --executions -3
bad "absurd executions" 2 explore lost_update --executions 99999999999999999999
bad "zero executions" 2 explore lost_update --executions 0
bad "non-numeric seed" 2 explore lost_update --seed abc
bad "missing option value" 2 explore lost_update --seed
bad "unknown option" 2 explore lost_update --fast
bad "unknown strategy" 2 explore lost_update --strategy clairvoyant
bad "malformed token" 2 replay garbage
bad "truncated token" 2 replay "${token:0:${#token}-4}"
bad "token of an unknown scenario" 2 replay "hd1:nope:01:00000000"
bad "token with a bad checksum" 2 replay "${token%:*}:00000000"
bad "an option the strategy does not read (seed, dfs)" 2 explore lost_update --strategy dfs --seed 3
bad "an option the strategy does not read (depth, random)" 2 explore lost_update --depth 2
bad "an option the strategy does not read (preemptions, pct)" 2 explore lost_update --preemptions 1 --strategy pct
bad "an option the strategy does not read (symmetry, random)" 2 explore lost_update --symmetry
bad "replay takes its set-up from the token (--no-races)" 2 replay "$token" --no-races
bad "a name with a newline and an escape" 2 explore $'lost\n_update\e[31m'
bad "a 100,000-character name" 2 explore "$(head -c 100000 /dev/zero | tr '\0' x)"
check "a long argument is shortened in the message" test "$(wc -c <"$tmp/err")" -lt 300

# A token is exactly its execution: one choice more, or one fewer, is rejected.
resum() { python3 -c 'import sys
h = 2166136261
for b in sys.argv[1].encode(): h = ((h ^ b) * 16777619) & 0xffffffff
print("%s:%08x" % (sys.argv[1], h))' "$1"; }
body=${token%:*}
bad "a token with an extra choice" 3 replay "$(resum "${body}1")"
bad "a token with a choice missing" 3 replay "$(resum "${body%?}")"
"$cli" replay "$(resum "${body}1")" 2>"$tmp/err" >/dev/null
check "an extra choice is named as such" grep -q "1 choice more than its execution made" "$tmp/err"

# The printed replay command, run as printed, gives the same report for every
# strategy, races on and off, and a step limit.
for strategy in random pct dfs bounded; do
    for races in "" "--no-races"; do
        for limit in "" "--step-limit 9"; do
            "$cli" explore lost_update --strategy $strategy $races $limit --json >"$tmp/combo.json"
            cmd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["replay"])' "$tmp/combo.json")
            kind=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bug"]; print(b["kind"], b["message"])' "$tmp/combo.json")
            # shellcheck disable=SC2086 # the command is words, as printed
            "$cli" ${cmd#tools/heddle } --json >"$tmp/combo_replay.json"
            again=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bug"]; print(b["kind"], b["message"])' "$tmp/combo_replay.json")
            check "$strategy ${races:-races} ${limit:-default limit}: the printed command replays the bug" test "$again" = "$kind"
        done
    done
done

# --first-execution: execution i is a function of (seed, i), so starting at
# the index a bug was found at finds the same bug there at once.
"$cli" explore racy_counter_2 --no-races --json >"$tmp/first.json"
at=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bug"]["execution"])' "$tmp/first.json")
"$cli" explore racy_counter_2 --no-races --no-shrink --json >"$tmp/first_ns.json"
"$cli" explore racy_counter_2 --no-races --no-shrink --first-execution "$((at - 1))" --executions 1 --json >"$tmp/resumed.json"
check "--first-execution reaches the same bug at the same index" test \
    "$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bug"]; print(b["token"], b["execution"])' "$tmp/first_ns.json")" = \
    "$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bug"]; print(b["token"], b["execution"])' "$tmp/resumed.json")"
bad "--first-execution does not apply to dfs" 2 explore lost_update --strategy dfs --first-execution 3

for cmd in "--help" "explore --help" "replay --help"; do
    "$cli" $cmd >"$tmp/help" 2>&1
    check "heddle $cmd: exit 0" test $? = 0
    check "heddle $cmd: prints the usage" grep -q "^usage: heddle list" "$tmp/help"
done
"$cli" explore executor_map --strategy dfs --executions 200 --json >"$tmp/budget.json"
check "a dfs stopped by its budget estimates what is left" python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["complete"] is False and d["estimated_left"] > 0 and "about %d executions left" % d["estimated_left"] in d["stopped_by"]))' "$tmp/budget.json"
# (and with --reads-from, whose waiting branches are made as it goes: its
# estimate counts those the current graph's reads may still be given)
for pair in prodcon_queue_event:20000:126360: executor_map:10000:245760: \
    prodcon_queue_event:20000:126360:--reads-from executor_map:10000:61440:--reads-from; do
    IFS=: read -r name done total mode <<<"$pair"
    "$cli_o2" explore "$name" --strategy dfs $mode --executions "$done" --json >"$tmp/estimate.json"
    check "dfs $mode's estimate of what is left in $name is within 4x of the truth ($((total - done)))" python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); left=int(sys.argv[2]); sys.exit(not (left / 4 <= d["estimated_left"] <= left * 4))' \
        "$tmp/estimate.json" "$((total - done))"
done
"$cli" explore locked_counter_3 --strategy dfs --json >"$tmp/complete.json"
check "a complete dfs has no estimate and wasted nothing here" grep -q '"complete":true.*"stopped_by":null,"wasted":0,"estimated_left":null' "$tmp/complete.json"
"$cli" explore locked_counter_3 --strategy dfs --symmetry --json >"$tmp/symmetry.json"
check "dfs --symmetry runs three twin workers in one order" grep -q '"executions":1,"complete":true,"reduction":true,"symmetry":true' "$tmp/symmetry.json"
"$cli" explore locked_counter_3 --strategy dfs --symmetry >"$tmp/symmetry.txt"
check "the report says twins ran in one order" grep -q "^heddle explore locked_counter_3: strategy dfs (source-DPOR with sleep sets, twin threads in one order)" "$tmp/symmetry.txt"
"$cli" explore barrier_start_together --strategy dfs --executions 10000 --json >"$tmp/wasted.json"
check "dfs wastes nothing on a barrier with drawn sleeps (one tree per assignment)" python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["executions"] == 2232 and d["complete"] and d["wasted"] == 0))' "$tmp/wasted.json"
"$cli" explore executor_locked --strategy dfs --optimal --json >"$tmp/optimal.json"
check "dfs --optimal: the same 56 executions, none wasted, and says so in the JSON" python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["executions"] == 56 and d["complete"] and d["wasted"] == 0 and d["optimal"] is True))' "$tmp/optimal.json"
"$cli" explore executor_locked --strategy dfs --optimal --symmetry >/dev/null 2>"$tmp/optimal_symmetry.err"
check "--optimal with --symmetry is a usage error (exit 2)" test $? = 2
check "  ... saying why" grep -q "optimal DPOR runs one worker without symmetry (its wakeup trees do not map twins yet)" "$tmp/optimal_symmetry.err"
"$cli" explore executor_locked --strategy dfs --optimal --jobs 2 >/dev/null 2>&1
check "--optimal with --jobs 2 is a usage error (exit 2)" test $? = 2
"$cli" explore executor_locked --strategy random --optimal >/dev/null 2>&1
check "--optimal with a strategy other than dfs is a usage error (exit 2)" test $? = 2
"$cli" explore locked_counter_3 --strategy dfs --reads-from --json >"$tmp/rf.json"
check "dfs --reads-from: one execution per order of the critical sections (each reads the last), and says so" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["executions"] == 6 and d["complete"] and d["equivalence"] == "reads-from"))' "$tmp/rf.json"
"$cli" explore locked_counter_3 --strategy dfs --reads-from >"$tmp/rf.txt"
check "the report names the equivalence" grep -q "^heddle explore locked_counter_3: strategy dfs (reads-from equivalence)" "$tmp/rf.txt"
check "  ... and what its wasted executions were" grep -q "ended with a read waiting for a write that never came" "$tmp/rf.txt"
for bad in "--symmetry" "--optimal"; do
    "$cli" explore locked_counter_3 --strategy dfs --reads-from $bad >/dev/null 2>"$tmp/rf_bad.err"
    check "--reads-from with $bad is a usage error (exit 2)" test $? = 2
    check "  ... saying why" grep -q "the reads-from search runs with no $bad" "$tmp/rf_bad.err"
done
"$cli" explore lost_update --strategy random --reads-from >/dev/null 2>&1
check "--reads-from with a strategy other than dfs is a usage error (exit 2)" test $? = 2
"$cli" explore daemon_thread --strategy dfs --reads-from --json >"$tmp/rf_daemon.json"
check "--reads-from proves daemon_thread, a daemon the end abandons wherever it is (3 executions, as dfs)" python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); sys.exit(not (d["complete"] and d["executions"] == 3))' "$tmp/rf_daemon.json"
"$cli" list --json >"$tmp/rf_list.json"
while IFS=' ' read -r name kinds; do
    "$cli" explore "$name" --strategy dfs --reads-from --json >"$tmp/rf_bug.json"
    check "--reads-from finds $name's bug ($kinds)" python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); sys.exit(not (d["bug"] and d["bug"]["kind"] in sys.argv[2].split("|")))' "$tmp/rf_bug.json" "$kinds"
done < <(python3 -c 'import json,sys
for s in json.load(open(sys.argv[1])):
    if s["expected"].startswith("bug: "): print(s["name"], s["expected"][5:])' "$tmp/rf_list.json")
"$cli" explore barrier_start_together --strategy dfs --sections --json >"$tmp/sections.json"
check "dfs --sections: the workers' sections on their own variables are one step (372 executions, 2,232 without)" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["executions"] == 372 and d["complete"] and d["sections"] and d["sections_discarded"] == 0))' "$tmp/sections.json"
"$cli" explore prodcon_lock_pipeline --strategy dfs --sections >"$tmp/sections.txt"
check "a Lock released by another thread fails the check: the report says the search started again" \
    grep -q "^sections: .* the search started again after 1 executions with sections ordered" "$tmp/sections.txt"
check "  ... and names the mode" grep -q "strategy dfs (source-DPOR with sleep sets, critical sections as steps)" "$tmp/sections.txt"
for bad in "--optimal" "--reads-from"; do
    "$cli" explore locked_counter_3 --strategy dfs --sections $bad >/dev/null 2>"$tmp/sections_bad.err"
    check "--sections with $bad is a usage error (exit 2)" test $? = 2
    check "  ... saying why" grep -q -- "--sections runs with source-DPOR, unsplit (not with $bad yet)" "$tmp/sections_bad.err"
done
"$cli" explore lost_update --strategy pct --sections >/dev/null 2>&1
check "--sections with a strategy other than dfs is a usage error (exit 2)" test $? = 2
"$cli" explore prodcon_queue_event --strategy dfs --executions 5000 --json >"$tmp/unwasted.json"
check "dfs wastes nothing on sleeps, timeouts and wake-ups (prodcon_queue_event)" python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not (d["executions"] == 5000 and d["wasted"] == 0))' "$tmp/unwasted.json"
"$cli" explore lost_update --json >"$tmp/random.json"
check "random reports no wasted count" python3 -c 'import json,sys; sys.exit("wasted" in json.load(open(sys.argv[1])))' "$tmp/random.json"
"$cli" explore locked_update --executions 5 --json >"$tmp/pass.json"
check "stopped_by is in the JSON of a passing run (null)" grep -q '"stopped_by":null' "$tmp/pass.json"

finish
