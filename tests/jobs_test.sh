#!/usr/bin/env bash
# --jobs gives exactly one process's answer: for every scenario and model
# and every strategy, the JSON of 2, 3 and 4 jobs equals that of one job
# (but for the "jobs" field itself): the same first bug, token, counts,
# `complete` and stopped_by, with --executions a global budget.
set -uo pipefail
cli=$1
passed=0
failed=0
names=$("$cli" list --json | python3 -c 'import json,sys; print(" ".join(s["name"] for s in json.load(sys.stdin)))')
# Under a sanitizer every run (and every fork) costs far more: there, 2 jobs
# on three scenarios (a race, a correct one, a deadlock) with a smaller
# budget; the plain build checks them all.
jobs_list="2 3 4" budget=150 trees="barrier_start_together executor_locked timer_cancel"
if grep -aq -e ThreadSanitizer -e AddressSanitizer "$cli"; then # (heddle's own __tsan_* runtime is in every build)
    jobs_list="2" budget=40 names="lost_update locked_update double_acquire" trees="barrier_start_together"
fi
for name in $names; do
    for strategy in random pct dfs dfs-naive bounded "dfs --reads-from" "dfs --sections"; do
        # shellcheck disable=SC2086 # "dfs --reads-from" is a strategy and its option
        one=$("$cli" explore "$name" --strategy $strategy --executions "$budget" --json 2>&1)
        for jobs in $jobs_list; do
            # shellcheck disable=SC2086
            many=$("$cli" explore "$name" --strategy $strategy --executions "$budget" --jobs "$jobs" --json 2>&1 |
                sed "s/,\"jobs\":$jobs//; s/,\"helped\":[0-9]*//")
            if [[ "$many" == "$one" ]]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                echo "FAIL: $name --strategy $strategy --jobs $jobs differs from one job"
                diff <(echo "$one") <(echo "$many") | head -5
            fi
        done
    done
done
# Whole trees: dfs (and dfs --reads-from, dfs --sections) with 1 to 4 jobs
# explores the same executions, and with more than one, helper processes ran
# some of them (of the trees large enough to be given helpers).
for name in $trees; do
    for mode in "" --reads-from --sections; do
        # shellcheck disable=SC2086
        one=$("$cli" explore "$name" --strategy dfs $mode --executions 100000 --json 2>&1)
        for jobs in $jobs_list; do
            # shellcheck disable=SC2086
            many=$("$cli" explore "$name" --strategy dfs $mode --executions 100000 --jobs "$jobs" --json 2>&1)
            if [[ "$(echo "$many" | sed "s/,\"jobs\":$jobs//; s/,\"helped\":[0-9]*//")" == "$one" ]]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                echo "FAIL: the whole tree of $name (dfs $mode) with --jobs $jobs differs from one job"
            fi
            if [[ $name == barrier_start_together && $mode != --sections && ! "$many" =~ \"helped\":[1-9] ]]; then
                failed=$((failed + 1))
                echo "FAIL: no helper ran any of $name's executions (dfs $mode) with --jobs $jobs: $many"
            fi
        done
    done
done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
